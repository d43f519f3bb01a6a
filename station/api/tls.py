"""TLS contexts, built once per `verify` setting per process.

Building an `SSLContext` reads the whole CA bundle (about 50 ms); httpx would build one for
every new client, which is every login at a kiosk. A context is safe to share between clients
and connections, so each setting gets one, kept for the life of the process.
"""

from __future__ import annotations

import os
import ssl
from functools import lru_cache

import httpx

Verify = bool | str | ssl.SSLContext


def ssl_context(verify: Verify) -> ssl.SSLContext:
    """The context for `verify`: True checks the server's certificate against the system's CAs;
    a path adds the CA bundle (PEM file or folder) there to them; False checks nothing; a
    context is used as it is."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, str):
        return _with_bundle(verify)
    return _system(bool(verify))


@lru_cache(maxsize=2)
def _system(verify: bool) -> ssl.SSLContext:
    return httpx.create_ssl_context(verify=verify)


@lru_cache(maxsize=8)
def _with_bundle(path: str) -> ssl.SSLContext:
    """The system's trust plus the bundle (httpx given a path would trust the bundle alone, and
    warns that a path is deprecated). A bundle that cannot be read raises, and is not cached."""
    context = httpx.create_ssl_context()
    try:
        if os.path.isdir(path):
            context.load_verify_locations(capath=path)
        else:
            context.load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError) as error:
        raise ValueError(f"The CA bundle {path} could not be read: {error.strerror or error}") from None
    return context
