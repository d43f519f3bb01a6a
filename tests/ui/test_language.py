"""The station in a person's language: the setting, the login screen's key, the person's own
language from the print server for their session, and back to the setting at logout."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from station import i18n
from station.config import Settings
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen

from .helpdesk_support import helpdesk, open_person
from .support import log_in, names, shown, store, until


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def footer(pilot) -> str:
    return " ".join(f"{key.key_display} {key.description}" for key in pilot.app.screen.query("FooterKey"))


def assert_footer_whole(pilot) -> None:
    for key in pilot.app.screen.query("FooterKey"):
        wanted = key.get_content_width(key.size, key.size)
        assert key.region.width >= wanted, f"{key.description!r} is cut"
        assert key.region.right <= 80


def set_language_of(app, username: str, language: str | None) -> None:
    with store(app).tx() as tx:
        tx.execute("UPDATE users SET language = ? WHERE username = ?", (language, username))


async def test_the_setting_shows_the_login_screen_in_german(station):
    """`station --language de`."""
    async with station(settings=Settings(language="de")).run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: pilot.app.screen.query("FooterKey"), "the footer")
        assert shown(pilot, "#login-prompt") == "Karte auflegen oder PIN eingeben"
        assert "Enter anmelden" in shown(pilot, "#login-hint")
        assert pilot.app.screen.query_one("#secret", Input).placeholder == "PIN oder Karte"
        assert "Name + Passwort" in footer(pilot)
        assert "F4 Čeština" in footer(pilot)  # the next language, in itself


async def test_f4_on_the_login_screen_switches_the_language(station):
    async with station().run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "F4 Deutsch" in footer(pilot), "F4 named in German")
        assert shown(pilot, "#login-prompt") == "Tap your card or type your PIN"
        await pilot.press("f4")
        await until(pilot, lambda: shown(pilot, "#login-prompt") == "Karte auflegen oder PIN eingeben", "German")
        await until(pilot, lambda: "F4 Čeština" in footer(pilot), "F4 named in Czech")
        for _ in range(4):  # cs, fr, es, en
            await pilot.press("f4")
        await until(pilot, lambda: shown(pilot, "#login-prompt") == "Tap your card or type your PIN", "English")
        assert isinstance(pilot.app.screen, LoginScreen)


async def test_f4_in_the_user_name_mode_keeps_that_mode_and_its_fields(station):
    async with station().run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: pilot.app.screen.query("#username"), "the user name field")
        await pilot.press("f4")
        await until(pilot, lambda: "F4 Čeština" in footer(pilot), "German (F4 names Czech next)")
        field = pilot.app.screen.query_one("#username", Input)
        assert field.display and field.placeholder == i18n._("User name") != "User name"
        await pilot.press(*"alice")
        assert field.value == "alice"


@pytest.mark.parametrize(("language", "expected"), [("cs", "cs"), ("cs-CZ", "cs"), ("de_DE", "de"), ("de", "de")])
async def test_a_person_s_language_is_theirs_for_the_session_and_gone_at_logout(app, station, language, expected):
    set_language_of(app, "alice", language)
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "1234")
        assert i18n.language() == expected
        released = i18n.catalog(expected).gettext("release")
        await until(pilot, lambda: f"r {released}" in footer(pilot), "the footer in the person's language")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen), "the login screen")
        await until(pilot, lambda: shown(pilot, "#login-prompt") == "Tap your card or type your PIN", "English")
        assert i18n.language() == "en"
        assert "F4 Deutsch" in footer(pilot)


async def test_a_language_station_does_not_have_keeps_the_station_s(app, station):
    set_language_of(app, "alice", "pl")
    async with station(settings=Settings(language="de")).run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "1234")
        assert i18n.language() == "de"
        await until(pilot, lambda: "r freigeben" in footer(pilot), "German")


async def test_money_reads_the_german_way_and_names_stay_as_they_came(app, station):
    set_language_of(app, "alice", "de")
    with store(app).tx() as tx:  # a job whose name is also one of station's own words
        tx.execute("UPDATE jobs SET name = 'Release' WHERE id = (SELECT MIN(id) FROM jobs WHERE owner_id = "
                   "(SELECT id FROM users WHERE username = 'alice'))")
    async with station().run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot, "1234")
        assert isinstance(screen, JobsScreen)
        assert "Release" in names(pilot)  # untrusted: never looked up in the catalog
        header = shown(pilot, "SessionHeader Static")
        everything = header + " " + shown(pilot, "Static")
        assert re.search(r"\d,\d\d\xa0€", everything), everything  # 12,50 €, not 12.50 EUR
        assert "EUR" not in header


async def test_the_german_footer_fits_80_columns(app, station):
    """Every key of the job list's footer shows whole at 80x24, in German."""
    set_language_of(app, "alice", "de")
    async with station().run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "1234")
        await until(pilot, lambda: "r freigeben" in footer(pilot), "German")
        await pilot.pause()
        assert_footer_whole(pilot)


async def test_the_helpdesk_in_german_fits_80_columns(app, station):
    """The people list and a person's jobs, with their own keys (Protokoll, zu Personen ...)."""
    set_language_of(app, "carol", "de")
    async with helpdesk(station).run_test(size=(80, 24)) as pilot:
        await open_person(pilot, "alice")
        await until(pilot, lambda: "zu Personen" in footer(pilot), "the person's jobs in German")
        await pilot.pause()
        assert_footer_whole(pilot)
        await pilot.press("b")
        await until(pilot, lambda: "h Protokoll" in footer(pilot), "the people list in German")
        await pilot.pause()
        assert_footer_whole(pilot)
