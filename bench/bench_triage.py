"""Triage without gold, measured with gold: learns the shipped weights and reports how well spans are ranked.

Data with gold: CoNLL-2002 esp.testa translate-test (offline profile, every
offline method) and the built-in example's two pipelines. Gold is hidden
from the ranker and only scores it. Two conditions: ``offline`` (every
method, including those with a Spanish NER model) and ``low-resource``
(heuristic, ngram-greedy, backtranslation: no target-language model).
Weights learned on esp.testa are scored on the example and the reverse, so
no figure is measured on the data it was fitted to; ``--write`` then learns
on both and writes ``projection/triage/weights.json``.

    .venv/bin/python bench/bench_triage.py ranking [--write]
    .venv/bin/python bench/bench_triage.py speed [--pairs 30782]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from projection.app_support.datasets import load_example
from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.data import ProjectionRecord
from projection.pipeline.compare import run_projectors, runnable_methods
from projection.pipeline.config import command_config
from projection.pipeline.inputs import load_bitext, load_sentences
from projection.triage.evaluation import ranking_quality, roc_auc
from projection.triage.learn import fit_weights, flag_outcomes, span_examples
from projection.triage.model import CrossValidation
from projection.triage.ranking import Triage, triage
from projection.triage.signals import GROUPS
from projection.triage.weights import DEFAULT_WEIGHTS, Weights, save_weights

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ESP = DATA / "conll2002" / "esp.testa"
LABELS = ("PER", "ORG", "LOC")
LOW_RESOURCE = ("heuristic", "ngram-greedy", "backtranslation")
CONDITIONS = {"offline": "target-model", "low-resource": "alignment-only"}
NO_WEIGHTS = Weights([], [], [], [], [], 0.0)


def esp_runs(cache: Cache) -> dict[str, list[ProjectionRecord]]:
    config = command_config(direction="translate-test", source_lang="en", target_lang="es", labels=LABELS)
    methods, _ = runnable_methods(config)
    return run_projectors(load_sentences(ESP, "es"), config, methods, cache=cache).records()


def example_runs() -> dict[str, dict[str, list[ProjectionRecord]]]:
    return {dataset.name: {m: dataset.records("es", m) for m in dataset.methods("es")} for dataset in load_example()}


def committee(runs: dict[str, list[ProjectionRecord]], condition: str) -> dict[str, list[ProjectionRecord]]:
    if condition == "offline":
        return runs
    return {method: records for method, records in runs.items() if method.split(":")[0] in LOW_RESOURCE}


def unweighted(runs: dict[str, list[ProjectionRecord]], cache: Cache) -> Triage:
    """The signals of every span (no combination yet), cross-validated model included."""
    return triage(runs, default="heuristic", model=CrossValidation(), weights=NO_WEIGHTS, cache=cache)


def rescored(result: Triage, runs: dict[str, list[ProjectionRecord]], weights: Weights, cache: Cache) -> Triage:
    return triage(runs, default="heuristic", model=CrossValidation(), weights=weights, cache=cache)


def only_groups(examples: list, groups: Sequence[str]) -> list:
    return [({k: v for k, v in values.items() if k.split(".")[0] in groups}, wrong) for values, wrong in examples]


def feature_aucs(examples: list) -> dict[str, float]:
    """Each feature alone, oriented so that 0.5 is chance and higher is better."""
    found = {}
    for name in sorted({name for values, _ in examples for name in values}):
        pairs = [(values[name], wrong) for values, wrong in examples if name in values]
        auc = roc_auc([v for v, _ in pairs], [w for _, w in pairs])
        if auc is not None:
            found[name] = round(max(auc, 1 - auc), 3)
    return found


def quality_dict(result: Triage, records: list[ProjectionRecord], labels: Sequence[str] | None) -> dict:
    quality = ranking_quality(result, records, labels=labels)
    return {key: (round(value, 4) if isinstance(value, float) else value) for key, value in quality.to_dict().items()}


def ranking(args: argparse.Namespace) -> dict:
    cache = Cache(DEFAULT_CACHE_DIR)
    data = {"esp.testa": esp_runs(cache), **example_runs()}
    labels = {"esp.testa": LABELS, "example-bitext": None, "example-apertium": None}
    sides = {"esp.testa": ["esp.testa"], "example": ["example-bitext", "example-apertium"]}
    report: dict = {"conditions": {}}
    learned_on_all = {}
    for condition, weight_set in CONDITIONS.items():
        runs = {name: committee(found, condition) for name, found in data.items()}
        signals = {name: unweighted(found, cache) for name, found in runs.items()}
        examples = {name: span_examples(signals[name], runs[name]["heuristic"], labels[name]) for name in runs}
        flags = {name: flag_outcomes(signals[name], runs[name]["heuristic"], labels[name]) for name in runs}
        section: dict = {"methods": {name: sorted(found) for name, found in runs.items()}, "directions": {}}
        for train_side, test_side in (("esp.testa", "example"), ("example", "esp.testa")):
            train_examples = [e for name in sides[train_side] for e in examples[name]]
            train_flags = merge_flags(flags[name] for name in sides[train_side])
            weights = fit_weights(train_examples, train_flags, trained_on=train_side)
            direction: dict = {"train_spans": len(train_examples), "scored_on": {}}
            for name in sides[test_side]:
                result = rescored(signals[name], runs[name], weights, cache)
                entry = {"combination": quality_dict(result, runs[name]["heuristic"], labels[name]), "groups": {}}
                for group in GROUPS:
                    alone = fit_weights(only_groups(train_examples, [group]), train_flags, trained_on=train_side)
                    grouped = rescored(signals[name], runs[name], alone, cache)
                    measured = ranking_quality(grouped, runs[name]["heuristic"], labels=labels[name])
                    entry["groups"][group] = {
                        "roc_auc": None if measured.roc_auc is None else round(measured.roc_auc, 4),
                        "top_error_rate": None
                        if measured.top_error_rate is None
                        else round(measured.top_error_rate, 4),
                    }
                entry["features"] = feature_aucs(examples[name])
                direction["scored_on"][name] = entry
            section["directions"][f"learned on {train_side}"] = direction
        all_examples = [e for name in runs for e in examples[name]]
        learned_on_all[weight_set] = fit_weights(
            all_examples, merge_flags(flags.values()), trained_on="esp.testa + example"
        )
        report["conditions"][condition] = section
    if args.write:
        save_weights(
            learned_on_all,
            DEFAULT_WEIGHTS,
            trained_on="CoNLL-2002 esp.testa translate-test (offline profile) and the built-in example's two pipelines",
        )
        report["written"] = str(DEFAULT_WEIGHTS.relative_to(REPO))
    return report


def merge_flags(parts) -> dict[str, list[bool]]:
    merged: dict[str, list[bool]] = {}
    for part in parts:
        for group, outcomes in part.items():
            merged.setdefault(group, []).extend(outcomes)
    return merged


def speed(args: argparse.Namespace) -> dict:
    """Signals without and with the cross-validated model on a MAFAND bitext, against one training run as
    ``train-eval`` makes it (its silver dev split and early stopping)."""
    from projection.training.silver import split_dev
    from projection.training.spacy_trainer import SpacyTrainer

    cache = Cache(DEFAULT_CACHE_DIR)
    pair = DATA / "mafand" / "en-swa"
    sources, targets = load_bitext(pair / "train.en", pair / "train.swa", "en", "swa")
    sources, targets = sources[: args.pairs], targets[: args.pairs]
    config = command_config(direction="translate-train", source_lang="en", target_lang="swa", bitext=True)
    methods, _ = runnable_methods(config)
    started = time.perf_counter()
    runs = run_projectors(sources, config, methods, targets=targets, cache=cache).records()
    projected = time.perf_counter() - started
    weights = NO_WEIGHTS if not DEFAULT_WEIGHTS.exists() else None
    started = time.perf_counter()
    result = triage(runs, default=config.projector, model=None, weights=weights, cache=Cache(None))
    signals_seconds = time.perf_counter() - started
    started = time.perf_counter()
    triage(runs, default=config.projector, model=CrossValidation(), weights=weights, cache=Cache(None))
    with_model = time.perf_counter() - started
    silver = [r.target for r in runs[config.projector]]
    for sentence, record in zip(silver, runs[config.projector], strict=True):
        sentence.spans = list(record.projected)
    train, dev = split_dev(silver)
    started = time.perf_counter()
    SpacyTrainer(labels=sorted({s.label for r in runs[config.projector] for s in r.projected})).train(train, dev)
    one_training = time.perf_counter() - started
    return {
        "pairs": len(sources),
        "methods": methods,
        "projection_seconds": round(projected, 1),
        "signals_without_model_seconds": round(signals_seconds, 2),
        "signals_with_model_seconds": round(with_model, 1),
        "model_seconds": round(with_model - signals_seconds, 1),
        "one_training_run_seconds": round(one_training, 1),
        "model_over_one_training": round((with_model - signals_seconds) / one_training, 2),
        "sentences_ranked": len(result.sentences),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    learn = commands.add_parser("ranking", help="span ranking quality, learned and scored across data sets")
    learn.add_argument("--write", action="store_true", help="learn on everything and write weights.json")
    timing = commands.add_parser("speed", help="signal time on MAFAND en-swa train")
    timing.add_argument("--pairs", type=int, default=30782)
    args = parser.parse_args()
    found = {"ranking": ranking, "speed": speed}[args.command](args)
    json.dump(found, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
