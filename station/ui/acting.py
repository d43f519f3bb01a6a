"""The helpdesk acting for one person: the staff's client, pointed at that person's jobs.

`ActingClient` wraps the helpdesk person's `StationClient` for one visit to an owner's jobs, so
that the jobs screen works unchanged: every read names the owner (`ownerId=`), and every change
carries the reason (contract 4.7, header `X-Station-Reason`). The reason is asked once per
visit, before the first change is sent, and reused for the changes after it (the `w` key of the
owner's jobs screen says another one). A change without a reason is never sent: it fails with
`NoReason`, which the screen shows like any refusal.

The staff's session outlives the visit: logging out, revoking or closing through this wrapper
does nothing; the helpdesk screen ends the real session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from station.api.client import StationClient
from station.api.errors import ApiError, NotFound
from station.api.models import AuditList, Job, JobList, ProcessResult, ProjectList, ScriptReply, User
from station.api.release import AS_SENT, ReleaseOptions
from station.text import plain

AskReason = Callable[[], Awaitable[str | None]]


class NoReason(ApiError):
    """The helpdesk person gave no reason: nothing was sent."""

    default_message = "Nothing was changed: a reason is needed to change someone else's jobs."


def clean_reason(text: str | None) -> str:
    """A reason as it will be sent and shown: one line of plain text, at most 500 characters."""
    return " ".join(plain(text or "").split())[:500]


class ActingClient:
    """`StationClient` for the helpdesk acting for `owner` (see the module docstring)."""

    def __init__(self, client: StationClient, owner: User, ask_reason: AskReason | None = None) -> None:
        self.client = client
        self.owner = owner
        self.ask_reason = ask_reason
        self.reason: str | None = None
        self._lock = asyncio.Lock()
        self._refusals = 0  # bumped when a request for a reason was turned down

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def __repr__(self) -> str:
        return f"ActingClient(owner={self.owner.username!r}, client={self.client!r})"

    # --- the reason -----------------------------------------------------------------------------

    async def why(self) -> str:
        """The visit's reason; ask for it the first time. Changes sent together ask once."""
        refusals = self._refusals
        async with self._lock:
            if self.reason:
                return self.reason
            if refusals != self._refusals or self.ask_reason is None:
                raise NoReason()  # turned down for the change this one was sent with
            answer = clean_reason(await self.ask_reason())
            if not answer:
                self._refusals += 1
                raise NoReason()
            self.reason = answer
            return answer

    # --- reads: the owner's ---------------------------------------------------------------------

    async def jobs(self, **params: Any) -> JobList:
        if not params.get("all_owners") and params.get("owner_id") is None:
            params["owner_id"] = self.owner.id
        return await self.client.jobs(**params)

    async def projects(self, search: str = "", **params: Any) -> ProjectList | None:
        if params.get("owner_id") is None:
            params["owner_id"] = self.owner.id
        return await self.client.projects(search, **params)

    async def audit(self, **params: Any) -> AuditList:
        if params.get("owner_id") is None:
            params["owner_id"] = self.owner.id
        return await self.client.audit(**params)

    async def me(self) -> User | None:
        """The owner as the server has them now (their balance after a release, say)."""
        found = await self.client.users(self.owner.username, limit=100)
        for user in found.users:
            if user.id == self.owner.id:
                self.owner = user
                return user
        raise NotFound("This user is no longer on the print server.")

    # --- changes: with the reason ---------------------------------------------------------------

    async def patch_job(self, job_id: int, **change: Any) -> Job | None:
        change["reason"] = await self.why()
        return await self.client.patch_job(job_id, **change)

    async def patch_jobs(self, job_ids: Iterable[int], **change: Any) -> JobList | None:
        ids = list(job_ids)
        change["reason"] = await self.why()
        return await self.client.patch_jobs(ids, **change)

    async def cancel_jobs(self, job_ids: Iterable[int], **_: Any) -> JobList | None:
        ids = list(job_ids)
        return await self.client.cancel_jobs(ids, reason=await self.why())

    async def cancel_job(self, job_id: int, **_: Any) -> None:
        await self.client.cancel_job(job_id, reason=await self.why())

    async def cancel(self, job_ids: Iterable[int], **_: Any) -> None:
        ids = list(job_ids)
        await self.client.cancel(ids, reason=await self.why())

    async def process(self, job_ids: Iterable[int], **release: Any) -> ProcessResult | None:
        ids = list(job_ids)
        release["reason"] = await self.why()
        release["owner"] = release.get("owner") or self.owner.username
        return await self.client.process(ids, **release)

    async def release_at_printer(
        self, printer: str, job_ids: Iterable[int], *, options: ReleaseOptions = AS_SENT, **release: Any
    ) -> ProcessResult | None:
        ids = list(job_ids)
        release["reason"] = await self.why()
        return await self.client.release_at_printer(printer, ids, options=options, **release)

    async def script_answer(self, job_id: int, **answer: Any) -> ScriptReply | None:
        answer["reason"] = await self.why()
        return await self.client.script_answer(job_id, **answer)

    async def set_duplex(self, job_id: int, duplex: bool, **_: Any) -> Job:
        return await self.client.set_duplex(job_id, duplex, reason=await self.why())

    async def spool(self, **job: Any) -> int:
        job["reason"] = await self.why()
        return await self.client.spool(**job)

    # --- the staff's session is not the visit's to end --------------------------------------------

    async def revoke(self) -> None:
        return None

    def forget(self) -> None:
        return None

    async def aclose(self) -> None:
        return None
