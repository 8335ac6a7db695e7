"""Save locks: a save locks its own municipality (PostgreSQL: an advisory lock keyed by it), so work in
one municipality never waits for another; a save of everything waits for all. A save that changes
a municipality it did not lock is a programming error, refused before anything is written."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from wijkmodel.storage.db import LockScopeError, Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.tables import Municipality
from wijkmodel.storage.wijken import add_wijk, units


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Sessions, int, int]]:
    """Two municipalities; returns the factory and their ids."""
    engine = make_engine(db_url)
    factory = make_sessionmaker(engine)
    with factory.begin() as s:
        a = create_municipality(session=s, name="Aastad").id
        b = create_municipality(session=s, name="Beedorp").id
    yield factory, a, b
    engine.dispose()


def test_a_save_may_change_only_the_municipality_it_locked(two: tuple[Sessions, int, int]) -> None:
    factory, a, b = two
    with pytest.raises(LockScopeError), factory.begin(a) as s:
        add_wijk(session=s, municipality_id=b, name="Noord")
    with pytest.raises(LockScopeError), factory.begin(a) as s:
        create_municipality(session=s, name="Ceestad")  # spans municipalities: needs the lock of everything
    with factory() as s:
        assert [u.name for u in units(session=s, municipality_id=b)] == ["Gemeente als geheel"]
        assert find_municipality(session=s, name="Ceestad") is None
    with factory.begin(b) as s:
        add_wijk(session=s, municipality_id=b, name="Noord")
    with factory.begin() as s:  # everything
        add_wijk(session=s, municipality_id=a, name="Zuid")


def _hold(factory: Sessions, municipality_id: int | None, held: threading.Event, release: threading.Event) -> None:
    with factory.begin(municipality_id) as s:
        s.execute(select(Municipality.id)).all()
        held.set()
        release.wait(20)


def _finished_while_held(factory: Sessions, hold: int | None, save: int | None) -> bool:
    """Whether a save under `save`'s lock ends while another transaction holds `hold`'s lock."""
    held, release, done = threading.Event(), threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(factory, hold, held, release))
    holder.start()
    assert held.wait(10)

    def write() -> None:
        with factory.begin(save) as s:
            add_wijk(session=s, municipality_id=save or hold or 0, name=f"Wijk {time.monotonic_ns()}")
        done.set()

    saver = threading.Thread(target=write)
    saver.start()
    finished = done.wait(2)  # a blocked save would wait up to SAVE_WAIT_S (10 s)
    release.set()
    holder.join()
    saver.join()
    assert done.is_set()  # it does finish once the lock is free
    return finished


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_saves_in_another_municipality_do_not_wait(two: tuple[Sessions, int, int]) -> None:
    factory, a, b = two
    assert _finished_while_held(factory, hold=a, save=b)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_saves_in_the_same_municipality_wait_their_turn(two: tuple[Sessions, int, int]) -> None:
    factory, a, _b = two
    assert not _finished_while_held(factory, hold=a, save=a)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_a_save_of_everything_waits_for_any_municipality(two: tuple[Sessions, int, int]) -> None:
    factory, a, b = two
    assert not _finished_while_held(factory, hold=a, save=None)
    assert not _finished_while_held(factory, hold=None, save=b)
