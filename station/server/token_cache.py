"""Callers of recently checked access tokens, so that a busy client's every request does not
read its session again (`auth.authenticate`).

Safe by construction:
- an entry carries its token's expiry, checked against the server's clock on every use, so an
  expired token is refused at once;
- a revocation (or a reset of the data) in this process forgets the session at once, and an
  answer read before it cannot be put back afterwards (`generation`);
- an entry lives at most `TTL` seconds, so a revocation made by another process on the same
  database file takes effect within that.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any

TTL = 1.0
"""Seconds an entry is believed without reading the database again."""
LIMIT = 10_000
"""Entries kept at most (the oldest go first)."""


def _key(token: str) -> bytes:
    # A plain digest, not the keyed hash the database holds (that one costs two HMACs): the raw
    # token is never kept, even in memory.
    return hashlib.sha256(token.encode()).digest()


class TokenCache:
    """Token digest -> (caller, token expiry in µs, session id), each with the time it was read."""

    def __init__(self) -> None:
        self._entries: dict[bytes, tuple[Any, int, str, float]] = {}
        self._lock = threading.Lock()
        self.generation = 0
        """Bumped by every `forget_session`/`clear`: a reader that began before may not `put`."""

    def get(self, token: str) -> tuple[Any, int] | None:
        """(caller, token expiry in µs) of a token checked less than `TTL` seconds ago."""
        entry = self._entries.get(_key(token))
        if entry is None or time.monotonic() - entry[3] > TTL:
            return None
        return entry[0], entry[1]

    def put(self, token: str, caller: Any, expires_us: int, session_id: str, generation: int) -> None:
        """Keep a caller read while `generation` was current (else nothing: it may be stale)."""
        with self._lock:
            if generation != self.generation:
                return
            self._entries[_key(token)] = (caller, expires_us, session_id, time.monotonic())
            while len(self._entries) > LIMIT:
                del self._entries[next(iter(self._entries))]

    def forget_session(self, session_id: str) -> None:
        """Call after the revocation is committed."""
        with self._lock:
            self.generation += 1
            for key in [k for k, entry in self._entries.items() if entry[2] == session_id]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()
