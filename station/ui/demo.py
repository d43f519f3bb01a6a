"""Demo mode: a DEMO marker on every screen and dialog, a key that puts the demo data back as
it was (`demo_reset`, a callback `station demo` hands in: the UI never imports the server), and
a key that prints a new job for the person logged in, so an audience watches it arrive.
"""

from __future__ import annotations

import random
from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from station.i18n import N_

DEMO_BINDINGS = [
    Binding("f5", "demo_reset", N_("reset demo"), key_display="F5", id="demo.reset"),
]

NAMES = [
    "Lunch menu week {week}.pdf",
    "Meeting notes {day}.docx",
    "Boarding pass {city}.pdf",
    "Conference badge.pdf",
    "Sales figures {month}.xlsx",
    "Project plan v{version}.pptx",
    "Invoice INV-{number}.pdf",
    "Train tickets {city}.pdf",
    "Welcome pack.pdf",
    "Floor plan level {version}.pdf",
]
CITIES = ["Berlin", "Lyon", "Porto", "Vienna", "Ghent", "Turin"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def new_job(rng: random.Random | None = None) -> tuple[str, dict[str, Any]]:
    """A realistic name and `jobInfo` (pages, colour pages, copies, sides) for a spooled job."""
    rng = rng or random.Random()
    name = rng.choice(NAMES).format(
        week=rng.randint(1, 52), day=rng.choice(DAYS), city=rng.choice(CITIES), month=rng.choice(MONTHS),
        version=rng.randint(2, 9), number=rng.randint(1000, 9999),
    )
    pages = rng.choice([1, 1, 2, 3, 4, 6, 8])
    color = rng.random() < 0.4
    info = {
        "pageCount": pages,
        "colorCount": rng.randint(1, pages) if color else 0,
        "copies": rng.choice([1, 1, 1, 2]),
        "duplex": pages > 2 and rng.random() < 0.5,
        "color": color,
    }
    return name, info


class DemoMarker(Static):
    """DEMO in the top right corner of a dialog (the screens have it in their top line)."""

    DEFAULT_CSS = """
    DemoMarker {
        dock: top;
        width: 100%;
        height: 1;
        text-align: right;
        background: transparent;
    }
    """

    def __init__(self) -> None:
        super().__init__(Content.styled(" DEMO ", "bold $background on $warning"), classes="demo-corner")
