"""Every aligner on the same pairs: eflomal's views from one run, surface, SimAlign/AWESoME where a model loads."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import tiny_models

from projection.aligners.awesome import AwesomeAligner
from projection.aligners.comparison import EFLOMAL_VIEWS, PairLinks, compare_aligners, read_comparison, write_comparison
from projection.aligners.simalign_aligner import SimAlignAligner
from projection.data import Alignment
from projection.errors import ProjectionError

LEXICON = {"dog": "mbwa", "cat": "paka", "house": "nyumba", "water": "maji", "tree": "mti", "child": "mtoto"}


def corpus(n: int = 80, seed: int = 1) -> tuple[list[list[str]], list[list[str]]]:
    """Word-for-word translations in reverse order; a name starts each source and so ends each target."""
    rng = random.Random(seed)
    src, tgt = [], []
    for _ in range(n):
        words = rng.sample(sorted(LEXICON), rng.randint(2, 5))
        src.append(["Nairobi", *words])
        tgt.append([LEXICON[w] for w in reversed(words)] + ["Nairobi"])
    return src, tgt


def test_eflomal_views_come_from_one_run_and_are_consistent() -> None:
    src, tgt = corpus()
    comparison = compare_aligners(src, tgt)
    assert comparison.names == [*(f"eflomal:{view}" for view in EFLOMAL_VIEWS), "surface"]
    assert comparison.voters == ["eflomal:grow-diag-final-and", "surface"]
    assert comparison.skipped == {}
    for pair in comparison.pairs:
        forward = set(pair.alignments["eflomal:forward"].links)
        reverse = set(pair.alignments["eflomal:reverse"].links)
        assert set(pair.alignments["eflomal:intersection"].links) == forward & reverse
        assert set(pair.alignments["eflomal:union"].links) == forward | reverse
        assert forward & reverse <= set(pair.alignments["eflomal:grow-diag-final-and"].links) <= forward | reverse
        assert all(pair.alignments[name].scores is None for name in comparison.names if name.startswith("eflomal"))


def test_agreement_counts_aligners_not_views() -> None:
    src, tgt = corpus()
    comparison = compare_aligners(src, tgt, in_use="intersection")
    shared = 0
    for pair, words in zip(comparison.pairs, src, strict=True):
        name_link = (0, len(words) - 1)  # Nairobi -> Nairobi: the only word the surface aligner links
        assert pair.alignments["surface"].links == [name_link] and pair.alignments["surface"].scores == [1.0]
        in_use = set(pair.alignments["eflomal:intersection"].links)
        for link in pair.links():
            expected = (link in in_use) + (link == name_link)
            assert pair.agreement(link) == expected, "eflomal's other views do not vote"
        if name_link in in_use:
            shared += 1
            assert set(pair.proposed_by(name_link)) >= {"eflomal:forward", "eflomal:intersection", "surface"}
    assert shared > len(src) / 2, "eflomal links the name in most pairs, so both aligners agree there"


def test_unknown_view_in_use_is_refused() -> None:
    with pytest.raises(ProjectionError, match="grow-diag-final-and"):
        compare_aligners([["a"]], [["b"]], in_use="grow-diag")
    with pytest.raises(ProjectionError, match="2 source and 1 target"):
        compare_aligners([["a"], ["b"]], [["c"]])


def test_stored_comparison_reads_back(tmp_path: Path) -> None:
    src, tgt = corpus(30)
    comparison = compare_aligners(src, tgt)
    ids = [f"s-{k}" for k in range(len(src))]
    write_comparison(tmp_path / "aligners.jsonl.gz", ids, src, tgt, comparison.pairs)
    stored = read_comparison(tmp_path / "aligners.jsonl.gz")
    assert list(stored) == ids
    for sentence_id, pair in zip(ids, comparison.pairs, strict=True):
        assert stored[sentence_id].voters == pair.voters
        assert {name: a.links for name, a in stored[sentence_id].alignments.items()} == {
            name: a.links for name, a in pair.alignments.items()
        }
        row = pair.to_dict()
        assert row["agreement"] == [[i, j, pair.agreement((i, j))] for i, j in pair.links()]
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip")
    with pytest.raises(ProjectionError, match="not a readable aligner comparison"):
        read_comparison(tmp_path / "broken.jsonl.gz")


def test_pair_links_round_trip_keeps_scores_and_similarity() -> None:
    similarity = np.array([[0.9, 0.1], [0.2, 0.8]], dtype=np.float32)
    pair = PairLinks({"simalign:m": Alignment([(0, 0), (1, 1)], [0.9, 0.8], similarity)}, ["simalign:m"])
    again = PairLinks.from_dict(pair.to_dict())
    assert again.alignments["simalign:m"].scores == pytest.approx([0.9, 0.8])
    np.testing.assert_allclose(again.alignments["simalign:m"].similarity, similarity)


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> str:
    return str(tiny_models.build_tiny_bert(tmp_path_factory.mktemp("bert"), tiny_models.mafand_lines(shared_data)))


def test_encoder_aligners_join_where_their_model_loads(bert_dir: str, tmp_path: Path) -> None:
    src, tgt = corpus(20)
    missing = str(tmp_path / "no-such-model")
    with tiny_models.one_torch_thread():
        comparison = compare_aligners(
            src,
            tgt,
            encoders=[SimAlignAligner(bert_dir, layer=3), AwesomeAligner(bert_dir, layer=3), f"simalign:{missing}"],
        )
    assert comparison.names[-3:] == ["surface", f"simalign:{bert_dir}", f"awesome:{bert_dir}"]
    assert comparison.voters == [
        "eflomal:grow-diag-final-and",
        "surface",
        f"simalign:{bert_dir}",
        f"awesome:{bert_dir}",
    ]
    assert list(comparison.skipped) == [f"simalign:{missing}"] and missing in comparison.skipped[f"simalign:{missing}"]
    for pair, s, t in zip(comparison.pairs, src, tgt, strict=True):
        simalign = pair.alignments[f"simalign:{bert_dir}"]
        assert simalign.similarity.shape == (len(s), len(t))
        assert simalign.scores == [pytest.approx(float(simalign.similarity[i, j])) for i, j in simalign.links]
        assert all(0 <= pair.agreement(link) <= 4 for link in pair.links())
