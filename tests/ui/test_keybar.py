"""The key bar composes its keys again only when a key it shows changes (issue 13: Footer did it
on every focus change and every refresh_bindings, a dozen times in a login), and the Textual
that was checked against."""

from __future__ import annotations

import re

import textual
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from station.ui.widgets.keybar import TEXTUAL_CHECKED, KeyBar

from .support import until


def test_textual_is_the_version_the_key_bar_was_checked_against():
    major_minor = ".".join(textual.__version__.split(".")[:2])
    assert major_minor == TEXTUAL_CHECKED, (
        f"Textual {textual.__version__} is installed; station/ui/widgets/keybar.py was checked against "
        f"Textual {TEXTUAL_CHECKED}. Re-check that KeyBar.bindings_changed still does what "
        "Footer.bindings_changed does (marks the bindings ready, composes after the next frame when the "
        "app has focus and the bar shows the screen), that _keys reads what Footer.compose shows, that "
        "FooterKey still keeps its state in _disabled and the class -disabled, and that a widget's own "
        "arrangement cache still needs clearing when its grid changes (KeyBar._arrange), "
        "run this file and the snapshots, then update TEXTUAL_CHECKED."
    )


class Keys(Screen[None]):
    BINDINGS = [Binding("f2", "two", "two"), Binding("f3", "three", "three")]
    busy = False

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.busy if action == "three" else True

    def action_two(self) -> None: ...
    def action_three(self) -> None: ...


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def shown(app: App[None]) -> list[str]:
    return [str(key.description) for key in app.screen.query("FooterKey")]


async def test_the_bar_is_composed_again_only_when_a_key_shown_changes(monkeypatch):
    composed: list[list[str]] = []
    original = KeyBar.compose

    def counting(self):  # type: ignore[no-untyped-def]
        yield from original(self)
        composed.append([str(binding.description) for _, binding, _, _ in self.screen.active_bindings.values()
                         if binding.show])

    monkeypatch.setattr(KeyBar, "compose", counting)
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await until(pilot, lambda: shown(app) == ["two", "three"])
        before = len(composed)
        for _ in range(3):  # focus moves and bindings refreshed: the same keys
            app.screen.query_one("#b").focus()
            await pilot.pause()
            app.screen.query_one("#a").focus()
            app.screen.refresh_bindings()
            await pilot.pause()
        assert len(composed) == before
        screen = app.screen
        assert isinstance(screen, Keys)
        screen.busy = True  # a key goes: the bar shows it at once
        screen.refresh_bindings()
        await until(pilot, lambda: shown(app) == ["two"])
        screen.busy = False
        screen.refresh_bindings()
        await until(pilot, lambda: shown(app) == ["two", "three"])
        assert len(composed) == before + 2


def screenshot(app: App[None]) -> str:
    return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())  # less its unique ids


class Dims(Keys):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if self.busy and action in ("two", "three") else True  # None: shown, dimmed


class DimsApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Dims())


async def test_keys_dimmed_where_they_are_look_as_keys_composed_dimmed():
    app = DimsApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await until(pilot, lambda: shown(app) == ["two", "three"])
        bar = app.screen.query_one(KeyBar)
        await until(pilot, lambda: bar._grid == (2, 8, 1))  # laid out: "f3 three" is the widest
        keys = list(app.screen.query("FooterKey"))
        screen = app.screen
        assert isinstance(screen, Dims)
        screen.busy = True
        screen.refresh_bindings()
        await until(pilot, lambda: all(key.has_class("-disabled") for key in app.screen.query("FooterKey")))
        await pilot.pause()
        assert list(app.screen.query("FooterKey")) == keys  # the same widgets, dimmed where they are
        dimmed_in_place = screenshot(app)
        bar._composed = None  # forget what it shows: every key composed anew, as Footer does
        bar.call_later(bar.recompose)
        await until(pilot, lambda: len(fresh := list(app.screen.query("FooterKey"))) == 2 and fresh != keys)
        await until(pilot, lambda: bar._grid == (2, 8, 1))
        assert screenshot(app) == dimmed_in_place
        screen.busy = False
        screen.refresh_bindings()
        await until(pilot, lambda: not any(key.has_class("-disabled") for key in app.screen.query("FooterKey")))
