"""Model transfer: the target-side model's own spans, under the projector's origin."""

from __future__ import annotations

import pytest

from projection.data import Alignment, Sentence
from projection.errors import ProjectionError
from projection.projectors import projectors


@pytest.mark.slow
def test_french_model_labels_the_target_directly() -> None:
    pytest.importorskip("fr_core_news_sm")
    projector = projectors.create("model-transfer:spacy:fr_core_news_sm")
    source = Sentence("1", "en", ["unused"])
    target = Sentence("1", "fr", ["Emmanuel", "Macron", "a", "visité", "Marseille", "avec", "Angela", "Merkel", "."])
    spans = projector.project([source], [target], [Alignment()])[0]
    assert {(s.start, s.end, s.label) for s in spans} >= {(0, 2, "PER"), (4, 5, "LOC"), (6, 8, "PER")}
    assert all(s.origin == "projected:model-transfer" for s in spans)


def test_model_transfer_needs_a_model() -> None:
    with pytest.raises(ProjectionError, match="model-transfer:spacy"):
        projectors.create("model-transfer")
