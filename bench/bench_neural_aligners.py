"""Words per second of the SimAlign and AWESoME-style aligners, batched versus one pair at a time.

Builds the tests' tiny random BERT (hidden size 32, 4 layers, a word-piece
vocabulary trained on MAFAND text; see tests/tiny_models.py), then aligns
the first N MAFAND en-swa dev pairs (whitespace split) twice per aligner:
in one ``align`` call (sentences encoded ``--batch-size`` per forward pass)
and with one ``align`` call per pair. Words are source plus target words;
model loading is excluded (a warm-up call loads it). Prints JSON.

    .venv/bin/python bench/bench_neural_aligners.py [--pairs 1000] [--batch-size 32] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import tiny_models  # noqa: E402

from projection.aligners.awesome import AwesomeAligner  # noqa: E402
from projection.aligners.neural import EncoderAligner  # noqa: E402
from projection.aligners.simalign_aligner import SimAlignAligner  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
LAYER = 3
"""The tiny BERT has 4 layers; layer 3 plays the part of mBERT's layer 8 of 12."""


def read_pairs(data: Path, n: int) -> list[tuple[list[str], list[str]]]:
    english = (data / "mafand" / "en-swa" / "dev.en").read_text(encoding="utf-8").splitlines()
    swahili = (data / "mafand" / "en-swa" / "dev.swa").read_text(encoding="utf-8").splitlines()
    return [(e.split(), s.split()) for e, s in zip(english, swahili, strict=True)][:n]


def measure(aligner: EncoderAligner, pairs: list[tuple[list[str], list[str]]]) -> dict:
    src, tgt = [p[0] for p in pairs], [p[1] for p in pairs]
    words = sum(len(s) + len(t) for s, t in pairs)
    aligner.align(src[:2], tgt[:2])  # loads the model
    started = time.perf_counter()
    batched = aligner.align(src, tgt)
    batched_seconds = time.perf_counter() - started
    started = time.perf_counter()
    single = [aligner.align([s], [t])[0] for s, t in pairs]
    single_seconds = time.perf_counter() - started
    return {
        "words": words,
        "batched_seconds": round(batched_seconds, 2),
        "one_pair_at_a_time_seconds": round(single_seconds, 2),
        "batched_words_per_second": round(words / batched_seconds),
        "one_pair_at_a_time_words_per_second": round(words / single_seconds),
        "speed_up": round(single_seconds / batched_seconds, 2),
        "same_links": [a.links for a in batched] == [a.links for a in single],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    pairs = read_pairs(args.data, args.pairs)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = str(tiny_models.build_tiny_bert(Path(tmp) / "bert", tiny_models.mafand_lines(args.data)))
        aligners = {
            "simalign_itermax_subword": SimAlignAligner(model_dir, layer=LAYER, batch_size=args.batch_size),
            "awesome": AwesomeAligner(model_dir, layer=LAYER, batch_size=args.batch_size),
        }
        results = {name: measure(aligner, pairs) for name, aligner in aligners.items()}
    print(
        json.dumps(
            {
                "pairs": len(pairs),
                "batch_size": args.batch_size,
                "torch_threads": args.threads,
                "model": "tiny BERT (hidden 32, 4 layers, layer 3)",
                "aligners": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
