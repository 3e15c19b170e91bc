"""Lines read with any line ending and strict UTF-8; output files: what a write may replace, atomic replacement,
permissions, leftovers of killed runs."""

from __future__ import annotations

import gzip
import os
import signal
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import (
    NotUtf8,
    atomic_directory,
    atomic_write,
    count_lines,
    iter_lines,
    numbered_lines,
    read_lines,
)
from projection.readers.conll import read_conll
from projection.writers import check_output, write_records

SENTENCES = [Sentence("s1", "sw", ["Rais", "Duque", "alisema"], [Span(1, 2, "PER")])]


# Any text but line breaks, and no U+FEFF, which at the start of a file is its byte order mark.
line_text = st.text(st.characters(blacklist_characters="\r\n\ufeff", blacklist_categories=["Cs"]), max_size=12)


@given(
    st.lists(st.tuples(line_text, st.sampled_from(["\n", "\r\n", "\r"])), max_size=12),
    st.booleans(),
    st.booleans(),
)
def test_lines_end_at_lf_crlf_or_cr_in_any_mix(
    tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, str]], last_break: bool, bom: bool
) -> None:
    # A lone CR followed by an empty line that ends in LF would be a CRLF: such a pair is one line break, as
    # universal newlines read it, so the expected lines are those of Python's own universal-newline reading.
    data = "".join(text + end for text, end in lines)
    if lines and not last_break:
        data = data[: -len(lines[-1][1])]
    path = tmp_path_factory.mktemp("lines") / "f.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    expected = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if expected[-1] == "":
        expected.pop()
    assert read_lines(path) == expected
    assert [number for number, _ in numbered_lines(path)] == list(range(1, len(expected) + 1))
    assert count_lines(path) == len(expected)


def test_a_crlf_across_read_blocks_is_one_line_break(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    for size in (8191, (1 << 20) - 1):
        path.write_bytes(b"a" * size + b"\r\nb\rc")
        assert read_lines(path) == ["a" * size, "b", "c"] and count_lines(path) == 3


def test_a_large_file_with_cr_line_endings_streams_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "classic-mac.txt"
    path.write_bytes(b"Kenya won the match.\r" * 1_000_000)  # 21 MB and not a single LF
    tracemalloc.start()
    try:
        stream = iter_lines(path)
        first = [next(stream) for _ in range(3)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first == ["Kenya won the match."] * 3
    assert peak < 1_000_000, f"reading three lines held {peak:,} bytes"


def test_unicode_separators_stay_inside_their_line(tmp_path: Path) -> None:
    path = tmp_path / "translations.txt"
    path.write_text("one\u2028still one\x85and\x0cone\ntwo\n", encoding="utf-8")
    assert read_lines(path) == ["one\u2028still one\x85and\x0cone", "two"]
    assert count_lines(path) == 2


def test_a_line_that_is_not_utf8_is_named_and_the_next_lines_still_read(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"\xef\xbb\xbfuno\rdos\rEspa\xf1a\rcuatro\r")
    numbered = list(numbered_lines(path))
    assert numbered[:2] == [(1, "uno"), (2, "dos")] and numbered[3] == (4, "cuatro")
    assert numbered[2] == (3, NotUtf8(path, 3, 0xF1, 3 + len(b"uno\rdos\rEspa")))
    with pytest.raises(
        ProjectionError, match=r"latin1\.txt, line 3: the file is not valid UTF-8 \(byte 0xf1 at offset 15\)"
    ):
        read_lines(path)
    stream = iter_lines(path)
    assert [next(stream), next(stream)] == ["uno", "dos"]
    with pytest.raises(ProjectionError, match="iconv"):
        next(stream)


def test_gzip_files_read_decompressed_and_damaged_ones_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt.gz"
    path.write_bytes(gzip.compress(b"one\r\ntwo\rthree"))
    assert read_lines(path) == ["one", "two", "three"] and count_lines(path) == 3
    path.write_bytes(gzip.compress(b"one\ntwo\n")[:-6])
    with pytest.raises(ProjectionError, match=r"lines\.txt\.gz is not a readable gzip file"):
        read_lines(path)
    path.write_bytes(b"plain text")
    with pytest.raises(ProjectionError, match="not a readable gzip file"):
        count_lines(path)


def test_missing_files_and_folders_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="File not found"):
        read_lines(tmp_path / "missing.txt")
    with pytest.raises(ProjectionError, match="is a directory"):
        count_lines(tmp_path)


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
