"""Slides of the improvement cycle for the briefing (deck, report, presentation mode): the core
choices, the targets with their gaps, where perspectives differ, and the action plan."""

from __future__ import annotations

import pandas as pd

from wijkmodel.analysis.perspectives import differences, role_scores_of_units
from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.charts.base import Caption
from wijkmodel.charts.cycle import gap_figure
from wijkmodel.cycle.action_plan import plan_table
from wijkmodel.cycle.core_choices import NOT_CHOSEN, core_choice_table
from wijkmodel.cycle.targets import gaps, gaps_table
from wijkmodel.exports.slides import Slide, TableData
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.text import format_score

SECTION_PLAN = "Kernkeuzes, streefwaarden en acties"
SECTION_PERSPECTIVES = "Perspectieven"


def _table(frame: pd.DataFrame) -> TableData:
    return TableData(
        list(frame.columns), [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]
    )


def perspective_slides(
    mp: MunicipalityProfile, round_id: int, unit_ids: list[int], names: pd.Series, model: MaturityModel
) -> list[Slide]:
    """Where the roles differ a phase or more, over the chosen units, largest first; no slide when no
    chosen unit has two or more roles (then there is nothing to compare)."""
    frames = mp.frames
    rows = []
    by_unit = role_scores_of_units(
        frames.respondents, frames.positions, frames.answers, unit_ids, round_id, model, mp.profile.settings
    )
    if not any(scores.shape[1] >= 2 for scores in by_unit.values()):
        return []
    for unit_id in unit_ids:
        scores = by_unit.get(unit_id)
        if scores is None or scores.shape[1] < 2:
            continue
        for d in differences(scores, model).itertuples():
            if d.flagged:
                rows.append(
                    (
                        float(d.spread),
                        [
                            names[unit_id],
                            d.name,
                            f"{d.high_role}: {format_score(d.high)} (fase {int(phase_of(d.high))})",
                            f"{d.low_role}: {format_score(d.low)} (fase {int(phase_of(d.low))})",
                            format_score(d.spread),
                        ],
                    )
                )
    rows.sort(key=lambda r: -r[0])
    columns = ["Wijk", "Onderdeel", "Hoogst", "Laagst", "Verschil"]
    title = "Waar verschillen de perspectieven een fase of meer?"
    compared = sum(1 for scores in by_unit.values() if scores.shape[1] >= 2)
    if not rows:
        return [
            Slide(
                key="perspectieven",
                section=SECTION_PERSPECTIVES,
                title=title,
                bullets=[
                    f"In {compared} {'wijk' if compared == 1 else 'wijken'} met twee of meer rollen liggen de rollen "
                    "nergens een fase (25 punten) of meer uit elkaar."
                ],
                notes="Geen verschillen van een fase of meer.",
            )
        ]
    table = TableData(columns, [r[1] for r in rows])
    return [
        Slide(
            key="perspectieven",
            section=SECTION_PERSPECTIVES,
            title=title,
            table=table,
            notes="\n".join(" · ".join(r) for r in table.rows),
        )
    ]


def choices_slides(mp: MunicipalityProfile, round_id: int, round_label: str, model: MaturityModel) -> list[Slide]:
    """The core choices of the round; none when not one is made yet."""
    choices = core_choice_table(mp.frames.core_choices, round_id, model)
    if (choices["Gekozen"] == NOT_CHOSEN).all():
        return []
    return [
        Slide(
            key="kernkeuzes",
            section=SECTION_PLAN,
            title=f"Kernkeuzes (stap 3), ronde {round_label}",
            table=_table(choices[["Kernkeuze", "Gekozen", "Onderbouwing"]]),
            notes="\n".join(
                f"{r.Kernkeuze}: {r.Vraag} Gekozen: {r.Gekozen}. {r.Onderbouwing}" for r in choices.itertuples()
            ),
        )
    ]


def gap_slides(
    mp: MunicipalityProfile,
    round_id: int,
    unit_ids: list[int],
    names: pd.Series,
    model: MaturityModel,
    caption: Caption,
) -> list[Slide]:
    """The gaps to target of the chosen units; none without targets."""
    slide = _gap_slide(mp, round_id, unit_ids, names, model, caption)
    return [] if slide is None else [slide]


def plan_slides(mp: MunicipalityProfile, unit_ids: list[int], names: pd.Series, model: MaturityModel) -> list[Slide]:
    """The action plan of the chosen units; none without actions."""
    frames = mp.frames
    plan = plan_table(frames.actions[frames.actions["unit"].isin(unit_ids)], names.to_dict(), model)
    if plan.empty:
        return []
    plan = plan.drop(columns="action")
    return [
        Slide(
            key="actieplan",
            section=SECTION_PLAN,
            title="Actieplan (stap 4): wie doet wat",
            table=_table(plan),
            notes="\n".join(" · ".join(str(v) for v in row) for row in plan.itertuples(index=False)),
        )
    ]


GAP_ROWS_IN_CHART = 8
"""The chart shows the largest gaps; the table beside it (and its continuation slides) shows all.
Eight rows of two-line names stay readable on a 1280x720 beamer (the layout test checks it)."""


def _gap_slide(
    mp: MunicipalityProfile,
    round_id: int,
    unit_ids: list[int],
    names: pd.Series,
    model: MaturityModel,
    caption: Caption,
) -> Slide | None:
    """One slide with the gap to target of every chosen unit, largest first (None without targets)."""
    parts = []
    with_targets = set(mp.frames.targets["unit"])  # most wijken have none: skip them at once
    for unit_id in unit_ids:
        if unit_id not in with_targets:
            continue
        rows = gaps(mp.profile.items, mp.frames.targets, unit_id, round_id, model)
        if not rows.empty:
            parts.append(rows.assign(name=[f"{names[unit_id]}: {n}" for n in rows["name"]]))
    if not parts:
        return None
    all_gaps = pd.concat(parts).sort_values("gap", ascending=False, na_position="last", kind="stable")
    title = "Afstand tot de streefwaarde, grootste eerst"
    shown = all_gaps.head(GAP_ROWS_IN_CHART)
    table = gaps_table(all_gaps).rename(columns={"Onderdeel": "Wijk: onderdeel"})
    short = "; ".join(
        f"{r.name} nu {format_score(r.score)}, streef {format_score(r.target)}" for r in shown.itertuples()
    )
    return Slide(
        key="streefwaarden",
        section=SECTION_PLAN,
        title=title,
        figure=gap_figure(shown.reset_index(drop=True), model, caption, title),
        table=_table(table),
        notes="\n".join(" · ".join(str(v) for v in row) for row in table.itertuples(index=False)),
        alt_text=f"{title}, per wijk en onderdeel de score nu en de streefwaarde: {short}.",
    )
