"""Running the embedded server: in a background thread (`EmbeddedServer`) or blocking (`serve`).

uvicorn believes `X-Forwarded-For` from 127.0.0.1 unless told otherwise (`proxy_headers=True`,
`forwarded_allow_ips="127.0.0.1,::1"` by default): behind a local proxy, or from any process on
the machine, every request could name its own client address and so dodge the slow-down of
failed logins. Here the forwarded headers are read only from the proxies `trusted_proxies` names
(`station serve --trusted-proxy ADDR`); `Forwarded` (RFC 7239) is never read.
"""

from __future__ import annotations

import copy
import signal
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Literal

import uvicorn
from fastapi import FastAPI
from uvicorn.config import LOGGING_CONFIG

from station.server import clients
from station.server.app import ServerSettings, create_app
from station.server.store import Store, StoreError

__all__ = ["EmbeddedServer", "new_client_secret", "serve"]


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it every answer waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def _uvicorn_config(app: FastAPI, trusted_proxies: Sequence[str] = (), **options: object) -> uvicorn.Config:
    """uvicorn's settings, with the forwarded headers believed only from `trusted_proxies`."""
    return uvicorn.Config(
        app, proxy_headers=bool(trusted_proxies), forwarded_allow_ips=",".join(trusted_proxies),
        **options,  # type: ignore[arg-type]
    )


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class EmbeddedServer:
    """The embedded server under uvicorn in a background thread.

    ```
    with EmbeddedServer(ServerSettings(db="demo.db")) as srv:
        client = StationClient(srv.base_url + "/api")
    ```

    `port=0` binds a free port; `base_url` then names the real one. Nothing is logged but
    warnings and errors (no access log), so it can run under a terminal UI. `X-Forwarded-For` is
    read only from `trusted_proxies`.
    """

    def __init__(
        self,
        settings: ServerSettings | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        app: FastAPI | None = None,
        trusted_proxies: Sequence[str] = (),
    ) -> None:
        self.settings = settings or ServerSettings()
        self.host = host
        self.port = port
        self.app = app
        self.trusted_proxies = tuple(trusted_proxies)
        self._own_app = app is None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`: the server's root (the API is under `/api`)."""
        return _url(self.host, self.port)

    @property
    def api_url(self) -> str:
        return self.base_url + "/api"

    @property
    def store(self):
        return None if self.app is None else self.app.state.store

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> EmbeddedServer:
        if self._thread is not None:
            return self
        if self.app is None:
            self.app = create_app(self.settings)
        self._sock = _bind(self.host, self.port)
        self.port = self._sock.getsockname()[1]
        config = _uvicorn_config(
            self.app, self.trusted_proxies, log_config=None, log_level="warning", access_log=False,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._sock]},
            name=f"station-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                self._cleanup()
                raise RuntimeError("the embedded server could not start")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the embedded server did not start in time")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(timeout)
        self._cleanup()

    def _cleanup(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._thread = None
        self._server = None
        if self._own_app and self.app is not None:
            self.app.state.store.close()
            self.app = None

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _log_config() -> dict:
    """uvicorn's logging, less its start-up chatter: warnings, errors and the access log
    (method, path and status: never a body, and no call carries a secret in its path)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config["loggers"]["uvicorn.access"]["level"] = "INFO"
    return config


def serve(
    host: str = "127.0.0.1",
    port: int = 8090,
    db: str | None = None,
    seed: Literal["demo", "none"] = "demo",
    print_speed: float = 30.0,
    api: Literal["profile", "vendor"] = "profile",
    *,
    trusted_proxies: Sequence[str] = (),
    key_file: str | None = None,
) -> int:
    """Run the server until Ctrl-C (exit status 0). Data is kept in `db` across restarts
    (`None` or ":memory:": in memory, gone when the server stops)."""
    db = str(db) if db else ":memory:"
    settings = ServerSettings(db=db, seed=seed, print_speed=print_speed, api=api, key_file=key_file)
    try:
        app = create_app(settings)
    except sqlite3.Error as exc:
        print(f"station server: cannot open the database {db}: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"station server: {exc}", file=sys.stderr)
        return 1
    store = app.state.store
    try:
        sock = _bind(host, port)
    except OSError as exc:
        store.close()
        print(
            f"station server: cannot listen on {host}:{port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    url = _url(host, sock.getsockname()[1])
    print(f"station server listening on {url} (API at {url}/api)", flush=True)
    secret, app.state.new_client_secret = app.state.new_client_secret, None
    if secret is not None:
        _show_new_client(secret, db)
    config = _uvicorn_config(
        app, trusted_proxies, log_config=_log_config(), access_log=True, lifespan="off"
    )
    server = uvicorn.Server(config)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        store.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _show_new_client(secret: str, db: str) -> None:
    """Show a new client's secret once: on the terminal, never where output may be a log file."""
    if sys.stdout.isatty():
        print(
            "A new OAuth client was registered; its secret is shown only now. Put these two lines"
            " in the settings file of each station that uses this server:\n"
            f'client_id = "{clients.OWN_CLIENT_ID}"\nclient_secret = "{secret}"',
            flush=True,
        )
    elif db == ":memory:":
        print(
            f"A new OAuth client '{clients.OWN_CLIENT_ID}' was registered. Its secret is shown only"
            " on a terminal: start the server in a terminal to see it.",
            flush=True,
        )
    else:
        print(
            f"A new OAuth client '{clients.OWN_CLIENT_ID}' was registered. Its secret is shown only"
            f" on a terminal: run `station serve --db {db} --new-client-secret` in one to make a"
            " secret you can see.",
            flush=True,
        )


def new_client_secret(db: str | None, key_file: str | None = None) -> int:
    """`station serve --db FILE --new-client-secret`: replace the server's own client secret
    and print it (the old one stops working at once, also for a server running on FILE)."""
    if not db or db == ":memory:":
        print(
            "station server: --new-client-secret needs --db FILE (a server in memory makes a new"
            " secret at each start).",
            file=sys.stderr,
        )
        return 2
    if not Path(db).is_file():
        print(
            f"station server: there is no database {db} yet; start the server on it once first.",
            file=sys.stderr,
        )
        return 1
    try:
        store = Store(ServerSettings(db=db, seed="none", key_file=key_file))
    except (sqlite3.Error, StoreError) as exc:
        print(f"station server: {exc}", file=sys.stderr)
        return 1
    try:
        secret = clients.replace_secret(store)
    finally:
        store.close()
    print(
        f"# The new secret of the OAuth client '{clients.OWN_CLIENT_ID}' of {db}; the old one no"
        " longer works.\n# Put these two lines in the settings file of each station that uses"
        " this server; they are shown only now.\n"
        f'client_id = "{clients.OWN_CLIENT_ID}"\nclient_secret = "{secret}"'
    )
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
