"""Shared pieces of the benchmarks: results as JSON lines, statistics, made-up jobs, painting.

Every benchmark module is a script that prints one JSON object per line:
`{"name", "value", "unit", "baseline", "ratio", "target", "ok"}`. `run.py` runs them all.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import socket
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

SIZE = (100, 30)  # every UI benchmark runs at this terminal size
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a fixed clock, so that cells do not change under us


# --- results -----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline: float | None
    ratio: float | None
    target: str
    ok: bool
    note: str = ""

    def line(self) -> str:
        data = asdict(self)
        if not data["note"]:
            del data["note"]
        return json.dumps(data, ensure_ascii=False)


def emit(result: Result) -> Result:
    print(result.line(), flush=True)
    return result


def ratio_result(
    name: str, value: float, baseline: float, unit: str, *, at_most: float | None = None,
    at_least: float | None = None, value_under: float | None = None, note: str = "",
    digits: int = 4,
) -> Result:
    """A figure judged by its ratio to the baseline (and optionally by its own size)."""
    ratio = value / baseline if baseline else math.inf
    ok = True
    targets = []
    if at_most is not None:
        ok &= ratio <= at_most
        targets.append(f"ratio <= {at_most}")
    if at_least is not None:
        ok &= ratio >= at_least
        targets.append(f"ratio >= {at_least}")
    if value_under is not None:
        ok &= value < value_under
        targets.append(f"value < {value_under} {unit}")
    return Result(
        name, round(value, digits), unit, round(baseline, digits), round(ratio, 3),
        " and ".join(targets), bool(ok), note,
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def quick() -> bool:
    return "--quick" in sys.argv[1:]


def wanted(name: str) -> bool:
    """Is the row `name` asked for? `--rows a,b` (from `run.py a b`) names the only rows to measure;
    without it, every row of the module is."""
    arguments = sys.argv[1:]
    if "--rows" not in arguments:
        return True
    return name in arguments[arguments.index("--rows") + 1].split(",")


def log(message: str) -> None:
    """Progress for people, on stderr (stdout carries only the JSON lines)."""
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory now (VmRSS) in MB (10^6 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError("no VmRSS")


# --- made-up jobs --------------------------------------------------------------------------------

WORDS = (
    "Board minutes", "Campaign slides", "Flyer", "Train tickets", "Quarterly report", "Expense claim",
    "Team offsite agenda", "Boarding pass", "Shipping labels", "Workshop handout", "Invoice",
    "Parking permit", "Thesis draft", "Poster A3", "Meeting notes", "Contract", "Timesheet",
)
EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx")


def job_fields(index: int) -> dict[str, Any]:
    """The fields of made-up job number `index` (deterministic), as the server stores them."""
    pages = 1 + (index * 7) % 40
    colour = (index * 3) % (pages + 1) if index % 3 else 0
    copies = 1 + index % 3
    duplex = index % 4 == 0
    name = f"{WORDS[index % len(WORDS)]} {index}{EXTENSIONS[index % len(EXTENSIONS)]}"
    return {
        "name": name, "pages": pages, "colour": colour, "copies": copies, "duplex": duplex,
        "age": timedelta(minutes=1 + (index * 13) % 1400), "project": (1, 3, 5, 0, 0)[index % 5],
    }


def make_jobs(count: int, *, first_id: int = 1000, now: datetime = NOW) -> list:
    """`count` parsed jobs, as the client holds them after `GET /v3/jobs`: the server's JSON,
    500 jobs a page as the wire carries it, read by the client's own page reader (so strings,
    times and money are the objects it makes)."""
    from station.api.listing import PAGE, read_page

    jobs: list = []
    page: list[dict[str, Any]] = []
    for index in range(count):
        f = job_fields(index)
        mono = f["pages"] - f["colour"]
        sheets = f["copies"] * (-(-f["pages"] // 2) if f["duplex"] else f["pages"])
        cost = (f["copies"] * (mono * Decimal("0.04") + f["colour"] * Decimal("0.20"))
                + sheets * Decimal("0.02")).quantize(Decimal("0.01"))
        submitted = (now - f["age"]).replace(microsecond=0)
        page.append({
            "id": first_id + index, "name": f["name"], "date": submitted.date().isoformat(),
            "dateTime": submitted.isoformat(), "favorite": index % 11 == 0, "cost": float(cost),
            "duplex": f["duplex"], "color": f["colour"] > 0, "pageCount": f["pages"], "colorCount": f["colour"],
            "copies": f["copies"], "paper": {"state": 5}, "state": "ready", "ownerId": 7, "owner": "alice",
            "projectId": f["project"], "account": None, "queue": "direct", "size": 1000 + index,
            "expiresAt": (submitted + timedelta(hours=24)).isoformat(), "interaction": False,
        })
        if len(page) == PAGE or index == count - 1:
            jobs += read_page(json.dumps({"jobs": page, "count": count})).jobs
            page = []
    return jobs


class Context:
    """What a `JobTable` asks beyond the jobs (a `RowContext`), as a logged-in screen answers."""

    currency = "EUR"
    PROJECTS = {1: "MKT-Q4", 3: "AR-2026", 5: "CW-11"}

    def now(self) -> datetime:
        return NOW

    def project_label(self, project_id: int) -> str:
        return self.PROJECTS.get(project_id, f"#{project_id}") if project_id else ""

    def is_selected(self, job_id: int) -> bool:
        return False

    def saving(self, job_id: int) -> Decimal:
        return Decimal("0")

    def shown_name(self, name: str) -> str:
        return name  # names not masked

    def chosen(self, job_id: int) -> Any:
        from station.api.release import AS_SENT

        return AS_SENT  # every job as listed


# --- "painted": when the screen last reached the (headless) terminal -----------------------------


class PaintClock:
    """Records when a Textual app handed each frame to its driver, and whether the thing being
    waited for (`ready()`) was on screen in that frame.

    Install with `PaintClock.install(app, ready)`. Headless, Textual still composes every frame
    (the compositor renders the changed lines) and then skips only the write to the terminal, so
    the time of `post_display_hook` is when a frame was painted.
    """

    def __init__(self, ready: Callable[[], object] | None = None) -> None:
        self.times: list[float] = []
        self.ready: list[bool] = []
        self.check = ready

    @classmethod
    def install(cls, app: Any, ready: Callable[[], object] | None = None) -> PaintClock:
        clock = cls(ready)
        original = app.post_display_hook

        def hook() -> None:
            clock.times.append(time.perf_counter())
            try:
                clock.ready.append(bool(clock.check()) if clock.check else True)
            except Exception:  # noqa: BLE001 - what it looks at is not there yet
                clock.ready.append(False)
            original()

        app.post_display_hook = hook
        return clock

    def last(self) -> float:
        return self.times[-1] if self.times else math.nan

    def count(self) -> int:
        return len(self.times)

    def first_ready(self, after: int) -> float:
        """When the first frame after frame number `after` showed what `ready` waits for."""
        for when, ready in zip(self.times[after:], self.ready[after:], strict=True):
            if ready:
                return when
        raise LookupError("no frame showed it")


def table_shows(table: Any, rows: int) -> bool:
    """Does this table hold `rows` rows, laid out (so a frame shows them)? A bare DataTable must
    also have measured them; the station's RowTable draws rows as they show."""
    from textual.widgets import DataTable

    if isinstance(table, DataTable) and (table._require_update_dimensions or table._new_rows):
        return False
    return (
        table.row_count == rows
        and table.virtual_size.height >= min(rows, 1) + 1
        and table.region.height > 1
    )


def shown_rows(table: Any) -> tuple[list[list[Any]], list[tuple[Any, int]]]:
    """A RowTable's rows as it draws them (every cell built) and its columns as (heading, width):
    what a bare DataTable is given to show the same."""
    from rich.text import Text

    rows = [table.cells(key) for key in table.ordered_keys]
    columns = []
    for column, width in table.columns_shown:
        label = table.header_label(column)
        if column.key == table.sort_column:
            label += "▼" if table.sort_reverse else "▲"
        columns.append((Text(label), width))
    return rows, columns


def _pumps(app: Any) -> list[Any]:
    return [app, *app.screen.walk_children(with_self=True)]


def _dirty(app: Any) -> bool:
    """Is anything waiting to be handled, laid out, measured or painted?"""
    screen = app.screen
    if (
        screen._layout_required or screen._scroll_required or screen._repaint_required
        or screen._recompose_required or screen._dirty_widgets or app._batch_count
    ):
        return True
    from textual.widgets import DataTable

    for node in _pumps(app):
        if not node._message_queue.empty():
            return True
        if isinstance(node, DataTable) and (
            node._require_update_dimensions or node._new_rows or node._updated_cells
        ):
            return True
    return False


async def drain(pilot: Any) -> None:
    """Until every message queue of the app and its screen is empty (what a message posts is
    handled too)."""
    for _ in range(10_000):
        await pilot._wait_for_screen()
        await asyncio.sleep(0)
        if all(node._message_queue.empty() for node in _pumps(pilot.app)):
            return


async def settle(pilot: Any, clock: PaintClock, *, after: int = 0, timeout: float = 60.0) -> float:
    """Let the app work until nothing is left to handle or paint, and at least one frame came
    after frame number `after`; return when the last frame was painted.

    What is waiting is painted as soon as the app is idle (as its 60 fps update timer would do
    up to 16 ms later), so the figure is the work, not the timer's phase.
    """
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await drain(pilot)
        pilot.app.screen._on_timer_update()
        await asyncio.sleep(0)
        if clock.count() > after and not _dirty(pilot.app):
            return clock.last()
    raise TimeoutError("the app did not settle")


async def until(pilot: Any, condition: Callable[[], object], *, timeout: float = 30.0) -> None:
    """Let the app run (and talk to servers) until `condition()` holds."""
    deadline = time.perf_counter() + timeout
    while True:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - the screen asked about is not there yet
            pass
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {condition}")
        await asyncio.sleep(0.0005)


def quiet_env() -> dict[str, str]:
    """The environment for child processes: no user settings file, no Textual dev tools."""
    env = dict(os.environ)
    env.pop("TEXTUAL", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


# --- the station with jobs in hand, no server ----------------------------------------------------


def offline_station(**options: Any) -> Any:
    """A `StationApp` that never reaches a server (no quiet refresh, a fixed clock)."""
    from station.api.client import StationClient
    from station.ui.app import StationApp
    from station.ui.context import Pacing

    options.setdefault("pacing", Pacing(clock=lambda: NOW, refresh_interval=10**6))
    app = StationApp(lambda: StationClient("http://127.0.0.1:9"), **options)
    app.animation_level = "none"
    return app


def alice_session(app: Any) -> Any:
    """A session as alice's login would make it (a client that is never used)."""
    from station.api.models import Account, Project, User
    from station.ui.session import Session

    user = User(
        id=7, username="alice", full_name="Alice Martin", accounting="costCenter", default_account="credit",
        accounts=[Account(id="credit", type="credit", name="Personal credit", balance=Decimal("1000000")),
                  Account(id="cc:marketing", type="costCenter", name="Marketing", balance=None)],
    )
    projects = [Project(id=1, name="Marketing Q4 campaign", code="MKT-Q4"),
                Project(id=3, name="Annual report", code="AR-2026"),
                Project(id=5, name="Customer workshop", code="CW-11")]
    return Session(client=app.connect(), user=user, projects=projects)


async def open_jobs(pilot: Any, jobs: list) -> Any:
    """Show these jobs on the station's jobs screen, as after a login; returns the screen."""
    from station.api.models import JobList
    from station.ui.messages import LoggedIn
    from station.ui.screens.jobs import JobsScreen
    from station.ui.screens.login import LoginScreen

    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, LoginScreen))
    app.screen.post_message(LoggedIn(alice_session(app), JobList(jobs=jobs, count=len(jobs))))
    await until(pilot, lambda: isinstance(app.screen, JobsScreen) and app.screen.table.row_count == len(jobs))
    return app.screen
