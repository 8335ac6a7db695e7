"""Benchmark of a municipality at the wijk limit (issue 13, finding 6): does it stay usable?

    .venv/bin/python scripts/bench_limit.py [--repeat 5] [--wijken 1000] [--pages wijkanalyse,vergelijken]
    .venv/bin/python scripts/bench_limit.py --browser        # also the browser tab, in chromium

Bounds: every page <= 2 s server side, the server's memory <= 1 GB, the browser tab's <= 1 GB.

A SQLite database in a temporary folder gets one municipality, 'Grensstad', with exactly
MAX_WIJKEN wijken (wijkmodel/storage/limits.py), made the way a user makes them: an own file of that many
wijken with 12 kerncijfers, read with `read_table` and imported with `prepare_import` and
`save_import`. Then, in bulk (they are the setting, not the measurement): a boundary per wijk (a
made-up grid, 100 points per wijk), one round, one respondent per wijk (role gemeente) with the six
slider positions and 10 of the 30 Quickscan answers, and a history row for each of them, as the
app keeps.

Every page of the app (tests/conftest.py PAGE_FILES) then runs server side in Streamlit's AppTest,
in one process, as the server would. Per page: 'na opslaan', the median of --repeat runs each
right after a colleague's save (the municipality's revision is raised, so every cache keyed on it
misses: the worst case a user meets), and 'herhaald', the median of --repeat reruns without a
change (the caches hit). The process's peak resident memory (ru_maxrss) is reported after the
pages, and the resident memory after each page.

With --browser the app runs as `streamlit run` on the same database and chromium (Debian's, as the
browser tests) opens Wijkanalyse and Vergelijken: per page the JavaScript heap in use (CDP
Performance.getMetrics, JSHeapUsedSize) and the memory of the browser's renderer processes (the
tab, each page in a fresh one): resident (RSS) and proportional (PSS, shared libraries divided
among the processes that use them), once the page has finished drawing.

Also timed: reading the 1.6 kB .xlsx of the finding that claims 16,384 columns by 1,048,576 rows
(tests/test_limits.py builds the same file), median of 7.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_wijkdata import own_file  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from tests.conftest import PAGE_FILES  # noqa: E402
from tests.test_limits import FAR_CELL, HEADER_AND_ONE_WIJK, crafted_xlsx  # noqa: E402
from wijkmodel.demo.geometry import synthetic_boundaries  # noqa: E402
from wijkmodel.model.loader import load_model  # noqa: E402
from wijkmodel.storage.db import make_engine, make_sessionmaker  # noqa: E402
from wijkmodel.storage.history import Entry, Scope, record_many  # noqa: E402
from wijkmodel.storage.inputs import InputError  # noqa: E402
from wijkmodel.storage.limits import MAX_WIJKEN  # noqa: E402
from wijkmodel.storage.municipalities import create_municipality  # noqa: E402
from wijkmodel.storage.rounds import create_round  # noqa: E402
from wijkmodel.storage.tables import Answer, Municipality, Respondent, ThemePosition, Unit, UnitGeometry, UnitKind  # noqa: E402
from wijkmodel.wijkdata.mapping import guess_mapping  # noqa: E402
from wijkmodel.wijkdata.table_files import read_table  # noqa: E402
from wijkmodel.wijkdata.wijk_import import prepare_import, save_import  # noqa: E402

NAME = "Grensstad"
INDICATORS = 12
ANSWERS = 10
PAGE_BOUND_S = 2.0
MEMORY_BOUND_MB = 1024
STAMP = dt.datetime(2026, 11, 23, 12, 0, 0)


def build(url: str, wijken: int, seed: int = 13) -> dict[str, int]:
    """The municipality at the limit (see the module's docstring); returns its id and row counts."""
    model = load_model()
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        municipality_id = create_municipality(session=session, name=NAME).id
    raw = read_table(own_file(wijken, INDICATORS, seed), filename="kerncijfers_2025.csv")
    with factory() as session:
        prepared = prepare_import(
            session=session, municipality_id=municipality_id, raw=raw, mapping=guess_mapping(raw), year=2025, source="t"
        )
    with factory.begin() as session:
        save_import(session=session, prepared=prepared)
    rng = random.Random(seed)  # noqa: S311 - made-up positions and answers
    themes = model.themes_ordered()
    questions = model.quickscan.questions[:ANSWERS]
    with factory.begin() as session:
        units = session.execute(
            select(Unit.id, Unit.name).where(Unit.municipality_id == municipality_id, Unit.kind == UnitKind.WIJK.value)
        ).all()
        boundaries = synthetic_boundaries([f"WK{n:06d}" for n in range(len(units))], points_per_side=25)
        session.execute(
            insert(UnitGeometry),
            [
                {"unit_id": unit_id, "geometry": json.dumps(feature["geometry"]), "source": "synthetisch"}
                for (unit_id, _), feature in zip(units, boundaries["features"], strict=True)
            ],
        )
        round_ = create_round(session=session, municipality_id=municipality_id, label="2026", date=dt.date(2026, 3, 1))
        respondent_ids = session.scalars(
            insert(Respondent).returning(Respondent.id, sort_by_parameter_order=True),
            [{"round_id": round_.id, "unit_id": u, "role": "gemeente", "label": ""} for u, _ in units],
        ).all()
        positions, answers, entries = [], [], []
        for (unit_id, unit_name), respondent_id in zip(units, respondent_ids, strict=True):
            scope = Scope(municipality_id, unit_id, unit_name, "2026", "gemeente")
            start = rng.uniform(10, 70)
            for theme in themes:
                position = float(min(100, max(0, round((start + rng.gauss(0, 12)) / 5) * 5)))
                positions.append({"respondent_id": respondent_id, "theme_id": theme.id, "position": position})
                entries.append(Entry(scope, "schuifje", theme.name, None, position))
            for question in questions:
                option = rng.choice([o.id for o in model.question_scale(question).options])
                answers.append({"respondent_id": respondent_id, "question_id": question.id, "option_id": option})
                entries.append(Entry(scope, "antwoord", question.id, None, option))
        stamp = {"note": "", "model_version": model.version, "updated_at": STAMP}
        session.execute(insert(ThemePosition), [p | stamp for p in positions])
        session.execute(insert(Answer), [a | stamp for a in answers])
        record_many(session=session, entries=entries)
    engine.dispose()
    return {
        "municipality_id": municipality_id,
        "wijken": len(units),
        "positions": len(positions),
        "answers": len(answers),
        "changes": len(entries),
    }


def rss_mb() -> float:
    """Resident memory of this process now (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB; ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def colleague_saves(engine: Engine, municipality_id: int) -> None:
    """What any save does to the caches: the municipality's revision goes up."""
    with engine.begin() as conn:
        conn.execute(
            update(Municipality).where(Municipality.id == municipality_id).values(revision=Municipality.revision + 1)
        )


def measure_pages(url: str, municipality_id: int, pages: list[str], repeat: int) -> list[dict[str, Any]]:
    """Per page: median seconds right after a save, median of reruns, resident memory after it."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["WIJKMODEL_DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    engine = make_engine(url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["municipality_id"] = municipality_id
    at.run()
    rows = []
    for page in pages:
        at.switch_page(page)
        after_save, again = [], []
        for _ in range(repeat):
            colleague_saves(engine, municipality_id)
            start = time.perf_counter()
            at.run()
            after_save.append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
        for _ in range(repeat):
            start = time.perf_counter()
            at.run()
            again.append(time.perf_counter() - start)
        rows.append(
            {
                "page": page.removeprefix("app_pages/").removesuffix(".py"),
                "after_save": statistics.median(after_save),
                "after_save_max": max(after_save),
                "again": statistics.median(again),
                "errors": len(at.error),
                "rss": rss_mb(),
            }
        )
        log(f"{rows[-1]['page']}: {rows[-1]['after_save']:.2f} s na opslaan, {rows[-1]['again']:.2f} s herhaald")
    engine.dispose()
    return rows


def renderer_memory_mb(user_data_dir: str) -> tuple[float, float]:
    """Memory (MB) of the renderer processes of the chromium started with `user_data_dir`: resident
    (RSS) and proportional (PSS: shared pages divided among the processes that share them)."""
    procs: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        procs[int(entry.name)] = (parent, cmdline)
    flag = f"--user-data-dir={user_data_dir}"
    roots = {pid for pid, (_, cmd) in procs.items() if flag in cmd and "--type=" not in cmd}

    def ours(pid: int) -> bool:
        seen = 0
        while pid in procs and seen < 20:
            if pid in roots:
                return True
            pid, seen = procs[pid][0], seen + 1
        return False

    rss_kb = pss_kb = 0
    for pid, (_, cmd) in procs.items():
        if "--type=renderer" in cmd and ours(pid):
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
            except OSError:
                continue
            rss_kb += next((int(x.split()[1]) for x in rollup if x.startswith("Rss:")), 0)
            pss_kb += next((int(x.split()[1]) for x in rollup if x.startswith("Pss:")), 0)
    return rss_kb / 1024, pss_kb / 1024


def measure_browser(url: str, pages: list[str]) -> list[dict[str, Any]]:
    """JS heap and renderer memory of each page, opened in chromium on `streamlit run`."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, LAUNCH_ARGS, streamlit_server

    rows = []
    with streamlit_server(url) as base, sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=LAUNCH_ARGS, viewport={"width": 1440, "height": 900}
        )
        for tab in context.pages:
            tab.close()
        for name in pages:
            page = context.new_page()  # a fresh tab per page: nothing left over from the one before
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            start = time.perf_counter()
            page.goto(f"{base}/{name}", timeout=120_000)
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)
            page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
            page.wait_for_timeout(3000)  # charts draw after the script has finished
            seconds = time.perf_counter() - start
            cdp.send("HeapProfiler.collectGarbage")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            rss, pss = renderer_memory_mb(profile)
            rows.append(
                {
                    "page": name,
                    "seconds": seconds,
                    "js_heap": metrics["JSHeapUsedSize"] / 1024 / 1024,
                    "nodes": int(metrics["Nodes"]),
                    "rss": rss,
                    "pss": pss,
                }
            )
            log(f"browser {name}: JS-heap {rows[-1]['js_heap']:.0f} MB, tabblad {rss:.0f} MB RSS, {pss:.0f} MB PSS")
            page.close()
            time.sleep(2)  # the tab's renderer process exits
        context.close()
    return rows


def crafted_read_ms(repeat: int = 7) -> tuple[float, float]:
    """Median ms to read the 1.6 kB sheet that claims every cell of Excel, and to refuse the one with a far cell."""
    claim, far = crafted_xlsx(HEADER_AND_ONE_WIJK), crafted_xlsx(HEADER_AND_ONE_WIJK + FAR_CELL)
    read, refused = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        read_table(claim, filename="claim.xlsx")
        read.append(time.perf_counter() - start)
        start = time.perf_counter()
        try:
            read_table(far, filename="ver.xlsx")
        except InputError:
            refused.append(time.perf_counter() - start)
    return statistics.median(read) * 1000, statistics.median(refused) * 1000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per page and per kind (mediaan)")
    parser.add_argument("--wijken", type=int, default=MAX_WIJKEN)
    parser.add_argument("--pages", help="alleen deze pagina's, bijvoorbeeld wijkanalyse,vergelijken")
    parser.add_argument("--browser", action="store_true", help="ook het geheugen van het tabblad in chromium")
    args = parser.parse_args()
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    pages = PAGE_FILES
    if args.pages:
        pages = [f"app_pages/{p.strip()}.py" for p in args.pages.split(",")]
    claim_ms, far_ms = crafted_read_ms()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/grens.sqlite"
        start = time.perf_counter()
        built = build(url, args.wijken)
        log(f"database gebouwd in {time.perf_counter() - start:.1f} s: {built}")
        rss_before = rss_mb()
        rows = measure_pages(url, built["municipality_id"], pages, args.repeat)
        peak = peak_rss_mb()
        browser = measure_browser(url, ["wijkanalyse", "vergelijken"]) if args.browser else []
    print(
        f"## {NAME}: {built['wijken']} wijken (grens {MAX_WIJKEN}), {built['positions']} schuifjes, "
        f"{built['answers']} Quickscan-antwoorden, {built['changes']} regels geschiedenis, {INDICATORS} kerncijfers "
        f"en een grens per wijk\n"
    )
    print(f"Server (AppTest, één proces), mediaan van {args.repeat} runs; grens {PAGE_BOUND_S:.0f} s per pagina.\n")
    print("| pagina | na opslaan | (langste) | herhaald | geheugen na de pagina | fouten op de pagina |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        flag = "" if r["after_save_max"] <= PAGE_BOUND_S else " **boven de grens**"
        print(
            f"| {r['page']} | {r['after_save']:.2f} s | {r['after_save_max']:.2f} s{flag} | {r['again']:.2f} s | "
            f"{r['rss']:.0f} MB | {r['errors']} |"
        )
    slowest = max(rows, key=lambda r: r["after_save_max"])
    print(
        f"\nTraagste pagina: {slowest['page']} ({slowest['after_save_max']:.2f} s). Geheugen van het proces: "
        f"{rss_before:.0f} MB voor de pagina's, hoogstens {peak:.0f} MB (grens {MEMORY_BOUND_MB} MB): "
        f"{'gehaald' if peak <= MEMORY_BOUND_MB else 'NIET gehaald'}."
    )
    if browser:
        print("\nBrowser (chromium, 1440×900), nadat de pagina klaar is met tekenen:\n")
        print("| pagina | laden | JS-heap in gebruik | DOM-knopen | tabblad: RSS | tabblad: PSS |")
        print("|---|---:|---:|---:|---:|---:|")
        for b in browser:
            print(
                f"| {b['page']} | {b['seconds']:.1f} s | {b['js_heap']:.0f} MB | {b['nodes']:,} | "
                f"{b['rss']:.0f} MB | {b['pss']:.0f} MB |"
            )
    print(f"\nDe 1,6 kB-sheet die 16.384 × 1.048.576 cellen claimt: gelezen in {claim_ms:.1f} ms (mediaan van 7);")
    print(f"met één cel in rij 1.048.576: geweigerd in {far_ms:.1f} ms.")


if __name__ == "__main__":
    main()
