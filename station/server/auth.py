"""Tokens, logins, lockout, scopes and roles (contract section 2).

Nothing secret is stored or logged in plain text: PINs, cards, passwords and tokens are kept
as keyed hashes (`Store.hash_secret`). A login session holds the granted scope; its access
tokens live `token_ttl` seconds, its refresh tokens until `refresh_ttl` after the login.
Revoking any token of a session revokes the whole session.
"""

from __future__ import annotations

import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from station.api.models import LoginInfo, Reason, TokenRequest
from station.server.errors import Problem
from station.server.settings import ServerSettings
from station.server.store import Store, Tx, seconds, to_us

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
        """Helpdesk people and applications may read and change any user's jobs."""
        return self.role in ("helpdesk", "app")

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


def check_client(settings: ServerSettings, client_id: str, client_secret: str) -> None:
    good_id = hmac.compare_digest(client_id.encode(), settings.client_id.encode())
    good_secret = hmac.compare_digest(client_secret.encode(), settings.client_secret.encode())
    if not (good_id and good_secret):
        raise _unauthorized(
            Reason.INVALID_CLIENT,
            "This application is not known to the server: its client id or secret is wrong.",
        )


# --- token grants --------------------------------------------------------------------------


def token_grant(store: Store, req: TokenRequest, address: str) -> dict:
    """Answer `POST /auth/token`: the token response as a dict, or raise a Problem."""
    settings = store.settings
    check_client(settings, req.client_id, req.client_secret)
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
        return _refresh(store, req)
    with store.tx() as db:
        return _issue(db, user_id=None, role="app", client_id=req.client_id, requested=req.scope)


def _login_keys(store: Store, info: LoginInfo, address: str) -> list[str]:
    """The lockout keys an attempt counts against: its address, and its user name or card."""
    keys = [f"addr:{address}"]
    if info.user:
        keys.append("user:" + store.hash_secret("lockname", info.user.strip().casefold()))
    if info.card:
        keys.append("card:" + store.hash_secret("card", normalize_card(info.card)))
    return keys


def normalize_card(card: str) -> str:
    return card.strip().upper()


def _login(store: Store, req: TokenRequest, info: LoginInfo, address: str) -> dict:
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
    keys = _login_keys(store, info, address)
    now = settings.now()
    now_us = to_us(now)
    window_us = int(seconds(settings.lockout_window) * 1_000_000)
    refused: Problem | None = None
    with store.tx() as db:
        marks = ",".join("?" * len(keys))
        until = db.scalar(
            f"SELECT MAX(until_us) FROM lockouts WHERE key IN ({marks}) AND until_us > ?",
            (*keys, now_us),
        )
        if until is not None:
            wait = max(1, math.ceil((until - now_us) / 1_000_000))
            raise Problem(
                429,
                Reason.LOCKED_OUT,
                f"Too many failed logins. Try again in {_minutes(wait)}.",
                headers={"Retry-After": str(wait)},
                retryAfter=wait,
            )
        user = _verify(store, db, info)
        if user is None:
            db.execute("DELETE FROM login_failures WHERE at_us <= ?", (now_us - window_us,))
            db.executemany(
                "INSERT INTO login_failures (key, at_us) VALUES (?, ?)",
                [(key, now_us) for key in keys],
            )
            for key in keys:
                failures = db.scalar(
                    "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at_us > ?",
                    (key, now_us - window_us),
                )
                if failures >= settings.lockout_threshold:
                    db.execute(
                        "INSERT INTO lockouts (key, until_us) VALUES (?, ?) ON CONFLICT (key)"
                        " DO UPDATE SET until_us = MAX(until_us, excluded.until_us)",
                        (key, now_us + window_us),
                    )
            refused = _unauthorized(Reason.INVALID_LOGIN, INVALID_LOGIN_MESSAGE)
        else:
            personal = [key for key in keys if not key.startswith("addr:")]
            if personal:
                db.execute(
                    f"DELETE FROM login_failures WHERE key IN ({','.join('?' * len(personal))})",
                    personal,
                )
            return _issue(
                db, user_id=user["id"], role=user["role"], client_id=req.client_id,
                requested=req.scope,
            )
    raise refused


def _minutes(wait: int) -> str:
    if wait < 90:
        return f"{wait} seconds"
    return f"{math.ceil(wait / 60)} minutes"


def _verify(store: Store, db: Tx, info: LoginInfo):
    """The user row these credentials belong to, or None. The same work whichever part is wrong."""
    user = None
    if info.type in (1, 4, 5):
        user = db.one(
            "SELECT * FROM users WHERE card_hash = ?",
            (store.hash_secret("card", normalize_card(info.card or "")),),
        )
    elif info.type == 2:
        user = db.one(
            "SELECT * FROM users WHERE pin_hash = ?", (store.hash_secret("pin", info.pin.strip()),)
        )
    elif info.type == 3:
        user = db.one("SELECT * FROM users WHERE username = ?", (info.user.strip(),))
    if user is None:
        if info.pwd is not None:  # as much work as a wrong password: no hint the name is unknown
            store.hash_password(info.user or "", info.pwd)
        return None
    if info.type == 4:
        expected, given = user["pin_hash"], store.hash_secret("pin", info.pin.strip())
    elif info.type in (3, 5):
        expected, given = user["pwd_hash"], store.hash_password(user["username"], info.pwd)
    else:
        return user
    if expected is None or not hmac.compare_digest(expected, given):
        return None
    return user


def _issue(db: Tx, *, user_id: int | None, role: str, client_id: str, requested: str | None) -> dict:
    store = db.store
    settings = store.settings
    now_us = to_us(settings.now())
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
    return _tokens(db, session_id, scopes, access_us, refresh_us if offline else None)


def _tokens(
    db: Tx, session_id: str, scopes: list[str], access_us: int, refresh_us: int | None
) -> dict:
    store = db.store
    access = secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO tokens (hash, session_id, kind, expires_us) VALUES (?, ?, 'access', ?)",
        (store.hash_secret("token", access), session_id, access_us),
    )
    now_us = to_us(store.settings.now())
    answer = {
        "access_token": access,
        "token_type": "Bearer",
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


def _refresh(store: Store, req: TokenRequest) -> dict:
    now_us = to_us(store.settings.now())
    with store.tx() as db:
        row = db.one(
            "SELECT t.expires_us AS token_expires, s.* FROM tokens t JOIN sessions s"
            " ON s.id = t.session_id WHERE t.hash = ? AND t.kind = 'refresh'",
            (store.hash_secret("token", req.refresh_token or ""),),
        )
        if row is None or row["revoked"] or row["client_id"] != req.client_id:
            raise _unauthorized(
                Reason.INVALID_TOKEN, "This session is not valid any more. Log in again."
            )
        if row["token_expires"] <= now_us or row["expires_us"] <= now_us:
            raise _unauthorized(Reason.TOKEN_EXPIRED, "This session has expired. Log in again.")
        user = db.one("SELECT * FROM users WHERE id = ?", (row["user_id"],))
        if user is None:
            raise _unauthorized(
                Reason.INVALID_TOKEN, "This session is not valid any more. Log in again."
            )
        scopes = [s for s in row["scope"].split() if s in ROLE_SCOPES[user["role"]]]
        if req.scope and req.scope.strip():
            wanted = set(req.scope.split())
            scopes = [s for s in scopes if s in wanted]
        access_us = min(now_us + int(store.settings.token_ttl * 1_000_000), row["expires_us"])
        return _tokens(db, row["id"], scopes, access_us, row["expires_us"])


def revoke(store: Store, token: str) -> None:
    """Revoke the session a token belongs to. Unknown tokens are fine (RFC 7009)."""
    with store.tx() as db:
        db.execute(
            "UPDATE sessions SET revoked = 1 WHERE id ="
            " (SELECT session_id FROM tokens WHERE hash = ?)",
            (store.hash_secret("token", token),),
        )


# --- checking a bearer token ---------------------------------------------------------------


def authenticate(store: Store, authorization: str | None) -> Principal:
    """The caller of a request, from its `Authorization: Bearer <token>` header."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized(
            Reason.INVALID_TOKEN, "Log in first: this call needs an access token."
        )
    now_us = to_us(store.settings.now())
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
            raise _unauthorized(Reason.TOKEN_EXPIRED, "Your session has expired. Log in again.")
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
    return Principal(
        user_id=row["user_id"],
        username=username,
        role=role,
        scopes=scopes,
        client_id=row["client_id"],
        session_id=row["id"],
    )
