"""Failed logins: the vendor's lock of a named identity, and a slow-down per client address.

- A user name or a card (an *identity*) with `lockout_threshold` failures within
  `lockout_window` is locked for `lockout_window`: 429 `locked_out` even for the right login, as
  the vendor's own server does (5 failures, 15 minutes).
- An address is never locked: kiosks behind one NAT share it, and one person's typing must not
  shut out the next. After `lockout_threshold` failures within the window, each further failure
  makes the address wait before its next login is answered: `slowdown_first` seconds, twice as
  long at each further failure, at most `slowdown_cap` (429 `locked_out` with `Retry-After`). A
  right login from there gets in as soon as the wait is over; a guesser gets about 10 answers
  in 15 s and, with the defaults (5, 15 min, 1 s, 60 s), at most 70 in the first hour and 60 in
  each hour after.

Every failure is a row in `login_failures`, so all of it survives a restart. A login attempt
is counted as a failure *before* its secret is checked (`record_failure`) and forgiven once it
proves right (`forgive`): requests racing each other each see the others' attempts.
"""

from __future__ import annotations

import math

from station.api.models import LoginInfo, Reason
from station.server.errors import Problem
from station.server.settings import ServerSettings
from station.server.store import Store, Tx
from station.server.times import seconds

US = 1_000_000


def address_key(address: str) -> str:
    return f"addr:{address}"


def normalize_card(card: str) -> str:
    return card.strip().upper()


def identity_keys(store: Store, info: LoginInfo) -> list[str]:
    """The named identities a login attempt counts against: its user name, its card."""
    keys = []
    if info.user:
        keys.append("user:" + store.hash_secret("lockname", info.user.strip().casefold()))
    if info.card:
        keys.append("card:" + store.hash_secret("card", normalize_card(info.card)))
    return keys


def refuse_if_blocked(
    db: Tx, settings: ServerSettings, address: str, identities: list[str], now_us: int
) -> None:
    """429 `locked_out` while an identity is locked or the address must wait. Writes nothing."""
    wait_us = _address_wait_us(db, settings, address_key(address), now_us)
    if identities:
        marks = ",".join("?" * len(identities))
        until = db.scalar(
            f"SELECT MAX(until_us) FROM lockouts WHERE key IN ({marks}) AND until_us > ?",
            (*identities, now_us),
        )
        if until is not None:
            wait_us = max(wait_us, until - now_us)
    if wait_us > 0:
        wait = max(1, math.ceil(wait_us / US))
        raise Problem(
            429,
            Reason.LOCKED_OUT,
            f"Too many failed logins. Try again in {wait_words(wait)}.",
            headers={"Retry-After": str(wait)},
            retryAfter=wait,
        )


def _address_wait_us(db: Tx, settings: ServerSettings, key: str, now_us: int) -> int:
    window_us = int(seconds(settings.lockout_window) * US)
    counted = db.one(
        "SELECT COUNT(*), MAX(at_us) FROM login_failures WHERE key = ? AND at_us > ?",
        (key, now_us - window_us),
    )
    assert counted is not None  # an aggregate answers one row
    count, last_us = counted
    beyond = count - settings.lockout_threshold
    if beyond <= 0:
        return 0
    delay = min(settings.slowdown_first * 2 ** min(beyond - 1, 32), settings.slowdown_cap)
    return last_us + int(delay * US) - now_us


def record_failure(db: Tx, settings: ServerSettings, keys: list[str], now_us: int) -> list[int]:
    """Count a failure against each key; lock the identities among them that reach the
    threshold. The row ids, for `forgive`."""
    window_us = int(seconds(settings.lockout_window) * US)
    db.execute("DELETE FROM login_failures WHERE at_us <= ?", (now_us - window_us,))
    db.execute("DELETE FROM lockouts WHERE until_us <= ?", (now_us,))
    rowids: list[int] = []
    for key in keys:
        rowid = db.execute("INSERT INTO login_failures (key, at_us) VALUES (?, ?)", (key, now_us)).lastrowid
        assert rowid is not None  # sqlite sets it after every INSERT
        rowids.append(rowid)
        if key.startswith("addr:"):
            continue
        failures = db.scalar(
            "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at_us > ?",
            (key, now_us - window_us),
        )
        if failures >= settings.lockout_threshold:
            db.execute(
                "INSERT INTO lockouts (key, until_us) VALUES (?, ?) ON CONFLICT (key)"
                " DO UPDATE SET until_us = MAX(until_us, excluded.until_us)",
                (key, now_us + window_us),
            )
    return rowids


def forgive(db: Tx, rowids: list[int], identities: list[str]) -> None:
    """A login proved right: its own attempt was no failure, and its name and card start afresh.
    (The address keeps its count: knowing one PIN must not buy more guesses at others.)"""
    db.executemany("DELETE FROM login_failures WHERE rowid = ?", [(rowid,) for rowid in rowids])
    if identities:
        marks = ",".join("?" * len(identities))
        db.execute(f"DELETE FROM login_failures WHERE key IN ({marks})", identities)
        db.execute(f"DELETE FROM lockouts WHERE key IN ({marks})", identities)


def wait_words(wait: int) -> str:
    if wait < 90:
        return f"{wait} second" + ("" if wait == 1 else "s")
    return f"{math.ceil(wait / 60)} minutes"
