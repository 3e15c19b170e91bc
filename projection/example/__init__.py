"""The built-in example: 52 English-Spanish news-like sentence pairs written for this project.

``example.en.conll`` and ``example.es.conll`` hold the two sides, tokenised
and labelled (PER, ORG, LOC, DATE, IOB2), line for line the same sentences
(ids ``ex-0`` .. ``ex-51``). :mod:`projection.example.build` projects them with
every offline method into ``cache/example/`` so the app opens without
running a model.
"""

from pathlib import Path

EXAMPLE_SOURCES = Path(__file__).resolve().parent
ENGLISH_CONLL = EXAMPLE_SOURCES / "example.en.conll"
SPANISH_CONLL = EXAMPLE_SOURCES / "example.es.conll"
ID_PREFIX = "ex"
