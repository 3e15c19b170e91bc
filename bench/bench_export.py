"""Export throughput and memory on the MAFAND en-swa train bitext, and eflomal's window trade-off.

``throughput`` (the default) runs the real command line in a fresh process,
with the offline profile (spaCy English NER + eflomal + heuristic; the
bitext's own target side as the translation), no cache, CoNLL output, on
the first N pairs for each size and each engine (a size beyond the bitext's
30,782 pairs repeats it: 92,346 is the bitext three times). It reports wall time,
sentences per second (start-up and model loading included) and peak memory
sampled every 0.2 s from /proc: the exporting process's RSS, and the PSS
(proportional set size: shared pages such as Ray's object store counted
once) summed over it and every process it started (Ray's raylet and
workers). Linux only.

``trace`` runs the local export of the whole bitext in this process and
records its RSS each time a window has been written, to show that memory
levels off after the first windows instead of growing with the corpus.

``windows`` aligns the whole bitext with eflomal once as one corpus (twice,
for eflomal's own run-to-run variation) and then window by window, and
reports the time and the link agreement (F1) of each windowing with the
whole-corpus alignment: what aligning in bounded memory costs. With
``--priors`` the windows are aligned a second time with eflomal priors
learnt from the whole bitext first (the time to learn them is reported on
its own), and each windowing's time is given as a ratio to the same windows
without priors, from the same run.

    .venv/bin/python bench/bench_export.py throughput [--sizes 10000,30782,92346] [--engines local,ray] [--window 10000]
    .venv/bin/python bench/bench_export.py trace [--window 5000]
    .venv/bin/python bench/bench_export.py windows [--windows 10000,5000,2000] [--priors]

The machine is shared with other work: repeat a run before trusting a small difference.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAFAND = REPO.parent / "shared" / "data" / "mafand" / "en-swa"
SAMPLE_SECONDS = 0.2


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def memory_kb(pid: int, field: str) -> int:
    """A ``field`` (``Rss``, ``Pss``) of /proc/PID/smaps_rollup in kB; 0 if the process is gone."""
    try:
        for line in (Path("/proc") / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory(threading.Thread):
    """Samples a process tree until stopped; keeps the peak RSS of the root and the peak summed PSS of the tree."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.root_rss = 0
        self.tree_pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.root_rss = max(self.root_rss, memory_kb(self.pid, "Rss"))
            self.tree_pss = max(self.tree_pss, sum(memory_kb(pid, "Pss") for pid in descendants(self.pid)))


def head(source: Path, target: Path, n: int) -> None:
    """The first ``n`` lines of ``source``; past its end it starts again, so a size can exceed the bitext's."""
    with source.open("rb") as lines:
        text = lines.read().splitlines(keepends=True)
    with target.open("wb") as out:
        out.writelines(itertools.islice(itertools.cycle(text), n))


def export_once(folder: Path, size: int, engine: str, window: int) -> dict:
    src, tgt = folder / f"train{size}.en", folder / f"train{size}.swa"
    head(MAFAND / "train.en", src, size)
    head(MAFAND / "train.swa", tgt, size)
    out = folder / f"silver-{engine}-{size}.conll"
    command = [
        sys.executable, "-m", "projection", "export", "--src", str(src), "--tgt", str(tgt),
        "--src-lang", "en", "--tgt-lang", "sw", "--profile", "offline", "--out", str(out),
        "--no-cache", "--on-error", "skip", "--engine", engine, "--window", str(window),
    ]  # fmt: skip
    env = {**os.environ, "COLUMNS": "200"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakMemory(process.pid)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"export failed ({process.returncode}):\n{stderr[-3000:]}")
    written = out.read_text(encoding="utf-8").count("\n\n")
    summary = [line for line in stderr.splitlines() if "sentences written" in line or "skipped" in line]
    return {
        "engine": engine,
        "pairs": size,
        "window": window,
        "sentences_written": written,
        "wall_seconds": round(wall, 1),
        "sentences_per_second": round(size / wall, 1),
        "peak_rss_mb_exporting_process": round(sampler.root_rss / 1024),
        "peak_pss_mb_all_processes": round(sampler.tree_pss / 1024),
        "summary": summary,
    }


def throughput(sizes: list[int], engines: list[str], window: int) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        for engine, size in itertools.product(engines, sizes):
            results.append(export_once(Path(tmp), size, engine, window))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    return results


def trace(window: int) -> list[dict]:
    sys.path.insert(0, str(REPO))
    from projection.engines.sources import BitextSource
    from projection.export import export
    from projection.pipeline.config import build_config

    config = build_config(
        direction="translate-train", source_lang="en", target_lang="sw", profile="offline", translator="parallel"
    )
    source = BitextSource(MAFAND / "train.en", MAFAND / "train.swa")
    points: list[dict] = []
    started = time.perf_counter()

    def progress(what: str, done: int, total: int) -> None:
        if what == "sentences":
            seconds = round(time.perf_counter() - started, 1)
            points.append({"sentences": done, "seconds": seconds, "rss_mb": memory_kb(os.getpid(), "Rss") // 1024})
            print(json.dumps(points[-1]), file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        export(source, Path(tmp) / "silver.conll", config=config, window=window, on_error="skip", progress=progress)
    return points


def link_f1(reference: list, other: list) -> float:
    common = sum(len(set(a.links) & set(b.links)) for a, b in zip(reference, other, strict=True))
    total = sum(len(a.links) for a in reference) + sum(len(b.links) for b in other)
    return 2 * common / total


def windows(sizes: list[int], priors: bool = False) -> dict:
    sys.path.insert(0, str(REPO))
    from projection.aligners.eflomal_aligner import EflomalAligner
    from projection.aligners.priors import PriorsBitext
    from projection.splitting import split_words

    src_lines = (MAFAND / "train.en").read_text(encoding="utf-8").splitlines()
    tgt_lines = (MAFAND / "train.swa").read_text(encoding="utf-8").splitlines()
    kept = [k for k, (s, t) in enumerate(zip(src_lines, tgt_lines, strict=True)) if s.strip() and t.strip()]
    src = split_words([src_lines[k].strip() for k in kept], "en")
    tgt = split_words([tgt_lines[k].strip() for k in kept], "sw")
    aligner = EflomalAligner()

    def aligned(window: int, aligner: EflomalAligner = aligner) -> tuple[list, float]:
        started = time.perf_counter()
        links = []
        for start in range(0, len(src), window):
            links += aligner.align(src[start : start + window], tgt[start : start + window])
        return links, time.perf_counter() - started

    whole, seconds = aligned(len(src))
    again, seconds_again = aligned(len(src))
    out = {
        "pairs": len(src),
        "whole_corpus": {"seconds": round(seconds, 1), "seconds_second_run": round(seconds_again, 1)},
        "second_whole_run_f1_vs_first": round(link_f1(whole, again), 3),
        "windows": {},
    }
    plain_seconds = {}
    for window in sizes:
        links, seconds = aligned(window)
        plain_seconds[window] = seconds
        out["windows"][window] = {"seconds": round(seconds, 1), "f1_vs_whole": round(link_f1(whole, links), 3)}
        print(json.dumps(out), file=sys.stderr, flush=True)
    if not priors:
        return out
    with tempfile.TemporaryDirectory(prefix="bench-export-priors-") as tmp:
        helped = EflomalAligner(priors=PriorsBitext(MAFAND, "en", "sw", splits=("train",)), priors_cache=tmp)
        started = time.perf_counter()
        helped.priors_file()
        out["priors"] = {
            "bitext": helped.priors.description,
            "seconds_to_learn": round(time.perf_counter() - started, 1),
        }
        out["windows_with_priors"] = {}
        for window in sizes:
            links, seconds = aligned(window, helped)
            out["windows_with_priors"][window] = {
                "seconds": round(seconds, 1),
                "f1_vs_whole": round(link_f1(whole, links), 3),
                "time_ratio_vs_windows_without_priors": round(seconds / plain_seconds[window], 2),
            }
            print(json.dumps(out), file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=("throughput", "trace", "windows"), default="throughput")
    parser.add_argument("--sizes", default="10000,30782", help="throughput: numbers of pairs")
    parser.add_argument("--engines", default="local,ray", help="throughput: engines")
    parser.add_argument("--window", type=int, default=10_000, help="throughput, trace: pairs per window")
    parser.add_argument("--windows", default="10000,5000,2000", help="windows: window sizes")
    parser.add_argument("--priors", action="store_true", help="windows: also align the windows with eflomal priors")
    args = parser.parse_args()
    if args.mode == "windows":
        result: object = windows([int(n) for n in args.windows.split(",")], priors=args.priors)
    elif args.mode == "trace":
        result = trace(args.window)
    else:
        result = throughput([int(n) for n in args.sizes.split(",")], args.engines.split(","), args.window)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
