"""What the what-if keeps of a run: its counts and scores, and the first changed sentences in words."""

from __future__ import annotations

from projection.app_support.datasets import load_example
from projection.app_support.what_if_view import SHOWN_SENTENCES, summarise
from projection.pipeline.reproject import ProjectorSettings, what_if


def test_the_summary_keeps_the_counts_and_names_lost_and_gained_spans() -> None:
    (dataset, _) = load_example()
    records = dataset.records("es", "heuristic")
    settings = ProjectorSettings.of(records[0]).with_knobs(length_ratio=0.6)
    result = what_if(records, settings)
    summary = summarise(records, result, settings)
    assert (summary.changed_spans, summary.changed_sentences) == (result.changed_spans, result.changed_sentences)
    assert summary.n_sentences == len(records) and summary.after is result.after
    assert 0 < len(summary.examples) <= min(SHOWN_SENTENCES, result.changed_sentences)
    ex5 = next(each for each in summary.examples if each.sentence_id == "ex-5")
    assert ex5.lost == [] and ex5.gained == ["Organización Mundial (ORG)"]
