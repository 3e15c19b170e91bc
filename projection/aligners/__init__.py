"""Word aligners: tokenised sentence pairs -> links between their words."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

from projection.data import Alignment
from projection.registry import Registry
from projection.stage import Stage


class Aligner(Stage):
    """Align a batch of sentence pairs; ``src[k]`` with ``tgt[k]``."""

    kind = "aligner"

    @abstractmethod
    def align(self, src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]]) -> list[Alignment]: ...


aligners = Registry("aligner")
aligners.register("eflomal", "projection.aligners.eflomal_aligner:EflomalAligner")
aligners.register("simalign", "projection.aligners.simalign_aligner:SimAlignAligner")
aligners.register("awesome", "projection.aligners.awesome:AwesomeAligner")
aligners.register("surface", "projection.aligners.surface:SurfaceAligner")
