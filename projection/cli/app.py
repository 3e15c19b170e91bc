"""The Typer application that every command module registers on, and the console they print to."""

from __future__ import annotations

from typing import Any

import click
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from projection.errors import ProjectionError
from projection.readers.notes import ReadNotes

console = Console(stderr=True, markup=False, highlight=False)
"""Messages and progress go to stderr, so stdout stays clean for data.

Console markup is off: messages quote paths, tags and tokens the user gave,
and ``[/]`` in a file name must print as it is, not be read as a style tag.
Colour comes from ``style=`` arguments instead."""

WIDE = 200
"""Table width when the output is not a terminal (a log file): wide enough that no column is cut."""


def print_error(message: str) -> None:
    console.print(Text.assemble(("Error: ", "bold red"), message))


def print_table(table: Table) -> None:
    """Print a table; into a file or pipe at :data:`WIDE` columns, so that no column is cut to fit 80."""
    if console.is_terminal:
        console.print(table)
    else:
        Console(file=console.file, width=WIDE, color_system=None, markup=False, highlight=False).print(table)


class UserErrors(TyperGroup):
    """Runs a command; a mistake the user can fix ends it with one paragraph and exit status 1.

    A :class:`~projection.errors.ProjectionError` is such a mistake, and so is
    an operating-system error about a path (a file where a folder must be, a
    folder without write permission): both name what to fix, and a traceback
    would only hide that. Caught here, around every command, the message is
    the same whether the command runs from ``python -m projection`` or from
    Typer's test runner.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProjectionError as err:
            print_error(str(err))
        except OSError as err:
            if err.filename is None:
                raise
            print_error(f"{err.filename}: {err.strerror or err}. Check the path and its permissions.")
        raise typer.Exit(1)


app = typer.Typer(
    name="projection",
    cls=UserErrors,
    help="Cross-lingual NER annotation projection: project, evaluate, compare and export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def print_notes(notes: ReadNotes) -> None:
    """What the readers noted in the input or skipped, one plain-text line each (it quotes the user's files)."""
    for message in notes.messages():
        console.print(message, style="yellow", soft_wrap=True)
