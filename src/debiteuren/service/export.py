"""``export``: the accountant's view of the receivables at a date, in files anyone can open.

The workbook is only read (it may be open in Excel meanwhile); the engine computes every invoice
at the peildatum (:mod:`debiteuren.core.receivables`), and three files are written into one
folder, default ``export-<peildatum>`` beside the workbook (:mod:`debiteuren.outputs.accountant`):
a values-only workbook, the open items as CSV, and a one-page summary as PDF.

Invoices dated after the peildatum, and payments and letters after it, are left out, so an
export may look back; "Uit handen" counts only when the hand-over was on or before that day,
and a payment plan only when it was agreed on or before it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.book import Assessment
from ..core.money import Decimal, total
from ..core.receivables import (
    DEFAULT_VAT_RATE,
    ExportSummary,
    OpenItem,
    be_candidates,
    handed_over_by,
    nl_vat_candidates,
    open_items,
    plans_by,
    summarise,
)
from ..core.sent import sent_by
from ..errors import DebiteurenError
from ..filenames import inside
from ..outputs import accountant
from ..outputs.accountant import (
    SHEET_AGING,
    SHEET_BE,
    SHEET_HANDED_OVER,
    SHEET_ITEMS,
    SHEET_NOTES,
    SHEET_VAT_NL,
    csv_text,
)
from ..workbook.cells import text_only
from ..workbook.files import atomic_write
from ..workbook.source import BookSource
from .pipeline import LoadedBook, assess, book_warnings, read_book

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "SHEET_AGING",
    "SHEET_BE",
    "SHEET_HANDED_OVER",
    "SHEET_ITEMS",
    "SHEET_NOTES",
    "SHEET_VAT_NL",
    "ExportResult",
    "csv_text",
    "export",
]

#: A peildatum for validation that no real date passes (dates after ``per`` are filtered instead).
_NO_FUTURE_CHECK = date(9999, 1, 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportResult:
    """What an export wrote.

    Attributes:
      pdf: the summary page, or None when it could not be made (then ``docx`` is kept).
      note: a Dutch sentence about the PDF when it was not made; "" otherwise.
      checks: what the book records that the user should check, each naming sheet, row and
        column (:func:`.pipeline.book_warnings`).
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
    checks: tuple[str, ...] = ()


def export(
    book: str | Path | BookSource,
    per: date,
    *,
    out_dir: Path | None = None,
    vat_rate: Decimal = DEFAULT_VAT_RATE,
) -> ExportResult:
    """Write the accountant's export of the receivables at ``per``.

    Args:
      book: the workbook (it is only read), or the book open in Excel.
      per: the peildatum: interest up to and including this day; invoices, payments and
        letters dated after it are left out.
      out_dir: the folder for the files; default ``export-<per>`` beside the workbook.
      vat_rate: the VAT percentage assumed for the VAT columns (default 21).
    """
    loaded = read_book(book, _NO_FUTURE_CHECK, for_writing=False)
    skipped, assessment = _at(loaded, per)
    data = loaded.data
    items = open_items(assessment)
    vat = nl_vat_candidates(items, per, vat_rate)
    be = be_candidates(items, vat_rate)
    unallocated = total(c.unallocated for c in assessment.claims.values() if c.unallocated > 0)
    unmatched = accountant.received_by(data.to_review, per)
    summary = summarise(
        per, items, vat, be, unallocated, skipped, vat_rate, unmatched=[p.amount for p in unmatched]
    )
    folder = _folder(Path(out_dir) if out_dir is not None else loaded.path.parent / f"export-{per}")
    context = accountant.Context(
        source=loaded.path.name,
        creditor=data.creditor.name,
        day_count=data.settings.day_count,
        per=per,
    )
    book_path = inside(folder, f"debiteuren-{per.isoformat()}.xlsx")
    csv_path = inside(folder, f"openstaande-posten-{per.isoformat()}.csv")
    workbook = accountant.workbook(items, vat, be, summary, context, csv_path.name)
    accountant.unmatched_receipts_sheet(workbook, unmatched, per)
    _customer_sheets(workbook, assessment, per)
    atomic_write(book_path, lambda tmp: text_only(workbook).save(tmp))
    atomic_write(csv_path, lambda tmp: accountant.write_csv(tmp, items))
    pdf, docx, note = accountant.summary_pdf(
        folder, summary, context, book_path.name, csv_path.name
    )
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
        checks=book_warnings(data),
    )


def _folder(folder: Path) -> Path:
    """Make the export's folder (and its parents); a folder that cannot be made is a message."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DebiteurenError(
            f"De map {folder} kan niet gemaakt worden ({exc.strerror or exc}); kies een andere "
            "map met --map."
        ) from None
    return folder


def _customer_sheets(workbook: Workbook, assessment: Assessment, per: date) -> None:
    """Add the sheets of the customers' own money: credit (Tegoed) and what was paid back
    beyond what they paid (Meer terugbetaald), each only when any customer has it."""
    credits = [(c.debtor, c.unallocated) for _, c in sorted(assessment.claims.items())]
    accountant.credits_sheet(workbook, [(d, a) for d, a in credits if a > 0], per)
    accountant.refunded_sheet(workbook, [(d, -a) for d, a in credits if a < 0], per)


def _at(loaded: LoadedBook, per: date) -> tuple[int, Assessment]:
    """Leave out what is dated after ``per`` (the export may look back), assess at ``per``;
    return the number of invoices left out and the assessment."""
    data = loaded.data
    invoices = [i for i in data.invoices if i.invoice_date <= per]
    loaded.data = replace(
        data,
        invoices=invoices,
        payments=[p for p in data.payments if p.on <= per],
        actions=[a for a in data.actions if sent_by(a, per)],
        debtors=handed_over_by(data.debtors, data.actions, per),
        plans=plans_by(data.plans, data.actions, per),  # before ``actions`` lose the later rows
    )
    return len(data.invoices) - len(invoices), assess(loaded, per)
