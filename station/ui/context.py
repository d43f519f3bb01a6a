"""What every screen of the station needs besides the session: the settings, the demo, and the
pacing (clock and intervals). The App builds one `Context` and hands it to each screen it makes;
screens read it instead of reaching into the App.

Tests change the pace through `Pacing`, never through the App's constructor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic comes after the login screen's first frame (issue 13: startup)
    from station.config import Settings


def _default_settings() -> Settings:
    from station.config import Settings

    return Settings()


@dataclass(frozen=True)
class Pacing:
    """How fast the station's clocks run. The defaults are production; tests shrink them."""

    clock: Callable[[], datetime] | None = None  # now, as an aware datetime; the system's when None
    refresh_interval: float | None = None  # seconds between quiet list refreshes; settings' when None
    poll_interval: float = 1.0  # seconds between looks at jobs being printed
    retry_backoff: tuple[float, float] = (1.0, 30.0)  # first and longest wait between retries (s)
    idle_scale: float = 1.0  # real seconds per kiosk second (idle logout, logout after release)
    undo_tick: float = 0.25  # seconds between looks at the clock while an undo window counts down

    def now(self) -> datetime:
        return self.clock() if self.clock is not None else datetime.now(UTC)


# A demo login: who, and the ways to log in as them: (kind, what to type), kind one of pin, card,
# user, password (the login screen names the kind in its language).
DemoLogin = tuple[str, Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Demo:
    """A demo's extras: the logins shown on the login screen, and how to put the data back."""

    logins: Sequence[DemoLogin] = field(default_factory=list)
    reset: Callable[[], None] | None = None  # F5: puts the demo data back as seeded


@dataclass(frozen=True)
class Context:
    """Settings, demo (None outside one) and pacing: handed to every screen's constructor."""

    settings: Settings = field(default_factory=_default_settings)
    demo: Demo | None = None
    pacing: Pacing = field(default_factory=Pacing)

    def now(self) -> datetime:
        return self.pacing.now()

    @property
    def refresh_interval(self) -> float:
        return self.pacing.refresh_interval or self.settings.refresh_interval
