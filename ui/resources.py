"""Per server process: the model, the database's sessions, the cached profile and cached figures."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.model.loader import MODEL_DIR, load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.scoring.rules import OverallRule
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker

log = logging.getLogger("wijkmodel")
T = TypeVar("T")


@st.cache_resource
def cached_model(directory: str = str(MODEL_DIR)) -> MaturityModel:
    """The validated maturity model, loaded once per server process."""
    return load_model(directory)


@st.cache_resource
def session_factory() -> Sessions:
    """One engine per server process (URL from WIJKMODEL_DATABASE_URL)."""
    return make_sessionmaker(make_engine())


@st.cache_resource(max_entries=16)
def cached_profile(
    municipality_id: int,
    name: str,
    data_generation: str,
    data_revision: int,
    rule: str,
    theme_weight: float,
    weighted: bool,
) -> MunicipalityProfile:
    """The municipality's profile, computed once per data generation, revision and settings
    (shared, read-only). The generation changes with every restore, where revisions start again."""
    settings = ScoringSettings(rule=OverallRule(rule), theme_weight=theme_weight, population_weighted=weighted)
    with session_factory()() as session:
        return municipality_profile(
            session=session, municipality_id=municipality_id, name=name, model=cached_model(), settings=settings
        )


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_call(name: str, key: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def cached(name: str, key: tuple, build: Callable[[], T]) -> T:
    """Build once per key and reuse across reruns and sessions (figures and tables are read-only).

    The key must hold everything the result depends on; Context.cache_key() carries the data
    revision, so a save anywhere makes every page rebuild.
    """
    return _cached_call(name, key, build)


def read(action: Callable[[Session], T]) -> T:
    """Run a read in a short session."""
    with session_factory()() as session:
        return action(session)


_FROZEN: list[bool] = []


def freeze_startup_heap() -> None:
    """Once per server process, at the end of its first run: move every object alive then (the
    libraries, the model, the database engine) into Python's permanent generation (`gc.freeze`).
    Streamlit collects garbage in full after every run (`runner.postScriptGC`); without this, that
    walked the whole heap on every slider move (about half the server's time of a move,
    scripts/bench_sliders.py). Garbage made later is still collected, and objects without cycles are
    freed at once as before."""
    if not _FROZEN:
        gc.collect()
        gc.freeze()
        _FROZEN.append(True)
