"""The job's script dialog (contract 4.6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from station.api.models import ScriptReply, script_answer

from .support import API, DUPLEX, audit_rows, job_id, job_row, reason, snapshot


async def ask(http, headers, jid, body=None):
    response = await http.post(f"{API}/jobs/{jid}/script", json={} if body is None else body, headers=headers)
    assert response.status_code == 200, response.text
    return ScriptReply.model_validate(response.json())


async def test_ask_shows_the_duplex_question(http, bearer, app):
    jid = job_id(app, "Campaign slides.pptx")
    reply = await ask(http, await bearer(http), jid)
    [dialog] = reply.dialogs
    assert dialog.id == DUPLEX
    assert -(2**31) <= int(dialog.id) < 2**31
    assert [o.key for o in dialog.options] == ["duplex", "simplex"]
    assert dialog.current == "simplex"
    assert len(reply.state) == 3 and all(isinstance(part, str) for part in reply.state)
    assert reply.job.id == jid and reply.job.interaction is True and reply.job.state == "paused"
    also = await ask(http, await bearer(http), jid, {"state": []})
    assert also.dialogs == reply.dialogs


async def test_answer_duplex_recomputes_cost_and_makes_the_job_ready(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Campaign slides.pptx")
    asked = await ask(http, headers, jid)
    response = await http.post(
        f"{API}/jobs/{jid}/script",
        json=script_answer(DUPLEX, ["duplex", "simplex"], "duplex", asked.state), headers=headers,
    )
    assert response.status_code == 200, response.text
    reply = ScriptReply.model_validate(response.json())
    assert reply.dialogs == []
    assert (reply.job.duplex, reply.job.state, reply.job.interaction) == (True, "ready", False)
    assert reply.job.cost == Decimal("2.52")  # 12 x 0.20 + 6 sheets x 0.02
    row = job_row(app, jid)
    assert (row["duplex"], row["state"], row["cost_cents"]) == (1, "ready", 252)
    [entry] = audit_rows(app, "duplex")
    assert entry["job_ids"] == f"[{jid}]"


async def test_answer_simplex_on_a_ready_duplex_job(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Flyer.pdf")
    asked = await ask(http, headers, jid)
    assert asked.dialogs[0].current == "duplex"
    body = {DUPLEX: {"duplex": None, "simplex": True}, "state": asked.state}
    reply = ScriptReply.model_validate((await http.post(f"{API}/jobs/{jid}/script", json=body, headers=headers)).json())
    assert reply.job.duplex is False
    assert reply.job.cost == Decimal("4.40")  # 10 x 2 x 0.20 + 20 sheets x 0.02


@pytest.mark.parametrize(
    "answer",
    [
        {"duplex": True, "simplex": True},
        {"duplex": None, "simplex": None},
        {},
        {"duplex": True, "triplex": None},
        {"duplex": "yes", "simplex": None},
        "duplex",
        None,
    ],
)
async def test_bad_answer(http, bearer, app, answer):
    headers = await bearer(http)
    jid = job_id(app, "Campaign slides.pptx")
    asked = await ask(http, headers, jid)
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/{jid}/script", json={DUPLEX: answer, "state": asked.state}, headers=headers)
    assert response.status_code == 400
    assert reason(response) == "bad_answer"
    assert snapshot(app) == before


async def test_unknown_dialog(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Campaign slides.pptx")
    asked = await ask(http, headers, jid)
    before = snapshot(app)
    response = await http.post(
        f"{API}/jobs/{jid}/script", json={"12345": {"duplex": True, "simplex": None}, "state": asked.state},
        headers=headers,
    )
    assert response.status_code == 400
    assert reason(response) == "unknown_dialog"
    assert snapshot(app) == before


async def test_stale_state_when_the_job_changed_since(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Campaign slides.pptx")
    asked = await ask(http, headers, jid)
    await http.patch(f"{API}/jobs/{jid}", json={"favorite": True}, headers=headers)
    before = snapshot(app)
    response = await http.post(
        f"{API}/jobs/{jid}/script", json=script_answer(DUPLEX, ["duplex", "simplex"], "duplex", asked.state),
        headers=headers,
    )
    assert response.status_code == 409
    assert reason(response) == "stale_state"
    assert snapshot(app) == before
    # Asking again gives a state that works.
    again = await ask(http, headers, jid)
    ok = await http.post(
        f"{API}/jobs/{jid}/script", json=script_answer(DUPLEX, ["duplex", "simplex"], "duplex", again.state),
        headers=headers,
    )
    assert ok.status_code == 200


async def test_stale_state_after_an_answer_the_old_state_is_spent(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Board minutes.pdf")
    asked = await ask(http, headers, jid)
    body = script_answer(DUPLEX, ["duplex", "simplex"], "duplex", asked.state)
    assert (await http.post(f"{API}/jobs/{jid}/script", json=body, headers=headers)).status_code == 200
    replay = await http.post(f"{API}/jobs/{jid}/script", json=body, headers=headers)
    assert replay.status_code == 409
    assert reason(replay) == "stale_state"


async def test_a_state_of_another_job_is_stale_state(http, bearer, app):
    headers = await bearer(http)
    a, b = job_id(app, "Board minutes.pdf"), job_id(app, "Flyer.pdf")
    asked = await ask(http, headers, a)
    response = await http.post(
        f"{API}/jobs/{b}/script", json=script_answer(DUPLEX, ["duplex", "simplex"], "duplex", asked.state),
        headers=headers,
    )
    assert response.status_code == 409
    assert reason(response) == "stale_state"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: [s[0], s[1], s[2][:-2] + "AA"],
        lambda s: [s[0], s[1].replace(".1", ".9"), s[2]],
        lambda s: s[:2],
        lambda s: "v1",
        lambda s: [1, 2, 3],
    ],
)
async def test_a_forged_state_is_refused_bad_request(http, bearer, app, tamper):
    headers = await bearer(http)
    jid = job_id(app, "Board minutes.pdf")
    asked = await ask(http, headers, jid)
    before = snapshot(app)
    body = {DUPLEX: {"duplex": True, "simplex": None}, "state": tamper(asked.state)}
    response = await http.post(f"{API}/jobs/{jid}/script", json=body, headers=headers)
    assert response.status_code == 400
    assert reason(response) == "bad_request"
    assert snapshot(app) == before


@pytest.mark.parametrize("state", ["missing", None, []], ids=["missing", "null", "empty"])
@pytest.mark.parametrize("name", ["Campaign slides.pptx", "Board minutes.pdf"])  # paused, ready
async def test_an_answer_without_the_state_it_was_given_is_refused(http, bearer, app, state, name):
    """Issue 11 item 6: `{"<dialog>": {"duplex": true}, "state": null}` switched a job unchecked."""
    headers = await bearer(http)
    jid = job_id(app, name)
    asked = await ask(http, headers, jid)
    before = snapshot(app)
    body = {DUPLEX: {"duplex": True, "simplex": None}}
    if state != "missing":
        body["state"] = state
    response = await http.post(f"{API}/jobs/{jid}/script", json=body, headers=headers)
    assert response.status_code == 400, response.text
    assert reason(response) == "bad_request"
    assert "state" in response.json()["message"]
    assert snapshot(app) == before
    ok = await http.post(f"{API}/jobs/{jid}/script", json={**body, "state": asked.state}, headers=headers)
    assert ok.status_code == 200  # the control: with the state it was given, the same answer works
    assert job_row(app, jid)["duplex"] == 1


async def test_script_job_state_for_a_finished_job(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Boarding pass.pdf")
    for body in ({}, {DUPLEX: {"duplex": True, "simplex": None}, "state": []}):
        response = await http.post(f"{API}/jobs/{jid}/script", json=body, headers=headers)
        assert response.status_code == 409
        assert reason(response) == "job_state"


async def test_script_no_body_is_a_question(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    response = await http.post(f"{API}/jobs/{jid}/script", headers=await bearer(http))
    assert response.status_code == 200
    assert len(response.json()["dialogs"]) == 1
