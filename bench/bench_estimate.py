"""Do the Review page's random samples give intervals that hold the corpus's true precision and recall ~95% of the time?

CoNLL-2002 esp.testa translate-test, heuristic projection, offline profile.
Every sentence is marked reviewed in an in-memory corrections store with its
gold spans (gold stands in for the reviewers' corrections); then, ``--samples``
times, a sample of ``--size`` sentences is drawn through the store (a new seed
each time, replacing the last) and the estimate is read as the app and
``python -m projection quality`` read it. The true values are the precision
and recall of the whole corpus against gold. Prints JSON.

    PYTHONPATH=. .venv/bin/python bench/bench_estimate.py [--samples 200] [--size 100]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from projection.app_support.datasets import Dataset, group_records
from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.evaluation.estimate import sentence_counts
from projection.pipeline.compare import run_projectors
from projection.pipeline.config import command_config
from projection.pipeline.inputs import load_sentences
from projection.quality import sample_quality
from projection.store import CorrectionsStore

REPO = Path(__file__).resolve().parents[1]
ESP = REPO.parent / "shared" / "data" / "conll2002" / "esp.testa"
LABELS = ("PER", "ORG", "LOC")
METHOD = "heuristic"


def esp_dataset() -> Dataset:
    config = command_config(
        direction="translate-test", source_lang="en", target_lang="es", profile="offline", labels=LABELS
    )
    records = run_projectors(load_sentences(ESP, "es"), config, [METHOD], cache=Cache(DEFAULT_CACHE_DIR)).records()
    return Dataset(name="esp.testa", title="esp.testa", runs=group_records([(METHOD, records[METHOD])]))


def gold_reviewed_store(dataset: Dataset, lang: str) -> CorrectionsStore:
    """An in-memory store in which every sentence is reviewed, its gold spans approved."""
    store = CorrectionsStore("sqlite://")
    for record in dataset.records(lang, METHOD):
        store.mark_reviewed(
            dataset.store_key, record.id, author="gold", lang=lang, spans=record.gold or [], method=METHOD,
            text_hash=dataset.text_hash(lang, record.id), dataset_name=dataset.store_name,
        )  # fmt: skip
    return store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args()

    started = time.perf_counter()
    dataset = esp_dataset()
    lang = dataset.langs[0]
    records = {record.id: record for record in dataset.records(lang, METHOD)}
    projected_seconds = time.perf_counter() - started
    counts = sentence_counts([(r.projected, r.gold or []) for r in records.values()], LABELS)
    truth = {"precision": counts[:, 0].sum() / counts[:, 1].sum(), "recall": counts[:, 0].sum() / counts[:, 2].sum()}

    store = gold_reviewed_store(dataset, lang)
    reviews = store.reviews(dataset.store_key, lang=lang)
    sentences = [(sentence_id, dataset.text_hash(lang, sentence_id)) for sentence_id in dataset.sentence_ids(lang)]
    inside = dict.fromkeys(truth, 0)
    widths: dict[str, list[float]] = {name: [] for name in truth}
    started = time.perf_counter()
    for seed in range(args.samples):
        sample = store.draw_sample(
            dataset.store_key, lang, sentences, size=args.size, seed=seed, drawn_by="bench", replace=True
        )
        found = sample_quality(sample, records, reviews, method=METHOD, labels=LABELS, seed=seed).estimate
        assert found is not None
        for name, value in (("precision", found.precision), ("recall", found.recall)):
            assert value.low is not None and value.high is not None
            inside[name] += value.low <= truth[name] <= value.high
            widths[name].append(value.high - value.low)
    estimate_seconds = time.perf_counter() - started
    report = {
        "data": "CoNLL-2002 esp.testa, translate-test, heuristic, offline profile, labels PER ORG LOC",
        "sentences": len(records),
        "samples": args.samples,
        "sample_size": args.size,
        "true": {name: round(float(value), 4) for name, value in truth.items()},
        "coverage": {name: inside[name] / args.samples for name in inside},
        "mean_interval_width": {name: round(float(np.mean(found)), 4) for name, found in widths.items()},
        "projection_seconds": round(projected_seconds, 1),
        "seconds_per_sample": round(estimate_seconds / args.samples, 3),
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
