"""Command line: `python -m wijkmodel <opdracht>`. Messages in Dutch.

Exit codes: 0 ok · 2 bad input (with a clear message) · 1 anything else.

`parser.py` holds the argument parser (light: `--help` loads no pandas, SQLAlchemy or plotly),
`commands.py` one function per command, each importing what it needs when it runs. A command that
writes waits for a busy database (`--wacht`, WIJKMODEL_WACHTTIJD, default 60 s), then says so in
Dutch and changes nothing.
"""

from __future__ import annotations

import argparse
import gc
import sys

from wijkmodel.cli.parser import EXIT_BAD_INPUT, EXIT_ERROR, build_parser

__all__ = ["build_parser", "main", "run"]


def run(argv: list[str]) -> int:
    """Run one command; returns the exit code."""
    args = build_parser().parse_args(argv)
    from wijkmodel.cli.commands import COMMANDS, close_databases  # after parsing: --help needs none of it
    from wijkmodel.cli.region import REGION_COMMANDS

    try:
        return (COMMANDS | REGION_COMMANDS)[args.command](args)
    except Exception as exc:
        code = _failed(args, exc)
        if code is None:  # --debug: the technical details
            raise
        return code
    finally:
        close_databases()


IMAGE_ERROR = ("wijkmodel.exports.images", "ImageError")
"""The exception of a chart that could not be drawn (Chromium missing, say): its message is Dutch."""
BAD_INPUT = [("wijkmodel.storage.inputs", "InputError"), ("wijkmodel.model.loader", "ModelLoadError")]
"""The exceptions of bad input (exit 2), each listing its problems in Dutch."""


def _instance(exc: BaseException, module: str, name: str) -> bool:
    """Whether `exc` is a `module.name`, without importing `module` (a module that was never
    imported raised nothing)."""
    cls = getattr(sys.modules.get(module), name, None)
    return isinstance(cls, type) and isinstance(exc, cls)


def _failed(args: argparse.Namespace, exc: Exception) -> int | None:
    """Say in Dutch what went wrong; the exit code, or None to show the traceback (--debug)."""
    if _instance(exc, *IMAGE_ERROR):
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if any(_instance(exc, *where) for where in BAD_INPUT):
        problems: list[str] = list(getattr(exc, "problems", [str(exc)]))
        print("Fout:" if len(problems) == 1 else f"Fout: {len(problems)} problemen gevonden:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.debug:
        return None
    from wijkmodel.storage.errors import StorageProblem, storage_message, storage_problem

    kind = storage_problem(exc)
    action = f"De opdracht {args.command}"
    if kind is StorageProblem.BUSY:
        print(f"Fout: {action} is niet gelukt: {busy_message(args)}", file=sys.stderr)
        return EXIT_ERROR
    if kind is not None:  # a full disk, an unreachable database: say which, in Dutch
        print(f"Fout: {storage_message(exc, action=action)}", file=sys.stderr)
        if kind is StorageProblem.OTHER:
            print("Met --debug ziet u de technische details.", file=sys.stderr)
        return EXIT_ERROR
    print(f"Onverwachte fout ({type(exc).__name__}): {exc}", file=sys.stderr)
    print("Probeer het opnieuw met --debug voor de technische details.", file=sys.stderr)
    return EXIT_ERROR


def busy_message(args: argparse.Namespace) -> str:
    """The database stayed busy for the whole wait: in Dutch, what happened and what to do."""
    from wijkmodel.cli.commands import wait_of
    from wijkmodel.storage.db import SAVE_WAIT_S

    try:
        wait = wait_of(args)
    except Exception:  # noqa: BLE001 - a bad WIJKMODEL_WACHTTIJD was refused before any wait
        wait = None
    waited = SAVE_WAIT_S if wait is None else wait
    number = f"{waited:g}".replace(".", ",")
    message = (
        "de database is in gebruik door iemand anders. "
        f"Er is {number} {'seconde' if waited == 1 else 'seconden'} gewacht. "
        "Er is niets veranderd. Probeer het later opnieuw."
    )
    if hasattr(args, "wacht"):
        message += " Langer wachten kan met --wacht SECONDEN."
    return message


def main() -> None:
    """Entry point of `python -m wijkmodel`. The cyclic garbage collector stays off while the command
    loads its libraries and the model (`commands.loaded` turns it on): imports and class building
    make many objects and hardly any garbage, and the collector's passes over them cost a summary
    about a tenth of its start (`make bench-cli`)."""
    gc.disable()
    try:
        code = run(sys.argv[1:])
    finally:
        gc.enable()
    sys.exit(code)
