"""Reading an uploaded table (CSV or Excel) into raw cells, safely and the Dutch way.

Files come as they come out of Excel: `;` or `,` or tab separators, decimal comma and thousands
dot, cp1252 or UTF-8 with or without BOM. Each gives the same raw table. Excel files are checked
for zip bombs before openpyxl opens them, and openpyxl parses their XML with defusedxml.
Nothing here knows about wijken: `wijk_import` decides what the columns mean.

The limits of `wijkmodel.storage.limits` hold while a file is read, not after: rows, columns and cells are
counted row by row, a sheet's claimed size is not trusted, and a deadline is checked in the row
loop and on every read openpyxl makes from the .xlsx, so a slow file stops in this thread.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

import pandas as pd

from wijkmodel.model.indicators import format_number
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.limits import (
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_PARSE_SECONDS,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
)

log = logging.getLogger(__name__)

_clock = time.monotonic
"""The clock of the reading deadline (a test runs it fast)."""

NumberStyle = Literal["nl", "en"]
"""How numbers written as text read: nl = 1.234,5 and en = 1,234.5."""

MISSING_MARKS = frozenset({"", ".", "-", "x", "?", "nan"})
"""Cells that mean 'no value' (CBS writes '.' for unknown and 'x' for secret)."""

_NUMBER_NL = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_NUMBER_EN = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


@dataclass(frozen=True)
class RawTable:
    """A table as read: text cells (numbers from Excel stay numbers), a header, and how to read numbers."""

    cells: pd.DataFrame
    """One column per header, cells as str (CSV) or str/float/int (Excel); missing cells are ''."""
    filename: str
    number_style: NumberStyle
    sheet: str | None = None
    """The Excel sheet read, if any."""

    def row_number(self, index: int) -> int:
        """The row as the user sees it in Excel or a text editor (row 1 is the header)."""
        return index + 2


def read_table(data: bytes, *, filename: str, sheet: str | None = None) -> RawTable:
    """Read CSV or .xlsx bytes; a clear Dutch InputError for anything we cannot read.

    Stops with an InputError as soon as the file goes past a limit of `wijkmodel.storage.limits` (rows,
    columns, cells, MAX_PARSE_SECONDS of reading): nothing is read beyond that point."""
    name = PurePath(filename).name or "het bestand"
    if len(data) > MAX_BYTES:
        raise InputError([f"{name} is groter dan 20 MB ({len(data) / 1024 / 1024:.1f} MB); dat is te groot."])
    if not data.strip():
        raise InputError([f"{name} is leeg."])
    deadline = _Deadline()
    suffix = PurePath(name).suffix.casefold()
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError([f"{name} is een oud Excel-bestand (.xls). Sla het op als .xlsx of als CSV."])
    try:
        if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
            raw = _read_xlsx(data, name, sheet, deadline)
        else:
            raw = _read_csv(data, name, deadline)
    except _TooSlow:
        raise InputError([_too_slow(name)]) from None
    if raw.cells.empty:
        raise InputError([f"{name} heeft alleen een kopregel en geen gegevens."])
    return raw


def parse_number(value: object, style: NumberStyle) -> float | None:
    """A cell as a number; None for an empty or missing mark; ValueError if it is no number."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return None if pd.isna(value) else float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.casefold() in MISSING_MARKS:
        return None
    if style == "nl" and _NUMBER_NL.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if style == "en" and _NUMBER_EN.match(text):
        return float(text.replace(",", ""))
    raise ValueError(value)


def sheet_names(data: bytes, *, filename: str = "het bestand") -> list[str]:
    """The sheets of an .xlsx (after the same safety checks and deadline as reading)."""
    name = PurePath(filename).name or "het bestand"
    _check_zip(data, name)
    from openpyxl import load_workbook

    try:
        book = load_workbook(_TimedBytes(data, _Deadline()), read_only=True, data_only=True)
    except _TooSlow:
        raise InputError([_too_slow(name)]) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise _not_xlsx(name, exc) from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


class _TooSlow(Exception):
    """The reading deadline passed. Not a ValueError: openpyxl wraps those in a ValueError of its own."""


class _Deadline:
    """MAX_PARSE_SECONDS from now; `check` raises _TooSlow once it has passed."""

    def __init__(self) -> None:
        self.at = _clock() + MAX_PARSE_SECONDS

    def check(self) -> None:
        if _clock() > self.at:
            raise _TooSlow


class _TimedBytes(io.BytesIO):
    """The .xlsx bytes for openpyxl: every read (of the zip directory, shared strings, styles and
    sheet rows, each in chunks of some kB) first checks the deadline, so openpyxl stops in time."""

    def __init__(self, data: bytes, deadline: _Deadline) -> None:
        super().__init__(data)
        self.deadline = deadline

    def read(self, size: int | None = -1, /) -> bytes:
        self.deadline.check()
        return super().read(size)


def _too_slow(name: str) -> str:
    return (
        f"{name}: het lezen duurde langer dan {format_number(MAX_PARSE_SECONDS)} seconden en is gestopt. "
        "Het bestand is te groot of te ingewikkeld. Haal weg wat u niet nodig hebt, of sla het op als CSV."
    )


def _too_many_rows(subject: str, *, sheet: bool = False) -> str:
    return (
        f"{subject} heeft meer dan {format_number(MAX_ROWS)} rijen. wijkmodel leest hoogstens "
        f"{format_number(MAX_ROWS)} rijen per bestand (het CBS-bestand van heel Nederland heeft er zo'n 18.000). "
        "Haal de rijen weg die u niet nodig hebt, bijvoorbeeld de buurten of andere gemeenten."
        + (
            " Lege rijen tussen de gegevens tellen mee: staan er onder de gegevens nog lege rijen met opmaak, "
            "verwijder die dan ook."
            if sheet
            else ""
        )
    )


def _too_many_columns(name: str, count: int) -> str:
    return (
        f"{name} heeft {format_number(count)} kolommen. wijkmodel leest hoogstens {format_number(MAX_COLUMNS)} "
        "kolommen per bestand. Haal de kolommen weg die u niet nodig hebt."
    )


def _too_many_cells(name: str) -> str:
    return (
        f"{name} heeft meer dan {format_number(MAX_CELLS)} cellen (rijen keer kolommen). Dat is te veel om in te "
        "lezen. Haal de rijen en kolommen weg die u niet nodig hebt."
    )


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise InputError(
                [
                    f"{name}: het bestand zegt UTF-8 te zijn, maar byte {exc.start + 4} is geen UTF-8. "
                    "Sla het opnieuw op."
                ]
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves 'CSV' in cp1252.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError([f"{name}: de tekens zijn niet te lezen. Sla het bestand op als CSV (UTF-8)."]) from None


def _separator(header: str) -> str:
    counts = {sep: len(next(csv.reader([header], delimiter=sep))) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 1 else ";"


def _number_style(separator: str, cells: pd.DataFrame) -> NumberStyle:
    if separator == ";":
        return "nl"
    if separator == ",":
        return "en"
    # Tab-separated: Dutch, unless a number only reads the English way (1,234.5 or 3.25).
    sample = [str(v).strip() for v in cells.head(200).to_numpy().ravel()]
    return "en" if any(_NUMBER_EN.match(v) and not _NUMBER_NL.match(v) for v in sample) else "nl"


def _read_csv(data: bytes, name: str, deadline: _Deadline) -> RawTable:
    text = _decode(data, name)
    if "\x00" in text:
        raise InputError([f"{name} is geen tekstbestand (CSV) en geen Excel-bestand."])
    first_line = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    # keep each row's line number: problems name the row the user sees, empty rows included
    numbered: list[tuple[int, list[str]]] = []
    problems: list[str] = []
    width = 0
    try:
        separator = _separator(first_line)
        records = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        for number, row in enumerate(records, start=1):
            deadline.check()
            if not any(c.strip() for c in row):
                continue
            if not numbered:  # the header
                if len(row) > MAX_COLUMNS:
                    raise InputError([_too_many_columns(name, len(row))])
                width = len(row)
                problems += _header_problems([c.strip() for c in row], name)
            elif len(numbered) > MAX_ROWS:
                raise InputError([_too_many_rows(name)])
            elif len(numbered) * width > MAX_CELLS:
                raise InputError([_too_many_cells(name)])
            elif len(row) > width and any(c.strip() for c in row[width:]) and len(problems) <= 50:
                problems.append(f"{name}, rij {number}: {len(row)} waarden, maar de kopregel heeft {width} kolommen.")
            numbered.append((number, row))
    except csv.Error as exc:
        raise InputError([_csv_problem(name, exc)]) from None
    if not numbered:
        raise InputError([f"{name} is leeg."])
    if problems:
        raise InputError(problems)
    header = [c.strip() for c in numbered[0][1]]
    body = [(r + [""] * width)[:width] for _, r in numbered[1:]]
    index = pd.Index([n - 2 for n, _ in numbered[1:]], dtype="int64")
    cells = pd.DataFrame(body, columns=header, dtype=object, index=index)
    return RawTable(cells=cells, filename=name, number_style=_number_style(separator, cells))


def _csv_problem(name: str, exc: csv.Error) -> str:
    """A Dutch message for what the csv module cannot read."""
    if "field larger than field limit" in str(exc):
        return f"{name}: een cel is langer dan {format_number(csv.field_size_limit())} tekens; dat kan niet kloppen."
    if "new-line character" in str(exc):
        return f"{name}: de regels eindigen op een manier die wijkmodel niet kan lezen. Sla het op als CSV (UTF-8)."
    return f"{name} is geen leesbaar CSV-bestand. Sla het bestand op als CSV (UTF-8)."


def _header_problems(header: list[str], name: str) -> list[str]:
    problems = []
    seen: set[str] = set()
    for number, column in enumerate(header, start=1):
        if not column:
            problems.append(f"{name}, kopregel: kolom {number} heeft geen naam.")
        elif column.casefold() in seen:
            problems.append(f"{name}, kopregel: de kolom '{column}' staat er twee keer in.")
        seen.add(column.casefold())
    return problems


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    # A damaged header can also claim an unknown zip version (NotImplementedError) or odd offsets.
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise _not_xlsx(name, exc) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise InputError([f"{name} bevat te veel onderdelen voor een Excel-bestand."])
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if total > MAX_UNZIPPED_BYTES or ratio > MAX_ZIP_RATIO:
                raise InputError([f"{name} wordt uitgepakt veel te groot (een 'zip-bom'); ik lees het niet."])
        if "xl/workbook.xml" not in {m.filename for m in members}:
            raise _not_xlsx(name)


def _not_xlsx(name: str, exc: BaseException | None = None) -> InputError:
    # The user gets Dutch only; the exception's kind goes to the log for whoever looks into a file.
    if exc is not None:
        log.info("%s is not a readable xlsx: %s: %s", name, type(exc).__name__, exc)
    return InputError(
        [f"{name} is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op in Excel en probeer het nog eens."]
    )


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _read_xlsx(data: bytes, name: str, sheet: str | None, deadline: _Deadline) -> RawTable:
    _check_zip(data, name)
    # openpyxl parses the XML with defusedxml when that is installed (it is pinned): no entity bombs.
    from openpyxl import load_workbook

    try:
        book = load_workbook(_TimedBytes(data, deadline), read_only=True, data_only=True)
    except _TooSlow:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise _not_xlsx(name, exc) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError([f"{name} heeft geen blad '{sheet}'."])
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        title = worksheet.title
        # The size a sheet claims (<dimension>) is not trusted: a few bytes can claim 16,384 columns by
        # a million rows, and openpyxl would fill every row out to it. Without it a row is as wide as
        # its last cell, and a missing row is an empty one.
        worksheet.reset_dimensions()
        rows: list[list[object]] = []
        numbers: list[int] = []
        used = 0  # the columns up to the last filled cell of any row
        cells = 0
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            deadline.check()
            if number > MAX_ROWS + 1:
                raise InputError([_too_many_rows(f"{name}, blad '{title}'", sheet=True)])
            tail = row[MAX_COLUMNS:]  # filled cells past the limit refuse the file; empty ones are dropped
            if tail and tail.count(None) != len(tail) and any(_filled(v) for v in set(tail)):
                raise InputError(
                    [
                        f"{name}, blad '{title}', rij {format_number(number)}: er staat iets na kolom "
                        f"{format_number(MAX_COLUMNS)}. wijkmodel leest hoogstens {format_number(MAX_COLUMNS)} "
                        "kolommen per bestand. Haal de kolommen weg die u niet nodig hebt."
                    ]
                )
            last = min(len(row), MAX_COLUMNS)
            while last and not _filled(row[last - 1]):
                last -= 1
            if last:
                rows.append(["" if v is None else v for v in row[:last]])
                numbers.append(number)
                used = max(used, last)
                cells += used
                if cells > MAX_CELLS:
                    raise InputError([_too_many_cells(name)])
    except (InputError, _TooSlow):
        raise
    except Exception as exc:  # noqa: BLE001 - read-only mode parses the sheet's rows only here, lazily
        raise _not_xlsx(name, exc) from None
    finally:
        book.close()
    if not rows:
        raise InputError([f"{name} is leeg (blad '{title}')."])
    # Trailing empty header cells are unused columns, not unnamed ones: the table is as wide as
    # the last filled cell of any row.
    width = used
    if (len(rows) - 1) * width > MAX_CELLS:
        raise InputError([_too_many_cells(name)])
    header = [str(c).strip() for c in (rows[0] + [""] * width)[:width]]
    problems = _header_problems(header, name)
    if problems:
        raise InputError(problems)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    index = pd.Index([n - 2 for n in numbers[1:]], dtype="int64")
    cells_frame = pd.DataFrame(body, columns=header, dtype=object, index=index)
    return RawTable(cells=cells_frame, filename=name, number_style="nl", sheet=title)
