"""Shared fixtures: the real embedded server, in-process, on a fake clock.

- `clock`: a `FakeClock` the test moves by hand (`clock.advance(minutes=5)`).
- `settings`: `ServerSettings` with the demo seed, an in-memory database, that clock, and a
  cheap scrypt cost for passwords.
- `app`: `create_app(settings)` (its store closed afterwards).
- `vendor_app`: the same server in vendor mode (`api="vendor"`: only what the vendor documents,
  contract 7.1), on the same clock.
- `http`: an `httpx.AsyncClient` over `ASGITransport(app=app)`, base URL `http://station.test`.
- `token` / `login` / `bearer`: raw logins, e.g. `tok = await token(http, pin="1234")`,
  `hdrs = await bearer(http, user="carol", pwd="carol-pw", reason="asked at the desk")`.
- `token_body(scope, pin=...)`: a raw token request; `app_bearer(http)`: an application's headers.

Helpers reach tests as fixtures only (a test module never imports this file: with several
conftest.py files, the module name `conftest` is not a stable thing to import).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from station.server.app import ServerSettings, create_app
from station.server.keys import ScryptCost

CLIENT_ID = "station-demo"
CLIENT_SECRET = "station-demo-secret"
PERSON_SCOPE = "jobs offline.access"
HELPDESK_SCOPE = "jobs users offline.access"
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        self.now += (delta or timedelta()) + timedelta(**parts)
        return self.now

    def __repr__(self) -> str:
        return f"FakeClock({self.now.isoformat()})"


def login_info(
    *, pin: str | None = None, card: str | None = None, user: str | None = None,
    pwd: str | None = None,
) -> dict[str, Any]:
    """The vendor's `login_info` for the given parts (type 1-5 chosen from them)."""
    if card is not None and pin is not None:
        return {"type": 4, "card": card, "pin": pin}
    if card is not None and pwd is not None:
        return {"type": 5, "card": card, "pwd": pwd}
    if card is not None:
        return {"type": 1, "card": card}
    if pin is not None:
        return {"type": 2, "pin": pin}
    if user is not None:
        return {"type": 3, "user": user, "pwd": pwd or ""}
    raise ValueError("say how to log in: pin, card, user/pwd")


def make_token_body(scope: str | None = PERSON_SCOPE, **parts: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "grant_type": "login_info",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "login_info": login_info(**parts),
    }
    if scope is not None:
        body["scope"] = scope
    return body


async def raw_login(
    http: httpx.AsyncClient, *, scope: str | None = None, **parts: str
) -> dict[str, Any]:
    """Log in; the token response. Fails the test unless the server answers 200."""
    if scope is None:
        scope = HELPDESK_SCOPE if parts.get("user") == "carol" else PERSON_SCOPE
    response = await http.post("/api/auth/token", json=make_token_body(scope, **parts))
    assert response.status_code == 200, response.text
    return response.json()


def _with_default(pin: str | None, parts: dict[str, str]) -> dict[str, str]:
    if pin is not None:
        parts["pin"] = pin
    if not set(parts) - {"scope"}:
        parts["pin"] = "1234"  # alice
    return parts


async def raw_token(http: httpx.AsyncClient, pin: str | None = None, **parts: str) -> str:
    """An access token: alice's (PIN 1234) unless told otherwise (pin=, card=, user=/pwd=)."""
    return (await raw_login(http, **_with_default(pin, parts)))["access_token"]


async def raw_bearer(
    http: httpx.AsyncClient, pin: str | None = None, *, reason: str | None = None, **parts: str
) -> dict[str, str]:
    """Request headers with a fresh access token (and `X-Station-Reason` when given)."""
    headers = {"Authorization": f"Bearer {await raw_token(http, pin, **parts)}"}
    if reason is not None:
        headers["X-Station-Reason"] = reason
    return headers


async def raw_app_bearer(http: httpx.AsyncClient, scope: str = "jobs users") -> dict[str, str]:
    """Headers of an application (client_credentials) token."""
    response = await http.post(
        "/api/auth/token",
        json={"grant_type": "client_credentials", "client_id": CLIENT_ID,
              "client_secret": CLIENT_SECRET, "scope": scope},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# scrypt at the server's cost (n=2**14, 30 to 50 ms) for the two demo passwords of every seeded
# server would make the suite about a quarter slower: this fixture's servers hash passwords at a
# cheap cost. Every test that builds its own ServerSettings runs the server's real cost.
CHEAP_PASSWORD_COST = ScryptCost(n=2**10, r=8, p=1)


@pytest.fixture
def settings(clock: FakeClock) -> ServerSettings:
    return ServerSettings(db=":memory:", seed="demo", clock=clock, password_cost=CHEAP_PASSWORD_COST)


@pytest.fixture
def app(settings: ServerSettings) -> Iterator[Any]:
    application = create_app(settings)
    yield application
    application.state.store.close()


@pytest.fixture
def vendor_app(settings: ServerSettings) -> Iterator[Any]:
    application = create_app(replace(settings, api="vendor"))
    yield application
    application.state.store.close()


@pytest.fixture
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as client:
        yield client


@pytest.fixture
def token() -> Callable[..., Awaitable[str]]:
    """`await token(http, pin="1234")`: an access token (also card=, user=/pwd=, scope=)."""
    return raw_token


@pytest.fixture
def token_body() -> Callable[..., dict[str, Any]]:
    """`token_body(scope, pin=...)`: a raw login_info token request body."""
    return make_token_body


@pytest.fixture
def app_bearer() -> Callable[..., Awaitable[dict[str, str]]]:
    """`await app_bearer(http, scope="jobs users")`: headers of a client_credentials token."""
    return raw_app_bearer


@pytest.fixture
def login() -> Callable[..., Awaitable[dict[str, Any]]]:
    """`await login(http, pin="1234")`: the whole token response."""
    return raw_login


@pytest.fixture
def bearer() -> Callable[..., Awaitable[dict[str, str]]]:
    """`await bearer(http, pin="1234", reason=None)`: Authorization (and reason) headers."""
    return raw_bearer


# Textual's Pilot waits after each key (twice) and in each `pause()` until the app looks idle: it
# sleeps SLEEP_GRANULARITY (1/50 s) at a time until a sleep passes with under 5 % of it spent on
# the CPU. Most of that waiting is the last 20 ms in which nothing happened. Here the looks last
# 1/200 s and ask the same question (under 5 % of the CPU). A screen's frame is as short (its
# UPDATE_PERIOD, 1/60 s by default), so that a `pause()` still lets a frame pass: the screen lays
# itself out again, and a widget it hid has had its Hide (tests/ui/test_fixed_columns.py relies
# on that). What a test waits for stays a condition (`until`) or the workers, never this.
# Measured (-n 0, load 3 to 4 from elsewhere): test_clipboard + test_login + test_helpdesk
# 54 and 58 s -> 41 and 48 s; tests/ui + tests/snapshots (-n 2) 351 s -> 251 s.
IDLE_LOOK = 1 / 200


@pytest.fixture(autouse=True, scope="session")
def quick_idle_looks() -> Iterator[None]:
    import textual._wait
    import textual.screen

    known = ("SLEEP_GRANULARITY", "SLEEP_IDLE")
    assert all(hasattr(textual._wait, name) for name in known) and hasattr(textual.screen, "UPDATE_PERIOD"), (
        "Textual's Pilot no longer waits with textual._wait.SLEEP_GRANULARITY / SLEEP_IDLE, or a screen's "
        "frame is not textual.screen.UPDATE_PERIOD: "
        "re-check tests/conftest.py quick_idle_looks against the installed Textual"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textual._wait, "SLEEP_GRANULARITY", IDLE_LOOK)
        patch.setattr(textual._wait, "SLEEP_IDLE", IDLE_LOOK / 20)
        patch.setattr(textual.screen, "UPDATE_PERIOD", IDLE_LOOK)
        yield


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text fields do not blink in tests (a blink would make screenshots differ run to run)."""
    from textual.widgets import Input

    init = Input.__init__

    def still(self: Input, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", still)
