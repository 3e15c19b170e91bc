"""``projection project``: what the named files are decides the run, and the output comes with its companions."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from projection.cli import app
from projection.example.build import read_example
from projection.readers import read_sentences
from projection.readers.label_studio import read_label_studio

EXAMPLE = Path(__file__).resolve().parents[2] / "projection" / "example"


def test_a_tsv_is_a_bitext_as_in_export(tmp_path: Path) -> None:
    english, spanish = read_example()
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(
        "".join(f"{' '.join(en.tokens)}\t{' '.join(es.tokens)}\n" for en, es in zip(english, spanish, strict=True)),
        encoding="utf-8",
    )
    out = tmp_path / "silver.conll"
    result = CliRunner().invoke(
        app,
        ["project", "--src", str(tsv), "--src-lang", "en", "--tgt-lang", "es", "--out", str(out), "--no-cache"],
    )
    assert result.exit_code == 0, result.output
    silver = read_sentences(out, "es")
    assert [s.tokens for s in silver] == [s.tokens for s in spanish]  # the TSV's second column, not a translation
    assert sum(len(s.spans) for s in silver) > 52


def test_label_studio_output_comes_with_its_labelling_config(tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    result = CliRunner().invoke(
        app,
        [
            "project", "--src", str(EXAMPLE / "example.en.conll"), "--tgt", str(EXAMPLE / "example.es.conll"),
            "--src-lang", "en", "--tgt-lang", "es", "--labeller", "gold", "--aligner", "surface",
            "--labels", "PER,ORG,LOC", "--out", str(out), "--format", "label-studio", "--no-cache",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    config = (tmp_path / "tasks.label_config.xml").read_text(encoding="utf-8")
    assert [f'<Label value="{label}"/>' in config for label in ("PER", "ORG", "LOC", "DATE")] == [1, 1, 1, 0]
    assert len(read_label_studio(out, "es")) == 52
    assert "tasks.label_config.xml" in "".join(result.output.split())
