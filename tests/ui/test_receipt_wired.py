"""The receipt as a person meets it on the real server: `R` shows it during the session; `l`
after a release shows it, then the login screen comes by itself and nothing of it stays; a
session that did nothing, or one the server ended, goes straight to the login screen."""

from __future__ import annotations

from typing import Any

from station.config import Settings
from station.format import money
from station.ui.masking import MASK
from station.ui.messages import SessionEnded
from station.ui.modals.receipt import ReceiptModal
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen
from station.ui.widgets.qr import QRCode

from .support import balance, log_in, settle, shown, until
from .test_kiosk import ALICE, ALICE_TRACES, idle_for, kiosk, open_sessions, traces

NEWEST = "Board minutes.pdf"  # the first row: `r` releases it
SHOWN_FOR = 0.5  # real seconds per kiosk second: the receipt at logout shows for 4 s
NEVER = 1000  # the receipt at logout would show for over two hours: the login screen must come without it


async def release_the_first_job(pilot: Any) -> None:
    await pilot.press("r")
    await until(pilot, lambda: pilot.app.screen.query("#yes"), "the release question")
    await pilot.press("enter")
    await until(pilot, lambda: "Released 1 job" in shown(pilot, "#status"), "the release")


async def test_logout_after_a_release_shows_the_receipt_then_the_login_screen(station, app):
    ui = station(settings=kiosk(idle_timeout=3600), idle_scale=SHOWN_FOR)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        before = balance(app, ALICE)
        await release_the_first_job(pilot)
        after = balance(app, ALICE)
        assert before is not None and after is not None and after < before
        receipt = ui.session.receipt
        assert receipt is not None and traces(receipt, [NEWEST]) != []  # the positive control
        await pilot.press("l")
        await until(pilot, lambda: isinstance(ui.screen, ReceiptModal), "the receipt")
        assert NEWEST in shown(pilot, ".receipt-job")
        assert f"Personal credit: {money(before - after, 'EUR')}" in shown(pilot, "#receipt-sums")
        assert NEWEST in ui.screen.query_one(QRCode).text
        assert "closing in" in shown(pilot, "#receipt-hint")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen, by itself")
        await settle(pilot)
        assert ui.session is None and "You are logged out" in shown(pilot, "#login-message")
        assert traces(ui, ALICE_TRACES) == []
        assert traces(receipt, ALICE_TRACES) == []  # wiped with the session, were anything to hold it
    assert open_sessions(app) == 0


async def test_r_shows_the_receipt_during_the_session_and_any_key_closes_it(station, app):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(ui.screen, ReceiptModal), "the receipt")
        assert "Nothing released or canceled" in shown(pilot, "#receipt-sums")
        await pilot.press("space")
        await until(pilot, lambda: isinstance(ui.screen, JobsScreen), "the jobs again")

        await pilot.press("x")
        await until(pilot, lambda: ui.screen.query("#yes"), "the cancel question")
        await pilot.press("left", "enter")  # "Keep" has the focus
        await until(pilot, lambda: "Canceled 1 job" in shown(pilot, "#status"), "the cancel")
        await pilot.press("R")
        await until(pilot, lambda: isinstance(ui.screen, ReceiptModal), "the receipt")
        assert NEWEST in shown(pilot, ".receipt-job")
        assert "canceled" in shown(pilot, ".receipt-job-words")
        assert "Canceled 1 job" in shown(pilot, "#receipt-sums")
        assert "closing in" not in shown(pilot, "#receipt-hint")  # it stays until a key
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(ui.screen, JobsScreen), "the jobs again")
        assert ui.session is not None


async def test_masked_names_stay_masked_on_the_receipt(station):
    ui = station(settings=Settings(mask_job_names=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await release_the_first_job(pilot)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(ui.screen, ReceiptModal), "the receipt")
        assert shown(pilot, ".receipt-job") == MASK
        assert "Released 1 job" in shown(pilot, "#receipt-sums")
        assert "Board" not in ui.screen.query_one(QRCode).text


async def test_a_session_that_did_nothing_logs_out_without_a_receipt(station, app):
    ui = station(idle_scale=NEVER)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        assert ui.session is None
    assert open_sessions(app) == 0


async def test_a_session_the_server_ended_shows_no_receipt(station):
    ui = station(idle_scale=NEVER)
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        await release_the_first_job(pilot)
        screen.post_message(SessionEnded("Your session has expired."))
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await until(pilot, lambda: "expired" in shown(pilot, "#login-message"), "why the session ended")
        assert ui.session is None


async def test_the_idle_logout_ends_the_session_while_the_person_reads_the_receipt(station, app):
    """`R` opened the receipt and the person walked away: the idle logout still logs out (its own
    receipt comes over the open one)."""
    ui = station(settings=kiosk(), idle_scale=NEVER)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await release_the_first_job(pilot)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(ui.screen, ReceiptModal), "the receipt")
        idle_for(ui, 20)
        await until(pilot, lambda: "closing in" in shown(pilot, "#receipt-hint"), "the receipt at logout")
        await pilot.press("space")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        assert ui.session is None
    assert open_sessions(app) == 0
