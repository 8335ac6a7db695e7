"""Page 'Meedoen': a partner or resident answers through an invitation link, without an account and
on a phone first (issue 19). The page shows only itself: no menu, nothing of other wijken, rounds or
municipalities. Every answer is saved at once, as the invitation (`storage.invitations`), which
checks the link, the continue code, the wijk, the role and the instrument on every save.
"""

import streamlit as st

from ui.login import ACTOR
from ui.messages import show_flash
from ui.pages import INVITATION
from ui.questions import question_widgets
from ui.resources import cached_model, read
from ui.saving import save, show_stored_again, sync_widget
from wijkmodel.analysis.live import ROLE_NAMES
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.slider import slider_label, slider_options, slider_value
from wijkmodel.storage.access import Actor
from wijkmodel.storage.history import local_time
from wijkmodel.storage.invitations import (
    SLIDERS,
    InvitationRefused,
    answers_of_participant,
    join,
    open_invitation,
    participant_of,
    save_as_participant,
    setting_of,
)
from wijkmodel.storage.tables import UnitKind
from wijkmodel.text.markdown import literal

CODE = "code"  # the address's parameter with this person's continue code, once they began

model = cached_model()
token = str(st.query_params.get(INVITATION, ""))
try:
    invitation, setting = read(
        lambda s: (inv := open_invitation(session=s, token=token), setting_of(session=s, invitation=inv))
    )
except InvitationRefused as refused:
    st.title("Meedoen")
    st.error(refused.problems[0], icon=":material/link_off:")
    st.stop()

st.session_state[ACTOR] = Actor(account_id=None, invitation_id=invitation.id)  # every save of this page
st.title(literal(invitation.title))
st.caption(
    f"{literal(setting.municipality)} · ronde {literal(setting.round_label)} · "
    f"invullen kan tot {local_time(invitation.closes_at)}"
)


def _participant() -> tuple[int, str] | None:
    """This person's participant (id, role) from the continue code in the address, if any."""
    code = str(st.query_params.get(CODE, ""))
    if not code:
        return None
    try:
        found = read(lambda s: participant_of(session=s, token=token, code=code)[1])
    except InvitationRefused as refused:
        st.error(refused.problems[0], icon=":material/key_off:")
        return None
    return found.id, found.role


def _begin(role: str) -> None:
    joined = save(lambda s: join(session=s, token=token, role=role), municipality_id=invitation.municipality_id)
    if joined is not None:
        st.query_params[CODE] = joined[1]


def _use_code() -> None:
    st.query_params[CODE] = str(st.session_state.get("typed_code", "")).strip()


found = _participant()
if found is None:
    st.write(
        "Hoe ver is uw gemeente met wijkgericht werken? Geef uw kijk, in een paar minuten. "
        "U blijft anoniem: we bewaren geen naam, e-mailadres, IP-adres of browser. "
        "Elk antwoord wordt meteen bewaard."
    )
    show_flash()
    role = st.radio(
        "Ik vul in als",
        invitation.roles,
        format_func=lambda r: ROLE_NAMES.get(r, r),
        index=0 if len(invitation.roles) == 1 else None,
        key="join_role",
    )
    st.button("Beginnen", type="primary", disabled=role is None, on_click=_begin, args=(role,))
    with st.expander("Ik heb al een code"):
        st.text_input("Uw code", key="typed_code", max_chars=40)
        st.button("Verder met deze code", on_click=_use_code)
    st.stop()

participant_id, participant_role = found
st.write(f"U vult in als **{ROLE_NAMES.get(participant_role, participant_role)}**. Elk antwoord is meteen bewaard.")
with st.expander("Later verder gaan"):
    st.write(
        "Bewaar deze pagina als bladwijzer: met het adres komt u terug bij uw eigen antwoorden. "
        "Deel het adres niet, want met de code erin kan iemand anders uw antwoorden veranderen. "
        "Uw code:"
    )
    st.code(str(st.query_params.get(CODE, "")), language=None)

units = {unit_id: (name, kind) for unit_id, name, kind in setting.units}
if len(units) > 1:
    chosen = st.selectbox(
        "Over welke wijk vult u in?",
        list(units),
        format_func=lambda u: units[u][0],
        index=None,
        placeholder="Kies een wijk",
        key="unit",
    )
    if chosen is None:
        st.stop()
    unit_id = int(chosen)
else:
    unit_id = next(iter(units))
    st.write(f"U vult in over **{literal(units[unit_id][0])}**.")
show_flash()
positions, answers = read(lambda s: answers_of_participant(session=s, participant_id=participant_id, unit_id=unit_id))


def _save(key: str, **what: object) -> None:
    """Save one slider, answer or note as it is now in its widget `key`. A refused save (the session
    closed, too many saves) shows the stored value again, so the screen never shows what is not saved."""
    code = str(st.query_params.get(CODE, ""))
    storage_failed: list[bool] = []
    done = save(
        lambda s: save_as_participant(session=s, token=token, code=code, unit_id=unit_id, model=model, **what),  # type: ignore[arg-type]
        municipality_id=invitation.municipality_id,
        on_storage_failure=lambda: storage_failed.append(True),
    )
    if done is None:
        if not storage_failed:
            show_stored_again(key)
        st.toast("Niet bewaard: zie de melding bovenaan.", icon=":material/error:")


def _position_changed(key: str, theme_id: str) -> None:
    _save(key, theme_id=theme_id, value=st.session_state[key])


def _note_changed(key: str, theme_id: str | None = None, question_id: str | None = None) -> None:
    _save(key, theme_id=theme_id, question_id=question_id, note=st.session_state[key])


if SLIDERS in invitation.instruments:
    st.header("De zes thema's")
    st.write("Schuif per thema naar de fase die nu het best past. Onder het schuifje ziet u wat die fase betekent.")
    for theme in model.themes_ordered():
        row = positions.get(theme.id)
        key, note_key = f"pos_{unit_id}_{theme.id}", f"note_{unit_id}_{theme.id}"
        stored = slider_value(row.position if row is not None else None)
        sync_widget(key, stored)
        sync_widget(note_key, row.note if row is not None else "")
        with st.container(border=True):
            value = st.select_slider(
                f"**{theme.order}. {theme.name}**",
                options=slider_options(stored),
                format_func=slider_label,
                key=key,
                on_change=_position_changed,
                args=(key, theme.id),
            )
            if value is None:
                st.caption("Nog niet geplaatst: schuif naar rechts om te kiezen.")
            else:
                phase = int(phase_of(float(value)))
                st.markdown(f"**Fase {phase} · {model.phase(phase).name}**")
                st.caption(theme.descriptor(phase).text)
            st.text_input(
                f"Toelichting bij thema {theme.order} (optioneel)",
                key=note_key,
                on_change=_note_changed,
                args=(note_key, theme.id),
            )


def _questions(instrument_id: str, heading: str) -> None:
    st.header(heading)
    instrument = model.instrument(instrument_id)
    for question in instrument.questions:
        keys = (f"ans_{unit_id}_{question.id}", f"qnote_{unit_id}_{question.id}")

        def changed(question_id: str, field: str, keys: tuple[str, str] = keys) -> None:
            if field == "option":
                _save(keys[0], question_id=question_id, value=st.session_state[keys[0]])
            else:
                _note_changed(keys[1], question_id=question_id)

        question_widgets(model, question, answers.get(question.id), keys, changed)


if "quickscan" in invitation.instruments:
    _questions("quickscan", "Quickscan")
if "randvoorwaarden" in invitation.instruments and units[unit_id][1] == UnitKind.MUNICIPALITY.value:
    _questions("randvoorwaarden", "Randvoorwaarden")
st.success("Klaar? Dan hoeft u niets meer te doen: alles is bewaard. Bedankt!", icon=":material/check:")
