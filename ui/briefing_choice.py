"""The choice of parts and wijken for the briefing, shared by Stukken and Presenteren."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.exports.briefing import chosen_units
from wijkmodel.exports.parts import DEFAULT_PARTS, PARTS
from wijkmodel.storage.frames import unit_names


@dataclass(frozen=True)
class BriefingChoice:
    """What the user chose: the parts (keys of PARTS) and the wijken (None: every wijk)."""

    parts: list[str]
    wijken: list[str] | None

    def key(self) -> tuple:
        """For a cache key: the same choice gives the same slides."""
        return (tuple(self.parts), None if self.wijken is None else tuple(self.wijken))

    @property
    def complete(self) -> bool:
        """At least one part and, when not every wijk, at least one wijk."""
        return bool(self.parts) and self.wijken != []


def choose_parts_and_wijken(mp: MunicipalityProfile, key: str) -> BriefingChoice:
    """Two widgets: the parts (the default ones chosen) and the wijken (all, or a few); says what is
    missing when the choice is empty. Wijk names are option labels: shown as plain text."""
    parts = st.multiselect(
        "Welke onderdelen?",
        list(PARTS),
        default=list(DEFAULT_PARTS),
        format_func=PARTS.__getitem__,
        key=f"{key}_parts",
        placeholder="Kies een of meer onderdelen",
        help="De standaardkeuze past in ongeveer twaalf dia's. Het profiel van elke wijk is een bijlage.",
    )
    name_of = unit_names(mp.frames.units)
    names = [name_of[u] for u in chosen_units(mp, None)]
    every = st.toggle("Alle wijken", value=True, key=f"{key}_all")
    wijken = (
        None
        if every
        else st.multiselect(
            "Welke wijken?", names, default=names[:1], key=f"{key}_wijken", placeholder="Kies een of meer wijken"
        )
    )
    choice = BriefingChoice(parts, wijken)
    if not parts:
        st.info("Kies minstens één onderdeel.")
    if wijken == []:
        st.info("Kies minstens één wijk.")
    return choice
