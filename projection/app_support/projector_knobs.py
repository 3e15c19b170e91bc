"""Projector knobs as widgets: merge distance, length ratio, candidate type, propagation minimum count.

Each knob starts at the value the records were projected with (read from
their provenance by :meth:`ProjectorSettings.of`) and only the knobs that
belong to the projector are drawn. What a user sets is kept per page, data
set, language and method, so it survives moving between sentences and pages
and a switch to another method shows that method's own settings; Errors can
hand its settings to Inspect (:func:`copy_knobs`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from projection.app_support.datasets import Dataset
from projection.app_support.markdown_text import plain
from projection.errors import ProjectionError
from projection.pipeline.reproject import KNOB_METHODS, ProjectorSettings
from projection.registry import split_spec

KEPT = "pj_knobs"
KNOB_NAMES = ("merge_distance", "length_ratio", "candidates", "propagate")
CANDIDATE_WORDS = {"ngram": "every n-gram of the target", "ner": "spans of a target NER model"}
MAX_MERGE_DISTANCE = 10
MAX_PROPAGATION = 50


def shown_values(settings: ProjectorSettings) -> dict[str, Any]:
    """The value of every knob that belongs to the projector of ``settings``, as the projector uses it.

    Options the records do not name are read from the projector itself (its
    defaults), so the widgets show what actually ran.
    """
    values: dict[str, Any] = {}
    for option in ("merge_distance", "length_ratio"):
        if settings.name in KNOB_METHODS[option]:
            value = settings.options.get(option)
            value = value if value is not None else getattr(settings.projector(), option)
            values[option] = int(value) if option == "merge_distance" else float(value)
    if settings.candidates is not None:
        values["candidates"] = settings.candidates
    values["propagate"] = int(settings.propagate)
    return values


def turned(base: ProjectorSettings, values: dict[str, Any], target_model: str | None = None) -> ProjectorSettings:
    """``base`` with the knobs whose value differs from its own turned to ``values``."""
    own = shown_values(base)
    changed = {name: value for name, value in values.items() if name in own and value != own[name]}
    if not changed:
        return base
    return base.with_knobs(target_model=target_model, **changed)


def describe_settings(settings: ProjectorSettings) -> str:
    """``heuristic · merge distance 1 · length ratio 0.8 · propagation from 2``: the settings in words (plain text)."""
    parts = [settings.method]
    values = shown_values(settings)
    if "merge_distance" in values:
        parts.append(f"merge distance {values['merge_distance']}")
    if "length_ratio" in values:
        parts.append(f"length ratio {values['length_ratio']:g}")
    if "candidates" in values:
        parts.append(f"{values['candidates']} candidates")
    parts.append(f"propagation from {settings.propagate}" if settings.propagate else "no propagation")
    return " · ".join(parts)


def ner_models(dataset: Dataset, lang: str) -> list[str]:
    """Target NER models the data set's own NER-candidate methods name (``spacy:es_core_news_sm``)."""
    found = []
    for method in dataset.methods(lang):
        name, argument = split_spec(method)
        if name.startswith("ner-") and argument and argument not in found:
            found.append(argument)
    return found


def _context(page: str, dataset: Dataset, lang: str, method: str) -> tuple[str, str, str, str]:
    return (page, dataset.uid, lang, method)


def _kept(context: tuple[str, str, str, str]) -> dict[str, Any]:
    return st.session_state.setdefault(KEPT, {}).setdefault(context, {})


def copy_knobs(dataset: Dataset, lang: str, method: str, *, from_page: str, to_page: str) -> None:
    """Give ``to_page`` the knob values set on ``from_page`` (Errors' what-if opened in Inspect)."""
    values = dict(_kept(_context(from_page, dataset, lang, method)))
    st.session_state.setdefault(KEPT, {})[_context(to_page, dataset, lang, method)] = values


def knob_widgets(
    base: ProjectorSettings, *, page: str, dataset: Dataset, lang: str, method: str, key: str
) -> ProjectorSettings:
    """Draw the knobs of ``base``'s projector; the settings they choose (``base`` when none is turned).

    Widget keys are ``{key}_merge_distance``, ``{key}_length_ratio``,
    ``{key}_candidates``, ``{key}_propagate`` and ``{key}_reset``. A choice
    that cannot run (NER candidates with no model named) is said and left out.
    """
    own = shown_values(base)
    context = _context(page, dataset, lang, method)
    kept = _kept(context)
    models = ner_models(dataset, lang)
    values = {name: kept.get(name, value) for name, value in own.items()}
    for name, value in values.items():
        st.session_state[f"{key}_{name}"] = value

    def keep(name: str) -> None:
        kept[name] = st.session_state[f"{key}_{name}"]

    def back() -> None:
        kept.clear()

    columns = st.columns(4)
    if "merge_distance" in own:
        values["merge_distance"] = columns[0].number_input(
            "Merge distance",
            min_value=0,
            max_value=MAX_MERGE_DISTANCE,
            step=1,
            key=f"{key}_merge_distance",
            on_change=keep,
            args=("merge_distance",),
            help="Linked target words separated by at most this many unlinked words make one span.",
        )
    if "length_ratio" in own:
        values["length_ratio"] = columns[1].slider(
            "Length ratio",
            min_value=0.0,
            max_value=1.0,
            step=0.05,
            key=f"{key}_length_ratio",
            on_change=keep,
            args=("length_ratio",),
            help="A span is kept only if its length divided by the entity's length is greater than this.",
        )
    if "candidates" in own:
        kinds = ["ngram", "ner"] if (models or base.candidates == "ner") else ["ngram"]
        values["candidates"] = columns[0].radio(
            "Candidates",
            kinds,
            format_func=CANDIDATE_WORDS.get,
            key=f"{key}_candidates",
            on_change=keep,
            args=("candidates",),
        )
        if kinds == ["ngram"]:
            columns[1].caption("NER candidates need a target NER model; this data set names none.")
    values["propagate"] = columns[2].number_input(
        "Propagation minimum count",
        min_value=0,
        max_value=MAX_PROPAGATION,
        step=1,
        key=f"{key}_propagate",
        on_change=keep,
        args=("propagate",),
        help="Label propagation copies a phrase's label to its other occurrences once it was projected this "
        "many times with that label; 0 turns it off.",
    )
    columns[3].button(
        "Back to the records' settings", key=f"{key}_reset", on_click=back, disabled=not kept, width="stretch"
    )
    try:
        return turned(base, values, target_model=models[0] if models else None)
    except ProjectionError as err:
        st.warning(plain(err))
        return base
