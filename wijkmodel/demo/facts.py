"""What the demo municipality is: its made-up name, CBS code and wijken. Light (no libraries), so
the CLI's help can name it."""

from __future__ import annotations

DEMO_NAME = "Voorbeeldstad"
DEMO_CBS_CODE = "GM9999"
"""A made-up CBS code (real municipality codes stay far below 9999); wijken are WK999901, WK999902, ..."""


# name, population, base maturity, theme offsets, basic-function offsets (all made up)
WIJKEN: list[tuple[str, int, float, dict[str, float], dict[str, float]]] = [
    ("De Hoven", 8400, 58, {"lokale_teams": 22}, {"BF2": -35}),
    ("Oude Haven", 5200, 30, {"opdrachtgeverschap": -12}, {"BF1": 10}),
    ("Kerkebuurt", 3100, 45, {}, {}),
    ("Molenwijk", 11800, 70, {"taal_gedrag": 12}, {"BF5": -30}),
    ("Noorderpark", 6900, 20, {"visie_inspiratie": 10}, {"BF3": 15}),
    ("Het Ven", 2700, 52, {"samenwerking_wijk": -30}, {"BF1": 20}),
    ("Stationskwartier", 9600, 38, {}, {"BF4": -15}),
    ("Zonnehoek", 4300, 64, {"gemeentelijke_organisatie": -20}, {}),
]
