"""Scale benchmark (issue 7): the synthetic country on SQLite or PostgreSQL.

    .venv/bin/python scripts/bench_scale.py --url sqlite:////tmp/scale/land.sqlite [--repeat 5]
    .venv/bin/python scripts/bench_scale.py --url postgresql+psycopg://postgres@127.0.0.1:54331/wijkmodel_test

Two databases are built: the one at URL (emptied first: every table dropped and recreated) gets
the *country* (342 municipalities, ~3,500 wijken, 10 rounds, 4 respondents per unit and round,
every slider placed and every Quickscan question answered: wijkmodel.demo.synthetic_country); a
second one next to it (SQLite: NAME-alleen.sqlite; PostgreSQL: database NAME_alleen, dropped
afterwards) gets the largest municipality *alone*, with the same seed, so with the same scores.

Measured, alternating between the two databases so that other load on the machine hits both
alike (medians): the `summary` of the largest municipality with the functions the CLI runs
(resolve, municipality_profile, summary_records, format_summary), the same end to end as a
`python -m wijkmodel summary --json` process, and the Vergelijken page (AppTest, with
scripts/bench_pages.py: first run, rerun, baseline that only renders). On the country also the
bulk load, the summary of every municipality and the scoring of the whole country from the database
(one read of every response, ids encoded as read, then one profile; issue 20); and EXPLAIN
(SQLite: EXPLAIN QUERY PLAN) of every SELECT that the summary and the page send for one
municipality, with each full table scan.
"Does not grow" is the ratio country / alone.

PostgreSQL gets ANALYZE after each load (as autovacuum does soon after); SQLite is left as a
deployment has it (no ANALYZE). Bounds (issues 3 and 7): Vergelijken rerun <= 300 ms at 100
wijken and page/baseline <= 1.5, with the whole country loaded; no query grows with the number of
other municipalities.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_pages import measure_page  # noqa: E402
from sqlalchemy import create_engine, event, make_url, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from wijkmodel.analysis.summary import format_summary, summarize  # noqa: E402
from wijkmodel.demo.synthetic_country import (  # noqa: E402
    LARGEST,
    N_MUNICIPALITIES,
    N_ROUNDS,
    N_WIJKEN,
    build_country,
    municipality_name,
    reset_database,
    table_counts,
    wijk_counts,
)
from wijkmodel.model.loader import load_model  # noqa: E402
from wijkmodel.model.schema import MaturityModel  # noqa: E402
from wijkmodel.scoring.core import ScoringSettings, compute_profile  # noqa: E402
from wijkmodel.storage.db import make_engine, make_sessionmaker  # noqa: E402
from wijkmodel.storage.frames import all_responses  # noqa: E402
from wijkmodel.storage.municipalities import list_municipalities  # noqa: E402
from wijkmodel.storage.tables import Municipality  # noqa: E402

PAGE = "vergelijken"
PAGE_BOUND_MS = 300
RATIO_BOUND = 1.5
BIG_TABLE_ROWS = 1_000
"""A full scan of a table with at least this many rows (in the country) is reported as a problem."""


# --- capturing the queries -------------------------------------------------------------------


@dataclass
class Capture:
    """SELECT statements sent while `on`, each once (with the parameters of its first use)."""

    on: bool = False
    statements: dict[str, Any] = field(default_factory=dict)
    engines: weakref.WeakSet = field(default_factory=weakref.WeakSet)

    def install(self) -> None:
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "engine_connect", self._connect)

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        catalog = re.search(r"\b(pg_catalog|information_schema|sqlite_master|sqlite_schema)\b", statement)
        if self.on and not executemany and not catalog and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            copy = dict(parameters) if isinstance(parameters, dict) else tuple(parameters or ())
            self.statements.setdefault(statement, copy)

    def _connect(self, conn: Any) -> None:
        self.engines.add(conn.engine)

    def dispose_other_engines(self, keep: tuple[Engine, ...]) -> None:
        """Close the pooled connections of the app's engines (before tables are dropped)."""
        for engine in list(self.engines):
            if all(engine is not k for k in keep):
                engine.dispose()


def explain(engine: Engine, statements: dict[str, Any]) -> list[dict[str, Any]]:
    """Plan of every captured statement, with the full table scans in it."""
    sqlite = engine.dialect.name == "sqlite"
    scan = re.compile(r"^\s*SCAN (\w+)" if sqlite else r"Seq Scan on (\w+)")
    out = []
    with engine.connect() as conn:
        for statement, parameters in statements.items():
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            lines = [str(r[-1]) if sqlite else str(r[0]) for r in rows]
            scans = sorted({m.group(1) for line in lines if (m := scan.search(line))})
            out.append({"statement": statement, "plan": lines, "scans": scans})
    return out


def query_label(statement: str) -> str:
    """Short label of a SELECT: its FROM tables and a fragment of its WHERE."""
    flat = " ".join(statement.split())
    tables = re.findall(r"\bFROM (\w+)", flat)
    where = re.search(r"\bWHERE (.{0,70})", flat)
    label = "FROM " + ", ".join(dict.fromkeys(tables))
    return label + (f" WHERE {where.group(1)}…" if where else "")


# --- the measurements -------------------------------------------------------------------------


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def summary_text(factory: Any, name: str, model: MaturityModel) -> str:
    """What `python -m wijkmodel summary --gemeente NAME` computes, with the same functions."""
    with factory() as session:
        found = summarize(session=session, municipality=name, round_label=None, model=model, settings=ScoringSettings())
    return format_summary(found.records, municipality=found.municipality, round_label=found.round_label, model=model)


def score_country(factory: Any, model: MaturityModel) -> dict[str, float]:
    """Score the whole country from the database: every respondent, position and answer in one read
    (`all_responses`, ids encoded as read), then one profile of every unit and round (ms)."""
    with factory() as session:
        start = time.perf_counter()
        respondents, positions, answers = all_responses(session=session, model=model)
        read = time.perf_counter()
        compute_profile(respondents, positions, answers, model, ScoringSettings(), check_duplicates=False)
        done = time.perf_counter()
    return {"read_ms": (read - start) * 1000, "score_ms": (done - read) * 1000, "total_ms": (done - start) * 1000}


def summary_all(factory: Any, model: MaturityModel) -> int:
    """The summary of every municipality, one after the other."""
    with factory() as session:
        names = [m.name for m in list_municipalities(session=session)]
    for name in names:
        summary_text(factory, name, model)
    return len(names)


def cli_summary(url: str, name: str) -> None:
    """`python -m wijkmodel summary --gemeente NAME --json` as a process, start to end."""
    env = os.environ | {"WIJKMODEL_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "wijkmodel", "summary", "--gemeente", name, "--json"]
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603


def analyze(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


def municipality_id(engine: Engine, name: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(Municipality.id).where(Municipality.name == name)).scalar_one())


def alone_url(url: str) -> str:
    """A second database next to URL for the largest municipality alone (created empty)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        return parsed.set(database=str(path.with_name(f"{path.stem}-alleen{path.suffix}"))).render_as_string(False)
    name = f"{parsed.database}_alleen"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return parsed.set(database=name).render_as_string(False)


def drop_alone(url: str, alone: str) -> None:
    parsed = make_url(alone)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}"')
    admin.dispose()


@dataclass
class Database:
    """One database of the comparison: its URL, engine, and the largest municipality's id in it."""

    url: str
    engine: Engine
    municipality_id: int = 0
    load_s: list[float] = field(default_factory=list)
    summary_ms: list[float] = field(default_factory=list)
    cli_ms: list[float] = field(default_factory=list)
    pages: list[dict[str, float]] = field(default_factory=list)

    def result(self) -> dict[str, float]:
        out = {"load_s": statistics.median(self.load_s), "summary_ms": statistics.median(self.summary_ms)}
        out["cli_ms"] = statistics.median(self.cli_ms)
        for key in self.pages[0]:
            out[key] = statistics.median(p[key] for p in self.pages)
        return out


def timed_ms(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


# --- report ------------------------------------------------------------------------------------


def fmt_ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}"


def report(args: argparse.Namespace, info: dict[str, Any]) -> str:
    alone, country = info["alone"], info["country"]
    counts = info["counts"]
    page_ok = country["page_rerun_ms"] <= PAGE_BOUND_MS
    ratio_ok = country["page_rerun_ms"] / country["baseline_ms"] <= RATIO_BOUND
    lines = [
        f"## Schaalbenchmark: {info['dialect']} ({info['server']})",
        "",
        f"- database: `{info['url_shown']}`; machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average (1 min) bij begin/eind: {info['load'][0]:.1f} / "
        f"{os.getloadavg()[0]:.1f}",
        f"- land: {counts['municipality']:,} gemeenten, {info['wijken']:,} wijken (+ {counts['municipality']:,} "
        f"'Gemeente als geheel'), {args.rounds} rondes, 4 respondenten per eenheid en ronde: "
        f"{counts['respondent']:,} respondenten, {counts['theme_position']:,} schuifjes, "
        f"{counts['answer']:,} antwoorden ({info['rows']:,} rijen)",
        f"- grootste gemeente: {info['largest_name']} ({info['largest']} wijken). Medianen: summary van "
        f"{args.repeat} runs, CLI-proces van {args.repeat_cli}, Vergelijken: mediaan van {args.page_blocks} "
        f"metingen van elk de mediaan van {args.repeat} reruns; alle gemeenten: {args.repeat_all} runs; laden: "
        f"{args.load_repeat}×. Beide databases om en om gemeten.",
        "",
        "| meting | alleen de grootste gemeente | heel het land | land / alleen | grens |",
        "|---|---:|---:|---:|---|",
        f"| bulk laden (Core insert, executemany) | {alone['load_s']:.1f} s | {country['load_s']:.1f} s "
        f"({info['rows'] / country['load_s']:,.0f} rijen/s) | | – |",
        f"| `summary` grootste gemeente (functies van de CLI) | {fmt_ms(alone['summary_ms'])} | "
        f"{fmt_ms(country['summary_ms'])} | {ratio(country['summary_ms'], alone['summary_ms'])} | groeit niet |",
        f"| `python -m wijkmodel summary --json` (proces) | {fmt_ms(alone['cli_ms'])} | {fmt_ms(country['cli_ms'])} "
        f"| {ratio(country['cli_ms'], alone['cli_ms'])} | – |",
        f"| `summary` alle {counts['municipality']} gemeenten | – | {country['all_s']:.1f} s "
        f"({fmt_ms(country['all_s'] * 1000 / counts['municipality'])} per gemeente) | | – |",
        f"| het hele land scoren vanuit de database (lezen + scoren; {args.repeat} runs) | – | "
        f"{fmt_ms(info['country_score']['total_ms'])} (lezen {fmt_ms(info['country_score']['read_ms'])}, scoren "
        f"{fmt_ms(info['country_score']['score_ms'])}) | | – |",
        f"| Vergelijken, eerste run | {fmt_ms(alone['first_run_ms'])} | {fmt_ms(country['first_run_ms'])} | "
        f"{ratio(country['first_run_ms'], alone['first_run_ms'])} | – |",
        f"| Vergelijken, rerun | {fmt_ms(alone['page_rerun_ms'])} | {fmt_ms(country['page_rerun_ms'])} | "
        f"{ratio(country['page_rerun_ms'], alone['page_rerun_ms'])} | ≤ {PAGE_BOUND_MS} ms bij 100 wijken: "
        f"{'gehaald' if page_ok else 'NIET gehaald'} |",
        f"| Vergelijken, basis (alleen tekenen) | {fmt_ms(alone['baseline_ms'])} | {fmt_ms(country['baseline_ms'])} "
        f"| | – |",
        f"| Vergelijken, rerun / basis | {ratio(alone['page_rerun_ms'], alone['baseline_ms'])} | "
        f"{ratio(country['page_rerun_ms'], country['baseline_ms'])} | | ≤ {RATIO_BOUND}: "
        f"{'gehaald' if ratio_ok else 'NIET gehaald'} |",
        "",
        f"### EXPLAIN van de queries voor één gemeente ({len(info['plans'])} verschillende SELECTs)",
        "",
        "| # | query | volledige scan | rijen in de tabel | probleem |",
        "|---:|---|---|---:|---|",
    ]
    for i, plan in enumerate(info["plans"], start=1):
        scans = plan["scans"]
        rows = ", ".join(f"{counts.get(t, 0):,}" for t in scans)
        problem = [t for t in scans if counts.get(t, 0) >= BIG_TABLE_ROWS]
        label = query_label(plan["statement"]).replace("|", "\\|")
        lines.append(
            f"| {i} | `{label}` | {', '.join(scans) or 'geen'} | {rows or '–'} | "
            f"{'JA: ' + ', '.join(problem) if problem else 'nee'} |"
        )
    problems = [p for p in info["plans"] if any(counts.get(t, 0) >= BIG_TABLE_ROWS for t in p["scans"])]
    lines.append("")
    lines.append(
        f"Volledige scans van een grote tabel (≥ {BIG_TABLE_ROWS:,} rijen): {len(problems)}."
        if problems
        else f"Geen volledige scan van een tabel met ≥ {BIG_TABLE_ROWS:,} rijen."
    )
    if args.show_plans or problems:
        for plan in info["plans"] if args.show_plans else problems:
            lines += ["", "```sql", " ".join(plan["statement"].split()), "```", "```", *plan["plan"], "```"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Schaalbenchmark: een synthetisch land op SQLite of PostgreSQL.")
    parser.add_argument("--url", required=True, help="database-URL; de database wordt eerst leeggemaakt")
    parser.add_argument("--repeat", type=int, default=5, help="herhalingen per meting (mediaan)")
    parser.add_argument("--page-blocks", type=int, default=3, help="paginametingen (elk --repeat reruns) per database")
    parser.add_argument("--repeat-cli", type=int, default=5, help="herhalingen van het CLI-proces")
    parser.add_argument("--repeat-all", type=int, default=3, help="herhalingen van de summary van alle gemeenten")
    parser.add_argument("--load-repeat", type=int, default=1, help="herhalingen van het laden van het land")
    parser.add_argument("--municipalities", type=int, default=N_MUNICIPALITIES)
    parser.add_argument("--wijken", type=int, default=N_WIJKEN)
    parser.add_argument("--largest", type=int, default=LARGEST)
    parser.add_argument("--rounds", type=int, default=N_ROUNDS)
    parser.add_argument("--show-plans", action="store_true", help="toon het plan van elke query")
    parser.add_argument("--output", type=Path, help="schrijf de tabellen ook naar dit Markdown-bestand")
    args = parser.parse_args()
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")

    load_at_start = os.getloadavg()
    model = load_model()
    sizes = wijk_counts(args.municipalities, args.wijken, largest=args.largest)
    name = municipality_name(0)
    capture = Capture()
    capture.install()
    country = Database(args.url, make_engine(args.url))
    alone = Database(alone_url(args.url), make_engine(alone_url(args.url)))
    ours = (country.engine, alone.engine)
    with country.engine.connect() as conn:
        sqlite = country.engine.dialect.name == "sqlite"
        server = conn.exec_driver_sql("select sqlite_version()" if sqlite else "show server_version").scalar_one()

    def load(db: Database, sizes_: list[int], repeat: int) -> None:
        for _ in range(repeat):
            capture.dispose_other_engines(keep=ours)
            reset_database(db.engine)
            start = time.perf_counter()
            build_country(db.engine, sizes_, model=model, n_rounds=args.rounds, reset=False)
            db.load_s.append(time.perf_counter() - start)
        analyze(db.engine)
        db.municipality_id = municipality_id(db.engine, name)

    log(f"alleen {name} ({sizes[0]} wijken) laden …")
    load(alone, sizes[:1], args.load_repeat)
    log(f"het land laden ({len(sizes)} gemeenten, {sum(sizes)} wijken) …")
    load(country, sizes, args.load_repeat)
    counts = table_counts(country.engine)
    both = (alone, country)
    factories = {id(db): make_sessionmaker(db.engine) for db in both}

    log("de queries voor één gemeente vastleggen (summary en Vergelijken) …")
    capture.on = True
    summary_text(factories[id(country)], name, model)
    measure_page(country.url, PAGE, 1, country.municipality_id)
    capture.on = False
    plans = explain(country.engine, capture.statements)

    log("summary meten, om en om op beide databases …")
    for db in both:
        summary_text(factories[id(db)], name, model)  # warm
    for _ in range(args.repeat):
        for db in both:
            db.summary_ms.append(timed_ms(partial(summary_text, factories[id(db)], name, model)))
    for _ in range(args.repeat_cli):
        for db in both:
            db.cli_ms.append(timed_ms(partial(cli_summary, db.url, name)))
    log("Vergelijken meten, om en om …")
    for _ in range(args.page_blocks):
        for db in both:
            db.pages.append(measure_page(db.url, PAGE, args.repeat, db.municipality_id))
            capture.dispose_other_engines(keep=ours)
    log(f"summary van alle {len(sizes)} gemeenten …")
    all_s = median_ms(lambda: summary_all(factories[id(country)], model), args.repeat_all) / 1000
    log("het hele land scoren vanuit de database …")
    score_country(factories[id(country)], model)  # warm
    runs = [score_country(factories[id(country)], model) for _ in range(args.repeat)]
    country_score = {key: statistics.median(r[key] for r in runs) for key in runs[0]}

    for db in both:
        db.engine.dispose()
    drop_alone(country.url, alone.url)
    info = {
        "dialect": country.engine.dialect.name,
        "server": server,
        "url_shown": country.engine.url.render_as_string(hide_password=True),
        "counts": counts,
        "rows": sum(counts.values()),
        "wijken": sum(sizes),
        "largest": sizes[0],
        "largest_name": name,
        "alone": alone.result(),
        "country": country.result() | {"all_s": all_s},
        "country_score": country_score,
        "plans": plans,
        "load": load_at_start,
    }
    text = report(args, info)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
