"""``projection project``: translate-train on a bitext (or a machine translation) into silver data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.cli import options
from projection.cli.app import app, console
from projection.cli.progress import step_progress
from projection.pipeline.config import command_config
from projection.pipeline.inputs import load_bitext, load_sentences
from projection.pipeline.run import translate_train
from projection.writers import check_output, write_records, writer_options


@app.command()
def project(
    src: Annotated[Path, typer.Option(help="Labelled side: raw text (one sentence per line), CoNLL or JSONL.")],
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
    cache = Cache(None if no_cache else cache_dir)
    config = command_config(
        direction="translate-train",
        source_lang=src_lang,
        target_lang=tgt_lang,
        profile=profile,
        bitext=tgt is not None,
        translator=translator,
        labeller=labeller,
        aligner=aligner,
        projector=projector,
        labels=options.parse_labels(labels),
        propagate=propagate,
    )
    config = options.with_priors(config, priors, cache_dir)
    if tgt is None:
        sources, targets = load_sentences(src, src_lang), None
    else:
        sources, targets = load_bitext(src, tgt, src_lang, tgt_lang)
    with step_progress() as progress:
        result = translate_train(sources, config, targets, cache=cache, progress=progress)
    written = write_records(result.records, out, format=out_format, **writer_options(out_format, force=force))
    n_spans = sum(len(record.projected) for record in result.records)
    console.print(f"{written} sentences, {n_spans} projected entities in {result.seconds:.1f} s -> {out}")
