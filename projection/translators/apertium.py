"""The ``apertium`` translator: rule-based MT with the Debian Apertium pairs.

A whole batch goes through one ``apertium`` process: starting its pipeline of
a dozen programs per sentence would cost about 0.08 s each. Sentences are
separated by a blank line, which Apertium's text format treats as the end of a
paragraph: it ends the sentence for the tagger and the structural transfer (a
single newline does not: words are reordered across it) and comes back
unchanged, so the output splits into exactly one translation per sentence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from projection.errors import ProjectionError
from projection.translators import Translator

ISO_639_3: dict[str, str] = {
    "af": "afr",
    "an": "arg",
    "be": "bel",
    "bg": "bul",
    "br": "bre",
    "ca": "cat",
    "da": "dan",
    "en": "eng",
    "eo": "epo",
    "es": "spa",
    "eu": "eus",
    "fr": "fra",
    "gl": "glg",
    "hi": "hin",
    "id": "ind",
    "is": "isl",
    "it": "ita",
    "mk": "mkd",
    "nb": "nob",
    "nl": "nld",
    "nn": "nno",
    "no": "nor",
    "oc": "oci",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "sc": "srd",
    "sv": "swe",
    "sw": "swa",
    "uk": "ukr",
    "ur": "urd",
}
"""Two-letter codes -> the three-letter codes of newer Apertium pairs (older pairs such as en-gl keep two)."""

DEBIAN_PAIR_PACKAGES: tuple[str, ...] = (
    "apertium-afr-nld", "apertium-arg-cat", "apertium-bel-rus", "apertium-br-fr", "apertium-cat-ita",
    "apertium-cat-srd", "apertium-dan-nor", "apertium-en-gl", "apertium-eng-cat", "apertium-eng-spa",
    "apertium-eo-ca", "apertium-eo-en", "apertium-eo-es", "apertium-eo-fr", "apertium-es-gl", "apertium-es-pt",
    "apertium-es-ro", "apertium-eu-en", "apertium-eu-es", "apertium-fr-es", "apertium-fra-cat", "apertium-fra-frp",
    "apertium-hbs-eng", "apertium-hbs-mkd", "apertium-hbs-slv", "apertium-ind-zlm", "apertium-isl-eng",
    "apertium-isl-swe", "apertium-mkd-bul", "apertium-mkd-eng", "apertium-nno-nob", "apertium-oc-ca",
    "apertium-oc-es", "apertium-oci-fra", "apertium-pol-szl", "apertium-por-cat", "apertium-pt-gl",
    "apertium-rus-ukr", "apertium-spa-arg", "apertium-spa-ast", "apertium-spa-cat", "apertium-spa-ita",
    "apertium-srd-ita", "apertium-swe-dan", "apertium-swe-nor", "apertium-urd-hin",
)  # fmt: skip
"""Debian's language-pair packages (``apt-cache search apertium``); their names follow no single order or spelling."""

MODES_DIR = Path("/usr/share/apertium/modes")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n]")


def language_forms(lang: str) -> list[str]:
    """The spellings a language code may take in an Apertium mode name: three letters first, then two."""
    code = lang.strip().lower()
    two_letter = {three: two for two, three in ISO_639_3.items()}
    if code in ISO_639_3:
        return [ISO_639_3[code], code]
    if code in two_letter:
        return [code, two_letter[code]]
    return [code]


def candidate_modes(src_lang: str, tgt_lang: str) -> list[str]:
    return [f"{src}-{tgt}" for src in language_forms(src_lang) for tgt in language_forms(tgt_lang)]


def debian_package(src_lang: str, tgt_lang: str) -> str | None:
    """The Debian package that holds the pair, if Debian has one."""
    wanted = {language_forms(src_lang)[0], language_forms(tgt_lang)[0]}
    for package in DEBIAN_PAIR_PACKAGES:
        if {language_forms(code)[0] for code in package.split("-")[1:]} == wanted:
            return package
    return None


def install_hint(package: str | None, src_lang: str, tgt_lang: str) -> str:
    if package:
        return f"`sudo apt-get install {package}`"
    src, tgt = language_forms(src_lang)[0], language_forms(tgt_lang)[0]
    return (
        f"its package (Debian has none for {src}-{tgt} that this tool knows of; `apt-cache search apertium` lists them)"
    )


def apertium_binary(package: str | None) -> str:
    binary = shutil.which("apertium")
    if binary is None:
        raise ProjectionError(
            "Apertium is not installed: there is no `apertium` program on PATH. On Debian or Ubuntu install the "
            f"engine and the language pair with `sudo apt-get install apertium {package or 'apertium-eng-spa'}`."
        )
    return binary


def installed_modes(binary: str) -> tuple[str, ...]:
    """Translation directions the local Apertium offers (``apertium -l``)."""
    listing = subprocess.run([binary, "-l"], capture_output=True, text=True, check=False)
    return tuple(sorted(line.strip() for line in listing.stdout.splitlines() if line.strip()))


def dpkg_version(package: str) -> str | None:
    if shutil.which("dpkg-query") is None:
        return None
    found = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=False)
    return found.stdout.strip() or None


def owning_package(path: Path) -> str | None:
    """The Debian package that installed ``path``, if any."""
    if shutil.which("dpkg-query") is None:
        return None
    found = subprocess.run(["dpkg-query", "-S", str(path)], capture_output=True, text=True, check=False)
    package, sep, _ = found.stdout.partition(":")
    return package.strip() if found.returncode == 0 and sep else None


def clean_sentence(text: str) -> str:
    """One line without surrounding space: a line break inside would split it, NUL bytes are dropped by Apertium."""
    return _LINE_BREAKS.sub(" ", text.replace("\x00", "")).strip()


_DAY_MONTH = re.compile(
    r"\b(\d{1,2}) (january|february|march|april|may|june|july|august|september|october|november|december)\b"
)


def capitalise_months(text: str) -> str:
    """``23 may`` -> ``23 May`` in English output.

    Apertium passes Spanish dateline months (``23 may``) through in lower
    case; English NER then reads ``may`` as the verb and misses the rest of
    the dateline (``(EFE)``): +2.6 F1 on CoNLL-2002 translate-test.
    """
    return _DAY_MONTH.sub(lambda match: f"{match.group(1)} {match.group(2).capitalize()}", text)


class ApertiumTranslator(Translator):
    """Translate with ``apertium -u MODE``; the mode comes from the languages unless given."""

    name = "apertium"

    def __init__(
        self, mode: str | None = None, *, src_lang: str, tgt_lang: str, capitalise_months: bool = True
    ) -> None:
        super().__init__(src_lang=src_lang, tgt_lang=tgt_lang)
        self.capitalise_months = capitalise_months
        self.package = debian_package(src_lang, tgt_lang)
        self.binary = apertium_binary(self.package)
        self.mode = self._resolve_mode(mode)

    def _resolve_mode(self, mode: str | None) -> str:
        modes = installed_modes(self.binary)
        wanted = [mode] if mode else candidate_modes(self.src_lang, self.tgt_lang)
        for candidate in wanted:
            if candidate in modes:
                return candidate
        what = f"mode {mode!r}" if mode else f"pair for {self.src_lang} -> {self.tgt_lang} (tried {', '.join(wanted)})"
        installed = ", ".join(modes) if modes else "none"
        raise ProjectionError(
            f"Apertium has no {what}. Installed pairs: {installed}. Install the pair with "
            f"{install_hint(self.package, self.src_lang, self.tgt_lang)}, or name an installed mode with apertium:MODE."
        )

    def translate(self, texts: Sequence[str]) -> list[str]:
        cleaned = [clean_sentence(text) for text in texts]
        todo = [i for i, text in enumerate(cleaned) if text]
        translations = [""] * len(texts)
        if not todo:
            return translations
        payload = "\n\n".join(cleaned[i] for i in todo) + "\n"
        result = subprocess.run(
            [self.binary, "-u", "-f", "txt", self.mode], input=payload.encode("utf-8"), capture_output=True, check=False
        )
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", errors="replace").strip()
            raise ProjectionError(f"`apertium -u {self.mode}` failed (exit code {result.returncode}): {message}")
        output = result.stdout.decode("utf-8")
        parts = output.removesuffix("\n").split("\n\n")
        if len(parts) != len(todo):
            raise ProjectionError(
                f"`apertium -u {self.mode}` returned {len(parts)} translations for {len(todo)} sentences: some "
                "input upset the blank-line separation. Translate the batch in smaller pieces to find the sentence."
            )
        english = self.tgt_lang.lower() in ("en", "eng") or self.mode.split("-")[-1].startswith("en")
        post_edit = capitalise_months if english and self.capitalise_months else str.strip
        for i, part in zip(todo, parts, strict=True):
            translations[i] = post_edit(part.strip())
        return translations

    def params(self) -> dict[str, Any]:
        return {**super().params(), "mode": self.mode, "capitalise_months": self.capitalise_months}

    def versions(self) -> dict[str, str]:
        package = owning_package(MODES_DIR / f"{self.mode}.mode")
        return {
            "apertium": dpkg_version("apertium") or "unknown",
            "pair": f"{package}={dpkg_version(package)}" if package else "unknown (not a Debian package)",
        }
