"""The 'Beleid en praktijk' slides of the briefing: per unit with ZET outcomes in the round, the
Quickscan (policy) beside the ZET (practice) per basic function, with the talking points and their reason."""

from __future__ import annotations

from wijkmodel.analysis.practice import has_practice, policy_and_practice, practice_points, practice_table
from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.exports.slides import Slide, TableData
from wijkmodel.model.schema import MaturityModel

SECTION_PRACTICE = "Beleid en praktijk"
TITLE = "Beleid en praktijk (Quickscan en ZET)"
NO_POINTS = "Geen gesprekspunten: beleid en praktijk liggen nergens een fase of meer uit elkaar."


def practice_units(mp: MunicipalityProfile, round_id: int, unit_ids: list[int]) -> list[int]:
    """The units (of `unit_ids`, in that order) with at least one ZET outcome in the round."""
    return [u for u in unit_ids if has_practice(mp.frames.zet, u, round_id)]


def practice_slide(mp: MunicipalityProfile, round_id: int, unit_id: int, name: str, model: MaturityModel) -> Slide:
    """One unit's Quickscan beside its ZET: the table, the talking points as points, every reason and
    note in the notes (notes as typed: PowerPoint shows them as plain text)."""
    frame = policy_and_practice(mp.profile.items, mp.frames.zet, unit_id, round_id, model)
    table = practice_table(frame)
    points = practice_points(frame)
    notes = [" · ".join(str(v) for v in row) for row in table.itertuples(index=False)]
    notes += [f"Gesprekspunt: {p}" for p in points]
    notes += [f"Toelichting ZET bij {b}: {n}" for b, n in zip(frame["Basisfunctie"], frame["note"], strict=True) if n]
    return Slide(
        key=f"praktijk-{unit_id}",
        section=SECTION_PRACTICE,
        title=f"{TITLE}: {name}",
        table=TableData(list(table.columns), [[str(v) for v in row] for row in table.itertuples(index=False)]),
        bullets=points or [NO_POINTS],
        notes="\n".join(notes),
    )
