"""SimAlign over a tiny random BERT built from MAFAND text, checked against the simalign package itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tiny_models

from projection.aligners import aligners
from projection.aligners.simalign_aligner import SimAlignAligner, argmax_links, itermax_links, match_links
from projection.errors import ProjectionError

LAYER = 3


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> str:
    return str(tiny_models.build_tiny_bert(tmp_path_factory.mktemp("bert"), tiny_models.mafand_lines(shared_data)))


@pytest.fixture(scope="module")
def pairs(shared_data: Path) -> list[tuple[list[str], list[str]]]:
    """Short real en-swa sentence pairs (whitespace split) from the MAFAND test split."""
    english = (shared_data / "mafand" / "en-swa" / "test.en").read_text(encoding="utf-8").splitlines()
    swahili = (shared_data / "mafand" / "en-swa" / "test.swa").read_text(encoding="utf-8").splitlines()
    found = [(e.split(), s.split()) for e, s in zip(english, swahili, strict=True) if 3 <= len(e.split()) <= 18]
    return found[:8]


def test_argmax_keeps_mutual_best_cells() -> None:
    similarity = np.array([[0.9, 0.8, 0.1], [0.85, 0.2, 0.1], [0.1, 0.1, 0.7]])
    assert {tuple(map(int, cell)) for cell in np.argwhere(argmax_links(similarity))} == {(0, 0), (2, 2)}


def test_itermax_adds_links_for_words_left_unaligned() -> None:
    # Round 2 down-weights pairs with one aligned side by 0.9: row 1 now prefers column 0 (0.85 * 0.9) and
    # column 0 prefers row 1 (row 0 is aligned on both sides, weight 0); likewise (0, 1).
    similarity = np.array([[0.9, 0.8, 0.1], [0.85, 0.2, 0.1], [0.1, 0.1, 0.7]])
    links = {tuple(map(int, cell)) for cell in np.argwhere(itermax_links(similarity))}
    assert links == {(0, 0), (2, 2), (1, 0), (0, 1)}


def test_match_is_the_one_to_one_matching_of_highest_total() -> None:
    similarity = np.array([[0.9, 0.8, 0.1], [0.85, 0.2, 0.1], [0.1, 0.1, 0.7]])
    # 0.8 + 0.85 + 0.7 beats the diagonal 0.9 + 0.2 + 0.7.
    assert {tuple(map(int, cell)) for cell in np.argwhere(match_links(similarity))} == {(0, 1), (1, 0), (2, 2)}


def test_links_in_range_and_word_level_matrix(bert_dir: str, pairs: list) -> None:
    src, tgt = [p[0] for p in pairs], [p[1] for p in pairs]
    for alignment, s, t in zip(SimAlignAligner(bert_dir, layer=LAYER).align(src, tgt), src, tgt, strict=True):
        assert alignment.links
        assert all(0 <= i < len(s) and 0 <= j < len(t) for i, j in alignment.links)
        assert alignment.similarity.shape == (len(s), len(t))
        assert alignment.similarity.dtype == np.float32
        assert alignment.similarity.min() >= -1e-6 and alignment.similarity.max() <= 1.0 + 1e-6  # (cos + 1) / 2
        assert alignment.scores == [pytest.approx(float(alignment.similarity[i, j])) for i, j in alignment.links]


@pytest.mark.parametrize(("method", "level"), [("itermax", "subword"), ("match", "subword"), ("argmax", "word")])
def test_batched_equals_one_pair_at_a_time(bert_dir: str, pairs: list, method: str, level: str) -> None:
    aligner = SimAlignAligner(bert_dir, method=method, level=level, layer=LAYER, batch_size=5)
    src, tgt = [p[0] for p in pairs], [p[1] for p in pairs]
    batched = aligner.align(src, tgt)
    single = [aligner.align([s], [t])[0] for s, t in pairs]
    assert [a.links for a in batched] == [a.links for a in single]
    for a, b in zip(batched, single, strict=True):
        np.testing.assert_allclose(a.similarity, b.similarity, atol=1e-5)


@pytest.mark.parametrize(("method", "key"), [("itermax", "itermax"), ("argmax", "inter"), ("match", "mwmf")])
@pytest.mark.parametrize(("level", "token_type"), [("subword", "bpe"), ("word", "word")])
def test_same_links_as_the_simalign_package(
    bert_dir: str, pairs: list, method: str, key: str, level: str, token_type: str
) -> None:
    simalign = pytest.importorskip("simalign")
    reference = simalign.SentenceAligner(
        model=bert_dir, token_type=token_type, matching_methods="mai", layer=LAYER, device="cpu"
    )
    ours = SimAlignAligner(bert_dir, method=method, level=level, layer=LAYER).align(
        [p[0] for p in pairs], [p[1] for p in pairs]
    )
    expected = [reference.get_word_aligns(s, t)[key] for s, t in pairs]
    assert [alignment.links for alignment in ours] == expected


def test_sentence_longer_than_the_model_limit_is_aligned_to_its_end(bert_dir: str, shared_data: Path) -> None:
    # The tiny BERT has 128 positions. A sentence aligned with itself lines up word for word (same word,
    # same context, same vector) - also past the limit, because long sentences are cut into windows.
    # (Running text, not a repeated one: two identical windows would tie.)
    english = (shared_data / "mafand" / "en-swa" / "dev.en").read_text(encoding="utf-8").splitlines()
    long_sentence = " ".join(english[:12]).split()
    assert len(long_sentence) > 200
    aligner = SimAlignAligner(bert_dir, method="argmax", layer=LAYER)
    (alignment,) = aligner.align([long_sentence], [long_sentence])
    assert alignment.links == [(i, i) for i in range(len(long_sentence))]


def test_empty_side_gets_no_links(bert_dir: str, pairs: list) -> None:
    src, tgt = pairs[0]
    empty_tgt, full = SimAlignAligner(bert_dir, layer=LAYER).align([src, src], [[], tgt])
    assert empty_tgt.links == [] and empty_tgt.similarity.shape == (len(src), 0)
    assert full.links


def test_registry_spec_and_options(bert_dir: str) -> None:
    aligner = aligners.create(f"simalign:{bert_dir}", method="mwmf", level="bpe", layer=LAYER)
    assert isinstance(aligner, SimAlignAligner)
    assert aligner.params() == {"model": bert_dir, "layer": LAYER, "method": "match", "level": "subword"}
    assert aligner.versions()["model"] == bert_dir and aligner.versions()["fingerprint"]


def test_bad_options_and_too_deep_layer(bert_dir: str, pairs: list) -> None:
    with pytest.raises(ProjectionError, match="method"):
        SimAlignAligner(bert_dir, method="best")
    with pytest.raises(ProjectionError, match="level"):
        SimAlignAligner(bert_dir, level="character")
    with pytest.raises(ProjectionError, match="has only 4 layers"):
        SimAlignAligner(bert_dir, layer=8).align([pairs[0][0]], [pairs[0][1]])
