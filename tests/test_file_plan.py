"""The plan of a whole CBS file in one pass (`file_plan`) against the plan of each municipality
(`plan_import`), and the import of all municipalities that uses it (issue 20, Scale)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import postgres_url
from tests.test_wijk_analysis import _what_each_municipality_holds
from wijkmodel.storage.access import Actor, NotAllowed
from wijkmodel.storage.accounts import account_for_login, set_role
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import bump_revisions, create_municipality
from wijkmodel.storage.tables import AccountRole, Municipality, Unit
from wijkmodel.storage.wijken import add_wijk
from wijkmodel.wijkdata import country_import
from wijkmodel.wijkdata.country_import import import_all_municipalities
from wijkmodel.wijkdata.file_plan import FilePlan, Target, parse_cells, plan_file
from wijkmodel.wijkdata.mapping import ColumnMapping, guess_mapping
from wijkmodel.wijkdata.table_files import NumberStyle, RawTable, read_table
from wijkmodel.wijkdata.wijk_import import cell_text, plan_import

NAN = float("nan")


@pytest.mark.parametrize(
    ("cells", "style", "values", "bad"),
    [
        (["1.234,5", " 12 ", "-3", "+4,25"], "nl", [1234.5, 12, -3, 4.25], [False] * 4),
        (["1,234.5", "3.25"], "en", [1234.5, 3.25], [False, False]),
        (["", ".", "-", "x", "?", "NaN", " X "], "nl", [NAN] * 7, [False] * 7),
        (["veel", "1,2,3", "12", "veel"], "nl", [NAN, NAN, 12, NAN], [True, True, False, True]),
        (["1.000.000.000.000", "999.999.999.999"], "nl", [1e12, 999999999999], [True, False]),
        (["1\u00a0234", "1 234"], "nl", [1234, 1234], [False, False]),
        ([], "nl", [], []),
        # from Excel: numbers stay numbers, a boolean is no number (and not the 1 beside it)
        ([True, 1, 2.5, NAN, "3,5", None], "nl", [NAN, 1, 2.5, NAN, 3.5, NAN], [True, *[False] * 4, True]),
        ([float("inf"), -1e13], "nl", [float("inf"), -1e13], [True, True]),
    ],
)
def test_parse_cells_reads_as_parse_number(cells: list, style: NumberStyle, values: list, bad: list) -> None:
    got, got_bad = parse_cells(np.array(cells, dtype=object), style)
    np.testing.assert_array_equal(got, np.array(values, dtype=float))
    assert got_bad.tolist() == bad


# --- the file plan against the plan of each municipality -----------------------------------------

HEADER = "WijkenEnBuurten;regio;Gemeentenaam_1;SoortRegio_2;AantalInwoners_5;Jeugd_7\r\n"
ROWS = [
    "NL01;Nederland;Nederland;Land;17.000.000;5",
    # existing, no code yet: found by name; Centrum gets its code, Noord is found by code, Nieuw is new
    "GM0500;Handstad;Handstad;Gemeente;1.000;3,5",
    "WK050000;Centrum;Handstad;Wijk;150;2,5",
    "WK050001;Noord;Handstad;Wijk;200;.",
    "WK050002;Nieuw;Handstad;Wijk;;x",
    "BU05000000;Buurt;Handstad;Buurt;10;1",
    # new municipalities, a wijk without a name
    "GM0101;Noordstad;Noordstad;Gemeente;20.000;8",
    "WK010100;Haven;Noordstad;Wijk;12.000;7,5",
    "WK010101;;Noordstad;Wijk;8.000;-",
    "GM0202;Zuiddorp;Zuiddorp;Gemeente;5.000;4",
    "WK020200;Dorp;Zuiddorp;Wijk;5.000;4,0",
    # bad: a value, a double code, the name of the municipality itself, a code against the stored one
    "GM0303;Fouthoven;Fouthoven;Gemeente;1;1",
    "WK030300;A;Fouthoven;Wijk;1;veel",
    "GM0404;Dubbeldam;Dubbeldam;Gemeente;1;1",
    "WK040400;A;Dubbeldam;Wijk;1;1",
    "WK040400;B;Dubbeldam;Wijk;1;1",
    "GM0606;Eigenstad;Eigenstad;Gemeente;1;1",
    "WK060600;Gemeente als geheel;Eigenstad;Wijk;1;1",
    "GM0707;Codestad;Codestad;Gemeente;1;1",
    "WK070709;Markt;Codestad;Wijk;1;1",
    # bad: two rows of the municipality itself, a code that is none, too many inhabitants
    "GM0808;Tweemaal;Tweemaal;Gemeente;1;1",
    "GM0808;Tweemaal;Tweemaal;Gemeente;2;2",
    "WK080800;A;Tweemaal;Wijk;1;1",
    "GM0909;Krom;Krom;Gemeente;1;1",
    "WK09090X;A;Krom;Wijk;1;1",
    "WK090900;B;Krom;Wijk;1;1",
    "GM1010;Vol;Vol;Gemeente;1;1",
    "WK101000;A;Vol;Wijk;99.000.000;1",
    # only its own row: no wijken
    "GM1111;Leeg;Leeg;Gemeente;1;1",
]
BAD = {"0303", "0404", "0606", "0707", "0808", "0909", "1010", "1111"}


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[Sessions]:
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.sqlite'}")
    factory = make_sessionmaker(engine)
    with factory.begin() as s:
        hand = create_municipality(session=s, name="Handstad")
        add_wijk(session=s, municipality_id=hand.id, name="Centrum", population=100)
        add_wijk(session=s, municipality_id=hand.id, name="Noord", cbs_code="WK050001", population=200)
        add_wijk(session=s, municipality_id=hand.id, name="Oud", population=300)
        code = create_municipality(session=s, name="Codestad", cbs_code="GM0707")
        add_wijk(session=s, municipality_id=code.id, name="Markt", cbs_code="WK070701")
    yield factory
    engine.dispose()


def _targets(s: Session, codes: list[str]) -> dict[str, Target]:
    """Every group of the file, its municipality found by code or name, or made (as the import does)."""
    found = {m.name: m for m in s.scalars(select(Municipality))}
    targets = {}
    for line in ROWS:
        code, _, town, *_ = line.split(";")
        if code.startswith("GM") and code[2:] not in targets:
            municipality = found.get(town) or create_municipality(session=s, name=town, cbs_code=code)
            targets[code[2:]] = Target(municipality.id, municipality.name, municipality.cbs_code or code)
    assert len(codes) == len(ROWS)
    return targets


def _units(s: Session) -> pd.DataFrame:
    rows = s.execute(select(Unit.municipality_id, Unit.id, Unit.name, Unit.kind, Unit.cbs_code, Unit.population)).all()
    return pd.DataFrame(rows, columns=["municipality", "unit", "name", "kind", "cbs_code", "population"])


def _ids(units: pd.Series) -> list[int | None]:
    return [None if pd.isna(u) else int(u) for u in units]


def test_the_file_plan_is_the_plan_of_each_municipality(factory: Sessions) -> None:
    raw = read_table((HEADER + "\r\n".join(ROWS) + "\r\n").encode("cp1252"), filename="kwb_2024.csv")
    mapping = guess_mapping(raw)
    codes = np.array([cell_text(v).replace(" ", "").upper() for v in raw.cells[mapping.code]], dtype=object)
    with factory.begin() as s:
        targets = _targets(s, list(codes))
        units = _units(s)
        plan: FilePlan = plan_file(raw, mapping, codes=codes, targets=targets, units=units, year=2024, source="CBS")
        assert plan.flagged == BAD
        for group, target in targets.items():
            subset = RawTable(
                raw.cells[[c[2:6] == group and c[:2] in ("GM", "WK") for c in codes]], raw.filename, raw.number_style
            )
            one_by_one = {
                "units": units[units["municipality"] == target.municipality_id].drop(columns="municipality"),
                "municipality_name": target.name,
                "municipality_code": target.code,
                "year": 2024,
                "source": "CBS",
            }
            if group in BAD:
                with pytest.raises(InputError):
                    plan_import(subset, mapping, **one_by_one)
                continue
            expected = plan_import(subset, mapping, **one_by_one)
            ours = plan.rows["group"] == group
            rows = plan.rows[ours].drop(columns="group").reset_index(drop=True)
            assert _ids(rows["unit"]) == _ids(expected.rows["unit"])  # NaN or None: a new wijk
            pd.testing.assert_frame_equal(
                rows.drop(columns="unit"), expected.rows.drop(columns="unit"), check_dtype=False
            )
            pd.testing.assert_frame_equal(plan.values[ours].reset_index(drop=True), expected.values)
            assert plan.whole[group] == expected.whole
        statuses = dict(zip(plan.rows["code"], plan.rows["status"], strict=True))
        # the comparison covers each way a wijk is found
        assert {statuses["WK050000"], statuses["WK050001"], statuses["WK050002"]} == {"code", "bestaand", "nieuw"}


# --- the import of all municipalities: the file plan, or each municipality on its own ---------------


def _flag_half(raw: RawTable, mapping: ColumnMapping, **kwargs: Any) -> FilePlan:
    """The file plan with every other municipality flagged: those are planned one by one."""
    plan = plan_file(raw, mapping, **kwargs)
    flagged = set(sorted(kwargs["targets"])[::2])
    ours = ~plan.rows["group"].isin(flagged)
    return FilePlan(
        plan.rows[ours].reset_index(drop=True),
        plan.values[ours].reset_index(drop=True),
        {g: w for g, w in plan.whole.items() if g not in flagged},
        flagged,
    )


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_municipalities_planned_one_by_one_save_what_the_file_plan_saves(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = [line for line in ROWS if line.split(";")[0][2:6] not in BAD]
    first = (HEADER + "\r\n".join(good) + "\r\n").encode("cp1252")
    # a second year: other inhabitants (and a wijk without them), one more new wijk
    second = first.replace(b";150;", b";175;").replace(b";12.000;", b";;") + b"WK020201;Veld;Zuiddorp;Wijk;40;1\r\n"
    held = []
    for way in ("file", "half one by one"):
        # PostgreSQL: the test server, emptied for each way (what the first held is read by then)
        url = postgres_url() if database == "postgresql" else f"sqlite:///{tmp_path / way.replace(' ', '_')}.sqlite"
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        with factory.begin() as s:
            hand = create_municipality(session=s, name="Handstad")
            add_wijk(session=s, municipality_id=hand.id, name="Centrum", population=100)
            add_wijk(session=s, municipality_id=hand.id, name="Noord", cbs_code="WK050001", population=200)
        if way == "half one by one":
            monkeypatch.setattr(country_import, "plan_file", _flag_half)
        for year, data in ((2024, first), (2025, second)):
            raw = read_table(data, filename="kwb.csv")
            with factory.begin() as s:
                import_all_municipalities(session=s, raw=raw, mapping=guess_mapping(raw), year=year, source="CBS")
        held.append(_what_each_municipality_holds(factory))
        engine.dispose()
    assert held[0] == held[1]
    changes = held[0]["Handstad"][3]
    assert ("Centrum", "wijk", "CBS-code", "leeg", "WK050000") in changes
    assert ("Centrum", "wijk", "inwoners", "150", "175") in changes
    assert ("Nieuw", "wijk", "Nieuw", "leeg", "toegevoegd (import)") in changes
    assert held[0]["Handstad"][0] == "GM0500" and held[0]["Handstad"][4] == 2 + 2  # two wijken, two imports


# --- bump_revisions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "need", "allowed"),
    [
        (None, AccountRole.ADMIN, True),  # the command line: everything
        ("beheerder", AccountRole.ADMIN, True),
        ("invuller", AccountRole.ADMIN, False),
        ("invuller", AccountRole.EDITOR, True),
        ("lezer", AccountRole.EDITOR, False),
    ],
)
def test_bump_revisions_checks_each_municipality(
    factory: Sessions, role: str | None, need: AccountRole, allowed: bool
) -> None:
    with factory.begin() as s:
        ids = [create_municipality(session=s, name=f"Stad {n}").id for n in range(3)]
        actor = None
        if role is not None:
            account = account_for_login(session=s, issuer="http://idp", subject=role, email=f"{role}@stad.nl")
            for municipality_id in ids[:2]:  # not in the last one
                set_role(session=s, municipality_id=municipality_id, account_id=account.id, role=AccountRole(role))
            actor = Actor(account.id, account.email)
    with factory() as s:
        before = dict(s.execute(select(Municipality.id, Municipality.revision)).all())
    for chosen in (ids[:2], ids):
        refused = not allowed or (role is not None and chosen == ids)
        if refused:
            with pytest.raises(NotAllowed), factory.begin(actor=actor) as s:
                bump_revisions(session=s, municipality_ids=chosen, need=need)
        else:
            with factory.begin(actor=actor) as s:
                bump_revisions(session=s, municipality_ids=chosen, need=need)
    with factory() as s:
        after = dict(s.execute(select(Municipality.id, Municipality.revision)).all())
    bumped = {i: after[i] - before[i] for i in ids}
    if not allowed:
        assert set(bumped.values()) == {0}  # a refusal anywhere changes nothing
    elif role is None:
        assert bumped == {ids[0]: 2, ids[1]: 2, ids[2]: 1}
    else:
        assert bumped == {ids[0]: 1, ids[1]: 1, ids[2]: 0}
