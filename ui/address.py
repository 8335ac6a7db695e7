"""What the address (the query parameters of the URL) says, so a reload or a shared link shows the
same thing. For now the slide of Presenteren (`?dia=5`); municipality, round and wijk may follow.

`read_slide` is pure (tested without Streamlit); `slide_in_address` and `put_slide_in_address` read
and write `st.query_params`."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

SLIDE = "dia"
"""The query parameter of the slide number, counted from 1 as people count (the title slide is 1)."""


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


def slide_in_address(total: int) -> SlideInAddress:
    """The slide of the current address (`?dia=`); a wrong one is set back to slide 1 in the address
    too, so what the address says is what the screen shows."""
    found = read_slide(st.query_params.get(SLIDE), total)
    if found.message is not None:
        put_slide_in_address(found.index)
    return found


def put_slide_in_address(index: int) -> None:
    """Write slide `index` (0-based) into the address: a reload, or the link copied, stays on it."""
    st.query_params[SLIDE] = str(index + 1)
