"""The OAuth clients a server knows (contract 2): who may ask it for tokens.

The demo seed registers the demo client of the contract (`station-demo` / `station-demo-secret`,
public on purpose). Any other database gets a client `station` with a random secret on its
first start: the secret is shown once by whoever started the server, only its keyed hash is
kept, and `replace_secret` makes a new one (`station serve --db FILE --new-client-secret`).
"""

from __future__ import annotations

import hmac
import secrets

from station.server.store import Store, Tx

OWN_CLIENT_ID = "station"


def _hash(store: Store, client_id: str, secret: str) -> str:
    return store.hash_secret("client", f"{client_id}\x00{secret}")


def _register(db: Tx, client_id: str, secret: str) -> None:
    db.execute(
        "INSERT INTO clients (id, secret_hash) VALUES (?, ?)"
        " ON CONFLICT (id) DO UPDATE SET secret_hash = excluded.secret_hash",
        (client_id, _hash(db.store, client_id, secret)),
    )


def ensure_one(store: Store) -> str | None:
    """Register a client if the database has none: the demo client on demo data, else the
    server's own with a new secret, which is returned (the only time it is known)."""
    settings = store.settings
    with store.tx() as db:
        if db.scalar("SELECT COUNT(*) FROM clients"):
            return None
        if db.meta("seeded") == b"demo":
            _register(db, settings.client_id, settings.client_secret)
            return None
        secret = secrets.token_urlsafe(32)
        _register(db, OWN_CLIENT_ID, secret)
        return secret


def replace_secret(store: Store) -> str:
    """A new secret for the server's own client; the old one stops working at once."""
    secret = secrets.token_urlsafe(32)
    with store.tx() as db:
        _register(db, OWN_CLIENT_ID, secret)
    return secret


def matches(db: Tx, client_id: str, secret: str) -> bool:
    """Whether this is a registered client and its secret (compared in constant time)."""
    stored = db.scalar("SELECT secret_hash FROM clients WHERE id = ?", (client_id,))
    given = _hash(db.store, client_id, secret)
    return hmac.compare_digest(stored or "", given) and stored is not None
