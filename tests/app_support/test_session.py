"""The app's session helpers, driven through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from projection.app_support.markdown_text import plain

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("page", ["review", "export", "inspect"])
def test_a_store_that_cannot_be_opened_is_a_message_on_the_pages_that_use_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    damaged = tmp_path / "corrections_[draft].sqlite"
    damaged.write_bytes(b"")
    monkeypatch.setenv("PROJECTION_CORRECTIONS_URL", f"sqlite:///{damaged}")
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    app.run()
    app.switch_page(f"pages/{page}.py").run()

    assert not app.exception, [e.message for e in app.exception]
    (error,) = app.error
    assert plain(f"{damaged} is an empty file (0 bytes)") in error.value, "the path is plain text, not Markdown"
    assert "Restore it from a backup" in error.value
