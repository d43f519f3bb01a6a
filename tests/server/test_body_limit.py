"""Every request body is bounded while it streams (issue 11 item 4): 413 past 1 MB, chunked too.

A chunked body has no `Content-Length` to look at: the server must count what arrives and stop
reading at the limit, not read the whole body first (an 80 MB chunked body to `/api/auth/token`,
no token needed, grew the server by 480 MB).
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from station.server.app import ServerSettings
from station.server.middleware import MAX_BODY
from station.server.run import EmbeddedServer

from .support import API, reason, snapshot

CHUNK = 64 * 1024
UPLOAD = 40 * 1024 * 1024  # what the client would send if nobody stopped it


async def chunks(total: int, piece: bytes = b" " * CHUNK) -> AsyncIterator[bytes]:
    """`total` bytes of JSON white space, in pieces, with no length announced."""
    sent = 0
    while sent < total:
        yield piece
        sent += len(piece)


@pytest.mark.parametrize("path", ["/api/auth/token", f"{API}/jobs/process", f"{API}/jobs/delete"])
async def test_a_chunked_body_past_the_limit_is_413(http, bearer, app, path):
    headers = {**await bearer(http), "Content-Type": "application/json"}
    before = snapshot(app)
    response = await http.post(path, content=chunks(MAX_BODY + CHUNK), headers=headers)
    assert "content-length" not in response.request.headers  # it went chunked
    assert response.status_code == 413, response.text
    assert reason(response) == "bad_request"
    assert "too large" in response.json()["message"]
    assert snapshot(app) == before


async def test_a_chunked_body_within_the_limit_is_read(http, bearer, app):
    """The control: a chunked body under the limit is read whole and acted on."""
    headers = {**await bearer(http), "Content-Type": "application/json"}

    async def body() -> AsyncIterator[bytes]:
        yield b'{"jobIds": [101]' + b" " * (MAX_BODY - 100)
        yield b"}"

    response = await http.post(f"{API}/jobs/process", content=body(), headers=headers)
    assert response.status_code == 202, response.text


async def test_a_declared_length_past_the_limit_is_413_at_once(http):
    response = await http.post(
        "/api/auth/token", content=b"{" + b" " * MAX_BODY + b"}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert reason(response) == "bad_request"


@pytest.fixture
def served(tmp_path) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(ServerSettings(db=str(tmp_path / "station.db"))) as server:
        yield server


def test_uvicorn_answers_413_long_before_a_40_mb_chunked_body_is_sent(served):
    """A real uvicorn on 127.0.0.1 and a raw socket that sends 40 MB chunked to the token
    endpoint (no token needed) while watching for an answer: the 413 comes while the client is
    still sending, so the server never held the body."""
    sock = socket.create_connection((served.host, served.port), timeout=10)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CHUNK)
    try:
        sock.sendall(
            b"POST /api/auth/token HTTP/1.1\r\nHost: station\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.setblocking(False)
        piece = b"%x\r\n%s\r\n" % (CHUNK, b" " * CHUNK)
        sent, pending, answer, ended = 0, b"", b"", False
        deadline = time.monotonic() + 60
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            if not pending and sent < UPLOAD:
                pending, sent = piece, sent + CHUNK
            elif not pending and not ended:
                pending, ended = b"0\r\n\r\n", True  # all sent: the body ends
            readable, writable, _ = select.select([sock], [sock] if pending else [], [], 1.0)
            if readable:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
            if writable and pending:
                try:
                    pending = pending[sock.send(pending):]
                except BlockingIOError:
                    pass
        status_line = answer.split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 413"), answer[:300]
        assert sent < UPLOAD / 2, f"the answer came only after {sent} bytes"  # buffers hold a few MB
    finally:
        sock.close()
