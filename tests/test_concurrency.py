"""Several colleagues saving at once into one SQLite database: nothing fails, nothing is lost or doubled.

Every save is the page's own path: get-or-create the respondent, then place a slider, in one
transaction. All writers share one respondent and its six themes, and every value written is
unique, so each save must leave exactly one history row. The rows of one theme, in the order they
were kept, form a chain (each row's old value is the previous row's new value): a save that read
a value another save had already replaced (a lost update) would break the chain.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
import time
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from wijkmodel.model.loader import load_model
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality, revision
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Change, Respondent, ThemePosition
from wijkmodel.storage.wijken import add_wijk

SAVES = 50
ROOT = Path(__file__).resolve().parent.parent


def _setup(url: str) -> tuple[int, int, int]:
    factory = make_sessionmaker(make_engine(url))
    with factory.begin() as s:
        municipality = create_municipality(session=s, name="Samenstad")
        wijk = add_wijk(session=s, municipality_id=municipality.id, name="Centrum")
        round_ = create_round(session=s, municipality_id=municipality.id, label="2026", date=dt.date(2026, 3, 1))
        return municipality.id, wijk.id, round_.id


def writer(url: str, writer_no: int, unit_id: int, round_id: int, start_at: float) -> None:
    """One colleague: SAVES slider saves, each with a value no other save writes."""
    model = load_model()
    themes = [t.id for t in model.themes]
    factory = make_sessionmaker(make_engine(url))
    time.sleep(max(0.0, start_at - time.time()))  # all writers start together
    for k in range(SAVES):
        with factory.begin() as s:
            respondent = get_or_create_respondent(session=s, round_id=round_id, unit_id=unit_id, role="gemeente")
            save_position(
                session=s,
                respondent_id=respondent.id,
                theme_id=themes[(writer_no + k) % len(themes)],
                position=k + writer_no / 10,
                model=model,
            )


def _check(url: str, municipality_id: int, writers: int) -> None:
    model = load_model()
    factory = make_sessionmaker(make_engine(url))
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Respondent)) == 1  # created once, not doubled
        changes = s.scalars(select(Change).where(Change.kind == "schuifje").order_by(Change.id)).all()
        assert len(changes) == writers * SAVES  # none lost, none doubled
        for theme in model.themes:
            chain = [c for c in changes if c.subject == theme.name]
            assert chain, theme.name
            assert chain[0].old == "leeg"  # the first save of a theme finds it empty
            for before, after in pairwise(chain):
                assert after.old == before.new, f"{theme.name}: a save overwrote a value it had not seen"
            stored = s.scalar(select(ThemePosition.position).where(ThemePosition.theme_id == theme.id))
            assert stored is not None and chain[-1].new.startswith(f"{stored:g} ")
        # one revision per save, plus the municipality's setup (wijk, round) and the respondent's creation
        assert revision(session=s, municipality_id=municipality_id) == writers * SAVES + 3


def _eight_threads(url: str) -> None:
    municipality_id, unit_id, round_id = _setup(url)
    errors: list[BaseException] = []
    start_at = time.time() + 0.5

    def run(writer_no: int) -> None:
        try:
            writer(url, writer_no, unit_id, round_id, start_at)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    _check(url, municipality_id, writers=8)


def test_eight_threads_save_fifty_changes_each(tmp_path: Path) -> None:
    _eight_threads(f"sqlite:///{tmp_path / 'shared.sqlite'}")


def test_eight_threads_save_fifty_changes_each_on_postgresql(pg_url: str) -> None:
    _eight_threads(pg_url)


def test_four_processes_save_fifty_changes_each(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    municipality_id, unit_id, round_id = _setup(url)
    start_at = time.time() + 4  # time for every process to import the app before the first save
    code = (
        "import sys; from tests.test_concurrency import writer; "
        "writer(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, url, str(n), str(unit_id), str(round_id), str(start_at)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    failures = []
    for p in processes:
        _, err = p.communicate(timeout=180)
        if p.returncode != 0:
            failures.append(err[-2000:])
    assert not failures, failures
    _check(url, municipality_id, writers=4)


@pytest.mark.parametrize("mode", ["DEFERRED", "IMMEDIATE"])
def test_only_saves_take_the_write_lock_at_the_start(tmp_path: Path, mode: str) -> None:
    """A read leaves the database free for a writer; a save holds the write lock from its first statement."""
    factory = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'lock.sqlite'}"))
    _setup(f"sqlite:///{tmp_path / 'lock.sqlite'}")

    holder = factory() if mode == "DEFERRED" else factory.writing()
    with holder as s, s.begin():
        s.scalar(select(func.count()).select_from(Respondent))  # first statement: starts the transaction
        other = sqlite3.connect(tmp_path / "lock.sqlite", timeout=0)
        try:
            if mode == "DEFERRED":
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            else:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_a_save_on_postgresql_gives_up_after_the_wait(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save queued behind a long one fails after the wait (the page then says the database was busy)."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from wijkmodel.storage import db

    _, unit_id, round_id = _setup(pg_url)
    monkeypatch.setattr(db, "SAVE_WAIT_S", 0.3)
    engine = make_engine(pg_url)
    with engine.connect() as holder:
        holder.execute(text(f"SELECT pg_advisory_xact_lock({db.SAVE_LOCK_KEY})"))  # a long save, still open
        started = time.monotonic()
        with pytest.raises(OperationalError, match="lock timeout"), make_sessionmaker(engine).begin() as s:
            get_or_create_respondent(session=s, round_id=round_id, unit_id=unit_id, role="gemeente")
        assert time.monotonic() - started < 5
        holder.rollback()
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Respondent)) == 0  # nothing was saved
    engine.dispose()
