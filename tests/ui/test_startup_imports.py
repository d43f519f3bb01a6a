"""Before the login screen's first frame the station imports what that frame draws, not the rest
(issue 13, startup): the client, httpx, the wire's models, the jobs and helpdesk screens and the
other dialogs come after it, while the person types (`station.ui.warmup.PREPARED`)."""

from __future__ import annotations

import subprocess
import sys

LATER = (
    "httpx",
    "station.api.client",
    "station.api.models",
    "station.ui.session",
    "station.ui.screens.jobs",
    "station.ui.screens.helpdesk",
    "station.ui.modals.confirm",
    "station.ui.modals.help",
    "station.ui.modals.receipt",
)


def loaded_after(code: str) -> set[str]:
    probe = f"import sys; {code}; print(','.join(m for m in {LATER!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(filter(None, out.stdout.strip().split(",")))


def test_the_app_and_its_login_screen_import_none_of_what_comes_later():
    assert loaded_after("import station.cli, station.ui.app, station.ui.screens.login") == set()


def test_a_dialog_asked_of_the_modals_package_is_imported_then():  # the positive control
    assert loaded_after("from station.ui.modals import HelpModal") == {"station.ui.modals.help"}

