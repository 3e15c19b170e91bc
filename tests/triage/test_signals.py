"""Each signal on hand-built records: a sentence with a known fault ranks above a clean one."""

from __future__ import annotations

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.projectors import projectors
from projection.triage.ranking import Triage, triage
from projection.triage.weights import Weights


def projected(sid: str, source: Sentence, target: Sentence, links: list[tuple[int, int]], method: str = "heuristic"):
    alignment = Alignment(links)
    projection = projectors.create(method).explain_one(source, target, alignment)
    return ProjectionRecord(
        sid,
        Sentence(sid, "en", source.tokens, source.spans),
        Sentence(sid, "es", target.tokens),
        alignment,
        projection.spans,
        provenance={"method": method},
        explanations=projection.explanations,
    )


def weights(**features: tuple[float, float]) -> Weights:
    """Hand-set linear weights: ``support__shared=(center, coefficient)`` adds ``coefficient * (value - center)``
    log-odds for ``support.shared`` (scale 1, nothing when missing)."""
    names = [name.replace("__", ".") for name in features]
    centers = [center for center, _ in features.values()]
    coefficients = [coefficient for _, coefficient in features.values()]
    return Weights(names, centers, [1.0] * len(names), coefficients, [0.0] * len(names), 0.0)


def ranked_ids(result: Triage) -> list[str]:
    return [sentence.id for sentence in result.sentences]


BANK = Sentence("x", "en", ["the", "Bank", "kept", "rates"], [Span(1, 2, "ORG")])
BANCO = Sentence("x", "es", ["el", "Banco", "mantuvo", "tasas"])


def test_a_stray_link_ranks_above_a_clean_link() -> None:
    clean = projected("clean", BANK, BANCO, [(0, 0), (1, 1), (2, 2), (3, 3)])
    stray = projected("stray", BANK, BANCO, [(0, 0), (1, 2), (2, 2), (3, 3)])
    assert stray.projected == [Span(2, 3, "ORG", origin="projected:heuristic")]
    result = triage(
        {"heuristic": [clean, stray]},
        default="heuristic",
        model=None,
        weights=weights(support__shared=(0.0, 1.5), support__case=(0.0, 2.0)),
    )
    assert ranked_ids(result) == ["stray", "clean"]
    assert result.sentences[0].spans[0].reasons == [
        "'mantuvo' is lower-case while 'Bank' is capitalised",
        "'mantuvo': 'mantuvo' is also aligned to 'kept', outside 'Bank'",
    ]
    assert result.sentences[1].spans[0].reasons == []
    assert "committee" in result.missing and "model" in result.missing


def test_links_of_the_entity_outside_its_span_are_named() -> None:
    source = Sentence("x", "en", ["Bank", "Central"], [Span(0, 2, "ORG")])
    target = Sentence("x", "es", ["Banco", "Central", "y", "el", "banco"])
    record = projected("x", source, target, [(0, 0), (1, 1), (0, 4)])
    result = triage(
        {"heuristic": [record]}, default="heuristic", model=None, weights=weights(support__outside=(0.0, 1.0))
    )
    (span,) = result.sentences[0].spans
    assert span.signals["support.outside"] == 1 / 3
    assert span.reasons == ["1 of 3 links of 'Bank Central' land outside the span"]


def test_the_match_reason_says_weak_below_one_and_dense_above() -> None:
    source = Sentence("x", "en", ["Bank", "Central"], [Span(0, 2, "ORG")])
    target = Sentence("x", "es", ["Banco", "Central"])
    dense = projected("dense", source, target, [(0, 0), (0, 1), (1, 0), (1, 1)])
    weak = projected("weak", source, Sentence("x", "es", ["Banco", "Central", "Europeo"]), [(0, 0), (1, 2)])
    result = triage(
        {"heuristic": [dense, weak]}, default="heuristic", model=None, weights=weights(support__match=(1.0, 1.0))
    )
    found = {sentence.id: sentence.spans[0] for sentence in result.sentences}
    assert found["dense"].signals["support.match"] == 2.0
    assert found["dense"].reasons == ["dense links: 4 links tie 'Bank Central' to a 2-word span (c(e,t) = 2.00)"]
    low = (
        triage({"heuristic": [weak]}, default="heuristic", model=None, weights=weights(support__match=(1.0, -5.0)))
        .sentences[0]
        .spans[0]
    )
    assert low.signals["support.match"] == 2 * 2 / 5
    assert low.reasons == ["weak match: c(e,t) = 0.80 between 'Bank Central' and the span"]


def test_a_span_that_other_methods_do_not_project_ranks_above_one_they_agree_on() -> None:
    agreed = projected("agreed", BANK, BANCO, [(1, 1)])
    disputed = projected("disputed", BANK, BANCO, [(1, 1)])
    other_agreed = ProjectionRecord("agreed", agreed.source, agreed.target, projected=[Span(1, 2, "ORG")])
    other_disputed = ProjectionRecord("disputed", disputed.source, disputed.target, projected=[Span(1, 3, "LOC")])
    result = triage(
        {"heuristic": [agreed, disputed], "ngram-greedy": [other_agreed, other_disputed]},
        default="heuristic",
        model=None,
        weights=weights(committee__agree=(1.0, -1.5)),
    )
    assert ranked_ids(result) == ["disputed", "agreed"]
    assert result.sentences[0].spans[0].reasons == [
        "methods disagree: 1 of 2 project ORG exactly here; others project LOC (1)"
    ]
    assert "committee" not in result.missing


def test_a_label_the_rest_of_the_corpus_contradicts_ranks_first() -> None:
    source = Sentence("s", "en", ["Duque", "spoke"], [Span(0, 1, "PER")])
    target = Sentence("s", "es", ["Duque", "habló"])
    records = [projected(f"s{k}", source, target, [(0, 0), (1, 1)]) for k in range(5)]
    odd_source = Sentence("odd", "en", ["Duque", "spoke"], [Span(0, 1, "ORG")])
    records.append(projected("odd", odd_source, target, [(0, 0), (1, 1)]))
    result = triage(
        {"heuristic": records},
        default="heuristic",
        model=None,
        weights=weights(consistency__label_share=(1.0, -1.5)),
    )
    assert ranked_ids(result)[0] == "odd"
    assert result.sentences[0].spans[0].reasons == [
        "'Duque' is labelled ORG in 0 of its 5 other projections (also PER 5)"
    ]


def test_an_occurrence_left_out_is_flagged_where_the_name_is_projected_elsewhere() -> None:
    source = Sentence("s", "en", ["EFE", "says"], [Span(0, 1, "ORG")])
    target = Sentence("s", "es", ["EFE", "dice"])
    records = [projected(f"s{k}", source, target, [(0, 0), (1, 1)]) for k in range(3)]
    records.append(projected("missed", Sentence("m", "en", ["the", "agency", "says"]), target, [(2, 1)]))
    result = triage({"heuristic": records}, default="heuristic", model=None, weights=weights())
    missed = result.by_id()["missed"]
    (flag,) = missed.flagged
    assert (flag.start, flag.end, flag.label, flag.group) == (0, 1, "ORG", "consistency")
    assert flag.reasons == ["'EFE' is projected as ORG in 3 other sentence(s) (3 of its 4 occurrences) but not here"]


def test_a_dropped_entity_with_a_target_range_is_flagged_and_one_without_links_is_noted() -> None:
    source = Sentence(
        "s", "en", ["Bank", "of", "the", "Republic", "and", "Lima"], [Span(0, 4, "ORG"), Span(5, 6, "LOC")]
    )
    target = Sentence("s", "es", ["el", "Banco", "mantuvo", "tasas"])
    record = projected("s", source, target, [(0, 2)])
    result = triage({"heuristic": [record]}, default="heuristic", model=None, weights=weights())
    (sentence,) = result.sentences
    (flag,) = sentence.flagged
    assert (flag.start, flag.end, flag.label, flag.group) == (2, 3, "ORG", "support")
    assert sentence.notes == ["'Lima' (LOC) not projected: none of its words is aligned to a target word"]


def test_records_without_alignments_rank_on_the_rest_and_say_why() -> None:
    gold_only = [ProjectionRecord("g", BANK, BANCO, projected=[Span(1, 2, "ORG")])]
    result = triage({"gold": gold_only}, default="gold", model=None, weights=weights(support__outside=(0.0, 1.0)))
    assert "no word alignments" in result.missing["support"]
    assert "only one method" in result.missing["committee"]
    assert result.sentences[0].spans[0].signals.get("consistency.label_share") is None
