"""What a steering group sees: the slides of one municipality and round.

One list of slides feeds presentation mode, the deck, the PDF report and the images, so they
always say the same. Every number comes from the one profile (wijkmodel.analysis.summary). The
user chooses the parts (wijkmodel.exports.parts) and the wijken; a chosen part with nothing to show
yet gets one line on the slide 'Wat ontbreekt nog?' instead of an empty slide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from functools import partial
from typing import Any

import pandas as pd

from wijkmodel.analysis.summary import MunicipalityProfile, aggregate_name
from wijkmodel.analysis.views import comparison_scores, explanation
from wijkmodel.charts.base import Caption
from wijkmodel.exports.briefing_analysis import map_slides, matrix_missing, matrix_slides
from wijkmodel.exports.briefing_conditions import conditions_slides
from wijkmodel.exports.briefing_cycle import choices_slides, gap_slides, perspective_slides, plan_slides
from wijkmodel.exports.briefing_practice import practice_slide, practice_units
from wijkmodel.exports.briefing_scores import (
    answered,
    heatmap_slide,
    overview_slide,
    profile_slide,
    progress_slide,
    score_table_slides,
)
from wijkmodel.exports.parts import PARTS, chosen_parts
from wijkmodel.exports.slides import Briefing, Slide
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.frames import unit_names, unit_order
from wijkmodel.storage.inputs import InputError

SECTION_STATE = "Stand van zaken"
SECTION_METHOD = "Methode en bronnen"
MISSING_TITLE = "Wat ontbreekt nog?"

Part = Slide | Callable[[], Slide]

MISSING: dict[str, str] = {
    "kaart": "er zijn nog geen grenzen van de wijken",
    "waar-beginnen": "nog geen kerncijfers van de wijken",  # or no overall score: matrix_missing
    "voortgang": "te zien vanaf de tweede ronde",
    "streefwaarden": "nog niet gezet",
    "kernkeuzes": "nog te maken",
    "actieplan": "nog geen acties",
    "perspectieven": "te zien als twee of meer rollen een wijk beoordelen",
    "randvoorwaarden": "nog niet ingevuld",
    "praktijk": "nog geen ZET-uitkomsten in deze ronde",
    "regio": "deze gemeente zit in geen regio, of geen andere gemeente van haar regio deelt haar scores",
    "profielen": "nog geen wijk beoordeeld",
}
"""Per part: what its line on 'Wat ontbreekt nog?' says when it has nothing to show yet."""


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
    parts: Collection[str] | None = None,
    region: Sequence[Slide] = (),
) -> Briefing:
    """The slides of the chosen `parts` (wijkmodel.exports.parts; None: DEFAULT_PARTS) for the
    chosen `wijken` (None: all), in the order of PARTS. `region`: the slides of the part 'regio',
    made beforehand as the person may see them (`exports.region.briefing_region_slides`). A chosen
    part with nothing to show yet is one line on the slide 'Wat ontbreekt nog?', before the method.
    Unknown parts or wijken: InputError."""
    keys = chosen_parts(parts)
    rounds = mp.frames.rounds.set_index("round")
    if round_id not in rounds.index:
        raise InputError([f"Ronde {round_id} hoort niet bij {mp.name}."])
    label = str(rounds.loc[round_id, "label"])
    caption = Caption(mp.name, label, mp.profile.settings.rule.label, today)
    unit_ids = chosen_units(mp, wijken)
    names = pd.Series(unit_names(mp.frames.units))
    rows = mp.profile.units[mp.profile.units["round"] == round_id].set_index("unit")
    scores = (
        comparison_scores(mp, round_id, model, unit_ids, include_aggregate=not wijken)
        if {"scores", "scoretabellen"} & set(keys)
        else None
    )

    def slides_of(key: str) -> list[Part]:
        if key == "totaalfase":
            return [overview_slide(rows, unit_ids, names, model, caption)]
        if key == "scores":
            assert scores is not None
            return [heatmap_slide(scores, model, caption)]
        if key == "scoretabellen":
            assert scores is not None
            return list(score_table_slides(scores, model))
        if key == "kaart":
            return list(map_slides(mp, round_id, unit_ids, model, caption, geometries))
        if key == "waar-beginnen":
            return list(matrix_slides(mp, round_id, unit_ids, model, caption))
        if key == "voortgang":
            before = previous_round(mp, round_id)
            return (
                []
                if before is None
                else [progress_slide(mp, before, (round_id, label), unit_ids, names, model, caption)]
            )
        if key == "streefwaarden":
            return list(gap_slides(mp, round_id, unit_ids, names, model, caption))
        if key == "kernkeuzes":
            return list(choices_slides(mp, round_id, label, model))
        if key == "actieplan":
            return list(plan_slides(mp, unit_ids, names, model))
        if key == "perspectieven":
            return list(perspective_slides(mp, round_id, unit_ids, names, model))
        if key == "randvoorwaarden":
            return list(conditions_slides(mp, round_id, model, caption))
        if key == "praktijk":
            return [
                partial(practice_slide, mp, round_id, unit_id, names[unit_id], model)
                for unit_id in practice_units(mp, round_id, unit_ids)
            ]
        if key == "profielen":
            return [
                partial(profile_slide, mp, round_id, unit_id, names[unit_id], model, caption)
                for unit_id in unit_ids
                if unit_id in rows.index and rows.loc[unit_id, "themes_set"] + answered(rows.loc[unit_id], model) > 0
            ]
        if key == "regio":
            return list(region)
        if key == "methode":
            return [_method_short(mp, model, with_appendix="uitleg" in keys)]
        assert key == "uitleg", key
        return list(_method(mp, model))

    found = {key: slides_of(key) for key in keys}
    reasons = {**MISSING, "waar-beginnen": matrix_missing(mp)}
    missing = [f"{PARTS[key]}: {reasons[key]}." for key in keys if not found[key] and key in MISSING]
    if {"totaalfase", "scores", "scoretabellen"} & set(keys):  # the wijken these slides show as '–'
        missing = _not_filled_in(rows, unit_ids, names, model) + missing
    made: list[Part] = []
    for key in keys:
        if missing and key in ("methode", "profielen", "uitleg"):
            made.append(_missing_slide(missing))
            missing = []
        made += found[key]
    if missing:
        made.append(_missing_slide(missing))
    return Briefing(
        municipality=mp.name,
        round_label=label,
        round_date=pd.Timestamp(rounds.loc[round_id, "date"]).date(),
        date=today,
        model_version=model.version,
        parts=made,
    )


NAMED_UP_TO = 8
"""Wijken named in a line of 'Wat ontbreekt nog?'; beyond that the line counts them."""


def _not_filled_in(rows: pd.DataFrame, unit_ids: list[int], names: pd.Series, model: MaturityModel) -> list[str]:
    """The lines for what is not filled in yet: wijken without a theme placed, without a Quickscan."""

    def which(units: list[int]) -> str:
        if len(units) == len(unit_ids):
            return "nog voor geen enkele wijk"
        if len(units) > NAMED_UP_TO:
            return f"nog niet voor {len(units)} van de {len(unit_ids)} wijken"
        return "nog niet voor " + ", ".join(str(names[u]) for u in units)

    def themes(u: int) -> int:
        return int(rows.loc[u, "themes_set"]) if u in rows.index else 0

    def functions(u: int) -> int:
        return answered(rows.loc[u], model) if u in rows.index else 0

    no_themes = [u for u in unit_ids if themes(u) == 0]
    no_quickscan = [u for u in unit_ids if functions(u) == 0]
    lines = []
    if no_themes:
        lines.append(f"Startpositie (de zes thema's): {which(no_themes)} ingevuld.")
    if no_quickscan:
        lines.append(f"Quickscan (de vijf basisfuncties): {which(no_quickscan)} ingevuld.")
    return lines


def _missing_slide(lines: list[str]) -> Slide:
    """One line per chosen part that has nothing to show yet, instead of empty slides."""
    return Slide(
        key="ontbreekt",
        section=SECTION_STATE,
        title=MISSING_TITLE,
        bullets=lines,
        notes="Deze onderdelen zijn gekozen, maar er is nog niets om te laten zien:\n" + "\n".join(lines),
    )


def _method_short(mp: MunicipalityProfile, model: MaturityModel, *, with_appendix: bool) -> Slide:
    """How the numbers came about, on one slide; the whole explanation is the appendix 'uitleg'."""
    settings = mp.profile.settings
    sources = [s.citation() for s in model.info.sources]
    points = [
        "Alles staat op één schaal van 0 tot 100, in vier fasen van 25 punten: fase 1 is 0 tot 25, fase 4 is "
        "75 tot en met 100.",
        "De zes thema's komen uit de schuifjes (Startpositie), de vijf basisfuncties uit de antwoorden op de "
        "Quickscan. Wat nog niet is ingevuld, telt niet mee (het telt niet als 0).",
        f"De totaalfase komt uit de zes thema's: {settings.rule.label}.",
        _weights(mp),
        "Een gesprekspunt: een thema en een basisfunctie die met elkaar samenhangen, liggen een fase of meer "
        "uit elkaar.",
        f"{model.info.title}, versie {model.version}"
        + (
            f": gemaakt op basis van {len(sources)} publicaties, zoals ‘{model.info.sources[0].title}’."
            if sources
            else "."
        )
        + (" De hele uitleg en alle bronnen staan achterin." if with_appendix else ""),
    ]
    return Slide(
        key="methode",
        section=SECTION_METHOD,
        title="Hoe is dit berekend?",
        bullets=points,
        notes="\n".join([*points, "Bronnen:", *sources]),
    )


def _weights(mp: MunicipalityProfile) -> str:
    settings = mp.profile.settings
    if settings.population_weighted:
        return f"‘{aggregate_name(settings)}’: wijken met meer inwoners tellen zwaarder mee."
    return f"‘{aggregate_name(settings)}’: elke wijk telt even zwaar mee."


def _method(mp: MunicipalityProfile, model: MaturityModel) -> list[Slide]:
    how = [
        *explanation(mp.profile.settings, model),
        _weights(mp),
        f"Versie van het model: {model.version}.",
    ]
    sources = [s.citation() for s in model.info.sources]
    return [
        Slide(
            key="uitleg",
            section=SECTION_METHOD,
            title="Hoe is dit berekend? De hele uitleg",
            bullets=how,
            notes="\n".join(how),
        ),
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
