"""Regio page at scale (issue 20): a region of 10 municipalities with the whole synthetic country loaded.

    .venv/bin/python scripts/bench_region.py --url sqlite:////tmp/scale/land.sqlite [--repeat 5]

Uses the country already in the database at URL (as `scripts/bench_scale.py` leaves it; `make
bench-scale` runs this right after it) or builds it there first (342 municipalities, 3,500 wijken,
10 rounds, 4 respondents: wijkmodel.demo.synthetic_country). Then a region 'Benchregio' of 10
municipalities (every size: the largest, middle ones and small ones), each sharing its wijken, and
the page Regio as AppTest (scripts/bench_pages.py `measure_page`, without login: every member shows):
its first run in a fresh server process (medians of --first-repeat processes), its rerun (median of
--repeat), and the baseline that only renders the same figures and tables.
Bounds: first run <= 2 s, rerun <= 500 ms; exit 1 on a miss.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sqlalchemy import func, select  # noqa: E402

from wijkmodel.demo.synthetic_country import N_MUNICIPALITIES, N_WIJKEN, build_country, wijk_counts  # noqa: E402
from wijkmodel.model.loader import load_model  # noqa: E402
from wijkmodel.storage.db import make_engine, make_sessionmaker  # noqa: E402
from wijkmodel.storage.regions import create_region, find_region, set_sharing  # noqa: E402
from wijkmodel.storage.tables import Municipality, RegionSharing, Unit  # noqa: E402

REGION = "Benchregio"
FIRST_BOUND_MS, RERUN_BOUND_MS = 2000.0, 500.0


def prepare(url: str) -> tuple[int, int]:
    """The country (built when missing) and the region; returns (municipalities, wijken in the region)."""
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory() as s:
        present = s.scalar(select(func.count()).select_from(Municipality)) or 0
    if present < N_MUNICIPALITIES:
        print("Het land wordt geladen …", file=sys.stderr)
        build_country(engine, wijk_counts(N_MUNICIPALITIES, N_WIJKEN), model=load_model())
    with factory.begin() as s:
        ids = list(s.scalars(select(Municipality.id).order_by(Municipality.id)))
        # the largest first, then spread over the sizes: 10 members of every size
        chosen = [ids[i] for i in range(0, len(ids), len(ids) // 10)][:10]
        if find_region(session=s, name=REGION) is None:
            create_region(session=s, name=REGION, municipality_ids=chosen)
            for municipality_id in chosen:
                set_sharing(session=s, municipality_id=municipality_id, level=RegionSharing.WIJKEN)
        wijken = s.scalar(select(func.count()).select_from(Unit).where(Unit.municipality_id.in_(chosen))) or 0
        total = len(ids)
    engine.dispose()
    return total, wijken


def measure_once(url: str, repeat: int) -> dict[str, float]:
    """One fresh process: the page's first run, rerun and baseline (bench_pages.measure_page)."""
    code = (
        "import json, sys; sys.path.insert(0, 'scripts'); from bench_pages import measure_page; "
        f"print(json.dumps(measure_page({url!r}, 'regio', {repeat})))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=os.environ
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="De pagina Regio met het hele land geladen.")
    parser.add_argument("--url", required=True, help="database-URL (met het land, of leeg: dan wordt het geladen)")
    parser.add_argument("--repeat", type=int, default=5, help="reruns per meting (mediaan)")
    parser.add_argument("--first-repeat", type=int, default=3, help="verse processen voor de eerste keer (mediaan)")
    args = parser.parse_args()
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    total, wijken = prepare(args.url)
    runs = [measure_once(args.url, args.repeat) for _ in range(args.first_repeat)]
    first = statistics.median(r["first_run_ms"] for r in runs)
    rerun = statistics.median(r["page_rerun_ms"] for r in runs)
    baseline = statistics.median(r["baseline_ms"] for r in runs)
    print(f"Pagina Regio, regio van 10 gemeenten ({wijken} eenheden), {total} gemeenten in de database")
    print(f"  eerste keer (mediaan van {args.first_repeat} processen): {first:.0f} ms (grens {FIRST_BOUND_MS:.0f})")
    print(f"  opnieuw (mediaan): {rerun:.0f} ms (grens {RERUN_BOUND_MS:.0f}); alleen tekenen: {baseline:.0f} ms")
    sys.exit(0 if first <= FIRST_BOUND_MS and rerun <= RERUN_BOUND_MS else 1)


if __name__ == "__main__":
    main()
