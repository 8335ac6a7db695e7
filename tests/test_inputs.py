"""InputError keeps every message readable: a long quote of the user's own text is cut."""

from __future__ import annotations

import pytest

from wijkmodel.storage.inputs import MAX_QUOTED, InputError, field_problem, split_field_problem


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
        # the curly quotes of the duplicate-name messages are cut the same way
        (
            f"er is al een wijk ‘{'g' * 150}’ in deze gemeente.",
            f"er is al een wijk ‘{'g' * MAX_QUOTED}…’ (150 tekens) in deze gemeente.",
        ),
        ("er is al een ronde ‘2026’.", "er is al een ronde ‘2026’."),
    ],
)
def test_a_long_quote_is_cut(problem: str, expected: str) -> None:
    error = InputError([problem])
    assert error.problems == [expected]
    assert str(error) == expected


@pytest.mark.parametrize(
    ("what", "field", "text", "problem"),
    [
        ("Wijk", "name", "mag niet leeg zijn", "Wijk, veld naam: mag niet leeg zijn"),
        ("Ronde", "label", "er is al een ronde ‘2026’.", "Ronde, veld label: er is al een ronde ‘2026’."),
        ("Gemeente", "cbs_code", "GM0363 is al in gebruik.", "Gemeente, veld CBS-code: GM0363 is al in gebruik."),
        ("Actie", "description", "is te lang: 1: 2", "Actie, veld beschrijving: is te lang: 1: 2"),
        ("Wijk", "nieuw", "is onbekend", "Wijk, veld nieuw: is onbekend"),  # a field without a Dutch label
    ],
)
def test_a_field_problem_names_what_and_which_field_and_reads_back(
    what: str, field: str, text: str, problem: str
) -> None:
    assert field_problem(what, field, text) == problem
    assert split_field_problem(problem) == (what, field, text)


@pytest.mark.parametrize(
    "problem",
    ["Actie: de einddatum ligt voor de startdatum", "Deze wijk bestaat niet (meer).", "rij 3: Gemeente, veld naam: x"],
)
def test_other_problems_name_no_field(problem: str) -> None:
    assert split_field_problem(problem) is None
