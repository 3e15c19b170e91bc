"""Hugging Face models: found by hub id or local directory, loaded once per process, explained when missing.

Every transformer backend (translator, labeller, aligners) loads through
:func:`load_model`, so a model used by several stages, or by the app on every
rerun, is read from disk once. A model that cannot be loaded raises one
:class:`~projection.errors.ProjectionError` naming the model, why (no such
directory; no network to download it; not on the Hub) and how to pass a local
copy. :func:`model_versions` identifies a model for cache keys and provenance
without loading it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projection.errors import ProjectionError

TASKS: dict[str, str] = {
    "seq2seq": "AutoModelForSeq2SeqLM",
    "token-classification": "AutoModelForTokenClassification",
    "encoder": "AutoModel",
}
"""What a backend needs -> the transformers auto class that loads it."""

MIN_VOCABULARY = 16
"""Fewer ordinary (non-special) tokens than this means the tokenizer was built without its files."""

_NETWORK_ERRORS = ("LocalEntryNotFoundError", "OfflineModeIsEnabled", "ConnectError", "ConnectTimeout", "gaierror")
_NOT_ON_HUB_ERRORS = ("RepositoryNotFoundError", "RevisionNotFoundError", "GatedRepoError")


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """A model in eval mode on its device, with its tokenizer."""

    name: str
    model: Any
    tokenizer: Any
    device: Any

    @property
    def config(self) -> Any:
        return self.model.config


@dataclass(frozen=True, slots=True)
class _Key:
    name: str
    task: str
    tokenizer: str | None
    revision: str | None
    device: str
    half: bool


_loaded: dict[_Key, LoadedModel] = {}
_lock = threading.Lock()


def pick_device(device: str | None = None) -> Any:
    """``device`` as a torch device; by default the first GPU when there is one, else the CPU."""
    import torch

    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        chosen = torch.device(device)
    except RuntimeError as err:
        raise ProjectionError(f"Unknown device {device!r} ({err}); use cpu, cuda or cuda:N.") from None
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise ProjectionError(f"Device {device!r} was asked for, but this machine has no usable GPU; use cpu.")
    return chosen


def is_local(name: str) -> bool:
    """Whether ``name`` means a directory (it exists, or is written as a path) rather than a Hub id."""
    expanded = os.path.expanduser(name)
    if os.path.exists(expanded):
        return True
    return name.startswith(("/", "./", "../", "~", ".\\")) or name.count("/") > 1 or "\\" in name


def load_model(
    name: str,
    task: str,
    *,
    tokenizer: str | None = None,
    revision: str | None = None,
    device: str | None = None,
    half: bool = True,
    purpose: str = "model",
    spec_name: str = "hf",
) -> LoadedModel:
    """Load ``name`` (Hub id or local directory) for ``task`` once per process; later calls reuse it.

    ``tokenizer`` loads the tokenizer from another model (a fine-tuned
    checkpoint saved without one); ``half`` uses float16 on a GPU (never on
    the CPU); ``purpose`` (``translator``, ``labeller`` ...) and ``spec_name``
    (the stage's registry name, as in ``hf:/path``) only word the errors.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; expected one of {sorted(TASKS)}")
    torch_device = pick_device(device)
    use_half = bool(half) and torch_device.type == "cuda"
    key = _Key(name, task, tokenizer, revision, str(torch_device), use_half)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(key, torch_device, purpose, spec_name)
        return _loaded[key]


def _load(key: _Key, torch_device: Any, purpose: str, spec_name: str) -> LoadedModel:
    import torch
    import transformers

    tokenizer_purpose = f"{purpose} tokenizer" if key.tokenizer else purpose
    model_source = _source(key.name, purpose, spec_name)
    tokenizer_source = _source(key.tokenizer, tokenizer_purpose, spec_name) if key.tokenizer else model_source
    auto_class = getattr(transformers, TASKS[key.task])
    dtype = torch.float16 if key.half else torch.float32
    try:
        model = auto_class.from_pretrained(model_source, revision=key.revision, dtype=dtype)
    except (OSError, ValueError, ImportError) as err:
        raise _load_error(key.name, purpose, spec_name, err) from None
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(
            tokenizer_source, revision=None if key.tokenizer else key.revision
        )
    except (OSError, ValueError, ImportError, TypeError) as err:  # TypeError: a tokenizer class without its files
        error = _load_error(key.tokenizer or key.name, tokenizer_purpose, spec_name, err)
        if key.tokenizer is None:
            error = ProjectionError(
                f"{error} If the model was published without its tokenizer, name the tokenizer to use with the "
                "option tokenizer (a Hub id or a local directory)."
            )
        raise error from None
    if len(set(tokenizer.get_vocab()) - set(tokenizer.all_special_tokens)) < MIN_VOCABULARY:
        # transformers builds some tokenizers (BERT, NLLB) from defaults when their files are missing
        raise ProjectionError(
            f"The {tokenizer_purpose} of {key.tokenizer or key.name!r} has no vocabulary: its tokenizer files are "
            "missing. If the model was published without its tokenizer, name the tokenizer to use with the option "
            "tokenizer (a Hub id or a local directory)."
        )
    model.to(torch_device)
    model.eval()
    return LoadedModel(name=key.name, model=model, tokenizer=tokenizer, device=torch_device)


def _source(name: str, purpose: str, spec_name: str) -> str:
    """The string to hand to ``from_pretrained``: an existing directory, or a Hub id."""
    if not is_local(name):
        return name
    path = Path(os.path.expanduser(name))
    if not path.is_dir():
        raise ProjectionError(
            f"The {purpose} model directory {name!r} does not exist. Pass an existing directory that holds the "
            "model's config.json, weights and tokenizer files (as written by save_pretrained, or by "
            f"`hf download MODEL_ID --local-dir DIR` on a machine with network), e.g. {spec_name}:/models/MODEL; "
            "or a Hugging Face Hub id on a machine that can reach the Hub."
        )
    return str(path)


def _chain(err: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _offline_mode() -> bool:
    import huggingface_hub

    flags = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("TRANSFORMERS_OFFLINE", ""))
    return huggingface_hub.is_offline_mode() or any(
        flag.strip().lower() in {"1", "true", "yes", "on"} for flag in flags
    )


def _load_error(name: str, purpose: str, spec_name: str, err: BaseException) -> ProjectionError:
    """One paragraph saying which model failed, why, and how to provide it."""
    names = {type(item).__name__ for item in _chain(err)}
    reason = (str(err).strip().splitlines() or [type(err).__name__])[0].rstrip(".")
    local_hint = (
        f"Download it where there is network (`hf download {name} --local-dir DIR`, or save_pretrained), copy DIR "
        f"to this machine and pass the directory instead of the id, e.g. {spec_name}:/path/to/DIR."
    )
    if is_local(name):
        return ProjectionError(
            f"The {purpose} model directory {name!r} could not be loaded: {reason}. It must hold the model's "
            "config.json, weights and tokenizer files as written by save_pretrained (or by `hf download`)."
        )
    if _offline_mode() or names & set(_NETWORK_ERRORS):
        why = "HF_HUB_OFFLINE is set" if _offline_mode() else "the Hugging Face Hub cannot be reached"
        return ProjectionError(
            f"The {purpose} model {name!r} is not in the local Hugging Face cache and this machine has no network "
            f"to fetch it ({why}). {local_hint}"
        )
    if names & set(_NOT_ON_HUB_ERRORS) or "not a valid model identifier" in str(err):
        return ProjectionError(
            f"The {purpose} model {name!r} was not found on the Hugging Face Hub (check the id, or whether it is "
            f"private or gated: {reason}). A local copy can be passed as a directory, e.g. {spec_name}:/path/to/DIR."
        )
    return ProjectionError(f"The {purpose} model {name!r} could not be loaded: {reason}. {local_hint}")


def model_versions(name: str, *, revision: str | None = None, tokenizer: str | None = None) -> dict[str, str]:
    """What identifies a model's output, without loading it: name, revision, Hub commit or directory fingerprint."""
    import transformers

    versions = {"model": name, **_identify(name, revision), "transformers": transformers.__version__}
    if tokenizer:
        versions.update({f"tokenizer_{key}": value for key, value in _identify(tokenizer, None).items()})
        versions["tokenizer"] = tokenizer
    return versions


def _identify(name: str, revision: str | None) -> dict[str, str]:
    if is_local(name):
        path = Path(os.path.expanduser(name))
        return {"fingerprint": _fingerprint(path)} if path.is_dir() else {}
    found = {"revision": revision} if revision else {}
    commit = _cached_commit(name, revision)
    return {**found, "commit": commit} if commit else found


def _cached_commit(name: str, revision: str | None) -> str | None:
    """The commit a Hub revision points to, as recorded in the local cache (no network)."""
    try:
        from huggingface_hub import HfApi

        return HfApi().resolve_revision(name, revision=revision, local_files_only=True).resolved
    except Exception:  # not downloaded yet, or an older huggingface_hub: the commit is simply unknown
        return None


def _fingerprint(path: Path) -> str:
    """A digest of a model directory: its config and the names and sizes of its files."""
    sha = hashlib.sha256()
    for item in sorted(path.iterdir()):
        if item.is_file():
            sha.update(f"{item.name}\t{item.stat().st_size}\n".encode())
    config = path / "config.json"
    if config.is_file():
        sha.update(config.read_bytes())
    return sha.hexdigest()[:16]
