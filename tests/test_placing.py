"""The table of all wijken × themes (wijkmodel/analysis/placing.py): cells, positions, changes."""

from __future__ import annotations

import math

import pytest

from wijkmodel.analysis.placing import (
    UNIT_COLUMN,
    changed_cells,
    choice_of,
    phase_key,
    placed_count,
    placing_table,
    position_of,
    theme_column,
    theme_help,
    theme_key,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of


@pytest.mark.parametrize(
    ("position", "choice"),
    [
        (None, None),
        (0, "Fase 1"),
        (24.99, "Fase 1"),
        (25, "Fase 2"),
        (42, "Fase 2"),
        (74.96, "Fase 3"),
        (100, "Fase 4"),
    ],
)
def test_a_stored_position_shows_as_its_phase(model: MaturityModel, position: float | None, choice: str | None) -> None:
    assert choice_of(model, position) == choice


@pytest.mark.parametrize(
    ("choice", "position"),
    [("Fase 1", 12.5), ("Fase 2", 37.5), ("Fase 3", 62.5), ("Fase 4", 87.5), (None, None), ("", None)],
)
def test_a_chosen_phase_is_stored_as_its_middle(
    model: MaturityModel, choice: str | None, position: float | None
) -> None:
    stored = position_of(model, choice)
    assert stored == position
    if stored is not None and choice is not None:
        assert choice_of(model, stored) == choice and int(phase_of(stored)) == int(choice[-1])


@pytest.mark.parametrize("choice", ["Fase 5", "fase 2", "3", 2, "Fase 2 – Samen op weg"])
def test_anything_but_a_phase_is_refused(model: MaturityModel, choice: object) -> None:
    with pytest.raises(ValueError, match="geen fase"):
        position_of(model, choice)


def test_the_key_names_every_theme_by_its_column(model: MaturityModel) -> None:
    key = theme_key(model)
    for theme in model.themes_ordered():
        assert f"{theme_column(theme.order)} – {theme.name}" in key
    assert key.startswith("Thema 1 – Visie en inspiratie · Thema 2 – ")


def test_the_key_and_the_help_name_every_phase(model: MaturityModel) -> None:
    key = phase_key(model)
    assert key.startswith("Fase 1 – Start van wijkgericht werken · Fase 2 – Samen op weg")
    help_text = theme_help(model, "visie_inspiratie")
    theme = model.theme("visie_inspiratie")
    for d in theme.descriptors:
        assert f"Fase {d.phase} – {model.phase(d.phase).name}: {d.text}" in help_text


UNITS = [(11, "De Hoven"), (12, "Molenwijk"), (1, "Gemeente als geheel")]


def test_the_table_has_a_row_per_unit_and_a_column_per_theme(model: MaturityModel) -> None:
    table = placing_table(model, UNITS, {11: {"visie_inspiratie": 42.0}, 1: {"lokale_teams": 100.0}})
    themes = [t.id for t in model.themes_ordered()]
    assert list(table.frame.columns) == [UNIT_COLUMN, *themes]
    assert list(table.frame[UNIT_COLUMN]) == ["De Hoven", "Molenwijk", "Gemeente als geheel"]
    assert table.frame.loc[0, "visie_inspiratie"] == "Fase 2"
    assert table.frame.loc[2, "lokale_teams"] == "Fase 4"
    assert table.frame.loc[1, "visie_inspiratie"] is None
    assert table.unit_ids == [11, 12, 1] and table.shown[(11, "visie_inspiratie")] == 42.0
    assert placed_count(table) == (0, 3)
    full = dict.fromkeys(themes, 50.0)
    assert placed_count(placing_table(model, UNITS, {11: full, 12: full})) == (2, 3)


@pytest.mark.parametrize(
    ("edited", "expected"),
    [
        ({}, []),
        ({0: {"visie_inspiratie": "Fase 3"}}, [(11, "visie_inspiratie", 62.5, 42.0)]),
        ({0: {"visie_inspiratie": "Fase 2"}}, []),  # the phase it shows: 42 stays 42
        ({"1": {"visie_inspiratie": "Fase 1"}}, [(12, "visie_inspiratie", 12.5, None)]),
        ({0: {"visie_inspiratie": None}}, [(11, "visie_inspiratie", None, 42.0)]),  # emptied: not placed
        ({1: {"lokale_teams": None}}, []),  # empty stays empty
        (
            {0: {"visie_inspiratie": "Fase 2", "lokale_teams": "Fase 4"}, 2: {"visie_inspiratie": "Fase 4"}},
            [(11, "lokale_teams", 87.5, None), (1, "visie_inspiratie", 87.5, None)],
        ),
    ],
)
def test_only_the_cells_whose_phase_changed_are_saved(
    model: MaturityModel, edited: dict, expected: list[tuple[int, str, float | None, float | None]]
) -> None:
    table = placing_table(model, UNITS, {11: {"visie_inspiratie": 42.0}})
    changes = changed_cells(model, table, edited)
    assert [(c.unit_id, c.theme_id, c.position, c.seen) for c in changes] == expected
    assert all(c.position is None or not math.isnan(c.position) for c in changes)
