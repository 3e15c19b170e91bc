"""The paper and paper-small profiles: the paper's models, and a full run with tiny stand-ins for them."""

from __future__ import annotations

from pathlib import Path

import pytest
import tiny_models

from projection.aligners import aligners
from projection.aligners.simalign_aligner import SimAlignAligner
from projection.labellers import labellers
from projection.labellers.huggingface import HuggingFaceLabeller
from projection.pipeline.config import build_config, load_profile
from projection.pipeline.run import translate_test
from projection.readers import read_sentences
from projection.translators import translators
from projection.translators.huggingface import HuggingFaceTranslator

NER = "hf:FacebookAI/xlm-roberta-large-finetuned-conll03-english"


@pytest.mark.parametrize(
    ("profile", "translator"),
    [("paper", "hf:facebook/nllb-200-3.3B"), ("paper-small", "hf:facebook/nllb-200-distilled-600M")],
)
def test_profiles_name_the_papers_models(profile: str, translator: str) -> None:
    config = build_config(direction="translate-test", source_lang="en", target_lang="swa", profile=profile)
    assert (config.translator, config.labeller_spec, config.projector) == (translator, NER, "heuristic")
    assert config.aligner == "simalign:bert-base-multilingual-cased"
    assert config.stage_options("aligner") == {"method": "itermax", "level": "subword", "layer": 8, "batch_size": 32}
    assert load_profile(profile)["description"]


@pytest.mark.parametrize("profile", ["paper", "paper-small"])
def test_every_stage_builds_from_the_profile_without_loading_a_model(profile: str) -> None:
    config = build_config(direction="translate-test", source_lang="en", target_lang="yor", profile=profile)
    translator = translators.create(
        config.translator, src_lang="yor", tgt_lang="en", **config.stage_options("translator")
    )
    labeller = labellers.create(config.labeller_spec, **config.stage_options("labeller"))
    aligner = aligners.create(config.aligner, **config.stage_options("aligner"))
    assert isinstance(translator, HuggingFaceTranslator) and translator.beam_size == 4
    assert isinstance(labeller, HuggingFaceLabeller) and isinstance(aligner, SimAlignAligner)
    assert aligner.params() == {
        "model": "bert-base-multilingual-cased",
        "layer": 8,
        "method": "itermax",
        "level": "subword",
    }
    for stage in (translator, labeller, aligner):
        assert stage.identity()["versions"]["transformers"]


@pytest.fixture(scope="module")
def tiny_dirs(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, str]:
    lines = tiny_models.mafand_lines(shared_data)
    base = tmp_path_factory.mktemp("paper")
    with tiny_models.one_torch_thread():
        return {
            "translator": str(tiny_models.build_tiny_nllb(base / "nllb", lines)),
            "labeller": str(tiny_models.build_tiny_xlmr_tagger(base / "ner", lines, favour="B-LOC")),
            "aligner": str(tiny_models.build_tiny_bert(base / "mbert", lines)),
        }


def test_translate_test_runs_end_to_end_with_tiny_stand_ins(tiny_dirs: dict[str, str], shared_data: Path) -> None:
    gold = read_sentences(shared_data / "masakhaner2" / "swa" / "dev.txt", lang="swa")[:4]
    options = dict(load_profile("paper")["options"])
    options["aligner"] = {**options["aligner"], "layer": 3}
    config = build_config(
        direction="translate-test",
        source_lang="en",
        target_lang="swa",
        profile="paper",
        translator=f"hf:{tiny_dirs['translator']}",
        labeller=f"hf:{tiny_dirs['labeller']}",
        aligner=f"simalign:{tiny_dirs['aligner']}",
        options=options,
    )
    with tiny_models.one_torch_thread():
        result = translate_test(gold, config)
    assert [record.target.tokens for record in result.records] == [sentence.tokens for sentence in gold]
    for record in result.records:
        # the tiny tagger calls every English word a location, so every word is a source entity
        assert len(record.source.spans) == len(record.source.tokens) > 0
        assert record.alignment.links and record.projected
        assert all(span.end <= len(record.target.tokens) for span in record.projected)
        assert record.alignment.similarity.shape == (len(record.source.tokens), len(record.target.tokens))
    assert result.records[0].provenance["stages"]["translate"]["params"]["model"] == tiny_dirs["translator"]
