"""The Quickscan as compact tables (wijkmodel/analysis/answer_tables.py) and the steady editor that
shows them (ui/editor.py): which questions, which answers, what a user's edit saves."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.editor import shows_stored
from wijkmodel.analysis.answer_tables import ANSWER, NOTE, AnswerChange, AnswerTable, answer_changes, answer_tables
from wijkmodel.model.schema import MaturityModel


def _tables(model: MaturityModel, stored: dict[str, tuple[str | None, str]] | None = None) -> list[AnswerTable]:
    return [t for _, tables in answer_tables(model, "quickscan", stored or {}) for t in tables]


def test_every_question_is_in_one_table_in_the_order_of_the_questionnaire(model: MaturityModel) -> None:
    groups = answer_tables(model, "quickscan", {})
    assert len(groups) == len(model.basic_functions)
    ids = [q for t in _tables(model) for q in t.question_ids]
    assert sorted(ids) == sorted(q.id for q in model.quickscan.questions)
    assert len(ids) == len(set(ids)) == 30


def test_a_table_offers_exactly_the_answers_of_its_questions_scale(model: MaturityModel) -> None:
    for table in _tables(model):
        for question_id in table.question_ids:
            scale = model.question_scale(model.question(question_id))
            assert table.answers == [o.label for o in scale.ordered()], question_id


def test_stored_answers_and_notes_show_as_their_labels(model: MaturityModel) -> None:
    question = model.quickscan.questions[0]
    option = model.question_scale(question).ordered()[1]
    table = next(t for t in _tables(model, {question.id: (option.id, "klopt")}) if question.id in t.question_ids)
    row = table.question_ids.index(question.id)
    assert table.frame[ANSWER].iloc[row] == option.label
    assert table.frame[NOTE].iloc[row] == "klopt"
    assert table.frame[ANSWER].drop(table.frame.index[row]).isna().all()


def _first_table(model: MaturityModel, stored: dict[str, tuple[str | None, str]]) -> AnswerTable:
    return _tables(model, stored)[0]


@pytest.mark.parametrize(
    ("stored", "edit", "expected"),
    [
        # (stored option index or None, note), the edit of row 0, the changes as (field, option index or note)
        ((None, ""), {ANSWER: 0}, [("option", 0, None)]),
        ((0, ""), {ANSWER: 2}, [("option", 2, 0)]),
        ((1, ""), {ANSWER: 1}, []),  # set to what it shows: no change
        ((1, ""), {ANSWER: None}, [("option", None, 1)]),  # emptied: the answer is taken away
        ((1, ""), {ANSWER: ""}, [("option", None, 1)]),
        ((None, ""), {NOTE: "zie plan"}, [("note", "zie plan", "")]),
        ((None, "oud"), {NOTE: None}, [("note", "", "oud")]),
        ((None, "oud"), {NOTE: "oud"}, []),
        ((None, ""), {ANSWER: 3, NOTE: "x"}, [("option", 3, None), ("note", "x", "")]),
    ],
)
def test_an_edit_becomes_the_changes_to_save(
    model: MaturityModel,
    stored: tuple[int | None, str],
    edit: dict[str, object],
    expected: list[tuple[str, object, object]],
) -> None:
    qid = _first_table(model, {}).question_ids[0]
    options = model.question_scale(model.question(qid)).ordered()

    def option(i: object) -> str | None:
        return options[i].id if isinstance(i, int) else None

    def cell(field: str, value: object) -> str | None:
        return option(value) if field == "option" else (None if value is None else str(value))

    table = _first_table(model, {qid: (option(stored[0]), stored[1])})
    edited: dict[int | str, dict[str, object]] = {
        0: {c: (options[v].label if c == ANSWER and isinstance(v, int) else v) for c, v in edit.items()}
    }
    want = [AnswerChange(qid, field, cell(field, value), cell(field, seen)) for field, value, seen in expected]
    assert answer_changes(model, table, edited) == want


@pytest.mark.parametrize("answer", ["Misschien", "grotendeels", 3, "Nee, maar het is anders geborgd "])
def test_an_answer_not_of_the_scale_is_refused(model: MaturityModel, answer: object) -> None:
    table = _first_table(model, {})
    with pytest.raises(ValueError):
        answer_changes(model, table, {"0": {ANSWER: answer}})


FIRST = pd.DataFrame({"Wijk": ["Noord", "Zuid"], "Thema": [None, "Fase 2"]})


@pytest.mark.parametrize(
    ("edits", "now", "shows"),
    [
        ({}, FIRST, True),
        ({0: {"Thema": "Fase 1"}}, FIRST.assign(Thema=["Fase 1", "Fase 2"]), True),  # the user's own save
        ({"0": {"Thema": "Fase 1"}}, FIRST.assign(Thema=["Fase 1", "Fase 2"]), True),  # row keys as text
        ({}, FIRST.assign(Thema=[None, "Fase 3"]), False),  # a colleague's save
        ({0: {"Thema": "Fase 1"}}, FIRST, False),  # a refused change: the stored value must come back
        ({1: {"Thema": ""}}, FIRST.assign(Thema=[None, None]), True),  # emptied is stored as nothing
        ({}, FIRST.iloc[:1], False),  # a wijk taken away
        ({}, FIRST.rename(columns={"Thema": "Ander"}), False),
        ({5: {"Thema": "Fase 1"}}, FIRST, False),  # an edit outside the table
    ],
)
def test_the_editor_is_made_anew_only_when_it_does_not_show_what_is_stored(
    edits: dict[int | str, dict[str, object]], now: pd.DataFrame, shows: bool
) -> None:
    assert shows_stored(FIRST, edits, now) is shows
