"""startup: `station --server URL` started as a process in a pseudo-terminal, until the terminal
received the first frame of the login screen (its prompt text), against a bare Textual app that
shows one label, started and watched the same way. The server (the embedded one, in its own
process) is already running; the login screen sends no request.
"""

from __future__ import annotations

import fcntl
import math
import os
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from harness import HERE, SIZE, emit, log, median, quick, quiet_env, ratio_result
from servers import make_db, server

LOGIN_TEXT = b"Tap your card or type your PIN"
BARE_TEXT = b"Hello from a bare Textual app"


PYCACHE = Path(tempfile.gettempdir()) / "station-bench-pycache"


CPU_SECONDS: list[float] = []  # each start's CPU time (all its threads) when the marker arrived


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, every thread) a running process has used, from /proc; NaN elsewhere.
    On a busy machine the wall clock measures the neighbours too; this measures the start's own work."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def first_frame(command: list[str], marker: bytes, timeout: float = 30.0) -> float:
    """Seconds from spawning `command` in a pty until its output holds `marker` (its CPU seconds
    then are appended to CPU_SECONDS).

    Compiled modules are kept (in a cache folder of their own, never in the checkout) as an
    installed station has them: with PYTHONDONTWRITEBYTECODE each start would compile every
    module of the station from source again.
    """
    master, slave = os.openpty()
    width, height = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    env = quiet_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": str(width), "LINES": str(height)})
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True,
    )
    os.close(slave)
    seen = b""
    try:
        deadline = start + timeout
        while marker not in seen:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{command[-1]}: no {marker!r} in {seen[-300:]!r}")
            ready, _, _ = select.select([master], [], [], left)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the process ended
                    raise RuntimeError(f"{command}: ended early: {seen[-500:]!r}") from None
                seen += chunk
                # Textual asks the terminal about itself; answer nothing, as a plain terminal would.
        seconds = time.perf_counter() - start
        CPU_SECONDS.append(cpu_seconds(process.pid))
        return seconds
    finally:
        _stop(process, master)


def _stop(process: subprocess.Popen, master: int) -> None:
    try:
        os.write(master, b"\x11")  # ctrl+q
    except OSError:
        pass
    deadline = time.perf_counter() + 5
    while process.poll() is None and time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    os.close(master)


def main() -> None:
    runs = 9 if quick() else 15  # the bare start varies by a third from run to run: fewer make the median jump
    with tempfile.TemporaryDirectory(prefix="station-bench-") as folder:
        db = Path(folder) / "startup.db"
        make_db(db)
        with server("station", db) as base:
            station = [sys.executable, "-m", "station", "--server", base]
            bare = [sys.executable, str(HERE / "bare_app.py")]
            first_frame(station, LOGIN_TEXT)  # warm the file system cache alike for both
            first_frame(bare, BARE_TEXT)
            ours: list[float] = []
            baseline: list[float] = []
            ours_cpu: list[float] = []
            baseline_cpu: list[float] = []
            for _ in range(runs):  # alternate, so that a busy moment hurts both alike
                ours.append(first_frame(station, LOGIN_TEXT))
                ours_cpu.append(CPU_SECONDS[-1])
                baseline.append(first_frame(bare, BARE_TEXT))
                baseline_cpu.append(CPU_SECONDS[-1])
    log(f"startup: station {[round(s * 1000) for s in ours]} ms; bare {[round(s * 1000) for s in baseline]} ms")
    cpu, bare_cpu = median(ours_cpu) * 1000, median(baseline_cpu) * 1000
    note = f"CPU to the first frame: station {cpu:.0f} ms, bare {bare_cpu:.0f} ms ({cpu / bare_cpu:.2f}x)"
    emit(ratio_result("startup", median(ours) * 1000, median(baseline) * 1000, "ms", at_most=1.5, digits=1, note=note))


if __name__ == "__main__":
    main()
