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
from fake_xlwings import FakeBook, Formula, book_from_file

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


@pytest.fixture(params=["patch", "openpyxl"])
def engine(request, monkeypatch) -> str:
    """Save through the xlsx patcher, or through its openpyxl fallback."""
    if request.param == "openpyxl":

        def refuse(*args, **kwargs):
            raise xlsx_patch.UnexpectedStructure("test: use openpyxl")

        monkeypatch.setattr(xlsx_patch, "Patch", refuse)
    return request.param


@pytest.fixture
def demo(demo: Path) -> Path:
    path = demo  # the shared demo workbook (conftest), changed here
    book = openpyxl.load_workbook(path)
    ws = book["Klanten"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in HOSTILE:
            row[1].value = HOSTILE[row[0].value]
            row[1].data_type = "s"  # stored as text, as Excel stores '=... typed with a quote
    book.save(path)
    assert formulas(path) == []
    return path


def test_bijwerken_writes_the_names_into_the_overzicht_as_text(demo: Path, engine):
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


def _hostile_statement(
    tmp_path: Path, payer: str = HOSTILE["K002"], text: str = '=HYPERLINK("http://x","y")'
) -> Path:
    """A statement with one credit that matches no invoice, from a payer with a hostile name."""
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id>
<CreDtTm>2026-10-14T18:00:00</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id>
<Ccy>EUR</Ccy></Acct><Ntry><Amt Ccy="EUR">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>
<AcctSvcrRef>=1+1</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>=1+1</AcctSvcrRef></Refs>
<RltdPties><Dbtr><Nm>{payer}</Nm></Dbtr><DbtrAcct><Id><IBAN>NL20INGB0001234567</IBAN>
</Id></DbtrAcct></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>
</TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>""".replace("&", "&amp;"),
        encoding="utf-8",
    )
    return statement


def test_bank_texts_are_stored_as_text(demo: Path, tmp_path: Path):
    service.update(demo, DEMO_AS_OF, now=NOW)
    statement = _hostile_statement(tmp_path)
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


def _updated_in_excel(path: Path) -> tuple[FakeBook, LiveBook]:
    """Return the workbook open in (fake) Excel after the button Bijwerken."""
    book = book_from_file(path)
    live = LiveBook(book)
    live.tables()
    update_live(live, DEMO_AS_OF)
    return book, live


def test_live_writes_keep_hostile_names_and_codes_as_text(demo: Path):
    book, live = _updated_in_excel(demo)
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


# --- the sections and columns added with issues 11 and 14 ----------------------------------------

BANK_TEXTS = (HOSTILE["K002"], '=HYPERLINK("http://x","y")')


@pytest.fixture
def unmatched(demo: Path, tmp_path: Path) -> Path:
    """The demo with a received payment that is linked to no invoice ("Te controleren")."""
    service.update(demo, DEMO_AS_OF, now=NOW)
    result = import_statements(demo, [_hostile_statement(tmp_path)], as_of=DEMO_AS_OF, now=NOW)
    assert [r.status for r in result.to_review] == ["Te controleren"]
    return demo


def test_the_overzichts_review_section_holds_bank_texts_as_text(unmatched: Path, engine):
    book = openpyxl.load_workbook(unmatched)
    del book["Overzicht"]  # written again whole, with its review section
    book.create_sheet("Overzicht")
    book.save(unmatched)
    service.update(unmatched, DEMO_AS_OF, now=NOW)
    assert formulas(unmatched) == []
    shown = texts(unmatched, "Overzicht")
    assert any(t.startswith("Te controleren: 1 ontvangen betaling") for t in shown)
    for text in BANK_TEXTS:
        assert shown.get(text) is True, text


def test_the_exports_unmatched_receipts_hold_bank_texts_as_text(unmatched: Path, tmp_path: Path):
    result = export(unmatched, DEMO_AS_OF, out_dir=tmp_path / "export")
    assert formulas(result.workbook) == []
    shown = texts(result.workbook, "Ongekoppelde ontvangsten")
    for text in BANK_TEXTS:
        assert shown.get(text) is True, text


def test_the_live_review_section_keeps_bank_texts_as_text(unmatched: Path):
    book, _ = _updated_in_excel(unmatched)
    overview = book.sheet("Overzicht")
    assert not overview.formulas()
    assert set(BANK_TEXTS) <= set(overview.cells.values())


def test_the_call_lists_new_columns_hold_texts_as_text(demo: Path):
    book = openpyxl.load_workbook(demo)
    ws = book["Klanten"]
    contact = next(c.column for c in ws[1] if c.value == "Contactpersoon")
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "K001":
            ws.cell(row=row[0].row, column=contact, value="@SUM(1)").data_type = "s"
    book.save(demo)
    service.update(demo, DEMO_AS_OF, now=NOW)
    result = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, eml=False, confirm_stale=True)
    assert result.call_list is not None and formulas(result.call_list) == []
    headers = [c.value for c in openpyxl.load_workbook(result.call_list)["Belijst"][1]]
    assert {"Contactpersoon", "Laatste brief", "Uitkomst", "Beloofd op"} <= set(headers)
    shown = texts(result.call_list, "Belijst")
    assert shown["@SUM(1)"] is True and shown[HOSTILE["K001"]] is True


def test_typed_cells_written_back_beside_hostile_texts(demo: Path, engine):
    """A date and an amount typed as text become real ones; the formula-like texts beside them
    (names, a description) stay texts."""
    book = openpyxl.load_workbook(demo)
    ws = book["Facturen"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "2026-0135")
    for header, text in (("Factuurdatum", "13-10-2026"), ("Bedrag (incl. btw)", "€ 75,-")):
        cell = ws.cell(row=row, column=head[header], value=text)
        cell.quotePrefix = True
    described = ws.cell(row=row, column=head["Omschrijving"], value="=1+1")
    described.data_type = "s"
    book.save(demo)
    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert len(result.tidied) == 2
    assert formulas(demo) == []
    ws = openpyxl.load_workbook(demo)["Facturen"]
    assert ws.cell(row=row, column=head["Factuurdatum"]).value == datetime(2026, 10, 13)
    assert ws.cell(row=row, column=head["Bedrag (incl. btw)"]).value == 75
    assert not ws.cell(row=row, column=head["Bedrag (incl. btw)"]).quotePrefix
    assert "=1+1" in texts(demo, "Facturen")  # the user's own text, kept as it was
    assert set(HOSTILE.values()) <= set(texts(demo, "Klanten"))


# --- Excel's _xHHHH_ escapes ---------------------------------------------------------------------

#: Texts Excel (and python-calamine) would show as something else when written as they are:
#: Excel decodes ``_xHHHH_`` in a cell (ECMA-376 ST_Xstring), so the first showed as
#: ``=HYPERLINK(…)`` without the quote prefix, the second as two lines.
ESCAPES = ('_x003D_HYPERLINK("http://x","y")', "Bakker_x000D__x000A_K999 alles betaald")


def excel_shows(source: Path | bytes, sheet: str) -> set[str]:
    """Return every text on a sheet as Excel shows it: with each ``_xHHHH_`` decoded."""
    from openpyxl.utils.escape import unescape

    book = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
    return {
        unescape(c.value)
        for row in book[sheet].iter_rows()
        for c in row
        if c.value.__class__ is str
    }


def test_an_escape_in_a_bank_text_stays_the_text_it_was(demo: Path, tmp_path: Path, engine):
    service.update(demo, DEMO_AS_OF, now=NOW)
    statement = _hostile_statement(tmp_path, payer=ESCAPES[1], text=ESCAPES[0])
    assert import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW).rows_added == 1
    assert set(ESCAPES) <= excel_shows(demo, "Betalingen")


def test_an_escape_in_a_name_stays_the_text_it_was_in_the_files_we_make(demo: Path, tmp_path: Path):
    book = openpyxl.load_workbook(demo)
    for row in book["Klanten"].iter_rows(min_row=2):
        if row[0].value in ("K001", "K012"):  # as Excel stores a typed _x003D_: _x005F_x003D_
            row[1].value = ESCAPES[row[0].value == "K012"].replace("_x", "_x005F_x")
    book.save(demo)
    service.update(demo, DEMO_AS_OF, now=NOW)
    assert set(ESCAPES) <= excel_shows(demo, "Overzicht")
    made = export(demo, DEMO_AS_OF, out_dir=tmp_path / "export").workbook
    names = openpyxl.load_workbook(made).sheetnames
    assert set(ESCAPES) <= set().union(*(excel_shows(made, title) for title in names))
