"""Benchmark of ``betalingen``: a CAMT.053 file with 100,000 entries on a 50,000-invoice workbook.

Usage::

    python bench/import.py [--entries 100000] [--invoices 50000] [--customers 5000]

What it does, in a temporary directory (removed afterwards):

1. builds the workbook of ``bench/update.py`` (50,000 invoices, 5,000 customers, 20,000
   payments, 2,000 letters), gives every customer an IBAN, and runs ``bijwerken`` once (not
   measured), so the file looks like a real day's file;
2. writes a camt.053 statement paying its invoices (not measured);
3. the floor: a fresh process that reads the statement with ``lxml.etree.iterparse``, clearing
   each entry as it goes (nothing else);
4. the command: ``debiteuren betalingen BOEK AFSCHRIFT --peildatum ...`` as a subprocess, the
   whole command: reading and checking the workbook, parsing the statement with its balance
   checks, matching, appending the rows to Betalingen, recomputing the Facturen columns and the
   Overzicht, and saving the file once.

Steps 3 and 4 take turns ``--herhaal`` times (3 by default), the command each time on a fresh
copy of the workbook of step 1; the figures are then the medians (and the highest peak), and
every pair's ratio is printed too: the floor lasts a second, and this machine's speed moves by a
third from one minute to the next.

It prints the seconds of both, the ratio command / floor, and each process's peak resident memory
(its own VmHWM, written when it exits; see :data:`WRAPPER`). Both run in the same benchmark run
on the same machine, so load from other processes affects both; the ratio is the figure to
compare.

Mix of the entries: 35 % a structured reference (OGM, betalingskenmerk or RF), 25 % an invoice
number in the text, 20 % only the payer's IBAN and an exact open amount, 5 % the total of two
invoices, 8 % nothing known (a private person's name and a foreign account), 5 % debits, 2 %
batch bookings of three transactions.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from compiled import compile_package  # bench/compiled.py, beside this script

OUR_IBAN = "NL91ABNA0417164300"
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
AS_OF = date(2026, 11, 26)

#: Payers nobody knows (8 % of the entries): private persons, by name and account.
FIRST_NAMES = ("Jan", "Piet", "Anna", "Sanne", "Mohamed", "Eva", "Daan", "Fleur", "Luuk", "Noor")
SURNAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos")

FLOOR = """
import sys
from lxml import etree
n = 0
for _, el in etree.iterparse(sys.argv[1], events=("end",), tag="{*}Ntry"):
    n += 1
    el.clear()
    while el.getprevious() is not None:
        del el.getparent()[0]
print(n)
"""


def _bench_update():
    """Import bench/update.py (its workbook generator) by path."""
    spec = importlib.util.spec_from_file_location(
        "bench_update", Path(__file__).with_name("update.py")
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def customer_iban(number: str) -> str:
    """A valid Dutch IBAN per customer (bank code BANK is fine for the mod-97 check)."""
    bban = f"BANK{int(number[1:]):010d}"
    digits = "".join(str(int(ch, 36)) for ch in f"{bban}NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"


def build(path: Path, invoices: int, customers: int) -> None:
    """Write the workbook of bench/update.py, with an IBAN for every customer."""
    import openpyxl

    from debiteuren.workbook.template import template_path
    from debiteuren.workbook.write import append_table_rows, set_settings

    tables = _bench_update().generate(invoices, customers)
    for klant in tables["Klanten"]:
        klant["iban"] = customer_iban(klant["number"])
    book = openpyxl.load_workbook(template_path())
    set_settings(book, {"Naam": "Groothandel Bench B.V.", "Plaats": "Utrecht", "IBAN": OUR_IBAN})
    for sheet, rows in tables.items():
        append_table_rows(book, sheet, rows)
    book.save(path)


def open_invoices(path: Path) -> list[tuple[str, str, Decimal, str, str]]:
    """Return (number, customer, open amount, reference, customer IBAN) of each open invoice."""
    from debiteuren.service.update import assess, invoice_references, load

    loaded = load(path, AS_OF, for_writing=False)
    references = invoice_references(loaded.data)
    out = []
    for number, claim in assess(loaded, AS_OF).claims.items():
        iban = loaded.data.debtors[number].ibans[0]
        for c in claim.invoices:
            ref = references.get(c.invoice.number)
            if c.outstanding > 0 and ref is not None:
                out.append((c.invoice.number, number, c.outstanding, ref.value, iban))
    return out


def _detail(name: str, iban: str, remittance: str, amount: str = "") -> str:
    amount_xml = f'<Amt Ccy="EUR">{amount}</Amt>' if amount else ""
    return (
        f"<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>{amount_xml}"
        f"<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id>"
        f"</DbtrAcct></RltdPties>{remittance}</TxDtls>"
    )


def _entry(n: int, amount: Decimal, indicator: str, details: str) -> str:
    day = AS_OF - timedelta(days=20 - n % 20)
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"<Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<AcctSvcrRef>BENCH-{n:08d}</AcctSvcrRef><NtryDtls>{details}</NtryDtls></Ntry>\n"
    )


def write_statement(path: Path, entries: int, invoices: list, rng: random.Random) -> None:
    """Write a camt.053 file with ``entries`` entries paying random open invoices."""
    by_debtor: dict[str, list] = {}
    for invoice in invoices:
        by_debtor.setdefault(invoice[1], []).append(invoice)
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NAMESPACE}">')
        out.write("<BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId></GrpHdr><Stmt><Id>S1</Id>")
        out.write(f"<Acct><Id><IBAN>{OUR_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n")
        for n in range(entries):
            number, debtor, amount, reference, iban = invoices[rng.randrange(len(invoices))]
            name = f"Klant {debtor} B.V."
            roll = rng.random()
            if roll < 0.35:
                remittance = (
                    "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                    f"<Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>"
                )
            elif roll < 0.60:
                remittance = f"<RmtInf><Ustrd>Factuur {number} dank u</Ustrd></RmtInf>"
            elif roll < 0.80:
                remittance = "<RmtInf><Ustrd>Betaling openstaande post</Ustrd></RmtInf>"
            elif roll < 0.85:
                pair = by_debtor[debtor][:2]
                amount = sum((p[2] for p in pair), Decimal(0))
                remittance = "<RmtInf><Ustrd>twee facturen</Ustrd></RmtInf>"
            elif roll < 0.93:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                iban = f"BE{rng.randrange(10**14):014d}"
                amount = Decimal(rng.randint(100, 99_999)) / 100
                remittance = "<RmtInf><Ustrd>onbekend</Ustrd></RmtInf>"
            elif roll < 0.98:
                out.write(_entry(n, amount, "DBIT", _detail("Leverancier", iban, "<RmtInf/>")))
                continue
            else:
                parts = [invoices[rng.randrange(len(invoices))] for _ in range(3)]
                details = "".join(
                    _detail(
                        f"Klant {p[1]}",
                        p[4],
                        f"<RmtInf><Ustrd>Factuur {p[0]}</Ustrd></RmtInf>",
                        str(p[2]),
                    )
                    for p in parts
                )
                total = sum((p[2] for p in parts), Decimal(0))
                out.write(_entry(n, total, "CRDT", f"<Btch><NbOfTxs>3</NbOfTxs></Btch>{details}"))
                continue
            out.write(_entry(n, amount, "CRDT", _detail(name, iban, remittance)))
        out.write("</Stmt></BkToCstmrStmt></Document>\n")


#: Runs a module (``-m``) or code (``-c``) and writes the process's own peak memory (VmHWM) to a
#: file at exit. ``ru_maxrss`` of a child is no good here: Linux carries the parent's peak over
#: into the child across fork and exec, and this benchmark's parent is large.
WRAPPER = """
import atexit, runpy, sys
out, mode, target = sys.argv[1:4]
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(out, "w") as f:
                    f.write(line.split()[1])
atexit.register(peak)
if mode == "-m":
    sys.argv = [target, *sys.argv[4:]]
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    sys.argv = ["-c", *sys.argv[4:]]
    exec(compile(target, "<floor>", "exec"), {"__name__": "__main__"})
"""


def measure(mode: str, target: str, args: list[str]) -> tuple[float, float, str]:
    """Run ``python -m target args`` or ``python -c target args`` in a child process; return
    (seconds, its peak resident memory in MB, its output)."""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        command = [sys.executable, "-c", WRAPPER, str(peak_file), mode, target, *args]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"{target} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("nan")
    return seconds, peak, done.stdout


def main() -> None:
    """Build the files, run the floor and the command, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--herhaal", type=int, default=3, help="aantal metingen (mediaan)")
    args = parser.parse_args()
    compile_package()  # measured as installed: see bench/compiled.py
    customers = args.customers or max(1, args.invoices // 10)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "groot.xlsx"
        statement = Path(folder) / "afschrift.xml"
        start = time.perf_counter()
        build(book, args.invoices, customers)
        from debiteuren import service

        service.update(book, AS_OF, now=datetime(2026, 11, 26, 8))
        invoices = open_invoices(book)
        write_statement(statement, args.entries, invoices, rng)
        print(
            f"werkboek: {args.invoices:,} facturen, {customers:,} klanten, "
            f"{book.stat().st_size / 1e6:.1f} MB; afschrift: {args.entries:,} boekingen, "
            f"{statement.stat().st_size / 1e6:.1f} MB "
            f"(gemaakt in {time.perf_counter() - start:.0f} s)"
        )
        work = Path(folder) / "werk.xlsx"
        floors, commands = [], []
        for _ in range(max(1, args.herhaal)):  # in turns: a slow minute slows both
            seconds, peak, _ = measure("-c", FLOOR, [str(statement)])
            floors.append({"seconds": seconds, "peak_mb": peak})
            shutil.copyfile(book, work)
            seconds, peak, output = measure(
                "-m",
                "debiteuren",
                ["betalingen", str(work), str(statement), "--peildatum", AS_OF.isoformat()],
            )
            commands.append({"seconds": seconds, "peak_mb": peak})
    bench_update = _bench_update()
    bench_update.show_turns(floors, commands)
    floor, command = bench_update.typical(floors), bench_update.typical(commands)
    floor_s, floor_mb = floor["seconds"], floor["peak_mb"]
    command_s, command_mb = command["seconds"], command["peak_mb"]
    summary = [line for line in output.splitlines() if not line.startswith("  ")][:4]
    print("uitvoer van betalingen (ingekort):")
    for line in summary:
        print(f"  {line}")
    for label, seconds, peak in (
        ("vloer: lxml iterparse van het afschrift", floor_s, floor_mb),
        ("betalingen (de hele opdracht, eigen proces)", command_s, command_mb),
    ):
        print(f"{label:<48} {seconds:7.2f} s   piek {peak:6.0f} MB")
    print(
        f"betalingen, {args.entries:,} CAMT.053-boekingen op {args.invoices:,} facturen: "
        f"{command_s / floor_s:.1f} x de vloer, piekgeheugen {command_mb:.0f} MB"
    )
    entries, invoices = (f"{n:,}".replace(",", ".") for n in (args.entries, args.invoices))
    row = f"`betalingen`, {entries} CAMT.053-boekingen op {invoices} facturen"
    bench_update.print_rows(
        [
            {
                "row": row,
                "seconds": round(command_s, 3),
                "floor_seconds": round(floor_s, 3),
                "ratio": round(command_s / floor_s, 3),
                "goal": 10,
                "peak_mb": round(command_mb),
                "floor_peak_mb": round(floor_mb),
            }
        ],
        "vloer: lxml iterparse van het afschrift",
    )


if __name__ == "__main__":
    main()
