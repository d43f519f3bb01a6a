"""What a person does to jobs, checked on the screen and on the server."""

from __future__ import annotations

from decimal import Decimal

from station.ui.modals import AccountPicker, CancelConfirm, ProjectPicker, QuestionModal, ReleaseConfirm
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen
from station.server.seed import HANDOUT

from .support import (
    audit, balance, cell, go_to, job, log_in, names, press_for, select, settle, shown, table, type_text, until,
)

ALICE, BOB = 7, 8


async def test_duplex_changes_the_cost_on_screen_and_on_the_server(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await pilot.press("d")
        await settle(pilot)
        assert cell(pilot, board, "sides") == "2-sided"
        assert cell(pilot, board, "cost") == "−0.04 0.20"  # the saving, then the new cost
        assert "saving 0.04 EUR" in shown(pilot, "#status")
        held = job(app, "Board minutes.pdf")
        assert held["duplex"] == 1 and held["cost_cents"] == 20
        await pilot.press("d")  # and back
        await settle(pilot)
        assert cell(pilot, board, "cost") == "0.24"
        assert job(app, "Board minutes.pdf")["duplex"] == 0


async def test_a_project_chosen_reaches_the_server(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board, _tickets = await select(pilot, app, "Board minutes.pdf", "Train tickets Berlin.pdf")
        await press_for(pilot, "p", ProjectPicker)
        await type_text(pilot, "ann")
        await pilot.press("enter")
        await settle(pilot)
        assert job(app, "Board minutes.pdf")["project_id"] == 3
        assert job(app, "Train tickets Berlin.pdf")["project_id"] == 3
        assert cell(pilot, board, "project") == "AR-2026"
        assert "Annual report" in shown(pilot, "#status")
        # "No project" takes it away again.
        await press_for(pilot, "p", ProjectPicker)
        await type_text(pilot, "no")
        await pilot.press("enter")
        await settle(pilot)
        assert job(app, "Board minutes.pdf")["project_id"] == 0


async def test_the_account_chosen_is_the_one_charged(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await press_for(pilot, "c", AccountPicker)
        await pilot.press("down", "enter")  # Marketing, no limit
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs")
        assert "Marketing (no limit)" in shown(pilot, "#who")
        await go_to(pilot, board)
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: job(app, "Board minutes.pdf")["state"] == "processing", "the release")
        [entry] = audit(app, "release")
        assert entry["account"] == "cc:marketing"
        assert balance(app, ALICE) == Decimal("12.50")  # personal credit untouched


async def test_release_prints_and_charges_once(station, app, clock):
    async with station().run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        board, _flyer = await select(pilot, app, "Board minutes.pdf", "Flyer.pdf")
        await press_for(pilot, "r", ReleaseConfirm)
        facts = shown(pilot, ".row").splitlines()
        assert facts[0].split() == ["Jobs", "Board", "minutes.pdf,", "Flyer.pdf"]
        assert facts[2].split() == ["Cost", "4.44", "EUR"]
        assert facts[5].split() == ["Balance", "after", "8.06", "EUR"]
        await pilot.press("enter")
        await until(pilot, lambda: "Printing 2 jobs" in shown(pilot, "#progress"), "the progress")
        assert job(app, "Flyer.pdf")["state"] == "processing"
        assert balance(app, ALICE) == Decimal("8.06")  # 12.50 - 0.24 - 4.20
        assert "8.06 EUR" in shown(pilot, "#who")
        assert board not in screen.jobs and "Flyer.pdf" not in names(pilot)
        clock.advance(minutes=10)  # the printer is done
        await until(pilot, lambda: "Printed 2 of 2 jobs" in shown(pilot, "#progress"), "printed")
        assert "✓ Board minutes.pdf  printed" in shown(pilot, "#progress")
        assert job(app, "Board minutes.pdf")["state"] == "printed"
        assert balance(app, ALICE) == Decimal("8.06")  # charged once
        assert len(audit(app, "release")) == 1


async def test_cancel_leaves_jobs_canceled_and_uncharged(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        _board, _tickets = await select(pilot, app, "Board minutes.pdf", "Train tickets Berlin.pdf")
        await press_for(pilot, "x", CancelConfirm)
        assert pilot.app.screen.focused.id == "no"  # "Keep" has the focus: Enter cancels nothing
        await pilot.press("left", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs")
        await settle(pilot)
        assert job(app, "Board minutes.pdf")["state"] == "canceled"
        assert job(app, "Train tickets Berlin.pdf")["state"] == "canceled"
        assert balance(app, ALICE) == Decimal("12.50")
        assert table(pilot).row_count == 5
        assert "Canceled 2 jobs" in shown(pilot, "#status")


async def test_keep_cancels_nothing(station, app):
    async with station().run_test() as pilot:
        await log_in(pilot)
        await press_for(pilot, "x", CancelConfirm)
        await press_for(pilot, "enter", JobsScreen)
        assert table(pilot).row_count == 7
        assert audit(app, "cancel") == []


async def test_favorite_toggles_on_the_server(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await pilot.press("f")
        await settle(pilot)
        assert job(app, "Board minutes.pdf")["favorite"] == 1
        assert cell(pilot, board, "name") == "Board minutes.pdf ★"
        await pilot.press("f")
        await settle(pilot)
        assert job(app, "Board minutes.pdf")["favorite"] == 0


async def test_a_paused_job_asks_the_servers_question_before_release(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        slides = job(app, "Campaign slides.pptx")["id"]
        await go_to(pilot, slides)
        await press_for(pilot, "r", QuestionModal)
        assert shown(pilot, "#text") == "Print this job double-sided?"
        labels = [str(button.label) for button in pilot.app.screen.query("Button")]
        assert labels == ["Double-sided", "Single-sided"]
        await pilot.click("#option-0")  # the mouse works too
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        await until(pilot, lambda: "Cost" in shown(pilot, ".row"), "the confirmation's rows")
        assert "Cost           2.52 EUR" in shown(pilot, ".row")  # 2-sided now
        await pilot.press("enter")
        await until(pilot, lambda: job(app, "Campaign slides.pptx")["state"] == "processing", "the release")
        held = job(app, "Campaign slides.pptx")
        assert held["duplex"] == 1 and held["cost_cents"] == 252
        assert balance(app, ALICE) == Decimal("9.98")


async def test_an_unanswered_question_releases_nothing(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Campaign slides.pptx")["id"])
        await press_for(pilot, "r", QuestionModal)
        await press_for(pilot, "escape", JobsScreen)
        await settle(pilot)
        assert "not answered" in shown(pilot, "#status")
        assert job(app, "Campaign slides.pptx")["state"] == "paused"


async def test_too_little_credit_is_refused_before_any_request(station, app, wire):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "5678")  # bob: 0.80 credit, projects required
        handout = job(app, HANDOUT)["id"]  # has a project, costs more than 0.80
        await go_to(pilot, handout)
        sent = len(wire.requests)
        await pilot.press("r")
        assert "Not enough credit" in shown(pilot, "#status")
        assert len(wire.requests) == sent
        assert "→ balance −" in shown(pilot, "#totals")


async def test_a_missing_project_is_refused_before_any_request(station, app, wire):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "5678")
        await go_to(pilot, job(app, "Shipping labels.pdf")["id"])  # no project
        sent = len(wire.requests)
        await pilot.press("r")
        assert "Pick a project first" in shown(pilot, "#status")
        assert len(wire.requests) == sent


async def test_server_down_mid_session_keeps_the_table_and_the_app(station, app, wire):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        before = [cell(pilot, job_id, "cost") for job_id in table(pilot).ordered_ids]
        wire.down = True
        await pilot.press("d")
        await settle(pilot)
        assert "cannot be reached" in shown(pilot, "#status")
        assert [cell(pilot, job_id, "cost") for job_id in table(pilot).ordered_ids] == before
        await pilot.press("f")
        await settle(pilot)
        assert "cannot be reached" in shown(pilot, "#status")
        pilot.app.screen.requests.refresh_now()  # the quiet refresh says so too (the banner), and keeps the rows
        await settle(pilot)
        assert "NO CONNECTION" in shown(pilot, "#offline")
        assert table(pilot).row_count == 7
        wire.down = False  # back again
        await pilot.press("f")
        await settle(pilot)
        assert job(app, "Board minutes.pdf")["favorite"] == 1
        assert pilot.app.is_running


async def test_server_stopped_mid_session(station_on_server):
    ui, server = station_on_server
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        server.stop()
        await pilot.press("f")
        await settle(pilot)
        assert "cannot be reached" in shown(pilot, "#status")
        assert table(pilot).row_count == 7 and pilot.app.is_running


async def test_log_out_drops_everything_and_revokes(station, app, wire):
    async with station().run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        client = screen.session.client
        await press_for(pilot, "l", LoginScreen)
        await until(pilot, lambda: "logged out" in shown(pilot, "#login-message"), "the login screen")
        assert ("POST", "/api/auth/revoke") in wire.requests
        assert not client.logged_in
        assert not any(isinstance(s, JobsScreen) for s in pilot.app.screen_stack)
        assert not pilot.app.screen.query("#who")


async def test_an_ended_session_goes_back_to_login(station, app, clock):
    async with station(refresh_interval=0.2).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        clock.advance(hours=13)  # past the token and the login session: the next quiet refresh hears so
        await until(pilot, lambda: "log in again" in shown(pilot, "#login-message").lower(), "the login")
        assert isinstance(pilot.app.screen, LoginScreen)


async def test_a_failed_print_is_shown_refunded(station, app, clock, settings):
    settings.fail_prints_named = "Board minutes"  # the printer jams on this one
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: "Printing 1 job" in shown(pilot, "#progress"), "the progress")
        assert "12.26 EUR" in shown(pilot, "#who")
        clock.advance(minutes=1)
        await until(pilot, lambda: "1 failed, refunded 0.24 EUR" in shown(pilot, "#progress"), "the refund")
        assert "✗ Board minutes.pdf  failed, refunded 0.24 EUR" in shown(pilot, "#progress")
        assert balance(app, ALICE) == Decimal("12.50")
        await until(pilot, lambda: "12.50 EUR" in shown(pilot, "#who"), "the balance read again")


async def test_a_second_release_joins_the_jobs_still_printing(station, app, clock):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        for name in ("Board minutes.pdf", "Train tickets Berlin.pdf"):
            await go_to(pilot, job(app, name)["id"])
            await press_for(pilot, "r", ReleaseConfirm)
            await pilot.press("enter")
            await until(pilot, lambda name=name: job(app, name)["state"] == "processing", "the release")
        await until(pilot, lambda: "Printing 2 jobs · 0 printed · charged 0.36 EUR" in shown(pilot, "#progress"), "2")
        clock.advance(minutes=10)
        await until(pilot, lambda: "Printed 2 of 2 jobs" in shown(pilot, "#progress"), "printed")
        assert balance(app, ALICE) == Decimal("12.14")
