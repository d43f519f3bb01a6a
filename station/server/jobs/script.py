"""The job's script dialog (contract 4.6): ask the duplex question, or answer it."""

from __future__ import annotations

from typing import Any

from station.api import models as m
from station.api.models import Reason
from station.server import dialogs
from station.server.auth import Principal
from station.server.errors import Problem, not_found
from station.server.jobs.audit import record
from station.server.jobs.rows import PENDING, fetch_jobs, job_model
from station.server.jobs.rules import require_reason, visible
from station.server.pricing import job_cost, prices_from, to_cents
from station.server.store import Store


def script(
    store: Store, p: Principal, job_id: int, body: dict[str, Any], reason: str | None
) -> m.ScriptReply:
    settings = store.settings
    with store.tx() as db:
        row = fetch_jobs(db, [job_id]).get(job_id)
        if row is None or not visible(p, row):
            raise not_found("job", id=job_id)
        if row["state"] not in PENDING:
            raise Problem(
                409, Reason.JOB_STATE,
                f"This job is {row['state']}: its questions are closed.",
                id=job_id, state=row["state"],
            )
        is_answer, chosen = dialogs.parse_answer(body)
        if is_answer:
            require_reason(p, {row["owner_id"]}, reason)
            dialogs.verify_state(store.secret_key, body.get("state"), job_id, row["version"])
            duplex = chosen == "duplex"
            if duplex != bool(row["duplex"]) or row["state"] == "paused" or row["interaction"]:
                cost = job_cost(
                    prices_from(settings), page_count=row["page_count"],
                    color_count=row["color_count"], copies=row["copies"], duplex=duplex,
                )
                db.execute(
                    "UPDATE jobs SET duplex = ?, cost_cents = ?, state = 'ready', interaction = 0,"
                    " version = version + 1 WHERE id = ?",
                    (int(duplex), to_cents(cost), job_id),
                )
                record(
                    db, p, "duplex", owner_id=row["owner_id"], owner=row["owner_name"],
                    job_ids=[job_id], project_id=row["project_id"], reason=reason,
                )
            row = fetch_jobs(db, [job_id])[job_id]
            open_dialogs: list[dict[str, Any]] = []
        else:
            open_dialogs = [dialogs.duplex_dialog(bool(row["duplex"]))]
        signed = dialogs.sign_state(store.secret_key, job_id, row["version"])
    return m.ScriptReply(
        dialogs=[m.Dialog.model_validate(d) for d in open_dialogs],
        state=signed,
        job=job_model(row),
    )
