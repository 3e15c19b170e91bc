"""Before a projection starts in the app: are its models on this machine?

A profile whose models are not installed (the paper profiles on a machine
without network) would otherwise load a minute of libraries and then fail
somewhere in the run. This looks, without loading anything, for what each
stage names: a Hugging Face model as a local directory or in the local Hub
cache, a spaCy pipeline as an installed package or a directory, the Apertium
program. A missing model is named with the stage that needs it, so the page
can offer a field for a local copy (:func:`with_local_model`).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from projection.errors import ProjectionError
from projection.models import is_local
from projection.pipeline.config import PipelineConfig
from projection.registry import split_spec

HF_KINDS = ("hf", "simalign", "awesome")
"""Stage implementations whose argument is a Hugging Face model (hub id or directory)."""


@dataclass(frozen=True)
class MissingModel:
    """A model a stage names that is not on this machine."""

    stage: str
    spec: str
    model: str
    reason: str


def hf_model_present(name: str) -> bool:
    """Whether a Hugging Face model is a directory with a config, or in the local Hub cache."""
    if is_local(name):
        return (Path(os.path.expanduser(name)) / "config.json").is_file()
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(repo_id=name, filename="config.json")
    except ValueError:  # not a valid hub id
        return False
    return isinstance(found, str)


def spacy_model_present(name: str) -> bool:
    if is_local(name):
        return Path(os.path.expanduser(name)).is_dir()
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def missing_model(stage: str, spec: str) -> MissingModel | None:
    """What is missing for one stage's spec, if anything."""
    kind, argument = split_spec(spec)
    if kind in HF_KINDS and argument and not hf_model_present(argument):
        local = is_local(argument)
        reason = "the directory does not hold a model" if local else "it is not in the local Hugging Face cache"
        return MissingModel(stage, spec, argument, reason)
    if kind == "spacy" and argument and not spacy_model_present(argument):
        return MissingModel(stage, spec, argument, "no spaCy pipeline of that name is installed")
    if kind == "apertium" and shutil.which("apertium") is None:
        return MissingModel(stage, spec, "apertium", "the Apertium program is not installed")
    return None


def missing_models(config: PipelineConfig) -> list[MissingModel]:
    """Every model the run of ``config`` needs and this machine lacks (translator, labeller, aligner)."""
    stages = {"translator": config.translator, "labeller": config.labeller_spec, "aligner": config.aligner}
    return [found for stage, spec in stages.items() if (found := missing_model(stage, spec)) is not None]


def describe_missing(missing: list[MissingModel], profile: str) -> str:
    """One paragraph: which models are missing, and what to do."""
    listed = "; ".join(f"the {m.stage} {m.model} ({m.reason})" for m in missing)
    return (
        f"The profile {profile} cannot run on this machine: {listed}. Nothing was started. Give the folder of a "
        "local copy of each model below (downloaded where there is internet, e.g. with `hf download MODEL "
        "--local-dir DIR`, and placed inside the app's data folders), or choose the offline profile in the sidebar."
    )


def with_local_model(missing: MissingModel, folder: Path) -> str:
    """The stage spec that loads ``missing`` from ``folder`` instead (e.g. ``hf:/models/nllb``)."""
    if missing.model == "apertium":
        raise ProjectionError("Apertium is a program, not a model folder: install it (`apt-get install apertium`).")
    kind, _ = split_spec(missing.spec)
    return f"{kind}:{folder}"


def stage_overrides(missing: list[MissingModel], folders: Mapping[str, Path]) -> dict[str, str]:
    """Stage -> spec for every missing model whose local folder was given (``folders`` by stage)."""
    return {m.stage: with_local_model(m, folders[m.stage]) for m in missing if m.stage in folders}
