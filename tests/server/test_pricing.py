"""The price list (contract 5): pure functions, Decimal, half-up to cents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from station.server.pricing import Prices, from_cents, job_cost, round_money, sheets, to_cents

DEMO = Prices()


@pytest.mark.parametrize(
    ("pages", "colour", "copies", "duplex", "cost", "paper"),
    [
        (4, 0, 1, False, "0.24", 4),     # 4 x 0.04 + 4 x 0.02
        (12, 12, 1, False, "2.64", 12),  # 12 x 0.20 + 12 x 0.02
        (12, 12, 1, True, "2.52", 6),
        (2, 2, 10, True, "4.20", 10),    # 10 x 2 x 0.20 + 10 x 1 x 0.02
        (3, 0, 1, True, "0.16", 2),      # ceil(3 / 2) = 2 sheets
        (1, 0, 1, True, "0.06", 1),
        (18, 3, 2, True, "2.76", 18),
        (0, 0, 1, False, "0.00", 0),
    ],
)
def test_cost_and_sheets(pages, colour, copies, duplex, cost, paper):
    assert sheets(pages, copies, duplex) == paper
    assert job_cost(DEMO, page_count=pages, color_count=colour, copies=copies, duplex=duplex) == Decimal(cost)


def test_rounding_is_half_up_to_cents():
    odd = Prices(mono=Decimal("0.005"), colour=Decimal("0.015"), sheet=Decimal("0"))
    assert job_cost(odd, page_count=1, color_count=0, copies=1, duplex=False) == Decimal("0.01")
    assert job_cost(odd, page_count=1, color_count=1, copies=1, duplex=False) == Decimal("0.02")
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("2.344")) == Decimal("2.34")


def test_duplex_saves_paper_and_money():
    simplex = job_cost(DEMO, page_count=10, color_count=0, copies=1, duplex=False)
    duplex = job_cost(DEMO, page_count=10, color_count=0, copies=1, duplex=True)
    assert duplex < simplex


def test_cents_round_trip():
    assert to_cents(Decimal("12.50")) == 1250
    assert from_cents(1250) == Decimal("12.50")
    assert str(from_cents(80)) == "0.80"
    assert isinstance(job_cost(DEMO, page_count=1, color_count=0, copies=1, duplex=False), Decimal)
