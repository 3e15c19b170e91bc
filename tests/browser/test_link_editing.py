"""Editing links by clicking heatmap cells in the real app, in headless Chromium.

A click on a cell is a chart selection event that adds or removes that link,
and the projection changes at once. ex-11 of the built-in example links
Atlantic with costa, so "costa" is projected as LOC and "Atlántico" missed;
two clicks fix it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_pages import example_record

from projection.app_support.local_run import CHROMIUM, LocalApp, start_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed at {CHROMIUM}"),
]
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

PLOT_AREA = '[data-testid="stMain"] .js-plotly-plot .nsewdrag'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApp]:
    folder = tmp_path_factory.mktemp("app")
    app = start_app(
        env={"PROJECTION_CORRECTIONS_URL": f"sqlite:///{folder / 'corrections.sqlite'}", "PROJECTION_AUTHOR": "browser"}
    )
    yield app
    app.stop()


def click_cell(page: Any, source: int, target: int, n_src: int, n_tgt: int) -> None:
    """Click the centre of a cell: rows are source tokens top to bottom, columns target tokens left to right."""
    area = page.locator(PLOT_AREA).first
    area.wait_for()
    area.scroll_into_view_if_needed()  # spans shown before and after an edit push the chart down the page
    box = area.bounding_box()
    x = box["x"] + (target + 0.5) / n_tgt * box["width"]
    y = box["y"] + (source + 0.5) / n_src * box["height"]
    page.mouse.move(x, y)
    page.wait_for_timeout(300)  # plotly finds the point under the pointer on hover; the click selects it
    page.mouse.click(x, y)


def edit_caption(page: Any, edit: str) -> None:
    """Wait for the caption naming the sentence's edit (a word joiner, invisible, follows its colon)."""
    page.get_by_text(f"Your edit of this sentence:\u2060 {edit}", exact=True).wait_for()


def test_clicking_cells_edits_links_and_the_projection_follows(server: LocalApp, page: Any, tmp_path: Path) -> None:
    record = example_record("ex-11")
    n_src, n_tgt = len(record.source.tokens), len(record.target.tokens)
    page.goto(f"{server.url}?sentence=ex-11")
    page.get_by_text("12 / 52", exact=True).wait_for()
    page.wait_for_selector(PLOT_AREA)
    main = page.get_by_test_id("stMain")
    assert "After ·" not in main.inner_text()

    click_cell(page, 15, 16, n_src, n_tgt)  # Atlantic↔costa, the aligner's link: removed
    edit_caption(page, "removed Atlantic→costa.")
    main.get_by_text("'Atlantic' (LOC) not projected: none of its words is aligned to a target word").wait_for()

    click_cell(page, 15, 18, n_src, n_tgt)  # Atlantic↔Atlántico, an empty cell: added
    edit_caption(page, "added Atlantic→Atlántico; removed Atlantic→costa.")
    main.get_by_text("'Atlántico' LOC: projected from 'Atlantic' (LOC) by links Atlantic→Atlántico").wait_for()
    assert main.locator(".pj-gained").first.inner_text().startswith("Atlántico")
    assert main.locator(".pj-lost").first.inner_text().startswith("costa")
    page.get_by_text("3 correct", exact=True).first.wait_for()
    page.screenshot(path=str(tmp_path / "edited.png"))

    click_cell(page, 15, 18, n_src, n_tgt)  # the same cell again takes the added link out
    edit_caption(page, "removed Atlantic→costa.")

    page.get_by_role("button", name="Reset to aligner output").click()
    page.get_by_text("Click a cell of the chart to add or remove its link").wait_for()
    assert "After ·" not in main.inner_text()
    assert page.dialogs == []
