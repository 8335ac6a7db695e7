"""The scoring benchmark's read path (issue 20): the synthetic frames stored in a real SQLite database
and read back through the app's own queries and conversion score exactly as the frames themselves."""

from __future__ import annotations

import pandas as pd

from wijkmodel.demo.bench import database_read, profile_from_rows, synthetic_frames
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings, compute_profile
from wijkmodel.storage.encoding import KnownIds


def test_what_the_database_returns_scores_as_the_frames_do(model: MaturityModel) -> None:
    respondents, positions, answers = synthetic_frames(12, model)  # unset sliders, "weet niet", skipped answers
    read = database_read(respondents, positions, answers, KnownIds.of(model))
    assert not read.rows.odd_answers and not read.rows.odd_positions  # every id and position encoded
    assert len(read.rows.positions) == len(positions) and len(read.rows.answers) == len(respondents)
    settings = ScoringSettings()
    expected = compute_profile(respondents, positions, answers, model, settings)
    got = profile_from_rows(read.rows, model, settings)
    pd.testing.assert_frame_equal(got.items, expected.items, check_exact=True)
    pd.testing.assert_frame_equal(got.units, expected.units, check_exact=True)
    pd.testing.assert_frame_equal(got.talking_points, expected.talking_points, check_exact=True)
    # the data has talking points, and unset sliders that count for nobody
    assert len(got.talking_points) > 0 and (got.items["n_respondents"] < 4).any()
