"""The audit: who did what, for whom, when, on which jobs, for how much, and why (contract 4.7).

The helpdesk sees everyone's entries or one owner's; a person sees their own history the same
way (`h` on the jobs screen). Entries come a page at a time, newest first; `n` and `p` turn the
pages. Names and reasons come from the server: shown as plain text, never as markup.
"""

from __future__ import annotations

import logging
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from station.api.errors import ApiError, SessionExpired
from station.api.models import AuditEntry
from station.text import plain
from station.ui.context import Context
from station.ui.messages import SessionEnded
from station.ui.text import ago, count, money
from station.ui.widgets.fixed_columns import column_widths, cursor_id, fit_row, set_columns
from station.ui.widgets.header import SessionHeader
from station.ui.widgets.keybar import KeyBar

log = logging.getLogger("station.ui")

PAGE = 100

ACTIONS = {
    "release": "released",
    "cancel": "canceled",
    "update": "changed",
    "duplex": "sides",
    "spool": "spooled",
    "refund": "refunded",
}

SENTENCES = {
    "release": "released",
    "cancel": "canceled",
    "update": "changed",
    "duplex": "switched the sides of",
    "spool": "spooled",
    "refund": "refunded",
}

# key, heading, width (0: what is left), right-aligned
COLUMNS = (
    ("when", "When", 11, False),
    ("at", "At (UTC)", 12, False),
    ("action", "Action", 9, False),
    ("actor", "By", 9, False),
    ("owner", "For", 9, False),
    ("jobs", "Jobs", 9, False),
    ("amount", "Amount", 8, True),
    ("reason", "Reason", 0, False),
)


def previous_owner(entry: AuditEntry) -> int | None:
    """An owner change names the owner before it (station's profile field `previousOwnerId`)."""
    value = (entry.model_extra or {}).get("previousOwnerId")
    return value if isinstance(value, int) else None


class AuditScreen(Screen[None]):
    """A page of audit entries; the one under the cursor in full below the table."""

    BINDINGS = [
        Binding("n", "page(1)", "next page", id="audit.next"),
        Binding("p", "page(-1)", "previous page", id="audit.previous"),
        Binding("escape", "back", "back", key_display="esc", id="audit.back"),
    ]

    def __init__(
        self,
        context: Context,
        client: Any,
        *,
        title: str,
        owner_id: int | None = None,
        currency: str = "",
        names: dict[int, str] | None = None,
    ) -> None:
        """`client` reads `audit(owner_id=, limit=, start=)`; `names`: user ids to user names."""
        super().__init__()
        self.context = context
        self.client = client
        self.title_text = plain(title)
        self.owner_id = owner_id
        self.currency = currency
        self.names = dict(names or {})
        self.start = 0
        self.count = 0
        self.entries: dict[int, AuditEntry] = {}

    def compose(self) -> ComposeResult:
        yield SessionHeader(demo=self.context.demo is not None, id="header")
        yield DataTable(cursor_type="row", cell_padding=0, zebra_stripes=False, id="audit")
        yield Static(id="audit-empty")
        yield Static(id="audit-detail")
        yield Static(id="audit-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(SessionHeader).show(self.title_text, "newest first")
        self.query_one("#audit-empty").display = False
        self.say("Loading…")
        self._load()

    def on_resize(self) -> None:
        self._columns()

    # --- paging -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            (step,) = parameters
            if step == 1 and self.start + PAGE >= self.count:  # type: ignore[operator]
                return None
            if step == -1 and self.start == 0:
                return None
        return True

    def action_page(self, step: int) -> None:
        start = max(0, self.start + step * PAGE)
        if start >= self.count and step > 0:
            return
        self.start = start
        self._load()

    def action_back(self) -> None:
        self.dismiss()

    @work(exclusive=True, group="audit", exit_on_error=False)
    async def _load(self) -> None:
        try:
            page = await self.client.audit(owner_id=self.owner_id, limit=PAGE, start=self.start)
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
            return
        except ApiError as error:
            self.say(error.human, error=True)
            return
        self.count = page.count
        self.entries = {entry.id: entry for entry in page.entries}
        self._fill()
        if self.entries and self.focused is None:  # the table was hidden, and so unfocused, until now
            self.query_one("#audit", DataTable).focus()
        if not page.entries:
            self.say("Nothing recorded yet.")
        else:
            last = self.start + len(page.entries)
            self.say(f"Entries {self.start + 1}–{last} of {page.count}, newest first.")
        self.refresh_bindings()

    # --- drawing ----------------------------------------------------------------------------------

    def _widths(self) -> list[int]:
        return column_widths(COLUMNS, self.size.width, least=10)

    def _columns(self) -> None:
        table = self.query_one("#audit", DataTable)
        with self.app.batch_update():
            if set_columns(table, COLUMNS, self._widths()):
                self._rows()

    def _fill(self) -> None:
        table = self.query_one("#audit", DataTable)
        if not table.columns:
            self._columns()
            return
        with self.app.batch_update():
            table.clear()
            self._rows()

    def _rows(self) -> None:
        table = self.query_one("#audit", DataTable)
        widths = self._widths()
        for entry in self.entries.values():
            cells = self._cells(entry)
            table.add_row(
                *fit_row(cells, COLUMNS, widths),
                key=str(entry.id),
            )
        empty = self.query_one("#audit-empty", Static)
        empty.update(Content("Nothing recorded yet."))
        empty.display = not self.entries
        table.display = bool(self.entries)
        self._detail()

    def _cells(self, entry: AuditEntry) -> list[Text]:
        now = self.context.now()
        jobs = ", ".join(str(job_id) for job_id in entry.job_ids)
        return [
            Text(ago(entry.at, now)),
            Text(entry.at.strftime("%m-%d %H:%M")),
            Text(self._action(entry)),
            Text(plain(entry.actor or "-")),
            Text(plain(entry.owner or "-")),
            Text(jobs),
            Text("" if entry.amount is None else f"{entry.amount:.2f}"),
            Text(plain(entry.reason or "")),
        ]

    @staticmethod
    def _action(entry: AuditEntry) -> str:
        if entry.action == "update" and previous_owner(entry) is not None:
            return "handed"
        return ACTIONS.get(entry.action, plain(entry.action))

    def _who(self, user_id: int | None, fallback: str | None) -> str:
        if fallback:
            return plain(fallback)
        if user_id is None:
            return "someone"
        return plain(self.names.get(user_id, f"user #{user_id}"))

    @on(DataTable.RowHighlighted, "#audit")
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        """The highlighted entry in words: all of it, however narrow the table."""
        panel = self.query_one("#audit-detail", Static)
        entry = self._current()
        panel.display = entry is not None
        if entry is None:
            return
        actor = self._who(entry.actor_id, entry.actor)
        owner = self._who(entry.owner_id, entry.owner)
        jobs = count(len(entry.job_ids), "job") + (
            " (" + ", ".join(str(job_id) for job_id in entry.job_ids[:10]) + (" …" if len(entry.job_ids) > 10 else "") + ")"
        )
        when = f"{entry.at.strftime('%Y-%m-%d %H:%M:%S %Z')} ({ago(entry.at, self.context.now())})"
        what = SENTENCES.get(entry.action, plain(entry.action))
        line = [Content.styled(when, "bold"), Content(" · "), Content.styled(actor, "bold"), Content(f" {what} {jobs} for "), Content.styled(owner, "bold")]
        before = previous_owner(entry)
        if before is not None:
            line = [*line[:-2], Content(f" handed {jobs} from {self._who(before, None)} to "), Content.styled(owner, "bold")]
        if entry.amount is not None:
            line.append(Content(f" · {money(entry.amount, self.currency)}" + (f" from {plain(entry.account)}" if entry.account else "")))
        reason = Content.assemble(("Why: ", "$text-muted"), plain(entry.reason) if entry.reason else ("no reason given (their own change)", "italic"))
        panel.update(Content("").join(line) + Content("\n") + reason)

    def _current(self) -> AuditEntry | None:
        return self.entries.get(cursor_id(self.query_one("#audit", DataTable)))

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#audit-status", Static)
        status.update(Content(plain(message, limit=300)))
        status.set_class(error, "-error")
