"""Where source NER models trained by ``projection train-labeller`` live, and which one is in use.

Each model is a spaCy pipeline directory ``<models>/ner-<lang>-<key>``, the
key a hash of its training data and configuration, so two recipes never
overwrite each other and re-training an existing recipe is skipped. A small
pointer file ``<models>/ner-<lang>.json`` names the model that labellers use
for that language (the one trained last); where it is absent they fall back
to the installed spaCy model alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from projection.cache import DEFAULT_CACHE_DIR
from projection.errors import ProjectionError
from projection.fileio import atomic_write

DEFAULT_MODELS_DIR = DEFAULT_CACHE_DIR / "models"


def model_dir(models_dir: Path, lang: str, key: str) -> Path:
    return models_dir / f"ner-{lang}-{key[:16]}"


def pointer_file(models_dir: Path, lang: str) -> Path:
    return models_dir / f"ner-{lang}.json"


def set_current(models_dir: Path, lang: str, model: Path, details: dict[str, Any]) -> None:
    """Make ``model`` the trained source NER of ``lang``."""
    with atomic_write(pointer_file(models_dir, lang)) as handle:
        json.dump({"model": model.name, **details}, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def current_model(models_dir: Path, lang: str) -> Path | None:
    """The trained source NER of ``lang`` in ``models_dir``, or None when none was trained."""
    pointer = pointer_file(models_dir, lang)
    if not pointer.is_file():
        return None
    try:
        name = json.loads(pointer.read_text(encoding="utf-8"))["model"]
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise ProjectionError(f"{pointer} is not a model pointer ({err}); delete it and run train-labeller.") from None
    model = models_dir / str(name)
    if Path(str(name)).name != str(name) or not (model / "meta.json").is_file():
        raise ProjectionError(
            f"{pointer} names the model {name!r}, which is not a saved pipeline in {models_dir}; "
            "delete the pointer or run `python -m projection train-labeller` again."
        )
    return model
