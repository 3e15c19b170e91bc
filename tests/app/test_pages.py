"""Every page of the app driven through Streamlit's AppTest on the built-in example.

Each test starts a fresh app session with its own corrections database, and
checks that what a user does changes what the page shows.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from app_pages import (
    REPO,
    assert_page_shows_data_as_text,
    example_record,
    html,
    open_page,
    shown,
)
from hostile_text import (
    A_JS,
    DATASET_NAME,
    IMG,
    LABELS,
    LANG,
    METHODS,
    SENTENCE_IDS,
    hostile_records,
    shown_text,
)
from streamlit.testing.v1 import AppTest

from projection.app_support.data_roots import ROOTS_ENV
from projection.app_support.datasets import Dataset, group_records, load_example
from projection.app_support.tokens_html import chart_text
from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.evaluation import classify_sentence
from projection.store import CorrectionsStore
from projection.writers.jsonl import write_jsonl

PAGES = ["inspect", "errors", "review", "export", "data"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_example(app: AppTest, page: str) -> None:
    open_page(app, page)
    assert not app.error, [e.value for e in app.error]
    assert app.sidebar.selectbox(key="sb_dataset").value == "example-bitext"
    assert app.sidebar.selectbox(key="sb_method").value == "heuristic"


def test_next_and_jump_change_the_inspected_sentence(app: AppTest) -> None:
    first, second = example_record("ex-0"), example_record("ex-1")
    assert "Fernández" in html(app) and "Castellón" not in html(app)
    app.button(key="inspect_next").click().run()
    assert app.selectbox(key="inspect_jump").value == "ex-1"
    page = html(app)
    assert second.target.tokens[-2] in page and "Fernández" not in page
    app.selectbox(key="inspect_jump").set_value("ex-48").run()
    assert "Almería" in html(app)
    app.button(key="inspect_prev").click().run()
    assert app.selectbox(key="inspect_jump").value == "ex-47"
    assert first.id not in [app.selectbox(key="inspect_jump").value]


def test_inspect_shows_every_method_and_can_switch_to_one(app: AppTest) -> None:
    page = html(app)
    for method in ("backtranslation", "garcia-ferrero", "ngram-greedy", "ngram-exact"):
        assert f">{method}</span>" in page
    app.pills(key="switch_from_heuristic").set_value("ngram-greedy").run()
    assert app.sidebar.selectbox(key="sb_method").value == "ngram-greedy"
    assert len(app.get("plotly_chart")) == 1


def listed(app: AppTest) -> tuple[int, list[str]]:
    """How many sentences the Errors list says match, and the ids it shows."""
    (count,) = [c.value for c in app.caption if "sentences match" in c.value]
    ids = [b.key.removeprefix("open_") for b in app.button if b.key and b.key.startswith("open_")]
    return int(count.split()[0]), ids


def test_error_type_filter_changes_the_list_and_opens_sentences_in_inspect(app: AppTest) -> None:
    open_page(app, "errors")
    n_all, _ = listed(app)
    app.multiselect(key="err_kinds").set_value(["missed"]).run()
    n_missed, shown = listed(app)
    (dataset,) = [d for d in load_example() if d.name == "example-bitext"]
    missed = {
        r.id: [e.gold.label for e in classify_sentence(r.gold or [], r.projected) if e.kind == "missed" and e.gold]
        for r in dataset.records("es", "heuristic")
    }
    expected = [sid for sid, labels in missed.items() if labels]
    assert 0 < n_missed == len(expected) < n_all
    assert shown == expected[:15]

    label = Counter(label for labels in missed.values() for label in labels).most_common(1)[0][0]
    app.multiselect(key="err_labels").set_value([label]).run()
    n_label, shown = listed(app)
    assert n_label == len([sid for sid, labels in missed.items() if label in labels])
    assert n_label < n_missed or len({lb for labels in missed.values() for lb in labels}) == 1

    app.button(key=f"open_{shown[0]}").click().run()
    assert app.selectbox(key="inspect_jump").value == shown[0]


def test_a_review_edit_is_stored_shown_and_exported(app: AppTest, store_url: str) -> None:
    open_page(app, "review")
    record = example_record("ex-0")
    app.select_slider(key="add_range_ex-0").set_value((4, 5)).run()
    app.selectbox(key="add_label").set_value("PER").run()
    app.button(key="add_span").click().run()

    stored = CorrectionsStore(store_url).current("example", lang="es")
    assert [s.key for s in stored["ex-0"]] == sorted([*(s.key for s in record.projected), (4, 6, "PER")])
    history = app.dataframe[0].value
    assert list(history["action"]) == ["add"] and list(history["who"]) == ["tester"]
    assert "+ PER «nueva directora»" in history["change"].iloc[0]

    open_page(app, "export")
    assert app.metric[1].value == "1"
    app.button(key="export_go").click().run()
    result = app.session_state["export_result"][1]
    sentence = result.data.decode("utf-8").split("\n\n")[0].splitlines()
    assert sentence[4:6] == ["nueva B-PER", "directora I-PER"]
    assert result.n_corrected == 1 and result.n_sentences == 52


def test_relabel_move_delete_and_undo_are_all_kept_in_the_history(app: AppTest, store_url: str) -> None:
    open_page(app, "review")
    record = example_record("ex-0")
    first = record.projected[0]
    widget = f"label_ex-0_{first.start}_{first.end}"
    app.selectbox(key=widget).set_value("ORG").run()
    app.button(key="move_ex-0_0_end_1").click().run()
    app.button(key="delete_ex-0_1").click().run()
    store = CorrectionsStore(store_url)
    after = [s.key for s in store.current("example")["ex-0"]]
    assert after[0] == (first.start, first.end + 1, "ORG") and len(after) == len(record.projected) - 1

    app.button(key="undo").click().run()
    assert len(store.current("example")["ex-0"]) == len(record.projected)
    actions = [edit.action for edit in store.history("example", "ex-0")]
    assert actions == ["relabel", "move-end", "delete", "undo"]
    assert len(app.dataframe[0].value) == 4


def test_marking_reviewed_moves_on_and_counts_in_the_progress(app: AppTest, store_url: str) -> None:
    open_page(app, "review")
    assert "0 of 52 reviewed" in app.get("progress")[0].proto.text
    app.button(key="reviewed_next").click().run()
    assert app.selectbox(key="review_jump").value == "ex-1"
    assert "1 of 52 reviewed" in app.get("progress")[0].proto.text
    assert CorrectionsStore(store_url).reviewed("example") == {"ex-0"}


def test_uploaded_records_with_markup_in_tokens_render_as_text(app: AppTest, tmp_path: Path) -> None:
    tokens = ["<script>alert(1)</script>", "visitó", "<b>Lima</b>"]
    record = ProjectionRecord(
        id="x<i>1</i>",
        source=Sentence("x", "en", ["<img src=x onerror=alert(2)>", "visited", "Lima"], [Span(2, 3, "LOC")]),
        target=Sentence("x", "es", tokens),
        alignment=Alignment([(0, 0), (1, 1), (2, 2)]),
        projected=[Span(2, 3, "LOC")],
        gold=[Span(0, 1, "PER"), Span(2, 3, "LOC")],
        provenance={"method": "heuristic"},
    )
    path = tmp_path / "hostile.jsonl"
    write_jsonl([record], path)
    open_page(app, "data")
    app.file_uploader(key="records_upload").upload("hostile.jsonl", path.read_bytes(), "application/json").run()
    app.text_input(key="records_name").set_value("hostile").run()
    app.button(key="records_open").click().run()
    assert app.sidebar.selectbox(key="sb_dataset").value == "hostile"

    for page in PAGES:
        open_page(app, page)
        body = html(app)
        assert "<script>" not in body and "<img" not in body and "<b>Lima" not in body and "<i>1" not in body
    open_page(app, "inspect")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html(app)
    assert "&lt;img src=x onerror=alert(2)&gt;" in html(app)
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in figure["layout"]["xaxis"]["ticktext"]


def test_uploads_over_the_limit_and_bad_paths_get_a_clear_message(app: AppTest, data_root: Path) -> None:
    open_page(app, "data")
    app.file_uploader(key="records_upload").upload("big.jsonl", b"{}\n" * (7 * 1024 * 1024), "application/json")
    app.button(key="records_open").click().run()
    assert "upload limit of 20 MB" in shown(app.error[0])
    app.file_uploader(key="records_upload").clear()
    app.text_input(key="records_path").set_value(str(data_root / "no" / "such" / "folder")).run()
    app.button(key="records_open").click().run()
    assert shown(app.error[0]).startswith(f"{data_root}/no/such/folder does not exist on this machine.")


def test_a_folder_of_projected_output_opens_by_path(app: AppTest, data_root: Path) -> None:
    (dataset,) = [d for d in load_example() if d.name == "example-apertium"]
    write_jsonl(dataset.records("es", "heuristic")[:5], data_root / "run" / "heuristic.jsonl")
    write_jsonl(dataset.records("es", "ngram-exact")[:5], data_root / "run" / "exact.jsonl")
    open_page(app, "data")
    app.text_input(key="records_path").set_value(str(data_root / "run")).run()
    app.button(key="records_open").click().run()
    assert app.sidebar.selectbox(key="sb_dataset").value == "run"
    assert app.sidebar.selectbox(key="sb_method").options == ["ngram-exact", "heuristic"]
    open_page(app, "inspect")
    assert app.selectbox(key="inspect_jump").options[-1].startswith("ex-4")


def test_a_link_with_a_sentence_opens_on_it_and_the_address_follows_the_navigation(store_url: str) -> None:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    app.query_params["sentence"] = "ex-7"
    app.run()
    assert app.selectbox(key="inspect_jump").value == "ex-7"
    assert "Vértice" in html(app)
    app.button(key="inspect_next").click().run()
    assert app.query_params["sentence"] == "ex-8"


def test_two_sessions_editing_the_same_sentence_both_keep_their_edit(store_url: str) -> None:
    sessions = []
    for author in ("ana", "ben"):
        session = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
        session.run()
        open_page(session, "review")
        session.text_input(key="review_author").set_value(author).run()
        sessions.append(session)
    ana, ben = sessions
    record = example_record("ex-0")
    # both see the projection; ana adds a span, then ben (whose page is stale) deletes the first one
    ana.select_slider(key="add_range_ex-0").set_value((4, 5)).run()
    ana.button(key="add_span").click().run()
    ben.button(key="delete_ex-0_0").click().run()

    store = CorrectionsStore(store_url)
    assert [(e.author, e.action) for e in store.history("example", "ex-0")] == [("ana", "add"), ("ben", "delete")]
    current = {s.key for s in store.current("example")["ex-0"]}
    assert (4, 6, ana.selectbox(key="add_label").value) in current
    assert record.projected[0].key not in current
    assert len(current) == len(record.projected)
    ben.run()
    assert len(ben.dataframe[0].value) == 2


@pytest.mark.slow
def test_labelled_sentences_are_projected_in_the_app_with_the_offline_profile(app: AppTest, tmp_path: Path) -> None:
    from projection.example import SPANISH_CONLL

    blocks = SPANISH_CONLL.read_text(encoding="utf-8").split("\n\n")[:4]
    blocks[0] = blocks[0].replace("Sevilla\tB-LOC", "Sevilla\tb-loc")
    open_page(app, "data")
    app.file_uploader(key="labelled_upload").upload("four.conll", ("\n\n".join(blocks) + "\n").encode("utf-8"))
    app.multiselect(key="labelled_methods").set_value(["heuristic", "ngram-greedy"]).run()
    app.text_input(key="labelled_name").set_value("four").run()
    app.button(key="labelled_run").click().run(timeout=600)
    assert not app.error, [e.value for e in app.error]
    assert app.sidebar.selectbox(key="sb_dataset").value == "four"
    assert app.sidebar.selectbox(key="sb_method").options == ["heuristic", "ngram-greedy"]
    # what reading noticed is said on the page, with the place it first occurs
    assert any("not in upper case" in shown(w) and "line 16" in shown(w) for w in app.warning), app.warning
    open_page(app, "errors")
    assert "4 sentences" in app.sidebar.caption[-1].value or any("of 4 sentences" in c.value for c in app.caption)


def test_projected_output_given_as_labelled_sentences_is_pointed_to_the_right_tab(
    app: AppTest, data_root: Path
) -> None:
    path = data_root / "run.jsonl"
    write_jsonl([example_record("ex-0")], path)
    open_page(app, "data")
    app.text_input(key="labelled_path").set_value(str(path)).run()
    app.button(key="labelled_run").click().run()
    assert "holds projection records" in shown(app.error[0])


PATH_FIELDS = [
    ("records_path", "records_open"),
    ("labelled_path", "labelled_run"),
    ("bitext_src_path", "bitext_run"),
]


@pytest.mark.parametrize(("field", "button"), PATH_FIELDS)
def test_every_path_field_refuses_files_outside_the_data_folders(
    app: AppTest, data_root: Path, tmp_path: Path, field: str, button: str
) -> None:
    outside = tmp_path / "outside.conll"
    outside.write_text("Ana B-PER\nvisitó O\nLima B-LOC\n", encoding="utf-8")
    (data_root / "link.conll").symlink_to(outside)
    open_page(app, "data")
    for typed in ("/etc/passwd", str(outside), str(data_root / "link.conll"), f"{data_root}/../outside.conll"):
        app.text_input(key=field).set_value(typed).run()
        app.button(key=button).click().run()
        assert not app.exception, [e.message for e in app.exception]
        (message,) = [shown(e) for e in app.error]
        assert message.startswith(f"{typed} is outside the folders this app may read."), message
        assert str(data_root) in message and ROOTS_ENV in message and str(REPO) in message
    assert list(session_datasets(app)) == ["example-bitext", "example-apertium"]


def test_the_target_side_of_a_bitext_is_confined_too(app: AppTest, data_root: Path) -> None:
    (data_root / "dev.en").write_text("Ana visited Lima\n", encoding="utf-8")
    open_page(app, "data")
    app.text_input(key="bitext_src_path").set_value(str(data_root / "dev.en")).run()
    app.text_input(key="bitext_tgt_path").set_value("/etc/hostname").run()
    app.button(key="bitext_run").click().run()
    assert shown(app.error[0]).startswith("/etc/hostname is outside the folders this app may read.")


def session_datasets(app: AppTest) -> dict:
    return app.session_state["pj_datasets"]


def test_the_root_folder_an_empty_folder_and_an_unreadable_file_each_get_a_message(
    app: AppTest, data_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_root / "empty").mkdir()
    locked = data_root / "locked" / "heuristic.jsonl"
    write_jsonl([example_record("ex-0")], locked)
    if os.geteuid() == 0:
        # root reads every file whatever its mode: the system's refusal is simulated for this one file
        real_open = Path.open

        def refuse(path: Path, *args: object, **kwargs: object) -> object:
            if path.resolve() == locked.resolve():
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    else:
        locked.chmod(0)
    open_page(app, "data")
    expected = {
        "/": "/ is outside the folders this app may read.",
        str(data_root / "empty"): f"{data_root / 'empty'} holds no .jsonl (or .jsonl.gz) files.",
        str(data_root / "locked"): f"Could not open {locked}: Permission denied.",
    }
    for typed, message in expected.items():
        app.text_input(key="records_path").set_value(typed).run()
        app.button(key="records_open").click().run()
        assert not app.exception, [e.message for e in app.exception]
        assert shown(app.error[0]).startswith(message), shown(app.error[0])


def open_hostile_data_set(app: AppTest, data_root: Path) -> None:
    """The hostile records, one file per method, opened by path through the Data page under a hostile name."""
    records = hostile_records()
    for number, method in enumerate(METHODS):
        write_jsonl([r for r in records if r.provenance["method"] == method], data_root / "run" / f"m{number}.jsonl")
    open_page(app, "data")
    app.text_input(key="records_path").set_value(str(data_root / "run")).run()
    app.text_input(key="records_name").set_value(DATASET_NAME).run()
    app.button(key="records_open").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.sidebar.selectbox(key="sb_dataset").value == DATASET_NAME


def test_every_page_shows_a_hostile_data_set_as_text(app: AppTest, data_root: Path) -> None:
    open_hostile_data_set(app, data_root)
    assert_page_shows_data_as_text(app)
    assert shown(app.success[0]).startswith(f"Loaded {DATASET_NAME}: {LANG}, 3 sentences.")

    open_page(app, "inspect")
    assert_page_shows_data_as_text(app)
    (caption,) = [shown_text(c.value) for c in app.caption if "links · boxes" in c.value]
    assert caption.startswith(f"Rows: source (en) · columns: target ({LANG}) · 4 links")
    assert [shown_text(option.content) for option in app.get("button_group")[0].proto.options] == [METHODS[1]]
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert chart_text(IMG) in figure["layout"]["xaxis"]["ticktext"]

    open_page(app, "errors")
    assert_page_shows_data_as_text(app)
    by_label, by_method = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    assert by_label["layout"]["title"]["text"] == chart_text(f"{METHODS[0]}: spans by outcome and label")
    assert {trace["name"] for trace in by_label["data"]} == {chart_text(label) for label in LABELS}
    assert {trace["name"] for trace in by_method["data"]} == {chart_text(method) for method in METHODS}

    open_page(app, "review")
    assert_page_shows_data_as_text(app)
    assert shown_text(app.get("progress")[0].proto.text) == f"{LANG}: 0 of 3 reviewed · 0 corrected"
    app.select_slider(key=f"add_range_{SENTENCE_IDS[0]}").set_value((6, 6)).run()
    app.selectbox(key="add_label").set_value(LABELS[1]).run()
    app.button(key="add_span").click().run()
    assert_page_shows_data_as_text(app)
    assert [shown(toast) for toast in app.toast] == [f"Saved: + {LABELS[1]} «visitó»"]
    # an edit that is refused names the hostile label in an error
    app.select_slider(key=f"add_range_{SENTENCE_IDS[0]}").set_value((0, 0)).run()
    app.button(key="add_span").click().run()
    assert_page_shows_data_as_text(app)
    assert shown(app.error[0]).startswith(f"Tokens 0–0 overlap the {LABELS[0]} span")
    app.button(key="reviewed_next").click().run()
    assert_page_shows_data_as_text(app)

    open_page(app, "export")
    assert_page_shows_data_as_text(app)
    app.button(key="export_go").click().run()
    assert_page_shows_data_as_text(app)
    # CoNLL cannot hold a token with a space; the refusal quotes the token, as text
    assert shown(app.error[0]).startswith(f"record 1 (sentence {SENTENCE_IDS[0]}): token 1 ('{IMG}')")
    app.selectbox(key="export_format").set_value("jsonl").run()
    app.button(key="export_go").click().run()
    assert_page_shows_data_as_text(app)
    assert not app.error and app.session_state["export_result"][1].n_sentences == 3

    open_page(app, "data")
    assert_page_shows_data_as_text(app)
    assert A_JS not in html(app)


def records_without_words() -> list[ProjectionRecord]:
    """Records built in memory that no reader would let through: no target tokens, spans past the end."""
    source = Sentence("s", "en", ["Ana", "visited", "Lima"], [Span(0, 1, "PER"), Span(2, 3, "LOC")])
    return [
        ProjectionRecord("empty", source, Sentence("empty", "es", []), projected=[], gold=[]),
        ProjectionRecord(
            "past",
            source,
            Sentence("past", "es", ["Ana", "visitó"]),
            alignment=Alignment([(0, 0), (1, 1), (2, 5)]),
            projected=[Span(0, 1, "PER"), Span(1, 4, "LOC")],
            gold=[Span(0, 1, "PER"), Span(2, 3, "LOC")],
        ),
        ProjectionRecord(
            "fine",
            source,
            Sentence("fine", "es", ["Ana", "visitó", "Lima"]),
            alignment=Alignment([(0, 0), (1, 1), (2, 2)]),
            projected=[Span(0, 1, "PER")],
            gold=[Span(0, 1, "PER"), Span(2, 3, "LOC")],
        ),
    ]


@pytest.fixture
def broken_app(store_url: str) -> AppTest:
    """The app with a data set of :func:`records_without_words` in its session, as a run in the app leaves one."""
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    broken = Dataset(name="broken", title="broken", runs=group_records([("broken", records_without_words())]))
    app.session_state["pj_datasets"] = {"broken": broken}
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@pytest.mark.parametrize("page", ["inspect", "review"])
@pytest.mark.parametrize(
    ("sentence_id", "message"),
    [
        ("empty", "Sentence empty has no target tokens, so there is nothing to show or correct."),
        ("past", "Sentence past: a projected span (LOC, tokens 1–3) lies past the end of its sentence (2 tokens)."),
    ],
)
def test_a_sentence_the_pages_cannot_draw_gets_a_message(
    broken_app: AppTest, page: str, sentence_id: str, message: str
) -> None:
    broken_app.session_state["pj_sentence"] = {("broken", "es"): sentence_id}
    open_page(broken_app, page)
    assert shown(broken_app.warning[0]).startswith(message)
    broken_app.selectbox(key=f"{page}_jump").set_value("fine").run()
    assert not broken_app.exception and not broken_app.warning
    assert "visitó" in html(broken_app)


def test_errors_scores_the_sentences_it_can_and_names_the_others(broken_app: AppTest) -> None:
    open_page(broken_app, "errors")
    (warning,) = [shown(w) for w in broken_app.warning]
    assert warning.startswith("2 of 3 sentences cannot be scored and are left out. Sentence empty has no target")
    assert warning.endswith("(1 more like it.)")
    counted, shown_ids = listed(broken_app)
    assert counted == 1 and shown_ids == ["fine"]
    assert "export" in PAGES and not broken_app.error
    open_page(broken_app, "export")
    broken_app.button(key="export_go").click().run()
    assert not broken_app.exception, [e.message for e in broken_app.exception]
