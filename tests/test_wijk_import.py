"""Importing wijken and their indicators: reading Dutch CSV/Excel files, guessing the columns, CBS
files of different years, all-or-nothing refusals, matching existing wijken, and files we refuse.

Every fixture file is built here, in memory, from one logical table per case."""

from __future__ import annotations

import csv
import functools
import io
import random
import signal
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from types import FrameType
from typing import Any, Literal, NoReturn, cast

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.properties import assert_dutch
from wijkmodel.demo.facts import WIJKEN
from wijkmodel.demo.municipality import add_demo
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.frames import load_frames
from wijkmodel.storage.history import EMPTY
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.tables import Base, Change, IndicatorValue, Municipality, Unit
from wijkmodel.storage.wijken import add_wijk
from wijkmodel.wijkdata.import_save import ImportResult
from wijkmodel.wijkdata.mapping import ColumnMapping, guess_mapping, mapping_problems, table_id_from, year_from
from wijkmodel.wijkdata.plan import ImportPlan
from wijkmodel.wijkdata.table_files import (
    MAX_BYTES,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_RATIO,
    NumberStyle,
    RawTable,
    parse_number,
    read_table,
)
from wijkmodel.wijkdata.wijk_import import (
    PreparedImport,
    import_wijken,
    plan_import,
    prepare_import,
    save_import,
)

DEMO = "Voorbeeldstad"
WHOLE = "Gemeente als geheel"
CODE_OF = {name: f"WK9999{number:02d}" for number, (name, *_) in enumerate(WIJKEN, start=1)}

# --- building files -------------------------------------------------------------------------------


def _number_text(value: float, style: str) -> str:
    """A number as Excel writes it as text: 12.345,6 (nl) or 12,345.6 (en)."""
    text = format(value, ",")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if style == "nl" else text


def _cell_text(value: object, style: str) -> str:
    if value is None:
        return "." if style == "nl" else ""
    if isinstance(value, int | float):
        return _number_text(value, style)
    return str(value)


def _csv_bytes(
    header: list[str],
    rows: list[tuple[Any, ...]],
    *,
    sep: str = ";",
    style: str = "nl",
    encoding: str = "utf-8",
    newline: str = "\r\n",
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL,
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline, quoting=quoting)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell_text(v, style) for v in row])
    return buffer.getvalue().encode(encoding)


def _xlsx_bytes(rows: list[list[Any]], *, title: str = "Blad1") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_table(header: list[str], rows: list[tuple[Any, ...]], *, numbers_as_text: bool) -> bytes:
    body = [[_cell_text(v, "nl") for v in row] for row in rows] if numbers_as_text else [list(row) for row in rows]
    return _xlsx_bytes([header, *body])


def _edit_xlsx(data: bytes, member: str, edit: Callable[[str], str]) -> bytes:
    """The same .xlsx with one part changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename).decode("utf-8")
            target.writestr(info.filename, edit(body) if info.filename == member else body)
    assert member in source.namelist()
    return out.getvalue()


# --- databases: the demo built once, copied per test (in memory) -----------------------------------


@pytest.fixture(scope="module")
def demo_template(model: MaturityModel) -> Iterator[tuple[Any, int]]:
    engine = make_engine("sqlite://")
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        municipality_id = add_demo(session=session, model=model).id
    raw = engine.raw_connection()
    yield raw.driver_connection, municipality_id
    raw.close()
    engine.dispose()


Db = tuple[Sessions, int]  # a session factory and the id of a municipality in it


@pytest.fixture
def demo(demo_template: tuple[Any, int]) -> Iterator[Db]:
    """(session factory, municipality id) of a fresh copy of Voorbeeldstad."""
    template, municipality_id = demo_template
    engine = make_engine("sqlite://")
    raw = engine.raw_connection()
    template.backup(raw.driver_connection)
    raw.close()
    yield make_sessionmaker(engine), municipality_id
    engine.dispose()


@pytest.fixture
def testdorp() -> Iterator[Db]:
    """A municipality without a CBS code and without wijken."""
    engine = make_engine("sqlite://")
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        municipality_id = create_municipality(session=session, name="Testdorp").id
    yield factory, municipality_id
    engine.dispose()


def _import(
    factory: Sessions, municipality_id: int, data: bytes, filename: str, *, year: int = 2023, source: str = "test"
) -> ImportResult:
    raw = read_table(data, filename=filename)
    with factory.begin() as session:
        return import_wijken(
            session=session,
            municipality_id=municipality_id,
            raw=raw,
            mapping=guess_mapping(raw),
            year=year,
            source=source,
        )


def _plan(factory: Sessions, municipality_id: int, data: bytes, filename: str, *, year: int = 2023) -> ImportPlan:
    raw = read_table(data, filename=filename)
    with factory() as session:
        municipality = session.get(Municipality, municipality_id)
        assert municipality is not None
        units = load_frames(session=session, municipality_id=municipality_id).units
        return plan_import(
            raw,
            guess_mapping(raw),
            units=units,
            municipality_name=municipality.name,
            municipality_code=municipality.cbs_code,
            year=year,
            source="test",
        )


def _indicators(factory: Sessions, municipality_id: int) -> pd.DataFrame:
    """The stored indicator values with unit names: unit, indicator, year, value, source."""
    with factory() as session:
        frames = load_frames(session=session, municipality_id=municipality_id)
    names = frames.units.set_index("unit")["name"]
    table = frames.indicators.assign(unit=frames.indicators["unit"].map(names))
    return table.sort_values(["unit", "indicator", "year"]).reset_index(drop=True)


def _units(factory: Sessions, municipality_id: int) -> list[tuple[str, str, str | None, int | None]]:
    with factory() as session:
        rows = session.execute(
            select(Unit.name, Unit.kind, Unit.cbs_code, Unit.population).where(Unit.municipality_id == municipality_id)
        ).all()
    return sorted(((name, kind, code, population) for name, kind, code, population in rows), key=repr)


def _dump(factory: Sessions) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    with factory() as session:
        return {
            table.name: sorted((tuple(r) for r in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }


def _expected(rows: list[tuple[str, str, int, float, str]]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["unit", "indicator", "year", "value", "source"])
    return table.sort_values(["unit", "indicator", "year"]).reset_index(drop=True)


def _with(before: pd.DataFrame, added: pd.DataFrame) -> pd.DataFrame:
    """The values stored before plus the ones an import adds, in the order of `_indicators`."""
    return _expected([tuple(r) for t in (before, added) for r in t.itertuples(index=False, name=None)])


def _assert_same_values(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=True)


# --- Dutch files as they come out of Excel: every variant gives the same import ---------------------

OWN_HEADER = ["code", "naam", "Inwoners", "Inkomen (€)", "Jongeren met jeugdzorg (%)", "Verandering"]
OWN_ROWS: list[tuple[Any, ...]] = [
    ("GM9999", DEMO, 61234, 23456.7, 9.5, 0.25),
    ("WK999901", "De Hoven", 8412, 12345.6, 12.5, -3.25),
    ("WK999902", "Oude Haven", 5230, 1234567.8, None, 0.5),
    ("WK999903", "Kerkebuurt", 3105, 21000, 7.25, None),
    ("WK999909", "Hoogeveen-Zuid é ë", 1205, 9876.5, 10.0, -0.75),
    ("WK999910", "Buitengebied, noord", 310, 45678, 3.5, 1.0),
]
OWN_KEYS = OWN_HEADER[2:]


def _own_expected(year: int = 2023, source: str = "test") -> pd.DataFrame:
    rows = []
    for code, name, *values in OWN_ROWS:
        unit = WHOLE if code.startswith("GM") else name
        rows += [(unit, k, year, float(v), source) for k, v in zip(OWN_KEYS, values, strict=True) if v is not None]
    return _expected(rows)


NEW_POPULATION = {"De Hoven": 8412, "Oude Haven": 5230, "Kerkebuurt": 3105}
NEW_WIJKEN = [("Hoogeveen-Zuid é ë", "wijk", "WK999909", 1205), ("Buitengebied, noord", "wijk", "WK999910", 310)]


def _own_units_after(before: list[tuple[str, str, str | None, int | None]]) -> list[tuple[Any, ...]]:
    """Units after importing OWN_ROWS: two new wijken, inhabitants of the three wijken in the file updated."""
    updated = [(n, k, c, NEW_POPULATION.get(n, p)) for n, k, c, p in before]
    return sorted([*updated, *NEW_WIJKEN], key=repr)


def _variant(**options: Any) -> Callable[[], bytes]:
    return lambda: _csv_bytes(OWN_HEADER, OWN_ROWS, **options)


EXCEL_VARIANTS = [
    pytest.param("wijken.csv", _variant(encoding="cp1252"), id="semicolon-cp1252-crlf"),
    pytest.param("wijken.csv", _variant(encoding="utf-8", newline="\n"), id="semicolon-utf8-lf"),
    pytest.param("wijken.csv", _variant(encoding="utf-8-sig"), id="semicolon-utf8bom-crlf"),
    pytest.param("wijken.csv", _variant(quoting=csv.QUOTE_ALL, encoding="cp1252", newline="\n"), id="semicolon-quoted"),
    pytest.param("wijken.csv", _variant(sep=",", style="en", newline="\n"), id="comma-utf8-lf"),
    pytest.param("wijken.csv", _variant(sep=",", style="en", encoding="utf-8-sig"), id="comma-utf8bom-crlf"),
    pytest.param("wijken.csv", _variant(sep=",", style="en", encoding="cp1252"), id="comma-cp1252-crlf"),
    pytest.param("wijken.txt", _variant(sep="\t", style="nl", encoding="cp1252"), id="tab-nl-cp1252-crlf"),
    pytest.param("wijken.txt", _variant(sep="\t", style="en", newline="\n"), id="tab-en-utf8-lf"),
    pytest.param("wijken.xlsx", lambda: _xlsx_table(OWN_HEADER, OWN_ROWS, numbers_as_text=False), id="xlsx-numbers"),
    pytest.param("wijken.xlsx", lambda: _xlsx_table(OWN_HEADER, OWN_ROWS, numbers_as_text=True), id="xlsx-dutch-text"),
]


@pytest.mark.parametrize(("filename", "build"), EXCEL_VARIANTS)
def test_every_excel_variant_imports_the_same(demo: Db, filename: str, build: Callable[[], bytes]) -> None:
    factory, mid = demo
    values, units = _indicators(factory, mid), _units(factory, mid)
    result = _import(factory, mid, build(), filename)
    assert (result.new_wijken, result.wijken) == (2, 5)
    _assert_same_values(_indicators(factory, mid), _with(values, _own_expected()))
    assert _units(factory, mid) == _own_units_after(units)


def test_the_encoding_variants_really_differ() -> None:
    """The fixtures are what they claim: the same table, in different bytes."""
    variants = {p.id: cast("Callable[[], bytes]", p.values[1])() for p in EXCEL_VARIANTS}
    assert len(set(variants.values())) == len(variants)
    assert "Hoogeveen-Zuid \xe9 \xeb".encode("cp1252") in variants["semicolon-cp1252-crlf"]
    assert b"\x80" in variants["semicolon-cp1252-crlf"]  # € in cp1252
    assert variants["semicolon-utf8bom-crlf"].startswith(b"\xef\xbb\xbf")
    assert b"12.345,6" in variants["semicolon-utf8-lf"] and b'"12,345.6"' in variants["comma-utf8-lf"]
    assert b'"Buitengebied, noord"' in variants["comma-utf8-lf"]


def test_dutch_tab_separated_file_with_whole_numbers_only(demo: Db) -> None:
    """Dutch Excel saving 'Tekst (tab-gescheiden)': thousands with a dot, no decimals anywhere."""
    factory, mid = demo
    data = _csv_bytes(["code", "naam", "Inwoners"], [("WK999901", "De Hoven", 8412)], sep="\t", style="nl")
    assert b"8.412" in data
    plan = _plan(factory, mid, data, "wijken.txt")
    assert plan.values["Inwoners"].tolist() == [8412.0]


# --- CBS Kerncijfers wijken en buurten, two years with different column suffixes ---------------------

FIRST, NEXT = 2027, 2028
"""Two made-up CBS years, later than the demo's own figures (so the inhabitants rule shows)."""
CBS_YEARS: dict[int, dict[str, Any]] = {
    FIRST: {
        "filename": f"kerncijfers_85318NED_{FIRST}.csv",
        "columns": ["AantalInwoners_5", "JongerenMetJeugdzorgInNatura_91"],
        "name_column": True,
        "rows": [
            ("NL01", "Nederland", "Land", "Nederland", 17811291, 10.1),
            ("GM9999", DEMO, "Gemeente", DEMO, 52100, 9.5),
            ("WK999901", DEMO, "Wijk", "De Hoven", 8450, 12.3),
            ("BU99990101", DEMO, "Buurt", "Hovenhof", 4010, 11.0),
            ("WK999902", DEMO, "Wijk", "Oude Haven", 5210, None),
            ("BU99990201", DEMO, "Buurt", "Kade", 2600, 4.5),
            ("WK999903", DEMO, "Wijk", "Kerkebuurt", 3105, 7.25),
            ("GM0123", "Anderdorp", "Gemeente", "Anderdorp", 20000, 8.0),
            ("WK012301", "Anderdorp", "Wijk", "Centrum", 9000, 8.5),
            ("BU01230101", "Anderdorp", "Buurt", "Kern", 4500, 8.1),
        ],
        "skipped": {"rijen van andere gemeenten": 3, "buurten": 2, "de rij van heel Nederland": 1},
    },
    NEXT: {
        "filename": f"kerncijfers_85618NED_{NEXT}.csv",
        "columns": ["JongerenMetJeugdzorgInNatura_93", "AantalInwoners_6"],
        "name_column": False,
        "rows": [
            ("GM9999", DEMO, "Gemeente", DEMO, 9.75, 52800),
            ("WK999901", DEMO, "Wijk", "De Hoven", 12.1, 8470),
            ("BU99990101", DEMO, "Buurt", "Hovenhof", 11.0, 4020),
            ("WK999902", DEMO, "Wijk", "Oude Haven", 6.5, 5190),
            ("WK999903", DEMO, "Wijk", "Kerkebuurt", None, 3120),
            ("GM0123", "Anderdorp", "Gemeente", "Anderdorp", 8.0, 20100),
            ("WK012301", "Anderdorp", "Wijk", "Centrum", 8.6, 9050),
        ],
        "skipped": {"rijen van andere gemeenten": 2, "buurten": 1},
    },
}


def _cbs_file(year: int, *, change: Callable[[list[list[Any]]], None] | None = None) -> tuple[str, bytes]:
    """A CBS typed data set as CSV: codes and names padded with spaces, every field quoted."""
    spec = CBS_YEARS[year]
    header = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3"]
    header += ["IndelingswijzigingWijkenEnBuurten_4"] + (["Wijknaam"] if spec["name_column"] else [])
    header += spec["columns"]
    rows = []
    for number, (code, town, kind, name, *values) in enumerate(spec["rows"]):
        row = [number, code.ljust(10), town.ljust(40), kind.ljust(10), code.ljust(10), 1]
        row += [name] if spec["name_column"] else []
        rows.append(row + list(values))
    if change:
        change(rows)
    return spec["filename"], _csv_bytes(header, [tuple(r) for r in rows], quoting=csv.QUOTE_ALL)


def _cbs_expected(*years: int) -> pd.DataFrame:
    key_of = {"AantalInwoners": 0, "JongerenMetJeugdzorgInNatura": 1}
    rows = []
    for year in years:
        spec = CBS_YEARS[year]
        order = [c.rsplit("_", 1)[0] for c in spec["columns"]]
        for code, town, _, _name, *values in spec["rows"]:
            if town != DEMO or code.startswith("BU"):
                continue
            unit = WHOLE if code.startswith("GM") else {v: k for k, v in CODE_OF.items()}[code]
            by_key = dict(zip(order, values, strict=True))
            source = f"CBS {table_id_from(spec['filename'])}"
            rows += [(unit, k, year, float(by_key[k]), source) for k in key_of if by_key[k] is not None]
    return _expected(rows)


def test_cbs_files_of_two_years_give_the_same_indicator_keys(demo: Db) -> None:
    factory, mid = demo
    before = _indicators(factory, mid)
    for year in (FIRST, NEXT):
        filename, data = _cbs_file(year)
        assert year_from(filename) == year
        _import(factory, mid, data, filename, year=year, source=f"CBS {table_id_from(filename)}")
    got = _indicators(factory, mid)
    _assert_same_values(got, _with(before, _cbs_expected(FIRST, NEXT)))
    new = got[got["year"].isin([FIRST, NEXT])]
    assert set(new["indicator"]) == {"AantalInwoners", "JongerenMetJeugdzorgInNatura"}
    assert set(new.loc[new["unit"] == WHOLE, "year"]) == {FIRST, NEXT}
    # nothing of buurten, other municipalities or the country; no new wijken
    assert len(_units(factory, mid)) == 1 + len(WIJKEN)


@pytest.mark.parametrize("year", sorted(CBS_YEARS))
def test_cbs_plan_skips_buurten_and_other_municipalities(demo: Db, year: int) -> None:
    factory, mid = demo
    filename, data = _cbs_file(year)
    plan = _plan(factory, mid, data, filename, year=year)
    assert plan.skipped == CBS_YEARS[year]["skipped"]
    assert plan.rows["code"].tolist() == ["WK999901", "WK999902", "WK999903"]
    assert plan.rows["status"].tolist() == ["bestaand"] * 3
    assert plan.rows["row"].tolist() == [
        n + 2 for n, r in enumerate(CBS_YEARS[year]["rows"]) if r[1] == DEMO and r[0].startswith("WK")
    ]
    gm = next(r for r in CBS_YEARS[year]["rows"] if r[0] == "GM9999")
    assert sorted(plan.whole.values()) == sorted(float(v) for v in gm[4:])
    assert plan.population == "AantalInwoners"
    assert plan.municipality_code is None  # the demo has its code already
    summary = "\n".join(plan.summary())
    assert "Gemeente als geheel" in summary and "Overgeslagen, buurten" in summary


def test_cbs_code_is_learnt_from_the_municipality_column(testdorp: Db) -> None:
    factory, mid = testdorp

    def rename(rows: list[list[Any]]) -> None:
        for row in rows:
            if row[2].strip() == DEMO:
                row[2] = "Testdorp".ljust(40)

    filename, data = _cbs_file(FIRST, change=rename)
    _import(factory, mid, data, filename, year=FIRST)
    with factory() as session:
        municipality = session.get(Municipality, mid)
        assert municipality is not None and municipality.cbs_code == "GM9999"
    units = _units(factory, mid)
    assert sorted(str(u[2]) for u in units if u[1] == "wijk") == ["WK999901", "WK999902", "WK999903"]
    assert ("De Hoven", "wijk", "WK999901", 8450) in units


def test_cbs_file_without_this_municipality_is_refused(demo: Db) -> None:
    factory, mid = demo

    def others_only(rows: list[list[Any]]) -> None:
        rows[:] = [r for r in rows if r[2].strip() == "Anderdorp"]

    filename, data = _cbs_file(FIRST, change=others_only)
    before = _dump(factory)
    with pytest.raises(InputError) as caught:
        _import(factory, mid, data, filename)
    assert caught.value.problems == [f"{filename} heeft geen wijken van {DEMO}. Gemeenten in het bestand: Anderdorp."]
    assert _dump(factory) == before


def test_cbs_file_of_other_municipalities_is_refused_without_a_code(testdorp: Db) -> None:
    """Testdorp has no CBS code yet and is not in the file: its wijken must not become Testdorp's."""
    factory, mid = testdorp

    def wijken_of_others(rows: list[list[Any]]) -> None:
        rows[:] = [r for r in rows if r[3].strip() == "Wijk"]

    filename, data = _cbs_file(FIRST, change=wijken_of_others)
    before = _dump(factory)
    with pytest.raises(InputError) as caught:
        _import(factory, mid, data, filename)
    assert any("geen wijken van Testdorp" in p for p in caught.value.problems), caught.value.problems
    assert _dump(factory) == before


# --- all or nothing: every problem listed by row and column, nothing changes ----------------------

OWN_FILE = "wijken 2023.csv"
ERROR_HEADER = "code;naam;Inwoners;Inkomen (€)\r\n"
ERRORS = [
    pytest.param(
        "WK999901;De Hoven;8.412;12.345,6\r\nWK12;Oude Haven;5.230;1.000\r\n",
        ["rij 3, kolom 'code': 'WK12' is geen CBS-code"],
        id="unknown-code-format",
    ),
    pytest.param(
        "WK999901;De Hoven;veel;12.345,6\r\nWK999902;Oude Haven;5.230;1.000\r\n",
        ["rij 2, kolom 'Inwoners': 'veel' is geen getal"],
        id="text-in-number-column",
    ),
    pytest.param(
        "WK999901;De Hoven;1;1\r\nWK999902;Oude Haven;2;2\r\nWK999901;Kerkebuurt;3;3\r\n",
        ["rij 2 en 4: de code 'WK999901' staat er meer dan eens in"],
        id="duplicate-code",
    ),
    pytest.param(
        "WK999909;Nieuwbouw;1;1\r\nWK999910;NIEUWBOUW;2;2\r\n",
        ["rij 2 en 3: de naam 'Nieuwbouw' staat er meer dan eens in"],
        id="duplicate-name",
    ),
    pytest.param(
        "WK999901;De Hoven;1;1\r\nWK012301;Elders;2;2\r\n",
        [f"rij 3, kolom 'code': WK012301 hoort bij een andere gemeente (GM0123), niet bij {DEMO}"],
        id="wijk-of-another-municipality",
    ),
    pytest.param(
        "WK999901;De Hoven;1;1\r\nWK999911;Het Ven;2;2\r\n",
        ["rij 3: de wijk 'Het Ven' heeft code WK999906, het bestand zegt WK999911"],
        id="name-with-another-code",
    ),
    pytest.param(
        "WK999901;De Hoven;1;1\r\n;;2;2\r\n",
        ["rij 3: geen code en geen naam"],
        id="no-code-no-name",
    ),
    pytest.param(
        "WK12;Kerkebuurt;3.105;1\r\n"
        "WK999901;De Hoven;veel;1\r\n"
        "WK999902;Oude Haven;5.230;1\r\n"
        "WK999902;Molenwijk;1;1\r\n"
        "WK999909;Nieuwbouw;1;1\r\n"
        "WK999910;nieuwbouw;1;1\r\n"
        "WK012301;Elders;1;1\r\n"
        "WK999911;Het Ven;1;1\r\n",
        [
            "rij 2, kolom 'code': 'WK12' is geen CBS-code",
            "rij 3, kolom 'Inwoners': 'veel' is geen getal",
            "rij 4 en 5: de code 'WK999902' staat er meer dan eens in",
            "rij 6 en 7: de naam 'Nieuwbouw' staat er meer dan eens in",
            "rij 8, kolom 'code': WK012301 hoort bij een andere gemeente (GM0123)",
            "rij 9: de wijk 'Het Ven' heeft code WK999906, het bestand zegt WK999911",
        ],
        id="all-of-them-in-one-file",
    ),
]


@pytest.mark.parametrize(("body", "expected"), ERRORS)
def test_a_bad_file_is_refused_whole_with_every_problem(demo: Db, body: str, expected: list[str]) -> None:
    factory, mid = demo
    before = _dump(factory)
    with pytest.raises(InputError) as caught:
        _import(factory, mid, (ERROR_HEADER + body).encode("utf-8"), OWN_FILE)
    problems = caught.value.problems
    for wanted in expected:
        assert any(wanted in p for p in problems), (wanted, problems)
    assert all(p.startswith(OWN_FILE) for p in problems), problems
    assert _dump(factory) == before


def test_a_bad_cbs_file_is_refused_whole(demo: Db) -> None:
    factory, mid = demo

    def spoil(rows: list[list[Any]]) -> None:
        rows[4][-2] = "veel"  # WK999902, AantalInwoners_5 (file row 6)
        rows[6][1] = "WK9999 03"  # a space inside the code is ignored
        rows[6][-1] = "7,2,5"

    filename, data = _cbs_file(FIRST, change=spoil)
    before = _dump(factory)
    with pytest.raises(InputError) as caught:
        _import(factory, mid, data, filename, year=FIRST)
    assert caught.value.problems == [
        f"{filename}, rij 6, kolom 'AantalInwoners_5': 'veel' is geen getal.",
        f"{filename}, rij 8, kolom 'JongerenMetJeugdzorgInNatura_91': '7,2,5' is geen getal.",
    ]
    assert _dump(factory) == before


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        pytest.param(
            b"code;naam;Inwoners\r\nWK999901;De Hoven;8.412\r\n;;\r\nWK999902;Oude Haven;veel\r\n",
            "wijken.csv",
            id="csv-empty-row",
        ),
        pytest.param(
            b"code;naam;Inwoners\r\nWK999901;De Hoven;8.412\r\n\r\nWK999902;Oude Haven;veel\r\n",
            "wijken.csv",
            id="csv-blank-line",
        ),
        pytest.param(
            _xlsx_bytes(
                [["code", "naam", "Inwoners"], ["WK999901", "De Hoven", 8412], [], ["WK999902", "Oude Haven", "veel"]]
            ),
            "wijken.xlsx",
            id="xlsx-empty-row",
        ),
    ],
)
def test_problem_rows_are_the_rows_the_user_sees(demo: Db, data: bytes, filename: str) -> None:
    """An empty row in the middle still counts: the user looks for the problem in row 4."""
    factory, mid = demo
    with pytest.raises(InputError) as caught:
        _import(factory, mid, data, filename)
    assert caught.value.problems == [f"{filename}, rij 4, kolom 'Inwoners': 'veel' is geen getal."]


# --- matching existing wijken, re-importing, the number of inhabitants --------------------------


def _changes_after(factory: Sessions, change_id: int) -> list[tuple[str, str, str, str, str]]:
    """History rows kept after `change_id`: kind, unit name, subject, old, new."""
    with factory() as session:
        rows = session.execute(
            select(Change.kind, Change.unit_name, Change.subject, Change.old, Change.new)
            .where(Change.id > change_id)
            .order_by(Change.id)
        ).all()
    return [(kind, unit, subject, old, new) for kind, unit, subject, old, new in rows]


def _last_change(factory: Sessions) -> int:
    with factory() as session:
        return session.scalar(select(func.max(Change.id))) or 0


def test_wijken_are_matched_by_code_then_by_name(demo: Db) -> None:
    factory, mid = demo
    with factory.begin() as session:
        akker = add_wijk(session=session, municipality_id=mid, name="Nieuwe Akker").id
    body = (
        "code;naam;Inwoners\r\n"
        "WK999901;Hoven (oud);8.412\r\n"  # by code: the name in the file does not rename
        ";oude haven;5.230\r\n"  # by name, no code in the file
        "WK999912;nieuwe akker;1.000\r\n"  # by name: the wijk without a code gets this one
        "WK999909;Hoogeveen-Zuid é ë;1.205\r\n"  # new
        "WK999911;;77\r\n"  # new, named after its code
    ).encode("cp1252")
    plan = _plan(factory, mid, body, "wijken.csv")
    assert plan.rows["status"].tolist() == ["bestaand", "bestaand", "code", "nieuw", "nieuw"]
    last = _last_change(factory)
    result = _import(factory, mid, body, "wijken.csv")
    assert (result.new_wijken, result.wijken) == (2, 5)
    units = _units(factory, mid)
    assert ("De Hoven", "wijk", "WK999901", 8412) in units
    assert ("Oude Haven", "wijk", "WK999902", 5230) in units
    assert ("Nieuwe Akker", "wijk", "WK999912", 1000) in units
    assert ("Hoogeveen-Zuid é ë", "wijk", "WK999909", 1205) in units
    assert ("WK999911", "wijk", "WK999911", 77) in units
    assert len(units) == 1 + len(WIJKEN) + 3
    with factory() as session:
        assert session.scalar(select(Unit.cbs_code).where(Unit.id == akker)) == "WK999912"
    changes = _changes_after(factory, last)
    assert ("wijk", "Hoogeveen-Zuid é ë", "Hoogeveen-Zuid é ë", EMPTY, "toegevoegd (import), 1205 inwoners") in changes
    assert ("wijk", "WK999911", "WK999911", EMPTY, "toegevoegd (import), 77 inwoners") in changes
    assert any(c[0] == "wijk" and c[2:] == ("CBS-code", EMPTY, "WK999912") for c in changes), changes
    assert [c[0] for c in changes].count("wijkdata") == 1


def test_one_import_keeps_each_change_in_the_history_in_order(testdorp: Db) -> None:
    """The CBS code of the municipality, a new wijk, a wijk that gets its code, new inhabitants, and
    the import itself: each one row, in that order, and the revision rises by one."""
    factory, mid = testdorp
    with factory.begin() as session:
        add_wijk(session=session, municipality_id=mid, name="Strand", population=100)
        add_wijk(session=session, municipality_id=mid, name="Duin", cbs_code="WK060601", population=200)
    with factory() as session:
        revision_before = session.scalar(select(Municipality.revision).where(Municipality.id == mid))
    assert revision_before is not None
    last = _last_change(factory)
    body = b"code;naam;inwoners;Aandeel 65+\r\nGM0606;Testdorp;900;20\r\nWK060600;Strand;150;10\r\n"
    body += b"WK060601;Duin;200;11\r\nWK060602;Haven;300;12\r\n"
    result = _import(factory, mid, body, "testdorp.csv", year=2025, source="eigen telling")
    assert (result.wijken, result.new_wijken, result.values) == (3, 1, 8)
    assert _changes_after(factory, last) == [
        ("gemeente", "", "CBS-code", EMPTY, "GM0606"),
        ("wijk", "Haven", "Haven", EMPTY, "toegevoegd (import), 300 inwoners"),
        ("wijk", "Strand", "CBS-code", EMPTY, "WK060600"),
        ("wijk", "Strand", "inwoners", "100", "150"),
        ("wijkdata", "", "eigen telling", EMPTY, "3 wijken, 2 kerncijfers (2025)"),
    ]
    with factory() as session:
        testdorp_now = session.get(Municipality, mid)
        assert testdorp_now is not None
        assert (testdorp_now.cbs_code, testdorp_now.revision) == ("GM0606", revision_before + 1)


def test_reimporting_the_same_file_changes_nothing(demo: Db) -> None:
    factory, mid = demo
    data = _csv_bytes(OWN_HEADER, OWN_ROWS)
    _import(factory, mid, data, "wijken.csv")
    values, units = _indicators(factory, mid), _units(factory, mid)
    last = _last_change(factory)
    with factory() as session:
        count = session.scalar(select(func.count()).select_from(IndicatorValue))
    again = _import(factory, mid, data, "wijken.csv")
    assert again.new_wijken == 0
    _assert_same_values(_indicators(factory, mid), values)
    assert _units(factory, mid) == units
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(IndicatorValue)) == count
    # the second import only notes that it ran: no wijk or inhabitant changes
    assert [c[0] for c in _changes_after(factory, last)] == ["wijkdata"]


def test_a_reimport_replaces_the_values_of_that_year_only(demo: Db) -> None:
    factory, mid = demo
    first = "code;naam;Inwoners;Inkomen\r\nWK999901;De Hoven;8.412;100\r\nWK999902;Oude Haven;5.230;200\r\n"
    second = "code;naam;Inwoners;Inkomen\r\nWK999901;De Hoven;8.412;150\r\nWK999902;Oude Haven;5.230;.\r\n"
    _import(factory, mid, first.encode(), "a.csv", year=2022, source="eerst")
    _import(factory, mid, first.encode(), "a.csv", year=2023, source="eerst")
    _import(factory, mid, second.encode(), "b.csv", year=2023, source="opnieuw")
    got = _indicators(factory, mid)
    income = got[got["indicator"] == "Inkomen"]
    assert list(income.itertuples(index=False, name=None)) == [
        ("De Hoven", "Inkomen", 2022, 100.0, "eerst"),
        ("De Hoven", "Inkomen", 2023, 150.0, "opnieuw"),
        ("Oude Haven", "Inkomen", 2022, 200.0, "eerst"),
    ]
    assert len(got) == len(got.drop_duplicates(["unit", "indicator", "year"]))


def test_inhabitants_follow_the_latest_year(demo: Db) -> None:
    factory, mid = demo

    def population(name: str) -> int | None:
        return next(u[3] for u in _units(factory, mid) if u[0] == name)

    stored = _indicators(factory, mid)
    assert stored.loc[stored["indicator"] == "AantalInwoners", "year"].max() < FIRST, "the demo's figures moved on"
    hoven, molenwijk = population("De Hoven"), population("Molenwijk")
    older = b"code;naam;AantalInwoners\r\nWK999901;De Hoven;1.234\r\n"
    _import(factory, mid, older, "oud.csv", year=FIRST - 10)  # a later year is stored: inhabitants stay
    assert population("De Hoven") == hoven
    filename, data = _cbs_file(FIRST)
    _import(factory, mid, data, filename, year=FIRST)
    assert (population("De Hoven"), population("Oude Haven")) == (8450, 5210)
    filename, data = _cbs_file(NEXT)
    _import(factory, mid, data, filename, year=NEXT)
    assert (population("De Hoven"), population("Oude Haven")) == (8470, 5190)
    filename, data = _cbs_file(FIRST)
    _import(factory, mid, data, filename, year=FIRST)  # the older year again: NEXT stays
    assert (population("De Hoven"), population("Oude Haven")) == (8470, 5190)
    assert population(WHOLE) is None
    assert population("Molenwijk") == molenwijk


# --- planned before the write transaction, saved in it -----------------------------------------------


def _prepare(factory: Sessions, mid: int, data: bytes, filename: str) -> PreparedImport:
    raw = read_table(data, filename=filename)
    with factory() as session:  # a read session: the plan is made before the write transaction
        return prepare_import(
            session=session, municipality_id=mid, raw=raw, mapping=guess_mapping(raw), year=2023, source="test"
        )


def test_a_prepared_import_saves_without_reading_the_table_again(demo: Db) -> None:
    """Nothing changed since the plan: the write transaction saves the plan it is given (the table
    is emptied here, so planning again in the transaction could not find a single wijk)."""
    factory, mid = demo
    before_values, before_units = _indicators(factory, mid), _units(factory, mid)
    prepared = _prepare(factory, mid, _csv_bytes(OWN_HEADER, OWN_ROWS), "wijken.csv")
    empty = RawTable(cells=prepared.raw.cells.iloc[0:0], filename="wijken.csv", number_style="nl")
    with factory.begin() as session:
        result = save_import(session=session, prepared=replace(prepared, raw=empty))
    assert (result.wijken, result.new_wijken) == (5, 2)
    _assert_same_values(_indicators(factory, mid), _with(before_values, _own_expected()))
    assert _units(factory, mid) == _own_units_after(before_units)


def test_a_prepared_import_is_planned_again_when_the_wijken_changed(testdorp: Db) -> None:
    """A colleague adds the wijk by hand between the preview and the click: the import finds it
    (no second wijk of that name), because the save plans again against the wijken as they are."""
    factory, mid = testdorp
    prepared = _prepare(factory, mid, b"naam;Inwoners\r\nHaven;300\r\nDuin;200\r\n", "wijken.csv")
    assert prepared.plan.rows["status"].tolist() == ["nieuw", "nieuw"]
    with factory.begin() as session:
        add_wijk(session=session, municipality_id=mid, name="Haven")
    with factory.begin() as session:
        result = save_import(session=session, prepared=prepared)
    assert (result.wijken, result.new_wijken) == (2, 1)
    assert _units(factory, mid) == [
        ("Duin", "wijk", None, 200),
        ("Gemeente als geheel", "gemeente", None, None),
        ("Haven", "wijk", None, 300),
    ]


# --- files we refuse, quickly and in Dutch, naming the file -----------------------------------------


class Hang(BaseException):
    """Not an Exception: a `except Exception` inside the code under test cannot swallow it."""


@pytest.fixture
def no_hang() -> Iterator[None]:
    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        raise Hang("reading the file hangs")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.cache
def _zip_bomb() -> bytes:
    """One part of 300 MB of zeros: some 300 kB packed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = bytes(1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


@functools.cache
def _wide_zip_bomb() -> bytes:
    """Many parts, each packed below the ratio limit, together far over the unpacked limit."""
    noise = random.Random(0).randbytes(8 * 1024)
    part = noise + bytes(1024 * 1024 - len(noise))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(250):
            archive.writestr(f"xl/media/image{number}.bin", part)
    return buffer.getvalue()


def _many_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(2100):
            archive.writestr(f"xl/p{number}.xml", "<p/>")
    return buffer.getvalue()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
"""A billion laughs: &lol9; expands to 10^9 times 'lol'."""


def _valid_xlsx() -> bytes:
    return _xlsx_bytes([["code", "naam", "Inwoners"], ["WK999901", "De Hoven", 8412], ["WK999902", "Oude Haven", 5230]])


def _laughs_in(member: str, old: str, new: str) -> Callable[[], bytes]:
    def build() -> bytes:
        def edit(body: str) -> str:
            assert old in body
            return LAUGHS + body.split("?>", 1)[-1].replace(old, new)

        return _edit_xlsx(_valid_xlsx(), member, edit)

    return build


def _broken_sheet(edit: Callable[[str], str]) -> Callable[[], bytes]:
    return lambda: _edit_xlsx(_valid_xlsx(), "xl/worksheets/sheet1.xml", edit)


def _zip_version_64() -> bytes:
    """A valid .xlsx whose first central-directory entry claims zip version 6.4 (zipfile refuses it)."""
    data = bytearray(_valid_xlsx())
    entry = data.index(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")
    return bytes(data)


def _without_part(member: str) -> Callable[[], bytes]:
    def build() -> bytes:
        source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
        assert member in source.namelist()
        return _only_parts_of(source, [n for n in source.namelist() if n != member])

    return build


def _only_parts_of(source: zipfile.ZipFile, names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, source.read(name))
    return buffer.getvalue()


def _only_parts(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


BAD_FILES = [
    pytest.param("groot.csv", lambda: b"code;naam\r\n" + b"x" * MAX_BYTES, "20 MB", id="over-20-MB"),
    pytest.param("bom.xlsx", _zip_bomb, "zip-bom", id="zip-bomb"),
    pytest.param("bom.xlsx", _wide_zip_bomb, "zip-bom", id="zip-bomb-many-parts"),
    pytest.param("delen.xlsx", _many_parts, "te veel onderdelen", id="too-many-parts"),
    pytest.param("geen zip.xlsx", lambda: b"code;naam\r\nWK999901;De Hoven\r\n", "geen geldig Excel", id="not-a-zip"),
    pytest.param("leeg.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 100, "geen geldig Excel", id="broken-zip"),
    pytest.param(
        "zip zonder werkboek.xlsx",
        lambda: _only_parts(["[Content_Types].xml", "xl/worksheets/sheet1.xml"]),
        "geen geldig Excel",
        id="zip-without-workbook",
    ),
    pytest.param("versie.xlsx", _zip_version_64, "geen geldig Excel", id="zip-version-6.4"),
    pytest.param(
        "zonder rels.xlsx", _without_part("xl/_rels/workbook.xml.rels"), "geen geldig Excel", id="missing-workbook-rels"
    ),
    pytest.param(
        "zonder blad.xlsx", _without_part("xl/worksheets/sheet1.xml"), "geen geldig Excel", id="missing-sheet"
    ),
    pytest.param("oud.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls", id="old-xls"),
    pytest.param(
        "hernoemd.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls", id="xls-renamed"
    ),
    pytest.param("leeg.csv", lambda: b"", "is leeg", id="empty"),
    pytest.param("leeg.csv", lambda: b" \r\n\r\n ;; \r\n", "is leeg", id="only-blank-lines"),
    pytest.param("leeg.xlsx", lambda: _xlsx_bytes([]), "is leeg", id="empty-xlsx"),
    pytest.param("kop.csv", lambda: b"code;naam;Inwoners\r\n", "alleen een kopregel", id="only-header"),
    pytest.param(
        "kop.xlsx", lambda: _xlsx_bytes([["code", "naam", "Inwoners"]]), "alleen een kopregel", id="only-header-xlsx"
    ),
    pytest.param(
        "dubbel.csv",
        lambda: b"code;naam;Inwoners;inwoners\r\nWK999901;De Hoven;1;2\r\n",
        "de kolom 'inwoners' staat er twee keer in",
        id="duplicated-header",
    ),
    pytest.param(
        "dubbel.xlsx",
        lambda: _xlsx_bytes([["code", "naam", "code"], ["WK999901", "De Hoven", "x"]]),
        "de kolom 'code' staat er twee keer in",
        id="duplicated-header-xlsx",
    ),
    pytest.param(
        "naamloos.csv", lambda: b"code;;naam\r\nWK999901;1;De Hoven\r\n", "kolom 2 heeft geen naam", id="unnamed-column"
    ),
    pytest.param(
        "breed.csv",
        lambda: b"code;naam;Inwoners\r\nWK999901;De Hoven;1\r\nWK999902;Oude Haven;2;3\r\n",
        "rij 3: 4 waarden, maar de kopregel heeft 3 kolommen",
        id="more-values-than-headers",
    ),
    pytest.param(
        "binair.csv", lambda: b"\x00\x01\x02code\x00;naam\r\n\x00\x00;x\r\n", "geen tekstbestand", id="binary"
    ),
    pytest.param(
        "lach.xlsx",
        _laughs_in("xl/workbook.xml", 'name="Blad1"', 'name="&lol9;"'),
        "geen geldig Excel",
        id="billion-laughs-workbook",
    ),
    pytest.param(
        "lach.xlsx",
        _laughs_in("xl/worksheets/sheet1.xml", "De Hoven", "&lol9;"),
        "geen geldig Excel",
        id="billion-laughs-sheet",
    ),
    pytest.param(
        "kapot.xlsx",
        _broken_sheet(lambda body: body[: body.index("Oude Haven")]),
        "geen geldig Excel",
        id="sheet-xml-cut-off",
    ),
    pytest.param(
        "kapot.xlsx",
        _broken_sheet(
            lambda body: body.replace("</sheetData>", '<row r="9"><c r="A9" t="s"><v>99</v></c></row></sheetData>')
        ),
        "geen geldig Excel",
        id="sheet-refers-to-missing-text",
    ),
]


@pytest.mark.parametrize(("filename", "build", "phrase"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_dutch_message(
    no_hang: None, filename: str, build: Callable[[], bytes], phrase: str
) -> None:
    data = build()
    with pytest.raises(InputError) as caught:
        read_table(data, filename=f"map/{filename}")
    problems = caught.value.problems
    assert any(phrase in p for p in problems), problems
    assert all(p.startswith(filename) for p in problems), problems
    assert_dutch(problems)  # no exception name such as KeyError in what the user reads


def test_the_zip_bombs_are_bombs() -> None:
    bomb = zipfile.ZipFile(io.BytesIO(_zip_bomb()))
    part = bomb.getinfo("xl/worksheets/sheet1.xml")
    assert part.file_size > MAX_UNZIPPED_BYTES and part.file_size / part.compress_size > MAX_ZIP_RATIO
    wide = zipfile.ZipFile(io.BytesIO(_wide_zip_bomb()))
    assert sum(i.file_size for i in wide.infolist()) > MAX_UNZIPPED_BYTES
    assert all(i.file_size / i.compress_size < MAX_ZIP_RATIO for i in wide.infolist())


def test_the_broken_sheets_are_otherwise_valid() -> None:
    """The xlsx the bad cases start from reads fine."""
    raw = read_table(_valid_xlsx(), filename="goed.xlsx")
    assert raw.cells.to_dict("list") == {
        "code": ["WK999901", "WK999902"],
        "naam": ["De Hoven", "Oude Haven"],
        "Inwoners": [8412, 5230],
    }
    assert (raw.number_style, raw.sheet) == ("nl", "Blad1")


# --- guessing the columns ---------------------------------------------------------------------------


def _raw_csv(text: str, filename: str = "t.csv") -> RawTable:
    return read_table(text.encode("utf-8"), filename=filename)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(
            lambda: read_table(_cbs_file(FIRST)[1], filename="85318NED.csv"),
            ColumnMapping(
                code="WijkenEnBuurten",
                name="Wijknaam",
                municipality="Gemeentenaam_1",
                region_kind="SoortRegio_2",
                indicators={
                    "AantalInwoners_5": "AantalInwoners",
                    "JongerenMetJeugdzorgInNatura_91": "JongerenMetJeugdzorgInNatura",
                },
                population="AantalInwoners_5",
                layout="cbs",
            ),
            id="cbs-first-year",
        ),
        pytest.param(
            lambda: read_table(_cbs_file(NEXT)[1], filename="85618NED.csv"),
            ColumnMapping(
                code="WijkenEnBuurten",
                name=None,
                municipality="Gemeentenaam_1",
                region_kind="SoortRegio_2",
                indicators={
                    "JongerenMetJeugdzorgInNatura_93": "JongerenMetJeugdzorgInNatura",
                    "AantalInwoners_6": "AantalInwoners",
                },
                population="AantalInwoners_6",
                layout="cbs",
            ),
            id="cbs-next-year-without-names",
        ),
        pytest.param(
            lambda: read_table(_csv_bytes(OWN_HEADER, OWN_ROWS), filename="eigen.csv"),
            ColumnMapping(
                code="code",
                name="naam",
                indicators={k: k for k in OWN_KEYS},
                population="Inwoners",
                layout="eigen",
            ),
            id="own-template",
        ),
        pytest.param(
            lambda: _raw_csv("Wijkcode;Wijknaam;Aantal inwoners;Opkomst  verkiezingen\nWK999901;De Hoven;8.412;61,5\n"),
            ColumnMapping(
                code="Wijkcode",
                name="Wijknaam",
                indicators={"Aantal inwoners": "Aantal inwoners", "Opkomst  verkiezingen": "Opkomst verkiezingen"},
                population="Aantal inwoners",
            ),
            id="own-template-other-headers",
        ),
        pytest.param(
            lambda: _raw_csv("wijk;inwoners;opmerking\nDe Hoven;8.412;druk\nOude Haven;5.230;rustig\n"),
            ColumnMapping(name="wijk", indicators={"inwoners": "inwoners"}, population="inwoners"),
            id="names-only",
        ),
    ],
)
def test_guess_mapping(build: Callable[[], RawTable], expected: ColumnMapping) -> None:
    assert guess_mapping(build()) == expected


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        (ColumnMapping(code="code", name="naam", indicators={"Inwoners": "Inwoners"}), []),
        (ColumnMapping(code="wijkcode", indicators={"Inwoners": "Inwoners"}), ["de kolom 'wijkcode' bestaat niet"]),
        (ColumnMapping(indicators={"Inwoners": "Inwoners"}), ["kies de kolom met de wijkcode"]),
        (ColumnMapping(code="code", name="naam", indicators={"naam": "naam"}), ["is al gekozen als code of naam"]),
        (
            ColumnMapping(code="code", indicators={"Inwoners": "Inwoners", "Inkomen (€)": "inwoners"}),
            ["geven hetzelfde kerncijfer"],
        ),
        (ColumnMapping(code="code", indicators={"Inwoners": " "}), ["heeft geen naam"]),
        (
            ColumnMapping(code="code", indicators={"Inwoners": "Inwoners"}, population="Inkomen (€)"),
            ["moet ook een kerncijfer zijn"],
        ),
    ],
)
def test_mapping_problems(mapping: ColumnMapping, expected: list[str]) -> None:
    raw = read_table(_csv_bytes(OWN_HEADER, OWN_ROWS), filename="eigen.csv")
    problems = mapping_problems(mapping, raw)
    assert len(problems) == len(expected), problems
    for problem, wanted in zip(problems, expected, strict=True):
        assert problem.startswith("eigen.csv") and wanted in problem


def test_plan_refuses_a_mapping_without_indicators_or_a_sane_year() -> None:
    raw = read_table(_csv_bytes(OWN_HEADER, OWN_ROWS), filename="eigen.csv")
    units = pd.DataFrame(columns=["unit", "name", "kind", "cbs_code"])
    with pytest.raises(InputError) as caught:
        plan_import(
            raw,
            ColumnMapping(code="code", name="naam"),
            units=units,
            municipality_name=DEMO,
            municipality_code="GM9999",
            year=1066,
            source="x",
        )
    assert len(caught.value.problems) == 2
    assert "1066" in caught.value.problems[0] and "kerncijfer" in caught.value.problems[1]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("85984NED_TypedDataSet.csv", "85984NED"),
        ("85984ned.csv", "85984NED"),
        ("kerncijfers 85618NED 2023.xlsx", "85618NED"),
        ("kerncijfers_2024.csv", None),
        ("wijken.csv", None),
    ],
)
def test_table_id_from(filename: str, expected: str | None) -> None:
    assert table_id_from(filename) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("kerncijfers_2024.csv", 2024),
        ("kwb-2023.xlsx", 2023),
        ("wijken 2019-2020.csv", 2019),
        ("85984NED_TypedDataSet.csv", None),
        ("kerncijfers_85618NED_2023.csv", 2023),
        ("wijken.csv", None),
        ("wijken_20245.csv", None),
        ("wijken1999.csv", None),
    ],
)
def test_year_from(filename: str, expected: int | None) -> None:
    assert year_from(filename) == expected


# --- numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        ("1.234,5", "nl", 1234.5),
        ("1,234.5", "en", 1234.5),
        ("12,5", "nl", 12.5),
        ("12.5", "en", 12.5),
        ("1.234", "nl", 1234.0),
        ("1.234", "en", 1.234),
        ("1.234.567", "nl", 1234567.0),
        ("-3,25", "nl", -3.25),
        ("+7", "nl", 7.0),
        (" 1\u00a0234,5 ", "nl", 1234.5),
        ("1 234,5", "nl", 1234.5),
        ("0012", "nl", 12.0),
        (".", "nl", None),
        ("x", "nl", None),
        ("X", "en", None),
        ("", "nl", None),
        ("  ", "nl", None),
        ("-", "nl", None),
        ("?", "en", None),
        (8412, "nl", 8412.0),
        (12345.6, "nl", 12345.6),
        (12345.6, "en", 12345.6),
        (float("nan"), "nl", None),
    ],
)
def test_parse_number(value: object, style: NumberStyle, expected: float | None) -> None:
    got = parse_number(value, style)
    assert got == expected and (got is None or isinstance(got, float))


@pytest.mark.parametrize(
    ("value", "style"),
    [
        ("abc", "nl"),
        ("12,5", "en"),
        ("12.5", "nl"),
        ("1.23,4", "nl"),
        ("1,234.5", "nl"),
        ("1.234,5", "en"),
        ("12,5%", "nl"),
        ("€ 12", "nl"),
        ("1e5", "nl"),
        (True, "nl"),
        (False, "en"),
    ],
)
def test_parse_number_refuses(value: object, style: NumberStyle) -> None:
    with pytest.raises(ValueError):
        parse_number(value, style)
