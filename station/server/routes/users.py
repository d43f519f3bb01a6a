"""Routes of the profile's people (contract 3): the caller, users (helpdesk), projects."""

from __future__ import annotations

from fastapi import FastAPI, Request

from station.api import models as m
from station.server import jobs
from station.server.deps import Caller, Limit, OwnerId, Search, Start, store_of
from station.server.errors import error_responses


def add_routes(app: FastAPI) -> None:
    @app.get(
        "/api/v3/users/me", response_model=m.User, tags=["users"],
        responses=error_responses(401, 403),
    )
    def users_me(request: Request, p: Caller) -> m.User:
        p.require("jobs", "users")
        return jobs.me(store_of(request), p)

    @app.get(
        "/api/v3/users", response_model=m.UserList, tags=["users"],
        responses=error_responses(401, 403, 422),
    )
    def users(
        request: Request, p: Caller, search: Search = None, limit: Limit = 100, start: Start = 0
    ) -> m.UserList:
        return jobs.list_users(store_of(request), p, search, limit, start)

    @app.get(
        "/api/v3/projects", response_model=m.ProjectList, tags=["users"],
        responses=error_responses(401, 403, 422),
    )
    def projects(
        request: Request, p: Caller, owner_id: OwnerId = None, search: Search = None, limit: Limit = 100,
        start: Start = 0,
    ) -> m.ProjectList:
        p.require("jobs")
        return jobs.list_projects(store_of(request), p, owner_id, search, limit, start)
