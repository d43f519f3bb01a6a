"""Faults, hostile input and load (issue 5), from the station's side.

The real embedded server runs in-process behind `Hostile` (tests/ui/hostile.py), which passes
every request through unless a test makes it misbehave: a wire that is cut, a server that is
slow, answers 500, sends a body that is not JSON or not of the contract's shape, or one job
station cannot read. What the person sees is read off the screen; what the server holds, off
its store.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from rich.text import Text
from textual.widgets import Input

from station.api.client import StationClient
from station.config import Settings
from station.ui.app import StationApp
from station.ui.faults import Backoff
from station.ui.modals import ReleaseConfirm
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen
from station.ui.widgets.job_table import JobTable

from .conftest import build_station
from .hostile import FaultyWire, Hostile
from .support import audit, balance, go_to, job, log_in, names, settle, shown, table, until

ALICE = 7
QUICK = 0.2  # seconds between quiet refreshes, for the tests that wait for one


@pytest.fixture
def hostile(app: Any) -> Hostile:
    return Hostile(app)


@pytest.fixture
def faulty(hostile: Hostile) -> FaultyWire:
    return FaultyWire(hostile)


@pytest.fixture
def make(faulty: FaultyWire, clock: Any):
    """A `StationApp` over the faulty wire; retries 0.05, 0.1, 0.2 … s apart (capped at 0.2). Its
    quiet refresh waits an hour unless a test that needs one asks for `refresh_interval=QUICK`."""

    def build(*, timeout: float = 10.0, refresh_interval: float = 3600, **options: Any) -> StationApp:
        def connect() -> StationClient:
            return StationClient("http://station.test", transport=faulty, timeout=timeout)

        return build_station(
            connect, clock, refresh_interval=refresh_interval, retry_backoff=(0.05, 0.2), **options
        )

    return build


def other(app: Any) -> StationClient:
    """Someone else at another station, on a wire of their own that never fails."""
    return StationClient("http://station.test", transport=httpx.ASGITransport(app=app))


async def enter_pin(pilot, pin: str = "1234") -> None:
    await until(pilot, lambda: pilot.app.screen.query_one("#secret"), "the login screen")
    pilot.app.screen.query_one("#secret", Input).value = pin
    await pilot.press("enter")


# --- the print server cannot be reached ---------------------------------------------------------


async def test_unreachable_at_login_says_so_and_logs_in_once_it_is_back(make, faulty):
    faulty.down = True
    async with make().run_test(size=(100, 30)) as pilot:
        await enter_pin(pilot)
        await until(pilot, lambda: "NO CONNECTION" in shown(pilot, "#offline"), "the banner")
        banner = shown(pilot, "#offline")
        assert "cannot be reached" in banner and "Trying again in" in banner
        assert "waiting for the print server" in shown(pilot, "#login-message")
        assert isinstance(pilot.app.screen, LoginScreen)
        faulty.down = False  # the server is back: the same login goes through, no key pressed
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the job list")
        await until(pilot, lambda: table(pilot).row_count == 7, "the rows")
        assert shown(pilot, "#offline") == ""


async def test_escape_stops_a_login_that_waits_for_the_server(make, faulty):
    """The test above is its positive control: without Escape, the login goes through once the
    server is back."""
    faulty.down = True
    async with make().run_test() as pilot:
        await enter_pin(pilot)
        await until(pilot, lambda: "Trying again" in shown(pilot, "#offline"), "the banner")
        await pilot.press("escape")
        await until(pilot, lambda: "Stopped trying" in shown(pilot, "#login-message"), "stopped")
        screen = pilot.app.screen
        assert not screen.busy and not screen.query_one("#secret", Input).disabled
        assert screen.query_one("#secret", Input).value == ""  # the PIN is not kept
        faulty.down = False
        # The retries live in the login's worker: once it has ended, nothing can try again (had
        # Escape not stopped it, it would end by logging in, on the server that is back).
        await pilot.app.workers.wait_for_complete()
        assert isinstance(pilot.app.screen, LoginScreen)
        assert not any(path == "/api/auth/token" for _, path in faulty.requests)


async def test_unreachable_mid_session_keeps_the_screen_and_recovers_on_its_own(make, faulty, app):
    async with make(refresh_interval=QUICK).run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        flyer, board = job(app, "Flyer.pdf")["id"], job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, flyer)
        await pilot.press("space")
        await go_to(pilot, board)
        faulty.down = True  # the next quiet refresh finds no server
        await until(pilot, lambda: "NO CONNECTION" in shown(pilot, "#offline"), "the banner")
        assert "cannot be reached" in shown(pilot, "#offline")
        assert "jobs and selection are kept" in shown(pilot, "#offline")
        assert table(pilot).row_count == 7 and screen.selected == {flyer}
        assert table(pilot).cursor_job_id == board
        async with other(app) as elsewhere:  # meanwhile a job arrives
            await elsewhere.login_pin("1234")
            menu = await elsewhere.spool(queue="direct", owner="alice", name="Menu.pdf", job_info={"pageCount": 1})
        faulty.down = False  # back: the next retry (no key pressed) brings the list up to date
        await until(pilot, lambda: menu in screen.jobs, "the list refreshed")
        await until(pilot, lambda: shown(pilot, "#offline") == "", "the banner gone")
        assert "Connected again" in shown(pilot, "#status")
        assert "Menu.pdf" in names(pilot)
        assert screen.selected == {flyer} and table(pilot).cursor_job_id == board
        assert isinstance(pilot.app.screen, JobsScreen)


async def test_retries_back_off_and_stop_growing_at_the_cap(make, faulty):
    async with make(refresh_interval=QUICK).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        faulty.down = True
        await until(pilot, lambda: len(faulty.refused) >= 5, "five tries")
        assert "Trying again in 0.2 s" in shown(pilot, "#offline")  # the cap, not 0.8 s
        assert pilot.app.is_running and table(pilot).row_count == 7


def test_backoff_doubles_up_to_its_cap_and_starts_again_after_a_success():
    backoff = Backoff()
    assert [backoff.next() for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.waited == 91
    backoff.reset()
    assert backoff.next() == 1


# --- a slow server --------------------------------------------------------------------------------


async def test_a_slow_server_shows_it_waits_keys_still_work_and_it_times_out(make, hostile, faulty, app):
    hostile.hold("PATCH", "/v3/jobs")  # no answer: station's own timeout ends the wait
    async with make(timeout=6).run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await pilot.press("f")  # favourite: the server takes its time
        await until(pilot, lambda: "waiting for the print server" in shown(pilot, "#status"), "the spinner")
        await pilot.press("down", "space")  # the table still answers
        below = table(pilot).cursor_job_id
        assert below != board and screen.selected == {below}
        await pilot.press("escape")  # a change that was sent cannot be called back: said so
        assert "cannot be stopped" in shown(pilot, "#status")
        assert faulty.reading() == [6]  # the change waits with station's own read timeout ...
        faulty.time_out()  # ... and its 6 seconds pass (driven, not waited for)
        await until(pilot, lambda: "did not answer in time" in shown(pilot, "#status"), "the timeout")
        assert "does not answer in time" in shown(pilot, "#offline")  # and station tries again
        assert job(app, "Board minutes.pdf")["favorite"] == 0
        assert pilot.app.is_running


def key_bar(pilot) -> list[str]:
    return [str(key.description) for key in pilot.app.screen.query("FooterKey")]


async def test_a_slow_login_can_be_stopped(make, hostile):
    hostile.slow("POST", "/auth/token", 5)
    async with make(timeout=3).run_test() as pilot:
        await enter_pin(pilot)
        assert "stop trying" not in key_bar(pilot)  # not for the moment a quick login takes
        await until(pilot, lambda: "waiting for the print server" in shown(pilot, "#login-message"), "the spinner")
        await until(pilot, lambda: "stop trying" in key_bar(pilot), "Escape's key, once the wait is long")
        await pilot.press("escape")
        await until(pilot, lambda: "Stopped trying" in shown(pilot, "#login-message"), "stopped")
        assert isinstance(pilot.app.screen, LoginScreen)
        assert "stop trying" not in key_bar(pilot)


async def test_escape_stops_a_login_before_its_key_shows(make, hostile):
    hostile.slow("POST", "/auth/token", 5)
    async with make(timeout=3).run_test() as pilot:
        await enter_pin(pilot)
        await pilot.press("escape")  # at once: the key bar does not show it yet
        await until(pilot, lambda: "Stopped trying" in shown(pilot, "#login-message"), "stopped")
        assert not pilot.app.screen.busy


# --- answers station cannot use ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (500, {"code": 500, "message": "[bold]Disk full[/bold]\x1b[2J", "data": [{"reason": "server_error"}]},
         "The print server had a problem (500): [bold]Disk full[/bold]"),
        (502, "<html><body>Bad gateway</body></html>", "The print server had a problem (502)."),
        (200, "this is not JSON", "The print server sent an answer station cannot read."),
        (200, {"jobs": {"not": "a list"}, "count": 1}, "The print server sent an answer station cannot read."),
    ],
    ids=["500-json", "502-html", "not-json", "wrong-shape"],
)
async def test_bad_answers_are_said_in_words_and_the_rows_stay(make, hostile, status, body, said):
    async with make(refresh_interval=QUICK).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        hostile.answer("GET", "/v3/jobs", status, body)  # what the next quiet refresh gets
        await until(pilot, lambda: said in shown(pilot, "#status"), "the words")
        status_line = pilot.app.screen.query_one("#status")
        assert "\x1b" not in shown(pilot, "#status")
        assert status_line.has_class("-error")
        assert table(pilot).row_count == 7


async def test_a_me_that_cannot_be_read_counts_as_absent_and_nobody_is_made_up(make, hostile):
    """Contract 7.3: a profile reply that does not parse means the server has not got it. The
    jobs show; no name or balance is shown that the server did not give (it used to refuse)."""
    hostile.answer("GET", "/v3/users/me", 200, {"id": "seven", "username": None})
    async with make().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert table(pilot).row_count == 7
        who = shown(pilot, "#who")
        assert "Alice" not in who and "12.50" not in who and "no limit" not in who
        assert "balance not known" in who


async def test_one_job_that_cannot_be_read_is_reported_and_the_others_shown(make, hostile, app):
    board = job(app, "Board minutes.pdf")["id"]

    def spoil(body: dict[str, Any]) -> dict[str, Any]:
        for item in body["jobs"]:
            if item["id"] == board:
                item["pageCount"] = "many"
        return body

    hostile.change("GET", "/v3/jobs", spoil)
    async with make(refresh_interval=QUICK).run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        assert table(pilot).row_count == 6 and board not in screen.jobs
        assert "1 job could not be read and is not shown" in shown(pilot, "#unreadable")
        hostile.rules.clear()  # mended: the next refresh shows it, and the warning goes
        await until(pilot, lambda: table(pilot).row_count == 7, "the mended job")
        assert shown(pilot, "#unreadable") == ""


# --- the session ends under an action ------------------------------------------------------------------


async def test_an_expired_token_is_renewed_and_the_action_done(make, faulty, app, clock):
    async with make().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        clock.advance(minutes=31)  # the access token (30 min) is gone; the session is not
        faulty.reset()
        await pilot.press("f")
        await settle(pilot)
        assert job(app, "Board minutes.pdf")["favorite"] == 1
        assert "is now a favourite" in shown(pilot, "#status")
        assert [path for _, path in faulty.requests] == ["/api/v3/jobs", "/api/auth/token", "/api/v3/jobs"]


async def test_a_session_past_its_end_goes_to_login_with_the_reason_and_changes_nothing(make, app, clock):
    async with make().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await pilot.press("space")
        clock.advance(hours=13)  # past the login session: the refresh token is refused too
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen), "the login screen")
        assert "session has ended" in shown(pilot, "#login-message")
        assert job(app, "Board minutes.pdf")["state"] == "ready"
        assert balance(app, ALICE) == Decimal("12.50") and audit(app, "release") == []


# --- one release, however often the key is pressed ---------------------------------------------------------


async def test_release_pressed_again_while_one_is_in_flight_sends_one_process(make, hostile, app):
    answer = hostile.hold("POST", "/v3/jobs/process")
    async with make().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        await pilot.press("enter", "enter", "r", "r", "enter")  # impatient, while the first is held
        await until(pilot, lambda: hostile.count("POST", "/v3/jobs/process") >= 1, "the release sent")
        assert "Releasing 1 job" in shown(pilot, "#status")  # "Please wait: …", or the spinner
        assert not isinstance(pilot.app.screen, ReleaseConfirm)
        answer.set()  # every key above was handled while the first release had no answer
        await until(pilot, lambda: "Printing 1 job" in shown(pilot, "#progress"), "the release")
        assert hostile.count("POST", "/v3/jobs/process") == 1
        assert len(audit(app, "release")) == 1 and balance(app, ALICE) == Decimal("12.26")


async def test_a_release_that_lost_a_race_is_explained_and_the_list_refreshed(make, app):
    flyer = job(app, "Flyer.pdf")["id"]
    async with make().run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        await go_to(pilot, flyer)
        async with other(app) as elsewhere:  # the same person, at the next station, is quicker
            await elsewhere.login_pin("1234")
            await elsewhere.process([flyer], owner="alice")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: flyer not in screen.jobs, "the list refreshed")
        said = shown(pilot, "#status")
        assert "Someone released or changed these jobs meanwhile" in said
        assert "nothing was released or charged" in said
        assert "Flyer.pdf" not in names(pilot)
        assert len(audit(app, "release")) == 1  # the other station's, charged once
        assert balance(app, ALICE) == Decimal("8.30")  # 12.50 - 4.20


# --- hostile text ------------------------------------------------------------------------------------


HOSTILE = {
    "markup": "[bold red]PAID[/] [link=http://evil.example]here[/link]",
    "ansi": "\x1b[31mred\x1b[0m\x1b[2J\x07bell\x08.pdf",
    "osc": "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \x1b]0;owned\x07title.pdf",
    "controls": "tab\there\nnew\rline\x00nul\x7fdel.pdf",
    "rtl": "\u202eexe.fdp\u202c שלום עולם مرحبا.pdf",
    "wide": "報告書第３四半期の売上とコスト分析の全資料.pdf",
    "emoji": "🖨️ Tickets 👩\u200d👩\u200d👧 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉.pdf",
    "long": "L" * 10_000,
}
SHOWN = {  # what the name cell shows (cut to its width): escape sequences gone, controls as spaces
    "markup": HOSTILE["markup"],
    "ansi": "red bell .pdf",
    "osc": "click title.pdf",
    "controls": "tab here new line nul del.pdf",
    "rtl": "exe.fdp  שלום עולם مرحبا.pdf",
    "wide": HOSTILE["wide"],
    "emoji": HOSTILE["emoji"],
    "long": HOSTILE["long"],
}


async def spool_hostile(app: Any, hostile: Hostile) -> dict[str, int]:
    """Dave's jobs, one per hostile name (the 10,000 characters arrive as the server says)."""
    ids: dict[str, int] = {}
    async with other(app) as dave:
        await dave.login_pin("9012")
        for key, name in HOSTILE.items():
            spooled = name if key != "long" else "LONG"
            ids[key] = await dave.spool(queue="direct", owner="dave", name=spooled, job_info={"pageCount": 1})

    def lengthen(body: dict[str, Any]) -> dict[str, Any]:
        for item in body.get("jobs", []):
            if item.get("name") == "LONG":
                item["name"] = HOSTILE["long"]
        return body

    hostile.change("GET", "/v3/jobs", lengthen)
    return ids


def styles(text: Text) -> list[str]:
    return [str(span.style) for span in text.spans] + ([str(text.style)] if text.style else [])


async def test_hostile_names_show_literally_and_the_layout_holds(make, hostile, app):
    ids = await spool_hostile(app, hostile)
    async with make().run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "9012")
        grid = pilot.app.screen.query_one(JobTable)
        widths = [width for _column, width in grid.columns_shown]
        for key, job_id in ids.items():
            name = grid.cell(job_id, "name")
            visible = name.plain.strip()
            assert len(visible) > 8 and SHOWN[key].startswith(visible.removesuffix("…")), (key, visible)
            assert not any(ch in name.plain for ch in "\x1b\x07\x00\x08\r\n\t\u202e\u202c"), key
            assert styles(name) == [], key  # no colour, no bold, no link: what the server sent is not markup
            cells = grid.cells(job_id)
            assert [c.cell_len for c in cells] == widths, key  # every cell exactly its column's width
        long = grid.cell(ids["long"], "name").plain
        assert long.rstrip().endswith("…") and len(long) < 80
        wide = grid.cell(ids["wide"], "name").plain
        assert wide.rstrip().endswith("…")
        # The status line, the confirmation and the progress panel carry the name too.
        await go_to(pilot, ids["markup"])
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        assert "[bold red]PAID[/]" in shown(pilot, ".row")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs")
        await go_to(pilot, ids["long"])
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the confirmation")
        first = shown(pilot, ".row").splitlines()[0]
        assert first.split()[0] == "Jobs" and first.endswith("…") and len(first) < 80  # cut, not 10,000 long
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs")
        await pilot.press("f")
        await settle(pilot)
        assert shown(pilot, "#status").endswith("… is now a favourite.")


async def test_server_messages_are_shown_as_text_not_markup(make, hostile):
    hostile.answer("POST", "/auth/token", 401, {
        "code": 401, "message": "[reverse]Wrong[/reverse] \x1b]8;;http://x\x07login\x1b]8;;\x07",
        "data": [{"reason": "invalid_login"}],
    })
    async with make().run_test() as pilot:
        await enter_pin(pilot)
        await until(pilot, lambda: "Wrong" in shown(pilot, "#login-message"), "the refusal")
        assert shown(pilot, "#login-message") == "[reverse]Wrong[/reverse] login"


# --- TLS ------------------------------------------------------------------------------------------------


async def test_insecure_warns_on_every_screen(make):
    async with make(settings=Settings(insecure=True)).run_test(size=(100, 30)) as pilot:
        assert "TLS certificate checks are off" in shown(pilot, "#tls")
        assert shown(pilot, "#tls").startswith("WARNING")
        await log_in(pilot)
        assert "TLS certificate checks are off" in shown(pilot, "#tls")


async def test_no_warning_when_certificates_are_checked(make):
    async with make().run_test() as pilot:
        assert shown(pilot, "#tls") == ""


async def test_a_real_server_stopped_and_started_again_is_found_again(tmp_path, clock):
    """Over a real socket: uvicorn stops, the banner says so, the same server comes back on the
    same port and database file, and the station carries on without a restart."""
    from station.server.app import ServerSettings
    from station.server.run import EmbeddedServer

    settings = ServerSettings(db=str(tmp_path / "station.db"), seed="demo", clock=clock)
    server = EmbeddedServer(settings).start()
    port = server.port
    ui = build_station(
        lambda: StationClient(server.base_url, timeout=2), clock, refresh_interval=QUICK, retry_backoff=(0.05, 0.2)
    )
    try:
        async with ui.run_test(size=(100, 30)) as pilot:
            screen = await log_in(pilot)
            await pilot.press("space")
            chosen = set(screen.selected)
            server.stop()  # the next quiet refresh finds no server
            await until(pilot, lambda: "cannot be reached" in shown(pilot, "#offline"), "the banner")
            server = EmbeddedServer(settings, port=port).start()
            await until(pilot, lambda: shown(pilot, "#offline") == "", "the banner gone")
            assert "Connected again" in shown(pilot, "#status")
            assert screen.selected == chosen and table(pilot).row_count == 7
    finally:
        server.stop()
