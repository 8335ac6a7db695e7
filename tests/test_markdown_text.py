"""User text in markdown renders as typed: every markdown character is escaped, nothing else changes."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties import fast
from wijkmodel.markdown_text import literal, literal_table

UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Noord", "Noord"),
        ("De Hoven 2", "De Hoven 2"),
        ("**vet**", r"\*\*vet\*\*"),
        ("[klik](https://example.org)", r"\[klik\]\(https\://example\.org\)"),
        ("![x](https://example.org/p.png)", r"\!\[x\]\(https\://example\.org/p\.png\)"),
        ("<b>b</b>", r"\<b\>b\</b\>"),
        ("$x^2$", r"\$x\^2\$"),
        ("# kop", r"\# kop"),
        ("1. lijst", r"1\. lijst"),
        ("- punt", r"\- punt"),
        ("~~weg~~", r"\~\~weg\~\~"),
        (":red[rood]", r"\:red\[rood\]"),
        ("&copy;", r"\&copy;"),
        ("C:\\map", r"C\:\\map"),
        ("`code`", r"\`code\`"),
        ("a|b", r"a\|b"),
    ],
)
def test_markdown_characters_are_escaped(text: str, expected: str) -> None:
    assert literal(text) == expected


@fast(100)
@given(st.text())
def test_escaping_loses_nothing_and_leaves_no_markdown_character_bare(text: str) -> None:
    escaped = literal(text)
    assert UNESCAPE.sub(r"\1", escaped) == text  # a renderer that drops the escapes shows the text as typed
    bare = re.sub(r"\\.", "", escaped, flags=re.DOTALL)
    assert not set(bare) & set("\\`*_{}[]()#+-.!|<>~$&:^")


def test_a_table_escapes_text_cells_and_column_names_but_not_numbers() -> None:
    frame = pd.DataFrame({"Wijk": ["**Noord**", "Zuid"], "Score": [52.5, 40.0], "Fase": ["fase 3", None]})
    out = literal_table(frame)
    assert list(out["Wijk"]) == [r"\*\*Noord\*\*", "Zuid"]
    assert list(out["Score"]) == [52.5, 40.0]
    assert pd.isna(out["Fase"].iloc[1])
    assert list(frame["Wijk"]) == ["**Noord**", "Zuid"]  # the original is left alone
