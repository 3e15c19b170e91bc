from __future__ import annotations

from projection.fileio import read_lines
from projection.readers.conll import read_conll
from projection.training.overlap import normalise, overlapping


def test_normalise_ignores_case_spacing_and_punctuation():
    assert normalise("Barack Obama , alisema.") == normalise("barack obama, alisema") == "barackobamaalisema"
    assert normalise("Ọ̀ṣun") == normalise("ọ̀ṣun")


def test_overlapping_finds_test_sentences_among_raw_lines():
    test = [["John", "Lewis", "atazikwa", "Alhamisi", "."], ["!"]]
    lines = ["Habari nyingine.", "John Lewis atazikwa Alhamisi.", "!!"]
    assert overlapping(lines, test) == [1]


def test_mafand_test_split_holds_masakhaner_test_sentences_for_luo(shared_data):
    """MasakhaNER 2.0's Dholuo test sentences were drawn from MAFAND's test split: training on it would leak."""
    gold = read_conll(shared_data / "masakhaner2" / "luo" / "test.txt", "luo")
    first = " ".join(gold[0].tokens)
    lines = read_lines(shared_data / "mafand" / "en-luo" / "test.luo")
    found = overlapping(lines, [sentence.tokens for sentence in gold])
    assert any(normalise(lines[k]) == normalise(first) for k in found)
    assert len(found) > len(gold) / 2
