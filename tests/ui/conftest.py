"""Fixtures of the UI tests: the real app on the real embedded server, in-process.

- `app`, `clock`, `settings` (tests/conftest.py): the server, its fake clock, its settings.
- `server`: the same server in either mode, a test for each: the profile (`app`) and vendor
  mode (`vendor_app`, only what the vendor documents).
- `wire`: the server behind a `Wire` transport: it counts requests and can be cut (`down`).
- `station(**options)`: a `StationApp` on that wire, on the same fake clock, with no quiet
  refresh unless asked, fast progress polling, no cursor blink, no animation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from station.api.client import StationClient
from station.ui.app import StationApp

from .support import Wire


@pytest.fixture(params=["profile", "vendor"])
def server(request: pytest.FixtureRequest, app: Any, vendor_app: Any) -> Any:
    return app if request.param == "profile" else vendor_app


@pytest.fixture
def wire(app: Any) -> Wire:
    return Wire(app)


@pytest.fixture
def connect(wire: Wire) -> Callable[[], StationClient]:
    return lambda: StationClient("http://station.test", transport=wire)


@pytest.fixture
def station(connect: Callable[[], StationClient], clock: Any) -> Callable[..., StationApp]:
    def build(**options: Any) -> StationApp:
        options.setdefault("clock", clock)
        options.setdefault("refresh_interval", 3600)
        options.setdefault("poll_interval", 0.1)
        options.setdefault("cursor_blink", False)
        ui = StationApp(connect, **options)
        ui.animation_level = "none"
        return ui

    return build


@pytest.fixture
def station_on_server(settings: Any, clock: Any):
    """A `StationApp` on a real `EmbeddedServer` (uvicorn on 127.0.0.1), which a test may stop."""
    from station.server.run import EmbeddedServer

    server = EmbeddedServer(settings).start()
    ui = StationApp(
        lambda: StationClient(server.base_url, timeout=2), clock=clock, refresh_interval=3600, cursor_blink=False
    )
    ui.animation_level = "none"
    try:
        yield ui, server
    finally:
        server.stop()
