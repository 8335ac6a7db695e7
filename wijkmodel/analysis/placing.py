"""Placing many wijken at once: every wijk × the six themes in one table (Startpositie, 'Alle wijken').

A cell holds a phase, chosen from the four by keyboard. A phase chosen in the table is stored as the
middle of its band (phase k is [25(k-1), 25k), see scoring.core.phase_of), so it reads as that phase
everywhere and the exact place can still be set with the wijk's own slider. A stored position shows as
its phase; choosing the same phase again changes nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of

UNIT_COLUMN = "Wijk"
PHASE_MIDDLE = {1: 12.5, 2: 37.5, 3: 62.5, 4: 87.5}


def phase_choice(model: MaturityModel, number: int) -> str:
    """'Fase 2': short, so six themes fit side by side (`phase_key` names them above the table);
    typing the number finds it."""
    model.phase(number)  # an unknown phase fails here
    return f"Fase {number}"


def phase_key(model: MaturityModel) -> str:
    """The names of the phases, for above the table: 'Fase 1 – Start van wijkgericht werken · …'."""
    return " · ".join(f"Fase {p.number} – {p.name}" for p in sorted(model.phases, key=lambda p: p.number))


def theme_column(number: int) -> str:
    """A theme's column head: 'Thema 3'. Short, so all six fit beside the wijk at 1280 px wide;
    `theme_key` above the table and the column's help name the theme."""
    return f"Thema {number}"


def theme_key(model: MaturityModel) -> str:
    """The names of the themes, for above the table: 'Thema 1 – Visie en inspiratie · …'."""
    return " · ".join(f"{theme_column(t.order)} – {t.name}" for t in model.themes_ordered())


def phase_choices(model: MaturityModel) -> list[str]:
    return [phase_choice(model, p.number) for p in sorted(model.phases, key=lambda p: p.number)]


def choice_of(model: MaturityModel, position: float | None) -> str | None:
    """The cell's text for a stored position (None: not placed, an empty cell)."""
    if position is None:
        return None
    return phase_choice(model, int(phase_of(float(position))))


def position_of(model: MaturityModel, choice: object) -> float | None:
    """The position stored for a cell's text: the middle of its phase; None for an emptied cell.
    Anything else is refused (the table offers only the four phases)."""
    if choice is None or (isinstance(choice, str) and not choice.strip()):
        return None
    for number, middle in PHASE_MIDDLE.items():
        if choice == phase_choice(model, number):
            return middle
    raise ValueError(f"geen fase: {choice!r}")


def theme_help(model: MaturityModel, theme_id: str) -> str:
    """The column's help: what each phase means for this theme (the descriptors of the publication)."""
    theme = model.theme(theme_id)
    lines = [f"{theme.name}. Kies de fase die nu het best past:"]
    for d in sorted(theme.descriptors, key=lambda d: d.phase):
        lines.append(f"Fase {d.phase} – {model.phase(d.phase).name}: {d.text}")
    return "\n\n".join(lines)


@dataclass(frozen=True)
class PlacingTable:
    """The table as shown: one row per unit (`unit_ids`, in order), a column per theme id with the
    cell texts, and the positions it was made from (what the screen showed, for conflicts)."""

    frame: pd.DataFrame
    unit_ids: list[int]
    shown: dict[tuple[int, str], float | None]


def placing_table(
    model: MaturityModel,
    units: Sequence[tuple[int, str]],
    positions: Mapping[int, Mapping[str, float | None]],
) -> PlacingTable:
    """Rows for `units` ((id, name), in the order given), cells from `positions[unit][theme]`."""
    themes = [t.id for t in model.themes_ordered()]
    shown = {(uid, tid): positions.get(uid, {}).get(tid) for uid, _ in units for tid in themes}
    rows = [{UNIT_COLUMN: name, **{tid: choice_of(model, shown[(uid, tid)]) for tid in themes}} for uid, name in units]
    frame = pd.DataFrame(rows, columns=[UNIT_COLUMN, *themes]).astype(object)
    frame = frame.where(frame.notna(), None)  # an empty cell is None (pandas makes it NaN)
    return PlacingTable(frame=frame, unit_ids=[uid for uid, _ in units], shown=shown)


@dataclass(frozen=True)
class CellChange:
    unit_id: int
    theme_id: str
    position: float | None
    seen: float | None


def changed_cells(
    model: MaturityModel, table: PlacingTable, edited_rows: Mapping[int | str, Mapping[str, object]]
) -> list[CellChange]:
    """The cells whose phase the user changed (Streamlit's `edited_rows`: row number -> column -> value),
    as positions to save; a cell set to the phase it already shows is no change."""
    changes = []
    for row, columns in edited_rows.items():
        unit_id = table.unit_ids[int(row)]
        for theme_id, value in columns.items():
            if theme_id == UNIT_COLUMN:
                continue
            seen = table.shown[(unit_id, theme_id)]
            position = position_of(model, value)
            if choice_of(model, position) == choice_of(model, seen):
                continue
            changes.append(CellChange(unit_id, theme_id, position, seen))
    return changes


def placed_count(table: PlacingTable) -> tuple[int, int]:
    """Rows with all six themes placed, and all rows."""
    themes = {tid for _, tid in table.shown}
    full = sum(all(table.shown[(uid, tid)] is not None for tid in themes) for uid in table.unit_ids)
    return full, len(table.unit_ids)
