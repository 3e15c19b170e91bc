"""The local engine: every step in this process, one window after another."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from projection.cache import Cache
from projection.engines import RunPlan
from projection.engines.sources import RowSource, Window, iter_windows
from projection.memory import release_memory
from projection.pipeline.run import ProgressCallback, run_steps
from projection.pipeline.steps import Step


class LocalEngine:
    """Streams the input once; memory holds one window and the models."""

    name = "local"

    def run(
        self, source: RowSource, steps: Sequence[Step], plan: RunPlan, progress: ProgressCallback | None = None
    ) -> Iterator[Window]:
        cache = Cache(plan.cache_root)
        for window in iter_windows(source, plan.window, plan.on_error):
            done = replace(window, batch=run_window(window, steps, cache, plan.chunk_size, progress))
            del window
            yield done
            del done  # hold no window while the next one is read and run
            release_memory()


def run_window(
    window: Window, steps: Sequence[Step], cache: Cache, chunk_size: int, progress: ProgressCallback | None = None
) -> dict[str, list]:
    """The window's batch with the steps' outputs; a window with no good rows runs no step."""
    if not len(window) or not steps:
        return window.batch
    batch, _ = run_steps(window.batch, steps, cache=cache, chunk_size=chunk_size, progress=progress)
    return batch
