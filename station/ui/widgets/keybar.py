"""The footer of keys, wrapped onto as many lines as it needs.

Textual's `Footer` puts every key on one line and scrolls the rest out of sight; a kiosk has a
dozen keys and 80 columns. This footer lays the same clickable keys out in a grid whose column
count follows the width, so every key and its description stays visible.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from station.i18n import _

# KeyBar.bindings_changed stands in for Footer's (what it does, when it composes), dims keys
# where they are (FooterKey._disabled) and clears its own arrangement cache, as Textual 8.2 has
# them: tests/ui/test_keybar.py fails on another version with what to check.
TEXTUAL_CHECKED = "8.2"


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
        self._ready = False  # the screen has said its bindings once (Footer composes no key before)
        self._composed: tuple[Any, ...] | None = None  # the keys the last compose showed
        self._pending = False  # a compose is asked for: it will show the keys as they are then

    def compose(self) -> ComposeResult:
        self._composed = self._keys(self.screen) if self._ready else None
        # Bindings are class attributes, their descriptions marked with N_ in English: each key's
        # description is translated here, in the language of the moment.
        for widget in super().compose():  # which sets one column per key: arrange them again
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                # Footer binds each key's `compact` to the bar's, and its watcher restyles the key
                # as it mounts (about 1 ms a key, a dozen keys a screen): the class is there first.
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
        self._grid = (0, 0, 0)
        self.call_after_refresh(self._arrange)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Textual's Footer composes every key again (new widgets, styles, a mount: some 14 ms)
        each time the screen's bindings may have changed: every focus change, every
        `refresh_bindings`, a dozen times in a login. Here once for any number of changes before
        the next frame, and only when a key shown changed."""
        if self._pending or (self._ready and self._shows_keys_of(screen)):
            return
        # Footer's own, which marks the bindings ready and asks for a compose after the next
        # frame if the app has focus and this bar shows the screen (see TEXTUAL_CHECKED).
        self._ready = True
        super().bindings_changed(screen)
        self._pending = bool(screen.app.app_focus and self.is_attached and screen is self.screen)

    async def recompose(self) -> None:
        self._pending = False
        if not self.is_attached or self._shows_keys_of(self.screen):
            return  # its screen has gone meanwhile, or the keys changed back
        if not self._enable_in_place(self._keys(self.screen)):
            await super().recompose()

    def _enable_in_place(self, keys: tuple[Any, ...]) -> bool:
        """The same keys, only some enabled or disabled now (a request in flight dims them all):
        each key shown is dimmed or lit where it is, as Footer would compose it; False if more changed."""
        enabled = 5  # where `enabled` is in each of `_keys`
        if self._composed is None or [key[:enabled] + key[enabled + 1:] for key in keys] != [
            key[:enabled] + key[enabled + 1:] for key in self._composed
        ]:
            return False
        state = {(key[0], key[3]): key[enabled] for key in keys}
        shown = list(self.query(FooterKey))
        if any((key.key, key.action) not in state for key in shown):
            return False
        for key in shown:
            disabled = not state[key.key, key.action]
            key._disabled = disabled  # what FooterKey(disabled=...) sets: a click on it rings the bell
            key.set_class(disabled, "-disabled")
        self._composed = keys
        return True

    def _shows_keys_of(self, screen: Screen[Any]) -> bool:
        return self._composed is not None and self._keys(screen) == self._composed

    def _keys(self, screen: Screen[Any]) -> tuple[Any, ...]:
        """What Footer.compose shows of the screen's bindings: each key, as shown (its description in
        the language of the moment), and its state."""
        app = self.app
        return tuple(
            (binding.key, app.get_key_display(binding), _(binding.description), binding.action, binding.group,
             enabled, tooltip, binding.show)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

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
            # Textual clears the arrangement cache of a changed widget's parents, not its own: the
            # keys would keep the grid of the first arrangement (measured before the keys turned
            # compact) until the bar is composed again. Footer composed it again a dozen times
            # a login, which hid this; see TEXTUAL_CHECKED.
            self._clear_arrangement_cache()
