"""The command line of regions (issue 20): `regio maak|leden|lijst|verwijder|deel|coordinator` and
`demo-regio`. Like every command it may do everything: it runs on the server, as its administrator."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from sqlalchemy.orm import Session

from wijkmodel.cli.commands import _model, open_database
from wijkmodel.cli.parser import EXIT_OK

SHARE = {"niets": None, "totalen": "totalen", "wijken": "wijken"}


def _municipality_ids(session: Session, names: list[str]) -> list[int]:
    from wijkmodel.analysis.summary import resolve_municipality

    return [resolve_municipality(session=session, name=name).id for name in names]


def regio_command(args: argparse.Namespace) -> int:
    """Regions, their members and coordinators, and what a municipality shares."""
    from wijkmodel.analysis.summary import resolve_municipality
    from wijkmodel.storage.regions import (
        SHARING_TEXT,
        coordinators,
        create_region,
        delete_region,
        list_regions,
        member_ids,
        resolve_region,
        set_coordinator,
        set_members,
        set_sharing,
        sharing_of,
    )
    from wijkmodel.storage.tables import Municipality, RegionSharing

    factory = open_database(args)
    if args.actie == "lijst":
        with factory() as session:
            regions = list_regions(session=session)
            if not regions:
                print("Er is nog geen regio. Maak er een met: python -m wijkmodel regio maak --naam NAAM")
            for region in regions:
                print(f"{region.name}:")
                for municipality_id in member_ids(session=session, region_id=region.id):
                    name = session.get(Municipality, municipality_id).name  # type: ignore[union-attr]
                    shares = SHARING_TEXT[sharing_of(session=session, municipality_id=municipality_id)]
                    print(f"  {name}  ({shares})")
                people = coordinators(session=session, region_id=region.id)
                print("  regiocoördinatoren: " + (", ".join(people) if people else "nog niemand"))
        return EXIT_OK
    with factory.begin() as session:
        if args.actie == "maak":
            region = create_region(
                session=session, name=args.naam, municipality_ids=_municipality_ids(session, args.gemeente)
            )
            done = f"Regio {region.name} gemaakt met {len(args.gemeente)} gemeenten."
        elif args.actie == "leden":
            region = resolve_region(session=session, name=args.naam)
            set_members(
                session=session, region_id=region.id, municipality_ids=_municipality_ids(session, args.gemeente)
            )
            done = f"Regio {region.name} heeft nu {len(args.gemeente)} gemeenten."
        elif args.actie == "verwijder":
            region = resolve_region(session=session, name=args.naam)
            delete_region(session=session, region_id=region.id)
            done = f"Regio {region.name} is verwijderd; de gemeenten blijven."
        elif args.actie == "deel":
            municipality = resolve_municipality(session=session, name=args.gemeente)
            level = SHARE[args.wat]
            set_sharing(
                session=session,
                municipality_id=municipality.id,
                level=RegionSharing(level) if level else None,
            )
            done = f"{municipality.name}: {SHARING_TEXT[RegionSharing(level) if level else None]}."
        else:
            region = resolve_region(session=session, name=args.naam)
            set_coordinator(session=session, region_id=region.id, email=args.email, coordinates=not args.weg)
            done = f"{args.email} is {'geen ' if args.weg else ''}regiocoördinator van {region.name}."
    print(done)
    return EXIT_OK


def demo_regio_command(args: argparse.Namespace) -> int:
    """The made-up region beside the demo (wijkmodel.demo.region)."""
    from wijkmodel.demo.facts import DEMO_NAME
    from wijkmodel.demo.region import REGION_NAME, add_demo_region
    from wijkmodel.storage.regions import find_region

    model = _model()
    factory = open_database(args)
    with factory.begin() as session:
        if find_region(session=session, name=REGION_NAME) is not None:
            print(f"De demoregio {REGION_NAME} bestaat al; er is niets veranderd.")
            return EXIT_OK
        add_demo_region(session=session, model=model, with_municipality=DEMO_NAME)
    print(
        f"Demoregio {REGION_NAME} toegevoegd. Bekijk haar op de pagina Regio, of met: python -m wijkmodel regio lijst"
    )
    return EXIT_OK


REGION_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "regio": regio_command,
    "demo-regio": demo_regio_command,
}
