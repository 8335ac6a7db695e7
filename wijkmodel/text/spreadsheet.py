"""Writing cells that a spreadsheet never runs as a formula (OWASP CSV injection).

Text is stored as text with Excel's quote prefix: it reads back exactly as typed, and stays
text even when someone edits the cell. Numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from wijkmodel.colours import ACCENT

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=ACCENT.lstrip("#"))


def put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """One cell: None/NaN empty, numbers as numbers, dates as dates, everything else as text."""
    cell = sheet.cell(row=row, column=column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, bool):
        cell.value = "ja" if value else "nee"
    elif isinstance(value, int | float | dt.datetime | dt.date):
        cell.value = value
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters cannot be stored in xlsx
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever it starts with
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True


def write_table(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A header row (bold, frozen, filterable) and the rows under it, columns sized to their text."""
    widths = [len(h) for h in header]
    for c, heading in enumerate(header, start=1):
        put(sheet, 1, c, heading)
        sheet.cell(row=1, column=c).font = HEADER_FONT
        sheet.cell(row=1, column=c).fill = HEADER_FILL
        sheet.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    n = 1
    for n, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            put(sheet, n, c, value)
            if value is not None:
                widths[c - 1] = max(widths[c - 1], min(len(str(value)), 60))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(8, width + 2)
    sheet.freeze_panes = "A2"
    if n > 1:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n}"
