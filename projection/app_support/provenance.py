"""Plain words for where a record's two sides came from, read from its provenance."""

from __future__ import annotations

from dataclasses import dataclass

from projection.data import ProjectionRecord

TRANSLATOR_WORDS = {"parallel": "human translation", "file": "given translation", "apertium": "Apertium", "hf": "NMT"}


@dataclass(frozen=True)
class SideTitles:
    source: str
    target: str
    pipeline: str


def stage_name(record: ProjectionRecord, stage: str) -> str | None:
    found = record.provenance.get("stages", {}).get(stage)
    return found.get("name") if isinstance(found, dict) else None


def describe_sides(record: ProjectionRecord) -> SideTitles:
    """Captions for the source and target columns and a one-line pipeline summary."""
    provenance = record.provenance
    direction = provenance.get("direction")
    translator = stage_name(record, "translate")
    labeller = stage_name(record, "label")
    aligner = stage_name(record, "align")
    words = TRANSLATOR_WORDS.get(translator or "", translator or "")
    src, tgt = record.source.lang or "source", record.target.lang or "target"
    entities = "" if not labeller else " · gold entities" if labeller == "gold" else f" · entities by {labeller}"
    if direction == "translate-test":
        source = f"Source · {src} · {words or 'machine'} translation of the target{entities}"
        target = f"Target · {tgt} · original sentence, projected spans"
    else:
        source = f"Source · {src} · original{entities}"
        target = f"Target · {tgt} · {words or 'translation'}, projected spans"
    steps = [direction or "", f"translator {translator}" if translator else "", f"aligner {aligner}" if aligner else ""]
    return SideTitles(source, target, " · ".join(step for step in steps if step))
