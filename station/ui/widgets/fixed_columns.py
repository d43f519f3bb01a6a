"""A DataTable with fixed-width columns and one stretching column: the helpdesk's lists.

A column is `(key, label, width, right)`; width 0 takes what the others leave. Cells are cut
to their width with an ellipsis, so a 10,000-character name never pushes the table around.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

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


def fit_row(cells: Sequence[Text], columns: Sequence[Column], widths: Sequence[int]) -> list[Text]:
    return [fit(cell, width, right) for cell, width, (_, _, _, right) in zip(cells, widths, columns, strict=True)]


def set_columns(table: DataTable, columns: Sequence[Column], widths: list[int]) -> bool:
    """Lay the columns out anew if their widths changed; True when the rows must be added again."""
    if [column.width for column in table.columns.values()] == widths:
        return False
    table.clear(columns=True)
    for (key, label, _, right), width in zip(columns, widths, strict=True):
        table.add_column(fit(Text(label), width, right), width=width, key=key)
    return True


def cursor_id(table: DataTable) -> int | None:
    """The id in the row key under the cursor (rows are keyed by id), or None."""
    if not table.is_valid_row_index(table.cursor_row):
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    except CellDoesNotExist:
        return None
    return int(key.value) if key.value is not None else None
