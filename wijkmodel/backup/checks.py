"""Checks on a backup's raw JSON before anything is written: every problem collected with its place, in
Dutch."""

from __future__ import annotations

import math
from collections import Counter

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import item_ids
from wijkmodel.storage.invitations import PARTICIPANT_LABEL
from wijkmodel.storage.tables import UnitKind


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else []


def _items(value: object) -> list[tuple[int, dict]]:
    """The dict entries of a list, with their index (anything else is a shape problem, reported apart)."""
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _key(value: object) -> str | None:
    return " ".join(value.split()).casefold() if isinstance(value, str) else None


def _doubles(values: list) -> list[str]:
    # only values that can be compared: a list where a name belongs is a shape problem, reported apart
    counts = Counter(v for v in values if v is not None and _hashable(v))
    return sorted(str(v) for v, n in counts.items() if n > 1)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _content_problems(raw: dict, model: MaturityModel) -> list[str]:
    """Checks against the model and within the file, on the raw JSON (so they run even when its shape is off)."""
    problems: list[str] = []
    m = raw.get("municipality")
    if not isinstance(m, dict):
        return problems
    units = _items(m.get("units"))
    names = [_key(u.get("name")) for _, u in units]
    for ui, u in units:
        problems += unit_problems(f"municipality.units[{ui}]", u, model)
        problems += wijkdata_problems(f"municipality.units[{ui}]", u)
    for name in _doubles(names):
        problems.append(f"Op plek municipality.units: de naam '{name}' komt twee keer voor.")
    if units and sum(u.get("kind") == UnitKind.MUNICIPALITY for _, u in units) != 1:
        problems.append(
            "Op plek municipality.units: er moet precies één ‘gemeente als geheel’ zijn (soort 'gemeente')."
        )
    regions = m.get("regions")
    for region in _doubles([_key(r) for r in regions] if isinstance(regions, list) else []):
        problems.append(f"Op plek municipality.regions: de regio '{region}' komt twee keer voor.")
    rounds = _items(m.get("rounds"))
    for label in _doubles([_key(r.get("label")) for _, r in rounds]):
        problems.append(f"Op plek municipality.rounds: de ronde '{label}' komt twee keer voor.")
    themes = {t.id for t in model.themes}
    question_options = {
        q.id: {o.id for o in model.question_scale(q).options} for i in model.instruments() for q in i.questions
    }
    known_units = {n for n in names if n}
    wijken = {_key(u.get("name")) for _, u in units if u.get("kind") != UnitKind.MUNICIPALITY}
    conditions_questions = {q.id for q in model.randvoorwaarden.instrument.questions}
    problems += action_problems(m.get("actions"), {n for n in names if n}, model)
    for ri, round_ in rounds:
        problems += round_problems(f"municipality.rounds[{ri}]", round_, model)
        problems += zet_problems(f"municipality.rounds[{ri}]", round_, known_units, model)
        problems += invitation_problems(f"municipality.rounds[{ri}]", round_, known_units)
        respondents = _items(round_.get("respondents"))
        keys = [(_key(r.get("unit")), r.get("role"), _key(r.get("label", ""))) for _, r in respondents]
        for key in _doubles(keys):
            problems.append(f"Op plek municipality.rounds[{ri}].respondents: invuller {key} komt twee keer voor.")
        for pi, resp in respondents:
            where = f"municipality.rounds[{ri}].respondents[{pi}]"
            unit = _key(resp.get("unit"))
            if unit is not None and unit not in known_units:
                problems.append(f"Op plek {where}.unit: onbekende wijk '{resp.get('unit')}'.")
            positions = _items(resp.get("positions"))
            for theme in _doubles([p.get("theme") for _, p in positions]):
                problems.append(f"Op plek {where}.positions: thema '{theme}' komt twee keer voor.")
            for qi, p in positions:
                if isinstance(p.get("theme"), str) and p["theme"] not in themes:
                    problems.append(f"Op plek {where}.positions[{qi}].theme: onbekend thema '{p['theme']}'.")
            answers = _items(resp.get("answers"))
            for question in _doubles([a.get("question") for _, a in answers]):
                problems.append(f"Op plek {where}.answers: vraag '{question}' komt twee keer voor.")
            for ai, a in answers:
                qid, option = a.get("question"), a.get("option")
                if isinstance(qid, str) and qid not in question_options:
                    problems.append(f"Op plek {where}.answers[{ai}].question: onbekende vraag '{qid}'.")
                elif isinstance(qid, str) and isinstance(option, str) and option not in question_options[qid]:
                    problems.append(f"Op plek {where}.answers[{ai}].option: onbekend antwoord '{option}'.")
                elif qid in conditions_questions and unit in wijken:
                    problems.append(
                        f"Op plek {where}.answers[{ai}].question: vraag '{qid}' over de randvoorwaarden is voor "
                        "de gemeente als geheel, niet voor een wijk."
                    )
    return problems


def _list(value: object) -> list:
    """A list from the raw JSON, or nothing (a wrong shape is reported by the strict parse)."""
    return value if isinstance(value, list) else []


def unit_problems(where: str, unit: dict, model: MaturityModel) -> list[str]:
    """Unknown items or themes, and doubles, in a unit's targets and energy marks."""
    problems = []
    items, themes = set(item_ids(model)), {t.id for t in model.themes}
    targets = _list(unit.get("targets"))
    seen: set[str] = set()
    for i, t in enumerate(targets):
        item = t.get("item") if isinstance(t, dict) else None
        if isinstance(item, str) and item not in items:
            problems.append(f"Op plek {where}.targets[{i}].item: onbekend thema of basisfunctie '{item}'.")
        if isinstance(item, str) and item in seen:
            problems.append(f"Op plek {where}.targets[{i}].item: '{item}' komt twee keer voor.")
        if isinstance(item, str):
            seen.add(item)
    energy = _list(unit.get("energy"))
    marked: set[str] = set()
    for i, theme in enumerate(energy):
        if isinstance(theme, str) and theme not in themes:
            problems.append(f"Op plek {where}.energy[{i}]: onbekend thema '{theme}'.")
        if isinstance(theme, str) and theme in marked:
            problems.append(f"Op plek {where}.energy[{i}]: '{theme}' komt twee keer voor.")
        if isinstance(theme, str):
            marked.add(theme)
    return problems


def wijkdata_problems(where: str, unit: dict) -> list[str]:
    """Doubled (indicator, year) pairs, and a boundary that is no WGS84 Polygon or MultiPolygon."""
    problems = []
    seen: set[tuple[str, int]] = set()
    for i, v in enumerate(_list(unit.get("indicators"))):
        indicator, year = (v.get("indicator"), v.get("year")) if isinstance(v, dict) else (None, None)
        if not isinstance(indicator, str) or not isinstance(year, int) or isinstance(year, bool):
            continue
        if (indicator, year) in seen:
            problems.append(
                f"Op plek {where}.indicators[{i}]: kerncijfer '{indicator}' van {year} komt twee keer voor."
            )
        seen.add((indicator, year))
    boundary = unit.get("boundary")
    if isinstance(boundary, dict) and "geometry" in boundary:
        problem = geometry_problem(f"{where}.boundary.geometry", boundary["geometry"])
        if problem:
            problems.append(problem)
    return problems


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _point_problem(where: str, point: object) -> str | None:
    if not isinstance(point, list) or len(point) != 2:
        return f"Op plek {where}: een punt moet een lijst van 2 getallen zijn: [lengtegraad, breedtegraad]."
    for i, (name, limit) in enumerate((("lengtegraad", 180), ("breedtegraad", 90))):
        number = point[i]
        if not _is_number(number) or (isinstance(number, float) and not math.isfinite(number)):
            return f"Op plek {where}[{i}]: de {name} moet een eindig getal zijn."
        if not -limit <= number <= limit:
            return f"Op plek {where}[{i}]: de {name} {number} ligt niet tussen -{limit} en {limit} (WGS84, in graden)."
    return None


def _polygon_problem(where: str, rings: object) -> str | None:
    if not isinstance(rings, list) or not rings:
        return f"Op plek {where}: een polygoon moet een lijst van ringen zijn (de buitenrand, dan eventuele gaten)."
    for r, ring in enumerate(rings):
        if not isinstance(ring, list) or len(ring) < 4:
            return f"Op plek {where}[{r}]: een ring moet een lijst van minstens 4 punten zijn."
        for p, point in enumerate(ring):
            problem = _point_problem(f"{where}[{r}][{p}]", point)
            if problem:
                return problem
    return None


def geometry_problem(where: str, geometry: object) -> str | None:
    """The first problem of a GeoJSON Polygon or MultiPolygon in WGS84, with its place; None when fine.

    Kept simple: type, nesting, numbers and ranges (no check that rings close or do not cross)."""
    if not isinstance(geometry, dict):
        return f"Op plek {where}: moet een GeoJSON-geometrie zijn, een object met 'type' en 'coordinates'."
    for key in geometry:
        if key not in ("type", "coordinates"):
            return f"Op plek {where}.{key}: is onbekend (een geometrie heeft alleen 'type' en 'coordinates')."
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return f"Op plek {where}.type: moet 'Polygon' of 'MultiPolygon' zijn."
    if "coordinates" not in geometry:
        return f"Op plek {where}.coordinates: ontbreekt."
    if kind == "Polygon":
        return _polygon_problem(f"{where}.coordinates", coordinates)
    if not isinstance(coordinates, list) or not coordinates:
        return f"Op plek {where}.coordinates: een MultiPolygon moet een lijst van polygonen zijn."
    for i, polygon in enumerate(coordinates):
        problem = _polygon_problem(f"{where}.coordinates[{i}]", polygon)
        if problem:
            return problem
    return None


def round_problems(where: str, round_: dict, model: MaturityModel) -> list[str]:
    """Unknown or doubled core choices and options (the step-1 mark is a row of the same list)."""
    problems = []
    options = {c.id: {o.id for o in c.options} for c in model.core_choices}
    choices = _list(round_.get("core_choices"))
    seen: set[str] = set()
    for i, c in enumerate(choices):
        if not isinstance(c, dict):
            continue
        choice, option = c.get("choice"), c.get("option")
        if isinstance(choice, str) and choice not in options:
            problems.append(f"Op plek {where}.core_choices[{i}].choice: onbekende kernkeuze '{choice}'.")
        elif isinstance(choice, str) and isinstance(option, str) and option not in options[choice]:
            problems.append(f"Op plek {where}.core_choices[{i}].option: onbekende optie '{option}'.")
        if isinstance(choice, str) and choice in seen:
            problems.append(f"Op plek {where}.core_choices[{i}].choice: '{choice}' komt twee keer voor.")
        if isinstance(choice, str):
            seen.add(choice)
    return problems


def zet_problems(where: str, round_: dict, known_units: set[str], model: MaturityModel) -> list[str]:
    """ZET evaluations of unknown units or basic functions, or two for one unit and basic function."""
    problems = []
    functions = {b.id for b in model.basic_functions}
    evaluations = _items(round_.get("zet"))
    for key in _doubles([(_key(z.get("unit")), z.get("basic_function")) for _, z in evaluations]):
        problems.append(f"Op plek {where}.zet: de ZET-uitkomst {key} komt twee keer voor.")
    for zi, z in evaluations:
        unit, bf = _key(z.get("unit")), z.get("basic_function")
        if unit is not None and unit not in known_units:
            problems.append(f"Op plek {where}.zet[{zi}].unit: onbekende wijk '{z.get('unit')}'.")
        if isinstance(bf, str) and bf not in functions:
            problems.append(f"Op plek {where}.zet[{zi}].basic_function: onbekende basisfunctie '{bf}'.")
    return problems


def action_problems(actions: object, known_units: set[str], model: MaturityModel) -> list[str]:
    """Unknown units or themes, and end dates before start dates, in the action plan."""
    problems = []
    themes = {t.id for t in model.themes}
    for i, a in enumerate(actions if isinstance(actions, list) else []):
        if not isinstance(a, dict):
            continue
        where = f"municipality.actions[{i}]"
        unit, theme = a.get("unit"), a.get("theme")
        if isinstance(unit, str) and " ".join(unit.split()).casefold() not in known_units:
            problems.append(f"Op plek {where}.unit: onbekende wijk '{unit}'.")
        if isinstance(theme, str) and theme not in themes:
            problems.append(f"Op plek {where}.theme: onbekend thema '{theme}'.")
        start, end = a.get("start_date"), a.get("end_date")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            problems.append(f"Op plek {where}.end_date: de einddatum ligt voor de startdatum.")
    return problems


def invitation_problems(where: str, round_: dict, known_units: set[str]) -> list[str]:
    """Unknown wijken, doubled numbers, and participant respondents the round does not have, that are
    not a participant's (by their label), that two participants claim, or two of which are one
    participant's in one wijk; a participant's role the invitation does not offer."""
    problems = []
    units_of: dict[tuple[object, str | None], list[str | None]] = {}
    for r in _as_list(round_.get("respondents")):
        if isinstance(r, dict):
            units_of.setdefault((r.get("role"), _key(r.get("label", ""))), []).append(_key(r.get("unit")))
    claimed: set[tuple[object, str | None]] = set()
    for ii, invitation in _items(round_.get("invitations")):
        place = f"{where}.invitations[{ii}]"
        for ui, unit in enumerate(_as_list(invitation.get("units"))):
            if _key(unit) not in known_units:
                problems.append(f"Op plek {place}.units[{ui}]: onbekende wijk '{unit}'.")
        if invitation.get("any_unit") is True and invitation.get("units"):
            problems.append(f"Op plek {place}.units: de invuller kiest de wijk zelf, dus hier horen geen wijken.")
        roles = _as_list(invitation.get("roles"))
        numbers: set[object] = set()
        for pi, p in _items(invitation.get("participants")):
            spot = f"{place}.participants[{pi}]"
            if p.get("number") in numbers:
                problems.append(f"Op plek {spot}.number: deelnemer {p.get('number')} komt twee keer voor.")
            numbers.add(p.get("number"))
            if roles and p.get("role") not in roles:
                problems.append(f"Op plek {spot}.role: de rol '{p.get('role')}' hoort niet bij deze uitnodiging.")
            seen_units: set[str | None] = set()
            for li, label in enumerate(_as_list(p.get("respondents"))):
                key = (p.get("role"), _key(label))
                if not isinstance(label, str) or not PARTICIPANT_LABEL.fullmatch(label.strip()):
                    problems.append(
                        f"Op plek {spot}.respondents[{li}]: '{label}' is geen invuller van een uitnodiging "
                        "(die heten 'uitnodiging N, deelnemer M')."
                    )
                elif key not in units_of:
                    problems.append(
                        f"Op plek {spot}.respondents[{li}]: de ronde heeft geen invuller '{label}' met de rol "
                        f"'{p.get('role')}'."
                    )
                elif key in claimed:
                    problems.append(f"Op plek {spot}.respondents[{li}]: invuller '{label}' hoort al bij een deelnemer.")
                elif seen_units & set(units_of[key]):
                    problems.append(
                        f"Op plek {spot}.respondents[{li}]: deze deelnemer heeft dan twee invullers in één wijk."
                    )
                claimed.add(key)
                seen_units |= set(units_of.get(key, []))
    return problems
