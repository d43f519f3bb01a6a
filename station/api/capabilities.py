"""What a print server has shown it has or lacks, learned once per server and process.

Contract 7.3: only the token is required. Each call of station's profile (and a few of the
vendor's that not every server answers) is optional: a 404, 405 or 501, or a 2xx reply that
does not parse, means "this server does not have it", and the call is not sent again to that
server in this process. The job list's profile query is used only once a reply of
`GET /v3/jobs` from that server has named it (`profileQuery`, wire decisions).

The memory is keyed by the server's URL; a client built on a transport of its own (the tests'
in-process servers, which all answer at `http://station.test`) is keyed by that transport as
well, so one test's server never teaches the next test's client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

# A status that says the call is not there (rather than that this request was wrong).
ABSENT_STATUSES = frozenset({404, 405, 501})

# The optional calls, by the names the client and `station doctor` use.
ME = "GET /v3/users/me"
PROJECTS = "GET /v3/projects"
AUDIT = "GET /v3/audit"
REVOKE = "POST /api/auth/revoke"
SCRIPT_ASK = "POST /v3/jobs/{id}/script (ask)"
USERS_FIND = "GET /v3/users/find"
ACCOUNTS = "GET /v3/users/{id}/accounts"


@dataclass
class Capabilities:
    """One server, as this process has seen it."""

    absent: set[str] = field(default_factory=set)
    present: set[str] = field(default_factory=set)
    # The query parameters of `GET /v3/jobs` beyond limit and start that the server said it
    # honours; None until a reply carried `profileQuery`.
    job_query: frozenset[str] | None = None

    def lacks(self, call: str) -> bool:
        return call in self.absent

    def has(self, call: str) -> bool:
        return call in self.present

    def learn(self, call: str, *, present: bool) -> None:
        if present:
            self.present.add(call)
            self.absent.discard(call)
        else:
            self.absent.add(call)
            self.present.discard(call)

    def learn_job_query(self, names: object) -> None:
        if isinstance(names, list) and all(isinstance(name, str) for name in names):
            self.job_query = frozenset(names)

    def takes_query(self, names: set[str]) -> bool:
        return self.job_query is not None and names <= self.job_query


_by_server: dict[str, Capabilities] = {}
_by_transport: WeakKeyDictionary[object, dict[str, Capabilities]] = WeakKeyDictionary()


def capabilities_of(server: str, transport: object | None = None) -> Capabilities:
    """The one memory of this server (through this transport, when the client was given one)."""
    table = _by_server if transport is None else _by_transport.setdefault(transport, {})
    return table.setdefault(server, Capabilities())


def forget_all() -> None:
    """Forget every server (for tests that reuse an address for another server)."""
    _by_server.clear()
    _by_transport.clear()
