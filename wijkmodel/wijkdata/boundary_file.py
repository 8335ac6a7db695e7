"""A wijk boundary file on its own: read and check a GeoJSON file of wijk boundaries.

Files come from PDOK or the CBS Wijk- en Buurtkaart (WGS84, or RD New / EPSG:28992, which is
transformed to WGS84 on import) or from the municipality's own GIS. Every check happens before
anything is matched or saved: a bad file raises `InputError` listing every problem.

`read_boundaries` is the first step of the flow in `wijk_boundaries` (match, then save).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon

from wijkmodel.storage.inputs import InputError

MAX_BYTES = 20 * 1024 * 1024
"""Largest file read (checked before parsing)."""
MAX_PROBLEMS = 50
"""At most this many problems are listed one by one; one more line counts the rest."""

WK_CODE = re.compile(r"^WK\d{6}$")
BU_CODE = re.compile(r"^BU\d{8}$")
GM_CODE = re.compile(r"^GM\d{4}$")
CODE_KEYS = ("statcode", "wijkcode", "wk_code", "code")
"""Where CBS and PDOK files keep the wijk code; preferred when a feature holds several WK codes."""
NAME_KEYS = ("statnaam", "wijknaam", "wk_naam", "naam", "name")
"""Where files keep the wijk name (first one present wins)."""

WGS84 = "WGS84"
RD_NEW = "RD New (EPSG:28992)"
NL_LON = (3.0, 7.5)
NL_LAT = (50.5, 53.8)
"""The Netherlands with a margin, in degrees (WGS84)."""
RD_X = (0.0, 300_000.0)
RD_Y = (300_000.0, 625_000.0)
"""Where RD New coordinates of the Netherlands lie, in metres."""
_WGS84_CODES = {4326, 4258}
"""EPSG codes read as longitude/latitude; ETRS89 (4258) differs from WGS84 by less than a metre."""
_RD_CODE = 28992

_TO_WGS84 = Transformer.from_crs(_RD_CODE, 4326, always_xy=True)
"""RD New -> WGS84 (longitude, latitude), built once per process."""


@dataclass(frozen=True)
class BoundaryFeature:
    """One wijk boundary read from a file, in WGS84."""

    number: int
    """Position in the file, from 1 (as messages name it)."""
    code: str
    """CBS wijk code, WK + 6 digits."""
    name: str
    """Name in the file ('' when it has none)."""
    geometry: Any
    """shapely Polygon or MultiPolygon, longitude/latitude."""
    repaired: bool
    """The shape was invalid (for example a ring crossing itself) and was made valid."""


@dataclass(frozen=True)
class Boundaries:
    """What a boundary file holds, read and checked on its own."""

    filename: str
    source_crs: str
    """`WGS84` or `RD_NEW`: the coordinate system of the file."""
    features: tuple[BoundaryFeature, ...]
    """The wijk features, in file order."""
    buurten: int
    """Features with a buurt code (BU): skipped."""


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], f"En nog {rest} problemen. Los eerst deze op en probeer het dan opnieuw."]


def _refuse(problems: list[str]) -> InputError:
    return InputError(_capped(problems))


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Raw:
    """A wijk feature before its coordinate system is known: rings as (n, 2) arrays."""

    number: int
    code: str
    name: str
    polygons: list[list[np.ndarray]]


def _where(filename: str, number: int, code: str | None = None) -> str:
    return f"{filename}, object {number}" + (f" ({code})" if code else "")


def _text_values(properties: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), v.strip()) for k, v in properties.items() if isinstance(v, str)]


def _wijk_code(values: list[tuple[str, str]]) -> tuple[str | None, bool]:
    """The wijk code of a feature, and whether its properties hold two different ones."""
    found = {k.casefold(): v for k, v in values if WK_CODE.match(v)}
    codes = set(found.values())
    if len(codes) <= 1:
        return next(iter(codes), None), False
    preferred = [found[k] for k in CODE_KEYS if k in found]
    if preferred:
        return preferred[0], False
    return None, True


def _name(properties: dict[str, Any]) -> str:
    by_key = {str(k).casefold(): v for k, v in properties.items()}
    for key in NAME_KEYS:
        value = by_key.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def _ring(ring: object) -> np.ndarray:
    """One ring as a finite (n, 2) float array; raises ValueError when it is not one."""
    array = np.asarray(ring, dtype=float)
    if array.ndim != 2 or array.shape[1] < 2 or array.shape[0] < 4:
        raise ValueError("ring")
    array = array[:, :2]
    if not np.isfinite(array).all():
        raise ValueError("ring")
    return array


def _polygons(geometry: dict[str, Any]) -> list[list[np.ndarray]]:
    """Polygon or MultiPolygon coordinates as lists of rings; raises ValueError when malformed."""
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ValueError("coordinates")
    parts = [coordinates] if geometry["type"] == "Polygon" else coordinates
    out = []
    for part in parts:
        if not isinstance(part, list) or not part:
            raise ValueError("polygon")
        out.append([_ring(ring) for ring in part])
    return out


def _crs_of(collection: dict[str, Any], filename: str) -> tuple[str | None, str | None]:
    """The coordinate system the `crs` member names: (WGS84 / RD_NEW / None when absent, problem)."""
    crs = collection.get("crs")
    if crs is None:
        return None, None
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None, None  # a crs member without a name says nothing; the coordinates will tell
    text = name.strip()[:100]
    if text.upper().endswith("CRS84"):
        return WGS84, None
    match = re.search(r"EPSG\D.*?(\d+)\s*$", text, flags=re.IGNORECASE)
    if match:
        code = int(match.group(1))
        if code == _RD_CODE:
            return RD_NEW, None
        if code in _WGS84_CODES:
            return WGS84, None
    return None, (
        f"{filename} gebruikt het coördinatenstelsel '{text}': zo staan de plekken op de kaart in het bestand. "
        "Dat kan wijkmodel niet lezen. Vraag om een bestand in graden (WGS84, EPSG:4326) of in meters "
        "(RD New, EPSG:28992)."
    )


def _inside(bounds: tuple[float, float, float, float], xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return xs[0] <= minx and maxx <= xs[1] and ys[0] <= miny and maxy <= ys[1]


def _bounds(raws: Iterable[_Raw]) -> tuple[float, float, float, float]:
    rings = [ring for raw in raws for polygon in raw.polygons for ring in polygon]
    stacked = np.concatenate(rings)
    return (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 0].max()),
        float(stacked[:, 1].max()),
    )


def _detect_crs(raws: list[_Raw], filename: str) -> tuple[str | None, str | None]:
    """The coordinate system the magnitudes of the coordinates fit: (WGS84 / RD_NEW, problem)."""
    bounds = _bounds(raws)
    if _inside(bounds, RD_X, RD_Y):
        return RD_NEW, None
    if _inside(bounds, NL_LAT, NL_LON):
        return None, (
            f"{filename}: lengtegraad en breedtegraad lijken omgedraaid. In GeoJSON staat de lengtegraad eerst "
            "(bijvoorbeeld 5,1 en dan 52,1)."
        )
    if _inside(bounds, (-180.0, 180.0), (-90.0, 90.0)):
        return WGS84, None
    return None, (
        f"{filename}: de plekken op de kaart passen niet bij WGS84 (graden: lengtegraad en breedtegraad) en ook "
        "niet bij RD New (meters, EPSG:28992). Sla het bestand op in een van die twee."
    )


def _to_wgs84(raws: list[_Raw]) -> None:
    """Transform every ring of `raws` from RD New to WGS84, in place, in one call to PROJ."""
    rings = [ring for raw in raws for polygon in raw.polygons for ring in polygon]
    stacked = np.concatenate(rings)
    lon, lat = _TO_WGS84.transform(stacked[:, 0], stacked[:, 1])
    lonlat = np.column_stack([lon, lat])
    pieces = iter(np.split(lonlat, np.cumsum([len(r) for r in rings])[:-1]))
    for raw in raws:
        raw.polygons = [[next(pieces) for _ in polygon] for polygon in raw.polygons]


def _polygonal(geometry: Any) -> Any:
    """The polygon parts of a geometry as one Polygon or MultiPolygon (None when there are none)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    polygons = [p for p in polygons if not p.is_empty and p.area > 0]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _shape(raw: _Raw) -> tuple[Any, bool]:
    """A valid shapely geometry of a feature (None when nothing usable is left) and whether it was repaired."""
    polygons = [Polygon(rings[0], rings[1:]) for rings in raw.polygons]
    geometry = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    if geometry.is_valid and geometry.area > 0:
        return geometry, False
    return _polygonal(shapely.make_valid(geometry)), True


def _collection(data: bytes, filename: str) -> dict[str, Any]:
    """The parsed FeatureCollection; raises InputError for a file that is not one."""
    if len(data) > MAX_BYTES:
        size = str(round(len(data) / 1024 / 1024, 1)).replace(".", ",")
        raise InputError(
            [
                f"{filename} is te groot ({size} MB). Het mag hoogstens {MAX_BYTES // 1024 // 1024} MB zijn. "
                "Tip: gebruik een bestand met alleen de wijken van uw gemeente, of een vereenvoudigde kaart."
            ]
        )
    if not data.strip():
        raise InputError([f"{filename} is leeg."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([f"{filename} is geen tekstbestand in UTF-8. Sla het op als GeoJSON."]) from exc
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"{filename} is geen GeoJSON: de tekst klopt niet op regel {exc.lineno}, teken {exc.colno}."]
        ) from exc
    except RecursionError as exc:
        raise InputError([f"{filename} is geen GeoJSON: de tekst is te diep genest."]) from exc
    kind = parsed.get("type") if isinstance(parsed, dict) else None
    if kind != "FeatureCollection" or not isinstance(parsed.get("features"), list):
        if kind == "Topology":
            found = "TopoJSON. Sla het bestand op als GeoJSON"
        elif kind == "Feature":
            found = "één los object (Feature)"
        elif isinstance(kind, str):
            found = f"'{kind[:40]}'"
        else:
            found = "geen type"
        raise InputError(
            [f"{filename} is geen verzameling van wijkgrenzen (GeoJSON FeatureCollection). Gevonden: {found}."]
        )
    if not parsed["features"]:
        raise InputError([f"{filename} bevat geen objecten."])
    return parsed


def _read_feature(feature: object, number: int, filename: str) -> tuple[_Raw | None, bool, list[str]]:
    """One feature: (the wijk feature or None, is it a buurt, problems)."""
    where = _where(filename, number)
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, False, [f"{where}: is geen GeoJSON-object (Feature)."]
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    values = _text_values(properties)
    if any(BU_CODE.match(v) for _, v in values):
        return None, True, []
    code, ambiguous = _wijk_code(values)
    problems = []
    if ambiguous:
        codes = ", ".join(sorted({v for _, v in values if WK_CODE.match(v)}))
        problems.append(f"{where}: heeft meer dan één wijkcode ({codes}). Laat er één over, in 'statcode'.")
    elif code is None:
        municipality = next((v for _, v in values if GM_CODE.match(v)), None)
        hint = f" Er staat wel een gemeentecode in ({municipality}): is dit een bestand met gemeentegrenzen?"
        problems.append(
            f"{where}: er staat geen wijkcode in (WK met 6 cijfers, zoals WK036301)." + (hint if municipality else "")
        )
    where = _where(filename, number, code)
    geometry = feature.get("geometry")
    polygons: list[list[np.ndarray]] = []
    if not isinstance(geometry, dict) or not geometry.get("type"):
        problems.append(f"{where}: heeft geen vorm (geometrie).")
    elif geometry["type"] not in ("Polygon", "MultiPolygon"):
        problems.append(
            f"{where}: heeft een vorm van het soort {str(geometry['type'])[:40]}. "
            "Alleen vlakken kunnen (Polygon of MultiPolygon)."
        )
    else:
        try:
            polygons = _polygons(geometry)
        except (ValueError, TypeError):
            problems.append(f"{where}: de coördinaten van de vorm kloppen niet (geen getallen, of te weinig punten).")
    if problems or code is None:
        return None, False, problems
    return _Raw(number, code, _name(properties), polygons), False, []


def read_boundaries(data: bytes, *, filename: str) -> Boundaries:
    """Read and check a GeoJSON file of wijk boundaries; every problem at once as `InputError`.

    Buurt features (BU code) are counted and skipped. RD New coordinates (named in the `crs`
    member, or recognised by their size) are transformed to WGS84; invalid shapes are made valid.
    """
    collection = _collection(data, filename)
    problems: list[tuple[int, str]] = []  # (feature number, message): shown in file order
    raws: list[_Raw] = []
    buurten = 0
    for number, feature in enumerate(collection["features"], start=1):
        raw, is_buurt, found = _read_feature(feature, number, filename)
        problems += [(number, message) for message in found]
        buurten += is_buurt
        if raw is not None:
            raws.append(raw)
    if not raws and not problems:
        only = " alleen buurten (code BU). Gebruik het bestand met wijken" if buurten else " geen wijkgrenzen"
        raise InputError([f"{filename} bevat{only}."])
    source_crs, crs_problem = _crs_of(collection, filename)
    if crs_problem:
        raise _refuse([crs_problem, *(message for _, message in problems)])
    if raws and source_crs is None:
        source_crs, crs_problem = _detect_crs(raws, filename)
        if crs_problem:
            raise _refuse([crs_problem, *(message for _, message in problems)])
    if source_crs == RD_NEW and raws:
        _to_wgs84(raws)
    features = []
    for raw in raws:
        where = _where(filename, raw.number, raw.code)
        bounds = _bounds([raw])
        if not _inside(bounds, NL_LON, NL_LAT):
            lon = f"{(bounds[0] + bounds[2]) / 2:.2f}".replace(".", ",")
            lat = f"{(bounds[1] + bounds[3]) / 2:.2f}".replace(".", ",")
            problems.append(
                (
                    raw.number,
                    f"{where}: ligt niet in Nederland (lengtegraad {lon}, breedtegraad {lat}). "
                    "Klopt het coördinatenstelsel van het bestand?",
                )
            )
            continue
        geometry, repaired = _shape(raw)
        if geometry is None:
            problems.append((raw.number, f"{where}: de vorm heeft geen oppervlakte of is niet te herstellen."))
            continue
        features.append(BoundaryFeature(raw.number, raw.code, raw.name, geometry, repaired))
    if problems:
        raise _refuse([message for _, message in sorted(problems, key=lambda p: p[0])])
    return Boundaries(filename=filename, source_crs=source_crs or WGS84, features=tuple(features), buurten=buurten)
