"""The bitext's other side served as its translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.fileio import read_lines
from projection.translators import translators


def test_other_side_of_a_real_bitext_is_returned_in_order(shared_data: Path) -> None:
    pair = shared_data / "mafand" / "en-swa"
    english, swahili = read_lines(pair / "dev.en")[:5], read_lines(pair / "dev.swa")[:5]
    translator = translators.create("parallel", targets=swahili, src_lang="en", tgt_lang="sw")
    assert translator.whole_corpus
    assert translator.translate(english) == swahili
    assert translator.translate(english) == swahili  # stateless: a second run gets the same lines


def test_length_mismatch_is_a_user_error() -> None:
    translator = translators.create("parallel", targets=["Habari", "Asante"], src_lang="en", tgt_lang="sw")
    with pytest.raises(ProjectionError, match=r"other side has 2 sentences but the input has 3"):
        translator.translate(["Hello", "Thanks", "Bye"])
    with pytest.raises(ProjectionError, match=r"other side has 2 sentences but the input has 1 sentences"):
        translator.translate(["Hello"])


def test_without_a_bitext_the_error_says_what_to_give() -> None:
    with pytest.raises(ProjectionError, match="needs the other side of a bitext"):
        translators.create("parallel", src_lang="en", tgt_lang="sw")
