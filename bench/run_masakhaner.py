"""The evaluation suite on real data: MasakhaNER 2.0 through MAFAND, translate-test, and ablations.

Writes one run JSON per run under ``--out`` (default ``runs/``, gitignored):

- ``main/<lang>-<method>.json``: translate-train for the nine MasakhaNER 2.0
  languages with a MAFAND bitext (English source for swa hau yor ibo zul luo
  pcm, French for bam ewe), one run per projection method;
- ``translate-test/es-<method>.json``: intrinsic translate-test on CoNLL-2002
  Spanish through Apertium (offline); with ``--nllb MODEL`` also every
  MasakhaNER language NLLB-200 covers, through that model;
- ``ablation-<name>/...``: variants of one setting on one language (Swahili
  by default): symmetrisation, projection method, unprojected-entity policy,
  label propagation, empty sentences, label set, training data size, bitext
  splits, test overlap.

Runs that already have a file are skipped (``--force`` redoes them), so an
interrupted suite resumes; a run whose settings equal an earlier one's (the
baseline appears in every ablation group) is copied from it, marked
``same_settings_as`` in its provenance, since training is deterministic given
the cached projections. Stage results are cached under ``cache/``. Then:

    .venv/bin/python bench/run_masakhaner.py --out runs/
    .venv/bin/python -m projection report --runs runs/ --out report/
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projection.cache import DEFAULT_CACHE_DIR, Cache  # noqa: E402
from projection.cli.train_eval import parse_trainer_options  # noqa: E402
from projection.languages import find_language  # noqa: E402
from projection.train_eval import (  # noqa: E402
    PAPER_LABELS,
    StageChoices,
    TrainEvalSettings,
    TranslateTestSettings,
    run_train_eval,
    run_translate_test,
)
from projection.training.run_record import Run, load_run, save_run  # noqa: E402
from projection.training.silver import SilverOptions  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SOURCES = {
    **dict.fromkeys(("swa", "hau", "yor", "ibo", "zul", "luo", "pcm"), "en"),
    **dict.fromkeys(("bam", "ewe"), "fr"),
}
LANGS = tuple(SOURCES)
DEFAULT_METHODS = ("heuristic", "ngram-greedy")
UNKNOWN_LABELS = ("NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "TIME", "MISC")
"""Source entity types not trained on whose projections are trained as unknown (English OntoNotes; French MISC)."""
BASE_SILVER = SilverOptions(unknown_labels=UNKNOWN_LABELS, dates="points")
BASE_STAGES = StageChoices(profile="offline", projector="heuristic", symmetrisation="grow-diag-final-and", propagate=0)
"""The offline profile without label propagation, which spreads sentence-initial words over a large bitext."""


@dataclasses.dataclass(frozen=True)
class Planned:
    """One run to make: where its JSON goes and how to make it."""

    path: Path
    settings: TrainEvalSettings | TranslateTestSettings


def base_settings(lang: str, args: argparse.Namespace) -> TrainEvalSettings:
    src = SOURCES[lang]
    return TrainEvalSettings(
        src_lang=src,
        tgt_lang=lang,
        bitext=(DATA / "mafand" / f"{src}-{lang}",),
        test=DATA / "masakhaner2" / lang / "test.txt",
        stages=BASE_STAGES,
        silver=BASE_SILVER,
        max_train_sentences=args.max_train_sentences,
        trainer_options=dict(args.trainer_options),
        seed=args.seed,
        dataset="masakhaner2",
    )


def variant(base: TrainEvalSettings, name: str, group: str, **changes: Any) -> TrainEvalSettings:
    """``base`` with ``changes``; ``stages`` / ``silver`` changes given as dicts are merged into them."""
    stages = changes.pop("stages", {})
    silver = changes.pop("silver", {})
    return dataclasses.replace(
        base,
        stages=dataclasses.replace(base.stages, **stages),
        silver=dataclasses.replace(base.silver, **silver),
        name=name,
        group=group,
        **changes,
    )


def main_runs(args: argparse.Namespace) -> Iterator[Planned]:
    for lang in args.langs:
        base = base_settings(lang, args)
        for method in args.methods:
            settings = variant(base, f"{lang}-{method}", "main", stages={"projector": method})
            yield Planned(args.out / "main" / f"{lang}-{method}.json", settings)


def ablation_runs(args: argparse.Namespace) -> Iterator[Planned]:
    lang = args.ablation_lang
    base = base_settings(lang, args)

    def planned(group: str, suffix: str, **changes: Any) -> Planned:
        name = f"{lang}-{suffix}"
        return Planned(args.out / f"ablation-{group}" / f"{name}.json", variant(base, name, group, **changes))

    for method in ("intersection", "grow-diag-final-and", "union"):
        yield planned("symmetrisation", f"sym-{method}", stages={"symmetrisation": method})
    for method in ("heuristic", "garcia-ferrero", "ngram-greedy", "ngram-exact"):
        yield planned("projection-method", f"method-{method}", stages={"projector": method})
    for count in (0, 2):
        yield planned("propagation", f"propagate-{count}", stages={"propagate": count})
    for policy in ("drop", "keep", "missing"):
        yield planned("unprojected", f"unprojected-{policy}", silver={"unprojected": policy})
    for name, labels in (("none", ()), ("norp", ("NORP",)), ("all", UNKNOWN_LABELS)):
        yield planned("unknown-labels", f"unknown-{name}", silver={"unknown_labels": labels})
    for policy in ("all", "points"):
        yield planned("dates", f"dates-{policy}", silver={"dates": policy})
    for unknown in (False, True):
        suffix = "capitalised-unknown" if unknown else "capitalised-o"
        yield planned("capitalised", suffix, silver={"unknown_capitalised": unknown})
    for policy in ("keep", "drop"):
        yield planned("empty-sentences", f"empty-{policy}", silver={"empty": policy})
    yield planned("labels", "labels-with-date", silver={"labels": None})
    yield planned("labels", "labels-without-date", silver={"labels": PAPER_LABELS})
    for size in (2000, 5000, 10000, None):
        yield planned("data-size", f"size-{size or 'all'}", max_train_sentences=size)
    yield planned("splits", "splits-train", splits=("train",))
    yield planned("splits", "splits-all", splits=None)
    for leak_lang in ("pcm", "luo"):
        leak_base = base_settings(leak_lang, args)
        for include in (False, True):
            name = f"{leak_lang}-overlap-{'included' if include else 'excluded'}"
            settings = variant(leak_base, name, "test-overlap", exclude_test_overlap=not include)
            yield Planned(args.out / "ablation-test-overlap" / f"{name}.json", settings)


def translate_test_runs(args: argparse.Namespace) -> Iterator[Planned]:
    for method in args.methods:
        settings = TranslateTestSettings(
            lang="es",
            test=DATA / "conll2002" / "esp.testa",
            stages=StageChoices(profile="offline", projector=method),
            labels=PAPER_LABELS,
            name=f"es-apertium-{method}",
            dataset="conll2002",
        )
        yield Planned(args.out / "translate-test" / f"es-apertium-{method}.json", settings)
    if args.nllb:
        for lang in args.langs:
            language = find_language(lang)
            if language is None or language.nllb is None:
                continue
            for method in args.methods:
                settings = TranslateTestSettings(
                    lang=lang,
                    test=DATA / "masakhaner2" / lang / "test.txt",
                    stages=StageChoices(profile="offline", translator=f"hf:{args.nllb}", projector=method),
                    labels=PAPER_LABELS,
                    name=f"{lang}-nllb-{method}",
                    dataset="masakhaner2",
                )
                yield Planned(args.out / "translate-test" / f"{lang}-nllb-{method}.json", settings)


def execute(planned: Planned, cache: Cache) -> Run:
    if isinstance(planned.settings, TranslateTestSettings):
        return run_translate_test(planned.settings, cache=cache)
    return run_train_eval(planned.settings, cache=cache).run


def settings_key(planned: Planned) -> str:
    """What a run computes: its settings without its name and group (runs with equal keys give equal results)."""
    return repr(dataclasses.replace(planned.settings, name=None, group=""))


def reuse(earlier: Path, planned: Planned) -> Run:
    """The run at ``earlier`` under ``planned``'s name and group: the same settings need not be computed twice."""
    run = load_run(earlier)
    run.name, run.group = planned.settings.name or run.name, planned.settings.group
    run.provenance = {**run.provenance, "same_settings_as": str(earlier)}
    return run


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "runs")
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated MasakhaNER languages")
    parser.add_argument("--methods", default=",".join(DEFAULT_METHODS), help="comma-separated projectors")
    parser.add_argument("--suites", default="main,translate-test", help="main, translate-test, ablations")
    parser.add_argument("--ablation-lang", default="swa")
    parser.add_argument("--max-train-sentences", type=int, default=None)
    parser.add_argument("--trainer-option", action="append", default=[], help="KEY=VALUE for the spaCy trainer")
    parser.add_argument("--nllb", default=None, help="NLLB-200 model (hub id or directory) for translate-test")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--force", action="store_true", help="redo runs whose JSON exists")
    args = parser.parse_args()
    args.langs = [lang for lang in args.langs.split(",") if lang]
    unknown = sorted(set(args.langs) - set(LANGS))
    if unknown:
        parser.error(f"no MAFAND bitext for {unknown}; languages: {', '.join(LANGS)}")
    args.methods = [method for method in args.methods.split(",") if method]
    args.suites = {suite for suite in args.suites.split(",") if suite}
    args.trainer_options = parse_trainer_options(args.trainer_option)
    return args


def main() -> None:
    args = parse_args()
    cache = Cache(args.cache_dir)
    plan: list[Planned] = []
    if "main" in args.suites:
        plan += main_runs(args)
    if "translate-test" in args.suites:
        plan += translate_test_runs(args)
    if "ablations" in args.suites:
        plan += ablation_runs(args)
    done: dict[str, Path] = {}
    for number, planned in enumerate(plan, start=1):
        key = settings_key(planned)
        if planned.path.exists() and not args.force:
            print(f"[{number}/{len(plan)}] {planned.path} exists, skipped", flush=True)
            done.setdefault(key, planned.path)
            continue
        started = time.perf_counter()
        run = reuse(done[key], planned) if key in done else execute(planned, cache)
        save_run(run, planned.path)
        done.setdefault(key, planned.path)
        paper_labels = run.metrics_by_labels.get("PER,ORG,LOC")
        extra = f", PER/ORG/LOC {paper_labels['overall']['f1']:.3f}" if paper_labels else ""
        print(
            f"[{number}/{len(plan)}] {run.name}: F1 {run.f1:.3f}{extra}, n_train {run.data.get('n_train', '-')}, "
            f"{time.perf_counter() - started:.0f} s -> {planned.path}",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
