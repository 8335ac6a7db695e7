"""The sidebar's choices (municipality, round) as a Context, and the pickers that remember a choice across pages."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import streamlit as st

from ui import address
from ui.resources import cached_profile, session_factory
from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.charts.base import Caption
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.storage.municipalities import list_municipalities, revision, settings_of
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import Municipality, Role, UnitKind, generation
from wijkmodel.storage.wijken import units
from wijkmodel.text.markdown import literal

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


def sidebar_context(allowed: set[int] | None = None) -> Context[int | None] | None:
    """Municipality and round pickers in the sidebar; None when there is no municipality yet.

    The address (ui/address.py) says which ones on a reload or a shared link; a choice here is
    written into the address at once. `allowed`: with login, the municipalities the account has a
    role in (the others are never offered); None: all."""
    with session_factory()() as session:
        municipalities = [m for m in list_municipalities(session=session) if allowed is None or m.id in allowed]
        if not municipalities:
            address.put(address.MUNICIPALITY, None)
            st.sidebar.info("Er is nog geen gemeente. Maak er een aan op de pagina Start.")
            return None
        names = {m.id: m.name for m in municipalities}
        _choose_municipality(names)
        municipality_id = st.sidebar.selectbox(
            "Gemeente",
            list(names),
            placeholder="Kies een gemeente",
            format_func=names.__getitem__,
            key="municipality_id",
            on_change=_municipality_changed,
            args=(names,),
        )
        municipality = session.get(Municipality, municipality_id)
        assert municipality is not None
        round_rows = rounds(session=session, municipality_id=municipality_id)
        round_id = None
        if round_rows:
            labels = {r.id: r.label for r in round_rows}
            _choose_round(labels)
            round_id = st.sidebar.selectbox(
                "Ronde",
                list(labels),
                placeholder="Kies een ronde",
                format_func=lambda i: f"{labels[i]} ({next(r for r in round_rows if r.id == i).date:%d-%m-%Y})",
                key="round_id",
                on_change=_round_changed,
                args=(labels,),
            )
        else:
            address.put(address.ROUND, None)
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


def _choose_municipality(names: dict[int, str]) -> None:
    """Set the municipality before its picker is drawn: one just made, else the one the address
    names, else the one chosen before (else the first); and write it into the address."""
    state = st.session_state
    if "_next_municipality_id" in state:  # a page just made it
        state["municipality_id"] = state.pop("_next_municipality_id")
        state.pop("round_id", None)
        state.pop("unit_id", None)
    else:
        current = state.get("municipality_id")
        fallback = current if current in names else next(iter(names))
        found = address.read_choice(address.in_address(address.MUNICIPALITY), names, "De gemeente", names[fallback])
        if found.message is not None:
            st.sidebar.warning(literal(found.message), icon=":material/link_off:")
        chosen = found.key if found.key is not None else fallback
        if chosen != current:
            state["municipality_id"] = chosen
            state.pop("round_id", None)
            state.pop("unit_id", None)
    address.put(address.MUNICIPALITY, names[state["municipality_id"]])


def _municipality_changed(names: dict[int, str]) -> None:
    # the round and the wijk belonged to the municipality before
    st.session_state.pop("round_id", None)
    st.session_state.pop("unit_id", None)
    address.put(address.ROUND, None)
    address.put(address.WIJK, None)
    address.put(address.MUNICIPALITY, names[st.session_state["municipality_id"]])


def _choose_round(labels: dict[int, str]) -> None:
    """As `_choose_municipality`, for the round (the latest when nothing says otherwise)."""
    state = st.session_state
    if "_next_round_id" in state:  # a page just made it
        state["round_id"] = state.pop("_next_round_id")
    else:
        current = state.get("round_id")
        fallback = current if current in labels else list(labels)[-1]
        found = address.read_choice(address.in_address(address.ROUND), labels, "De ronde", labels[fallback])
        if found.message is not None:
            st.sidebar.warning(literal(found.message), icon=":material/link_off:")
        state["round_id"] = found.key if found.key is not None else fallback
    address.put(address.ROUND, labels[state["round_id"]])


def _round_changed(labels: dict[int, str]) -> None:
    address.put(address.ROUND, labels[st.session_state["round_id"]])


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
    """Choose a wijk (or the municipality as a whole); remembered across pages and kept in the
    address (`?wijk=`). Without a choice: the first wijk (the wijken are what people fill in first)."""
    with session_factory()() as session:
        rows = [
            u
            for u in units(session=session, municipality_id=ctx.municipality_id)
            if include_whole or u.kind == UnitKind.WIJK
        ]
    if not rows:
        st.info("Deze gemeente heeft nog geen wijken. Voeg ze toe op de pagina Start.")
        return None
    names = {u.id: u.name for u in rows}
    first = next((u.id for u in rows if u.kind == UnitKind.WIJK), rows[0].id)
    current = st.session_state.get(key)
    fallback = current if current in names else first
    found = address.read_choice(address.in_address(address.WIJK), names, "De wijk", names[fallback])
    if found.message is not None:
        st.warning(literal(found.message), icon=":material/link_off:")
    choose_unit(found.key if found.key is not None else fallback, names, key)
    widget = _remembered(key, first)
    return st.selectbox(
        label,
        list(names),
        format_func=names.__getitem__,
        placeholder="Kies een wijk",
        key=widget,
        on_change=_unit_changed,
        args=(key, names),
    )


def choose_unit(unit_id: int, names: dict[int, str], key: str = "unit_id") -> None:
    """Make `unit_id` the chosen wijk (before its picker is drawn), in the session and the address."""
    st.session_state[key] = unit_id
    address.put(address.WIJK, names[unit_id])


def _unit_changed(key: str, names: dict[int, str]) -> None:
    _keep(key)
    address.put(address.WIJK, names[st.session_state[key]])


def require_round() -> Context[int]:
    """The chosen context; stops the page with a hint when there is no municipality or round yet."""
    ctx: Context[int | None] | None = st.session_state.get("context")
    if ctx is None or ctx.round_id is None:
        st.info("Kies eerst een gemeente en een ronde (pagina Start).")
        st.stop()
    assert ctx is not None
    return cast("Context[int]", ctx)  # its round_id is not None (checked above)


STEP_KEYS = ("vorige_wijk", "volgende_wijk")
"""Keys of the step buttons; ui/scroll.py scrolls to the top when one is clicked."""


def unit_steps(ctx: Context, unit_id: int) -> None:
    """'Vorige wijk' and 'Volgende wijk: <naam>' below an input page: the wijken in order, then the
    municipality as a whole; the page goes back to its top for the next one."""
    with session_factory()() as session:
        rows = units(session=session, municipality_id=ctx.municipality_id)
    ordered = [u for u in rows if u.kind == UnitKind.WIJK] + [u for u in rows if u.kind != UnitKind.WIJK]
    names = {u.id: u.name for u in ordered}
    ids = list(names)
    if unit_id not in names:
        return
    at = ids.index(unit_id)
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        if at > 0:
            st.button(
                f"Vorige: {names[ids[at - 1]]}",
                icon=":material/arrow_back:",
                key=STEP_KEYS[0],
                on_click=choose_unit,
                args=(ids[at - 1], names),
            )
        if at + 1 < len(ids):
            st.button(
                f"Volgende: {names[ids[at + 1]]}",
                icon=":material/arrow_forward:",
                type="primary",
                key=STEP_KEYS[1],
                on_click=choose_unit,
                args=(ids[at + 1], names),
            )
