"""Time per stage and in total for translate-test on CoNLL-2002 Spanish (esp.testa), cold and cached.

Runs the offline profile (Apertium spa-eng, spaCy English NER, eflomal,
heuristic projector) twice in one empty cache directory: the first run
computes every stage, the second must be served from the cache. Each run is
the real command line in a fresh process, so start-up and imports count.
Prints JSON.

    .venv/bin/python bench/bench_pipeline.py [--data ../shared/data/conll2002/esp.testa]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "conll2002" / "esp.testa"


def run_once(data: Path, cache_dir: Path, json_out: Path) -> dict:
    command = [
        sys.executable, "-m", "projection", "evaluate",
        "--data", str(data), "--lang", "es", "--profile", "offline",
        "--labels", "PER,ORG,LOC", "--cache-dir", str(cache_dir), "--json", str(json_out),
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    result = json.loads(json_out.read_text(encoding="utf-8"))
    return {
        "wall_seconds": round(wall, 2),
        "pipeline_seconds": result["seconds"],
        "steps": result.get("steps", {}),
        "f1": round(result["overall"]["f1"], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir, json_out = Path(tmp) / "cache", Path(tmp) / "metrics.json"
        cold = run_once(args.data, cache_dir, json_out)
        warm = run_once(args.data, cache_dir, json_out)
    print(json.dumps({"data": str(args.data), "cold": cold, "cached": warm}, indent=2))


if __name__ == "__main__":
    main()
