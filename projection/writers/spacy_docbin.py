"""spaCy DocBin writer: ``.spacy`` training data that ``spacy train`` reads directly.

Each sentence becomes a ``Doc`` built from its tokens as they are (one space
after every token but the last, never re-tokenised) with its spans as
``doc.ents``; every other token is O, not "missing", since projected silver
data says "no entity here". Token text and entity annotation are stored, and
``doc.user_data`` keeps the sentence's ``id`` and, for a record whose
corrections were merged, its ``review_status``.

A path ending in ``.spacy`` gets one file, built in memory in DocBin's compact
form (a few dozen bytes per token). Any other path is a directory of shards
of ``shard_size`` sentences each (``part-00000.spacy`` ...), so memory stays
bounded however large the corpus; ``spacy train`` accepts the directory as
its corpus path and reads the shards in name order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import atomic_directory, atomic_write
from projection.writers.conll import SIDES, STATUS, Side, review_status, side_of

ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")
DEFAULT_SHARD_SIZE = 10_000


def holds_shards(folder: Path) -> bool:
    """Whether ``folder`` is an earlier shard output (only ``part-*.spacy`` files), safe to replace."""
    return all(
        entry.is_file() and entry.name.startswith("part-") and entry.suffix == ".spacy" for entry in folder.iterdir()
    )


def writes_folder(path: str | os.PathLike[str]) -> bool:
    """A ``.spacy`` path is one file; any other path is a folder of shards."""
    return Path(path).suffix != ".spacy"


def make_doc(vocab: Any, sentence_id: str, tokens: list[str], spans: list[Span], status: str | None = None) -> Any:
    """A ``Doc`` of ``tokens`` whose entities are ``spans``, its id (and review status) in ``user_data``."""
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    for index, token in enumerate(tokens):
        if not token or any(char.isspace() for char in token):
            raise ProjectionError(
                f"Sentence {sentence_id!r}, token {index} ({token!r}) is empty or contains whitespace, which a "
                "spaCy Doc built from tokens cannot hold. Fix the tokenisation of that sentence."
            )
    doc = Doc(vocab, words=tokens, spaces=[True] * (len(tokens) - 1) + [False])
    doc.user_data["id"] = sentence_id
    if status is not None:
        doc.user_data[STATUS] = status
    outside = [span for span in spans if span.end > len(tokens)]
    try:
        if outside:
            raise ValueError(f"span {outside[0].key} ends after the last token ({len(tokens)} tokens)")
        doc.ents = [SpacySpan(doc, span.start, span.end, label=span.label) for span in spans]
    except ValueError as err:
        raise ProjectionError(
            f"Sentence {sentence_id!r} cannot be written as spaCy entities: {err}. Entities must not overlap and "
            "must lie inside the sentence; fix or remove the offending span (e.g. in the Review page)."
        ) from None
    return doc


def write_spacy_docbin(
    items: Iterable[ProjectionRecord | Sentence],
    path: str | os.PathLike[str],
    *,
    which: Side = "projected",
    shard_size: int = DEFAULT_SHARD_SIZE,
    force: bool = False,
) -> int:
    """Write sentences or records (the side ``which`` names) as one ``.spacy`` file or a directory of shards.

    Returns the number of sentences written; sentences without tokens are
    left out (a Doc needs at least one token).
    """
    import spacy
    from spacy.tokens import DocBin

    if which not in SIDES:
        raise ProjectionError(f"Unknown side {which!r} to write: use one of {', '.join(SIDES)}.")
    if shard_size < 1:
        raise ProjectionError(f"shard_size must be at least 1, not {shard_size}.")
    path = Path(path)
    vocab = spacy.blank("xx").vocab
    docs = (
        make_doc(vocab, sentence_id, tokens, spans, review_status(item))
        for item, (sentence_id, tokens, spans) in ((item, side_of(item, which)) for item in items)
        if tokens
    )
    if not writes_folder(path):
        docbin = DocBin(attrs=ATTRS, docs=docs, store_user_data=True)
        with atomic_write(path, "wb") as handle:
            handle.write(docbin.to_bytes())
        return len(docbin)
    written = 0
    with atomic_directory(path, replaceable=holds_shards, force=force) as folder:
        docbin = DocBin(attrs=ATTRS, store_user_data=True)
        for doc in docs:
            docbin.add(doc)
            written += 1
            if len(docbin) == shard_size:
                docbin.to_disk(folder / f"part-{written // shard_size - 1:05d}.spacy")
                docbin = DocBin(attrs=ATTRS, store_user_data=True)
        if len(docbin) or not written:
            docbin.to_disk(folder / f"part-{written // shard_size:05d}.spacy")
    return written
