"""Token tags <-> spans, for the IOB1, IOB2 and BIOES schemes.

Spans are the internal form; tags exist only in files and in seqeval calls.
Every reader decodes with :func:`tags_to_spans` and every writer encodes
IOB2 with :func:`spans_to_tags`, so a file written by us reads back identically.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from projection.data import Span

SCHEMES = ("IOB1", "IOB2", "BIOES")
_PREFIXES = {"B", "I", "E", "S"}


def parse_tag(tag: str) -> tuple[str, str | None]:
    """``"B-PER"`` -> ``("B", "PER")``; ``"O"`` -> ``("O", None)``.

    ``"B_PER"`` and ``"L-"``/``"U-"`` (BILOU) are accepted as their usual
    equivalents. Anything else raises ``ValueError``.
    """
    if tag == "O":
        return "O", None
    if len(tag) > 2 and tag[1] in "-_":
        prefix, label = tag[0].upper(), tag[2:]
        prefix = {"L": "E", "U": "S"}.get(prefix, prefix)
        if prefix in _PREFIXES and label:
            return prefix, label
    raise ValueError(f"unknown tag {tag!r}: expected O or B-/I-/E-/S- followed by a label")


def detect_scheme(sentences: Iterable[Sequence[str]]) -> str:
    """Guess the scheme of a corpus from its tags.

    BIOES if ``E-``/``S-`` occur; IOB1 if an entity ever starts with ``I-``
    (after ``O``, another label, or at the sentence start); IOB2 otherwise.
    """
    starts_with_inside = False
    for tags in sentences:
        previous_label: str | None = None
        for tag in tags:
            prefix, label = parse_tag(tag)
            if prefix in {"E", "S"}:
                return "BIOES"
            if prefix == "I" and label != previous_label:
                starts_with_inside = True
            previous_label = label
    return "IOB1" if starts_with_inside else "IOB2"


def tags_to_spans(tags: Sequence[str], scheme: str = "IOB2", origin: str = "") -> list[Span]:
    """Decode one sentence's tags.

    Decoding is lenient the way seqeval's default mode is: an ``I-X`` that
    does not continue an ``X`` entity starts a new one, in every scheme.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tagging scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    spans: list[Span] = []
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
        elif prefix in {"I", "E"}:
            if current != label:
                close(i)
                start, current = i, label
            if prefix == "E":
                close(i + 1)
    close(len(tags))
    return spans


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
