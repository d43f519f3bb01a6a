"""StationClient: one httpx.AsyncClient and one typed method per call of the contract.

Contract 7.3 is the rule: only the token is required. Every call of station's profile is
optional, and what a server lacks is learned once (`capabilities.py`): a method whose call the
server does not have returns None (or raises `Unsupported` where there is nothing to return).
Any 2xx of a change counts as done whatever its body; such a method returns what the body
said, or None, and the caller reads the jobs again. The token renews itself (`auth.py`), TLS
contexts are built once (`tls.py`), and the job list is read whatever query the server takes
(`listing.py`).

Every failure is a typed `ApiError`. The client logs the method, path and status of each call,
never a query, a body or a header: no token, PIN, card number or password reaches a log.
"""

from __future__ import annotations

import logging
import time
import uuid as uuid_module
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from station.api import capabilities as calls
from station.api.auth import TokenAuth
from station.api.capabilities import ABSENT_STATUSES, capabilities_of
from station.api.errors import (
    ApiError,
    BadResponse,
    InvalidLogin,
    NotAllowed,
    ScopeMissing,
    ServerUnreachable,
    SessionExpired,
    Unsupported,
    error_from_response,
    transport_error,
)
from station.api.listing import PAGE, JobQuery, Page, as_list, read_page
from station.api.models import (
    REASON_HEADER,
    Account,
    AuditList,
    ClientJobCreated,
    Dialog,
    Job,
    JobList,
    JobStateReply,
    ProcessResult,
    ProjectList,
    Reason,
    ScriptReply,
    Token,
    User,
    UserList,
    script_answer,
)
from station.api.people import Identity, vendor_accounts
from station.api.release import AS_SENT, ReleaseOptions
from station.api.tls import Verify, ssl_context

log = logging.getLogger("station.api")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

DEFAULT_CLIENT_ID = "station-demo"
DEFAULT_CLIENT_SECRET = "station-demo-secret"
PERSON_SCOPE = "jobs offline.access"
HELPDESK_SCOPE = "jobs users offline.access"

# The options of the duplex question (contract 4.6, station's profile).
DUPLEX, SIMPLEX = "duplex", "simplex"

# login_info.type of the contract (section 2)
LOGIN_CARD, LOGIN_PIN, LOGIN_PASSWORD, LOGIN_CARD_PIN, LOGIN_CARD_PASSWORD = 1, 2, 3, 4, 5

MAX_JOBS_READ = 10_000  # the station filters at most this many jobs itself (20 pages)
NO_SIDES = "This print server does not let station change the sides of a job."


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
        self._client_id = client_id
        self._client_secret = client_secret
        self._auth = TokenAuth(self._renew, clock)
        self._http = httpx.AsyncClient(
            base_url=f"{self.server}/api",
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            verify=ssl_context(verify),
            transport=transport,
            headers={"Accept": "application/json"},
            follow_redirects=False,
            event_hooks={"request": [self._counted]},
        )
        self.capabilities = capabilities_of(self.server, transport)
        self.requests_sent = 0  # every HTTP request, renewals and retries included (benchmarks read it)
        # Shown every answer (`station doctor` reads statuses, times and field names from them).
        self.watch: Callable[[httpx.Response], None] | None = None

    async def _counted(self, request: httpx.Request) -> None:
        self.requests_sent += 1

    # --- session -----------------------------------------------------------------------------

    async def __aenter__(self) -> StationClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

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

    async def _grant(self, body: dict[str, Any]) -> Token:
        body = {**body, "client_id": self._client_id, "client_secret": self._client_secret}
        token = await self._send(
            "POST", "/auth/token", json=body, model=Token, authorized=False, by_status={401: InvalidLogin}
        )
        self._auth.set(token)
        return token

    async def refresh(self) -> Token:
        """Renew the access token with the refresh token now (it also renews on its own)."""
        token = self._auth.token
        if token is None or not token.refresh_token:
            raise SessionExpired()
        return await self._auth.renewed(token)

    async def _renew(self, token: Token) -> Token:
        """The refresh grant (contract: standard OAuth form); a refusal ends the session."""
        if not token.refresh_token:
            self._auth.set(None)
            raise SessionExpired()
        body = {
            "grant_type": "refresh_token",
            "refresh_token": token.refresh_token,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        try:
            fresh = await self._send("POST", "/auth/token", json=body, model=Token, authorized=False)
        except ServerUnreachable:
            raise
        except ApiError as error:
            self._auth.set(None)
            raise SessionExpired(reason=error.reason, status=error.status) from None
        if not fresh.refresh_token:  # the server may keep the refresh token as it was
            fresh = fresh.model_copy(update={"refresh_token": token.refresh_token})
        return fresh

    async def revoke(self) -> None:
        """Log out: revoke the refresh token on the server (where it can), then forget the session."""
        token = self._auth.token
        self._auth.set(None)
        if token is None:
            return
        body = {
            "token": token.refresh_token or token.access_token,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        await self._optional(calls.REVOKE, lambda: self._send("POST", "/auth/revoke", json=body, authorized=False))

    # --- who is logged in, users and projects (contract 3, 7.3 point 8) -------------------------

    async def me(self) -> User | None:
        """The person logged in (profile), or None when the server does not say."""
        return await self._optional(calls.ME, lambda: self._send("GET", "/v3/users/me", model=User))

    async def find_user(self, username: str) -> User | None:
        """`GET /v3/users/find?username=` (vendor, scope `users`): the user of that name, or None."""
        if "users" not in self.scopes:
            return None
        try:
            found = await self._optional(
                calls.USERS_FIND,
                lambda: self._send("GET", "/v3/users/find", params={"username": username}, model=UserList),
            )
        except (NotAllowed, ScopeMissing):
            return None  # there, but not for this login
        return next((user for user in found.users if user.username == username), None) if found else None

    async def user_accounts(self, user_id: int) -> list[Account] | None:
        """`GET /v3/users/{id}/accounts` (vendor): the accounts (no balances), or None."""

        async def ask() -> list[Account]:
            accounts = vendor_accounts(await self._send("GET", f"/v3/users/{int(user_id)}/accounts"))
            if accounts is None:
                raise BadResponse()
            return accounts

        try:
            return await self._optional(calls.ACCOUNTS, ask)
        except (NotAllowed, ScopeMissing):
            return None  # there, but not for this login

    async def who(self, username: str | None = None) -> Identity:
        """Who is logged in (contract 7.3, point 8): `/v3/users/me` where it exists; else, with
        the `users` scope, `/v3/users/find` by the user name typed at login, with the accounts
        of `/v3/users/{id}/accounts` where readable; else only the name typed, or nothing."""
        user = await self.me()
        if user is not None:
            return Identity(user, "me", accounts_known=True, balances_known=True)
        found = await self.find_user(username) if username else None
        if found is None:
            return Identity(None, "typed" if username else "none", typed=username)
        accounts = await self.user_accounts(found.id)
        if accounts is not None:
            found = found.model_copy(update={"accounts": accounts, "default_account": None})
        return Identity(found, "find", typed=username, accounts_known=accounts is not None)

    async def users(self, search: str = "", *, limit: int = 100, start: int = 0) -> UserList:
        params = _query(search=search or None, limit=limit, start=start)
        return await self._send("GET", "/v3/users", params=params, model=UserList)

    async def projects(
        self, search: str = "", *, owner_id: int | None = None, limit: int = 500, start: int = 0
    ) -> ProjectList | None:
        """The projects the caller may charge (profile), or None when the server has no such list."""
        params = _query(search=search or None, ownerId=owner_id, limit=limit, start=start)
        return await self._optional(
            calls.PROJECTS, lambda: self._send("GET", "/v3/projects", params=params, model=ProjectList)
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
        wanted = set(query.profile_params())
        if not wanted:
            return as_list(await self._jobs_page(query.paging()))
        if not self.capabilities.takes_query(wanted):
            first = await self._jobs_page({"limit": PAGE, "start": 0})  # also learns profileQuery
            if not self.capabilities.takes_query(wanted):
                if owner_id is not None or all_owners:
                    raise Unsupported("This print server does not let station list other people's jobs.")
                return query.page(*await self._every_job(first))
        return as_list(await self._jobs_page(query.params()))

    async def _jobs_page(self, params: dict[str, Any]) -> Page:
        page = read_page(await self._send("GET", "/v3/jobs", params=params))
        self.capabilities.learn_job_query(page.profile_query)
        return page

    async def _every_job(self, first: Page) -> tuple[list[Job], list[str]]:
        """The whole list, page after page by `count` (at most MAX_JOBS_READ); a server that
        ignores `start` is noticed (a page with nothing new) and not read for ever."""
        jobs = {job.id: job for job in first.jobs}
        rejected = list(first.rejected)
        page, read = first, first.size
        while read < MAX_JOBS_READ and page.size and (read < page.count if page.count is not None else page.size >= PAGE):
            page = await self._jobs_page({"limit": PAGE, "start": read})
            new = [job for job in page.jobs if job.id not in jobs]
            if page.size and not new and not page.rejected:
                break
            jobs.update((job.id, job) for job in new)
            rejected += page.rejected
            read += page.size
        return list(jobs.values()), rejected

    async def job(self, job_id: int) -> Job:
        return await self._send("GET", f"/v3/jobs/{int(job_id)}", model=Job)

    async def job_state(self, job_id: int) -> str:
        reply = await self._send("GET", f"/v3/jobs/{int(job_id)}/state", model=JobStateReply)
        return reply.state

    # --- jobs: changing (contract 4.3); any 2xx is done, the body is a bonus ------------------------

    async def patch_job(
        self,
        job_id: int,
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        reason: str | None = None,
    ) -> Job | None:
        body = _query(ownerId=owner_id, projectId=project_id, favorite=favorite)
        return await self._send(
            "PATCH", f"/v3/jobs/{int(job_id)}", json=body, model=Job, reason=reason, any_body=True
        )

    async def patch_jobs(
        self,
        job_ids: Iterable[int],
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        account: str | None = None,
        reason: str | None = None,
    ) -> JobList | None:
        """The same change to many jobs, all or nothing; the changed jobs when the body says."""
        change = _query(ownerId=owner_id, projectId=project_id, favorite=favorite, account=account)
        body = {"jobs": [{"id": int(job_id), **change} for job_id in job_ids]}
        return await self._send("PATCH", "/v3/jobs", json=body, model=JobList, reason=reason, any_body=True)

    async def cancel_jobs(self, job_ids: Iterable[int], *, reason: str | None = None) -> JobList | None:
        ids = [int(job_id) for job_id in job_ids]
        return await self._send("POST", "/v3/jobs/delete", json=ids, model=JobList, reason=reason, any_body=True)

    async def cancel_job(self, job_id: int, *, reason: str | None = None) -> None:
        await self._send("DELETE", f"/v3/jobs/{int(job_id)}", reason=reason, any_body=True)

    async def cancel(self, job_ids: Iterable[int], *, reason: str | None = None) -> None:
        """Cancel one job with `DELETE /v3/jobs/{id}`, several with `POST /v3/jobs/delete`."""
        ids = list(job_ids)
        if len(ids) == 1:
            await self.cancel_job(ids[0], reason=reason)
        else:
            await self.cancel_jobs(ids, reason=reason)

    # --- client spooling (contract 4.4) ----------------------------------------------------------

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
        created = await self._send("POST", "/v3/jobs/client", json=body, model=ClientJobCreated, reason=reason)
        return created.id

    # --- releasing (contract 4.5, 7.3 point 6) -----------------------------------------------------

    async def process(
        self,
        job_ids: Iterable[int],
        *,
        owner: str | None,
        project_id: int = 0,
        account: str | None = None,
        reason: str | None = None,
    ) -> ProcessResult | None:
        """Release through `POST /v3/jobs/process`: what was charged when the body says, else None.
        `owner` None leaves it out (the caller's own jobs, when the user name is not known)."""
        body = {"jobIds": [int(job_id) for job_id in job_ids], **_query(owner=owner),
                "projectId": project_id, "account": account}
        return await self._send(
            "POST", "/v3/jobs/process", json=body, model=ProcessResult, reason=reason, any_body=True
        )

    async def release_at_printer(
        self,
        printer: str,
        job_ids: Iterable[int],
        *,
        options: ReleaseOptions = AS_SENT,
        project_id: int = 0,
        account: str | None = None,
        reason: str | None = None,
    ) -> ProcessResult | None:
        """Release at a printer, `POST /v3/printers/{printer}/jobs/release` (the vendor's way):
        "an asynchronous operation" with no reply documented, so usually None."""
        body = {
            "projectId": project_id,
            "jobIds": [int(job_id) for job_id in job_ids],
            "releaseOptions": options.wire(),
            "account": account,
        }
        path = f"/v3/printers/{quote(str(printer), safe='')}/jobs/release"
        return await self._send("POST", path, json=body, model=ProcessResult, reason=reason, any_body=True)

    # --- the script dialog (contract 4.6, 7.3 point 7) ---------------------------------------------

    async def script_ask(self, job_id: int, *, reason: str | None = None) -> ScriptReply | None:
        """The job's open dialogs, or None when the server has no ask form (learned once). A 404
        is the job's (the vendor documents the path), so it is an error, not an absence."""

        async def ask() -> ScriptReply:
            reply = await self._send(
                "POST", f"/v3/jobs/{int(job_id)}/script", json={"state": []}, model=ScriptReply, reason=reason
            )
            if not reply.dialogs and not reply.state and reply.job is None:
                raise BadResponse()  # an empty 2xx, `{}` or `[]`: nothing is offered
            return reply

        return await self._optional(calls.SCRIPT_ASK, ask, absent=frozenset({405, 501}))

    async def script_answer(
        self,
        job_id: int,
        *,
        dialog_id: str,
        options: Iterable[str],
        chosen: str,
        state: list[str],
        reason: str | None = None,
    ) -> ScriptReply | None:
        body = script_answer(dialog_id, list(options), chosen, state)
        return await self._send(
            "POST", f"/v3/jobs/{int(job_id)}/script", json=body, model=ScriptReply, reason=reason, any_body=True
        )

    @property
    def offers_sides(self) -> bool | None:
        """Whether the server has a script dialog to switch sides: None until it has been asked."""
        if self.capabilities.lacks(calls.SCRIPT_ASK):
            return False
        return True if self.capabilities.has(calls.SCRIPT_ASK) else None

    async def set_duplex(self, job_id: int, duplex: bool, *, reason: str | None = None) -> Job:
        """Switch a job to 2-sided (or back) by answering its duplex question (contract 4.6).

        Station's profile: the question offers the options `duplex` and `simplex`. This is the
        one place that knows it, so a real server with other keys changes only this method.
        Raises `Unsupported` when the server offers no such question.
        """
        reply = await self.script_ask(job_id, reason=reason)
        if reply is None:
            raise Unsupported(NO_SIDES)
        dialog = duplex_dialog(reply)
        if dialog is None:
            raise Unsupported("The print server did not offer to change the sides of this job.")
        answer = await self.script_answer(
            job_id,
            dialog_id=dialog.id,
            options=[option.key for option in dialog.options],
            chosen=DUPLEX if duplex else SIMPLEX,
            state=reply.state,
            reason=reason,
        )
        return answer.job if answer is not None and answer.job is not None else await self.job(job_id)

    # --- audit (contract 4.7) --------------------------------------------------------------------

    async def audit(self, *, owner_id: int | None = None, limit: int = 100, start: int = 0) -> AuditList:
        """The history of the caller's jobs (profile); `Unsupported` where the server keeps none."""
        params = _query(ownerId=owner_id, limit=limit, start=start)
        found = await self._optional(calls.AUDIT, lambda: self._send("GET", "/v3/audit", params=params, model=AuditList))
        if found is None:
            raise Unsupported("This print server keeps no history that station can show.")
        return found

    # --- for `station doctor` --------------------------------------------------------------------

    async def diagnose(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None,
        authorized: bool = True,
    ) -> httpx.Response:
        """One call as it is, whatever its status (the doctor reads it); no answer raises as usual."""
        try:
            response = await self._http.request(
                method, path, params=params, json=json, auth=self._auth if authorized else httpx.USE_CLIENT_DEFAULT
            )
        except httpx.TransportError as error:
            raise transport_error(error, self._http.base_url.host) from None
        if self.watch is not None:
            self.watch(response)
        return response

    # --- the wire --------------------------------------------------------------------------------

    async def _optional(
        self, call: str, send: Callable[[], Awaitable[T]], *, absent: frozenset[int] = ABSENT_STATUSES
    ) -> T | None:
        """A call the server may not have: None (and not asked again) when it answers that it
        has not, or with something that does not parse."""
        if self.capabilities.lacks(call):
            return None
        try:
            result = await send()
        except BadResponse:
            self.capabilities.learn(call, present=False)
            return None
        except ApiError as error:
            if error.status in absent:
                self.capabilities.learn(call, present=False)
                return None
            raise
        self.capabilities.learn(call, present=True)
        return result

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        model: type[M] | None = None,
        authorized: bool = True,
        reason: str | None = None,
        any_body: bool = False,
        by_status: dict[int, type[ApiError]] | None = None,
    ) -> Any:
        """One request. A 4xx/5xx raises its kind; `model` reads a 2xx body (a body that does not
        fit raises BadResponse, or gives None with `any_body`: a change counts as done)."""
        headers: dict[str, Any] = {}
        if reason:
            # UTF-8 bytes: a reason may hold any letter; control characters would break the header.
            headers[REASON_HEADER] = _header_text(reason)
        try:
            response = await self._http.request(
                method, path, json=json, params=params, headers=headers,
                auth=self._auth if authorized else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TransportError as error:
            unreachable = transport_error(error, self._http.base_url.host)
            log.info("%s %s failed: %s", method, path, type(unreachable).__name__)
            raise unreachable from None
        log.info("%s %s -> %s", method, path, response.status_code)
        if self.watch is not None:
            self.watch(response)
        if response.status_code >= 400:
            raise error_from_response(
                response.status_code, _json_or_none(response), response.headers.get("Retry-After"), by_status
            )
        if model is None:
            return _json_or_none(response) if response.content else None
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            if any_body:
                return None
            raise BadResponse(f"The print server's answer to {method} {path} was not in the expected shape.") from None


def duplex_dialog(reply: ScriptReply) -> Dialog | None:
    """The open dialog that asks 1- or 2-sided, if the reply holds one."""
    for dialog in reply.dialogs:
        if {DUPLEX, SIMPLEX} <= {option.key for option in dialog.options}:
            return dialog
    return None


def _query(**values: Any) -> dict[str, Any]:
    """Only the fields that were given: `None` means "leave as it is"."""
    return {key: value for key, value in values.items() if value is not None}


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _header_text(text: str) -> bytes:
    printable = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return printable[:500].encode("utf-8")
