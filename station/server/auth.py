"""Tokens, logins, lockout, scopes and roles (contract section 2).

Nothing secret is stored or logged in plain text: PINs, cards, tokens and client secrets are
kept as keyed hashes (`Store.hash_secret`), passwords as scrypt hashes. A login session holds
the granted scope; its access tokens live `token_ttl` seconds, its refresh tokens until
`refresh_ttl` after the login, each usable once. Revoking any token of a session revokes the
whole session. Failed logins are counted in `lockout.py`; OAuth clients live in `clients.py`.
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from station.api.models import LoginInfo, Reason, RevokeRequest, TokenRequest
from station.server import clients, lockout
from station.server.errors import Problem
from station.server.store import Store, Tx
from station.server.times import seconds, to_us

ROLE_SCOPES = {
    "user": frozenset({"jobs", "offline.access"}),
    "helpdesk": frozenset({"jobs", "users", "offline.access"}),
    "app": frozenset({"jobs", "users"}),
}
SCOPE_ORDER = ("jobs", "users", "offline.access")

LOGIN_FIELDS = {1: ("card",), 2: ("pin",), 3: ("user", "pwd"), 4: ("card", "pin"), 5: ("card", "pwd")}

INVALID_LOGIN_MESSAGE = "That login was not recognised. Check it and try again."


@dataclass(frozen=True)
class Principal:
    """Who is calling: a person (role `user` or `helpdesk`) or an application (`app`)."""

    user_id: int | None
    username: str
    role: str
    scopes: frozenset[str]
    client_id: str
    session_id: str

    @property
    def is_app(self) -> bool:
        return self.role == "app"

    @property
    def may_act_for_others(self) -> bool:
        """Helpdesk people and applications, with the scope `users`, may read and change any
        user's jobs (with a reason for each change: `jobs.require_reason`)."""
        return self.role in ("helpdesk", "app") and "users" in self.scopes

    def require(self, *scopes: str) -> None:
        """403 `scope_missing` unless the token holds at least one of `scopes`."""
        if not any(scope in self.scopes for scope in scopes):
            raise Problem(
                403,
                Reason.SCOPE_MISSING,
                f"This needs the permission '{scopes[0]}', which this login was not granted.",
                scope=scopes[0],
            )


def _unauthorized(reason: Reason, message: str) -> Problem:
    return Problem(
        401, reason, message, headers={"WWW-Authenticate": f'Bearer error="{reason.value}"'}
    )


def granted_scope(role: str, requested: str | None) -> list[str]:
    """The requested scopes this role may hold (all of them when none were asked for)."""
    allowed = ROLE_SCOPES[role]
    wanted = set(requested.split()) if requested and requested.strip() else set(allowed)
    return [scope for scope in SCOPE_ORDER if scope in wanted and scope in allowed]


def _invalid_client() -> Problem:
    return _unauthorized(
        Reason.INVALID_CLIENT,
        "This application is not known to the server: its client id or secret is wrong.",
    )


def _invalid_session() -> Problem:
    return _unauthorized(Reason.INVALID_TOKEN, "This session is not valid any more. Log in again.")


# --- token grants --------------------------------------------------------------------------


def token_grant(store: Store, req: TokenRequest, address: str) -> dict:
    """Answer `POST /auth/token`: the token response as a dict, or raise a Problem.

    Every wrong client secret and every wrong login counts as a failure of the caller's
    address (and of the user name or card it names): see `lockout.py`.
    """
    if req.grant_type == "login_info":
        if req.login_info is None:
            raise Problem(
                422, Reason.VALIDATION, "Field 'login_info' is required for grant_type login_info.",
                field="login_info",
            )
        return _login(store, req, req.login_info, address)
    if req.grant_type == "refresh_token":
        if not req.refresh_token:
            raise Problem(
                422, Reason.VALIDATION,
                "Field 'refresh_token' is required for grant_type refresh_token.",
                field="refresh_token",
            )
        return _refresh(store, req, address)
    return _application(store, req, address)


def _now_us(store: Store) -> int:
    return to_us(store.settings.now())


def _application(store: Store, req: TokenRequest, address: str) -> dict:
    """The `client_credentials` grant: a token of the application itself (no person)."""
    settings = store.settings
    now_us = _now_us(store)
    with store.tx() as db:
        lockout.refuse_if_blocked(db, settings, address, [], now_us)
        if clients.matches(db, req.client_id, req.client_secret):
            return _issue(
                db, user_id=None, role="app", client_id=req.client_id, requested=req.scope,
                now_us=now_us,
            )
        lockout.record_failure(db, settings, [lockout.address_key(address)], now_us)
    raise _invalid_client()  # after the commit: the failure counts


def _login(store: Store, req: TokenRequest, info: LoginInfo, address: str) -> dict:
    """The `login_info` grant. The attempt is counted as a failure first and forgiven once it is
    right; the slow password check runs between two short transactions, never inside one."""
    settings = store.settings
    for name in LOGIN_FIELDS[info.type]:
        value = getattr(info, name)
        if value is None or not value.strip():
            raise Problem(
                422,
                Reason.VALIDATION,
                f"Field 'login_info.{name}' is required for login type {info.type}.",
                field=f"login_info.{name}",
            )
    identities = lockout.identity_keys(store, info)
    now_us = _now_us(store)
    with store.tx() as db:
        lockout.refuse_if_blocked(db, settings, address, identities, now_us)
        known_client = clients.matches(db, req.client_id, req.client_secret)
        counted = [lockout.address_key(address), *(identities if known_client else [])]
        attempt = lockout.record_failure(db, settings, counted, now_us)
        user = _find_user(store, db, info) if known_client else None
    if not known_client:
        raise _invalid_client()
    verified = _verify(store, info, user)  # the slow check runs even when there is no such user
    if user is None or not verified:
        raise _unauthorized(Reason.INVALID_LOGIN, INVALID_LOGIN_MESSAGE)
    with store.tx() as db:
        lockout.forgive(db, attempt, identities)
        return _issue(
            db, user_id=user["id"], role=user["role"], client_id=req.client_id,
            requested=req.scope, now_us=now_us,
        )


def _find_user(store: Store, db: Tx, info: LoginInfo) -> sqlite3.Row | None:
    """The user these credentials name (by card, PIN or user name), not yet checked."""
    if info.type in (1, 4, 5):
        card = lockout.normalize_card(info.card or "")
        return db.one("SELECT * FROM users WHERE card_hash = ?", (store.hash_secret("card", card),))
    if info.type == 2:
        pin = (info.pin or "").strip()
        return db.one("SELECT * FROM users WHERE pin_hash = ?", (store.hash_secret("pin", pin),))
    return db.one("SELECT * FROM users WHERE username = ?", ((info.user or "").strip(),))


def _verify(store: Store, info: LoginInfo, user: sqlite3.Row | None) -> bool:
    """Whether the credentials are `user`'s. A password costs the same slow work whether the
    user exists, has a password or not: no hint which part was wrong."""
    if info.type in (3, 5):
        username = user["username"] if user is not None else ""
        stored = user["pwd_hash"] if user is not None else None
        return store.password_matches(username, info.pwd or "", stored) and user is not None
    if user is None:
        return False
    if info.type == 4:
        given = store.hash_secret("pin", (info.pin or "").strip())
        return user["pin_hash"] is not None and hmac.compare_digest(user["pin_hash"], given)
    return True


def _issue(
    db: Tx, *, user_id: int | None, role: str, client_id: str, requested: str | None, now_us: int
) -> dict:
    settings = db.store.settings
    scopes = granted_scope(role, requested)
    session_id = secrets.token_hex(16)
    access_us = now_us + int(settings.token_ttl * 1_000_000)
    refresh_us = now_us + int(seconds(settings.refresh_ttl) * 1_000_000)
    offline = "offline.access" in scopes
    # Forget what is long dead.
    horizon = now_us - int(timedelta(days=1).total_seconds() * 1_000_000)
    db.execute("DELETE FROM sessions WHERE expires_us < ?", (horizon,))
    db.execute("DELETE FROM tokens WHERE expires_us < ?", (horizon,))
    db.execute(
        "INSERT INTO sessions (id, user_id, client_id, scope, created_us, expires_us)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (session_id, user_id, client_id, " ".join(scopes), now_us,
         refresh_us if offline else access_us),
    )
    return _tokens(db, session_id, scopes, now_us, access_us, refresh_us if offline else None)


def _tokens(
    db: Tx, session_id: str, scopes: list[str], now_us: int, access_us: int, refresh_us: int | None
) -> dict:
    store = db.store
    access = secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO tokens (hash, session_id, kind, expires_us) VALUES (?, ?, 'access', ?)",
        (store.hash_secret("token", access), session_id, access_us),
    )
    answer = {
        "access_token": access,
        "token_type": "Bearer",
        # From the same `now` as the expiry: a fresh token says 1800, not 1799.
        "expires_in": max(0, (access_us - now_us) // 1_000_000),
        "scope": " ".join(scopes),
    }
    if refresh_us is not None:
        refresh = secrets.token_urlsafe(32)
        db.execute(
            "INSERT INTO tokens (hash, session_id, kind, expires_us) VALUES (?, ?, 'refresh', ?)",
            (store.hash_secret("token", refresh), session_id, refresh_us),
        )
        answer["refresh_token"] = refresh
    return answer


def _refresh(store: Store, req: TokenRequest, address: str) -> dict:
    """The `refresh_token` grant. A refresh token works once: the answer carries the next one.
    A used one coming back means two parties hold it, so the whole session ends (OAuth 2.0
    Security BCP, refresh token rotation). The client secret is checked only with a real token."""
    settings = store.settings
    now_us = _now_us(store)
    token_hash = store.hash_secret("token", req.refresh_token or "")
    ended: str | None = None
    with store.tx() as db:
        row = db.one(
            "SELECT t.expires_us AS token_expires, t.used_us, s.* FROM tokens t JOIN sessions s"
            " ON s.id = t.session_id WHERE t.hash = ? AND t.kind = 'refresh'",
            (token_hash,),
        )
        if row is None or row["revoked"] or row["client_id"] != req.client_id:
            raise _invalid_session()
        if row["used_us"] is not None:
            db.execute("UPDATE sessions SET revoked = 1 WHERE id = ?", (row["id"],))
            ended = row["id"]
            refused = _invalid_session()
        elif row["token_expires"] <= now_us or row["expires_us"] <= now_us:
            raise _unauthorized(Reason.TOKEN_EXPIRED, "This session has expired. Log in again.")
        else:
            lockout.refuse_if_blocked(db, settings, address, [], now_us)
            if clients.matches(db, req.client_id, req.client_secret):
                user = db.one("SELECT * FROM users WHERE id = ?", (row["user_id"],))
                if user is None:
                    raise _invalid_session()
                scopes = [s for s in row["scope"].split() if s in ROLE_SCOPES[user["role"]]]
                if req.scope and req.scope.strip():
                    wanted = set(req.scope.split())
                    scopes = [s for s in scopes if s in wanted]
                db.execute("UPDATE tokens SET used_us = ? WHERE hash = ?", (now_us, token_hash))
                access_us = min(now_us + int(settings.token_ttl * 1_000_000), row["expires_us"])
                return _tokens(db, row["id"], scopes, now_us, access_us, row["expires_us"])
            lockout.record_failure(db, settings, [lockout.address_key(address)], now_us)
            refused = _invalid_client()
    if ended is not None:
        store.token_cache.forget_session(ended)
    raise refused  # after the commit: the session's end or the failure is kept


def revoke(store: Store, req: RevokeRequest, address: str) -> None:
    """Revoke the session a token belongs to (RFC 7009). Unknown tokens, and tokens of another
    client, are fine and change nothing; for a real one the client's credentials must be right."""
    settings = store.settings
    now_us = _now_us(store)
    with store.tx() as db:
        session_id = db.scalar(
            "SELECT s.id FROM tokens t JOIN sessions s ON s.id = t.session_id"
            " WHERE t.hash = ? AND s.client_id = ?",
            (store.hash_secret("token", req.token), req.client_id),
        )
        if session_id is None:
            return
        lockout.refuse_if_blocked(db, settings, address, [], now_us)
        revoked = clients.matches(db, req.client_id, req.client_secret)
        if revoked:
            db.execute("UPDATE sessions SET revoked = 1 WHERE id = ?", (session_id,))
        else:
            lockout.record_failure(db, settings, [lockout.address_key(address)], now_us)
    if not revoked:
        raise _invalid_client()  # after the commit: the failure counts
    store.token_cache.forget_session(session_id)  # after the commit: no reader can cache it again


# --- checking a bearer token ---------------------------------------------------------------


def authenticate(store: Store, authorization: str | None) -> Principal:
    """The caller of a request, from its `Authorization: Bearer <token>` header (a token checked
    a moment ago comes from `store.token_cache`: see `token_cache.py`)."""
    token = _bearer_token(authorization)
    now_us = to_us(store.settings.now())
    cached = _cached(store, token, now_us)
    if cached is not None:
        return cached
    generation = store.token_cache.generation
    with store.read() as db:
        row = db.one(
            "SELECT t.expires_us AS token_expires, s.* FROM tokens t JOIN sessions s"
            " ON s.id = t.session_id WHERE t.hash = ? AND t.kind = 'access'",
            (store.hash_secret("token", token),),
        )
        if row is None or row["revoked"]:
            raise _unauthorized(
                Reason.INVALID_TOKEN, "You are not logged in: this token is not valid. Log in again."
            )
        if row["token_expires"] <= now_us:
            raise _token_expired()
        if row["user_id"] is None:
            role, username = "app", f"app:{row['client_id']}"
        else:
            user = db.one("SELECT username, role FROM users WHERE id = ?", (row["user_id"],))
            if user is None:
                raise _unauthorized(
                    Reason.INVALID_TOKEN, "This login's user is gone. Log in again."
                )
            role, username = user["role"], user["username"]
    scopes = frozenset(s for s in row["scope"].split() if s in ROLE_SCOPES[role])
    principal = Principal(
        user_id=row["user_id"],
        username=username,
        role=role,
        scopes=scopes,
        client_id=row["client_id"],
        session_id=row["id"],
    )
    store.token_cache.put(token, principal, row["token_expires"], row["id"], generation)
    return principal


def cached_caller(store: Store, authorization: str | None) -> Principal | None:
    """The caller when `store.token_cache` holds its token (no database read); else None."""
    return _cached(store, _bearer_token(authorization), to_us(store.settings.now()))


def _bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized(
            Reason.INVALID_TOKEN, "Log in first: this call needs an access token."
        )
    return token


def _cached(store: Store, token: str, now_us: int) -> Principal | None:
    found = store.token_cache.get(token)
    if found is None:
        return None
    principal, expires_us = found
    if expires_us <= now_us:
        raise _token_expired()
    return principal


def _token_expired() -> Problem:
    return _unauthorized(Reason.TOKEN_EXPIRED, "Your session has expired. Log in again.")
