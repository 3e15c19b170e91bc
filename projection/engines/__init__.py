"""Engines: run the pipeline's batch steps over an input, window by window.

Every engine takes the same :class:`~projection.engines.sources.RowSource`
and the same :class:`~projection.pipeline.steps.Step` list and yields the
same windows in input order, each with its steps' output columns: ``local``
runs them in this process, ``ray`` with Ray Data on a local or remote
cluster. Within a window, per-sentence steps run in chunks of
``chunk_size`` rows and corpus-level steps (eflomal) on the whole window;
every chunk is cached, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from projection.engines.sources import OnError, RowSource, Window
from projection.pipeline.run import ProgressCallback
from projection.pipeline.steps import Step
from projection.registry import Registry


@dataclass(frozen=True)
class RunPlan:
    """How an input is cut and cached: ``windows`` of ``window`` good rows, chunks of ``chunk_size``."""

    window: int
    windows: int
    chunk_size: int
    on_error: OnError
    cache_root: Path | None


class Engine(Protocol):
    name: str

    def run(
        self, source: RowSource, steps: Sequence[Step], plan: RunPlan, progress: ProgressCallback | None = None
    ) -> Iterator[Window]:
        """Windows of ``source`` in input order, with the output columns of ``steps`` added."""
        ...


engines = Registry("engine")
engines.register("local", "projection.engines.local:LocalEngine")
engines.register("ray", "projection.engines.ray_engine:RayEngine")
