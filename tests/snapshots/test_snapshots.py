"""What the station looks like, at 100x30 and at 80x24 (`--snapshot-update` to accept)."""

from __future__ import annotations

import pytest

from .support import until

from station.ui.modals import AccountPicker, CancelConfirm, HelpModal, ProjectPicker, QuestionModal, ReleaseConfirm

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_login(snap_compare, station, size):
    assert snap_compare(station(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_login_refused(snap_compare, station, size):
    async def wrong_pin(pilot):
        await pilot.press("0", "0", "0", "0", "enter")
        await until(pilot, lambda: pilot.app.screen.query_one("#login-message").has_class("-error"))

    assert snap_compare(station(demo=False), run_before=wrong_pin, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_jobs(snap_compare, station, logged_in, size):
    # Two jobs selected, the first switched to 2-sided: marks, a saving, the totals.
    steps = logged_in("1234", "space", "d", "down", "space")
    assert snap_compare(station(), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_jobs_empty(snap_compare, station, logged_in, size):
    assert snap_compare(station(), run_before=logged_in("9012"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_project_picker(snap_compare, station, logged_in, size):
    steps = logged_in("1234", "down", "down", "down", "p", then=ProjectPicker)
    assert snap_compare(station(), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_account_picker(snap_compare, station, logged_in, size):
    steps = logged_in("1234", "c", then=AccountPicker)
    assert snap_compare(station(), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_release_confirm(snap_compare, station, logged_in, size):
    steps = logged_in("1234", "space", "down", "space", "r", then=ReleaseConfirm)
    assert snap_compare(station(), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_cancel_confirm(snap_compare, station, logged_in, size):
    steps = logged_in("1234", "space", "down", "space", "x", then=CancelConfirm)
    assert snap_compare(station(), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_question(snap_compare, station, logged_in, size):
    steps = logged_in("1234", "down", "down", "r", then=QuestionModal)  # Campaign slides: paused
    assert snap_compare(station(), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, station, logged_in, size):
    steps = logged_in("1234", "question_mark", then=HelpModal)
    assert snap_compare(station(), run_before=steps, terminal_size=size)
