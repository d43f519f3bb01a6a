"""Settings of the embedded reference server (re-exported as `station.server.app.ServerSettings`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Literal


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
    print_speed: float = 30.0
    """Pages per minute of each queue's printer."""
    lockout_threshold: int = 5
    lockout_window: timedelta = timedelta(minutes=15)
    token_ttl: int = 1800
    """Seconds an access token is valid."""
    refresh_ttl: int = 12 * 3600
    """Seconds a login session (its refresh tokens) is valid, counted from the login."""
    job_ttl: timedelta = timedelta(hours=24)
    """How long an unreleased job waits before it expires (unprinted, uncharged)."""
    client_id: str = "station-demo"
    client_secret: str = "station-demo-secret"
    secret_key: bytes | None = None
    """Key that signs dialog states. None: a random key, kept in the database."""
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
