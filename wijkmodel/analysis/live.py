"""Live results of a session with partners (issue 19): how many filled in, per wijk and role, and
per theme the mean and spread of the sliders placed through the invitation, as tables the
facilitator's view shows while people are answering."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import pandas as pd

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.text import format_score, phase_name
from wijkmodel.storage.invitations import LiveRow
from wijkmodel.storage.tables import Role


def turnout(answered: Sequence[tuple[int, str, str]], roles: Sequence[str]) -> pd.DataFrame:
    """'n ingevuld': people who saved anything, per wijk (rows) and role (columns, in the order of
    `roles`), with a total row and column. A person who answered for two wijken counts in each."""
    wijken = sorted({unit for _, _, unit in answered})
    people = {(number, role, unit) for number, role, unit in answered}
    table = pd.DataFrame(
        [[sum(1 for _, r, u in people if u == w and r == role) for role in roles] for w in wijken],
        index=pd.Index(wijken, name="Wijk"),
        columns=list(roles),
        dtype="int64",
    )
    table["Totaal"] = table.sum(axis=1)
    table.loc["Totaal"] = table.sum(axis=0)
    return table.reset_index()


def people_count(answered: Sequence[tuple[int, str, str]]) -> int:
    """How many people saved anything (each once, whatever the number of wijken)."""
    return len({number for number, _, _ in answered})


def people_text(count: int) -> str:
    """'1 persoon', '20 personen'."""
    return f"{count} {'persoon' if count == 1 else 'personen'}"


def theme_spread(rows: Sequence[LiveRow], model: MaturityModel) -> pd.DataFrame:
    """Per theme, in the model's order: how many placed it, the mean and its phase (named), the
    standard deviation, lowest and highest; '–' where nobody placed it yet."""
    records = []
    for theme in model.themes_ordered():
        values = [r.position for r in rows if r.theme_id == theme.id]
        mean = statistics.fmean(values) if values else None
        records.append(
            {
                "Thema": f"{theme.order}. {theme.name}",
                "Aantal": len(values),
                "Gemiddelde": format_score(mean),
                "Fase van het gemiddelde": phase_name(model, None if mean is None else float(phase_of(mean))),
                "Spreiding (sd)": format_score(statistics.pstdev(values)) if values else "–",
                "Laagste": format_score(min(values)) if values else "–",
                "Hoogste": format_score(max(values)) if values else "–",
            }
        )
    return pd.DataFrame(records)


def theme_means(rows: Sequence[LiveRow]) -> dict[str, float]:
    """The mean position per theme id, over every slider placed (for checks and charts)."""
    by_theme: dict[str, list[float]] = {}
    for row in rows:
        by_theme.setdefault(row.theme_id, []).append(row.position)
    return {theme: statistics.fmean(values) for theme, values in by_theme.items()}


ROLE_NAMES = {
    Role.MUNICIPALITY.value: "Gemeente",
    Role.LOCAL_TEAM.value: "Lokaal team",
    Role.PARTNER.value: "Samenwerkingspartner",
    Role.RESIDENT.value: "Inwoner of jongere",
}
"""The four roles as a respondent chooses them on the phone page."""
