"""The pages' views of the gold-free ranking: its distribution, its signals, its list, one sentence's reasons.

A language's ranking (:mod:`projection.app_support.suspicion`) is computed
once, or read from the stage cache, and kept for the session, so a page
shows it at once after that. The cross-validated corpus model is trained
only when its button is pressed, with a progress bar; the ranking then
includes it here and in every later session (the cache keeps it).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.express as px
import streamlit as st

from projection.app_support import session
from projection.app_support.datasets import Dataset
from projection.app_support.html_table import render_table
from projection.app_support.markdown_text import plain
from projection.app_support.profiles import profile_projector
from projection.app_support.reviewing import Reviews
from projection.app_support.suspicion import (
    Ranking,
    filtered,
    language_ranking,
    model_refusal,
    ranked_method,
    request,
    reviewed_ids,
    signal_counts,
    signal_title,
    stored_ranking,
    suspicion_frame,
    suspicious_unreviewed,
)
from projection.app_support.tokens_html import Mark, chart_text, escape, render_tokens, span_text
from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.data import ProjectionRecord, Span
from projection.errors import ProjectionError
from projection.triage import SentenceTriage

RANKINGS = "pj_suspicion"
PAGE_SIZE = 15
SUSPECT = 0.5
"""Spans from this suspicion on are outlined in the list."""
GROUP_COLOURS = {"committee": "#3b6ea8", "support": "#c2185b", "consistency": "#2e7d32", "model": "#8e6c00"}


def app_cache() -> Cache:
    """The stage cache the app's pipeline runs use too; without one (unusable folder) nothing is stored."""
    try:
        return Cache(DEFAULT_CACHE_DIR)
    except ProjectionError:
        return Cache(None)


def session_ranking(dataset: Dataset, lang: str, method: str) -> Ranking:
    """The language's ranking, computed once per session: with the corpus model where it was ever trained."""
    found = st.session_state.setdefault(RANKINGS, {})
    key = (dataset.uid, lang, method)
    if key not in found:
        cache = app_cache()
        with st.spinner(plain(f"Ranking the {lang} sentences of {method} …")):
            asked = request(dataset, lang, method)
            found[key] = stored_ranking(asked, cache, with_model=True) or language_ranking(asked, cache)
    return found[key]


def train_model(*, dataset: Dataset, lang: str, method: str) -> None:
    """Train the cross-validated corpus model with a progress bar and keep the ranking that includes it."""
    bar = st.progress(0.0, text="Training the cross-validated model …")
    report = session.progress_reporter(bar)

    def progress(stage: str, done: int, total: int) -> None:
        report(done / total, f"{stage}: fold {done} of {total} done")

    ranking = language_ranking(request(dataset, lang, method), app_cache(), with_model=True, progress=progress)
    st.session_state.setdefault(RANKINGS, {})[(dataset.uid, lang, method)] = ranking


def model_control(*, dataset: Dataset, lang: str, method: str, ranking: Ranking, key: str) -> None:
    """The button that adds the slow signal, or why it is not offered."""
    if "model" not in ranking.triage.missing:
        st.caption("The cross-validated corpus model is part of this ranking.")
        return
    refusal = model_refusal(dataset, lang, method)
    n = len(dataset.records(lang, method))
    clicked = st.button(
        f"Train the cross-validated model ({n} sentences)",
        key=f"{key}_model",
        icon=":material/model_training:",
        disabled=refusal is not None,
        help="A model of the target language learns from all folds of the silver data but one and labels the "
        "fold it did not see; where it contradicts the projection, the span is suspect. The slowest signal "
        "(five small models: 7 s for the example's 52 sentences); the result is kept for later visits.",
    )
    if refusal is not None:
        st.caption(plain(f"The cross-validated model cannot be trained here: {refusal}."))
    elif clicked:
        try:
            train_model(dataset=dataset, lang=lang, method=method)
        except ProjectionError as err:
            st.error(plain(err))
        else:
            st.rerun()


def missing_view(*, ranking: Ranking) -> None:
    """Which signals could not be computed and why: the ranking uses the others."""
    missing = ranking.missing()
    if not missing:
        st.caption("Every signal was computed.")
        return
    lines = "\n".join(f"- **{plain(group)}**: {plain(why)}" for group, why in missing.items())
    st.markdown(f"Not computed or left out (the ranking uses the rest):\n{lines}")


def suspicion_histogram(*, rankings: Sequence[Ranking], key: str) -> None:
    """How suspicion is spread over the sentences, one colour per language."""
    frame = suspicion_frame(rankings)
    shown = frame.assign(language=frame["language"].map(chart_text))
    figure = px.histogram(
        shown,
        x="suspicion",
        color="language",
        nbins=20,
        range_x=[0, 1],
        barmode="overlay",
        title="Sentences by suspicion (the most suspicious span or missed entity of each)",
    )
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend_title_text="")
    st.plotly_chart(figure, config={"displayModeBar": False}, key=key)


def signals_chart(*, ranking: Ranking, key: str) -> None:
    """The signals that raised suspicion most often, and the missed entities each group flagged."""
    counts = signal_counts(ranking)
    if counts.empty:
        st.caption("No signal raised the suspicion of any span.")
        return
    shown = counts.head(15).iloc[::-1]
    shown = shown.assign(title=shown["title"].map(chart_text), group=shown["group"].map(chart_text))
    figure = px.bar(
        shown,
        x="spans",
        y="title",
        color="group",
        orientation="h",
        color_discrete_map={chart_text(group): colour for group, colour in GROUP_COLOURS.items()},
        hover_data={"sentences": True},
        title="Signals that raised suspicion most often (spans; flags: missed entities)",
    )
    figure.update_layout(
        height=max(260, 26 * len(shown) + 90),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend_title_text="",
        yaxis_title="",
    )
    st.plotly_chart(figure, config={"displayModeBar": False}, key=key)


def sentence_marks(sentence: SentenceTriage) -> list[Mark]:
    """Projected spans with their suspicion (suspect ones outlined), and possibly missed entities dashed."""
    marks = [
        Mark(
            Span(span.start, span.end, span.label),
            "pj-suspect" if span.suspicion >= SUSPECT else "",
            f"{span.label} · suspicion {span.suspicion:.2f}",
        )
        for span in sentence.spans
    ]
    marks += [
        Mark(
            Span(flag.start, flag.end, flag.label or "?"),
            "pj-k-missed",
            f"possibly missed {flag.label or 'entity'} · {flag.score:.2f} ({flag.group})",
        )
        for flag in sentence.flagged
    ]
    return marks


def reasons_html(reasons: Sequence[str]) -> str:
    return '<ul class="pj-why">' + "".join(f"<li>{escape(reason)}</li>" for reason in reasons) + "</ul>"


def ranked_row(*, dataset: Dataset, lang: str, sentence: SentenceTriage, record: ProjectionRecord, key: str) -> None:
    """One ranked sentence: its words with the suspect spans, its reasons, and buttons to Inspect and Review."""
    head, body, action = st.columns([1.2, 6, 1.2], vertical_alignment="center")
    head.html(f'<b>{escape(sentence.id)}</b><br><span class="pj-muted">suspicion {sentence.suspicion:.2f}</span>')
    body.html(render_tokens(record.target.tokens, sentence_marks(sentence)) + reasons_html(sentence.reasons))
    if action.button("Inspect", key=f"{key}_inspect_{sentence.id}", icon=":material/open_in_new:", width="stretch"):
        session.open_sentence(dataset, lang, sentence.id, "inspect")
    if action.button("Review", key=f"{key}_review_{sentence.id}", icon=":material/edit:", width="stretch"):
        session.open_sentence(dataset, lang, sentence.id, "review")


def ranked_list(*, dataset: Dataset, lang: str, method: str, ranking: Ranking, key: str) -> None:
    """The most suspicious sentences first, filtered by label, signal, least suspicion and a word."""
    records = {record.id: record for record in dataset.records(lang, method)}
    counts = signal_counts(ranking)
    signals = list(counts["signal"])
    filters = st.columns([2, 3, 2, 2], vertical_alignment="bottom")
    labels = filters[0].multiselect("Labels", dataset.all_labels(lang), key=f"{key}_labels", placeholder="all labels")
    chosen = filters[1].multiselect(
        "Signals", signals, format_func=signal_title, key=f"{key}_signals", placeholder="any signal"
    )
    least = filters[2].slider("Least suspicion", 0.0, 1.0, 0.0, 0.05, key=f"{key}_least")
    word = filters[3].text_input("Word", key=f"{key}_word", placeholder="in the text or reasons …")
    matching = filtered(ranking, records, labels=labels, signals=chosen, min_suspicion=least, word=word)
    st.caption(
        f"{len(matching)} of {len(ranking.triage.sentences)} ranked sentences pass the filters, most suspicious first"
    )
    limit_key = f"{key}_limit"
    limit = st.session_state.get(limit_key, PAGE_SIZE)
    for sentence in matching[:limit]:
        record = records.get(sentence.id)
        if record is not None:
            ranked_row(dataset=dataset, lang=lang, sentence=sentence, record=record, key=key)

    def show_more() -> None:
        st.session_state[limit_key] = limit + PAGE_SIZE

    if len(matching) > limit:
        st.button(f"Show {min(PAGE_SIZE, len(matching) - limit)} more", key=f"{key}_more", on_click=show_more)


def language_rankings(dataset: Dataset, lang: str, method: str, profile: str) -> tuple[list[Ranking], list[str]]:
    """Every language's ranking (its own method: as chosen in the sidebar, else the profile's), and the
    languages that could not be ranked, with why."""
    default = profile_projector(profile) or method
    rankings, problems = [], []
    for each in dataset.langs:
        chosen = method if each == lang else session.kept_choice("sb_method", f"{dataset.ident} {each}")
        ranked = ranked_method(dataset, each, chosen if isinstance(chosen, str) else None, default)
        if ranked is None:
            continue
        try:
            rankings.append(session_ranking(dataset, each, ranked))
        except ProjectionError as err:
            problems.append(f"{each}: {err}")
    return rankings, problems


def suspicion_section(*, dataset: Dataset, lang: str, method: str, profile: str, key: str = "sus") -> None:
    """The Errors page without gold: suspicion per language, the signals that fire, the ranked sentences."""
    st.markdown(f"#### Most suspicious sentences of **{plain(method)}**, no gold used")
    st.caption(
        "Each projected span is scored for how likely it is wrong from signals that need no gold: the other "
        "methods (committee), the alignment links (support), the rest of the corpus (consistency) and a model "
        "cross-validated on the projections (slow, on request); weights learned where gold was known combine "
        "them. Entities the projection may have missed are flagged (dashed)."
    )
    rankings, problems = language_rankings(dataset, lang, method, profile)
    for problem in problems:
        st.warning(plain(problem))
    ranking = next((each for each in rankings if each.lang == lang), None)
    if ranking is None:
        return
    missing_view(ranking=ranking)
    model_control(dataset=dataset, lang=lang, method=method, ranking=ranking, key=key)
    if not ranking.triage.sentences:
        st.info("There are no sentences to rank here.")
        return
    left, right = st.columns(2, gap="large")
    with left:
        suspicion_histogram(rankings=rankings, key=f"{key}_histogram")
    with right:
        signals_chart(ranking=ranking, key=f"{key}_signals_chart")
    ranked_list(dataset=dataset, lang=lang, method=method, ranking=ranking, key=key)


def sentence_reasons(*, dataset: Dataset, lang: str, method: str, record: ProjectionRecord) -> None:
    """Inspect: why the sentence's spans may be wrong and which entities it may miss (no gold used)."""
    st.markdown("##### Why it may be wrong")
    try:
        ranking = session_ranking(dataset, lang, method)
    except ProjectionError as err:
        st.caption(plain(f"No ranking: {err}"))
        return
    sentence = ranking.triage.by_id().get(record.id)
    if sentence is None:
        st.caption("This sentence is not ranked.")
        return
    tokens = record.target.tokens
    rows: list[dict[str, object]] = [
        {
            "span": span_text(tokens, Span(span.start, span.end, span.label)),
            "label": span.label,
            "suspicion": span.suspicion,
            "reasons": " · ".join(span.reasons) or "—",
        }
        for span in sorted(sentence.spans, key=lambda s: -s.suspicion)
    ]
    rows += [
        {
            "span": span_text(tokens, Span(flag.start, flag.end, flag.label or "?")),
            "label": f"missed {flag.label}?" if flag.label else "missed?",
            "suspicion": flag.score,
            "reasons": " · ".join(flag.reasons),
        }
        for flag in sentence.flagged
    ]
    place = ranking.triage.sentences.index(sentence) + 1
    missing = ", ".join(ranking.triage.missing)
    st.caption(
        plain(
            f"Suspicion {sentence.suspicion:.2f}, {place} of {len(ranking.triage.sentences)} by suspicion"
            + (f"; not computed: {missing} (see Errors)" if missing else "")
        )
    )
    if rows:
        st.html(render_table(rows, ["span", "label", "suspicion", "reasons"]))
    if sentence.notes:
        st.html(reasons_html(sentence.notes))


def suspicious_order(dataset: Dataset, lang: str, method: str, reviews: Reviews) -> tuple[list[str], str]:
    """Review's sentences nobody has reviewed, most suspicious first, and a line saying what it is (or why not)."""
    try:
        ranking = session_ranking(dataset, lang, method)
    except ProjectionError as err:
        return [], f"No ranking: {err}"
    order = suspicious_unreviewed(ranking, reviewed_ids(dataset, lang, method, reviews))
    model = "" if "model" in ranking.triage.missing else " and the cross-validated model"
    return order, (
        f"{len(order)} sentences nobody has reviewed, ranked by the suspicion of their {method} spans "
        f"(no gold used; committee, alignment and corpus signals{model}; see Errors)."
    )
