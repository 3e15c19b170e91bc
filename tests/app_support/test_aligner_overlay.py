"""Other aligners on the sentence shown: the example's stored comparison, or the records' and the surface links."""

from __future__ import annotations

from dataclasses import replace

from app_pages import example_record

from projection.aligners.comparison import EFLOMAL_VIEWS
from projection.app_support.aligner_overlay import (
    corpus_views,
    edit_towards,
    example_comparison,
    in_use_name,
    overlay_links,
    sentence_comparison,
    sentence_pair,
    view_rows,
)
from projection.app_support.datasets import Dataset, group_records, load_example
from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.pipeline.reproject import reproject

EFLOMAL = [f"eflomal:{view}" for view in EFLOMAL_VIEWS]


def example(name: str = "example-bitext") -> Dataset:
    (found,) = [d for d in load_example() if d.name == name]
    return found


def test_the_example_shows_every_stored_view_and_the_surface_aligner_finds_atlantico() -> None:
    dataset = example()
    stored, skipped = example_comparison(dataset)
    record = dataset.record("es", "heuristic", "ex-11")
    comparison = sentence_comparison(dataset, record, stored=stored, skipped=skipped)
    assert comparison.origin == "precomputed with the built-in example"
    assert comparison.views == [*EFLOMAL, "surface"]
    assert comparison.pair.voters == ["eflomal:grow-diag-final-and", "surface"]
    assert set(skipped) == set(comparison.skipped) and any(name.startswith("simalign") for name in skipped)
    links = {
        (link.source, link.target): link
        for link in overlay_links(comparison.pair, comparison.views, record.source.tokens, record.target.tokens)
    }
    # eflomal links Atlantic with costa, the surface aligner with Atlántico (prefix 8 of 9 letters): one each
    assert links[(15, 16)].agreement == links[(15, 18)].agreement == 1 and links[(15, 16)].voters == 2
    assert links[(17, 19)].agreement == 2
    assert "Atlantic ↔ Atlántico" in links[(15, 18)].text and "surface: score 0.89" in links[(15, 18)].text
    # projecting through the surface aligner's links fixes the sentence
    edit = edit_towards(comparison.pair.alignments["surface"], record.alignment)
    spans = reproject(record, edit, corpus=dataset.records("es", "heuristic")).record.projected
    assert (18, 19, "LOC") in [span.key for span in spans] and (16, 17, "LOC") not in [span.key for span in spans]


def test_only_the_chosen_views_are_drawn_and_agreement_still_counts_every_aligner() -> None:
    dataset = example()
    stored, _ = example_comparison(dataset)
    record = dataset.record("es", "heuristic", "ex-11")
    pair = stored["ex-11"]
    drawn = overlay_links(pair, ["surface"], record.source.tokens, record.target.tokens)
    assert {(link.source, link.target) for link in drawn} == set(pair.alignments["surface"].links)
    assert all(link.agreement == pair.agreement((link.source, link.target)) for link in drawn)


def test_a_record_whose_links_are_not_among_the_stored_views_gets_a_comparison_made_now() -> None:
    dataset = example()
    stored, skipped = example_comparison(dataset)
    record = dataset.record("es", "heuristic", "ex-11")
    other = replace(record, alignment=Alignment([(0, 0)]))
    comparison = sentence_comparison(dataset, other, stored=stored, skipped=skipped)
    assert comparison.views == ["in use (eflomal grow-diag-final-and)", "surface"]
    assert comparison.pair.alignments["in use (eflomal grow-diag-final-and)"].links == [(0, 0)]
    assert comparison.skipped == {}


def test_any_other_data_set_compares_its_own_links_with_the_surface_aligner_then_eflomal_views() -> None:
    records = example().records("es", "heuristic")[:6]
    dataset = Dataset(name="run", title="run", runs=group_records([("run", records)]))
    assert example_comparison(dataset) == ({}, {})
    record = records[0]
    comparison = sentence_comparison(dataset, record, stored={}, skipped={})
    assert comparison.pair.voters == [in_use_name(record), "surface"]
    assert comparison.origin == "the records' links and the surface aligner, on this sentence"
    views = corpus_views(records)
    assert list(views) == [r.id for r in records]
    with_eflomal = sentence_comparison(dataset, record, stored={}, skipped={}, corpus=views)
    assert with_eflomal.views == [in_use_name(record), "surface", *EFLOMAL]
    assert with_eflomal.pair.voters == [in_use_name(record), "surface"]
    assert "a new run over this data set" in with_eflomal.origin


def test_view_rows_count_links_shared_with_the_chart() -> None:
    record = example_record("ex-11")
    pair = sentence_pair(record)
    rows = view_rows(sentence_comparison(example(), record, stored={}, skipped={}), record.alignment.links)
    surface = next(row for row in rows if row["aligner view"] == "surface")
    shared = len(set(pair.alignments["surface"].links) & set(record.alignment.links))
    assert (
        surface["links"] == len(pair.alignments["surface"].links) and surface["shared with the chart's links"] == shared
    )
    assert surface["counts in agreement"] == "yes" and surface["scores"] == "yes"
    assert rows[0]["shared with the chart's links"] == len(record.alignment.links)


def test_hover_text_shows_tokens_and_view_names_as_text() -> None:
    record = ProjectionRecord(
        "h",
        Sentence("h", "en", ["<b>Ana</b>", "x"], [Span(0, 1, "PER")]),
        Sentence("h", "es", ["<b>Ana</b>", "y"]),
        alignment=Alignment([(0, 0)]),
        provenance={"stages": {"align": {"name": "<i>aligner</i>"}}},
    )
    pair = sentence_pair(record)
    (link,) = overlay_links(pair, list(pair.alignments), record.source.tokens, record.target.tokens)
    assert "<b>" not in link.text and "<i>" not in link.text
    assert (
        "&lt;b&gt;Ana&lt;/b&gt; ↔ &lt;b&gt;Ana&lt;/b&gt;" in link.text
        and "in use (&lt;i&gt;aligner&lt;/i&gt;)" in link.text
    )
