"""The read of many responses, with ids encoded once, by the database itself (issue 20).

A whole country is four million answers. Handing each one over as a row of Python strings, and then
turning those strings into codes, cost more than scoring them; so the query asks the database for the
codes: theme, question and option ids become their index among the model's ids in model order
(`KnownIds`), every position comes as one integer, and every respondent's answers as one string of
codes (`read_response_rows`). The conversion (`response_frames`) turns that into frames whose ids are
categoricals of the model's ids, and nothing turns them into codes again.

An id the model does not know (data of an older model) makes its row come back a second time, as
plain strings; it is kept as an extra category after the known ones, so the scoring refuses or
ignores it exactly as it would the plain string (an unknown theme or answer option is refused, an
answer to a question of no instrument counts nowhere). So is a position that is no whole number of
1/512ths, so every position comes back exactly as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Integer, and_, case, cast, func, not_, or_, select

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.tables import Answer, Respondent, ThemePosition


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


CODE_BITS = 8
"""Bits per id code: a code fits in one byte, so a model has at most `UNKNOWN` themes, questions and options."""
UNKNOWN = (1 << CODE_BITS) - 2
"""The code of an id the model does not know: its row is read a second time, as plain strings."""
ODD = -1
"""The packed value of a position with an unknown theme or a position that does not fit (`_packed_position`)."""
POSITION_STEPS = 512
"""A position packs exactly when it is a whole number of 1/512ths (a slider's whole numbers, halves and so on)."""
POSITION_BITS = 16
"""Bits of a packed position: 0 for a slider that was not placed, else position x POSITION_STEPS + 1."""


def _code_of(column: Any, known: Sequence[str]) -> Any:
    """SQL: the code of `column` among the `known` ids, UNKNOWN for any other value."""
    return cast(func.coalesce(case({k: i for i, k in enumerate(known)}, value=column), UNKNOWN), Integer)


def _placed(position: Any) -> tuple[Any, Any]:
    """SQL: whether `position` fits in a packed position exactly (or is NULL), and its packed value."""
    scaled = position * POSITION_STEPS
    # in range too, so a position never spills into the theme's bits (the table's CHECK makes sure already)
    fits = or_(position.is_(None), and_(position >= 0, position <= 100, scaled == cast(scaled, Integer)))
    return fits, case((position.is_(None), 0), else_=cast(scaled, Integer) + 1)


def _packed_position(respondent: Any, theme: Any, position: Any) -> Any:
    """SQL: a position as one integer, respondent id, theme code and packed position from high bits to
    low, or ODD for a theme the model does not know or a position that does not fit."""
    fits, placed = _placed(position)
    packed = (cast(respondent, BigInteger) * (1 << CODE_BITS) + theme) * (1 << POSITION_BITS) + placed
    return case((or_(theme == UNKNOWN, not_(fits)), ODD), else_=packed)


def _answer_codes(dialect: str, question: Any, option: Any) -> Any:
    """SQL, per respondent: every answer as two characters, the codes of its question and option plus
    one (character 0 is not allowed in a PostgreSQL string); the order of the answers is arbitrary.

    A few characters per answer in one string per respondent is the cheapest thing a driver can hand
    over: no row, no string and no number to make for each of a whole country's millions of answers."""
    if dialect == "postgresql":
        return func.string_agg(func.chr(question + 1).concat(func.chr(option + 1)), "")
    return func.group_concat(func.char(question + 1, option + 1), "")


@dataclass(frozen=True)
class ResponseRows:
    """What the database returns for some respondents (`read_response_rows`), before any conversion."""

    respondents: Sequence[Sequence[Any]]
    """(respondent, unit, round, role, label)."""
    positions: Sequence[int]
    """Every position as one integer (`_packed_position`)."""
    answers: Sequence[Sequence[Any]]
    """(respondent, the codes of its answers as characters; `_answer_codes`)."""
    odd_positions: Sequence[Sequence[Any]] = ()
    """(respondent, theme, position) of the positions packed as ODD."""
    odd_answers: Sequence[Sequence[Any]] = ()
    """(respondent, question, option) of the answers with an UNKNOWN code."""


def _fits(known: KnownIds) -> bool:
    return all(0 < len(ids) < UNKNOWN for ids in (known.themes, known.questions, known.options))


def _characters_as_codes(bind: Any) -> bool:
    """Whether a character made from a code comes back as that code point: on SQLite, and on PostgreSQL
    in UTF8 (in a single-byte character set `chr` gives that set's character, which may be another)."""
    return bind.dialect.name != "postgresql" or bind.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"


def read_response_rows(bind: Any, which: Any | None, known: KnownIds) -> ResponseRows:
    """The rows of the respondents matching `which` (a condition on Respondent; None: all of them),
    their positions and their answers (those with an option), with theme, question and option ids
    encoded by the database itself. Rows with an id the model does not know are read a second time,
    as plain strings, only when there are any (after a change of model)."""
    mine = [] if which is None else [which]
    respondent_rows = bind.execute(
        select(Respondent.id, Respondent.unit_id, Respondent.round_id, Respondent.role, Respondent.label).where(*mine)
    ).all()
    on_positions = [] if which is None else [ThemePosition.respondent_id.in_(select(Respondent.id).where(which))]
    on_answers = [Answer.option_id.is_not(None)]
    if which is not None:
        on_answers.append(Answer.respondent_id.in_(select(Respondent.id).where(which)))
    plain_positions = select(ThemePosition.respondent_id, ThemePosition.theme_id, ThemePosition.position)
    plain_answers = select(Answer.respondent_id, Answer.question_id, Answer.option_id)
    if not _fits(known) or not _characters_as_codes(bind):  # no model, or no UTF8: every id as a string
        return ResponseRows(
            respondent_rows,
            positions=(),
            answers=(),
            odd_positions=bind.execute(plain_positions.where(*on_positions)).all(),
            odd_answers=bind.execute(plain_answers.where(*on_answers)).all(),
        )
    position_codes = (
        bind.execute(
            select(
                _packed_position(
                    ThemePosition.respondent_id,
                    _code_of(ThemePosition.theme_id, known.themes),
                    ThemePosition.position,
                )
            ).where(*on_positions)
        )
        .scalars()
        .all()
    )
    answer_rows = bind.execute(
        select(
            Answer.respondent_id,
            _answer_codes(
                bind.dialect.name,
                _code_of(Answer.question_id, known.questions),
                _code_of(Answer.option_id, known.options),
            ),
        )
        .where(*on_answers)
        .group_by(Answer.respondent_id)
    ).all()
    odd_positions: Sequence[Sequence[Any]] = ()
    if ODD in position_codes:
        fits, _ = _placed(ThemePosition.position)
        odd_positions = bind.execute(
            plain_positions.where(*on_positions, or_(ThemePosition.theme_id.not_in(known.themes), not_(fits)))
        ).all()
    odd_answers: Sequence[Sequence[Any]] = ()
    if any(chr(UNKNOWN + 1) in codes for _, codes in answer_rows):
        odd_answers = bind.execute(
            plain_answers.where(
                *on_answers,
                or_(Answer.question_id.not_in(known.questions), Answer.option_id.not_in(known.options)),
            )
        ).all()
    return ResponseRows(respondent_rows, position_codes, answer_rows, odd_positions, odd_answers)


def _with_odd(
    codes: np.ndarray, odd_rows: Sequence[Sequence[Any]], column: int, known: Sequence[str]
) -> pd.Categorical:
    """A categorical of the `known` ids from database codes, followed by the ids of the odd rows
    (extra categories for ids the model does not know, as `encode_ids` makes them)."""
    odd = encode_ids(odd_rows, column, known)
    return pd.Categorical.from_codes(
        np.concatenate([codes, odd.codes]) if odd_rows else codes, categories=odd.categories
    )


def _then(values: np.ndarray, more: np.ndarray) -> np.ndarray:
    return np.concatenate([values, more]) if len(more) else values


def response_frames(rows: ResponseRows, known: KnownIds) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Respondents, positions and answers from what the database returned (`read_response_rows`): the
    one home of the conversion (`wijkmodel.storage.frames.load_frames` reads through it).

    Only what the scoring and the views use is read: the notes are not (they are shown from
    `wijkmodel.storage.responses`)."""
    respondent_rows = rows.respondents
    respondents = pd.DataFrame(
        {
            "respondent": _ints(respondent_rows, 0),
            "unit": _ints(respondent_rows, 1),
            "round": _ints(respondent_rows, 2),
            "role": [r[3] for r in respondent_rows],
            "label": [r[4] for r in respondent_rows],
        }
    )

    packed = np.fromiter(rows.positions, dtype=np.int64, count=len(rows.positions))
    if (packed == ODD).any():
        packed = packed[packed != ODD]
    placed = (packed & ((1 << POSITION_BITS) - 1)).astype(float)
    placed[placed == 0] = np.nan  # not placed
    packed >>= POSITION_BITS
    odd = rows.odd_positions
    positions = pd.DataFrame(
        {
            "respondent": _then(packed >> CODE_BITS, _ints(odd, 0)),
            "theme": _with_odd((packed & ((1 << CODE_BITS) - 1)).astype(np.int16), odd, 1, known.themes),
            # exact: a whole number of steps, divided by a power of two
            "position": _then((placed - 1) / POSITION_STEPS, np.array([r[2] for r in odd], dtype=object).astype(float)),
        },
        copy=False,  # fresh arrays of our own: no need to copy them
    )

    texts = [codes for _, codes in rows.answers]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # every character is a code plus one, below 256: one byte each in latin-1
    as_bytes = "".join(texts).encode("latin-1")
    pairs = (np.frombuffer(as_bytes, dtype=np.uint8) - np.uint8(1)).reshape(-1, 2)
    respondent = np.repeat(_ints(rows.answers, 0), lengths // 2)
    if bytes([UNKNOWN + 1]) in as_bytes:  # a byte search: the mask is made only after a change of model
        known_ids = (pairs[:, 0] != UNKNOWN) & (pairs[:, 1] != UNKNOWN)
        pairs, respondent = pairs[known_ids], respondent[known_ids]
    odd = rows.odd_answers
    answers = pd.DataFrame(
        {
            "respondent": _then(respondent, _ints(odd, 0)),
            "question": _with_odd(pairs[:, 0], odd, 1, known.questions),
            "option": _with_odd(pairs[:, 1], odd, 2, known.options),
        },
        copy=False,  # a country's answers are not copied again
    )
    return respondents, positions, answers
