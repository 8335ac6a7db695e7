"""What the address (the query parameters of the URL) says, so a reload or a shared link shows the
same view: the municipality (`?gemeente=`), the round (`ronde`), the wijk (`wijk`) and the slide of
Presenteren (`dia`). Names, not database ids: a link stays right after a backup is restored, and a
person can read it.

The `read_*` functions are pure (tested without Streamlit); the rest reads and writes
`st.query_params`. The address is written whenever a choice changes (in the widget's callback, before
the rerun), so on every run what the address names is what the user chose last; a value that names
nothing falls back with a short Dutch message and the address is set right."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import streamlit as st

MUNICIPALITY = "gemeente"
ROUND = "ronde"
WIJK = "wijk"
SLIDE = "dia"
"""The query parameter of the slide number, counted from 1 as people count (the title slide is 1)."""

GLOBAL = (MUNICIPALITY, ROUND)
"""Kept on every page; the others only on the pages that show them (see `keep_only_used`)."""

K = TypeVar("K")
_SHOWN = 60  # characters of an unknown address value quoted back in a message


@dataclass(frozen=True)
class Found(Generic[K]):
    """What the address chose: `key` (None: the address says nothing usable) and, when it named
    something that does not exist, why it was not used."""

    key: K | None
    message: str | None = None


def read_choice(raw: str | None, names: Mapping[K, str], what: str, fallback: str) -> Found[K]:
    """The key whose name the address value `raw` is (exact, spaces around it ignored); when it
    names none, no key and a message "`what` ‘raw’ uit het adres bestaat niet. U ziet `fallback`."
    (the caller shows it as literal text: the address is typed by anyone)."""
    if raw is None or not raw.strip():
        return Found(None)
    wanted = raw.strip()
    for key, name in names.items():
        if name == wanted:
            return Found(key)
    shown = wanted if len(wanted) <= _SHOWN else wanted[: _SHOWN - 1] + "…"
    return Found(None, f"{what} ‘{shown}’ uit het adres bestaat niet. U ziet {fallback}.")


@dataclass(frozen=True)
class SlideInAddress:
    """The slide to show (0-based) and, when the address named no slide that exists, why not."""

    index: int
    message: str | None = None


def read_slide(raw: str | None, total: int) -> SlideInAddress:
    """The slide the address asks for, of `total` slides; slide 1 with a short Dutch message when
    it asks for one that does not exist (not a number, 0, or more than `total`)."""
    if raw is None or raw == "":
        return SlideInAddress(0)
    text = raw.strip()
    if not text.isascii() or not text.isdigit():
        return SlideInAddress(0, "Het dianummer in het adres klopt niet. U ziet dia 1.")
    number = int(text)
    if not 1 <= number <= total:
        count = "1 dia" if total == 1 else f"{total} dia's"
        # the number is printed as a parsed int, never as the text of the address
        return SlideInAddress(0, f"Dia {number} bestaat niet: deze presentatie heeft {count}. U ziet dia 1.")
    return SlideInAddress(number - 1)


# --- the address of this run ----------------------------------------------------------------------

_USED = "_address_used"


def start_run() -> None:
    """Called by the router before a page runs: no page-specific parameter is in use yet."""
    st.session_state[_USED] = set(GLOBAL)


def in_address(name: str) -> str | None:
    """The value of parameter `name` in the address (and mark it as used by this page)."""
    st.session_state.setdefault(_USED, set(GLOBAL)).add(name)
    return st.query_params.get(name)


def put(name: str, value: str | None) -> None:
    """Write (or, with None, remove) one parameter; only when it changes, so a run writes nothing
    the browser already shows."""
    st.session_state.setdefault(_USED, set(GLOBAL)).add(name)
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def keep_only_used() -> None:
    """Called by the router after the page ran: a parameter of another page (the slide, the wijk on a
    page without wijken) leaves the address, so it never says more than the screen shows."""
    used = st.session_state.get(_USED, set(GLOBAL))
    for name in list(st.query_params.keys()):
        if name in (WIJK, SLIDE) and name not in used:
            del st.query_params[name]


def slide_in_address(total: int) -> SlideInAddress:
    """The slide of the current address (`?dia=`); a wrong one is set back to slide 1 in the address
    too, so what the address says is what the screen shows."""
    found = read_slide(in_address(SLIDE), total)
    if found.message is not None:
        put_slide_in_address(found.index)
    return found


def put_slide_in_address(index: int) -> None:
    """Write slide `index` (0-based) into the address: a reload, or the link copied, stays on it."""
    put(SLIDE, str(index + 1))
