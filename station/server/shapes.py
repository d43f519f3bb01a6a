"""Reply shapes beyond the profile's models: the vendor's job, user and accounts, printers, and
the profile's job list with its `profileQuery` marker (`/work/wire-decisions.md`).

These describe what the server sends (and its OpenAPI document); the client reads replies with
its own tolerant models in `station.api.models`.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from pydantic import ConfigDict, Field

from station.api import models as m

PROFILE_QUERY = ["state", "favorite", "ownerId", "search", "sort", "all", "id"]
"""The query parameters of `GET /v3/jobs` beyond `limit` and `start` that the profile honours."""

LOCAL_DATE_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"


class ProfileJobList(m.JobList):
    """The profile's job list: says which query parameters it takes."""

    profile_query: list[str] = Field(
        default_factory=lambda: list(PROFILE_QUERY),
        description="Query parameters of GET /v3/jobs beyond limit and start that this server honours.",
    )


class VendorModel(m.WireModel):
    """A reply in the vendor's shape: exactly these fields."""

    model_config = ConfigDict(extra="forbid")


class VendorJob(VendorModel):
    """The vendor's job: its fields only (contract 4.1 [vendor])."""

    id: int
    name: str
    date: str = Field(description="The server's local date, e.g. 2026-11-29.")
    date_time: str = Field(
        pattern=LOCAL_DATE_TIME, description="The server's local time without an offset."
    )
    favorite: bool
    cost: m.Money
    duplex: bool
    color: bool
    page_count: int
    color_count: int
    copies: int
    paper: m.Paper | None = None


class VendorJobList(VendorModel):
    jobs: list[VendorJob]
    count: int


def vendor_job(job: m.Job, zone: tzinfo | None) -> VendorJob:
    """A job in the vendor's shape; its time as the server's local time in `zone` (None: this
    machine's), without an offset."""
    local = job.date_time.astimezone(zone).replace(tzinfo=None) if job.date_time else None
    return VendorJob(
        id=job.id,
        name=job.name,
        date=local.date().isoformat() if local else "",
        date_time=local.isoformat(timespec="seconds") if local else "",
        favorite=job.favorite,
        cost=job.cost,
        duplex=job.duplex,
        color=job.color,
        page_count=job.page_count,
        color_count=job.color_count,
        copies=job.copies,
        paper=job.paper,
    )


class VendorUser(VendorModel):
    """The vendor's user (rad/v4 get-users): `fullname` and `lang`."""

    id: int
    username: str
    fullname: str
    email: str | None = None
    lang: str | None = None
    code: str | None = Field(
        default=None, description="The user's personal number; the embedded server has none."
    )


class VendorUserList(VendorModel):
    users: list[VendorUser]
    count: int


def vendor_user(user: m.User) -> VendorUser:
    return VendorUser(
        id=user.id, username=user.username, fullname=user.full_name, email=user.email,
        lang=user.language,
    )


class Enabled(VendorModel):
    enabled: bool


class VendorAccount(VendorModel):
    """An account the user may charge; `reference` is its id in `account` fields."""

    name: str
    reference: str
    type: str
    limits: dict[str, Any] = Field(default_factory=dict)
    group_id: int | None = None


class UserAccounts(VendorModel):
    """`GET /v3/users/{id}/accounts`: no balance (the vendor shows none here)."""

    credit: Enabled
    quota: Enabled
    accounts: list[VendorAccount]


class PrintAllJob(VendorModel):
    id: int
    project_id: int


class PrintAll(VendorModel):
    """`GET /v3/printers/{id}/printAll`: the jobs "print all" would release there."""

    jobs: list[PrintAllJob]
    counters: list[Any] = Field(default_factory=list)
    more_jobs: bool
    project_selected: bool
