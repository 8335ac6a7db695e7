"""User text in markdown renders as typed: every markdown character is escaped, and no text rewrite
of Streamlit's markdown (autolink, arrow, shortcode) finds anything to rewrite."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties import fast
from wijkmodel.text.markdown import BREAK, literal, literal_table

UNESCAPE = re.compile(r"\\(.)", re.DOTALL)

# The rewrites Streamlit 1.67's markdown makes on each text node after the escapes are resolved, as
# in its bundle (static/js/StreamlitMarkdown.*.js): GFM autolink literals (mdast-util-gfm-autolink-
# literal; here without the check of the character in front, so stricter), arrows and signs, and
# shortcodes (remark-emoji, Streamlit's :material_...: icons and :streamlit: logo).
REWRITES = {
    "link": re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE),
    "e-mail": re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
    "icon": re.compile(r":material_(\w+):"),
    "logo": re.compile(r":streamlit:"),
    "emoji": re.compile(r":(\+1|[-\w]+):"),
}
SOURCE_REWRITE = ":material/"
"""Streamlit turns ':material/' into ':material_' in the whole source before it parses it."""


def text_nodes(markdown: str) -> list[str]:
    """The text nodes `literal` output parses into: split at each break, escapes resolved."""
    return [UNESCAPE.sub(r"\1", part) for part in markdown.split(BREAK)]


def rewrites(markdown: str) -> list[str]:
    """What Streamlit's markdown would rewrite (make a link, arrow, icon or emoji) in `markdown`."""
    found = [f"bron: {SOURCE_REWRITE}"] if SOURCE_REWRITE in markdown else []
    for node in text_nodes(markdown):
        found += [f"{kind}: {m.group(0)!r}" for kind, rx in REWRITES.items() for m in rx.finditer(node)]
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Noord", "Noord"),
        ("De Hoven 2", "De Hoven 2"),
        ("Noord-Oost", r"Noord\-Oost"),
        ("**vet**", r"\*\*vet\*\*"),
        ("[klik](https://example.org)", r"\[klik\]\(https\::small[]//example\.org\)"),
        ("![x](https://example.org/p.png)", r"\!\[x\]\(https\::small[]//example\.org/p\.png\)"),
        ("<b>b</b>", r"\<b\>b\</b\>"),
        ("$x^2$", r"\$x\^2\$"),
        ("# kop", r"\# kop"),
        ("1. lijst", r"1\. lijst"),
        ("- punt", r"\- punt"),
        ("~~weg~~", r"\~\~weg\~\~"),
        (":red[rood]", r"\::small[]red\[rood\]"),
        ("&copy;", r"\&copy;"),
        ("C:\\map", r"C\:\\map"),
        ("`code`", r"\`code\`"),
        ("a|b", r"a\|b"),
        ("Wijk: Noord", r"Wijk\: Noord"),
    ],
)
def test_markdown_characters_are_escaped(text: str, expected: str) -> None:
    assert literal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://evil.example/x",
        "Zie HTTP://evil.example",
        "www.evil.nl",
        "WWW.evil.nl/pad",
        "post@evil.nl",
        "mailto:post@evil.nl",
        "A -> B <- C <-> D -- E >= 1 <= 2 ~= 3",
        ":smile: :+1: :material/home: :streamlit:",
    ],
)
def test_urls_e_mail_arrows_and_shortcodes_are_not_rewritten(text: str) -> None:
    assert rewrites(text), f"{text!r}: the oracle must see a rewrite in the raw text"  # the check can fail
    assert rewrites(literal(text)) == []
    assert "".join(text_nodes(literal(text))) == text


def test_a_text_without_those_sequences_gets_no_break() -> None:
    text = "De Hoven (Noord-Oost), 52,5%: Zuid. Mail ons! 1+1 = 2 ~ ongeveer <3"
    assert BREAK not in literal(text)


@fast(200)
@given(st.text() | st.text(alphabet="htps:/w.W@-<>=~_+ma1 x\\"))
def test_escaping_loses_nothing_leaves_no_markdown_character_bare_and_nothing_to_rewrite(text: str) -> None:
    escaped = literal(text)
    assert "".join(text_nodes(escaped)) == text  # a renderer that drops escapes and breaks shows the text as typed
    bare = re.sub(r"\\.", "", escaped.replace(BREAK, ""), flags=re.DOTALL)
    assert not set(bare) & set("\\`*_{}[]()#+-.!|<>~$&:^")
    assert rewrites(escaped) == []


def test_a_table_escapes_text_cells_and_column_names_but_not_numbers() -> None:
    frame = pd.DataFrame({"Wijk": ["**Noord**", "Zuid"], "Score": [52.5, 40.0], "Fase": ["fase 3", None]})
    out = literal_table(frame)
    assert list(out["Wijk"]) == [r"\*\*Noord\*\*", "Zuid"]
    assert list(out["Score"]) == [52.5, 40.0]
    assert pd.isna(out["Fase"].iloc[1])
    assert list(frame["Wijk"]) == ["**Noord**", "Zuid"]  # the original is left alone
