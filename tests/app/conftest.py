"""Fixtures of the app's page tests: a fresh app session with its own corrections database and data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("app_pages")  # its assertions say what differs, as in a test module

from app_pages import REPO  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from projection.app_support.data_roots import ROOTS_ENV  # noqa: E402
from projection.app_support.workspace import WORKSPACE_ENV  # noqa: E402


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A corrections store and a workspace of this test's own."""
    url = f"sqlite:///{tmp_path / 'corrections.sqlite'}"
    monkeypatch.setenv("PROJECTION_CORRECTIONS_URL", url)
    monkeypatch.setenv("PROJECTION_AUTHOR", "tester")
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "workspace"))
    return url


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder the app may read typed paths in, besides the project folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv(ROOTS_ENV, str(folder))
    return folder


@pytest.fixture
def app(store_url: str) -> Iterator[AppTest]:
    test = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    test.run()
    assert not test.exception, [e.message for e in test.exception]
    yield test
