"""The evaluation suite: what projected data is worth, extrinsically and intrinsically.

translate-train (:func:`run_train_eval`): label the source side of a bitext,
project onto the target side, train a target NER model on the projected
(silver) sentences and score it on a gold test set in CoNLL. translate-test
(:func:`run_translate_test`): the paper's intrinsic protocol, projected spans
scored directly against the gold labels. Both end in a
:class:`~projection.training.run_record.Run`, saved as JSON for the report.

Works for any language pair: a bitext is a directory of ``NAME.<src>`` /
``NAME.<tgt>`` file pairs (MAFAND's ``train.en`` / ``train.swa`` ...) or a
two-column TSV. Bitext pairs whose target side is a test sentence are
excluded by default (and always counted), see :mod:`projection.training.overlap`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from projection.cache import Cache
from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.evaluation import classify, count_errors, evaluate
from projection.labellers import ONTONOTES_TO_CONLL
from projection.pipeline.config import PipelineConfig, command_config
from projection.pipeline.run import PipelineResult, ProgressCallback, translate_test, translate_train
from projection.readers.bitext import read_bitext
from projection.readers.conll import read_conll
from projection.splitting import split_words
from projection.training import EpochCallback, TrainedModel, trainers
from projection.training.overlap import overlapping
from projection.training.run_record import Run, environment, file_fingerprint
from projection.training.self_training import SelfTrainingOptions, relabel
from projection.training.silver import SilverOptions, SilverStats, silver_sentences, split_dev

MASAKHANER_LABELS = ("PER", "ORG", "LOC", "DATE")
PAPER_LABELS = ("PER", "ORG", "LOC")
"""The labels the paper scored: its MasakhaNER 2.0 numbers leave DATE out."""
DEFAULT_UNKNOWN_LABELS = ("NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "TIME", "MISC")
"""Source types not trained on whose projections are unknown words, not O, by default (OntoNotes; French MISC):
"American" projects onto "Marekani", which MasakhaNER calls LOC."""


@dataclass(frozen=True)
class BitextFiles:
    """One part of a bitext: two line-aligned files, or one TSV (``tgt`` None)."""

    name: str
    src: Path
    tgt: Path | None


@dataclass(frozen=True)
class StageChoices:
    """The pipeline stages of a run: a profile, with explicit specs and options on top (None: the profile's)."""

    profile: str | None = "offline"
    translator: str | None = None
    labeller: str | None = None
    aligner: str | None = None
    projector: str | None = None
    symmetrisation: str | None = None
    propagate: int | None = None
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class TrainEvalSettings:
    """One translate-train run.

    ``labels`` count in the evaluation (others are O on both sides);
    ``silver.labels`` are those projected and trained on (default: the same;
    a subset, e.g. without DATE, measures what a label contributes). ``splits`` keeps only
    the bitext parts of those names (all when None). ``max_train_sentences``
    caps the silver data (a seeded sample) to bound the training time.
    ``held_out`` names gold files (e.g. the test set while ``test`` is the
    dev set) whose sentences are left out of the bitext too, so a model
    scored on dev can later be scored on test without having trained on it.
    ``self_training`` adds rounds of relabelling the silver data with the
    trained model and training again (:mod:`projection.training.self_training`).
    """

    src_lang: str
    tgt_lang: str
    bitext: tuple[Path, ...]
    test: Path
    stages: StageChoices = field(default_factory=StageChoices)
    labels: tuple[str, ...] = MASAKHANER_LABELS
    silver: SilverOptions = field(default_factory=SilverOptions)
    splits: tuple[str, ...] | None = None
    exclude_test_overlap: bool = True
    held_out: tuple[Path, ...] = ()
    self_training: SelfTrainingOptions = field(default_factory=SelfTrainingOptions)
    max_train_sentences: int | None = None
    dev_fraction: float = 0.1
    max_dev: int = 1000
    trainer: str = "spacy"
    trainer_options: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    name: str | None = None
    dataset: str | None = None
    group: str = "main"


@dataclass(frozen=True)
class TranslateTestSettings:
    """One translate-test run: gold ``test`` sentences in ``lang``, translated into ``src_lang`` and labelled there."""

    lang: str
    test: Path
    src_lang: str = "en"
    stages: StageChoices = field(default_factory=StageChoices)
    labels: tuple[str, ...] = MASAKHANER_LABELS
    max_sentences: int | None = None
    name: str | None = None
    dataset: str | None = None
    group: str = "main"


@dataclass
class TrainEvalResult:
    """A translate-train run and what it produced, for callers that save the model or the silver data."""

    run: Run
    model: TrainedModel
    silver: list[Sentence]


def bitext_files(path: Path, src_lang: str, tgt_lang: str, splits: Sequence[str] | None = None) -> list[BitextFiles]:
    """The parts of a bitext: ``NAME.<src_lang>`` / ``NAME.<tgt_lang>`` pairs in a directory, or one TSV file."""
    if path.is_file():
        return [BitextFiles(path.stem, path, None)]
    if not path.is_dir():
        raise ProjectionError(f"Bitext not found: {path}. Give a directory of NAME.{src_lang} / NAME.{tgt_lang} files.")
    found = [
        BitextFiles(src.stem, src, src.with_suffix(f".{tgt_lang}"))
        for src in sorted(path.glob(f"*.{src_lang}"))
        if src.with_suffix(f".{tgt_lang}").is_file()
    ]
    if splits is not None:
        found = [part for part in found if part.name in splits]
    if not found:
        wanted = f" named {', '.join(splits)}" if splits is not None else ""
        raise ProjectionError(
            f"{path} holds no bitext{wanted} for {src_lang}-{tgt_lang}: expected line-aligned files NAME.{src_lang} "
            f"and NAME.{tgt_lang} side by side (e.g. train.{src_lang} and train.{tgt_lang}), or give a TSV file."
        )
    return found


def read_bitext_sentences(
    parts: Sequence[BitextFiles], src_lang: str, tgt_lang: str
) -> tuple[list[Sentence], list[Sentence], list[str]]:
    """Source and target sentences (split into words) of every part, and the raw target lines."""
    sources: list[Sentence] = []
    targets: list[Sentence] = []
    raw_targets: list[str] = []
    for part in parts:
        bitext = read_bitext(part.src, part.tgt, src_lang, tgt_lang, id_prefix=part.name)
        src_words = split_words([pair.src for pair in bitext.pairs], src_lang)
        tgt_words = split_words([pair.tgt for pair in bitext.pairs], tgt_lang)
        for pair, src_tokens, tgt_tokens in zip(bitext.pairs, src_words, tgt_words, strict=True):
            if not src_tokens or not tgt_tokens:
                continue
            sources.append(Sentence(pair.id, src_lang, src_tokens))
            targets.append(Sentence(pair.id, tgt_lang, tgt_tokens))
            raw_targets.append(pair.tgt)
    return sources, targets, raw_targets


def pipeline_config(
    stages: StageChoices, *, direction: str, source_lang: str, target_lang: str, labels: Sequence[str] | None
) -> PipelineConfig:
    """The pipeline config: the profile, the explicit stage specs, then the options (symmetrisation included).

    translate-train always projects onto a bitext, so it gets the rules of a
    bitext (:func:`projection.pipeline.config.command_config`).
    """
    config = command_config(
        direction=direction,  # type: ignore[arg-type]
        source_lang=source_lang,
        target_lang=target_lang,
        profile=stages.profile,
        bitext=direction == "translate-train",
        translator=stages.translator,
        labeller=stages.labeller,
        aligner=stages.aligner,
        projector=stages.projector,
        propagate=stages.propagate,
        labels=None if labels is None else tuple(labels),
    )
    options = {stage: dict(values) for stage, values in config.options.items()}
    for stage, values in stages.options.items():
        options[stage] = {**options.get(stage, {}), **values}
    if stages.symmetrisation is not None:
        options["aligner"] = {**options.get("aligner", {}), "symmetrisation": stages.symmetrisation}
    return config.with_overrides(options=options)


def with_unknown_labels(stages: StageChoices, unknown_labels: Sequence[str]) -> StageChoices:
    """Stages whose labeller also reports ``unknown_labels`` (e.g. NORP), unless a label map is given already."""
    labeller_options = dict(stages.options.get("labeller", {}))
    if not unknown_labels or "label_map" in labeller_options:
        return stages
    label_map = {**ONTONOTES_TO_CONLL, **{label: label for label in unknown_labels}}
    return replace(stages, options={**stages.options, "labeller": {**labeller_options, "label_map": label_map}})


def dataset_name(test: Path, lang: str) -> str:
    """``.../masakhaner2/swa/test.txt`` -> ``masakhaner2``; ``.../conll2002/esp.testa`` -> ``conll2002``."""
    parent = test.resolve().parent
    return parent.parent.name if parent.name == lang else parent.name


def method_of(config: PipelineConfig) -> dict[str, Any]:
    """The stage choices a reader compares runs by."""
    return {
        "translator": config.translator,
        "labeller": config.labeller_spec,
        "aligner": config.aligner,
        "symmetrisation": config.stage_options("aligner").get("symmetrisation"),
        "projector": config.projector,
        "propagate": config.propagate,
        "profile": config.profile,
    }


def step_timings(result: PipelineResult) -> dict[str, float]:
    return {timing.step: round(timing.seconds, 3) for timing in result.timings}


@dataclass
class Scores:
    """Metrics over the run's labels, over the paper's label set (when it is a strict subset), and error counts."""

    metrics: dict[str, Any]
    by_labels: dict[str, dict[str, Any]]
    errors: dict[str, int]


def score(gold: Sequence[Sentence], predicted: Sequence[list[Span]], labels: Sequence[str]) -> Scores:
    """Score ``predicted`` against the gold spans of ``gold``, sentence by sentence."""
    gold_spans = [sentence.spans for sentence in gold]
    lengths = [len(sentence) for sentence in gold]
    predicted = list(predicted)
    metrics = evaluate(gold_spans, predicted, lengths, labels=labels)
    by_labels = {}
    subset = [label for label in labels if label in PAPER_LABELS]
    if subset and len(subset) < len(labels):
        by_labels[",".join(subset)] = evaluate(gold_spans, predicted, lengths, labels=subset).to_dict()
    errors = count_errors(classify(gold_spans, predicted, labels=labels))
    return Scores(metrics.to_dict(), by_labels, errors)


def sample(sentences: list[Sentence], limit: int | None, seed: int) -> list[Sentence]:
    """At most ``limit`` sentences, a seeded random subset in the original order."""
    if limit is None or len(sentences) <= limit:
        return sentences
    chosen = set(random.Random(seed).sample(range(len(sentences)), limit))
    return [sentence for k, sentence in enumerate(sentences) if k in chosen]


def run_train_eval(
    settings: TrainEvalSettings,
    *,
    cache: Cache | None = None,
    progress: ProgressCallback | None = None,
    on_epoch: EpochCallback | None = None,
) -> TrainEvalResult:
    """Project the bitext, train on the silver data, score on the gold test set."""
    started, cpu_started = time.perf_counter(), time.process_time()
    env = environment()
    train_labels = settings.silver.labels or settings.labels
    silver_options = replace(settings.silver, labels=tuple(train_labels))
    config = pipeline_config(
        with_unknown_labels(settings.stages, settings.silver.unknown_labels),
        direction="translate-train",
        source_lang=settings.src_lang,
        target_lang=settings.tgt_lang,
        labels=list(dict.fromkeys([*train_labels, *settings.silver.unknown_labels])),
    )
    trainer = trainers.create(settings.trainer, labels=train_labels, seed=settings.seed, **settings.trainer_options)
    timings: dict[str, float] = {}

    clock = time.perf_counter()
    parts = [
        part
        for path in settings.bitext
        for part in bitext_files(path, settings.src_lang, settings.tgt_lang, settings.splits)
    ]
    sources, targets, raw_targets = read_bitext_sentences(parts, settings.src_lang, settings.tgt_lang)
    gold = read_conll(settings.test, settings.tgt_lang, label_set=settings.labels)
    held_out = [s.tokens for path in settings.held_out for s in read_conll(path, settings.tgt_lang)]
    leaked = set(overlapping(raw_targets, [sentence.tokens for sentence in gold] + held_out))
    if settings.exclude_test_overlap and leaked:
        sources = [s for k, s in enumerate(sources) if k not in leaked]
        targets = [t for k, t in enumerate(targets) if k not in leaked]
    timings["read"] = round(time.perf_counter() - clock, 3)

    result = translate_train(sources, config, targets=targets, cache=cache, progress=progress)
    timings.update(step_timings(result))

    clock = time.perf_counter()
    silver, stats = silver_sentences(result.records, silver_options)
    used = sample(silver, settings.max_train_sentences, settings.seed)
    train, dev = split_dev(used, fraction=settings.dev_fraction, max_dev=settings.max_dev, seed=settings.seed)
    timings["silver"] = round(time.perf_counter() - clock, 3)

    model = trainer.train(train, dev, on_epoch=on_epoch)
    timings["train"] = round(model.report.seconds, 3)
    timings["train_cpu"] = round(model.report.cpu_seconds, 3)
    rounds = []
    for number in range(1, settings.self_training.rounds + 1):
        clock = time.perf_counter()
        used, relabel_stats = relabel(used, model.labeller, settings.self_training, train_labels)
        train, dev = split_dev(used, fraction=settings.dev_fraction, max_dev=settings.max_dev, seed=settings.seed)
        relabel_seconds = time.perf_counter() - clock
        retrainer = trainers.create(
            settings.trainer, labels=train_labels, seed=settings.seed, **settings.trainer_options
        )
        model = retrainer.train(train, dev, on_epoch=on_epoch)
        rounds.append({"round": number, **relabel_stats.to_dict(), "training": model.report.to_dict()})
        timings[f"relabel_{number}"] = round(relabel_seconds, 3)
        timings[f"train_{number}"] = round(model.report.seconds, 3)

    clock = time.perf_counter()
    scores = score(gold, model.labeller.label(gold), settings.labels)
    timings["evaluate"] = round(time.perf_counter() - clock, 3)
    timings["total"] = round(time.perf_counter() - started, 3)
    timings["total_cpu"] = round(time.process_time() - cpu_started, 3)

    run = Run(
        name=settings.name or f"{settings.tgt_lang}-{config.projector}",
        kind="translate-train",
        lang=settings.tgt_lang,
        src_lang=settings.src_lang,
        dataset=settings.dataset or dataset_name(settings.test, settings.tgt_lang),
        method={
            **method_of(config),
            "translator": "bitext",
            "trainer": settings.trainer,
            "train_labels": list(train_labels),
            "unprojected": settings.silver.unprojected,
            "empty": settings.silver.empty,
            "min_score": settings.silver.min_score,
            "unknown_labels": list(settings.silver.unknown_labels),
            "dates": settings.silver.dates,
            "unknown_capitalised": settings.silver.unknown_capitalised,
            "self_training": settings.self_training.to_dict(),
        },
        metrics=scores.metrics,
        timings=timings,
        group=settings.group,
        metrics_by_labels=scores.by_labels,
        config={
            "pipeline": config.to_dict(),
            "labels": list(settings.labels),
            "silver": silver_options.to_dict(),
            "splits": None if settings.splits is None else list(settings.splits),
            "exclude_test_overlap": settings.exclude_test_overlap,
            "held_out": [str(path) for path in settings.held_out],
            "self_training": settings.self_training.to_dict(),
            "max_train_sentences": settings.max_train_sentences,
            "dev_fraction": settings.dev_fraction,
            "max_dev": settings.max_dev,
            "trainer": {"spec": settings.trainer, **trainer.identity()},
            "seed": settings.seed,
        },
        data={
            **_train_data(parts, settings.test, len(sources), len(leaked), gold, stats, train, dev),
            "self_training_rounds": rounds,
        },
        errors=scores.errors,
        training=model.report.to_dict(),
        provenance={**env, "stages": _stages(result)},
    )
    return TrainEvalResult(run, model, silver)


def _train_data(
    parts: Sequence[BitextFiles],
    test: Path,
    n_pairs: int,
    n_overlap: int,
    gold: Sequence[Sentence],
    stats: SilverStats,
    train: Sequence[Sentence],
    dev: Sequence[Sentence],
) -> dict[str, Any]:
    files = [file_fingerprint(path) for part in parts for path in (part.src, part.tgt) if path is not None]
    return {
        "bitext_parts": [part.name for part in parts],
        "bitext_files": files,
        "n_bitext_pairs": n_pairs,
        "n_test_overlap": n_overlap,
        "silver": stats.to_dict(),
        "n_train": len(train),
        "n_dev": len(dev),
        "test_file": file_fingerprint(test),
        "n_test": len(gold),
        "n_test_entities": sum(len(sentence.spans) for sentence in gold),
    }


def _stages(result: PipelineResult) -> dict[str, Any]:
    if not result.records:
        return {}
    return result.records[0].provenance.get("stages", {})


def run_translate_test(
    settings: TranslateTestSettings, *, cache: Cache | None = None, progress: ProgressCallback | None = None
) -> Run:
    """Translate gold sentences into ``src_lang``, label, align, project back and score against the gold spans."""
    started = time.perf_counter()
    env = environment()
    config = pipeline_config(
        settings.stages,
        direction="translate-test",
        source_lang=settings.src_lang,
        target_lang=settings.lang,
        labels=settings.labels,
    )
    clock = time.perf_counter()
    gold = read_conll(settings.test, settings.lang, label_set=settings.labels)
    if settings.max_sentences is not None:
        gold = gold[: settings.max_sentences]
    timings = {"read": round(time.perf_counter() - clock, 3)}
    result = translate_test(gold, config, cache=cache, progress=progress)
    timings.update(step_timings(result))
    clock = time.perf_counter()
    scores = score(gold, [record.projected for record in result.records], settings.labels)
    timings["evaluate"] = round(time.perf_counter() - clock, 3)
    timings["total"] = round(time.perf_counter() - started, 3)
    return Run(
        name=settings.name or f"{settings.lang}-translate-test-{config.projector}",
        kind="translate-test",
        lang=settings.lang,
        src_lang=settings.src_lang,
        dataset=settings.dataset or dataset_name(settings.test, settings.lang),
        method=method_of(config),
        metrics=scores.metrics,
        timings=timings,
        group=settings.group,
        metrics_by_labels=scores.by_labels,
        config={"pipeline": config.to_dict(), "labels": list(settings.labels), "max_sentences": settings.max_sentences},
        data={
            "test_file": file_fingerprint(settings.test),
            "n_test": len(gold),
            "n_test_entities": sum(len(sentence.spans) for sentence in gold),
        },
        errors=scores.errors,
        provenance={**env, "stages": _stages(result)},
    )
