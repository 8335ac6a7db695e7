"""Indicators (kerncijfers) of the wijk-analyse: figures per unit and year, and which year a round uses.

A round uses, per unit and indicator, the latest year that is not after the round's year: CBS
publishes its Kerncijfers wijken en buurten a year or two behind, so a 2026 round shows 2024
figures, with the year named wherever the value appears.
"""

from __future__ import annotations

import re

import pandas as pd

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z])(?=[0-9])")
_CBS_SUFFIX = re.compile(r"_\d+$")

COLUMNS = ["unit", "indicator", "year", "value", "source"]
"""Columns of an indicator frame (see `frames.Frames.indicators`)."""


def base_name(column: str) -> str:
    """A CBS column name without its yearly numeric suffix: 'AantalInwoners_5' -> 'AantalInwoners'."""
    return _CBS_SUFFIX.sub("", column.strip())


def indicator_label(indicator: str) -> str:
    """A readable Dutch label: CBS's CamelCase split into words ('AantalInwoners' -> 'Aantal inwoners');
    names that already hold a space (own files) stay as they are."""
    if " " in indicator:
        return indicator
    # CBS prefixes names that start with a digit with 'k_' (k_65JaarOfOuder).
    words = [w for part in re.sub(r"^k_", "", indicator).split("_") for w in _CAMEL.split(part) if w]
    if len(words) <= 1:
        return indicator
    return " ".join([words[0]] + [w if w.isupper() else w.lower() for w in words[1:]])


def indicator_names(indicators: pd.DataFrame) -> list[str]:
    """The indicators present, in a stable order (as first imported, then by name)."""
    return sorted(indicators["indicator"].unique().tolist(), key=str.casefold) if len(indicators) else []


def values_for_year(indicators: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per unit and indicator the value of the latest year not after `year` (columns as COLUMNS)."""
    usable = indicators[indicators["year"] <= year]
    if usable.empty:
        return pd.DataFrame(columns=COLUMNS)
    latest = usable.sort_values("year").groupby(["unit", "indicator"], sort=False).tail(1)
    return latest[COLUMNS].reset_index(drop=True)


def format_number(value: float | None, decimals: int | None = None) -> str:
    """A number the Dutch way: thousands with a dot, decimals with a comma ('12.345,6'); '–' if missing."""
    if value is None or pd.isna(value):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def shared_decimals(values: pd.Series) -> int:
    """Decimals that show every value of one indicator as stored, the same for all (0, 1 or 2)."""
    finite = values.dropna().astype(float)
    for decimals in (0, 1):
        if ((finite * 10**decimals).round(6) % 1 == 0).all():
            return decimals
    return 2
