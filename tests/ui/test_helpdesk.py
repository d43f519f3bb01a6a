"""The helpdesk (`--helpdesk`): staff log in, find a person, act for them with a reason, read
the audit, and page through everyone's jobs; all against the real embedded server."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input

from station.config import Settings
from station.server.seed import ALICE, BOB
from station.server.store import to_us
from station.ui.modals import OwnerPicker, ReasonModal, ReleaseConfirm
from station.ui.screens.all_jobs import AllJobsScreen
from station.ui.screens.audit import AuditScreen
from station.ui.screens.helpdesk import HelpdeskScreen
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen
from station.ui.screens.owner_jobs import OwnerJobsScreen
from station.ui.widgets.job_table import JobTable

from .helpdesk_support import (
    REASON,
    give_reason,
    helpdesk,
    helpdesk_change,
    open_person,
    people,
    staff_login,
    usernames,
)
from .support import audit, go_to, job, log_in, settle, shown, store, text, type_text, until


def pending_of(app: Any, owner_id: int) -> set[str]:
    with store(app).read() as db:
        rows = db.all("SELECT name FROM jobs WHERE owner_id = ? AND state IN ('ready', 'paused')", (owner_id,))
    return {row["name"] for row in rows}


# --- logging in ---------------------------------------------------------------------------------


async def test_helpdesk_staff_log_in_with_password_and_see_people(station, wire):
    ui = helpdesk(station)
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await people(pilot)
        assert usernames(screen) == ["alice", "bob", "carol", "dave"]
        assert "Carol Nguyen" in shown(pilot, "#who")
        # The helpdesk asked for the scope users, and the server granted it.
        assert "users" in screen.session.client.scopes
        keys = {binding.id for binding in screen.BINDINGS}
        assert {"helpdesk.search", "helpdesk.all_jobs", "helpdesk.audit", "helpdesk.logout"} <= keys


async def test_a_person_who_is_not_helpdesk_is_told_in_words(station, wire):
    ui = helpdesk(station)
    async with ui.run_test(size=(100, 30)) as pilot:
        await staff_login(pilot, "alice", "alice-pw")
        await until(pilot, lambda: "not helpdesk staff" in shown(pilot, "#login-message"), "the refusal")
        assert isinstance(pilot.app.screen, LoginScreen)
        assert "Alice Martin is not helpdesk staff" in shown(pilot, "#login-message")
        assert ("POST", "/api/auth/revoke") in wire.requests  # her token does not linger
        assert not any(path == "/api/v3/users" for _, path in wire.requests)


async def test_helpdesk_mode_asks_for_user_name_and_password_only(station):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: pilot.app.screen.query_one("#username"))
        screen = pilot.app.screen
        assert screen.query_one("#mode-password").display
        assert not screen.query_one("#mode-secret").display
        await pilot.press("f3")
        assert screen.mode == "password"
        assert "Helpdesk staff" in shown(pilot, "#login-prompt")


# --- people -------------------------------------------------------------------------------------


async def test_search_people_on_the_server(station, wire):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        screen = await people(pilot)
        await pilot.press("slash")
        assert screen.query_one("#user-search", Input).has_focus
        wire.reset()
        await type_text(pilot, "kel")
        await until(pilot, lambda: usernames(screen) == ["bob"], "bob alone")
        assert ("GET", "/api/v3/users") in wire.requests
        await type_text(pilot, "zzz")
        await until(pilot, lambda: "Nobody matches" in shown(pilot, "#users-empty"), "nobody")


async def test_open_alices_jobs_acting_for_her(station, app, wire):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        screen = await open_person(pilot, "alice")
        assert {plain.name for plain in screen.jobs.values()} == pending_of(app, ALICE)
        assert "Alice Martin" in shown(pilot, "#who") and "helpdesk: Carol Nguyen" in shown(pilot, "#who")
        assert screen.session.staff is not None and screen.session.staff.username == "carol"
        await pilot.press("b")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpdeskScreen), "back to people")
        # Leaving the visit does not end the staff's session.
        assert ("POST", "/api/auth/revoke") not in wire.requests
        assert pilot.app.screen.session.client.logged_in


# --- acting with a reason --------------------------------------------------------------------


async def test_release_for_alice_with_a_reason(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        board = job(app, "Board minutes.pdf")
        await go_to(pilot, board["id"])
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        await pilot.press("enter")
        await give_reason(pilot)
        await until(pilot, lambda: "Released 1 job" in shown(pilot, "#status"), "the release")
        assert job(app, "Board minutes.pdf")["state"] in ("processing", "printed")
        (entry,) = audit(app, "release")
        assert entry["actor"] == "carol" and entry["owner"] == "alice" and entry["owner_id"] == ALICE
        assert entry["reason"] == REASON
        assert entry["job_ids"] == f"[{board['id']}]"
        assert entry["amount_cents"] == board["cost_cents"] == 24
        assert REASON in shown(pilot, "#who")  # the visit's reason, on screen


async def test_one_reason_per_visit_serves_every_change(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await pilot.press("f")
        await give_reason(pilot)
        await until(pilot, lambda: "favourite" in shown(pilot, "#status"))
        await pilot.press("d")  # no second question
        await until(pilot, lambda: "2-sided" in shown(pilot, "#status"), "the switch")
        assert not isinstance(pilot.app.screen, ReasonModal)
        entries = audit(app, "update") + audit(app, "duplex")
        assert len(entries) == 2 and {entry["reason"] for entry in entries} == {REASON}
        assert job(app, "Board minutes.pdf")["favorite"] == 1 and job(app, "Board minutes.pdf")["duplex"] == 1


async def test_an_empty_reason_is_refused_and_nothing_is_sent(station, app, wire):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        wire.reset()
        await pilot.press("f")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReasonModal), "the reason dialog")
        pilot.app.screen.query_one("#reason", Input).value = "   "
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReasonModal)
        assert "A reason is needed: nothing was sent" in text(pilot.app.screen.query_one("#reason-message"))
        await pilot.press("escape")
        await until(pilot, lambda: "Nothing was changed" in shown(pilot, "#status"), "the refusal")
        await settle(pilot)
        assert [method for method, _ in wire.requests if method != "GET"] == []
        assert job(app, "Board minutes.pdf")["favorite"] == 0
        assert audit(app, "update") == []


async def test_hand_a_job_to_bob(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        screen = await open_person(pilot, "alice")
        tickets = job(app, "Expense claim.xlsx")
        await go_to(pilot, tickets["id"])
        await pilot.press("o")
        await until(pilot, lambda: isinstance(pilot.app.screen, OwnerPicker), "the owner picker")
        picker = pilot.app.screen
        await type_text(pilot, "bob")
        await until(pilot, lambda: list(picker.users) == [str(BOB)], "bob found")
        await pilot.press("enter")
        await give_reason(pilot, "Printed to the wrong name")
        handed = "Expense claim.xlsx now belongs to Bob Keller (bob)"
        await until(pilot, lambda: handed in shown(pilot, "#status"), "the hand-over")
        assert tickets["id"] not in screen.jobs
        assert job(app, "Expense claim.xlsx")["owner_id"] == BOB
        (entry,) = audit(app, "update")
        assert entry["owner_id"] == BOB and entry["previous_owner_id"] == ALICE
        assert entry["actor"] == "carol" and entry["reason"] == "Printed to the wrong name"


# --- the audit -------------------------------------------------------------------------------------


async def test_audit_view_shows_who_did_what_for_whom_and_why(station, app, connect):
    await helpdesk_change(connect)
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await people(pilot)
        await pilot.press("h")
        await until(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), "the audit")
        screen = pilot.app.screen
        table = screen.query_one("#table", DataTable)
        await until(pilot, lambda: table.row_count == 1, "the entry")
        cells = [str(cell).strip() for cell in table.get_row_at(0)]
        assert cells[0] == "just now" and cells[1] == "03-02 09:30"
        await until(pilot, lambda: "Flyer.pdf" in str(table.get_row_at(0)[5]), "the job's name")
        cells = [str(cell).strip() for cell in table.get_row_at(0)]
        assert cells[2:6] == ["changed", "carol", "alice", "Flyer.pdf"]
        assert "[bold]" in cells[7] and REASON.startswith(cells[7].rstrip("…"))  # cut to fit, literal
        detail = shown(pilot, "#detail")
        assert "2026-03-02 09:30:00 UTC (just now)" in detail
        assert "Carol Nguyen changed Flyer.pdf for Alice Martin: project now" in detail and f"Why: {REASON}" in detail
        assert "Entries 1–1 of 1" in shown(pilot, "#status")


async def test_audit_pages(station, app):
    with store(app).tx() as db:
        for index in range(130):
            db.audit(action="cancel", actor_id=ALICE, actor="alice", owner_id=ALICE, owner="alice", job_ids=[index + 1])
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await people(pilot)
        await pilot.press("h")
        await until(pilot, lambda: "Entries 1–100 of 130" in shown(pilot, "#status"), "page 1")
        await pilot.press("n")
        await until(pilot, lambda: "Entries 101–130 of 130" in shown(pilot, "#status"), "page 2")
        assert pilot.app.screen.query_one("#table", DataTable).row_count == 30
        await pilot.press("p")
        await until(pilot, lambda: "Entries 1–100 of 130" in shown(pilot, "#status"), "page 1 again")


async def test_a_person_sees_their_own_history(station, app, connect):
    await helpdesk_change(connect, "She asked for the annual report project")
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "1234")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), "the history")
        table = pilot.app.screen.query_one("#table", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        assert "She asked for the annual report project" in shown(pilot, "#detail")
        assert "carol changed" in shown(pilot, "#detail")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen))


async def test_bob_does_not_see_alices_history(station, connect):
    await helpdesk_change(connect)
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "5678")
        await pilot.press("h")
        await until(pilot, lambda: "Nothing recorded yet" in shown(pilot, "#status"))


# --- all jobs -----------------------------------------------------------------------------------


def seed_many(app: Any, count: int) -> None:
    """`count` ready jobs, alice's and bob's in turn, a second apart: one transaction."""
    settings = store(app).settings
    base = to_us(settings.now()) - (count + 10) * 1_000_000
    rows = [
        ((ALICE, BOB)[i % 2], f"Bulk {i:05d}.pdf", base + i * 1_000_000, 1 + i % 7, 4 * (1 + i % 7))
        for i in range(count)
    ]
    with store(app).tx() as db:
        db.executemany(
            "INSERT INTO jobs (owner_id, name, submitted_us, page_count, state, queue, cost_cents)"
            " VALUES (?, ?, ?, ?, 'ready', 'direct', ?)",
            rows,
        )


async def test_all_jobs_pages_over_many_jobs_and_opens_one_for_its_owner(station, app, wire):
    seed_many(app, 1_000)
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await people(pilot)
        wire.reset()
        await pilot.press("a")
        await until(pilot, lambda: isinstance(pilot.app.screen, AllJobsScreen), "all jobs")
        screen = pilot.app.screen
        table = screen.query_one("#table", DataTable)
        await until(pilot, lambda: "Jobs 1–100 of 1,011" in shown(pilot, "#status"), "page 1")
        assert table.row_count == 100
        await pilot.press("n")
        await until(pilot, lambda: "Jobs 101–200 of 1,011 · page 2 of 11" in shown(pilot, "#status"), "page 2")
        assert table.row_count == 100
        requests = [path for _, path in wire.requests if path == "/api/v3/jobs"]
        assert len(requests) == 2  # one page each, never the whole list
        await pilot.press("p")
        await until(pilot, lambda: "Jobs 1–100" in shown(pilot, "#status"), "page 1 again")
        await pilot.press("slash")
        await type_text(pilot, "bulk 00421")
        await until(pilot, lambda: table.row_count == 1 and "of 1 " in shown(pilot, "#status"), "the search")
        await pilot.press("enter")  # to the list
        await pilot.press("enter")  # act for the owner
        await until(pilot, lambda: isinstance(pilot.app.screen, OwnerJobsScreen), "the owner's jobs")
        owner_screen = pilot.app.screen
        bulk = job(app, "Bulk 00421.pdf")
        assert owner_screen.session.user.id == bulk["owner_id"] == BOB
        await until(pilot, lambda: owner_screen.query_one(JobTable).cursor_job_id == bulk["id"], "the job")


async def test_a_person_cannot_open_all_jobs(station):
    """Only the helpdesk screen has the key; the server refuses `all=true` to a person too."""
    async with station().run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot, "1234")
        assert "all_jobs" not in {binding.action for binding in screen.BINDINGS}


@pytest.mark.parametrize("screen_type", [HelpdeskScreen, OwnerJobsScreen, AllJobsScreen, AuditScreen])
def test_every_key_has_a_description_and_an_id(screen_type):
    for binding in screen_type.BINDINGS:
        assert binding.id and binding.description, binding


async def test_the_visit_says_who_is_acted_for(station):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "bob")
        await settle(pilot)
        assert "Acting for Bob Keller" in shown(pilot, "#status")


async def test_helpdesk_reads_one_persons_history_from_their_jobs(station, app, connect):
    await helpdesk_change(connect)
    with store(app).tx() as db:
        db.audit(action="cancel", actor_id=BOB, actor="bob", owner_id=BOB, owner="bob", job_ids=[110])
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), "alice's history")
        table = pilot.app.screen.query_one("#table", DataTable)
        await until(pilot, lambda: table.row_count == 1, "her entry alone")
        assert "History · Alice Martin" in shown(pilot, "#who")
        assert "for Alice Martin" in shown(pilot, "#detail")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, OwnerJobsScreen), "back to her jobs")


async def test_acting_for_someone_offers_no_release_options_of_the_kiosks_printer(station):
    """The helpdesk acts from its desk: releases go through `process`, so `m` is not offered (and
    `d` keeps the dialog). The control: the same printer setting offers `m` to the person."""
    async with station(settings=Settings(helpdesk=True, printer="1")).run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await until(pilot, lambda: "1/2-sided" in footer_keys(pilot), "the footer")
        assert "black & white" not in footer_keys(pilot)
    async with station(settings=Settings(printer="1")).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await until(pilot, lambda: "1/2-sided" in footer_keys(pilot), "the footer")
        assert "black & white" in footer_keys(pilot)


def footer_keys(pilot) -> list[str]:
    return [str(key.description) for key in pilot.app.screen.query("FooterKey")]
