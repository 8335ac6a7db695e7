"""Database rows to the frames the scoring reads, with ids encoded once, as they are read (issue 20).

A whole country is four million answers; turning their question and option ids into codes is most of
the cost of scoring it, so it happens here, on the rows as the driver returns them, and never again:
theme, question and option ids become categoricals whose categories are the model's ids in model
order (`KnownIds`). An id the model does not know is kept, as an extra category after the known
ones, so the scoring refuses or ignores it exactly as it would the plain string (an unknown theme
or answer option is refused, an answer to a question of no instrument counts nowhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from wijkmodel.model.schema import MaturityModel


@dataclass(frozen=True)
class KnownIds:
    """The ids a model knows, in model order: the categories of the encoded columns."""

    themes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    """Every instrument's questions."""
    options: tuple[str, ...] = ()
    """Every option of every answer scale."""

    @staticmethod
    def of(model: MaturityModel | None) -> KnownIds:
        """The ids of `model`; none without a model (then every id is an extra category)."""
        if model is None:
            return KnownIds()
        return KnownIds(
            themes=tuple(t.id for t in model.themes_ordered()),
            questions=tuple(q.id for i in model.instruments() for q in i.questions),
            options=tuple(dict.fromkeys(o.id for s in model.answer_scales for o in s.ordered())),
        )


def encode_ids(rows: Sequence[Sequence[Any]], column: int, known: Sequence[str]) -> pd.Categorical:
    """Column `column` of `rows` as a categorical: the `known` ids first, in their order, then any other
    value in sorted order; None (or NULL) is missing.

    One dict lookup per row, in C (no Python-level loop): the known ids are the common case, and only
    rows with another value are looked at a second time.
    """
    lookup = {k: i for i, k in enumerate(known)}
    codes = np.fromiter(map(lookup.get, map(itemgetter(column), rows), repeat(-1)), dtype=np.int32, count=len(rows))
    categories = list(known)
    other = np.flatnonzero(codes < 0)
    if len(other):
        values = [rows[i][column] for i in other.tolist()]
        extra = sorted({v for v in values if v is not None}, key=str)
        more = {v: len(categories) + i for i, v in enumerate(extra)}
        codes[other] = [more.get(v, -1) for v in values]
        categories += extra
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


def _ints(rows: Sequence[Sequence[Any]], column: int) -> np.ndarray:
    return np.fromiter(map(itemgetter(column), rows), dtype=np.int64, count=len(rows))


def response_frames(
    respondent_rows: Sequence[Sequence[Any]],
    position_rows: Sequence[Sequence[Any]],
    answer_rows: Sequence[Sequence[Any]],
    known: KnownIds,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Respondents, positions and answers from their database rows: the one home of the conversion
    (`wijkmodel.storage.frames.load_frames` reads through it).

    Rows: (respondent, unit, round, role, label); (respondent, theme, position); (respondent,
    question, option). Every column costs a walk over the rows, so only what the scoring and the
    views use is read: the notes are not (they are shown from `wijkmodel.storage.responses`).
    """
    respondents = pd.DataFrame(
        {
            "respondent": _ints(respondent_rows, 0),
            "unit": _ints(respondent_rows, 1),
            "round": _ints(respondent_rows, 2),
            "role": [r[3] for r in respondent_rows],
            "label": [r[4] for r in respondent_rows],
        }
    )
    positions = pd.DataFrame(
        {
            "respondent": _ints(position_rows, 0),
            "theme": encode_ids(position_rows, 1, known.themes),
            # NULL (not placed) becomes NaN
            "position": np.fromiter(map(itemgetter(2), position_rows), dtype=object, count=len(position_rows)).astype(
                float
            ),
        }
    )
    answers = pd.DataFrame(
        {
            "respondent": _ints(answer_rows, 0),
            "question": encode_ids(answer_rows, 1, known.questions),
            "option": encode_ids(answer_rows, 2, known.options),
        }
    )
    return respondents, positions, answers
