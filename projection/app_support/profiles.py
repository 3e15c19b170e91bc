"""Names of the model profiles, for the sidebar, without importing the pipeline.

``projection.pipeline`` imports spaCy (and through it torch) when the package
loads, seconds the app should not spend before showing the first page; the
profiles are just the YAML files of ``projection/profiles``, so they are
listed from there, as :func:`projection.pipeline.available_profiles` does.
"""

from __future__ import annotations

from pathlib import Path

import projection

PROFILE_DIR = Path(projection.__file__).resolve().parent / "profiles"


def profile_names() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.yaml"))
