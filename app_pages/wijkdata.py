"""Page 'Wijkdata': import neighbourhood figures (CBS or own file) and wijk boundaries (GeoJSON).

Nothing changes until the user clicks 'Importeren'; a file with any problem changes nothing.
"""

import streamlit as st
from sqlalchemy.orm import Session

from ui.context import Context
from ui.login import ADMIN_ONLY, may
from ui.messages import show_flash
from ui.places import BOUNDARIES, Place, import_place
from ui.resources import cached_model, read
from ui.saving import save
from wijkmodel.demo.facts import DEMO_NAME
from wijkmodel.demo.geometry import DEMO_GEOMETRY_PATH
from wijkmodel.demo.wijkdata import demo_csv, demo_csv_name
from wijkmodel.model.indicators import format_number, indicator_label
from wijkmodel.storage.frames import load_units
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.limits import MAX_ROWS, MAX_WIJKEN
from wijkmodel.storage.tables import AccountRole, Municipality
from wijkmodel.text.glossary import explain
from wijkmodel.text.markdown import literal
from wijkmodel.wijkdata.boundaries import match_boundaries, save_boundaries
from wijkmodel.wijkdata.boundary_file import read_boundaries
from wijkmodel.wijkdata.cbs_fetch import CbsFetchError, available_indicators, fetch_municipality
from wijkmodel.wijkdata.mapping import ColumnMapping, guess_mapping, indicator_key, year_from
from wijkmodel.wijkdata.table_files import RawTable, read_table, sheet_names
from wijkmodel.wijkdata.template import template_xlsx
from wijkmodel.wijkdata.wijk_import import default_source, plan_against, save_import

NONE = "(geen)"
model = cached_model()

st.title("Wijkdata")
st.write(
    "Stap 1 van wijkgericht werken is de wijk-analyse: wat weet u van de inwoners van elke wijk? "
    "Hier leest u kerncijfers in, van het CBS (Kerncijfers wijken en buurten) of uit uw eigen bestand, "
    "en de grenzen van de wijken voor de kaart. Er verandert pas iets als u op **Importeren** klikt. "
    "Een bestand met een fout verandert niets: u ziet dan per rij en kolom wat er mis is."
)
show_flash()
current: Context | None = st.session_state.get("context")
if current is None:
    st.info("Maak eerst een gemeente aan op de pagina Start.")
    st.stop()
ctx: Context = current  # not None in the functions and lambdas below too (mypy narrows only this scope)
admin = may(AccountRole.ADMIN, ctx.municipality_id)  # with login: importing is a beheerder's (checked at save too)
if not admin:
    st.caption(ADMIN_ONLY)


def _municipality() -> tuple[str, str | None, object]:
    def load(session: Session) -> tuple[str, str | None, object]:
        m = session.get_one(Municipality, ctx.municipality_id)
        return m.name, m.cbs_code, load_units(session=session, municipality_id=ctx.municipality_id)

    return read(load)


name, code, units = _municipality()


def _refused(intro: str, problems: list[str]) -> None:
    """A file that cannot be read or imported: what is wrong, and that nothing changed."""
    # the problems quote the file: shown as typed, never as markdown
    st.error(
        f"{intro} Er is niets veranderd.\n\n" + "\n".join(f"- {literal(p)}" for p in problems), icon=":material/error:"
    )


@st.cache_data(max_entries=4, show_spinner=False)
def _read(data: bytes, filename: str, sheet: str | None) -> RawTable:
    return read_table(data, filename=filename, sheet=sheet)


def _mapping_widgets(raw: RawTable, key: str) -> tuple[ColumnMapping, int | None, str]:
    guess = guess_mapping(raw)
    columns = list(raw.cells.columns)
    choices = [NONE, *columns]
    left, right = st.columns(2)
    with left:
        code_column = st.selectbox(
            "Kolom met de wijkcode (WK + 6 cijfers)",
            choices,
            index=choices.index(guess.code) if guess.code else 0,
            key=f"code_{key}",
            placeholder="Kies een kolom",
        )
        name_column = st.selectbox(
            "Kolom met de wijknaam",
            choices,
            index=choices.index(guess.name) if guess.name else 0,
            key=f"name_{key}",
            placeholder="Kies een kolom",
        )
    with right:
        year = st.number_input(
            "Jaar van de cijfers",
            min_value=1990,
            max_value=2100,
            value=year_from(raw.filename),
            step=1,
            placeholder="bijvoorbeeld 2024",
            key=f"year_{key}",
        )
        source = st.text_input(
            "Bron", value=default_source(raw.filename, guess.layout), max_chars=200, key=f"source_{key}"
        )
    chosen = st.multiselect(
        "Kolommen met kerncijfers",
        [c for c in columns if c not in (code_column, name_column)],
        default=[c for c in guess.indicators if c not in (code_column, name_column)],
        format_func=lambda c: (
            f"{c} ({indicator_label(indicator_key(c, guess.layout))})" if guess.layout == "cbs" else c
        ),
        key=f"indicators_{key}",
        placeholder="Kies een of meer kolommen",
    )
    population_choices = [NONE, *chosen]
    population = st.selectbox(
        "Welk kerncijfer is het aantal inwoners? (dat werkt ook het inwonertal van de wijk bij)",
        population_choices,
        index=population_choices.index(guess.population) if guess.population in chosen else 0,
        key=f"population_{key}",
        placeholder="Kies een kerncijfer",
    )
    mapping = ColumnMapping(
        code=None if code_column == NONE else code_column,
        name=None if name_column == NONE else name_column,
        municipality=guess.municipality,
        region_kind=guess.region_kind,
        indicators={c: indicator_key(c, guess.layout) for c in chosen},
        population=None if population == NONE else population,
        layout=guess.layout,
    )
    return mapping, None if year is None else int(year), source


def _import_section(raw: RawTable, key: str) -> None:
    place = import_place(key)
    _import_steps(raw, key, place)
    show_flash(where=place)  # under 'Importeren', or under what the section shows instead of it


def _import_steps(raw: RawTable, key: str, place: Place) -> None:
    st.caption(
        f"Gelezen uit {literal(raw.filename)}{f', blad {literal(raw.sheet)}' if raw.sheet else ''}: "
        f"{len(raw.cells)} rijen, "
        f"{len(raw.cells.columns)} kolommen. De eerste rijen:"
    )
    st.dataframe(raw.cells.head(8).astype(str), hide_index=True, placeholder="–")
    st.subheader("Welke kolom is wat?", divider="gray")
    mapping, year, source = _mapping_widgets(raw, key)
    if year is None:
        st.warning("Vul het jaar van de cijfers in.")
        return
    try:
        # planned here, against the wijken read for this page; the import button then only writes
        prepared = plan_against(
            raw,
            mapping,
            municipality_id=ctx.municipality_id,
            municipality_name=name,
            municipality_code=code,
            units=units,
            year=year,
            source=source,
        )
    except InputError as exc:
        count = f"{len(exc.problems)} {'probleem' if len(exc.problems) == 1 else 'problemen'}"
        _refused(f"Dit bestand kan zo niet worden ingelezen ({count}).", exc.problems)
        return
    plan = prepared.plan
    st.subheader("Controleer en importeer", divider="gray")
    st.markdown("\n".join(f"- {literal(line)}" for line in plan.summary()))
    st.dataframe(plan.preview(), hide_index=True, placeholder="–")

    def commit() -> None:
        save(
            lambda s: save_import(session=s, prepared=prepared),
            success=f"Geïmporteerd: {len(plan.rows)} wijken, {len(plan.indicators)} kerncijfers voor {year}.",
            where=place,
        )

    st.button("Importeren", type="primary", key=f"commit_{key}", on_click=commit, disabled=not admin)


st.header("Kerncijfers", divider="gray")
file_tab, cbs_tab = st.tabs(["Uit een bestand", "Ophalen bij het CBS"])
with file_tab:
    upload = st.file_uploader(
        f"CSV- of Excel-bestand (.csv of .xlsx, hoogstens 20 MB en {format_number(MAX_ROWS)} rijen; "
        f"hoogstens {format_number(MAX_WIJKEN)} wijken per gemeente)",
        type=["csv", "txt", "xlsx"],
        key="wijkdata_upload",
        disabled=not admin,
    )
    if upload is not None:
        data = upload.getvalue()
        sheet = None
        try:
            if upload.name.casefold().endswith(".xlsx"):
                sheets = sheet_names(data, filename=upload.name)
                if len(sheets) > 1:
                    sheet = st.selectbox("Blad", sheets, key=f"sheet_{upload.file_id}", placeholder="Kies een blad")
            raw = _read(data, upload.name, sheet)
        except InputError as exc:
            _refused("Dit bestand kan niet worden gelezen.", exc.problems)
        else:
            _import_section(raw, f"{upload.file_id}_{sheet}")

with cbs_tab:
    st.write(
        "Heeft deze computer internet? Dan kunt u de Kerncijfers wijken en buurten van uw gemeente "
        "rechtstreeks bij CBS open data ophalen. Kies de tabel van het jaar dat u wilt, bijvoorbeeld "
        "85984NED voor 2024."
    )
    table_id = st.text_input("Tabel (CBS-nummer)", value="85984NED", max_chars=12, key="cbs_table")
    if st.button("Kerncijfers van deze tabel tonen", key="cbs_list"):
        try:
            st.session_state["cbs_indicators"] = (table_id, available_indicators(table_id))
        except CbsFetchError as exc:
            st.session_state.pop("cbs_indicators", None)
            st.error(literal(exc.message), icon=":material/wifi_off:")  # it quotes names and the table id
    listed = st.session_state.get("cbs_indicators")
    if listed and listed[0] == table_id:
        titles = dict(listed[1])
        picked = st.multiselect(
            "Welke kerncijfers?",
            list(titles),
            format_func=lambda k: titles[k],
            key="cbs_picked",
            placeholder="Kies een of meer kerncijfers",
        )
        if st.button("Ophalen", disabled=not picked or not admin, key="cbs_fetch"):
            try:
                fetched_now = fetch_municipality(
                    table_id, municipality_code=code, municipality_name=None if code else name, indicators=picked
                )
            except CbsFetchError as exc:
                st.error(literal(exc.message), icon=":material/wifi_off:")
            else:
                st.session_state["cbs_fetched"] = fetched_now
    fetched = st.session_state.get("cbs_fetched")
    if fetched is not None:
        raw = RawTable(cells=fetched.table, filename=f"{fetched.table_id}_{fetched.year}", number_style="en")
        _import_section(raw, f"cbs_{fetched.table_id}_{len(fetched.table)}")

st.header("Grenzen van de wijken (voor de kaart)", divider="gray")
st.write(
    "Een kaartbestand met de grenzen van de wijken, in de bestandsoort GeoJSON. U vindt het bijvoorbeeld in de "
    "Wijk- en Buurtkaart van het CBS of bij PDOK. De plekken op de kaart mogen in graden staan (lengte- en "
    "breedtegraad, WGS84) of in meters (het Rijksdriehoekstelsel, RD New). De grenzen worden aan de wijken "
    "gekoppeld via de wijkcode."
)
geo_upload = st.file_uploader(
    "Kaartbestand met de grenzen (GeoJSON: .geojson of .json)",
    type=["geojson", "json"],
    key="geo_upload",
    disabled=not admin,
    help=f"{explain('GeoJSON')} {explain('WGS84 en RD New')}",
)
if geo_upload is not None:
    try:
        boundaries = read_boundaries(geo_upload.getvalue(), filename=geo_upload.name)
        geo_plan = match_boundaries(boundaries, units, code)
    except InputError as exc:
        _refused("Deze grenzen kunnen niet worden ingelezen.", exc.problems)
    else:
        st.markdown("\n".join(f"- {literal(line)}" for line in geo_plan.lines()))
        geo_source = geo_upload.name

        def commit_boundaries() -> None:
            save(
                lambda s: save_boundaries(
                    session=s, municipality_id=ctx.municipality_id, plan=geo_plan, source=geo_source
                ),
                success="Grenzen bewaard. Bekijk de kaart op de pagina Wijkanalyse.",
                where=BOUNDARIES,
            )

        st.button(
            "Grenzen importeren",
            type="primary",
            key=f"geo_commit_{geo_upload.file_id}",
            on_click=commit_boundaries,
            disabled=not admin,
        )
    show_flash(where=BOUNDARIES)

st.header("Sjablonen en voorbeelden", divider="gray")
st.write(
    "Het eigen sjabloon heeft een kolom code en een kolom naam, met uw wijken al ingevuld. "
    "Voeg per kerncijfer een kolom toe, met het getal per wijk."
)
st.download_button(
    "Eigen sjabloon downloaden (.xlsx)",
    data=template_xlsx(units),
    file_name="sjabloon_wijkdata.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template",
)
if name == DEMO_NAME:
    st.caption(f"Voorbeeldbestanden voor {DEMO_NAME} (verzonnen cijfers, in de opmaak van het CBS):")
    left, right = st.columns(2)
    left.download_button(
        "Kerncijfers 2025 (CSV)", data=demo_csv(2025), file_name=demo_csv_name(2025), mime="text/csv", key="demo_csv"
    )
    right.download_button(
        "Grenzen (kaartbestand, GeoJSON)",
        data=DEMO_GEOMETRY_PATH.read_bytes(),
        file_name="voorbeeldstad_wijken.geojson",
        mime="application/geo+json",
        key="demo_geo",
    )
