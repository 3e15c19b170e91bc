"""The Apertium translator against the real Debian pairs (and a stand-in program for failure paths)."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.readers.conll import read_conll
from projection.translators import translators
from projection.translators.apertium import ApertiumTranslator, candidate_modes, capitalise_months, debian_package

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="`apertium` is not on PATH (apt-get install apertium apertium-eng-spa)"
)


def translate_alone(texts: list[str], mode: str = "spa-eng") -> list[str]:
    """The reference: each sentence in its own apertium process (started together, to keep the test fast),
    with the translator's documented English post-edit applied."""
    runs = [
        subprocess.Popen(["apertium", "-u", mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in texts
    ]
    outputs = [run.communicate(text + "\n")[0].strip() for run, text in zip(runs, texts, strict=True)]
    return [capitalise_months(text) for text in outputs] if mode.endswith("eng") else outputs


@pytest.fixture(scope="module")
def spa_eng() -> ApertiumTranslator:
    if shutil.which("apertium") is None:
        pytest.skip("`apertium` is not on PATH (apt-get install apertium apertium-eng-spa)")
    return ApertiumTranslator(src_lang="es", tgt_lang="en")


def fake_apertium(directory: Path, body: str) -> None:
    """Put a stand-in `apertium` first on PATH: it lists spa-eng for -l and runs ``body`` otherwise."""
    script = directory / "apertium"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then echo spa-eng; exit 0; fi\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_language_codes_map_to_installed_mode_names() -> None:
    assert candidate_modes("es", "en")[0] == "spa-eng"
    assert "gl-en" in candidate_modes("gl", "en")
    assert "eng-cat" in candidate_modes("eng", "ca")
    assert debian_package("en", "es") == "apertium-eng-spa"
    assert debian_package("gl", "en") == "apertium-en-gl"
    assert debian_package("sw", "en") is None


@needs_apertium
def test_real_spanish_sentences_translate_in_one_batch(shared_data: Path, spa_eng: ApertiumTranslator) -> None:
    sentences = read_conll(shared_data / "conll2002" / "esp.testa", "es")[:8]
    texts = [sentence.text for sentence in sentences]
    translations = spa_eng.translate(texts)
    assert len(translations) == len(texts)
    assert "Brazil" in translations[0]  # "Sao Paulo ( Brasil ) , ..." -- the dictionary translates the country
    assert "Telefónica" in translations[2]
    assert translations[:4] == translate_alone(texts[:4])


@needs_apertium
def test_sentences_without_final_punctuation_do_not_leak_into_each_other(spa_eng: ApertiumTranslator) -> None:
    # Separated by single newlines, Apertium moves "roja" (red) across the line break: "I saw the red / house".
    texts = ["Vi la casa", "roja es bonita", "El perro", "grande come"]
    assert spa_eng.translate(texts) == translate_alone(texts)


@needs_apertium
def test_markup_and_apertium_special_characters_survive(spa_eng: ApertiumTranslator) -> None:
    texts = [
        "La casa [ roja ] está",
        "* Sevilla # @ hola",
        "^ $ / < > { } \\ |",
        '[<s id="3">] Madrid',
        "&amp; <b>negrita</b>",
        "¿ Qué ?",
        "...",
    ]
    translations = spa_eng.translate(texts)
    assert translations == translate_alone(texts)
    assert "[ red ]" in translations[0]
    assert translations[1].startswith("* Seville # @")


@needs_apertium
def test_empty_and_degenerate_sentences_keep_their_place(spa_eng: ApertiumTranslator) -> None:
    texts = ["", "Hola", "   ", "¿", "Juan\nPérez\r\nvive en Madrid", "¡", "Adiós\x00"]
    translations = spa_eng.translate(texts)
    assert len(translations) == len(texts)
    assert translations[0] == translations[2] == ""
    references = translate_alone(["Hola", "Juan Pérez vive en Madrid", "Adiós"])
    assert [translations[1], translations[4], translations[6]] == references
    assert spa_eng.translate([]) == []
    assert spa_eng.translate(["", " "]) == ["", ""]


@needs_apertium
@needs_apertium
def test_registry_builds_the_translator_with_an_explicit_mode() -> None:
    """Only the pair that setup installs (apertium-eng-spa) is used: its modes are spa-eng, spa-eng_US, eng-spa."""
    translator = translators.create("apertium:spa-eng_US", src_lang="es", tgt_lang="en")
    assert translator.mode == "spa-eng_US"
    assert translators.create("apertium", src_lang="es", tgt_lang="en").mode == "spa-eng"
    assert translators.create("apertium", src_lang="en", tgt_lang="spa").mode == "eng-spa"


@needs_apertium
def test_versions_name_the_installed_debian_package(spa_eng: ApertiumTranslator) -> None:
    installed = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "apertium-eng-spa"], capture_output=True, text=True, check=True
    ).stdout
    assert spa_eng.versions()["pair"] == f"apertium-eng-spa={installed}"
    assert spa_eng.identity()["params"]["mode"] == "spa-eng"


@needs_apertium
def test_missing_pair_lists_installed_pairs_and_the_package() -> None:
    with pytest.raises(ProjectionError) as known:
        ApertiumTranslator(src_lang="es", tgt_lang="ca")
    message = str(known.value)
    assert "es -> ca" in message
    assert "spa-eng" in message  # an installed pair is listed
    assert "apt-get install apertium-spa-cat" in message
    with pytest.raises(ProjectionError, match=r"Installed pairs: .*spa-eng.*apt-cache search apertium"):
        ApertiumTranslator(src_lang="sw", tgt_lang="en")
    with pytest.raises(ProjectionError, match="no mode 'spa-xyz'"):
        ApertiumTranslator("spa-xyz", src_lang="es", tgt_lang="en")


def test_missing_apertium_program_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ProjectionError, match=r"apt-get install apertium apertium-eng-spa"):
        ApertiumTranslator(src_lang="es", tgt_lang="en")


def test_lost_separator_is_reported_not_misaligned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_apertium(tmp_path, "tr -s '\\n'")  # squeezes blank lines away, as a broken pipeline might
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    translator = ApertiumTranslator(src_lang="es", tgt_lang="en")
    with pytest.raises(ProjectionError, match="returned 1 translations for 3 sentences"):
        translator.translate(["uno", "dos", "tres"])


def test_failing_apertium_reports_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_apertium(tmp_path, "echo 'Error: mode file is broken' >&2; exit 3")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    translator = ApertiumTranslator(src_lang="es", tgt_lang="en")
    with pytest.raises(ProjectionError, match=r"exit code 3.*mode file is broken"):
        translator.translate(["uno"])


def test_dateline_months_are_capitalised_but_the_verb_is_not() -> None:
    assert capitalise_months("Madrid, 23 may (EFE).") == "Madrid, 23 May (EFE)."
    assert capitalise_months("He may come on 2 june") == "He may come on 2 June"
