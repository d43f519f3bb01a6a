"""The job table with many jobs: what a person sees when many go at once or the cursor moves,
and that only the rows that show are ever drawn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from textual.app import App, ComposeResult

from station.api.models import Job
from station.api.release import AS_SENT, ReleaseOptions
from station.ui.widgets.job_table import JobTable

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

    def chosen(self, job_id: int) -> ReleaseOptions:
        return AS_SENT

    def shown_name(self, name: str) -> str:
        return name


def jobs(count: int) -> list[Job]:
    """Newest first by id: the table's default order (submitted, newest first) is id order."""
    return [
        Job(id=100 + i, name=f"Job {i}.pdf", date_time=NOW - timedelta(minutes=i + 1), page_count=1 + i % 9,
            cost=Decimal("0.06"), state="ready", expires_at=NOW + timedelta(hours=20))
        for i in range(count)
    ]


class CountingTable(JobTable):
    """A job table that counts the rows whose cells it builds."""

    built = 0

    def build_cells(self, row, columns, cursor):  # type: ignore[no-untyped-def]
        self.built += 1
        return super().build_cells(row, columns, cursor)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield CountingTable(Context())


def ids(grid: JobTable) -> list[int]:
    return grid.ordered_ids


def line(grid: JobTable, row: int) -> str:
    """What the terminal shows on the line of the row at this place in the view (below the heading)."""
    return grid.render_line(row + 1).text


def view(grid: JobTable) -> list[str]:
    """Every line the table shows, the heading first."""
    return [grid.render_line(y).text for y in range(grid.scrollable_content_region.height)]


async def test_many_rows_gone_at_once_leave_the_rest_in_order_and_the_cursor_in_place():
    async with Host().run_test(size=(100, 30)) as pilot:
        grid = pilot.app.query_one(JobTable)
        grid.sync(jobs(200))
        await pilot.pause()
        grid.move_to(jobs(200)[150].id)
        await pilot.pause()
        kept = [job for job in jobs(200) if job.id % 3 == 0]  # 133 go, the cursor's job among them
        grid.sync(kept)
        await pilot.pause()
        assert ids(grid) == [job.id for job in kept]
        assert grid.row_count == len(kept)
        assert grid.cursor_row == min(150, len(kept) - 1)  # the next job took the cursor's place
        assert grid.cursor_job_id == kept[-1].id
        cursor_lines = [text for text in view(grid) if text.startswith(" ▸")]
        assert cursor_lines == [line for line in view(grid) if f"Job {kept[-1].id - 100}.pdf" in line]

        on = kept[10].id
        grid.move_to(on)
        await pilot.pause()
        grid.sync([job for job in kept if job.id == on or job.id % 2])  # the cursor's job stays
        await pilot.pause()
        assert grid.cursor_job_id == on
        assert next(text for text in view(grid) if text.startswith(" ▸")).startswith(f" ▸  Job {on - 100}.pdf")


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
            assert grid.cell(ids(grid)[row], "mark").plain.startswith(" ▸")
            assert not grid.cell(ids(grid)[row - 1], "mark").plain.startswith(" ▸")
        for row in range(4, 0, -1):  # back over rows whose look was drawn before
            await pilot.press("up")
            await pilot.pause()
            assert line(grid, row).startswith(" ▸") and not line(grid, row + 1).startswith(" ▸")


async def test_ten_thousand_jobs_build_only_the_rows_that_show():
    async with Host().run_test(size=(100, 30)) as pilot:
        grid = pilot.app.query_one(CountingTable)
        grid.focus()
        await pilot.pause()
        grid.sync(jobs(10_000))
        await pilot.pause()
        shown = grid.scrollable_content_region.height - 1
        assert grid.row_count == 10_000 and view(grid)[1].startswith(" ▸  Job 0.pdf")
        assert 0 < grid.built <= shown + 1  # the 29 rows on screen (and the cursor's row once more)
        await pilot.press("end")
        await pilot.pause()
        assert grid.cursor_job_id == 100 + 9_999 and view(grid)[-1].startswith(" ▸  Job 9999.pdf")
        assert grid.built <= 2 * (shown + 1)
