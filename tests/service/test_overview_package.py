"""The Overzicht written as text (issue 17): the same bytes as openpyxl's own writer."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date
from decimal import Decimal as D

from debiteuren.core.book import overview
from debiteuren.core.review import PaymentToReview
from debiteuren.service.pipeline import assess, read_book
from debiteuren.workbook import write

SHEET = "xl/worksheets/sheet1.xml"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_overzicht_as_text_is_what_openpyxl_writes(demo):
    as_of = date(2026, 11, 27)
    loaded = read_book(demo, as_of, for_writing=False)
    ov = overview(assess(loaded, as_of), loaded.data.invoices)
    # texts that openpyxl escapes, keeps as text or marks with xml:space, on merged rows
    ov = dataclasses.replace(
        ov, rate_warnings=(" spatie vooraf", "=SOM(A1:A2)", "a < b & c > d", "één\r\ntwee")
    )
    review = [
        PaymentToReview(row=7, on=date(2026, 11, 2), amount=D("-12.50"), text="=1+1"),
        PaymentToReview(row=8, on=None, amount=None, text="USD 120,00 ✓", payer_name=" X "),
    ]
    book = write.overview_book(ov, date(2026, 11, 20), review)
    buffer = io.BytesIO()
    book.save(buffer)
    expected = parts(buffer.getvalue())

    package, xml = write.overview_package(ov, date(2026, 11, 20), review)

    assert xml == expected[SHEET]
    made = parts(package)
    assert set(made) == set(expected)
    for name in set(expected) - {SHEET, "docProps/core.xml"}:  # core.xml: the time it was made
        assert made[name] == expected[name], name
    assert b"<c " not in made[SHEET]  # the package's own copy has no cells


def test_a_cell_it_does_not_write_leaves_the_overzicht_to_openpyxl(demo, monkeypatch):
    as_of = date(2026, 11, 27)
    loaded = read_book(demo, as_of, for_writing=False)
    ov = overview(assess(loaded, as_of), loaded.data.invoices)
    buffer = io.BytesIO()
    write.overview_book(ov).save(buffer)

    def not_plain(ws):
        raise write._NotPlain("A1")

    monkeypatch.setattr(write, "_rows_xml", not_plain)
    package, xml = write.overview_package(ov)
    assert xml == parts(buffer.getvalue())[SHEET] == parts(package)[SHEET]
