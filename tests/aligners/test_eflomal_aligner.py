"""eflomal behind the Aligner interface: corpus-level alignment, edge cases, options, real data."""

from __future__ import annotations

import logging
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import pytest

from projection.aligners import aligners
from projection.aligners.eflomal_aligner import EflomalAligner, load_extra_bitext, pieces
from projection.errors import ProjectionError

LEXICON = {
    "dog": "mbwa",
    "cat": "paka",
    "house": "nyumba",
    "water": "maji",
    "tree": "mti",
    "child": "mtoto",
    "book": "kitabu",
    "road": "njia",
    "car": "gari",
    "bird": "ndege",
}


def mirrored_corpus(n: int, seed: int = 1) -> tuple[list[list[str]], list[list[str]]]:
    """Sentences of 3-6 distinct words; each translation is word-for-word in reverse order.

    Word k of a source sentence of n words therefore belongs with target word n-1-k.
    """
    rng = random.Random(seed)
    src, tgt = [], []
    for _ in range(n):
        words = rng.sample(sorted(LEXICON), rng.randint(3, 6))
        src.append(words)
        tgt.append([LEXICON[w] for w in reversed(words)])
    return src, tgt


def share_of_mirrored_links(src: list[list[str]], alignments: list) -> float:
    expected = {(k, i, len(s) - 1 - i) for k, s in enumerate(src) for i in range(len(s))}
    found = {(k, i, j) for k, a in enumerate(alignments) for i, j in a.links}
    return len(expected & found) / len(expected)


def test_learns_a_reordered_lexicon_from_the_whole_batch() -> None:
    src, tgt = mirrored_corpus(150)
    alignments = EflomalAligner().align(src, tgt)
    assert len(alignments) == len(src)
    assert share_of_mirrored_links(src, alignments) > 0.95


def test_extra_bitext_gives_statistics_but_is_not_returned() -> None:
    extra_src, extra_tgt = mirrored_corpus(150, seed=2)
    src = [["dog", "tree", "car", "bird"]]
    tgt = [["ndege", "gari", "mti", "mbwa"]]
    aligner = EflomalAligner(extra_bitext=list(zip(extra_src, extra_tgt, strict=True)))
    alignments = aligner.align(src, tgt)
    assert len(alignments) == 1
    assert sorted(alignments[0].links) == [(0, 3), (1, 2), (2, 1), (3, 0)]


def test_extra_bitext_from_files(tmp_path: Path) -> None:
    extra_src, extra_tgt = mirrored_corpus(150, seed=3)
    (tmp_path / "extra.en").write_text("\n".join(" ".join(s) for s in extra_src) + "\n", encoding="utf-8")
    (tmp_path / "extra.sw").write_text("\n".join(" ".join(t) for t in extra_tgt) + "\n", encoding="utf-8")
    pairs = load_extra_bitext([(str(tmp_path / "extra.en"), tmp_path / "extra.sw")])
    assert pairs[0] == (extra_src[0], extra_tgt[0]) and len(pairs) == 150
    aligner = EflomalAligner("intersection", extra_bitext=[[str(tmp_path / "extra.en"), str(tmp_path / "extra.sw")]])
    alignments = aligner.align([["water", "child"]], [["mtoto", "maji"]])
    assert sorted(alignments[0].links) == [(0, 1), (1, 0)]
    assert aligner.params()["extra_bitext"]["pairs"] == 150


def test_extra_bitext_files_of_unequal_length_name_both_counts(tmp_path: Path) -> None:
    (tmp_path / "a.en").write_text("one\ntwo\nthree\n", encoding="utf-8")
    (tmp_path / "a.sw").write_text("moja\nmbili\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match=r"3 lines.*2"):
        EflomalAligner(extra_bitext=[(tmp_path / "a.en", tmp_path / "a.sw")])


def test_extra_bitext_entry_mixing_a_file_and_tokens_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="mixes a file name"):
        EflomalAligner(extra_bitext=[(str(tmp_path / "a.en"), ["moja"])])
    with pytest.raises(ProjectionError, match="File not found"):
        EflomalAligner(extra_bitext=[(str(tmp_path / "missing.en"), str(tmp_path / "missing.sw"))])


def test_extra_bitext_changes_the_identity_used_for_caching() -> None:
    plain = EflomalAligner().identity()
    with_extra = EflomalAligner(extra_bitext=[(["a"], ["b"])]).identity()
    other_extra = EflomalAligner(extra_bitext=[(["a"], ["c"])]).identity()
    assert plain["params"]["extra_bitext"] is None
    assert with_extra["params"]["extra_bitext"] != other_extra["params"]["extra_bitext"]


def test_one_sentence_and_empty_sentences_do_not_crash() -> None:
    aligner = EflomalAligner()
    one = aligner.align([["Nairobi", "2021"]], [["Nairobi", "2021"]])
    assert len(one) == 1 and all(0 <= i < 2 and 0 <= j < 2 for i, j in one[0].links)
    mixed = aligner.align([["a", "b"], [], ["c"], []], [["x", "y"], ["z"], [], []])
    assert len(mixed) == 4
    assert mixed[1].links == [] and mixed[2].links == [] and mixed[3].links == []
    assert all(0 <= i < 2 and 0 <= j < 2 for i, j in mixed[0].links)
    assert aligner.align([], []) == []
    assert [a.links for a in aligner.align([[], []], [["x"], []])] == [[], []]


def test_links_stay_inside_each_sentence() -> None:
    src, tgt = mirrored_corpus(60, seed=4)
    tgt[5] = tgt[5][:1]
    for s, t, alignment in zip(src, tgt, EflomalAligner("union").align(src, tgt), strict=True):
        assert all(0 <= i < len(s) and 0 <= j < len(t) for i, j in alignment.links)


def test_forward_and_reverse_directions_are_both_in_source_target_order() -> None:
    src, tgt = mirrored_corpus(150, seed=5)
    forward, reverse = EflomalAligner().align_directions(src, tgt)
    for links in (forward, reverse):
        assert all(0 <= i < len(s) and 0 <= j < len(t) for s, t, ls in zip(src, tgt, links, strict=True) for i, j in ls)
    # forward links each target word to one source word; reverse links each source word to one target word
    assert all(len({j for _, j in ls}) == len(ls) for ls in forward)
    assert all(len({i for i, _ in ls}) == len(ls) for ls in reverse)


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    EflomalAligner().align([["a", "b"]], [["x", "y"]])
    assert [list(folder.iterdir()) for folder in tmp_path.iterdir()] == [[]]


def test_a_killed_runs_folder_is_removed_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    scratch = tmp_path / f"projection-{os.getuid()}"
    script = (
        "import os, signal, tempfile\n"
        f"tempfile.tempdir = {str(tmp_path)!r}\n"
        "from projection.aligners import eflomal_aligner\n"
        "def killed(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "eflomal_aligner.EflomalAligner._read_links = killed\n"
        "import eflomal.cython\n"
        "eflomal.cython.align = killed\n"
        "eflomal_aligner.EflomalAligner().align([['a', 'b']], [['x', 'y']])\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL
    (left,) = scratch.iterdir()
    assert left.name.startswith("eflomal-") and (left / "src").is_file()
    running = scratch / f"eflomal-{os.getpid()}-busy"  # a live run's folder stays
    running.mkdir()
    EflomalAligner().align([["a", "b"]], [["x", "y"]])
    assert list(scratch.iterdir()) == [running]


def test_a_sentence_over_eflomals_limit_is_aligned_in_pieces(caplog: pytest.LogCaptureFixture) -> None:
    src, tgt = mirrored_corpus(700, seed=11)
    long_src = [token for sentence in src for token in sentence][:2500]
    long_tgt = [token for sentence in tgt for token in sentence][:2500]
    with caplog.at_level(logging.WARNING):
        alignment = EflomalAligner().align([*src, long_src], [*tgt, long_tgt])[-1]
    assert "1 sentence pair(s) longer than eflomal's 1023-token limit" in caplog.text
    assert len(alignment.links) > 1000  # eflomal alone gives a pair this long no link at all
    assert max(i for i, _ in alignment.links) > 2000 and max(j for _, j in alignment.links) > 2000
    assert all(0 <= i < 2500 and 0 <= j < 2500 for i, j in alignment.links)


def test_pieces_are_proportional_and_within_the_limit() -> None:
    assert pieces(10, 12) == [(0, 10, 0, 12)]
    cuts = pieces(2500, 2000, limit=1023)
    assert len(cuts) == 3
    assert cuts[0][0] == 0 and cuts[-1][1] == 2500 and cuts[0][2] == 0 and cuts[-1][3] == 2000
    assert all(b - a <= 1023 and d - c <= 1023 for a, b, c, d in cuts)
    assert all(cuts[k][1] == cuts[k + 1][0] and cuts[k][3] == cuts[k + 1][2] for k in range(2))


def test_bad_input_and_options_are_user_errors() -> None:
    with pytest.raises(ProjectionError, match="2 source sentences with 1 target"):
        EflomalAligner().align([["a"], ["b"]], [["x"]])
    with pytest.raises(ProjectionError, match="Unknown symmetrisation"):
        EflomalAligner("grow")
    with pytest.raises(ProjectionError, match="model"):
        EflomalAligner(model=4)
    with pytest.raises(ProjectionError, match="n_samplers"):
        EflomalAligner(n_samplers=0)


def test_registry_spec_argument_is_the_symmetrisation() -> None:
    aligner = aligners.create("eflomal:union", lowercase=False)
    assert isinstance(aligner, EflomalAligner)
    assert aligner.params()["symmetrisation"] == "union" and aligner.params()["lowercase"] is False
    assert aligners.create("eflomal").params()["symmetrisation"] == "grow-diag-final-and"
    assert aligner.versions() == {"eflomal": metadata.version("eflomal")}


WORD = re.compile(r"\w+|[^\w\s]")


def anchored_pairs(src: list[list[str]], tgt: list[list[str]]) -> list[set[tuple[int, int]]]:
    """Per pair, the positions of capitalised or numeric words that occur exactly once on each side."""
    anchors = []
    for s, t in zip(src, tgt, strict=True):
        shared = {w for w in set(s) & set(t) if len(w) > 1 and (w[0].isupper() or any(c.isdigit() for c in w))}
        anchors.append({(s.index(w), t.index(w)) for w in shared if s.count(w) == 1 and t.count(w) == 1})
    return anchors


@pytest.mark.slow
def test_identical_names_and_numbers_get_linked_on_real_mafand_pairs(shared_data: Path) -> None:
    root = shared_data / "mafand" / "en-swa"
    english = (root / "train.en").read_text(encoding="utf-8").split("\n")[:300]
    swahili = (root / "train.swa").read_text(encoding="utf-8").split("\n")[:300]
    src = [WORD.findall(line) for line in english]
    tgt = [WORD.findall(line) for line in swahili]
    anchors = anchored_pairs(src, tgt)
    n_anchors = sum(map(len, anchors))
    assert n_anchors > 200

    def linked_share(aligner: EflomalAligner) -> float:
        alignments = aligner.align(src, tgt)
        return sum(len(a & set(al.links)) for a, al in zip(anchors, alignments, strict=True)) / n_anchors

    assert linked_share(EflomalAligner()) > 0.8
    assert linked_share(EflomalAligner(identical_prior=1.0)) > 0.95
