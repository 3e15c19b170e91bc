"""Agreement check: two simulated reviewers on the built-in example, the kappa the Team page shows against a hand count.

The first reviewer's spans are the example's gold spans; the second's are the
same with the labels of 10% of them (drawn with a fixed seed) changed to the
next label of PER, ORG, LOC, DATE. Both are written into a fresh corrections
store as review marks; the app (through Streamlit's AppTest) opens the Team
page's Agreement view; the kappa it shows is compared with Cohen's kappa
counted here by hand from the two label sequences (one label per token, O
outside spans). Prints JSON. Run:
``PYTHONPATH=. .venv/bin/python bench/bench_agreement.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

from streamlit.testing.v1 import AppTest

from projection.app_support.datasets import load_example
from projection.data import Span
from projection.store import CorrectionsStore

REPO = Path(__file__).resolve().parents[1]
LABELS = ("PER", "ORG", "LOC", "DATE")


def token_labels(spans: list[Span], n_tokens: int) -> list[str]:
    labels = ["O"] * n_tokens
    for span in spans:
        for index in range(span.start, span.end):
            labels[index] = span.label
    return labels


def hand_kappa(first: list[str], second: list[str]) -> dict:
    """Cohen's kappa with its parts: observed agreement, the chance agreement of the two label distributions."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_first, counts_second = Counter(first), Counter(second)
    chance = sum(counts_first[label] * counts_second[label] for label in set(first) | set(second)) / (n * n)
    return {"observed": observed, "chance": chance, "kappa": (observed - chance) / (1 - chance)}


def run(share: float, seed: int) -> dict:
    (dataset,) = [d for d in load_example() if d.name == "example-bitext"]
    ids = dataset.sentence_ids("es")
    spans = [
        (sentence_id, index)
        for sentence_id in ids
        for index, _ in enumerate(dataset.record("es", "heuristic", sentence_id).gold or [])
    ]
    flipped = set(random.Random(seed).sample(spans, round(share * len(spans))))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'corrections.sqlite'}"
        os.environ.update({"PROJECTION_CORRECTIONS_URL": url, "PROJECTION_WORKSPACE": str(Path(folder) / "workspace")})
        store = CorrectionsStore(url)
        first_labels: list[str] = []
        second_labels: list[str] = []
        for sentence_id in ids:
            record = dataset.record("es", "heuristic", sentence_id)
            first = list(record.gold or [])
            second = [
                Span(span.start, span.end, LABELS[(LABELS.index(span.label) + 1) % len(LABELS)])
                if (sentence_id, index) in flipped
                else span
                for index, span in enumerate(first)
            ]
            where = {"lang": "es", "text_hash": dataset.text_hash("es", sentence_id), "dataset_name": "example"}
            store.mark_reviewed(dataset.store_key, sentence_id, author="first", spans=first, **where)
            store.mark_reviewed(dataset.store_key, sentence_id, author="second", spans=second, **where)
            first_labels += token_labels(first, len(record.target.tokens))
            second_labels += token_labels(second, len(record.target.tokens))
        store.close()
        app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        app.run()
        app.switch_page("pages/team.py").run()
        app.button_group(key="team_view").set_value("agreement").run()
        (shown,) = app.dataframe[0].value.to_dict("records")
    by_hand = hand_kappa(first_labels, second_labels)
    return {
        "sentences": len(ids),
        "spans": len(spans),
        "flipped": len(flipped),
        "tokens": len(first_labels),
        "by_hand": {key: round(value, 6) for key, value in by_hand.items()},
        "span_f1_by_hand": round((len(spans) - len(flipped)) / len(spans), 6),
        "agreement_view": {
            "reviewers": shown["reviewers"],
            "sentences": int(shown["sentences"]),
            "tokens": int(shown["tokens"]),
            "span F1": round(float(shown["span F1"]), 6),
            "kappa": round(float(shown["kappa"]), 6),
        },
        "same": abs(float(shown["kappa"]) - by_hand["kappa"]) < 1e-9,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The Agreement view's kappa against a hand count.")
    parser.add_argument("--share", type=float, default=0.1, help="share of the first reviewer's spans relabelled")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    result = run(args.share, args.seed)
    print(json.dumps(result, indent=2))
    return 0 if result["same"] else 1


if __name__ == "__main__":
    sys.exit(main())
