"""Text from the data shown literally in Markdown: no link, image, HTML, icon or formatting comes out of it."""

from __future__ import annotations

from hostile_text import HOSTILE, markdown_problems, shown_text
from hypothesis import given
from hypothesis import strategies as st

from projection.app_support.markdown_text import WORD_JOINER, plain

NASTY = [
    *HOSTILE,
    "http://127.0.0.1:9/auto www.example.org WWW.example.org me@example.org mailto:me@example.org",
    ":red[colour] :material/home: $x^2$ &amp; &#x5B;",
    "title\n===",
    "1. item",
    "> quote | cell |",
    "<http://127.0.0.1:9/>",
]


def test_markdown_specials_are_escaped() -> None:
    assert plain("*x*") == r"\*x\*"
    assert plain("ex_1") == r"ex\_1"
    assert plain("Lima") == "Lima"
    assert plain("![a](http://x)") == rf"\!\[a\]\(http\:{WORD_JOINER}//x\)"


def test_the_hostile_strings_render_as_their_own_text() -> None:
    for text in NASTY:
        body = plain(text)
        assert markdown_problems(body) == [], (text, markdown_problems(body))
        assert shown_text(body) == " ".join(text.split()), text
        # what the oracle flags without escaping, so that it is known to look
        assert markdown_problems(text) or text in ("title\n===", "1. item", "> quote | cell |"), text


def test_line_breaks_become_spaces() -> None:
    assert plain("a\r\nb\nc\rd") == "a b c d"


def test_inside_the_app_s_own_markdown_the_text_stays_text() -> None:
    for text in NASTY:
        body = f"#### Scores of **{plain(text)}**"
        assert markdown_problems(body) == [], text
        assert shown_text(body) == "Scores of " + " ".join(text.split())


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from(list("«»é\t"))))
def test_any_text_shows_as_itself(text: str) -> None:
    body = plain(text)
    assert markdown_problems(body) == []
    assert shown_text(f"x {body} x") == " ".join(f"x {text} x".split())
