"""Streaming export: a profile run over a data set (or already projected records), corrections merged, any format.

Everything moves a window at a time: an engine (:mod:`projection.engines`)
reads a window of the input and runs the pipeline's batch steps on it, its
rows become records, a sentence whose alignment was corrected is projected
again through the corrected links (with the projector it was made with), the
human span corrections of their sentences replace the projected spans (so a
span correction wins over a re-projection), and the records go one by one to a writer that streams
into a temporary file moved into place only when the run succeeds. Memory
therefore holds one window (plus the models), whatever the corpus size, and
a failed or interrupted run never leaves a half-written output; re-running
it finds every finished chunk in the cache.

Bad input is handled per sentence: an unusable row (an empty side of a
pair, a malformed CoNLL sentence, a line that is not UTF-8 or not JSON) or
a record a format cannot hold (overlapping spans for IOB2, a token with a
space) either stops the run with its position (``on_error="fail"``) or is
skipped and listed in the report (``"skip"``).

Statistical aligners such as eflomal learn from the corpus they are given,
so they align each window as one corpus: windows of ``window`` pairs (default
10,000) keep memory bounded while giving eflomal enough text; see the
README's export section for the measured trade-off.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from projection.cache import Cache
from projection.data import Batch, ProjectionRecord, Span, batch_size, batch_to_records
from projection.engines import Engine, RunPlan, engines
from projection.engines.sources import (
    WHERE,
    BitextSource,
    OnError,
    Problem,
    RecordsSource,
    RowSource,
    SentenceFileSource,
    TextSource,
    reported,
    scan,
)
from projection.errors import ProjectionError
from projection.link_edit import LinkEdit
from projection.pipeline.config import PipelineConfig
from projection.pipeline.inputs import is_raw_text
from projection.pipeline.reproject import ProjectorSettings, reproject, runs_through_links
from projection.pipeline.run import provenance, translate_test_steps, translate_train_steps
from projection.pipeline.setup import NamedInput
from projection.pipeline.steps import Step, split_step
from projection.readers import detect_format
from projection.readers.notes import ReadNotes
from projection.store import Corrections, CorrectionsStore, MergeCounts, StoredCorrections, as_corrections
from projection.store.merge import merged_record, record_lang
from projection.writers import check_output, writer_options, writers
from projection.writers.conll import SIDES, Side, side_of
from projection.writers.label_studio import write_label_config

DEFAULT_WINDOW = 10_000
DEFAULT_CHUNK_SIZE = 1_000

ExportProgress = Callable[[str, int, int], None]
"""``progress(what, done, total)``: ``"sentences"`` for the whole export, else a step within the current window."""


@dataclass
class ExportReport:
    """What an export did: counts, skipped sentences with their positions, time."""

    path: Path
    format: str
    engine: str
    n_read: int = 0
    n_written: int = 0
    merge: MergeCounts | None = None
    """Review statuses of the sentences written, when corrections were merged."""
    problems: list[Problem] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)
    seconds: float = 0.0
    companions: list[Path] = field(default_factory=list)
    """Files written beside the output that belong to it (a Label Studio labelling config)."""
    notes: ReadNotes = field(default_factory=ReadNotes)
    """What reading the input noted (tags not in upper case, stray I- tags, ...)."""

    @property
    def n_corrected(self) -> int:
        """Sentences written with corrected or adjudicated spans."""
        return 0 if self.merge is None else self.merge.corrected

    @property
    def rate(self) -> float:
        """Sentences read per second."""
        return self.n_read / self.seconds if self.seconds else 0.0


def pipeline_steps(source: RowSource, config: PipelineConfig | None) -> list[Step]:
    """The steps that turn the rows of ``source`` into projection records (none for records)."""
    if isinstance(source, RecordsSource):
        return []
    if config is None:
        raise ProjectionError(f"{source.describe()} needs a pipeline to run: give a profile (e.g. --profile offline).")
    if isinstance(source, SentenceFileSource) and source.spans_column == "gold_spans":
        if config.direction != "translate-test":
            raise ProjectionError("Gold target sentences are projected onto in the translate-test direction only.")
        steps = translate_test_steps(config)
        check_columns(source, steps)
        return steps
    if config.direction != "translate-train":
        raise ProjectionError(
            f"{source.describe()} is source-side input, which the translate-train direction projects; "
            "translate-test takes gold-labelled target sentences (CoNLL or JSONL)."
        )
    splits = []
    if isinstance(source, BitextSource):
        splits = [
            split_step(config.source_lang, text_column="src_text", tokens_column="src_tokens"),
            split_step(config.target_lang, text_column="tgt_text", tokens_column="tgt_tokens"),
        ]
    elif isinstance(source, TextSource):
        splits = [split_step(config.source_lang, text_column="src_text", tokens_column="src_tokens")]
    steps = splits + translate_train_steps(config, has_targets=isinstance(source, BitextSource))
    check_columns(source, steps)
    return steps


def check_columns(source: RowSource, steps: Sequence[Step]) -> None:
    """Every step's inputs exist by the time it runs, or a clear error says what the input lacks."""
    available = set(source.columns)
    for step in steps:
        missing = [column for column in step.inputs if column not in available]
        if missing:
            hint = " (raw text carries no labels: choose a model labeller, e.g. --labeller spacy:MODEL)"
            raise ProjectionError(
                f"The {step.name} step needs {', '.join(missing)}, which {source.describe()} does not provide"
                f"{hint if 'src_spans' in missing else ''}."
            )
        available.update(step.outputs)


def stored_corrections(dataset: str, lang: str | None = None, url: str | None = None) -> StoredCorrections:
    """What the store at ``url`` holds for the data set ``dataset`` (its name, or its key), in one language or all.

    The default store is the app's: ``$PROJECTION_CORRECTIONS_URL``, else
    ``cache/corrections.sqlite``, so an export merges what was reviewed there.
    A name covers every data set of that name: each correction is applied
    only to a sentence with the very text it was made on.
    """
    store = CorrectionsStore(url)
    try:
        keys = sorted({dataset, *store.keys_named(dataset)})
        return StoredCorrections(store.reviews(*keys, lang=lang), lang, store.links(*keys, lang=lang))
    finally:
        store.close()


def record_problem(record: ProjectionRecord, which: Side) -> str | None:
    """Why a format built on token tags (CoNLL, spaCy, HF, Label Studio) cannot hold this record, if it cannot."""
    if which == "gold" and record.gold is None:
        return "the record has no gold spans"
    _, tokens, spans = side_of(record, which)
    for index, token in enumerate(tokens):
        if not token or any(char.isspace() for char in token):
            return f"token {index} ({token!r}) is empty or contains whitespace"
    ordered = sorted(spans, key=lambda span: (span.start, span.end))
    for span in ordered:
        if span.end > len(tokens):
            return f"the span {span.key} ends after the last token ({len(tokens)} tokens)"
    for before, after in itertools.pairwise(ordered):
        if before.overlaps(after):
            return f"the spans {before.key} and {after.key} overlap"
    return None


def window_records(
    batch: Batch, config: PipelineConfig | None, origin: Mapping[str, Any] | None
) -> list[ProjectionRecord]:
    """A finished window's rows as records; pipeline rows get their languages and provenance here."""
    if config is not None and origin is not None:
        n = len(batch["id"])
        batch = {
            **batch,
            "src_lang": [config.source_lang] * n,
            "tgt_lang": [config.target_lang] * n,
            "provenance": [origin] * n,
        }
    return batch_to_records(batch)


def window_rows(
    batch: Batch, config: PipelineConfig | None, origin: Mapping[str, Any] | None, chunk_size: int
) -> Iterator[tuple[ProjectionRecord, str]]:
    """``(record, where)`` for each row of a finished window, made ``chunk_size`` at a time, never all at once."""
    for start in range(0, batch_size(batch), chunk_size):
        part = {column: values[start : start + chunk_size] for column, values in batch.items()}
        yield from zip(window_records(part, config, origin), part[WHERE], strict=True)


def relinked(record: ProjectionRecord, edit: LinkEdit, corpus: Sequence[ProjectionRecord]) -> ProjectionRecord:
    """``record`` projected again through its alignment with ``edit`` applied, by the projector that made it.

    With label propagation on, the phrases come from ``corpus``'s records of
    the same language and method, which are what propagation ran over.
    """
    settings = ProjectorSettings.of(record)
    same: list[ProjectionRecord] | None = None
    if settings.propagate:
        lang, method = record_lang(record), record.provenance.get("method")
        same = [other for other in corpus if record_lang(other) == lang and other.provenance.get("method") == method]
    return reproject(record, edit, settings, corpus=same).record


def relinked_rows(
    rows: Iterable[tuple[ProjectionRecord, str]], report: ExportReport, *, corrections: Corrections, on_error: OnError
) -> Iterator[tuple[ProjectionRecord, str]]:
    """``rows`` (one window, or the records given) with each corrected alignment applied (:func:`relinked`).

    A record whose projector does not project through its links
    (back-translation, model transfer) keeps its spans; one that cannot be
    projected again fails the run or is skipped and listed, as ``on_error``
    says. Link corrections made on another sentence pair are counted, never
    applied.
    """
    listed = list(rows)
    corpus = [record for record, _ in listed]
    for record, where in listed:
        found = corrections.resolve_links(record)
        if report.merge is not None:
            report.merge.link_orphans += len(found.orphans)
        if found.edit and runs_through_links(str(record.provenance.get("method") or "")):
            try:
                record = relinked(record, found.edit, corpus)
            except ProjectionError as err:
                problem = Problem(f"{where} (sentence {record.id}): its corrected links: {err}", record.id)
                report.problems.append(reported(problem, on_error))
                continue
            if report.merge is not None:
                report.merge.relinked += 1
        yield record, where


def corrected(
    records: Iterable[tuple[ProjectionRecord, str]],
    report: ExportReport,
    *,
    which: Side,
    corrections: Corrections | None,
    on_error: OnError,
    check: bool,
) -> Iterator[ProjectionRecord]:
    """Records with their corrections merged and checked against the format; bad ones fail or are skipped."""
    for record, where in records:
        resolution = None
        if corrections is not None and which == "projected":
            resolution = corrections.resolve(record)
            record = merged_record(record, resolution)
        problem = record_problem(record, which) if check else None
        if problem is not None:
            found = Problem(f"{where} (sentence {record.id}): {problem}", record.id)
            report.problems.append(reported(found, on_error))
            continue
        if resolution is not None and report.merge is not None:
            report.merge.add(resolution)
        report.labels.update(span.label for span in side_of(record, which)[2])
        yield record


def write_rows(
    rows: Iterable[tuple[ProjectionRecord, str]],
    report: ExportReport,
    *,
    which: Side,
    corrections: Corrections | Mapping[str, Sequence[Span]] | None,
    on_error: OnError,
    labels: Sequence[str] | None,
    started: float,
    force: bool = False,
    comments: bool = True,
) -> ExportReport:
    """Merge corrections into ``rows``, check them against the format, write them to the report's path.

    ``rows`` are records with where each came from (for problem messages);
    the report gets its counts and the time since ``started`` (``perf_counter``).
    A Label Studio export also gets its labelling config beside it.
    ``comments`` gives each CoNLL sentence its ``# id = ...`` line (and review status).
    """
    chosen = as_corrections(corrections)
    if chosen is not None and which == "projected":
        report.merge = MergeCounts()
    stream = corrected(rows, report, which=which, corrections=chosen, on_error=on_error, check=report.format != "jsonl")
    options = writer_options(
        report.format, which=which, labels=None if labels is None else list(labels), force=force, comments=comments
    )
    report.n_written = writers.get(report.format)(stream, report.path, **options)
    if report.format == "label-studio":
        report.companions.append(write_label_config(report.path, sorted(report.labels) if labels is None else labels))
    report.seconds = time.perf_counter() - started
    return report


def export(
    source: RowSource,
    out: str | os.PathLike[str],
    *,
    config: PipelineConfig | None = None,
    steps: Sequence[Step] | None = None,
    format: str | None = None,
    which: Side = "projected",
    corrections: Corrections | Mapping[str, Sequence[Span]] | None = None,
    engine: Engine | str = "local",
    on_error: OnError = "fail",
    window: int = DEFAULT_WINDOW,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    cache: Cache | None = None,
    labels: Sequence[str] | None = None,
    progress: ExportProgress | None = None,
    force: bool = False,
    comments: bool = True,
) -> ExportReport:
    """Run ``config`` over ``source`` (records need none), merge ``corrections``, write ``out``; see the module doc.

    ``steps`` replaces the steps the config and source call for (e.g. a
    custom stage); ``corrections`` are the store's versions of the data set
    (:func:`stored_corrections`), or a mapping of sentence ids to corrected
    spans; each sentence is written with the spans they resolve to, and
    its review status. ``comments=False`` writes CoNLL without comment lines. ``labels`` fixes
    the label set of formats that declare one (Hugging Face ClassLabel);
    by default the config's labels, else those found. The output path is
    checked before any work (``force`` lets a folder output replace a file);
    an input without a single usable sentence is refused, as ``project``
    refuses it, rather than written as an empty file.
    """
    started = time.perf_counter()
    if which not in SIDES:
        raise ProjectionError(f"Unknown side {which!r} to write: use one of {', '.join(SIDES)}.")
    if window < 1 or chunk_size < 1:
        raise ProjectionError("The window and the chunk size must be at least 1 sentence.")
    name = check_output(out, format, force=force)
    engine = engines.create(engine) if isinstance(engine, str) else engine
    found = scan(source, window, on_error)
    if found.rows == 0:
        skipped = f" ({found.problems} bad sentence(s) skipped)" if found.problems else ""
        raise ProjectionError(f"No sentences to export: {source.describe()} has no usable sentence{skipped}.")
    if steps is None:
        steps = pipeline_steps(source, config)
    else:
        check_columns(source, steps)
    origin = provenance(config, steps) if steps and config is not None else None
    chosen = as_corrections(corrections) if which == "projected" else None
    cache_root = None if cache is None else cache.root
    plan = RunPlan(window, found.windows, chunk_size, on_error, cache_root)
    report = ExportReport(Path(out), name, engine.name, notes=found.notes)

    def rows() -> Iterator[tuple[ProjectionRecord, str]]:
        if progress:
            progress("sentences", 0, found.rows)
        for finished in engine.run(source, steps, plan, progress):
            report.problems.extend(finished.problems)
            size = len(finished)
            window = window_rows(finished.batch, config, origin, chunk_size)
            if chosen is not None and chosen.corrects_links(set(finished.batch["id"])):
                window = relinked_rows(window, report, corrections=chosen, on_error=on_error)
            yield from window
            del finished  # the next window is read and run while this name would still hold this one
            report.n_read += size
            if progress:
                progress("sentences", report.n_read, found.rows)

    wanted_labels = labels if labels is not None else (None if config is None else config.labels)
    return write_rows(
        rows(),
        report,
        which=which,
        corrections=chosen,
        on_error=on_error,
        labels=wanted_labels,
        started=started,
        force=force,
        comments=comments,
    )


def export_records(
    records: Iterable[ProjectionRecord],
    out: str | os.PathLike[str],
    *,
    format: str | None = None,
    which: Side = "projected",
    corrections: Corrections | Mapping[str, Sequence[Span]] | None = None,
    on_error: OnError = "fail",
    labels: Sequence[str] | None = None,
    force: bool = False,
    comments: bool = True,
) -> ExportReport:
    """Records already in memory (e.g. the app's), with corrections merged, through the same checks and writers.

    Sentences with corrected links are projected again with the others given
    as their corpus (label propagation's phrases).
    """
    started = time.perf_counter()
    name = check_output(out, format, force=force)
    report = ExportReport(Path(out), name, "none")
    chosen = as_corrections(corrections) if which == "projected" else None

    def rows() -> Iterator[tuple[ProjectionRecord, str]]:
        for number, record in enumerate(records, start=1):
            report.n_read += 1
            yield record, f"record {number}"

    given = rows()
    if chosen is not None and chosen.corrects_links():
        given = relinked_rows(given, report, corrections=chosen, on_error=on_error)
    return write_rows(
        given,
        report,
        which=which,
        corrections=chosen,
        on_error=on_error,
        labels=labels,
        started=started,
        force=force,
        comments=comments,
    )


def row_source(named: NamedInput, *, label_set: Sequence[str] | None = None) -> RowSource:
    """The rows that named files stream as (:func:`projection.pipeline.setup.named_input` says what they are);
    labelled entities outside ``label_set`` read as O.

    A bitext streams as two raw text files (or one TSV) only: a labelled
    bitext is read whole by ``project``.
    """
    if named.kind == "records":
        assert named.records is not None
        return RecordsSource(named.records)
    if named.kind == "gold":
        assert named.gold is not None
        return SentenceFileSource(
            named.gold,
            named.target_lang,
            "tgt_tokens",
            "gold_spans",
            format=sentence_format(named.gold),
            label_set=None if label_set is None else tuple(label_set),
        )
    assert named.src is not None
    if named.kind == "bitext":
        sides = () if named.tgt is None else (named.src, named.tgt)  # a TSV is raw text by definition
        labelled = [path for path in sides if not is_raw_text(path)]
        if labelled:
            raise ProjectionError(
                f"A bitext for export is two raw text files, one sentence per line; {labelled[0]} is labelled "
                "(CoNLL or JSONL). Export labelled sentences with --src alone and a translator."
            )
        return BitextSource(named.src, named.tgt)
    if is_raw_text(named.src):
        return TextSource(named.src)
    return SentenceFileSource(
        named.src,
        named.source_lang,
        format=sentence_format(named.src),
        label_set=None if label_set is None else tuple(label_set),
    )


def sentence_format(path: Path) -> Literal["conll", "jsonl"]:
    """``conll`` or ``jsonl``: the labelled formats export streams."""
    found = detect_format(path)
    if found == "conll":
        return "conll"
    if found == "jsonl":
        return "jsonl"
    raise ProjectionError(
        f"{path} is a saved Hugging Face dataset, which export does not stream; write it out as CoNLL or JSONL "
        "first (e.g. `python -m projection project ... --out data.jsonl`)."
    )
