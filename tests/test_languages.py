"""Language codes of the data sets -> NLLB-200 and M2M100 codes."""

from __future__ import annotations

import pytest

from projection.errors import ProjectionError
from projection.languages import LANGUAGES, find_language, m2m100_code, nllb_code

PANX = [
    *("af", "ar", "bg", "bn", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "hu", "id", "it"),
    *("ja", "jv", "ka", "kk", "ko", "ml", "mr", "ms", "my", "nl", "pt", "ru", "sw", "ta", "te", "th", "tl", "tr"),
    *("ur", "vi", "yo", "zh"),
]
MASAKHANER2 = [
    *("bam", "bbj", "ewe", "fon", "hau", "ibo", "kin", "lug", "luo", "mos", "nya", "pcm", "sna", "swa", "tsn"),
    *("twi", "wol", "xho", "yor", "zul"),
]
NOT_IN_NLLB = {"bbj", "pcm"}


@pytest.fixture(scope="module")
def nllb_languages() -> set[str]:
    """NLLB-200's own list of language codes, as transformers ships it."""
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    return set(FAIRSEQ_LANGUAGE_CODES)


def test_the_data_sets_have_their_sizes() -> None:
    assert len(PANX) == 40 and len(MASAKHANER2) == 20


@pytest.mark.parametrize("code", PANX + [code for code in MASAKHANER2 if code not in NOT_IN_NLLB])
def test_every_language_maps_to_a_code_nllb_has(code: str, nllb_languages: set[str]) -> None:
    assert nllb_code(code) in nllb_languages


def test_known_codes() -> None:
    assert nllb_code("swa") == nllb_code("sw") == nllb_code("swh") == "swh_Latn"
    assert nllb_code("yor") == nllb_code("yo") == "yor_Latn"
    assert nllb_code("en") == "eng_Latn" and nllb_code("fa") == "pes_Arab" and nllb_code("ms") == "zsm_Latn"
    assert nllb_code("ar") == "arb_Arab" and nllb_code("zh") == "zho_Hans" and nllb_code("twi") == "twi_Latn"


def test_case_regions_and_nllb_codes_pass_through() -> None:
    assert nllb_code("SWA") == "swh_Latn" and nllb_code("pt-BR") == "por_Latn" and nllb_code("fr_CA") == "fra_Latn"
    assert nllb_code("zho_Hant") == "zho_Hant" and nllb_code(" kin_Latn ") == "kin_Latn"


def test_each_code_names_one_language() -> None:
    codes = [code.lower() for language in LANGUAGES for code in language.codes]
    assert len(codes) == len(set(codes))
    assert {find_language(code).iso3 for code in MASAKHANER2} == set(MASAKHANER2)


@pytest.mark.parametrize(("code", "name"), [("bbj", "Ghomálá'"), ("pcm", "Nigerian Pidgin")])
def test_languages_nllb_lacks_are_an_error_that_says_so(code: str, name: str) -> None:
    with pytest.raises(ProjectionError, match=f"NLLB-200 has no language code for {name}.*src_code / tgt_code"):
        nllb_code(code)


def test_an_unknown_language_says_how_to_pass_a_code() -> None:
    with pytest.raises(ProjectionError, match=r"No NLLB-200 language code is known for 'klingon'.*tgt_code"):
        nllb_code("klingon")


def test_m2m100_codes_are_iso_639_1_where_there_is_one() -> None:
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

    assert m2m100_code("swa") == "sw" and m2m100_code("eng") == "en" and m2m100_code("zul") == "zu"
    assert m2m100_code("luo") == "luo" and m2m100_code("xx") == "xx"
    assert {m2m100_code(code) for code in ("hau", "ibo", "yor", "wol", "xho", "lug", "tsn")} <= set(
        FAIRSEQ_LANGUAGE_CODES["m2m100"]
    )


def test_every_nllb_code_in_the_table_is_one_nllb_has(nllb_languages: set[str]) -> None:
    assert {language.nllb for language in LANGUAGES if language.nllb} <= nllb_languages
