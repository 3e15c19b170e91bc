"""Translators: raw sentences in one language -> raw sentences in another."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from projection.registry import Registry
from projection.stage import Stage


class Translator(Stage):
    """Translate a batch of sentences from ``src_lang`` to ``tgt_lang``.

    Input is one string per sentence (tokens joined by spaces for
    pre-tokenised data); output is one string per sentence, in order, which
    the pipeline splits into words for the target language.
    """

    kind = "translator"
    whole_corpus: ClassVar[bool] = False
    """True for translators that must see the whole input in one call (precomputed translations)."""

    def __init__(self, *, src_lang: str, tgt_lang: str) -> None:
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang

    @abstractmethod
    def translate(self, texts: Sequence[str]) -> list[str]: ...

    def params(self) -> dict[str, Any]:
        return {"src_lang": self.src_lang, "tgt_lang": self.tgt_lang}


translators = Registry("translator")
translators.register("parallel", "projection.translators.parallel:ParallelTranslator")
translators.register("file", "projection.translators.file:FileTranslator")
translators.register("apertium", "projection.translators.apertium:ApertiumTranslator")
translators.register("hf", "projection.translators.huggingface:HuggingFaceTranslator")
