"""Servers for the benchmarks, each in its own process (so a server and the client measuring it
never share a GIL): the embedded server on a database file the benchmark filled, or the same
stack (FastAPI, the server's middleware, uvicorn) answering one fixed body.

As a script: `python servers.py station DB PORT` or `python servers.py fixed BODY_FILE PORT`; it
prints `ready` when it listens and runs until its standard input closes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from harness import HERE, free_port, quiet_env

ALICE = 7
API = "/api"


# --- data ------------------------------------------------------------------------------------------


def make_db(path: Path, *, alice_jobs: int = 0, replace_demo_jobs: bool = False) -> None:
    """The demo data set in a file, plus `alice_jobs` ready jobs of alice's (ids from 1000) and
    credit enough to release them all."""
    from harness import job_fields
    from station.server.app import ServerSettings
    from station.server.pricing import job_cost, prices_from, to_cents
    from station.server.store import Store, to_us

    settings = ServerSettings(db=str(path), seed="demo", print_speed=10_000)
    store = Store(settings)
    prices = prices_from(settings)
    now = settings.now().replace(microsecond=0)
    try:
        with store.tx() as db:
            if replace_demo_jobs:
                db.execute("DELETE FROM jobs WHERE owner_id = ?", (ALICE,))
            rows = []
            for index in range(alice_jobs):
                f = job_fields(index)
                cost = job_cost(prices, page_count=f["pages"], color_count=f["colour"], copies=f["copies"],
                                duplex=f["duplex"])
                submitted = now - f["age"]
                rows.append((
                    1000 + index, ALICE, f["name"], to_us(submitted), int(index % 11 == 0), int(f["duplex"]),
                    int(f["colour"] > 0), f["pages"], f["colour"], f["copies"], f["project"], "direct",
                    1000 + index, to_us(submitted + timedelta(hours=24) + timedelta(days=30)), to_cents(cost),
                ))
            db.executemany(
                "INSERT INTO jobs (id, owner_id, name, submitted_us, favorite, duplex, color, page_count,"
                " color_count, copies, paper_state, state, project_id, queue, size, computer, expires_us,"
                " version, cost_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 5, 'ready', ?, ?, ?, 'PC-007', ?, 1, ?)",
                rows,
            )
            db.execute("UPDATE accounts SET balance_cents = 100000000 WHERE user_id = ? AND id = 'credit'", (ALICE,))
    finally:
        store.close()


def unrelease(path: Path) -> None:
    """Put alice's released jobs back to ready and her credit back up (from another process:
    the database is in WAL mode, so the running server sees it at its next request)."""
    conn = sqlite3.connect(path, timeout=10)
    try:
        with conn:
            conn.execute(
                "UPDATE jobs SET state = 'ready', charged_cents = NULL, charged_account = NULL,"
                " print_done_us = NULL, account = NULL, version = version + 1"
                " WHERE owner_id = ? AND id >= 1000", (ALICE,),
            )
            conn.execute("UPDATE accounts SET balance_cents = 100000000 WHERE user_id = ? AND id = 'credit'", (ALICE,))
            conn.execute("DELETE FROM sessions")  # keeps the tokens table small across many logins
    finally:
        conn.close()


# --- processes -------------------------------------------------------------------------------------


@contextlib.contextmanager
def server(kind: str, source: Path) -> Iterator[str]:
    """Run a server in a child process; yields its base URL (`http://127.0.0.1:PORT`)."""
    with server_process(kind, source) as (base, _):
        yield base


@contextlib.contextmanager
def server_process(kind: str, source: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`server`, also yielding the child process (to read its memory)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(HERE / "servers.py"), kind, str(source), str(port)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=quiet_env(), text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if line.strip() != "ready":
            raise RuntimeError(f"the {kind} server did not start: {line!r}")
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fixed_app(body: bytes):
    """The server's stack (FastAPI, its guard middleware) answering `GET /api/v3/jobs` with a fixed
    body: what serving a job list costs when the database, the models and the checks cost nothing."""
    from fastapi import FastAPI, Response

    from station.server.app import GuardMiddleware

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.add_middleware(GuardMiddleware)

    @app.get("/api/v3/jobs")
    async def list_jobs() -> Response:
        return Response(body, media_type="application/json")

    return app


def _main(kind: str, source: str, port: int) -> None:
    from station.server.app import ServerSettings
    from station.server.run import EmbeddedServer

    if kind == "station":
        embedded = EmbeddedServer(ServerSettings(db=source, seed="demo", print_speed=10_000), port=port)
    else:
        embedded = EmbeddedServer(port=port, app=fixed_app(Path(source).read_bytes()))
    with embedded:
        print("ready", flush=True)
        sys.stdin.read()  # until the benchmark closes it


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
