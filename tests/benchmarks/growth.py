"""Growth of the embedded server (issue 13): how its job list and its memory grow with the jobs it
holds, and how its requests per second grow with the clients asking at once. Not a test: a
script whose figures go to docs/growth.md.

    python tests/benchmarks/growth.py [--quick] [--sizes 1000,10000,50000] [--clients 1,10,50]

For each size, a database with that many of alice's pending jobs (plus the demo data set), the
server in a process of its own, and one keep-alive connection asking, one request after the
other:
- `first page`: `GET /v3/jobs?limit=100`, the list a person sees first (median and p95, ms);
- `last page`: the same with `start` at the last 100 (what paging through costs at the end);
- `id filter`: `GET /v3/jobs?id=<500 ids>&limit=500`, a kiosk following 500 printing jobs (a
  server without the filter ignores it and answers a page of 500);
and the server's CPU time per request of each (steadier than the clock on a busy machine);
- the server's resident memory (MB) at start, after the first page, and after every page of
  all its jobs was read once (`limit=500`), which fills the server's kept job JSON.
Then, on the 10,000-job database (or the largest below it), requests per second of the first
page with 1, 10 and 50 keep-alive connections at once, each asking again as soon as it has its
answer. The load comes from another process, on the same machine: on 2 cores the client's own
CPU counts against the server at 50 clients.

Prints one JSON object per line on stdout, then a Markdown table on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from bench_server import TOKEN_BODY, load, request_bytes
from harness import log, median, p95
from servers import make_db, server_process


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (Linux): steadier than the clock on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def timed(base: str, request: bytes, count: int) -> list[float]:
    """Milliseconds of each of `count` requests, one after the other on one connection."""
    url = urlsplit(base)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    times = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if head[9:12] != b"200":
                raise RuntimeError(f"answer {head!r}")
            length = next(int(line[15:]) for line in head.split(b"\r\n") if line[:15].lower() == b"content-length:")
            await reader.readexactly(length)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        writer.close()
    return times


async def one_size(jobs: int, rounds: int, clients: list[int], seconds: float) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="station-growth-") as folder:
        db = Path(folder) / "server.db"
        make_db(db, alice_jobs=jobs, replace_demo_jobs=True)
        with server_process("station", db) as (base, process):
            started_mb = rss_mb(process.pid)
            async with httpx.AsyncClient(base_url=base + "/api", timeout=120) as http:
                token = (await http.post("/auth/token", json=TOKEN_BODY)).json()["access_token"]
                headers = {"Authorization": f"Bearer {token}"}
                first = await http.get("/v3/jobs", params={"limit": 100}, headers=headers)
                assert first.json()["count"] == jobs, first.text[:200]
                first_page_mb = rss_mb(process.pid)
                ids = [job["id"] for job in first.json()["jobs"]]
                for start in range(0, jobs, 500):  # every job once: fills the kept JSON
                    page = await http.get("/v3/jobs", params={"limit": 500, "start": start}, headers=headers)
                    assert page.status_code == 200
                    if len(ids) < 500:
                        ids += [job["id"] for job in page.json()["jobs"]][: 500 - len(ids)]
                ids = list(dict.fromkeys(ids))[:500]
            read_all_mb = rss_mb(process.pid)
            queries = {
                "first_page": "limit=100",
                "last_page": f"limit=100&start={jobs - 100}",
                "id_filter": "limit=500&id=" + ",".join(map(str, ids)),
            }
            figures, cpu = {}, {}
            for key, query in queries.items():
                before = cpu_seconds(process.pid)
                figures[key] = await timed(base, request_bytes(base, token, query), rounds)
                cpu[key] = (cpu_seconds(process.pid) - before) / rounds * 1000
            results.append({
                "name": "growth_list", "jobs": jobs,
                **{f"{key}_p50_ms": round(median(values), 2) for key, values in figures.items()},
                **{f"{key}_p95_ms": round(p95(values), 2) for key, values in figures.items()},
                **{f"{key}_server_cpu_ms": round(value, 2) for key, value in cpu.items()},
                "rss_start_mb": round(started_mb, 1), "rss_first_page_mb": round(first_page_mb, 1),
                "rss_read_all_mb": round(read_all_mb, 1),
            })
            log(f"{jobs} jobs: {results[-1]}")
            for count in clients:
                await load(base, request_bytes(base, token), 0.3, count)  # warm up
                rate = await load(base, request_bytes(base, token), seconds, count)
                results.append({"name": "growth_rps", "jobs": jobs, "clients": count, "req_per_s": round(rate, 1),
                                "rss_mb": round(rss_mb(process.pid), 1)})
                log(f"{jobs} jobs, {count} clients: {rate:.0f} req/s")
    return results


def markdown(results: list[dict]) -> str:
    lines = [
        "| jobs | first page p50 / p95 (ms) | server CPU per first page (ms) | last page p50 (ms)"
        " | id filter, 500 ids, p50 (ms) | server CPU per id filter (ms)"
        " | memory at start / after first page / after reading all (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in (r for r in results if r["name"] == "growth_list"):
        lines.append(
            f"| {r['jobs']:,} | {r['first_page_p50_ms']} / {r['first_page_p95_ms']} | {r['first_page_server_cpu_ms']}"
            f" | {r['last_page_p50_ms']} | {r['id_filter_p50_ms']} | {r['id_filter_server_cpu_ms']}"
            f" | {r['rss_start_mb']} / {r['rss_first_page_mb']} / {r['rss_read_all_mb']} |"
        )
    rates = [r for r in results if r["name"] == "growth_rps"]
    if rates:
        lines += [
            "", "| jobs | clients at once | requests/s (first page, 100 jobs) | memory (MB) |", "|---:|---:|---:|---:|",
        ]
        lines += [f"| {r['jobs']:,} | {r['clients']} | {r['req_per_s']} | {r['rss_mb']} |" for r in rates]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, shorter loads")
    parser.add_argument("--sizes", default="1000,10000,50000", help="jobs per database (default 1000,10000,50000)")
    parser.add_argument("--clients", default="1,10,50", help="connections at once (default 1,10,50)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(size) for size in args.sizes.split(",")]
        clients = [int(count) for count in args.clients.split(",")]
    except ValueError:
        parser.error("--sizes and --clients are comma lists of whole numbers")
    if any(size < 100 for size in sizes) or any(not 1 <= count <= 200 for count in clients):
        parser.error("sizes from 100 jobs; clients 1..200")
    rounds, seconds = (30, 2.0) if args.quick else (100, 5.0)
    rate_size = max((size for size in sizes if size <= 10_000), default=min(sizes))
    results = []
    for size in sizes:
        results += asyncio.run(one_size(size, rounds, clients if size == rate_size else [], seconds))
    for result in results:
        print(json.dumps(result), flush=True)
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
          f"{' (quick)' if args.quick else ''}\n\n{markdown(results)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
