"""The station as a Textual app: the login screen, then one person's jobs, then login again.

`StationApp(connect)` takes a function that makes a fresh `StationClient` for each login
session, so that nothing of one person's session (tokens, connections) outlives their logout.

The App is the only place that knows every screen and the only holder of the `Session`:
"logged in" means `self.session is not None`. Screens never call the App: they post a message
(`station.ui.messages`) and the App handles it here with `@on`. Ending a session (revoke, close
the client, drop it) happens in one place, `close_session`, whoever asks: the person's `l`, the
idle logout, the logout after a release, SIGHUP, the demo reset, the app quitting.

Nothing in `station/` imports this module but the entry points (`cli.py`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App
from textual.binding import Binding

from station.config_sources import SettingsError
from station.i18n import N_, _, normalize, set_language
from station.ui.context import Context, Demo, Pacing
from station.ui.demo import DEMO_BINDINGS
from station.ui.kiosk import (
    AFTER_PRINTED,
    AFTER_RELEASE_AT_MOST,
    KIOSK_BINDINGS,
    KioskGuard,
    apply_theme,
)
from station.ui.messages import (
    LoggedIn,
    LogoutRequested,
    ReleasePrinted,
    ReleaseStarted,
    SessionEnded,
)
from station.ui.screens.login import LoginScreen
from station.ui.warmup import all_styles, first_frame_stylesheets, prepare

if TYPE_CHECKING:
    from station.api.client import StationClient
    from station.api.models import JobList
    from station.config import Settings
    from station.ui.modals.receipt import ReceiptModal
    from station.ui.receipt import Receipt
    from station.ui.session import Session

log = logging.getLogger("station.ui")

HANG_UP_RETURN_CODE = 129  # 128 + SIGHUP, as a shell reports a process the signal ended
REVOKE_WHEN_LEAVING = 2.0  # seconds the server gets to hear of a logout when the app itself ends
RECEIPT_SECONDS = 8.0  # the receipt shown at logout closes by itself after this long

class StationApp(App[None]):
    """A print release station."""

    TITLE = "Station"
    CSS_PATH = first_frame_stylesheets()
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("quit"), key_display="ctrl+q", show=False, priority=True, id="app.quit"),
        # F1 works on every screen and in every dialog, even with a text field focused;
        # `?` only where no text field takes it as a character.
        Binding("f1", "help", N_("help"), key_display="F1", show=False, priority=True, id="app.help"),
        Binding("question_mark", "help", N_("help"), key_display="?", show=False, id="app.help_question_mark"),
        *KIOSK_BINDINGS,
        *DEMO_BINDINGS,
    ]

    def __init__(
        self,
        connect: Callable[[], StationClient],
        *,
        settings: Settings | None = None,
        demo: Demo | None = None,
        pacing: Pacing | None = None,
        check_settings: Callable[[], object] | None = None,
        **kwargs: Any,
    ) -> None:
        """
        Args:
            connect: makes a fresh client for each login session.
            settings: the station's settings (kiosk, helpdesk, theme, keymap, ...); defaults when None.
            demo: a demo's logins and reset (a DEMO marker shows); None outside a demo.
            pacing: clock and intervals; production's when None (tests shrink them).
            check_settings: checks `settings` right after the first frame, which was drawn before
                they were checked (`station.config_sources.CheckedLater`); a SettingsError ends
                the app with status 2 and is kept in `settings_error` for the command line to say.
            kwargs: passed to `textual.app.App`.
        """
        super().__init__(**kwargs)
        self.connect = connect
        if settings is None:
            from station.config import Settings

            settings = Settings()
        self.settings = settings
        self._check_settings = check_settings
        self.settings_error: SettingsError | None = None
        set_language(self.settings.language)  # the station's; a person's own for their session
        self.demo = demo
        self.context = Context(settings=self.settings, demo=demo, pacing=pacing or Pacing())
        self.session: Session | None = None
        self.kiosk: KioskGuard | None = None
        if self.settings.kiosk:
            self.kiosk = KioskGuard(
                self, self.settings, scale=self.context.pacing.idle_scale, demo=demo is not None,
                in_session=lambda: self.session is not None, log_out=self.log_out, hang_up=self.hang_up,
            )
        self.use_command_palette = self.kiosk is None
        self._release_timer: Any = None
        self._logout_receipt: ReceiptModal | None = None  # the receipt shown while a logout waits
        self._sending = False  # a logout sends what waits in an undo window first

    def on_mount(self) -> None:
        apply_theme(self, self.settings)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if self.kiosk is not None:
            self.kiosk.start()
        self.push_screen(self._login_screen())
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """The settings checked (if the first frame was drawn before), then what comes later prepared."""
        if self._check_settings is not None:
            try:
                self._check_settings()
            except SettingsError as error:
                self.settings_error = error
                self.exit(return_code=2)
                return
            self._check_settings = None
        prepare(self, self.settings.verify)

    async def on_unmount(self) -> None:
        """The app ends with someone logged in: end their session on the server too."""
        if self.kiosk is not None:
            self.kiosk.stop()
        await self.close_session(timeout=REVOKE_WHEN_LEAVING)

    async def on_event(self, event: events.Event) -> None:
        """Every key and click passes here: the kiosk's idle count starts again."""
        if self.kiosk is not None and self.kiosk.activity(event):
            return  # it closed the idle warning, and does nothing else
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.kiosk is not None and not self.kiosk.allows(action):
            return False
        if action in ("admin_exit", "no_admin_exit"):  # on the login screen only
            has_exit = self.kiosk is not None and self.kiosk.has_admin_exit
            return self.kiosk is not None and self.session is None and has_exit == (action == "admin_exit")
        if action == "demo_reset":
            can_reset = self.demo is not None and self.demo.reset is not None
            return can_reset and (self.session is None or not self.settings.helpdesk)
        return True

    # --- sessions ---------------------------------------------------------------------------------

    def _login_screen(self, message: str = "", *, error: bool = False) -> LoginScreen:
        if self.kiosk is not None:
            self.wipe_clipboard()  # nothing of the last person can be pasted by the next
        return LoginScreen(self.context, self.connect, message, error=error)

    @on(LoggedIn)
    def _logged_in(self, message: LoggedIn) -> None:
        """The login screen gives way to this person's jobs (the helpdesk: people)."""
        from station.api.models import JobList
        from station.ui.screens.helpdesk import HelpdeskScreen
        from station.ui.screens.jobs import JobsScreen

        all_styles(self)
        self.session = message.session
        if normalize(message.session.user.language):  # the person's own (from the print server)
            set_language(message.session.user.language)
        if self.kiosk is not None:
            self.kiosk.idle.touch()
        if not self.settings.helpdesk:  # the helpdesk acts for others: no receipt of its own
            message.session.receipt = self._new_receipt(message.jobs)
        if self.settings.helpdesk:
            self.switch_screen(HelpdeskScreen(self.context, message.session))
        else:
            self.switch_screen(JobsScreen(self.context, message.session, message.jobs or JobList(jobs=[], count=0)))

    @on(LogoutRequested)
    def _logout_requested(self, message: LogoutRequested) -> None:
        self.log_out(message.why, error=message.error)

    @on(SessionEnded)
    def _session_ended(self, message: SessionEnded) -> None:
        """The server ended the session under us (expired, revoked): nothing to revoke."""
        self._end_session(message.why, error=message.error, revoke=False)

    def _new_receipt(self, jobs: JobList | None) -> Receipt:
        """The receipt of a session that starts, with the jobs as they arrived."""
        from station.ui.receipt import Receipt

        receipt = Receipt(self.context.now, co2e_grams_per_sheet=self.settings.co2e_grams_per_sheet,
                          mask_names=bool(self.settings.mask_job_names))
        receipt.seen(jobs.jobs if jobs is not None else [])
        return receipt

    def log_out(self, why: str, *, error: bool = False) -> None:
        """End the session: revoke it on the server, wipe it here, back to the login screen."""
        self._end_session(why, error=error, revoke=True)

    @work(group="end-session", exit_on_error=False)
    async def _end_session(self, why: str, *, error: bool, revoke: bool) -> None:
        from station.ui.modals.receipt import ReceiptModal

        if self.session is None:
            return  # already ended (an idle logout and a logout after release, say): the first says why
        if self._logout_receipt is not None or self._sending:
            if self._logout_receipt is not None:
                self._logout_receipt.action_close()  # a second ending (the idle logout, say) while it shows:
            return  # the first goes on and ends the session
        if revoke:  # a release or cancel in its undo window goes first: the person asked for it
            self._sending = True
            try:
                await self.send_waiting()
            finally:
                self._sending = False
            if self.session is None:
                return  # ended meanwhile (the server ended it, the app quit)
        else:
            why = self._not_sent(why)
        self._cancel_release_timer()
        receipt = self.session.receipt
        if revoke and receipt is not None and receipt.jobs:
            receipt.end()
            all_styles(self)
            self._logout_receipt = ReceiptModal(receipt, close_after=RECEIPT_SECONDS * self.context.pacing.idle_scale)
            try:
                await self.push_screen_wait(self._logout_receipt)
            finally:
                self._logout_receipt = None
            if self.session is None:
                return  # ended meanwhile (the app quit, the demo reset)
        if not await self.close_session(revoke=revoke) and revoke:
            why = _("{why} The print server could not be told.").format(why=why)
        self.show_login(why, error=error)

    async def send_waiting(self) -> None:
        """What waits in an undo window is sent now, before the session ends (logout, idle logout,
        SIGHUP, quit): the person asked for it, and nobody is left to press u."""
        from station.ui.screens.jobs import JobsScreen  # imported after the first frame (startup)

        for screen in list(self.screen_stack):
            if isinstance(screen, JobsScreen):
                await screen.undo.send_now()
                screen.release_flow.follow_released()  # the receipt, before it is shown

    def _not_sent(self, why: str) -> str:
        """The server ended the session: what waited in an undo window can no longer be sent. Said
        by count (the next person at a kiosk reads the login screen)."""
        from station.ui.screens.jobs import JobsScreen

        unsent = [screen.undo.not_sent() for screen in self.screen_stack if isinstance(screen, JobsScreen)]
        return " ".join([why, *filter(None, unsent)])

    async def close_session(self, *, revoke: bool = True, timeout: float = 5) -> bool:
        """The one way a session ends: revoke it (unless told not to), close its client, drop it.
        The screens that showed it wipe themselves as they go. True unless the server could not
        be told."""
        session, self.session = self.session, None
        if session is None:
            return True
        for screen in self.screen_stack[1:]:  # their work for it (a print progress tick, say) stops first:
            self.workers.cancel_node(screen)  # it would ask a closed client; they wipe as they go
        return await session.close(revoke=revoke, timeout=timeout)

    def show_login(self, message: str = "", *, error: bool = False) -> None:
        """Back to a fresh login screen, in the station's language; every screen of the session
        above it goes."""
        set_language(self.settings.language)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(self._login_screen(message, error=error))

    # --- logout after a release ---------------------------------------------------------------------

    @on(ReleaseStarted)
    def _release_started(self) -> None:
        if self.settings.logout_after_release:
            self._logout_after_release(AFTER_RELEASE_AT_MOST, printed=False)

    @on(ReleasePrinted)
    def _release_printed(self) -> None:
        if self.settings.logout_after_release:
            self._logout_after_release(AFTER_PRINTED, printed=True)

    def _logout_after_release(self, kiosk_seconds: float, *, printed: bool) -> None:
        self._cancel_release_timer()
        done = _("Your jobs are printed.") if printed else _("Your jobs are printing.")
        session = self.session  # a release sent as its session ended never logs out the next person

        def log_out() -> None:
            self._release_timer = None
            if self.session is not None and self.session is session:
                self.log_out(_("{done} You are logged out: see you next time.").format(done=done))

        self._release_timer = self.set_timer(kiosk_seconds * self.context.pacing.idle_scale, log_out)

    def _cancel_release_timer(self) -> None:
        if self._release_timer is not None:
            self._release_timer.stop()
            self._release_timer = None

    # --- kiosk: the clipboard, the admin exit, SIGHUP ------------------------------------------------

    def copy_to_clipboard(self, text: str) -> None:
        """Every copy passes here (a field's ctrl+c and ctrl+x, text selected on the screen): at a
        kiosk nothing is copied, to the station's clipboard or the terminal's."""
        if self.kiosk is not None:
            self.kiosk.copy(text)
            return
        super().copy_to_clipboard(text)

    def wipe_clipboard(self) -> None:
        """Empty the station's clipboard and the terminal's (OSC 52)."""
        super().copy_to_clipboard("")

    def action_admin_exit(self) -> None:
        if self.kiosk is not None:
            self.kiosk.admin_exit()

    def action_no_admin_exit(self) -> None:
        if self.kiosk is not None:
            self.kiosk.no_admin_exit()

    def hang_up(self) -> None:
        """The terminal went away: end the session on the server, then the app."""
        self._hang_up()

    @work(group="hang-up", exclusive=True, exit_on_error=False)
    async def _hang_up(self) -> None:
        await self.send_waiting()
        await self.close_session(timeout=REVOKE_WHEN_LEAVING)
        self.exit(return_code=HANG_UP_RETURN_CODE)

    async def action_quit(self) -> None:
        """ctrl+q: what waits in an undo window is sent first, then the app ends."""
        self._quit()

    @work(group="quit", exclusive=True, exit_on_error=False)
    async def _quit(self) -> None:
        await self.send_waiting()
        self.exit()

    # --- help ---------------------------------------------------------------------------------------

    def action_help(self) -> None:
        """The keys the screen in front has now, with what they do (and its notes, if any)."""
        from station.ui.modals.help import HelpModal, help_keys, help_notes

        if isinstance(self.screen, HelpModal):
            self.screen.dismiss()
            return
        all_styles(self)
        self.push_screen(HelpModal(help_keys(self, self.screen), help_notes(self.screen)))

    # --- the demo reset -----------------------------------------------------------------------------

    def action_demo_reset(self) -> None:
        if self.demo is not None and self.demo.reset is not None:
            self._demo_reset(self.demo.reset)

    @work(group="demo-reset", exclusive=True, exit_on_error=False)
    async def _demo_reset(self, reset: Callable[[], None]) -> None:
        try:
            await asyncio.to_thread(reset)
        except Exception:
            log.exception("demo reset failed")
            self.notify(_("The demo data could not be reset."), severity="error", markup=False)
            return
        self._cancel_release_timer()
        await self.close_session()
        self.show_login(_("The demo data is back as it was. Log in again."))
