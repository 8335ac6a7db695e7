"""The sidebar's choices (municipality, round) as a Context, and the pickers that remember a choice across pages."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import streamlit as st

from ui.resources import cached_profile, session_factory
from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.charts.base import Caption
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.storage.municipalities import list_municipalities, revision, settings_of
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import Municipality, Role, UnitKind, generation
from wijkmodel.storage.wijken import units

log = logging.getLogger("wijkmodel")
T = TypeVar("T")
RoundId = TypeVar("RoundId", bound=int | None)


ROLES = [r.value for r in Role]


@dataclass(frozen=True)
class Context(Generic[RoundId]):
    """What the user has chosen in the sidebar: `Context[int | None]`, and `Context[int]` once a round
    is chosen (what `require_round` returns)."""

    municipality_id: int
    municipality: str
    round_id: RoundId
    round_label: str | None
    round_date: dt.date | None
    settings: ScoringSettings
    revision: int
    generation: str  # the database's generation: with the revision, what caches key on (db.DatabaseIdentity)

    def caption(self) -> Caption:
        """Caption of every chart: municipality, round, rule, date."""
        return Caption(
            municipality=self.municipality,
            round_label=self.round_label or "–",
            rule_label=self.settings.rule.label,
            date=dt.date.today(),
        )

    def cache_key(self) -> tuple:
        """Everything in the context that changes what a page computes (data revision included)."""
        s = self.settings
        return (
            self.generation,
            self.municipality_id,
            self.revision,
            s.rule.value,
            s.theme_weight,
            s.population_weighted,
            self.round_id,
            dt.date.today().isoformat(),
        )

    def profile(self) -> MunicipalityProfile:
        """The cached profile for this context."""
        s = self.settings
        return cached_profile(
            self.municipality_id,
            self.municipality,
            self.generation,
            self.revision,
            s.rule.value,
            s.theme_weight,
            s.population_weighted,
        )


def sidebar_context() -> Context[int | None] | None:
    """Municipality and round pickers in the sidebar; None when there is no municipality yet."""
    with session_factory()() as session:
        municipalities = list_municipalities(session=session)
        if not municipalities:
            st.sidebar.info("Er is nog geen gemeente. Maak er een aan op de pagina Start.")
            return None
        ids = [m.id for m in municipalities]
        names = {m.id: m.name for m in municipalities}
        # a page that just created a municipality or round asks for it here, before the widgets exist
        if "_next_municipality_id" in st.session_state:
            st.session_state["municipality_id"] = st.session_state.pop("_next_municipality_id")
            st.session_state.pop("round_id", None)
        if "_next_round_id" in st.session_state:
            st.session_state["round_id"] = st.session_state.pop("_next_round_id")
        if st.session_state.get("municipality_id") not in ids:
            st.session_state["municipality_id"] = ids[0]
        municipality_id = st.sidebar.selectbox("Gemeente", ids, format_func=lambda i: names[i], key="municipality_id")
        municipality = session.get(Municipality, municipality_id)
        assert municipality is not None
        round_rows = rounds(session=session, municipality_id=municipality_id)
        round_id = None
        if round_rows:
            round_ids = [r.id for r in round_rows]
            labels = {r.id: f"{r.label} ({r.date.strftime('%d-%m-%Y')})" for r in round_rows}
            if st.session_state.get("round_id") not in round_ids:
                st.session_state["round_id"] = round_ids[-1]
            round_id = st.sidebar.selectbox("Ronde", round_ids, format_func=lambda i: labels[i], key="round_id")
        else:
            st.sidebar.info("Deze gemeente heeft nog geen ronde. Maak er een aan op de pagina Start.")
        chosen = next((r for r in round_rows if r.id == round_id), None)
        return Context(
            municipality_id=municipality_id,
            municipality=municipality.name,
            round_id=round_id,
            round_label=chosen.label if chosen else None,
            round_date=chosen.date if chosen else None,
            settings=settings_of(municipality),
            revision=revision(session=session, municipality_id=municipality_id),
            generation=generation(session),
        )


def _remembered(key: str, default: Any) -> str:
    """Widget key for a choice that must survive page switches (Streamlit forgets the state of
    widgets that a page does not draw): the value lives under `key`, the widget under `_w_key`."""
    st.session_state.setdefault(key, default)
    st.session_state[f"_w_{key}"] = st.session_state[key]
    return f"_w_{key}"


def _keep(key: str) -> None:
    st.session_state[key] = st.session_state[f"_w_{key}"]


def select_next(*, municipality_id: int | None = None, round_id: int | None = None) -> None:
    """Show this municipality or round after the rerun (widget state cannot change once drawn)."""
    if municipality_id is not None:
        st.session_state["_next_municipality_id"] = municipality_id
    if round_id is not None:
        st.session_state["_next_round_id"] = round_id


def unit_picker(ctx: Context, label: str = "Wijk", key: str = "unit_id", include_whole: bool = True) -> int | None:
    """Choose a wijk (or the municipality as a whole); remembered across pages."""
    with session_factory()() as session:
        rows = [
            u
            for u in units(session=session, municipality_id=ctx.municipality_id)
            if include_whole or u.kind == UnitKind.WIJK
        ]
    if not rows:
        st.info("Deze gemeente heeft nog geen wijken. Voeg ze toe op de pagina Start.")
        return None
    ids = [u.id for u in rows]
    names = {u.id: u.name for u in rows}
    if st.session_state.get(key) not in ids:
        st.session_state[key] = ids[0]
    widget = _remembered(key, ids[0])
    return st.selectbox(label, ids, format_func=lambda i: names[i], key=widget, on_change=_keep, args=(key,))


def respondent_picker() -> tuple[str, str]:
    """Role and optional label of the person (or group) filling in; remembered across pages."""
    col_role, col_label = st.columns([1, 1])
    role = col_role.selectbox(
        "Wie vult in? (rol)", ROLES, key=_remembered("role", ROLES[1]), on_change=_keep, args=("role",)
    )
    label = col_label.text_input(
        "Label (optioneel, bijvoorbeeld ‘team Noord’; geen namen van personen)",
        key=_remembered("respondent_label", ""),
        on_change=_keep,
        args=("respondent_label",),
        max_chars=100,
    )
    return role, label


def require_round() -> Context[int]:
    """The chosen context; stops the page with a hint when there is no municipality or round yet."""
    ctx: Context[int | None] | None = st.session_state.get("context")
    if ctx is None or ctx.round_id is None:
        st.info("Kies eerst een gemeente en een ronde (pagina Start).")
        st.stop()
    assert ctx is not None
    return cast("Context[int]", ctx)  # its round_id is not None (checked above)
