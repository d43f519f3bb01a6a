"""One page of rows from the print server at a time: the screen under the audit and all jobs.

A subclass says which columns it has (`COLUMNS`), how to read a page (`fetch`) and how a row
looks (`cells`); this screen draws the page, says where we are, turns pages with `n` and `p`,
shows a line in place of an empty table, and goes back with Escape. A request that fails is
said on the status line; a session the server ended goes up to the App as `SessionEnded`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from station.api.errors import ApiError, SessionExpired
from station.i18n import N_, _
from station.untrusted import plain
from station.ui.context import Context
from station.ui.messages import SessionEnded
from station.ui.widgets.fixed_columns import Column, FixedColumnsTable
from station.ui.widgets.header import SessionHeader
from station.ui.widgets.keybar import KeyBar

R = TypeVar("R")  # a row: an audit entry, a job

PAGE = 100


def paging_bindings(prefix: str) -> list[BindingType]:
    """`n`, `p` and Escape, with ids under the screen's own prefix (`audit.next`, ...)."""
    return [
        Binding("n", "page(1)", _("next page"), id=f"{prefix}.next"),
        Binding("p", "page(-1)", _("previous page"), id=f"{prefix}.previous"),
        Binding("escape", "back", _("back"), key_display="esc", id=f"{prefix}.back"),
    ]


class PagedTableScreen(Screen[None], Generic[R]):
    """A page of rows, the highlighted one in words below (`detail`), where we are on the status line."""

    COLUMNS: ClassVar[Sequence[Column]] = ()
    LEAST: ClassVar[int] = 10  # the stretching column is never narrower
    EMPTY: ClassVar[str] = N_("Nothing here.")  # in place of the table when a page is empty
    SEARCH: ClassVar[str] = ""  # the search field's placeholder; no field when empty
    DETAIL: ClassVar[bool] = False  # a line under the table with the highlighted row in full
    TABLE: ClassVar[type[FixedColumnsTable]] = FixedColumnsTable  # a subclass may give Enter a meaning

    def __init__(self, context: Context, *, title: str, subtitle: str, page_size: int = PAGE) -> None:
        super().__init__()
        self.context = context
        self.title_text = plain(title)
        self.subtitle = plain(subtitle)
        self.page_size = page_size
        self.start = 0
        self.count = 0
        self.rows: dict[int, R] = {}

    def compose(self) -> ComposeResult:
        yield SessionHeader(demo=self.context.demo is not None, id="header")
        if self.SEARCH:
            yield Input(placeholder=_(self.SEARCH), id="search", max_length=200, compact=True)
        yield self.TABLE(self.COLUMNS, least=self.LEAST, id="table")
        yield Static(id="empty")
        if self.DETAIL:
            yield Static(id="detail")
        yield Static(id="status")
        yield KeyBar()

    @property
    def table(self) -> FixedColumnsTable:
        return self.query_one("#table", FixedColumnsTable)

    def on_mount(self) -> None:
        self.query_one(SessionHeader).show(self.title_text, self.subtitle)
        self.query_one("#empty").display = False
        self.table.focus()
        self.say(_("Loading…"))
        self.load()

    def on_resize(self) -> None:
        self.table.lay_out(self.size.width)

    # --- what a subclass says -----------------------------------------------------------------------

    async def fetch(self) -> tuple[list[R], int]:
        """The page at `self.start` (at most `page_size` rows) and how many there are in all."""
        raise NotImplementedError

    def row_id(self, row: R) -> int:
        raise NotImplementedError

    def cells(self, row: R) -> list[Text]:
        raise NotImplementedError

    def where(self, shown: int) -> str:
        """The status line once a page with rows came."""
        return _("{first}–{last} of {count:,}").format(
            first=self.start + 1, last=self.start + shown, count=self.count,
        )

    def nothing(self) -> str:
        """The status line once an empty page came."""
        return _(self.EMPTY)

    def detail(self, row: R) -> Content:
        """The highlighted row in words (with `DETAIL`)."""
        return Content("")

    # --- paging -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            (step,) = parameters
            if step == 1 and self.start + self.page_size >= self.count:
                return None
            if step == -1 and self.start == 0:
                return None
        return True

    def action_page(self, step: int) -> None:
        start = max(0, self.start + step * self.page_size)
        if step > 0 and start >= self.count:
            return
        self.start = start
        self.load()

    def action_back(self) -> None:
        self.dismiss()

    @work(exclusive=True, group="page", exit_on_error=False)
    async def load(self, delay: float = 0) -> None:
        if delay:
            await asyncio.sleep(delay)  # typing on: only the last search goes out
        try:
            rows, self.count = await self.fetch()
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
            return
        except ApiError as error:
            self.say(error.human, error=True)
            return
        self.rows = {self.row_id(row): row for row in rows}
        self.redraw()
        self.say(self.where(len(rows)) if rows else self.nothing())
        self.refresh_bindings()

    # --- drawing -------------------------------------------------------------------------------------

    def redraw(self) -> None:
        """The page's rows again (names learned since, say)."""
        self.table.show_rows(((key, self.cells(row)) for key, row in self.rows.items()), self.size.width)
        empty = self.query_one("#empty", Static)
        empty.update(Content(_(self.EMPTY)))
        empty.display = not self.rows
        self._show_detail()

    def highlighted(self) -> R | None:
        key = self.table.cursor_id
        return self.rows.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#table")
    def _show_detail(self) -> None:
        if not self.DETAIL:
            return
        panel = self.query_one("#detail", Static)
        row = self.highlighted()
        panel.display = row is not None
        if row is not None:
            panel.update(self.detail(row))

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(Content(plain(message, limit=300)))
        status.set_class(error, "-error")
