"""The table of pending jobs: one row per job, keyed by the job id, patched in place.

The table draws; it never talks HTTP. The screen hands it jobs (`sync`) and asks it to redraw
rows whose look changed (`redraw`); the table adds new keys, drops gone ones, updates only the
cells that changed, and keeps the cursor on the same job throughout.

Columns have fixed widths so that 500 rows are laid out without measuring every cell twice: the
name takes what is left, and when the terminal is narrow the expiry, then the project column,
give way. Cells carry their own one-space gap (cell padding 0), so numbers line up on the right
and text on the left without wasting two columns of padding on each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

from station.api.models import Job
from station.text import plain
from station.ui.text import ago, cents, signed, time_left

SCROLLBAR = 1
BULK_REMOVE = 32  # removing this many rows or more (and a quarter of them) builds the table anew
MIN_NAME = 20


class RowContext(Protocol):
    """What a row needs to know beyond the job itself."""

    currency: str

    def now(self) -> datetime: ...
    def project_label(self, project_id: int) -> str: ...
    def is_selected(self, job_id: int) -> bool: ...
    def saving(self, job_id: int) -> Decimal: ...


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # content width; 0 for the name, which takes what is left
    right: bool = False
    drop: int = 0  # 0: always shown; else dropped (1 first, then 2) when the name gets too narrow
    sort: Callable[[Job, RowContext], Any] | None = None
    descending_first: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("mark", "", 3, sort=lambda job, ctx: not ctx.is_selected(job.id)),
    Column("name", "Name", 0, sort=lambda job, ctx: plain(job.name).casefold()),
    Column("submitted", "Submitted", 10, sort=lambda job, ctx: job.date_time.timestamp() if job.date_time else 0,
           descending_first=True),
    Column("pages", "Pages", 6, right=True, sort=lambda job, ctx: job.page_count, descending_first=True),
    Column("colour", "Colour", 7, right=True, sort=lambda job, ctx: (job.color, job.color_count),
           descending_first=True),
    Column("copies", "Copies", 7, right=True, sort=lambda job, ctx: job.copies, descending_first=True),
    Column("sides", "Sides", 7, sort=lambda job, ctx: job.duplex),
    Column("cost", "Cost", 11, right=True, sort=lambda job, ctx: job.cost, descending_first=True),
    Column("project", "Project", 10, drop=2, sort=lambda job, ctx: ctx.project_label(job.project_id).casefold()),
    Column("expires", "Expires", 8, right=True, drop=1,
           sort=lambda job, ctx: job.expires_at.timestamp() if job.expires_at else float("inf")),
)
BY_KEY = {column.key: column for column in COLUMNS}
SORTABLE = tuple(column.key for column in COLUMNS if column.key != "mark")


class JobCell(Text):
    """The name cell: it knows its job, so that rows sort by the job rather than by its text."""

    __slots__ = ("job_id",)

    def __init__(self, job_id: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job_id = job_id


def _same(one: Text, other: Text) -> bool:
    """Text equality that sees the style too (`Text.__eq__` compares text and spans only)."""
    return one.plain == other.plain and one.style == other.style and one.spans == other.spans


def layout(width: int) -> tuple[tuple[Column, int], ...]:
    """The columns shown at this width, each with its width including its gap."""
    shown = list(COLUMNS)

    def name_width(columns: list[Column]) -> int:
        fixed = sum(column.width + (column.key != "mark") for column in columns if column.width)
        return width - SCROLLBAR - fixed

    for drop in (1, 2):
        if name_width(shown) >= MIN_NAME + 1:
            break
        shown = [column for column in shown if column.drop != drop]
    name = max(name_width(shown), 9)
    return tuple(
        (column, name if column.key == "name" else column.width + (column.key != "mark")) for column in shown
    )


class JobTable(DataTable):
    """Pending jobs, keyed by job id."""

    BINDINGS = [
        Binding("home", "scroll_top", "first job", show=False, id="table.first"),
        Binding("end", "scroll_bottom", "last job", show=False, id="table.last"),
    ]

    COMPONENT_CLASSES = {
        "job-table--selected",
        "job-table--question",
        "job-table--saving",
        "job-table--dearer",
        "job-table--favorite",
        "job-table--expiring",
        "job-table--dim",
    }

    class CursorMoved(Message):
        """The cursor now rests on another job (or on none)."""

        def __init__(self, job_id: int | None) -> None:
            super().__init__()
            self.job_id = job_id

    def __init__(self, context: RowContext, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", cell_padding=0, zebra_stripes=False, **kwargs)
        self.context = context
        self.jobs: dict[int, Job] = {}
        self._shown: dict[int, tuple[Text, ...]] = {}
        self._layout: tuple[tuple[Column, int], ...] = ()
        self._cursor_id: int | None = None
        self.sort_column = "submitted"
        self.sort_reverse = True

    # --- what the screen asks -----------------------------------------------------------------

    @property
    def cursor_job_id(self) -> int | None:
        if not self.jobs or not self.is_valid_row_index(self.cursor_row):
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:  # the cursor sits where no row is
            return None
        return int(key.value) if key.value is not None else None

    @property
    def ordered_ids(self) -> list[int]:
        return [int(row.key.value) for row in self.ordered_rows if row.key.value is not None]

    def sync(self, jobs: Iterable[Job]) -> None:
        """Show exactly these jobs: add new keys, drop gone keys, update changed cells."""
        wanted = {job.id: job for job in jobs}
        cursor = self.cursor_job_id
        changed = False
        gone = [job_id for job_id in self.jobs if job_id not in wanted]
        with self.app.batch_update():
            cursor_row = self.cursor_row
            rebuilt = bool(self._layout) and len(gone) >= BULK_REMOVE and len(gone) * 4 >= len(self.jobs)
            if rebuilt:
                # DataTable renumbers every row on each removal (a release of 500 jobs took
                # 0.3 s): when many rows go, emptying the table and adding back the rest is
                # cheaper. The view and the cursor's place stay as removing would leave them.
                scroll_y = self.scroll_y
                self.clear()
                self._shown.clear()
                self.jobs = {}
                self.scroll_y = scroll_y
                changed = True
            else:
                for job_id in gone:
                    self.remove_row(str(job_id))
                    del self.jobs[job_id]
                    self._shown.pop(job_id, None)
                    changed = True
            new = [job for job_id, job in wanted.items() if job_id not in self.jobs]
            for job_id, job in wanted.items():
                if job_id in self.jobs and self.jobs[job_id] != job:
                    sort_before = self._sort_value(self.jobs[job_id])
                    self.jobs[job_id] = job
                    self._patch(job)
                    changed = changed or sort_before != self._sort_value(job)
            if new and self._layout:
                self._add(new)
                changed = True
            elif new:
                self.jobs.update((job.id, job) for job in new)
            if changed:
                self._sort()
                self._restore_cursor(cursor)
                if rebuilt and cursor not in self.jobs and self.row_count:
                    self.move_cursor(row=min(cursor_row, self.row_count - 1), scroll=False)
        self._mark_cursor()

    def redraw(self, job_ids: Iterable[int] | None = None) -> None:
        """Redraw these rows (all when None): selection, savings, the clock moved on."""
        with self.app.batch_update():
            for job_id in self.jobs if job_ids is None else job_ids:
                job = self.jobs.get(job_id)
                if job is not None:
                    self._patch(job)

    def sort_by(self, column_key: str, reverse: bool | None = None) -> None:
        """Sort by a column; the same column again turns the order round."""
        if column_key not in BY_KEY or BY_KEY[column_key].sort is None:
            return
        if reverse is None:
            if column_key == self.sort_column:
                reverse = not self.sort_reverse
            else:
                reverse = BY_KEY[column_key].descending_first
        self.sort_column, self.sort_reverse = column_key, reverse
        cursor = self.cursor_job_id
        self._label_columns()
        self._sort()
        self._restore_cursor(cursor)
        self._mark_cursor()

    # --- building -----------------------------------------------------------------------------

    def on_resize(self) -> None:
        new = layout(self.size.width)
        if new != self._layout:
            self._rebuild(new)

    def _rebuild(self, new_layout: tuple[tuple[Column, int], ...]) -> None:
        cursor = self.cursor_job_id
        with self.app.batch_update():
            self.clear(columns=True)
            self._layout = new_layout
            self._shown.clear()
            for column, width in new_layout:
                self.add_column(self._label(column, width), width=width, key=column.key)
            jobs, self.jobs = list(self.jobs.values()), {}
            self._add(jobs)
            self._sort()
            self._restore_cursor(cursor)
        self._mark_cursor()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """The table's size, without DataTable's measuring of every new cell (about 0.2 s per
        1,000 rows): every column here has a fixed width and every row is one line, so the
        measures could change nothing."""
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

    def _add(self, jobs: list[Job]) -> None:
        """Add rows in one go; the table measures them once, on its next idle."""
        for job in jobs:
            self.jobs[job.id] = job
            cells = self._cells(job)
            self._shown[job.id] = cells
            self.add_row(*cells, key=str(job.id))

    def _patch(self, job: Job) -> None:
        if not self._layout:
            return
        cells = self._cells(job)
        before = self._shown.get(job.id)
        self._shown[job.id] = cells
        for index, (column, _width) in enumerate(self._layout):
            if before is None or not _same(before[index], cells[index]):
                self.update_cell(str(job.id), column.key, cells[index])

    def _sort_value(self, job: Job) -> Any:
        column = BY_KEY[self.sort_column]
        assert column.sort is not None
        return column.sort(job, self.context)

    def _sort(self) -> None:
        if not self._layout or not self.jobs:
            return
        jobs = self.jobs
        column = BY_KEY[self.sort_column]
        assert column.sort is not None

        def key(cell: JobCell) -> Any:
            job = jobs[cell.job_id]
            return (column.sort(job, self.context), job.id)

        self.sort("name", key=key, reverse=self.sort_reverse)

    def move_to_job(self, job_id: int) -> None:
        """Put the cursor on this job, scrolling to it (a new job that just arrived)."""
        if job_id in self.jobs:
            self.move_cursor(row=self.get_row_index(str(job_id)))

    def _restore_cursor(self, job_id: int | None) -> None:
        if job_id is None or job_id not in self.jobs:
            return
        index = self.get_row_index(str(job_id))
        if index != self.cursor_row:
            self.move_cursor(row=index, scroll=False)

    def _mark_cursor(self) -> None:
        """The cursor is a symbol (▸) as well as a colour; tell the screen when it moved."""
        now = self.cursor_job_id
        if now == self._cursor_id:
            return
        before, self._cursor_id = self._cursor_id, now
        moved = [job_id for job_id in (before, now) if job_id is not None and job_id in self.jobs]
        if not self._move_mark(moved):
            self.redraw(moved)
        self.post_message(self.CursorMoved(now))

    def _move_mark(self, job_ids: list[int]) -> bool:
        """Show the cursor's ▸ on these rows' mark cells without `update_cell`; False when it
        cannot (then the rows are redrawn the ordinary way).

        `update_cell` bumps a counter that is part of every DataTable cache key, so each cursor
        move re-rendered every visible cell and re-walked every row (about 60 ms a key at
        100x30, more with thousands of rows). A mark cell's width never changes, so only the
        caches that hold these two cells need to forget them.
        """
        caches = [getattr(self, name, None) for name in
                  ("_cell_render_cache", "_row_renderable_cache", "_row_render_cache", "_line_cache")]
        if not self._layout or any(cache is None for cache in caches) or not hasattr(self, "_data"):
            return False
        changed = []
        for job_id in job_ids:
            cells = self._cells(self.jobs[job_id])
            before = self._shown.get(job_id)
            if before is None or not all(map(_same, before[1:], cells[1:])):
                return False  # more than the mark changed: redraw the ordinary way
            if not _same(before[0], cells[0]):
                changed.append((job_id, cells))
        if not changed:
            return True
        mark = ColumnKey("mark")
        rows = set()
        for job_id, cells in changed:
            row = RowKey(str(job_id))
            self._data[row][mark] = cells[0]
            self._shown[job_id] = cells
            rows.add(row)
        cell_cache, renderables, row_cache, line_cache = caches
        for key in [key for key in cell_cache.keys() if key[0] in rows and key[1] == mark]:
            cell_cache.discard(key)
        renderables.clear()
        row_cache.clear()
        line_cache.clear()
        self.refresh()
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._mark_cursor()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    # --- cells ----------------------------------------------------------------------------------

    def _label_columns(self) -> None:
        for column, width in self._layout:
            self.columns[column.key].label = self._label(column, width)  # type: ignore[index]
        self.refresh()

    def _label(self, column: Column, width: int) -> Text:
        label = column.label
        if column.key == "cost" and self.context.currency:
            label = f"Cost {plain(self.context.currency)}"
        if column.key == self.sort_column:
            label += "▼" if self.sort_reverse else "▲"
        return self._fit(Text(label), column, width)

    def _fit(self, text: Text, column: Column, width: int) -> Text:
        """Exactly `width` cells: text after a one-space gap, numbers flush right."""
        if column.right:
            text.truncate(width - 1, overflow="ellipsis")
            text.align("right", width)
        elif column.key == "mark":
            text.align("left", width)
        else:
            text.pad_left(1)
            text.truncate(width, overflow="ellipsis", pad=True)
        return text

    def _cells(self, job: Job) -> tuple[Text, ...]:
        """One row's cells, each exactly its column's width (built as strings where it can)."""
        ctx = self.context
        now = ctx.now()
        selected = ctx.is_selected(job.id)
        row_style = self._style("job-table--selected") if selected else None
        cells: list[Text] = []
        for column, width in self._layout:
            key = column.key
            style: Style | None = None
            if key == "mark":
                cell = Text(" ▸" if job.id == self._cursor_id else "  ", end="")
                cell.append("✓" if selected else " ", style=self._style("job-table--selected"))
                cells.append(cell)
                continue
            if key == "name":
                cells.append(self._name_cell(job, width, row_style))
                continue
            if key == "cost":
                change = signed(ctx.saving(job.id))
                if change:  # two colours in one cell: the saving, then the cost
                    kind = "job-table--saving" if change.startswith("−") else "job-table--dearer"
                    text = Text.assemble((change, self._style(kind)), f" {cents(job.cost):.2f}")
                    if row_style:
                        text.stylize_before(row_style)
                    cells.append(self._fit(text, column, width))
                    continue
                value = f"{cents(job.cost):.2f}"
            elif key == "submitted":
                value = ago(job.date_time, now)
            elif key == "pages":
                value = str(job.page_count)
            elif key == "colour":
                value = str(job.color_count) if job.color else "mono"
                style = None if job.color else self._style("job-table--dim")
            elif key == "copies":
                value = str(job.copies)
            elif key == "sides":
                value = "2-sided" if job.duplex else "1-sided"
            elif key == "project":
                value = ctx.project_label(job.project_id) or "-"
                style = None if job.project_id else self._style("job-table--dim")
            elif key == "expires":
                value = time_left(job.expires_at, now)
                if value.endswith("min") or value == "expired":
                    style = self._style("job-table--expiring")
            else:  # pragma: no cover - every column is drawn above
                value = ""
            if row_style is not None:  # a selected row is one colour, save for what warns
                style = row_style + style if style is not None and key == "expires" else row_style
            cells.append(self._cell(value, column, width, style))
        return tuple(cells)

    def _cell(self, value: str, column: Column, width: int, style: Style | None) -> Text:
        """A one-style cell; plain ASCII that fits is padded as a string (most cells are)."""
        if value.isascii() and len(value) < width:
            padded = value.rjust(width) if column.right else f" {value}".ljust(width)
            return Text(padded, style=style or "", end="")
        return self._fit(Text(value, style=style or "", end=""), column, width)

    def _style(self, name: str) -> Style:
        """A component's own style (colour, bold), not its background: the cursor's shows through."""
        return self.get_component_rich_style(name, partial=True)

    def _name_cell(self, job: Job, width: int, row_style: Style | None) -> JobCell:
        """The name, cut to fit, with its markers always visible: ★ favourite, (?) a question waits."""
        markers: list[tuple[str, Style]] = []
        if job.favorite:
            markers.append((" ★", self._style("job-table--favorite")))
        if job.is_paused:
            markers.append((" (?)", self._style("job-table--question")))
        room = width - 1 - sum(len(marker) for marker, _ in markers)
        name = plain(job.name) or f"job {job.id}"
        if getattr(self.context, "names_hidden", False):  # mask_job_names: until the owner shows them
            name = "••••••"
        if not (name.isascii() and len(name) <= room):
            cut = Text(name)
            cut.truncate(max(room, 4), overflow="ellipsis")
            name = cut.plain
        cell = JobCell(job.id, f" {name}", style=row_style or "", end="")
        for marker, style in markers:
            cell.append(marker, style=style)
        cell.truncate(width, overflow="ellipsis", pad=True)
        return cell
