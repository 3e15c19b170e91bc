"""Token tags <-> spans.

Spans are the internal form; tags exist only in files and in seqeval calls.
Every reader decodes with :func:`decode_tags` and every writer encodes
IOB2 with :func:`spans_to_tags`, so a file written by us reads back identically.

Decoding needs no tagging scheme: IOB1, IOB2 and BIOES (BILOU too, its
``L-``/``U-`` read as ``E-``/``S-``) all decode to the same spans under the
one lenient rule of seqeval's default mode. ``B-`` and ``S-`` start an
entity; ``I-`` and ``E-`` continue the open entity when it has their label,
else they start one (a *stray* start, which IOB1 uses on purpose and IOB2 or
BIOES only by mistake); ``E-`` and ``S-`` close their entity and ``O``
closes any.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from projection.data import Span

_PREFIXES = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}


def parse_tag(tag: str) -> tuple[str, str | None]:
    """``"B-PER"`` -> ``("B", "PER")``; ``"O"`` -> ``("O", None)``.

    The prefix letter may be in either case and be followed by ``-`` or
    ``_``; ``L-``/``U-`` (BILOU) come back as ``E``/``S``. The label is
    returned as written (readers upper-case tags before they parse them).
    Anything else raises ``ValueError``.
    """
    if tag in ("O", "o"):
        return "O", None
    if len(tag) > 2 and tag[1] in "-_":
        prefix = _PREFIXES.get(tag[0].upper())
        if prefix is not None:
            return prefix, tag[2:]
    raise ValueError(f"unknown tag {tag!r}: expected O or B-/I-/E-/S- followed by a label")


def is_tag(tag: str) -> bool:
    """Whether :func:`parse_tag` reads ``tag``."""
    try:
        parse_tag(tag)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class DecodedTags:
    """One sentence's spans, and where an ``I-`` or ``E-`` tag started an entity (see the module doc)."""

    spans: list[Span]
    stray: list[int]
    """Token positions of ``I-``/``E-`` tags that began an entity: no entity of their label was open."""


def decode_tags(tags: Sequence[str], *, origin: str = "") -> DecodedTags:
    """Decode one sentence's tags by the lenient rule of the module doc; a bad tag raises ``ValueError``."""
    spans: list[Span] = []
    stray: list[int] = []
    start: int | None = None
    current: str | None = None

    def close(end: int) -> None:
        nonlocal start, current
        if start is not None and current is not None:
            spans.append(Span(start, end, current, origin=origin))
        start, current = None, None

    for i, tag in enumerate(tags):
        prefix, label = parse_tag(tag)
        if prefix == "O":
            close(i)
        elif prefix == "S":
            close(i)
            spans.append(Span(i, i + 1, label or "", origin=origin))
        elif prefix == "B":
            close(i)
            start, current = i, label
        else:  # I or E
            if current != label:
                close(i)
                start, current = i, label
                stray.append(i)
            if prefix == "E":
                close(i + 1)
    close(len(tags))
    return DecodedTags(spans, stray)


def tags_to_spans(tags: Sequence[str], *, origin: str = "") -> list[Span]:
    """The spans of one sentence's tags; see :func:`decode_tags`."""
    return decode_tags(tags, origin=origin).spans


def spans_to_tags(spans: Iterable[Span], length: int) -> list[str]:
    """Encode non-overlapping spans as IOB2 tags; overlapping spans are an error."""
    tags = ["O"] * length
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.end > length:
            raise ValueError(f"span {span.key} is beyond the sentence end ({length} tokens)")
        if any(tag != "O" for tag in tags[span.start : span.end]):
            raise ValueError(f"span {span.key} overlaps another span")
        tags[span.start] = f"B-{span.label}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{span.label}"
    return tags


def keep_labels(spans: Iterable[Span], labels: Iterable[str] | None) -> list[Span]:
    """Spans whose label is in ``labels`` (all spans when ``labels`` is None): other labels count as O."""
    if labels is None:
        return list(spans)
    allowed = set(labels)
    return [span for span in spans if span.label in allowed]
