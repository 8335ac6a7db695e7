"""The test setup itself: a test that needs a real browser carries the `browser` marker, set by its
fixtures (tests/conftest.py), and no other test does; so `make test-fast` (`-m "not browser"`) leaves
out exactly the browser tests, and `make test` runs them all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

COLLECT = """
import inspect, json, sys
import pytest

STARTS_A_BROWSER = ("sync_playwright(", "streamlit_server(", "local.running(")


def source(func):
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return ""


class Record:
    def __init__(self):
        self.tests = {}

    def note(self, item, selected):
        infos = item._fixtureinfo.name2fixturedefs
        starters = sorted(
            name for name, defs in infos.items() if defs and any(s in source(defs[-1].func) for s in STARTS_A_BROWSER)
        )
        if any(s in source(getattr(item, "function", None)) for s in STARTS_A_BROWSER):
            starters.append("(the test itself)")
        self.tests[item.nodeid] = {
            "selected": selected,
            "marked": item.get_closest_marker("browser") is not None,
            "starters": starters,
        }

    def pytest_deselected(self, items):
        for item in items:
            self.note(item, False)

    def pytest_collection_finish(self, session):
        for item in session.items:
            self.note(item, True)


record = Record()
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-m", "browser", "tests"], plugins=[record])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": int(code), "tests": record.tests}, out)
"""
"""Collect the whole suite with `-m browser`; per test: selected or not, marked or not, and which of its
fixtures (or the test itself) start chromium or an app server, found in their source."""


def _collected(tmp_path: Path) -> dict[str, dict]:
    out = tmp_path / "collected.json"
    run = subprocess.run(
        [sys.executable, "-c", COLLECT, str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found["code"] == 0, found
    return found["tests"]


def test_the_browser_marker_goes_with_the_fixtures_that_start_a_browser(tmp_path: Path) -> None:
    tests = _collected(tmp_path)
    browser = {nodeid for nodeid, t in tests.items() if t["starters"]}
    assert len(tests) > 1000 and len(browser) > 30  # the whole suite, and its browser tests
    # every test of a browser test file is a browser test; a browser test elsewhere counts too
    assert {n for n in tests if n.startswith("tests/test_browser")} <= browser
    unmarked = sorted(n for n in browser if not (tests[n]["marked"] and tests[n]["selected"]))
    assert not unmarked, f"browser tests without the marker (or not selected by -m browser): {unmarked}"
    marked = sorted(n for n in tests if n not in browser and (tests[n]["marked"] or tests[n]["selected"]))
    assert not marked, f"tests with the browser marker that start no browser: {marked}"


def test_no_browser_marker_is_written_by_hand() -> None:
    """The fixtures mark browser tests (tests/conftest.py); a marker by hand would hide a missing one."""
    by_hand = [
        path.name
        for path in sorted((ROOT / "tests").glob("*.py"))
        if path.name not in {"conftest.py", Path(__file__).name} and "mark.browser" in path.read_text(encoding="utf-8")
    ]
    assert not by_hand
