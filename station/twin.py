"""`station jobs ...`: the station's actions without the TUI, for scripts and quick checks.

The same StationClient calls as the app; human-readable tables by default, `--json` for
scripts. Exit status 0 on success; 1 with the server's reason when it refuses; 2 for wrong use.
Secrets come from flags or, better (they do not show in `ps`), from the environment:
STATION_PIN, STATION_CARD, STATION_USER, STATION_PASSWORD.

With a printer (`--printer ID` or STATION_PRINTER) a release goes to that printer, where
`--duplex`, `--mono` and `--copies N` choose how it prints. A release or cancel that was sent
but got no answer is never sent again: the jobs are read again and the outcome said.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from station.text import plain

if TYPE_CHECKING:  # the client is imported when a command runs, so `station --help` stays quick
    from station.api.client import StationClient
    from station.api.models import Job, ProcessResult, User
    from station.api.release import ReleaseOptions
    from station.config import Settings

ACTIONS = ("list", "release", "cancel", "duplex", "project", "favorite", "spool")


def add_parser(commands: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    jobs = commands.add_parser(
        "jobs",
        parents=parents,
        help="list, release, cancel, duplex, project, favorite or spool jobs without the TUI",
        description="The station's actions for scripts. Log in with --pin, --card, --user/--password "
        "or their environment variables STATION_PIN, STATION_CARD, STATION_USER, STATION_PASSWORD.",
    )
    jobs.add_argument("action", choices=ACTIONS)
    jobs.add_argument("ids", nargs="*", type=int, metavar="ID", help="job ids")
    add_login_flags(jobs)
    jobs.add_argument("--json", action="store_true", help="print JSON for scripts")
    jobs.add_argument("--project", type=int, metavar="ID", help="project id (0 = no project)")
    jobs.add_argument("--account", metavar="ACCOUNT", help="account id to charge (default: the owner's)")
    jobs.add_argument("--off", action="store_true", help="duplex: back to 1-sided; favorite: unmark")
    jobs.add_argument("--owner", metavar="USER", help="helpdesk: act for this user name")
    jobs.add_argument("--reason", metavar="TEXT", help="helpdesk: why you act on another user's job")
    jobs.add_argument("--name", help="spool: the job's name")
    jobs.add_argument("--queue", default="direct", help="spool: queue (default direct)")
    jobs.add_argument("--pages", type=int, default=1, help="spool: pages per copy")
    jobs.add_argument("--colour-pages", "--color-pages", dest="colour_pages", type=int, default=0)
    jobs.add_argument("--copies", type=int, metavar="N", help="spool: copies (default 1); release at a printer: copies")
    jobs.add_argument("--duplex", action="store_true", help="spool, or release at a printer: print 2-sided")
    jobs.add_argument("--mono", action="store_true", help="release at a printer: black and white")


def add_login_flags(parser: argparse.ArgumentParser) -> None:
    """--pin, --card, --user, --password; each defaults to its STATION_* variable (kept out of `ps`)."""
    login = parser.add_argument_group("login")
    login.add_argument("--pin", default=os.environ.get("STATION_PIN"))
    login.add_argument("--card", default=os.environ.get("STATION_CARD"))
    login.add_argument("--user", default=os.environ.get("STATION_USER"))
    login.add_argument("--password", default=os.environ.get("STATION_PASSWORD"))


class UsageError(Exception):
    pass


def run(args: argparse.Namespace, settings: Settings) -> int:
    from station.api.errors import ApiError

    try:
        if settings.server is None:
            raise UsageError("setting 'server' (STATION_SERVER): give --server URL")
        check(args, settings)
        result = asyncio.run(_run(args, settings))
    except UsageError as error:
        print(f"station jobs: {error}", file=sys.stderr)
        return 2
    except ApiError as error:
        reason = f"{error.reason}: " if error.reason else ""
        print(f"station jobs: {reason}{plain(error.human)}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, default=str) if args.json else render(args.action, result))
    return 1 if result.get("stillWaiting") else 0


def check(args: argparse.Namespace, settings: Settings) -> None:
    """Refuse a wrong call before anything is sent."""
    if args.action in ("release", "cancel", "duplex", "project", "favorite") and not args.ids:
        raise UsageError(f"{args.action} needs one or more job ids")
    if args.action == "release" and (args.duplex or args.mono or args.copies is not None):
        if settings.printer is None:
            raise UsageError("--duplex, --mono and --copies choose how a printer prints: give --printer ID")
        release_options(args)
    if args.action == "project" and args.project is None:
        raise UsageError("project needs --project ID (0 removes the project)")
    if args.action == "spool" and not args.name:
        raise UsageError("spool needs --name")
    if not (args.pin or args.card or (args.user and args.password)):
        raise UsageError("log in with --pin, --card, or --user and --password (or STATION_PIN, ...)")


async def log_in(client: StationClient, args: argparse.Namespace, scope: str) -> None:
    if args.card and args.pin:
        await client.login_card_pin(args.card, args.pin, scope=scope)
    elif args.card and args.password:
        await client.login_card_password(args.card, args.password, scope=scope)
    elif args.card:
        await client.login_card(args.card, scope=scope)
    elif args.pin:
        await client.login_pin(args.pin, scope=scope)
    else:
        await client.login_password(args.user, args.password, scope=scope)


def release_options(args: argparse.Namespace) -> ReleaseOptions:
    from station.api.release import ReleaseOptions

    try:
        return ReleaseOptions(duplex=True if args.duplex else None, mono=args.mono, copies=args.copies)
    except ValueError as error:
        raise UsageError(f"--copies: {error}") from None


def connect(settings: Settings) -> StationClient:
    """A client for the print server of the settings (the doctor logs in the same way)."""
    from station.api.client import StationClient

    return StationClient(
        settings.server or "",
        client_id=settings.client_id,
        client_secret=settings.client_secret.get_secret_value(),
        timeout=settings.timeout,
        verify=settings.verify,
    )


async def _run(args: argparse.Namespace, settings: Settings) -> Any:
    from station.api.client import HELPDESK_SCOPE, PERSON_SCOPE

    async with connect(settings) as client:
        await log_in(client, args, HELPDESK_SCOPE if args.owner else PERSON_SCOPE)
        try:
            return await _act(client, args, settings.printer)
        finally:
            await client.revoke()


async def _act(client: StationClient, args: argparse.Namespace, printer: str | None) -> dict[str, Any]:
    who = await client.who(args.user)
    me = who.user
    owner = await _owner(client, me, args.owner)
    acting = owner is not None and (me is None or owner.id != me.id)
    reason = args.reason if acting else None
    owner_name = owner.username if owner is not None else who.username
    owner_id = owner.id if acting and owner is not None else None
    ids = args.ids
    if args.action == "list":
        jobs = await client.jobs(owner_id=owner_id)
        return {"owner": owner_name, "jobs": [_job(job) for job in jobs.jobs], "count": jobs.count,
                "unreadable": jobs.rejected}
    if args.action == "release":
        if printer is not None and not acting:
            options = release_options(args)
            send = client.release_at_printer(printer, ids, options=options, project_id=args.project or 0,
                                             account=args.account, reason=reason)
            return await _released(client, ids, send, owner_id, printer=printer, options=options.wire())
        send = client.process(ids, owner=owner_name, project_id=args.project or 0, account=args.account, reason=reason)
        return await _released(client, ids, send, owner_id)
    if args.action == "cancel":
        return await _canceled(client, ids, client.cancel(ids, reason=reason), owner_id)
    if args.action == "duplex":
        return {"jobs": [_job(await client.set_duplex(job_id, not args.off, reason=reason)) for job_id in ids]}
    if args.action in ("project", "favorite"):
        change = {"project_id": args.project} if args.action == "project" else {"favorite": not args.off}
        changed = await client.patch_jobs(ids, reason=reason, **change)
        # Any 2xx is done; when the body does not say how the jobs are now, read them again.
        jobs = changed.jobs if changed is not None else [await client.job(job_id) for job_id in ids]
        return {"jobs": [_job(job) for job in jobs]}
    if owner_name is None:
        raise UsageError("spool needs the owner's user name, and this print server does not say it: give --owner")
    job_id = await client.spool(
        queue=args.queue,
        owner=owner_name,
        name=args.name,
        job_info={
            "pageCount": args.pages,
            "colorCount": args.colour_pages,
            "copies": args.copies if args.copies is not None else 1,
            "duplex": args.duplex,
            "color": args.colour_pages > 0,
        },
        reason=reason,
    )
    return {"jobs": [_job(await client.job(job_id))]}


async def _released(
    client: StationClient, ids: list[int], send: Awaitable[ProcessResult | None], owner_id: int | None, **where: Any
) -> dict[str, Any]:
    """A release: what the server said it charged, or (no body, or no answer) what the list shows."""
    outcome = await _outcome(client, ids, send, owner_id)
    if isinstance(outcome, dict):
        return {**outcome, **where}
    result = outcome
    if result is None:  # done, the body says no more: read the list again (contract 7.3, point 3)
        listed = await _still_waiting(client, ids, owner_id)
        return {"released": ids, "stillListed": listed, "jobs": [], "charged": None, "balance": None, **where}
    return {
        "released": ids,
        "jobs": [_job(job) for job in result.jobs],
        "charged": f"{result.charged:.2f}",
        "balance": None if result.balance is None else f"{result.balance:.2f}",
        **where,
    }


async def _canceled(
    client: StationClient, ids: list[int], send: Awaitable[None], owner_id: int | None
) -> dict[str, Any]:
    outcome = await _outcome(client, ids, send, owner_id, done="canceled")
    return outcome if isinstance(outcome, dict) else {"canceled": ids}


async def _outcome(
    client: StationClient, ids: list[int], send: Awaitable[Any], owner_id: int | None, *, done: str = "released"
) -> Any:
    """Send a release or cancel once. Sent without an answer (issue 11, item 11): read the list
    again and say which jobs went through and which still wait; never send it again."""
    from station.api.errors import ApiError, ServerUnreachable

    try:
        return await send
    except ServerUnreachable as error:
        if not error.sent:
            raise
        lost = error
    try:
        left = await _still_waiting(client, ids, owner_id)
    except ApiError:
        raise type(lost)(
            f"{lost.message} The list cannot be read now either: check it (station jobs list) before trying again."
        ) from None
    return {done: [i for i in ids if i not in left], "stillWaiting": left, "noAnswer": True}


async def _still_waiting(client: StationClient, ids: list[int], owner_id: int | None) -> list[int]:
    waiting = {job.id for job in (await client.jobs(owner_id=owner_id, limit=500)).jobs}
    return [job_id for job_id in ids if job_id in waiting]


async def _owner(client: StationClient, me: User | None, username: str | None) -> User | None:
    """Whose jobs: the person logged in (None when the server does not say), or `--owner`."""
    if not username or (me is not None and username == me.username):
        return me
    found = await client.find_user(username)
    if found is not None:
        return found
    listed = await client.users(username)
    for user in listed.users:
        if user.username == username:
            return user
    raise UsageError(f"no user named {username!r}")


def _job(job: Job) -> dict[str, Any]:
    return job.model_dump(mode="json", by_alias=True)


COLUMNS = (
    ("id", "id", ">"),
    ("name", "name", "<"),
    ("state", "state", "<"),
    ("pages", "pageCount", ">"),
    ("colour", "colorCount", ">"),
    ("copies", "copies", ">"),
    ("sides", "duplex", "<"),
    ("cost", "cost", ">"),
    ("project", "projectId", ">"),
)


def render(action: str, result: dict[str, Any]) -> str:
    """A plain table for people; every value passes through plain()."""
    lines: list[str] = []
    jobs = result.get("jobs") or []
    if jobs:
        rows = [[_cell(key, job.get(key)) for _, key, _ in COLUMNS] for job in jobs]
        widths = [max(len(title), *(len(row[i]) for row in rows)) for i, (title, _, _) in enumerate(COLUMNS)]
        align = [a for _, _, a in COLUMNS]
        lines.append("  ".join(f"{title:{a}{w}}" for (title, _, a), w in zip(COLUMNS, widths)))
        lines.extend("  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths)) for row in rows)
    elif action == "list":
        lines.append("No jobs are waiting.")
    if action == "list" and jobs:
        total = sum(Decimal(str(job.get("cost") or 0)) for job in jobs)
        lines.append(f"{len(jobs)} of {_count(result['count'], 'job')} · {total:.2f}")
    if action == "list" and result.get("unreadable"):
        lines.append(f"{_count(len(result['unreadable']), 'job')} could not be read and not shown.")
    if result.get("noAnswer"):
        lines.append(f"No answer came back after the {action} was sent; the list was read again:")
    where = f" at printer {plain(result['printer'])}" if result.get("printer") else ""
    if result.get("released"):
        said = f"Released {_count(len(result['released']), 'job')}{where}"
        if result.get("charged") is not None:
            balance = "unlimited" if result["balance"] is None else result["balance"]
            said += f" · charged {result['charged']} · balance {balance}"
        elif not result.get("noAnswer"):
            said += " · the print server works out the cost"
        lines.append(f"{said}: " + ", ".join(str(i) for i in result["released"]))
    if result.get("canceled"):
        lines.append("Canceled " + ", ".join(str(i) for i in result["canceled"]))
    if result.get("stillListed"):
        lines.append(
            "The print server still lists " + ", ".join(str(i) for i in result["stillListed"])
            + ": it may take a moment; check the list before releasing again."
        )
    if result.get("stillWaiting"):
        waiting = ", ".join(str(i) for i in result["stillWaiting"])
        lines.append(f"Still waiting (not done; run it again to try): {waiting}")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _cell(key: str, value: Any) -> str:
    if key == "duplex":
        return "2-sided" if value else "1-sided"
    if key == "name":
        return plain(value or "", limit=40)
    if key == "projectId":
        return str(value) if value else "-"
    if key == "cost":
        return f"{Decimal(str(value or 0)):.2f}"
    return plain("" if value is None else value)
