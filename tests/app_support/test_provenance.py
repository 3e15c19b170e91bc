"""Captions saying where each side of a record came from."""

from __future__ import annotations

from projection.app_support.provenance import describe_sides
from projection.data import Alignment, ProjectionRecord, Sentence


def record(direction: str, translator: str, labeller: str) -> ProjectionRecord:
    stages = {"translate": {"name": translator}, "label": {"name": labeller}, "align": {"name": "eflomal"}}
    return ProjectionRecord(
        "a",
        Sentence("a", "en", ["x"]),
        Sentence("a", "es", ["y"]),
        Alignment(),
        provenance={"direction": direction, "stages": stages},
    )


def test_translate_test_names_the_source_as_the_translation() -> None:
    sides = describe_sides(record("translate-test", "apertium", "spacy"))
    assert sides.source == "Source · en · Apertium translation of the target · entities by spacy"
    assert sides.target == "Target · es · original sentence, projected spans"
    assert sides.pipeline == "translate-test · translator apertium · aligner eflomal"


def test_translate_train_on_a_bitext_names_the_target_as_the_human_translation() -> None:
    sides = describe_sides(record("translate-train", "parallel", "gold"))
    assert sides.source == "Source · en · original · gold entities"
    assert sides.target == "Target · es · human translation, projected spans"


def test_records_without_provenance_still_get_captions() -> None:
    bare = ProjectionRecord("a", Sentence("a", "en", ["x"]), Sentence("a", "es", ["y"]), Alignment())
    assert describe_sides(bare).source.startswith("Source · en")
