"""What a steering group sees: the slides of one municipality and round.

One list of slides feeds presentation mode, the deck, the PDF report and the images, so they
always say the same. Every number comes from the one profile (wijkmodel.analysis.summary).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd

from wijkmodel.analysis.summary import MunicipalityProfile, aggregate_name
from wijkmodel.analysis.views import comparison_scores, explanation, profile_items, profile_table, talking_points_table
from wijkmodel.charts.base import Caption
from wijkmodel.charts.comparison import heatmap_figure, ranking_figure
from wijkmodel.charts.cycle import progress_figure
from wijkmodel.charts.profile import profile_figure
from wijkmodel.cycle.targets import targets_by_label
from wijkmodel.exports.briefing_analysis import analysis_slides
from wijkmodel.exports.briefing_conditions import conditions_slides
from wijkmodel.exports.briefing_cycle import perspective_slide, plan_slides
from wijkmodel.exports.briefing_practice import practice_slide, practice_units
from wijkmodel.exports.slides import Briefing, Slide, TableData
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.text import (
    format_score,
    phase_label,
    phase_name,
    score_and_phase,
    scores_and_phases,
)
from wijkmodel.storage.frames import unit_names, unit_order
from wijkmodel.storage.inputs import InputError

SECTION_OVERVIEW = "Overzicht"
SECTION_PROGRESS = "Voortgang"
SECTION_PROFILES = "Wijkprofielen"
SECTION_METHOD = "Methode en bronnen"


def chosen_units(mp: MunicipalityProfile, names: list[str] | None) -> list[int]:
    """Unit ids in display order (municipality as a whole first); `names` limits them (case-insensitive)."""
    order = unit_order(mp.frames.units)
    if not names:
        return order
    name_of = unit_names(mp.frames.units)
    by_name = {name_of[u].casefold(): u for u in order}
    unknown = [n for n in names if n.strip().casefold() not in by_name]
    if unknown:
        known = ", ".join(name_of[u] for u in order) or "geen"
        raise InputError([f"Wijk '{n}' bestaat niet bij {mp.name}. Bekende wijken: {known}." for n in unknown])
    wanted = {by_name[n.strip().casefold()] for n in names}
    return [u for u in order if u in wanted]


def previous_round(mp: MunicipalityProfile, round_id: int) -> tuple[int, str] | None:
    """The round before this one (by date), if any."""
    rounds = mp.frames.rounds.reset_index(drop=True)
    position = rounds.index[rounds["round"] == round_id]
    if len(position) == 0 or position[0] == 0:
        return None
    row = rounds.iloc[position[0] - 1]
    return int(row["round"]), str(row["label"])


def build_briefing(
    mp: MunicipalityProfile,
    round_id: int,
    model: MaturityModel,
    *,
    today: dt.date,
    wijken: list[str] | None = None,
    geometries: dict[int, dict[str, Any]] | None = None,
) -> Briefing:
    """The slides for one round: overview, scores, progress (when there is an earlier round), one
    profile per assessed unit with its talking points, policy beside practice per unit with ZET
    outcomes, and method and sources."""
    rounds = mp.frames.rounds.set_index("round")
    if round_id not in rounds.index:
        raise InputError([f"Ronde {round_id} hoort niet bij {mp.name}."])
    label = str(rounds.loc[round_id, "label"])
    settings = mp.profile.settings
    caption = Caption(mp.name, label, settings.rule.label, today)
    unit_ids = chosen_units(mp, wijken)
    names = pd.Series(unit_names(mp.frames.units))
    rows = mp.profile.units[mp.profile.units["round"] == round_id].set_index("unit")

    slides = [_overview(rows, unit_ids, names, model, caption)]
    slides += analysis_slides(mp, round_id, unit_ids, model, caption, geometries)
    scores = comparison_scores(mp, round_id, model, unit_ids, include_aggregate=not wijken)
    slides += _score_slides(scores, model, caption)
    before = previous_round(mp, round_id)
    if before is not None:
        slides.append(_progress(mp, before, (round_id, label), unit_ids, names, model, caption))
    parts: list[Slide | Callable[[], Slide]] = list(slides)
    for unit_id in unit_ids:
        if unit_id in rows.index and rows.loc[unit_id, "themes_set"] + _answered(rows.loc[unit_id], model) > 0:
            parts.append(partial(_profile, mp, round_id, unit_id, names[unit_id], model, caption))
    parts += [
        partial(practice_slide, mp, round_id, unit_id, names[unit_id], model)
        for unit_id in practice_units(mp, round_id, unit_ids)
    ]
    parts += conditions_slides(mp, round_id, model, caption)
    parts.append(perspective_slide(mp, round_id, unit_ids, names, model))
    parts += plan_slides(mp, round_id, label, unit_ids, names, model, caption)
    parts += _method(mp, model)
    return Briefing(municipality=mp.name, round_label=label, date=today, model_version=model.version, parts=parts)


def _answered(row: pd.Series, model: MaturityModel) -> int:
    return sum(1 for b in model.basic_functions if not math.isnan(float(row[b.id])))


def _overview(
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


def _score_slides(scores: pd.DataFrame, model: MaturityModel, caption: Caption) -> list[Slide]:
    title = "Scores per wijk op thema's en basisfuncties"
    figure = heatmap_figure(scores, model, caption, title)
    themes = [t.name for t in model.themes_ordered()]
    functions = [b.name for b in model.basic_functions_ordered()]
    cells = scores_and_phases(scores)
    notes = [f"{unit}: " + "; ".join(f"{item} {text}" for item, text in row.items()) for unit, row in cells.iterrows()]
    lowest = scores.mean(axis=0, skipna=True).sort_values()
    short = "; ".join(f"{item} gemiddeld {format_score(v)}" for item, v in lowest.items() if not math.isnan(v))
    slides = [
        Slide(
            key="scores",
            section=SECTION_OVERVIEW,
            title=title,
            figure=figure,
            notes="\n".join(notes),
            alt_text=f"{title}, tabel in kleuren per fase, {len(scores)} rijen. Van laag naar hoog: {short}.",
        )
    ]
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


def _progress(
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


def _profile(
    mp: MunicipalityProfile, round_id: int, unit_id: int, name: str, model: MaturityModel, caption: Caption
) -> Slide:
    title = f"Profiel van {name}"
    items = profile_items(mp, round_id, unit_id, model)
    table = profile_table(items)
    tps = talking_points_table(mp, round_id, unit_id, model)
    bullets = list(tps["Gesprekspunt"]) or [
        "Geen gesprekspunten: geen samenhangend thema en basisfunctie liggen een fase of meer uit elkaar."
    ]
    notes = [" · ".join(str(v) for v in row if str(v)) for row in table.itertuples(index=False)]
    for _, tp in tps.iterrows():
        notes.append(f"Gesprekspunt: {tp['Gesprekspunt']} Waarom: {tp['Waarom hangen ze samen?']} Bron: {tp['Bron']}")
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


def _method(mp: MunicipalityProfile, model: MaturityModel) -> list[Slide]:
    settings = mp.profile.settings
    weights = (
        f"‘{aggregate_name(settings)}’: wijken met meer inwoners tellen zwaarder mee."
        if settings.population_weighted
        else f"‘{aggregate_name(settings)}’: elke wijk telt even zwaar mee."
    )
    how = [
        *explanation(settings, model),
        weights,
        f"Versie van het model: {model.version}.",
    ]
    sources = [s.citation() for s in model.info.sources]
    return [
        Slide(key="methode", section=SECTION_METHOD, title="Hoe is dit berekend?", bullets=how, notes="\n".join(how)),
        Slide(
            key="bronnen",
            section=SECTION_METHOD,
            title="Bronnen",
            bullets=[
                f"{model.info.title}: de zes thema's, vier fasen, vijf basisfuncties, de vragen en de "
                "randvoorwaarden komen uit deze publicaties.",
                *sources,
            ],
            notes="\n".join(sources),
        ),
    ]
