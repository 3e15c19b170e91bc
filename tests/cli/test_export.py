"""``projection export`` refuses what ``project`` refuses, with the same message, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from projection.cli import app


@pytest.mark.parametrize("empty_lines", [0, 3])
def test_an_empty_bitext_is_refused_alike_by_project_and_export(tmp_path: Path, empty_lines: int) -> None:
    src, tgt = tmp_path / "e.en", tmp_path / "e.sw"
    src.write_text("\n" * empty_lines, encoding="utf-8")
    tgt.write_text("\n" * empty_lines, encoding="utf-8")
    out = tmp_path / "out.conll"
    messages = []
    for command in ("project", "export"):
        result = CliRunner().invoke(
            app,
            [command, "--src", str(src), "--tgt", str(tgt), "--src-lang", "en", "--tgt-lang", "sw",
             "--out", str(out), "--no-cache"],
        )  # fmt: skip
        assert result.exit_code == 1 and not out.exists(), (command, result.output)
        messages.append(" ".join(result.output.split()))
    assert messages[0] == messages[1] == f"Error: No sentences to read: {src} and {tgt} are empty."
