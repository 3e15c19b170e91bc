"""The random sample: drawn once with a seed, stored, the same for every reviewer, replaced only when asked."""

from __future__ import annotations

import threading

import pytest

from projection.errors import ProjectionError
from projection.evaluation.estimate import draw_sample
from projection.store import CorrectionsStore
from projection.store.keys import text_hash

SENTENCES = [(f"s{index}", text_hash(["word", str(index)])) for index in range(200)]


def test_a_drawn_sample_is_stored_and_every_store_on_the_database_reads_the_same(url: str) -> None:
    first = CorrectionsStore(url)
    drawn = first.draw_sample("news@ab", "es", SENTENCES, size=20, seed=7, drawn_by="ana", dataset_name="news")
    assert list(drawn.sentence_ids) == draw_sample([sid for sid, _ in SENTENCES], 20, 7)
    assert drawn.text_hashes == tuple(dict(SENTENCES)[sid] for sid in drawn.sentence_ids)
    assert (drawn.size, drawn.population, drawn.seed, drawn.drawn_by) == (20, 200, 7, "ana")
    first.close()

    other = CorrectionsStore(url)  # another reviewer, another process
    assert other.sample("news@ab", "es") == drawn
    assert other.sample("news@ab", "sw") is None and other.sample("other@cd", "es") is None
    assert other.samples_named("news") == [drawn] == other.samples_named("news@ab", "es")
    assert other.sample_names() == ["news"]


def test_drawing_again_keeps_the_sample_unless_asked_to_replace_it(url: str) -> None:
    store = CorrectionsStore(url)
    drawn = store.draw_sample("news", "es", SENTENCES, size=20, seed=7, drawn_by="ana")
    again = store.draw_sample("news", "es", SENTENCES, size=50, seed=8, drawn_by="ben")
    assert again == drawn
    replaced = store.draw_sample("news", "es", SENTENCES, size=50, seed=8, drawn_by="ben", replace=True)
    assert replaced.size == 50 and replaced.drawn_by == "ben" and replaced.id > drawn.id
    assert store.sample("news", "es") == replaced
    assert store.samples_named("news") == [replaced]


def test_a_sample_larger_than_the_data_set_takes_every_sentence_and_bad_draws_are_refused(url: str) -> None:
    store = CorrectionsStore(url)
    assert store.draw_sample("news", "es", SENTENCES[:5], size=100, seed=0, drawn_by="ana").size == 5
    with pytest.raises(ProjectionError, match="at least one sentence"):
        store.draw_sample("news", "sw", SENTENCES, size=0, seed=0, drawn_by="ana")
    with pytest.raises(ProjectionError, match="no sentences to draw"):
        store.draw_sample("news", "sw", [], size=10, seed=0, drawn_by="ana")
    with pytest.raises(ProjectionError, match="seed is a whole number"):
        store.draw_sample("news", "sw", SENTENCES, size=10, seed=2**31, drawn_by="ana")
    assert store.sample("news", "sw") is None


def test_a_sample_knows_which_sentences_of_a_data_set_do_not_fit_it(url: str) -> None:
    drawn = CorrectionsStore(url).draw_sample("news", "es", SENTENCES, size=10, seed=1, drawn_by="ana")
    hashes = dict(SENTENCES)
    assert drawn.misfits(hashes) == []
    changed, dropped = drawn.sentence_ids[2], drawn.sentence_ids[5]
    hashes[changed] = text_hash(["another", "text"])
    del hashes[dropped]
    assert drawn.misfits(hashes) == [changed, dropped]


def test_two_reviewers_drawing_at_once_get_one_sample(url: str) -> None:
    store = CorrectionsStore(url)
    found = []

    def draw(seed: int) -> None:
        found.append(store.draw_sample("news", "es", SENTENCES, size=30, seed=seed, drawn_by=f"r{seed}"))

    threads = [threading.Thread(target=draw, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({sample.id for sample in found}) == 1
    assert store.sample("news", "es") == found[0]
