"""A workbook in the 1904 date system (Excel for Mac before 2011; Excel keeps it in such a
book): every date debiteuren reads and writes is the day it means, as in any other workbook.

Before, the package patcher wrote day numbers of the 1900 system into such a book: every date
it wrote (the computed Per and Verjaart op, the Overzicht's peildatum, the dates of appended
Betalingen and Acties rows) showed four years and a day later in Excel.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from camt_entries import credit, statement  # the shared statement builder
from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service import pipeline
from debiteuren.service.payments import import_statements
from debiteuren.workbook import read
from debiteuren.workbook.xlsx_patch import Patch

NOW = datetime(2026, 10, 15, 12, 0)


def _mac(source: Path, target: Path) -> Path:
    """Save ``source`` as a workbook in the 1904 date system (its dates the same days)."""
    book = openpyxl.load_workbook(source)
    book.epoch = CALENDAR_MAC_1904
    book.save(target)
    with zipfile.ZipFile(target) as z:
        assert b'date1904="1"' in z.read("xl/workbook.xml")
    return target


def _values(path: Path) -> dict[str, list[list[object]]]:
    """Every cell's value as openpyxl reads it (in the book's own date system)."""
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


@pytest.fixture
def pair(demo, tmp_path):
    """The demo in the 1900 date system, and the same book in the 1904 system."""
    plain = Path(shutil.copyfile(demo, tmp_path / "windows.xlsx"))
    return plain, _mac(demo, tmp_path / "mac.xlsx")


def test_bijwerken_writes_the_same_days_in_a_1904_book(pair):
    for book in pair:
        service.update(book, DEMO_AS_OF, now=NOW)
    plain, mac = (_values(book) for book in pair)
    assert mac == plain
    assert mac["Overzicht"][1][1] == datetime(2026, 10, 15)  # the peildatum, not 16-10-2030
    facturen = mac["Facturen"]
    at = facturen[0].index("Verjaart op")
    assert {row[at] for row in facturen[1:]} - {None} and all(
        row[at] is None or row[at].year < 2040 for row in facturen[1:]
    )


def test_betalingen_appends_rows_with_their_own_day_in_a_1904_book(pair, tmp_path):
    statement_file = tmp_path / "afschrift.xml"
    entries = [
        credit("M1", "2026-10-12", "847.00", "factuur 2026-0107"),
        credit("M2", "2026-10-13", "12.34", "gift"),
        credit("M3", "2026-10-14", "10.00", "gift"),
    ]
    statement_file.write_text(statement(entries))
    for book in pair:
        result = import_statements(book, [statement_file], as_of=DEMO_AS_OF, now=NOW)
        assert result.rows_added == 3
    plain, mac = (_values(book) for book in pair)
    assert mac == plain
    rows = mac["Betalingen"]
    at = rows[0].index("Bankreferentie")
    days = {row[at]: row[0] for row in rows[1:] if str(row[at]).startswith("M")}
    assert days == {
        "M1": datetime(2026, 10, 12),
        "M2": datetime(2026, 10, 13),
        "M3": datetime(2026, 10, 14),
    }


def test_a_day_number_in_a_1904_book_is_read_as_that_day(demo, tmp_path):
    """A date column's cell that holds a bare day number (no date format) counts from 1904 in
    such a book, as Excel shows it once the cell gets a date format."""
    mac = _mac(demo, tmp_path / "mac.xlsx")
    book = openpyxl.load_workbook(mac)
    ws = book["Facturen"]
    headers = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=headers.index("Factuurdatum") + 1)
    number = ws.cell(row=2, column=1).value
    meant = cell.value.date()
    cell.value = (meant - date(1904, 1, 1)).days  # the day number in the 1904 system
    cell.number_format = "General"
    book.save(mac)
    loaded = pipeline.read_book(mac, DEMO_AS_OF, for_writing=False)
    assert all(t.date1904 for t in loaded.tables.values())
    invoice = next(i for i in loaded.data.invoices if i.number == number)
    assert invoice.invoice_date == meant
    service.update(mac, DEMO_AS_OF, now=NOW)  # the cell stays a number: read as that day
    again = pipeline.read_book(mac, DEMO_AS_OF, for_writing=False)
    assert next(i for i in again.data.invoices if i.number == number).invoice_date == meant


def test_an_ordinary_book_counts_from_1900(demo):
    assert not Patch(demo).date1904
    assert not any(t.date1904 for t in read.load_tables(demo).values())


@pytest.mark.parametrize("flag", ['date1904="true"', 'date1904="1"'])
def test_the_patcher_sees_either_spelling(demo, tmp_path, flag):
    target = tmp_path / "mac.xlsx"
    with zipfile.ZipFile(demo) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/workbook.xml":
                text = data.decode()
                assert "<workbookPr" in text
                data = text.replace("<workbookPr", f"<workbookPr {flag}", 1).encode()
            new.writestr(info, data)
    patch = Patch(target)
    assert patch.date1904 and patch.epoch == date(1904, 1, 1)
