"""Planning a CBS file of many municipalities in one pass (`import-wijken --alle-gemeenten`).

`plan_file` checks and matches every wijk of the file at once, with numpy and pandas over the
whole file instead of one `plan_import` per municipality (per-call pandas overhead made that slow
for 342 small municipalities). It plans only what it can plan exactly as `plan_import` would: a
municipality with anything unusual or wrong (a bad code or value, a double wijk, a name clash,
no room, ...) is flagged, and the caller plans that one with `plan_import`, which lists the
problems in its own words and order. So the checks and messages stay in one place, and a flagged
municipality that turns out fine gets the same plan, only slower.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import ValidationError

from wijkmodel.storage.inputs import MAX_POPULATION, WijkIn
from wijkmodel.storage.limits import wijk_room_problem, wijken_in_file_problem
from wijkmodel.storage.tables import UnitKind
from wijkmodel.wijkdata.mapping import CODE, ColumnMapping
from wijkmodel.wijkdata.table_files import NumberStyle, RawTable, parse_number
from wijkmodel.wijkdata.wijk_import import MAX_VALUE, cell_text, plan_problems

ROWS = ["group", "row", "code", "name", "unit", "status"]


@dataclass(frozen=True)
class Target:
    """A municipality the rows of one group (the 4 digits of GM/WK codes) go to."""

    municipality_id: int
    name: str
    code: str
    """The GM code it is planned against: its own, or that of its rows when it has none."""


@dataclass(frozen=True)
class FilePlan:
    """The checked plans of the municipalities that were not flagged, one row per wijk, file order."""

    rows: pd.DataFrame
    """group, row (as the user sees it), code, name, unit (existing id or None), status."""
    values: pd.DataFrame
    """Same index as rows; one float column per indicator key (NaN: no value)."""
    whole: dict[str, dict[str, float]]
    """Per group, the values of its own row (GM code), for 'Gemeente als geheel'."""
    flagged: set[str]
    """Groups to plan one by one with `plan_import`."""


def parse_cells(cells: np.ndarray, style: NumberStyle) -> tuple[np.ndarray, np.ndarray]:
    """Cells as floats (NaN: no value) and which ones are no number or too big, as `parse_number`
    and `plan_import` read them. Text is parsed once per distinct value: figures repeat a lot."""
    values = np.full(len(cells), np.nan)
    bad = np.zeros(len(cells), dtype=bool)
    if len(cells) and all(type(c) is str for c in cells):
        # only all-text columns: factorize would take True and 1 (from Excel) for the same value
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        read = [_read(u, style) for u in uniques]
        values = np.array([v for v, _ in read], dtype=float)[codes]
        bad = np.array([b for _, b in read], dtype=bool)[codes]
    else:
        for i, cell in enumerate(cells):
            try:
                number = parse_number(cell, style)
            except ValueError:
                bad[i] = True
                continue
            if number is not None:
                values[i] = number
    with np.errstate(invalid="ignore"):
        bad |= ~np.isnan(values) & ~(np.abs(values) < MAX_VALUE)
    return values, bad


def _read(cell: str, style: NumberStyle) -> tuple[float, bool]:
    """(value or NaN, whether it is no number)."""
    try:
        number = parse_number(cell, style)
    except ValueError:
        return np.nan, True
    return (np.nan if number is None else number), False


def plan_file(
    raw: RawTable,
    mapping: ColumnMapping,
    *,
    codes: np.ndarray,
    targets: dict[str, Target],
    units: pd.DataFrame,
    year: int,
    source: str,
) -> FilePlan:
    """Plan the rows of every group in `targets` at once. `codes`: the file's codes, normalised as
    `plan_import` does; `units`: the units of the targets (municipality, unit, name, kind, cbs_code)."""
    keys = list(mapping.indicators.values())
    empty = FilePlan(pd.DataFrame(columns=ROWS), pd.DataFrame(columns=keys, dtype=float), {}, set(targets))
    if plan_problems(raw, mapping, year=year, source=source):
        return empty  # every municipality would say the same: plan_import says it
    flagged = {g for g, t in targets.items() if t.code != f"GM{g}"}
    prefix = np.array([c[:2] for c in codes], dtype=object)
    digits = np.array([c[2:6] for c in codes], dtype=object)
    wanted = set(targets)
    chosen = np.flatnonzero(((prefix == "GM") | (prefix == "WK")) & np.array([d in wanted for d in digits], dtype=bool))
    valid = np.array([bool(CODE.match(c)) for c in codes[chosen]], dtype=bool)
    flagged |= set(digits[chosen[~valid]])
    chosen = chosen[valid]
    group = digits[chosen]
    own_row = prefix[chosen] == "GM"
    flagged |= {g for g, n in Counter(group[own_row]).items() if n > 1}
    in_file = Counter(group[~own_row])
    flagged |= {
        g
        for g, t in targets.items()
        if not in_file[g] or wijken_in_file_problem(filename=raw.filename, municipality=t.name, count=in_file[g])
    }

    matrix = np.full((len(chosen), len(keys)), np.nan)
    for column_number, column in enumerate(mapping.indicators):
        matrix[:, column_number], bad = parse_cells(raw.cells[column].to_numpy()[chosen], raw.number_style)
        flagged |= set(group[bad])

    wijk = ~own_row
    index = raw.cells.index[chosen[wijk]]
    wijk_codes = codes[chosen[wijk]]
    names = (
        [cell_text(v) for v in raw.cells[mapping.name].to_numpy()[chosen[wijk]]] if mapping.name else [""] * len(index)
    )
    rows = pd.DataFrame(
        {
            "group": group[wijk],
            "row": [raw.row_number(p) for p in index],
            "code": pd.Series(wijk_codes, dtype=object),
            "name": [n or c for n, c in zip(names, wijk_codes, strict=True)],
        }
    )
    values = pd.DataFrame(matrix[wijk], columns=keys)
    folded = rows["name"].str.casefold()
    doubles = rows.duplicated(["group", "code"], keep=False) | pd.DataFrame(
        {"group": rows["group"], "name": folded}
    ).duplicated(keep=False)
    flagged |= set(rows.loc[doubles, "group"])
    for name, g in zip(rows["name"], rows["group"], strict=True):
        try:
            WijkIn.model_validate({"name": name})
        except ValidationError:
            flagged.add(g)
    population = mapping.indicators.get(mapping.population) if mapping.population else None
    if population is not None:
        people = values[population].to_numpy()
        with np.errstate(invalid="ignore"):
            flagged |= set(rows.loc[(people < 0) | (people > MAX_POPULATION), "group"])
    unit_ids, rows["status"], rows["name"] = _match(rows, folded, targets, units, flagged)
    rows["unit"] = pd.Series(unit_ids, dtype=object)  # None for a new wijk, not NaN

    whole_rows = pd.DataFrame(matrix[own_row], columns=keys)
    whole = {
        g: {k: float(v) for k, v in zip(keys, line, strict=True) if not np.isnan(v)}
        for g, line in zip(group[own_row], whole_rows.to_numpy(), strict=True)
    }
    keep = ~rows["group"].isin(flagged).to_numpy()
    return FilePlan(
        rows=rows[keep].reset_index(drop=True),
        values=values[keep].reset_index(drop=True),
        whole={g: w for g, w in whole.items() if g not in flagged},
        flagged=flagged,
    )


def _match(
    rows: pd.DataFrame, folded: pd.Series, targets: dict[str, Target], units: pd.DataFrame, flagged: set[str]
) -> tuple[list, list[str], list[str]]:
    """Units and statuses as `wijk_import._match` gives them (existing wijken by code, then by name),
    and the names shown; what it would call a problem (or a wijk limit passed) flags the group."""
    wijken = units["kind"] == UnitKind.WIJK.value
    stored = dict(zip(units["unit"].astype(int), units["name"].astype(str), strict=True))
    by_code: dict[tuple[int, str], int] = {}
    by_name: dict[tuple[int, str], tuple[int, str | None]] = {}
    reserved: set[tuple[int, str]] = set()
    existing: Counter[int] = Counter()
    for m, u, n, c, w in zip(
        units["municipality"], units["unit"], units["name"], units["cbs_code"], wijken, strict=True
    ):
        if not w:  # 'Gemeente als geheel': a wijk cannot have its name
            reserved.add((int(m), str(n).casefold()))
            continue
        code = c if isinstance(c, str) and c else None
        if code:
            by_code[(int(m), code)] = int(u)
        by_name[(int(m), str(n).casefold())] = (int(u), code)  # the last of equal names wins, as there
        existing[int(m)] += 1
    unit_ids: list = []
    statuses: list[str] = []
    taken: set[int] = set()
    adding: Counter[str] = Counter()
    for g, code, key in zip(rows["group"], rows["code"], folded, strict=True):
        m = targets[g].municipality_id
        unit, status = None, "nieuw"
        if (m, key) in reserved:
            flagged.add(g)
        elif (m, code) in by_code:
            unit, status = by_code[(m, code)], "bestaand"
        elif (m, key) in by_name:
            unit, existing_code = by_name[(m, key)]
            status = "bestaand"
            if existing_code and existing_code != code:
                flagged.add(g)
            elif not existing_code:
                status = "code"
        if unit is not None:
            if unit in taken:
                flagged.add(g)
            taken.add(unit)
        adding[g] += status == "nieuw"
        unit_ids.append(unit)
        statuses.append(status)
    for g, count in adding.items():
        target = targets[g]
        if wijk_room_problem(municipality=target.name, existing=existing[target.municipality_id], adding=count):
            flagged.add(g)
    # a file without names (CBS) shows the stored name of a wijk it found by code
    names = [
        stored.get(u, n) if u is not None and n == c else n
        for u, n, c in zip(unit_ids, rows["name"], rows["code"], strict=True)
    ]
    return unit_ids, statuses, names
