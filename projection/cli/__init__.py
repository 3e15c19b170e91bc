"""The command line: thin Typer commands over the package's functions.

Each command lives in its own module and registers itself on :data:`app`;
a :class:`~projection.errors.ProjectionError` is shown as one paragraph.
"""

from __future__ import annotations

import sys

# Importing a command module registers its command on `app`.
from projection.cli import compare as _compare  # noqa: F401
from projection.cli import evaluate as _evaluate  # noqa: F401
from projection.cli import export as _export  # noqa: F401
from projection.cli import project as _project  # noqa: F401
from projection.cli import report as _report  # noqa: F401
from projection.cli import train_eval as _train_eval  # noqa: F401
from projection.cli.app import app, console
from projection.errors import ProjectionError


def main() -> None:
    """Run the command line; user mistakes end with their message and exit status 1."""
    try:
        app()
    except ProjectionError as err:
        console.print(f"[bold red]Error:[/] {err}", highlight=False)
        sys.exit(1)


__all__ = ["app", "main"]
