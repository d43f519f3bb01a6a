"""StationClient: one typed method per call of the contract, over one `Wire` to one server.

Contract 7.3 is the rule: only the token is required. Every call of station's profile is
optional, and what a server lacks is learned once (`capabilities.py`): a method whose call the
server does not have returns None (or raises `Unsupported` where there is nothing to return).
Any 2xx of a change counts as done whatever its body; such a method returns what the body
said, or None, and the caller reads the jobs again.

Where the rest lives: sending, typed errors and logging in `wire.py`; the token calls in
`login.py` and the token that renews itself in `auth.py`; TLS contexts built once in `tls.py`;
who is logged in in `identify.py`; the job list whatever query the server takes in
`reading.py`; the states of released jobs in `progress.py`; the script dialog and the sides in
`sides.py`.
"""

from __future__ import annotations

import time
import uuid as uuid_module
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

import httpx

from station.api import capabilities as calls
from station.api import identify, login, sides
from station.api.auth import TokenAuth
from station.api.capabilities import Capabilities
from station.api.errors import ScopeMissing, SessionExpired, Unsupported
from station.api.listing import JobQuery
from station.api.login import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, LOGIN_CARD, LOGIN_CARD_PASSWORD, LOGIN_CARD_PIN
from station.api.login import LOGIN_PASSWORD, LOGIN_PIN, Credentials
from station.api.models import Account, AuditList, ClientJobCreated, Job, JobList, JobStateReply
from station.api.models import ProjectList, Reason, ReleaseAnswer, ScriptReply, Token, User, UserList
from station.api.people import Identity
from station.api.progress import PrintProgress
from station.api.reading import read_jobs
from station.api.release import AS_SENT, ReleaseOptions
from station.api.scopes import HELPDESK_SCOPE, PERSON_SCOPE
from station.api.sides import NO_SIDES
from station.api.tls import Verify
from station.api.wire import Wire, given

__all__ = ["HELPDESK_SCOPE", "NO_SIDES", "PERSON_SCOPE", "StationClient"]  # what the UI imports from here


class StationClient:
    """A session with one print server. Use `async with StationClient(url) as client:`."""

    def __init__(
        self,
        server: str,
        *,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        timeout: float = 10.0,
        verify: Verify = True,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`verify`: True checks the server's certificate against the system's CAs; a path adds
        the CA bundle (PEM file or folder) there to them; False checks nothing. `clock`: seconds,
        for renewing the token before it runs out (tests move it by hand)."""
        self.server = server.rstrip("/")
        self._credentials = Credentials(client_id, client_secret)
        self._auth = TokenAuth(lambda token: login.refreshed(self._wire, self._credentials, token), clock)
        self._wire = Wire(self.server, self._auth, timeout=timeout, verify=verify, transport=transport)

    @property
    def capabilities(self) -> Capabilities:
        return self._wire.capabilities

    @property
    def requests_sent(self) -> int:
        """Every HTTP request so far, renewals and retries included (benchmarks read it)."""
        return self._wire.requests_sent

    @property
    def watch(self) -> Callable[[httpx.Response], None] | None:
        """Shown every answer (`station doctor` reads statuses, times and field names from them)."""
        return self._wire.watch

    @watch.setter
    def watch(self, watch: Callable[[httpx.Response], None] | None) -> None:
        self._wire.watch = watch

    @property
    def _http(self) -> httpx.AsyncClient:  # the benchmarks time its transport
        return self._wire.http

    # --- session -----------------------------------------------------------------------------

    async def __aenter__(self) -> StationClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._wire.aclose()

    @property
    def logged_in(self) -> bool:
        return self._auth.token is not None

    @property
    def scopes(self) -> set[str]:
        token = self._auth.token
        return token.scopes if token else set()

    @property
    def expires_in(self) -> int | None:
        """The `expires_in` of the token the server gave last (seconds), when logged in."""
        token = self._auth.token
        return token.expires_in if token else None

    @property
    def token_fields(self) -> list[str]:
        """The names of the fields the last token answer had (`station doctor` shows them)."""
        token = self._auth.token
        if token is None:
            return []
        return sorted(token.model_fields_set | set(token.model_extra or {}))

    @property
    def _token(self) -> Token | None:  # kept for tests that look at or swap the token itself
        return self._auth.token

    @_token.setter
    def _token(self, token: Token | None) -> None:
        self._auth.set(token)

    def forget(self) -> None:
        """Drop the session's tokens from memory without telling the server."""
        self._auth.set(None)

    def __repr__(self) -> str:
        return f"StationClient(server={self.server!r}, logged_in={self.logged_in})"

    # --- authentication (contract 2) -----------------------------------------------------------

    async def login_card(self, card: str, *, scope: str = PERSON_SCOPE) -> Token:
        return await self._login({"type": LOGIN_CARD, "card": card}, scope)

    async def login_pin(self, pin: str, *, scope: str = PERSON_SCOPE) -> Token:
        return await self._login({"type": LOGIN_PIN, "pin": pin}, scope)

    async def login_password(self, user: str, password: str, *, scope: str = PERSON_SCOPE) -> Token:
        return await self._login({"type": LOGIN_PASSWORD, "user": user, "pwd": password}, scope)

    async def login_card_pin(self, card: str, pin: str, *, scope: str = PERSON_SCOPE) -> Token:
        return await self._login({"type": LOGIN_CARD_PIN, "card": card, "pin": pin}, scope)

    async def login_card_password(self, card: str, password: str, *, scope: str = PERSON_SCOPE) -> Token:
        return await self._login({"type": LOGIN_CARD_PASSWORD, "card": card, "pwd": password}, scope)

    async def login_client_credentials(self, scope: str = "jobs users") -> Token:
        return await self._grant({"grant_type": "client_credentials", "scope": scope})

    async def _login(self, login_info: dict[str, Any], scope: str) -> Token:
        token = await self._grant({"grant_type": "login_info", "scope": scope, "login_info": login_info})
        if "jobs" not in token.scopes:
            self._auth.set(None)
            raise ScopeMissing("This login may not see print jobs.", reason=Reason.SCOPE_MISSING)
        return token

    async def _grant(self, fields: dict[str, Any]) -> Token:
        token = await login.grant(self._wire, self._credentials, fields)
        self._auth.set(token)
        return token

    async def refresh(self) -> Token:
        """Renew the access token with the refresh token now (it also renews on its own)."""
        token = self._auth.token
        if token is None or not token.refresh_token:
            raise SessionExpired()
        return await self._auth.renewed(token)

    async def revoke(self) -> None:
        """Log out: revoke the refresh token on the server (where it can), then forget the session."""
        token = self._auth.token
        self._auth.set(None)
        if token is not None:
            await login.revoke(self._wire, self._credentials, token)

    # --- who is logged in, users and projects (contract 3, 7.3 point 8) -------------------------

    async def me(self) -> User | None:
        """The person logged in (profile), or None when the server does not say."""
        return await identify.me(self._wire)

    async def find_user(self, username: str) -> User | None:
        """`GET /v3/users/find?username=` (vendor, scope `users`): the user of that name, or None."""
        return await identify.find_user(self._wire, username) if "users" in self.scopes else None

    async def user_accounts(self, user_id: int) -> list[Account] | None:
        """`GET /v3/users/{id}/accounts` (vendor): the accounts (no balances), or None."""
        return await identify.user_accounts(self._wire, user_id)

    async def who(self, username: str | None = None) -> Identity:
        """Who is logged in (contract 7.3, point 8: `identify.py`)."""
        return await identify.who(self._wire, username, may_find="users" in self.scopes)

    async def users(self, search: str = "", *, limit: int = 100, start: int = 0) -> UserList:
        params = given(search=search or None, limit=limit, start=start)
        return await self._wire.read("GET", "/v3/users", UserList, params=params)

    async def projects(
        self, search: str = "", *, owner_id: int | None = None, limit: int = 500, start: int = 0
    ) -> ProjectList | None:
        """The projects the caller may charge (profile), or None when the server has no such list."""
        params = given(search=search or None, ownerId=owner_id, limit=limit, start=start)
        return await self._wire.optional(
            calls.PROJECTS, lambda: self._wire.read("GET", "/v3/projects", ProjectList, params=params)
        )

    # --- jobs: reading (contract 4.2, 7.3 points 2 and 5) -----------------------------------------

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
    ) -> JobList:
        """A page of jobs; a job that cannot be read is left out and named in `rejected`.

        The profile's query goes out only once the server has named it (`profileQuery`); else
        the station reads the whole list by `count` and filters, sorts and pages it itself.
        `all_owners`: every owner's jobs (station's profile `all=true`, helpdesk only).
        """
        query = JobQuery(
            state=tuple(state) if state is not None else None, favorite=favorite, owner_id=owner_id,
            search=search, sort=sort, limit=limit, start=start, all_owners=all_owners,
        )
        return await read_jobs(self._wire, query)

    async def job(self, job_id: int) -> Job:
        return await self._wire.read("GET", f"/v3/jobs/{int(job_id)}", Job)

    async def job_state(self, job_id: int) -> str:
        reply = await self._wire.read("GET", f"/v3/jobs/{int(job_id)}/state", JobStateReply)
        return reply.state

    def print_progress(self, job_ids: Iterable[int], *, owner_id: int | None = None) -> PrintProgress:
        """The states of these released jobs, read with one request per `poll()` (see
        `progress.py`). `owner_id`: whose jobs they are, when a helpdesk released them for
        someone else."""
        return PrintProgress(self._wire, job_ids, owner_id=owner_id)

    # --- jobs: changing (contract 4.3); any 2xx is done, the body is a bonus ------------------------

    async def patch_job(
        self, job_id: int, *, owner_id: int | None = None, project_id: int | None = None,
        favorite: bool | None = None, reason: str | None = None,
    ) -> Job | None:
        body = given(ownerId=owner_id, projectId=project_id, favorite=favorite)
        return await self._wire.change("PATCH", f"/v3/jobs/{int(job_id)}", Job, json=body, reason=reason)

    async def patch_jobs(
        self, job_ids: Iterable[int], *, owner_id: int | None = None, project_id: int | None = None,
        favorite: bool | None = None, account: str | None = None, reason: str | None = None,
    ) -> JobList | None:
        """The same change to many jobs, all or nothing; the changed jobs when the body says."""
        change = given(ownerId=owner_id, projectId=project_id, favorite=favorite, account=account)
        body = {"jobs": [{"id": int(job_id), **change} for job_id in job_ids]}
        return await self._wire.change("PATCH", "/v3/jobs", JobList, json=body, reason=reason)

    async def cancel_jobs(self, job_ids: Iterable[int], *, reason: str | None = None) -> JobList | None:
        ids = [int(job_id) for job_id in job_ids]
        return await self._wire.change("POST", "/v3/jobs/delete", JobList, json=ids, reason=reason)

    async def cancel_job(self, job_id: int, *, reason: str | None = None) -> None:
        await self._wire.send("DELETE", f"/v3/jobs/{int(job_id)}", reason=reason)

    async def cancel(self, job_ids: Iterable[int], *, reason: str | None = None) -> None:
        """Cancel one job with `DELETE /v3/jobs/{id}`, several with `POST /v3/jobs/delete`."""
        ids = list(job_ids)
        if len(ids) == 1:
            await self.cancel_job(ids[0], reason=reason)
        else:
            await self.cancel_jobs(ids, reason=reason)

    # --- client spooling (contract 4.4) ----------------------------------------------------------

    async def spool(
        self, *, queue: str, owner: str, name: str, job_info: dict[str, Any], computer: str = "station",
        size: int = 0, uuid: str | None = None, reason: str | None = None,
    ) -> int:
        body = {
            "queue": queue,
            "owner": owner,
            "computer": computer,
            "name": name,
            "size": size,
            "uuid": uuid or str(uuid_module.uuid4()),
            "jobInfo": job_info,
        }
        created = await self._wire.read("POST", "/v3/jobs/client", ClientJobCreated, json=body, reason=reason)
        return created.id

    # --- releasing (contract 4.5, 7.3 point 6) -----------------------------------------------------

    async def process(
        self, job_ids: Iterable[int], *, owner: str | None, project_id: int = 0, account: str | None = None,
        reason: str | None = None,
    ) -> ReleaseAnswer | None:
        """Release through `POST /v3/jobs/process`: what was charged when the body says, else None.
        `owner` None leaves it out (the caller's own jobs, when the user name is not known)."""
        body = {"jobIds": [int(job_id) for job_id in job_ids], **given(owner=owner),
                "projectId": project_id, "account": account}
        return ReleaseAnswer.read((await self._wire.send("POST", "/v3/jobs/process", json=body, reason=reason)).content)

    async def release_at_printer(
        self, printer: str, job_ids: Iterable[int], *, options: ReleaseOptions = AS_SENT, project_id: int = 0,
        account: str | None = None, reason: str | None = None,
    ) -> ReleaseAnswer | None:
        """Release at a printer, `POST /v3/printers/{printer}/jobs/release` (the vendor's way):
        "an asynchronous operation" with no reply documented, so usually None."""
        body = {
            "projectId": project_id,
            "jobIds": [int(job_id) for job_id in job_ids],
            "releaseOptions": options.wire(),
            "account": account,
        }
        path = f"/v3/printers/{quote(str(printer), safe='')}/jobs/release"
        return ReleaseAnswer.read((await self._wire.send("POST", path, json=body, reason=reason)).content)

    # --- the script dialog and the sides (contract 4.6, 7.3 point 7: `sides.py`) -------------------

    async def script_ask(self, job_id: int, *, reason: str | None = None) -> ScriptReply | None:
        """The job's open dialogs, or None when the server has no ask form (learned once)."""
        return await sides.ask(self._wire, job_id, reason=reason)

    async def script_answer(
        self, job_id: int, *, dialog_id: str, options: Iterable[str], chosen: str, state: list[str],
        reason: str | None = None,
    ) -> ScriptReply | None:
        return await sides.answer(
            self._wire, job_id, dialog_id=dialog_id, options=options, chosen=chosen, state=state, reason=reason
        )

    @property
    def offers_sides(self) -> bool | None:
        """Whether the server has a script dialog to switch sides: None until it has been asked."""
        return sides.offers_sides(self._wire)

    async def set_duplex(self, job_id: int, duplex: bool, *, reason: str | None = None) -> Job:
        """Switch a job to 2-sided (or back) by answering its duplex question; `Unsupported`
        when the server offers no such question."""
        return await sides.set_duplex(self._wire, job_id, duplex, reason=reason)

    # --- audit (contract 4.7) --------------------------------------------------------------------

    async def audit(self, *, owner_id: int | None = None, limit: int = 100, start: int = 0) -> AuditList:
        """The history of the caller's jobs (profile); `Unsupported` where the server keeps none."""
        params = given(ownerId=owner_id, limit=limit, start=start)
        found = await self._wire.optional(
            calls.AUDIT, lambda: self._wire.read("GET", "/v3/audit", AuditList, params=params)
        )
        if found is None:
            raise Unsupported("This print server keeps no history that station can show.")
        return found

    # --- for `station doctor` --------------------------------------------------------------------

    async def diagnose(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None,
        authorized: bool = True,
    ) -> httpx.Response:
        """One call as it is, whatever its status (the doctor reads it); no answer raises as usual."""
        return await self._wire.diagnose(method, path, params=params, json=json, authorized=authorized)
