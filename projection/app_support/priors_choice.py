"""eflomal priors on the Data page: which bitext to learn them from, and which priors a data set was aligned with.

eflomal learns from the text it aligns, so a small upload aligns badly on
its own; priors learnt once from a larger bitext of the same language pair
fix that (:mod:`projection.aligners.priors`). The bitext is one the user
names (a path inside the data folders, as every typed path) or one found
under the data folders: a folder holding ``NAME.<src>`` / ``NAME.<tgt>``
files of the pair (``train.en`` / ``train.swa``), or a TSV whose name carries
both languages (``en-sw.tsv``). The search is bounded (depth and entries),
skips hidden and tool folders, and follows no symbolic link, so it stays
quick and never leaves the data folders.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from projection.app_support.data_roots import data_roots
from projection.app_support.datasets import Dataset
from projection.data import ProjectionRecord
from projection.splitting import language_code

SEARCH_DEPTH = 3
MAX_ENTRIES = 20_000
"""Entries looked at per data folder at most, so a huge folder cannot stall the page."""
SKIPPED_FOLDERS = {"node_modules", "__pycache__", "site-packages", "cache"}
TSV_SUFFIXES = (".tsv",)
NO_PRIORS = ""
TYPED = "typed"


def _folders(root: Path, depth: int, budget: list[int]) -> Iterator[tuple[Path, list[os.DirEntry]]]:
    """``root`` and the folders beneath it down to ``depth``, each with its entries; no links followed."""
    try:
        with os.scandir(root) as listing:
            entries = []
            for entry in listing:
                budget[0] -= 1
                if budget[0] < 0:
                    break
                entries.append(entry)
    except OSError:
        return
    yield root, entries
    if depth <= 0:
        return
    for entry in sorted(entries, key=lambda e: e.name):
        if budget[0] < 0:
            return
        if entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS:
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _folders(Path(entry.path), depth - 1, budget)


def _holds_pair(entries: Iterable[os.DirEntry], src: str, tgt: str) -> bool:
    """Whether a folder's files include ``NAME.<a>`` and ``NAME.<b>`` with ``a`` of ``src`` and ``b`` of ``tgt``."""
    by_stem: dict[str, set[str]] = {}
    for entry in entries:
        stem, dot, suffix = entry.name.rpartition(".")
        if dot and stem and suffix and entry.is_file(follow_symlinks=False):
            by_stem.setdefault(stem, set()).add(language_code(suffix))
    return any(src in codes and tgt in codes for codes in by_stem.values())


def _names_pair(name: str, src: str, tgt: str) -> bool:
    words = {language_code(word) for word in re.split(r"[-_.\s]+", name) if word}
    return src in words and tgt in words


def find_priors_bitexts(
    src_lang: str, tgt_lang: str, roots: Sequence[Path] | None = None, *, depth: int = SEARCH_DEPTH
) -> list[Path]:
    """Bitexts of the pair under the data folders: folders of ``NAME.<lang>`` file pairs, and TSVs named for it."""
    src, tgt = language_code(src_lang), language_code(tgt_lang)
    if not src or not tgt or src == tgt:
        return []
    found: list[Path] = []
    for root in data_roots() if roots is None else roots:
        budget = [MAX_ENTRIES]
        for folder, entries in _folders(Path(root), depth, budget):
            if _holds_pair(entries, src, tgt):
                found.append(folder)
            found += [
                Path(entry.path)
                for entry in sorted(entries, key=lambda e: e.name)
                if entry.name.endswith(TSV_SUFFIXES)
                and _names_pair(entry.name[: -len(".tsv")], src, tgt)
                and entry.is_file(follow_symlinks=False)
            ]
    return list(dict.fromkeys(found))


def priors_used(record: ProjectionRecord) -> Mapping[str, object] | None:
    """The priors the record's alignment was made with (``bitext`` and ``sha256``), from its provenance."""
    align = (record.provenance.get("stages") or {}).get("align") or {}
    priors = (align.get("params") or {}).get("priors")
    return priors if isinstance(priors, Mapping) else None


def priors_description(record: ProjectionRecord) -> str | None:
    """``/data/mafand/en-swa, read as en-swa (key 1a2b3c4d)``: the priors in words (plain text), or None."""
    priors = priors_used(record)
    if priors is None:
        return None
    key = str(priors.get("sha256") or "")[:8]
    return f"{priors.get('bitext') or 'given sentence pairs'}" + (f" (key {key})" if key else "")


def priors_picker(src_lang: str, tgt_lang: str, *, key: str) -> str:
    """A choice of priors bitext for eflomal: none, one found under the data folders, or a typed path.

    Returns the path as text ("" for none); it is checked against the data
    folders when the run starts, as every typed path is.
    """
    import streamlit as st

    from projection.app_support.markdown_text import plain

    found = find_priors_bitexts(src_lang, tgt_lang)
    options = [NO_PRIORS, *map(str, found), TYPED]
    words = {NO_PRIORS: "no priors (eflomal learns from this text alone)", TYPED: "another bitext: type its path"}
    chosen = st.selectbox(
        "eflomal priors from a larger bitext of the same pair",
        options,
        format_func=lambda option: words.get(option, option),
        key=f"{key}_choice",
        help=plain(
            "eflomal learns from the text it aligns, so a few hundred sentence pairs align poorly alone. Priors "
            f"learnt once from a larger bitext of the same language pair (a folder of NAME.{src_lang} / "
            f"NAME.{tgt_lang} files, or a two-column TSV) are kept in the cache and reused."
        ),
    )
    if not found:
        st.caption(
            plain(
                f"No {src_lang}-{tgt_lang} bitext was found under the data folders (searched {SEARCH_DEPTH} levels "
                "deep); type a path to use one."
            )
        )
    if chosen == TYPED:
        return st.text_input("Priors bitext path", key=f"{key}_path").strip()
    return chosen


def show_priors_used(datasets: Iterable[Dataset]) -> None:
    """A line per loaded data set saying which priors its alignment used (nothing for data sets without)."""
    import streamlit as st

    from projection.app_support.markdown_text import plain

    for dataset in datasets:
        for lang, methods in dataset.runs.items():
            record = next((records[0] for records in methods.values() if records), None)
            described = None if record is None else priors_description(record)
            if described:
                st.caption(plain(f"{dataset.title} ({lang}): aligned by eflomal with priors from {described}."))
