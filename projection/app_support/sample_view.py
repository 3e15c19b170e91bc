"""Review's random sample: drawing it (once, shared by every reviewer of the store) and the estimate it gives.

The sample is what the corpus's quality is estimated from (:mod:`projection.quality`);
the other orders of the Review page are for finding errors, and the page
says why the two differ.
"""

from __future__ import annotations

import streamlit as st

from projection.app_support.datasets import Dataset
from projection.app_support.markdown_text import plain
from projection.errors import ProjectionError
from projection.evaluation.estimate import DEFAULT_RESAMPLES, Estimate
from projection.quality import sample_quality
from projection.store import CorrectionsStore, Sample
from projection.store.samples import MAX_SEED
from projection.store.versions import SentenceKey, SentenceReviews

DEFAULT_SIZE = 100
FEW_REVIEWED = 30
"""Below this many reviewed sentences the page says the interval is rough."""
MESSAGE = "sample_message"
WHY_A_SAMPLE = (
    "Why a random sample: the other orders are for finding errors. An order that puts the most suspicious "
    "sentences first picks them for looking wrong, so their error rate overstates the corpus's, and it cannot "
    "estimate quality. These sentences were drawn by chance, so what the reviewers find in them holds, within the "
    "interval, for every sentence of the corpus."
)


def draw_inputs(*, n_sentences: int) -> None:
    left, right = st.columns(2)
    left.number_input(
        "Sentences to draw", min_value=1, max_value=n_sentences, value=min(DEFAULT_SIZE, n_sentences), step=10,
        key="sample_size",
    )  # fmt: skip
    right.number_input("Seed", min_value=0, max_value=MAX_SEED, value=0, step=1, key="sample_seed")


def sample_draw_view(
    *, dataset: Dataset, lang: str, store: CorrectionsStore, author: str, sample: Sample | None
) -> None:
    """The sample's description, or the form to draw it; drawing anew only behind an explicit confirmation."""

    def draw(replace: bool) -> None:
        sentences = [(sentence_id, dataset.text_hash(lang, sentence_id)) for sentence_id in dataset.sentence_ids(lang)]
        try:
            store.draw_sample(
                dataset.store_key, lang, sentences, size=int(st.session_state["sample_size"]),
                seed=int(st.session_state["sample_seed"]), drawn_by=author, dataset_name=dataset.store_name,
                replace=replace,
            )  # fmt: skip
        except ProjectionError as err:
            st.session_state[MESSAGE] = str(err)
        st.session_state.pop("sample_replace", None)

    message = st.session_state.pop(MESSAGE, None)
    if message:
        st.error(plain(message))
    n_sentences = dataset.n_sentences(lang)
    if sample is None:
        st.info(
            "No random sample of this language yet. Draw one: every reviewer of this store then goes through the "
            "same sentences, and once they are reviewed this page estimates the corpus's span precision and recall."
        )
        draw_inputs(n_sentences=n_sentences)
        st.button("Draw the sample", key="sample_draw", on_click=draw, args=(False,), type="primary")
        return
    st.caption(
        plain(
            f"{sample.size:,} of the {sample.population:,} sentences, drawn at random (seed {sample.seed}) by "
            f"{sample.drawn_by} on {sample.drawn_at.astimezone().strftime('%Y-%m-%d %H:%M')}; every reviewer of "
            "this store reviews the same ones. They come in the order drawn: gone through in it, the sentences "
            "reviewed so far are a random sample too."
        )
    )
    with st.expander("Draw a new sample", expanded=False):
        st.caption(
            "A new sample replaces this one for every reviewer, and the estimate then rests on the new sentences "
            "(reviews already made are kept)."
        )
        draw_inputs(n_sentences=n_sentences)
        confirmed = st.checkbox("Replace the sample every reviewer shares", key="sample_replace")
        st.button("Draw a new sample", key="sample_redraw", on_click=draw, args=(True,), disabled=not confirmed)


def interval_text(found: Estimate, what: str) -> str:
    if found.value is None or found.low is None or found.high is None:
        return f"no {what} yet"
    return f"95% interval {found.low:.1%} – {found.high:.1%} · {found.numerator:,} of {found.denominator:,} {what}"


def sample_estimate_view(
    *, dataset: Dataset, lang: str, method: str, sample: Sample, reviews: dict[SentenceKey, SentenceReviews]
) -> None:
    """How many sampled sentences are reviewed, and the corpus's estimated precision and recall of ``method``."""
    records = {
        sentence_id: record
        for sentence_id in sample.sentence_ids
        if (record := dataset.record(lang, method, sentence_id)) is not None
    }
    labels = dataset.labels(lang)
    try:
        quality = sample_quality(sample, records, reviews, method=method, labels=labels or None)
    except ProjectionError as err:
        st.warning(plain(str(err)))
        return
    st.markdown("##### Estimated quality of the corpus")
    st.caption(plain(f"{quality.reviewed:,} of the sample's {sample.size:,} sentences reviewed"))
    estimate = quality.estimate
    if estimate is None:
        st.caption("No sentence of the sample is reviewed yet: review them (Reviewed, next) to see the estimate.")
    else:
        precision, recall = st.columns(2)
        for column, name, found, what in (
            (precision, "precision", estimate.precision, "projected spans right"),
            (recall, "recall", estimate.recall, "reviewed spans projected"),
        ):
            shown = "–" if found.value is None else f"{found.value:.1%}"
            column.metric(plain(f"Span {name} of {method}"), shown)
            column.caption(interval_text(found, what))
        if quality.reviewed < FEW_REVIEWED:
            st.caption(f"Fewer than {FEW_REVIEWED} reviewed sentences: the interval is rough until more are.")
    counted = f"labels {', '.join(labels)}" if labels else "every label"
    st.caption(
        plain(
            "A reviewed sentence's reference is its adjudicated version, else the newest version a reviewer marked "
            f"reviewed (edits not marked reviewed do not count). A span is right when its words and label match "
            f"the reference's ({counted}). Interval: bootstrap over sentences (BCa, {DEFAULT_RESAMPLES:,} "
            "resamples), since the spans of one sentence are not independent."
        )
    )
    st.info(WHY_A_SAMPLE)
