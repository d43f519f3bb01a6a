"""The database's tables, and the upgrade of a database file of an older station.

Version 1 kept PINs, cards, passwords and tokens as one HMAC whose key (`meta.salt`) was in the
same file. Version 2 keys those hashes again with the key file's key (`keys.py`), scrypts the
passwords, remembers when a refresh token was used (`tokens.used_us`), and registers OAuth
clients (`clients`). The upgrade rewraps what is stored: no secret needs to be known again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = "2"

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
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (owner_id, submitted_us, id, version, state)
    WHERE state IN ('ready','paused');
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
    expires_us INTEGER NOT NULL,
    used_us INTEGER
);
CREATE INDEX IF NOT EXISTS tokens_session ON tokens (session_id);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at_us INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at_us);
CREATE TABLE IF NOT EXISTS lockouts (key TEXT PRIMARY KEY, until_us INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs_changes (n INTEGER NOT NULL);
INSERT INTO jobs_changes (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM jobs_changes);
"""


VERSION_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS jobs_version AFTER UPDATE ON jobs
WHEN NEW.version = OLD.version
BEGIN
    UPDATE jobs SET version = version + 1 WHERE id = NEW.id;
END
"""
"""Every change of a job row bumps its `version`, whichever path (or process) forgets to: the
server keeps each job's JSON by (id, version) (`jobs/rows.py`). Run on its own: its body holds a
`;`, which `Tx.executescript_in_tx` would split on."""

CHANGE_TRIGGERS = tuple(
    f"""
CREATE TRIGGER IF NOT EXISTS jobs_changes_{event.lower()} AFTER {event} ON jobs
BEGIN
    UPDATE jobs_changes SET n = n + 1;
END
"""
    for event in ("INSERT", "UPDATE", "DELETE")
)
"""Every insert, change or delete of a job, in any process, counts in `jobs_changes.n`: the server
keeps a page of jobs with the count it was read at (`jobs/queries.py`). Run one by one, as
`VERSION_TRIGGER`."""


def upgrade_from_1(
    conn: sqlite3.Connection, rewrap: Callable[[str], str], password: Callable[[str], str]
) -> None:
    """Bring a version 1 database to version 2, inside the caller's transaction.

    `rewrap(old)` keys a version 1 hash with the key file; `password(old)` makes the slow hash of
    a version 1 password hash. Lockout counts keep counting: their name and card keys are
    rewrapped too.
    """
    columns = {row[1] for row in conn.execute("PRAGMA table_info(tokens)")}
    if "used_us" not in columns:
        conn.execute("ALTER TABLE tokens ADD COLUMN used_us INTEGER")
    users = conn.execute("SELECT id, pin_hash, card_hash, pwd_hash FROM users").fetchall()
    for user_id, pin_hash, card_hash, pwd_hash in users:
        conn.execute(
            "UPDATE users SET pin_hash = ?, card_hash = ?, pwd_hash = ? WHERE id = ?",
            (
                rewrap(pin_hash) if pin_hash else None,
                rewrap(card_hash) if card_hash else None,
                password(pwd_hash) if pwd_hash else None,
                user_id,
            ),
        )
    for (old,) in conn.execute("SELECT hash FROM tokens").fetchall():
        conn.execute("UPDATE tokens SET hash = ? WHERE hash = ?", (rewrap(old), old))
    conn.execute("DELETE FROM lockouts WHERE key LIKE 'addr:%'")  # addresses are slowed now, not locked
    for table in ("login_failures", "lockouts"):  # fixed table names, never input
        for (key,) in conn.execute(f"SELECT DISTINCT key FROM {table}").fetchall():
            kind, _, old = key.partition(":")
            if kind in ("user", "card"):
                conn.execute(f"UPDATE {table} SET key = ? WHERE key = ?", (f"{kind}:{rewrap(old)}", key))
