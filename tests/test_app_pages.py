"""AppTest per page: no exception, and widgets change what they should."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DEMO_WIJKEN, PAGE_FILES, page
from wijkmodel.exports.images import browser_path
from wijkmodel.exports.parts import DEFAULT_PARTS, PARTS


@pytest.mark.parametrize("path", PAGE_FILES)
def test_every_page_runs_on_the_demo(demo_db: str, path: str) -> None:
    page(path)


@pytest.mark.parametrize("path", PAGE_FILES)
def test_every_page_runs_on_an_empty_database(empty_db: str, path: str) -> None:
    page(path)


# --- widgets change what they should ---------------------------------------------------------------

from sqlalchemy import select  # noqa: E402

from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker  # noqa: E402
from wijkmodel.storage.tables import Answer, Municipality, Respondent, ThemePosition, Unit  # noqa: E402


def _db(url: str) -> Sessions:
    return make_sessionmaker(make_engine(url))


def test_moving_a_slider_saves_the_position(demo_db: str) -> None:
    at = page("app_pages/startpositie.py")
    slider = at.select_slider[0]
    assert "Visie en inspiratie" in slider.label
    assert slider.value != 85
    slider.set_value(85).run()
    assert not at.exception
    with _db(demo_db)() as s:
        rows = s.execute(
            select(ThemePosition.position, Respondent.role, Unit.name)
            .join(Respondent, Respondent.id == ThemePosition.respondent_id)
            .join(Unit, Unit.id == Respondent.unit_id)
            .where(ThemePosition.theme_id == "visie_inspiratie", ThemePosition.position == 85)
        ).all()
    assert ("lokaal team", "Gemeente als geheel") in [(r.role, r.name) for r in rows]
    assert any("Fase 4" in m.value for m in at.markdown)


def test_the_totals_follow_every_move(demo_db: str) -> None:
    """Both totals of Startpositie are read anew at every move: one's own, and the wijk's of everyone."""
    at = page("app_pages/startpositie.py")
    for slider in at.select_slider:
        slider.set_value(10)  # every theme in phase 1
    at.run()
    own, unit = (m for m in at.metric if m.label.startswith("Totaalfase"))
    assert own.value == "fase 1" and any(c.value.startswith("fase 1 · ") for c in at.caption)
    others = unit.proto.help  # 'Score 47,5 van 100. …'
    for slider in at.select_slider:
        slider.set_value(100)
    at.run()
    own, unit = (m for m in at.metric if m.label.startswith("Totaalfase"))
    assert own.value == "fase 4" and unit.proto.help != others  # the wijk's total moved with one's own


def _shown_respondent_answer(url: str, question_id: str) -> str | None:
    """The stored answer of the respondent the page shows first: 'lokaal team' (no label) for the
    municipality as a whole, in the newest round."""
    from wijkmodel.storage.tables import Round

    with _db(url)() as s:
        newest = max(s.scalars(select(Round)), key=lambda r: r.date).id
        return s.scalar(
            select(Answer.option_id)
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .join(Unit, Unit.id == Respondent.unit_id)
            .where(
                Answer.question_id == question_id,
                Respondent.round_id == newest,
                Respondent.role == "lokaal team",
                Respondent.label == "",
                Unit.name == "Gemeente als geheel",
            )
        )


def test_answering_a_question_saves_the_answer(demo_db: str) -> None:
    at = page("app_pages/quickscan.py")
    question = next(r for r in at.radio if "BF1-Q1" in r.label)
    assert question.value == _shown_respondent_answer(demo_db, "BF1-Q1")
    new = "nee" if question.value != "nee" else "ja"
    question.set_value(new).run()
    assert not at.exception
    # that respondent's answer changed (the demo holds both answers elsewhere, so look at this one)
    assert _shown_respondent_answer(demo_db, "BF1-Q1") == new


def test_each_question_offers_its_own_scale_and_bf2_q5_says_which_answer_is_good(demo_db: str) -> None:
    at = page("app_pages/quickscan.py")
    options = {r.label: r.options for r in at.radio if "Antwoord op vraag" in r.label}
    assert options["Antwoord op vraag 7 (BF5-Q7)"] == [
        "Niet geregeld", "Deels geregeld", "Grotendeels geregeld", "Volledig geregeld", "Weet niet",
        "Niet van toepassing",
    ]  # fmt: skip
    assert "Nee, maar het is anders geborgd" in options["Antwoord op vraag 4 (BF4-Q4)"]
    assert options["Antwoord op vraag 5 (BF2-Q5)"][:4] == ["Nee", "Beperkt", "Grotendeels", "Ja"]
    notes = [c.value for c in at.caption if c.value.startswith("Let op:")]
    assert notes == ["Let op: Ja = er zijn wachttijden. Dat telt als minder goed geregeld."]
    question = next(r for r in at.radio if "BF5-Q7" in r.label)
    question.set_value("volledig").run()
    assert not at.exception
    assert _shown_respondent_answer(demo_db, "BF5-Q7") == "volledig"


def test_creating_a_municipality_and_a_wijk(empty_db: str) -> None:
    at = page("")
    name_input = next(t for t in at.text_input if t.label == "Naam van de gemeente")
    name_input.input("Testdorp")
    next(b for b in at.button if b.label == "Gemeente aanmaken").click().run()
    assert not at.exception
    with _db(empty_db)() as s:
        assert [m.name for m in s.scalars(select(Municipality))] == ["Testdorp"]
    wijk = next(t for t in at.text_input if t.label == "Naam van de wijk")
    wijk.input("<b>Noord</b> =1+1")
    next(b for b in at.button if b.label == "Wijk toevoegen").click().run()
    assert not at.exception
    with _db(empty_db)() as s:
        assert "<b>Noord</b> =1+1" in [u.name for u in s.scalars(select(Unit))]
    # the same name again is refused with a clear message, nothing added
    next(t for t in at.text_input if t.label == "Naam van de wijk").input("<b>noord</b> =1+1")
    next(b for b in at.button if b.label == "Wijk toevoegen").click().run()
    assert any("er is al een wijk" in e.value for e in at.error)
    with _db(empty_db)() as s:
        assert len(s.scalars(select(Unit)).all()) == 2


@pytest.mark.parametrize(("name", "message"), [("", "mag niet leeg zijn"), ("   ", "mag niet leeg zijn")])
def test_bad_wijk_names_get_a_clear_message(demo_db: str, name: str, message: str) -> None:
    at = page("")
    field = next(t for t in at.text_input if t.label == "Naam van de wijk")
    field.input(name)
    next(b for b in at.button if b.label == "Wijk toevoegen").click().run()
    assert not at.exception
    assert any(message in e.value for e in at.error)


def test_changing_the_rule_is_saved_and_named(demo_db: str) -> None:
    at = page("app_pages/instellingen.py")
    at.radio(key="set_rule").set_value("zwakste schakel").run()
    assert not at.exception
    with _db(demo_db)() as s:
        assert s.scalars(select(Municipality)).one().overall_rule == "zwakste schakel"
    at.switch_page("app_pages/wijkprofiel.py")
    at.run()
    assert any("zwakste schakel" in m.label for m in at.metric)


def test_vergelijken_shows_every_wijk_in_the_heatmap(demo_db: str) -> None:
    import json

    at = page("app_pages/vergelijken.py")
    charts = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    heat = next(c for c in charts if c["data"][0]["type"] == "heatmap")
    for wijk in DEMO_WIJKEN:
        assert wijk in heat["data"][0]["y"]


def test_a_200_character_name_is_kept_as_plain_text(demo_db: str) -> None:
    at = page("")
    name = "<i>" + "x" * 191 + "</i>=1"
    assert len(name) == 200
    next(t for t in at.text_input if t.label == "Naam van de wijk").input(name)
    next(b for b in at.button if b.label == "Wijk toevoegen").click().run()
    assert not at.exception and not at.error
    assert name in list(at.dataframe[0].value["Wijk"])


def test_a_note_per_theme_is_saved(demo_db: str) -> None:
    at = page("app_pages/startpositie.py")
    note = next(t for t in at.text_area if t.label == "Waarom staan we hier?")
    note.input("Er is een visie, maar nog niet gedeeld met partners. <script>x</script>").run()
    assert not at.exception
    with _db(demo_db)() as s:
        notes = [p.note for p in s.scalars(select(ThemePosition).where(ThemePosition.theme_id == "visie_inspiratie"))]
    assert "Er is een visie, maar nog niet gedeeld met partners. <script>x</script>" in notes


def test_a_round_carried_over_is_marked_until_confirmed(demo_db: str) -> None:
    at = page("")
    next(t for t in at.text_input if t.label.startswith("Naam van de ronde")).input("2027")
    from wijkmodel.storage.tables import Round

    with _db(demo_db)() as s:
        latest = max(s.scalars(select(Round)), key=lambda r: r.date).id
    next(r for r in at.radio if r.label.startswith("Beginnen met de waarden")).set_value(latest)
    next(b for b in at.button if b.label == "Ronde aanmaken").click().run()
    assert not at.exception and any("2027" in s.value for s in at.success)
    at.switch_page("app_pages/startpositie.py")
    at.run()
    assert any("Overgenomen uit de vorige ronde" in c.value for c in at.caption)

    def carried_over() -> int:
        """Positions of the new round still marked as taken from the round before."""
        with _db(demo_db)() as s:
            return len(
                s.scalars(
                    select(ThemePosition)
                    .join(Respondent, Respondent.id == ThemePosition.respondent_id)
                    .join(Round, Round.id == Respondent.round_id)
                    .where(Round.label == "2027", ThemePosition.carried_over.is_(True))
                ).all()
            )

    before = carried_over()
    assert before > 0  # the new round took its positions over, marked
    next(b for b in at.button if b.label == "Klopt nog").click().run()
    assert not at.exception
    assert carried_over() == before - 1  # exactly the confirmed one lost its mark


def test_a_second_municipality_and_a_new_round_become_the_current_choice(demo_db: str) -> None:
    at = page("")
    next(t for t in at.text_input if t.label == "Naam van de gemeente").input("Tweede Gemeente")
    next(b for b in at.button if b.label == "Gemeente aanmaken").click().run()
    assert not at.exception
    names = {m.id: m.name for m in _db(demo_db)().scalars(select(Municipality))}
    chosen = at.sidebar.selectbox[0].value
    assert chosen is not None
    assert names[chosen] == "Tweede Gemeente"
    next(t for t in at.text_input if t.label.startswith("Naam van de ronde")).input("Nulmeting")
    next(b for b in at.button if b.label == "Ronde aanmaken").click().run()
    assert not at.exception
    assert "Nulmeting" in at.sidebar.selectbox[1].format_func(at.sidebar.selectbox[1].value)


# --- the parts and wijken of the briefing (issue 16, item 5) ------------------------------------------


def _where(at: AppTest) -> str:
    """'Dia 1 van 11 · ...': Presenteren's place in the slides."""
    return next(c.value for c in at.caption if c.value.startswith("Dia "))


@pytest.mark.parametrize(
    ("parts", "wijken", "slides", "titles"),
    [
        (None, None, 11, ["Totaalfase per wijk", "Scores per wijk op thema's en basisfuncties"]),
        (["totaalfase", "profielen"], ["De Hoven"], 3, ["Totaalfase per wijk", "Profiel van De Hoven"]),
        (["methode"], None, 2, ["Hoe is dit berekend?"]),
    ],
)
def test_presenteren_shows_the_chosen_parts_and_wijken(
    demo_db: str, parts: list[str] | None, wijken: list[str] | None, slides: int, titles: list[str]
) -> None:
    at = page("app_pages/presenteren.py")
    assert at.multiselect(key="presentation_parts").value == list(DEFAULT_PARTS)
    if parts is not None:
        at.multiselect(key="presentation_parts").set_value(parts).run()
    if wijken is not None:
        at.toggle(key="presentation_all").set_value(False).run()
        at.multiselect(key="presentation_wijken").set_value(wijken).run()
    assert not at.exception, at.exception
    assert _where(at).startswith(f"Dia 1 van {slides} ")
    shown = []
    for _ in titles:
        next(b for b in at.button if b.label == "Volgende").click().run()
        assert not at.exception, at.exception
        shown.append(at.title[0].value)
    assert shown == titles


def test_presenteren_without_a_part_says_so(demo_db: str) -> None:
    at = page("app_pages/presenteren.py")
    at.multiselect(key="presentation_parts").set_value([]).run()
    assert not at.exception
    assert any("Kies minstens één onderdeel" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Volgende"]


def test_stukken_offers_the_parts_before_the_downloads(demo_db: str) -> None:
    at = page("app_pages/stukken.py")
    parts = at.multiselect(key="exports_parts")
    assert parts.value == list(DEFAULT_PARTS) and parts.options == [PARTS[k] for k in PARTS]

    def disabled() -> dict[str, bool]:
        return {b.proto.label: b.proto.disabled for b in at.get("download_button")}

    no_browser = browser_path() is None  # the deck and the report need one; the page says so
    assert disabled() == dict.fromkeys(["Download presentatie (.pptx)", "Download verslag (.pdf)"], no_browser) | {
        "Download gegevens (.xlsx)": False
    }
    parts.set_value([]).run()
    assert not at.exception
    assert any("Kies minstens één onderdeel" in i.value for i in at.info)
    assert disabled() == {
        "Download presentatie (.pptx)": True,
        "Download verslag (.pdf)": True,
        "Download gegevens (.xlsx)": False,  # the workbook holds every part
    }


def test_the_heap_of_the_first_run_is_frozen(demo_db: str) -> None:
    """After its first run a server keeps what it loaded out of Streamlit's full collection after
    every run (ui/resources.py freeze_startup_heap): half the server's time of a slider move."""
    import gc

    page("app_pages/startpositie.py")
    assert gc.get_freeze_count() > 1000
