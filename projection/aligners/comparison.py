"""Every available aligner on the same sentence pairs, so that their links can be compared link by link.

For each pair the comparison holds one link set per aligner view:

- eflomal's two directions and three symmetrisations (``eflomal:forward``,
  ``eflomal:reverse``, ``eflomal:intersection``, ``eflomal:union``,
  ``eflomal:grow-diag-final-and``), all from one eflomal run, so that they
  are consistent with each other;
- the surface aligner (``surface``: identical or prefix-sharing words);
- SimAlign and AWESoME over every encoder that can be loaded
  (``simalign:MODEL``, ``awesome:MODEL``); an encoder that is missing is
  listed in :attr:`AlignerComparison.skipped` with the reason.

Scores are kept where the aligner has them: the surface aligner's word
similarity, SimAlign's similarity and AWESoME's probability (each with the
whole word x word matrix). eflomal has no per-link score or posterior to
give: it reports one score per sentence pair only.

Agreement counts, for each link, the *aligners* that propose it. eflomal's
five views come from one model, so eflomal counts once, with the view in use
(grow-diag-final-and by default); each other aligner counts once.

Stored form (:func:`write_comparison`, :func:`read_comparison`): gzipped
JSON lines, one per sentence pair::

    {"id": "ex-11", "src_tokens": [...], "tgt_tokens": [...],
     "voters": ["eflomal:grow-diag-final-and", "surface"],
     "alignments": {"eflomal:forward": {"links": [[i, j], ...], "scores": null, "similarity": null}, ...},
     "agreement": [[i, j, n], ...]}

``alignments`` maps each view to an alignment in the records' own form
(:meth:`projection.data.Alignment.to_dict`); ``agreement`` lists every link
of any view with the number ``n`` of ``voters`` proposing it (0 for a link
only a non-voting view has, such as eflomal's union beyond the view in use).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projection.aligners import Aligner, aligners
from projection.aligners.eflomal_aligner import DEFAULT_SYMMETRISATION, EflomalAligner
from projection.aligners.surface import SurfaceAligner
from projection.aligners.symmetrisation import Link, check_method, symmetrise
from projection.data import Alignment
from projection.errors import ProjectionError
from projection.fileio import atomic_write

EFLOMAL_VIEWS = ("forward", "reverse", "intersection", "union", "grow-diag-final-and")


@dataclass
class PairLinks:
    """One sentence pair under every aligner view, and which aligners (``voters``) propose each link."""

    alignments: dict[str, Alignment]
    voters: list[str]

    def links(self) -> list[Link]:
        """Every link of any view, sorted."""
        return sorted({link for alignment in self.alignments.values() for link in alignment.links})

    def agreement(self, link: Link) -> int:
        """How many aligners propose ``link``."""
        return sum(link in set(self.alignments[name].links) for name in self.voters)

    def proposed_by(self, link: Link) -> list[str]:
        """Every view that has ``link``."""
        return [name for name, alignment in self.alignments.items() if link in set(alignment.links)]

    def to_dict(self) -> dict[str, Any]:
        voting = [set(self.alignments[name].links) for name in self.voters]
        return {
            "voters": list(self.voters),
            "alignments": {name: alignment.to_dict() for name, alignment in self.alignments.items()},
            "agreement": [[i, j, sum((i, j) in links for links in voting)] for i, j in self.links()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PairLinks:
        alignments = {str(name): Alignment.from_dict(value) for name, value in data["alignments"].items()}
        return cls(alignments, [str(name) for name in data["voters"]])


@dataclass
class AlignerComparison:
    """Every aligner view of a batch of pairs, in display order, and the aligners that could not run."""

    names: list[str]
    voters: list[str]
    pairs: list[PairLinks]
    skipped: dict[str, str] = field(default_factory=dict)


def model_present(model: str) -> bool:
    """Whether an encoder is on this machine (a directory, or a Hub id in the local cache), asking no network."""
    if Path(model).expanduser().is_dir():
        return True
    try:
        from huggingface_hub import try_to_load_from_cache

        return isinstance(try_to_load_from_cache(model, "config.json"), str)
    except (ImportError, ValueError):  # no hub library, or a name that is not a Hub id
        return False


def encoder_name(aligner: Aligner) -> str:
    """``simalign:MODEL`` for an encoder aligner (its spec), else the aligner's name."""
    model = getattr(aligner, "model_name", None)
    return aligner.name if model is None else f"{aligner.name}:{model}"


def compare_aligners(
    src: Sequence[Sequence[str]],
    tgt: Sequence[Sequence[str]],
    *,
    eflomal: EflomalAligner | None = None,
    in_use: str = DEFAULT_SYMMETRISATION,
    surface: SurfaceAligner | None = None,
    encoders: Sequence[Aligner | str] = (),
) -> AlignerComparison:
    """Links of every aligner view for each pair ``src[k]`` / ``tgt[k]``.

    ``eflomal`` (default: eflomal with its defaults) runs once over the whole
    batch, which it learns from; its view ``in_use`` is the one that votes.
    ``encoders`` are SimAlign / AWESoME aligners or their specs
    (``simalign:/models/mbert``); one whose model cannot be loaded is skipped
    and its reason kept.
    """
    if len(src) != len(tgt):
        raise ProjectionError(f"Cannot compare aligners on {len(src)} source and {len(tgt)} target sentences.")
    in_use = check_method(in_use)
    if in_use not in EFLOMAL_VIEWS:
        raise ProjectionError(f"The eflomal view in use must be one of {', '.join(EFLOMAL_VIEWS)}, not {in_use!r}.")
    views: dict[str, list[Alignment]] = {}
    forward, reverse = (eflomal or EflomalAligner()).align_directions(src, tgt)
    for view in EFLOMAL_VIEWS:
        views[f"eflomal:{view}"] = [Alignment(symmetrise(f, r, view)) for f, r in zip(forward, reverse, strict=True)]
    views["surface"] = (surface or SurfaceAligner()).align(src, tgt)
    skipped: dict[str, str] = {}
    for encoder in encoders:
        name = encoder if isinstance(encoder, str) else encoder_name(encoder)
        try:
            built = aligners.create(encoder) if isinstance(encoder, str) else encoder
            views[name] = built.align(src, tgt)
        except ProjectionError as err:
            skipped[name] = str(err)
    voters = [f"eflomal:{in_use}", *(name for name in views if not name.startswith("eflomal:"))]
    names = list(views)
    pairs = [PairLinks({name: views[name][k] for name in names}, voters) for k in range(len(src))]
    return AlignerComparison(names, voters, pairs, skipped)


def write_comparison(
    path: Path,
    ids: Sequence[str],
    src: Sequence[Sequence[str]],
    tgt: Sequence[Sequence[str]],
    pairs: Sequence[PairLinks],
) -> None:
    """The comparison as gzipped JSON lines (the form in the module docstring), reproducibly compressed."""
    lines = []
    for sentence_id, src_tokens, tgt_tokens, pair in zip(ids, src, tgt, pairs, strict=True):
        row = {"id": str(sentence_id), "src_tokens": list(src_tokens), "tgt_tokens": list(tgt_tokens), **pair.to_dict()}
        for alignment in row["alignments"].values():
            if alignment["scores"] is not None:
                alignment["scores"] = [round(score, 3) for score in alignment["scores"]]
            if alignment["similarity"] is not None:
                alignment["similarity"] = [[round(value, 3) for value in line] for line in alignment["similarity"]]
        lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def read_comparison(path: Path) -> dict[str, PairLinks]:
    """A stored comparison, by sentence id."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        return {str(row["id"]): PairLinks.from_dict(row) for row in rows}
    except (OSError, EOFError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise ProjectionError(f"{path} is not a readable aligner comparison ({type(err).__name__}: {err}).") from None
