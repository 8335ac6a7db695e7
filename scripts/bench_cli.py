"""How fast the command line starts (issue 14, item 6): medians of whole processes, wall time.

    .venv/bin/python scripts/bench_cli.py [--repeat 5]

Measures, each as a process of its own (interleaved, after one warm-up round):
- baseline: `python -c "import pandas, sqlalchemy, pydantic"`;
- `python -m wijkmodel --help` (target: at most 0.3 s);
- `python -m wijkmodel summary --gemeente Voorbeeldstad` on a SQLite file with the demo, made once
  beforehand with `python -m wijkmodel demo` (target: at most 1.5 × the baseline).
Prints the medians (and, for information, the CPU time), the ratio and whether each target is met;
exit code 1 when one is missed. The environment is used as it is: with PYTHONDONTWRITEBYTECODE set,
wijkmodel's own modules are compiled at every start (the libraries' bytecode came with pip), and
the script says so.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP_MAX_S = 0.3
SUMMARY_MAX_RATIO = 1.5


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one process, in seconds; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} gaf exitcode {done.returncode}:\n{done.stderr}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description="Hoe snel de commandoregel start (mediaan van hele processen).")
    parser.add_argument("--repeat", type=int, default=5, help="aantal metingen per commando (standaard 5)")
    args = parser.parse_args()
    python = sys.executable
    commands = {
        "basis: import pandas, sqlalchemy, pydantic": [python, "-c", "import pandas, sqlalchemy, pydantic"],
        "python -m wijkmodel --help": [python, "-m", "wijkmodel", "--help"],
        "python -m wijkmodel summary --gemeente Voorbeeldstad": [
            python,
            "-m",
            "wijkmodel",
            "summary",
            "--gemeente",
            "Voorbeeldstad",
        ],
    }
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WIJKMODEL_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite'}"}
        timed([python, "-m", "wijkmodel", "demo"], env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for round_number in range(args.repeat + 1):  # round 0 warms the file cache and is not counted
            for name, argv in commands.items():
                elapsed, used = timed(argv, env)
                if round_number:
                    times[name].append(elapsed)
                    cpu[name].append(used)
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline, help_s, summary_s = medians.values()
    ratio = summary_s / baseline
    print(f"Mediaan van {args.repeat} keer, elk een eigen proces (wandkloktijd), Python {sys.version.split()[0]}:")
    for name, median in medians.items():
        spread = ", ".join(f"{t:.3f}" for t in times[name])
        print(f"  {name:<55} {median:6.3f} s   ({spread}; CPU {statistics.median(cpu[name]):.3f} s)")
    cpu_base, _, cpu_summary = (statistics.median(values) for values in cpu.values())
    cpu_ratio = cpu_summary / cpu_base
    print(f"summary / basis: {ratio:.2f} (wandklok), {cpu_ratio:.2f} (CPU, ter informatie)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("Let op: PYTHONDONTWRITEBYTECODE is gezet: de modules van wijkmodel worden elke keer opnieuw vertaald.")
    help_ok = help_s <= HELP_MAX_S
    summary_ok = ratio <= SUMMARY_MAX_RATIO
    print(f"--help: {help_s:.3f} s, grens {HELP_MAX_S} s: {'gehaald' if help_ok else 'NIET gehaald'}")
    print(
        f"summary: {ratio:.2f} × de basis, grens {SUMMARY_MAX_RATIO} ×: {'gehaald' if summary_ok else 'NIET gehaald'}"
    )
    return 0 if help_ok and summary_ok else 1


if __name__ == "__main__":
    sys.exit(main())
