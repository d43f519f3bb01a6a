"""`station web` serves the station to a browser (through textual-serve) on localhost."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from tests_support import free_port


def test_station_web_answers_a_get_with_the_apps_page():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "station", "web", "--port", str(port), "--demo"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        first_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in first_line and "TLS" in first_line
        deadline = time.monotonic() + 20
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "station web did not answer"
                time.sleep(0.2)
        assert page.status_code == 200
        assert "textual.js" in page.text  # the terminal in the browser
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page.text
    finally:
        process.terminate()
        process.wait(timeout=10)
