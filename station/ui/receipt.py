"""A receipt of one person's session: what was released and canceled, what it cost each account,
and what switching jobs to 2-sided or black and white saved.

Plain Python, no Textual. A session fills it as it goes:

- `seen(jobs)` whenever jobs are read: the first version of each job is kept as it arrived, so
  that a later switch (2-sided, black and white) can be told and its saving measured;
- `released(jobs, charged=..., account=..., printer=...)`: the jobs as they print;
- `canceled(jobs)`;
- `end()` when the session ends, `wipe()` when it is gone (nothing of the person stays).

The receipt modal shows it on screen; `as_text()` is the compact text its QR code holds.
Job names are untrusted: they pass `station.untrusted.plain` on the way in and stay text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from station.api.models import Account, Job
from station.api.release import ReleaseOptions
from station.i18n import _, ngettext
from station.untrusted import plain
from station.ui.masking import MASK
from station.format import NAME_IN_TEXT, count, money

# What the QR code holds at most, in UTF-8 bytes: a version 8 code at error correction level L
# (192 bytes) is 49 modules square, 53 with a quiet zone of 2: 27 rows of half blocks, which fit
# beside the receipt at 100x30. Where fewer rows are free, the modal asks for less (`qr_limit`).
QR_BYTES = 192
NAME_IN_QR = 24  # a job name in the QR text is cut here
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReceiptJob:
    """One job on the receipt. Money is in `currency` (the account's); nothing is charged for a
    canceled job. `saved` and `sheets_saved` compare the job as it printed with the job as it
    arrived; `switched` says what changed ("2-sided", "black and white")."""

    name: str
    pages: int
    sheets: int
    cost: Decimal
    currency: str
    saved: Decimal = ZERO
    sheets_saved: int = 0
    switched: tuple[str, ...] = ()
    canceled: bool = False
    as_listed: bool = False  # the server did not say what it charged: `cost` is the listed one


@dataclass
class AccountTotal:
    """What one account was charged in this session. `balance` is what it held after the last
    release, when the server said; `no_limit` for an account without a balance (contract 3)."""

    name: str
    currency: str
    charged: Decimal = ZERO
    balance: Decimal | None = None
    no_limit: bool = False
    as_listed: bool = False  # the server did not say what it charged: `charged` sums the listed costs

    def balance_words(self) -> str:
        """`9.30 left` (in the account's currency), `no limit`, or empty when the balance is not known."""
        if self.no_limit:
            return _("no limit")
        return _("{balance} left").format(balance=money(self.balance)) if self.balance is not None else ""


class Receipt:
    """The receipt of one session, filled as it goes (see the module's docstring)."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        co2e_grams_per_sheet: float,
        mask_names: bool = False,
    ) -> None:
        self.clock = clock
        self.co2e_grams_per_sheet = co2e_grams_per_sheet
        self.mask_names = mask_names
        self.started: datetime | None = clock()
        self.ended: datetime | None = None
        self.jobs: list[ReceiptJob] = []
        self.accounts: dict[str, AccountTotal] = {}
        self.printers: list[str] = []
        self._arrived: dict[int, Job] = {}

    # --- filled by the session ---------------------------------------------------------------

    def seen(self, jobs: Iterable[Job]) -> None:
        """Jobs as read from the server: the first version of each is how it arrived."""
        for job in jobs:
            self._arrived.setdefault(job.id, job)

    def released(
        self,
        jobs: Iterable[Job],
        *,
        charged: Decimal | None,
        account: Account | None,
        balance: Decimal | None = None,
        printer: str | None = None,
    ) -> None:
        """Jobs released, as they print (sides and colour as chosen, cost as released).

        `charged`: what the server said it charged (None: not said, the costs are summed).
        `account`: the account charged (None: the server's default). `balance`: what the account
        holds now, when the server said. `printer`: where they print, when one was named.
        """
        jobs = list(jobs)
        currency = account.currency if account is not None else ""
        for job in jobs:
            self.jobs.append(self._line(job, currency, as_listed=charged is None))
        key = account.id if account is not None else ""
        total = self.accounts.get(key)
        if total is None:
            name = plain(account.name or account.id) if account is not None else _("default account")
            no_limit = account is not None and account.balance is None
            total = self.accounts[key] = AccountTotal(name, currency, no_limit=no_limit)
        total.charged += charged if charged is not None else sum((job.cost for job in jobs), ZERO)
        total.as_listed = total.as_listed or charged is None
        if balance is not None:
            total.balance = balance
        if printer and plain(printer) not in self.printers:
            self.printers.append(plain(printer))

    def canceled(self, jobs: Iterable[Job]) -> None:
        for job in jobs:
            self.jobs.append(ReceiptJob(self._name(job), job.pages, job.sheets, ZERO, "", canceled=True))

    def end(self) -> None:
        self.ended = self.clock()

    def wipe(self) -> None:
        """Forget everything: the session is gone."""
        self.jobs.clear()
        self.accounts.clear()
        self.printers.clear()
        self._arrived.clear()
        self.started = self.ended = None

    # --- what it says --------------------------------------------------------------------------

    @property
    def printed(self) -> list[ReceiptJob]:
        return [job for job in self.jobs if not job.canceled]

    @property
    def dropped(self) -> list[ReceiptJob]:
        return [job for job in self.jobs if job.canceled]

    @property
    def pages(self) -> int:
        return sum(job.pages for job in self.printed)

    @property
    def sheets(self) -> int:
        return sum(job.sheets for job in self.printed)

    @property
    def sheets_saved(self) -> int:
        return sum(job.sheets_saved for job in self.printed)

    def saved(self) -> dict[str, Decimal]:
        """Money saved by the switches, per currency."""
        saved: dict[str, Decimal] = {}
        for job in self.printed:
            saved[job.currency] = saved.get(job.currency, ZERO) + job.saved
        return {currency: amount for currency, amount in saved.items() if amount}

    @property
    def co2e_grams(self) -> float:
        """An estimate of the CO2e the sheets saved did not emit (`co2e_grams_per_sheet`)."""
        return max(self.sheets_saved, 0) * self.co2e_grams_per_sheet

    def when(self) -> str:
        """`2026-03-02 09:30-09:41` in local time (to now while the session runs)."""
        if self.started is None:
            return ""
        start = self.started.astimezone()
        end = (self.ended or self.clock()).astimezone()
        last = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
        return f"{start:%Y-%m-%d %H:%M}-{last}"

    def summary(self) -> list[str]:
        """The receipt's sums, a line each: released (and where), each account, saved, canceled."""
        lines = []
        if self.printed:
            at = _(" at printers {printers}") if len(self.printers) > 1 else _(" at printer {printers}")
            where = at.format(printers=", ".join(self.printers)) if self.printers else ""  # as the status line says
            lines.append(_("Released {jobs}{where}: {pages}, {sheets}").format(
                jobs=count(len(self.printed), 'job', 'jobs'), where=where, pages=count(self.pages, 'page', 'pages'),
                sheets=count(self.sheets, 'sheet', 'sheets'),
            ))
        for total in self.accounts.values():
            rest = total.balance_words()
            listed = _(" as listed") if total.as_listed else ""  # the print server works out the cost itself
            rest = f", {rest}" if rest else ""
            lines.append(f"{total.name}: {money(total.charged, total.currency)}{listed}{rest}")
        saving = self.saving_words()
        if saving:
            lines.append(_("Saved {saving}").format(saving=saving))
        if self.dropped:
            lines.append(_("Canceled {count}").format(count=count(len(self.dropped), 'job', 'jobs')))
        if not self.jobs:
            lines.append(_("Nothing released or canceled"))
        return lines

    def saving_words(self) -> str:
        """`0.30 EUR, 6 sheets, ~28 g CO2e`, or empty when nothing was saved."""
        parts = [money(amount, currency) for currency, amount in self.saved().items() if amount > 0]
        if self.sheets_saved > 0:
            parts.append(count(self.sheets_saved, 'sheet', 'sheets'))
            parts.append(_("~{co2e_words} CO2e").format(co2e_words=co2e_words(self.co2e_grams)))
        return ", ".join(parts)

    def as_text(self, limit: int = QR_BYTES) -> str:
        """The receipt as compact plain text, at most `limit` bytes of UTF-8 (what a QR code
        holds). The sums come first; job lines follow while they fit, and the rest is counted:
        "and 12 more jobs"."""
        head = [_("Receipt {when}").format(when=self.when()).rstrip(), *self.summary()]
        items = [self._text_line(job) for job in self.jobs]
        return fit_lines(head, items, limit)

    # --- inside ----------------------------------------------------------------------------------

    def _name(self, job: Job) -> str:
        return MASK if self.mask_names else plain(job.name, limit=NAME_IN_TEXT)

    def _line(self, job: Job, currency: str, *, as_listed: bool) -> ReceiptJob:
        arrived = self._arrived.get(job.id, job)
        switched = []
        if job.duplex and not arrived.duplex:
            switched.append(_("2-sided"))
        if has_colour(arrived) and not has_colour(job):
            switched.append(_("black and white"))
        return ReceiptJob(
            name=self._name(job),
            pages=job.pages,
            sheets=job.sheets,
            cost=job.cost,
            currency=currency,
            saved=arrived.cost - job.cost,
            sheets_saved=arrived.sheets - job.sheets,
            switched=tuple(switched),
            as_listed=as_listed,
        )

    @staticmethod
    def _text_line(job: ReceiptJob) -> str:
        name = plain(job.name, limit=NAME_IN_QR)
        if job.canceled:
            return _("x {name}: canceled").format(name=name)
        return _("- {name}: {pages} p, {cost}").format(name=name, pages=job.pages, cost=money(job.cost))


def as_printed(job: Job, options: ReleaseOptions) -> Job:
    """The job as released at a printer with `options` (sides, black and white), for a server that
    did not say; its cost stays the listed one (only the server prices the options)."""
    changes: dict[str, object] = {}
    if options.duplex is not None:
        changes["duplex"] = options.duplex
    if options.mono:
        changes.update(color=False, color_count=0)
    return job.model_copy(update=changes) if changes else job


def has_colour(job: Job) -> bool:
    return job.color or job.color_count > 0


def co2e_words(grams: float) -> str:
    """`28 g`, `1.2 kg`."""
    if grams >= 1000:
        return _("{kg:.1f} kg").format(kg=grams / 1000)
    return f"{grams:.0f} g"


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit_lines(head: list[str], items: list[str], limit: int) -> str:
    """`head` then `items`, one a line, in at most `limit` bytes: items that do not fit are
    counted ("and 3 more jobs"); a head too long for the limit is cut line by line ("…")."""
    for shown in range(len(items), -1, -1):
        more = [ngettext("and {count} more job", "and {count} more jobs", len(items) - shown).format(
            count=len(items) - shown,
        )]
        text = "\n".join(head + items[:shown] + (more if shown < len(items) else []))
        if utf8_size(text) <= limit:
            return text
    lines: list[str] = []
    for line in head:
        if utf8_size("\n".join([*lines, line, "…"])) > limit:
            break
        lines.append(line)
    text = "\n".join([*lines, "…"])
    while utf8_size(text) > limit:  # not even the first line fits
        text = text[:-2] + "…"
    return text
