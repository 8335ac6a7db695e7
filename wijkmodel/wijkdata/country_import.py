"""Importing a CBS file of many municipalities at once (a youth-care region or a national body).

Each municipality in the file is found by its CBS code, then by name, or created; its rows then go
through the same checks and the same save as a single municipality's import, planned for the whole
file in one pass (`file_plan`) and saved together. One transaction for all: one problem anywhere
and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import NewMunicipality, create_municipalities
from wijkmodel.storage.tables import Municipality, Unit
from wijkmodel.wijkdata.file_plan import FilePlan, Target, plan_file
from wijkmodel.wijkdata.import_save import SaveBatch, population_values, save_batch
from wijkmodel.wijkdata.mapping import ColumnMapping
from wijkmodel.wijkdata.plan import ImportPlan
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


def _all_units(session: Session) -> pd.DataFrame:
    """Every municipality's units in one query (municipality, unit, name, kind, cbs_code, population)."""
    rows = session.execute(
        select(Unit.municipality_id, Unit.id, Unit.name, Unit.kind, Unit.cbs_code, Unit.population)
    ).all()
    return pd.DataFrame(rows, columns=["municipality", "unit", "name", "kind", "cbs_code", "population"])


def _two_codes(filename: str, first: str | None, second: str, name: str) -> str:
    return (
        f"{filename}: {first} en {second} gaan allebei over de gemeente '{name}'. "
        "Geef elke gemeente één CBS-code en één naam."
    )


def import_all_municipalities(
    *, session: Session, raw: RawTable, mapping: ColumnMapping, year: int, source: str
) -> CountryResult:
    """Import every municipality of a CBS file in the caller's transaction (InputError: nothing saved)."""
    if mapping.code is None:
        raise InputError([f"{raw.filename}: voor meer gemeenten tegelijk is de kolom met CBS-codes nodig."])
    codes = np.array([cell_text(v).replace(" ", "").upper() for v in raw.cells[mapping.code].to_numpy()], dtype=object)
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
    problems: list[str] = []
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
    units = _all_units(session)  # after making: a new municipality has its 'Gemeente als geheel'
    # the whole file in one pass; a flagged municipality is planned (and its problems told) one by one
    whole_file = plan_file(
        raw,
        mapping,
        codes=codes,
        targets={g: Target(m.id, m.name, m.cbs_code or f"GM{g}") for g, m in found.items()},
        units=units,
        year=year,
        source=source,
    )
    chosen: list[tuple[str, Municipality, ImportPlan | None]] = []
    code_of: dict[int, str] = {}
    for group in sorted(found):
        code = f"GM{group}"
        municipality = found[group]
        if municipality.id in code_of:
            # all plans are checked before any is saved, so one municipality may have only one
            problems.append(_two_codes(raw.filename, code_of[municipality.id], code, municipality.name))
            continue
        code_of[municipality.id] = code
        one = None
        if group in whole_file.flagged:
            subset = RawTable(
                cells=raw.cells.iloc[positions[group]],
                filename=raw.filename,
                number_style=raw.number_style,
                sheet=raw.sheet,
            )
            try:
                one = plan_import(
                    subset,
                    mapping,
                    units=units[units["municipality"] == municipality.id].drop(columns="municipality"),
                    municipality_name=municipality.name,
                    municipality_code=municipality.cbs_code or code,
                    year=year,
                    source=source,
                )
            except InputError as exc:
                problems += exc.problems
                continue
        if len(problems) > MAX_PROBLEMS:
            break
        chosen.append((group, municipality, one))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"... en nog meer problemen ({len(problems)} of meer).")
        raise InputError(shown)
    results = save_batch(session=session, batch=_batch(session, mapping, whole_file, chosen, year, source))
    return CountryResult(
        municipalities=len(positions),
        new_municipalities=len(made),
        wijken=sum(r.wijken for r in results),
        new_wijken=sum(r.new_wijken for r in results),
        values=sum(r.values for r in results),
    )


def _batch(
    session: Session,
    mapping: ColumnMapping,
    whole_file: FilePlan,
    chosen: list[tuple[str, Municipality, ImportPlan | None]],
    year: int,
    source: str,
) -> SaveBatch:
    """The plans of the chosen municipalities, in their order (from the file plan, or their own
    `plan_import`), as one batch."""
    owner_of = {group: n for n, (group, _, one) in enumerate(chosen) if one is None}
    owner = whole_file.rows["group"].map(owner_of)
    ours = owner.notna().to_numpy()
    columns = ["code", "name", "unit", "status"]
    rows = [whole_file.rows.loc[ours, columns].assign(owner=owner[ours].astype(int))]
    values = [whole_file.values[ours]]
    for n, (_, _, one) in enumerate(chosen):
        if one is not None:
            rows.append(one.rows[columns].assign(owner=n))
            values.append(one.values)
    together = pd.concat(rows, ignore_index=True)
    order = np.argsort(together["owner"].to_numpy(), kind="stable")  # file order within a municipality
    population = mapping.indicators.get(mapping.population) if mapping.population else None
    municipalities = [m for _, m, _ in chosen]
    return SaveBatch(
        municipalities=municipalities,
        # one found by name without a code gets the code of its rows
        codes=[None if m.cbs_code else f"GM{group}" for group, m, _ in chosen],
        rows=together.iloc[order].reset_index(drop=True),
        values=pd.concat(values, ignore_index=True).iloc[order].reset_index(drop=True),
        whole=[whole_file.whole.get(group, {}) if one is None else one.whole for group, _, one in chosen],
        indicators=list(mapping.indicators.values()),
        population=population,
        year=year,
        source=source,
        stored=population_values(
            session=session, municipality_ids=[m.id for m in municipalities], indicator=population
        ),
    )
