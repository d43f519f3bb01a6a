"""The status line and the progress panel speak of what is there now (issue 14, rough edges):
a hint about a job goes when the cursor leaves it, what `b` chose goes when the selection
changes, a finished release's "balance now" goes when another account is chosen; and the
cancel dialog speaks of one job as one."""

from __future__ import annotations

from station.ui.modals import AccountPicker, CancelConfirm, ReleaseConfirm
from station.ui.screens.jobs import JobsScreen

from .support import go_to, job, log_in, press_for, shown, table, until

QUESTION = "A question waits for this job"


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
