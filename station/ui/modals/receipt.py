"""The receipt of the session: its sums and jobs, with a QR code beside them that holds the
receipt as text, so that a phone keeps it without a network.

Any key (or a click) closes it; with `close_after` it also closes by itself after that many
seconds, counting down (for the receipt shown at logout). The QR code holds as much of
`Receipt.as_text()` as a code that fits the window can: 192 bytes at 100x30 (version 8), 106 at
80x24 (version 5); the rest is counted ("and 12 more jobs") and the dialog says so.
"""

from __future__ import annotations

import math

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from station.i18n import _
from station.ui.modals.base import StationModal
from station.ui.receipt import QR_BYTES, Receipt, ReceiptJob
from station.format import count, money
from station.ui.widgets.qr import QRCode, capacity

TEXT_WIDTH = 34  # the receipt's own column keeps at least this many cells beside the code
FRAME = 4  # the dialog's border and padding, across
CHROME_ROWS = 2  # the dialog's border, down
HINT_ROWS = 4  # the hint under the receipt's lines: a blank line and up to 3 lines of words
SMALLEST_QR = 53  # bytes (version 3): below this the code holds too little to be worth a scan


def job_words(job: ReceiptJob) -> str:
    """`4 pages, 2 sheets, 0.24 EUR; saved 0.08 EUR and 2 sheets (2-sided)`."""
    if job.canceled:
        return _("canceled, {count}, not charged").format(count=count(job.pages, 'page', 'pages'))
    listed = _(" as listed") if job.as_listed else ""
    words = f"{count(job.pages, 'page', 'pages')}, {count(job.sheets, 'sheet', 'sheets')}, "
    words += money(job.cost, job.currency) + listed
    saved = [money(job.saved, job.currency)] if job.saved > 0 else []
    saved += [count(job.sheets_saved, 'sheet', 'sheets')] if job.sheets_saved > 0 else []
    if saved:
        words += _("; saved {saved}").format(saved=_(" and ").join(saved))
        words += f" ({', '.join(job.switched)})" if job.switched else ""
    return words


class ReceiptModal(StationModal[None]):
    """The session's receipt and its QR code. Answers nothing; closes on any key."""

    def __init__(self, receipt: Receipt, *, close_after: float | None = None) -> None:
        super().__init__()
        self.receipt = receipt
        self.close_after = close_after
        self._left = math.ceil(close_after) if close_after else 0
        self._ticker: Timer | None = None
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Receipt")
            with Horizontal(id="receipt-body"):
                with Vertical(id="receipt-text"):
                    with VerticalScroll(id="receipt-lines", can_focus=False):
                        yield Static(Content(self.receipt.when()), id="receipt-when")
                        yield Static(Content("\n".join(self.receipt.summary())), id="receipt-sums")
                        for job in self.receipt.jobs:
                            yield Static(Content(job.name), classes="receipt-job")
                            yield Static(Content(job_words(job)), classes="receipt-job-words")
                    yield Static(id="receipt-hint", classes="hint")
                yield QRCode(id="receipt-qr")

    def on_mount(self) -> None:  # StationModal's on_mount runs too (Textual calls each class's)
        if self.close_after:
            self.set_timer(self.close_after, self._close)
            self._ticker = self.set_interval(1, self._tick)
        self.call_after_refresh(self._fit)  # once the DEMO marker (StationModal's) is there

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """The largest QR code the window has room for, beside the receipt."""
        rows = self.size.height - CHROME_ROWS - self._docked_rows()
        limit = min(QR_BYTES, capacity(rows, self.size.width - FRAME - TEXT_WIDTH - 1))
        qr = self.query_one(QRCode)
        qr.display = limit >= SMALLEST_QR
        qr.show(self.receipt.as_text(limit) if qr.display else "")
        self.query_one("#receipt-lines").styles.max_height = max(rows - HINT_ROWS, 1)
        self._hint()

    def _docked_rows(self) -> int:
        """Rows that widgets docked on the screen (the DEMO marker) take from the dialog."""
        docked = [child for child in self.children if child.id != "dialog" and child.styles.dock in ("top", "bottom")]
        return sum(child.outer_size.height for child in docked)

    def _hint(self) -> None:
        qr = self.query_one(QRCode)
        if not qr.display:
            words = _("Make the window larger to see the QR code. ")
        elif qr.text != self.receipt.as_text():
            words = _("A taller window gives a longer QR code. ")
        else:
            words = _("Scan the code to keep this receipt. ")
        words += _("Any key closes")
        if self.close_after:
            words += _(" (closing in {seconds} s)").format(seconds=max(self._left, 0))
        self.query_one("#receipt-hint", Static).update(Content(words + "."))

    def _tick(self) -> None:
        self._left -= 1
        self._hint()

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self._close()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self._close()

    def action_close(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._answered:
            return
        self._answered = True
        if self._ticker is not None:
            self._ticker.stop()
        self.dismiss(None)
