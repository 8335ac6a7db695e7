"""A synthetic country for scale tests and benchmarks (issue 7: 342 municipalities, ~3,500 wijken).

Every municipality has its unit "Gemeente als geheel" and its wijken; every unit is assessed in
every round by four respondents (the four roles), with every theme slider placed and every
Quickscan question answered. Rows go in with SQLAlchemy Core `insert()` executemany, in chunks.

Deterministic: the same seed gives the same country, and each municipality draws from its own
generator (seed, index), so a municipality built alone holds the same scores as in the country.
Names are obviously synthetic ("Proefgemeente 001", "Wijk 001-03"): never a real municipality's
figures. Theme, question and answer ids come from the maturity model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select
from sqlalchemy.engine import Engine

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import sync_id_sequences
from wijkmodel.storage.tables import (
    MUNICIPALITY_UNIT_NAME,
    Answer,
    Base,
    DatabaseIdentity,
    Municipality,
    Respondent,
    Role,
    Round,
    ThemePosition,
    Unit,
    UnitKind,
    data_tables,
    new_generation,
)

N_MUNICIPALITIES = 342
N_WIJKEN = 3_500
N_ROUNDS = 10
LARGEST = 100
"""Wijken of the largest municipality (the page bound of the dashboard issue is set at 100 wijken)."""
SEED = 7
CHUNK_ROWS = 20_000
"""Rows per executemany (answers; respondents and positions go with them)."""
DONT_KNOW_SHARE = 0.08
"""Share of Quickscan answers 'Weet niet' (an answer that counts for nothing)."""
STAMP = dt.datetime(2026, 11, 23, 12, 0, 0)


def municipality_name(index: int) -> str:
    """'Proefgemeente 001' for index 0."""
    return f"Proefgemeente {index + 1:03d}"


def wijk_name(municipality_index: int, wijk_index: int) -> str:
    """'Wijk 001-03' for the third wijk of the first municipality."""
    return f"Wijk {municipality_index + 1:03d}-{wijk_index + 1:02d}"


def wijk_counts(
    n_municipalities: int = N_MUNICIPALITIES, total: int = N_WIJKEN, *, largest: int = LARGEST, seed: int = SEED
) -> list[int]:
    """Wijken per municipality, largest first: one of `largest`, a few large ones, many small ones.

    The counts add up to `total`; every municipality has at least one wijk and none more than
    `largest`. The spread is log-normal, as the sizes of Dutch municipalities are.
    """
    if n_municipalities < 1 or not n_municipalities <= total <= largest * n_municipalities:
        raise ValueError("need 1 <= municipalities <= wijken <= largest * municipalities")
    if n_municipalities == 1:
        return [total]
    rng = np.random.default_rng(seed)
    weights = rng.lognormal(0.0, 1.0, n_municipalities - 1)
    counts = np.ones(n_municipalities - 1, dtype=np.int64)
    extra = total - largest - (n_municipalities - 1)  # the others' wijken beyond their first
    cap = largest - 1
    free = np.ones(len(counts), dtype=bool)
    while extra > 0 and free.any():
        share = weights * free / (weights * free).sum() * extra
        add = np.minimum(np.floor(share).astype(np.int64), cap - counts)
        rest = extra - int(add.sum())
        order = np.argsort(-(share - np.floor(share)) + ~free * 2.0)  # largest remainder, the capped last
        for i in order[:rest]:
            if counts[i] + add[i] < cap:
                add[i] += 1
        counts += add
        extra -= int(add.sum())
        free = counts < cap
        if not add.any():
            break
    if extra > 0:
        raise ValueError("too many wijken for this number of municipalities")
    return [largest, *sorted(counts.tolist(), reverse=True)]


@dataclass(frozen=True)
class CountryCounts:
    """Rows a build inserted."""

    municipalities: int
    units: int
    rounds: int
    respondents: int
    positions: int
    answers: int

    @property
    def rows(self) -> int:
        """All rows together."""
        return self.municipalities + self.units + self.rounds + self.respondents + self.positions + self.answers


@dataclass
class _Ids:
    """Next free id per table, so a country can be added next to what is there."""

    municipality: int
    unit: int
    round: int
    respondent: int

    @classmethod
    def after(cls, conn: Connection) -> _Ids:
        def next_id(table: Any) -> int:
            return int(conn.execute(select(func.coalesce(func.max(table.id), 0))).scalar_one()) + 1

        return cls(next_id(Municipality), next_id(Unit), next_id(Round), next_id(Respondent))


def reset_database(engine: Engine) -> None:
    """Drop and recreate every table: an empty database with the current indexes (and a new generation)."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(DatabaseIdentity).values(id=1, generation=new_generation()))


def insert_country(
    conn: Connection,
    sizes: Sequence[int],
    *,
    model: MaturityModel,
    seed: int = SEED,
    n_rounds: int = N_ROUNDS,
    names: Sequence[str] | None = None,
    indices: Sequence[int] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> CountryCounts:
    """Insert one municipality per entry of `sizes` (its number of wijken), in the open transaction.

    `names` overrides the municipality names; `indices` the index each municipality is named and
    seeded by (default 0, 1, ...), so a single municipality of the country can be built alone.
    """
    indices = list(indices) if indices is not None else list(range(len(sizes)))
    names = list(names) if names is not None else [municipality_name(i) for i in indices]
    if not len(sizes) == len(indices) == len(names):
        raise ValueError("sizes, names and indices differ in length")
    ids = _Ids.after(conn)
    first_year = 2027 - n_rounds
    municipalities, units, round_rows = [], [], []
    plan = []  # per municipality: index, unit ids, round ids
    for size, index, name in zip(sizes, indices, names, strict=True):
        municipality_id = ids.municipality
        ids.municipality += 1
        municipalities.append({"id": municipality_id, "name": name, "revision": 0})
        unit_ids = list(range(ids.unit, ids.unit + size + 1))
        ids.unit += size + 1
        units.append(
            {"id": unit_ids[0], "municipality_id": municipality_id, "kind": UnitKind.MUNICIPALITY.value}
            | {"name": MUNICIPALITY_UNIT_NAME, "population": None}
        )
        populations = np.random.default_rng([seed, index, 0]).integers(800, 25_000, size)
        units += [
            {"id": unit_id, "municipality_id": municipality_id, "kind": UnitKind.WIJK.value}
            | {"name": wijk_name(index, w), "population": int(populations[w])}
            for w, unit_id in enumerate(unit_ids[1:])
        ]
        round_ids = list(range(ids.round, ids.round + n_rounds))
        ids.round += n_rounds
        round_rows += [
            {"id": round_id, "municipality_id": municipality_id, "label": str(first_year + r)}
            | {"date": dt.date(first_year + r, 3, 1)}
            for r, round_id in enumerate(round_ids)
        ]
        plan.append((index, unit_ids, round_ids))
    conn.execute(insert(Municipality), municipalities)
    _insert_chunked(conn, Unit, units, chunk_rows)
    _insert_chunked(conn, Round, round_rows, chunk_rows)

    themes = [t.id for t in model.themes_ordered()]
    questions = [q.id for q in model.quickscan.questions]
    # per question its answers from low to high score (polarity applied); all share the four levels
    levels = [model.answer_levels(q) for q in model.quickscan.questions]
    level_scores = np.array([score for _, score in levels[0]], dtype=float)
    if any([score for _, score in per_question] != list(level_scores) for per_question in levels):
        raise ValueError("de vragen van de Quickscan gebruiken niet dezelfde vier scores")
    dont_know = "weet_niet"
    counts = {"respondents": 0, "positions": 0, "answers": 0}
    buffers: dict[str, list[dict[str, Any]]] = {"respondents": [], "positions": [], "answers": []}

    def flush() -> None:
        for key, table in (("respondents", Respondent), ("positions", ThemePosition), ("answers", Answer)):
            _insert_chunked(conn, table, buffers[key], chunk_rows)
            counts[key] += len(buffers[key])
            buffers[key] = []

    for index, unit_ids, round_ids in plan:
        first_id = ids.respondent
        rows = _assessments(
            np.random.default_rng([seed, index, 1]),
            unit_ids=unit_ids,
            round_ids=round_ids,
            first_respondent_id=first_id,
            themes=themes,
            questions=questions,
            option_ids=[[option for option, _ in per_question] for per_question in levels],
            option_scores=level_scores,
            dont_know=dont_know,
            model_version=model.version,
        )
        ids.respondent += len(rows[0])
        for key, part in zip(("respondents", "positions", "answers"), rows, strict=True):
            buffers[key] += part
        if len(buffers["answers"]) >= chunk_rows:
            flush()
    flush()
    sync_id_sequences(conn)
    return CountryCounts(
        municipalities=len(municipalities),
        units=len(units),
        rounds=len(round_rows),
        respondents=counts["respondents"],
        positions=counts["positions"],
        answers=counts["answers"],
    )


def _assessments(
    rng: np.random.Generator,
    *,
    unit_ids: list[int],
    round_ids: list[int],
    first_respondent_id: int,
    themes: list[str],
    questions: list[str],
    option_ids: list[list[str]],
    option_scores: np.ndarray,
    dont_know: str | None,
    model_version: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Respondents, slider positions and answers of one municipality (vectorised draws).

    Each unit starts somewhere in phase 1-3 and grows a little every round; each role looks at it
    a little differently, each theme and question a little differently again.
    """
    roles = [r.value for r in Role]
    n_units, n_rounds, n_roles = len(unit_ids), len(round_ids), len(roles)
    start = rng.uniform(10, 65, n_units)
    growth = rng.uniform(0, 4, n_units)
    level = start[:, None] + growth[:, None] * np.arange(n_rounds)[None, :]  # unit x round
    view = level[:, :, None] + rng.normal(0, 8, (n_units, n_rounds, n_roles))  # unit x round x role
    flat = view.reshape(-1)  # respondent order: unit, round, role
    positions = np.clip(np.round((flat[:, None] + rng.normal(0, 12, (len(flat), len(themes)))) / 5) * 5, 0, 100)
    answer_values = flat[:, None] + rng.normal(0, 15, (len(flat), len(questions)))
    nearest = np.abs(answer_values[:, :, None] - option_scores[None, None, :]).argmin(axis=2)
    unknown = rng.random(nearest.shape) < DONT_KNOW_SHARE if dont_know else np.zeros(nearest.shape, dtype=bool)

    respondents, position_rows, answer_rows = [], [], []
    rid = first_respondent_id
    for u, unit_id in enumerate(unit_ids):
        for r, round_id in enumerate(round_ids):
            for k, role in enumerate(roles):
                i = (u * n_rounds + r) * n_roles + k
                respondents.append({"id": rid, "round_id": round_id, "unit_id": unit_id, "role": role, "label": ""})
                position_rows += [
                    {"respondent_id": rid, "theme_id": theme, "position": float(positions[i, t]), "note": ""}
                    | {"model_version": model_version, "updated_at": STAMP}
                    for t, theme in enumerate(themes)
                ]
                answer_rows += [
                    {"respondent_id": rid, "question_id": question, "note": ""}
                    | {"option_id": dont_know if unknown[i, q] else option_ids[q][nearest[i, q]]}
                    | {"model_version": model_version, "updated_at": STAMP}
                    for q, question in enumerate(questions)
                ]
                rid += 1
    return respondents, position_rows, answer_rows


def _insert_chunked(conn: Connection, table: Any, rows: list[dict[str, Any]], chunk_rows: int) -> None:
    for start in range(0, len(rows), chunk_rows):
        conn.execute(insert(table), rows[start : start + chunk_rows])


def build_country(
    engine: Engine,
    sizes: Sequence[int],
    *,
    model: MaturityModel,
    seed: int = SEED,
    n_rounds: int = N_ROUNDS,
    names: Sequence[str] | None = None,
    indices: Sequence[int] | None = None,
    reset: bool = True,
) -> CountryCounts:
    """Empty the database (unless `reset` is False) and insert the country in one transaction."""
    if reset:
        reset_database(engine)
    with engine.begin() as conn:
        return insert_country(conn, sizes, model=model, seed=seed, n_rounds=n_rounds, names=names, indices=indices)


def table_counts(engine: Engine, tables: Iterable[str] | None = None) -> dict[str, int]:
    """Rows per table (all tables of the schema by default)."""
    names = list(tables) if tables is not None else [t.name for t in data_tables()]
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar_one())
            for name in names
        }
