"""A table cell's quick segments are the ones rich would make (issue 13: rows drawn at a sixth
of the cost), for the cells the tables build: cut, padded, right-aligned, styled, wide."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from station.ui.widgets.cells import cell_segments
from station.ui.widgets.fixed_columns import fit

CONSOLE = Console(width=100, color_system="truecolor", legacy_windows=False)
OPTIONS = CONSOLE.options.update(no_wrap=True)
ROW = Style(color="white", bgcolor="grey11") + Style.from_meta({"column": "name"})


def styled(text: str) -> Text:
    cell = Text(text, style="bold")
    cell.stylize("red on blue", 1, 4)
    cell.stylize(Style(italic=True, meta={"@click": "x"}), 2, 6)
    return cell


CELLS = [
    Text("Quarterly report.pdf"),
    Text("12,50 €"),
    Text(""),
    styled("Board minutes, final, really final.docx"),
    Text("報告書の最終版です.pdf"),  # wide characters: cut on a cell boundary
    Text("📄 Tickets 🚆 Berlin"),
    Text("  spaces around  "),
    Text("dim, no spans", style="dim"),
    Text("a style by name", style="bold red on grey11"),
]


def rich_way(cell: Text, width: int) -> list[Segment]:
    return CONSOLE.render_lines(cell, OPTIONS.update_dimensions(width, 1), style=ROW)[0]


@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("width", [1, 3, 8, 21, 40])
@pytest.mark.parametrize("index", range(len(CELLS)))
def test_a_fitted_cell_is_drawn_as_rich_draws_it(index, width, right):
    cell = fit(CELLS[index].copy(), width, right)
    assert cell_segments(CONSOLE, cell, width, ROW, OPTIONS) == rich_way(cell, width)


@pytest.mark.parametrize("cell", [Text("two\nlines"), Text("a\ttab"), Text("short"), Text("centred", justify="center")])
def test_any_other_cell_goes_through_rich(cell):
    assert cell_segments(CONSOLE, cell, 10, ROW, OPTIONS) == rich_way(cell, 10)
