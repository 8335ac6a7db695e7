"""Reading an uploaded table (CSV or Excel) into raw cells, safely and the Dutch way.

Files come as they come out of Excel: `;` or `,` or tab separators, decimal comma and thousands
dot, cp1252 or UTF-8 with or without BOM. Each gives the same raw table. Excel files are checked
for zip bombs before openpyxl opens them, and openpyxl parses their XML with defusedxml.
Nothing here knows about wijken: `wijk_import` decides what the columns mean.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

import pandas as pd

from wijkmodel.indicators import format_number
from wijkmodel.inputs import InputError

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
"""Largest file we read (the app's upload limit is the same)."""
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
"""Largest total size of the parts of an .xlsx once unpacked."""
MAX_ZIP_RATIO = 200
"""Largest unpacked/packed ratio of one part: more is a zip bomb, not a spreadsheet."""
MAX_ZIP_MEMBERS = 2000
MAX_ROWS = 200_000
MAX_COLUMNS = 1000

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
    """Read CSV or .xlsx bytes; a clear Dutch InputError for anything we cannot read."""
    name = PurePath(filename).name or "het bestand"
    if len(data) > MAX_BYTES:
        raise InputError([f"{name} is groter dan 20 MB ({len(data) / 1024 / 1024:.1f} MB); dat is te groot."])
    if not data.strip():
        raise InputError([f"{name} is leeg."])
    suffix = PurePath(name).suffix.casefold()
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError([f"{name} is een oud Excel-bestand (.xls). Sla het op als .xlsx of als CSV."])
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        raw = _read_xlsx(data, name, sheet)
    else:
        raw = _read_csv(data, name)
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


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an .xlsx (after the same safety checks as reading)."""
    _check_zip(data, "het bestand")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


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


def _read_csv(data: bytes, name: str) -> RawTable:
    text = _decode(data, name)
    if "\x00" in text:
        raise InputError([f"{name} is geen tekstbestand (CSV) en geen Excel-bestand."])
    first_line = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    try:
        separator = _separator(first_line)
        records = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        # keep each row's line number: problems name the row the user sees, empty rows included
        numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise InputError([_csv_problem(name, exc)]) from None
    if not numbered:
        raise InputError([f"{name} is leeg."])
    rows = [r for _, r in numbered]
    header = [c.strip() for c in rows[0]]
    problems = _header_problems(header, name)
    width = len(header)
    for number, row in numbered[1:]:
        if len(row) > width and any(c.strip() for c in row[width:]):
            problems.append(f"{name}, rij {number}: {len(row)} waarden, maar de kopregel heeft {width} kolommen.")
        if len(problems) > 50:
            break
    if problems:
        raise InputError(problems)
    if len(rows) - 1 > MAX_ROWS:
        raise InputError([f"{name} heeft meer dan {MAX_ROWS:,} rijen.".replace(",", ".")])
    body = [(r + [""] * width)[:width] for r in rows[1:]]
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
    if len(header) > MAX_COLUMNS:
        problems.append(f"{name} heeft {len(header)} kolommen; het maximum is {MAX_COLUMNS}.")
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


def _read_xlsx(data: bytes, name: str, sheet: str | None) -> RawTable:
    _check_zip(data, name)
    # openpyxl parses the XML with defusedxml when that is installed (it is pinned): no entity bombs.
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise _not_xlsx(name, exc) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError([f"{name} heeft geen blad '{sheet}'."])
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows: list[list[object]] = []
        numbers: list[int] = []
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if len(rows) > MAX_ROWS:
                raise InputError([f"{name} heeft meer dan {MAX_ROWS:,} rijen.".replace(",", ".")])
            if any(v is not None and str(v).strip() for v in row):
                rows.append(["" if v is None else v for v in row])
                numbers.append(number)
        title = worksheet.title
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - read-only mode parses the sheet's rows only here, lazily
        raise _not_xlsx(name, exc) from None
    finally:
        book.close()
    if not rows:
        raise InputError([f"{name} is leeg (blad '{title}')."])
    width = max(len(r) for r in rows)
    header_cells = (rows[0] + [""] * width)[:width]
    # Trailing empty header cells are unused columns, not unnamed ones.
    while (
        header_cells
        and str(header_cells[-1]).strip() == ""
        and all(len(r) < len(header_cells) or str(r[len(header_cells) - 1]).strip() == "" for r in rows[1:])
    ):
        header_cells.pop()
    width = len(header_cells)
    header = [str(c).strip() for c in header_cells]
    problems = _header_problems(header, name)
    if problems:
        raise InputError(problems)
    body = [(list(r) + [""] * width)[:width] for r in rows[1:]]
    index = pd.Index([n - 2 for n in numbers[1:]], dtype="int64")
    cells = pd.DataFrame(body, columns=header, dtype=object, index=index)
    return RawTable(cells=cells, filename=name, number_style="nl", sheet=title)
