"""Hugging Face dataset reader: a token-classification dataset as sentences.

The dataset is a local directory written by ``save_to_disk`` (a ``Dataset``
or a ``DatasetDict``), or a hub id, which needs network access (or a copy in
the local Hugging Face cache). Tags may be ``ClassLabel`` integers, decoded
through the dataset's features, or tag strings, read as every reader reads
tags (:mod:`projection.readers.entities`). A row whose tags do not match its
tokens, or whose id repeats an earlier row's, is a problem of that row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import datasets

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.readers import SAVED_DATASET_FILES, is_saved_dataset
from projection.readers.entities import Entities, normalised_label_set
from projection.readers.notes import OnError, Problem, ReadNotes, kept
from projection.tags import is_tag


def load_split(path_or_id: str | os.PathLike[str], split: str | None) -> datasets.Dataset:
    """One split, from a saved directory or from the hub."""
    path = Path(path_or_id)
    if path.exists():
        if not is_saved_dataset(path):
            raise ProjectionError(
                f"{path} is not a saved Hugging Face dataset (no {' / '.join(SAVED_DATASET_FILES)} in it). "
                "Save one with `dataset.save_to_disk(path)`."
            )
        loaded = datasets.load_from_disk(str(path))
        if isinstance(loaded, datasets.Dataset):
            return loaded
        return pick_split(loaded, split, str(path))
    try:
        loaded = datasets.load_dataset(str(path_or_id), split=split)
    except (OSError, ValueError) as err:  # ConnectionError and DatasetNotFoundError are OSErrors
        raise ProjectionError(
            f"Could not load the Hugging Face dataset {str(path_or_id)!r}: it is not a local directory and the "
            f"hub did not provide it ({type(err).__name__}: {err}). Without network, load it where the network "
            "allows, save it with `dataset.save_to_disk(DIR)` and pass DIR."
        ) from None
    if isinstance(loaded, datasets.DatasetDict):
        return pick_split(loaded, split, str(path_or_id))
    return loaded


def pick_split(dataset_dict: datasets.DatasetDict, split: str | None, where: str) -> datasets.Dataset:
    splits = list(dataset_dict)
    if split is None and len(splits) == 1:
        return dataset_dict[splits[0]]
    if split not in dataset_dict:
        wanted = "No split was given" if split is None else f"There is no split {split!r}"
        raise ProjectionError(f"{wanted} in the dataset {where}; its splits are: {', '.join(splits)}.")
    return dataset_dict[split]


def tag_names(dataset: datasets.Dataset, tags_column: str) -> Sequence[str] | None:
    """The ClassLabel names of a tags column, or None when the tags are strings."""
    feature: Any = dataset.features[tags_column]
    inner = getattr(feature, "feature", None)
    return inner.names if isinstance(inner, datasets.ClassLabel) else None


def prefix_of(dataset: datasets.Dataset, split: str | None) -> str:
    """The split's name, used as the prefix of sentence ids."""
    return str(split or dataset.split or "data")


def row_items(
    dataset: datasets.Dataset,
    where: str,
    lang: str,
    prefix: str,
    tokens_column: str,
    tags_column: str,
    entities: Entities,
) -> Iterator[tuple[Sentence, str] | Problem]:
    """Each row's sentence with where it is (``dataset X, row n``), or the problem that makes it unusable."""
    names = tag_names(dataset, tags_column)
    ids = list(dataset["id"]) if "id" in dataset.column_names else None
    first_row: dict[str, int] = {}
    for index, (tokens, raw_tags) in enumerate(zip(dataset[tokens_column], dataset[tags_column], strict=True)):
        row = f"{where}, row {index}"
        sentence_id = str(ids[index]) if ids is not None else f"{prefix}-{index}"
        tags = [names[tag] if names is not None else str(tag) for tag in raw_tags]
        if not tokens or len(tags) != len(tokens):
            found = "no tokens" if not tokens else f"{len(tokens)} tokens but {len(tags)} tags"
            yield Problem(f"{row}: {found}", sentence_id)
            continue
        bad = next((tag for tag in tags if not is_tag(tag)), None)
        if bad is not None:
            yield Problem(f"{row}: unknown tag {bad!r}; tags are O or B-/I-/E-/S- followed by a label", sentence_id)
            continue
        first = first_row.setdefault(sentence_id, index)
        if first != index:
            yield Problem(f"{row}: sentence id {sentence_id!r} occurs twice, first at row {first}", sentence_id)
            continue
        spans = entities.from_tags(tags, lambda _, row=row: row)
        yield Sentence(sentence_id, lang, [str(token) for token in tokens], spans), row


def read_hf_dataset(
    path_or_id: str | os.PathLike[str],
    split: str | None,
    lang: str,
    *,
    tokens_column: str = "tokens",
    tags_column: str = "ner_tags",
    label_set: Iterable[str] | None = None,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
) -> list[Sentence]:
    """Sentences of one split of a token-classification dataset, with gold spans.

    ``split`` may be None for a dataset saved without splits or with only
    one. Sentence ids come from an ``id`` column if there is one, else
    ``f"{split}-{index}"``. A bad row raises (``on_error="fail"``) or is
    skipped and listed in ``notes`` (``"skip"``).
    """
    dataset = load_split(path_or_id, split)
    missing = [column for column in (tokens_column, tags_column) if column not in dataset.column_names]
    if missing:
        raise ProjectionError(
            f"The dataset {str(path_or_id)!r} has no column {', '.join(map(repr, missing))}; its columns are "
            f"{', '.join(dataset.column_names)}. Name the right ones with tokens_column= and tags_column=."
        )
    if len(dataset) == 0:
        raise ProjectionError(f"The dataset {str(path_or_id)!r} has no rows in split {prefix_of(dataset, split)!r}.")
    where = f"The dataset {str(path_or_id)!r}"
    entities = Entities(where, normalised_label_set(label_set), notes)
    prefix = prefix_of(dataset, split)
    items = row_items(dataset, where, lang, prefix, tokens_column, tags_column, entities)
    return list(kept(items, on_error, notes, where))
