"""The app's pages in menu order: the one list that app.py builds its navigation from and the tests
walk (an AppTest per page, axe on every page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wijkmodel.storage.invitations import LINK_PARAMETER


@dataclass(frozen=True)
class PageSpec:
    """One page: its script in app_pages/, its menu title and its icon."""

    path: str
    title: str
    icon: str
    sidebar: Literal["auto", "collapsed"] = "auto"
    """How the sidebar starts on this page (app.py): 'collapsed' gives the page the whole screen.
    Streamlit keeps a user's own choice (a click on the sidebar's arrow) above this one."""


REGION_PAGE = PageSpec("app_pages/regio.py", "Regio", ":material/travel_explore:")
"""The region's page (issue 20): the only page of a regiocoördinator without a role in a municipality."""

# a flat list in the order of the cycle: Streamlit's sectioned menu puts its headers inside the
# <ul>, which axe reports as a serious accessibility problem
PAGES = [
    PageSpec("app_pages/start.py", "Start", ":material/home:"),
    PageSpec("app_pages/wijkanalyse.py", "Wijkanalyse", ":material/map:"),
    PageSpec("app_pages/wijkdata.py", "Wijkdata", ":material/upload_file:"),
    PageSpec("app_pages/startpositie.py", "Startpositie", ":material/tune:"),
    PageSpec("app_pages/quickscan.py", "Quickscan", ":material/checklist:"),
    PageSpec("app_pages/zet.py", "ZET (praktijk)", ":material/fact_check:"),
    PageSpec("app_pages/randvoorwaarden.py", "Randvoorwaarden", ":material/account_balance:"),
    PageSpec("app_pages/samen.py", "Samen invullen", ":material/qr_code_2:"),
    PageSpec("app_pages/gesprek.py", "Gesprek", ":material/forum:"),
    PageSpec("app_pages/wijkprofiel.py", "Wijkprofiel", ":material/person_pin_circle:"),
    PageSpec("app_pages/vergelijken.py", "Vergelijken", ":material/compare_arrows:"),
    PageSpec("app_pages/perspectieven.py", "Perspectieven", ":material/groups:"),
    PageSpec("app_pages/voortgang.py", "Voortgang", ":material/trending_up:"),
    REGION_PAGE,
    PageSpec("app_pages/streefwaarden.py", "Streefwaarden", ":material/flag:"),
    PageSpec("app_pages/plan.py", "Kernkeuzes en acties", ":material/checklist_rtl:"),
    PageSpec("app_pages/presenteren.py", "Presenteren", ":material/co_present:", sidebar="collapsed"),
    PageSpec("app_pages/stukken.py", "Stukken", ":material/download:"),
    PageSpec("app_pages/geschiedenis.py", "Geschiedenis", ":material/history:"),
    PageSpec("app_pages/instellingen.py", "Instellingen", ":material/settings:"),
    PageSpec("app_pages/het_model.py", "Het model", ":material/menu_book:"),
]
"""The first page is the default (opened at /)."""

RESPONDENT_PAGE = PageSpec("app_pages/meedoen.py", "Meedoen", ":material/how_to_vote:", sidebar="collapsed")
"""The page of an invitation link (issue 19): not in the menu; app.py serves it alone, without login,
when the address holds INVITATION."""
INVITATION = LINK_PARAMETER
"""The address's parameter with an invitation's token: /?uitnodiging=…"""


NEXT_STEPS = {
    "demo": (
        "Kijk hoe het werkt, bijvoorbeeld hier:",
        [
            ("app_pages/startpositie.py", "zie waar de wijken staan en zet zelf een schuifje"),
            ("app_pages/vergelijken.py", "de wijken naast elkaar"),
            ("app_pages/stukken.py", "de presentatie en het verslag voor de stuurgroep"),
        ],
    ),
    "municipality": (
        "Voeg hieronder uw wijken en een eerste ronde toe. Daarna:",
        [
            ("app_pages/wijkdata.py", "lees de kerncijfers van uw wijken in"),
            ("app_pages/startpositie.py", "zet per thema een schuifje"),
        ],
    ),
}
"""Where to go next (page Start), after loading the demo and after making a municipality: a lead-in
and the pages, each with what the user does there."""


def next_steps(after: Literal["demo", "municipality"]) -> tuple[str, list[tuple[PageSpec, str]]]:
    """The lead-in and the pages to go to next, each with its link text: the menu title, then what is there."""
    by_path = {spec.path: spec for spec in PAGES}
    lead, pages = NEXT_STEPS[after]
    return lead, [(by_path[path], f"{by_path[path].title}: {what}") for path, what in pages]
