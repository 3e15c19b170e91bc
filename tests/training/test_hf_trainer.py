"""The Hugging Face trainer on a tiny randomly initialised BERT that the test builds (no download)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.training import MISSING, trainers
from projection.training.hf_trainer import IGNORED, HuggingFaceTrainer, tag_names

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models train fastest on one thread (and do not fight other processes for cores)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def build_tiny_model(directory: Path, sentences: list[Sentence]) -> Path:
    """A 1-layer BERT with a word-level fast tokenizer over the words of ``sentences``."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words = sorted({token for sentence in sentences for token in sentence.tokens} | {"Mkutano", "ulifanyika"})
    vocab = {token: k for k, token in enumerate(specials + words)}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])]
    )
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=len(tag_names(LABELS)),
        id2label=dict(enumerate(tag_names(LABELS))),
    )
    torch.manual_seed(0)
    transformers.BertForTokenClassification(config).save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


@pytest.fixture
def tiny_model(tmp_path, swahili_sentences) -> str:
    return str(build_tiny_model(tmp_path / "tiny-bert", swahili_sentences))


LABELS = ("PER", "ORG", "LOC")
SETTINGS = {"max_epochs": 25, "batch_size": 8, "learn_rate": 3e-3, "warmup_ratio": 0.0, "device": "cpu"}


def test_tag_names_put_o_first():
    assert tag_names(["PER", "LOC"]) == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def test_only_first_subwords_of_known_words_carry_labels(tiny_model):
    trainer = HuggingFaceTrainer(tiny_model, labels=("PER",))
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_model)
    sentence = Sentence("s", "swa", ["John", "Lewis", "alisafiri", "jana"], [Span(0, 2, "PER"), Span(3, 4, MISSING)])
    ids = {name: k for k, name in enumerate(tag_names(("PER",)))}
    (feature,) = trainer._encode(tokenizer, [sentence], ids)
    # [CLS] John Lewis alisafiri jana [SEP]: the unknown word and the special tokens are ignored by the loss
    assert feature["labels"] == [IGNORED, ids["B-PER"], ids["I-PER"], ids["O"], IGNORED, IGNORED]


def test_fine_tuned_model_finds_a_place_it_saw_repeatedly(tiny_model, swahili_sentences, unseen_context):
    trainer = trainers.create(f"hf:{tiny_model}", labels=LABELS, seed=0, **SETTINGS)
    model = trainer.train(swahili_sentences, [])
    (found,) = model.labeller.label([unseen_context])
    assert Span(2, 3, "LOC") in [Span(s.start, s.end, s.label) for s in found]
    assert model.report.n_train == len(swahili_sentences)


def test_fine_tuning_is_deterministic_given_a_seed(tiny_model, swahili_sentences):
    def weights(seed: int) -> dict:
        settings = {**SETTINGS, "max_epochs": 2}
        model = HuggingFaceTrainer(tiny_model, labels=LABELS, seed=seed, **settings).train(
            swahili_sentences, swahili_sentences[:5]
        )
        return model.labeller.model.state_dict()

    first, again, other = weights(0), weights(0), weights(1)
    assert all(torch.equal(first[key], again[key]) for key in first)
    assert not all(torch.equal(first[key], other[key]) for key in first)


def test_saved_model_reloads(tmp_path, tiny_model, swahili_sentences, unseen_context):
    from projection.training.hf_trainer import HuggingFaceNerLabeller, load_tokenizer

    model = HuggingFaceTrainer(tiny_model, labels=LABELS, seed=0, **{**SETTINGS, "max_epochs": 3})
    trained = model.train(swahili_sentences, [])
    trained.labeller.save(str(tmp_path / "saved"))
    reloaded = HuggingFaceNerLabeller(
        transformers.AutoModelForTokenClassification.from_pretrained(tmp_path / "saved"),
        load_tokenizer(str(tmp_path / "saved")),
    )
    sentences = [unseen_context, *swahili_sentences[:4]]
    assert reloaded.label(sentences) == trained.labeller.label(sentences)


def test_missing_model_is_a_clear_error(tmp_path, swahili_sentences):
    with pytest.raises(ProjectionError, match="Cannot load the tokenizer"):
        HuggingFaceTrainer(str(tmp_path / "no-such-model")).train(swahili_sentences, [])
