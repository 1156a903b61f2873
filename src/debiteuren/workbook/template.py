"""Build ``workbook_template.xlsx``, the empty system-of-record workbook, from :mod:`.schema`.

Run ``python -m debiteuren.workbook.template [PATH]`` to regenerate the committed file (default:
``workbook_template.xlsx`` at the repository root). The output is deterministic: fixed document
properties and fixed zip timestamps, so the same openpyxl version writes the same bytes.

Computed columns and why there is no sheet protection: Excel's sheet protection would keep the
user from typing in the computed columns, but a protected sheet also stops an Excel Table from
growing (a new row typed under the table is not added to it) and blocks sorting and filtering.
So the computed columns instead get a grey header and a data validation that refuses every typed
value with a Dutch message ("Deze kolom vult debiteuren zelf in"). Data validation applies only
to typing in Excel: the program itself (openpyxl or xlwings) writes these cells freely, and a
user can still clear them. Pasting over them is not stopped; the next update rewrites them.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..core.ladder import Stage
from ..core.money import Decimal
from ..errors import DebiteurenError
from . import schema
from .schema import Column, ColumnType, Sheet
from .write import page_setup

__all__ = [
    "CUSTOMER_LIST",
    "TEMPLATE_NAME",
    "TemplateMissing",
    "build_template",
    "fit_width",
    "main",
    "save_deterministic",
    "template_path",
    "write_template",
]

TEMPLATE_NAME = "workbook_template.xlsx"

#: Fixed document properties so that the generator is deterministic.
_AUTHOR = "debiteuren"
_TIMESTAMP = datetime(2025, 1, 1, 0, 0, 0)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)

_TABLE_STYLE = "TableStyleMedium2"
_HEADER_FONT = Font(bold=True)
_COMPUTED_HEADER_FILL = PatternFill("solid", fgColor="808080")
_COMPUTED_HEADER_FONT = Font(bold=True, color="FFFFFF")
_COMPUTED_CELL_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")

_COMPUTED_ERROR = (
    "Deze kolom vult debiteuren zelf in. Typ hier niets; klik op Bijwerken in het tabblad "
    "Debiteuren."
)


class TemplateMissing(DebiteurenError):
    """The shipped workbook template cannot be found (a broken installation)."""

    def __init__(self, looked_in: Sequence[Path]) -> None:
        places = ", ".join(str(p) for p in looked_in)
        super().__init__(
            f"Het lege werkboek {TEMPLATE_NAME} is niet gevonden (gezocht in: {places}); "
            "installeer debiteuren opnieuw."
        )


def template_path() -> Path:
    """Return the path of the shipped ``workbook_template.xlsx``.

    Returns:
      The package data file ``debiteuren/workbook_template.xlsx`` of an installed package, else
      the file at the root of the source repository. Raises :class:`TemplateMissing` if neither
      exists.
    """
    packaged = Path(str(resources.files("debiteuren").joinpath(TEMPLATE_NAME)))
    repository = Path(__file__).resolve().parents[3] / TEMPLATE_NAME
    for candidate in (packaged, repository):
        if candidate.is_file():
            return candidate
    raise TemplateMissing([packaged, repository])


def build_template() -> Workbook:
    """Return the empty system-of-record workbook, built from :mod:`.schema`.

    Returns:
      An openpyxl Workbook: one Excel Table per sheet (Overzicht: a titled placeholder),
      Instellingen filled with labels, defaults and help, Rentes seeded from core/data/rates.csv.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in schema.SHEETS:
        ws = wb.create_sheet(sheet.name)
        if sheet is schema.INSTELLINGEN:
            _settings_sheet(ws)
        elif sheet is schema.RENTES:
            _table_sheet(ws, sheet, _rate_rows())
        elif sheet is schema.OVERZICHT:
            _overview_sheet(ws)
        else:
            _table_sheet(ws, sheet, [])
        if sheet is schema.FACTUREN:
            _invoice_row_colours(ws)
    wb.defined_names[CUSTOMER_LIST] = DefinedName(CUSTOMER_LIST, attr_text=_customer_list_range())
    for ws in wb.worksheets:
        page_setup(ws, header_rows=0 if ws.title == schema.OVERZICHT.name else 1)
    wb.active = 0
    props = wb.properties
    props.creator = _AUTHOR
    props.lastModifiedBy = _AUTHOR
    props.title = "Debiteuren"
    props.created = _TIMESTAMP
    props.modified = _TIMESTAMP
    return wb


def write_template(path: str | os.PathLike[str]) -> Path:
    """Write the template to ``path`` deterministically (temp file + atomic replace).

    Args:
      path: where to write the .xlsx file.
    Returns:
      The path written.
    """
    target = Path(path)
    wb = build_template()
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=target.parent or None)
    os.close(fd)
    try:
        save_deterministic(wb, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def save_deterministic(wb: Workbook, path: str | os.PathLike[str]) -> None:
    """Save ``wb`` keeping its document properties and with fixed zip entry timestamps.

    openpyxl's own ``save`` stamps the current time into the properties and the zip entries;
    this writer keeps both fixed, so equal workbooks give equal files.
    """
    archive = _FixedTimeZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()


class _FixedTimeZipFile(ZipFile):
    """A ZipFile whose entries all carry the same timestamp and permissions."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[no-untyped-def]
        if not isinstance(zinfo_or_arcname, ZipInfo):
            info = ZipInfo(str(zinfo_or_arcname), date_time=_ZIP_TIME)
            info.compress_type = ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[no-untyped-def]
        with open(filename, "rb") as handle:
            self.writestr(arcname or os.path.basename(filename), handle.read())


# --- sheets -------------------------------------------------------------------------------------


def fit_width(column: Column) -> float:
    """Return the column's width, widened so its header (bold, with the filter button) fits."""
    return max(column.width, math.ceil(len(column.header) * 1.15) + 3)


#: The defined name that lists the customer numbers of Klanten (the Klantnr drop-downs).
CUSTOMER_LIST = "Klantnummers"


def _customer_list_range() -> str:
    """Return the formula of :data:`CUSTOMER_LIST`: the filled Klantnr cells of Klanten.

    OFFSET and COUNTA instead of the whole column, so that the drop-down lists no empty lines;
    Excel and LibreOffice both evaluate it.
    """
    last = schema.VALIDATION_LAST_ROW
    return f"OFFSET(Klanten!$A$2,0,0,MAX(1,COUNTA(Klanten!$A$2:$A${last})),1)"


def _table_sheet(ws: Worksheet, sheet: Sheet, rows: list[list[object]]) -> None:
    """Write a header row, ``rows`` and the Excel Table with formats and validations."""
    columns = sheet.columns
    for position, column in enumerate(columns, start=1):
        _header_cell(ws, position, column)
        letter = get_column_letter(position)
        ws.column_dimensions[letter].width = fit_width(column)
        ws.column_dimensions[letter].number_format = column.excel_format
    data_rows = rows or [[None] * len(columns)]
    for row_number, values in enumerate(data_rows, start=2):
        for position, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=row_number, column=position, value=value)
            cell.number_format = column.excel_format
            if column.computed:
                cell.fill = _COMPUTED_CELL_FILL
    last = get_column_letter(len(columns))
    ref = f"A1:{last}{len(data_rows) + 1}"
    table = Table(displayName=sheet.table, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=_TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        validation = _column_validation(column)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{schema.VALIDATION_LAST_ROW}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _header_cell(ws: Worksheet, position: int, column: Column) -> None:
    cell = ws.cell(row=1, column=position, value=column.header)
    if column.computed:
        cell.fill = _COMPUTED_HEADER_FILL
        cell.font = _COMPUTED_HEADER_FONT
    else:
        cell.font = _HEADER_FONT
    if column.help:
        cell.comment = _comment(column.help)


def _comment(text: str) -> Comment:
    lines = math.ceil(len(text) / 45) + 1
    return Comment(text, _AUTHOR, height=max(60, 16 * lines), width=300)


def _column_validation(column: Column) -> DataValidation | None:
    """Return the data validation for a column's cells, or None for free text."""
    if column.choices_from:
        return _validation(
            "list",
            "Onbekend klantnummer",
            f"Kies een klantnummer uit de lijst (het blad {column.choices_from}). Een nieuwe "
            f"klant zet u eerst op het blad {column.choices_from}.",
            formula1=CUSTOMER_LIST,
        )
    if column.computed:
        # Text length is never below zero: every typed value is refused; clearing is allowed.
        return _validation(
            "textLength", "Berekende kolom", _COMPUTED_ERROR, operator="lessThan", formula1="0"
        )
    return _value_validation(column.type, column.choices)


def _value_validation(kind: ColumnType, choices: Sequence[str]) -> DataValidation | None:
    if kind in (ColumnType.CHOICE, ColumnType.YES_NO) and choices:
        formula, message = _choice_texts(choices)
        return _validation("list", "Ongeldige keuze", message, formula1=formula)
    if kind in (ColumnType.DATE, ColumnType.DATETIME):
        return _validation(
            "date",
            "Ongeldige datum",
            "Typ een datum, zoals 31-12-2025.",
            operator="between",
            formula1="DATE(1990,1,1)",
            formula2="DATE(2199,12,31)",
        )
    if kind is ColumnType.MONEY:
        return _validation(
            "decimal",
            "Ongeldig bedrag",
            "Typ een bedrag, zoals 1234,56.",
            operator="between",
            formula1="-1000000000",
            formula2="1000000000",
        )
    if kind is ColumnType.INTEGER:
        return _validation(
            "whole",
            "Ongeldig getal",
            "Typ een heel getal van 0 of meer, zoals 30.",
            operator="between",
            formula1="0",
            formula2="100000",
        )
    if kind is ColumnType.PERCENT:
        return _validation(
            "decimal",
            "Ongeldig percentage",
            "Typ een percentage, zoals 10,5%.",
            operator="between",
            formula1="0",
            formula2="1",
        )
    return None


def _choice_texts(choices: Sequence[str]) -> tuple[str, str]:
    """Return the list of a choice column's data validation and the message that names it."""
    return '"' + ",".join(choices) + '"', f"Kies een waarde uit de lijst: {', '.join(choices)}."


#: Choice lists that were shorter in workbooks made by an earlier version, per table: the lists
#: then (oldest first) and now. Excel refuses a typed value that is not in the cell's list, so a
#: value added later (the payment statuses "Dubbel" and "Terugbetaling", December 2026, and
#: "Geen klant", session 27) could not be chosen in such a workbook.
FORMER_CHOICES: dict[str, tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]] = {
    schema.BETALINGEN.table: (
        (schema.PAYMENT_STATUSES[:4], schema.PAYMENT_STATUSES[:5], schema.PAYMENT_STATUSES[:6]),
        schema.PAYMENT_STATUSES,
    ),
}


def list_upgrades(table: str) -> list[tuple[str, str]]:
    """Return the (old, new) texts that bring a table's stale choice list up to date in its
    sheet's XML (:data:`FORMER_CHOICES`): each former list, also as XML escapes it, and its
    message."""
    former = FORMER_CHOICES.get(table)
    if former is None:
        return []
    olds, new = former
    new_list, new_text = _choice_texts(new)
    pairs = []
    for old in olds:
        old_list, old_text = _choice_texts(old)
        pairs += [
            (f"<formula1>{old_list}</formula1>", f"<formula1>{new_list}</formula1>"),
            (
                f"<formula1>{escape(old_list, {chr(34): '&quot;'})}</formula1>",
                f"<formula1>{escape(new_list, {chr(34): '&quot;'})}</formula1>",
            ),
            (f'error="{escape(old_text)}"', f'error="{escape(new_text)}"'),
        ]
    return pairs


def upgrade_lists(ws: Worksheet, table: str) -> bool:
    """Bring a table's stale choice list up to date on a sheet loaded with openpyxl, as
    :func:`list_upgrades` does in the sheet's XML; return True when a list was changed."""
    former = FORMER_CHOICES.get(table)
    if former is None:
        return False
    olds, new = former
    new_list, new_text = _choice_texts(new)
    stale = dict(_choice_texts(old) for old in olds)  # list -> its message
    changed = False
    for rule in ws.data_validations.dataValidation:
        if rule.type == "list" and rule.formula1 in stale:
            if rule.error == stale[rule.formula1]:
                rule.error = new_text
            rule.formula1 = new_list
            changed = True
    return changed


def _validation(
    kind: str, title: str, message: str, *, operator: str | None = None, **formulas: str
) -> DataValidation:
    return DataValidation(
        type=kind,
        operator=operator,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=title,
        error=message,
        **formulas,
    )


def _settings_sheet(ws: Worksheet) -> None:
    """Write the Instellingen table: label, default value and help per setting."""
    sheet = schema.INSTELLINGEN
    rows = [[s.label, s.default, s.help] for s in schema.SETTINGS]
    _table_sheet(ws, sheet, rows)
    help_width = sheet.column("help").width
    for row_number, setting in enumerate(schema.SETTINGS, start=2):
        label, value, help_cell = (ws.cell(row=row_number, column=c) for c in (1, 2, 3))
        label.font = _HEADER_FONT
        label.alignment = _TOP
        value.number_format = schema.TYPE_FORMATS[setting.type]
        value.alignment = _TOP
        help_cell.alignment = _WRAP
        lines = max(1, math.ceil(len(setting.help) / (help_width * 1.05)))
        ws.row_dimensions[row_number].height = 15 * lines + 2
        choices = [text for text, _ in setting.choices]
        if setting.type is ColumnType.YES_NO:
            choices = [schema.YES, schema.NO]
        validation = _value_validation(setting.type, choices)
        if validation is not None:
            validation.add(f"B{row_number}")
            ws.add_data_validation(validation)


def _rate_rows() -> list[list[object]]:
    """Return the Rentes rows from core/data/rates.csv; the percentage as an Excel fraction."""
    text = resources.files("debiteuren.core.data").joinpath("rates.csv").read_text("utf-8")
    rows: list[list[object]] = []
    for record in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
        fraction = float(Decimal(record["rate_percent"]) / 100)
        rows.append(
            [
                schema.RATE_SERIES_LABELS.get(record["series"], record["series"]),
                date.fromisoformat(record["effective_from"]),
                fraction,
                schema.RATE_STATUS[record["status"]],
                record["source"],
            ]
        )
    return rows


def _overview_sheet(ws: Worksheet) -> None:
    ws["A1"] = "Overzicht"
    ws["A1"].font = Font(bold=True, size=16)
    ws["A3"] = (
        "Dit overzicht vult debiteuren bij Bijwerken: wie wat verschuldigd is, hoe lang al, en "
        "wat de vorderingen vandaag waard zijn (hoofdsom, rente en kosten)."
    )
    ws["A4"] = "Nog niet bijgewerkt."
    ws["A4"].font = Font(italic=True, color="808080")
    ws.column_dimensions["A"].width = 100


def _invoice_row_colours(ws: Worksheet) -> None:
    """Colour Facturen rows by their computed columns: paid, handed over, demanded, overdue."""
    sheet = schema.FACTUREN
    letters = {c.key: get_column_letter(i) for i, c in enumerate(sheet.columns, start=1)}
    stage, outstanding, late = letters["stage"], letters["outstanding"], letters["days_late"]
    area = f"A2:{get_column_letter(len(sheet.columns))}{schema.VALIDATION_LAST_ROW}"
    rules = [
        (  # paid: green
            f'OR(${stage}2="{Stage.PAID}",AND(ISNUMBER(${outstanding}2),${outstanding}2<=0))',
            "C6EFCE",
            "006100",
        ),
        (f'${stage}2="{Stage.HANDED_OVER}"', "E4DFEC", "5B2C6F"),  # handed over: purple
        (f'${stage}2="{Stage.DEMANDED}"', "FFC7CE", "9C0006"),  # demand sent: red
        (f"AND(N(${late}2)>0,N(${outstanding}2)>0)", "FFEB9C", "9C5700"),  # overdue: amber
    ]
    for formula, fill, font in rules:
        ws.conditional_formatting.add(
            area,
            FormulaRule(
                formula=[formula],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font),
                stopIfTrue=True,
            ),
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the template: ``python -m debiteuren.workbook.template [PATH]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    default = Path(__file__).resolve().parents[3] / TEMPLATE_NAME
    target = Path(args[0]) if args else default
    write_template(target)
    print(f"Geschreven: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
