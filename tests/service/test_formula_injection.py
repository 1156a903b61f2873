"""Names that look like formulas stay text in every .xlsx debiteuren writes, and in live Excel.

The demo workbook gets hostile customer names, stored as text (as a user typing them with a
leading apostrophe, or an e-invoice import, would store them). After every command that writes
a spreadsheet, no cell of it is a formula, and each name is there as the text it was.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service.changes import Changes
from debiteuren.service.export import export
from debiteuren.service.handover import handover
from debiteuren.service.live import update_live
from debiteuren.service.payments import import_statements
from debiteuren.workbook import xlsx_patch
from debiteuren.workbook.cells import excel_text
from debiteuren.workbook.live import LiveBook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "excel"))
from fake_xlwings import Formula, book_from_file

NOW = datetime(2026, 10, 15, 12, 0)
HOSTILE = {
    "K001": '=HYPERLINK("http://x","y")',
    "K002": "+cmd|' /C calc'!A0",
    "K003": "@SUM(1)",
    "K012": "-2+3+cmd|' /C calc'!A0",
}


def formulas(source: Path | bytes) -> list[tuple[str, str, object]]:
    """Return (sheet, cell, value) of every formula cell in an .xlsx file."""
    book = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
    return [
        (ws.title, cell.coordinate, cell.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def texts(path: Path, sheet: str) -> dict[str, bool]:
    """Return every text on a sheet -> whether its cell has Excel's quote prefix."""
    ws = openpyxl.load_workbook(path)[sheet]
    return {
        c.value: bool(c.quotePrefix)
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.data_type == "s"
    }


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["Klanten"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in HOSTILE:
            row[1].value = HOSTILE[row[0].value]
            row[1].data_type = "s"  # stored as text, as Excel stores '=... typed with a quote
    book.save(path)
    assert formulas(path) == []
    return path


@pytest.mark.parametrize("patched", [True, False], ids=["patch", "openpyxl"])
def test_bijwerken_writes_the_names_into_the_overzicht_as_text(demo: Path, monkeypatch, patched):
    if not patched:

        def refuse(*args, **kwargs):
            raise xlsx_patch.UnexpectedStructure("test: use openpyxl")

        monkeypatch.setattr(xlsx_patch, "Patch", refuse)
    service.update(demo, DEMO_AS_OF, now=NOW)
    assert formulas(demo) == []
    shown = texts(demo, "Overzicht")
    for name in HOSTILE.values():
        assert shown.get(name) is True, name  # the text itself, with the quote prefix


def test_belijst_holds_the_names_as_text(demo: Path):
    service.update(demo, DEMO_AS_OF, now=NOW)
    result = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, eml=False, confirm_stale=True)
    assert result.call_list is not None
    assert formulas(result.call_list) == [] and formulas(demo) == []
    assert texts(result.call_list, "Belijst")[HOSTILE["K001"]] is True


def test_bank_texts_are_stored_as_text(demo: Path, tmp_path: Path):
    service.update(demo, DEMO_AS_OF, now=NOW)
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id>
<CreDtTm>2026-10-14T18:00:00</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id>
<Ccy>EUR</Ccy></Acct><Ntry><Amt Ccy="EUR">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>
<AcctSvcrRef>=1+1</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>=1+1</AcctSvcrRef></Refs>
<RltdPties><Dbtr><Nm>{HOSTILE["K002"]}</Nm></Dbtr><DbtrAcct><Id><IBAN>NL20INGB0001234567</IBAN>
</Id></DbtrAcct></RltdPties><RmtInf><Ustrd>=HYPERLINK("http://x","y")</Ustrd></RmtInf>
</TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>""".replace("&", "&amp;"),
        encoding="utf-8",
    )
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert result.rows_added == 1
    assert formulas(demo) == []
    shown = texts(demo, "Betalingen")
    assert shown[HOSTILE["K002"]] and shown['=HYPERLINK("http://x","y")'] and shown["=1+1"]


def test_the_hand_over_specification_holds_the_name_as_text(demo: Path, tmp_path: Path):
    service.update(demo, DEMO_AS_OF, now=NOW)
    result = handover(
        demo, DEMO_AS_OF, customer="K012", to="Incasso B.V.", now=NOW, out_dir=tmp_path / "uit"
    )
    spec = result.folder / "specificatie.xlsx"
    assert formulas(spec) == [] and formulas(demo) == []
    assert any(HOSTILE["K012"] in text for text in texts(spec, "Samenvatting"))
    with zipfile.ZipFile(result.archive) as archive:
        (inside,) = [n for n in archive.namelist() if n.endswith("specificatie.xlsx")]
        assert formulas(archive.read(inside)) == []


def test_the_accountant_export_holds_the_names_as_text(demo: Path, tmp_path: Path):
    service.update(demo, DEMO_AS_OF, now=NOW)
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path / "export")
    assert formulas(result.workbook) == []
    sheets = openpyxl.load_workbook(result.workbook).sheetnames
    found = {t for title in sheets for t in texts(result.workbook, title)}
    assert set(HOSTILE.values()) <= found


def test_the_patcher_writes_formula_like_text_with_a_quote_prefix(demo: Path, tmp_path: Path):
    target = tmp_path / "uit.xlsx"
    with xlsx_patch.Patch(demo) as patch:
        patch.set_cells("Facturen", {2: {6: "=1+1", 12: "@SUM(1)\x01"}})
        patch.write(target)
    assert formulas(target) == []
    ws = openpyxl.load_workbook(target)["Facturen"]
    assert (ws["F2"].value, ws["F2"].quotePrefix) == ("=1+1", True)
    assert (ws["L2"].value, ws["L2"].quotePrefix) == ("@SUM(1)", True)


# --- live Excel (the fake behaves as Excel does with typed text) ---------------------------------


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "+cmd|' /C calc'!A0"),
        ("@SUM(1)", "@SUM(1)"),
        ("-5", "-5"),
        ("2026-04", "2026-04"),
        ("00123", "00123"),
        ("12-3", "12-3"),
        ("WAAR", "WAAR"),
        ("'al een apostrof", "'al een apostrof"),
        ("Herinnerd", "Herinnerd"),
    ],
)
def test_excel_keeps_every_text_as_text(tmp_path: Path, text: str, stored: str):
    book = book_from_file(service.demo_workbook(tmp_path / "demo.xlsx"))
    book.sheet("Klanten").cells.clear()
    book.sheet("Klanten").range((1, 1), (1, 1)).value = [[excel_text(text)]]
    assert book.sheet("Klanten").cells[(1, 1)] == stored
    assert not book.sheet("Klanten").formulas()


def test_the_fake_excel_makes_formulas_of_unprotected_text(tmp_path: Path):
    book = book_from_file(service.demo_workbook(tmp_path / "demo.xlsx"))
    sheet = book.sheet("Klanten")
    sheet.range((1, 1), (1, 4)).value = [["=1+1", "+cmd|' /C calc'!A0", "2026-04", "00123"]]
    assert isinstance(sheet.cells[(1, 1)], Formula) and isinstance(sheet.cells[(1, 2)], Formula)
    assert sheet.cells[(1, 3)] == datetime(2026, 4, 1) and sheet.cells[(1, 4)] == 123.0


def test_live_writes_keep_hostile_names_and_codes_as_text(demo: Path):
    book = book_from_file(demo)
    live = LiveBook(book)
    live.tables()
    update_live(live, DEMO_AS_OF)
    overview = book.sheet("Overzicht")
    assert not overview.formulas()
    assert set(HOSTILE.values()) <= set(overview.cells.values())
    changes = Changes()
    changes.add_rows(
        "Betalingen",
        [
            {
                "on": date(2026, 10, 14),
                "amount": Decimal("1.00"),
                "debtor": "00123",
                "invoice": "2026-04",
                "text": "@SUM(1)",
                "payer_name": "-Jansen",
                "source": '=HYPERLINK("http://x","y")',
            }
        ],
    )
    live.apply(changes)
    payments = book.sheet("Betalingen")
    assert not payments.formulas() and not book.sheet("Facturen").formulas()
    last = max(r for r, _ in payments.cells)
    row = {v for (r, _), v in payments.cells.items() if r == last}
    assert {"00123", "2026-04", "@SUM(1)", "-Jansen", '=HYPERLINK("http://x","y")'} <= row
