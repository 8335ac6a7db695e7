"""AppTest per page: no exception, and widgets change what they should."""

from __future__ import annotations

import pytest

from tests.conftest import page


@pytest.mark.parametrize(
    "path",
    [
        "app_pages/start.py",
        "app_pages/startpositie.py",
        "app_pages/quickscan.py",
        "app_pages/wijkprofiel.py",
        "app_pages/vergelijken.py",
        "app_pages/instellingen.py",
        "app_pages/het_model.py",
    ],
)
def test_every_page_runs_on_the_demo(demo_db, path) -> None:  # type: ignore[no-untyped-def]
    page(path)


@pytest.mark.parametrize(
    "path",
    [
        "app_pages/start.py",
        "app_pages/startpositie.py",
        "app_pages/quickscan.py",
        "app_pages/wijkprofiel.py",
        "app_pages/vergelijken.py",
        "app_pages/instellingen.py",
        "app_pages/het_model.py",
    ],
)
def test_every_page_runs_on_an_empty_database(empty_db, path) -> None:  # type: ignore[no-untyped-def]
    page(path)
