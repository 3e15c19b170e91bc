"""Deterministic, model-free stages for export and engine tests.

eflomal samples from ``/dev/urandom`` (two runs differ in a few links) and
spaCy takes seconds to load, so tests that compare runs or count calls use
these instead, inside the real step factories and the real heuristic
projector: words spelt alike on both sides are linked (names, numbers and
punctuation in MAFAND en-swa), and runs of capitalised words that do not
start the sentence are entities.
"""

from __future__ import annotations

from collections.abc import Sequence

from projection.aligners import Aligner
from projection.data import Alignment, Sentence, Span
from projection.labellers import Labeller
from projection.pipeline.steps import Step, align_step, label_step, project_step, split_step
from projection.projectors.heuristic import HeuristicProjector


class SameWordAligner(Aligner):
    name = "same-word"

    def align(self, src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]]) -> list[Alignment]:
        return [
            Alignment([(i, j) for i, s in enumerate(source) for j, t in enumerate(target) if s.lower() == t.lower()])
            for source, target in zip(src, tgt, strict=True)
        ]


class CapitalisedLabeller(Labeller):
    name = "capitalised"

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        self.calls += 1
        out = []
        for sentence in sentences:
            spans, start = [], None
            for index, token in enumerate([*sentence.tokens, ""]):
                if index > 0 and token[:1].isupper():
                    start = index if start is None else start
                elif start is not None:
                    spans.append(Span(start, index, "MISC", origin="capitalised"))
                    start = None
            out.append(spans)
        return out


def bitext_steps(labeller: Labeller | None = None, src_lang: str = "en", tgt_lang: str = "sw") -> list[Step]:
    """What a bitext export runs, with the two doubles in place of spaCy and eflomal."""
    return [
        split_step(src_lang, text_column="src_text", tokens_column="src_tokens"),
        split_step(tgt_lang, text_column="tgt_text", tokens_column="tgt_tokens"),
        label_step(labeller or CapitalisedLabeller(), lang=src_lang),
        align_step(SameWordAligner()),
        project_step(HeuristicProjector(), source_lang=src_lang, target_lang=tgt_lang),
    ]
