"""Validation of what users type, apart from the table rows (clear Dutch messages, nothing saved on error)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from wijkmodel.storage.tables import ActionStatus, Role

T = TypeVar("T", bound=BaseModel)

MAX_NAME = 200
MAX_LABEL = 100
MAX_NOTE = 5000
MAX_DESCRIPTION = 1000
MAX_POPULATION = 10_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Invisible control characters; tab and line breaks are allowed (free text)."""
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""The same, tab and line breaks included (one-line text: a column name, a source)."""


def has_control(value: str, *, line_breaks: bool = False) -> bool:
    """True when `value` holds an invisible control character (tab and line breaks only count
    when `line_breaks` is False: one-line text)."""
    return bool((_CONTROL if line_breaks else _LINE_CONTROL).search(value))


FIELD_LABELS = {
    "name": "naam",
    "cbs_code": "CBS-code",
    "population": "inwoners",
    "label": "label",
    "date": "datum",
    "role": "rol",
    "note": "toelichting",
    "position": "positie",
    "target_date": "streefdatum",
    "description": "beschrijving",
    "owner": "eigenaar",
    "start_date": "startdatum",
    "end_date": "einddatum",
    "status": "status",
    "rationale": "onderbouwing",
    "value": "uitkomst",
    "scale_min": "laagste waarde van de schaal",
    "scale_max": "hoogste waarde van de schaal",
    "cases": "aantal casussen",
    "evaluated_on": "datum van de evaluatie",
}


MAX_QUOTED = 100
"""Longest piece of the user's own text that a message repeats between quotes; longer is cut, so a
message about a 100,000-character name stays readable."""
# a quote ('...' or ‘...’) opens at the start or after a space, '(' or ':', and closes before a space or punctuation,
# so the message's own words between two short quotes are never taken for a quote
_LONG_QUOTES = [
    re.compile(rf"(?:(?<=[\s(:])|^){left}([^{right}\n]{{{MAX_QUOTED + 1},}}){right}(?=[\s.,;:)!?]|$)")
    for left, right in (("'", "'"), ("‘", "’"))
]


def _shortened(problem: str) -> str:
    def cut(match: re.Match[str]) -> str:
        left, text, right = match.group(0)[0], match.group(1), match.group(0)[-1]
        return f"{left}{text[:MAX_QUOTED]}…{right} ({len(text):,} tekens)".replace(",", ".")

    for pattern in _LONG_QUOTES:
        problem = pattern.sub(cut, problem)
    return problem


class InputError(ValueError):
    """Bad input; `problems` lists every problem in Dutch, each naming what and where."""

    def __init__(self, problems: list[str]):
        self.problems = [_shortened(p) for p in problems]
        super().__init__("\n".join(self.problems))


def _clean_name(value: str) -> str:
    value = " ".join(value.split())
    if _CONTROL.search(value):
        raise ValueError("bevat onzichtbare stuurtekens")
    if not value:
        raise ValueError("mag niet leeg zijn")
    return value


def clean_note(value: str) -> str:
    # Notes may hold line breaks and tabs, nothing else invisible.
    if _CONTROL.search(value):
        raise ValueError("bevat onzichtbare stuurtekens")
    return value.strip()


def plain_text(value: str) -> str:
    # Free text kept exactly as it is (line breaks and tabs allowed), nothing else invisible.
    if _CONTROL.search(value):
        raise ValueError("bevat onzichtbare stuurtekens")
    return value


def clean_label(value: str) -> str:
    # An optional label: like a name, but empty is allowed.
    return _clean_name(value) if value.strip() else ""


Name = Annotated[str, Field(max_length=MAX_NAME), AfterValidator(_clean_name)]
Label = Annotated[str, Field(max_length=MAX_LABEL), AfterValidator(_clean_name)]
Note = Annotated[str, Field(max_length=MAX_NOTE), AfterValidator(clean_note)]
Description = Annotated[str, Field(max_length=MAX_DESCRIPTION), AfterValidator(_clean_name)]
Owner = Annotated[str, Field(max_length=MAX_NAME), AfterValidator(clean_label)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MunicipalityIn(_Input):
    """A new or renamed municipality."""

    name: Name
    """Name, 1-200 characters."""
    cbs_code: str | None = Field(default=None, pattern=r"^GM[0-9]{4}$")
    """CBS code `GM` + 4 digits."""


class RegionIn(_Input):
    """A new or renamed region."""

    name: Name


class WijkIn(_Input):
    """A new or changed wijk."""

    name: Name
    """Name, 1-200 characters, unique within the municipality."""
    cbs_code: str | None = Field(default=None, pattern=r"^WK[0-9]{6}$")
    """CBS code `WK` + 6 digits."""
    population: int | None = Field(default=None, ge=0, le=MAX_POPULATION)
    """Number of inhabitants."""


class RoundIn(_Input):
    """A new round."""

    label: Label
    """Label, e.g. '2026'."""
    date: dt.date
    """Date of the round."""


class RespondentIn(_Input):
    """A respondent: a role and an optional label, no personal data."""

    role: Role
    """Role (perspective)."""
    label: Annotated[str, Field(max_length=MAX_LABEL), AfterValidator(clean_label)] = ""
    """Optional label, e.g. 'team Noord'."""


class TargetIn(_Input):
    """A target position for one theme or basic function of a unit."""

    position: Annotated[float, Field(ge=0, le=100), AfterValidator(lambda v: v + 0.0)]
    """Target on the 0-100 scale (-0 is stored as 0)."""
    target_date: dt.date | None = None
    """When the target should be reached."""


class ZetIn(_Input):
    """The outcome of a ZET evaluation for one basic function: a value on the evaluation's own scale."""

    value: Annotated[float, Field(allow_inf_nan=False), AfterValidator(lambda v: v + 0.0)]
    """The outcome, between `scale_min` and `scale_max`."""
    scale_min: Annotated[float, Field(allow_inf_nan=False, ge=-1_000_000, le=1_000_000)] = 0.0
    """Lowest value of the evaluation's scale (0 on the one 0-100 scale)."""
    scale_max: Annotated[float, Field(allow_inf_nan=False, ge=-1_000_000, le=1_000_000)] = 100.0
    """Highest value of the evaluation's scale (100 on the one 0-100 scale)."""
    cases: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    """Number of casussen the evaluation looked at."""
    evaluated_on: dt.date | None = None
    """When the evaluation was done."""
    note: Note = ""
    """What the evaluation showed, in the user's words."""

    @model_validator(mode="after")
    def _value_on_its_scale(self) -> ZetIn:
        if self.scale_max <= self.scale_min:
            raise ValueError("de hoogste waarde van de schaal moet groter zijn dan de laagste")
        if not self.scale_min <= self.value <= self.scale_max:
            raise ValueError(
                f"de uitkomst moet tussen {_number(self.scale_min)} en {_number(self.scale_max)} liggen "
                f"(de schaal van de evaluatie), niet {_number(self.value)}"
            )
        return self


class ActionIn(_Input):
    """One action of the action plan."""

    description: Description
    """What will be done, in a sentence or two."""
    owner: Owner = ""
    """A role or organisation; no personal data needed."""
    start_date: dt.date | None = None
    """Start."""
    end_date: dt.date | None = None
    """End."""
    status: ActionStatus = ActionStatus.PLANNED
    """gepland, loopt, klaar or gestopt."""

    @model_validator(mode="after")
    def _dates_in_order(self) -> ActionIn:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("de einddatum ligt voor de startdatum")
        return self


class CoreChoiceIn(_Input):
    """The rationale of a core choice."""

    rationale: Note = ""
    """Why this choice (free text)."""


def field_problem(what: str, field: str, text: str) -> str:
    """A problem with one field of `what` (a field name of the input models, such as 'name'):
    'Wijk, veld naam: mag niet leeg zijn'. `split_field_problem` reads it back, so a form can name
    the field by its own label."""
    return f"{what}, veld {FIELD_LABELS.get(field, field)}: {text}"


_FIELD_PROBLEM = re.compile(r"(?P<what>[^,:\n]+), veld (?P<label>[^:\n]+): (?P<text>.+)", re.DOTALL)
_FIELD_NAMES = {label: field for field, label in FIELD_LABELS.items()}


def split_field_problem(problem: str) -> tuple[str, str, str] | None:
    """(what, field name, text) of a problem made by `field_problem`; None for any other problem."""
    found = _FIELD_PROBLEM.fullmatch(problem)
    if found is None:
        return None
    label = found["label"]
    return found["what"], _FIELD_NAMES.get(label, label), found["text"]


def messages(exc: ValidationError, what: str) -> list[str]:
    """Dutch messages for a validation error: '<what>, veld naam: mag niet leeg zijn'."""
    out = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"])
        if not field:  # a check across fields names no single field
            out.append(f"{what}: {dutch_message(error)}")
            continue
        out.append(field_problem(what, field, dutch_message(error)))
    return out


def dutch_message(error: object) -> str:
    """Translate the pydantic errors users can cause into plain Dutch."""
    e: dict = error  # type: ignore[assignment]
    kind = e["type"]
    ctx = e.get("ctx", {}) or {}
    if kind == "string_too_long":
        return f"is te lang (hoogstens {ctx.get('max_length')} tekens)"
    if kind == "string_pattern_mismatch":
        if "GM" in str(ctx.get("pattern")):
            return "moet 'GM' gevolgd door 4 cijfers zijn, bijvoorbeeld GM0363"
        if "WK" in str(ctx.get("pattern")):
            return "moet 'WK' gevolgd door 6 cijfers zijn, bijvoorbeeld WK036300"
        return "heeft niet de juiste vorm"
    if kind == "greater_than_equal":
        return f"moet minstens {_number(ctx.get('ge'))} zijn"
    if kind == "less_than_equal":
        return f"mag hoogstens {_number(ctx.get('le'))} zijn"
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"):
        return "moet een getal zijn"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "moet een datum zijn (JJJJ-MM-DD)"
    if kind in ("enum", "literal_error"):
        return f"moet een van deze zijn: {str(ctx.get('expected')).replace(' or ', ' of ')}"
    if kind == "missing":
        return "ontbreekt"
    if kind == "extra_forbidden":
        return "is onbekend"
    if kind == "string_type":
        return "moet tekst zijn"
    if kind == "string_too_short":
        return (
            "mag niet leeg zijn"
            if ctx.get("min_length") == 1
            else f"is te kort (minstens {ctx.get('min_length')} tekens)"
        )
    if kind in ("bool_type", "bool_parsing"):
        return "moet true of false zijn"
    if kind.startswith("datetime_") or kind == "date_from_datetime_inexact":
        return "moet een datum met tijd zijn (JJJJ-MM-DDTUU:MM:SS)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "moet een object zijn, tussen { en }"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "moet een lijst zijn, tussen [ en ]"
    if kind == "json_invalid":
        return _json_problem(str(ctx.get("error", "")))
    if kind == "value_error":
        return str(e["msg"]).removeprefix("Value error, ")
    # every other kind: a Dutch sentence, never pydantic's English (the type names what to look up)
    return f"heeft een waarde die niet klopt ({kind})"


def _json_problem(error: str) -> str:
    """Dutch for what the strict JSON parser refuses after Python's own parser accepted it."""
    place = re.search(r"line (\d+) column (\d+)", error)
    where = f" (regel {place.group(1)}, kolom {place.group(2)})" if place else ""
    if "recursion limit" in error:
        return f"is te diep genest{where}"
    return f"is geen geldige JSON-tekst, bijvoorbeeld een losse \\u-code zonder tweede helft{where}"


def _number(value: object) -> str:
    """Dutch number: 10.000.000, 0,5, 100."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value).replace(".", ",")


def validate(model: type[T], what: str, **values: object) -> T:
    """Validate user input, raising `InputError` with Dutch messages."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise InputError(messages(exc, what)) from exc
