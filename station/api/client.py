"""StationClient: one httpx.AsyncClient and one typed method per call of the contract.

The client keeps the session's tokens, renews an expired access token once with the refresh
token and retries the call, and turns every failure into a typed `ApiError`. It logs the
method, path and status of each call, never a body or a header: no token, PIN, card number or
password ever reaches a log.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import uuid as uuid_module
from collections.abc import Iterable
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from station.api.errors import (
    ApiError,
    BadResponse,
    CertificateNotTrusted,
    RequestTimeout,
    ScopeMissing,
    SecureConnectionFailed,
    ServerUnreachable,
    SessionExpired,
    error_from_response,
)
from station.api.models import (
    REASON_HEADER,
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

log = logging.getLogger("station.api")

T = TypeVar("T", bound=BaseModel)

DEFAULT_CLIENT_ID = "station-demo"
DEFAULT_CLIENT_SECRET = "station-demo-secret"
PERSON_SCOPE = "jobs offline.access"
HELPDESK_SCOPE = "jobs users offline.access"

# The options of the duplex question (contract 4.6, station's profile).
DUPLEX, SIMPLEX = "duplex", "simplex"

# login_info.type of the contract (section 2)
LOGIN_CARD, LOGIN_PIN, LOGIN_PASSWORD, LOGIN_CARD_PIN, LOGIN_CARD_PASSWORD = 1, 2, 3, 4, 5


class StationClient:
    """A session with one print server. Use `async with StationClient(url) as client:`."""

    def __init__(
        self,
        server: str,
        *,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        timeout: float = 10.0,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`verify`: True checks the server's certificate against the system's CAs; a path adds
        the CA bundle (PEM file or folder) there to them; False checks nothing."""
        self.server = server.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._http = httpx.AsyncClient(
            base_url=f"{self.server}/api",
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            verify=_ssl_context(verify),
            transport=transport,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )
        self._token: Token | None = None
        self._refresh_lock = asyncio.Lock()
        self.requests_sent = 0  # every HTTP request, retries included (benchmarks read it)

    # --- session -----------------------------------------------------------------------------

    async def __aenter__(self) -> StationClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def logged_in(self) -> bool:
        return self._token is not None

    @property
    def scopes(self) -> set[str]:
        return self._token.scopes if self._token else set()

    def forget(self) -> None:
        """Drop the session's tokens from memory without telling the server."""
        self._token = None

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
            self._token = None
            raise ScopeMissing("This login may not see print jobs.", reason=Reason.SCOPE_MISSING)
        return token

    async def _grant(self, body: dict[str, Any]) -> Token:
        body = {**body, "client_id": self._client_id, "client_secret": self._client_secret}
        token = await self._send("POST", "/auth/token", json=body, model=Token, authorized=False)
        self._token = token
        return token

    async def refresh(self) -> Token:
        """Renew the access token with the refresh token (contract: standard OAuth form)."""
        if self._token is None or not self._token.refresh_token:
            raise SessionExpired()
        body = {
            "grant_type": "refresh_token",
            "refresh_token": self._token.refresh_token,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        try:
            token = await self._send("POST", "/auth/token", json=body, model=Token, authorized=False)
        except ApiError as error:
            if isinstance(error, ServerUnreachable):
                raise
            self._token = None
            raise SessionExpired(reason=error.reason, status=error.status) from None
        if not token.refresh_token:  # the server may keep the refresh token as it was
            token = token.model_copy(update={"refresh_token": self._token.refresh_token})
        self._token = token
        return token

    async def revoke(self) -> None:
        """Log out: revoke the refresh token on the server, then forget the session."""
        token, self._token = self._token, None
        if token is None:
            return
        body = {
            "token": token.refresh_token or token.access_token,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        await self._send("POST", "/auth/revoke", json=body, authorized=False)

    # --- users and projects (contract 3) -------------------------------------------------------

    async def me(self) -> User:
        return await self._send("GET", "/v3/users/me", model=User)

    async def users(self, search: str = "", *, limit: int = 100, start: int = 0) -> UserList:
        params = _query(search=search or None, limit=limit, start=start)
        return await self._send("GET", "/v3/users", params=params, model=UserList)

    async def projects(
        self, search: str = "", *, owner_id: int | None = None, limit: int = 500, start: int = 0
    ) -> ProjectList:
        params = _query(search=search or None, ownerId=owner_id, limit=limit, start=start)
        return await self._send("GET", "/v3/projects", params=params, model=ProjectList)

    # --- jobs: reading (contract 4.2) ------------------------------------------------------------

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
        """A page of jobs. A job the client cannot read is left out and named in `rejected`.

        `all_owners`: every owner's jobs (station's profile `all=true`, helpdesk only).
        """
        params = _query(
            all="true" if all_owners else None,
            state=",".join(state) if state is not None else None,
            favorite="true" if favorite else None,
            ownerId=owner_id,
            search=search or None,
            sort=sort,
            limit=limit,
            start=start,
        )
        body = await self._send("GET", "/v3/jobs", params=params)
        return _job_list(body)

    async def job(self, job_id: int) -> Job:
        return await self._send("GET", f"/v3/jobs/{int(job_id)}", model=Job)

    async def job_state(self, job_id: int) -> str:
        reply = await self._send("GET", f"/v3/jobs/{int(job_id)}/state", model=JobStateReply)
        return reply.state

    # --- jobs: changing (contract 4.3) -----------------------------------------------------------

    async def patch_job(
        self,
        job_id: int,
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        reason: str | None = None,
    ) -> Job:
        body = _query(ownerId=owner_id, projectId=project_id, favorite=favorite)
        return await self._send("PATCH", f"/v3/jobs/{int(job_id)}", json=body, model=Job, reason=reason)

    async def patch_jobs(
        self,
        job_ids: Iterable[int],
        *,
        owner_id: int | None = None,
        project_id: int | None = None,
        favorite: bool | None = None,
        account: str | None = None,
        reason: str | None = None,
    ) -> JobList:
        """The same change to many jobs, all or nothing."""
        change = _query(ownerId=owner_id, projectId=project_id, favorite=favorite, account=account)
        body = {"jobs": [{"id": int(job_id), **change} for job_id in job_ids]}
        return await self._send("PATCH", "/v3/jobs", json=body, model=JobList, reason=reason)

    async def cancel_jobs(self, job_ids: Iterable[int], *, reason: str | None = None) -> JobList:
        ids = [int(job_id) for job_id in job_ids]
        return await self._send("POST", "/v3/jobs/delete", json=ids, model=JobList, reason=reason)

    async def cancel_job(self, job_id: int, *, reason: str | None = None) -> None:
        await self._send("DELETE", f"/v3/jobs/{int(job_id)}", reason=reason)

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

    # --- releasing (contract 4.5) ----------------------------------------------------------------

    async def process(
        self,
        job_ids: Iterable[int],
        *,
        owner: str,
        project_id: int = 0,
        account: str | None = None,
        reason: str | None = None,
    ) -> ProcessResult:
        body = {
            "jobIds": [int(job_id) for job_id in job_ids],
            "owner": owner,
            "projectId": project_id,
            "account": account,
        }
        return await self._send("POST", "/v3/jobs/process", json=body, model=ProcessResult, reason=reason)

    # --- the script dialog (contract 4.6) --------------------------------------------------------

    async def script_ask(self, job_id: int, *, reason: str | None = None) -> ScriptReply:
        return await self._send(
            "POST", f"/v3/jobs/{int(job_id)}/script", json={"state": []}, model=ScriptReply, reason=reason
        )

    async def script_answer(
        self,
        job_id: int,
        *,
        dialog_id: str,
        options: Iterable[str],
        chosen: str,
        state: list[str],
        reason: str | None = None,
    ) -> ScriptReply:
        body = script_answer(dialog_id, list(options), chosen, state)
        return await self._send(
            "POST", f"/v3/jobs/{int(job_id)}/script", json=body, model=ScriptReply, reason=reason
        )

    async def set_duplex(self, job_id: int, duplex: bool, *, reason: str | None = None) -> Job:
        """Switch a job to 2-sided (or back) by answering its duplex question (contract 4.6).

        Station's profile: the question offers the options `duplex` and `simplex`. This is the
        one place that knows it, so a real server with other keys changes only this method.
        """
        reply = await self.script_ask(job_id, reason=reason)
        dialog = duplex_dialog(reply)
        if dialog is None:
            raise BadResponse("The print server did not offer to change the sides of this job.")
        reply = await self.script_answer(
            job_id,
            dialog_id=dialog.id,
            options=[option.key for option in dialog.options],
            chosen=DUPLEX if duplex else SIMPLEX,
            state=reply.state,
            reason=reason,
        )
        return reply.job if reply.job is not None else await self.job(job_id)

    # --- audit (contract 4.7) --------------------------------------------------------------------

    async def audit(self, *, owner_id: int | None = None, limit: int = 100, start: int = 0) -> AuditList:
        params = _query(ownerId=owner_id, limit=limit, start=start)
        return await self._send("GET", "/v3/audit", params=params, model=AuditList)

    # --- the wire --------------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        model: type[T] | None = None,
        authorized: bool = True,
        reason: str | None = None,
    ) -> Any:
        headers: dict[str, Any] = {}
        if reason:
            # UTF-8 bytes: a reason may hold any letter; control characters would break the header.
            headers[REASON_HEADER] = _header_text(reason)
        try:
            response = await self._request(method, path, json, params, headers, authorized)
            if response.status_code == 401 and authorized and _reason_of(response) == Reason.TOKEN_EXPIRED:
                await self._refresh_after(response)
                response = await self._request(method, path, json, params, headers, authorized)
        except httpx.TimeoutException:
            raise RequestTimeout() from None
        except httpx.TransportError as error:
            unreachable = _unreachable(error, self._http.base_url.host)
            log.info("%s %s failed: %s", method, path, type(unreachable).__name__)
            raise unreachable from None
        log.info("%s %s -> %s", method, path, response.status_code)
        if response.status_code >= 400:
            raise error_from_response(
                response.status_code, _json_or_none(response), response.headers.get("Retry-After")
            )
        if model is None:
            return _json_or_none(response) if response.content else None
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise BadResponse(f"The print server's answer to {method} {path} was not in the expected shape.") from None

    async def _request(
        self,
        method: str,
        path: str,
        json: Any,
        params: dict[str, Any] | None,
        headers: dict[str, Any],
        authorized: bool,
    ) -> httpx.Response:
        if authorized:
            if self._token is None:
                raise SessionExpired("Not logged in.")
            headers = {**headers, "Authorization": f"Bearer {self._token.access_token}"}
        self.requests_sent += 1
        return await self._http.request(method, path, json=json, params=params, headers=headers)

    async def _refresh_after(self, response: httpx.Response) -> None:
        """Renew the token once, unless a concurrent call already did."""
        sent_with = response.request.headers.get("Authorization", "")
        async with self._refresh_lock:
            if self._token is not None and sent_with != f"Bearer {self._token.access_token}":
                return
            await self.refresh()


def _ssl_context(verify: bool | str | ssl.SSLContext) -> bool | ssl.SSLContext:
    """The system's trust plus a CA bundle given by path (httpx would trust the bundle alone,
    and warns that a path is deprecated)."""
    if not isinstance(verify, str):
        return verify
    context = httpx.create_ssl_context()
    try:
        if os.path.isdir(verify):
            context.load_verify_locations(capath=verify)
        else:
            context.load_verify_locations(cafile=verify)
    except (OSError, ssl.SSLError) as error:
        raise ValueError(f"The CA bundle {verify} could not be read: {error.strerror or error}") from None
    return context


def _unreachable(error: httpx.TransportError, host: str) -> ServerUnreachable:
    """The kind of "no answer": a certificate that failed verification, a TLS set-up that
    failed, or the server not reached at all."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            return CertificateNotTrusted(_certificate_problem(cause, host))
        if isinstance(cause, ssl.SSLError):
            return SecureConnectionFailed()
        cause = cause.__cause__ or cause.__context__
    return ServerUnreachable()


def _certificate_problem(error: ssl.SSLCertVerificationError, host: str) -> str:
    code = getattr(error, "verify_code", None)
    if code in (62, 64):  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
        return (
            f"The print server's certificate could not be verified: it was issued for another"
            f" name than {host}. Check the server address."
        )
    if code in (9, 10):  # not yet valid, expired
        return (
            "The print server's certificate could not be verified: it has expired or is not"
            " valid yet. Check the server's certificate and this machine's clock."
        )
    return CertificateNotTrusted.default_message


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


def _reason_of(response: httpx.Response) -> str | None:
    return error_from_response(response.status_code, _json_or_none(response)).reason


def _header_text(text: str) -> bytes:
    printable = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return printable[:500].encode("utf-8")


def _job_list(body: Any) -> JobList:
    """Read a job list job by job, so one broken job does not hide the others."""
    if not isinstance(body, dict) or not isinstance(body.get("jobs"), list):
        raise BadResponse("The print server's job list was not in the expected shape.")
    jobs: list[Job] = []
    rejected: list[str] = []
    for raw in body["jobs"]:
        try:
            jobs.append(Job.model_validate(raw))
        except ValidationError:
            job_id = raw.get("id") if isinstance(raw, dict) else None
            rejected.append(f"job {job_id}" if job_id is not None else "a job without id")
    count = body.get("count")
    return JobList(jobs=jobs, count=count if isinstance(count, int) else len(jobs), rejected=rejected)
