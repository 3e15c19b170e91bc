"""The estimate read from a stored sample: which sampled sentences count as reviewed, and what they are scored on."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.app_support.datasets import Dataset, load_example
from projection.data import Span
from projection.errors import ProjectionError
from projection.evaluation.estimate import estimate_quality
from projection.quality import find_sample, sample_quality
from projection.store import ADJUDICATION, CorrectionsStore
from projection.store.keys import text_hash


@pytest.fixture
def example() -> Dataset:
    (found,) = [d for d in load_example() if d.name == "example-bitext"]
    return found


def hashes_of(dataset: Dataset, lang: str = "es") -> dict[str, str]:
    return {sentence_id: dataset.text_hash(lang, sentence_id) for sentence_id in dataset.sentence_ids(lang)}


def test_only_finished_reviews_count_and_corrections_are_the_reference(example: Dataset, tmp_path: Path) -> None:
    store = CorrectionsStore(f"sqlite:///{tmp_path / 'c.sqlite'}")
    key, records = example.store_key, {r.id: r for r in example.records("es", "heuristic")}
    sample = store.draw_sample(key, "es", list(hashes_of(example).items()), size=10, seed=4, drawn_by="ana")
    first, second, third, fourth = sample.sentence_ids[:4]
    where = {"lang": "es", "method": "heuristic"}

    def projected(sentence_id: str) -> list[Span]:
        return list(records[sentence_id].projected)

    # first: approved as projected; second: a span rejected, then marked; third: edited, never marked
    store.mark_reviewed(key, first, author="ana", spans=projected(first), text_hash=hashes_of(example)[first], **where)
    kept = projected(second)[1:]
    store.save(key, second, projected(second), kept, author="ana", action="reject",
               text_hash=hashes_of(example)[second], **where)  # fmt: skip
    store.mark_reviewed(key, second, author="ana", spans=kept, text_hash=hashes_of(example)[second], **where)
    store.save(key, third, projected(third), [], author="ben", action="reject",
               text_hash=hashes_of(example)[third], **where)  # fmt: skip
    # fourth: adjudicated to no spans at all, which outranks any review
    store.save(key, fourth, projected(fourth), [], author="lead", action="adjudicate", track=ADJUDICATION,
               text_hash=hashes_of(example)[fourth], **where)  # fmt: skip

    found = sample_quality(sample, records, store.reviews(key, lang="es"), method="heuristic", resamples=300)
    assert found.reviewed == 3
    expected = estimate_quality(
        [(projected(first), projected(first)), (projected(second), kept), (projected(fourth), [])], resamples=300
    )
    assert found.estimate == expected
    assert found.estimate.precision.numerator == len(projected(first)) + len(kept)
    assert found.estimate.precision.denominator == sum(len(projected(s)) for s in (first, second, fourth))


def test_nothing_reviewed_gives_no_estimate_and_other_texts_are_refused(example: Dataset, tmp_path: Path) -> None:
    store = CorrectionsStore(f"sqlite:///{tmp_path / 'c.sqlite'}")
    records = {r.id: r for r in example.records("es", "heuristic")}
    sample = store.draw_sample(example.store_key, "es", list(hashes_of(example).items()), size=5, seed=0,
                               drawn_by="ana")  # fmt: skip
    nothing = sample_quality(sample, records, {}, method="heuristic")
    assert (nothing.reviewed, nothing.estimate) == (0, None)
    del records[sample.sentence_ids[0]]
    with pytest.raises(ProjectionError, match="lack 1 of the sample's 5 sentences"):
        sample_quality(sample, records, {}, method="heuristic")


def test_a_sample_is_found_by_name_or_key_on_the_sentences_it_was_drawn_on(example: Dataset, tmp_path: Path) -> None:
    store = CorrectionsStore(f"sqlite:///{tmp_path / 'c.sqlite'}")
    hashes = hashes_of(example)
    with pytest.raises(ProjectionError, match=r"knows no data set 'example'.*No data set has one yet"):
        find_sample(store, "example", "es", hashes)
    store.mark_reviewed(example.store_key, "ex-0", author="ana", lang="es", dataset_name="example")
    with pytest.raises(ProjectionError, match="has no random sample yet: draw one on the app's Review page"):
        find_sample(store, "example", "es", hashes)
    sample = store.draw_sample(example.store_key, "es", list(hashes.items()), size=5, seed=0, drawn_by="ana",
                               dataset_name="example")  # fmt: skip
    assert find_sample(store, "example", "es", hashes) == sample == find_sample(store, example.store_key, "es", hashes)
    with pytest.raises(ProjectionError, match="has a random sample in es but none in 'sw'"):
        find_sample(store, "example", "sw", hashes)
    changed = {**hashes, sample.sentence_ids[1]: text_hash(["other"])}
    with pytest.raises(ProjectionError, match="drawn on other sentences than these records': 1 of its 5"):
        find_sample(store, "example", "es", changed)
