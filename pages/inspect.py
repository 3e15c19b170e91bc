"""Inspect: one sentence pair side by side, its alignment, and the same sentence under every method.

The alignment can be changed here: a click on a heatmap cell (or the pair
of token selects under it) adds or removes a link, the projector's knobs can
be turned, and the sentence is projected again at once, before and after
shown side by side with the reasons for every span. Link edits are kept in
the corrections store (undo takes back the last one), and the export
projects the sentence again through them. Other aligners' links
can be laid over the heatmap.

Beside the spans, the reasons the gold-free ranking gives for each (and
the entities it flags as possibly missed).

The sentence view is a fragment: moving to another sentence or editing a
link redraws only it, not the sidebar, which keeps these quick.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from projection.aligners.comparison import PairLinks
from projection.app_support import link_edits, session, sidebar
from projection.app_support.aligner_overlay import (
    SentenceComparison,
    corpus_views,
    edit_towards,
    example_comparison,
    overlay_links,
    sentence_comparison,
    view_rows,
)
from projection.app_support.compare import MethodOutcome, compare_methods
from projection.app_support.datasets import Dataset
from projection.app_support.displayable import display_problem
from projection.app_support.glossary import INSPECT_NOTE, explain_method
from projection.app_support.heatmap import MAX_CLICKABLE_CELLS, OverlayLink, alignment_figure
from projection.app_support.html_table import render_table
from projection.app_support.markdown_text import plain
from projection.app_support.priors_choice import priors_description
from projection.app_support.projector_knobs import describe_settings, knob_widgets
from projection.app_support.provenance import describe_sides
from projection.app_support.reviewing import resolution
from projection.app_support.span_origins import render_origins
from projection.app_support.suspicion_view import sentence_reasons
from projection.app_support.tokens_html import Mark, escape, render_legend, render_tokens, span_text
from projection.data import Alignment, ProjectionRecord
from projection.errors import ProjectionError
from projection.pipeline.reproject import LinkEdit, ProjectorSettings, Reprojection, check_aligned, reproject
from projection.writers.conll import ADJUDICATED, CORRECTED, NOT_REVIEWED, REVIEWED

WIDE_CHART_TOKENS = 30
CORPUS_VIEWS = "pj_corpus_aligner_views"
EDIT_MESSAGE = "pj_link_edit_message"


def badges(outcome: MethodOutcome) -> str:
    parts = [f'<span class="pj-badge pj-info">{escape(outcome.method)}</span>']
    if outcome.errors is not None:
        parts.append(f'<span class="pj-badge pj-good">{outcome.n_correct} correct</span>')
        if outcome.n_wrong:
            noun = "error" if outcome.n_wrong == 1 else "errors"
            parts.append(f'<span class="pj-badge pj-bad">{outcome.n_wrong} {noun}</span>')
    return "".join(parts)


def span_rows(record: ProjectionRecord, outcome: MethodOutcome) -> list[dict]:
    """The projected spans with their verdict against gold (when there is gold), then the gold spans missed."""
    verdicts = {e.predicted.key: e.kind for e in outcome.errors or [] if e.predicted is not None}
    tokens = record.target.tokens
    rows = [
        {
            "span": span_text(tokens, span),
            "label": span.label,
            "tokens": f"{span.start}–{span.end - 1}",
            "score": span.score,
            **({} if record.gold is None else {"vs gold": verdicts.get(span.key, "—")}),
            "agree": f"{outcome.agreement.get(span.key, 0)}/{outcome.n_methods}",
        }
        for span in record.projected
    ]
    missed = [e.gold for e in outcome.errors or [] if e.kind == "missed" and e.gold is not None]
    rows += [
        {"span": span_text(tokens, s), "label": s.label, "tokens": f"{s.start}–{s.end - 1}", "vs gold": "missed"}
        for s in missed
    ]
    return rows


def link_words(record: ProjectionRecord, links: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{record.source.tokens[i]}→{record.target.tokens[j]}" for i, j in links)


def edit_summary(record: ProjectionRecord, edit: LinkEdit) -> str:
    """``added Atlantic→Atlántico; removed Atlantic→costa`` (plain text)."""
    parts = []
    if edit.added:
        parts.append(f"added {link_words(record, edit.added)}")
    if edit.removed:
        parts.append(f"removed {link_words(record, edit.removed)}")
    return "; ".join(parts)


def alignment_refusal(record: ProjectionRecord) -> str | None:
    """Why the record's links cannot be edited (it has none), or None."""
    try:
        check_aligned(record)
    except ProjectionError as err:
        return str(err)
    return None


def own_settings(record: ProjectionRecord) -> tuple[ProjectorSettings | None, str | None]:
    """The settings the record was projected with, or why it cannot be projected again here."""
    try:
        return ProjectorSettings.of(record), None
    except ProjectionError as err:
        return None, str(err)


def before_after(record: ProjectionRecord, result: Reprojection, what: str) -> None:
    """The spans as projected and as projected again, each change outlined."""
    lost = {span.key for span in result.lost}
    gained = {span.key for span in result.gained}
    before = [Mark(span, "pj-lost" if span.key in lost else "", f"{span.label} · lost") for span in result.before]
    after = [
        Mark(span, "pj-gained" if span.key in gained else "", f"{span.label} · new" if span.key in gained else "")
        for span in result.record.projected
    ]
    tokens = record.target.tokens
    st.html(render_tokens(tokens, before, caption="Before · as projected (lost spans struck through)"))
    st.html(render_tokens(tokens, after, caption=f"After · {what} (new spans outlined)"))
    if not lost and not gained:
        st.caption("No span changed.")


def stored_comparison(dataset: Dataset) -> tuple[dict[str, PairLinks], dict[str, str]]:
    return session.memo(("aligner_comparison", dataset.uid), lambda: example_comparison(dataset))


def compare_controls(
    *, dataset: Dataset, lang: str, method: str, record: ProjectionRecord, key: str
) -> SentenceComparison:
    """The aligner comparison of the sentence, with a button adding eflomal's views where they are not stored."""
    try:
        stored, skipped = stored_comparison(dataset)
    except ProjectionError as err:
        st.warning(plain(err))
        stored, skipped = {}, {}
    views = st.session_state.setdefault(CORPUS_VIEWS, {})
    records = dataset.records(lang, method)
    if record.id not in stored and (dataset.uid, lang) not in views:
        clicked = st.button(
            f"Add eflomal's views ({len(records)} sentence pairs, aligned once for this data set)",
            key=f"{key}_align_corpus",
            help="eflomal learns from the whole text it aligns, so its directions and symmetrisations need a run "
            "over every sentence pair; the result is kept for this session.",
        )
        if clicked:
            try:
                with st.spinner(f"Aligning {len(records)} sentence pairs with eflomal …"):
                    views[(dataset.uid, lang)] = corpus_views(records)
            except ProjectionError as err:
                st.error(plain(err))
            else:
                st.rerun()
    return sentence_comparison(dataset, record, stored=stored, skipped=skipped, corpus=views.get((dataset.uid, lang)))


def chosen_overlay(comparison: SentenceComparison, record: ProjectionRecord, *, key: str) -> list[OverlayLink]:
    names = comparison.views
    current = st.session_state.get(f"{key}_views")
    if current is None or not set(current) <= set(names):
        st.session_state[f"{key}_views"] = names  # at first, and where another sentence has other views
    chosen = st.multiselect("Aligner views on the chart", names, key=f"{key}_views")
    return overlay_links(comparison.pair, chosen, record.source.tokens, record.target.tokens)


def comparison_details(
    comparison: SentenceComparison, *, dataset: Dataset, lang: str, record: ProjectionRecord, shown: Alignment, key: str
) -> None:
    """Links per view, the aligners left out, and projecting through one view's links."""
    st.html(render_table(view_rows(comparison, shown.links)))
    notes = [f"Links: {comparison.origin}."]
    notes += [f"Not compared: {name} ({reason})." for name, reason in comparison.skipped.items()]
    st.caption(plain(" ".join(notes)))
    pick, use = st.columns([3, 2], vertical_alignment="bottom")
    view = pick.selectbox("Project through the links of", comparison.views, key=f"{key}_through")

    def use_view() -> None:
        edit = edit_towards(comparison.pair.alignments[view], record.alignment)
        link_edits.save(dataset, lang, record.id, edit, action="use-view")

    use.button("Use these links", key=f"{key}_use_view", on_click=use_view, width="stretch")


def orphans_note(*, dataset: Dataset, lang: str, record: ProjectionRecord) -> None:
    """Stored link edits of this sentence id made on another sentence pair: named, never applied."""
    found = link_edits.orphans(dataset, lang, record.id)
    if found:
        who = ", ".join(sorted({version.owner for version in found}))
        st.caption(
            plain(
                f"{len(found)} stored link edit(s) of this sentence id, by {who}, were made on another text of the "
                "sentence pair: not applied here, nor exported."
            )
        )


def link_editor(
    *, dataset: Dataset, lang: str, record: ProjectionRecord, edit: LinkEdit, undoable: bool, key: str
) -> None:
    """A source and a target token and a button that adds or removes their link; undo the last link edit, or
    reset to the aligner's links."""
    n_src, n_tgt = len(record.source.tokens), len(record.target.tokens)
    for name, size in ((f"{key}_link_src", n_src), (f"{key}_link_tgt", n_tgt)):
        if st.session_state.get(name) not in range(size):
            st.session_state[name] = 0

    def toggle_chosen() -> None:
        link = (st.session_state[f"{key}_link_src"], st.session_state[f"{key}_link_tgt"])
        attempt_toggle(dataset, lang, record, [link])

    def back_to_aligner() -> None:
        link_edits.reset(dataset, lang, record.id)

    def undo_last() -> None:
        if not link_edits.undo(dataset, lang, record.id):
            st.session_state[EDIT_MESSAGE] = f"{session.author()} has no link edit of this sentence left to undo."

    source, target = st.columns(2)
    source.selectbox(
        "Source token",
        list(range(n_src)),
        format_func=lambda i: f"{i} · {record.source.tokens[i]}",
        key=f"{key}_link_src",
    )
    target.selectbox(
        "Target token",
        list(range(n_tgt)),
        format_func=lambda j: f"{j} · {record.target.tokens[j]}",
        key=f"{key}_link_tgt",
    )
    toggle, undo, reset = st.columns(3)
    toggle.button("Toggle link", key=f"{key}_toggle_link", on_click=toggle_chosen, width="stretch")
    undo.button(
        "Undo last link edit",
        key=f"{key}_undo_links",
        on_click=undo_last,
        disabled=not undoable,
        help="Takes back your newest link edit of this sentence (a reset too); the history keeps both.",
        width="stretch",
    )
    reset.button(
        "Reset to aligner output",
        key=f"{key}_reset_links",
        on_click=back_to_aligner,
        disabled=not edit,
        width="stretch",
    )
    message = st.session_state.pop(EDIT_MESSAGE, None)
    if message:
        st.error(plain(message))
    if edit:
        st.caption(plain(f"Your edit of this sentence: {edit_summary(record, edit)}."))
    elif n_src * n_tgt <= MAX_CLICKABLE_CELLS:
        st.caption("Click a cell of the chart to add or remove its link, or choose two tokens here.")
    else:
        st.caption("This sentence pair is too long to edit by clicking; choose two tokens here.")


def attempt_toggle(dataset: Dataset, lang: str, record: ProjectionRecord, links: list[tuple[int, int]]) -> None:
    try:
        link_edits.toggle(dataset, lang, record, links)
    except ProjectionError as err:
        st.session_state[EDIT_MESSAGE] = str(err)


def on_cell_click(dataset: Dataset, lang: str, record: ProjectionRecord, chart_key: str) -> Callable[[], None]:
    def clicked() -> None:
        event = st.session_state.get(chart_key) or {}
        links = link_edits.selected_links(event.get("selection"))
        if links:
            attempt_toggle(dataset, lang, record, links)

    return clicked


@st.fragment
def show_sentence(*, dataset: Dataset, lang: str, method: str, key: str = "inspect") -> None:
    sentence_id = session.sentence_navigator(dataset, lang, key)
    if sentence_id is None:
        return
    record = dataset.record(lang, method, sentence_id)
    if record is None:
        st.warning(
            f"The {plain(method)} records have no sentence {plain(sentence_id)}; choose another method in the sidebar."
        )
        return
    problem = display_problem(record)
    if problem:
        st.warning(plain(problem))
        return
    refusal = alignment_refusal(record)
    base, settings_error = own_settings(record)
    edit = link_edits.current(dataset, lang, sentence_id) if refusal is None else LinkEdit()

    status_area, sides_area = st.container(), st.container()
    st.markdown("##### Alignment")
    settings = base
    if base is not None and refusal is None:
        with st.expander(plain(f"Projector settings · {describe_settings(base)}")):
            settings = knob_widgets(base, page="inspect", dataset=dataset, lang=lang, method=method, key=f"{key}_knob")
    compare = st.toggle("Compare aligners", key=f"{key}_compare", disabled=refusal is not None)
    comparison = None
    overlay: list[OverlayLink] = []
    if compare and refusal is None:
        comparison = compare_controls(dataset=dataset, lang=lang, method=method, record=record, key=key)
        overlay = chosen_overlay(comparison, record, key=key)

    result: Reprojection | None = None
    rerun_error = None
    changed_settings = settings is not None and base is not None and settings != base
    if settings is not None and refusal is None and (edit or changed_settings):
        corpus = dataset.records(lang, method) if settings.propagate else None
        try:
            result = reproject(record, edit, settings, corpus=corpus)
        except ProjectionError as err:
            rerun_error = str(err)
    shown = result.record if result is not None else record
    alignment = shown.alignment
    if result is None and edit:
        alignment = edit.apply(record.alignment, len(record.source.tokens), len(record.target.tokens))

    spans_by_method = {
        name: (shown.projected if name == method else found.projected)
        for name in dataset.methods(lang)
        if (found := dataset.record(lang, name, sentence_id)) is not None
    }
    outcomes = compare_methods(spans_by_method, record.gold, labels=dataset.labels(lang) or None)
    outcome = next(each for each in outcomes if each.method == method)
    store = session.corrections_store()
    reviewed = resolution(dataset, lang, method, sentence_id, session.dataset_reviews(store, dataset, lang))
    corrected = reviewed.spans if reviewed is not None and reviewed.status in (CORRECTED, ADJUDICATED) else None
    sides = describe_sides(record)
    priors = priors_description(record)

    with status_area:
        status = [badges(outcome)]
        if edit:
            counts = f"+{len(edit.added)} −{len(edit.removed)}"
            status.append(f'<span class="pj-badge pj-info">links edited ({counts})</span>')
        if changed_settings:
            status.append('<span class="pj-badge pj-info">settings changed</span>')
        if reviewed is not None and reviewed.status != NOT_REVIEWED:
            tone = "pj-good" if reviewed.status in (REVIEWED, ADJUDICATED) else "pj-info"
            status.append(f'<span class="pj-badge {tone}">{escape(reviewed.status)} in Review</span>')
        status.append(f'<span class="pj-muted">{escape(sides.pipeline)}</span>')
        if priors:
            status.append(f'<span class="pj-muted">· eflomal priors: {escape(priors)}</span>')
        st.html(" ".join(status))

    with sides_area:
        left, right = st.columns(2, gap="large")
        with left:
            st.html(render_tokens(record.source.tokens, record.source.spans, caption=sides.source))
        with right:
            st.html(render_tokens(record.target.tokens, outcome.marks(), caption=sides.target))
            if record.gold is not None:
                st.html(render_tokens(record.target.tokens, record.gold, caption="Gold"))
            if corrected is not None:
                caption = f"{reviewed.status} in Review (exported)"
                st.html(render_tokens(record.target.tokens, corrected, caption=caption))
            if result is not None:
                what = " and ".join(
                    part
                    for part in ("your link edit" if edit else "", "the settings above" if changed_settings else "")
                    if part
                )
                before_after(record, result, what)
        st.html(render_legend(dataset.all_labels(lang)))

    # a long sentence needs the page's full width for one readable column per target token
    if len(record.target.tokens) > WIDE_CHART_TOKENS:
        chart, table = st.container(), st.container()
    else:
        chart, table = st.columns([3, 2], gap="large")
    with chart:
        figure = alignment_figure(
            record.source.tokens,
            record.target.tokens,
            alignment,
            src_spans=record.source.spans,
            projected=shown.projected,
            original=record.alignment if edit else None,
            overlay=overlay,
            clickable=refusal is None,
        )
        chart_key = f"{key}_heatmap_{link_edits.revision()}"
        if refusal is None:
            st.plotly_chart(
                figure,
                config={"displayModeBar": False},
                key=chart_key,
                on_select=on_cell_click(dataset, lang, record, chart_key),
                selection_mode="points",
            )
        else:
            st.plotly_chart(figure, config={"displayModeBar": False}, key=chart_key)
        st.caption(
            f"Rows: source ({plain(record.source.lang)}) · columns: target ({plain(record.target.lang)}) · "
            f"{len(alignment)} links · boxes: source entities (rows, solid) and projected spans "
            "(columns, dashed), in the label's colour"
            + (" · diamonds: links you added, crosses: links you removed" if edit else "")
            + (" · open squares: other aligners' links, coloured by how many agree" if overlay else "")
        )
        if refusal is not None:
            st.info(plain(refusal))
        else:
            undoable = link_edits.undoable(dataset, lang, sentence_id)
            link_editor(dataset=dataset, lang=lang, record=record, edit=edit, undoable=undoable, key=key)
            orphans_note(dataset=dataset, lang=lang, record=record)
            if settings_error:
                st.info(plain(f"{settings_error} The links you edit are kept; choose another method to project."))
            if rerun_error:
                st.error(plain(rerun_error))
        if comparison is not None:
            comparison_details(comparison, dataset=dataset, lang=lang, record=record, shown=alignment, key=key)
    with table:
        st.markdown("##### Projected spans")
        rows = span_rows(shown, outcome)
        if rows:
            columns = [name for name in rows[0] if name != "score" or any(row.get("score") for row in rows)]
            st.html(render_table(rows, columns))
        else:
            st.caption("No span was projected and gold has none.")
        sentence_reasons(dataset=dataset, lang=lang, method=method, record=record)
        st.markdown("##### Why each span is there, or not")
        st.html(render_origins(shown, new={span.key for span in result.gained} if result else ()))

    st.markdown("##### The same sentence under each method")
    st.caption(
        "Dashed outline: not every method projected this span. ✓ / ✗: right or wrong against gold; "
        "a dashed empty box is a gold span the method missed."
        + (" The current method's row shows your changes." if result is not None else "")
    )
    rows = "".join(
        f'<div class="pj-mrow{" pj-current" if each.method == method else ""}"><div>{badges(each)}'
        f'<div class="pj-muted">{escape(explain_method(each.method))}</div></div>'
        f"<div>{render_tokens(record.target.tokens, each.marks())}</div></div>"
        for each in outcomes
    )
    st.html(f'<div class="pj-methods">{rows}</div>')
    others = [each.method for each in outcomes if each.method != method]
    if others:
        # keyed by the current method, so that a fresh, empty choice is drawn after switching
        chosen = st.pills(
            "Show another method",
            others,
            format_func=plain,
            key=f"switch_from_{method}",
            label_visibility="collapsed",
        )
        if chosen:
            sidebar.select("sb_method", chosen, scope=f"{dataset.ident} {lang}")
            st.rerun(scope="app")


def first_visit_note(*, key: str = "inspect_note") -> None:
    """What the colours and boxes mean, until the reader says they have it."""
    if st.session_state.get(key):
        return
    with st.container(border=True):
        st.markdown(INSPECT_NOTE)
        if st.button("Got it", key=f"{key}_done", icon=":material/check:"):
            st.session_state[key] = True
            st.rerun()


selected = sidebar.frame()
first_visit_note()
if selected.dataset is None:
    sidebar.ask_for_a_dataset()
else:
    show_sentence(dataset=selected.dataset, lang=selected.lang, method=selected.method)
