"""The Errors page's "what if": every sentence of a language projected again from its cached alignment.

Translation, labelling and alignment stay as they are; only projection runs
again (:func:`projection.pipeline.reproject.what_if`), with the knobs turned
here, so the answer comes in a second or two for thousands of sentences. It
says how F1 changes where there is gold, and how many spans and sentences
change always; a changed sentence opens in Inspect with the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from projection.app_support import session
from projection.app_support.datasets import Dataset
from projection.app_support.html_table import render_table
from projection.app_support.markdown_text import plain
from projection.app_support.projector_knobs import copy_knobs, describe_settings, knob_widgets
from projection.app_support.tokens_html import span_text
from projection.data import ProjectionRecord, Span
from projection.errors import ProjectionError
from projection.evaluation import Metrics
from projection.pipeline.reproject import ProjectorSettings, WhatIf, what_if

RESULTS = "pj_what_if"
SHOWN_SENTENCES = 10
KEY = "whatif"


@dataclass(frozen=True)
class ChangedSentence:
    sentence_id: str
    lost: list[str]
    gained: list[str]


@dataclass(frozen=True)
class WhatIfSummary:
    """What a what-if run found, kept for the session without the records it made."""

    settings: ProjectorSettings
    changed_spans: int
    changed_sentences: int
    n_sentences: int
    before: Metrics | None
    after: Metrics | None
    examples: list[ChangedSentence]


def _words(record: ProjectionRecord, spans: list[Span]) -> list[str]:
    return [f"{span_text(record.target.tokens, span)} ({span.label})" for span in spans]


def summarise(records: list[ProjectionRecord], result: WhatIf, settings: ProjectorSettings) -> WhatIfSummary:
    """The counts and scores of ``result``, and the first changed sentences with their lost and gained spans."""
    examples = []
    for old, new in zip(records, result.records, strict=True):
        before, after = {span.key for span in old.projected}, {span.key for span in new.projected}
        if before != after and len(examples) < SHOWN_SENTENCES:
            lost = [span for span in old.projected if span.key not in after]
            gained = [span for span in new.projected if span.key not in before]
            examples.append(ChangedSentence(old.id, _words(old, lost), _words(new, gained)))
    return WhatIfSummary(
        settings,
        result.changed_spans,
        result.changed_sentences,
        len(records),
        result.before,
        result.after,
        examples,
    )


def _show(summary: WhatIfSummary, *, dataset: Dataset, lang: str, method: str) -> None:
    columns = st.columns(5)
    if summary.before is not None and summary.after is not None:
        for column, name in zip(columns[:3], ("f1", "precision", "recall"), strict=True):
            old, new = getattr(summary.before, name), getattr(summary.after, name)
            column.metric(name if name != "f1" else "F1", f"{new:.3f}", delta=f"{new - old:+.3f}")
    else:
        columns[0].caption("No gold labels: only the changes are counted.")
    columns[3].metric("Changed spans", summary.changed_spans)
    columns[4].metric("Changed sentences", f"{summary.changed_sentences} of {summary.n_sentences}")
    if not summary.examples:
        st.caption("No sentence changed.")
        return
    rows = [
        {"sentence": each.sentence_id, "lost": "; ".join(each.lost) or "—", "gained": "; ".join(each.gained) or "—"}
        for each in summary.examples
    ]
    st.html(render_table(rows))
    choice, action = st.columns([3, 2], vertical_alignment="bottom")
    sentence = choice.selectbox(
        "Open a changed sentence in Inspect, with these settings",
        [each.sentence_id for each in summary.examples],
        key=f"{KEY}_sentence",
    )
    if action.button("Inspect it", key=f"{KEY}_inspect", icon=":material/open_in_new:"):
        copy_knobs(dataset, lang, method, from_page="errors", to_page="inspect")
        session.open_sentence(dataset, lang, sentence)


def what_if_section(dataset: Dataset, lang: str, method: str) -> None:
    """An expander with the knobs, a button that projects the language again, and what changed."""
    records = dataset.records(lang, method)
    with st.expander("What if: project every sentence again with other settings"):
        if not records:
            st.caption("This method has no sentences in this language.")
            return
        try:
            base = ProjectorSettings.of(records[0])
        except ProjectionError as err:
            st.info(plain(err))
            return
        settings = knob_widgets(base, page="errors", dataset=dataset, lang=lang, method=method, key=f"{KEY}_knob")
        results = st.session_state.setdefault(RESULTS, {})
        context = (dataset.uid, lang, method)
        if st.button(f"Project the {len(records)} sentences again", key=f"{KEY}_run", icon=":material/replay:"):
            try:
                with st.spinner("Projecting again from the cached alignments …"):
                    result = what_if(records, settings, labels=dataset.labels(lang) or None)
                results[context] = summarise(records, result, settings)
            except ProjectionError as err:
                st.error(plain(err))
        summary = results.get(context)
        if summary is None:
            st.caption("Only projection runs again: translation, labels and alignments stay as they are.")
            return
        st.caption(plain(f"Projected again with {describe_settings(summary.settings)}."))
        if summary.settings != settings:
            st.caption("The settings above changed since: project again to see their effect.")
        _show(summary, dataset=dataset, lang=lang, method=method)
