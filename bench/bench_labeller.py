"""Source labellers alone against gold English: the small spaCy model, our own CoNLL model, and their ensembles.

Scores each labeller on the gold tokens (no translation, no alignment) of a
CoNLL file, PER/ORG/LOC, and prints JSON with seqeval P/R/F1 overall and per
label and the seconds spent labelling. Choose on dev (the default), score
test once:

    PYTHONPATH=. python bench/bench_labeller.py [--data ../shared/data/conll2003_en/dev.txt] [--model DIR]

``--model`` is a trained model directory (default: the current one in
``cache/models``, see ``projection train-labeller``).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from projection.errors import ProjectionError
from projection.evaluation import evaluate
from projection.labellers import Labeller
from projection.labellers.ensemble import RULES, EnsembleLabeller
from projection.labellers.spacy_labeller import DEFAULT_MODEL, SpacyLabeller
from projection.labellers.trained_models import DEFAULT_MODELS_DIR, current_model
from projection.readers import read_sentences

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "conll2003_en" / "dev.txt"
LABELS = ["PER", "ORG", "LOC"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--base", default=DEFAULT_MODEL)
    parser.add_argument("--model", type=Path, default=None, help="trained model directory")
    args = parser.parse_args()
    trained = args.model or current_model(DEFAULT_MODELS_DIR, "en")
    if trained is None:
        raise ProjectionError("No trained English model: run `python -m projection train-labeller` first.")
    gold = read_sentences(args.data, "en")
    labellers: dict[str, Labeller] = {
        "sm": SpacyLabeller(args.base),
        "sm (no parser)": SpacyLabeller(args.base, sentence_boundaries=False),
        "own": SpacyLabeller(str(trained)),
    }
    for rule in RULES:
        labellers[f"ensemble {rule}"] = EnsembleLabeller(args.base, rule=rule, trained_model=str(trained))
    results = {"data": str(args.data), "model": str(trained), "n_sentences": len(gold)}
    for name, labeller in labellers.items():
        labeller.label(gold[:5])  # load the models before timing
        started = time.perf_counter()
        predicted = labeller.label(gold)
        seconds = time.perf_counter() - started
        metrics = evaluate([s.spans for s in gold], predicted, [len(s.tokens) for s in gold], labels=LABELS)
        results[name] = {**metrics.to_dict(), "seconds": round(seconds, 2)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
