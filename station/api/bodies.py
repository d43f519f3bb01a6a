"""The request bodies the embedded server validates (contract 2 and 4): unknown fields refused,
lengths and ranges bounded, secrets never shown in a repr."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from station.api.wire_types import (
    MAX_ID,
    MAX_IDS,
    MAX_NAME,
    Paper,
    RequestModel,
    WireModel,
)

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


class RevokeRequest(BaseModel):
    """`POST /api/auth/revoke` (RFC 7009): the token, and the client's credentials."""

    model_config = ConfigDict(extra="ignore")

    token: str = Field(max_length=500)
    client_id: str = Field(max_length=200)
    client_secret: str = Field(max_length=200)

    def __repr__(self) -> str:
        return f"RevokeRequest(client_id={self.client_id!r})"

    __str__ = __repr__


# --- jobs (section 4) ------------------------------------------------------------------------


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


class ProcessRequest(RequestModel):
    """Body of `POST /v3/jobs/process` (release)."""

    job_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=MAX_IDS)
    owner: str | None = Field(default=None, max_length=200)
    project_id: int = Field(default=0, ge=0, le=MAX_ID)
    account: str | None = Field(default=None, max_length=200)
