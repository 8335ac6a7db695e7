"""Benchmark of the scoring engine: `python -m wijkmodel.demo.bench [--repeat N] [--json PAD]`.

Synthetic data: N wijken x 10 rounds x 4 respondents, each placing 6 sliders (5% unset) and
answering the 30 Quickscan questions (10% "Weet niet", 5% skipped). Reports the median of
repeated runs of the full profile computation (per-respondent scores, mean and spread per wijk
and round, overall phase, combined index, talking points) as the app runs it on database frames
(`profile_ms`), the same with the duplicate-answer check for untrusted frames
(`profile_checked_ms`), from plain strings instead of categoricals (`profile_from_strings_ms`), from
the rows exactly as the database driver returns them, through the read path's own conversion
(`profile_from_db_rows_ms`, `wijkmodel.storage.encoding.response_frames`), and the cost per wijk, to
show that it grows no worse than linearly.
Targets (issues 2 and 20): <= 100 ms for 3,500 wijken x 10 rounds from encoded frames, <= 300 ms
from the database's rows.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from wijkmodel.model.loader import load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import Profile, ScoringSettings, compute_profile, municipality_aggregate
from wijkmodel.storage.encoding import KnownIds, response_frames
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


def _fresh(value: object) -> object:
    # a string of its own, as the driver makes one per cell (so its hash is not cached yet)
    return value.encode().decode() if isinstance(value, str) else value


Rows = list[tuple[object, ...]]


def database_rows(respondents: pd.DataFrame, positions: pd.DataFrame, answers: pd.DataFrame) -> tuple[Rows, Rows, Rows]:
    """The frames as rows the way `session.execute(...).all()` returns them for `storage.frames`: tuples
    of plain Python ints, floats, strings and None, made row by row like the driver makes them."""

    def rows(frame: pd.DataFrame) -> Rows:
        columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
        return [tuple(_fresh(v) for v in row) for row in zip(*columns, strict=True)]

    labelled = respondents.assign(label=[f"invuller {i}" for i in respondents["respondent"]])
    return rows(labelled), rows(positions), rows(answers)


def profile_from_rows(
    rows: tuple[Rows, Rows, Rows],
    model: MaturityModel,
    settings: ScoringSettings,
) -> Profile:
    """The profile from database rows, as the app computes it: the read path's conversion, then scoring."""
    respondents, positions, answers = response_frames(*rows, KnownIds.of(model))
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
        rows_ms = median_ms(
            partial(profile_from_rows, database_rows(respondents, positions, answers), model, settings), repeat
        )
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
