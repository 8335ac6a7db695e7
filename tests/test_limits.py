"""The limits of wijkmodel/storage/limits.py (issue 13, finding 6: one file can take the app down).

Each crafted file is built here, byte for byte the same on every run. A refused file or import
gives a Dutch message and leaves every row of the database as it was. Speed is measured in
scripts/bench_limit.py; the alarm below only turns a hang (the old code spent minutes on the
1.6 kB sheet) into a failure instead of a stuck test run.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import zipfile
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, NoReturn

import openpyxl  # noqa: F401 - imported here, so its import time is not part of the first read
import pytest
from sqlalchemy import func, insert, select

import wijkmodel.wijkdata.table_files as table_files
from tests.properties import assert_dutch
from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_WIJKEN, check_wijk_room
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.tables import Base, Municipality, Unit, UnitKind
from wijkmodel.storage.wijken import add_wijk
from wijkmodel.wijkdata.country_import import import_all_municipalities
from wijkmodel.wijkdata.mapping import ColumnMapping, guess_mapping
from wijkmodel.wijkdata.table_files import read_table
from wijkmodel.wijkdata.wijk_import import import_wijken, prepare_import, save_import

# --- a hang is a failure ------------------------------------------------------------------------------


class Hang(BaseException):
    """Not an Exception: an `except Exception` inside the code under test cannot swallow it."""


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail after 2 s: the files below read in milliseconds; the old code took minutes."""

    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        raise Hang("reading the file hangs")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 2)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- crafted .xlsx files ------------------------------------------------------------------------------

_STAMP = (2026, 1, 1, 0, 0, 0)
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    ),
}


def _cell(ref: str, value: str | int) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


HEADER_AND_ONE_WIJK = (
    f'<row r="1">{_cell("A1", "code")}{_cell("B1", "naam")}{_cell("C1", "Inwoners")}</row>'
    f'<row r="2">{_cell("A2", "WK099901")}{_cell("B2", "De Hoven")}{_cell("C2", 8412)}</row>'
)


def crafted_xlsx(sheet_data: str, *, dimension: str = "A1:XFD1048576") -> bytes:
    """A minimal .xlsx of one sheet that claims `dimension` (default: every cell Excel has), with
    fixed timestamps: the same bytes on every run."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in [*_PARTS.items(), ("xl/worksheets/sheet1.xml", sheet)]:
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, body)
    return buffer.getvalue()


FAR_CELL = '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
"""One number in the last row Excel has: with the claimed dimension, a million rows of 16,384 cells."""


def test_the_crafted_sheets_are_small_and_byte_stable() -> None:
    for sheet_data in (HEADER_AND_ONE_WIJK, HEADER_AND_ONE_WIJK + FAR_CELL):
        data = crafted_xlsx(sheet_data)
        assert 1500 < len(data) < 1700  # the 1.6 kB of the finding
        assert data == crafted_xlsx(sheet_data)
    sheet = zipfile.ZipFile(io.BytesIO(crafted_xlsx(""))).read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:XFD1048576"/>' in sheet


def test_a_sheet_that_claims_every_cell_of_excel_reads_only_its_cells(no_hang: None) -> None:
    raw = read_table(crafted_xlsx(HEADER_AND_ONE_WIJK), filename="claim.xlsx")
    assert raw.cells.to_dict("list") == {"code": ["WK099901"], "naam": ["De Hoven"], "Inwoners": [8412]}


def test_a_sheet_with_a_cell_a_million_rows_down_is_refused_at_the_row_limit(no_hang: None) -> None:
    with pytest.raises(InputError) as caught:
        read_table(crafted_xlsx(HEADER_AND_ONE_WIJK + FAR_CELL), filename="map/ver.xlsx")
    (problem,) = caught.value.problems
    assert problem.startswith("ver.xlsx, blad 'Blad1' heeft meer dan 50.000 rijen."), problem
    assert "Lege rijen tussen de gegevens tellen mee" in problem
    assert_dutch([problem])


def test_a_sheet_up_to_the_row_limit_is_read(no_hang: None) -> None:
    last = MAX_ROWS + 1  # the header and MAX_ROWS rows of data
    raw = read_table(
        crafted_xlsx(HEADER_AND_ONE_WIJK + f'<row r="{last}"><c r="A{last}"><v>7</v></c></row>'),
        filename="lang.xlsx",
    )
    assert list(raw.cells["code"]) == ["WK099901", 7]
    assert [raw.row_number(i) for i in raw.cells.index] == [2, last]


def test_a_filled_cell_past_the_column_limit_is_refused(no_hang: None) -> None:
    wide = HEADER_AND_ONE_WIJK.replace("</row>", _cell("XFD1", "te ver") + "</row>", 1)
    with pytest.raises(InputError) as caught:
        read_table(crafted_xlsx(wide), filename="breed.xlsx")
    assert caught.value.problems == [
        "breed.xlsx, blad 'Blad1', rij 1: er staat iets na kolom 1.000. wijkmodel leest hoogstens 1.000 "
        "kolommen per bestand. Haal de kolommen weg die u niet nodig hebt."
    ]


def test_empty_cells_past_the_column_limit_are_no_columns(no_hang: None) -> None:
    """Formatting without a value, as far as Excel goes: the table is as wide as its filled cells."""
    wide = HEADER_AND_ONE_WIJK.replace("</row>", '<c r="XFD2" s="0"/></row>', 2)
    raw = read_table(crafted_xlsx(wide), filename="opmaak.xlsx")
    assert list(raw.cells.columns) == ["code", "naam", "Inwoners"]


# --- CSV: rows, columns, cells --------------------------------------------------------------------------


def _wijken_csv(count: int, *, header: str = "naam;Inwoners", cell: Callable[[int], str] | None = None) -> bytes:
    rows = (f"Wijk {n};{cell(n) if cell else n}" for n in range(1, count + 1))
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def test_a_csv_up_to_the_row_limit_is_read() -> None:
    raw = read_table(_wijken_csv(MAX_ROWS), filename="precies.csv")
    assert len(raw.cells) == MAX_ROWS


def test_a_csv_over_the_row_limit_is_refused_where_it_goes_over() -> None:
    """Refused at row MAX_ROWS + 1, before the rest is read: the broken line after it is never reached."""
    data = _wijken_csv(MAX_ROWS + 1) + b'"' + b"x" * (csv.field_size_limit() + 10) + b'"\r\n'
    with pytest.raises(InputError) as caught:
        read_table(data, filename="te lang.csv")
    assert caught.value.problems == [
        "te lang.csv heeft meer dan 50.000 rijen. wijkmodel leest hoogstens 50.000 rijen per bestand (het "
        "CBS-bestand van heel Nederland heeft er zo'n 18.000). Haal de rijen weg die u niet nodig hebt, "
        "bijvoorbeeld de buurten of andere gemeenten."
    ]


def test_a_csv_over_the_column_limit_is_refused_at_its_header() -> None:
    header = ";".join(f"k{n}" for n in range(MAX_COLUMNS + 1))
    with pytest.raises(InputError) as caught:
        read_table(f"{header}\r\n1\r\n".encode(), filename="breed.csv")
    assert caught.value.problems == [
        "breed.csv heeft 1.001 kolommen. wijkmodel leest hoogstens 1.000 kolommen per bestand. "
        "Haal de kolommen weg die u niet nodig hebt."
    ]


def test_a_csv_over_the_cell_limit_is_refused() -> None:
    rows = MAX_CELLS // MAX_COLUMNS + 1
    line = ";" * (MAX_COLUMNS - 1)
    header = ";".join(f"k{n}" for n in range(MAX_COLUMNS))
    data = "\r\n".join([header, *(f"{n}{line}" for n in range(rows))]).encode()
    with pytest.raises(InputError) as caught:
        read_table(data, filename="vol.csv")
    assert caught.value.problems == [
        "vol.csv heeft meer dan 5.000.000 cellen (rijen keer kolommen). Dat is te veel om in te lezen. "
        "Haal de rijen en kolommen weg die u niet nodig hebt."
    ]
    assert len(read_table(data.rsplit(b"\r\n", 1)[0], filename="vol.csv").cells) == rows - 1  # at the limit


# --- the reading deadline ---------------------------------------------------------------------------------


@pytest.fixture
def fast_clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A clock that moves one second each time the deadline is checked; returns the count of checks."""
    checks = [0]

    def tick() -> float:
        checks[0] += 1
        return float(checks[0])

    monkeypatch.setattr(table_files, "_clock", tick)
    return checks


TOO_SLOW = (
    "het lezen duurde langer dan 30 seconden en is gestopt. Het bestand is te groot of te ingewikkeld. "
    "Haal weg wat u niet nodig hebt, of sla het op als CSV."
)


def test_reading_a_csv_stops_at_the_deadline(fast_clock: list[int]) -> None:
    with pytest.raises(InputError) as caught:
        read_table(_wijken_csv(1000), filename="traag.csv")
    assert caught.value.problems == [f"traag.csv: {TOO_SLOW}"]
    assert fast_clock[0] < 40  # checked row by row and stopped there: not after the 1,000 rows


def test_reading_an_xlsx_stops_at_the_deadline(fast_clock: list[int]) -> None:
    rows = "".join(f'<row r="{n}">{_cell(f"A{n}", f"Wijk {n}")}</row>' for n in range(3, 1003))
    with pytest.raises(InputError) as caught:
        read_table(crafted_xlsx(HEADER_AND_ONE_WIJK + rows), filename="traag.xlsx")
    assert caught.value.problems == [f"traag.xlsx: {TOO_SLOW}"]
    assert fast_clock[0] < 40


def test_a_file_read_in_time_is_not_refused(fast_clock: list[int]) -> None:
    assert len(read_table(_wijken_csv(20), filename="vlot.csv").cells) == 20


# --- wijken per municipality ------------------------------------------------------------------------------


@pytest.fixture
def db() -> Iterator[Sessions]:
    """An empty database in memory."""
    engine = make_engine("sqlite://")
    yield make_sessionmaker(engine)
    engine.dispose()


def _municipality(factory: Sessions, name: str, *, wijken: int, cbs_code: str | None = None) -> int:
    """A municipality with `wijken` wijken (inserted in bulk: they are the setting, not the test)."""
    with factory.begin() as session:
        municipality_id = create_municipality(session=session, name=name, cbs_code=cbs_code).id
        if wijken:
            rows = [{"municipality_id": municipality_id, "kind": "wijk", "name": f"Oud {n}"} for n in range(wijken)]
            session.execute(insert(Unit), rows)
    return municipality_id


def _dump(factory: Sessions) -> dict[str, list[tuple[Any, ...]]]:
    with factory() as session:
        return {
            table.name: sorted((tuple(r) for r in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }


def _wijk_count(factory: Sessions, municipality_id: int) -> int:
    with factory() as session:
        return int(
            session.scalar(
                select(func.count(Unit.id)).where(Unit.municipality_id == municipality_id, Unit.kind == UnitKind.WIJK)
            )
            or 0
        )


def _import(factory: Sessions, municipality_id: int, data: bytes, mapping: ColumnMapping | None = None) -> None:
    raw = read_table(data, filename="wijken.csv")
    with factory.begin() as session:
        import_wijken(
            session=session,
            municipality_id=municipality_id,
            raw=raw,
            mapping=mapping or guess_mapping(raw),
            year=2024,
            source="t",
        )


def test_an_import_up_to_the_wijk_limit_is_saved(db: Sessions) -> None:
    municipality_id = _municipality(db, "Grootstad", wijken=0)
    _import(db, municipality_id, _wijken_csv(MAX_WIJKEN))
    assert _wijk_count(db, municipality_id) == MAX_WIJKEN


def test_a_file_with_more_wijken_than_the_limit_is_refused_before_its_cells_are_read(db: Sessions) -> None:
    """Every figure is wrong too, yet the message is only the limit: no cell was parsed."""
    municipality_id = _municipality(db, "Grootstad", wijken=0)
    before = _dump(db)
    with pytest.raises(InputError) as caught:
        mapping = ColumnMapping(name="naam", indicators={"Inwoners": "Inwoners"})
        _import(db, municipality_id, _wijken_csv(MAX_WIJKEN + 1, cell=lambda n: "geen getal"), mapping)
    assert caught.value.problems == [
        "wijken.csv heeft 1.001 wijken van Grootstad. Meer dan 1.000 wijken per gemeente kan niet in wijkmodel. "
        "Staan er buurten in het bestand als wijk (code WK)? Kies dan een bestand met alleen de wijken."
    ]
    assert _dump(db) == before


def test_an_import_that_takes_a_municipality_past_the_limit_is_refused(db: Sessions) -> None:
    municipality_id = _municipality(db, "Grootstad", wijken=MAX_WIJKEN - 1)
    before = _dump(db)
    data = _wijken_csv(2) + b"Oud 5;12\r\n"  # two new wijken and one that is there
    with pytest.raises(InputError) as caught:
        _import(db, municipality_id, data)
    assert caught.value.problems == [
        "Met 2 nieuwe wijken krijgt Grootstad 1.001 wijken (nu 999). Meer dan 1.000 wijken per gemeente kan niet "
        "in wijkmodel. Kies een bestand met alleen de wijken van deze gemeente, zonder buurten."
    ]
    assert _dump(db) == before
    _import(db, municipality_id, _wijken_csv(1) + b"Oud 5;12\r\n")  # one new one still fits
    assert _wijk_count(db, municipality_id) == MAX_WIJKEN


def _country_csv(groups: dict[str, tuple[str, int]]) -> bytes:
    """A CBS file: per GM code (name, number of wijken) the municipality's row and its wijken."""
    lines = ["WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;AantalInwoners_5"]
    for code, (name, wijken) in groups.items():
        lines.append(f"{code};{name};Gemeente;{1000 * wijken}")
        lines += [f"WK{code[2:]}{w:02d};{name};Wijk;1000" for w in range(wijken)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_country_import_that_takes_a_municipality_past_the_limit_is_refused(db: Sessions) -> None:
    _municipality(db, "Grootstad", wijken=MAX_WIJKEN - 50, cbs_code="GM0999")
    before = _dump(db)
    raw = read_table(_country_csv({"GM0998": ("Kleindorp", 3), "GM0999": ("Grootstad", 51)}), filename="land.csv")
    with pytest.raises(InputError) as caught, db.begin() as session:
        import_all_municipalities(session=session, raw=raw, mapping=guess_mapping(raw), year=2024, source="CBS")
    assert caught.value.problems == [
        "Met 51 nieuwe wijken krijgt Grootstad 1.001 wijken (nu 950). Meer dan 1.000 wijken per gemeente kan "
        "niet in wijkmodel. Kies een bestand met alleen de wijken van deze gemeente, zonder buurten."
    ]
    assert _dump(db) == before  # Kleindorp was not made either
    raw = read_table(_country_csv({"GM0998": ("Kleindorp", 3), "GM0999": ("Grootstad", 50)}), filename="land.csv")
    with db.begin() as session:
        import_all_municipalities(session=session, raw=raw, mapping=guess_mapping(raw), year=2024, source="CBS")
    with db() as session:
        grootstad = session.scalar(select(Municipality.id).where(Municipality.name == "Grootstad"))
    assert _wijk_count(db, int(grootstad or 0)) == MAX_WIJKEN


def _backup_with_wijken(factory: Sessions, model: MaturityModel, count: int) -> str:
    municipality_id = _municipality(factory, "Bronstad", wijken=0)
    with factory() as session:
        data = json.loads(export_municipality(session=session, municipality_id=municipality_id, model=model))
    data["municipality"]["name"] = "Kopiestad"
    data["municipality"]["units"] += [{"name": f"Wijk {n}", "kind": "wijk"} for n in range(count)]
    return json.dumps(data)


def test_a_backup_with_more_wijken_than_the_limit_is_refused(db: Sessions, model: MaturityModel) -> None:
    text = _backup_with_wijken(db, model, MAX_WIJKEN + 1)
    before = _dump(db)
    with pytest.raises(InputError) as caught, db.begin() as session:
        import_backup(session=session, text=text, model=model)
    assert caught.value.problems == [
        "Op plek municipality.units: de back-up heeft 1.001 wijken. Meer dan 1.000 wijken per gemeente kan niet "
        "in wijkmodel. Er is niets veranderd."
    ]
    assert _dump(db) == before


def test_a_backup_at_the_wijk_limit_is_imported(db: Sessions, model: MaturityModel) -> None:
    text = _backup_with_wijken(db, model, MAX_WIJKEN)
    with db.begin() as session:
        municipality_id = import_backup(session=session, text=text, model=model).id
    assert _wijk_count(db, municipality_id) == MAX_WIJKEN


def test_check_wijk_room(db: Sessions) -> None:
    """What add_wijk calls before it adds one wijk by hand."""
    municipality_id = _municipality(db, "Grootstad", wijken=MAX_WIJKEN - 2)
    with db.begin() as session:
        check_wijk_room(session=session, municipality_id=municipality_id, adding=2)
        with pytest.raises(InputError) as caught:
            check_wijk_room(session=session, municipality_id=municipality_id, adding=3)
        assert caught.value.problems == [
            "Met 3 nieuwe wijken krijgt Grootstad 1.001 wijken (nu 998). Meer dan 1.000 wijken per gemeente kan "
            "niet in wijkmodel. Kies een bestand met alleen de wijken van deze gemeente, zonder buurten."
        ]
        add_wijk(session=session, municipality_id=municipality_id, name="Nieuw 1")
        check_wijk_room(session=session, municipality_id=municipality_id, adding=1)
        add_wijk(session=session, municipality_id=municipality_id, name="Nieuw 2")
        with pytest.raises(InputError) as caught:
            check_wijk_room(session=session, municipality_id=municipality_id, adding=1)
        assert caught.value.problems == [
            "Grootstad heeft al 1.000 wijken. Meer dan 1.000 wijken per gemeente kan niet in wijkmodel. "
            "Er kan geen wijk meer bij."
        ]
        with pytest.raises(InputError) as caught:
            check_wijk_room(session=session, municipality_id=municipality_id + 99, adding=1)
        assert caught.value.problems == ["Deze gemeente bestaat niet (meer)."]
    other = _municipality(db, "Buurdorp", wijken=MAX_WIJKEN - 1)  # counts its own wijken only
    with db.begin() as session:
        check_wijk_room(session=session, municipality_id=other, adding=1)


def test_the_wijk_limit_holds_when_a_wijk_is_added_between_plan_and_save(db: Sessions) -> None:
    municipality_id = _municipality(db, "Grootstad", wijken=MAX_WIJKEN - 1)
    raw = read_table(_wijken_csv(1), filename="wijken.csv")
    with db() as session:
        prepared = prepare_import(
            session=session, municipality_id=municipality_id, raw=raw, mapping=guess_mapping(raw), year=2024, source="t"
        )
    with db.begin() as session:
        add_wijk(session=session, municipality_id=municipality_id, name="Met de hand")
    before = _dump(db)
    with pytest.raises(InputError) as caught, db.begin() as session:
        save_import(session=session, prepared=prepared)
    assert caught.value.problems == [
        "Grootstad heeft al 1.000 wijken. Meer dan 1.000 wijken per gemeente kan niet in wijkmodel. "
        "Er kan geen wijk meer bij."
    ]
    assert _dump(db) == before
