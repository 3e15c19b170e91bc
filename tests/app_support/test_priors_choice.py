"""Priors bitexts found under the data folders, and which priors a record's alignment used."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_pages import example_record

from projection.app_support.priors_choice import find_priors_bitexts, priors_description


def touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("a line\n", encoding="utf-8")


def test_folders_of_the_pair_and_tsvs_named_for_it_are_found_down_to_the_depth(tmp_path: Path) -> None:
    for name in ("train.en", "train.swa", "dev.en", "dev.swa"):
        touch(tmp_path / "mafand" / "en-swa" / name)
    touch(tmp_path / "mafand" / "en-hau" / "train.en")
    touch(tmp_path / "mafand" / "en-hau" / "train.hau")
    touch(tmp_path / "tsv" / "news.en-sw.tsv")
    touch(tmp_path / "tsv" / "news.en-ha.tsv")
    touch(tmp_path / "a" / "b" / "c" / "deep" / "train.en")
    touch(tmp_path / "a" / "b" / "c" / "deep" / "train.sw")
    touch(tmp_path / ".hidden" / "x.en")
    touch(tmp_path / ".hidden" / "x.sw")
    found = find_priors_bitexts("en", "sw", [tmp_path])
    assert found == [tmp_path / "mafand" / "en-swa", tmp_path / "tsv" / "news.en-sw.tsv"]
    assert tmp_path / "a" / "b" / "c" / "deep" in find_priors_bitexts("en", "swa", [tmp_path], depth=4)
    assert find_priors_bitexts("en", "ha", [tmp_path]) == [
        tmp_path / "mafand" / "en-hau",
        tmp_path / "tsv" / "news.en-ha.tsv",
    ]
    assert find_priors_bitexts("en", "en", [tmp_path]) == []


def test_links_are_not_followed_out_of_the_data_folders(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    touch(outside / "train.en")
    touch(outside / "train.sw")
    root = tmp_path / "root"
    root.mkdir()
    (root / "linked").symlink_to(outside, target_is_directory=True)
    assert find_priors_bitexts("en", "sw", [root]) == []


def test_the_shared_mafand_pairs_are_found(shared_data: Path) -> None:
    found = find_priors_bitexts("en", "sw", [shared_data])
    assert shared_data / "mafand" / "en-swa" in found
    assert shared_data / "mafand" / "en-hau" not in found


@pytest.mark.parametrize(
    ("priors", "expected"),
    [
        (None, None),
        (
            {"sha256": "1a2b3c4d5e6f", "bitext": "/data/mafand/en-swa, read as en-sw"},
            "/data/mafand/en-swa, read as en-sw (key 1a2b3c4d)",
        ),
        ({"sha256": "", "bitext": None}, "given sentence pairs"),
    ],
)
def test_a_record_says_which_priors_its_alignment_used(priors: dict | None, expected: str | None) -> None:
    record = example_record("ex-0")
    record.provenance = {**record.provenance, "stages": {"align": {"name": "eflomal", "params": {"priors": priors}}}}
    assert priors_description(record) == expected
