"""A made-up region to try the Regio page (`python -m wijkmodel demo-regio`): four fictional
municipalities beside the demo's Voorbeeldstad, with a few wijken, two rounds and scores, in the
region 'Regio Voorbeeld'. Never a real municipality's figures; deterministic.

The two that share their wijken answered the Randvoorwaarden too. Sharing differs on purpose, so the
page shows what each choice does: two share their wijken too, one shares its totals only, one shares
nothing (visible only without login or to its own people).
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.regions import create_region, set_members, set_sharing
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Region, RegionSharing, Role, Unit, UnitKind
from wijkmodel.storage.wijken import add_wijk, units

REGION_NAME = "Regio Voorbeeld"
MUNICIPALITIES: dict[str, tuple[list[str], float, RegionSharing | None]] = {
    # name: (wijken, how far along, what it shares)
    "Beekdorp": (["Centrum", "De Beemd", "Molenhoek"], 12.0, RegionSharing.WIJKEN),
    "Heuvelrade": (["Oud-Rade", "Heuvelzicht", "De Kamp", "Bosrand"], -6.0, RegionSharing.TOTALS),
    "Meerwijk": (["Noord", "Zuid", "Havenkwartier"], 4.0, RegionSharing.WIJKEN),
    "Zandvoorde-Oost": (["Dorp", "Duinrand"], -14.0, None),
}
ROUNDS = [("2025", dt.date(2025, 4, 1), 0.0), ("2026", dt.date(2026, 4, 1), 7.0)]


def _fill(
    session: Session,
    model: MaturityModel,
    unit_id: int,
    round_id: int,
    level: float,
    rng: random.Random,
    conditions: bool = False,
) -> None:
    respondent = get_or_create_respondent(session=session, round_id=round_id, unit_id=unit_id, role=Role.MUNICIPALITY)
    for theme in model.themes_ordered():
        value = max(0.0, min(100.0, 45 + level + rng.uniform(-20, 20)))
        save_position(
            session=session, respondent_id=respondent.id, theme_id=theme.id, model=model, position=round(value)
        )
    questions = list(model.quickscan.questions)
    if conditions:  # the Randvoorwaarden, answered for the municipality as a whole
        questions += list(model.randvoorwaarden.instrument.questions)
    for question in questions:
        options = [o.id for o in model.question_scale(question).ordered() if o.id not in ("weet_niet", "nvt")]
        pick = min(len(options) - 1, max(0, int((50 + level + rng.uniform(-30, 30)) / 100 * len(options))))
        save_answer(
            session=session, respondent_id=respondent.id, question_id=question.id, model=model, option_id=options[pick]
        )


def add_demo_region(*, session: Session, model: MaturityModel, with_municipality: str | None = None) -> Region:
    """The four municipalities and the region (with `with_municipality`, say the demo's Voorbeeldstad,
    as a member too when it exists). In the session's transaction; the caller checks that the
    region does not exist yet."""
    rng = random.Random(20261205)  # noqa: S311 - made-up scores, not security
    ids = []
    for name, (wijken, level, sharing) in MUNICIPALITIES.items():
        municipality = create_municipality(session=session, name=name)
        ids.append(municipality.id)
        for wijk in wijken:
            add_wijk(session=session, municipality_id=municipality.id, name=wijk)
        session.flush()
        all_units: list[Unit] = units(session=session, municipality_id=municipality.id)
        for label, day, growth in ROUNDS:
            round_ = create_round(session=session, municipality_id=municipality.id, label=label, date=day)
            session.flush()
            for unit in all_units:
                whole = unit.kind == UnitKind.MUNICIPALITY and sharing == RegionSharing.WIJKEN
                _fill(session, model, unit.id, round_.id, level + growth, rng, conditions=whole)
        set_sharing(session=session, municipality_id=municipality.id, level=sharing)
    if with_municipality:
        found = find_municipality(session=session, name=with_municipality)
        if found is not None:
            ids.append(found.id)
    region = create_region(session=session, name=REGION_NAME)
    set_members(session=session, region_id=region.id, municipality_ids=ids)
    return region
