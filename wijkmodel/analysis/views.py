"""Tables behind the pages and charts, and their downloads. Pure: data in, DataFrame/bytes out."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook

from wijkmodel.analysis.summary import AGGREGATE_UNIT, MunicipalityProfile, aggregate_name
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import UNCERTAIN_BELOW, Profile, ScoringSettings, compute_profile, phase_of
from wijkmodel.scoring.text import format_score, format_scores, phase_label, phase_labels, talking_point_reason
from wijkmodel.storage.analysis_mark import analysis_mark
from wijkmodel.storage.frames import unit_order
from wijkmodel.storage.tables import ActionStatus, UnitKind
from wijkmodel.text.glossary import ANSWERED, COMBINED, RANGE
from wijkmodel.text.spreadsheet import FORMULA_START, write_table


def item_names(model: MaturityModel) -> dict[str, str]:
    """Item id → display name: the six themes, then the five basic functions."""
    names = {t.id: t.name for t in model.themes_ordered()}
    names.update({b.id: b.name for b in model.basic_functions_ordered()})
    return names


# --- one respondent (live scores on the input pages) --------------------------------------------


def respondent_profile(
    positions: dict[str, float | None],
    answers: dict[str, str | None],
    model: MaturityModel,
    instrument: str = "quickscan",
    settings: ScoringSettings | None = None,
) -> Profile:
    """Profile of one respondent's own input (live on the input pages), through the same scoring
    as every other profile. `items` is indexed by item id; `units` has the one row."""
    respondents = pd.DataFrame({"respondent": [0], "unit": [0], "round": [0], "role": ["-"]})
    pos = pd.DataFrame(
        {
            "respondent": 0,
            "theme": list(positions),
            "position": [np.nan if v is None else float(v) for v in positions.values()],
        }
    )
    given = {q: o for q, o in answers.items() if o is not None}
    ans = pd.DataFrame({"respondent": 0, "question": list(given), "option": list(given.values())})
    profile = compute_profile(respondents, pos, ans, model, settings, instrument=instrument)
    return Profile(
        items=profile.items.set_index("item"),
        units=profile.units,
        talking_points=profile.talking_points,
        settings=profile.settings,
    )


def progress(answers: dict[str, str | None], model: MaturityModel, instrument: str) -> tuple[int, int]:
    """(questions with any answer, including 'Weet niet' and 'Niet van toepassing'; all questions)."""
    questions = model.instrument(instrument).questions
    return sum(1 for q in questions if answers.get(q.id) is not None), len(questions)


@dataclass(frozen=True)
class AnswerCounts:
    """How far one respondent is with some questions: `answered` (any answer, 'Weet niet' too),
    `counting` (an answer that carries a score, as coverage counts it: docs/scoring.md) and `total`.
    `general` says whether some of the questions are general ones, which never count."""

    answered: int
    counting: int
    total: int
    general: bool = False


def answer_counts(
    answers: dict[str, str | None], model: MaturityModel, instrument: str, basic_function: str | None = None
) -> AnswerCounts:
    """The `AnswerCounts` of an instrument's questions, or of those of one basic function."""
    questions = [
        q
        for q in model.instrument(instrument).questions
        if basic_function is None or q.basic_function == basic_function
    ]
    scored = {b.id for b in model.basic_functions_ordered()}
    given = [(q, answers.get(q.id)) for q in questions]
    return AnswerCounts(
        answered=sum(1 for _, option in given if option is not None),
        counting=sum(
            1
            for q, option in given
            if option is not None and q.basic_function in scored and model.answer_scores(q).get(option) is not None
        ),
        total=len(questions),
        general=any(q.basic_function not in scored for q in questions),
    )


def answered_line(counts: AnswerCounts) -> str:
    """'30 van 30 vragen beantwoord, 25 met een antwoord dat meetelt (…)': the progress of a
    questionnaire in the words of the scores beside it, which count only answers that carry a score."""
    line = f"{counts.answered} van {counts.total} vragen beantwoord"
    if counts.answered == 0:
        return line
    line += f", {counts.counting} met een antwoord dat meetelt"
    if counts.counting == counts.answered:
        return line
    left_out = (
        "‘Weet niet’, ‘Niet van toepassing’ en de algemene vragen"
        if counts.general
        else "‘Weet niet’ en ‘Niet van toepassing’"
    )
    return f"{line} ({left_out} tellen niet mee)"


def counting_line(counts: AnswerCounts) -> str:
    """'5 van 6 vragen tellen mee': how many questions of a basic function have an answer that
    carries a score (its coverage, in numbers)."""
    return f"{counts.counting} van {counts.total} vragen {'telt' if counts.counting == 1 else 'tellen'} mee"


# --- one unit ----------------------------------------------------------------------------------


def profile_items(mp: MunicipalityProfile, round_id: int, unit_id: int, model: MaturityModel) -> pd.DataFrame:
    """The 6 theme and 5 basic-function scores of one unit, in display order, for chart and table."""
    names = item_names(model)
    if unit_id == AGGREGATE_UNIT:
        row = mp.aggregate[mp.aggregate["round"] == round_id]
        scores = {i: float(row.iloc[0][i]) if not row.empty else np.nan for i in names}
        frame = pd.DataFrame({"item": list(names), "score": [scores[i] for i in names]})
        frame["low"] = np.nan
        frame["high"] = np.nan
        frame["n_respondents"] = 0
        frame["coverage"] = np.nan
        frame["uncertain"] = False
    else:
        items = mp.profile.items
        chosen = items[(items["unit"] == unit_id) & (items["round"] == round_id)].set_index("item")
        frame = pd.DataFrame({"item": list(names)})
        for column in ("score", "low", "high", "n_respondents", "coverage", "uncertain"):
            frame[column] = [chosen[column].get(i, np.nan) if not chosen.empty else np.nan for i in names]
        frame["uncertain"] = frame["uncertain"].fillna(False).astype(bool)
    frame["label"] = [names[i] for i in frame["item"]]
    frame["kind"] = ["thema"] * len(model.themes) + ["basisfunctie"] * len(model.basic_functions)
    frame["phase"] = phase_of(frame["score"].astype(float))
    frame["note"] = [
        "onzeker: minder dan de helft beantwoord" if u and not math.isnan(s) else ""
        for u, s in zip(frame["uncertain"], frame["score"], strict=True)
    ]
    return frame


ONE_RESPONDENT = "één invuller"


def spread_text(low: float, high: float, respondents: float) -> str:
    """'35–60' (lowest and highest respondent) with two or more respondents; with one there is no spread."""
    if math.isnan(low) or math.isnan(high):
        return "–"
    if not respondents >= 2:  # also NaN: the number of respondents unknown
        return ONE_RESPONDENT if respondents == 1 else "–"
    return f"{format_score(low)}–{format_score(high)}"


def profile_table(items: pd.DataFrame) -> pd.DataFrame:
    """The table beside the profile chart, in Dutch."""
    return pd.DataFrame(
        {
            "Onderdeel": items["label"],
            "Score": [format_score(v) for v in items["score"]],
            "Fase": [phase_label(v) for v in items["score"]],
            RANGE: [
                spread_text(lo, hi, n)
                for lo, hi, n in zip(items["low"], items["high"], items["n_respondents"], strict=True)
            ],
            ANSWERED: [
                "" if math.isnan(c) else f"{format_score(c * 100)}%" + (" (onzeker)" if c < UNCERTAIN_BELOW else "")
                for c in items["coverage"]
            ],
        }
    )


def unit_summary(mp: MunicipalityProfile, round_id: int, unit_id: int) -> dict[str, Any]:
    """Overall score and phase, combined index, themes placed, of one unit in one round."""
    source = mp.aggregate if unit_id == AGGREGATE_UNIT else mp.profile.units
    rows = source[(source["unit"] == unit_id) & (source["round"] == round_id)]
    if rows.empty:
        return {
            "overall": np.nan,
            "overall_phase": np.nan,
            "combined": np.nan,
            "combined_phase": np.nan,
            "themes_set": 0,
            "theme_mean": np.nan,
            "bf_mean": np.nan,
        }
    row = rows.iloc[0]
    keys = ("overall", "overall_phase", "combined", "combined_phase", "themes_set", "theme_mean", "bf_mean")
    return {k: row[k] for k in keys}


def talking_points_table(mp: MunicipalityProfile, round_id: int, unit_id: int, model: MaturityModel) -> pd.DataFrame:
    """The talking points of one unit: reason, why the two bear on each other, and the source passage."""
    tps = mp.profile.talking_points
    rows = tps[(tps["unit"] == unit_id) & (tps["round"] == round_id)]
    out = []
    for _, tp in rows.iterrows():
        link = next(k for k in model.links if k.theme == tp["theme"] and k.basic_function == tp["basic_function"])
        out.append(
            {
                "Gesprekspunt": talking_point_reason(tp, model),
                "Waarom hangen ze samen?": link.rationale,
                "Bron": f"“{link.source.passage}” ({model.source(link.source.source).title}, {link.source.location})",
            }
        )
    return pd.DataFrame(out, columns=["Gesprekspunt", "Waarom hangen ze samen?", "Bron"])


def explanation(settings: ScoringSettings, model: MaturityModel) -> list[str]:
    """'Hoe is dit berekend?': every number on the profile pages explained, in Dutch (B1)."""
    weight = format_score(settings.theme_weight * 100)
    other = format_score((1 - settings.theme_weight) * 100)
    scales = [
        model.answer_scale(s) for s in dict.fromkeys(model.question_scale(q).id for q in model.quickscan.questions)
    ]
    answers = " Of: ".join(
        " · ".join(f"{o.label} = {format_score(o.score)}" for o in scale.ordered() if o.score is not None) + "."
        for scale in scales
    )
    skipped = " en ".join(
        f"“{label}”" for label in dict.fromkeys(o.label for scale in scales for o in scale.ordered() if o.score is None)
    )
    polarity = " ".join(
        f"Bij vraag {q.id} is “{label}” het goede antwoord. Daar telt de schaal andersom: {label} = "
        f"{format_score(model.answer_scores(q)[q.good_answer])}."
        for q in model.quickscan.questions
        if model.is_reversed(q)
        for label in [next(o.label for o in model.question_scale(q).options if o.id == q.good_answer)]
    )
    return [
        "Alles staat op één schaal van 0 tot 100. Fase 1 is 0 tot 25, fase 2 is 25 tot 50, fase 3 is 50 tot 75, "
        "fase 4 is 75 tot en met 100.",
        "Een thema krijgt de stand van het schuifje. Een schuifje dat nog niet is gezet, telt niet mee (het telt "
        "niet als 0).",
        f"Quickscan-antwoorden: {answers} Welke rij een vraag gebruikt, hangt af van hoe de vraag is gesteld. "
        f"{skipped} tellen niet mee. {polarity}".strip(),
        "Een basisfunctie krijgt het gemiddelde van de beantwoorde vragen. ‘Deel beantwoord’ zegt hoeveel "
        "vragen een antwoord hebben. Is dat minder dan de helft, dan staat er ‘onzeker’ bij.",
        "Hebben meer mensen een wijk beoordeeld, dan is de score hun gemiddelde. ‘Laagste en hoogste’ laat "
        "het verschil tussen hun antwoorden zien: de laagste en de hoogste score.",
        f"De totaalfase komt uit de zes thema's: {settings.rule.label}.",
        f"‘{COMBINED}’ is één score: {weight}% het gemiddelde van de thema's plus {other}% het gemiddelde van de "
        "basisfuncties. Ontbreekt een van de twee, dan is er geen score.",
        "Een gesprekspunt verschijnt als een thema en een basisfunctie die met elkaar samenhangen 25 punten "
        "(een hele fase) of meer uit elkaar liggen.",
    ]


# --- several units -----------------------------------------------------------------------------


def comparison_scores(
    mp: MunicipalityProfile,
    round_id: int,
    model: MaturityModel,
    unit_ids: list[int] | None = None,
    include_aggregate: bool = True,
) -> pd.DataFrame:
    """Units x items (display names) for one round: chosen wijken (default all, the municipality as a
    whole included) and, at the bottom, the aggregate of the wijken."""
    names = item_names(model)
    units = mp.frames.units.set_index("unit")
    rows = mp.profile.units[mp.profile.units["round"] == round_id].set_index("unit")
    wanted = unit_order(mp.frames.units, unit_ids)
    table = rows.reindex(wanted)[list(names)]
    table.index = [str(units.loc[u, "name"]) for u in wanted]
    if include_aggregate:
        aggregate = mp.aggregate[mp.aggregate["round"] == round_id]
        if not aggregate.empty:
            table.loc[aggregate_name(mp.profile.settings)] = aggregate.iloc[0][list(names)].to_numpy(dtype=float)
    table.columns = [names[i] for i in names]
    table.index.name = "Wijk"
    return table.astype(float)


def sort_table(table: pd.DataFrame, column: str | None, descending: bool = True) -> pd.DataFrame:
    """Sort rows by one column (missing scores last); None keeps the order."""
    if column is None:
        return table
    return table.sort_values(column, ascending=not descending, na_position="last", kind="stable")


def comparison_display(table: pd.DataFrame, overall: pd.Series | None = None) -> pd.DataFrame:
    """The comparison table as people read it: scores with a comma and the phase next to each."""
    out = pd.DataFrame(index=table.index)
    for column in table.columns:
        scores, phases = format_scores(table[column].to_numpy()), phase_labels(table[column])
        out[column] = [f"{s} ({p})" if p != "–" else "–" for s, p in zip(scores, phases, strict=True)]
    if overall is not None:
        out.insert(0, "Totaalfase", phase_labels(overall.reindex(table.index)))
    return out


# --- downloads ---------------------------------------------------------------------------------


def formula_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _safe_frame(table: pd.DataFrame) -> pd.DataFrame:
    safe = table.copy()
    safe.index = [formula_safe(i) for i in safe.index]
    safe.index.name = formula_safe(table.index.name) if table.index.name else None
    safe.columns = [formula_safe(c) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(formula_safe)
    return safe


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV as Dutch Excel opens it: ';' separator, decimal comma, UTF-8 with BOM, formula-safe.

    Rows end in CRLF, so a cell holding a bare CR is quoted too: Excel would start a new row there."""
    return _safe_frame(table).to_csv(sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(table: pd.DataFrame, sheet: str = "Tabel") -> bytes:
    """Excel workbook with one sheet; text is stored as text (never a formula), numbers as numbers."""
    book = Workbook()
    target = book.active
    target.title = sheet[:31]
    header = [str(table.index.name or ""), *map(str, table.columns)]
    rows = ([index, *values] for index, values in zip(table.index, table.itertuples(index=False), strict=True))
    write_table(target, header, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- where the user is in the four steps ---------------------------------------------------------

STEPS = ["Wijk-analyse en prioriteiten", "Startpositie", "Kernkeuzes", "Start met wijkgericht werken"]
STEP_TITLES = [
    "Maak een wijk-analyse en stel prioriteiten",
    "Bepaal de startpositie",
    "Maak kernkeuzes",
    "Start met wijkgericht werken",
]
"""The four steps as the OZJ publication names them (data/model cites them: 'Stap 2 – Bepaal de startpositie')."""
STEPS_SOURCE = "ozj"


def welcome(model: MaturityModel) -> tuple[str, str]:
    """What wijkmodel is and its four steps, in two sentences, and the source of the steps (page Start)."""
    steps = [t[:1].lower() + t[1:] for t in STEP_TITLES]
    text = (
        "Met wijkmodel ziet u per wijk hoe ver uw gemeente is met wijkgericht werken, en bespreekt u "
        "met uw partners wat de volgende stap is. "
        f"U werkt in vier stappen: {', '.join(steps[:-1])} en {steps[-1]}."
    )
    return text, f"Bron van de vier stappen: {model.source(STEPS_SOURCE).citation()}"


@dataclass(frozen=True)
class FirstStep:
    """Step 1: there is an analysis when the wijk figures are imported, or when step 1 is marked
    done with a note of what was done (`storage/analysis_mark.py`). Wijken alone are no analysis."""

    figures: bool = False
    marked: bool = False

    @property
    def done(self) -> bool:
        return self.figures or self.marked

    @property
    def extra(self) -> str:
        if self.figures:
            return "kerncijfers ingelezen"
        return "afgevinkt" if self.marked else "nog geen kerncijfers"


@dataclass(frozen=True)
class LaterSteps:
    """Steps 3 and 4: core choices made in the round, and actions (those begun or done)."""

    choices_made: int = 0
    choices_total: int = 2
    actions: int = 0
    actions_started: int = 0


@dataclass(frozen=True)
class Placement:
    """Step 2: how many wijken have a slider placed in the round, and whether the municipality as a
    whole has one."""

    wijken_placed: int
    wijken: int
    whole_placed: bool

    @property
    def done(self) -> bool:
        return self.wijken_placed == self.wijken and self.whole_placed

    @property
    def extra(self) -> str:
        """'8 van 8 wijken geplaatst; gemeente als geheel nog niet': the wijken and the whole apart, as
        the unit picker offers them ('Wijk (of de gemeente als geheel)')."""
        whole = "gemeente als geheel"
        if self.wijken == 0:
            return f"nog geen wijken; {whole} {'geplaatst' if self.whole_placed else 'nog niet geplaatst'}"
        wijken = f"{self.wijken_placed} van {self.wijken} {'wijk' if self.wijken == 1 else 'wijken'}"
        if self.whole_placed:
            return f"{wijken} en de gemeente als geheel geplaatst"
        return f"{wijken} geplaatst; gemeente als geheel nog niet"


def cycle_line(n_wijken: int, n_rounds: int, placed: Placement, later: LaterSteps, first: FirstStep) -> str:
    """One line: the four steps of the OZJ publication, with where this municipality is now.

    Step 1 is done when there is an analysis (`FirstStep`); step 2 when every wijk and the
    municipality as a whole has a slider placed; step 3 when every core choice of the round is made
    (follow-up questions not counted); step 4 when an action is under way."""
    done = [
        first.done,
        placed.done,
        later.choices_total > 0 and later.choices_made == later.choices_total,
        later.actions_started > 0,
    ]
    current = next((i for i, d in enumerate(done) if not d), 3)
    extras = [
        f" ({n_wijken} {'wijk' if n_wijken == 1 else 'wijken'}, {first.extra})",
        f" ({placed.extra})" if n_rounds else "",
        f" ({later.choices_made} van {later.choices_total} gemaakt)",
        f" ({later.actions} {'actie' if later.actions == 1 else 'acties'}, {later.actions_started} begonnen of klaar)",
    ]
    parts = []
    for i, step in enumerate(STEPS):
        mark = "✓" if done[i] else ("▶" if i == current else "○")
        parts.append(f"{mark} Stap {i + 1}: {step}{extras[i]}")
    return " · ".join(parts)


def first_step(mp: MunicipalityProfile, round_id: int) -> FirstStep:
    """Step 1 for `cycle_line`: wijk figures imported, or step 1 marked done with a note in this round."""
    return FirstStep(
        figures=not mp.frames.indicators.empty,
        marked=analysis_mark(mp.frames.analysis_marks, round_id).counts,
    )


def first_step_note(first: FirstStep) -> str:
    """Where step 1 stands, in plain Dutch, above the form that marks it done (page Wijkanalyse)."""
    if first.figures:
        return "Stap 1 telt als klaar: de kerncijfers van de wijken zijn ingelezen."
    if first.marked:
        return "Stap 1 telt als klaar: u hebt de stap afgevinkt en opgeschreven wat u hebt gedaan."
    return (
        "Stap 1 is nog niet klaar. Lees kerncijfers in op de pagina Wijkdata. Of vink de stap hieronder af "
        "en schrijf op wat u hebt gedaan, bijvoorbeeld welke gesprekken u voerde."
    )


def later_steps(mp: MunicipalityProfile, round_id: int, model: MaturityModel) -> LaterSteps:
    """Steps 3 and 4 for `cycle_line`: the model's core choices made in this round (not their
    follow-up questions), actions and those under way."""
    main = [c.id for c in model.main_core_choices()]
    choices = mp.frames.core_choices
    made = choices[(choices["round"] == round_id) & choices["option"].notna() & choices["choice"].isin(main)]
    statuses = mp.frames.actions["status"]
    return LaterSteps(
        choices_made=int(made["choice"].nunique()),
        choices_total=len(main),
        actions=len(statuses),
        actions_started=int(statuses.isin([ActionStatus.RUNNING, ActionStatus.DONE]).sum()),
    )


def placed_units(mp: MunicipalityProfile, round_id: int) -> Placement:
    """Step 2 for `cycle_line`: the wijken with at least one slider placed in this round, and
    whether the municipality as a whole has one."""
    rows = mp.profile.units[mp.profile.units["round"] == round_id]
    placed = set(rows.loc[rows["themes_set"] > 0, "unit"])
    units = mp.frames.units
    wijken = units.loc[units["kind"] == UnitKind.WIJK, "unit"]
    whole = units.loc[units["kind"] == UnitKind.MUNICIPALITY, "unit"]
    return Placement(
        wijken_placed=int(wijken.isin(placed).sum()),
        wijken=len(wijken),
        whole_placed=bool(whole.isin(placed).any()),
    )


def slug(*parts: str) -> str:
    """'voorbeeldstad-de-hoven-2026': lower case, letters and digits joined by single hyphens, so a
    file name is safe on every file system."""
    text = "-".join("".join(c if c.isalnum() else "-" for c in p.casefold()).strip("-") for p in parts)
    while "--" in text:
        text = text.replace("--", "-")
    return text
