"""Setting up a run from named files: what they are, the direction and config they call for, refusals up front."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.example.build import read_example
from projection.pipeline.setup import RunInput, load_input, named_input, run_config, run_pipeline

EXAMPLE = Path(__file__).resolve().parents[2] / "projection" / "example"


def raw(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_the_named_files_decide_the_direction(tmp_path: Path) -> None:
    en, sw = raw(tmp_path / "a.en", "Kenya won ."), raw(tmp_path / "a.sw", "Kenya ilishinda .")
    tsv = raw(tmp_path / "pairs.tsv", "Kenya won .\tKenya ilishinda .")
    cases = {
        "bitext": named_input(src=en, tgt=sw, tgt_lang="sw"),
        "tsv": named_input(src=tsv, tgt_lang="sw"),
        "source": named_input(src=en, tgt_lang="sw"),
        "gold": named_input(gold=EXAMPLE / "example.es.conll", tgt_lang="es"),
        "records": named_input(records=raw(tmp_path / "r.jsonl", "{}")),
    }
    assert {name: (named.kind, named.direction, named.bitext) for name, named in cases.items()} == {
        "bitext": ("bitext", "translate-train", True),
        "tsv": ("bitext", "translate-train", True),
        "source": ("source", "translate-train", False),
        "gold": ("gold", "translate-test", False),
        "records": ("records", None, False),
    }
    loaded = load_input(cases["tsv"])
    assert [s.tokens for s in loaded.sentences] == [["Kenya", "won", "."]]
    assert loaded.targets is not None and [s.tokens for s in loaded.targets] == [["Kenya", "ilishinda", "."]]
    with pytest.raises(ProjectionError, match="projected records"):
        load_input(cases["records"])


def test_a_bitext_is_projected_onto_with_the_parallel_translator(tmp_path: Path) -> None:
    en, sw = raw(tmp_path / "a.en", "Kenya won ."), raw(tmp_path / "a.sw", "Kenya ilishinda .")
    assert run_config(named_input(src=en, tgt=sw, tgt_lang="sw")).translator == "parallel"
    assert run_config(named_input(src=en, tgt_lang="sw")).translator == "apertium"  # the offline profile's
    with pytest.raises(ProjectionError, match="bitext"):
        run_config(named_input(src=en, tgt=sw, tgt_lang="sw"), translator="apertium")
    test = run_config(named_input(gold=EXAMPLE / "example.es.conll", tgt_lang="es"))
    assert (test.direction, test.source_lang, test.target_lang) == ("translate-test", "en", "es")


def test_empty_and_missing_files_are_refused_by_name(tmp_path: Path) -> None:
    empty_en, empty_sw = raw(tmp_path / "e.en"), raw(tmp_path / "e.sw", "", "  ")
    with pytest.raises(ProjectionError, match=rf"No sentences to read: {empty_en} and {empty_sw} are empty"):
        named_input(src=empty_en, tgt=empty_sw, tgt_lang="sw")
    with pytest.raises(ProjectionError, match=rf"File not found: {tmp_path / 'absent.en'}"):
        named_input(src=tmp_path / "absent.en", tgt=empty_sw, tgt_lang="sw")
    with pytest.raises(ProjectionError, match="Name one input"):
        named_input(src=empty_en, gold=empty_sw)
    with pytest.raises(ProjectionError, match="give its source side"):
        named_input(tgt=empty_sw, records=empty_en)


def test_the_input_and_the_config_agree_on_the_direction() -> None:
    english, spanish = read_example()
    run = RunInput("translate-train", "en", "es", english, spanish)
    config = run_config(run, labeller="gold", aligner="surface", propagate=0)
    result = run_pipeline(run, config)
    assert [record.id for record in result.records] == [sentence.id for sentence in spanish]
    with pytest.raises(ProjectionError, match="translate-test"):
        run_pipeline(RunInput("translate-test", "en", "es", spanish), config)
    with pytest.raises(ProjectionError, match="takes no targets"):
        RunInput("translate-test", "en", "es", spanish, spanish)
