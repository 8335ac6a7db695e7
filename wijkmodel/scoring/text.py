"""Scores and phases in Dutch words: one home for how a score, a phase and a talking point read.
The numbers come from scoring.core; nothing here computes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wijkmodel.model.schema import MaturityModel, Question
from wijkmodel.scoring.core import (
    PHASE_WIDTH,
    phase_array,
    phase_of,
)


def talking_point_reason(row: pd.Series, model: MaturityModel) -> str:
    """Dutch reason of one talking point, e.g. 'Lokale teams staat in fase 4 (80), ...'."""
    theme = model.theme(str(row["theme"]))
    bf = model.basic_function(str(row["basic_function"]))
    higher, lower = (theme.name, bf.name) if row["gap"] > 0 else (bf.name, theme.name)
    return (
        f"{theme.name} staat in fase {int(row['theme_phase'])} ({format_score(row['theme_score'])}), "
        f"{bf.name} in fase {int(row['bf_phase'])} ({format_score(row['bf_score'])}): "
        f"{format_score(abs(row['gap']))} punten verschil. {higher} is verder dan {lower}; "
        "bespreek waarom."
    )


def format_scores(values: np.ndarray | pd.Series | list[float | None]) -> list[str]:
    """Dutch number format for many scores at once: 62,5 · 80 · '–' when missing.

    One decimal where needed, and never rounded across a phase border: 74,96 is shown as 74,9
    (phase 3), not 75 (phase 4).
    """
    raw = np.round(np.asarray(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce"), dtype=float), 9)
    shown = np.round(raw, 1)
    inside = (raw >= 0) & (raw <= 100)
    with np.errstate(invalid="ignore"):
        crossed = inside & (np.minimum(np.floor(shown / PHASE_WIDTH), 3) != np.minimum(np.floor(raw / PHASE_WIDTH), 3))
    shown = np.where(crossed, np.floor(raw * 10) / 10, shown)
    return ["–" if v != v else f"{v:.1f}".rstrip("0").rstrip(".").replace(".", ",") for v in shown.tolist()]


def format_score(value: float | None) -> str:
    """One score in the Dutch format (see `format_scores`; the same steps without building arrays)."""
    try:
        raw = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if raw != raw:
        return "–"
    raw = float(np.round(raw, 9))
    shown = float(np.round(raw, 1))
    if 0 <= raw <= 100 and min(math.floor(shown / PHASE_WIDTH), 3) != min(math.floor(raw / PHASE_WIDTH), 3):
        shown = math.floor(raw * 10) / 10
    return f"{shown:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def phase_name(model: MaturityModel, phase: float | None) -> str:
    """'fase 3 · Wijkgericht werken is de werkwijze', or 'nog niet bepaald'."""
    if phase is None or (isinstance(phase, float) and math.isnan(phase)):
        return "nog niet bepaald"
    number = int(phase)
    return f"fase {number} · {model.phase(number).name}"


def phase_label(value: float | None) -> str:
    """'fase 3' or '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"fase {int(phase_of(float(value)))}"


def phase_labels(values: np.ndarray | pd.Series) -> list[str]:
    """'fase 3' (or '–') for many scores at once."""
    phases = phase_array(np.asarray(values, dtype=float))
    return ["–" if p != p else f"fase {int(p)}" for p in phases.tolist()]


def phase_title(model: MaturityModel, number: int) -> str:
    """'Fase 2 – Samen op weg': a phase as a heading or legend entry, always number and name."""
    return f"Fase {number} – {model.phase(number).name}"


def score_and_phase(value: float | None) -> str:
    """'42 · fase 2', or '–'; '74,96' reads '74,9 · fase 3' (never rounded into the next phase)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{format_score(value)} · {phase_label(value)}"


def scores_and_phases(scores: pd.DataFrame) -> pd.DataFrame:
    """`score_and_phase` of every cell at once (a thousand wijken make tens of thousands of cells)."""
    values = scores.to_numpy(dtype=float)
    texts = format_scores(values.ravel())
    phases = phase_labels(values.ravel())
    cells = ["–" if p == "–" else f"{t} · {p}" for t, p in zip(texts, phases, strict=True)]
    return pd.DataFrame(np.array(cells, dtype=object).reshape(values.shape), index=scores.index, columns=scores.columns)


def polarity_hint(question: Question) -> str | None:
    """The line beside a question's answers where its polarity could surprise ("Let op: Ja = er zijn
    wachttijden. …"); None for the others."""
    return f"Let op: {question.polarity_note}" if question.polarity_note else None
