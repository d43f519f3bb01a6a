"""Who is who: the caller, the users (helpdesk), the projects a user may charge."""

from __future__ import annotations

from typing import Any

from station.api import models as m
from station.api.models import Reason
from station.server.auth import Principal
from station.server.errors import Problem, not_found
from station.server.jobs.rows import user_model
from station.server.jobs.rules import page, user_row
from station.server.store import Store


def me(store: Store, p: Principal) -> m.User:
    if p.user_id is None:
        raise Problem(
            403, Reason.NOT_ALLOWED, "An application login has no user of its own."
        )
    with store.read() as db:
        row = user_row(db, p.user_id)
        if row is None:
            raise not_found("user")
        return user_model(db, row)


def list_users(store: Store, p: Principal, search: str | None, limit: int, start: int) -> m.UserList:
    p.require("users")
    if not p.may_act_for_others:
        raise Problem(403, Reason.NOT_ALLOWED, "Only the helpdesk may look up users.")
    where, params = "", []
    if search:
        where = " WHERE instr(lower(username), lower(?)) > 0 OR instr(lower(full_name), lower(?)) > 0"
        params = [search, search]
    limit, start = page(limit, start)
    with store.read() as db:
        count = db.scalar(f"SELECT COUNT(*) FROM users{where}", params)
        rows = db.all(
            f"SELECT * FROM users{where} ORDER BY username COLLATE NOCASE LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
        return m.UserList(users=[user_model(db, row) for row in rows], count=count)


def list_projects(
    store: Store, p: Principal, owner_id: int | None, search: str | None, limit: int, start: int
) -> m.ProjectList:
    if owner_id is not None and owner_id != p.user_id and not p.may_act_for_others:
        raise Problem(
            403, Reason.NOT_ALLOWED, "Only the helpdesk may see another user's projects."
        )
    target = owner_id if owner_id is not None else p.user_id
    where: list[str] = []
    params: list[Any] = []
    if target is not None:
        where.append("id IN (SELECT project_id FROM user_projects WHERE user_id = ?)")
        params.append(target)
    if search:
        where.append("(instr(lower(name), lower(?)) > 0 OR instr(lower(code), lower(?)) > 0)")
        params.extend([search, search])
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    limit, start = page(limit, start)
    with store.read() as db:
        count = db.scalar(f"SELECT COUNT(*) FROM projects{clause}", params)
        rows = db.all(
            f"SELECT * FROM projects{clause} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
    return m.ProjectList(
        projects=[m.Project(id=r["id"], name=r["name"], code=r["code"]) for r in rows],
        count=count,
    )
