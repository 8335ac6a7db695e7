"""'Beginstad': a fictional municipality at its very start, for the layout test and the gallery.

What a new municipality has after its first working session (issue 16): eight wijken, some with
long names, one round, one role (the municipality's own view) with a single respondent per wijk,
the six sliders for most wijken and nothing else: no Quickscan, no targets, no actions, no core
choices, no score for the municipality as a whole. Every chart and document must say what is
missing instead of showing something untrue or empty. Deterministic.

    WIJKMODEL_DATABASE_URL=sqlite:///x.sqlite python -m wijkmodel.demo.sparse
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Municipality, Role, UnitKind
from wijkmodel.storage.wijken import add_wijk, units

SPARSE_NAME = "Beginstad"
SPARSE_ROUND = ("2026", dt.date(2026, 10, 1))
SPARSE_WIJKEN: list[tuple[str, list[int | None]]] = [
    # name, the municipality's slider positions for the six themes in model order (None: not yet placed)
    ("Centrum", [35, 40, 30, 55, 20, 45]),
    ("Oud-Zuid en de Bloemenbuurt rond het Stationsplein", [20, 25, 15, 30, 10, 25]),
    ("Noord", [60, 65, 55, 70, 50, 60]),
    ("Bedrijventerrein De Kooi en buitengebied Beginbroek", [45, None, 40, None, 35, 50]),
    ("Westwijk", [80, 75, 85, 70, 90, 65]),
    ("Haven", [None, None, None, None, None, None]),
    ("Kerkdorp", [50, 45, 55, 40, 60, 35]),
    ("Zuidrand", [25, 30, 20, 35, 30, 40]),
]


def add_sparse(*, session: Session, model: MaturityModel) -> Municipality:
    """Add Beginstad in the session's transaction."""
    municipality = create_municipality(session=session, name=SPARSE_NAME)
    for name, _ in SPARSE_WIJKEN:
        add_wijk(session=session, municipality_id=municipality.id, name=name)
    by_name = {u.name: u for u in units(session=session, municipality_id=municipality.id) if u.kind == UnitKind.WIJK}
    label, date = SPARSE_ROUND
    round_ = create_round(session=session, municipality_id=municipality.id, label=label, date=date)
    themes = model.themes_ordered()
    for name, positions in SPARSE_WIJKEN:
        if all(p is None for p in positions):
            continue
        respondent = get_or_create_respondent(
            session=session, round_id=round_.id, unit_id=by_name[name].id, role=Role.MUNICIPALITY
        )
        for theme, position in zip(themes, positions, strict=True):
            if position is not None:
                save_position(
                    session=session, respondent_id=respondent.id, theme_id=theme.id, position=position, model=model
                )
    session.flush()
    return municipality


def main() -> None:
    from wijkmodel.model.loader import load_model
    from wijkmodel.storage.db import make_sessionmaker, migrate, new_engine

    engine = new_engine()
    migrate(engine)
    with make_sessionmaker(engine).begin() as session:
        add_sparse(session=session, model=load_model())
    print(f"Gemeente {SPARSE_NAME} toegevoegd.")


if __name__ == "__main__":
    main()
