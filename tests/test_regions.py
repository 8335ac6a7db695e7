"""Regions (issue 20): who sees which member (table-driven), who may change a region, the history,
and the comparison's numbers (basis, round matching, mean, ranking, progress, wijken)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from sqlalchemy import select

from wijkmodel.analysis import region as R
from wijkmodel.analysis.summary import municipality_profile
from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup
from wijkmodel.exports.briefing import build_briefing
from wijkmodel.exports.downloads import ExportKind, export
from wijkmodel.exports.images import browser_path
from wijkmodel.exports.region import municipality_regions, region_slides, region_workbook
from wijkmodel.exports.region_deck import region_deck
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.storage.access import EVERYONE, Actor, NotAllowed
from wijkmodel.storage.accounts import account_for_login, set_role
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.history import history
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.regions import (
    create_region,
    delete_region,
    find_region,
    member_ids,
    rename_region,
    set_coordinator,
    set_members,
    set_sharing,
    visible_members,
    visible_regions,
)
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import AccountRole, RegionMember, RegionSharing, Unit
from wijkmodel.storage.wijken import add_wijk

ISSUER = "http://127.0.0.1:9400"
TODAY = dt.date(2026, 12, 5)
SHARING = {"Aadorp": RegionSharing.WIJKEN, "Beestad": RegionSharing.TOTALS, "Ceeveen": None}


def _place(s, model: MaturityModel, unit_id: int, round_id: int, value: float) -> None:  # type: ignore[no-untyped-def]
    respondent = get_or_create_respondent(session=s, round_id=round_id, unit_id=unit_id, role="gemeente")
    for theme in model.themes_ordered():
        save_position(session=s, respondent_id=respondent.id, theme_id=theme.id, model=model, position=value)


@pytest.fixture
def region(factory: Sessions, model: MaturityModel) -> dict[str, object]:
    """Three municipalities (one shares its wijken, one its totals, one nothing) with two wijken and
    rounds; accounts: a coordinator, a beheerder of Aadorp, someone without a role."""
    with factory.begin() as s:
        ids = {}
        for n, (name, level) in enumerate(SHARING.items()):
            m = create_municipality(session=s, name=name)
            ids[name] = m.id
            add_wijk(session=s, municipality_id=m.id, name="Noord")
            add_wijk(session=s, municipality_id=m.id, name="Zuid")
            s.flush()
            units = {u.name: u.id for u in s.scalars(select(Unit).where(Unit.municipality_id == m.id))}
            # labels differ per municipality, years agree: matching by year finds them all
            for label, day, base in (
                (f"{name[0]}-2025", dt.date(2025, 3, 1), 20.0),
                ("2026", dt.date(2026, 3, 1), 40.0),
            ):
                r = create_round(session=s, municipality_id=m.id, label=label, date=day)
                s.flush()
                _place(s, model, units["Gemeente als geheel"], r.id, base + 10 * n)
                _place(s, model, units["Noord"], r.id, base + 10 * n + 10)
                _place(s, model, units["Zuid"], r.id, base + 10 * n + 30)
            set_sharing(session=s, municipality_id=m.id, level=level)
        reg = create_region(session=s, name="Regio Test", municipality_ids=list(ids.values()))
        actors = {"iedereen": EVERYONE}
        for who in ("coordinator", "beheerder-a", "niemand"):
            account = account_for_login(session=s, issuer=ISSUER, subject=who, email=f"{who}@test.nl")
            actors[who] = Actor(account.id, account.email)
        set_role(
            session=s,
            municipality_id=ids["Aadorp"],
            account_id=actors["beheerder-a"].account_id or 0,
            role=AccountRole.ADMIN,
        )
        set_coordinator(session=s, region_id=reg.id, email="coordinator@test.nl", coordinates=True)
        return {"ids": ids, "region": reg.id, "actors": actors}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # without login every member shows, with its wijken
        ("iedereen", {"Aadorp": True, "Beestad": True, "Ceeveen": True}),
        # a coordinator: the sharing members only; wijken only where shared
        ("coordinator", {"Aadorp": True, "Beestad": False}),
        # a beheerder of a member: its own municipality in full, the others as they share
        ("beheerder-a", {"Aadorp": True, "Beestad": False}),
        # no role anywhere, no coordinator: nothing
        ("niemand", {}),
    ],
)
def test_who_sees_which_member(factory: Sessions, region: dict, who: str, expected: dict[str, bool]) -> None:
    actor = region["actors"][who]
    with factory() as s:
        seen = visible_members(session=s, region_id=region["region"], actor=actor)
        regions = visible_regions(session=s, actor=actor)
    assert {m.name: m.wijken for m in seen} == expected
    assert [r.id for r in regions] == ([region["region"]] if expected else [])


def test_an_invitation_link_sees_no_region(factory: Sessions, region: dict) -> None:
    with factory() as s:
        assert visible_members(session=s, region_id=region["region"], actor=Actor(None, invitation_id=1)) == []


def test_a_municipality_that_stops_sharing_disappears_at_once(factory: Sessions, region: dict) -> None:
    with factory.begin() as s:
        set_sharing(session=s, municipality_id=region["ids"]["Beestad"], level=None)
    with factory() as s:
        seen = visible_members(session=s, region_id=region["region"], actor=region["actors"]["coordinator"])
        changes = history(session=s, municipality_id=region["ids"]["Beestad"])
    assert [m.name for m in seen] == ["Aadorp"]
    assert "niet delen" in set(changes["new"])


def test_only_a_beheerder_of_a_municipality_puts_it_in_a_region(factory: Sessions, region: dict) -> None:
    ids = region["ids"]
    with factory.begin() as s:
        other = create_region(session=s, name="Andere regio")
    with pytest.raises(NotAllowed), factory.begin(actor=region["actors"]["beheerder-a"]) as s:
        set_members(session=s, region_id=other.id, municipality_ids=[ids["Aadorp"], ids["Beestad"]])
    with factory() as s:  # refused as a whole: Aadorp was not added either
        assert s.scalars(select(RegionMember).where(RegionMember.region_id == other.id)).all() == []
    with factory.begin(actor=region["actors"]["beheerder-a"]) as s:
        set_members(session=s, region_id=other.id, municipality_ids=[ids["Aadorp"]])
    with pytest.raises(NotAllowed), factory.begin(actor=region["actors"]["coordinator"]) as s:
        create_region(session=s, name="Van de coördinator")


@pytest.mark.parametrize(
    ("who", "meanwhile", "seen", "wanted", "refused"),
    [
        # nothing changed since the screen was drawn: saved
        ("iedereen", [], ["Aadorp", "Beestad", "Ceeveen"], ["Aadorp", "Beestad"], False),
        # a colleague took Ceeveen out meanwhile: the screen still showed it, so nothing is saved
        ("iedereen", ["Aadorp", "Beestad"], ["Aadorp", "Beestad", "Ceeveen"], ["Aadorp", "Ceeveen"], True),
        # a colleague already made the same change: nothing to overwrite
        ("iedereen", ["Aadorp", "Beestad"], ["Aadorp", "Beestad"], ["Aadorp"], False),
        # with login only the municipalities the person may choose count: Beestad left meanwhile,
        # which the beheerder of Aadorp neither sees nor changes (the page keeps it as it is)
        ("beheerder-a", ["Aadorp", "Ceeveen"], ["Aadorp", "Beestad", "Ceeveen"], ["Ceeveen"], False),
        ("beheerder-a", ["Beestad", "Ceeveen"], ["Aadorp", "Beestad", "Ceeveen"], ["Beestad", "Ceeveen"], True),
    ],
)
def test_a_colleague_s_change_of_the_members_is_never_overwritten(
    factory: Sessions,
    region: dict,
    who: str,
    meanwhile: list[str],
    seen: list[str],
    wanted: list[str],
    refused: bool,
) -> None:
    ids, region_id = region["ids"], region["region"]
    if meanwhile:
        with factory.begin() as s:
            set_members(session=s, region_id=region_id, municipality_ids=[ids[n] for n in meanwhile])
    with factory() as s:
        before = member_ids(session=s, region_id=region_id)
    expectation = (
        pytest.raises(InputError, match="iemand anders heeft de gemeenten net veranderd")
        if refused
        else contextlib.nullcontext()
    )
    with expectation, factory.begin(actor=region["actors"][who]) as s:
        set_members(
            session=s,
            region_id=region_id,
            municipality_ids=[ids[n] for n in wanted],
            seen_members=[ids[n] for n in seen],
        )
    with factory() as s:
        if refused:  # nothing changed
            assert member_ids(session=s, region_id=region_id) == before
        else:
            assert sorted(member_ids(session=s, region_id=region_id)) == sorted(ids[n] for n in wanted)


def test_a_colleague_s_new_name_is_never_overwritten(factory: Sessions, region: dict) -> None:
    region_id = region["region"]
    with factory.begin() as s:
        rename_region(session=s, region_id=region_id, name="Regio Noord", seen_name="Regio Test")
    with pytest.raises(InputError, match="net veranderd in 'Regio Noord'"), factory.begin() as s:
        rename_region(session=s, region_id=region_id, name="Regio Zuid", seen_name="Regio Test")
    with factory() as s:
        assert (
            find_region(session=s, name="Regio Noord") is not None and find_region(session=s, name="Regio Zuid") is None
        )


def test_a_bad_region_name_is_refused_in_dutch(factory: Sessions, region: dict) -> None:
    for name, words in (("", "mag niet leeg zijn"), ("Regio test", "er is al een regio")):
        with pytest.raises(InputError, match=words), factory.begin() as s:
            create_region(session=s, name=name)


@pytest.fixture
def data(factory: Sessions, region: dict, model: MaturityModel) -> R.RegionData:
    with factory() as s:
        members = visible_members(session=s, region_id=region["region"], actor=EVERYONE)
        return R.load_region(session=s, region="Regio Test", members=members, model=model)


THEME = "visie_inspiratie"


@pytest.mark.parametrize(
    ("basis", "match", "key", "expected"),
    [
        # as a whole: 40, 50, 60 in 2026; the mean of the wijken is 20 higher (wijken +10 and +30)
        (R.WHOLE, R.BY_LABEL, "2026", {"Aadorp": 40, "Beestad": 50, "Ceeveen": 60}),
        (R.WIJKEN, R.BY_LABEL, "2026", {"Aadorp": 60, "Beestad": 70, "Ceeveen": 80}),
        # labels of 2025 differ: by label one municipality matches, by year all three
        (R.WHOLE, R.BY_LABEL, "A-2025", {"Aadorp": 20, "Beestad": math.nan, "Ceeveen": math.nan}),
        (R.WHOLE, R.BY_YEAR, "2025", {"Aadorp": 20, "Beestad": 30, "Ceeveen": 40}),
    ],
)
def test_the_comparison_scores_each_municipality(
    data: R.RegionData, model: MaturityModel, basis: str, match: str, key: str, expected: dict[str, float]
) -> None:
    comparison = R.compare(data, model, key=key, match=match, basis=basis)
    got = comparison.scores[THEME].to_dict()
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        assert (math.isnan(got[name]) and math.isnan(value)) or got[name] == pytest.approx(value)
    known = [v for v in expected.values() if not math.isnan(v)]
    assert comparison.mean[THEME] == pytest.approx(sum(known) / len(known))
    if match == R.BY_LABEL and key == "A-2025":
        assert comparison.rounds == {"Aadorp": "A-2025", "Beestad": R.NO_ROUND, "Ceeveen": R.NO_ROUND}


def test_ranking_and_progress(data: R.RegionData, model: MaturityModel) -> None:
    after = R.compare(data, model, key="2026", match=R.BY_YEAR)
    before = R.compare(data, model, key="2025", match=R.BY_YEAR)
    assert list(R.ranking(after, THEME).index) == ["Ceeveen", "Beestad", "Aadorp"]
    table = R.ranking_table(R.ranking(after, THEME), model)
    assert table["Plaats"].tolist() == ["1", "2", "3"] and table["Fase"].tolist() == ["fase 3", "fase 3", "fase 2"]
    tied = pd.Series([70.0, 70.0, 50.0, math.nan], index=["A", "B", "C", "D"], name=THEME)
    assert R.ranking_table(tied, model)["Plaats"].tolist() == ["1", "1", "3", ""]  # equal scores share a place
    moved = R.progress(before, after, THEME)
    assert moved["change"].tolist() == [20.0, 20.0, 20.0]
    shown = R.progress_table(moved, before, after)
    assert shown["Verschil"].tolist() == ["+20", "+20", "+20"]


def test_the_region_s_slides_rank_the_municipalities_and_tabulate_the_randvoorwaarden(
    data: R.RegionData, model: MaturityModel
) -> None:
    after = R.compare(data, model, key="2026", match=R.BY_YEAR)
    slides = {s.key: s for s in region_slides(after, model, TODAY, item=THEME)}
    ranked = slides["regio-volgorde"]
    assert ranked.figure is not None and "op volgorde" in ranked.title
    places = [line.split(" · ")[:2] for line in ranked.notes.splitlines()[1:]]
    assert places == [["1", "Ceeveen"], ["2", "Beestad"], ["3", "Aadorp"]]
    assert not any("randvoorwaarden" in key for key in slides)  # nobody answered them
    # one municipality answered the Randvoorwaarden: a heatmap, and a table beside it
    scores = after.scores.copy()
    scores.loc["Beestad", "financiering"] = 62.5
    answered = dataclasses.replace(after, scores=scores, mean=scores.mean())
    slides = {s.key: s for s in region_slides(answered, model, TODAY)}
    assert slides["regio-randvoorwaarden"].figure is not None and "regio-volgorde" not in slides
    table = slides["regio-randvoorwaarden-tabel-1"].table
    assert table is not None and table.columns[:3] == ["Gemeente", "Ronde", "Gedeelde visie"]
    beestad = dict(zip(table.columns, next(r for r in table.rows if r[0] == "Beestad"), strict=True))
    assert beestad["Financiering"] == "62,5 (fase 3)" and beestad["Leren"] == "–"


def test_wijken_only_of_members_that_share_them(factory: Sessions, region: dict, model: MaturityModel) -> None:
    with factory() as s:
        members = visible_members(session=s, region_id=region["region"], actor=region["actors"]["coordinator"])
        data = R.load_region(session=s, region="Regio Test", members=members, model=model)
    comparison = R.compare(data, model, key="2026")
    wijken = R.wijk_scores(data, comparison, THEME, model)
    assert set(wijken["Gemeente"]) == {"Aadorp"}
    assert wijken["Wijk"].tolist() == ["Noord", "Zuid"]
    assert "Ceeveen" not in R.heatmap_table(comparison, model).index


def test_the_backup_keeps_the_regions_and_the_sharing(
    factory: Sessions, region: dict, model: MaturityModel, tmp_path: Path
) -> None:
    with factory() as s:
        text = export_municipality(session=s, municipality_id=region["ids"]["Aadorp"], model=model)
    data = json.loads(text)
    assert data["format_version"] == 8
    assert data["municipality"]["regions"] == ["Regio Test"]
    assert data["municipality"]["settings"]["region_sharing"] == "wijken"
    # into another server: the region is made there, the sharing kept; export -> import -> export is identical
    other = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}"))
    with other.begin() as s:
        import_backup(session=s, text=text, model=model)
    with other() as s:
        again = find_region(session=s, name="Regio Test")
        assert again is not None and len(member_ids(session=s, region_id=again.id)) == 1
        restored = find_municipality(session=s, name="Aadorp")
        assert restored is not None
        assert export_municipality(session=s, municipality_id=restored.id, model=model) == text
    # replaced in its own server: it stays in its region, which keeps its other members
    with factory.begin() as s:
        import_backup(session=s, text=text, model=model, replace=True)
    with factory() as s:
        assert len(member_ids(session=s, region_id=region["region"])) == 3


def test_a_region_named_twice_in_a_backup_is_refused(factory: Sessions, region: dict, model: MaturityModel) -> None:
    with factory() as s:
        data = json.loads(export_municipality(session=s, municipality_id=region["ids"]["Beestad"], model=model))
    data["municipality"]["regions"] = ["Regio Test", "regio  test"]
    data["municipality"]["name"] = "Nieuw"
    with pytest.raises(InputError, match=r"municipality\.regions: de regio 'regio test' komt twee keer voor"):
        import_backup(session=factory(), text=json.dumps(data), model=model)
    data["municipality"]["settings"]["region_sharing"] = "alles"
    data["municipality"]["regions"] = ["Regio Test"]
    with pytest.raises(InputError, match="region_sharing"), factory.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)


def _texts_of_workbook(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def _texts_of_deck(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            texts.append(shape._element.xml if shape.shape_type == 13 else "")  # a picture's alt text
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts)


@pytest.mark.sqlite_only("the documents do not depend on the database")
@pytest.mark.parametrize(("who", "hidden"), [("coordinator", ["Ceeveen"]), ("iedereen", [])])
def test_a_municipality_that_does_not_share_is_in_no_document(
    factory: Sessions, region: dict, model: MaturityModel, who: str, hidden: list[str]
) -> None:
    with factory() as s:
        members = visible_members(session=s, region_id=region["region"], actor=region["actors"][who])
        data = R.load_region(session=s, region="Regio Test", members=members, model=model)
    after = R.compare(data, model, key="2026", match=R.BY_YEAR)
    before = R.compare(data, model, key="2025", match=R.BY_YEAR)
    book = _texts_of_workbook(region_workbook(data, after, model, dt.date(2026, 12, 5), before=before))
    documents = [book]
    if browser_path() is not None:
        documents.append(_texts_of_deck(region_deck(after, model, dt.date(2026, 12, 5), before=before, item=THEME)))
    for text in documents:
        for name in ["Aadorp", "Beestad", "Ceeveen"]:
            assert (name in text) == (name not in hidden), name
    # Beestad shares its totals only: no wijk of it in the workbook's sheet of wijken
    wijken = openpyxl.load_workbook(io.BytesIO(region_workbook(data, after, model, dt.date(2026, 12, 5))))[
        "Regio wijken"
    ]
    shown = {row[0] for row in wijken.iter_rows(min_row=2, values_only=True)}
    assert shown == ({"Aadorp"} if who == "coordinator" else {"Aadorp", "Beestad", "Ceeveen"})


@pytest.mark.sqlite_only("the documents do not depend on the database")
@pytest.mark.parametrize(
    ("whose", "who", "shown"),
    [
        # a municipality's own documents: itself and the members that share, also made without login
        ("Aadorp", "beheerder-a", {"Aadorp", "Beestad"}),
        ("Aadorp", "iedereen", {"Aadorp", "Beestad"}),
        # Ceeveen shares nothing, but its own documents show itself beside those that share
        ("Ceeveen", "iedereen", {"Aadorp", "Beestad", "Ceeveen"}),
    ],
)
def test_a_municipality_s_own_documents_show_only_members_that_share(
    factory: Sessions, region: dict, model: MaturityModel, whose: str, who: str, shown: set[str]
) -> None:
    viewer = region["actors"][who]
    with factory() as s:
        mp = municipality_profile(
            session=s, municipality_id=region["ids"][whose], name=whose, model=model, settings=ScoringSettings()
        )
        book = export(ExportKind.XLSX, session=s, mp=mp, round_id=None, model=model, today=TODAY, viewer=viewer)
        sheet = openpyxl.load_workbook(io.BytesIO(book))["Regio"]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert {row[2] for row in rows} == shown
        # labels of 2025 differ per municipality: matched by year instead, and the sheet says so
        assert any(row[1] == f"{whose[0]}-2025 (jaar 2025)" for row in rows)
        if browser_path() is None:
            return
        round_id = int(mp.frames.rounds["round"].iloc[-1])
        deck = export(
            ExportKind.PPTX,
            session=s,
            mp=mp,
            round_id=round_id,
            model=model,
            today=TODAY,
            parts=["regio"],
            viewer=viewer,
        )
    text = _texts_of_deck(deck)
    assert "Regio Test: de gemeenten naast elkaar" in text
    for name in ["Aadorp", "Beestad", "Ceeveen"]:
        assert (name in text) == (name in shown), name


def test_the_part_regio_says_when_there_is_nothing_to_compare(
    factory: Sessions, region: dict, model: MaturityModel
) -> None:
    with factory() as s:
        mp = municipality_profile(
            session=s, municipality_id=region["ids"]["Aadorp"], name="Aadorp", model=model, settings=ScoringSettings()
        )
        alone = municipality_regions(
            session=s, municipality_id=region["ids"]["Aadorp"], model=model, viewer=region["actors"]["niemand"]
        )
    assert alone == []
    round_id = int(mp.frames.rounds["round"].iloc[-1])
    briefing = build_briefing(mp, round_id, model, today=TODAY, parts=["regio"], region=[])
    assert any("zit in geen regio" in line for s in briefing.slides for line in s.bullets)


@pytest.mark.sqlite_only("the documents do not depend on the database")
def test_names_in_the_region_s_workbook_are_never_formulas(
    factory: Sessions, region: dict, model: MaturityModel
) -> None:
    from tests.test_safe_output import assert_xlsx_is_formula_safe

    hostile = '=HYPERLINK("http://x","klik")'
    with factory.begin() as s:
        rename_region(session=s, region_id=region["region"], name=hostile)
        for unit in s.scalars(select(Unit).where(Unit.name == "Noord")):
            unit.name = "@SUM(A1)"
    with factory() as s:
        members = visible_members(session=s, region_id=region["region"], actor=EVERYONE)
        data = R.load_region(session=s, region=hostile, members=members, model=model)
    after = R.compare(data, model, key="2026", match=R.BY_YEAR)
    before = R.compare(data, model, key="2025", match=R.BY_YEAR)
    texts = assert_xlsx_is_formula_safe(region_workbook(data, after, model, TODAY, before=before))
    assert hostile in texts and "@SUM(A1)" in texts  # kept as typed, as text


def test_a_beheerder_makes_a_region_with_one_of_their_own_municipalities(factory: Sessions, region: dict) -> None:
    beheerder = region["actors"]["beheerder-a"]
    refused = pytest.raises(InputError, match="kies minstens één gemeente waarvan u beheerder bent")
    with refused, factory.begin(actor=beheerder) as s:
        create_region(session=s, name="Leeg")
    with factory.begin(actor=beheerder) as s:
        made = create_region(session=s, name="Eigen", municipality_ids=[region["ids"]["Aadorp"]])
    with factory() as s:
        assert made.id in [r.id for r in visible_regions(session=s, actor=beheerder)]


def test_removing_a_region_is_kept_in_each_member_s_history(factory: Sessions, region: dict) -> None:
    with factory.begin(actor=region["actors"]["beheerder-a"]) as s:
        delete_region(session=s, region_id=region["region"])
    with factory() as s:
        changes = history(session=s, municipality_id=region["ids"]["Beestad"])
    new = set(changes["new"])
    assert "regio verwijderd" in new
    assert any("coordinator@test.nl" in str(v) for v in changes["subject"])  # the coordinator's role ended too
