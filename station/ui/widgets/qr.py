"""A QR code drawn with half blocks, so that a phone can take a text off the screen.

One text row holds two rows of modules: `▀` the top one dark, `▄` the bottom one, `█` both,
a space neither. A terminal cell is about twice as tall as it is wide, so each module is square.

Dark modules are black on white whatever the theme: scanners look for dark on light, and both
of the station's themes are light text on a dark background. The code draws its own light quiet
zone, `QUIET_ZONE` modules wide, because the screen around it is dark. The standard asks for 4
(ISO/IEC 18004); 2 is what fits a useful code into 24 or 30 rows, and the tests decode the drawn
code with a real decoder with nothing but dark around those 2 modules.

The code is made by segno (pure Python, no dependencies) at error correction level L, raised by
segno when the same version has room for more; text is encoded as UTF-8.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from rich.style import Style
from segno import make_qr
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

QUIET_ZONE = 2
DARK = "#000000"
LIGHT = "#ffffff"
MODULES = Style(color=DARK, bgcolor=LIGHT)
QUIET = Style(bgcolor=LIGHT)  # cells with no dark module: a style of their own (see `runs`)
HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}

# Bytes a QR code of each version holds in byte mode at level L (ISO/IEC 18004, table 7).
BYTES_AT_LEVEL_L = {1: 17, 2: 32, 3: 53, 4: 78, 5: 106, 6: 134, 7: 154, 8: 192, 9: 230, 10: 271}


def modules(version: int) -> int:
    """Modules on a side of a code of this version, quiet zone included."""
    return 17 + 4 * version + 2 * QUIET_ZONE


def capacity(rows: int, columns: int) -> int:
    """The most bytes of text whose code fits in `rows` x `columns` cells; 0 when none fits."""
    fitting = [v for v in BYTES_AT_LEVEL_L if (modules(v) + 1) // 2 <= rows and modules(v) <= columns]
    return BYTES_AT_LEVEL_L[max(fitting)] if fitting else 0


def half_block_lines(text: str) -> list[str]:
    """The code of `text` as lines of half blocks, quiet zone included (dark is the foreground)."""
    code = make_qr(text, error="l", encoding="utf-8")
    matrix = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))  # the last row's lower half: more quiet zone
    return [
        "".join(HALF_BLOCKS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)
    ]


def runs(line: str) -> list[str]:
    """The line cut where the block changes. A screenshot's SVG draws each run of blocks at its
    own cell (and runs of light cells as background only), where one long run of block glyphs
    would be squeezed by renderers that ignore `textLength` (rsvg)."""
    return [match.group() for match in re.finditer(r"(.)\1*", line)]


class QRCode(Widget):
    """A QR code of `text`, as large as it needs (one cell a module across, two modules a row)."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""
        self._strips: list[Strip] = []
        self.show(text)

    def show(self, text: str) -> None:
        """Draw the code of this text (nothing for no text)."""
        self.text = text
        lines = half_block_lines(text) if text else []
        self._strips = [
            Strip([Segment(run, QUIET if run[0] == " " else MODULES) for run in runs(line)], len(line))
            for line in lines
        ]
        self.refresh(layout=True)

    @property
    def code_size(self) -> Size:
        """Cells the code takes: columns, rows."""
        return Size(self._strips[0].cell_length, len(self._strips)) if self._strips else Size(0, 0)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.code_size.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.code_size.height

    def render_line(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y].adjust_cell_length(self.size.width, self.rich_style)
        return Strip.blank(self.size.width, self.rich_style)
