"""What a station has imported when its login screen first paints (a tool, not a benchmark row).

`python tests/benchmarks/first_frame_modules.py [--list] [--bare]`: starts `station --server
http://127.0.0.1:1` headless (no request is sent before a login), waits for the login screen's
first paint, and prints how many modules were loaded then, and how many of each top-level package
(`--list`: every module's name). `--bare`: the same for the bare Textual app of the startup row.
Run it with `python -X importtime` to see what each import cost.
"""

from __future__ import annotations

import collections
import sys

from textual.app import App


def report(app: App[object]) -> None:
    names = sorted(sys.modules)
    packages = collections.Counter(name.split(".")[0] for name in names)
    print(f"{len(names)} modules at the first frame", file=sys.__stdout__)
    for package, count in packages.most_common(12):
        print(f"  {count:4} {package}", file=sys.__stdout__)
    if "--list" in sys.argv:
        print("\n".join(names), file=sys.__stdout__)
    app.exit()


def main() -> None:
    reported = False

    def post_display_hook(self: App[object]) -> None:
        """Called by Textual after each frame it hands to the terminal."""
        nonlocal reported
        if not reported and type(self.screen).__name__ in ("LoginScreen", "Screen"):
            reported = True
            report(self)

    App.post_display_hook = post_display_hook  # type: ignore[method-assign]
    if "--bare" in sys.argv:
        from bare_app import Bare

        Bare().run(headless=True)
        return
    from station.cli import main as station

    station(["--server", "http://127.0.0.1:1"])


if __name__ == "__main__":
    main()
