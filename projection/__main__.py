"""``python -m projection``: the command line."""

from projection.cli import main

main()
