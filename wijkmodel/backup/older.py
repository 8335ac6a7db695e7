"""Backups of earlier formats, read as today's: what changed in the model is applied on reading.

Format 4 (model 2026.2) gave the Quickscan questions that ask how or which the answer scale
"geregeld". An answer of an older file to such a question is mapped by the frozen rule of
`wijkmodel.model.scale_change` (nee → niet, beperkt → deels, ja → volledig), the rule migration
0003 applies to stored answers.
"""

from __future__ import annotations

from wijkmodel.model.scale_change import mapped_option

ANSWER_SCALES_FROM = 4
"""The first format whose answers are on the scales of model 2026.2."""


def map_older_answers(raw: dict) -> bool:
    """Map, in place, the answers of a backup older than format 4 to today's scales; True when
    anything changed. A file of format 4 or later, or one too damaged to read, is left alone (its
    problems are named by the checks that follow)."""
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version >= ANSWER_SCALES_FROM:
        return False
    municipality = raw.get("municipality")
    rounds = municipality.get("rounds") if isinstance(municipality, dict) else None
    changed = False
    for round_ in rounds if isinstance(rounds, list) else []:
        respondents = round_.get("respondents") if isinstance(round_, dict) else None
        for respondent in respondents if isinstance(respondents, list) else []:
            answers = respondent.get("answers") if isinstance(respondent, dict) else None
            for answer in answers if isinstance(answers, list) else []:
                if not isinstance(answer, dict):
                    continue
                question, option = answer.get("question"), answer.get("option")
                if not isinstance(question, str) or not isinstance(option, str):
                    continue
                new = mapped_option(question, option)
                if new != option:
                    answer["option"] = new
                    changed = True
    return changed
