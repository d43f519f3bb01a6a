"""The status line and the progress panel speak of what is there now (issue 14, rough edges):
a hint about a job goes when the cursor leaves it, what `b` chose goes when the selection
changes, a finished release's "balance now" goes when another account is chosen; and the
cancel dialog speaks of one job as one. And what the screen tells the App: messages, never calls."""

from __future__ import annotations

from textual.message import Message

from station.ui.messages import LogoutRequested, ReleasePrinted, ReleaseStarted, SessionEnded
from station.ui.modals import AccountPicker, CancelConfirm, ReleaseConfirm
from station.ui.screens.jobs import JobsScreen
from station.ui.modals.receipt import ReceiptModal
from station.ui.screens.login import LoginScreen

from .support import go_to, job, log_in, press_for, shown, table, until

QUESTION = "A question waits for this job"


def posted(seen: list[Message], kind: type[Message]) -> list[Message]:
    """Each message of this kind once (the hook sees it at every node it bubbles through)."""
    return list({id(message): message for message in seen if isinstance(message, kind)}.values())


async def test_a_hint_about_a_job_goes_when_the_cursor_leaves_it(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        slides = job(app, "Campaign slides.pptx")["id"]
        await go_to(pilot, slides)
        assert QUESTION in shown(pilot, "#status")  # the hint, on the (?) job
        await pilot.press("down")
        moved_to = table(pilot).cursor_job_id
        assert moved_to != slides and not pilot.app.screen.jobs[moved_to].is_paused
        assert QUESTION not in shown(pilot, "#status")
        await pilot.press("up")  # back on it: the hint again
        assert table(pilot).cursor_job_id == slides and QUESTION in shown(pilot, "#status")


async def test_what_fit_chose_goes_when_the_selection_changes(station):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("b")
        assert shown(pilot, "#status").startswith("Selected ")
        await pilot.press("down")  # the cursor moves: the selection is still the one b made
        assert shown(pilot, "#status").startswith("Selected ")
        await pilot.press("space")
        assert "Selected " not in shown(pilot, "#status")


async def test_a_finished_releases_balance_goes_when_another_account_is_chosen(station, app, clock):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: "Printing 1 job" in shown(pilot, "#progress"), "the progress")
        clock.advance(minutes=10)
        await until(pilot, lambda: "balance now Personal credit" in shown(pilot, "#progress"), "printed")
        await press_for(pilot, "c", AccountPicker)
        await pilot.press("down", "enter")  # Marketing, no limit
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs")
        await until(pilot, lambda: "Marketing (no limit)" in shown(pilot, "#who"), "the account chosen")
        assert "balance now" not in shown(pilot, "#progress")
        assert not pilot.app.screen.query_one("#progress").display


async def test_the_cancel_dialog_speaks_of_one_job_as_one(station, app):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await press_for(pilot, "x", CancelConfirm)
        dialog = shown(pilot, "#dialog Static")
        assert "It will not print, and nothing is charged." in dialog and "They" not in dialog
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the jobs")
        await pilot.press("space", "down", "space")
        await press_for(pilot, "x", CancelConfirm)
        assert "They will not print, and nothing is charged." in shown(pilot, "#dialog Static")


# --- what the screen tells the App ------------------------------------------------------------


async def test_the_screen_tells_the_app_through_messages(station, app, clock):
    seen: list[Message] = []
    async with station().run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await log_in(pilot)
        await go_to(pilot, job(app, "Board minutes.pdf")["id"])
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: any(isinstance(m, ReleaseStarted) for m in seen), "ReleaseStarted")
        assert not any(isinstance(m, ReleasePrinted) for m in seen)  # not yet: it prints
        clock.advance(minutes=10)
        await until(pilot, lambda: any(isinstance(m, ReleasePrinted) for m in seen), "ReleasePrinted")
        await press_for(pilot, "l", ReceiptModal)  # a session that released shows its receipt first
        await press_for(pilot, "space", LoginScreen)
        [logout] = posted(seen, LogoutRequested)
        assert isinstance(logout, LogoutRequested) and logout.why == "You are logged out." and not logout.error
        await until(pilot, lambda: "You are logged out." in shown(pilot, "#login-message"), "why")


async def test_a_session_the_server_ended_is_posted_with_its_reason(station, app, clock):
    seen: list[Message] = []
    async with station().run_test(size=(100, 30), message_hook=seen.append) as pilot:
        screen = await log_in(pilot)
        assert not any(isinstance(m, SessionEnded) for m in seen)
        clock.advance(hours=13)  # past the token and the login session: the server ends it
        screen.requests.refresh_now()
        await until(pilot, lambda: any(isinstance(m, SessionEnded) for m in seen), "SessionEnded")
        [ended] = posted(seen, SessionEnded)
        assert isinstance(ended, SessionEnded) and "log in again" in ended.why
        await until(pilot, lambda: ended.why in shown(pilot, "#login-message"), "the login screen, saying why")


async def test_quitting_with_someone_logged_in_ends_their_session_on_the_server(station, wire):
    async with station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert ("POST", "/api/auth/revoke") not in wire.requests
        await pilot.press("ctrl+q")
    assert ("POST", "/api/auth/revoke") in wire.requests
