"""A table over a plain list of rows that draws only the rows that show (Textual's line API).

Rows are keyed by id (`sync`), kept in a dict, ordered in a sorted list; a row's cells are built
only when it scrolls into view (toolong's way) and its line kept until it changes or `redraw`.
One column takes what the fixed-width others leave; when that is less than its `least`, the
columns that give way go (`give_way` 1 first) and `ColumnsHidden` tells the owner, who can also
`hide` columns. The cursor stays on its key when rows change or are re-sorted; when its row goes,
the next takes its place. Subclasses draw their cells (`build_cells`), else each column's `text`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from station.ui.widgets.cells import cell_segments
from station.ui.widgets.fixed_columns import fit

K = TypeVar("K", bound=Hashable)  # a row's key; rows that sort alike are ordered by key
R = TypeVar("R")  # a row: any object (a job, a user, an audit entry)

HEADER = 1  # the heading line, which does not scroll
NARROWEST = 9  # the stretching column never gets narrower than this: the table scrolls sideways then


@dataclass(frozen=True)
class Column(Generic[R]):
    key: str
    label: str
    width: int = 0  # cells, the one-space gap included; 0: this column takes what is left
    right: bool = False  # numbers: flush right
    give_way: int = 0  # 0: always shown; else hidden when the stretching column is short (1 first)
    least: int = 0  # the stretching column: the width below which other columns give way
    sort: Callable[[R], Any] | None = None  # a row's sort value; None: the column does not sort
    descending_first: bool = False  # the first click on the heading sorts the largest first
    text: Callable[[R], str] | None = None  # the cell's text, for tables that do not draw their own


Layout = tuple[tuple[Column[Any], int], ...]  # the columns shown, each with its width


def layout(columns: Sequence[Column[Any]], width: int, hidden: Collection[str] = ()) -> Layout:
    """The columns shown at this width, each with its width: the stretching column gets what is
    left, and while that is less than its `least`, the columns that give way go, in order."""
    shown = [column for column in columns if column.key not in hidden]
    least = next((column.least for column in shown if not column.width), 0)
    for level in sorted({column.give_way for column in shown if column.give_way}):
        if width - sum(column.width for column in shown) >= least:
            break
        shown = [column for column in shown if column.give_way != level]
    left = max(width - sum(column.width for column in shown), NARROWEST)
    return tuple((column, column.width or left) for column in shown)


class TableMessage(Message):
    """What a table tells its owner; `key` names the row (or the column) it is about."""

    def __init__(self, table: RowTable[Any, Any], key: Any) -> None:
        super().__init__()
        self.table = table
        self.key = key

    @property
    def control(self) -> RowTable[Any, Any]:
        return self.table


class RowTable(ScrollView, Generic[K, R], can_focus=True):
    """Rows keyed by id, drawn only when they show."""

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "select", show=False, id="table.select"),
        Binding("up", "move(-1)", "up", show=False, id="table.up"),
        Binding("down", "move(1)", "down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "page down", show=False, id="table.page_down"),
        Binding("home,ctrl+home", "edge(-1)", "first row", show=False, id="table.first"),
        Binding("end,ctrl+end", "edge(1)", "last row", show=False, id="table.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-table--header", "row-table--cursor"}
    # The look of Textual's DataTable, which these tables replace.
    DEFAULT_CSS = """
    RowTable {
        background: $surface; color: $foreground; height: auto; max-height: 100%;
        & > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .row-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .row-table--cursor { background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground; text-style: $block-cursor-blurred-text-style; }
        &:focus { background-tint: $foreground 5%; }
        &:focus > .row-table--header { background-tint: $foreground 5%; }
        &:focus > .row-table--cursor { background: $block-cursor-background;
            color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
    }
    """

    class CursorMoved(TableMessage):
        """The cursor now rests on another row (`key`), or on none: the table is empty."""

    class RowSelected(TableMessage):
        """Enter, or a click on the cursor row (`key`)."""

    class HeaderSelected(TableMessage):
        """A click on a column's heading, after the table sorted by it (if it sorts)."""

        @property
        def column(self) -> str:
            return str(self.key)

    class ColumnsHidden(TableMessage):
        """The columns that gave way changed: the owner may say so."""

        @property
        def columns(self) -> tuple[Column[Any], ...]:
            return tuple(self.key)

    def __init__(
        self,
        columns: Sequence[Column[R]],
        key: Callable[[R], K],
        *,
        sort_column: str | None = None,
        sort_reverse: bool = False,
        **widget: Any,
    ) -> None:
        super().__init__(**widget)
        self.columns = tuple(columns)
        self.key_of = key
        self.sort_column = sort_column
        self.sort_reverse = sort_reverse
        self.rows: dict[K, R] = {}  # read it; change it through sync
        self.columns_shown: Layout = ()  # the columns at this width, each with its width
        self.hidden_columns: tuple[Column[R], ...] = ()  # those that gave way (not those the owner hid)
        self._order: list[K] = []
        self._where: dict[K, int] = {}  # each key's place in the order
        self._cursor = 0  # the cursor's place in the order
        self._announced: K | None = None  # the key the last CursorMoved named
        self._hidden: frozenset[str] = frozenset()  # hidden by the owner
        self._strips: LRUCache[tuple[K, bool], Strip] = LRUCache(1000)  # (key, under the cursor): its line
        self._drawn_with: tuple[object, ...] = ()  # the styles and sideways scroll the lines were drawn with

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def ordered_keys(self) -> list[K]:
        return list(self._order)

    @property
    def cursor_row(self) -> int:
        """The cursor's place in the order (0 when the table is empty)."""
        return self._cursor

    @property
    def cursor_key(self) -> K | None:
        return self._order[self._cursor] if self._order else None

    def cells(self, key: K) -> list[Text]:
        """A row's cells as the table draws them."""
        return list(self.build_cells(self.rows[key], self.columns_shown, key == self.cursor_key))

    def sync(self, rows: Iterable[R]) -> None:
        """Show exactly these rows: add new keys, drop gone ones, redraw the rows that changed."""
        wanted = {self.key_of(row): row for row in rows}
        before, cursor = self.rows, self.cursor_key
        changed = [k for k, row in wanted.items() if k in before and before[k] is not row and before[k] != row]
        added = any(key not in before for key in wanted)
        self.rows = wanted
        self._forget(changed)
        value = self._sort_value()
        if added or (value and any(value(before[key]) != value(wanted[key]) for key in changed)):
            self._reorder(self._sorted(), cursor)
        elif len(wanted) != len(before):
            self._reorder([key for key in self._order if key in wanted], cursor)
        self._announce()

    def redraw(self, keys: Iterable[K] | None = None) -> None:
        """Draw these rows again (all when None): what they show changed outside the rows."""
        if keys is None:
            self._strips.clear()
            self.refresh()
        else:
            self._forget(keys)

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        """Sort by a column; the same column again turns the order round."""
        found = self._column(column)
        if found is None or found.sort is None:
            return
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else found.descending_first
        self.sort_column, self.sort_reverse = column, reverse
        self._reorder(self._sorted(), self.cursor_key)
        self._announce()

    def move_to(self, key: K) -> None:
        """Put the cursor on this row, scrolling to it."""
        if key in self._where:
            self._move_cursor(self._where[key])

    def hide(self, columns: Iterable[str]) -> None:
        """Hide these columns at any width (the owner's choice); the others are laid out anew."""
        self._hidden = frozenset(columns)
        self._lay_out()

    def clear(self) -> None:
        """No rows: their text leaves the screen and the table's memory."""
        self.sync(())
        self._strips.clear()

    def build_cells(self, row: R, columns: Layout, cursor: bool) -> Sequence[Text]:
        """One row's cells, each exactly its column's width; `cursor`: the row is under the cursor."""
        return [fit(Text(col.text(row) if col.text else "", end=""), width, col.right) for col, width in columns]

    def header_label(self, column: Column[Any]) -> str:
        return column.label

    def _column(self, key: str | None) -> Column[R] | None:
        return next((column for column in self.columns if column.key == key), None)

    def _sorted(self) -> list[K]:
        value, rows = self._sort_value(), self.rows
        return sorted(rows, key=lambda key: (value(rows[key]), key), reverse=self.sort_reverse) if value else list(rows)

    def _sort_value(self) -> Callable[[R], Any] | None:
        column = self._column(self.sort_column)
        return column.sort if column else None

    def _reorder(self, order: list[K], cursor: K | None) -> None:
        """A new order: the cursor stays on its key, else at its place (the next row takes it)."""
        self._order = order
        self._where = {key: place for place, key in enumerate(order)}
        self._set_virtual_size()
        place = self._where.get(cursor, self._cursor) if cursor is not None else self._cursor
        place = max(0, min(place, len(order) - 1))
        if place != self._cursor:
            self._cursor = place
            self._scroll_to_cursor()
        self.refresh()

    def _move_cursor(self, place: int) -> None:
        place = max(0, min(place, len(self._order) - 1))
        if place != self._cursor:
            before, self._cursor = self._cursor, place
            self._refresh_places([before, place])
            self._scroll_to_cursor()
            self._announce()

    def _announce(self) -> None:
        if self.cursor_key != self._announced:
            self._announced = self.cursor_key
            self.post_message(self.CursorMoved(self, self._announced))

    def _scroll_to_cursor(self) -> None:
        """Scroll the cursor row into view (a table with no size yet waits for its resize)."""
        page, top = self.scrollable_content_region.height - HEADER, round(self.scroll_y)
        if page > 0 and not top <= self._cursor < top + page:
            self.scroll_to(y=self._cursor if self._cursor < top else self._cursor - page + 1, animate=False, force=True)

    def action_move(self, rows: int) -> None:
        self._move_cursor(self._cursor + rows)

    def action_page(self, pages: int) -> None:
        """A page up or down: the view and the cursor move by as many rows as show."""
        rows = pages * max(1, self.scrollable_content_region.height - HEADER)
        self.scroll_to(y=self.scroll_y + rows, animate=False, force=True)
        self._move_cursor(self._cursor + rows)

    def action_edge(self, end: int) -> None:
        """Home: the first row; End (1): the last."""
        self._move_cursor(len(self._order) - 1 if end > 0 else 0)

    def action_select(self) -> None:
        if self._order:
            self.post_message(self.RowSelected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < HEADER:
            column = event.style.meta.get("column")  # each cell carries its column's key
            if isinstance(column, str):
                self.sort_by(column)
                self.post_message(self.HeaderSelected(self, column))
            return
        place = offset.y - HEADER + round(self.scroll_y)
        if 0 <= place < len(self._order):
            event.stop()
            if place == self._cursor:
                self.post_message(self.RowSelected(self, self.cursor_key))
            self._move_cursor(place)

    def on_resize(self) -> None:
        self._lay_out()
        self._scroll_to_cursor()

    def _lay_out(self) -> None:
        room = self.size.width - self.styles.scrollbar_size_vertical  # the columns stay put when a scrollbar comes
        new = layout(self.columns, room, self._hidden)
        if not self.size.width or new == self.columns_shown:  # not shown (yet), or no change
            return
        self.columns_shown = new
        self._strips.clear()
        self._set_virtual_size()
        self.refresh()
        shown = {column.key for column, _width in new} | self._hidden
        gave_way = tuple(column for column in self.columns if column.key not in shown)
        if gave_way != self.hidden_columns:
            self.hidden_columns = gave_way
            self.post_message(self.ColumnsHidden(self, gave_way))

    def _set_virtual_size(self) -> None:
        self.virtual_size = Size(sum(width for _column, width in self.columns_shown), len(self._order) + HEADER)

    def _forget(self, keys: Iterable[K]) -> None:
        """Drop these rows' drawn lines and repaint them."""
        places = []
        for key in keys:
            self._strips.discard((key, False))
            self._strips.discard((key, True))
            if key in self._where:
                places.append(self._where[key])
        self._refresh_places(places)

    def _refresh_places(self, places: Iterable[int]) -> None:
        top, width = round(self.scroll_y), self.size.width
        for place in places:
            self.refresh(Region(0, HEADER + place - top, width, 1))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._lay_out()  # before the first resize event: the rows show in the first frame, not one later
        drawn_with = (self.rich_style, self._header_style(), self._cursor_style(), round(self.scroll_x))
        if drawn_with != self._drawn_with:  # focus, a theme, a sideways scroll: every line changes
            self._drawn_with = drawn_with
            self._strips.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        place = y - HEADER + round(self.scroll_y)
        if not self.columns_shown or (y >= HEADER and not 0 <= place < len(self._order)):
            return Strip.blank(self.size.width, self.rich_style)
        if y < HEADER:
            return self._line(self._header_cells(), self._header_style(), None)
        key, cursor = self._order[place], place == self._cursor
        strip = self._strips.get((key, cursor))
        if strip is None:
            cells = self.build_cells(self.rows[key], self.columns_shown, cursor)
            strip = self._line(cells, self.rich_style, self._cursor_style() if cursor else None)
            self._strips[(key, cursor)] = strip
        return strip

    def _header_style(self) -> Style:
        return self.get_component_styles("row-table--header").rich_style

    def _cursor_style(self) -> Style:
        return self.get_component_rich_style("row-table--cursor")

    def _header_cells(self) -> list[Text]:
        cells = []
        for column, width in self.columns_shown:
            label = self.header_label(column)
            if column.key == self.sort_column:
                label += "▼" if self.sort_reverse else "▲"
            cells.append(fit(Text(label), width, column.right))
        return cells

    def _line(self, cells: Sequence[Text], row_style: Style, cursor_style: Style | None) -> Strip:
        """One line as DataTable drew it: each cell on the row's style, the cursor's colour over
        the cell's own; each cell carries its column's key as meta (a click on a heading finds
        its column, and neighbouring cells stay apart); then the row's style to the right edge."""
        console, width, scroll_x = self.app.console, self.size.width, round(self.scroll_x)
        cursor = cursor_style or Style()
        on_top = Style.from_color(color=cursor.color) if cursor_style else Style.null()
        segments: list[Segment] = []
        options = self.app.console_options.update(no_wrap=True)  # made anew at each ask: once a line
        for cell, (column, cells_wide) in zip(cells, self.columns_shown, strict=True):
            style = row_style + Style.from_meta({"column": column.key}) + cursor
            segments.extend(Segment.apply_style(cell_segments(console, cell, cells_wide, style, options), None, on_top))
        strip = Strip(segments)
        if strip.cell_length < width:
            strip = strip.extend_cell_length(width, row_style + cursor + Style.from_meta({"column": None}))
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, self.rich_style).simplify()
