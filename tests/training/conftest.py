"""Small realistic training sets: Swahili news-like sentences with entities that recur in new contexts."""

from __future__ import annotations

import pytest

from projection.data import Sentence, Span

PEOPLE = [["John", "Lewis"], ["Amina", "Mohamed"], ["Barack", "Obama"], ["Samia", "Suluhu"]]
PLACES = [["Nairobi"], ["Mombasa"], ["Dodoma"], ["Arusha"], ["Kisumu"]]
ORGS = [["Umoja", "wa", "Mataifa"], ["Benki", "ya", "Dunia"]]
TEMPLATES = [
    ["{PER}", "alisafiri", "kwenda", "{LOC}", "jana", "."],
    ["Rais", "{PER}", "alizungumza", "na", "{ORG}", "mjini", "{LOC}", "."],
    ["Wakazi", "wa", "{LOC}", "walisema", "{PER}", "atarudi", "."],
    ["{ORG}", "imetoa", "msaada", "kwa", "{LOC}", "."],
    ["Mvua", "kubwa", "ilinyesha", "katika", "mji", "wa", "{LOC}", "."],
]


def make_sentence(sid: str, template: list[str], fillers: dict[str, list[str]]) -> Sentence:
    tokens: list[str] = []
    spans: list[Span] = []
    for word in template:
        if word.startswith("{"):
            label = word[1:-1]
            start = len(tokens)
            tokens += fillers[label]
            spans.append(Span(start, len(tokens), label, origin="gold"))
        else:
            tokens.append(word)
    return Sentence(sid, "swa", tokens, spans)


@pytest.fixture
def swahili_sentences() -> list[Sentence]:
    """40 sentences: every template with rotating people, places and organisations."""
    sentences = []
    for k in range(40):
        fillers = {"PER": PEOPLE[k % len(PEOPLE)], "LOC": PLACES[k % len(PLACES)], "ORG": ORGS[k % len(ORGS)]}
        sentences.append(make_sentence(f"s{k}", TEMPLATES[k % len(TEMPLATES)], fillers))
    return sentences


@pytest.fixture
def unseen_context() -> Sentence:
    """A sentence in a context never seen in training, with a place seen many times."""
    return Sentence("new", "swa", ["Mkutano", "ulifanyika", "Nairobi", "siku", "ya", "Jumatatu", "."], [])
