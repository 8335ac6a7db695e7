"""Shared fixtures: the model, a fresh database per test, the demo municipality.

Storage and CLI tests run on SQLite and on PostgreSQL: in the modules of `BOTH_DATABASES`, every
test that uses `db_url` (directly or through `engine`, `factory`, `demo_factory`) runs twice, with
the ids `sqlite` and `postgresql`. The PostgreSQL variant uses the server of
WIJKMODEL_TEST_POSTGRES_URL (`.ci/run` starts one with scripts/pg_throwaway.sh), emptied before
each test; without it that variant skips, except in CI (CI=true), where it fails. A test that is
SQLite by nature (a file path, WAL, the SQLite backup) is marked `@pytest.mark.sqlite_only("why")`.
Everywhere else `db_url` is a SQLite file.

Browser tests are marked `browser` here, not by hand: every test that uses a fixture of
`BROWSER_FIXTURES` (chromium, or a `streamlit run` server for it), directly or through another
fixture. `make test-fast` leaves them out (`-m "not browser"`); tests/test_test_setup.py checks the
marking.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import streamlit as st
from sqlalchemy import MetaData, Table, create_engine, select, text
from sqlalchemy.engine import Engine, make_url
from streamlit.testing.v1 import AppTest

from tests.browser import LAUNCH_ARGS, require_chromium, streamlit_server
from ui.pages import PAGES
from wijkmodel.demo.facts import WIJKEN
from wijkmodel.model.loader import load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker, sync_id_sequences
from wijkmodel.storage.tables import MUNICIPALITY_UNIT_NAME, data_tables

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
# The app hides error details from users (.streamlit/config.toml); tests must see every failure.
st.set_option("client.showErrorDetails", "full")
DEMO_WIJKEN = [name for name, *_ in WIJKEN]  # the demo's own list (wijkmodel/demo/facts.py)
PAGE_FILES = [p.path for p in PAGES]  # the app's own list (ui/pages.py)
DemoRows = list[tuple[Table, list[dict]]]  # every row of the demo, table by table (the fixture `demo_rows`)


@pytest.fixture(scope="session")
def model() -> MaturityModel:
    return load_model()


# --- databases: SQLite, and PostgreSQL for the storage and CLI tests -------------------------------

SERVER_URL = os.environ.get("WIJKMODEL_TEST_POSTGRES_URL", "")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
"""The pytest-xdist worker running this process ("gw0", ...; empty when tests run in one process)."""
POSTGRES_URL = (
    str(make_url(SERVER_URL).set(database=f"{make_url(SERVER_URL).database}_{WORKER}"))
    if SERVER_URL and WORKER
    else SERVER_URL
)
"""Each parallel worker empties and fills a database of its own on the test server."""
BOTH_DATABASES = frozenset(
    {
        "tests.test_store",
        "tests.test_regions",
        "tests.test_cli",
        "tests.test_cycle",
        "tests.test_history",
        "tests.test_backup",
        "tests.test_synthetic_country",
        "tests.test_shared_editing",
        "tests.test_invitations",
        "tests.test_invitation_bounds",
        "tests.test_encoding",
    }
)
"""Modules whose database tests run on SQLite and on PostgreSQL."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): runs on SQLite only, also in a module of BOTH_DATABASES")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.module.__name__ in BOTH_DATABASES and "db_url" in metafunc.fixturenames:
        metafunc.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


BROWSER_FIXTURES = frozenset({"browser", "empty_app", "demo_app", "proxied"})
"""The real-browser fixtures (below): chromium, and the app servers started for it (`proxied`: the
set-up behind nginx, tests/test_browser_proxy.py)."""


def uses_a_browser(item: pytest.Item) -> bool:
    """Whether the test needs a real browser: a fixture of `BROWSER_FIXTURES` in its fixture closure."""
    return not BROWSER_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


@pytest.hookimpl(tryfirst=True)  # before `-m` selects on the marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every browser test `browser`; leave out the PostgreSQL variant of a test (or a parameter)
    marked `sqlite_only`."""
    for item in items:
        if uses_a_browser(item):
            item.add_marker(pytest.mark.browser)
    sqlite_only = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only") is not None
        and getattr(getattr(item, "callspec", None), "params", {}).get("db_url") == "postgresql"
    ]
    if sqlite_only:
        config.hook.pytest_deselected(items=sqlite_only)
        items[:] = [item for item in items if item not in sqlite_only]


def _create_database(url: str) -> None:
    """Create the worker's database on the test server, once."""
    name = make_url(url).database
    server = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


def postgres_url() -> str:
    """The test server's URL, emptied: no table left from an earlier test (or an older schema)."""
    if not POSTGRES_URL:
        message = "WIJKMODEL_TEST_POSTGRES_URL is niet gezet: geen PostgreSQL-server om tegen te testen"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    if POSTGRES_URL != SERVER_URL:
        _create_database(POSTGRES_URL)
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            # a connection an earlier test left in a transaction makes this fail, not hang
            conn.execute(text("SET LOCAL lock_timeout = '20s'"))
            tables = MetaData()
            tables.reflect(conn)
            tables.drop_all(conn)
    finally:
        engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or (parametrized `postgresql`) the emptied test server."""
    if getattr(request, "param", "sqlite") == "postgresql":
        return postgres_url()
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def pg_url() -> str:
    """The emptied PostgreSQL test server, next to a SQLite `db_url` (tests between the two)."""
    return postgres_url()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> Sessions:
    return make_sessionmaker(engine)


@pytest.fixture(scope="session")
def demo_rows(tmp_path_factory: pytest.TempPathFactory, model: MaturityModel) -> DemoRows:
    """Every row of the demo municipality, table by table (parents first), made once per run."""
    from wijkmodel.demo.municipality import add_demo

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
    with make_sessionmaker(engine).begin() as session:
        add_demo(session=session, model=model)
    with engine.connect() as conn:
        rows = [
            (table, [dict(row._mapping) for row in conn.execute(select(table).order_by(*table.primary_key.columns))])
            for table in data_tables()
        ]
    engine.dispose()
    return rows


def copy_demo(engine: Engine, demo_rows: DemoRows) -> None:
    """Put the demo municipality (`add_demo`) into an empty database, row for row."""
    with engine.begin() as conn:
        for table, rows in demo_rows:
            if rows:
                conn.execute(table.insert(), rows)
        sync_id_sequences(conn)  # the rows came with their ids


@pytest.fixture
def demo_factory(factory: Sessions, engine: Engine, demo_rows: DemoRows) -> Sessions:
    """The demo municipality (`add_demo`), copied row for row into this test's database."""
    copy_demo(engine, demo_rows)
    return factory


# --- AppTest helpers ------------------------------------------------------------------------------

APP = str(ROOT / "app.py")


@pytest.fixture
def demo_db(db_url: str, demo_rows: DemoRows, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app pointed at a database holding the demo (what `python -m wijkmodel demo` makes, copied)."""
    engine = make_engine(db_url)
    copy_demo(engine, demo_rows)
    engine.dispose()
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    st.cache_resource.clear()  # the engine is cached per process: point it at this test's database
    yield db_url
    st.cache_resource.clear()


@pytest.fixture
def empty_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    st.cache_resource.clear()
    yield db_url
    st.cache_resource.clear()


def as_shown(markdown: str) -> str:
    """What a markdown text shows in the browser: the escapes of `markdown_text.literal` removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def page(path: str, who: str | None = "lokaal team", wijk: str | None = MUNICIPALITY_UNIT_NAME) -> AppTest:
    """Run the app, switch to a page, run it; no exception on the way. `who`: the role chosen
    before (as a returning user's browser remembers it, ui/who.py); None: nobody chose one yet.
    `wijk`: the wijk in the address (`?wijk=`); None: none, so a page shows the first wijk."""
    at = AppTest.from_file(APP, default_timeout=60)
    if who is not None:
        at.session_state["role"] = who
    at.run()
    assert not at.exception, at.exception
    if wijk is not None:  # after the first run: AppTest opens the default page, which has no wijk
        at.query_params["wijk"] = wijk
    if path:
        at.switch_page(path)
        at.run()
        assert not at.exception, at.exception
    return at


# --- real-browser fixtures (one browser and one server of each kind per test session) -------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=require_chromium(), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def empty_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    db = tmp_path_factory.mktemp("empty") / "app.sqlite"
    with streamlit_server(f"sqlite:///{db}") as url:
        yield url


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
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
