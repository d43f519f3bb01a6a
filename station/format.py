"""Words and numbers for a person: money, counts, and times as a person reads them (the screens
and the twin both say them this way).

In English they are written here by hand (`12.50 EUR`), exactly as they always were. In German,
Czech, French and Spanish Babel writes them in the locale's way (`12,50 €`); Babel is imported
only then, so an English station never loads it (startup time, issue 13).

Server text (job names, project names, messages) is untrusted: it passes `station.untrusted.plain`
before it reaches a widget, and is only ever shown as literal text (`rich.text.Text` /
`Content`), never as markup.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from station.i18n import N_, _, locale_name, ngettext
from station.untrusted import plain

CENT = Decimal("0.01")
ISO_CURRENCY = re.compile(r"[A-Z]{3}")
NAME_IN_TEXT = 60  # a job name in a sentence or a dialog is cut here (names may be 10,000 long)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal(amount: Decimal) -> str:
    """An amount of money without currency, to the cent, as a table cell: `12.50` (`12,50` in German)."""
    value = cents(amount)
    locale = locale_name()
    if locale is None:
        return f"{value:.2f}"
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.00", locale=locale)


def _unsigned(value: Decimal) -> str:
    return decimal(abs(value))


def money(amount: Decimal | None, currency: str | None = None) -> str:
    """`12.50 EUR` (German `12,50 €`); `no limit` for an account without one (balance None)."""
    if amount is None:
        return _("no limit")
    value = cents(amount)
    locale = locale_name()
    if locale is not None and currency and ISO_CURRENCY.fullmatch(currency):
        from babel.numbers import format_currency

        return format_currency(value, currency, locale=locale)
    number = f"{'−' if value < 0 else ''}{_unsigned(value)}"
    return f"{number} {plain(currency)}" if currency else number


def signed(amount: Decimal) -> str:
    """A change in money: `−0.08`, `+0.08`, or empty for none."""
    value = cents(amount)
    if value == 0:
        return ""
    return f"{'−' if value < 0 else '+'}{_unsigned(value)}"


def ago(then: datetime | None, now: datetime) -> str:
    """`just now`, `12 min ago`, `3 h ago`, `2 d ago`. A time without an offset is the print
    server's local time (contract 7.3): shown as it came, `14:03` or `29 Nov`."""
    if then is None:
        return ""
    if then.tzinfo is None:
        return as_sent(then, now)
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return _("just now")
    minutes = int(seconds // 60)
    if minutes < 60:
        return _("{minutes} min ago").format(minutes=minutes)
    hours = minutes // 60
    if hours < 24:
        return _("{hours} h ago").format(hours=hours)
    return _("{days} d ago").format(days=hours // 24)


def ago_width() -> int:
    """The most cells an age takes in the language of the moment (two-digit numbers): 10 in
    English ("59 min ago"), 11 in Czech ("před 59 min"). The Submitted column is as wide."""
    return max(len(text) for text in (
        _("just now"), _("{minutes} min ago").format(minutes=59), _("{hours} h ago").format(hours=23),
        _("{days} d ago").format(days=99),
    ))


# A job's state in the person's words (a paused job waits for an answer to its question); a state
# this station does not know is shown as the server sent it.
STATE_WORDS = {"paused": N_("question"), "ready": N_("ready"), "processing": N_("processing"),
               "printed": N_("printed"), "canceled": N_("canceled"), "expired": N_("expired"), "failed": N_("failed")}


def state_word(state: str | None) -> str:
    word = STATE_WORDS.get(state or "")
    return _(word) if word else plain(state or "")


def time_left(until: datetime | None, now: datetime) -> str:
    """`45 min`, `23 h`, `3 d`, or `expired`."""
    if until is None:
        return ""
    if until.tzinfo is None:
        return as_sent(until, now)
    seconds = (until - now).total_seconds()
    if seconds <= 0:
        return _("expired")
    minutes = int(seconds // 60)
    if minutes < 60:
        return _("{minutes} min").format(minutes=max(minutes, 1))
    hours = minutes // 60
    if hours < 48:
        return _("{hours} h").format(hours=hours)
    return _("{days} d").format(days=hours // 24)


def expiring(until: datetime | None, now: datetime) -> bool:
    """Less than an hour left (`time_left` says minutes), or expired; never for a server's local time."""
    return until is not None and until.tzinfo is not None and (until - now).total_seconds() < 3600


def as_sent(moment: datetime, now: datetime) -> str:
    """A server's local time, without arithmetic on it: the time on this station's day, else the date."""
    if moment.date() == now.astimezone().date():
        return moment.strftime("%H:%M")
    locale = locale_name()
    if locale is None:
        return moment.strftime("%d %b")
    from babel.dates import format_date

    return format_date(moment, "d MMM", locale=locale)


def count(number: int, thing: str, things: str) -> str:
    """`1 job`, `3 jobs`: `count(n, 'job', 'jobs')`, both words literal so the catalog has them
    (babel.cfg extracts `count` as a plural keyword); the language picks its plural form."""
    return f"{number} {ngettext(thing, things, number)}"
