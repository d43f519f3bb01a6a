"""release_500: releasing 500 selected jobs from the station, against the embedded server (in
its own process) over loopback: the HTTP requests sent, and the time from confirming the release
until the frame that shows the list emptied and the outcome on the status line. The baseline is
one raw httpx `POST /v3/jobs/process` of the same 500 ids on a warm connection.

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


async def station_release(base: str) -> tuple[float, int, int, list[int]]:
    """Log in, select all, release, confirm: seconds from the confirming key to the frame showing
    it done; requests from the release key to then; requests of the first progress poll."""
    from textual.widgets import Input, Static

    from station.api.client import StationClient
    from station.ui.app import StationApp
    from station.ui.context import Pacing
    from station.ui.modals.confirm import ReleaseConfirm
    from station.ui.screens.jobs import JobsScreen
    from station.ui.screens.login import LoginScreen

    clients: list[StationClient] = []

    def connect() -> StationClient:
        clients.append(StationClient(base))
        return clients[-1]

    app = StationApp(connect, pacing=Pacing(refresh_interval=10**6, poll_interval=1.0))
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
        sent_before = clients[-1].requests_sent
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
        requests = clients[-1].requests_sent - sent_before
        await asyncio.sleep(app.context.pacing.poll_interval + 0.5)  # the progress panel asks about each job
        polled = clients[-1].requests_sent - sent_before - requests
        await pilot.press("l")
        # Wait for the login screen to be whole: quitting while it mounts trips it up.
        await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.query_one("#secret"))
        await settle(pilot, clock)
    return painted - start, requests, polled, ids


async def main() -> None:
    rounds = 3 if quick() else 10
    with tempfile.TemporaryDirectory(prefix="station-bench-") as folder:
        db = Path(folder) / "release.db"
        make_db(db, alice_jobs=JOBS, replace_demo_jobs=True)
        with server("station", db) as base:
            ours: list[float] = []
            raw: list[float] = []
            requests: list[int] = []
            polled: list[int] = []
            for attempt in range(rounds + 1):
                seconds, sent, poll, ids = await station_release(base)
                unrelease(db)
                baseline = await raw_release(base, ids)
                unrelease(db)
                log(f"release {JOBS}: station {seconds * 1000:.0f} ms ({sent} requests, then {poll} polling);"
                    f" raw POST {baseline * 1000:.0f} ms")
                if attempt:
                    ours.append(seconds)
                    raw.append(baseline)
                    requests.append(sent)
                    polled.append(poll)
    worst = max(requests)
    emit(Result("release_500_requests", worst, "requests", 1, float(worst), "= 1", worst == 1,
                f"then {max(polled)} state requests in the first second of the progress panel"))
    emit(ratio_result("release_500", median(ours) * 1000, median(raw) * 1000, "ms", at_most=1.2, digits=1))


if __name__ == "__main__":
    asyncio.run(main())
