"""Page 'Stukken': the deck, the report and the workbook for the steering group, as downloads."""

import datetime as dt

import streamlit as st

from app_pages.common import cached_model, read, require_round
from wijkmodel.briefing import chosen_units
from wijkmodel.exports import ExportKind, export, file_name
from wijkmodel.images import NO_BROWSER, browser_path

model = cached_model()

st.title("Stukken voor de stuurgroep")
st.write(
    "Neem de cijfers mee naar de stuurgroep. De presentatie en het verslag tonen dezelfde dia's als de pagina "
    "Presenteren; het Excel-bestand bevat alle gegevens."
)
ctx = require_round()
mp = ctx.profile()
units = mp.frames.units
names = [str(units.set_index("unit").loc[u, "name"]) for u in chosen_units(mp, None)]
every = st.toggle("Alle wijken", value=True, key="exports_all")
wijken = None if every else st.multiselect("Welke wijken?", names, default=names[:1], key="exports_wijken")
if wijken == []:
    st.info("Kies minstens één wijk.")
    st.stop()


def build(kind: ExportKind, round_id: int | None) -> bytes:
    return read(
        lambda session: export(
            kind, session=session, mp=mp, round_id=round_id, model=model, today=dt.date.today(), wijken=wijken
        )
    )


no_browser = browser_path() is None
deck_col, report_col, data_col = st.columns(3, gap="large")
with deck_col, st.container(border=True):
    st.subheader("Presentatie")
    st.write(f"PowerPoint (16:9) voor ronde {ctx.round_label}: titels en tabellen te bewerken, met sprekersnotities.")
    st.download_button(
        "Download presentatie (.pptx)",
        lambda: build(ExportKind.PPTX, ctx.round_id),
        file_name=file_name(ExportKind.PPTX, ctx.municipality, ctx.round_label),
        mime=ExportKind.PPTX.mime,
        disabled=no_browser,
        key="download_pptx",
        icon=":material/slideshow:",
    )
with report_col, st.container(border=True):
    st.subheader("Verslag")
    st.write(f"PDF voor ronde {ctx.round_label}: met inhoudsopgave en paginanummers, doorzoekbare tekst.")
    st.download_button(
        "Download verslag (.pdf)",
        lambda: build(ExportKind.PDF, ctx.round_id),
        file_name=file_name(ExportKind.PDF, ctx.municipality, ctx.round_label),
        mime=ExportKind.PDF.mime,
        disabled=no_browser,
        key="download_pdf",
        icon=":material/picture_as_pdf:",
    )
with data_col, st.container(border=True):
    st.subheader("Gegevens")
    st.write("Excel met alle rondes: wijken, respondenten, scores, antwoorden en toelichtingen, elk op een eigen blad.")
    st.download_button(
        "Download gegevens (.xlsx)",
        lambda: build(ExportKind.XLSX, None),
        file_name=file_name(ExportKind.XLSX, ctx.municipality, None),
        mime=ExportKind.XLSX.mime,
        key="download_xlsx",
        icon=":material/table:",
    )
if no_browser:
    st.warning(NO_BROWSER)
st.caption("Het maken van de presentatie of het verslag duurt ongeveer tien seconden.")
