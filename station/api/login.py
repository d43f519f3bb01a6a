"""The token calls (contract 2): a login grant, the refresh grant, and revoking at log out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from station.api import capabilities as calls
from station.api.errors import ApiError, InvalidLogin, ServerUnreachable, SessionExpired
from station.api.models import Token
from station.api.wire import Wire

DEFAULT_CLIENT_ID = "station-demo"
DEFAULT_CLIENT_SECRET = "station-demo-secret"

# login_info.type of the contract (section 2)
LOGIN_CARD, LOGIN_PIN, LOGIN_PASSWORD, LOGIN_CARD_PIN, LOGIN_CARD_PASSWORD = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Credentials:
    """The station's own client id and secret, sent with every token call."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET

    def __repr__(self) -> str:  # never show the secret
        return f"Credentials(client_id={self.client_id!r})"

    def body(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {**fields, "client_id": self.client_id, "client_secret": self.client_secret}


async def grant(wire: Wire, credentials: Credentials, fields: dict[str, Any]) -> Token:
    """A token for a login or an application; a 401 is a wrong login."""
    return await wire.read(
        "POST", "/auth/token", Token, json=credentials.body(fields), authorized=False, by_status={401: InvalidLogin}
    )


async def refreshed(wire: Wire, credentials: Credentials, token: Token) -> Token:
    """The refresh grant (the standard OAuth form). A refusal ends the session (SessionExpired);
    no answer does not."""
    if not token.refresh_token:
        raise SessionExpired()
    body = credentials.body({"grant_type": "refresh_token", "refresh_token": token.refresh_token})
    try:
        fresh = await wire.read("POST", "/auth/token", Token, json=body, authorized=False)
    except ServerUnreachable:
        raise
    except ApiError as error:
        raise SessionExpired(reason=error.reason, status=error.status) from None
    if not fresh.refresh_token:  # the server may keep the refresh token as it was
        fresh = fresh.model_copy(update={"refresh_token": token.refresh_token})
    return fresh


async def revoke(wire: Wire, credentials: Credentials, token: Token) -> None:
    """Revoke the refresh token (or the access token) where the server can (profile)."""
    body = credentials.body({"token": token.refresh_token or token.access_token})
    await wire.optional(calls.REVOKE, lambda: wire.body("POST", "/auth/revoke", json=body, authorized=False))
