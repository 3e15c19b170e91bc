"""``projection evaluate``: the options that name the input must agree with the direction."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from projection.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "projection" / "example"


def test_a_source_side_in_translate_test_is_refused_not_ignored(tmp_path: Path) -> None:
    en, es = str(EXAMPLE / "example.en.conll"), str(EXAMPLE / "example.es.conll")
    for command in ("evaluate", "compare"):
        result = CliRunner().invoke(app, [command, "--data", es, "--lang", "es", "--source", en, "--no-cache"])
        assert result.exit_code == 1, result.output
        assert "--source is the labelled side of a translate-train run" in " ".join(result.output.split())
