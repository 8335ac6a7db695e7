"""scripts/bench_sliders.py runs: both apps start, every move is timed, and the app's moves are saved.

Two timed moves per app, so it stays short; the figures themselves are the script's to report
(`make bench-sliders`), not a test's to judge."""

from __future__ import annotations

import json
import subprocess
import sys

from playwright.sync_api import Browser

from tests.conftest import ROOT


def test_the_slider_benchmark_times_and_saves_every_move(browser: Browser) -> None:
    # `browser` marks this a browser test and skips it without chromium; the script starts its own
    del browser
    run = subprocess.run(
        [sys.executable, "scripts/bench_sliders.py", "--moves", "2", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout)
    assert result["moves"] == 2
    for app in ("bare", "bare_frozen", "ours"):
        assert result[app]["median_ms"] > 0
        assert len(result[app]["ms"]) == 2 and all(ms > 0 for ms in result[app]["ms"])
    assert result["ours"]["saved"] == result["warm_up"] + 2  # the warm-up moves were saved too
    assert result["ratio"] > 0 and result["ratio_frozen"] > 0 and result["target"] == 1.3
