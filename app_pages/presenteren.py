"""Page 'Presenteren': one slide at a time, filling the screen, for a steering group on a beamer.

On the slide only 'Vorige' and 'Volgende' (also the arrow keys and a presenter's clicker); the parts
and wijken are chosen in the sidebar (collapsed on this page). The slide number is in the address
(`?dia=5`), so a reload stays on it. The slides are the same as in the deck and the report
(wijkmodel.exports.briefing); ui/presenting.py lays them out."""

import datetime as dt

import streamlit as st

from ui.address import slide_in_address
from ui.briefing_choice import choose_parts_and_wijken
from ui.context import require_round
from ui.live import live_results
from ui.login import actor
from ui.presenting import beamer_layout, for_screens, show_slide, show_title_slide, slide_navigation
from ui.resources import cached, cached_model, read
from wijkmodel.exports.briefing import build_briefing
from wijkmodel.exports.region import briefing_region_slides, municipality_regions, regions_key
from wijkmodel.storage.access import EVERYONE
from wijkmodel.storage.invitations import invitations_of, roles_offered, state_of
from wijkmodel.text.markdown import literal
from wijkmodel.wijkdata.boundaries import load_geometries

model = cached_model()
ctx = require_round()
open_now = [i for i in read(lambda s: invitations_of(session=s, round_id=ctx.round_id)) if state_of(i) == "open"]
if open_now and st.sidebar.toggle("Live: de sessie met partners", key="present_live"):
    # on the beamer while people answer (issue 19): the live results instead of a slide
    beamer_layout()
    session = open_now[0]
    if len(open_now) > 1:
        chosen = st.sidebar.selectbox("Welke sessie?", open_now, format_func=lambda i: i.title)
        session = chosen or session
    st.title(f"Live: {literal(session.title)}")
    live_results(session.id, roles_offered(session))
    st.stop()
mp = ctx.profile()
with st.sidebar.expander("Onderdelen en wijken van de presentatie"):  # issue 16 item 5: the parts to show
    choice = choose_parts_and_wijken(mp, "presentation")
if not choice.complete:
    st.stop()
viewer = actor() or EVERYONE
with_region = "regio" in choice.parts  # the other municipalities of the region, as this person may see them
region_key = (
    read(lambda s: regions_key(session=s, municipality_id=ctx.municipality_id, viewer=viewer)) if with_region else ()
)
briefing_key = (*ctx.cache_key(), *choice.key(), region_key)


def region_part() -> list:
    if not with_region:
        return []
    regions = read(
        lambda s: municipality_regions(session=s, municipality_id=ctx.municipality_id, model=model, viewer=viewer)
    )
    year = ctx.round_date.year if ctx.round_date else dt.date.today().year
    return briefing_region_slides(regions, ctx.round_label or "", year, model, dt.date.today())


briefing = cached(
    "briefing",
    briefing_key,
    lambda: build_briefing(
        mp,
        ctx.round_id,
        model,
        today=dt.date.today(),
        wijken=choice.wijken,
        geometries=read(lambda s: load_geometries(session=s, municipality_id=ctx.municipality_id)),
        parts=choice.parts,
        region=region_part(),
    ),
)
total = len(briefing) + 1  # the title slide first

beamer_layout()
shown = slide_in_address(total)
if shown.message:
    st.info(shown.message, icon=":material/info:")
index = shown.index

if index == 0:
    show_title_slide(briefing.title, briefing.subtitle, briefing.model_version)
else:
    # built only when shown (a profile per wijk: a thousand wijken would take minutes all at once)
    slide = cached("presentation_slide", (*briefing_key, index), lambda: briefing.slide(index - 1))
    figures = None
    if slide.figure is not None:  # fonts for a room: one figure for a high window, one for a low
        key = (*briefing_key, slide.key)
        figures = cached("presentation_figures", key, lambda: for_screens(slide.figure))
    show_slide(slide, figures)

slide_navigation(index, total, f"{literal(briefing.municipality)} · ronde {literal(briefing.round_label)}")
