"""A table over a plain list of rows that draws only the rows that show (Textual's line API).

The owner hands it rows (`sync`), each keyed by an id; the table keeps them in a dict and their
order in a list, sorts and re-sorts that list, and builds a row's cells only when the row
scrolls into view (toolong's way). A drawn row is kept as a `Strip` until its row changes,
`redraw` asks for it, or the width or the styles change. Nothing per row lives in widgets.

Columns have fixed widths but one, which takes what is left; when it would get narrower than
its `least`, the columns that give way (`give_way` 1 first, then 2, ...) are hidden, and the
table posts `ColumnsHidden` so that its owner can say so. The owner can hide columns itself
(`hide`). Each column's cells carry their own gap (no cell padding), so numbers line up on the
right and text on the left.

The cursor is a row, kept on the same key when rows change or are re-sorted; when its row goes,
the cursor keeps its place and the next row takes it. It posts `CursorMoved(key)`; Enter or a
click on the cursor row posts `RowSelected(key)`; a click on a heading sorts by that column and
posts `HeaderSelected(column)`.

Subclasses draw their own cells by overriding `build_cells`; without it, each column's `text`
function gives the cell's text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
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

K = TypeVar("K", bound=Hashable)  # a row's key; rows that sort alike are ordered by key
R = TypeVar("R")  # a row: any object (a job, a user, an audit entry)

HEADER = 1  # the heading line, which does not scroll
NARROWEST = 9  # the stretching column never gets narrower than this; the table scrolls sideways then


@dataclass(frozen=True)
class Column(Generic[R]):
    key: str
    label: str
    width: int = 0  # cells, the one-space gap included; 0: this column takes what is left
    right: bool = False  # numbers: flush right
    give_way: int = 0  # 0: always shown; else hidden when the stretching column is short (1 first)
    least: int = 0  # the stretching column: the width below which other columns give way
    sort: Callable[[R], Any] | None = None  # the sort value of a row; None: not sortable
    descending_first: bool = False  # the first click on the heading sorts the largest first
    text: Callable[[R], str] | None = None  # the cell's text, for tables that do not draw their own


Layout = tuple[tuple[Column[Any], int], ...]  # the columns shown, each with its width


def layout(columns: Sequence[Column[Any]], width: int, hidden: Iterable[str] = ()) -> Layout:
    """The columns shown at this width, each with its width: the stretching column gets what is
    left, and while that is less than its `least`, the columns that give way go, in order."""
    shown = [column for column in columns if column.key not in set(hidden)]
    stretch = next((column for column in shown if not column.width), None)
    least = stretch.least if stretch is not None else 0

    def rest(columns: list[Column[Any]]) -> int:
        return width - sum(column.width for column in columns)

    for level in sorted({column.give_way for column in shown if column.give_way}):
        if rest(shown) >= least:
            break
        shown = [column for column in shown if column.give_way != level]
    left = max(rest(shown), NARROWEST)
    return tuple((column, column.width or left) for column in shown)


def fit(text: Text, width: int, right: bool = False) -> Text:
    """Exactly `width` cells: text after a one-space gap, numbers flush right; cut with an ellipsis."""
    if right:
        text.truncate(width - 1, overflow="ellipsis")
        text.align("right", width)
    else:
        text.pad_left(1)
        text.truncate(width, overflow="ellipsis", pad=True)
    return text


class RowTable(ScrollView, Generic[K, R], can_focus=True):
    """Rows keyed by id, drawn only when they show."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "select", show=False, id="table.select"),
        Binding("up", "cursor_up", "up", show=False, id="table.up"),
        Binding("down", "cursor_down", "down", show=False, id="table.down"),
        Binding("pageup", "page_up", "page up", show=False, id="table.page_up"),
        Binding("pagedown", "page_down", "page down", show=False, id="table.page_down"),
        Binding("home,ctrl+home", "first", "first row", show=False, id="table.first"),
        Binding("end,ctrl+end", "last", "last row", show=False, id="table.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-table--header", "row-table--cursor"}

    # The look of Textual's DataTable, which these tables replace.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .row-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .row-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header {
                background-tint: $foreground 5%;
            }
        }
    }
    """

    class CursorMoved(Message):
        """The cursor now rests on another row (or on none: the table is empty)."""

        def __init__(self, table: RowTable[Any, Any], key: Any) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable[Any, Any]:
            return self.table

    class RowSelected(Message):
        """Enter, or a click on the cursor row."""

        def __init__(self, table: RowTable[Any, Any], key: Any) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable[Any, Any]:
            return self.table

    class HeaderSelected(Message):
        """A click on a column's heading (the table has sorted by it, if it sorts)."""

        def __init__(self, table: RowTable[Any, Any], column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> RowTable[Any, Any]:
            return self.table

    class ColumnsHidden(Message):
        """The columns that gave way to the stretching column changed (the owner may say so)."""

        def __init__(self, table: RowTable[Any, Any], columns: tuple[Column[Any], ...]) -> None:
            super().__init__()
            self.table = table
            self.columns = columns

        @property
        def control(self) -> RowTable[Any, Any]:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column[R]],
        key: Callable[[R], K],
        *,
        sort_column: str | None = None,
        sort_reverse: bool = False,
        reserve: int = 0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """`reserve`: columns kept free on the right (for a scrollbar that may come)."""
        super().__init__(name=name, id=id, classes=classes)
        self.columns = tuple(columns)
        self.key_of = key
        self.sort_column = sort_column
        self.sort_reverse = sort_reverse
        self.reserve = reserve
        self._rows: dict[K, R] = {}
        self._order: list[K] = []
        self._where: dict[K, int] = {}  # each key's place in the order
        self._cursor = 0  # the cursor's place in the order
        self._announced: K | None = None  # the key the last CursorMoved named
        self._hidden: frozenset[str] = frozenset()  # hidden by the owner
        self._layout: Layout = ()
        self._gave_way: tuple[Column[Any], ...] = ()
        self._strips: LRUCache[tuple[K, bool], Strip] = LRUCache(1000)  # (key, under the cursor)
        self._drawn_with: tuple[object, ...] = ()  # the styles (and sideways scroll) the strips were drawn with

    # --- what the owner asks ----------------------------------------------------------------------

    @property
    def rows(self) -> Mapping[K, R]:
        return self._rows

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

    @property
    def columns_shown(self) -> Layout:
        return self._layout

    @property
    def hidden_columns(self) -> tuple[Column[Any], ...]:
        """The columns that gave way at this width (not those the owner hid)."""
        return self._gave_way

    def cells(self, key: K) -> list[Text]:
        """A row's cells as the table draws them."""
        return list(self.build_cells(self._rows[key], self._layout, key == self.cursor_key))

    def cell(self, key: K, column: str) -> Text:
        for cell, (shown, _width) in zip(self.cells(key), self._layout, strict=True):
            if shown.key == column:
                return cell
        raise KeyError(f"the column {column!r} is not shown")

    def sync(self, rows: Iterable[R]) -> None:
        """Show exactly these rows: add new keys, drop gone ones, redraw the rows that changed."""
        wanted = {self.key_of(row): row for row in rows}
        before, cursor = self._rows, self.cursor_key
        changed = [key for key, row in wanted.items() if key in before and before[key] is not row and before[key] != row]
        added = any(key not in before for key in wanted)
        gone = len(wanted) != len(before)
        self._rows = wanted
        for key in changed:
            self._forget(key)
        if added or self._sort_moved(before, changed):
            self._reorder(self._sorted(), cursor)
        elif gone:
            self._reorder([key for key in self._order if key in wanted], cursor)
        else:
            self._refresh_rows(changed)
        self._announce()

    def redraw(self, keys: Iterable[K] | None = None) -> None:
        """Draw these rows again (all when None): what they show changed outside the rows."""
        if keys is None:
            self._strips.clear()
            self.refresh()
            return
        keys = list(keys)
        for key in keys:
            self._forget(key)
        self._refresh_rows(keys)

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
            self._move(self._where[key])

    def hide(self, columns: Iterable[str]) -> None:
        """Hide these columns whatever the width (the owner's choice); the others are laid out anew."""
        self._hidden = frozenset(columns)
        self._lay_out()

    def clear(self) -> None:
        """No rows (their text is gone from memory and from the screen)."""
        self._rows, self._order, self._where, self._cursor = {}, [], {}, 0
        self._strips.clear()
        self._set_virtual_size()
        self.refresh()
        self._announce()

    # --- what subclasses draw ---------------------------------------------------------------------

    def build_cells(self, row: R, columns: Layout, cursor: bool) -> Sequence[Text]:
        """One row's cells, each exactly its column's width. `cursor`: the row is under the cursor."""
        return [fit(Text(column.text(row) if column.text else "", end=""), width, column.right) for column, width in columns]

    def header_label(self, column: Column[Any]) -> str:
        return column.label

    # --- order and cursor -------------------------------------------------------------------------

    def _column(self, key: str | None) -> Column[R] | None:
        return next((column for column in self.columns if column.key == key), None)

    def _sorted(self) -> list[K]:
        column = self._column(self.sort_column)
        if column is None or column.sort is None:
            return list(self._rows)
        value, rows = column.sort, self._rows
        return sorted(rows, key=lambda key: (value(rows[key]), key), reverse=self.sort_reverse)

    def _sort_moved(self, before: Mapping[K, R], changed: list[K]) -> bool:
        """Did a change move a row in the order (its sort value changed)?"""
        column = self._column(self.sort_column)
        if column is None or column.sort is None:
            return False
        return any(column.sort(before[key]) != column.sort(self._rows[key]) for key in changed)

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

    def _move(self, place: int) -> None:
        place = max(0, min(place, len(self._order) - 1))
        if place == self._cursor:
            return
        before, self._cursor = self._cursor, place
        self._refresh_places([before, place])
        self._scroll_to_cursor()
        self._announce()

    def _announce(self) -> None:
        key = self.cursor_key
        if key != self._announced:
            self._announced = key
            self.post_message(self.CursorMoved(self, key))

    def _scroll_to_cursor(self) -> None:
        """Scroll so that the cursor row shows below the heading (on resize too: before the table
        has a size, there is nothing to scroll)."""
        page = self.scrollable_content_region.height - HEADER
        if page <= 0:
            return
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= top + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False, force=True)

    # --- keys and mouse -----------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER)

    def action_cursor_up(self) -> None:
        self._move(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move(self._cursor + 1)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self._page, animate=False, force=True)
        self._move(self._cursor - self._page)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page, animate=False, force=True)
        self._move(self._cursor + self._page)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self._order) - 1)

    def action_select(self) -> None:
        if self._order:
            self.post_message(self.RowSelected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < HEADER:
            column = event.style.meta.get("column")
            if isinstance(column, str):
                self.sort_by(column)
                self.post_message(self.HeaderSelected(self, column))
            return
        place = offset.y - HEADER + round(self.scroll_y)
        if 0 <= place < len(self._order):
            event.stop()
            if place == self._cursor:
                self.post_message(self.RowSelected(self, self.cursor_key))
            else:
                self._move(place)

    # --- layout -------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._lay_out()
        self._scroll_to_cursor()

    def _lay_out(self) -> None:
        new = layout(self.columns, self.size.width - self.reserve, self._hidden)
        if new == self._layout:
            return
        self._layout = new
        self._strips.clear()
        self._set_virtual_size()
        self.refresh()
        shown = {column.key for column, _width in new}
        gave_way = tuple(column for column in self.columns if column.key not in shown | self._hidden)
        if gave_way != self._gave_way:
            self._gave_way = gave_way
            self.post_message(self.ColumnsHidden(self, gave_way))

    def _set_virtual_size(self) -> None:
        self.virtual_size = Size(sum(width for _column, width in self._layout), len(self._order) + HEADER)

    # --- drawing ------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _forget(self, key: K) -> None:
        self._strips.discard((key, False))
        self._strips.discard((key, True))

    def _refresh_rows(self, keys: Iterable[K]) -> None:
        self._refresh_places([self._where[key] for key in keys if key in self._where])

    def _refresh_places(self, places: Iterable[int]) -> None:
        top, width = round(self.scroll_y), self.size.width
        for place in places:
            self.refresh(Region(0, HEADER + place - top, width, 1))

    def render_lines(self, crop: Region) -> list[Strip]:
        styles = (self.rich_style, self._header_style(), self.get_component_rich_style("row-table--cursor"))
        if (styles, round(self.scroll_x)) != self._drawn_with:  # focus, theme, sideways: every row changes
            self._drawn_with = (styles, round(self.scroll_x))
            self._strips.clear()
        return super().render_lines(crop)

    def _header_style(self) -> Style:
        return self.get_component_styles("row-table--header").rich_style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x = round(self.scroll_x)
        base = self.rich_style
        if not self._layout:
            return Strip.blank(width, base)
        if y < HEADER:
            return self._line(self._header_cells(), self._header_style(), None, scroll_x)
        place = y - HEADER + round(self.scroll_y)
        if not 0 <= place < len(self._order):
            return Strip.blank(width, base)
        key = self._order[place]
        cursor = place == self._cursor
        strip = self._strips.get((key, cursor))
        if strip is None:
            cells = self.build_cells(self._rows[key], self._layout, cursor)
            cursor_style = self.get_component_rich_style("row-table--cursor") if cursor else None
            strip = self._line(cells, base, cursor_style, scroll_x)
            self._strips[(key, cursor)] = strip
        return strip

    def _header_cells(self) -> list[Text]:
        cells = []
        for column, width in self._layout:
            label = self.header_label(column)
            if column.key == self.sort_column:
                label += "▼" if self.sort_reverse else "▲"
            cells.append(fit(Text(label), width, column.right))
        return cells

    def _line(self, cells: Sequence[Text], row_style: Style, cursor_style: Style | None, scroll_x: int) -> Strip:
        """One line as DataTable drew it: each cell rendered on the row's style (the cursor's colour
        over the cell's own), each carrying its column's key as meta (a click on a heading finds its
        column, and neighbouring cells stay apart), then the row's style to the right edge."""
        console = self.app.console
        width = self.size.width
        cursor = cursor_style or Style()
        on_top = Style.from_color(color=cursor.color) if cursor_style else Style.null()
        segments = []
        for cell, (column, column_width) in zip(cells, self._layout, strict=True):
            options = self.app.console_options.update_dimensions(column_width, 1).update(no_wrap=True)
            pre = row_style + Style.from_meta({"column": column.key}) + cursor
            rendered = Segment.apply_style(console.render(cell, options), pre, on_top)
            segments.extend(next(Segment.split_and_crop_lines(rendered, column_width, include_new_lines=False)))
        strip = Strip(segments)
        if strip.cell_length < width:
            strip = strip.extend_cell_length(width, row_style + cursor + Style.from_meta({"column": None}))
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, self.rich_style).simplify()
