"""`station web` serves the station to a browser (through textual-serve), a real one on 127.0.0.1:
only its own page may open a session, sessions are limited, the page loads nothing from outside,
and it refuses to start where it would be open to anyone or would show nothing."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import IO
from urllib.parse import urljoin, urlsplit

import aiohttp
import httpx
import pytest

from tests_support import free_port

STATION_ENV = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}


class Web:
    """A running `station web`: its process, its address, what it printed."""

    def __init__(self, process: subprocess.Popen[str], port: int, first_line: str, log: IO[str]) -> None:
        self.process = process
        self.log = log  # its stderr: warnings and the access log (a file, so that a full pipe never stalls it)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.first_line = first_line

    def stations(self) -> list[int]:
        """The station processes it runs now (one per session)."""
        return [pid for pid in descendants(self.process.pid) if cmdline(pid)[:3] == [sys.executable, "-m", "station"]]


@contextmanager
def station_web(*args: str, port: int | None = None, env: dict[str, str] | None = None) -> Iterator[Web]:
    port = port or free_port()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "station", "web", "--port", str(port), *args],
            stdout=subprocess.PIPE, stderr=log, text=True, env=env or STATION_ENV,
        )
        try:
            first_line = process.stdout.readline()
            deadline = time.monotonic() + 30
            while not listening(port):
                assert process.poll() is None, "station web ended"
                assert time.monotonic() < deadline, "station web did not answer"
                time.sleep(0.1)
            yield Web(process, port, first_line, log)
        finally:
            process.terminate()
            process.wait(timeout=20)


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # it ended while we looked
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


async def open_session(web: Web, origin: str | None) -> aiohttp.ClientWebSocketResponse:
    """A websocket as the page opens it, sending `Origin` as a browser on `origin` would."""
    session = aiohttp.ClientSession()
    try:
        socket = await session.ws_connect(f"ws://127.0.0.1:{web.port}/ws?width=100&height=30", origin=origin)
    except BaseException:
        await session.close()
        raise
    socket.http_session = session  # type: ignore[attr-defined]  # closed with the socket, below
    return socket


async def close_session(socket: aiohttp.ClientWebSocketResponse) -> None:
    await socket.close()
    await socket.http_session.close()  # type: ignore[attr-defined]


async def screen_shows(socket: aiohttp.ClientWebSocketResponse, words: str, timeout: float = 60) -> bool:
    """Read what the station draws until `words` appear (False if the socket ends first)."""
    drawn = b""
    async with asyncio.timeout(timeout):
        while words.encode() not in drawn:
            message = await socket.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                drawn += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                return False
    return True


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(url)


async def until(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def test_station_web_answers_a_get_with_the_apps_page():
    with station_web("--demo") as web:
        assert web.first_line.startswith(f"station web on {web.url} (this machine only")
        assert "TLS proxy" in web.first_line
        page = httpx.get(web.url + "/")
        assert page.status_code == 200
        assert "textual.js" in page.text  # the terminal in the browser
        assert f'data-session-websocket-url="ws://127.0.0.1:{web.port}/ws"' in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


async def test_the_websocket_takes_only_the_stations_own_origin():
    with station_web("--demo") as web:
        for foreign in ("http://evil.example", f"http://evil.example:{web.port}", f"https://127.0.0.1:{web.port}",
                        f"http://127.0.0.1:{web.port + 1}", "null", None):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await open_session(web, foreign)
            assert refused.value.status == 403, foreign
        assert web.stations() == []  # nothing was started for them

        for own in (web.url, f"http://localhost:{web.port}"):  # the positive control: the station's page
            socket = await open_session(web, own)
            try:
                assert await screen_shows(socket, "Tap your card or type your PIN")
                assert len(web.stations()) == 1
            finally:
                await close_session(socket)
            await until(lambda: web.stations() == [], "the session's station to end")


async def test_sessions_are_limited_and_the_page_says_the_station_is_busy():
    with station_web("--demo", "--web-sessions", "1") as web:
        first = await open_session(web, web.url)
        try:
            assert await screen_shows(first, "Tap your card or type your PIN")
            busy = await get(web.url + "/")
            assert busy.status_code == 503
            assert "The station is busy" in busy.text and "All 1 sessions are in use" in busy.text
            assert "textual.js" not in busy.text
            assert int(busy.headers["retry-after"]) > 0
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await open_session(web, web.url)
            assert refused.value.status == 503
            assert len(web.stations()) == 1
        finally:
            await close_session(first)

        await until(lambda: httpx.get(web.url + "/").status_code == 200, "a free session")
        again = await open_session(web, web.url)  # the place that came free can be taken
        try:
            assert await screen_shows(again, "Tap your card or type your PIN")
        finally:
            await close_session(again)


async def test_stopping_station_web_ends_its_sessions():
    with station_web("--demo") as web:
        socket = await open_session(web, web.url)
        try:
            assert await screen_shows(socket, "Tap your card or type your PIN")
            running = web.stations()
            assert len(running) == 1
            web.process.terminate()
            assert not await screen_shows(socket, "anything more", timeout=20)  # the browser is told: closed
        finally:
            await close_session(socket)
        await until(lambda: web.process.poll() is not None, "station web to end", timeout=20)
        await until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in running), "its station to end")


# --- the page loads nothing from outside the station -----------------------------------------------


class Links(HTMLParser):
    """Every address an HTML page makes the browser fetch or connect to."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self._style = False
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name in ("src", "href", "action", "poster", "srcset", "background")
                          or (name.startswith("data-") and "url" in name)):
                self.addresses.append(value)
            if name == "style" and value:
                self.styles.append(value)
            if name == "content" and value and "url=" in value.lower():  # <meta http-equiv="refresh">
                self.addresses.append(value.split("=", 1)[1])
        self._style, self._script = tag == "style", tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._style = self._script = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.styles.append(data)
        if self._script:
            self.scripts.append(data)


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
ABSOLUTE = re.compile(r"""(?:https?|wss?):(?://|\\/\\/)[^\s'"`)<>]+|['"(]//[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)


def outside(page_url: str, text: str, kind: str) -> list[str]:
    """The addresses in HTML, CSS or JS text that lead anywhere but the station of `page_url`."""
    station = urlsplit(page_url).netloc
    found: list[str] = []
    if kind == "html":
        links = Links()
        links.feed(text)
        found += links.addresses
        found += [match for style in links.styles for match in _css_urls(style)]
        found += [match for script in links.scripts for match in ABSOLUTE.findall(script)]
    elif kind == "css":
        found += _css_urls(text)
        found += ABSOLUTE.findall(re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL))
    else:
        found += ABSOLUTE.findall(text)
    resolved = [urljoin(page_url, address.lstrip("'\"(")) for address in found if not address.startswith("data:")]
    return sorted({address for address in resolved if urlsplit(address).netloc != station})


def _css_urls(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return [first or second for first, second in CSS_URL.findall(css)]


def test_the_page_loads_nothing_from_outside_the_station():
    """Every address in the page and in what it loads (CSS, JS) is the station's, and each of the
    station's own assets is there. (Checked once in a real Chromium too: see the README.)"""
    with station_web("--demo") as web:
        page = httpx.get(web.url + "/")
        assert outside(web.url, page.text, "html") == []
        links = Links()
        links.feed(page.text)
        assets = {urljoin(web.url, address) for address in links.addresses if not address.startswith("data:")}
        assets |= {urljoin(web.url, address) for style in links.styles for address in _css_urls(style)}
        assert any(address.endswith(".ttf") for address in assets)  # the font is the station's own copy
        for address in sorted(assets):
            if address.startswith("ws"):
                continue
            answer = httpx.get(address)
            assert answer.status_code == 200, address
            kind = "css" if address.endswith(".css") else "js" if address.endswith(".js") else "binary"
            if kind != "binary":
                assert outside(web.url, answer.text, kind) == [], address
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        hosts = {urlsplit(source).netloc for source in policy.replace(";", " ").split() if "://" in source}
        assert hosts == {f"127.0.0.1:{web.port}", f"localhost:{web.port}"}


def test_the_outside_check_finds_an_outside_font():
    """The positive control: textual-serve's own page asks a font from another host, and is caught."""
    import textual_serve

    stock = (Path(textual_serve.__file__).parent / "templates" / "app_index.html").read_text()
    assert outside("http://127.0.0.1:8000/", stock, "html") == ["https://fonts.googleapis.com/css?family=Roboto%20Mono"]
    assert outside("http://127.0.0.1:8000/", "a{b:url('https://cdn.example/x.woff')}", "css") == [
        "https://cdn.example/x.woff"
    ]
    assert outside("http://127.0.0.1:8000/", 'fetch("https://api.example/ping")', "js") == ["https://api.example/ping"]


# --- refusals --------------------------------------------------------------------------------------


def run_web(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station", "web", *args], capture_output=True, text=True,
        env=env or STATION_ENV, timeout=60, check=False,
    )


def listening(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
        return True
    except httpx.TransportError:
        return False


def test_without_a_server_or_demo_it_refuses_to_start_with_the_sentence(tmp_path):
    port = free_port()
    result = run_web("--port", str(port), env={**STATION_ENV, "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "station: station web has no print server to show: give --server URL (or set `server` in the settings), "
        "or --demo for a demo on made-up data"
    )
    assert result.stdout == "" and not listening(port)


def test_a_server_from_the_environment_is_enough_to_start():
    with station_web(env={**STATION_ENV, "STATION_SERVER": "http://127.0.0.1:9"}) as web:
        assert httpx.get(web.url + "/").status_code == 200


def test_a_host_other_than_loopback_is_refused_without_public():
    port = free_port()
    result = run_web("--demo", "--host", "0.0.0.0", "--port", str(port))
    assert result.returncode == 2
    assert "--host 0.0.0.0 is not a loopback address" in result.stderr
    assert "no login of its own" in result.stderr and "--public" in result.stderr
    assert "Traceback" not in result.stderr and not listening(port)


def test_public_says_where_people_open_it_and_warns_that_there_is_no_login():
    port = free_port()
    unsaid = run_web("--demo", "--host", "0.0.0.0", "--public", "--port", str(port))
    assert unsaid.returncode == 2 and "--public-url" in unsaid.stderr

    with station_web("--demo", "--host", "0.0.0.0", "--public", "--public-url", f"http://127.0.0.1:{port}",
                     port=port) as web:
        assert web.first_line.startswith(f"station web on http://0.0.0.0:{port} (public)")
        assert "localhost" not in web.first_line and "this machine only" not in web.first_line
        web.log.seek(0)
        assert "warning: the web station has no login of its own" in web.log.read()


async def test_behind_a_proxy_the_public_url_is_the_origin_accepted():
    with station_web("--demo", "--public-url", "https://print-web.example.org") as web:
        page = await get(web.url + "/")
        assert 'data-session-websocket-url="wss://print-web.example.org/ws"' in page.text
        socket = await open_session(web, "https://print-web.example.org")
        try:
            assert await screen_shows(socket, "Tap your card or type your PIN")
        finally:
            await close_session(socket)
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await open_session(web, "https://other.example.org")


def test_the_station_options_go_to_each_session_and_the_web_options_do_not():
    from station.cli import _given_station_options, _parser

    args = _parser().parse_args(
        ["--kiosk", "web", "--idle-timeout", "30", "--demo", "--web-sessions", "2", "--port", "8001",
         "--public-url", "https://x.example", "--theme", "high-contrast"]
    )
    assert _given_station_options(args) == ["--kiosk", "--idle-timeout", "30", "--theme", "high-contrast"]


async def test_each_demo_gets_the_demo_server_options_and_the_station_options(tmp_path):
    """`station web --demo --api vendor --db ... --print-speed ...` starts each demo with them."""
    db = tmp_path / "web-demo.db"
    with station_web("--demo", "--api", "vendor", "--db", str(db), "--print-speed", "600", "--kiosk") as web:
        socket = await open_session(web, web.url)
        try:
            assert await screen_shows(socket, "Tap your card or type your PIN")
            [session] = web.stations()
            assert cmdline(session)[3:] == ["demo", "--db", str(db), "--print-speed", "600.0", "--api", "vendor",
                                            "--kiosk", ""]
            assert db.exists()  # the demo's server keeps its data there
        finally:
            await close_session(socket)


def test_demo_server_options_without_demo_are_refused_in_words():
    port = free_port()
    result = run_web("--server", "http://127.0.0.1:9", "--api", "vendor", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip() == "station: --api is an option of the demo's server: add --demo, or leave it out"
    assert not listening(port)
