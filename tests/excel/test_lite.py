"""The xlwings Lite front end on a fake of the book Lite hands a script (``fake_lite.py``).

Bijwerken must write what the classic add-in and the file update write, in a number of actions
that does not grow with the rows; the calculator and the letter data must give the figures and
fields of the desktop program; ``lite/main.py`` must register the functions and buttons.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import types
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from fake_lite import as_lite, lite_book_from_file
from test_excel import NOW, file_rows, generated_book, same, table_rows

from debiteuren import functions, lite, service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.formatting import euro
from debiteuren.workbook import write
from debiteuren.workbook.lite import POINTS_PER_CHARACTER

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_file(tmp_path) -> Path:
    return service.demo_workbook(tmp_path / "boek" / "demo.xlsx")


def test_bijwerken_writes_what_the_file_update_writes(demo_file, tmp_path):
    reference = tmp_path / "bestand.xlsx"
    shutil.copyfile(demo_file, reference)
    service.update(reference, DEMO_AS_OF, now=NOW)
    book = lite_book_from_file(demo_file)
    shown: list[str] = []

    lines = lite.bijwerken(book, DEMO_AS_OF, say=shown.append)

    assert lines == shown and shown[0].startswith("Bijgewerkt op 15-10-2026: 34 open")
    expected = file_rows(reference, "Facturen")
    got = table_rows(book, "tblFacturen")
    assert len(got) == len(expected) == 40
    for mine, theirs in zip(got, expected, strict=True):
        assert {k: same(v) for k, v in mine.items()} == {k: same(v) for k, v in theirs.items()}
    ws = openpyxl.load_workbook(reference, data_only=True)["Overzicht"]
    assert write.sheet_key(book.sheet("Overzicht").grid()) == write.sheet_key(
        ws.iter_rows(values_only=True)
    )
    overview = book.sheet("Overzicht")
    assert overview.formats[(7, 2)] == write.MONEY_FORMAT and (1, 1) in overview.bold
    assert overview.widths[1] == 36 * POINTS_PER_CHARACTER  # Lite sets widths in points
    assert not book.app.alerts  # Lite has no message box; the lines go to the output pane


def test_bijwerken_actions_do_not_grow_with_the_rows(demo_file):
    counts = {}
    for size in (10, 10_000):
        book = as_lite(generated_book(demo_file, size))
        lines = lite.bijwerken(book, DEMO_AS_OF, say=lambda _: None)
        assert f"{size} open facturen" in lines[0]
        counts[size] = list(book.app.calls)
    assert counts[10_000] == counts[10]
    assert len(counts[10]) < 120
    assert counts[10].count("Range.value.set") <= 4  # the computed columns, the Overzicht


def test_a_problem_in_the_book_is_one_dutch_message_and_nothing_is_written(demo_file):
    book = lite_book_from_file(demo_file)
    sheet = book.sheet("Facturen")
    t = book.table("tblFacturen")
    heads = {sheet.cells.get((t.top, c)): c for c in range(t.left, t.right + 1)}
    sheet.cells[(t.top + 3, heads["Vervaldatum"])] = "morgen"
    before = dict(sheet.cells)

    lines = lite.bijwerken(book, DEMO_AS_OF, say=lambda _: None)

    assert "Facturen, rij 4, Vervaldatum: 'morgen' is geen datum" in lines[-1]
    assert "er is niets gewijzigd" in lines[-1]
    assert sheet.cells == before and book.app.calls == []


def test_an_unexpected_error_is_a_dutch_message_with_the_details(demo_file, monkeypatch):
    """A bug (here: the use case raises a KeyError) showed only Python's English traceback in
    Lite's pane; now a Dutch message says what to do, with the details under it."""

    def broken(live, as_of):
        raise KeyError("tblFacturen")

    monkeypatch.setattr(lite, "update_live", broken)
    book = lite_book_from_file(demo_file)

    lines = lite.bijwerken(book, DEMO_AS_OF, say=lambda _: None)

    assert lines[-1].startswith(
        "Debiteuren – Bijwerken\nEr ging iets onverwachts mis bij Bijwerken (KeyError). "
        "Controleer het werkboek voordat u het opslaat."
    )
    assert "Details:\nTraceback (most recent call last):" in lines[-1]
    assert lines[-1].endswith("KeyError: 'tblFacturen'")


def test_rekenhulp_writes_the_periods_with_the_figures_of_bereken(demo_file):
    book = lite_book_from_file(demo_file)
    lines = lite.rekenhulp(
        book, "10.000,00", date(2022, 6, 30), date(2024, 9, 30), "nl-wettelijk", say=print
    )
    assert lines == ["Rekenhulp: rente € 1.163,74; zie het blad Rekenhulp."]
    grid = book.sheet("Rekenhulp").grid()
    values = {row[0]: row[5] for row in grid if row[0] in ("Totaal rente", "Openstaand")}
    assert values == {"Totaal rente": 1163.74, "Openstaand": 11163.74}  # nl.md TV-03
    periods = [row for row in grid if isinstance(row[2], float) and row[0] != "Dagen"]
    assert [row[4] for row in periods] == [2.0, 4.0, 6.0, 7.0, 7.0]  # 7% split at 1-07-2024
    assert len(book.app.calls) < 12


def test_rekenhulp_says_what_is_wrong_with_an_argument(demo_file):
    book = lite_book_from_file(demo_file)
    lines = lite.rekenhulp(book, "veel", date(2025, 3, 31), date(2025, 5, 30), "be-handels")
    assert "bedrag: 'veel' is geen exact bedrag" in lines[0] and book.app.calls == []


def test_briefgegevens_writes_the_fields_of_the_letter_that_is_due(demo_file, tmp_path):
    book = lite_book_from_file(demo_file)
    shown: list[str] = []
    # the demo's letters that are due on its peildatum, made on the desktop for comparison
    copy = tmp_path / "desktop.xlsx"
    shutil.copyfile(demo_file, copy)
    made = service.letters(copy, DEMO_AS_OF, now=NOW, dry_run=True)
    letter = made.letters[0]
    number = letter.debtor.number

    lite.briefgegevens(book, DEMO_AS_OF, number, say=shown.append)

    rows = {r[0]: r[1] for r in book.sheet("Briefgegevens").grid() if r[0] is not None}
    assert f"Brief: {letter.step.value} ({letter.channel.value})" in rows
    assert rows["klant.naam"] == letter.debtor.name
    assert rows["brief.datum"] and rows["totaal.totaal"] == euro(letter.amount, unbreakable=True)
    assert lite.DESKTOP_ONLY in rows and lite.DESKTOP_ONLY in shown[-1]
    assert (
        shown[0]
        == f"Briefgegevens van klant {number} ({letter.step.value}) staan op het blad Briefgegevens."
    )


def test_briefgegevens_says_when_brieven_holds_a_letter_by_post_for_its_address(demo_file):
    """K005's herinnering goes by post and K005 has no street: the desktop program holds that
    letter (``brieven``). Before, Briefgegevens showed its data without a word."""
    book = openpyxl.load_workbook(demo_file)
    klanten = book["Klanten"]
    column = [c.value for c in klanten[1]].index("Adres") + 1
    row = next(r for r in range(2, klanten.max_row + 1) if klanten.cell(r, 1).value == "K005")
    klanten.cell(row, column).value = None
    book.save(demo_file)
    shown: list[str] = []

    lite.briefgegevens(lite_book_from_file(demo_file), DEMO_AS_OF, "K005", say=shown.append)

    warning = (
        "Let op: de herinnering gaat per post, maar Klanten, rij 6, Adres is leeg: een brief per "
        "post komt zonder straat en postcode of plaats niet aan, en een termijn telt pas vanaf "
        "de ontvangst. Vul het adres in."
    )
    assert shown[-1] == f"Debiteuren – Briefgegevens\n{warning}\n{lite.DESKTOP_ONLY}"


def test_briefgegevens_says_when_brieven_refuses_for_want_of_the_iban(demo_file):
    """With the IBAN on Instellingen emptied, brieven makes no letter (the customer is asked
    to pay to an IBAN it does not show); Briefgegevens showed the data without a word."""
    book = openpyxl.load_workbook(demo_file)
    settings = book["Instellingen"]
    row = next(r for r in range(2, settings.max_row + 1) if settings.cell(r, 1).value == "IBAN")
    settings.cell(row, 2).value = None
    book.save(demo_file)
    shown: list[str] = []

    lite.briefgegevens(lite_book_from_file(demo_file), DEMO_AS_OF, "K001", say=shown.append)

    warning = (
        "Let op: de brieven missen gegevens van uw bedrijf die op elke brief staan: "
        f"Instellingen, rij {row}, Waarde (IBAN); zonder die gegevens worden ze niet gemaakt."
    )
    assert shown[-1] == f"Debiteuren – Briefgegevens\n{warning}\n{lite.DESKTOP_ONLY}"


def test_briefgegevens_takes_the_customer_of_the_selected_row(demo_file):
    book = lite_book_from_file(demo_file)
    book.selected = ("Klanten", 2, 1)
    lines = lite.briefgegevens(book, DEMO_AS_OF, say=lambda _: None)
    assert lines[0].startswith("Briefgegevens van klant K001 ")


def test_briefgegevens_without_a_customer_says_how_to_choose_one(demo_file):
    book = lite_book_from_file(demo_file)
    lines = lite.briefgegevens(book, DEMO_AS_OF, say=lambda _: None)
    assert "Geef een klantnummer" in lines[-1] and book.app.calls == []


def test_briefgegevens_names_the_customer_meant_as_the_command_line_does(demo_file):
    """A customer number typed in lower case: Briefgegevens said only that it was not on
    Klanten; ``--klant`` names the number meant."""
    book = lite_book_from_file(demo_file)
    lines = lite.briefgegevens(book, DEMO_AS_OF, "k001", say=lambda _: None)
    assert lines[-1] == (
        "Debiteuren – Briefgegevens\nKlant 'k001' staat niet op het blad Klanten. Bedoelt u 'K001'?"
    )
    assert book.app.calls == []


# --- lite/main.py ----------------------------------------------------------------------------


def load_main(monkeypatch) -> tuple[types.ModuleType, dict[str, list[str]]]:
    """Load lite/main.py with a stand-in for Lite's xlwings that records the registrations."""
    registered: dict[str, list[str]] = {"func": [], "script": []}
    stub = types.ModuleType("xlwings")

    def decorator(kind):
        def decorate(fn=None, **options):
            def register(f):
                registered[kind].append(f.__name__.upper() if kind == "func" else f.__name__)
                return f

            return register(fn) if fn is not None else register

        return decorate

    stub.func, stub.script, stub.Book = decorator("func"), decorator("script"), object
    monkeypatch.setitem(sys.modules, "xlwings", stub)
    spec = importlib.util.spec_from_file_location("lite_main", ROOT / "lite" / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, registered


def test_main_registers_the_four_functions_and_three_buttons(monkeypatch):
    main, registered = load_main(monkeypatch)
    assert registered["func"] == [f.name for f in functions.FUNCTIONS]
    assert registered["script"] == ["bijwerken", "rekenhulp", "briefgegevens"]
    # Office.js passes dates as serial numbers: 45747 is 31-03-2025 (be.md B2)
    assert main.wettelijke_rente(1000.0, 45747.0, 45807.0, "be-handels") == 18.9
    assert main.incassokosten(2500.0, "nl-wik") == 375.0
    assert main.betalingskenmerk("1234567890", "BE") == "+++123/4567/89002+++"
    rows = main.rente_specificatie(1000.0, 45747.0, 45807.0, "be-handels", None, "be-40")
    assert rows[0] == list(functions.SPECIFICATION_HEADER) and rows[-1][0] == "Openstaand"
    assert Decimal(repr(rows[-1][5])) == Decimal("1058.90")


def test_requirements_name_the_wheel_of_this_version():
    from debiteuren import __version__

    lines = [
        line
        for line in (ROOT / "lite" / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == [f"https://UW-ADRES/debiteuren-{__version__}-py3-none-any.whl"]


def test_briefgegevens_cuts_a_field_longer_than_a_cell_with_a_mark(demo_file):
    """A field of the letter joins cells (the address block: name and address); with a name
    and an address of 32,766 characters each it was twice as long as a cell holds, and Excel
    kept its first 32,767 characters without a word (the fake refuses such a text)."""
    book = openpyxl.load_workbook(demo_file)
    klanten = book["Klanten"]
    heads = [c.value for c in klanten[1]]
    klanten.cell(2, heads.index("Naam") + 1).value = "N " * 16_383
    klanten.cell(2, heads.index("Adres") + 1).value = "A " * 16_383
    book.save(demo_file)
    lite_book = lite_book_from_file(demo_file)

    shown = lite.briefgegevens(lite_book, DEMO_AS_OF, "K001", say=lambda _: None)

    assert shown[0].startswith("Briefgegevens van klant K001 (herinnering)")
    texts = [
        v for row in lite_book.sheet("Briefgegevens").grid() for v in row if isinstance(v, str)
    ]
    longest = max(texts, key=len)
    assert len(longest) == 32_767 and longest.endswith("…")
    assert longest.startswith("N N N")
