"""The Quickscan as compact tables, answered by keyboard (Quickscan, 'Snel invullen'): per basic
function one table per answer scale, since a table column offers one list of answers and the
publication gives some questions their own answers ('Niet geregeld … Volledig geregeld', or
'Nee, maar het is anders geborgd'). Every question keeps the exact answers of its own scale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from wijkmodel.analysis.model_tables import question_groups
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import polarity_hint

NUMBER, QUESTION, ANSWER, NOTE = "Nr", "Vraag", "Antwoord", "Toelichting"


@dataclass(frozen=True)
class AnswerTable:
    """One table: the questions of one group with one scale, the answers they share, the cells as
    shown and the stored answers (option id, note) they were made from (for conflicts)."""

    key: str
    heading: str
    answers: list[str]
    frame: pd.DataFrame
    question_ids: list[str]
    shown: dict[str, tuple[str | None, str]]


def answer_tables(
    model: MaturityModel, instrument_id: str, stored: Mapping[str, tuple[str | None, str]]
) -> list[tuple[str, list[AnswerTable]]]:
    """(group heading, its tables) in the order of the questionnaire; `stored`: question id ->
    (option id or None, note) of whoever fills in."""
    questions = model.instrument(instrument_id).questions
    out = []
    for group, heading in question_groups(model, instrument_id):
        in_group = [q for q in questions if q.basic_function == group]
        scales = list(dict.fromkeys(model.question_scale(q).id for q in in_group))  # first seen first
        tables = []
        for scale_id in scales:
            qs = [q for q in in_group if model.question_scale(q).id == scale_id]
            labels = {o.id: o.label for o in model.question_scale(qs[0]).ordered()}
            shown = {q.id: stored.get(q.id, (None, "")) for q in qs}
            frame = pd.DataFrame(
                {
                    NUMBER: [q.number for q in qs],
                    QUESTION: [q.text + (f" ({hint})" if (hint := polarity_hint(q)) else "") for q in qs],
                    ANSWER: [_label(labels, shown[q.id][0]) for q in qs],
                    NOTE: [shown[q.id][1] for q in qs],
                }
            ).astype({ANSWER: object})
            frame[ANSWER] = frame[ANSWER].where(frame[ANSWER].notna(), None)
            answers = " / ".join(list(labels.values())[:4])
            tables.append(
                AnswerTable(
                    key=f"{group}_{scale_id}",
                    heading=f"Antwoorden: {answers}" if len(scales) > 1 else "",
                    answers=list(labels.values()),
                    frame=frame,
                    question_ids=[q.id for q in qs],
                    shown=shown,
                )
            )
        out.append((heading, tables))
    return out


def _label(labels: Mapping[str, str], option: str | None) -> str | None:
    return None if option is None else labels.get(option)


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    field: str  # "option" or "note"
    value: str | None
    seen: str | None


def answer_changes(
    model: MaturityModel, table: AnswerTable, edited_rows: Mapping[int | str, Mapping[str, object]]
) -> list[AnswerChange]:
    """What the user changed in `table` (Streamlit's `edited_rows`), as answers (option ids) and notes
    to save; a cell set to what it shows is no change. An answer not of the question's scale raises
    ValueError (the column offers only the scale's answers)."""
    changes = []
    for row, columns in edited_rows.items():
        question_id = table.question_ids[int(row)]
        option_seen, note_seen = table.shown[question_id]
        scale = model.question_scale(model.question(question_id))
        by_label = {o.label: o.id for o in scale.options}
        for column, value in columns.items():
            if column == ANSWER:
                if value is None or value == "":
                    option = None
                elif isinstance(value, str) and value in by_label:
                    option = by_label[value]
                else:
                    raise ValueError(f"geen antwoord van deze vraag: {value!r}")
                if option != option_seen:
                    changes.append(AnswerChange(question_id, "option", option, option_seen))
            elif column == NOTE:
                note = "" if value is None else str(value)
                if note != note_seen:
                    changes.append(AnswerChange(question_id, "note", note, note_seen))
    return changes
