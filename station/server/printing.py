"""Printing that takes time, done lazily.

When jobs are released, each gets a print-done time: the printer of each queue prints one job
after the other, at `print_speed` pages per minute (all copies counted), so a job's done time is
the later of now and the queue's last done time, plus its printing time; but no later than
`max_print_wait` after its release (the printer catches up), whatever the queue holds.

`advance()` runs at the start of every authenticated request: processing jobs past their done
time become `printed` (or `failed`, refunded, with an audit entry `refund`, when their name
contains `fail_prints_named`), and pending jobs past `expiresAt` become `expired` (never
charged). Everything lives in the database, so this survives a restart.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from station.server.store import Store, Tx, WouldWait
from station.server.times import seconds, to_us


def print_duration_us(pages: int, print_speed: float) -> int:
    speed = print_speed if print_speed > 0 else 30.0
    return max(1_000_000, math.ceil(pages / speed * 60 * 1_000_000))


def schedule(db: Tx, queue: str, pages: int, now_us: int) -> int:
    """The done time of a job about to print on `queue`: after the queue's earlier jobs, but never
    later than `max_print_wait` from now, so no pile of jobs (nor a clock an older server left far
    ahead) keeps a job from printing or runs the clock past what the database holds."""
    settings = db.store.settings
    busy_until = db.scalar(
        "SELECT MAX(print_done_us) FROM jobs WHERE state = 'processing' AND queue = ?", (queue,)
    )
    latest = now_us + int(seconds(settings.max_print_wait) * 1_000_000)
    start = min(max(now_us, busy_until or 0), latest)
    return min(start + print_duration_us(pages, settings.print_speed), latest)


_DUE_SQL = (
    "SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'processing' AND print_done_us <= ?)"
    " OR EXISTS (SELECT 1 FROM jobs WHERE state IN ('ready', 'paused') AND expires_us <= ?)"
)


def advance(store: Store) -> None:
    """Move time on: finish printing, expire what waited too long."""
    with current(store):
        pass


@contextmanager
def current(store: Store, *, wait: bool = True) -> Iterator[Tx]:
    """A read transaction in which printing and expiry have moved on: `advance` and the read in
    one transaction when nothing is due (the usual case), else the change first, then the read.
    `wait=False` (on the event loop): `WouldWait` rather than wait, or write."""
    now_us = to_us(store.settings.now())
    with store.read(wait=wait) as db:
        if not db.scalar(_DUE_SQL, (now_us, now_us)):
            yield db
            return
    if not wait:
        raise WouldWait
    with store.tx() as db:
        _advance(db, now_us)
    with store.read() as db:
        yield db


def _advance(db: Tx, now_us: int) -> None:
    fail_text = (db.store.settings.fail_prints_named or "").casefold()
    done = db.all(
        "SELECT j.*, u.username AS owner_name FROM jobs j JOIN users u ON u.id = j.owner_id"
        " WHERE j.state = 'processing' AND j.print_done_us <= ? ORDER BY j.print_done_us, j.id",
        (now_us,),
    )
    for job in done:
        if fail_text and fail_text in job["name"].casefold():
            db.execute(
                "UPDATE jobs SET state = 'failed', version = version + 1 WHERE id = ?", (job["id"],)
            )
            charged = job["charged_cents"] or 0
            if charged and job["charged_account"]:
                db.execute(
                    "UPDATE accounts SET balance_cents = balance_cents + ?"
                    " WHERE user_id = ? AND id = ? AND balance_cents IS NOT NULL",
                    (charged, job["owner_id"], job["charged_account"]),
                )
            db.audit(
                action="refund",
                actor_id=None,
                actor=None,
                owner_id=job["owner_id"],
                owner=job["owner_name"],
                job_ids=[job["id"]],
                amount_cents=charged,
                account=job["charged_account"],
                project_id=job["project_id"],
                reason="The job failed to print.",
            )
        else:
            db.execute(
                "UPDATE jobs SET state = 'printed', version = version + 1 WHERE id = ?",
                (job["id"],),
            )
    db.execute(
        "UPDATE jobs SET state = 'expired', interaction = 0, version = version + 1"
        " WHERE state IN ('ready', 'paused') AND expires_us <= ?",
        (now_us,),
    )
