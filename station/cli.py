"""The command line: `station`, `station demo`, `station serve`, `station config`.

This is the only module that joins a server and a UI (for `station demo`). Heavy imports
(Textual, FastAPI, httpx) happen inside the command that needs them, so `station --version`
and `station --help` stay instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn, cast

from station import __version__
from station.config_sources import THEMES
from station.i18n import LANGUAGES

if TYPE_CHECKING:
    from station.api.client import StationClient
    from station.config import Settings
    from station.ui.context import Demo

PROG = "station"


def _print_server_options() -> argparse.ArgumentParser:
    """Flags of every command that talks to a print server (`station jobs` and `doctor` take only these)."""
    parser = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = parser.add_argument_group("station options")
    group.add_argument("--config", type=Path, metavar="PATH", help="TOML settings file")
    group.add_argument("--server", metavar="URL", help="print server URL, e.g. https://print.example.org:8090")
    group.add_argument("--timeout", type=float, metavar="SECONDS", help="seconds to wait for each request")
    group.add_argument("--ca-bundle", dest="ca_bundle", type=Path, metavar="PATH", help="CA bundle to verify TLS with")
    group.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (warned on screen)")
    group.add_argument("--printer", metavar="ID", help="the printer this station stands next to: release there")
    return parser


def _station_options() -> argparse.ArgumentParser:
    """Flags shared by every command that opens the station; absent flags stay absent."""
    parser = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS,
                                     parents=[_print_server_options()])
    group = parser.add_argument_group("screen options")
    group.add_argument("--refresh-interval", dest="refresh_interval", type=float, metavar="SECONDS")
    group.add_argument("--kiosk", action="store_true", help="kiosk mode: idle logout, no way out")
    group.add_argument("--idle-timeout", dest="idle_timeout", type=int, metavar="SECONDS")
    group.add_argument("--helpdesk", action="store_true", help="helpdesk mode: act for other users")
    group.add_argument("--theme", choices=THEMES)
    group.add_argument("--language", choices=LANGUAGES,
                       help="the station's language (a person's own replaces it for their session)")
    group.add_argument("--mask-job-names", dest="mask_job_names", action="store_true")
    return parser


def _demo_options() -> argparse.ArgumentParser:
    """Flags of the demo's embedded server (`station demo`, and `station web --demo` for each demo)."""
    parser = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = parser.add_argument_group("demo server options")
    group.add_argument("--db", type=Path, metavar="PATH",
                       help="keep the demo data in this SQLite file (default: a fresh temporary one)")
    group.add_argument("--print-speed", dest="print_speed", type=float, metavar="PPM",
                       help="pages per minute the demo printers print (setting print_speed: `station config` shows it)")
    group.add_argument("--api", choices=["profile", "vendor"],
                       help="what the embedded server speaks: station's profile (default) or only the vendor's API")
    return parser


def _parser() -> argparse.ArgumentParser:
    from station.server.settings import PRINT_SPEED  # light: the embedded server's settings, no FastAPI

    station_options = _station_options()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal release station for print servers (vendor REST API v3 for jobs).",
        parents=[station_options],
        epilog="Try it without a print server: station demo",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo_options = _demo_options()
    commands.add_parser(
        "demo", parents=[station_options, demo_options], help="open the station on an embedded server with made-up data"
    )

    serve = commands.add_parser("serve", help="run the embedded print server (REST API v3) on its own")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8090, help="port to listen on (default 8090)")
    serve.add_argument("--db", default=None, metavar="PATH", help="SQLite file to keep data in (default: memory)")
    serve.add_argument("--seed", choices=["demo", "none"], default="none", help="data to start an empty database with")
    serve.add_argument("--print-speed", dest="print_speed", type=float, default=PRINT_SPEED, metavar="PPM",
                       help=f"pages per minute the printers print (default {PRINT_SPEED:g})")
    serve.add_argument("--api", choices=["profile", "vendor"], default="profile",
                       help="station's profile (default), or only the vendor's documented API in its shapes")
    serve.add_argument("--trusted-proxy", dest="trusted_proxy", action="append", default=[], metavar="ADDR",
                       help="address (or network) of a proxy in front of the server whose X-Forwarded-For is "
                       "believed; may be given again (default: none, forwarded headers are ignored)")
    serve.add_argument("--key-file", dest="key_file", default=None, metavar="PATH",
                       help="key of the PIN, card and token hashes (default: the database's path + .key)")
    serve.add_argument("--new-client-secret", dest="new_client_secret", action="store_true",
                       help="replace the secret of the server's OAuth client 'station', print it, and exit")

    commands.add_parser("config", parents=[station_options], help="print the effective settings, secrets hidden")

    web = commands.add_parser(
        "web", parents=[station_options, demo_options],
        help="serve the station in a browser (on localhost; put it behind TLS)",
    )
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    web.add_argument("--demo", action="store_true",
                     help="each browser gets its own demo station (with the demo server options given)")
    web.add_argument("--public", action="store_true",
                     help="allow a --host other than loopback (the web station has no login of its own)")
    web.add_argument("--public-url", dest="public_url", metavar="URL", default=None,
                     help="the address people open (e.g. behind a TLS proxy); the only other origin accepted")
    web.add_argument("--web-sessions", dest="web_sessions", type=int, metavar="N", default=argparse.SUPPRESS,
                     help="browser sessions at once (setting web_sessions)")

    from station import doctor, twin

    print_server_options = _print_server_options()
    twin.add_parser(commands, parents=[print_server_options])
    doctor.add_parser(commands, parents=[print_server_options])
    return parser


COMMANDS = ("demo", "serve", "config", "web", "jobs", "doctor")


class _Refused(Exception):
    """The station's own parser could not read the command line: the whole parser says why."""


class _StationParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Refused(message)


def _station_only(argv: list[str]) -> argparse.Namespace | None:
    """`station [options]`, the station itself, read by a parser of its options alone (issue 13:
    startup): the whole parser imports the commands `jobs` and `doctor` to build theirs, 30 ms
    of CPU before the first frame. None when the line may name a command or asks for help, or the
    options cannot be read: then the whole parser reads it (and says what is wrong, as before)."""
    if set(argv) & {*COMMANDS, "-h", "--help", "--version"}:
        return None
    parser = _StationParser(prog=PROG, add_help=False, parents=[_station_options()])
    parser.set_defaults(command=None)
    try:
        args, left = parser.parse_known_args(argv)
    except _Refused:
        return None
    return None if left else args


def _parse(argv: list[str]) -> argparse.Namespace:
    """The command line. `station jobs` takes its job ids before, between or after its flags
    (`station jobs list --json 101`): argparse leaves the ids after a flag over, and they are its."""
    station = _station_only(argv)
    if station is not None:
        return station
    parser = _parser()
    args, left = parser.parse_known_args(argv)
    if left and getattr(args, "command", None) == "jobs" and all(arg.isdigit() for arg in left):
        args.ids = [*args.ids, *(int(arg) for arg in left)]
        left = []
    if left:  # said with the usage of the command given (`station jobs` has no screen options)
        _command_parser(parser, getattr(args, "command", None)).error(f"unrecognized arguments: {' '.join(left)}")
    return args


def _command_parser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return parser


PIPE_CLOSED = 141  # 128 + SIGPIPE: the status a shell reports for a writer whose reader went away


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    from station.config_sources import SettingsError

    try:
        status = _command(args)
        sys.stdout.flush()  # a reader that went away shows here, not in Python's flush at exit
        return status
    except SettingsError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `station jobs list --json | head`: head has read what it wanted. Say nothing more to it
        # (what is left in the buffer goes nowhere) and end as a pipeline's writer does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return PIPE_CLOSED


def _command(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args)
    if args.command is None:
        return _station(args)
    settings = _settings(args)
    if args.command == "config":
        return _print_config(settings)
    if args.command == "demo":
        return _demo(settings, api=getattr(args, "api", "profile"))
    if args.command == "web":
        return _web(args, settings)
    if args.command == "jobs":
        from station import twin

        return twin.run(args, settings)
    if args.command == "doctor":
        from station import doctor

        return doctor.run(args, settings)
    raise AssertionError(f"no such command: {args.command}")


NO_SERVER = "setting 'server' (STATION_SERVER): no print server URL; give --server URL, or try `station demo`"


def _station(args: argparse.Namespace) -> int:
    """`station`: the login screen's first frame is drawn from the settings it shows, read plainly
    from their sources, and the model (pydantic) checks them all right after it (issue 13:
    startup); when one of those is not plain, the model checks them first, as for every command."""
    from station.config_sources import CheckedLater, SettingsError, first_frame, read_sources

    flags = {key: value for key, value in vars(args).items() if key not in ("command", "config")}
    sources = read_sources(getattr(args, "config", None), flags)  # the station's flags are all settings

    def check() -> Settings:
        from station.config import validate

        return validate(sources)

    shown = first_frame(sources)
    if shown is None:
        settings = check()
        if settings.server is None:
            raise SettingsError(NO_SERVER)
        return _run_station(settings, server=settings.server)
    # Read as the model reads them (tests/test_config.py): what the App asks for beyond them is
    # the model's, checked when asked for and by `check_settings` right after the first frame.
    later = CheckedLater(shown, check)
    return _run_station(cast("Settings", later), server=shown["server"], check_settings=later.check)


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
    proxies = _trusted_proxies(args.trusted_proxy)
    if proxies is None:
        return 2
    from station.server.run import new_client_secret, serve

    if args.new_client_secret:
        return new_client_secret(args.db, args.key_file)
    return serve(
        host=args.host, port=args.port, db=args.db or ":memory:", seed=args.seed, print_speed=args.print_speed,
        api=args.api, trusted_proxies=proxies, key_file=args.key_file,
    )


def _trusted_proxies(given: list[str]) -> list[str] | None:
    """The --trusted-proxy values as IP addresses or networks; None (and a line said) if one is not."""
    import ipaddress

    proxies = []
    for value in (part.strip() for item in given for part in item.split(",")):
        try:
            address = ipaddress.ip_network(value, strict=False) if "/" in value else ipaddress.ip_address(value)
            proxies.append(str(address))
        except ValueError:
            print(f"{PROG}: --trusted-proxy {value!r} is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/24)",
                  file=sys.stderr)
            return None
    return proxies


def _demo(settings: Settings, api: Literal["profile", "vendor"] = "profile") -> int:
    import tempfile

    from station.server.app import ServerSettings
    from station.server.run import EmbeddedServer
    from station.server.seed import DEMO_LOGINS
    from station.server.store import StoreError
    from station.ui.context import Demo

    with tempfile.TemporaryDirectory(prefix="station-demo-") as folder:
        db = settings.db or Path(folder) / "demo.db"
        server_settings = ServerSettings(db=str(db), seed="demo", print_speed=settings.print_speed, api=api,
                                         seed_language=settings.language)  # its people speak the demo's language
        try:
            server = EmbeddedServer(server_settings).start()
        except StoreError as error:
            print(f"{PROG}: {error}", file=sys.stderr)
            return 1
        with server:
            demo = Demo(logins=DEMO_LOGINS, reset=server.store.reset_to_seed)
            return _run_station(settings, server=server.base_url, demo=demo)


def _web(args: argparse.Namespace, settings: Settings) -> int:
    from station import web

    return web.serve(
        settings, host=args.host, port=args.port, demo=args.demo, public=args.public, public_url=args.public_url,
        station_args=_given_station_options(args), demo_args=_given_options(args, _demo_options()),
    )


def _given_station_options(args: argparse.Namespace) -> list[str]:
    """The station options given on this command line, as flags again (for the processes of `station web`)."""
    return _given_options(args, _station_options())


def _given_options(args: argparse.Namespace, options: argparse.ArgumentParser) -> list[str]:
    """The flags of `options` given on this command line, as flags again."""
    given: list[str] = []
    for action in options._actions:
        if action.option_strings and action.dest in vars(args):
            value = getattr(args, action.dest)
            flag = action.option_strings[0]
            given += [flag] if action.nargs == 0 else [flag, str(value)]  # a switch, or a flag with its value
    return given


def _run_station(
    settings: Settings, *, server: str, demo: Demo | None = None, check_settings: Callable[[], object] | None = None
) -> int:
    from station.ui.app import StationApp  # the client (httpx) comes after the first frame: see station.ui.warmup

    def connect() -> StationClient:
        from station.api.client import StationClient

        return StationClient(
            server,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            timeout=settings.timeout,
            verify=settings.verify,
        )

    app = StationApp(connect, settings=settings, demo=demo, check_settings=check_settings)
    app.run()
    if app.settings_error is not None:  # a bad setting found right after the first frame
        raise app.settings_error
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
