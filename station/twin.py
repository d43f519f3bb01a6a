"""`station jobs ...`: the station's actions without the TUI, for scripts and quick checks.

The same StationClient calls as the app; human-readable tables by default, `--json` for
scripts. Exit status 0 on success; 1 with the server's reason when it refuses; 2 for wrong use.
Secrets come from flags or, better (they do not show in `ps`), from the environment:
STATION_PIN, STATION_CARD, STATION_USER, STATION_PASSWORD.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from station.text import plain

if TYPE_CHECKING:  # the client is imported when a command runs, so `station --help` stays quick
    from station.api.client import StationClient
    from station.api.models import Job, User
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
    login = jobs.add_argument_group("login")
    login.add_argument("--pin", default=os.environ.get("STATION_PIN"))
    login.add_argument("--card", default=os.environ.get("STATION_CARD"))
    login.add_argument("--user", default=os.environ.get("STATION_USER"))
    login.add_argument("--password", default=os.environ.get("STATION_PASSWORD"))
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
    jobs.add_argument("--copies", type=int, default=1)
    jobs.add_argument("--duplex", action="store_true", help="spool: print 2-sided")


class UsageError(Exception):
    pass


def run(args: argparse.Namespace, settings: Settings) -> int:
    from station.api.errors import ApiError

    try:
        if settings.server is None:
            raise UsageError("setting 'server' (STATION_SERVER): give --server URL")
        check(args)
        result = asyncio.run(_run(args, settings))
    except UsageError as error:
        print(f"station jobs: {error}", file=sys.stderr)
        return 2
    except ApiError as error:
        reason = f"{error.reason}: " if error.reason else ""
        print(f"station jobs: {reason}{plain(error.human)}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, default=str) if args.json else render(args.action, result))
    return 0


def check(args: argparse.Namespace) -> None:
    """Refuse a wrong call before anything is sent."""
    if args.action in ("release", "cancel", "duplex", "project", "favorite") and not args.ids:
        raise UsageError(f"{args.action} needs one or more job ids")
    if args.action == "project" and args.project is None:
        raise UsageError("project needs --project ID (0 removes the project)")
    if args.action == "spool" and not args.name:
        raise UsageError("spool needs --name")
    if not (args.pin or args.card or (args.user and args.password)):
        raise UsageError("log in with --pin, --card, or --user and --password (or STATION_PIN, ...)")


async def _login(client: StationClient, args: argparse.Namespace, scope: str) -> None:
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


async def _run(args: argparse.Namespace, settings: Settings) -> Any:
    from station.api.client import HELPDESK_SCOPE, PERSON_SCOPE, StationClient

    client = StationClient(
        settings.server or "",
        client_id=settings.client_id,
        client_secret=settings.client_secret.get_secret_value(),
        timeout=settings.timeout,
        verify=settings.verify,
    )
    async with client:
        await _login(client, args, HELPDESK_SCOPE if args.owner else PERSON_SCOPE)
        try:
            return await _act(client, args)
        finally:
            await client.revoke()


async def _act(client: StationClient, args: argparse.Namespace) -> Any:
    me = await client.me()
    owner = await _owner(client, me, args.owner)
    reason = args.reason if owner.id != me.id else None
    ids = args.ids
    if args.action == "list":
        jobs = await client.jobs(owner_id=owner.id if owner.id != me.id else None)
        return {"owner": owner.username, "jobs": [_job(job) for job in jobs.jobs], "count": jobs.count}
    if args.action == "release":
        result = await client.process(
            ids, owner=owner.username, project_id=args.project or 0, account=args.account, reason=reason
        )
        return {
            "jobs": [_job(job) for job in result.jobs],
            "charged": f"{result.charged:.2f}",
            "balance": None if result.balance is None else f"{result.balance:.2f}",
        }
    if args.action == "cancel":
        await client.cancel(ids, reason=reason)
        return {"canceled": ids}
    if args.action == "duplex":
        return {"jobs": [_job(await client.set_duplex(job_id, not args.off, reason=reason)) for job_id in ids]}
    if args.action == "project":
        changed = await client.patch_jobs(ids, project_id=args.project, reason=reason)
        return {"jobs": [_job(job) for job in changed.jobs]}
    if args.action == "favorite":
        changed = await client.patch_jobs(ids, favorite=not args.off, reason=reason)
        return {"jobs": [_job(job) for job in changed.jobs]}
    job_id = await client.spool(
        queue=args.queue,
        owner=owner.username,
        name=args.name,
        job_info={
            "pageCount": args.pages,
            "colorCount": args.colour_pages,
            "copies": args.copies,
            "duplex": args.duplex,
            "color": args.colour_pages > 0,
        },
        reason=reason,
    )
    return {"jobs": [_job(await client.job(job_id))]}


async def _owner(client: StationClient, me: User, username: str | None) -> User:
    if not username or username == me.username:
        return me
    found = await client.users(username)
    for user in found.users:
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
    if "charged" in result:
        balance = "unlimited" if result["balance"] is None else result["balance"]
        lines.append(f"Released {_count(len(jobs), 'job')} · charged {result['charged']} · balance {balance}")
    if "canceled" in result:
        lines.append("Canceled " + ", ".join(str(i) for i in result["canceled"]))
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
