"""memory_10k: resident memory of the station (a fresh process, headless, 100x30) holding 10,000
jobs on its jobs screen, painted; the baseline is the bare Textual app with one label, run the
same way. Each is measured in a process of its own (`--child station|bare`).
"""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys

from harness import HERE, SIZE, PaintClock, emit, log, median, quick, quiet_env, rss_mb, settle, Result

JOBS = 10_000
LIMIT_MB = 150


async def child(kind: str) -> dict:
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
        jobs = make_jobs(JOBS)
        screen = await open_jobs(pilot, jobs)
        del jobs
        await settle(pilot, clock)
        assert screen.table.row_count == JOBS
        gc.collect()
        return {"rss_mb": rss_mb()}


def measure(kind: str) -> float:
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_memory.py"), "--child", kind], env=quiet_env(),
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])["rss_mb"]


def main() -> None:
    rounds = 1 if quick() else 3
    ours = [measure("station") for _ in range(rounds)]
    bare = [measure("bare") for _ in range(rounds)]
    log(f"memory: station with {JOBS} jobs {ours} MB; bare Textual app {bare} MB")
    value, baseline = median(ours), median(bare)
    emit(Result("memory_10k", round(value, 1), "MB", round(baseline, 1), round(value / baseline, 3),
                f"value <= {LIMIT_MB} MB", value <= LIMIT_MB))


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(asyncio.run(child(sys.argv[sys.argv.index("--child") + 1]))))
    else:
        main()
