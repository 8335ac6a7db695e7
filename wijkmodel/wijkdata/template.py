"""The own template for wijk figures: code, naam, and a column per indicator the municipality adds."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from wijkmodel.storage.tables import UnitKind
from wijkmodel.text.spreadsheet import write_table

HEADER = ["code", "naam", "Aantal inwoners"]
"""The template's columns; users add one column per own indicator after these."""


def template_xlsx(units: pd.DataFrame) -> bytes:
    """The template as .xlsx, with the municipality's wijken filled in (units: name, kind, cbs_code, population)."""
    wijken = units[units["kind"] == UnitKind.WIJK.value].sort_values("name", key=lambda s: s.str.casefold())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Wijken"
    rows = [
        [code or None, name, None if pd.isna(population) else int(population)]
        for code, name, population in zip(wijken["cbs_code"], wijken["name"], wijken["population"], strict=True)
    ]
    write_table(sheet, HEADER, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
