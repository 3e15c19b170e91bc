"""Projecting a user's data in the app: one run per method, the shared stages served from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.app_support.data_roots import ROOTS_ENV
from projection.app_support.runner import MissingModels, RunRequest, run_methods, with_request_priors
from projection.cache import Cache
from projection.errors import ProjectionError
from projection.example.build import read_example
from projection.pipeline.setup import RunInput, run_config


@pytest.mark.slow
def test_each_method_projects_the_same_sentences_through_one_alignment(tmp_path: Path) -> None:
    english, spanish = read_example()
    request = RunRequest(
        direction="translate-train",
        source_lang="en",
        target_lang="es",
        methods=("heuristic", "ngram-greedy"),
        profile="offline",
        labeller="gold",
    )
    cache = Cache(tmp_path)
    seen: list[float] = []
    runs = run_methods(request, english, spanish, cache=cache, progress=lambda fraction, _: seen.append(fraction))
    assert list(runs) == ["heuristic", "ngram-greedy"]
    heuristic, greedy = runs["heuristic"], runs["ngram-greedy"]
    assert [r.id for r in heuristic] == [r.id for r in greedy] == [s.id for s in spanish]
    assert all(a.alignment.links == b.alignment.links for a, b in zip(heuristic, greedy, strict=True))
    assert {r.provenance["method"] for r in greedy} == {"ngram-greedy"}
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert cache.hits > 0


def test_a_run_without_methods_is_refused() -> None:
    request = RunRequest(direction="translate-test", source_lang="en", target_lang="es", methods=())
    with pytest.raises(ProjectionError, match="at least one"):
        run_methods(request, [])


def test_a_translator_for_a_bitext_is_refused_as_on_the_command_line() -> None:
    # The bitext's own target side is what gets projected onto, so a machine translator would go unused.
    english, spanish = read_example()
    request = RunRequest(
        direction="translate-train",
        source_lang="en",
        target_lang="es",
        methods=("heuristic",),
        translator="apertium",
        labeller="gold",
    )
    with pytest.raises(ProjectionError, match="bitext"):
        run_methods(request, english, spanish)


def test_gold_sentences_with_a_target_side_are_refused() -> None:
    _, spanish = read_example()
    request = RunRequest(direction="translate-test", source_lang="en", target_lang="es", methods=("heuristic",))
    with pytest.raises(ProjectionError, match="translate-test"):
        run_methods(request, spanish, spanish)


def test_priors_are_read_inside_the_data_folders_and_only_for_eflomal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ROOTS_ENV, str(tmp_path))
    (tmp_path / "en-es").mkdir()
    run = RunInput("translate-train", "en", "es", [], [])
    config = run_config(run, profile="offline", projector="heuristic")
    with_priors = with_request_priors(config, str(tmp_path / "en-es"), Cache(tmp_path / "cache"))
    assert with_priors.stage_options("aligner")["priors"] == {
        "bitext": str(tmp_path / "en-es"),
        "src_lang": "en",
        "tgt_lang": "es",
    }
    assert with_priors.stage_options("aligner")["priors_cache"] == str(tmp_path / "cache")
    assert with_request_priors(config, None, None) is config
    with pytest.raises(ProjectionError, match="is outside the folders this app may read"):
        with_request_priors(config, "/etc", None)
    with pytest.raises(ProjectionError, match="does not exist on this machine"):
        with_request_priors(config, str(tmp_path / "missing"), None)
    surface = run_config(run, profile="offline", projector="heuristic", aligner="surface")
    with pytest.raises(ProjectionError, match="Priors are eflomal's statistics, but this profile aligns with surface"):
        with_request_priors(surface, str(tmp_path / "en-es"), None)


def test_a_profile_whose_models_are_missing_fails_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    from projection.pipeline import setup

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "empty-hub-cache"))
    monkeypatch.setattr(setup, "run_pipeline", lambda *args, **kwargs: pytest.fail("the run started"))
    english, spanish = read_example()
    request = RunRequest(
        direction="translate-train", source_lang="en", target_lang="es", methods=("heuristic",), profile="paper-small"
    )
    with pytest.raises(MissingModels, match="The profile paper-small cannot run on this machine") as caught:
        run_methods(request, english, spanish)
    assert [(m.stage, m.model) for m in caught.value.missing] == [
        ("labeller", "FacebookAI/xlm-roberta-large-finetuned-conll03-english"),
        ("aligner", "bert-base-multilingual-cased"),
    ]
    assert "Nothing was started" in str(caught.value)
