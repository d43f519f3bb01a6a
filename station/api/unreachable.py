"""Which kind of "no answer" an httpx transport error is (issue 11, item 11).

Kept apart from `errors.py` so that the errors import neither httpx nor ssl.
"""

from __future__ import annotations

import ssl

import httpx

from station.api.errors import (
    CertificateNotTrusted,
    NoAnswer,
    RequestTimeout,
    SecureConnectionFailed,
    ServerUnreachable,
)

# Transport errors raised before the request left this machine: nothing reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol,
             httpx.ProxyError, httpx.LocalProtocolError)


def transport_error(error: httpx.TransportError, host: str) -> ServerUnreachable:
    """The kind of "no answer" (issue 11, item 11). Not sent: the name did not resolve, the
    connection or the TLS set-up failed (a certificate that failed verification says so). Sent:
    a read timeout, or the connection broke after the request went out; anything this does not
    know is taken as sent, the careful side for a release."""
    if not isinstance(error, _NOT_SENT):
        return RequestTimeout() if isinstance(error, httpx.ReadTimeout) else NoAnswer()
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            return CertificateNotTrusted(_certificate_problem(cause, host))
        if isinstance(cause, ssl.SSLError):
            return SecureConnectionFailed()
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return ServerUnreachable(
            "The print server could not be reached in time: nothing was sent. Try again in a moment."
        )
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
