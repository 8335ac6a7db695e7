"""User text inside Streamlit markdown (titles, captions, labels, st.table cells): shown as typed.

Streamlit escapes HTML but renders markdown, so a wijk called `**Noord**` would show bold, and
`![x](https://...)` would load a remote image. A backslash before each markdown character makes
the text literal. Plain elements (selectbox options, st.dataframe, st.text) need no escaping.

Escaping is not enough for the rewrites Streamlit's markdown makes on the text itself, after the
escapes are resolved (checked in chromium with Streamlit 1.67): GFM autolinks (`https://...`,
`www.` and e-mail addresses become links), arrows (`->` becomes →, `>=` becomes ≥, ...) and
shortcodes (`:material/home:` becomes an icon, `:streamlit:` a logo, `:smile:` an emoji). Each
rewrite looks inside one text node. So `literal` puts an empty `:small[]` directive (Streamlit's
documented small text, here around nothing) inside every such sequence: it renders as an empty
<span>, nothing to see, no character added to what a user selects and copies, and it splits the
text into nodes that no rewrite matches.
"""

from __future__ import annotations

import re

import pandas as pd

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:^])")

BREAK = ":small[]"
"""An empty small-text directive: an empty <span> that ends one text node and starts the next."""

_REWRITTEN = re.compile(
    r"(?<=:)(?=[\w+/-])"  # 'https://' and the start of a shortcode (:smile:, :material/home:, :streamlit:)
    r"|(?<=[wW]{3})(?=\.)"  # 'www.'
    r"|(?<=@)(?=[\w-])"  # an e-mail address
    r"|(?<=[-<>~])(?=[-<>=])"  # arrows and signs: -> <- <-> -- >= <= ~=
)
"""The places a node is split: every rewrite needs characters on both sides of one of them."""


def literal(text: object) -> str:
    """`text` as markdown that renders exactly these characters (no formatting, link, image, icon)."""
    return BREAK.join(_SPECIAL.sub(r"\\\1", part) for part in _REWRITTEN.split(str(text)))


def literal_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names render literally in st.table."""
    out = frame.rename(columns=lambda c: literal(c) if isinstance(c, str) else c)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: literal(v) if isinstance(v, str) else v)
    return out
