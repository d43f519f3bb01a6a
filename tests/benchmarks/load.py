"""Load: N simulated kiosks against a `station serve` this script starts on 127.0.0.1.

Each kiosk is a real `StationClient` (one per kiosk, kept for its life, as the app keeps one)
that, round after round, does what a person at a kiosk does: log in with a PIN; read the jobs,
the user and the projects at once (as the app does after a login); switch one job to 2-sided
(the duplex question: ask, then answer); release this round's three jobs; log out. Every kiosk
logs in as a user of its own, provisioned in a temporary database before the server starts;
its jobs are spooled through `POST /v3/jobs/client` before the clock starts. Only the kiosks'
calls are timed, and no login ever fails (the lockout, 5 failures per address, never bites).

A person takes time between steps: `--think` seconds on average (default 1; 0 makes every
kiosk fire its next call the moment the last answer is in, a stress test). Kiosks come in one
after the other over `--ramp` seconds. Their clients run in `--processes` processes, so that
the clients' own CPU (httpx, pydantic) does not queue behind one interpreter; the server runs
in a process of its own, its access log going to a file.

Prints one JSON object per line on stdout: one per call type (count, errors, p50/p95/p99/max in
ms, calls per second), one for the whole run (kiosks, requests, seconds, throughput, errors,
CPU seconds of the server and of the kiosks, the machine's load average), and one verdict per
target (p99 of list and of release under 250 ms; no error); then a short table on stderr. The
exit status is 0 when every target is met.

    python tests/benchmarks/load.py                     # 50 kiosks, 5 rounds, 1 s to think
    python tests/benchmarks/load.py --think 0           # the same, as fast as they can
    python tests/benchmarks/load.py --kiosks 10 --rounds 3

Bounded: `--rounds` per kiosk, `--max-seconds` after which no kiosk starts another round, a
30 s timeout per call; the server listens on 127.0.0.1 only and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from station.api.client import StationClient  # noqa: E402
from station.api.errors import ApiError  # noqa: E402

FIRST_USER = 100  # user ids of the kiosks' users (the demo's are 7 to 10)
JOBS_PER_ROUND = 3  # the first is 12 pages on the queue that asks the duplex question
TARGET_P99_MS = 250.0
CLIENT = {"client_id": "station-demo", "client_secret": "station-demo-secret"}


def pin_of(kiosk: int) -> str:
    return f"{800000 + kiosk:06d}"


def username(kiosk: int) -> str:
    return f"kiosk{kiosk:03d}"


# --- provisioning ---------------------------------------------------------------------------------


def provision(db: Path, kiosks: int) -> None:
    """The demo data set plus one user per kiosk, with credit for every job it will release."""
    from station.server.settings import ServerSettings
    from station.server.store import Store

    store = Store(ServerSettings(db=str(db), seed="demo"))
    try:
        with store.tx() as tx:
            for kiosk in range(kiosks):
                uid = FIRST_USER + kiosk
                tx.execute(
                    "INSERT INTO users (id, username, full_name, email, language, role, accounting,"
                    " project_required, default_account, pin_hash) VALUES"
                    " (?, ?, ?, ?, 'en', 'user', 'group', 0, 'credit', ?)",
                    (uid, username(kiosk), f"Kiosk {kiosk}", f"{username(kiosk)}@example.org",
                     store.hash_secret("pin", pin_of(kiosk))),
                )
                tx.execute(
                    "INSERT INTO accounts (user_id, id, type, name, balance_cents, currency, position)"
                    " VALUES (?, 'credit', 'credit', 'Personal credit', 100000000, 'EUR', 0)", (uid,),
                )
                tx.executemany(
                    "INSERT INTO user_projects (user_id, project_id) VALUES (?, ?)",
                    [(uid, 1), (uid, 3)],
                )
    finally:
        store.close()


async def spool(url: str, kiosks: int, rounds: int) -> int:
    """Every kiosk's jobs for every round, spooled by an application before the clock starts."""
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=16)) as http:
        response = await http.post("/api/auth/token", json={
            **CLIENT, "grant_type": "client_credentials", "scope": "jobs users"})
        response.raise_for_status()
        # An application acting for people says why (X-Station-Reason), as the helpdesk does.
        headers = {"Authorization": f"Bearer {response.json()['access_token']}", "X-Station-Reason": "load test"}

        async def jobs_of(kiosk: int) -> None:
            # One after the other, so that a kiosk's job ids grow round by round.
            for n in range(rounds * JOBS_PER_ROUND):
                first = n % JOBS_PER_ROUND == 0  # 12 pages on `secure`: held with the question
                info = (
                    {"pageCount": 12, "colorCount": 3} if first
                    else {"pageCount": 1 + n % 5, "colorCount": n % 2, "copies": 1 + n % 3}
                )
                created = await http.post("/api/v3/jobs/client", headers=headers, json={
                    "queue": "secure" if first else "direct", "owner": username(kiosk),
                    "computer": f"PC-{kiosk}", "name": f"Report {n}.pdf", "size": 50_000,
                    "uuid": f"load-{kiosk}-{n}", "jobInfo": info,
                })
                created.raise_for_status()

        await asyncio.gather(*[jobs_of(kiosk) for kiosk in range(kiosks)])
    return kiosks * rounds * JOBS_PER_ROUND


# --- the server -------------------------------------------------------------------------------------


class Served:
    """`station serve` on 127.0.0.1, a free port, this database; its output (the access log)
    goes to a file: a pipe read by this process would slow the server's every answer down."""

    def __init__(self, db: Path, log: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "station", "serve", "--host", "127.0.0.1", "--port", "0",
             "--db", str(db), "--print-speed", "6000"],
            stdout=self._log, stderr=subprocess.STDOUT, text=True, env=env,
        )
        deadline = time.monotonic() + 30
        while True:
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", log.read_text())
            if match:
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"station serve did not start: {log.read_text()[-500:]}")
            time.sleep(0.05)
        self.url = match.group(1)

    def cpu_seconds(self) -> float | None:
        """CPU time the server process has used so far (Linux; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


# --- the kiosks -------------------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    async def timed(self, name: str, call: Callable[[], Awaitable[Any]]) -> Any:
        started = time.perf_counter()
        try:
            result = await call()
        except ApiError as error:
            self.errors[name].append(f"{type(error).__name__}: {error.reason or error.status}")
            return None
        except Exception as error:  # noqa: BLE001 - a load run counts every failure
            self.errors[name].append(type(error).__name__)
            return None
        finally:
            self.times[name].append((time.perf_counter() - started) * 1000)
        return result


async def kiosk(number: int, client: StationClient, rounds: int, think: float, delay: float,
                deadline: float, stats: Stats, rng: random.Random) -> None:
    """One kiosk's rounds, on the one client it keeps (as the app does): log in, read, switch one
    job to 2-sided, release this round's jobs, log out."""

    async def pause() -> None:
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)

    await asyncio.sleep(delay)  # kiosks come in one after the other, not all in one instant
    for _ in range(rounds):
        if time.monotonic() > deadline:
            return
        if await stats.timed("login", lambda: client.login_pin(pin_of(number))) is None:
            continue
        listed, _, _ = await asyncio.gather(
            stats.timed("list", lambda: client.jobs(sort="-dateTime")),
            stats.timed("me", client.me),
            stats.timed("projects", client.projects),
        )
        await pause()
        if listed is not None and listed.jobs:
            # This round's jobs: the oldest pending ones, so every round releases its own.
            mine = sorted(listed.jobs, key=lambda job: job.id)[:JOBS_PER_ROUND]
            target = next((job for job in mine if job.is_paused), mine[0])
            # Its question, answered: two calls, timed apart.
            reply = await stats.timed("duplex_ask", partial(client.script_ask, target.id))
            if reply is not None and reply.dialogs:
                dialog = reply.dialogs[0]
                await stats.timed("duplex_answer", partial(
                    client.script_answer, target.id, dialog_id=dialog.id,
                    options=[o.key for o in dialog.options], chosen="duplex", state=reply.state))
            await pause()
            await stats.timed("release", partial(client.process, [job.id for job in mine], owner=username(number)))
        await pause()
        await stats.timed("logout", client.revoke)


def worker(url: str, numbers: list[int], kiosks: int, rounds: int, think: float, ramp: float,
           start_at: float, max_seconds: float, seed: int) -> dict[str, Any]:
    """A process of kiosks: their clients are made first, then all start at `start_at`."""

    async def main() -> dict[str, Any]:
        clients = [StationClient(url, timeout=30) for _ in numbers]
        stats = Stats()
        try:
            await asyncio.sleep(max(0.0, start_at - time.time()))
            started, cpu = time.time(), time.process_time()
            deadline = time.monotonic() + max_seconds
            rng = random.Random(seed)
            await asyncio.gather(*[
                kiosk(number, client, rounds, think, ramp * number / kiosks, deadline, stats,
                      random.Random(rng.random()))
                for number, client in zip(numbers, clients, strict=True)
            ])
            return {"times": dict(stats.times), "errors": dict(stats.errors), "started": started,
                    "ended": time.time(), "cpu": time.process_time() - cpu}
        finally:
            await asyncio.gather(*[client.aclose() for client in clients])

    return asyncio.run(main())


# --- figures ----------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    index = max(0, math.ceil(fraction * len(ordered)) - 1)
    return ordered[index]


def report(stats: Stats, kiosks: int, seconds: float, spooled: int, machine: dict[str, Any]) -> bool:
    lines: list[dict[str, Any]] = []
    total = sum(len(v) for v in stats.times.values())
    errors = sum(len(v) for v in stats.errors.values())
    order = ["login", "list", "me", "projects", "duplex_ask", "duplex_answer", "release", "logout"]
    for name in order:
        times = stats.times.get(name, [])
        lines.append({
            "name": f"load_{name}", "count": len(times), "errors": len(stats.errors.get(name, [])),
            "p50_ms": round(percentile(times, 0.50), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "p99_ms": round(percentile(times, 0.99), 1), "max_ms": round(max(times, default=math.nan), 1),
            "per_second": round(len(times) / seconds, 1) if seconds else None,
        })
    lines.append({
        "name": "load", "kiosks": kiosks, "requests": total, "seconds": round(seconds, 2),
        "throughput_rps": round(total / seconds, 1) if seconds else None, "errors": errors,
        "jobs_spooled": spooled,
        "error_kinds": sorted({e for v in stats.errors.values() for e in v})[:10], **machine,
    })
    ok_all = errors == 0
    for name in ("list", "release"):
        p99 = percentile(stats.times.get(name, []), 0.99)
        ok = p99 < TARGET_P99_MS
        ok_all &= ok
        lines.append({"name": f"load_{name}_p99", "value": round(p99, 1), "unit": "ms",
                      "target": f"value < {TARGET_P99_MS:g} ms", "ok": bool(ok)})
    lines.append({"name": "load_errors", "value": errors, "unit": "errors", "target": "value == 0",
                  "ok": errors == 0})
    for line in lines:
        print(json.dumps(line), flush=True)

    table = [f"{kiosks} kiosks, {total} requests in {seconds:.1f} s: {total / seconds:.0f} req/s,"
             f" {errors} errors; CPU: server {machine['server_cpu_s']} s, kiosks"
             f" {machine['kiosks_cpu_s']} s; load average {machine['load_average'][0]}",
             f"{'call':<14}{'count':>7}{'errors':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  (ms)"]
    for line in lines[:len(order)]:
        table.append(f"{line['name'][5:]:<14}{line['count']:>7}{line['errors']:>7}{line['p50_ms']:>8}"
                     f"{line['p95_ms']:>8}{line['p99_ms']:>8}{line['max_ms']:>8}")
    table.append("targets: " + ", ".join(
        f"{line['name']} {line['value']} ({'ok' if line['ok'] else 'MISSED'})" for line in lines if "ok" in line))
    print("\n".join(table), file=sys.stderr)
    return ok_all


async def run(args: argparse.Namespace) -> bool:
    with tempfile.TemporaryDirectory(prefix="station-load-") as tmp:
        db = Path(tmp) / "load.db"
        provision(db, args.kiosks)
        served = Served(db, Path(tmp) / "serve.log")
        try:
            spooled = await spool(served.url, args.kiosks, args.rounds)
            processes = max(1, min(args.processes, args.kiosks))
            start_at = time.time() + 3.0 + 0.02 * args.kiosks  # time to start, make every client
            server_cpu = served.cpu_seconds()
            context = multiprocessing.get_context("spawn")
            with context.Pool(processes) as pool:
                results = pool.starmap(worker, [
                    (served.url, list(range(index, args.kiosks, processes)), args.kiosks, args.rounds,
                     args.think, args.ramp, start_at, args.max_seconds, args.seed + index)
                    for index in range(processes)
                ])
            after = served.cpu_seconds()
            stats = Stats()
            for result in results:
                for name, values in result["times"].items():
                    stats.times[name].extend(values)
                for name, values in result["errors"].items():
                    stats.errors[name].extend(values)
            seconds = max(r["ended"] for r in results) - min(r["started"] for r in results)
            machine = {
                "server_cpu_s": None if after is None else round(after - server_cpu, 2),
                "kiosks_cpu_s": round(sum(result["cpu"] for result in results), 2),
                "kiosk_processes": processes,
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "cpus": os.cpu_count(), "think_s": args.think, "ramp_s": args.ramp,
            }
        finally:
            served.stop()
    return report(stats, args.kiosks, seconds, spooled, machine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=50, help="kiosks at once (default 50)")
    parser.add_argument("--rounds", type=int, default=5, help="sessions per kiosk (default 5)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds a person takes between steps, on average (default 1; 0: none)")
    parser.add_argument("--ramp", type=float, default=2.0,
                        help="seconds over which the kiosks start, one after the other (default 2)")
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="stop starting rounds after this long (default 120)")
    parser.add_argument("--processes", type=int, default=2,
                        help="processes the kiosks' clients run in (default 2)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not 1 <= args.kiosks <= 500 or not 1 <= args.rounds <= 100 or args.think < 0 or args.ramp < 0:
        parser.error("--kiosks 1..500, --rounds 1..100, --think and --ramp not negative")
    return 0 if asyncio.run(run(args)) else 1


if __name__ == "__main__":
    sys.exit(main())
