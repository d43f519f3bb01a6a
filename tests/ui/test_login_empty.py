"""An empty field at login is said in the person's words and nothing is sent (issue 14: an empty
password showed the server's "Field 'login_info.pwd' is required for login type 3.")."""

from __future__ import annotations

import pytest

from station.ui.screens.jobs import JobsScreen

from .support import shown, until

WIRE_WORDS = ("login_info", "Field '", "login type", "pwd")


async def _enter_in(pilot, mode_key: str | None, fields: dict[str, str], submit_in: str) -> None:
    if mode_key:
        await pilot.press(mode_key)
    screen = pilot.app.screen
    for name, value in fields.items():
        screen.query_one(f"#{name}").value = value
    screen.query_one(f"#{submit_in}").focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize(
    ("mode_key", "fields", "submit_in", "said", "focus"),
    [
        ("f2", {"username": "alice", "password": ""}, "password", "Type your password.", "password"),
        ("f2", {"username": "", "password": "alice-pw"}, "password", "Type your user name first.", "username"),
        ("f2", {"username": "  ", "password": ""}, "username", "Type your user name.", "username"),
        ("f3", {"card": "04B0B0B0", "pin": ""}, "pin", "Type your PIN.", "pin"),
        ("f3", {"card": "", "pin": "5678"}, "pin", "Type your card number first, or tap your card.", "card"),
        ("f3", {"card": "", "pin": ""}, "card", "Type your card number, or tap your card.", "card"),
        (None, {"secret": "   "}, "secret", "Type your PIN, or tap your card.", "secret"),
    ],
)
async def test_an_empty_field_is_said_in_words_and_nothing_is_sent(station, wire, mode_key, fields, submit_in, said,
                                                                    focus):
    async with station().run_test(size=(100, 30)) as pilot:
        await _enter_in(pilot, mode_key, fields, submit_in)
        await until(pilot, lambda: shown(pilot, "#login-message") == said, said)
        message = pilot.app.screen.query_one("#login-message")
        assert message.has_class("-error")
        assert not any(word in shown(pilot, "#login-message") for word in WIRE_WORDS)
        assert pilot.app.screen.focused.id == focus  # the field to fill is where the keys go
        await pilot.app.workers.wait_for_complete()
        assert wire.requests == []  # not even a token request


async def test_the_missing_field_filled_logs_in(station, wire):
    """The positive control: the same screen, the password typed, logs in."""
    async with station().run_test(size=(100, 30)) as pilot:
        await _enter_in(pilot, "f2", {"username": "alice", "password": ""}, "password")
        await until(pilot, lambda: shown(pilot, "#login-message") == "Type your password.", "the hint")
        pilot.app.screen.query_one("#password").value = "alice-pw"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the job list")
        assert "Alice Martin" in shown(pilot, "#who")
