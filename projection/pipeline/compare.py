"""Several projection methods on the same inputs: the shared stages run once, each projector after them.

Used by ``projection compare``. The shared stages (translation, word
splitting, source NER, alignment) run once through the pipeline, cached as
usual; then every projector runs on exactly those inputs and is scored
against the gold labels.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from projection.cache import Cache
from projection.data import Sentence
from projection.errors import ProjectionError
from projection.pipeline.config import PipelineConfig
from projection.pipeline.run import (
    ProgressCallback,
    StepTiming,
    provenance,
    records_from_batch,
    run_steps,
    translate_test_input,
    translate_test_steps,
    translate_train_input,
    translate_train_steps,
)
from projection.pipeline.scoring import ProjectionScores, score_records
from projection.pipeline.steps import project_step
from projection.projectors import Projector, projectors


@dataclass
class MethodResult:
    """One projector's scores on the shared inputs, its run time and, for marker methods, the marker report."""

    spec: str
    scores: ProjectionScores
    seconds: float
    marker_report: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            **self.scores.to_dict(),
            "seconds": round(self.seconds, 3),
            "marker_report": self.marker_report,
        }


@dataclass
class Comparison:
    config: PipelineConfig
    methods: list[MethodResult]
    shared_timings: list[StepTiming] = field(default_factory=list)

    def best(self) -> MethodResult:
        return max(self.methods, key=lambda method: method.scores.metrics.f1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "shared_stages": [
                {"step": t.step, "seconds": round(t.seconds, 3), "cached": t.cached} for t in self.shared_timings
            ],
            "methods": {method.spec: method.to_dict() for method in self.methods},
        }


def compare_projectors(
    gold: Sequence[Sentence],
    config: PipelineConfig,
    projector_specs: Sequence[str],
    *,
    sources: Sequence[Sentence] | None = None,
    cache: Cache | None = None,
    progress: ProgressCallback | None = None,
) -> Comparison:
    """Run the shared stages of ``config`` once, then each projector on their output, and score each.

    Steps the pipeline runs after projection (label propagation, when the
    config asks for it) run after every projector alike.

    translate-test: ``gold`` are the labelled target sentences. translate-train:
    ``sources`` are the source side and ``gold`` the labelled target side.
    Projector specs are all built before any stage runs, so a typo fails at once.
    Projections are not cached: they are cheap next to the shared stages, and a
    marker method's report (kept, recovered, lost markers) exists only for a run.
    """
    if not projector_specs:
        raise ProjectionError("Name at least one projector to compare, e.g. --projectors heuristic,ngram-greedy.")
    if len(set(projector_specs)) != len(projector_specs):
        raise ProjectionError(f"A projector is named twice in {', '.join(projector_specs)}.")
    built = {spec: projectors.create(spec) for spec in projector_specs}
    if config.direction == "translate-test":
        batch, steps = translate_test_input(gold), translate_test_steps(config)
    elif sources is None:
        raise ProjectionError("Comparing in translate-train needs the labelled source side (--source).")
    else:
        batch, steps = translate_train_input(sources, gold), translate_train_steps(config, has_targets=True)
    at = next(i for i, step in enumerate(steps) if step.name == "project")
    shared, after = steps[:at], steps[at + 1 :]
    batch, timings = run_steps(batch, shared, cache=cache, progress=progress)
    methods = []
    for spec, projector in built.items():
        started = time.perf_counter()
        step = project_step(projector, source_lang=config.source_lang, target_lang=config.target_lang)
        projected, _ = run_steps(batch, [replace(step, name=spec), *after], cache=Cache(None), progress=progress)
        seconds = time.perf_counter() - started
        method_steps = [*shared, step, *after]
        method_config = config.with_overrides(projector=spec)
        records = records_from_batch(projected, method_config, provenance(method_config, method_steps))
        scores = score_records(records, labels=config.labels)
        methods.append(MethodResult(spec, scores, seconds, _marker_report(projector)))
    return Comparison(config, methods, timings)


def _marker_report(projector: Projector) -> dict[str, Any] | None:
    report = getattr(projector, "last_report", None)
    return None if report is None else report.to_dict()
