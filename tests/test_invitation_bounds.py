# ruff: noqa: F811 - `town` is the fixture of tests.test_invitations, imported to be used here
"""Invitations at their edges (issue 19): a link whose wijken were removed, joins per minute and per
invitation, and backups that would link a participant to the wrong respondent records."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from tests.test_invitations import NOW, _invite, _join, _save, _written, town  # noqa: F401
from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage import invitations
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.invitations import (
    MAX_JOINS_PER_MINUTE,
    REFUSED,
    InvitationRefused,
    about_text,
    join,
    open_invitation,
)
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.tables import Invitation, Participant, Unit
from wijkmodel.storage.wijken import remove_wijk


def test_an_invitation_whose_wijken_are_removed_opens_none(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    """Removing a wijk deletes its invitation rows; the invitation must not then read as "the
    respondent chooses" and open every wijk."""
    only_noord = _invite(factory, town, unit_ids=[town["noord"]])
    both = _invite(factory, town, title="Beide")
    chooses = _invite(factory, town, title="Zelf kiezen", unit_ids=[])
    code = _join(factory, only_noord)
    with factory.begin() as s:
        remove_wijk(session=s, unit_id=town["noord"])
    with factory() as s:
        before = _written(s)
        with pytest.raises(InvitationRefused) as refused:
            open_invitation(session=s, token=only_noord, now=NOW)
        assert refused.value.problems == [REFUSED["zonder wijk"]]
        assert open_invitation(session=s, token=both, now=NOW).unit_ids == [town["zuid"]]
        assert set(open_invitation(session=s, token=chooses, now=NOW).unit_ids) == {town["zuid"], town["whole"]}
    for unit in ("zuid", "whole"):
        with pytest.raises(InvitationRefused):
            _save(factory, model, only_noord, code, town[unit], theme_id="visie_inspiratie", value=50)
    with pytest.raises(InvitationRefused):
        _join(factory, only_noord)
    with factory() as s:
        assert _written(s) == before


def test_the_facilitator_reads_which_wijken_an_invitation_asks(factory: Sessions, town: dict[str, int]) -> None:
    _invite(factory, town, unit_ids=[])
    _invite(factory, town, title="Twee", unit_ids=[town["zuid"], town["whole"]])
    _invite(factory, town, title="Weg", unit_ids=[town["noord"]])
    with factory.begin() as s:
        remove_wijk(session=s, unit_id=town["noord"])
    with factory() as s:
        shown = {
            case: about_text(session=s, invitation=s.scalars(select(Invitation).where(Invitation.title == title)).one())
            for case, title in (("chooses", "Wijkavond"), ("two", "Twee"), ("gone", "Weg"))
        }
    assert shown == {
        "chooses": "De invuller kiest de wijk",
        "two": "Over Gemeente als geheel, Zuid",
        "gone": "Geen wijk meer: de gekozen wijken zijn verwijderd, de link werkt niet",
    }


def test_joins_per_minute_are_bounded(factory: Sessions, town: dict[str, int]) -> None:
    token = _invite(factory, town)
    for _ in range(MAX_JOINS_PER_MINUTE):
        _join(factory, token)
    with pytest.raises(InputError) as refused:
        _join(factory, token)
    assert "Wacht een minuut" in refused.value.problems[0]
    with factory.begin() as s:  # a minute later people can join again
        join(session=s, token=token, role="gemeente", now=NOW + dt.timedelta(minutes=1))
    other = _invite(factory, town, title="Andere avond")  # counted per invitation
    _join(factory, other)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Participant)) == MAX_JOINS_PER_MINUTE + 2


def test_participants_per_invitation_are_bounded(
    factory: Sessions, town: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invitations, "MAX_PARTICIPANTS", 3)
    token = _invite(factory, town)
    for minute in range(3):
        with factory.begin() as s:
            join(session=s, token=token, role="gemeente", now=NOW + dt.timedelta(minutes=minute))
    with pytest.raises(InvitationRefused) as refused, factory.begin() as s:
        join(session=s, token=token, role="gemeente", now=NOW + dt.timedelta(minutes=10))
    assert "niemand meer bij" in refused.value.problems[0]


def _session_backup(factory: Sessions, town: dict[str, int], model: MaturityModel) -> dict:
    """An export with one invitation (roles gemeente and inwoner/jeugd), two participants who each
    answered for Noord, and a respondent staff typed in ('Jan', gemeente, Noord)."""
    token = _invite(factory, town, roles=["gemeente", "inwoner/jeugd"])
    for _ in range(2):
        code = _join(factory, token, role="gemeente")
        _save(factory, model, token, code, town["noord"], theme_id="visie_inspiratie", value=40)
    with factory.begin() as s:
        jan = get_or_create_respondent(
            session=s, round_id=town["round"], unit_id=town["noord"], role="gemeente", label="Jan"
        )
        save_position(session=s, respondent_id=jan.id, theme_id="visie_inspiratie", model=model, position=90)
    with factory() as s:
        data = json.loads(export_municipality(session=s, municipality_id=town["m"], model=model))
    data["municipality"]["name"] = "Elders"
    return data


def _participants(data: dict) -> list[dict]:
    return data["municipality"]["rounds"][0]["invitations"][0]["participants"]


def _staff_label(data: dict) -> None:
    _participants(data)[0]["respondents"] = ["Jan"]


def _claimed_twice(data: dict) -> None:
    _participants(data)[1]["respondents"] = _participants(data)[0]["respondents"]


def _two_in_one_wijk(data: dict) -> None:
    _participants(data)[0]["respondents"] += _participants(data)[1]["respondents"]
    _participants(data)[1]["respondents"] = []


def _role_not_offered(data: dict) -> None:
    for p in _participants(data):
        p["role"] = "lokaal team"
    for r in data["municipality"]["rounds"][0]["respondents"]:
        if r["label"] != "Jan":
            r["role"] = "lokaal team"


def _units_and_any_unit(data: dict) -> None:
    data["municipality"]["rounds"][0]["invitations"][0]["any_unit"] = True


@pytest.mark.parametrize(
    ("case", "damage", "message"),
    [
        ("a staff respondent", _staff_label, "'Jan' is geen invuller van een uitnodiging"),
        ("a label two participants claim", _claimed_twice, "hoort al bij een deelnemer"),
        ("two labels of one participant in one wijk", _two_in_one_wijk, "twee invullers in één wijk"),
        ("a role the invitation does not offer", _role_not_offered, "de rol 'lokaal team' hoort niet bij"),
        ("any_unit with units", _units_and_any_unit, "kiest de wijk zelf"),
    ],
)
def test_a_backup_that_links_a_participant_wrongly_is_refused_in_dutch(
    factory: Sessions, town: dict[str, int], model: MaturityModel, case: str, damage: object, message: str
) -> None:
    data = _session_backup(factory, town, model)
    damage(data)  # type: ignore[operator]
    with pytest.raises(InputError) as refused, factory.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    shown = " ".join(refused.value.problems)
    assert message in shown and "Op plek municipality.rounds[0].invitations[0]" in shown, case
    with factory() as s:
        assert find_municipality(session=s, name="Elders") is None


def test_the_sound_session_backup_restores(factory: Sessions, town: dict[str, int], model: MaturityModel) -> None:
    """The control of the cases above: undamaged, the same file restores."""
    data = _session_backup(factory, town, model)
    with factory.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    with factory() as s:
        assert find_municipality(session=s, name="Elders") is not None


@pytest.mark.parametrize(("units", "any_unit"), [([], True), (["Noord"], False)])
def test_a_format_6_invitation_without_any_unit_reads_as_before(
    factory: Sessions, town: dict[str, int], model: MaturityModel, units: list[str], any_unit: bool
) -> None:
    data = _session_backup(factory, town, model)
    data["format_version"] = 6
    invitation = data["municipality"]["rounds"][0]["invitations"][0]
    del invitation["any_unit"]
    invitation["units"] = units
    with factory.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    with factory() as s:
        elders = find_municipality(session=s, name="Elders")
        assert elders is not None
        restored = s.scalar(select(Invitation).where(Invitation.municipality_id == elders.id))
        assert restored is not None and restored.any_unit is any_unit
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.municipality_id == elders.id)) == 3
