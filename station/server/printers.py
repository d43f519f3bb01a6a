"""Release at a printer, the vendor's documented way to print (contract 7.1), in both modes.

`GET /v3/printers/{id}/printAll` lists what "print all" would release there;
`POST /v3/printers/{id}/jobs/release` releases with `releaseOptions`, through the one release
of `jobs.release` (same rules, one charge), each job priced and stored as it prints.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Request, Response
from pydantic import Field

from station.api import models as m
from station.api.models import MAX_ID, MAX_IDS
from station.server import jobs
from station.server.auth import Principal
from station.server.deps import Caller, path_id, reason_of, store_of
from station.server.errors import error_responses, not_found
from station.server.print_options import PrintOptions
from station.server.shapes import PrintAll, PrintAllJob
from station.server.store import Store

PRINT_ALL = "/api/v3/printers/{printer_id}/printAll"
RELEASE = "/api/v3/printers/{printer_id}/jobs/release"
MAX_COPIES = 10_000


class ReleaseOptions(m.RequestModel):
    """How the jobs print. Every option 0 (or left out) prints the job as it was sent."""

    copies: int = Field(default=0, ge=0, le=MAX_COPIES, description="0 as sent; N: N copies.")
    duplex: int = Field(
        default=0, ge=0, le=3, description="0 as sent, 1 single-sided, 2 long edge, 3 short edge."
    )
    color: int = Field(default=0, ge=0, le=2, description="0 as sent, 1 colour, 2 black and white.")
    stapling: int = Field(default=0, ge=0, le=MAX_ID, description="Accepted; not applied here.")
    punching: int = Field(default=0, ge=0, le=MAX_ID, description="Accepted; not applied here.")
    toner_saving: int = Field(default=0, ge=0, le=MAX_ID, description="Accepted; not applied here.")


class PrinterRelease(m.RequestModel):
    """Body of `POST /v3/printers/{id}/jobs/release` (the vendor's)."""

    project_id: int = Field(default=0, ge=0, le=MAX_ID)
    job_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=MAX_IDS)
    release_options: ReleaseOptions = Field(default_factory=ReleaseOptions)
    account: str | None = Field(default=None, max_length=200, description="null: the owner's default.")


def check_printer(store: Store, raw_id: str) -> int:
    """The printer's id, or 404 when there is no such printer."""
    printer_id = path_id(raw_id, "printer")
    with store.read() as db:
        known = db.scalar("SELECT 1 FROM printers WHERE id = ?", (printer_id,))
    if not known:
        raise not_found("printer")
    return printer_id


def print_all(store: Store, p: Principal) -> PrintAll:
    """The caller's ready jobs, oldest first, as many as one release takes (an application has
    no jobs of its own)."""
    if p.user_id is None:
        return PrintAll(jobs=[], more_jobs=False, project_selected=False)
    ready = jobs.list_jobs(
        store, p, jobs.JobQuery(states=("ready",), owner_id=p.user_id, sort="dateTime", limit=MAX_IDS),
    )
    listed = [PrintAllJob(id=job.id, project_id=job.project_id) for job in ready.jobs]
    return PrintAll(
        jobs=listed,
        more_jobs=ready.count > len(listed),
        project_selected=bool(listed) and all(job.project_id for job in listed),
    )


def release(request: Request, p: Principal, printer_id: str, body: PrinterRelease) -> dict[str, Any]:
    """Release the caller's jobs at a printer, priced as the options print them."""
    p.require("jobs")
    store = store_of(request)
    check_printer(store, printer_id)
    chosen = body.release_options
    options = PrintOptions.from_vendor(duplex=chosen.duplex, color=chosen.color, copies=chosen.copies)
    process = m.ProcessRequest(job_ids=body.job_ids, project_id=body.project_id, account=body.account)
    return jobs.release(
        store, p, process, reason_of(request), {job_id: options for job_id in body.job_ids}
    )


RELEASE_ERRORS = error_responses(400, 401, 402, 403, 404, 409, 413, 422)


def add_routes(app: FastAPI, *, vendor: bool) -> None:
    """The printer routes; `vendor`: the release answers 202 with no body, as the vendor's.
    (Added to the app itself, not through `include_router`: FastAPI keeps an included router as
    one opaque route, which the 405 answer's `Allow` and vendor mode's route list cannot see.)"""

    @app.get(PRINT_ALL, response_model=PrintAll, tags=["printers"], responses=error_responses(401, 403, 404, 422))
    def get_print_all(printer_id: str, request: Request, p: Caller) -> PrintAll:
        p.require("jobs")
        store = store_of(request)
        check_printer(store, printer_id)
        return print_all(store, p)

    if vendor:

        @app.post(
            RELEASE, status_code=202, response_class=Response, tags=["printers"],
            responses={202: {"description": "Accepted: the jobs print. No body."}, **RELEASE_ERRORS},
        )
        def release_at_printer_vendor(
            printer_id: str, body: PrinterRelease, request: Request, p: Caller
        ) -> Response:
            release(request, p, printer_id, body)
            return Response(status_code=202)

    else:

        @app.post(
            RELEASE, response_model=m.ProcessResult, status_code=202, tags=["printers"], responses=RELEASE_ERRORS
        )
        def release_at_printer(
            printer_id: str, body: PrinterRelease, request: Request, p: Caller
        ) -> dict[str, Any]:
            return release(request, p, printer_id, body)
