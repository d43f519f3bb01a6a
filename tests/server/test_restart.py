"""A restart on the same database file loses nothing that was answered 2xx."""

from __future__ import annotations

from decimal import Decimal

import httpx

from station.server.app import ServerSettings, create_app

from .support import ALICE, API, DUPLEX, balance, job_id, snapshot, spool_body


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test")


async def test_restart_keeps_every_change_and_dialog_states_still_verify(tmp_path, clock, bearer):
    settings = ServerSettings(db=str(tmp_path / "station.db"), clock=clock)
    first = create_app(settings)
    async with client(first) as http:
        headers = await bearer(http)
        slides, minutes, flyer = (job_id(first, n) for n in ("Campaign slides.pptx", "Board minutes.pdf", "Flyer.pdf"))
        asked = (await http.post(f"{API}/jobs/{slides}/script", json={}, headers=headers)).json()
        assert (await http.post(f"{API}/jobs/process", json={"jobIds": [minutes]}, headers=headers)).status_code == 202
        assert (await http.patch(f"{API}/jobs/{flyer}", json={"favorite": True}, headers=headers)).status_code == 200
        spooled = (await http.post(f"{API}/jobs/client", json=spool_body(), headers=headers)).json()["id"]
    before = snapshot(first)
    first.state.store.close()

    second = create_app(settings)  # demo seed again: an existing file is never re-seeded
    try:
        assert snapshot(second) == before
        assert balance(second, ALICE) == Decimal("12.26")
        async with client(second) as http:
            # The access token issued before the restart still works.
            job = (await http.get(f"{API}/jobs/{spooled}", headers=headers)).json()
            assert job["name"] == "Meeting notes.pdf"
            answered = await http.post(f"{API}/jobs/{slides}/script", headers=headers, json={
                DUPLEX: {"duplex": True, "simplex": None}, "state": asked["state"]})
            assert answered.status_code == 200, answered.text
            assert answered.json()["job"]["state"] == "ready"
    finally:
        second.state.store.close()


async def test_a_crash_loses_nothing_committed(tmp_path, clock, bearer):
    """The first app is never closed (as if the process died); a second one opens the file."""
    settings = ServerSettings(db=str(tmp_path / "station.db"), clock=clock)
    first = create_app(settings)
    async with client(first) as http:
        headers = await bearer(http, pin="5678")
        jid = job_id(first, "Parking permit.pdf")
        released = await http.post(f"{API}/jobs/process", json={"jobIds": [jid], "projectId": 2}, headers=headers)
        assert released.status_code == 202
    second = create_app(settings)
    try:
        with second.state.store.read() as db:
            assert db.scalar("SELECT state FROM jobs WHERE id = ?", (jid,)) == "processing"
            assert db.scalar("SELECT COUNT(*) FROM audit WHERE action = 'release'") == 1
        assert balance(second, 8) == Decimal("0.58")
    finally:
        second.state.store.close()
        first.state.store.close()


def test_the_database_is_wal_with_synchronous_normal(tmp_path, clock):
    app = create_app(ServerSettings(db=str(tmp_path / "station.db"), clock=clock))
    try:
        conn = app.state.store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        app.state.store.close()


def test_the_signing_key_is_kept_in_the_database_unless_given(tmp_path, clock):
    settings = ServerSettings(db=str(tmp_path / "station.db"), clock=clock)
    first = create_app(settings)
    key = first.state.store.secret_key
    first.state.store.close()
    second = create_app(settings)
    assert second.state.store.secret_key == key
    second.state.store.close()
    given = create_app(ServerSettings(db=str(tmp_path / "station.db"), clock=clock, secret_key=b"k" * 32))
    assert given.state.store.secret_key == b"k" * 32
    given.state.store.close()
