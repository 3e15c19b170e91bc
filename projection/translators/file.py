"""The ``file`` translator: precomputed translations, one per line of a UTF-8 file.

Lets translations made elsewhere (another MT system, a human) enter the
pipeline; line N is the translation of input sentence N.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from projection.errors import ProjectionError
from projection.fileio import read_lines
from projection.translators.parallel import ParallelTranslator


class FileTranslator(ParallelTranslator):
    """Serve the lines of ``path`` as the translations of the whole input."""

    name = "file"

    def __init__(self, path: str | os.PathLike[str] | None = None, *, src_lang: str, tgt_lang: str) -> None:
        if path is None:
            raise ProjectionError(
                "The 'file' translator needs a file of translations, one per line: write it as file:PATH "
                "(e.g. --translator file:translations.en)."
            )
        self.path = Path(path)
        super().__init__(read_lines(self.path), src_lang=src_lang, tgt_lang=tgt_lang)

    @property
    def source_description(self) -> str:
        return f"{self.path} has {len(self.targets)} lines"

    def params(self) -> dict[str, Any]:
        return {**super().params(), "path": str(self.path)}
