"""render_1k / render_10k / render_50k: parsed jobs in hand to the table painted, against a bare
DataTable.

The station's `JobTable.sync(jobs)` (keyed rows, sorted, the visible rows' cells built from `Job`
objects) is timed from the call until the headless terminal got the frame that shows them. The
baseline is a bare `DataTable` with the same columns (same labels and widths) and `add_rows` of
the very same cells (every row's, built outside the clock), in an app of the same size. 50,000
jobs is the helpdesk's all-jobs view.
"""

from __future__ import annotations

import asyncio
import time

import gc

from harness import (
    SIZE, Context, PaintClock, emit, log, make_jobs, median, quick, ratio_result, settle, shown_rows, table_shows,
    until, wanted,
)

from textual.app import App, ComposeResult
from textual.widgets import DataTable


class TableHost(App[None]):
    """One table filling a screen."""

    def __init__(self, table: DataTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def time_job_table(jobs: list) -> tuple[float, list[list], list[tuple[object, int]]]:
    """Seconds from `sync(jobs)` to painted; the rows as shown, and the columns (label, width)."""
    from station.ui.widgets.job_table import JobTable

    table = JobTable(Context())
    app = TableHost(table)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        clock = PaintClock.install(app, lambda: table_shows(table, len(jobs)))
        await until(pilot, lambda: table.columns_shown)
        await settle(pilot, clock)
        gc.collect()
        frames = clock.count()
        start = time.perf_counter()
        table.sync(jobs)
        await settle(pilot, clock, after=frames)
        painted = clock.first_ready(frames)
        assert table.row_count == len(jobs), (table.row_count, len(jobs))
        rows, columns = shown_rows(table)
    return painted - start, rows, columns


async def time_bare_table(rows: list[list], columns: list[tuple[object, int]]) -> float:
    table = DataTable(cursor_type="row", cell_padding=0, zebra_stripes=False)
    app = TableHost(table)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        clock = PaintClock.install(app, lambda: table_shows(table, len(rows)))
        for label, width in columns:
            table.add_column(label, width=width)
        await settle(pilot, clock)
        gc.collect()
        frames = clock.count()
        start = time.perf_counter()
        table.add_rows(rows)  # cells built for this round alone: nobody else holds them
        await settle(pilot, clock, after=frames)
        painted = clock.first_ready(frames)
        assert table.row_count == len(rows)
    return painted - start


async def measure(count: int, repeats: int, warm_up: bool = True) -> tuple[float, float]:
    jobs = make_jobs(count)
    ours: list[float] = []
    bare: list[float] = []
    for attempt in range(int(not warm_up), repeats + 1):  # round 0 warms up and is not counted
        seconds, rows, columns = await time_job_table(jobs)
        baseline = await time_bare_table(rows, columns)
        if attempt:
            ours.append(seconds)
            bare.append(baseline)
        log(f"render {count}: job table {seconds * 1000:.0f} ms, bare DataTable {baseline * 1000:.0f} ms")
    return median(ours), median(bare)


async def main() -> None:
    repeats = 3 if quick() else 7
    if wanted("render_1k"):
        value, baseline = await measure(1_000, repeats)
        emit(ratio_result("render_1k", value, baseline, "s", at_most=1.3))
    if wanted("render_10k"):
        value, baseline = await measure(10_000, 1 if quick() else 5, warm_up=False)
        emit(ratio_result("render_10k", value, baseline, "s", at_most=1.0, value_under=0.5))
    if wanted("render_50k"):
        value, baseline = await measure(50_000, 1 if quick() else 3, warm_up=False)
        emit(ratio_result("render_50k", value, baseline, "s", value_under=1.0))


if __name__ == "__main__":
    asyncio.run(main())
