"""Benchmark of a session with partners (issue 19): 50 respondents saving at once, server side.

    .venv/bin/python scripts/bench_session.py [--respondents 50] [--postgres URL] [--memory]

1. Saves (on SQLite, and on PostgreSQL with --postgres; that database is emptied): the demo, one
   invitation for two wijken; 50 respondents join at the same moment (a barrier), then each makes
   12 saves (the six sliders, then six Quickscan answers) with 0.5–2 s between them, as people on
   their phones do, every save the way the respondent page makes it (`Sessions.begin` with the
   invitation as actor, `save_as_participant`). Meanwhile the facilitator's live view reads
   (`live_rows`) every 3 s, as its fragment does. Reported: failed saves (target 0), the median,
   p95 and longest save (target p95 <= 300 ms), the longest live read, and how soon after the last
   save the live view had every answer (target <= 5 s: the fragment's 3 s plus a read).
2. Memory (--memory): the app served by `streamlit run` on the SQLite demo, 50 phone pages in
   Chromium that each join and place a slider; the server's resident memory (VmRSS) before and with
   the 50 sessions open (target <= 1 GB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_locks import empty_database
from sqlalchemy import select

from wijkmodel.demo.municipality import add_demo
from wijkmodel.model.loader import load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.access import Actor
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.invitations import SLIDERS, join, live_rows, make_invitation, save_as_participant
from wijkmodel.storage.tables import Round, Unit

SAVES = 12
LIVE_EVERY_S = 3.0


def _setup(factory: Sessions, model: MaturityModel) -> tuple[int, int, str, list[int]]:
    """The demo and an invitation for two wijken: municipality, invitation, token, wijken."""
    with factory.begin() as s:
        m = add_demo(session=s, model=model)
        round_id = s.scalar(select(Round.id).where(Round.municipality_id == m.id).order_by(Round.date.desc())) or 0
        wijken = list(s.scalars(select(Unit.id).where(Unit.municipality_id == m.id, Unit.kind == "wijk").limit(2)))
        invitation, token = make_invitation(
            session=s,
            round_id=round_id,
            title="Benchmark",
            unit_ids=wijken,
            roles=[],
            instruments=[SLIDERS, "quickscan"],
            closes_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=2),
        )
        return m.id, invitation.id, token, wijken


def run_saves(url: str, respondents: int, model: MaturityModel) -> dict[str, float]:
    factory = make_sessionmaker(make_engine(url))
    municipality_id, invitation_id, token, wijken = _setup(factory, model)
    actor = Actor(account_id=None, invitation_id=invitation_id)
    roles = ["gemeente", "lokaal team", "samenwerkingspartner", "inwoner/jeugd"]
    themes = [t.id for t in model.themes_ordered()]
    questions = list(model.quickscan.questions)[:6]
    durations: list[float] = []
    failures: list[str] = []
    last_save = [0.0]
    lock = threading.Lock()
    start = threading.Barrier(respondents)

    def timed(action: object, slider: bool = False) -> None:
        began = time.perf_counter()
        try:
            with factory.begin(municipality_id, actor=actor) as s:
                action(s)  # type: ignore[operator]
        except Exception as exc:  # noqa: BLE001 - a failed save is what this counts
            with lock:
                failures.append(repr(exc))
        else:
            with lock:
                durations.append(time.perf_counter() - began)
                if slider:  # what the live view shows: how soon it has the last slider placed
                    last_save[0] = max(last_save[0], time.monotonic())

    def respondent(i: int) -> None:
        rng = random.Random(i)  # noqa: S311 - think times, not security
        holder: dict[str, str] = {}
        start.wait()
        timed(lambda s: holder.update(code=join(session=s, token=token, role=roles[i % 4])[1]))
        if "code" not in holder:
            return
        unit = wijken[i % 2]
        for k in range(SAVES):
            time.sleep(rng.uniform(0.5, 2.0))
            if k < len(themes):
                what = {"theme_id": themes[k], "value": float(rng.randint(0, 100))}
            else:
                q = questions[k - len(themes)]
                what = {"question_id": q.id, "value": model.question_scale(q).options[rng.randrange(4)].id}
            timed(
                lambda s, what=what: save_as_participant(
                    session=s, token=token, code=holder["code"], unit_id=unit, model=model, **what
                ),
                slider="theme_id" in what,
            )

    reads: list[float] = []
    stop = threading.Event()
    complete_at = [0.0]

    def facilitator() -> None:
        while not stop.is_set():
            began = time.perf_counter()
            with factory() as s:
                _, placed = live_rows(session=s, invitation_id=invitation_id)
            reads.append(time.perf_counter() - began)
            if len(placed) == respondents * len(themes) and not complete_at[0]:
                complete_at[0] = time.monotonic()
            stop.wait(LIVE_EVERY_S)

    watcher = threading.Thread(target=facilitator)
    watcher.start()
    threads = [threading.Thread(target=respondent, args=(i,)) for i in range(respondents)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.monotonic() + 10
    while not complete_at[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    watcher.join()
    ordered = sorted(durations)
    return {
        "saves": len(durations),
        "failed": len(failures),
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "max_ms": ordered[-1] * 1000,
        "live_read_max_ms": max(reads) * 1000,
        "live_current_s": (complete_at[0] - last_save[0]) if complete_at[0] else float("nan"),
    }


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_memory(respondents: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser import LAUNCH_ARGS, new_page, ready, rerun, streamlit_server

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/memory.sqlite"
        model = load_model()
        _, _, token, _ = _setup(make_sessionmaker(make_engine(url)), model)
        with streamlit_server(url) as base:
            pid = int(
                subprocess.run(  # noqa: S603 - our own server's port
                    ["pgrep", "-f", f"server.port {base.rsplit(':', 1)[1]}"],  # noqa: S607
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()[0]
            )
            before = _rss_mb(pid)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
                pages = []
                for i in range(respondents):
                    page = new_page(browser, 375, 667, who=None, mobile=True)
                    page.goto(f"{base}/?uitnodiging={token}")
                    ready(page, "Benchmark", timeout=120_000)
                    page.get_by_text(["Gemeente", "Lokaal team", "Samenwerkingspartner"][i % 3], exact=True).click()
                    page.get_by_role("button", name="Beginnen").click()
                    page.get_by_role("combobox").first.click()
                    page.get_by_role("option").first.click()
                    slider = page.get_by_role("slider").first
                    slider.wait_for()
                    slider.focus()
                    with rerun(page):
                        page.keyboard.press("ArrowRight")
                    pages.append(page)
                with_sessions = _rss_mb(pid)
                browser.close()
    return {"rss_before_mb": before, "rss_with_sessions_mb": with_sessions}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (the database is emptied)")
    parser.add_argument("--memory", action="store_true", help="also the server's memory with the sessions open")
    args = parser.parse_args()
    model = load_model()
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    failed = False
    for name, url in targets:
        with tempfile.TemporaryDirectory() as tmp:
            if url is None:
                url = f"sqlite:///{tmp}/bench.sqlite"
            else:
                empty_database(url)
            r = run_saves(url, args.respondents, model)
        print(
            f"{name}: {args.respondents} respondents, {r['saves']:.0f} saves, {r['failed']:.0f} failed; "
            f"save median {r['median_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, longest {r['max_ms']:.0f} ms; "
            f"live read longest {r['live_read_max_ms']:.0f} ms, every slider in the live view "
            f"{r['live_current_s']:.1f} s after the last slider was saved"
        )
        failed |= r["failed"] > 0 or r["p95_ms"] > 300 or not r["live_current_s"] <= 5
    if args.memory:
        m = run_memory(args.respondents)
        print(
            f"memory: server {m['rss_before_mb']:.0f} MB before, {m['rss_with_sessions_mb']:.0f} MB with "
            f"{args.respondents} sessions open (target <= 1024 MB)"
        )
        failed |= m["rss_with_sessions_mb"] > 1024
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
