"""What the rules of jobs share: who sees a job, who must say why, who may be charged what, whose
jobs a request names, and how a refusal of some of the jobs reads."""

from __future__ import annotations

import sqlite3
from typing import Any

from station.api import models as m
from station.api.models import Reason
from station.server.auth import Principal
from station.server.errors import Problem, not_found
from station.server.store import Tx

ITEM_MESSAGES: dict[str, tuple[int, str]] = {
    "not_found": (404, "There is no such job."),
    "not_allowed": (403, "Only the helpdesk may give a job to another user."),
    "unknown_user": (400, "There is no such user to give the job to."),
    "job_state": (409, "This job cannot be changed in its current state."),
    "interaction_pending": (409, "This job waits for an answer to its question first."),
    "project_required": (409, "Choose a project first: this user must charge every job to one."),
    "unknown_project": (400, "That project cannot be charged by the job's owner."),
    "unknown_account": (400, "That account is not one of the job owner's accounts."),
}
"""(status, message) of each reason a single job can be refused for."""


def visible(p: Principal, row: sqlite3.Row | None) -> bool:
    """Whether the caller may see this job: their own, or anyone's for the helpdesk."""
    return row is not None and (row["owner_id"] == p.user_id or p.may_act_for_others)


def refuse(items: list[dict[str, Any]], messages: dict[str, tuple[int, str]]) -> Problem:
    """One Problem for per-job failures: the status and message of the first one."""
    first = items[0]["reason"]
    status, message = messages[first]
    if len(items) > 1:
        message = f"{message} ({len(items)} jobs could not be changed; nothing was changed.)"
    return Problem(status, Reason(first), message, items=items)


def require_reason(p: Principal, owner_ids: set[int], reason: str | None) -> None:
    """Whoever changes another user's job (a helpdesk person, an application) must say why
    (X-Station-Reason); the audit keeps it."""
    if not reason and any(o != p.user_id for o in owner_ids):
        raise Problem(
            400,
            Reason.REASON_REQUIRED,
            "Say why you change another user's job: send the reason in the "
            f"{m.REASON_HEADER} header.",
        )


def user_row(db: Tx, user_id: int) -> sqlite3.Row | None:
    return db.one("SELECT * FROM users WHERE id = ?", (user_id,))


def accounts_of(db: Tx, user_id: int) -> dict[str, sqlite3.Row]:
    """A user's accounts by id."""
    return {
        a["id"]: a for a in db.all("SELECT * FROM accounts WHERE user_id = ?", (user_id,))
    }


def may_charge_project(db: Tx, user_id: int, project_id: int) -> bool:
    return bool(
        db.scalar(
            "SELECT 1 FROM user_projects WHERE user_id = ? AND project_id = ?",
            (user_id, project_id),
        )
    )


def owner_named(db: Tx, p: Principal, name: str | None, *, what: str) -> sqlite3.Row:
    """The user a request names as owner (the caller when none is named)."""
    if not name or (p.user_id is not None and name.strip().casefold() == p.username.casefold()):
        if p.user_id is None:
            raise Problem(
                400, Reason.BAD_REQUEST, f"Name the owner of the jobs to {what}.", field="owner"
            )
        caller = user_row(db, p.user_id)
        if caller is None:  # the caller's own user was deleted while their token lives
            raise not_found("user")
        return caller
    if not p.may_act_for_others:
        raise Problem(
            403, Reason.NOT_ALLOWED, f"Only the helpdesk may {what} another user's jobs."
        )
    row = db.one("SELECT * FROM users WHERE username = ?", (name.strip(),))
    if row is None:
        raise Problem(400, Reason.UNKNOWN_USER, "There is no user of that name.", owner=name[:200])
    return row


def too_big(limit: int, jobs: dict[int | None, int], field: str) -> Problem | None:
    """422 when one of these jobs (id: printed pages, pages x copies) prints more than `limit`
    pages (`ServerSettings.max_job_pages`); None when all fit."""
    over = {job_id: pages for job_id, pages in jobs.items() if pages > limit}
    if not over:
        return None
    items = [
        {"reason": Reason.VALIDATION.value, "field": field, "pages": pages, **({"id": job_id} if job_id else {})}
        for job_id, pages in over.items()
    ]
    return Problem(
        422, Reason.VALIDATION,
        f"A job may print at most {limit:,} pages (pages x copies); this one would print"
        f" {items[0]['pages']:,}.",
        items=items,
    )


def page(limit: int, start: int) -> tuple[int, int]:
    """(limit, start) of a page, within bounds."""
    return max(0, min(limit, 500)), max(0, start)
