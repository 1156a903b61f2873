"""Input cells as a confused user or another program leaves them: formulas, pasted amounts.

Excel and LibreOffice store a formula's computed value next to it (ECMA-376 part 1, 18.3.1.4
``c``: the ``f`` element holds the formula, ``v`` its last computed value); openpyxl and other
programs that do not calculate store the formula only. Every reader then sees an empty cell, and
an empty Betwist or Pauze tot would silently mean "not disputed", "no pause".
"""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from test_read import _one_invoice  # the sibling module: tables without a file

from debiteuren.workbook.read import convert_tables, read_workbook

AS_OF = date(2026, 1, 15)

UNCACHED = (
    "Cel {cell} bevat een formule zonder berekende waarde (het werkboek is bewaard door een "
    "programma dat niet rekent); open het werkboek in Excel of LibreOffice en bewaar het "
    "opnieuw, of typ de waarde zelf in."
)


def _where(issue) -> tuple[object, object, object]:
    return issue.source.sheet, issue.source.row, issue.source.column


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_formula_without_a_value_is_reported_not_read_as_empty(book, engine):
    if engine == "calamine":
        pytest.importorskip("python_calamine")
    book.cell("Facturen", 2, "Betwist", '=IF(1=1,"Ja","Nee")')  # column I
    book.cell("Facturen", 2, "Pauze tot", "=DATE(2026,3,1)")  # column J
    book.cell("Betalingen", 2, "Bedrag", "=400+100")  # column B

    _, issues = read_workbook(book.save(), AS_OF, engine=engine)

    found = [(_where(i), i.message) for i in issues]
    assert found[:2] == [
        (("Facturen", 2, "Betwist"), UNCACHED.format(cell="I2")),
        (("Facturen", 2, "Pauze tot"), UNCACHED.format(cell="J2")),
    ]
    assert (("Betalingen", 2, "Bedrag"), UNCACHED.format(cell="B2")) in found


def _with_cached_values(path: Path) -> Path:
    """Give the formulas openpyxl wrote the values Excel would store with them."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    for formula, cached in (
        (b'<f>IF(1=1,"Ja","Nee")</f><v></v>', b'<f>IF(1=1,"Ja","Nee")</f><v>Ja</v>'),
        (b'<f>""</f><v></v>', b'<f>""</f><v></v>'),
    ):
        assert formula in sheet
        sheet = sheet.replace(formula, cached)
    for cell in (b'<c r="I2"', b'<c r="L2"'):  # a computed text: t="str"
        assert sheet.count(cell) == 1
        sheet = sheet.replace(cell, b'<c t="str"' + cell[2:])
    parts["xl/worksheets/sheet1.xml"] = sheet
    cached_path = path.with_name("bewaard.xlsx")
    with zipfile.ZipFile(cached_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return cached_path


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_formula_with_its_computed_value_is_read_as_that_value(book, engine):
    if engine == "calamine":
        pytest.importorskip("python_calamine")
    book.cell("Facturen", 2, "Betwist", '=IF(1=1,"Ja","Nee")')
    book.cell("Facturen", 2, "Notitie", '=""')  # computed: an empty text, no problem

    data, issues = read_workbook(_with_cached_values(book.save()), AS_OF, engine=engine)

    assert issues == []
    assert data.invoices[0].number == "2025-001"
    assert data.invoices[0].disputed is True


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("18\u202f450,00", D("18450.00")),  # narrow no-break space: French/Belgian Excel, Word
        ("€\u202f1\u202f234,56", D("1234.56")),
        ("1\u2009234,56", D("1234.56")),  # thin space, from a PDF
        ("1\u2007234,56", D("1234.56")),  # figure space
        ("1\u00a0234,56\u00a0€", D("1234.56")),
    ],
)
def test_an_amount_pasted_with_any_space_as_thousands_separator(cell, amount):
    data, issues = convert_tables(_one_invoice(**{"Bedrag (incl. btw)": cell}), AS_OF)

    assert issues == []
    assert data.invoices[0].amount == amount


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        (
            "(12,50)",
            "'(12,50)' is een negatief bedrag in boekhoudnotatie; typ het als -12,50, met het "
            "minteken vooraan.",
        ),
        ("(twaalf)", "'(twaalf)' is geen bedrag; vul een bedrag in zoals 1.234,56."),
        (
            "1,234",
            "'1,234' is geen eenduidig bedrag (een komma of punt met drie cijfers erachter, of "
            "meer dan twee decimalen); typ het bedrag zoals 1250,00 of 1.250,00.",
        ),
        (
            "1.234,50-",  # Exact, SAP and bank exports put the minus sign last
            "'1.234,50-' is een negatief bedrag in boekhoudnotatie; typ het als -1.234,50, met "
            "het minteken vooraan.",
        ),
    ],
)
def test_an_amount_that_is_not_certain_is_refused_not_guessed(cell, shown):
    data, issues = convert_tables(_one_invoice(**{"Bedrag (incl. btw)": cell}), AS_OF)

    assert [str(i) for i in issues] == [f"Facturen, rij 2, Bedrag (incl. btw): {shown}"]
    assert data.invoices == []


def _with_errors(path: Path) -> Path:
    """Store error values as Excel does: t="e", the error's English code in v (ECMA-376 part 1,
    18.18.11 ST_CellType; 18.17.2.4 error values)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    for formula, error in (
        (b"<f>1/0</f><v></v>", b"<f>1/0</f><v>#DIV/0!</v>"),
        (b"<f>NA()</f><v></v>", b"<f>NA()</f><v>#N/A</v>"),
    ):
        assert sheet.count(formula) == 1
        sheet = sheet.replace(formula, error)
    for cell in (b'<c r="I2"', b'<c r="F3"'):
        assert sheet.count(cell) == 1
        sheet = sheet.replace(cell, b'<c t="e"' + cell[2:])
    parts["xl/worksheets/sheet1.xml"] = sheet
    error_path = path.with_name("fout.xlsx")
    with zipfile.ZipFile(error_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return error_path


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_an_error_value_is_reported_not_read_as_empty_or_text(book, engine):
    if engine == "calamine":
        pytest.importorskip("python_calamine")
    book.cell("Facturen", 2, "Betwist", "=1/0")  # column I: python-calamine read it as empty
    book.cell("Facturen", 3, "Omschrijving", "=NA()")  # column F: openpyxl read it as text

    _, issues = read_workbook(_with_errors(book.save()), AS_OF, engine=engine)

    found = [(_where(i), i.message) for i in issues]
    assert (
        ("Facturen", 2, "Betwist"),
        "Cel I2 bevat de foutwaarde #DIV/0!; verbeter de formule of typ de waarde zelf in.",
    ) in found
    assert (
        ("Facturen", 3, "Omschrijving"),
        "Cel F3 bevat de foutwaarde #N/A; verbeter de formule of typ de waarde zelf in.",
    ) in found


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("15 okt 2026", date(2026, 10, 15)),
        ("15 oktober 2026", date(2026, 10, 15)),
        ("15 okt. 2026", date(2026, 10, 15)),
        ("2 mrt 2026", date(2026, 3, 2)),
        ("1er mars 2026", date(2026, 3, 1)),  # Belgian French
        ("12 août 2026", date(2026, 8, 12)),
        ("3 Oct. 2026", date(2026, 10, 3)),
        # as Excel in Dutch shows a date and takes it typed (newcomer, session 27)
        ("15-okt-2026", date(2026, 10, 15)),
        ("1-Feb-2026", date(2026, 2, 1)),
        # the year first is never in doubt, with slashes or dots too
        ("2026/02/01", date(2026, 2, 1)),
        ("2026.2.1", date(2026, 2, 1)),
    ],
)
def test_a_date_with_the_month_written_out_is_read(cell, day):
    data, issues = convert_tables(_one_invoice(Vervaldatum=cell), AS_OF)

    assert issues == []
    assert data.invoices[0].due_date == day


@pytest.mark.parametrize(
    "cell", ["1 jui 2026", "31 feb 2026", "15 okt", "31-feb-2026", "2026-02/01"]
)
def test_a_date_that_is_not_certain_is_refused(cell):
    _, issues = convert_tables(_one_invoice(Vervaldatum=cell), AS_OF)

    assert [str(i) for i in issues] == [
        f"Facturen, rij 2, Vervaldatum: '{cell}' is geen datum; vul een datum in zoals 31-12-2025."
    ]


def test_a_date_with_the_year_in_two_digits_is_refused_saying_so():
    # which century is not guessed; before, it said only "vul een datum in zoals 31-12-2025"
    _, issues = convert_tables(_one_invoice(Vervaldatum="15/10/26"), AS_OF)

    assert [str(i) for i in issues] == [
        "Facturen, rij 2, Vervaldatum: '15/10/26' heeft een jaar van twee cijfers; typ het jaar "
        "voluit, zoals 15/10/2026."
    ]


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_date_formula_with_today_is_reported_even_with_its_value(book, engine):
    # =VANDAAG() in Excel is stored as TODAY() (ECMA-376 part 1, 18.17.7): its value moves
    # every day, so a due date or a letter's day would never stay the day it was.
    if engine == "calamine":
        pytest.importorskip("python_calamine")
    book.cell("Facturen", 2, "Vervaldatum", "=TODAY()+30")  # column D
    path = book.save()
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert sheet.count(b"<f>TODAY()+30</f><v></v>") == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"<f>TODAY()+30</f><v></v>", b"<f>TODAY()+30</f><v>46066</v>"
    )
    cached = path.with_name("vandaag.xlsx")
    with zipfile.ZipFile(cached, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    _, issues = read_workbook(cached, AS_OF, engine=engine)

    assert [(_where(i), i.message) for i in issues] == [
        (
            ("Facturen", 2, "Vervaldatum"),
            "Cel D2 bevat een formule met VANDAAG() of NU(); die datum verschuift elke dag. "
            "Typ de datum zelf in (Ctrl+; zet de datum van vandaag vast in de cel).",
        )
    ]


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_formula_without_a_value_is_named_once_not_also_as_empty(book, engine):
    """A required input (the amount) holding a formula without a computed value used to get a
    second issue, "Bedrag (incl. btw) is leeg", for a cell that is not empty."""
    if engine == "calamine":
        pytest.importorskip("python_calamine")
    book.cell("Facturen", 2, "Bedrag (incl. btw)", "=400+100")

    _, issues = read_workbook(book.save(), AS_OF, engine=engine)

    here = [i.message for i in issues if _where(i) == ("Facturen", 2, "Bedrag (incl. btw)")]
    assert here == [UNCACHED.format(cell="E2")]
