"""Invitations (wijkmodel/storage/invitations.py, issue 19): a beheerder's link, participants who
answer without an account, and every way a link can be refused with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup
from wijkmodel.exports.qr import qr_png
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.access import Actor, NotAllowed
from wijkmodel.storage.accounts import account_for_login, set_role
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.frames import load_frames
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.invitations import (
    MAX_SAVES_PER_MINUTE,
    REFUSED,
    SLIDERS,
    InvitationRefused,
    end_invitation,
    invitation_link,
    join,
    make_invitation,
    open_invitation,
    renew_link,
    save_as_participant,
)
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import (
    AccountRole,
    Answer,
    Change,
    Invitation,
    Participant,
    ParticipantRespondent,
    Respondent,
    ThemePosition,
    Unit,
    UnitKind,
)
from wijkmodel.storage.wijken import add_wijk

NOW = dt.datetime(2026, 12, 4, 19, 0)
LATER = NOW + dt.timedelta(hours=3)


@pytest.fixture
def town(factory: Sessions) -> dict[str, int]:
    """A municipality with two wijken (and itself as a whole), one round, and a second municipality."""
    with factory.begin() as s:
        m = create_municipality(session=s, name="Sessiestad")
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 3, 1))
        noord = add_wijk(session=s, municipality_id=m.id, name="Noord")
        zuid = add_wijk(session=s, municipality_id=m.id, name="Zuid")
        whole = s.scalar(select(Unit.id).where(Unit.municipality_id == m.id, Unit.kind == UnitKind.MUNICIPALITY.value))
        other = create_municipality(session=s, name="Anderstad")
        oost = add_wijk(session=s, municipality_id=other.id, name="Oost")
        return {"m": m.id, "round": r.id, "noord": noord.id, "zuid": zuid.id, "whole": whole or 0, "oost": oost.id}


def _invite(factory: Sessions, town: dict[str, int], **kwargs: object) -> str:
    values: dict[str, object] = {
        "round_id": town["round"],
        "title": "Wijkavond",
        "unit_ids": [town["noord"], town["zuid"]],
        "roles": [],
        "instruments": [SLIDERS, "quickscan"],
        "closes_at": LATER,
        "now": NOW,
    }
    values.update(kwargs)
    with factory.begin() as s:
        _, token = make_invitation(session=s, **values)  # type: ignore[arg-type]
    return token


def _join(factory: Sessions, token: str, role: str = "samenwerkingspartner") -> str:
    with factory.begin() as s:
        return join(session=s, token=token, role=role, now=NOW)[1]


def _save(factory: Sessions, model: MaturityModel, token: str, code: str, unit: int, **kwargs: object) -> int:
    with factory.begin() as s:
        return save_as_participant(session=s, token=token, code=code, unit_id=unit, model=model, now=NOW, **kwargs)  # type: ignore[arg-type]


def _written(s: Session) -> tuple[int, ...]:
    tables = (ThemePosition, Answer, Respondent, Participant, ParticipantRespondent, Change)
    return tuple(s.scalar(select(func.count()).select_from(t)) or 0 for t in tables)


def test_the_token_is_random_and_stored_only_as_its_hash(factory: Sessions, town: dict[str, int]) -> None:
    tokens = {_invite(factory, town, title=f"Avond {i}") for i in range(5)}
    assert len(tokens) == 5 and all(len(t) >= 32 for t in tokens)  # 24 bytes: 192 bits, base64
    with factory() as s:
        stored = set(s.scalars(select(Invitation.token_hash)))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert not stored & tokens


def test_a_participant_answers_and_counts_as_a_respondent(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    token = _invite(factory, town)
    code = _join(factory, token)
    theme = model.themes[0].id
    question = model.quickscan.questions[0]
    option = model.question_scale(question).options[0].id
    first = _save(factory, model, token, code, town["noord"], theme_id=theme, value=70)
    again = _save(factory, model, token, code, town["noord"], question_id=question.id, value=option, note="Goed")
    other = _save(factory, model, token, code, town["zuid"], theme_id=theme, value=30)
    assert first == again != other  # one respondent record per person per wijk
    with factory() as s:
        respondent = s.get_one(Respondent, first)
        assert (respondent.role, respondent.unit_id) == ("samenwerkingspartner", town["noord"])
        assert s.scalar(select(ThemePosition.position).where(ThemePosition.respondent_id == first)) == 70
        assert s.scalar(select(Answer.note).where(Answer.respondent_id == first)) == "Goed"


def test_a_continue_code_comes_back_to_the_same_answers(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    token = _invite(factory, town)
    code = _join(factory, token)
    theme = model.themes[0].id
    first = _save(factory, model, token, code, town["noord"], theme_id=theme, value=20)
    later = _save(factory, model, token, f"  {code} ", town["noord"], theme_id=theme, value=25)  # typed again
    assert first == later
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(ThemePosition)) == 1


@pytest.mark.parametrize(
    ("case", "change", "message"),
    [
        ("forged token", lambda s, t, c: (_other(t), c), REFUSED["onbekend"]),
        ("empty token", lambda s, t, c: ("", c), REFUSED["onbekend"]),
        ("revoked", lambda s, t, c: _changed(s, t, c, revoked_at=NOW), REFUSED["ingetrokken"]),
        ("closed", lambda s, t, c: _changed(s, t, c, closed_at=NOW), REFUSED["gesloten"]),
        ("expired", lambda s, t, c: _changed(s, t, c, closes_at=NOW - dt.timedelta(minutes=1)), REFUSED["verlopen"]),
        ("forged code", lambda s, t, c: (t, _other(c)), "Deze code hoort niet bij deze link"),
    ],
)
def test_a_bad_link_or_code_is_refused_and_writes_nothing(
    factory: Sessions, town: dict[str, int], model: MaturityModel, case: str, change: object, message: str
) -> None:
    token = _invite(factory, town)
    code = _join(factory, token)
    with factory.begin() as s:
        token2, code2 = change(s, token, code)  # type: ignore[operator]
    with factory() as s:
        before = _written(s)
    with pytest.raises(InvitationRefused) as refused:
        _save(factory, model, token2, code2, town["noord"], theme_id=model.themes[0].id, value=50)
    assert message in " ".join(refused.value.problems), case
    with factory() as s:
        assert _written(s) == before, case


def _other(secret: str) -> str:
    """The secret with its first character changed (always another one)."""
    return ("A" if secret[0] != "A" else "B") + secret[1:]


def _changed(s: Session, token: str, code: str, **values: object) -> tuple[str, str]:
    """The invitation changed as the case says; the same link and code."""
    s.execute(update(Invitation).values(**values))
    return token, code


def test_a_code_of_one_invitation_does_not_open_another(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    first, second = _invite(factory, town), _invite(factory, town, title="Tweede avond")
    code = _join(factory, first)
    with pytest.raises(InvitationRefused):
        _save(factory, model, second, code, town["noord"], theme_id=model.themes[0].id, value=50)


@pytest.mark.parametrize(
    ("case", "unit", "kwargs", "message"),
    [
        ("a wijk outside the invitation", "whole", {"theme_id": "visie_inspiratie"}, "hoort niet bij deze"),
        ("another municipality's wijk", "oost", {"theme_id": "visie_inspiratie"}, "hoort niet bij deze"),
        ("an instrument it does not ask", "noord", {"question_id": "RV"}, "Dit onderdeel hoort niet"),
        ("an unknown theme", "noord", {"theme_id": "geen_thema"}, "onbekend thema"),
        ("a position off the scale", "noord", {"theme_id": "visie_inspiratie", "value": 140}, "tussen 0 en 100"),
        ("a note too long", "noord", {"theme_id": "visie_inspiratie", "note": "x" * 5001}, "te lang"),
    ],
)
def test_a_save_outside_what_the_invitation_allows_is_refused(
    factory: Sessions, town: dict[str, int], model: MaturityModel, case: str, unit: str, kwargs: dict, message: str
) -> None:
    token = _invite(factory, town)
    code = _join(factory, token)
    if kwargs.get("question_id") == "RV":  # a question of the Randvoorwaarden, which this one does not ask
        kwargs = {**kwargs, "question_id": model.randvoorwaarden.instrument.questions[0].id}
    with factory() as s:
        before = _written(s)
    with pytest.raises(InputError) as refused:
        _save(factory, model, token, code, town[unit], **kwargs)
    assert message in " ".join(refused.value.problems), case
    with factory() as s:
        assert _written(s) == before, case


def test_randvoorwaarden_only_for_the_municipality_as_a_whole(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    token = _invite(factory, town, unit_ids=[], instruments=["randvoorwaarden"])
    code = _join(factory, token, role="gemeente")
    question = model.randvoorwaarden.instrument.questions[0]
    option = model.question_scale(question).options[0].id
    with pytest.raises(InvitationRefused):
        _save(factory, model, token, code, town["noord"], question_id=question.id, value=option)
    _save(factory, model, token, code, town["whole"], question_id=question.id, value=option)


def test_an_open_invitation_lets_the_respondent_choose(factory: Sessions, town: dict[str, int]) -> None:
    token = _invite(factory, town, unit_ids=[], roles=[])
    with factory() as s:
        invitation = open_invitation(session=s, token=token, now=NOW)
    assert set(invitation.unit_ids) == {town["noord"], town["zuid"], town["whole"]}  # not Anderstad's
    assert invitation.roles == ["gemeente", "lokaal team", "samenwerkingspartner", "inwoner/jeugd"]
    token = _invite(factory, town, roles=["inwoner/jeugd"])
    with pytest.raises(InputError):
        _join(factory, token, role="gemeente")  # a role the invitation does not offer


def test_saves_per_minute_are_bounded(factory: Sessions, town: dict[str, int], model: MaturityModel) -> None:
    token = _invite(factory, town)
    code = _join(factory, token)
    theme = model.themes[0].id
    for i in range(MAX_SAVES_PER_MINUTE):
        _save(factory, model, token, code, town["noord"], theme_id=theme, value=i % 100)
    with pytest.raises(InputError) as refused:
        _save(factory, model, token, code, town["noord"], theme_id=theme, value=1)
    assert "Wacht een minuut" in refused.value.problems[0]
    with factory.begin() as s:  # a minute later it goes on
        save_as_participant(
            session=s,
            token=token,
            code=code,
            unit_id=town["noord"],
            model=model,
            theme_id=theme,
            value=2,
            now=NOW + dt.timedelta(minutes=1),
        )


@pytest.mark.parametrize(
    ("case", "values", "message"),
    [
        ("no name", {"title": "  "}, "vul een naam in"),
        ("no instrument", {"instruments": []}, "kies de schuifjes"),
        ("closing in the past", {"closes_at": NOW - dt.timedelta(days=1)}, "in de toekomst"),
        ("an unknown role", {"roles": ["wethouder"]}, "onbekend: wethouder"),
        ("another municipality's wijk", {"unit_ids": ["oost"]}, "bestaat niet (meer) in deze gemeente"),
    ],
)
def test_a_bad_invitation_is_refused_in_dutch(
    factory: Sessions, town: dict[str, int], case: str, values: dict, message: str
) -> None:
    if "unit_ids" in values:
        values = {"unit_ids": [town[u] for u in values["unit_ids"]]}
    with pytest.raises(InputError) as refused:
        _invite(factory, town, **values)
    assert message in " ".join(refused.value.problems), case
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Invitation)) == 0


def test_with_login_only_a_beheerder_makes_or_ends_an_invitation(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    with factory.begin() as s:
        actors = {}
        for role in ("beheerder", "invuller"):
            account = account_for_login(session=s, issuer="http://idp", subject=role, email=f"{role}@sessiestad.nl")
            set_role(session=s, municipality_id=town["m"], account_id=account.id, role=AccountRole(role))
            actors[role] = Actor(account.id, account.email)
    values = {
        "round_id": town["round"],
        "title": "Avond",
        "unit_ids": [],
        "roles": [],
        "instruments": [SLIDERS],
        "closes_at": LATER,
        "now": NOW,
    }
    with pytest.raises(NotAllowed), factory.begin(town["m"], actor=actors["invuller"]) as s:
        make_invitation(session=s, **values)  # type: ignore[arg-type]
    with factory.begin(town["m"], actor=actors["beheerder"]) as s:
        invitation, _ = make_invitation(session=s, **values)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed), factory.begin(town["m"], actor=actors["invuller"]) as s:
        end_invitation(session=s, invitation_id=invitation.id, revoke=True)
    with factory() as s:
        assert s.get_one(Invitation, invitation.id).revoked_at is None


def test_an_invitation_actor_may_only_answer_through_its_link(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    """With login, the respondent page saves as the invitation: anything but its own answers is
    refused where it is saved (even a direct call past the invitation's checks)."""
    token = _invite(factory, town)
    with factory() as s:
        invitation_id = open_invitation(session=s, token=token, now=NOW).id
    actor = Actor(account_id=None, invitation_id=invitation_id)
    with factory.begin(town["m"], actor=actor) as s:
        code = join(session=s, token=token, role="inwoner/jeugd", now=NOW)[1]
    with factory.begin(town["m"], actor=actor) as s:
        save_as_participant(
            session=s,
            token=token,
            code=code,
            unit_id=town["noord"],
            model=model,
            theme_id="visie_inspiratie",
            value=40,
            now=NOW,
        )
    with pytest.raises(NotAllowed), factory.begin(town["m"], actor=actor) as s:  # not through the link
        respondent = get_or_create_respondent(session=s, round_id=town["round"], unit_id=town["zuid"], role="gemeente")
        save_position(session=s, respondent_id=respondent.id, theme_id="visie_inspiratie", model=model, position=90)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(ThemePosition)) == 1


def test_a_new_link_replaces_the_old_and_keeps_the_codes(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    old = _invite(factory, town)
    code = _join(factory, old)
    with factory() as s:
        invitation_id = open_invitation(session=s, token=old, now=NOW).id
    with factory.begin() as s:
        new = renew_link(session=s, invitation_id=invitation_id)
    assert new != old
    with pytest.raises(InvitationRefused):
        _save(factory, model, old, code, town["noord"], theme_id="visie_inspiratie", value=10)
    _save(factory, model, new, code, town["noord"], theme_id="visie_inspiratie", value=10)


@pytest.mark.parametrize(
    ("base", "link"),
    [
        ("http://127.0.0.1:8501/samen", "http://127.0.0.1:8501/samen/?uitnodiging=T"),
        ("https://wijkmodel.gemeente.nl/", "https://wijkmodel.gemeente.nl/?uitnodiging=T"),
        ("https://wijkmodel.gemeente.nl/?gemeente=X&ronde=2026", "https://wijkmodel.gemeente.nl/?uitnodiging=T"),
    ],
)
def test_the_link_is_the_apps_address_with_the_token(base: str, link: str) -> None:
    assert invitation_link(base, "T") == link


def test_the_qr_code_holds_the_link() -> None:
    """The PNG's modules, read back at their centres, are the QR code of the link (segno's matrix)."""
    import io

    import segno
    from PIL import Image

    link = "https://wijkmodel.gemeente.nl/?uitnodiging=" + "x" * 32
    image = Image.open(io.BytesIO(qr_png(link, scale=10))).convert("L")
    code = segno.make(link, error="m", micro=False)
    size = len(code.matrix)
    assert image.size == ((size + 8) * 10, (size + 8) * 10)  # a quiet zone of 4 modules around it
    pixels = image.load()
    assert pixels is not None
    read_back = [[int(pixels[(4 + x) * 10 + 5, (4 + y) * 10 + 5]) < 128 for x in range(size)] for y in range(size)]  # type: ignore[arg-type]
    assert read_back == [[bool(v) for v in row] for row in code.matrix]
    other = segno.make(link + "y", error="m", micro=False)
    assert read_back != [[bool(v) for v in row] for row in other.matrix]


def test_a_participant_never_writes_into_another_respondents_record(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    """A round can already hold the label a new participant would get (restored from a backup of
    another database): the participant gets a record of its own."""
    token = _invite(factory, town)
    with factory() as s:
        invitation_id = open_invitation(session=s, token=token, now=NOW).id
    label = f"uitnodiging {invitation_id}, deelnemer 1"
    with factory.begin() as s:
        other = get_or_create_respondent(
            session=s, round_id=town["round"], unit_id=town["noord"], role="samenwerkingspartner", label=label
        )
        save_position(session=s, respondent_id=other.id, theme_id="visie_inspiratie", model=model, position=90)
    code = _join(factory, token)
    mine = _save(factory, model, token, code, town["noord"], theme_id="visie_inspiratie", value=10)
    assert mine != other.id
    with factory() as s:
        assert s.scalar(select(ThemePosition.position).where(ThemePosition.respondent_id == other.id)) == 90
        assert s.get_one(Respondent, mine).label == f"{label} (2)"


def test_a_session_survives_a_backup_and_restore(
    factory: Sessions, town: dict[str, int], model: MaturityModel, tmp_path: Path
) -> None:
    """Backup format 6: invitations and participants round-trip (export, import, export: the same
    bytes); restored into another database the link and the continue code go on; restored as a copy
    beside the original, the copy's link does not open the original's (nor the copy)."""
    token = _invite(factory, town)
    code = _join(factory, token)
    _save(factory, model, token, code, town["noord"], theme_id="visie_inspiratie", value=55)
    _save(factory, model, token, code, town["zuid"], theme_id="visie_inspiratie", value=65)
    with factory() as s:
        first = export_municipality(session=s, municipality_id=town["m"], model=model)
    data = json.loads(first)
    [invitation] = data["municipality"]["rounds"][0]["invitations"]
    assert invitation["token_sha256"] == hashlib.sha256(token.encode()).hexdigest()
    assert invitation["units"] == ["Noord", "Zuid"] and len(invitation["participants"]) == 1
    assert token not in first and code not in first  # only the hashes

    other = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}"))
    with other.begin() as s:
        import_backup(session=s, text=first, model=model)
    with other() as s:
        m = find_municipality(session=s, name="Sessiestad")
        assert m is not None
        assert export_municipality(session=s, municipality_id=m.id, model=model) == first
        noord = s.scalar(select(Unit.id).where(Unit.municipality_id == m.id, Unit.name == "Noord"))
    with other.begin() as s:  # the session goes on in the restored database: same link, same code, same record
        again = save_as_participant(
            session=s,
            token=token,
            code=code,
            unit_id=noord or 0,
            model=model,
            theme_id="visie_inspiratie",
            value=60,
            now=NOW,
        )
    with other() as s:
        assert s.scalar(select(func.count()).select_from(Respondent)) == 2
        assert s.get_one(Respondent, again).label.endswith("deelnemer 1")

    copy = first.replace('"name": "Sessiestad"', '"name": "Sessiestad (kopie)"', 1)
    with factory.begin() as s:
        import_backup(session=s, text=copy, model=model)
    with factory() as s:
        hashes = s.scalars(select(Invitation.token_hash)).all()
    assert len(hashes) == 2 and len(set(hashes)) == 2  # the copy's link is a new one
    with factory() as s:
        assert open_invitation(session=s, token=token, now=NOW).municipality_id == town["m"]  # the original's


def test_a_backup_with_a_participant_of_an_unknown_respondent_is_refused(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    token = _invite(factory, town)
    code = _join(factory, token)
    _save(factory, model, token, code, town["noord"], theme_id="visie_inspiratie", value=55)
    with factory() as s:
        data = json.loads(export_municipality(session=s, municipality_id=town["m"], model=model))
    data["municipality"]["name"] = "Elders"
    data["municipality"]["rounds"][0]["invitations"][0]["participants"][0]["respondents"] = [
        "uitnodiging 9, deelnemer 9"
    ]
    data["municipality"]["rounds"][0]["invitations"][0]["units"] = ["Nergens"]
    with pytest.raises(InputError) as refused, factory.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    shown = " ".join(refused.value.problems)
    assert "invitations[0].units[0]: onbekende wijk 'Nergens'" in shown
    assert "participants[0].respondents[0]: de ronde heeft geen invuller 'uitnodiging 9, deelnemer 9'" in shown
    with factory() as s:
        assert find_municipality(session=s, name="Elders") is None


def test_a_participants_answers_count_in_the_profile(
    factory: Sessions, town: dict[str, int], model: MaturityModel
) -> None:
    """What a participant places is read with every other respondent's (load_frames, behind the
    profiles, Perspectieven, Vergelijken, the deck and the workbook)."""
    token = _invite(factory, town)
    code = _join(factory, token, role="inwoner/jeugd")
    respondent_id = _save(factory, model, token, code, town["noord"], theme_id="visie_inspiratie", value=80)
    with factory() as s:
        frames = load_frames(session=s, municipality_id=town["m"])
    respondents = frames.respondents.set_index("respondent")
    assert respondents.loc[respondent_id, "role"] == "inwoner/jeugd"
    assert respondents.loc[respondent_id, "unit"] == town["noord"]
    placed = frames.positions[frames.positions["respondent"] == respondent_id]
    assert placed["position"].tolist() == [80]
