"""Reading the paper's result tables and naming its methods as ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.evaluation.paper import PAPER_RESULTS_DIR, load_paper_results, method_name

HEADER = (
    "Duration,Run ID,Name,Status,LOC_f1,LOC_number,ORG_f1,PER_f1,overall_f1,overall_precision,overall_recall,"
    "proj_ratio,pipeline_type,lang,aligner,candidate_matching,candidate_selection"
)


def test_method_names() -> None:
    assert method_name("align_src") == "heuristic"
    assert method_name("align_tgt") == "backtranslation"
    assert method_name("model_transfer") == "model-transfer"
    assert method_name("candidates", "dummy", "argmax") == "ngram-greedy"
    assert method_name("candidates", "ner", "exact") == "ner-exact"
    assert method_name("backtrans_candidates", "ner", "argmax") == "backtranslation:ner-greedy"


def test_reads_rows_of_one_language_best_first(tmp_path: Path) -> None:
    (tmp_path / "xtreme40_metrics.csv").write_text(
        HEADER
        + "\n1m,a,x,FINISHED,0.5,10,0.4,0.6,0.52,0.6,0.45,0.9,candidates,es,awesome,argmax,dummy"
        + "\n1m,b,y,FINISHED,0.7,10,0.5,0.8,0.63,0.7,0.6,1.0,model_transfer,es,,,"
        + "\n1m,c,z,FINISHED,0.1,10,0.1,0.1,0.10,0.1,0.1,0.5,align_src,de,awesome,,"
        + "\n",
        encoding="utf-8",
    )
    rows = load_paper_results("xtreme40", "es", tmp_path)
    assert [(r.method, r.aligner, r.f1) for r in rows] == [
        ("model-transfer", "-", 0.63),
        ("ngram-greedy", "awesome", 0.52),
    ]
    assert rows[1].per_label_f1 == {"LOC": 0.5, "ORG": 0.4, "PER": 0.6}


def test_missing_table_or_unknown_name_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="missing"):
        load_paper_results("xtreme40", "es", tmp_path)
    with pytest.raises(ProjectionError, match="Unknown paper table"):
        load_paper_results("conll", "es", tmp_path)


def test_the_real_spanish_rows() -> None:
    if not (PAPER_RESULTS_DIR / "xtreme40_metrics.csv").is_file():
        pytest.skip("the paper's tables are not beside the checkout (../shared/anchors/paper_results)")
    rows = load_paper_results("xtreme40", "es")
    methods = {(r.method, r.aligner) for r in rows}
    assert ("heuristic", "awesome") in methods and ("ner-greedy", "simalign") in methods
    assert len(rows) == 13
    assert rows[0].method == "model-transfer"
    assert all(0 < r.f1 < 1 for r in rows)
