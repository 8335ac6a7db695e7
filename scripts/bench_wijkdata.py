"""Benchmark of the wijk-analyse: importing a CBS file of the whole country, and drawing the map.

    .venv/bin/python scripts/bench_wijkdata.py [--repeat 5]

1. A synthetic CBS "Kerncijfers wijken en buurten" file of the country: 342 municipalities,
   3,500 wijken, 14,000 buurten, 20 indicators, written the Dutch Excel way (cp1252, `;`,
   1.234,5, codes with trailing spaces). Timed: reading it, checking it and saving every
   municipality and wijk in a fresh SQLite database (`import-wijken --alle-gemeenten`), and the
   import of one municipality from the same file (`import-wijken --gemeente`). Bound: <= 5 s.
2. The map of a municipality of 100 wijken, built server-side (figure and its JSON, as Streamlit
   sends it). Bound: <= 500 ms.
Medians of --repeat runs; the figures are made up (never a real municipality's).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wijkmodel.charts import Caption
from wijkmodel.country_import import import_all_municipalities
from wijkmodel.db import make_engine, make_sessionmaker
from wijkmodel.demo_geometry import synthetic_boundaries
from wijkmodel.loader import load_model
from wijkmodel.map_chart import MapKind, MapSpec, municipality_map
from wijkmodel.store import create_municipality, find_municipality
from wijkmodel.table_files import read_table
from wijkmodel.wijk_import import import_wijken
from wijkmodel.wijk_mapping import guess_mapping

MUNICIPALITIES = 342
WIJKEN = 3500
BUURTEN_PER_WIJK = 4
INDICATORS = 20


def country_csv(seed: int = 85984) -> bytes:
    """The synthetic country file (deterministic)."""
    rng = random.Random(seed)  # noqa: S311 - made-up figures
    names = [f"Indicator{chr(65 + i // 26)}{chr(65 + i % 26)}Waarde_{5 + i * 3}" for i in range(INDICATORS)]
    names[0] = "AantalInwoners_5"
    names[1] = "JongerenMetJeugdzorgInNatura_91"
    header = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", *names]
    lines = [";".join(header)]
    per = [WIJKEN // MUNICIPALITIES + (1 if m < WIJKEN % MUNICIPALITIES else 0) for m in range(MUNICIPALITIES)]
    number = 0

    def row(code: str, town: str, kind: str) -> str:
        nonlocal number
        number += 1
        values = [f"{rng.randint(500, 40000):,}".replace(",", ".")]
        values += [f"{rng.uniform(0, 60):.1f}".replace(".", ",") for _ in range(INDICATORS - 1)]
        return ";".join([str(number), f"{code:<10}", f"{town:<40}", f"{kind:<10}", f"{code:<10}", *values])

    for m, count in enumerate(per):
        digits = f"{m + 1:04d}"
        town = f"Gemeente {m + 1:03d}"
        lines.append(row(f"GM{digits}", town, "Gemeente"))
        for w in range(count):
            lines.append(row(f"WK{digits}{w:02d}", town, "Wijk"))
            for b in range(BUURTEN_PER_WIJK):
                lines.append(row(f"BU{digits}{w:02d}{b:02d}", town, "Buurt"))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f})"


def bench_import(repeat: int) -> None:
    data = country_csv()
    lines = data.count(b"\n") - 1
    print(f"Landelijk bestand: {len(data) / 1024 / 1024:.1f} MB, {lines} rijen.")
    read_s, all_s, one_s = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            factory = make_sessionmaker(make_engine(f"sqlite:///{folder}/bench.sqlite"))
            start = time.perf_counter()
            raw = read_table(data, filename="85984NED_land.csv")
            mapping = guess_mapping(raw)
            read_s.append(time.perf_counter() - start)
            with factory.begin() as session:
                result = import_all_municipalities(
                    session=session, raw=raw, mapping=mapping, year=2024, source="CBS 85984NED"
                )
            all_s.append(time.perf_counter() - start)
            with factory.begin() as session:
                create_municipality(session=session, name="Losse gemeente")
            start = time.perf_counter()
            raw = read_table(data, filename="85984NED_land.csv")
            with factory.begin() as session:
                target = find_municipality(session=session, name="Gemeente 100")
                assert target is not None
                one = import_wijken(
                    session=session,
                    municipality_id=target.id,
                    raw=raw,
                    mapping=guess_mapping(raw),
                    year=2025,
                    source="CBS 85984NED",
                )
            one_s.append(time.perf_counter() - start)
    print(
        f"  gelezen en kolommen herkend: {_median_ms(read_s)}\n"
        f"  alle gemeenten ({result.municipalities} gemeenten, {result.wijken} wijken, {result.values} waarden): "
        f"{_median_ms(all_s)}  (grens 5 s)\n"
        f"  één gemeente uit hetzelfde bestand ({one.wijken} wijken): {_median_ms(one_s)}"
    )


def bench_map(repeat: int) -> None:
    model = load_model()
    codes = [f"WK0999{n:02d}" for n in range(100)]
    collection = synthetic_boundaries(codes)
    geometries = {n: f["geometry"] for n, f in enumerate(collection["features"])}
    rng = random.Random(1)  # noqa: S311 - made-up figures
    values = pd.DataFrame(
        {
            "unit": list(geometries),
            "name": [f"Wijk {n}" for n in geometries],
            "value": [rng.uniform(0, 100) for _ in geometries],
        }
    )
    caption = Caption("Benchmarkstad", "2026", "gemiddelde van de thema's", pd.Timestamp("2026-11-23").date())
    for kind in (MapKind.PHASE, MapKind.INDICATOR):
        spec = MapSpec(title="Kaart", caption=caption, label="Totaalfase", kind=kind, detail="2024")
        municipality_map(geometries, values, spec, model).to_json()  # warm-up
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            municipality_map(geometries, values, spec, model).to_json()
            samples.append(time.perf_counter() - start)
        print(f"  kaart van 100 wijken ({kind.value}), figuur + JSON: {_median_ms(samples)}  (grens 500 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("Import van wijkdata")
    bench_import(args.repeat)
    print("Kaart")
    bench_map(max(args.repeat, 7))


if __name__ == "__main__":
    main()
