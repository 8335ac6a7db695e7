"""Importing wijken and their indicators (wijk-analyse, step 1): check everything, then save all or nothing.

`plan_import` reads a mapped table against the municipality's wijken and lists every problem by
row and column. Existing wijken are matched by code, then by name.

Saving keeps the write transaction short (on SQLite it holds the one write lock, and every other
save waits for it): `prepare_import` reads and plans in a read session, `save_import` then only
writes, in the write transaction. It plans again there only when the municipality's wijken
changed in between (someone added or renamed one), so a plan never saves against wijken it did
not check. `import_wijken` does both in one session, for callers that have only one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from pydantic import ValidationError
from sqlalchemy.orm import Session

from wijkmodel.storage.frames import load_units, unit_names
from wijkmodel.storage.inputs import MAX_POPULATION, InputError, WijkIn, has_control, messages
from wijkmodel.storage.limits import wijk_room_problem, wijken_in_file_problem
from wijkmodel.storage.tables import Municipality, UnitKind
from wijkmodel.wijkdata.import_save import ImportResult, PlannedSave, population_values, save_plans
from wijkmodel.wijkdata.mapping import CODE, ColumnMapping, mapping_problems, table_id_from
from wijkmodel.wijkdata.plan import ImportPlan
from wijkmodel.wijkdata.table_files import RawTable, parse_number

MAX_PROBLEMS = 50
"""Problems listed in full; the rest are counted."""
MAX_VALUE = 1e12
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_SOURCE = 200
"""Longest source the database (and the backup) holds; longer is refused, never cut off."""


def _problem_list(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"... en nog {len(problems) - MAX_PROBLEMS} problemen."]


def cell_text(value: object) -> str:
    """A cell as text, spaces normalised; whole numbers from Excel without '.0'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _parse_values(raw: RawTable, mapping: ColumnMapping, index: pd.Index, problems: list[str]) -> pd.DataFrame:
    # plain Python over numpy cells: per-cell pandas indexing costs more than the parsing itself
    positions = raw.cells.index.get_indexer(index)
    data: dict[str, np.ndarray] = {}
    for column, key in mapping.indicators.items():
        cells = raw.cells[column].to_numpy()[positions]
        parsed = np.full(len(cells), np.nan)
        for i, cell in enumerate(cells):
            try:
                number = parse_number(cell, raw.number_style)
            except ValueError:
                problems.append(
                    f"{raw.filename}, rij {raw.row_number(index[i])}, kolom '{column}': "
                    f"'{cell_text(cell)[:40]}' is geen getal."
                )
                continue
            if number is not None and not abs(number) < MAX_VALUE:
                problems.append(f"{raw.filename}, rij {raw.row_number(index[i])}, kolom '{column}': getal te groot.")
                continue
            if number is not None:
                parsed[i] = number
        data[key] = parsed
    return pd.DataFrame(data, index=index)


def plan_problems(raw: RawTable, mapping: ColumnMapping, *, year: int, source: str) -> list[str]:
    """What is wrong before any row is read: the mapping, the year, the source."""
    problems = mapping_problems(mapping, raw)
    if not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(f"Het jaar {year} kan niet kloppen (tussen {MIN_YEAR} en {MAX_YEAR}).")
    if not mapping.indicators:
        problems.append(f"{raw.filename}: kies minstens één kolom met een kerncijfer.")
    if len(source) > MAX_SOURCE:
        problems.append(f"De bron is te lang (hoogstens {MAX_SOURCE} tekens).")
    if has_control(source):
        problems.append("De bron bevat onzichtbare stuurtekens.")
    return problems


def plan_import(
    raw: RawTable,
    mapping: ColumnMapping,
    *,
    units: pd.DataFrame,
    municipality_name: str,
    municipality_code: str | None,
    year: int,
    source: str,
) -> ImportPlan:
    """Check a mapped table against the municipality's units (columns unit, name, kind, cbs_code).

    Raises InputError listing every problem, by row and column, when anything is wrong."""
    problems = plan_problems(raw, mapping, year=year, source=source)
    if problems:
        raise InputError(problems)
    cells = raw.cells
    n = len(cells)
    # numpy arrays of str, not pandas string Series: an import of many municipalities plans each one
    # separately, and per-call pandas overhead would dominate for small municipalities
    codes = np.array(
        [cell_text(v).replace(" ", "").upper() for v in cells[mapping.code].to_numpy()] if mapping.code else [""] * n,
        dtype=object,
    )
    names = np.array([cell_text(v) for v in cells[mapping.name].to_numpy()] if mapping.name else [""] * n, dtype=object)
    town = (
        np.array([cell_text(v).casefold() for v in cells[mapping.municipality].to_numpy()], dtype=object)
        if mapping.municipality
        else None
    )
    has_code = codes != ""
    valid = np.array([bool(CODE.match(c)) for c in codes], dtype=bool)
    for position in cells.index[has_code & ~valid]:
        problems.append(
            f"{raw.filename}, rij {raw.row_number(position)}, kolom '{mapping.code}': "
            f"'{cell_text(cells.at[position, mapping.code])[:20]}' "
            "is geen CBS-code (GM + 4, WK + 6 of BU + 8 cijfers)."
        )
    for position in cells.index[~has_code & (names == "")]:
        problems.append(f"{raw.filename}, rij {raw.row_number(position)}: geen code en geen naam.")
    # Go on without the bad codes, so that one run lists every problem of the file.
    codes[~valid] = ""

    prefix = np.array([c[:2] for c in codes], dtype=object)
    digits = np.array([c[2:6] for c in codes], dtype=object)
    of_a_municipality = (prefix == "GM") | (prefix == "WK")
    own_digits = municipality_code[2:] if municipality_code else None
    skipped: dict[str, int] = {}
    if own_digits is None:
        # Without a known GM code: the municipality column decides, or the file must hold one municipality.
        digits_in_file = set(digits[of_a_municipality])
        if town is not None:
            ours = set(digits[(town == municipality_name.casefold()) & of_a_municipality])
            if len(ours) == 1:
                own_digits = next(iter(ours))
            elif len(ours) > 1:
                raise InputError(
                    [f"{raw.filename}: {municipality_name} heeft in het bestand {len(ours)} verschillende CBS-codes."]
                )
            elif digits_in_file:
                found = sorted({cell_text(v) for v in cells[mapping.municipality]} - {""})
                raise InputError(
                    [
                        f"{raw.filename} heeft geen wijken van {municipality_name}. Gemeenten in het bestand: "
                        f"{', '.join(found[:5])}{' ...' if len(found) > 5 else ''}."
                    ]
                )
        elif len(digits_in_file) == 1:
            own_digits = next(iter(digits_in_file))
        elif len(digits_in_file) > 1:
            raise InputError(
                [
                    f"{raw.filename} heeft wijken van {len(digits_in_file)} gemeenten. Vul eerst de CBS-code "
                    f"van {municipality_name} in (GM + 4 cijfers), dan weet ik welke wijken erbij horen."
                ]
            )
    coded = codes != ""
    if own_digits is None:
        of_others = np.zeros(n, dtype=bool)
    else:
        of_others = coded & (of_a_municipality | (prefix == "BU")) & (digits != own_digits)
    if mapping.layout == "cbs" or town is not None:
        skipped_others = int(of_others.sum())
        if skipped_others:
            skipped["rijen van andere gemeenten"] = skipped_others
    else:
        for position, code in zip(cells.index[of_others], codes[of_others], strict=True):
            problems.append(
                f"{raw.filename}, rij {raw.row_number(position)}, kolom '{mapping.code}': {code} "
                f"hoort bij een andere gemeente (GM{code[2:6]}), niet bij {municipality_name}."
            )
    buurten = ~of_others & (prefix == "BU")
    if buurten.any():
        skipped["buurten"] = int(buurten.sum())
    country = prefix == "NL"
    if country.any():
        skipped["de rij van heel Nederland"] = int(country.sum())
    own_row = ~of_others & (prefix == "GM")
    wijk_rows = ~of_others & ~buurten & ~country & ~own_row
    index = cells.index[wijk_rows]
    if len(index) == 0 and not problems:
        found = sorted({cell_text(v) for v in cells[mapping.municipality]}) if mapping.municipality else []
        hint = f" Gemeenten in het bestand: {', '.join(found[:5])}{' ...' if len(found) > 5 else ''}." if found else ""
        raise InputError([f"{raw.filename} heeft geen wijken van {municipality_name}.{hint}"])
    # the wijk limit before any cell is parsed: a file of 200,000 wijken stops here, not after minutes
    too_many = wijken_in_file_problem(filename=raw.filename, municipality=municipality_name, count=len(index))
    if too_many is not None:
        raise InputError([too_many])

    values = _parse_values(raw, mapping, index, problems)
    whole_index = cells.index[own_row]
    whole_values = _parse_values(raw, mapping, whole_index, problems)
    if len(whole_index) > 1:
        rows_text = " en ".join(str(raw.row_number(p)) for p in whole_index[:2])
        problems.append(f"{raw.filename}: de gemeente zelf staat er meer dan eens in (rij {rows_text}).")

    wijk_codes, wijk_names = codes[wijk_rows], names[wijk_rows]
    rows = pd.DataFrame(
        {
            "row": [raw.row_number(p) for p in index],
            "code": pd.Series([c or None for c in wijk_codes], dtype=object),
            "name": [name or code for name, code in zip(wijk_names, wijk_codes, strict=True)],
        }
    )
    problems += _duplicates(rows, raw.filename)
    problems += _names_valid(rows, raw.filename)
    rows["unit"], rows["status"] = _match(rows, units, raw.filename, problems)
    no_room = wijk_room_problem(
        municipality=municipality_name,
        existing=int((units["kind"] == UnitKind.WIJK.value).sum()),
        adding=int((rows["status"] == "nieuw").sum()),
    )
    if no_room is not None:
        problems.append(no_room)
    # a file without names (CBS) shows the stored name of a wijk it found by code
    stored = unit_names(units)
    rows["name"] = [
        stored.get(unit, name) if unit is not None and name == code else name
        for unit, name, code in zip(rows["unit"], rows["name"], rows["code"], strict=True)
    ]
    if problems:
        raise InputError(_problem_list(problems))
    population = mapping.indicators.get(mapping.population) if mapping.population else None
    if population is not None:
        too_big = values[population].dropna()
        for position in too_big.index[(too_big < 0) | (too_big > MAX_POPULATION)]:
            problems.append(f"{raw.filename}, rij {raw.row_number(position)}: het aantal inwoners kan niet kloppen.")
        if problems:
            raise InputError(_problem_list(problems))
    whole = {k: float(v) for k, v in whole_values.iloc[0].items() if pd.notna(v)} if len(whole_index) else {}
    return ImportPlan(
        rows=rows.reset_index(drop=True),
        values=values.reset_index(drop=True),
        whole=whole,
        indicators=list(mapping.indicators.values()),
        population=population,
        year=year,
        source=source,
        municipality_code=f"GM{own_digits}" if own_digits and not municipality_code else None,
        skipped=skipped,
    )


def _duplicates(rows: pd.DataFrame, filename: str) -> list[str]:
    problems = []
    for column, what in (("code", "de code"), ("name", "de naam")):
        seen: dict[str, list[tuple[int, str]]] = {}
        for row, value in zip(rows["row"], rows[column], strict=True):
            if value is None or (isinstance(value, float) and pd.isna(value)):
                continue
            key = str(value).casefold() if column == "name" else str(value)
            seen.setdefault(key, []).append((int(row), str(value)))
        for found in seen.values():
            if len(found) > 1:
                numbers = " en ".join(str(r) for r, _ in found[:3])
                problems.append(f"{filename}, rij {numbers}: {what} '{found[0][1]}' staat er meer dan eens in.")
    return problems


def _names_valid(rows: pd.DataFrame, filename: str) -> list[str]:
    problems = []
    for row, name in zip(rows["row"], rows["name"], strict=True):
        try:
            WijkIn.model_validate({"name": name})
        except ValidationError as exc:
            problems += [m.replace("Wijk, veld naam", f"{filename}, rij {row}, naam") for m in messages(exc, "Wijk")]
    return problems


def _match(rows: pd.DataFrame, units: pd.DataFrame, filename: str, problems: list[str]) -> tuple[list, list]:
    wijken = units[units["kind"] == UnitKind.WIJK.value]
    known = [c if isinstance(c, str) and c else None for c in wijken["cbs_code"]]
    by_code = {c: u for c, u in zip(known, wijken["unit"], strict=True) if c}
    by_name = {n.casefold(): (u, c) for n, u, c in zip(wijken["name"], wijken["unit"], known, strict=True)}
    unit_ids: list = []
    statuses: list[str] = []
    taken: dict[int, int] = {}
    name_of = unit_names(wijken)
    # 'Gemeente als geheel' is the municipality's own unit: a wijk cannot have its name
    reserved = {str(n).casefold() for n in units.loc[units["kind"] != UnitKind.WIJK.value, "name"]}
    for row, code, name in zip(rows["row"], rows["code"], rows["name"], strict=True):
        unit, status = None, "nieuw"
        if name.casefold() in reserved:
            problems.append(
                f"{filename}, rij {row}: '{name}' is de naam van de gemeente zelf in wijkmodel. "
                "Geef de wijk een andere naam."
            )
        elif code is not None and code in by_code:
            unit, status = by_code[code], "bestaand"
        elif name.casefold() in by_name:
            unit, existing_code = by_name[name.casefold()]
            status = "bestaand"
            if code is not None and existing_code and existing_code != code:
                problems.append(
                    f"{filename}, rij {row}: de wijk '{name}' heeft code {existing_code}, het bestand zegt {code}."
                )
            elif code is not None and not existing_code:
                status = "code"
        elif code is not None and not code.startswith("WK"):
            problems.append(f"{filename}, rij {row}: {code} is geen wijkcode.")
        if unit is not None:
            if unit in taken:
                problems.append(
                    f"{filename}, rij {taken[unit]} en rij {row} gaan allebei over de wijk '{name_of[unit]}'."
                )
            taken[unit] = row
        unit_ids.append(unit)
        statuses.append(status)
    return unit_ids, statuses


@dataclass(frozen=True)
class PreparedImport:
    """A checked plan, made before the write transaction, with what it was checked against."""

    municipality_id: int
    plan: ImportPlan
    basis: tuple[object, ...]
    """The municipality's name, CBS code and units as planned against (see `_basis`)."""
    raw: RawTable
    mapping: ColumnMapping

    def dry_run(self) -> ImportResult:
        """What the import would do, nothing saved (`--controleer`)."""
        new = int((self.plan.rows["status"] == "nieuw").sum())
        return ImportResult(new_wijken=new, wijken=len(self.plan.rows), values=0, lines=self.plan.summary())


def _basis(name: str, code: str | None, units: pd.DataFrame) -> tuple[object, ...]:
    """What a plan depends on: the municipality's name and code, and each unit's id, name, kind and code."""
    rows = zip(units["unit"], units["name"], units["kind"], units["cbs_code"], strict=True)
    return (name, code, tuple(sorted((int(u), str(n), str(k), c if isinstance(c, str) else "") for u, n, k, c in rows)))


def plan_against(
    raw: RawTable,
    mapping: ColumnMapping,
    *,
    municipality_id: int,
    municipality_name: str,
    municipality_code: str | None,
    units: pd.DataFrame,
    year: int,
    source: str,
) -> PreparedImport:
    """`plan_import` against units already read (columns unit, name, kind, cbs_code), kept for `save_import`."""
    plan = plan_import(
        raw,
        mapping,
        units=units,
        municipality_name=municipality_name,
        municipality_code=municipality_code,
        year=year,
        source=source,
    )
    basis = _basis(municipality_name, municipality_code, units)
    return PreparedImport(municipality_id=municipality_id, plan=plan, basis=basis, raw=raw, mapping=mapping)


def prepare_import(
    *, session: Session, municipality_id: int, raw: RawTable, mapping: ColumnMapping, year: int, source: str
) -> PreparedImport:
    """Read the municipality's wijken and check the table against them: call it in a read session,
    before the write transaction (InputError listing every problem)."""
    municipality = session.get(Municipality, municipality_id)
    if municipality is None:
        raise InputError(["Deze gemeente bestaat niet (meer)."])
    return plan_against(
        raw,
        mapping,
        municipality_id=municipality_id,
        municipality_name=municipality.name,
        municipality_code=municipality.cbs_code,
        units=load_units(session=session, municipality_id=municipality_id),
        year=year,
        source=source,
    )


def save_import(*, session: Session, prepared: PreparedImport) -> ImportResult:
    """Save a prepared import in the caller's write transaction: two small reads, then the writes.

    When the municipality or its wijken changed since the plan was made, it is planned again here
    first (with every check, the wijk limit included): nothing is saved against wijken it did not check."""
    municipality = session.get(Municipality, prepared.municipality_id)
    if municipality is None:
        raise InputError(["Deze gemeente bestaat niet (meer)."])
    plan = prepared.plan
    units = load_units(session=session, municipality_id=municipality.id)
    if _basis(municipality.name, municipality.cbs_code, units) != prepared.basis:
        plan = plan_import(
            prepared.raw,
            prepared.mapping,
            units=units,
            municipality_name=municipality.name,
            municipality_code=municipality.cbs_code,
            year=plan.year,
            source=plan.source,
        )
    stored = population_values(session=session, municipality_ids=[municipality.id], indicator=plan.population)
    (result,) = save_plans(session=session, saves=[PlannedSave(municipality, plan, stored)])
    return replace(result, lines=plan.summary())


def import_wijken(
    *,
    session: Session,
    municipality_id: int,
    raw: RawTable,
    mapping: ColumnMapping,
    year: int,
    source: str,
    dry_run: bool = False,
) -> ImportResult:
    """Check and save in the caller's transaction (with `dry_run`, only check and report).

    In a write transaction this plans while it holds the write lock; a caller with a session
    factory keeps the lock short with `prepare_import` (read session), then `save_import`."""
    prepared = prepare_import(
        session=session, municipality_id=municipality_id, raw=raw, mapping=mapping, year=year, source=source
    )
    return prepared.dry_run() if dry_run else save_import(session=session, prepared=prepared)


def default_source(filename: str, layout: str) -> str:
    """The source an import names when the user gives none: the CBS table, or the own file."""
    table = table_id_from(filename)
    if table:
        return f"CBS {table}"
    return f"CBS-bestand {filename}" if layout == "cbs" else f"eigen bestand {filename}"
