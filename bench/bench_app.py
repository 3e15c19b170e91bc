"""How fast the app is in a real browser: cold start, and moving to the next sentence with warm caches.

Starts ``streamlit run app.py`` on a free localhost port (its own corrections
database), drives it with Playwright in Debian's headless Chromium and prints
JSON. Run: ``.venv/bin/python bench/bench_app.py``.

- ``cold_start_s``: from launching the server process to the first Inspect
  page drawn in the browser (sentence and alignment heatmap shown).
- ``server_ready_s``: from launch to the server answering its health check.
- ``warm_first_page_s``: a second browser tab opening the app on the warm server.
- ``next_sentence_ms``: from clicking Next (or Previous) to the new sentence
  drawn completely (position, heatmap ticks, and the last method's row),
  around the example's longest sentence; the first pass warms caches and is
  not counted.
- ``cpu_ms_per_step``: CPU time the server (Python) and the browser (Chromium)
  spent per step, read from ``/proc``: what a step costs on an idle machine,
  independent of other load; ``load_average`` says how busy the machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from projection.app_support.datasets import load_example
from projection.app_support.local_run import CHROMIUM, launch_chromium, start_app

TIMEOUT_MS = 120_000
DATASET = "example-bitext"
METHOD = "heuristic"

DRAWN = """([position, sourceTokens, targetTokens]) => {
  const label = Array.from(document.querySelectorAll('[data-testid="stMarkdownContainer"] strong'))
    .some(node => node.textContent.trim() === position);
  const ticks = Array.from(document.querySelectorAll('.js-plotly-plot .yaxislayer-above .ytick text'))
    .map(node => node.textContent);
  const rows = document.querySelectorAll('[data-testid="stMain"] .pj-sent');
  const last = rows.length ? rows[rows.length - 1].innerText : '';
  return label && ticks.join('\\u0001') === sourceTokens.join('\\u0001')
    && targetTokens.every(token => last.includes(token));
}"""


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from ``/proc``."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: list[int], *, skip: str | None = None) -> float:
    """User + system CPU time of ``pids``, leaving out processes whose program name ends with ``skip``."""
    total = 0.0
    for pid in pids:
        try:
            program = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if skip and program.endswith(skip):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class CpuMeter:
    """CPU seconds of the app server's process tree and of this process's Chromium."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def read(self) -> tuple[float, float]:
        server = process_tree(self.server_pid)
        browser = [pid for pid in process_tree(os.getpid()) if pid not in server and pid != os.getpid()]
        return cpu_seconds(server), cpu_seconds(browser, skip="/node")  # not Playwright's driver


def wait_drawn(page: Any, position: str, record: Any) -> None:
    page.wait_for_function(
        DRAWN, arg=[position, record.source.tokens, record.target.tokens], timeout=TIMEOUT_MS, polling="raf"
    )


def measure_steps(
    page: Any, ids: list[str], records: dict[str, Any], path: list[str], button: str, meter: CpuMeter
) -> list[dict]:
    """Click ``button`` once per id of ``path`` (the sentence it should lead to) and time each redraw."""
    timings = []
    for sentence_id in path:
        record = records[sentence_id]
        server_before, browser_before = meter.read()
        started = time.perf_counter()
        page.get_by_role("button", name=button).click()
        wait_drawn(page, f"{ids.index(sentence_id) + 1} / {len(ids)}", record)
        elapsed = (time.perf_counter() - started) * 1000
        page.wait_for_timeout(300)  # let the last deltas settle before reading CPU time
        server_after, browser_after = meter.read()
        timings.append(
            {
                "sentence": sentence_id,
                "tokens": len(record.target.tokens),
                "ms": round(elapsed, 1),
                "server_cpu_ms": round((server_after - server_before) * 1000),
                "browser_cpu_ms": round((browser_after - browser_before) * 1000),
            }
        )
    return timings


def run(first: int, last: int) -> dict:
    (dataset,) = [d for d in load_example() if d.name == DATASET]
    ids = dataset.sentence_ids("es")
    records = {sid: dataset.record("es", METHOD, sid) for sid in ids}
    start_id = ids[first]
    forward = ids[first + 1 : last + 1]
    backward = list(reversed(ids[first:last]))
    with tempfile.TemporaryDirectory() as folder:
        app = start_app(env={"PROJECTION_CORRECTIONS_URL": f"sqlite:///{Path(folder) / 'corrections.sqlite'}"})
        server_ready = time.perf_counter() - app.started
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page(viewport={"width": 1400, "height": 1600})
                page.goto(app.url)
                wait_drawn(page, f"1 / {len(ids)}", records[ids[0]])
                cold_start = time.perf_counter() - app.started

                started = time.perf_counter()
                second = browser.new_page(viewport={"width": 1400, "height": 1600})
                second.goto(f"{app.url}?sentence={start_id}")
                wait_drawn(second, f"{first + 1} / {len(ids)}", records[start_id])
                warm_first_page = time.perf_counter() - started

                meter = CpuMeter(app.process.pid)
                load_before = os.getloadavg()[0]
                measure_steps(second, ids, records, forward, "Next ▶", meter)  # warm-up
                measured = measure_steps(second, ids, records, backward, "◀ Previous", meter)
                measured += measure_steps(second, ids, records, forward, "Next ▶", meter)
                load_after = os.getloadavg()[0]
                browser.close()
        finally:
            app.stop()
    longest = max(measured, key=lambda step: step["tokens"])
    return {
        "cold_start_s": round(cold_start, 2),
        "server_ready_s": round(server_ready, 2),
        "warm_first_page_s": round(warm_first_page, 2),
        "next_sentence_ms": {
            "median": round(statistics.median(step["ms"] for step in measured), 1),
            "max": max(step["ms"] for step in measured),
            "longest_sentence": {
                "tokens": longest["tokens"],
                "ms": [step["ms"] for step in measured if step["sentence"] == longest["sentence"]],
            },
            "steps": measured,
        },
        "cpu_ms_per_step": {
            "server_median": statistics.median(step["server_cpu_ms"] for step in measured),
            "browser_median": statistics.median(step["browser_cpu_ms"] for step in measured),
        },
        "load_average": {"before": round(load_before, 2), "after": round(load_after, 2), "cores": os.cpu_count()},
        "dataset": DATASET,
        "method": METHOD,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cold start and next-sentence latency of the app in Chromium.")
    parser.add_argument("--first", type=int, default=44, help="index of the sentence the timed walk starts at")
    parser.add_argument("--last", type=int, default=51, help="index of the sentence it ends at")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(json.dumps({"error": f"Chromium not found at {CHROMIUM}"}))
        return 1
    print(json.dumps(run(args.first, args.last), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
