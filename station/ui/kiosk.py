"""Kiosk mode: nobody leaves the app, and nothing of a person stays after them.

- `IdleWatch`: counts kiosk seconds while someone is logged in; every key or click (the app's
  `on_event`) starts the count again. The last `COUNTDOWN` seconds show `IdleWarning`, which any
  key or click closes; at zero the session ends (revoked on the server, wiped here).
- `AdminExit`: F10 on the login screen asks for the admin exit PIN in a masked field; only the
  right one (compared in constant time, never logged or shown) ends the app.
- `HIGH_CONTRAST`: the theme `theme = "high-contrast"` selects.

`scale` is how many real seconds a kiosk second lasts: 1 in use, small in tests.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input, Static

from station.ui.modals.base import StationModal
from station.ui.widgets.secret_input import SecretInput

if TYPE_CHECKING:
    from station.ui.app import StationApp

COUNTDOWN = 10  # seconds of warning before an idle logout
AFTER_PRINTED = 3  # seconds to read "printed" before the logout that follows a release
AFTER_RELEASE_AT_MOST = 20  # ... and at most this long after the release, printed or not
ADMIN_TRIES = 3  # wrong admin PINs before F10 rests for a while
ADMIN_REST = 60

HIGH_CONTRAST_NAME = "station-high-contrast"
HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_NAME,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF5F5F",
    success="#5FFF5F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1C1C1C",
    boost="#262626",
    dark=True,
    luminosity_spread=0.25,
    text_alpha=1.0,
    variables={
        "text-muted": "#E0E0E0",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#FFFF00 40%",
    },
)


def apply_theme(app: StationApp) -> None:
    if app.settings.theme == "high-contrast":
        app.register_theme(HIGH_CONTRAST)
        app.theme = HIGH_CONTRAST_NAME


class IdleWarning(ModalScreen[None]):
    """The last seconds before an idle logout, in words and numbers. Any key or click stays."""

    DEFAULT_CSS = """
    IdleWarning {
        align: center middle;
        background: $background 60%;
    }
    IdleWarning #idle-box {
        width: 50;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: thick $warning;
        background: $surface;
    }
    IdleWarning #idle-left {
        text-style: bold;
        text-align: center;
    }
    IdleWarning .idle-line {
        text-align: center;
    }
    """

    def __init__(self, seconds: int) -> None:
        super().__init__(id="idle-warning")
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="idle-box") as box:
            box.border_title = "Still there?"
            yield Static(self._left(), id="idle-left")
            yield Static(Content("Press any key or click to stay."), classes="idle-line")

    def _left(self) -> Content:
        unit = "second" if self.seconds == 1 else "seconds"
        return Content(f"Logging out in {self.seconds} {unit}")

    def show(self, seconds: int) -> None:
        self.seconds = seconds
        if self.is_mounted:
            self.query_one("#idle-left", Static).update(self._left())

    def on_mount(self) -> None:
        if getattr(self.app, "demo", False):
            from station.ui.demo import DemoMarker

            self.mount(DemoMarker())

    def on_mouse_down(self) -> None:  # clicks that reach the screen directly (tests, some drivers)
        self.app.idle.touch()  # type: ignore[attr-defined]


class IdleWatch:
    """Counts down while a session is open; `touch()` on every key or click."""

    def __init__(self, app: StationApp, *, timeout: int, scale: float) -> None:
        self.app = app
        self.timeout = timeout
        self.scale = scale
        self.left = timeout
        self._timer: Timer | None = None
        self.warning: IdleWarning | None = None

    def start(self) -> None:
        self._timer = self.app.set_interval(self.scale, self.tick, name="idle")

    def touch(self) -> bool:
        """Activity: count from the top again. True when that closed the warning."""
        self.left = self.timeout
        return self._close_warning()

    def _close_warning(self) -> bool:
        warning, self.warning = self.warning, None
        if warning is None:
            return False
        if warning.is_attached and warning in self.app.screen_stack:
            warning.dismiss()
        return True

    def tick(self) -> None:
        if not self.app.in_session():
            self.left = self.timeout
            self._close_warning()
            return
        self.left -= 1
        if self.left <= 0:
            self.left = self.timeout
            self._close_warning()
            self.app.log_out(f"You were logged out after {self.timeout} seconds without a key or a click.")
        elif self.left <= COUNTDOWN:
            if self.warning is None or self.warning not in self.app.screen_stack:
                self.warning = IdleWarning(self.left)
                self.app.push_screen(self.warning)
            else:
                self.warning.show(self.left)


class AdminExit(StationModal[bool]):
    """The admin exit PIN, masked. Answers True only for the right PIN."""

    DEFAULT_CSS = """
    AdminExit #dialog { width: 44; }
    """

    def __init__(self, pin: str) -> None:
        super().__init__(id="admin-exit")
        self._pin = pin

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Admin exit"
            yield Static(Content("The admin PIN ends the station."))
            field = SecretInput(placeholder="Admin PIN", id="admin-pin", max_length=64)
            field.cursor_blink = False
            yield field
            yield Static(Content("Enter exit · Esc back"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#admin-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed, event.input.value = event.value, ""
        right = hmac.compare_digest(typed.encode("utf-8"), self._pin.encode("utf-8"))
        self._pin = ""
        self.dismiss(right)


KIOSK_BINDINGS = [
    Binding("f10", "admin_exit", "admin exit", key_display="F10", id="kiosk.admin_exit"),
]
