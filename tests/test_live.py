"""Live results of a session (wijkmodel/analysis/live.py, issue 19): turnout per wijk and role, and
per theme the mean and spread of what was placed."""

from __future__ import annotations

import pytest

from wijkmodel.analysis.live import people_count, people_text, theme_means, theme_spread, turnout
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.invitations import LiveRow

ROLES = ["gemeente", "lokaal team", "samenwerkingspartner", "inwoner/jeugd"]


@pytest.mark.parametrize(
    ("answered", "expected", "people"),
    [
        ([], {"Totaal": {"Totaal": 0}}, 0),
        ([(1, "gemeente", "Noord")], {"Noord": {"gemeente": 1, "Totaal": 1}, "Totaal": {"Totaal": 1}}, 1),
        (  # one person in two wijken counts in each; two people in one wijk and role count twice
            [(1, "inwoner/jeugd", "Noord"), (1, "inwoner/jeugd", "Zuid"), (2, "inwoner/jeugd", "Zuid")],
            {
                "Noord": {"inwoner/jeugd": 1, "Totaal": 1},
                "Zuid": {"inwoner/jeugd": 2, "Totaal": 2},
                "Totaal": {"Totaal": 3},
            },
            2,
        ),
    ],
)
def test_turnout_per_wijk_and_role(answered: list, expected: dict, people: int) -> None:
    table = turnout(answered, ROLES).set_index("Wijk")
    assert list(table.columns) == [*ROLES, "Totaal"]
    for wijk, cells in expected.items():
        for column, value in cells.items():
            assert table.loc[wijk, column] == value, (wijk, column)
    assert people_count(answered) == people


def test_the_spread_per_theme(model: MaturityModel) -> None:
    first, second = model.themes_ordered()[:2]
    rows = [
        LiveRow(1, "gemeente", "Noord", first.id, 20),
        LiveRow(2, "lokaal team", "Noord", first.id, 60),
        LiveRow(3, "inwoner/jeugd", "Zuid", first.id, 70),
    ]
    table = theme_spread(rows, model)
    assert len(table) == 6
    row = table.iloc[0]
    assert row["Aantal"] == 3 and row["Gemiddelde"] == "50" and row["Laagste"] == "20" and row["Hoogste"] == "70"
    assert row["Spreiding (sd)"] == "21,6"  # population sd of 20, 60, 70
    assert row["Fase van het gemiddelde"].startswith("fase 3")
    empty = table.iloc[1]
    assert empty["Aantal"] == 0 and empty["Gemiddelde"] == "–"
    assert theme_means(rows) == {first.id: 50}
    assert second.id not in theme_means(rows)


@pytest.mark.parametrize(("count", "text"), [(0, "0 personen"), (1, "1 persoon"), (20, "20 personen")])
def test_people_in_words(count: int, text: str) -> None:
    assert people_text(count) == text
