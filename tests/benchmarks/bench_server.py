"""server_list: requests per second of `GET /v3/jobs` (100 jobs) on the embedded server, against
the same stack (FastAPI, the server's middleware, uvicorn, one process) answering a fixed body:
the very bytes the real server answered.

The load comes from a small keep-alive HTTP/1.1 client on raw asyncio streams in another
process, so that the client costs far less than the server it measures.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from harness import emit, log, median, quick, ratio_result
from servers import make_db, server

JOBS = 100
CONNECTIONS = 4
TOKEN_BODY = {
    "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
    "scope": "jobs offline.access", "login_info": {"type": 2, "pin": "1234"},
}


async def load(base: str, request: bytes, seconds: float, connections: int = CONNECTIONS) -> float:
    """Requests answered per second, `connections` connections each sending the next request as
    soon as the last answer is in."""
    url = urlsplit(base)
    stop = time.perf_counter() + seconds
    counts = [0] * connections

    async def connection(index: int) -> None:
        reader, writer = await asyncio.open_connection(url.hostname, url.port)
        try:
            while time.perf_counter() < stop:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = head[9:12]
                if status != b"200":
                    raise RuntimeError(f"answer {head!r}")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                counts[index] += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(connection(index) for index in range(connections)))
    return sum(counts) / (time.perf_counter() - start)


def request_bytes(base: str, token: str, query: str = f"limit={JOBS}") -> bytes:
    host = urlsplit(base).netloc
    return (
        f"GET /api/v3/jobs?{query} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    ).encode()


async def main() -> None:
    seconds = 2.0 if quick() else 5.0
    rounds = 2 if quick() else 4
    with tempfile.TemporaryDirectory(prefix="station-bench-") as folder:
        db = Path(folder) / "server.db"
        make_db(db, alice_jobs=JOBS, replace_demo_jobs=True)
        body_file = Path(folder) / "jobs.json"
        with server("station", db) as base:
            async with httpx.AsyncClient(base_url=base + "/api") as client:
                token = (await client.post("/auth/token", json=TOKEN_BODY)).json()["access_token"]
                answer = await client.get("/v3/jobs", params={"limit": JOBS},
                                          headers={"Authorization": f"Bearer {token}"})
                assert len(answer.json()["jobs"]) == JOBS
                body_file.write_bytes(answer.content)
            request = request_bytes(base, token)
            await load(base, request, 0.5)  # warm up
            ours = []
            baseline = []
            with server("fixed", body_file) as fixed:
                fixed_request = request_bytes(fixed, token)
                await load(fixed, fixed_request, 0.5)
                for _ in range(rounds):  # alternate, so that a busy moment hurts both alike
                    ours.append(await load(base, request, seconds))
                    baseline.append(await load(fixed, fixed_request, seconds))
    log(f"server list: station {[round(r) for r in ours]} req/s; fixed body {[round(r) for r in baseline]} req/s")
    emit(ratio_result("server_list", median(ours), median(baseline), "req/s", at_least=0.5, digits=1))


if __name__ == "__main__":
    asyncio.run(main())
