"""JSONL reader: sentence lines (spans or tags), record lines checked as read, and bad lines with their numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.readers.jsonl import iter_jsonl, read_jsonl, read_records
from projection.readers.notes import LOWERCASE, ReadNotes


def write_lines(path: Path, objects: list[Any]) -> Path:
    path.write_text("".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in objects), encoding="utf-8")
    return path


def test_sentence_lines_with_spans_tags_ids_and_langs(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "gold.jsonl",
        [
            {"id": "s1", "tokens": ["Ana", "vive", "en", "Lima"], "spans": [{"start": 3, "end": 4, "label": "LOC"}]},
            {"tokens": ["Rais", "Ivan", "Duque"], "tags": ["O", "B-PER", "I-PER"], "lang": "sw"},
            {"id": 7, "tokens": ["Hola"]},
            {
                "tokens": ["Banco", "Central"],
                "spans": [{"start": 0, "end": 2, "label": "ORG", "score": 0.75, "origin": "spacy"}],
            },
        ],
    )
    sentences = read_jsonl(path, "es")
    assert [(s.id, s.lang) for s in sentences] == [("s1", "es"), ("gold-1", "sw"), ("7", "es"), ("gold-3", "es")]
    assert sentences[0].spans == [Span(3, 4, "LOC", origin="gold")]
    assert sentences[1].spans == [Span(1, 3, "PER", origin="gold")]
    assert sentences[2].spans == []
    assert sentences[3].spans == [Span(0, 2, "ORG", score=0.75, origin="spacy")]


def test_iob1_tags_decode_without_detection(tmp_path: Path) -> None:
    # IOB1: an entity starts with I-, and B- only separates two adjacent entities of one label.
    path = write_lines(
        tmp_path / "iob1.jsonl",
        [
            {"tokens": ["x", "Ana"], "tags": ["O", "I-PER"]},
            {"tokens": ["Lima", "Callao"], "tags": ["I-LOC", "B-LOC"]},
        ],
    )
    sentences = read_jsonl(path)
    assert [span.key for span in sentences[0].spans] == [(1, 2, "PER")]
    assert [span.key for span in sentences[1].spans] == [(0, 1, "LOC"), (1, 2, "LOC")]


def test_lowercase_tags_and_span_labels_are_read_in_upper_case(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "lower.jsonl",
        [
            {"tokens": ["Ana", "Lima"], "tags": ["b-per", "B-LOC"]},
            {"tokens": ["Lima"], "spans": [{"start": 0, "end": 1, "label": "loc"}]},
        ],
    )
    notes = ReadNotes()
    sentences = read_jsonl(path, notes=notes)
    assert [[span.label for span in s.spans] for s in sentences] == [["PER", "LOC"], ["LOC"]]
    note = notes.notes[(str(path), LOWERCASE)]
    assert (note.count, note.first, dict(note.seen)) == (2, f"{path}, line 1", {"b-per": 1, "loc": 1})


def test_label_set_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text('\n{"tokens": ["Ana", "en", "enero"], "tags": ["B-PER", "O", "B-DATE"]}\n\n  \n', encoding="utf-8")
    (sentence,) = read_jsonl(path, "es", label_set=["PER"])
    assert [span.key for span in sentence.spans] == [(0, 1, "PER")]


def sample_record() -> ProjectionRecord:
    return ProjectionRecord(
        id="dev-3",
        source=Sentence("dev-3", "en", ["President", "Ivan", "Duque"], [Span(1, 3, "PER", 0.9, "spacy")]),
        target=Sentence("dev-3", "sw", ["Rais", "Ivan", "Duque"]),
        alignment=Alignment([(0, 0), (1, 1), (2, 2)]),
        projected=[Span(1, 3, "PER", 1.0, "projected:heuristic")],
        gold=[Span(1, 3, "PER", origin="gold")],
        provenance={"projector": {"name": "heuristic"}},
    )


def test_record_lines_read_as_target_with_projected_spans(tmp_path: Path) -> None:
    record = sample_record()
    path = write_lines(tmp_path / "out.jsonl", [record.to_dict(), {"tokens": ["Habari"], "id": "plain"}])
    sentences = read_jsonl(path, "xx")
    assert sentences[0] == Sentence("dev-3", "sw", ["Rais", "Ivan", "Duque"], record.projected)
    assert sentences[1].id == "plain"


def test_read_records(tmp_path: Path) -> None:
    record = sample_record()
    path = write_lines(tmp_path / "out.jsonl", [record.to_dict()])
    (back,) = read_records(path)
    assert back.to_dict() == record.to_dict()


def test_read_records_refuses_sentence_lines(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "out.jsonl", [sample_record().to_dict(), {"tokens": ["a"]}])
    with pytest.raises(ProjectionError, match=r"out\.jsonl, line 2: not a projection record \(no 'source'"):
        read_records(path)


def test_broken_record_reports_its_line(tmp_path: Path) -> None:
    broken = sample_record().to_dict()
    del broken["source"]["tokens"]
    path = write_lines(tmp_path / "out.jsonl", [sample_record().to_dict(), broken])
    with pytest.raises(
        ProjectionError, match=r"line 2, record 'dev-3': not a valid projection record \(in the source: "
    ):
        read_records(path)


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (['{"tokens": ["a"]}', '{"tokens": ["b"]'], 2, "not valid JSON"),
        (['{"tokens": ["a"]}', "", '["a", "b"]'], 3, "expected a JSON object"),
        (['{"tokens": "a b"}'], 1, "'tokens' must be a list of strings"),
        (['{"tokens": ["a", 3]}'], 1, "'tokens' must be a list of strings"),
        (['{"tokens": ["a", "b"], "tags": ["O"]}'], 1, "one tag per token"),
        (['{"tokens": ["a"], "tags": ["X-PER"]}'], 1, "unknown tag 'X-PER'"),
        (
            ['{"tokens": ["a"]}', '{"tokens": ["a"], "spans": [{"start": 0, "end": 2, "label": "PER"}]}'],
            2,
            "ends after",
        ),
        (['{"tokens": ["a"], "spans": [{"start": 0, "end": 1}]}'], 1, "bad span"),
        (['{"tokens": ["a"], "spans": [{"start": 1, "end": 1, "label": "PER"}]}'], 1, "bad span"),
        (['{"tokens": ["a"], "spans": {"start": 0}}'], 1, "'spans' must be a list"),
        (['{"tokens": ["a", "b"], "spans": [{"start": 0.5, "end": 1, "label": "PER"}]}'], 1, "must be an integer"),
        (['{"tokens": ["a", "b"], "spans": [{"start": "0", "end": 1, "label": "PER"}]}'], 1, "must be an integer"),
        (['{"tokens": ["a"], "spans": [{"start": 0, "end": 1, "label": ""}]}'], 1, "non-empty string"),
        (
            [
                '{"tokens": ["a", "b", "c"], "spans": [{"start": 0, "end": 2, "label": "ORG"}, '
                '{"start": 1, "end": 3, "label": "LOC"}]}'
            ],
            1,
            r"spans \(0, 2, 'ORG'\) and \(1, 3, 'LOC'\) overlap",
        ),
        (['{"tokens": ["a"], "tags": ["O"], "spans": []}'], 1, "either 'tags' or 'spans'"),
        (['{"tokens": []}'], 1, "the sentence has no tokens"),
        (['{"id": ["s"], "tokens": ["a"]}'], 1, "'id' must be a string or an integer"),
        (['{"tokens": ["a"], "lang": 3}'], 1, "'lang' must be a string"),
    ],
)
def test_bad_lines_report_file_and_line(tmp_path: Path, lines: list[str], line: int, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match=message) as caught:
        read_jsonl(path, "xx")
    assert f"{path}, line {line}:" in str(caught.value)


def test_non_utf8_and_empty_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"tokens": ["a"]}\n{"tokens": ["España"]}\n'.encode("latin-1"))
    with pytest.raises(ProjectionError, match="line 2: the file is not valid UTF-8"):
        read_jsonl(path)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match="no JSON lines"):
        read_jsonl(empty)
    with pytest.raises(ProjectionError, match="no JSON lines"):
        read_records(empty)


def test_iter_jsonl_is_lazy(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.jsonl", [{"tokens": ["a"]}, {"tokens": ["b"]}])
    stream = iter_jsonl(path, "xx")
    assert next(stream).tokens == ["a"]
    assert next(stream).tokens == ["b"]


def test_a_repeated_sentence_id_is_refused_naming_both_lines(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "dup.jsonl",
        [
            {"id": "s1", "tokens": ["a"]},
            {"tokens": ["b"]},
            {"id": "dup-1", "tokens": ["c"]},
            {"id": "s1", "tokens": ["d"]},
        ],
    )
    with pytest.raises(ProjectionError, match=r"dup\.jsonl, line 3: sentence id 'dup-1' occurs twice, first at line 2"):
        read_jsonl(path)  # a numbered id counts too: line 2 has no id of its own and is named dup-1
    notes = ReadNotes()
    sentences = read_jsonl(path, on_error="skip", notes=notes)
    assert [s.tokens for s in sentences] == [["a"], ["b"]]
    assert [p.message.split(": ", 1)[1] for p in notes.skipped] == [
        "sentence id 'dup-1' occurs twice, first at line 2",
        "sentence id 's1' occurs twice, first at line 1",
    ]


def test_a_repeated_record_is_refused_but_other_methods_and_languages_may_share_its_id(tmp_path: Path) -> None:
    record = sample_record()
    other_method = record.to_dict() | {"provenance": {"method": "ngram-greedy"}}
    other_lang = record.to_dict()
    other_lang["target"] = {**other_lang["target"], "lang": "yo"}
    path = write_lines(tmp_path / "out.jsonl", [record.to_dict(), other_method, other_lang])
    assert len(read_records(path)) == 3
    write_lines(path, [record.to_dict(), other_method, record.to_dict()])
    with pytest.raises(
        ProjectionError, match=r"line 3: the record of sentence 'dev-3' .* occurs twice, first at line 1"
    ):
        read_records(path)


@pytest.mark.parametrize(
    "line",
    ["[" * 100_000 + "]" * 100_000, '{"tokens": ' + "[" * 100_000 + "]" * 100_000 + "}"],
)
def test_deeply_nested_json_is_one_clear_error(tmp_path: Path, line: str) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps(sample_record().to_dict()) + "\n" + line + "\n", encoding="utf-8")
    for read in (read_jsonl, read_records):
        with pytest.raises(ProjectionError, match=r"deep\.jsonl, line 2: the JSON is nested too deeply"):
            read(path)


def broken(change: str) -> dict[str, Any]:
    data = sample_record().to_dict()
    if change == "empty target":
        data["target"]["tokens"] = []
    elif change == "projected past the end":
        data["projected"] = [{"start": 2, "end": 4, "label": "PER"}]
    elif change == "gold past the end":
        data["gold"] = [{"start": 3, "end": 4, "label": "PER"}]
    elif change == "overlapping gold":
        data["gold"] = [{"start": 0, "end": 2, "label": "ORG"}, {"start": 1, "end": 3, "label": "PER"}]
    elif change == "source span past the end":
        data["source"]["spans"] = [{"start": 1, "end": 9, "label": "PER"}]
    elif change == "link out of range":
        data["alignment"]["links"] = [[0, 0], [1, 3]]
    elif change == "negative link":
        data["alignment"]["links"] = [[-1, 0]]
    elif change == "similarity shape":
        data["alignment"]["similarity"] = [[0.5, 0.5], [0.5, 0.5]]
    elif change == "tokens not strings":
        data["target"]["tokens"] = ["Rais", 2, "Duque"]
    elif change == "explanation entity":
        data["explanations"] = [{"kind": "links", "label": "PER", "entity": 4, "span": [1, 3]}]
    elif change == "explanation span":
        data["explanations"] = [{"kind": "links", "label": "PER", "entity": 0, "span": [1, 7]}]
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("empty target", "the target sentence has no tokens"),
        ("projected past the end", r"a projected span \(2, 4, 'PER'\) ends after the last token \(3 tokens\)"),
        ("gold past the end", r"a gold span \(3, 4, 'PER'\) ends after"),
        ("overlapping gold", r"a gold spans \(0, 2, 'ORG'\) and \(1, 3, 'PER'\) overlap"),
        ("source span past the end", r"in the source: a span \(1, 9, 'PER'\) ends after"),
        ("link out of range", r"alignment link \(1, 3\) is outside the sentences \(3 source, 3 target tokens\)"),
        ("negative link", r"alignment link \(-1, 0\) is outside"),
        ("similarity shape", "the similarity matrix is 2 x 2 but the sentences have 3 and 3 tokens"),
        ("tokens not strings", "in the target: every token must be a string, not 2"),
        ("explanation entity", "an explanation names entity 4 but the source has 1"),
        ("explanation span", r"an explanation's span \(1, 7\) is not inside the target"),
    ],
)
def test_records_are_checked_when_read_naming_file_line_and_id(tmp_path: Path, change: str, message: str) -> None:
    path = write_lines(tmp_path / "out.jsonl", [sample_record().to_dict(), broken(change)])
    with pytest.raises(ProjectionError, match=message) as caught:
        read_records(path)
    assert f"{path}, line 2, record 'dev-3': not a valid projection record" in str(caught.value)
    with pytest.raises(ProjectionError, match=message):
        read_jsonl(path)  # read as sentences, a record is checked the same way
    notes = ReadNotes()
    assert [r.id for r in read_records(path, on_error="skip", notes=notes)] == ["dev-3"]
    assert [p.sentence_id for p in notes.skipped] == ["dev-3"]
