"""Benchmark of the scoring engine: `python -m wijkmodel.demo.bench [--repeat N] [--json PAD]`.

Synthetic data: N wijken x 10 rounds x 4 respondents, each placing 6 sliders (5% unset) and
answering the 30 Quickscan questions (10% "Weet niet", 5% skipped). Reports the median of
repeated runs of the full profile computation (per-respondent scores, mean and spread per wijk
and round, overall phase, combined index, talking points) as the app runs it on database frames
(`profile_ms`), the same with the duplicate-answer check for untrusted frames
(`profile_checked_ms`), from plain strings instead of categoricals (`profile_from_strings_ms`), from
what the database returns (`profile_from_db_rows_ms`): the frames are stored in a fresh SQLite file,
read back once by the read path's own queries (`wijkmodel.storage.encoding.read_response_rows`, ids
encoded by the database), and its rows go through the read path's conversion
(`wijkmodel.storage.encoding.response_frames`) into the scoring; and the cost per wijk, to show that it
grows no worse than linearly. The database's own time is reported beside it, from one run: the read
path's queries (`db_read_ms`) and the same rows with their ids as strings (`db_read_strings_ms`).
Targets (issues 2 and 20): <= 100 ms for 3,500 wijken x 10 rounds from encoded frames, <= 300 ms
from the database's rows.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from wijkmodel.model.loader import load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import Profile, ScoringSettings, compute_profile, municipality_aggregate
from wijkmodel.storage.db import make_engine
from wijkmodel.storage.encoding import KnownIds, ResponseRows, read_response_rows, response_frames
from wijkmodel.storage.tables import Role

SIZES = (10, 100, 1_000, 3_500)
ROUNDS = 10
RESPONDENTS = 4
ROLES = [r.value for r in Role]


def synthetic_frames(
    n_wijken: int, model: MaturityModel, *, categorical: bool = True, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Respondents, positions and answers for n wijken x 10 rounds x 4 respondents."""
    rng = np.random.default_rng(seed)
    n_resp = n_wijken * ROUNDS * RESPONDENTS
    respondent = np.arange(n_resp)
    respondents = pd.DataFrame(
        {
            "respondent": respondent,
            "unit": respondent // (ROUNDS * RESPONDENTS),
            "round": (respondent // RESPONDENTS) % ROUNDS,
            "role": np.array(ROLES)[respondent % RESPONDENTS],
        }
    )
    theme_ids = [t.id for t in model.themes_ordered()]
    position = rng.integers(0, 21, size=n_resp * len(theme_ids)) * 5.0
    position[rng.random(position.size) < 0.05] = np.nan
    themes = np.tile(np.arange(len(theme_ids)), n_resp)
    positions = pd.DataFrame(
        {
            "respondent": np.repeat(respondent, len(theme_ids)),
            "theme": pd.Categorical.from_codes(themes, categories=theme_ids),
            "position": position,
        }
    )
    q_ids = [q.id for q in model.quickscan.questions]
    # every option id of the Quickscan's scales; each answer picks one its question allows
    per_question = [[o.id for o in model.question_scale(q).ordered()] for q in model.quickscan.questions]
    option_ids = list(dict.fromkeys(o for options in per_question for o in options))
    allowed = np.array([[option_ids.index(o) for o in options[:4]] for options in per_question])
    dont_know = option_ids.index("weet_niet")
    n_answers = n_resp * len(q_ids)
    option = allowed[np.tile(np.arange(len(q_ids)), n_resp), rng.integers(0, 4, size=n_answers)]
    option[rng.random(n_answers) < 0.10] = dont_know
    keep = rng.random(n_answers) >= 0.05
    answers = pd.DataFrame(
        {
            "respondent": np.repeat(respondent, len(q_ids))[keep],
            "question": pd.Categorical.from_codes(np.tile(np.arange(len(q_ids)), n_resp)[keep], categories=q_ids),
            "option": pd.Categorical.from_codes(option[keep], categories=option_ids),
        }
    )
    if not categorical:  # as read from a database: plain strings
        positions["theme"] = positions["theme"].astype(object)
        answers["question"] = answers["question"].astype(object)
        answers["option"] = answers["option"].astype(object)
    return respondents, positions, answers


def _insert(connection: Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> None:
    # names are this module's constants; the values go as parameters, through the driver's executemany
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    connection.exec_driver_sql(statement, list(rows))


RESPONSE = ("note", "carried_over", "model_version", "updated_at")
"""The columns of a position or answer beside its ids and value."""


def store_frames(
    connection: Connection, respondents: pd.DataFrame, positions: pd.DataFrame, answers: pd.DataFrame
) -> None:
    """The synthetic frames as rows of a real (SQLite) database of the app's schema: one municipality."""
    municipality = ("id", "name", "overall_rule", "theme_weight", "population_weighted", "revision")
    _insert(connection, "municipality", municipality, [(1, "Benchstad", "gemiddelde", 0.5, False, 0)])
    units = respondents["unit"].unique().tolist()
    _insert(connection, "unit", ("id", "municipality_id", "kind", "name"), ((u, 1, "wijk", f"wijk {u}") for u in units))
    rounds = respondents["round"].unique().tolist()
    _insert(connection, "round", ("id", "municipality_id", "label", "date"),
            ((r, 1, f"ronde {r}", f"{2000 + r}-01-01") for r in rounds))  # fmt: skip
    ids = respondents["respondent"].tolist()
    _insert(connection, "respondent", ("id", "round_id", "unit_id", "role", "label"),
            zip(ids, respondents["round"].tolist(), respondents["unit"].tolist(), respondents["role"].tolist(),
                (f"invuller {i}" for i in ids), strict=True))  # fmt: skip
    rest = ("", False, "bench", "2026-01-01 00:00:00")
    placed = positions["position"].astype(object).where(positions["position"].notna(), None).tolist()
    _insert(connection, "theme_position", ("respondent_id", "theme_id", "position", *RESPONSE),
            ((*row, *rest) for row in zip(positions["respondent"].tolist(), positions["theme"].astype(str).tolist(),
                                          placed, strict=True)))  # fmt: skip
    _insert(connection, "answer", ("respondent_id", "question_id", "option_id", *RESPONSE),
            ((*row, *rest) for row in zip(answers["respondent"].tolist(), answers["question"].astype(str).tolist(),
                                          answers["option"].astype(str).tolist(), strict=True)))  # fmt: skip


@dataclass(frozen=True)
class DatabaseRead:
    """What the database returned for every response, and how long it took to return it (one run each)."""

    rows: ResponseRows
    read_ms: float
    """The read path's queries (`read_response_rows`): ids encoded by the database."""
    read_strings_ms: float
    """The same rows with their ids as strings, as the read path asked for them before (for comparison)."""


def database_read(
    respondents: pd.DataFrame, positions: pd.DataFrame, answers: pd.DataFrame, known: KnownIds
) -> DatabaseRead:
    """Store the frames in a fresh SQLite file and read them back the way the app does."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        try:
            with engine.begin() as connection:
                store_frames(connection, respondents, positions, answers)
            with engine.connect() as connection:
                read_response_rows(connection, None, known)  # warm-up: the first query of a process costs more
                start = time.perf_counter()
                rows = read_response_rows(connection, None, known)
                read_ms = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                read_response_rows(connection, None, KnownIds())  # no model: every id as a string
                read_strings_ms = (time.perf_counter() - start) * 1000
        finally:
            engine.dispose()
    return DatabaseRead(rows, read_ms, read_strings_ms)


def profile_from_rows(rows: ResponseRows, model: MaturityModel, settings: ScoringSettings) -> Profile:
    """The profile from what the database returned, as the app computes it: the read path's conversion, then scoring."""
    known = KnownIds.of(model)
    respondents, positions, answers = response_frames(rows, known)
    return compute_profile(respondents, positions, answers, model, settings, check_duplicates=False)


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` runs, in milliseconds (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(sizes: tuple[int, ...] = SIZES, repeat: int = 7) -> list[dict[str, float]]:
    """Benchmark every size; one result row per size."""
    model = load_model()
    settings = ScoringSettings()
    rows = []
    for n in sizes:
        respondents, positions, answers = synthetic_frames(n, model)
        _, positions_s, answers_s = synthetic_frames(n, model, categorical=False)
        profile = compute_profile(respondents, positions, answers, model, settings)
        population = pd.Series(np.full(n, 5000.0))
        profile_ms = median_ms(
            partial(compute_profile, respondents, positions, answers, model, settings, check_duplicates=False), repeat
        )
        checked_ms = median_ms(partial(compute_profile, respondents, positions, answers, model, settings), repeat)
        strings_ms = median_ms(partial(compute_profile, respondents, positions_s, answers_s, model, settings), repeat)
        read = database_read(respondents, positions, answers, KnownIds.of(model))
        rows_ms = median_ms(partial(profile_from_rows, read.rows, model, settings), repeat)
        aggregate_ms = median_ms(partial(municipality_aggregate, profile.units, population, model, settings), repeat)
        rows.append(
            {
                "wijken": n,
                "rounds": ROUNDS,
                "respondents": len(respondents),
                "answers": len(answers),
                "profile_ms": round(profile_ms, 2),
                "profile_us_per_wijk": round(profile_ms * 1000 / n, 2),
                "profile_checked_ms": round(checked_ms, 2),
                "profile_from_strings_ms": round(strings_ms, 2),
                "profile_from_db_rows_ms": round(rows_ms, 2),
                "db_read_ms": round(read.read_ms),
                "db_read_strings_ms": round(read.read_strings_ms),
                "aggregate_ms": round(aggregate_ms, 2),
                "talking_points": len(profile.talking_points),
            }
        )
    return rows


def main() -> None:
    """Print the table (and optionally write JSON)."""
    parser = argparse.ArgumentParser(prog="python -m wijkmodel.demo.bench", description="Benchmark van de scoring.")
    parser.add_argument("--repeat", type=int, default=7, help="aantal herhalingen per meting (mediaan)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="aantallen wijken, komma-gescheiden")
    parser.add_argument("--json", type=Path, help="schrijf de uitkomsten ook als JSON naar dit bestand")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    rows = run(sizes, args.repeat)
    print(
        f"Python {platform.python_version()} · pandas {pd.__version__} · numpy {np.__version__} · "
        f"mediaan van {args.repeat} runs · {ROUNDS} rondes x {RESPONDENTS} respondenten per wijk"
    )
    print(pd.DataFrame(rows).to_string(index=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
