"""What the page Geschiedenis shows, from wijkmodel.storage.history (table-driven)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import select

from wijkmodel.analysis.views import to_csv_bytes
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.history import (
    COLUMNS,
    SHOWN_COLUMNS,
    Entry,
    Scope,
    count_text,
    history,
    history_table,
    kinds,
    local_time,
    record,
    record_many,
    shown,
)
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.tables import Change


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (dt.datetime(2026, 1, 15, 9, 30), "15-01-2026 10:30"),  # winter time: UTC+1
        (dt.datetime(2026, 7, 1, 22, 5, 59), "02-07-2026 00:05"),  # summer time: UTC+2, the next day
        (dt.datetime(2026, 3, 29, 0, 59), "29-03-2026 01:59"),  # just before the clocks go forward
        (dt.datetime(2026, 3, 29, 1, 0), "29-03-2026 03:00"),  # just after
        (dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC), "15-01-2026 10:30"),  # already marked UTC
        (pd.Timestamp("2026-11-23 14:53:45"), "23-11-2026 15:53"),
        (None, ""),
        (pd.NaT, ""),
    ],
)
def test_local_time(at: object, expected: str) -> None:
    assert local_time(at) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "leeg"),
        ("", "leeg"),
        ("leeg", "‘leeg’"),  # the typed word differs from an empty value
        (50.0, "50"),
        (37.5, "37,5"),
        (50.00000001, "50,00000001"),  # a tiny change still reads as a change
        (0.0, "0"),
        (-0.0, "0"),  # the same number as 0: no history row for 0 -> -0
        (1e-9, "1e-09"),
        (dt.date(2026, 3, 1), "01-03-2026"),
        (7, "7"),
    ],
)
def test_a_value_reads_in_the_history(value: object, expected: str) -> None:
    assert shown(value) == expected


def _changes() -> pd.DataFrame:
    rows = [
        (
            dt.datetime(2026, 5, 2, 12, 0),
            "Noord",
            "2026",
            "gemeente",
            "a@b.nl",
            "schuifje",
            "Lokale teams",
            "40 (fase 2)",
            "70",
        ),
        (dt.datetime(2026, 5, 1, 12, 0), "Noord", "2026", "lokaal team", "", "antwoord", "BF1-Q1", "leeg", "Ja"),
        (dt.datetime(2026, 4, 1, 8, 0), "", "2026", "", "", "kernkeuze", "=1+1", "leeg", "<b>x</b>"),
        (dt.datetime(2026, 3, 1, 8, 0), "Zuid", "", "", "", "schuifje", "Visie", "leeg", "10 (fase 1)"),
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_kinds_are_listed_once_alphabetically() -> None:
    assert kinds(_changes()) == ["antwoord", "kernkeuze", "schuifje"]
    assert kinds(pd.DataFrame(columns=list(COLUMNS))) == []


@pytest.mark.parametrize(
    ("kind", "subjects"),
    [
        (None, ["Lokale teams", "BF1-Q1", "=1+1", "Visie"]),  # all, newest first as stored
        ("schuifje", ["Lokale teams", "Visie"]),
        ("kernkeuze", ["=1+1"]),
        ("actie", []),
    ],
)
def test_history_table_filters_by_kind_and_speaks_dutch(kind: str | None, subjects: list[str]) -> None:
    table = history_table(_changes(), kind)
    assert list(table.columns) == list(SHOWN_COLUMNS.values())
    assert list(table["Onderwerp"]) == subjects
    assert list(table.index) == list(range(len(subjects)))


def test_history_table_shows_local_time_and_keeps_text_as_typed() -> None:
    table = history_table(_changes())
    assert table.loc[0, "Wanneer (Nederlandse tijd)"] == "02-05-2026 14:00"
    assert table.loc[2, "Werd"] == "<b>x</b>"
    # a download of it never hands a spreadsheet a formula
    assert "'=1+1" in to_csv_bytes(table.set_index("Wanneer (Nederlandse tijd)")).decode("utf-8-sig")


@pytest.mark.parametrize(
    ("total", "limit", "expected"),
    [
        (0, 500, "Hier zijn (nog) geen wijzigingen bewaard."),
        (1, 500, "1 wijziging."),
        (2, 500, "2 wijzigingen, de nieuwste bovenaan."),
        (500, 500, "500 wijzigingen, de nieuwste bovenaan."),
        (501, 500, "501 wijzigingen. Hieronder staan de 500 nieuwste. Download het bestand voor alle wijzigingen."),
        (
            2258,
            1000,
            "2.258 wijzigingen. Hieronder staan de 1.000 nieuwste. Download het bestand voor alle wijzigingen.",
        ),
    ],
)
def test_count_text(total: int, limit: int, expected: str) -> None:

    assert count_text(total, limit) == expected


def test_the_download_of_the_demo_history_holds_every_change(demo_factory: Sessions) -> None:
    with demo_factory() as s:
        changes = history(session=s, municipality_id=1)
    assert len(changes) > 500  # more than the page shows
    csv = to_csv_bytes(history_table(changes).set_index("Wanneer (Nederlandse tijd)"))
    back = pd.read_csv(io.BytesIO(csv), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(back) == len(changes)
    assert list(back.columns) == list(SHOWN_COLUMNS.values())


def test_record_many_writes_waiting_changes_before_it_reads_the_clock(
    factory: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change recorded earlier must not get a later time than the ones `record_many` writes after it:
    the history sorts by time, then id."""
    import wijkmodel.storage.history as module

    with factory.begin() as s:
        municipality = create_municipality(session=s, name="Klokdorp")
        record(session=s, scope=Scope(municipality.id), kind="wijk", subject="eerst", old=None, new="a")
        waiting_when_read: list[int] = []

        def clock() -> dt.datetime:
            waiting_when_read.append(sum(isinstance(o, Change) for o in s.new))
            return dt.datetime(2026, 1, 1)

        monkeypatch.setattr(module, "utcnow", clock)
        assert record_many(session=s, entries=[Entry(Scope(municipality.id), "wijk", "daarna", None, "b")]) == 1
        assert waiting_when_read == [0]
        assert record_many(session=s, entries=[Entry(Scope(municipality.id), "wijk", "gelijk", "c", "c")]) == 0
    with factory() as s:
        kept = s.execute(select(Change.subject).where(Change.kind == "wijk").order_by(Change.id)).scalars().all()
        assert kept == ["eerst", "daarna"]
