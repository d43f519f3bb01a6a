"""Kiosk mode: idle logout with a countdown, the wipe, no way out but the admin PIN or a signal,
logout after a release, masked names, fit my balance, the high-contrast theme.

Kiosk seconds are shrunk (`idle_scale`): a 20-second idle timeout lasts a second here.
Whether a session was revoked is read from the server's database, never from the client's insides.
"""

from __future__ import annotations

import asyncio
import os
import signal
from decimal import Decimal
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widget import Widget

from station.api.models import Job
from station.config import Settings
from station.format import NAME_IN_TEXT
from station.server.seed import ALICE, HANDOUT, JOBS
from station.ui.fit import fit_balance
from station.untrusted import plain
from station.ui.kiosk import AFTER_PRINTED, HIGH_CONTRAST_NAME, AdminExit, IdleWarning
from station.ui.messages import LogoutRequested
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen

from .support import job, log_in, names, settle, shown, store, table, text, until

SCALE = 0.05  # real seconds per kiosk second
ALICE_JOBS = [name for owner, name, *_ in JOBS if owner == ALICE]
ALICE_TRACES = ["Alice", "alice@", "12.50", *ALICE_JOBS]


def kiosk(**values: Any) -> Settings:
    return Settings(kiosk=True, **{"idle_timeout": 20, **values})




def open_sessions(server: Any, user_id: int = ALICE) -> int:
    """The sessions of this user the server still honours (not revoked)."""
    with store(server).read() as db:
        return db.one("SELECT count(*) FROM sessions WHERE user_id = ? AND revoked = 0", (user_id,))[0]


def footer(pilot: Any) -> dict[str, str]:
    """The keys in the footer: key shown → description."""
    return {key.key_display or key.key: key.description for key in pilot.app.screen.query("FooterKey")}


def dom_text(app: Any) -> str:
    """Every widget's text on every screen of the app."""
    parts = []
    for screen in app.screen_stack:
        for widget in [screen, *screen.walk_children(Widget)]:
            try:
                parts.append(text(widget))
            except Exception:  # containers render nothing readable
                pass
    return "\n".join(parts)


def traces(root: Any, needles: list[str], limit: int = 400_000) -> list[str]:
    """Where any of `needles` is still held in the object graph under `root` (app state)."""
    found: list[str] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(root, "app")]
    while stack and len(seen) < limit:
        obj, path = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, type(os), int, float, bool, bytes)) or obj is None:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found += [f"{path}: {needle!r}" for needle in needles if needle in obj]
            continue
        if isinstance(obj, dict):
            items = [(f"{path}[{key!r}]", value) for key, value in obj.items()]
            items += [(f"{path}.key", key) for key in obj]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            items = [(f"{path}[{i}]", value) for i, value in enumerate(obj)]
        else:
            items = [(f"{path}.{name}", value) for name, value in getattr(obj, "__dict__", {}).items()]
            for name in getattr(type(obj), "__slots__", ()):
                if isinstance(name, str) and hasattr(obj, name):
                    items.append((f"{path}.{name}", getattr(obj, name)))
        if callable(obj) and not hasattr(obj, "__dict__"):
            continue
        stack.extend((value, where) for where, value in items)
    return found


# --- idle logout ------------------------------------------------------------------------------


def idle_for(ui: Any, seconds: int) -> None:
    """Kiosk seconds pass with no key and no click (the tests tick the idle count themselves)."""
    for _ in range(seconds):
        ui.kiosk.idle.tick()


async def test_idle_logout_counts_down_then_logs_out_and_revokes(station, app):
    ui = station(settings=kiosk(), idle_scale=0.15)  # the real timer: 20 kiosk seconds are 3 s
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert open_sessions(app) == 1
        await until(pilot, lambda: "Logging out in" in shown(pilot, "#idle-left"), "the countdown")
        assert "Press any key or click to stay." in dom_text(ui)
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await settle(pilot)
        assert "logged out after 20 seconds without a key or a click" in shown(pilot, "#login-message")
    assert open_sessions(app) == 0


async def test_nobody_logged_in_nothing_counts_down(station):
    """The same kiosk seconds pass on the login screen as would log a person out: the count
    stays at the top (the test above is its positive control: the same ticks log out)."""
    ui = station(settings=kiosk(), idle_scale=1000)
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        idle_for(ui, 25)
        await pilot.pause()
        assert ui.kiosk.idle.left == 20 and isinstance(ui.screen, LoginScreen)
        await log_in(pilot)
        idle_for(ui, 11)
        assert ui.kiosk.idle.left == 9  # logged in, the same ticks count


async def test_the_countdown_shows_the_last_ten_seconds_and_a_key_stays(station, app):
    ui = station(settings=kiosk(), idle_scale=1000)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        idle_for(ui, 9)
        await pilot.pause()
        assert isinstance(ui.screen, JobsScreen)  # 11 seconds left: no countdown yet
        idle_for(ui, 1)
        await until(pilot, lambda: shown(pilot, "#idle-left") == "Logging out in 10 seconds", "the countdown")
        idle_for(ui, 3)
        await pilot.pause()
        assert shown(pilot, "#idle-left") == "Logging out in 7 seconds"
        await pilot.press("r")  # would release, were it not the key that says "I am here"
        await until(pilot, lambda: isinstance(ui.screen, JobsScreen), "the jobs again")
        await settle(pilot)
        assert not ui.screen.query("#yes")  # no release question: the key only cancelled
        assert ui.kiosk.idle.left == 20
        assert job(app, "Board minutes.pdf")["state"] == "ready"
        idle_for(ui, 12)
        await until(pilot, lambda: ui.screen.query("#idle-box"), "the next countdown")
        await pilot.click("#idle-box")  # a click stays too
        await until(pilot, lambda: isinstance(ui.screen, JobsScreen), "the jobs again")
        idle_for(ui, 19)
        await pilot.press("down")  # any key starts the count again
        idle_for(ui, 19)
        await pilot.pause()
        assert isinstance(ui.screen, IdleWarning) and shown(pilot, "#idle-left") == "Logging out in 1 second"
        idle_for(ui, 1)
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the logout")


# --- the wipe ---------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["idle", "key"])
async def test_logout_leaves_no_trace_of_the_person(station, app, how):
    ui = station(settings=kiosk(), idle_scale=1000)
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        assert "Alice Martin" in dom_text(ui)
        assert traces(ui, ALICE_TRACES) != []  # the positive control: the search finds her
        assert open_sessions(app) == 1
        await pilot.press("space", "b")  # a selection, totals, a status line with names
        if how == "key":
            await pilot.press("l")
        else:
            idle_for(ui, 20)
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await settle(pilot)
        assert screen.jobs == {} and screen.selected == set()  # the session: no trace below
        seen = dom_text(ui)
        assert not [needle for needle in ALICE_TRACES if needle in seen], seen
        assert traces(ui, ALICE_TRACES) == []
        assert traces(screen, ALICE_TRACES) == []  # the old screen, were anything to hold it
        assert ui.session is None
    assert open_sessions(app) == 0


# --- no way out -----------------------------------------------------------------------------


async def test_quit_keys_and_the_palette_do_nothing_in_a_kiosk(station):
    ui = station(settings=kiosk())
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("ctrl+q", "ctrl+c", "ctrl+p", "ctrl+z")
        await pilot.pause()
        assert ui.is_running and ui.return_code is None
        assert not CommandPalette.is_open(ui)
        await log_in(pilot)
        await pilot.press("ctrl+q", "ctrl+c", "ctrl+p")
        await pilot.pause()
        assert ui.is_running and isinstance(ui.screen, JobsScreen)
        assert "quit" not in footer(pilot).values() and "fit my balance" in footer(pilot).values()


async def test_outside_a_kiosk_ctrl_q_quits(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not ui.is_running


def notes(pilot: Any) -> str:
    """The notifications on show, as text."""
    return shown(pilot, "Toast")


async def test_admin_exit_needs_the_right_pin_and_a_wrong_one_may_be_typed_again(station, wire):
    ui = station(settings=kiosk(admin_exit_pin="4711"))
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        assert footer(pilot)["F10"] == "admin exit"
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(ui.screen, AdminExit))
        field = ui.screen.query_one("#admin-pin")
        assert field.password  # masked
        requests = len(wire.requests)
        await pilot.press(*"1111", "enter")
        await until(pilot, lambda: "Wrong admin PIN" in shown(pilot, "#admin-message"), "the refusal")
        assert isinstance(ui.screen, AdminExit) and ui.is_running  # still open: the retry goes here
        assert field.value == "" and field.has_focus
        assert "4711" not in dom_text(ui) and "1111" not in dom_text(ui)
        await pilot.press(*"4711", "enter")
        await pilot.pause()
        assert not ui.is_running
    assert ui.return_code == 0
    assert len(wire.requests) == requests  # no PIN went to the print server as somebody's login


async def test_three_wrong_admin_pins_rest_the_admin_exit(station):
    ui = station(settings=kiosk(admin_exit_pin="4711"))
    async with ui.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(ui.screen, AdminExit))
        await pilot.press(*"1111", "enter", *"2222", "enter", *"3333", "enter")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the dialog to close")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(ui.screen, LoginScreen) and ui.is_running  # resting: no dialog
        await until(pilot, lambda: "Admin exit rests for 60 seconds after 3 wrong PINs" in notes(pilot), "the notice")


async def test_without_a_pin_f10_says_how_the_kiosk_ends(station):
    ui = station(settings=kiosk())
    async with ui.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        assert "F10" not in footer(pilot)  # not offered ...
        await pilot.press("f10")  # ... but it answers
        await until(pilot, lambda: notes(pilot), "a notification")
        assert isinstance(ui.screen, LoginScreen)
        assert "This kiosk has no admin exit (setting admin_exit_pin): close its terminal to end it." in notes(pilot)


async def test_no_admin_exit_once_logged_in(station):
    ui = station(settings=kiosk(admin_exit_pin="4711"))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(ui.screen, JobsScreen)


async def test_sighup_ends_the_session_and_the_app(station, app):
    ui = station(settings=kiosk(), idle_scale=100)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert open_sessions(app) == 1
        assert signal.SIGHUP in asyncio.get_running_loop()._signal_handlers  # else the kill ends pytest
        os.kill(os.getpid(), signal.SIGHUP)
        await until(pilot, lambda: not ui.is_running, "the app to end")
    assert ui.return_code == 129
    assert signal.SIGHUP not in asyncio.get_running_loop()._signal_handlers
    assert open_sessions(app) == 0


# --- logout after a release -------------------------------------------------------------------


async def test_a_kiosk_logs_out_once_the_release_has_printed(station, app, clock):
    # The idle logout is not what is tested: it must not come first however slow the machine.
    ui = station(settings=kiosk(idle_timeout=3600), idle_scale=SCALE * 2)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("r")  # Board minutes.pdf, the newest
        await until(pilot, lambda: ui.screen.query("#yes"), "the release question")
        await pilot.press("enter")
        await until(pilot, lambda: "Printing 1 job" in shown(pilot, "#progress"), "the progress")
        clock.advance(minutes=5)
        await until(pilot, lambda: "Printed 1 of 1 job" in shown(pilot, "#progress"), "printed")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the logout")
        await settle(pilot)
        assert "You are logged out" in shown(pilot, "#login-message")
    assert job(app, "Board minutes.pdf")["state"] == "printed"


@pytest.mark.parametrize("kiosk_mode", [True, False])
async def test_only_a_kiosk_logs_out_after_a_release(station, clock, kiosk_mode):
    """The same release, printed, kiosk or not: the kiosk logs out (the positive control), a
    station outside a kiosk keeps the session once the kiosk's wait has passed."""
    ui = station(settings=Settings(kiosk=kiosk_mode, idle_timeout=3600), idle_scale=SCALE)
    logged_out = asyncio.Event()
    async with ui.run_test(size=(100, 30), message_hook=lambda message: logged_out.set()
                           if isinstance(message, LogoutRequested) else None) as pilot:
        await log_in(pilot)
        await pilot.press("r")
        await until(pilot, lambda: ui.screen.query("#yes"), "the release question")
        await pilot.press("enter")
        clock.advance(minutes=5)
        await until(pilot, lambda: "Printed 1 of 1 job" in shown(pilot, "#progress"), "printed")
        if kiosk_mode:
            await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the logout")
            await settle(pilot)
            assert ui.session is None and "You are logged out" in shown(pilot, "#login-message")
        else:
            waited = AFTER_PRINTED * SCALE * 3  # three times what a kiosk waits
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(logged_out.wait(), waited)
            assert isinstance(ui.screen, JobsScreen) and ui.session is not None


# --- masked names ---------------------------------------------------------------------------


async def test_masked_names_show_only_when_the_owner_asks(station):
    ui = station(settings=Settings(mask_job_names=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert {name.removesuffix(" (?)") for name in names(pilot)} == {"••••••"}
        assert not [name for name in ALICE_JOBS if name in dom_text(ui)]
        assert footer(pilot)["n"] == "show/hide names"
        await pilot.press("n")
        assert "Board minutes.pdf" in names(pilot)
        await pilot.press("n")
        assert {name.removesuffix(" (?)") for name in names(pilot)} == {"••••••"}
        await pilot.press("d")  # a status line about a job keeps its name masked
        await settle(pilot)
        assert "now 2-sided" in shown(pilot, "#status") and "Board minutes" not in shown(pilot, "#status")


async def test_without_the_setting_names_show_and_n_is_not_offered(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert "Board minutes.pdf" in names(pilot)
        assert "n" not in footer(pilot) and footer(pilot)["b"] == "fit my balance"


# --- fit my balance -------------------------------------------------------------------------


def jobs_costing(*costs: str, paused: int | None = None) -> list[Job]:
    return [
        Job(id=i, name=f"job{i}.pdf", cost=Decimal(cost), state="paused" if i == paused else "ready")
        for i, cost in enumerate(costs)
    ]


def test_fit_takes_the_most_jobs_then_the_most_money():
    jobs = jobs_costing("0.50", "0.30", "0.30", "0.45", "2.00")
    fit = fit_balance(jobs, Decimal("0.80"))
    assert sorted(job.cost for job in fit.chosen) == [Decimal("0.30"), Decimal("0.50")]
    assert sum(job.cost for job in fit.chosen) == Decimal("0.80")
    fit = fit_balance(jobs, Decimal("1.05"))  # three jobs fit: 0.30 + 0.30 + 0.45
    assert sorted(job.id for job in fit.chosen) == [1, 2, 3]
    assert [job.id for job in fit.too_dear] == [0, 4]


def test_fit_without_a_limit_takes_every_job_but_the_paused_ones():
    fit = fit_balance(jobs_costing("9.00", "1.00", "3.00", paused=1), None)
    assert [job.id for job in fit.chosen] == [0, 2]
    assert [job.id for job in fit.paused] == [1]
    assert fit_balance(jobs_costing("1.00"), Decimal("0.50")).chosen == []


def test_fit_many_jobs_stays_quick_and_within_the_balance():
    jobs = jobs_costing(*[f"{(i * 37) % 500 / 100:.2f}" for i in range(500)])
    fit = fit_balance(jobs, Decimal("300.00"))
    assert sum(job.cost for job in fit.chosen) <= Decimal("300.00")
    cheapest = sorted(job.cost for job in jobs)
    most = max(n for n in range(len(cheapest) + 1) if sum(cheapest[:n]) <= Decimal("300"))
    assert len(fit.chosen) == most


async def test_fit_my_balance_selects_what_bob_can_pay_and_says_what_was_left_out(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot, "5678")  # bob: 0.80 EUR of credit
        await pilot.press("b")
        chosen = {screen.jobs[job_id].name for job_id in screen.selected}
        assert chosen == {"Shipping labels.pdf", "Parking permit.pdf", "Invoice INV-0412.pdf"}
        status = shown(pilot, "#status")
        assert "Selected 3 jobs for 0.52 EUR" in status
        assert f"Left out: {plain(HANDOUT, limit=NAME_IN_TEXT)} (1.44 EUR) — not enough credit" in status
        assert "✓ 3 selected" in shown(pilot, "#totals")


async def test_fit_my_balance_leaves_out_a_paused_job_in_words(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)  # alice: 12.50 EUR, one job waits for an answer
        await pilot.press("b")
        assert len(screen.selected) == len(screen.jobs) - 1
        assert "Campaign slides.pptx (?) — a question waits" in shown(pilot, "#status")
        assert all("✓" in table(pilot).cells(job_id)[0].plain for job_id in screen.selected)


# --- high contrast ----------------------------------------------------------------------------


async def test_the_high_contrast_theme_applies(station):
    ui = station(settings=Settings(theme="high-contrast"))
    async with ui.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert ui.theme == HIGH_CONTRAST_NAME
        assert ui.screen.styles.background.rgb == (0, 0, 0)
        assert table(pilot).styles.background.rgb == (0, 0, 0)
    ui = station()
    async with ui.run_test(size=(80, 24)) as pilot:
        assert ui.theme != HIGH_CONTRAST_NAME
