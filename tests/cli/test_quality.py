"""``projection quality`` on projected records and a store whose random sample is partly reviewed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projection.app_support.datasets import Dataset, load_example
from projection.cli import app
from projection.store import CorrectionsStore
from projection.writers.jsonl import write_jsonl

METHODS = ("heuristic", "ngram-greedy")


@pytest.fixture
def example() -> Dataset:
    (found,) = [d for d in load_example() if d.name == "example-bitext"]
    return found


@pytest.fixture
def records(example: Dataset, tmp_path: Path) -> Path:
    """The example's records of two methods, one file each, as `project` writes them."""
    folder = tmp_path / "run"
    for method in METHODS:
        write_jsonl(example.records("es", method), folder / f"{method}.jsonl")
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["quality", *args])
    return result.exit_code, result.output


def draw(store: CorrectionsStore, example: Dataset, size: int = 12):
    sentences = [(sid, example.text_hash("es", sid)) for sid in example.sentence_ids("es")]
    return store.draw_sample(example.store_key, "es", sentences, size=size, seed=2, drawn_by="ana",
                             dataset_name=example.store_name)  # fmt: skip


def test_the_estimate_scores_each_method_against_the_reviewed_sample(
    example: Dataset, records: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    store = CorrectionsStore(url)
    sample = draw(store, example)
    first, second = sample.sentence_ids[:2]
    projected = {sid: example.record("es", "heuristic", sid).projected for sid in (first, second)}
    where = {"lang": "es", "method": "heuristic", "dataset_name": "example"}
    store.mark_reviewed(example.store_key, first, author="ana", spans=projected[first],
                        text_hash=example.text_hash("es", first), **where)  # fmt: skip
    store.save(example.store_key, second, projected[second], [], author="ana", action="reject",
               text_hash=example.text_hash("es", second), **where)  # fmt: skip
    store.mark_reviewed(example.store_key, second, author="ana", spans=[],
                        text_hash=example.text_hash("es", second), **where)  # fmt: skip
    store.close()

    code, output = run("--records", str(records), "--dataset", "example", "--store", url,
                       "--out", str(tmp_path / "q.json"))  # fmt: skip
    assert code == 0, output
    assert "Random sample of example: 12 of 52 sentences in es (seed 2, drawn by ana" in output
    for method in METHODS:
        assert method in output and "2 of 12" in output
    report = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    assert report["sample"]["size"] == 12 and report["lang"] == "es"
    (heuristic,) = [m for m in report["methods"] if m["method"] == "heuristic"]
    precision, recall = heuristic["estimate"]["precision"], heuristic["estimate"]["recall"]
    labels = set(report["labels"] or [s.label for spans in projected.values() for s in spans])
    counted = {sid: [s for s in spans if s.label in labels] for sid, spans in projected.items()}
    assert (precision["numerator"], precision["denominator"]) == (
        len(counted[first]),
        len(counted[first]) + len(counted[second]),
    )
    assert (recall["numerator"], recall["denominator"]) == (len(counted[first]), len(counted[first]))
    assert precision["low"] <= precision["value"] <= precision["high"]

    code, by_key = run("--records", str(records), "--dataset", example.store_key, "--store", url,
                       "--method", "ngram-greedy")  # fmt: skip
    assert code == 0 and "ngram-greedy" in by_key and "heuristic" not in by_key


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ("nothing", "knows no data set 'example'"),
        ("marked", "has no random sample yet: draw one on the app's Review page"),
        ("drawn", "None of the 12 sentences of the random sample of 'example' in 'es' is reviewed yet"),
    ],
)
def test_without_a_sample_or_a_review_the_command_says_what_to_do(
    stage: str, message: str, example: Dataset, records: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    store = CorrectionsStore(url)
    if stage != "nothing":
        store.mark_reviewed(example.store_key, "ex-0", author="ana", lang="es", dataset_name="example",
                            text_hash=example.text_hash("es", "ex-0"))  # fmt: skip
    if stage == "drawn":
        sample = draw(store, example)
        assert "ex-0" not in sample.sentence_ids  # a review outside the sample does not count
    store.close()
    code, output = run("--records", str(records), "--dataset", "example", "--store", url)
    assert code == 1 and output.startswith("Error: ") and "Traceback" not in output
    assert message in " ".join(output.split())
