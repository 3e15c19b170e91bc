"""The browser tests' Chromium (Debian's, headless) and a fresh tab for each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from projection.app_support.local_run import BROWSER_TIMEOUT_MS, launch_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab that records the dialogs it was shown (``page.dialogs``) and dismisses them."""
    context = browser.new_context(viewport={"width": 1320, "height": 1500}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(BROWSER_TIMEOUT_MS)
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()
