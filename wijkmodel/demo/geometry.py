"""Made-up wijk boundaries: the demo municipality Voorbeeldstad, and grids of wijken for tests.

Voorbeeldstad is a small town of about 4 x 3 km on the Veluwe, cut into its eight wijken like a
Voronoi diagram, its borders made to wander a little. Its file is written in RD New (EPSG:28992)
with a `crs` member, so loading the demo runs the same transform as a real RD file. The file is
generated, deterministically: `python -m wijkmodel.demo.geometry` writes it again.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon, mapping
from sqlalchemy.orm import Session

from wijkmodel.demo import facts
from wijkmodel.paths import DATA
from wijkmodel.storage.frames import load_frames
from wijkmodel.storage.tables import Municipality
from wijkmodel.wijkdata.boundaries import match_boundaries, save_boundaries
from wijkmodel.wijkdata.boundary_file import read_boundaries

DEMO_GEOMETRY_PATH = DATA / "demo" / "voorbeeldstad_wijken.geojson"
RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}

CENTRE = (182_500.0, 461_500.0)
"""Middle of the town in RD New (metres): made up, on the Veluwe."""
OUTLINE = [
    (-2000, -300),
    (-1850, 700),
    (-1400, 1350),
    (-600, 1500),
    (300, 1450),
    (1100, 1550),
    (1750, 1050),
    (2050, 250),
    (1900, -600),
    (1350, -1350),
    (400, -1500),
    (-500, -1400),
    (-1300, -1150),
    (-1800, -800),
]
"""The town's edge, in metres from the centre (about 4 km wide, 3 km high)."""
SEEDS = [
    (-1100, 800),  # De Hoven
    (-1400, -300),  # Oude Haven
    (-250, 250),  # Kerkebuurt
    (1300, 300),  # Molenwijk
    (450, 1050),  # Noorderpark
    (1050, -900),  # Het Ven
    (250, -550),  # Stationskwartier
    (-650, -1000),  # Zonnehoek
]
"""One point per wijk, in the order of `facts.WIJKEN`; each wijk is the land nearest its point."""
STEP = 80.0
"""Borders get a point every 80 m before they are made to wander."""


def _wander(xy: np.ndarray) -> np.ndarray:
    """A smooth displacement of up to about 70 m: straight borders become streets and brooks.

    The same point always moves the same way, so borders two wijken share stay shared; the field
    changes slowly (gradient well below 1), so no shape turns inside out."""
    x, y = xy[:, 0], xy[:, 1]
    dx = 45 * np.sin(x / 310 + 0.7) * np.cos(y / 420) + 20 * np.sin(y / 170 + 1.9)
    dy = 45 * np.sin(y / 350 + 2.1) * np.cos(x / 390) + 20 * np.sin(x / 190 + 0.4)
    return np.column_stack([x + dx, y + dy])


def demo_polygons() -> list[Any]:
    """The eight wijken as shapely Polygons in RD New, in the order of `facts.WIJKEN`."""
    outline = Polygon(OUTLINE)
    cells = shapely.voronoi_polygons(MultiPoint(SEEDS), extend_to=outline, ordered=True)
    out = []
    for cell in shapely.get_parts(cells):
        part = shapely.segmentize(cell.intersection(outline), STEP)
        ring = np.asarray(part.exterior.coords)
        moved = np.round(_wander(ring) + np.asarray(CENTRE), 1)
        out.append(shapely.orient_polygons(Polygon(moved), exterior_cw=False))
    return out


def _codes() -> list[tuple[str, str]]:
    return [(f"WK{facts.DEMO_CBS_CODE[2:]}{n:02d}", name) for n, (name, *_) in enumerate(facts.WIJKEN, start=1)]


def demo_feature_collection() -> dict[str, Any]:
    """The demo boundaries as a GeoJSON FeatureCollection in RD New, with its `crs` member."""
    features = []
    for (code, name), polygon in zip(_codes(), demo_polygons(), strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "statcode": code,
                    "statnaam": name,
                    "gemeentecode": facts.DEMO_CBS_CODE,
                    "gemeentenaam": facts.DEMO_NAME,
                },
                "geometry": {"type": "Polygon", "coordinates": json.loads(json.dumps(mapping(polygon)["coordinates"]))},
            }
        )
    return {"type": "FeatureCollection", "name": "voorbeeldstad_wijken", "crs": RD_CRS, "features": features}


def demo_geojson_text() -> str:
    """The demo file's text: one feature per line, so a change reads well in a diff."""
    collection = demo_feature_collection()
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    opening = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return opening + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_demo_file(path: Path = DEMO_GEOMETRY_PATH) -> Path:
    """Write the demo file (`python -m wijkmodel.demo.geometry`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(demo_geojson_text(), encoding="utf-8")
    return path


def add_demo_boundaries(*, session: Session, municipality_id: int, path: Path = DEMO_GEOMETRY_PATH) -> int:
    """Save the shipped demo boundaries for a municipality holding the demo wijken (in the caller's
    transaction), through the same checks as an uploaded file; the number of wijken given a boundary."""
    municipality = session.get(Municipality, municipality_id)
    code = municipality.cbs_code if municipality is not None else None
    boundaries = read_boundaries(path.read_bytes(), filename=path.name)
    units = load_frames(session=session, municipality_id=municipality_id).units
    plan = match_boundaries(boundaries, units, code)
    return save_boundaries(session=session, municipality_id=municipality_id, plan=plan, source=path.name)


# --- grids of made-up wijken, for tests and benchmarks ------------------------------------------

GRID_ORIGIN = (5.0, 52.0)
"""South-west corner of a synthetic grid (longitude, latitude): in the middle of the country."""
GRID_CELL = (0.012, 0.008)
"""Size of one grid cell in degrees (about 820 x 890 m)."""


def _grid_point(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Grid units -> longitude/latitude, bent a little so the wijken do not look like squares."""
    x = gx + 0.18 * np.sin(1.7 * gy + 0.9 * gx)
    y = gy + 0.18 * np.sin(1.3 * gx - 0.6 * gy + 1.0)
    return np.column_stack([GRID_ORIGIN[0] + x * GRID_CELL[0], GRID_ORIGIN[1] + y * GRID_CELL[1]])


def _edge(a: tuple[int, int], b: tuple[int, int], pieces: int) -> np.ndarray:
    """Points from grid node a up to (not including) b, computed the same way from either side."""
    if b < a:
        return np.vstack([np.asarray([a], dtype=float), _edge(b, a, pieces)[1:][::-1]])
    t = np.arange(pieces) / pieces
    return np.column_stack([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])])


def synthetic_boundaries(
    codes: list[str], names: list[str] | None = None, *, points_per_side: int = 12
) -> dict[str, Any]:
    """A WGS84 FeatureCollection of made-up wijken on a bent grid, one per code (`statcode`,
    `statnaam`), sharing their borders; each border has `points_per_side` points."""
    names = names or [f"Wijk {k}" for k in range(1, len(codes) + 1)]
    columns = max(1, math.ceil(math.sqrt(len(codes))))
    features = []
    for k, (code, name) in enumerate(zip(codes, names, strict=True)):
        row, col = divmod(k, columns)
        corners = [(col, row), (col + 1, row), (col + 1, row + 1), (col, row + 1)]
        grid = np.vstack([_edge(corners[i], corners[(i + 1) % 4], points_per_side) for i in range(4)])
        ring = _grid_point(grid[:, 0], grid[:, 1]).round(7)
        ring = np.vstack([ring, ring[:1]])
        features.append(
            {
                "type": "Feature",
                "properties": {"statcode": code, "statnaam": name},
                "geometry": {"type": "Polygon", "coordinates": [ring.tolist()]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    print(write_demo_file())
