"""A refusal of the print server in the words of `station jobs`: the twin's flags, not the wire's.

The server names what it refused by its wire field (`jobInfo.pageCount`), and says how in
pydantic's words ("input should be greater than or equal to 1"). A person typed `--pages 0`:
they read "--pages must be at least 1". The reason word stays in front (`validation: ...`), as
the README promises scripts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from station.untrusted import plain

if TYPE_CHECKING:
    from station.api.errors import ApiError

# The wire fields a twin command sends, by the flag (or argument) a person gave them with.
FLAGS = {
    "jobInfo.pageCount": "--pages",
    "jobInfo.colorCount": "--colour-pages",
    "jobInfo.copies": "--copies",
    "jobInfo.duplex": "--duplex",
    "jobInfo.color": "--colour-pages",
    "jobInfo": "the job's pages",
    "name": "--name",
    "queue": "--queue",
    "owner": "--owner",
    "username": "--owner",
    "ownerId": "--owner",
    "projectId": "--project",
    "account": "--account",
    "id": "the job id",
    "job_id": "the job id",
    "jobIds": "the job ids",
    "jobs.id": "the job ids",
    "jobs.projectId": "--project",
    "jobs": "the job ids",
    "releaseOptions.copies": "--copies",
    "releaseOptions.duplex": "--duplex",
    "releaseOptions.color": "--mono",
    "printer_id": "--printer",
    "search": "the name to look up (--owner or --project)",
    "login_info.pin": "--pin",
    "login_info.card": "--card",
    "login_info.user": "--user",
    "login_info.pwd": "--password",
    "login_info": "the login",
    "x-station-reason": "--reason",
    "X-Station-Reason": "--reason",
}
SOME_VALUE = "a value station sent"  # a field the twin does not know: never its wire name

# A wire field quoted in a server's message: 'jobInfo.pageCount', 'jobs[0].id', 'login_info.pwd'.
QUOTED_FIELD = re.compile(r"'([A-Za-z_][\w-]*(?:(?:\.[A-Za-z_][\w-]*)|\[\d+\])*)'")
# The server's sentences about one field, and what is left of them once the field is a flag.
FIELD_SENTENCES = (
    (re.compile(r"^The request is not valid: '([^']+)' (.+?)\.?(?: \(\d+ problems in all; see data\.\))?$"),
     "{flag} {problem}."),
    (re.compile(r"^Field '([^']+)' is required\b.*$"), "{flag} must be given."),
    (re.compile(r"^Field '([^']+)': (.+?)\.?$"), "{flag}: {problem}."),
)
# Wire words that may stand in a message outside quotes, and what a person calls them.
WIRE_WORDS = (
    (re.compile(r"send the reason in the X-Station-Reason header", re.IGNORECASE), "give --reason TEXT"),
    (re.compile(r"\bX-Station-Reason\b", re.IGNORECASE), "--reason"),
)

# pydantic's words for a bound or a length, and the README's words for them.
PROBLEMS = (
    (re.compile(r"input should be greater than or equal to (\S+?)\.?$"), "must be at least {}"),
    (re.compile(r"input should be less than or equal to (\S+?)\.?$"), "must be at most {}"),
    (re.compile(r"input should be greater than (\S+?)\.?$"), "must be more than {}"),
    (re.compile(r"input should be less than (\S+?)\.?$"), "must be less than {}"),
    (re.compile(r"string should have at least 1 character"), "must not be empty"),
    (re.compile(r"string should have at most (\d+) characters?"), "must be at most {} characters long"),
    (re.compile(r"input should be a valid integer.*"), "must be a whole number"),
    (re.compile(r"^is required$"), "must be given"),
    (re.compile(r"^is not a field this call accepts$"), "is not taken by this print server"),
    (re.compile(r"^input should be (.+?)\.?$"), "must be {}"),
)

# What a person can do about a refusal, by its reason word.
HINTS = {
    "unknown_project": "see `station jobs projects` for the ones that can be charged",
    "unknown_account": "see `station jobs accounts` for the ones that can be charged",
    "project_required": "give --project",
    "interaction_pending": "answer its question at the station first",
}


class UsageError(Exception):
    """Wrong use: exit status 2, the sentence on stderr."""


REASON_NEEDED = (
    "that is another person's job: say why you change it with --reason TEXT (the audit keeps it)"
)

OWNER_NOT_ALLOWED = "This login may not act for other people: --owner is for helpdesk staff."


def refusal(error: ApiError) -> str:
    """`reason: sentence` for a refused request; every part of it plain text, no wire field in it."""
    said = _validation(error) or in_twin_words(error.human)
    hint = HINTS.get(error.reason or "")
    if hint:
        said = f"{said.rstrip('.')}: {hint}."
    return f"{error.reason}: {said}" if error.reason else said


def _validation(error: ApiError) -> str | None:
    """The first refused field the server named, said with its flag; None when it named none."""
    for item in error.data:
        field = item.get("field")
        problem = item.get("problem")
        if not isinstance(field, str):
            continue
        if isinstance(problem, str):
            return f"{flag_of(field) or SOME_VALUE} {problem_in_words(problem)}."
        return in_twin_words(error.message)  # no problem word: the message says it
    return None


def in_twin_words(message: str) -> str:
    """A server's sentence with each wire field said as the flag a person gave (plain text).

    A vendor server names no field in the body's data, only in its message; either way what the
    person reads has `--pages`, never `jobInfo.pageCount`."""
    text = plain(message).strip()
    for pattern, words in FIELD_SENTENCES:
        match = pattern.match(text)
        if match:
            field, *rest = match.groups()
            problem = problem_in_words(rest[0]).rstrip(".") if rest else ""
            return words.format(flag=flag_of(field) or SOME_VALUE, problem=problem)
    for pattern, words in WIRE_WORDS:
        text = pattern.sub(words, text)
    return QUOTED_FIELD.sub(lambda match: _quoted(match.group(1)), text)


def _quoted(field: str) -> str:
    """A quoted word of a message: a wire field becomes its flag; any other word stays as it was."""
    flag = flag_of(field)
    if flag is not None:
        return flag
    wire_like = "." in field or "[" in field or "_" in field or field != field.lower()
    return SOME_VALUE if wire_like else f"'{field}'"


def flag_of(field: str) -> str | None:
    """The flag of a wire field; a list's item (`jobIds.0`, `jobs[0].id`) is the list's."""
    parts = [part for part in re.split(r"[.\[\]]+", field) if part and not part.isdigit()]
    while parts:
        flag = FLAGS.get(".".join(parts))
        if flag is not None:
            return flag
        parts.pop()
    return None


def problem_in_words(problem: str) -> str:
    for pattern, words in PROBLEMS:
        match = pattern.search(problem)
        if match:
            return words.format(*match.groups())
    return plain(problem)
