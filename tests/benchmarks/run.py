"""Run every benchmark: `python tests/benchmarks/run.py [--quick] [NAME ...]` (`--help`: this text).

Prints one JSON object per line on stdout (`{"name", "value", "unit", "baseline", "ratio",
"target", "ok"}`, and sometimes a `note`), then a table for people (`grep '^{'` keeps only the JSON).
Each figure is a ratio to a baseline measured in the same run. Progress goes to stderr. `--quick`
(fewer rounds) takes under two minutes on a 2-core machine. NAME picks modules (startup login render
navigate release server memory) or rows (startup login_round_trips login_to_list render_1k render_10k
render_50k navigate_10k release_500 release_progress_requests server_list memory_10k memory_50k): a
row's module runs and only the rows named are shown (render and memory
measure only those). Exit status 0 when it ran (whatever the figures), 1 when a benchmark broke,
2 for wrong use.

  python tests/benchmarks/run.py --quick startup login_to_list release_500
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from harness import HERE, quiet_env

MODULES = ("server", "startup", "login", "render", "navigate", "release", "memory")
ROWS = (
    "startup", "login_round_trips", "login_to_list", "render_1k", "render_10k", "render_50k", "navigate_10k",
    "release_500", "release_progress_requests", "server_list", "memory_10k", "memory_50k",
)


def module_of(row: str) -> str:
    return row.split("_")[0]


def run_module(name: str, quick: bool, rows: list[str] | None = None) -> tuple[list[dict], bool]:
    """Run one module; `rows`: only these of its rows (None: all)."""
    command = [sys.executable, str(HERE / f"bench_{name}.py"), *(["--quick"] if quick else [])]
    if rows is not None:
        command += ["--rows", ",".join(rows)]
    print(f"* {name}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=quiet_env())
    results = []
    assert process.stdout is not None
    for line in process.stdout:
        line = line.strip()
        if line.startswith("{"):
            result = json.loads(line)
            if rows is None or result["name"] in rows:
                results.append(result)
                print(line, flush=True)
    ok = process.wait() == 0
    print(f"  {name}: {time.perf_counter() - started:.0f} s{'' if ok else ' (FAILED)'}", file=sys.stderr, flush=True)
    return results, ok


def table(results: list[dict]) -> str:
    rows = [("name", "value", "baseline", "ratio", "target", "ok")]
    for r in results:
        unit = f" {r['unit']}"
        baseline = "-" if r["baseline"] is None else f"{r['baseline']}{unit}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        rows.append((r["name"], f"{r['value']}{unit}", baseline, ratio, r["target"], "yes" if r["ok"] else "NO"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(__doc__.strip())
        return 0
    flags = [arg for arg in argv if arg.startswith("-") and arg != "--quick"]
    if flags:
        print(f"unknown option {flags[0]!r}; python tests/benchmarks/run.py --help says how to run it", file=sys.stderr)
        return 2
    quick = "--quick" in argv
    names = [arg for arg in argv if not arg.startswith("-")] or list(MODULES)
    unknown = [name for name in names if name not in MODULES and name not in ROWS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; modules: {' '.join(MODULES)}; rows: {' '.join(ROWS)}",
              file=sys.stderr)
        return 2
    # Each module once, in the order named; a module named whole runs all its rows.
    chosen: dict[str, list[str] | None] = {}
    for name in names:
        module = name if name in MODULES else module_of(name)
        rows = chosen.get(module, [])
        chosen[module] = None if name in MODULES or rows is None else [*rows, name]
    started = time.perf_counter()
    results: list[dict] = []
    broken = []
    for name, rows in chosen.items():
        found, ok = run_module(name, quick, rows)
        results += found
        if not ok:
            broken.append(name)
    met = sum(r["ok"] for r in results)
    print()
    print(table(results))
    print(f"\n{met} of {len(results)} targets met in {time.perf_counter() - started:.0f} s"
          f"{' (quick)' if quick else ''}" + (f"; broken: {', '.join(broken)}" if broken else ""), flush=True)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
