"""memory_10k / memory_50k: resident memory of the station (a fresh process, headless, 100x30)
holding 10,000 (50,000) jobs on its jobs screen, painted; the baseline is the bare Textual app
with one label, run the same way. Each is measured in a process of its own
(`--child bare|station COUNT`).
"""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys

from harness import HERE, SIZE, PaintClock, emit, log, median, quick, quiet_env, rss_mb, settle, Result, wanted

LIMITS_MB = {10_000: 100, 50_000: 200}  # jobs on screen: the most memory the station may hold


async def child(kind: str, count: int) -> dict:
    if kind == "bare":
        sys.path.insert(0, str(HERE))
        from bare_app import Bare

        app = Bare()
        async with app.run_test(size=SIZE) as pilot:
            clock = PaintClock.install(app)
            await settle(pilot, clock)
            gc.collect()
            return {"rss_mb": rss_mb()}
    from harness import make_jobs, offline_station, open_jobs

    app = offline_station()
    async with app.run_test(size=SIZE) as pilot:
        clock = PaintClock.install(app)
        jobs = make_jobs(count)
        screen = await open_jobs(pilot, jobs)
        del jobs
        await settle(pilot, clock)
        assert screen.table.row_count == count
        gc.collect()
        return {"rss_mb": rss_mb()}


def measure(kind: str, count: int = 0) -> float:
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_memory.py"), "--child", kind, str(count)], env=quiet_env(),
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])["rss_mb"]


def main() -> None:
    rounds = 1 if quick() else 3
    bare = median([measure("bare") for _ in range(rounds)])
    for count, limit in LIMITS_MB.items():
        if not wanted(f"memory_{count // 1000}k"):
            continue
        ours = [measure("station", count) for _ in range(rounds)]
        log(f"memory: station with {count} jobs {ours} MB; bare Textual app {bare} MB")
        value = median(ours)
        emit(Result(f"memory_{count // 1000}k", round(value, 1), "MB", round(bare, 1), round(value / bare, 3),
                    f"value <= {limit} MB", value <= limit))


if __name__ == "__main__":
    if "--child" in sys.argv:
        at = sys.argv.index("--child")
        print(json.dumps(asyncio.run(child(sys.argv[at + 1], int(sys.argv[at + 2])))))
    else:
        main()
