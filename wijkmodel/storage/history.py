"""History: every change is kept with when, which role, and old -> new.

Store functions call `record` in the same transaction as the change itself, so a change and its
trace are saved together or not at all. Values are kept as readable Dutch text, because the
history is for people ("Visie en inspiratie: 40 (fase 2) -> 70 (fase 3)"), not for replay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wijkmodel.storage.access import actor_of
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.tables import Change, ChangeAccount, Respondent, Round, Unit, utcnow

EMPTY = "leeg"
"""How an empty value reads in the history."""

COLUMNS = {
    "at": "Wanneer (UTC)",
    "unit_name": "Wijk",
    "round_label": "Ronde",
    "role": "Wie (rol)",
    "account": "Wie (account)",
    "kind": "Wat",
    "subject": "Onderwerp",
    "old": "Was",
    "new": "Werd",
}
"""Columns of the history table, with their Dutch headers."""


@dataclass(frozen=True)
class Scope:
    """Where a change happens: municipality, unit, round and role."""

    municipality_id: int
    unit_id: int | None = None
    unit_name: str = ""
    round_label: str = ""
    role: str = ""


def respondent_scope(*, session: Session, respondent_id: int) -> Scope:
    """The scope of a respondent's changes (one query)."""
    row = session.execute(
        select(Round.municipality_id, Unit.id, Unit.name, Round.label, Respondent.role, Respondent.label)
        .join(Respondent, Respondent.round_id == Round.id)
        .join(Unit, Unit.id == Respondent.unit_id)
        .where(Respondent.id == respondent_id)
    ).first()
    if row is None:
        raise InputError(["Deze invuller bestaat niet (meer)."])
    municipality_id, unit_id, unit_name, round_label, role, label = row
    return Scope(municipality_id, unit_id, unit_name, round_label, f"{role} · {label}" if label else role)


def unit_scope(*, session: Session, unit_id: int, round_label: str = "") -> Scope:
    """The scope of a change to a unit (target, action, energy mark)."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise InputError(["Deze wijk bestaat niet (meer)."])
    return Scope(unit.municipality_id, unit.id, unit.name, round_label)


def exact(number: float) -> str:
    """A number with every digit it has (50, 37.5, 50.00000001): two different numbers never read the same."""
    text = repr(float(number) + 0.0)  # + 0.0 turns -0.0 into 0.0: the same number reads the same
    return text.removesuffix(".0") if "e" not in text else text


def shown(value: object) -> str:
    """A value as it reads in the history."""
    if value is None or value == "":
        return EMPTY
    if value == EMPTY:  # someone typed the very word: quoted, so it differs from an empty value
        return f"‘{EMPTY}’"
    if isinstance(value, float):
        return exact(value).replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def record(*, session: Session, scope: Scope, kind: str, subject: str, old: object, new: object) -> bool:
    """Keep one change; nothing is kept when old and new read the same. True when kept."""
    before, after = shown(old), shown(new)
    if before == after:
        return False
    change = Change(
        municipality_id=scope.municipality_id,
        unit_id=scope.unit_id,
        unit_name=scope.unit_name,
        round_label=scope.round_label,
        role=scope.role,
        kind=kind,
        subject=subject[:300],
        old=before,
        new=after,
    )
    account = actor_of(session).email
    if account:  # logged in: the change names the account
        change.named_by = ChangeAccount(account=account)
    session.add(change)
    return True


@dataclass(frozen=True)
class Entry:
    """One change for `record_many`: the arguments of `record` without the session."""

    scope: Scope
    kind: str
    subject: str
    old: object
    new: object


def record_many(*, session: Session, entries: Iterable[Entry]) -> int:
    """Keep many changes in one statement (imports of thousands of wijken), by the rules of `record`.

    Returns how many were kept."""
    # changes recorded earlier are written first, so they get the lower ids and a time no later
    # than these: the history sorts by time, then id
    session.flush()
    at = utcnow()
    rows = [
        {
            "municipality_id": e.scope.municipality_id,
            "at": at,
            "unit_id": e.scope.unit_id,
            "unit_name": e.scope.unit_name,
            "round_label": e.scope.round_label,
            "role": e.scope.role,
            "kind": e.kind,
            "subject": e.subject[:300],
            "old": before,
            "new": after,
        }
        for e in entries
        if (before := shown(e.old)) != (after := shown(e.new))
    ]
    if rows:
        account = actor_of(session).email
        if account:  # logged in: every change names the account
            ids = session.scalars(insert(Change).returning(Change.id), rows).all()
            session.execute(insert(ChangeAccount), [{"change_id": i, "account": account} for i in ids])
        else:
            session.execute(insert(Change), rows)
    return len(rows)


def history(*, session: Session, municipality_id: int, unit_id: int | None = None) -> pd.DataFrame:
    """The kept changes, newest first; of one unit when `unit_id` is given (columns: `COLUMNS`)."""
    query = (
        select(Change, ChangeAccount.account)
        .outerjoin(ChangeAccount, ChangeAccount.change_id == Change.id)
        .where(Change.municipality_id == municipality_id)
    )
    if unit_id is not None:
        query = query.where(Change.unit_id == unit_id)
    rows = session.execute(query.order_by(Change.at.desc(), Change.id.desc())).all()
    return pd.DataFrame(
        [{**{key: getattr(r, key) for key in COLUMNS if key != "account"}, "account": a or ""} for r, a in rows],
        columns=list(COLUMNS),
    )


# --- what the page 'Geschiedenis' shows -------------------------------------------------------------

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
"""The stored time is UTC; people read it in Dutch local time (summer and winter time included)."""
SHOWN_COLUMNS = {**COLUMNS, "at": "Wanneer (Nederlandse tijd)"}
"""Headers of the history as the page and its downloads show it."""
MAX_SHOWN = 500
"""The page shows at most this many changes, the newest; the downloads hold them all."""


def local_time(at: object) -> str:
    """A stored UTC time as Dutch local time: '23-11-2026 15:53'; empty when missing."""
    if at is None or pd.isna(at):
        return ""
    stamp = pd.Timestamp(at)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")


def utc_from_local(day: dt.date, time: dt.time) -> dt.datetime:
    """A moment typed in Dutch local time, as stored: UTC without a zone."""
    return dt.datetime.combine(day, time, tzinfo=LOCAL_ZONE).astimezone(dt.UTC).replace(tzinfo=None)


def kinds(table: pd.DataFrame) -> list[str]:
    """The kinds of change in a history ('Wat'), alphabetically."""
    return sorted({str(k) for k in table["kind"] if k})


def history_table(table: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """The history as people read it: only changes of `kind` when given, newest first (as stored),
    the time in Dutch local time, Dutch headers (`SHOWN_COLUMNS`)."""
    chosen = table if kind is None else table[table["kind"] == kind]
    out = chosen[list(COLUMNS)].copy()
    out["at"] = [local_time(at) for at in chosen["at"]]
    return out.rename(columns=SHOWN_COLUMNS).reset_index(drop=True)


def _count(n: int) -> str:
    """A whole number in the Dutch format: 2.258."""
    return f"{n:,}".replace(",", ".")


def count_text(total: int, limit: int = MAX_SHOWN) -> str:
    """How many changes there are, and that only the newest `limit` are shown when there are more."""
    if total == 0:
        return "Hier zijn (nog) geen wijzigingen bewaard."
    if total == 1:
        return "1 wijziging."
    if total <= limit:
        return f"{_count(total)} wijzigingen, de nieuwste bovenaan."
    return (
        f"{_count(total)} wijzigingen. Hieronder staan de {_count(limit)} nieuwste. "
        "Download het bestand voor alle wijzigingen."
    )
