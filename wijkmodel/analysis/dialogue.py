"""Dialogue mode for the in-depth questions: one question at a time in a session with partners,
a note per question, and a summary of all notes per basic function. Pure, no Streamlit.

The questions, their groups (general questions first, then the five basic functions) and the
answer scale all come from the model; nothing here names a question or a basic function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from wijkmodel.analysis.model_tables import question_groups
from wijkmodel.analysis.views import slug, to_xlsx_bytes
from wijkmodel.model.schema import MaturityModel, Question
from wijkmodel.scoring.core import UNCERTAIN_BELOW

INSTRUMENT = "in_depth"
TITLE = "Gesprek: verdiepende vragen"
COLUMNS = ["Basisfunctie", "Nr.", "Code", "Vraag", "Antwoord", "Aantekening"]
NO_NOTE = "(geen aantekening)"
EMPTY_GROUP = "Nog geen aantekeningen bij deze vragen."


class StoredAnswer(Protocol):
    """What the summary reads of a stored answer (`wijkmodel.storage.db.Answer` fits)."""

    @property
    def option_id(self) -> str | None: ...

    @property
    def note(self) -> str: ...


@dataclass(frozen=True)
class Step:
    """One question of the conversation, in the order the session goes through them."""

    index: int
    """Position in the session, from 0."""
    group: str
    """Basic function id, or `algemeen`."""
    heading: str
    """Dutch heading of the group ('Algemene vragen', 'Basisfunctie 1: …')."""
    question: Question
    """The question itself."""


def steps(model: MaturityModel) -> list[Step]:
    """All in-depth questions in session order: per group (as `question_groups`), then by number."""
    questions = model.instrument(INSTRUMENT).questions
    ordered: list[tuple[str, str, Question]] = []
    for group, heading in question_groups(model, INSTRUMENT):
        in_group = sorted((q for q in questions if q.basic_function == group), key=lambda q: q.number)
        ordered += [(group, heading, q) for q in in_group]
    return [Step(index=i, group=g, heading=h, question=q) for i, (g, h, q) in enumerate(ordered)]


def group_starts(model: MaturityModel) -> dict[str, int]:
    """Group id → index of its first question (for 'jump to a group')."""
    starts: dict[str, int] = {}
    for step in steps(model):
        starts.setdefault(step.group, step.index)
    return starts


def uncertainty_note(coverage: float, instrument_id: str) -> str:
    """' · onzeker' after a score that rests on less than half of its questions, for the Quickscan.

    Never for the in-depth questions: their source says a choice may be made and 'niet alles hoeft
    aan bod te komen', so questions left open say nothing about how sure a score is."""
    if instrument_id == INSTRUMENT:
        return ""
    return " · onzeker" if coverage < UNCERTAIN_BELOW else ""


def position_text(index: int, total: int) -> str:
    """'Vraag 3 van 66' (index counts from 0)."""
    return f"Vraag {index + 1} van {total}"


def questions_source(model: MaturityModel) -> str:
    """Where the in-depth questions come from, as one line."""
    return f"Bron van de vragen: {model.source(model.instrument(INSTRUMENT).source).citation()}"


def session_line(municipality: str, unit: str, round_label: str, role: str, label: str = "") -> str:
    """'Voorbeeldstad · De Hoven · ronde 2026 · lokaal team (team Noord)': whose notes these are."""
    who = f"{role} ({label})" if label else role
    return f"{municipality} · {unit} · ronde {round_label} · {who}"


def file_stem(municipality: str, unit: str, round_label: str) -> str:
    """'gesprek-voorbeeldstad-de-hoven-2026': safe on every file system."""
    return slug("gesprek", municipality, unit, round_label)


def notes_summary(answers: Mapping[str, StoredAnswer], model: MaturityModel) -> pd.DataFrame:
    """One row per in-depth question with a note or an answer, in session order.

    Columns: Basisfunctie (group heading), Nr., Code, Vraag, Antwoord (label, or empty), Aantekening.
    Answers to other instruments (the Quickscan) are left out.
    """
    rows = []
    for step in steps(model):
        stored = answers.get(step.question.id)
        if stored is None or (stored.option_id is None and not stored.note.strip()):
            continue
        option = stored.option_id
        labels = {o.id: o.label for o in model.question_scale(step.question).options}
        rows.append(
            {
                "Basisfunctie": step.heading,
                "Nr.": step.question.number,
                "Code": step.question.id,
                "Vraag": step.question.text,
                "Antwoord": "" if option is None else labels.get(option, option),
                "Aantekening": stored.note.strip(),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def summary_by_group(summary: pd.DataFrame, model: MaturityModel) -> list[tuple[str, pd.DataFrame]]:
    """(group heading, its rows: Nr., Vraag, Antwoord, Aantekening) for every group, empty ones included."""
    return [
        (heading, summary.loc[summary["Basisfunctie"] == heading, ["Nr.", "Vraag", "Antwoord", "Aantekening"]])
        for _, heading in question_groups(model, INSTRUMENT)
    ]


def summary_counts(summary: pd.DataFrame, model: MaturityModel) -> str:
    """'3 van de 66 vragen hebben een aantekening; 1 is beantwoord.'"""
    total = len(model.instrument(INSTRUMENT).questions)
    notes = int((summary["Aantekening"] != "").sum())
    answered = int((summary["Antwoord"] != "").sum())
    have = "heeft" if notes == 1 else "hebben"
    are = "is" if answered == 1 else "zijn"
    return f"{notes} van de {total} vragen {have} een aantekening; {answered} {are} beantwoord."


def _indented(text: str, prefix: str) -> str:
    lines = text.splitlines() or [""]
    return "\n".join([prefix + lines[0], *(" " * len(prefix) + line for line in lines[1:])])


def summary_text(answers: Mapping[str, StoredAnswer], model: MaturityModel, *, subtitle: str = "") -> str:
    """The summary as plain UTF-8 text: per group a heading, then per question number, text, answer, note."""
    summary = notes_summary(answers, model)
    out = [TITLE]
    if subtitle:
        out.append(subtitle)
    if summary["Aantekening"].eq("").all():
        out += ["", "Er zijn nog geen aantekeningen gemaakt."]
    out.append(summary_counts(summary, model))
    for heading, rows in summary_by_group(summary, model):
        out += ["", heading, "=" * len(heading)]
        if rows.empty:
            out.append(EMPTY_GROUP)
            continue
        for row in rows.itertuples(index=False):
            nr, question, answer, note = row
            out.append("")
            out.append(_indented(str(question), f"{nr}. "))
            if answer:
                out.append(f"   Antwoord: {answer}")
            out.append(_indented(note or NO_NOTE, "   Aantekening: "))
    out += ["", questions_source(model)]
    return "\n".join(out) + "\n"


def summary_xlsx(answers: Mapping[str, StoredAnswer], model: MaturityModel) -> bytes:
    """The summary as an Excel workbook (text stays text: a note starting with '=' is no formula)."""
    return to_xlsx_bytes(notes_summary(answers, model).set_index("Basisfunctie"), sheet="Gesprek")
