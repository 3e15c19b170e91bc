from __future__ import annotations

import unicodedata

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.training import MISSING, trainers, training_tags
from projection.training.spacy_trainer import SpacyNerLabeller, SpacyTrainer

FAST = {
    "max_epochs": 15,
    "batch_size": 8,
    "learn_rate": 0.005,
    "width": 32,
    "depth": 2,
    "embed_size": 500,
    "hidden_width": 32,
}


def test_training_tags_marks_unknown_tokens_and_drops_other_labels_and_overlaps():
    sentence = Sentence(
        "s",
        "swa",
        ["Rais", "John", "Lewis", "wa", "Marekani", "alisema", "leo"],
        [
            Span(1, 3, "PER"),
            Span(2, 3, "LOC"),  # overlaps the person: skipped
            Span(4, 5, "MISC"),  # not a trained label: O
            Span(6, 7, MISSING),  # unknown
        ],
    )
    assert training_tags(sentence, ["PER", "LOC"]) == ["O", "B-PER", "I-PER", "O", "O", "O", None]


def test_training_tags_rejects_a_span_beyond_the_sentence():
    with pytest.raises(ProjectionError, match="beyond"):
        training_tags(Sentence("s", "swa", ["a"], [Span(0, 2, "PER")]), ["PER"])


def test_trained_model_finds_a_place_it_saw_repeatedly_in_a_new_context(swahili_sentences, unseen_context):
    model = SpacyTrainer(labels=("PER", "ORG", "LOC"), seed=0, **FAST).train(swahili_sentences, [])
    (found,) = model.labeller.label([unseen_context])
    assert Span(2, 3, "LOC") in [Span(s.start, s.end, s.label) for s in found]
    assert model.report.n_train == 40
    assert model.report.best_epoch == FAST["max_epochs"]  # no dev set: the last epoch is kept


def test_training_is_deterministic_given_a_seed(swahili_sentences):
    def weights(seed: int) -> bytes:
        model = SpacyTrainer(labels=("PER", "ORG", "LOC"), seed=seed, **{**FAST, "max_epochs": 2})
        trained = model.train(swahili_sentences, swahili_sentences[:5])
        return trained.labeller.nlp.get_pipe("ner").to_bytes()

    first = weights(0)
    assert weights(0) == first
    assert weights(1) != first


def test_early_stopping_keeps_the_best_dev_epoch(swahili_sentences):
    trainer = SpacyTrainer(labels=("PER", "ORG", "LOC"), seed=0, **{**FAST, "max_epochs": 6, "patience": 1})
    seen = []
    model = trainer.train(swahili_sentences[:30], swahili_sentences[30:], on_epoch=seen.append)
    report = model.report
    assert [record.epoch for record in report.history] == [record.epoch for record in seen]
    scores = [record.dev_f1 for record in report.history]
    assert report.best_dev_f1 == max(scores)
    assert report.history[report.best_epoch - 1].dev_f1 == report.best_dev_f1
    # training stops one epoch after the last improvement (patience 1) or at max_epochs
    assert len(report.history) == min(report.best_epoch + 1, 6)


def test_saved_model_labels_the_same(tmp_path, swahili_sentences, unseen_context):
    model = SpacyTrainer(labels=("PER", "ORG", "LOC"), seed=0, **FAST).train(swahili_sentences, [])
    model.labeller.save(tmp_path / "model")
    loaded = SpacyNerLabeller.load(tmp_path / "model")
    sentences = [unseen_context, *swahili_sentences[:5]]
    assert loaded.label(sentences) == model.labeller.label(sentences)


def test_registry_spec_sets_the_blank_language():
    trainer = trainers.create("spacy:sw", labels=("PER",), seed=3)
    assert isinstance(trainer, SpacyTrainer)
    assert trainer.identity()["params"]["lang"] == "sw"
    assert trainer.identity()["params"]["seed"] == 3


def test_user_mistakes_are_clear_errors(swahili_sentences):
    with pytest.raises(ProjectionError, match="empty"):
        SpacyTrainer().train([], [])
    with pytest.raises(ProjectionError, match="spaCy has no language 'qqq'"):
        SpacyTrainer("qqq").train(swahili_sentences, [])
    with pytest.raises(ProjectionError, match="dropout"):
        SpacyTrainer(dropout=1.5)


def test_an_update_budget_ends_training_mid_epoch(swahili_sentences):
    # 40 sentences in batches of 8: 5 updates per epoch; a budget of 7 stops in the second epoch
    trainer = SpacyTrainer(labels=("PER", "ORG", "LOC"), seed=0, **{**FAST, "max_updates": 7})
    report = trainer.train(swahili_sentences, []).report
    assert [(record.epoch, record.updates) for record in report.history] == [(1, 5), (2, 7)]


def test_composed_and_decomposed_diacritics_are_one_word_to_the_model():
    # Yoruba: MAFAND writes "Ìbàdàn" composed (NFC), MasakhaNER's test set partly decomposed (NFD). Places and
    # other capitalised words share one context, so only the word itself tells the model which is which.
    places = ["Ìbàdàn", "Èkó", "Ọ̀yọ́", "Òṣogbo"]
    others = ["Ọ̀jà", "Ìsàlẹ̀", "Oko", "Ilé"]
    train = []
    for k in range(48):
        word = unicodedata.normalize("NFC", (places if k % 2 else others)[k // 2 % 4])
        spans = [Span(3, 4, "LOC")] if k % 2 else []
        train.append(Sentence(f"y{k}", "yor", ["Mo", "lọ", "sí", word, "."], spans))
    model = SpacyTrainer(labels=("LOC",), seed=0, **FAST).train(train, [])
    sentences = [
        Sentence(f"{form}-{word}", "yor", ["Mo", "lọ", "sí", unicodedata.normalize(form, word), "."])
        for form in ("NFC", "NFD")
        for word in [*places, *others]
    ]
    found = [[(s.start, s.end, s.label) for s in spans] for spans in model.labeller.label(sentences)]
    expected = [[(3, 4, "LOC")]] * 4 + [[]] * 4
    assert found == expected + expected
