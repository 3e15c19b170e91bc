"""Typed paths are read only inside the data folders: the project folder and $PROJECTION_DATA_ROOTS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from projection.app_support.data_roots import PROJECT_DIR, ROOTS_ENV, confine, data_roots, inside
from projection.errors import ProjectionError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "run").mkdir(parents=True)
    (folder / "run" / "heuristic.jsonl").write_text("{}\n", encoding="utf-8")
    return folder.resolve()


def test_the_project_folder_is_a_root_and_the_environment_adds_more(tmp_path: Path) -> None:
    assert data_roots({}) == [PROJECT_DIR]
    assert (PROJECT_DIR / "app.py").is_file()
    listed = os.pathsep.join([str(tmp_path / "a"), "", f"  {tmp_path / 'b'}/../b  ", str(PROJECT_DIR)])
    assert data_roots({ROOTS_ENV: listed}) == [PROJECT_DIR, tmp_path.resolve() / "a", tmp_path.resolve() / "b"]


def test_a_path_inside_a_root_comes_back_resolved(root: Path) -> None:
    assert confine(f"{root}/run/../run/heuristic.jsonl", [root]) == root / "run" / "heuristic.jsonl"
    assert confine(f"  {root}/run  ", [root]) == root / "run"
    assert confine(str(root), [root]) == root
    # missing inside a root: returned, so that the reader says it is missing
    assert confine(str(root / "missing.conll"), [root]) == root / "missing.conll"


@pytest.mark.parametrize("typed", ["/etc/passwd", "/", "{root}/../outside.conll", "{root}2/run", "/no/such/file"])
def test_paths_outside_the_roots_are_refused_naming_the_roots_and_how_to_add_one(root: Path, typed: str) -> None:
    with pytest.raises(ProjectionError) as refused:
        confine(typed.format(root=root), [root])
    message = str(refused.value)
    assert message.startswith(typed.format(root=root)) and "outside the folders this app may read" in message
    assert str(root) in message and ROOTS_ENV in message


def test_a_link_inside_a_root_to_a_file_outside_is_refused(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.conll"
    secret.write_text("Ana B-PER\n", encoding="utf-8")
    (root / "innocent.conll").symlink_to(secret)
    (root / "elsewhere").symlink_to(tmp_path)
    with pytest.raises(ProjectionError, match="outside the folders"):
        confine(str(root / "innocent.conll"), [root])
    with pytest.raises(ProjectionError, match="outside the folders"):
        confine(str(root / "elsewhere" / "secret.conll"), [root])
    # a link that stays inside is followed
    (root / "alias.jsonl").symlink_to(root / "run" / "heuristic.jsonl")
    assert confine(str(root / "alias.jsonl"), [root]) == root / "run" / "heuristic.jsonl"


def test_a_folder_holding_a_link_that_leads_out_is_refused(root: Path, tmp_path: Path) -> None:
    (root / "run" / "loop").symlink_to(root / "run")
    assert confine(str(root / "run"), [root]) == root / "run", "a link loop inside the roots is fine"
    (root / "run" / "deep").mkdir()
    (root / "run" / "deep" / "shadow.jsonl").symlink_to("/etc/passwd")
    with pytest.raises(ProjectionError) as refused:
        confine(str(root), [root])
    assert f"holds {root / 'run' / 'deep' / 'shadow.jsonl'}, a link to /etc/passwd" in str(refused.value)


def test_fifos_and_devices_are_not_read(root: Path) -> None:
    os.mkfifo(root / "pipe.conll")
    with pytest.raises(ProjectionError, match="neither a regular file nor a folder"):
        confine(str(root / "pipe.conll"), [root])
    with pytest.raises(ProjectionError, match="neither a regular file nor a folder"):
        confine("/dev/zero", [Path("/dev")])


def test_paths_that_are_not_paths_are_refused_in_words(root: Path) -> None:
    with pytest.raises(ProjectionError, match="not a usable path"):
        confine(f"{root}/a\0b", [root])
    with pytest.raises(ProjectionError, match="cannot be read: Not a directory"):
        confine(str(root / "run" / "heuristic.jsonl" / "x"), [root])


def test_inside_compares_whole_folder_names(root: Path) -> None:
    assert inside(root / "run", [root]) and inside(root, [root])
    assert not inside(Path(f"{root}2"), [root]) and not inside(root.parent, [root])


def test_the_environment_is_read_when_a_path_is_typed(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ROOTS_ENV, raising=False)
    with pytest.raises(ProjectionError):
        confine(str(root / "run"))
    monkeypatch.setenv(ROOTS_ENV, str(root))
    assert confine(str(root / "run")) == root / "run"
    assert confine(str(PROJECT_DIR / "app.py")) == PROJECT_DIR / "app.py"
