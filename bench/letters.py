"""Benchmark of the letters (issue 17 pt 4): the .docx letters and their PDFs, each against its
floor measured in the same run.

Renders the reminder for N debtors (two or three overdue invoices each) and prints two rows,
each as a ratio to its floor, with peak memory; every measurement runs in a fresh process:

- ``N brieven (.docx)``: what ``brieven`` does for them: fill every letter (the sandbox, the
  EPC QR code; a pool of processes when there is more than one core) and write the print file
  of all of them (``merge_letters``). Floor: a bare docxtpl render + save of the same template
  with the same context, letter by letter, as docxtpl is meant to be used.
- ``PDF van N brieven``: ``convert_to_pdf`` of the N letters (batches of at most 200, one
  LibreOffice per core, each converting lean copies of the letters). Floor: one
  ``soffice --convert-to pdf`` call on a batch of min(N, 200) of the same letters, its time per
  letter times N. Printed for comparison, not counted: the same batch of the lean copies
  (LibreOffice's own time for what it is given), and joining the N PDFs into the print file's
  PDF (what ``brieven`` does next).

Goal: both at most 0.5 x their floor on 2 cores. Peak memory is the largest resident size of
the measuring process or any process it started (a worker, LibreOffice). The machine may run
other work at the same time; it slows both sides of a ratio alike.

Run: ``python bench/letters.py [--debtors 1000] [--geen-pdf] [--herhaal 2]`` (``--herhaal``:
measure each that many times, taking turns, and count the fastest).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from compiled import compile_package  # bench/compiled.py, beside this script

from debiteuren.core.claim import assess_debtor
from debiteuren.core.model import Country, Creditor, Debtor, DebtorKind, Invoice, Settings, Step
from debiteuren.core.rates import builtin
from debiteuren.letters.context import LetterPlan, letter_context

CREDITOR = Creditor(
    name="Groothandel Bench B.V.",
    city="Utrecht",
    country=Country.NL,
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    registration="30123456",
)
AS_OF = date(2026, 10, 15)


def contexts(n: int) -> list[dict]:
    """Return ``n`` reminder contexts for debtors with two or three overdue invoices each."""
    out = []
    rates, settings = builtin(), Settings()
    for k in range(n):
        debtor = Debtor(
            number=f"K{k:05d}",
            name=f"Klant {k} & Zn <BV>",
            country=Country.NL,
            kind=DebtorKind.BUSINESS,
            address="Straat 1",
            postcode="1234 AB",
            city="Amsterdam",
        )
        invoices = [
            Invoice(
                number=f"F{k:05d}-{j}",
                debtor=debtor.number,
                invoice_date=AS_OF - timedelta(days=60 + 20 * j),
                due_date=AS_OF - timedelta(days=30 + 20 * j),
                amount=Decimal(100 + (k * 37 + j * 11) % 5000),
            )
            for j in range(2 + k % 2)
        ]
        claim = assess_debtor(debtor, invoices, [], [], CREDITOR, settings, rates, AS_OF)
        plan = LetterPlan(
            claim=claim,
            step=Step.REMINDER,
            invoices=tuple(i.number for i in invoices),
            sent_on=AS_OF,
        )
        out.append(letter_context(plan, CREDITOR, settings, rates))
    return out


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


# --- the measurements, each in its own process -------------------------------------------------


def measure_floor(n: int, folder: Path) -> dict:
    from docxtpl import DocxTemplate

    from debiteuren.letters.render import find_template

    template = find_template("herinnering", "nl")
    ctxs = contexts(n)
    t = time.perf_counter()
    for ctx in ctxs:
        plain = {k: v for k, v in ctx.items() if k != "_qr"}
        doc = DocxTemplate(template)
        doc.render(plain, autoescape=True)
        doc.save(io.BytesIO())
    return {"seconds": time.perf_counter() - t}


def measure_letters(n: int, folder: Path, workers: int | None = None) -> dict:
    from debiteuren.letters.compose import qr_payload
    from debiteuren.letters.render import LetterJob, find_template, merge_letters, render_letters

    template = find_template("herinnering", "nl")
    t = time.perf_counter()
    ctxs = contexts(n)
    engine = time.perf_counter() - t
    t = time.perf_counter()
    jobs = [LetterJob(template, ctx, qr_payload=qr_payload(ctx)) for ctx in ctxs]
    letters = render_letters(jobs, workers=workers)
    filled = time.perf_counter() - t
    t = time.perf_counter()
    merged = merge_letters(letters)
    merge = time.perf_counter() - t
    if workers is None:  # keep them for the PDF measurements
        folder.mkdir(parents=True, exist_ok=True)
        for k, content in enumerate(letters):
            (folder / f"K{k:05d}-herinnering.docx").write_bytes(content)
    return {
        "seconds": filled + merge,
        "engine": engine,
        "filled": filled,
        "merge": merge,
        "merged_mb": len(merged) / 1e6,
    }


def measure_pdf_floor(n: int, folder: Path, lean: bool = False) -> dict:
    from debiteuren.letters.lean import lean_copy
    from debiteuren.letters.pdf import soffice_command
    from debiteuren.letters.render import _soffice

    paths = sorted(folder.glob("*.docx"))[: min(n, 200)]
    with (
        tempfile.TemporaryDirectory() as profile,
        tempfile.TemporaryDirectory() as out,
        tempfile.TemporaryDirectory() as copies,
    ):
        t = time.perf_counter()
        if lean:  # the lean copies, made in the time measured
            cache: dict = {}
            for path in paths:
                assert lean_copy(path, Path(copies) / path.name, cache)
            paths = sorted(Path(copies).glob("*.docx"))
        command = soffice_command(_soffice(), Path(profile), paths, Path(out))
        subprocess.run(command, capture_output=True, check=True)
        seconds = time.perf_counter() - t
        made = len(list(Path(out).glob("*.pdf")))
    if made != len(paths):
        raise SystemExit(f"de vloer maakte {made} van {len(paths)} pdf's")
    return {"seconds": seconds / len(paths) * n, "batch": len(paths), "batch_seconds": seconds}


def measure_pdf(n: int, folder: Path) -> dict:
    from debiteuren.letters.pdf import cpu_count, join
    from debiteuren.letters.render import convert_to_pdf

    paths = sorted(folder.glob("*.docx"))[:n]
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        made = convert_to_pdf(paths, Path(out))
        seconds = time.perf_counter() - t
        assert made is not None and len(made) == n
        t = time.perf_counter()
        join(made, Path(out) / "alle-brieven.pdf")
        joined = time.perf_counter() - t
    return {"seconds": seconds, "instances": cpu_count(), "join": joined}


MEASURES = {
    "floor": measure_floor,
    "letters": measure_letters,
    "letters-1": lambda n, folder: measure_letters(n, folder, workers=1),
    "pdf-floor": measure_pdf_floor,
    "pdf-floor-lean": lambda n, folder: measure_pdf_floor(n, folder, lean=True),
    "pdf": measure_pdf,
}


def _child(name: str, n: int, folder: Path) -> dict:
    result = MEASURES[name](n, folder)
    result["peak_mb"] = _peak_mb()
    return result


def run(name: str, n: int, folder: Path) -> dict:
    """Run one measurement in a fresh process and return what it printed."""
    out = subprocess.run(
        [sys.executable, __file__, "--debtors", str(n), "--meet", name, "--map", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(results: list[dict]) -> dict:
    """Return the fastest of repeated measurements (its own figures), with the largest peak."""
    fastest = dict(min(results, key=lambda r: r["seconds"]))
    fastest["peak_mb"] = max(r["peak_mb"] for r in results)
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debtors", type=int, default=1000)
    parser.add_argument("--geen-pdf", action="store_true", help="sla de PDF-metingen over")
    parser.add_argument(
        "--herhaal", type=int, default=1, help="meet elk zo vaak, om en om; de snelste telt"
    )
    parser.add_argument("--meet", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--map", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    compile_package()  # measured as installed: see bench/compiled.py
    n = args.debtors
    if args.meet:
        print(json.dumps(_child(args.meet, n, args.map)))
        return
    from debiteuren.letters.pdf import cpu_count

    def ms(seconds: float) -> str:
        return f"{seconds / n * 1000:6.1f} ms"

    with tempfile.TemporaryDirectory(prefix="bench-letters-") as scratch:
        folder = Path(scratch) / "brieven"
        rounds = [
            {name: run(name, n, folder) for name in ("floor", "letters", "letters-1")}
            for _ in range(max(args.herhaal, 1))
        ]
        floor, ours, alone = (
            best([r[k] for r in rounds]) for k in ("floor", "letters", "letters-1")
        )
        print(
            f"{n} brieven (herinnering, 2 of 3 facturen per klant), {cpu_count()} kernen, "
            f"de snelste van {len(rounds)} keer"
        )
        print(f"claims en briefcontext berekenen:        {ms(ours['engine'])} per brief")
        print(
            f"vloer: docxtpl kaal (render + save):     {ms(floor['seconds'])} per brief, "
            f"piek {floor['peak_mb']:.0f} MB"
        )
        print(
            f"{n} brieven (.docx):                    {ms(ours['seconds'])} per brief "
            f"({ours['seconds'] / floor['seconds']:.2f} x de vloer), piek {ours['peak_mb']:.0f} MB"
        )
        print(f"  waarvan vullen + EPC-QR (pool):        {ms(ours['filled'])} per brief")
        print(
            f"  waarvan afdrukbestand ({ours['merged_mb']:.1f} MB):       "
            f"{ms(ours['merge'])} per brief"
        )
        print(
            f"  ter vergelijking in één proces:        {ms(alone['seconds'])} per brief "
            f"({alone['seconds'] / floor['seconds']:.2f} x de vloer)"
        )
        _bench_line(f"{n} brieven (.docx)", ours, floor)
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if args.geen_pdf or office is None:
            return
        names = ("pdf-floor", "pdf", "pdf-floor-lean")
        pdf_rounds = [
            {name: run(name, n, folder) for name in names} for _ in range(max(args.herhaal, 1))
        ]
        pfloor, pours, plean = (best([r[k] for r in pdf_rounds]) for k in names)
        print(
            f"vloer: één soffice-batch ({pfloor['batch']} brieven) x {n}: "
            f"{ms(pfloor['seconds'])} per brief, piek {pfloor['peak_mb']:.0f} MB"
        )
        print(
            f"PDF van {n} brieven ({pours['instances']} LibreOffice naast elkaar): "
            f"{ms(pours['seconds'])} per brief "
            f"({pours['seconds'] / pfloor['seconds']:.2f} x de vloer), "
            f"piek {pours['peak_mb']:.0f} MB"
        )
        print(
            f"  ter vergelijking: één batch van de slanke kopieën: {ms(plean['seconds'])} per "
            f"brief ({pours['seconds'] / plean['seconds']:.2f} x die batch)"
        )
        print(f"  daarna het afdrukbestand als één PDF:   {ms(pours['join'])} per brief")
        _bench_line(f"PDF van {n} brieven", pours, pfloor)


def _bench_line(row: str, ours: dict, floor: dict) -> None:
    """Print the row for bench/all.py: ``BENCH`` and a JSON object (seconds for all letters)."""
    figures = {
        "row": row,
        "seconds": ours["seconds"],
        "floor_seconds": floor["seconds"],
        "ratio": ours["seconds"] / floor["seconds"],
        "goal": 0.5,
        "peak_mb": ours["peak_mb"],
    }
    print("BENCH " + json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
