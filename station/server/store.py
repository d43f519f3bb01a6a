"""SQLite storage of the embedded server.

One connection per app, guarded by a lock; every change runs in one `BEGIN IMMEDIATE`
transaction (`with store.tx() as db:`), so a request either changes everything it says or
nothing. WAL mode with `synchronous=NORMAL`: a committed change survives a restart of the
process. Money is stored as integer cents, times as integer microseconds since the epoch (UTC),
secrets only as keyed hashes (HMAC-SHA256 with a random per-database salt).
"""

from __future__ import annotations

import hashlib
import json
import hmac
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from station.server.settings import ServerSettings

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL,
    email TEXT,
    language TEXT,
    role TEXT NOT NULL CHECK (role IN ('user', 'helpdesk')),
    accounting TEXT,
    project_required INTEGER NOT NULL DEFAULT 0,
    default_account TEXT,
    pin_hash TEXT UNIQUE,
    card_hash TEXT UNIQUE,
    pwd_hash TEXT
);
CREATE TABLE IF NOT EXISTS accounts (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    balance_cents INTEGER,
    currency TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, id)
);
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY CHECK (id > 0),
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS user_projects (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, project_id)
);
CREATE TABLE IF NOT EXISTS queues (
    name TEXT PRIMARY KEY,
    duplex_question_over INTEGER
);
CREATE TABLE IF NOT EXISTS printers (
    id INTEGER PRIMARY KEY CHECK (id > 0),
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    submitted_us INTEGER NOT NULL,
    favorite INTEGER NOT NULL DEFAULT 0,
    duplex INTEGER NOT NULL DEFAULT 0,
    color INTEGER NOT NULL DEFAULT 0,
    page_count INTEGER NOT NULL,
    color_count INTEGER NOT NULL DEFAULT 0,
    copies INTEGER NOT NULL DEFAULT 1,
    paper_state INTEGER,
    state TEXT NOT NULL,
    project_id INTEGER NOT NULL DEFAULT 0,
    account TEXT,
    queue TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    computer TEXT NOT NULL DEFAULT '',
    uuid TEXT,
    expires_us INTEGER,
    interaction INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    cost_cents INTEGER NOT NULL CHECK (cost_cents >= 0),
    charged_cents INTEGER,
    charged_account TEXT,
    print_done_us INTEGER,
    UNIQUE (owner_id, uuid)
);
CREATE INDEX IF NOT EXISTS jobs_owner_state ON jobs (owner_id, state);
CREATE INDEX IF NOT EXISTS jobs_state_done ON jobs (state, print_done_us);
CREATE INDEX IF NOT EXISTS jobs_state_expires ON jobs (state, expires_us);
CREATE INDEX IF NOT EXISTS jobs_submitted ON jobs (submitted_us, id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_us INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT,
    owner_id INTEGER,
    owner TEXT,
    previous_owner_id INTEGER,
    job_ids TEXT NOT NULL,
    amount_cents INTEGER,
    account TEXT,
    project_id INTEGER NOT NULL DEFAULT 0,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS audit_owner ON audit (owner_id);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    expires_us INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    expires_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_session ON tokens (session_id);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at_us INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at_us);
CREATE TABLE IF NOT EXISTS lockouts (key TEXT PRIMARY KEY, until_us INTEGER NOT NULL);
"""

# Tables that hold the data set (emptied by `reset_to_seed`); meta, sessions and tokens stay.
DATA_TABLES = (
    "audit",
    "jobs",
    "user_projects",
    "projects",
    "accounts",
    "queues",
    "printers",
    "login_failures",
    "lockouts",
    "users",
)


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch (UTC) of an aware datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(value: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value)


def seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Store:
    """The server's database. Use `tx()` for anything that writes, `read()` for reads."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.path = settings.db
        self._lock = threading.RLock()
        self._closed = False
        self.conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=10.0
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA busy_timeout = 10000")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        with self.tx() as db:
            db.executescript_in_tx(SCHEMA)
            salt = db.meta("salt")
            if salt is None:
                salt = secrets.token_bytes(32)
                db.set_meta("salt", salt)
            key = settings.secret_key or db.meta("secret_key")
            if key is None:
                key = secrets.token_bytes(32)
                db.set_meta("secret_key", key)
            self.salt: bytes = bytes(salt)
            self.secret_key: bytes = bytes(key)
            fresh = db.meta("seeded") is None
            if db.meta("schema") is None:
                db.set_meta("schema", SCHEMA_VERSION.encode())
        if fresh and settings.seed == "demo":
            self.reset_to_seed()

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error."""
        with self._lock:
            self._check_open()
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A consistent read (a deferred transaction, always rolled back)."""
        with self._lock:
            self._check_open()
            self.conn.execute("BEGIN")
            try:
                yield Tx(self)
            finally:
                self.conn.execute("ROLLBACK")

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the store is closed")

    # -- secrets ------------------------------------------------------------------------------

    def hash_secret(self, kind: str, value: str) -> str:
        """A keyed hash of a secret (PIN, card, password, token): never stored in plain text."""
        return hmac.new(self.salt, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def hash_password(self, username: str, password: str) -> str:
        return self.hash_secret("pwd", f"{username.casefold()}\x00{password}")

    # -- life ---------------------------------------------------------------------------------

    def reset_to_seed(self) -> None:
        """Empty the data set and fill it again per `settings.seed` (the demo data or nothing).

        Login sessions stay: the seeded users get the same ids again, so a logged-in client
        goes on; a session whose user is gone is refused as `invalid_token`.
        """
        from station.server import seed

        with self.tx() as db:
            for table in DATA_TABLES:
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            db.execute("DELETE FROM sqlite_sequence WHERE name IN ('jobs', 'audit')")
            if self.settings.seed == "demo":
                seed.seed_demo(db, self.settings)
            db.set_meta("seeded", self.settings.seed.encode())

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self.conn.close()

    @property
    def closed(self) -> bool:
        return self._closed


class Tx:
    """The handle of one transaction: thin helpers over the connection."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: list) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def one(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple | list | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple | list | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def executescript_in_tx(self, script: str) -> None:
        # executescript() would COMMIT first; run the statements one by one instead.
        for statement in script.split(";"):
            if statement.strip():
                self.conn.execute(statement)

    def meta(self, key: str) -> bytes | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else bytes(value)

    def audit(
        self,
        *,
        action: str,
        actor_id: int | None,
        actor: str | None,
        owner_id: int | None,
        owner: str | None,
        job_ids: list[int],
        amount_cents: int | None = None,
        account: str | None = None,
        project_id: int = 0,
        reason: str | None = None,
        previous_owner_id: int | None = None,
    ) -> None:
        """Record one accepted change, in the transaction that makes it."""
        self.execute(
            "INSERT INTO audit (at_us, action, actor_id, actor, owner_id, owner, previous_owner_id,"
            " job_ids, amount_cents, account, project_id, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                to_us(self.store.settings.now()),
                action,
                actor_id,
                actor,
                owner_id,
                owner,
                previous_owner_id,
                json.dumps(job_ids),
                amount_cents,
                account,
                project_id,
                reason,
            ),
        )

    def set_meta(self, key: str, value: bytes) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
