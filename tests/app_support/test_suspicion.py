"""The app's gold-free ranking: what is ranked with what, how it is cached, how it is counted, filtered and ordered."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from projection.app_support.datasets import Dataset, group_records, load_example
from projection.app_support.reviewing import MOST_SUSPICIOUS, sentence_orders
from projection.app_support.suspicion import (
    STAGE,
    Ranking,
    filtered,
    language_ranking,
    ranked_method,
    ranked_runs,
    request,
    reviewed_ids,
    signal_counts,
    signal_title,
    stored_ranking,
    suspicious_unreviewed,
    triage_from,
)
from projection.cache import Cache
from projection.data import ProjectionRecord, Sentence, Span
from projection.store import CorrectionsStore


def example(methods: tuple[str, ...] = ("heuristic", "backtranslation", "ngram-greedy")) -> Dataset:
    """Three of the bitext example's methods, as a data set of its own (a new ``uid`` every call)."""
    (found,) = [d for d in load_example() if d.name == "example-bitext"]
    records = [record for method in methods for record in copy.deepcopy(found.records("es", method))]
    return Dataset(name="ex", title="ex", runs=group_records([("ex", records)]))


def ranking_of(dataset: Dataset, cache: Cache) -> Ranking:
    return language_ranking(request(dataset, "es", "heuristic"), cache)


def test_a_ranking_is_stored_once_and_read_back_by_another_load_of_the_same_records(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    first = example()
    assert stored_ranking(request(first, "es", "heuristic"), cache) is None
    computed = ranking_of(first, cache)
    again = stored_ranking(request(example(), "es", "heuristic"), cache)
    assert again is not None and again.triage.to_dict() == computed.triage.to_dict()
    assert again.fired == computed.fired
    assert len(list((tmp_path / STAGE).rglob("*.json"))) == 1


def test_gold_does_not_change_the_key_but_a_projected_span_does(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    ranking_of(example(), cache)
    without_gold = example()
    for record in without_gold.records("es", "heuristic"):
        record.gold = None
    assert stored_ranking(request(without_gold, "es", "heuristic"), cache) is not None
    changed = example()
    changed.records("es", "heuristic")[0].projected.pop()
    assert stored_ranking(request(changed, "es", "heuristic"), cache) is None


def test_an_entry_that_does_not_read_back_is_computed_again(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    dataset = example()
    asked = request(dataset, "es", "heuristic")
    cache.put(STAGE, asked.key(False), {"triage": [{"sentences": "not a list of sentences"}], "fired": [{}]})
    assert stored_ranking(asked, cache) is None
    ranking = language_ranking(asked, cache)
    assert len(ranking.triage.sentences) == 52
    assert stored_ranking(asked, cache) is not None


def test_a_triage_reads_back_from_its_dict(tmp_path: Path) -> None:
    ranking = ranking_of(example(), Cache(None))
    assert triage_from(ranking.triage.to_dict()).to_dict() == ranking.triage.to_dict()


def test_a_method_lacking_sentences_and_a_record_the_pages_cannot_draw_are_left_out() -> None:
    dataset = example()
    lacking = dataset.records("es", "ngram-greedy")
    del lacking[3:]
    drawn = dataset.records("es", "heuristic")
    record = drawn[5]
    drawn[5] = ProjectionRecord(record.id, record.source, Sentence(record.id, "es", record.target.tokens[:1]),
                                projected=[Span(0, 3, "LOC")])  # fmt: skip
    dataset = Dataset(name="ex", title="ex", runs=dataset.runs)
    runs, left_out = ranked_runs(dataset, "es", "heuristic")
    assert list(runs) == ["heuristic", "backtranslation"] and len(runs["heuristic"]) == 51
    assert left_out == {
        "sentences": "1 of 52 cannot be shown and are not ranked",
        "committee: ngram-greedy": "it lacks 48 of the 51 ranked sentences",
    }
    ranking = language_ranking(request(dataset, "es", "heuristic"), Cache(None))
    assert ranking.triage.committee == ["backtranslation"]
    assert ranking.missing()["committee: ngram-greedy"] == "it lacks 48 of the 51 ranked sentences"


def test_only_signals_with_a_value_fire_and_flags_count_by_group() -> None:
    ranking = ranking_of(example(), Cache(None))
    counts = signal_counts(ranking).set_index("signal")
    assert not [name for name in counts.index if name.startswith("model.")]  # not computed here
    assert counts["spans"].is_monotonic_decreasing
    for group in ("committee", "support"):
        flags = sum(1 for s in ranking.triage.sentences for flag in s.flagged if flag.group == group)
        assert (counts.loc[f"flag.{group}", "spans"] if f"flag.{group}" in counts.index else 0) == flags
    for sentence in ranking.triage.sentences:
        for span, names in zip(sentence.spans, ranking.fired[sentence.id], strict=True):
            assert set(names) <= set(span.signals)
    assert signal_title("committee.exact.backtranslation") == "committee: backtranslation projecting the same span"
    assert signal_title("flag.consistency") == "consistency: possibly missed entity"


def test_the_list_filters_by_label_signal_suspicion_and_word() -> None:
    dataset = example()
    ranking = ranking_of(dataset, Cache(None))
    records = {record.id: record for record in dataset.records("es", "heuristic")}
    everything = filtered(ranking, records)
    assert everything == ranking.triage.sentences
    strong = filtered(ranking, records, min_suspicion=0.9)
    assert strong == [s for s in everything if s.suspicion >= 0.9] and 0 < len(strong) < 52
    dates = filtered(ranking, records, labels=["DATE"])
    assert all("DATE" in {span.label for span in s.spans} | {f.label for f in s.flagged} for s in dates)
    rarest = min(
        {name for s in everything for name in ranking.signals_of(s)},
        key=lambda name: sum(name in ranking.signals_of(s) for s in everything),
    )
    firing = filtered(ranking, records, signals=[rarest])
    assert firing and len(firing) < len(everything) and all(rarest in ranking.signals_of(s) for s in firing)
    word = records[ranking.triage.sentences[-1].id].target.tokens[0]
    assert ranking.triage.sentences[-1] in filtered(ranking, records, word=word.upper())


def test_the_suspicious_order_leaves_out_what_someone_reviewed(tmp_path: Path) -> None:
    dataset = example()
    ranking = ranking_of(dataset, Cache(None))
    top = ranking.triage.sentences[0].id
    store = CorrectionsStore(f"sqlite:///{tmp_path / 'c.sqlite'}")
    store.mark_reviewed(dataset.store_key, top, author="ana", lang="es", text_hash=dataset.text_hash("es", top))
    reviewed = reviewed_ids(dataset, "es", "heuristic", store.reviews(dataset.store_key, lang="es"))
    assert reviewed == {top}
    order = suspicious_unreviewed(ranking, reviewed)
    assert order == [s.id for s in ranking.triage.sentences[1:]]
    orders = sentence_orders(dataset, "es", [], [*order, "not-in-the-data"])
    assert orders[MOST_SUSPICIOUS] == order


@pytest.mark.parametrize(
    ("chosen", "default", "ranked"),
    [("backtranslation", "heuristic", "backtranslation"), ("gone", "heuristic", "heuristic"), (None, "x", "heuristic")],
)
def test_the_ranked_method_is_the_chosen_one_else_the_profiles_else_the_first(
    chosen: str | None, default: str, ranked: str
) -> None:
    assert ranked_method(example(), "es", chosen, default) == ranked
