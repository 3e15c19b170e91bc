"""Setting up a run from what a user names, the same way in every command and in the app.

The input decides the direction: gold-labelled target sentences are
translated, labelled and projected back onto themselves (translate-test); a
source side is projected onto its bitext side, or onto a machine translation
when it comes alone (translate-train). A bitext brings its own target side,
so its translator is ``parallel`` (:func:`projection.pipeline.config.command_config`
holds that rule). Commands read the named files here, before any work, so an
empty or missing input is refused with the same message everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from projection.cache import Cache
from projection.data import Sentence
from projection.errors import ProjectionError
from projection.pipeline.config import Direction, PipelineConfig, command_config
from projection.pipeline.inputs import load_bitext, load_sentences
from projection.pipeline.run import PipelineResult, ProgressCallback, translate_test, translate_train
from projection.readers.notes import ReadNotes

InputKind = Literal["gold", "bitext", "source", "records"]
"""What named files are: gold target sentences, a bitext, a source side alone, or already projected records."""


@dataclass(frozen=True)
class NamedInput:
    """The files a user named for a run, and what they are.

    ``source_lang`` is the labelled side's language and ``target_lang`` the
    side that receives the spans, whichever file holds which: for gold input
    the file is in ``target_lang``. A bitext is ``src`` with ``tgt``, or one
    TSV as ``src``.
    """

    kind: InputKind
    source_lang: str
    target_lang: str
    src: Path | None = None
    tgt: Path | None = None
    gold: Path | None = None
    records: Path | None = None

    @property
    def direction(self) -> Direction | None:
        """The direction the input is projected in; None for records, which are projected already."""
        if self.kind == "records":
            return None
        return "translate-test" if self.kind == "gold" else "translate-train"

    @property
    def bitext(self) -> bool:
        return self.kind == "bitext"

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(path for path in (self.src, self.tgt, self.gold, self.records) if path is not None)


def holds_text(path: Path) -> bool:
    """Whether a file has a line with anything but whitespace; what is not a regular file (a saved dataset's
    folder, a pipe that can be read only once) is left to its reader."""
    if not path.is_file():
        return True
    with path.open("rb") as handle:
        return any(line.strip() for line in handle)


def named_input(
    *,
    src: Path | None = None,
    tgt: Path | None = None,
    gold: Path | None = None,
    records: Path | None = None,
    src_lang: str = "en",
    tgt_lang: str = "",
) -> NamedInput:
    """What the named files make, checked before any work: one input, files that exist and are not empty.

    ``src`` with ``tgt`` is a bitext, and so is a ``.tsv`` ``src`` alone
    (source, tab, target); other ``src`` files are a source side to translate.
    """
    given = [name for name, path in (("--src", src), ("--gold", gold), ("--records", records)) if path is not None]
    if len(given) != 1:
        raise ProjectionError(
            "Name one input: --src (with --tgt for a bitext), --gold (translate-test) or --records (already "
            f"projected JSONL records){'; got ' + ', '.join(given) if given else ''}."
        )
    if tgt is not None and src is None:
        raise ProjectionError("--tgt is the target side of a bitext: give its source side with --src.")
    kind: InputKind = "records" if records is not None else "gold" if gold is not None else "source"
    if src is not None and (tgt is not None or src.suffix.lower() == ".tsv"):
        kind = "bitext"
    named = NamedInput(kind, src_lang, tgt_lang, src=src, tgt=tgt, gold=gold, records=records)
    missing = [str(path) for path in named.paths if not path.exists()]
    if missing:
        raise ProjectionError(f"File not found: {' and '.join(missing)}.")
    empty = [str(path) for path in named.paths if not holds_text(path)]
    if empty:
        verb = "is" if len(empty) == 1 else "are"
        raise ProjectionError(f"No sentences to read: {' and '.join(empty)} {verb} empty.")
    return named


@dataclass(frozen=True)
class RunInput:
    """The sentences a run starts from.

    translate-test: ``sentences`` are the gold target sentences.
    translate-train: ``sentences`` are the source side and ``targets`` its
    bitext side (labelled or not), or None to have the source translated.
    """

    direction: Direction
    source_lang: str
    target_lang: str
    sentences: Sequence[Sentence]
    targets: Sequence[Sentence] | None = None

    def __post_init__(self) -> None:
        if self.direction == "translate-test" and self.targets is not None:
            raise ProjectionError("translate-test projects onto the gold sentences themselves; it takes no targets.")

    @property
    def bitext(self) -> bool:
        return self.targets is not None


def load_input(
    named: NamedInput, *, label_set: Iterable[str] | None = None, notes: ReadNotes | None = None
) -> RunInput:
    """The sentences of ``named`` in memory: labelled files as they are (entities outside ``label_set`` read as
    O), raw text split into words; what the readers noticed goes into ``notes``."""
    if named.kind == "records":
        raise ProjectionError(
            f"{named.records} holds projected records, which this command does not run again; give the sentences "
            "to project (or export the records with `python -m projection export --records`)."
        )
    if named.kind == "gold":
        assert named.gold is not None
        sentences = load_sentences(named.gold, named.target_lang, label_set=label_set, notes=notes)
        return RunInput("translate-test", named.source_lang, named.target_lang, sentences)
    assert named.src is not None
    if named.kind == "bitext":
        sources, targets = load_bitext(
            named.src, named.tgt, named.source_lang, named.target_lang, label_set=label_set, notes=notes
        )
        return RunInput("translate-train", named.source_lang, named.target_lang, sources, targets)
    sources = load_sentences(named.src, named.source_lang, label_set=label_set, notes=notes)
    return RunInput("translate-train", named.source_lang, named.target_lang, sources)


def run_config(run: NamedInput | RunInput, *, profile: str | None = None, **stages: Any) -> PipelineConfig:
    """The config a user's run of ``run`` gets: its direction and languages, the profile, stages given on top."""
    if run.direction is None:
        raise ProjectionError("Already projected records need no pipeline config.")
    return command_config(
        direction=run.direction,
        source_lang=run.source_lang,
        target_lang=run.target_lang,
        profile=profile,
        bitext=run.bitext,
        **stages,
    )


def run_pipeline(
    run: RunInput,
    config: PipelineConfig,
    *,
    cache: Cache | None = None,
    progress: ProgressCallback | None = None,
) -> PipelineResult:
    """Run ``config`` over the input in its direction."""
    if config.direction != run.direction:
        raise ProjectionError(f"The config runs {config.direction}, but the input is for {run.direction}.")
    if run.direction == "translate-test":
        return translate_test(run.sentences, config, cache=cache, progress=progress)
    return translate_train(run.sentences, config, run.targets, cache=cache, progress=progress)
