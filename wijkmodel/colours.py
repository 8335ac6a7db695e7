"""The accent colour of wijkmodel: the app's theme (sliders, primary buttons, links), the header rows of
the deck, the PDF and the workbook. One home, so all four look alike.

Dark teal green: no colour of the phase palette (`wijkmodel.charts.base.PHASE_COLOURS`), so a slider or a
table header never reads as a phase; red in particular reads as "bad" (phase 1). White text on it has
a contrast of 6.6:1 (≥ 4.5:1, WCAG AA). `.streamlit/config.toml` repeats it as `primaryColor` (a
TOML file cannot import it); `tests/test_charts.py` checks that the two agree.
"""

ACCENT = "#00695C"
"""The accent colour (hex)."""


def rgb(colour: str) -> tuple[int, int, int]:
    """A hex colour as (red, green, blue), 0-255."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
