"""The fixed-columns table and the Textual it was checked against.

`FixedColumnsTable` works around how `DataTable` behaves inside (see its module docstring).
The first test pins the Textual version those workarounds were checked with: on another
version it fails with what to re-check. The others show each workaround doing its job.
"""

from __future__ import annotations

import textual
from rich.text import Text
from textual.app import App, ComposeResult

from station.ui.widgets.fixed_columns import TEXTUAL_CHECKED, FixedColumnsTable, cursor_id

COLUMNS = (("id", "Id", 5, True), ("name", "Name", 0, False), ("state", "State", 8, False))


def test_textual_is_the_version_the_workarounds_were_checked_against():
    major_minor = ".".join(textual.__version__.split(".")[:2])
    assert major_minor == TEXTUAL_CHECKED, (
        f"Textual {textual.__version__} is installed; station/ui/widgets/fixed_columns.py was checked "
        f"against Textual {TEXTUAL_CHECKED}. Re-check its four workarounds on DataTable's insides "
        "(cells measured on add, Column.width, CellDoesNotExist after clear, focus of a hidden "
        "table), run tests/ui/test_fixed_columns.py and the helpdesk snapshots, then update TEXTUAL_CHECKED."
    )


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield FixedColumnsTable(COLUMNS, least=6, id="table")


def rows(count: int, name: str = "x") -> list[tuple[int, list[Text]]]:
    return [(n, [Text(str(n)), Text(f"{name} {n}"), Text("ready")]) for n in range(1, count + 1)]


async def test_cells_are_cut_to_their_column_and_the_stretching_column_takes_the_rest():
    async with Tables().run_test(size=(40, 10)) as pilot:
        grid = pilot.app.query_one(FixedColumnsTable)
        grid.show_rows(rows(3, name="A name far longer than forty cells, from a print server"), 40)
        await pilot.pause()
        assert [column.width for column in grid.columns.values()] == [5, 26, 8]  # 40 - 13 - 1
        name = grid.get_row("1")[1]
        assert len(name) == 26 and str(name).endswith("…")
        assert grid.columns[grid.ordered_columns[1].key].content_width == 26  # measured as given


async def test_the_layout_changes_only_with_the_width_and_keeps_the_rows():
    async with Tables().run_test(size=(40, 10)) as pilot:
        grid = pilot.app.query_one(FixedColumnsTable)
        grid.show_rows(rows(2), 40)
        await pilot.pause()
        before = dict(grid.columns)
        grid.lay_out(40)
        assert dict(grid.columns) == before  # same width: the same columns, not laid out again
        grid.lay_out(60)
        assert [column.width for column in grid.columns.values()] == [5, 46, 8]
        assert grid.row_count == 2


async def test_the_row_under_the_cursor_is_none_on_an_empty_table():
    async with Tables().run_test(size=(40, 10)) as pilot:
        grid = pilot.app.query_one(FixedColumnsTable)
        assert cursor_id(grid) is None and grid.cursor_id is None
        grid.show_rows(rows(3), 40)
        await pilot.pause()
        await pilot.press("down")
        assert grid.cursor_id == 2
        grid.show_rows([], 40)
        await pilot.pause()
        assert grid.cursor_id is None and not grid.display


async def test_the_table_takes_the_focus_when_its_first_rows_come():
    async with Tables().run_test(size=(40, 10)) as pilot:
        grid = pilot.app.query_one(FixedColumnsTable)
        grid.show_rows([], 40)  # hidden: it loses the focus
        await pilot.pause()
        assert pilot.app.focused is None
        grid.show_rows(rows(2), 40)
        await pilot.pause()
        assert grid.has_focus
        await pilot.press("down")
        assert grid.cursor_id == 2


async def test_rows_shown_again_keep_the_cursor_on_its_row():
    """The audit draws its page again once it learned names: the cursor must not jump home."""
    async with Tables().run_test(size=(40, 10)) as pilot:
        grid = pilot.app.query_one(FixedColumnsTable)
        grid.show_rows(rows(4), 40)
        await pilot.pause()
        await pilot.press("down", "down")
        assert grid.cursor_id == 3
        grid.show_rows(rows(4, name="renamed"), 40)
        await pilot.pause()
        assert grid.cursor_id == 3 and "renamed 3" in str(grid.get_row("3")[1])
        grid.show_rows(rows(2), 40)  # its row went: the cursor goes to a row that is there
        await pilot.pause()
        assert grid.cursor_id in (1, 2)
