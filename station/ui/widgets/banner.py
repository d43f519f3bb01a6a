"""Lines across the top of a screen that say, in words, what is wrong with the connection.

- `#tls`: TLS certificate checks are off (`--insecure`): shown for as long as the app runs.
- `#offline`: the print server cannot be reached; when the next try is.
- `#unreadable`: jobs the server sent that station could not read, and so does not show.

Each line starts with a word (WARNING, NO CONNECTION) as well as a colour; a line with nothing
to say takes no room. All text is plain: server words may hold markup or escape codes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from station.i18n import N_, _
from station.untrusted import plain
from station.ui.faults import seconds
from station.format import count

TLS_OFF = N_("TLS certificate checks are off (--insecure): server not verified.")


class ConnectionBanner(Vertical):
    DEFAULT_CSS = """
    ConnectionBanner {
        height: auto;
        & > Static { height: auto; max-height: 2; padding: 0 1; display: none; }
        & > #tls { background: $warning; color: $background; }
        & > #offline { background: $error; color: $text; }
        & > #unreadable { background: $warning-muted; color: $text; }
    }
    """

    def __init__(self, *, insecure: bool = False, **kwargs) -> None:
        kwargs.setdefault("id", "banner")
        super().__init__(**kwargs)
        self.insecure = insecure
        self.is_offline = False

    def compose(self) -> ComposeResult:
        yield Static(id="tls")
        yield Static(id="offline")
        yield Static(id="unreadable")

    def on_mount(self) -> None:
        if self.insecure:
            self._line("tls", _("WARNING"), _(TLS_OFF))

    def _line(self, name: str, word: str, text: str) -> None:
        line = self.query_one(f"#{name}", Static)
        line.update(Content.assemble((f"{word}: ", "bold"), plain(text, limit=300)))
        line.display = True

    def _hide(self, name: str) -> None:
        line = self.query_one(f"#{name}", Static)
        line.update("")
        line.display = False

    def offline(self, message: str, retry_in: float | None = None, hint: str = "") -> None:
        """No connection: what went wrong, and when station tries again (None: it does not)."""
        self.is_offline = True
        text = message.rstrip()
        if retry_in is not None:
            text += _(" Trying again in {seconds}.").format(seconds=seconds(retry_in))
        if hint:
            text += f" {hint}"
        self._line("offline", _("NO CONNECTION"), text)

    def trying(self, message: str = "") -> None:
        message = message or _("Trying to reach the print server again…")
        self._line("offline", _("NO CONNECTION"), message)

    def online(self) -> None:
        self.is_offline = False
        self._hide("offline")

    def unreadable(self, jobs: int) -> None:
        """`jobs` jobs could not be read: say so, or clear the line when there are none."""
        if not jobs:
            self._hide("unreadable")
            return
        verb = _("could not be read and is not shown") if jobs == 1 else _("could not be read and are not shown")
        self._line("unreadable", _("WARNING"), _("{count} {verb}. Ask the helpdesk about it.").format(
            count=count(jobs, 'job', 'jobs'), verb=verb,
        ))

    @property
    def text(self) -> str:
        """Every line shown, one per line (for tests and screen readers)."""
        shown = []
        for line in self.query(Static):
            if line.display:
                visual = line.render()
                shown.append(getattr(visual, "plain", str(visual)))
        return "\n".join(shown)
