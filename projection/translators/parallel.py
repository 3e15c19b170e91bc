"""The ``parallel`` translator: a bitext already holds the translation.

Handing out the other side lets a bitext go through the same pipeline as
machine translation. Line N is the translation of input sentence N, so the
translator must see the whole input at once (``whole_corpus``): a cached or
resumed run that skipped a chunk could otherwise hand out the wrong lines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from projection.errors import ProjectionError
from projection.translators import Translator


class ParallelTranslator(Translator):
    """Return ``targets`` (the bitext's other side) for the whole input, in order."""

    name = "parallel"
    whole_corpus = True

    def __init__(self, targets: Sequence[str] | None = None, *, src_lang: str, tgt_lang: str) -> None:
        super().__init__(src_lang=src_lang, tgt_lang=tgt_lang)
        if targets is None:
            raise ProjectionError(
                "The 'parallel' translator needs the other side of a bitext as its translations; give the "
                "target side (e.g. --tgt FILE), or choose a machine translator (e.g. --translator apertium)."
            )
        self.targets = [str(target) for target in targets]

    @property
    def source_description(self) -> str:
        """What holds the translations, for error messages."""
        return f"the bitext's other side has {len(self.targets)} sentences"

    def translate(self, texts: Sequence[str]) -> list[str]:
        if len(texts) != len(self.targets):
            raise ProjectionError(
                f"The translations do not match the input: {self.source_description} but the input has "
                f"{len(texts)} sentences. Give exactly one translation per input sentence, in the same order."
            )
        return list(self.targets)

    def params(self) -> dict[str, Any]:
        digest = hashlib.sha256(json.dumps(self.targets, ensure_ascii=False).encode("utf-8")).hexdigest()
        return {**super().params(), "targets_sha256": digest}
