"""Reading an app page driven through Streamlit's AppTest: its HTML, its Markdown, and whether data shows as text.

The page tests share these: :func:`assert_page_shows_data_as_text` finds any
text of the page (Markdown, HTML, chart) that would render the data's markup
rather than show it, with the oracles of :mod:`hostile_text`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from google.protobuf.message import Message
from hostile_text import markdown_problems, plotly_problems, shown_text
from streamlit.testing.v1 import AppTest

from projection.app_support.datasets import Dataset, load_example
from projection.data import ProjectionRecord

REPO = Path(__file__).resolve().parents[1]
MARKDOWN_FIELDS = {"body", "label", "text", "help", "title", "content", "captions"}
PLAIN_OPTIONS = {"selectbox", "multiselect"}


def open_page(app: AppTest, page: str) -> AppTest:
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def html(app: AppTest) -> str:
    return "\n".join(element.value for element in app.html)


def shown(element: object) -> str:
    """The words an alert, caption or toast shows (its Markdown rendered to text)."""
    return shown_text(element.value)  # type: ignore[attr-defined]


def _nodes(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _markdown_fields(message: Message, *, options: bool) -> Iterator[str]:
    for field, value in message.ListFields():
        values = list(value) if field.is_repeated else [value]
        if field.type == field.TYPE_MESSAGE:
            for item in values:
                yield from _markdown_fields(item, options=options)
        elif field.type == field.TYPE_STRING and (
            field.name in MARKDOWN_FIELDS or (options and field.name == "options")
        ):
            yield from values


def rendered_markdown(app: AppTest) -> list[tuple[str, str]]:
    """(element type, text) for every text the page renders as Markdown.

    That is alerts, captions, Markdown, toasts, progress texts and the labels,
    help and options of widgets; not the options of a selectbox or a
    multiselect (plain text), not st.html (escaped HTML), not charts.
    """
    found = []
    for node in _nodes(app._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if isinstance(proto, Message) and kind not in ("html", "plotly_chart", "arrow_data_frame"):
            found += [(kind, text) for text in _markdown_fields(proto, options=kind not in PLAIN_OPTIONS) if text]
    return found


def assert_page_shows_data_as_text(app: AppTest) -> None:
    """No Markdown, HTML or chart text of the page renders the data's markup."""
    problems = [(kind, text, markdown_problems(text)) for kind, text in rendered_markdown(app)]
    assert [p for p in problems if p[2]] == []
    body = html(app)
    for raw in ("<img", "<a href", "<script"):
        assert raw not in body
    for chart in app.get("plotly_chart"):
        assert plotly_problems(chart.proto.spec) == []


def example_record(sentence_id: str, method: str = "heuristic", dataset: str = "example-bitext") -> ProjectionRecord:
    (found,) = [d for d in load_example() if d.name == dataset]
    record = found.record("es", method, sentence_id)
    assert record is not None
    return record


def give_datasets(app: AppTest, datasets: list[Dataset]) -> None:
    """Put ``datasets`` in the app's session before its first run, as a run in the app leaves them
    (keyed by identity, the session's list up to date with an empty workspace)."""
    app.session_state["pj_datasets"] = {dataset.ident: dataset for dataset in datasets}
    app.session_state["pj_workspace_seen"] = ()
