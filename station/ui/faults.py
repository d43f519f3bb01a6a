"""What went wrong, in words for the person at the station, and how long to wait before trying again.

Nothing here imports Textual. `explain` turns a typed `ApiError` into one plain sentence (server
words pass `station.untrusted.plain`: they may hold markup or escape codes); `Backoff` spaces the
retries of a print server that cannot be reached: 1, 2, 4, 8 … seconds, never more than 30.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.api.errors import (
    ApiError,
    BadResponse,
    CertificateNotTrusted,
    Conflict,
    InteractionPending,
    NotFound,
    ProjectRequired,
    RequestTimeout,
    ServerError,
    ServerUnreachable,
    StaleState,
)
from station.i18n import N_, _
from station.untrusted import plain

RACE = N_("Someone released or changed these jobs meanwhile")


def offline_reason(error: ApiError) -> str:
    """The short sentence of the no-connection banner (it has to fit 80 columns with its retry)."""
    if isinstance(error, RequestTimeout):
        return _("The print server does not answer in time.")
    return _("The print server cannot be reached.")


def explain(error: ApiError, action: str = "") -> str:
    """One sentence for the person. `action` is `release` or `cancel` (their failures differ:
    one sent without an answer may have gone through, and the station checks before anything
    else is offered)."""
    releasing = action == "release"
    if isinstance(error, (InteractionPending, ProjectRequired, StaleState)):
        return plain(error.human)
    if isinstance(error, (Conflict, NotFound)):
        if error.reason is None and error.message != type(error).default_message:
            # A server without reason words (the vendor's) says in its message why: a job that
            # waits for an answer is not a race with someone else.
            done = _(" Nothing was released or charged.") if releasing else ""
            return _("{message}{done} The list has been refreshed.").format(
                message=plain(error.message, limit=200), done=done,
            )
        done = _(": nothing was released or charged") if releasing else ""
        return _("{race}{done}. The list has been refreshed.").format(race=_(RACE), done=done)
    if isinstance(error, ServerUnreachable) and error.sent:
        late = _("did not answer in time") if isinstance(error, RequestTimeout) else _("sent no answer")
        if action in ("release", "cancel"):
            if action == "release":
                said = _("The release was sent but the print server {late}: it may or may not have gone through. "
                         "Station reads the list again to see.")
            else:
                said = _("The cancel was sent but the print server {late}: it may or may not have gone through. "
                         "Station reads the list again to see.")
            return said.format(late=late)
        return _("The print server {late}: station reads the list again to see whether it was done.").format(late=late)
    if isinstance(error, ServerUnreachable):
        if action in ("release", "cancel") and not isinstance(error, CertificateNotTrusted):
            if action == "release":
                return _("The print server cannot be reached: the release was not sent, nothing changed.")
            return _("The print server cannot be reached: the cancel was not sent, nothing changed.")
        return plain(error.human)
    if isinstance(error, BadResponse):
        return _("The print server sent an answer station cannot read. Nothing was changed here; try again later.")
    if isinstance(error, ServerError):
        status = f" ({error.status})" if error.status else ""
        message = plain(error.human, limit=200)
        if error.message == type(error).default_message or not message:
            return _("The print server had a problem{status}. Try again in a moment.").format(status=status)
        return _("The print server had a problem{status}: {message}").format(status=status, message=message)
    return plain(error.human)


@dataclass
class Backoff:
    """Delays between retries: `first`, then twice as long each time, at most `cap` seconds."""

    first: float = 1.0
    cap: float = 30.0
    attempts: int = 0
    waited: float = 0.0  # the sum of the delays handed out since the last reset

    def next(self) -> float:
        delay = min(self.cap, self.first * (2**self.attempts))
        self.attempts += 1
        self.waited += delay
        return delay

    def reset(self) -> None:
        self.attempts = 0
        self.waited = 0.0

    @property
    def failing(self) -> bool:
        return self.attempts > 0


def seconds(delay: float) -> str:
    """`4 s`, or `0.5 s` for the short delays of tests."""
    return f"{delay:.0f} s" if delay >= 1 else f"{delay:.1f} s"
