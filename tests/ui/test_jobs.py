"""The job list: what it shows, totals that follow the selection, sort, filter, refresh."""

from __future__ import annotations

import asyncio

import pytest

from station.ui.widgets.job_table import JobTable

from .support import cell, go_to, job, log_in, names, row, shown, table, type_text, until


async def test_rows_show_what_a_job_is(station, app):
    async with station().run_test(size=(120, 30)) as pilot:  # at 100x30 the expiry gives way to the name
        await log_in(pilot)
        flyer = job(app, "Flyer.pdf")["id"]
        assert row(pilot, flyer) == [
            "", "Flyer.pdf", "2 h ago", "2", "2", "10", "2-sided", "4.20", "MKT-Q4", "22 h",
        ]
        slides = job(app, "Campaign slides.pptx")["id"]
        assert cell(pilot, slides, "name").endswith("(?)")  # a question waits
        board = job(app, "Board minutes.pdf")["id"]
        assert cell(pilot, board, "colour") == "mono"
        assert cell(pilot, board, "submitted") == "12 min ago"


async def test_narrow_screens_give_up_expiry_and_project_first(station):
    async with station().run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        keys = [column.key for column, _width in table(pilot).columns_shown]
        assert "project" not in keys and "expires" not in keys
        assert {"name", "pages", "colour", "copies", "sides", "cost"} <= set(keys)
        heading = table(pilot).render_line(0).text
        assert "Pages" in heading and "Project" not in heading and "Expires" not in heading
        assert [column.label for column in table(pilot).hidden_columns] == ["Project", "Expires"]


async def test_totals_follow_the_selection_or_else_the_highlighted_row(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        flyer = job(app, "Flyer.pdf")["id"]
        await go_to(pilot, board)
        assert shown(pilot, "#totals") == (
            "▸ 1 job · 4 pages, 0 colour · 4 sheets · 0.24 EUR → balance 12.26 EUR"
        )
        await pilot.press("space")
        await go_to(pilot, flyer)
        await pilot.press("space")
        assert cell(pilot, board, "mark") == "✓" and cell(pilot, flyer, "mark") == "▸✓"
        assert shown(pilot, "#totals") == (
            "✓ 2 selected · 24 pages, 20 colour · 14 sheets · 4.44 EUR → balance 8.06 EUR"
        )
        await pilot.press("space")  # unselect the flyer
        assert shown(pilot, "#totals").startswith("✓ 1 selected · 4 pages")
        await pilot.press("a")  # all
        assert shown(pilot, "#totals").startswith("✓ 7 selected")
        await pilot.press("a")  # none
        assert shown(pilot, "#totals").startswith("▸ 1 job")


async def test_dave_has_no_jobs_and_is_told_so_kindly(station):
    async with station().run_test() as pilot:
        await log_in(pilot, "9012")
        assert "Nothing waiting for you, Dave." in shown(pilot, "#empty")
        assert not table(pilot).display
        assert shown(pilot, "#totals") == ""


async def test_sort_by_key_and_by_clicking_a_heading(station):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert names(pilot)[0] == "Board minutes.pdf"  # newest first
        await pilot.press("s")  # the next column: pages, most first
        assert table(pilot).sort_column == "pages"
        assert names(pilot)[0].startswith("Quarterly report")
        await pilot.click(JobTable, offset=(4, 0))  # the Name heading
        assert names(pilot)[:2] == ["Board minutes.pdf", "Campaign slides.pptx (?)"]
        await pilot.click(JobTable, offset=(4, 0))  # again: the other way round
        assert names(pilot)[0] == "Train tickets Berlin.pdf"


async def test_filter_as_you_type_and_escape_clears_it(station):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("slash")
        await type_text(pilot, "fly")
        assert names(pilot) == ["Flyer.pdf"]
        await pilot.press("enter")  # keep the filter, back to the table
        assert pilot.app.screen.focused is table(pilot)
        await pilot.press("escape")
        assert len(names(pilot)) == 7


async def test_the_cursor_is_a_symbol_as_well_as_a_colour(station, app):
    async with station().run_test() as pilot:
        await log_in(pilot)
        first, second = table(pilot).ordered_ids[:2]
        assert cell(pilot, first, "mark") == "▸"
        await pilot.press("down")
        assert cell(pilot, first, "mark") == "" and cell(pilot, second, "mark") == "▸"


async def test_the_quiet_refresh_patches_rows_and_keeps_selection_and_cursor(station, app, connect):
    async with station(refresh_interval=0.05).run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        board, tickets = job(app, "Board minutes.pdf")["id"], job(app, "Train tickets Berlin.pdf")["id"]
        expense = job(app, "Expense claim.xlsx")["id"]
        await go_to(pilot, expense)
        await pilot.press("space")
        # Elsewhere: a new job arrives, one is canceled, one becomes a favourite.
        async with connect() as other:
            await other.login_pin("1234")
            new = await other.spool(
                queue="direct", owner="alice", name="Menu.pdf", job_info={"pageCount": 1}
            )
            await other.cancel([tickets])
            await other.patch_jobs([board], favorite=True)
        # A refresh may come between two of the changes: wait for the one that brings all three.
        await until(
            pilot, lambda: new in screen.jobs and tickets not in screen.jobs and screen.jobs[board].favorite,
            "the quiet refresh",
        )
        await pilot.pause()
        assert "Menu.pdf" in names(pilot)
        assert "Train tickets Berlin.pdf" not in names(pilot)
        assert cell(pilot, board, "name") == "Board minutes.pdf ★"
        assert table(pilot).cursor_job_id == expense  # the cursor stayed on its job
        assert screen.selected == {expense}
        assert cell(pilot, expense, "mark") == "▸✓"


async def test_server_text_is_shown_literally(station, app, connect):
    async with connect() as other:
        await other.login_pin("1234")
        await other.spool(
            queue="direct", owner="alice", name="[bold red]PAID[/] \x1b[31mred\x1b[0m", job_info={"pageCount": 1}
        )
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert "[bold red]PAID[/] red" in names(pilot)


@pytest.mark.parametrize("count", [500])
async def test_five_hundred_jobs_list_and_scroll(station, app, connect, count):
    async with connect() as other:
        await other.login_pin("9012")  # dave: no jobs of his own yet
        for start in range(0, count, 100):
            await asyncio.gather(
                *(
                    other.spool(queue="direct", owner="dave", name=f"Job {n:03d}.pdf", job_info={"pageCount": 1})
                    for n in range(start, start + 100)
                )
            )
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "9012")
        assert table(pilot).row_count == count
        await pilot.press("end")
        assert table(pilot).cursor_row == count - 1
        await pilot.press("space", "pageup", "space")
        assert shown(pilot, "#totals").startswith("✓ 2 selected")
        await pilot.press("home")
        assert table(pilot).cursor_row == 0
