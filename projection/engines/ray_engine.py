"""The Ray engine: the same batch steps run with Ray Data, on this machine or on a cluster.

The unit of work is a window (see :mod:`projection.engines.sources`): the
dataset starts with one row per window index, and one ``map_batches`` per
group of consecutive steps with the same resources runs them with a callable
class; the first group's actors read their windows from the input
themselves (on a cluster the input files must be readable there, e.g. on a
shared file system). Each actor unpickles its steps, and the models
inside them, once and keeps them for every window it is given. Steps named
in ``gpu_steps`` form their own groups with ``num_gpus`` per actor; the rest
share CPU actors. Windows travel as pickled batches, since their nested span
and alignment columns have no stable Arrow type, and come back in input order.

A window runs through :func:`projection.engines.local.run_window`, exactly as
in the local engine, with the same chunk-level cache (on a cluster, point
``cache_root`` at shared storage to resume there too); deterministic steps
therefore give the local engine's output, sentence for sentence.
"""

from __future__ import annotations

import math
import os
import pickle
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from projection.cache import Cache
from projection.engines import RunPlan
from projection.engines.local import run_window
from projection.engines.sources import OnError, RowSource, Window, read_window
from projection.errors import ProjectionError
from projection.memory import release_memory
from projection.pipeline.run import ProgressCallback
from projection.pipeline.steps import Step

ADDRESS_ENV = "RAY_ADDRESS"


@dataclass
class StepGroup:
    """Consecutive steps that run in the same actors."""

    steps: list[Step]
    gpu: bool

    @property
    def names(self) -> list[str]:
        return [step.name for step in self.steps]


def group_steps(steps: Sequence[Step], gpu_steps: Collection[str]) -> list[StepGroup]:
    """Split ``steps`` where they change between CPU and GPU."""
    groups: list[StepGroup] = []
    for step in steps:
        gpu = step.name in gpu_steps
        if groups and groups[-1].gpu == gpu:
            groups[-1].steps.append(step)
        else:
            groups.append(StepGroup([step], gpu))
    return groups


def _blobs(windows: Sequence[Window | Failure]) -> np.ndarray:
    out = np.empty(len(windows), dtype=object)
    out[:] = [pickle.dumps(window, protocol=pickle.HIGHEST_PROTOCOL) for window in windows]
    return out


class StepGroupActor:
    """A Ray Data callable class: loads its steps (and their models) once, then runs window after window.

    The first group's actors also read their windows from the input (``source``), so reading needs no
    CPUs of its own and cannot starve while the actors hold them all.
    """

    def __init__(
        self,
        steps_blob: bytes,
        cache_root: str | None,
        chunk_size: int,
        source: RowSource | None = None,
        size: int = 0,
        on_error: OnError = "fail",
    ) -> None:
        self.steps: list[Step] = pickle.loads(steps_blob)
        self.cache = Cache(cache_root)
        self.chunk_size = chunk_size
        self.source = source
        self.size = size
        self.on_error = on_error

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        if self.source is not None:
            incoming = [self._read(int(index)) for index in batch["window"]]
        else:
            incoming = [pickle.loads(blob) for blob in batch["payload"]]
        payload = _blobs([self._run(item) for item in incoming])
        del incoming
        release_memory()  # an actor runs window after window: keep its heap from growing with each
        return {"window": batch["window"], "payload": payload}

    def _read(self, index: int) -> Window | Failure:
        assert self.source is not None
        try:
            return read_window(self.source, index, self.size, self.on_error)
        except ProjectionError as err:
            return Failure(str(err))

    def _run(self, item: Window | Failure) -> Window | Failure:
        if isinstance(item, Failure):
            return item
        try:
            return replace(item, batch=run_window(item, self.steps, self.cache, self.chunk_size))
        except ProjectionError as err:
            return Failure(str(err))


@dataclass(frozen=True)
class Failure:
    """A user mistake met in a worker, carried to the driver as data: Ray would keep only its traceback text."""

    message: str


class RayEngine:
    """Runs the steps with Ray Data on the cluster at ``address`` (or ``$RAY_ADDRESS``), else on a local Ray.

    ``num_cpus`` sizes a local Ray started here; ``actors`` is the number of
    actors per CPU group (default: the cluster's CPUs shared among the groups); ``gpu_steps`` names the
    steps that need a GPU, run by ``gpu_actors`` actors of ``gpus_per_actor``
    GPUs each (default: as many as the GPUs allow).
    """

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        *,
        num_cpus: int | None = None,
        actors: int | None = None,
        cpus_per_actor: float = 1.0,
        gpu_steps: Collection[str] = (),
        gpus_per_actor: float = 1.0,
        gpu_actors: int | None = None,
    ) -> None:
        self.address = address or os.environ.get(ADDRESS_ENV) or None
        self.num_cpus = num_cpus
        self.actors = actors
        self.cpus_per_actor = cpus_per_actor
        self.gpu_steps = frozenset(gpu_steps)
        self.gpus_per_actor = gpus_per_actor
        self.gpu_actors = gpu_actors

    def _connect(self) -> Any:
        try:
            import ray
        except ImportError:
            raise ProjectionError("The Ray engine needs Ray: `pip install 'ray[data]'`.") from None
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "logging_level": "WARNING"}
            if self.address:
                # Ship this package to the cluster's workers; its dependencies and models must be there already.
                package = Path(__file__).resolve().parents[1]
                options |= {"address": self.address, "runtime_env": {"py_modules": [str(package)]}}
            else:
                options["num_cpus"] = self.num_cpus
            try:
                ray.init(**options)
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise ProjectionError(
                    f"Could not start or reach Ray{f' at {self.address}' if self.address else ''}: {err}. Check the "
                    f"address (--ray-address or ${ADDRESS_ENV}, e.g. ray://head-node:10001 or auto) and that the "
                    "cluster runs the same Ray and Python versions."
                ) from None
        return ray

    def run(
        self, source: RowSource, steps: Sequence[Step], plan: RunPlan, progress: ProgressCallback | None = None
    ) -> Iterator[Window]:
        """Windows in input order; ``progress`` is not called (the steps run in other processes)."""
        ray = self._connect()
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        resources = ray.cluster_resources()
        dataset = ray.data.from_items([{"window": k} for k in range(plan.windows)], override_num_blocks=plan.windows)
        cache_root = None if plan.cache_root is None else str(plan.cache_root)
        groups = group_steps(steps, self.gpu_steps) or [StepGroup([], gpu=False)]
        cpu_groups = sum(not group.gpu for group in groups)
        for position, group in enumerate(groups):
            reader = (source, plan.window, plan.on_error) if position == 0 else ()
            dataset = dataset.map_batches(
                StepGroupActor,
                fn_constructor_args=(pickle_steps(group.steps), cache_root, plan.chunk_size, *reader),
                batch_size=1,
                **self._resources(group, resources, cpu_groups),
            )
        for row in dataset.iter_rows():
            window = pickle.loads(row["payload"])
            del row
            if isinstance(window, Failure):
                raise ProjectionError(window.message)
            yield window
            del window  # hold no window while Ray hands over the next one

    def _resources(self, group: StepGroup, cluster: dict[str, float], cpu_groups: int) -> dict[str, Any]:
        """Actors and their resources; the CPU groups share the cluster's CPUs, so none waits for another's.

        Each actor gets one window at a time, so the windows in flight, and the memory, are bounded by the
        number of actors, not by the size of the corpus.
        """
        from ray.data import ActorPoolStrategy

        if not group.gpu:
            actors = self.actors or max(1, math.floor(cluster.get("CPU", 1) / self.cpus_per_actor / cpu_groups))
            pool = ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=1)
            return {"compute": pool, "num_cpus": self.cpus_per_actor}
        gpus = cluster.get("GPU", 0)
        if gpus < self.gpus_per_actor:
            raise ProjectionError(
                f"The steps {', '.join(group.names)} are to run on GPUs, but the Ray cluster has {gpus:g} GPU(s). "
                "Run them on CPUs (leave out --gpu-step) or connect to a cluster with GPUs (--ray-address)."
            )
        actors = self.gpu_actors or max(1, math.floor(gpus / self.gpus_per_actor))
        pool = ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=1)
        return {"compute": pool, "num_gpus": self.gpus_per_actor, "num_cpus": 1}


def pickle_steps(steps: Sequence[Step]) -> bytes:
    """Steps with their stage objects (models included), pickled by value where plain pickle cannot."""
    import cloudpickle

    return cloudpickle.dumps(list(steps), protocol=pickle.HIGHEST_PROTOCOL)
