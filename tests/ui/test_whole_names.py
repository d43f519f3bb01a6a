"""Whole names (issue 14, item 1): under the job table a detail line always gives the highlighted
job's whole name, and its details; the name column gets the room first, and the columns that give
way are named in words."""

from __future__ import annotations

import httpx
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable

from station.api.client import StationClient
from station.config import Settings
from station.server.seed import AGENDA, HANDOUT, REPORT
from station.ui.masking import MASK
from station.ui.screens.all_jobs import AllJobsScreen
from station.ui.widgets.job_detail import NO_JOB, JobDetail

from .helpdesk_support import helpdesk, open_person, people
from .support import job, log_in, store, table, until

LONG = "Minutes of the works council meeting of 12 November – final, approved and signed.pdf"
HOSTILE = "[b]bold?[/b] [link=http://evil.example]here[/link] \x1b[31mred\x1b[0m\x1b]0;owned\x07 tab\there\x07.pdf"
HOSTILE_SHOWN = "[b]bold?[/b] [link=http://evil.example]here[/link] red tab here .pdf"  # as plain() leaves it


def drawn(widget: Widget) -> list[str]:
    """The widget's lines as the terminal shows them (without the padding), its top border and
    the words on it first."""
    width, height = widget.outer_size
    return [strip.text.strip() for strip in widget.render_lines(Region(0, 0, width, height))]


def detail(pilot) -> JobDetail:
    return pilot.app.screen.query_one(JobDetail)


def read(panel: Widget) -> tuple[str, str]:
    """The name as a person reads it under the border (its one or two lines joined), and the
    line of facts after it."""
    lines = [line for line in drawn(panel)[1:] if line]
    return " ".join(lines[:-1]), lines[-1] if lines else ""


def name_read(pilot) -> str:
    return read(detail(pilot))[0]


def facts_read(pilot) -> str:
    return read(detail(pilot))[1]


async def spool(app, pin: str, owner: str, *names: str) -> list[int]:
    async with StationClient("http://station.test", transport=httpx.ASGITransport(app=app)) as client:
        await client.login_pin(pin)
        return [await client.spool(queue="direct", owner=owner, name=name, job_info={"pageCount": 1}) for name in names]


async def test_the_whole_name_follows_the_cursor_through_every_job_at_100x30(station, app):
    await spool(app, "1234", "alice", LONG)
    async with station().run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        grid = table(pilot)
        assert len(LONG) > 80 and grid.cell(job(app, LONG)["id"], "name").plain.strip().endswith("…")  # cut there
        await pilot.press("home")
        seen = []
        for place, job_id in enumerate(grid.ordered_ids):
            if place:
                await pilot.press("down")
            await until(pilot, lambda job_id=job_id: name_read(pilot) == screen.jobs[job_id].name, "the name")
            seen.append(name_read(pilot))
        assert seen == [screen.jobs[job_id].name for job_id in grid.ordered_ids]
        assert {LONG, REPORT, AGENDA} <= set(seen)
        report = job(app, REPORT)["id"]
        grid.move_to_job(report)
        await until(pilot, lambda: name_read(pilot) == REPORT)
        assert drawn(detail(pilot))[1] == REPORT  # 79 characters: one line of its own at 100x30
        assert facts_read(pilot) == (
            "Submitted 3 h ago · expires in 21 h · project Annual report (AR-2026) · queue direct"
        )


async def test_at_80x24_a_long_name_wraps_onto_a_second_line_and_the_details_still_fit(station, app):
    async with station().run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        table(pilot).move_to_job(job(app, REPORT)["id"])
        await until(pilot, lambda: name_read(pilot) == REPORT)
        lines = drawn(detail(pilot))
        assert len(lines) == 4 and lines[1] != REPORT and lines[2]  # wrapped: two lines of name
        assert facts_read(pilot) == lines[3] == "Submitted 3 h ago · expires in 21 h · project AR-2026 · queue direct"


async def test_the_detail_follows_a_change_to_the_highlighted_job(station, app, connect):
    async with station(refresh_interval=0.05).run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        flyer = job(app, "Flyer.pdf")["id"]
        table(pilot).move_to_job(flyer)
        await until(pilot, lambda: "project Marketing Q4 campaign (MKT-Q4)" in facts_read(pilot))
        async with connect() as other:
            await other.login_pin("1234")
            await other.patch_jobs([flyer], project_id=3)
        await until(pilot, lambda: screen.jobs[flyer].project_id == 3, "the quiet refresh")
        await until(pilot, lambda: "project Annual report (AR-2026)" in facts_read(pilot), "the new project")


async def test_a_project_the_person_does_not_have_is_named_by_its_number(station, app):
    with store(app).tx() as db:  # Product launch (2) is not one of alice's projects
        db.execute("UPDATE jobs SET project_id = 2 WHERE name = 'Flyer.pdf'")
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        table(pilot).move_to_job(job(app, "Flyer.pdf")["id"])
        await until(pilot, lambda: name_read(pilot) == "Flyer.pdf")
        assert facts_read(pilot) == "Submitted 2 h ago · expires in 22 h · project #2 · queue direct"


async def test_masked_names_stay_masked_in_the_detail_until_n(station, app):
    async with station(settings=Settings(mask_job_names=True)).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        grid = table(pilot)
        for job_id in grid.ordered_ids:
            grid.move_to_job(job_id)
            await pilot.pause()
            assert name_read(pilot) == MASK
            assert not any(job_name in "\n".join(drawn(detail(pilot))) for job_name in (REPORT, AGENDA, "Flyer"))
        await pilot.press("n")  # the owner shows the names
        await until(pilot, lambda: name_read(pilot) != MASK)
        assert name_read(pilot) == pilot.app.screen.jobs[grid.cursor_job_id].name
        await pilot.press("n")
        await until(pilot, lambda: name_read(pilot) == MASK)


async def test_a_hostile_name_shows_as_the_letters_it_holds(station, app):
    await spool(app, "9012", "dave", HOSTILE)
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "9012")
        await until(pilot, lambda: name_read(pilot) == HOSTILE_SHOWN)
        shown = detail(pilot).render()
        assert not [span for span in shown.spans if "link" in str(span.style)]  # no markup acted
        assert "\x1b" not in "".join(drawn(detail(pilot))) and "\x07" not in "".join(drawn(detail(pilot)))


async def test_a_name_as_long_as_the_server_allows_is_cut_after_two_lines(station, app):
    await spool(app, "9012", "dave", "L" * 1000)
    async with station().run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "9012")
        await until(pilot, lambda: name_read(pilot).startswith("L"))
        lines = drawn(detail(pilot))
        assert len(lines) == 4 and lines[2].endswith("L…") and lines[3].startswith("Submitted just now")


async def test_no_job_says_so(station):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "9012")  # dave: nothing waits
        assert drawn(detail(pilot))[1] == NO_JOB


async def test_the_columns_that_give_way_are_named_and_the_notice_goes_when_wide(station):
    async with station().run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        grid = table(pilot)
        name_width = dict((column.key, width) for column, width in grid.columns_shown)["name"]
        assert "▔2 columns hidden (Project, Expires): widen the window▔" in drawn(detail(pilot))[0]
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: [column.key for column in grid.hidden_columns] == ["expires"])
        await until(pilot, lambda: "▔1 column hidden (Expires): widen the window▔" in drawn(detail(pilot))[0])
        assert dict((column.key, width) for column, width in grid.columns_shown)["name"] >= 30 > name_width
        await pilot.resize_terminal(140, 30)
        await until(pilot, lambda: not grid.hidden_columns)
        await until(pilot, lambda: "hidden" not in drawn(detail(pilot))[0])
        assert set(drawn(detail(pilot))[0]) == {"▔"}  # the border alone


async def test_the_helpdesk_sees_the_whole_name_of_a_persons_job(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        screen = await open_person(pilot, "bob")
        table(pilot).move_to_job(job(app, HANDOUT)["id"])
        await until(pilot, lambda: name_read(pilot) == HANDOUT)
        assert screen.query_one(JobDetail).display
        assert facts_read(pilot) == (
            "Submitted 2 h ago · expires in 21 h · project Customer workshop (CW-11) · queue secure"
        )


async def test_all_jobs_gives_the_highlighted_jobs_whole_name(station, app):
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        await people(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(pilot.app.screen, AllJobsScreen), "all jobs")
        screen = pilot.app.screen
        grid = screen.query_one("#table", DataTable)
        await until(pilot, lambda: grid.row_count > 0, "the page")
        panel = screen.query_one("#detail")
        names_seen = set()
        for _ in range(grid.row_count):
            await until(pilot, lambda: screen.highlighted() is not None)
            row = screen.highlighted()
            await until(pilot, lambda row=row: read(panel)[0] == row.name, "the name")
            names_seen.add(row.name)
            assert read(panel)[1].startswith(f"Owner {row.owner} · submitted ")
            await pilot.press("down")
        assert {REPORT, AGENDA, HANDOUT} <= names_seen


async def test_following_the_cursor_lays_nothing_out(station, app, monkeypatch):
    """The detail keeps one height, whether the name takes one line or two: a cursor move
    repaints it, and the screen is not laid out anew (a layout costs the whole screen, about
    15 ms a key). From the Flyer down, past the report whose name wraps at 80x24."""
    async with station().run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        grid = table(pilot)
        grid.move_to_job(job(app, "Flyer.pdf")["id"])
        await until(pilot, lambda: name_read(pilot) == "Flyer.pdf")
        await pilot.pause()
        layouts = []
        real = type(screen)._refresh_layout

        def counted(self, *args, **kwargs):
            layouts.append(screen.jobs[grid.cursor_job_id].name)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(type(screen), "_refresh_layout", counted)
        wrapped = False
        for job_id in grid.ordered_ids[grid.cursor_row + 1:]:
            await pilot.press("down")
            await until(pilot, lambda job_id=job_id: name_read(pilot) == screen.jobs[job_id].name)
            wrapped = wrapped or len([line for line in drawn(detail(pilot))[1:] if line]) == 3
        assert wrapped and layouts == []
