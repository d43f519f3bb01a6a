"""Help on every screen, from the keys that screen has now (issue 12 item 6, issue 14 item 5):
F1 everywhere, `?` where no text field takes it, and the `keymap` setting to move any key."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from station.config import Settings
from station.ui.modals import HelpModal
from station.ui.screens.helpdesk import HelpdeskScreen
from station.ui.screens.login import LoginScreen

from .support import log_in, shown, until


def help_rows(pilot: Any) -> dict[str, str]:
    """The help dialog's rows: keys -> what they do."""
    rows = {}
    for line in shown(pilot, ".key").splitlines():
        keys, _, description = line.strip().partition("  ")
        rows[keys] = description.strip()
    return rows


async def test_f1_shows_the_login_screens_keys_and_question_mark_types_into_the_pin(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("question_mark")  # the PIN field has the focus: `?` is a character there
        await pilot.pause()
        assert isinstance(ui.screen, LoginScreen) and ui.screen.query_one("#secret", Input).value == "?"
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(ui.screen, HelpModal), "help")
        rows = help_rows(pilot)
        assert rows["F2"] == "user name + password" and rows["F3"] == "card + PIN"
        assert "r" not in rows and "l" not in rows  # none of the jobs screen's keys
        assert "A PIN is 4 to 6 digits" in shown(pilot, ".note")
        await pilot.press("f1")  # F1 again closes it
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "help to close")


async def test_help_on_the_jobs_lists_the_keys_that_work_there_now(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(ui.screen, HelpModal), "help")
        rows = help_rows(pilot)
        assert rows["r"] == "release" and rows["l"] == "log out" and rows["b"] == "fit my balance"
        assert "n" not in rows  # show/hide names: only with mask_job_names
        assert "m" not in rows  # black & white: only at a printer
        assert "F2" not in rows  # the login screen's keys are gone with it
        assert rows["ctrl+q"] == "quit"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(ui.screen, HelpModal), "help to close")
    ui = station(settings=Settings(mask_job_names=True, kiosk=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(ui.screen, HelpModal), "help")
        rows = help_rows(pilot)
        assert rows["n"] == "show/hide names"
        assert "ctrl+q" not in rows  # no way out of a kiosk, and help does not offer one


async def test_f1_works_on_the_helpdesk_people_list_with_the_search_focused(station):
    ui = station(settings=Settings(helpdesk=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press(*"carol", "enter", *"carol-pw", "enter")
        await until(pilot, lambda: isinstance(ui.screen, HelpdeskScreen), "the people list")
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(ui.screen, HelpModal), "help")
        rows = help_rows(pilot)
        assert rows["a"] == "all jobs" and rows["l"] == "log out"


async def test_the_keymap_setting_moves_a_key_and_help_says_so(station):
    ui = station(settings=Settings(keymap={"app.help": "f12", "login.password": "f6"}))
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(ui.screen, LoginScreen)  # F1 is free now
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(ui.screen, HelpModal), "help on F12")
        rows = help_rows(pilot)
        assert rows["f6"] == "user name + password" and "F2" not in rows
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "help to close")
        await pilot.press("f6")
        await until(pilot, lambda: ui.screen.query_one("#username", Input).has_focus, "user name and password")
