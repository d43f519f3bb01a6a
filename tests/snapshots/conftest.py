"""Fixtures of the SVG snapshots: the app on the embedded server, both on one fixed clock.

The demo seed dates its jobs from the server's clock, and the app says "12 min ago" from its
own: both read the same `FakeClock` (tests/conftest.py), which never moves here. No cursor
blink, no animation, no quiet refresh: the same picture every run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from station.api.client import StationClient
from station.ui.app import StationApp
from station.ui.context import Demo, Pacing
from station.ui.screens.jobs import JobsScreen
from tests_support import without_undo

from .support import until

from station.server.seed import DEMO_LOGINS


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor draws differently from one frame to the next: off in every snapshot."""
    monkeypatch.setattr(Input, "cursor_blink", False)


def demo_station(connect: Callable[[], StationClient], clock: Any, **options: Any) -> StationApp:
    """The app as `station demo` shows it, on the fixed clock, without quiet refreshes.
    `idle_scale=` shrinks kiosk seconds; `demo=False` shows it outside a demo."""
    pacing = Pacing(clock=clock, refresh_interval=3600, idle_scale=options.pop("idle_scale", 1.0))
    demo = Demo(logins=DEMO_LOGINS) if options.pop("demo", True) else None
    options["settings"] = without_undo(options.get("settings"))  # sent at once, as the pictures show
    ui = StationApp(connect, demo=demo, pacing=pacing, **options)
    ui.animation_level = "none"
    return ui


@pytest.fixture
def station(app: Any, clock: Any) -> Callable[..., StationApp]:
    def build(**options: Any) -> StationApp:
        def connect() -> StationClient:
            return StationClient("http://station.test", transport=httpx.ASGITransport(app=app))

        return demo_station(connect, clock, **options)

    return build


@pytest.fixture
def logged_in() -> Callable[..., Callable[[Pilot], Awaitable[None]]]:
    """`run_before=logged_in("1234", "space", ..., then=SomeModal)`: log in, press keys, wait."""

    def steps(secret: str = "1234", *keys: str, then: type | None = None) -> Callable[[Pilot], Awaitable[None]]:
        async def run_before(pilot: Pilot) -> None:
            await until(pilot, lambda: pilot.app.screen.query("#secret"))
            pilot.app.screen.query_one("#secret", Input).value = secret
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen))
            await until(pilot, lambda: pilot.app.screen.query_one("#jobs").row_count == len(pilot.app.screen.jobs))
            await pilot.press(*keys)
            await pilot.app.workers.wait_for_complete() if then is None else None
            if then is not None:
                await until(pilot, lambda: isinstance(pilot.app.screen, then))
            await pilot.pause()

        return run_before

    return steps
