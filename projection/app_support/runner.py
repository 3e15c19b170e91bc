"""Projecting a user's data inside the app: one pipeline run per chosen method, sharing cached stages.

Translation, labelling and alignment do not depend on the projector, so after
the first method they come from the content-addressed cache and each further
method costs only its projection step. The run is set up as the command line
sets it up (:mod:`projection.pipeline.setup`): the same direction, the same
rule for a bitext's translator, the same profile by default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from projection.app_support.data_roots import confine
from projection.app_support.preflight import MissingModel, describe_missing, missing_models
from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.data import ProjectionRecord, Sentence
from projection.errors import ProjectionError
from projection.pipeline.config import DEFAULT_PROFILE, Direction, PipelineConfig
from projection.projectors import projectors
from projection.registry import split_spec

if TYPE_CHECKING:
    from projection.pipeline.setup import RunInput

Progress = Callable[[float, str], None]
"""Called as ``progress(fraction_done, message)``."""


@dataclass(frozen=True)
class RunRequest:
    """What to run: direction, languages, a profile and the projectors to compare.

    ``translator``, ``labeller`` and ``aligner`` override the profile's when
    given (a local copy of a model the profile names, say); ``priors`` is a
    bitext to learn eflomal's priors from (a path inside the data folders),
    for small inputs.
    """

    direction: Direction
    source_lang: str
    target_lang: str
    methods: tuple[str, ...]
    profile: str | None = None
    translator: str | None = None
    labeller: str | None = None
    aligner: str | None = None
    priors: str | None = None


class MissingModels(ProjectionError):
    """A run refused before it started: models its profile names are not on this machine."""

    def __init__(self, missing: list[MissingModel], profile: str) -> None:
        super().__init__(describe_missing(missing, profile))
        self.missing = missing


def available_methods() -> list[str]:
    return projectors.names


def with_request_priors(config: PipelineConfig, priors: str | None, cache: Cache | None) -> PipelineConfig:
    """``config`` aligning with eflomal priors learnt from the bitext ``priors`` (unchanged without).

    The path is read only inside the data folders; priors of another
    language pair are refused by the aligner when it reads them.
    """
    if not priors:
        return config
    path = confine(priors)
    if not path.exists():
        raise ProjectionError(f"The priors bitext {priors} does not exist on this machine. Check the path.")
    aligner = split_spec(config.aligner or "")[0]
    if aligner != "eflomal":
        raise ProjectionError(
            f"Priors are eflomal's statistics, but this profile aligns with {config.aligner or 'no aligner'}. "
            "Choose a profile that aligns with eflomal, or no priors."
        )
    # imported here: the command line's package loads the evaluation suite, which the app's pages never need
    from projection.cli.options import with_priors

    root = cache.root if cache is not None and cache.root is not None else DEFAULT_CACHE_DIR
    return with_priors(config, path, root)


def run_configs(request: RunRequest, run: RunInput, cache: Cache | None = None) -> dict[str, PipelineConfig]:
    """The pipeline config of each requested method, set up as the command line sets it up."""
    from projection.pipeline.setup import run_config

    if not request.methods:
        raise ProjectionError("Choose at least one projection method to run.")
    stages = {"translator": request.translator, "labeller": request.labeller, "aligner": request.aligner}
    return {
        method: with_request_priors(
            run_config(run, profile=request.profile, projector=method, **stages), request.priors, cache
        )
        for method in request.methods
    }


def run_methods(
    request: RunRequest,
    sentences: Sequence[Sentence],
    targets: Sequence[Sentence] | None = None,
    *,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> dict[str, list[ProjectionRecord]]:
    """Records per method. ``sentences`` are the gold target sentences (translate-test) or the
    labelled source sentences (translate-train, with their bitext side as ``targets`` if there is one).

    Nothing starts when a model the run needs is missing: a
    :class:`MissingModels` error names them all at once.
    """
    # imported here: the pipeline loads spaCy, which the app's other pages never need
    from projection.pipeline.setup import RunInput, run_pipeline

    run = RunInput(request.direction, request.source_lang, request.target_lang, sentences, targets)
    configs = run_configs(request, run, cache)
    missing = missing_models(next(iter(configs.values())))
    if missing:
        raise MissingModels(missing, request.profile or DEFAULT_PROFILE)
    results: dict[str, list[ProjectionRecord]] = {}
    n_methods = len(configs)
    reached = 0.0
    for position, (method, config) in enumerate(configs.items()):

        def report(step: str, done: int, total: int, position: int = position, method: str = method) -> None:
            # steps may report from worker threads and out of order: the bar only ever moves forward
            nonlocal reached
            reached = max(reached, (position + (done / total if total else 1.0)) / n_methods)
            if progress:
                progress(reached, f"{method}: {step} {done}/{total}")

        results[method] = run_pipeline(run, config, cache=cache, progress=report).records
    if progress:
        progress(1.0, "done")
    return results
