"""The commands of `station jobs`: the parser, the checks before anything is sent, and each action
through the same `StationClient` calls as the app."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from station.twin.owner import Owner, find_owner, find_project
from station.twin.render import render
from station.twin.words import REASON_NEEDED, UsageError, refusal

if TYPE_CHECKING:  # the client is imported when a command runs, so `station --help` stays quick
    from station.api.client import StationClient
    from station.api.models import Job, ReleaseAnswer
    from station.api.release import ReleaseOptions
    from station.config import Settings

ACTIONS = ("list", "release", "cancel", "duplex", "project", "favorite", "spool", "projects", "accounts")
NEED_IDS = ("release", "cancel", "duplex", "project", "favorite")
TAKE_NO_IDS = ("spool", "projects", "accounts")
READS = ("list", "projects", "accounts")  # the rest change jobs: for another person, with a reason


def add_parser(commands: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    jobs = commands.add_parser(
        "jobs",
        parents=parents,
        help="list, release, cancel, duplex, project, favorite or spool jobs without the TUI",
        description="The station's actions for scripts. Log in with --pin, --card, --user/--password "
        "or their environment variables STATION_PIN, STATION_CARD, STATION_USER, STATION_PASSWORD. "
        "`projects` and `accounts` list what can be charged.",
    )
    jobs.add_argument("action", choices=ACTIONS)
    jobs.add_argument("ids", nargs="*", type=int, metavar="ID", help="job ids (for list: show only these)")
    add_login_flags(jobs)
    jobs.add_argument("--json", action="store_true", help="print JSON for scripts")
    jobs.add_argument("--project", metavar="PROJECT", help="a project's id, code or name (0 = no project)")
    jobs.add_argument("--account", metavar="ACCOUNT", help="account id to charge (default: the owner's)")
    jobs.add_argument("--off", action="store_true", help="duplex: back to 1-sided; favorite: unmark")
    jobs.add_argument("--owner", metavar="USER", help="helpdesk: act for this user name")
    jobs.add_argument("--reason", metavar="TEXT", help="helpdesk: why you change another user's job")
    jobs.add_argument("--name", help="spool: the job's name")
    jobs.add_argument("--queue", default="direct", help="spool: queue (default direct)")
    jobs.add_argument("--pages", type=at_least(1), default=1, metavar="N", help="spool: pages per copy")
    jobs.add_argument("--colour-pages", "--color-pages", dest="colour_pages", type=at_least(0), default=0,
                      metavar="N", help="spool: colour pages among them")
    jobs.add_argument("--copies", type=at_least(1), metavar="N",
                      help="spool: copies (default 1); release at a printer: copies")
    jobs.add_argument("--duplex", action="store_true", help="spool, or release at a printer: print 2-sided")
    jobs.add_argument("--mono", action="store_true", help="release at a printer: black and white")


def add_login_flags(parser: argparse.ArgumentParser) -> None:
    """--pin, --card, --user, --password; each defaults to its STATION_* variable (kept out of `ps`)."""
    login = parser.add_argument_group("login")
    for name, (flag, variable, _) in LOGIN_FLAGS.items():
        login.add_argument(flag, dest=name, default=os.environ.get(variable) or None)  # an empty variable: unset


LOGIN_FLAGS = {  # dest: flag, environment variable, what a person gives with it
    "pin": ("--pin", "STATION_PIN", "the PIN"),
    "card": ("--card", "STATION_CARD", "the card number"),
    "user": ("--user", "STATION_USER", "the user name"),
    "password": ("--password", "STATION_PASSWORD", "the password"),
}


def login_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the login given, in words; None when it can be sent. A blank value is
    never sent: the print server would refuse it in its wire words."""
    for name, (flag, variable, what) in LOGIN_FLAGS.items():
        value = getattr(args, name)
        if value is not None and not value.strip():
            return f"{flag} (or {variable}) is empty: give {what}"
    if args.pin or args.card or (args.user and args.password):
        return None
    if args.user:
        return "--user needs --password (or STATION_PASSWORD)"
    if args.password:
        return "--password needs --user (or STATION_USER)"
    return "log in with --pin, --card, or --user and --password (or STATION_PIN, ...)"


def at_least(minimum: int) -> Any:
    """An argparse type: a whole number of at least `minimum` (else wrong use, exit 2)."""

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return whole


def run(args: argparse.Namespace, settings: Settings) -> int:
    from station.api.errors import ApiError, ReasonRequired

    try:
        if settings.server is None:
            raise UsageError("setting 'server' (STATION_SERVER): give --server URL")
        check(args, settings)
        result = asyncio.run(_run(args, settings))
    except (UsageError, ReasonRequired) as error:
        said = REASON_NEEDED if isinstance(error, ReasonRequired) else str(error)
        print(f"station jobs: {said}", file=sys.stderr)
        return 2
    except ApiError as error:
        print(f"station jobs: {refusal(error)}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, default=str) if args.json else render(args.action, result))
    return 1 if result.get("stillWaiting") or result.get("unknown") else 0


def check(args: argparse.Namespace, settings: Settings) -> None:
    """Refuse a wrong call before anything is sent."""
    if args.action in NEED_IDS and not args.ids:
        raise UsageError(f"{args.action} needs one or more job ids")
    if args.action in TAKE_NO_IDS and args.ids:
        raise UsageError(f"{args.action} takes no job ids")
    if args.action == "release" and (args.duplex or args.mono or args.copies is not None):
        if settings.printer is None:
            raise UsageError("--duplex, --mono and --copies choose how a printer prints: give --printer ID")
        release_options(args)
    if args.action == "project" and args.project is None:
        raise UsageError("project needs --project PROJECT (its id, code or name; 0 removes the project)")
    if args.action == "spool" and not args.name:
        raise UsageError("spool needs --name")
    problem = login_problem(args)
    if problem:
        raise UsageError(problem)


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
            owner = await find_owner(client, args)
            reason = (args.reason or "").strip() or None  # sent whenever given: the server may ask for it
            if owner.acting_id is not None and args.action not in READS and reason is None:
                raise UsageError(REASON_NEEDED)
            result = await _act(client, args, owner, reason, settings.printer)
            return {**result, "currency": owner.currency(args.account)}
        finally:
            await client.revoke()


async def _act(
    client: StationClient, args: argparse.Namespace, owner: Owner, reason: str | None, printer: str | None
) -> dict[str, Any]:
    ids = list(dict.fromkeys(args.ids))  # each job once, in the order given
    if args.action == "list":
        return await _list(client, owner, ids)
    if args.action == "projects":
        return await _projects(client, owner)
    if args.action == "accounts":
        return _accounts(owner)
    if args.action == "release":
        project = await find_project(client, owner, args.project) if args.project is not None else None
        project_id = project.id if project is not None else 0
        if printer is not None and owner.acting_id is None:
            options = release_options(args)
            send = client.release_at_printer(printer, ids, options=options, project_id=project_id,
                                             account=args.account, reason=reason)
            return await _released(client, ids, send, owner, printer=printer, options=options.wire())
        send = client.process(ids, owner=owner.name, project_id=project_id, account=args.account, reason=reason)
        return await _released(client, ids, send, owner)
    if args.action == "cancel":
        return await _cancel(client, ids, owner, reason)
    if args.action == "duplex":
        return {"jobs": [_job(await client.set_duplex(job_id, not args.off, reason=reason)) for job_id in ids]}
    if args.action == "project":
        project = await find_project(client, owner, args.project)
        project_id = project.id if project is not None else 0
        jobs = await _patched(client, ids, reason, project_id=project_id)
        shown = None if project is None else project.model_dump(mode="json", by_alias=True)
        return {"jobs": jobs, "projectId": project_id, "project": shown}
    if args.action == "favorite":
        return {"jobs": await _patched(client, ids, reason, favorite=not args.off)}
    return await _spool(client, args, owner, reason)


async def _list(client: StationClient, owner: Owner, ids: list[int]) -> dict[str, Any]:
    """The pending jobs; with ids, only those (a job no longer pending is read by its id)."""
    from station.api.errors import NotFound

    listed = await client.jobs(owner_id=owner.acting_id)
    result: dict[str, Any] = {"owner": owner.name, "unreadable": listed.rejected}
    if not ids:
        return {**result, "jobs": [_job(job) for job in listed.jobs], "count": listed.count, "unknown": []}
    pending = {job.id: job for job in listed.jobs}
    jobs: list[Job] = []
    unknown: list[int] = []
    for job_id in ids:
        job = pending.get(job_id)
        if job is None:
            try:
                job = await client.job(job_id)
            except NotFound:
                job = None
        theirs = job is not None and (owner.user is None or job.owner_id in (None, owner.user.id))
        if job is not None and theirs:
            jobs.append(job)
        else:
            unknown.append(job_id)
    return {**result, "jobs": [_job(job) for job in jobs], "count": len(jobs), "unknown": unknown}


async def _projects(client: StationClient, owner: Owner) -> dict[str, Any]:
    from station.api.errors import Unsupported

    found = await client.projects(owner_id=owner.acting_id)
    if found is None:
        raise Unsupported("This print server does not list projects: give --project the project's id.")
    projects = [project.model_dump(mode="json", by_alias=True) for project in found.projects]
    return {"owner": owner.name, "projects": projects, "count": found.count}


def _accounts(owner: Owner) -> dict[str, Any]:
    from station.api.errors import Unsupported

    if owner.user is None or not owner.accounts_known:
        raise Unsupported(
            "This print server does not say which accounts can be charged: a release charges its default account."
        )
    accounts = [account.model_dump(mode="json", by_alias=True) for account in owner.user.accounts]
    default = owner.user.account(None)
    return {"owner": owner.name, "accounts": accounts, "default": default.id if default else None,
            "balancesKnown": owner.balances_known}


async def _patched(client: StationClient, ids: list[int], reason: str | None, **change: Any) -> list[dict[str, Any]]:
    changed = await client.patch_jobs(ids, reason=reason, **change)
    # Any 2xx is done; when the body does not say how the jobs are now, read them again.
    jobs = changed.jobs if changed is not None else await asyncio.gather(*(client.job(job_id) for job_id in ids))
    return [_job(job) for job in jobs]


async def _spool(client: StationClient, args: argparse.Namespace, owner: Owner, reason: str | None) -> dict[str, Any]:
    if owner.name is None:
        raise UsageError("spool needs the owner's user name, and this print server does not say it: give --owner")
    job_id = await client.spool(
        queue=args.queue,
        owner=owner.name,
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


async def _cancel(client: StationClient, ids: list[int], owner: Owner, reason: str | None) -> dict[str, Any]:
    """Cancel the jobs not canceled yet; those that are are said, not sent again."""
    from station.api.models import JobStateName

    jobs = await asyncio.gather(*(client.job(job_id) for job_id in ids))
    already = [job.id for job in jobs if job.state == JobStateName.CANCELED]
    wanted = [job_id for job_id in ids if job_id not in already]
    if not wanted:
        return {"canceled": [], "alreadyCanceled": already}
    outcome = await _outcome(client, wanted, client.cancel(wanted, reason=reason), owner, done="canceled")
    said = outcome if isinstance(outcome, dict) else {"canceled": wanted}
    return {**said, "alreadyCanceled": already}


async def _released(
    client: StationClient, ids: list[int], send: Awaitable[ReleaseAnswer | None], owner: Owner, **where: Any
) -> dict[str, Any]:
    """A release: what the server said it charged, or (no body, or no answer) what the list shows."""
    outcome = await _outcome(client, ids, send, owner)
    if isinstance(outcome, dict):
        return {**outcome, **where}
    result = outcome
    if result is None:  # done, the body says no more: read the list again (contract 7.3, point 3)
        listed = await _still_waiting(client, ids, owner)
        return {"released": ids, "stillListed": listed, "jobs": [], "charged": None, "balance": None, **where}
    return {
        "released": ids,
        "jobs": [_job(job) for job in result.jobs],
        "charged": f"{result.charged:.2f}",
        "balance": None if result.balance is None else f"{result.balance:.2f}",
        **where,
    }


async def _outcome(
    client: StationClient, ids: list[int], send: Awaitable[Any], owner: Owner, *, done: str = "released"
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
        left = await _still_waiting(client, ids, owner)
    except ApiError:
        raise type(lost)(
            f"{lost.message} The list cannot be read now either: check it (station jobs list) before trying again."
        ) from None
    return {done: [i for i in ids if i not in left], "stillWaiting": left, "noAnswer": True}


async def _still_waiting(client: StationClient, ids: list[int], owner: Owner) -> list[int]:
    waiting = {job.id for job in (await client.jobs(owner_id=owner.acting_id, limit=500)).jobs}
    return [job_id for job_id in ids if job_id in waiting]


def _job(job: Job) -> dict[str, Any]:
    return job.model_dump(mode="json", by_alias=True)
