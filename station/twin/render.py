"""What `station jobs` prints for people: plain tables and one sentence per thing done.

Every value from the server passes through `plain()`; money carries its currency wherever the
print server said one (a server with only the vendor's API may not).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from station.untrusted import plain
from station.format import money

Column = tuple[str, str, str]  # title, key, alignment

JOB_COLUMNS: tuple[Column, ...] = (
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
PROJECT_COLUMNS: tuple[Column, ...] = (("id", "id", ">"), ("code", "code", "<"), ("name", "name", "<"))
ACCOUNT_COLUMNS: tuple[Column, ...] = (
    ("id", "id", "<"),
    ("name", "name", "<"),
    ("type", "type", "<"),
    ("balance", "balance", ">"),
    ("default", "default", "<"),
)


def render(action: str, result: dict[str, Any]) -> str:
    """The lines for people after `action` (its result as `--json` prints it)."""
    currency = result.get("currency") or ""
    if action == "projects":
        return "\n".join(_projects(result))
    if action == "accounts":
        return "\n".join(_accounts(result, currency))
    lines: list[str] = []
    jobs = result.get("jobs") or []
    if jobs:
        cost = f"cost {plain(currency)}" if currency else "cost"
        columns = tuple((cost, key, a) if key == "cost" else (title, key, a) for title, key, a in JOB_COLUMNS)
        lines += table(columns, [[_job_cell(key, job.get(key)) for _, key, _ in columns] for job in jobs])
    if action == "list":
        lines += _listed(result, jobs, currency)
    elif action == "release":
        lines += _released(result, currency)
    elif action == "cancel":
        lines += _canceled(result)
    else:
        lines += _changed(action, result, jobs)
    if result.get("stillWaiting"):
        lines.append(f"Still waiting (not done; run it again to try): {_ids(result['stillWaiting'])}")
    return "\n".join(lines)


def table(columns: tuple[Column, ...], rows: list[list[str]]) -> list[str]:
    widths = [max(len(title), *(len(row[i]) for row in rows)) for i, (title, _, _) in enumerate(columns)]
    lines = ["  ".join(f"{title:{a}{w}}" for (title, _, a), w in zip(columns, widths, strict=False)).rstrip()]
    lines += [
        "  ".join(f"{cell:{a}{w}}" for cell, (_, _, a), w in zip(row, columns, widths, strict=False)).rstrip()
        for row in rows
    ]
    return lines


def _listed(result: dict[str, Any], jobs: list[dict[str, Any]], currency: str) -> list[str]:
    lines: list[str] = []
    owner = plain(result.get("owner") or "you")
    if jobs:
        total = sum((Decimal(str(job.get("cost") or 0)) for job in jobs), Decimal(0))
        lines.append(f"{len(jobs)} of {count(result['count'], 'job')} · {money(total, currency)}")
    elif not result.get("unknown"):
        lines.append("No jobs are waiting.")
    if result.get("unreadable"):
        lines.append(f"{count(len(result['unreadable']), 'job')} could not be read and not shown.")
    if result.get("unknown"):
        lines.append(f"No job {_ids(result['unknown'])} for {owner}: no such job, or someone else's.")
    return lines


def _released(result: dict[str, Any], currency: str) -> list[str]:
    lines: list[str] = []
    if result.get("noAnswer"):
        lines.append("No answer came back after the release was sent; the list was read again:")
    if result.get("released"):
        where = f" at printer {plain(result['printer'])}" if result.get("printer") else ""
        said = f"Released {count(len(result['released']), 'job')}{where}"
        if result.get("charged") is not None:
            balance = None if result["balance"] is None else Decimal(result["balance"])
            said += f" · charged {money(Decimal(result['charged']), currency)} · balance {money(balance, currency)}"
        elif not result.get("noAnswer"):
            said += " · the print server works out the cost"
        lines.append(f"{said}: {_ids(result['released'])}")
    if result.get("stillListed"):
        lines.append(
            f"The print server still lists {_ids(result['stillListed'])}: it may take a moment; "
            "check the list before releasing again."
        )
    return lines


def _canceled(result: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if result.get("noAnswer"):
        lines.append("No answer came back after the cancel was sent; the list was read again:")
    if result.get("canceled"):
        lines.append(f"Canceled {count(len(result['canceled']), 'job')}: {_ids(result['canceled'])}")
    if result.get("alreadyCanceled"):
        lines.append(f"Already canceled, nothing sent: {_ids(result['alreadyCanceled'])}")
    return lines


def _changed(action: str, result: dict[str, Any], jobs: list[dict[str, Any]]) -> list[str]:
    """One sentence that says what the server now holds for the jobs changed."""
    def ids_where(test: Any) -> str:
        return _ids([job["id"] for job in jobs if test(job)])

    said: list[tuple[str, str]] = []
    if action == "favorite":
        said = [("Now a favourite", ids_where(lambda job: job.get("favorite"))),
                ("No longer a favourite", ids_where(lambda job: not job.get("favorite")))]
    elif action == "duplex":
        said = [("Now 2-sided", ids_where(lambda job: job.get("duplex"))),
                ("Now 1-sided", ids_where(lambda job: not job.get("duplex")))]
    elif action == "project":
        project = result.get("project")
        named = f"project {_project_name(project)}" if project else "no project"
        # A 2xx is done (all or nothing), also where the jobs do not show their project (a vendor's server).
        said = [(f"Now charged to {named}", ids_where(lambda job: True))]
    elif action == "spool":
        said = [("Sent to the print server, waiting for release", ids_where(lambda job: True))]
    return [f"{words}: {ids}" for words, ids in said if ids]


def _projects(result: dict[str, Any]) -> list[str]:
    owner = plain(result.get("owner") or "you")
    projects = result["projects"]
    if not projects:
        return [f"No projects {owner} may charge."]
    rows = [[plain(project.get(key) or "-", limit=60) for _, key, _ in PROJECT_COLUMNS] for project in projects]
    lines = table(PROJECT_COLUMNS, rows)
    lines.append(f"{len(projects)} of {count(result['count'], 'project')} {owner} may charge · "
                 "give --project its id, code or name")
    return lines


def _accounts(result: dict[str, Any], currency: str) -> list[str]:
    owner = plain(result.get("owner") or "you")
    accounts = result["accounts"]
    if not accounts:
        return [f"No accounts of {owner}: a release charges the print server's default account."]
    rows = []
    for account in accounts:
        if not result["balancesKnown"]:
            balance = "not known"
        else:
            amount = account.get("balance")
            balance = money(None if amount is None else Decimal(str(amount)), account.get("currency") or currency)
        rows.append([
            plain(account["id"], limit=40), plain(account.get("name") or "-", limit=40),
            _account_type(account.get("type")), balance, "yes" if account["id"] == result.get("default") else "",
        ])
    lines = table(ACCOUNT_COLUMNS, rows)
    lines.append(f"{count(len(accounts), 'account')} {owner} may charge · give --account its id")
    return lines


ACCOUNT_TYPES = {"costCenter": "cost centre"}  # the wire's words for an account's kind, as people say them


def _account_type(kind: Any) -> str:
    """`cost centre`, not the wire's `costCenter`; a kind not known here is said in words too."""
    if not kind:
        return "-"
    text = plain(str(kind), limit=40)
    return ACCOUNT_TYPES.get(text) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower()


def _project_name(project: dict[str, Any]) -> str:
    code = plain(project.get("code") or "")
    name = plain(project.get("name") or "", limit=60)
    if code and name:
        return f"{code} ({name})"
    return code or name or str(project["id"])


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


def _job_cell(key: str, value: Any) -> str:
    if key == "duplex":
        return "2-sided" if value else "1-sided"
    if key == "name":
        return plain(value or "", limit=40)
    if key == "projectId":
        return str(value) if value else "-"
    if key == "cost":
        return f"{Decimal(str(value or 0)):.2f}"
    return plain("" if value is None else value)
