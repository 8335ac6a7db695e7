"""Fetch a municipality's wijken and indicators from CBS open data (optional, needs internet).

The result has the layout of a CBS "Kerncijfers wijken en buurten" file as raw text cells, so it
goes through the same mapping, validation and all-or-nothing commit as an uploaded file:
`WijkenEnBuurten` (the region code, as CBS sends it, with trailing spaces), `Wijknaam`,
`Gemeentenaam_1`, `SoortRegio_2` and the chosen indicator columns (`AantalInwoners_5`, ...).

cbsodata 1.3.5 is used for the HTTP requests (its URLs, paging via `odata.nextLink`, proxy
options). Its `get_data` is not used: it downloads every metadata table of the table (the full
region dimension has some 17,000 rows) and replaces dimension keys by their titles, so the region
code would be lost. Instead the data set is read with the function behind `get_info`/`get_meta`,
which accepts `$select` and `$filter`: one municipality is a download of a few kilobytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import cbsodata
import numpy as np
import pandas as pd
import requests
from cbsodata import cbsodata3

from wijkmodel.model.indicators import base_name
from wijkmodel.storage.inputs import has_control

T = TypeVar("T")

TABLE_ID = re.compile(r"^\d{5}[A-Z]{3}$")
"""A CBS table id such as 85984NED (Kerncijfers wijken en buurten 2024)."""

TIMEOUT = (5.0, 60.0)
"""Seconds to connect and to wait for an answer, on every request."""

REGION = "WijkenEnBuurten"
NAME_COLUMN = "Wijknaam"
_NAME_BASE = "Gemeentenaam"
_KIND_BASE = "SoortRegio"
_NUMERIC = {"Byte", "Short", "Integer", "Long", "Float", "Double", "Decimal"}
_MUNICIPALITY_CODE = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)
_MAX_NAME = 200

OFFLINE_MESSAGE = (
    "Deze computer kan CBS open data nu niet bereiken (geen internet?), gebruik daarom een gedownload bestand."
)


class CbsFetchError(Exception):
    """Fetching from CBS open data failed; the message is one Dutch sentence for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class FetchedTable:
    """A municipality's rows of a CBS table, as raw text cells in the layout of a downloaded file."""

    table: pd.DataFrame
    """The GM row and its WK rows: `WijkenEnBuurten`, `Wijknaam`, `Gemeentenaam_1`, `SoortRegio_2`
    and the indicator columns; every cell is text ('' where CBS has no value)."""
    table_id: str
    """The CBS table id, e.g. '85984NED'."""
    year: str
    """The table's period, e.g. '2024'."""
    title: str
    """The table's title, e.g. 'Kerncijfers wijken en buurten 2024'."""
    source: str
    """Source text to show and store, e.g. 'CBS 85984NED (Kerncijfers wijken en buurten 2024)'."""


@dataclass(frozen=True)
class _Properties:
    name_key: str
    kind_key: str
    numeric: list[tuple[str, str]]


def available_indicators(table_id: str) -> list[tuple[str, str]]:
    """The table's numeric indicator columns as (Key, Title), in CBS's order, for the user to choose from."""
    table_id = _check_table_id(table_id)
    return _properties(table_id).numeric


def fetch_municipality(
    table_id: str,
    *,
    municipality_code: str | None = None,
    municipality_name: str | None = None,
    indicators: list[str] | None = None,
) -> FetchedTable:
    """The municipality's GM row and WK rows of a CBS wijken-en-buurten table.

    Give the CBS code (GM0363; '0363' and '363' also work) or, without a code, the exact name as
    CBS writes it; the code wins when both are given. `indicators` are column keys
    ('AantalInwoners_5') or names without the yearly suffix ('AantalInwoners'); None takes all
    numeric indicators. Raises CbsFetchError with one Dutch sentence when anything fails.
    """
    table_id = _check_table_id(table_id)
    code = _check_code(municipality_code) if municipality_code is not None and municipality_code.strip() else None
    name = "" if code else _check_name(municipality_name)
    if indicators is not None and not indicators:
        raise CbsFetchError("Kies minstens één indicator om op te halen.")

    info = _call(table_id, lambda: cbsodata.get_info(table_id, timeout=TIMEOUT))
    if not isinstance(info, dict):
        raise CbsFetchError(_unexpected(table_id))
    title = str(info.get("Title") or info.get("ShortTitle") or table_id).strip()
    year = str(info.get("Period") or "").strip()
    properties = _properties(table_id)
    chosen = _resolve(table_id, properties, indicators)
    select = [REGION, properties.name_key, properties.kind_key, *chosen]

    if code:
        filters = _code_filter(code)
    else:
        filters = (
            f"startswith({properties.name_key},{_quote(name)}) and "
            f"(startswith({REGION},'GM') or startswith({REGION},'WK'))"
        )
    rows = _rows(table_id, "TypedDataSet", select=select, filters=filters)
    # The server filter is a prefix match (names and codes are padded with spaces); keep exact matches.
    if code:
        rows = [r for r in rows if _code_of(r) == code or _code_of(r).startswith("WK" + code[2:])]
    else:
        rows = [r for r in rows if _text(r.get(properties.name_key)).casefold() == name.casefold()]
    rows = [r for r in rows if _code_of(r)[:2] in {"GM", "WK"}]
    if not rows:
        who = code or f"'{name}'"
        raise CbsFetchError(
            f"Gemeente {who} staat niet in CBS-tabel {table_id} ({title}), kies een andere tabel of gemeente."
        )
    rows.sort(key=lambda r: (not _code_of(r).startswith("GM"), _code_of(r)))
    code = code or "GM" + _code_of(rows[0])[2:6]

    names = {
        _text(r.get("Key")).upper(): _text(r.get("Title"))
        for r in _rows(table_id, REGION, select=["Key", "Title"], filters=_code_filter(code))
    }
    table = pd.DataFrame(
        [
            {
                REGION: _cell(r.get(REGION)),
                NAME_COLUMN: names.get(_code_of(r), ""),
                properties.name_key: _cell(r.get(properties.name_key)),
                properties.kind_key: _cell(r.get(properties.kind_key)),
                **{key: _cell(r.get(key)) for key in chosen},
            }
            for r in rows
        ],
        columns=[REGION, NAME_COLUMN, properties.name_key, properties.kind_key, *chosen],
        dtype=str,
    )
    return FetchedTable(table=table, table_id=table_id, year=year, title=title, source=f"CBS {table_id} ({title})")


def _check_table_id(table_id: str) -> str:
    cleaned = table_id.strip().upper()
    if not TABLE_ID.match(cleaned):
        raise CbsFetchError(
            f"Het tabelnummer '{table_id.strip()[:40]}' klopt niet: "
            "gebruik 5 cijfers en 3 letters, bijvoorbeeld 85984NED."
        )
    return cleaned


def _check_code(code: str) -> str:
    match = _MUNICIPALITY_CODE.match(code.strip())
    if not match:
        raise CbsFetchError(
            f"De gemeentecode '{code.strip()[:40]}' klopt niet: gebruik GM gevolgd door 4 cijfers, bijvoorbeeld GM0363."
        )
    return "GM" + match.group(1).zfill(4)


def _check_name(name: str | None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise CbsFetchError("Vul de CBS-code (bijvoorbeeld GM0363) of de naam van de gemeente in.")
    if has_control(cleaned) or len(cleaned) > _MAX_NAME:
        raise CbsFetchError("De naam van de gemeente klopt niet: gebruik de naam zoals CBS die schrijft.")
    return cleaned


def _code_filter(code: str) -> str:
    # CBS pads region codes with spaces ('GM0363    '), so match on the start, not with eq.
    return f"startswith({REGION},'{code}') or startswith({REGION},'WK{code[2:]}')"


def _quote(text: str) -> str:
    """An OData string literal ('s-Hertogenbosch -> '''s-Hertogenbosch')."""
    return "'" + text.replace("'", "''") + "'"


def _properties(table_id: str) -> _Properties:
    items = _call(table_id, lambda: cbsodata.get_meta(table_id, "DataProperties", timeout=TIMEOUT))
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise CbsFetchError(_unexpected(table_id))
    region = any(i.get("Key") == REGION and str(i.get("Type", "")).endswith("Dimension") for i in items)
    topics = [i for i in items if i.get("Type") == "Topic" and isinstance(i.get("Key"), str)]
    texts = {base_name(i["Key"]): i["Key"] for i in topics if i.get("Datatype") == "String"}
    if not region or _NAME_BASE not in texts or _KIND_BASE not in texts:
        raise CbsFetchError(
            f"CBS-tabel {table_id} is geen tabel met kerncijfers van wijken en buurten, kies bijvoorbeeld 85984NED."
        )
    numeric = [
        (i["Key"], str(i.get("Title") or i["Key"]).strip())
        for i in sorted(topics, key=lambda i: (i.get("Position") is None, i.get("Position") or 0, i.get("ID") or 0))
        if i.get("Datatype") in _NUMERIC
    ]
    return _Properties(name_key=texts[_NAME_BASE], kind_key=texts[_KIND_BASE], numeric=numeric)


def _resolve(table_id: str, properties: _Properties, indicators: list[str] | None) -> list[str]:
    keys = [key for key, _ in properties.numeric]
    if indicators is None:
        return keys
    by_base: dict[str, list[str]] = {}
    for key in keys:
        by_base.setdefault(base_name(key), []).append(key)
    chosen: list[str] = []
    missing: list[str] = []
    for wanted in indicators:
        wanted = wanted.strip()
        matches = [wanted] if wanted in keys else by_base.get(base_name(wanted), [])
        if len(matches) != 1:
            missing.append(wanted)
        elif matches[0] not in chosen:
            chosen.append(matches[0])
    if missing:
        raise CbsFetchError(
            f"CBS-tabel {table_id} heeft geen indicator {', '.join(missing)}, kies uit de lijst van de tabel."
        )
    return chosen


def _rows(table_id: str, name: str, *, select: list[str], filters: str) -> list[dict[str, Any]]:
    # cbsodata's public get_meta takes no $select/$filter; its helper behind it does (and pages).
    rows = _call(
        table_id,
        lambda: cbsodata3._download_metadata(table_id, name, select=select, filters=filters, timeout=TIMEOUT),
    )
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise CbsFetchError(_unexpected(table_id))
    return rows


def _call(table_id: str, request: Callable[[], T]) -> T:
    """Run one cbsodata request, turning every failure into one Dutch sentence."""
    try:
        return request()
    except (requests.ConnectionError, requests.Timeout) as err:
        raise CbsFetchError(OFFLINE_MESSAGE) from err
    except requests.HTTPError as err:
        status = _status(err)
        if status == 404:
            raise CbsFetchError(
                f"CBS open data kent geen tabel {table_id}, controleer het tabelnummer (bijvoorbeeld 85984NED)."
            ) from err
        raise CbsFetchError(
            f"CBS open data gaf een fout{f' (code {status})' if status else ''} bij tabel {table_id}, "
            "probeer het later opnieuw of gebruik een gedownload bestand."
        ) from err
    except requests.RequestException as err:
        raise CbsFetchError(
            f"Het ophalen van tabel {table_id} bij CBS open data is mislukt, gebruik een gedownload bestand."
        ) from err
    except (ValueError, KeyError, TypeError) as err:
        raise CbsFetchError(_unexpected(table_id)) from err


def _status(err: requests.HTTPError) -> int | None:
    # cbsodata re-raises an HTTPError without response, chained to the original one.
    for e in (err, err.__cause__):
        response = getattr(e, "response", None)
        if response is not None:
            return int(response.status_code)
    return None


def _unexpected(table_id: str) -> str:
    return f"CBS open data gaf een onverwacht antwoord voor tabel {table_id}, gebruik een gedownload bestand."


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _code_of(row: dict[str, Any]) -> str:
    return _text(row.get(REGION)).upper()


def _cell(value: object) -> str:
    """A JSON value as the raw text a downloaded file would hold: '' for no value, no exponent."""
    if value is None:
        return ""
    if isinstance(value, float):
        return np.format_float_positional(value, trim="-")
    return str(value)
