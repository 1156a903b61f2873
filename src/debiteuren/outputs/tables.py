"""One writer for every table in a file we make: header, rows, totals, formats, widths.

A column is declared once (:class:`Col`: header, kind, width); :func:`write_table` gives each
cell the number format of its kind (the schema's money, date and integer formats), writes every
value through :func:`~debiteuren.workbook.cells.set_value` (a text stays a text, never a
formula) and sets the column widths. Optionally the rows become an Excel Table (filter, banded
rows) and a "Totaal" row follows them. :func:`docx_table` is its counterpart in a Word
document (the specification, the export's summary page).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..core.money import total
from ..untrusted import document_text
from ..workbook import schema
from ..workbook.cells import set_value

__all__ = [
    "BOLD",
    "HEADER_FILL",
    "ITALIC",
    "TITLE",
    "Col",
    "docx_table",
    "docx_text",
    "header_widths",
    "money_totals",
    "put",
    "write_table",
]

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
ITALIC = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")

#: Kind of a column -> the number format of its cells ("" : by the value's type).
FORMATS = {
    "money": schema.MONEY_FORMAT,
    "date": schema.DATE_FORMAT,
    "int": schema.INTEGER_FORMAT,
    "rate": "0.00",  # an interest rate in percent points: 10,50
}


@dataclass(frozen=True, slots=True)
class Col:
    """A column of a table we write.

    Attributes:
      header: the Dutch header text.
      kind: ``text``, ``money``, ``date``, ``int``, ``percent``, or "" (by the value's type).
      width: the column width in characters.
    """

    header: str
    kind: str = ""
    width: float = 14


def put(
    ws: Worksheet, row: int, col: int, value: object, kind: str = "", font: Font | None = None
) -> None:
    """Write one value (never a formula) with the number format of ``kind``."""
    cell = ws.cell(row=row, column=col)
    set_value(cell, value)
    if not kind and isinstance(value, Decimal):
        kind = "money"
    elif not kind and isinstance(value, date):
        kind = "date"
    if kind in FORMATS:
        cell.number_format = FORMATS[kind]
    elif kind == "percent" and isinstance(value, Decimal):
        cell.number_format = "0%" if value == round(value, 2) else "0.0%"
    if font is not None:
        cell.font = font


def write_table(
    ws: Worksheet,
    columns: Sequence[Col],
    rows: Sequence[Sequence[object]],
    *,
    top: int = 1,
    fill: bool = True,
    widen: bool = True,
    table: str = "",
    totals: Mapping[int, object] | None = None,
    empty: str = "",
    fit_header: bool = False,
    wrap: bool = True,
) -> int:
    """Write a header on row ``top``, the rows below it, and optionally a totals row.

    Args:
      fill: give the header cells the grey fill (and wrapped text).
      widen: a column keeps a larger width it has (tables below each other); else the
        column gets exactly the declared width.
      table: make the rows an Excel Table of this name (when there are rows).
      totals: column index (0-based) -> value of the "Totaal" row below the rows.
      empty: the text written under the header when there are no rows.
      fit_header: make the header row as high as its wrapped texts need.
      wrap: wrap a text longer than its column (the row gets higher); False for a large
        table whose neighbouring cells are filled (they cut such a text already), where it
        would cost a style per cell of many rows (issue 17). A text with a line break is
        wrapped either way.
    Returns:
      The last row written.
    """
    for col, c in enumerate(columns, 1):
        put(ws, top, col, c.header, font=BOLD)
        if fill:
            ws.cell(row=top, column=col).fill = HEADER_FILL
            ws.cell(row=top, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(col)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(c.width, current) if widen else c.width
    if fit_header:
        lines = max(math.ceil(len(c.header) * 1.15 / c.width) for c in columns)
        ws.row_dimensions[top].height = 15 * max(lines, 1)
    row = top
    for values in rows:
        row += 1
        lines = 0
        for col, (c, value) in enumerate(zip(columns, values, strict=True), 1):
            put(ws, row, col, value, c.kind)
            if value.__class__ is str and ("\n" in value or (wrap and len(value) > c.width)):  # type: ignore[operator]
                lines = max(lines, _wrapped_lines(value, c.width))  # type: ignore[arg-type]
        if lines:
            _wrap_row(ws, row, len(columns), lines)
    if rows and table:
        ref = f"A{top}:{get_column_letter(len(columns))}{row}"
        found = Table(displayName=table, ref=ref)
        found.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(found)
    if not rows and empty:
        row += 1
        put(ws, row, 1, empty, font=ITALIC)
    if totals is not None and rows:
        row += 1
        put(ws, row, 1, "Totaal", font=BOLD)
        for index, value in totals.items():
            put(ws, row, index + 1, value, columns[index].kind, BOLD)
    _fit_amounts(ws, columns, rows, totals if totals is not None and rows else {})
    return row


def _fit_amounts(
    ws: Worksheet,
    columns: Sequence[Col],
    rows: Sequence[Sequence[object]],
    totals: Mapping[int, object],
) -> None:
    """Widen each money column to its widest amount (the rows' and the total's): 3 more than
    the characters of ``€ -1.234,56``, as LibreOffice needs for a bold total; an amount that
    does not fit shows as '###' (Excel too, from a million in a column 13 wide). Only the
    largest and the smallest amount of a column are measured."""
    for index, c in enumerate(columns):
        if c.kind != "money":
            continue
        amounts = [r[index] for r in rows if isinstance(r[index], Decimal | int | float)]
        if isinstance(totals.get(index), Decimal | int | float):
            amounts.append(totals[index])
        if not amounts:
            continue
        widest = max(len(f"{v:,.2f}") for v in (max(amounts), min(amounts)))  # type: ignore[type-var]
        letter = get_column_letter(index + 1)
        if widest + 5 > (ws.column_dimensions[letter].width or 0):  # "€ " and 3 to spare
            ws.column_dimensions[letter].width = widest + 5


#: Points per line of 11 pt text, and the highest row Excel allows (409 points).
_LINE_HEIGHT, _MAX_ROW_HEIGHT = 15, 409


def _wrapped_lines(text: str, width: float) -> int:
    """Return about how many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    return sum(max(1, math.ceil(len(part) * 1.1 / width)) for part in text.split("\n"))


def _wrap_row(ws: Worksheet, row: int, count: int, lines: int) -> None:
    """Wrap the texts of ``row`` in their cells, top-aligned, and make the row high enough.

    A text longer than its column ran over the cells to its right (an empty Contactpersoon),
    and one with a line break (Alt+Enter in a name on Klanten) over the row above it (the
    header): a generated sheet keeps each text in its own cell.
    """
    for col in range(1, count + 1):
        ws.cell(row=row, column=col).alignment = _WRAP_TOP
    ws.row_dimensions[row].height = min(_LINE_HEIGHT * lines, _MAX_ROW_HEIGHT)


_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def money_totals(columns: Sequence[Col], rows: Sequence[Sequence[object]]) -> dict[int, object]:
    """Return the sum of every money column of ``rows``, by column index."""
    return {
        k: total(r[k] for r in rows)  # type: ignore[misc]
        for k, c in enumerate(columns)
        if c.kind == "money"
    }


#: Centimetres per character of a bold 9 pt Arial header (a wide letter, to be safe), and the
#: cell's left and right padding.
_CM_PER_CHAR, _CELL_PADDING = 0.23, 0.45

#: A column whose values are all at most this long (dates, amounts, invoice numbers) keeps
#: each value on one line; longer texts wrap at their spaces.
_SHORT_VALUE = 20


def header_widths(
    headers: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[object]] = ()
) -> list[float]:
    """Return column widths (cm) in which no header word and no short value is broken.

    A column too narrow for its longest header word (or for its longest value, when all its
    values are short: dates, amounts, invoice numbers) is widened, and the column with the most
    room to spare gives that up, so the table keeps its width where it can.
    """
    longest = [max(len(w) for w in h.split()) for h in headers]
    for i in range(len(headers)):
        values = [len(str(row[i])) for row in rows if i < len(row)]
        if values and max(values) <= _SHORT_VALUE:
            longest[i] = max(longest[i], *values)
    need = [n * _CM_PER_CHAR + _CELL_PADDING for n in longest]
    out = [max(w, n) for w, n in zip(widths, need, strict=True)]
    excess = sum(out) - sum(widths)
    while excess > 0.001:
        i = max(range(len(out)), key=lambda k: out[k] - need[k])
        room = out[i] - need[i]
        if room <= 0.001:
            break  # every column is at its minimum: the table grows
        take = min(room, excess)
        out[i] -= take
        excess -= take
    return out


def a4_document(*, landscape: bool, side: float, top: float, size: float, after: float):
    """Return an empty A4 Word document in Arial: ``size`` points, ``after`` points after a
    paragraph, margins of ``side`` cm left and right and ``top`` cm at top and bottom."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(side)
    section.top_margin = section.bottom_margin = Cm(top)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(size)
    normal.paragraph_format.space_after = Pt(after)
    return doc


def docx_text(value: object) -> str:
    """Return ``value`` as text for a Word document we write: without the characters XML
    cannot hold and without explicit direction controls (a payer's remittance or a customer's
    name from outside would otherwise show the rest of its line in another order; see
    :func:`~debiteuren.untrusted.without_direction_controls`)."""
    return document_text(str(value))


def docx_table(
    doc,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    right: Sequence[int] = (),
    bold_last: bool = False,
    repeat_header: bool = False,
    cell_space: float | None = None,
) -> None:
    """Add a table to a python-docx document: a bold header, the rows as text, column widths.

    Args:
      widths: the column widths in cm; with ``repeat_header`` widened where a header word or a
        short value would break (:func:`header_widths`).
      right: the columns aligned right (amounts).
      bold_last: the last row is a bold total.
      repeat_header: the header repeats on every page and never stands alone at a page's end,
        and an empty paragraph follows the table.
      cell_space: the space after each cell's paragraph, in points.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    if repeat_header:
        widths = header_widths(headers, widths, rows)
    t = doc.add_table(rows=1 + len(rows), cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    if repeat_header:
        t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for r, values in enumerate([headers, *rows]):
        for i, value in enumerate(values):
            paragraph = t.cell(r, i).paragraphs[0]
            if cell_space is not None:
                paragraph.paragraph_format.space_after = Pt(cell_space)
            if r == 0 and repeat_header:
                paragraph.paragraph_format.keep_with_next = True  # never alone at a page end
            run = paragraph.add_run(docx_text(value))
            run.bold = r == 0 or (bold_last and r == len(rows))
            if i in right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, width in enumerate(widths):
        t.columns[i].width = Cm(width)  # the grid: LibreOffice reads this one
        for cell in t.columns[i].cells:
            cell.width = Cm(width)  # the cells: Word reads these
    if repeat_header:
        doc.add_paragraph().paragraph_format.space_after = Pt(0)
