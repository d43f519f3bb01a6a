"""`JobsClient`: what a screen may ask of the print server once someone is logged in.

`StationClient` has these methods (it satisfies the protocol by its shape); the helpdesk's
`ActingClient` (station/ui/acting.py) writes each one out, so that a method added here and not
there is an error for mypy and for `tests/ui/test_acting.py`, never a call that silently skips
the helpdesk's owner and reason rules. Logging in is not here: the login screen holds a
`StationClient` until the session starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from station.api.models import AuditList, Job, JobList, ProjectList, ReleaseAnswer, ScriptReply, User, UserList
from station.api.progress import PrintProgress
from station.api.release import ReleaseOptions


class JobsClient(Protocol):
    # --- what the server said about this login ---------------------------------------------------

    @property
    def scopes(self) -> set[str]: ...

    @property
    def offers_sides(self) -> bool | None: ...

    # --- reading ---------------------------------------------------------------------------------

    async def me(self) -> User | None: ...

    async def users(self, search: str = "", *, limit: int = 100, start: int = 0) -> UserList: ...

    async def projects(
        self, search: str = "", *, owner_id: int | None = None, limit: int = 500, start: int = 0
    ) -> ProjectList | None: ...

    async def jobs(
        self,
        *,
        state: Iterable[str] | None = None,
        favorite: bool | None = None,
        owner_id: int | None = None,
        search: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
        start: int | None = None,
        all_owners: bool = False,
    ) -> JobList: ...

    async def job_state(self, job_id: int) -> str: ...

    def print_progress(self, job_ids: Iterable[int], *, owner_id: int | None = None) -> PrintProgress: ...

    async def audit(self, *, owner_id: int | None = None, limit: int = 100, start: int = 0) -> AuditList: ...

    # --- changing --------------------------------------------------------------------------------

    async def patch_job(
        self,
        job_id: int,
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        reason: str | None = None,
    ) -> Job | None: ...

    async def patch_jobs(
        self,
        job_ids: Iterable[int],
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        account: str | None = None,
        reason: str | None = None,
    ) -> JobList | None: ...

    async def cancel_jobs(self, job_ids: Iterable[int], *, reason: str | None = None) -> JobList | None: ...

    async def cancel_job(self, job_id: int, *, reason: str | None = None) -> None: ...

    async def cancel(self, job_ids: Iterable[int], *, reason: str | None = None) -> None: ...

    async def spool(
        self,
        *,
        queue: str,
        owner: str,
        name: str,
        job_info: dict[str, Any],
        computer: str = "station",
        size: int = 0,
        uuid: str | None = None,
        reason: str | None = None,
    ) -> int: ...

    async def set_duplex(self, job_id: int, duplex: bool, *, reason: str | None = None) -> Job: ...

    # --- releasing -------------------------------------------------------------------------------

    async def process(
        self,
        job_ids: Iterable[int],
        *,
        owner: str | None,
        project_id: int = 0,
        account: str | None = None,
        reason: str | None = None,
    ) -> ReleaseAnswer | None: ...

    async def release_at_printer(
        self,
        printer: str,
        job_ids: Iterable[int],
        *,
        options: ReleaseOptions = ...,
        project_id: int = 0,
        account: str | None = None,
        reason: str | None = None,
    ) -> ReleaseAnswer | None: ...

    async def script_ask(self, job_id: int, *, reason: str | None = None) -> ScriptReply | None: ...

    async def script_answer(
        self,
        job_id: int,
        *,
        dialog_id: str,
        options: Iterable[str],
        chosen: str,
        state: list[str],
        reason: str | None = None,
    ) -> ScriptReply | None: ...

    # --- the end of the session ------------------------------------------------------------------

    async def revoke(self) -> None: ...

    def forget(self) -> None: ...

    async def aclose(self) -> None: ...
