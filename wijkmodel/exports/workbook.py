"""The Excel workbook: every wijk, round, respondent, score, answer and note of a municipality,
one sheet per kind, headers in Dutch, formula-safe (wijkmodel.text.spreadsheet)."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from wijkmodel.analysis.conditions import all_condition_scores
from wijkmodel.analysis.practice import zet_rows
from wijkmodel.analysis.region import RegionData
from wijkmodel.analysis.summary import MunicipalityProfile, aggregate_name
from wijkmodel.analysis.views import item_names
from wijkmodel.exports.region import REGION_SHEET_HEADER, region_sheet_rows
from wijkmodel.exports.workbook_cycle import CYCLE_SHEETS, add_cycle_sheets
from wijkmodel.model.indicators import indicator_label
from wijkmodel.model.schema import GENERAL, MaturityModel, Question
from wijkmodel.scoring.core import ScoringSettings, phase_of
from wijkmodel.scoring.text import talking_point_reason
from wijkmodel.storage.frames import unit_names, unit_order
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.tables import Answer, Respondent, Round, ThemePosition, Unit, UnitKind
from wijkmodel.text.glossary import ANSWERED, COMBINED
from wijkmodel.text.spreadsheet import write_table

PERSON = ["Ronde", "Wijk", "Rol", "Omschrijving"]
TRACE = ["Overgenomen uit vorige ronde", "Modelversie", "Bijgewerkt (UTC)"]
KIND_NAMES = {UnitKind.WIJK: "wijk", UnitKind.MUNICIPALITY: "gemeente als geheel"}
SHEETS = {
    "Wijken": "elke wijk, en de gemeente als geheel",
    "Kerncijfers": "de cijfers van de wijk-analyse per wijk en jaar (CBS of een eigen bestand), met de bron",
    "Rondes": "elke ronde met de datum",
    "Invullers": "wie per ronde en wijk invulde (een rol en een omschrijving, geen namen)",
    "Totaal per wijk": "totaalfase en de score van thema's en basisfuncties samen, per wijk en ronde",
    "Scores": "de score van elk thema en elke basisfunctie per wijk en ronde",
    "Schuifjes": "elke stand van een schuifje (startpositie), met de toelichting",
    "Antwoorden": "elk antwoord op de Quickscan, de verdiepende vragen en de randvoorwaarden, met de toelichting",
    "Toelichtingen": "alle toelichtingen bij elkaar",
    "Gesprekspunten": "waar een thema en een basisfunctie een fase of meer uit elkaar liggen",
    "Randvoorwaarden": "elke randvoorwaarde van de gemeente als geheel per ronde, met het thema dat zij dient",
    "ZET": "elke uitkomst van een ZET-evaluatie (de praktijk) per ronde, wijk en basisfunctie, met de schaal en "
    "de score van 0 tot 100",
}


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number, 2)


def _phase(value: Any) -> int | None:
    number = _num(value)
    return None if number is None else int(phase_of(float(value)))


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Stored times are UTC without a zone; Excel has no zones: show them as stored, to the second."""
    return None if moment is None else moment.replace(microsecond=0, tzinfo=None)


def _indicator_rows(indicators: pd.DataFrame, units: pd.DataFrame) -> list[list[Any]]:
    """Wijk, its CBS code, readable indicator, year, value, source: wijken in the order of `units`,
    then by readable indicator and year."""
    order = {unit: n for n, unit in enumerate(units["unit"])}
    chosen = indicators[indicators["unit"].isin(order)]
    name = unit_names(units)
    code = dict(zip(units["unit"], units["cbs_code"], strict=True))
    rows = sorted(
        chosen.itertuples(),
        key=lambda v: (order[v.unit], indicator_label(v.indicator).casefold(), v.indicator, int(v.year)),
    )
    return [
        [
            name[v.unit],
            None if pd.isna(code[v.unit]) else code[v.unit],
            indicator_label(v.indicator),
            int(v.year),
            float(v.value),
            v.source,
        ]
        for v in rows
    ]


def _entries(session: Session, base: Select, table: type[ThemePosition | Answer], item: Any, value: Any) -> list:
    """Rows of slider positions or answers: who (round, wijk, role, label), item, value, note and trace."""
    query = (
        base.add_columns(item, value, table.note, table.carried_over, table.model_version, table.updated_at)
        .join(table, table.respondent_id == Respondent.id)
        .order_by(Round.date, Unit.name, Respondent.role, Respondent.label, item)
    )
    return list(session.execute(query).all())


@dataclass(frozen=True)
class _Chosen:
    """What the workbook holds: the chosen units (display order) and rounds, with their names."""

    mp: MunicipalityProfile
    model: MaturityModel
    units: pd.DataFrame
    rounds: pd.DataFrame
    unit_name: dict[int, str]
    round_label: dict[int, str]
    aggregate: pd.DataFrame
    """The mean of the wijken per round; empty when the workbook holds chosen wijken only."""

    @property
    def settings(self) -> ScoringSettings:
        return self.mp.profile.settings

    def keeps(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of `frame` (with unit and round) of the chosen units and rounds."""
        return frame[frame["unit"].isin(self.unit_name.keys()) & frame["round"].isin(self.round_label.keys())]


def _chosen(
    mp: MunicipalityProfile, model: MaturityModel, round_ids: list[int] | None, unit_ids: list[int] | None
) -> _Chosen:
    frames = mp.frames
    order = unit_order(frames.units, unit_ids)
    units = frames.units.set_index("unit").loc[order].reset_index()
    rounds = frames.rounds if round_ids is None else frames.rounds[frames.rounds["round"].isin(round_ids)]
    round_label = dict(zip(rounds["round"], rounds["label"], strict=True))
    aggregate = mp.aggregate[mp.aggregate["round"].isin(round_label)] if unit_ids is None else mp.aggregate.iloc[:0]
    return _Chosen(mp, model, units, rounds, unit_names(units), round_label, aggregate)


def _about_sheet(book: Workbook, c: _Chosen, today: dt.date) -> None:
    about = book.active
    assert about is not None
    about.title = "Over dit bestand"
    write_table(
        about,
        ["Onderwerp", "Waarde"],
        [
            ["Gemeente", c.mp.name],
            ["Rondes", ", ".join(map(str, c.round_label.values()))],
            ["Gemaakt op", today.strftime("%d-%m-%Y")],
            ["Totaalfase", c.settings.rule.label],
            [f"Gewicht van de thema's in ‘{COMBINED}’", c.settings.theme_weight],
            ["Gemiddelde van de wijken", aggregate_name(c.settings)],
            ["Versie van het model", c.model.version],
            ["Schaal", "0 tot 100; fase 1: 0–25, fase 2: 25–50, fase 3: 50–75, fase 4: 75–100"],
            *[[f"Blad ‘{sheet}’", text] for sheet, text in (SHEETS | CYCLE_SHEETS).items()],
        ],
    )


def _structure_sheets(book: Workbook, c: _Chosen) -> None:
    """Wijken, their figures, rounds and respondents."""
    write_table(
        book.create_sheet("Wijken"),
        ["Naam", "Soort", "Wijkcode (CBS)", "Inwoners"],
        [
            [u.name, KIND_NAMES.get(u.kind, u.kind), u.cbs_code, None if pd.isna(u.population) else int(u.population)]
            for u in c.units.itertuples()
        ],
    )
    write_table(
        book.create_sheet("Kerncijfers"),
        ["Wijk", "Code", "Kerncijfer", "Jaar", "Waarde", "Bron"],
        _indicator_rows(c.mp.frames.indicators, c.units),
    )
    write_table(
        book.create_sheet("Rondes"),
        ["Ronde", "Datum"],
        [[r.label, r.date] for r in c.rounds.itertuples()],
    )
    write_table(
        book.create_sheet("Invullers"),
        ["Ronde", "Wijk", "Rol", "Omschrijving"],
        [
            [c.round_label[r.round], c.unit_name[r.unit], r.role, r.label]
            for r in c.keeps(c.mp.frames.respondents).itertuples()
        ],
    )


def _total_sheet(book: Workbook, c: _Chosen) -> None:
    totals = []
    for frame, label in ((c.keeps(c.mp.profile.units), None), (c.aggregate, aggregate_name(c.settings))):
        for row in frame.itertuples():
            totals.append(
                [
                    c.round_label[row.round],
                    label or c.unit_name[row.unit],
                    _num(row.overall),
                    _phase(row.overall),
                    _num(row.combined),
                    _phase(row.combined),
                    None if label else int(row.themes_set),
                ]
            )
    write_table(
        book.create_sheet("Totaal per wijk"),
        ["Ronde", "Wijk", "Totaalscore", "Totaalfase", COMBINED, "Fase daarvan", "Thema's geplaatst"],
        totals,
    )


def _score_sheet(book: Workbook, c: _Chosen) -> None:
    names = item_names(c.model)
    score_rows = [
        [
            c.round_label[i.round],
            c.unit_name[i.unit],
            names.get(i.item, i.item),
            i.kind,
            _num(i.score),
            _phase(i.score),
            _num(i.low),
            _num(i.high),
            int(i.n_respondents),
            None if pd.isna(i.coverage) else _num(i.coverage * 100),
        ]
        for i in c.keeps(c.mp.profile.items).itertuples()
    ]
    themes = {t.id for t in c.model.themes}
    for row in c.aggregate.itertuples():
        for item_id, name in names.items():
            kind = "thema" if item_id in themes else "basisfunctie"
            value = getattr(row, item_id)
            score_rows.append(
                [c.round_label[row.round], aggregate_name(c.settings), name, kind, _num(value), _phase(value)]
                + [None] * 4
            )
    write_table(
        book.create_sheet("Scores"),
        ["Ronde", "Wijk", "Onderdeel", "Soort", "Score", "Fase", "Laagste", "Hoogste", "Invullers", f"{ANSWERED} (%)"],
        score_rows,
    )


def _who(c: _Chosen) -> Select:
    """Round, wijk, role and label of the chosen respondents: the first columns of an entry."""
    return (
        select(Round.label, Unit.name, Respondent.role, Respondent.label)
        .join(Respondent, Respondent.round_id == Round.id)
        .join(Unit, Unit.id == Respondent.unit_id)
        .where(Round.id.in_(c.round_label.keys()), Unit.id.in_(c.unit_name.keys()))
    )


def _position_sheet(book: Workbook, session: Session, c: _Chosen) -> list[list[Any]]:
    """Every slider position; returns the notes (who, about what, note)."""
    positions = _entries(session, _who(c), ThemePosition, ThemePosition.theme_id, ThemePosition.position)
    theme_names = {t.id: t.name for t in c.model.themes}
    write_table(
        book.create_sheet("Schuifjes"),
        [*PERSON, "Thema", "Stand (0–100)", "Fase", "Toelichting", *TRACE],
        [
            [
                r[0],
                r[1],
                r[2],
                r[3],
                theme_names.get(r[4], r[4]),
                _num(r[5]),
                _phase(r[5]),
                r[6],
                r[7],
                r[8],
                _local(r[9]),
            ]
            for r in positions
        ],
    )
    return [[r[0], r[1], r[2], r[3], f"Thema: {theme_names.get(r[4], r[4])}", r[6]] for r in positions if r[6]]


def _answer_sheet(book: Workbook, session: Session, c: _Chosen) -> list[list[Any]]:
    """Every answer of both questionnaires; returns the notes (who, about what, note)."""
    model = c.model
    answers = _entries(session, _who(c), Answer, Answer.question_id, Answer.option_id)
    questions = {q.id: (instrument, q) for instrument in model.instruments() for q in instrument.questions}
    answer_rows = []
    for r in answers:
        instrument, question = questions.get(r[4], (None, None))
        labels = {o.id: o.label for o in model.question_scale(question).options} if question else {}
        scores = model.answer_scores(question) if question else {}
        option = r[5] if r[5] in labels else None
        answer_rows.append(
            [
                r[0],
                r[1],
                r[2],
                r[3],
                instrument.name if instrument else "",
                r[4],
                _group_name(model, question) if question else "",
                question.text if question else "",
                labels[option] if option else r[5],
                scores[option] if option else None,
                r[6],
                r[7],
                r[8],
                _local(r[9]),
            ]
        )
    write_table(
        book.create_sheet("Antwoorden"),
        [*PERSON, "Vragenlijst", "Vraag-id", "Basisfunctie", "Vraag", "Antwoord", "Score", "Toelichting", *TRACE],
        answer_rows,
    )
    return [[a[0], a[1], a[2], a[3], f"Vraag {a[5]}: {a[7]}", a[10]] for a in answer_rows if a[10]]


def _group_name(model: MaturityModel, question: Question) -> str:
    """The basic function of a question, or the condition of a Randvoorwaarden question, or 'Algemeen'."""
    if question.condition is not None:
        return f"Randvoorwaarde: {model.randvoorwaarden.condition(question.condition).name}"
    if question.basic_function == GENERAL:
        return "Algemeen"
    return model.basic_function(question.basic_function).name


def _conditions_sheet(book: Workbook, c: _Chosen) -> None:
    """The Randvoorwaarden per round (the municipality as a whole; a unit only when it answered them)."""
    rv = c.model.randvoorwaarden
    scores = c.keeps(all_condition_scores(c.mp, c.model))
    write_table(
        book.create_sheet("Randvoorwaarden"),
        [
            "Ronde",
            "Wijk",
            "Randvoorwaarde",
            "Dient het thema",
            "Score",
            "Fase",
            "Laagste",
            "Hoogste",
            "Invullers",
            f"{ANSWERED} (%)",
            "Bron",
        ],
        [
            [
                c.round_label[row.round],
                c.unit_name[row.unit],
                rv.condition(row.condition).name,
                c.model.theme(rv.condition(row.condition).theme).name,
                _num(row.score),
                _phase(row.score),
                _num(row.low),
                _num(row.high),
                int(row.n_respondents),
                _num(row.coverage * 100),
                c.model.source(rv.condition(row.condition).source.source).citation(),
            ]
            for row in scores.itertuples()
        ],
    )


def _zet_sheet(book: Workbook, c: _Chosen) -> None:
    """Every ZET outcome: its value on its own scale and the score on 0-100 (`analysis.practice.SCORE_RULE`)."""
    write_table(
        book.create_sheet("ZET"),
        [
            "Ronde",
            "Wijk",
            "Basisfunctie",
            "Uitkomst",
            "Laagste van de schaal",
            "Hoogste van de schaal",
            "Score (0-100)",
            "Fase",
            "Casussen",
            "Datum",
            "Toelichting",
        ],
        zet_rows(c.mp.frames.zet, c.model, c.unit_name, c.round_label),
    )


def _talking_point_sheet(book: Workbook, c: _Chosen) -> None:
    model = c.model
    links = {(k.theme, k.basic_function): k for k in model.links}
    theme_names = {t.id: t.name for t in model.themes}
    write_table(
        book.create_sheet("Gesprekspunten"),
        ["Ronde", "Wijk", "Thema", "Basisfunctie", "Verschil", "Gesprekspunt", "Waarom hangen ze samen?", "Bron"],
        [
            [
                c.round_label[tp["round"]],
                c.unit_name[tp["unit"]],
                theme_names[tp["theme"]],
                model.basic_function(tp["basic_function"]).name,
                _num(tp["gap"]),
                talking_point_reason(tp, model),
                links[(tp["theme"], tp["basic_function"])].rationale,
                model.source(links[(tp["theme"], tp["basic_function"])].source.source).citation(),
            ]
            for _, tp in c.keeps(c.mp.profile.talking_points).iterrows()
        ],
    )


def build_workbook(
    *,
    session: Session,
    mp: MunicipalityProfile,
    model: MaturityModel,
    today: dt.date,
    round_ids: list[int] | None = None,
    unit_ids: list[int] | None = None,
    regions: Sequence[RegionData] = (),
) -> bytes:
    """The workbook as .xlsx bytes; `round_ids`/`unit_ids` limit it (default: everything). `regions`:
    the municipality's regions as the person may see them (`exports.region.municipality_regions`),
    in the sheet 'Regio'."""
    chosen = _chosen(mp, model, round_ids, unit_ids)
    book = Workbook()
    _about_sheet(book, chosen, today)
    _structure_sheets(book, chosen)
    _total_sheet(book, chosen)
    _score_sheet(book, chosen)
    notes = _position_sheet(book, session, chosen)
    notes += _answer_sheet(book, session, chosen)
    write_table(
        book.create_sheet("Toelichtingen"), ["Ronde", "Wijk", "Rol", "Omschrijving", "Waarover", "Toelichting"], notes
    )
    _talking_point_sheet(book, chosen)
    _conditions_sheet(book, chosen)
    _zet_sheet(book, chosen)
    municipality = find_municipality(session=session, name=mp.name)
    assert municipality is not None
    add_cycle_sheets(
        book,
        session=session,
        municipality_id=municipality.id,
        mp=mp,
        model=model,
        unit_name=chosen.unit_name,
        round_label=chosen.round_label,
    )
    if regions:
        rounds = [(str(r.label), pd.Timestamp(r.date).year) for r in chosen.rounds.itertuples()]
        write_table(book.create_sheet("Regio"), REGION_SHEET_HEADER, region_sheet_rows(list(regions), rounds, model))
        book["Over dit bestand"].append(
            ["Blad ‘Regio’", "de gemeenten van de regio's van deze gemeente, elk als geheel (alleen wie deelt)"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
