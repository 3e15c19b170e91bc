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
"""

from __future__ import annotations

import argparse
import json
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


def wait_drawn(page: Any, position: str, record: Any) -> None:
    page.wait_for_function(
        DRAWN, arg=[position, record.source.tokens, record.target.tokens], timeout=TIMEOUT_MS, polling="raf"
    )


def measure_steps(page: Any, ids: list[str], records: dict[str, Any], path: list[str], button: str) -> list[dict]:
    """Click ``button`` once per id of ``path`` (the sentence it should lead to) and time each redraw."""
    timings = []
    for sentence_id in path:
        record = records[sentence_id]
        started = time.perf_counter()
        page.get_by_role("button", name=button).click()
        wait_drawn(page, f"{ids.index(sentence_id) + 1} / {len(ids)}", record)
        elapsed = (time.perf_counter() - started) * 1000
        timings.append({"sentence": sentence_id, "tokens": len(record.target.tokens), "ms": round(elapsed, 1)})
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

                measure_steps(second, ids, records, forward, "Next ▶")  # warm-up
                measured = measure_steps(second, ids, records, backward, "◀ Previous")
                measured += measure_steps(second, ids, records, forward, "Next ▶")
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
