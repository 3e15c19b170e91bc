"""The compare command: shared stages once, every projector scored, JSON written, paper rows as reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projection.cli import app
from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.pipeline.compare import compare_projectors
from projection.pipeline.config import build_config

CONLL = """Sao B-LOC
Paulo I-LOC
( O
Brasil B-LOC
) O
, O
23 O
may O
( O
EFECOM B-ORG
) O
. O

Fernando B-PER
Xavier I-PER
Ferreira I-PER
habló O
. O
"""


def test_compare_on_a_bitext_with_itself(tmp_path: Path) -> None:
    # The labelled side is the gold side: with the surface aligner every word links to itself,
    # so every method must reach F1 = 1.
    data = tmp_path / "es.conll"
    data.write_text(CONLL, encoding="utf-8")
    out = tmp_path / "compare.json"
    profile = tmp_path / "plain.yaml"
    profile.write_text("translator: parallel\nlabeller: gold\naligner: surface\npropagate: 1\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "compare", "--data", str(data), "--lang", "es", "--direction", "translate-train",
            "--source", str(data), "--source-lang", "es", "--profile", str(profile),
            "--projectors", "heuristic,ngram-greedy,ngram-exact",
            "--labels", "PER,ORG,LOC", "--no-cache", "--json", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert list(summary["methods"]) == ["heuristic", "ngram-greedy", "ngram-exact"]
    for method in summary["methods"].values():
        assert method["overall"]["f1"] == 1.0
        assert method["per_label"]["PER"]["support"] == 1
    assert [stage["step"] for stage in summary["shared_stages"]] == ["label", "align"]
    assert "reference only" in summary["paper_reference"]["note"]


def test_bad_projector_fails_before_any_stage_runs() -> None:
    config = build_config(direction="translate-test", source_lang="en", target_lang="es", profile="offline")
    gold = [Sentence("1", "es", ["Hola"], [Span(0, 1, "PER")])]
    with pytest.raises(ProjectionError, match="Unknown projector"):
        compare_projectors(gold, config, ["heuristic", "no-such-method"])
    with pytest.raises(ProjectionError, match="twice"):
        compare_projectors(gold, config, ["heuristic", "heuristic"])


def test_user_text_in_the_tables_prints_as_it_is(tmp_path: Path) -> None:
    # Into a file or pipe the tables are printed wide; the language and labels the user gave appear in them
    # and must not be read as console markup.
    data = tmp_path / "es.conll"
    data.write_text(CONLL.replace("-PER", "-PER[/]"), encoding="utf-8")
    profile = tmp_path / "plain.yaml"
    profile.write_text("translator: parallel\nlabeller: gold\naligner: surface\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "compare", "--data", str(data), "--lang", "es[/]", "--direction", "translate-train",
            "--source", str(data), "--source-lang", "es", "--profile", str(profile),
            "--projectors", "heuristic", "--no-cache",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "translate-train es[/]:" in result.output and "PER[/] F1" in result.output
