"""The ``parallel`` translator: a bitext already holds the translation.

Handing out the other side in order lets a bitext go through the same
pipeline as machine translation; batches are served one after another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from projection.errors import ProjectionError
from projection.translators import Translator


class ParallelTranslator(Translator):
    """Return ``targets`` (the bitext's other side) batch by batch, in input order."""

    name = "parallel"

    def __init__(self, targets: Sequence[str] | None = None, *, src_lang: str, tgt_lang: str) -> None:
        super().__init__(src_lang=src_lang, tgt_lang=tgt_lang)
        if targets is None:
            raise ProjectionError(
                "The 'parallel' translator needs the other side of a bitext as its translations; give the "
                "target side (e.g. --tgt FILE), or choose a machine translator (e.g. --translator apertium)."
            )
        self.targets = [str(target) for target in targets]
        self.offset = 0

    @property
    def source_description(self) -> str:
        """What holds the translations, for error messages."""
        return f"the bitext's other side ({len(self.targets)} sentences)"

    def translate(self, texts: Sequence[str]) -> list[str]:
        end = self.offset + len(texts)
        if end > len(self.targets):
            raise ProjectionError(
                f"Too few translations: {self.source_description} but the input has at least {end} sentences. "
                "Give exactly one translation per input sentence, in the same order."
            )
        batch = self.targets[self.offset : end]
        self.offset = end
        return batch

    def check_exhausted(self) -> None:
        """Fail if translations are left over once every input sentence has been translated."""
        if self.offset != len(self.targets):
            raise ProjectionError(
                f"Too many translations: {self.source_description} but the input has {self.offset} sentences. "
                "Give exactly one translation per input sentence, in the same order."
            )

    def params(self) -> dict[str, Any]:
        digest = hashlib.sha256(json.dumps(self.targets, ensure_ascii=False).encode("utf-8")).hexdigest()
        return {**super().params(), "targets_sha256": digest}
