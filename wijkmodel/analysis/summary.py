"""The profile of one municipality and round, as records for the CLI and the pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import (
    Profile,
    ScoringSettings,
    compute_profile,
    item_means,
    municipality_aggregate,
    overall_of,
    phase_of,
)
from wijkmodel.scoring.text import format_score, phase_name, talking_point_reason
from wijkmodel.storage.frames import Frames, load_frames, unit_positions
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import find_municipality, list_municipalities
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import Municipality, Round, UnitKind
from wijkmodel.text.glossary import COMBINED

AGGREGATE_UNIT = -1
AGGREGATE_NAME = "Gemeente (gemiddelde van de wijken)"
AGGREGATE_NAME_WEIGHTED = "Gemeente (gemiddelde van de wijken, gewogen naar inwoners)"


def aggregate_name(settings: ScoringSettings) -> str:
    """Label of the municipality aggregate; says so when it is weighted by population."""
    return AGGREGATE_NAME_WEIGHTED if settings.population_weighted else AGGREGATE_NAME


@dataclass(frozen=True)
class MunicipalityProfile:
    """Frames, profile and aggregate of one municipality (all rounds)."""

    name: str
    frames: Frames
    profile: Profile
    aggregate: pd.DataFrame


def municipality_profile(
    *, session: Session, municipality_id: int, name: str, model: MaturityModel, settings: ScoringSettings
) -> MunicipalityProfile:
    """Score every unit and round of a municipality, and the aggregate of its wijken."""
    frames = load_frames(session=session, municipality_id=municipality_id, model=model)
    # unique constraints on (respondent, theme) and (respondent, question) make the duplicate check moot
    profile = compute_profile(
        frames.respondents, frames.positions, frames.answers, model, settings, check_duplicates=False
    )
    wijk_ids = frames.units.loc[frames.units["kind"] == UnitKind.WIJK, "unit"]
    wijk_rows = profile.units[profile.units["unit"].isin(wijk_ids)]
    population = frames.units.set_index("unit")["population"]
    aggregate = municipality_aggregate(wijk_rows, population, model, settings)
    return MunicipalityProfile(name=name, frames=frames, profile=profile, aggregate=aggregate)


def resolve_municipality(*, session: Session, name: str | None) -> Municipality:
    """The named municipality, or the only one when no name is given."""
    if name:
        found = find_municipality(session=session, name=name)
        if found is None:
            known = ", ".join(m.name for m in list_municipalities(session=session)) or "geen"
            raise InputError([f"Gemeente '{name}' bestaat niet. Bekende gemeenten: {known}."])
        return found
    all_ = list_municipalities(session=session)
    if not all_:
        raise InputError(["Er is nog geen gemeente. Laad de demo met: python -m wijkmodel demo"])
    if len(all_) > 1:
        names = ", ".join(m.name for m in all_)
        raise InputError([f"Er zijn meerdere gemeenten; kies er een met --gemeente. Bekende gemeenten: {names}."])
    return all_[0]


def resolve(*, session: Session, municipality: str | None, round_label: str | None) -> tuple[Municipality, Round]:
    """Find the municipality (the only one when not named) and round (the latest when not named)."""
    found = resolve_municipality(session=session, name=municipality)
    round_rows = rounds(session=session, municipality_id=found.id)
    if not round_rows:
        raise InputError([f"Gemeente '{found.name}' heeft nog geen ronde."])
    if not round_label:
        return found, round_rows[-1]
    chosen = next((r for r in round_rows if r.label == round_label), None)
    if chosen is None:
        labels = ", ".join(r.label for r in round_rows)
        raise InputError([f"Ronde '{round_label}' bestaat niet bij {found.name}. Bekende rondes: {labels}."])
    return found, chosen


@dataclass(frozen=True)
class Summary:
    """What `python -m wijkmodel summary` reports: one record per unit of a municipality in a round."""

    municipality: str
    round_label: str
    records: list[dict[str, Any]]


def summarize(
    *,
    session: Session,
    municipality: str | None,
    round_label: str | None,
    model: MaturityModel,
    settings: ScoringSettings,
) -> Summary:
    """The summary of the named municipality (the only one when not named) in a round (the latest when not named)."""
    found, round_ = resolve(session=session, municipality=municipality, round_label=round_label)
    mp = municipality_profile(
        session=session, municipality_id=found.id, name=found.name, model=model, settings=settings
    )
    return Summary(found.name, round_.label, summary_records(mp, round_.id, model))


def _num(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 2)


def _phase(value: Any) -> int | None:
    number = _num(value)
    return None if number is None else int(number)


def summary_records(mp: MunicipalityProfile, round_id: int, model: MaturityModel) -> list[dict[str, Any]]:
    """One record per unit (municipality as a whole first, wijken by name, then the aggregate)."""
    profile = mp.profile
    settings = profile.settings
    units = mp.frames.units.set_index("unit")
    items = profile.items[profile.items["round"] == round_id].set_index(["unit", "item"])
    rows = profile.units[profile.units["round"] == round_id]
    tps = profile.talking_points[profile.talking_points["round"] == round_id]
    ordered = units.assign(first=units["kind"] != UnitKind.MUNICIPALITY, key=units["name"].str.casefold())
    ordered = ordered.sort_values(["first", "key"])
    aggregate = mp.aggregate[mp.aggregate["round"] == round_id]

    records = []
    for unit_id, unit in ordered.iterrows():
        row = rows[rows["unit"] == unit_id]
        record = {"unit": unit["name"], "kind": unit["kind"], "assessed": not row.empty}
        if not row.empty:
            record |= _unit_record(row.iloc[0], items.loc[unit_id] if unit_id in items.index else None, model, settings)
            unit_tps = tps[tps["unit"] == unit_id]
            record["talking_points"] = [_talking_point(tp, model) for _, tp in unit_tps.iterrows()]
        records.append(record)
    if not aggregate.empty:
        agg = aggregate.iloc[0]
        record = {"unit": aggregate_name(settings), "kind": "aggregaat", "assessed": True}
        record |= _unit_record(agg, None, model, settings)
        record["wijken"] = int(agg["wijken"])
        record["population_weighted"] = settings.population_weighted
        record["weighted_units"] = int(agg["weighted_units"])
        records.append(record)
    return records


def _unit_record(row: pd.Series, items: pd.DataFrame | None, model: MaturityModel, settings: ScoringSettings) -> dict:
    def item(item_id: str, name: str) -> dict[str, Any]:
        score = _num(row[item_id])
        out: dict[str, Any] = {
            "id": item_id,
            "name": name,
            "score": score,
            "phase": _phase(phase_of(float(row[item_id]))),  # from the raw score, like every other phase
        }
        if items is not None and item_id in items.index:
            detail = items.loc[item_id]
            out["low"] = _num(detail["low"])
            out["high"] = _num(detail["high"])
            out["respondents"] = int(detail["n_respondents"])
            if detail["kind"] == "basisfunctie":
                out["coverage"] = _num(detail["coverage"])
                out["uncertain"] = bool(detail["uncertain"])
        return out

    return {
        "themes": [item(t.id, t.name) for t in model.themes_ordered()],
        "basic_functions": [item(b.id, b.name) for b in model.basic_functions_ordered()],
        "overall": {
            "rule": settings.rule.value,
            "score": _num(row["overall"]),
            "phase": _phase(row["overall_phase"]),
            "themes_set": int(row["themes_set"]),
        },
        "combined": {
            "theme_weight": settings.theme_weight,
            "score": _num(row["combined"]),
            "phase": _phase(row["combined_phase"]),
        },
    }


def _talking_point(tp: pd.Series, model: MaturityModel) -> dict[str, Any]:
    link = next(k for k in model.links if k.theme == tp["theme"] and k.basic_function == tp["basic_function"])
    return {
        "theme": tp["theme"],
        "basic_function": tp["basic_function"],
        "gap": _num(tp["gap"]),
        "reason": talking_point_reason(tp, model),
        "rationale": link.rationale,
        "source": f"{model.source(link.source.source).title}, {link.source.location}: “{link.source.passage}”",
    }


def format_summary(records: list[dict[str, Any]], *, municipality: str, round_label: str, model: MaturityModel) -> str:
    """Plain Dutch text of the summary records (for the terminal)."""
    lines = [f"Profiel van {municipality}, ronde {round_label}", ""]
    for rec in records:
        lines.append(f"== {rec['unit']} ==")
        if rec["kind"] == "aggregaat" and rec.get("population_weighted"):
            lines.append(
                f"  Gewogen naar inwoners: {rec['weighted_units']} van {rec['wijken']} wijken hebben een inwonertal."
            )
        if not rec["assessed"]:
            lines += ["  Nog niet beoordeeld in deze ronde.", ""]
            continue
        overall = rec["overall"]
        lines.append(
            f"  Totaalfase ({overall['rule']}, {overall['themes_set']} van 6 thema's geplaatst): "
            f"{format_score(overall['score'])} → {phase_name(model, overall['phase'])}"
        )
        combined = rec["combined"]
        weight = format_score(combined["theme_weight"] * 100)
        score = format_score(combined["score"])
        lines.append(f"  {COMBINED} ({weight}% thema's): {score} → {phase_name(model, combined['phase'])}")
        lines.append("  Thema's:")
        for t in rec["themes"]:
            spread = ""
            if t.get("respondents", 0) > 1:
                spread = (
                    f"  (laagste en hoogste {format_score(t['low'])}–{format_score(t['high'])}, "
                    f"{t['respondents']} invullers)"
                )
            lines.append(f"    {t['name']:<28} {format_score(t['score']):>5}  {phase_name(model, t['phase'])}{spread}")
        lines.append("  Basisfuncties:")
        for b in rec["basic_functions"]:
            cover = ""
            if b.get("coverage") is not None:
                cover = f"  deel beantwoord {format_score(b['coverage'] * 100)}%"
                if b.get("uncertain"):
                    cover += " (onzeker: minder dan de helft beantwoord)"
            lines.append(f"    {b['name']:<32} {format_score(b['score']):>5}  {phase_name(model, b['phase'])}{cover}")
        tps = rec.get("talking_points", [])
        if tps:
            lines.append("  Gesprekspunten:")
            for tp in tps:
                lines.append(f"    - {tp['reason']}")
                lines.append(f"      Bron: {tp['source']}")
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class ThemeTotal:
    """The overall score of six theme scores: one respondent's positions, or a wijk's means (live on
    Startpositie at every slider move, so without building a whole profile)."""

    scores: tuple[float, ...]  # per theme in the model's order; NaN: not placed
    overall: float  # NaN: no theme placed
    overall_phase: float
    themes_set: int


def _total(row: np.ndarray, settings: ScoringSettings) -> ThemeTotal:
    overall = float(overall_of(row[np.newaxis, :], settings.rule)[0])
    return ThemeTotal(tuple(row.tolist()), overall, float(phase_of(overall)), int((~np.isnan(row)).sum()))


def theme_total(positions: Mapping[str, float | None], model: MaturityModel, settings: ScoringSettings) -> ThemeTotal:
    """What `views.respondent_profile` gives for six positions alone, by the same rule."""
    return _total(
        np.array([np.nan if (v := positions.get(t.id)) is None else float(v) for t in model.themes_ordered()]),
        settings,
    )


def theme_total_rows(total: ThemeTotal, model: MaturityModel) -> pd.DataFrame:
    """The Startpositie chart's rows: theme name and score (NaN: not placed), in the model's order."""
    return pd.DataFrame({"name": [t.name for t in model.themes_ordered()], "score": list(total.scores)})


def theme_total_table(total: ThemeTotal, model: MaturityModel) -> pd.DataFrame:
    """The table beside the Startpositie chart: per theme its position and phase, by name."""
    rows = theme_total_rows(total, model)
    return pd.DataFrame(
        {
            "Positie": [format_score(v) for v in rows["score"]],
            "Fase": [phase_name(model, float(phase_of(v))) if v == v else "nog niet geplaatst" for v in rows["score"]],
        },
        index=pd.Index(rows["name"], name="Thema"),
    )


def unit_theme_total_now(
    *, session: Session, round_id: int, unit_id: int, model: MaturityModel, settings: ScoringSettings
) -> ThemeTotal:
    """The overall of one unit in one round as every profile has it (`compute_profile`), from the
    positions alone: the mean of its respondents per theme, then the rule."""
    rows = unit_positions(session=session, round_id=round_id, unit_id=unit_id)
    themes = {t.id: i for i, t in enumerate(model.themes_ordered())}
    respondents = {r: i for i, r in enumerate(dict.fromkeys(r for r, _, _ in rows))}
    matrix = np.full((len(respondents), len(themes)), np.nan)
    for respondent, theme, position in rows:
        if theme in themes and position is not None:
            matrix[respondents[respondent], themes[theme]] = position
    return _total(item_means(matrix) if len(matrix) else np.full(len(themes), np.nan), settings)
