"""Micro-benchmark of the assessment: the book of bench/update.py, in memory.

Builds the 50,000 invoices, 5,000 customers, 20,000 payments and 2,000 letters of
``bench/update.py`` (same generator, same seed) as model records, without any workbook, and
assesses them with ``core.book.assess_book`` (interest, costs, payments, limitation and the
ladder) at the peildatum of the daily case. Two engines, each in a fresh process:

1. the core before issue 17 (its interest engine asked the rate schedule for change days, rate,
   source and row on every run of days), taken from git at ``--voor`` (``git archive`` into a
   temporary folder, imported from there);
2. the core of this checkout.

For each it prints the time per 1,000 invoices (the best of ``--herhaal`` runs, each followed by
the full garbage collection it leaves behind, so that no work is deferred out of the figure),
the process's peak memory and how much of it the assessment added; then the ratio of the two.
Both must give the same result: the script compares a digest of every figure they computed.

Run: ``python bench/engine.py [--invoices 50000] [--customers 5000] [--voor REV]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from compiled import compile_package  # bench/compiled.py, beside this script

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

#: The last commit of main before issue 17's engine work.
BEFORE = "11a64da9fbb29b9f94ad5303cc22b7f46cb1d067"

ASSESS = """
import gc, hashlib, json, resource, sys, time
from datetime import date

sys.path.insert(0, sys.argv[1])
from update import generate

from debiteuren.core.book import assess_book
from debiteuren.core.model import (
    Action, Channel, Country, Creditor, Debtor, DebtorKind, Invoice, Payment, Settings, Step,
)
from debiteuren.core.rates import builtin

invoices, customers, repeat = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = generate(invoices, customers)
kinds = {"Consument": DebtorKind.CONSUMER, "Onderneming": DebtorKind.BUSINESS}
debtors = {
    r["number"]: Debtor(
        number=r["number"], name=r["name"], country=Country(r["country"]),
        kind=kinds[r["kind"]], phone=r["phone"], email=r["email"],
    )
    for r in rows["Klanten"]
}
facturen = [
    Invoice(
        number=r["number"], debtor=r["debtor"], invoice_date=r["invoice_date"],
        due_date=r["due_date"], amount=r["amount"], description=r["description"],
    )
    for r in rows["Facturen"]
]
betalingen = [
    Payment(on=r["on"], amount=r["amount"], debtor=r["debtor"], invoice=r["invoice"],
            source=r["source"])
    for r in rows["Betalingen"]
]
acties = [
    Action(on=r["on"], debtor=r["debtor"], invoices=(r["invoices"],), step=Step(r["step"]),
           channel=Channel(r["channel"]))
    for r in rows["Acties"]
]
creditor = Creditor(name="Groothandel Bench B.V.", city="Utrecht", iban="NL91ABNA0417164300")
args = (debtors, facturen, betalingen, acties, [], creditor, Settings(), builtin(),
        date(2026, 11, 27))
del rows
assess_book(debtors, facturen[:100], [], [], [], *args[5:])  # warm up: lazy imports, caches
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
best = None
for _ in range(repeat):
    start = time.perf_counter()
    result = assess_book(*args)
    gc.collect()
    seconds = time.perf_counter() - start
    best = seconds if best is None else min(best, seconds)
    if _ == 0:
        digest = hashlib.sha256()
        for number, claim in sorted(result.claims.items()):
            for c in claim.invoices:
                s = c.statement
                digest.update(repr((
                    number, c.invoice.number, s.interest, s.costs, s.paid, s.outstanding,
                    [(p.start, p.end, p.base, p.rate, p.divisor, p.exact, p.interest)
                     for p in s.periods],
                    [(k.on, k.amount) for k in s.capitalisations],
                    c.limitation, c.days_late,
                    result.stages[number][c.invoice.number].stage.value,
                    result.stages[number][c.invoice.number].next_on,
                )).encode())
            digest.update(repr(claim.unallocated).encode())
    del result
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": best, "peak_mb": peak / 1024, "added_mb": (peak - before) / 1024,
                  "digest": digest.hexdigest()}))
"""


def measure(src: Path, invoices: int, customers: int, repeat: int) -> dict:
    """Assess the book with the ``debiteuren`` package under ``src`` in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, "-c", ASSESS, str(BENCH), str(invoices), str(customers), str(repeat)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=src,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def checkout(rev: str, into: Path) -> Path | None:
    """Extract ``src/`` of commit ``rev`` into ``into``; None when git cannot."""
    archive = into / "src.tar"
    try:
        with archive.open("wb") as fh:
            subprocess.run(
                ["git", "-C", str(ROOT), "archive", rev, "src"],
                check=True,
                stdout=fh,
                stderr=subprocess.PIPE,
            )
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # our own repository's archive
    return into / "src"


def per_thousand(seconds: float, invoices: int) -> float:
    """Return milliseconds per 1,000 invoices."""
    return seconds / invoices * 1000 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--herhaal", type=int, default=3, help="runs per engine (the best counts)")
    parser.add_argument("--voor", default=BEFORE, help="git revision of the engine before")
    args = parser.parse_args()
    compile_package()  # measured as installed: see bench/compiled.py
    n = args.invoices
    with tempfile.TemporaryDirectory() as tmp:
        old_src = checkout(args.voor, Path(tmp))
        old = measure(old_src, n, args.customers, args.herhaal) if old_src else None
        new = measure(ROOT / "src", n, args.customers, args.herhaal)
    print(f"beoordeling van {n} facturen, {args.customers} klanten, in het geheugen")
    if old is None:
        print(f"motor voor issue 17 ({args.voor[:10]}): niet beschikbaar (geen git-checkout)")
    else:
        print(
            f"motor voor issue 17 ({args.voor[:10]}): {per_thousand(old['seconds'], n):6.1f} ms "
            f"per 1000 facturen, piekgeheugen {old['peak_mb']:.0f} MB "
            f"(beoordeling {old['added_mb']:.0f} MB)"
        )
    print(
        f"motor nu:                         {per_thousand(new['seconds'], n):6.1f} ms "
        f"per 1000 facturen, piekgeheugen {new['peak_mb']:.0f} MB "
        f"(beoordeling {new['added_mb']:.0f} MB)"
    )
    if old is not None:
        print(f"verhouding nu / voor:             {new['seconds'] / old['seconds']:.2f}")
        same = "ja" if old["digest"] == new["digest"] else "NEE: de uitkomsten verschillen"
        print(f"zelfde uitkomsten (alle bedragen, perioden, fasen): {same}")


if __name__ == "__main__":
    main()
