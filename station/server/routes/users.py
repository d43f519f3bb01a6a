"""Routes of the profile's people (contract 3): the caller, users (helpdesk), projects."""

from __future__ import annotations

from fastapi import FastAPI

from station.api import models as m
from station.server import jobs
from station.server.deps import Caller, Limit, OwnerId, Search, Start
from station.server.errors import error_responses
from station.server.store import Store


def add_routes(app: FastAPI, store: Store) -> None:
    @app.get(
        "/api/v3/users/me", response_model=m.User, tags=["users"],
        responses=error_responses(401, 403),
    )
    def users_me(p: Caller) -> m.User:
        p.require("jobs", "users")
        return jobs.me(store, p)

    @app.get(
        "/api/v3/users", response_model=m.UserList, tags=["users"],
        responses=error_responses(401, 403, 422),
    )
    def users(
        p: Caller, search: Search = None, limit: Limit = 100, start: Start = 0
    ) -> m.UserList:
        return jobs.list_users(store, p, search, limit, start)

    @app.get(
        "/api/v3/projects", response_model=m.ProjectList, tags=["users"],
        responses=error_responses(401, 403, 422),
    )
    def projects(
        p: Caller, owner_id: OwnerId = None, search: Search = None, limit: Limit = 100,
        start: Start = 0,
    ) -> m.ProjectList:
        p.require("jobs")
        return jobs.list_projects(store, p, owner_id, search, limit, start)
