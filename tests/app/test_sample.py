"""Review's random sample through AppTest: drawn once and stored, the same after a restart, and its estimate."""

from __future__ import annotations

from app_pages import REPO, assert_page_shows_data_as_text, give_datasets, open_page, shown
from hostile_text import DATASET_NAME, hostile_records
from streamlit.testing.v1 import AppTest

from projection.app_support.datasets import Dataset, group_records, load_example
from projection.app_support.reviewing import RANDOM_SAMPLE
from projection.evaluation.estimate import estimate_quality
from projection.store import CorrectionsStore


def example() -> Dataset:
    (found,) = [d for d in load_example() if d.name == "example-bitext"]
    return found


def new_session() -> AppTest:
    """The app as a reviewer opening it: a new session (after a restart, say) on the same store."""
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def open_sample(app: AppTest) -> None:
    open_page(app, "review")
    app.button_group(key="review_order").set_value(RANDOM_SAMPLE).run()
    assert not app.exception, [e.message for e in app.exception]


def sentences_gone_through(app: AppTest) -> list[str]:
    return [option.split(" · ")[0] for option in app.selectbox(key="review_jump").options]


def draw(app: AppTest, size: int, seed: int) -> None:
    app.number_input(key="sample_size").set_value(size).run()
    app.number_input(key="sample_seed").set_value(seed).run()
    app.button(key="sample_draw").click().run()
    assert not app.exception, [e.message for e in app.exception]


def test_the_sample_drawn_is_stored_and_the_same_after_a_restart(app: AppTest, store_url: str) -> None:
    open_sample(app)
    assert "No random sample of this language yet" in shown(app.info[0])
    draw(app, 8, 5)
    stored = CorrectionsStore(store_url).sample(example().store_key, "es")
    assert stored is not None and (stored.size, stored.seed, stored.drawn_by) == (8, 5, "tester")
    assert sentences_gone_through(app) == list(stored.sentence_ids)
    assert sentences_gone_through(app) != example().sentence_ids("es")[:8]

    restarted = new_session()
    open_sample(restarted)
    assert sentences_gone_through(restarted) == list(stored.sentence_ids)
    assert restarted.button(key="sample_redraw").disabled  # a new draw needs its confirmation first
    restarted.number_input(key="sample_size").set_value(4).run()
    restarted.checkbox(key="sample_replace").check().run()
    restarted.button(key="sample_redraw").click().run()
    replaced = CorrectionsStore(store_url).sample(example().store_key, "es")
    assert replaced is not None and replaced.size == 4 and replaced.id != stored.id
    assert sentences_gone_through(restarted) == list(replaced.sentence_ids)


def test_reviewing_the_sample_gives_the_estimate_with_corrections_as_gold(app: AppTest, store_url: str) -> None:
    open_sample(app)
    draw(app, 10, 1)
    assert any("0 of the sample's 10 sentences reviewed" in shown(c) for c in app.caption)
    assert not app.metric
    dataset, method = example(), app.sidebar.selectbox(key="sb_method").value
    first, second = sentences_gone_through(app)[:2]
    app.button(key="reviewed_next").click().run()  # approved as projected
    app.button(key="review_reject_next").click().run()  # the second: its first span rejected
    app.button(key="reviewed_next").click().run()

    projected = {sid: dataset.record("es", method, sid).projected for sid in (first, second)}
    expected = estimate_quality(
        [(projected[first], projected[first]), (projected[second], projected[second][1:])],
        labels=dataset.labels("es") or None,
    )
    assert any("2 of the sample's 10 sentences reviewed" in shown(c) for c in app.caption)
    assert [m.value for m in app.metric] == [f"{expected.precision.value:.1%}", f"{expected.recall.value:.1%}"]
    assert expected.precision.value < 1 and expected.recall.value == 1
    assert any(f"{expected.precision.low:.1%} – {expected.precision.high:.1%}" in shown(c) for c in app.caption)
    assert "cannot estimate quality" in shown(app.info[-1])


def test_the_sample_of_a_hostile_data_set_shows_it_as_text(store_url: str) -> None:
    hostile = Dataset(name=DATASET_NAME, title=DATASET_NAME, runs=group_records([("run", hostile_records())]))
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    give_datasets(app, [hostile])
    app.run()
    app.session_state["pj_author"] = DATASET_NAME  # a reviewer name with markup, shown in the sample's caption
    open_sample(app)
    draw(app, 2, 0)
    assert_page_shows_data_as_text(app)
    app.button(key="reviewed_next").click().run()
    assert_page_shows_data_as_text(app)
    assert any(f"by {DATASET_NAME} on" in shown(c) for c in app.caption)
    assert any("1 of the sample's 2 sentences reviewed" in shown(c) for c in app.caption)
