"""Language codes: the ISO 639 codes data sets use -> the codes translation models expect.

This is the one table of languages: word splitting, translation models and
reports name a language through it. NLLB-200 names a language by ISO 639-3
code plus script (``swh_Latn``); M2M100 and spaCy mostly by ISO 639-1
(``sw``). The table covers every language of XTREME PAN-X (40) and
MasakhaNER 2.0 (20), and a few more; any code of a listed language
(639-1, 639-3, a common alternative such as ``swh`` or ``per``, or the NLLB
code itself) finds it. Two MasakhaNER languages, Ghomálá' (bbj) and Nigerian
Pidgin (pcm), are not among NLLB-200's languages: asking for their NLLB code
is an error that says so, rather than a silent stand-in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from projection.errors import ProjectionError


@dataclass(frozen=True, slots=True)
class Language:
    """One language: its ISO codes, English name and NLLB-200 code (None when NLLB-200 lacks it)."""

    iso3: str
    iso1: str | None
    name: str
    nllb: str | None
    aliases: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        """ISO 639-1 where the language has a two-letter code, else ISO 639-3: how spaCy and M2M100 name it."""
        return self.iso1 or self.iso3

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code that names this language."""
        own = (self.iso3, self.iso1, self.nllb, *self.aliases)
        return tuple(code for code in own if code)


LANGUAGES: tuple[Language, ...] = (
    # XTREME PAN-X
    Language("afr", "af", "Afrikaans", "afr_Latn"),
    Language("ara", "ar", "Arabic", "arb_Arab", ("arb",)),
    Language("bul", "bg", "Bulgarian", "bul_Cyrl"),
    Language("ben", "bn", "Bengali", "ben_Beng"),
    Language("deu", "de", "German", "deu_Latn", ("ger",)),
    Language("ell", "el", "Greek", "ell_Grek", ("gre",)),
    Language("eng", "en", "English", "eng_Latn"),
    Language("spa", "es", "Spanish", "spa_Latn"),
    Language("est", "et", "Estonian", "est_Latn", ("ekk",)),
    Language("eus", "eu", "Basque", "eus_Latn", ("baq",)),
    Language("fas", "fa", "Persian", "pes_Arab", ("per", "pes")),
    Language("fin", "fi", "Finnish", "fin_Latn"),
    Language("fra", "fr", "French", "fra_Latn", ("fre",)),
    Language("heb", "he", "Hebrew", "heb_Hebr"),
    Language("hin", "hi", "Hindi", "hin_Deva"),
    Language("hun", "hu", "Hungarian", "hun_Latn"),
    Language("ind", "id", "Indonesian", "ind_Latn"),
    Language("ita", "it", "Italian", "ita_Latn"),
    Language("jpn", "ja", "Japanese", "jpn_Jpan"),
    Language("jav", "jv", "Javanese", "jav_Latn"),
    Language("kat", "ka", "Georgian", "kat_Geor", ("geo",)),
    Language("kaz", "kk", "Kazakh", "kaz_Cyrl"),
    Language("kor", "ko", "Korean", "kor_Hang"),
    Language("mal", "ml", "Malayalam", "mal_Mlym"),
    Language("mar", "mr", "Marathi", "mar_Deva"),
    Language("msa", "ms", "Malay", "zsm_Latn", ("may", "zsm")),
    Language("mya", "my", "Burmese", "mya_Mymr", ("bur",)),
    Language("nld", "nl", "Dutch", "nld_Latn", ("dut",)),
    Language("por", "pt", "Portuguese", "por_Latn"),
    Language("rus", "ru", "Russian", "rus_Cyrl"),
    Language("swa", "sw", "Swahili", "swh_Latn", ("swh",)),
    Language("tam", "ta", "Tamil", "tam_Taml"),
    Language("tel", "te", "Telugu", "tel_Telu"),
    Language("tha", "th", "Thai", "tha_Thai"),
    Language("tgl", "tl", "Tagalog", "tgl_Latn", ("fil",)),
    Language("tur", "tr", "Turkish", "tur_Latn"),
    Language("urd", "ur", "Urdu", "urd_Arab"),
    Language("vie", "vi", "Vietnamese", "vie_Latn"),
    Language("yor", "yo", "Yorùbá", "yor_Latn"),
    Language("zho", "zh", "Chinese (simplified)", "zho_Hans", ("chi", "cmn")),
    # MasakhaNER 2.0 (Swahili and Yorùbá are listed above)
    Language("bam", "bm", "Bambara", "bam_Latn"),
    Language("bbj", None, "Ghomálá'", None),
    Language("ewe", "ee", "Ewe", "ewe_Latn"),
    Language("fon", None, "Fon", "fon_Latn"),
    Language("hau", "ha", "Hausa", "hau_Latn"),
    Language("ibo", "ig", "Igbo", "ibo_Latn"),
    Language("kin", "rw", "Kinyarwanda", "kin_Latn"),
    Language("lug", "lg", "Luganda", "lug_Latn"),
    Language("luo", None, "Dholuo", "luo_Latn"),
    Language("mos", None, "Mossi", "mos_Latn"),
    Language("nya", "ny", "Chichewa", "nya_Latn"),
    Language("pcm", None, "Nigerian Pidgin", None),
    Language("sna", "sn", "chiShona", "sna_Latn"),
    Language("tsn", "tn", "Setswana", "tsn_Latn"),
    Language("twi", "tw", "Twi", "twi_Latn"),
    Language("wol", "wo", "Wolof", "wol_Latn"),
    Language("xho", "xh", "isiXhosa", "xho_Latn"),
    Language("zul", "zu", "isiZulu", "zul_Latn"),
    # Further languages with a spaCy tokenizer or a character split, and Apertium's (Catalan, Galician)
    Language("amh", "am", "Amharic", "amh_Ethi"),
    Language("cat", "ca", "Catalan", "cat_Latn"),
    Language("ces", "cs", "Czech", "ces_Latn", ("cze",)),
    Language("dan", "da", "Danish", "dan_Latn"),
    Language("gle", "ga", "Irish", "gle_Latn"),
    Language("glg", "gl", "Galician", "glg_Latn"),
    Language("hrv", "hr", "Croatian", "hrv_Latn"),
    Language("khm", "km", "Khmer", "khm_Khmr"),
    Language("lao", "lo", "Lao", "lao_Laoo"),
    Language("lav", "lv", "Latvian", "lvs_Latn", ("lvs",)),
    Language("lin", "ln", "Lingala", "lin_Latn"),
    Language("lit", "lt", "Lithuanian", "lit_Latn"),
    Language("pol", "pl", "Polish", "pol_Latn"),
    Language("ron", "ro", "Romanian", "ron_Latn", ("rum",)),
    Language("som", "so", "Somali", "som_Latn"),
    Language("swe", "sv", "Swedish", "swe_Latn"),
    Language("ukr", "uk", "Ukrainian", "ukr_Cyrl"),
)

_BY_CODE: dict[str, Language] = {code.lower(): language for language in LANGUAGES for code in language.codes}
_NLLB_CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")


def find_language(code: str) -> Language | None:
    """The language a code names (case-insensitive; a region such as ``pt-BR`` is ignored), or None."""
    normalised = code.strip().lower()
    return _BY_CODE.get(normalised) or _BY_CODE.get(re.split(r"[-_]", normalised)[0])


def nllb_code(code: str) -> str:
    """The NLLB-200 code for ``code``; an NLLB-style code (``xxx_Xxxx``) is returned unchanged."""
    if _NLLB_CODE.match(code.strip()):
        return code.strip()
    language = find_language(code)
    if language is None:
        raise ProjectionError(
            f"No NLLB-200 language code is known for {code!r}. Give the NLLB code itself as the language "
            "(for example swh_Latn), or set it in the profile's translator options as src_code / tgt_code "
            "(options: {translator: {src_code: eng_Latn, tgt_code: swh_Latn}}). Known languages: "
            f"{known_languages()}."
        )
    if language.nllb is None:
        raise ProjectionError(
            f"NLLB-200 has no language code for {language.name} ({code!r}): it is not one of its 200 languages. "
            "If a related language is an acceptable stand-in, set its code explicitly in the profile's "
            "translator options as src_code / tgt_code (for example tgt_code: eng_Latn), knowing that the "
            "translation is then into that language."
        )
    return language.nllb


def m2m100_code(code: str) -> str:
    """The code M2M100-style models use: ISO 639-1 where the language has one, else ISO 639-3."""
    language = find_language(code)
    return code.strip() if language is None else language.short


def known_languages() -> str:
    """``"afr (af), ara (ar), ..."``: the table, for error messages."""
    return ", ".join(f"{language.iso3} ({language.iso1})" if language.iso1 else language.iso3 for language in LANGUAGES)
