"""Row sources: bad rows become problems with their position, and every window reads the same either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.engines.sources import (
    WHERE,
    BitextSource,
    Problem,
    RecordsSource,
    SentenceFileSource,
    TextSource,
    iter_windows,
    read_window,
    scan,
)
from projection.errors import ProjectionError
from projection.readers.conll import read_conll
from projection.readers.notes import STRAY_INSIDE


def mafand_slice(shared_data: Path, folder: Path, n: int, damage: dict[int, bytes] | None = None) -> BitextSource:
    """The first ``n`` MAFAND en-swa pairs; ``damage`` replaces target lines (1-based) with raw bytes."""
    src = (shared_data / "mafand/en-swa/train.en").read_bytes().splitlines(keepends=True)[:n]
    tgt = (shared_data / "mafand/en-swa/train.swa").read_bytes().splitlines(keepends=True)[:n]
    for line, raw in (damage or {}).items():
        tgt[line - 1] = raw
    (folder / "train.en").write_bytes(b"".join(src))
    (folder / "train.swa").write_bytes(b"".join(tgt))
    return BitextSource(folder / "train.en", folder / "train.swa")


def test_bitext_problems_name_their_line_and_do_not_shift_ids(tmp_path: Path, shared_data: Path) -> None:
    source = mafand_slice(shared_data, tmp_path, 40, {7: b"   \n", 20: b"Habari za \xff asubuhi\n"})
    items = list(source.items())
    problems = [item for item in items if isinstance(item, Problem)]
    rows = [item for item in items if not isinstance(item, Problem)]
    assert [p.sentence_id for p in problems] == ["train-6", "train-19"]
    assert "line 7: the target side is empty" in problems[0].message
    assert "line 20: the file is not valid UTF-8 (byte 0xff" in problems[1].message
    assert len(rows) == 38
    assert rows[7]["id"] == "train-8" and rows[7][WHERE].endswith("line 9")
    first_en = (shared_data / "mafand/en-swa/train.en").read_text("utf-8").splitlines()[0].strip()
    assert rows[0]["src_text"] == first_en


def test_windows_read_alone_equal_the_stream(tmp_path: Path, shared_data: Path) -> None:
    source = mafand_slice(shared_data, tmp_path, 50, {10: b"\n", 21: b"\n", 50: b"\n"})
    streamed = list(iter_windows(source, 10, "skip"))
    assert [len(w) for w in streamed] == [10, 10, 10, 10, 7]
    assert [[p.sentence_id for p in w.problems] for w in streamed] == [["train-9"], ["train-20"], [], [], ["train-49"]]
    for window in streamed:
        alone = read_window(source, window.index, 10, "skip")
        assert alone.batch == window.batch and alone.problems == window.problems and alone.start == window.start
    assert scan(source, 10, "skip").windows == 5
    # 47 good rows, so with windows of 47 the last problem (line 50) gets a window of its own
    assert scan(source, 47, "skip").windows == 2
    assert [len(w) for w in iter_windows(source, 47, "skip")] == [47, 0]


def test_fail_stops_at_the_first_problem(tmp_path: Path, shared_data: Path) -> None:
    source = mafand_slice(shared_data, tmp_path, 30, {12: b"\n"})
    with pytest.raises(ProjectionError, match=r"train\.swa, line 12: the target side is empty.*--on-error skip"):
        scan(source, 10, "fail")
    with pytest.raises(ProjectionError, match="line 12"):
        list(iter_windows(source, 10, "fail"))
    assert len(read_window(source, 0, 10, "fail")) == 10  # the problem lies in window 1, not 0
    with pytest.raises(ProjectionError, match="line 12"):
        read_window(source, 1, 10, "fail")


def test_unaligned_files_and_tsv(tmp_path: Path) -> None:
    (tmp_path / "a.en").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "a.sw").write_text("moja\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match=r"2 lines but .* has 1"):
        list(BitextSource(tmp_path / "a.en", tmp_path / "a.sw").items())
    (tmp_path / "p.tsv").write_text("one\tmoja\ntwo mbili\nthree\ttatu\n", encoding="utf-8")
    items = list(BitextSource(tmp_path / "p.tsv").items())
    assert isinstance(items[1], Problem) and "line 2: expected two tab-separated columns" in items[1].message
    assert [(i["src_text"], i["tgt_text"]) for i in items if not isinstance(i, Problem)] == [
        ("one", "moja"),
        ("three", "tatu"),
    ]


def test_conll_malformed_sentence_is_skipped_and_ids_match_the_reader(tmp_path: Path, shared_data: Path) -> None:
    lines = (shared_data / "masakhaner2/swa/dev.txt").read_text("utf-8").split("\n\n")[:30]
    good = tmp_path / "good.txt"
    good.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    broken_lines = list(lines)
    broken_lines[4] = broken_lines[4].replace(" O\n", " X-PER\n", 1)
    broken_lines[9] = broken_lines[9].split("\n", 1)[0].split(" ")[0] + "\n" + broken_lines[9].split("\n", 1)[1]
    broken = tmp_path / "good.conll"  # same stem, so the same ids
    broken.write_text("\n\n".join(broken_lines) + "\n", encoding="utf-8")

    source = SentenceFileSource(broken, "sw", "tgt_tokens", "gold_spans")
    items = list(source.items())
    problems = [item for item in items if isinstance(item, Problem)]
    assert [p.sentence_id for p in problems] == ["good-4", "good-9"]
    assert "unknown tag 'X-PER'" in problems[0].message and "one column" in problems[1].message
    expected = {s.id: s for s in read_conll(good, "sw")}
    for row in items:
        if isinstance(row, Problem):
            continue
        assert row["tgt_tokens"] == expected[row["id"]].tokens
        assert row["gold_spans"] == [span.to_dict() for span in expected[row["id"]].spans]


def test_jsonl_sentences_and_records(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"id": "a", "tokens": ["Ana", "vive"], "tags": ["B-PER", "O"]}\n'
        "{not json\n"
        '{"id": "c", "tokens": []}\n'
        '{"tokens": ["La", "Paz"], "spans": [{"start": 0, "end": 2, "label": "LOC"}]}\n',
        encoding="utf-8",
    )
    items = list(SentenceFileSource(path, "es", format="jsonl").items())
    assert [type(item).__name__ for item in items] == ["dict", "Problem", "Problem", "dict"]
    assert "line 2: not valid JSON" in items[1].message and "no tokens" in items[2].message
    rows = [item for item in items if isinstance(item, dict)]
    assert [row["id"] for row in rows] == ["a", "s-3"]  # a line without id is named by its position, as the reader does
    assert rows[0]["src_spans"] == [{"start": 0, "end": 1, "label": "PER", "score": None, "origin": "gold"}]

    records = tmp_path / "r.jsonl"
    records.write_text('{"id": "x"}\n', encoding="utf-8")
    [problem] = list(RecordsSource(records).items())
    assert "not a projection record" in problem.message


def test_text_source_reports_empty_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.en"
    path.write_text("Kenya won.\n\nTanzania lost.\n", encoding="utf-8")
    items = list(TextSource(path).items())
    assert items[0] == {"id": "news-0", "src_text": "Kenya won.", WHERE: f"{path}, line 1"}
    assert isinstance(items[1], Problem) and items[1].sentence_id == "news-1"


def test_a_bitext_with_cr_line_endings_gives_the_rows_of_its_lf_original(tmp_path: Path, shared_data: Path) -> None:
    lf = mafand_slice(shared_data, tmp_path, 30)
    cr = tmp_path / "cr"
    cr.mkdir()
    for name in ("train.en", "train.swa"):
        (cr / name).write_bytes((tmp_path / name).read_bytes().replace(b"\n", b"\r"))
    rows = list(BitextSource(cr / "train.en", cr / "train.swa").items())
    assert len(rows) == 30
    assert [{**row, WHERE: None} for row in rows] == [{**row, WHERE: None} for row in lf.items()]


def test_scan_gathers_the_readers_notes(shared_data: Path) -> None:
    path = shared_data / "masakhaner2/zul/test.txt"
    found = scan(SentenceFileSource(path, "zu", "tgt_tokens", "gold_spans"), 500, "fail")
    assert (found.rows, found.problems, found.windows) == (1670, 0, 4)
    assert found.notes.count(STRAY_INSIDE) == 3
    assert [note.first for note in found.notes.notes.values()] == [f"{path}, line 1959"]


def test_bad_records_are_problems_with_file_line_and_id_and_windows_agree(tmp_path: Path) -> None:
    def record(sentence_id: str, target: list[str]) -> dict:
        return ProjectionRecord(
            sentence_id,
            Sentence(sentence_id, "en", ["President", "Duque"], [Span(1, 2, "PER")]),
            Sentence(sentence_id, "sw", target),
            Alignment([(0, 0), (1, 1)] if target else []),
            [Span(1, 2, "PER")] if target else [],
        ).to_dict()

    lines = [record(f"s{i}", ["Rais", "Duque"]) for i in range(9)]
    lines[4] = record("s4", [])
    lines[6]["projected"] = [{"start": 1, "end": 5, "label": "PER"}]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    source = RecordsSource(path)
    problems = [item for item in source.items() if isinstance(item, Problem)]
    assert [(p.sentence_id, p.message.split(": not a valid projection record")[0]) for p in problems] == [
        ("s4", f"{path}, line 5, record 's4'"),
        ("s6", f"{path}, line 7, record 's6'"),
    ]
    assert "the target sentence has no tokens" in problems[0].message
    streamed = list(iter_windows(source, 3, "skip"))
    assert [len(w) for w in streamed] == [3, 3, 1]
    for window in streamed:
        alone = read_window(source, window.index, 3, "skip")
        assert alone.batch == window.batch and alone.problems == window.problems
    with pytest.raises(ProjectionError, match=r"line 5, record 's4'.*--on-error skip"):
        scan(source, 3, "fail")
