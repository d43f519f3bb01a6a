"""The command line: `station`, `station demo`, `station serve`, `station config`.

This is the only module that joins a server and a UI (for `station demo`). Heavy imports
(Textual, FastAPI, httpx) happen inside the command that needs them, so `station --version`
and `station --help` stay instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station import __version__

if TYPE_CHECKING:
    from station.config import Settings

PROG = "station"


def _station_options() -> argparse.ArgumentParser:
    """Flags shared by every command that opens the station; absent flags stay absent."""
    parser = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = parser.add_argument_group("station options")
    group.add_argument("--config", type=Path, metavar="PATH", help="TOML settings file")
    group.add_argument("--server", metavar="URL", help="print server URL, e.g. https://print.example.org:8090")
    group.add_argument("--timeout", type=float, metavar="SECONDS", help="seconds to wait for each request")
    group.add_argument("--ca-bundle", dest="ca_bundle", type=Path, metavar="PATH", help="CA bundle to verify TLS with")
    group.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (warned on screen)")
    group.add_argument("--printer", metavar="ID", help="the printer this station stands next to: release there")
    group.add_argument("--refresh-interval", dest="refresh_interval", type=float, metavar="SECONDS")
    group.add_argument("--kiosk", action="store_true", help="kiosk mode: idle logout, no way out")
    group.add_argument("--idle-timeout", dest="idle_timeout", type=int, metavar="SECONDS")
    group.add_argument("--helpdesk", action="store_true", help="helpdesk mode: act for other users")
    group.add_argument("--theme", choices=["default", "high-contrast"])
    group.add_argument("--mask-job-names", dest="mask_job_names", action="store_true")
    return parser


def _parser() -> argparse.ArgumentParser:
    station_options = _station_options()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal release station for print servers (vendor REST API v3 for jobs).",
        parents=[station_options],
        epilog="Try it without a print server: station demo",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo", parents=[station_options], help="open the station on an embedded server with made-up data"
    )
    demo.add_argument("--db", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                      help="keep the demo data in this SQLite file (default: a fresh temporary one)")
    demo.add_argument("--print-speed", dest="print_speed", type=float, metavar="PPM", default=argparse.SUPPRESS,
                      help="pages per minute the demo printers print")

    serve = commands.add_parser("serve", help="run the embedded print server (REST API v3) on its own")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8090, help="port to listen on (default 8090)")
    serve.add_argument("--db", default=None, metavar="PATH", help="SQLite file to keep data in (default: memory)")
    serve.add_argument("--seed", choices=["demo", "none"], default="none", help="data to start an empty database with")
    serve.add_argument("--print-speed", dest="print_speed", type=float, default=20.0, metavar="PPM",
                       help="pages per minute the printers print (default 20)")

    commands.add_parser("config", parents=[station_options], help="print the effective settings, secrets hidden")

    web = commands.add_parser(
        "web", parents=[station_options], help="serve the station in a browser (binds to localhost; put it behind TLS)"
    )
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    web.add_argument("--demo", action="store_true", help="each browser gets its own demo station")

    from station import doctor, twin

    twin.add_parser(commands, parents=[station_options])
    doctor.add_parser(commands, parents=[station_options])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    from station.config import SettingsError

    try:
        if args.command == "serve":
            return _serve(args)
        settings = _settings(args)
        if args.command == "config":
            return _print_config(settings)
        if args.command == "demo":
            return _demo(settings)
        if args.command == "web":
            return _web(args, argv)
        if args.command == "jobs":
            from station import twin

            return twin.run(args, settings)
        if args.command == "doctor":
            from station import doctor

            return doctor.run(args, settings)
        if settings.server is None:
            raise SettingsError(
                "setting 'server' (STATION_SERVER): no print server URL; give --server URL, or try `station demo`"
            )
        return _run_station(settings, server=settings.server)
    except SettingsError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _settings(args: argparse.Namespace) -> Settings:
    from station.config import Settings, load_settings

    flags = {key: value for key, value in vars(args).items() if key in Settings.model_fields}
    return load_settings(getattr(args, "config", None), **flags)


def _print_config(settings: Settings) -> int:
    shown = settings.shown()
    width = max(len(name) for name in shown)
    for name, value in shown.items():
        print(f"{name.ljust(width)}  {value}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    if not 0 < args.print_speed <= 10000:
        print(f"{PROG}: --print-speed must be between 0 and 10000 pages per minute", file=sys.stderr)
        return 2
    from station.server.run import serve

    return serve(host=args.host, port=args.port, db=args.db or ":memory:", seed=args.seed, print_speed=args.print_speed)


def _demo(settings: Settings) -> int:
    import tempfile

    from station.server.app import ServerSettings
    from station.server.run import EmbeddedServer
    from station.server.seed import DEMO_LOGINS

    with tempfile.TemporaryDirectory(prefix="station-demo-") as folder:
        db = settings.db or Path(folder) / "demo.db"
        server_settings = ServerSettings(db=str(db), seed="demo", print_speed=settings.print_speed)
        with EmbeddedServer(server_settings) as server:
            store = server.store
            return _run_station(
                settings, server=server.base_url, demo=True, demo_logins=DEMO_LOGINS, demo_reset=store.reset_to_seed
            )


def _web(args: argparse.Namespace, argv: list[str]) -> int:
    """Serve the station through textual-serve: each browser tab runs its own station process,
    started with the station options given here (never a secret: those stay in settings)."""
    import shlex

    from textual_serve.server import Server

    forwarded = _without(argv[argv.index("web") + 1 :], {"--host": 1, "--port": 1, "--demo": 0})
    command = [sys.executable, "-m", PROG, *(["demo"] if args.demo else []), *forwarded]

    class QuietServer(Server):
        def initialize_logging(self) -> None:  # plain lines: no tracebacks with local variables
            import logging

            logging.basicConfig(level=logging.INFO, format="%(message)s")

    print(f"station web on http://{args.host}:{args.port} (localhost only; serve it behind a TLS proxy)")
    QuietServer(shlex.join(command), host=args.host, port=args.port, title="station").serve()
    return 0


def _without(argv: list[str], options: dict[str, int]) -> list[str]:
    """argv less the given options (each with its number of values; `--opt=value` too)."""
    kept: list[str] = []
    skip = 0
    for arg in argv:
        if skip:
            skip -= 1
            continue
        name = arg.split("=", 1)[0]
        if name in options:
            skip = options[name] if "=" not in arg else 0
            continue
        kept.append(arg)
    return kept


def _run_station(settings: Settings, *, server: str, **app_options: Any) -> int:
    from station.api.client import StationClient
    from station.ui.app import StationApp

    def connect() -> StationClient:
        return StationClient(
            server,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            timeout=settings.timeout,
            verify=settings.verify,
        )

    app = StationApp(connect, settings=settings, **app_options)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
