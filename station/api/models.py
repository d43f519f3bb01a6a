"""The wire contract (`api-contract.md`) as pydantic models, shared by client and server.

Wire names are camelCase (`pageCount`); Python names are snake_case (`page_count`).
Objects read from the wire accept fields they do not know (a real server may send more);
request bodies that the embedded server validates refuse unknown fields, so a typo is an
error a person can read rather than a change silently not made.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PlainSerializer, WrapValidator, model_validator
from pydantic.alias_generators import to_camel

# Money travels as a JSON number with at most 2 decimals and is added as Decimal.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: float(value), return_type=float, when_used="json"),
]

# Times travel as ISO 8601 with an explicit offset (`+00:00`, not `Z`), as the contract writes them.
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
]



def _or_none(value: Any, handler: Any) -> Any:
    """A field a client can do without: what does not parse reads as missing (contract 7.3)."""
    try:
        return handler(value)
    except ValueError:
        return None


# A time that may come with or without an offset or a fraction (no offset: the server's local
# time, kept naive and shown as is); one that cannot be read is left out, not the whole job.
LenientTimestamp = Annotated[Timestamp | None, WrapValidator(_or_none)]

# Limits that keep a hostile or broken body from reaching storage.
MAX_ID = 2**31 - 1
MAX_NAME = 1000
MAX_IDS = 500


class Reason(StrEnum):
    """The stable words in an error body's `data[0].reason` (contract section 1)."""

    INVALID_LOGIN = "invalid_login"
    LOCKED_OUT = "locked_out"
    TOKEN_EXPIRED = "token_expired"
    INVALID_TOKEN = "invalid_token"
    INVALID_CLIENT = "invalid_client"
    SCOPE_MISSING = "scope_missing"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    JOB_STATE = "job_state"
    INTERACTION_PENDING = "interaction_pending"
    PROJECT_REQUIRED = "project_required"
    INSUFFICIENT_CREDIT = "insufficient_credit"
    UNKNOWN_PROJECT = "unknown_project"
    UNKNOWN_ACCOUNT = "unknown_account"
    UNKNOWN_QUEUE = "unknown_queue"
    UNKNOWN_USER = "unknown_user"
    BAD_ANSWER = "bad_answer"
    UNKNOWN_DIALOG = "unknown_dialog"
    STALE_STATE = "stale_state"
    REASON_REQUIRED = "reason_required"
    VALIDATION = "validation"
    BAD_REQUEST = "bad_request"
    SERVER_ERROR = "server_error"
    UNAVAILABLE = "unavailable"


class JobStateName(StrEnum):
    PAUSED = "paused"
    READY = "ready"
    PROCESSING = "processing"
    PRINTED = "printed"
    CANCELED = "canceled"
    EXPIRED = "expired"
    FAILED = "failed"


PENDING_STATES = (JobStateName.READY, JobStateName.PAUSED)


class WireModel(BaseModel):
    """An object read from the wire: camelCase names, unknown fields kept."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
    )


class RequestModel(WireModel):
    """A request body: camelCase names, unknown fields refused with a clear error."""

    model_config = ConfigDict(extra="forbid")


# --- errors -------------------------------------------------------------------------------


class ErrorBody(WireModel):
    code: int
    message: str
    data: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def reason(self) -> str | None:
        for item in self.data:
            if isinstance(item, dict) and isinstance(item.get("reason"), str):
                return item["reason"]
        return None


# --- authentication (section 2): the OAuth names are snake_case on the wire -----------------


class LoginInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal[1, 2, 3, 4, 5]
    card: str | None = Field(default=None, max_length=200)
    pin: str | None = Field(default=None, max_length=200)
    user: str | None = Field(default=None, max_length=200)
    pwd: str | None = Field(default=None, max_length=200)

    def __repr__(self) -> str:  # never show a secret, even in a traceback
        return f"LoginInfo(type={self.type})"

    __str__ = __repr__


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    grant_type: Literal["login_info", "refresh_token", "client_credentials"]
    client_id: str = Field(max_length=200)
    client_secret: str = Field(max_length=200)
    scope: str | None = Field(default=None, max_length=200)
    login_info: LoginInfo | None = None
    refresh_token: str | None = Field(default=None, max_length=500)

    def __repr__(self) -> str:
        return f"TokenRequest(grant_type={self.grant_type!r}, client_id={self.client_id!r})"

    __str__ = __repr__


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


class RevokeRequest(BaseModel):
    """`POST /api/auth/revoke` (RFC 7009): the token, and the client's credentials."""

    model_config = ConfigDict(extra="ignore")

    token: str = Field(max_length=500)
    client_id: str = Field(max_length=200)
    client_secret: str = Field(max_length=200)

    def __repr__(self) -> str:
        return f"RevokeRequest(client_id={self.client_id!r})"

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


class Paper(WireModel):
    state: int | None = None


class Job(WireModel):
    """A job needs only its `id` (contract 7.3, point 5): a field that is missing or null takes
    its default, a time or paper that cannot be read is left out, unknown fields are kept."""

    # vendor fields
    id: int
    name: str = ""
    date: Annotated[str | None, WrapValidator(_or_none)] = None
    date_time: LenientTimestamp = None
    favorite: bool = False
    cost: Money = Decimal("0")
    duplex: bool = False
    color: bool = False
    page_count: int = 0
    color_count: int = 0
    copies: int = 1
    paper: Annotated[Paper | None, WrapValidator(_or_none)] = None
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


class JobPatch(RequestModel):
    """Body of `PATCH /v3/jobs/{id}`: only these three fields."""

    owner_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    project_id: int | None = Field(default=None, ge=0, le=MAX_ID)
    favorite: bool | None = None


class JobsPatchItem(JobPatch):
    id: int = Field(ge=1, le=MAX_ID)
    account: str | None = Field(default=None, min_length=1, max_length=200)


class JobsPatch(RequestModel):
    jobs: list[JobsPatchItem] = Field(min_length=1, max_length=MAX_IDS)


class ClientJob(RequestModel):
    """Body of `POST /v3/jobs/client` (client spooling)."""

    model_config = ConfigDict(extra="ignore")

    queue: str = Field(min_length=1, max_length=200)
    owner: str = Field(min_length=1, max_length=200)
    computer: str = Field(default="", max_length=MAX_NAME)
    name: str = Field(min_length=1, max_length=MAX_NAME)
    size: int = Field(default=0, ge=0, le=2**40)
    uuid: str = Field(min_length=1, max_length=200)
    job_info: dict[str, Any] = Field(default_factory=dict)


class JobInfo(WireModel):
    """What station reads from a spooled job's `jobInfo`."""

    model_config = ConfigDict(extra="ignore")

    page_count: int = Field(default=1, ge=1, le=100_000)
    color_count: int = Field(default=0, ge=0, le=100_000)
    copies: int = Field(default=1, ge=1, le=10_000)
    duplex: bool = False
    color: bool | None = None
    paper: Paper | None = None


class ClientJobCreated(WireModel):
    id: int


class ProcessRequest(RequestModel):
    """Body of `POST /v3/jobs/process` (release)."""

    job_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=MAX_IDS)
    owner: str | None = Field(default=None, max_length=200)
    project_id: int = Field(default=0, ge=0, le=MAX_ID)
    account: str | None = Field(default=None, max_length=200)


class ProcessResult(WireModel):
    jobs: list[Job]
    count: int
    charged: Money
    balance: Money | None = None


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


def script_answer(dialog_id: str, options: list[str], chosen: str, state: list[str]) -> dict:
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
