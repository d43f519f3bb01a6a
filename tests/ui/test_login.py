"""Logging in: a PIN, a card, a user name and password, a card and PIN; refusals in words."""

from __future__ import annotations

import httpx
import pytest

from station.api.client import StationClient
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen
from station.ui.session import secret_kind

from .conftest import build_station
from .support import log_in, shown, type_text, until


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("1234", "pin"), ("123456", "pin"), ("04A1B2C3", "card"), ("1234567890", "card"), ("123", "card")],
)
def test_one_field_tells_a_pin_from_a_card(typed, kind):
    assert secret_kind(typed) == kind


async def test_log_in_by_pin_shows_the_persons_jobs(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot, "1234", typed=True)
        assert "Alice Martin" in shown(pilot, "#who")
        assert "Personal credit 12.50 EUR" in shown(pilot, "#who")
        assert screen.query_one("#jobs").row_count == 7


async def test_log_in_by_card(station):
    async with station().run_test() as pilot:
        await log_in(pilot, "04A1B2C3", typed=True)
        assert "Alice Martin" in shown(pilot, "#who")


async def test_log_in_by_user_name_and_password(station):
    async with station().run_test() as pilot:
        await pilot.press("f2")
        await type_text(pilot, "alice")
        await pilot.press("enter")  # on to the password
        pilot.app.screen.query_one("#password").value = "alice-pw"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the job list")
        assert "Alice Martin" in shown(pilot, "#who")


async def test_log_in_by_card_and_pin(station):
    async with station().run_test() as pilot:
        await pilot.press("f3")
        await type_text(pilot, "04B0B0B0")
        await pilot.press("enter")
        await type_text(pilot, "5678")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the job list")
        assert "Bob Keller" in shown(pilot, "#who")


async def test_login_is_two_round_trips_the_token_then_the_rest_together(station, wire):
    wire.delay = 0.02  # hold each request a moment: requests sent together are seen together
    async with station().run_test() as pilot:
        await log_in(pilot)
    first, second = wire.rounds[:2]
    assert first == ["POST /api/auth/token"]
    assert sorted(second) == ["GET /api/v3/jobs", "GET /api/v3/projects", "GET /api/v3/users/me"]


async def test_a_wrong_pin_is_refused_in_words_and_shows_nobody(station):
    async with station().run_test() as pilot:
        await type_text(pilot, "0000")
        await pilot.press("enter")
        message = pilot.app.screen.query_one("#login-message")
        await until(pilot, lambda: message.has_class("-error"), "the refusal")
        assert "login" in shown(pilot, "#login-message").lower()  # the server's words for it
        assert isinstance(pilot.app.screen, LoginScreen)
        assert pilot.app.screen.query_one("#secret").value == ""  # typed again from scratch
        assert not pilot.app.screen.query("#who")


async def test_a_login_that_must_wait_says_for_how_long_and_then_gets_in(station, clock):
    async with station().run_test() as pilot:
        secret = pilot.app.screen.query_one("#secret")
        for _ in range(6):  # after five failures from this kiosk, each further one makes it wait
            secret.value = "0000"
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
        secret.value = "1234"  # right, but a second too early
        await pilot.press("enter")
        await until(pilot, lambda: "Try again in 1 second." in shown(pilot, "#login-message"), "the wait")
        assert "alice" not in shown(pilot, "#login-message").lower()
        assert isinstance(pilot.app.screen, LoginScreen)
        clock.advance(seconds=1)
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs")


async def test_server_down_at_login_is_said_and_the_app_stays(app, clock):
    def connect() -> StationClient:
        def refuse(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("connection refused", request=request)

        return StationClient("http://station.test", transport=httpx.MockTransport(refuse))

    ui = build_station(connect, clock)
    async with ui.run_test() as pilot:
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await until(pilot, lambda: "cannot be reached" in shown(pilot, "#offline"), "the banner")
        assert "waiting for the print server" in shown(pilot, "#login-message")
        assert ui.is_running and isinstance(ui.screen, LoginScreen)


async def test_demo_shows_a_marker_and_the_demo_logins(station):
    logins = [("Alice Martin (alice)", (("pin", "1234"),)), ("Dave Okafor (dave)", (("pin", "9012"),))]
    async with station(demo=True, demo_logins=logins).run_test(size=(100, 30)) as pilot:
        assert pilot.app.screen.query(".demo-marker")
        assert "Alice Martin (alice)" in shown(pilot, "#demo-logins")
        await log_in(pilot)
        assert pilot.app.screen.query(".demo-marker")


async def test_no_demo_no_marker(station):
    async with station().run_test() as pilot:
        assert not pilot.app.screen.query(".demo-marker")
        assert not pilot.app.screen.query("#demo-logins")
