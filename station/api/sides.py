"""The job's script dialog (contract 4.6, 7.3 point 7), and switching a job's sides through it.

Station's profile: the duplex question offers the options `duplex` and `simplex`. This is the
one place that knows it, so a real server with other keys changes only this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from station.api import capabilities as calls
from station.api.errors import BadResponse, Unsupported
from station.api.models import Dialog, Job, ScriptReply, script_answer
from station.api.wire import Wire

DUPLEX, SIMPLEX = "duplex", "simplex"
NO_SIDES = "This print server does not let station change the sides of a job."
NOT_OFFERED = "The print server did not offer to change the sides of this job."


async def ask(wire: Wire, job_id: int, *, reason: str | None = None) -> ScriptReply | None:
    """The job's open dialogs, or None when the server has no ask form (learned once). A 404
    is the job's (the vendor documents the path), so it is an error, not an absence."""

    async def send() -> ScriptReply:
        reply = await wire.read(
            "POST", f"/v3/jobs/{int(job_id)}/script", ScriptReply, json={"state": []}, reason=reason
        )
        if not reply.dialogs and not reply.state and reply.job is None:
            raise BadResponse()  # an empty 2xx, `{}` or `[]`: nothing is offered
        return reply

    return await wire.optional(calls.SCRIPT_ASK, send, absent=frozenset({405, 501}))


async def answer(
    wire: Wire,
    job_id: int,
    *,
    dialog_id: str,
    options: Iterable[str],
    chosen: str,
    state: list[str],
    reason: str | None = None,
) -> ScriptReply | None:
    """Answer one dialog; the changed job and the dialogs still open, when the body says."""
    body = script_answer(dialog_id, list(options), chosen, state)
    return await wire.change("POST", f"/v3/jobs/{int(job_id)}/script", ScriptReply, json=body, reason=reason)


def offers_sides(wire: Wire) -> bool | None:
    """Whether the server has a script dialog to switch sides: None until it has been asked."""
    if wire.capabilities.lacks(calls.SCRIPT_ASK):
        return False
    return True if wire.capabilities.has(calls.SCRIPT_ASK) else None


async def set_duplex(wire: Wire, job_id: int, duplex: bool, *, reason: str | None = None) -> Job:
    """Switch a job to 2-sided (or back) by answering its duplex question. Raises
    `Unsupported` when the server offers no such question."""
    reply = await ask(wire, job_id, reason=reason)
    if reply is None:
        raise Unsupported(NO_SIDES)
    dialog = duplex_dialog(reply)
    if dialog is None:
        raise Unsupported(NOT_OFFERED)
    answered = await answer(
        wire,
        job_id,
        dialog_id=dialog.id,
        options=[option.key for option in dialog.options],
        chosen=DUPLEX if duplex else SIMPLEX,
        state=reply.state,
        reason=reason,
    )
    if answered is not None and answered.job is not None:
        return answered.job
    return await wire.read("GET", f"/v3/jobs/{int(job_id)}", Job)


def duplex_dialog(reply: ScriptReply) -> Dialog | None:
    """The open dialog that asks 1- or 2-sided, if the reply holds one."""
    for dialog in reply.dialogs:
        if {DUPLEX, SIMPLEX} <= {option.key for option in dialog.options}:
            return dialog
    return None
