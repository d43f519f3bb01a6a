"""Every call of the contract through the real StationClient against the real server.

Each rule's reason word appears in the name of the test that checks it, so a reader finds the
test of a rule by grepping its reason word (the raw-HTTP tests in tests/server do the same).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from decimal import Decimal

import pytest

from station.api import errors
from station.api.models import Job


async def pending(client) -> dict[str, Job]:
    return {job.name: job for job in (await client.jobs()).jobs}


# --- authentication --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args", "username"),
    [
        ("login_card", ("04A1B2C3",), "alice"),
        ("login_pin", ("1234",), "alice"),
        ("login_password", ("alice", "alice-pw"), "alice"),
        ("login_card_pin", ("04A1B2C3", "1234"), "alice"),
        ("login_card_password", ("04A1B2C3", "alice-pw"), "alice"),
        ("login_pin", ("5678",), "bob"),
    ],
)
async def test_each_login_type_opens_a_session(client, method, args, username):
    token = await getattr(client, method)(*args)
    assert {"jobs", "offline.access"} <= token.scopes
    assert token.refresh_token
    assert (await client.me()).username == username


async def test_invalid_login_is_one_message_whichever_part_was_wrong(client):
    messages = set()
    for method, args in [("login_pin", ("0000",)), ("login_password", ("alice", "nope")),
                         ("login_card_pin", ("04A1B2C3", "9999"))]:
        with pytest.raises(errors.InvalidLogin) as raised:
            await getattr(client, method)(*args)
        assert raised.value.reason == "invalid_login"
        messages.add(raised.value.message)
    assert len(messages) == 1
    assert not client.logged_in


async def test_locked_out_after_five_failures_even_with_the_right_pin(client):
    for _ in range(5):
        with pytest.raises(errors.InvalidLogin):
            await client.login_card_pin("04A1B2C3", "0000")
    with pytest.raises(errors.LockedOut) as raised:
        await client.login_card_pin("04A1B2C3", "1234")
    assert raised.value.reason == "locked_out"
    assert raised.value.retry_after and raised.value.retry_after > 0
    assert raised.value.human == "Too many failed logins. Try again in 15 minutes."


async def test_a_kiosk_that_must_wait_is_told_for_how_many_seconds_and_not_whose_login(client, clock):
    for _ in range(6):  # five failures are free; the sixth makes this address wait a second
        with pytest.raises(errors.InvalidLogin):
            await client.login_pin("0000")
    with pytest.raises(errors.LockedOut) as raised:
        await client.login_card("04A1B2C3")  # alice's card, right
    assert raised.value.retry_after == 1
    assert raised.value.human == "Too many failed logins. Try again in 1 second."
    clock.advance(seconds=1)
    assert (await client.login_card("04A1B2C3")).access_token


async def test_invalid_client_secret_is_refused(app):
    import httpx

    from station.api.client import StationClient

    async with StationClient("http://station.test", client_secret="wrong",
                             transport=httpx.ASGITransport(app=app)) as client:
        with pytest.raises(errors.ApiError) as raised:
            await client.login_pin("1234")
    assert raised.value.status == 401


async def test_token_expired_is_refreshed_once_and_the_call_retried(alice, clock):
    sent = alice.requests_sent
    clock.advance(minutes=31)  # past the 30-minute access token
    me = await alice.me()
    assert me.username == "alice"
    assert alice.requests_sent - sent == 3  # the call, the refresh, the call again


async def test_concurrent_calls_share_one_refresh(alice, clock, caplog):
    clock.advance(minutes=31)
    caplog.set_level(logging.INFO, logger="station.api")
    me, jobs, projects = await asyncio.gather(alice.me(), alice.jobs(), alice.projects())
    assert me.username == "alice" and jobs.jobs and projects.projects
    refreshes = [r for r in caplog.records if "/auth/token" in r.getMessage()]
    assert len(refreshes) == 1


async def test_session_expired_when_the_refresh_token_is_gone_too(alice, clock):
    clock.advance(hours=13)  # past the login session
    with pytest.raises(errors.SessionExpired):
        await alice.me()
    assert not alice.logged_in


async def test_revoke_ends_the_session_invalid_token_after(client, http):
    refresh = (await client.login_pin("1234")).refresh_token
    await client.revoke()
    assert not client.logged_in
    stolen = await http.post("/api/auth/token", json={  # someone who kept the refresh token tries it
        "grant_type": "refresh_token", "refresh_token": refresh,
        "client_id": "station-demo", "client_secret": "station-demo-secret",
    })
    assert stolen.status_code == 401 and stolen.json()["data"][0]["reason"] == "invalid_token"


async def test_scope_missing_for_users_without_scope_users(alice):
    with pytest.raises(errors.ScopeMissing) as raised:
        await alice.users()
    assert raised.value.reason == "scope_missing"


async def test_client_credentials_token(client):
    token = await client.login_client_credentials("jobs users")
    assert "users" in token.scopes


# --- who is logged in ------------------------------------------------------------------------


async def test_me_has_accounts_with_decimal_balances(alice):
    me = await alice.me()
    assert me.full_name == "Alice Martin"
    credit = me.account("credit")
    assert credit.balance == Decimal("12.50") and isinstance(credit.balance, Decimal)
    assert me.account("cc:marketing").balance is None  # no limit
    assert me.account(None).id == me.default_account


async def test_helpdesk_searches_users(client):
    await client.login_password("carol", "carol-pw", scope="jobs users offline.access")
    found = await client.users("ali")
    assert [user.username for user in found.users] == ["alice"]
    assert found.count == 1


async def test_projects_the_caller_may_charge(alice):
    projects = await alice.projects()
    assert projects.count == len(projects.projects) >= 1
    assert all(project.id > 0 for project in projects.projects)


# --- jobs --------------------------------------------------------------------------------------


async def test_jobs_list_reads_the_pending_jobs(alice):
    jobs = await alice.jobs()
    assert jobs.count == len(jobs.jobs) >= 6
    assert {job.state for job in jobs.jobs} <= {"ready", "paused"}
    assert any(job.is_paused for job in jobs.jobs)
    assert jobs.rejected == []


async def test_jobs_list_query_sort_search_paging(alice):
    by_cost = (await alice.jobs(sort="-cost")).jobs
    assert [job.cost for job in by_cost] == sorted((job.cost for job in by_cost), reverse=True)
    page = await alice.jobs(limit=2, start=1, sort="name")
    names = sorted(job.name for job in by_cost)
    assert [job.name for job in page.jobs] == names[1:3]
    assert page.count == len(by_cost)
    found = await alice.jobs(search="flyer")
    assert [job.name for job in found.jobs] == ["Flyer.pdf"]
    favorites = await alice.jobs(state=["printed"], favorite=True)
    assert favorites.jobs and all(job.favorite for job in favorites.jobs)


async def test_job_and_job_state(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    assert (await alice.job(job.id)).name == job.name
    assert await alice.job_state(job.id) == "ready"


async def test_not_found_for_another_users_job(alice, other):
    await other.login_pin("5678")
    bobs_job = (await other.jobs()).jobs[0]
    with pytest.raises(errors.NotFound) as raised:
        await alice.job(bobs_job.id)
    assert raised.value.reason == "not_found"
    assert (await other.job(bobs_job.id)) == bobs_job


async def test_patch_one_job_project_and_favorite(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    project = (await alice.projects()).projects[0]
    changed = await alice.patch_job(job.id, project_id=project.id, favorite=True)
    assert changed.project_id == project.id and changed.favorite
    cleared = await alice.patch_job(job.id, project_id=0)
    assert cleared.project_id == 0


async def test_patch_many_is_all_or_nothing_unknown_project(alice):
    jobs = await pending(alice)
    ids = [jobs["Board minutes.pdf"].id, jobs["Expense claim.xlsx"].id]
    with pytest.raises(errors.BadRequest) as raised:
        await alice.patch_jobs(ids, project_id=999_999)
    assert raised.value.reason == "unknown_project"
    assert [(await alice.job(i)).project_id for i in ids] == [0, 0]


async def test_patch_many_unknown_account(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    with pytest.raises(errors.BadRequest) as raised:
        await alice.patch_jobs([job.id], account="cc:somebody-else")
    assert raised.value.reason == "unknown_account"
    changed = await alice.patch_jobs([job.id], account="cc:marketing")
    assert changed.jobs[0].account == "cc:marketing"


async def test_patch_owner_not_allowed_for_a_user(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    with pytest.raises(errors.NotAllowed) as raised:
        await alice.patch_job(job.id, owner_id=1)
    assert raised.value.reason == "not_allowed"


async def test_cancel_one_and_many_leaves_them_canceled_and_uncharged(alice):
    jobs = await pending(alice)
    before = (await alice.me()).account("credit").balance
    await alice.cancel([jobs["Expense claim.xlsx"].id])
    await alice.cancel([jobs["Board minutes.pdf"].id, jobs["Train tickets Berlin.pdf"].id])
    for name in ("Expense claim.xlsx", "Board minutes.pdf", "Train tickets Berlin.pdf"):
        assert await alice.job_state(jobs[name].id) == "canceled"
    await alice.cancel_job(jobs["Expense claim.xlsx"].id)  # canceling a canceled job is fine
    assert (await alice.me()).account("credit").balance == before


async def test_spool_prices_at_once_and_uuid_is_idempotent(alice):
    info = {"pageCount": 5, "colorCount": 1, "copies": 2, "duplex": False, "color": True}
    first = await alice.spool(queue="direct", owner="alice", name="Tickets.pdf", job_info=info, uuid="u-1")
    again = await alice.spool(queue="direct", owner="alice", name="Tickets.pdf", job_info=info, uuid="u-1")
    assert first == again
    job = await alice.job(first)
    # 2 x (4 x 0.04 + 1 x 0.20) + 10 sheets x 0.02
    assert job.cost == Decimal("0.92")


async def test_spool_unknown_queue(alice):
    with pytest.raises(errors.NotFound) as raised:
        await alice.spool(queue="nowhere", owner="alice", name="x.pdf", job_info={})
    assert raised.value.reason == "unknown_queue"


# --- releasing -----------------------------------------------------------------------------------


async def test_release_charges_once_then_prints(alice, clock):
    jobs = await pending(alice)
    chosen = [jobs["Board minutes.pdf"], jobs["Expense claim.xlsx"]]
    result = await alice.process([j.id for j in chosen], owner="alice", account="credit")
    total = sum((j.cost for j in chosen), Decimal(0))
    assert result.charged == total
    assert result.balance == Decimal("12.50") - total
    assert {j.state for j in result.jobs} == {"processing"}
    clock.advance(minutes=10)
    assert [await alice.job_state(j.id) for j in chosen] == ["printed", "printed"]
    assert (await alice.me()).account("credit").balance == Decimal("12.50") - total


async def test_release_sets_the_project_on_jobs_without_one(alice):
    jobs = await pending(alice)
    project = (await alice.projects()).projects[0]
    result = await alice.process([jobs["Board minutes.pdf"].id], owner="alice", project_id=project.id)
    assert result.jobs[0].project_id == project.id


async def test_release_job_state_when_not_ready(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    await alice.cancel([job.id])
    with pytest.raises(errors.JobStateConflict) as raised:
        await alice.process([job.id], owner="alice")
    assert raised.value.reason == "job_state"
    assert job.id in raised.value.failing_ids


async def test_release_interaction_pending(alice):
    paused = next(job for job in (await alice.jobs()).jobs if job.is_paused)
    with pytest.raises(errors.InteractionPending) as raised:
        await alice.process([paused.id], owner="alice")
    assert raised.value.reason == "interaction_pending"


async def test_release_insufficient_credit_charges_nothing(client):
    await client.login_pin("5678")  # bob: 0.80 credit, jobs that cost more together
    jobs = [job for job in (await client.jobs()).jobs if job.state == "ready"]
    project = (await client.projects()).projects[0]
    with pytest.raises(errors.InsufficientCredit) as raised:
        await client.process([j.id for j in jobs], owner="bob", project_id=project.id)
    assert raised.value.reason == "insufficient_credit"
    assert raised.value.required == sum((j.cost for j in jobs), Decimal(0))
    assert raised.value.balance == Decimal("0.80")
    assert (await client.me()).account(None).balance == Decimal("0.80")
    assert {await client.job_state(j.id) for j in jobs} == {"ready"}


async def test_release_project_required(client):
    await client.login_pin("5678")
    cheapest = min((job for job in (await client.jobs()).jobs if job.project_id == 0), key=lambda j: j.cost)
    with pytest.raises(errors.ProjectRequired) as raised:
        await client.process([cheapest.id], owner="bob")
    assert raised.value.reason == "project_required"


async def test_release_race_one_wins_and_charges_once(alice, connect):
    job = (await pending(alice))["Board minutes.pdf"]
    async with connect() as second:
        await second.login_pin("1234")
        outcomes = await asyncio.gather(
            alice.process([job.id], owner="alice"), second.process([job.id], owner="alice"),
            return_exceptions=True,
        )
    wins = [o for o in outcomes if not isinstance(o, Exception)]
    losses = [o for o in outcomes if isinstance(o, errors.Conflict)]
    assert len(wins) == 1 and len(losses) == 1
    assert (await alice.me()).account("credit").balance == Decimal("12.50") - job.cost


async def test_favorite_printed_job_can_be_printed_again(alice):
    printed = (await alice.jobs(state=["printed"], favorite=True)).jobs[0]
    result = await alice.process([printed.id], owner="alice")
    assert result.charged == printed.cost


# --- the script dialog -------------------------------------------------------------------------


async def test_set_duplex_changes_the_cost_on_the_server(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    changed = await alice.set_duplex(job.id, True)
    assert changed.duplex and changed.cost < job.cost
    assert (await alice.job(job.id)).cost == changed.cost
    back = await alice.set_duplex(job.id, False)
    assert back.cost == job.cost


async def test_answering_the_paused_question_makes_the_job_ready(alice):
    paused = next(job for job in (await alice.jobs()).jobs if job.is_paused)
    changed = await alice.set_duplex(paused.id, True)
    assert changed.state == "ready" and changed.duplex and not changed.interaction


async def test_stale_state_when_the_job_changed_since_the_question(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    asked = await alice.script_ask(job.id)
    dialog = asked.dialogs[0]
    await alice.set_duplex(job.id, True)
    with pytest.raises(errors.StaleState) as raised:
        await alice.script_answer(job.id, dialog_id=dialog.id, options=[o.key for o in dialog.options],
                                  chosen="simplex", state=asked.state)
    assert raised.value.reason == "stale_state"


async def test_unknown_dialog_and_bad_answer(alice):
    job = (await pending(alice))["Board minutes.pdf"]
    asked = await alice.script_ask(job.id)
    dialog = asked.dialogs[0]
    with pytest.raises(errors.BadRequest) as raised:
        await alice.script_answer(job.id, dialog_id="12345", options=["duplex", "simplex"],
                                  chosen="duplex", state=asked.state)
    assert raised.value.reason == "unknown_dialog"
    with pytest.raises(errors.BadRequest) as raised:
        await alice.script_answer(job.id, dialog_id=dialog.id, options=["duplex", "simplex"],
                                  chosen="neither", state=asked.state)
    assert raised.value.reason == "bad_answer"


# --- helpdesk and audit --------------------------------------------------------------------------


async def test_helpdesk_reason_required_then_recorded_in_audit(client, connect):
    await client.login_password("carol", "carol-pw", scope="jobs users offline.access")
    alice_user = (await client.users("alice")).users[0]
    job = (await client.jobs(owner_id=alice_user.id)).jobs[0]
    with pytest.raises(errors.ReasonRequired) as raised:
        await client.patch_job(job.id, favorite=True)
    assert raised.value.reason == "reason_required"
    await client.patch_job(job.id, favorite=True, reason="Alice asked at the desk · ünïcode")
    entries = (await client.audit(owner_id=alice_user.id)).entries
    assert entries[0].actor == "carol" and entries[0].owner == "alice"
    assert entries[0].job_ids == [job.id] and entries[0].action == "update"
    assert entries[0].reason == "Alice asked at the desk · ünïcode"
    async with connect() as alice:
        await alice.login_pin("1234")
        assert (await alice.audit()).entries[0].id == entries[0].id


# --- no answer, and secrets ------------------------------------------------------------------------


async def test_server_unreachable_is_said_in_words():
    from station.api.client import StationClient

    async with StationClient("http://127.0.0.1:9", timeout=2) as client:
        with pytest.raises(errors.ServerUnreachable) as raised:
            await client.login_pin("1234")
    assert "cannot be reached" in raised.value.human


async def test_no_secret_in_the_clients_log(connect, caplog, clock):
    caplog.set_level(logging.DEBUG)
    async with connect() as client:
        token = await client.login_card_pin("04A1B2C3", "1234")
        clock.advance(timedelta(minutes=31))
        await client.me()
        refresh = client._token.refresh_token
        await client.revoke()
    text = "\n".join(record.getMessage() for record in caplog.records) + repr(client)
    for secret in ("04A1B2C3", "1234", token.access_token, token.refresh_token, refresh):
        assert secret not in text
    assert "POST /auth/token" in text  # the log does say what happened
