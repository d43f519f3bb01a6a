"""SQLite storage of the embedded server.

Every change runs in one `BEGIN IMMEDIATE` transaction (`with store.tx() as db:`), so a request
either changes everything it says or nothing. A database file has a pool of connections, one per
request running at once, so requests in threads wait for each other only at SQLite's write lock,
as other processes on the same file do; an in-memory database is one connection that requests
take in turn. WAL mode with `synchronous=NORMAL`: a committed change survives a restart of the
process. Money is stored as integer cents, times as integer microseconds since the epoch (UTC),
secrets only as keyed hashes whose key is outside the database (`keys.py`), passwords also
scrypted. The tables are in `schema.py`, which also upgrades a database of an older station.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from station.server import keys, seed
from station.server.schema import CHANGE_TRIGGERS, SCHEMA, SCHEMA_VERSION, VERSION_TRIGGER, upgrade_from_1
from station.server.settings import ServerSettings
from station.server.token_cache import TokenCache
from station.server.times import from_us, seconds, to_us

__all__ = ["Store", "StoreError", "Tx", "WouldWait", "from_us", "key_path", "seconds", "to_us"]

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


class Store:
    """The server's database. Use `tx()` for anything that writes, `read()` for reads."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.path = settings.db
        self.password_cost = settings.password_cost
        self._memory = self.path == ":memory:"
        self._lock = threading.RLock()  # guards the one connection of an in-memory database
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        # Connections that never wait for a lock (busy_timeout 0): reads on the event loop.
        self._idle_nowait: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._closed = False
        self.in_use = 0
        """Connections lent out right now: requests inside the database at this moment."""
        self.token_cache = TokenCache()
        """Callers of recently checked access tokens (`auth.authenticate`)."""
        self.job_json: dict[tuple[int, int, int], bytes] = {}
        """The wire JSON of jobs by (id, version, submitted_us): `jobs/rows.py`."""
        self.job_pages: dict[tuple, tuple[int, bytes, int]] = {}
        """Pages of jobs by their query: (jobs_changes.n when read, the jobs' JSON, count): `jobs/queries.py`."""
        # The first connection: the only one of an in-memory database; a file's joins the pool.
        self.conn = self._connect()
        if not self._memory:
            self._idle.put(self.conn)
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _connect(self, *, wait: bool = True) -> sqlite3.Connection:
        timeout = 10.0 if wait else 0.0
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=timeout)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _open(self) -> None:
        settings = self.settings
        if not self._memory:
            self.conn.execute("PRAGMA journal_mode = WAL")
        with self.tx() as db:
            db.executescript_in_tx(SCHEMA)
            db.execute(VERSION_TRIGGER)
            for trigger in CHANGE_TRIGGERS:
                db.execute(trigger)
            salt = db.meta("salt")
            if salt is None:
                salt = secrets.token_bytes(32)
                db.set_meta("salt", salt)
            signing = settings.secret_key or db.meta("secret_key")
            if signing is None:
                signing = secrets.token_bytes(32)
                db.set_meta("secret_key", signing)
            self.salt: bytes = bytes(salt)
            self.secret_key: bytes = bytes(signing)
            version = db.meta("schema")
            if version not in (None, b"1", SCHEMA_VERSION.encode()):
                raise StoreError(
                    f"The database {self.path} was made by a newer station (schema"
                    f" {version.decode(errors='replace')[:20]}); this one reads schema {SCHEMA_VERSION}."
                )
            self._key = self._load_key(db, version)
            if version == b"1":
                upgrade_from_1(
                    db.conn,
                    rewrap=lambda old: keys.keyed(self._key, old),
                    password=lambda old: keys.password_hash(keys.keyed(self._key, old), self.password_cost),
                )
            db.set_meta("schema", SCHEMA_VERSION.encode())
            db.set_meta("key_check", keys.key_check(self._key))
            fresh = db.meta("seeded") is None
        if fresh and settings.seed == "demo":
            self.reset_to_seed()

    def _load_key(self, db: Tx, version: bytes | None) -> bytes:
        """The key of the secret hashes: from the key file (made on first start), or in memory."""
        path = key_path(self.settings)
        if path is None:
            return secrets.token_bytes(keys.KEY_BYTES)
        try:
            key = keys.load_or_create_key(path, create=version != SCHEMA_VERSION.encode())
        except keys.KeyFileError as exc:
            raise StoreError(str(exc)) from None
        check = db.meta("key_check")
        if check is not None and not hmac.compare_digest(check, keys.key_check(key)):
            raise StoreError(f"The key file {path} does not belong to the database {self.path}.")
        return key

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error."""
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self, conn)
                conn.execute("COMMIT")
            except BaseException:
                rollback(conn)
                raise

    @contextmanager
    def read(self, *, wait: bool = True) -> Iterator[Tx]:
        """A consistent read (a deferred transaction, always rolled back).

        `wait=False`, for a read on the event loop: `WouldWait` instead of waiting for anything
        (the in-memory database in use by another request; a lock SQLite holds elsewhere), so
        the caller can do it in a thread instead. Only for reads that change nothing."""
        with self._connection(wait=wait) as conn:
            conn.execute("BEGIN")
            try:
                yield Tx(self, conn)
            except sqlite3.OperationalError as exc:
                if wait or not ("locked" in str(exc) or "busy" in str(exc)):
                    raise
                raise WouldWait from exc
            finally:
                rollback(conn)

    @contextmanager
    def _connection(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection of this thread's own while the block runs.

        A file has as many as requests run at once (taken from the idle ones, or a new one), so
        requests in threads, like other processes, wait for each other only where SQLite makes
        them: at a write transaction (BEGIN IMMEDIATE, up to `busy_timeout`). An in-memory
        database exists only in its one connection, which requests take in turn.
        """
        if self._memory:
            if not self._lock.acquire(blocking=wait):
                raise WouldWait
            try:
                with self._lent():
                    self._check_open()
                    yield self.conn
            finally:
                self._lock.release()
            return
        self._check_open()
        idle = self._idle if wait else self._idle_nowait
        try:
            conn = idle.get_nowait()
        except queue.Empty:
            conn = self._connect(wait=wait)
        try:
            with self._lent():
                yield conn
        finally:
            with self._lock:  # not between `close` draining the idle ones and its end
                if self._closed:
                    conn.close()
                else:
                    idle.put(conn)

    @contextmanager
    def _lent(self) -> Iterator[None]:
        with self._lock:
            self.in_use += 1
        try:
            yield
        finally:
            with self._lock:
                self.in_use -= 1

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the store is closed")

    # -- secrets ------------------------------------------------------------------------------

    def hash_secret(self, kind: str, value: str) -> str:
        """A keyed hash of a secret (PIN, card, token, client secret): never stored in plain text.

        The inner HMAC (keyed with the database's own salt) is what schema 1 stored; the outer one
        is keyed with the key file's key, which a copy of the database does not hold.
        """
        inner = hmac.new(self.salt, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
        return keys.keyed(self._key, inner)

    def hash_password(self, username: str, password: str) -> str:
        """The slow, salted hash of a password (scrypt over its keyed hash)."""
        return keys.password_hash(self._password_material(username, password), self.password_cost)

    def password_matches(self, username: str, password: str, stored: str | None) -> bool:
        """Whether `password` is `username`'s; slow on purpose, also when `stored` is None."""
        return keys.password_matches(
            self._password_material(username, password), stored, self.password_cost
        )

    def _password_material(self, username: str, password: str) -> str:
        return self.hash_secret("pwd", f"{username.casefold()}\x00{password}")

    # -- life ---------------------------------------------------------------------------------

    def reset_to_seed(self) -> None:
        """Empty the data set and fill it again per `settings.seed` (the demo data or nothing).

        Login sessions stay: the seeded users get the same ids again, so a logged-in client
        goes on; a session whose user is gone is refused as `invalid_token`.
        """
        with self.tx() as db:
            for table in DATA_TABLES:
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            db.execute("DELETE FROM sqlite_sequence WHERE name IN ('jobs', 'audit')")
            if self.settings.seed == "demo":
                seed.seed_demo(db.conn, self, self.settings)
            db.set_meta("seeded", self.settings.seed.encode())
        self.token_cache.clear()  # the users may have changed under their sessions
        self.job_json.clear()  # the same ids and versions name new jobs
        self.job_pages.clear()

    def close(self) -> None:
        """Close the connections (one still in use is closed when its request is done)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._memory:
                self.conn.close()
            for idle in (self._idle, self._idle_nowait):
                while True:
                    try:
                        idle.get_nowait().close()
                    except queue.Empty:
                        break

    @property
    def closed(self) -> bool:
        return self._closed


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is open. SQLite may have rolled back by itself (a full disk does): then
    there is nothing to do, and the error that did it is the one to report."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


class WouldWait(Exception):
    """A read asked not to wait (`Store.read(wait=False)`) would have had to."""


class StoreError(Exception):
    """The database cannot be used as it is; the message says why in one sentence."""


def key_path(settings: ServerSettings) -> Path | None:
    """Where the key file is: the setting, else beside a database file; None: in memory."""
    if settings.key_file:
        return Path(settings.key_file)
    if settings.db == ":memory:":
        return None
    return Path(settings.db + ".key")


class Tx:
    """The handle of one transaction: thin helpers over the connection."""

    def __init__(self, store: Store, conn: sqlite3.Connection) -> None:
        self.store = store
        self.conn = conn

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
