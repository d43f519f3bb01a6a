"""The print progress after a release asks the print server once a tick, whatever the batch
(issue 13): with the profile's `id` filter one list of the batch, against a vendor server a few
job states in turn; the panel still counts every job to the end. The real embedded server, the
requests counted where they reach it (`Wire`: requests in flight together are one round)."""

from __future__ import annotations

from typing import Any

from station.api.client import StationClient
from station.api.progress import FEW
from station.server.times import to_us
from station.ui.app import StationApp
from station.ui.modals import ReleaseConfirm

from .conftest import build_station
from .helpdesk_support import give_reason, helpdesk, open_person
from .support import Wire, log_in, press_for, shown, store, until

ALICE = 7
BATCH = 40  # well over one vendor poll's few, and every one of them in one list


def seed_ready_jobs(server: Any, count: int, owner: int = ALICE) -> None:
    """`count` ready jobs of one page and 4 cents each in place of the owner's waiting jobs (some
    ask a question or cost more than the credit), all of them released together."""
    base = to_us(store(server).settings.now()) - (count + 10) * 1_000_000
    rows = [(owner, f"Bulk {i:03d}.pdf", base + i * 1_000_000) for i in range(count)]
    with store(server).tx() as db:
        db.execute("DELETE FROM jobs WHERE owner_id = ? AND state IN ('ready', 'paused')", (owner,))
        db.executemany(
            "INSERT INTO jobs (owner_id, name, submitted_us, page_count, state, queue, cost_cents)"
            " VALUES (?, ?, ?, 1, 'ready', 'direct', 4)",
            rows,
        )


def processing(server: Any) -> int:
    with store(server).read() as db:
        return int(db.scalar("SELECT COUNT(*) FROM jobs WHERE owner_id = ? AND state = 'processing'", (ALICE,)))


def polls(wire: Wire) -> list[list[str]]:
    """The rounds of requests about the released jobs' states (a poll's requests go together)."""
    return [
        round_ for round_ in wire.rounds
        if all(request == "GET /api/v3/jobs" or request.endswith("/state") for request in round_)
    ]


async def release_everything(pilot: Any, server: Any) -> int:
    """Select every job shown, release, confirm: how many jobs went to the printer."""
    await log_in(pilot)
    waiting = len(pilot.app.screen.jobs)
    await pilot.press("a")
    await press_for(pilot, "r", ReleaseConfirm)
    await pilot.press("enter")
    await until(pilot, lambda: f"Printing {waiting} jobs" in shown(pilot, "#progress"), "the progress")
    assert processing(server) == waiting
    return waiting


async def test_a_release_is_followed_with_one_request_a_tick_in_both_server_modes(server, clock):
    seed_ready_jobs(server, BATCH)
    wire = Wire(server, delay=0.005)  # a poll's requests sent together are seen together
    ui: StationApp = build_station(lambda: StationClient("http://station.test", transport=wire), clock)
    by_list = server.state.settings.api != "vendor"
    async with ui.run_test(size=(100, 30)) as pilot:
        released = await release_everything(pilot, server)
        assert released == BATCH
        wire.reset()
        await until(pilot, lambda: len(polls(wire)) >= 3, "three ticks of the jobs printing")
        assert f"Printing {released} jobs · 0 printed" in shown(pilot, "#progress")
        if by_list:
            assert polls(wire)[:3] == [["GET /api/v3/jobs"]] * 3  # the whole batch in one list
        else:
            asked = [request for round_ in polls(wire)[:3] for request in round_]
            assert all(0 < len(round_) <= FEW for round_ in polls(wire))
            assert len(set(asked)) == len(asked)  # in turn: no job asked twice before the others
        clock.advance(minutes=20)  # the printer is done (the token, 30 minutes, still good)
        timeout = 10 if by_list else 10 + released / FEW  # the vendor's few a tick take longer
        await until(pilot, lambda: f"Printed {released} of {released} jobs" in shown(pilot, "#progress"),
                    "printed", timeout=timeout)
        assert shown(pilot, "#progress").count("✓") == 4  # the jobs named, each printed
        rounds = polls(wire)
        if by_list:
            assert all(round_ == ["GET /api/v3/jobs"] for round_ in rounds)
        else:
            assert all(len(round_) <= FEW for round_ in rounds)
            assert len(rounds) >= released / FEW  # each job asked about until it printed
        assert all(method == "GET" for method, _path in wire.requests)  # asking, never changing
    assert processing(server) == 0


async def test_the_helpdesks_release_is_followed_as_the_owners_jobs(station, app, wire, clock):
    """The id list names the owner for the helpdesk: without it the staff's list would leave
    the owner's jobs out, and the panel would call them gone instead of printed."""
    seed_ready_jobs(app, 5)
    async with helpdesk(station).run_test(size=(100, 30)) as pilot:
        screen = await open_person(pilot, "alice")
        waiting = len(screen.jobs)
        await pilot.press("a")
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await give_reason(pilot)
        await until(pilot, lambda: f"Printing {waiting} jobs" in shown(pilot, "#progress"), "the progress")
        wire.reset()
        await until(pilot, lambda: ("GET", "/api/v3/jobs") in wire.requests, "a look at the states")
        assert f"Printing {waiting} jobs · 0 printed" in shown(pilot, "#progress")
        clock.advance(minutes=20)
        await until(pilot, lambda: f"Printed {waiting} of {waiting} jobs" in shown(pilot, "#progress"), "printed")
        assert "canceled" not in shown(pilot, "#progress")
        assert not any(path.endswith("/state") for _method, path in wire.requests)
