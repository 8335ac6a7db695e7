"""Who may change what (wijkmodel/storage/access.py, accounts.py): each role's rights checked where
data is saved, a refused save writes nothing, the history names the account, the last beheerder
stays, a person can be removed from the history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.access import EVERYONE, Actor, NotAllowed
from wijkmodel.storage.accounts import account_for_login, members, pseudonymise, roles_of, set_role
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.history import history
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import (
    create_municipality,
    delete_municipality,
    find_municipality,
    save_settings,
)
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import AccountRole, Change, ChangeAccount, Round, Unit
from wijkmodel.storage.wijken import add_wijk

ISSUER = "http://127.0.0.1:9400"


def _setup(factory: Sessions) -> tuple[int, dict[str, Actor]]:
    """A municipality with a round, and an actor per role (and one without a role)."""
    with factory.begin() as s:
        m = create_municipality(session=s, name="Toegangstad")
        create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 3, 1))
        actors = {}
        for role in ("beheerder", "invuller", "lezer", "geen"):
            account = account_for_login(session=s, issuer=ISSUER, subject=role, email=f"{role}@toegangstad.nl")
            if role != "geen":
                set_role(session=s, municipality_id=m.id, account_id=account.id, role=AccountRole(role))
            actors[role] = Actor(account.id, account.email)
        return m.id, actors


def _place(s: Session, municipality_id: int, model: MaturityModel) -> None:
    round_id = s.scalar(select(Round.id).where(Round.municipality_id == municipality_id))
    unit_id = s.scalar(select(Unit.id).where(Unit.municipality_id == municipality_id))
    assert round_id is not None and unit_id is not None
    respondent = get_or_create_respondent(session=s, round_id=round_id, unit_id=unit_id, role="gemeente")
    save_position(session=s, respondent_id=respondent.id, theme_id="visie_inspiratie", model=model, position=60)


def _wijk(s: Session, municipality_id: int, model: MaturityModel) -> None:
    add_wijk(session=s, municipality_id=municipality_id, name="Nieuwe wijk")


def _round(s: Session, municipality_id: int, model: MaturityModel) -> None:
    create_round(session=s, municipality_id=municipality_id, label="2027", date=dt.date(2027, 3, 1))


def _settings(s: Session, municipality_id: int, model: MaturityModel) -> None:
    save_settings(session=s, municipality_id=municipality_id, rule="mediaan")


def _remove(s: Session, municipality_id: int, model: MaturityModel) -> None:
    delete_municipality(session=s, municipality_id=municipality_id)


def _new_municipality(s: Session, municipality_id: int, model: MaturityModel) -> None:
    create_municipality(session=s, name="Nieuwstad")


SAVES: dict[str, tuple[Callable[[Session, int, MaturityModel], None], bool]] = {
    # name: (the save, whether it needs the whole database's lock)
    "schuifje": (_place, False),
    "wijk": (_wijk, False),
    "ronde": (_round, False),
    "instelling": (_settings, False),
    "gemeente verwijderen": (_remove, False),
    "nieuwe gemeente": (_new_municipality, True),
}


@pytest.mark.parametrize(
    ("save", "allowed"),
    [
        ("schuifje", {"beheerder", "invuller", "iedereen"}),
        ("wijk", {"beheerder", "iedereen"}),
        ("ronde", {"beheerder", "iedereen"}),
        ("instelling", {"beheerder", "iedereen"}),
        ("gemeente verwijderen", {"beheerder", "iedereen"}),
        ("nieuwe gemeente", {"beheerder", "iedereen"}),
    ],
)
@pytest.mark.parametrize("who", ["beheerder", "invuller", "lezer", "geen", "iedereen"])
def test_each_role_may_save_what_it_may_and_a_refusal_writes_nothing(
    factory: Sessions, model: MaturityModel, save: str, allowed: set[str], who: str
) -> None:
    municipality_id, actors = _setup(factory)
    actor = EVERYONE if who == "iedereen" else actors[who]
    action, everything = SAVES[save]

    def count(s: Session) -> int:
        return s.scalar(select(func.count()).select_from(Change)) or 0

    with factory() as s:
        before = count(s)
    if who in allowed:
        with factory.begin(None if everything else municipality_id, actor=actor) as s:
            action(s, municipality_id, model)
    else:
        with (
            pytest.raises(NotAllowed) as refused,
            factory.begin(None if everything else municipality_id, actor=actor) as s,
        ):
            action(s, municipality_id, model)
        assert refused.value.problems[0].startswith(("U mag bij Toegangstad niet ", "Een nieuwe gemeente maken"))
        with factory() as s:
            assert count(s) == before  # nothing written, not even a trace
            assert find_municipality(session=s, name="Toegangstad") is not None


def test_a_role_taken_away_counts_from_the_next_save(factory: Sessions, model: MaturityModel) -> None:
    municipality_id, actors = _setup(factory)
    with factory.begin(municipality_id, actor=actors["invuller"]) as s:
        _place(s, municipality_id, model)
    with factory.begin(municipality_id, actor=actors["beheerder"]) as s:
        set_role(session=s, municipality_id=municipality_id, account_id=actors["invuller"].account_id or 0, role=None)
    with pytest.raises(NotAllowed), factory.begin(municipality_id, actor=actors["invuller"]) as s:
        _place(s, municipality_id, model)


def test_the_history_names_the_account_and_survives_a_backup(factory: Sessions, model: MaturityModel) -> None:
    municipality_id, actors = _setup(factory)
    with factory.begin(municipality_id, actor=actors["invuller"]) as s:
        _place(s, municipality_id, model)
    with factory() as s:
        log = history(session=s, municipality_id=municipality_id)
        assert log.iloc[0]["kind"] == "schuifje" and log.iloc[0]["account"] == "invuller@toegangstad.nl"
        assert set(log[log["kind"] == "rol"]["account"]) == {""}  # given by the setup, without login
        text = export_municipality(session=s, municipality_id=municipality_id, model=model)
    assert [h.get("account") for h in json.loads(text)["municipality"]["history"]].count("invuller@toegangstad.nl") == 1
    other = make_sessionmaker(make_engine("sqlite://"))
    with other.begin() as s:
        import_backup(session=s, text=text, model=model)
    with other() as s:
        restored = find_municipality(session=s, name="Toegangstad")
        assert restored is not None
        assert export_municipality(session=s, municipality_id=restored.id, model=model) == text


def test_the_last_beheerder_stays(factory: Sessions) -> None:
    municipality_id, actors = _setup(factory)
    admin = actors["beheerder"].account_id or 0
    for role in (None, AccountRole.READER):
        with pytest.raises(InputError, match="laatste beheerder"), factory.begin(municipality_id) as s:
            set_role(session=s, municipality_id=municipality_id, account_id=admin, role=role)
    with factory.begin(municipality_id) as s:  # with a second one, the first may go
        set_role(
            session=s,
            municipality_id=municipality_id,
            account_id=actors["lezer"].account_id or 0,
            role=AccountRole.ADMIN,
        )
        set_role(session=s, municipality_id=municipality_id, account_id=admin, role=None)
    with factory() as s:
        assert [(m.email, m.role) for m in members(session=s, municipality_id=municipality_id)] == [
            ("invuller@toegangstad.nl", AccountRole.EDITOR),
            ("lezer@toegangstad.nl", AccountRole.ADMIN),
        ]


@pytest.mark.parametrize("email", [None, "", "   ", "geen-adres", "x" * 330 + "@a.nl"])
def test_an_account_without_a_usable_e_mail_is_refused(factory: Sessions, email: str | None) -> None:
    with pytest.raises(InputError), factory.begin() as s:
        account_for_login(session=s, issuer=ISSUER, subject="zonder", email=email)


def test_a_person_is_removed_from_the_history(factory: Sessions, model: MaturityModel) -> None:
    municipality_id, actors = _setup(factory)
    with factory.begin(municipality_id, actor=actors["invuller"]) as s:
        _place(s, municipality_id, model)
    with factory.begin() as s:
        assert pseudonymise(session=s, email="INVULLER@toegangstad.nl") == 1
    with factory() as s:
        names = set(s.scalars(select(ChangeAccount.account)))
        assert "invuller@toegangstad.nl" not in names and any(n.startswith("verwijderd-") for n in names)
        assert roles_of(session=s, account_id=actors["invuller"].account_id or 0) == {}
    with pytest.raises(InputError, match="laatste beheerder"), factory.begin() as s:
        pseudonymise(session=s, email="beheerder@toegangstad.nl")


def test_the_command_line_gives_and_takes_roles(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkmodel.cli import run

    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    factory = make_sessionmaker(make_engine(db_url))
    with factory.begin() as s:  # the municipality, and two people who logged in once
        create_municipality(session=s, name="Toegangstad")
        for who in ("anna", "bram"):
            account_for_login(session=s, issuer=ISSUER, subject=who, email=f"{who}@toegangstad.nl")

    def cli(*argv: str) -> tuple[int, str]:
        code = run(list(argv))
        out = capsys.readouterr()
        return code, out.out + out.err

    assert cli(
        "gebruiker", "geef", "--email", "Anna@toegangstad.nl", "--gemeente", "toegangstad", "--rol", "beheerder"
    ) == (
        0,
        "Anna@toegangstad.nl is nu beheerder bij Toegangstad.\n",
    )
    assert (
        cli("gebruiker", "geef", "--email", "bram@toegangstad.nl", "--gemeente", "Toegangstad", "--rol", "lezer")[0]
        == 0
    )
    code, out = cli("gebruiker", "lijst", "--gemeente", "Toegangstad")
    assert code == 0 and out.splitlines()[1:] == ["  anna@toegangstad.nl  beheerder", "  bram@toegangstad.nl  lezer"]
    code, out = cli("gebruiker", "neem", "--email", "anna@toegangstad.nl", "--gemeente", "Toegangstad")
    assert code == 2 and "laatste beheerder" in out
    code, out = cli("gebruiker", "geef", "--email", "cor@toegangstad.nl", "--gemeente", "Toegangstad", "--rol", "lezer")
    assert code == 2 and "Laat de persoon eerst één keer inloggen" in out
    assert cli("gebruiker", "verwijder", "--email", "bram@toegangstad.nl")[0] == 0
    code, out = cli("gebruiker", "lijst", "--gemeente", "Toegangstad")
    assert "bram" not in out
    with factory() as s:
        log = history(session=s, municipality_id=find_municipality(session=s, name="Toegangstad").id)  # type: ignore[union-attr]
        subjects = set(log[log["kind"] == "rol"]["subject"])
        assert "anna@toegangstad.nl" in subjects and "bram@toegangstad.nl" not in subjects  # removed
