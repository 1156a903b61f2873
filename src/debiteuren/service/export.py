"""export: the accountant's view of the receivables at a date, in files anyone can open.

The workbook is only read (it may be open in Excel meanwhile); the engine computes every invoice
at the peildatum, and three files are written into one folder (default ``export-<peildatum>``
beside the workbook):

* ``debiteuren-<peildatum>.xlsx``, a workbook without macros or formulas (values only), with the
  sheets *Openstaande posten*, *Ouderdom*, *Uit handen*, *Btw-teruggaaf NL*, *BE mogelijk
  oninbaar* and *Toelichting*;
* ``openstaande-posten-<peildatum>.csv``: the open items, semicolon-separated, UTF-8 with a BOM,
  decimal comma, dates as dd-mm-jjjj; a text cell that a spreadsheet could run as a formula
  (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``;
* ``samenvatting-<peildatum>.pdf``: one page with the totals (made from a .docx by LibreOffice;
  without LibreOffice the .docx is kept instead).

The figures reconcile: per invoice, *Totaal open* = *Open hoofdsom* + (*Rente berekend* −
*Rente ontvangen*) + (*Kosten berekend* − *Kosten ontvangen*), and *Hoofdsom* − *Open hoofdsom*
= *Betaald* − *Rente ontvangen* − *Kosten ontvangen*; the totals are the sums of the rows, and
the total open equals the Overzicht's "Totaal te vorderen" at the same peildatum.

VAT (``shared/domain/nl.md`` §7, ``be.md`` §6): a Dutch creditor may reclaim the VAT on an
invoice still unpaid one year after it became due, pro rata of the unpaid part; Belgium refunds
only a proven, definitive loss (bankruptcy judgment, homologated reorganisation, or proof that
the claim is uncollectible, booked as a loss), so Belgian claims are only listed as candidates to
review, never as refundable. A customer abroad is on neither VAT sheet: an invoice across the
border usually carries no Dutch or Belgian VAT (``core/rules/abroad.py``).
"""

from __future__ import annotations

import csv
import math
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..core import rates as rates_mod
from ..core.book import AGING_BUCKETS, Assessment, assess_book, bucket_of
from ..core.ladder import Stage
from ..core.model import Action, DayCount, Debtor, DebtorKind, Invoice, Step
from ..core.money import HUNDRED, ZERO, Decimal, round_cents, total
from ..core.rules import VatRelief, vat_relief
from ..core.sent import sent_by
from ..errors import DebiteurenError, ValidationFailed
from ..filenames import inside
from ..formatting import euro, long_date, short_date
from ..untrusted import FORMULA_START
from ..workbook import read
from ..workbook.cells import set_value, text_only
from ..workbook.files import atomic_write

__all__ = [
    "BE_REVIEW_DAYS",
    "BeCandidate",
    "ExportResult",
    "ExportSummary",
    "OpenItem",
    "VatCandidate",
    "be_candidates",
    "csv_text",
    "export",
    "nl_vat_candidates",
    "open_items",
    "summarise",
    "vat_in",
]

#: A Belgian claim this many days past its due date is listed for review ("BE mogelijk oninbaar").
BE_REVIEW_DAYS = 365
DEFAULT_VAT_RATE = Decimal(21)

MONEY_FORMAT = '"€" #,##0.00;"€" -#,##0.00'
DATE_FORMAT = "dd-mm-yyyy"
INTEGER_FORMAT = "0"
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
ITALIC = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")

SHEET_ITEMS = "Openstaande posten"
SHEET_AGING = "Ouderdom"
SHEET_HANDED_OVER = "Uit handen"
SHEET_VAT_NL = "Btw-teruggaaf NL"
SHEET_BE = "BE mogelijk oninbaar"  # Excel forbids '?' in a sheet name
SHEET_NOTES = "Toelichting"

#: Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection"),
#: with the full-width forms some Excel versions also accept.
_FORMULA_START = FORMULA_START


# --- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenItem:
    """One invoice that is (partly) unpaid at the peildatum.

    Attributes:
      days_late: days after the due date (0 when not yet due).
      bucket: index into :data:`~debiteuren.core.book.AGING_BUCKETS`.
      principal: the invoice amount (incl. VAT).
      paid: everything paid on the invoice (costs, interest and principal).
      principal_open: the unpaid part of the invoice amount (capitalised interest not included).
      interest: all interest charged up to the peildatum, capitalised interest included.
      interest_received: the interest paid, capitalised interest included.
      costs, costs_received: collection costs charged, and paid.
      outstanding: the total still owed.
      handed_over_on: the day of the hand-over action, when logged.
      vat_refund_from: NL: the day from which the VAT may be reclaimed; BE: None.
    """

    debtor: Debtor
    invoice: Invoice
    days_late: int
    bucket: int
    principal: Decimal
    paid: Decimal
    principal_open: Decimal
    interest: Decimal
    interest_received: Decimal
    costs: Decimal
    costs_received: Decimal
    outstanding: Decimal
    stage: str
    handed_over: bool
    handed_over_on: date | None = None
    handover_note: str = ""
    vat_refund_from: date | None = None

    @property
    def interest_open(self) -> Decimal:
        """Return the unpaid interest (capitalised interest included)."""
        return self.interest - self.interest_received

    @property
    def costs_open(self) -> Decimal:
        """Return the unpaid costs."""
        return self.costs - self.costs_received

    @property
    def extras_open(self) -> Decimal:
        """Return the unpaid interest and costs."""
        return self.interest_open + self.costs_open


@dataclass(frozen=True, slots=True, kw_only=True)
class VatCandidate:
    """An NL invoice whose VAT may be reclaimed as uncollectible at the peildatum.

    Attributes:
      rate: the VAT rate assumed (percent); the invoice's real rate must be checked.
      vat: the VAT in the unpaid part: ``principal_open × rate / (100 + rate)``, in cents.
    """

    item: OpenItem
    rate: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class BeCandidate:
    """A BE claim to review for a VAT refund on a definitive loss (never automatic).

    Attributes:
      reasons: why it is listed (Dutch phrases).
      vat: the VAT in the unpaid part at the assumed rate, if the loss is proven.
    """

    item: OpenItem
    reasons: tuple[str, ...]
    rate: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportSummary:
    """The totals of an export.

    Attributes:
      buckets: per aging bucket (number of invoices, open principal, total open).
      unallocated: payments and credit notes not allocated to any invoice (a credit in the
        customers' favour); not in the totals.
      skipped_invoices: invoices dated after the peildatum, left out.
    """

    per: date
    count: int
    principal_open: Decimal
    interest_open: Decimal
    costs_open: Decimal
    outstanding: Decimal
    buckets: tuple[tuple[int, Decimal, Decimal], ...]
    vat_rate: Decimal
    vat_count: int
    vat_total: Decimal
    handed_over_count: int
    handed_over_total: Decimal
    be_count: int
    be_total: Decimal
    unallocated: Decimal
    skipped_invoices: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportResult:
    """What an export wrote.

    Attributes:
      pdf: the summary page, or None when it could not be made (then ``docx`` is kept).
      note: a Dutch sentence about the PDF when it was not made; "" otherwise.
    """

    per: date
    folder: Path
    workbook: Path
    csv: Path
    pdf: Path | None
    docx: Path | None
    note: str
    summary: ExportSummary
    items: tuple[OpenItem, ...]


def _handover(stage_action: Action | None, debtor: Debtor) -> tuple[date | None, str]:
    """Return (hand-over day, note) from the ladder's last action or the Klanten flag."""
    if stage_action is not None and stage_action.step is Step.HANDOVER:
        return stage_action.on, stage_action.note
    return None, "klant staat op 'uit handen'" if debtor.handed_over else ""


def open_items(assessment: Assessment) -> list[OpenItem]:
    """Return every invoice with something still owed at the assessment's peildatum.

    Sorted by customer number, due date and invoice number.
    """
    per = assessment.as_of
    items = []
    for number in sorted(assessment.claims):
        claim = assessment.claims[number]
        for c in claim.invoices:
            st = c.statement
            if st.outstanding <= 0:
                continue
            stage = assessment.stages[number][c.invoice.number]
            capitalised = total(k.amount for k in st.capitalisations)
            capitalised_paid = capitalised - st.capitalised_open
            days = (per - c.invoice.due_date).days
            on, note = _handover(stage.last_action, claim.debtor)
            items.append(
                OpenItem(
                    debtor=claim.debtor,
                    invoice=c.invoice,
                    days_late=max(days, 0),
                    bucket=bucket_of(days),
                    principal=c.invoice.amount,
                    paid=st.paid,
                    principal_open=st.principal_open,
                    interest=st.interest,
                    interest_received=st.paid_interest + capitalised_paid,
                    costs=st.costs,
                    costs_received=st.paid_costs,
                    outstanding=st.outstanding,
                    stage=stage.stage.value,
                    handed_over=stage.stage is Stage.HANDED_OVER,
                    handed_over_on=on,
                    handover_note=note,
                    vat_refund_from=c.vat_refund,
                )
            )
    items.sort(key=lambda i: (i.debtor.number, i.invoice.due_date, i.invoice.number))
    return items


def vat_in(amount: Decimal, rate: Decimal) -> Decimal:
    """Return the VAT contained in an amount including VAT: ``amount × rate / (100 + rate)``.

    >>> vat_in(Decimal("1210.00"), Decimal(21))
    Decimal('210.00')
    """
    return round_cents(amount * rate / (HUNDRED + rate))


def nl_vat_candidates(
    items: Iterable[OpenItem], per: date, rate: Decimal = DEFAULT_VAT_RATE
) -> list[VatCandidate]:
    """Return the invoices whose VAT comes back one year after the due date (NL), whose refund
    date is on or before ``per`` and whose principal is still (partly) unpaid."""
    return [
        VatCandidate(item=i, rate=rate, vat=vat_in(i.principal_open, rate))
        for i in items
        if vat_relief(i.debtor) is VatRelief.AFTER_ONE_YEAR
        and i.vat_refund_from is not None
        and i.vat_refund_from <= per
        and i.principal_open > 0
    ]


def be_candidates(
    items: Iterable[OpenItem], rate: Decimal = DEFAULT_VAT_RATE, review_days: int = BE_REVIEW_DAYS
) -> list[BeCandidate]:
    """Return the claims to review for a VAT refund where only a proven loss gives the VAT back
    (BE): handed over, or very old.

    Args:
      review_days: a claim more than this many days past its due date is listed.
    """
    out = []
    for i in items:
        if vat_relief(i.debtor) is not VatRelief.PROVEN_LOSS or i.principal_open <= 0:
            continue
        reasons = []
        if i.handed_over:
            reasons.append("uit handen gegeven")
        if i.days_late > review_days:
            reasons.append(f"meer dan {review_days} dagen na de vervaldatum")
        if reasons:
            out.append(
                BeCandidate(
                    item=i, reasons=tuple(reasons), rate=rate, vat=vat_in(i.principal_open, rate)
                )
            )
    return out


def summarise(
    per: date,
    items: Sequence[OpenItem],
    vat: Sequence[VatCandidate],
    be: Sequence[BeCandidate],
    unallocated: Decimal = ZERO,
    skipped: int = 0,
    vat_rate: Decimal = DEFAULT_VAT_RATE,
) -> ExportSummary:
    """Return the totals of an export; every total is the sum of its rows."""
    buckets = []
    for k in range(len(AGING_BUCKETS)):
        mine = [i for i in items if i.bucket == k]
        buckets.append(
            (len(mine), total(i.principal_open for i in mine), total(i.outstanding for i in mine))
        )
    handed = [i for i in items if i.handed_over]
    return ExportSummary(
        per=per,
        count=len(items),
        principal_open=total(i.principal_open for i in items),
        interest_open=total(i.interest_open for i in items),
        costs_open=total(i.costs_open for i in items),
        outstanding=total(i.outstanding for i in items),
        buckets=tuple(buckets),
        vat_rate=vat_rate,
        vat_count=len(vat),
        vat_total=total(v.vat for v in vat),
        handed_over_count=len(handed),
        handed_over_total=total(i.outstanding for i in handed),
        be_count=len(be),
        be_total=total(b.item.principal_open for b in be),
        unallocated=unallocated,
        skipped_invoices=skipped,
    )


# --- the use case -------------------------------------------------------------------------------


#: A peildatum for validation that no real date passes (dates after ``per`` are filtered instead).
_NO_FUTURE_CHECK = date(9999, 1, 1)


def _read(path: Path, per: date) -> tuple[read.WorkbookData, Assessment, int]:
    """Read and assess the workbook at ``per``, leaving out what is dated after it.

    Dates after the peildatum are no error here (the export may look back), so the workbook is
    validated without that check; invoices, payments and actions after ``per`` are left out.
    """
    tables = read.load_tables(path, engine=read.fastest_engine())
    data, issues = read.convert_tables(tables, _NO_FUTURE_CHECK)
    if issues:
        raise ValidationFailed(issues)
    rates = rates_mod.builtin().with_rows(data.rate_rows)
    invoices = [i for i in data.invoices if i.invoice_date <= per]
    skipped = len(data.invoices) - len(invoices)
    actions = [a for a in data.actions if sent_by(a, per)]
    data = replace(
        data,
        invoices=invoices,
        payments=[p for p in data.payments if p.on <= per],
        actions=actions,
        debtors=_handed_over_by(data.debtors, data.actions, per),
    )
    assessment = assess_book(
        data.debtors,
        data.invoices,
        data.payments,
        data.actions,
        data.plans,
        data.creditor,
        data.settings,
        rates,
        per,
    )
    return data, assessment, skipped


def _handed_over_by(
    debtors: dict[str, Debtor], actions: Sequence[Action], per: date
) -> dict[str, Debtor]:
    """Return the debtors as they stood on ``per``: "Uit handen" only when handed over by then.

    The Klanten flag says what is true today. A customer whose overdracht rows in Acties all lie
    after ``per`` was not handed over yet on ``per``; a flag without any overdracht row (set by
    hand) has no date and is kept.
    """
    handovers: dict[str, list[Action]] = {}
    for a in actions:
        if a.step is Step.HANDOVER:
            handovers.setdefault(a.debtor, []).append(a)
    out = dict(debtors)
    for number, debtor in debtors.items():
        rows = handovers.get(number)
        if debtor.handed_over and rows and not any(sent_by(a, per) for a in rows):
            out[number] = replace(debtor, handed_over=False)
    return out


def export(
    path: str | Path,
    per: date,
    *,
    out_dir: Path | None = None,
    vat_rate: Decimal = DEFAULT_VAT_RATE,
) -> ExportResult:
    """Write the accountant's export of the receivables at ``per``.

    Args:
      path: the workbook; it is only read.
      per: the peildatum: interest up to and including this day; invoices, payments and
        letters dated after it are left out.
      out_dir: the folder for the files; default ``export-<per>`` beside the workbook.
      vat_rate: the VAT percentage assumed for the VAT columns (default 21).
    Returns:
      The files written and the totals.
    """
    path = Path(path)
    data, assessment, skipped = _read(path, per)
    items = open_items(assessment)
    vat = nl_vat_candidates(items, per, vat_rate)
    be = be_candidates(items, vat_rate)
    unallocated = total(c.unallocated for c in assessment.claims.values())
    summary = summarise(per, items, vat, be, unallocated, skipped, vat_rate)
    folder = Path(out_dir) if out_dir is not None else path.parent / f"export-{per.isoformat()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DebiteurenError(
            f"De map {folder} kan niet gemaakt worden ({exc.strerror or exc}); kies een andere "
            "map met --map."
        ) from None
    context = _Context(
        source=path.name, creditor=data.creditor.name, day_count=data.settings.day_count, per=per
    )
    book_path = inside(folder, f"debiteuren-{per.isoformat()}.xlsx")
    csv_path = inside(folder, f"openstaande-posten-{per.isoformat()}.csv")
    book = _workbook(items, vat, be, summary, context, csv_path.name)
    _unmatched_receipts_sheet(book, data.to_review, per)
    atomic_write(book_path, lambda tmp: text_only(book).save(tmp))
    atomic_write(csv_path, lambda tmp: _write_csv(tmp, items))
    pdf, docx, note = _summary_pdf(folder, summary, context, book_path.name, csv_path.name)
    return ExportResult(
        per=per,
        folder=folder,
        workbook=book_path,
        csv=csv_path,
        pdf=pdf,
        docx=docx,
        note=note,
        summary=summary,
        items=tuple(items),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Context:
    source: str
    creditor: str
    day_count: DayCount
    per: date


# --- the open items as rows ---------------------------------------------------------------------

#: (header, kind) of the open-items table; kind: text, date, int, money.
ITEM_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("Klantnr", "text", 10),
    ("Klant", "text", 30),
    ("Land", "text", 6),
    ("Soort", "text", 13),
    ("Factuurnr", "text", 13),
    ("Omschrijving", "text", 30),
    ("Factuurdatum", "date", 13),
    ("Vervaldatum", "date", 13),
    ("Dagen te laat", "int", 9),
    ("Ouderdom", "text", 14),
    ("Hoofdsom", "money", 13),
    ("Betaald", "money", 13),
    ("Open hoofdsom", "money", 13),
    ("Rente berekend", "money", 13),
    ("Rente ontvangen", "money", 13),
    ("Kosten berekend", "money", 13),
    ("Kosten ontvangen", "money", 13),
    ("Totaal open", "money", 13),
    ("Fase", "text", 13),
    ("Uit handen", "text", 9),
)


def _kind(debtor: Debtor) -> str:
    return "Consument" if debtor.kind is DebtorKind.CONSUMER else "Onderneming"


def item_row(item: OpenItem) -> list[object]:
    """Return an open item's values in the order of :data:`ITEM_COLUMNS`."""
    return [
        item.debtor.number,
        item.debtor.name,
        str(item.debtor.country),
        _kind(item.debtor),
        item.invoice.number,
        item.invoice.description,
        item.invoice.invoice_date,
        item.invoice.due_date,
        item.days_late,
        AGING_BUCKETS[item.bucket][0],
        item.principal,
        item.paid,
        item.principal_open,
        item.interest,
        item.interest_received,
        item.costs,
        item.costs_received,
        item.outstanding,
        item.stage,
        "Ja" if item.handed_over else "Nee",
    ]


def csv_text(value: str) -> str:
    """Return a text cell for a CSV file with spreadsheet formula injection neutralised.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a full-width
    ``＝ ＋ － ＠``) gets a leading apostrophe, so Excel and LibreOffice show it as text.

    >>> csv_text('=HYPERLINK("http://x","y")'), csv_text("Jansen")
    ('\\'=HYPERLINK("http://x","y")', 'Jansen')
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return short_date(value)
    return csv_text(str(value))


def _write_csv(target: Path, items: Sequence[OpenItem]) -> None:
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow([csv_text(h) for h, _, _ in ITEM_COLUMNS])
        for item in items:
            writer.writerow([_csv_value(v) for v in item_row(item)])


# --- the workbook -------------------------------------------------------------------------------


def _put(
    ws: Worksheet, row: int, col: int, value: object, kind: str = "", font: Font | None = None
) -> None:
    """Write a value (never a formula): text stays text even when it starts with '='."""
    cell = ws.cell(row=row, column=col)
    set_value(cell, value)
    if kind == "money" or (not kind and isinstance(value, Decimal)):
        cell.number_format = MONEY_FORMAT
    elif kind == "date" or (not kind and isinstance(value, date)):
        cell.number_format = DATE_FORMAT
    elif kind == "int":
        cell.number_format = INTEGER_FORMAT
    elif kind == "percent":
        cell.number_format = "0%" if value == round(value, 2) else "0.0%"  # type: ignore[arg-type]
    if font is not None:
        cell.font = font


def _title(ws: Worksheet, title: str, context: _Context, lines: Sequence[str] = ()) -> int:
    """Write the sheet's title, the peildatum and explanatory lines; return the next row."""
    _put(ws, 1, 1, title, font=TITLE)
    _put(
        ws,
        2,
        1,
        f"{context.creditor} — peildatum {short_date(context.per)} — bron: {context.source}",
        font=ITALIC,
    )
    row = 3
    for line in lines:
        _put(ws, row, 1, line)
        row += 1
    ws.oddHeader.center.text = f"{title} per {short_date(context.per)}"
    ws.oddFooter.center.text = "Pagina &P van &N"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return row + 1


def _table(
    ws: Worksheet,
    row: int,
    columns: Sequence[tuple[str, str, float]],
    rows: Sequence[Sequence[object]],
    name: str,
    totals: dict[int, object] | None = None,
    empty: str = "",
) -> int:
    """Write a header, the rows and an optional totals row; return the row after it.

    Args:
      totals: column index (0-based) -> value for the "Totaal" row below the rows.
    """
    for col, (header, _, width) in enumerate(columns, 1):
        _put(ws, row, col, header, font=BOLD)
        cell = ws.cell(row=row, column=col)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(col)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(width, current)
    header_row = row
    lines = max(math.ceil(len(header) * 1.15 / width) for header, _, width in columns)
    ws.row_dimensions[header_row].height = 15 * max(lines, 1)
    for values in rows:
        row += 1
        for col, ((_, kind, _), value) in enumerate(zip(columns, values, strict=True), 1):
            _put(ws, row, col, value, kind)
    if rows:
        ref = f"A{header_row}:{get_column_letter(len(columns))}{row}"
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(table)
    else:
        row += 1
        _put(ws, row, 1, empty or "Geen.", font=ITALIC)
    if totals is not None and rows:
        row += 1
        _put(ws, row, 1, "Totaal", font=BOLD)
        for index, value in totals.items():
            _put(ws, row, index + 1, value, columns[index][1], BOLD)
    return row + 2


def _money_totals(
    columns: Sequence[tuple[str, str, float]],
    rows: Sequence[Sequence[object]],
) -> dict[int, object]:
    return {
        k: total(r[k] for r in rows)  # type: ignore[misc]
        for k, (_, kind, _) in enumerate(columns)
        if kind == "money"
    }


def _workbook(
    items: Sequence[OpenItem],
    vat: Sequence[VatCandidate],
    be: Sequence[BeCandidate],
    summary: ExportSummary,
    context: _Context,
    csv_name: str,
) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.properties.creator = "debiteuren"
    book.properties.title = f"Debiteuren per {short_date(context.per)}"
    ws = book.active
    ws.title = SHEET_ITEMS
    _items_sheet(ws, items, context)
    _aging_sheet(book.create_sheet(SHEET_AGING), items, summary, context)
    _handed_over_sheet(book.create_sheet(SHEET_HANDED_OVER), items, context)
    _vat_sheet(book.create_sheet(SHEET_VAT_NL), vat, summary, context)
    _be_sheet(book.create_sheet(SHEET_BE), be, summary, context)
    _notes_sheet(book.create_sheet(SHEET_NOTES), summary, context, csv_name)
    return book


def _items_sheet(ws: Worksheet, items: Sequence[OpenItem], context: _Context) -> None:
    row = _title(
        ws,
        "Openstaande posten",
        context,
        [
            "Eén rij per factuur met een openstaand bedrag op de peildatum. Uitleg van de kolommen: "
            "zie het blad Toelichting.",
        ],
    )
    rows = [item_row(i) for i in items]
    _table(
        ws,
        row,
        ITEM_COLUMNS,
        rows,
        "tblOpenstaandePosten",
        _money_totals(ITEM_COLUMNS, rows),
        "Geen openstaande posten op de peildatum.",
    )
    ws.freeze_panes = ws.cell(row=row + 1, column=3)


def _aging_sheet(
    ws: Worksheet, items: Sequence[OpenItem], summary: ExportSummary, context: _Context
) -> None:
    row = _title(
        ws,
        "Ouderdom",
        context,
        [
            "Indeling naar dagen na de vervaldatum op de peildatum. 'Open hoofdsom' is het onbetaalde "
            "deel van de factuurbedragen; rente en kosten staan apart.",
        ],
    )
    _put(ws, row, 1, "Totaal per periode", font=BOLD)
    columns = (
        ("Periode na vervaldatum", "text", 24),
        ("Aantal facturen", "int", 12),
        ("Open hoofdsom", "money", 15),
        ("Rente en kosten open", "money", 15),
        ("Totaal open", "money", 15),
    )
    rows = [
        [label, count, principal, outstanding - principal, outstanding]
        for (label, _, _), (count, principal, outstanding) in zip(
            AGING_BUCKETS, summary.buckets, strict=True
        )
    ]
    totals = _money_totals(columns, rows)
    totals[1] = summary.count
    row = _table(ws, row + 1, columns, rows, "tblOuderdom", totals)
    _put(ws, row, 1, "Open hoofdsom per klant en periode", font=BOLD)
    per_columns = (
        ("Klantnr", "text", 10),
        ("Klant", "text", 30),
        ("Land", "text", 6),
        *((label, "money", 14) for label, _, _ in AGING_BUCKETS),
        ("Open hoofdsom", "money", 14),
        ("Rente en kosten open", "money", 14),
        ("Totaal open", "money", 14),
    )
    by_debtor: dict[str, list[OpenItem]] = {}
    for i in items:
        by_debtor.setdefault(i.debtor.number, []).append(i)
    per_rows = []
    for number, mine in by_debtor.items():
        debtor = mine[0].debtor
        buckets = [
            total(i.principal_open for i in mine if i.bucket == k)
            for k in range(len(AGING_BUCKETS))
        ]
        per_rows.append(
            [
                number,
                debtor.name,
                str(debtor.country),
                *buckets,
                total(i.principal_open for i in mine),
                total(i.extras_open for i in mine),
                total(i.outstanding for i in mine),
            ]
        )
    _table(
        ws,
        row + 1,
        per_columns,
        per_rows,
        "tblOuderdomPerKlant",
        _money_totals(per_columns, per_rows),
        "Geen openstaande posten op de peildatum.",
    )


def _handed_over_sheet(ws: Worksheet, items: Sequence[OpenItem], context: _Context) -> None:
    row = _title(
        ws,
        "Uit handen",
        context,
        [
            "Vorderingen die aan een incassobureau of deurwaarder zijn overgedragen (Fase 'Uit "
            "handen'): volgens het blad Acties (stap 'overdracht') of de kolom 'Uit handen' op "
            "Klanten.",
        ],
    )
    columns = (
        ("Klantnr", "text", 10),
        ("Klant", "text", 30),
        ("Land", "text", 6),
        ("Factuurnr", "text", 13),
        ("Vervaldatum", "date", 13),
        ("Dagen te laat", "int", 9),
        ("Uit handen sinds", "date", 12),
        ("Open hoofdsom", "money", 14),
        ("Rente en kosten open", "money", 14),
        ("Totaal open", "money", 14),
        ("Notitie", "text", 36),
    )
    rows = [
        [
            i.debtor.number,
            i.debtor.name,
            str(i.debtor.country),
            i.invoice.number,
            i.invoice.due_date,
            i.days_late,
            i.handed_over_on,
            i.principal_open,
            i.extras_open,
            i.outstanding,
            i.handover_note,
        ]
        for i in items
        if i.handed_over
    ]
    _table(
        ws,
        row,
        columns,
        rows,
        "tblUitHanden",
        _money_totals(columns, rows),
        "Geen vorderingen uit handen op de peildatum.",
    )


def _vat_sheet(
    ws: Worksheet, vat: Sequence[VatCandidate], summary: ExportSummary, context: _Context
) -> None:
    rate = f"{summary.vat_rate.normalize():f}".replace(".", ",")
    row = _title(
        ws,
        "Btw-teruggaaf bij oninbaarheid (Nederland)",
        context,
        [
            "Nederlandse facturen die één jaar na de vervaldatum nog (deels) onbetaald zijn: de btw "
            "over het onbetaalde deel mag u terugvragen (regeling sinds 1-1-2017).",
            "Vraag de btw terug in de gewone btw-aangifte over het tijdvak waarin dat recht ontstond "
            "(de datum in 'Teruggaaf mogelijk vanaf'); later terugvragen kan geweigerd worden.",
            f"De btw is berekend als open hoofdsom × {rate}/(100+{rate}). CONTROLEER PER FACTUUR "
            "het werkelijke btw-tarief (9%, 0%, verlegd of vrijgesteld) en of er btw op de factuur "
            "stond.",
            "Het open deel volgt de toerekening van betalingen (eerst kosten, dan rente, dan "
            "hoofdsom); laat uw adviseur beoordelen of dat voor de btw ook zo telt.",
            "Wordt later toch betaald, dan bent u de btw over dat bedrag weer verschuldigd. Vraag "
            "btw maar één keer terug: oudere facturen kunnen al in een eerdere aangifte zitten.",
        ],
    )
    columns = (
        ("Klantnr", "text", 10),
        ("Klant", "text", 30),
        ("Factuurnr", "text", 13),
        ("Factuurdatum", "date", 13),
        ("Vervaldatum", "date", 13),
        ("Teruggaaf mogelijk vanaf", "date", 13),
        ("Open hoofdsom (incl. btw)", "money", 15),
        ("Btw-tarief (aanname)", "percent", 11),
        ("Btw in open deel", "money", 14),
    )
    rows = [
        [
            v.item.debtor.number,
            v.item.debtor.name,
            v.item.invoice.number,
            v.item.invoice.invoice_date,
            v.item.invoice.due_date,
            v.item.vat_refund_from,
            v.item.principal_open,
            v.rate / HUNDRED,
            v.vat,
        ]
        for v in vat
    ]
    _table(
        ws,
        row,
        columns,
        rows,
        "tblBtwTeruggaafNL",
        _money_totals(columns, rows),
        "Geen Nederlandse facturen die op de peildatum langer dan een jaar vervallen en nog "
        "open zijn.",
    )


def _be_sheet(
    ws: Worksheet, be: Sequence[BeCandidate], summary: ExportSummary, context: _Context
) -> None:
    row = _title(
        ws,
        "België: mogelijk oninbare vorderingen (te beoordelen)",
        context,
        [
            "België geeft de btw alleen terug bij een BEWEZEN, DEFINITIEF verlies (art. 77 §1, 7° "
            "WBTW). Er is geen Belgische regel die de btw na een jaar vanzelf teruggeeft.",
            "Het verlies staat vast bij: een vonnis van faillietverklaring (vanaf die datum), een "
            "gehomologeerd reorganisatieplan (voor het afgeschreven deel), of ander bewijs dat de "
            "vordering echt oninbaar is (alle invorderingsstappen uitgeput) én als verlies geboekt.",
            "Een voorziening voor dubieuze debiteuren is niet genoeg. De teruggaaf gaat met een "
            "interne creditnota en de periodieke btw-aangifte; wordt later toch betaald, dan is de "
            "btw weer verschuldigd.",
            f"Deze lijst noemt Belgische vorderingen die uit handen zijn of meer dan {BE_REVIEW_DAYS} "
            "dagen over de vervaldatum: alleen om te beoordelen, NIET als teruggaaf. De btw-kolom "
            "geldt pas als het verlies bewezen is; controleer het werkelijke tarief.",
        ],
    )
    columns = (
        ("Klantnr", "text", 10),
        ("Klant", "text", 30),
        ("Soort", "text", 13),
        ("Factuurnr", "text", 13),
        ("Vervaldatum", "date", 13),
        ("Dagen te laat", "int", 9),
        ("Fase", "text", 13),
        ("Waarom beoordelen", "text", 36),
        ("Open hoofdsom (incl. btw)", "money", 15),
        ("Btw in open deel (alleen bij bewezen verlies)", "money", 16),
    )
    rows = [
        [
            b.item.debtor.number,
            b.item.debtor.name,
            _kind(b.item.debtor),
            b.item.invoice.number,
            b.item.invoice.due_date,
            b.item.days_late,
            b.item.stage,
            "; ".join(b.reasons),
            b.item.principal_open,
            b.vat,
        ]
        for b in be
    ]
    _table(
        ws,
        row,
        columns,
        rows,
        "tblBEOninbaar",
        _money_totals(columns, rows),
        "Geen Belgische vorderingen om te beoordelen.",
    )


_DAY_COUNT_TEXT = {
    DayCount.ACT_365: "werkelijke dagen / 365, ook in een schrikkeljaar",
    DayCount.ACTUAL: "werkelijke dagen / 365, in een schrikkeljaar / 366",
    DayCount.INTEREST_YEAR: "werkelijke dagen / lengte van het rentejaar, 365 of 366",
}


def _notes_sheet(ws: Worksheet, summary: ExportSummary, context: _Context, csv_name: str) -> None:
    _put(ws, 1, 1, "Toelichting", font=TITLE)
    rows: list[tuple[str, object]] = [
        ("Peildatum", context.per),
        ("Bedrijf", context.creditor),
        ("Bron", context.source),
        (
            "Bedragen",
            "In euro, inclusief btw, afgerond op centen. Alle cijfers zijn waarden, geen "
            "formules; het bestand heeft geen macro's.",
        ),
        (
            "Wat telt mee",
            "Facturen met een factuurdatum tot en met de peildatum; betalingen, "
            "creditnota's en brieven tot en met de peildatum. Rente loopt tot en met "
            "de peildatum. 'Uit handen' alleen als de overdracht op het blad Acties op of "
            "vóór de peildatum ligt.",
        ),
        (
            "Weggelaten",
            f"{summary.skipped_invoices} factu"
            f"{'ur' if summary.skipped_invoices == 1 else 'ren'} met een factuurdatum "
            "na de peildatum.",
        ),
        (
            "Rente",
            "Nederland: wettelijke (handels)rente met rente op rente na elk vol jaar "
            "(art. 6:119 en 6:119a BW). België: interest zonder rente op rente. Volgens "
            "de tarieven op het blad Rentes van het werkboek.",
        ),
        (
            "Dagtelling",
            _DAY_COUNT_TEXT[context.day_count].capitalize()
            + " (instelling 'Dagtelling rente' op het blad Instellingen).",
        ),
        (
            "Betalingen",
            "Een betaling gaat eerst naar de kosten, dan naar de rente, dan naar de "
            "hoofdsom (NL art. 6:44 BW; BE art. 5.210 BW, voorheen art. 1254 oud BW); zonder "
            "factuurnummer eerst naar de oudste vervallen factuur. Een creditnota "
            "telt als betaling.",
        ),
        ("Hoofdsom", "Het factuurbedrag inclusief btw."),
        ("Betaald", "Alles wat op de factuur is betaald: kosten, rente en hoofdsom."),
        (
            "Open hoofdsom",
            "Het onbetaalde deel van het factuurbedrag. Rente die na een jaar bij "
            "de hoofdsom is gevoegd (kapitalisatie) staat hier onder rente; het "
            "blad Overzicht in het werkboek telt die rente bij de hoofdsom. Het "
            "totaal open is in beide gelijk.",
        ),
        (
            "Rente berekend / ontvangen",
            "Alle rente tot en met de peildatum, en het deel dat is "
            "betaald (gekapitaliseerde rente inbegrepen).",
        ),
        (
            "Kosten berekend / ontvangen",
            "Incassokosten of forfaitaire vergoeding die "
            "verschuldigd werden, en het deel dat is betaald.",
        ),
        (
            "Totaal open",
            "Open hoofdsom + (rente berekend − rente ontvangen) + (kosten berekend − "
            "kosten ontvangen). Het totaal is de som van de rijen.",
        ),
        ("Controle", "Hoofdsom − open hoofdsom = betaald − rente ontvangen − kosten ontvangen."),
        (
            "Dagen te laat / Ouderdom",
            "Dagen na de vervaldatum op de peildatum (0 als de factuur "
            "nog niet vervallen is); periodes: " + ", ".join(b[0] for b in AGING_BUCKETS) + ".",
        ),
        (
            "Fase",
            "De stand van de invordering (Niet vervallen, Vervallen, Herinnerd, Gebeld, "
            "Aangemaand, Uit handen, Betwist, Gepauzeerd, Betaalbelofte, Regeling).",
        ),
        ("Uit handen", "Ja als de vordering is overgedragen aan een incassobureau of deurwaarder."),
        (
            "Niet toegewezen",
            f"{euro(summary.unallocated)} aan betalingen of creditnota's die "
            "niet aan een openstaande factuur konden worden toegerekend (tegoed "
            "van klanten); niet in de totalen.",
        ),
        (
            "Btw-teruggaaf NL",
            "Zie dat blad: een aanname van het btw-tarief, per factuur te controleren.",
        ),
        (
            "BE mogelijk oninbaar",
            "Zie dat blad: alleen kandidaten om te beoordelen; België geeft "
            "de btw alleen terug bij een bewezen definitief verlies.",
        ),
        (
            "Klanten in het buitenland",
            "Staan niet op de btw-bladen: een factuur naar het buitenland bevat meestal geen "
            "Nederlandse of Belgische btw (btw verlegd binnen de EU, uitvoer, of btw van het "
            "land van de klant via het éénloketsysteem OSS). Bevat een factuur toch uw eigen "
            "btw, beoordeel de teruggaaf dan zelf. Rente en kosten volgen het recht van de "
            "kolom Toepasselijk recht (leeg bij een onderneming: het land van uw bedrijf).",
        ),
        (
            "CSV-bestand",
            f"{csv_name}: dezelfde openstaande posten, zonder totaalregel. "
            "Scheidingsteken puntkomma (;), tekenset UTF-8 met BOM, decimale komma "
            "zonder duizendtalscheiding (1234,56), datums als dd-mm-jjjj. Tekst die "
            "begint met =, +, -, @, een tab of een regelterugloop krijgt een "
            "apostrof (') ervoor, zodat een spreadsheet hem niet als formule "
            "uitvoert; getallen blijven getallen.",
        ),
    ]
    _put(ws, 3, 1, "Onderwerp", font=BOLD)
    _put(ws, 3, 2, "Uitleg", font=BOLD)
    ws.cell(row=3, column=1).fill = HEADER_FILL
    ws.cell(row=3, column=2).fill = HEADER_FILL
    for k, (label, text) in enumerate(rows, 4):
        _put(ws, k, 1, label, font=BOLD)
        _put(ws, k, 2, text)
        ws.cell(row=k, column=1).alignment = Alignment(vertical="top")
        ws.cell(row=k, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100


# --- the summary page ---------------------------------------------------------------------------


def _summary_docx(
    target: Path, summary: ExportSummary, context: _Context, book_name: str, csv_name: str
) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(1.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(3)

    def heading(text: str, size: float) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(10)
        p.paragraph_format.space_after = Pt(4)
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size)

    def table(
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        bold_last: bool = False,
    ) -> None:
        t = doc.add_table(rows=1 + len(rows), cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        t.autofit = False
        for c, width in enumerate(widths):
            t.columns[c].width = Cm(width)  # the grid: LibreOffice and Word both follow it
        for r, values in enumerate([headers, *rows]):
            for c, value in enumerate(values):
                cell = t.cell(r, c)
                cell.width = Cm(widths[c])
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(1)
                run = p.add_run(value)
                run.bold = r == 0 or (bold_last and r == len(rows))
                if c > 0:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    heading(f"Debiteuren per {long_date(context.per)}", 16)
    doc.add_paragraph(f"{context.creditor} — samenvatting voor de accountant")
    intro = doc.add_paragraph()
    intro.add_run("Peildatum: ")
    intro.add_run(short_date(context.per)).bold = True
    intro.add_run(f" (rente tot en met die dag). Bron: {context.source}.")
    heading("Totalen", 12)
    table(
        ["Post", "Bedrag"],
        [
            ["Openstaande facturen (aantal)", str(summary.count)],
            ["Open hoofdsom", euro(summary.principal_open)],
            ["Open rente", euro(summary.interest_open)],
            ["Open kosten", euro(summary.costs_open)],
            ["Totaal open", euro(summary.outstanding)],
        ],
        [11.0, 4.5],
        bold_last=True,
    )
    heading("Ouderdom (dagen na de vervaldatum)", 12)
    rows = [
        [label, str(count), euro(principal), euro(outstanding)]
        for (label, _, _), (count, principal, outstanding) in zip(
            AGING_BUCKETS, summary.buckets, strict=True
        )
    ]
    rows.append(
        ["Totaal", str(summary.count), euro(summary.principal_open), euro(summary.outstanding)]
    )
    table(
        ["Periode", "Aantal", "Open hoofdsom", "Totaal open"],
        rows,
        [5.5, 2.5, 3.75, 3.75],
        bold_last=True,
    )
    heading("Aandachtspunten", 12)
    rate = f"{summary.vat_rate.normalize():f}".replace(".", ",")
    table(
        ["Post", "Aantal", "Bedrag"],
        [
            [
                "Uit handen (totaal open)",
                str(summary.handed_over_count),
                euro(summary.handed_over_total),
            ],
            [
                f"Btw-teruggaaf NL mogelijk (btw bij {rate}%)",
                str(summary.vat_count),
                euro(summary.vat_total),
            ],
            [
                "BE: te beoordelen op definitief verlies (open hoofdsom)",
                str(summary.be_count),
                euro(summary.be_total),
            ],
            ["Niet toegewezen betalingen en creditnota's", "", euro(summary.unallocated)],
        ],
        [9.5, 2.0, 4.0],
    )
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(10)
    run = note.add_run(
        f"Details per factuur: {book_name} en {csv_name}. Dagtelling rente: "
        f"{_DAY_COUNT_TEXT[context.day_count]}. De btw-bedragen gaan uit van {rate}%; "
        "controleer per factuur het werkelijke tarief. België geeft btw alleen terug bij een "
        "bewezen definitief verlies (faillissement, homologatie of bewezen oninbaar), nooit "
        "vanzelf na een jaar."
    )
    run.font.size = Pt(8.5)
    run.italic = True
    doc.save(target)


def _summary_pdf(
    folder: Path, summary: ExportSummary, context: _Context, book_name: str, csv_name: str
) -> tuple[Path | None, Path | None, str]:
    """Write the summary page as PDF; return (pdf, docx, note); the docx only without PDF."""
    from ..letters.render import ConversionError, convert_to_pdf

    stem = f"samenvatting-{context.per.isoformat()}"
    kept = folder / f"{stem}.docx"
    with tempfile.TemporaryDirectory(prefix="debiteuren-export-") as scratch:
        docx = Path(scratch) / f"{stem}.docx"
        _summary_docx(docx, summary, context, book_name, csv_name)
        try:
            pdfs = convert_to_pdf([docx], folder)
            problem = ""
        except ConversionError as exc:
            pdfs, problem = None, exc.message
        if pdfs:
            kept.unlink(missing_ok=True)
            return pdfs[0], None, ""
        atomic_write(kept, lambda tmp: shutil.copyfile(docx, tmp))
    if problem:
        note = (
            f"De PDF kon niet gemaakt worden ({problem}); de samenvatting staat in "
            f"{kept.name}. Open die in Word en sla hem op als PDF."
        )
    else:
        note = (
            f"LibreOffice is niet geïnstalleerd: de samenvatting staat in {kept.name} in "
            "plaats van als PDF. Open die in Word en sla hem op als PDF."
        )
    return None, kept, note


SHEET_UNMATCHED = "Ongekoppelde ontvangsten"


def _unmatched_receipts_sheet(book: openpyxl.Workbook, payments: Sequence, per: date) -> None:
    """Add the money received up to ``per`` that is not linked to an invoice ("Te controleren"
    on Betalingen): it is on the bank account but in none of the open items."""
    ws = book.create_sheet(SHEET_UNMATCHED)
    shown = [p for p in payments if p.on is None or p.on <= per]
    ws.cell(row=1, column=1, value=f"Ongekoppelde ontvangsten per {short_date(per)}")
    ws.cell(row=1, column=1).font = openpyxl.styles.Font(bold=True, size=13)
    ws.cell(
        row=2,
        column=1,
        value=(
            "Ontvangen betalingen die nog niet aan een factuur gekoppeld zijn (status 'Te "
            "controleren' op het blad Betalingen); ze zijn niet afgetrokken van de openstaande "
            f"posten. Aantal: {len(shown)}."
        ),
    )
    headers = ("Datum", "Bedrag", "Betaler", "IBAN betaler", "Mededeling", "Rij Betalingen")
    for col, title in enumerate(headers, 1):
        ws.cell(row=4, column=col, value=title).font = openpyxl.styles.Font(bold=True)
    amounts = ZERO
    for r, p in enumerate(shown, 5):
        values = (p.on, p.amount, p.payer_name, p.payer_iban, p.text, p.row)
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=col)
            set_value(cell, value)  # text from a bank statement is never a formula
            if col == 1 and value is not None:
                cell.number_format = "dd-mm-yyyy"
            if col == 2 and value is not None:
                cell.number_format = '"€" #,##0.00;"€" -#,##0.00'
        amounts += p.amount or ZERO
    total_row = 5 + len(shown)
    ws.cell(row=total_row, column=1, value="Totaal in euro").font = openpyxl.styles.Font(bold=True)
    ws.cell(row=total_row, column=2, value=amounts).number_format = '"€" #,##0.00;"€" -#,##0.00'
    for col, width in zip("ABCDEF", (12, 14, 28, 24, 50, 14), strict=True):
        ws.column_dimensions[col].width = width
