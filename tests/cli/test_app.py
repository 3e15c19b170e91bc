"""What every command does with a user's mistake: one paragraph naming what is wrong, exit status 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from projection.cli import app
from projection.errors import ProjectionError

EXAMPLE = Path(__file__).resolve().parents[2] / "projection" / "example"


def mistakes(missing: Path, out: Path) -> dict[str, list[str]]:
    """For each command, a run whose input file does not exist."""
    return {
        "project": ["--src", str(missing), "--src-lang", "en", "--tgt-lang", "sw", "--out", str(out), "--no-cache"],
        "evaluate": ["--data", str(missing), "--lang", "es", "--no-cache"],
        "compare": ["--data", str(missing), "--lang", "es", "--no-cache"],
        "export": ["--src", str(missing), "--tgt-lang", "sw", "--out", str(out), "--no-cache"],
        "triage": ["--data", str(missing), "--lang", "es", "--out", str(out), "--no-cache"],
        "train-eval": ["--tgt-lang", "sw", "--test", str(missing), "--bitext", str(missing), "--out", str(out),
                       "--no-cache"],
        "report": ["--runs", str(missing), "--out", str(out)],
        "train-labeller": ["--train", str(missing), "--dev", str(missing)],
        "quality": ["--records", str(missing), "--dataset", "example"],
    }  # fmt: skip


def test_every_command_is_listed() -> None:
    assert set(mistakes(Path("x"), Path("y"))) == set(typer.main.get_command(app).commands)


@pytest.mark.parametrize("command", sorted(mistakes(Path("x"), Path("y"))))
def test_a_missing_input_is_one_paragraph_in_every_command(command: str, tmp_path: Path) -> None:
    # The path holds Rich markup, which must print as it is.
    missing = tmp_path / "no[/]such[bold].conll"
    result = CliRunner().invoke(app, [command, *mistakes(missing, tmp_path / "out.jsonl")[command]])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, ProjectionError), "the error reached the caller instead of the user"
    message = result.output.strip()
    assert message.startswith("Error: ") and str(missing) in "".join(message.split())
    assert "\n\n" not in message and "Traceback" not in message


def test_a_cache_folder_that_is_a_file_is_one_paragraph(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache"
    cache_file.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "project", "--src", str(EXAMPLE / "example.en.conll"), "--tgt", str(EXAMPLE / "example.es.conll"),
            "--src-lang", "en", "--tgt-lang", "es", "--labeller", "gold", "--aligner", "surface",
            "--out", str(tmp_path / "out.conll"), "--cache-dir", str(cache_file),
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, OSError), "the error reached the caller instead of the user"
    message = result.output[result.output.index("Error: ") :].strip()
    assert str(cache_file) in "".join(message.split()) and "\n\n" not in message and "Traceback" not in message
    assert cache_file.read_text(encoding="utf-8") == "not a folder" and not (tmp_path / "out.conll").exists()
