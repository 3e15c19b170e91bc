from __future__ import annotations

from projection.detokenize import detokenize


def test_punctuation_attaches_to_its_neighbour() -> None:
    tokens = "Sao Paulo ( Brasil ) , 23 may ( EFECOM ) .".split()
    assert detokenize(tokens) == "Sao Paulo (Brasil), 23 may (EFECOM)."


def test_spanish_opening_marks_and_quotes() -> None:
    assert detokenize('¿ Dónde está " La Moncloa " ?'.split()) == '¿Dónde está "La Moncloa"?'


def test_english_clitics_and_plain_words() -> None:
    assert detokenize(["It", "is", "n't", "John", "'s", "car", "!"]) == "It isn't John's car!"
    assert detokenize(["Habari", "za", "asubuhi"]) == "Habari za asubuhi"


def test_scripts_without_spaces_join_directly() -> None:
    assert detokenize(["北", "京", "欢", "迎", "你"], "zh") == "北京欢迎你"
