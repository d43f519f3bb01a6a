"""No token, PIN, card number, password or client secret ever reaches a log line.

A whole session goes through the real client (`StationClient`, logger `station.api`) to a real
uvicorn: logins of every type, failed logins, a refresh, the list, the duplex question, a
release, an unexpected server error during a login, and logging out. Every logger of the
process is captured at DEBUG (root, `uvicorn*`, `httpx`, `httpcore`, `station.*`), and each
record's message, arguments and traceback text is searched for every secret of the session.

`EmbeddedServer` runs without an access log, so `station serve` also runs as a process with
its access log on, and its stdout and stderr are searched the same way.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import station
from station.api import errors
from station.api.client import StationClient
from station.api.models import Token
from station.server import auth as server_auth
from station.server.app import ServerSettings, create_app
from station.server.run import EmbeddedServer

ROOT = Path(station.__file__).resolve().parents[1]

# Credentials nobody else uses, long enough that finding one in a log is never a coincidence.
PIN, CARD, PASSWORD = "738291", "0EC0FFEE91", "erin-S3cret-pw!"
WRONG = {"pin": "606142", "card": "BADC0FFEE7", "pwd": "not-Erins-pw#5"}
CLIENT_SECRET = "cs-9f1e0d7c6b5a4938-secret"
ERIN = 20

LOGGERS = ["", "uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "httpx", "httpcore",
           "station", "station.api", "station.server", "asyncio", "fastapi"]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> Iterator[tuple[str, str]]:
        """(logger, everything a handler could write of a record)."""
        for record in self.records:
            parts = [self.format(record), str(record.msg), repr(record.args)]
            if record.exc_info:
                parts.append(logging.Formatter().formatException(record.exc_info))
            parts += [record.exc_text or "", record.stack_info or ""]
            yield record.name, "\n".join(parts)


@pytest.fixture
def captured() -> Iterator[Capture]:
    handler = Capture()
    saved = {name: (logging.getLogger(name).level, logging.getLogger(name).propagate) for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
        if name:
            logging.getLogger(name).propagate = True
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, (level, propagate) in saved.items():
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).propagate = propagate


def add_erin(store) -> None:
    """A user whose PIN, card and password are distinctive (the demo's are 4 digits)."""
    with store.tx() as db:
        db.execute(
            "INSERT INTO users (id, username, full_name, email, language, role, accounting,"
            " project_required, default_account, pin_hash, card_hash, pwd_hash)"
            " VALUES (?, 'erin', 'Erin Test', 'erin@example.org', 'en', 'user', 'group', 0,"
            " 'credit', ?, ?, ?)",
            (ERIN, store.hash_secret("pin", PIN), store.hash_secret("card", CARD),
             store.hash_password("erin", PASSWORD)),
        )
        db.execute(
            "INSERT INTO accounts (user_id, id, type, name, balance_cents, currency, position)"
            " VALUES (?, 'credit', 'credit', 'Personal credit', 5000, 'EUR', 10)", (ERIN,),
        )


async def session(url: str, client_secret: str, secrets: set[str], *, refresh: bool = True) -> None:
    """A whole session as a kiosk would run it; every token issued goes into `secrets`."""

    def keep(token: Token) -> None:
        secrets.update(t for t in (token.access_token, token.refresh_token) if t)

    async with StationClient(url, client_secret=client_secret) as client:
        for login in (
            lambda: client.login_card(CARD),
            lambda: client.login_password("erin", PASSWORD),
            lambda: client.login_card_pin(CARD, PIN),
            lambda: client.login_card_password(CARD, PASSWORD),
            lambda: client.login_pin(PIN),
        ):
            keep(await login())
        paused = await client.spool(queue="secure", owner="erin", name="Long report.pdf",
                                    job_info={"pageCount": 14, "colorCount": 2})
        ready = await client.spool(queue="direct", owner="erin", name="Ticket.pdf",
                                   job_info={"pageCount": 2})
        if refresh:
            keep(await client.refresh())
        listed = await client.jobs()
        assert {job.id for job in listed.jobs} == {paused, ready}
        await client.me()
        await client.set_duplex(paused, True)
        released = await client.process([paused, ready], owner="erin")
        assert released.count == 2
        await client.audit()
        await client.revoke()
        # Four failed logins (a fifth would lock this address out).
        for failed in (
            lambda: client.login_pin(WRONG["pin"]),
            lambda: client.login_card(WRONG["card"]),
            lambda: client.login_password("erin", WRONG["pwd"]),
            lambda: client.login_card_pin(CARD, WRONG["pin"]),
        ):
            with pytest.raises(errors.InvalidLogin):
                await failed()
    async with StationClient(url, client_secret="wrong-" + client_secret) as stranger:
        with pytest.raises(errors.InvalidClient):
            await stranger.login_pin(PIN)


def all_secrets(tokens: set[str], client_secret: str) -> set[str]:
    return {PIN, CARD, PASSWORD, *WRONG.values(), client_secret, "wrong-" + client_secret, *tokens}


def leaks(text: str, secrets: set[str]) -> list[str]:
    return [secret for secret in secrets if secret in text]


async def test_no_secret_in_any_log_record_of_a_whole_session(captured, tmp_path, monkeypatch):
    settings = ServerSettings(db=str(tmp_path / "station.db"), client_secret=CLIENT_SECRET)
    app = create_app(settings)
    add_erin(app.state.store)
    tokens: set[str] = set()
    server = EmbeddedServer(app=app)
    server.start()
    try:
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
            logging.getLogger(name).setLevel(logging.DEBUG)  # uvicorn set them to WARNING
        await session(server.base_url, CLIENT_SECRET, tokens)

        # An unexpected error in the middle of a login, whose message quotes the PIN.
        def broken(store, info, user):
            raise RuntimeError(f"cannot check pin {info.pin} of card {info.card}")

        monkeypatch.setattr(server_auth, "_verify", broken)
        async with StationClient(server.base_url, client_secret=CLIENT_SECRET) as client:
            with pytest.raises(errors.ServerError):
                await client.login_card_pin(CARD, PIN)
    finally:
        server.stop()
        app.state.store.close()

    secrets = all_secrets(tokens, CLIENT_SECRET)
    assert len(tokens) >= 12  # five logins and a refresh, each an access and a refresh token
    found = [(name, leaks(text, secrets)) for name, text in captured.texts() if leaks(text, secrets)]
    assert not found, found
    # The capture saw the session: the client's calls, httpx, httpcore, the server's error.
    names = {record.name for record in captured.records}
    assert {"station.api", "httpx", "httpcore.http11", "station.server"} <= names, names
    messages = [record.getMessage() for record in captured.records]
    assert any("POST /auth/token -> 200" in m for m in messages)
    assert any("unexpected error on POST /api/auth/token: RuntimeError" in m for m in messages)

    # Nor is any of them in the database file (and its write-ahead log).
    raw = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.is_file())
    assert raw, "the database file is there"
    assert [s for s in secrets if s.encode() in raw] == []


async def test_no_secret_in_the_output_of_station_serve(tmp_path):
    """`station serve` logs each request (uvicorn's access log) to its stdout."""
    db = tmp_path / "served.db"
    prepared = create_app(ServerSettings(db=str(db)))
    add_erin(prepared.state.store)
    prepared.state.store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "serve", "--host", "127.0.0.1", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    tokens: set[str] = set()
    try:
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert match, line + proc.stderr.read() if proc.poll() is not None else line
        await session(match.group(1), "station-demo-secret", tokens)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    output = line + out + err
    assert '"POST /api/auth/token HTTP/1.1" 200' in output  # the access log was on
    assert '"POST /api/auth/token HTTP/1.1" 401' in output
    assert '"POST /api/v3/jobs/process HTTP/1.1" 202' in output
    secrets = all_secrets(tokens, "station-demo-secret")
    assert len(tokens) >= 12
    assert leaks(output, secrets) == []
