"""Names from the data shown literally in Markdown."""

from __future__ import annotations

from projection.app_support.markdown_text import plain


def test_markdown_specials_are_escaped() -> None:
    assert plain("*x*") == r"\*x\*"
    assert plain("![a](http://x)") == r"\!\[a\]\(http\://x\)"
    assert plain("ex_1") == r"ex\_1"
    assert plain("Lima") == "Lima"
