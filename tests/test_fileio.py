"""Output files: what a write may replace, atomic replacement, permissions, leftovers of killed runs."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import atomic_directory, atomic_write
from projection.readers.conll import read_conll
from projection.writers import check_output, write_records

SENTENCES = [Sentence("s1", "sw", ["Rais", "Duque", "alisema"], [Span(1, 2, "PER")])]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_fifo_is_refused_and_left_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "out.conll"
    os.mkfifo(fifo)
    with pytest.raises(ProjectionError, match=r"not a regular file"):
        write_records(SENTENCES, fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_device_is_refused_and_left_alone(tmp_path: Path) -> None:
    device = tmp_path / "null.conll"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    with pytest.raises(ProjectionError, match=r"not a regular file"):
        write_records(SENTENCES, device)
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_a_folder_is_refused_as_a_file_output(tmp_path: Path) -> None:
    (tmp_path / "out.conll").mkdir()
    with pytest.raises(ProjectionError, match="it is a folder"):
        write_records(SENTENCES, tmp_path / "out.conll")


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "data" / "silver.conll"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.conll"
    link.symlink_to(target)
    assert write_records(SENTENCES, link) == 1
    assert link.is_symlink() and link.resolve() == target
    assert read_conll(target, "sw")[0].tokens == ["Rais", "Duque", "alisema"]
    dangling = tmp_path / "new.conll"
    dangling.symlink_to(tmp_path / "data" / "new-target.conll")
    write_records(SENTENCES, dangling)
    assert dangling.is_symlink() and (tmp_path / "data" / "new-target.conll").is_file()


def test_the_data_is_synced_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    with atomic_write(tmp_path / "out.txt") as handle:
        handle.write("data")
    assert events[:2] == ["fsync", "replace"]


@pytest.mark.parametrize(("umask", "file_mode", "folder_mode"), [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)])
def test_outputs_follow_the_umask(tmp_path: Path, umask: int, file_mode: int, folder_mode: int) -> None:
    previous = os.umask(umask)
    try:
        with atomic_write(tmp_path / "out.txt") as handle:
            handle.write("data")
        with atomic_directory(tmp_path / "dataset") as folder:
            (folder / "part").write_text("data")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == file_mode
    assert stat.S_IMODE((tmp_path / "dataset").stat().st_mode) == folder_mode


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old")
    out.chmod(0o640)
    with atomic_write(out) as handle:
        handle.write("new")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text() == "new"


def test_a_folder_output_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    users_file = tmp_path / "silver"
    users_file.write_text("the user's notes")
    with pytest.raises(ProjectionError, match=r"Refusing to replace the file .*--force"):
        write_records(SENTENCES, users_file, format="hf")
    assert users_file.read_text() == "the user's notes"
    with pytest.raises(ProjectionError, match="--force"):
        check_output(users_file, "hf")
    assert write_records(SENTENCES, users_file, format="hf", force=True) == 1
    assert users_file.is_dir()


def test_a_folder_output_replaces_an_earlier_output_but_not_other_folders(tmp_path: Path) -> None:
    out = tmp_path / "silver"
    write_records(SENTENCES, out, format="hf")
    assert write_records(SENTENCES * 2, out, format="hf") == 2  # an earlier dataset is replaced
    shards = tmp_path / "shards"
    write_records(SENTENCES, shards, format="spacy")
    assert write_records(SENTENCES, shards, format="spacy") == 1
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    for name in ("hf", "spacy"):
        with pytest.raises(ProjectionError, match="not empty and is not an earlier output"):
            write_records(SENTENCES, home, format=name)
    assert (home / "thesis.tex").read_text() == "years of work"


def test_bad_formats_and_extensions_are_found_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="Cannot tell the output format"):
        check_output(tmp_path / "out.xyz")
    with pytest.raises(ProjectionError, match="Unknown writer 'xml'"):
        check_output(tmp_path / "out.conll", "xml")
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ProjectionError, match="is not a folder"):
        check_output(tmp_path / "a-file" / "out.conll")
    assert check_output(tmp_path / "new" / "deeper" / "out.conll") == "conll"


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write into: a read-only one, or for root (who writes anywhere) /proc/sys."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if os.access("/proc/sys", os.W_OK):
        pytest.skip("running as root, and /proc/sys is writable here: no folder is read-only for this process")
    return Path("/proc/sys")


def test_a_read_only_folder_is_found_before_any_work(unwritable_folder: Path) -> None:
    with pytest.raises(ProjectionError, match="is not writable by this user"):
        check_output(unwritable_folder / "out.conll")
    with pytest.raises(ProjectionError, match="is not writable by this user"):
        check_output(unwritable_folder / "new-folder" / "out.conll")


def test_a_killed_writes_temporary_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    out = tmp_path / "silver.conll"
    script = (
        "import os, signal\n"
        "from projection.data import Sentence\n"
        "from projection.writers import write_records\n"
        "def sentences():\n"
        "    yield Sentence('s1', 'sw', ['Rais'])\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        f"write_records(sentences(), {str(out)!r})\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(".silver.conll-") and left.name.endswith(".tmp")
    busy = tmp_path / f".silver.conll-{os.getpid()}-busy.tmp"  # a write still running elsewhere
    busy.write_text("")
    unrelated = tmp_path / f".silver.conll-{dead_pid()}-notes"  # not ours: no .tmp suffix
    unrelated.write_text("keep")
    write_records(SENTENCES, out)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([out.name, busy.name, unrelated.name])
