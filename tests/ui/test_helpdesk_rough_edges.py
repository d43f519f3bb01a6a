"""The helpdesk's rough edges a newcomer hit (issue 14), each with the test that would have
caught it; against the real embedded server."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from station.api.client import HELPDESK_SCOPE
from station.server.seed import ALICE, BOB
from station.ui.modals import ReasonModal, ReleaseConfirm
from station.ui.screens.all_jobs import AllJobsScreen
from station.ui.screens.audit import AuditScreen
from station.ui.screens.helpdesk import HelpdeskScreen
from station.ui.screens.login import LoginScreen
from station.ui.screens.owner_jobs import OwnerJobsScreen
from station.ui.widgets.job_table import JobTable

from .helpdesk_support import REASON, give_reason, helpdesk, helpdesk_change, open_person, people
from .support import go_to, job, log_in, settle, shown, type_text, until


def rows(pilot) -> list[str]:
    """The confirmation's rows, label and value one space apart."""
    return [" ".join(line.split()) for line in shown(pilot, ".row").splitlines()]


def footer(pilot) -> list[str]:
    return [f"{key.key_display} {key.description}" for key in pilot.app.screen.query("FooterKey")]


async def test_history_opens_with_the_table_focused_and_names_the_jobs(station, app, connect):
    await helpdesk_change(connect)  # Flyer.pdf gets a project
    async with connect() as client:
        await client.login_password("carol", "carol-pw", scope=HELPDESK_SCOPE)
        await client.cancel([job(app, "Board minutes.pdf")["id"]], reason="She asked")
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "1234")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), "the history")
        screen = pilot.app.screen
        grid = screen.query_one("#table", DataTable)
        await until(pilot, lambda: grid.row_count == 2, "both entries")
        assert grid.has_focus
        assert "canceled Board minutes.pdf" in shown(pilot, "#detail")  # newest first
        await pilot.press("down")  # at once, no Tab first
        assert grid.cursor_row == 1
        await until(pilot, lambda: "changed Flyer.pdf" in shown(pilot, "#detail"), "the second entry")
        assert "project now Annual report (AR-2026)" in shown(pilot, "#detail")  # what changed
        assert str(grid.get_row_at(1)[5]).strip() == "Flyer.pdf"


async def test_the_audit_names_people_and_gives_money_its_currency(station, app, connect):
    async with connect() as client:
        await client.login_password("carol", "carol-pw", scope=HELPDESK_SCOPE)
        await client.patch_job(job(app, "Expense claim.xlsx")["id"], owner_id=BOB, reason="Wrong name")
        await client.process([job(app, "Board minutes.pdf")["id"]], owner="alice", reason="Printed for her")
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await people(pilot)
        await type_text(pilot, "/")
        await type_text(pilot, "kel")  # the people list holds bob alone: the audit reads the rest
        await until(pilot, lambda: len(pilot.app.screen.users) == 1, "bob alone")
        await pilot.press("enter", "h")
        await until(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), "the audit")
        grid = pilot.app.screen.query_one("#table", DataTable)
        await until(pilot, lambda: grid.row_count == 2, "both entries")
        await until(pilot, lambda: "0.24 EUR from Personal credit" in shown(pilot, "#detail"), "the money")
        assert "Carol Nguyen released Board minutes.pdf for Alice Martin" in shown(pilot, "#detail")
        await pilot.press("down")
        handed = shown(pilot, "#detail")
        assert "Carol Nguyen handed Expense claim.xlsx from Alice Martin to Bob Keller" in handed
        assert "user #" not in handed


async def test_back_at_the_people_list_the_keys_are_keys(station):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpdeskScreen), "back to people")
        screen = pilot.app.screen
        await settle(pilot)
        assert not screen.query_one("#user-search", Input).has_focus
        await pilot.press("h")  # the audit, not an "h" in the search field
        await until(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), "the audit")
        assert screen.query_one("#user-search", Input).value == ""


async def test_enter_on_a_single_match_goes_to_the_list_and_opens_only_on_the_next(station):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        screen = await people(pilot)
        await pilot.press("slash")
        await type_text(pilot, "kel")
        await until(pilot, lambda: list(screen.users) == [BOB], "bob alone")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.query_one("#users", DataTable).has_focus
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, OwnerJobsScreen), "bob's jobs")
        jobs = pilot.app.screen
        await until(pilot, lambda: jobs.query_one(JobTable).row_count == len(jobs.jobs), "the rows")
        await settle(pilot)
        assert jobs.selected == set()  # the Enter that opened did not also select a job


async def test_back_from_a_person_opened_through_all_jobs_says_and_goes_back_to_all_jobs(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        # the control: from the people list
        await until(pilot, lambda: "b/l back to people" in footer(pilot), "the footer")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpdeskScreen), "the people")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(pilot.app.screen, AllJobsScreen), "all jobs")
        await until(pilot, lambda: pilot.app.screen.rows, "a page")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, OwnerJobsScreen), "the owner's jobs")
        await until(pilot, lambda: "b/l back to all jobs" in footer(pilot), "the footer")
        assert not any("back to people" in key for key in footer(pilot))
        await pilot.press("b")
        await until(pilot, lambda: isinstance(pilot.app.screen, AllJobsScreen), "back to all jobs")


async def test_l_on_a_persons_jobs_leaves_the_person_not_the_helpdesk(station, wire):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await until(pilot, lambda: "b/l back to people" in footer(pilot), "the footer")
        assert not any("log out" in key for key in footer(pilot))
        await pilot.press("l")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpdeskScreen), "back to people")
        await settle(pilot)
        assert ("POST", "/api/auth/revoke") not in wire.requests
        assert pilot.app.screen.session.client.logged_in
        await pilot.press("l")  # on the people list, l logs the helpdesk out: the control
        await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen), "the login screen")
        await until(pilot, lambda: "You are logged out" in shown(pilot, "#login-message"), "the goodbye")
        assert ("POST", "/api/auth/revoke") in wire.requests


async def test_the_release_confirmation_says_for_whom_and_why(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        why = "Why asked next, before anything is sent (w gives it now)"
        assert rows(pilot)[:2] == ["For Alice Martin (alice)", why]
        await pilot.press("escape")
        await pilot.press("w")
        await give_reason(pilot)
        await until(pilot, lambda: REASON in shown(pilot, "#who"), "the reason")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        assert f"Why {REASON}" in rows(pilot)


async def test_while_the_reason_is_asked_the_status_says_the_station_waits_for_it(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        jobs = await open_person(pilot, "alice")
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await pilot.press("f")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReasonModal), "the reason dialog")
        status = jobs.query_one("#status")
        assert "Why? Say it in the dialog" in str(status.render())
        assert "waiting for the print server" not in str(status.render())
        await give_reason(pilot)  # then the change goes out, and says so
        await until(pilot, lambda: "favourite" in str(status.render()), "the change")


async def test_pages_in_all_jobs_are_per_copy_as_in_the_job_list(station, app):
    flyer = job(app, "Flyer.pdf")
    assert flyer["copies"] == 10 and flyer["page_count"] == 2
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await people(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(pilot.app.screen, AllJobsScreen), "all jobs")
        screen = pilot.app.screen
        await until(pilot, lambda: flyer["id"] in screen.rows, "the flyer")
        grid = screen.query_one("#table", DataTable)
        cells = [str(cell).strip() for cell in grid.get_row(str(flyer["id"]))]
        assert cells[1] == "Flyer.pdf" and cells[3] == "2"
        assert grid.has_focus  # Up/Down at once here too


async def test_a_person_without_the_right_to_look_people_up_sees_user_names(station, connect, app):
    """The history of a person: the helpdesk's name is not theirs to read; the user name shows."""
    await helpdesk_change(connect)
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "1234")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), "the history")
        await until(pilot, lambda: "Flyer.pdf" in shown(pilot, "#detail"), "the entry, named")
        assert "carol changed Flyer.pdf for Alice Martin" in shown(pilot, "#detail")
        assert ALICE in pilot.app.screen.names.people


async def test_quitting_with_the_helpdesk_logged_in_ends_its_session_on_the_server(station, wire):
    ui = helpdesk(station)
    async with ui.run_test(size=(100, 30)) as pilot:
        await people(pilot)
        assert ("POST", "/api/auth/revoke") not in wire.requests
    assert ("POST", "/api/auth/revoke") in wire.requests


async def test_help_on_a_persons_jobs_lists_the_keys_as_they_work_there(station):
    """b and l go back here: the help says so, and neither fits the balance nor logs out."""
    from station.ui.modals import HelpModal

    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpModal), "the help")
        keys = dict(pilot.app.screen.keys)
        assert keys["b/l"] == "back to people"
        assert keys["r"] == "release"  # the jobs screen's keys are there: the control
        descriptions = set(keys.values())
        assert "fit my balance" not in descriptions and "log out" not in descriptions
        assert "back to all jobs" not in descriptions
