"""The command line: thin Typer commands over the package's functions.

Each command lives in its own module and registers itself on :data:`app`;
a :class:`~projection.errors.ProjectionError` is shown as one paragraph
(:class:`projection.cli.app.UserErrors`).
"""

from __future__ import annotations

import logging

from rich.logging import RichHandler

# Importing a command module registers its command on `app`.
from projection.cli import compare as _compare  # noqa: F401
from projection.cli import evaluate as _evaluate  # noqa: F401
from projection.cli import export as _export  # noqa: F401
from projection.cli import project as _project  # noqa: F401
from projection.cli import quality as _quality  # noqa: F401
from projection.cli import report as _report  # noqa: F401
from projection.cli import train_eval as _train_eval  # noqa: F401
from projection.cli import train_labeller as _train_labeller  # noqa: F401
from projection.cli import triage as _triage  # noqa: F401
from projection.cli.app import app, console


def show_warnings() -> None:
    """The package's log warnings (e.g. a reader's tag report) on the console, as plain text."""
    handler = RichHandler(console=console, markup=False, show_time=False, show_path=False, rich_tracebacks=False)
    handler.setLevel(logging.WARNING)
    package_logger = logging.getLogger("projection")
    package_logger.addHandler(handler)
    package_logger.setLevel(logging.WARNING)


def main() -> None:
    """Run the command line; user mistakes end with their message and exit status 1."""
    show_warnings()
    app()


__all__ = ["app", "main"]
