"""Made-up neighbourhood figures for the demo municipality, in the layout of CBS Kerncijfers wijken en buurten.

Never a real municipality's figures. The file looks like a CBS download (codes with trailing
spaces, `;` separators, decimal comma, suffixes that change per year, buurt rows and a row of
another municipality), so a new user can try the import with it, and the demo loads it through
the same import as any user file.
"""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from wijkmodel.demo.facts import DEMO_CBS_CODE, DEMO_NAME, WIJKEN
from wijkmodel.demo.geometry import add_demo_boundaries
from wijkmodel.model.indicators import format_number
from wijkmodel.wijkdata.mapping import guess_mapping
from wijkmodel.wijkdata.table_files import read_table
from wijkmodel.wijkdata.wijk_import import import_wijken

DEMO_YEAR = 2024
"""The year of the figures the demo loads."""
DEMO_SOURCE = "verzonnen cijfers in CBS-opmaak (Kerncijfers wijken en buurten)"

# indicator name without suffix, suffix in the first year, decimals (made-up layout in CBS style)
_INDICATORS = [
    ("AantalInwoners", 5, 0),
    ("k_0Tot15Jaar", 8, 0),
    ("HuishoudensMetEenLaagInkomen", 78, 1),
    ("GemiddeldInkomenPerInwoner", 75, 1),
    ("JongerenMetJeugdzorgInNatura", 91, 1),
]


def _code(number: int) -> str:
    return f"WK{DEMO_CBS_CODE[2:]}{number:02d}"


def demo_rows(year: int = DEMO_YEAR) -> list[dict[str, object]]:
    """One row per wijk plus the municipality's own row; need falls as the wijk's maturity rises."""
    rng = random.Random(year)  # noqa: S311 - made-up figures, not security
    growth = 1 + 0.006 * (year - DEMO_YEAR)
    rows = []
    for number, (name, population, base, *_) in enumerate(WIJKEN, start=1):
        need = max(2.0, 22 - base * 0.22 + rng.gauss(0, 1.6))  # made up: more youth care where maturity is low
        rows.append(
            {
                "code": _code(number),
                "name": name,
                "AantalInwoners": round(population * growth),
                "k_0Tot15Jaar": round(population * rng.uniform(0.13, 0.21)),
                "HuishoudensMetEenLaagInkomen": round(need * 0.6 + rng.uniform(1, 4), 1),
                "GemiddeldInkomenPerInwoner": round(38 - need * 0.5 + rng.uniform(-2, 2), 1),
                "JongerenMetJeugdzorgInNatura": round(need, 1),
            }
        )
    return rows


def demo_csv(year: int = DEMO_YEAR) -> bytes:
    """The demo figures as a CBS-style CSV the way Excel saves it in the Netherlands (cp1252, `;`, 1.234,5)."""
    shift = 2 * (year - DEMO_YEAR)  # CBS renumbers its columns every year
    header = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3"] + [
        f"{name}_{suffix + shift}" for name, suffix, _ in _INDICATORS
    ]
    rows = demo_rows(year)
    total = {key: sum(float(str(r[key])) for r in rows) for key in ("AantalInwoners", "k_0Tot15Jaar")}
    whole: dict[str, object] = {
        **total,
        "code": DEMO_CBS_CODE,
        "HuishoudensMetEenLaagInkomen": "",
        "GemiddeldInkomenPerInwoner": "",
        "JongerenMetJeugdzorgInNatura": "",
    }
    lines = [";".join(header)]
    kinds = [("Gemeente", whole)] + [("Wijk", r) for r in rows]
    # two buurten of the first wijk and a wijk of another (made-up) municipality: the import skips them
    kinds += [("Buurt", {"code": f"BU{DEMO_CBS_CODE[2:]}01{n:02d}", "AantalInwoners": 1200 + n}) for n in (1, 2)]
    kinds += [("Wijk", {"code": "WK999800", "AantalInwoners": 4100, "_town": "Andersdorp"})]
    for number, (kind, row) in enumerate(kinds, start=1):
        town = str(row.get("_town", DEMO_NAME))
        cells = [str(number), f"{row['code']:<10}", f"{town:<40}", f"{kind:<10}", f"{row['code']:<10}"]
        for name, _, decimals in _INDICATORS:
            value = row.get(name, "")
            # CBS writes '.' for unknown
            cells.append("." if value == "" else format_number(float(str(value)), decimals))
        lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def demo_csv_name(year: int = DEMO_YEAR) -> str:
    """File name of the demo figures (it names the year, so the import fills it in)."""
    return f"voorbeeldstad_kerncijfers_{year}.csv"


def add_demo_wijkdata(*, session: Session, municipality_id: int) -> None:
    """Load the demo figures and the made-up boundaries through the same import as a user's files."""
    raw = read_table(demo_csv(), filename=demo_csv_name())
    import_wijken(
        session=session,
        municipality_id=municipality_id,
        raw=raw,
        mapping=guess_mapping(raw),
        year=DEMO_YEAR,
        source=DEMO_SOURCE,
    )
    add_demo_boundaries(session=session, municipality_id=municipality_id)
