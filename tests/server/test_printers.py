"""Release at a printer (contract 7.1, wire decisions), in both modes of the server: what
"print all" lists, and a release priced, charged, stored and audited as the options print."""

from __future__ import annotations

import asyncio
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest

from station.server.app import ServerSettings
from station.server.seed import AGENDA, REPORT

from .support import ALICE, API, BOB, audit_rows, balance, job_id, job_row, snapshot, store_of

PRINTER = 1


@pytest.fixture(params=["profile", "vendor"])
def settings(request, clock) -> ServerSettings:
    return ServerSettings(db=":memory:", seed="demo", clock=clock, api=request.param)


def release_url(printer: object = PRINTER) -> str:
    return f"{API}/printers/{printer}/jobs/release"


def printed_cost(settings: ServerSettings, *, pages: int, colour: int, copies: int, duplex: bool) -> Decimal:
    """The price list (contract 5), worked out here rather than asked of the server."""
    sheets = copies * (-(-pages // 2) if duplex else pages)
    raw = copies * ((pages - colour) * settings.price_mono + colour * settings.price_colour)
    return (raw + sheets * settings.price_sheet).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def assert_refused(response: httpx.Response, settings: ServerSettings, status: int, word: str) -> None:
    """The profile names the reason; the vendor's body has `data: []` and only the status."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "data"} and body["message"]
    if settings.api == "vendor":
        assert body["data"] == []
    else:
        assert body["data"][0]["reason"] == word


def ready_ids_oldest_first(app: Any, owner: int) -> list[int]:
    with store_of(app).read() as db:
        rows = db.all(
            "SELECT id FROM jobs WHERE owner_id = ? AND state = 'ready' ORDER BY submitted_us, id", (owner,)
        )
    return [row["id"] for row in rows]


# --- print all --------------------------------------------------------------------------------


async def test_print_all_lists_the_callers_ready_jobs(http, bearer, app):
    response = await http.get(f"{API}/printers/{PRINTER}/printAll", headers=await bearer(http))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"jobs", "counters", "moreJobs", "projectSelected"}
    assert [job["id"] for job in body["jobs"]] == ready_ids_oldest_first(app, ALICE)
    assert all(set(job) == {"id", "projectId"} for job in body["jobs"])
    assert {job["id"]: job["projectId"] for job in body["jobs"]}[job_id(app, "Flyer.pdf")] == 1
    assert job_id(app, "Campaign slides.pptx") not in {job["id"] for job in body["jobs"]}  # paused
    assert (body["counters"], body["moreJobs"], body["projectSelected"]) == ([], False, False)


async def test_print_all_says_a_project_is_selected_when_every_job_has_one(http, bearer, app):
    headers = await bearer(http, pin="5678")  # bob: one of his jobs has a project, the others none
    before = (await http.get(f"{API}/printers/{PRINTER}/printAll", headers=headers)).json()
    assert before["projectSelected"] is False
    items = [{"id": job["id"], "projectId": 2} for job in before["jobs"] if not job["projectId"]]
    assert items
    assert (await http.patch(f"{API}/jobs", json={"jobs": items}, headers=headers)).status_code == 200
    after = (await http.get(f"{API}/printers/{PRINTER}/printAll", headers=headers)).json()
    assert [job["id"] for job in after["jobs"]] == ready_ids_oldest_first(app, BOB)
    assert after["projectSelected"] is True


async def test_print_all_of_the_helpdesk_is_empty(http, bearer):
    headers = await bearer(http, user="carol", pwd="carol-pw")
    body = (await http.get(f"{API}/printers/2/printAll", headers=headers)).json()
    assert (body["jobs"], body["projectSelected"]) == ([], False)


# --- releasing with options -------------------------------------------------------------------


async def test_release_with_options_charges_stores_and_audits_what_prints(http, bearer, app, settings):
    offsite, report = job_id(app, AGENDA), job_id(app, REPORT)
    rows = {jid: job_row(app, jid) for jid in (offsite, report)}
    assert rows[offsite]["color_count"] > 0 and not rows[offsite]["duplex"]  # so every option shows
    copies = rows[offsite]["copies"] + 2
    expected = {
        jid: printed_cost(settings, pages=row["page_count"], colour=0, copies=copies, duplex=True)
        for jid, row in rows.items()
    }
    start = balance(app, ALICE)
    body = {"jobIds": [offsite, report], "projectId": 0, "account": None,
            "releaseOptions": {"duplex": 2, "color": 2, "copies": copies, "stapling": 0}}
    headers = await bearer(http)
    response = await http.post(release_url(), json=body, headers=headers)
    assert response.status_code == 202, response.text
    total = sum(expected.values())
    if settings.api == "vendor":
        assert response.content == b""
    else:
        reply = response.json()
        assert Decimal(str(reply["charged"])) == total
        assert Decimal(str(reply["balance"])) == start - total
        assert [job["state"] for job in reply["jobs"]] == ["processing", "processing"]
    assert balance(app, ALICE) == start - total
    for jid in (offsite, report):
        stored = (await http.get(f"{API}/jobs/{jid}", headers=headers)).json()
        assert (stored["duplex"], stored["color"], stored["colorCount"], stored["copies"]) == (True, False, 0, copies)
        assert Decimal(str(stored["cost"])) == expected[jid]
        assert job_row(app, jid)["charged_cents"] == int(expected[jid] * 100)
    [entry] = audit_rows(app, "release")
    assert (entry["amount_cents"], entry["account"], entry["job_ids"]) == (
        int(total * 100), "credit", f"[{offsite}, {report}]"
    )


async def test_single_sided_and_as_sent_options(http, bearer, app, settings):
    report = job_id(app, REPORT)  # 2-sided, some colour pages
    row = job_row(app, report)
    assert row["duplex"] and row["color_count"]
    expected = printed_cost(
        settings, pages=row["page_count"], colour=row["color_count"], copies=row["copies"], duplex=False
    )
    start = balance(app, ALICE)
    body = {"jobIds": [report], "releaseOptions": {"duplex": 1, "color": 1, "copies": 0}}
    response = await http.post(release_url(2), json=body, headers=await bearer(http))
    assert response.status_code == 202, response.text
    assert balance(app, ALICE) == start - expected
    after = job_row(app, report)
    assert (after["duplex"], after["color_count"], after["copies"]) == (0, row["color_count"], row["copies"])


async def test_release_without_options_charges_the_jobs_own_cost(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    before = job_row(app, jid)
    start = balance(app, ALICE)
    response = await http.post(release_url(), json={"jobIds": [jid]}, headers=await bearer(http))
    assert response.status_code == 202, response.text
    after = job_row(app, jid)
    assert balance(app, ALICE) == start - Decimal(before["cost_cents"]) / 100
    assert (after["state"], after["cost_cents"], after["copies"], after["duplex"]) == (
        "processing", before["cost_cents"], before["copies"], before["duplex"]
    )


async def test_a_failed_print_refunds_exactly_what_was_charged(http, bearer, app, clock, monkeypatch, settings):
    monkeypatch.setattr(settings, "fail_prints_named", "offsite")
    jid = job_id(app, AGENDA)
    start = balance(app, ALICE)
    headers = await bearer(http)
    body = {"jobIds": [jid], "releaseOptions": {"copies": 7}}
    assert (await http.post(release_url(), json=body, headers=headers)).status_code == 202
    charged = job_row(app, jid)["charged_cents"]
    assert balance(app, ALICE) == start - Decimal(charged) / 100
    clock.advance(minutes=10)  # 21 pages at the demo's print speed: printed, and the token still good
    assert (await http.get(f"{API}/jobs/{jid}/state", headers=headers)).json() == {"state": "failed"}
    assert balance(app, ALICE) == start
    [refund] = audit_rows(app, "refund")
    assert refund["amount_cents"] == charged


# --- refusals change nothing ------------------------------------------------------------------


async def test_one_bad_id_releases_nothing(http, bearer, app, settings):
    own = job_id(app, "Board minutes.pdf")
    before = snapshot(app)
    response = await http.post(
        release_url(), json={"jobIds": [own, 2_000_000_000], "releaseOptions": {"copies": 3}},
        headers=await bearer(http),
    )
    assert_refused(response, settings, 404, "not_found")
    assert snapshot(app) == before


async def test_not_enough_credit_for_what_prints_is_402_and_changes_nothing(http, bearer, app, settings):
    labels = job_id(app, "Shipping labels.pdf")
    row = job_row(app, labels)
    copies = 10
    assert Decimal(row["cost_cents"]) / 100 <= balance(app, BOB)  # as sent, bob could pay it
    assert printed_cost(settings, pages=row["page_count"], colour=0, copies=copies, duplex=False) > balance(app, BOB)
    before = snapshot(app)
    response = await http.post(
        release_url(), json={"jobIds": [labels], "projectId": 2, "releaseOptions": {"copies": copies}},
        headers=await bearer(http, pin="5678"),
    )
    assert_refused(response, settings, 402, "insufficient_credit")
    assert snapshot(app) == before


@pytest.mark.parametrize("printer", ["99", "0", "abc", "-1"])
async def test_an_unknown_printer_is_404(http, bearer, app, settings, printer):
    headers = await bearer(http)
    before = snapshot(app)
    assert_refused(await http.get(f"{API}/printers/{printer}/printAll", headers=headers), settings, 404, "not_found")
    body = {"jobIds": [job_id(app, "Board minutes.pdf")]}
    released = await http.post(release_url(printer), json=body, headers=headers)
    assert_refused(released, settings, 404, "not_found")
    assert snapshot(app) == before


@pytest.mark.parametrize(
    "options",
    [{"duplex": 4}, {"color": 3}, {"copies": -1}, {"copies": "two"}, {"duplex": 1.5}, {"sides": 2}, {"color": None}],
)
async def test_a_bad_option_is_refused_and_changes_nothing(http, bearer, app, settings, options):
    before = snapshot(app)
    response = await http.post(
        release_url(), json={"jobIds": [job_id(app, "Board minutes.pdf")], "releaseOptions": options},
        headers=await bearer(http),
    )
    assert_refused(response, settings, 400 if settings.api == "vendor" else 422, "validation")
    assert snapshot(app) == before


async def test_another_users_job_is_404_exactly_like_a_missing_one(http, bearer, app, settings):
    bobs, missing = job_id(app, "Parking permit.pdf"), 2_000_000_000
    before = snapshot(app)
    for headers in (await bearer(http), await bearer(http, user="carol", pwd="carol-pw", reason="at the desk")):
        response = await http.post(release_url(), json={"jobIds": [bobs]}, headers=headers)
        assert_refused(response, settings, 404, "not_found")
        absent = await http.post(release_url(), json={"jobIds": [missing]}, headers=headers)
        assert response.text.replace(str(bobs), "ID") == absent.text.replace(str(missing), "ID")
    assert snapshot(app) == before


async def test_a_paused_job_waits_for_its_question(http, bearer, app, settings):
    before = snapshot(app)
    response = await http.post(
        release_url(), json={"jobIds": [job_id(app, "Campaign slides.pptx")], "releaseOptions": {"duplex": 2}},
        headers=await bearer(http),
    )
    assert_refused(response, settings, 409, "interaction_pending")
    assert snapshot(app) == before


async def test_two_releases_racing_charge_once(app, http, settings):
    jid = job_id(app, AGENDA)
    row = job_row(app, jid)
    expected = printed_cost(settings, pages=row["page_count"], colour=0, copies=4, duplex=True)
    start = balance(app, ALICE)
    body = {"jobIds": [jid], "releaseOptions": {"duplex": 3, "color": 2, "copies": 4}}
    logins = [{"type": 2, "pin": "1234"}, {"type": 1, "card": "04A1B2C3"}]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test") as other:
        headers = []
        for client, info in zip((http, other), logins, strict=True):
            token = await client.post("/api/auth/token", json={
                "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
                "scope": "jobs", "login_info": info,
            })
            headers.append({"Authorization": f"Bearer {token.json()['access_token']}"})
        first, second = await asyncio.gather(
            http.post(release_url(1), json=body, headers=headers[0]),
            other.post(release_url(2), json=body, headers=headers[1]),
        )
    assert sorted([first.status_code, second.status_code]) == [202, 409], (first.text, second.text)
    assert_refused(first if first.status_code == 409 else second, settings, 409, "job_state")
    assert balance(app, ALICE) == start - expected
    assert len(audit_rows(app, "release")) == 1


async def test_a_wrong_method_names_the_right_one(http, bearer):
    headers = await bearer(http)
    for method, url, allowed in (("POST", f"{API}/printers/1/printAll", "GET"), ("GET", release_url(), "POST")):
        response = await http.request(method, url, headers=headers)
        assert response.status_code == 405
        assert response.headers["Allow"] == allowed
