"""InputError keeps every message readable: a long quote of the user's own text is cut."""

from __future__ import annotations

import pytest

from wijkmodel.storage.inputs import MAX_QUOTED, InputError


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("Gemeente 'Noord' bestaat al.", "Gemeente 'Noord' bestaat al."),
        (f"Gemeente '{'a' * MAX_QUOTED}' bestaat al.", f"Gemeente '{'a' * MAX_QUOTED}' bestaat al."),
        (f"Gemeente '{'a' * 100_000}' bestaat al.", f"Gemeente '{'a' * MAX_QUOTED}…' (100.000 tekens) bestaat al."),
        (
            f"rij 3: de naam '{'b' * 150}' staat er meer dan eens in (kolom 'naam').",
            f"rij 3: de naam '{'b' * MAX_QUOTED}…' (150 tekens) staat er meer dan eens in (kolom 'naam').",
        ),
        ("geen aanhalingstekens " + "c" * 300, "geen aanhalingstekens " + "c" * 300),  # only quotes are cut
        # the words between two short quotes are the message's own, even when long
        (f"kolom 'a.' {'d' * 150} kolom 'b'.", f"kolom 'a.' {'d' * 150} kolom 'b'."),
        (f"'{'e' * 120}' is te lang.", f"'{'e' * MAX_QUOTED}…' (120 tekens) is te lang."),
        (f"x'{'f' * 120}' y", f"x'{'f' * 120}' y"),  # a quote inside a word is not a quote
    ],
)
def test_a_long_quote_is_cut(problem: str, expected: str) -> None:
    error = InputError([problem])
    assert error.problems == [expected]
    assert str(error) == expected
