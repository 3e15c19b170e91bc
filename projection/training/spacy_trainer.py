"""A spaCy NER model trained from scratch on CPU: the default target-language model.

It is a blank pipeline (``xx``: language-neutral lexical attributes, which is
what a low-resource language without a spaCy tokenizer gets) with one ``ner``
component: a hash-embedding CNN (``tok2vec``) under a transition-based parser.
Training is plain minibatch SGD over the silver sentences, one evaluation on
the silver dev split per epoch, early stopping with ``patience`` and the best
epoch's (averaged) weights kept. Given the same data and ``seed`` it gives the
same model: spaCy/thinc and Python's ``random`` are seeded and thinc's CPU
kernels (blis) run single-threaded.

Tokens are never re-tokenised: documents are built from the sentences' tokens,
in Unicode NFC: corpora of one language disagree on composed and decomposed
diacritics (MAFAND's Yoruba is NFC, MasakhaNER 2.0's Yoruba test set is not),
and the hash embeddings would see two spellings of every accented word.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller
from projection.training import (
    EpochCallback,
    EpochRecord,
    EpochTracker,
    TrainedModel,
    Trainer,
    dev_score,
    training_tags,
)

DEFAULT_LABELS = ("PER", "ORG", "LOC", "DATE")


def model_words(tokens: Sequence[str]) -> list[str]:
    """The words a model sees: the tokens in NFC, so composed and decomposed diacritics look the same."""
    return [unicodedata.normalize("NFC", token) for token in tokens]


class SpacyNerLabeller(Labeller):
    """A trained spaCy pipeline labelling tokenised sentences with its own labels."""

    name = "spacy-trained"

    def __init__(self, nlp: Any, *, batch_size: int = 256) -> None:
        labels = nlp.get_pipe("ner").labels
        super().__init__(label_map={label: label for label in labels})
        self.nlp = nlp
        self.batch_size = batch_size

    @classmethod
    def load(cls, path: str | Path) -> SpacyNerLabeller:
        """A model saved with :meth:`save`."""
        import spacy

        try:
            return cls(spacy.load(path))
        except OSError as err:
            raise ProjectionError(f"Cannot load a spaCy model from {path}: {err}") from None

    def save(self, path: str | Path) -> None:
        self.nlp.to_disk(path)

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        from spacy.tokens import Doc

        docs = [Doc(self.nlp.vocab, words=model_words(sentence.tokens)) for sentence in sentences]
        found = []
        for doc in self.nlp.pipe(docs, batch_size=self.batch_size):
            spans = []
            for ent in doc.ents:
                label = self.map_label(ent.label_)
                if label is not None:
                    spans.append(Span(ent.start, ent.end, label, origin=f"model:{self.name}"))
            found.append(spans)
        return found

    def entity_marginals(
        self, sentences: Sequence[Sentence], *, beam_width: int = 16
    ) -> list[dict[tuple[int, int, str], float]]:
        """Each sentence's candidate entities with their probabilities under beam search.

        The greedy-trained transition model is decoded with a beam, whose
        surviving parses give every ``(start, end, label)`` a probability mass:
        the model's own doubt, which a single greedy parse hides.
        """
        from spacy.tokens import Doc

        ner = self.nlp.get_pipe("ner")
        saved = dict(ner.cfg)
        ner.cfg.update(beam_width=beam_width, beam_density=0.0001)
        try:
            found = []
            for start in range(0, len(sentences), self.batch_size):
                part = sentences[start : start + self.batch_size]
                docs = [Doc(self.nlp.vocab, words=model_words(sentence.tokens)) for sentence in part]
                for scored in ner.scored_ents(ner.predict(docs)):
                    found.append(
                        {
                            (s, e, mapped): float(p)
                            for (s, e, label), p in scored.items()
                            if (mapped := self.map_label(label)) is not None
                        }
                    )
            return found
        finally:
            ner.cfg.clear()
            ner.cfg.update(saved)

    def versions(self) -> dict[str, str]:
        return {"spacy": metadata.version("spacy")}


class SpacyTrainer(Trainer):
    """Train a spaCy NER model on CPU, deterministically for a given ``seed``.

    ``lang`` is the blank pipeline's language code (``xx`` by default, the
    spec argument of ``spacy:LANG``). ``width``, ``depth`` and ``embed_size``
    shape the tok2vec; ``hidden_width`` the parser's hidden layer. The
    budget is in epochs, so that it grows with the data: training stops
    after ``max_epochs``, or when the dev F1 has not improved for
    ``patience`` epochs, but never before ``min_epochs`` (on a small bitext
    a noisy silver dev score would otherwise stop training after a few
    hundred updates); ``max_updates`` caps the minibatch updates as well
    (None: no cap; the last, partial epoch is evaluated too). With no dev
    set it runs until one of the limits.

    ``tok2vec_source`` names a spaCy pipeline (package or directory) whose
    ``ner`` component has its own tok2vec: ours is built with that tok2vec's
    architecture and starts from its weights (what it learned on the source
    pipeline's corpus, e.g. OntoNotes for ``en_core_web_sm``), under a new
    transition layer for our labels. ``lang`` should then be the source's
    language, so the lexical attributes the embeddings hash agree.
    """

    name = "spacy"

    def __init__(
        self,
        lang: str = "xx",
        *,
        labels: Sequence[str] = DEFAULT_LABELS,
        seed: int = 0,
        width: int = 96,
        depth: int = 4,
        embed_size: int = 2000,
        window_size: int = 1,
        hidden_width: int = 64,
        dropout: float = 0.2,
        batch_size: int = 32,
        learn_rate: float = 0.001,
        max_epochs: int = 12,
        patience: int = 3,
        max_updates: int | None = None,
        min_epochs: int = 5,
        tok2vec_source: str | None = None,
    ) -> None:
        if min(max_epochs, batch_size, patience, min_epochs) < 1 or (max_updates is not None and max_updates < 1):
            raise ProjectionError(
                "max_epochs, min_epochs, max_updates, batch_size and patience must each be at least 1."
            )
        if not 0.0 <= dropout < 1.0:
            raise ProjectionError(f"dropout must be in [0, 1), not {dropout}.")
        self.lang = lang
        self.labels = tuple(labels)
        self.seed = seed
        self.width = width
        self.depth = depth
        self.embed_size = embed_size
        self.window_size = window_size
        self.hidden_width = hidden_width
        self.dropout = dropout
        self.batch_size = batch_size
        self.learn_rate = learn_rate
        self.max_epochs = max_epochs
        self.max_updates = max_updates
        self.patience = patience
        self.min_epochs = min_epochs
        self.tok2vec_source = tok2vec_source

    def params(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "labels": list(self.labels),
            "seed": self.seed,
            "width": self.width,
            "depth": self.depth,
            "embed_size": self.embed_size,
            "window_size": self.window_size,
            "hidden_width": self.hidden_width,
            "dropout": self.dropout,
            "batch_size": self.batch_size,
            "learn_rate": self.learn_rate,
            "max_epochs": self.max_epochs,
            "max_updates": self.max_updates,
            "patience": self.patience,
            "min_epochs": self.min_epochs,
            "tok2vec_source": self.tok2vec_source,
        }

    def versions(self) -> dict[str, str]:
        found = {"spacy": metadata.version("spacy"), "thinc": metadata.version("thinc")}
        if self.tok2vec_source is not None:
            meta = self._source().meta
            found["tok2vec_source"] = f"{meta.get('lang')}_{meta.get('name')}=={meta.get('version')}"
        return found

    def _source(self) -> Any:
        from projection.labellers.spacy_labeller import load_model

        assert self.tok2vec_source is not None
        return load_model(self.tok2vec_source)

    def _source_tok2vec(self) -> tuple[dict[str, Any], Any]:
        """The source pipeline's ``ner`` tok2vec: its architecture (config) and its trained layer."""
        nlp = self._source()
        if "ner" not in nlp.pipe_names:
            raise ProjectionError(f"The tok2vec source {self.tok2vec_source!r} has no 'ner' component.")
        config = nlp.config["components"]["ner"]["model"]["tok2vec"]
        if "Tok2VecListener" in str(config.get("@architectures")):
            raise ProjectionError(
                f"The 'ner' of {self.tok2vec_source!r} listens to a shared tok2vec; give a pipeline whose 'ner' "
                "has its own (e.g. en_core_web_sm)."
            )
        return dict(config), nlp.get_pipe("ner").model.get_ref("tok2vec")

    def model_config(self) -> dict[str, Any]:
        """The ``ner`` component's model: HashEmbedCNN tok2vec under a transition-based parser."""
        return {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": self.hidden_width,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": {
                "@architectures": "spacy.HashEmbedCNN.v2",
                "pretrained_vectors": None,
                "width": self.width,
                "depth": self.depth,
                "embed_size": self.embed_size,
                "window_size": self.window_size,
                "maxout_pieces": 3,
                "subword_features": True,
            },
        }

    def pipeline_model_config(self) -> dict[str, Any]:
        """:meth:`model_config`, with the source's tok2vec architecture when there is a ``tok2vec_source``."""
        config = self.model_config()
        if self.tok2vec_source is not None:
            config["tok2vec"] = self._source_tok2vec()[0]
        return config

    def blank_pipeline(self) -> Any:
        import spacy

        try:
            nlp = spacy.blank(self.lang)
        except (ImportError, KeyError) as err:
            raise ProjectionError(
                f"spaCy has no language {self.lang!r} ({err}). Use a spaCy language code, or 'xx' (multi-language), "
                "e.g. --trainer spacy:xx."
            ) from None
        ner = nlp.add_pipe("ner", config={"model": self.pipeline_model_config()})
        for label in self.labels:
            ner.add_label(label)
        return nlp

    def train(
        self, train: Sequence[Sentence], dev: Sequence[Sentence], *, on_epoch: EpochCallback | None = None
    ) -> TrainedModel:
        from spacy.tokens import Doc
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        if not train:
            raise ProjectionError("No training sentences: the silver data is empty after filtering.")
        tracker = EpochTracker(self.patience, on_epoch)
        fix_random_seed(self.seed)
        nlp = self.blank_pipeline()
        examples = []
        for sentence in train:
            tokens = model_words(sentence.tokens)
            reference = Doc(nlp.vocab, words=tokens, ents=training_tags(sentence, self.labels))
            examples.append(Example(Doc(nlp.vocab, words=tokens), reference))
        optimizer = nlp.initialize(lambda: examples)
        optimizer.learn_rate = self.learn_rate
        if self.tok2vec_source is not None:
            source_layer = self._source_tok2vec()[1]
            nlp.get_pipe("ner").model.get_ref("tok2vec").from_bytes(source_layer.to_bytes())
        model = SpacyNerLabeller(nlp)
        rng = random.Random(self.seed)
        order = list(examples)
        updates = 0
        for epoch in range(1, self.max_epochs + 1):
            rng.shuffle(order)
            losses: dict[str, float] = {}
            for batch in minibatch(order, size=self.batch_size):
                nlp.update(batch, drop=self.dropout, sgd=optimizer, losses=losses)
                updates += 1
                if updates == self.max_updates:
                    break
            with nlp.use_params(optimizer.averages):
                dev_f1 = dev_score(model, dev, self.labels) if dev else None
                record = EpochRecord(epoch, updates, float(losses.get("ner", 0.0)), dev_f1)
                out_of_patience = tracker.finish_epoch(record, nlp.get_pipe("ner").to_bytes)
            if (out_of_patience and epoch >= self.min_epochs) or updates == self.max_updates:
                break
        nlp.get_pipe("ner").from_bytes(tracker.best_weights)
        report = tracker.report(len(train), len(dev))
        return TrainedModel(model, report)
