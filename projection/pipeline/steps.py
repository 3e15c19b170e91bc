"""Pipeline steps as pure functions over batches.

A batch is a ``dict[str, list]`` of JSON-able columns (see
:data:`projection.data.BATCH_COLUMNS`). Each :class:`Step` reads some columns
and returns new ones, so the same step runs in a plain loop, in
``datasets.Dataset.map(batched=True)`` and in Ray Data's ``map_batches``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from projection.aligners import Aligner
from projection.data import Alignment, Batch, Sentence, explanations_to_dicts, spans_from_dicts, spans_to_dicts
from projection.detokenize import detokenize
from projection.labellers import Labeller
from projection.projectors import Projector
from projection.projectors.propagation import propagate
from projection.splitting import split_words
from projection.tags import keep_labels
from projection.translators import Translator


@dataclass
class Step:
    """One stage applied to batches: ``outputs = function(batch[inputs])``.

    ``corpus_level`` steps (statistical aligners) need the whole corpus in
    one call; the others may be fed any slice of it.
    """

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    function: Callable[[Batch], Batch]
    identity: dict[str, Any]
    corpus_level: bool = False

    def __call__(self, batch: Batch) -> Batch:
        result = self.function({column: batch[column] for column in self.inputs})
        return {**batch, **result}


def _sentences(
    ids: Sequence[Any], lang: str, tokens: Sequence[Sequence[str]], spans: Sequence[Any] | None
) -> list[Sentence]:
    spans = spans if spans is not None else [None] * len(tokens)
    return [
        Sentence(str(sid), lang, list(toks), spans_from_dicts(sp))
        for sid, toks, sp in zip(ids, tokens, spans, strict=True)
    ]


def translate_step(translator: Translator, *, tokens_column: str, text_column: str) -> Step:
    """Tokens of one side, detokenised to running text, translated into raw text of the other side."""

    def run(batch: Batch) -> Batch:
        texts = [detokenize(tokens, translator.src_lang) for tokens in batch[tokens_column]]
        return {text_column: translator.translate(texts)}

    identity = {**translator.identity(), "input": "detokenized"}
    return Step("translate", (tokens_column,), (text_column,), run, identity, corpus_level=translator.whole_corpus)


def split_step(lang: str, *, text_column: str, tokens_column: str) -> Step:
    """Raw text split into words with the language's tokenizer (never used on gold tokens)."""

    def run(batch: Batch) -> Batch:
        return {tokens_column: split_words(batch[text_column], lang)}

    return Step("split", (text_column,), (tokens_column,), run, {"kind": "splitter", "lang": lang})


def label_step(labeller: Labeller, *, lang: str, labels: Sequence[str] | None = None) -> Step:
    """Entities of the labelled side: ``src_tokens`` (and gold ``src_spans``) -> ``src_spans``.

    Only ``labels`` are kept (all when None): entities of other types would
    only be projected to be thrown away, and the labeller may skip the parts
    that only find them (:meth:`~projection.labellers.Labeller.for_labels`).
    """
    labeller = labeller.for_labels(labels)

    def run(batch: Batch) -> Batch:
        sentences = _sentences(batch["id"], lang, batch["src_tokens"], batch.get("src_spans"))
        found = labeller.label(sentences)
        return {"src_spans": [spans_to_dicts(keep_labels(spans, labels)) for spans in found]}

    inputs = ("id", "src_tokens", "src_spans") if labeller.name == "gold" else ("id", "src_tokens")
    identity = {**labeller.identity(), "keep_labels": None if labels is None else sorted(labels)}
    return Step("label", inputs, ("src_spans",), run, identity)


def align_step(aligner: Aligner) -> Step:
    """Word links between ``src_tokens`` and ``tgt_tokens``."""

    def run(batch: Batch) -> Batch:
        alignments = aligner.align(batch["src_tokens"], batch["tgt_tokens"])
        return {"alignment": [alignment.to_dict() for alignment in alignments]}

    return Step("align", ("src_tokens", "tgt_tokens"), ("alignment",), run, aligner.identity(), corpus_level=True)


def project_step(projector: Projector, *, source_lang: str, target_lang: str) -> Step:
    """Source entities carried onto the target tokens, and why: -> ``projected_spans``, ``explanations``, and
    ``markers`` (how each sentence's markers fared, for marker projectors; None for the others)."""

    def run(batch: Batch) -> Batch:
        sources = _sentences(batch["id"], source_lang, batch["src_tokens"], batch["src_spans"])
        targets = _sentences(batch["id"], target_lang, batch["tgt_tokens"], None)
        alignments = [Alignment.from_dict(a) for a in batch["alignment"]]
        projections = projector.explain(sources, targets, alignments)
        return {
            "projected_spans": [spans_to_dicts(projection.spans) for projection in projections],
            "explanations": [explanations_to_dicts(projection.explanations) for projection in projections],
            "markers": [projection.markers for projection in projections],
        }

    inputs = ("id", "src_tokens", "src_spans", "tgt_tokens", "alignment")
    return Step("project", inputs, ("projected_spans", "explanations", "markers"), run, projector.identity())


def propagate_step(min_count: int) -> Step:
    """Corpus-level label propagation over ``projected_spans`` (see :mod:`projection.projectors.propagation`)."""

    def run(batch: Batch) -> Batch:
        spans = [spans_from_dicts(items) for items in batch["projected_spans"]]
        propagated = propagate(batch["tgt_tokens"], spans, min_count=min_count, ids=batch["id"])
        return {
            "projected_spans": [spans_to_dicts(projection.spans) for projection in propagated],
            "explanations": [
                [*before, *explanations_to_dicts(projection.explanations)]
                for before, projection in zip(batch["explanations"], propagated, strict=True)
            ],
        }

    identity = {"kind": "propagation", "min_count": min_count}
    inputs = ("id", "tgt_tokens", "projected_spans", "explanations")
    return Step("propagate", inputs, ("projected_spans", "explanations"), run, identity, corpus_level=True)
