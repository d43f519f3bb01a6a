"""The states of released jobs while they print: one request per poll, whatever the batch.

After a release the station shows each job's progress. Asking every job's state each second
is 500 requests a second for a release of 500 jobs (issue 13). Instead, each `poll()` sends:

- with the profile's `id` filter (the server names `id` in `profileQuery`, wire decisions):
  one `GET /v3/jobs?id=1,2,3&limit=N` for the jobs still printing (at most 500 a request;
  more are asked 500 at a time in turn);
- without it (a vendor server): `GET /v3/jobs/{id}/state` for a few jobs, in turn, so that
  every job is asked about every few polls.

A job the server no longer shows (not in the `id` answer, or 404 to its state) is `gone`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from station.api.errors import NotFound
from station.api.models import JobStateName, JobStateReply
from station.api.reading import read_page_of
from station.api.wire import Wire
from station.api.wire_types import MAX_IDS

# A job in one of these states will not change any more: it is no longer asked about.
FINISHED = frozenset({JobStateName.PRINTED, JobStateName.CANCELED, JobStateName.EXPIRED, JobStateName.FAILED})
FEW = 3  # state requests per poll against a server without the `id` filter


class PrintProgress:
    """The states of a batch of released jobs, read one request (or, without the `id`
    filter, a few) per `poll()`. `states` holds the last state read of each job (None: not
    read yet); `gone` the jobs the server no longer shows."""

    def __init__(self, wire: Wire, job_ids: Iterable[int], *, owner_id: int | None = None, few: int = FEW) -> None:
        self._wire = wire
        self._owner_id = owner_id
        self._few = max(1, few)
        self._turn = 0  # where the next poll starts among the jobs still waiting
        self.states: dict[int, str | None] = dict.fromkeys(int(job_id) for job_id in job_ids)
        self.gone: set[int] = set()

    @property
    def waiting(self) -> list[int]:
        """The jobs still to be asked about: neither finished nor gone, in release order."""
        return [job_id for job_id, state in self.states.items() if state not in FINISHED and job_id not in self.gone]

    @property
    def done(self) -> bool:
        return not self.waiting

    @property
    def by_list(self) -> bool:
        """Whether a poll lists the jobs in one request (the server takes the `id` filter)."""
        wanted = {"id"} if self._owner_id is None else {"id", "ownerId"}
        return self._wire.capabilities.takes_query(wanted)

    async def poll(self) -> dict[int, str]:
        """Ask once; the states read by this poll (also kept in `states`). An error other than
        a job that is gone is raised, and what was read before it is kept."""
        waiting = self.waiting
        if not waiting:
            return {}
        batch = self._next(waiting, MAX_IDS if self.by_list else self._few)
        if self.by_list:
            return await self._list(batch)
        return await self._ask_each(batch)

    def _next(self, waiting: list[int], size: int) -> list[int]:
        """The next `size` jobs in turn (all of them when they fit)."""
        if len(waiting) <= size:
            return waiting
        start = self._turn % len(waiting)
        self._turn = start + size
        return (waiting[start:] + waiting[:start])[:size]

    async def _list(self, batch: list[int]) -> dict[int, str]:
        params: dict[str, str | int] = {"id": ",".join(map(str, batch)), "limit": len(batch)}
        if self._owner_id is not None:
            params["ownerId"] = self._owner_id
        page = await read_page_of(self._wire, params)
        read = {job.id: job.state for job in page.jobs if job.id in self.states and job.state is not None}
        if not page.rejected:  # a job left out because it did not read is not gone
            listed = {job.id for job in page.jobs}
            self.gone.update(job_id for job_id in batch if job_id not in listed)
        self.states.update(read)
        return read

    async def _ask_each(self, batch: list[int]) -> dict[int, str]:
        answers = await asyncio.gather(
            *(self._wire.read("GET", f"/v3/jobs/{job_id}/state", JobStateReply) for job_id in batch),
            return_exceptions=True,
        )
        read: dict[int, str] = {}
        failure: BaseException | None = None
        for job_id, answer in zip(batch, answers, strict=True):
            if isinstance(answer, JobStateReply):
                read[job_id] = answer.state
            elif isinstance(answer, NotFound):
                self.gone.add(job_id)
            else:
                failure = failure or answer
        self.states.update(read)
        if failure is not None:
            raise failure
        return read
