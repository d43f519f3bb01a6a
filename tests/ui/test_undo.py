"""The undo window (issue 14 item 2), on the real embedded server: a confirmed release or cancel
waits `undo_seconds` with "Undo (u)" and a countdown; nothing reaches the server before it
passes; `u` takes it back. A logout (l, idle, SIGHUP, quit) sends it at once.

Time is the app's fake clock (`clock`, shared with the server): the window passes only when a
test moves it, so "within the window" holds however slow the machine.
"""

from __future__ import annotations

import asyncio
from typing import Any

from station.config import Settings
from station.ui.messages import ReleaseStarted, SessionEnded
from station.ui.modals import CancelConfirm, HelpModal, ReleaseConfirm
from station.ui.modals.receipt import ReceiptModal
from station.ui.screens.helpdesk import HelpdeskScreen
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen

from .helpdesk_support import give_reason, open_person
from .support import balance, go_to, job, log_in, settle, shown, until
from .test_kiosk import ALICE, footer, idle_for, kiosk, open_sessions

BOARD = "Board minutes.pdf"  # the newest of alice's jobs: the first row, which `r` and `x` take
WINDOW = 8
RELEASED = ("processing", "printed")


def undo(**values: Any) -> Settings:
    return Settings(**{"undo_seconds": WINDOW, **values})


def state(app: Any, name: str = BOARD) -> str:
    return job(app, name)["state"]


def changes_sent(wire: Any) -> list[str]:
    """The requests that change jobs (releases, cancels) that reached the server."""
    return [path for method, path in wire.requests if method != "GET" and "/auth/" not in path]


async def all_done(pilot: Any) -> None:
    """Every worker has ended, however (after a session ended, the screens' workers are cancelled,
    which `settle` would raise)."""
    await until(pilot, lambda: not [worker for worker in pilot.app.workers if not worker.is_finished], "the workers")


def bar(pilot: Any) -> str:
    return shown(pilot, "#undo")


async def confirm_release(pilot: Any) -> None:
    await pilot.press("r")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReleaseConfirm), "the release question")
    await pilot.press("enter")


async def confirm_cancel(pilot: Any) -> None:
    await pilot.press("x")
    await until(pilot, lambda: isinstance(pilot.app.screen, CancelConfirm), "the cancel question")
    await pilot.press("left", "enter")  # "Keep" has the focus


async def window_open(pilot: Any) -> None:
    await until(pilot, lambda: "Undo (u)" in bar(pilot), "the undo bar")


# --- u within the window, or the window left alone --------------------------------------------


async def test_u_within_the_window_leaves_the_job_waiting_and_uncharged(station, app, wire):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        before = balance(app, ALICE)
        wire.reset()
        await confirm_release(pilot)
        await window_open(pilot)
        assert f"Releasing {BOARD} in {WINDOW} s" in bar(pilot)
        assert footer(pilot).get("u") == "undo"  # offered while it can be done
        assert changes_sent(wire) == []  # nothing was sent
        await pilot.press("u")
        await until(pilot, lambda: "Taken back" in shown(pilot, "#status"), "the undo")
        assert f"{BOARD} not released. Nothing prints and nothing is charged." in shown(pilot, "#status")
        assert not ui.screen.query_one("#undo").display
        assert "u" not in footer(pilot)
        await settle(pilot)
        assert state(app) == "ready" and balance(app, ALICE) == before
        assert changes_sent(wire) == []
        assert job(app, BOARD)["id"] in ui.screen.jobs  # still in the list
        await confirm_release(pilot)  # and it may be released again: a new window, counting from the top
        await window_open(pilot)
        assert f"Releasing {BOARD} in {WINDOW} s" in bar(pilot)


async def test_left_alone_the_release_goes_when_the_window_has_passed(station, app, clock, wire):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        before = balance(app, ALICE)
        await confirm_release(pilot)
        await window_open(pilot)
        clock.advance(seconds=WINDOW - 3)
        await until(pilot, lambda: "in 3 s" in bar(pilot), "the countdown, by the clock")
        assert state(app) == "ready"  # not yet
        clock.advance(seconds=3)
        await until(pilot, lambda: "Released 1 job" in shown(pilot, "#status"), "the release")
        assert state(app) in RELEASED
        after = balance(app, ALICE)
        assert before is not None and after is not None and after < before
        assert not ui.screen.query_one("#undo").display and "u" not in footer(pilot)
        clock.advance(minutes=5)
        await until(pilot, lambda: state(app) == "printed", "printed")


async def test_cancel_then_undo_leaves_the_job_there(station, app, wire):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        wire.reset()
        await confirm_cancel(pilot)
        await window_open(pilot)
        assert f"Canceling {BOARD}" in bar(pilot)
        await pilot.press("u")
        await until(pilot, lambda: "Taken back" in shown(pilot, "#status"), "the undo")
        assert "not canceled; still waiting for you" in shown(pilot, "#status")
        await settle(pilot)
        assert state(app) == "ready" and changes_sent(wire) == []
        assert job(app, BOARD)["id"] in ui.screen.jobs


async def test_a_cancel_left_alone_is_sent_when_the_window_has_passed(station, app, clock):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_cancel(pilot)
        await window_open(pilot)
        assert state(app) == "ready"
        clock.advance(seconds=WINDOW)
        await until(pilot, lambda: "Canceled 1 job" in shown(pilot, "#status"), "the cancel")
        assert state(app) == "canceled"


async def test_a_click_on_the_bar_undoes_too(station, app):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        await pilot.click("#undo")
        await until(pilot, lambda: "Taken back" in shown(pilot, "#status"), "the undo")
        await settle(pilot)
        assert state(app) == "ready"


async def test_without_a_window_the_release_is_sent_at_once(station, app, wire):
    """`undo_seconds = 0`: as before the window, the release goes on Enter (the clock never moves)."""
    ui = station(settings=undo(undo_seconds=0))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await until(pilot, lambda: "Released 1 job" in shown(pilot, "#status"), "the release")
        assert state(app) in RELEASED
        assert not ui.screen.query_one("#undo").display


def test_the_product_default_is_eight_seconds_and_zero_turns_it_off():
    assert Settings().undo_seconds == 8
    assert Settings(undo_seconds=0).undo_seconds == 0


# --- while the window is open --------------------------------------------------------------------


async def test_other_changes_wait_for_the_window_in_words(station, app, wire):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        wire.reset()
        await pilot.press("down", "x")  # another job: refused, no dialog
        refusal = f"Releasing {BOARD} in {WINDOW} s (u takes it back): other changes wait until it is sent."
        await until(pilot, lambda: shown(pilot, "#status") == refusal, "the refusal")
        assert isinstance(ui.screen, JobsScreen)
        await pilot.press("space")  # selecting goes on
        assert len(ui.screen.selected) == 1
        ui.screen.say("")
        await pilot.press("f")
        await until(pilot, lambda: shown(pilot, "#status") == refusal, "the refusal of f")
        assert changes_sent(wire) == [] and isinstance(ui.screen, JobsScreen)
        await pilot.press("u")
        await until(pilot, lambda: "Taken back" in shown(pilot, "#status"), "the undo")


async def test_help_lists_u_only_while_an_undo_is_possible(station):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(ui.screen, HelpModal), "the help")
        assert "undo" not in [description for _, description in ui.screen.keys]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(ui.screen, JobsScreen), "the jobs")
        await confirm_release(pilot)
        await window_open(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(ui.screen, HelpModal), "the help")
        assert ("u", "undo") in ui.screen.keys


async def test_the_bar_names_the_key_the_keymap_gives(station):
    ui = station(settings=undo(keymap={"jobs.undo": "z"}))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await until(pilot, lambda: "Undo (z)" in bar(pilot), "the undo bar")
        await pilot.press("z")
        await until(pilot, lambda: "Taken back" in shown(pilot, "#status"), "the undo")


async def test_masked_names_stay_masked_on_the_bar(station):
    ui = station(settings=undo(mask_job_names=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        assert "Board" not in bar(pilot) and "Releasing ••••••" in bar(pilot)


# --- a logout sends it at once -------------------------------------------------------------------


async def test_logging_out_during_the_window_sends_it_at_once(station, app, wire):
    ui = station(settings=undo(), idle_scale=0.01)  # the receipt at logout closes by itself
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        wire.reset()
        await pilot.press("l")  # the clock never moves: only the logout can send it
        await until(pilot, lambda: isinstance(ui.screen, (ReceiptModal, LoginScreen)), "the logout")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await all_done(pilot)
    assert state(app) in RELEASED
    sent = [path for _, path in wire.requests]
    assert sent.index("/api/v3/jobs/process") < sent.index("/api/auth/revoke")  # released, then logged out
    assert open_sessions(app) == 0


async def test_the_receipt_at_logout_has_what_the_logout_sent(station, app):
    ui = station(settings=undo(), idle_scale=1000)  # the receipt stays until a key
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(ui.screen, ReceiptModal), "the receipt")
        assert BOARD in shown(pilot, ".receipt-job")
        await pilot.press("space")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")


async def test_the_idle_logout_during_the_window_sends_it_at_once(station, app):
    ui = station(settings=kiosk(undo_seconds=WINDOW, idle_timeout=3600), idle_scale=0.01)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        idle_for(ui, 3600)
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await all_done(pilot)
    assert state(app) in RELEASED
    assert open_sessions(app) == 0


async def test_a_hang_up_during_the_window_sends_it_before_the_app_ends(station, app):
    ui = station(settings=kiosk(undo_seconds=WINDOW, idle_timeout=3600), idle_scale=100)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_cancel(pilot)
        await window_open(pilot)
        ui.hang_up()  # what SIGHUP calls (test_kiosk sends the signal itself)
        await until(pilot, lambda: not ui.is_running, "the app to end")
    assert state(app) == "canceled"
    assert open_sessions(app) == 0


async def test_quitting_during_the_window_sends_it_first(station, app):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not ui.is_running, "the app to end")
    assert state(app) in RELEASED


async def test_a_session_the_server_ended_sends_nothing_and_says_so(station, app):
    ui = station(settings=undo())
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        screen.post_message(SessionEnded("Your session has expired."))
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the login screen")
        await until(pilot, lambda: "expired" in shown(pilot, "#login-message"), "why")
        message = shown(pilot, "#login-message")
        assert "Not released: 1 job" in message and "Board" not in message  # by count: the next person reads it
        await all_done(pilot)
    assert state(app) == "ready"


# --- a kiosk that logs out after a release --------------------------------------------------------


async def test_the_kiosk_says_before_a_release_that_the_session_ends_once_it_prints(station):
    ui = station(settings=kiosk(idle_timeout=3600))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(ui.screen, ReleaseConfirm), "the release question")
        assert "Once it prints, you are logged out." in shown(pilot, ".note")


async def test_outside_a_kiosk_the_confirmation_says_nothing_of_a_logout(station):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(ui.screen, ReleaseConfirm), "the release question")
        assert "logged out" not in shown(pilot, ".note")


async def test_logout_after_release_waits_for_the_window_then_for_printing(station, app, clock):
    started = asyncio.Event()
    # The logout after a release comes at most 20 kiosk seconds (10 s here) after it: it cannot
    # be what logs out before printing, however slow the machine.
    ui = station(settings=kiosk(undo_seconds=WINDOW, idle_timeout=3600), idle_scale=0.5)
    async with ui.run_test(size=(100, 30), message_hook=lambda message: started.set()
                           if isinstance(message, ReleaseStarted) else None) as pilot:
        await log_in(pilot)
        await confirm_release(pilot)
        await window_open(pilot)
        await settle_while_open(pilot)
        assert not started.is_set() and ui.session is not None  # no clock to log out runs yet
        assert state(app) == "ready"
        clock.advance(seconds=WINDOW)
        await until(pilot, started.is_set, "the release, and the clock to log out")
        assert state(app) in RELEASED
        clock.advance(minutes=5)
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen), "the logout after printing")
        await all_done(pilot)
    assert state(app) == "printed"


async def settle_while_open(pilot: Any) -> None:
    """Let the app run a good while (many looks at the clock) with the window open."""
    for _ in range(20):
        await pilot.pause(0.01)
    assert "Undo (u)" in bar(pilot)


# --- the helpdesk acting for someone ------------------------------------------------------------


async def test_the_helpdesk_gets_the_window_the_reason_first_and_u_takes_it_back(station, app, wire):
    ui = station(settings=undo(helpdesk=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await go_to(pilot, job(app, BOARD)["id"])
        wire.reset()
        await confirm_release(pilot)
        await give_reason(pilot)  # asked now, not when the window has passed
        await window_open(pilot)
        await pilot.press("u")
        await until(pilot, lambda: "Taken back" in shown(pilot, "#status"), "the undo")
        await settle(pilot)
        assert state(app) == "ready" and changes_sent(wire) == []


async def test_the_helpdesk_leaving_during_the_window_sends_it(station, app):
    ui = station(settings=undo(helpdesk=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await open_person(pilot, "alice")
        await go_to(pilot, job(app, BOARD)["id"])
        await confirm_release(pilot)
        await give_reason(pilot)
        await window_open(pilot)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(ui.screen, HelpdeskScreen), "back to people")
        await all_done(pilot)
    assert state(app) in RELEASED
