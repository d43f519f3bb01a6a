"""release_500: releasing 500 selected jobs from the station, against the embedded server (in
its own process) over loopback: the HTTP requests sent, and the time from confirming the release
until the frame that shows the list emptied and the outcome on the status line. The baseline is
a bare Textual peer (`peers.BareRelease`) holding the same 500 rows in a DataTable: a key sends
the same `POST /v3/jobs/process` with raw httpx on a warm connection and clears the table,
until painted. The raw POST alone is timed too, and named in the row's note.

release_progress_requests: the requests a second the station sends while the 500 released jobs
print, counted where they arrive (a counting relay in front of the server), over a few seconds
after the release; the floor is 1 (one list of the batch per tick). The relay sits in the
benchmark's own event loop, so only the warm-up round goes through it: the timed rounds reach the
server directly, as the bare peer does.

Between rounds the jobs are put back to `ready` in the database (and the credit topped up).
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from pathlib import Path

import httpx
from harness import SIZE, PaintClock, Result, emit, log, median, quick, ratio_result, settle, until
from servers import make_db, server, unrelease

JOBS = 500
TOKEN_BODY = {
    "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
    "scope": "jobs offline.access", "login_info": {"type": 2, "pin": "1234"},
}


async def raw_release(base: str, ids: list[int]) -> float:
    async with httpx.AsyncClient(base_url=base + "/api") as client:
        token = (await client.post("/auth/token", json=TOKEN_BODY)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        (await client.get("/v3/users/me", headers=headers)).raise_for_status()  # a warm connection
        body = {"jobIds": ids, "owner": "alice", "projectId": 0, "account": "credit"}
        start = time.perf_counter()
        answer = await client.post("/v3/jobs/process", json=body, headers=headers)
        seconds = time.perf_counter() - start
        assert answer.status_code == 202, answer.text
    return seconds


class CountingRelay:
    """A TCP relay in front of the server that counts the HTTP requests passing through it (each
    request line ends in ` HTTP/1.1` and a line break, which a JSON body cannot hold)."""

    MARK = b" HTTP/1.1\r\n"

    def __init__(self, target: str) -> None:
        host, port = target.removeprefix("http://").split(":")
        self.target = (host, int(port))
        self.requests = 0
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter, count: bool) -> None:
            tail = b""
            try:
                while chunk := await source.read(65536):
                    if count:
                        seen = tail + chunk
                        self.requests += seen.count(self.MARK)
                        tail = seen[-(len(self.MARK) - 1):]
                    sink.write(chunk)
                    await sink.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer, True), pipe(upstream_reader, writer, False))


async def bare_release(base: str) -> float:
    """The bare peer: seconds from the release key to the frame showing the emptied table."""
    from peers import BareRelease

    app = BareRelease(base)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        clock = PaintClock.install(app, lambda: app.released and app.table.row_count == 0)
        await app.load()
        await until(pilot, lambda: app.table.row_count == JOBS)
        await settle(pilot, clock)
        gc.collect()
        frames = clock.count()
        start = time.perf_counter()
        await pilot.press("r")
        await until(pilot, lambda: app.released)
        await settle(pilot, clock, after=frames)
        painted = clock.first_ready(frames)
    return painted - start


async def station_release(
    base: str, relay: CountingRelay | None = None, window: float = 0.0
) -> tuple[float, float | None, list[int]]:
    """Log in, select all, release, confirm: seconds from the confirming key to the frame showing
    it done; with a `relay` (which `base` then points at), the requests a second that reach the
    server over `window` seconds while the jobs print."""
    from textual.widgets import Input, Static

    from station.api.client import StationClient
    from station.config import Settings
    from station.ui.app import StationApp
    from station.ui.context import Pacing
    from station.ui.modals.confirm import ReleaseConfirm
    from station.ui.screens.jobs import JobsScreen
    from station.ui.screens.login import LoginScreen

    def connect() -> StationClient:
        return StationClient(base)

    # The release itself is measured, not the undo window (issue 14) a person may wait before it.
    pacing = Pacing(refresh_interval=10**6, poll_interval=1.0)
    app = StationApp(connect, settings=Settings(undo_seconds=0), pacing=pacing)
    app.animation_level = "none"
    jobs_screen: list[JobsScreen] = []

    def done() -> bool:
        screen = app.screen
        status = screen.query_one("#status", Static)
        return (isinstance(screen, JobsScreen) and screen.table.row_count == 0
                and str(status.render()).startswith("Released"))

    async with app.run_test(size=SIZE) as pilot:
        clock = PaintClock.install(app, done)
        await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.query_one("#secret"))
        app.screen.query_one("#secret", Input).value = "1234"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, JobsScreen) and app.screen.table.row_count == JOBS)
        jobs_screen.append(app.screen)
        ids = sorted(app.screen.jobs)
        await settle(pilot, clock)
        await pilot.press("a")
        await settle(pilot, clock)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReleaseConfirm))
        await settle(pilot, clock)
        gc.collect()
        frames = clock.count()
        start = time.perf_counter()
        await pilot.press("enter")  # "Release" has the focus
        await until(pilot, done)
        await settle(pilot, clock, after=frames)
        painted = clock.first_ready(frames)
        per_second = None
        if relay is not None:
            arrived = relay.requests
            await asyncio.sleep(window)  # the progress panel follows the printing jobs
            per_second = (relay.requests - arrived) / window
        await pilot.press("l")
        # Wait for the login screen to be whole: quitting while it mounts trips it up.
        await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.query_one("#secret"))
        await settle(pilot, clock)
    return painted - start, per_second, ids


async def main() -> None:
    rounds = 3 if quick() else 10
    window = 3.0 if quick() else 5.0
    with tempfile.TemporaryDirectory(prefix="station-bench-") as folder:
        db = Path(folder) / "release.db"
        make_db(db, alice_jobs=JOBS, replace_demo_jobs=True)
        with server("station", db) as base:
            relay = CountingRelay(base)
            async with relay as relayed:  # the warm-up round counts the requests while the jobs print
                _, per_second, _ = await station_release(relayed, relay, window)
            unrelease(db)
            log(f"release {JOBS}: {per_second:.1f} requests/s while printing (warm-up round)")
            ours: list[float] = []
            bare: list[float] = []
            raw: list[float] = []
            for _ in range(rounds):
                seconds, _, ids = await station_release(base)
                unrelease(db)
                peer = await bare_release(base)
                unrelease(db)
                post = await raw_release(base, ids)
                unrelease(db)
                log(f"release {JOBS}: station {seconds * 1000:.0f} ms; bare peer {peer * 1000:.0f} ms;"
                    f" raw POST {post * 1000:.0f} ms")
                ours.append(seconds)
                bare.append(peer)
                raw.append(post)
    assert per_second is not None
    note = f"baseline: a bare Textual app doing the same; the raw POST alone {median(raw) * 1000:.1f} ms"
    emit(ratio_result("release_500", median(ours) * 1000, median(bare) * 1000, "ms", at_most=1.3, digits=1, note=note))
    emit(Result("release_progress_requests", round(per_second, 2), "requests/s", 1, round(per_second, 3), "value <= 1",
                per_second <= 1, f"counted at the server over {window:.0f} s after a release"))


if __name__ == "__main__":
    asyncio.run(main())
