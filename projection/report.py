"""The evaluation report: saved runs as one Markdown file and one HTML file with plotly charts.

Sections: per-language results by method (the ``main`` group), with the
paper's numbers for the same languages beside ours; per-label scores; every
other group of runs as a table of variants against its first run (an
ablation); translate-test runs; test-set overlap and runtimes. The paper's
numbers are intrinsic translate-test scores (NLLB-3.3B translation,
XLM-R-large NER, PER/ORG/LOC) and are marked as such wherever they appear:
they answer a different question than a model trained on projected data.
The HTML is self-contained (plotly's script is embedded once), so it opens
on a machine without network.
"""

from __future__ import annotations

import html
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from projection.errors import ProjectionError
from projection.evaluation.paper import PaperResult, load_paper_results
from projection.fileio import atomic_write
from projection.languages import find_language
from projection.training.run_record import Run

MAIN_GROUP = "main"
PAPER_TABLES = ("masakhaner2", "xtreme40", "europarlner")
PAPER_NOTE = (
    "Paper numbers are from Politov et al. (NoDaLiDa 2025), `../shared/anchors/paper_results`: the paper's "
    "intrinsic translate-test results, where gold target sentences are translated into English with NLLB-3.3B, "
    "labelled with XLM-R-large and the labels projected back (aligner: AWESoME or SimAlign, the better shown), "
    "scored on PER/ORG/LOC only (their model-transfer column: XLM-R-large run on the target text directly). "
    "Our translate-train numbers are extrinsic (a model trained on projected MAFAND "
    "data, scored on the gold test set, PER/ORG/LOC/DATE; the PER/ORG/LOC column is comparable in label set only). "
    "They measure different things and are shown side by side for orientation, not as a like-for-like comparison."
)
PAPER_METHODS = ("heuristic", "ngram-greedy", "ner-greedy", "model-transfer")
"""Paper methods shown as columns (the best aligner of each); the best paper method overall is shown too."""

Table = tuple[list[str], list[list[str]]]


@dataclass
class Section:
    """One part of the report: a heading, a sentence or two, a table, and the keys of its charts."""

    title: str
    text: str
    table: Table
    charts: tuple[str, ...] = ()


@dataclass
class ReportFiles:
    markdown: Path
    html: Path


@dataclass
class PaperLookup:
    """The paper's results for one language, from the table of the same dataset or else any table with it."""

    table: str
    results: list[PaperResult]

    def best(self, method: str | None = None) -> PaperResult | None:
        """The best row of ``method``; without one, the best projection method (model transfer is not one)."""
        rows = [r for r in self.results if r.method == method or (method is None and r.method != "model-transfer")]
        return max(rows, key=lambda r: r.f1) if rows else None


def paper_for(lang: str, dataset: str, directory: str | os.PathLike[str] | None = None) -> PaperLookup | None:
    """The paper's rows for ``lang`` (any of its ISO codes), preferring the table of ``dataset``."""
    language = find_language(lang)
    codes = set(language.codes) if language else {lang}
    tables = [dataset, *[t for t in PAPER_TABLES if t != dataset]] if dataset in PAPER_TABLES else list(PAPER_TABLES)
    for table in tables:
        try:
            rows = load_paper_results(table, directory=directory)
        except ProjectionError:
            continue
        found = [row for row in rows if row.lang in codes]
        if found:
            return PaperLookup(table, found)
    return None


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} s" if value < 120 else f"{value / 60:.1f} min"


def method_label(run: Run) -> str:
    """What distinguishes a run's method in the per-language table: the projector (plus the trainer if not spaCy)."""
    projector = str(run.method.get("projector", "?"))
    trainer = run.method.get("trainer")
    return projector if trainer in (None, "spacy") else f"{projector} [{trainer}]"


def paper_label_f1(run: Run) -> float | None:
    """F1 over PER/ORG/LOC (the paper's labels), when the run has it."""
    scores = run.metrics_by_labels.get("PER,ORG,LOC")
    if scores is not None:
        return float(scores["overall"]["f1"])
    labels = set(run.metrics.get("per_label", {}))
    return run.f1 if labels and labels <= {"PER", "ORG", "LOC"} else None


def settings_of(run: Run) -> dict[str, str]:
    """A run's choices flattened to strings: method, data and trainer settings (to find what a variant changed)."""
    flat = {key: str(value) for key, value in run.method.items()}
    config = run.config
    for key in ("splits", "max_train_sentences", "exclude_test_overlap", "seed"):
        if key in config:
            flat[key] = str(config[key])
    trainer = config.get("trainer") or {}
    for key, value in (trainer.get("params") or {}).items():
        if key not in ("labels", "seed"):
            flat[f"trainer.{key}"] = str(value)
    return flat


def stage_names(runs: Sequence[Run]) -> list[str]:
    """Wall-clock stages of the runs in order of appearance (totals and CPU times left out)."""
    names = (stage for run in runs for stage in run.timings)
    return [name for name in dict.fromkeys(names) if name != "total" and not name.endswith("_cpu")]


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Report:
    """Tables and charts computed once from the runs, rendered as Markdown and as HTML."""

    def __init__(self, runs: Sequence[Run], *, paper_dir: str | os.PathLike[str] | None = None) -> None:
        if not runs:
            raise ProjectionError("No runs to report on.")
        self.runs = list(runs)
        self.train_runs = [r for r in self.runs if r.kind == "translate-train"]
        self.test_runs = [r for r in self.runs if r.kind == "translate-test"]
        main = [r for r in self.train_runs if r.group == MAIN_GROUP]
        self.main = main or [r for r in self.train_runs if not r.group]
        groups: dict[str, list[Run]] = defaultdict(list)
        for run in self.train_runs:
            if run not in self.main:
                groups[run.group or "other"].append(run)
        self.groups = dict(sorted(groups.items()))
        self.langs = sorted({r.lang for r in self.main})
        self.methods = sorted({method_label(r) for r in self.main})
        keys = {(r.lang, r.dataset) for r in self.runs}
        self.paper = {key: paper_for(key[0], key[1], paper_dir) for key in sorted(keys)}

    def cell(self, lang: str, method: str) -> Run | None:
        """The main run for a language and method (the best one, if several were saved)."""
        runs = [r for r in self.main if r.lang == lang and method_label(r) == method]
        return max(runs, key=lambda r: r.f1) if runs else None

    def mean_f1(self, method: str, langs: Sequence[str]) -> float | None:
        runs = [run for lang in langs if (run := self.cell(lang, method))]
        return sum(run.f1 for run in runs) / len(runs) if runs else None

    def paper_of(self, run: Run) -> PaperLookup | None:
        return self.paper.get((run.lang, run.dataset))

    # -- tables -------------------------------------------------------------------------------------------------

    def language_table(self) -> Table:
        header = ["language", *[f"ours: {m}" for m in self.methods], "ours best, PER/ORG/LOC", "runtime (best)"]
        header += [f"paper: {m}" for m in PAPER_METHODS] + ["paper: best projection (method)"]
        rows = []
        for lang in self.langs:
            cells = [self.cell(lang, method) for method in self.methods]
            present = [run for run in cells if run is not None]
            best = max(present, key=lambda r: r.f1)
            row = [lang, *[fmt(run.f1 if run else None) for run in cells]]
            row += [fmt(paper_label_f1(best)), seconds(best.timings.get("total"))]
            paper = self.paper_of(best)
            for method in PAPER_METHODS:
                result = paper.best(method) if paper else None
                row.append(fmt(result.f1 if result else None))
            top = paper.best() if paper else None
            row.append(f"{fmt(top.f1)} ({top.method}, {top.aligner})" if top else "– (not in the paper)")
            rows.append(row)
        return header, rows

    def label_table(self) -> Table:
        labels = sorted({label for r in self.main for label in r.metrics.get("per_label", {})})
        header = ["language", "method", *labels, "overall"]
        rows = []
        for lang in self.langs:
            for method in self.methods:
                run = self.cell(lang, method)
                if run is None:
                    continue
                per_label = run.metrics.get("per_label", {})
                scores = [fmt(per_label[label]["f1"]) if label in per_label else "–" for label in labels]
                rows.append([lang, method, *scores, fmt(run.f1)])
        return header, rows

    def paper_label_table(self) -> Table:
        """The paper's per-label F1 for the best paper method of each language (intrinsic, marked)."""
        header = ["language", "paper table", "paper's best projection method (aligner)", "PER", "ORG", "LOC", "overall"]
        rows = []
        for lang in self.langs:
            run = next(r for r in self.main if r.lang == lang)
            paper = self.paper_of(run)
            top = paper.best() if paper else None
            if paper is None or top is None:
                continue
            per_label = [fmt(top.per_label_f1.get(label)) for label in ("PER", "ORG", "LOC")]
            rows.append([lang, paper.table, f"{top.method} ({top.aligner})", *per_label, fmt(top.f1)])
        return header, rows

    def runtime_table(self) -> Table:
        stages = stage_names(self.main)
        header = ["run", "language", "method", "n train", *stages, "total", "train CPU", "total CPU"]
        rows = []
        for run in sorted(self.main, key=lambda r: (r.lang, method_label(r))):
            n_train = run.data.get("n_train")
            row = [run.name, run.lang, method_label(run), str(n_train) if n_train is not None else "–"]
            row += [seconds(run.timings.get(stage)) for stage in stages] + [seconds(run.timings.get("total"))]
            row += [seconds(run.timings.get("train_cpu")), seconds(run.timings.get("total_cpu"))]
            rows.append(row)
        return header, rows

    def data_table(self) -> Table:
        header = ["language", "bitext parts", "bitext pairs used", "test overlap (excluded)", "silver kept", "n train"]
        header += ["test sentences", "test entities"]
        rows = []
        seen = set()
        for run in sorted(self.main, key=lambda r: r.lang):
            if run.lang in seen:
                continue
            seen.add(run.lang)
            data = run.data
            silver = data.get("silver", {})
            excluded = "yes" if run.config.get("exclude_test_overlap", True) else "no"
            rows.append(
                [
                    run.lang,
                    ", ".join(data.get("bitext_parts", [])),
                    str(data.get("n_bitext_pairs", "–")),
                    f"{data.get('n_test_overlap', '–')} ({excluded})",
                    f"{silver.get('n_kept', '–')} / {silver.get('n_records', '–')}",
                    str(data.get("n_train", "–")),
                    str(data.get("n_test", "–")),
                    str(data.get("n_test_entities", "–")),
                ]
            )
        return header, rows

    def group_table(self, runs: Sequence[Run]) -> Table:
        """Variants best first: only the settings that differ between them, F1 and its gap to the best."""
        runs = sorted(runs, key=lambda r: -r.f1)
        settings = [settings_of(run) for run in runs]
        keys = sorted({key for s in settings for key in s})
        varying = [key for key in keys if len({s.get(key, "–") for s in settings}) > 1]
        labels = sorted({label for r in runs for label in r.metrics.get("per_label", {})})
        header = ["run", "language", *varying, "n train", "F1", "Δ F1 to best", *[f"{label} F1" for label in labels]]
        header += ["train time", "total time"]
        best = runs[0].f1
        rows = []
        for run, setting in zip(runs, settings, strict=True):
            per_label = run.metrics.get("per_label", {})
            row = [run.name, run.lang, *[setting.get(key, "–") for key in varying]]
            row += [str(run.data.get("n_train", "–")), fmt(run.f1), f"{run.f1 - best:+.3f}"]
            row += [fmt(per_label[label]["f1"]) if label in per_label else "–" for label in labels]
            row += [seconds(run.timings.get("train")), seconds(run.timings.get("total"))]
            rows.append(row)
        return header, rows

    def translate_test_table(self) -> Table:
        header = ["run", "language", "dataset", "translator", "labeller", "aligner", "projector", "F1", "P", "R"]
        header += ["proj_ratio", "runtime", "paper best (table, method, aligner)"]
        rows = []
        for run in sorted(self.test_runs, key=lambda r: (r.lang, r.name)):
            overall = run.metrics["overall"]
            paper = self.paper_of(run)
            top = paper.best() if paper else None
            paper_cell = f"{fmt(top.f1)} ({paper.table}, {top.method}, {top.aligner})" if paper and top else "–"
            rows.append(
                [
                    run.name,
                    run.lang,
                    run.dataset,
                    str(run.method.get("translator")),
                    str(run.method.get("labeller")),
                    f"{run.method.get('aligner')} ({run.method.get('symmetrisation')})",
                    str(run.method.get("projector")),
                    fmt(overall["f1"]),
                    fmt(overall["precision"]),
                    fmt(overall["recall"]),
                    fmt(run.metrics.get("proj_ratio")),
                    seconds(run.timings.get("total")),
                    paper_cell,
                ]
            )
        return header, rows

    def error_table(self) -> Table:
        kinds = list(dict.fromkeys(kind for r in self.runs for kind in r.errors))
        header = ["run", "kind", *kinds]
        rows = [[r.name, r.kind, *[str(r.errors.get(kind, 0)) for kind in kinds]] for r in self.runs if r.errors]
        return header, rows

    # -- charts -------------------------------------------------------------------------------------------------

    def figures(self) -> dict[str, Any]:
        """Plotly figures by key; :meth:`sections` says which section shows which."""
        import plotly.graph_objects as go

        figures: dict[str, Any] = {}
        if self.main:
            fig = go.Figure()
            for method in self.methods:
                runs = [self.cell(lang, method) for lang in self.langs]
                fig.add_bar(name=f"ours: {method}", x=self.langs, y=[r.f1 if r else None for r in runs])
            for method, symbol in (("heuristic", "diamond"), (None, "star")):
                ys = []
                for lang in self.langs:
                    run = next(r for r in self.main if r.lang == lang)
                    paper = self.paper_of(run)
                    best = paper.best(method) if paper else None
                    ys.append(best.f1 if best else None)
                name = f"paper: {method or 'best method'} (intrinsic translate-test, NLLB-3.3B + XLM-R-large)"
                fig.add_scatter(name=name, x=self.langs, y=ys, mode="markers", marker={"symbol": symbol, "size": 12})
            fig.update_layout(
                title="F1 per language: ours (translate-train) and the paper's (intrinsic)",
                barmode="group",
                yaxis={"title": "F1", "range": [0, 1]},
            )
            figures["per-language"] = fig

            fig = go.Figure()
            header, rows = self.label_table()
            labels = header[2:-1]
            for label in labels:
                column = header.index(label)
                xs = [f"{row[0]} · {row[1]}" for row in rows]
                ys = [None if row[column] == "–" else float(row[column]) for row in rows]
                fig.add_bar(name=label, x=xs, y=ys)
            fig.update_layout(title="F1 per label (ours)", barmode="group", yaxis={"title": "F1", "range": [0, 1]})
            figures["per-label"] = fig

            fig = go.Figure()
            shared = [lang for lang in self.langs if all(self.cell(lang, method) for method in self.methods)]
            means = [self.mean_f1(method, shared) for method in self.methods]
            fig.add_bar(x=self.methods, y=means, text=[fmt(m) for m in means])
            title = f"Mean F1 per method over the {len(shared)} languages every method ran on (ours)"
            fig.update_layout(title=title, yaxis={"title": "F1", "range": [0, 1]})
            figures["per-method"] = fig

            fig = go.Figure()
            ordered = sorted(self.main, key=lambda r: (r.lang, method_label(r)))
            stages = stage_names(ordered)
            for stage in stages:
                fig.add_bar(name=stage, x=[r.name for r in ordered], y=[r.timings.get(stage, 0.0) for r in ordered])
            fig.update_layout(title="Runtime per run and stage", barmode="stack", yaxis={"title": "seconds"})
            figures["runtime"] = fig

        for group, runs in self.groups.items():
            fig = go.Figure()
            ordered = sorted(runs, key=lambda r: -r.f1)
            fig.add_bar(x=[r.name for r in ordered], y=[r.f1 for r in ordered], text=[fmt(r.f1) for r in ordered])
            fig.update_layout(title=f"Variants: {group}", yaxis={"title": "F1", "range": [0, 1]})
            figures[f"group-{group}"] = fig

        if self.test_runs:
            fig = go.Figure()
            fig.add_bar(
                name="ours (translate-test)", x=[r.name for r in self.test_runs], y=[r.f1 for r in self.test_runs]
            )
            ys = []
            for run in self.test_runs:
                paper = self.paper_of(run)
                best = paper.best() if paper else None
                ys.append(best.f1 if best else None)
            fig.add_scatter(
                name="paper best (intrinsic, NLLB-3.3B + XLM-R-large; its own data set)",
                x=[r.name for r in self.test_runs],
                y=ys,
                mode="markers",
                marker={"symbol": "star", "size": 12},
            )
            fig.update_layout(title="translate-test F1", yaxis={"title": "F1", "range": [0, 1]})
            figures["translate-test"] = fig
        return figures

    # -- rendering ----------------------------------------------------------------------------------------------

    def sections(self) -> list[Section]:
        """The report's sections in order."""
        out: list[Section] = []
        if self.main:
            out.append(
                Section(
                    "Per-language F1 by method (translate-train)",
                    "Ours: a target NER model trained on projected MAFAND data, scored on the gold test set "
                    "(PER/ORG/LOC/DATE unless the run says otherwise). Paper: intrinsic translate-test, "
                    "PER/ORG/LOC, NLLB-3.3B + XLM-R-large — not the same measurement (see the note above).",
                    self.language_table(),
                    ("per-language", "per-method"),
                )
            )
            out.append(Section("Per-label F1 (ours)", "", self.label_table(), ("per-label",)))
            out.append(
                Section(
                    "Per-label F1 of the paper's best projection method (paper, intrinsic translate-test)",
                    "The paper's numbers, for the same languages; they score PER/ORG/LOC only.",
                    self.paper_label_table(),
                )
            )
            out.append(
                Section(
                    "Data",
                    "Bitext pairs whose target side is also a test sentence are counted and, unless the run says "
                    "otherwise, excluded from training.",
                    self.data_table(),
                )
            )
            runtime_note = (
                "Wall-clock time per stage (cached stages take almost none) and the process's CPU time, which says "
                "more on a machine shared with other work."
            )
            out.append(Section("Runtime", runtime_note, self.runtime_table(), ("runtime",)))
        for group, runs in self.groups.items():
            out.append(
                Section(
                    f"Variants: {group}",
                    "Best first; Δ F1 is the gap to the best variant; only the settings that differ are shown.",
                    self.group_table(runs),
                    (f"group-{group}",),
                )
            )
        if self.test_runs:
            out.append(
                Section(
                    "translate-test (intrinsic)",
                    "Projected spans scored directly against the gold labels. The paper column is the paper's best "
                    "intrinsic result for the language in the named table (its own data set and models).",
                    self.translate_test_table(),
                    ("translate-test",),
                )
            )
        errors = self.error_table()
        if errors[1]:
            kinds = "Per span: correct, wrong label, boundary, both, missed, spurious."
            out.append(Section("Error types", kinds, errors))
        return out

    def markdown(self) -> str:
        parts = [
            "# Projection evaluation report",
            f"{len(self.runs)} runs, generated {datetime.now(UTC).isoformat(timespec='seconds')}.",
            f"> **About the paper's numbers.** {PAPER_NOTE}",
        ]
        for section in self.sections():
            parts.append(f"## {section.title}")
            if section.text:
                parts.append(section.text)
            parts.append(_md_table(*section.table))
        parts.append("Charts: see report.html.")
        return "\n\n".join(parts) + "\n"

    def html(self) -> str:
        body = [
            "<h1>Projection evaluation report</h1>",
            f"<p>{len(self.runs)} runs, generated {datetime.now(UTC).isoformat(timespec='seconds')}.</p>",
            f"<p class='note'><strong>About the paper's numbers.</strong> {html.escape(PAPER_NOTE)}</p>",
        ]
        figures = self.figures()
        first = True
        for section in self.sections():
            body.append(f"<h2>{html.escape(section.title)}</h2>")
            if section.text:
                body.append(f"<p>{html.escape(section.text)}</p>")
            body.append(_html_table(*section.table))
            for key in section.charts:
                if key in figures:
                    body.append(f"<div id='chart-{html.escape(key)}'>")
                    body.append(figures[key].to_html(full_html=False, include_plotlyjs=first))
                    body.append("</div>")
                    first = False
        style = (
            "body{font-family:sans-serif;margin:2em;max-width:1400px} table{border-collapse:collapse;margin:1em 0}"
            "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right} th{background:#f3f3f3}"
            ".note{background:#fff7e0;padding:.8em;border-left:4px solid #e0a000}"
        )
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Projection evaluation report</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
        )


def write_report(
    runs: Sequence[Run],
    out_dir: str | os.PathLike[str],
    *,
    paper_dir: str | os.PathLike[str] | None = None,
) -> ReportFiles:
    """Write ``report.md`` and ``report.html`` for ``runs`` into ``out_dir`` (each written atomically)."""
    report = Report(runs, paper_dir=paper_dir)
    out = Path(out_dir)
    files = ReportFiles(out / "report.md", out / "report.html")
    with atomic_write(files.markdown) as handle:
        handle.write(report.markdown())
    with atomic_write(files.html) as handle:
        handle.write(report.html())
    return files
