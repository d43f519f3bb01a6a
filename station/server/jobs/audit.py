"""The audit (contract 4.7): each accepted change recorded once, in its own transaction; reading it."""

from __future__ import annotations

from station.api import models as m
from station.api.models import Reason
from station.server.auth import Principal
from station.server.errors import Problem
from station.server.jobs.rows import audit_model
from station.server.jobs.rules import page
from station.server.store import Store, Tx


def record(
    db: Tx, p: Principal, action: str, *, owner_id: int, owner: str, job_ids: list[int],
    reason: str | None, amount_cents: int | None = None, account: str | None = None,
    project_id: int = 0, previous_owner_id: int | None = None,
) -> None:
    """The audit entry of a change the caller made, in the transaction that makes it."""
    db.audit(
        action=action, actor_id=p.user_id, actor=p.username, owner_id=owner_id, owner=owner,
        previous_owner_id=previous_owner_id, job_ids=job_ids, amount_cents=amount_cents,
        account=account, project_id=project_id, reason=reason,
    )


def list_audit(
    store: Store, p: Principal, owner_id: int | None, limit: int, start: int
) -> m.AuditList:
    everyone = p.may_act_for_others  # it includes the scope `users`
    if owner_id is not None and owner_id != p.user_id and not everyone:
        if p.role in ("helpdesk", "app"):
            p.require("users")
        raise Problem(
            403, Reason.NOT_ALLOWED, "Only the helpdesk may read another user's audit entries."
        )
    if owner_id is None and not everyone:
        owner_id = p.user_id
    where, params = "", []
    if owner_id is not None:
        where = " WHERE owner_id = ? OR previous_owner_id = ?"
        params = [owner_id, owner_id]
    limit, start = page(limit, start)
    with store.read() as db:
        count = db.scalar(f"SELECT COUNT(*) FROM audit{where}", params)
        rows = db.all(
            f"SELECT * FROM audit{where} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
    return m.AuditList(entries=[audit_model(row) for row in rows], count=count)
