"""Dialogue mode for the in-depth questions: order, summary, text and Excel; the page 'Gesprek'."""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import pairwise

import openpyxl
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.conftest import page
from wijkmodel.analysis.dialogue import (
    COLUMNS,
    EMPTY_GROUP,
    NO_NOTE,
    file_stem,
    group_starts,
    notes_summary,
    position_text,
    questions_source,
    session_line,
    steps,
    summary_by_group,
    summary_counts,
    summary_text,
    summary_xlsx,
    uncertainty_note,
)
from wijkmodel.analysis.model_tables import question_groups
from wijkmodel.model.schema import GENERAL, MaturityModel
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.tables import Answer, Respondent, Unit


@dataclass(frozen=True)
class Stored:
    """A stored answer as the summary reads it."""

    option_id: str | None
    note: str = ""


# --- the order of the session ----------------------------------------------------------------------


def test_every_in_depth_question_comes_once_general_first_then_per_basic_function(model: MaturityModel) -> None:
    all_steps = steps(model)
    assert len(all_steps) == len(model.in_depth.questions) == 66
    assert sorted(s.question.id for s in all_steps) == sorted(q.id for q in model.in_depth.questions)
    assert [s.index for s in all_steps] == list(range(66))
    groups_in_order = list(dict.fromkeys(s.group for s in all_steps))
    assert groups_in_order == [g for g, _ in question_groups(model, "in_depth")]
    assert groups_in_order[0] == GENERAL
    for step in all_steps:
        assert step.question.basic_function == step.group
        if step.group != GENERAL:  # headings carry the names from the model
            assert model.basic_function(step.group).name in step.heading
    for a, b in pairwise(all_steps):
        if a.group == b.group:
            assert a.question.number < b.question.number


@pytest.mark.parametrize(
    ("position", "start"),
    [(0, 0), (1, 12), (2, 21), (3, 32), (4, 43), (5, 54)],  # 12 general, then 9/11/11/11/12
)
def test_each_group_starts_where_the_previous_ends(model: MaturityModel, position: int, start: int) -> None:
    group = question_groups(model, "in_depth")[position][0]
    assert group_starts(model)[group] == start
    assert steps(model)[start].group == group


@pytest.mark.parametrize(("index", "total", "text"), [(0, 66, "Vraag 1 van 66"), (65, 66, "Vraag 66 van 66")])
def test_position_text(index: int, total: int, text: str) -> None:
    assert position_text(index, total) == text


@pytest.mark.parametrize(
    ("label", "line"),
    [
        ("", "Voorbeeldstad · De Hoven · ronde 2026 · lokaal team"),
        ("team Noord", "Voorbeeldstad · De Hoven · ronde 2026 · lokaal team (team Noord)"),
    ],
)
def test_session_line_names_whose_notes_these_are(label: str, line: str) -> None:
    assert session_line("Voorbeeldstad", "De Hoven", "2026", "lokaal team", label) == line


@pytest.mark.parametrize(
    ("municipality", "unit", "round_label", "stem"),
    [
        ("Voorbeeldstad", "De Hoven", "2026", "gesprek-voorbeeldstad-de-hoven-2026"),
        ("Súdwest-Fryslân", "Wijk / Noord", "ronde 1", "gesprek-súdwest-fryslân-wijk-noord-ronde-1"),
        ("<b>X</b>", "../..", "=1+1", "gesprek-b-x-b-1-1"),
    ],
)
def test_file_stem_is_safe_on_every_file_system(municipality: str, unit: str, round_label: str, stem: str) -> None:
    assert file_stem(municipality, unit, round_label) == stem


def test_the_source_publication_is_named(model: MaturityModel) -> None:
    assert questions_source(model).startswith("Bron van de vragen: ")
    assert model.source(model.in_depth.source).title in questions_source(model)


# --- the summary ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, []),
        (
            {"VV-ALG-01": Stored(None, "  Weinig plekken voor jongeren.  ")},
            [("VV-ALG-01", "", "Weinig plekken voor jongeren.")],
        ),
        ({"VV-ALG-02": Stored("beperkt")}, [("VV-ALG-02", "Beperkt", "")]),
        ({"VV-ALG-03": Stored("nvt", "Geen team.")}, [("VV-ALG-03", "Niet van toepassing", "Geen team.")]),
        ({"VV-ALG-04": Stored(None, "   ")}, []),  # nothing said, nothing chosen: not in the summary
        ({"BF1-Q1": Stored("ja", "Quickscan")}, []),  # the Quickscan is another instrument
        ({"VV-ALG-05": Stored("oud_antwoord")}, [("VV-ALG-05", "oud_antwoord", "")]),  # unknown option: shown as is
    ],
)
def test_notes_summary_has_a_row_per_question_with_a_note_or_an_answer(
    model: MaturityModel, answers: dict[str, Stored], expected: list[tuple[str, str, str]]
) -> None:
    summary = notes_summary(answers, model)
    assert list(summary.columns) == COLUMNS
    assert list(summary[["Code", "Antwoord", "Aantekening"]].itertuples(index=False, name=None)) == expected


def test_notes_summary_follows_the_session_order_with_text_and_heading(model: MaturityModel) -> None:
    order = steps(model)
    last, first = order[-1], order[0]
    summary = notes_summary({last.question.id: Stored(None, "b"), first.question.id: Stored(None, "a")}, model)
    assert list(summary["Code"]) == [first.question.id, last.question.id]
    assert list(summary["Vraag"]) == [first.question.text, last.question.text]
    assert list(summary["Basisfunctie"]) == [first.heading, last.heading]
    assert list(summary["Nr."]) == [first.question.number, last.question.number]


def test_summary_by_group_has_every_group_even_without_notes(model: MaturityModel) -> None:
    bf_step = next(s for s in steps(model) if s.group != GENERAL)
    groups = summary_by_group(notes_summary({bf_step.question.id: Stored(None, "x")}, model), model)
    assert [h for h, _ in groups] == [h for _, h in question_groups(model, "in_depth")]
    sizes = {h: len(rows) for h, rows in groups}
    assert sizes[bf_step.heading] == 1 and sum(sizes.values()) == 1
    assert list(groups[0][1].columns) == ["Nr.", "Vraag", "Antwoord", "Aantekening"]


@pytest.mark.parametrize(
    ("answers", "line"),
    [
        ({}, "0 van de 66 vragen hebben een aantekening; 0 zijn beantwoord."),
        ({"VV-ALG-01": Stored("ja", "x")}, "1 van de 66 vragen heeft een aantekening; 1 is beantwoord."),
        (
            {"VV-ALG-01": Stored("ja", "x"), "VV-ALG-02": Stored(None, "y"), "VV-ALG-03": Stored("nee")},
            "2 van de 66 vragen hebben een aantekening; 2 zijn beantwoord.",
        ),
    ],
)
def test_summary_counts(model: MaturityModel, answers: dict[str, Stored], line: str) -> None:
    assert summary_counts(notes_summary(answers, model), model) == line


def test_summary_text_without_notes_says_so_under_every_heading(model: MaturityModel) -> None:
    text = summary_text({}, model, subtitle="Voorbeeldstad · De Hoven")
    lines = text.splitlines()
    assert lines[:2] == ["Gesprek: verdiepende vragen", "Voorbeeldstad · De Hoven"]
    assert "Er zijn nog geen aantekeningen gemaakt." in lines
    for _, heading in question_groups(model, "in_depth"):
        at = lines.index(heading)
        assert lines[at + 1] == "=" * len(heading) and lines[at + 2] == EMPTY_GROUP
    assert lines[-1] == questions_source(model)


def test_summary_text_lists_number_question_answer_and_note_under_its_basic_function(model: MaturityModel) -> None:
    step = next(s for s in steps(model) if s.group != GENERAL)
    general = steps(model)[0]
    text = summary_text(
        {
            step.question.id: Stored("grotendeels", "Signalen komen laat binnen.\nAfspraak: huisarts aansluiten."),
            general.question.id: Stored("ja"),
        },
        model,
    )
    lines = text.splitlines()
    assert "Er zijn nog geen aantekeningen gemaakt." not in lines
    at = lines.index(step.heading)
    assert lines[at + 3 : at + 7] == [
        f"{step.question.number}. {step.question.text}",
        "   Antwoord: Grotendeels",
        "   Aantekening: Signalen komen laat binnen.",
        "                Afspraak: huisarts aansluiten.",
    ]
    assert f"   Aantekening: {NO_NOTE}" in lines  # the general question: answered, no note
    assert text.endswith("\n")
    text.encode("utf-8")


def test_summary_xlsx_keeps_a_note_starting_with_is_as_text(model: MaturityModel) -> None:
    hostile = '=HYPERLINK("http://x","klik")'
    data = summary_xlsx({"VV-ALG-01": Stored("ja", hostile), "VV-ALG-02": Stored(None, "+1+1")}, model)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Basisfunctie", "Nr.", "Code", "Vraag", "Antwoord", "Aantekening")
    assert rows[1][0] == "Algemene vragen" and rows[1][1] == 1 and rows[1][4] == "Ja"
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    notes = {c.value: c for c in cells if c.value in (hostile, "+1+1")}
    assert set(notes) == {hostile, "+1+1"} and all(c.quotePrefix for c in notes.values())


# --- the page ---------------------------------------------------------------------------------------


def _notes(url: str, question_id: str) -> list[tuple[str, str | None, str, str]]:
    with make_sessionmaker(make_engine(url))() as s:
        rows = s.execute(
            select(Answer.note, Answer.option_id, Respondent.role, Unit.name)
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .join(Unit, Unit.id == Respondent.unit_id)
            .where(Answer.question_id == question_id)
        ).all()
    return [(r.note, r.option_id, r.role, r.name) for r in rows]


def _where(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Vraag "))


def test_the_page_goes_to_the_next_question_and_saves_a_note_with_the_answer(
    demo_db: str, model: MaturityModel
) -> None:
    at = page("app_pages/gesprek.py")
    order = steps(model)
    assert _where(at).startswith("Vraag 1 van 66")
    assert at.header[0].value == order[0].question.text
    next(b for b in at.button if b.label == "Volgende").click().run()
    assert not at.exception
    assert _where(at).startswith("Vraag 2 van 66")
    second = order[1].question
    assert at.header[0].value == second.text

    next(r for r in at.radio if r.label == "Antwoord (optioneel)").set_value("beperkt").run()
    note = "Partners: =1+1 <b>vet</b> blijft tekst."
    next(t for t in at.text_area if t.label == "Aantekening bij deze vraag").input(note).run()
    assert not at.exception
    # the note kept the answer chosen before it
    assert (note, "beperkt", "lokaal team", "Gemeente als geheel") in _notes(demo_db, second.id)
    next(r for r in at.radio if r.label == "Antwoord (optioneel)").set_value("ja").run()
    assert (note, "ja", "lokaal team", "Gemeente als geheel") in _notes(demo_db, second.id)  # and the answer the note

    # away and back: the stored note is on screen again
    next(b for b in at.button if b.label == "Volgende").click().run()
    assert next(t for t in at.text_area if t.label == "Aantekening bij deze vraag").value == ""
    next(b for b in at.button if b.label == "Vorige").click().run()
    assert next(t for t in at.text_area if t.label == "Aantekening bij deze vraag").value == note
    assert next(r for r in at.radio if r.label == "Antwoord (optioneel)").value == "ja"

    # the summary shows it, as plain text
    next(b for b in at.button if b.label == "Samenvatting").click().run()
    assert not at.exception
    assert note in [t.value for t in at.text]
    assert any("van de 66 vragen" in m.value for m in at.markdown)  # the counts
    assert not at.text_area  # no question on the summary


def test_the_page_jumps_to_a_basic_function_and_from_the_last_question_to_the_summary(
    demo_db: str, model: MaturityModel
) -> None:
    at = page("app_pages/gesprek.py")
    group, heading = question_groups(model, "in_depth")[-1]
    at.selectbox(key="dialogue_group").set_value(group).run()
    assert not at.exception
    start = group_starts(model)[group]
    assert _where(at) == f"Vraag {start + 1} van 66 · {heading}"
    for _ in range(66 - start - 1):
        next(b for b in at.button if b.label == "Volgende").click().run()
    assert _where(at).startswith("Vraag 66 van 66")
    next(b for b in at.button if b.label == "Volgende").click().run()
    assert not at.exception
    assert any(h.value == "Samenvatting" for h in at.header)
    assert at.selectbox(key="dialogue_group").value == "samenvatting"
    assert EMPTY_GROUP in [c.value for c in at.caption]
    next(b for b in at.button if b.label == "Vorige").click().run()
    assert _where(at).startswith("Vraag 66 van 66")


def test_the_page_asks_for_a_round_first_on_an_empty_database(empty_db: str) -> None:
    at = page("app_pages/gesprek.py")
    assert any("Kies eerst een gemeente en een ronde" in i.value for i in at.info)
    assert not at.text_area


def test_the_page_opens_with_how_to_use_the_questions(demo_db: str, model: MaturityModel) -> None:
    at = page("app_pages/gesprek.py")
    usage = next(e for e in at.expander if e.label == "Hoe gebruikt u deze vragen?")
    text = " ".join(m.value for m in usage.markdown)
    assert text == model.guidance_text("verdiepend_gebruik").text
    assert "niet alles hoeft aan bod te komen" in text
    assert any("Toelichting op het gebruik" in c.value for c in usage.caption)
    # one answer of 66: no score on the page is called uncertain for the questions left open
    next(r for r in at.radio if r.label == "Antwoord (optioneel)").set_value("ja").run()
    assert not at.exception
    assert not [e for e in at.main if "onzeker" in str(getattr(e, "value", ""))]


@pytest.mark.parametrize(
    ("coverage", "instrument", "note"),
    [
        (0.2, "quickscan", " · onzeker"),
        (0.5, "quickscan", ""),
        (1.0, "quickscan", ""),
        (0.0, "in_depth", ""),  # not everything needs to be discussed: open questions make nothing uncertain
        (0.2, "in_depth", ""),
    ],
)
def test_only_the_quickscan_calls_a_thin_score_uncertain(coverage: float, instrument: str, note: str) -> None:
    assert uncertainty_note(coverage, instrument) == note


def test_the_in_depth_scores_on_the_questionnaire_page_are_never_uncertain(demo_db: str) -> None:
    at = page("app_pages/quickscan.py")
    at.radio(key="instrument").set_value("in_depth").run()
    assert not at.exception
    captions = [c.value for c in at.caption if " mee" in c.value and "**" in c.value]
    assert len(captions) == 5 and not any("onzeker" in c for c in captions)
    assert any(c.endswith("vragen tellen mee") and " 0 van " in c for c in captions)  # left open, yet not uncertain
