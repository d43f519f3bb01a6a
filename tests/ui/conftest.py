"""Fixtures of the UI tests: the real app on the real embedded server, in-process.

- `app`, `clock`, `settings` (tests/conftest.py): the server, its fake clock, its settings.
- `server`: the same server in either mode, a test for each: the profile (`app`) and vendor
  mode (`vendor_app`, only what the vendor documents).
- `wire`: the server behind a `Wire` transport: it counts requests and can be cut (`down`).
- `station(**options)`: a `StationApp` on that wire, on the same fake clock, with no quiet
  refresh unless asked, fast progress polling, no animation. Options: `settings`, a `Pacing`
  field by name (`idle_scale=0.1`), the `Demo` (`demo=True`, `demo_logins`, `demo_reset`).
- No text field's cursor blinks (autouse, for every UI test), as harlequin does it: not a
  constructor argument of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from station.api.client import StationClient
from station.ui.app import StationApp
from station.ui.context import Demo, Pacing
from tests_support import without_undo

from .support import Wire


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor draws differently from one frame to the next: off in every UI test."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


def build_station(connect: Callable[[], StationClient], clock: Any, **options: Any) -> StationApp:
    """A `StationApp` for tests: the fake clock, no quiet refresh and fast polling unless asked."""
    pacing = {"clock": clock, "refresh_interval": 3600, "poll_interval": 0.1}
    for name in Pacing.__dataclass_fields__:
        if name in options:
            pacing[name] = options.pop(name)
    demo = None
    if options.pop("demo", False) or "demo_logins" in options or "demo_reset" in options:
        demo = Demo(logins=list(options.pop("demo_logins", [])), reset=options.pop("demo_reset", None))
    options["settings"] = without_undo(options.get("settings"))  # sent at once unless a test says otherwise
    ui = StationApp(connect, demo=demo, pacing=Pacing(**pacing), **options)
    ui.animation_level = "none"
    return ui


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
        return build_station(connect, clock, **options)

    return build


@pytest.fixture
def station_on_server(settings: Any, clock: Any):
    """A `StationApp` on a real `EmbeddedServer` (uvicorn on 127.0.0.1), which a test may stop."""
    from station.server.run import EmbeddedServer

    server = EmbeddedServer(settings).start()
    ui = build_station(lambda: StationClient(server.base_url, timeout=2), clock)
    try:
        yield ui, server
    finally:
        server.stop()
