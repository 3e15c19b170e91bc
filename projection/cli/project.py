"""``projection project``: translate-train on a bitext (or a machine translation) into silver data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from projection.cache import DEFAULT_CACHE_DIR
from projection.cli import options
from projection.cli.app import app, console
from projection.export import export_records
from projection.pipeline.setup import named_input, run_config
from projection.writers import check_output


@app.command()
def project(
    src: Annotated[
        Path, typer.Option(help="Labelled side: raw text (one sentence per line), CoNLL, JSONL, or a bitext TSV.")
    ],
    src_lang: Annotated[str, typer.Option(help="Language of --src, e.g. en.")],
    tgt_lang: Annotated[str, typer.Option(help="Language of the target side, e.g. sw.")],
    out: Annotated[Path, typer.Option(help="Output file; the format follows the extension (.conll, .jsonl, ...).")],
    tgt: Annotated[
        Path | None, typer.Option(help="Target side, line-aligned with --src; without it --translator translates.")
    ] = None,
    out_format: Annotated[str | None, typer.Option("--format", help="Output format if not the extension's.")] = None,
    profile: options.Profile = None,
    translator: options.Translator = None,
    labeller: options.Labeller = None,
    aligner: options.Aligner = None,
    projector: options.Projector = None,
    labels: options.Labels = None,
    propagate: options.Propagate = None,
    priors: options.Priors = None,
    cache_dir: options.CacheDir = DEFAULT_CACHE_DIR,
    no_cache: options.NoCache = False,
    force: options.Force = False,
) -> None:
    """Label the source side, align it with the target side and write the projected target spans."""
    out_format = check_output(out, out_format, force=force)
    named = named_input(src=src, tgt=tgt, src_lang=src_lang, tgt_lang=tgt_lang)
    config = run_config(
        named,
        profile=profile,
        translator=translator,
        labeller=labeller,
        aligner=aligner,
        projector=projector,
        labels=options.parse_labels(labels),
        propagate=propagate,
    )
    result, config = options.run_named(named, config, priors=priors, cache_dir=cache_dir, no_cache=no_cache)
    report = export_records(result.records, out, format=out_format, labels=config.labels, force=force)
    n_spans = sum(len(record.projected) for record in result.records)
    console.print(f"{report.n_written} sentences, {n_spans} projected entities in {result.seconds:.1f} s -> {out}")
    options.print_companions(report)
