"""Words and numbers for a person: money, counts, and times as a person reads them (the screens
and the twin both say them this way).

Server text (job names, project names, messages) is untrusted: it passes `station.untrusted.plain`
before it reaches a widget, and is only ever shown as literal text (`rich.text.Text` /
`Content`), never as markup.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from station.untrusted import plain

CENT = Decimal("0.01")
NAME_IN_TEXT = 60  # a job name in a sentence or a dialog is cut here (names may be 10,000 long)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal | None, currency: str | None = None) -> str:
    """`12.50 EUR`; `no limit` for an account without one (balance None)."""
    if amount is None:
        return "no limit"
    value = cents(amount)
    sign = "−" if value < 0 else ""
    number = f"{sign}{abs(value):.2f}"
    return f"{number} {plain(currency)}" if currency else number


def signed(amount: Decimal) -> str:
    """A change in money: `−0.08`, `+0.08`, or empty for none."""
    value = cents(amount)
    if value == 0:
        return ""
    return f"{'−' if value < 0 else '+'}{abs(value):.2f}"


def ago(then: datetime | None, now: datetime) -> str:
    """`just now`, `12 min ago`, `3 h ago`, `2 d ago`. A time without an offset is the print
    server's local time (contract 7.3): shown as it came, `14:03` or `29 Nov`."""
    if then is None:
        return ""
    if then.tzinfo is None:
        return as_sent(then, now)
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} h ago"
    return f"{hours // 24} d ago"


def time_left(until: datetime | None, now: datetime) -> str:
    """`45 min`, `23 h`, `3 d`, or `expired`."""
    if until is None:
        return ""
    if until.tzinfo is None:
        return as_sent(until, now)
    seconds = (until - now).total_seconds()
    if seconds <= 0:
        return "expired"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d"


def as_sent(moment: datetime, now: datetime) -> str:
    """A server's local time, without arithmetic on it: the time on this station's day, else the date."""
    return moment.strftime("%H:%M") if moment.date() == now.astimezone().date() else moment.strftime("%d %b")


def count(number: int, thing: str, things: str | None = None) -> str:
    """`1 job`, `3 jobs`."""
    return f"{number} {thing if number == 1 else (things or thing + 's')}"
