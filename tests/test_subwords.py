"""Pre-split words through a sub-word encoder: windows at the length limit, every word kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tiny_models

from projection.models import load_model
from projection.subwords import encode_words, subword_limit


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def encoder(tmp_path_factory: pytest.TempPathFactory, shared_data: Path):
    lines = tiny_models.mafand_lines(shared_data)
    return load_model(str(tiny_models.build_tiny_bert(tmp_path_factory.mktemp("bert"), lines)), "encoder")


def last_layer(loaded):
    return lambda encoding: loaded.model(**encoding).last_hidden_state


def test_the_limit_is_the_models_positions_less_its_special_tokens(encoder) -> None:
    assert subword_limit(encoder) == 128 - 2  # [CLS] and [SEP]


def test_every_word_gets_rows_in_order_whatever_the_window(encoder, shared_data: Path) -> None:
    english = (shared_data / "mafand" / "en-swa" / "dev.en").read_text(encoding="utf-8").splitlines()
    sentences = [line.split() for line in english[:6]] + [[], ["Kenya", "\u200b", "\x00", "Nairobi"]]
    whole = encode_words(encoder, sentences, last_layer(encoder), batch_size=3)
    longest_word = max(np.bincount(output.word_ids).max() for output in whole if len(output.word_ids))
    windowed = encode_words(encoder, sentences, last_layer(encoder), batch_size=3, max_subwords=int(longest_word))
    for words, a, b in zip(sentences, whole, windowed, strict=True):
        assert np.array_equal(np.unique(a.word_ids), np.arange(len(words)))
        assert np.all(np.diff(a.word_ids) >= 0)
        assert np.array_equal(a.word_ids, b.word_ids)
        assert a.values.shape[0] == len(a.word_ids)
        first = a.first_subword_rows(len(words))
        assert np.all(a.word_ids[first] == np.arange(len(words)))
    # windows change the context each word is encoded in, so the vectors differ
    assert not np.allclose(whole[0].values, windowed[0].values)


def test_a_word_longer_than_the_window_keeps_its_first_sub_words(encoder) -> None:
    long_word = "Wazawawakolombiaweusinajamiizawakulima"
    (output,) = encode_words(encoder, [["a", long_word, "b"]], last_layer(encoder), batch_size=2, max_subwords=3)
    assert output.word_ids.tolist().count(1) == 3
    assert set(output.word_ids.tolist()) == {0, 1, 2}
