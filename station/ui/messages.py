"""What screens tell the App. Screens never import the App: they post one of these and it
bubbles up (screen -> app), where `StationApp` handles it with `@on`.

The App is the only place that switches between the login screen and a session's screens, and
the only holder of the `Session`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from station.api.models import JobList
    from station.ui.session import Session


class LoggedIn(Message):
    """The login screen got a token and the first answers: the session starts."""

    def __init__(self, session: Session, jobs: JobList | None) -> None:
        super().__init__()
        self.session = session
        self.jobs = jobs  # None for the helpdesk, which starts on its people list


class LogoutRequested(Message):
    """The person (or the kiosk, on their behalf) ends the session: revoke it, wipe it, log in
    again with `why` on the login screen."""

    def __init__(self, why: str, *, error: bool = False) -> None:
        super().__init__()
        self.why = why
        self.error = error


class SessionEnded(Message):
    """The server ended the session under us (expired, revoked): nothing to revoke; say why."""

    def __init__(self, why: str, *, error: bool = True) -> None:
        super().__init__()
        self.why = why
        self.error = error


class ReleaseStarted(Message):
    """Jobs were released: with `logout_after_release` the kiosk's clock to log out starts."""


class ReleasePrinted(Message):
    """Every job of the last release has printed (or failed): the kiosk logs out soon."""
