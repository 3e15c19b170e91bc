"""Names of the model profiles, for the sidebar, without importing the pipeline.

``projection.pipeline`` imports spaCy (and through it torch) when the package
loads, seconds the app should not spend before showing the first page; the
profiles are just the YAML files of ``projection/profiles``, so they are
listed from there, as :func:`projection.pipeline.available_profiles` does.
"""

from __future__ import annotations

from pathlib import Path

import yaml

import projection

PROFILE_DIR = Path(projection.__file__).resolve().parent / "profiles"


def profile_names() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.yaml"))


def profile_projector(name: str) -> str | None:
    """The projector a profile names (its default method), read from its YAML file; None if it names none."""
    path = PROFILE_DIR / f"{name}.yaml"
    if not path.is_file():
        return None
    found = yaml.safe_load(path.read_text(encoding="utf-8"))
    projector = found.get("projector") if isinstance(found, dict) else None
    return str(projector) if projector else None
