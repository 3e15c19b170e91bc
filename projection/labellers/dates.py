"""The ``dates`` labeller: DATE entities found by spaCy ``EntityRuler`` patterns, for models without DATE.

French spaCy models have PER/ORG/LOC/MISC only, so a French source gives no
DATE at all to project. The patterns find dates that name a point or a
period anchored in time, the DATE of MasakhaNER-style guidelines: a day and
month ("3 mars 2020", "lundi 3 mars"), a month and year, a weekday, a year
after a preposition ("en 2019"), a decade ("les années 1990") and anchored
periods ("l'année dernière", "cette semaine", "le mois prochain").
Durations ("deux ans") and deictic words ("aujourd'hui") are left out.
Leading prepositions and articles are not part of the entity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import metadata
from typing import Any

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller

YEAR_REGEX = r"^(1[5-9]\d\d|20\d\d)$"
DAY_REGEX = r"^(0?[1-9]|[12]\d|3[01]|1er)$"

FRENCH_MONTHS = (
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre "
    "janv. févr. avr. juil. sept. oct. nov. déc."
).split()
FRENCH_WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
FRENCH_PERIODS = "année an semaine mois week-end trimestre semestre saison siècle décennie".split()
FRENCH_PERIODS_PLURAL = "années ans semaines mois".split()
FRENCH_ANCHORS_AFTER = (
    "dernier dernière derniers dernières prochain prochaine prochains prochaines passé passée"
).split()
FRENCH_DEMONSTRATIVES = "ce cet cette".split()
FRENCH_YEAR_PREPOSITIONS = "en depuis dès jusqu'en avant après courant fin début mi".split()
FRENCH_ARTICLES = "le la l' les".split()


def french_patterns() -> list[dict[str, Any]]:
    """Token patterns (spaCy Matcher syntax) for French dates that are points or anchored periods."""
    month = {"LOWER": {"IN": FRENCH_MONTHS}}
    weekday = {"LOWER": {"IN": FRENCH_WEEKDAYS}}
    day = {"LOWER": {"REGEX": DAY_REGEX}}
    year = {"TEXT": {"REGEX": YEAR_REGEX}}
    period = {"LOWER": {"IN": FRENCH_PERIODS}}
    patterns: list[list[dict[str, Any]]] = [
        [weekday, day, month, year],
        [weekday, day, month],
        [day, month, year],
        [day, month],
        [month, year],
        [weekday],
        [{"LOWER": {"IN": ["en", "depuis", "dès", "fin", "début", "mi", "courant"]}}, month],
        [{"LOWER": {"IN": FRENCH_YEAR_PREPOSITIONS}}, year],
        [{"LOWER": {"IN": ["l'", "an", "année"]}}, year],
        [{"LOWER": {"IN": ["années", "décennie"]}}, {"TEXT": {"REGEX": r"^(19|20)\d0$"}}],
        [{"LOWER": {"IN": FRENCH_ARTICLES}}, period, {"LOWER": {"IN": FRENCH_ANCHORS_AFTER}}],
        [{"LOWER": {"IN": FRENCH_DEMONSTRATIVES}}, period],
        [{"LOWER": {"IN": FRENCH_ARTICLES}}, {"LOWER": {"IN": FRENCH_PERIODS_PLURAL}}, {"LIKE_NUM": True}],
    ]
    return [{"label": "DATE", "pattern": pattern} for pattern in patterns]


PATTERNS = {"fr": french_patterns}
LEADING_WORDS = {
    "fr": frozenset(["en", "depuis", "dès", "jusqu'en", "avant", "après", "courant", "le", "la", "l'", "les", "an"])
}
"""Words a pattern needs as context but that are not part of the date ("en 2019" -> "2019")."""


class DateLabeller(Labeller):
    """DATE spans from rule patterns for ``lang`` (languages with patterns: see :data:`PATTERNS`)."""

    name = "dates"

    def __init__(self, lang: str = "fr", *, label_map: Mapping[str, str] | None = None) -> None:
        super().__init__(label_map=label_map)
        if lang not in PATTERNS:
            raise ProjectionError(
                f"No date patterns for language {lang!r}; languages with patterns: {sorted(PATTERNS)}."
            )
        self.lang = lang
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            import spacy

            nlp = spacy.blank(self.lang)
            ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
            ruler.add_patterns(PATTERNS[self.lang]())
            self._nlp = nlp
        return self._nlp

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_nlp": None}

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        from spacy.tokens import Doc

        label = self.map_label("DATE")
        leading = LEADING_WORDS.get(self.lang, frozenset())
        found = []
        for sentence in sentences:
            doc = self.nlp(Doc(self.nlp.vocab, words=list(sentence.tokens)))
            spans = []
            for entity in doc.ents:
                start = entity.start
                while start < entity.end - 1 and doc[start].lower_ in leading:
                    start += 1
                if label is not None:
                    spans.append(Span(start, entity.end, label, origin=f"dates:{self.lang}"))
            found.append(spans)
        return found

    def params(self) -> dict[str, Any]:
        return {"lang": self.lang, "patterns": PATTERNS[self.lang](), "label_map": dict(sorted(self.label_map.items()))}

    def versions(self) -> dict[str, str]:
        return {"spacy": metadata.version("spacy")}
