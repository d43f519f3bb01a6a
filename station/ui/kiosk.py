"""Kiosk mode: nobody leaves the app, and nothing of a person stays after them.

`KioskGuard` is what the App holds in kiosk mode (None elsewhere):

- `IdleWatch`: counts kiosk seconds while someone is logged in; every key or click (the app's
  `on_event`) starts the count again. The last `COUNTDOWN` seconds show `IdleWarning`, which any
  key or click closes; at zero the session ends (revoked on the server, wiped here).
- the admin exit: F10 on the login screen asks for the admin exit PIN in a masked field
  (`AdminExit`); only the right one (compared in constant time, never logged or shown) ends the
  app. A wrong one leaves the dialog open for another try; `ADMIN_TRIES` wrong ones rest it.
- the quit keys and the command palette are off; nothing is copied, and each new person starts
  with an empty clipboard; SIGHUP (the terminal went away) ends the session and the app.
- `HIGH_CONTRAST`: the theme `theme = "high-contrast"` selects (kiosk or not).

The guard knows the App only as a Textual `App` and a few callbacks: it never imports app.py.
`Pacing.idle_scale` is how many real seconds a kiosk second lasts: 1 in use, small in tests.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input, Static

from station.i18n import N_, _, ngettext
from station.ui.modals.base import StationModal
from station.ui.widgets.secret_input import SecretInput

if TYPE_CHECKING:  # pydantic comes after the login screen's first frame (issue 13: startup)
    from station.config import Settings

COUNTDOWN = 10  # seconds of warning before an idle logout
AFTER_PRINTED = 3  # seconds to read "printed" before the logout that follows a release
AFTER_RELEASE_AT_MOST = 20  # ... and at most this long after the release, printed or not
ADMIN_TRIES = 3  # wrong admin PINs before F10 rests for a while
ADMIN_REST = 60

QUIT_ACTIONS = {"quit", "help_quit", "command_palette", "suspend_process"}
NOT_COPIED_AT_KIOSK = N_("Nothing is copied at this kiosk.")
NO_ADMIN_EXIT = N_("This kiosk has no admin exit (setting admin_exit_pin): close its terminal to end it.")
ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)

KIOSK_BINDINGS = [
    Binding("f10", "admin_exit", N_("admin exit"), key_display="F10", id="kiosk.admin_exit"),
    # Without an admin exit PIN, F10 says how this kiosk ends instead (and is not offered).
    Binding("f10", "no_admin_exit", N_("how to leave"), key_display="F10", show=False, id="kiosk.no_admin_exit"),
]

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


def apply_theme(app: App[Any], settings: Settings) -> None:
    if settings.theme == "high-contrast":
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

    def __init__(self, seconds: int, *, stay: Callable[[], object], demo: bool = False) -> None:
        super().__init__(id="idle-warning")
        self.seconds = seconds
        self._stay = stay
        self._demo = demo

    def compose(self) -> ComposeResult:
        with Vertical(id="idle-box") as box:
            box.border_title = _("Still there?")
            yield Static(self._left(), id="idle-left")
            yield Static(Content(_("Press any key or click to stay.")), classes="idle-line")

    def _left(self) -> Content:
        left = ngettext("Logging out in {seconds} second", "Logging out in {seconds} seconds", self.seconds)
        return Content(left.format(seconds=self.seconds))

    def show(self, seconds: int) -> None:
        self.seconds = seconds
        for line in self.query("#idle-left").results(Static):  # none while it is being closed
            line.update(self._left())

    def on_mount(self) -> None:
        if self._demo:
            from station.ui.demo import DemoMarker

            self.mount(DemoMarker())

    def on_mouse_down(self) -> None:  # clicks that reach the screen directly (tests, some drivers)
        self._stay()


AdminAnswer = Literal["right", "wrong", "resting"]


class AdminExit(StationModal[bool]):
    """The admin exit PIN, masked. Answers True for the right PIN; a wrong one is said here and
    the field waits for another try (a retry never falls through to the login field behind)."""

    DEFAULT_CSS = """
    AdminExit #dialog { width: 44; }
    """

    def __init__(self, check: Callable[[str], AdminAnswer]) -> None:
        super().__init__(id="admin-exit")
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Admin exit")
            yield Static(Content(_("The admin PIN ends the station.")))
            yield SecretInput(placeholder=_("Admin PIN"), id="admin-pin", max_length=64)
            yield Static(id="admin-message")
            yield Static(Content(_("Enter exit · Esc back")), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#admin-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed, event.input.value = event.value, ""
        answer = self._check(typed)
        if answer == "wrong":
            refusal = Content.styled(_("Wrong admin PIN. Try again."), "$text-error")
            self.query_one("#admin-message", Static).update(refusal)
            return
        self.dismiss(answer == "right")


class IdleWatch:
    """Counts down while a session is open; `touch()` on every key or click."""

    def __init__(
        self, app: App[Any], *, timeout: int, scale: float, in_session: Callable[[], bool],
        log_out: Callable[[str], None], demo: bool = False,
    ) -> None:
        self.app = app
        self.timeout = timeout
        self.scale = scale
        self.left = timeout
        self.in_session = in_session
        self.log_out = log_out
        self.demo = demo
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
        if not self.in_session():
            self.left = self.timeout
            self._close_warning()
            return
        self.left -= 1
        if self.left <= 0:
            self.left = self.timeout
            self._close_warning()
            self.log_out(_("You were logged out after {timeout} seconds without a key or a click.").format(
                timeout=self.timeout,
            ))
        elif self.left <= COUNTDOWN:
            if self.warning is None or self.warning not in self.app.screen_stack:
                self.warning = IdleWarning(self.left, stay=self.touch, demo=self.demo)
                self.app.push_screen(self.warning)
            else:
                self.warning.show(self.left)


class KioskGuard:
    """Kiosk mode, as an object the App holds: idle logout, admin exit, quit keys off, the
    clipboard, SIGHUP. `in_session`, `log_out` and `hang_up` are the App's."""

    def __init__(
        self, app: App[Any], settings: Settings, *, scale: float, demo: bool,
        in_session: Callable[[], bool], log_out: Callable[[str], None], hang_up: Callable[[], None],
    ) -> None:
        self.app = app
        self.settings = settings
        self.hang_up = hang_up
        self.idle = IdleWatch(
            app, timeout=settings.idle_timeout, scale=scale, in_session=in_session, log_out=log_out, demo=demo
        )
        self.admin_misses = 0
        self._sighup = False

    def start(self) -> None:
        self.idle.start()
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
            self._sighup = True
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            self._sighup = False  # no signals here (Windows, not the main thread)

    def stop(self) -> None:
        if self._sighup:
            try:
                asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            except (RuntimeError, ValueError):
                pass
            self._sighup = False

    def activity(self, event: events.Event) -> bool:
        """A key or click: the person is there. True when it only closed the idle warning."""
        if not isinstance(event, ACTIVITY):
            return False
        return self.idle.touch() and isinstance(event, (events.Key, events.MouseDown))

    @staticmethod
    def allows(action: str) -> bool:
        """No way out of a kiosk by the quit keys or the command palette."""
        return action not in QUIT_ACTIONS

    def copy(self, text: str) -> None:
        """Instead of a copy: nothing goes to the clipboard for the next person to paste."""
        if text:
            self.app.notify(_(NOT_COPIED_AT_KIOSK), markup=False)

    # --- the admin exit ---------------------------------------------------------------------------

    @property
    def has_admin_exit(self) -> bool:
        return self.settings.admin_exit_pin is not None

    def no_admin_exit(self) -> None:
        self.app.notify(_(NO_ADMIN_EXIT), markup=False)

    def admin_exit(self) -> None:
        """F10 on the login screen: the admin PIN dialog."""
        if self.settings.admin_exit_pin is None:
            self.no_admin_exit()
            return
        if self.admin_misses >= ADMIN_TRIES:
            self.app.notify(_("Admin exit rests for {seconds} seconds after {tries} wrong PINs.").format(
                seconds=ADMIN_REST, tries=ADMIN_TRIES,
            ), markup=False)
            return

        def answered(right: bool | None) -> None:
            if right:
                self.app.exit(return_code=0)

        self.app.push_screen(AdminExit(self.check_pin), answered)

    def check_pin(self, typed: str) -> AdminAnswer:
        import hmac  # here: the first frame does not wait for it (startup)

        pin = self.settings.admin_exit_pin
        if pin is not None and hmac.compare_digest(typed.encode("utf-8"), pin.get_secret_value().encode("utf-8")):
            return "right"
        self.admin_misses += 1
        if self.admin_misses < ADMIN_TRIES:
            return "wrong"
        self.app.set_timer(ADMIN_REST, self._admin_rested)
        self.app.notify(_("Wrong admin PIN {tries} times: admin exit rests for {seconds} seconds.").format(
            tries=ADMIN_TRIES, seconds=ADMIN_REST,
        ),
                        severity="error", markup=False)
        return "resting"

    def _admin_rested(self) -> None:
        self.admin_misses = 0
