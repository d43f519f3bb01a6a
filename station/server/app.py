"""The embedded reference server: the app factory, `create_app(settings)`.

It opens the database and seeds it at once (no lifespan hook), so the app works through
`httpx.ASGITransport` as well as under uvicorn, then adds the error handlers (`handlers.py`), the
guard (`middleware.py`) and the routes: the profile's (`routes/`), the vendor's printer and user
calls (`printers.py`, `people.py`). Every route that reads or writes the database is a plain
`def`: FastAPI runs it in its thread pool, so a request waiting for SQLite (another process may
hold the write lock) never stops the event loop, and one that needs no database answers at once.
Each change is one transaction (`Store.tx`), which makes a release and its charge atomic against
any other request, in this process or another.

`ServerSettings.api == "vendor"` narrows the same app to what the vendor documents, in the
vendor's shapes (`vendor.narrow_routes` and `vendor.install`).

The routes are built once per process and mode and shared by every app (`_routes`): FastAPI makes
a pydantic adapter for each parameter of each route, which is most of the cost of an app, and a
route holds nothing of one app (it finds the store on `request.app.state`). The test suite builds
an app for nearly every test.
"""

from __future__ import annotations

from functools import cache

from fastapi import FastAPI
from starlette.routing import BaseRoute

import station
from station.server import clients, handlers, people, printers, vendor
from station.server.middleware import GuardMiddleware
from station.server.routes import auth as auth_routes
from station.server.routes import jobs as job_routes
from station.server.routes import users as user_routes
from station.server.settings import ServerSettings
from station.server.store import Store

__all__ = ["GuardMiddleware", "ServerSettings", "create_app"]


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()
    store = Store(settings)
    new_client_secret = clients.ensure_one(store)
    app = FastAPI(
        title="station embedded server",
        version=station.__version__,
        description="The vendor REST API v3 for jobs as station speaks it (api-contract.md).",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_tags=[{"name": tag} for tag in TAGS],
    )
    app.state.store = store
    app.state.settings = settings
    app.state.new_client_secret = new_client_secret  # shown once by `station serve`, then dropped
    handlers.install(app)
    app.add_middleware(GuardMiddleware)
    # Ahead of FastAPI's own (the document, the docs page): a request walks the routes in order.
    app.router.routes[:0] = _routes(settings.api)
    if settings.api == "vendor":
        vendor.install(app)
    return app


TAGS = ("auth", "users", "jobs", "audit", "printers")
"""The sections of the API document in the order people read them (the routes are in another)."""


@cache
def _routes(api: str) -> tuple[BaseRoute, ...]:
    """Every route of the server speaking `api` ("profile" or "vendor"), built once. The jobs'
    come first: a request finds its route by trying each in turn, and a station asks for its
    list of jobs far more often than for anything else. No two modules' paths overlap."""
    routes = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)  # holds the routes only

    job_routes.add_routes(routes)

    @routes.get("/", include_in_schema=False)
    @routes.get("/api", include_in_schema=False)
    async def root() -> dict[str, str]:
        return {"name": "station", "version": station.__version__, "docs": "/api/docs"}

    auth_routes.add_routes(routes)
    user_routes.add_routes(routes)
    printers.add_routes(routes, vendor=api == "vendor")
    people.add_routes(routes)
    if api == "vendor":
        vendor.narrow_routes(routes)
    return tuple(routes.router.routes)
