"""The embedded server's price list (contract section 5). Pure functions, Decimal throughout."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Prices:
    mono: Decimal = Decimal("0.04")
    colour: Decimal = Decimal("0.20")
    sheet: Decimal = Decimal("0.02")
    currency: str = "EUR"


def prices_from(settings) -> Prices:
    """The price list of a `ServerSettings`."""
    return Prices(
        mono=Decimal(settings.price_mono),
        colour=Decimal(settings.price_colour),
        sheet=Decimal(settings.price_sheet),
        currency=settings.currency,
    )


def sheets(page_count: int, copies: int, duplex: bool) -> int:
    """Sheets of paper: copies x ceil(pageCount / (2 if duplex else 1))."""
    per_copy = -(-page_count // 2) if duplex else page_count
    return copies * per_copy


def round_money(value: Decimal) -> Decimal:
    """Round half-up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def job_cost(
    prices: Prices, *, page_count: int, color_count: int, copies: int, duplex: bool
) -> Decimal:
    """cost = copies x (mono_pages x mono + colour_pages x colour) + sheets x sheet."""
    color_count = min(color_count, page_count)
    mono_pages = page_count - color_count
    raw = copies * (mono_pages * prices.mono + color_count * prices.colour) + sheets(
        page_count, copies, duplex
    ) * prices.sheet
    return round_money(raw)


def to_cents(value: Decimal) -> int:
    return int(round_money(value) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)
