"""The station as a Textual app: the login screen, then one person's jobs, then login again.

`StationApp(connect)` takes a function that makes a fresh `StationClient` for each login
session, so that nothing of one person's session (tokens, connections) outlives their logout.
Everything else is a keyword with a default; modes built later (kiosk, helpdesk, settings) add
keywords, they do not change these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from textual import events, on
from textual.app import App
from textual.binding import Binding

from station.api.client import StationClient
from station.api.models import JobList
from station.config import Settings
from station.ui.context import Context, Demo, Pacing
from station.ui.demo import DEMO_BINDINGS
from station.ui.kiosk import KIOSK_BINDINGS, IdleWatch, apply_theme
from station.ui.messages import LogoutRequested, SessionEnded
from station.ui.modes import ModesMixin
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen
from station.ui.session import Session, close_client
from station.ui.styles import stylesheets


class StationApp(ModesMixin, App[None]):
    """A print release station."""

    TITLE = "Station"
    CSS_PATH = stylesheets()
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit", show=False, priority=True, id="app.quit"),
        *KIOSK_BINDINGS,  # kiosk and demo keys: modes.py
        *DEMO_BINDINGS,
    ]
    retry_backoff: tuple[float, float] = (1.0, 30.0)  # first and longest wait between retries (s)

    def __init__(
        self,
        connect: Callable[[], StationClient],
        *,
        settings: Settings | None = None,
        demo: bool = False,
        refresh_interval: float | None = None,
        clock: Callable[[], datetime] | None = None,
        demo_logins: list[tuple[str, str]] | None = None,
        poll_interval: float = 1.0,
        cursor_blink: bool = True,
        demo_reset: Callable[[], None] | None = None,
        idle_scale: float = 1.0,
        **kwargs: Any,
    ) -> None:
        """
        Args:
            connect: makes a fresh client for each login session.
            settings: the station's settings (kiosk, helpdesk, theme, ...); defaults when None.
            demo: show a DEMO marker, and the demo logins on the login screen.
            refresh_interval: seconds between quiet refreshes of the job list (overrides settings).
            clock: now, as an aware datetime (tests fix it); the system clock when None.
            demo_logins: (who, how) pairs listed on the login screen in demo mode.
            poll_interval: seconds between looks at the state of jobs being printed.
            cursor_blink: blink the cursor of text fields (off for deterministic screenshots).
            demo_reset: puts the demo data back as seeded (F5 in a demo); `station demo` hands it in.
            idle_scale: real seconds per kiosk second (idle logout, logout after release); tests shrink it.
            kwargs: passed to `textual.app.App`.
        """
        super().__init__(**kwargs)
        self.connect = connect
        self.settings = settings or Settings()
        self.demo = demo
        self.refresh_interval = refresh_interval or self.settings.refresh_interval
        self.clock = clock
        self.demo_logins = list(demo_logins or [])
        self.poll_interval = poll_interval
        self.cursor_blink = cursor_blink
        self.demo_reset = demo_reset
        self.idle_scale = idle_scale
        self.idle = IdleWatch(self, timeout=self.settings.idle_timeout, scale=idle_scale)
        self.use_command_palette = not self.settings.kiosk
        self._release_timer: Any = None
        self._admin_misses = 0
        self._sighup = False

    def now(self) -> datetime:
        return self.clock() if self.clock is not None else datetime.now(UTC)

    def on_mount(self) -> None:
        apply_theme(self)
        self.start_modes()
        self.push_screen(LoginScreen())

    async def on_unmount(self) -> None:
        self.stop_modes()
        session, self.helpdesk_session = getattr(self, "helpdesk_session", None), None
        if session is not None:  # quitting with the helpdesk logged in ends its session too
            await close_client(session.client, revoke=True, timeout=2)

    async def on_event(self, event: events.Event) -> None:
        """Every key and click passes here: the kiosk's idle count starts again."""
        if self.activity(event):
            return  # it closed the idle warning, and does nothing else
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.check_mode_action(action)

    # --- sessions -------------------------------------------------------------------------------

    def start_session(self, session: Session, jobs: JobList) -> None:
        """Logged in: the login screen gives way to this person's jobs (the helpdesk: people)."""
        if self.settings.helpdesk:
            from station.ui.screens.helpdesk import HelpdeskScreen

            self.helpdesk_session = session  # until the App holds every session (house-app)
            self.switch_screen(HelpdeskScreen(self.context, session))
            return
        self.switch_screen(JobsScreen(session, jobs))

    def show_login(self, message: str = "", *, error: bool = False) -> None:
        """Back to a fresh login screen; every screen of the session above it goes."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen(message, error=error))

    def end_session(self, message: str, *, error: bool = True) -> None:
        """The session ended under us (expired, revoked): drop it and ask for a login."""
        self.run_worker(self._end_session(message, error), group="end-session", exclusive=True, exit_on_error=False)

    async def _end_session(self, message: str, error: bool, *, revoke: bool = False) -> None:
        for screen in list(self.screen_stack):
            close = getattr(screen, "close_session", None)  # jobs, and the helpdesk's people
            if close is not None:
                await close(revoke=revoke)
        session, self.helpdesk_session = getattr(self, "helpdesk_session", None), None
        if session is not None and not await close_client(session.client, revoke=revoke) and revoke:
            message = "You are logged out here; the print server could not be told."
        self.show_login(message, error=error)

    # Bridges until house-app's App: the context it hands screens, the messages screens post.
    @property
    def context(self) -> Context:
        demo = Demo(logins=self.demo_logins, reset=self.demo_reset) if self.demo else None
        pacing = Pacing(self.clock, self.refresh_interval, self.poll_interval, self.retry_backoff, self.idle_scale)
        return Context(self.settings, demo, pacing)

    @on(LogoutRequested)
    def _logout_requested(self, message: LogoutRequested) -> None:
        self.run_worker(self._end_session(message.why, message.error, revoke=True), group="end-session", exit_on_error=False)

    @on(SessionEnded)
    def _session_ended(self, message: SessionEnded) -> None:
        self.end_session(message.why, error=message.error)
