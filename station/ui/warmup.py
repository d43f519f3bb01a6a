"""What the first frame (the login screen) does not need, prepared after it while the person
types (issue 13: startup): the other stylesheets, the modules of the screens to come, the TLS
context. Enter then finds them ready."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import PurePath
from typing import Any

from textual.app import App

from station.ui.styles import stylesheets

log = logging.getLogger("station.ui")

# The stylesheets the login screen (and the kiosk's admin exit, a StationModal) draws with: the
# first frame parses these and applies only their rules; the rest come after it (`all_styles`).
FIRST_FRAME_STYLESHEETS = ("theme.tcss", "login.tcss", "modal.tcss")

# Imported after the first frame, one module a turn of the event loop (a key typed meanwhile
# waits for one import at most). Each is also imported where it is used.
PREPARED = (
    "station.ui.session",  # the wire's models (pydantic)
    "station.api.client",  # httpx
    "station.ui.screens.jobs",
    "station.ui.screens.helpdesk",
    "station.ui.modals.help",
    "station.ui.modals.receipt",
)


def first_frame_stylesheets() -> list[str | PurePath]:
    return [path for path in stylesheets() if PurePath(path).name in FIRST_FRAME_STYLESHEETS]


def all_styles(app: App[Any]) -> None:
    """Every stylesheet of the station in the app's stylesheet (in their order, after the first
    frame's), before any screen but the login screen shows. Their rules name screens that are
    not shown yet, so nothing shown is styled again."""
    rest = [PurePath(path) for path in stylesheets() if not app.stylesheet.has_source(os.path.abspath(path))]
    if rest:
        app.stylesheet.read_all(rest)
        app.stylesheet.parse()


def prepare(app: App[Any], verify: bool | str, modules: tuple[str, ...] = PREPARED) -> None:
    """The other stylesheets, then each of `modules` a turn apart, then the TLS context."""
    if not app.is_running:
        return
    all_styles(app)
    if modules:
        importlib.import_module(modules[0])
        app.call_later(prepare, app, verify, modules[1:])
    else:
        prepare_tls(verify)


def prepare_tls(verify: bool | str) -> None:
    """The TLS context of the print server's `verify` setting (about 50 ms: the CA bundle is
    read), which every client shares: built now rather than at the first login."""
    from station.api.tls import ssl_context

    try:
        ssl_context(verify)
    except Exception:  # noqa: BLE001 - a bundle that cannot be read: the login says so, as before
        log.debug("TLS context not prepared", exc_info=True)
