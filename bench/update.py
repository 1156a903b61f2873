"""Benchmark of ``bijwerken`` on a large workbook (issue: workbook as system of record).

Builds a workbook with 50,000 invoices for 5,000 customers (plus 20,000 payments and 2,000
letters in Acties) and measures the steady state, as a user runs it daily. Each step runs in a
fresh process:

1. ``bijwerken`` once (not measured): fills the computed columns and the Overzicht, so the file
   looks like every later day's file;
2. the floor: a bare openpyxl load + save of that updated file;
3. ``bijwerken`` (``service.update`` as the command calls it, ``skip_unchanged=True``) with the
   next day's peildatum, so that the computed cells really change: the daily case;
4. ``bijwerken`` again with the same peildatum: nothing changes (recognised from the digest).

Steps 2 and 3 take turns ``--herhaal`` times (3 by default), step 3 each time on a fresh copy of
the file of step 1; each row then shows the median of the times and the highest peak. This
machine's speed moves by a third from one minute to the next (other virtual machines on the same
host): one pair measures that as much as the program. Every pair's ratio is printed too.

It prints the issue 17 rows (each time, its ratio to the floor of the same run, and each
process's own peak memory, VmHWM) and one ``BENCH {json}`` line per row for ``bench/all.py``.
Each process's processor time is printed too (and ``cpu_ratio`` in the BENCH line): when other
programs run on the machine, the wall-clock ratio moves with their load from one process to
the next, the processor-time ratio much less. ``bijwerken``'s processor time includes that of
the copies it forks for work on the second core (``workbook/aside.py``), so the ratio counts all
the work done, not only the part on the critical path.

Run: ``python bench/update.py [--invoices 50000] [--customers 5000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from compiled import compile_package  # bench/compiled.py, beside this script

#: The process's own peak resident memory in MB: VmHWM (Linux; ru_maxrss would count the
#: parent's size at the fork, which survives the exec), else ru_maxrss.
PEAK = """
def peak_mb():
    import resource
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

FLOOR = (
    PEAK
    + """
import json, sys, time, openpyxl
t, cpu = time.perf_counter(), time.process_time()
wb = openpyxl.load_workbook(sys.argv[1])
wb.save(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t, "cpu_seconds": time.process_time() - cpu,
                  "peak_mb": peak_mb()}))
"""
)

UPDATE = (
    PEAK
    + """
import json, resource, sys, time
from datetime import date, datetime
from debiteuren import service
def children():  # the forked copies' processor time (workbook/aside.py), once they ended
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
t, cpu, aside = time.perf_counter(), time.process_time(), children()
r = service.update(sys.argv[1], date.fromisoformat(sys.argv[2]), now=datetime(2026, 11, 27),
                   skip_unchanged=True)
seconds, own, aside = time.perf_counter() - t, time.process_time() - cpu, children() - aside
# the forked copies' peak resident size (pages shared with this process included)
copies_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": own + aside, "aside_cpu_seconds": aside,
                  "aside_peak_mb": copies_mb,
                  "cells": r.cells_changed, "saved": r.saved, "unchanged": r.unchanged,
                  "peak_mb": peak_mb()}))
"""
)


def generate(invoices: int, customers: int) -> dict[str, list[dict]]:
    """Return the rows of a realistic large workbook, per table (also used by bench/engine.py)."""
    rnd = random.Random(20261127)
    kinds = ["Consument", "Onderneming"]
    klanten = [
        {
            "number": f"K{i:05d}",
            "name": f"Klant {i}",
            "country": rnd.choice(["NL", "BE"]),
            "kind": rnd.choice(kinds),
            "phone": "0612345678" if i % 3 else "",
            "email": f"klant{i}@example.nl",
        }
        for i in range(customers)
    ]
    rows, pays = [], []
    start = date(2022, 1, 1)
    for n in range(invoices):
        issued = start + timedelta(days=rnd.randrange(0, 1700))
        amount = Decimal(rnd.randrange(2_000, 2_000_000)) / 100
        number = f"F{n:06d}"
        debtor = f"K{rnd.randrange(customers):05d}"
        rows.append(
            {
                "number": number,
                "debtor": debtor,
                "invoice_date": issued,
                "due_date": issued + timedelta(days=30),
                "amount": amount,
                "description": "Levering",
            }
        )
        if n % 5 < 2:
            pays.append(
                {
                    "on": issued + timedelta(days=rnd.randrange(10, 90)),
                    "amount": amount if n % 5 == 0 else (amount / 2).quantize(Decimal("0.01")),
                    "debtor": debtor,
                    "invoice": number,
                    "source": "handmatig",
                }
            )
    acties = [
        {
            "on": r["due_date"] + timedelta(days=10),
            "debtor": r["debtor"],
            "invoices": r["number"],
            "step": "herinnering",
            "channel": "e-mail",
        }
        for r in rows[: invoices // 25]
        if r["due_date"] + timedelta(days=10) < date(2026, 6, 1)
    ]
    return {"Klanten": klanten, "Facturen": rows, "Betalingen": pays, "Acties": acties}


def build(path: Path, invoices: int, customers: int) -> None:
    """Write a realistic large workbook to ``path``."""
    import openpyxl

    from debiteuren.workbook.template import template_path
    from debiteuren.workbook.write import append_table_rows, set_settings

    book = openpyxl.load_workbook(template_path())
    set_settings(
        book, {"Naam": "Groothandel Bench B.V.", "Plaats": "Utrecht", "IBAN": "NL91ABNA0417164300"}
    )
    for sheet, table in generate(invoices, customers).items():
        append_table_rows(book, sheet, table)
    book.save(path)


def run(script: str, *args: str) -> dict:
    """Run ``script`` in a fresh interpreter and return the JSON it prints."""
    out = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--herhaal", type=int, default=3, help="aantal metingen (mediaan)")
    args = parser.parse_args()
    compile_package()  # measured as installed: see bench/compiled.py
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "groot.xlsx"
        t = time.perf_counter()
        build(path, args.invoices, args.customers)
        print(
            f"werkboek gebouwd: {args.invoices} facturen, {args.customers} klanten, "
            f"{path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s"
        )
        first = run(UPDATE, str(path), "2026-11-26")
        print(
            f"eerste keer bijwerken (niet gemeten, vult de kolommen): {first['seconds']:.1f} s, "
            f"{first['cells']} cellen, {path.stat().st_size / 1e6:.1f} MB"
        )
        work = Path(tmp) / "werk.xlsx"
        floors, updates = [], []
        for _ in range(max(1, args.herhaal)):  # in turns: a slow minute slows both
            floors.append(run(FLOOR, str(path), str(Path(tmp) / "kopie.xlsx")))
            shutil.copyfile(path, work)
            updates.append(run(UPDATE, str(work), "2026-11-27"))
        again = run(UPDATE, str(work), "2026-11-27")
    show_turns(floors, updates)
    floor, update = typical(floors), typical(updates)
    print(
        f"openpyxl laden+opslaan (vloer): {floor['seconds']:.1f} s "
        f"(processortijd {floor['cpu_seconds']:.1f} s), piekgeheugen {floor['peak_mb']:.0f} MB"
    )
    print(
        f"bijwerken (nieuwe peildatum):   {update['seconds']:.1f} s "
        f"(processortijd {update['cpu_seconds']:.1f} s, waarvan "
        f"{update['aside_cpu_seconds']:.1f} s op de tweede kern, "
        f"{update['cpu_seconds'] / floor['cpu_seconds']:.2f}x die van de vloer), piekgeheugen "
        f"{update['peak_mb']:.0f} MB (de kopie op de tweede kern: tot "
        f"{update['aside_peak_mb']:.0f} MB, grotendeels gedeeld met het hoofdproces), "
        f"{update['cells']} cellen"
    )
    print(
        f"tweede keer (niets veranderd):  {again['seconds']:.2f} s, piekgeheugen "
        f"{again['peak_mb']:.0f} MB, {again['cells']} cellen, herkend aan de vingerafdruk: "
        f"{'ja' if again['unchanged'] else 'nee'}"
    )
    n = f"{args.invoices:,}".replace(",", ".")
    rows = [
        row(f"`bijwerken`, {n} facturen, volgende dag", update, floor, 0.2),
        row(f"`bijwerken`, {n} facturen, niets veranderd", again, floor, 0.05),
    ]
    print_rows(rows, "vloer: openpyxl laden + opslaan van hetzelfde bestand")


def typical(runs: list[dict]) -> dict:
    """Return the median of each time of ``runs`` (one measurement each) and the highest
    peak; the other keys from the run whose time is that median (the middle one)."""
    middle = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    out = dict(middle)
    for key in ("seconds", "cpu_seconds"):
        if all(key in r for r in runs):
            out[key] = statistics.median(r[key] for r in runs)
    out["peak_mb"] = max(r["peak_mb"] for r in runs)
    return out


def show_turns(floors: list[dict], measured: list[dict]) -> None:
    """Print each pair of a floor and its measurement, when there is more than one."""
    if len(floors) < 2:
        return
    pairs = ", ".join(
        f"{m['seconds']:.2f}/{f['seconds']:.2f} = {m['seconds'] / f['seconds']:.2f}x"
        for f, m in zip(floors, measured, strict=True)
    )
    print(f"metingen (tijd/vloer), om beurten: {pairs}; hieronder de medianen")


def row(name: str, measured: dict, floor: dict, goal: float) -> dict:
    """Return one row of the issue 17 table: a measurement as a ratio to its floor."""
    return {
        "row": name,
        "seconds": round(measured["seconds"], 3),
        "floor_seconds": round(floor["seconds"], 3),
        "ratio": round(measured["seconds"] / floor["seconds"], 3),
        "goal": goal,
        "peak_mb": round(measured["peak_mb"]),
        "floor_peak_mb": round(floor["peak_mb"]),
        # processor time: less dependent on other programs on the machine than the wall clock
        "cpu_ratio": round(measured["cpu_seconds"] / floor["cpu_seconds"], 3),
    }


def print_rows(rows: list[dict], floor: str) -> None:
    """Print the rows as a table and as ``BENCH {json}`` lines (read by bench/all.py)."""
    print(f"\n| meting | tijd | {floor} | verhouding | doel | piekgeheugen |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        mark = "ja" if r["ratio"] <= r["goal"] else "NEE"
        print(
            f"| {r['row']} | {r['seconds']:.2f} s | {r['floor_seconds']:.2f} s | "
            f"**{r['ratio']:.2f}x** | ≤ {r['goal']}x ({mark}) | {r['peak_mb']} MB |"
        )
    for r in rows:
        print("BENCH " + json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
