"""The stable reason words of the contract's error bodies (`data[0].reason`, section 1).

Plain Python: the errors (and a screen that names a reason) import it without pydantic.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """The stable words in an error body's `data[0].reason` (contract section 1)."""

    INVALID_LOGIN = "invalid_login"
    LOCKED_OUT = "locked_out"
    TOKEN_EXPIRED = "token_expired"
    INVALID_TOKEN = "invalid_token"
    INVALID_CLIENT = "invalid_client"
    SCOPE_MISSING = "scope_missing"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    JOB_STATE = "job_state"
    INTERACTION_PENDING = "interaction_pending"
    PROJECT_REQUIRED = "project_required"
    INSUFFICIENT_CREDIT = "insufficient_credit"
    UNKNOWN_PROJECT = "unknown_project"
    UNKNOWN_ACCOUNT = "unknown_account"
    UNKNOWN_QUEUE = "unknown_queue"
    UNKNOWN_USER = "unknown_user"
    BAD_ANSWER = "bad_answer"
    UNKNOWN_DIALOG = "unknown_dialog"
    STALE_STATE = "stale_state"
    REASON_REQUIRED = "reason_required"
    VALIDATION = "validation"
    BAD_REQUEST = "bad_request"
    SERVER_ERROR = "server_error"
    UNAVAILABLE = "unavailable"
