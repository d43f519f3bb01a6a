"""Spooling: a job sent by a client (`POST /v3/jobs/client`), priced and held on its queue."""

from __future__ import annotations

from station.api import models as m
from station.api.models import Reason
from station.server.auth import Principal
from station.server.errors import Problem
from station.server.jobs.audit import record
from station.server.jobs.rules import owner_named, require_reason, too_big
from station.server.pricing import job_cost, prices_from, to_cents
from station.server.store import Store
from station.server.times import seconds, to_us


def spool(
    store: Store, p: Principal, body: m.ClientJob, info: m.JobInfo, reason: str | None
) -> tuple[int, bool]:
    """Create a client-spooled job: (id, created). The same uuid again gives the first id."""
    settings = store.settings
    with store.tx() as db:
        owner = owner_named(db, p, body.owner, what="spool")
        require_reason(p, {owner["id"]}, reason)
        existing = db.scalar(
            "SELECT id FROM jobs WHERE owner_id = ? AND uuid = ?", (owner["id"], body.uuid)
        )
        if existing is not None:
            return existing, False
        queue = db.one("SELECT * FROM queues WHERE name = ?", (body.queue,))
        if queue is None:
            raise Problem(
                404, Reason.UNKNOWN_QUEUE, "There is no print queue of that name.",
                queue=body.queue[:200],
            )
        page_count = info.page_count
        if "color_count" in info.model_fields_set:
            color_count = info.color_count
        else:
            color_count = page_count if info.color else 0
        if color_count > page_count:
            raise Problem(
                422, Reason.VALIDATION,
                "Field 'jobInfo.colorCount': there cannot be more colour pages than pages.",
                field="jobInfo.colorCount",
            )
        refused = too_big(settings.max_job_pages, {None: page_count * info.copies}, "jobInfo")
        if refused:
            raise refused
        color = info.color if info.color is not None else color_count > 0
        cost = job_cost(
            prices_from(settings), page_count=page_count, color_count=color_count,
            copies=info.copies, duplex=info.duplex,
        )
        asks = queue["duplex_question_over"]
        paused = asks is not None and page_count > asks
        now = settings.now()
        cursor = db.execute(
            "INSERT INTO jobs (owner_id, name, submitted_us, favorite, duplex, color, page_count,"
            " color_count, copies, paper_state, state, project_id, account, queue, size, computer,"
            " uuid, expires_us, interaction, version, cost_cents)"
            " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?, ?, ?, ?, 1, ?)",
            (
                owner["id"],
                body.name,
                to_us(now),
                int(info.duplex),
                int(color),
                page_count,
                color_count,
                info.copies,
                info.paper.state if info.paper and info.paper.state is not None else 5,
                "paused" if paused else "ready",
                body.queue,
                body.size,
                body.computer,
                body.uuid,
                to_us(now) + int(seconds(settings.job_ttl) * 1_000_000),
                int(paused),
                to_cents(cost),
            ),
        )
        job_id = cursor.lastrowid
        assert job_id is not None  # sqlite sets it after every INSERT
        record(db, p, "spool", owner_id=owner["id"], owner=owner["username"], job_ids=[job_id], reason=reason)
    return job_id, True
