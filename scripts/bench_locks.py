"""Benchmark of save locks on PostgreSQL: a slider save in one municipality while another imports.

    .venv/bin/python scripts/bench_locks.py --url postgresql+psycopg://... [--repeat 5]

The database at --url is emptied. Municipality "Grootstad" imports an own file of MAX_WIJKEN
(1,000) new wijken with 20 kerncijfers (20,000 values) the way the app does (planned in a read
session, written in one save); meanwhile a colleague in "Buurgemeente" moves a slider every 20 ms
(`save_position` in a save of her own municipality). Reported, as medians over --repeat runs: how
long the import's write transaction took, and the colleague's median and longest slider save while
it ran; once with the import locking only its own municipality (how the app saves) and once
locking everything (how every save locked before issue 13), against the colleague's saves with
no import at all, measured in the same run. Target (issue 13): the longest slider save <= 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_wijkdata import own_file
from sqlalchemy import MetaData, create_engine

from wijkmodel.model.loader import load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.wijkdata.mapping import guess_mapping
from wijkmodel.wijkdata.table_files import read_table
from wijkmodel.wijkdata.wijk_import import prepare_import, save_import

PROBE_EVERY_S = 0.02


def empty_database(url: str) -> None:
    """Drop every table of the database at `url` (a benchmark's own PostgreSQL database)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = MetaData()
        tables.reflect(conn)
        tables.drop_all(conn)
    engine.dispose()


class Colleague(threading.Thread):
    """Moves one slider in her own municipality every PROBE_EVERY_S; each save timed."""

    def __init__(self, factory: Sessions, municipality_id: int, respondent_id: int, model: MaturityModel) -> None:
        super().__init__(daemon=True)
        self.factory, self.municipality_id, self.respondent_id, self.model = (
            factory,
            municipality_id,
            respondent_id,
            model,
        )
        self.saves: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        position = 0
        while not self.stop.is_set():
            position = (position + 1) % 101
            start = time.perf_counter()
            with self.factory.begin(self.municipality_id) as session:
                save_position(
                    session=session,
                    respondent_id=self.respondent_id,
                    theme_id="visie_inspiratie",
                    model=self.model,
                    position=position,
                )
            self.saves.append((start, time.perf_counter() - start))
            self.stop.wait(PROBE_EVERY_S)


def one_run(url: str, data: bytes, model: MaturityModel, lock: str) -> dict[str, float]:
    """One import beside a colleague; lock: 'gemeente', 'alles' or 'geen import'."""
    empty_database(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        importer = create_municipality(session=session, name="Grootstad").id
        other = create_municipality(session=session, name="Buurgemeente")
        round_ = create_round(session=session, municipality_id=other.id, label="2026", date=dt.date(2026, 1, 1))
        whole = other.units[0].id
        respondent = get_or_create_respondent(session=session, round_id=round_.id, unit_id=whole, role="gemeente").id
        other_id = other.id
    raw = read_table(data, filename="kerncijfers_2024.csv")
    with factory() as session:
        prepared = prepare_import(
            session=session, municipality_id=importer, raw=raw, mapping=guess_mapping(raw), year=2024, source="eigen"
        )
    colleague = Colleague(factory, other_id, respondent, model)
    colleague.start()
    time.sleep(0.3)
    start = time.perf_counter()
    if lock == "geen import":
        time.sleep(1.0)
    else:
        with factory.begin(importer if lock == "gemeente" else None) as session:
            save_import(session=session, prepared=prepared)
    end = time.perf_counter()
    time.sleep(0.3)
    colleague.stop.set()
    colleague.join()
    engine.dispose()
    # every slider save that overlapped the import
    during = [took for began, took in colleague.saves if began < end and began + took > start]
    return {"import": end - start, "median": statistics.median(during), "max": max(during), "n": len(during)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="a PostgreSQL database that may be emptied")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.url.startswith("postgresql"):
        parser.error("--url moet een PostgreSQL-URL zijn")
    model = load_model()
    data = own_file()
    rows = data.count(b"\n") - 1
    print(f"Import: eigen bestand, {rows} wijken x 20 kerncijfers; {args.repeat} keer, mediaan.")
    for lock, label in (
        ("geen import", "zonder import (basis)"),
        ("gemeente", "import slot op eigen gemeente (nu)"),
        ("alles", "import slot op alles (voor issue 13)"),
    ):
        runs = [one_run(args.url, data, model, lock) for _ in range(args.repeat)]

        def med(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs) * 1000

        print(
            f"  {label}: import {med('import'):.0f} ms; schuifje ernaast mediaan {med('median'):.0f} ms, "
            f"langste {med('max'):.0f} ms (mediaan over de runs; {int(statistics.median(r['n'] for r in runs))} "
            "opslagen per run)"
        )


if __name__ == "__main__":
    main()
