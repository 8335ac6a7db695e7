"""Wijk boundaries: GeoJSON in WGS84 and RD New, refusals that change nothing, matching, storage, demo file."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wijkmodel.demo import municipality as demo
from wijkmodel.demo.geometry import (
    DEMO_GEOMETRY_PATH,
    add_demo_boundaries,
    demo_geojson_text,
    synthetic_boundaries,
)
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.frames import load_frames
from wijkmodel.storage.history import history
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality, revision
from wijkmodel.storage.tables import Change, UnitGeometry
from wijkmodel.storage.wijken import add_wijk
from wijkmodel.wijkdata.boundaries import BoundaryPlan, load_geometries, match_boundaries, save_boundaries
from wijkmodel.wijkdata.boundary_file import MAX_BYTES, MAX_PROBLEMS, RD_NEW, WGS84, read_boundaries

CODES = ["WK099901", "WK099902", "WK099903", "WK099904"]
NAMES = ["Noord", "Oost", "Zuid", "West"]
FILE = "wijken.geojson"
TO_RD = Transformer.from_crs(4326, 28992, always_xy=True)
METRES_PER_DEGREE = 111_320.0


# --- fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture
def memory_factory() -> sessionmaker:
    return make_sessionmaker(make_engine("sqlite://"))


@pytest.fixture
def testdorp(memory_factory: sessionmaker) -> tuple[sessionmaker, int]:
    """Testdorp (GM0999) with four wijken that have a CBS code and one, Centrum, without."""
    with memory_factory.begin() as session:
        municipality = create_municipality(session=session, name="Testdorp", cbs_code="GM0999")
        for code, name in zip(CODES, NAMES, strict=True):
            add_wijk(session=session, municipality_id=municipality.id, name=name, cbs_code=code)
        add_wijk(session=session, municipality_id=municipality.id, name="Centrum")
        return memory_factory, municipality.id


def wgs84_collection(codes: list[str] = CODES, names: list[str] = NAMES) -> dict[str, Any]:
    return synthetic_boundaries(codes, names)


def to_rd(collection: dict[str, Any], crs_name: str | None) -> dict[str, Any]:
    """The same collection in RD New, made with pyproj the other way round."""
    out = copy.deepcopy(collection)
    for feature in out["features"]:
        rings = feature["geometry"]["coordinates"]
        feature["geometry"]["coordinates"] = [
            np.column_stack(TO_RD.transform(*np.asarray(ring).T)).round(3).tolist() for ring in rings
        ]
    if crs_name:
        out["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return out


def encoded(collection: object) -> bytes:
    return json.dumps(collection).encode("utf-8")


def counts(session: Session, municipality_id: int) -> tuple[int, int, int]:
    """Boundaries, history rows and revision: what an import may change."""
    geometries = session.scalar(select(func.count()).select_from(UnitGeometry)) or 0
    changes = session.scalar(select(func.count()).select_from(Change)) or 0
    return geometries, changes, revision(session=session, municipality_id=municipality_id)


def import_file(factory: sessionmaker, municipality_id: int, data: bytes, filename: str = FILE) -> BoundaryPlan:
    """What the page does: read, match and save in one transaction."""
    with factory.begin() as session:
        boundaries = read_boundaries(data, filename=filename)
        units = load_frames(session=session, municipality_id=municipality_id).units
        plan = match_boundaries(boundaries, units, "GM0999")
        save_boundaries(session=session, municipality_id=municipality_id, plan=plan, source=filename)
        return plan


def feature(code: str | None, ring: Sequence[Sequence[object]] | None = None, **properties: object) -> dict[str, Any]:
    ring = ring or [[5.0, 52.0], [5.01, 52.0], [5.01, 52.01], [5.0, 52.01], [5.0, 52.0]]
    props = {"statcode": code, **properties} if code else dict(properties)
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def collection_of(*features: object) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


# --- coordinate systems ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "crs_name",
    ["EPSG:28992", "urn:ogc:def:crs:EPSG::28992", "http://www.opengis.net/def/crs/EPSG/0/28992", None],
    ids=["epsg", "urn", "uri", "no-crs-member"],
)
def test_rd_new_and_wgs84_files_give_the_same_boundaries_within_a_metre(crs_name: str | None) -> None:
    wgs = read_boundaries(encoded(wgs84_collection()), filename="wgs84.geojson")
    rd = read_boundaries(encoded(to_rd(wgs84_collection(), crs_name)), filename="rd.geojson")
    assert (wgs.source_crs, rd.source_crs) == (WGS84, RD_NEW)
    assert [(f.code, f.name) for f in rd.features] == [(f.code, f.name) for f in wgs.features]
    assert [(f.code, f.name) for f in wgs.features] == list(zip(CODES, NAMES, strict=True))
    for a, b in zip(wgs.features, rd.features, strict=True):
        assert shapely.hausdorff_distance(a.geometry, b.geometry) * METRES_PER_DEGREE < 1.0
        assert not a.repaired and not b.repaired


def test_rd_new_lands_where_the_national_reference_point_is() -> None:
    # RD (155000, 463000), the origin at Amersfoort, is 52.15517 N, 5.38721 E in ETRS89/WGS84
    square = [[154_500, 462_500], [155_500, 462_500], [155_500, 463_500], [154_500, 463_500], [154_500, 462_500]]
    data = encoded({**collection_of(feature("WK099901", square)), "crs": {"properties": {"name": "EPSG:28992"}}})
    centre = read_boundaries(data, filename=FILE).features[0].geometry.centroid
    assert abs(centre.x - 5.38721) * METRES_PER_DEGREE * 0.613 < 3
    assert abs(centre.y - 52.15517) * METRES_PER_DEGREE < 3


@pytest.mark.parametrize("crs_name", ["EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4258"])
def test_named_wgs84_is_read_as_longitude_latitude(crs_name: str) -> None:
    data = encoded({**wgs84_collection(), "crs": {"type": "name", "properties": {"name": crs_name}}})
    boundaries = read_boundaries(data, filename=FILE)
    assert boundaries.source_crs == WGS84
    assert 5.0 <= boundaries.features[0].geometry.centroid.x <= 5.1


def test_a_buurt_file_bom_and_z_values_are_read() -> None:
    ring = [[5.0, 52.0, 3.0], [5.01, 52.0, 3.0], [5.01, 52.01, 3.0], [5.0, 52.0, 3.0]]
    data = b"\xef\xbb\xbf" + encoded(collection_of(feature(None, ring, WK_CODE=" WK099901 ", WK_NAAM="Noord")))
    boundaries = read_boundaries(data, filename=FILE)
    (only,) = boundaries.features
    assert (only.code, only.name, only.geometry.has_z) == ("WK099901", "Noord", False)


# --- bad files: refused with every problem, nothing written ---------------------------------------

OUTSIDE = [[12.0, 41.0], [12.01, 41.0], [12.01, 41.01], [12.0, 41.0]]
SWAPPED = [[52.0, 5.0], [52.01, 5.0], [52.01, 5.01], [52.0, 5.0]]
MERCATOR = [[556_597.0, 6_800_125.0], [557_597.0, 6_800_125.0], [557_597.0, 6_801_125.0], [556_597.0, 6_800_125.0]]
TOO_BIG = b'{"type":"FeatureCollection","features":[' + b" " * MAX_BYTES + b"]}"
BAD_FILES: list[tuple[str, bytes, list[str]]] = [
    ("empty", b"", ["is leeg"]),
    ("only-spaces", b" \n\t ", ["is leeg"]),
    ("too-big", TOO_BIG, ["te groot (20,0 MB)"]),
    ("not-json", b'{"type": "FeatureCollection", "features": [}', ["geen GeoJSON: de tekst klopt niet op regel 1"]),
    ("not-utf8", '{"type": "FeatureCollection", "naam": "Ümmen"}'.encode("latin-1"), ["geen tekstbestand in UTF-8"]),
    ("a-list", b"[1, 2]", ["geen verzameling|Gevonden: geen type"]),
    ("one-feature", encoded(feature("WK099901")), ["één los object (Feature)"]),
    ("topojson", encoded({"type": "Topology", "objects": {}}), ["TopoJSON"]),
    ("no-features", encoded(collection_of()), ["bevat geen objecten"]),
    ("only-buurten", encoded(collection_of(feature("BU09990101"))), ["alleen buurten"]),
    (
        "missing-codes",
        encoded(collection_of(feature(None, naam="Noord"), feature("WK099902"), feature(None, gemeentecode="GM0999"))),
        ["object 1: er staat geen wijkcode in", "object 3: er staat geen wijkcode in|gemeentegrenzen"],
    ),
    (
        "wrong-geometries",
        encoded(
            collection_of(
                {"type": "Feature", "properties": {"statcode": "WK099901"}, "geometry": None},
                {
                    "type": "Feature",
                    "properties": {"statcode": "WK099902"},
                    "geometry": {"type": "Point", "coordinates": [5, 52]},
                },
                feature("WK099903", [[5.0, 52.0], ["a", 52.0], [5.0, 52.0], [5.0, 52.0]]),
                feature("WK099904", [[5.0, 52.0], [5.0, 52.0]]),
                "not a feature",
            )
        ),
        [
            "object 1 (WK099901): heeft geen vorm",
            "object 2 (WK099902): heeft een vorm van het soort Point",
            "object 3 (WK099903): de coördinaten van de vorm kloppen niet",
            "object 4 (WK099904): de coördinaten van de vorm kloppen niet",
            "object 5: is geen GeoJSON-object",
        ],
    ),
    (
        "outside-nl",
        encoded(
            collection_of(
                feature("WK099901"), feature("WK099902", OUTSIDE), feature(None, OUTSIDE), feature("WK099903", OUTSIDE)
            )
        ),
        [
            "object 2 (WK099902): ligt niet in Nederland",
            "object 3: er staat geen wijkcode in",
            "object 4 (WK099903): ligt niet in Nederland",
        ],
    ),
    (
        "swapped",
        encoded(collection_of(feature("WK099901", SWAPPED))),
        ["lengtegraad en breedtegraad lijken omgedraaid"],
    ),
    ("web-mercator-unnamed", encoded(collection_of(feature("WK099901", MERCATOR))), ["passen niet bij WGS84"]),
    (
        "web-mercator-named",
        encoded({**collection_of(feature("WK099901")), "crs": {"properties": {"name": "EPSG:3857"}}}),
        ["coördinatenstelsel 'EPSG:3857'"],
    ),
    (
        "no-area",
        encoded(collection_of(feature("WK099901", [[5.0, 52.0], [5.01, 52.0], [5.02, 52.0], [5.0, 52.0]]))),
        ["object 1 (WK099901): de vorm heeft geen oppervlakte"],
    ),
    (
        "two-codes",
        encoded(collection_of(feature(None, a="WK099901", b="WK099902"))),
        ["object 1: heeft meer dan één wijkcode (WK099901, WK099902)"],
    ),
    (
        "duplicate-code",
        encoded(collection_of(feature("WK099901"), feature("WK099902"), feature("WK099901"))),
        ["objecten 1 en 3: wijkcode WK099901 staat er meer dan één keer in"],
    ),
    (
        "unknown-code-and-duplicate",
        encoded(collection_of(feature("WK099909", naam="Nieuwbouw"), feature("WK099902"), feature("WK099902"))),
        [
            "object 1 (WK099909) ('Nieuwbouw'): er is geen wijk met deze CBS-code",
            "objecten 2 en 3: wijkcode WK099902 staat er meer dan één keer in",
        ],
    ),
    (
        "only-other-municipalities",
        encoded(collection_of(feature("WK036301"), feature("WK036302"))),
        ["geen enkele grens hoort bij een wijk van deze gemeente|Alle 2 wijkgrenzen"],
    ),
]


@pytest.mark.parametrize(("data", "expected"), [(d, e) for _, d, e in BAD_FILES], ids=[c for c, _, _ in BAD_FILES])
def test_a_bad_file_is_refused_with_every_problem_and_nothing_changes(
    testdorp: tuple[sessionmaker, int], data: bytes, expected: list[str]
) -> None:
    factory, municipality_id = testdorp
    import_file(factory, municipality_id, encoded(wgs84_collection()))
    with factory() as session:
        before = counts(session, municipality_id)
        saved = load_geometries(session=session, municipality_id=municipality_id)
    with pytest.raises(InputError) as caught:
        import_file(factory, municipality_id, data)
    problems = caught.value.problems
    assert len(problems) == len(expected), problems
    for problem, fragments in zip(problems, expected, strict=True):
        assert FILE in problem
        for fragment in fragments.split("|"):
            assert fragment in problem, problem
    with factory() as session:
        assert counts(session, municipality_id) == before
        assert load_geometries(session=session, municipality_id=municipality_id) == saved


def test_too_big_is_refused_before_it_is_read() -> None:
    # not even valid JSON: only its size is looked at
    with pytest.raises(InputError, match="te groot"):
        read_boundaries(b"x" * (MAX_BYTES + 1), filename=FILE)
    assert read_boundaries(encoded(wgs84_collection()), filename=FILE).features


def test_two_wijken_with_the_same_code_are_refused(testdorp: tuple[sessionmaker, int]) -> None:
    factory, municipality_id = testdorp
    with factory.begin() as session:
        add_wijk(session=session, municipality_id=municipality_id, name="Noord-West", cbs_code="WK099901")
    with pytest.raises(InputError, match="Noord en Noord-West hebben allebei CBS-code WK099901"):
        import_file(factory, municipality_id, encoded(wgs84_collection()))


def test_many_problems_are_listed_up_to_a_limit_with_a_count_of_the_rest() -> None:
    data = encoded(collection_of(*[feature(None, naam=f"Wijk {k}") for k in range(MAX_PROBLEMS + 7)]))
    with pytest.raises(InputError) as caught:
        read_boundaries(data, filename=FILE)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].startswith("En nog 7 problemen")


def test_a_plan_for_wijken_of_another_municipality_is_refused_and_writes_nothing(
    testdorp: tuple[sessionmaker, int],
) -> None:
    factory, municipality_id = testdorp
    with factory.begin() as session:
        other = create_municipality(session=session, name="Anderdorp", cbs_code="GM0998")
        add_wijk(session=session, municipality_id=other.id, name="Elders", cbs_code="WK099801")
        plan = match_boundaries(
            read_boundaries(encoded(wgs84_collection(["WK099801"], ["Elders"])), filename=FILE),
            load_frames(session=session, municipality_id=other.id).units,
            "GM0998",
        )
    with factory() as session:
        before = counts(session, municipality_id)
    with pytest.raises(InputError, match="bestaan niet"), factory.begin() as session:
        save_boundaries(session=session, municipality_id=municipality_id, plan=plan, source=FILE)
    with factory() as session:
        assert counts(session, municipality_id) == before


# --- matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize("municipality_code", ["GM0999", None], ids=["gm-code", "from-wijk-codes"])
def test_other_municipalities_and_buurten_are_skipped_and_counted(
    testdorp: tuple[sessionmaker, int], municipality_code: str | None
) -> None:
    factory, municipality_id = testdorp
    country = wgs84_collection([*CODES[:3], "WK036301", "WK036302", "WK099801"], [*NAMES[:3], "A", "B", "C"])
    buurt = feature("BU09990101", wijkcode="WK099901", buurtnaam="Noord-Oost")  # carries its wijk's code too
    country["features"] += [buurt, feature(None, BU_CODE="BU03630000", WK_CODE="WK036300")]
    with factory() as session:
        units = load_frames(session=session, municipality_id=municipality_id).units
    plan = match_boundaries(read_boundaries(encoded(country), filename=FILE), units, municipality_code)
    assert [m.code for m in plan.matches] == ["WK099901", "WK099902", "WK099903"]  # by wijk name: Noord, Oost, Zuid
    assert (plan.other_municipality, plan.buurten) == (3, 2)
    assert plan.without_boundary == ("Centrum", "West")
    lines = plan.lines()
    assert lines[0] == f"3 wijken krijgen een grens uit {FILE}."
    assert "3 grenzen van wijken in andere gemeenten worden overgeslagen." in lines
    assert "2 grenzen van buurten (code BU) worden overgeslagen." in lines
    assert lines[-1] == "Zonder grens blijven: Centrum, West."


def test_one_of_each_reads_as_one(testdorp: tuple[sessionmaker, int]) -> None:
    factory, municipality_id = testdorp
    collection = wgs84_collection(["WK099901", "WK036301"], ["Noord", "Elders"])
    collection["features"].append(feature("BU09990101"))
    with factory() as session:
        units = load_frames(session=session, municipality_id=municipality_id).units
    plan = match_boundaries(read_boundaries(encoded(collection), filename=FILE), units, "GM0999")
    assert plan.lines() == [
        f"1 wijk krijgt een grens uit {FILE}.",
        "1 grens van wijken in andere gemeenten wordt overgeslagen.",
        "1 grens van buurten (code BU) wordt overgeslagen.",
        "Zonder grens blijven: Centrum, Oost, West, Zuid.",
    ]


def test_a_wijk_keeps_its_code_from_before_a_merger(memory_factory: sessionmaker) -> None:
    with memory_factory.begin() as session:
        municipality = create_municipality(session=session, name="Samengevoegd", cbs_code="GM0999")
        add_wijk(session=session, municipality_id=municipality.id, name="Oud", cbs_code="WK099101")
        add_wijk(session=session, municipality_id=municipality.id, name="Nieuw", cbs_code="WK099901")
        units = load_frames(session=session, municipality_id=municipality.id).units
    collection = wgs84_collection(["WK099101", "WK099102", "WK099901"], ["Oud", "Buurman", "Nieuw"])
    plan = match_boundaries(read_boundaries(encoded(collection), filename=FILE), units, "GM0999")
    assert sorted(m.code for m in plan.matches) == ["WK099101", "WK099901"]
    assert plan.other_municipality == 1


def test_no_wijk_with_a_code_is_said_plainly(memory_factory: sessionmaker) -> None:
    with memory_factory.begin() as session:
        municipality = create_municipality(session=session, name="Zondercode")
        add_wijk(session=session, municipality_id=municipality.id, name="Noord")
        units = load_frames(session=session, municipality_id=municipality.id).units
    with pytest.raises(InputError, match="Geen van de wijken heeft een CBS-code"):
        match_boundaries(read_boundaries(encoded(wgs84_collection()), filename=FILE), units, None)


# --- saving and loading ---------------------------------------------------------------------------


def test_save_then_load_round_trips_with_history_and_revision(testdorp: tuple[sessionmaker, int]) -> None:
    factory, municipality_id = testdorp
    with factory() as session:
        _, _, revision_before = counts(session, municipality_id)
    plan = import_file(factory, municipality_id, encoded(to_rd(wgs84_collection(), "EPSG:28992")), "rd.geojson")
    with factory() as session:
        loaded = load_geometries(session=session, municipality_id=municipality_id)
        stored = session.scalars(select(UnitGeometry)).all()
        changes = history(session=session, municipality_id=municipality_id)
        _, _, revision_after = counts(session, municipality_id)
    assert sorted(loaded) == sorted(m.unit for m in plan.matches) and len(loaded) == 4
    for match in plan.matches:
        assert shapely.hausdorff_distance(shape(loaded[match.unit]), match.geometry) < 1e-6
    for row in stored:
        assert row.source == "rd.geojson"
        assert " " not in row.geometry  # compact
        assert all(len(d) <= 6 for d in re.findall(r"\.(\d+)", row.geometry))
        assert json.loads(row.geometry)["type"] == "Polygon"
    latest = changes.iloc[0]
    assert (latest["kind"], latest["subject"], latest["old"], latest["new"]) == (
        "grenzen",
        "rd.geojson",
        "leeg",
        "4 wijken met een grens",
    )
    assert revision_after == revision_before + 1


def test_a_second_file_replaces_boundaries_and_is_kept_in_the_history(testdorp: tuple[sessionmaker, int]) -> None:
    factory, municipality_id = testdorp
    import_file(factory, municipality_id, encoded(wgs84_collection(CODES[:2], NAMES[:2])), "eerst.geojson")
    moved = wgs84_collection(CODES[1:], NAMES[1:])
    for f in moved["features"]:
        f["geometry"]["coordinates"] = [[[x + 0.5, y] for x, y in f["geometry"]["coordinates"][0]]]
    import_file(factory, municipality_id, encoded(moved), "daarna.geojson")
    import_file(factory, municipality_id, encoded(moved), "daarna.geojson")
    with factory() as session:
        loaded = load_geometries(session=session, municipality_id=municipality_id)
        changes = history(session=session, municipality_id=municipality_id)
        names = dict(session.execute(select(UnitGeometry.unit_id, UnitGeometry.source)).all())
    assert len(loaded) == 4  # Noord kept from the first file, the other three from the second
    assert sorted(names.values()) == ["daarna.geojson"] * 3 + ["eerst.geojson"]
    grenzen = changes[changes["kind"] == "grenzen"]
    assert list(zip(grenzen["old"], grenzen["new"], strict=True)) == [
        ("4 wijken met een grens", "4 wijken met een grens (3 grenzen opnieuw ingelezen)"),
        ("2 wijken met een grens", "4 wijken met een grens"),
        ("leeg", "2 wijken met een grens"),
    ]
    oost = next(m for m in loaded.values() if shape(m).centroid.x > 5.4)
    assert oost["type"] == "Polygon"


def test_an_invalid_shape_is_made_valid_and_counted(testdorp: tuple[sessionmaker, int]) -> None:
    factory, municipality_id = testdorp
    bow_tie = [[5.0, 52.0], [5.02, 52.02], [5.02, 52.0], [5.0, 52.02], [5.0, 52.0]]
    plan = import_file(factory, municipality_id, encoded(collection_of(feature("WK099901", bow_tie))))
    assert plan.repaired == 1
    assert "1 grens klopte niet helemaal en is hersteld." in plan.lines()
    with factory() as session:
        (saved,) = load_geometries(session=session, municipality_id=municipality_id).values()
    geometry = shape(saved)
    assert geometry.is_valid and geometry.geom_type == "MultiPolygon" and len(geometry.geoms) == 2


# --- the demo file and synthetic grids ------------------------------------------------------------


def test_the_shipped_demo_file_is_what_the_generator_writes() -> None:
    assert DEMO_GEOMETRY_PATH.read_text(encoding="utf-8") == demo_geojson_text()


def test_the_demo_file_is_rd_new_and_its_wijken_fit_together() -> None:
    data = DEMO_GEOMETRY_PATH.read_bytes()
    assert json.loads(data)["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    boundaries = read_boundaries(data, filename=DEMO_GEOMETRY_PATH.name)
    assert boundaries.source_crs == RD_NEW
    expected = [(f"WK9999{n:02d}", name) for n, (name, *_) in enumerate(demo.WIJKEN, start=1)]
    assert [(f.code, f.name) for f in boundaries.features] == expected
    assert not any(f.repaired for f in boundaries.features)
    shapes = [f.geometry for f in boundaries.features]
    town = shapely.union_all(shapes)
    assert town.geom_type == "Polygon" and not town.interiors  # shared borders: no gaps, no slivers
    assert sum(s.area for s in shapes) == pytest.approx(town.area, rel=1e-4)  # and no overlaps
    minx, miny, maxx, maxy = town.bounds
    width_km = (maxx - minx) * METRES_PER_DEGREE * np.cos(np.radians(miny)) / 1000
    height_km = (maxy - miny) * METRES_PER_DEGREE / 1000
    assert 3.5 < width_km < 4.8 and 2.6 < height_km < 3.6


def test_the_demo_boundaries_load_onto_the_demo_wijken(memory_factory: sessionmaker) -> None:
    with memory_factory.begin() as session:
        municipality = create_municipality(session=session, name=demo.DEMO_NAME, cbs_code=demo.DEMO_CBS_CODE)
        for n, (name, *_) in enumerate(demo.WIJKEN, start=1):
            add_wijk(session=session, municipality_id=municipality.id, name=name, cbs_code=f"WK9999{n:02d}")
        assert add_demo_boundaries(session=session, municipality_id=municipality.id) == 8
    with memory_factory() as session:
        assert len(load_geometries(session=session, municipality_id=municipality.id)) == 8


@pytest.mark.parametrize("n", [1, 7, 100])
def test_synthetic_wijken_share_their_borders(n: int) -> None:
    codes = [f"WK0999{k:02d}" for k in range(n)]
    boundaries = read_boundaries(encoded(synthetic_boundaries(codes)), filename="grid.geojson")
    shapes = [f.geometry for f in boundaries.features]
    assert [f.code for f in boundaries.features] == codes
    assert not any(f.repaired for f in boundaries.features)
    union = shapely.union_all(shapes)
    assert union.geom_type == "Polygon"
    assert sum(s.area for s in shapes) == pytest.approx(union.area, rel=1e-6)
