"""`station doctor --server URL`: could a person log in, list and release at this print server?

Run it before kiosks go up at a new site. It logs in as `station jobs` does (--pin, --card,
--user/--password, or STATION_PIN, ...), then makes each call station uses, the vendor's
(contract 7.1) and station's profile (7.2), through the station's own client, and prints a
table: the call, its status, how long it took, the names of the fields that came back, and
what station does without it. Only names are printed, never a value: no token, PIN, card or
person's name reaches the output. `--json` writes the same, for sending to support.

Exit status 0 when a person could log in, list and release here; 1 with the reason otherwise;
2 for wrong use. No job is changed: the release is checked with a job id nobody has (all or
nothing, so nothing is released), and the session is revoked at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import textwrap
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from station import twin
from station.untrusted import plain

if TYPE_CHECKING:
    import httpx

    from station.api.client import StationClient
    from station.config import Settings

NOBODYS_JOB = 2**31 - 1  # a job id no person has: a release of it is refused and changes nothing
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")  # a field name; anything else may be a value


@dataclass
class Row:
    """One call: what it answered, and what station does without it."""

    call: str
    kind: str  # "vendor" (documented) or "profile" (station's own)
    status: str = "-"
    ms: int | None = None
    fields: list[str] = field(default_factory=list)
    present: bool | None = None  # None: not checked
    without: str = ""  # what station does when the server has not got it


@dataclass
class Report:
    server: str
    tls: str = ""
    scopes: list[str] = field(default_factory=list)
    expires_in: int | None = None
    refresh_token: bool = False
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ok: bool = False
    reason: str = ""


def add_parser(commands: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser(
        "doctor",
        parents=parents,
        help="check what a print server answers before kiosks go up (log in as with `station jobs`)",
        description="Log in, try each call station uses, and say what works and what station does without "
        "the rest. Prints field names only, never values. Exit 0 when a person could log in, list and release.",
    )
    twin.add_login_flags(doctor)
    doctor.add_argument("--json", action="store_true", help="print JSON (for support)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.server is None:
        print("station doctor: setting 'server' (STATION_SERVER): give --server URL", file=sys.stderr)
        return 2
    problem = twin.login_problem(args)
    if problem:
        print(f"station doctor: {problem}", file=sys.stderr)
        return 2

    async def check() -> Report:
        async with twin.connect(settings) as client:
            return await examine(client, args, settings.printer, insecure=settings.insecure)

    report = asyncio.run(check())
    print(json.dumps(asdict(report), indent=2) if args.json else render(report))
    return 0 if report.ok else 1


class Doctor:
    """Runs the checks on one client and keeps the rows."""

    def __init__(self, client: StationClient, report: Report) -> None:
        self.client = client
        self.report = report
        self.answers: list[httpx.Response] = []
        client.watch = self.answers.append

    async def check(self, call: str, kind: str, without: str, action: Callable[[], Awaitable[Any]]) -> Any:
        """Run one call; its row says what came back. No answer at all is raised to the caller."""
        from station.api.errors import ApiError, ServerUnreachable

        row = Row(call, kind, without=without)
        self.report.rows.append(row)
        self.answers.clear()
        started = time.perf_counter()
        try:
            result = await action()
        except ServerUnreachable:
            row.status = "no answer"
            raise
        except ApiError as error:
            result = error
        row.ms = round((time.perf_counter() - started) * 1000)
        if self.answers:
            row.status = str(self.answers[-1].status_code)
            row.fields = field_names(self.answers[-1])
        row.present = result is not None and not isinstance(result, ApiError)
        return result

    def skip(self, call: str, kind: str, why: str, without: str = "") -> None:
        said = f"not checked: {why}" + (f"; {without}" if without else "")
        self.report.rows.append(Row(call, kind, status="-", without=said))


async def examine(
    client: StationClient, args: argparse.Namespace, printer: str | None, *, insecure: bool = False
) -> Report:
    """Every check, in the order a kiosk makes the calls."""
    from station.api.errors import ApiError, CertificateNotTrusted, ServerUnreachable

    report = Report(server=client.server)
    https = client.server.startswith("https://")
    try:
        await _examine(Doctor(client, report), args, printer)
    except CertificateNotTrusted as error:
        report.tls = f"not trusted: {error.human}"
        report.reason = "The print server's certificate is not trusted."
        report.notes.append(
            "The vendor's server hands out its CA certificate at http://<host>:8090/api/v3/certificates/ca: "
            "save it and give --ca-bundle PATH."
        )
    except ServerUnreachable as error:
        report.reason = f"No answer from the print server: {error.human}"
    except ApiError as error:  # a refusal of a required call: the reason is already set
        report.reason = report.reason or plain(error.human)
    if not report.tls:
        report.tls = ("not verified (--insecure)" if insecure else "verified") if https else "none: plain http"
    report.ok = not report.reason
    if report.ok:
        report.reason = "A person can log in, list and release here."
    return report


async def _examine(doctor: Doctor, args: argparse.Namespace, printer: str | None) -> None:
    from station.api import capabilities as calls
    from station.api.client import PERSON_SCOPE
    from station.api.errors import ApiError

    client, report = doctor.client, doctor.report
    async def log_in() -> bool:
        await twin.log_in(client, args, PERSON_SCOPE)
        return True

    login = await doctor.check("POST /api/auth/token", "vendor", "nobody can log in", log_in)
    if isinstance(login, ApiError):
        report.reason = f"Cannot log in: {plain(login.human)}"
        raise login
    report.scopes = sorted(client.scopes)
    report.expires_in = client.expires_in
    report.refresh_token = bool(client.token_fields and "refresh_token" in client.token_fields)
    if not report.refresh_token:
        report.notes.append("No refresh token (scope offline.access not granted): a session ends at expires_in.")

    jobs = await doctor.check("GET /v3/jobs?limit&start", "vendor", "nobody sees their jobs",
                              lambda: client.jobs(limit=100))
    if isinstance(jobs, ApiError):
        report.reason = f"Cannot list jobs: {plain(jobs.human)}"
        raise jobs
    if jobs.rejected:
        report.notes.append(f"{len(jobs.rejected)} job(s) could not be read; station names them and shows the rest.")
    if client.capabilities.job_query is not None:
        await doctor.check("GET /v3/jobs (profileQuery)", "profile", "",
                           lambda: client.jobs(state=["ready", "paused"], sort="-dateTime", limit=1))
    else:
        doctor.skip("GET /v3/jobs (profileQuery)", "profile", "not named by the server",
                    "filters, sorts and pages the list in the station")
    job_id = jobs.jobs[0].id if jobs.jobs else None

    if job_id is None:
        doctor.skip("GET /v3/jobs/{id}", "vendor", "no job waiting")
        doctor.skip("GET /v3/jobs/{id}/state", "vendor", "no job waiting")
    else:
        await doctor.check("GET /v3/jobs/{id}", "vendor", "reads the whole list again", lambda: client.job(job_id))
        await doctor.check("GET /v3/jobs/{id}/state", "vendor", "cannot follow released jobs to the printer",
                           lambda: client.job_state(job_id))

    me = await doctor.check(calls.ME, "profile", "no balance shown; the name from /v3/users/find or as typed",
                            client.me)
    user = me if me is not None and not isinstance(me, ApiError) else None
    username = user.username if user is not None else args.user
    if "users" not in client.scopes or not username:
        doctor.skip(calls.USERS_FIND, "vendor", "needs the scope users and a user name",
                    "the name typed at login, or none")
    else:
        found = await doctor.check(calls.USERS_FIND, "vendor", "the name typed at login, or none",
                                   lambda: client.find_user(username))
        user = user or (found if found is not None and not isinstance(found, ApiError) else None)
    if user is None:
        doctor.skip(calls.ACCOUNTS, "vendor", "the server did not say who is logged in",
                    "charges the server's default account; no balance shown")
    else:
        user_id = user.id
        await doctor.check(calls.ACCOUNTS, "vendor", "charges the server's default account; no balance shown",
                           lambda: client.user_accounts(user_id))
    await doctor.check(calls.PROJECTS, "profile", "no project can be chosen", client.projects)
    await doctor.check(calls.AUDIT, "profile", "no history (h)", lambda: client.audit(limit=1))
    sides = "2-sided as a release option at the printer" if printer else "says it cannot change the sides"
    if job_id is None:
        doctor.skip(calls.SCRIPT_ASK, "profile", "no job waiting", sides)
    else:
        await doctor.check(calls.SCRIPT_ASK, "profile", sides, lambda: client.script_ask(job_id))
    await _release(doctor, printer)
    await doctor.check(calls.REVOKE, "profile", "the session ends when its token expires", _revoked(client))
    if client.capabilities.lacks(calls.REVOKE):
        report.rows[-1].present = False


async def _release(doctor: Doctor, printer: str | None) -> None:
    """The release call answers (a job id nobody has: refused, nothing released)."""
    client, report = doctor.client, doctor.report
    body: dict[str, Any] = {"jobIds": [NOBODYS_JOB], "projectId": 0, "account": None}
    if printer is None:
        doctor.skip("GET /v3/printers/{printer}/printAll", "vendor", "no printer set (--printer ID)",
                    "releases through POST /v3/jobs/process, as sent")
        call, path = "POST /v3/jobs/process", "/v3/jobs/process"
    else:
        where = f"/v3/printers/{quote(printer, safe='')}"
        answer = await doctor.check("GET /v3/printers/{printer}/printAll", "vendor", "",
                                    lambda: client.diagnose("GET", f"{where}/printAll"))
        if answer.status_code >= 400:
            report.rows[-1].present = False
            report.reason = f"The print server does not know printer {plain(printer)} (status {answer.status_code})."
        call, path = "POST /v3/printers/{printer}/jobs/release", f"{where}/jobs/release"
        body["releaseOptions"] = {"duplex": 0, "color": 0, "copies": 0}
    answer = await doctor.check(call, "vendor", "nobody can release",
                                lambda: client.diagnose("POST", path, json=body))
    status = answer.status_code
    if status in (401, 403):
        report.rows[-1].present = False
        report.reason = report.reason or f"This login may not release (status {status})."
    elif status in (405, 501):
        report.rows[-1].present = False
        report.reason = report.reason or f"The print server has no {call} (status {status})."
    elif status < 300:
        report.notes.append(f"{call} accepted a job id nobody has ({status}): check the server.")


def _revoked(client: StationClient) -> Callable[[], Awaitable[bool]]:
    async def revoke() -> bool:
        await client.revoke()
        return True

    return revoke


def field_names(response: httpx.Response) -> list[str]:
    """The names of the fields of a JSON answer, a list's items as `jobs[].id`. Only what looks
    like a name: a key that could be a value (a dialog id, a person's name) is counted, not shown."""
    try:
        body = response.json() if response.content else None
    except ValueError:
        return ["(not JSON)"]
    names: list[str] = []
    others = 0

    def walk(value: Any, prefix: str, depth: int) -> None:
        nonlocal others
        if isinstance(value, list):
            for item in value[:50]:
                walk(item, f"{prefix}[]", depth)
            return
        if not isinstance(value, dict) or depth > 2:
            return
        for key, inner in value.items():
            if not isinstance(key, str) or not NAME.match(key):
                others += 1
                continue
            name = f"{prefix}.{key}" if prefix else key
            if name not in names:
                names.append(name)
            walk(inner, name, depth + 1)

    walk(body, "", 0)
    if others:
        names.append(f"({others} other keys)")
    return names


def render(report: Report) -> str:
    """The table for people: one line per call, its field names wrapped below it."""
    head = ("call", "kind", "status", "ms", "without it, station")
    rows = [
        (row.call, row.kind, row.status, "" if row.ms is None else str(row.ms), row.without if not row.present else "")
        for row in report.rows
    ]
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) if rows else len(head[i]) for i in range(len(head))]
    lines = [
        f"Server   {plain(report.server)}",
        f"TLS      {plain(report.tls)}",
        (
            f"Token    scopes {' '.join(report.scopes) or '-'} · expires_in {report.expires_in or '-'} s"
            f" · refresh token {'yes' if report.refresh_token else 'no'}"
        ),
        "",
        _line(head, widths),
    ]
    for row, cells in zip(report.rows, rows, strict=True):
        lines.append(_line(cells, widths))
        if row.fields:
            names = ", ".join(row.fields)
            lines += textwrap.wrap(names, width=100, initial_indent="    fields: ", subsequent_indent=" " * 12)
    lines += [""] + [f"Note: {plain(note)}" for note in report.notes]
    lines.append(("OK: " if report.ok else "NOT READY: ") + plain(report.reason))
    return "\n".join(lines)


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    """The cells in their columns; the time (the fourth) aligned right."""
    return "  ".join(
        cell.rjust(width) if i == 3 else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ).rstrip()
