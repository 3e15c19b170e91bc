"""The saved form of one evaluation run, shared by translate-train and translate-test.

One JSON file per run (``runs/swa-heuristic.json``): what was run (config and
method), on what (data files with their hashes, sentence counts), how
(provenance: stage identities, library versions, command line), how long each
stage took, and the scores (overall and per label, with error-type counts).
The report reads only these files, so any run can be re-plotted later.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from projection import __version__
from projection.errors import ProjectionError
from projection.fileio import atomic_write

RUN_FORMAT = "projection-run/1"
RunKind = Literal["translate-train", "translate-test"]
RUN_KINDS: tuple[RunKind, ...] = ("translate-train", "translate-test")


@dataclass
class Run:
    """One scored run.

    ``kind`` is ``translate-train`` (a model trained on projected silver data,
    scored on a gold test set: extrinsic) or ``translate-test`` (projected
    spans scored directly against gold labels: intrinsic, the paper's
    protocol). ``lang`` is the language of the gold test set; ``method``
    names the choices a reader compares runs by (projector, aligner,
    symmetrisation, labeller, translator, trainer, ...). ``metrics`` is
    :meth:`projection.evaluation.Metrics.to_dict`; ``metrics_by_labels`` the
    same over label subsets (``"PER,ORG,LOC"``: the paper's label set);
    ``timings`` are seconds per stage (``total`` included). ``group`` puts
    runs together in the report: ``main`` for the per-language comparison,
    any other name for a table of variants (an ablation).
    """

    name: str
    kind: RunKind
    lang: str
    src_lang: str
    dataset: str
    method: dict[str, Any]
    metrics: dict[str, Any]
    timings: dict[str, float]
    group: str = ""
    metrics_by_labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    training: dict[str, Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    format: str = RUN_FORMAT

    @property
    def f1(self) -> float:
        return float(self.metrics["overall"]["f1"])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "run") -> Run:
        """A run from its JSON form; anything missing or malformed is a :class:`ProjectionError` naming ``source``."""
        if data.get("format") != RUN_FORMAT:
            raise ProjectionError(
                f"{source} is not a run file of this version (format {data.get('format')!r}, expected "
                f"{RUN_FORMAT!r}). Run files are written by `python -m projection train-eval`."
            )
        required = ("name", "kind", "lang", "src_lang", "dataset", "method", "metrics", "timings")
        missing = [key for key in required if key not in data]
        if missing:
            raise ProjectionError(f"{source} lacks the field(s) {', '.join(missing)}; it is not a complete run file.")
        if data["kind"] not in RUN_KINDS:
            raise ProjectionError(
                f"{source}: unknown run kind {data['kind']!r}; expected one of {', '.join(RUN_KINDS)}."
            )
        overall = data["metrics"].get("overall") if isinstance(data["metrics"], Mapping) else None
        if not isinstance(overall, Mapping) or "f1" not in overall:
            raise ProjectionError(f"{source}: metrics.overall.f1 is missing; the run has no scores.")
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


def save_run(run: Run, path: str | os.PathLike[str]) -> Path:
    """Write ``run`` as indented JSON, atomically."""
    path = Path(path)
    with atomic_write(path) as handle:
        json.dump(run.to_dict(), handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    return path


def load_run(path: str | os.PathLike[str]) -> Run:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectionError(f"Run file not found: {path}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ProjectionError(f"{path} is not valid JSON ({err}); run files are written by train-eval.") from None
    if not isinstance(data, Mapping):
        raise ProjectionError(f"{path} holds a JSON {type(data).__name__}, not a run object.")
    return Run.from_dict(data, source=str(path))


def load_runs(directory: str | os.PathLike[str]) -> list[Run]:
    """Every ``*.json`` run under ``directory`` (recursively), sorted by file name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ProjectionError(f"Runs directory not found: {directory}. Write runs there with train-eval --out.")
    paths = sorted(directory.rglob("*.json"))
    if not paths:
        raise ProjectionError(f"No run files (*.json) in {directory}. Write runs there with train-eval --out.")
    return [load_run(path) for path in paths]


def file_fingerprint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Path, size and SHA-256 of an input file, so a run names exactly the data it used."""
    path = Path(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"path": str(path), "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def environment() -> dict[str, Any]:
    """Where and with what the run was made."""
    return {
        "package_version": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "argv": list(sys.argv),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
