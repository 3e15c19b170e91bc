"""Data set keys and sentence text hashes: the same content keys the same, any change of text does not."""

from __future__ import annotations

from projection.store import dataset_key, text_hash


def test_a_key_is_the_name_and_the_content_whatever_the_order_of_the_sentences() -> None:
    first = [("sw", "dev-0", ["Habari", "yako"]), ("sw", "dev-1", ["Asante"])]
    assert dataset_key("dev", first) == dataset_key("dev", list(reversed(first)))
    assert dataset_key("dev", first).startswith("dev@")
    assert dataset_key("dev", first) != dataset_key("train", first)
    changed = [("sw", "dev-0", ["Habari", "yako"]), ("sw", "dev-1", ["Asante", "sana"])]
    assert dataset_key("dev", first) != dataset_key("dev", changed)
    relabelled = [("swa", "dev-0", ["Habari", "yako"]), ("swa", "dev-1", ["Asante"])]
    assert dataset_key("dev", first) != dataset_key("dev", relabelled)


def test_text_hashes_tell_token_boundaries_apart() -> None:
    assert text_hash(["New York"]) != text_hash(["New", "York"])
    assert text_hash(["a", "b"]) == text_hash(["a", "b"]) and len(text_hash(["a"])) == 32
