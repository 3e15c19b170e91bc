"""AWESoME-style alignment over a tiny random BERT, checked against a direct re-computation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tiny_models

from projection.aligners import aligners
from projection.aligners.awesome import AwesomeAligner
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
    """Real en-swa sentence pairs (whitespace split) from the MAFAND dev split."""
    english = (shared_data / "mafand" / "en-swa" / "dev.en").read_text(encoding="utf-8").splitlines()
    swahili = (shared_data / "mafand" / "en-swa" / "dev.swa").read_text(encoding="utf-8").splitlines()
    found = [(e.split(), s.split()) for e, s in zip(english, swahili, strict=True) if 3 <= len(e.split()) <= 20]
    return found[20:28]


def direct_links(model_dir: str, src: list[str], tgt: list[str], threshold: float) -> list[tuple[int, int]]:
    """The method written out for one pair: layer vectors, dot products, softmax both ways, both > threshold."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    vectors, words = [], []
    for sentence in (src, tgt):
        encoding = tokenizer(sentence, is_split_into_words=True, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**encoding, output_hidden_states=True).hidden_states[LAYER][0, 1:-1]
        vectors.append(hidden)
        words.append([word for word in encoding.word_ids() if word is not None])
    scores = vectors[0] @ vectors[1].T
    keep = (torch.softmax(scores, dim=1) > threshold) & (torch.softmax(scores, dim=0) > threshold)
    return sorted({(words[0][a], words[1][b]) for a, b in keep.nonzero().tolist()})


@pytest.mark.parametrize("threshold", [0.001, 0.1])
def test_links_match_the_method_computed_directly(bert_dir: str, pairs: list, threshold: float) -> None:
    aligner = AwesomeAligner(bert_dir, layer=LAYER, threshold=threshold)
    ours = aligner.align([p[0] for p in pairs], [p[1] for p in pairs])
    assert [alignment.links for alignment in ours] == [direct_links(bert_dir, s, t, threshold) for s, t in pairs]


def test_links_in_range_and_the_matrix_explains_them(bert_dir: str, pairs: list) -> None:
    aligner = AwesomeAligner(bert_dir, layer=LAYER, threshold=0.1)
    src, tgt = [p[0] for p in pairs], [p[1] for p in pairs]
    for alignment, s, t in zip(aligner.align(src, tgt), src, tgt, strict=True):
        assert alignment.similarity.shape == (len(s), len(t))
        assert alignment.similarity.dtype == np.float32
        assert alignment.similarity.min() >= 0.0 and alignment.similarity.max() <= 1.0
        assert all(0 <= i < len(s) and 0 <= j < len(t) for i, j in alignment.links)
        # documented: a word pair is linked exactly when its cell exceeds the threshold
        assert alignment.links == [tuple(map(int, cell)) for cell in np.argwhere(alignment.similarity > 0.1)]


def test_a_higher_threshold_keeps_a_subset(bert_dir: str, pairs: list) -> None:
    src, tgt = [p[0] for p in pairs], [p[1] for p in pairs]
    loose = AwesomeAligner(bert_dir, layer=LAYER, threshold=0.001).align(src, tgt)
    strict = AwesomeAligner(bert_dir, layer=LAYER, threshold=0.2).align(src, tgt)
    assert all(set(b.links) <= set(a.links) for a, b in zip(loose, strict, strict=True))
    assert sum(map(len, strict)) < sum(map(len, loose))


def test_batched_equals_one_pair_at_a_time(bert_dir: str, pairs: list) -> None:
    aligner = AwesomeAligner(bert_dir, layer=LAYER, threshold=0.05, batch_size=3)
    batched = aligner.align([p[0] for p in pairs], [p[1] for p in pairs])
    single = [aligner.align([s], [t])[0] for s, t in pairs]
    assert [a.links for a in batched] == [a.links for a in single]
    for a, b in zip(batched, single, strict=True):
        np.testing.assert_allclose(a.similarity, b.similarity, atol=1e-5)


def test_long_sentence_is_aligned_past_the_model_limit(bert_dir: str, shared_data: Path) -> None:
    pair = shared_data / "mafand" / "en-swa"
    long_src = " ".join((pair / "dev.en").read_text(encoding="utf-8").splitlines()[:10]).split()
    long_tgt = " ".join((pair / "dev.swa").read_text(encoding="utf-8").splitlines()[:10]).split()
    assert len(long_src) > 128
    (alignment,) = AwesomeAligner(bert_dir, layer=LAYER).align([long_src], [long_tgt])
    assert alignment.similarity.shape == (len(long_src), len(long_tgt))
    assert max(i for i, _ in alignment.links) >= 128 and max(j for _, j in alignment.links) >= 128


def test_registry_defaults_and_bad_threshold(bert_dir: str) -> None:
    aligner = aligners.create(f"awesome:{bert_dir}", layer=LAYER)
    assert isinstance(aligner, AwesomeAligner)
    assert aligner.params() == {"model": bert_dir, "layer": LAYER, "threshold": 0.001}
    assert AwesomeAligner().params() == {"model": "bert-base-multilingual-cased", "layer": 8, "threshold": 0.001}
    with pytest.raises(ProjectionError, match="threshold"):
        AwesomeAligner(bert_dir, threshold=1.5)
