"""How fast the Errors page shows the gold-free ranking, driven through Streamlit's AppTest, printed as JSON.

Two data sets without gold: the built-in example (bitext, 52 sentences, 8
methods) and the first ``--pairs`` pairs of MAFAND en-swa dev projected with
the offline profile by heuristic, ngram-greedy and ngram-exact (the shared
stages come from the stage cache after the first run). Each session opens
on the Errors page; a first measurement on five sentences loads the
modules and is not reported. For each, with a cache folder of its own:

- ``compute_s``: the Errors page's first run in a new session, nothing
  cached: the ranking is computed (committee, support, consistency; no
  corpus model) and stored;
- ``new_session_s``: the page's first run in another new session: the
  ranking is read from the cache (hashing the records to find it);
- ``rerun_s``: the median of 5 reruns in that session (the ranking is kept
  in the session), e.g. after moving a filter.

Times are the script runs on the server (AppTest), not the browser's drawing.

    .venv/bin/python bench/bench_triage_app.py [--pairs 1000]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from app_pages import give_datasets  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from projection.app_support import suspicion_view  # noqa: E402
from projection.app_support.datasets import Dataset, group_records, load_example  # noqa: E402
from projection.data import ProjectionRecord  # noqa: E402

MAFAND = REPO.parent / "shared" / "data" / "mafand" / "en-swa"
METHODS = ("heuristic", "ngram-greedy", "ngram-exact")


def without_gold(name: str, records: list[ProjectionRecord]) -> Dataset:
    records = copy.deepcopy(records)
    for record in records:
        record.gold = None
    return Dataset(name=name, title=name, runs=group_records([(name, records)]))


def example() -> Dataset:
    (found,) = [d for d in load_example() if d.name == "example-bitext"]
    return without_gold("example", [r for m in found.methods("es") for r in found.records("es", m)])


def mafand(pairs: int, folder: Path) -> Dataset:
    """The first ``pairs`` of MAFAND en-swa dev, projected by :data:`METHODS` with the offline profile."""
    from projection.app_support.runner import RunRequest, run_methods
    from projection.cache import DEFAULT_CACHE_DIR, Cache
    from projection.pipeline.inputs import load_bitext

    for side in ("en", "swa"):
        lines = (MAFAND / f"dev.{side}").read_text("utf-8").splitlines()[:pairs]
        (folder / f"dev.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources, targets = load_bitext(folder / "dev.en", folder / "dev.swa", "en", "sw")
    request = RunRequest("translate-train", "en", "sw", METHODS, profile="offline")
    runs = run_methods(request, sources, targets, cache=Cache(DEFAULT_CACHE_DIR))
    return without_gold(f"mafand-en-swa-{pairs}", [r for records in runs.values() for r in records])


def errors_run(dataset: Dataset) -> tuple[AppTest, float]:
    """A new session whose first page is Errors (as a link to it opens), and the time of that first run."""
    app = AppTest.from_file(str(REPO / "pages" / "errors.py"), default_timeout=600)
    give_datasets(app, [dataset])
    start = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - start
    assert not app.exception, [e.message for e in app.exception]
    assert any(b.key and b.key.startswith("sus_inspect_") for b in app.button), "the ranked list is not shown"
    return app, elapsed


def measure(dataset: Dataset, cache: Path) -> dict:
    suspicion_view.DEFAULT_CACHE_DIR = cache
    _, compute = errors_run(dataset)
    app, new_session = errors_run(dataset)
    reruns = []
    for _ in range(5):
        start = time.perf_counter()
        app.run()
        reruns.append(time.perf_counter() - start)
    lang = dataset.langs[0]
    return {
        "data": dataset.name,
        "sentences": dataset.n_sentences(lang),
        "methods": len(dataset.methods(lang)),
        "compute_s": round(compute, 3),
        "new_session_s": round(new_session, 3),
        "rerun_s": round(statistics.median(reruns), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="How fast the Errors page shows the gold-free ranking.")
    parser.add_argument("--pairs", type=int, default=1000, help="MAFAND en-swa dev pairs to project and rank")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["PROJECTION_CORRECTIONS_URL"] = f"sqlite:///{folder / 'corrections.sqlite'}"
        os.environ["PROJECTION_WORKSPACE"] = str(folder / "workspace")
        warm_up = example()
        warm_up.runs = {
            lang: {m: records[:5] for m, records in methods.items()} for lang, methods in warm_up.runs.items()
        }
        measure(Dataset(name="warm-up", title="warm-up", runs=warm_up.runs), folder / "cache-warm-up")  # imports
        datasets = [example()]
        if MAFAND.is_dir():
            datasets.append(mafand(args.pairs, folder))
        results = [measure(dataset, folder / f"cache-{n}") for n, dataset in enumerate(datasets)]
    print(json.dumps({"load_average": os.getloadavg()[0], "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
