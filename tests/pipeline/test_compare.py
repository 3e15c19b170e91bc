"""Committee runs: a marker method's report adds up over chunks, and a costly projector is served from the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from marker_doubles import example

from projection.cache import Cache
from projection.data import Alignment, Sentence, Span, spans_to_dicts
from projection.pipeline.compare import marker_report, run_projectors
from projection.pipeline.config import build_config
from projection.pipeline.run import run_steps
from projection.pipeline.steps import project_step
from projection.projectors.backtranslation import BacktranslationProjector


def project_batch(sources: list[Sentence], targets: list[Sentence]) -> dict[str, list]:
    return {
        "id": [s.id for s in sources],
        "src_tokens": [s.tokens for s in sources],
        "src_spans": [spans_to_dicts(s.spans) for s in sources],
        "tgt_tokens": [t.tokens for t in targets],
        "alignment": [Alignment().to_dict() for _ in sources],
    }


def test_the_marker_report_covers_every_chunk_and_comes_back_from_the_cache(tmp_path: Path) -> None:
    sources, targets, translator = example()
    projector = BacktranslationProjector("ngram-exact", translator=translator, aligner="surface")
    step = project_step(projector, source_lang="en", target_lang="es")
    cache = Cache(tmp_path)
    first, _ = run_steps(project_batch(sources, targets), [step], cache=cache, chunk_size=1)
    # the projector itself only saw the last chunk
    assert projector.last_report is not None and projector.last_report.entities == 1
    report = marker_report(first["markers"])
    assert report is not None
    assert (report["sentences"], report["entities"], report["lost"]) == (2, 4, 1)
    assert report["lost_sentence_ids"] == ["s2"]
    calls = translator.calls
    again, _ = run_steps(project_batch(sources, targets), [step], cache=cache, chunk_size=1)
    assert translator.calls == calls
    assert marker_report(again["markers"]) == report
    assert again["projected_spans"] == first["projected_spans"]


def test_a_projector_without_markers_has_no_report() -> None:
    assert marker_report([None, None]) is None


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_back_translation_in_a_committee_is_the_same_on_a_second_run(tmp_path: Path) -> None:
    # eflomal (the back-translation's aligner) seeds itself at random: only the cache makes a rerun repeat.
    english = [
        Sentence(f"s{k}", "en", ["Maria", "lives", "in", "Paris", "with", "John", "."], [Span(0, 1, "PER")])
        for k in range(12)
    ]
    for sentence in english:
        sentence.spans = [Span(0, 1, "PER"), Span(3, 4, "LOC"), Span(5, 6, "PER")]
    spanish = [Sentence(s.id, "es", ["María", "vive", "en", "París", "con", "John", "."]) for s in english]
    config = build_config(
        direction="translate-train", source_lang="en", target_lang="es", translator="parallel", labeller="gold",
        aligner="surface", projector="heuristic", propagate=0,
    )  # fmt: skip
    cache = Cache(tmp_path)
    first = run_projectors(english, config, ["heuristic", "backtranslation"], targets=spanish, cache=cache)
    hits = cache.hits
    second = run_projectors(english, config, ["heuristic", "backtranslation"], targets=spanish, cache=cache)
    assert cache.hits > hits
    assert second.records()["backtranslation"] == first.records()["backtranslation"]
    (run,) = [run for run in second.runs if run.spec == "backtranslation"]
    assert run.marker_report is not None and run.marker_report["entities"] == 36
