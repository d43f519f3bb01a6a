"""While a request is out: a spinner and the seconds waited, so a slow server never looks frozen."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from time import monotonic

from textual.timer import Timer
from textual.widget import Widget
from station.i18n import _

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


@asynccontextmanager
async def waiting(
    owner: Widget, show: Callable[[str], None], doing: str, hint: str = "", *, after: float = 0.5
) -> AsyncIterator[None]:
    """After `after` seconds, show `⠋ <doing> waiting for the print server · 3 s · <hint>` and
    keep it turning until the block ends. Quick answers show only `doing`. While a dialog covers
    the owner's screen (a helpdesk reason asked mid-request), nothing turns and no second counts."""
    started = monotonic()
    frame = 0
    ticker: Timer | None = None

    def tick() -> None:
        nonlocal frame, started
        if owner.screen is not owner.app.screen:
            # A dialog covers the screen: the station waits for the person, not the server.
            started = monotonic()
            return
        waited = int(monotonic() - started)
        parts = [_("{spinner} {doing}… waiting for the print server").format(
            spinner=FRAMES[frame % len(FRAMES)], doing=doing.rstrip('…'),
        )]
        if waited:
            parts.append(f"{waited} s")
        if hint:
            parts.append(hint)
        show(" · ".join(parts))
        frame += 1

    def start() -> None:
        nonlocal ticker
        tick()
        ticker = owner.set_interval(0.2, tick)

    starter = owner.set_timer(after, start)
    try:
        yield
    finally:
        starter.stop()
        if ticker is not None:
            ticker.stop()
