"""How long a link edit takes to keep and to read back from the corrections store, as Inspect does it.

On the built-in example's ex-11 (heuristic records), ``--edits`` times over
a fresh SQLite file store: a toggle of the Atlantic→costa link
(:func:`projection.app_support.link_edits.toggle`: the sentence's correction
read, the new one appended), then what every Inspect run reads
(:func:`~projection.app_support.link_edits.current` and
:func:`~projection.app_support.link_edits.undoable`), over a history that
grows by one row per toggle. Prints JSON (milliseconds: median, 95th
percentile, max). Run:
``PYTHONPATH=. .venv/bin/python bench/bench_link_store.py [--edits 200]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

from projection.app_support import link_edits
from projection.app_support.datasets import load_example
from projection.store import CorrectionsStore


def milliseconds(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "median": round(statistics.median(ordered) * 1000, 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200, help="link toggles")
    args = parser.parse_args()
    (example,) = [dataset for dataset in load_example() if dataset.name == "example-bitext"]
    record = example.record("es", "heuristic", "ex-11")
    assert record is not None
    toggles, reads = [], []
    with tempfile.TemporaryDirectory() as folder:
        store = CorrectionsStore(f"sqlite:///{folder}/corrections.sqlite")
        for _ in range(args.edits):
            started = time.perf_counter()
            link_edits.toggle(example, "es", record, [(15, 16)], state={}, store=store, author="bench")
            toggles.append(time.perf_counter() - started)
            started = time.perf_counter()
            link_edits.current(example, "es", record.id, store=store)
            link_edits.undoable(example, "es", record.id, store=store, author="bench")
            reads.append(time.perf_counter() - started)
        rows = len(store.link_history(example.store_key, record.id))
        store.close()
    print(
        json.dumps(
            {"edits": args.edits, "rows": rows, "toggle": milliseconds(toggles), "page_reads": milliseconds(reads)}
        )
    )


if __name__ == "__main__":
    main()
