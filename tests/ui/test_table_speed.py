"""The job table's shortcuts past DataTable's slow paths show what the slow paths would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from textual.app import App, ComposeResult

from station.api.models import Job
from station.ui.widgets.job_table import BULK_REMOVE, JobTable

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class Context:
    currency = "EUR"

    def now(self) -> datetime:
        return NOW

    def project_label(self, project_id: int) -> str:
        return ""

    def is_selected(self, job_id: int) -> bool:
        return False

    def saving(self, job_id: int) -> Decimal:
        return Decimal("0")


def jobs(count: int) -> list[Job]:
    """Newest first by id: the table's default order (submitted, newest first) is id order."""
    return [
        Job(id=100 + i, name=f"Job {i}.pdf", date_time=NOW - timedelta(minutes=i + 1), page_count=1 + i % 9,
            cost=Decimal("0.06"), state="ready", expires_at=NOW + timedelta(hours=20))
        for i in range(count)
    ]


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield JobTable(Context())


def ids(grid: JobTable) -> list[int]:
    return grid.ordered_ids


def line(grid: JobTable, row: int) -> str:
    """What the terminal shows on a row's line (below the header)."""
    return grid.render_line(row + grid.header_height).text


async def test_many_rows_gone_at_once_leave_the_rest_in_order_and_the_cursor_in_place():
    async with Host().run_test(size=(100, 30)) as pilot:
        grid = pilot.app.query_one(JobTable)
        grid.sync(jobs(200))
        await pilot.pause()
        grid.move_cursor(row=150)
        await pilot.pause()
        kept = [job for job in jobs(200) if job.id % 3 == 0]  # 133 go: the table is built anew
        assert 200 - len(kept) >= BULK_REMOVE
        grid.sync(kept)
        await pilot.pause()
        assert ids(grid) == [job.id for job in kept]
        assert grid.row_count == len(kept) and grid.virtual_size.height == len(kept) + grid.header_height
        assert grid.cursor_row == min(150, len(kept) - 1)  # where removing row by row leaves it
        assert grid.get_cell(str(grid.cursor_job_id), "mark").plain.startswith(" ▸")

        on = kept[10].id
        grid.move_cursor(row=grid.get_row_index(str(on)))
        await pilot.pause()
        grid.sync([job for job in kept if job.id == on or job.id % 2])  # the cursor's job stays
        await pilot.pause()
        assert grid.cursor_job_id == on


async def test_the_cursor_mark_follows_the_cursor_on_screen():
    async with Host().run_test(size=(100, 30)) as pilot:
        grid = pilot.app.query_one(JobTable)
        grid.sync(jobs(40))
        await pilot.pause()
        grid.focus()
        for row in range(1, 6):
            await pilot.press("down")
            await pilot.pause()
            assert line(grid, row).startswith(" ▸") and not line(grid, row - 1).startswith(" ▸")
            assert grid.get_cell(str(ids(grid)[row]), "mark").plain.startswith(" ▸")
            assert not grid.get_cell(str(ids(grid)[row - 1]), "mark").plain.startswith(" ▸")
        for row in range(4, 0, -1):  # back over rows whose look was drawn before
            await pilot.press("up")
            await pilot.pause()
            assert line(grid, row).startswith(" ▸") and not line(grid, row + 1).startswith(" ▸")
