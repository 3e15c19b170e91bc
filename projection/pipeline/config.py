"""What a pipeline run is made of: the direction, the languages and one spec per stage.

A profile (``projection/profiles/NAME.yaml``, or any YAML path) fills the
stage specs; options given on the command line override it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from projection.errors import ProjectionError
from projection.registry import split_spec

PROFILE_DIR = Path(__file__).resolve().parents[1] / "profiles"
DEFAULT_PROFILE = "offline"
"""The profile a command or the app runs when none is named: everything that works without network."""
STAGES = ("translator", "labeller", "aligner", "projector")
Direction = Literal["translate-test", "translate-train"]
DIRECTIONS: tuple[Direction, ...] = ("translate-test", "translate-train")


@dataclass(frozen=True)
class PipelineConfig:
    """One run of the pipeline.

    ``source_lang`` is the labelled side and ``target_lang`` the side that
    receives the projected spans: in translate-test the target is the
    gold-labelled data (e.g. ``es``) and the source its English translation;
    in translate-train the source is the labelled data and the target its
    translation. ``labeller`` may map languages to specs, for profiles that
    serve several source languages. ``propagate`` > 0 adds corpus-level
    label propagation (:mod:`projection.projectors.propagation`) with that
    minimum count; 0 leaves it out. ``target_labeller`` maps target
    languages to an NER model of that language, for the methods that need
    one (NER candidates, model transfer) where the profile has it.
    """

    direction: Direction
    source_lang: str
    target_lang: str
    translator: str = "parallel"
    labeller: str | Mapping[str, str] = "gold"
    aligner: str = "eflomal"
    projector: str = "heuristic"
    labels: tuple[str, ...] | None = None
    propagate: int = 0
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    profile: str | None = None
    target_labeller: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ProjectionError(f"Unknown direction {self.direction!r}; choose one of {', '.join(DIRECTIONS)}.")
        unknown = set(self.options) - set(STAGES)
        if unknown:
            raise ProjectionError(
                f"Profile options name unknown stages {sorted(unknown)}; stages are {', '.join(STAGES)}."
            )
        if self.propagate < 0:
            raise ProjectionError(f"propagate must be 0 (off) or a minimum count >= 1, not {self.propagate}.")

    @property
    def labeller_spec(self) -> str:
        """The labeller for the source language (a per-language mapping is resolved here)."""
        if isinstance(self.labeller, str):
            return self.labeller
        for lang in (self.source_lang, self.source_lang[:2]):
            if lang in self.labeller:
                return self.labeller[lang]
        raise ProjectionError(
            f"The profile has no labeller for source language {self.source_lang!r} (it has: "
            f"{', '.join(sorted(self.labeller))}). Pass --labeller, e.g. --labeller spacy:MODEL."
        )

    @property
    def target_labeller_spec(self) -> str | None:
        """The profile's NER model of the target language, if it has one."""
        for lang in (self.target_lang, self.target_lang[:2]):
            if lang in self.target_labeller:
                return self.target_labeller[lang]
        return None

    def stage_options(self, stage: str) -> dict[str, Any]:
        return dict(self.options.get(stage, {}))

    def with_overrides(self, **overrides: Any) -> PipelineConfig:
        """A copy with the given fields replaced; ``None`` values keep the current setting."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["labels"] = None if self.labels is None else list(self.labels)
        data["labeller"] = self.labeller if isinstance(self.labeller, str) else dict(self.labeller)
        data["options"] = {stage: dict(values) for stage, values in self.options.items()}
        data["target_labeller"] = dict(self.target_labeller)
        return data


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.yaml"))


def load_profile(name_or_path: str) -> dict[str, Any]:
    """The settings of a named profile or of a YAML file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILE_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ProjectionError(
            f"Profile {name_or_path!r} not found. Named profiles: {', '.join(available_profiles())}; "
            "or give the path of a YAML file."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ProjectionError(f"Profile {path} is not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise ProjectionError(f"Profile {path} must be a YAML mapping of stage names to specs.")
    known = {*STAGES, "labels", "propagate", "options", "description", "target_labeller"}
    unknown = set(data) - known
    if unknown:
        raise ProjectionError(f"Profile {path} has unknown keys {sorted(unknown)}; known keys: {sorted(known)}.")
    return data


def options_for(profile: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The profile's stage options that still apply once ``overrides`` replace some of its stages.

    Options belong to the implementation the profile names: a stage replaced
    by another implementation (``--aligner simalign`` over a profile's
    eflomal) drops them, while the same implementation with a new argument
    (``--aligner eflomal:union``) keeps them.
    """
    options = {stage: dict(values) for stage, values in (profile.get("options") or {}).items()}
    for stage in STAGES:
        chosen, planned = overrides.get(stage), profile.get(stage)
        if not isinstance(chosen, str) or planned is None:
            continue
        planned_specs = planned.values() if isinstance(planned, Mapping) else [planned]
        if split_spec(chosen)[0] not in {split_spec(str(spec))[0] for spec in planned_specs}:
            options.pop(stage, None)
    return options


def build_config(
    *,
    direction: Direction,
    source_lang: str,
    target_lang: str,
    profile: str | None = None,
    **overrides: Any,
) -> PipelineConfig:
    """A config from a profile (if any) with explicit settings on top; ``None`` means "not given"."""
    settings: dict[str, Any] = {}
    if profile:
        settings = load_profile(profile)
        settings.pop("description", None)
        settings["profile"] = profile
    given = {key: value for key, value in overrides.items() if value is not None}
    settings["options"] = options_for(settings, given)
    settings.update(given)
    if settings.get("labels") is not None:
        settings["labels"] = tuple(settings["labels"])
    return PipelineConfig(direction=direction, source_lang=source_lang, target_lang=target_lang, **settings)


def command_config(
    *,
    direction: Direction,
    source_lang: str,
    target_lang: str,
    profile: str | None = None,
    bitext: bool = False,
    translator: str | None = None,
    **overrides: Any,
) -> PipelineConfig:
    """The config of a run started by a user (a command or the app): one rule for every entry point.

    Without a named profile the :data:`DEFAULT_PROFILE` fills the stages that
    are not given, so a run never falls back to stages that silently project
    nothing. A bitext brings its own target side, so its translator is
    ``parallel``; naming a machine translator for a bitext is refused rather
    than ignored.
    """
    if bitext and translator not in (None, "parallel"):
        raise ProjectionError(
            f"The input is a bitext, whose target side is used as it is, so the translator {translator!r} would not "
            "be used. Leave out the translator, or give only the source side to have it translated."
        )
    return build_config(
        direction=direction,
        source_lang=source_lang,
        target_lang=target_lang,
        profile=profile or DEFAULT_PROFILE,
        translator="parallel" if bitext else translator,
        **overrides,
    )
