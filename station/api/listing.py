"""Reading `GET /v3/jobs` whatever the server takes (contract 7.3, point 2; wire decisions).

The vendor documents only `limit` and `start` for the job list, and "incorrect or unsupported
filter will return empty result". So the query of station's profile (state, favourite, owner,
search, sort) goes out only to a server whose reply has named it in `profileQuery`; for any
other server the station pages through the whole list by `count` and filters, sorts and pages
it itself. A job that cannot be read is left out and named, never dropped in silence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from station.api.errors import BadResponse
from station.api.models import PENDING_STATES, Job, JobList, WireModel

PAGE = 500  # the contract's largest page

SORT_KEYS = ("dateTime", "-dateTime", "name", "-name", "cost", "-cost")


@dataclass(frozen=True)
class JobQuery:
    """What the caller asked of the job list; `None` leaves a filter out."""

    state: tuple[str, ...] | None = None
    favorite: bool | None = None
    owner_id: int | None = None
    search: str | None = None
    sort: str | None = None
    limit: int | None = None
    start: int | None = None
    all_owners: bool = False

    def profile_params(self) -> dict[str, Any]:
        """The query parameters beyond limit and start, by their wire names."""
        params = {
            "all": "true" if self.all_owners else None,
            "state": ",".join(self.state) if self.state is not None else None,
            "favorite": "true" if self.favorite else None,
            "ownerId": self.owner_id,
            "search": self.search or None,
            "sort": self.sort,
        }
        return {key: value for key, value in params.items() if value is not None}

    def params(self) -> dict[str, Any]:
        """Every parameter, for a server that takes the profile's query."""
        paging = {"limit": self.limit, "start": self.start}
        return {**self.profile_params(), **{key: value for key, value in paging.items() if value is not None}}

    def paging(self) -> dict[str, Any]:
        paging = {"limit": self.limit, "start": self.start}
        return {key: value for key, value in paging.items() if value is not None}

    # --- in the station ----------------------------------------------------------------------

    def matches(self, job: Job) -> bool:
        """The profile's filters, applied by the station. A job without a state is taken as
        waiting: a vendor server lists the jobs waiting for release."""
        wanted = self.state if self.state is not None else tuple(PENDING_STATES)
        if job.state is None:
            if not set(wanted) & set(PENDING_STATES):
                return False
        elif job.state not in wanted:
            return False
        if self.favorite and not job.favorite:
            return False
        if self.owner_id is not None and job.owner_id is not None and job.owner_id != self.owner_id:
            return False
        return not self.search or self.search.casefold() in job.name.casefold()

    def order(self, jobs: list[Job]) -> list[Job]:
        """Sorted as the profile sorts (newest first by default); ties keep the server's order."""
        sort = self.sort if self.sort in SORT_KEYS else "-dateTime"
        field = sort.lstrip("-")
        if field == "dateTime":
            with_time = [job for job in jobs if job.date_time is not None]
            without = [job for job in jobs if job.date_time is None]
            with_time.sort(key=lambda job: _instant(job.date_time), reverse=sort.startswith("-"))
            return with_time + without  # a job without a time goes last either way
        if field == "name":
            return sorted(jobs, key=lambda job: job.name.casefold(), reverse=sort.startswith("-"))
        return sorted(jobs, key=lambda job: job.cost, reverse=sort.startswith("-"))

    def page(self, jobs: Iterable[Job], rejected: list[str]) -> JobList:
        """Filter, sort and cut the whole list as the server would have; `count` is every match."""
        chosen = self.order([job for job in jobs if self.matches(job)])
        start = max(0, self.start or 0)
        limit = self.limit if self.limit is not None else 100
        return JobList(jobs=chosen[start : start + max(0, limit)], count=len(chosen), rejected=rejected)


def _instant(moment: datetime | None) -> float:
    """Comparable times: one without an offset is the server's local time, taken as UTC here
    only to put it in order (it is shown as it came)."""
    if moment is None:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@dataclass
class Page:
    """One reply of `GET /v3/jobs`, read job by job."""

    jobs: list[Job]
    rejected: list[str]
    count: int | None
    profile_query: object  # the `profileQuery` the server sent, if any
    size: int  # how many jobs the reply held, readable or not


class _WholePage(WireModel):
    """A job list in which every job reads: the usual case, parsed in one go."""

    jobs: list[Job]
    count: Any = None
    profile_query: Any = None


def read_page(content: bytes | str) -> Page:
    """Read the body of a job list job by job, so that one broken job does not hide the others."""
    try:
        whole = _WholePage.model_validate_json(content)
    except ValidationError:
        pass  # a broken job, or not a job list at all: read it job by job
    else:
        return Page(whole.jobs, [], _count(whole.count), whole.profile_query, len(whole.jobs))
    try:
        body = json.loads(content)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("jobs"), list):
        raise BadResponse("The print server's job list was not in the expected shape.")
    jobs: list[Job] = []
    rejected: list[str] = []
    for raw in body["jobs"]:
        try:
            jobs.append(Job.model_validate(raw))
        except ValidationError:
            job_id = raw.get("id") if isinstance(raw, dict) else None
            usable = isinstance(job_id, (int, str)) and not isinstance(job_id, bool)
            rejected.append(f"job {job_id}" if usable else "a job without id")
    return Page(jobs, rejected, _count(body.get("count")), body.get("profileQuery"), len(body["jobs"]))


def _count(count: object) -> int | None:
    """The list's `count`, when it is a usable number."""
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def as_list(page: Page) -> JobList:
    count = page.count if page.count is not None else len(page.jobs)
    return JobList(jobs=page.jobs, count=count, rejected=page.rejected)
