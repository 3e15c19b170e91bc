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
import streamlit as st
from app_pages import (
    REPO,
    assert_page_shows_data_as_text,
    example_record,
    give_datasets,
    html,
    open_page,
    shown,
)
from hostile_text import (
    A_JS,
    DATASET_NAME,
    HOSTILE,
    IMG,
    LABELS,
    LANG,
    MD_LINK,
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
from projection.export import export_records, stored_corrections
from projection.store import CorrectionsStore
from projection.writers.jsonl import write_jsonl

PAGES = ["inspect", "errors", "review", "team", "export", "data"]


def example_dataset(name: str = "example-bitext") -> Dataset:
    (found,) = [d for d in load_example() if d.name == name]
    return found


EXAMPLE_KEY = example_dataset().store_key
"""The key the example's corrections are stored under (its two pipelines share it)."""


def selected_name(app: AppTest) -> str:
    """The name of the data set the sidebar has selected."""
    return session_datasets(app)[app.sidebar.selectbox(key="sb_dataset").value].name


def versions(url: str, sentence_id: str, lang: str = "es") -> dict[str, list[tuple[int, int, str]]]:
    """Reviewer -> span keys of their version of one of the example's sentences, from the store."""
    store = CorrectionsStore(url)
    reviews = store.sentence_reviews(EXAMPLE_KEY, lang=lang, sentence_id=sentence_id)
    present = example_dataset().text_hash(lang, sentence_id)
    return {owner: sorted(s.key for s in v.spans or []) for owner, v in reviews.reviewers(present).items()}


def click_words(app: AppTest, sentence_id: str, words: list[int], label_key: str) -> None:
    """Select words on the Review page and press a label button.

    AppTest finds a pill by its text, so the words chosen here occur once in their sentence.
    """
    app.button_group(key=f"review_words_{sentence_id}").set_value(words).run()
    app.button(key=label_key).click().run()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_example(app: AppTest, page: str) -> None:
    open_page(app, page)
    assert not app.error, [e.value for e in app.error]
    assert selected_name(app) == "example-bitext"
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


def test_a_span_made_by_clicking_words_is_stored_shown_and_exported(app: AppTest, store_url: str) -> None:
    open_page(app, "review")
    record = example_record("ex-0")
    click_words(app, "ex-0", [4, 5], "review_label_1")  # "nueva directora", key 1: PER

    assert versions(store_url, "ex-0") == {"tester": sorted([*(s.key for s in record.projected), (4, 6, "PER")])}
    assert app.button_group(key="review_words_ex-0").value == []  # the selection is cleared for the next span
    assert "+ PER «nueva directora»" in html(app)  # the history, newest first
    assert [shown(toast) for toast in app.toast] == ["Saved: + PER «nueva directora»"]

    open_page(app, "export")
    assert [m.value for m in app.metric] == ["52", "51", "0", "1", "0"]
    app.button(key="export_go").click().run()
    result = app.session_state["export_result"][1]
    sentence = result.data.decode("utf-8").split("\n\n")[0].splitlines()
    assert sentence[:2] == ["# id = ex-0", "# review_status = corrected"]
    assert sentence[6:8] == ["nueva B-PER", "directora I-PER"]
    assert result.n_corrected == 1 and result.n_sentences == 52
    assert result.statuses == {"not reviewed": 51, "reviewed": 0, "corrected": 1, "adjudicated": 0}
    app.checkbox(key="export_comments").uncheck().run()
    app.button(key="export_go").click().run()
    assert app.session_state["export_result"][1].data.decode("utf-8").startswith("Lucía B-PER\n")


def test_relabel_resize_reject_accept_and_undo_are_all_kept_in_the_history(app: AppTest, store_url: str) -> None:
    open_page(app, "review")
    record = example_record("ex-0")
    first = record.projected[0]
    app.selectbox(key=f"review_span_label_ex-0_{first.start}_{first.end}").set_value("ORG").run()
    click_words(app, "ex-0", [0], "review_label_1")  # the first span again, one token shorter, as PER
    app.button(key="review_reject_ex-0_1").click().run()  # the second span
    app.button(key="review_accept_next").click().run()  # the next span still as projected
    assert versions(store_url, "ex-0")["tester"] == [(0, 1, "PER"), (15, 16, "LOC"), (17, 20, "DATE")]
    assert "✓ LOC «Sevilla»" in html(app)

    app.button(key="undo").click().run()
    app.button(key="undo").click().run()
    assert versions(store_url, "ex-0")["tester"] == sorted([(0, 1, "PER"), *(s.key for s in record.projected[1:])])
    store = CorrectionsStore(store_url)
    actions = [edit.action for edit in store.history(EXAMPLE_KEY, "ex-0")]
    assert actions == ["relabel", "label", "reject", "accept", "undo", "undo"]


def test_accept_and_reject_take_the_next_span_still_as_projected(app: AppTest, store_url: str) -> None:
    open_page(app, "review")
    record = example_record("ex-0")
    app.button(key="review_accept_next").click().run()
    app.button(key="review_reject_next").click().run()
    assert versions(store_url, "ex-0")["tester"] == sorted(s.key for k, s in enumerate(record.projected) if k != 1)
    assert [(s.key, s.origin) for s in CorrectionsStore(store_url).history(EXAMPLE_KEY, "ex-0")[-1].after][:1] == [
        (record.projected[0].key, "accepted")
    ]


def test_marking_reviewed_moves_on_and_counts_in_the_progress(app: AppTest, store_url: str) -> None:
    open_page(app, "review")
    assert "0 of 52 reviewed" in app.get("progress")[0].proto.text
    app.button(key="reviewed_next").click().run()
    assert app.selectbox(key="review_jump").value == "ex-1"
    assert "1 of 52 reviewed" in app.get("progress")[0].proto.text
    assert versions(store_url, "ex-0") == {"tester": sorted(s.key for s in example_record("ex-0").projected)}


def test_a_reviewer_goes_through_the_sentences_given_to_them(app: AppTest, store_url: str) -> None:
    CorrectionsStore(store_url).set_assignments(
        EXAMPLE_KEY, "es", {"tester": ["ex-7", "ex-3"], "other": ["ex-1"]}, assigned_by="lead"
    )
    open_page(app, "review")
    app.button_group(key="review_order").set_value("Given to me").run()
    assert app.selectbox(key="review_jump").options[0].startswith("ex-7")
    assert [option.split(" · ")[0] for option in app.selectbox(key="review_jump").options] == ["ex-7", "ex-3"]
    app.button(key="reviewed_next").click().run()
    assert app.selectbox(key="review_jump").value == "ex-3"


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
    assert selected_name(app) == "hostile"

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
    assert selected_name(app) == "run"
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


def test_two_reviewers_each_keep_their_own_version_of_a_sentence(store_url: str) -> None:
    sessions = []
    for author in ("ana", "ben"):
        session = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
        session.run()
        open_page(session, "review")
        session.text_input(key="review_author").set_value(author).run()
        sessions.append(session)
    ana, ben = sessions
    record = example_record("ex-0")
    click_words(ana, "ex-0", [4, 5], "review_label_1")
    ben.button(key="review_reject_ex-0_0").click().run()

    projected = sorted(s.key for s in record.projected)
    assert versions(store_url, "ex-0") == {
        "ana": sorted([*projected, (4, 6, "PER")]),
        "ben": projected[1:],
    }
    ben.run()
    assert "also reviewed by ana" in html(ben)
    assert "«nueva directora»" not in html(ben)  # each reviews blind: ben does not see ana's spans or history


def test_one_reviewer_in_two_tabs_keeps_both_edits(store_url: str) -> None:
    tabs = []
    for _ in range(2):
        tab = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
        tab.run()
        open_page(tab, "review")
        tabs.append(tab)
    first, second = tabs
    click_words(first, "ex-0", [4, 5], "review_label_1")
    second.button(key="review_reject_ex-0_0").click().run()  # this tab still shows the projection
    projected = sorted(s.key for s in example_record("ex-0").projected)
    assert versions(store_url, "ex-0") == {"tester": sorted([*projected[1:], (4, 6, "PER")])}


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
    assert selected_name(app) == "four"
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
    assert [d.name for d in session_datasets(app).values()] == ["example-bitext", "example-apertium"]


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
    assert selected_name(app) == DATASET_NAME


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
    by_label, by_method, by_suspicion, _ = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    assert by_label["layout"]["title"]["text"] == chart_text(f"{METHODS[0]}: spans by outcome and label")
    assert [trace["name"] for trace in by_suspicion["data"]] == [chart_text(LANG)]
    assert {trace["name"] for trace in by_label["data"]} == {chart_text(label) for label in LABELS}
    assert {trace["name"] for trace in by_method["data"]} == {chart_text(method) for method in METHODS}

    open_page(app, "review")
    assert_page_shows_data_as_text(app)
    progress = shown_text(app.get("progress")[0].proto.text)
    assert progress == f"{LANG}: 0 of 3 reviewed · 0 corrected · 0 adjudicated · 0 by tester"
    assert [shown_text(o.content) for o in app.button_group(key=f"review_words_{SENTENCE_IDS[0]}").proto.options][
        1:6
    ] == list(HOSTILE)
    click_words(app, SENTENCE_IDS[0], [6], "review_label_2")
    assert_page_shows_data_as_text(app)
    assert [shown(toast) for toast in app.toast] == [f"Saved: + {LABELS[1]} «visitó»"]
    click_words(app, SENTENCE_IDS[0], [0], "review_label_2")  # relabels the first span: both labels are named
    assert_page_shows_data_as_text(app)
    assert [shown(toast) for toast in app.toast] == [f"Saved: − {LABELS[0]} «Ana» · + {LABELS[1]} «Ana»"]
    # a refusal names the (hostile) reviewer
    app.text_input(key="review_author").set_value(MD_LINK).run()
    app.button(key="undo").click().run()
    assert_page_shows_data_as_text(app)
    assert shown(app.error[0]) == f"{MD_LINK} has no edit of this sentence left to undo."
    assert "also reviewed by tester" in shown_text(html(app))
    app.button(key="reviewed_next").click().run()
    assert_page_shows_data_as_text(app)

    # two hostile reviewers disagree on the first sentence: every Team view shows their names as text
    open_page(app, "team")
    assert_page_shows_data_as_text(app)
    app.text_area(key="assign_names").set_value(f"{IMG}\n{MD_LINK}").run()
    assert_page_shows_data_as_text(app)
    app.button_group(key="team_view").set_value("agreement").run()
    assert_page_shows_data_as_text(app)
    assert list(app.dataframe[0].value["reviewers"]) == [f"{MD_LINK} · tester"]
    app.button_group(key="team_view").set_value("adjudicate").run()
    assert_page_shows_data_as_text(app)
    app.button(key=f"adjudicate_pick_{SENTENCE_IDS[0]}_{MD_LINK}").click().run()
    assert_page_shows_data_as_text(app)
    assert [shown(toast) for toast in app.toast] == [f"Sentence {SENTENCE_IDS[0]} settled by {MD_LINK}."]

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


BROKEN = Dataset(name="broken", title="broken", runs=group_records([("broken", records_without_words())]))


@pytest.fixture
def broken_app(store_url: str) -> AppTest:
    """The app with a data set of :func:`records_without_words` in its session, as a run in the app leaves one."""
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    give_datasets(app, [BROKEN])
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
    broken_app.session_state["pj_sentence"] = {(BROKEN.ident, "es"): sentence_id}
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


def renamed_records(first: int, n: int, prefix: str = "dev") -> list[ProjectionRecord]:
    """``n`` of the example's records from ``first`` on, as ``dev-0`` ... ``dev-{n-1}``: what the same file name
    gives to different lines."""
    records = example_dataset().records("es", "heuristic")[first : first + n]
    return [
        ProjectionRecord(
            id=f"{prefix}-{k}",
            source=Sentence(f"{prefix}-{k}", "en", r.source.tokens, r.source.spans),
            target=Sentence(f"{prefix}-{k}", "es", r.target.tokens),
            alignment=r.alignment,
            projected=r.projected,
            gold=r.gold,
            provenance=r.provenance,
        )
        for k, r in enumerate(records)
    ]


def open_folder(app: AppTest, folder: Path, name: str = "") -> None:
    open_page(app, "data")
    app.text_input(key="records_path").set_value(str(folder)).run()
    app.text_input(key="records_name").set_value(name).run()
    app.button(key="records_open").click().run()
    assert not app.error, [e.value for e in app.error]


def test_two_data_sets_with_one_name_never_share_corrections(app: AppTest, data_root: Path, store_url: str) -> None:
    # a/dev holds the first lines, b/dev the next ones: both are named "dev", their sentence ids are the same
    write_jsonl(renamed_records(0, 10), data_root / "a" / "dev" / "heuristic.jsonl")
    write_jsonl(renamed_records(10, 10), data_root / "b" / "dev" / "heuristic.jsonl")
    open_folder(app, data_root / "a" / "dev")
    first = session_datasets(app)[app.sidebar.selectbox(key="sb_dataset").value]
    open_page(app, "review")
    app.button(key="review_reject_dev-0_0").click().run()  # delete a span on sentence 1 ...
    app.button(key="reviewed").click().run()  # ... and mark it reviewed
    assert "your version" in html(app) and "reviewed by you ✓" in html(app)

    open_folder(app, data_root / "b" / "dev")
    second = session_datasets(app)[app.sidebar.selectbox(key="sb_dataset").value]
    assert first.name == second.name == "dev" and first.ident != second.ident and first.store_key != second.store_key
    assert {first.ident, second.ident} <= set(session_datasets(app))  # the first "dev" is not replaced
    titles = app.sidebar.selectbox(key="sb_dataset").options
    assert len([title for title in titles if title.startswith("dev · ")]) == 2  # told apart in the sidebar
    open_page(app, "review")
    page = html(app)
    assert "as projected" in page and "not reviewed by you" in page and "also reviewed" not in page
    assert "0 of 10 reviewed" in app.get("progress")[0].proto.text
    open_page(app, "export")
    assert [m.value for m in app.metric] == ["10", "10", "0", "0", "0"]

    # by name, as the command line finds them, the correction of a's sentence is refused on b's text
    merged = export_records(
        second.records("es", "heuristic"), data_root / "b.jsonl", corrections=stored_corrections("dev", "es", store_url)
    )
    assert merged.merge is not None and merged.merge.statuses["not reviewed"] == 10 and merged.merge.orphans == 1
    on_first = export_records(
        first.records("es", "heuristic"), data_root / "a.jsonl", corrections=stored_corrections("dev", "es", store_url)
    )
    assert on_first.merge is not None and on_first.merge.statuses["corrected"] == 1 and on_first.merge.orphans == 0


def test_a_loaded_data_set_comes_back_after_a_reload_and_a_restart(data_root: Path, store_url: str) -> None:
    write_jsonl(renamed_records(0, 6, "w"), data_root / "kept" / "heuristic.jsonl")
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    app.run()
    open_folder(app, data_root / "kept", "kept")
    ident = app.sidebar.selectbox(key="sb_dataset").value
    open_page(app, "inspect")
    app.button(key="inspect_next").click().run()
    address = dict(app.query_params)
    assert address == {"dataset": ident, "sentence": "w-1"}

    st.cache_resource.clear()  # what a restarted server has: nothing read yet
    reloaded = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for name, value in address.items():
        reloaded.query_params[name] = value
    reloaded.run()
    assert not reloaded.exception, [e.message for e in reloaded.exception]
    assert reloaded.sidebar.selectbox(key="sb_dataset").value == ident
    assert reloaded.selectbox(key="inspect_jump").value == "w-1"
    assert [d.name for d in session_datasets(reloaded).values()] == ["example-bitext", "example-apertium", "kept"]

    open_page(reloaded, "data")
    reloaded.selectbox(key="data_remove").set_value(ident).run()
    reloaded.button(key="data_remove_go").click().run()
    assert [d.name for d in session_datasets(reloaded).values()] == ["example-bitext", "example-apertium"]
    again = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    again.run()
    assert ident not in session_datasets(again)


def test_without_gold_errors_says_what_to_load_and_inspect_has_no_gold_column(app: AppTest, data_root: Path) -> None:
    records = renamed_records(0, 3)
    for record in records:
        record.gold = None
    write_jsonl(records, data_root / "silver" / "heuristic.jsonl")
    open_folder(app, data_root / "silver", "silver")
    open_page(app, "errors")
    (info,) = [shown(i) for i in app.info]
    assert "have no gold labels" in info and "Project labelled sentences" in info and "bitext" not in info
    open_page(app, "inspect")
    assert "vs gold" not in html(app) and ">agree<" in html(app)


def test_each_data_set_keeps_its_own_method_choice(app: AppTest, data_root: Path) -> None:
    records = renamed_records(0, 3)
    for record in records:
        record.provenance = {**record.provenance, "method": "mine"}
    write_jsonl(records, data_root / "own" / "x.jsonl")
    app.sidebar.selectbox(key="sb_method").set_value("ngram-greedy").run()
    open_folder(app, data_root / "own", "own")
    assert app.sidebar.selectbox(key="sb_method").value == "mine"
    app.sidebar.selectbox(key="sb_dataset").set_value(example_dataset().ident).run()
    assert app.sidebar.selectbox(key="sb_method").value == "ngram-greedy"


def test_the_jump_box_searches_whole_sentences(app: AppTest) -> None:
    options = app.selectbox(key="inspect_jump").options
    assert options[0] == f"ex-0 · {' '.join(example_record('ex-0').target.tokens)}"
    assert options[0].endswith("el 3 de marzo .")


def test_a_first_visit_note_on_inspect_says_what_colours_and_boxes_mean(app: AppTest) -> None:
    (note,) = [m.value for m in app.markdown if m.value.startswith("How to read this page")]
    assert "colour" in note and "solid boxes" in note and "dashed boxes" in note
    app.button(key="inspect_note_done").click().run()
    assert not [m for m in app.markdown if m.value.startswith("How to read this page")]
    open_page(app, "errors")
    open_page(app, "inspect")
    assert not [m for m in app.markdown if m.value.startswith("How to read this page")]


def test_methods_directions_and_profiles_are_explained_in_plain_words(app: AppTest) -> None:
    captions = [shown(c) for c in app.sidebar.caption]
    assert any(c.startswith("each English entity is copied onto the words") for c in captions)
    assert any(c.startswith("runs on this machine without internet") for c in captions)
    assert "a name-finding model for your language labels the sentence directly" in html(app)
    open_page(app, "data")
    directions = [shown_text(c) for c in app.radio(key="labelled_direction").proto.captions]
    assert directions[1].startswith("translate-train: your English sentences were labelled and the labels copied")


def test_a_file_named_swa_is_taken_as_swahili(app: AppTest, data_root: Path) -> None:
    (data_root / "dev.en").write_text("Amina visited Nairobi .\n", encoding="utf-8")
    (data_root / "dev.swa").write_text("Amina alitembelea Nairobi .\n", encoding="utf-8")
    open_page(app, "data")
    app.text_input(key="bitext_src_path").set_value(str(data_root / "dev.en")).run()
    app.text_input(key="bitext_tgt_path").set_value(str(data_root / "dev.swa")).run()
    assert app.text_input(key="bitext_tgt_lang").value == "swa"
    assert any(shown(c).startswith("Swahili (") for c in app.caption)
    app.text_input(key="bitext_tgt_lang").set_value("sw").run()
    assert app.text_input(key="bitext_tgt_lang").value == "sw"  # the user's own code stays
    assert any(shown(c).startswith("Swahili (") for c in app.caption)


def test_a_profile_without_its_models_fails_at_once_and_asks_for_local_copies(
    app: AppTest, data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "empty-hub-cache"))
    (data_root / "dev.en").write_text("Amina visited Nairobi .\n", encoding="utf-8")
    (data_root / "dev.swa").write_text("Amina alitembelea Nairobi .\n", encoding="utf-8")
    app.sidebar.selectbox(key="sb_profile").set_value("paper-small").run()
    open_page(app, "data")
    app.text_input(key="bitext_src_path").set_value(str(data_root / "dev.en")).run()
    app.text_input(key="bitext_tgt_path").set_value(str(data_root / "dev.swa")).run()
    app.button(key="bitext_run").click().run()
    assert shown(app.error[0]).startswith("The profile paper-small cannot run on this machine: the labeller")
    assert app.get("progress") == []  # the bar went with the run that never started
    fields = [w.key for w in app.text_input if w.key and w.key.startswith("bitext_model_")]
    assert fields == ["bitext_model_labeller", "bitext_model_aligner"]

    app.text_input(key="bitext_model_labeller").set_value(str(tmp_path / "outside")).run()
    assert shown(app.error[1]).startswith(f"{tmp_path / 'outside'} is outside the folders this app may read.")
    (data_root / "xlmr").mkdir()
    app.text_input(key="bitext_model_labeller").set_value(str(data_root / "xlmr")).run()
    app.button(key="bitext_run").click().run()
    assert f"the labeller {data_root / 'xlmr'} (the directory does not hold a model)" in shown(app.error[0])
    assert app.get("progress") == []


def relabelled(span: Span, labels: tuple[str, ...] = ("PER", "ORG", "LOC", "DATE")) -> Span:
    """The span with the next label of ``labels``."""
    return Span(span.start, span.end, labels[(labels.index(span.label) + 1) % len(labels)])


def hand_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa worked out from the counts, without any library."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    chance = sum(first[label] * second[label] for label in first | second) / (n * n)
    return (observed - chance) / (1 - chance)


def test_the_agreement_view_shows_the_kappa_of_two_simulated_reviewers(app: AppTest, store_url: str) -> None:
    """ana's spans are the gold spans; ben's are ana's with every tenth label flipped."""
    dataset = example_dataset()
    store = CorrectionsStore(store_url)
    count = 0
    pairs: list[tuple[str, str]] = []
    for sentence_id in dataset.sentence_ids("es"):
        record = dataset.record("es", "heuristic", sentence_id)
        ana = list(record.gold or [])
        ben = []
        for span in ana:
            count += 1
            ben.append(relabelled(span) if count % 10 == 0 else span)
        where = {"lang": "es", "text_hash": dataset.text_hash("es", sentence_id), "dataset_name": "example"}
        store.mark_reviewed(EXAMPLE_KEY, sentence_id, author="ana", spans=ana, **where)
        store.mark_reviewed(EXAMPLE_KEY, sentence_id, author="ben", spans=ben, **where)
        tags = {"ana": ["O"] * len(record.target.tokens), "ben": ["O"] * len(record.target.tokens)}
        for who, spans in (("ana", ana), ("ben", ben)):
            for span in spans:
                tags[who][span.start : span.end] = [span.label] * len(span)
        pairs += list(zip(tags["ana"], tags["ben"], strict=True))
    assert count >= 100  # enough spans for 10% of them to be flipped

    open_page(app, "team")
    app.button_group(key="team_view").set_value("agreement").run()
    (row,) = app.dataframe[0].value.to_dict("records")
    assert row["reviewers"] == "ana · ben" and row["sentences"] == 52 and row["tokens"] == len(pairs)
    assert row["shared spans"] == count - count // 10
    assert row["span F1"] == pytest.approx((count - count // 10) / count)
    assert row["kappa"] == pytest.approx(hand_kappa(pairs))


def test_assigned_reviewers_their_disagreement_settled_and_the_adjudication_exported(
    app: AppTest, store_url: str
) -> None:
    open_page(app, "team")
    app.text_area(key="assign_names").set_value("ana\nben").run()
    app.slider(key="assign_overlap").set_value(10).run()
    app.button(key="assign_save").click().run()
    plan = CorrectionsStore(store_url).assignments(EXAMPLE_KEY, "es")
    assert sorted(plan) == ["ana", "ben"] and len(set(plan["ana"]) & set(plan["ben"])) == 5
    assert sum(map(len, plan.values())) == 52 + 5
    shared = sorted(set(plan["ana"]) & set(plan["ben"]), key=example_dataset().sentence_ids("es").index)[0]
    only_ben = next(sid for sid in plan["ben"] if sid not in plan["ana"])

    for author in ("ana", "ben"):
        open_page(app, "review")
        app.text_input(key="review_author").set_value(author).run()
        app.button_group(key="review_order").set_value("Given to me").run()
        app.selectbox(key="review_jump").set_value(shared).run()
        app.button(key=f"review_reject_{shared}_{0 if author == 'ana' else 1}").click().run()
    open_page(app, "review")
    app.selectbox(key="review_jump").set_value(only_ben).run()
    app.button(key=f"review_reject_{only_ben}_0").click().run()  # ben alone: a single review

    open_page(app, "team")
    app.text_input(key="team_author").set_value("carla").run()
    app.button_group(key="team_view").set_value("adjudicate").run()
    assert app.selectbox(key="adjudicate_sentence").value == shared
    app.button(key=f"adjudicate_pick_{shared}_ana").click().run()
    assert [shown(toast) for toast in app.toast] == [f"Sentence {shared} settled by carla."]

    open_page(app, "export")
    app.selectbox(key="export_format").set_value("jsonl").run()
    app.button(key="export_go").click().run()
    written = {r["id"]: r for r in map(json.loads, app.session_state["export_result"][1].data.decode().splitlines())}
    projected = example_record(shared).projected
    assert [(s["start"], s["end"], s["label"]) for s in written[shared]["projected"]] == [s.key for s in projected[1:]]
    assert written[shared]["provenance"]["review_status"] == "adjudicated"
    assert written[only_ben]["provenance"]["review_status"] == "corrected"
    assert written[only_ben]["source"]["tokens"] == example_record(only_ben).source.tokens


@pytest.mark.slow
def test_projecting_two_dev_files_of_different_lines_keeps_corrections_apart(
    app: AppTest, data_root: Path, store_url: str, shared_data: Path
) -> None:
    """The sequence that once attached a correction to the wrong sentence, with the offline profile."""
    english = (shared_data / "mafand/en-swa/dev.en").read_text("utf-8").splitlines()
    swahili = (shared_data / "mafand/en-swa/dev.swa").read_text("utf-8").splitlines()
    for folder, lines in (("a", slice(0, 150)), ("b", slice(150, 300))):
        (data_root / folder).mkdir()
        (data_root / folder / "dev.en").write_text("\n".join(english[lines]) + "\n", encoding="utf-8")
        (data_root / folder / "dev.swa").write_text("\n".join(swahili[lines]) + "\n", encoding="utf-8")

    def project(folder: str) -> Dataset:
        open_page(app, "data")
        app.text_input(key="bitext_src_path").set_value(str(data_root / folder / "dev.en")).run()
        app.text_input(key="bitext_tgt_path").set_value(str(data_root / folder / "dev.swa")).run()
        app.multiselect(key="bitext_methods").set_value(["heuristic"]).run()
        app.button(key="bitext_run").click().run(timeout=600)
        assert not app.error, [e.value for e in app.error]
        return session_datasets(app)[app.sidebar.selectbox(key="sb_dataset").value]

    first = project("a")
    assert first.name == "dev" and first.langs == ["swa"]
    open_page(app, "review")
    record = first.record("swa", "heuristic", "dev-0")
    assert record is not None and record.projected, "sentence 1 has a projected span to delete"
    app.button(key="review_reject_dev-0_0").click().run()
    app.button(key="reviewed").click().run()

    second = project("b")
    assert second.name == "dev" and second.langs == ["swa"] and second.ident != first.ident
    assert {first.ident, second.ident} <= set(session_datasets(app))
    open_page(app, "review")
    assert app.selectbox(key="review_jump").value == "dev-0"
    page = html(app)
    assert "as projected" in page and "not reviewed by you" in page and "also reviewed" not in page
    open_page(app, "export")
    app.button(key="export_go").click().run()
    assert app.session_state["export_result"][1].statuses["not reviewed"] == 150
    by_name = stored_corrections("dev", "swa", store_url)
    refused = export_records(second.records("swa", "heuristic"), data_root / "b.conll", corrections=by_name)
    assert refused.merge is not None and refused.merge.orphans == 1 and refused.n_corrected == 0
