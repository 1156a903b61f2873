"""Benchmark of letter rendering (issue: letters).

Renders the reminder for 1,000 debtors and prints the time per letter for:

- the floor: a bare docxtpl render (autoescape, its default Jinja environment) + save of the
  same template with the same context;
- ``debiteuren``: the letter context from the engine's claim, the EPC QR code and the sandboxed,
  autoescaped render (``render_letter``);
- the merged print file (``merge_letters``) of all letters.

Target: ``debiteuren`` at most 1.5 x the floor. Run: ``python bench/letters.py [--debtors 1000]``.
"""

from __future__ import annotations

import argparse
import io
import time
from datetime import date, timedelta
from decimal import Decimal

from docxtpl import DocxTemplate

from debiteuren.core.claim import assess_debtor
from debiteuren.core.model import Country, Creditor, Debtor, DebtorKind, Invoice, Settings, Step
from debiteuren.core.rates import builtin
from debiteuren.letters.context import LetterPlan, letter_context
from debiteuren.letters.render import find_template, merge_letters, render_letter
from debiteuren.service.letters import _qr

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debtors", type=int, default=1000)
    args = parser.parse_args()
    template = find_template("herinnering", "nl")
    t = time.perf_counter()
    ctxs = contexts(args.debtors)
    engine = time.perf_counter() - t

    t = time.perf_counter()
    for ctx in ctxs:
        plain = {k: v for k, v in ctx.items() if k != "_qr"}
        doc = DocxTemplate(template)
        doc.render(plain, autoescape=True)
        doc.save(io.BytesIO())
    floor = (time.perf_counter() - t) / len(ctxs)

    t = time.perf_counter()
    rendered = [render_letter(template, ctx, qr_png=_qr(ctx)) for ctx in ctxs]
    ours = (time.perf_counter() - t) / len(ctxs)

    t = time.perf_counter()
    merged = merge_letters(rendered)
    merge = (time.perf_counter() - t) / len(ctxs)

    print(f"{len(ctxs)} brieven (herinnering, 2 of 3 facturen per klant)")
    print(f"claims en context berekenen:     {engine / len(ctxs) * 1000:.1f} ms per brief")
    print(f"docxtpl kaal (vloer):            {floor * 1000:.1f} ms per brief")
    print(
        f"debiteuren render + QR:          {ours * 1000:.1f} ms per brief "
        f"({ours / floor:.2f} x de vloer)"
    )
    print(
        f"samengevoegd afdrukbestand:      {merge * 1000:.1f} ms per brief "
        f"({len(merged) / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
