"""The Typer application that every command module registers on."""

from __future__ import annotations

import typer
from rich.console import Console

from projection.readers.notes import ReadNotes

app = typer.Typer(
    name="projection",
    help="Cross-lingual NER annotation projection: project, evaluate, compare and export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True, markup=False, highlight=False)
"""Messages and progress go to stderr, so stdout stays clean for data.

Console markup is off: messages quote paths, tags and tokens the user gave,
and ``[/]`` in a file name must print as it is, not be read as a style tag.
Colour comes from ``style=`` arguments instead."""


def print_notes(notes: ReadNotes) -> None:
    """What the readers noted in the input or skipped, one plain-text line each (it quotes the user's files)."""
    for message in notes.messages():
        console.print(message, style="yellow", soft_wrap=True)
