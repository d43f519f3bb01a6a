"""`station web` in a real browser (headless Chromium): a script to run by hand, not a test.

    python tests/cli/browser_check.py [--screenshot PATH]

Needs Debian's chromium (`apt-get install -y chromium`) and Playwright for Python
(`pip install playwright`; never `playwright install`: it uses /usr/bin/chromium). It starts
`station web --demo` on a free port of 127.0.0.1 and checks that

1. the station's page shows the login screen, and every request it makes (page, script,
   styles, font, websocket) goes to the station;
2. a page served from another origin (another port of 127.0.0.1) cannot open a session:
   its websocket is refused.

It prints each request and exits 1 if a check fails. `tests/cli/test_web.py` checks the same
without a browser.
"""

from __future__ import annotations

import argparse
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests_support import free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
FOREIGN_PAGE = """<!DOCTYPE html><html><head><title>waiting</title></head><body><script>
const socket = new WebSocket("ws://127.0.0.1:%d/ws?width=80&height=24");
socket.onopen = () => { document.title = "opened"; };
socket.onclose = () => { if (document.title !== "opened") document.title = "refused"; };
</script></body></html>"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--screenshot", type=Path, help="save the station's page as a PNG")
    options = parser.parse_args()

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    web = subprocess.Popen([sys.executable, "-m", "station", "web", "--demo", "--port", str(port)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    foreign = foreign_site(port)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            ok = own_page_stays_home(browser, port, options.screenshot)
            ok = foreign_page_is_refused(browser, foreign.server_address[1]) and ok
            browser.close()
    finally:
        foreign.shutdown()
        web.terminate()
        web.wait(timeout=30)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def own_page_stays_home(browser, port: int, screenshot: Path | None) -> bool:
    station = f"127.0.0.1:{port}"
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))
    page.goto(f"http://{station}/")
    page.wait_for_selector("body.-first-byte", state="attached", timeout=30_000)  # the station drew
    page.wait_for_timeout(2000)
    if screenshot:
        page.screenshot(path=str(screenshot))
    page.close()
    elsewhere = [url for url in requests if urlsplit(url).netloc != station]
    for url in requests:
        print("station  " if url not in elsewhere else "ELSEWHERE", url)
    return bool(requests) and not elsewhere and any(url.startswith("ws://") for url in requests)


def foreign_page_is_refused(browser, port: int) -> bool:
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_function("document.title !== 'waiting'", timeout=30_000)
    title = page.title()
    page.close()
    print(f"a page from 127.0.0.1:{port} opening the station's websocket: {title}")
    return title == "refused"


def foreign_site(station_port: int) -> http.server.HTTPServer:
    body = (FOREIGN_PAGE % station_port).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


if __name__ == "__main__":
    raise SystemExit(main())
