"""``projection train-eval``: project a bitext, train a target NER model, score it on a gold test set.

With ``--direction translate-test`` it scores the projection itself instead
(the paper's intrinsic protocol) and writes the same run format, so that
``projection report`` shows both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast

import typer
import yaml
from rich.table import Table

from projection.cache import DEFAULT_CACHE_DIR
from projection.cli import options
from projection.cli.app import app, console, print_table
from projection.cli.progress import step_progress
from projection.data import Sentence
from projection.errors import ProjectionError
from projection.fileio import output_file
from projection.pipeline.config import DEFAULT_PROFILE, Direction, load_profile
from projection.train_eval import (
    DEFAULT_UNKNOWN_LABELS,
    MASAKHANER_LABELS,
    StageChoices,
    TrainEvalSettings,
    TranslateTestSettings,
    run_train_eval,
    run_translate_test,
)
from projection.training import MISSING, EpochRecord
from projection.training.run_record import Run, save_run
from projection.training.silver import DatePolicy, EmptyPolicy, SilverOptions, UnprojectedPolicy
from projection.writers.conll import write_conll


def parse_trainer_options(items: list[str] | None) -> dict[str, Any]:
    """``["max_epochs=5", "dropout=0.3"]`` -> ``{"max_epochs": 5, "dropout": 0.3}`` (values read as YAML scalars)."""
    parsed: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ProjectionError(f"--trainer-option {item!r} is not KEY=VALUE (e.g. --trainer-option max_epochs=5).")
        parsed[key.strip()] = yaml.safe_load(value)
    return parsed


def print_run(run: Run) -> None:
    """Per-label scores, overall (and over the paper's labels), and the time per stage."""
    table = Table(title=f"{run.name}: {run.kind}, {run.lang} ({run.dataset})")
    for column in ("label", "precision", "recall", "f1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, row in sorted(run.metrics["per_label"].items()):
        table.add_row(label, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}", str(row["support"]))
    overall = run.metrics["overall"]
    table.add_row(
        "overall", f"{overall['precision']:.3f}", f"{overall['recall']:.3f}", f"{overall['f1']:.3f}", "", style="bold"
    )
    for labels, metrics in run.metrics_by_labels.items():
        sub = metrics["overall"]
        table.add_row(labels, f"{sub['precision']:.3f}", f"{sub['recall']:.3f}", f"{sub['f1']:.3f}", "")
    print_table(table)
    timings = ", ".join(f"{stage} {value:.1f} s" for stage, value in run.timings.items())
    console.print(f"Time: {timings}")
    if run.kind == "translate-train":
        data = run.data
        console.print(
            f"Bitext pairs {data['n_bitext_pairs']} (test overlap {data['n_test_overlap']}), silver kept "
            f"{data['silver']['n_kept']}, trained on {data['n_train']} (dev {data['n_dev']})."
        )


@app.command("train-eval")
def train_eval(
    tgt_lang: Annotated[str, typer.Option(help="Language of the gold test set (and of the bitext's target side).")],
    test: Annotated[Path, typer.Option(help="Gold test set in CoNLL (token TAG per line).")],
    out: Annotated[Path, typer.Option(help="Where to write the run JSON (e.g. runs/swa-heuristic.json).")],
    src_lang: Annotated[str, typer.Option(help="Language of the labelled side (en, fr).")] = "en",
    direction: Annotated[
        Direction, typer.Option(help="translate-train (bitext -> trained model) or translate-test (intrinsic).")
    ] = "translate-train",
    bitext: Annotated[
        list[Path] | None,
        typer.Option(help="Bitext: a directory of NAME.<src>/NAME.<tgt> files, or a TSV; may be repeated."),
    ] = None,
    splits: Annotated[str | None, typer.Option(help="Comma-separated bitext parts to use (default: all).")] = None,
    include_test_overlap: Annotated[
        bool, typer.Option(help="Keep bitext pairs whose target side is a test sentence (excluded by default).")
    ] = False,
    profile: options.Profile = "offline",
    translator: options.Translator = None,
    labeller: options.Labeller = None,
    aligner: options.Aligner = None,
    symmetrisation: Annotated[
        str | None, typer.Option(help="Alignment symmetrisation: grow-diag-final-and, intersection, union, ...")
    ] = None,
    projector: options.Projector = None,
    priors: options.Priors = None,
    propagate: Annotated[
        int | None,
        typer.Option(
            help="Label propagation minimum count (0: off; default: off for translate-train, else the profile's)."
        ),
    ] = None,
    labels: Annotated[
        str, typer.Option(help="Labels that count in the evaluation; others are O on both sides.")
    ] = ",".join(MASAKHANER_LABELS),
    train_labels: Annotated[
        str | None, typer.Option(help="Labels to project and train on (default: the evaluation labels).")
    ] = None,
    unprojected: Annotated[
        str, typer.Option(help="Sentences where a source entity failed to project: keep, drop or missing.")
    ] = "keep",
    empty: Annotated[str, typer.Option(help="Sentences with no source entity: keep or drop.")] = "keep",
    unknown_labels: Annotated[
        str | None,
        typer.Option(help="Source entity types (e.g. NORP) whose projected words are trained as unknown, not O."),
    ] = ",".join(DEFAULT_UNKNOWN_LABELS),
    dates: Annotated[
        str, typer.Option(help="DATE entities: all, or points (only those anchored in time; English, French sources).")
    ] = "points",
    unknown_capitalised: Annotated[
        bool, typer.Option(help="Mark capitalised words outside projected spans as unknown instead of O.")
    ] = False,
    min_score: Annotated[
        float | None, typer.Option(help="Projected spans scoring below this count as failed (matching projectors).")
    ] = None,
    max_train_sentences: Annotated[
        int | None, typer.Option(help="Train on at most this many silver sentences (a seeded sample).")
    ] = None,
    trainer: Annotated[str, typer.Option(help="Trainer spec: spacy (CPU) or hf:MODEL (GPU).")] = "spacy",
    trainer_option: Annotated[
        list[str] | None, typer.Option(help="Trainer setting KEY=VALUE, e.g. max_epochs=10; may be repeated.")
    ] = None,
    max_sentences: Annotated[
        int | None, typer.Option(help="translate-test only: score the first N test sentences.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling, the dev split and training.")] = 0,
    name: Annotated[str | None, typer.Option(help="Run name (default: LANG-PROJECTOR).")] = None,
    dataset: Annotated[str | None, typer.Option(help="Data set name (default: from the test path).")] = None,
    group: Annotated[
        str, typer.Option(help="Report group: main (per-language comparison) or an ablation's name.")
    ] = "main",
    model_out: Annotated[Path | None, typer.Option(help="Save the trained model to this directory.")] = None,
    silver_out: Annotated[Path | None, typer.Option(help="Write the silver training data as CoNLL.")] = None,
    cache_dir: options.CacheDir = DEFAULT_CACHE_DIR,
    no_cache: options.NoCache = False,
) -> None:
    """Project, train and score (translate-train), or score the projection itself (translate-test)."""
    for output in (out, silver_out):
        if output is not None:
            output_file(output)
    stages = StageChoices(
        profile=profile,
        translator=translator,
        labeller=labeller,
        aligner=aligner,
        projector=projector,
        symmetrisation=symmetrisation,
        propagate=0 if propagate is None and direction == "translate-train" else propagate,
        options=options.priors_options(
            priors, aligner or load_profile(profile or DEFAULT_PROFILE).get("aligner"), src_lang, tgt_lang, cache_dir
        ),
    )
    eval_labels = options.parse_labels(labels) or MASAKHANER_LABELS
    cache = options.cache_of(cache_dir, no_cache)
    if direction == "translate-test":
        test_settings = TranslateTestSettings(
            lang=tgt_lang,
            test=test,
            src_lang=src_lang,
            stages=stages,
            labels=eval_labels,
            max_sentences=max_sentences,
            name=name,
            dataset=dataset,
            group=group,
        )
        with step_progress() as progress:
            run = run_translate_test(test_settings, cache=cache, progress=progress)
    else:
        if not bitext:
            raise ProjectionError("translate-train needs a bitext: --bitext DIR (NAME.<src>/NAME.<tgt> files) or TSV.")
        silver = SilverOptions(
            labels=options.parse_labels(train_labels) or eval_labels,
            unprojected=cast(UnprojectedPolicy, unprojected),
            empty=cast(EmptyPolicy, empty),
            min_score=min_score,
            unknown_capitalised=unknown_capitalised,
            unknown_labels=options.parse_labels(unknown_labels) or (),
            dates=cast(DatePolicy, dates),
        )
        settings = TrainEvalSettings(
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            bitext=tuple(bitext),
            test=test,
            stages=stages,
            labels=eval_labels,
            silver=silver,
            splits=options.parse_labels(splits),
            exclude_test_overlap=not include_test_overlap,
            max_train_sentences=max_train_sentences,
            trainer=trainer,
            trainer_options=parse_trainer_options(trainer_option),
            seed=seed,
            name=name,
            dataset=dataset,
            group=group,
        )

        def on_epoch(record: EpochRecord) -> None:
            dev = "–" if record.dev_f1 is None else f"{record.dev_f1:.3f}"
            console.print(f"epoch {record.epoch}: loss {record.loss:.1f}, silver dev F1 {dev}")

        with step_progress() as progress:
            result = run_train_eval(settings, cache=cache, progress=progress, on_epoch=on_epoch)
        run = result.run
        if model_out is not None:
            result.model.labeller.save(model_out)
            console.print(f"Model saved to {model_out}")
        if silver_out is not None:
            known = [
                Sentence(s.id, s.lang, s.tokens, [x for x in s.spans if x.label != MISSING]) for s in result.silver
            ]
            write_conll(known, silver_out)
            console.print(f"Silver data written to {silver_out}")
    print_run(run)
    save_run(run, out)
    console.print(f"Run written to {out}")
