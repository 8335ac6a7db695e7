"""The limits that keep one file or one import from taking the app down (issue 13, finding 6).

Every limit lives here, once. Each is checked *before* the work it bounds, and going past one
gives a clear Dutch message and changes nothing:

| limit | value | checked where |
|---|---|---|
| `MAX_BYTES` | 20 MB | `table_files.read_table`, before anything is read (the app's upload limit is the same) |
| `MAX_UNZIPPED_BYTES`, `MAX_ZIP_RATIO`, `MAX_ZIP_MEMBERS` | 200 MB, 200, 2,000 | an .xlsx, before openpyxl opens it |
| `MAX_ROWS` | 50,000 rows | while a CSV or a sheet is read, row by row |
| `MAX_COLUMNS` | 1,000 columns | the header, and each row as it is read |
| `MAX_CELLS` | 5,000,000 cells | rows x columns, while reading and before the table is built |
| `MAX_PARSE_SECONDS` | 30 s | reading a file: checked in the row loop and on every read from an .xlsx |
| `MAX_WIJKEN` | 1,000 wijken | per municipality: every import (file, CBS file, JSON backup), adding a wijk |

Why these values: the whole country's CBS file (Kerncijfers wijken en buurten: every
municipality, wijk and buurt) has some 18,000 rows of about 120 columns (2.2 million cells); the
largest municipality has about 100 wijken. Each limit leaves room above what is real and stops
what no municipality has (a file of 200,000 made-up wijken kept the app busy for minutes).
`scripts/bench_limit.py` measures that a municipality at `MAX_WIJKEN` stays usable.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkmodel.model.indicators import format_number
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.tables import Municipality, Unit, UnitKind

MAX_BYTES = 20 * 1024 * 1024
"""Largest file read (CSV or .xlsx); the app's upload limit (.streamlit/config.toml) is the same."""
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
"""Largest total size of the parts of an .xlsx once unpacked."""
MAX_ZIP_RATIO = 200
"""Largest unpacked/packed ratio of one part of an .xlsx: more is a zip bomb, not a spreadsheet."""
MAX_ZIP_MEMBERS = 2000
"""Most parts in an .xlsx."""

MAX_ROWS = 50_000
"""Most rows of data in one file (the header not counted). The whole country's CBS file has ~18,000.
In a sheet every row up to the last one counts, empty rows in between too: a sheet can claim a row
a million rows down in a few bytes."""
MAX_COLUMNS = 1000
"""Most columns in one file (the CBS file has ~120)."""
MAX_CELLS = 5_000_000
"""Most cells (data rows x columns) in one file: bounds the memory of one upload to some hundreds of MB."""
MAX_PARSE_SECONDS = 30.0
"""Longest time reading one file may take (wall clock). The country's CBS file reads in about a second."""

MAX_WIJKEN = 1000
"""Most wijken in one municipality (the largest Dutch municipality has ~100)."""


def wijk_room_problem(*, municipality: str, existing: int, adding: int) -> str | None:
    """The Dutch message when `existing` + `adding` wijken go past MAX_WIJKEN, else None."""
    if existing + adding <= MAX_WIJKEN:
        return None
    if adding == 1:
        return (
            f"{municipality} heeft al {format_number(existing)} wijken. Meer dan {format_number(MAX_WIJKEN)} wijken "
            "per gemeente kan niet in wijkmodel. Er kan geen wijk meer bij."
        )
    return (
        f"Met {format_number(adding)} nieuwe wijken krijgt {municipality} {format_number(existing + adding)} wijken "
        f"(nu {format_number(existing)}). Meer dan {format_number(MAX_WIJKEN)} wijken per gemeente kan niet in "
        "wijkmodel. Kies een bestand met alleen de wijken van deze gemeente, zonder buurten."
    )


def wijken_in_file_problem(*, filename: str, municipality: str, count: int) -> str | None:
    """The Dutch message when a file holds more than MAX_WIJKEN wijken of one municipality, else None.

    Checked before a cell is parsed: every wijk row of the file is a wijk of its own (a file that
    names one wijk twice is refused anyway), so more rows than MAX_WIJKEN can never fit."""
    if count <= MAX_WIJKEN:
        return None
    return (
        f"{filename} heeft {format_number(count)} wijken van {municipality}. Meer dan {format_number(MAX_WIJKEN)} "
        "wijken per gemeente kan niet in wijkmodel. Staan er buurten in het bestand als wijk (code WK)? "
        "Kies dan een bestand met alleen de wijken."
    )


def check_wijk_room(*, session: Session, municipality_id: int, adding: int) -> None:
    """Raise InputError when adding `adding` wijken would take the municipality past MAX_WIJKEN.

    Call it before the wijken are added, in the same transaction (one query)."""
    name = session.scalar(select(Municipality.name).where(Municipality.id == municipality_id))
    if name is None:
        raise InputError(["Deze gemeente bestaat niet (meer)."])
    existing = session.scalar(
        select(func.count(Unit.id)).where(Unit.municipality_id == municipality_id, Unit.kind == UnitKind.WIJK.value)
    )
    problem = wijk_room_problem(municipality=name, existing=int(existing or 0), adding=adding)
    if problem is not None:
        raise InputError([problem])
