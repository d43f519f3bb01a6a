"""Routes of logins and tokens (contract 2): `POST /api/auth/token`, `POST /api/auth/revoke`."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

from station.api import models as m
from station.server import auth
from station.server.errors import error_responses
from station.server.deps import store_of


def add_routes(app: FastAPI) -> None:
    @app.post(
        "/api/auth/token", response_model=m.Token, response_model_exclude_none=True,
        tags=["auth"], responses=error_responses(400, 401, 413, 422, 429),
    )
    def token(body: m.TokenRequest, request: Request, response: Response) -> dict:
        response.headers["Cache-Control"] = "no-store"
        address = request.client.host if request.client else "unknown"
        return auth.token_grant(store_of(request), body, address)

    @app.post(
        "/api/auth/revoke", tags=["auth"],
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def revoke(body: m.RevokeRequest, request: Request) -> dict:
        address = request.client.host if request.client else "unknown"
        auth.revoke(store_of(request), body, address)
        return {}
