"""Issue 16, items 4 and 5: the documents tell the truth about missing data, and the user chooses their
parts. A sparse municipality (8 wijken, one role, no Quickscan, no targets, no actions, no core choices,
one respondent) is built with the storage functions; its deck and report texts are read back. The
deck is laid out with a small stand-in picture per chart, so no browser is needed."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation
from pptx.presentation import Presentation as Deck

from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.analysis.views import ONE_RESPONDENT, spread_text
from wijkmodel.charts.base import Caption, without_title
from wijkmodel.charts.comparison import ranking_figure
from wijkmodel.exports.briefing import MISSING_TITLE, build_briefing
from wijkmodel.exports.briefing_scores import NO_POINTS, NO_QUICKSCAN
from wijkmodel.exports.deck import build_deck
from wijkmodel.exports.parts import DEFAULT_PARTS, PARTS, chosen_parts, parse_parts
from wijkmodel.exports.report_pdf import build_report
from wijkmodel.exports.slides import Briefing
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality, find_municipality, settings_of
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round, rounds
from wijkmodel.storage.tables import IndicatorValue
from wijkmodel.storage.wijken import add_wijk

TODAY = dt.date(2026, 11, 23)
ROUND_DATE = dt.date(2026, 2, 1)
SPARSE_WIJKEN = ["Centrum", "Noord", "Oost", "Zuid", "West", "Haven", "Dorp", "Veld"]
ALL = list(PARTS)


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 100), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _pictures(briefing: Briefing) -> dict[str, bytes]:
    """A stand-in picture per chart: the deck is laid out as with the real ones."""
    return {slide.key: _tiny_png() for slide, _ in briefing.figures()}


def _deck(briefing: Briefing) -> Deck:
    return Presentation(io.BytesIO(build_deck(briefing, _pictures(briefing))))


def _deck_text(prs: Deck) -> str:
    texts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts)


def _pdf_text(briefing: Briefing, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext ontbreekt (apt-get install poppler-utils)")
    path = tmp_path / "verslag.pdf"
    path.write_bytes(build_report(briefing, _pictures(briefing)))
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())  # lines joined: a sentence may wrap


# --- the parts: a small API ------------------------------------------------------------------------


def test_every_default_part_is_a_part_and_the_labels_are_short() -> None:
    assert set(DEFAULT_PARTS) < set(PARTS)
    assert list(DEFAULT_PARTS) == [key for key in PARTS if key in DEFAULT_PARTS]  # in slide order
    assert "profielen" not in DEFAULT_PARTS  # an appendix, on request
    assert all(len(label) <= 60 for label in PARTS.values())
    assert chosen_parts(None) == DEFAULT_PARTS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("standaard", DEFAULT_PARTS),
        ("alle", tuple(PARTS)),
        ("standaard,profielen", (*DEFAULT_PARTS[:-1], "methode", "profielen")),
        (" Kaart , totaalfase ", ("totaalfase", "kaart")),  # slide order, not typed order
        ("methode,methode", ("methode",)),
    ],
)
def test_parts_from_the_command_line(text: str, expected: tuple[str, ...]) -> None:
    assert parse_parts(text) == expected


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["totaalfase", "atlantis"], "Onderdeel 'atlantis' bestaat niet. Kies uit: totaalfase, scores"),
        (["Totaalfase"], "Onderdeel 'Totaalfase' bestaat niet"),
        ([], "Kies minstens één onderdeel"),
    ],
)
def test_unknown_parts_are_refused_by_name(parts: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        chosen_parts(parts)


# --- the demo ----------------------------------------------------------------------------------------


def _demo(factory: Sessions, model: MaturityModel) -> tuple[MunicipalityProfile, list[int]]:
    with factory() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        mp = municipality_profile(session=s, municipality_id=m.id, name=m.name, model=model, settings=settings_of(m))
        return mp, [r.id for r in rounds(session=s, municipality_id=m.id)]


def test_the_demo_deck_has_at_most_12_slides_by_default(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _demo(demo_factory, model)
    # the map needs boundaries: a stand-in square for every wijk
    square = {"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.0]]]}
    geometries = {int(u): square for u in mp.frames.units["unit"]}
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, geometries=geometries)
    assert [s.key for s in briefing.slides] == [
        "overzicht",
        "scores",
        "kaart",
        "prioriteiten",
        "prioriteiten-lijst",
        "voortgang",
        "streefwaarden",
        "kernkeuzes",
        "actieplan",
        "methode",
    ]
    titles = [s.shapes.title.text for s in _deck(briefing).slides]
    assert len(titles) <= 12, titles
    assert titles[0] == "Wijkgericht werken in Voorbeeldstad"
    assert not [t for t in titles if t.startswith("Profiel van")]
    assert not [t for t in titles if "(vervolg)" in t]  # the short method fits one slide too
    assert "publicaties, zoals ‘Het organiseren van Wijkgericht werken" in briefing.slides[-1].bullets[-1]


@pytest.mark.parametrize(
    ("parts", "keys"),
    [
        (["totaalfase"], ["overzicht"]),
        (["scoretabellen", "totaalfase"], ["overzicht", "scores-themas", "scores-basisfuncties"]),
        (["praktijk"], ["praktijk-1", "praktijk-2"]),
        (["methode", "uitleg"], ["methode", "uitleg", "bronnen"]),
        (["perspectieven", "randvoorwaarden"], ["perspectieven", "randvoorwaarden"]),
        (["profielen"], [f"profiel-{u}" for u in (1, 2, 7, 4, 5, 6, 3, 8, 9)]),  # wijken in name order
    ],
)
def test_the_chosen_parts_make_the_slides(
    demo_factory: Sessions, model: MaturityModel, parts: list[str], keys: list[str]
) -> None:
    mp, round_ids = _demo(demo_factory, model)
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, parts=parts)
    assert [s.key for s in briefing.slides] == keys


def test_build_briefing_refuses_an_unknown_part(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _demo(demo_factory, model)
    with pytest.raises(InputError, match="Onderdeel 'zet' bestaat niet"):
        build_briefing(mp, round_ids[-1], model, today=TODAY, parts=["totaalfase", "zet"])


def test_a_chart_on_a_slide_has_no_title_inside(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _demo(demo_factory, model)
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, parts=ALL)
    figures = briefing.figures()
    assert len(figures) >= 5
    for slide, figure in figures:
        inside = figure.layout.title.text
        assert slide.title not in inside and "Voorbeeldstad · ronde 2026" in inside, slide.key
        assert not figure.layout.title.subtitle.text


def test_without_title_keeps_the_caption_and_gives_back_the_title_s_room(model: MaturityModel) -> None:
    caption = Caption("Voorbeeldstad", "2026", "gemiddelde", TODAY)
    chart = ranking_figure(pd.Series({"De Hoven": 60.0}), model, caption, "Totaalfase per wijk")
    bare = without_title(chart)
    assert chart.layout.title.text == "Totaalfase per wijk"  # the chart itself is left alone
    assert bare.layout.title.text.replace("<br>", " · ") == caption.text() and not bare.layout.title.subtitle.text
    assert bare.layout.margin.t < chart.layout.margin.t - 20  # the title's room given back
    assert without_title(bare) is bare  # once is enough
    assert without_title(go.Figure()).layout.title.text is None


def test_continuation_slides_have_notes_about_their_own_rows(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _demo(demo_factory, model)
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, parts=["perspectieven", "uitleg"])
    rows = briefing.slides[0].table.rows  # type: ignore[union-attr]
    assert len(rows) > 24  # three slides of 12 rows at most
    slides = list(_deck(briefing).slides)
    table_notes = [
        s.notes_slide.notes_text_frame.text for s in slides if s.shapes.title.text.startswith("Waar verschillen")
    ]
    assert len(table_notes) == 3 and len(set(table_notes)) == 3
    for i, text in enumerate(table_notes):
        first, last = 12 * i, min(12 * i + 11, len(rows) - 1)
        assert f"Rij {first + 1} tot en met {last + 1} van {len(rows)}." in text
        assert text.count("\n") == last - first + 1  # one line per row, after the heading line
        assert " · ".join(rows[first]) in text and " · ".join(rows[last]) in text
        if first:
            assert " · ".join(rows[0]) not in text
    method = [s.notes_slide.notes_text_frame.text for s in slides if s.shapes.title.text.startswith("Hoe is dit")]
    assert len(method) >= 2 and method[1].startswith("Vervolg. Punt ") and method[1] not in method[0]


# --- a sparse municipality ------------------------------------------------------------------------


def _sparse(
    factory: Sessions, model: MaturityModel, respondents: int, *, figures: bool = False
) -> tuple[MunicipalityProfile, int]:
    """8 wijken, one round, `respondents` of one role in the first wijk with every slider at 35 (the
    second at 60): no Quickscan, no targets, no actions, no core choices, no boundaries, and figures
    of the wijken (one indicator of each) only with `figures`."""
    with factory.begin() as s:
        m = create_municipality(session=s, name="Nieuwdorp", cbs_code="GM9998")
        wijken = [add_wijk(session=s, municipality_id=m.id, name=name) for name in SPARSE_WIJKEN]
        if figures:
            s.add_all(
                IndicatorValue(unit_id=w.id, indicator="AantalInwoners", year=2025, value=1000.0 + i, source="test")
                for i, w in enumerate(wijken)
            )
        r = create_round(session=s, municipality_id=m.id, label="2026", date=ROUND_DATE)
        for n in range(respondents):
            person = get_or_create_respondent(
                session=s, round_id=r.id, unit_id=wijken[0].id, role="gemeente", label=f"persoon {n + 1}"
            )
            for theme in model.themes:
                save_position(session=s, respondent_id=person.id, theme_id=theme.id, position=35 + 25 * n, model=model)
        mid, rid = m.id, r.id
    with factory() as s:
        mp = municipality_profile(
            session=s, municipality_id=mid, name="Nieuwdorp", model=model, settings=ScoringSettings()
        )
    return mp, rid


MISSING_LINES = [
    "Startpositie (de zes thema's): nog niet voor Gemeente als geheel, ",  # every wijk but Centrum, by name
    "Quickscan (de vijf basisfuncties): nog voor geen enkele wijk ingevuld.",
    "Kaart van de wijken: er zijn nog geen grenzen van de wijken.",
    "Waar beginnen we? (kerncijfer en volwassenheid): nog geen kerncijfers van de wijken.",
    "Voortgang sinds de vorige ronde: te zien vanaf de tweede ronde.",
    "Afstand tot de streefwaarden: nog niet gezet.",
    "Kernkeuzes: nog te maken.",
    "Actieplan: nog geen acties.",
]


def test_a_sparse_deck_says_what_is_missing_in_one_slide(factory: Sessions, model: MaturityModel) -> None:
    mp, rid = _sparse(factory, model, respondents=1)
    briefing = build_briefing(mp, rid, model, today=TODAY)
    assert [s.key for s in briefing.slides] == ["overzicht", "scores", "ontbreekt", "methode"]
    missing = briefing.slides[2]
    assert missing.title == MISSING_TITLE
    for line in MISSING_LINES:
        assert any(b.startswith(line) for b in missing.bullets), line
    assert len(missing.bullets) == len(MISSING_LINES)
    titles = [s.shapes.title.text for s in _deck(briefing).slides]
    assert titles == ["Wijkgericht werken in Nieuwdorp", *(s.title for s in briefing.slides)]  # no empty slides


@pytest.mark.parametrize(
    ("respondents", "figures", "line"),
    [
        (0, False, "Waar beginnen we? (kerncijfer en volwassenheid): nog geen kerncijfers van de wijken."),
        (0, True, "Waar beginnen we? (kerncijfer en volwassenheid): nog geen wijk met een totaalscore in deze ronde."),
    ],
)
def test_where_to_start_says_why_it_is_missing(
    factory: Sessions, model: MaturityModel, respondents: int, figures: bool, line: str
) -> None:
    mp, rid = _sparse(factory, model, respondents, figures=figures)
    briefing = build_briefing(mp, rid, model, today=TODAY, parts=["waar-beginnen"])
    assert [(s.key, s.bullets) for s in briefing.slides] == [("ontbreekt", [line])]


@pytest.mark.parametrize(
    ("respondents", "spread", "untrue"),
    [
        (1, ONE_RESPONDENT, "35–35"),
        (2, "35–60", ONE_RESPONDENT),
    ],
)
def test_a_sparse_deck_and_report_say_nothing_untrue(
    factory: Sessions, model: MaturityModel, tmp_path: Path, respondents: int, spread: str, untrue: str
) -> None:
    mp, rid = _sparse(factory, model, respondents)
    briefing = build_briefing(mp, rid, model, today=TODAY, parts=ALL)
    keys = [s.key for s in briefing.slides]
    assert "perspectieven" not in keys  # one role: nothing to compare
    assert not {"kernkeuzes", "actieplan", "streefwaarden", "voortgang", "kaart", "randvoorwaarden"} & set(keys)
    profiles = [s for s in briefing.slides if s.key.startswith("profiel")]
    assert [s.title for s in profiles] == ["Profiel van Centrum"]  # the only wijk with anything in it
    assert profiles[0].bullets == [NO_QUICKSCAN]
    themes = [row for row in profiles[0].table.rows if row[0] == model.themes_ordered()[0].name]  # type: ignore[union-attr]
    assert themes[0][3] == spread
    deck = _deck_text(_deck(briefing))
    report = _pdf_text(briefing, tmp_path)
    for text in (deck, report):
        assert "Nog geen Quickscan voor deze wijk" in text
        assert "Verschillen tussen rollen: te zien als twee of meer rollen een wijk beoordelen." in text
        assert "Kernkeuzes: nog te maken." in text and "Actieplan: nog geen acties." in text
        assert "Ronde 2026 · 01-02-2026" in text  # the round's date, not the day of the download
        assert TODAY.strftime("%d-%m-%Y") not in text
        for wrong in (NO_POINTS, "Nergens liggen de rollen", "Kernkeuzes (stap 3)", "Actieplan (stap 4)"):
            assert wrong not in text
    assert untrue not in deck  # the spread, in the notes of the profile


def test_spread_text() -> None:
    nan = float("nan")
    cases = [((35.0, 35.0, 1), ONE_RESPONDENT), ((35.0, 60.0, 2), "35–60"), ((nan, nan, 0), "–"), ((1, 2, nan), "–")]
    for args, expected in cases:
        assert spread_text(*args) == expected
