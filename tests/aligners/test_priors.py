"""eflomal priors: learnt once from a bitext of the same pair, cached as plain files, checked before use."""

from __future__ import annotations

import gzip
import json
import pickle
import random
from pathlib import Path

import pytest

from projection.aligners import priors as priors_module
from projection.aligners.eflomal_aligner import EflomalAligner
from projection.aligners.priors import PriorsBitext, read_tables
from projection.aligners.symmetrisation import symmetrise
from projection.errors import ProjectionError
from projection.splitting import split_words

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
SPANISH = {"dog": "perro", "cat": "gato", "house": "casa", "water": "agua", "tree": "árbol"}


def mirrored_lines(n: int, lexicon: dict[str, str], seed: int) -> tuple[list[str], list[str]]:
    """Raw sentence pairs of 3-6 words, each translated word for word in reverse order."""
    rng = random.Random(seed)
    src, tgt = [], []
    for _ in range(n):
        words = rng.sample(sorted(lexicon), rng.randint(3, min(6, len(lexicon))))
        src.append(" ".join(words))
        tgt.append(" ".join(lexicon[word] for word in reversed(words)))
    return src, tgt


def write_bitext(folder: Path, name: str, src_suffix: str, tgt_suffix: str, lines: tuple[list[str], list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.{src_suffix}").write_text("\n".join(lines[0]) + "\n", encoding="utf-8")
    (folder / f"{name}.{tgt_suffix}").write_text("\n".join(lines[1]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def learnt(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how often priors are learnt (each time eflomal runs over a priors bitext)."""
    calls: list[int] = []
    original = priors_module.learn_tables

    def counting(pairs: list, align_directions: object, lowercase: bool) -> str:
        calls.append(len(pairs))
        return original(pairs, align_directions, lowercase)

    monkeypatch.setattr(priors_module, "learn_tables", counting)
    return calls


def test_priors_from_a_bitext_directory_align_a_single_pair_and_are_learnt_once(
    tmp_path: Path, learnt: list[int]
) -> None:
    bitext = write_bitext(tmp_path / "bitext", "train", "en", "swa", mirrored_lines(200, LEXICON, seed=1))
    option = {"bitext": str(bitext), "src_lang": "en", "tgt_lang": "sw"}  # "sw" finds the .swa files
    aligner = EflomalAligner("intersection", priors=option, priors_cache=tmp_path / "cache")
    assert learnt == [], "nothing is learnt before the first alignment"
    (alignment,) = aligner.align([["dog", "tree", "car", "bird"]], [["ndege", "gari", "mti", "mbwa"]])
    assert sorted(alignment.links) == [(0, 3), (1, 2), (2, 1), (3, 0)]
    assert learnt == [200]

    priors_file = aligner.priors_file()
    meta = json.loads(priors_file.with_name(priors_file.name.replace(".priors.gz", ".json")).read_text())
    assert meta["pairs"] == 200 and meta["eflomal"] == priors_module.eflomal_version()
    assert meta["key"] == aligner.priors.key and "read as en-sw" in meta["bitext"]
    lexical = read_tables(priors_file)[0]
    assert ("dog", "mbwa", pytest.approx(max(alpha for s, t, alpha in lexical if s == "dog"))) in lexical

    again = EflomalAligner("intersection", priors=option, priors_cache=tmp_path / "cache")
    (same,) = again.align([["water", "child"]], [["mtoto", "maji"]])
    assert sorted(same.links) == [(0, 1), (1, 0)]
    assert learnt == [200], "a second aligner over the same bitext reads the cached priors"


def test_without_priors_one_pair_cannot_be_aligned_that_well(tmp_path: Path) -> None:
    """The reverse-order pair above is not found by eflomal alone (the priors test is not trivial)."""
    found = [
        sorted(
            EflomalAligner("intersection")
            .align([["dog", "tree", "car", "bird"]], [["ndege", "gari", "mti", "mbwa"]])[0]
            .links
        )
        for _ in range(3)
    ]
    assert any(links != [(0, 3), (1, 2), (2, 1), (3, 0)] for links in found)


def test_priors_change_the_aligner_identity(tmp_path: Path) -> None:
    one = write_bitext(tmp_path / "one", "train", "en", "sw", mirrored_lines(30, LEXICON, seed=1))
    two = write_bitext(tmp_path / "two", "train", "en", "sw", mirrored_lines(30, LEXICON, seed=2))
    plain = EflomalAligner().identity()["params"]["priors"]
    first = EflomalAligner(priors=PriorsBitext(one, "en", "sw")).identity()["params"]["priors"]
    first_again = EflomalAligner(priors=PriorsBitext(one, "en", "sw")).identity()["params"]["priors"]
    second = EflomalAligner(priors=PriorsBitext(two, "en", "sw")).identity()["params"]["priors"]
    assert plain is None and first == first_again and first["sha256"] != second["sha256"]
    lowercase_off = EflomalAligner(priors=PriorsBitext(one, "en", "sw"), lowercase=False)
    assert lowercase_off.priors.key != first["sha256"], "priors learnt with other settings are other priors"


def test_splits_choose_the_parts_of_a_directory(tmp_path: Path) -> None:
    folder = write_bitext(tmp_path / "bitext", "train", "en", "sw", mirrored_lines(30, LEXICON, seed=1))
    write_bitext(folder, "dev", "en", "sw", mirrored_lines(10, LEXICON, seed=2))
    assert [part.name for part in PriorsBitext(folder, "en", "sw").parts()] == ["dev", "train"]
    assert [part.name for part in PriorsBitext(folder, "en", "sw", splits=("train",)).parts()] == ["train"]
    both = EflomalAligner(priors=PriorsBitext(folder, "en", "sw")).priors
    train = EflomalAligner(priors=PriorsBitext(folder, "en", "sw", splits=("train",))).priors
    assert both.key != train.key and len(train.load()) == 30 and len(both.load()) == 40


def test_a_directory_of_another_pair_is_refused_naming_both_pairs(tmp_path: Path) -> None:
    folder = write_bitext(tmp_path / "en-es", "train", "en", "es", mirrored_lines(20, SPANISH, seed=1))
    with pytest.raises(ProjectionError, match=r"not a bitext of en-sw: it holds en-es \(train\)"):
        EflomalAligner(priors={"bitext": str(folder), "src_lang": "en", "tgt_lang": "sw"})
    with pytest.raises(ProjectionError, match="Priors bitext not found"):
        EflomalAligner(priors=PriorsBitext(tmp_path / "missing", "en", "sw"))


def test_a_tsv_of_another_pair_is_refused_when_aligning(tmp_path: Path) -> None:
    src, tgt = mirrored_lines(60, SPANISH, seed=1)
    tsv = tmp_path / "priors.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in zip(src, tgt, strict=True)), encoding="utf-8")
    aligner = EflomalAligner(priors=PriorsBitext(tsv, "en", "sw"), priors_cache=tmp_path / "cache")
    swahili_src, swahili_tgt = mirrored_lines(20, LEXICON, seed=3)
    with pytest.raises(ProjectionError, match=r"0% of the target words.*another language pair"):
        aligner.align([s.split() for s in swahili_src], [t.split() for t in swahili_tgt])


def test_the_priors_option_needs_the_languages(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="without the languages"):
        EflomalAligner(priors=str(tmp_path))
    with pytest.raises(ProjectionError, match=r"missing \['tgt_lang'\]"):
        EflomalAligner(priors={"bitext": str(tmp_path), "src_lang": "en"})


def test_priors_of_another_eflomal_version_are_learnt_again(
    tmp_path: Path, learnt: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    bitext = write_bitext(tmp_path / "bitext", "train", "en", "sw", mirrored_lines(100, LEXICON, seed=1))
    option = PriorsBitext(bitext, "en", "sw")
    cache = tmp_path / "cache"
    first = EflomalAligner(priors=option, priors_cache=cache)
    path = first.priors_file()
    meta_path = path.with_name(path.name.replace(".priors.gz", ".json"))
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "eflomal": "1.0.0"}))  # written by an older eflomal
    (alignment,) = EflomalAligner(priors=option, priors_cache=cache).align([["dog", "cat"]], [["paka", "mbwa"]])
    assert sorted(alignment.links) == [(0, 1), (1, 0)]
    assert learnt == [100, 100]
    assert json.loads(meta_path.read_text())["eflomal"] == priors_module.eflomal_version()

    monkeypatch.setattr(priors_module, "eflomal_version", lambda: "9.9.9")  # eflomal upgraded: a new key
    upgraded = EflomalAligner(priors=option, priors_cache=cache)
    assert upgraded.priors.key != first.priors.key
    assert upgraded.priors_file() != path and learnt == [100, 100, 100]


def test_a_damaged_priors_file_is_learnt_again_not_a_crash(tmp_path: Path, learnt: list[int]) -> None:
    bitext = write_bitext(tmp_path / "bitext", "train", "en", "sw", mirrored_lines(100, LEXICON, seed=1))
    aligner = EflomalAligner(priors=PriorsBitext(bitext, "en", "sw"), priors_cache=tmp_path / "cache")
    path = aligner.priors_file()
    path.write_bytes(gzip.compress(b"LEX\tdog\tmbwa\tnot-a-number\n"))
    (alignment,) = aligner.align([["dog", "cat"]], [["paka", "mbwa"]])
    assert sorted(alignment.links) == [(0, 1), (1, 0)] and learnt == [100, 100]
    path.write_bytes(b"not gzip at all")
    assert len(aligner.align([["dog"]], [["mbwa"]])) == 1 and learnt == [100, 100, 100]
    assert read_tables(path)[0], "the file learnt again is sound"


def link_f1(reference: list[list[tuple[int, int]]], other: list[list[tuple[int, int]]]) -> float:
    common = sum(len(set(a) & set(b)) for a, b in zip(reference, other, strict=True))
    return 2 * common / (sum(map(len, reference)) + sum(map(len, other)))


@pytest.mark.slow
def test_priors_bring_a_small_real_slice_closer_to_its_whole_corpus_alignment(
    tmp_path: Path, shared_data: Path
) -> None:
    """150 MAFAND en-swa dev pairs, priors from 2,000 train pairs; reference: the slice aligned inside them."""
    mafand = shared_data / "mafand" / "en-swa"
    folder = tmp_path / "bitext"
    folder.mkdir()
    for suffix in ("en", "swa"):
        lines = (mafand / f"train.{suffix}").read_text(encoding="utf-8").splitlines()[:2000]
        (folder / f"train.{suffix}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    dev_en = (mafand / "dev.en").read_text(encoding="utf-8").splitlines()[:150]
    dev_sw = (mafand / "dev.swa").read_text(encoding="utf-8").splitlines()[:150]
    src, tgt = split_words(dev_en, "en"), split_words(dev_sw, "sw")
    train = priors_module.priors_source(PriorsBitext(folder, "en", "sw"), {}).load()
    plain = EflomalAligner()
    forward, reverse = plain.align_directions([s for s, _ in train] + src, [t for _, t in train] + tgt)
    reference = [symmetrise(f, r, "intersection") for f, r in zip(forward[-150:], reverse[-150:], strict=True)]

    alone = [symmetrise(f, r, "intersection") for f, r in zip(*plain.align_directions(src, tgt), strict=True)]
    with_priors = EflomalAligner(priors=PriorsBitext(folder, "en", "sw"), priors_cache=tmp_path / "cache")
    helped = [symmetrise(f, r, "intersection") for f, r in zip(*with_priors.align_directions(src, tgt), strict=True)]
    assert link_f1(reference, helped) > link_f1(reference, alone) + 0.05


def test_an_aligner_with_priors_travels_to_other_processes(tmp_path: Path) -> None:
    """Engines such as Ray send the aligner to their workers: it must pickle, priors source included."""
    folder = write_bitext(tmp_path / "bitext", "train", "en", "sw", mirrored_lines(30, LEXICON, seed=1))
    for priors in (PriorsBitext(str(folder), "en", "sw"), [(["dog"], ["mbwa"])]):  # a path given as text, or pairs
        aligner = EflomalAligner(priors=priors, priors_cache=tmp_path / "cache")
        copy = pickle.loads(pickle.dumps(aligner))
        assert copy.priors.key == aligner.priors.key and copy.priors.load() == aligner.priors.load()
