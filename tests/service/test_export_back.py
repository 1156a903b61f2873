"""``export --per`` shows the book as it was that day, from any workbook (review of session
27): a payment plan agreed later was not there yet."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.letters import render
from debiteuren.service.export import SHEET_ITEMS, export
from debiteuren.service.payments import payment_plan

DAY_BEFORE = DEMO_AS_OF - timedelta(days=1)


@pytest.fixture
def no_pdf(monkeypatch):
    monkeypatch.setattr(render, "convert_to_pdf", lambda docx, out: None)


def _phases(path, customer: str) -> dict[str, str]:
    rows = list(openpyxl.load_workbook(path)[SHEET_ITEMS].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Klantnr")
    head = rows[start]
    return {
        r[head.index("Factuurnr")]: r[head.index("Fase")]
        for r in rows[start + 1 :]
        if r[0] == customer
    }


def test_a_plan_agreed_later_was_no_plan_on_an_earlier_day(demo, tmp_path, no_pdf):
    """K001 agreed a plan on 15-10-2026. The export per 14-10-2026 showed its invoices
    in the Fase 'Regeling' a day before it was agreed: Regelingen has no date, and the plan's Acties row, which has, was left out
    as later than the peildatum while its instalments were not."""
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    before = _phases(export(demo, DAY_BEFORE, out_dir=tmp_path / "voor").workbook, "K001")
    assert set(before.values()) == {"Vervallen", "Herinnerd"}
    payment_plan(
        demo,
        customer="K001",
        instalments=3,
        first=date(2026, 11, 1),
        as_of=DEMO_AS_OF,
        now=datetime(2026, 10, 15, 10, 0),
    )
    on_the_day = export(demo, DEMO_AS_OF, out_dir=tmp_path / "dag").workbook
    assert set(_phases(on_the_day, "K001").values()) == {"Regeling"}
    assert _phases(export(demo, DAY_BEFORE, out_dir=tmp_path / "na").workbook, "K001") == before


def test_a_control_character_in_the_workbooks_name_stops_no_export(demo, tmp_path, no_pdf):
    """A workbook's file name may hold a control character on Linux or macOS (saved from a
    mail attachment, a script). The summary page names its source: python-docx refused the
    text and the export stopped with a traceback, after the .xlsx and the CSV were written."""
    if os.name == "nt":
        pytest.skip("Windows file names hold no control characters")
    odd = Path(shutil.copyfile(demo, demo.with_name("boek\x01\x1b[2J.xlsx")))
    result = export(odd, DEMO_AS_OF, out_dir=tmp_path / "uit")
    assert result.docx is not None
    text = "\n".join(p.text for p in Document(str(result.docx)).paragraphs)
    assert "Bron: boek[2J.xlsx." in text
