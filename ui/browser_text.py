"""Dutch for the fixed English texts of Streamlit's own front end.

Streamlit 1.67 writes some of its own texts in English, with no option to change them (streamlit issue
1353; the file uploader: 13500; the date field and its calendar: 12699 and 7865): the skip link, the
uploader's button and size line, its refusal of a file over `server.maxUploadSize` ("File must be
20.0MB or smaller.", before any Python runs), the labels screen readers read ("Help for …", "Remove …",
"Collapse sidebar"), the toolbars of tables, the date field's "yyyy", the status "Running...". The
README lists them. A constant script of our own rewrites them in place, wherever and whenever they
appear: in text, and in the attributes aria-label, title, placeholder and aria-valuetext.

Only Streamlit's own fixed strings, never user content: every rule names the element it applies
inside (by Streamlit's `data-testid` or the element's role) and the whole text it replaces; a rule
with a prefix ("Help for …", "Remove …") keeps the rest as it was. Where Streamlit has a parameter the
pages use it instead (`placeholder=` of a select box); the rules for those are a safety net.
"""

from __future__ import annotations

import streamlit as st

DATE_HELP = "Dag, maand en jaar (dd-mm-jjjj), bijvoorbeeld 20-02-2026. Typ de datum of kies hem in de kalender."
"""The help of every date field: Streamlit shows the date as `format="DD-MM-YYYY"` asks, and its empty
field as "dd-mm-yyyy" (rewritten to "dd-mm-jjjj" below)."""


def use_dutch_browser_texts() -> None:
    """Register the rewrite once per browser tab (it guards itself; calling it on every run is fine)."""
    # A constant script of our own, never user content (tests/test_safe_output.py ALLOWED_HTML).
    st.html(
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
        unsafe_allow_javascript=True,
    )


"""The old name, which app.py still calls (until it calls `use_dutch_browser_texts`)."""
