"""User text inside Streamlit markdown (titles, captions, labels, st.table cells): shown as typed.

Streamlit escapes HTML but renders markdown, so a wijk called `**Noord**` would show bold, and
`![x](https://...)` would load a remote image. A backslash before each markdown character makes
the text literal. Plain elements (selectbox options, st.dataframe, st.text) need no escaping.
"""

from __future__ import annotations

import re

import pandas as pd

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:^])")


def literal(text: object) -> str:
    """`text` as markdown that renders exactly these characters (no formatting, link or image)."""
    return _SPECIAL.sub(r"\\\1", str(text))


def literal_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names render literally in st.table."""
    out = frame.rename(columns=lambda c: literal(c) if isinstance(c, str) else c)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: literal(v) if isinstance(v, str) else v)
    return out
