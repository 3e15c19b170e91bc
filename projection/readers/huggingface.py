"""Hugging Face dataset reader: a token-classification dataset as sentences.

The dataset is a local directory written by ``save_to_disk`` (a ``Dataset``
or a ``DatasetDict``), or a hub id, which needs network access (or a copy in
the local Hugging Face cache). Tags may be ``ClassLabel`` integers, decoded
through the dataset's features, or tag strings; the scheme is detected over
the whole split.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import datasets

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.readers import SAVED_DATASET_FILES, is_saved_dataset
from projection.readers.conll import check_scheme
from projection.tags import detect_scheme, keep_labels, parse_tag, tags_to_spans


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


def read_hf_dataset(
    path_or_id: str | os.PathLike[str],
    split: str | None,
    lang: str,
    *,
    tokens_column: str = "tokens",
    tags_column: str = "ner_tags",
    scheme: str = "auto",
    label_set: Iterable[str] | None = None,
) -> list[Sentence]:
    """Sentences of one split of a token-classification dataset, with gold spans.

    ``split`` may be None for a dataset saved without splits or with only
    one. Sentence ids come from an ``id`` column if there is one, else
    ``f"{split}-{index}"``.
    """
    scheme = check_scheme(scheme)
    dataset = load_split(path_or_id, split)
    missing = [column for column in (tokens_column, tags_column) if column not in dataset.column_names]
    if missing:
        raise ProjectionError(
            f"The dataset {str(path_or_id)!r} has no column {', '.join(map(repr, missing))}; its columns are "
            f"{', '.join(dataset.column_names)}. Name the right ones with tokens_column= and tags_column=."
        )
    if len(dataset) == 0:
        raise ProjectionError(f"The dataset {str(path_or_id)!r} has no rows in split {prefix_of(dataset, split)!r}.")
    names = tag_names(dataset, tags_column)
    ids = list(dataset["id"]) if "id" in dataset.column_names else None
    prefix = prefix_of(dataset, split)
    all_tokens: list[list[str]] = list(dataset[tokens_column])
    all_tags: list[list[str]] = []
    for index, (tokens, raw_tags) in enumerate(zip(all_tokens, list(dataset[tags_column]), strict=True)):
        tags = [names[tag] if names is not None else str(tag) for tag in raw_tags]
        if len(tags) != len(tokens):
            raise ProjectionError(
                f"The dataset {str(path_or_id)!r}, row {index}: {len(tokens)} tokens but {len(tags)} tags."
            )
        for tag in tags:
            try:
                parse_tag(tag)
            except ValueError:
                raise ProjectionError(
                    f"The dataset {str(path_or_id)!r}, row {index}: unknown tag {tag!r}; tags are O or "
                    "B-/I-/E-/S- followed by a label."
                ) from None
        all_tags.append(tags)
    if scheme == "auto":
        scheme = detect_scheme(all_tags)
    labels = None if label_set is None else set(label_set)
    return [
        Sentence(
            id=str(ids[index]) if ids is not None else f"{prefix}-{index}",
            lang=lang,
            tokens=[str(token) for token in tokens],
            spans=keep_labels(tags_to_spans(tags, scheme, origin="gold"), labels),
        )
        for index, (tokens, tags) in enumerate(zip(all_tokens, all_tags, strict=True))
    ]
