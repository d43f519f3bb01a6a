"""The helpdesk acting for one person: the staff's client, pointed at that person's jobs.

`ActingClient` wraps the helpdesk person's `StationClient` for one visit to an owner's jobs, so
that the jobs screen works unchanged (both are a `JobsClient`, station/api/jobs_client.py):
every read names the owner (`ownerId=`), and every change
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

from station.api.jobs_client import JobsClient
from station.api.errors import ApiError, NotFound
from station.api.models import AuditList, Job, JobList, ProjectList, ReleaseAnswer, ScriptReply, User, UserList
from station.api.progress import PrintProgress
from station.api.release import AS_SENT, ReleaseOptions
from station.i18n import N_, _
from station.untrusted import plain

AskReason = Callable[[], Awaitable[str | None]]


class NoReason(ApiError):
    """The helpdesk person gave no reason: nothing was sent."""

    default_message = N_("Nothing was changed: a reason is needed to change someone else's jobs.")


def clean_reason(text: str | None) -> str:
    """A reason as it will be sent and shown: one line of plain text, at most 500 characters."""
    return " ".join(plain(text or "").split())[:500]


class ActingClient:
    """A `JobsClient` for the helpdesk acting for `owner` (see the module docstring). Every method
    of the protocol is written out here: reads name the owner, changes carry the reason."""

    def __init__(self, client: JobsClient, owner: User, ask_reason: AskReason | None = None) -> None:
        self.client = client
        self.owner = owner
        self.ask_reason = ask_reason
        self.reason: str | None = None
        self._lock = asyncio.Lock()
        self._refusals = 0  # bumped when a request for a reason was turned down

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

    # --- what the server said about the staff's login ------------------------------------------

    @property
    def scopes(self) -> set[str]:
        return self.client.scopes

    @property
    def offers_sides(self) -> bool | None:
        return self.client.offers_sides

    # --- reads: the owner's ---------------------------------------------------------------------

    async def me(self) -> User | None:
        """The owner as the server has them now (their balance after a release, say)."""
        found = await self.client.users(self.owner.username, limit=100)
        for user in found.users:
            if user.id == self.owner.id:
                self.owner = user
                return user
        raise NotFound(_("This user is no longer on the print server."))

    async def users(self, search: str = "", *, limit: int = 100, start: int = 0) -> UserList:
        """People, as the staff may look them up (giving a job to someone else)."""
        return await self.client.users(search, limit=limit, start=start)

    async def projects(
        self, search: str = "", *, owner_id: int | None = None, limit: int = 500, start: int = 0
    ) -> ProjectList | None:
        owner = self.owner.id if owner_id is None else owner_id
        return await self.client.projects(search, owner_id=owner, limit=limit, start=start)

    async def jobs(
        self,
        *,
        state: Iterable[str] | None = None,
        favorite: bool | None = None,
        owner_id: int | None = None,
        search: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
        start: int | None = None,
        all_owners: bool = False,
    ) -> JobList:
        if not all_owners and owner_id is None:
            owner_id = self.owner.id
        return await self.client.jobs(
            state=state, favorite=favorite, owner_id=owner_id, search=search, sort=sort, limit=limit, start=start,
            all_owners=all_owners,
        )

    async def job_state(self, job_id: int) -> str:
        return await self.client.job_state(job_id)  # a job by its id: the owner is the job's

    def print_progress(self, job_ids: Iterable[int], *, owner_id: int | None = None) -> PrintProgress:
        """The owner's released jobs: the helpdesk's list by id names the owner, else it lists
        only the staff's own jobs (and would call the owner's jobs gone)."""
        owner = self.owner.id if owner_id is None else owner_id
        return self.client.print_progress(job_ids, owner_id=owner)

    async def audit(self, *, owner_id: int | None = None, limit: int = 100, start: int = 0) -> AuditList:
        owner = self.owner.id if owner_id is None else owner_id
        return await self.client.audit(owner_id=owner, limit=limit, start=start)

    # --- changes: with the reason ---------------------------------------------------------------

    async def patch_job(
        self,
        job_id: int,
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        reason: str | None = None,
    ) -> Job | None:
        return await self.client.patch_job(
            job_id, owner_id=owner_id, project_id=project_id, favorite=favorite, reason=await self.why()
        )

    async def patch_jobs(
        self,
        job_ids: Iterable[int],
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        account: str | None = None,
        reason: str | None = None,
    ) -> JobList | None:
        ids = list(job_ids)
        return await self.client.patch_jobs(
            ids, owner_id=owner_id, project_id=project_id, favorite=favorite, account=account, reason=await self.why()
        )

    async def cancel_jobs(self, job_ids: Iterable[int], *, reason: str | None = None) -> JobList | None:
        ids = list(job_ids)
        return await self.client.cancel_jobs(ids, reason=await self.why())

    async def cancel_job(self, job_id: int, *, reason: str | None = None) -> None:
        await self.client.cancel_job(job_id, reason=await self.why())

    async def cancel(self, job_ids: Iterable[int], *, reason: str | None = None) -> None:
        ids = list(job_ids)
        await self.client.cancel(ids, reason=await self.why())

    async def spool(
        self,
        *,
        queue: str,
        owner: str,
        name: str,
        job_info: dict[str, Any],
        computer: str = "station",
        size: int = 0,
        uuid: str | None = None,
        reason: str | None = None,
    ) -> int:
        return await self.client.spool(
            queue=queue, owner=owner, name=name, job_info=job_info, computer=computer, size=size, uuid=uuid,
            reason=await self.why(),
        )

    async def set_duplex(self, job_id: int, duplex: bool, *, reason: str | None = None) -> Job:
        return await self.client.set_duplex(job_id, duplex, reason=await self.why())

    # --- releasing: for the owner, with the reason --------------------------------------------------

    async def process(
        self,
        job_ids: Iterable[int],
        *,
        owner: str | None,
        project_id: int = 0,
        account: str | None = None,
        reason: str | None = None,
    ) -> ReleaseAnswer | None:
        ids = list(job_ids)
        why = await self.why()
        return await self.client.process(
            ids, owner=owner or self.owner.username, project_id=project_id, account=account, reason=why
        )

    async def release_at_printer(
        self,
        printer: str,
        job_ids: Iterable[int],
        *,
        options: ReleaseOptions = AS_SENT,
        project_id: int = 0,
        account: str | None = None,
        reason: str | None = None,
    ) -> ReleaseAnswer | None:
        ids = list(job_ids)
        why = await self.why()
        return await self.client.release_at_printer(
            printer, ids, options=options, project_id=project_id, account=account, reason=why
        )

    async def script_ask(self, job_id: int, *, reason: str | None = None) -> ScriptReply | None:
        """Which question waits: asked as part of a release, whose reason was already given."""
        return await self.client.script_ask(job_id, reason=reason)

    async def script_answer(
        self,
        job_id: int,
        *,
        dialog_id: str,
        options: Iterable[str],
        chosen: str,
        state: list[str],
        reason: str | None = None,
    ) -> ScriptReply | None:
        return await self.client.script_answer(
            job_id, dialog_id=dialog_id, options=options, chosen=chosen, state=state, reason=await self.why()
        )

    # --- the staff's session is not the visit's to end --------------------------------------------

    async def revoke(self) -> None:
        return None

    def forget(self) -> None:
        return None

    async def aclose(self) -> None:
        return None
