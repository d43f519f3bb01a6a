"""A full disk (issue 11 item 8): 503 `unavailable` with `Retry-After`, nothing changed, and the
server carries on once there is room again.

How the disk is made full, with no root and no file system of the test's own: SQLite's page limit
(`PRAGMA max_page_count`) is set to the pages the database has, and every write to any table
asks for 64 KB more room (a TEMP trigger per table and kind of write, which lives only in the
connection and never in the file), as every write must append to the WAL on a real disk. SQLite
then answers `SQLITE_FULL` ("database or disk is full") in the middle of the server's
transaction, after some of its statements went through. Both are settings of one connection:
these tests send one request at a time, so the server has one connection, the one they set
(on a file; in memory there is only one).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from station.server.app import ServerSettings

from .support import ALICE, API, balance, job_id, job_row, reason, snapshot, spool_body, store_of


@pytest.fixture(params=["memory", "file"])
def settings(request, tmp_path, settings) -> ServerSettings:
    if request.param == "file":
        settings.db = str(tmp_path / "station.db")
    return settings


def fill_the_disk(app) -> None:
    """From now on no write finds room (until `room`)."""
    store = store_of(app)
    with store.tx() as db:
        db.execute("CREATE TABLE filler (data BLOB)")
        tables = [row[0] for row in db.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert store.in_use == 0
    conn = store.conn
    for table in tables:
        if table == "filler" or table.startswith("sqlite_"):
            continue
        for change in ("INSERT", "UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TEMP TRIGGER full_{change}_{table} AFTER {change} ON main.{table}"
                " BEGIN INSERT INTO filler VALUES (zeroblob(65536)); END"
            )
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def room(app) -> None:
    store_of(app).conn.execute("PRAGMA max_page_count = 1073741823")


def assert_disk_full(response) -> None:
    assert response.status_code == 503, response.text
    assert reason(response) == "unavailable"
    assert int(response.headers["Retry-After"]) > 0
    assert "full" in response.json()["message"] and "nothing was changed" in response.json()["message"]


async def test_a_release_on_a_full_disk_is_503_and_charges_nothing(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Board minutes.pdf")
    fill_the_disk(app)
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [jid]}, headers=headers)
    assert_disk_full(response)
    assert snapshot(app) == before
    assert balance(app, ALICE) == Decimal("12.50") and job_row(app, jid)["state"] == "ready"
    room(app)  # the control: with room again, the same request goes through on the same server
    again = await http.post(f"{API}/jobs/process", json={"jobIds": [jid]}, headers=headers)
    assert again.status_code == 202, again.text
    assert balance(app, ALICE) == Decimal("12.26")


async def test_a_spool_and_a_login_on_a_full_disk_are_503(http, bearer, app, token_body):
    headers = await bearer(http)
    fill_the_disk(app)
    before = snapshot(app)
    assert_disk_full(await http.post(f"{API}/jobs/client", json=spool_body(), headers=headers))
    assert_disk_full(await http.post("/api/auth/token", json=token_body(pin="5678")))
    assert snapshot(app) == before
    room(app)
    assert (await http.post(f"{API}/jobs/client", json=spool_body(), headers=headers)).status_code == 201
    assert (await http.post("/api/auth/token", json=token_body(pin="5678"))).status_code == 200


def test_a_transaction_sqlite_rolled_back_itself_reports_the_full_disk(app):
    """A write that needs more pages than are left makes SQLite roll back the whole transaction
    by itself; the store says the disk is full (not "cannot rollback") and goes on working."""
    store = store_of(app)
    with store.tx() as db:
        db.execute("CREATE TABLE filler (data BLOB)")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(sqlite3.OperationalError, match="full"), store.tx() as db:
        db.execute("INSERT INTO filler VALUES (zeroblob(1000000))")
    room(app)
    with store.tx() as db:  # the connection is not left inside a transaction
        db.execute("INSERT INTO filler VALUES (zeroblob(10))")
    with store.read() as db:
        assert db.scalar("SELECT COUNT(*) FROM filler") == 1
