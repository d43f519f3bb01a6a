"""Settings of the embedded reference server (re-exported as `station.server.app.ServerSettings`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Literal

from station.server.keys import ScryptCost

PRINT_SPEED = 30.0
"""Pages per minute of a printer unless told otherwise: an office printer's pace (`station serve`'s default)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServerSettings:
    """Everything the embedded server can be told. Tests pass a fake `clock`."""

    db: str = ":memory:"
    """A SQLite file path, or ":memory:"."""
    seed: Literal["demo", "none"] = "demo"
    """What a fresh database is filled with. An existing database file is never re-seeded."""
    api: Literal["profile", "vendor"] = "profile"
    """The API it speaks: the whole contract ("profile"), or only what the vendor documents
    (contract 7.1) in the vendor's shapes ("vendor", see `vendor.py`)."""
    print_speed: float = PRINT_SPEED
    """Pages per minute of each queue's printer."""
    seed_language: str = "en"
    """The language the demo data's people speak (their `language`): `station demo --language de`
    is a German demo, after login too."""
    max_job_pages: int = 10_000
    """Printed pages (pages x copies) one job may hold: a bigger job is refused when it is spooled,
    and so are a printer release's `copies` that would make it bigger (422). 5 h 33 min of printing
    at 30 pages a minute."""
    max_print_wait: timedelta = timedelta(hours=6)
    """The longest a released job takes to print, however much is queued before it: a queue's
    printer takes a job late rather than leave it behind days of others' printing."""
    lockout_threshold: int = 5
    """Failed logins within `lockout_window` after which a user name or card is locked for that long
    (the vendor's lock), and after which each further failure from one address slows it down."""
    lockout_window: timedelta = timedelta(minutes=15)
    slowdown_first: float = 1.0
    """Seconds an address waits after its first failure beyond `lockout_threshold`; doubled at
    each further failure, up to `slowdown_cap`."""
    slowdown_cap: float = 60.0
    token_ttl: int = 1800
    """Seconds an access token is valid."""
    refresh_ttl: int = 12 * 3600
    """Seconds a login session (its refresh tokens) is valid, counted from the login."""
    job_ttl: timedelta = timedelta(hours=24)
    """How long an unreleased job waits before it expires (unprinted, uncharged)."""
    client_id: str = "station-demo"
    client_secret: str = "station-demo-secret"
    """The OAuth client that the demo seed registers (contract 6). A database without the demo
    data gets a client `station` with a secret of its own instead (`clients.py`)."""
    secret_key: bytes | None = None
    """Key that signs dialog states. None: a random key, kept in the database."""
    key_file: str | None = None
    """File holding the key of the PIN, card, token and client-secret hashes (made on first
    start, mode 0600). None: the database's path plus ".key"; in memory for ":memory:"."""
    password_cost: ScryptCost = field(default_factory=ScryptCost)
    """scrypt's cost for new password hashes (n=2**14, r=8, p=1: 30-50 ms a check on 2 cores)."""
    fail_prints_named: str | None = None
    """Test and demo setting: a job whose name contains this text fails to print and is refunded."""
    clock: Callable[[], datetime] = field(default=utc_now)
    local_zone: tzinfo | None = None
    """The zone of the vendor mode's `dateTime` (local time, no offset). None: this machine's."""
    currency: str = "EUR"
    price_mono: Decimal = Decimal("0.04")
    price_colour: Decimal = Decimal("0.20")
    price_sheet: Decimal = Decimal("0.02")

    def now(self) -> datetime:
        """The clock's time, always timezone-aware (naive clock values are taken as UTC)."""
        value = self.clock()
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
