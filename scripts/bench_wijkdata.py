"""Benchmark of the wijk-analyse: importing a CBS file of the whole country, and drawing the map.

    .venv/bin/python scripts/bench_wijkdata.py [--repeat 5]

1. A synthetic CBS "Kerncijfers wijken en buurten" file of the country: 342 municipalities,
   3,500 wijken, 14,000 buurten, 20 indicators, written the Dutch Excel way (cp1252, `;`,
   1.234,5, codes with trailing spaces). Timed: reading it, checking it and saving every
   municipality and wijk in a fresh SQLite database (`import-wijken --alle-gemeenten`), and the
   import of one municipality from the same file (`import-wijken --gemeente`). Bound: <= 5 s.
2. The map of a municipality of 100 wijken, built server-side (figure and its JSON, as Streamlit
   sends it). Bound: <= 500 ms.
3. The write lock (SQLite, a database file): how long the write transaction of an import holds
   it, from BEGIN IMMEDIATE to the end of COMMIT, for a file of 20,000 rows (the country file of
   part 1 with more wijken, imported for one municipality) and for an own file of MAX_WIJKEN
   (1,000) new wijken with 20 kerncijfers (20,000 values). Each the way the app saves
   (`prepare_import` in a read session, then `save_import` in the write transaction) and the way
   of one session (`import_wijken` in the write transaction: planning inside the lock); for the
   20,000-row file also the import of all its municipalities in one write transaction. Meanwhile
   a second thread saves a small change every 20 ms, as a colleague would: its longest wait is
   reported too. `--alleen-slot` runs only this part.
Medians of --repeat runs; the figures are made up (never a real municipality's).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, update
from sqlalchemy.engine import Engine

from wijkmodel.charts.base import Caption
from wijkmodel.charts.map import MapKind, MapSpec, municipality_map
from wijkmodel.demo.geometry import synthetic_boundaries
from wijkmodel.model.indicators import format_number
from wijkmodel.model.loader import load_model
from wijkmodel.storage.db import SAVE, Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.limits import MAX_WIJKEN
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.tables import Municipality
from wijkmodel.wijkdata.country_import import import_all_municipalities
from wijkmodel.wijkdata.import_save import ImportResult
from wijkmodel.wijkdata.mapping import guess_mapping
from wijkmodel.wijkdata.table_files import read_table
from wijkmodel.wijkdata.wijk_import import import_wijken, prepare_import, save_import

MUNICIPALITIES = 342
WIJKEN = 3500
BUURTEN_PER_WIJK = 4
INDICATORS = 20


def country_csv(seed: int = 85984, wijken: int = WIJKEN) -> bytes:
    """The synthetic country file (deterministic): 342 municipalities, `wijken` wijken, 4 buurten each."""
    rng = random.Random(seed)  # noqa: S311 - made-up figures
    names = [f"Indicator{chr(65 + i // 26)}{chr(65 + i % 26)}Waarde_{5 + i * 3}" for i in range(INDICATORS)]
    names[0] = "AantalInwoners_5"
    names[1] = "JongerenMetJeugdzorgInNatura_91"
    header = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", *names]
    lines = [";".join(header)]
    per = [wijken // MUNICIPALITIES + (1 if m < wijken % MUNICIPALITIES else 0) for m in range(MUNICIPALITIES)]
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


LOCK_ROWS = 20_000
"""Rows of the file whose import's write lock is measured."""
PROBE_EVERY_S = 0.02


def own_file(wijken: int = MAX_WIJKEN, indicators: int = INDICATORS, seed: int = 1) -> bytes:
    """An own file (no codes) of `wijken` new wijken with `indicators` kerncijfers, the Dutch way."""
    rng = random.Random(seed)  # noqa: S311 - made-up figures
    header = ["naam", "Inwoners", *(f"Kerncijfer {i}" for i in range(1, indicators))]
    lines = [";".join(header)]
    for w in range(wijken):
        values = [str(rng.randint(500, 40000)), *(f"{rng.uniform(0, 60):.1f}".replace(".", ",") for _ in header[2:])]
        lines.append(";".join([f"Wijk {w + 1:04d}", *values]))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


class LockClock:
    """When each write transaction on an engine took the write lock (right after BEGIN IMMEDIATE)."""

    def __init__(self, engine: Engine) -> None:
        self.taken: list[float] = []
        self.thread = threading.get_ident()  # only this thread's transactions: the colleague has its own
        event.listen(engine, "begin", self._begin)  # after make_engine's own listener, which sends the BEGIN

    def _begin(self, connection: Any) -> None:
        if connection.get_execution_options().get(SAVE) and threading.get_ident() == self.thread:
            self.taken.append(time.perf_counter())


class Colleague(threading.Thread):
    """A second user of the same app process: a small save every PROBE_EVERY_S, each timed."""

    def __init__(self, factory: Sessions, municipality_id: int) -> None:
        super().__init__(daemon=True)
        self.factory, self.municipality_id = factory, municipality_id
        self.waits: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            with self.factory.begin() as session:
                session.execute(
                    update(Municipality)
                    .where(Municipality.id == self.municipality_id)
                    .values(revision=Municipality.revision + 1)
                )
            self.waits.append(time.perf_counter() - start)
            self.stop.wait(PROBE_EVERY_S)


def _one_lock(data: bytes, filename: str, target: str, way: str) -> dict:
    """One import into a fresh SQLite file: seconds the write lock was held, and the colleague's longest save."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/slot.sqlite")
        factory = make_sessionmaker(engine)
        with factory.begin() as session:
            municipality_id = create_municipality(session=session, name=target).id
            other = create_municipality(session=session, name="Buurgemeente").id
        clock = LockClock(engine)
        colleague = Colleague(factory, other)
        colleague.start()
        time.sleep(0.2)
        raw = read_table(data, filename=filename)
        chosen = guess_mapping(raw)
        start = time.perf_counter()
        if way == "app":
            with factory() as session:
                prepared = prepare_import(
                    session=session, municipality_id=municipality_id, raw=raw, mapping=chosen, year=2024, source="CBS"
                )
            taken_before = len(clock.taken)
            with factory.begin() as session:
                result = save_import(session=session, prepared=prepared)
        elif way == "alle gemeenten":
            taken_before = len(clock.taken)
            with factory.begin() as session:
                country = import_all_municipalities(session=session, raw=raw, mapping=chosen, year=2024, source="CBS")
            result = ImportResult(new_wijken=country.new_wijken, wijken=country.wijken, values=country.values, lines=[])
        else:
            taken_before = len(clock.taken)
            with factory.begin() as session:
                result = import_wijken(
                    session=session, municipality_id=municipality_id, raw=raw, mapping=chosen, year=2024, source="CBS"
                )
        done = time.perf_counter()
        time.sleep(0.2)
        colleague.stop.set()
        colleague.join()
        engine.dispose()
        (taken,) = clock.taken[taken_before:]  # the import's own write transaction
        return {"held": done - taken, "total": done - start, "wait": max(colleague.waits), "wijken": result.wijken}


def bench_write_lock(repeat: int) -> None:
    per_municipality = (LOCK_ROWS - MUNICIPALITIES) // (1 + BUURTEN_PER_WIJK)
    country = country_csv(wijken=per_municipality)
    rows = country.count(b"\n") - 1
    cases = [
        (
            f"CBS-bestand van {format_number(rows)} rijen, voor één gemeente",
            country,
            "85984NED_land.csv",
            "Gemeente 100",
        ),
        (
            f"eigen bestand, {format_number(MAX_WIJKEN)} nieuwe wijken × {INDICATORS} kerncijfers",
            own_file(),
            "kerncijfers_2024.csv",
            "Grootstad",
        ),
    ]
    ways = [("app", "plannen vóór de transactie (app)"), ("één sessie", "plannen ín de transactie")]
    for number, (label, data, filename, target) in enumerate(cases):
        print(f"  {label}:")
        country_way = [("alle gemeenten", "alle gemeenten (import-wijken --alle-gemeenten)")] if number == 0 else []
        for way, text in ways + country_way:
            runs = [_one_lock(data, filename, target, way) for _ in range(repeat)]
            held = [r["held"] for r in runs]
            waits = [r["wait"] for r in runs]
            print(
                f"    {text}: schrijfslot {_median_ms(held)}; hele import {_median_ms([r['total'] for r in runs])}; "
                f"langste kleine opslag ernaast {_median_ms(waits)} ({runs[0]['wijken']} wijken)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--alleen-slot", action="store_true", help="alleen het schrijfslot meten (deel 3)")
    args = parser.parse_args()
    if not args.alleen_slot:
        print("Import van wijkdata")
        bench_import(args.repeat)
        print("Kaart")
        bench_map(max(args.repeat, 7))
    print("Schrijfslot van een import (SQLite, mediaan)")
    bench_write_lock(args.repeat)


if __name__ == "__main__":
    main()
