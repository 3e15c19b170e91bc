"""A back-translation example with a table for a translator: markers kept in one sentence, lost in the other."""

from __future__ import annotations

from collections.abc import Sequence

from projection.data import Sentence, Span
from projection.translators import Translator


class TableTranslator(Translator):
    name = "table"

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__(src_lang="en", tgt_lang="es")
        self.table = table
        self.calls = 0

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls += 1
        return [self.table[text] for text in texts]


def example() -> tuple[list[Sentence], list[Sentence], TableTranslator]:
    # translate-test: the Spanish original, its English MT with English NER, and the marked back-translation.
    english = Sentence(
        "s1",
        "en",
        ["The", "president", "of", "Telefónica", ",", "Fernando", "Xavier", "Ferreira", ",", "visited", "Brazil", "."],
    )
    english.spans = [Span(3, 4, "ORG"), Span(5, 8, "PER"), Span(10, 11, "LOC")]
    lost = Sentence("s2", "en", ["Smith", "spoke", "."], [Span(0, 1, "PER")])
    original = Sentence(
        "s1",
        "es",
        [
            "El",
            "presidente",
            "de",
            "Telefónica",
            ",",
            "Fernando",
            "Xavier",
            "Ferreira",
            ",",
            "visitó",
            "ayer",
            "Brasil",
            ".",
        ],
    )
    original_lost = Sentence("s2", "es", ["Herrero", "habló", "."])
    translator = TableTranslator(
        {
            "The president of [Telefónica] , [Fernando Xavier Ferreira] , visited [Brazil] .": (
                "El presidente de [Telefónica] , [Fernando Xavier Ferreira] , visitó [Brasil] ."
            ),
            "[Smith] spoke .": "Habló .",
            "Telefónica": "Telefónica",
            "Fernando Xavier Ferreira": "Fernando Xavier Ferreira",
            "Brazil": "Brasil",
            "Smith": "Forjador",
        }
    )
    return [english, lost], [original, original_lost], translator
