"""The jobs screen with release options chosen at printer 1, at 100x30 (`--snapshot-update` to
accept): the demo in vendor mode (`station demo --api vendor --printer 1`), alice's Board minutes
switched to 2-sided and her Flyer to black and white, both selected."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from station.api.client import StationClient
from station.config import Settings
from station.server.app import ServerSettings, create_app
from station.ui.app import StationApp
from station.ui.screens.jobs import JobsScreen

from .conftest import demo_station
from .support import until


@pytest.fixture
def utc() -> Iterator[None]:
    """Vendor mode sends times in the server's local time, shown as they came when they fall on the
    station's day: both in UTC here, whatever this machine's zone, so the picture never moves."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def vendor_demo(clock: Any, utc: None) -> Iterator[StationApp]:
    app = create_app(ServerSettings(db=":memory:", seed="demo", clock=clock, api="vendor", local_zone=UTC))
    ui = demo_station(
        lambda: StationClient("http://station.test", transport=httpx.ASGITransport(app=app)), clock,
        settings=Settings(printer="1"),
    )
    yield ui
    app.state.store.close()


async def choose(pilot: Pilot) -> None:
    await until(pilot, lambda: pilot.app.screen.query("#secret"))
    pilot.app.screen.query_one("#secret", Input).value = "1234"
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.query_one("#jobs").row_count == len(screen.jobs))
    await pilot.press("d")  # Board minutes (first): no dialog here, so 2-sided at the printer
    await pilot.app.workers.wait_for_complete()
    await pilot.press("down", "down", "down", "m", "space")  # Flyer: black and white; selected
    await pilot.press("up", "up", "up", "space")  # Board selected too
    await pilot.pause()


def test_jobs_with_options_chosen(snap_compare, vendor_demo):
    assert snap_compare(vendor_demo, run_before=choose, terminal_size=(100, 30))
