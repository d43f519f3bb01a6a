"""Help: the keys the screen in front has now, read from its active bindings, and its notes.

Nothing here is a hand-written list of keys: a key shows in help exactly when it works on that
screen at that moment (its `check_action` says yes), with the key the keymap gave it. A screen
may add a few sentences by having a `help_notes()` method.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from station.i18n import N_, _
from station.ui.modals.base import StationModal


@runtime_checkable
class HasHelpNotes(Protocol):
    def help_notes(self) -> list[str]: ...


def help_keys(app: App[Any], screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, what they do) for every station binding active on `screen`, in footer order.

    Only bindings with an id count (the station's own; Textual's built-in ones have none), and
    only enabled ones; a widget's keys only when its footer shows them (not the arrows of a
    table). Keys doing the same thing share a row: `? F1  help`."""
    rows: dict[tuple[str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if not active.enabled or not binding.id or not binding.description:
            continue
        if not binding.show and not isinstance(active.node, (Screen, App)):
            continue
        key = binding.key_display or app.get_key_display(binding)
        description = _(binding.description)  # marked with N_ where it is defined: translated as shown
        rows.setdefault((binding.action.removeprefix("app."), description), []).append(key)
    return [(" ".join(dict.fromkeys(keys)), description) for (_, description), keys in rows.items()]


def help_notes(screen: Screen[Any]) -> list[str]:
    return screen.help_notes() if isinstance(screen, HasHelpNotes) else []


class HelpModal(StationModal[None]):
    BINDINGS = [Binding("question_mark", "close", N_("close"), show=False, id="help.close")]

    def __init__(self, keys: list[tuple[str, str]], notes: list[str]) -> None:
        super().__init__()
        self.keys = keys
        self.notes = notes

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self.keys), default=0)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Help")
            with Grid(id="help-keys"):
                for key, description in self.keys:
                    yield Static(Content.assemble((key.rjust(width), "bold $accent"), "  ", description), classes="key")
            for note in self.notes:
                yield Static(Content(note), classes="note")
            yield Static(Content(_("Esc close")), classes="hint")
