"""The wire contract (`api-contract.md`) as pydantic models, shared by client and server.

What a server answers is modelled here; the request bodies the server validates are in
`bodies.py` and the pieces both are built from in `wire_types.py`. Every name stays
importable from here (`models.Job`, `models.ProcessRequest`, `models.Money`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WrapValidator,
    model_validator,
)

from station.api.bodies import ClientJob as ClientJob
from station.api.bodies import JobInfo as JobInfo
from station.api.bodies import JobPatch as JobPatch
from station.api.bodies import JobsPatch as JobsPatch
from station.api.bodies import JobsPatchItem as JobsPatchItem
from station.api.bodies import LoginInfo as LoginInfo
from station.api.bodies import ProcessRequest as ProcessRequest
from station.api.bodies import RevokeRequest as RevokeRequest
from station.api.bodies import TokenRequest as TokenRequest
from station.api.reasons import Reason as Reason
from station.api.wire_types import MAX_ID as MAX_ID
from station.api.wire_types import MAX_IDS as MAX_IDS
from station.api.wire_types import MAX_NAME as MAX_NAME
from station.api.wire_types import LenientTimestamp as LenientTimestamp
from station.api.wire_types import Money as Money
from station.api.wire_types import Paper as Paper
from station.api.wire_types import RequestModel as RequestModel
from station.api.wire_types import Timestamp as Timestamp
from station.api.wire_types import WireModel as WireModel
from station.api.wire_types import or_none


class JobStateName(StrEnum):
    PAUSED = "paused"
    READY = "ready"
    PROCESSING = "processing"
    PRINTED = "printed"
    CANCELED = "canceled"
    EXPIRED = "expired"
    FAILED = "failed"


PENDING_STATES = (JobStateName.READY, JobStateName.PAUSED)


# --- errors -------------------------------------------------------------------------------


class ErrorBody(WireModel):
    code: int
    message: str
    data: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def reason(self) -> str | None:
        for item in self.data:
            reason = item.get("reason") if isinstance(item, dict) else None
            if isinstance(reason, str):
                return reason
        return None


# --- authentication (section 2): the OAuth names are snake_case on the wire -----------------


class Token(BaseModel):
    model_config = ConfigDict(extra="allow")

    access_token: str
    token_type: str = "Bearer"
    expires_in: int = 1800
    scope: str = ""
    refresh_token: str | None = None

    @property
    def scopes(self) -> set[str]:
        return set(self.scope.split())

    def __repr__(self) -> str:
        return f"Token(scope={self.scope!r}, expires_in={self.expires_in})"

    __str__ = __repr__


# --- users, accounts, projects (section 3) -------------------------------------------------


class Account(WireModel):
    # The vendor's `GET /v3/users/{id}/accounts` names the id `reference` (contract 7.1).
    id: str = Field(validation_alias=AliasChoices("id", "reference"))
    type: str = "credit"
    name: str = ""
    balance: Money | None = None
    currency: str = "EUR"


class User(WireModel):
    id: int
    username: str
    # The vendor's user names these `fullname` and `lang` (contract 7.1).
    full_name: str = Field(default="", validation_alias=AliasChoices("fullName", "fullname", "full_name"))
    email: str | None = None
    language: str | None = Field(default=None, validation_alias=AliasChoices("language", "lang"))
    role: str = "user"
    accounting: str | None = None
    project_required: bool = False
    default_account: str | None = None
    accounts: list[Account] = Field(default_factory=list)

    def account(self, account_id: str | None) -> Account | None:
        """The account with this id, or the default one for None."""
        wanted = account_id or self.default_account
        return next((a for a in self.accounts if a.id == wanted), None)


class UserList(WireModel):
    users: list[User]
    count: int


class Project(WireModel):
    id: int
    name: str
    code: str = ""


class ProjectList(WireModel):
    projects: list[Project]
    count: int


# --- jobs (section 4) ------------------------------------------------------------------------


# The sets of field names given, shared by the jobs that were given the same names.
_GIVEN_FIELDS: dict[frozenset[str], set[str]] = {}
_MAX_SHARED = 256


class Job(WireModel):
    """A job needs only its `id` (contract 7.3, point 5): a field that is missing or null takes
    its default, a time or paper that cannot be read is left out, unknown fields are kept."""

    # vendor fields
    id: int
    name: str = ""
    date: Annotated[str | None, WrapValidator(or_none)] = None
    date_time: LenientTimestamp = None
    favorite: bool = False
    cost: Money = Decimal("0")
    duplex: bool = False
    color: bool = False
    page_count: int = 0
    color_count: int = 0
    copies: int = 1
    paper: Annotated[Paper | None, WrapValidator(or_none)] = None
    # profile fields: optional, a real server may leave them out
    state: str | None = None
    owner_id: int | None = None
    owner: str | None = None
    project_id: int = 0
    account: str | None = None
    queue: str | None = None
    size: int | None = None
    expires_at: LenientTimestamp = None
    interaction: bool = False

    def model_post_init(self, context: Any, /) -> None:
        """Jobs read together carry the same fields: they share one set of the names given
        (about 2 KB a job otherwise, 100 MB for the helpdesk's 50,000 jobs)."""
        given = self.__pydantic_fields_set__
        names = frozenset(given)
        if names not in _GIVEN_FIELDS and len(_GIVEN_FIELDS) < _MAX_SHARED:  # bounded: a server may send any names
            _GIVEN_FIELDS[names] = given
        object.__setattr__(self, "__pydantic_fields_set__", _GIVEN_FIELDS.get(names, given))

    def __setattr__(self, name: str, value: Any) -> None:
        # The set of names given may be shared with other jobs: this job takes its own first.
        object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        super().__setattr__(name, value)

    @model_validator(mode="before")
    @classmethod
    def _null_is_missing(cls, data: Any) -> Any:
        """`"cost": null` reads as no cost given: the default, not a refused job."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None or key not in _NOT_NULL}
        return data

    @property
    def sheets(self) -> int:
        per_copy = -(-self.page_count // 2) if self.duplex else self.page_count
        return self.copies * per_copy

    @property
    def pages(self) -> int:
        """Printed pages, all copies."""
        return self.copies * self.page_count

    @property
    def color_pages(self) -> int:
        return self.copies * self.color_count

    @property
    def is_paused(self) -> bool:
        return self.interaction or self.state == JobStateName.PAUSED


# The wire and Python names of the job fields whose default is not None.
_NOT_NULL = frozenset(
    name
    for field_name, info in Job.model_fields.items()
    if not info.is_required() and info.default is not None
    for name in (field_name, info.alias)
    if name
)


class JobList(WireModel):
    jobs: list[Job]
    count: int
    # Client side only: jobs of the answer that could not be read, named for the person.
    rejected: list[str] = Field(default_factory=list, exclude=True)


class JobStateReply(WireModel):
    state: str


class ClientJobCreated(WireModel):
    id: int


class ProcessResult(WireModel):
    jobs: list[Job]
    count: int
    charged: Money
    balance: Money | None = None


class _Sums(WireModel):
    """The sums of a release's answer (`ProcessResult` without its jobs, which are skipped unread)."""

    model_config = ConfigDict(extra="ignore")

    count: int
    charged: Money
    balance: Money | None = None


@dataclass(frozen=True)
class ReleaseAnswer:
    """What the print server answered to a release (the profile's `ProcessResult`): the sums at
    once, the jobs as they print when first asked. Reading 500 jobs takes some 12 ms, which the
    person would wait for before seeing the outcome; the station reads them after showing it."""

    count: int
    charged: Decimal
    balance: Decimal | None
    body: bytes

    @classmethod
    def read(cls, body: bytes) -> ReleaseAnswer | None:
        """None when the body is not a `ProcessResult` (empty, `{}`, another shape: contract 7.3)."""
        try:
            sums = _Sums.model_validate_json(body)
        except ValidationError:
            return None
        return cls(sums.count, sums.charged, sums.balance, body)

    @cached_property
    def jobs(self) -> list[Job]:
        """The released jobs as the server says they print; none when they do not read."""
        try:
            return ProcessResult.model_validate_json(self.body).jobs
        except ValidationError:
            return []


# --- the script dialog (section 4.6) -------------------------------------------------------


class DialogOption(WireModel):
    key: str
    label: str = ""


class Dialog(WireModel):
    id: str
    text: str = ""
    options: list[DialogOption] = Field(default_factory=list)
    current: str | None = None


class ScriptReply(WireModel):
    dialogs: list[Dialog] = Field(default_factory=list)
    state: list[str] = Field(default_factory=list)
    job: Job | None = None


def script_answer(dialog_id: str, options: list[str], chosen: str, state: list[str]) -> dict[str, Any]:
    """The vendor's answer body: the chosen option `true`, every other `null`."""
    return {dialog_id: {key: (True if key == chosen else None) for key in options}, "state": state}


# --- audit (section 4.7) ---------------------------------------------------------------------

AuditAction = Literal["release", "cancel", "update", "duplex", "spool", "refund"]


class AuditEntry(WireModel):
    id: int
    at: Timestamp
    action: str
    actor_id: int | None = None
    actor: str | None = None
    owner_id: int | None = None
    owner: str | None = None
    job_ids: list[int] = Field(default_factory=list)
    amount: Money | None = None
    account: str | None = None
    project_id: int = 0
    reason: str | None = None


class AuditList(WireModel):
    entries: list[AuditEntry]
    count: int


REASON_HEADER = "X-Station-Reason"
