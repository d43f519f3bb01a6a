"""Where the TCSS files are: inside the installed package, or in the repository's `styles/`."""

from __future__ import annotations

from pathlib import Path, PurePath

# One theme file, then one file per screen (every rule in it starts with that screen's type).
STYLESHEETS = (
    "theme.tcss",
    "login.tcss",
    "jobs.tcss",
    "modal.tcss",
    "project_picker.tcss",
    "account_picker.tcss",
    "confirm.tcss",
    "question.tcss",
    "help.tcss",
    "helpdesk.tcss",
    "audit.tcss",
    "all_jobs.tcss",
    "reason.tcss",
    "owner_picker.tcss",
    "receipt.tcss",
)


def styles_dir() -> Path:
    """`station/styles` in a wheel (force-included there), else `styles/` beside the package.
    (Not through importlib.resources: its readers import zipfile, some 8 ms before the first frame.)"""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "styles"
    return packaged if packaged.is_dir() else package.parent / "styles"


def stylesheets() -> list[str | PurePath]:
    folder = styles_dir()
    return [folder / name for name in STYLESHEETS]
