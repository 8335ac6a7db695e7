"""Page 'Regio': the municipalities of a region side by side (issue 20): heatmap, ranking on one item,
progress between two rounds, the region's mean, each with its table; the region's deck and workbook;
making and changing a region. Only what `storage.regions.visible_members` allows is shown."""

import datetime as dt

import streamlit as st
from sqlalchemy.orm import Session

from ui.charts import chart
from ui.login import actor, may
from ui.messages import show_flash
from ui.places import NEW_REGION, REGION
from ui.resources import cached, cached_model, read
from ui.saving import save
from wijkmodel.analysis.region import (
    BASES,
    BY_LABEL,
    MATCHES,
    compare,
    display_table,
    has_conditions,
    heatmap_table,
    items,
    load_region,
    progress,
    progress_table,
    ranking,
    ranking_table,
    round_keys,
    wijk_scores,
)
from wijkmodel.analysis.views import to_csv_bytes, to_xlsx_bytes
from wijkmodel.charts.region import region_heatmap, region_progress, region_ranking
from wijkmodel.exports.images import browser_path
from wijkmodel.exports.region import region_file_name, region_workbook
from wijkmodel.exports.region_deck import region_deck
from wijkmodel.storage.access import EVERYONE
from wijkmodel.storage.regions import (
    choosable,
    coordinators,
    create_region,
    delete_region,
    form_state,
    member_ids,
    rename_region,
    revisions,
    set_coordinator,
    set_members,
    visible_members,
    visible_regions,
)
from wijkmodel.storage.tables import AccountRole, generation
from wijkmodel.text.markdown import literal

model = cached_model()
who = actor() or EVERYONE

st.title("Regio")
st.write(
    "Vergelijk de gemeenten van een regio op de zes thema's, de vijf basisfuncties en de randvoorwaarden. "
    "U ziet alleen gemeenten die met de regio delen, en uw eigen gemeente."
)
show_flash()
regions = read(lambda s: visible_regions(session=s, actor=who))
manager = may(AccountRole.ADMIN, None)  # without login everyone; with login a beheerder of some municipality
offered = read(lambda s: choosable(session=s, actor=who))


def new_region_form() -> None:
    if not manager:
        return
    with st.form("new_region", border=True):
        st.subheader("Nieuwe regio")
        name = st.text_input("Naam van de regio", max_chars=200, placeholder="Bijvoorbeeld: Regio Holland Rijnland")
        chosen = st.multiselect(
            "Gemeenten",
            list(offered),
            format_func=offered.__getitem__,
            placeholder="Kies de gemeenten van de regio",
        )
        if st.form_submit_button("Regio maken"):
            save(
                lambda s: create_region(session=s, name=name, municipality_ids=chosen),
                success="De regio is gemaakt.",
                where=NEW_REGION,
                municipality_id=None,
            )
            st.rerun()
    show_flash(where=NEW_REGION)


if not regions:
    st.info(
        "Er is nog geen regio die u kunt bekijken. Een beheerder maakt hieronder een regio. "
        "Een regiocoördinator krijgt toegang van een beheerder van een van de gemeenten."
    )
    new_region_form()
    st.stop()

region_names = {r.id: r.name for r in regions}
region_id = st.selectbox("Regio", list(region_names), format_func=region_names.__getitem__, key="region_id")
region_name = region_names[region_id]
members = read(lambda s: visible_members(session=s, region_id=region_id, actor=who))
key = read(lambda s: (generation(s), region_name, revisions(session=s, members=members)))


def comparison_section() -> None:
    """The comparison: only the members this person may see (`members`)."""
    data = cached(
        "region_data",
        key,
        lambda: read(lambda s: load_region(session=s, region=region_name, members=members, model=model)),
    )
    st.caption(f"Te zien: {len(members)} gemeenten: " + ", ".join(literal(m.name) for m in members) + ".")
    left, right = st.columns(2)
    basis = left.radio("Hoe telt elke gemeente?", list(BASES), format_func=BASES.__getitem__, key="region_basis")
    match = right.radio(
        "Welke rondes horen bij elkaar?",
        list(MATCHES),
        format_func=MATCHES.__getitem__,
        key="region_match",
        horizontal=False,
    )
    keys = round_keys(data, match)
    if not keys:
        st.info("De gemeenten van deze regio hebben nog geen ronde.")
        return
    label = "Ronde" if match == BY_LABEL else "Jaar"
    round_key = st.selectbox(label, keys, index=len(keys) - 1, key=f"region_round_{match}")
    comparison = cached(
        "region_compare",
        (*key, basis, match, round_key),
        lambda: compare(data, model, key=round_key, match=match, basis=basis),
    )
    today = dt.date.today()
    names = items(model)

    st.header("De gemeenten naast elkaar")
    chart(
        cached(
            "region_heatmap", (*key, basis, match, round_key, today), lambda: region_heatmap(comparison, model, today)
        ),
        name="regio-overzicht",
        key="region_heatmap",
    )
    table = display_table(heatmap_table(comparison, model), comparison)
    st.dataframe(table, width="stretch")
    down_csv, down_xlsx = st.columns(2)
    down_csv.download_button(
        "Download CSV", lambda: to_csv_bytes(table), file_name="regio.csv", mime="text/csv", key="region_csv"
    )
    down_xlsx.download_button(
        "Download Excel",
        lambda: to_xlsx_bytes(table, sheet="Regio"),
        file_name="regio.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="region_xlsx",
    )
    if has_conditions(comparison, model):
        st.subheader("Randvoorwaarden")
        st.caption("Ingevuld voor de gemeente als geheel, dus ook zo geteld als u het gemiddelde van de wijken kiest.")
        chart(
            cached(
                "region_conditions",
                (*key, basis, match, round_key, today),
                lambda: region_heatmap(comparison, model, today, conditions=True),
            ),
            name="regio-randvoorwaarden",
            key="region_conditions",
        )
        st.dataframe(
            display_table(heatmap_table(comparison, model, conditions=True), comparison),
            width="stretch",
        )

    st.header("Op volgorde")
    present = [i for i in names if comparison.scores[i].notna().any()] or list(names)
    item = st.selectbox("Onderdeel", present, format_func=names.__getitem__, key="region_item")
    shown = (*key, basis, match, round_key, item, today)
    chart(
        cached("region_ranking", shown, lambda: region_ranking(comparison, item, model, today)),
        name="regio-volgorde",
        key="region_ranking",
    )
    st.dataframe(
        cached("region_ranking_table", shown, lambda: ranking_table(ranking(comparison, item), model)),
        hide_index=True,
        width="stretch",
    )

    st.header("Voortgang tussen twee rondes")
    before_keys = [k for k in keys if k != round_key]
    before = None
    if not before_keys:
        st.info("Voortgang is te zien zodra de gemeenten twee rondes hebben.")
    else:
        earlier = [k for k in before_keys if keys.index(k) < keys.index(round_key)]
        before_key = st.selectbox(
            f"Vergelijk {label.lower()} {literal(round_key)} met",
            before_keys,
            index=before_keys.index(earlier[-1]) if earlier else 0,
            key=f"region_before_{match}",
        )
        moved_key = (*shown, before_key)
        then = cached(
            "region_before",
            (*key, basis, match, before_key),
            lambda: compare(data, model, key=before_key, match=match, basis=basis),
        )
        chart(
            cached("region_progress", moved_key, lambda: region_progress(then, comparison, item, model, today)),
            name="regio-voortgang",
            key="region_progress",
        )
        before = then
        st.dataframe(
            cached(
                "region_progress_table",
                moved_key,
                lambda: progress_table(progress(then, comparison, item), then, comparison),
            ),
            hide_index=True,
            width="stretch",
        )

    st.header("Wijken")
    wijken = cached("region_wijken", shown, lambda: wijk_scores(data, comparison, item, model))
    if wijken.empty:
        st.write("Geen van deze gemeenten deelt de scores van haar wijken (of dit onderdeel heeft geen wijkscores).")
    else:
        st.write(f"{literal(names[item])} per wijk, van de gemeenten die hun wijken delen.")
        st.dataframe(wijken, hide_index=True, width="stretch")

    st.header("Stukken van de regio")
    deck_col, book_col = st.columns(2)
    if browser_path() is not None:
        deck_col.download_button(
            "Presentatie (PowerPoint)",
            lambda: region_deck(comparison, model, today, before=before, item=item),
            file_name=region_file_name(comparison, "pptx"),
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            icon=":material/slideshow:",
            key="region_deck",
        )
    book_col.download_button(
        "Gegevens (Excel)",
        lambda: region_workbook(data, comparison, model, today, before=before),
        file_name=region_file_name(comparison, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key="region_book",
    )


if not members:
    st.info("Geen van de gemeenten van deze regio deelt haar scores met de regio.")
else:
    comparison_section()

# --- managing the region -------------------------------------------------------------------------
if not manager:
    st.stop()
with st.expander("Regio beheren"):
    st.write(
        "Een gemeente toevoegen of weghalen mag alleen een beheerder van die gemeente. "
        "Hier staan de gemeenten waarvan u beheerder bent."
    )
    current = read(lambda s: member_ids(session=s, region_id=region_id))
    kept = [m for m in current if m not in offered]  # members the person cannot change stay, unnamed
    # The form's widgets keep what the person typed; `shown` is what they were filled with from the
    # database. A save sends it along, so a colleague's change since is refused, never overwritten.
    shown_key, name_key, members_key = (f"region_{part}_{region_id}" for part in ("shown", "name", "members"))

    if shown_key not in st.session_state or name_key not in st.session_state:  # first drawn (again)
        shown = read(lambda s: form_state(session=s, region_id=region_id, actor=who))
        st.session_state[shown_key] = shown
        st.session_state[name_key], st.session_state[members_key] = shown[0], list(shown[1])
    st.session_state[members_key] = [m for m in st.session_state[members_key] if m in offered]
    seen_name, seen_members = st.session_state[shown_key]
    with st.form("region_form", border=False):
        new_name = st.text_input("Naam van de regio", max_chars=200, key=name_key)
        chosen = st.multiselect(
            "Gemeenten",
            list(offered),
            format_func=offered.__getitem__,
            placeholder="Kies de gemeenten van de regio",
            key=members_key,
        )
        if st.form_submit_button("Bewaren"):

            def change(s: Session) -> bool:
                if new_name != seen_name:
                    rename_region(session=s, region_id=region_id, name=new_name, seen_name=seen_name)
                set_members(
                    session=s, region_id=region_id, municipality_ids=[*chosen, *kept], seen_members=seen_members
                )
                return True

            saved = save(change, success="De regio is bewaard.", where=REGION, municipality_id=None)
            # saved, or refused because a colleague changed the region: the form shows what is stored
            # now; another refusal (a bad name, a busy database) keeps what the person typed
            if saved or read(lambda s: form_state(session=s, region_id=region_id, actor=who)) != (
                seen_name,
                seen_members,
            ):
                for stale in (shown_key, name_key, members_key):
                    st.session_state.pop(stale, None)
            st.rerun()
    people = read(lambda s: coordinators(session=s, region_id=region_id))
    st.write("Regiocoördinatoren: " + (", ".join(literal(p) for p in people) if people else "nog niemand"))
    with st.form("region_coordinator", border=False):
        email = st.text_input("E-mailadres", help="Van iemand die al een keer heeft ingelogd.", max_chars=320)
        add, remove = st.columns(2)
        if add.form_submit_button("Regiocoördinator maken"):
            save(
                lambda s: set_coordinator(session=s, region_id=region_id, email=email, coordinates=True),
                success="Bewaard.",
                where=REGION,
                municipality_id=None,
            )
            st.rerun()
        if remove.form_submit_button("Geen regiocoördinator meer"):
            save(
                lambda s: set_coordinator(session=s, region_id=region_id, email=email, coordinates=False),
                success="Bewaard.",
                where=REGION,
                municipality_id=None,
            )
            st.rerun()
    sure = st.checkbox(
        "Ik weet het zeker: de regio verdwijnt met haar regiocoördinatoren (de gemeenten en hun gegevens blijven)",
        key="region_delete_sure",
    )
    if st.button("Deze regio verwijderen", key="region_delete", disabled=not sure):
        save(
            lambda s: delete_region(session=s, region_id=region_id),
            success="De regio is verwijderd. De gemeenten blijven.",
            where=REGION,
            municipality_id=None,
        )
        st.rerun()
    show_flash(where=REGION)
with st.expander("Nieuwe regio maken"):
    new_region_form()
