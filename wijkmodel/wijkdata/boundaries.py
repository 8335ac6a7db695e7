"""Wijk boundaries in the database: match a read boundary file to the wijken on CBS wijk code,
save the matches, load them for maps.

The flow a page follows: `boundary_file.read_boundaries` (the file on its own) ->
`match_boundaries` (against the wijken of one municipality; its `lines()` are the preview) ->
`save_boundaries` in the caller's transaction. A file that does not match raises `InputError`
listing every problem and changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import mapping
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import AccountRole, Unit, UnitGeometry, UnitKind, utcnow
from wijkmodel.wijkdata.boundary_file import GM_CODE, RD_NEW, WK_CODE, Boundaries, _refuse, _where

DECIMALS = 6
"""Stored coordinates are rounded to 6 decimals of a degree (about 10 cm)."""


@dataclass(frozen=True)
class BoundaryMatch:
    """A boundary that will be saved for a wijk."""

    unit: int
    unit_name: str
    code: str
    geometry: Any
    """shapely Polygon or MultiPolygon, WGS84."""


@dataclass(frozen=True)
class BoundaryPlan:
    """What saving a boundary file would do for one municipality (the preview)."""

    filename: str
    source_crs: str
    matches: tuple[BoundaryMatch, ...]
    other_municipality: int
    """Features of wijken of other municipalities: skipped (normal for the country-wide map)."""
    buurten: int
    """Buurt features: skipped."""
    repaired: int
    """Matched boundaries that were invalid and made valid."""
    without_boundary: tuple[str, ...]
    """Names of wijken the file holds no boundary for."""

    def lines(self) -> list[str]:
        """The preview in Dutch, one line per fact."""
        gets = "krijgt" if len(self.matches) == 1 else "krijgen"
        out = [f"{_wijken(len(self.matches))} {gets} een grens uit {self.filename}."]
        if self.source_crs == RD_NEW:
            out.append(
                "De plekken op de kaart staan in meters (RD New, EPSG:28992). wijkmodel zet ze om naar graden "
                "(WGS84: lengte- en breedtegraad)."
            )
        if self.repaired:
            verbs = "klopte niet helemaal en is" if self.repaired == 1 else "klopten niet helemaal en zijn"
            out.append(f"{_grenzen(self.repaired)} {verbs} hersteld.")
        if self.other_municipality:
            other = self.other_municipality
            out.append(f"{_grenzen(other)} van wijken in andere gemeenten {_skipped(other)}.")
        if self.buurten:
            out.append(f"{_grenzen(self.buurten)} van buurten (code BU) {_skipped(self.buurten)}.")
        if self.without_boundary:
            out.append("Zonder grens blijven: " + ", ".join(self.without_boundary) + ".")
        return out


def _wijken(n: int) -> str:
    return "1 wijk" if n == 1 else f"{n} wijken"


def _grenzen(n: int) -> str:
    return "1 grens" if n == 1 else f"{n} grenzen"


def _skipped(n: int) -> str:
    return "wordt overgeslagen" if n == 1 else "worden overgeslagen"


# --- matching -----------------------------------------------------------------------------------


def _own_prefixes(wijken: pd.DataFrame, municipality_code: str | None) -> set[str]:
    """The 4 digits that start the wijk codes of this municipality (WK + these + 2 digits).

    From the municipality's GM code; without one, from the codes of its wijken."""
    if municipality_code and GM_CODE.match(municipality_code.strip()):
        return {municipality_code.strip()[2:]}
    return {code[2:6] for code in wijken["cbs_code"] if isinstance(code, str) and WK_CODE.match(code)}


def match_boundaries(boundaries: Boundaries, units: pd.DataFrame, municipality_code: str | None) -> BoundaryPlan:
    """Match the boundaries to the municipality's wijken on CBS wijk code.

    `units`: columns unit, name, kind, cbs_code (as `frames.Frames.units`). A feature whose code is
    a wijk's code always matches. Other features of other municipalities (their code holds another
    GM number) are counted and skipped; a feature of this municipality that matches no wijk, a code
    that occurs twice, or no match at all is an error.
    """
    name = boundaries.filename
    wijken = units[units["kind"] == UnitKind.WIJK.value]
    by_code: dict[str, list[tuple[int, str]]] = {}
    for unit, unit_name, code in zip(wijken["unit"], wijken["name"], wijken["cbs_code"], strict=True):
        if isinstance(code, str) and code.strip():
            by_code.setdefault(code.strip(), []).append((int(unit), str(unit_name)))
    own = _own_prefixes(wijken, municipality_code)
    problems = [
        f"De wijken {' en '.join(n for _, n in owners)} hebben allebei CBS-code {code}. "
        "Geef elke wijk een eigen code en lees het bestand daarna opnieuw in."
        for code, owners in by_code.items()
        if len(owners) > 1
    ]
    mine = [f for f in boundaries.features if f.code in by_code or f.code[2:6] in own]
    other = len(boundaries.features) - len(mine)
    counts = Counter(f.code for f in mine)
    reported: set[str] = set()
    matches = []
    for feature in mine:
        if counts[feature.code] > 1:
            if feature.code not in reported:
                numbers = [str(f.number) for f in mine if f.code == feature.code]
                problems.append(
                    f"{name}, objecten {', '.join(numbers[:-1])} en {numbers[-1]}: "
                    f"wijkcode {feature.code} staat er meer dan één keer in."
                )
                reported.add(feature.code)
            continue
        owners = by_code.get(feature.code)
        if not owners:
            label = f" ('{feature.name}')" if feature.name else ""
            problems.append(
                f"{_where(name, feature.number, feature.code)}{label}: er is geen wijk met deze CBS-code. "
                "Geef de wijk deze code (pagina Start) of haal het object uit het bestand."
            )
            continue
        unit, unit_name = owners[0]
        matches.append(BoundaryMatch(unit, unit_name, feature.code, feature.geometry))
    if not problems and not matches:
        if not by_code:
            reason = "Geen van de wijken heeft een CBS-code (WK met 6 cijfers). Vul die eerst in."
        elif other:
            reason = f"Alle {other} wijkgrenzen in het bestand horen bij een andere gemeente."
        else:
            reason = "Geen enkele wijkcode in het bestand komt overeen met de CBS-code van een wijk."
        problems.append(f"{name}: geen enkele grens hoort bij een wijk van deze gemeente. {reason}")
    if problems:
        raise _refuse(problems)
    matched = {m.unit for m in matches}
    missing = tuple(sorted((str(n) for u, n in zip(wijken["unit"], wijken["name"], strict=True) if u not in matched)))
    repaired_codes = {f.code for f in mine if f.repaired}
    return BoundaryPlan(
        filename=name,
        source_crs=boundaries.source_crs,
        matches=tuple(sorted(matches, key=lambda m: m.unit_name.casefold())),
        other_municipality=other,
        buurten=boundaries.buurten,
        repaired=sum(m.code in repaired_codes for m in matches),
        without_boundary=tuple(sorted(missing, key=str.casefold)),
    )


# --- storage ------------------------------------------------------------------------------------


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, float | int):
        return round(float(coordinates), DECIMALS)
    return [_rounded(c) for c in coordinates]


def geometry_json(geometry: Any) -> str:
    """A shapely Polygon or MultiPolygon as compact GeoJSON text, coordinates rounded to 6 decimals."""
    shape = mapping(shapely.force_2d(geometry))
    return json.dumps({"type": shape["type"], "coordinates": _rounded(shape["coordinates"])}, separators=(",", ":"))


def save_boundaries(*, session: Session, municipality_id: int, plan: BoundaryPlan, source: str) -> int:
    """Write (or replace) the boundaries of the plan in the caller's transaction; the number written.

    Wijken the plan does not cover keep the boundary they had. One history row names the file."""
    ids = [m.unit for m in plan.matches]
    found = set(session.scalars(select(Unit.id).where(Unit.municipality_id == municipality_id, Unit.id.in_(ids))).all())
    if len(found) != len(set(ids)):
        raise InputError(["Een of meer wijken bestaan niet (meer) in deze gemeente. Lees het bestand opnieuw in."])
    in_municipality = select(Unit.id).where(Unit.municipality_id == municipality_id)
    before = session.scalar(
        select(func.count()).select_from(UnitGeometry).where(UnitGeometry.unit_id.in_(in_municipality))
    )
    existing = {g.unit_id: g for g in session.scalars(select(UnitGeometry).where(UnitGeometry.unit_id.in_(ids)))}
    now = utcnow()
    for match in plan.matches:
        text = geometry_json(match.geometry)
        row = existing.get(match.unit)
        if row is None:
            session.add(UnitGeometry(unit_id=match.unit, geometry=text, source=source[:200], updated_at=now))
        else:
            row.geometry, row.source, row.updated_at = text, source[:200], now
    after = (before or 0) + len(set(ids) - set(existing))
    old = f"{_wijken(before)} met een grens" if before else None
    new = f"{_wijken(after)} met een grens"
    if old == new:
        new += f" ({_grenzen(len(ids))} opnieuw ingelezen)"
    record(session=session, scope=Scope(municipality_id), kind="grenzen", subject=source, old=old, new=new)
    bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)
    session.flush()
    return len(plan.matches)


def load_geometries(*, session: Session, municipality_id: int) -> dict[int, dict[str, Any]]:
    """The saved boundaries of a municipality: unit id -> GeoJSON geometry (WGS84)."""
    rows = session.execute(
        select(UnitGeometry.unit_id, UnitGeometry.geometry)
        .join(Unit, Unit.id == UnitGeometry.unit_id)
        .where(Unit.municipality_id == municipality_id)
    ).all()
    return {int(unit): json.loads(text) for unit, text in rows}


def load_unit_geometries(*, session: Session, unit_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The saved boundaries of some units: unit id -> GeoJSON geometry (WGS84)."""
    rows = session.execute(
        select(UnitGeometry.unit_id, UnitGeometry.geometry).where(UnitGeometry.unit_id.in_(unit_ids))
    ).all()
    return {int(unit): json.loads(text) for unit, text in rows}
