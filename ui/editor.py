"""Keyed data editors that keep their cursor while each change is saved at once (ui/placing.py,
ui/answer_tables.py).

Streamlit keeps a keyed editor with fixed rows (and its edits) across reruns, but the grid loses its
cursor and focus when its data changes. So the editor gets the cells it first showed on every run,
with the user's edits on top (which, once saved, are what is stored); it is made anew (a new key) from
what is stored only when it no longer shows that: a colleague's save, or a refused change."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st


def shows_stored(first: pd.DataFrame, edited_rows: Mapping[int | str, Mapping[str, object]], now: pd.DataFrame) -> bool:
    """Whether an editor given `first` and holding `edited_rows` shows what `now` holds (same rows and
    columns; an edit counts by what it shows). False: it must be made anew from `now`."""
    if list(first.index) != list(now.index) or list(first.columns) != list(now.columns):
        return False
    shown = first.copy()
    for row, columns in edited_rows.items():
        for column, value in columns.items():
            if int(row) >= len(shown) or column not in shown.columns:
                return False
            shown.iat[int(row), shown.columns.get_loc(column)] = None if value == "" else value
    return bool((shown.fillna("") == now.fillna("")).all().all())


def steady(base: str, now: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """The key and the data for the editor `base` that must show `now` (what is stored)."""
    version = st.session_state.get(f"_version_{base}", 0)
    first = st.session_state.get(f"_first_{base}_{version}")
    state = st.session_state.get(f"{base}_{version}")
    if first is None or not shows_stored(first, (state or {}).get("edited_rows", {}), now):
        if first is not None:
            version += 1
            st.session_state[f"_version_{base}"] = version
        first = st.session_state[f"_first_{base}_{version}"] = now
    return f"{base}_{version}", first
