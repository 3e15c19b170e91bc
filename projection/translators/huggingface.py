"""Any Hugging Face seq2seq model as a translator: NLLB-200 first, M2M100 and single-pair models too.

Languages are mapped to the model's own codes by :mod:`projection.languages`:
NLLB-200 tokenizers (they know ``eng_Latn``) get NLLB codes, M2M100-style
tokenizers (they have ``get_lang_id``) get ISO 639-1 codes; the source code
sets ``tokenizer.src_lang`` and the target code is forced as the first
generated token. Models without language tokens (a Marian ``opus-mt-en-sw``)
translate their one pair. ``src_code`` / ``tgt_code`` override the mapping.

Sentences are translated ``batch_size`` at a time, longest first (so batches
hold sentences of similar length and pad little), and returned in the
original order. On a GPU the model runs in half precision.

The EasyProject checkpoint ``ychenNLP/nllb-200-3.3B-easyproject`` (NLLB
fine-tuned to carry ``[ ]`` entity markers through translation) ships
without a tokenizer; it is loaded with the original NLLB tokenizer
(``tokenizer=`` overrides this for that or any other checkpoint).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, ClassVar

from projection.errors import ProjectionError
from projection.languages import m2m100_code, nllb_code
from projection.models import LoadedModel, load_model, model_versions
from projection.translators import Translator

DEFAULT_TRANSLATION_MODEL = "facebook/nllb-200-distilled-600M"
TOKENIZER_OF: dict[str, str] = {"ychenNLP/nllb-200-3.3B-easyproject": "facebook/nllb-200-3.3B"}
"""Checkpoints published without a tokenizer -> the tokenizer they were trained with."""

_tokenizer_lock = threading.Lock()
"""``tokenizer.src_lang`` is state on a tokenizer shared by every translator of that model."""


class HuggingFaceTranslator(Translator):
    """``hf:MODEL`` with MODEL a Hub id (``facebook/nllb-200-3.3B``) or a local directory."""

    name: ClassVar[str] = "hf"

    def __init__(
        self,
        model: str = DEFAULT_TRANSLATION_MODEL,
        *,
        src_lang: str,
        tgt_lang: str,
        tokenizer: str | None = None,
        src_code: str | None = None,
        tgt_code: str | None = None,
        beam_size: int = 4,
        max_length: int = 256,
        batch_size: int = 16,
        device: str | None = None,
        revision: str | None = None,
        half: bool = True,
    ) -> None:
        super().__init__(src_lang=src_lang, tgt_lang=tgt_lang)
        for option, value in (("beam_size", beam_size), ("max_length", max_length), ("batch_size", batch_size)):
            if int(value) < 1:
                raise ProjectionError(f"The translator option {option} must be at least 1, not {value}.")
        self.model_name = model
        self.tokenizer_name = tokenizer or TOKENIZER_OF.get(model)
        self.src_code = src_code
        self.tgt_code = tgt_code
        self.beam_size = int(beam_size)
        self.max_length = int(max_length)
        self.batch_size = int(batch_size)
        self.device = device
        self.revision = revision
        self.half = bool(half)

    def params(self) -> dict[str, Any]:
        return {
            **super().params(),
            "model": self.model_name,
            "tokenizer": self.tokenizer_name,
            "src_code": self.src_code,
            "tgt_code": self.tgt_code,
            "beam_size": self.beam_size,
            "max_length": self.max_length,
        }

    def versions(self) -> dict[str, str]:
        return model_versions(self.model_name, revision=self.revision, tokenizer=self.tokenizer_name)

    def translator(self) -> LoadedModel:
        """The model and tokenizer, loaded once per process."""
        return load_model(
            self.model_name,
            "seq2seq",
            tokenizer=self.tokenizer_name,
            revision=self.revision,
            device=self.device,
            half=self.half,
            purpose="translator",
        )

    def language_codes(self, tokenizer: Any) -> tuple[str | None, int | None]:
        """The source code to set on the tokenizer and the token id that starts the target (None: no codes)."""
        if _knows_nllb_codes(tokenizer):
            source = self.src_code or nllb_code(self.src_lang)
            target = self.tgt_code or nllb_code(self.tgt_lang)
            token_ids = {code: _token_id(tokenizer, code) for code in (source, target)}
        elif hasattr(tokenizer, "get_lang_id"):
            source = self.src_code or m2m100_code(self.src_lang)
            target = self.tgt_code or m2m100_code(self.tgt_lang)
            known = getattr(tokenizer, "lang_code_to_id", {})
            token_ids = {code: known.get(code) for code in (source, target)}
        else:
            return None, None
        for code, token_id in token_ids.items():
            if token_id is None:
                raise ProjectionError(
                    f"The translation model {self.model_name!r} has no language code {code!r} (from the languages "
                    f"{self.src_lang!r} -> {self.tgt_lang!r}). Check the languages, or set the model's own codes as "
                    "src_code / tgt_code in the profile's translator options."
                )
        return source, token_ids[target]

    def translate(self, texts: Sequence[str]) -> list[str]:
        texts = [str(text) for text in texts]
        wanted = [index for index, text in enumerate(texts) if text.strip()]
        results = [""] * len(texts)
        if not wanted:
            return results
        loaded = self.translator()
        tokenizer, model = loaded.tokenizer, loaded.model
        source_code, target_token = self.language_codes(tokenizer)
        input_limit = _input_limit(loaded)
        # M2M100 tokenizers may not mark their __xx__ language tokens as special; they are never text.
        language_tokens = set(getattr(tokenizer, "lang_code_to_id", {}).values())
        with _tokenizer_lock:
            if source_code is not None:
                tokenizer.src_lang = source_code
            lengths = [len(ids) for ids in tokenizer([texts[index] for index in wanted])["input_ids"]]
        order = [index for _, index in sorted(zip(lengths, wanted, strict=True), key=lambda item: -item[0])]
        generation: dict[str, Any] = {"num_beams": self.beam_size, "max_new_tokens": self.max_length}
        if target_token is not None:
            generation["forced_bos_token_id"] = target_token
        import torch

        for first in range(0, len(order), self.batch_size):
            batch = order[first : first + self.batch_size]
            with _tokenizer_lock:
                if source_code is not None:
                    tokenizer.src_lang = source_code
                encoding = tokenizer(
                    [texts[index] for index in batch],
                    return_tensors="pt",
                    padding=True,
                    truncation=True,
                    max_length=input_limit,
                )
            with torch.inference_mode():
                generated = model.generate(**encoding.to(loaded.device), **generation)
            texts_out = tokenizer.batch_decode(
                [[token for token in row if token not in language_tokens] for row in generated.tolist()],
                skip_special_tokens=True,
            )
            for index, text in zip(batch, texts_out, strict=True):
                results[index] = text.strip()
        return results


def _token_id(tokenizer: Any, token: str) -> int | None:
    """The id of a token the vocabulary really has (None rather than the unknown token's id)."""
    token_id = tokenizer.convert_tokens_to_ids(token)
    return None if token_id is None or token_id == tokenizer.unk_token_id else int(token_id)


def _knows_nllb_codes(tokenizer: Any) -> bool:
    return _token_id(tokenizer, "eng_Latn") is not None


def _input_limit(loaded: LoadedModel) -> int:
    """Longest input the model takes (sub-words, specials included)."""
    limits = [
        getattr(loaded.config, "max_position_embeddings", None),
        getattr(loaded.tokenizer, "model_max_length", None),
    ]
    usable = [int(limit) for limit in limits if isinstance(limit, int) and 0 < limit < 1_000_000]
    return min(usable) if usable else 1024
