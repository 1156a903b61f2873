"""Cells as Excel users type them: text dates and amounts, rows typed under a table."""

from __future__ import annotations

import sys
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import ValidationFailed
from debiteuren.service import live as live_service
from debiteuren.workbook import read, xlsx_patch
from debiteuren.workbook.live import LiveBook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "excel"))
from fake_xlwings import book_from_file

NOW = datetime(2026, 10, 15, 12, 0)
MONEY = '"€" #,##0.00;"€" -#,##0.00'


@pytest.fixture
def demo(tmp_path) -> Path:
    return service.demo_workbook(tmp_path / "demo.xlsx")


def _column(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def _row(ws, first: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == first)


def _type_text(path: Path, cells: list[tuple[str, str, str, str]]) -> None:
    """Type text into cells as Excel keeps '15-3-2026: a string with the text mark."""
    book = openpyxl.load_workbook(path)
    for sheet, first, header, text in cells:
        ws = book[sheet]
        cell = ws.cell(row=_row(ws, first), column=_column(ws, header), value=text)
        cell.quotePrefix = True
    book.save(path)


def _computed(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path, data_only=True)["Facturen"]
    return [row[:1] + row[12:] for row in ws.iter_rows(min_row=2, values_only=True)]


TEXT = [
    ("Facturen", "2026-0135", "Bedrag (incl. btw)", "€ 75,-"),
    ("Facturen", "2026-0135", "Factuurdatum", "13-10-2026"),
    ("Facturen", "2026-0088", "Bedrag (incl. btw)", "12.100,00"),
    ("Facturen", "2026-0091", "Vervaldatum", "3-8-2026"),
]


def test_dates_and_amounts_typed_as_text_become_real_ones_and_are_named(tmp_path, demo):
    reference = service.demo_workbook(tmp_path / "ref" / "demo.xlsx")
    service.update(reference, DEMO_AS_OF, now=NOW)
    _type_text(demo, TEXT)

    data, issues = read.read_workbook(demo, DEMO_AS_OF)
    assert issues == []
    cells = sorted(data.text_cells, key=lambda c: (c.row, c.column))
    assert [(c.sheet, c.row, c.header, c.text, c.value) for c in cells] == [
        ("Facturen", 24, "Bedrag (incl. btw)", "12.100,00", D("12100.00")),
        ("Facturen", 25, "Vervaldatum", "3-8-2026", date(2026, 8, 3)),
        ("Facturen", 41, "Factuurdatum", "13-10-2026", date(2026, 10, 13)),
        ("Facturen", 41, "Bedrag (incl. btw)", "€ 75,-", D("75.00")),
    ]

    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert result.saved
    assert (
        "Facturen, rij 24, Bedrag (incl. btw): '12.100,00' stond als tekst in de cel; nu het "
        "bedrag € 12.100,00." in result.tidied
    )
    assert (
        "Facturen, rij 25, Vervaldatum: '3-8-2026' stond als tekst in de cel; nu de datum "
        "03-08-2026." in result.tidied
    )
    ws = openpyxl.load_workbook(demo)["Facturen"]
    row, amount = _row(ws, "2026-0135"), _column(ws, "Bedrag (incl. btw)")
    cell = ws.cell(row=row, column=amount)
    assert (cell.value, cell.data_type, cell.number_format, cell.quotePrefix) == (
        75,
        "n",
        MONEY,
        False,
    )
    cell = ws.cell(row=row, column=_column(ws, "Factuurdatum"))
    assert (cell.value, cell.number_format) == (datetime(2026, 10, 13), "dd-mm-yyyy")
    # The same figures as for the workbook typed with numbers and dates, to the cent.
    assert _computed(demo) == _computed(reference)
    data, _ = read.read_workbook(demo, DEMO_AS_OF)
    assert data.text_cells == []
    again = service.update(demo, DEMO_AS_OF, now=NOW)
    assert not again.saved and again.tidied == ()


def test_the_openpyxl_fallback_converts_too(monkeypatch, demo):
    def refuse(*args, **kwargs):
        raise xlsx_patch.UnexpectedStructure("test")

    monkeypatch.setattr(xlsx_patch.Patch, "set_table_ref", refuse)
    _type_text(demo, TEXT[:1])
    book = openpyxl.load_workbook(demo)
    ws = book["Facturen"]
    ws.cell(row=ws.max_row + 1, column=1, value="2026-0199")  # under the table
    for header, value in (
        ("Klantnr", "K001"),
        ("Factuurdatum", datetime(2026, 10, 1)),
        ("Vervaldatum", datetime(2026, 10, 31)),
    ):
        ws.cell(row=ws.max_row, column=_column(ws, header), value=value)
    ws.cell(row=ws.max_row, column=_column(ws, "Bedrag (incl. btw)"), value="99,95")
    book.save(demo)

    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert len(result.tidied) == 3
    book = openpyxl.load_workbook(demo)
    ws = book["Facturen"]
    assert ws.tables["tblFacturen"].ref == f"A1:W{ws.max_row}"
    assert ws.cell(row=ws.max_row, column=_column(ws, "Bedrag (incl. btw)")).value == 99.95
    assert ws.cell(row=_row(ws, "2026-0135"), column=_column(ws, "Bedrag (incl. btw)")).value == 75


def test_rows_typed_under_a_table_join_it(demo):
    book = openpyxl.load_workbook(demo)
    ws = book["Betalingen"]
    ref = ws.tables["tblBetalingen"].ref
    last = int(ref.split(":")[1][1:])
    # As LibreOffice leaves it: two rows right under the table, which stays as it was.
    for offset, (day, amount, text) in enumerate(
        [(datetime(2026, 10, 12), 100, "deel 2026-0113"), (datetime(2026, 10, 13), "44,50", "rest")]
    ):
        r = last + 1 + offset
        ws.cell(row=r, column=1, value=day)
        ws.cell(row=r, column=2, value=amount)
        ws.cell(row=r, column=3, value="K007")
        ws.cell(row=r, column=4, value="2026-0113")
        ws.cell(row=r, column=5, value=text)
    book.save(demo)
    assert openpyxl.load_workbook(demo)["Betalingen"].tables["tblBetalingen"].ref == ref

    growth = read.table_growth(read.load_tables(demo))
    assert [(g.table, g.first, g.last) for g in growth] == [("tblBetalingen", last + 1, last + 2)]
    assert growth[0].message == (
        f"Betalingen: rij {last + 1} t/m {last + 2}, onder de tabel getypt, hoort nu bij de "
        "tabel tblBetalingen."
    )
    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert growth[0].message in result.tidied
    ws = openpyxl.load_workbook(demo)["Betalingen"]
    table = ws.tables["tblBetalingen"]
    assert table.ref == f"A1:M{last + 2}" and table.autoFilter.ref == table.ref
    assert ws.cell(row=last + 2, column=2).value == 44.5
    facturen = openpyxl.load_workbook(demo, data_only=True)["Facturen"]
    paid = facturen.cell(row=_row(facturen, "2026-0113"), column=_column(facturen, "Betaald"))
    assert paid.value == 144.5  # both payments count
    assert read.table_growth(read.load_tables(demo)) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,250", "'1,250' is geen eenduidig bedrag"),
        ("0.125", "'0.125' is geen eenduidig bedrag"),
        ("twaalf", "'twaalf' is geen bedrag"),
    ],
)
def test_an_amount_that_can_mean_two_things_is_refused_with_the_cell_named(demo, text, message):
    _type_text(demo, [("Facturen", "2026-0135", "Bedrag (incl. btw)", text)])
    before = demo.read_bytes()
    with pytest.raises(ValidationFailed) as failed:
        service.update(demo, DEMO_AS_OF, now=NOW)
    (issue,) = failed.value.issues
    assert str(issue.source) == "Facturen, rij 41, Bedrag (incl. btw)"
    assert issue.message.startswith(message)
    assert demo.read_bytes() == before


@pytest.mark.parametrize("text", ["20-10-2026 25:00", "20-10-2026 14:75", "20 okt 2026 9:30:61"])
def test_a_date_with_a_time_that_does_not_exist_is_refused_not_cut_to_the_day(demo, text):
    # the time was dropped without a word: the Tijdstip became 20-10-2026, 00:00
    _type_text(demo, [("Acties", _acties_first(demo), "Tijdstip", text)])
    before = demo.read_bytes()
    with pytest.raises(ValidationFailed) as failed:
        service.update(demo, DEMO_AS_OF, now=NOW)
    (issue,) = failed.value.issues
    assert str(issue.source).startswith("Acties, rij ") and "Tijdstip" in str(issue.source)
    assert issue.message.startswith(f"'{text}': ") and "is geen tijd" in issue.message
    assert demo.read_bytes() == before
    assert read._date("20-10-2026 23:59") == date(2026, 10, 20)


def _acties_first(path: Path) -> object:
    return openpyxl.load_workbook(path)["Acties"].cell(row=2, column=1).value


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.250,00", "1250.00"),
        ("€ 500,-", "500.00"),
        ("EUR 1.234.567,8", "1234567.80"),
        ("1250.5", "1250.50"),
        ("1,250.00", "1250.00"),
        ("-12,50", "-12.50"),
        ("1.250", "1250.00"),
    ],
)
def test_amounts_typed_as_text(text, amount):
    assert read._money(text) == D(amount)


def test_bijwerken_says_what_it_put_right(demo):
    _type_text(demo, [("Regelingen", "K005", "Vervaldatum", "2026-05-05")])
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 0, result.output
    assert (
        "Verbeterd: Regelingen, rij 2, Vervaldatum: '2026-05-05' stond als tekst in de cel; nu "
        "de datum 05-05-2026." in result.output
    )


def test_the_excel_button_converts_in_the_open_book(monkeypatch, demo):
    _type_text(demo, TEXT[:1])
    book = book_from_file(demo)
    result = live_service.update_live(LiveBook(book), DEMO_AS_OF)
    assert result.tidied and "'€ 75,-' stond als tekst" in result.tidied[0]
    assert "Verbeterd in het werkboek:" in result.notes
    ws = book.sheet("Facturen")
    assert ws.cells[(41, 5)] == 75.0
    assert ws.formats[(41, 5)] == MONEY
