"""The argument parser of `python -m wijkmodel`, with Dutch help and messages.

Light on purpose: `--help` and a typo in an option never load pandas, SQLAlchemy, pydantic or
plotly. The rules of `--regel` come from `wijkmodel/scoring/rules.py` (light); the kinds of
`export` are written out here, and tests/test_cli.py checks they equal ExportKind.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from wijkmodel.demo.facts import DEMO_NAME
from wijkmodel.exports.parts import ALL_WORD, DEFAULT_PARTS, DEFAULT_WORD, PARTS
from wijkmodel.scoring.rules import OverallRule

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2

RULES = tuple(rule.value for rule in OverallRule)
"""The rules for the overall phase, the first (gemiddelde) the default."""
EXPORT_KINDS = ("pptx", "pdf", "xlsx")
"""The values of wijkmodel.exports.downloads.ExportKind."""

WAIT_ENV = "WIJKMODEL_WACHTTIJD"
"""Environment variable: how long a command that writes waits for the database (seconds)."""
WAIT_DEFAULT_S = 60.0
"""How long a command that writes waits for the database when neither --wacht nor WAIT_ENV says."""

# argparse speaks English; these are the messages a user can trigger.
_ARGPARSE_DUTCH = [
    ("the following arguments are required", "deze gegevens ontbreken"),
    ("unrecognized arguments", "onbekende opties"),
    ("invalid choice", "ongeldige keuze"),
    ("expected one argument", "verwacht één waarde"),
    ("argument command: ", ""),
    ("argument ", ""),
    ("choose from", "kies uit"),
    ("invalid float value", "geen geldig getal"),
    ("invalid int value", "geen geldig geheel getal"),
    ("invalid seconds value", "geen geldig aantal seconden"),
]


_HELP_DUTCH = [
    ("usage: ", "gebruik: "),
    ("\npositional arguments:\n", "\nargumenten:\n"),
    ("\noptions:\n", "\nopties:\n"),
    ("show this help message and exit", "toon deze hulp en stop"),
]


class DutchParser(argparse.ArgumentParser):
    """ArgumentParser with Dutch help, Dutch error messages and exit code 2."""

    def format_usage(self) -> str:
        return _dutch(super().format_usage())

    def format_help(self) -> str:
        return _dutch(super().format_help())

    def error(self, message: str) -> NoReturn:
        for english, dutch in _ARGPARSE_DUTCH:
            message = message.replace(english, dutch)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"Fout: {message}\nZie: python -m wijkmodel --help\n")


def _dutch(text: str) -> str:
    for english, dutch in _HELP_DUTCH:
        text = text.replace(english, dutch)
    return text


def seconds(text: str) -> float:
    """A number of seconds, 0 or more; a decimal comma is fine ("2,5"). ValueError otherwise."""
    value = float(text.strip().replace(",", "."))
    if not value >= 0 or value == float("inf"):  # also refuses nan
        raise ValueError(text)
    return value


def build_parser() -> DutchParser:
    """The argument parser (Dutch help)."""
    parser = DutchParser(
        prog="python -m wijkmodel",
        description="wijkmodel: volwassenheid van wijkgericht werken per wijk.",
        epilog=(
            "Database: WIJKMODEL_DATABASE_URL (standaard een SQLite-bestand in var/). "
            f"Opdrachten die iets bewaren wachten tot {WAIT_DEFAULT_S:.0f} seconden als de database bezet is "
            f"(--wacht of {WAIT_ENV})."
        ),
    )
    parser.add_argument("--debug", action="store_true", help="toon bij een onverwachte fout de technische details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="opdracht", parser_class=DutchParser)

    waits = DutchParser(add_help=False)  # the option of every command that writes to the database
    waits.add_argument(
        "--wacht",
        type=seconds,
        metavar="SECONDEN",
        help=(
            f"zo lang wachten als de database bezet is (standaard {WAIT_DEFAULT_S:.0f}, "
            f"of de waarde van {WAIT_ENV}); daarna stopt de opdracht zonder iets te veranderen"
        ),
    )

    p = sub.add_parser("model", help="toon het volwassenheidsmodel")
    p.add_argument("--json", action="store_true", help="als JSON")

    p = sub.add_parser("demo", parents=[waits], help=f"voeg de verzonnen demogemeente {DEMO_NAME} toe")
    p.add_argument("--replace", action="store_true", help="vervang de demo als die al bestaat")
    p.add_argument("--skip-existing", action="store_true", help="doe niets als de demo al bestaat")

    p = sub.add_parser("summary", help="profiel per wijk: thema's, basisfuncties, fasen, gesprekspunten")
    p.add_argument("--gemeente", help="naam van de gemeente (nodig als er meer dan één is)")
    p.add_argument("--ronde", help="label van de ronde (standaard de laatste)")
    p.add_argument("--regel", choices=RULES, default=RULES[0], help="regel voor de totaalfase (standaard: gemiddelde)")
    p.add_argument("--gewicht-themas", type=float, default=0.5, help="gewicht van de thema's in de index (0 tot 1)")
    p.add_argument(
        "--inwoners", action="store_true", help="weeg wijken naar inwonertal in het gemiddelde van de gemeente"
    )
    p.add_argument("--json", action="store_true", help="als JSON")

    p = sub.add_parser("export-json", help="maak een back-up van een gemeente als JSON")
    p.add_argument("pad", help="bestand om te schrijven")
    p.add_argument("--gemeente", help="naam van de gemeente (nodig als er meer dan één is)")

    p = sub.add_parser("export", help="maak de presentatie (pptx), het verslag (pdf) of de gegevens (xlsx)")
    p.add_argument("soort", choices=EXPORT_KINDS, help="pptx, pdf of xlsx")
    p.add_argument("--out", required=True, metavar="PAD", help="bestand om te schrijven")
    p.add_argument("--gemeente", help="naam van de gemeente (nodig als er meer dan één is)")
    p.add_argument("--ronde", help="label van de ronde (pptx en pdf: standaard de laatste; xlsx: standaard alle)")
    p.add_argument("--wijken", help="alleen deze wijken, gescheiden door komma's, bijvoorbeeld 'De Hoven,Het Ven'")
    p.add_argument(
        "--onderdelen",
        metavar="ONDERDELEN",
        help=(
            "pptx en pdf: deze onderdelen, gescheiden door komma's, bijvoorbeeld "
            f"'{DEFAULT_WORD},profielen'. '{DEFAULT_WORD}' is {', '.join(DEFAULT_PARTS)}; '{ALL_WORD}' is alles. "
            f"Alle onderdelen: {', '.join(PARTS)}. Zonder deze optie: {DEFAULT_WORD}"
        ),
    )

    p = sub.add_parser(
        "import-wijken",
        parents=[waits],
        help="lees wijken en kerncijfers uit een CSV- of Excel-bestand (alles of niets)",
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

    p = sub.add_parser("restore", parents=[waits], help="zet een kopie van de database terug (eerst gecontroleerd)")
    p.add_argument("pad", help="de kopie om terug te zetten")

    p = sub.add_parser("import-json", parents=[waits], help="zet een JSON-back-up terug (alles of niets)")
    p.add_argument("pad", help="bestand om te lezen")
    p.add_argument("--replace", action="store_true", help="vervang de gemeente als die al bestaat")

    sub.add_parser(
        "upgrade",
        parents=[waits],
        help="werk de database bij naar deze versie van wijkmodel (gebeurt anders bij de eerste opdracht)",
        description=(
            "Werk de tabellen van de database bij naar deze versie van wijkmodel. Een SQLite-bestand "
            "wordt eerst gekopieerd; de opdracht zegt waar de kopie staat."
        ),
    )

    p = sub.add_parser("gebruiker", help="geef of neem rollen van accounts (met inloggen), of verwijder iemand")
    actions = p.add_subparsers(dest="actie", required=True, metavar="actie", parser_class=DutchParser)
    give = actions.add_parser("geef", parents=[waits], help="geef een account een rol bij een gemeente")
    give.add_argument("--email", required=True, help="het e-mailadres van het account (na één keer inloggen)")
    give.add_argument("--gemeente", required=True, help="de gemeente")
    give.add_argument("--rol", required=True, choices=["beheerder", "invuller", "lezer"], help="de rol")
    take = actions.add_parser("neem", parents=[waits], help="neem een account zijn rol bij een gemeente af")
    take.add_argument("--email", required=True, help="het e-mailadres van het account")
    take.add_argument("--gemeente", required=True, help="de gemeente")
    listing = actions.add_parser("lijst", help="wie welke rol heeft bij een gemeente")
    listing.add_argument("--gemeente", help="de gemeente (standaard de enige)")
    remove = actions.add_parser(
        "verwijder", parents=[waits], help="verwijder iemand: account en rollen weg, de geschiedenis zonder naam"
    )
    remove.add_argument("--email", required=True, help="het e-mailadres van de persoon")

    sub.add_parser(
        "demo-regio", parents=[waits], help="voeg de verzonnen regio 'Regio Voorbeeld' met vier gemeenten toe"
    )
    p = sub.add_parser("regio", help="maak en wijzig regio's, en wat een gemeente met haar regio deelt")
    actions = p.add_subparsers(dest="actie", required=True, metavar="actie", parser_class=DutchParser)
    make = actions.add_parser("maak", parents=[waits], help="maak een regio met gemeenten")
    make.add_argument("--naam", required=True, help="de naam van de regio")
    make.add_argument("--gemeente", action="append", default=[], help="een gemeente van de regio (herhaal)")
    members = actions.add_parser("leden", parents=[waits], help="zet de gemeenten van een regio")
    members.add_argument("--naam", required=True, help="de naam van de regio")
    members.add_argument(
        "--gemeente", action="append", required=True, help="een gemeente van de regio (herhaal; minstens één)"
    )
    actions.add_parser("lijst", help="de regio's met hun gemeenten en wat elke gemeente deelt")
    remove_region = actions.add_parser("verwijder", parents=[waits], help="verwijder een regio (de gemeenten blijven)")
    remove_region.add_argument("--naam", required=True, help="de naam van de regio")
    share = actions.add_parser("deel", parents=[waits], help="wat een gemeente met haar regio's deelt")
    share.add_argument("--gemeente", required=True, help="de gemeente")
    share.add_argument("--wat", required=True, choices=["niets", "totalen", "wijken"], help="wat zij deelt")
    coordinator = actions.add_parser("coordinator", parents=[waits], help="maak iemand regiocoördinator, of niet meer")
    coordinator.add_argument("--naam", required=True, help="de naam van de regio")
    coordinator.add_argument("--email", required=True, help="het e-mailadres van het account (na één keer inloggen)")
    coordinator.add_argument("--weg", action="store_true", help="niet langer regiocoördinator")
    return parser
