"""The startup baseline: a bare Textual app that shows one label (run as a process)."""

from textual.app import App, ComposeResult
from textual.widgets import Label


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("Hello from a bare Textual app")


if __name__ == "__main__":
    Bare().run()
