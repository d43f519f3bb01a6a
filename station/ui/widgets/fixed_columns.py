"""A DataTable with fixed-width columns and one stretching column: the helpdesk's paged lists.

A column is `(key, label, width, right)`; width 0 takes what the others leave. Cells are cut
to their width with an ellipsis, so a 10,000-character name never pushes the table around.

Everything this table does against Textual's grain lives here, in `FixedColumnsTable`, and each
workaround rests on how Textual 8.2's `DataTable` behaves inside (checked against
`TEXTUAL_CHECKED`; tests/ui/test_fixed_columns.py fails with a clear message on another Textual,
so that someone looks at them again):

1. `DataTable` measures every cell of every row added to size its columns; a cell cut and
   padded to its column's width beforehand (`fit`), with `cell_padding=0`, makes that
   measure a no-op and keeps the widths ours.
2. Column widths are read back from `DataTable.columns[key].width` (a public attribute of a
   class Textual documents as internal, `textual.widgets._data_table.Column`) to lay the
   columns out only when the width changed.
3. The row under the cursor: `coordinate_to_cell_key` raises `CellDoesNotExist` on an empty
   table or a cursor left past the last row after `clear()`; `cursor_id` answers None then.
4. A table that was hidden (`display = False`) while it had no rows cannot hold the focus:
   `show_rows` focuses it when the first rows arrive and nothing else has the focus.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from station.i18n import gettext

TEXTUAL_CHECKED = "8.2"  # the Textual (major.minor) the workarounds above were checked against

Column = tuple[str, str, int, bool]


def column_widths(columns: Sequence[Column], available: int, least: int) -> list[int]:
    """Each column's width; the stretching one gets the rest, but never less than `least`."""
    rest = max(available - sum(width for _, _, width, _ in columns) - 1, least)
    return [width or rest for _, _, width, _ in columns]


def fit(text: Text, width: int, right: bool) -> Text:
    """The text cut (with an ellipsis) and padded to exactly `width` cells."""
    if right:
        text.truncate(width - 1, overflow="ellipsis")
        text.align("right", width)
    else:
        text.pad_left(1)
        text.truncate(width, overflow="ellipsis", pad=True)
    return text


def cursor_id(table: DataTable) -> int | None:
    """The id in the row key under the cursor (rows are keyed by id), or None (workaround 3)."""
    if not table.is_valid_row_index(table.cursor_row):
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    except CellDoesNotExist:
        return None
    return int(key.value) if key.value is not None else None


class FixedColumnsTable(DataTable[Text]):
    """Rows keyed by id, each cell exactly its column's width (see the module docstring)."""

    def __init__(self, columns: Sequence[Column], *, least: int, **kwargs: object) -> None:
        super().__init__(cursor_type="row", cell_padding=0, zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.spec = tuple(columns)
        self.least = least  # the stretching column is never narrower than this
        self._rows: list[tuple[int, Sequence[Text]]] = []

    @property
    def cursor_id(self) -> int | None:
        return cursor_id(self)

    def widths(self, available: int) -> list[int]:
        return column_widths(self.spec, available, self.least)

    def lay_out(self, available: int) -> None:
        """The columns for this width (the screen's); the rows again only when it changed."""
        widths = self.widths(available)
        if [column.width for column in self.columns.values()] == widths:  # workaround 2
            return
        keep = self.cursor_id
        with self.app.batch_update():
            self.clear(columns=True)
            for (key, label, _width, right), width in zip(self.spec, widths, strict=True):
                self.add_column(fit(Text(gettext(label)), width, right), width=width, key=key)
            self._add(widths, keep)

    def show_rows(self, rows: Iterable[tuple[int, Sequence[Text]]], available: int) -> None:
        """Show exactly these rows (id, cells), in this order; hidden while there are none."""
        self._rows = list(rows)
        self.display = bool(self._rows)
        if not self.columns:
            self.lay_out(available)
        else:
            keep = self.cursor_id
            with self.app.batch_update():
                self.clear()
                self._add(self.widths(available), keep)
        if self._rows and self.screen.focused is None:  # workaround 4
            self.focus()

    def _add(self, widths: list[int], keep: int | None) -> None:
        """Add the rows; the cursor stays on its row (`keep`) when that row is still there."""
        for row_id, cells in self._rows:
            rights = [right for (_, _, _, right) in self.spec]
            fitted = [fit(cell.copy(), width, right) for cell, width, right in zip(cells, widths, rights, strict=True)]
            self.add_row(*fitted, key=str(row_id))  # workaround 1: cut to width, nothing to measure
        place = next((place for place, (row_id, _) in enumerate(self._rows) if row_id == keep), None)
        if place is not None:
            self.move_cursor(row=place, animate=False, scroll=True)
