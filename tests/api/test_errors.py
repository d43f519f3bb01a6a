"""Error bodies become typed errors with a sentence a person can read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from station.api import errors
from station.api.errors import error_from_response


def body(reason, message="Server says no.", **extra):
    return {"code": 0, "message": message, "data": [{"reason": reason, **extra}]}


@pytest.mark.parametrize(
    ("status", "reason", "kind"),
    [
        (401, "invalid_login", errors.InvalidLogin),
        (429, "locked_out", errors.LockedOut),
        (401, "token_expired", errors.SessionExpired),
        (401, "invalid_token", errors.SessionExpired),
        (403, "scope_missing", errors.ScopeMissing),
        (403, "not_allowed", errors.NotAllowed),
        (404, "not_found", errors.NotFound),
        (409, "job_state", errors.JobStateConflict),
        (409, "interaction_pending", errors.InteractionPending),
        (409, "project_required", errors.ProjectRequired),
        (409, "stale_state", errors.StaleState),
        (402, "insufficient_credit", errors.InsufficientCredit),
        (400, "reason_required", errors.ReasonRequired),
        (422, "validation", errors.ValidationFailed),
        (400, "unknown_project", errors.BadRequest),
        (503, "unavailable", errors.ServerBusy),
    ],
)
def test_each_reason_word_becomes_its_kind(status, reason, kind):
    error = error_from_response(status, body(reason))
    assert type(error) is kind
    assert error.reason == reason and error.status == status
    assert error.human


def test_an_unknown_reason_falls_back_on_the_status():
    assert type(error_from_response(409, body("something_new"))) is errors.Conflict
    assert type(error_from_response(500, None)) is errors.ServerError
    assert type(error_from_response(418, None)) is errors.BadRequest


def test_a_body_that_is_not_the_contracts_still_gives_a_sentence():
    error = error_from_response(502, "<html>Bad gateway</html>")
    assert isinstance(error, errors.ServerError)
    assert error.human == errors.ServerError.default_message


def test_locked_out_says_how_long_to_wait():
    error = error_from_response(429, body("locked_out"), retry_after="601")
    assert error.retry_after == 601
    assert error.human == "Too many failed logins. Try again in 11 minutes."
    assert error_from_response(429, body("locked_out"), retry_after="60").human.endswith("in 1 minute.")
    # Under a minute, in seconds.
    assert error_from_response(429, body("locked_out"), retry_after="4").human.endswith("in 4 seconds.")
    assert error_from_response(429, body("locked_out"), retry_after="1").human.endswith("in 1 second.")
    assert error_from_response(429, body("locked_out"), retry_after="soon").retry_after is None


def test_insufficient_credit_reads_money_as_decimal():
    error = error_from_response(402, body("insufficient_credit", required=3.2, balance=0.8))
    assert error.required == Decimal("3.2") and error.balance == Decimal("0.8")
    assert error.human == "Not enough credit: these jobs cost 3.20, the account holds 0.80."


def test_failing_ids_are_collected_from_data():
    error = error_from_response(
        409, {"code": 409, "message": "No.", "data": [{"reason": "job_state", "ids": [3, 4]}, {"id": 9}]}
    )
    assert sorted(error.failing_ids) == [3, 4, 9]
