"""Every available aligner on the sentence shown, for the heatmap's comparison overlay.

Where the links come from:

- the built-in example: its precomputed comparison (``aligners.jsonl.gz``,
  named in the manifest; :func:`projection.aligners.comparison.read_comparison`):
  eflomal's directions and symmetrisations from the run the records were
  projected through, the surface aligner, and SimAlign / AWESoME where an
  encoder was present when it was built;
- any other data set: the records' own links ("in use") and the surface
  aligner, computed for the sentence when it is shown (it needs nothing
  but the two sentences, and takes well under a millisecond); eflomal's
  views need the whole corpus, since eflomal learns from the text it aligns,
  so they are computed once per data set and language on request
  (:func:`corpus_views`) and kept for the session. That new eflomal run
  samples afresh and has no priors, so its links may differ a little from
  the records' own.

Agreement counts aligners, not views: eflomal's five views come from one
model and count once, through the view in use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from projection.aligners.comparison import PairLinks, compare_aligners, read_comparison
from projection.aligners.surface import SurfaceAligner
from projection.app_support.datasets import EXAMPLE_DIR, MANIFEST, Dataset
from projection.app_support.heatmap import OverlayLink
from projection.app_support.tokens_html import chart_text
from projection.data import Alignment, ProjectionRecord
from projection.errors import ProjectionError
from projection.pipeline.reproject import LinkEdit

Link = tuple[int, int]
EXAMPLE_SOURCE = "built-in example"


@dataclass
class SentenceComparison:
    """One sentence pair under every available aligner view; ``origin`` says where the links come from (plain
    text) and ``skipped`` names the aligners that could not be compared, with the reason."""

    pair: PairLinks
    origin: str
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def views(self) -> list[str]:
        return list(self.pair.alignments)


def in_use_name(record: ProjectionRecord) -> str:
    """``in use (eflomal grow-diag-final-and)``: the records' own links, named after their aligner."""
    align = (record.provenance.get("stages") or {}).get("align") or {}
    name = str(align.get("name") or "aligner")
    symmetrisation = (align.get("params") or {}).get("symmetrisation")
    return f"in use ({name} {symmetrisation})" if symmetrisation else f"in use ({name})"


def example_manifest(folder: Path = EXAMPLE_DIR) -> dict[str, dict]:
    """The built-in example's manifest entries by data set name (empty when the example is missing)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(entry["name"]): entry for entry in manifest.get("datasets", []) if "name" in entry}


def example_comparison(dataset: Dataset, folder: Path = EXAMPLE_DIR) -> tuple[dict[str, PairLinks], dict[str, str]]:
    """The precomputed comparison of a built-in example data set and its skipped aligners (empty otherwise)."""
    if dataset.source != EXAMPLE_SOURCE:
        return {}, {}
    entry = example_manifest(folder).get(dataset.name)
    if not entry or not entry.get("aligners"):
        return {}, {}
    return read_comparison(folder / entry["aligners"]), dict(entry.get("aligners_skipped") or {})


def _fits(pair: PairLinks, record: ProjectionRecord) -> bool:
    """Whether a stored comparison belongs to this record: links inside its sentences, its links among the views."""
    n_src, n_tgt = len(record.source.tokens), len(record.target.tokens)
    links = [link for alignment in pair.alignments.values() for link in alignment.links]
    inside = all(0 <= i < n_src and 0 <= j < n_tgt for i, j in links)
    own = sorted(record.alignment.links)
    return inside and any(sorted(alignment.links) == own for alignment in pair.alignments.values())


def sentence_pair(record: ProjectionRecord, corpus: PairLinks | None = None) -> PairLinks:
    """The records' links and the surface aligner's on this sentence, plus eflomal's views of ``corpus``."""
    in_use = in_use_name(record)
    surface = SurfaceAligner().align_pair(record.source.tokens, record.target.tokens)
    alignments = {in_use: Alignment(list(record.alignment.links), record.alignment.scores), "surface": surface}
    if corpus is not None:
        alignments.update({name: links for name, links in corpus.alignments.items() if name.startswith("eflomal:")})
    return PairLinks(alignments, [in_use, "surface"])


def sentence_comparison(
    dataset: Dataset,
    record: ProjectionRecord,
    *,
    stored: Mapping[str, PairLinks],
    skipped: Mapping[str, str],
    corpus: Mapping[str, PairLinks] | None = None,
) -> SentenceComparison:
    """The comparison shown for ``record``: the stored one where it belongs to it, else one made now."""
    found = stored.get(record.id)
    if found is not None and _fits(found, record):
        return SentenceComparison(found, "precomputed with the built-in example", dict(skipped))
    eflomal = None if corpus is None else corpus.get(record.id)
    origin = "the records' links and the surface aligner, on this sentence"
    if eflomal is not None:
        origin += "; eflomal's views from a new run over this data set (no priors, so they may differ a little)"
    return SentenceComparison(sentence_pair(record, eflomal), origin, {})


def corpus_views(records: Sequence[ProjectionRecord]) -> dict[str, PairLinks]:
    """eflomal's directions and symmetrisations from one run over every sentence pair of ``records``, by id."""
    if not records:
        raise ProjectionError("There are no sentence pairs to align.")
    comparison = compare_aligners(
        [record.source.tokens for record in records], [record.target.tokens for record in records]
    )
    return {record.id: pair for record, pair in zip(records, comparison.pairs, strict=True)}


def _scores(alignment: Alignment) -> dict[Link, float]:
    if alignment.scores is None:
        return {}
    return dict(zip(alignment.links, alignment.scores, strict=True))


def overlay_links(
    pair: PairLinks, views: Sequence[str], src_tokens: Sequence[str], tgt_tokens: Sequence[str]
) -> list[OverlayLink]:
    """Every link of the chosen ``views``, with how many aligners agree and, on hover, which views have it and
    their scores."""
    chosen = [name for name in views if name in pair.alignments]
    links = sorted({link for name in chosen for link in pair.alignments[name].links})
    scores = {name: _scores(pair.alignments[name]) for name in pair.alignments}
    found = []
    for i, j in links:
        if not (0 <= i < len(src_tokens) and 0 <= j < len(tgt_tokens)):
            continue
        agreement = pair.agreement((i, j))
        lines = [
            f"{chart_text(src_tokens[i])} ↔ {chart_text(tgt_tokens[j])}",
            f"{agreement} of {len(pair.voters)} aligners agree",
        ]
        for name in pair.proposed_by((i, j)):
            score = scores[name].get((i, j))
            lines.append(chart_text(name) + ("" if score is None else f": score {score:.2f}"))
        found.append(OverlayLink(i, j, agreement, len(pair.voters), "<br>".join(lines)))
    return found


def view_rows(comparison: SentenceComparison, links: Sequence[Link]) -> list[dict[str, object]]:
    """One row per view: its links, how many it shares with ``links`` (those on the chart), whether it votes."""
    shown = set(links)
    rows = []
    for name, alignment in comparison.pair.alignments.items():
        own = set(alignment.links)
        rows.append(
            {
                "aligner view": name,
                "links": len(own),
                "shared with the chart's links": len(own & shown),
                "only in this view": len(own - shown),
                "counts in agreement": "yes" if name in comparison.pair.voters else "no",
                "scores": "yes" if alignment.scores is not None else "no",
            }
        )
    return rows


def edit_towards(view: Alignment, original: Alignment) -> LinkEdit:
    """The link edit that turns the aligner's ``original`` links into ``view``'s."""
    target, given = set(view.links), set(original.links)
    return LinkEdit(tuple(sorted(target - given)), tuple(sorted(given - target)))
