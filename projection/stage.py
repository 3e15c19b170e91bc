"""What every stage implementation shares: a name and an identity.

The identity (kind, name, parameters, versions of the models and libraries
behind it) keys the cache and is written into each record's provenance, so a
result can be traced to exactly what produced it.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Stage:
    kind: ClassVar[str] = "stage"
    name: ClassVar[str] = "stage"

    def params(self) -> dict[str, Any]:
        """Settings that change the output (for cache keys and provenance)."""
        return {}

    def versions(self) -> dict[str, str]:
        """Versions of the models and libraries that change the output."""
        return {}

    def identity(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "params": self.params(), "versions": self.versions()}
