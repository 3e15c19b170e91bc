"""Tiny randomly initialised transformer models, built by the tests themselves from real text.

No model weights can be downloaded here, so the transformer backends are
tested on models of the real architectures (BERT, XLM-R, M2M100/NLLB) with
a few thousand parameters: their tokenizers are trained in a second on a few
hundred MAFAND en-swa lines (a word-piece vocabulary for BERT, sentencepiece
for XLM-R and NLLB/M2M100), their weights are random with a fixed seed. They
are saved with ``save_pretrained`` and loaded back by the code under test
through its ordinary local-directory path.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CONLL_IOB1_LABELS = ["B-LOC", "B-MISC", "B-ORG", "I-LOC", "I-MISC", "I-ORG", "I-PER", "O"]
"""The label set of FacebookAI/xlm-roberta-large-finetuned-conll03-english (CoNLL-03, IOB1), in its order."""


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Run torch on one thread: models this small only lose time to thread hand-offs on a busy machine."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def mafand_lines(shared_data: Path, n: int = 300) -> list[str]:
    """``n`` English and ``n`` Swahili MAFAND dev lines: the text the tiny tokenizers learn from."""
    pair = shared_data / "mafand" / "en-swa"
    english = (pair / "dev.en").read_text(encoding="utf-8").splitlines()[:n]
    swahili = (pair / "dev.swa").read_text(encoding="utf-8").splitlines()[:n]
    return english + swahili


def build_tiny_bert(
    directory: Path, lines: list[str], *, layers: int = 4, max_positions: int = 128, seed: int = 0
) -> Path:
    """A cased word-piece BERT encoder (hidden size 32) in ``directory``."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertModel, BertTokenizer

    word_pieces = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    word_pieces.normalizer = normalizers.BertNormalizer(lowercase=False)
    word_pieces.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    word_pieces.train_from_iterator(lines, trainers.WordPieceTrainer(vocab_size=800, special_tokens=specials))
    tokenizer = BertTokenizer(vocab=word_pieces.get_vocab(), do_lower_case=False)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=max_positions,
    )
    BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _train_sentencepiece(directory: Path, lines: list[str], *, model_type: str, vocab_size: int) -> Path:
    import sentencepiece

    directory.mkdir(parents=True, exist_ok=True)
    prefix = directory / "sentencepiece.bpe"
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        bos_id=0,
        pad_id=1,
        eos_id=2,
        unk_id=3,
        minloglevel=2,
    )
    return directory / "sentencepiece.bpe.model"


def build_tiny_xlmr_tagger(
    directory: Path,
    lines: list[str],
    *,
    labels: list[str] = CONLL_IOB1_LABELS,
    max_positions: int = 40,
    favour: str | None = None,
    seed: int = 0,
) -> Path:
    """An XLM-R token classifier; ``favour`` makes one label win everywhere (a huge bias on its logit).

    ``max_positions`` counts XLM-R's two reserved positions, so 40 leaves 38
    for a sequence: 36 sub-words of text between ``<s>`` and ``</s>``.
    """
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForTokenClassification, XLMRobertaTokenizer

    _train_sentencepiece(directory, lines, model_type="unigram", vocab_size=600)
    tokenizer = XLMRobertaTokenizer.from_pretrained(directory)
    torch.manual_seed(seed)
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=max_positions,
        pad_token_id=tokenizer.pad_token_id,
        id2label=dict(enumerate(labels)),
        label2id={label: index for index, label in enumerate(labels)},
    )
    model = XLMRobertaForTokenClassification(config)
    if favour is not None:
        with torch.no_grad():
            model.classifier.bias[labels.index(favour)] = 100.0
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _tiny_seq2seq(vocab_size: int, seed: int):
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    torch.manual_seed(seed)
    config = M2M100Config(
        vocab_size=vocab_size,
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=256,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        init_std=0.5,
    )
    return M2M100ForConditionalGeneration(config)


def build_tiny_nllb(directory: Path, lines: list[str], *, seed: int = 0, with_tokenizer: bool = True) -> Path:
    """An NLLB-200-style model: M2M100 architecture, NLLB tokenizer with its 200 language codes.

    ``with_tokenizer=False`` saves only the model, like a fine-tuned
    checkpoint that relies on the original NLLB tokenizer.
    """
    from transformers import NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    _train_sentencepiece(directory, lines, model_type="bpe", vocab_size=400)
    tokenizer = NllbTokenizer.from_pretrained(directory, extra_special_tokens=FAIRSEQ_LANGUAGE_CODES)
    for leftover in directory.glob("sentencepiece.bpe.*"):
        leftover.unlink()
    _tiny_seq2seq(len(tokenizer), seed).save_pretrained(directory)
    if with_tokenizer:
        tokenizer.save_pretrained(directory)
    return directory


def build_tiny_m2m100(directory: Path, lines: list[str], *, seed: int = 0) -> Path:
    """An M2M100-style model: its tokenizer names languages ``__sw__`` (ISO 639-1), not ``swh_Latn``."""
    import sentencepiece
    from transformers import M2M100Tokenizer

    model_file = _train_sentencepiece(directory / "spm", lines, model_type="bpe", vocab_size=400)
    pieces = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
    vocab = {pieces.id_to_piece(index): index for index in range(pieces.get_piece_size())}
    (directory / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = M2M100Tokenizer(vocab_file=str(directory / "vocab.json"), spm_file=str(model_file))
    tokenizer.save_pretrained(directory)
    shutil.rmtree(model_file.parent)
    vocab_size = tokenizer.vocab_size + len(tokenizer.lang_code_to_id) + tokenizer.num_madeup_words
    _tiny_seq2seq(vocab_size, seed).save_pretrained(directory)
    return directory
