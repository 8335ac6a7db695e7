"""Importing a CBS file of many municipalities at once (a youth-care region or a national body).

Each municipality in the file is found by its CBS code, then by name, or created; its rows then go
through the same checks and the same save as a single municipality's import. One transaction for
all: one problem anywhere and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.model.indicators import COLUMNS as INDICATOR_COLUMNS
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import NewMunicipality, create_municipalities
from wijkmodel.storage.tables import Municipality, Unit
from wijkmodel.wijkdata.import_save import PlannedSave, population_values, save_plans
from wijkmodel.wijkdata.mapping import ColumnMapping
from wijkmodel.wijkdata.table_files import RawTable
from wijkmodel.wijkdata.wijk_import import MAX_PROBLEMS, cell_text, plan_import


@dataclass(frozen=True)
class CountryResult:
    """What an import of many municipalities saved."""

    municipalities: int
    new_municipalities: int
    wijken: int
    new_wijken: int
    values: int


def _all_units(session: Session) -> dict[int, pd.DataFrame]:
    """Every municipality's units in one query (a new municipality has only its own unit)."""
    rows = session.execute(
        select(Unit.municipality_id, Unit.id, Unit.name, Unit.kind, Unit.cbs_code, Unit.population)
    ).all()
    frame = pd.DataFrame(rows, columns=["municipality", "unit", "name", "kind", "cbs_code", "population"])
    return {
        int(m): group.drop(columns="municipality").reset_index(drop=True) for m, group in frame.groupby("municipality")
    }


def _two_codes(filename: str, first: str | None, second: str, name: str) -> str:
    return (
        f"{filename}: {first} en {second} gaan allebei over de gemeente '{name}'. "
        "Geef elke gemeente één CBS-code en één naam."
    )


def _only_the_whole(municipality: Municipality) -> pd.DataFrame:
    """The units of a municipality made during this import: only 'Gemeente als geheel' (no query)."""
    return pd.DataFrame(
        [(u.id, u.name, u.kind, u.cbs_code, u.population) for u in municipality.units],
        columns=["unit", "name", "kind", "cbs_code", "population"],
    )


def import_all_municipalities(
    *, session: Session, raw: RawTable, mapping: ColumnMapping, year: int, source: str
) -> CountryResult:
    """Import every municipality of a CBS file in the caller's transaction (InputError: nothing saved)."""
    if mapping.code is None:
        raise InputError([f"{raw.filename}: voor meer gemeenten tegelijk is de kolom met CBS-codes nodig."])
    codes = [cell_text(v).replace(" ", "").upper() for v in raw.cells[mapping.code].to_numpy()]
    towns = (
        [cell_text(v) for v in raw.cells[mapping.municipality].to_numpy()]
        if mapping.municipality
        else [""] * len(codes)
    )
    # row positions per municipality, once: masking the whole file per municipality was the slow part
    positions: dict[str, list[int]] = {}
    for position, code in enumerate(codes):
        if code[:2] in ("GM", "WK"):
            positions.setdefault(code[2:6], []).append(position)
    if not positions:
        raise InputError([f"{raw.filename} heeft geen rijen van gemeenten of wijken (codes GM of WK)."])
    municipalities = list(session.scalars(select(Municipality)))
    known = {m.cbs_code: m for m in municipalities if m.cbs_code}
    by_name = {m.name.casefold(): m for m in municipalities}
    units = _all_units(session)
    problems: list[str] = []
    saves: list[PlannedSave] = []
    # first find every municipality, then make the missing ones together (one flush for all)
    found: dict[str, Municipality] = {}
    to_make: dict[str, NewMunicipality] = {}
    for group in sorted(positions):
        code = f"GM{group}"
        gm_rows = [p for p in positions[group] if codes[p].startswith("GM")]
        name = next((towns[p] for p in gm_rows or positions[group] if towns[p]), "")
        municipality = known.get(code) or (by_name.get(name.casefold()) if name else None)
        if municipality is not None:
            found[group] = municipality
        elif not name:
            problems.append(f"{raw.filename}: de gemeente {code} heeft geen naam in het bestand.")
        elif name.casefold() in to_make:
            problems.append(_two_codes(raw.filename, to_make[name.casefold()].cbs_code, code, name))
        else:
            to_make[name.casefold()] = NewMunicipality(name, code, label=f"{raw.filename}, gemeente {code}")
    try:
        made = create_municipalities(session=session, wanted=list(to_make.values()))
    except InputError as exc:
        problems += exc.problems
        made = []
    found |= {str(m.cbs_code)[2:]: m for m in made}
    code_of: dict[int, str] = {}
    for group in sorted(found):
        rows = positions[group]
        code = f"GM{group}"
        municipality = found[group]
        if municipality.id in code_of:
            # all plans are checked before any is saved, so one municipality may have only one
            problems.append(_two_codes(raw.filename, code_of[municipality.id], code, municipality.name))
            continue
        code_of[municipality.id] = code
        subset = RawTable(
            cells=raw.cells.iloc[rows], filename=raw.filename, number_style=raw.number_style, sheet=raw.sheet
        )
        try:
            plan = plan_import(
                subset,
                mapping,
                units=units[municipality.id] if municipality.id in units else _only_the_whole(municipality),
                municipality_name=municipality.name,
                municipality_code=municipality.cbs_code or code,
                year=year,
                source=source,
            )
        except InputError as exc:
            problems += exc.problems
            continue
        if municipality.cbs_code is None:  # found by name: it gets the code of its rows
            plan = replace(plan, municipality_code=code)
        if len(problems) > MAX_PROBLEMS:
            break
        saves.append(
            PlannedSave(
                municipality,
                plan,
                population_values(session=session, municipality_id=municipality.id, indicator=plan.population)
                if municipality.id in units
                else pd.DataFrame(columns=INDICATOR_COLUMNS),
            )
        )
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"... en nog meer problemen ({len(problems)} of meer).")
        raise InputError(shown)
    results = save_plans(session=session, saves=saves)
    return CountryResult(
        municipalities=len(positions),
        new_municipalities=len(made),
        wijken=sum(r.wijken for r in results),
        new_wijken=sum(r.new_wijken for r in results),
        values=sum(r.values for r in results),
    )
