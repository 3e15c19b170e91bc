"""Cross-lingual NER annotation projection: readers, translators, labellers,
aligners, projectors, evaluation and writers over one token-indexed data model."""

__version__ = "0.1.0"
