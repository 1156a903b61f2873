"""Workbooks built in code: the template filled with a small, realistic administration.

Fixtures (test modules do not import this file, so other conftest files cannot clash):
  book: a :class:`Book` with the realistic data below (change it, then ``book.read()``);
    ``book.records[sheet]`` holds the rows written, by header.
  empty_book: a :class:`Book` straight from the template.
  snapshot: a function path -> comparable description of a workbook's content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from debiteuren.errors import Issue
from debiteuren.workbook import schema
from debiteuren.workbook.read import WorkbookData, read_workbook
from debiteuren.workbook.template import build_template, save_deterministic

AS_OF = date(2026, 1, 15)

CREDITOR = {
    "Naam": "Bakkerij De Korenschoof B.V.",
    "Adres": "Molenstraat 12",
    "Postcode": "3511 AB",
    "Plaats": "Utrecht",
    "KvK/KBO-nummer": "12345678",
    "Btw-nummer": "NL123456789B01",
    "IBAN": "NL91 ABNA 0417 1643 00",
    "E-mail": "info@korenschoof.nl",
    "Ondertekenaar": "A. Bakker",
}

KLANTEN = [
    {
        "Klantnr": 1001,
        "Naam": "Jansen Installatietechniek B.V.",
        "Contactpersoon": "R. Jansen",
        "Adres": "Industrieweg 4",
        "Postcode": "3542 AD",
        "Plaats": "Utrecht",
        "Land": "NL",
        "Soort": "Onderneming",
        "E-mail": "administratie@jansen-installatie.nl",
        "Telefoon": "030-1234567",
        "Taal": "nl",
        "KvK/KBO": "87654321",
        "Betaaltermijn (dagen)": 30,
    },
    {
        "Klantnr": "1002",
        "Naam": "P. de Vries",
        "Adres": "Lindelaan 8",
        "Postcode": "3601 CD",
        "Plaats": "Maarssen",
        "Land": "NL",
        "Soort": "Consument",
        "Betaaltermijn (dagen)": 14,
    },
    {
        "Klantnr": "2001",
        "Naam": "Boulangerie Dupont SRL",
        "Adres": "Rue Haute 1",
        "Postcode": "1000",
        "Plaats": "Brussel",
        "Land": "BE",
        "Soort": "Onderneming",
        "Taal": "fr",
        "KvK/KBO": "0123.456.789",
        "Uit handen": "Nee",
    },
]

FACTUREN = [
    {
        "Factuurnr": "2025-001",
        "Klantnr": "1001",
        "Factuurdatum": datetime(2025, 10, 1),
        "Vervaldatum": datetime(2025, 10, 31),
        "Bedrag (incl. btw)": 1210.1,
        "Omschrijving": "Broodbezorging oktober",
        "Betalingskenmerk": "1234 5678 9012 3456",
    },
    {
        "Factuurnr": "2025-002",
        "Klantnr": 1002,
        "Factuurdatum": "03-11-2025",
        "Bedrag (incl. btw)": "€ 1.234,56",
        "Omschrijving": "Bruidstaart",
    },
    {
        "Factuurnr": "2025-003",
        "Klantnr": "2001",
        "Factuurdatum": date(2025, 11, 10),
        "Vervaldatum": "2025-12-10",
        "Bedrag (incl. btw)": 2500,
        "Betwist": "Ja",
        "Pauze tot": datetime(2026, 2, 1),
        "Notitie": "Klant zegt: niet besteld",
    },
    {
        "Factuurnr": "2025-004",
        "Klantnr": "1001",
        "Factuurdatum": datetime(2025, 11, 15),
        "Bedrag (incl. btw)": -121.0,
        "Creditnota": "Ja",
        "Omschrijving": "Creditnota retour kratten",
    },
]

BETALINGEN = [
    {
        "Datum": datetime(2025, 11, 20),
        "Bedrag": 500.0,
        "Klantnr": "1001",
        "Factuurnr": "2025-001",
        "Mededeling": "Factuur 2025-001 deel",
        "Bron": "handmatig",
    },
    {
        "Datum": datetime(2025, 12, 1),
        "Bedrag": 100.1,
        "Factuurnr": "1234567890123456",
        "Bankreferentie": "NTRF-2025-12-01-0001",
    },
]

ACTIES = [
    {
        "Tijdstip": datetime(2025, 11, 14, 10, 30),
        "Klantnr": "1001",
        "Facturen": "2025-001",
        "Actie": "herinnering",
        "Kanaal": "e-mail",
        "Bestand": "brieven/2025-11-14 1001 herinnering.docx",
        "Gevorderd bedrag": 1210.1,
        "Termijn tot": datetime(2025, 11, 28),
    },
    {
        "Tijdstip": datetime(2025, 12, 1),
        "Klantnr": "1002",
        "Facturen": "2025-002, 2025-002",
        "Actie": "14-dagenbrief",
        "Kanaal": "aangetekend",
        "Track & trace": "3SABCD1234567",
        "Gevorderd bedrag": "1.274,56",
        "Termijn tot": datetime(2025, 12, 16),
        "Ontvangen op": datetime(2025, 12, 2),
    },
    {
        "Tijdstip": datetime(2026, 1, 5, 9, 0),
        "Klantnr": "1002",
        "Actie": "Betaalbelofte",
        "Kanaal": "telefoon",
        "Beloofd op": datetime(2026, 1, 31),
        "Notitie": "Belt terug",
    },
]

REGELINGEN = [
    {"Klantnr": "1001", "Termijn": 1, "Vervaldatum": datetime(2026, 1, 31), "Bedrag": 300},
    {"Klantnr": "1001", "Termijn": 2, "Vervaldatum": datetime(2026, 2, 28), "Bedrag": 289.5},
]


class Book:
    """The template, with rows written by header text; save and read it in one call."""

    def __init__(self, tmp_path: Path) -> None:
        self.wb: Workbook = build_template()
        self.tmp_path = tmp_path
        self.records: dict[str, list[dict[str, object]]] = {}

    def settings(self, values: dict[str, object]) -> Book:
        """Set Instellingen values by label; a label not yet present gets a new row."""
        ws = self.wb[schema.INSTELLINGEN.name]
        rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
        for label, value in values.items():
            row = rows.get(label)
            if row is None:
                row = ws.max_row + 1
                ws.cell(row=row, column=1, value=label)
                self._grow(ws, row)
            ws.cell(row=row, column=2).value = value
        return self

    def rows(
        self,
        sheet: str,
        records: Sequence[dict[str, object] | None],
        headers: Sequence[str] | None = None,
    ) -> Book:
        """Replace a sheet's table rows; ``None`` is an empty row; ``headers`` reorders."""
        self.records[sheet] = [dict(r) for r in records if r is not None]
        ws = self.wb[sheet]
        declared = [c.header for c in schema.sheet_by_name(sheet).columns]
        headers = list(headers or declared)
        ws.delete_rows(1, ws.max_row)
        for position, header in enumerate(headers, start=1):
            ws.cell(row=1, column=position, value=header)
        for row, record in enumerate(records, start=2):
            for header, value in (record or {}).items():
                ws.cell(row=row, column=headers.index(header) + 1, value=value)
        table = next(iter(ws.tables.values()))
        table.ref = f"A1:{get_column_letter(len(headers))}{max(2, len(records) + 1)}"
        table.tableColumns = []
        table.autoFilter = None
        return self

    def cell(self, sheet: str, row: int, header: str, value: object) -> Book:
        """Set one cell by Excel row and header text."""
        ws = self.wb[sheet]
        headers = [c.value for c in ws[1]]
        ws.cell(row=row, column=headers.index(header) + 1).value = value
        return self

    def drop_column(self, sheet: str, header: str) -> Book:
        """Remove a column (header and cells) from a sheet's table."""
        ws = self.wb[sheet]
        headers = [c.value for c in ws[1]]
        ws.delete_cols(headers.index(header) + 1)
        table = next(iter(ws.tables.values()))
        table.ref = f"A1:{get_column_letter(len(headers) - 1)}{max(2, ws.max_row)}"
        table.tableColumns = []
        table.autoFilter = None
        return self

    def save(self, name: str = "boek.xlsx") -> Path:
        path = self.tmp_path / name
        save_deterministic(self.wb, path)
        return path

    def read(self, as_of: date = AS_OF) -> tuple[WorkbookData, list[Issue]]:
        return read_workbook(self.save(), as_of)

    @staticmethod
    def _grow(ws, last_row: int) -> None:
        table = next(iter(ws.tables.values()))
        first, _, end = table.ref.partition(":")
        table.ref = f"{first}:{end.rstrip('0123456789')}{last_row}"
        table.autoFilter = None


def realistic(tmp_path: Path) -> Book:
    book = Book(tmp_path).settings(CREDITOR)
    book.rows("Klanten", KLANTEN).rows("Facturen", FACTUREN).rows("Betalingen", BETALINGEN)
    return book.rows("Acties", ACTIES).rows("Regelingen", REGELINGEN)


@pytest.fixture
def book(tmp_path: Path) -> Book:
    return realistic(tmp_path)


@pytest.fixture
def empty_book(tmp_path: Path) -> Book:
    return Book(tmp_path)


def describe(path: Path) -> dict[str, object]:
    """Return a workbook's content in comparable form: cells, tables, formats, validations."""
    wb = openpyxl.load_workbook(path)
    props = wb.properties
    result: dict[str, object] = {
        "sheets": wb.sheetnames,
        "properties": (props.creator, props.title, props.created, props.modified),
    }
    for ws in wb.worksheets:
        cells = [
            (
                c.coordinate,
                c.value,
                c.number_format,
                bool(c.font.b),
                c.font.color.rgb if c.font.color is not None else None,
                c.fill.fill_type,
                c.fill.fgColor.rgb,
                c.alignment.wrap_text,
                c.comment.text if c.comment else None,
            )
            for row in ws.iter_rows()
            for c in row
        ]
        tables = sorted(
            (
                t.displayName,
                t.ref,
                t.tableStyleInfo.name if t.tableStyleInfo else None,
                tuple(col.name for col in t.tableColumns),
            )
            for t in ws.tables.values()
        )
        validations = sorted(
            (
                str(dv.sqref),
                dv.type,
                dv.operator,
                dv.formula1,
                dv.formula2,
                dv.allow_blank,
                dv.showErrorMessage,
                dv.errorStyle,
                dv.errorTitle,
                dv.error,
            )
            for dv in ws.data_validations.dataValidation
        )
        formats = [
            (
                str(area.sqref),
                [
                    (
                        rule.type,
                        rule.priority,
                        tuple(rule.formula),
                        rule.stopIfTrue,
                        rule.dxf.fill.bgColor.rgb if rule.dxf and rule.dxf.fill else None,
                    )
                    for rule in area.rules
                ],
            )
            for area in ws.conditional_formatting
        ]
        columns = {
            key: (dim.width, dim.number_format) for key, dim in sorted(ws.column_dimensions.items())
        }
        heights = {key: dim.height for key, dim in ws.row_dimensions.items() if dim.height}
        result[ws.title] = {
            "cells": cells,
            "tables": tables,
            "validations": validations,
            "conditional_formats": formats,
            "columns": columns,
            "heights": heights,
            "freeze": ws.freeze_panes,
        }
    return result


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, object]]:
    return describe
