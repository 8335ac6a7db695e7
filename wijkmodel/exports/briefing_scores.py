"""The briefing's slides of scores: the overall phase per wijk, the heatmap and its tables, the
progress since the round before, and one profile per wijk (an appendix). Put together in
wijkmodel.exports.briefing."""

from __future__ import annotations

import math

import pandas as pd

from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.analysis.views import profile_items, profile_table, talking_points_table
from wijkmodel.charts.base import Caption
from wijkmodel.charts.comparison import heatmap_figure, ranking_figure
from wijkmodel.charts.cycle import progress_figure
from wijkmodel.charts.profile import profile_figure
from wijkmodel.cycle.targets import targets_by_label
from wijkmodel.exports.slides import Slide, TableData
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.text import (
    format_score,
    phase_label,
    phase_name,
    score_and_phase,
    scores_and_phases,
)

SECTION_OVERVIEW = "Overzicht"
SECTION_PROGRESS = "Voortgang"
SECTION_PROFILES = "Wijkprofielen"


def answered(row: pd.Series, model: MaturityModel) -> int:
    """How many basic functions of a unit's row have a score (from Quickscan answers)."""
    return sum(1 for b in model.basic_functions if not math.isnan(float(row[b.id])))


def overview_slide(
    rows: pd.DataFrame, unit_ids: list[int], names: pd.Series, model: MaturityModel, caption: Caption
) -> Slide:
    title = "Totaalfase per wijk"
    overall = pd.Series(
        [float(rows.loc[u, "overall"]) if u in rows.index else math.nan for u in unit_ids],
        index=[names[u] for u in unit_ids],
    )
    figure = ranking_figure(overall, model, caption, title)
    table_rows, notes = [], []
    for unit_id, score in zip(unit_ids, overall, strict=True):
        placed = int(rows.loc[unit_id, "themes_set"]) if unit_id in rows.index else 0
        table_rows.append([names[unit_id], phase_label(score), format_score(score), f"{placed} van 6"])
        notes.append(
            f"{names[unit_id]}: {phase_name(model, None if math.isnan(score) else float(phase_of(score)))}, "
            f"score {format_score(score)}, {placed} van 6 thema's geplaatst."
        )
    ranked = overall.dropna().sort_values(ascending=False)
    short = "; ".join(f"{n} {format_score(v)} ({phase_label(v)})" for n, v in ranked.items())
    missing = overall.index[overall.isna()].tolist()
    return Slide(
        key="overzicht",
        section=SECTION_OVERVIEW,
        title=title,
        figure=figure,
        table=TableData(["Wijk", "Fase", "Score", "Thema's"], table_rows),
        notes=f"Totaalfase: {caption.rule_label}.\n" + "\n".join(notes),
        alt_text=f"{title}, staafdiagram op de schaal 0 tot 100: {short}."
        + (f" Nog geen score: {', '.join(missing)}." if missing else ""),
    )


def heatmap_slide(scores: pd.DataFrame, model: MaturityModel, caption: Caption) -> Slide:
    """Every score of every chosen wijk in one table in the colours of the phases."""
    title = "Scores per wijk op thema's en basisfuncties"
    figure = heatmap_figure(scores, model, caption, title)
    cells = scores_and_phases(scores)
    notes = [f"{unit}: " + "; ".join(f"{item} {text}" for item, text in row.items()) for unit, row in cells.iterrows()]
    lowest = scores.mean(axis=0, skipna=True).sort_values()
    short = "; ".join(f"{item} gemiddeld {format_score(v)}" for item, v in lowest.items() if not math.isnan(v))
    return Slide(
        key="scores",
        section=SECTION_OVERVIEW,
        title=title,
        figure=figure,
        notes="\n".join(notes),
        alt_text=f"{title}, tabel in kleuren per fase, {len(scores)} rijen. Van laag naar hoog: {short}.",
    )


def score_table_slides(scores: pd.DataFrame, model: MaturityModel) -> list[Slide]:
    """The same scores as text: one table of the themes, one of the basic functions."""
    themes = [t.name for t in model.themes_ordered()]
    functions = [b.name for b in model.basic_functions_ordered()]
    cells = scores_and_phases(scores)
    slides = []
    for key, heading, one, columns in (
        ("scores-themas", "thema's", "thema", themes),
        ("scores-basisfuncties", "basisfuncties", "basisfunctie", functions),
    ):
        table_rows = [
            [str(unit), *row] for unit, row in zip(cells.index, cells[columns].to_numpy().tolist(), strict=True)
        ]
        slides.append(
            Slide(
                key=key,
                section=SECTION_OVERVIEW,
                title=f"Scores per wijk: {heading}",
                table=TableData(["Wijk", *columns], table_rows),
                notes=f"Score van 0 tot 100 en de fase, per wijk en per {one}.",
            )
        )
    return slides


def progress_slide(
    mp: MunicipalityProfile,
    before: tuple[int, str],
    after: tuple[int, str],
    unit_ids: list[int],
    names: pd.Series,
    model: MaturityModel,
    caption: Caption,
) -> Slide:
    units = mp.profile.units.set_index(["round", "unit"])

    def overall(round_id: int, unit_id: int) -> float:
        key = (round_id, unit_id)
        return float(units.loc[key, "overall"]) if key in units.index else math.nan

    table = pd.DataFrame(
        {"before": [overall(before[0], u) for u in unit_ids], "after": [overall(after[0], u) for u in unit_ids]},
        index=[names[u] for u in unit_ids],
    )
    table = table.sort_values("after", ascending=False, na_position="last", kind="stable")
    title = f"Voortgang: totaalscore in ronde {before[1]} en ronde {after[1]}"
    figure = progress_figure(table, model, caption, title, before[1], after[1])
    change = table["after"] - table["before"]
    rows = [
        [
            str(name),
            score_and_phase(b),
            score_and_phase(a),
            "–" if math.isnan(d) else ("+" if d >= 0 else "−") + format_score(abs(d)),
        ]
        for name, b, a, d in zip(table.index, table["before"], table["after"], change, strict=True)
    ]
    rose = change.dropna().sort_values(ascending=False)
    short = "; ".join(f"{n} {'+' if d >= 0 else '−'}{format_score(abs(d))}" for n, d in rose.items())
    return Slide(
        key="voortgang",
        section=SECTION_PROGRESS,
        title=title,
        figure=figure,
        table=TableData(["Wijk", f"Ronde {before[1]}", f"Ronde {after[1]}", "Verschil"], rows),
        notes="\n".join(" · ".join(r) for r in rows),
        alt_text=f"{title}, per wijk de score toen en nu. Verschil van hoog naar laag: {short}.",
    )


NO_QUICKSCAN = "Nog geen Quickscan voor deze wijk. Daarom zijn er nog geen gesprekspunten."
NO_THEMES = "Nog geen thema's geplaatst voor deze wijk (Startpositie). Daarom zijn er nog geen gesprekspunten."
NO_POINTS = "Geen gesprekspunten: geen samenhangend thema en basisfunctie liggen een fase of meer uit elkaar."


def profile_slide(
    mp: MunicipalityProfile, round_id: int, unit_id: int, name: str, model: MaturityModel, caption: Caption
) -> Slide:
    """One unit's themes and basic functions, with its talking points, or what is missing for them."""
    title = f"Profiel van {name}"
    items = profile_items(mp, round_id, unit_id, model)
    table = profile_table(items)
    tps = talking_points_table(mp, round_id, unit_id, model)
    scored = items.groupby("kind")["score"].count()
    missing = NO_QUICKSCAN if not scored.get("basisfunctie", 0) else NO_THEMES if not scored.get("thema", 0) else None
    bullets = list(tps["Gesprekspunt"]) or [missing or NO_POINTS]
    notes = [" · ".join(str(v) for v in row if str(v)) for row in table.itertuples(index=False)]
    for _, tp in tps.iterrows():
        notes.append(f"Gesprekspunt: {tp['Gesprekspunt']} Waarom: {tp['Waarom hangen ze samen?']} Bron: {tp['Bron']}")
    if tps.empty:
        notes.append(bullets[0])
    short = "; ".join(
        f"{label} {score_and_phase(float(s))}" for label, s in zip(items["label"], items["score"], strict=True)
    )
    return Slide(
        key=f"profiel-{unit_id}",
        section=SECTION_PROFILES,
        title=title,
        figure=profile_figure(
            items, model, caption, title, targets=targets_by_label(mp.frames.targets, unit_id, model)
        ),
        table=TableData(list(table.columns), [[str(v) for v in row] for row in table.itertuples(index=False)]),
        bullets=bullets,
        notes="\n".join(notes),
        alt_text=f"{title}, staafdiagram per thema en basisfunctie: {short}.",
    )
