"""What the user is told: the message of the last save, an unexpected error, the page's language."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TypeVar

import streamlit as st

from ui.places import Place
from ui.saving import (
    RETRY,
    _retry,
    placed_messages,
    show_placed,
)
from wijkmodel.storage.errors import StorageProblem, storage_message, storage_problem
from wijkmodel.storage.history import LOCAL_ZONE
from wijkmodel.text.markdown import literal

log = logging.getLogger("wijkmodel")
T = TypeVar("T")


def set_document_language() -> None:
    """Streamlit ships <html lang="en"> (streamlit issue 15726); the app is Dutch, so say so."""
    # A constant script of our own, never user content.
    st.html("<script>document.documentElement.lang = 'nl';</script>", unsafe_allow_javascript=True)


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


def show_flash(where: Place | None = None, *, page_failed: bool = False) -> None:
    """Show (once) the message of the last save.

    With `where`: the message of a save made there (`save(where=...)`), also as a toast; a page puts
    this call right under that form or button. Without: the messages for the top of the page, and
    the retry of a widget's save that the database could not take. `page_failed` (app.py's net):
    every message still waiting for its place shows here, as the page will not draw that place."""
    placed = placed_messages()
    if where is not None:
        flash = placed.pop(where.key, None)
        if flash is not None:
            show_placed(flash, toast=True)
        return
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
    # a placed message is shown in the run after its save; one that waited longer unseen (its form was
    # not drawn, or the page failed: app.py's net calls this again) shows here rather than never
    for key, flash in list(placed.items()):
        if flash.waited or page_failed:
            show_placed(placed.pop(key), toast=False)
        else:
            flash.waited = True
