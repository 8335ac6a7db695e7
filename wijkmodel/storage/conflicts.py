"""Edits made on an older screen: each save says what the user's screen showed for the field it
changes; when the stored value has changed since (a colleague saved), the save is not applied and
`Conflict` says who changed it when, with both values, so the user can choose.

The value itself is the version: a screen based on 55 conflicts with a stored 100, never with a
stored 55 (nothing the user saw was overwritten).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.storage.history import Scope, local_time, shown
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.tables import Change


class Keep:
    """The type of KEEP."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = Keep()
"""A field the save leaves as stored (the user did not touch it)."""


class Conflict(InputError):
    """The stored value changed since the user's screen showed it; nothing was saved."""

    def __init__(
        self, *, what: str, subject: str, theirs: Any, mine: Any, theirs_text: str, mine_text: str, by: str
    ) -> None:
        self.what, self.subject = what, subject
        self.theirs, self.mine = theirs, mine
        self.theirs_text, self.mine_text, self.by = theirs_text, mine_text, by
        super().__init__(
            [
                f"Iemand anders heeft {what} bij '{subject}' net veranderd ({by}). Nu bewaard: '{theirs_text}'. "
                f"U koos: '{mine_text}'. Uw keuze is nog niet bewaard. Kies hieronder wat u wilt."
            ]
        )


def check_seen(
    *,
    session: Session,
    scope: Scope,
    kind: str,
    what: str,
    subject: str,
    stored: Any,
    seen: Any,
    mine: Any,
    text: Callable[[Any], object] = lambda value: value,
) -> None:
    """Raise Conflict when the screen showed `seen` but `stored` is in the database now (seen KEEP:
    no check). `text` makes a value readable; values compare as the history reads them."""
    if seen is KEEP or shown(text(seen)) == shown(text(stored)):
        return
    raise Conflict(
        what=what,
        subject=subject,
        theirs=stored,
        mine=mine,
        theirs_text=shown(text(stored)),
        mine_text=shown(text(mine)),
        by=changed_by(session=session, scope=scope, kind=kind, subject=subject),
    )


def changed_by(*, session: Session, scope: Scope, kind: str, subject: str) -> str:
    """Who (role) changed this last, and when, from the history: 'als lokaal team, 03-12-2026 10:42'."""
    row = session.execute(
        select(Change.role, Change.at)
        .where(
            Change.municipality_id == scope.municipality_id,
            Change.unit_id == scope.unit_id,
            Change.round_label == scope.round_label,
            Change.role == scope.role,
            Change.kind == kind,
            Change.subject == subject[:300],
        )
        .order_by(Change.at.desc(), Change.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "wanneer is niet bekend"
    role, at = row
    return f"als {role}, {local_time(at)}" if role else local_time(at)
