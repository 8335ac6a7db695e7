"""Per respondent: the scores of the six themes and five basic functions, from encoded frames.

The first, heaviest step of `wijkmodel.scoring.core.compute_profile`. Ids arrive as categoricals
(as `wijkmodel.storage.encoding` reads them) or as plain strings; either way every answer goes
through one small lookup table indexed by its (question, option) codes, so the millions of answers
of a whole country cost a few passes over integer arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkmodel.model.schema import MaturityModel, Question


def own_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes of `values` into their own categories (-1 for missing): free for a categorical, one hash
    pass over plain values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    codes, uniques = pd.factorize(values.to_numpy())
    return codes, pd.Index(uniques)


def _codes(values: pd.Series, categories: list[str]) -> np.ndarray:
    """Integer codes of `values` in `categories` (-1 for unknown or missing)."""
    codes, own = own_codes(values)
    if own.equals(pd.Index(categories)):
        return codes
    # the translation of the few own categories; its extra last entry serves code -1 (missing)
    return np.append(pd.Index(categories).get_indexer(own), -1)[codes]


def row_lookup(ids: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Map respondent ids to row numbers 0..n-1 (-1 for unknown ids).

    Database ids are small non-negative integers, so a lookup table is a plain gather (an
    order of magnitude faster than hashing four million values); other ids fall back to an index.
    """
    if ids.dtype.kind in "iu" and np.array_equal(ids, np.arange(len(ids))):
        n = len(ids)

        def same(values: np.ndarray) -> np.ndarray:  # ids are already row numbers
            values = np.asarray(values)
            if values.dtype.kind not in "iu":
                return pd.Index(ids).get_indexer(values)
            if len(values) and (values.min() < 0 or values.max() >= n):
                return np.where((values >= 0) & (values < n), values, -1)
            return values.astype(np.intp, copy=False)

        return same
    if ids.dtype.kind in "iu" and len(ids) and ids.min() >= 0 and ids.max() < max(4 * len(ids), 1_000_000):
        table = np.full(int(ids.max()) + 2, -1, dtype=np.int64)  # last slot: any id out of range
        table[ids] = np.arange(len(ids))

        def look(values: np.ndarray) -> np.ndarray:
            values = np.asarray(values)
            if values.dtype.kind not in "iu":
                return pd.Index(ids).get_indexer(values)
            if len(values) and (values.min() < 0 or values.max() >= len(table)):
                values = np.clip(values, -1, len(table) - 1)  # rare: unknown ids map to -1
            return table[values]

        return look
    index = pd.Index(ids)
    return lambda values: index.get_indexer(np.asarray(values))


@dataclass(frozen=True)
class AnswerTable:
    """How every (question, option) of some questions scores, as small lookup arrays.

    The distinct scores after polarity form a few value classes (class 0 = counts for nothing);
    `classes[q, o]` is the class of option `o` for question `q`, or -1 when the question's scale
    has no such option. The extra last row and column hold answers outside these questions or
    options; they are -1 too, except that the last row (other instruments) is class 0.
    """

    options: list[str]
    """Every option id of any of the questions' scales."""
    values: np.ndarray
    """Score per value class (NaN for class 0, counts for nothing)."""
    classes: np.ndarray
    """(questions + 1) x (options + 1) class codes."""


def answer_table(model: MaturityModel, questions: list[Question]) -> AnswerTable:
    """The `AnswerTable` of some questions (their scales, with polarity applied)."""
    scores = [model.answer_scores(q) for q in questions]
    options = list(dict.fromkeys(o for per_question in scores for o in per_question))
    values = sorted({s for per_question in scores for s in per_question.values() if s is not None})
    value_class = {v: i + 1 for i, v in enumerate(values)}
    classes = np.full((len(questions) + 1, len(options) + 1), -1, dtype=np.int8)  # few classes: a small gather
    classes[-1, :] = 0
    for i, per_question in enumerate(scores):
        for option, score in per_question.items():
            classes[i, options.index(option)] = 0 if score is None else value_class[score]
    return AnswerTable(options=options, values=np.array([np.nan, *values]), classes=classes)


def _pair_lookup(slot: np.ndarray) -> tuple[np.ndarray, int]:
    """`slot` ((questions + 1) x (options + 1), last row and column for code -1) as a flat table
    `flat[q * width + o]` for codes q, o from -1 up: one gather per answer instead of a 2-D one.

    With width = options + 1 every pair has its own place: row q spans q * width - 1 up to
    q * width + options - 1. Negative places (q = -1, or q = 0 with o = -1) wrap to the table's tail.
    """
    n_q, n_o = slot.shape[0] - 1, slot.shape[1] - 1
    width = n_o + 1
    flat = np.full(n_q * width + width + 1, -1, dtype=slot.dtype)
    q, o = np.meshgrid(np.arange(-1, n_q), np.arange(-1, n_o), indexing="ij")
    flat[(q * width + o).ravel()] = slot[q, o].ravel()
    return flat, width


def respondent_matrix(
    n_rows: int,
    rows_of: Callable[[np.ndarray], np.ndarray],
    positions: pd.DataFrame,
    answers: pd.DataFrame,
    model: MaturityModel,
    instrument: str,
    check_duplicates: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Respondents x items (6 themes, 5 basic functions): scores, and coverage of the basic functions.

    A theme is its slider position (NaN when unset). A basic function is the mean score of the
    respondent's answered questions; "Weet niet" and "Niet van toepassing" count for nothing.
    Coverage = answered / questions of that basic function, NaN for respondents who gave no answer
    at all in this instrument (they did not take part, so they do not lower the coverage).
    """
    theme_ids = [t.id for t in model.themes_ordered()]
    bf_ids = [b.id for b in model.basic_functions_ordered()]
    n_themes, n_bf = len(theme_ids), len(bf_ids)
    scores = np.full((n_rows, n_themes + n_bf), np.nan)

    theme_code = _codes(positions["theme"], theme_ids)
    if (theme_code < 0).any():
        unknown = sorted(set(positions["theme"].to_numpy()[theme_code < 0].astype(str)))
        raise ValueError(f"onbekend thema: {', '.join(unknown)}")
    position = positions["position"].to_numpy(dtype=float)
    if np.any((position < 0) | (position > 100)):
        raise ValueError("een schuifje staat altijd tussen 0 en 100")
    theme_rows = rows_of(positions["respondent"].to_numpy())
    if len(theme_rows) and theme_rows.min() < 0:
        raise ValueError("er zijn schuifjes van een respondent die niet bekend is")
    cells = theme_rows * (n_themes + n_bf) + theme_code
    if check_duplicates and len(cells) and np.bincount(cells, minlength=scores.size).max() > 1:
        raise ValueError("een respondent heeft voor één thema meer dan één schuifje")
    scores.ravel()[cells] = position  # flat put: faster than 2-D indexing

    questions = [q for q in model.instrument(instrument).questions if q.basic_function in bf_ids]
    table = answer_table(model, questions)
    n_val = len(table.values)
    # Each answer's slot: basic function x value class ("counts for nothing" is class 0), or -1
    # for an option its question does not allow. Slot n_bf collects answers to questions outside
    # this instrument (the table's last row is all class 0), which count nowhere.
    q_bf = np.array([bf_ids.index(q.basic_function) for q in questions] + [n_bf], dtype=np.int16)
    slot = np.where(table.classes < 0, -1, q_bf[:, None] * n_val + table.classes).astype(np.int16)
    # Translate the table to the frame's own categories (a few dozen), so the answers themselves
    # are never translated: their codes index the table directly. Code -1 picks the last row/column.
    q_codes, q_own = own_codes(answers["question"])
    o_codes, o_own = own_codes(answers["option"])
    q_of = np.append(pd.Index([q.id for q in questions]).get_indexer(q_own), -1)
    o_of = np.append(pd.Index(table.options).get_indexer(o_own), -1)
    flat, width = _pair_lookup(slot[q_of[:, None], o_of[None, :]])
    keys = np.multiply(q_codes, width, dtype=np.intp)  # first each answer's (question, option) pair
    keys += o_codes
    answer_slot = flat[keys]
    bad = answer_slot < 0
    if bad.any():
        pairs = answers.loc[bad, ["question", "option"]].astype(str).drop_duplicates().head(5)
        wrong = ", ".join(f"{o} bij {q}" for q, o in pairs.itertuples(index=False))
        raise ValueError(f"onbekend antwoord: {wrong}")
    answer_rows = rows_of(answers["respondent"].to_numpy())
    if len(answer_rows) and answer_rows.min() < 0:
        raise ValueError("er zijn antwoorden van een respondent die niet bekend is")
    totals = np.bincount(q_bf[:-1], minlength=n_bf).astype(float)
    slots = (n_bf + 1) * n_val
    if check_duplicates:
        n_q = len(questions)
        q_code = q_of[q_codes]
        per_question = answer_rows * (n_q + 1) + np.where(q_code < 0, n_q, q_code)
        seen = np.bincount(per_question, minlength=n_rows * (n_q + 1)).reshape(n_rows, n_q + 1)[:, :n_q]
        if seen.size and seen.max() > 1:
            raise ValueError("een respondent heeft op één vraag meer dan één antwoord")
    # One pass counts every (slot, respondent), slot-major, so that each (basic function, value class)
    # is a contiguous column of respondents; the rest is a few adds of those columns. Four million
    # answers make every temporary array tens of megabytes, so the key array reuses the pair array.
    np.multiply(answer_slot, np.intp(n_rows), out=keys)
    keys += answer_rows
    counts = np.bincount(keys, minlength=slots * n_rows).reshape(n_bf + 1, n_val, n_rows)[:n_bf]
    given = counts.sum(axis=1)  # every answer per basic function x respondent
    answered = given - counts[:, 0]  # those that count (class 0 counts for nothing)
    # Sums of count x score, class by class: exact while the scores are binary fractions (as the
    # model's 12.5, 37.5, 62.5 and 87.5 are); other scores may differ in the last bit from another order.
    total = np.zeros(given.shape)
    for value_class in range(1, n_val):
        total += counts[:, value_class] * table.values[value_class]
    with np.errstate(invalid="ignore", divide="ignore"):
        scores[:, n_themes:] = (total / answered).T
    took_part = given.any(axis=0)
    coverage = np.where(took_part[:, None], (answered / totals[:, None]).T, np.nan)
    return scores, coverage
