"""EasyProject markers: wrap source entities in ``[ ]``, translate, and read the marked spans back out.

Machine translation moves, merges, drops or glues markers to neighbouring
words, so reading is forgiving: unmatched opening or closing markers still
mark the word after or before them, a marker inside a word marks the whole
word, and a marker between two words never glues them together. Each marked
span is then labelled with the source entity whose own translation (each
entity string is translated in the same batch) matches it best, by a fuzzy
similarity above a threshold; marker pairs left over after that go to the
entities left over, in order, when their numbers agree (the markers survived,
only the wording differs from the entity translated alone). Entities whose
markers were lost are searched for in the unmarked words (*recovered*); those
still not found are *lost*, and the sentences they are in are listed in a
:class:`MarkerReport` rather than silently dropped.

:func:`easyproject` is translate-train with markers: the marked translation
becomes the target sentence and its spans the projected labels; back-translation
refinement builds on the same function.
"""

from __future__ import annotations

import difflib
import logging
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.splitting import split_words
from projection.translators import Translator

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
"""Minimum similarity between a marked span and an entity's translation (EasyProject's and the paper's 0.5)."""


@dataclass(frozen=True, slots=True)
class Markers:
    """The opening and closing marker strings; markers of the source text itself are replaced by these stand-ins."""

    open: str = "["
    close: str = "]"
    open_stand_in: str = "("
    close_stand_in: str = ")"

    def __post_init__(self) -> None:
        if not self.open or not self.close or self.open == self.close:
            raise ProjectionError(
                f"Entity markers must be two different non-empty strings, got {self.open!r} and {self.close!r}."
            )
        if any(ch.isspace() for ch in self.open + self.close):
            raise ProjectionError(f"Entity markers may not contain spaces, got {self.open!r} and {self.close!r}.")

    def clean(self, token: str) -> str:
        """A source token with any marker strings in it replaced, so they cannot be mistaken for ours."""
        return token.replace(self.open, self.open_stand_in).replace(self.close, self.close_stand_in)


def mark_sentence(tokens: Sequence[str], spans: Sequence[Span], markers: Markers = Markers()) -> str:
    """Tokens joined by spaces with each span wrapped, e.g. ``The [European Union] said``."""
    opening = {span.start for span in spans}
    closing = {span.end - 1 for span in spans}
    words = []
    for i, token in enumerate(tokens):
        word = markers.clean(token)
        if i in opening:
            word = markers.open + word
        if i in closing:
            word = word + markers.close
        words.append(word)
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class MarkedText:
    """A translation with its markers removed: the clean text, and the marked character ranges in it."""

    text: str
    char_spans: list[tuple[int, int]]
    paired: list[bool]
    """Per character range: True when it came from an opening and a closing marker, False when recovered from one."""
    balanced_pairs: int
    unmatched_markers: int


def read_markers(translation: str, markers: Markers = Markers()) -> MarkedText:
    """Strip markers from ``translation`` and pair them into character ranges of the clean text.

    An opening marker pairs with the next closing marker unless another
    opening comes first. An opening marker left unpaired marks the word after
    it, a closing one the word before it. Where removing a marker would join
    two letters or digits, a space takes its place.
    """
    out: list[str] = []
    events: list[tuple[int, str]] = []
    i = 0
    while i < len(translation):
        kind = None
        if translation.startswith(markers.open, i):
            kind, width = "open", len(markers.open)
        elif translation.startswith(markers.close, i):
            kind, width = "close", len(markers.close)
        if kind is None:
            out.append(translation[i])
            i += 1
            continue
        before = out[-1] if out else ""
        after = translation[i + width] if i + width < len(translation) else ""
        if before.isalnum() and after.isalnum():
            out.append(" ")
            position = len(out) if kind == "open" else len(out) - 1
        else:
            position = len(out)
        events.append((position, kind))
        i += width
    text = "".join(out)

    ranges: list[tuple[int, int, bool]] = []
    pending: int | None = None
    for position, kind in events:
        if kind == "open":
            if pending is not None:
                ranges.append((*_word_after(text, pending), False))
            pending = position
        elif pending is not None:
            ranges.append((pending, position, True))
            pending = None
        else:
            ranges.append((*_word_before(text, position), False))
    if pending is not None:
        ranges.append((*_word_after(text, pending), False))
    pairs = sum(1 for *_, paired in ranges if paired)
    ranges = [(a, b, paired) for a, b, paired in ranges if text[a:b].strip()]
    return MarkedText(
        text,
        [(a, b) for a, b, _ in ranges],
        [paired for *_, paired in ranges],
        balanced_pairs=pairs,
        unmatched_markers=len(events) - 2 * pairs,
    )


def _word_after(text: str, position: int) -> tuple[int, int]:
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _word_before(text: str, position: int) -> tuple[int, int]:
    end = position
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return start, end


def token_offsets(text: str, tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Character range of each token in ``text`` (tokens are in order; whitespace between them is skipped)."""
    offsets = []
    cursor = 0
    for token in tokens:
        found = text.find(token, cursor)
        start = found if found >= 0 else cursor
        offsets.append((start, start + len(token)))
        cursor = start + len(token)
    return offsets


def char_to_token_span(offsets: Sequence[tuple[int, int]], char_span: tuple[int, int]) -> tuple[int, int] | None:
    """The tokens a character range touches (a token partly inside counts as inside); None if it touches none."""
    a, b = char_span
    inside = [k for k, (start, end) in enumerate(offsets) if start < b and end > a]
    return (inside[0], inside[-1] + 1) if inside else None


def normalise(text: str) -> str:
    """Case- and accent-insensitive form for fuzzy comparison."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def similarity(a: str, b: str) -> float:
    """Fuzzy match in [0, 1]: the better of difflib's character ratio and the Dice overlap of the word sets.

    Words sets make reordered translations match ("Emiratos Árabes Unidos" vs
    "Unió Emiratos Árabes"); the character ratio handles inflection and spelling.
    """
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    words_a, words_b = set(a.split()), set(b.split())
    dice = 2 * len(words_a & words_b) / (len(words_a) + len(words_b))
    return max(dice, difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())


@dataclass
class MarkerReport:
    """How the markers fared over a batch: kept, recovered, lost (with the sentences that lost some)."""

    sentences: int = 0
    sentences_with_entities: int = 0
    entities: int = 0
    sentences_with_markers_kept: int = 0
    balanced_pairs: int = 0
    unmatched_markers: int = 0
    matched: int = 0
    matched_by_order: int = 0
    recovered: int = 0
    lost: int = 0
    lost_sentence_ids: list[str] = field(default_factory=list)

    @property
    def kept_ratio(self) -> float:
        """Share of sentences with entities whose translation came back with exactly one marker pair per entity."""
        return self.sentences_with_markers_kept / self.sentences_with_entities if self.sentences_with_entities else 1.0

    @classmethod
    def total(cls, reports: Iterable[MarkerReport]) -> MarkerReport:
        """The reports of several sentences or chunks added up."""
        summed = cls()
        for report in reports:
            for name in COUNTS:
                setattr(summed, name, getattr(summed, name) + getattr(report, name))
            summed.lost_sentence_ids.extend(report.lost_sentence_ids)
        return summed

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MarkerReport:
        return cls(**{name: int(data[name]) for name in COUNTS}, lost_sentence_ids=list(data["lost_sentence_ids"]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "sentences_with_entities": self.sentences_with_entities,
            "entities": self.entities,
            "sentences_with_markers_kept": self.sentences_with_markers_kept,
            "kept_ratio": round(self.kept_ratio, 4),
            "balanced_pairs": self.balanced_pairs,
            "unmatched_markers": self.unmatched_markers,
            "matched": self.matched,
            "matched_by_order": self.matched_by_order,
            "recovered": self.recovered,
            "lost": self.lost,
            "lost_sentence_ids": list(self.lost_sentence_ids),
        }


COUNTS = tuple(name for name in MarkerReport.__dataclass_fields__ if name != "lost_sentence_ids")


@dataclass
class MarkedTransfer:
    """Marked translations read back: one target sentence (tokens + labelled spans) per source, and the report.

    ``entities[k][m]`` is the index (in ``sources[k].spans``) of the entity
    that span ``m`` of ``sentences[k]`` was read back as; ``by_sentence[k]``
    is sentence ``k``'s own report, so that reports of cached or chunked
    runs can be added up.
    """

    sentences: list[Sentence]
    report: MarkerReport
    entities: list[list[int]] = field(default_factory=list)
    by_sentence: list[MarkerReport] = field(default_factory=list)


def easyproject(
    sources: Sequence[Sentence],
    translator: Translator,
    target_lang: str,
    *,
    markers: Markers = Markers(),
    threshold: float = DEFAULT_THRESHOLD,
    origin: str = "projected:easyproject",
) -> MarkedTransfer:
    """Translate-train with markers: translate each source with its entities marked, read the labelled spans back.

    The returned sentences are the translations (split into ``target_lang``
    words) carrying the spans; one translator call covers the marked
    sentences and every entity string.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ProjectionError(f"The marker similarity threshold must be between 0 and 1, got {threshold}.")
    marked = [mark_sentence(source.tokens, source.spans, markers) for source in sources]
    entity_texts = [
        [" ".join(markers.clean(token) for token in source.tokens[span.start : span.end]) for span in source.spans]
        for source in sources
    ]
    flat_entities = [text for texts in entity_texts for text in texts]
    translations = translator.translate([*marked, *flat_entities])
    if len(translations) != len(marked) + len(flat_entities):
        raise ProjectionError(
            f"The translator returned {len(translations)} texts for {len(marked) + len(flat_entities)} inputs."
        )
    sentence_translations, flat_entity_translations = translations[: len(marked)], translations[len(marked) :]
    readings = [read_markers(translation, markers) for translation in sentence_translations]
    token_lists = split_words([reading.text for reading in readings], target_lang)

    by_sentence = []
    results = []
    owners: list[list[int]] = []
    cursor = 0
    for source, reading, tokens, texts in zip(sources, readings, token_lists, entity_texts, strict=True):
        entity_translations = flat_entity_translations[cursor : cursor + len(texts)]
        cursor += len(texts)
        found = _label_reading(reading, tokens, source.spans, texts, entity_translations, threshold)
        spans = [
            Span(item.start, item.end, source.spans[item.entity].label, score=round(item.score, 4), origin=origin)
            for item in found
        ]
        by_sentence.append(sentence_report(source, reading, found))
        results.append(Sentence(source.id, target_lang, tokens, spans))
        owners.append([item.entity for item in found])
    report = MarkerReport.total(by_sentence)
    if report.lost:
        logger.warning(
            "%d of %d entities lost their markers in translation and were not found again (%d sentences)",
            report.lost,
            report.entities,
            len(report.lost_sentence_ids),
        )
    return MarkedTransfer(results, report, owners, by_sentence)


def sentence_report(source: Sentence, reading: MarkedText, found: Sequence[_Found]) -> MarkerReport:
    """How one sentence's markers fared."""
    lost = len(source.spans) - len(found)
    return MarkerReport(
        sentences=1,
        sentences_with_entities=int(bool(source.spans)),
        entities=len(source.spans),
        sentences_with_markers_kept=int(
            bool(source.spans) and reading.balanced_pairs == len(source.spans) and reading.unmatched_markers == 0
        ),
        balanced_pairs=reading.balanced_pairs,
        unmatched_markers=reading.unmatched_markers,
        matched=sum(1 for item in found if item.how == "similarity"),
        matched_by_order=sum(1 for item in found if item.how == "order"),
        recovered=sum(1 for item in found if item.how == "recovered"),
        lost=lost,
        lost_sentence_ids=[source.id] if lost else [],
    )


@dataclass(frozen=True, slots=True)
class _Found:
    entity: int
    start: int
    end: int
    score: float
    how: str  # "similarity", "order" or "recovered"


def _label_reading(
    reading: MarkedText,
    tokens: list[str],
    entities: Sequence[Span],
    entity_texts: Sequence[str],
    entity_translations: Sequence[str],
    threshold: float,
) -> list[_Found]:
    """Give marked spans their entities, then look for the entities still missing.

    1. One-to-one assignment maximising similarity; pairs at or above the threshold are kept.
    2. If as many marker pairs as entities are left over, they are paired in order: the markers
       survived, only the wording changed (Apertium translates a name alone and in context differently).
    3. Each entity still unplaced is searched for among the unmarked words (recovered) or is lost.
    """
    offsets = token_offsets(reading.text, tokens)
    marked: list[tuple[int, int, bool]] = []
    for char_span, paired in zip(reading.char_spans, reading.paired, strict=True):
        token_span = char_to_token_span(offsets, char_span)
        if token_span is not None and all(token_span != (s, e) for s, e, _ in marked):
            marked.append((*token_span, paired))

    def score(k: int, start: int, end: int) -> float:
        phrase = " ".join(tokens[start:end])
        return max(similarity(phrase, entity_translations[k]), similarity(phrase, entity_texts[k]))

    found: list[_Found] = []
    used: set[int] = set()
    if marked and entities:
        sims = np.array([[score(k, s, e) for s, e, _ in marked] for k in range(len(entities))])
        rows, cols = linear_sum_assignment(sims, maximize=True)
        for k, c in zip(rows.tolist(), cols.tolist(), strict=True):
            if sims[k, c] >= threshold:
                found.append(_Found(k, marked[c][0], marked[c][1], float(sims[k, c]), "similarity"))
                used.add(c)
    placed = {item.entity for item in found}
    left_entities = [k for k in range(len(entities)) if k not in placed]
    left_pairs = [c for c, (_, _, paired) in enumerate(marked) if paired and c not in used]
    if left_entities and len(left_entities) == len(left_pairs):
        for k, c in zip(left_entities, left_pairs, strict=True):
            found.append(_Found(k, marked[c][0], marked[c][1], score(k, *marked[c][:2]), "order"))
        left_entities = []
    for k in left_entities:
        hit = _search(tokens, entity_texts[k], entity_translations[k], [(f.start, f.end) for f in found], threshold)
        if hit is not None:
            found.append(_Found(k, *hit, "recovered"))
    kept: list[_Found] = []
    for item in sorted(found, key=lambda item: -item.score):
        if not any(item.start < other.end and other.start < item.end for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda item: item.start)


def _search(
    tokens: Sequence[str], text: str, translation: str, taken: Sequence[tuple[int, int]], threshold: float
) -> tuple[int, int, float] | None:
    """The free n-gram most similar to the entity (its translation or its own text), if above the threshold."""
    longest = max(len(translation.split()), len(text.split())) + 2
    best: tuple[int, int, float] | None = None
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + longest) + 1):
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                break
            phrase = " ".join(tokens[start:end])
            score = max(similarity(phrase, translation), similarity(phrase, text))
            if score >= threshold and (best is None or score > best[2]):
                best = (start, end, score)
    return best
