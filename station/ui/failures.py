"""One answer to "a request failed": the session ended under us, or a sentence to show.

Every screen that talks to the print server hands its `ApiError` here: a `SessionExpired`
becomes a `SessionEnded` message for the screen to post (the App logs the person out and says
why); any other error becomes one plain sentence for the status line (`faults.explain`).
"""

from __future__ import annotations

from station.api.errors import ApiError, SessionExpired
from station.ui.faults import explain
from station.ui.messages import SessionEnded


def failure(error: ApiError, action: str = "") -> SessionEnded | str:
    """`action`: `release` or `cancel` when the failed request was one (see `explain`)."""
    if isinstance(error, SessionExpired):
        return SessionEnded(error.human)
    return explain(error, action)
