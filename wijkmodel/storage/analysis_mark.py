"""Step 1 marked done by hand: 'the wijk-analyse is done', with a note of what was done, per round.

A municipality may make its analysis without importing figures (a conversation in the wijk, a
report of its own). It then marks step 1 done with a note (table `analysis_mark`, one row per round).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.storage.conflicts import KEEP, Keep, check_seen
from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import CoreChoiceIn, InputError, validate
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import AnalysisMarkEntry, Round, utcnow

SUBJECT = "Stap 1: wijk-analyse"
"""How the history names the mark."""


@dataclass(frozen=True)
class AnalysisMark:
    """Step 1 as marked by hand in a round."""

    done: bool = False
    note: str = ""

    @property
    def counts(self) -> bool:
        """The mark ticks step 1 only when it is done *and* says what was done."""
        return self.done and bool(self.note.strip())


def analysis_mark(marks: pd.DataFrame, round_id: int) -> AnalysisMark:
    """The step-1 mark of a round, read from `Frames.analysis_marks` (round, done, note)."""
    rows = marks[marks["round"] == round_id]
    if rows.empty:
        return AnalysisMark()
    row = rows.iloc[0]
    return AnalysisMark(done=bool(row["done"]), note=str(row["note"] or ""))


def save_analysis_mark(
    *,
    session: Session,
    round_id: int,
    done: bool | Keep = KEEP,
    note: str | Keep = KEEP,
    seen_done: bool | Keep = KEEP,
    seen_note: str | Keep = KEEP,
) -> AnalysisMark:
    """Mark step 1 of a round done or not done, and/or write its note; traced in the history.

    Only the fields given are written (KEEP leaves one as stored). Done without a note is refused:
    the note is what makes the mark count. `seen_*` is what the user's screen showed; a colleague's
    newer value raises `Conflict` (see wijkmodel.storage.conflicts)."""
    data = (
        None if isinstance(note, Keep) else validate(CoreChoiceIn, SUBJECT, rationale=note)
    )  # a note like a rationale
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise InputError(["Deze ronde bestaat niet (meer)."])
    row = session.scalar(select(AnalysisMarkEntry).where(AnalysisMarkEntry.round_id == round_id))
    old_done = row is not None and row.done
    old_note = row.note if row is not None else ""
    new_done = old_done if isinstance(done, Keep) else done
    new_note = old_note if data is None else data.rationale
    if new_done and not new_note.strip():
        raise InputError([f"{SUBJECT}: schrijf in een paar woorden op wat u hebt gedaan, dan telt stap 1 als klaar."])
    if row is None:
        row = AnalysisMarkEntry(round_id=round_id, done=False, note="")
        session.add(row)
    scope = Scope(round_.municipality_id, round_label=round_.label)

    def text(value: bool | None) -> str:
        return "klaar" if value else "nog niet klaar"

    if not isinstance(done, Keep):
        check_seen(
            session=session,
            scope=scope,
            kind="stap 1",
            what="het afvinken van stap 1",
            subject=SUBJECT,
            stored=old_done,
            seen=seen_done,
            mine=done,
            text=text,
        )
        record(session=session, scope=scope, kind="stap 1", subject=SUBJECT, old=text(old_done), new=text(done))
        row.done = done
    if data is not None:
        check_seen(
            session=session,
            scope=scope,
            kind="stap 1, toelichting",
            what="de toelichting bij stap 1",
            subject=SUBJECT,
            stored=old_note,
            seen=seen_note,
            mine=data.rationale,
        )
        record(session=session, scope=scope, kind="stap 1, toelichting", subject=SUBJECT, old=old_note, new=new_note)
        row.note = new_note
    row.updated_at = utcnow()
    bump_revision(session=session, municipality_id=round_.municipality_id)
    session.flush()
    return AnalysisMark(done=new_done, note=new_note)
