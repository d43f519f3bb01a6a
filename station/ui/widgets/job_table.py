"""The table of pending jobs: one row per job, keyed by the job id, drawn only when it shows.

The table draws; it never talks HTTP. The screen hands it jobs (`sync`) and asks it to redraw
rows whose look changed (`redraw`); the table keeps the cursor on the same job throughout.
A `RowTable` underneath: the jobs stay a plain list, sorted there, and a row's cells are built
only when it scrolls into view, so 10,000 jobs cost a sort of the list, not 100,000 cells.

The name takes what the other columns leave, and gets the room first: below `MIN_NAME` cells the
expiry, then the project column, give way (the detail line under the table says so, and shows
the highlighted job whole: it follows the `highlighted` signal). The Sides and Colour cells say
how a job will print: as chosen at this station (`2-sided*`, `mono*`: a release option, priced
by the server at release) or as listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from rich.style import Style
from rich.text import Text
from textual import on
from textual.signal import Signal

from station.api.models import Job
from station.api.release import ReleaseOptions
from station.i18n import _
from station.untrusted import plain
from station.ui.release_choices import CHOSEN_MARK
from station.format import ago, ago_width, decimal, expiring, signed, time_left
from station.ui.widgets.fixed_columns import fit
from station.ui.widgets.row_table import Column, Layout, RowTable

MIN_NAME = 30  # below this the expiry, then the project column give way (at 100x30: the expiry)


class RowContext(Protocol):
    """What a row needs to know beyond the job itself."""

    @property
    def currency(self) -> str: ...

    def now(self) -> datetime: ...
    def project_label(self, project_id: int) -> str: ...
    def project_title(self, project_id: int) -> str: ...  # the long name, for the detail line
    def is_selected(self, job_id: int) -> bool: ...
    def saving(self, job_id: int) -> Decimal: ...
    def chosen(self, job_id: int) -> ReleaseOptions: ...
    def shown_name(self, name: str) -> str: ...  # the name, or a mask while names are hidden


def prints_duplex(job: Job, ctx: RowContext) -> bool:
    """Whether the job will print 2-sided: as chosen here, else as listed."""
    chosen = ctx.chosen(job.id).duplex
    return job.duplex if chosen is None else chosen


def prints_colour(job: Job, ctx: RowContext) -> bool:
    return job.color and not ctx.chosen(job.id).mono


def job_columns(ctx: RowContext) -> tuple[Column[Job], ...]:
    """The columns, with widths that include each cell's one-space gap (the mark has none)."""
    return (
        Column("mark", "", 3, sort=lambda job: not ctx.is_selected(job.id)),
        Column("name", _("Name"), least=MIN_NAME + 1, sort=lambda job: plain(job.name).casefold()),
        Column("submitted", _("Submitted"), 1 + ago_width(), descending_first=True,
               sort=lambda job: job.date_time.timestamp() if job.date_time else 0),
        Column("pages", _("Pages"), 7, right=True, sort=lambda job: job.page_count, descending_first=True),
        Column("colour", _("Colour"), 8, right=True, descending_first=True,
               sort=lambda job: (job.color_count, True) if prints_colour(job, ctx) else (0, False)),
        Column("copies", _("Copies"), 7, right=True, sort=lambda job: job.copies, descending_first=True),
        Column("sides", _("Sides"), 9, sort=lambda job: prints_duplex(job, ctx)),  # room for `2-sided*`
        Column("cost", _("Cost"), 12, right=True, sort=lambda job: job.cost, descending_first=True),
        Column("project", _("Project"), 11, give_way=2, sort=lambda job: ctx.project_label(job.project_id).casefold()),
        Column("expires", _("Expires"), 9, right=True, give_way=1,
               sort=lambda job: job.expires_at.timestamp() if job.expires_at else float("inf")),
    )


class JobTable(RowTable[int, Job]):
    """Pending jobs, keyed by job id."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "job-table--selected",
        "job-table--question",
        "job-table--saving",
        "job-table--dearer",
        "job-table--favorite",
        "job-table--expiring",
        "job-table--dim",
        "job-table--chosen",
    }

    class CursorMoved(RowTable.CursorMoved):
        """The cursor now rests on another job (or on none)."""

        @property
        def job_id(self) -> int | None:
            return self.key

    def __init__(self, context: RowContext, **kwargs: Any) -> None:
        super().__init__(
            job_columns(context), lambda job: job.id, sort_column="submitted", sort_reverse=True, **kwargs
        )
        self.context = context
        self._drawn_minute: int | None = None  # the minute the times in the rows were drawn for
        # What shows of the highlighted job (its id) may have changed: the cursor moved, the job
        # changed, its row was drawn anew (names masked or shown, the clock), or columns gave way.
        self.highlighted: Signal[int | None] = Signal(self, "highlighted")

    # --- the highlighted job: the detail line follows it ----------------------------------------

    @on(CursorMoved)
    @on(RowTable.ColumnsHidden)
    def _highlighted(self) -> None:
        self.highlighted.publish(self.cursor_key)

    def sync(self, rows: Iterable[Job]) -> None:
        key = self.cursor_key
        before = self.rows.get(key) if key is not None else None
        super().sync(rows)
        after = self.rows.get(key) if key is not None else None
        if key == self.cursor_key and before is not after and before != after:  # else CursorMoved says it
            self._highlighted()

    def redraw(self, keys: Iterable[int] | None = None) -> None:
        keys = None if keys is None else list(keys)
        super().redraw(keys)
        if keys is None or self.cursor_key in keys:
            self._highlighted()

    # --- what the screen asks -----------------------------------------------------------------

    @property
    def jobs(self) -> dict[int, Job]:
        return self.rows

    @property
    def cursor_job_id(self) -> int | None:
        return self.cursor_key

    @property
    def ordered_ids(self) -> list[int]:
        return self.ordered_keys

    def tick(self, now: datetime) -> None:
        """Redraw the rows when the clock moved on to another minute ("12 min ago", "23 h")."""
        minute = int(now.timestamp() // 60)
        if self._drawn_minute is not None and minute != self._drawn_minute:
            self.redraw()
        self._drawn_minute = minute

    def move_to_job(self, job_id: int) -> None:
        """Put the cursor on this job, scrolling to it (a new job that just arrived)."""
        self.move_to(job_id)

    def cell(self, job_id: int, column: str) -> Text:
        """One cell of a job's row as drawn (KeyError when the column is not shown)."""
        return dict(zip((shown.key for shown, _width in self.columns_shown), self.cells(job_id), strict=True))[column]

    # --- cells ----------------------------------------------------------------------------------

    def header_label(self, column: Column[Any]) -> str:
        if column.key == "cost" and self.context.currency:
            return _("Cost {currency}").format(currency=plain(self.context.currency))
        return column.label

    def build_cells(self, row: Job, columns: Layout, cursor: bool) -> Sequence[Text]:
        """One row's cells, each exactly its column's width (built as strings where it can)."""
        job, ctx = row, self.context
        now = ctx.now()
        selected = ctx.is_selected(job.id)
        row_style = self._style("job-table--selected") if selected else None
        cells: list[Text] = []
        for column, width in columns:
            key = column.key
            style: Style | None = None
            if key == "mark":
                cell = Text(" ▸" if cursor else "  ", end="")
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
                    text = Text.assemble((change, self._style(kind)), f" {decimal(job.cost)}")
                    if row_style:
                        text.stylize_before(row_style)
                    cells.append(fit(text, width, right=True))
                    continue
                value = decimal(job.cost)
            elif key == "submitted":
                value = ago(job.date_time, now)
            elif key == "pages":
                value = str(job.page_count)
            elif key == "colour":
                if ctx.chosen(job.id).mono:
                    value, style = _("mono") + CHOSEN_MARK, self._style("job-table--chosen")
                else:
                    value = str(job.color_count) if job.color else _("mono")
                    style = None if job.color else self._style("job-table--dim")
            elif key == "copies":
                value = str(job.copies)
            elif key == "sides":
                value = _("2-sided") if prints_duplex(job, ctx) else _("1-sided")
                if ctx.chosen(job.id).duplex is not None:
                    value, style = value + CHOSEN_MARK, self._style("job-table--chosen")
            elif key == "project":
                value = ctx.project_label(job.project_id) or "-"
                style = None if job.project_id else self._style("job-table--dim")
            elif key == "expires":
                value = time_left(job.expires_at, now)
                if expiring(job.expires_at, now):
                    style = self._style("job-table--expiring")
            else:  # pragma: no cover - every column is drawn above
                value = ""
            if row_style is not None:  # a selected row is one colour, save for what warns or was chosen here
                keep = style is not None and (key == "expires" or value.endswith(CHOSEN_MARK))
                style = row_style + style if keep else row_style
            cells.append(self._cell(value, column, width, style))
        return cells

    def _cell(self, value: str, column: Column[Job], width: int, style: Style | None) -> Text:
        """A one-style cell; plain ASCII that fits is padded as a string (most cells are)."""
        if value.isascii() and len(value) < width:
            padded = value.rjust(width) if column.right else f" {value}".ljust(width)
            return Text(padded, style=style or "", end="")
        return fit(Text(value, style=style or "", end=""), width, column.right)

    def _style(self, name: str) -> Style:
        """A component's own style (colour, bold), not its background: the cursor's shows through."""
        return self.get_component_rich_style(name, partial=True)

    def _name_cell(self, job: Job, width: int, row_style: Style | None) -> Text:
        """The name, cut to fit, with its markers always visible: ★ favourite, (?) a question waits."""
        markers: list[tuple[str, Style]] = []
        if job.favorite:
            markers.append((" ★", self._style("job-table--favorite")))
        if job.is_paused:
            markers.append((" (?)", self._style("job-table--question")))
        room = width - 1 - sum(len(marker) for marker, _ in markers)
        name = self.context.shown_name(plain(job.name) or _("job {id}").format(id=job.id))
        if not (name.isascii() and len(name) <= room):
            cut = Text(name)
            cut.truncate(max(room, 4), overflow="ellipsis")
            name = cut.plain
        cell = Text(f" {name}", style=row_style or "", end="")
        for marker, style in markers:
            cell.append(marker, style=style)
        cell.truncate(width, overflow="ellipsis", pad=True)
        return cell
