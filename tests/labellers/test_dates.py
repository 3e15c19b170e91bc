from __future__ import annotations

import pytest

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.labellers.dates import DateLabeller
from projection.splitting import split_words


@pytest.fixture(scope="module")
def french_dev(shared_data) -> list[Sentence]:
    lines = (shared_data / "mafand" / "fr-bam" / "dev.fr").read_text(encoding="utf-8").splitlines()
    return [Sentence(str(k), "fr", tokens) for k, tokens in enumerate(split_words(lines, "fr")) if tokens]


def dates_in(labeller: DateLabeller, sentences: list[Sentence]) -> list[str]:
    return [
        " ".join(sentence.tokens[span.start : span.end])
        for sentence, spans in zip(sentences, labeller.label(sentences), strict=True)
        for span in spans
    ]


def test_french_dates_in_real_news_sentences(french_dev):
    found = dates_in(DateLabeller("fr"), french_dev)
    assert len(found) > 100  # MAFAND fr-bam dev: 1,500 sentences of news
    for expected in ("31 décembre", "19 novembre 1968", "mercredi 9 juin", "cette année", "2015"):
        assert expected in found
    assert all(not date.lower().startswith(("en ", "le ", "depuis ")) for date in found)


def test_points_in_time_only():
    sentences = [
        Sentence("a", "fr", "Il est arrivé en 2019 , l' année dernière , lundi 3 mars .".split()),
        Sentence("b", "fr", "Il a passé deux ans en prison et 2000 personnes aujourd'hui .".split()),
        Sentence("c", "fr", "Les années 1990 ont vu la guerre .".split()),
    ]
    labelled = DateLabeller("fr").label(sentences)
    assert [(s.start, s.end, s.label) for s in labelled[0]] == [(4, 5, "DATE"), (7, 9, "DATE"), (10, 13, "DATE")]
    assert labelled[1] == []  # a duration, a count and a deictic word are not dates here
    assert [(s.start, s.end) for s in labelled[2]] == [(1, 3)]


def test_a_language_without_patterns_is_a_clear_error():
    with pytest.raises(ProjectionError, match="No date patterns"):
        DateLabeller("sw")
