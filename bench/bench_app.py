"""How fast the app is in a real browser: cold start and moving on in Inspect; reviewing in Review.

Starts ``streamlit run app.py`` on a free localhost port (its own corrections
database and workspace), drives it with Playwright in Debian's headless
Chromium and prints JSON.

``.venv/bin/python bench/bench_app.py inspect`` (the example, warm caches):

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

``.venv/bin/python bench/bench_app.py review --before REV`` (a 150-sentence
upload: MAFAND en-swa dev, lines 1-150, projected with the offline profile's
heuristic method, uploaded on the Data page as JSONL records), for this
checkout and, in the same run and alternating with it, for the commit
``REV`` (``git archive``d into a temporary folder):

- ``next_ms``: from clicking Next in Review to the next sentence drawn
  (position and every target token), after a few warm-up steps;
- ``edit_ms``: from clicking a span's delete (reject) button to the sentence
  redrawn without it, the edit saved;
- ``click_edit_ms`` (this checkout only): from clicking a word not in any
  span, then pressing 1, to the sentence redrawn with the new span;
- ``reload_s``: from reloading the browser tab on Review to the uploaded
  data set's sentence drawn again; ``restored`` says whether it came back at
  all (where it does not, the time is to the page drawn without it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from projection.app_support.datasets import load_example
from projection.app_support.local_run import CHROMIUM, REPO, launch_chromium, start_app

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


UPLOAD_NAME = "upload150"
REVIEW_DRAWN = """([position, tokens]) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const label = Array.from(main ? main.querySelectorAll('[data-testid="stMarkdownContainer"] strong') : [])
    .some(node => node.textContent.trim() === position);
  const target = document.querySelector('[data-testid="stMain"] .pj-sent');
  const text = target ? target.innerText : '';
  return label && tokens.every(token => text.includes(token));
}"""
SPAN_COUNT = """() => {
  const target = document.querySelector('[data-testid="stMain"] .pj-sent');
  return target ? target.querySelectorAll('.pj-ent').length : -1;
}"""


def upload_records(folder: Path, n: int = 150) -> tuple[Path, list[Any]]:
    """The first ``n`` pairs of MAFAND en-swa dev projected with the offline profile, as a JSONL records file."""
    from projection.app_support.runner import RunRequest, run_methods
    from projection.cache import DEFAULT_CACHE_DIR, Cache
    from projection.pipeline.inputs import load_bitext
    from projection.writers.jsonl import write_jsonl

    shared = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mafand" / "en-swa"
    lines = {side: (shared / f"dev.{side}").read_text("utf-8").splitlines()[:n] for side in ("en", "swa")}
    for side, text in lines.items():
        (folder / f"dev{n}.{side}").write_text("\n".join(text) + "\n", encoding="utf-8")
    sources, targets = load_bitext(folder / f"dev{n}.en", folder / f"dev{n}.swa", "en", "sw")
    request = RunRequest("translate-train", "en", "sw", ("heuristic",), profile="offline")
    (records,) = run_methods(request, sources, targets, cache=Cache(DEFAULT_CACHE_DIR)).values()
    path = folder / f"{UPLOAD_NAME}.jsonl"
    write_jsonl(records, path)
    return path, records


def checkout(revision: str, folder: Path) -> Path:
    """The app as it was at ``revision``, unpacked into ``folder`` (nothing in the repository changes)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def wait_sentence(page: Any, position: str, tokens: list[str]) -> None:
    page.wait_for_function(REVIEW_DRAWN, arg=[position, tokens], timeout=TIMEOUT_MS, polling="raf")


def timed(action: Any, wait: Any) -> float:
    started = time.perf_counter()
    action()
    wait()
    return round((time.perf_counter() - started) * 1000, 1)


def review_version(root: Path, upload: Path, records: list[Any], folder: Path, *, steps: int, edits: int) -> dict:
    """Upload the records into the app of ``root`` and time Next, edits and a reload in Review."""
    env = {
        "PROJECTION_CORRECTIONS_URL": f"sqlite:///{folder / 'corrections.sqlite'}",
        "PROJECTION_WORKSPACE": str(folder / "workspace"),
        "PROJECTION_CACHE": str(folder / "cache"),
        "PROJECTION_AUTHOR": "bench",
    }
    (folder / "cache").mkdir()
    shutil.copytree(root / "cache" / "example", folder / "cache" / "example")
    ids = [record.id for record in records]
    by_id = {record.id: record for record in records}
    app = start_app(env=env, root=root)
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(app.url)
            page.wait_for_selector(".js-plotly-plot")
            page.get_by_test_id("stTopNavLink").filter(has_text="Data").click()
            records_tab = page.get_by_role("tabpanel", name="Open projected output")
            records_tab.locator('input[type="file"]').set_input_files(str(upload))
            records_tab.get_by_text(upload.name).wait_for()
            records_tab.get_by_role("button", name="Open", exact=True).click()
            page.get_by_text(f"Loaded {UPLOAD_NAME}").wait_for()
            page.get_by_test_id("stTopNavLink").filter(has_text="Review").click()
            wait_sentence(page, f"1 / {len(ids)}", by_id[ids[0]].target.tokens)
            nexts: list[float] = []
            for index in range(1, steps + 4):
                record = by_id[ids[index]]
                elapsed = timed(
                    lambda: page.locator(".st-key-review_next button").click(),
                    lambda index=index, record=record: wait_sentence(
                        page, f"{index + 1} / {len(ids)}", record.target.tokens
                    ),
                )
                if index > 3:  # the first steps warm the caches
                    nexts.append(elapsed)
            edit_times: list[float] = []
            index = steps + 3
            delete = ".st-key-delete_{}_0 button, .st-key-review_reject_{}_0 button"
            while len(edit_times) < edits and index < len(ids) - 1:
                sentence_id = ids[index]
                count = page.evaluate(SPAN_COUNT)
                if count > 0:
                    edit_times.append(
                        timed(
                            lambda sentence_id=sentence_id: page.locator(
                                delete.format(sentence_id, sentence_id)
                            ).first.click(),
                            lambda count=count: page.wait_for_function(
                                f"() => ({SPAN_COUNT})() === {count - 1}", timeout=TIMEOUT_MS, polling="raf"
                            ),
                        )
                    )
                    continue
                index += 1
                page.locator(".st-key-review_next button").click()
                wait_sentence(page, f"{index + 1} / {len(ids)}", by_id[ids[index]].target.tokens)
            click_edits = click_edit_times(page, ids[index], by_id[ids[index]], edits)
            position = f"{index + 1} / {len(ids)}"
            started = time.perf_counter()
            page.reload()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stMain\"] .pj-sent') !== null",
                timeout=TIMEOUT_MS,
                polling="raf",
            )
            # the sidebar's caption counts the selected data set's sentences: 150 for the upload, 52 for the example
            restored = f"{len(ids)} sentences" in page.get_by_test_id("stSidebar").inner_text()
            if restored:
                wait_sentence(page, position, by_id[ids[index]].target.tokens)
            reload_s = round(time.perf_counter() - started, 2)
            browser.close()
    finally:
        app.stop()
    return {
        "next_ms": summary(nexts),
        "edit_ms": summary(edit_times),
        "click_edit_ms": summary(click_edits) if click_edits else None,
        "reload_s": reload_s,
        "restored": restored,
    }


def click_edit_times(page: Any, sentence_id: str, record: Any, edits: int) -> list[float]:
    """Click a word outside every span and press 1, ``edits`` times (only where Review has word pills)."""
    words = page.locator(f".st-key-review_words_{sentence_id}")
    if words.count() == 0:
        return []
    inside = {k for span in record.projected for k in range(span.start, span.end)}
    found: list[float] = []
    for position, token in enumerate(record.target.tokens):
        if len(found) == edits:
            break
        if position in inside or record.target.tokens.count(token) > 1:
            continue
        count = page.evaluate(SPAN_COUNT)

        def click_and_label(token: str = token) -> None:
            words.get_by_role("button", name=token, exact=True).click()
            page.keyboard.press("1")

        found.append(
            timed(
                click_and_label,
                lambda count=count: page.wait_for_function(
                    f"() => ({SPAN_COUNT})() === {count + 1}", timeout=TIMEOUT_MS, polling="raf"
                ),
            )
        )
    return found


def summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 1), "max": max(values), "n": len(values), "all": values}


def run_review(before: str, rounds: int, steps: int, edits: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        upload, records = upload_records(folder)
        (folder / "before-app").mkdir()
        versions = {"before": checkout(before, folder / "before-app"), "after": REPO}
        results: dict[str, list[dict]] = {name: [] for name in versions}
        load = [os.getloadavg()[0]]
        for number in range(rounds):
            for name, root in versions.items():
                work = folder / f"{name}-{number}"
                work.mkdir()
                results[name].append(review_version(root, upload, records, work, steps=steps, edits=edits))
                load.append(os.getloadavg()[0])
    return {
        "before": {"revision": before, "rounds": results["before"]},
        "after": {"revision": "working tree", "rounds": results["after"]},
        "sentences": len(records),
        "spans": sum(len(record.projected) for record in records),
        "load_average_1min": {"samples": [round(value, 2) for value in load], "cores": os.cpu_count()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="How fast the app is in Chromium.")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="cold start and next-sentence latency on Inspect")
    inspect.add_argument("--first", type=int, default=44, help="index of the sentence the timed walk starts at")
    inspect.add_argument("--last", type=int, default=51, help="index of the sentence it ends at")
    review = commands.add_parser("review", help="Next, edits and a reload in Review on a 150-sentence upload")
    review.add_argument("--before", default="847fd37", help="the commit to compare with, measured in the same run")
    review.add_argument("--rounds", type=int, default=2, help="times each version is measured, alternating")
    review.add_argument("--steps", type=int, default=15, help="timed Next steps per round")
    review.add_argument("--edits", type=int, default=10, help="timed edits of each kind per round")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(json.dumps({"error": f"Chromium not found at {CHROMIUM}"}))
        return 1
    if args.command == "inspect":
        print(json.dumps(run(args.first, args.last), indent=2))
    else:
        print(json.dumps(run_review(args.before, args.rounds, args.steps, args.edits), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
