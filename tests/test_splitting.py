"""Word splitting of raw text: spaCy tokenizers per language, the character fallback, real MAFAND lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.languages import LANGUAGES, find_language
from projection.splitting import blank_pipeline, language_code, split_words


def mafand_lines(shared_data: Path, name: str, n: int = 300) -> list[str]:
    return (shared_data / "mafand/en-swa" / name).read_text(encoding="utf-8").splitlines()[:n]


@pytest.mark.parametrize(("name", "lang"), [("dev.en", "en"), ("dev.swa", "swa")])
def test_mafand_lines_keep_every_character(shared_data: Path, name: str, lang: str) -> None:
    lines = mafand_lines(shared_data, name)
    words = split_words(lines, lang)
    assert len(words) == len(lines)
    for line, line_words in zip(lines, words, strict=True):
        assert "".join(line_words) == "".join(line.split())
        assert all(word and not any(char.isspace() for char in word) for word in line_words)
        # Sentence-final punctuation becomes a word of its own.
        if line.rstrip()[-1] in ".?!":
            assert line_words[-1] == line.rstrip()[-1]


def test_english_first_mafand_line(shared_data: Path) -> None:
    (line,) = mafand_lines(shared_data, "dev.en", 1)
    assert line == "Screenshot of the video shared by the Cauca's Regional Indigenous Council."
    words = ["Screenshot", "of", "the", "video", "shared", "by", "the", "Cauca", "'s", "Regional", "Indigenous"]
    assert split_words([line], "en") == [[*words, "Council", "."]]


def test_swahili_mafand_lines_split_on_spaces_and_final_stop(shared_data: Path) -> None:
    # Lines of letters, digits and spaces with a final full stop: words are the space-separated parts, then ".".
    lines = [
        line
        for line in mafand_lines(shared_data, "dev.swa")
        if line.endswith(".") and line[:-1].replace(" ", "").isalnum()
    ]
    assert len(lines) >= 20
    assert split_words(lines, "swa") == [[*line[:-1].split(), "."] for line in lines]


def test_chinese_is_split_into_characters_keeping_latin_and_digit_runs() -> None:
    text = "北京是中国的首都。iPhone 15 售价 999 美元"
    assert split_words([text], "zh") == [
        ["北", "京", "是", "中", "国", "的", "首", "都", "。", "iPhone", "15", "售", "价", "999", "美", "元"]
    ]
    assert split_words([text], "zho") == split_words([text], "zh")


def test_japanese_and_thai_use_the_character_fallback() -> None:
    assert split_words(["東京はUSB3.0"], "jpn") == [["東", "京", "は", "USB3", ".", "0"]]
    # Combining marks (tone mark U+0E48, vowel sign U+0E35) stay with their consonant; the leading
    # vowel U+0E44 is a letter of its own.
    assert split_words(["ไม่ ดี"], "th") == [["ไ", "ม่", "ดี"]]


def test_whitespace_and_empty_texts() -> None:
    assert split_words(["  Hello   world \n", "", "   "], "en") == [["Hello", "world"], [], []]
    assert split_words([], "en") == []


@pytest.mark.parametrize(
    ("lang", "code"),
    [("swa", "sw"), ("hau", "ha"), ("yor", "yo"), ("ibo", "ig"), ("zul", "zu"), ("en_US", "en"), ("swh_Latn", "sw"),
     ("pcm", "pcm"), ("ES", "es")],
)  # fmt: skip
def test_language_codes(lang: str, code: str) -> None:
    assert language_code(lang) == code


def test_one_tokenizer_per_language_with_multilingual_fallback() -> None:
    assert blank_pipeline("yo") is blank_pipeline("yo")
    assert blank_pipeline("yo").lang == "yo"
    # spaCy has no Swahili or Hausa, and no Korean without its optional segmenter: all share ``xx``.
    assert blank_pipeline("sw") is blank_pipeline("xx") is blank_pipeline("ha") is blank_pipeline("ko")


def test_splitting_leaves_no_new_words_in_the_vocabulary(shared_data: Path) -> None:
    # Over a long corpus every new word would otherwise stay in spaCy's string store for good.
    lines = (shared_data / "mafand" / "en-swa" / "dev.swa").read_text(encoding="utf-8").splitlines()[:500]
    vocab = blank_pipeline("sw").vocab
    strings_before = len(vocab.strings)
    words = split_words(lines, "swa")
    assert sum(map(len, words)) > 10_000
    assert "Tanzania" in {word for sentence in words for word in sentence}
    assert len(vocab.strings) == strings_before


def test_every_code_resolves_as_the_language_table_says() -> None:
    # One table of languages: the splitting names a language as projection.languages does, whichever of its
    # codes (ISO 639-1, 639-3, an alternative, the NLLB code) the data uses.
    for language in LANGUAGES:
        for code in language.codes:
            assert language_code(code) == (language.iso1 or language.iso3), (language.name, code)


@pytest.mark.parametrize(
    ("lang", "code"),
    [("amh", "am"), ("cat", "ca"), ("ces", "cs"), ("dan", "da"), ("gle", "ga"), ("glg", "gl"), ("hrv", "hr"),
     ("lin", "ln"), ("lit", "lt"), ("lav", "lv"), ("pol", "pl"), ("ron", "ro"), ("som", "so"), ("swe", "sv"),
     ("ukr", "uk"), ("khm", "km"), ("lao", "lo"), ("ben", "bn"), ("per", "fa"), ("tgl", "tl"), ("fil", "tl")],
)  # fmt: skip
def test_languages_of_spacy_tokenizers_are_known_by_their_three_letter_codes(lang: str, code: str) -> None:
    assert language_code(lang) == code
    assert find_language(lang) is not None and find_language(code) is find_language(lang)
