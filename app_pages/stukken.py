"""Page 'Stukken': the deck, the report and the workbook for the steering group, as downloads."""

import datetime as dt

import streamlit as st

from ui.briefing_choice import choose_parts_and_wijken
from ui.context import require_round
from ui.login import actor
from ui.resources import cached_model, read
from wijkmodel.exports.downloads import ExportKind, export, file_name
from wijkmodel.exports.images import NO_BROWSER, browser_path
from wijkmodel.storage.access import EVERYONE
from wijkmodel.text.markdown import literal

model = cached_model()

st.title("Stukken voor de stuurgroep")
st.write(
    "Neem de cijfers mee naar de stuurgroep. Kies eerst welke onderdelen en wijken in de presentatie en het "
    "verslag komen. Het Excel-bestand bevat alle gegevens van de gekozen wijken."
)
ctx = require_round()
mp = ctx.profile()
st.subheader("Wat komt erin?")
choice = choose_parts_and_wijken(mp, "exports")
if choice.wijken == []:
    st.stop()


def build(kind: ExportKind, round_id: int | None) -> bytes:
    return read(
        lambda session: export(
            kind,
            session=session,
            mp=mp,
            round_id=round_id,
            model=model,
            today=dt.date.today(),
            wijken=choice.wijken,
            parts=None if kind is ExportKind.XLSX else choice.parts,
            viewer=actor() or EVERYONE,  # the region's part and sheet: only what this person may see
        )
    )


no_browser = browser_path() is None
CARDS = [
    (
        ExportKind.PPTX,
        "Presentatie",
        f"PowerPoint (16:9) voor ronde {literal(ctx.round_label)}: titels en tabellen te bewerken, "
        "met sprekersnotities.",
        ctx.round_id,
        ":material/slideshow:",
    ),
    (
        ExportKind.PDF,
        "Verslag",
        f"PDF voor ronde {literal(ctx.round_label)}: met inhoudsopgave en paginanummers, doorzoekbare tekst.",
        ctx.round_id,
        ":material/picture_as_pdf:",
    ),
    (
        ExportKind.XLSX,
        "Gegevens",
        "Excel met alle rondes: wijken, invullers, scores, antwoorden en toelichtingen, elk op een eigen blad.",
        None,
        ":material/table:",
    ),
]
for column, (kind, heading, text, round_id, icon) in zip(st.columns(3, gap="large"), CARDS, strict=True):
    with column, st.container(border=True):
        st.subheader(heading)
        st.write(text)
        st.download_button(
            f"Download {kind.label} (.{kind.value})",
            # built only when clicked; the defaults hold this card's values (mypy cannot infer such a lambda's
            # type, python/mypy#15459)
            lambda kind=kind, round_id=round_id: build(kind, round_id),  # type: ignore[misc]
            file_name=file_name(kind, ctx.municipality, None if round_id is None else ctx.round_label),
            mime=kind.mime,
            # only the workbook needs no browser, and holds every part
            disabled=(no_browser or not choice.parts) and kind is not ExportKind.XLSX,
            key=f"download_{kind.value}",
            icon=icon,
        )
if no_browser:
    st.warning(NO_BROWSER)
st.caption("Het maken van de presentatie of het verslag duurt ongeveer tien seconden.")
