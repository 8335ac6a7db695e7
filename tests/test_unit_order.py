"""The one order units are shown in, and the one id → name map (wijkmodel/storage/frames.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from wijkmodel.storage.frames import unit_names, unit_order

UNITS = pd.DataFrame(
    {
        "unit": [4, 2, 9, 7],
        "name": ["zuid", "Noord", "Gemeente als geheel", "Oost"],
        "kind": ["wijk", "wijk", "gemeente", "wijk"],
    }
)


@pytest.mark.parametrize(
    ("unit_ids", "expected"),
    [
        (None, [9, 2, 7, 4]),  # the municipality first, then by name, case-insensitive
        ([4, 2], [2, 4]),
        ([4, 9], [9, 4]),
        ([4, 99], [4]),  # an id that is not (or no longer) a unit is left out
        ([], []),
    ],
)
def test_units_are_shown_municipality_first_then_by_name(unit_ids: list[int] | None, expected: list[int]) -> None:
    assert unit_order(UNITS, unit_ids) == expected


def test_unit_names_map_ids_to_names() -> None:
    assert unit_names(UNITS) == {4: "zuid", 2: "Noord", 9: "Gemeente als geheel", 7: "Oost"}
