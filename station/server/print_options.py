"""How a job prints when it is released with options (at a printer), and what it then costs.

The vendor's `releaseOptions` are integers (contract 7.1, wire decisions): `duplex` 0 as sent,
1 single-sided, 2 long edge, 3 short edge; `color` 0 as sent, 1 colour (a mono page stays mono),
2 black and white; `copies` 0 as sent, N that many. `PrintOptions` is what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.server.pricing import Prices, job_cost, to_cents

DUPLEX_AS_SENT, SIMPLEX, LONG_EDGE, SHORT_EDGE = 0, 1, 2, 3
COLOR_AS_SENT, COLOUR, MONO = 0, 1, 2


@dataclass(frozen=True)
class PrintOptions:
    """How one job prints; None (and False) leave the job as it was sent."""

    duplex: bool | None = None
    mono: bool = False
    copies: int | None = None

    @classmethod
    def from_vendor(cls, *, duplex: int = 0, color: int = 0, copies: int = 0) -> PrintOptions:
        """The options of the vendor's integers (already checked to be in range)."""
        return cls(
            duplex=None if duplex == DUPLEX_AS_SENT else duplex in (LONG_EDGE, SHORT_EDGE),
            mono=color == MONO,
            copies=copies or None,
        )


@dataclass(frozen=True)
class Printed:
    """A job as it prints: what the stored job becomes, and its cost in cents."""

    duplex: bool
    color: bool
    color_count: int
    copies: int
    cost_cents: int


def printed(
    *, duplex: bool, color: bool, page_count: int, color_count: int, copies: int, cost_cents: int,
    options: PrintOptions | None, prices: Prices,
) -> Printed:
    """The job as `options` print it. Unchanged values keep the job's own cost, so a release
    without options charges exactly what the job showed."""
    as_sent = Printed(duplex, color, color_count, copies, cost_cents)
    if options is None:
        return as_sent
    new_duplex = duplex if options.duplex is None else options.duplex
    new_color = color and not options.mono
    new_color_count = 0 if options.mono else color_count
    new_copies = copies if options.copies is None else options.copies
    if (new_duplex, new_color, new_color_count, new_copies) == (duplex, color, color_count, copies):
        return as_sent
    cost = job_cost(
        prices, page_count=page_count, color_count=new_color_count, copies=new_copies,
        duplex=new_duplex,
    )
    return Printed(new_duplex, new_color, new_color_count, new_copies, to_cents(cost))
