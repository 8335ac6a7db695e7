"""The theme slider (schuifje): its steps and labels. A stored position is shown exactly as stored,
never snapped to a step, so a value from a backup or the CLI (42, 48, 74,96) reads as itself and a
note edit never moves it."""

from __future__ import annotations

from functools import lru_cache

from wijkmodel.scoring.text import score_and_phase

NOT_PLACED = "nog niet geplaatst"
STEPS: list[float | None] = [None, *range(0, 101)]
"""Not placed, then every whole position 0-100."""


def slider_value(stored: float | None) -> float | None:
    """A stored position as the slider holds it: whole numbers as int (they match a step), others exact."""
    if stored is None:
        return None
    return int(stored) if float(stored).is_integer() else float(stored)


def slider_options(stored: float | None) -> list[float | None]:
    """The steps, with the stored position among them in its place when it is not a whole number."""
    value = slider_value(stored)
    if value is None or isinstance(value, int):
        return STEPS
    whole = [step for step in STEPS if step is not None]
    return [None, *sorted([*whole, value])]


@lru_cache(maxsize=1024)  # a slider formats all its 102 steps on every run: six sliders, 600 labels a move
def slider_label(value: float | None) -> str:
    """'42 · fase 2'; '74,96' reads '74,9 · fase 3' (never rounded into the next phase)."""
    if value is None:
        return NOT_PLACED
    return score_and_phase(float(value))
