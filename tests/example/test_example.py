"""The built-in example: its hand-written sentences and the precomputed results tracked in cache/example."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from projection.aligners.comparison import EFLOMAL_VIEWS, read_comparison
from projection.app_support.datasets import EXAMPLE_DIR, MANIFEST, load_example
from projection.cache import Cache
from projection.example import ID_PREFIX
from projection.example.build import build_example, read_example


def test_both_sides_hold_the_same_sentences_with_the_same_entities() -> None:
    english, spanish = read_example()
    assert len(english) == len(spanish) >= 50
    assert [s.id for s in spanish] == [f"{ID_PREFIX}-{k}" for k in range(len(spanish))]
    for en, es in zip(english, spanish, strict=True):
        assert Counter(s.label for s in en.spans) == Counter(s.label for s in es.spans), es.id
    labels = Counter(span.label for sentence in spanish for span in sentence.spans)
    assert set(labels) == {"PER", "ORG", "LOC", "DATE"} and min(labels.values()) >= 20
    assert max(len(s.tokens) for s in spanish) >= 50, "the latency benchmark needs a 50-token sentence"


def test_the_tracked_results_match_the_sentences_and_stay_small() -> None:
    _, spanish = read_example()
    size = sum(path.stat().st_size for path in EXAMPLE_DIR.rglob("*") if path.is_file())
    assert size < 500_000
    manifest = json.loads((EXAMPLE_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert {entry["name"] for entry in manifest["datasets"]} == {"example-bitext", "example-apertium"}
    for dataset in load_example():
        for method in dataset.methods("es"):
            for record, sentence in zip(dataset.records("es", method), spanish, strict=True):
                assert record.target.tokens == sentence.tokens
                assert [s.key for s in record.gold or []] == [s.key for s in sentence.spans]
                assert record.provenance["method"] == method
                assert all(span.end <= len(sentence.tokens) for span in record.projected)


def test_the_tracked_aligner_comparison_has_every_view_and_the_records_links() -> None:
    manifest = json.loads((EXAMPLE_DIR / MANIFEST).read_text(encoding="utf-8"))
    datasets = {dataset.name: dataset for dataset in load_example()}
    for entry in manifest["datasets"]:
        compared = read_comparison(EXAMPLE_DIR / entry["aligners"])
        dataset = datasets[entry["name"]]
        assert list(compared) == dataset.sentence_ids("es")
        assert set(entry["aligners_skipped"]) <= {
            "simalign:bert-base-multilingual-cased",
            "awesome:bert-base-multilingual-cased",
        }
        for method in dataset.methods("es"):
            for record in dataset.records("es", method):
                pair = compared[record.id]
                assert list(pair.alignments)[:5] == [f"eflomal:{view}" for view in EFLOMAL_VIEWS]
                assert "surface" in pair.alignments
                assert pair.voters[0] == "eflomal:grow-diag-final-and"
                assert record.alignment.links == pair.alignments["eflomal:grow-diag-final-and"].links, (
                    method,
                    record.id,
                )
                forward = set(pair.alignments["eflomal:forward"].links)
                reverse = set(pair.alignments["eflomal:reverse"].links)
                assert set(pair.alignments["eflomal:intersection"].links) == forward & reverse


@pytest.mark.slow
def test_build_writes_a_manifest_and_records_that_load(tmp_path: Path) -> None:
    manifest = build_example(tmp_path, methods=["heuristic", "no-such-method"], cache=Cache(tmp_path / "cache"))
    names = [entry["name"] for entry in manifest["datasets"]]
    assert "example-bitext" in names
    assert "no-such-method" in manifest["skipped"]["example-bitext"]
    (bitext,) = [d for d in load_example(tmp_path) if d.name == "example-bitext"]
    assert bitext.methods("es") == ["heuristic"] and len(bitext.sentence_ids("es")) == len(read_example()[1])
    compared = read_comparison(tmp_path / manifest["datasets"][0]["aligners"])
    for record in bitext.records("es", "heuristic"):
        assert record.alignment.links == compared[record.id].alignments["eflomal:grow-diag-final-and"].links
