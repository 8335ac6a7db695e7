"""Helpers shared by pages: cached model, engine and profile; the chosen context; safe saving.

No domain logic here: everything computed comes from wijkmodel.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.charts.base import Caption
from wijkmodel.exports.images import NO_BROWSER, browser_path, to_png, to_svg
from wijkmodel.model.loader import MODEL_DIR, load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import OverallRule, ScoringSettings
from wijkmodel.storage.conflicts import Conflict
from wijkmodel.storage.db import Municipality, Sessions, generation, make_engine, make_sessionmaker
from wijkmodel.storage.errors import StorageProblem, storage_message, storage_problem
from wijkmodel.storage.history import LOCAL_ZONE
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.store import (
    find_respondent,
    get_or_create_respondent,
    list_municipalities,
    revision,
    rounds,
    save_answer,
    settings_of,
    units,
)
from wijkmodel.text.markdown import literal

log = logging.getLogger("wijkmodel")
T = TypeVar("T")

ROLES = ["gemeente", "lokaal team", "samenwerkingspartner", "inwoner/jeugd"]


@st.cache_resource
def cached_model(directory: str = str(MODEL_DIR)) -> MaturityModel:
    """The validated maturity model, loaded once per server process."""
    return load_model(directory)


@st.cache_resource
def session_factory() -> Sessions:
    """One engine per server process (URL from WIJKMODEL_DATABASE_URL)."""
    return make_sessionmaker(make_engine())


@st.cache_resource(max_entries=16)
def cached_profile(
    municipality_id: int,
    name: str,
    data_generation: str,
    data_revision: int,
    rule: str,
    theme_weight: float,
    weighted: bool,
) -> MunicipalityProfile:
    """The municipality's profile, computed once per data generation, revision and settings
    (shared, read-only). The generation changes with every restore, where revisions start again."""
    settings = ScoringSettings(rule=OverallRule(rule), theme_weight=theme_weight, population_weighted=weighted)
    with session_factory()() as session:
        return municipality_profile(
            session=session, municipality_id=municipality_id, name=name, model=cached_model(), settings=settings
        )


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_call(name: str, key: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def cached(name: str, key: tuple, build: Callable[[], T]) -> T:
    """Build once per key and reuse across reruns and sessions (figures and tables are read-only).

    The key must hold everything the result depends on; Context.cache_key() carries the data
    revision, so a save anywhere makes every page rebuild.
    """
    return _cached_call(name, key, build)


def set_document_language() -> None:
    """Streamlit ships <html lang="en"> (streamlit issue 15726); the app is Dutch, so say so."""
    # A constant script of our own, never user content.
    st.html("<script>document.documentElement.lang = 'nl';</script>", unsafe_allow_javascript=True)


@dataclass(frozen=True)
class Context:
    """What the user has chosen in the sidebar."""

    municipality_id: int
    municipality: str
    round_id: int | None
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


def sidebar_context() -> Context | None:
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
            u for u in units(session=session, municipality_id=ctx.municipality_id) if include_whole or u.kind == "wijk"
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


def require_round() -> Context:
    """The chosen context; stops the page with a hint when there is no municipality or round yet."""
    ctx: Context | None = st.session_state.get("context")
    if ctx is None or ctx.round_id is None:
        st.info("Kies eerst een gemeente en een ronde (pagina Start).")
        st.stop()
    assert ctx is not None
    return ctx


@dataclass(frozen=True)
class Entry:
    """Who fills in for which unit in which round: the respondent behind an input page."""

    round_id: int
    unit_id: int
    role: str
    label: str

    def key(self, kind: str, item: str) -> str:
        """Widget key of one input of this respondent (stable across reruns)."""
        return f"{kind}_{self.round_id}_{self.unit_id}_{self.role}_{self.label}_{item}"

    def stored(self, rows: Callable[..., T], empty: T) -> T:
        """This respondent's stored rows (`positions_of` or `answers_of`); `empty` when not created yet."""

        def load(session: Session) -> T:
            respondent = find_respondent(
                session=session, round_id=self.round_id, unit_id=self.unit_id, role=self.role, label=self.label
            )
            return empty if respondent is None else rows(session=session, respondent_id=respondent.id)

        return read(load)

    def respondent_id(self, session: Session) -> int:
        """The respondent's id, created on the first save (viewing a page creates nothing)."""
        return get_or_create_respondent(
            session=session, round_id=self.round_id, unit_id=self.unit_id, role=self.role, label=self.label
        ).id


def save_answer_from(
    entry: Entry, model: MaturityModel, question_id: str, answer_key: str, note_key: str, field: str
) -> None:
    """Save what one widget of a question now holds: its answer (`field` "option") or its note
    ("note"); the other is left as stored (a widget callback)."""
    key = entry.key(answer_key if field == "option" else note_key, question_id)
    value = st.session_state.get(key, "" if field == "note" else None)

    def write(session: Session, seen: Any) -> object:
        fields = {field if field == "note" else "option_id": value, f"seen_{field}": seen}
        return save_answer(
            session=session, respondent_id=entry.respondent_id(session), question_id=question_id, model=model, **fields
        )

    save_edit(key, write)


def who_and_where(ctx: Context) -> Entry:
    """Unit, role and label of whoever fills in; stops the page when there is no unit yet."""
    col_unit, col_who = st.columns([1, 2])
    with col_unit:
        unit_id = unit_picker(ctx, label="Wijk (of de gemeente als geheel)")
    with col_who:
        role, label = respondent_picker()
    if unit_id is None or ctx.round_id is None:
        st.stop()
    assert unit_id is not None and ctx.round_id is not None
    return Entry(round_id=ctx.round_id, unit_id=unit_id, role=role, label=label)


class _FromContext:
    """The type of FROM_CONTEXT."""


FROM_CONTEXT = _FromContext()  # save() locks the municipality chosen in the sidebar


def save(
    action: Callable[[Session], T],
    *,
    success: str | None = None,
    municipality_id: int | _FromContext | None = FROM_CONTEXT,
    on_conflict: Callable[[Conflict], None] | None = None,
    on_storage_failure: Callable[[], None] | None = None,
) -> T | None:
    """Run one save in one transaction. Bad input: a clear Dutch message, nothing changed.

    The save may change only `municipality_id` (by default the one chosen in the sidebar; None:
    it spans municipalities, such as making one), and locks only that one on PostgreSQL.
    `on_conflict` and `on_storage_failure` are called when a colleague's newer value or the
    database (full, busy, gone) stopped the save."""
    if isinstance(municipality_id, _FromContext):
        ctx: Context | None = st.session_state.get("context")
        municipality_id = ctx.municipality_id if ctx is not None else None
    try:
        with session_factory().begin(municipality_id) as session:
            result = action(session)
    except Conflict as exc:
        if on_conflict is None:
            st.session_state["flash_error"] = exc.problems
        else:
            on_conflict(exc)
        return None
    except InputError as exc:
        st.session_state["flash_error"] = exc.problems
        return None
    except Exception as exc:
        problem = storage_problem(exc)
        log.exception("save failed: %s", problem or "error in the program")
        if problem is not None and on_storage_failure is not None:
            on_storage_failure()
        st.session_state["flash_error"] = [
            storage_message(exc) + " Uw invoer staat nog op het scherm."
            if problem is not None
            else "Opslaan is niet gelukt door een fout in het programma. Uw invoer staat nog op het scherm; "
            "probeer het opnieuw. Blijft het misgaan, meld het dan aan de beheerder."
        ]
        return None
    if success:
        st.session_state["flash_ok"] = success
    return result


@dataclass(frozen=True)
class Edit:
    """One widget's save: `write(session, seen)` writes only that field; `seen` is the stored value the
    screen showed, `municipality_id` the municipality it belongs to (both fixed when the user acted:
    a retry or a choice later must not take them from a newer screen or another municipality)."""

    key: str
    write: Callable[[Session, Any], object]
    seen: Any
    municipality_id: int | None
    success: str | None = None


def save_edit(key: str, write: Callable[[Session, Any], object], *, success: str | None = None) -> None:
    """Save what the widget `key` now holds (a widget callback). When a colleague changed the field
    since the screen showed it, nothing is saved and `show_conflict(key)` lets the user choose."""
    ctx: Context | None = st.session_state.get("context")
    seen = st.session_state.get(f"_stored_{key}")
    _run(Edit(key, write, seen, ctx.municipality_id if ctx is not None else None, success))


def _run(edit: Edit) -> None:
    st.session_state.pop(f"_conflict_{edit.key}", None)
    st.session_state.pop(RETRY, None)

    def remember(exc: Conflict) -> None:
        st.session_state[f"_conflict_{edit.key}"] = (exc, edit)

    def keep_input() -> None:
        # the database could not take it: keep what the user entered, also through a page that
        # cannot be drawn meanwhile (Streamlit forgets the state of widgets it does not draw)
        st.session_state[f"_unsaved_{edit.key}"] = st.session_state.get(edit.key)
        st.session_state[RETRY] = edit

    save(
        lambda session: edit.write(session, edit.seen),
        success=edit.success,
        municipality_id=edit.municipality_id,
        on_conflict=remember,
        on_storage_failure=keep_input,
    )


RETRY = "_retry_save"  # the Edit that failed on the database, offered again by `show_flash`


def _retry() -> None:
    edit: Edit = st.session_state.pop(RETRY)
    if f"_unsaved_{edit.key}" in st.session_state:  # the page could not be drawn: the input is parked
        st.session_state[edit.key] = st.session_state.pop(f"_unsaved_{edit.key}")
    _run(edit)  # with the value the screen showed then: a colleague's save since is a conflict


def show_conflict(key: str) -> None:
    """Where the widget `key` was saved on an older screen: say so, with both values, and let the
    user keep their own value or the stored one."""
    pending = st.session_state.get(f"_conflict_{key}")
    if pending is None:
        return
    exc, _edit = pending
    st.warning(literal(exc.problems[0]), icon=":material/group:")
    with st.container(horizontal=True):  # side by side where they fit, else one under the other
        # the values in the buttons (short), so the choice reads without the message, also for screen readers
        st.button(f"Mijn keuze bewaren: {_short(exc.mine_text)}", key=f"_mine_{key}", on_click=_keep_mine, args=(key,))
        st.button(f"Nieuwe houden: {_short(exc.theirs_text)}", key=f"_theirs_{key}", on_click=_keep_theirs, args=(key,))


def _short(text: str, limit: int = 40) -> str:
    """User text for a button label: at most `limit` characters, shown as typed."""
    return literal(text if len(text) <= limit else text[: limit - 1] + "…")


def _keep_mine(key: str) -> None:
    exc, edit = st.session_state.pop(f"_conflict_{key}")
    # the user has now seen the stored value: based on it, their own is saved (or a newer conflict shown)
    _run(dataclasses.replace(edit, seen=exc.theirs))


def _keep_theirs(key: str) -> None:
    st.session_state.pop(f"_conflict_{key}", None)


def form_inputs(form: str, defaults: dict[str, Any]) -> None:
    """Call before a form's inputs (which take their start value from here, not from `value=`).

    Forms keep what was typed (no clear_on_submit), so a save that fails leaves the input on the
    screen; on the run after a successful save the inputs are set back to these defaults."""
    saved = st.session_state.pop(f"_saved_{form}", False)
    for key, value in defaults.items():
        if saved or key not in st.session_state:
            st.session_state[key] = value


def form_saved(form: str) -> None:
    """Mark the form's save as done: its inputs are emptied on the next run (see `form_inputs`)."""
    st.session_state[f"_saved_{form}"] = True


UNEXPECTED_ERROR = (
    "Er ging iets mis bij het tonen van deze pagina. Uw bewaarde gegevens zijn niet aangetast. "
    "Laad de pagina opnieuw of kies een andere pagina. Blijft het misgaan? Meld het dan aan de "
    "beheerder en noem de tijd: {time}. De beheerder vindt de details in het logboek van de server."
)


def show_unexpected_error(exc: Exception) -> None:
    """A friendly Dutch message for an error nobody foresaw; the details go to the server log.

    Where the configuration shows error details (development, the tests), they are shown too, so
    a failing page cannot pass unseen."""
    log.error("page failed", exc_info=exc)
    now = dt.datetime.now(LOCAL_ZONE).strftime("%H:%M:%S")  # the time the user sees on their clock
    if storage_problem(exc) not in (None, StorageProblem.OTHER):  # the database, not the program: say what to do
        st.error(literal(storage_message(exc, action="De pagina tonen")), icon=":material/error:")
    else:
        st.error(UNEXPECTED_ERROR.format(time=now), icon=":material/error:")
    if str(st.get_option("client.showErrorDetails")).lower() not in {"none", "false"}:
        st.exception(exc)


def show_flash() -> None:
    """Show (once) the message of the last save."""
    problems = st.session_state.pop("flash_error", None)
    if problems:
        st.error("\n\n".join(literal(p) for p in problems), icon=":material/error:")  # they quote user text
    if RETRY in st.session_state:  # until it is saved or the user changes something else
        if not problems:
            st.warning("Uw laatste wijziging is nog niet bewaard.", icon=":material/sync_problem:")
        st.button("Opnieuw opslaan", icon=":material/refresh:", on_click=_retry, key="_retry_button")
    ok = st.session_state.pop("flash_ok", None)
    if ok:
        st.success(literal(ok), icon=":material/check_circle:")


def read(action: Callable[[Session], T]) -> T:
    """Run a read in a short session."""
    with session_factory()() as session:
        return action(session)


def sync_widget(key: str, stored: Any) -> None:
    """Keep a widget in step with the database without losing keyboard focus.

    The widget keeps a stable key; when the stored value changed elsewhere (another browser),
    the widget is set to it before it is drawn.
    """
    seen_key = f"_stored_{key}"
    unsaved = f"_unsaved_{key}"
    if unsaved in st.session_state:  # a save that failed on the database: show the input again
        st.session_state[key] = st.session_state.pop(unsaved)
        st.session_state[seen_key] = stored
        return
    # also when the widget's own state is gone: Streamlit drops it on a page that does not draw it,
    # and a blank widget would be saved over what is stored
    if key not in st.session_state or seen_key not in st.session_state or st.session_state[seen_key] != stored:
        st.session_state[key] = stored
        st.session_state[seen_key] = stored


def chart(figure: Any, *, name: str, key: str) -> None:
    """A chart at full width with its image downloads (PNG at twice the pixels, and SVG).

    The images are made only when a button is clicked; title and caption are in the image."""
    st.plotly_chart(figure, width="stretch", config={"displayModeBar": False}, key=f"chart_{key}")
    if browser_path() is None:
        st.caption(NO_BROWSER)
        return
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        "Plaatje (PNG)",
        lambda: to_png(figure),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"png_{key}",
        icon=":material/image:",
    )
    right.download_button(
        "Plaatje (SVG)",
        lambda: to_svg(figure),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key=f"svg_{key}",
        icon=":material/draw:",
    )
