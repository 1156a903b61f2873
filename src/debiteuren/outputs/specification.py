"""The specification of a claim handed over: ``specificatie.xlsx`` and ``specificatie.docx``.

Per invoice: dates, principal, payments and how each was allocated (costs, interest,
principal), the interest per period with its rate and the rate's official publication, the
capitalisations, the costs with their legal basis, and the total. Every citation comes from the
debtor's country rules (``core/rules``): a Belgian specification cites Belgian law, a Dutch one
Dutch law. The dossier is in Dutch.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from ..core.claim import InvoiceClaim
from ..core.model import Creditor, Debtor, DebtorKind, Payment
from ..core.money import Decimal, total
from ..core.rules import citation, law_statement, rate_citation, rules_for
from ..formatting import country_name, euro, short_date
from ..untrusted import without_direction_controls
from ..workbook.cells import set_value, text_only
from ..workbook.files import atomic_write
from ..workbook.write import page_setup
from .tables import BOLD, Col, a4_document, docx_table, docx_text, put, write_table

__all__ = ["DOSSIER_LANGUAGE", "SUMMARY", "Specification", "write_docx", "write_xlsx"]

#: The dossier (agency letter, specification, notes) is in Dutch; citations follow it.
DOSSIER_LANGUAGE = "nl"


@dataclass(frozen=True, slots=True, kw_only=True)
class Specification:
    """Everything the specification shows, computed once for the .xlsx and the .docx.

    Attributes:
      gaps: invoice -> why the law does not allow its costs yet (handed over with ``--toch``).
      not_claimed: the debtor's law's word for those costs.
    """

    creditor: Creditor
    debtor: Debtor
    as_of: date
    dossier: str
    to: str
    invoices: tuple[InvoiceClaim, ...]
    payments: tuple[Payment, ...]
    interest_text: str
    day_count: str
    notes: tuple[str, ...]
    gaps: dict[str, str]
    not_claimed: str

    @property
    def total(self) -> Decimal:
        return total(c.outstanding for c in self.invoices)

    def cite(self, what: str) -> str:
        """Return the debtor's law's citation of ``what`` (``allocation``, ``capitalisation``)."""
        return citation(rules_for(self.debtor, self.creditor), what, DOSSIER_LANGUAGE)


SUMMARY = (
    Col("Factuurnr", "text", 14),
    Col("Factuurdatum", "date", 15),  # 13 broke the bold header as "Factuurdatu/m"
    Col("Vervaldatum", "date", 13),
    Col("Omschrijving", "text", 32),
    Col("Hoofdsom", "money", 14),
    Col("Betaald", "money", 14),
    Col("Open hoofdsom", "money", 14),
    Col("Open rente", "money", 14),
    Col("Open kosten", "money", 14),
    Col("Totaal", "money", 14),
)
_INTEREST = (
    Col("Factuurnr", "text", 14),
    Col("Van", "date", 12),
    Col("Tot en met", "date", 12),
    Col("Dagen", "", 8),
    Col("Grondslag", "money", 14),
    Col("Rente %", "rate", 9),
    Col("Rente", "money", 12),
    Col("Bron van de rentevoet", "text", 90),
)
_CAPITALISED = (
    Col("Factuurnr", "text", 14),
    Col("Op", "date", 12),
    Col("Bij de hoofdsom", "money", 16),
    Col("Nieuwe grondslag", "money", 16),
)
_COSTS = (
    Col("Factuurnr", "text", 14),
    Col("Datum", "date", 12),
    Col("Bedrag", "money", 12),
    Col("Grondslag", "text", 100),
)
_ALLOCATED = (
    Col("Factuurnr", "text", 14),
    Col("Datum", "date", 12),
    Col("Aangeboden", "money", 14),
    Col("Naar kosten", "money", 14),
    Col("Naar rente", "money", 14),
    Col("Naar hoofdsom", "money", 14),
    Col("Rest (andere facturen)", "money", 18),
)
_RECEIVED = (
    Col("Datum", "date", 12),
    Col("Bedrag", "money", 14),
    Col("Factuurnr", "text", 14),
    Col("Mededeling", "text", 40),
    Col("Bron", "text", 14),
)


def _summary_rows(spec: Specification) -> list[list[object]]:
    rows = [
        [
            c.invoice.number,
            c.invoice.invoice_date,
            c.invoice.due_date,
            c.invoice.description,
            c.invoice.amount,
            c.statement.paid,
            c.principal_open,
            c.interest_open,  # with the interest capitalised (NL): the row adds up to Totaal
            c.statement.costs_open,
            c.outstanding,
        ]
        for c in spec.invoices
    ]
    return rows


def write_xlsx(spec: Specification, target: Path) -> None:
    """Write ``specificatie.xlsx``: a summary sheet and one sheet per kind of detail."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Samenvatting"
    c = spec.creditor
    info = [
        ("Specificatie van de vordering", None),
        ("Schuldeiser", f"{c.name}, {c.address}, {c.postcode} {c.city}"),
        ("Debiteur", f"{spec.debtor.name} ({spec.debtor.number})"),
        ("Toepasselijk recht", law_statement(spec.debtor, spec.creditor)),
        ("Peildatum", spec.as_of),
        ("Dossier", spec.dossier),
        ("Overgedragen aan", spec.to or "–"),
        (
            "Rente",
            f"{spec.interest_text} ({spec.day_count})" if spec.interest_text else "geen rente",
        ),
        (
            "Toerekening",
            f"betalingen gaan naar kosten, dan rente, dan hoofdsom ({spec.cite('allocation')})",
        ),
    ]
    for i, (label, value) in enumerate(info, 1):
        put(ws, i, 1, label, font=BOLD)
        put(ws, i, 2, value)
    ws["A1"].font = Font(bold=True, size=14)
    rows = _summary_rows(spec)
    totals = {k: total(r[k] for r in rows) for k in range(4, 10)}  # type: ignore[misc]
    write_table(ws, SUMMARY, rows, top=len(info) + 2, widen=False, totals=totals, fit_header=True)
    ws.column_dimensions["A"].width = max(len(label) for label, _ in info[1:]) + 2
    page_setup(ws, header_rows=0)
    details = [
        (
            "Rente",
            _INTEREST,
            [
                [
                    c.invoice.number,
                    p.start,
                    p.end,
                    p.days,
                    p.base,
                    p.rate,
                    p.interest,
                    rate_citation(p.rate_row, DOSSIER_LANGUAGE),
                ]
                for c in spec.invoices
                for p in c.statement.periods
            ],
        ),
        (
            "Kapitalisaties",
            _CAPITALISED,
            [
                [c.invoice.number, k.on, k.amount, k.base_after]
                for c in spec.invoices
                for k in c.statement.capitalisations
            ],
        ),
        (
            "Kosten",
            _COSTS,
            [
                [c.invoice.number, k.on, k.amount, k.description]
                for c in spec.invoices
                for k in c.statement.charges
            ],
        ),
        (
            "Betalingen",
            _ALLOCATED,
            [
                [
                    c.invoice.number,
                    a.on,
                    a.amount,
                    a.to_costs,
                    a.to_interest,
                    a.to_principal,
                    a.surplus,
                ]
                for c in spec.invoices
                for a in c.statement.allocations
            ],
        ),
        (
            "Ontvangen",
            _RECEIVED,
            [[p.on, p.amount, p.invoice, _told(p), p.source] for p in spec.payments],
        ),
    ]
    for title, columns, detail in details:
        sheet = wb.create_sheet(title)
        write_table(sheet, columns, detail, widen=False, fit_header=True)
        page_setup(sheet)
    notes = wb.create_sheet("Opmerkingen")
    notes.column_dimensions["A"].width = 120
    for i, text in enumerate(spec.notes or ("Geen opmerkingen.",), 1):
        put(notes, i, 1, text)
        notes.cell(row=i, column=1).alignment = Alignment(wrap_text=True)
    page_setup(notes, header_rows=0)
    _without_direction_controls(wb)
    atomic_write(target, lambda tmp: text_only(wb).save(tmp))


def _without_direction_controls(wb: openpyxl.Workbook) -> None:
    """Drop the direction controls from every text of the workbook, as the Word specification
    does (:func:`~.tables.docx_text`): a customer name ``Jansen \u202e`` showed the rest of the
    cell reversed, and the Debiteur line "naam (K012)" read "naam )210K(" for the agency; a
    name could so show another Klantnr than the one written."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    shown = without_direction_controls(cell.value)
                    if shown != cell.value:
                        set_value(cell, shown)


def write_docx(spec: Specification, target: Path) -> None:
    """Write ``specificatie.docx`` (A4 landscape): the claim per invoice, in full."""
    doc = _document()
    doc.add_paragraph("Specificatie van de vordering", style="Title")
    c, d = spec.creditor, spec.debtor
    kind = "consument" if d.kind is DebtorKind.CONSUMER else "onderneming"
    registration = f"; KvK/KBO {c.registration}" if c.registration else ""
    to = f"; overgedragen aan {spec.to}" if spec.to else ""
    interest = f"{spec.interest_text}; dagtelling {spec.day_count}"
    for caption, text in (
        ("Schuldeiser", f"{c.name}, {c.address}, {c.postcode} {c.city}{registration}"),
        (
            "Debiteur",
            f"{d.name} (klantnr {d.number}), {d.address}, {d.postcode} {d.city}, "
            f"{country_name(d.country)}; {kind}",
        ),
        ("Toepasselijk recht", law_statement(d, c)),
        ("Peildatum", short_date(spec.as_of)),
        ("Dossier", spec.dossier + to),
        ("Rente", interest if spec.interest_text else "geen rente"),
    ):
        p = doc.add_paragraph()
        p.add_run(f"{caption}: ").bold = True
        p.add_run(docx_text(text))
    doc.add_paragraph("Overzicht per factuur", style="Heading 1")
    _overview_table(doc, spec)
    for claim in spec.invoices:
        _invoice_section(doc, spec, claim)
    if spec.payments:
        doc.add_paragraph("Ontvangen betalingen", style="Heading 1")
        rows = [(short_date(p.on), euro(p.amount), p.invoice, _told(p)) for p in spec.payments]
        _grid(doc, ("Datum", "Bedrag", "Factuur", "Mededeling"), rows, (2.3, 2.6, 3.0, 18.5), (1,))
    doc.add_paragraph("Opmerkingen", style="Heading 1")
    for text in spec.notes or ("Geen opmerkingen.",):
        doc.add_paragraph(docx_text(text), style="List Bullet")
    p = doc.add_paragraph()
    p.add_run(f"Totaal te vorderen per {short_date(spec.as_of)}: {euro(spec.total)}").bold = True
    doc.add_paragraph(
        f"Betalingen worden toegerekend aan kosten, dan rente, dan hoofdsom "
        f"({spec.cite('allocation')}); bedragen in euro, per factuur afgerond op centen."
    )
    out = io.BytesIO()
    doc.save(out)
    atomic_write(target, lambda tmp: tmp.write_bytes(out.getvalue()))


def _document():
    """Return an empty A4 landscape document with the dossier's fonts."""
    from docx.shared import Pt

    doc = a4_document(landscape=True, side=1.6, top=1.4, size=9, after=2)
    for name, size in (("Title", 16), ("Heading 1", 12), ("Heading 2", 10)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(8)
        style.paragraph_format.space_after = Pt(3)
    return doc


def _grid(doc, headers, rows, widths, right=(), bold_last: bool = False) -> None:
    docx_table(doc, headers, rows, widths, right=right, bold_last=bold_last, repeat_header=True)


def _label(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.add_run(text).italic = True


def _overview_table(doc, spec: Specification) -> None:
    money = euro
    rows = [
        (
            c.invoice.number,
            short_date(c.invoice.invoice_date),
            short_date(c.invoice.due_date),
            money(c.invoice.amount),
            money(c.statement.paid),
            money(c.principal_open),
            money(c.interest_open),
            money(c.statement.costs_open),
            money(c.outstanding),
        )
        for c in spec.invoices
    ]
    sums = [
        total(c.invoice.amount for c in spec.invoices),
        total(c.statement.paid for c in spec.invoices),
        total(c.principal_open for c in spec.invoices),
        total(c.interest_open for c in spec.invoices),
        total(c.statement.costs_open for c in spec.invoices),
    ]
    rows.append(("Totaal", "", "", *(money(x) for x in sums), money(spec.total)))
    headers = (
        "Factuur",
        "Factuurdatum",
        "Vervaldatum",
        "Hoofdsom",
        "Betaald",
        "Open hoofdsom",
        "Open rente",
        "Open kosten",
        "Totaal",
    )
    widths = (3.2, 2.6, 2.6, 2.8, 2.8, 3.0, 2.6, 2.6, 3.2)
    _grid(doc, headers, rows, widths, right=(3, 4, 5, 6, 7, 8), bold_last=True)


#: Under an invoice's payments with a refund that took principal paid back (``Ledger.reopen``).
REOPENED = (
    "Een bedrag met een min is geld dat aan de klant is terugbetaald: wat het op deze factuur "
    "betaald had (hoofdsom, rente, kosten), staat vanaf die dag weer open."
)


def _told(payment: Payment) -> str:
    """Return a payment's Mededeling; a refund to the customer (a negative amount) says so."""
    if payment.amount >= 0:
        return payment.text
    return "terugbetaald aan de klant" + (f": {payment.text}" if payment.text else "")


def _invoice_section(doc, spec: Specification, c: InvoiceClaim) -> None:
    """One invoice: interest per period, capitalisations, costs, payments and the total."""
    money, st = euro, c.statement
    title = f"Factuur {c.invoice.number}" + (
        f" – {c.invoice.description}" if c.invoice.description else ""
    )
    doc.add_paragraph(docx_text(title), style="Heading 2")
    start = (
        f" Eerste rentedag {short_date(st.start + timedelta(days=1))}."
        if c.interest_start
        else " Er loopt geen rente."
    )
    doc.add_paragraph(
        f"Factuurdatum {short_date(c.invoice.invoice_date)}, vervaldatum "
        f"{short_date(c.invoice.due_date)}, hoofdsom {money(c.invoice.amount)}.{start}"
    )
    if st.periods:
        _label(doc, "Rente per periode")
        rows = [
            (
                short_date(p.start),
                short_date(p.end),
                p.days,
                money(p.base),
                f"{p.rate:.2f}".replace(".", ","),
                money(p.interest),
                rate_citation(p.rate_row, DOSSIER_LANGUAGE),
            )
            for p in st.periods
        ]
        headers = (
            "Van",
            "Tot en met",
            "Dagen",
            "Grondslag",
            "Rente %",
            "Rente",
            "Bron van de rentevoet",
        )
        _grid(doc, headers, rows, (2.3, 2.3, 1.5, 2.6, 1.9, 2.3, 13.6), right=(2, 3, 4, 5))
    for k in st.capitalisations:
        doc.add_paragraph(
            f"Kapitalisatie op {short_date(k.on)}: {money(k.amount)} rente bij de hoofdsom; "
            f"nieuwe grondslag {money(k.base_after)} ({spec.cite('capitalisation')})."
        )
    if st.charges:
        _label(doc, "Kosten en hun wettelijke grondslag")
        rows = [(short_date(k.on), money(k.amount), k.description) for k in st.charges]
        _grid(doc, ("Datum", "Kosten", "Grondslag"), rows, (2.3, 2.3, 21.8), right=(1,))
    if st.allocations:
        _label(doc, "Betalingen en hun toerekening (kosten, dan rente, dan hoofdsom)")
        rows = [
            (
                short_date(a.on),
                money(a.amount),
                money(a.to_costs),
                money(a.to_interest),
                money(a.to_principal),
                money(a.surplus),
            )
            for a in st.allocations
        ]
        headers = (
            "Datum",
            "Aangeboden",
            "Naar kosten",
            "Naar rente",
            "Naar hoofdsom",
            "Rest (andere facturen)",
        )
        _grid(doc, headers, rows, (2.3, 3.0, 3.0, 3.0, 3.0, 4.0), right=(1, 2, 3, 4, 5))
        if any(a.amount < 0 for a in st.allocations):
            doc.add_paragraph(REOPENED)
    if c.invoice.number in spec.gaps:
        p = doc.add_paragraph()
        p.add_run(f"Geen {spec.not_claimed} gevorderd: ").bold = True
        p.add_run(spec.gaps[c.invoice.number] + ".")
    p = doc.add_paragraph()
    p.add_run(f"Totaal factuur {c.invoice.number}: {money(c.outstanding)}").bold = True
    p.add_run(
        f" (open hoofdsom {money(c.principal_open)}, rente {money(c.interest_open)}, kosten "
        f"{money(st.costs_open)})."
    )
