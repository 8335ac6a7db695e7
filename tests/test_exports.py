"""The steering-meeting exports: briefing, deck, report, workbook and the export command."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Emu

from tests.browser import require_chromium
from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.cli import run
from wijkmodel.exports.briefing import build_briefing, chosen_units, previous_round
from wijkmodel.exports.downloads import ExportKind, export, file_name
from wijkmodel.exports.parts import PARTS
from wijkmodel.exports.slides import Briefing
from wijkmodel.exports.workbook import build_workbook
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import find_municipality, settings_of
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import IndicatorValue
from wijkmodel.storage.wijken import add_wijk
from wijkmodel.wijkdata.boundaries import load_unit_geometries

TODAY = dt.date(2026, 11, 23)
HOSTILE = '=HYPERLINK("http://x","klik")'


def _profile(factory: Sessions, model: MaturityModel) -> tuple[MunicipalityProfile, list[int]]:
    with factory() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        mp = municipality_profile(session=s, municipality_id=m.id, name=m.name, model=model, settings=settings_of(m))
        return mp, [r.id for r in rounds(session=s, municipality_id=m.id)]


# --- the briefing: what every export shows ---------------------------------------------------------


def test_the_briefing_of_the_demo_has_every_part(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _profile(demo_factory, model)
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, parts=PARTS)
    keys = [s.key for s in briefing.slides]
    assert keys[:6] == [
        "overzicht",
        "scores",
        "scores-themas",
        "scores-basisfuncties",
        "prioriteiten",  # the wijk-analyse; the map needs the boundaries (see test_wijk_analysis)
        "prioriteiten-lijst",
    ]
    assert "voortgang" in keys  # the demo has an earlier round
    missing = briefing.slides[keys.index("ontbreekt")]  # every step of the cycle is there; no boundaries given
    assert missing.bullets == [  # and the demo is in no region
        "Kaart van de wijken: er zijn nog geen grenzen van de wijken.",
        "De regio: de gemeenten naast elkaar: deze gemeente zit in geen regio, of geen andere gemeente van haar regio "
        "deelt haar scores.",
    ]
    assert keys[-3:] == ["profiel-9", "uitleg", "bronnen"]  # the appendices last
    profiles = [s for s in briefing.slides if s.key.startswith("profiel")]
    assert len(profiles) == 9  # 8 wijken and the municipality as a whole, all assessed in the demo
    for slide in briefing.slides:
        if slide.figure is not None:
            assert slide.alt_text.startswith(slide.title) and any(c.isdigit() for c in slide.alt_text)
            assert slide.notes  # the numbers behind the chart
    hoven = next(s for s in profiles if s.title == "Profiel van De Hoven")
    assert len(hoven.bullets) >= 3 and all("fase" in b for b in hoven.bullets)  # talking points
    assert briefing.subtitle.endswith("13-03-2026")  # the round's date, not the day it was made
    # core choice 2 (the conclusion) and its follow-up (the role) both go into the deck and the report
    choices = next(s for s in briefing.slides if s.key == "kernkeuzes")
    assert choices.table is not None
    assert [r[:2] for r in choices.table.rows] == [
        ["Veranderkundige visie", "Evolutionair, partners in de wijk bepalen het tempo"],
        ["Rol van het toegangsteam", "Moet worden bijgesteld"],
        ["Rol die past bij de ambitie", "Toegang en lichte hulp en ondersteuning"],
    ]
    assert "Rol die past bij de ambitie: Welke rol past bij de ambitie?" in choices.notes


def test_the_first_round_has_no_progress_slide(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _profile(demo_factory, model)
    assert previous_round(mp, round_ids[0]) is None
    assert previous_round(mp, round_ids[1]) == (round_ids[0], "2025")
    slides = build_briefing(mp, round_ids[0], model, today=TODAY).slides
    assert "voortgang" not in [s.key for s in slides]
    missing = next(s for s in slides if s.key == "ontbreekt")  # said once, not an empty slide
    assert "Voortgang sinds de vorige ronde: te zien vanaf de tweede ronde." in missing.bullets


def test_a_choice_of_wijken_limits_every_slide(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _profile(demo_factory, model)
    briefing = build_briefing(
        mp, round_ids[-1], model, today=TODAY, wijken=["de hoven", " Het Ven "], parts=["totaalfase", "profielen"]
    )
    overview = briefing.slides[0]
    assert overview.table is not None and [r[0] for r in overview.table.rows] == ["De Hoven", "Het Ven"]
    assert [s.title for s in briefing.slides if s.key.startswith("profiel")] == [
        "Profiel van De Hoven",
        "Profiel van Het Ven",
    ]


def test_an_unknown_wijk_is_refused_by_name(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, _ = _profile(demo_factory, model)
    with pytest.raises(InputError, match="Wijk 'Atlantis' bestaat niet bij Voorbeeldstad"):
        chosen_units(mp, ["De Hoven", "Atlantis"])


def test_file_names_are_safe() -> None:
    assert (
        file_name(ExportKind.PPTX, "Súdwest-Fryslân", "2026/1") == "wijkmodel-súdwest-fryslân-2026-1-presentatie.pptx"
    )
    assert file_name(ExportKind.XLSX, "'s-Hertogenbosch", None) == "wijkmodel-s-hertogenbosch-alle-rondes-gegevens.xlsx"


# --- workbook (no browser needed) -----------------------------------------------------------------


@pytest.fixture
def hostile_factory(demo_factory: Sessions, model: MaturityModel) -> Sessions:
    """The demo with a wijk and a note whose text a spreadsheet would run as a formula."""
    with demo_factory.begin() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        wijk = add_wijk(session=s, municipality_id=m.id, name=HOSTILE)
        latest = rounds(session=s, municipality_id=m.id)[-1]
        respondent = get_or_create_respondent(session=s, round_id=latest.id, unit_id=wijk.id, role="gemeente")
        save_position(
            session=s, respondent_id=respondent.id, theme_id="visie_inspiratie", position=40, note="-1+1", model=model
        )
        s.add_all(
            IndicatorValue(unit_id=wijk.id, indicator=indicator, year=year, value=value, source=source)
            for indicator, year, value, source in [
                ("k_65JaarOfOuder", 2024, 310.0, "CBS 85984NED"),
                ("AantalInwoners", 2024, 1234.0, HOSTILE),
                ("=1+1", 2024, 0.125, "eigen bestand"),
                ("AantalInwoners", 2022, 1200.0, "CBS 85039NED"),
            ]
        )
    return demo_factory


def test_the_workbook_has_every_kind_on_its_own_sheet_and_no_formula(
    hostile_factory: Sessions, model: MaturityModel
) -> None:
    mp, _ = _profile(hostile_factory, model)
    with hostile_factory() as s:
        data = build_workbook(session=s, mp=mp, model=model, today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Over dit bestand",
        "Wijken",
        "Kerncijfers",
        "Rondes",
        "Invullers",
        "Totaal per wijk",
        "Scores",
        "Schuifjes",
        "Antwoorden",
        "Toelichtingen",
        "Gesprekspunten",
        "Randvoorwaarden",
        "ZET",
        "Streefwaarden",
        "Energie",
        "Kernkeuzes",
        "Acties",
        "Geschiedenis",
    ]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    wijken = [row[0] for row in book["Wijken"].iter_rows(min_row=2, values_only=True)]
    assert HOSTILE in wijken and set(DEMO) <= set(wijken)  # the hostile name round-trips as text
    hostile_cell = next(c for c in book["Wijken"]["A"] if c.value == HOSTILE)
    assert hostile_cell.data_type == "s" and hostile_cell.quotePrefix
    notes = [row[5] for row in book["Toelichtingen"].iter_rows(min_row=2, values_only=True)]
    assert "-1+1" in notes
    scores = list(book["Scores"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[4], float | int) for r in scores if r[4] is not None)  # numbers stay numbers
    assert {r[0] for r in book["Rondes"].iter_rows(min_row=2, values_only=True)} == {"2025", "2026"}
    answers = list(book["Antwoorden"].iter_rows(min_row=2, values_only=True))
    assert answers and all(r[7] for r in answers)  # every answer with its question text
    # the improvement cycle: targets with real dates, the plan, the choices and every change
    targets = list(book["Streefwaarden"].iter_rows(min_row=2, values_only=True))
    assert len(targets) == 11 and all(isinstance(r[2], float | int) for r in targets)
    actions = list(book["Acties"].iter_rows(min_row=2, values_only=True))
    assert next(r[2] for r in actions) == "Visie op wijkgericht werken samen met partners opschrijven"
    assert {
        ("2026", "Veranderkundige visie"),
        ("2026", "Rol van het toegangsteam"),
        ("2026", "Rol die past bij de ambitie"),
    } <= {r[:2] for r in book["Kernkeuzes"].iter_rows(min_row=2, values_only=True)}
    changes = list(book["Geschiedenis"].iter_rows(min_row=2, values_only=True))
    assert any(r[1] == HOSTILE and r[5] == "schuifje" for r in changes)
    # the wijk-analyse: one row per wijk, indicator and year, readable, numbers as numbers, text as text
    sheet = book["Kerncijfers"]
    assert [c.value for c in sheet[1]] == ["Wijk", "Code", "Kerncijfer", "Jaar", "Waarde", "Bron"]
    figures = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r for r in figures if r[0] == HOSTILE] == [
        (HOSTILE, None, "65 jaar of ouder", 2024, 310, "CBS 85984NED"),
        (HOSTILE, None, "=1+1", 2024, 0.125, "eigen bestand"),
        (HOSTILE, None, "Aantal inwoners", 2022, 1200, "CBS 85039NED"),
        (HOSTILE, None, "Aantal inwoners", 2024, 1234, HOSTILE),
    ]
    hostile_texts = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value in (HOSTILE, "=1+1")]
    assert len(hostile_texts) == 6 and all(c.data_type == "s" and c.quotePrefix for c in hostile_texts)
    demo_figures = [r for r in figures if r[0] != HOSTILE]  # the demo's own figures, with its wijk codes
    assert {r[0] for r in demo_figures} <= {"Gemeente als geheel", *DEMO}
    assert all(str(r[1]).startswith("WK") for r in demo_figures if r[0] != "Gemeente als geheel")
    assert [r[0] for r in figures] == sorted(
        (r[0] for r in figures), key=lambda n: (n != "Gemeente als geheel", n.casefold())
    )  # in the order of the sheet Wijken


def test_the_workbook_can_be_limited_to_one_round_and_some_wijken(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids = _profile(demo_factory, model)
    with demo_factory() as s:
        data = build_workbook(
            session=s, mp=mp, model=model, today=TODAY, round_ids=[round_ids[0]], unit_ids=chosen_units(mp, ["Het Ven"])
        )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert [r[0] for r in book["Wijken"].iter_rows(min_row=2, values_only=True)] == ["Het Ven"]
    assert {r[:2] for r in book["Scores"].iter_rows(min_row=2, values_only=True)} == {("2025", "Het Ven")}
    # figures are not per round: Het Ven's, of every year
    figures = list(book["Kerncijfers"].iter_rows(min_row=2, values_only=True))
    assert figures and {r[0] for r in figures} == {"Het Ven"}


DEMO = ["De Hoven", "Oude Haven", "Kerkebuurt", "Molenwijk", "Noorderpark", "Het Ven", "Stationskwartier", "Zonnehoek"]


# --- deck and report (need the browser for the chart images) --------------------------------------


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory, model: MaturityModel) -> tuple[bytes, bytes, Briefing]:
    """Deck (the default parts) and report (every part) of the demo, made once for the tests below; the
    briefing is the deck's."""
    require_chromium()
    from wijkmodel.demo.municipality import add_demo
    from wijkmodel.storage.db import make_engine, make_sessionmaker
    from wijkmodel.storage.tables import Base

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('exports')}/demo.sqlite")
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    with factory.begin() as s:
        add_demo(session=s, model=model)
    mp, round_ids = _profile(factory, model)
    with factory() as s:
        deck = export(ExportKind.PPTX, session=s, mp=mp, round_id=round_ids[-1], model=model, today=TODAY)
        report = export(ExportKind.PDF, session=s, mp=mp, round_id=round_ids[-1], model=model, today=TODAY, parts=PARTS)
        geometries = load_unit_geometries(session=s, unit_ids=[int(u) for u in mp.frames.units["unit"]])
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, geometries=geometries)
    assert "kaart" in [slide.key for slide in briefing.slides]
    return deck, report, briefing


def test_the_deck_is_16_9_with_titles_pictures_tables_and_notes(demo_files: tuple[bytes, bytes, Briefing]) -> None:
    deck, _, briefing = demo_files
    prs = Presentation(io.BytesIO(deck))
    assert (prs.slide_width, prs.slide_height) == (Emu(12191695), Emu(6858000)) or abs(
        prs.slide_width / prs.slide_height - 16 / 9
    ) < 0.01
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == "Wijkgericht werken in Voorbeeldstad"
    assert titles[1:] == [slide.title for slide in briefing.slides]  # every briefing slide, in order
    assert len(titles) <= 12  # a deck a steering group can sit through (issue 16)
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
    ]  # the default parts (DEFAULT_PARTS), every one with something to show
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == len(briefing.figures())
    for picture in pictures:
        alt = picture._element.nvPicPr.cNvPr.get("descr")
        assert alt and any(ch.isdigit() for ch in alt)
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    assert tables and tables[0].cell(0, 0).text == "Wijk"
    tables[0].cell(1, 0).text = "bewerkt"  # editable: real table cells, not a picture
    assert tables[0].cell(1, 0).text == "bewerkt"
    overview = next(s for s in prs.slides if s.shapes.title.text == "Totaalfase per wijk")
    notes = overview.notes_slide.notes_text_frame.text
    assert "Molenwijk: fase 4" in notes and "6 van 6 thema's" in notes
    assert prs.core_properties.title == "Wijkgericht werken in Voorbeeldstad"


def test_every_deck_text_fits_its_slide(demo_files: tuple[bytes, bytes, Briefing]) -> None:
    deck, _, _ = demo_files
    prs = Presentation(io.BytesIO(deck))
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= prs.slide_width, (slide.shapes.title.text, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (slide.shapes.title.text, shape.name)


def test_the_report_has_searchable_text_a_contents_page_numbers_title_and_language(
    demo_files: tuple[bytes, bytes, Briefing], tmp_path: Path
) -> None:
    _, report, briefing = demo_files
    assert report.startswith(b"%PDF")
    assert b"/Lang (nl-NL)" in report
    path = tmp_path / "verslag.pdf"
    path.write_bytes(report)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext ontbreekt (apt-get install poppler-utils)") if not _ci() else pytest.fail("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert "Title:           Wijkgericht werken in Voorbeeldstad · ronde 2026" in info
    assert count >= len([s for s in briefing.slides if s.figure is not None]) + 2
    assert "Inhoud" in pages[1] and "Profiel van De Hoven" in pages[1]
    assert f"Pagina 2 van {count}" in pages[1]
    assert "Molenwijk" in text and "79,7" in text  # numbers are text, not only pictures
    assert "Bronnen" in pages[count - 1] or "Bronnen" in pages[count - 2]


def _ci() -> bool:
    import os

    return os.environ.get("CI", "").lower() == "true"


# --- command line ----------------------------------------------------------------------------------


def test_export_xlsx_from_the_command_line(demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gegevens.xlsx"
    assert run(["export", "xlsx", "--out", str(out), "--wijken", "De Hoven,Het Ven", "--ronde", "2026"]) == 0
    book = openpyxl.load_workbook(out)
    assert [r[0] for r in book["Wijken"].iter_rows(min_row=2, values_only=True)] == ["De Hoven", "Het Ven"]
    assert "Gegevens van Voorbeeldstad geschreven naar" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["pptx", "pdf"])
def test_export_deck_and_report_from_the_command_line(demo_db: str, tmp_path: Path, kind: str) -> None:
    require_chromium()
    out = tmp_path / f"stuk.{kind}"
    argv = ["export", kind, "--out", str(out), "--wijken", "Molenwijk", "--onderdelen", "totaalfase,profielen"]
    assert run(argv) == 0
    data = out.read_bytes()
    assert data.startswith(b"PK" if kind == "pptx" else b"%PDF")
    if kind == "pptx":
        titles = [s.shapes.title.text for s in Presentation(io.BytesIO(data)).slides]
        assert titles[1:] == ["Totaalfase per wijk", "Profiel van Molenwijk"]
    assert not list(tmp_path.glob(".*deels"))  # no half-written file left behind


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "pptx", "--out", "x.pptx", "--gemeente", "Atlantis"], "Gemeente 'Atlantis' bestaat niet"),
        (["export", "pdf", "--out", "x.pdf", "--ronde", "1999"], "Ronde '1999' bestaat niet bij Voorbeeldstad"),
        (["export", "xlsx", "--out", "x.xlsx", "--wijken", "Nergens"], "Wijk 'Nergens' bestaat niet"),
        (["export", "pptx", "--out", "x.pptx", "--onderdelen", "kaart,zet"], "Onderdeel 'zet' bestaat niet"),
        (["export", "xlsx", "--out", "x.xlsx", "--onderdelen", "kaart"], "--onderdelen geldt alleen voor pptx en pdf"),
        (["export", "xlsx", "--out", "/geen/map/x.xlsx"], "Kan niet schrijven naar /geen/map/x.xlsx"),
    ],
)
def test_bad_export_arguments_exit_2_with_a_clear_message(
    demo_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(argv) == 2
    assert message in capsys.readouterr().err
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("test.sqlite")]  # nothing written


def test_an_unknown_export_kind_is_refused(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(["export", "docx", "--out", "x.docx"])
    assert exit_.value.code == 2
    assert "ongeldige keuze" in capsys.readouterr().err


def test_profile_slides_are_built_only_when_asked(demo_factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.exports.slides import Slide

    mp, round_ids = _profile(demo_factory, model)
    round_id = round_ids[-1]
    briefing = build_briefing(mp, round_id, model, today=TODAY, parts=PARTS)
    later = [i for i, part in enumerate(briefing.parts) if not isinstance(part, Slide)]
    assert later and all(briefing.slide(i).key.startswith(("profiel", "praktijk")) for i in later)
    assert [briefing.slide(i).key for i in range(len(briefing))] == [s.key for s in briefing.slides]
