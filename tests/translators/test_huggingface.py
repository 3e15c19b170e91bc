"""The Hugging Face translator over tiny random NLLB- and M2M100-style models built from MAFAND text."""

from __future__ import annotations

from pathlib import Path

import pytest
import tiny_models

from projection.errors import ProjectionError
from projection.translators import translators
from projection.translators.huggingface import HuggingFaceTranslator


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def lines(shared_data: Path) -> list[str]:
    return tiny_models.mafand_lines(shared_data)


@pytest.fixture(scope="module")
def nllb_dir(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> str:
    return str(tiny_models.build_tiny_nllb(tmp_path_factory.mktemp("nllb"), lines))


@pytest.fixture(scope="module")
def texts(shared_data: Path) -> list[str]:
    """Real English sentences of different lengths, not in length order."""
    english = (shared_data / "mafand" / "en-swa" / "test.en").read_text(encoding="utf-8").splitlines()
    return [english[3], english[0][:40], english[7], "Kenya", english[12][:80]]


def test_one_translation_per_input_in_the_original_order(nllb_dir: str, texts: list[str]) -> None:
    translator = HuggingFaceTranslator(
        nllb_dir, src_lang="en", tgt_lang="swa", beam_size=2, max_length=12, batch_size=2
    )
    batched = translator.translate(texts)
    single = [translator.translate([text])[0] for text in texts]
    assert len(batched) == len(texts)
    assert len(set(single)) > 1, "the tiny model must tell inputs apart, or order would not show"
    assert batched == single


def test_empty_inputs_stay_empty(nllb_dir: str, texts: list[str]) -> None:
    translator = HuggingFaceTranslator(nllb_dir, src_lang="en", tgt_lang="swa", beam_size=1, max_length=8)
    out = translator.translate(["", texts[0], "   "])
    assert out[0] == "" and out[2] == "" and out[1] == translator.translate([texts[0]])[0]
    assert translator.translate([]) == []


def test_languages_become_nllb_codes_and_the_target_is_forced(nllb_dir: str, texts: list[str]) -> None:
    to_swahili = HuggingFaceTranslator(nllb_dir, src_lang="en", tgt_lang="swa", beam_size=1, max_length=8)
    loaded = to_swahili.translator()
    assert to_swahili.language_codes(loaded.tokenizer) == (
        "eng_Latn",
        loaded.tokenizer.convert_tokens_to_ids("swh_Latn"),
    )
    to_yoruba = HuggingFaceTranslator(nllb_dir, src_lang="en", tgt_lang="yo", beam_size=1, max_length=8)
    assert to_swahili.translate(texts) != to_yoruba.translate(texts)


def test_explicit_codes_and_unmapped_languages(nllb_dir: str) -> None:
    explicit = HuggingFaceTranslator(nllb_dir, src_lang="en", tgt_lang="pcm", tgt_code="eng_Latn")
    tokenizer = explicit.translator().tokenizer
    assert explicit.language_codes(tokenizer) == ("eng_Latn", tokenizer.convert_tokens_to_ids("eng_Latn"))
    with pytest.raises(ProjectionError, match="Nigerian Pidgin"):
        HuggingFaceTranslator(nllb_dir, src_lang="en", tgt_lang="pcm").translate(["Hello"])
    with pytest.raises(ProjectionError, match="no language code 'xyz_Latn'"):
        HuggingFaceTranslator(nllb_dir, src_lang="en", tgt_lang="xyz_Latn").translate(["Hello"])


def test_m2m100_style_models_get_iso_codes(tmp_path: Path, lines: list[str], texts: list[str]) -> None:
    model_dir = str(tiny_models.build_tiny_m2m100(tmp_path / "m2m", lines))
    translator = HuggingFaceTranslator(model_dir, src_lang="eng", tgt_lang="swa", beam_size=1, max_length=10)
    tokenizer = translator.translator().tokenizer
    assert translator.language_codes(tokenizer) == ("en", tokenizer.get_lang_id("sw"))
    out = translator.translate(texts)
    assert len(out) == len(texts)
    assert not any("__" in text for text in out), "language tokens are not text"


def test_checkpoint_without_tokenizer_uses_the_given_one(tmp_path: Path, nllb_dir: str, lines: list[str]) -> None:
    # like ychenNLP/nllb-200-3.3B-easyproject, published without the NLLB tokenizer it was trained with
    checkpoint = str(tiny_models.build_tiny_nllb(tmp_path / "easyproject", lines, seed=1, with_tokenizer=False))
    with pytest.raises(ProjectionError, match="could not be loaded"):
        HuggingFaceTranslator(checkpoint, src_lang="en", tgt_lang="swa").translate(["[ Kenya ] is here"])
    translator = HuggingFaceTranslator(checkpoint, src_lang="en", tgt_lang="swa", tokenizer=nllb_dir, max_length=8)
    assert len(translator.translate(["[ Kenya ] is here", "Hi"])) == 2
    assert translator.versions()["tokenizer"] == nllb_dir


def test_the_easyproject_checkpoint_defaults_to_the_nllb_tokenizer() -> None:
    translator = HuggingFaceTranslator("ychenNLP/nllb-200-3.3B-easyproject", src_lang="en", tgt_lang="swa")
    assert translator.tokenizer_name == "facebook/nllb-200-3.3B"
    assert HuggingFaceTranslator("facebook/nllb-200-3.3B", src_lang="en", tgt_lang="swa").tokenizer_name is None


def test_registry_identity_and_bad_options(nllb_dir: str) -> None:
    translator = translators.create(f"hf:{nllb_dir}", src_lang="en", tgt_lang="swa", beam_size=3)
    assert isinstance(translator, HuggingFaceTranslator)
    identity = translator.identity()
    assert identity["params"]["beam_size"] == 3 and identity["params"]["model"] == nllb_dir
    assert identity["versions"]["model"] == nllb_dir and identity["versions"]["transformers"]
    with pytest.raises(ProjectionError, match="beam_size"):
        HuggingFaceTranslator(nllb_dir, src_lang="en", tgt_lang="swa", beam_size=0)
