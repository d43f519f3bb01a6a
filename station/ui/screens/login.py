"""Log in: a card, a PIN, a user name and password, or a card and PIN. Nothing of anyone shows.

The one masked field takes a PIN or a card: a card reader types the card number and Enter.
All digits and 4 to 6 long is a PIN, anything else a card (`session.secret_kind`). F2 switches
to user name and password, F3 to card and PIN; Escape goes back.

A login is two round trips: the token, then the jobs, the user and the projects together.
Only the token and the jobs are required: a print server that does not say who is logged in
or which projects there are (contract 7.3) still shows the person their jobs.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static

from station.api.errors import ApiError, ServerUnreachable
from station.api.scopes import HELPDESK_SCOPE, PERSON_SCOPE
from station.i18n import NAMES, N_, _, following, language, set_language
from station.untrusted import plain
from station.ui.context import Context, DemoLogin
from station.ui.faults import Backoff, explain, offline_reason
from station.ui.kiosk import NO_ADMIN_EXIT
from station.ui.messages import LoggedIn
from station.ui.widgets.banner import ConnectionBanner
from station.ui.widgets.keybar import KeyBar
from station.ui.widgets.secret_input import SecretInput
from station.ui.widgets.waiting import waiting

if TYPE_CHECKING:  # the client, the session and the wire's models come after the first frame
    from station.api.client import StationClient
    from station.api.people import Identity

log = logging.getLogger("station.ui")

Mode = Literal["secret", "password", "card-pin"]
PROMPTS: dict[str, str] = {
    "secret": N_("Tap your card or type your PIN"),
    "password": N_("Your user name and password"),
    "card-pin": N_("Your card number and PIN"),
}
HINTS: dict[str, str] = {
    "secret": N_("Enter log in · F2 user name + password · F3 card + PIN"),
    "password": N_("Enter log in · Esc back to card or PIN"),
    "card-pin": N_("Enter log in · Esc back to card or PIN"),
}
HELPDESK_PROMPT = N_("Helpdesk staff: your user name and password")
HELPDESK_HINT = N_("Enter log in · helpdesk staff only")
HELP_NOTES = [
    N_("A card reader types the card number and Enter. A PIN is 4 to 6 digits."),
    N_("Nothing of anyone shows here; what you type is masked."),
]
# The ways to log in a demo login names, in the screen's language.
WAYS = {"pin": N_("PIN"), "card": N_("card"), "user": N_("user"), "password": N_("password")}
LOGIN_RETRY_FOR = 60.0  # seconds: a login is not retried for longer (the person may have left)


class LoginScreen(Screen[None]):
    BINDINGS = [
        Binding("f2", "mode('password')", N_("user name + password"), key_display="F2", id="login.password"),
        Binding("f3", "mode('card-pin')", N_("card + PIN"), key_display="F3", id="login.card_pin"),
        # Escape stops a login from its first moment; the key bar shows it once the wait is long
        # enough to notice (the spinner's half second): a key that came and went with every quick
        # login made the bar compose anew and the screen lay out twice while the token was out.
        Binding("escape", "stop_shown", N_("stop trying"), id="login.stop_shown"),
        Binding("escape", "stop", N_("stop trying"), show=False, id="login.stop"),
        Binding("escape", "mode('secret')", N_("back"), id="login.back"),
        # Named by `_name_language_key`: the next language, in that language (Deutsch, Čeština ...).
        Binding("f4", "language", "English", key_display="F4", id="login.language"),
    ]

    mode: reactive[Mode] = reactive("secret", init=False)
    busy: reactive[bool] = reactive(False, init=False)

    def __init__(
        self, context: Context, connect: Callable[[], StationClient], message: str = "", *, error: bool = False
    ) -> None:
        super().__init__()
        self.context = context
        self.settings = context.settings
        self.connect = connect  # a fresh client for each attempt
        self._stopping = False  # Escape asked the login under way to stop
        self._long_wait = False  # the login under way has waited long enough to show Escape's key
        self._message = message
        self._message_is_error = error

    def compose(self) -> ComposeResult:
        with Horizontal(id="login-top"):
            yield Static(Content(" Station"), id="login-title")
            if self.context.demo is not None:
                yield Static(" DEMO ", classes="demo-marker")
        yield ConnectionBanner(insecure=self.settings.insecure)
        with Vertical(id="login-centre"):
            with Center(), Vertical(id="login-box") as box:
                box.border_title = _("Helpdesk") if self.settings.helpdesk else _("Print release")
                yield Static(Content(_(PROMPTS["secret"])), id="login-prompt")
                first = "password" if self.settings.helpdesk else "secret"
                for mode in PROMPTS:  # the fields of the other modes come when first shown (startup)
                    with Vertical(id=f"mode-{mode}", classes="mode"):
                        yield from self._fields(mode) if mode == first else ()
                yield Static(id="login-message")
                yield Static(Content(_(HINTS["secret"])), id="login-hint")
            demo = self.context.demo
            if demo is not None and (demo.logins or self.settings.kiosk):
                with Center():
                    yield Static(self._demo_logins(demo.logins), id="demo-logins")
        yield KeyBar()

    def _fields(self, mode: str) -> list[Input]:
        if mode == "password":
            return [self._input("username", _("User name"), password=False), self._input("password", _("Password"))]
        if mode == "card-pin":
            return [self._input("card", _("Card number")), self._input("pin", _("PIN"))]
        return [self._input("secret", _("PIN or card"))]

    def _input(self, name: str, placeholder: str, *, password: bool = True) -> Input:
        kind = SecretInput if password else Input  # a secret is masked and never copied
        return kind(placeholder=placeholder, id=name, max_length=200)

    def _demo_logins(self, logins: Sequence[DemoLogin]) -> Content:
        rows = [(plain(who), " · ".join(f"{_(WAYS[kind])} {plain(value)}" for kind, value in ways))
                for who, ways in logins]
        width = max((len(who) for who, _ in rows), default=0)
        lines = [Content.styled(_("Demo logins"), "bold")]
        lines += [Content.assemble((who.ljust(width + 2), "bold"), how) for who, how in rows]
        if self.settings.kiosk:  # the quit keys are off: say how this demo ends
            way_out = _("F10 and the admin PIN end the demo.") if self.settings.admin_exit_pin else _(NO_ADMIN_EXIT)
            lines.append(Content.styled(way_out, "italic"))
        return Content("\n").join(lines)

    def help_notes(self) -> list[str]:
        return [_(note) for note in HELP_NOTES]

    def on_mount(self) -> None:
        if not self.query(Input):
            return  # the app closes while this screen mounts: its fields are gone already
        if self.settings.helpdesk:  # staff log in with user name and password only
            self.set_reactive(LoginScreen.mode, "password")
        self._name_language_key()
        self._show_mode()
        self.say(self._message, error=self._message_is_error)

    # --- the language ---------------------------------------------------------------------------

    def _name_language_key(self) -> None:
        """F4 is named in the language it switches to, the one a person looks for."""
        name = NAMES[following(language())]
        for bindings in self._bindings.key_to_bindings.values():  # F4, or the key the keymap gave it
            bindings[:] = [replace(b, description=name) if b.id == "login.language" else b for b in bindings]
        self.refresh_bindings()

    async def action_language(self) -> None:
        """The next language, for this login screen and the session that starts here (the person's
        own language from the print server still wins at login)."""
        if self.busy:
            return
        set_language(following(language()))
        self._message = ""  # said in the language before
        await self.recompose()
        self.on_mount()

    # --- modes ----------------------------------------------------------------------------------

    def action_mode(self, mode: Mode) -> None:
        if not self.busy:
            self.mode = mode

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.busy  # Escape stops a login that waits for the print server
        if action == "stop_shown":
            return self.busy and self._long_wait
        if action == "mode":
            if self.settings.helpdesk:
                return False
            (mode,) = parameters
            if mode == "secret":
                return self.mode != "secret"  # Escape shows only where it leads back
            return True
        return True

    def watch_mode(self) -> None:
        self._show_mode()
        self.say("")
        self.refresh_bindings()

    def _show_mode(self) -> None:
        for mode in PROMPTS:
            fields = self.query_one(f"#mode-{mode}")
            if mode == self.mode and not fields.children:
                fields.mount_all(self._fields(mode))
            fields.display = mode == self.mode
        helpdesk = self.settings.helpdesk
        prompt = _(HELPDESK_PROMPT if helpdesk else PROMPTS[self.mode])
        self.query_one("#login-prompt", Static).update(Content(prompt))
        self.query_one("#login-hint", Static).update(Content(_(HELPDESK_HINT if helpdesk else HINTS[self.mode])))
        self._clear_secrets()
        self._first_field().focus()

    def _first_field(self) -> Input:
        """The field to type in next: the first one, or the password once a name is there."""
        if self.mode == "password" and self.query_one("#username", Input).value.strip():
            return self.query_one("#password", Input)
        first = {"secret": "#secret", "password": "#username", "card-pin": "#card"}[self.mode]
        return self.query_one(first, Input)

    def _clear_secrets(self) -> None:
        for field in self.query(SecretInput):  # the PIN or card, the password, the card and PIN
            field.value = ""

    def say(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#login-message", Static)
        line.update(Content(plain(message, limit=300)))  # server words: shown as they are
        line.set_class(error, "-error")
        line.display = bool(message)

    # --- logging in -------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        value = event.value.strip()
        field = event.input.id
        if field == "username":
            if not value:
                self._missing("username", _("Type your user name."))
            else:
                self.query_one("#password", Input).focus()
        elif field == "card":
            if not value:
                self._missing("card", _("Type your card number, or tap your card."))
            else:
                self.query_one("#pin", Input).focus()
        elif field == "secret":
            from station.ui.session import secret_kind

            if not value:
                self._missing("secret", _("Type your PIN, or tap your card."))
            elif secret_kind(value) == "pin":
                self._start(lambda client: client.login_pin(value))
            else:
                self._start(lambda client: client.login_card(value))
        elif field == "password":
            user = self._field("username")
            if not user:
                self._missing("username", _("Type your user name first."))
            elif not event.value:  # a password may hold spaces; an empty one is nothing typed
                self._missing("password", _("Type your password."))
            else:
                scope = HELPDESK_SCOPE if self.settings.helpdesk else PERSON_SCOPE
                self._start(lambda client: client.login_password(user, event.value, scope=scope), username=user)
        elif field == "pin":
            card = self._field("card")
            if not card:
                self._missing("card", _("Type your card number first, or tap your card."))
            elif not value:
                self._missing("pin", _("Type your PIN."))
            else:
                self._start(lambda client: client.login_card_pin(card, value))

    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _missing(self, name: str, message: str) -> None:
        """An empty field is not sent: the print server would refuse it in its own words."""
        self.query_one(f"#{name}", Input).focus()
        self.say(message, error=True)

    def watch_busy(self, busy: bool) -> None:
        self._long_wait = False
        for field in self.query(Input):
            field.disabled = busy
        self.refresh_bindings()  # Escape stops while busy, else goes back
        if busy:
            self.say(_("Logging in…"))
        else:
            self._first_field().focus()

    def _start(self, grant: Callable[[StationClient], Awaitable[object]], username: str | None = None) -> None:
        """One login at a time: busy before the worker starts, so a second Enter does nothing.
        `username`: the user name typed, if any (a server that does not say who logged in)."""
        self.busy = True
        self._log_in(grant, username)

    @work(group="login", exit_on_error=False)
    async def _log_in(self, grant: Callable[[StationClient], Awaitable[object]], username: str | None) -> None:
        """Round trip 1: the token. Round trip 2: jobs, user and projects at once.

        A print server that cannot be reached (or does not answer in time) is tried again,
        1, 2, 4 … s apart, for about a minute; Escape stops trying."""
        try:
            await self._attempts(grant, username)
        except asyncio.CancelledError:
            self._stopped()
            raise

    async def _attempts(self, grant: Callable[[StationClient], Awaitable[object]], username: str | None) -> None:
        from station.ui.session import Session, close_client

        banner = self.query_one(ConnectionBanner)
        backoff = Backoff(*self.context.pacing.retry_backoff)
        while True:
            client = self.connect()
            try:
                async with waiting(self, self._say_waiting, _("Logging in"), _("Esc stops")):
                    await grant(client)
                    jobs, identity, projects = await asyncio.gather(
                        client.jobs(limit=500), client.who(username), client.projects()
                    )
            except ServerUnreachable as error:
                await close_client(client)
                if backoff.waited >= LOGIN_RETRY_FOR:
                    banner.offline(offline_reason(error))
                    self._refused(_("Still no answer from the print server. Try again later."))
                    return
                if self._stopping:  # Escape was pressed: stop, even if its cancellation got lost on the way
                    raise asyncio.CancelledError from None
                delay = backoff.next()
                banner.offline(offline_reason(error), retry_in=delay, hint=_("Esc stops."))
                self._say_waiting(_("Logging in… waiting for the print server · Esc stops"))
                await asyncio.sleep(delay)
                banner.trying()
                continue
            except ApiError as error:
                await close_client(client)
                banner.online()
                self._refused(explain(error))
                return
            except asyncio.CancelledError:  # Escape: stop trying
                await close_client(client)
                raise
            except Exception:
                log.exception("login failed")
                await close_client(client)
                self._refused(_("Something went wrong while logging in. Please try again."))
                return
            break
        banner.online()
        refusal = self._helpdesk_refusal(identity, client) if self.settings.helpdesk else None
        if refusal:
            await close_client(client, revoke=True)
            self._refused(refusal)
            return
        # This screen gives way to the jobs: its fields are not lit and laid out again on the way.
        self.set_reactive(LoginScreen.busy, False)
        self.post_message(LoggedIn(Session.start(client, identity, projects), jobs))

    @staticmethod
    def _helpdesk_refusal(identity: Identity, client: StationClient) -> str | None:
        if identity.user is None:
            return _("The print server does not say who is logged in, so this helpdesk station cannot be used with it.")
        from station.ui.screens.helpdesk import helpdesk_refusal

        return helpdesk_refusal(identity.user, client)

    def _say_waiting(self, text: str) -> None:
        """What a login that waits says; the first time, Escape's key shows in the key bar too."""
        self.say(text)
        if not self._long_wait:
            self._long_wait = True
            self.refresh_bindings()

    def action_stop_shown(self) -> None:
        self.action_stop()

    def action_stop(self) -> None:
        """Stop a login that waits for the print server; nothing of it is kept."""
        if not self.busy:
            return
        self._stopping = True
        self.workers.cancel_group(self, "login")  # the worker says so once it has stopped

    def _stopped(self) -> None:
        if self._stopping:
            self._stopping = False
            self.query_one(ConnectionBanner).online()
            self._refused(_("Stopped trying to log in. Try again when the print server is back."))

    def _refused(self, message: str) -> None:
        self.busy = False
        self._clear_secrets()
        self.say(message, error=True)

