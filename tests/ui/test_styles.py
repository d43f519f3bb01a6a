"""The TCSS files: found where the app looks for them, each rule scoped to its screen."""

from __future__ import annotations

import re

import pytest

from station.ui.app import StationApp
from station.ui.styles import STYLESHEETS, styles_dir

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


def test_the_app_loads_every_stylesheet_from_the_styles_folder():
    assert sorted(STYLESHEETS) == sorted(SCOPE)
    assert [path.name for path in map(__import__("pathlib").Path, StationApp.CSS_PATH)] == list(STYLESHEETS)
    for name in STYLESHEETS:
        assert (styles_dir() / name).is_file(), name


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
