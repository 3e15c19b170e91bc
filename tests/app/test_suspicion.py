"""Spot-checking silver data without gold through Streamlit's AppTest: the Errors page's ranking, Inspect's
reasons, Review's most-suspicious order, and data that lacks a signal's inputs.

The expected order is the triage's own (:func:`projection.triage.triage` on the same records), never
copied from the page; every test keeps its rankings in a cache folder of its own.
"""

from __future__ import annotations

import base64
import copy
import json
from html import escape
from pathlib import Path

import numpy as np
import pytest
from app_pages import REPO, assert_page_shows_data_as_text, give_datasets, html, open_page, shown
from hostile_text import IMG, LANG, METHODS, hostile_records, shown_text
from streamlit.testing.v1 import AppTest

from projection.app_support import suspicion_view
from projection.app_support.datasets import Dataset, group_records, load_example
from projection.app_support.reviewing import ALL_SENTENCES, MOST_SUSPICIOUS
from projection.app_support.tokens_html import chart_text
from projection.data import Alignment, ProjectionRecord
from projection.triage import Triage, triage


@pytest.fixture(autouse=True)
def own_cache(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corrections store and workspace of the test's own, and rankings (and the corpus model's folds)
    cached in its folder only."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(suspicion_view, "DEFAULT_CACHE_DIR", folder)
    return folder


def silver(methods: list[str] | None = None, n: int | None = None, aligned: bool = True) -> Dataset:
    """The bitext example's records without their gold (of ``methods``, the first ``n`` sentences, links dropped)."""
    (example,) = [d for d in load_example() if d.name == "example-bitext"]
    records: list[ProjectionRecord] = []
    for method in methods or example.methods("es"):
        for record in copy.deepcopy(example.records("es", method)[:n]):
            record.gold = None
            if not aligned:
                record.alignment = Alignment()
                record.explanations = []
            records.append(record)
    return Dataset(name="silver", title="silver", runs=group_records([("silver", records)]))


def expected(dataset: Dataset) -> Triage:
    """The ranking the backend gives the records (no corpus model)."""
    runs = {method: dataset.records("es", method) for method in dataset.methods("es")}
    return triage(runs, default="heuristic", model=None)


def app_with(dataset: Dataset) -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    give_datasets(app, [dataset])
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def ranked_ids(app: AppTest) -> list[str]:
    return [b.key.removeprefix("sus_inspect_") for b in app.button if b.key and b.key.startswith("sus_inspect_")]


def passing(app: AppTest) -> int:
    (caption,) = [c.value for c in app.caption if "ranked sentences pass the filters" in c.value]
    return int(caption.split()[0])


def not_computed(app: AppTest) -> str:
    (found,) = [shown(m) for m in app.markdown if m.value.startswith("Not computed")]
    return found


def test_errors_without_gold_shows_the_distribution_the_signals_and_the_ranked_list() -> None:
    dataset = silver()
    ranking = expected(dataset)
    app = open_page(app_with(dataset), "errors")
    assert not app.error
    (info,) = [shown(i) for i in app.info]
    assert "have no gold labels" in info and "ranked below" in info
    assert ranked_ids(app) == [sentence.id for sentence in ranking.sentences[:15]]
    assert passing(app) == 52
    histogram, signals = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    (trace,) = histogram["data"]
    values = np.frombuffer(base64.b64decode(trace["x"]["bdata"]), dtype=trace["x"]["dtype"])
    assert trace["name"] == "es" and sorted(values) == sorted(round(s.suspicion, 4) for s in ranking.sentences)
    titles = [title for trace in signals["data"] for title in trace["y"]]
    assert "committee: agreement of the other methods" in titles
    assert not any(title.startswith("model:") for title in titles)  # not computed: it never fires
    assert "model: the cross-validated model was turned off" in not_computed(app)
    assert not app.button(key="sus_model").disabled
    top = ranking.sentences[0]
    assert all(escape(reason) in html(app) for reason in top.reasons[:1])


def test_the_ranked_list_filters_by_least_suspicion_label_and_signal() -> None:
    dataset = silver()
    ranking = expected(dataset)
    app = open_page(app_with(dataset), "errors")
    app.slider(key="sus_least").set_value(0.9).run()
    strong = [s.id for s in ranking.sentences if round(s.suspicion, 4) >= 0.9]
    assert passing(app) == len(strong) and ranked_ids(app) == strong[:15]
    app.slider(key="sus_least").set_value(0.0).run()
    app.multiselect(key="sus_labels").set_value(["PER"]).run()
    with_per = [
        s.id for s in ranking.sentences if "PER" in {span.label for span in s.spans} | {f.label for f in s.flagged}
    ]
    assert passing(app) == len(with_per) < 52
    app.multiselect(key="sus_labels").set_value([]).run()
    app.multiselect(key="sus_signals").set_value(["flag.committee"]).run()
    flagged = [s.id for s in ranking.sentences if any(f.group == "committee" for f in s.flagged)]
    assert ranked_ids(app) == flagged[:15] and 0 < len(flagged) < 52


def test_a_ranked_sentence_opens_in_inspect_with_its_reasons_and_in_review() -> None:
    dataset = silver()
    top, second = expected(dataset).sentences[:2]
    app = open_page(app_with(dataset), "errors")
    app.button(key=f"sus_inspect_{second.id}").click().run()
    assert app.selectbox(key="inspect_jump").value == second.id
    (table,) = [h.value for h in app.html if "<th>reasons</th>" in h.value]
    worst = max(second.spans, key=lambda span: span.suspicion)
    assert shown_text(worst.reasons[0]) in shown_text(table)
    (where,) = [shown(c) for c in app.caption if c.value.startswith("Suspicion")]
    assert where.startswith(f"Suspicion {second.suspicion:.2f}, 2 of 52 by suspicion")
    open_page(app, "errors")
    app.button(key=f"sus_review_{top.id}").click().run()
    assert app.selectbox(key="review_jump").value == top.id


def test_review_goes_through_the_most_suspicious_unreviewed_sentences_first() -> None:
    dataset = silver()
    first, second, third = (sentence.id for sentence in expected(dataset).sentences[:3])
    app = open_page(app_with(dataset), "review")
    app.button(key="review_next").click().run()
    assert app.selectbox(key="review_jump").value == "ex-1"
    app.button_group(key="review_order").set_value(MOST_SUSPICIOUS).run()
    assert app.selectbox(key="review_jump").value == first
    app.button(key="review_next").click().run()
    assert app.selectbox(key="review_jump").value == second
    app.button(key="reviewed_next").click().run()  # the second is reviewed: the order goes on without it
    assert app.selectbox(key="review_jump").value == third
    app.run()
    ids = [option.split(" · ")[0] for option in app.selectbox(key="review_jump").options]
    assert ids[:2] == [first, third] and second not in ids and len(ids) == 51
    app.button_group(key="review_order").set_value(ALL_SENTENCES).run()
    assert app.selectbox(key="review_jump").value == "ex-0"


@pytest.mark.parametrize(
    ("dataset", "group", "why"),
    [
        (silver(["heuristic"]), "committee", "only one method's projections are available"),
        (silver(aligned=False), "support", "the records carry no word alignments (gold-only data)"),
        (silver(n=10), "model", "10 sentences are too few to train a model on the rest of the corpus"),
    ],
    ids=["one-method", "no-alignments", "ten-sentences"],
)
def test_a_signal_without_its_inputs_is_named_and_the_rest_still_rank(dataset: Dataset, group: str, why: str) -> None:
    app = open_page(app_with(dataset), "errors")
    assert not app.error
    assert f"{group}: {why}" in not_computed(app)
    assert ranked_ids(app) == [sentence.id for sentence in expected(dataset).sentences[:15]]
    if group == "model":
        assert app.button(key="sus_model").disabled
        (refusal,) = [shown(c) for c in app.caption if "cannot be trained" in c.value]
        assert "10 sentences are too few" in refusal and "it needs 50" in refusal


def test_the_corpus_model_is_trained_on_request_and_kept_for_the_next_session() -> None:
    dataset = silver()
    app = open_page(app_with(dataset), "errors")
    app.button(key="sus_model").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "Every signal was computed." in [c.value for c in app.caption]
    assert any("corpus model is part of this ranking" in c.value for c in app.caption)
    again = open_page(app_with(dataset), "errors")  # a new session finds it in the cache
    assert any("corpus model is part of this ranking" in c.value for c in again.caption)
    assert "sus_model" not in [b.key for b in again.button]


def test_the_ranking_shows_a_hostile_data_set_as_text() -> None:
    records = hostile_records()
    for record in records:
        record.gold = None
    dataset = Dataset(name=IMG, title=IMG, runs=group_records([("hostile", records)]))
    app = open_page(app_with(dataset), "errors")
    assert_page_shows_data_as_text(app)
    assert passing(app) == 3
    histogram, _ = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    assert [trace["name"] for trace in histogram["data"]] == [chart_text(LANG)]
    open_page(app, "inspect")
    assert_page_shows_data_as_text(app)
    assert any("<th>reasons</th>" in h.value for h in app.html)
    open_page(app, "review")
    app.button_group(key="review_order").set_value(MOST_SUSPICIOUS).run()
    assert_page_shows_data_as_text(app)
    assert any(METHODS[0] in shown(c) for c in app.caption if "nobody has reviewed" in c.value)
