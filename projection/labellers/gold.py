"""The ``gold`` labeller: a sentence's own annotated spans.

Makes gold labels a labeller like any other, so a projection method can be
judged on perfect source entities, apart from NER errors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from projection.data import Sentence, Span
from projection.labellers import Labeller


class GoldLabeller(Labeller):
    """Return each sentence's spans; a label map applies only when one is given."""

    name = "gold"

    def __init__(self, *, label_map: Mapping[str, str] | None = None) -> None:
        super().__init__(label_map=label_map)
        self.maps_labels = label_map is not None

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        return [[span for span in map(self._relabel, sentence.spans) if span is not None] for sentence in sentences]

    def _relabel(self, span: Span) -> Span | None:
        label = self.map_label(span.label) if self.maps_labels else span.label
        if label is None:
            return None
        return replace(span, label=label, origin=span.origin or "gold")

    def params(self) -> dict[str, Any]:
        return {"label_map": dict(sorted(self.label_map.items())) if self.maps_labels else None}
