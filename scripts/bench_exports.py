"""Benchmark of the steering exports on the demo municipality (medians of several runs).

    .venv/bin/python scripts/bench_exports.py [--repeat 5]

Reports: the deck (.pptx) end to end; the same chart images exported alone in one browser; their
ratio (target <= 1.3); the deck itself (target <= 10 s); the report (.pdf) and the workbook (.xlsx).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wijkmodel.analysis.summary import municipality_profile
from wijkmodel.demo.municipality import add_demo
from wijkmodel.exports.briefing import build_briefing
from wijkmodel.exports.downloads import SLIDE_SCALE, ExportKind, export, for_slide
from wijkmodel.exports.images import render
from wijkmodel.model.loader import load_model
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import find_municipality, settings_of
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import Base
from wijkmodel.wijkdata.boundaries import load_geometries

TODAY = dt.date(2026, 11, 23)


def median_s(fn: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    model = load_model()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite")
        Base.metadata.create_all(engine)
        factory = make_sessionmaker(engine)
        with factory.begin() as s:
            add_demo(session=s, model=model)
        with factory() as s:
            m = find_municipality(session=s, name="Voorbeeldstad")
            assert m is not None
            mp = municipality_profile(
                session=s, municipality_id=m.id, name=m.name, model=model, settings=settings_of(m)
            )
            round_id = rounds(session=s, municipality_id=m.id)[-1].id
            geometries = load_geometries(session=s, municipality_id=m.id)  # as export() does: the map too
            briefing = build_briefing(mp, round_id, model, today=TODAY, geometries=geometries)
            figures = [for_slide(slide, figure) for slide, figure in briefing.figures()]

            def one(kind: ExportKind) -> Callable[[], bytes]:
                return lambda: export(kind, session=s, mp=mp, round_id=round_id, model=model, today=TODAY)

            print(f"Demo: {len(briefing.slides)} dia's, {len(figures)} grafieken; mediaan van {args.repeat} keer.")
            figures_alone, f_runs = median_s(lambda: render(figures, scale=SLIDE_SCALE), args.repeat)
            deck, d_runs = median_s(one(ExportKind.PPTX), args.repeat)
            report, r_runs = median_s(one(ExportKind.PDF), args.repeat)
            workbook, w_runs = median_s(one(ExportKind.XLSX), args.repeat)
    rows = [
        ("grafieken alleen (1 browser)", figures_alone, f_runs),
        ("presentatie (.pptx)", deck, d_runs),
        ("verslag (.pdf)", report, r_runs),
        ("gegevens (.xlsx)", workbook, w_runs),
    ]
    for name, value, runs in rows:
        print(f"{name:<30} {value:6.2f} s   (runs: {', '.join(f'{r:.2f}' for r in runs)})")
    print(f"verhouding presentatie / grafieken alleen: {deck / figures_alone:.2f} (doel <= 1,3)")
    print(f"presentatie binnen 10 s: {'ja' if deck <= 10 else 'nee'}")


if __name__ == "__main__":
    main()
