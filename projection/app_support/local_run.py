"""Start the app on a free localhost port and drive it in headless Chromium: for the browser test and the bench.

Chromium is Debian's (``/usr/bin/chromium``), launched with the flags that
keep it from reaching the network; Playwright's own browser download is never needed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_TIMEOUT_MS = 120_000
"""How long a browser step may wait for the app (a first page load imports the models)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


@dataclass
class LocalApp:
    """A running ``streamlit run app.py``; ``started`` is its ``time.perf_counter()`` at launch."""

    process: subprocess.Popen
    url: str
    started: float

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_app(*, env: Mapping[str, str] | None = None, timeout: float = 120.0, root: Path = REPO) -> LocalApp:
    """Launch the app headless on a free port of localhost and wait until its server answers.

    ``root`` is the checkout whose ``app.py`` runs (another version of the app, for a comparison).
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(root / APP.name),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "localhost",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = LocalApp(process, f"http://localhost:{port}/", started)
    deadline = started + timeout
    while not _healthy(app.url):
        if process.poll() is not None or time.perf_counter() > deadline:
            app.stop()
            raise RuntimeError(f"the app did not start on port {port} within {timeout:.0f} s")
        time.sleep(0.1)
    return app


def launch_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium through Playwright's sync API."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
