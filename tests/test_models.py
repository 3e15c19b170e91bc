"""Loading transformer models: once per process, and one clear error when a model cannot be found."""

from __future__ import annotations

from pathlib import Path

import pytest
import tiny_models

from projection.aligners.awesome import AwesomeAligner
from projection.aligners.simalign_aligner import SimAlignAligner
from projection.data import Sentence
from projection.errors import ProjectionError
from projection.labellers.huggingface import HuggingFaceLabeller
from projection.models import is_local, load_model, model_versions, pick_device
from projection.translators.huggingface import HuggingFaceTranslator


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    return tiny_models.build_tiny_bert(tmp_path_factory.mktemp("bert"), tiny_models.mafand_lines(shared_data))


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """HF_HUB_OFFLINE=1, also for huggingface_hub, which reads it once at import."""
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


def test_a_model_loads_once_and_is_reused(bert_dir: Path) -> None:
    first = load_model(str(bert_dir), "encoder")
    assert load_model(str(bert_dir), "encoder") is first
    assert first.model.training is False
    # two aligners over the same encoder share it
    assert SimAlignAligner(str(bert_dir), layer=2).encoder() is AwesomeAligner(str(bert_dir), layer=2).encoder()


def test_a_missing_local_directory_says_so_and_how_to_pass_one(tmp_path: Path) -> None:
    missing = str(tmp_path / "nllb-200-3.3B")
    with pytest.raises(ProjectionError) as caught:
        load_model(missing, "seq2seq", purpose="translator")
    message = str(caught.value)
    assert missing in message and "does not exist" in message and "hf:/" in message and "save_pretrained" in message


@pytest.mark.usefixtures("offline")
def test_an_offline_hub_id_says_there_is_no_network_and_how_to_pass_a_directory() -> None:
    with pytest.raises(ProjectionError) as caught:
        load_model("nobody-here/no-such-model-4", "token-classification", purpose="labeller")
    message = str(caught.value)
    assert "'nobody-here/no-such-model-4'" in message
    assert "no network" in message and "HF_HUB_OFFLINE" in message
    assert "hf download nobody-here/no-such-model-4 --local-dir" in message and "hf:/path/to/DIR" in message


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize(
    ("make", "spec"),
    [
        (lambda name: HuggingFaceTranslator(name, src_lang="en", tgt_lang="swa").translate(["Hello"]), "hf"),
        (lambda name: HuggingFaceLabeller(name).label([Sentence("1", "en", ["Hello"])]), "hf"),
        (lambda name: SimAlignAligner(name).align([["Hello"]], [["Habari"]]), "simalign"),
        (lambda name: AwesomeAligner(name).align([["Hello"]], [["Habari"]]), "awesome"),
    ],
)
def test_every_backend_gives_the_same_clear_error(make, spec: str) -> None:
    with pytest.raises(ProjectionError, match=rf"no network to fetch it .* e\.g\. {spec}:/path/to/DIR"):
        make("nobody-here/no-such-model-4")


def test_a_directory_without_a_model(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match=r"could not be loaded.*config\.json"):
        load_model(str(tmp_path), "encoder", purpose="simalign aligner", spec_name="simalign")


def test_a_checkpoint_without_tokenizer_points_to_the_tokenizer_option(tmp_path: Path, bert_dir: Path) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("config.json", "model.safetensors"):
        (bare / name).write_bytes((bert_dir / name).read_bytes())
    with pytest.raises(ProjectionError, match="option tokenizer"):
        load_model(str(bare), "encoder")
    assert load_model(str(bare), "encoder", tokenizer=str(bert_dir)).tokenizer is not None


def test_local_paths_and_hub_ids_are_told_apart(bert_dir: Path) -> None:
    assert is_local(str(bert_dir)) and is_local("/no/such/dir") and is_local("./model") and is_local("a/b/c")
    assert not is_local("facebook/nllb-200-3.3B") and not is_local("bert-base-multilingual-cased")


@pytest.mark.usefixtures("offline")
def test_versions_identify_a_model_without_loading_it(tmp_path: Path, bert_dir: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for item in bert_dir.iterdir():
        (copy / item.name).write_bytes(item.read_bytes())
    assert model_versions(str(copy))["fingerprint"] == model_versions(str(bert_dir))["fingerprint"]
    (copy / "config.json").write_text((bert_dir / "config.json").read_text().replace("32", "33"))
    assert model_versions(str(copy))["fingerprint"] != model_versions(str(bert_dir))["fingerprint"]
    hub = model_versions("facebook/nllb-200-3.3B", revision="main", tokenizer="facebook/nllb-200-3.3B")
    assert hub["model"] == "facebook/nllb-200-3.3B" and hub["revision"] == "main" and "commit" not in hub
    assert hub["tokenizer"] == "facebook/nllb-200-3.3B" and hub["transformers"]


def test_devices() -> None:
    import torch

    assert str(pick_device("cpu")) == "cpu"
    with pytest.raises(ProjectionError, match="Unknown device"):
        pick_device("quantum")
    if not torch.cuda.is_available():
        assert str(pick_device()) == "cpu"
        with pytest.raises(ProjectionError, match="no usable GPU"):
            pick_device("cuda")
