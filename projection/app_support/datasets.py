"""Data sets as the app sees them: projection records per target language and per method.

A data set is one corpus projected by one or more methods; every method's
records cover the same sentences (same ids), so a sentence can be shown under
each method side by side. Records come from the built-in example, from a
folder of JSONL records written by the command line, or from a pipeline run
inside the app. Record files are read by the JSONL records reader
(:func:`projection.readers.jsonl.read_records`, ``.jsonl.gz`` too), which
checks every record as it reads it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from projection.cache import DEFAULT_CACHE_DIR
from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.readers.jsonl import read_records
from projection.readers.notes import OnError, ReadNotes
from projection.store.keys import dataset_key, text_hash
from projection.store.merge import record_lang

EXAMPLE_DIR = DEFAULT_CACHE_DIR / "example"
MANIFEST = "manifest.json"
DEFAULT_METHOD = "projection"


@dataclass
class Dataset:
    """Records of one corpus: ``runs[lang][method]`` is a list of records in sentence order.

    A data set is known by its name and the content of its sentences:
    ``ident`` (name and a digest of every language, sentence id and target
    tokens) tells it apart from any other data set, two called ``dev`` among
    them; ``store_key`` is what its corrections are stored under, the same
    digest with ``store_name`` (by default the name), so data sets whose
    target sentences are the same and that share a store name (the example
    under two pipelines) share their corrections, and no two texts ever do.
    ``uid`` tells apart two loads of one data set (for memoised results).
    ``notes`` holds what reading its files found, records skipped among them,
    for the page to show.
    """

    name: str
    title: str
    runs: dict[str, dict[str, list[ProjectionRecord]]]
    description: str = ""
    source: str = ""
    store_name: str = ""
    notes: ReadNotes = field(default_factory=ReadNotes)
    uid: str = field(default_factory=lambda: uuid.uuid4().hex, init=False)
    ident: str = field(default="", init=False)
    store_key: str = field(default="", init=False)
    _index: dict[tuple[str, str], dict[str, ProjectionRecord]] = field(default_factory=dict, init=False, repr=False)
    _ids: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _hashes: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.store_name = self.store_name or self.name
        for lang, methods in self.runs.items():
            for method, records in methods.items():
                index: dict[str, ProjectionRecord] = {}
                for record in records:
                    if record.id in index:
                        raise ProjectionError(
                            f"Data set {self.title!r}: sentence id {record.id!r} occurs twice in the {method} records "
                            f"for language {lang!r}. Sentence ids must be unique; re-run the projection or give "
                            "each sentence its own id."
                        )
                    index[record.id] = record
                self._index[(lang, method)] = index
        contents = self.contents()
        self.ident = dataset_key(self.name, contents)
        self.store_key = dataset_key(self.store_name, contents)

    def contents(self) -> list[tuple[str, str, list[str]]]:
        """``(lang, sentence id, target tokens)`` of every sentence (from the first method that has it)."""
        found: dict[tuple[str, str], list[str]] = {}
        for lang, methods in self.runs.items():
            for records in methods.values():
                for record in records:
                    found.setdefault((lang, record.id), record.target.tokens)
        return [(lang, sentence_id, tokens) for (lang, sentence_id), tokens in found.items()]

    def text_hash(self, lang: str, sentence_id: str) -> str:
        """The hash of a sentence's target tokens, which its corrections must carry to apply (computed once)."""
        found = self._hashes.get((lang, sentence_id))
        if found is None:
            record = next(
                (r for method in self.methods(lang) if (r := self.record(lang, method, sentence_id)) is not None),
                None,
            )
            if record is None:
                raise KeyError((lang, sentence_id))
            found = self._hashes[(lang, sentence_id)] = text_hash(record.target.tokens)
        return found

    def with_runs(self, runs: dict[str, dict[str, list[ProjectionRecord]]]) -> Dataset:
        """The same data set with more methods: ``runs`` are added, replacing methods of the same name."""
        merged = {lang: dict(methods) for lang, methods in self.runs.items()}
        for lang, methods in runs.items():
            merged.setdefault(lang, {}).update(methods)
        return Dataset(
            name=self.name,
            title=self.title,
            runs=merged,
            description=self.description,
            source=self.source,
            store_name=self.store_name,
            notes=self.notes,
        )

    @property
    def langs(self) -> list[str]:
        return list(self.runs)

    def methods(self, lang: str) -> list[str]:
        return list(self.runs.get(lang, {}))

    def records(self, lang: str, method: str) -> list[ProjectionRecord]:
        return self.runs.get(lang, {}).get(method, [])

    def record(self, lang: str, method: str, sentence_id: str) -> ProjectionRecord | None:
        return self._index.get((lang, method), {}).get(sentence_id)

    def sentence_ids(self, lang: str) -> list[str]:
        """Ids of the language's sentences, in the order of its first method (others appended)."""
        if lang not in self._ids:
            ordered: dict[str, None] = {}
            for records in self.runs.get(lang, {}).values():
                ordered.update(dict.fromkeys(record.id for record in records))
            self._ids[lang] = list(ordered)
        return list(self._ids[lang])

    def n_sentences(self, lang: str) -> int:
        return len(self.sentence_ids(lang))

    def has_gold(self, lang: str) -> bool:
        return any(record.gold is not None for records in self.runs.get(lang, {}).values() for record in records)

    def labels(self, lang: str) -> list[str]:
        """The labels that count in evaluation: the run's label set if it has one, else every gold label."""
        for records in self.runs.get(lang, {}).values():
            for record in records[:1]:
                chosen = record.provenance.get("labels")
                if chosen:
                    return list(chosen)
        found = {span.label for records in self.runs.get(lang, {}).values() for r in records for span in r.gold or []}
        return sorted(found)

    def all_labels(self, lang: str) -> list[str]:
        """Every label seen in the language's records (for the label pickers)."""
        found: set[str] = set()
        for records in self.runs.get(lang, {}).values():
            for record in records:
                found.update(span.label for span in record.projected)
                found.update(span.label for span in record.gold or [])
                found.update(span.label for span in record.source.spans)
        return sorted(found)


def method_of(record: ProjectionRecord) -> str:
    return str(record.provenance.get("method") or DEFAULT_METHOD)


def group_records(
    groups: Iterable[tuple[str, Sequence[ProjectionRecord]]],
) -> dict[str, dict[str, list[ProjectionRecord]]]:
    """``runs[lang][method]`` from named groups of records (a group = one file or one run).

    A record's method is its provenance's ``method``; when two groups hold
    the same method for the same language, the later one is keyed
    ``method (group name)`` so neither hides the other.
    """
    runs: dict[str, dict[str, list[ProjectionRecord]]] = {}
    for group_name, records in groups:
        keys: dict[tuple[str, str], str] = {}
        for record in records:
            lang = record_lang(record)
            method = method_of(record)
            key = keys.get((lang, method))
            if key is None:
                key = method if method not in runs.get(lang, {}) else f"{method} ({group_name})"
                keys[(lang, method)] = key
            runs.setdefault(lang, {}).setdefault(key, []).append(record)
    return runs


def jsonl_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        found = [*path.rglob("*.jsonl"), *path.rglob("*.jsonl.gz")]
        return sorted(p for p in found if p.is_file())
    raise ProjectionError(f"Not found: {path}. Give a JSONL file of projection records or a folder of them.")


def load_records_folder(path: str | Path, *, name: str | None = None, on_error: OnError = "fail") -> Dataset:
    """A data set from a JSONL file of projection records, or a folder of them (one per method, say).

    A bad record stops the loading with its file, line and id
    (``on_error="fail"``) or is left out and listed in the data set's notes
    (``"skip"``).
    """
    path = Path(path).expanduser()
    files = jsonl_files(path)
    if not files:
        raise ProjectionError(
            f"{path} holds no .jsonl (or .jsonl.gz) files. Point to the projected output of `python -m projection` "
            "(JSONL records), or load CoNLL or a bitext to run a projection here."
        )
    notes = ReadNotes()
    runs = group_records(
        (file.name.split(".")[0], read_records(file, on_error=on_error, notes=notes)) for file in files
    )
    label = name or path.stem
    return Dataset(name=label, title=label, runs=runs, source=str(path), notes=notes)


def load_example(folder: Path = EXAMPLE_DIR) -> list[Dataset]:
    """The built-in example's data sets, precomputed by :mod:`projection.example.build`."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ProjectionError(
            f"The built-in example is missing ({manifest_path} not found). Rebuild it with "
            "`python -m projection.example.build` or load your own data on the Data page."
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    datasets = []
    for entry in manifest["datasets"]:
        groups = [(method, read_records(folder / file)) for method, file in entry["files"].items()]
        datasets.append(
            Dataset(
                name=entry["name"],
                title=entry["title"],
                description=entry.get("description", ""),
                runs=group_records(groups),
                source="built-in example",
                store_name=entry.get("store_key", entry["name"]),
            )
        )
    return datasets
