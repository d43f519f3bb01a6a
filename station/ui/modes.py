"""The app's side of kiosk and demo mode, mixed into `StationApp` (which holds the state).

Kiosk: idle logout with a countdown, logout after a release, quit keys and the command palette
off, an admin exit PIN on the login screen, SIGHUP (the terminal went away) ends the session
and the app, nothing is copied and each new person starts with an empty clipboard. Demo: F5
puts the demo data back as seeded (through the `demo_reset` callback).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING

from textual import events, work

from station.ui.kiosk import ADMIN_REST, ADMIN_TRIES, AFTER_PRINTED, AFTER_RELEASE_AT_MOST, AdminExit

if TYPE_CHECKING:
    from station.ui.app import StationApp

log = logging.getLogger("station.ui")

QUIT_ACTIONS = {"quit", "help_quit", "command_palette", "suspend_process"}
NOT_COPIED_AT_KIOSK = "Nothing is copied at this kiosk."
ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class ModesMixin:
    """Methods only; `StationApp.__init__` sets the attributes they use."""

    def start_modes(self: StationApp) -> None:
        if self.settings.kiosk:
            self.idle.start()
            try:
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
                self._sighup = True
            except (NotImplementedError, RuntimeError, ValueError, AttributeError):
                self._sighup = False  # no signals here (Windows, not the main thread)

    def stop_modes(self: StationApp) -> None:
        if self._sighup:
            try:
                asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            except (RuntimeError, ValueError):
                pass
            self._sighup = False

    def activity(self: StationApp, event: events.Event) -> bool:
        """A key or click: the person is there. True when it only closed the idle warning."""
        if not self.settings.kiosk or not isinstance(event, ACTIVITY):
            return False
        return self.idle.touch() and isinstance(event, (events.Key, events.MouseDown))

    def check_mode_action(self: StationApp, action: str) -> bool | None:
        from station.ui.screens.jobs import JobsScreen
        from station.ui.screens.login import LoginScreen

        if action in QUIT_ACTIONS:
            return not self.settings.kiosk
        if action == "admin_exit":
            return (
                self.settings.kiosk and self.settings.admin_exit_pin is not None
                and isinstance(self.screen, LoginScreen)
            )
        if action == "demo_reset":
            return self.demo and self.demo_reset is not None and isinstance(self.screen, (LoginScreen, JobsScreen))
        return True

    # --- the clipboard --------------------------------------------------------------------------

    def copy_to_clipboard(self: StationApp, text: str) -> None:
        """Every copy passes here (a field's ctrl+c and ctrl+x, text selected on the screen): at a
        kiosk nothing is copied, to the station's clipboard or the terminal's, for the next person
        to paste."""
        if self.settings.kiosk:
            if text:
                self.notify(NOT_COPIED_AT_KIOSK, markup=False)
            return
        super().copy_to_clipboard(text)  # type: ignore[misc]

    def wipe_clipboard(self: StationApp) -> None:
        """At a kiosk, empty the station's clipboard and the terminal's (OSC 52), whatever put
        something there: the login screen does this for every new person."""
        if self.settings.kiosk:
            super().copy_to_clipboard("")  # type: ignore[misc]

    def in_session(self: StationApp) -> bool:
        from station.ui.screens.jobs import JobsScreen

        return any(isinstance(screen, JobsScreen) for screen in self.screen_stack)

    def log_out(self: StationApp, message: str) -> None:
        """End the session: revoke it on the server, wipe it here, back to the login screen."""
        self._cancel_release_timer()
        self.run_worker(
            self._end_session(message, False, revoke=True), group="end-session", exclusive=True, exit_on_error=False
        )

    # --- logout after a release -------------------------------------------------------------------

    def release_started(self: StationApp) -> None:
        if self.settings.logout_after_release:
            self._cancel_release_timer()
            self._release_timer = self.set_timer(AFTER_RELEASE_AT_MOST * self.idle_scale, self._after_release)

    def release_printed(self: StationApp) -> None:
        if self.settings.logout_after_release:
            self._cancel_release_timer()
            self._release_timer = self.set_timer(AFTER_PRINTED * self.idle_scale, lambda: self._after_release(True))

    def _cancel_release_timer(self: StationApp) -> None:
        if self._release_timer is not None:
            self._release_timer.stop()
            self._release_timer = None

    def _after_release(self: StationApp, printed: bool = False) -> None:
        self._release_timer = None
        if self.in_session():
            done = "Your jobs are printed." if printed else "Your jobs are printing."
            self.log_out(f"{done} You are logged out: see you next time.")

    # --- the admin exit ---------------------------------------------------------------------------

    def action_admin_exit(self: StationApp) -> None:
        pin = self.settings.admin_exit_pin
        if not self.settings.kiosk or pin is None:
            return
        if self._admin_misses >= ADMIN_TRIES:
            self.notify(f"Admin exit rests for {ADMIN_REST} seconds after {ADMIN_TRIES} wrong PINs.", markup=False)
            return

        def answered(right: bool | None) -> None:
            if right:
                self.exit(return_code=0)
            elif right is False:
                self._admin_misses += 1
                if self._admin_misses >= ADMIN_TRIES:
                    self.set_timer(ADMIN_REST, self._admin_rested)
                self.notify("Wrong admin PIN.", severity="error", markup=False)

        self.push_screen(AdminExit(pin.get_secret_value()), answered)

    def _admin_rested(self: StationApp) -> None:
        self._admin_misses = 0

    # --- SIGHUP -----------------------------------------------------------------------------------

    def hang_up(self: StationApp) -> None:
        """The terminal went away: end the session on the server, then the app."""
        self._hang_up()

    @work(group="hang-up", exclusive=True, exit_on_error=False)
    async def _hang_up(self: StationApp) -> None:
        await self.close_session(revoke=True, timeout=2)
        self.exit(return_code=129)

    # --- demo reset -------------------------------------------------------------------------------

    def action_demo_reset(self: StationApp) -> None:
        if self.demo and self.demo_reset is not None:
            self._demo_reset()

    @work(group="demo-reset", exclusive=True, exit_on_error=False)
    async def _demo_reset(self: StationApp) -> None:
        reset = self.demo_reset
        assert reset is not None
        try:
            await asyncio.to_thread(reset)
        except Exception:
            log.exception("demo reset failed")
            self.notify("The demo data could not be reset.", severity="error", markup=False)
            return
        await self.close_session(revoke=True)
        self.show_login("The demo data is back as it was. Log in again.")
