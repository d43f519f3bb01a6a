"""The clipboard: at a kiosk nothing is copied and each new person starts with an empty one; in
no mode is a secret (PIN, password, card number) copied.

A copy reaches two places: the station's own clipboard (what ctrl+v in a field pastes) and the
terminal's, through the escape code OSC 52 that the app writes to its terminal; the tests read
both (the second by recording what the app writes to its driver).
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from textual.app import App
from textual.selection import Selection
from textual.widgets import Input, Static

from station.config import Settings
from station.ui.kiosk import AdminExit
from station.ui.screens.login import LoginScreen
from station.ui.widgets.secret_input import SecretInput

from .support import log_in, settle, text, until

HEADER_WORDS = "Alice Martin"
OSC52 = "\x1b]52;c;"


def record_terminal(ui: Any) -> list[str]:
    """What the app writes to its terminal from now on (the headless driver writes nowhere)."""
    written: list[str] = []
    driver = ui._driver
    write = driver.write

    def recording(data: str) -> None:
        written.append(data)
        write(data)

    driver.write = recording
    return written


def copied_to_terminal(written: list[str]) -> list[str]:
    """The texts the app sent to the terminal's clipboard (an empty one clears it)."""
    found = []
    for data in written:
        for part in data.split(OSC52)[1:]:
            found.append(base64.b64decode(part.split("\a", 1)[0]).decode())
    return found


def toasts(ui: Any) -> str:
    return "\n".join(text(toast) for toast in ui.screen.query("Toast"))


async def select_header_and_copy(pilot: Any) -> None:
    """Alice drags over her name and balance at the top, and presses ctrl+c."""
    who = pilot.app.screen.query_one("#who", Static)
    assert HEADER_WORDS in text(who)
    pilot.app.screen.selections = {who: Selection(None, None)}
    await pilot.pause()
    await pilot.press("ctrl+c")
    await pilot.pause()


async def test_outside_a_kiosk_selected_text_is_copied(station):
    """The positive control for the kiosk's tests below: the same keys copy when it is not a kiosk."""
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        written = record_terminal(ui)
        await select_header_and_copy(pilot)
        assert HEADER_WORDS in ui.clipboard
        assert any(HEADER_WORDS in copied for copied in copied_to_terminal(written))


async def test_a_kiosk_copies_nothing_and_says_so(station):
    ui = station(settings=Settings(kiosk=True))
    async with ui.run_test(size=(100, 30), notifications=True) as pilot:
        await log_in(pilot)
        written = record_terminal(ui)
        await select_header_and_copy(pilot)
        assert ui.clipboard == ""
        assert copied_to_terminal(written) == []
        await until(pilot, lambda: "Nothing is copied at this kiosk." in toasts(ui), "the notice")


async def test_a_kiosk_copies_nothing_from_a_text_field_either(station):
    ui = station(settings=Settings(kiosk=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("f2")
        await pilot.press(*"alice", "shift+home", "ctrl+c")
        await pilot.pause()
        assert ui.screen.query_one("#username", Input).selected_text == "alice"  # it was selected
        assert ui.clipboard == ""


async def test_the_next_person_at_a_kiosk_pastes_nothing_of_the_last(station):
    """The reported case: Alice copies her header and logs out; the next person pastes into the
    user field. The station's clipboard is empty and the terminal's is emptied at the logout,
    whatever was there (here put there behind the kiosk's back)."""
    ui = station(settings=Settings(kiosk=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await select_header_and_copy(pilot)
        App.copy_to_clipboard(ui, "Alice Martin · Personal credit 12.50 EUR")  # whatever is there
        assert ui.clipboard.startswith(HEADER_WORDS)
        written = record_terminal(ui)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await settle(pilot)
        assert ui.clipboard == ""
        assert copied_to_terminal(written) == [""]  # the terminal's clipboard emptied

        await pilot.press("f2", "ctrl+v")
        await pilot.pause()
        assert ui.screen.query_one("#username", Input).value == ""


async def test_outside_a_kiosk_logout_leaves_the_clipboard_alone(station):
    """Only a kiosk empties it: a helpdesk's own clipboard is theirs."""
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await select_header_and_copy(pilot)
        written = record_terminal(ui)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await settle(pilot)
        assert HEADER_WORDS in ui.clipboard and copied_to_terminal(written) == []


MASKED = {"secret": None, "password": "f2", "card": "f3", "pin": "f3"}


@pytest.mark.parametrize("kiosk", [False, True], ids=["station", "kiosk"])
@pytest.mark.parametrize("field", list(MASKED))
async def test_no_mode_copies_a_secret_field(station, kiosk, field):
    """A PIN selected with shift+Home and copied (ctrl+c) or cut (ctrl+x) stays in its field
    only; the user name field next to it copies (the positive control, outside a kiosk)."""
    ui = station(settings=Settings(kiosk=kiosk))
    async with ui.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("f2", *"alice", "shift+home", "ctrl+c")
        expected = "" if kiosk else "alice"
        assert ui.clipboard == expected
        await pilot.press("escape")
        if MASKED[field]:
            await pilot.press(MASKED[field])
        secret = ui.screen.query_one(f"#{field}", Input)
        assert secret.password
        secret.focus()
        written = record_terminal(ui)
        await pilot.press(*"4711", "shift+home")
        assert secret.selected_text == "4711"
        await pilot.press("ctrl+c", "ctrl+x")
        await pilot.pause()
        assert ui.clipboard == expected and copied_to_terminal(written) == []
        assert secret.value == "4711"
        await until(pilot, lambda: "never copied" in toasts(ui), "the notice")
        assert isinstance(secret, SecretInput)


async def test_the_admin_pin_is_a_secret_field(station):
    ui = station(settings=Settings(kiosk=True, admin_exit_pin="2468"))
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(ui.screen, AdminExit), "the admin dialog")
        field = ui.screen.query_one("#admin-pin", Input)
        assert field.password
        await pilot.press(*"2468", "shift+home", "ctrl+x")
        assert field.value == "2468" and ui.clipboard == ""
        assert isinstance(field, SecretInput)
