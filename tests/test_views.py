"""Tables behind the pages, and downloads that never run as a formula."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from wijkmodel.analysis.summary import (
    AGGREGATE_NAME,
    MunicipalityProfile,
    municipality_profile,
    theme_total,
    theme_total_rows,
    theme_total_table,
    unit_theme_total_now,
)
from wijkmodel.analysis.views import (
    STEP_TITLES,
    AnswerCounts,
    FirstStep,
    LaterSteps,
    Placement,
    answer_counts,
    answered_line,
    comparison_display,
    comparison_scores,
    counting_line,
    cycle_line,
    explanation,
    first_step,
    formula_safe,
    later_steps,
    placed_units,
    profile_items,
    progress,
    respondent_profile,
    sort_table,
    to_csv_bytes,
    to_xlsx_bytes,
    welcome,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.scoring.rules import OverallRule
from wijkmodel.scoring.text import phase_name
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.rounds import rounds

ALL_PLACED = Placement(wijken_placed=8, wijken=8, whole_placed=True)
HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_defused(text: str) -> None:
    assert formula_safe(text) == "'" + text
    assert formula_safe(12.5) == 12.5
    assert formula_safe("Noord") == "Noord"


def test_excel_download_has_no_formula_and_keeps_numbers(model: MaturityModel) -> None:
    table = pd.DataFrame({"Score": [62.5, np.nan], "Naam": HOSTILE[:2]}, index=pd.Index(HOSTILE[2:4], name="Wijk"))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table)))
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    texts = {c.value for c in cells if isinstance(c.value, str)}
    # stored exactly as typed, as text with Excel's quote prefix: it stays text even when edited
    assert set(HOSTILE[:4]) <= texts
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value in HOSTILE)
    assert 62.5 in {c.value for c in cells}


def test_csv_download_is_dutch_and_defused() -> None:
    table = pd.DataFrame({"Score": [62.5]}, index=pd.Index(["=1+1"], name="Wijk"))
    text = to_csv_bytes(table).decode("utf-8-sig")
    assert text.splitlines() == ["Wijk;Score", "'=1+1;62,5"]


@pytest.fixture
def demo_profile(demo_factory: Sessions, model: MaturityModel) -> tuple[MunicipalityProfile, int]:
    with demo_factory() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        latest = rounds(session=s, municipality_id=m.id)[-1]
        mp = municipality_profile(session=s, municipality_id=m.id, name=m.name, model=model, settings=ScoringSettings())
        return mp, latest.id


def test_comparison_has_every_unit_and_the_aggregate(
    demo_profile: tuple[MunicipalityProfile, int], model: MaturityModel
) -> None:
    mp, round_id = demo_profile
    table = comparison_scores(mp, round_id, model)
    assert table.index[0] == "Gemeente als geheel" and table.index[-1] == AGGREGATE_NAME
    assert len(table) == 10 and next(iter(table.columns)) == "Visie en inspiratie"
    wijken = table.iloc[1:-1]
    assert table.loc[AGGREGATE_NAME, "Lokale teams"] == pytest.approx(wijken["Lokale teams"].mean())
    shown = comparison_display(table)
    assert shown.iloc[0, 0].endswith(")") and "fase" in shown.iloc[0, 0]


@pytest.mark.parametrize("descending", [True, False])
def test_sorting_by_any_column_puts_missing_last(descending: bool) -> None:
    table = pd.DataFrame({"A": [2.0, np.nan, 5.0, 1.0]}, index=list("wxyz"))
    result = list(sort_table(table, "A", descending).index)
    assert result == (["y", "w", "z", "x"] if descending else ["z", "w", "y", "x"])
    assert list(sort_table(table, None).index) == list("wxyz")


def test_profile_items_of_a_wijk(demo_profile: tuple[MunicipalityProfile, int], model: MaturityModel) -> None:
    mp, round_id = demo_profile
    hoven = int(mp.frames.units.set_index("name").loc["De Hoven", "unit"])
    items = profile_items(mp, round_id, hoven, model)
    assert list(items["label"])[:2] == ["Visie en inspiratie", "Lokale teams"] and len(items) == 11
    assert items["phase"].notna().all()


def test_respondent_profile_uses_the_same_scoring(model: MaturityModel) -> None:
    answers: dict[str, str | None] = {
        q.id: "grotendeels" for q in model.quickscan.questions if q.basic_function == "BF3"
    }
    own = respondent_profile({"lokale_teams": 80.0, "visie_inspiratie": None}, answers, model)
    assert own.items.loc["BF3", "score"] == 62.5 and own.items.loc["BF3", "phase"] == 3
    assert own.items.loc["lokale_teams", "score"] == 80 and np.isnan(own.items.loc["visie_inspiratie", "score"])
    assert own.units.iloc[0]["themes_set"] == 1
    assert progress(answers | {"BF1-Q1": "weet_niet"}, model, "quickscan") == (6, 30)


@pytest.mark.parametrize("rule", list(OverallRule))
@pytest.mark.parametrize(
    "positions",
    [
        {},
        {"lokale_teams": 80.0},
        {"lokale_teams": 80.0, "visie_inspiratie": None, "sturing": 12.5},
        {"visie_inspiratie": 0.0, "lokale_teams": 24.99, "sturing": 25.0, "samenwerking": 74.96, "data": 100.0},
    ],
)
def test_the_total_of_six_positions_is_the_profile_total(
    model: MaturityModel, rule: OverallRule, positions: dict[str, float | None]
) -> None:
    """Startpositie's live total (theme_total) takes the rule from the one scoring of every profile."""
    themes = [t.id for t in model.themes_ordered()]
    positions = dict(zip(themes, positions.values(), strict=False))  # the ids of this model's themes
    settings = ScoringSettings(rule=rule)
    total = theme_total(positions, model, settings)
    profile = respondent_profile(positions, {}, model, "quickscan", settings)
    row = profile.units.iloc[0]
    assert total.themes_set == row["themes_set"] == len([v for v in positions.values() if v is not None])
    np.testing.assert_equal([total.overall, total.overall_phase], [row["overall"], row["overall_phase"]])
    np.testing.assert_equal(total.scores, [profile.items.loc[t, "score"] for t in themes])


@pytest.mark.parametrize("rule", list(OverallRule))
def test_the_live_total_of_a_wijk_is_its_profile_total(
    demo_factory: Sessions, model: MaturityModel, rule: OverallRule
) -> None:
    """Startpositie's total of a wijk (read at every move) is the one of Wijkprofiel, for every unit."""
    settings = ScoringSettings(rule=rule)
    with demo_factory() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        mp = municipality_profile(session=s, municipality_id=m.id, name=m.name, model=model, settings=settings)
        units = mp.profile.units
        assert len(units) > 10
        for row in units.itertuples():
            total = unit_theme_total_now(
                session=s, round_id=row.round, unit_id=row.unit, model=model, settings=settings
            )
            np.testing.assert_equal([total.overall, total.overall_phase], [row.overall, row.overall_phase])
            assert total.themes_set == row.themes_set
        empty = unit_theme_total_now(session=s, round_id=-1, unit_id=-1, model=model, settings=settings)
        assert np.isnan(empty.overall) and empty.themes_set == 0


def test_cycle_line_names_the_four_steps() -> None:
    line = cycle_line(
        n_wijken=8, n_rounds=2, placed=Placement(3, 8, True), later=LaterSteps(), first=FirstStep(figures=True)
    )
    assert "✓ Stap 1: Wijk-analyse en prioriteiten (8 wijken, kerncijfers ingelezen)" in line
    assert "▶ Stap 2: Startpositie (3 van 8 wijken en de gemeente als geheel geplaatst)" in line
    assert "○ Stap 3: Kernkeuzes (0 van 2 gemaakt)" in line
    assert "○ Stap 4: Start met wijkgericht werken (0 acties, 0 begonnen of klaar)" in line


@pytest.mark.parametrize(
    ("made", "actions", "started", "marks"),
    [
        (0, 0, 0, ["✓ Stap 1", "✓ Stap 2", "▶ Stap 3", "○ Stap 4"]),
        (1, 3, 0, ["✓ Stap 1", "✓ Stap 2", "▶ Stap 3", "○ Stap 4"]),
        (2, 3, 0, ["✓ Stap 1", "✓ Stap 2", "✓ Stap 3", "▶ Stap 4"]),
        (2, 1, 1, ["✓ Stap 1", "✓ Stap 2", "✓ Stap 3", "✓ Stap 4"]),
    ],
)
def test_cycle_line_marks_core_choices_and_actions(made: int, actions: int, started: int, marks: list[str]) -> None:
    later = LaterSteps(choices_made=made, choices_total=2, actions=actions, actions_started=started)
    line = cycle_line(8, 2, ALL_PLACED, later, FirstStep(figures=True))
    assert [part[:8] for part in line.split(" · ")] == marks
    assert f"({made} van 2 gemaakt)" in line and f"{started} begonnen of klaar" in line


def test_later_steps_of_the_demo(demo_factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.analysis.summary import municipality_profile
    from wijkmodel.scoring.core import ScoringSettings
    from wijkmodel.storage.municipalities import find_municipality
    from wijkmodel.storage.rounds import rounds

    with demo_factory() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        mp = municipality_profile(
            session=s, municipality_id=municipality.id, name=municipality.name, model=model, settings=ScoringSettings()
        )
        latest = rounds(session=s, municipality_id=municipality.id)[-1]
    later = later_steps(mp, latest.id, model)
    statuses = mp.frames.actions["status"]
    assert later == LaterSteps(
        choices_made=2,  # the demo makes both core choices for 2026
        choices_total=2,
        actions=len(statuses),
        actions_started=int(statuses.isin(["loopt", "klaar"]).sum()),
    )
    assert later.actions == 4
    assert first_step(mp, latest.id) == FirstStep(figures=True)  # the demo imports wijk figures


@pytest.mark.parametrize(
    ("n_wijken", "first", "mark", "extra"),
    [
        # wijken alone are no analysis: step 1 is where the user is
        (8, FirstStep(), "▶", "8 wijken, nog geen kerncijfers"),
        (0, FirstStep(), "▶", "0 wijken, nog geen kerncijfers"),
        # wijk figures imported
        (8, FirstStep(figures=True), "✓", "8 wijken, kerncijfers ingelezen"),
        # marked done with a note, without figures
        (8, FirstStep(marked=True), "✓", "8 wijken, afgevinkt"),
        (8, FirstStep(figures=True, marked=True), "✓", "8 wijken, kerncijfers ingelezen"),
    ],
)
def test_step_one_is_ticked_only_for_an_analysis(n_wijken: int, first: FirstStep, mark: str, extra: str) -> None:
    line = cycle_line(n_wijken, 2, ALL_PLACED, LaterSteps(choices_made=2, actions_started=1), first)
    assert line.split(" · ")[0] == f"{mark} Stap 1: Wijk-analyse en prioriteiten ({extra})"


@pytest.mark.parametrize(
    ("rows", "marked"),
    [
        ([], False),
        ([(True, "Gesprek met partners in alle wijken")], True),
        ([(True, "  ")], False),  # done without a note does not count
        ([(False, "Nog bezig")], False),
        ([(True, "In een andere ronde")], False),  # other round, see below
    ],
)
def test_first_step_reads_the_mark_of_the_round(
    demo_factory: Sessions, model: MaturityModel, rows: list[tuple[bool, str]], marked: bool
) -> None:
    with demo_factory() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        mp = municipality_profile(
            session=s, municipality_id=municipality.id, name=municipality.name, model=model, settings=ScoringSettings()
        )
        latest = rounds(session=s, municipality_id=municipality.id)[-1]
    other = latest.id + 1 if rows and rows[0][1] == "In een andere ronde" else latest.id
    marks = pd.DataFrame([{"round": other, "done": d, "note": n} for d, n in rows], columns=["round", "done", "note"])
    frames = replace(mp.frames, analysis_marks=marks, indicators=mp.frames.indicators.iloc[0:0])
    assert first_step(replace(mp, frames=frames), latest.id) == FirstStep(figures=False, marked=marked)


def test_explanation_names_every_scale_and_the_reversed_question(model: MaturityModel) -> None:
    text = " ".join(explanation(ScoringSettings(), model))
    assert "Nee = 12,5 · Beperkt = 37,5 · Grotendeels = 62,5 · Ja = 87,5." in text
    assert "Volledig geregeld = 87,5" in text and "Nee, maar het is anders geborgd = 87,5" in text
    assert "Bij vraag BF2-Q5 is “Nee” het goede antwoord. Daar telt de schaal andersom: Nee = 87,5." in text
    assert text.count("Bij vraag") == 1


def test_explanation_names_the_rule_and_weights(model: MaturityModel) -> None:
    text = " ".join(explanation(ScoringSettings(theme_weight=0.7), model))
    assert "70% het gemiddelde van de thema's plus 30%" in text and "Weet niet" in text


# --- step 2 in words: wijken and the municipality as a whole apart ---------------------------------


@pytest.mark.parametrize(
    ("placed", "extra", "done"),
    [
        (Placement(8, 8, False), "8 van 8 wijken geplaatst; gemeente als geheel nog niet", False),
        (Placement(8, 8, True), "8 van 8 wijken en de gemeente als geheel geplaatst", True),
        (Placement(3, 8, True), "3 van 8 wijken en de gemeente als geheel geplaatst", False),
        (Placement(0, 8, False), "0 van 8 wijken geplaatst; gemeente als geheel nog niet", False),
        (Placement(1, 1, False), "1 van 1 wijk geplaatst; gemeente als geheel nog niet", False),
        (Placement(0, 0, False), "nog geen wijken; gemeente als geheel nog niet geplaatst", False),
        (Placement(0, 0, True), "nog geen wijken; gemeente als geheel geplaatst", True),
    ],
)
def test_the_step_line_says_which_units_are_placed(placed: Placement, extra: str, done: bool) -> None:
    line = cycle_line(8, 2, placed, LaterSteps(), FirstStep(figures=True))
    assert line.split(" · ")[1] == f"{'✓' if done else '▶'} Stap 2: Startpositie ({extra})"


def test_placed_units_tells_the_wijken_from_the_whole(demo_factory: Sessions, model: MaturityModel) -> None:
    with demo_factory() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        mp = municipality_profile(
            session=s, municipality_id=municipality.id, name=municipality.name, model=model, settings=ScoringSettings()
        )
        latest = rounds(session=s, municipality_id=municipality.id)[-1].id
    assert placed_units(mp, latest) == Placement(wijken_placed=8, wijken=8, whole_placed=True)
    units = mp.profile.units
    whole = int(mp.frames.units.loc[mp.frames.units["kind"] == "gemeente", "unit"].iloc[0])
    without_whole = replace(mp, profile=replace(mp.profile, units=units[units["unit"] != whole]))
    assert placed_units(without_whole, latest) == Placement(wijken_placed=8, wijken=8, whole_placed=False)


# --- the Quickscan's counts: answered, and answered in a way that counts ---------------------------


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        (AnswerCounts(0, 0, 30), "0 van 30 vragen beantwoord"),
        (AnswerCounts(30, 30, 30), "30 van 30 vragen beantwoord, 30 met een antwoord dat meetelt"),
        (
            AnswerCounts(30, 25, 30),
            "30 van 30 vragen beantwoord, 25 met een antwoord dat meetelt "
            "(‘Weet niet’ en ‘Niet van toepassing’ tellen niet mee)",
        ),
        (
            AnswerCounts(66, 40, 66, general=True),
            "66 van 66 vragen beantwoord, 40 met een antwoord dat meetelt "
            "(‘Weet niet’, ‘Niet van toepassing’ en de algemene vragen tellen niet mee)",
        ),
        (AnswerCounts(4, 0, 30), "4 van 30 vragen beantwoord, 0 met een antwoord dat meetelt "
         "(‘Weet niet’ en ‘Niet van toepassing’ tellen niet mee)"),
    ],
)  # fmt: skip
def test_the_progress_line_says_how_many_answers_count(counts: AnswerCounts, line: str) -> None:
    assert answered_line(counts) == line


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        (AnswerCounts(6, 5, 6), "5 van 6 vragen tellen mee"),
        (AnswerCounts(6, 1, 6), "1 van 6 vragen telt mee"),
        (AnswerCounts(0, 0, 7), "0 van 7 vragen tellen mee"),
        (AnswerCounts(7, 7, 7), "7 van 7 vragen tellen mee"),
    ],
)
def test_the_line_under_a_basic_function_counts_what_its_coverage_counts(counts: AnswerCounts, line: str) -> None:
    assert counting_line(counts) == line


@pytest.mark.parametrize(
    ("answers", "answered", "counting"),
    [
        ({"BF1-Q1": "ja"}, 1, 1),
        ({"BF1-Q1": "weet_niet", "BF1-Q2": "nvt", "BF1-Q3": "nee"}, 3, 1),
        ({"BF1-Q1": "weet_niet"}, 1, 0),
        ({f"BF1-Q{i}": "grotendeels" for i in range(1, 7)} | {"BF1-Q6": "weet_niet"}, 6, 5),
    ],
)
def test_answer_counts_agree_with_the_coverage_of_the_scores(
    model: MaturityModel, answers: dict[str, str | None], answered: int, counting: int
) -> None:
    counts = answer_counts(answers, model, "quickscan", "BF1")
    assert counts == AnswerCounts(answered=answered, counting=counting, total=6)
    assert respondent_profile({}, answers, model, "quickscan").items.loc["BF1", "coverage"] == counting / 6
    assert answer_counts(answers, model, "quickscan") == AnswerCounts(answered=answered, counting=counting, total=30)


def test_general_questions_are_answered_but_never_count(model: MaturityModel) -> None:
    general = [q for q in model.in_depth.questions if q.basic_function == "algemeen"]
    option = next(iter(model.answer_scores(general[0])))
    counts = answer_counts({general[0].id: option}, model, "in_depth")
    assert counts == AnswerCounts(answered=1, counting=0, total=len(model.in_depth.questions), general=True)


# --- the first screen: what wijkmodel is, and the four steps of the publication ----------------------


def test_welcome_names_the_four_steps_of_the_publication_and_its_source(model: MaturityModel) -> None:
    from tests.conftest import ROOT

    text, source = welcome(model)
    assert text.count(". ") == 1 and text.endswith(".")  # two sentences
    for title in STEP_TITLES:
        assert title[:1].lower() + title[1:] in text
    assert source == (
        "Bron van de vier stappen: Het organiseren van Wijkgericht werken met het gewone leven als vertrekpunt. "
        "Ondersteuningsteam Zorg voor de Jeugd en EHdK, z.j."
    )
    # the titles as the model's data cite the publication ('Stap 2 – Bepaal de startpositie, Fase 1')
    cited = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "data" / "model").glob("*.yaml"))
    for number, title in enumerate(STEP_TITLES, start=1):
        assert f"Stap {number} – {title}" in cited


def test_the_table_beside_the_startpositie_chart_names_each_phase(model: MaturityModel) -> None:
    themes = [t.id for t in model.themes_ordered()]
    total = theme_total({themes[0]: 24.99, themes[1]: 75.0}, model, ScoringSettings())
    table = theme_total_table(total, model)
    assert list(table.index) == [t.name for t in model.themes_ordered()] and table.index.name == "Thema"
    assert table.iloc[0].tolist() == ["24,9", phase_name(model, 1.0)]  # never rounded into the next phase
    assert table.iloc[1].tolist() == ["75", phase_name(model, 4.0)]
    assert set(table["Fase"].iloc[2:]) == {"nog niet geplaatst"}
    assert theme_total_rows(total, model)["score"].isna().sum() == len(themes) - 2
