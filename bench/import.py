"""Benchmark: read a camt.053 file with 100,000 entries and match it to 50,000 open invoices.

Usage::

    PYTHONPATH=src python bench/import.py [--entries 100000] [--invoices 50000] [--tracemalloc]

The statement is generated in a temporary directory (removed afterwards). Each phase prints its
wall-clock seconds and the process's peak resident memory so far (``ru_maxrss``, which also
counts lxml's C memory). With ``--tracemalloc`` the peak of Python allocations per phase is
printed too; tracing makes the run slower, so the seconds are then not representative.

Mix of the entries: 35 % a structured reference (OGM, betalingskenmerk or RF), 25 % an invoice
number in the text, 20 % only the payer's IBAN and an exact open amount, 5 % the total of two
invoices, 8 % nothing known, 5 % debits, 2 % batch bookings of three transactions.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from debiteuren.core.money import Decimal
from debiteuren.core.references import reference_for
from debiteuren.payments import read_statement
from debiteuren.payments.matching import InvoiceIndex, MatchStatus, OpenInvoice, match_payments

T = TypeVar("T")

OUR_IBAN = "NL91ABNA0417164300"
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def make_invoices(count: int, rng: random.Random) -> list[OpenInvoice]:
    """Make ``count`` open invoices of ``count // 10`` customers with references and IBANs."""
    invoices = []
    start = date(2024, 1, 1)
    for n in range(1, count + 1):
        customer = (n - 1) // 10
        number = f"{2024 + n % 2}-{n:06d}"
        country = "NL" if customer % 3 else ("BE" if customer % 2 else "DE")
        invoices.append(
            OpenInvoice(
                number=number,
                debtor=f"K{customer:05d}",
                open_amount=Decimal(rng.randint(1_000, 500_000)) / 100,
                due_date=start + timedelta(days=n % 700),
                references=(reference_for(number, country).value,),
                debtor_ibans=(f"NL{customer % 97:02d}BANK{customer:010d}",),
            )
        )
    return invoices


def _detail(name: str, iban: str, remittance: str, amount: str = "") -> str:
    amount_xml = f'<Amt Ccy="EUR">{amount}</Amt>' if amount else ""
    return (
        f"<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>{amount_xml}"
        f"<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id>"
        f"</DbtrAcct></RltdPties>{remittance}</TxDtls>"
    )


def _entry(n: int, amount: Decimal, indicator: str, details: str) -> str:
    day = date(2025, 1, 1) + timedelta(days=n % 60)
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"<Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<AcctSvcrRef>BENCH-{n:08d}</AcctSvcrRef><NtryDtls>{details}</NtryDtls></Ntry>\n"
    )


def write_statement(path: Path, entries: int, invoices: list[OpenInvoice], rng: random.Random):
    """Write a camt.053 file with ``entries`` entries paying random invoices."""
    by_debtor: dict[str, list[OpenInvoice]] = {}
    for invoice in invoices:
        by_debtor.setdefault(invoice.debtor, []).append(invoice)
    debtors = list(by_debtor)
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NAMESPACE}">')
        out.write("<BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId></GrpHdr><Stmt><Id>S1</Id>")
        out.write(f"<Acct><Id><IBAN>{OUR_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n")
        for n in range(entries):
            invoice = invoices[rng.randrange(len(invoices))]
            iban = invoice.debtor_ibans[0]
            name = f"Klant {invoice.debtor} B.V."
            roll = rng.random()
            amount = invoice.open_amount
            if roll < 0.35:
                reference = invoice.references[0]
                remittance = (
                    "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                    f"<Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>"
                )
            elif roll < 0.60:
                remittance = f"<RmtInf><Ustrd>Factuur {invoice.number} dank u</Ustrd></RmtInf>"
            elif roll < 0.80:
                remittance = "<RmtInf><Ustrd>Betaling openstaande post</Ustrd></RmtInf>"
            elif roll < 0.85:
                pair = by_debtor[invoice.debtor][:2]
                amount = pair[0].open_amount + pair[1].open_amount
                remittance = "<RmtInf><Ustrd>twee facturen</Ustrd></RmtInf>"
            elif roll < 0.93:
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
                        f"Klant {p.debtor}",
                        p.debtor_ibans[0],
                        f"<RmtInf><Ustrd>Factuur {p.number}</Ustrd></RmtInf>",
                        str(p.open_amount),
                    )
                    for p in parts
                )
                total = sum((p.open_amount for p in parts), Decimal(0))
                out.write(_entry(n, total, "CRDT", f"<Btch><NbOfTxs>3</NbOfTxs></Btch>{details}"))
                continue
            out.write(_entry(n, amount, "CRDT", _detail(name, iban, remittance)))
        out.write("</Stmt></BkToCstmrStmt></Document>\n")
    _ = debtors


def peak_rss_mb() -> float:
    """The process's peak resident memory in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def phase(name: str, trace: bool, action: Callable[[], T]) -> tuple[T, float]:
    """Run one phase; print its seconds, the peak RSS so far and (traced) its Python peak."""
    if trace:
        tracemalloc.reset_peak()
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    text = f"{name:<34} {seconds:7.2f} s   peak RSS {peak_rss_mb():7.1f} MB"
    if trace:
        text += f"   Python peak {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MB"
    print(text, flush=True)
    return result, seconds


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.tracemalloc:
        tracemalloc.start()
    print(f"{args.entries:,} entries, {args.invoices:,} open invoices")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench_camt053.xml"
        invoices, _ = phase(
            "generate invoices (not timed)",
            args.tracemalloc,
            lambda: make_invoices(args.invoices, rng),
        )
        phase(
            "generate statement (not timed)",
            args.tracemalloc,
            lambda: write_statement(path, args.entries, invoices, rng),
        )
        print(f"statement file: {path.stat().st_size / 2**20:.1f} MB")
        lines, parse_s = phase("parse camt.053", args.tracemalloc, lambda: read_statement(path))
        index, index_s = phase("index invoices", args.tracemalloc, lambda: InvoiceIndex(invoices))
        matches, match_s = phase(
            "match lines", args.tracemalloc, lambda: match_payments(lines, index)
        )
    total = parse_s + index_s + match_s
    counts = {status: 0 for status in MatchStatus}
    for match in matches:
        counts[match.status] += 1
    print(
        f"{'total (parse + index + match)':<34} {total:7.2f} s   peak RSS {peak_rss_mb():7.1f} MB"
    )
    print(f"{len(lines):,} lines: " + ", ".join(f"{s.value} {n:,}" for s, n in counts.items()))


if __name__ == "__main__":
    main()
