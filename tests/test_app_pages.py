"""AppTest per page: no exception, and widgets change what they should."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from wijkmodel.cli import run

APP = str(ROOT / "app.py")


@pytest.fixture
def demo_db(db_url, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    assert run(["demo"]) == 0
    capsys.readouterr()
    st.cache_resource.clear()  # the engine is cached per process: point it at this test's database
    yield db_url
    st.cache_resource.clear()


@pytest.fixture
def empty_db(db_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    st.cache_resource.clear()
    yield db_url
    st.cache_resource.clear()


def page(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    if path:
        at.switch_page(path)
        at.run()
        assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    "path",
    [
        "pages/start.py",
        "pages/startpositie.py",
        "pages/quickscan.py",
        "pages/wijkprofiel.py",
        "pages/vergelijken.py",
        "pages/instellingen.py",
        "pages/het_model.py",
    ],
)
def test_every_page_runs_on_the_demo(demo_db, path) -> None:  # type: ignore[no-untyped-def]
    page(path)


@pytest.mark.parametrize(
    "path",
    [
        "pages/start.py",
        "pages/startpositie.py",
        "pages/quickscan.py",
        "pages/wijkprofiel.py",
        "pages/vergelijken.py",
        "pages/instellingen.py",
        "pages/het_model.py",
    ],
)
def test_every_page_runs_on_an_empty_database(empty_db, path) -> None:  # type: ignore[no-untyped-def]
    page(path)
