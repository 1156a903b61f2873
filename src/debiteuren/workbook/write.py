"""Writing results back: the computed Facturen columns and the Overzicht sheet.

Everything is computed before anything is written; the workbook object is then changed in one
pass and saved atomically by the caller. Columns are found by header text, so a user may reorder
them or add their own; cells the schema does not know are never touched. Values are written as
values (no formulas), so the accountant sees them without Python or macros.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import copy
from datetime import date, datetime, time
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.compat import safe_string
from openpyxl.drawing.line import LineProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..core.book import AGING_BUCKETS, Assessment, Overview
from ..core.claim import InvoiceClaim
from ..core.ladder import InvoiceStage
from ..core.model import Debtor
from ..core.watch import Watch
from ..formatting import country_name, whole_number
from ..untrusted import xlsx_text
from . import schema
from .cells import needs_quote_prefix, set_value, text_only

__all__ = [
    "computed_changes",
    "computed_formats",
    "computed_invoice_values",
    "grow_tables",
    "overview_book",
    "page_setup",
    "set_table_ref",
    "sheet_key",
    "worksheet_key",
    "write_overview",
    "write_typed_cells",
]

MONEY_FORMAT = schema.MONEY_FORMAT
DATE_FORMAT = schema.DATE_FORMAT
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
#: The colours of the Overzicht chart: its bars and its gridlines.
CHART_BAR = "4F81BD"
CHART_GRID = "D9D9D9"


def computed_invoice_values(claim: InvoiceClaim, stage: InvoiceStage) -> dict[str, object]:
    """Return the computed Facturen columns of one invoice, by column key."""
    return dict(zip(COMPUTED_KEYS, computed_invoice_row(claim, stage), strict=True))


def computed_invoice_row(claim: InvoiceClaim, stage: InvoiceStage) -> tuple[object, ...]:
    """Return the computed Facturen columns of one invoice, in the order of
    :data:`COMPUTED_KEYS` (:func:`computed_invoice_values` without the keys)."""
    st = claim.statement
    outstanding = st.outstanding
    return (
        st.paid,
        st.principal_open,
        claim.days_late,
        st.capitalised_open + st.interest_open,
        st.costs_open,
        outstanding,
        stage.stage._value_,  # .value, without the enum's descriptor (50,000 a day)
        None if stage.next_step is None else _next_step_text(stage),
        stage.next_on,
        claim.limitation if outstanding > 0 else None,
    )


def _next_step_text(stage: InvoiceStage) -> str | None:
    """Return the Volgende stap: the step, and "(wacht op verzending)" when a letter to the
    debtor was made and not yet marked sent (the step has no day then)."""
    if stage.next_step is None:
        return None
    if stage.next_on is None:
        return f"{stage.next_step._value_} (wacht op verzending)"
    return stage.next_step._value_


FORMATS = {
    "paid": MONEY_FORMAT,
    "outstanding": MONEY_FORMAT,
    "interest": MONEY_FORMAT,
    "costs": MONEY_FORMAT,
    "total": MONEY_FORMAT,
    "next_on": DATE_FORMAT,
    "limitation_date": DATE_FORMAT,
    "days_late": schema.INTEGER_FORMAT,
}

CREDIT_NOTE_VALUES: dict[str, object] = {
    "paid": None,
    "outstanding": None,
    "days_late": None,
    "interest": None,
    "costs": None,
    "total": None,
    "stage": schema.CREDIT_NOTE_STAGE,
    "next_step": None,
    "next_on": None,
    "limitation_date": None,
}


#: The computed Facturen columns, in the order of :func:`computed_invoice_row`.
COMPUTED_KEYS = tuple(CREDIT_NOTE_VALUES)


def _header_positions(
    ws: Worksheet, header_row: int, sheet: schema.Sheet, first_column: int = 1
) -> dict[str, int]:
    """Return column key -> Excel column number for the sheet's declared columns."""
    headers = [c.value for c in ws[header_row]][first_column - 1 :]
    match = schema.match_headers(sheet, headers)
    return {key: first_column + pos for key, pos in match.index.items()}


_CENT = Decimal("0.01")


def _table_columns(headers: Sequence[object]) -> dict[str, int]:
    """Return column key -> 0-based position in a Facturen table's header row."""
    return schema.match_headers(schema.FACTUREN, headers).index


def computed_changes(
    table,
    invoice_rows: Mapping[str, int],
    values: Mapping[str, Mapping[str, object]],
    references: Mapping[str, str] | None = None,
) -> dict[int, Mapping[int, object]]:
    """Return the computed Facturen cells that differ from what the sheet holds now.

    Compared with the values already read (a :class:`~debiteuren.workbook.read.TableData`),
    so that nothing needs to be loaded to learn that nothing changes.

    Args:
      table: the Facturen TableData (``headers``, ``rows``, ``first_row``, ``first_column``).
      invoice_rows: invoice number -> Excel row.
      values: invoice number -> column key -> value (see :func:`computed_invoice_values`).
      references: invoice number -> payment reference to fill into an empty Betalingskenmerk.
    Returns:
      Excel row -> Excel column -> new value (Decimals rounded to cents), for changed cells only.
    """
    cols = _table_columns(table.headers)
    rows = table.rows
    first_row, first_column = table.first_row, table.first_column
    wanted = [(key, pos) for key, pos in cols.items() if key in CREDIT_NOTE_VALUES]
    positions = [pos for _, pos in wanted]
    new_values = _new_values(values, [key for key, _ in wanted])
    reference = cols.get("reference") if references else None
    from .changes import RowCells

    changes: dict[int, Mapping[int, object]] = {}
    shapes: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple for the rows of one shape
    for number, row in invoice_rows.items():
        index = row - first_row
        current: Sequence[object] = rows[index] if 0 <= index < len(rows) else ()
        size = len(current)
        changed: dict[int, object] = {}
        for pos, value in zip(positions, new_values(number), strict=True):
            old = current[pos] if pos < size else None
            if isinstance(value, Decimal):
                value = value.quantize(_CENT)
                # Fast path of _same: the float Excel holds for these cents (exact below 1e12).
                if old.__class__ is float and -1e12 < old < 1e12:
                    if old == float(value):
                        continue
                    if round(old, 2) == old:  # whole cents too, other ones: what _same says
                        changed[first_column + pos] = value
                        continue
            elif old == value:  # what _same decides for equal values of any other type
                continue
            if not _same(old, value):
                changed[first_column + pos] = value
        if reference is not None and number in references:  # type: ignore[operator]
            old = current[reference] if reference < size else None
            if old in (None, ""):
                changed[first_column + reference] = references[number]  # type: ignore[index]
        if changed:
            # held as a compact row (columns shared): 45,000 dicts were 13 MB at the save
            columns = tuple(changed)
            columns = shapes.setdefault(columns, columns)
            changes[row] = RowCells(columns, tuple(changed.values()))
    return changes


def _new_values(
    values: Mapping[str, Mapping[str, object]], keys: Sequence[str]
) -> Callable[[str], Sequence[object]]:
    """Return invoice number -> its computed values of ``keys``, in that order (a credit note
    or an invoice not assessed: :data:`CREDIT_NOTE_VALUES`)."""
    credit_note = [CREDIT_NOTE_VALUES[k] for k in keys]
    if isinstance(values, _AssessmentValues):  # straight from the claims: no dict per invoice
        index = [COMPUTED_KEYS.index(k) for k in keys]
        row = values.row

        def of_claim(number: str) -> Sequence[object]:
            found = row(number)
            return credit_note if found is None else [found[i] for i in index]

        return of_claim

    def of_mapping(number: str) -> Sequence[object]:
        new = values.get(number)
        return credit_note if new is None else [new[k] for k in keys]

    return of_mapping


def computed_formats(table) -> dict[int, str]:
    """Return Excel column -> the number format of a computed Facturen column (by header)."""
    cols = _table_columns(table.headers)
    return {table.first_column + pos: FORMATS[key] for key, pos in cols.items() if key in FORMATS}


def _same(old: object, new: object) -> bool:
    """Return True when writing ``new`` over ``old`` would change nothing a user sees."""
    if old is None or old == "":
        return new is None or new == ""
    if isinstance(new, Decimal) and isinstance(old, int | float | Decimal):
        if isinstance(old, bool):
            return False  # TRUE typed over an amount: str(old) is no number
        try:
            return Decimal(str(old)).quantize(Decimal("0.01")) == new
        except ArithmeticError:  # infinite, or too large to have cents
            return False
    if isinstance(new, date) and isinstance(old, datetime):
        return old.date() == new
    return old == new


def _put(
    ws: Worksheet, row: int, col: int, value: object, fmt: str = "", font: Font | None = None
) -> None:
    cell = ws.cell(row=row, column=col)
    set_value(cell, value)
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font


def page_setup(ws: Worksheet, header_rows: int = 1) -> None:
    """Make ``ws`` print well: A4 landscape, one page wide, the header row on every page.

    Args:
      header_rows: the rows repeated at the top of each printed page (0: none).
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = False
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.oddFooter.center.text = "&A – pagina &P van &N"
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"


def write_overview(
    book: Workbook,
    ov: Overview,
    last_statement: date | None = None,
    to_review: Sequence = (),
    *,
    plain: _PlainRows | None = None,
) -> Worksheet:
    """Replace the Overzicht sheet by a fresh dashboard (values, a table per debtor, a chart).

    ``to_review``: the payments still "Te controleren" (:class:`~debiteuren.core.review.
    PaymentToReview`), listed with date, amount and payer so that no money is invisible.
    ``plain``: where the rows of the table per debtor go instead of the sheet's cells, as the
    cells would hold them (:func:`overview_package` writes them as text).
    """
    name = schema.OVERZICHT.name
    index = book.sheetnames.index(name) if name in book.sheetnames else 0
    if name in book.sheetnames:
        del book[name]
    ws = book.create_sheet(name, index)
    ws.sheet_properties.tabColor = "1F4E78"
    _put(ws, 1, 1, "Overzicht debiteuren", font=TITLE)
    _put(ws, 2, 1, "Peildatum")
    _put(ws, 2, 2, ov.as_of, DATE_FORMAT, BOLD)
    _put(ws, 3, 1, "Laatste bankafschrift")
    _put(
        ws,
        3,
        2,
        last_statement if last_statement else "nog geen afschrift ingelezen",
        DATE_FORMAT if last_statement else "",
    )
    _put(ws, 4, 1, "Dit blad wordt bij elke update opnieuw gemaakt; wijzig hier niets.")
    ws.cell(row=4, column=1).font = Font(italic=True, color="808080")

    totals = [
        ("Openstaande hoofdsom", ov.principal_open, MONEY_FORMAT),
        ("Onbetaalde rente", ov.interest_open, MONEY_FORMAT),
        ("Onbetaalde kosten", ov.costs_open, MONEY_FORMAT),
        ("Totaal te vorderen", ov.outstanding, MONEY_FORMAT),
        ("Open facturen", ov.invoices_open, "0"),
        ("waarvan vervallen", ov.invoices_overdue, "0"),
        (
            f"DSO (dagen, over {ov.dso_days} dagen omzet)",
            ov.dso if ov.dso is not None else "geen omzet",
            "0.0",
        ),
    ]
    _put(ws, 6, 1, "Totalen", font=BOLD)
    for i, (label, value, fmt) in enumerate(totals):
        _put(ws, 7 + i, 1, label)
        _put(
            ws,
            7 + i,
            2,
            value,
            fmt if not isinstance(value, str) else "",
            BOLD if label.startswith("Totaal") else None,
        )

    # Aging in total, with a chart.
    row = 7 + len(totals) + 1
    _put(ws, row, 1, "Ouderdom van de openstaande hoofdsom", font=BOLD)
    head = row + 1
    _put(ws, head, 1, "Periode na vervaldatum", font=BOLD)
    _put(ws, head, 2, "Bedrag", font=BOLD)
    for i, (label, _, _) in enumerate(AGING_BUCKETS):
        _put(ws, head + 1 + i, 1, label)
        _put(ws, head + 1 + i, 2, ov.buckets[i], MONEY_FORMAT)
    chart = BarChart()
    chart.type = "col"
    chart.title = "Openstaand naar ouderdom"
    chart.y_axis.title = "Euro"
    chart.legend = None
    data = Reference(ws, min_col=2, min_row=head, max_row=head + len(AGING_BUCKETS))
    cats = Reference(ws, min_col=1, min_row=head + 1, max_row=head + len(AGING_BUCKETS))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    # Colours of their own, not the workbook theme's: LibreOffice saves no theme, and after
    # one save there the bars and gridlines of the next Overzicht had no colour (an empty
    # chart). The blue and grey are those of the default theme.
    chart.series[0].graphicalProperties.solidFill = CHART_BAR
    chart.series[0].graphicalProperties.line.solidFill = CHART_BAR
    chart.y_axis.majorGridlines = ChartLines(
        spPr=GraphicalProperties(ln=LineProperties(solidFill=CHART_GRID))
    )
    chart.height, chart.width = 7.5, 14
    ws.add_chart(chart, "E6")

    # Stages.
    row = head + len(AGING_BUCKETS) + 2
    _put(ws, row, 1, "Facturen per fase", font=BOLD)
    for i, (stage, count) in enumerate(sorted(ov.stage_counts.items())):
        _put(ws, row + 1 + i, 1, stage)
        _put(ws, row + 1 + i, 2, count, "0")
    row = row + 2 + len(ov.stage_counts)

    # Top debtors.
    _put(ws, row, 1, "Grootste debiteuren", font=BOLD)
    row += 1
    for col, text in enumerate(("Klantnr", "Naam", "Totaal", "Oudste (dagen)", "Fase"), 1):
        _put(ws, row, col, text, font=BOLD)
        ws.cell(row=row, column=col).fill = HEADER_FILL
    for d in ov.top(10):
        row += 1
        for col, (value, fmt) in enumerate(
            (
                (d.debtor.number, ""),
                (d.debtor.name, ""),
                (d.outstanding, MONEY_FORMAT),
                (d.oldest_days, "0"),
                (d.stage, ""),
            ),
            1,
        ):
            _put(ws, row, col, value, fmt)
    row += 2
    if ov.credits:
        row = _write_credits(ws, row, ov)
    if ov.refunded:
        row = _write_refunded(ws, row, ov)

    # Aging per debtor.
    _put(ws, row, 1, "Per klant", font=BOLD)
    row += 1
    headers = [
        "Klantnr",
        "Naam",
        "Land",
        "Soort",
        *(b[0] for b in AGING_BUCKETS),
        "Rente",
        "Kosten",
        "Totaal",
        "Oudste (dagen)",
        "Fase",
    ]
    for col, text in enumerate(headers, 1):
        _put(ws, row, col, text, font=BOLD)
        ws.cell(row=row, column=col).fill = HEADER_FILL
        ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True)
    for d in ov.debtors:
        row += 1
        kind = "Consument" if d.debtor.kind.value == "consumer" else "Onderneming"
        cells = [
            (d.debtor.number, ""),
            (d.debtor.name, ""),
            (str(d.debtor.country), ""),
            (kind, ""),
        ]
        cells += [(b, MONEY_FORMAT) for b in d.buckets]
        cells += [
            (d.interest_open, MONEY_FORMAT),
            (d.costs_open, MONEY_FORMAT),
            (d.outstanding, MONEY_FORMAT),
            (d.oldest_days, "0"),
            (d.stage, ""),
        ]
        if plain is None or not plain.put(ws, row, cells):
            for col, (value, fmt) in enumerate(cells, 1):
                _put(ws, row, col, value, fmt)
    row += 1
    _put(ws, row, 1, "Totaal", font=BOLD)
    for i, b in enumerate(ov.buckets):
        _put(ws, row, 5 + i, b, MONEY_FORMAT, BOLD)
    _put(ws, row, 5 + len(AGING_BUCKETS), ov.interest_open, MONEY_FORMAT, BOLD)
    _put(ws, row, 6 + len(AGING_BUCKETS), ov.costs_open, MONEY_FORMAT, BOLD)
    _put(ws, row, 7 + len(AGING_BUCKETS), ov.outstanding, MONEY_FORMAT, BOLD)

    for i, w in enumerate(OVERVIEW_WIDTHS, 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = w
    ws.freeze_panes = "A6"
    if ov.abroad:
        _write_abroad(ws, ov.abroad)
    if ov.watch is not None:
        _write_watch(ws, ov.watch)
    if ov.rate_warnings:
        _write_rate_warnings(ws, ov.rate_warnings)
    if ov.checks:
        _write_checks(ws, ov.checks)
    if to_review:
        _write_to_review(ws, to_review)
    page_setup(ws, header_rows=0)
    return text_only(ws)


def _write_abroad(ws: Worksheet, abroad: Sequence[tuple[object, str]]) -> None:
    """List the customers abroad with open claims and the law that governs them, and why."""
    row = ws.max_row + 2
    _put(ws, row, 1, "Klanten in het buitenland: toepasselijk recht", font=BOLD)
    row += 1
    for col, title in enumerate(("Klantnr", "Naam", "Land", "Toepasselijk recht"), 1):
        _put(ws, row, col, title, font=BOLD)
        ws.cell(row=row, column=col).fill = HEADER_FILL
    for debtor, statement in abroad[:OVERVIEW_LIST_CAP]:
        row += 1
        _put(ws, row, 1, debtor.number)  # type: ignore[attr-defined]
        _put(ws, row, 2, debtor.name)  # type: ignore[attr-defined]
        _put(ws, row, 3, country_name(debtor.country))  # type: ignore[attr-defined]
        _put(ws, row, 4, statement)
    _more(ws, row, len(abroad), "klanten", "filter op het blad Klanten op de kolom Land")


def _write_credits(ws: Worksheet, row: int, ov: Overview) -> int:
    """List the customers who paid more than they owe, from ``row``; return the row after it.

    That credit (tegoed) is money that reached the bank and belongs to the customer: it stands
    above the long table per customer, so that it is paid back or set off, never forgotten.
    """
    heading = ("Tegoed: klanten die te veel betaalden", "Tegoed")
    more = "het totaal hieronder telt ze allemaal mee"
    row = _customer_amounts(ws, row, heading, ov.credits, more) + 1
    _put(ws, row, 1, "Totaal tegoed", font=BOLD)
    _put(ws, row, 3, ov.credit_total, MONEY_FORMAT, BOLD)
    _wrapped(ws, row + 1, 1, CREDIT_ADVICE, Font(italic=True, color="808080"))
    return row + 3


def _write_refunded(ws: Worksheet, row: int, ov: Overview) -> int:
    """List the customers who were paid back more than they paid, from ``row``; return the row
    after it (money that left the bank is shown, as money that came in)."""
    heading = ("Te controleren: meer terugbetaald dan ontvangen", "Meer terugbetaald")
    more = "filter op het blad Betalingen op de status"
    row = _customer_amounts(ws, row, heading, ov.refunded, more)
    _wrapped(ws, row + 1, 1, REFUNDED_ADVICE, Font(italic=True, color="808080"))
    return row + 3


def _customer_amounts(
    ws: Worksheet,
    row: int,
    heading: tuple[str, str],
    items: Sequence[tuple[Debtor, Decimal]],
    more: str,
) -> int:
    """Write a list of customers with an amount from ``row`` under ``heading`` (the title, the
    amount's column) and at most OVERVIEW_LIST_CAP of them (``more``: where the rest are);
    return its last row."""
    title, column = heading
    _put(ws, row, 1, title, font=BOLD)
    row += 1
    for col, header in enumerate(("Klantnr", "Naam", column), 1):
        _put(ws, row, col, header, font=BOLD)
        ws.cell(row=row, column=col).fill = HEADER_FILL
    for debtor, amount in items[:OVERVIEW_LIST_CAP]:
        row += 1
        _put(ws, row, 1, debtor.number)
        _put(ws, row, 2, debtor.name)
        _put(ws, row, 3, amount, MONEY_FORMAT)
    return _more(ws, row, len(items), "klanten", more)


#: The line below the customers who were paid back more than they paid.
REFUNDED_ADVICE = (
    "Op Betalingen staat voor deze klanten een terugbetaling (Status Terugbetaling) zonder de "
    "betaling die u terugbetaalde. Zet die betaling op Betalingen (met het Klantnr), of "
    "verbeter het bedrag van de terugbetaling."
)


#: The line below the customers with credit: what the bookkeeper does with it.
CREDIT_ADVICE = (
    "Betaal het tegoed terug aan de klant en zet die terugbetaling op Betalingen (het bedrag met "
    "een min, Status Terugbetaling), of verreken het met een volgende factuur: bijwerken trekt "
    "het af van de volgende factuur die u voor die klant op Facturen zet."
)


def _write_to_review(ws: Worksheet, payments: Sequence) -> None:
    """List the received payments not yet linked to an invoice (money that is never hidden)."""
    row = ws.max_row + 2
    count = len(payments)
    _put(
        ws,
        row,
        1,
        f"Te controleren: {count} ontvangen {'betaling' if count == 1 else 'betalingen'} nog "
        "niet aan een factuur gekoppeld (blad Betalingen)",
        font=BOLD,
    )
    row += 1
    for col, title in enumerate(("Datum", "Bedrag", "Betaler", "Mededeling", "Rij"), 1):
        _put(ws, row, col, title, font=BOLD)
    for p in payments:
        row += 1
        if p.on:
            _put(ws, row, 1, p.on, DATE_FORMAT)
        if p.amount is not None:
            _put(ws, row, 2, p.amount, MONEY_FORMAT)
        else:
            _put(ws, row, 2, "niet in euro")
        for col, text in ((3, p.payer_name or p.payer_iban or "onbekend"), (4, p.text)):
            _put(ws, row, col, text)  # text from a bank statement is never a formula
        _put(ws, row, 5, p.row, "0")


def _write_watch(ws: Worksheet, watch: Watch) -> None:
    """Add three sections below the Overzicht: hand-overs, limitation, worth pursuing."""
    row = ws.max_row + 2

    def header(texts: Sequence[str]) -> None:
        for col, text in enumerate(texts, 1):
            _put(ws, row, col, text, font=BOLD)
            ws.cell(row=row, column=col).fill = HEADER_FILL

    _put(ws, row, 1, "Uit handen (bij incassobureau of deurwaarder)", font=BOLD)
    row += 1
    if not watch.handed_over:
        _put(ws, row, 1, "Geen klanten uit handen.")
    else:
        header(("Klantnr", "Naam", "Facturen", "Sinds", "Openstaand"))
        for h in watch.handed_over:
            row += 1
            for col, (value, fmt) in enumerate(
                (
                    (h.debtor.number, ""),
                    (h.debtor.name, ""),
                    (", ".join(h.invoices), ""),
                    (h.since, DATE_FORMAT if h.since else ""),
                    (h.outstanding, MONEY_FORMAT),
                ),
                1,
            ):
                _put(ws, row, col, value, fmt)
        row += 1
        _put(ws, row, 1, "Totaal uit handen", font=BOLD)
        _put(
            ws,
            row,
            5,
            sum((h.outstanding for h in watch.handed_over), Decimal(0)),
            MONEY_FORMAT,
            BOLD,
        )
    row += 2

    _put(ws, row, 1, f"Verjaring binnen {watch.days} dagen", font=BOLD)
    row += 1
    if not watch.limitation:
        _put(ws, row, 1, f"Geen openstaande facturen die binnen {watch.days} dagen verjaren.")
    else:
        header(("Klantnr", "Naam", "Factuur", "Verjaart op", "Dagen", "Openstaand", "Wat te doen"))
        for w in watch.limitation[:OVERVIEW_LIST_CAP]:
            row += 1
            for col, (value, fmt) in enumerate(
                (
                    (w.debtor.number, ""),
                    (w.debtor.name, ""),
                    (w.invoice, ""),
                    (w.limitation, DATE_FORMAT),
                    (w.days_left, "0"),
                    (w.outstanding, MONEY_FORMAT),
                ),
                1,
            ):
                _put(ws, row, col, value, fmt)
            _wrapped(ws, row, 7, w.message)
        row = _more(
            ws,
            row,
            len(watch.limitation),
            "facturen",
            "filter op het blad Facturen op de kolom Verjaart op",
        )
    row += 2

    _put(ws, row, 1, "Loont doorzetten? (klanten in de fase Aangemaand)", font=BOLD)
    row += 1
    if not watch.pursuit:
        _put(ws, row, 1, "Geen klanten in de fase Aangemaand.")
    else:
        header(
            (
                "Klantnr",
                "Naam",
                "Vordering",
                "Incassobureau",
                "Dagvaarding",
                "Griffie-/rolrecht",
                "Kosten samen",
                "Blijft over",
                "Conclusie",
            )
        )
        for c in watch.pursuit[:OVERVIEW_LIST_CAP]:
            row += 1
            cells = (
                (c.debtor.number, ""),
                (c.debtor.name, ""),
                (c.claim, MONEY_FORMAT),
                (c.agency, MONEY_FORMAT),
                (c.summons.amount, MONEY_FORMAT),
                (c.court.amount, MONEY_FORMAT),
                (c.costs, MONEY_FORMAT),
                (c.net, MONEY_FORMAT),
            )
            for col, (value, fmt) in enumerate(cells, 1):
                _put(ws, row, col, value, fmt)
            _wrapped(ws, row, 9, c.verdict)
        row = _more(
            ws, row, len(watch.pursuit), "klanten", "filter op het blad Facturen op de kolom Fase"
        )
        row += 1
        _wrapped(
            ws,
            row,
            1,
            "⚠ Indicatieve bedragen: griffie- en rolrechten en deurwaarderstarieven veranderen "
            "elk jaar; het incassotarief is een aanname. Bronnen: "
            + " | ".join(
                dict.fromkeys(fee.source for c in watch.pursuit for fee in (c.summons, c.court))
            ),
            Font(italic=True, color="808080"),
        )


#: The most rows a list on the Overzicht shows (limitation, worth pursuing); a line says how
#: many more there are. Long lists made the sheet unreadable and slow to build (issue 17).
OVERVIEW_LIST_CAP = 100


def _more(ws: Worksheet, row: int, count: int, noun: str, where: str) -> int:
    """Below a list capped at OVERVIEW_LIST_CAP, say how many more there are; return the row."""
    if count <= OVERVIEW_LIST_CAP:
        return row
    row += 1
    more = whole_number(count - OVERVIEW_LIST_CAP)
    _put(
        ws,
        row,
        1,
        f"… en nog {more} {noun} (de eerste {OVERVIEW_LIST_CAP} staan hierboven; {where}).",
        font=Font(italic=True, color="808080"),
    )
    return row


def _write_warnings(ws: Worksheet, heading: str, warnings: Sequence[str]) -> int:
    """Add a heading and the warnings under it below the Overzicht, one per line, each marked
    ⚠; return the last row."""
    row = ws.max_row + 2
    _put(ws, row, 1, heading, font=BOLD)
    for text in warnings:
        row += 1
        _wrapped(ws, row, 1, f"⚠ {text}")
    return row


def _write_rate_warnings(ws: Worksheet, warnings: Sequence[str]) -> None:
    """Add the rate warnings (core/rate_watch.py) below the Overzicht, one per line."""
    _write_warnings(ws, "Rentepercentages", warnings)


def _write_checks(ws: Worksheet, checks: Sequence[str]) -> None:
    """Add what the book records that the user should check (``Overview.checks``), one per
    line with its sheet, row and column; at most OVERVIEW_LIST_CAP of them."""
    row = _write_warnings(ws, "Te controleren in het werkboek", checks[:OVERVIEW_LIST_CAP])
    _more(
        ws,
        row,
        len(checks),
        "meldingen",
        "filter op het blad Facturen de kolom Creditnota op Ja en vergelijk bij elke creditnota "
        "Crediteert factuur met de factuurnummers",
    )


#: Column widths of the Overzicht, A to N: the widest table (per klant) sets the page width.
OVERVIEW_WIDTHS = (36, 30, 15, 15, 15, 15, 15, 15, 15, 13, 13, 15, 12, 16)


def _wrapped(ws: Worksheet, row: int, col: int, text: str, font: Font | None = None) -> None:
    """Write a long text from column ``col`` to the Overzicht's last column, wrapped.

    The cells are merged and the row made as high as the text needs, so that the sheet prints
    one page wide instead of a line running far to the right.
    """
    last = len(OVERVIEW_WIDTHS)
    cell = ws.cell(row=row, column=col)
    set_value(cell, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if font is not None:
        cell.font = font
    if col < last:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last)
    per_line = sum(OVERVIEW_WIDTHS[col - 1 :]) * 1.1
    lines = max(1, -(-len(text) // int(per_line)))
    ws.row_dimensions[row].height = 15 * lines


def overview_book(
    ov: Overview,
    last_statement: date | None = None,
    to_review: Sequence = (),
    *,
    date1904: bool = False,
) -> Workbook:
    """Return a new workbook holding only the Overzicht of ``ov`` (see :func:`write_overview`);
    ``date1904``: its dates count from 1904, for a workbook that does (Excel for Mac's old date
    system), into which the sheet goes."""
    book = _new_book(date1904)
    write_overview(book, ov, last_statement, to_review)
    return book


def overview_package(
    ov: Overview,
    last_statement: date | None = None,
    to_review: Sequence = (),
    *,
    mark: str = "",
    date1904: bool = False,
) -> tuple[bytes, bytes]:
    """Return the Overzicht of ``ov`` as (a small .xlsx package, the sheet's XML).

    The same bytes as saving :func:`overview_book` with openpyxl, made faster (issue 17): the
    sheet's cells are written here as text, and openpyxl saves the book without them (the
    styles, the column widths, the merged cells, the chart and its drawing). At 50,000
    invoices the Overzicht has 70,000 cells; openpyxl's writer took half a second for them.
    The package's own copy of the sheet has no cells: use the XML returned with it
    (:meth:`~.xlsx_patch.Patch.replace_sheet` with ``xml``). ``date1904`` as for
    :func:`overview_book`.

    ``mark``: put on both sides of the style number of each cell and row written here
    (:data:`.xlsx_patch.STYLE_MARK`, a character XML cannot hold): the styles are then mapped
    into another package without reading the tags. The sheet of openpyxl's own writer (when
    this one cannot write a cell) has none.
    """
    book = _new_book(date1904)
    plain = _PlainRows()  # the table per debtor: 70,000 cells at 5,000 customers
    ws = write_overview(book, ov, last_statement, to_review, plain=plain)
    dimension = ws.calculate_dimension()
    try:
        plain.check_within(ws)
        rows = _rows_xml(ws, plain.rows, mark)  # registers every style, as openpyxl would
    except _NotPlain:
        return _saved(overview_book(ov, last_statement, to_review, date1904=date1904))
    ws._cells.clear()
    ws.row_dimensions.clear()
    package, empty = _saved(book)
    xml = empty.decode("utf-8").replace(
        '<dimension ref="A1:A1"', f'<dimension ref="{dimension}"', 1
    )
    found = _EMPTY_SHEET_DATA.search(xml)
    if found is None:  # openpyxl changed how it writes an empty sheet: its own writer then
        return _saved(overview_book(ov, last_statement, to_review, date1904=date1904))
    xml = f"{xml[: found.start()]}<sheetData>{rows}</sheetData>{xml[found.end() :]}"
    return package, xml.encode("ascii", "xmlcharrefreplace")  # as openpyxl writes it


def _new_book(date1904: bool) -> Workbook:
    """Return an empty openpyxl workbook whose dates count as the target workbook's do."""
    book = Workbook()
    book.remove(book.active)
    if date1904:
        book.epoch = CALENDAR_MAC_1904
    return book


_EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")


class _NotPlain(Exception):
    """A cell that :func:`_rows_xml` does not write (a formula, comment or hyperlink)."""


def _saved(book: Workbook) -> tuple[bytes, bytes]:
    """Return a one-sheet book saved by openpyxl, and its sheet's XML."""
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return buffer.getvalue(), archive.read("xl/worksheets/sheet1.xml")


def _rows_xml(ws: Worksheet, plain: Mapping[int, list[tuple]] | None = None, mark: str = "") -> str:
    """Return the ``<row>`` elements of ``ws`` as openpyxl's writer makes them (values only:
    no formulas, comments or hyperlinks, which the Overzicht does not have), with the rows of
    ``plain`` (:class:`_PlainRows`: row -> (column, value, data type, style) of each cell),
    each style number between two ``mark``."""
    rows: dict[int, list] = {}
    for (row, _), cell in sorted(ws._cells.items()):
        rows.setdefault(row, []).append(cell)
    for row, cells in (plain or {}).items():
        if row in rows:
            raise _NotPlain(f"row {row}")
        rows[row] = cells
    dims = ws.row_dimensions
    for row in dims.keys() - rows.keys():
        rows[row] = []
    epoch = ws.parent.epoch
    registered = ws.parent._cell_styles.add  # what cell.style_id does, once per style here
    style_ids: dict[bytes, str] = {}
    letters: dict[int, str] = {}
    out: list[str] = []
    for row, cells in sorted(rows.items()):
        attrs = {"r": str(row)}
        attrs.update(dims.get(row, {}))
        out.append(
            "<row"
            + "".join(
                f' {k}="{mark}{_attribute(v)}{mark}"' if k == "s" else f' {k}="{_attribute(v)}"'
                for k, v in attrs.items()
            )
        )
        parts: list[str] = []
        for cell in cells:
            real = cell.__class__ is not tuple
            if real:
                value, style, kind, column = cell._value, cell._style, cell.data_type, cell.column
            else:
                column, value, kind, style = cell
            styled = style is not None and any(style)  # cell.has_style
            if value is None and not styled:
                continue
            if real and (kind == "f" or cell._comment is not None or cell._hyperlink):
                raise _NotPlain(cell.coordinate)
            letter = letters.get(column)
            if letter is None:
                letter = letters[column] = get_column_letter(column)
            if styled:
                key = style.tobytes()
                found = style_ids.get(key)
                if found is None:  # registered in the order openpyxl's writer meets them
                    found = style_ids[key] = f' s="{mark}{registered(style)}{mark}"'
                head = f'<c r="{letter}{row}"{found}'
            else:
                head = f'<c r="{letter}{row}"'
            if kind == "s":
                head += ' t="inlineStr"'
            elif kind == "d":
                head += ' t="n"'
                value = to_excel(value, epoch)
            else:
                head += f' t="{kind}"'
            if value is None or value == "":
                parts.append(head + "/>")
            elif kind == "s":
                space = ' xml:space="preserve"' if value != value.strip() else ""
                text = escape(value).replace("\r", "&#13;")
                parts.append(f"{head}><is><t{space}>{text}</t></is></c>")
            else:
                parts.append(f"{head}><v>{safe_string(value)}</v></c>")
        out.append(">" + "".join(parts) + "</row>" if parts else "/>")
    return "".join(out)


class _PlainRows:
    """Rows of the Overzicht kept as the values, data types and styles their cells would hold,
    without openpyxl's cell objects (issue 17): 70,000 cells at 5,000 customers.

    Only texts, amounts, whole numbers and empty cells, each with a number format or none; a
    row with any other value is given to the sheet as cells. The style (and the number format
    openpyxl registers for it) of each kind of cell is made once, by a cell outside the sheet
    set as :func:`_put` sets one, where the first such cell is put; a text is made safe and
    marked as the sheet's cells are (:func:`.cells.set_value`).
    """

    def __init__(self) -> None:
        #: Excel row -> (column, value, data type, style) of each cell, in column order.
        self.rows: dict[int, list[tuple]] = {}
        self._shapes: dict[tuple, tuple[str, object]] = {}

    def put(self, ws: Worksheet, row: int, cells: Sequence[tuple[object, str]]) -> bool:
        """Keep the cells (value, number format) of ``row``, from column A; False (nothing
        kept) when one holds another kind of value."""
        kinds = [value.__class__ for value, _ in cells]
        if not all(k is str or k is Decimal or k is int or k is type(None) for k in kinds):
            return False
        out = []
        for column, ((value, fmt), kind) in enumerate(zip(cells, kinds, strict=True), 1):
            quote = False
            if kind is str:
                value = xlsx_text(value)  # type: ignore[arg-type]
                quote = needs_quote_prefix(value)  # type: ignore[arg-type]
                value = value[:32767]  # type: ignore[index]  (as openpyxl keeps a text)
                if ILLEGAL_CHARACTERS_RE.search(value):  # type: ignore[arg-type]
                    return False  # a cell then, which openpyxl refuses
            shape = self._shapes.get((kind, fmt, quote))
            if shape is None:
                shape = self._shapes[kind, fmt, quote] = self._shape(ws, kind, fmt, quote)
            out.append((column, value, *shape))
        self.rows[row] = out
        return True

    @staticmethod
    def _shape(ws: Worksheet, kind: type, fmt: str, quote: bool) -> tuple[str, object]:
        """Return (data type, style) of a cell holding a ``kind`` with number format ``fmt``."""
        sample = {str: "=" if quote else "a", Decimal: Decimal(0), int: 0}.get(kind)
        cell = Cell(ws, row=1, column=1)  # not in the sheet
        set_value(cell, sample)
        if fmt:
            cell.number_format = fmt
        return cell.data_type, copy(cell._style)

    def check_within(self, ws: Worksheet) -> None:
        """Raise _NotPlain unless the rows lie within the sheet's dimension (which openpyxl
        works out from its cells only)."""
        if not self.rows:
            return
        columns = max(len(cells) for cells in self.rows.values())
        if not (
            ws.min_row <= min(self.rows)
            and max(self.rows) <= ws.max_row
            and ws.min_column == 1
            and columns <= ws.max_column
        ):
            raise _NotPlain("rows outside the dimension")


def _attribute(value: str) -> str:
    """Return an attribute value escaped as lxml writes it (without the quotes)."""
    return escape(value, {'"': "&quot;"})


def _value_key(value: object) -> object:
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return round(float(value), 6)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


def sheet_key(rows: Iterable[Sequence[object]] | None) -> dict[tuple[int, int], object] | None:
    """Return a sheet's values (rows from A1 on) in a form that compares equal whichever
    library read them: (row, column) -> value for the cells that are not empty.

    Empty strings are empty cells, numbers are floats (to 6 decimals), midnight datetimes are
    dates. None stays None (no sheet).
    """
    if rows is None:
        return None
    result: dict[tuple[int, int], object] = {}
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None and not (isinstance(value, str) and value == ""):
                result[r, c] = _value_key(value)
    return result


def worksheet_key(ws: Worksheet) -> dict[tuple[int, int], object]:
    """Return :func:`sheet_key` of an openpyxl worksheet held in memory.

    Reads the cells the sheet holds (``_cells``): iterating its rows would create a cell for
    every empty position.
    """
    return {
        coordinate: _value_key(cell.value)
        for coordinate, cell in ws._cells.items()
        if cell.value is not None and not (isinstance(cell.value, str) and cell.value == "")
    }


def assessment_values(assessment: Assessment) -> Mapping[str, Mapping[str, object]]:
    """Return the computed Facturen values of every invoice of an assessment, by invoice
    number; each invoice's values are made when asked for (at 50,000 invoices, holding them
    all cost 23 MB at the moment of the save, issue 17)."""
    return _AssessmentValues(assessment)


class _AssessmentValues(Mapping[str, Mapping[str, object]]):
    """Invoice number -> :func:`computed_invoice_values`, made on each lookup."""

    def __init__(self, assessment: Assessment) -> None:
        self._stages = assessment.stages
        self._claims = {
            c.invoice.number: (debtor, c)
            for debtor, claim in assessment.claims.items()
            for c in claim.invoices
        }

    def __getitem__(self, number: str) -> Mapping[str, object]:
        debtor, claim = self._claims[number]
        return computed_invoice_values(claim, self._stages[debtor][number])

    def row(self, number: str) -> tuple[object, ...] | None:
        """Return :func:`computed_invoice_row` of invoice ``number``; None when not assessed."""
        found = self._claims.get(number)
        if found is None:
            return None
        debtor, claim = found
        return computed_invoice_row(claim, self._stages[debtor][number])

    def __iter__(self):
        return iter(self._claims)

    def __len__(self) -> int:
        return len(self._claims)


def find_table(book: Workbook, sheet: schema.Sheet):
    """Return (worksheet, table) of a declared sheet: by Excel Table name, else by sheet name."""
    wanted = sheet.table.casefold()
    for ws in book.worksheets:
        for table in ws.tables.values():  # TableList.items() yields refs, not tables
            if table.name.casefold() == wanted:
                return ws, table
    for ws in book.worksheets:
        if schema.normalize_header(ws.title) == schema.normalize_header(sheet.name):
            tables = list(ws.tables.values())
            return ws, (tables[0] if tables else None)
    raise KeyError(sheet.name)


def append_table_rows(
    book: Workbook, sheet_name: str, records: Sequence[Mapping[str, object] | schema.Row]
) -> list[int]:
    """Append rows to a declared sheet's Excel Table and grow the table; return the Excel rows.

    For a workbook loaded fully with openpyxl (the demo and the template build it this way).

    Args:
      records: rows, or column key -> value; a key the sheet does not declare is
        :class:`~.schema.UnknownColumn`, a value for a column the table lacks is
        :class:`~.changes.MissingColumn`.
    Empty rows at the end of the table (the template's first row) are filled first.
    """
    from openpyxl.utils.cell import range_boundaries

    from .changes import MissingColumn

    sheet = schema.sheet(sheet_name)
    ws, table = find_table(book, sheet)
    if table is not None:
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    else:
        min_col, min_row, max_col, max_row = 1, 1, ws.max_column, ws.max_row
    cols = _header_positions(ws, min_row, sheet, min_col)
    row = last_filled_row(ws, min_row, min_col, max_col)
    rows = []
    for record in records:
        values = record.values if isinstance(record, schema.Row) else sheet.row(**record).values
        row += 1
        for key, value in values.items():
            col = cols.get(key)
            if col is None:
                if value is None or value == "":
                    continue
                raise MissingColumn(ws.title, sheet.column(key).header)
            cell = ws.cell(row=row, column=col)
            set_value(cell, value)  # text from outside is never a formula
            column = sheet.column(key)
            if isinstance(value, Decimal | date) or column.type.value in ("money", "date"):
                cell.number_format = column.excel_format
        rows.append(row)
    if table is not None and row > max_row:
        set_table_ref(book, table.name, f"{table.ref.split(':')[0]}:{_letter(max_col)}{row}")
    return rows


def _letter(column: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(column)


def set_table_ref(book: Workbook, name: str, ref: str) -> None:
    """Give the Excel Table ``name`` the range ``ref``, its filter too."""
    for ws in book.worksheets:
        for table in ws.tables.values():
            if table.name.casefold() == name.casefold():
                table.ref = ref
                if table.autoFilter is not None:
                    table.autoFilter.ref = ref
                return
    raise KeyError(name)


def last_filled_row(ws: Worksheet, header_row: int, min_col: int, max_col: int) -> int:
    """Return the last row below ``header_row`` with a value in columns ``min_col..max_col``.

    Looks only at the cells the sheet holds: a value far below or far to the right costs
    nothing (and no empty cell is created).
    """
    last = header_row
    for (r, c), cell in ws._cells.items():
        if r > last and min_col <= c <= max_col and cell.value not in (None, ""):
            last = r
    return last


def write_typed_cells(book: Workbook, text_cells: Iterable[object]) -> None:
    """Write dates and numbers typed as text (``read.TextCell``) as real ones, in place."""
    for c in text_cells:
        cell = book[c.sheet].cell(row=c.row, column=c.column)  # type: ignore[attr-defined]
        set_value(cell, c.value)  # type: ignore[attr-defined]
        cell.number_format = c.number_format  # type: ignore[attr-defined]
        if not isinstance(c.value, str):  # type: ignore[attr-defined]
            cell.quotePrefix = False


def grow_tables(book: Workbook, growth: Iterable[object]) -> None:
    """Give each grown table (``read.TableGrowth``) its new range, its filter too."""
    for g in growth:
        set_table_ref(book, g.table, g.new_ref)  # type: ignore[attr-defined]


def set_settings(book: Workbook, values: Mapping[str, object]) -> None:
    """Set Instellingen values by their label (the 'Instelling' column)."""
    sheet = schema.INSTELLINGEN
    ws, table = find_table(book, sheet)
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = (
        range_boundaries(table.ref) if table else (1, 1, ws.max_column, ws.max_row)
    )
    cols = _header_positions(ws, min_row, sheet, min_col)
    wanted = {schema.normalize_header(k): v for k, v in values.items()}
    last = min(max_row, last_filled_row(ws, min_row, min_col, max_col))
    for r in range(min_row + 1, last + 1):
        label = ws.cell(row=r, column=cols["label"]).value
        if isinstance(label, str) and schema.normalize_header(label) in wanted:
            set_value(ws.cell(row=r, column=cols["value"]), wanted[schema.normalize_header(label)])
