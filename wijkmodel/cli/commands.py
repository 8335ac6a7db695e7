"""The commands of `python -m wijkmodel`, one function each. Messages in Dutch.

Each command imports what it needs when it runs: `summary` never loads plotly, python-pptx or
fpdf, and the parser (`wijkmodel/cli/parser.py`) loads none of them. Then it calls `loaded()`
(`open_database` does): see `main` for the garbage collector. Commands that write to the
database wait for it (`--wacht`, WIJKMODEL_WACHTTIJD, default 60 s): their engine is made with
that wait, for SQLite's busy timeout and PostgreSQL's lock timeout alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wijkmodel.cli.parser import EXIT_OK, WAIT_DEFAULT_S, WAIT_ENV, seconds
from wijkmodel.demo.facts import DEMO_NAME

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from wijkmodel.model.schema import MaturityModel
    from wijkmodel.storage.db import Sessions
    from wijkmodel.storage.upgrade import Upgrade


def wait_of(args: argparse.Namespace) -> float | None:
    """How long this command waits for the database: --wacht, else WIJKMODEL_WACHTTIJD, else 60 s for
    a command that writes; None (the storage's own wait) for one that only reads."""
    if not hasattr(args, "wacht"):
        return None
    if args.wacht is not None:
        return float(args.wacht)
    text = os.environ.get(WAIT_ENV, "").strip()
    if not text:
        return WAIT_DEFAULT_S
    try:
        return seconds(text)
    except ValueError:
        from wijkmodel.storage.inputs import InputError

        raise InputError(
            [f"{WAIT_ENV} moet een aantal seconden zijn (0 of meer), bijvoorbeeld 60; nu is het {text!r}."]
        ) from None


def upgrade_lines(upgrade: Upgrade, *, sqlite: bool) -> list[str]:
    """What `migrate` did, in Dutch (nothing when the database was up to date and not asked)."""
    if not upgrade.changed:
        return []
    if upgrade.before is None:
        return [f"De database was leeg: de tabellen zijn gemaakt (versie {upgrade.after})."]
    lines = [f"De database is bijgewerkt van versie {upgrade.before} naar versie {upgrade.after}."]
    if upgrade.copy is not None:
        lines.append(f"De database van daarvoor staat in {upgrade.copy}.")
    elif not sqlite:
        lines.append("Op PostgreSQL maakt wijkmodel geen kopie. Maak die zelf met pg_dump, vóór een nieuwe versie.")
    return lines


def loaded() -> None:
    """The command has loaded what it needs: the cyclic garbage collector runs again, if `main` kept it
    off while the command started (in a test's process it was on all along). What loading made
    (modules, classes, the model) lives as long as the process: frozen (gc.freeze), no collection
    goes over it again, and the first one after the start is no full pass over everything."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


_opened: list[Engine] = []
"""The engines `open_database` made: `close_databases` closes them when the command ends."""


def close_databases() -> None:
    """Close every connection the command opened. On SQLite closing the last one also writes the WAL
    back into the database file (a checkpoint), so the file is complete on its own again."""
    while _opened:
        _opened.pop().dispose()


def open_database(args: argparse.Namespace) -> Sessions:
    """The session factory of WIJKMODEL_DATABASE_URL with this command's wait, its schema brought up to
    date; an upgrade of an older database on the way is told on stderr (stdout may be JSON). A new,
    empty database gets its tables without a word."""
    from wijkmodel.storage.db import make_sessionmaker, migrate, new_engine

    engine = new_engine(wait_s=wait_of(args))
    _opened.append(engine)
    upgrade = migrate(engine)
    if upgrade.before is not None:
        for line in upgrade_lines(upgrade, sqlite=engine.dialect.name == "sqlite"):
            print(line, file=sys.stderr)
    loaded()
    return make_sessionmaker(engine)


def _model() -> MaturityModel:
    from wijkmodel.model.loader import load_model

    return load_model()


# --- the commands --------------------------------------------------------------------------------


def model_command(args: argparse.Namespace) -> int:
    model = _model()
    loaded()
    print(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2) if args.json else model_text(model))
    return EXIT_OK


def upgrade_command(args: argparse.Namespace) -> int:
    from wijkmodel.storage.db import migrate, new_engine

    loaded()
    engine = new_engine(wait_s=wait_of(args))
    try:
        upgrade = migrate(engine)
    finally:
        engine.dispose()
    lines = upgrade_lines(upgrade, sqlite=engine.dialect.name == "sqlite")
    for line in lines or [f"De database is al bijgewerkt (versie {upgrade.after}). Er is niets veranderd."]:
        print(line)
    return EXIT_OK


def backup_command(args: argparse.Namespace) -> int:
    # whole-database copies work on the file itself: no engine (and no connection) needed
    from wijkmodel.storage.sqlite_backup import backup_database

    loaded()
    check = backup_database(Path(args.pad))
    print(f"Kopie van de database geschreven naar {check.path}: {check.municipalities} gemeenten, gecontroleerd.")
    return EXIT_OK


def restore_command(args: argparse.Namespace) -> int:
    from wijkmodel.storage.sqlite_backup import restore_database, sqlite_file

    loaded()
    wait = wait_of(args)
    _wait_for_sqlite_writer(sqlite_file(), WAIT_DEFAULT_S if wait is None else wait)
    restored, kept = restore_database(Path(args.pad))
    print(f"Database teruggezet uit {restored.path}: {restored.municipalities} gemeenten.")
    print(f"De database van daarvoor staat in {kept}." if kept else "Er was nog geen database.")
    return EXIT_OK


def _wait_for_sqlite_writer(live: Path, wait_s: float) -> None:
    """Wait (up to `wait_s`) until no one writes to `live`: the restore's copy itself waits without end
    for a writer (Python's sqlite3 backup retries while the target is busy). A writer that starts
    after this check makes the restore wait for that one save."""
    import sqlite3

    if not live.is_file():
        return
    connection = sqlite3.connect(f"{live.absolute().as_uri()}?mode=rw", uri=True, timeout=wait_s, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")  # sqlite3.OperationalError (SQLITE_BUSY) after wait_s
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def demo_command(args: argparse.Namespace) -> int:
    from wijkmodel.demo.municipality import add_demo
    from wijkmodel.storage.inputs import InputError
    from wijkmodel.storage.municipalities import delete_municipality, find_municipality

    model = _model()
    factory = open_database(args)
    with factory.begin() as session:
        existing = find_municipality(session=session, name=DEMO_NAME)
        if existing is not None:
            if args.skip_existing:
                print(f"De demogemeente {DEMO_NAME} bestaat al; er is niets veranderd.")
                return EXIT_OK
            if not args.replace:
                raise InputError(
                    [f"De demogemeente {DEMO_NAME} bestaat al. Gebruik --replace om haar opnieuw te maken."]
                )
            delete_municipality(session=session, municipality_id=existing.id)
        add_demo(session=session, model=model)
    print(f"Demogemeente {DEMO_NAME} toegevoegd.")
    print(f"Bekijk het profiel met: python -m wijkmodel summary --gemeente {DEMO_NAME}")
    return EXIT_OK


def summary_command(args: argparse.Namespace) -> int:
    from wijkmodel.analysis.summary import format_summary, summarize
    from wijkmodel.scoring.core import ScoringSettings
    from wijkmodel.scoring.rules import OverallRule
    from wijkmodel.storage.inputs import InputError

    if not 0 <= args.gewicht_themas <= 1:
        raise InputError(["--gewicht-themas moet tussen 0 en 1 liggen, bijvoorbeeld 0,5 als 0.5."])
    settings = ScoringSettings(
        rule=OverallRule(args.regel), theme_weight=args.gewicht_themas, population_weighted=args.inwoners
    )
    model = _model()
    factory = open_database(args)
    with factory() as session:
        summary = summarize(
            session=session, municipality=args.gemeente, round_label=args.ronde, model=model, settings=settings
        )
    if args.json:
        out = {
            "municipality": summary.municipality,
            "round": summary.round_label,
            "model_version": model.version,
            "units": summary.records,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(
            format_summary(
                summary.records, municipality=summary.municipality, round_label=summary.round_label, model=model
            )
        )
    return EXIT_OK


def export_json_command(args: argparse.Namespace) -> int:
    from wijkmodel.analysis.summary import resolve_municipality
    from wijkmodel.backup.export import export_municipality

    model = _model()
    factory = open_database(args)
    with factory() as session:
        municipality = resolve_municipality(session=session, name=args.gemeente)
        text = export_municipality(session=session, municipality_id=municipality.id, model=model)
    path = Path(args.pad)
    write_aside(path, text.encode("utf-8"))
    print(f"Back-up van {municipality.name} geschreven naar {path}.")
    return EXIT_OK


def export_command(args: argparse.Namespace) -> int:
    from wijkmodel.analysis.summary import municipality_profile, resolve, resolve_municipality
    from wijkmodel.exports.downloads import ExportKind, export
    from wijkmodel.storage.municipalities import settings_of

    kind = ExportKind(args.soort)
    wijken = [w.strip() for w in args.wijken.split(",") if w.strip()] if args.wijken else None
    parts = None
    if args.onderdelen is not None:
        from wijkmodel.exports.parts import parse_parts
        from wijkmodel.storage.inputs import InputError

        if kind is ExportKind.XLSX:
            raise InputError(["--onderdelen geldt alleen voor pptx en pdf; het Excel-bestand bevat altijd alles."])
        parts = parse_parts(args.onderdelen)
    model = _model()
    factory = open_database(args)
    with factory() as session:
        found = resolve_municipality(session=session, name=args.gemeente)
        round_id = None
        if args.ronde or kind is not ExportKind.XLSX:
            round_id = resolve(session=session, municipality=found.name, round_label=args.ronde)[1].id
        mp = municipality_profile(
            session=session, municipality_id=found.id, name=found.name, model=model, settings=settings_of(found)
        )
        data = export(
            kind,
            session=session,
            mp=mp,
            round_id=round_id,
            model=model,
            today=dt.date.today(),
            wijken=wijken,
            parts=parts,
        )
    path = Path(args.out)
    write_aside(path, data)
    print(f"{kind.label.capitalize()} van {found.name} geschreven naar {path} ({len(data) // 1024} kB).")
    return EXIT_OK


def import_json_command(args: argparse.Namespace) -> int:
    from wijkmodel.backup.restore import import_backup
    from wijkmodel.storage.inputs import InputError

    path = Path(args.pad)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError([f"Bestand {path} bestaat niet."]) from exc
    except UnicodeDecodeError as exc:
        raise InputError([f"Bestand {path} is geen UTF-8-tekst (byte {exc.start})."]) from exc
    except OSError as exc:
        raise InputError([f"Kan {path} niet lezen: {exc.strerror}."]) from exc
    model = _model()
    factory = open_database(args)
    with factory.begin() as session:
        municipality = import_backup(session=session, text=text, model=model, replace=args.replace)
        name = municipality.name
    print(f"Gemeente {name} teruggezet uit {path}.")
    return EXIT_OK


def import_wijken_command(args: argparse.Namespace) -> int:
    from wijkmodel.analysis.summary import resolve_municipality
    from wijkmodel.storage.inputs import InputError
    from wijkmodel.wijkdata.country_import import import_all_municipalities
    from wijkmodel.wijkdata.mapping import guess_mapping, year_from
    from wijkmodel.wijkdata.table_files import MAX_BYTES, read_table
    from wijkmodel.wijkdata.wijk_import import default_source, prepare_import, save_import

    loaded()  # reading a large file makes garbage: the collector runs from here
    path = Path(args.pad)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b"x" * (MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise InputError([f"Bestand {path} bestaat niet."]) from exc
    except OSError as exc:
        raise InputError([f"Kan {path} niet lezen: {exc.strerror}."]) from exc
    raw = read_table(data, filename=path.name, sheet=args.blad)
    mapping = guess_mapping(raw)
    year = args.jaar or year_from(path.name)
    if year is None:
        raise InputError([f"Geef het jaar van de cijfers met --jaar; de naam {path.name} noemt geen jaar."])
    source = args.bron or default_source(path.name, mapping.layout)
    factory = open_database(args)
    if args.alle_gemeenten:
        with factory.writing() as session:  # committed below, unless only checking
            country = import_all_municipalities(session=session, raw=raw, mapping=mapping, year=year, source=source)
            if args.controleer:
                session.rollback()
            else:
                session.commit()
        done = "Gecontroleerd (er is niets veranderd)" if args.controleer else "Geïmporteerd"
        print(
            f"{done}: {country.municipalities} gemeenten ({country.new_municipalities} nieuw), "
            f"{country.wijken} wijken ({country.new_wijken} nieuw), {country.values} waarden voor {year}."
        )
        return EXIT_OK
    # planned in a read session, written under the municipality's own lock in one short step
    with factory() as session:
        municipality = resolve_municipality(session=session, name=args.gemeente)
        municipality_id, name = municipality.id, municipality.name
        prepared = prepare_import(
            session=session, municipality_id=municipality_id, raw=raw, mapping=mapping, year=year, source=source
        )
    if args.controleer:
        result = prepared.dry_run()
    else:
        with factory.begin(municipality_id) as session:
            result = save_import(session=session, prepared=prepared)
    for line in result.lines:
        print(line)
    if args.controleer:
        print(f"Alleen gecontroleerd: er is niets veranderd in {name}.")
    else:
        print(f"Geïmporteerd in {name}: {result.wijken} wijken ({result.new_wijken} nieuw), {result.values} waarden.")
    return EXIT_OK


def gebruiker_command(args: argparse.Namespace) -> int:
    """Roles of accounts per municipality (issue 18). The command line may do everything: it runs on
    the server, as its administrator; the first beheerder of a municipality comes from here. A person
    logs in once (their account is made then) and is found here by e-mail."""
    from wijkmodel.analysis.summary import resolve_municipality
    from wijkmodel.storage.accounts import members, pseudonymise, set_role_by_email
    from wijkmodel.storage.tables import AccountRole

    factory = open_database(args)
    if args.actie == "lijst":
        with factory() as session:
            municipality = resolve_municipality(session=session, name=args.gemeente)
            people = members(session=session, municipality_id=municipality.id)
        print(f"Rollen bij {municipality.name}:" if people else f"Niemand heeft een rol bij {municipality.name}.")
        for member in people:
            print(f"  {member.email}  {member.role.value}")
        return EXIT_OK
    if args.actie == "verwijder":
        with factory.begin() as session:
            count = pseudonymise(session=session, email=args.email)
        print(f"{args.email} is verwijderd; in de geschiedenis ({count} wijzigingen) staat nu 'verwijderd-…'.")
        return EXIT_OK
    with factory.begin() as session:
        municipality = resolve_municipality(session=session, name=args.gemeente)
        role = AccountRole(args.rol) if args.actie == "geef" else None
        set_role_by_email(session=session, municipality_id=municipality.id, email=args.email, role=role)
        name = municipality.name
    print(f"{args.email} is nu {role.value} bij {name}." if role else f"{args.email} heeft geen rol meer bij {name}.")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "model": model_command,
    "demo": demo_command,
    "summary": summary_command,
    "export-json": export_json_command,
    "export": export_command,
    "import-wijken": import_wijken_command,
    "backup": backup_command,
    "restore": restore_command,
    "import-json": import_json_command,
    "upgrade": upgrade_command,
    "gebruiker": gebruiker_command,
}
"""Every command of the parser, by name."""


# --- helpers -------------------------------------------------------------------------------------


def model_text(model: MaturityModel) -> str:
    """The whole model as text (`model` without --json)."""
    lines = [f"{model.info.title} (versie {model.version})", "", "Fasen:"]
    for phase in sorted(model.phases, key=lambda p: p.number):
        lines.append(f"  {phase.number}. {phase.name}")
    lines += ["", "Thema's en hun beschrijving per fase:"]
    for theme in model.themes_ordered():
        lines.append(f"  {theme.order}. {theme.name} [{theme.id}]")
        for d in sorted(theme.descriptors, key=lambda d: d.phase):
            mark = " (afgeleid)" if d.derived else ""
            lines.append(f"     fase {d.phase}{mark}: {d.text}")
    lines += ["", "Basisfuncties:"]
    for bf in model.basic_functions_ordered():
        lines.append(f"  {bf.number}. {bf.name} [{bf.id}]: {bf.summary}")
    for instrument in (model.quickscan, model.in_depth):
        lines += ["", f"{instrument.name} ({len(instrument.questions)} vragen):"]
        for q in instrument.questions:
            lines.append(f"  {q.id}: {q.text}")
    lines += ["", "Koppelingen thema ↔ basisfunctie:"]
    for link in model.links:
        lines.append(f"  {model.theme(link.theme).name} ↔ {model.basic_function(link.basic_function).name}")
        lines.append(f"     {link.rationale} (“{link.source.passage}”, {link.source.location})")
    lines += ["", "Inspirerende voorbeelden:"]
    for ex in model.examples:
        lines.append(f"  {model.theme(ex.theme).name}: {ex.place} – {ex.title}")
    lines += ["", "Bronnen:"]
    for source in model.info.sources:
        lines.append(f"  - {source.citation()}")
    return "\n".join(lines)


def write_aside(path: Path, data: bytes) -> None:
    """Write beside PATH, then swap: a failed write never destroys an earlier file at PATH."""
    from wijkmodel.storage.errors import storage_problem
    from wijkmodel.storage.inputs import InputError

    partial = path.with_name(f".{path.name}.deels")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if storage_problem(exc) is not None:  # a full disk is no bad input
            raise
        raise InputError([f"Kan niet schrijven naar {path}: {exc.strerror}."]) from exc
