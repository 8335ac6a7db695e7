"""Safe output: user text never runs as HTML in the app, and never as a formula in an export.

(a) No page renders HTML it did not write itself: every `st.html`, `components.html`/`iframe`
    and every call with `unsafe_allow_html`/`unsafe_allow_javascript` in app.py and app_pages/
    gets a constant string literal, and only the ones allowed below, by their exact content.
(b) An AppTest run of every page with hostile names, notes, choices and actions in the database:
    none of it reaches an HTML element or markdown that allows HTML. Streamlit escapes HTML in
    markdown and turns `javascript:` links into `#` (checked in chromium with Streamlit 1.67), but
    it does render markdown (bold, links, images) in st.markdown/st.write/captions/headers/alerts,
    widget labels, radio options and st.table cells: user text there must be markdown-escaped.
    Escaped or not, a URL, `www.` address or e-mail address in the text becomes a link (GFM
    autolinks): no user text may parse to one (`markdown_text.literal` breaks them up).
(c) Exports are formula-safe: text starting with = + - @ tab or CR is neutralised. The export
    paths with user text, each tested here:
    - CSV downloads: `views.to_csv_bytes` (Geschiedenis, Perspectieven, Kernkeuzes en acties,
      Vergelijken, Voortgang, Wijkprofiel), with the real tables of Geschiedenis and the action plan;
    - Excel downloads: `views.to_xlsx_bytes` (Geschiedenis, Vergelijken) and `dialogue.summary_xlsx`
      (Gesprek);
    - the workbook `workbook.build_workbook` (Stukken, and `python -m wijkmodel export xlsx`);
    - the Wijkdata template `wijk_template.template_xlsx` (the municipality's wijk names).
    Not spreadsheets, so no formula neutralising (and none wanted: they must hold the text exactly):
    the JSON backup, the conversation notes as .txt, the deck (.pptx), the report (.pdf), chart
    images; the demo CSV holds no user text. `test_every_download_goes_through_a_known_builder`
    keeps this list complete: a new download button must use one of these builders.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import inspect
import io
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, DEMO_WIJKEN, PAGE_FILES, ROOT
from tests.test_markdown_text import REWRITES, text_nodes
from wijkmodel.analysis.dialogue import summary_xlsx
from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.analysis.views import to_csv_bytes, to_xlsx_bytes
from wijkmodel.cycle.action_plan import plan_table, save_action
from wijkmodel.cycle.core_choices import save_core_choice
from wijkmodel.exports.parts import PARTS
from wijkmodel.exports.workbook import build_workbook
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.analysis_mark import save_analysis_mark
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.history import history, history_table
from wijkmodel.storage.inputs import MunicipalityIn, RoundIn, validate
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import IndicatorValue
from wijkmodel.storage.wijken import add_wijk, units
from wijkmodel.storage.zet import save_zet
from wijkmodel.text.markdown import literal, literal_table
from wijkmodel.text.spreadsheet import FORMULA_START
from wijkmodel.wijkdata.mapping import guess_mapping
from wijkmodel.wijkdata.table_files import read_table
from wijkmodel.wijkdata.template import template_xlsx
from wijkmodel.wijkdata.wijk_import import import_wijken

# --- (a) no HTML the app did not write itself ---------------------------------------------------

SOURCES = [*sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py")), ROOT / "app.py"]

ALLOWED_HTML = {
    (
        "ui/scroll.py",
        """<script>
(() => {
  if (window.wijkmodelSteps) return;
  window.wijkmodelSteps = true;
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".st-key-vorige_wijk, .st-key-volgende_wijk")) return;
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo({ top: 0 });
    window.scrollTo({ top: 0 });
  }, true);
})();
</script>""",
    ),
    (
        "ui/who.py",
        """<script>
(() => {
  const store = () => {
    const marker = document.querySelector('[class*="st-key-wm-who-"]');
    if (!marker) return;
    const name = [...marker.classList].find((c) => c.startsWith("st-key-wm-who-"));
    document.cookie = "wm_who=" + name.slice("st-key-wm-who-".length) + "; path=/; max-age=31536000; SameSite=Strict";
  };
  if (!window.wijkmodelWho) {
    window.wijkmodelWho = true;
    new MutationObserver(store).observe(document.body, { childList: true, subtree: true });
  }
  store();
})();
</script>""",
    ),
    ("ui/messages.py", "<script>document.documentElement.lang = 'nl';</script>"),
    (
        "ui/browser_text.py",
        r"""<script>
(() => {
  if (window.wijkmodelBrowserText) return;
  window.wijkmodelBrowserText = true;
  const MONTH = "(January|February|March|April|May|June|July|August|September|October|November|December)";
  const ENGLISH_MONTHS = MONTH.slice(1, -1).split("|");
  const DUTCH_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december"];
  const month = (name) => DUTCH_MONTHS[ENGLISH_MONTHS.indexOf(name)];
  const size = (number, unit) => String(Number(number)).replace(".", ",") + " " + unit;
  const UPLOADER = '[data-testid="stFileUploader"], [data-testid="stFileChip"], [data-testid="stTooltipErrorContent"]';
  const PICKER = '[data-testid="stSelectbox"], [data-testid="stMultiSelect"]';
  const LIST = PICKER + ', [role="listbox"], [data-baseweb="popover"], [data-testid="stDataFrame"]';
  const DATE = '[data-testid^="stDateInput"], [role="dialog"]';
  const TABLE = '[data-testid="stElementToolbar"], [data-testid="stTooltipContent"], [data-testid="stDataFrame"], '
    + '[data-testid^="stDataFrame"], [data-testid="stFullScreenFrame"]';
  const STATUS = '[data-testid="stStatusWidget"], [data-testid="stConnectionStatus"]';
  const MENU = '[data-testid="stMainMenuList"]';
  const INPUT = '[data-testid="InputInstructions"]';
  // [inside, where, English, Dutch]: inside an element that matches `inside`, the text (or the attribute
  // `where`) that is exactly `English` (a string, or a RegExp on the whole text) becomes `Dutch` (a
  // string, or a function of the match)
  const RULES = [
    ['[data-testid="stSkipToContent"]', "text", "Skip to main content", "Direct naar de inhoud"],
    ["button", "aria-label", "Collapse sidebar", "Zijbalk inklappen"],
    ["button", "aria-label", "Expand sidebar", "Zijbalk uitklappen"],
    ['[data-testid="stMainMenu"], ' + MENU, "aria-label", "Main menu", "Menu"],
    [MENU, "text", "Print", "Afdrukken"],
    [MENU, "text", "Record screen", "Scherm opnemen"],
    [MENU, "text", "Record a screencast", "Scherm opnemen"],
    [MENU, "text", "Stop recording", "Opname stoppen"],
    [STATUS, "text", "Running...", "Bezig…"],
    [STATUS, "aria-label", "Running...", "Bezig…"],
    [STATUS, "text", "Stop", "Stoppen"],
    [STATUS, "text", "Stopping...", "Bezig met stoppen…"],
    [STATUS, "text", "Rerun", "Opnieuw"],
    [STATUS, "text", "Always rerun", "Altijd opnieuw"],
    [STATUS, "text", "Connecting", "Verbinding maken"],
    [STATUS, "text", "Please wait...", "Even geduld…"],
    ['[data-testid="stHeaderActionElements"]', "aria-label", "Link to heading", "Link naar dit kopje"],
    ["button", "aria-label", /^Help for ([^]*)$/, (_, label) => "Uitleg bij " + label.replaceAll("**", "")],
    ['[role="dialog"], [data-testid="stDialog"], [data-testid="stToast"]', "aria-label", "Close", "Sluiten"],
    ["button", "aria-label", "Dismiss", "Sluiten"],
    ['[data-testid="stTabs"]', "aria-label", "Scroll tabs left", "Tabbladen naar links"],
    ['[data-testid="stTabs"]', "aria-label", "Scroll tabs right", "Tabbladen naar rechts"],
    // the file uploader
    [UPLOADER, "text", "Upload", "Bestand kiezen"],
    [UPLOADER, "text", "Drag and drop a file here", "Sleep een bestand hierheen"],
    [UPLOADER, "text", "Drag and drop files here", "Sleep bestanden hierheen"],
    [UPLOADER, "text", /^([0-9.]+) ?([KMGT]?B) per file( • [^]*)?$/,
      (_, number, unit, types) => "Hoogstens " + size(number, unit) + " per bestand" + (types || "")],
    [UPLOADER, "text", /^(Error: )?File must be ([0-9.]+) ?([KMGT]?B) or smaller\.$/,
      (_, error, number, unit) => (error ? "Fout: " : "")
        + "Het bestand is groter dan " + size(number, unit) + ". Kies een kleiner bestand."],
    [UPLOADER, "text", /^(Error: )?(\S+) files are not allowed\.$/,
      (_, error, type) => (error ? "Fout: " : "") + "Dit soort bestand (" + type + ") kan hier niet."],
    [UPLOADER, "text", "Error:", "Fout:"],
    [UPLOADER, "aria-label", "file upload", "Bestand kiezen"],
    [UPLOADER, "aria-label", "Add files", "Ander bestand kiezen"],
    [UPLOADER, "aria-label", /^Remove ([^]+)$/, (_, file) => "Verwijder " + file],
    // select boxes and lists
    [PICKER, "placeholder", "Choose an option", "Kies…"],
    [PICKER, "placeholder", "Choose options", "Kies…"],
    [PICKER, "placeholder", "Select...", "Kies…"],
    [PICKER, "text", "Choose an option", "Kies…"],
    [PICKER, "text", "Choose options", "Kies…"],
    [PICKER, "aria-label", "Open", "Keuzes tonen"],
    [PICKER, "aria-label", "Selected values", "Gekozen"],
    ["[data-tag]", "aria-label", /^Remove ([^]+)$/, (_, option) => "Verwijder " + option],
    [PICKER, "aria-label", "Clear all", "Alles wissen"],
    [PICKER, "aria-label", "Clear value", "Wissen"],
    [LIST, "aria-label", "Multiselect options", "Keuzes"],
    [LIST, "aria-label", "Selectbox options", "Keuzes"],
    [LIST, "text", "No results", "Niets gevonden"],
    [LIST, "text", "No options", "Niets te kiezen"],
    [LIST, "text", "No options to select.", "Er is niets te kiezen."],
    [LIST, "text", /^You can only select up to (\d+) options?\. Remove an option first\.$/,
      (_, n) => "U kunt er hoogstens " + n + " kiezen. Haal er eerst een weg."],
    [LIST, "text", "Select all", "Alles kiezen"],
    [LIST, "aria-label", "Select all", "Alles kiezen"],
    [LIST, "text", /^Select (\d+) matches$/, (_, n) => "Kies alle " + n],
    ["[data-live-announcer]", "text", /^(\d+) options? available\.$/,
      (_, n) => n + (n === "1" ? " keuze." : " keuzes.")],
    // number fields
    ['[data-testid="stNumberInput"]', "aria-label", "Clear value", "Wissen"],
    ['[data-testid="stNumberInput"]', "aria-label", "Decrement", "Lager"],
    ['[data-testid="stNumberInput"]', "aria-label", "Increment", "Hoger"],
    // date fields and their calendar (the calendar's days and months follow the browser's language)
    [DATE, "aria-label", "Choose date", "Kies een datum"],
    [DATE, "aria-label", "Clear date", "Datum wissen"],
    [DATE, "aria-label", /^Choose date, ([^]*)$/, (_, shown) => "Kies een datum, " + shown],
    [DATE, "text", /^Choose date, ([^]*)$/, (_, shown) => "Kies een datum, " + shown],
    [DATE, "aria-label", "Next month", "Volgende maand"],
    [DATE, "aria-label", "Previous month", "Vorige maand"],
    [DATE, "text", "Use arrow keys to navigate dates. Enter to select. Escape to close.",
      "Kies een dag met de pijltjestoetsen. Enter kiest de dag, Escape sluit."],
    ['[role="spinbutton"][data-type="year"]', "text", "yyyy", "jjjj"],
    ['[role="spinbutton"]', "aria-label", /^(day|month|year), ([^]*)$/,
      (_, part, label) => ({ day: "dag", month: "maand", year: "jaar" })[part] + ", " + label],
    ['[role="spinbutton"]', "aria-valuetext", "Empty", "Leeg"],
    ['[role="spinbutton"]', "aria-valuetext", new RegExp("^(\\d+) – " + MONTH + "$"),
      (_, number, name) => number + " – " + month(name)],
    ['[id^="react-aria-description"]', "text", new RegExp("^Selected Date: " + MONTH + " (\\d+), (\\d+)$"),
      (_, name, day, year) => "Gekozen datum: " + Number(day) + " " + month(name) + " " + year],
    // what to press in a text field
    [INPUT, "text", "Press Enter to apply", "Druk op Enter om te bewaren"],
    [INPUT, "text", /^Press (Ctrl|⌘)\+Enter to apply$/, (_, key) => "Druk op " + key + "+Enter om te bewaren"],
    [INPUT, "text", "Press Enter to submit form", "Druk op Enter om te versturen"],
    [INPUT, "text", /^Press (Ctrl|⌘)\+Enter to submit form$/, (_, key) => "Druk op " + key + "+Enter om te versturen"],
    // tables: the toolbar, its tooltips, search and the column menu
    [TABLE, "aria-label", "Show/hide columns", "Kolommen tonen of verbergen"],
    [TABLE, "text", "Show/hide columns", "Kolommen tonen of verbergen"],
    [TABLE, "aria-label", "Download as CSV", "Downloaden als CSV"],
    [TABLE, "text", "Download as CSV", "Downloaden als CSV"],
    [TABLE, "aria-label", "Search", "Zoeken"],
    [TABLE, "text", "Search", "Zoeken"],
    [TABLE, "aria-label", "Fullscreen", "Volledig scherm"],
    [TABLE, "text", "Fullscreen", "Volledig scherm"],
    [TABLE, "aria-label", "Close fullscreen", "Volledig scherm sluiten"],
    [TABLE, "text", "Close fullscreen", "Volledig scherm sluiten"],
    [TABLE, "text", "Type to search", "Typ om te zoeken"],
    [TABLE, "placeholder", "Type to search", "Typ om te zoeken"],
    [TABLE, "aria-label", "Close Search", "Zoeken sluiten"],
    [TABLE, "aria-label", "Next Result", "Volgende"],
    [TABLE, "aria-label", "Previous Result", "Vorige"],
    [TABLE, "aria-label", "Dataframe column menu", "Kolommenu"],
    [TABLE, "text", "Sort ascending", "Oplopend sorteren"],
    [TABLE, "text", "Sort descending", "Aflopend sorteren"],
    [TABLE, "text", "Pin column", "Kolom vastzetten"],
    [TABLE, "text", "Unpin column", "Kolom losmaken"],
    [TABLE, "text", "Hide column", "Kolom verbergen"],
    [TABLE, "text", "Autosize", "Breedte passend maken"],
    [TABLE, "text", "Format", "Opmaak"],
    [TABLE, "text", "Copy column name", "Kolomnaam kopiëren"],
    [TABLE, "aria-label", "Copy column name", "Kolomnaam kopiëren"],
    [TABLE, "title", "Copy column name", "Kolomnaam kopiëren"],
    [TABLE, "text", "Statistics", "Statistiek"],
  ];
  const rules = new Map();
  for (const rule of RULES) rules.set(rule[1], [...(rules.get(rule[1]) || []), rule]);
  const ATTRIBUTES = [...rules.keys()].filter((where) => where !== "text");
  const WITH_ATTRIBUTE = ATTRIBUTES.map((name) => "[" + name + "]").join(", ");
  const SKIP = "svg, script, style, noscript, textarea, [contenteditable='true']:not([role='spinbutton'])";
  const dutch = (value, element, candidates) => {
    const english = value.trim();
    if (!english || english.length > 120) return value;
    for (const [inside, , from, to] of candidates) {
      const match = typeof from === "string" ? (english === from ? [english] : null) : english.match(from);
      if (match && element.closest(inside)) {
        const text = typeof to === "string" ? to : to(...match);
        return value.replace(english, () => text);
      }
    }
    return value;
  };
  const fixText = (node) => {
    const parent = node.parentElement;
    if (!parent) return;
    const changed = dutch(node.data, parent, rules.get("text"));
    if (changed !== node.data && !parent.closest(SKIP)) node.data = changed;
  };
  const fixAttributes = (element) => {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (!value) continue;
      const changed = dutch(value, element, rules.get(name));
      if (changed !== value) element.setAttribute(name, changed);
    }
  };
  const fix = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return fixText(node);
    if (node.nodeType !== Node.ELEMENT_NODE || node.closest("svg")) return;
    fixAttributes(node);
    node.querySelectorAll(WITH_ATTRIBUTE).forEach(fixAttributes);
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => n.nodeType === Node.TEXT_NODE ? NodeFilter.FILTER_ACCEPT
        : n.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP,
    });
    while (walker.nextNode()) fixText(walker.currentNode);
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") fixText(m.target);
      else if (m.type === "attributes") fixAttributes(m.target);
      else m.addedNodes.forEach(fix);
    }
  }).observe(document.body, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
  fix(document.body);
})();
</script>""",
    ),
    (
        "app_pages/gesprek.py",
        """<style>
    .stMainBlockContainer { padding-top: 3rem; }
    .st-key-dialogue_question h2 { font-size: 2.2rem; line-height: 1.3; font-weight: 600; }
    .st-key-dialogue_question p, .st-key-dialogue_question label p { font-size: 1.2rem; }
    .st-key-dialogue_question textarea { font-size: 1.2rem; line-height: 1.5; }
    </style>""",
    ),
    (
        "ui/presenting.py",
        """<style>
    .stMainBlockContainer { max-width: 100%; height: 100dvh; padding: 3.25rem 2.5rem 1rem; }
    .stMainBlockContainer > .stVerticalBlock { height: 100%; flex-wrap: nowrap; }
    div:has(> .st-key-dia_inhoud), div:has(> .st-key-dia_grafiek), div:has(> .st-key-dia_punten),
    div:has(> .st-key-dia_groot), div:has(> .st-key-dia_klein) {
      flex: 1 1 0 !important; height: auto !important; min-height: 0; }
    @media (max-height: 820px) { div:has(> .st-key-dia_groot) { display: none !important; } }
    @media (min-height: 821px) { div:has(> .st-key-dia_klein) { display: none !important; } }
    .st-key-dia_inhoud [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]) {
      flex: 1 1 0; min-height: 0; }
    .st-key-dia_inhoud [data-testid="stHorizontalBlock"], .st-key-dia_inhoud [data-testid="stColumn"] { height: 100%; }
    .st-key-dia_inhoud [data-testid="stColumn"] > .stVerticalBlock { height: 100%; }
    .st-key-dia_navigatie { overflow: visible; }
    .st-key-dia_pageup, .st-key-dia_pagedown { display: none; }
    .stMainBlockContainer h1 { font-size: clamp(1.75rem, min(4.6vh, 2.6vw), 3rem); line-height: 1.2; padding: 0; }
    .stMainBlockContainer h2 { font-size: clamp(1.35rem, min(3.4vh, 1.9vw), 2.25rem); }
    .stMainBlockContainer h3 { font-size: clamp(1.2rem, min(2.8vh, 1.6vw), 1.9rem); padding-top: 0; }
    .stMainBlockContainer p, .stMainBlockContainer li {
      font-size: clamp(1rem, min(2.4vh, 1.35vw), 1.6rem); line-height: 1.4; }
    .stMainBlockContainer td, .stMainBlockContainer th { font-size: clamp(0.9rem, min(2.1vh, 1.2vw), 1.4rem); }
    .st-key-dia_veel p, .st-key-dia_veel li {
      font-size: clamp(0.85rem, min(1.9vh, 1.07vw), 1.3rem); line-height: 1.35; }
    .st-key-dia_veel td, .st-key-dia_veel th {
      font-size: clamp(0.8rem, min(1.75vh, 0.98vw), 1.2rem); padding-top: 0.2rem; padding-bottom: 0.2rem; }
    .st-key-dia_navigatie p { font-size: clamp(0.85rem, min(1.9vh, 1.07vw), 1.2rem); }
    </style>""",
    ),
}
"""(file, exact content) of every HTML the pages write: constant CSS and two constant scripts."""

HTML_FUNCTIONS = {"html", "iframe", "declare_component"}
UNSAFE_CAPABLE = {
    name
    for name in dir(DeltaGenerator)
    if not name.startswith("_")
    and callable(function := getattr(DeltaGenerator, name))
    and any(p.startswith("unsafe_") for p in inspect.signature(function).parameters)
}
"""Streamlit's elements with an `unsafe_...` parameter (markdown, write, caption, html): a `**kwargs`
in a call of one of them could hide it; in a call of anything else (the app's own functions) not."""


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def html_calls(source: str) -> list[tuple[int, str, str | None]]:
    """(line, call, constant content or None) of every call that may put raw HTML on the page."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        unsafe = [k for k in node.keywords if k.arg and k.arg.startswith("unsafe_") and not _is_false(k.value)]
        unpacked = name in UNSAFE_CAPABLE and any(k.arg is None for k in node.keywords)
        if name not in HTML_FUNCTIONS and not unsafe and not unpacked:
            continue
        body = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "body"), None)
        content = body.value if isinstance(body, ast.Constant) and isinstance(body.value, str) else None
        found.append((node.lineno, ast.unparse(func), content))
    return found


def test_the_scan_finds_html_made_from_variables() -> None:
    source = """
import streamlit as st
import streamlit.components.v1 as components
st.markdown(f"<b>{name}</b>", unsafe_allow_html=True)
st.markdown("<b>" + name + "</b>", unsafe_allow_html=True)
st.write("<b>{}</b>".format(name), unsafe_allow_html=True)
st.html(text)
components.html(page)
st.markdown(text, **options)
st.markdown("**vet**")
save_answer(session=s, **fields)
st.markdown(text, unsafe_allow_html=False)
"""
    found = html_calls(source)
    assert [(line, content) for line, _, content in found] == [
        (4, None),
        (5, None),
        (6, None),
        (7, None),
        (8, None),
        (9, None),
    ]


def test_no_page_renders_html_it_did_not_write_itself() -> None:
    seen = set()
    for path in SOURCES:
        relative = path.relative_to(ROOT).as_posix()
        for line, call, content in html_calls(path.read_text(encoding="utf-8")):
            where = f"{relative}:{line} {call}(...)"
            assert content is not None, f"{where}: HTML uit een variabele of f-string (alleen vaste tekst mag)"
            assert (relative, content) in ALLOWED_HTML, f"{where}: HTML die niet in ALLOWED_HTML staat: {content!r}"
            seen.add((relative, content))
    assert seen == ALLOWED_HTML  # no stale entries: the list says exactly what the pages write


# --- hostile data ----------------------------------------------------------------------------------

HTML_TEXT = "<img src=x onerror=alert(1)>"
LINK_TEXT = "https://evil.example/x www.evil.nl post@evil.nl"
"""A URL, a www. address and an e-mail address: GFM would make each a link, escaped or not."""
MARKDOWN_TEXT = (
    f"**vet** [link](javascript:alert(1)) [web](https://example.org) ![pix](https://example.org/p.png) {LINK_TEXT}"
)
HOSTILE_WIJK = f"{HTML_TEXT} {MARKDOWN_TEXT}"
HOSTILE_NOTE = f"<script>alert(2)</script> {MARKDOWN_TEXT}"
HOSTILE_ACTION = f"<b>actie</b> {MARKDOWN_TEXT}"
FORMULA_WIJK = '=HYPERLINK("https://example.org","klik")'
FORMULAS = ["=1+1", "+31 6 12345678", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"]
"""Text a spreadsheet would run; tab and CR in front are stripped by the input checks (see below)."""

HOSTILE_MUNICIPALITY = "**Stad** [gemeente](https://example.org) ![g](https://example.org/g.png) https://evil.example/g"
HOSTILE_ROUND = "**Ronde** [r](https://example.org) www.evil.nl"
HOSTILE_INDICATOR = "**Nood** ![p](https://example.org/p.png)"
"""A column of the municipality's own file (an imported indicator name)."""
HOSTILE_SOURCE = "[bron](https://example.org)"
HOSTILE_OWNER = "**Eigenaar** [team](https://example.org)"

RAW_MARKDOWN = [
    "**vet**",
    "[link](",
    "[web](",
    "![pix](",
    "**Stad**",
    "[gemeente](",
    "**Ronde**",
    "[r](",
    "**Nood**",
    "![p](",
    "[bron](",
    "**Eigenaar**",
    "[team](",
]
"""Fragments of the hostile text that show it was rendered as markdown (escaped text has a backslash)."""
HOSTILE_FRAGMENTS = [HTML_TEXT, "<script>alert(2)</script>", "<b>actie</b>", *RAW_MARKDOWN]
HOSTILE_HOSTS = ("evil.example", "evil.nl", "example.org")
"""Every host in the hostile text: a link or e-mail address to one of them came from user text."""


@pytest.fixture
def hostile_factory(demo_factory: Sessions, model: MaturityModel) -> Sessions:
    """The demo plus wijken, notes, a choice, actions, an owner, a respondent label, the municipality's
    name, the latest round's label and an imported indicator (name and source) that are HTML,
    markdown or formulas; each passes the input checks."""
    with demo_factory.begin() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        m.name = validate(MunicipalityIn, "Gemeente", name=HOSTILE_MUNICIPALITY).name
        latest = rounds(session=s, municipality_id=m.id)[-1]
        latest.label = validate(RoundIn, "Ronde", label=HOSTILE_ROUND, date=latest.date).label
        for name, notes in [(HOSTILE_WIJK, [HOSTILE_NOTE, HTML_TEXT]), (FORMULA_WIJK, FORMULAS)]:
            wijk = add_wijk(session=s, municipality_id=m.id, name=name, population=1000)
            respondent = get_or_create_respondent(
                session=s, round_id=latest.id, unit_id=wijk.id, role="gemeente", label=notes[-1]
            )
            for theme, note in zip(("visie_inspiratie", "lokale_teams"), notes, strict=False):
                save_position(
                    session=s, respondent_id=respondent.id, theme_id=theme, position=40, note=note, model=model
                )
            save_answer(
                session=s, respondent_id=respondent.id, question_id="BF1-Q1", option_id="ja", note=notes[0], model=model
            )
            hostile_actions = [(HOSTILE_ACTION, HOSTILE_NOTE), (f"{HOSTILE_ACTION} (2)", HOSTILE_OWNER)]
            for description, owner in [*hostile_actions, *zip(FORMULAS, reversed(FORMULAS), strict=True)]:
                if name == FORMULA_WIJK or description.startswith(HOSTILE_ACTION):
                    save_action(
                        session=s,
                        unit_id=wijk.id,
                        theme_id="lokale_teams",
                        description=description,
                        owner=owner,
                        start_date=dt.date(2026, 3, 1),
                        model=model,
                    )
        save_core_choice(
            session=s,
            round_id=latest.id,
            choice_id="veranderaanpak",
            option_id=None,
            rationale=FORMULAS[0],
            model=model,
        )
        # the notes of issue 15's parts: a ZET outcome, a Randvoorwaarden answer and the step-1 mark
        whole = next(u for u in units(session=s, municipality_id=m.id) if u.kind == "gemeente")
        save_zet(
            session=s, round_id=latest.id, unit_id=whole.id, basic_function="BF1", model=model, value=40.0,
            note=HOSTILE_NOTE,
        )  # fmt: skip
        save_zet(
            session=s, round_id=latest.id, unit_id=whole.id, basic_function="BF2", model=model, value=90.0,
            note=FORMULAS[1],
        )  # fmt: skip
        whole_respondent = get_or_create_respondent(session=s, round_id=latest.id, unit_id=whole.id, role="gemeente")
        save_answer(
            session=s, respondent_id=whole_respondent.id, question_id="RV1-Q1", option_id="ja", note=HOSTILE_NOTE,
            model=model,
        )  # fmt: skip
        save_analysis_mark(session=s, round_id=latest.id, done=True, note=HOSTILE_NOTE)
        # an own-template file whose column name and source are markdown, through the real import
        lines = io.StringIO()
        writer = csv.writer(lines, delimiter=";")
        writer.writerow(["wijk", HOSTILE_INDICATOR])
        for number, unit in enumerate(units(session=s, municipality_id=m.id)):
            if unit.kind == "wijk":
                writer.writerow([unit.name, 10 + number])
        raw = read_table(lines.getvalue().encode("utf-8"), filename="eigen.csv")
        mapping = guess_mapping(raw)
        assert list(mapping.indicators) == [HOSTILE_INDICATOR]
        import_wijken(session=s, municipality_id=m.id, raw=raw, mapping=mapping, year=2025, source=HOSTILE_SOURCE)
    with demo_factory() as s:
        imported = s.scalars(select(IndicatorValue).where(IndicatorValue.source == HOSTILE_SOURCE)).all()
        assert {v.indicator for v in imported} == {HOSTILE_INDICATOR} and len(imported) > len(DEMO_WIJKEN)
    return demo_factory


# --- (b) the pages show hostile text as text ---------------------------------------------------------

MARKDOWN_FIELDS = {"body", "label", "help", "options"}
"""Fields Streamlit renders as markdown (HTML escaped, markdown rendered); `text` and `code` are plain."""
PLAIN_ELEMENTS = {"text", "code", "json", "exception", "selectbox", "multiselect", "dataframe"}

MARKDOWN_ELEMENTS = {"table"}
"""Elements rendered as markdown as a whole: st.table renders every cell, column name and index
value as markdown. Its cells sit in Arrow bytes, so `rendered` decodes the table (`Table.value`)."""

KNOWN_MARKDOWN: set[str] = set()
"""Pages that still show user text as markdown (none: pages pass user text through markdown_text.literal)."""


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _nodes(child)


def _texts(proto: Any) -> Iterator[tuple[str, str]]:
    """(field, text) of every string in a proto message, nested messages and lists included."""
    for field, value in proto.ListFields():
        if isinstance(value, str):
            yield field.name, value
        elif isinstance(value, bytes):
            yield field.name, value.decode("utf-8", errors="replace")
        elif hasattr(value, "ListFields"):
            for name, text in _texts(value):
                yield f"{field.name}.{name}", text
        elif not isinstance(value, int | float | bool):
            for item in value:
                if isinstance(item, str):
                    yield field.name, item
                elif hasattr(item, "ListFields"):
                    for name, text in _texts(item):
                        yield f"{field.name}.{name}", text


def _cells(frame: pd.DataFrame) -> Iterator[tuple[str, str]]:
    """(where, text) of every column name, index value and cell of a table, as shown."""
    for name in [*frame.columns, *frame.index.names]:
        if name is not None:
            yield "columns", str(name)
    for value in frame.index:
        yield "index", str(value)
    for number, column in enumerate(frame.columns):
        for value in frame.iloc[:, number]:
            yield f"cells[{column!s:.40}]", str(value)


def _element_texts(node: Any) -> Iterator[tuple[str, str]]:
    """(field, text) of an element; for a table its names and cells, decoded from the Arrow bytes."""
    table = getattr(node, "type", None) in MARKDOWN_ELEMENTS
    for field, text in _texts(node.proto):
        if not (table and field == "arrow_data.data"):
            yield field, text
    if table:
        yield from _cells(node.value)


def autolinks(markdown: str) -> list[str]:
    """The links GFM would make of a hostile URL or e-mail address in `markdown` (escaped or not)."""
    return [
        f"{kind}: {match.group(0)!r}"
        for node in text_nodes(markdown)
        for kind in ("link", "e-mail")
        for match in REWRITES[kind].finditer(node)
        if any(host in match.group(0) for host in HOSTILE_HOSTS)
    ]


def rendered(at: AppTest) -> tuple[list[str], list[str]]:
    """(problems, markdown): user HTML in an HTML element, and user text rendered as markdown
    (formatting, or a link GFM makes of a URL or e-mail address)."""
    problems, markdown = [], []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", type(node).__name__)
        html_allowed = (
            kind == "html" or getattr(proto, "allow_html", False) or getattr(proto, "unsafe_allow_html", False)
        )
        for field, text in _element_texts(node):
            as_markdown = kind in MARKDOWN_ELEMENTS or field.split(".")[-1] in MARKDOWN_FIELDS
            if kind not in PLAIN_ELEMENTS and as_markdown and (links := autolinks(text)):
                markdown.append(f"{kind}.{field}: {links[:3]} in {text[:120]!r}")
            hits = [f for f in HOSTILE_FRAGMENTS if f in text]
            if not hits:
                continue
            if html_allowed:
                problems.append(f"{kind}.{field}: {text[:120]!r}")
            elif kind not in PLAIN_ELEMENTS and as_markdown and any(f in text for f in RAW_MARKDOWN):
                markdown.append(f"{kind}.{field}: {text[:120]!r}")
    return problems, markdown


def test_the_scan_finds_markdown_in_table_cells() -> None:
    """st.table keeps its cells in Arrow bytes: the scan decodes them (and literal_table passes)."""

    def show(frame: object) -> None:  # runs as a script: no names from this module
        import streamlit as st

        st.table(frame)

    def scan(frame: pd.DataFrame) -> list[str]:
        at = AppTest.from_function(show, args=(frame,))
        at.run()
        assert not at.exception, at.exception
        problems, markdown = rendered(at)
        assert not problems
        return markdown

    raw = pd.DataFrame({"Wijk": [HOSTILE_WIJK], HOSTILE_INDICATOR: [1.0]})
    found = scan(raw)
    assert any("cells" in f for f in found) and any("columns" in f for f in found), found
    assert scan(literal_table(raw)) == []
    assert scan(literal_table(raw).set_index(literal("Wijk"))) == []
    assert scan(raw.set_index("Wijk")), "markdown in the index is found too"
    links = pd.DataFrame({"Wijk": [LINK_TEXT]})
    assert scan(links), "a bare URL in a cell is found (it needs no markdown character to become a link)"
    assert scan(literal_table(links)) == []


@pytest.mark.parametrize("text", LINK_TEXT.split())
def test_the_scan_finds_a_url_or_e_mail_address_that_becomes_a_link(text: str) -> None:
    """Escaping the markdown characters alone leaves a URL, www. address or e-mail address a link."""

    def show(shown: str) -> None:  # runs as a script: no names from this module
        import streamlit as st

        st.caption(f"Wijk {shown}")
        st.radio("Kies", [shown])

    def scan(shown: str) -> list[str]:
        at = AppTest.from_function(show, args=(shown,))
        at.run()
        assert not at.exception, at.exception
        return rendered(at)[1]

    escaped_only = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:^])", r"\\\1", text)
    assert len(scan(text)) == 2 and len(scan(escaped_only)) == 2
    assert scan(literal(text)) == []


@pytest.fixture
def hostile_app(hostile_factory: Sessions, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    st.cache_resource.clear()
    yield db_url
    st.cache_resource.clear()


HOSTILE_CHOICES = [HOSTILE_WIJK, HOSTILE_INDICATOR]
"""Picked in every selectbox that offers them: pages show more of a chosen wijk or indicator."""


def _pick_hostile(at: AppTest) -> None:
    """Set every selectbox that offers a hostile choice to it (a choice can bring new boxes)."""
    for _ in range(5):
        picks = [
            (box, choice)
            for box in at.selectbox
            for choice in HOSTILE_CHOICES
            if choice in box.options and box.options[box.index or 0] != choice
        ]
        if not picks:
            return
        for box, choice in picks:
            box.set_value(choice)  # the label as shown: AppTest maps it back to the option
        at.run()
        assert not at.exception, at.exception
    pytest.fail("de keuze van een vijandige wijk of kerncijfer blijft niet staan")


def _views(path: str) -> Iterator[tuple[str, AppTest]]:
    """(what, app) for each state of the page to check: the hostile wijk and indicator picked
    wherever the page offers them; on Presenteren every slide, one click on 'Volgende' at a time."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    _pick_hostile(at)
    yield path, at
    if path != "app_pages/presenteren.py":
        return
    at.multiselect(key="presentation_parts").set_value(list(PARTS)).run()  # every part: profiles too
    assert not at.exception, at.exception
    slide = 1
    while not (button := next(b for b in at.button if b.label == "Volgende")).proto.disabled:
        button.click().run()
        assert not at.exception, at.exception
        slide += 1
        yield f"{path} dia {slide}", at
    assert slide > 20, f"maar {slide} dia's"


@pytest.mark.parametrize("path", PAGE_FILES)
def test_every_page_shows_hostile_text_as_text(hostile_app: str, path: str) -> None:
    problems, markdown = [], []
    for where, at in _views(path):
        found, shown = rendered(at)
        problems += [f"{where}: {p}" for p in found]
        markdown += [f"{where}: {m}" for m in shown]
    assert not problems, f"gebruikerstekst in HTML op {path}: {problems}"
    if path in KNOWN_MARKDOWN:
        assert markdown, f"{path} toont gebruikerstekst niet meer als markdown: haal de pagina uit KNOWN_MARKDOWN"
        pytest.xfail(f"gebruikerstekst als markdown op {path}: {markdown[:3]}")
    assert not markdown, f"gebruikerstekst als markdown op {path} (niet ge-escaped): {markdown}"


# --- (c) exports never hand a spreadsheet a formula -------------------------------------------------------

EVERY_START = [f"{start}1+1" for start in FORMULA_START if start != "\r"]
"""Text starting with each formula character (CR in front: see the line-break test below)."""


def _number(text: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d{3})*(,\d+)?|-?\d+(,\d+)?", text) is not None


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_csv_is_formula_safe(data: bytes) -> list[str]:
    cells = [cell for row in csv_cells(data) for cell in row]
    dangerous = [c for c in cells if c.startswith(FORMULA_START) and not _number(c)]
    assert not dangerous, f"CSV-cellen die een formule worden: {dangerous}"
    return cells


def assert_xlsx_is_formula_safe(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells
    formulas = [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"]
    assert not formulas, f"formules in het werkboek: {formulas}"
    unprotected = [
        f"{c.parent.title}!{c.coordinate}={c.value!r}"
        for c in cells
        if isinstance(c.value, str) and c.value.startswith(FORMULA_START) and not c.quotePrefix
    ]
    assert not unprotected, f"tekst die als formule kan worden gelezen zonder '-voorvoegsel: {unprotected}"
    return [c.value for c in cells if isinstance(c.value, str)]


def test_csv_neutralises_every_formula_start_in_index_columns_and_values() -> None:
    table = pd.DataFrame(
        {EVERY_START[0]: EVERY_START, "getal": [-1.5, 2.0, -3.0, 4.0, -6.25]},
        index=pd.Index(EVERY_START, name=EVERY_START[1]),
    )
    cells = assert_csv_is_formula_safe(to_csv_bytes(table))
    for text in EVERY_START:
        assert "'" + text in cells  # kept, behind the apostrophe
    assert "-1,5" in cells and "-6,25" in cells  # numbers stay numbers


def test_xlsx_download_neutralises_every_formula_start() -> None:
    table = pd.DataFrame({"tekst": EVERY_START, "getal": range(len(EVERY_START))}, index=EVERY_START)
    texts = assert_xlsx_is_formula_safe(to_xlsx_bytes(table, sheet="Tabel"))
    assert set(EVERY_START) <= set(texts)  # kept exactly, as text


@pytest.mark.parametrize(
    "text",
    [
        "\r=1+1",
        "Noord\r=1+1",
        'Noord\r=HYPERLINK("https://example.org")',  # quoted anyway, for its quotes
        "Noord\n=1+1",
        "Noord\r\n=1+1",
    ],
)
def test_a_line_break_in_a_csv_cell_never_starts_a_new_row(text: str) -> None:
    data = to_csv_bytes(pd.DataFrame({"tekst": [text, "Zuid"]}))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";", strict=True))
    assert len(rows) == 3 and rows[1][1].lstrip("'") == text
    assert_csv_is_formula_safe(data)
    # Excel also ends a row at a bare CR outside quotes: every CR must sit inside a quoted field
    unquoted = re.sub(r'"(?:[^"]|"")*"', "", data.decode("utf-8-sig"))
    assert "\r" not in unquoted.replace("\r\n", "")


def test_the_input_checks_strip_tab_and_cr_in_front_of_a_name(hostile_factory: Sessions) -> None:
    with hostile_factory.begin() as s:
        tab = add_wijk(session=s, municipality_id=1, name="\t=1+1")
        cr = add_wijk(session=s, municipality_id=1, name="\r@2")
        assert (tab.name, cr.name) == ("=1+1", "@2")  # what is left is neutralised like the rest


@pytest.fixture
def hostile_profile(hostile_factory: Sessions, model: MaturityModel) -> MunicipalityProfile:
    with hostile_factory() as s:
        m = find_municipality(session=s, name=HOSTILE_MUNICIPALITY)
        assert m is not None
        from wijkmodel.storage.municipalities import settings_of

        mp = municipality_profile(session=s, municipality_id=m.id, name=m.name, model=model, settings=settings_of(m))
    return mp


def test_the_workbook_neutralises_every_user_text(
    hostile_factory: Sessions, hostile_profile: MunicipalityProfile, model: MaturityModel
) -> None:
    with hostile_factory() as s:
        data = build_workbook(session=s, mp=hostile_profile, model=model, today=dt.date(2026, 11, 23))
    texts = assert_xlsx_is_formula_safe(data)
    for text in [FORMULA_WIJK, *FORMULAS, HOSTILE_WIJK, HOSTILE_NOTE, HOSTILE_ACTION]:
        assert text in texts, f"{text!r} staat niet (letterlijk) in het werkboek"


def test_the_history_download_neutralises_every_user_text(hostile_factory: Sessions) -> None:
    with hostile_factory() as s:
        changes = history(session=s, municipality_id=1)
    table = history_table(changes).set_index("Wanneer (Nederlandse tijd)")
    cells = assert_csv_is_formula_safe(to_csv_bytes(table))
    assert "'" + FORMULA_WIJK in cells and "'" + FORMULAS[0] in cells
    texts = assert_xlsx_is_formula_safe(to_xlsx_bytes(table, sheet="Geschiedenis"))
    assert FORMULA_WIJK in texts


def test_the_action_plan_download_neutralises_every_user_text(
    hostile_factory: Sessions, hostile_profile: MunicipalityProfile, model: MaturityModel
) -> None:
    with hostile_factory() as s:
        names = {u.id: u.name for u in units(session=s, municipality_id=1)}
    plan = plan_table(hostile_profile.frames.actions, names, model)
    cells = assert_csv_is_formula_safe(to_csv_bytes(plan.drop(columns="action").set_index("Thema")))
    for text in [FORMULA_WIJK, *FORMULAS]:
        assert "'" + text in cells


def test_the_conversation_notes_workbook_neutralises_every_note(model: MaturityModel) -> None:
    questions = [q.id for q in model.in_depth.questions][: len(FORMULAS)]
    answers = {qid: SimpleNamespace(option_id=None, note=note) for qid, note in zip(questions, FORMULAS, strict=True)}
    texts = assert_xlsx_is_formula_safe(summary_xlsx(answers, model))
    assert set(FORMULAS) <= set(texts)


def test_the_wijkdata_template_neutralises_wijk_names() -> None:
    table = pd.DataFrame(
        {
            "name": [FORMULA_WIJK, *FORMULAS, "Noord"],
            "kind": ["wijk"] * (len(FORMULAS) + 2),
            "cbs_code": [None] * (len(FORMULAS) + 2),
            "population": [None] * (len(FORMULAS) + 2),
        }
    )
    texts = assert_xlsx_is_formula_safe(template_xlsx(table))
    assert {FORMULA_WIJK, *FORMULAS} <= set(texts)


SAFE_BUILDERS = {
    "to_csv_bytes": "CSV, formula-safe (tested above)",
    "to_xlsx_bytes": "Excel, formula-safe (tested above)",
    "summary_xlsx": "Excel of the conversation notes (tested above)",
    "template_xlsx": "the Wijkdata template (tested above)",
    "build": "Stukken: the workbook (tested above), the deck and the report (no spreadsheet)",
    "summary_text": "conversation notes as plain text (no spreadsheet)",
    "to_png": "chart image",
    "to_svg": "chart image (plotly escapes its text)",
    "demo_csv": "the demo's figures, no user text",
    "read_bytes": "a fixed file of the app (demo boundaries)",
    "qr_png": "the QR code of an invitation link (an image; the link holds no user text)",
    "region_workbook": "the region's workbook, formula-safe (tests/test_regions.py)",
    "region_deck": "the region's deck (no spreadsheet)",
}


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            names.add(func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "")
    return names


def test_every_download_goes_through_a_known_builder() -> None:
    seen = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "download_button":
                continue
            data = node.args[1] if len(node.args) > 1 else next(k.value for k in node.keywords if k.arg == "data")
            builders = _called_names(data) & set(SAFE_BUILDERS)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            assert builders, f"{where}: download zonder bekende, geteste bouwer ({ast.unparse(data)[:80]})"
            seen |= builders
    assert seen == set(SAFE_BUILDERS)  # every builder listed is still in use


def test_backup_and_notes_text_keep_user_text_exactly(hostile_factory: Sessions, model: MaturityModel) -> None:
    """The non-spreadsheet exports hold the text exactly as typed (no apostrophe added)."""
    from wijkmodel.backup.export import export_municipality

    with hostile_factory() as s:
        text = export_municipality(session=s, municipality_id=1, model=model)
    for value in [FORMULA_WIJK, HOSTILE_WIJK]:
        assert f'"{value}"' in text.replace('\\"', '"') or value.replace('"', '\\"') in text
