"""Properties of money (hypothesis): the price list (contract 5) and what a release charges.

Pricing is checked against an oracle in exact fractions: `cost = copies x (mono_pages x mono +
colour_pages x colour) + sheets x sheet`, rounded half-up to cents. Releasing is checked on the
real server (in-process, a fresh data set per example): the charge is exactly the Decimal sum
of the jobs' costs, the balance drops by exactly that, a refused release changes nothing, and a
failed print gives back exactly what its job was charged.
"""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.server.app import ServerSettings, create_app
from station.server.pricing import Prices, from_cents, job_cost, round_money, sheets, to_cents
from station.server.seed import ALICE

API = "/api/v3"
CLIENT = {"client_id": "station-demo", "client_secret": "station-demo-secret"}
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FAIL = "JAMS"  # a job whose name holds this fails to print (ServerSettings.fail_prints_named)

# Prices of up to 4 decimals: what a print server's price list holds.
price = st.decimals(min_value=Decimal("0"), max_value=Decimal("5"), places=4)
prices = st.builds(Prices, mono=price, colour=price, sheet=price)
pages = st.integers(min_value=0, max_value=100_000)
copies = st.integers(min_value=1, max_value=10_000)


def oracle(p: Prices, page_count: int, color_count: int, copies: int, duplex: bool) -> Decimal:
    """The contract's formula in exact fractions, rounded half-up to cents by hand."""
    color_count = min(color_count, page_count)
    paper = copies * (math.ceil(Fraction(page_count, 2)) if duplex else page_count)
    raw = (
        copies * ((page_count - color_count) * Fraction(p.mono) + color_count * Fraction(p.colour))
        + paper * Fraction(p.sheet)
    )
    cents = math.floor(raw * 100 + Fraction(1, 2))  # half-up (the amount is never negative)
    return Decimal(cents).scaleb(-2)


# --- the price list --------------------------------------------------------------------------


@given(p=prices, page_count=pages, colour=pages, copies=copies, duplex=st.booleans())
def test_cost_is_the_contract_formula_rounded_half_up_to_cents(p, page_count, colour, copies, duplex):
    cost = job_cost(p, page_count=page_count, color_count=colour, copies=copies, duplex=duplex)
    assert isinstance(cost, Decimal)
    assert cost == oracle(p, page_count, colour, copies, duplex)
    assert cost.as_tuple().exponent == -2  # exactly cents, e.g. 0.30 and never 0.30000000000000004
    assert from_cents(to_cents(cost)) == cost


@given(p=prices, page_count=pages, colour=pages, copies=copies)
def test_duplex_never_costs_more_and_saves_paper(p, page_count, colour, copies):
    simplex = job_cost(p, page_count=page_count, color_count=colour, copies=copies, duplex=False)
    duplex = job_cost(p, page_count=page_count, color_count=colour, copies=copies, duplex=True)
    assert duplex <= simplex
    assert sheets(page_count, copies, True) <= sheets(page_count, copies, False)
    if page_count >= 2 and p.sheet >= Decimal("0.01"):  # a sheet saved is at least a cent saved
        assert duplex < simplex


@given(cents=st.integers(min_value=0, max_value=10**12), tenths=st.integers(min_value=0, max_value=9))
def test_rounding_is_half_up(cents, tenths):
    """x.xx5 goes up, x.xx4 goes down: never banker's rounding."""
    value = Decimal(cents * 10 + tenths).scaleb(-3)
    expected = Decimal(cents + (1 if tenths >= 5 else 0)).scaleb(-2)
    assert round_money(value) == expected


@given(page_count=st.integers(min_value=1, max_value=1000), copies=st.integers(min_value=1, max_value=100))
def test_a_tenth_of_a_cent_price_sums_exactly(page_count, copies):
    """Prices that floats cannot hold (0.1, 0.7) add up exactly."""
    p = Prices(mono=Decimal("0.1"), colour=Decimal("0.7"), sheet=Decimal("0.001"))
    cost = job_cost(p, page_count=page_count, color_count=0, copies=copies, duplex=False)
    assert cost == round_money(Decimal(copies * page_count) * Decimal("0.101"))


# --- what a release charges, on the real server ----------------------------------------------

job = st.fixed_dictionaries({
    "pageCount": st.integers(min_value=1, max_value=40),
    "colorCount": st.integers(min_value=0, max_value=40),
    "copies": st.integers(min_value=1, max_value=12),
    "duplex": st.booleans(),
    "fails": st.booleans(),
})


async def _login(http: httpx.AsyncClient) -> dict[str, str]:
    response = await http.post("/api/auth/token", json={
        "grant_type": "login_info", **CLIENT, "scope": "jobs", "login_info": {"type": 2, "pin": "1234"},
    })
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _balance(http: httpx.AsyncClient, headers: dict[str, str], account: str) -> Decimal | None:
    me = (await http.get(f"{API}/users/me", headers=headers)).json()
    value = next(a["balance"] for a in me["accounts"] if a["id"] == account)
    return None if value is None else Decimal(str(value))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def money_app(tmp_path_factory):
    """One app for all examples (building one takes a while); each example resets its data. On a
    file, as `station serve --db`: each request in a thread of its own with its own connection."""
    clock = Clock()
    db = str(tmp_path_factory.mktemp("money") / "station.db")
    app = create_app(ServerSettings(db=db, clock=clock, fail_prints_named=FAIL))
    app.state.clock = clock
    yield app
    app.state.store.close()


async def _release_scenario(app, specs, chosen, account, balance_cents) -> None:
    store = app.state.store
    app.state.clock.now = START
    store.reset_to_seed()
    with store.tx() as db:
        db.execute(
            "UPDATE accounts SET balance_cents = ? WHERE user_id = ? AND id = 'credit'",
            (balance_cents, ALICE),
        )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as http:
        headers = await _login(http)
        ids, costs = [], {}
        for n, spec in enumerate(specs):
            info = {k: v for k, v in spec.items() if k != "fails"}
            info["colorCount"] = min(info["colorCount"], info["pageCount"])
            name = f"Job {n} {FAIL}.pdf" if spec["fails"] else f"Job {n}.pdf"
            created = await http.post(f"{API}/jobs/client", headers=headers, json={
                "queue": "direct", "owner": "alice", "computer": "PC", "name": name,
                "size": 1000, "uuid": f"prop-{n}", "jobInfo": info,
            })
            assert created.status_code == 201, created.text
            jid = created.json()["id"]
            listed = (await http.get(f"{API}/jobs/{jid}", headers=headers)).json()
            costs[jid] = Decimal(str(listed["cost"]))
            # The server priced it by the contract's formula, in the demo's prices.
            assert costs[jid] == job_cost(
                Prices(), page_count=info["pageCount"], color_count=info["colorCount"],
                copies=info["copies"], duplex=info["duplex"],
            )
            ids.append(jid)
        released = [ids[i] for i in sorted(chosen) if i < len(ids)] or ids[:1]
        total = sum((costs[i] for i in released), Decimal("0"))
        before = await _balance(http, headers, account)
        audit_before = (await http.get(f"{API}/audit", headers=headers)).json()["count"]

        response = await http.post(
            f"{API}/jobs/process", headers=headers,
            json={"jobIds": released, "account": account},
        )
        if before is not None and total > before:
            # Refused: nothing charged, nothing moved, nothing recorded.
            assert response.status_code == 402, response.text
            data = response.json()["data"][0]
            assert data["reason"] == "insufficient_credit"
            assert Decimal(str(data["required"])) == total
            assert Decimal(str(data["balance"])) == before
            assert await _balance(http, headers, account) == before
            for jid in released:
                state = (await http.get(f"{API}/jobs/{jid}/state", headers=headers)).json()
                assert state == {"state": "ready"}
            assert (await http.get(f"{API}/audit", headers=headers)).json()["count"] == audit_before
            return
        assert response.status_code == 202, response.text
        result = response.json()
        charged = Decimal(str(result["charged"]))
        assert charged == total  # exactly the Decimal sum of the jobs' costs
        after = await _balance(http, headers, account)
        if before is None:
            assert after is None and result["balance"] is None  # no limit: nothing to drop
        else:
            assert after == before - charged
            assert Decimal(str(result["balance"])) == after
        entries = (await http.get(f"{API}/audit", headers=headers)).json()["entries"]
        [entry] = [e for e in entries if e["action"] == "release"]
        assert Decimal(str(entry["amount"])) == charged  # recorded once, to the cent
        assert sorted(entry["jobIds"]) == sorted(released)

        # Let every job print; a jammed one fails and gives back exactly its charge.
        app.state.clock.now += timedelta(hours=3)
        headers = await _login(http)  # the first token has expired meanwhile
        failed = [jid for jid in released if specs[ids.index(jid)]["fails"]]
        for jid in released:
            state = (await http.get(f"{API}/jobs/{jid}/state", headers=headers)).json()["state"]
            assert state == ("failed" if jid in failed else "printed")
        refunds = [
            e for e in (await http.get(f"{API}/audit", headers=headers)).json()["entries"]
            if e["action"] == "refund"
        ]
        assert sorted(j for e in refunds for j in e["jobIds"]) == sorted(failed)
        for entry in refunds:
            [jid] = entry["jobIds"]
            assert Decimal(str(entry["amount"])) == costs[jid]
        refunded = sum((costs[j] for j in failed), Decimal("0"))
        final = await _balance(http, headers, account)
        if before is not None:
            assert final == before - charged + refunded
            if len(failed) == len(released):
                assert final == before  # everything failed: back to the cent where it was


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=st.lists(job, min_size=1, max_size=6),
    chosen=st.sets(st.integers(min_value=0, max_value=5), min_size=1),
    account=st.sampled_from(["credit", "cc:marketing"]),
    balance_cents=st.integers(min_value=0, max_value=5_000),
)
def test_release_charges_the_exact_sum_and_refunds_restore_it(
    money_app, specs, chosen, account, balance_cents
):
    asyncio.run(_release_scenario(money_app, specs, chosen, account, balance_cents))
