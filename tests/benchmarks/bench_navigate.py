"""navigate_10k: 200 cursor moves on the station's jobs screen holding 10,000 jobs, p95 per key,
against the same keys on a bare `DataTable` holding the same rows.

Each key is timed from the moment it is sent until the frame that shows the moved cursor is
painted (the headless terminal got it), with everything the move sets off handled: the table's
cursor mark, the totals line.
"""

from __future__ import annotations

import asyncio
import gc
import time

from harness import (
    SIZE, PaintClock, emit, log, make_jobs, median, offline_station, open_jobs, p95, quick, ratio_result, settle,
    shown_rows,
)

from textual.app import App, ComposeResult
from textual.widgets import DataTable



async def press_and_time(pilot, clock: PaintClock, keys: list[str]) -> list[float]:
    times = []
    driver = pilot.app._driver
    from textual import events

    for key in keys:
        frames = clock.count()
        start = time.perf_counter()
        driver.send_message(events.Key(key, None))
        painted = await settle(pilot, clock, after=frames)
        times.append(painted - start)
    return times


def moves() -> list[str]:
    """200 moves (100 with --quick): down the list, then back up a little; the cursor scrolls
    the table as it goes."""
    count = 100 if quick() else 200
    return ["down"] * (count * 3 // 4) + ["up"] * (count - count * 3 // 4)


async def station_keys(jobs: list) -> tuple[list[float], list[list]]:
    app = offline_station()
    async with app.run_test(size=SIZE) as pilot:
        clock = PaintClock.install(app)
        screen = await open_jobs(pilot, jobs)
        await settle(pilot, clock)
        table = screen.table
        start_row = table.cursor_row
        gc.collect()
        times = await press_and_time(pilot, clock, moves())
        keys = moves()
        assert table.cursor_row == start_row + keys.count("down") - keys.count("up"), table.cursor_row
        rows, columns = shown_rows(table)
    return times, [rows, columns]


class TableHost(App[None]):
    def __init__(self, rows: list[list], columns: list) -> None:
        super().__init__()
        self.rows, self.columns_ = rows, columns

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", cell_padding=0)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in self.columns_:
            table.add_column(label, width=width)
        table.add_rows(self.rows)
        table.focus()


async def bare_keys(rows: list[list], columns: list) -> list[float]:
    app = TableHost(rows, columns)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        clock = PaintClock.install(app)
        await settle(pilot, clock)
        gc.collect()
        return await press_and_time(pilot, clock, moves())


async def main() -> None:
    jobs = make_jobs(10_000)
    ours: list[float] = []
    bare: list[float] = []
    for _attempt in range(1 if quick() else 3):
        times, (rows, columns) = await station_keys(jobs)
        baseline = await bare_keys(rows, columns)
        log(f"navigate 10k: station p95 {p95(times) * 1000:.1f} ms (median {median(times) * 1000:.1f}),"
            f" bare p95 {p95(baseline) * 1000:.1f} ms (median {median(baseline) * 1000:.1f})")
        ours.append(p95(times))
        bare.append(p95(baseline))
    emit(ratio_result("navigate_10k", median(ours) * 1000, median(bare) * 1000, "ms", at_most=1.2, digits=2))


if __name__ == "__main__":
    asyncio.run(main())
