"""Secrets at rest: the key file, and the slow hash of passwords.

A copy of the database alone must not give back a PIN, a card number or a password:
- PINs, cards, tokens and client secrets are kept as keyed hashes (HMAC-SHA256) whose key lives
  outside the database, in a key file readable only by the server (`load_or_create_key`). A
  PIN login must find its person, so these hashes cannot be salted per row; the key is what a
  stolen database lacks.
- Passwords get scrypt with a random salt per password (`password_hash`), on top of the keyed
  hash: slow to guess even by someone who holds both the database and the key file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

KEY_BYTES = 32
KEY_CHECK = b"station key file check"


class KeyFileError(Exception):
    """The key file cannot be used; the message is one sentence for the person starting the server."""


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's cost: memory is 128 x n x r bytes (16 MiB for n=2**14, r=8)."""

    n: int = 2**14
    r: int = 8
    p: int = 1


def load_or_create_key(path: Path, *, create: bool) -> bytes:
    """The key in `path`; made there (mode 0600) when it is missing and `create` is true."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if not create:
            raise KeyFileError(
                f"The key file {path} is missing, and the database was made with it: without it no"
                " PIN, card, password or login session in the database can be checked. Restore it"
                " (or give its place with --key-file)."
            ) from None
        return _create_key(path)
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"The key file {path} can be read by other users (mode {stat.S_IMODE(info.st_mode):04o});"
            f" only the server may read it: run chmod 600 {path}"
        )
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"The file {path} is not a station key file ({KEY_BYTES} bytes in hex).")
    return key


def _create_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise KeyFileError(f"The key file {path} cannot be made: {exc.strerror or exc}.") from None
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(key.hex() + "\n")
        file.flush()
        os.fsync(file.fileno())
    return key


def key_check(key: bytes) -> bytes:
    """A value kept in the database that tells whether a key file belongs to it (and nothing else)."""
    return hmac.new(key, KEY_CHECK, hashlib.sha256).digest()


def keyed(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def password_hash(material: str, cost: ScryptCost) -> str:
    """`scrypt$n$r$p$salt$hash` (base64): the parameters travel with the hash, so a change of the
    cost setting applies to new passwords and every stored one still verifies."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(material, salt, cost)
    return "$".join(
        ["scrypt", str(cost.n), str(cost.r), str(cost.p), _b64(salt), _b64(digest)]
    )


def password_matches(material: str, stored: str | None, cost: ScryptCost) -> bool:
    """Whether `material` is what `stored` was made from. A missing or unreadable hash costs the
    same work as a real one and never matches (no hint that a user has no password)."""
    try:
        kind, n, r, p, salt, digest = (stored or "").split("$")
        if kind != "scrypt":
            raise ValueError(kind)
        given_cost, salt_bytes, expected = ScryptCost(int(n), int(r), int(p)), _unb64(salt), _unb64(digest)
    except ValueError:
        _scrypt(material, b"\0" * 16, cost)
        return False
    return hmac.compare_digest(_scrypt(material, salt_bytes, given_cost), expected)


def _scrypt(material: str, salt: bytes, cost: ScryptCost) -> bytes:
    return hashlib.scrypt(
        material.encode(), salt=salt, n=cost.n, r=cost.r, p=cost.p,
        maxmem=256 * cost.n * cost.r * cost.p + 1_000_000, dklen=32,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
