"""The real app in headless Chromium: every page clicked through, screenshots taken, markup shown as text.

Starts ``streamlit run app.py`` on a free localhost port with its own
corrections database and a data folder of its own for the paths the tests
type. Screenshots go to pytest's temporary folder; with
``PROJECTION_UPDATE_SCREENSHOTS=1`` the Inspect and Errors ones also to
``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_text import DATASET_NAME, IMG, METHODS, TRAP_HOST, hostile_records

from projection.app_support.data_roots import ROOTS_ENV
from projection.app_support.local_run import BROWSER_TIMEOUT_MS, CHROMIUM, REPO, LocalApp, start_app
from projection.app_support.workspace import WORKSPACE_ENV
from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.store import CorrectionsStore
from projection.writers.jsonl import write_jsonl

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

SCREENSHOTS = REPO / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("PROJECTION_UPDATE_SCREENSHOTS") == "1"
"""The README's screenshots are rewritten only when asked, so a test run leaves the checkout as it was."""


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the server may read typed paths in, besides the project folder."""
    return tmp_path_factory.mktemp("data")


def server_env(folder: Path, data_root: Path) -> dict[str, str]:
    """A store, a workspace and a data folder of the test's own."""
    return {
        "PROJECTION_CORRECTIONS_URL": f"sqlite:///{folder / 'corrections.sqlite'}",
        "PROJECTION_AUTHOR": "browser",
        WORKSPACE_ENV: str(folder / "workspace"),
        ROOTS_ENV: str(data_root),
    }


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("app")


@pytest.fixture(scope="module")
def server(app_folder: Path, data_root: Path) -> Iterator[LocalApp]:
    app = start_app(env=server_env(app_folder, data_root))
    yield app
    app.stop()


def go(page: Any, title: str) -> None:
    """Click a page in the top navigation."""
    page.get_by_test_id("stTopNavLink").filter(has_text=title).click()


def open_data_page(page: Any, server: LocalApp) -> None:
    """The Data page, reached through the navigation: a fresh server shown a deep link first draws no navigation."""
    page.goto(server.url)
    go(page, "Data")
    page.get_by_text("Data sets in the workspace").wait_for()


def small_png(page: Any, path: Path) -> None:
    """A screenshot of the window reduced to a 256-colour palette, so the README's images stay small."""
    from PIL import Image

    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=256).save(path, optimize=True)


def test_every_page_clicked_through_with_screenshots(server: LocalApp, page: Any, tmp_path: Path) -> None:
    page.goto(f"{server.url}?sentence=ex-2")
    page.wait_for_selector(".js-plotly-plot")
    page.get_by_text("3 / 52", exact=True).wait_for()
    assert "Banco Central Europeo" in page.inner_text('[data-testid="stMain"]')
    page.wait_for_timeout(800)
    small_png(page, tmp_path / "inspect.png")
    if UPDATE_SCREENSHOTS:
        small_png(page, SCREENSHOTS / "inspect.png")

    page.get_by_role("button", name="Next ▶").click()
    page.get_by_text("4 / 52", exact=True).wait_for()
    page.get_by_text("El delantero").first.wait_for()

    go(page, "Errors")
    page.get_by_text("Sentences by error").wait_for()
    page.wait_for_selector(".js-plotly-plot")
    page.wait_for_timeout(800)
    small_png(page, tmp_path / "errors.png")
    if UPDATE_SCREENSHOTS:
        small_png(page, SCREENSHOTS / "errors.png")
    page.get_by_role("button", name="Inspect").first.click()
    page.get_by_text("Alignment", exact=True).wait_for()

    go(page, "Review")
    page.get_by_text("Spans", exact=True).wait_for()
    page.get_by_text("0 of 52 reviewed", exact=False).wait_for()
    page.get_by_role("button", name="Reviewed, next").click()
    page.get_by_text("1 of 52 reviewed", exact=False).wait_for()
    small_png(page, tmp_path / "review.png")

    go(page, "Team")
    page.get_by_text("Share the es sentences out").wait_for()
    small_png(page, tmp_path / "team.png")

    go(page, "Export")
    page.get_by_role("button", name="Prepare export").click()
    download_button = page.get_by_role("button", name="Download example-bitext-es-heuristic.conll")
    download_button.wait_for()
    with page.expect_download() as download:
        download_button.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[:4] == ["# id = ex-0", "# review_status = not reviewed", "Lucía B-PER", "Fernández I-PER"]
    small_png(page, tmp_path / "export.png")

    go(page, "Data")
    page.get_by_text("Data sets in the workspace").wait_for()
    small_png(page, tmp_path / "data.png")
    assert page.dialogs == []
    for name in ("inspect", "errors", "review", "team", "export", "data"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_markup_in_tokens_shows_as_text_and_runs_nothing(server: LocalApp, page: Any, data_root: Path) -> None:
    hostile = "<script>alert(1)</script>"
    record = ProjectionRecord(
        id="h1",
        source=Sentence("h1", "en", ['<img src=x onerror="alert(2)">', "visited", "Lima"], [Span(2, 3, "LOC")]),
        target=Sentence("h1", "es", [hostile, "visitó", "Lima"]),
        alignment=Alignment([(0, 0), (1, 1), (2, 2)]),
        projected=[Span(0, 1, "PER"), Span(2, 3, "LOC")],
        gold=[Span(2, 3, "LOC")],
        provenance={"method": "heuristic"},
    )
    write_jsonl([record], data_root / "hostile" / "heuristic.jsonl")
    open_data_page(page, server)
    page.get_by_label("…or a file or folder on this machine").fill(str(data_root / "hostile"))
    page.get_by_test_id("stTabs").get_by_role("button", name="Open", exact=True).click()
    page.get_by_text("Loaded hostile").wait_for()
    go(page, "Inspect")
    page.wait_for_selector(".js-plotly-plot")
    page.get_by_text(hostile, exact=True).first.wait_for()
    assert page.locator(".pj-sent script").count() == 0
    assert page.locator('.pj-sent img, [data-testid="stMain"] img[src="x"]').count() == 0
    page.wait_for_timeout(1000)
    assert page.dialogs == []


# every attribute that makes the browser fetch or run something, pointing where the data wants it to
TRAPS_JS = """() => Array.from(document.querySelectorAll('*')).flatMap(element =>
    Array.from(element.attributes)
        .filter(a => /^(href|xlink:href|src|srcset|action|formaction)$/i.test(a.name))
        .filter(a => /^\\s*javascript:/i.test(a.value) || a.value.includes('127.0.0.1:9') || a.value === 'x')
        .map(a => `${element.tagName} ${a.name}=${a.value}`))"""


def assert_no_trap(page: Any) -> None:
    assert page.evaluate(TRAPS_JS) == []
    assert page.locator('img[src="x"], a[href^="javascript"], img[src*="127.0.0.1"]').count() == 0


def test_a_hostile_data_set_runs_nothing_and_fetches_nothing_on_any_page(
    server: LocalApp, page: Any, data_root: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    records = hostile_records()
    for number, method in enumerate(METHODS):
        write_jsonl([r for r in records if r.provenance["method"] == method], data_root / "sweep" / f"m{number}.jsonl")
    open_data_page(page, server)
    records_tab = page.get_by_role("tabpanel", name="Open projected output")
    records_tab.get_by_label("…or a file or folder on this machine").fill(str(data_root / "sweep"))
    records_tab.get_by_label("Name", exact=True).fill(DATASET_NAME)
    page.get_by_test_id("stTabs").get_by_role("button", name="Open", exact=True).click()
    loaded = page.get_by_text("It is now selected in the sidebar")
    loaded.wait_for()
    # the name shows as written (word joiners, invisible, keep addresses from turning into links)
    assert loaded.inner_text().replace("\u2060", "").startswith(f"Loaded {DATASET_NAME}:")
    assert_no_trap(page)

    go(page, "Inspect")
    page.wait_for_selector(".js-plotly-plot")
    page.get_by_text(IMG, exact=True).first.wait_for()
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option").first.wait_for()
    assert_no_trap(page)
    page.keyboard.press("Escape")

    go(page, "Errors")
    page.get_by_text("Sentences by error").wait_for()
    page.wait_for_selector(".js-plotly-plot .legend")
    assert_no_trap(page)

    go(page, "Review")
    page.get_by_text("Spans", exact=True).wait_for()
    # the first word takes the second hostile label: the toast names both labels
    page.get_by_test_id("stMain").get_by_role("button", name="Ana", exact=True).click()
    page.keyboard.press("2")
    page.get_by_test_id("stToast").wait_for()
    assert_no_trap(page)
    page.get_by_test_id("stMain").get_by_role("button", name="Reject").first.click()
    page.get_by_test_id("stToast").filter(has_text="«Ana»", has_not_text="+").wait_for()
    assert_no_trap(page)
    go(page, "Team")
    page.get_by_text("Share the").wait_for()
    assert_no_trap(page)

    go(page, "Export")
    page.get_by_role("button", name="Prepare export").click()
    page.get_by_text("is empty or contains whitespace").wait_for()
    assert_no_trap(page)

    go(page, "Data")
    page.get_by_text("Data sets in the workspace").wait_for()
    page.wait_for_timeout(1000)
    assert_no_trap(page)
    assert [url for url in requests if TRAP_HOST in url] == []
    assert page.dialogs == []


CHIPS_JS = """() => {
  const target = document.querySelector('[data-testid="stMain"] .pj-sent');
  if (!target) return [];
  return Array.from(target.querySelectorAll('.pj-ent')).map(chip => {
    const words = Array.from(chip.querySelectorAll('.pj-tok')).map(token => token.textContent).join(' ');
    return `${words} ${chip.querySelector('.pj-lbl').textContent}`;
  });
}"""


def wait_for_chips(page: Any, expected: list[str]) -> None:
    """Wait until the Review page's target sentence shows exactly these spans (``words LABEL``, in order)."""
    page.wait_for_function(f"expected => JSON.stringify(({CHIPS_JS})()) === JSON.stringify(expected)", arg=expected)


def test_clicking_words_and_pressing_keys_makes_and_accepts_spans(
    server: LocalApp, app_folder: Path, page: Any
) -> None:
    page.goto(f"{server.url}?sentence=ex-5")
    page.wait_for_selector(".js-plotly-plot")
    go(page, "Review")
    main = page.get_by_test_id("stMain")
    main.get_by_text("6 / 52", exact=True).wait_for()
    wait_for_chips(page, ["viernes DATE", "Europa LOC"])
    words = main.locator(".st-key-review_words_ex-5")
    # the projection missed the organisation: its first and last word, then 2 (ORG)
    words.get_by_role("button", name="Organización", exact=True).click()
    words.get_by_role("button", name="Salud", exact=True).click()
    page.keyboard.press("2")
    page.get_by_test_id("stToast").filter(has_text="+ ORG «Organización Mundial de la Salud»").wait_for()
    wait_for_chips(page, ["Organización Mundial de la Salud ORG", "viernes DATE", "Europa LOC"])
    page.keyboard.press("a")  # accept the next span still as projected: viernes
    page.get_by_test_id("stToast").filter(has_text="✓ DATE «viernes»").wait_for()
    page.keyboard.press("n")  # reviewed, next
    main.get_by_text("7 / 52", exact=True).wait_for()

    store = CorrectionsStore(f"sqlite:///{app_folder / 'corrections.sqlite'}")
    (key,) = [key for key in store.datasets() if key.startswith("example@")]
    (version,) = store.sentence_reviews(key, lang="es", sentence_id="ex-5").versions
    store.close()
    assert version.owner == "browser" and version.reviewed
    assert [(s.key, s.origin) for s in version.spans or []] == [
        ((1, 6, "ORG"), "corrected"),
        ((8, 9, "DATE"), "accepted"),
        ((16, 17, "LOC"), "projected:heuristic"),
    ]
    assert page.dialogs == []


def test_the_workspace_comes_back_after_the_server_restarts(
    tmp_path_factory: pytest.TempPathFactory, browser: Any, data_root: Path
) -> None:
    folder = tmp_path_factory.mktemp("restart")
    env = server_env(folder, data_root)
    record = ProjectionRecord(
        id="w-1",
        source=Sentence("w-1", "en", ["Amina", "visited", "Mombasa"], [Span(0, 1, "PER"), Span(2, 3, "LOC")]),
        target=Sentence("w-1", "sw", ["Amina", "alitembelea", "Mombasa"]),
        alignment=Alignment([(0, 0), (1, 1), (2, 2)]),
        projected=[Span(0, 1, "PER"), Span(2, 3, "LOC")],
        provenance={"method": "heuristic"},
    )
    second = ProjectionRecord(
        "w-2", Sentence("w-2", "en", ["Juma", "left"]), Sentence("w-2", "sw", ["Juma", "aliondoka"]),
        projected=[Span(0, 1, "PER")], provenance={"method": "heuristic"},
    )  # fmt: skip
    write_jsonl([record, second], data_root / "kept-run" / "heuristic.jsonl")
    first_server = start_app(env=env)
    try:
        tab = browser.new_page(viewport={"width": 1320, "height": 1500})
        tab.set_default_timeout(BROWSER_TIMEOUT_MS)
        open_data_page(tab, first_server)
        tab.get_by_label("…or a file or folder on this machine").fill(str(data_root / "kept-run"))
        tab.get_by_test_id("stTabs").get_by_role("button", name="Open", exact=True).click()
        tab.get_by_text("Loaded kept-run").wait_for()
        go(tab, "Inspect")
        tab.get_by_role("button", name="Next ▶").click()
        tab.get_by_text("2 / 2", exact=True).wait_for()
        address = tab.url
        assert "dataset=kept-run" in address and "sentence=w-2" in address
    finally:
        first_server.stop()
    restarted = start_app(env=env)
    try:
        tab.goto(address.replace(first_server.url, restarted.url))  # a reload of the same address
        tab.get_by_text("2 / 2", exact=True).wait_for()
        tab.get_by_text("aliondoka").first.wait_for()
        assert "kept-run" in tab.get_by_test_id("stSidebar").inner_text()
        tab.close()
    finally:
        restarted.stop()


def test_the_data_page_stays_on_its_tab_after_projecting(server: LocalApp, page: Any, data_root: Path) -> None:
    (data_root / "tab").mkdir()
    (data_root / "tab" / "dev.en").write_text("Amina visited Nairobi .\nJuma works in Mombasa .\n", encoding="utf-8")
    (data_root / "tab" / "dev.swa").write_text("Amina alitembelea Nairobi .\nJuma anafanya kazi Mombasa .\n", "utf-8")
    open_data_page(page, server)
    page.get_by_role("tab", name="Project a bitext").click()
    panel = page.get_by_role("tabpanel", name="Project a bitext")
    panel.get_by_label("…or the source path").fill(str(data_root / "tab" / "dev.en"))
    panel.get_by_label("…or the target path").fill(str(data_root / "tab" / "dev.swa"))
    panel.get_by_label("…or the target path").press("Enter")
    panel.get_by_text("Swahili (", exact=False).wait_for()  # the language read from the file name
    panel.get_by_role("button", name="Project").click()
    page.get_by_text("Loaded dev").wait_for()
    assert page.get_by_role("tab", name="Project a bitext").get_attribute("aria-selected") == "true"
