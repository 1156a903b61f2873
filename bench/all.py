"""Run every benchmark of issue 17 and print one table: each row a ratio to its own floor.

Runs ``bench/update.py``, ``bench/import.py`` and ``bench/letters.py`` (and ``bench/engine.py``
with ``--met-motor``), one after the other, each in its own process, and prints their output as
it comes. A script reports a row of the table by printing a line ``BENCH {json}`` with the keys
``row`` (the measure), ``seconds``, ``floor_seconds``, ``ratio`` (seconds / floor, both measured
in the same run), ``goal`` (the issue's goal for the ratio) and ``peak_mb`` (the peak resident
memory of the process that did the work); ``print_rows`` in bench/update.py prints them so. A
script that prints no such line is shown in the table with "zie de uitvoer hierboven".

Every ratio compares two measurements made in the same run on the same machine: load from
other programs slows both, so the ratios are more reliable than the seconds.

Run: ``python bench/all.py`` (the issue's sizes: 50,000 invoices, 100,000 bank lines, 1,000
letters; about 10 minutes on 2 cores), or ``python bench/all.py --klein`` (2,000 invoices,
5,000 bank lines, 100 letters: a quick check that everything runs).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (script, the issue's rows it measures, arguments at full size, arguments with --klein)
SCRIPTS = (
    (
        "update.py",
        ("`bijwerken`, volgende dag", "`bijwerken`, niets veranderd"),
        [],
        ["--invoices", "2000", "--customers", "200"],
    ),
    (
        "import.py",
        ("`betalingen`, CAMT.053 op een werkboek",),
        [],
        ["--entries", "5000", "--invoices", "2000"],
    ),
    ("letters.py", ("brieven (.docx)", "pdf van de brieven"), [], ["--debtors", "100"]),
)
ENGINE = ("engine.py", ("beoordelen (de motor)",), [], ["--invoices", "2000", "--customers", "200"])


def run(script: str, args: list[str]) -> tuple[list[dict], float, int]:
    """Run one script, echo its output, return (its BENCH rows, seconds, exit code)."""
    print(f"\n=== python bench/{script} {' '.join(args)}".rstrip(), flush=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(HERE / script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    rows = []
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("BENCH "):
            with contextlib.suppress(ValueError):  # a broken line: shown as no row
                rows.append(json.loads(line[len("BENCH ") :]))
            continue
        print(line, end="", flush=True)
    code = process.wait()
    return rows, time.perf_counter() - start, code


def table(results: list[tuple[str, tuple[str, ...], list[dict], int]]) -> list[str]:
    """Return the lines of the summary table."""
    lines = [
        "| meting | tijd | vloer | verhouding | doel | gehaald | piekgeheugen |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for script, names, rows, code in results:
        if not rows:
            why = "zie de uitvoer hierboven" if code == 0 else f"mislukt (exit {code})"
            lines += [f"| {name} (bench/{script}) | {why} | | | | | |" for name in names]
            continue
        for r in rows:
            ratio, goal = r.get("ratio"), r.get("goal")
            met = "" if ratio is None or goal is None else ("ja" if ratio <= goal else "nee")
            lines.append(
                f"| {r.get('row', '?')} | {_s(r.get('seconds'))} | {_s(r.get('floor_seconds'))} "
                f"| {_x(ratio)} | {'≤ ' + _x(goal) if goal is not None else ''} | {met} "
                f"| {_mb(r.get('peak_mb'))} |"
            )
    return lines


def _s(value: object) -> str:
    return f"{value:.2f} s" if isinstance(value, int | float) else ""


def _x(value: object) -> str:
    return f"{value:.2f}x" if isinstance(value, int | float) else ""


def _mb(value: object) -> str:
    return f"{value:.0f} MB" if isinstance(value, int | float) else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--klein", action="store_true", help="kleine aantallen (snelle controle)")
    parser.add_argument("--met-motor", action="store_true", help="ook bench/engine.py")
    args = parser.parse_args()
    scripts = SCRIPTS + ((ENGINE,) if args.met_motor else ())
    results = []
    for script, names, full, small in scripts:
        rows, _, code = run(script, small if args.klein else full)
        results.append((script, names, rows, code))
    print("\n=== Issue 17: elke meting als verhouding tot haar vloer, gemeten in dezelfde run")
    print("\n".join(table(results)))
    if any(code for *_, code in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
