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
    "name": "--name",
    "queue": "--queue",
    "owner": "--owner",
    "ownerId": "--owner",
    "projectId": "--project",
    "account": "--account",
    "jobIds": "the job ids",
    "jobs": "the job ids",
    "releaseOptions.copies": "--copies",
    "releaseOptions.duplex": "--duplex",
    "releaseOptions.color": "--mono",
}

# pydantic's words for a bound or a length, and the README's words for them.
PROBLEMS = (
    (re.compile(r"input should be greater than or equal to (\S+?)\.?$"), "must be at least {}"),
    (re.compile(r"input should be less than or equal to (\S+?)\.?$"), "must be at most {}"),
    (re.compile(r"input should be greater than (\S+?)\.?$"), "must be more than {}"),
    (re.compile(r"input should be less than (\S+?)\.?$"), "must be less than {}"),
    (re.compile(r"string should have at least 1 character"), "must not be empty"),
    (re.compile(r"string should have at most (\d+) characters?"), "must be at most {} characters long"),
    (re.compile(r"input should be a valid integer.*"), "must be a whole number"),
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


def refusal(error: ApiError) -> str:
    """`reason: sentence` for a refused request; every part of it plain text."""
    said = _validation(error) or plain(error.human)
    hint = HINTS.get(error.reason or "")
    if hint:
        said = f"{said.rstrip('.')}: {hint}."
    return f"{error.reason}: {said}" if error.reason else said


def _validation(error: ApiError) -> str | None:
    """The first refused field, said with its flag; None when the server named no field the twin sent."""
    for item in error.data:
        field = item.get("field")
        flag = flag_of(field) if isinstance(field, str) else None
        if flag is None:
            continue
        problem = item.get("problem")
        if isinstance(problem, str):
            return f"{flag} {problem_in_words(problem)}."
        # No problem word: the message says it after the field ("Field 'x': there cannot be ...").
        rest = error.message.split(":", 1)[1].strip() if ":" in error.message else error.message
        return f"{flag}: {plain(rest)}"
    return None


def flag_of(field: str) -> str | None:
    """The flag of a wire field; a list's item (`jobIds.0`) is the list's."""
    parts = field.split(".")
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
