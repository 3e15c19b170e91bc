"""What eflomal priors do for small inputs: link agreement on MAFAND en-swa, projection F1 on CoNLL-2002 Spanish.

``alignment``: slices of MAFAND en-swa dev (the first 150 and 1,000 pairs
with both sides non-empty, split into words as the pipeline splits them)
aligned on their own, without and with priors learnt from MAFAND en-swa
train. Each is scored by link F1 against the *whole-corpus* alignment: the
slice aligned together with the whole of train + dev as one corpus (one
eflomal run; the slice's rows of it). Scores are given for the intersection
and for grow-diag-final-and (the default), both from the same runs. A second
whole-corpus run shows eflomal's own run-to-run agreement (it has no seed).

``translate-test``: the offline profile (Apertium es->en, spaCy English NER,
eflomal grow-diag-final-and, heuristic projector, propagation 2) on the first
150 and 500 sentences of esp.testa, without and with priors learnt from the
whole file (its English translations and Spanish tokens, from a run over the
whole file). Reports projection F1 (PER, ORG, LOC) of each, the same
sentences' F1 inside the whole-file run, and the slices' link F1 against
the whole-file alignment.

    .venv/bin/python bench/bench_priors.py alignment [--sizes 150,1000]
    .venv/bin/python bench/bench_priors.py translate-test [--sizes 150,500]

Prints JSON. Priors are learnt into a temporary folder, so their learning
time is measured; eflomal has no seed, so repeat a run before trusting a
difference of a point or two.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projection.aligners.eflomal_aligner import EflomalAligner  # noqa: E402
from projection.aligners.priors import PriorsBitext  # noqa: E402
from projection.aligners.symmetrisation import symmetrise  # noqa: E402
from projection.cache import DEFAULT_CACHE_DIR, Cache  # noqa: E402
from projection.data import ProjectionRecord  # noqa: E402
from projection.evaluation import evaluate  # noqa: E402
from projection.pipeline.config import PipelineConfig, build_config  # noqa: E402
from projection.pipeline.run import translate_test  # noqa: E402
from projection.readers.conll import read_conll  # noqa: E402
from projection.splitting import split_words  # noqa: E402

DATA = REPO.parent / "shared" / "data"
MAFAND = DATA / "mafand" / "en-swa"
ESP_TESTA = DATA / "conll2002" / "esp.testa"
VIEWS = ("intersection", "grow-diag-final-and")
LABELS = ("PER", "ORG", "LOC")

Links = list[list[tuple[int, int]]]


def link_f1(reference: Links, other: Links) -> float:
    common = sum(len(set(a) & set(b)) for a, b in zip(reference, other, strict=True))
    total = sum(map(len, reference)) + sum(map(len, other))
    return round(2 * common / total, 3) if total else 1.0


def symmetrised(forward: Links, reverse: Links) -> dict[str, Links]:
    return {view: [symmetrise(f, r, view) for f, r in zip(forward, reverse, strict=True)] for view in VIEWS}


def read_split(name: str) -> tuple[list[list[str]], list[list[str]]]:
    english = (MAFAND / f"{name}.en").read_text(encoding="utf-8").splitlines()
    swahili = (MAFAND / f"{name}.swa").read_text(encoding="utf-8").splitlines()
    kept = [(e.strip(), s.strip()) for e, s in zip(english, swahili, strict=True) if e.strip() and s.strip()]
    return split_words([e for e, _ in kept], "en"), split_words([s for _, s in kept], "sw")


def alignment(sizes: list[int]) -> dict:
    train_src, train_tgt = read_split("train")
    dev_src, dev_tgt = read_split("dev")
    plain = EflomalAligner()
    whole_runs = []
    for _ in range(2):
        started = time.perf_counter()
        forward, reverse = plain.align_directions(train_src + dev_src, train_tgt + dev_tgt)
        whole_runs.append(
            (symmetrised(forward[len(train_src) :], reverse[len(train_src) :]), time.perf_counter() - started)
        )
    whole = whole_runs[0][0]
    out: dict = {
        "whole_corpus": {
            "pairs": len(train_src) + len(dev_src),
            "seconds": round(whole_runs[0][1], 1),
            "second_run_f1_vs_first_on_dev": {view: link_f1(whole[view], whole_runs[1][0][view]) for view in VIEWS},
        },
        "slices": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-priors-") as tmp:
        helped = EflomalAligner(priors=PriorsBitext(MAFAND, "en", "sw", splits=("train",)), priors_cache=tmp)
        started = time.perf_counter()
        helped.priors_file()
        out["priors"] = {
            "bitext": helped.priors.description,
            "seconds_to_learn": round(time.perf_counter() - started, 1),
        }
        for size in sizes:
            row = {}
            for name, aligner in (("without_priors", plain), ("with_priors", helped)):
                started = time.perf_counter()
                views = symmetrised(*aligner.align_directions(dev_src[:size], dev_tgt[:size]))
                row[name] = {
                    "seconds": round(time.perf_counter() - started, 1),
                    "f1_vs_whole": {view: link_f1(whole[view][:size], views[view]) for view in VIEWS},
                }
            row["gain"] = {
                view: round(row["with_priors"]["f1_vs_whole"][view] - row["without_priors"]["f1_vs_whole"][view], 3)
                for view in VIEWS
            }
            out["slices"][size] = row
            print(json.dumps({size: row}), file=sys.stderr, flush=True)
    return out


def f1_of(records: list[ProjectionRecord]) -> float:
    gold = [record.gold or [] for record in records]
    lengths = [len(record.target.tokens) for record in records]
    return round(evaluate(gold, [record.projected for record in records], lengths, labels=LABELS).f1, 4)


def with_priors(config: PipelineConfig, pairs: list[tuple[list[str], list[str]]], cache_dir: str) -> PipelineConfig:
    options = {stage: dict(values) for stage, values in config.options.items()}
    options["aligner"] = {**options.get("aligner", {}), "priors": pairs, "priors_cache": cache_dir}
    return replace(config, options=options)


def translate_test_bench(sizes: list[int]) -> dict:
    sentences = read_conll(ESP_TESTA, "es")
    config = build_config(
        direction="translate-test", source_lang="en", target_lang="es", profile="offline", labels=LABELS
    )
    started = time.perf_counter()
    whole = translate_test(sentences, config, cache=Cache(DEFAULT_CACHE_DIR)).records
    out: dict = {
        "sentences": len(sentences),
        "whole_file": {"f1": f1_of(whole), "seconds": round(time.perf_counter() - started, 1)},
        "slices": {},
    }
    pairs = [(record.source.tokens, record.target.tokens) for record in whole]
    with tempfile.TemporaryDirectory(prefix="bench-priors-") as tmp:
        stages = Cache(Path(tmp) / "stages")  # translation and NER shared by both runs; alignments differ by priors
        started = time.perf_counter()
        EflomalAligner(priors=pairs, priors_cache=tmp).priors_file()
        out["priors"] = {"pairs": len(pairs), "seconds_to_learn": round(time.perf_counter() - started, 1)}
        for size in sizes:
            row = {"whole_file_f1_on_these_sentences": f1_of(whole[:size])}
            reference = [record.alignment.links for record in whole[:size]]
            for name, chosen in (("without_priors", config), ("with_priors", with_priors(config, pairs, tmp))):
                result = translate_test(sentences[:size], chosen, cache=stages)
                records = result.records
                row[name] = {
                    "f1": f1_of(records),
                    "link_f1_vs_whole_file": link_f1(reference, [record.alignment.links for record in records]),
                    "align_seconds": round(sum(t.seconds for t in result.timings if t.step == "align"), 1),
                }
            out["slices"][size] = row
            print(json.dumps({size: row}), file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("alignment", "translate-test"))
    parser.add_argument("--sizes", help="slice sizes (default: 150,1000 for alignment, 150,500 for translate-test)")
    args = parser.parse_args()
    if args.mode == "alignment":
        result = alignment([int(n) for n in (args.sizes or "150,1000").split(",")])
    else:
        result = translate_test_bench([int(n) for n in (args.sizes or "150,500").split(",")])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
