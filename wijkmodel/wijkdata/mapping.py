"""Which column of an imported table means what: code, name, municipality, kind of region, indicators.

Two layouts are recognised. CBS "Kerncijfers wijken en buurten": region codes in
`WijkenEnBuurten` (GM + 4, WK + 6, BU + 8 digits, often with trailing spaces), `Gemeentenaam_1`,
`SoortRegio_2`, and indicator columns whose numeric suffix changes every year
(`AantalInwoners_5` one year, `AantalInwoners_6` the next): they are matched by their name
without the suffix. The own template: `code`, `naam` and any indicator columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from wijkmodel.model.indicators import base_name
from wijkmodel.storage.inputs import has_control
from wijkmodel.wijkdata.table_files import MISSING_MARKS, RawTable, parse_number

MAX_INDICATOR = 100
"""Longest indicator name the database (and the backup) holds."""

CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8}|NL\d{2})$")
"""A CBS region code (NL01 is the row of the whole country)."""

CODE_COLUMNS = (
    "wijkenenbuurten",
    "codering",
    "gwb_code",
    "code",
    "wijkcode",
    "statcode",
    "cbs-code",
    "cbs_code",
    "cbscode",
)
NAME_COLUMNS = ("naam", "wijknaam", "wijk", "name", "statnaam", "regionaam", "regio", "wijk naam", "wijkenenbuurten")
POPULATION_COLUMNS = ("aantalinwoners", "inwoners", "aantal inwoners", "inwonertal", "a_inw")
NOT_INDICATORS = frozenset(
    {
        "id",
        "codering",
        "indelingswijzigingwijkenenbuurten",
        "meestvoorkomendepostcode",
        "dekkingspercentage",
        "gwb_code",
        "ind_wbi",
        "gm_code",
    }
)
"""CBS columns that describe the region rather than measure it."""

Layout = Literal["cbs", "eigen"]


@dataclass(frozen=True)
class ColumnMapping:
    """What each column means. Indicator keys are CBS names without suffix, or the own column name."""

    code: str | None = None
    name: str | None = None
    municipality: str | None = None
    region_kind: str | None = None
    indicators: dict[str, str] = field(default_factory=dict)
    """Column -> indicator key."""
    population: str | None = None
    """The indicator column that also sets the wijk's number of inhabitants."""
    layout: Layout = "eigen"


def _key(column: str) -> str:
    return base_name(column).casefold()


def _filled(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip()
    return text[~text.str.casefold().isin(MISSING_MARKS)]


def _share_codes(values: pd.Series) -> float:
    filled = _filled(values)
    return float(filled.str.match(CODE.pattern).mean()) if len(filled) else 0.0


def numeric_share(values: pd.Series, raw: RawTable) -> float:
    """Share of the filled cells of a column that read as numbers (1.0 for a column of numbers)."""
    filled = values[[not _is_missing(v) for v in values]]
    if filled.empty:
        return 0.0
    good = 0
    for value in filled.head(500):
        try:
            parse_number(value, raw.number_style)
            good += 1
        except ValueError:
            pass
    return good / min(len(filled), 500)


def _is_missing(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return bool(pd.isna(value))
    return str(value).strip().casefold() in MISSING_MARKS


def indicator_key(column: str, layout: Layout) -> str:
    """The key an indicator column is stored under."""
    return base_name(column) if layout == "cbs" else " ".join(column.split())


def guess_mapping(raw: RawTable) -> ColumnMapping:
    """A first mapping for the user to check: the code column, the name column, the indicators."""
    columns = list(raw.cells.columns)
    cells = raw.cells.head(2000)
    by_key = {_key(c): c for c in reversed(columns)}
    code = next(
        (by_key[k] for k in CODE_COLUMNS if k in by_key and _share_codes(cells[by_key[k]]) >= 0.5),
        None,
    ) or next((c for c in columns if _share_codes(cells[c]) >= 0.8), None)
    # CBS open data names them Gemeentenaam_1 and SoortRegio_2; the kwb-YYYY.xlsx download gm_naam and recs
    municipality = by_key.get("gemeentenaam") or by_key.get("gm_naam")
    region_kind = by_key.get("soortregio") or by_key.get("recs")
    layout: Layout = "cbs" if (municipality or region_kind or (code and _key(code) == "wijkenenbuurten")) else "eigen"
    name = next(
        (by_key[k] for k in NAME_COLUMNS if k in by_key and by_key[k] != code and _share_codes(cells[by_key[k]]) < 0.5),
        None,
    )
    taken = {code, name, municipality, region_kind}
    indicators = {
        c: indicator_key(c, layout)
        for c in columns
        if c not in taken and _key(c) not in NOT_INDICATORS and numeric_share(cells[c], raw) >= 0.5
    }
    population = next((c for c in indicators if _key(c) in POPULATION_COLUMNS), None)
    return ColumnMapping(
        code=code,
        name=name,
        municipality=municipality,
        region_kind=region_kind,
        indicators=indicators,
        population=population,
        layout=layout,
    )


def mapping_problems(mapping: ColumnMapping, raw: RawTable) -> list[str]:
    """What is wrong with a mapping before any row is read (Dutch, naming the column)."""
    problems = []
    columns = set(raw.cells.columns)
    named = [mapping.code, mapping.name, mapping.municipality, mapping.region_kind, *mapping.indicators]
    for column in named:
        if column is not None and column not in columns:
            problems.append(f"{raw.filename}: de kolom '{column}' bestaat niet.")
    if mapping.code is None and mapping.name is None:
        problems.append(f"{raw.filename}: kies de kolom met de wijkcode of de kolom met de wijknaam.")
    roles = [c for c in (mapping.code, mapping.name, mapping.municipality, mapping.region_kind) if c]
    for column in mapping.indicators:
        if column in roles:
            problems.append(f"{raw.filename}: de kolom '{column}' is al gekozen als code of naam; geen kerncijfer.")
    keys: dict[str, str] = {}
    for column, key in mapping.indicators.items():
        if not key.strip():
            problems.append(f"{raw.filename}: het kerncijfer in kolom '{column}' heeft geen naam.")
        elif len(key) > MAX_INDICATOR:
            problems.append(
                f"{raw.filename}: de naam van het kerncijfer in kolom '{column[:40]}...' is te lang "
                f"(hoogstens {MAX_INDICATOR} tekens)."
            )
        elif has_control(key):
            problems.append(f"{raw.filename}: de naam van kolom '{column}' bevat onzichtbare stuurtekens.")
        elif key.casefold() in keys:
            problems.append(
                f"{raw.filename}: de kolommen '{keys[key.casefold()]}' en '{column}' "
                f"geven hetzelfde kerncijfer '{key}'."
            )
        keys[key.casefold()] = column
    if mapping.population is not None and mapping.population not in mapping.indicators:
        problems.append(f"{raw.filename}: de kolom met inwoners '{mapping.population}' moet ook een kerncijfer zijn.")
    return problems


_TABLE_ID = re.compile(r"(\d{5}NED)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def table_id_from(filename: str) -> str | None:
    """A CBS table id named in a file name, such as 85984NED."""
    found = _TABLE_ID.search(filename)
    return found.group(1).upper() if found else None


def year_from(filename: str) -> int | None:
    """A year named in a file name, such as kerncijfers_2024.csv."""
    found = _YEAR.search(_TABLE_ID.sub("", filename))
    return int(found.group(1)) if found else None
