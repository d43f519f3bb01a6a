"""What can go wrong on the wire, as typed exceptions that carry a sentence for a person.

Every error body of the contract carries a stable reason word (`data[0].reason`); each kind
below answers to one or more of them. `ApiError.human` is what a screen shows: it never
contains a secret, but it may quote the server's own message, which is untrusted text: show it
through `station.untrusted.plain`, never as markup.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from station.api.reasons import Reason
from station.i18n import SOURCE, N_, _, language, ngettext


class ApiError(Exception):
    """An answer that was not a success, or no answer at all."""

    default_message = N_("The print server refused the request.")

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        code: int | None = None,
        reason: str | None = None,
        data: list[dict[str, Any]] | None = None,
    ) -> None:
        self.message = (message or "").strip() or self.default_message
        self.status = status
        self.code = code
        self.reason = reason
        self.data = data or []
        super().__init__(self.message)

    @property
    def human(self) -> str:
        """One sentence for the person in front of the screen: ours in their language, the
        server's words as they came (never looked up in the catalog)."""
        return self.said()

    def said(self) -> str:
        """The message: our own sentence in the person's language; the server's words as they
        came, except where the server named a reason this class stands for and the person reads
        another language than English (the server speaks English: ours says the same in theirs)."""
        if self.message == self.default_message:
            return _(self.message)
        if self.reason and type(self) is not ApiError and language() != SOURCE:
            return _(self.default_message)
        return self.message

    @property
    def failing_ids(self) -> list[int]:
        """The job ids the server named as failing (all-or-nothing calls)."""
        ids: list[int] = []
        for item in self.data:
            for key in ("id", "jobId"):
                if isinstance(item.get(key), int):
                    ids.append(item[key])
            if isinstance(item.get("ids"), list):
                ids.extend(i for i in item["ids"] if isinstance(i, int))
            if isinstance(item.get("jobIds"), list):
                ids.extend(i for i in item["jobIds"] if isinstance(i, int))
        return ids

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, reason={self.reason!r}, message={self.message!r})"


# --- no answer ---------------------------------------------------------------------------------


class ServerUnreachable(ApiError):
    """No answer. `sent` tells whether the request may have reached the server: False when it
    never left (the name did not resolve, the connection or the TLS set-up failed), so nothing
    happened there; True when it went out and no answer came back (read timeout, connection
    reset after sending), so it may or may not have been done: read the state again before
    doing it again."""

    sent = False
    default_message = (
        N_("The print server cannot be reached: nothing was sent. Check the network, or try again in a moment.")
    )


class NoAnswer(ServerUnreachable):
    """The request went out; the connection broke before the answer came back."""

    sent = True
    default_message = (
        N_("The request reached the print server, but no answer came back: it may or may not have been done.")
    )


class CertificateNotTrusted(ServerUnreachable):
    """The server answered, but its TLS certificate did not pass verification."""

    default_message = (
        N_("The print server's certificate could not be verified: it is not trusted by this"
        " station. Ask for the server's CA certificate (setting ca_bundle), or check the address.")
    )


class SecureConnectionFailed(ServerUnreachable):
    default_message = (
        N_("A secure connection to the print server could not be set up. Check that the address"
        " (https:// and the port) is the server's TLS address.")
    )


class RequestTimeout(NoAnswer):
    """The request went out and the answer did not come in time (a read timeout)."""

    default_message = N_(
        "The print server did not answer in time: the request was sent and may or may not have been done."
    )


class Unsupported(ApiError):
    """The print server does not offer what this needs (contract 7.3): nothing was sent."""

    default_message = N_("This print server does not offer that.")


class BadResponse(ApiError):
    default_message = N_("The print server sent an answer station cannot read.")


# --- authentication ----------------------------------------------------------------------------


class AuthError(ApiError):
    default_message = N_("Please log in again.")


class InvalidLogin(AuthError):
    default_message = N_("Wrong login. Check your PIN, card or password and try again.")


class LockedOut(AuthError):
    default_message = N_("Too many failed logins. Try again later.")

    def __init__(self, *args: Any, retry_after: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after

    @property
    def minutes(self) -> int | None:
        if self.retry_after is None:
            return None
        return max(1, -(-self.retry_after // 60))

    @property
    def human(self) -> str:
        """How long to wait, in seconds under a minute; never whose login it was."""
        if self.retry_after is None:
            return self.said()  # the server's words (a vendor server says it in a 401), else ours
        if self.retry_after < 60:
            wait = max(1, self.retry_after)
            return ngettext(
                "Too many failed logins. Try again in {wait} second.",
                "Too many failed logins. Try again in {wait} seconds.", wait,
            ).format(wait=wait)
        minutes = self.minutes or 1
        return ngettext(
            "Too many failed logins. Try again in {minutes} minute.",
            "Too many failed logins. Try again in {minutes} minutes.", minutes,
        ).format(minutes=minutes)


class SessionExpired(AuthError):
    """The token expired or was revoked and could not be renewed: log in again."""

    default_message = N_("Your session has ended. Please log in again.")


class ScopeMissing(ApiError):
    default_message = N_("This login is not allowed to do that.")


class NotAllowed(ApiError):
    default_message = N_("You are not allowed to do that.")


class InvalidClient(AuthError):
    default_message = N_("This station is not registered with the print server (client id or secret).")


# --- requests the server refused ------------------------------------------------------------------


class NotFound(ApiError):
    default_message = N_("That job is no longer there.")


class Conflict(ApiError):
    default_message = N_("The job changed in the meantime. The list has been refreshed.")


class JobStateConflict(Conflict):
    default_message = N_("One of these jobs can no longer be changed: it is printing, printed or gone.")


class InteractionPending(JobStateConflict):
    default_message = N_("A job waits for an answer to its question before it can be released.")


class ProjectRequired(Conflict):
    default_message = N_("Pick a project before releasing these jobs.")


class StaleState(Conflict):
    default_message = N_("The job changed while the question was open. Ask again.")


class InsufficientCredit(ApiError):
    default_message = N_("Not enough credit for these jobs.")

    @property
    def required(self) -> Decimal | None:
        return _money(self.data, "required")

    @property
    def balance(self) -> Decimal | None:
        return _money(self.data, "balance")

    @property
    def human(self) -> str:
        if self.required is None or self.balance is None:
            return self.said()  # the server's words when it gives no figures, else ours
        return _("Not enough credit: these jobs cost {required:.2f}, the account holds {balance:.2f}.").format(
            required=self.required, balance=self.balance,
        )


class BadRequest(ApiError):
    default_message = N_("The print server could not accept that request.")


class ValidationFailed(BadRequest):
    default_message = N_("The request was not valid.")


class ReasonRequired(BadRequest):
    default_message = N_("Say why you act on another person's job.")


class ServerError(ApiError):
    default_message = N_("The print server had a problem. Try again in a moment.")


class ServerBusy(ServerError):
    default_message = N_("The print server is busy. Try again in a moment.")


# Reason word -> kind. A reason this table does not know falls back on the HTTP status.
_BY_REASON: dict[str, type[ApiError]] = {
    Reason.INVALID_LOGIN: InvalidLogin,
    Reason.LOCKED_OUT: LockedOut,
    Reason.TOKEN_EXPIRED: SessionExpired,
    Reason.INVALID_TOKEN: SessionExpired,
    Reason.INVALID_CLIENT: InvalidClient,
    Reason.SCOPE_MISSING: ScopeMissing,
    Reason.NOT_ALLOWED: NotAllowed,
    Reason.NOT_FOUND: NotFound,
    Reason.JOB_STATE: JobStateConflict,
    Reason.INTERACTION_PENDING: InteractionPending,
    Reason.PROJECT_REQUIRED: ProjectRequired,
    Reason.INSUFFICIENT_CREDIT: InsufficientCredit,
    Reason.STALE_STATE: StaleState,
    Reason.REASON_REQUIRED: ReasonRequired,
    Reason.VALIDATION: ValidationFailed,
    Reason.UNAVAILABLE: ServerBusy,
    Reason.SERVER_ERROR: ServerError,
}

_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: SessionExpired,
    402: InsufficientCredit,
    403: NotAllowed,
    404: NotFound,
    409: Conflict,
    422: ValidationFailed,
    429: LockedOut,
    503: ServerBusy,
}


def error_from_response(
    status: int, body: Any, retry_after: str | None = None, by_status: dict[int, type[ApiError]] | None = None
) -> ApiError:
    """Turn a non-2xx answer (its status, parsed JSON body and Retry-After) into a typed error.

    The reason word decides the kind; without one (a real server sends none) the HTTP status
    does, through `by_status` first when given (a 401 to a login is a wrong login, not an ended
    session). The server's `message` is kept: it is what a person reads."""
    code = status
    message = None
    data: list[dict[str, Any]] = []
    if isinstance(body, dict):
        if isinstance(body.get("code"), int):
            code = body["code"]
        if isinstance(body.get("message"), str):
            message = body["message"]
        if isinstance(body.get("data"), list):
            data = [item for item in body["data"] if isinstance(item, dict)]
    reason = next((item["reason"] for item in data if isinstance(item.get("reason"), str)), None)
    kind = _BY_REASON.get(reason or "") or (by_status or {}).get(status) or _BY_STATUS.get(status)
    if kind is None:
        kind = ServerError if status >= 500 else BadRequest
    kwargs: dict[str, Any] = dict(status=status, code=code, reason=reason, data=data)
    if kind is LockedOut:
        kwargs["retry_after"] = _seconds(retry_after)
    return kind(message, **kwargs)


def _seconds(value: str | None) -> int | None:
    try:
        return max(0, int(value)) if value is not None else None
    except ValueError:
        return None


def _money(data: list[dict[str, Any]], key: str) -> Decimal | None:
    for item in data:
        value = item.get(key)
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            try:
                return Decimal(str(value))
            except InvalidOperation:
                return None
    return None
