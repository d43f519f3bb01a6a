"""Reading `GET /v3/jobs` whatever query the server takes (contract 7.3, point 2).

The profile's query goes out only once the server has named it (`profileQuery`); else the
station reads the whole list by `count` and filters, sorts and pages it itself (`listing.py`).
"""

from __future__ import annotations

from typing import Any

from station.api.errors import Unsupported
from station.api.listing import PAGE, JobQuery, Page, as_list, read_page
from station.api.models import Job, JobList
from station.api.wire import Wire

MAX_JOBS_READ = 10_000  # the station filters at most this many jobs itself (20 pages)


async def read_jobs(wire: Wire, query: JobQuery) -> JobList:
    """A page of jobs as `query` asks; a job that cannot be read is left out and named."""
    wanted = set(query.profile_params())
    if not wanted:
        return as_list(await read_page_of(wire, query.paging()))
    if not wire.capabilities.takes_query(wanted):
        first = await read_page_of(wire, {"limit": PAGE, "start": 0})  # also learns profileQuery
        if not wire.capabilities.takes_query(wanted):
            if query.owner_id is not None or query.all_owners:
                raise Unsupported("This print server does not let station list other people's jobs.")
            return query.page(*await every_job(wire, first))
    return as_list(await read_page_of(wire, query.params()))


async def read_page_of(wire: Wire, params: dict[str, Any]) -> Page:
    """One `GET /v3/jobs`, job by job; learns which query the server takes."""
    page = read_page((await wire.send("GET", "/v3/jobs", params=params)).content)
    wire.capabilities.learn_job_query(page.profile_query)
    return page


async def every_job(wire: Wire, first: Page) -> tuple[list[Job], list[str]]:
    """The whole list, page after page by `count` (at most MAX_JOBS_READ); a server that
    ignores `start` is noticed (a page with nothing new) and not read for ever."""
    jobs = {job.id: job for job in first.jobs}
    rejected = list(first.rejected)
    page, read = first, first.size
    while read < MAX_JOBS_READ and page.size and (read < page.count if page.count is not None else page.size >= PAGE):
        page = await read_page_of(wire, {"limit": PAGE, "start": read})
        new = [job for job in page.jobs if job.id not in jobs]
        if page.size and not new and not page.rejected:
            break
        jobs.update((job.id, job) for job in new)
        rejected += page.rejected
        read += page.size
    return list(jobs.values()), rejected
