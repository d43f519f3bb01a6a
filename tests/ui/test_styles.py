"""The TCSS files: found where the app looks for them, each rule scoped to its screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from station.ui.app import StationApp
from station.ui.styles import STYLESHEETS, styles_dir
from station.ui.warmup import all_styles

SCOPE = {
    "theme.tcss": "Screen",
    "login.tcss": "LoginScreen",
    "jobs.tcss": "JobsScreen",
    "modal.tcss": "StationModal",
    "project_picker.tcss": "ProjectPicker",
    "account_picker.tcss": "AccountPicker",
    "confirm.tcss": "ConfirmModal",
    "question.tcss": "QuestionModal",
    "help.tcss": "HelpModal",
    "helpdesk.tcss": "HelpdeskScreen",
    "audit.tcss": "AuditScreen",
    "all_jobs.tcss": "AllJobsScreen",
    "reason.tcss": "ReasonModal",
    "owner_picker.tcss": "OwnerPicker",
    "receipt.tcss": "ReceiptModal",
}


def test_the_first_frame_parses_only_the_stylesheets_the_login_screen_draws_with():
    assert sorted(STYLESHEETS) == sorted(SCOPE)
    assert [Path(path).name for path in StationApp.CSS_PATH] == ["theme.tcss", "login.tcss", "modal.tcss"]
    for name in STYLESHEETS:
        assert (styles_dir() / name).is_file(), name


async def test_the_app_loads_every_stylesheet_in_order_before_another_screen_shows():
    app = StationApp(lambda: None)  # type: ignore[arg-type, return-value]  # no login here
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        all_styles(app)  # what the app does after the first frame, and before any other screen
        loaded = [Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")]
        first = ["theme.tcss", "login.tcss", "modal.tcss"]
        assert loaded == first + [name for name in STYLESHEETS if name not in first]


@pytest.mark.parametrize("name", sorted(SCOPE))
def test_every_rule_starts_with_its_screen_type(name):
    source = (styles_dir() / name).read_text(encoding="utf-8")
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    selectors = [
        line.rstrip("{ ").strip() for line in source.splitlines() if line.endswith("{") and not line[0].isspace()
    ]
    assert selectors, f"{name} has no rules"
    for selector in selectors:
        for part in selector.split(","):
            assert part.strip().split()[0] == SCOPE[name], f"{name}: {part.strip()!r}"
