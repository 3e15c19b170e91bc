"""Precompute the built-in example: every offline projection method, two pipelines, into ``cache/example/``.

Run ``python -m projection.example.build`` after changing the example
sentences or a projector; the app then opens on the new results in seconds.
The two pipelines:

- ``bitext`` (translate-train): the English side with its gold entities is
  projected onto the human Spanish translation; isolates alignment and
  projection, since the source labels are right.
- ``apertium`` (translate-test, the paper's protocol): the Spanish side is
  translated into English by Apertium, labelled by spaCy, aligned by eflomal,
  and the entities are projected back onto the Spanish tokens.

Methods that cannot run here (a missing model or Apertium pair) are listed in
the manifest with the reason instead of failing the build.

Each pipeline folder also holds ``aligners.jsonl.gz``: every aligner's links
for every sentence, so that aligners can be compared offline (the line
format is in :mod:`projection.aligners.comparison`): eflomal's two
directions and its symmetrisations from one run, the surface aligner, and
SimAlign and AWESoME over each encoder that is on this machine
(``--encoders``; the paper's mBERT where it is in the local cache). The
records are projected through the same eflomal run's links (the view the
profile uses), so the comparison and the records agree link for link. Its
manifest entry names the file under ``aligners`` and lists the aligners
that could not run under ``aligners_skipped``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from projection.aligners import aligners
from projection.aligners.comparison import AlignerComparison, compare_aligners, model_present, write_comparison
from projection.aligners.eflomal_aligner import EflomalAligner
from projection.app_support.datasets import EXAMPLE_DIR, MANIFEST
from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.data import Alignment, ProjectionRecord, Sentence
from projection.errors import ProjectionError
from projection.example import ENGLISH_CONLL, ID_PREFIX, SPANISH_CONLL
from projection.fileio import atomic_write
from projection.pipeline import PipelineConfig, build_config
from projection.pipeline.compare import MethodRuns, run_projectors, runnable_methods
from projection.pipeline.config import Direction
from projection.pipeline.reproject import ProjectorSettings, runs_through_links, what_if
from projection.readers.conll import read_conll
from projection.writers.jsonl import write_jsonl

logger = logging.getLogger(__name__)
PROFILE = "offline"
STORE_KEY = "example"
"""Both pipelines project onto the same Spanish sentences, so their corrections are shared."""
ENCODER_ALIGNERS = ("simalign", "awesome")
DEFAULT_ENCODERS = ("bert-base-multilingual-cased",)
"""The paper's encoder: compared where it is on this machine."""


@dataclass(frozen=True)
class Variant:
    name: str
    folder: str
    title: str
    description: str
    direction: Direction


def variant_config(variant: Variant) -> PipelineConfig:
    """The offline profile in the variant's direction; the bitext variant uses the gold English labels."""
    if variant.direction == "translate-train":
        return build_config(
            direction="translate-train", source_lang="en", target_lang="es", profile=PROFILE, translator="parallel",
            labeller="gold",
        )  # fmt: skip
    return build_config(direction="translate-test", source_lang="en", target_lang="es", profile=PROFILE)


def run_variant(
    variant: Variant, methods: Sequence[str], english: list[Sentence], spanish: list[Sentence], cache: Cache
) -> MethodRuns:
    config = variant_config(variant)
    if variant.direction == "translate-train":
        return run_projectors(english, config, methods, targets=spanish, cache=cache)
    return run_projectors(spanish, config, methods, cache=cache)


VARIANTS = (
    Variant(
        "example-bitext",
        "bitext",
        "Example · bitext en→es",
        "Translate-train on a bitext: English sentences with their gold entities projected onto the human "
        "Spanish translation through eflomal alignments. The source labels are right, so every error comes "
        "from alignment or projection.",
        "translate-train",
    ),
    Variant(
        "example-apertium",
        "apertium",
        "Example · Apertium es→en→es",
        "Translate-test, the paper's protocol, fully offline: Spanish translated into English by Apertium, "
        "English entities found by spaCy (en_core_web_sm), aligned by eflomal and projected back onto the "
        "Spanish tokens.",
        "translate-test",
    ),
)


def compare_variant(
    config: PipelineConfig, runs: MethodRuns, encoders: Sequence[str]
) -> tuple[AlignerComparison, list[Alignment] | None]:
    """Every aligner on the variant's sentence pairs, and the links of the view the pipeline uses.

    The links are None when the profile's aligner is not eflomal (then the
    records keep their own).
    """
    records = runs.runs[0].records
    aligner = aligners.create(config.aligner, **config.stage_options("aligner"))
    eflomal = aligner if isinstance(aligner, EflomalAligner) else None
    present = [f"{kind}:{model}" for model in encoders if model_present(model) for kind in ENCODER_ALIGNERS]
    comparison = compare_aligners(
        [record.source.tokens for record in records],
        [record.target.tokens for record in records],
        eflomal=eflomal,
        in_use=eflomal.symmetrisation if eflomal else "grow-diag-final-and",
        encoders=present,
    )
    for model in encoders:
        if not model_present(model):
            for kind in ENCODER_ALIGNERS:
                comparison.skipped[f"{kind}:{model}"] = (
                    f"the encoder {model} is not on this machine; give a local copy with --encoders DIR"
                )
    if eflomal is None:
        return comparison, None
    return comparison, [pair.alignments[f"eflomal:{eflomal.symmetrisation}"] for pair in comparison.pairs]


def with_alignments(records: list[ProjectionRecord], alignments: Sequence[Alignment] | None) -> list[ProjectionRecord]:
    """The records projected again through ``alignments`` (methods that use no links only take them on)."""
    if alignments is None:
        return records
    method = str(records[0].provenance.get("method") or "")
    if runs_through_links(method):
        return what_if(records, ProjectorSettings.of(records[0]), alignments=alignments).records
    return [replace(record, alignment=alignment) for record, alignment in zip(records, alignments, strict=True)]


def read_example() -> tuple[list[Sentence], list[Sentence]]:
    english = read_conll(ENGLISH_CONLL, "en", id_prefix=ID_PREFIX)
    spanish = read_conll(SPANISH_CONLL, "es", id_prefix=ID_PREFIX)
    if [s.id for s in english] != [s.id for s in spanish]:
        raise ProjectionError("The example's English and Spanish files must hold the same sentences, in order.")
    return english, spanish


def write_compressed(records: Sequence[ProjectionRecord], path: Path) -> None:
    """JSONL records, gzipped (reproducibly: no time stamp), with scores rounded to keep the files small.

    Each record repeats its provenance and its sentence pair, which gzip
    stores once: the whole example stays near 100 kB in git.
    """
    for record in records:
        if record.alignment.scores is not None:
            record.alignment.scores = [round(score, 3) for score in record.alignment.scores]
        if record.alignment.similarity is not None:
            record.alignment.similarity = record.alignment.similarity.round(3)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "records.jsonl"
        write_jsonl(records, plain)
        data = gzip.compress(plain.read_bytes(), compresslevel=9, mtime=0)
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def build_example(
    out_dir: Path = EXAMPLE_DIR,
    *,
    methods: Sequence[str] | None = None,
    cache: Cache | None = None,
    encoders: Sequence[str] = DEFAULT_ENCODERS,
) -> dict:
    """Project the example with every method that runs here, and compare every aligner on it; returns the
    manifest it writes."""
    english, spanish = read_example()
    cache = cache or Cache(DEFAULT_CACHE_DIR)
    manifest: dict = {"datasets": [], "skipped": {}}
    for variant in VARIANTS:
        # the paper's heuristic first: the app opens on the first method
        chosen, skipped = runnable_methods(variant_config(variant))
        if methods is not None:
            wanted = set(methods)
            known = {method.split(":")[0] for method in chosen} | set(skipped)
            chosen = [method for method in chosen if method in wanted or method.split(":")[0] in wanted]
            skipped = {name: why for name, why in skipped.items() if name in wanted}
            skipped.update({name: "not a registered projector" for name in wanted - known})
        for method, why in skipped.items():
            logger.warning("%s / %s skipped: %s", variant.name, method, why)
        runs = run_variant(variant, chosen, english, spanish, cache)
        comparison, in_use = compare_variant(variant_config(variant), runs, encoders)
        files: dict[str, str] = {}
        for run in runs.runs:
            relative = f"{variant.folder}/{run.spec.split(':')[0]}.jsonl.gz"
            write_compressed(with_alignments(run.records, in_use), out_dir / relative)
            files[run.spec] = relative
            logger.info("%s / %s: %d records", variant.name, run.spec, len(run.records))
        records = runs.runs[0].records
        compared = f"{variant.folder}/aligners.jsonl.gz"
        write_comparison(
            out_dir / compared,
            [record.id for record in records],
            [record.source.tokens for record in records],
            [record.target.tokens for record in records],
            comparison.pairs,
        )
        for name, why in comparison.skipped.items():
            logger.warning("%s / aligner %s skipped: %s", variant.name, name, why)
        manifest["datasets"].append(
            {
                "name": variant.name,
                "title": variant.title,
                "description": variant.description,
                "store_key": STORE_KEY,
                "files": files,
                "aligners": compared,
                "aligners_skipped": comparison.skipped,
            }
        )
        if skipped:
            manifest["skipped"][variant.name] = skipped
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=EXAMPLE_DIR, help="output folder (default: cache/example)")
    parser.add_argument("--methods", help="comma-separated projectors (default: every registered one)")
    parser.add_argument(
        "--encoders",
        default=",".join(DEFAULT_ENCODERS),
        help="comma-separated encoders (directories or Hub ids) to compare SimAlign and AWESoME over, where present",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        manifest = build_example(
            args.out,
            methods=args.methods.split(",") if args.methods else None,
            encoders=[model for model in args.encoders.split(",") if model],
        )
    except ProjectionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for entry in manifest["datasets"]:
        print(f"{entry['name']}: {', '.join(entry['files'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
