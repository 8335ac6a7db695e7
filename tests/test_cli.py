"""The command line: Dutch messages, exit codes 0/1/2, never a bare traceback for bad input.

Every test with a database runs twice, `[sqlite]` and `[postgresql]` (BOTH_DATABASES in
conftest.py), except those marked `sqlite_only`. Tests that only need the demo as a starting point
get it from `demo_factory` (a copy of one `add_demo`); the `demo` command itself is tested below.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, Protocol

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import DEMO_WIJKEN, ROOT
from tests.test_storage_errors import fill, small_disk
from wijkmodel.cli import run
from wijkmodel.storage import db
from wijkmodel.storage.db import Sessions, make_engine

NO_DB = pytest.mark.sqlite_only("touches no database")


class Cli(Protocol):
    """`python -m wijkmodel ARGV` in this process: exit code, stdout, stderr."""

    def __call__(self, *argv: str) -> tuple[int, str, str]: ...


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    monkeypatch.delenv("WIJKMODEL_WACHTTIJD", raising=False)

    def call(*argv: str) -> tuple[int, str, str]:
        try:
            code = run(list(argv))
        except SystemExit as exc:  # argparse exits on bad arguments
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


@NO_DB
def test_model_lists_the_whole_model(cli: Cli) -> None:
    code, out, _ = cli("model")
    assert code == 0
    for words in [
        "1. Start van wijkgericht werken",
        "6. Taal en gedrag",
        "BF4-Q3",
        "VV-ALG-07",
        "(afgeleid)",
        "Waddinxveen",
        "Bronnen:",
    ]:
        assert words in out


@NO_DB
def test_model_as_json(cli: Cli) -> None:
    code, out, _ = cli("model", "--json")
    data = json.loads(out)
    assert code == 0
    assert len(data["quickscan"]["questions"]) == 30 and len(data["in_depth"]["questions"]) == 66
    assert data["info"]["version"]


def test_demo_then_summary(cli: Cli) -> None:
    code, out, _ = cli("demo")
    assert code == 0 and "Voorbeeldstad" in out
    code, out, _ = cli("summary")
    assert code == 0
    assert "Profiel van Voorbeeldstad, ronde 2026" in out
    for wijk in [*DEMO_WIJKEN, "Gemeente als geheel", "Gemeente (gemiddelde van de wijken)"]:
        assert f"== {wijk} ==" in out
    assert "Gesprekspunten:" in out and "Bron:" in out


def test_summary_as_json_with_rule_and_round(cli: Cli, demo_factory: Sessions) -> None:
    code, out, _ = cli(
        "summary", "--gemeente", "voorbeeldstad", "--ronde", "2025", "--regel", "zwakste schakel", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["round"] == "2025"
    units = {u["unit"]: u for u in data["units"]}
    hoven = units["De Hoven"]
    assert hoven["overall"]["rule"] == "zwakste schakel"
    assert hoven["overall"]["score"] == min(t["score"] for t in hoven["themes"])
    assert all(0 <= b["coverage"] <= 1 for b in hoven["basic_functions"])
    assert any(u.get("talking_points") for u in data["units"])
    assert units["Gemeente (gemiddelde van de wijken)"]["wijken"] == 8


def test_demo_twice_is_refused_unless_replaced(cli: Cli, demo_factory: Sessions) -> None:
    code, _, err = cli("demo")
    assert code == 2 and "bestaat al" in err and "Traceback" not in err
    assert cli("demo", "--skip-existing")[0] == 0
    assert cli("demo", "--replace")[0] == 0


def test_export_and_import_json(
    cli: Cli, demo_factory: Sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "a.json"
    assert cli("export-json", str(first))[0] == 0
    code, _, err = cli("import-json", str(first))
    assert code == 2 and "--replace" in err
    assert cli("import-json", str(first), "--replace")[0] == 0
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert cli("import-json", str(first))[0] == 0
    second = tmp_path / "b.json"
    assert cli("export-json", str(second), "--gemeente", "Voorbeeldstad")[0] == 0
    assert first.read_bytes() == second.read_bytes()


BAD = [
    (["summary"], "nog geen gemeente"),
    (["summary", "--gemeente", "Nergenshuizen"], "bestaat niet"),
    (["export-json", "/tmp/x.json", "--gemeente", "Nergenshuizen"], "bestaat niet"),
    (["import-json", "/nonexistent/file.json"], "bestaat niet"),
    pytest.param(["onzin"], "ongeldige keuze", marks=NO_DB),
    pytest.param(["summary", "--regel", "max"], "ongeldige keuze", marks=NO_DB),
    (["summary", "--gewicht-themas", "2"], "tussen 0 en 1"),
    pytest.param(["export-json"], "deze gegevens ontbreken", marks=NO_DB),
    pytest.param([], "deze gegevens ontbreken", marks=NO_DB),
]


@pytest.mark.parametrize(("argv", "message"), BAD)
def test_bad_input_exits_2_with_a_dutch_message(cli: Cli, argv: list[str], message: str) -> None:
    code, _, err = cli(*argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_broken_backup_exits_2_listing_every_problem(cli: Cli, demo_factory: Sessions, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    cli("export-json", str(path))
    data = json.loads(path.read_text())
    data["municipality"]["rounds"][0]["respondents"][0]["positions"][0]["theme"] = "x"
    data["municipality"]["rounds"][0]["respondents"][0]["answers"][0]["option"] = "y"
    path.write_text(json.dumps(data))
    code, _, err = cli("import-json", str(path), "--replace")
    assert code == 2
    assert "2 problemen gevonden" in err and "onbekend thema 'x'" in err and "onbekend antwoord 'y'" in err
    path.write_bytes(b"\xff\xfe not utf-8")
    code, _, err = cli("import-json", str(path))
    assert code == 2 and "geen UTF-8" in err


@NO_DB
def test_an_unexpected_error_exits_1_without_a_traceback(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", "sqlite:////proc/nope/db.sqlite")
    code, _, err = cli("summary")
    assert code == 1
    assert "Onverwachte fout" in err and "Traceback" not in err


def test_python_m_wijkmodel_runs_as_a_program(db_url: str) -> None:
    env = {**os.environ, "WIJKMODEL_DATABASE_URL": db_url}
    ok = subprocess.run([sys.executable, "-m", "wijkmodel", "model"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "Taal en gedrag" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "wijkmodel", "summary", "--gemeente", "X"],
        cwd=Path(ROOT),
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "Gemeente 'X' bestaat niet" in bad.stderr and "Traceback" not in bad.stderr


def test_the_weighted_aggregate_says_so_and_phases_agree_with_scores(cli: Cli, demo_factory: Sessions) -> None:
    _code, out, _ = cli("summary", "--inwoners", "--json")
    units = {u["unit"]: u for u in json.loads(out)["units"]}
    weighted = units["Gemeente (gemiddelde van de wijken, gewogen naar inwoners)"]
    assert weighted["population_weighted"] is True and weighted["weighted_units"] == 8
    for record in units.values():
        for item in record.get("themes", []) + record.get("basic_functions", []):
            if item["score"] is not None:
                assert item["phase"] == min(int(item["score"] // 25) + 1, 4) or item["score"] % 25 > 24.99


# --- storage failures: what happened, in Dutch, exit 1 (not bad input) ---------------------------


def _says_in_dutch(code: int, err: str, what: str) -> None:
    assert code == 1, err
    assert err.startswith("Fout: De opdracht ") and what in err and "Er is niets veranderd." in err
    for english in ("Onverwachte fout", "Traceback", "[SQL", "disk is full", "locked", "No space", "refused"):
        assert english not in err


@pytest.mark.sqlite_only("the database file lies on a small tmpfs")
def test_a_full_disk_under_the_database_is_said_in_dutch(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "schijf", 1024) as disk:
        url = f"sqlite:///{disk / 'wijkmodel.sqlite'}"
        engine = make_engine(url)
        with engine.connect():  # the app is running: the WAL and its index are there
            fill(disk)
            monkeypatch.setenv("WIJKMODEL_DATABASE_URL", url)
            code, _, err = cli("demo")
        engine.dispose()
    _says_in_dutch(code, err, "de schijf van de server is vol")


def test_a_full_disk_under_an_export_is_said_in_dutch(cli: Cli, demo_factory: Sessions, tmp_path: Path) -> None:
    with small_disk(tmp_path / "schijf", 256) as disk:
        fill(disk)
        before = sorted(p.name for p in disk.iterdir())
        code, _, err = cli("export-json", str(disk / "voorbeeldstad.json"))
        assert sorted(p.name for p in disk.iterdir()) == before  # no half-written file
    _says_in_dutch(code, err, "de schijf van de server is vol")


def test_a_database_busy_too_long_is_said_in_dutch(cli: Cli, db_url: str) -> None:
    make_engine(db_url).dispose()  # the schema is there
    if db_url.startswith("sqlite"):
        holder: Any = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another save holds the write lock
    else:
        holder = psycopg.connect(make_url(db_url).set(drivername="postgresql").render_as_string(False), autocommit=True)
        holder.execute("SELECT pg_advisory_lock(%s)", [db.SAVE_LOCK_KEY])  # another save holds the lock
    try:
        code, _, err = cli("demo", "--wacht", "0,2")
    finally:
        holder.close()
    _says_in_dutch(code, err, "de database is in gebruik door iemand anders. Er is 0,2 seconden gewacht.")
    assert "Probeer het later opnieuw. Langer wachten kan met --wacht SECONDEN." in err


@NO_DB
def test_an_unreachable_database_is_said_in_dutch(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", "postgresql+psycopg://wijkmodel@127.0.0.1:1/wijkmodel")
    code, _, err = cli("summary")
    _says_in_dutch(code, err, "er is geen verbinding met de database")


# --- a fast start: each command imports what it needs (issue 14, item 6; `make bench-cli` times it) ----

HEAVY = ("pandas", "numpy", "sqlalchemy", "plotly", "pydantic", "alembic", "pptx", "fpdf", "openpyxl", "kaleido")


def _loaded_by(argv: list[str], env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Which of HEAVY `python -m wijkmodel ARGV` imports (run in a process of its own); and its stdout."""
    probe = (
        "import json, runpy, sys\n"
        f"sys.argv = ['wijkmodel', *{argv!r}]\n"
        "try:\n"
        "    runpy.run_module('wijkmodel', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    *out, loaded = done.stdout.rstrip("\n").split("\n")
    return set(json.loads(loaded)), "\n".join(out)


@NO_DB
def test_help_loads_no_heavy_library() -> None:
    loaded, out = _loaded_by(["--help"])
    assert "upgrade" in out and "gebruik: python -m wijkmodel" in out  # the help itself was printed
    assert "usage" not in out and "show this help" not in out
    assert loaded == set(), f"--help imported {sorted(loaded)}"
    loaded, _ = _loaded_by(["demo", "--help"])
    assert loaded == set()


@pytest.mark.sqlite_only("what a command imports does not depend on the database")
def test_summary_loads_no_export_library(db_url: str, demo_factory: Sessions) -> None:
    loaded, out = _loaded_by(["summary", "--gemeente", "Voorbeeldstad"], {"WIJKMODEL_DATABASE_URL": db_url})
    assert "Profiel van Voorbeeldstad" in out
    assert {"pandas", "sqlalchemy", "pydantic"} <= loaded  # the probe sees what is loaded
    assert not loaded & {"plotly", "alembic", "pptx", "fpdf", "openpyxl", "kaleido"}, sorted(loaded)


@NO_DB
def test_the_parser_s_choices_are_the_domain_s() -> None:
    from wijkmodel.cli.parser import EXPORT_KINDS, RULES, build_parser
    from wijkmodel.demo.municipality import add_demo
    from wijkmodel.exports.downloads import ExportKind
    from wijkmodel.scoring.rules import OverallRule

    assert list(RULES) == [r.value for r in OverallRule] and RULES[0] == OverallRule.MEAN.value
    assert list(EXPORT_KINDS) == [k.value for k in ExportKind]
    assert "demogemeente Voorbeeldstad" in build_parser().format_help()
    assert add_demo.__module__ == "wijkmodel.demo.municipality"  # the demo the help names: see test_demo_then_summary


BAD_WAITS = [
    (["demo", "--wacht", "lang"], {}, "--wacht: geen geldig aantal seconden: 'lang'"),
    (["demo", "--wacht", "-1"], {}, "--wacht: geen geldig aantal seconden: '-1'"),
    (["demo"], {"WIJKMODEL_WACHTTIJD": "een minuut"}, "WIJKMODEL_WACHTTIJD moet een aantal seconden zijn"),
    (["summary", "--wacht", "5"], {}, "onbekende opties: --wacht 5"),  # a command that only reads waits as the app does
]


@NO_DB
@pytest.mark.parametrize(("argv", "env", "message"), BAD_WAITS)
def test_a_bad_wait_exits_2_with_a_dutch_message(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = cli(*argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_upgrade_says_the_database_is_up_to_date(cli: Cli, db_url: str) -> None:
    code, out, _ = cli("upgrade")
    assert code == 0
    assert out == f"De database was leeg: de tabellen zijn gemaakt (versie {db.head_revision()}).\n"
    code, out, _ = cli("upgrade", "--wacht", "1")
    assert code == 0
    assert out == f"De database is al bijgewerkt (versie {db.head_revision()}). Er is niets veranderd.\n"


@pytest.mark.sqlite_only("the WAL is SQLite's")
def test_a_command_leaves_a_complete_database_file(tmp_path: Path) -> None:
    # the command closes its connections (the garbage collector froze them while it started): the
    # last close writes the WAL back, so a plain copy of the file holds everything
    path = tmp_path / "wijkmodel.sqlite"
    env = {**os.environ, "WIJKMODEL_DATABASE_URL": f"sqlite:///{path}"}
    done = subprocess.run(
        [sys.executable, "-m", "wijkmodel", "demo"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wijkmodel.sqlite"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM unit").fetchone()[0] == len(DEMO_WIJKEN) + 1


@NO_DB
def test_the_errors_the_cli_recognises_by_name_exist() -> None:
    # run() recognises them without importing their modules: a move or rename must not go unnoticed
    import importlib

    from wijkmodel.cli import BAD_INPUT, IMAGE_ERROR

    for module, name in [IMAGE_ERROR, *BAD_INPUT]:
        cls = getattr(importlib.import_module(module), name, None)
        assert isinstance(cls, type) and issubclass(cls, Exception), f"{module}.{name}"
