"""How answers given before model 2026.2 map to its answer scales: the one home of that rule.

Model 2026.1 had one answer scale for every question. Model 2026.2 gave the Quickscan questions that
ask how or which the scale "geregeld" (docs/scoring.md). An answer given before moves by
`STANDARD_TO_ARRANGED`; every other answer keeps its id. Migration 0003 applies it to stored
answers, `wijkmodel.backup.older` to backups of format 1-3.

Frozen: this is what happened between two model versions. Never edit it; a later change of scales
gets a rule (and a migration) of its own.
"""

from __future__ import annotations

HOW_QUESTIONS = frozenset(
    {
        "BF2-Q3",
        "BF3-Q4",
        "BF3-Q5",
        "BF4-Q1",
        "BF4-Q3",
        "BF4-Q5",
        "BF5-Q1",
        "BF5-Q2",
        "BF5-Q3",
        "BF5-Q5",
        "BF5-Q6",
        "BF5-Q7",
    }
)
"""The Quickscan questions that use the scale "geregeld" from model 2026.2 on."""

STANDARD_TO_ARRANGED = {"nee": "niet", "beperkt": "deels", "ja": "volledig"}
"""Option of the standard scale → option of "geregeld"; grotendeels, weet_niet and nvt keep their ids."""


def mapped_option(question_id: str, option_id: str) -> str:
    """The option an answer of model 2026.1 has on the scales of model 2026.2."""
    if question_id in HOW_QUESTIONS:
        return STANDARD_TO_ARRANGED.get(option_id, option_id)
    return option_id
