"""Spot-checking without gold in the app: a language's sentences ranked by how likely their projection is wrong.

The ranking is :func:`projection.triage.triage` over the records the data
set holds: the ranked method is the one chosen in the sidebar, the
committee every other method of the language that covers the same
sentences. It is stored in the stage cache (:mod:`projection.cache`, JSON)
under the content of those records, the triage code and its weights, so
that a reopened app finds it done; the page keeps it for the session too.
The cross-validated corpus model is the slow signal: it is only trained
when asked for (:data:`APP_CROSS_VALIDATION`), and a language with too few
sentences for it gets the reason instead.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pandas as pd

from projection import triage as triage_package
from projection.app_support.datasets import Dataset
from projection.app_support.displayable import display_problem
from projection.app_support.reviewing import Reviews, resolution
from projection.cache import Cache, content_key
from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.triage import CrossValidation, Flag, SentenceTriage, SpanTriage, Triage, triage
from projection.triage.ranking import REASON_MIN, Progress
from projection.triage.weights import Weights, load_weights, weight_set_for
from projection.writers.conll import NOT_REVIEWED

STAGE = "triage-app"
APP_CROSS_VALIDATION = CrossValidation()
"""How the app trains the corpus model when asked (about 7 s for the example's 52 sentences)."""
FLAG = "flag"
"""Signals named ``flag.GROUP`` are the group's flags of possibly missed entities."""

SIGNAL_TITLES = {
    "committee.agree": "agreement of the other methods",
    "committee.overlap": "other methods projecting anything here",
    "committee.exact": "{kind} projecting the same span",
    "committee.bounds": "{kind} cutting the same bounds",
    "committee.touch": "{kind} projecting anything here",
    "support.match": "match score c(e,t) with the source entity",
    "support.linked": "share of the entity's words aligned",
    "support.length_gap": "length against the source entity",
    "support.split": "source entity split into several spans",
    "support.propagated": "added by label propagation",
    "support.outside": "entity links landing outside the span",
    "support.shared": "span words aligned to other source words",
    "support.case": "capitalisation against the source entity",
    "consistency.label_share": "same label elsewhere in the corpus",
    "consistency.projected_share": "projected elsewhere in the corpus",
    "model.span_probability": "the corpus model's probability of the span",
    "model.token_quality": "label quality of its words (cleanlab)",
    "model.issue": "a label issue found by cleanlab",
}
"""What each signal looks at (a signal fires where it raised a span's suspicion, whichever way it points)."""


def signal_title(signal: str) -> str:
    """``support.case`` -> ``support: lower-case where the entity is capitalised``, in words."""
    group, _, name = signal.partition(".")
    if group == FLAG:
        return f"{name}: possibly missed entity"
    base, _, kind = name.partition(".")
    title = SIGNAL_TITLES.get(f"{group}.{base}" if kind else signal, name)
    return f"{group}: {title.format(kind=kind)}"


@dataclass
class Ranking:
    """One language's triage as the app shows it.

    ``fired[sentence id][m]`` names the signals that raised the suspicion of
    span ``m`` by at least :data:`REASON_MIN` (the rule that makes reasons),
    strongest first; ``left_out`` says which methods and sentences were
    left out of the ranking, and why; ``with_model`` whether the corpus model
    was asked for.
    """

    lang: str
    triage: Triage
    fired: dict[str, list[list[str]]]
    left_out: dict[str, str]

    def missing(self) -> dict[str, str]:
        """Every signal that could not be computed, and the parts of the data left out, with why."""
        return {**self.triage.missing, **self.left_out}

    def signals_of(self, sentence: SentenceTriage) -> set[str]:
        """The signals that fire in a sentence: its spans' and ``flag.GROUP`` for each group that flagged."""
        fired = {name for span in self.fired.get(sentence.id, []) for name in span}
        return fired | {f"{FLAG}.{flag.group}" for flag in sentence.flagged}


def ranked_runs(dataset: Dataset, lang: str, method: str) -> tuple[dict[str, list[ProjectionRecord]], dict[str, str]]:
    """The ranked method's records first, then every other method that covers them, and what was left out.

    Records the pages cannot draw are left out of the ranking; a method that
    lacks some of the ranked sentences is left out of the committee.
    """
    records = dataset.records(lang, method)
    if not records:
        raise ProjectionError(f"There are no {method!r} records in {lang!r} to rank.")
    own = [record for record in records if display_problem(record) is None]
    left_out = {}
    if len(own) < len(records):
        left_out["sentences"] = f"{len(records) - len(own)} of {len(records)} cannot be shown and are not ranked"
    ids = [record.id for record in own]
    runs = {method: own}
    for other in dataset.methods(lang):
        if other == method:
            continue
        found = [dataset.record(lang, other, sentence_id) for sentence_id in ids]
        lacking = sum(record is None for record in found)
        if lacking:
            left_out[f"committee: {other}"] = f"it lacks {lacking} of the {len(ids)} ranked sentences"
        else:
            runs[other] = [record for record in found if record is not None]
    return runs, left_out


def model_refusal(dataset: Dataset, lang: str, method: str) -> str | None:
    """Why the corpus model cannot be trained on this language (too few sentences), or None."""
    n = len(dataset.records(lang, method))
    need = APP_CROSS_VALIDATION.min_sentences
    if n < need:
        return f"{n} sentences are too few to cross-validate a model on the rest of the corpus (it needs {need})"
    return None


@cache
def triage_code() -> str:
    """A digest of the triage package's code and weights: a changed signal or weight is never served stale."""
    folder = Path(triage_package.__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.py"), *folder.glob("*.json")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def records_digest(runs: Mapping[str, Sequence[ProjectionRecord]]) -> str:
    """A digest of what the triage reads of each method's records: every field but the gold spans.

    The records are serialised as they are (orjson reads the dataclasses
    directly), many times faster than through their dicts: this is most of
    what finding a stored ranking costs.
    """
    digest = hashlib.sha256()
    options = orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
    for name in sorted(runs):
        digest.update(orjson.dumps(name))
        for r in runs[name]:
            read = [r.id, r.source, r.target, r.alignment, r.projected, r.provenance, r.explanations]
            digest.update(orjson.dumps(read, default=str, option=options))
    return digest.hexdigest()


def fired_signals(result: Triage, weights: Weights) -> dict[str, list[list[str]]]:
    """Per sentence and span, the signals whose contribution reaches :data:`REASON_MIN`, strongest first.

    Only signals the span has a value of count: the trees also credit a
    missing value (a group not computed) with the way its split sends it.
    """
    fired = {}
    for sentence in result.sentences:
        per_span = []
        for span in sentence.spans:
            _, contributions = weights.suspicion(span.signals)
            strong = sorted((c, name) for name, c in contributions.items() if c >= REASON_MIN and name in span.signals)
            per_span.append([name for _, name in reversed(strong)])
        fired[sentence.id] = per_span
    return fired


def compute_ranking(
    runs: Mapping[str, Sequence[ProjectionRecord]],
    method: str,
    model: CrossValidation | None,
    cache: Cache,
    progress: Progress | None,
) -> dict[str, list]:
    """The triage and its fired signals as cache columns (the corpus model's folds are cached on their own)."""
    weights = load_weights(weight_set_for(list(runs)))
    result = triage(runs, default=method, model=model, weights=weights, cache=cache, progress=progress)
    return {"triage": [result.to_dict()], "fired": [fired_signals(result, weights)]}


def flag_from(data: Mapping[str, Any]) -> Flag:
    label = data["label"]
    return Flag(
        int(data["start"]),
        int(data["end"]),
        None if label is None else str(label),
        float(data["score"]),
        [str(reason) for reason in data["reasons"]],
        str(data["signal"]),
    )


def span_from(data: Mapping[str, Any]) -> SpanTriage:
    return SpanTriage(
        int(data["start"]),
        int(data["end"]),
        str(data["label"]),
        float(data["suspicion"]),
        [str(reason) for reason in data["reasons"]],
        {str(name): float(value) for name, value in data["signals"].items()},
    )


def triage_from(data: Mapping[str, Any]) -> Triage:
    """A :class:`Triage` back from :meth:`Triage.to_dict` (what the cache holds); raises on anything malformed."""
    sentences = [
        SentenceTriage(
            str(item["id"]),
            str(item["lang"]),
            float(item["suspicion"]),
            [str(reason) for reason in item["reasons"]],
            [span_from(span) for span in item["spans"]],
            [flag_from(flag) for flag in item["flagged"]],
            [str(note) for note in item["notes"]],
        )
        for item in data["sentences"]
    ]
    missing = {str(group): str(why) for group, why in data["missing"].items()}
    committee = [str(method) for method in data["committee"]]
    return Triage(sentences, missing, str(data["method"]), committee, str(data["weights"]))


def ranking_from(columns: Mapping[str, list], lang: str, left_out: dict[str, str]) -> Ranking | None:
    """The ranking in cache columns; None for an entry that does not read back (a miss)."""
    try:
        (stored,), (fired,) = columns["triage"], columns["fired"]
        spans = {str(sid): [[str(name) for name in span] for span in per_span] for sid, per_span in fired.items()}
        return Ranking(lang, triage_from(stored), spans, left_out)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class Request:
    """What a language's ranking is made from: the runs, what was left out, and their digest."""

    lang: str
    method: str
    runs: dict[str, list[ProjectionRecord]]
    left_out: dict[str, str]
    digest: str

    def model(self, with_model: bool) -> CrossValidation | None:
        """The cross-validation to run: when asked, and where too few sentences make it refuse at once (with why)."""
        if with_model or len(self.runs[self.method]) < APP_CROSS_VALIDATION.min_sentences:
            return APP_CROSS_VALIDATION
        return None

    def key(self, with_model: bool) -> str:
        """The cache key: the records' digest, the ranked method, the cross-validation, the triage code."""
        model = self.model(with_model)
        identity = {
            "method": self.method,
            "model": None if model is None else {**model.identity(), "min_sentences": model.min_sentences},
            "code": triage_code(),
        }
        return content_key(STAGE, identity, self.digest)


def request(dataset: Dataset, lang: str, method: str) -> Request:
    runs, left_out = ranked_runs(dataset, lang, method)
    return Request(lang, method, runs, left_out, records_digest(runs))


def stored_ranking(asked: Request, cache: Cache, *, with_model: bool = False) -> Ranking | None:
    """The ranking the cache holds already (None: not computed yet)."""
    columns = cache.get(STAGE, asked.key(with_model))
    return None if columns is None else ranking_from(columns, asked.lang, asked.left_out)


def language_ranking(
    asked: Request, cache: Cache, *, with_model: bool = False, progress: Progress | None = None
) -> Ranking:
    """The ranking from the cache, or computed and stored there."""
    found = stored_ranking(asked, cache, with_model=with_model)
    if found is not None:
        return found
    columns = compute_ranking(asked.runs, asked.method, asked.model(with_model), cache, progress)
    ranking = ranking_from(cache.put(STAGE, asked.key(with_model), columns), asked.lang, asked.left_out)
    assert ranking is not None, "a ranking just stored reads back"
    return ranking


def ranked_method(dataset: Dataset, lang: str, chosen: str | None, default: str) -> str | None:
    """The method ranked in ``lang``: the one chosen for it, else the profile's, else its first (None: none)."""
    methods = dataset.methods(lang)
    for method in (chosen, default):
        if method in methods:
            return method
    return methods[0] if methods else None


def suspicion_frame(rankings: Sequence[Ranking]) -> pd.DataFrame:
    """``language, sentence, suspicion``: one row per ranked sentence of every language."""
    rows = [
        {"language": ranking.lang, "sentence": sentence.id, "suspicion": sentence.suspicion}
        for ranking in rankings
        for sentence in ranking.triage.sentences
    ]
    return pd.DataFrame(rows, columns=["language", "sentence", "suspicion"])


def signal_counts(ranking: Ranking) -> pd.DataFrame:
    """``signal, group, title, spans, sentences``: how often each signal fires, most often first.

    A span signal fires where it raised the span's suspicion enough to be a
    reason; a ``flag.GROUP`` row counts the possibly missed entities that
    group flagged.
    """
    spans: Counter[str] = Counter()
    sentences: Counter[str] = Counter()
    for sentence in ranking.triage.sentences:
        for names in ranking.fired.get(sentence.id, []):
            spans.update(names)
        flags = Counter(f"{FLAG}.{flag.group}" for flag in sentence.flagged)
        spans.update(flags)
        sentences.update(ranking.signals_of(sentence))
    rows = [
        {
            "signal": name,
            "group": name.split(".")[1] if name.startswith(FLAG + ".") else name.split(".")[0],
            "title": signal_title(name),
            "spans": count,
            "sentences": sentences[name],
        }
        for name, count in spans.most_common()
    ]
    return pd.DataFrame(rows, columns=["signal", "group", "title", "spans", "sentences"])


def sentence_labels(sentence: SentenceTriage) -> set[str]:
    return {span.label for span in sentence.spans} | {flag.label for flag in sentence.flagged if flag.label}


def filtered(
    ranking: Ranking,
    records: Mapping[str, ProjectionRecord],
    *,
    labels: Collection[str] = (),
    signals: Collection[str] = (),
    min_suspicion: float = 0.0,
    word: str = "",
) -> list[SentenceTriage]:
    """The ranked sentences (most suspicious first) with one of ``labels``, one of ``signals`` firing, at least
    ``min_suspicion``, and ``word`` in their text or reasons (an empty filter lets every sentence through)."""
    needle = word.casefold()
    found = []
    for sentence in ranking.triage.sentences:
        if sentence.suspicion < min_suspicion:
            continue
        if labels and not sentence_labels(sentence) & set(labels):
            continue
        if signals and not ranking.signals_of(sentence) & set(signals):
            continue
        if needle:
            record = records.get(sentence.id)
            text = " ".join([*(record.target.tokens if record else []), *all_reasons(sentence)])
            if needle not in text.casefold():
                continue
        found.append(sentence)
    return found


def all_reasons(sentence: SentenceTriage) -> list[str]:
    """Every reason of the sentence: its spans', its flags', its notes, each said once."""
    said = [*sentence.reasons]
    for reason in [
        *(r for span in sentence.spans for r in span.reasons),
        *(r for flag in sentence.flagged for r in flag.reasons),
        *sentence.notes,
    ]:
        if reason not in said:
            said.append(reason)
    return said


def reviewed_ids(dataset: Dataset, lang: str, method: str, reviews: Reviews) -> set[str]:
    """The sentences of ``lang`` someone has reviewed (their export status is no longer 'not reviewed')."""
    found = set()
    for found_lang, sentence_id in reviews:
        if found_lang != lang:
            continue
        resolved = resolution(dataset, lang, method, sentence_id, reviews)
        if resolved is not None and resolved.status != NOT_REVIEWED:
            found.add(sentence_id)
    return found


def suspicious_unreviewed(ranking: Ranking, reviewed: Collection[str]) -> list[str]:
    """The sentences nobody has reviewed yet, most suspicious first."""
    return [sentence.id for sentence in ranking.triage.sentences if sentence.id not in reviewed]
