"""The pipeline end to end on real data, and the chunked, cached step runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from projection.cache import Cache
from projection.data import Sentence
from projection.errors import ProjectionError
from projection.pipeline import build_config, run_steps, translate_test, translate_train
from projection.pipeline.inputs import load_bitext
from projection.pipeline.scoring import score_records
from projection.pipeline.steps import Step
from projection.readers import read_sentences

needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")


@pytest.fixture(scope="module")
def spanish_gold(shared_data: Path) -> list[Sentence]:
    return read_sentences(shared_data / "conll2002" / "esp.testa", "es")[:150]


@needs_apertium
def test_translate_test_projects_back_onto_the_gold_tokens_and_reruns_from_cache(
    spanish_gold: list[Sentence], tmp_path: Path
) -> None:
    config = build_config(direction="translate-test", source_lang="en", target_lang="es", profile="offline")
    first = translate_test(spanish_gold, config, cache=Cache(tmp_path))
    assert [r.target.tokens for r in first.records] == [s.tokens for s in spanish_gold]
    assert [r.gold for r in first.records] == [s.spans for s in spanish_gold]
    assert all(r.source.tokens for r in first.records), "every sentence gets an English translation"
    assert first.records[0].provenance["stages"]["translate"]["name"] == "apertium"
    scores = score_records(first.records, labels=["PER", "ORG", "LOC"])
    assert scores.metrics.f1 > 0.35, "projection of English NER back onto Spanish finds a good part of the entities"

    cache = Cache(tmp_path)
    again = translate_test(spanish_gold, config, cache=cache)
    assert cache.misses == 0 and all(timing.cached for timing in again.timings)
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in first.records]


def test_translate_train_on_a_real_bitext_projects_names_onto_swahili(shared_data: Path, tmp_path: Path) -> None:
    pair = shared_data / "mafand" / "en-swa"
    sources, targets = load_bitext(pair / "dev.en", pair / "dev.swa", "en", "swa")
    config = build_config(
        direction="translate-train", source_lang="en", target_lang="swa", profile="offline", translator="parallel"
    )
    result = translate_train(sources[:400], config, targets[:400], cache=Cache(tmp_path))
    projected = [(r, span) for r in result.records for span in r.projected]
    assert len(projected) > 100
    copied = sum(
        1
        for record, span in projected
        if " ".join(record.target.tokens[span.start : span.end]) in " ".join(record.source.tokens)
    )
    assert copied / len(projected) > 0.5, "names are mostly written alike in English and Swahili"
    assert all(r.gold is None for r in result.records)


def test_unequal_bitext_sides_are_a_user_error() -> None:
    config = build_config(direction="translate-train", source_lang="en", target_lang="sw", labeller="gold")
    with pytest.raises(ProjectionError, match="1 source vs 2 target"):
        translate_train([Sentence("a", "en", ["Hi"])], config, [Sentence("a", "sw", ["x"]), Sentence("b", "sw", ["y"])])


def test_empty_sentences_are_reported_by_id() -> None:
    config = build_config(direction="translate-test", source_lang="en", target_lang="es", translator="file:x")
    with pytest.raises(ProjectionError, match="s2"):
        translate_test([Sentence("s1", "es", ["Hola"]), Sentence("s2", "es", [])], config)


def test_an_interrupted_run_resumes_from_the_chunks_already_done(tmp_path: Path) -> None:
    seen: list[list[int]] = []
    fail_on = {3}

    def double(batch: dict[str, list]) -> dict[str, list]:
        seen.append(list(batch["x"]))
        if fail_on & set(batch["x"]):
            raise RuntimeError("interrupted")
        return {"y": [2 * x for x in batch["x"]]}

    step = Step("double", ("x",), ("y",), double, {"kind": "test"})
    batch = {"id": list("abcde"), "x": [0, 1, 2, 3, 4]}
    with pytest.raises(RuntimeError):
        run_steps(batch, [step], cache=Cache(tmp_path), chunk_size=2)
    fail_on.clear()
    seen.clear()
    done, timings = run_steps(batch, [step], cache=Cache(tmp_path), chunk_size=2)
    assert done["y"] == [0, 2, 4, 6, 8]
    assert seen == [[2, 3], [4]], "the first chunk came from the cache"
    assert not timings[0].cached


def test_corpus_level_steps_see_the_whole_batch(tmp_path: Path) -> None:
    sizes: list[int] = []

    def count(batch: dict[str, list]) -> dict[str, list]:
        sizes.append(len(batch["x"]))
        return {"n": [len(batch["x"])] * len(batch["x"])}

    step = Step("count", ("x",), ("n",), count, {"kind": "test"}, corpus_level=True)
    done, _ = run_steps({"x": list(range(7))}, [step], chunk_size=2)
    assert sizes == [7] and done["n"] == [7] * 7
