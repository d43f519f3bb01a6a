"""The real StationClient against a print server with only the vendor's API (contract 7.1, 7.3).

The real embedded server in vendor mode (`vendor_app`) answers: profile calls 404 with
`data: []`, the job list takes `limit` and `start` only, jobs carry vendor fields only, process,
delete and script answer with empty bodies. A `Front` (tests/vendor_front.py) before it counts
and keeps the requests; what the client must cope with beyond that (odd bodies, lost answers)
comes from rules of the front or the wire; what happened is read back from the server's store.
"""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import httpx
import pytest
from vendor_front import Front, LosingWire

from station.api import reading
from station.api import errors
from station.api.client import HELPDESK_SCOPE, StationClient
from station.api.release import ReleaseOptions
from station.api.unreachable import transport_error

ALICE = 7


@pytest.fixture
def front(vendor_app) -> Front:
    return Front(vendor_app)


@pytest.fixture
def transport(front) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=front)


@pytest.fixture
def vendor(transport):
    """`vendor(**options)`: a client of the vendor-only server (all on one transport: one server)."""

    def make(**options) -> StationClient:
        return StationClient("http://station.test", transport=transport, **options)

    return make


def held(app, job_id: int) -> dict:
    """The job as the server now holds it."""
    with app.state.store.read() as db:
        return dict(db.one("SELECT * FROM jobs WHERE id = ?", (job_id,)))


def job_id(app, name: str) -> int:
    with app.state.store.read() as db:
        return db.scalar("SELECT id FROM jobs WHERE name = ?", (name,))


# --- a session needs only the token ---------------------------------------------------------------


async def test_a_session_needs_only_the_token_and_the_profile_calls_read_as_absent(vendor):
    async with vendor() as client:
        await client.login_pin("1234")
        assert await client.me() is None
        assert await client.projects() is None
        with pytest.raises(errors.Unsupported, match="no history"):
            await client.audit()
        identity = await client.who()
        assert identity.user is None and identity.source == "none"
        assert not identity.accounts_known and not identity.balances_known
        jobs = await client.jobs(limit=500)
    assert jobs.count == 7 and len(jobs.jobs) == 7 and jobs.rejected == []
    assert all(job.state is None and job.owner is None for job in jobs.jobs)  # vendor fields only
    assert all(job.date_time is not None and job.date_time.tzinfo is None for job in jobs.jobs)


async def test_what_a_server_lacks_is_asked_once_per_server_and_process(vendor, front, vendor_app):
    profile_calls = [("GET", "/v3/users/me"), ("GET", "/v3/projects"), ("GET", "/v3/audit"), ("POST", "/auth/revoke")]
    board = job_id(vendor_app, "Board minutes.pdf")
    for _ in range(3):  # three sessions, as three people at one kiosk
        async with vendor() as client:
            await client.login_pin("1234")
            await asyncio.gather(client.who(), client.projects(), client.jobs())
            with pytest.raises(errors.Unsupported):
                await client.audit()
            with pytest.raises(errors.Unsupported, match="sides"):
                await client.set_duplex(board, True)
            await client.revoke()
    assert [front.count(*call) for call in profile_calls] == [1, 1, 1, 1]
    assert front.count("POST", f"/v3/jobs/{board}/script") == 1
    assert front.count("POST", "/auth/token") == 3 and front.count("GET", "/v3/jobs") == 3  # the rest every time
    # Another server (another transport) is asked again: the memory is per server.
    other = Front(vendor_app)
    async with StationClient("http://station.test", transport=httpx.ASGITransport(app=other)) as client:
        await client.login_pin("1234")
        assert await client.me() is None
    assert other.count("GET", "/v3/users/me") == 1


# --- the job list -----------------------------------------------------------------------------------


async def test_the_job_list_goes_out_with_limit_and_start_only_and_the_station_filters(vendor, front):
    async with vendor() as client:
        await client.login_pin("1234")
        found = await client.jobs(search="flyer")
        by_cost = (await client.jobs(sort="-cost")).jobs
        page = await client.jobs(sort="name", limit=2, start=1)
        printed = await client.jobs(state=["printed"])
        flyer = found.jobs[0]
        await client.patch_jobs([flyer.id], favorite=True)
        favorites = await client.jobs(favorite=True)
        with pytest.raises(errors.Unsupported, match="other people's jobs"):
            await client.jobs(owner_id=8)
    assert [job.name for job in found.jobs] == ["Flyer.pdf"] and found.count == 1
    assert [job.cost for job in by_cost] == sorted((job.cost for job in by_cost), reverse=True)
    assert [job.name for job in page.jobs] == sorted(job.name for job in by_cost)[1:3] and page.count == 7
    assert printed.jobs == [] and printed.count == 0  # a vendor list holds waiting jobs only
    assert [job.id for job in favorites.jobs] == [flyer.id]
    queries = front.queries("GET", "/v3/jobs")
    assert queries and all(set(query) <= {"limit", "start"} for query in queries)


async def test_paging_follows_count_and_stops_at_a_server_that_ignores_start(vendor, front, monkeypatch):
    monkeypatch.setattr(reading, "PAGE", 3)
    async with vendor() as client:
        await client.login_pin("1234")
        everything = await client.jobs(sort="name", limit=100)
    assert everything.count == 7 and len(everything.jobs) == 7
    assert front.queries("GET", "/v3/jobs") == [
        {"limit": "3", "start": "0"}, {"limit": "3", "start": "3"}, {"limit": "3", "start": "6"}
    ]
    # A server that answers the first page whatever `start` says is read twice, not for ever.
    same = {"jobs": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}], "count": 50}
    front.answer("GET", "/v3/jobs", 200, same)
    before = front.count("GET", "/v3/jobs")
    async with vendor() as client:
        await client.login_pin("1234")
        listed = await client.jobs(sort="name")
    assert [job.id for job in listed.jobs] == [1, 2, 3]
    assert front.count("GET", "/v3/jobs") - before == 2


async def test_the_profile_query_goes_out_once_the_server_has_named_it(app):
    async with StationClient("http://station.test", transport=httpx.ASGITransport(app=app)) as client:
        await client.login_pin("1234")
        sent = client.requests_sent
        first = await client.jobs(search="flyer")
        assert client.requests_sent - sent == 2  # the plain list (which names the query), then the query
        sent = client.requests_sent
        second = await client.jobs(state=["printed"], favorite=True)
        assert client.requests_sent - sent == 1
    assert [job.name for job in first.jobs] == ["Flyer.pdf"]
    assert [job.name for job in second.jobs] == ["Weekly status template.docx"]  # the server filtered


# --- changes: any 2xx is done ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"", {}, [], {"unexpected": "shape"}, b"OK"], ids=["empty", "{}", "[]", "other", "text"]
)
async def test_any_2xx_of_a_change_is_done_whatever_its_body(app, body):
    front = Front(app)
    for method, path in [("POST", "/v3/jobs/process"), ("POST", "/v3/jobs/delete"), ("PATCH", "/v3/jobs")]:
        front.rewrite(method, path, 200, body)
    board, flyer, expense = (job_id(app, name) for name in ("Board minutes.pdf", "Flyer.pdf", "Expense claim.xlsx"))
    async with StationClient("http://station.test", transport=httpx.ASGITransport(app=front)) as client:
        await client.login_pin("1234")
        assert await client.patch_jobs([flyer], favorite=True) is None
        assert await client.process([board], owner="alice") is None
        assert await client.cancel_jobs([expense]) is None
    assert held(app, flyer)["favorite"] == 1
    assert held(app, board)["state"] == "processing"
    assert held(app, expense)["state"] == "canceled"


async def test_a_release_answer_whose_jobs_do_not_read_still_says_what_was_charged(app):
    """The sums are read at once and the jobs later (`ReleaseAnswer`): a job the station cannot read
    leaves the jobs out (the station then notes those it released), never the charge."""
    front = Front(app)
    front.rewrite("POST", "/v3/jobs/process", 202, {"jobs": [{"name": "no id"}], "count": 1, "charged": "0.40"})
    board = job_id(app, "Board minutes.pdf")
    async with StationClient("http://station.test", transport=httpx.ASGITransport(app=front)) as client:
        await client.login_pin("1234")
        released = await client.process([board], owner="alice")
    assert released is not None and released.charged == Decimal("0.40") and released.balance is None
    assert released.jobs == []
    assert held(app, board)["state"] == "processing"


async def test_process_delete_script_and_patch_in_the_vendors_shapes(vendor, vendor_app):
    board, flyer, expense = (
        job_id(vendor_app, name) for name in ("Board minutes.pdf", "Flyer.pdf", "Expense claim.xlsx")
    )
    async with vendor() as client:
        await client.login_pin("1234")
        released = await client.process([board], owner=None, account="credit")
        canceled = await client.cancel_jobs([expense])
        changed = await client.patch_jobs([flyer], favorite=True)
        one = await client.patch_job(flyer, favorite=False)
    assert released is None and canceled is None  # 202 and 204 with empty bodies
    assert held(vendor_app, board)["state"] == "processing" and held(vendor_app, expense)["state"] == "canceled"
    assert [job.id for job in changed.jobs] == [flyer] and changed.jobs[0].favorite  # the vendor documents these
    assert one.id == flyer and not one.favorite and held(vendor_app, flyer)["favorite"] == 0


async def test_release_at_a_printer_sends_the_options(vendor, front, vendor_app):
    board = job_id(vendor_app, "Board minutes.pdf")
    before = held(vendor_app, board)
    async with vendor() as client:
        await client.login_pin("1234")
        result = await client.release_at_printer(
            "1", [board], options=ReleaseOptions(duplex=True, mono=True, copies=3), account="credit"
        )
        with pytest.raises(errors.NotFound):
            await client.release_at_printer("99", [job_id(vendor_app, "Flyer.pdf")])
    assert result is None
    assert front.bodies("POST", "/v3/printers/1/jobs/release") == [{
        "projectId": 0, "jobIds": [board], "account": "credit",
        "releaseOptions": {"duplex": 2, "color": 2, "copies": 3},
    }]
    now = held(vendor_app, board)
    assert now["state"] == "processing" and (now["duplex"], now["copies"]) == (1, 3)  # printed as chosen
    assert now["charged_cents"] == now["cost_cents"] > before["cost_cents"]  # three copies cost more
    assert ReleaseOptions().wire() == {"duplex": 0, "color": 0, "copies": 0}  # as sent
    assert ReleaseOptions(duplex=False).wire()["duplex"] == 1
    with pytest.raises(ValueError):
        ReleaseOptions(copies=0)


# --- a job needs only its id ---------------------------------------------------------------------------


async def test_a_job_needs_only_its_id_and_one_that_cannot_be_read_is_counted(vendor, front):
    front.answer("GET", "/v3/jobs", 200, {"count": 8, "jobs": [
        {"id": 1},
        {"id": 2, "name": None, "cost": None, "favorite": None, "copies": None, "dateTime": "2026-03-02T09:30:00",
         "paper": "A4", "unknownField": {"x": 1}},
        {"id": 3, "dateTime": "2026-03-02T09:30:00.123456Z", "date": None},
        {"id": 4, "dateTime": "yesterday at noon"},
        {"name": "no id"},
        {"id": None, "name": "null id"},
        "not a job",
        {"id": 5, "pageCount": "many"},
    ]})
    async with vendor() as client:
        await client.login_pin("1234")
        listed = await client.jobs()
    jobs = {job.id: job for job in listed.jobs}
    assert sorted(jobs) == [1, 2, 3, 4]
    assert listed.rejected == ["a job without id", "a job without id", "a job without id", "job 5"]
    assert jobs[2].name == "" and jobs[2].cost == Decimal("0") and jobs[2].copies == 1 and not jobs[2].favorite
    assert jobs[2].date_time.tzinfo is None and jobs[2].date_time.hour == 9  # local time, as sent
    assert jobs[2].paper is None and jobs[2].model_extra["unknownField"] == {"x": 1}
    assert jobs[3].date_time.tzinfo is not None and jobs[3].date_time.microsecond == 123456
    assert jobs[4].date_time is None  # an unreadable time is left out, not the job


@pytest.mark.parametrize(
    "body", [[], {}, {"jobs": {}}, b"", b"<html>"], ids=["[]", "{}", "jobs-not-a-list", "empty", "html"]
)
async def test_a_job_list_that_is_no_list_is_said(vendor, front, body):
    front.answer("GET", "/v3/jobs", 200, body)
    async with vendor() as client:
        await client.login_pin("1234")
        with pytest.raises(errors.BadResponse):
            await client.jobs()


# --- who is logged in (7.3 point 8) -----------------------------------------------------------------------


async def test_who_through_users_find_and_the_accounts_in_the_vendors_names(vendor, front):
    front.answer("GET", "/v3/users/find", 200, {"count": 1, "users": [
        {"id": 9, "username": "carol", "fullname": "Carol Nguyen", "lang": "de", "email": None, "code": "C9"}]})
    front.answer("GET", "/v3/users/9/accounts", 200, {
        "credit": {"enabled": True}, "quota": {"enabled": False},
        "accounts": [{"name": "Print credit", "reference": "credit", "type": 1, "limits": {}, "groupId": None},
                     {"name": "no reference"}]})
    async with vendor() as client:
        await client.login_password("carol", "carol-pw", scope=HELPDESK_SCOPE)
        identity = await client.who("carol")
    assert identity.source == "find" and identity.user.full_name == "Carol Nguyen"
    assert identity.user.language == "de"
    assert [(a.id, a.name, a.balance) for a in identity.user.accounts] == [("credit", "Print credit", None)]
    assert identity.accounts_known and not identity.balances_known  # no balance is invented


async def test_who_without_the_users_scope_is_the_name_typed_and_find_is_not_asked(vendor, front):
    async with vendor() as client:
        await client.login_password("alice", "alice-pw")
        identity = await client.who("alice")
    assert identity.user is None and identity.typed == "alice" and identity.username == "alice"
    assert front.count("GET", "/v3/users/find") == 0


# --- errors: the server's message, the status decides the kind ------------------------------------------


async def test_errors_without_a_reason_word_take_their_kind_from_the_status(vendor, vendor_app):
    flyer = job_id(vendor_app, "Flyer.pdf")
    async with vendor() as client:
        with pytest.raises(errors.InvalidLogin) as wrong:
            await client.login_pin("0000")
        await client.login_pin("5678")  # bob: 0.80 credit
        with vendor_app.state.store.read() as db:
            bobs = [row["id"] for row in db.all("SELECT id FROM jobs WHERE owner_id = 8 AND state = 'ready'")]
        with pytest.raises(errors.InsufficientCredit) as poor:
            await client.process(bobs, owner=None, project_id=1)
        with pytest.raises(errors.NotFound) as other:
            await client.job(flyer)  # alice's
    for raised in (wrong, poor, other):
        assert raised.value.reason is None and raised.value.data == []
        assert raised.value.message and raised.value.message != type(raised.value).default_message  # the server's
    assert poor.value.status == 402 and poor.value.human == poor.value.message


# --- the token ---------------------------------------------------------------------------------------------


async def test_the_token_is_renewed_before_expires_in_runs_out(vendor, front, clock):
    async with vendor(clock=lambda: clock().timestamp()) as client:
        await client.login_pin("1234")
        clock.advance(minutes=29, seconds=30)  # the token is still good for 30 s: renew now
        await client.jobs()
    assert front.count("POST", "/auth/token") == 2 and front.count("GET", "/v3/jobs") == 1  # no 401 first


async def test_the_token_is_renewed_once_on_a_401_with_data_empty(vendor, front, clock, vendor_app):
    board = job_id(vendor_app, "Board minutes.pdf")
    async with vendor() as client:  # the client's own clock stands still: it learns from the 401
        await client.login_pin("1234")
        clock.advance(minutes=31)
        assert (await client.jobs()).count == 7
        assert front.count("GET", "/v3/jobs") == 2  # refused (401, data []), then sent again
        clock.advance(minutes=31)
        listed, first, state = await asyncio.gather(client.jobs(), client.jobs(limit=1), client.job_state(board))
    assert listed.count == 7 and len(first.jobs) == 1 and state == "ready"
    assert front.count("POST", "/auth/token") == 3  # the login, then one renewal each time, also for three calls


async def test_a_session_outlives_expires_in(vendor, front, clock):
    async with vendor() as client:
        await client.login_pin("1234")
        for _ in range(6):  # three hours, a call every half hour
            clock.advance(minutes=31)
            assert (await client.jobs()).count == 7
    assert front.count("POST", "/auth/token") == 7


async def test_a_401_that_renewal_cannot_mend_ends_the_session(vendor, clock):
    async with vendor() as client:
        await client.login_pin("1234")
        clock.advance(hours=13)  # past the refresh token as well
        with pytest.raises(errors.SessionExpired):
            await client.jobs()
        assert not client.logged_in


# --- no answer: sent or not --------------------------------------------------------------------------------


async def test_a_transport_error_before_sending_is_not_sent_and_changes_nothing(app):
    wire = LosingWire(app)
    board = job_id(app, "Board minutes.pdf")
    async with StationClient("http://station.test", transport=wire) as client:
        await client.login_pin("1234")
        wire.refuse.add(("POST", "/v3/jobs/process"))
        with pytest.raises(errors.ServerUnreachable) as raised:
            await client.process([board], owner="alice")
    assert raised.value.sent is False and not isinstance(raised.value, errors.NoAnswer)
    assert "nothing was sent" in raised.value.human
    assert held(app, board)["state"] == "ready"


async def test_a_transport_error_after_sending_says_it_may_have_been_done(app):
    wire = LosingWire(app)
    board = job_id(app, "Board minutes.pdf")
    async with StationClient("http://station.test", transport=wire) as client:
        await client.login_pin("1234")
        wire.lose.add(("POST", "/v3/jobs/process"))
        with pytest.raises(errors.ServerUnreachable) as raised:
            await client.process([board], owner="alice")
    assert raised.value.sent is True and isinstance(raised.value, errors.NoAnswer)
    assert "may or may not have been done" in raised.value.human
    assert held(app, board)["state"] == "processing"  # it was done: the answer was lost
    assert wire.sent[("POST", "/v3/jobs/process")] == 1


@pytest.mark.parametrize(
    ("error", "kind", "sent"),
    [
        (httpx.ConnectError("refused"), errors.ServerUnreachable, False),
        (httpx.ConnectTimeout("slow"), errors.ServerUnreachable, False),
        (httpx.ReadTimeout("slow"), errors.RequestTimeout, True),
        (httpx.ReadError("reset"), errors.NoAnswer, True),
        (httpx.RemoteProtocolError("closed"), errors.NoAnswer, True),
        (httpx.WriteError("broken pipe"), errors.NoAnswer, True),
    ],
)
def test_each_transport_error_is_sent_or_not(error, kind, sent):
    said = transport_error(error, "print.example.org")
    assert type(said) is kind and said.sent is sent


# --- TLS contexts are built once -----------------------------------------------------------------------------


def test_tls_contexts_are_built_once_per_setting(monkeypatch, tmp_path):
    from station.api import tls

    built = []
    real = httpx.create_ssl_context
    monkeypatch.setattr(httpx, "create_ssl_context", lambda *a, **k: built.append(1) or real(*a, **k))
    tls._system.cache_clear()
    clients = [StationClient("https://print.example.org:8090") for _ in range(3)]
    clients += [StationClient("https://print.example.org:8090", verify=False) for _ in range(2)]
    assert len(built) == 2  # one for verify=True, one for verify=False: not one per login
    assert tls.ssl_context(True) is tls.ssl_context(True)
    for client in clients:
        asyncio.run(client.aclose())


def test_the_release_options_say_what_they_do():
    assert ReleaseOptions().describe() == "as sent"
    assert ReleaseOptions(duplex=True, mono=True, copies=2).describe() == "2-sided, black and white, 2 copies"
    assert json.dumps(ReleaseOptions(copies=1).wire()) == '{"duplex": 0, "color": 0, "copies": 1}'
