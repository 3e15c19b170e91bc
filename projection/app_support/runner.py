"""Projecting a user's data inside the app: one pipeline run per chosen method, sharing cached stages.

Translation, labelling and alignment do not depend on the projector, so after
the first method they come from the content-addressed cache and each further
method costs only its projection step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from projection.cache import Cache
from projection.data import ProjectionRecord, Sentence
from projection.errors import ProjectionError
from projection.projectors import projectors

Direction = Literal["translate-test", "translate-train"]
Progress = Callable[[float, str], None]
"""Called as ``progress(fraction_done, message)``."""


@dataclass(frozen=True)
class RunRequest:
    """What to run: direction, languages, a profile and the projectors to compare.

    ``translator`` and ``labeller`` override the profile's when given; the
    command line's rules apply (:func:`projection.pipeline.config.command_config`).
    """

    direction: Direction
    source_lang: str
    target_lang: str
    methods: tuple[str, ...]
    profile: str | None = None
    translator: str | None = None
    labeller: str | None = None


def available_methods() -> list[str]:
    return projectors.names


def run_methods(
    request: RunRequest,
    sentences: Sequence[Sentence],
    targets: Sequence[Sentence] | None = None,
    *,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> dict[str, list[ProjectionRecord]]:
    """Records per method. ``sentences`` are the gold target sentences (translate-test) or the
    labelled source sentences (translate-train, with their bitext side as ``targets`` if there is one)."""
    # imported here: the pipeline loads spaCy, which the app's other pages never need
    from projection.pipeline import command_config, translate_test, translate_train

    if not request.methods:
        raise ProjectionError("Choose at least one projection method to run.")
    results: dict[str, list[ProjectionRecord]] = {}
    n_methods = len(request.methods)
    reached = 0.0
    for position, method in enumerate(request.methods):
        config = command_config(
            direction=request.direction,
            source_lang=request.source_lang,
            target_lang=request.target_lang,
            profile=request.profile,
            bitext=targets is not None,
            projector=method,
            translator=None if targets is not None else request.translator,
            labeller=request.labeller,
        )

        def report(step: str, done: int, total: int, position: int = position, method: str = method) -> None:
            # steps may report from worker threads and out of order: the bar only ever moves forward
            nonlocal reached
            reached = max(reached, (position + (done / total if total else 1.0)) / n_methods)
            if progress:
                progress(reached, f"{method}: {step} {done}/{total}")

        if request.direction == "translate-test":
            result = translate_test(sentences, config, cache=cache, progress=report)
        else:
            result = translate_train(sentences, config, targets, cache=cache, progress=report)
        results[method] = result.records
    if progress:
        progress(1.0, "done")
    return results
