"""`station web`: the station in a browser, through textual-serve.

Each browser session runs its own station process, started with the station options given to
`station web` (never a secret: those stay in the settings). textual-serve's `Server` is
subclassed, not changed:

- The websocket that drives a station process takes only the station's own origin: a page on
  another site cannot open one (browsers always send `Origin` on a websocket handshake).
- At most `web_sessions` sessions run at once; the page says the station is busy beyond that.
- The page (`web_page/app_index.html`, textual-serve's page less its outside font) loads nothing
  from anywhere but the station: kiosks and helpdesks are often offline.
- The web station has no login of its own, so it serves only on a loopback address unless told
  `--public`, and then it says so.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import shlex
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp_jinja2 import render_template
from textual_serve.server import Server

from station.config import Settings, SettingsError

log = logging.getLogger("station.web")

PAGES = Path(__file__).resolve().parent / "web_page"
DEFAULT_PORTS = {"http": 80, "https": 443}
BUSY_RETRY_AFTER = 30  # seconds a browser waits before it asks again (the busy page reloads itself)


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach: `localhost`, 127.0.0.0/8, ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: whoever it resolves for


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL as a browser writes it in `Origin` (default port left out)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def url_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def allowed_origins(host: str, port: int, public_url: str) -> frozenset[str]:
    """The station's own origins: where people open it, and on a loopback bind this machine's names."""
    origins = {origin_of(public_url)}
    if is_loopback(host):
        origins |= {origin_of(url_of(name, port)) for name in ("127.0.0.1", "localhost", "::1")}
    return frozenset(origin for origin in origins if origin is not None)


class WebStation(Server):
    """textual-serve's server with an origin check, a session limit and a page of its own."""

    def __init__(self, command: str, *, host: str, port: int, public_url: str, sessions: int) -> None:
        super().__init__(command, host=host, port=port, title="Station", public_url=public_url, templates_path=PAGES)
        self.origins = allowed_origins(host, port, public_url)
        self.sessions = sessions
        self.running: set[asyncio.Task[Any]] = set()  # the open sessions' handlers (added before any await)

    def initialize_logging(self) -> None:
        # Plain lines: textual-serve's rich tracebacks would print local variables.
        logging.basicConfig(level=logging.INFO, format="%(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """No banner: `station web` has said where it serves."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping: end every session now (textual-serve's handler closes it and stops its station
        process when cancelled), rather than wait for each browser to go away."""
        for session in self.running:
            session.cancel()

    def busy(self) -> bool:
        return len(self.running) >= self.sessions

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse
        if self.busy():
            response = render_template("busy.html", request, {"sessions": self.sessions, "retry": BUSY_RETRY_AFTER})
            response.set_status(503)
            response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        else:
            response = await super().handle_index(request)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = self.content_policy()
        return response

    def content_policy(self) -> str:
        """The browser itself refuses anything from elsewhere (textual.js fetches a `?ping=` URL it is given),
        and no other site may frame the station to steer clicks."""
        named = sorted(origin for origin in self.origins if "[" not in origin)  # CSP cannot name an IPv6 address
        own = " ".join(["'self'", *named])
        sockets = " ".join(origin.replace("http", "ws", 1) for origin in named)
        return (
            f"default-src 'none'; script-src 'unsafe-inline' {own}; style-src 'unsafe-inline' {own}; "
            f"font-src {own}; img-src {own} data:; connect-src {own} {sockets}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin", "")
        if origin.lower() not in self.origins:  # also when there is none: every browser sends one
            log.warning("refused a websocket from origin %r (not the station's own page)", origin[:200])
            raise web.HTTPForbidden(text="This station takes sessions only from its own page.\n")
        if self.busy():
            raise web.HTTPServiceUnavailable(
                text=f"The station is busy: all {self.sessions} sessions are in use. Try again soon.\n",
                headers={"Retry-After": str(BUSY_RETRY_AFTER)},
            )
        session = asyncio.current_task()
        assert session is not None
        self.running.add(session)
        try:
            return await super().handle_websocket(request)
        finally:
            self.running.discard(session)


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    demo: bool,
    public: bool,
    public_url: str | None,
    station_args: list[str],
    demo_args: list[str] | None = None,
) -> int:
    """`station web`: check what was asked, say where it serves, serve until Ctrl+C. Each session
    runs `station [demo DEMO_ARGS] STATION_ARGS`: with --demo, each demo gets the demo server's options."""
    demo_args = demo_args or []
    if demo_args and not demo:
        raise SettingsError(f"{demo_args[0]} is an option of the demo's server: add --demo, or leave it out")
    if not demo and settings.server is None:
        raise SettingsError(
            "station web has no print server to show: give --server URL (or set `server` in the settings), "
            "or --demo for a demo on made-up data"
        )
    loopback = is_loopback(host)
    if not loopback and not public:
        raise SettingsError(
            f"--host {host} is not a loopback address, and the web station has no login of its own: anyone who "
            "reaches it gets a station. Add --public to serve it there anyway (behind a TLS proxy that asks for "
            "a login)"
        )
    if public_url is not None and origin_of(public_url) is None:
        raise SettingsError(f"--public-url {public_url}: give the http:// or https:// address people open")
    if public_url is None and _unspecified(host):
        raise SettingsError(
            f"--host {host} listens on every address, so say which one people open: --public-url URL "
            "(e.g. https://print-web.example.org)"
        )
    listening = url_of(host, port)
    url = (public_url or listening).rstrip("/")
    if loopback and public_url:
        print(f"station web on {listening} (this machine only); through the proxy people open {url}")
    elif loopback:
        print(
            f"station web on {listening} (this machine only; to reach it from elsewhere, serve it behind a TLS proxy)"
        )
    else:
        print(f"station web on {listening} (public); people open {url}")
        print(
            "station: warning: the web station has no login of its own: anyone who reaches it gets a station. "
            "Put it behind a TLS proxy that asks for a login.",
            file=sys.stderr,
        )
    sys.stdout.flush()
    command = [sys.executable, "-m", "station", *(["demo", *demo_args] if demo else []), *station_args]
    WebStation(shlex.join(command), host=host, port=port, public_url=url, sessions=settings.web_sessions).serve()
    return 0


def _unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False
