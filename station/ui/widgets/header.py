"""The top line: who is logged in, the account to be charged and its balance; DEMO in a demo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static


class SessionHeader(Horizontal):
    DEFAULT_CSS = """
    SessionHeader {
        height: 1;
        width: 1fr;
        #who { width: 1fr; }
        .demo-marker { width: auto; }
    }
    """

    def __init__(self, *, demo: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield Static(id="who")
        if self.demo:
            yield Static(" DEMO ", classes="demo-marker")

    def show(self, who: str, account: str) -> None:
        """Both parts are plain text (names come from the server): never markup."""
        line = Content.assemble((who, "bold"), " · ", account) if who else Content(account)
        self.query_one("#who", Static).update(Content(" ").append(line))
