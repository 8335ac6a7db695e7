"""Shared fixtures: the model, a fresh SQLite database per test, the demo municipality."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from wijkmodel.db import make_engine, make_sessionmaker
from wijkmodel.loader import load_model
from wijkmodel.model import MaturityModel

ROOT = Path(__file__).resolve().parent.parent


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
