"""``projection train-labeller``: train the source NER model of our own on gold CoNLL data.

The model goes to ``cache/models/`` (keyed by data and configuration) and
becomes the one the offline profile's ``ensemble`` labeller uses for that
language; the same recipe trained again is found, not retrained.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from projection.cli.app import app, console
from projection.cli.train_eval import parse_trainer_options
from projection.errors import ProjectionError
from projection.labellers.trained_models import DEFAULT_MODELS_DIR
from projection.training import EpochRecord
from projection.training.source_ner import (
    DEFAULT_SOURCE_OPTIONS,
    SOURCE_LABELS,
    SourceNerRecipe,
    score_on,
    train_source_ner,
)
from projection.training.spacy_trainer import SpacyNerLabeller

STARTS = {"sm": DEFAULT_SOURCE_OPTIONS["tok2vec_source"], "scratch": None}


@app.command("train-labeller")
def train_labeller(
    train: Annotated[Path, typer.Option(help="Gold training data in CoNLL, e.g. conll2003_en/train.txt.")],
    dev: Annotated[Path, typer.Option(help="Gold dev data in CoNLL: picks the best epoch.")],
    lang: Annotated[str, typer.Option(help="Language of the data.")] = "en",
    labels: Annotated[str, typer.Option(help="Labels to learn.")] = ",".join(SOURCE_LABELS),
    start: Annotated[
        str, typer.Option(help="sm: from the small English pipeline's NER tok2vec; scratch: random weights.")
    ] = "sm",
    trainer_option: Annotated[
        list[str] | None, typer.Option(help="Trainer setting KEY=VALUE, e.g. max_epochs=8; may be repeated.")
    ] = None,
    max_train_sentences: Annotated[int | None, typer.Option(help="Train on the first N sentences only.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for training.")] = 0,
    test: Annotated[Path | None, typer.Option(help="Also score the model on this gold CoNLL file.")] = None,
    models_dir: Annotated[Path, typer.Option(help="Where trained models are kept.")] = DEFAULT_MODELS_DIR,
    retrain: Annotated[bool, typer.Option(help="Train even if this recipe's model exists.")] = False,
) -> None:
    """Train an NER-only spaCy pipeline on gold data; the offline profile then labels with it."""
    if start not in STARTS:
        raise ProjectionError(f"Unknown start {start!r}; use sm or scratch.")
    for path in (train, dev, test):
        if path is not None and not path.is_file():
            raise ProjectionError(f"Data file not found: {path}.")
    options = {**DEFAULT_SOURCE_OPTIONS, "tok2vec_source": STARTS[start], **parse_trainer_options(trainer_option)}
    label_set = tuple(label.strip() for label in labels.split(",") if label.strip())
    recipe = SourceNerRecipe(
        train,
        dev,
        lang=lang,
        labels=label_set,
        trainer_options=options,
        max_train_sentences=max_train_sentences,
        seed=seed,
    )

    def on_epoch(record: EpochRecord) -> None:
        dev_f1 = "–" if record.dev_f1 is None else f"{record.dev_f1:.3f}"
        console.print(f"epoch {record.epoch}: {record.updates} updates, loss {record.loss:.1f}, dev F1 {dev_f1}")

    result = train_source_ner(recipe, models_dir=models_dir, retrain=retrain, on_epoch=on_epoch)
    verb = "Trained" if result.trained else "Found"
    overall = result.dev_metrics.get("overall", {})
    console.print(f"{verb} {result.path} in {result.seconds:.0f} s; dev F1 {overall.get('f1', float('nan')):.3f}")
    if test is not None:
        scores = score_on(SpacyNerLabeller.load(result.path), test, lang, label_set)
        per_label = ", ".join(f"{label} {row['f1']:.3f}" for label, row in sorted(scores["per_label"].items()))
        console.print(f"{test}: F1 {scores['overall']['f1']:.3f} ({per_label})")
