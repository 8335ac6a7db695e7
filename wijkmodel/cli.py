"""Command line: `python -m wijkmodel <opdracht>`. Messages in Dutch.

Exit codes: 0 ok · 2 bad input (with a clear message) · 1 anything else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from wijkmodel.analysis.summary import (
    format_summary,
    municipality_profile,
    resolve,
    resolve_municipality,
    summarize,
)
from wijkmodel.backup.municipality import export_municipality, import_backup
from wijkmodel.demo.facts import DEMO_NAME
from wijkmodel.demo.municipality import add_demo
from wijkmodel.exports.downloads import ExportKind, export
from wijkmodel.exports.images import ImageError
from wijkmodel.model.loader import ModelLoadError, load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import OverallRule, ScoringSettings
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.errors import StorageProblem, storage_message, storage_problem
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.sqlite_backup import backup_database, restore_database
from wijkmodel.storage.store import delete_municipality, find_municipality, settings_of
from wijkmodel.wijkdata.country_import import import_all_municipalities
from wijkmodel.wijkdata.mapping import guess_mapping, year_from
from wijkmodel.wijkdata.table_files import MAX_BYTES, read_table
from wijkmodel.wijkdata.wijk_import import default_source, prepare_import, save_import

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2

# argparse speaks English; these are the messages a user can trigger.
_ARGPARSE_DUTCH = [
    ("the following arguments are required", "deze gegevens ontbreken"),
    ("unrecognized arguments", "onbekende opties"),
    ("invalid choice", "ongeldige keuze"),
    ("expected one argument", "verwacht één waarde"),
    ("argument command: ", ""),
    ("choose from", "kies uit"),
    ("invalid float value", "geen geldig getal"),
]


class DutchParser(argparse.ArgumentParser):
    """ArgumentParser with Dutch error messages and exit code 2."""

    def error(self, message: str) -> NoReturn:
        for english, dutch in _ARGPARSE_DUTCH:
            message = message.replace(english, dutch)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"Fout: {message}\nZie: python -m wijkmodel --help\n")


def build_parser() -> DutchParser:
    """The argument parser (Dutch help)."""
    parser = DutchParser(
        prog="python -m wijkmodel",
        description="wijkmodel: volwassenheid van wijkgericht werken per wijk.",
        epilog="Database: WIJKMODEL_DATABASE_URL (standaard een SQLite-bestand in var/).",
    )
    parser.add_argument("--debug", action="store_true", help="toon bij een onverwachte fout de technische details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="opdracht", parser_class=DutchParser)

    p = sub.add_parser("model", help="toon het volwassenheidsmodel")
    p.add_argument("--json", action="store_true", help="als JSON")

    p = sub.add_parser("demo", help=f"voeg de verzonnen demogemeente {DEMO_NAME} toe")
    p.add_argument("--replace", action="store_true", help="vervang de demo als die al bestaat")
    p.add_argument("--skip-existing", action="store_true", help="doe niets als de demo al bestaat")

    p = sub.add_parser("summary", help="profiel per wijk: thema's, basisfuncties, fasen, gesprekspunten")
    p.add_argument("--gemeente", help="naam van de gemeente (nodig als er meer dan één is)")
    p.add_argument("--ronde", help="label van de ronde (standaard de laatste)")
    p.add_argument(
        "--regel",
        choices=[r.value for r in OverallRule],
        default=OverallRule.MEAN.value,
        help="regel voor de totaalfase (standaard: gemiddelde)",
    )
    p.add_argument("--gewicht-themas", type=float, default=0.5, help="gewicht van de thema's in de index (0 tot 1)")
    p.add_argument(
        "--inwoners", action="store_true", help="weeg wijken naar inwonertal in het gemiddelde van de gemeente"
    )
    p.add_argument("--json", action="store_true", help="als JSON")

    p = sub.add_parser("export-json", help="maak een back-up van een gemeente als JSON")
    p.add_argument("pad", help="bestand om te schrijven")
    p.add_argument("--gemeente", help="naam van de gemeente (nodig als er meer dan één is)")

    p = sub.add_parser("export", help="maak de presentatie (pptx), het verslag (pdf) of de gegevens (xlsx)")
    p.add_argument("soort", choices=[k.value for k in ExportKind], help="pptx, pdf of xlsx")
    p.add_argument("--out", required=True, metavar="PAD", help="bestand om te schrijven")
    p.add_argument("--gemeente", help="naam van de gemeente (nodig als er meer dan één is)")
    p.add_argument("--ronde", help="label van de ronde (pptx en pdf: standaard de laatste; xlsx: standaard alle)")
    p.add_argument("--wijken", help="alleen deze wijken, gescheiden door komma's, bijvoorbeeld 'De Hoven,Het Ven'")

    p = sub.add_parser(
        "import-wijken", help="lees wijken en kerncijfers uit een CSV- of Excel-bestand (alles of niets)"
    )
    p.add_argument("pad", help="CSV of .xlsx: CBS Kerncijfers wijken en buurten, of het eigen sjabloon")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--gemeente", help="naam van de gemeente")
    which.add_argument(
        "--alle-gemeenten",
        action="store_true",
        help="alle gemeenten in een CBS-bestand: gevonden op CBS-code of naam, of nieuw aangemaakt",
    )
    p.add_argument("--jaar", type=int, help="jaar van de cijfers (standaard: het jaar in de bestandsnaam)")
    p.add_argument("--bron", help="bron, bijvoorbeeld 'CBS 85984NED' (standaard: uit de bestandsnaam)")
    p.add_argument("--blad", help="blad van het Excel-bestand (standaard het eerste)")
    p.add_argument("--controleer", action="store_true", help="alleen controleren en tonen wat er zou gebeuren")

    p = sub.add_parser("backup", help="maak een kopie van de hele SQLite-database, ook terwijl de app draait")
    p.add_argument("pad", help="bestand om te schrijven")

    p = sub.add_parser("restore", help="zet een kopie van de database terug (eerst gecontroleerd)")
    p.add_argument("pad", help="de kopie om terug te zetten")

    p = sub.add_parser("import-json", help="zet een JSON-back-up terug (alles of niets)")
    p.add_argument("pad", help="bestand om te lezen")
    p.add_argument("--replace", action="store_true", help="vervang de gemeente als die al bestaat")
    return parser


def _model_text(model: MaturityModel) -> str:
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


def run(argv: list[str]) -> int:
    """Run one command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ImageError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (InputError, ModelLoadError) as exc:
        problems = exc.problems
        print("Fout:" if len(problems) == 1 else f"Fout: {len(problems)} problemen gevonden:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if args.debug:
            raise
        kind = storage_problem(exc)
        if kind is not None:  # a full disk, a busy or unreachable database: say which, in Dutch
            print(f"Fout: {storage_message(exc, action=f'De opdracht {args.command}')}", file=sys.stderr)
            if kind is StorageProblem.OTHER:
                print("Met --debug ziet u de technische details.", file=sys.stderr)
            return EXIT_ERROR
        print(f"Onverwachte fout ({type(exc).__name__}): {exc}", file=sys.stderr)
        print("Probeer het opnieuw met --debug voor de technische details.", file=sys.stderr)
        return EXIT_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    model = load_model()
    if args.command == "model":
        print(
            json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2) if args.json else _model_text(model)
        )
        return EXIT_OK

    # whole-database copies work on the file itself: no engine (and no connection) needed
    if args.command == "backup":
        check = backup_database(Path(args.pad))
        print(f"Kopie van de database geschreven naar {check.path}: {check.municipalities} gemeenten, gecontroleerd.")
        return EXIT_OK

    if args.command == "restore":
        restored, kept = restore_database(Path(args.pad))
        print(f"Database teruggezet uit {restored.path}: {restored.municipalities} gemeenten.")
        print(f"De database van daarvoor staat in {kept}." if kept else "Er was nog geen database.")
        return EXIT_OK

    factory = make_sessionmaker(make_engine())
    if args.command == "demo":
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

    if args.command == "summary":
        if not 0 <= args.gewicht_themas <= 1:
            raise InputError(["--gewicht-themas moet tussen 0 en 1 liggen, bijvoorbeeld 0,5 als 0.5."])
        settings = ScoringSettings(
            rule=OverallRule(args.regel), theme_weight=args.gewicht_themas, population_weighted=args.inwoners
        )
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

    if args.command == "export-json":
        with factory() as session:
            municipality = resolve_municipality(session=session, name=args.gemeente)
            text = export_municipality(session=session, municipality_id=municipality.id, model=model)
        path = Path(args.pad)
        _write_aside(path, text.encode("utf-8"))
        print(f"Back-up van {municipality.name} geschreven naar {path}.")
        return EXIT_OK

    if args.command == "export":
        kind = ExportKind(args.soort)
        wijken = [w.strip() for w in args.wijken.split(",") if w.strip()] if args.wijken else None
        with factory() as session:
            found = resolve_municipality(session=session, name=args.gemeente)
            round_id = None
            if args.ronde or kind is not ExportKind.XLSX:
                round_id = resolve(session=session, municipality=found.name, round_label=args.ronde)[1].id
            mp = municipality_profile(
                session=session, municipality_id=found.id, name=found.name, model=model, settings=settings_of(found)
            )
            data = export(
                kind, session=session, mp=mp, round_id=round_id, model=model, today=dt.date.today(), wijken=wijken
            )
        path = Path(args.out)
        _write_aside(path, data)
        print(f"{kind.label.capitalize()} van {found.name} geschreven naar {path} ({len(data) // 1024} kB).")
        return EXIT_OK

    if args.command == "import-wijken":
        return _import_wijken(args, factory)

    if args.command == "import-json":
        path = Path(args.pad)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise InputError([f"Bestand {path} bestaat niet."]) from exc
        except UnicodeDecodeError as exc:
            raise InputError([f"Bestand {path} is geen UTF-8-tekst (byte {exc.start})."]) from exc
        except OSError as exc:
            raise InputError([f"Kan {path} niet lezen: {exc.strerror}."]) from exc
        with factory.begin() as session:
            municipality = import_backup(session=session, text=text, model=model, replace=args.replace)
            name = municipality.name
        print(f"Gemeente {name} teruggezet uit {path}.")
        return EXIT_OK
    raise AssertionError(args.command)


def _import_wijken(args: argparse.Namespace, factory: Sessions) -> int:
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


def _write_aside(path: Path, data: bytes) -> None:
    """Write beside PATH, then swap: a failed write never destroys an earlier file at PATH."""
    partial = path.with_name(f".{path.name}.deels")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if storage_problem(exc) is not None:  # a full disk is no bad input
            raise
        raise InputError([f"Kan niet schrijven naar {path}: {exc.strerror}."]) from exc


def main() -> None:
    """Entry point of `python -m wijkmodel`."""
    sys.exit(run(sys.argv[1:]))
