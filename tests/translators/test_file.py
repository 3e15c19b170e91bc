"""Precomputed translations read from a file, one per line, for the whole input."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.translators import translators
from projection.translators.file import FileTranslator

TRANSLATIONS = ["The president arrived in Madrid .", "Telefónica set a world record .", "- ", "Goodbye"]


@pytest.fixture
def translation_file(tmp_path: Path) -> Path:
    path = tmp_path / "translations.en"
    path.write_text("\n".join(TRANSLATIONS) + "\n", encoding="utf-8")
    return path


def test_lines_are_the_translations_in_order(translation_file: Path) -> None:
    translator = translators.create(f"file:{translation_file}", src_lang="es", tgt_lang="en")
    assert isinstance(translator, FileTranslator)
    assert translator.translate(["a", "b", "c", "d"]) == TRANSLATIONS


def test_too_few_lines_names_both_counts(translation_file: Path) -> None:
    translator = FileTranslator(translation_file, src_lang="es", tgt_lang="en")
    with pytest.raises(ProjectionError, match=r"translations\.en has 4 lines but the input has 6 sentences"):
        translator.translate(["a", "b", "c", "d", "e", "f"])


def test_too_many_lines_names_both_counts(translation_file: Path) -> None:
    translator = FileTranslator(translation_file, src_lang="es", tgt_lang="en")
    with pytest.raises(ProjectionError, match=r"translations\.en has 4 lines but the input has 3 sentences"):
        translator.translate(["a", "b", "c"])


def test_cache_identity_follows_the_file_content(translation_file: Path, tmp_path: Path) -> None:
    before = FileTranslator(translation_file, src_lang="es", tgt_lang="en").identity()
    translation_file.write_text("Something else\n", encoding="utf-8")
    after = FileTranslator(translation_file, src_lang="es", tgt_lang="en").identity()
    assert before["params"]["targets_sha256"] != after["params"]["targets_sha256"]


def test_missing_and_non_utf8_files_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="File not found"):
        FileTranslator(tmp_path / "absent.txt", src_lang="es", tgt_lang="en")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Good\nEspaña\n".encode("latin-1"))
    with pytest.raises(ProjectionError, match=r"latin1\.txt, line 2: the file is not valid UTF-8"):
        FileTranslator(latin1, src_lang="es", tgt_lang="en")
    with pytest.raises(ProjectionError, match="file:PATH"):
        translators.create("file", src_lang="es", tgt_lang="en")
