"""The pipeline: configs and profiles, batch steps, and the two directions."""

from projection.pipeline.config import PipelineConfig, available_profiles, build_config, command_config, load_profile
from projection.pipeline.run import PipelineResult, StepTiming, run_steps, translate_test, translate_train

__all__ = [
    "PipelineConfig",
    "PipelineResult",
    "StepTiming",
    "available_profiles",
    "build_config",
    "command_config",
    "load_profile",
    "run_steps",
    "translate_test",
    "translate_train",
]
