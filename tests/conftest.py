"""Shared fixtures: the model, a fresh SQLite database per test, the demo municipality."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from streamlit.testing.v1 import AppTest

from tests.browser import LAUNCH_ARGS, require_chromium, streamlit_server
from wijkmodel.db import make_engine, make_sessionmaker
from wijkmodel.loader import load_model
from wijkmodel.model import MaturityModel

ROOT = Path(__file__).resolve().parent.parent
DEMO_WIJKEN = [
    "De Hoven",
    "Oude Haven",
    "Kerkebuurt",
    "Molenwijk",
    "Noorderpark",
    "Het Ven",
    "Stationskwartier",
    "Zonnehoek",
]
PAGE_FILES = [
    "app_pages/start.py",
    "app_pages/wijkanalyse.py",
    "app_pages/wijkdata.py",
    "app_pages/startpositie.py",
    "app_pages/quickscan.py",
    "app_pages/gesprek.py",
    "app_pages/wijkprofiel.py",
    "app_pages/vergelijken.py",
    "app_pages/perspectieven.py",
    "app_pages/presenteren.py",
    "app_pages/stukken.py",
    "app_pages/voortgang.py",
    "app_pages/streefwaarden.py",
    "app_pages/plan.py",
    "app_pages/geschiedenis.py",
    "app_pages/instellingen.py",
    "app_pages/het_model.py",
]


@pytest.fixture(scope="session")
def model() -> MaturityModel:
    return load_model()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker:
    return make_sessionmaker(engine)


@pytest.fixture
def demo_factory(factory: sessionmaker, model: MaturityModel) -> sessionmaker:
    from wijkmodel.demo import add_demo

    with factory.begin() as session:
        add_demo(session=session, model=model)
    return factory


# --- AppTest helpers ------------------------------------------------------------------------------

APP = str(ROOT / "app.py")


@pytest.fixture
def demo_db(db_url, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    from wijkmodel.cli import run

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
    """Run the app, switch to a page, run it; no exception on the way."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    if path:
        at.switch_page(path)
        at.run()
        assert not at.exception, at.exception
    return at


# --- real-browser fixtures (one browser and one server of each kind per test session) -------------


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=require_chromium(), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def empty_app(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    require_chromium()
    db = tmp_path_factory.mktemp("empty") / "app.sqlite"
    with streamlit_server(f"sqlite:///{db}") as url:
        yield url


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    require_chromium()
    db = tmp_path_factory.mktemp("demo") / "app.sqlite"
    env_url = f"sqlite:///{db}"
    subprocess.run(
        [sys.executable, "-m", "wijkmodel", "demo"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "WIJKMODEL_DATABASE_URL": env_url},
    )
    with streamlit_server(env_url) as url:
        yield url
