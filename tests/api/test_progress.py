"""The progress of released jobs, one request per poll (issue 13), on the real embedded server
in-process, the requests counted as they reach it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from station.api.client import StationClient


class Counted:
    """The server, noting each request that reaches it: (method, path, query)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append((scope["method"], scope["path"], scope["query_string"].decode()))
        await self.app(scope, receive, send)


def ready_jobs_of(app: Any, username: str) -> list[int]:
    with app.state.store.read() as db:
        rows = db.all(
            "SELECT j.id FROM jobs j JOIN users u ON u.id = j.owner_id"
            " WHERE u.username = ? AND j.state = 'ready' ORDER BY j.id",
            (username,),
        )
    return [row["id"] for row in rows]


def client_of(server: Counted) -> StationClient:
    return StationClient("http://station.test", transport=httpx.ASGITransport(app=server))


async def test_with_the_id_filter_each_poll_is_one_request_for_the_whole_batch(app, clock):
    server = Counted(app)
    released = ready_jobs_of(app, "alice")
    someone_elses = ready_jobs_of(app, "bob")[0]
    async with client_of(server) as client:
        await client.login_pin("1234")
        await client.jobs()  # the server names the query it takes
        await client.process(released, owner="alice", account="cc:marketing")
        progress = client.print_progress([*released, someone_elses])
        if not progress.by_list:
            pytest.skip("this server does not name the `id` filter yet (the server's side lands with server-perf)")
        server.seen.clear()
        first = await progress.poll()
        assert len(server.seen) == 1 and server.seen[0][:2] == ("GET", "/api/v3/jobs")
        assert first == dict.fromkeys(released, "processing")
        assert progress.gone == {someone_elses}  # not alice's: simply not listed
        clock.advance(minutes=20)  # printed by then; the token (30 min) still good
        server.seen.clear()
        second = await progress.poll()
    assert len(server.seen) == 1
    assert second == dict.fromkeys(released, "printed") and progress.done


async def test_against_a_vendor_server_a_poll_asks_a_few_states_in_turn(vendor_app, clock):
    server = Counted(vendor_app)
    released = ready_jobs_of(vendor_app, "alice")
    assert len(released) >= 4  # more than one poll's few
    async with client_of(server) as client:
        await client.login_pin("1234")
        await client.jobs()
        await client.process(released, owner=None, account="cc:marketing")
        progress = client.print_progress(released)
        assert not progress.by_list
        asked: list[list[int]] = []
        for _ in range(2):
            server.seen.clear()
            read = await progress.poll()
            asked.append([int(path.split("/")[-2]) for _method, path, _query in server.seen])
            assert all(path.endswith("/state") for _method, path, _query in server.seen)
            assert read == dict.fromkeys(asked[-1], "processing")
        assert [len(ids) for ids in asked] == [3, 3]
        assert set(asked[0]) == set(released[:3]) and released[3] in asked[1]  # in turn, not the same few again
        clock.advance(minutes=20)  # printed by then; the token (30 min) still good
        polls = 0
        while not progress.done:
            server.seen.clear()
            await progress.poll()
            polls += 1
            assert len(server.seen) <= 3
            assert polls <= len(released)
    assert set(progress.states.values()) == {"printed"} and progress.gone == set()
