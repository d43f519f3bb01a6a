"""The footer of keys, wrapped onto as many lines as it needs.

Textual's `Footer` puts every key on one line and scrolls the rest out of sight; a kiosk has a
dozen keys and 80 columns. This footer lays the same clickable keys out in a grid whose column
count follows the width, so every key and its description stays visible.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from station.i18n import _


class KeyBar(Footer):
    DEFAULT_CSS = """
    KeyBar {
        layout: grid;
        grid-gutter: 0 2;
        grid-rows: 1;
        height: 1;
        padding: 0 1;
        &.-compact FooterKey { margin: 0; }
    }
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("show_command_palette", False)
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._grid: tuple[int, int, int] = (0, 0, 0)

    def compose(self) -> ComposeResult:
        # Bindings are class attributes, their descriptions marked with N_ in English: each key's
        # description is translated here, in the language of the moment.
        for widget in super().compose():  # which sets one column per key: arrange them again
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
            yield widget
        self._grid = (0, 0, 0)
        self.call_after_refresh(self._arrange)

    def on_resize(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        keys = list(self.query("FooterKey"))
        if not keys or not self.size.width:
            return
        widest = max(key.get_content_width(self.size, self.size) for key in keys)
        gutter = 2
        room = self.size.width - 2  # the bar's padding
        columns = max(1, min(len(keys), (room + gutter) // (widest + gutter)))
        # As few lines as the width allows, then as even as possible across them.
        lines = -(-len(keys) // columns)
        columns = -(-len(keys) // lines)
        if (columns, widest, lines) != self._grid:
            self._grid = (columns, widest, lines)
            self.set_styles(f"grid-size: {columns}; grid-columns: {widest}; height: {lines};")
