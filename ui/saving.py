"""Saving from a page: one transaction per save, conflicts with a colleague's newer value, a retry when the
database could not take it, and widgets kept in step with what is stored."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from ui.context import Context, unit_picker
from ui.login import actor
from ui.places import Place
from ui.resources import read, session_factory
from ui.who import respondent_picker, who_line
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.conflicts import Conflict
from wijkmodel.storage.errors import storage_message, storage_problem
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.responses import find_respondent, get_or_create_respondent, save_answer
from wijkmodel.text.markdown import literal

log = logging.getLogger("wijkmodel")
T = TypeVar("T")


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
        who = respondent_picker()
    if unit_id is None or ctx.round_id is None:
        st.stop()
    if who is None:
        st.info(NO_ROLE_YET, icon=":material/person:")
        st.stop()
    assert unit_id is not None and ctx.round_id is not None and who is not None
    st.caption(who_line(*who))
    return Entry(round_id=ctx.round_id, unit_id=unit_id, role=who[0], label=who[1])


NO_ROLE_YET = (
    "Kies eerst wie invult (hierboven). Uw rol bepaalt onder welk perspectief uw antwoorden worden bewaard; "
    "daarna verschijnen de vragen."
)


class _FromContext:
    """The type of FROM_CONTEXT."""


FROM_CONTEXT = _FromContext()  # save() locks the municipality chosen in the sidebar

PLACED = "_flash_at"
"""Session key of the messages of saves made with a place (`save(where=...)`): place key → `Placed`."""


@dataclass
class Placed:
    """The message of one save, for the form or button it came from (`show_flash(where=...)`)."""

    problems: list[str] = dataclasses.field(default_factory=list)
    ok: str | None = None
    waited: bool = False
    """Set by the page's first `show_flash()` of a run: a message that waited a whole run unseen (its
    place was not drawn, or the page failed) is shown at the top of the page instead."""


def placed_messages() -> dict[str, Placed]:
    """The messages waiting for their place, in this session."""
    return st.session_state.setdefault(PLACED, {})


def show_placed(flash: Placed, *, toast: bool) -> None:
    """Draw one placed message here (and as a toast)."""
    if flash.problems:
        text = "\n\n".join(literal(p) for p in flash.problems)  # they quote user text
        st.error(text, icon=":material/error:")
        if toast:
            st.toast(text, icon=":material/error:", duration="long")
    if flash.ok:
        st.success(literal(flash.ok), icon=":material/check_circle:")
        if toast:
            st.toast(literal(flash.ok), icon=":material/check_circle:")


def tell(where: Place | None, problems: list[str] | None = None, ok: str | None = None) -> None:
    """Keep a save's message: for its place (in the form's words), or for the top of the page."""
    if where is not None:  # added to what still waits there: one edit of a table can make several saves
        flash = placed_messages().setdefault(where.key, Placed())
        flash.problems += [text for text in map(where.words, problems or []) if text not in flash.problems]
        flash.ok = ok or flash.ok
        flash.waited = False
    elif problems:
        st.session_state["flash_error"] = problems
    elif ok:
        st.session_state["flash_ok"] = ok


def save(
    action: Callable[[Session], T],
    *,
    success: str | None = None,
    where: Place | None = None,
    municipality_id: int | _FromContext | None = FROM_CONTEXT,
    on_conflict: Callable[[Conflict], None] | None = None,
    on_storage_failure: Callable[[], None] | None = None,
) -> T | None:
    """Run one save in one transaction. Bad input: a clear Dutch message, nothing changed.

    With `where` (the form or button that saves, `ui.places`) its message shows there, in the form's
    words, where the page calls `show_flash(where=...)`; without, at the top of the page.
    The save may change only `municipality_id` (by default the one chosen in the sidebar; None:
    it spans municipalities, such as making one), and locks only that one on PostgreSQL.
    `on_conflict` and `on_storage_failure` are called when a colleague's newer value or the
    database (full, busy, gone) stopped the save."""
    if isinstance(municipality_id, _FromContext):
        ctx: Context | None = st.session_state.get("context")
        municipality_id = ctx.municipality_id if ctx is not None else None
    try:
        with session_factory().begin(municipality_id, actor=actor()) as session:
            result = action(session)
    except Conflict as exc:
        if on_conflict is None:
            tell(where, exc.problems)
        else:
            on_conflict(exc)
        return None
    except InputError as exc:
        tell(where, exc.problems)
        return None
    except Exception as exc:
        problem = storage_problem(exc)
        log.exception("save failed: %s", problem or "error in the program")
        if problem is not None and on_storage_failure is not None:
            on_storage_failure()
        tell(
            where,
            [
                storage_message(exc) + " Uw invoer staat nog op het scherm."
                if problem is not None
                else "Opslaan is niet gelukt door een fout in het programma. Uw invoer staat nog op het scherm; "
                "probeer het opnieuw. Blijft het misgaan, meld het dan aan de beheerder."
            ],
        )
        return None
    if success:
        tell(where, ok=success)
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
        where=Place(edit.key),  # a refusal shows beside the widget (show_conflict draws it)
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
    """Beside the widget `key`: the refusal of its last save; and where it was saved on an older
    screen, say so, with both values, and let the user keep their own value or the stored one."""
    flash = placed_messages().pop(key, None)
    if flash is not None:  # the refusal of this widget's last save, beside it
        show_placed(flash, toast=True)
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


def show_stored_again(key: str) -> None:
    """Draw the widget `key` with its stored value on the next run (a save that was refused, not one
    the database could not take: that input stays on the screen, see `save`)."""
    st.session_state.pop(f"_stored_{key}", None)


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
