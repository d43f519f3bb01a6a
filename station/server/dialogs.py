"""The job script dialog (contract section 4.6): the duplex question and its signed state.

The one dialog station's queues run asks whether to print double-sided. Its id is the
server's: the vendor's own example id, a signed 32-bit number as a string, which clients copy.

The state handed to the client is `["v1", "<job id>.<job version>", "<mac>"]`, the MAC an
HMAC-SHA256 under the server's secret key (kept in the database, so states survive a restart).
Every change to a job bumps its version, so an answer carrying the state of an older version
is refused as `stale_state`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from station.api.models import Reason
from station.server.errors import Problem

DUPLEX_DIALOG_ID = "-1052320151"
STATE_VERSION = "v1"
OPTIONS = (("duplex", "Double-sided"), ("simplex", "Single-sided"))


def duplex_dialog(duplex: bool) -> dict[str, Any]:
    return {
        "id": DUPLEX_DIALOG_ID,
        "text": "Print this job double-sided?",
        "options": [{"key": key, "label": label} for key, label in OPTIONS],
        "current": "duplex" if duplex else "simplex",
    }


def _mac(key: bytes, payload: str) -> str:
    digest = hmac.new(key, f"{STATE_VERSION}|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_state(key: bytes, job_id: int, version: int) -> list[str]:
    payload = f"{job_id}.{version}"
    return [STATE_VERSION, payload, _mac(key, payload)]


def verify_state(key: bytes, state: Any, job_id: int, version: int) -> None:
    """Check a state the client sent back: 400 if it is not one of ours (none at all included:
    an answer must carry the state of its question), 409 if it is old."""
    if state is None or state == []:
        raise Problem(
            400, Reason.BAD_REQUEST,
            "An answer must send back the state the server gave with the question. Ask again.",
            field="state",
        )
    if (
        not isinstance(state, list)
        or len(state) != 3
        or not all(isinstance(part, str) for part in state)
        or state[0] != STATE_VERSION
        or len(state[1]) > 40
    ):
        raise Problem(
            400, Reason.BAD_REQUEST,
            "The dialog state was changed or is not one this server gave out. Ask again.",
        )
    payload, mac = state[1], state[2]
    if not hmac.compare_digest(mac.encode(), _mac(key, payload).encode()):
        raise Problem(
            400, Reason.BAD_REQUEST,
            "The dialog state was changed or is not one this server gave out. Ask again.",
        )
    signed_job, _, signed_version = payload.partition(".")
    if signed_job != str(job_id) or signed_version != str(version):
        raise Problem(
            409, Reason.STALE_STATE,
            "The job has changed since this question was asked. Ask again.",
            id=job_id,
        )


def parse_answer(body: dict[str, Any]) -> tuple[bool, str | None]:
    """(is this an answer, the option chosen) from a script request body.

    A body with no dialog ids is a question (`{}` or `{"state": [...]}`).
    """
    answers = {key: value for key, value in body.items() if key != "state"}
    if not answers:
        return False, None
    for dialog_id in answers:
        if dialog_id != DUPLEX_DIALOG_ID:
            raise Problem(
                400, Reason.UNKNOWN_DIALOG,
                "That question is not open on this job. Ask again.",
                dialog=dialog_id[:40],
            )
    value = answers[DUPLEX_DIALOG_ID]
    keys = {key for key, _ in OPTIONS}
    if not isinstance(value, dict) or not set(value) <= keys:
        raise Problem(
            400, Reason.BAD_ANSWER,
            "The answer must name the options duplex and simplex, one of them true.",
        )
    chosen = [key for key, flag in value.items() if flag is True]
    others_ok = all(flag is None or flag is False or flag is True for flag in value.values())
    if len(chosen) != 1 or not others_ok:
        raise Problem(
            400, Reason.BAD_ANSWER,
            "Choose exactly one option: one true, the others null.",
        )
    return True, chosen[0]
