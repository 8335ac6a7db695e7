"""Helpers shared by the property-based tests (tests/test_properties_*.py).

A rejected import or save must leave the database exactly as it was. Each example works on a fresh
copy of a template SQLite file and compares, after a refusal:

1. the raw bytes of the database file and of its write-ahead log (`-wal`), taken right before and
   right after the attempt with the connection still open (no checkpoint in between), and the main
   file's bytes against the template once the engine is closed;
2. `sqlite3.iterdump()` of the whole database (every table, every row) against the template's;
3. `export_municipality` (the JSON backup) of every municipality against the template's.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from sqlalchemy import select

from wijkmodel.backup.export import export_municipality
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.tables import Municipality

FUZZ = int(os.environ.get("WIJKMODEL_FUZZ", "0"))
"""0 for the normal run: each property tries a fixed, repeatable set of examples (derandomized), so CI
gives the same answer for the same code. `make fuzz` sets it to a multiplier (50) and draws fresh
random examples each time, to look for new failures."""


def fast(examples: int) -> settings:
    """Few examples, no deadline (SQLite on a busy 2-core machine), fixtures shared by the examples."""
    default = settings.default
    assert default is not None  # hypothesis has loaded its default profile on import
    return settings(
        max_examples=examples * max(FUZZ, 1),
        deadline=None,
        derandomize=FUZZ == 0,
        # Fuzzing keeps what it finds in .hypothesis/ so a failure replays; the normal run leaves no trace.
        database=default.database if FUZZ else None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


FORMULAS = ["=1+1", '=HYPERLINK("http://example.invalid","klik")', "+31 6", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"]
HTML = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "<b>vet</b> & 'quotes' \"dubbel\""]
CONTROL = ["\x00", "a\x07b", "a\x1bb", "\x7f", "regel\x0bnieuw", "\u202eomgekeerd", "tab\tna", "regel\nnieuw"]
LONG = [101, 201, 1001, 5001]
"""Lengths just over the limits (labels 100, names 200, descriptions 1000, notes 5000)."""
EVIL_TEXT = [*FORMULAS, *HTML, *CONTROL, "", " ", "  veel   spaties  "]

# English that pydantic, Python or a driver would put in a message; never in what a user reads.
_ENGLISH = re.compile(
    r"Traceback|Input should|should be|Field required|Value error|Invalid|invalid|unexpected|"
    r"object has no attribute|Error\b|Exception\b|not supported|NoneType|\bat line\b|UNIQUE constraint"
)


def assert_dutch(problems: list[str]) -> None:
    """A refusal names at least one problem, each a Dutch sentence without traceback or English repr.

    Values quoted from the input ('...') are left out of the check: they are the user's own text."""
    assert problems, "an InputError without any problem"
    for problem in problems:
        assert isinstance(problem, str) and problem.strip(), problems
        unquoted = re.sub(r"'[^']*'", "''", problem)
        assert not _ENGLISH.search(unquoted), problem


@dataclass(frozen=True)
class Snapshot:
    """Everything a rejected attempt must leave unchanged."""

    files: tuple[bytes, bytes]
    dump: str
    exports: dict[str, str]


def file_bytes(path: Path) -> tuple[bytes, bytes]:
    """The database file and its write-ahead log (empty when there is none)."""
    wal = Path(f"{path}-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


def dump(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def exports(factory: Sessions, model: MaturityModel) -> dict[str, str]:
    with factory() as session:
        return {
            m.name: export_municipality(session=session, municipality_id=m.id, model=model)
            for m in session.scalars(select(Municipality).order_by(Municipality.id))
        }


class Template:
    """A prepared database file; `copy()` gives each example its own fresh copy."""

    def __init__(self, path: Path, model: MaturityModel):
        # closing the last connection checkpoints the log into the file: the copy is one file
        self.path = path
        self.model = model
        factory = make_sessionmaker(engine := make_engine(f"sqlite:///{path}"))
        self.exports = exports(factory, model)
        engine.dispose()
        assert not Path(f"{path}-wal").exists()
        self.bytes = path.read_bytes()
        self.dump = dump(path)

    @contextmanager
    def copy(self) -> Iterator[Copy]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "copy.sqlite"
            shutil.copyfile(self.path, path)
            engine = make_engine(f"sqlite:///{path}")
            try:
                yield Copy(path, make_sessionmaker(engine), self)
            finally:
                engine.dispose()


@dataclass
class Copy:
    """One example's database."""

    path: Path
    factory: Sessions
    template: Template

    def files(self) -> tuple[bytes, bytes]:
        return file_bytes(self.path)

    def snapshot(self) -> Snapshot:
        return Snapshot(self.files(), dump(self.path), exports(self.factory, self.template.model))

    def assert_unchanged(self, before: Snapshot) -> None:
        """Bytes (file + log), rows and backups as before the attempt; the template's, if it was untouched."""
        assert self.files() == before.files, "the database file or its log changed after a refusal"
        assert dump(self.path) == before.dump, "the rows changed after a refusal"
        assert exports(self.factory, self.template.model) == before.exports
        if before.dump == self.template.dump:
            self.factory.kw["bind"].dispose()
            assert self.path.read_bytes() == self.template.bytes, "the closed database file differs from the template"
