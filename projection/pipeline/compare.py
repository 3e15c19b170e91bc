"""Several projection methods on the same inputs: the shared stages run once, each projector after them.

The shared stages (translation, word splitting, source NER, alignment) run
once through the pipeline, cached as usual; then every projector runs on
exactly those inputs. ``projection compare`` scores each against the gold
labels; the app and the triage committee use the records themselves.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from projection.cache import Cache
from projection.data import ProjectionRecord, Sentence
from projection.errors import ProjectionError
from projection.markers import MarkerReport
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
from projection.projectors import projectors
from projection.translators import translators


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


MODEL_METHODS = ("ner-greedy", "ner-exact", "model-transfer")
"""Methods that need an NER model of the target language."""


def runnable_methods(config: PipelineConfig) -> tuple[list[str], dict[str, str]]:
    """Every projection method the config's profile can run for its languages (the config's own projector
    first), and for each one it cannot run, why."""
    methods, skipped = [], {}
    target_model = config.target_labeller_spec
    for name in sorted(projectors.names, key=lambda name: (name != config.projector.split(":")[0], name)):
        if name in MODEL_METHODS:
            if target_model is None:
                skipped[name] = f"the profile has no NER model for the target language {config.target_lang!r}"
                continue
            try:
                projectors.create(f"{name}:{target_model}")
            except (ProjectionError, ImportError) as err:
                skipped[name] = str(err)
                continue
            methods.append(f"{name}:{target_model}")
        elif name == "backtranslation":
            try:
                translators.create(
                    config.translator if config.translator != "parallel" else "apertium",
                    src_lang=config.source_lang,
                    tgt_lang=config.target_lang,
                )
            except (ProjectionError, ImportError) as err:
                skipped[name] = f"no translator into {config.target_lang!r}: {str(err).splitlines()[0]}"
                continue
            methods.append(name)
        else:
            methods.append(config.projector if name == config.projector.split(":")[0] else name)
    return methods, skipped


@dataclass
class MethodRun:
    """One projector's records on the shared inputs, its run time and, for marker methods, the marker report."""

    spec: str
    records: list[ProjectionRecord]
    seconds: float
    marker_report: dict[str, Any] | None = None


@dataclass
class MethodRuns:
    """Every projector's records, and the shared stages' timings."""

    config: PipelineConfig
    runs: list[MethodRun]
    shared_timings: list[StepTiming] = field(default_factory=list)

    def records(self) -> dict[str, list[ProjectionRecord]]:
        return {run.spec: run.records for run in self.runs}


def run_projectors(
    sentences: Sequence[Sentence],
    config: PipelineConfig,
    projector_specs: Sequence[str],
    *,
    targets: Sequence[Sentence] | None = None,
    cache: Cache | None = None,
    progress: ProgressCallback | None = None,
) -> MethodRuns:
    """Run the shared stages of ``config`` once, then each projector on their output.

    Steps the pipeline runs after projection (label propagation, when the
    config asks for it) run after every projector alike. translate-test:
    ``sentences`` are the gold target sentences; translate-train: the source
    sentences, with their bitext side as ``targets`` (labelled or not) or a
    translation when there is none. Projector specs are all built before any
    stage runs, so a typo fails at once. Projections are cheap next to the
    shared stages and are not cached, except for ``costly`` projectors
    (back-translation translates and aligns again, and eflomal's sampler is
    not seeded: uncached, two rankings of one committee would differ). A
    marker method's report (kept, recovered, lost markers) is added up from
    its sentences, so it covers every chunk and cached runs alike.
    """
    if not projector_specs:
        raise ProjectionError("Name at least one projector, e.g. --projectors heuristic,ngram-greedy.")
    if len(set(projector_specs)) != len(projector_specs):
        raise ProjectionError(f"A projector is named twice in {', '.join(projector_specs)}.")
    built = {spec: projectors.create(spec) for spec in projector_specs}
    if config.direction == "translate-test":
        batch, steps = translate_test_input(sentences), translate_test_steps(config)
    else:
        batch = translate_train_input(sentences, targets)
        steps = translate_train_steps(config, has_targets=targets is not None)
    at = next(i for i, step in enumerate(steps) if step.name == "project")
    shared, after = steps[:at], steps[at + 1 :]
    batch, timings = run_steps(batch, shared, cache=cache, progress=progress)
    runs = []
    for spec, projector in built.items():
        started = time.perf_counter()
        step = project_step(projector, source_lang=config.source_lang, target_lang=config.target_lang)
        own_cache = cache if projector.costly else Cache(None)
        projected, _ = run_steps(batch, [replace(step, name=spec)], cache=own_cache, progress=progress)
        projected, _ = run_steps(projected, after, cache=Cache(None), progress=progress)
        method_config = config.with_overrides(projector=spec)
        records = records_from_batch(projected, method_config, provenance(method_config, [*shared, step, *after]))
        runs.append(MethodRun(spec, records, time.perf_counter() - started, marker_report(projected["markers"])))
    return MethodRuns(config, runs, timings)


def compare_projectors(
    sentences: Sequence[Sentence],
    config: PipelineConfig,
    projector_specs: Sequence[str],
    *,
    targets: Sequence[Sentence] | None = None,
    cache: Cache | None = None,
    progress: ProgressCallback | None = None,
) -> Comparison:
    """Run the shared stages once, each projector after them (:func:`run_projectors`), and score each on gold.

    translate-test: ``sentences`` are the labelled target sentences.
    translate-train: ``sentences`` are the source side and ``targets`` the
    labelled target side.
    """
    if config.direction == "translate-train" and targets is None:
        raise ProjectionError("Comparing in translate-train needs the labelled target side to score against.")
    done = run_projectors(sentences, config, projector_specs, targets=targets, cache=cache, progress=progress)
    methods = [
        MethodResult(run.spec, score_records(run.records, labels=config.labels), run.seconds, run.marker_report)
        for run in done.runs
    ]
    return Comparison(config, methods, done.shared_timings)


def marker_report(by_sentence: Sequence[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The sentences' marker reports added up; None for a projector without markers."""
    reports = [MarkerReport.from_dict(found) for found in by_sentence if found is not None]
    return MarkerReport.total(reports).to_dict() if reports else None
