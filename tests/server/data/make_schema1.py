"""Makes `schema1.sql`: a database file of station before issue 11 (schema 1), as SQL text.

Run it with that station on the path (commit af4e4d3):
    git archive af4e4d3 station | tar -x -C /tmp/v1
    PYTHONPATH=/tmp/v1 python tests/server/data/make_schema1.py tests/server/data/schema1.sql

It holds the demo data, one login session of alice (tokens printed below, for the test) and
alice's card locked by five wrong PINs, all at the test clock's start (2026-03-02 09:30 UTC).
"""

import asyncio
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx

from station.server.app import ServerSettings, create_app

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
CLIENT = {"client_id": "station-demo", "client_secret": "station-demo-secret"}


async def fill(app) -> dict:
    transport = httpx.ASGITransport(app=app, client=("10.0.0.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as http:
        login = await http.post("/api/auth/token", json={
            **CLIENT, "grant_type": "login_info", "scope": "jobs offline.access",
            "login_info": {"type": 2, "pin": "1234"}})
        for _ in range(5):
            await http.post("/api/auth/token", json={
                **CLIENT, "grant_type": "login_info", "scope": "jobs",
                "login_info": {"type": 4, "card": "04A1B2C3", "pin": "0000"}})
        return login.json()


def main(target: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "station.db"
        app = create_app(ServerSettings(db=str(db), clock=lambda: START))
        tokens = asyncio.run(fill(app))
        app.state.store.close()
        conn = sqlite3.connect(db)
        Path(target).write_text("\n".join(conn.iterdump()) + "\n", encoding="utf-8")
        conn.close()
    print("access_token", tokens["access_token"])
    print("refresh_token", tokens["refresh_token"])


if __name__ == "__main__":
    main(sys.argv[1])
