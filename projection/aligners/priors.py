"""eflomal priors: word-translation, jump and fertility counts learnt once from a larger bitext of the same pair.

eflomal learns its statistics from the corpus it aligns, so 150 uploaded
pairs, or one window of an export, teach it little. Its priors are Dirichlet
pseudo-counts learnt elsewhere: here, from the links eflomal itself finds on a
larger bitext of the same language pair (eflomal's own ``calculate_priors``
on the forward and reverse links). They are learnt once and kept in the cache
as two plain files, never anything that can run code:

- ``<cache>/eflomal-priors/<key>.priors.gz``: eflomal's text format, one
  prior per line (``LEX src tgt alpha``, ``FERF``, ``FERR``, ``HMMF``,
  ``HMMR``), read with eflomal's ``read_priors``;
- ``<key>.json``: what they were learnt from (bitext, pairs, tokenisation,
  eflomal version and settings), checked before the priors are used.

``key`` hashes the bitext's content, its tokenisation, the eflomal version
and the settings, so a changed bitext or a new eflomal learns new priors; a
file that is unreadable, or whose description does not match, is learnt
again rather than trusted.

A priors bitext is given as ``train-eval --bitext`` takes one: a directory
of ``NAME.<src>`` / ``NAME.<tgt>`` files (their suffixes say the pair, any
code of a language counts: ``sw`` finds ``train.swa``) or a two-column TSV
(read as the run's pair). Words are split as the pipeline splits raw text.
A directory of another pair is refused, naming both pairs; so are priors
that share too few words with the text to align (a TSV of another pair, or
with its columns swapped).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from projection.cache import DEFAULT_CACHE_DIR
from projection.errors import ProjectionError
from projection.fileio import atomic_write
from projection.splitting import CHARACTER_LANGUAGES, language_code

if TYPE_CHECKING:
    from projection.train_eval import BitextFiles

logger = logging.getLogger(__name__)

FORMAT = 1
"""Version of the files written here; a change makes every cached priors file stale."""
PRIORS_FOLDER = "eflomal-priors"
MIN_COVERAGE = 0.3
"""Below this share of running words found in the priors (on either side), the priors are of another pair.

Function words make up most running text, so a bitext of the same pair
covers most of it (MAFAND en-swa train covers over 90% of dev on both sides),
while one of another language shares only names, numbers and punctuation.
"""

TokenPair = tuple[list[str], list[str]]
Links = list[list[tuple[int, int]]]
PriorTables = tuple[list, dict, dict, list, list]
"""eflomal's priors as ``read_priors`` returns them: lexical, forward jumps, reverse jumps, fertilities."""


def word_form(token: str, lowercase: bool) -> str:
    """The form a token is counted under, by eflomal and in priors: case folded if asked, no whitespace inside."""
    word = token.lower() if lowercase else token
    return "_".join(word.split()) or "_"


def eflomal_version() -> str:
    try:
        return metadata.version("eflomal")
    except metadata.PackageNotFoundError:
        raise ProjectionError(
            "eflomal priors need the eflomal package, which is not installed. Install it with "
            "`pip install eflomal==2.0.0`."
        ) from None


@dataclass(frozen=True)
class PriorsBitext:
    """A bitext to learn priors from: a directory of ``NAME.<src>`` / ``NAME.<tgt>`` files, or a TSV.

    ``src_lang`` and ``tgt_lang`` are the languages of the sides being aligned
    (source first, as the aligner sees them); ``splits`` keeps only the
    directory's parts of those names (``("train",)``), all when None.
    """

    path: Path
    src_lang: str
    tgt_lang: str
    splits: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path).expanduser())

    @classmethod
    def from_option(cls, value: Mapping[str, Any]) -> PriorsBitext:
        """From an aligner option ``{bitext: PATH, src_lang: en, tgt_lang: swa, splits: [train]}``."""
        missing = [key for key in ("bitext", "src_lang", "tgt_lang") if not value.get(key)]
        unknown = set(value) - {"bitext", "src_lang", "tgt_lang", "splits"}
        if missing or unknown:
            raise ProjectionError(
                "eflomal's priors option needs the bitext and the two languages being aligned, e.g. "
                "{bitext: ../data/mafand/en-swa, src_lang: en, tgt_lang: swa} (optionally splits: [train]); "
                f"missing {missing or 'nothing'}, unknown {sorted(unknown) or 'nothing'}."
            )
        splits = value.get("splits")
        return cls(
            Path(str(value["bitext"])),
            str(value["src_lang"]),
            str(value["tgt_lang"]),
            None if splits is None else tuple(str(split) for split in splits),
        )

    @property
    def pair(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"

    def parts(self) -> list[BitextFiles]:
        """The files to read; a directory whose suffixes name another language pair is refused."""
        from projection.train_eval import bitext_files  # the evaluation suite is slow to import; needed here only

        if self.path.is_file():
            return bitext_files(self.path, self.src_lang, self.tgt_lang)
        if not self.path.is_dir():
            raise ProjectionError(
                f"Priors bitext not found: {self.path}. Give a directory of NAME.{self.src_lang} / "
                f"NAME.{self.tgt_lang} files or a two-column TSV of {self.pair} sentence pairs."
            )
        suffixes = {path.suffix[1:] for path in self.path.iterdir() if path.is_file() and path.suffix}
        src = next((s for s in sorted(suffixes) if language_code(s) == language_code(self.src_lang)), None)
        tgt = next((s for s in sorted(suffixes) if language_code(s) == language_code(self.tgt_lang)), None)
        if src is None or tgt is None or src == tgt:
            raise ProjectionError(
                f"The priors bitext {self.path} is not a bitext of {self.pair}: it holds "
                f"{directory_pairs(self.path) or 'no line-aligned NAME.<lang> file pairs'}. Priors are word "
                f"statistics of one language pair; give a bitext of {self.pair}."
            )
        return bitext_files(self.path, src, tgt, self.splits)

    def describe(self) -> str:
        where = str(self.path) + ("" if self.splits is None else f" ({', '.join(self.splits)})")
        return f"{where}, read as {self.pair}"


def directory_pairs(path: Path) -> str:
    """The language pairs a directory's files make (``en-swa (train, dev)``), for messages."""
    by_stem: dict[str, set[str]] = {}
    for file in path.iterdir():
        if file.is_file() and file.suffix:
            by_stem.setdefault(file.stem, set()).add(file.suffix[1:])
    pairs: dict[str, list[str]] = {}
    for stem, suffixes in sorted(by_stem.items()):
        if len(suffixes) >= 2:
            pairs.setdefault("-".join(sorted(suffixes)), []).append(stem)
    return "; ".join(f"{pair} ({', '.join(stems)})" for pair, stems in pairs.items())


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tokenisation(lang: str) -> dict[str, str]:
    """How raw text of ``lang`` is split into words (:func:`projection.splitting.split_words`), for keys."""
    code = language_code(lang)
    if code in CHARACTER_LANGUAGES:
        return {"lang": code, "splitter": "characters"}
    return {"lang": code, "splitter": "spacy-blank", "spacy": metadata.version("spacy")}


@dataclass
class PriorsSource:
    """What priors are learnt from (a bitext to read, or token pairs), and the key of the priors learnt from it."""

    key: str
    description: str
    bitext: PriorsBitext | None = None
    pairs: list[TokenPair] | None = None

    def load(self) -> list[TokenPair]:
        """The token pairs; a bitext is read and split into words only now, when the priors are not cached yet."""
        if self.pairs is not None:
            return self.pairs
        from projection.train_eval import read_bitext_sentences

        assert self.bitext is not None
        sources, targets, _ = read_bitext_sentences(self.bitext.parts(), self.bitext.src_lang, self.bitext.tgt_lang)
        return [(s.tokens, t.tokens) for s, t in zip(sources, targets, strict=True)]


def token_digest(pairs: Sequence[TokenPair]) -> str:
    """A content hash of token pairs."""
    sha = hashlib.sha256()
    for src, tgt in pairs:
        sha.update(("\x1f".join(src) + "\x1e" + "\x1f".join(tgt) + "\n").encode("utf-8"))
    return sha.hexdigest()


def _key(content: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    described = {"format": FORMAT, "eflomal": eflomal_version(), "content": content, "settings": settings}
    return hashlib.sha256(json.dumps(described, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def priors_source(
    priors: PriorsBitext | Mapping[str, Any] | Sequence[Sequence[Sequence[str]]], settings: Mapping[str, Any]
) -> PriorsSource:
    """The source of eflomal's ``priors`` option: a bitext (object or option mapping) or token pairs.

    ``settings`` are the eflomal settings the priors are learnt with; they are
    part of the key.
    """
    if isinstance(priors, Mapping):
        priors = PriorsBitext.from_option(priors)
    if isinstance(priors, str | os.PathLike):
        raise ProjectionError(
            f"eflomal's priors option got the path {str(priors)!r} without the languages to read it in; give "
            "{bitext: PATH, src_lang: .., tgt_lang: ..} (on the command line, --priors PATH does this)."
        )
    if isinstance(priors, PriorsBitext):
        content = {
            "files": [
                [file_digest(path) for path in (part.src, part.tgt) if path is not None] for part in priors.parts()
            ],
            "tokenisation": [tokenisation(priors.src_lang), tokenisation(priors.tgt_lang)],
        }
        return PriorsSource(_key(content, settings), priors.describe(), bitext=priors)
    pairs = [([str(token) for token in src], [str(token) for token in tgt]) for src, tgt in priors]
    content = {"tokens": token_digest(pairs), "tokenisation": "given"}
    return PriorsSource(_key(content, settings), f"{len(pairs)} given sentence pairs", pairs=pairs)


def priors_paths(cache_dir: Path, key: str) -> tuple[Path, Path]:
    folder = cache_dir / PRIORS_FOLDER
    return folder / f"{key}.priors.gz", folder / f"{key}.json"


def read_tables(path: Path) -> PriorTables:
    """A priors file parsed by eflomal's ``read_priors``; a malformed file raises ``ValueError``."""
    from eflomal import read_priors

    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return read_priors(handle)
    except (OSError, EOFError, UnicodeDecodeError, IndexError, TypeError) as err:
        # eflomal's own message for a bad line fails to format (a TypeError): both mean the file is damaged
        raise ValueError(f"{path} is not a readable priors file ({type(err).__name__})") from None


def learn_tables(
    pairs: Sequence[TokenPair], align_directions: Callable[[list, list], tuple[Links, Links]], lowercase: bool
) -> str:
    """Priors in eflomal's text format, from eflomal's links on ``pairs`` (its own ``calculate_priors``)."""
    from eflomal import calculate_priors, write_priors

    kept = [(src, tgt) for src, tgt in pairs if src and tgt]
    if not kept:
        raise ProjectionError("The priors bitext holds no sentence pair with words on both sides.")
    src = [[word_form(token, lowercase) for token in pair[0]] for pair in kept]
    tgt = [[word_form(token, lowercase) for token in pair[1]] for pair in kept]
    forward, reverse = align_directions(src, tgt)
    tables = calculate_priors(
        [" ".join(words) for words in src],
        [" ".join(words) for words in tgt],
        [" ".join(f"{i}-{j}" for i, j in links) for links in forward],
        [" ".join(f"{i}-{j}" for i, j in links) for links in reverse],
    )
    text = io.StringIO()
    write_priors(text, *tables)
    return text.getvalue()


def cached_priors(
    source: PriorsSource,
    align_directions: Callable[[list, list], tuple[Links, Links]],
    settings: Mapping[str, Any],
    cache_dir: Path | None = None,
    *,
    relearn: bool = False,
) -> Path:
    """The priors file for ``source``: from the cache when it is sound, else learnt now and cached.

    A file whose description names another eflomal version, format or key,
    or that cannot be read, is learnt again (``relearn`` forces it: the
    caller found the file damaged while reading it).
    """
    priors_path, meta_path = priors_paths(cache_dir or DEFAULT_CACHE_DIR, source.key)
    expected = {"format": FORMAT, "eflomal": eflomal_version(), "key": source.key}
    if not relearn and priors_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        if isinstance(meta, dict) and all(meta.get(name) == value for name, value in expected.items()):
            return priors_path
        logger.warning("Cached eflomal priors %s do not match this eflomal; learning them again.", priors_path.name)
    pairs = source.load()
    logger.info("Learning eflomal priors from %s (%d pairs).", source.description, len(pairs))
    text = learn_tables(pairs, align_directions, bool(settings.get("lowercase", True)))
    with atomic_write(priors_path, "wb") as handle:
        handle.write(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))
    meta = {**expected, "bitext": source.description, "pairs": len(pairs), "settings": dict(settings)}
    with atomic_write(meta_path, "w") as handle:
        handle.write(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return priors_path


class _Vocabulary:
    """A corpus vocabulary seen as eflomal's ``TextIndex``: a word's id + 1 (0 is NULL), or None."""

    def __init__(self, ids: Mapping[str, int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, word: str) -> int | None:
        found = self.ids.get(word)
        return None if found is None else found + 1


def coverage(sentences: Iterable[Sequence[str]], words: set[str]) -> float:
    """Share of running words of ``sentences`` that are in ``words``."""
    total = found = 0
    for sentence in sentences:
        total += len(sentence)
        found += sum(word in words for word in sentence)
    return found / total if total else 1.0


def write_indexed(
    tables: PriorTables,
    src_vocab: Mapping[str, int],
    tgt_vocab: Mapping[str, int],
    path: Path,
    identical_alpha: float = 0.0,
) -> None:
    """Priors in the form eflomal's binary reads (ids of this corpus), with eflomal's ``to_eflomal_priors_file``.

    ``identical_alpha`` > 0 adds a lexical prior linking every word with the
    same word on the other side (names, numbers, codes).
    """
    from eflomal import to_eflomal_priors_file

    lexical, forward_jumps, reverse_jumps, src_fertility, tgt_fertility = tables
    if identical_alpha > 0:
        lexical = [*lexical, *((word, word, identical_alpha) for word in src_vocab.keys() & tgt_vocab.keys())]
    with path.open("w", encoding="utf-8") as handle:
        to_eflomal_priors_file(
            (lexical, forward_jumps, reverse_jumps, src_fertility, tgt_fertility),
            _Vocabulary(src_vocab),
            _Vocabulary(tgt_vocab),
            handle,
        )


def check_coverage(
    tables: PriorTables, src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]], description: str
) -> None:
    """Refuse priors that share too few running words with the corpus: they are of another language pair."""
    lexical = tables[0]
    src_share = coverage(src, {entry[0] for entry in lexical})
    tgt_share = coverage(tgt, {entry[1] for entry in lexical})
    if min(src_share, tgt_share) < MIN_COVERAGE:
        raise ProjectionError(
            f"The eflomal priors from {description} know only {src_share:.0%} of the source words and "
            f"{tgt_share:.0%} of the target words to align: they look like priors of another language pair, "
            f"or of a bitext whose columns are swapped. Give a bitext of the pair being aligned."
        )
