"""login_round_trips and login_to_list: from submitting a PIN to the job table painted, against
the embedded server (in its own process) over loopback.

- login_round_trips: the longest chain of HTTP requests each of which started only after the one
  before it had answered (requests in flight together count once). The contract: the token, then
  jobs + user + projects at once = 2.
- login_to_list: the wall time of the same, against a bare Textual peer doing the same work
  (`peers.BareLogin`: Enter in an Input builds an httpx client inside the clock, gets the
  token, sends the three GETs together, parses the JSON and shows a bare DataTable of the same
  rows, until painted). The raw HTTP calls alone are timed too, and named in the row's note.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from pathlib import Path

import httpx
from harness import SIZE, PaintClock, Result, emit, log, median, quick, ratio_result, settle, table_shows, until
from servers import make_db, server, unrelease

PIN = "1234"
TOKEN_BODY = {
    "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
    "scope": "jobs offline.access", "login_info": {"type": 2, "pin": PIN},
}


class TimingTransport(httpx.AsyncBaseTransport):
    """Wraps a client's own transport; remembers when each request went out and when its
    answer was in."""

    def __init__(self, inner: httpx.AsyncBaseTransport, spans: list[tuple[float, float, str]]) -> None:
        self.inner = inner
        self.spans = spans

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        start = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.spans.append((start, time.perf_counter(), f"{request.method} {request.url.path}"))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def timed(client: httpx.AsyncClient, spans: list[tuple[float, float, str]]) -> httpx.AsyncClient:
    """The client, its requests timed (the transport it made for itself stays in use)."""
    client._transport = TimingTransport(client._transport, spans)
    return client


def round_trips(spans: list[tuple[float, float, str]]) -> int:
    """The longest chain of requests where each one started after the previous one ended."""
    depth: list[int] = []
    ordered = sorted(spans)
    for index, (start, _end, _what) in enumerate(ordered):
        before = [depth[j] for j in range(index) if ordered[j][1] <= start]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


async def raw_login(base: str) -> tuple[float, int]:
    """The login's HTTP calls with raw httpx: seconds, and the sequential round trips."""
    spans: list[tuple[float, float, str]] = []
    async with timed(httpx.AsyncClient(base_url=base + "/api"), spans) as client:
        start = time.perf_counter()  # a fresh client (no connection yet), made before the clock starts
        token = (await client.post("/auth/token", json=TOKEN_BODY)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        answers = await asyncio.gather(
            client.get("/v3/jobs", params={"limit": 500}, headers=headers),
            client.get("/v3/users/me", headers=headers),
            client.get("/v3/projects", params={"limit": 500}, headers=headers),
        )
        for answer in answers:
            answer.raise_for_status()
        seconds = time.perf_counter() - start
    return seconds, round_trips(spans)


async def bare_logins(base: str, count: int) -> list[float]:
    """The bare peer's logins (after one that warms up): seconds from Enter to the table painted."""
    from peers import BareLogin, RowsScreen
    from textual.widgets import Input

    app = BareLogin(base)
    app.animation_level = "none"
    seconds: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        def table_painted() -> bool:
            screen = app.screen
            return isinstance(screen, RowsScreen) and table_shows(screen.table, len(screen.rows))

        clock = PaintClock.install(app, table_painted)
        for attempt in range(count + 1):
            await settle(pilot, clock)
            app.query_one("#secret", Input).value = PIN
            await settle(pilot, clock)
            gc.collect()
            frames = clock.count()
            start = time.perf_counter()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, RowsScreen) and app.screen.table.row_count > 0)
            await settle(pilot, clock, after=frames)
            if attempt:
                seconds.append(clock.first_ready(frames) - start)
            await app.log_out()
        await settle(pilot, clock)
    return seconds


async def station_logins(base: str, count: int) -> tuple[list[float], list[int], list[int]]:
    """Log in `count` times (after one that warms up); seconds, round trips and requests of each."""
    from textual.widgets import Input

    from station.api.client import StationClient
    from station.ui.app import StationApp
    from station.ui.context import Pacing
    from station.ui.screens.jobs import JobsScreen
    from station.ui.screens.login import LoginScreen

    spans: list[tuple[float, float, str]] = []
    clients: list[StationClient] = []

    def connect() -> StationClient:
        client = StationClient(base)  # as the command line makes it
        timed(client._http, spans)
        clients.append(client)
        return client

    app = StationApp(connect, pacing=Pacing(refresh_interval=10**6))
    app.animation_level = "none"
    seconds: list[float] = []
    trips: list[int] = []
    sent: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        def table_painted() -> bool:
            screen = app.screen
            return isinstance(screen, JobsScreen) and table_shows(screen.table, len(screen.jobs))

        clock = PaintClock.install(app, table_painted)
        for attempt in range(count + 1):
            await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.query_one("#secret"))
            await settle(pilot, clock)
            app.screen.query_one("#secret", Input).value = PIN
            await settle(pilot, clock)
            spans.clear()
            gc.collect()
            frames = clock.count()
            start = time.perf_counter()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, JobsScreen)
                        and app.screen.table.row_count == len(app.screen.jobs) > 0)
            await settle(pilot, clock, after=frames)
            painted = clock.first_ready(frames)
            if attempt:
                seconds.append(painted - start)
                trips.append(round_trips(spans))
                sent.append(clients[-1].requests_sent)
            await pilot.press("l")  # log out, back to the login screen
        # Wait for the login screen to be whole: quitting while it mounts trips it up.
        await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.query_one("#secret"))
        await settle(pilot, clock)
    return seconds, trips, sent


async def main() -> None:
    count = 5 if quick() else 20
    with tempfile.TemporaryDirectory(prefix="station-bench-") as folder:
        db = Path(folder) / "login.db"
        make_db(db)
        with server("station", db) as base:
            raw: list[float] = []
            raw_trips: list[int] = []
            for attempt in range(count + 1):
                seconds, trips = await raw_login(base)
                if attempt:
                    raw.append(seconds)
                    raw_trips.append(trips)
            bare = await bare_logins(base, count)
            unrelease(db)
            ours, trips, sent = await station_logins(base, count)
            bare += await bare_logins(base, count)  # interleaved: the server warmed up alike
    baseline = median(bare)
    log(f"login: station {[round(s * 1000, 1) for s in ours]} ms; bare Textual peer median {baseline * 1000:.1f} ms;"
        f" raw httpx median {median(raw) * 1000:.1f} ms; round trips {trips} (raw {raw_trips}); requests {sent}")
    worst = max(trips)
    emit(Result("login_round_trips", worst, "round trips", 2, round(worst / 2, 3), "= 2", worst == 2,
                f"requests per login: {max(sent)}"))
    emit(ratio_result("login_to_list", median(ours) * 1000, baseline * 1000, "ms", at_most=1.3, digits=2,
                      note=f"baseline: a bare Textual app doing the same; raw HTTP alone {median(raw) * 1000:.1f} ms"))


if __name__ == "__main__":
    asyncio.run(main())
