"""A user's uploads: size limit, safe names, what a file holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.app_support.user_data import check_upload_size, holds_records, safe_name, save_upload
from projection.data import Alignment, ProjectionRecord, Sentence
from projection.errors import ProjectionError
from projection.writers.jsonl import write_jsonl


def test_uploads_over_the_limit_are_refused_with_what_to_do_instead(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match=r"21\.0 MB, over this app's upload limit of 20 MB.*path"):
        check_upload_size("big.conll", 21 * 1024 * 1024, 20)
    with pytest.raises(ProjectionError, match="limit of 1 MB"):
        save_upload("big.conll", b"x" * (1024 * 1024 + 1), tmp_path, limit_mb=1)
    assert not list(tmp_path.iterdir())


def test_upload_names_lose_folders_and_odd_characters(tmp_path: Path) -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\data\\my file (1).conll") == "my_file_1_.conll"
    assert safe_name("...") == "upload"
    path = save_upload("../x y.conll", b"Ana B-PER\n", tmp_path)
    assert path == tmp_path / "x_y.conll" and path.read_bytes() == b"Ana B-PER\n"


def test_record_files_are_told_from_sentence_files(tmp_path: Path) -> None:
    record = ProjectionRecord("a", Sentence("a", "en", ["x"]), Sentence("a", "es", ["y"]), Alignment())
    write_jsonl([record], tmp_path / "records.jsonl")
    (tmp_path / "sentences.jsonl").write_text('{"tokens": ["Ana"], "tags": ["B-PER"]}\n', encoding="utf-8")
    assert holds_records(tmp_path / "records.jsonl")
    assert not holds_records(tmp_path / "sentences.jsonl")


def test_uploads_are_stored_by_content(tmp_path: Path) -> None:
    from projection.app_support.user_data import upload_folder

    first = upload_folder([b"Ana B-PER\n"], tmp_path)
    assert upload_folder([b"Ana B-PER\n"], tmp_path) == first, "the same upload lands in the same folder"
    assert upload_folder([b"Juan B-PER\n"], tmp_path) != first
    assert first.parent == tmp_path


def test_a_refusal_of_the_system_names_the_file_and_the_reason(tmp_path: Path) -> None:
    from projection.app_support.user_data import read_refusal

    try:
        (tmp_path / "gone" / "x.jsonl").open()
    except OSError as err:
        refusal = read_refusal(err)
    assert str(refusal).startswith(f"Could not open {tmp_path / 'gone' / 'x.jsonl'}: No such file or directory.")
    assert str(read_refusal(PermissionError("denied"))).startswith("Could not open the file: denied.")
