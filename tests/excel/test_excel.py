"""The ribbon buttons on a fake Excel: what they write, what they say, how many calls they make.

The fake (``fake_xlwings.py``) holds the demo workbook's real tables and counts every call that
would cross to Excel. The same data saved as a file and run through the file use cases gives the
reference results.
"""

from __future__ import annotations

import os
import shutil
import sys
import types
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fake_xlwings import FakeBook, MacWorkbook, book_from_file
from lxml import etree
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from debiteuren import excel, service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.letters import outbox
from debiteuren.service import live as live_service
from debiteuren.service.changes import Changes
from debiteuren.workbook import live as live_mod
from debiteuren.workbook import schema, write
from debiteuren.workbook.live import LiveBook

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 10, 15, 10, 0)
COMPUTED = (
    "Betaald",
    "Openstaand",
    "Dagen te laat",
    "Rente",
    "Kosten",
    "Totaal",
    "Fase",
    "Volgende stap",
    "Per",
    "Verjaart op",
)


# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def demo_file(tmp_path) -> Path:
    return service.demo_workbook(tmp_path / "boek" / "demo.xlsx")


@pytest.fixture
def book(demo_file) -> FakeBook:
    return book_from_file(demo_file)


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch):
    # LibreOffice makes the letters slow; the PDFs are tested in tests/service.
    import importlib

    render = importlib.import_module("debiteuren.letters.render")
    monkeypatch.setattr(render, "convert_to_pdf", lambda files, folder: None)


def press(
    monkeypatch,
    button: str,
    book: FakeBook,
    tmp_path: Path,
    opened: list[Path] | None = None,
    today: date = DEMO_AS_OF,
) -> None:
    """Press a ribbon button with ``book`` as the calling workbook."""
    monkeypatch.setattr(
        excel,
        "ENV",
        excel.Environment(
            caller=lambda: book,
            today=lambda: today,
            now=lambda: NOW,
            open_folder=(opened if opened is not None else []).append,
            log_file=tmp_path / "log" / "excel.log",
        ),
    )
    excel.on_button(button)


def table_rows(book: FakeBook, name: str) -> list[dict[str, object]]:
    """Return a fake table's data rows by header (empty rows left out)."""
    t = book.table(name)
    grid = t.sheet.grid(t.top, t.left, t.bottom, t.right)
    return [
        dict(zip(grid[0], row, strict=True)) for row in grid[1:] if any(v is not None for v in row)
    ]


def file_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def same(value: object) -> object:
    """Return a cell value in a form that compares equal from a file and from Excel."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 6)
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    return value


def last_alert(book: FakeBook) -> str:
    assert book.app.alerts, "no message box was shown"
    return book.app.alerts[-1][1]


def empty_table(book: FakeBook, name: str) -> None:
    t = book.table(name)
    for r, c in list(t.sheet.cells):
        if r > t.top and t.left <= c <= t.right:
            del t.sheet.cells[(r, c)]
    t.bottom = t.top + 1


def generated_book(demo_file: Path, n: int) -> FakeBook:
    """The demo's settings and customers with ``n`` generated invoices and nothing else."""
    book = book_from_file(demo_file)
    for name in ("tblBetalingen", "tblActies", "tblRegelingen", "tblFacturen"):
        empty_table(book, name)
    t = book.table("tblFacturen")
    heads = {t.sheet.cells.get((t.top, c)): c for c in range(t.left, t.right + 1)}
    for i in range(n):
        issued = datetime.combine(DEMO_AS_OF - timedelta(days=20 + (i * 37) % 400), time(0))
        row = {
            "Factuurnr": f"G{i:05d}",
            "Klantnr": f"K{1 + i % 12:03d}",
            "Factuurdatum": issued,
            "Vervaldatum": issued + timedelta(days=14),
            "Bedrag (incl. btw)": 100.0 + (i % 17) * 25.5,
        }
        for header, value in row.items():
            t.sheet.cells[(t.top + 1 + i, heads[header])] = value
    t.bottom = t.top + max(n, 1)
    book.app.calls.clear()
    return book


def camt(*entries: tuple[str, str, str, str, str]) -> str:
    """A CAMT.053 statement with credits (bank reference, amount, payer, IBAN, text)."""
    items = "".join(
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>"
        f"<AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>{ref}"
        f"</AcctSvcrRef></Refs><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>"
        f"{iban}</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>"
        f"</TxDtls></NtryDtls></Ntry>"
        for ref, amount, name, iban, text in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:'
        'tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>X</MsgId><CreDtTm>'
        "2026-10-14T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S1</Id><CreDtTm>2026-10-14T18:00:00"
        "</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{items}</Stmt></BkToCstmrStmt></Document>"
    )


# --- the ribbon --------------------------------------------------------------------------------


def test_handlers_are_exactly_the_ribbon_buttons():
    ribbon = etree.parse(str(ROOT / "addin" / "customUI14.xml"))
    ids = {b.get("id") for b in ribbon.iter("{*}button")}
    assert (
        set(excel.HANDLERS)
        == ids
        == {
            "bijwerken",
            "herinneringen",
            "aanmaningen",
            "verzonden",
            "overdracht",
            "betalingen",
            "brieven_openen",
            "instellingen",
        }
    )


def test_an_unknown_button_says_so(monkeypatch, book, tmp_path):
    press(monkeypatch, "onbekend", book, tmp_path)
    assert "onbekend" in last_alert(book) and "debiteuren excel installeren" in last_alert(book)


# --- Bijwerken ---------------------------------------------------------------------------------


def test_bijwerken_writes_what_the_file_update_writes(monkeypatch, book, demo_file, tmp_path):
    reference = tmp_path / "bestand.xlsx"
    shutil.copyfile(demo_file, reference)
    service.update(reference, DEMO_AS_OF, now=NOW)

    press(monkeypatch, "bijwerken", book, tmp_path)

    status = book.app._status
    assert isinstance(status, str) and status.startswith("Bijgewerkt op 15-10-2026: 34 open")
    expected = file_rows(reference, "Facturen")
    got = table_rows(book, "tblFacturen")
    assert len(got) == len(expected) == 40
    for mine, theirs in zip(got, expected, strict=True):
        assert {k: same(v) for k, v in mine.items()} == {k: same(v) for k, v in theirs.items()}
    assert any(row["Rente"] for row in got) and any(row["Kosten"] for row in got)
    assert {row["Fase"] for row in got} >= {"Betaald", "Vervallen"}
    # the Overzicht holds the same values as the file's
    ws = openpyxl.load_workbook(reference, data_only=True)["Overzicht"]
    assert write.sheet_key(book.sheet("Overzicht").grid()) == write.sheet_key(
        ws.iter_rows(values_only=True)
    )
    overview = book.sheet("Overzicht")
    assert overview.cells[(2, 2)] == datetime(2026, 10, 15)
    assert overview.formats[(2, 2)] == write.DATE_FORMAT
    assert overview.formats[(7, 2)] == write.MONEY_FORMAT
    assert (1, 1) in overview.bold and overview.widths[1] == 36


def test_the_overzicht_in_excel_lists_the_customer_who_paid_too_much(
    monkeypatch, demo_file, tmp_path
):
    """Jean Dupont (K010, € 465,00 open) paid € 500,00: the book open in Excel shows the credit
    as the file does, and the message box says it."""
    wb = openpyxl.load_workbook(demo_file)
    row = {"on": date(2026, 10, 14), "amount": Decimal("500.00"), "debtor": "K010"}
    write.append_table_rows(wb, "Betalingen", [{**row, "invoice": "2026-0061"}])
    wb.save(demo_file)
    reference = Path(shutil.copyfile(demo_file, tmp_path / "bestand.xlsx"))
    service.update(reference, DEMO_AS_OF, now=NOW)
    book = book_from_file(demo_file)

    press(monkeypatch, "bijwerken", book, tmp_path)

    ws = openpyxl.load_workbook(reference, data_only=True)["Overzicht"]
    grid = book.sheet("Overzicht").grid()
    assert write.sheet_key(grid) == write.sheet_key(ws.iter_rows(values_only=True))
    at = [r[0] for r in grid].index("Tegoed: klanten die te veel betaalden") + 1  # Excel row
    overview = book.sheet("Overzicht")
    assert [overview.cells.get((at + 2, c)) for c in (1, 2, 3)] == ["K010", "Jean Dupont", 35]
    assert overview.formats[(at + 2, 3)] == write.MONEY_FORMAT
    assert overview.cells[(at + 3, 1)] == "Totaal tegoed" and overview.cells[(at + 3, 3)] == 35
    assert "1 klant heeft € 35,00 tegoed (te veel betaald); zie het Overzicht." in last_alert(book)


def test_a_second_bijwerken_changes_no_invoice_cell(monkeypatch, book, tmp_path):
    press(monkeypatch, "bijwerken", book, tmp_path)
    before = dict(book.sheet("Facturen").cells)
    book.app.calls.clear()
    press(monkeypatch, "bijwerken", book, tmp_path)
    assert book.sheet("Facturen").cells == before
    assert "0 cellen gewijzigd" in book.app._status
    writes = [c for c in book.app.calls if c == "Range.value.set"]
    assert len(writes) == 1  # the Overzicht only


def test_update_calls_do_not_grow_with_the_rows(demo_file):
    counts = {}
    for size in (10, 10_000):
        book = generated_book(demo_file, size)
        result = live_service.update_live(LiveBook(book), DEMO_AS_OF)
        assert result.overview.invoices_open == size
        assert result.cells_changed >= size * 9
        counts[size] = len(book.app.calls)
    assert counts[10_000] == counts[10]
    assert counts[10] < 175  # the review list (issue 11) and page setup (issue 14) add a few


def test_long_work_shows_progress_on_the_status_bar(monkeypatch, book):
    shown: list[str] = []
    original = LiveBook.status

    def status(self, text):
        shown.append(text)
        original(self, text)

    monkeypatch.setattr(LiveBook, "status", status)
    live_service.update_live(LiveBook(book), DEMO_AS_OF)
    assert shown == [
        "Debiteuren: Werkboek lezen...",
        "Debiteuren: Berekenen 8%...",
        "Debiteuren: Berekenen 25%...",
        "Debiteuren: Berekenen 50%...",
        "Debiteuren: Berekenen 75%...",
        "Debiteuren: Berekenen 100%...",
        "Debiteuren: Schrijven...",
    ]


def test_an_input_table_on_the_sheet_named_overzicht_is_refused_not_cleared(
    monkeypatch, book, tmp_path
):
    """Facturen renamed to Overzicht (the old Overzicht deleted): Bijwerken cleared that sheet
    and drew the Overzicht on it, and every invoice in the open book was gone (as the file
    commands did; found by fuzzing, session 25). Refused now, nothing written."""
    book._sheets.remove(book.sheet("Overzicht"))
    book.sheet("Facturen").title = "Overzicht"
    before = {s.title: dict(s.cells) for s in book._sheets}

    press(monkeypatch, "bijwerken", book, tmp_path)

    (title, text, _) = book.app.alerts[-1]
    assert title == "Debiteuren – Bijwerken"
    assert "Het blad 'Overzicht' in demo.xlsx bevat de tabel tblFacturen." in text
    assert "Traceback" not in text
    assert {s.title: dict(s.cells) for s in book._sheets} == before


def test_a_problem_is_one_message_naming_sheet_row_and_column(monkeypatch, book, tmp_path):
    t = book.table("tblFacturen")
    column = next(
        c
        for c in range(t.left, t.right + 1)
        if t.sheet.cells.get((t.top, c)) == "Bedrag (incl. btw)"
    )
    t.sheet.cells[(t.top + 3, column)] = "twaalf euro"
    before = dict(t.sheet.cells)

    press(monkeypatch, "bijwerken", book, tmp_path)

    assert len(book.app.alerts) == 1
    title, text, buttons = book.app.alerts[0]
    assert title == "Debiteuren – Bijwerken" and buttons == "ok"
    assert "Het werkboek heeft 1 probleem; er is niets gewijzigd." in text
    assert f"Facturen, rij {t.top + 3}, Bedrag (incl. btw): 'twaalf euro' is geen bedrag" in text
    assert "Traceback" not in text
    assert t.sheet.cells == before  # nothing written
    assert "gestopt" in book.app._status


def test_an_error_value_in_an_input_cell_is_named_not_read_as_empty(monkeypatch, book, tmp_path):
    # xlwings gives an error cell as None (read as empty: Betwist would silently be "Nee")
    # unless asked for err_to_str, which gives Excel's English code as text.
    t = book.table("tblFacturen")
    column = next(
        c for c in range(t.left, t.right + 1) if t.sheet.cells.get((t.top, c)) == "Betwist"
    )
    t.sheet.cells[(t.top + 2, column)] = "#DIV/0!"
    before = dict(t.sheet.cells)

    press(monkeypatch, "bijwerken", book, tmp_path)

    (_, text, _), *_ = book.app.alerts
    assert "Het werkboek heeft 1 probleem; er is niets gewijzigd." in text
    letter = chr(64 + column)
    assert (
        f"Facturen, rij {t.top + 2}, Betwist: Cel {letter}{t.top + 2} bevat de foutwaarde "
        "#DIV/0!; verbeter de formule of typ de waarde zelf in."
    ) in text
    assert t.sheet.cells == before  # nothing written


def test_a_dutch_error_value_is_named_not_read_as_a_name(monkeypatch, book, tmp_path):
    # A Dutch Excel shows #N/B where an English one shows #N/A; xlwings on macOS (after
    # recognise_local_errors) and xlwings Lite give that text. Before, it was read as the
    # customer's name, and the letters would have gone to '#N/B'.
    t = book.table("tblKlanten")
    column = next(c for c in range(t.left, t.right + 1) if t.sheet.cells.get((t.top, c)) == "Naam")
    t.sheet.cells[(t.top + 1, column)] = "#N/B"
    before = {s.title: dict(s.cells) for s in book._sheets}

    press(monkeypatch, "bijwerken", book, tmp_path)

    letter = chr(64 + column)
    assert (
        f"Klanten, rij {t.top + 1}, Naam: Cel {letter}{t.top + 1} bevat de foutwaarde #N/B; "
        "verbeter de formule of typ de waarde zelf in."
    ) in last_alert(book)
    assert {s.title: dict(s.cells) for s in book._sheets} == before  # nothing written


def test_xlwings_on_macos_learns_the_local_error_values(monkeypatch):
    # xlwings on macOS compares the text a cell shows with its English codes only
    fake = types.ModuleType("xlwings._xlmac")
    fake.cell_errors = ("#DIV/0!", "#N/A", "#VALUE!")
    monkeypatch.setitem(sys.modules, "xlwings._xlmac", fake)
    live_mod.recognise_local_errors()
    live_mod.recognise_local_errors()  # each button press: nothing doubles
    assert fake.cell_errors[:3] == ("#DIV/0!", "#N/A", "#VALUE!")
    assert {"#N/B", "#WAARDE!", "#DEEL/0!", "#VALEUR!", "#NV"} <= set(fake.cell_errors)
    assert len(fake.cell_errors) == len(set(fake.cell_errors))


def _mac_book(demo_file: Path, target: Path, header: str) -> tuple[Path, date]:
    """Save the demo in the 1904 date system with a bare day number (of that system) in the
    first invoice's ``header`` cell; return the file and the day that number means."""
    book = openpyxl.load_workbook(demo_file)
    book.epoch = CALENDAR_MAC_1904
    ws = book["Facturen"]
    cell = ws.cell(row=2, column=[c.value for c in ws[1]].index(header) + 1)
    meant = cell.value.date()
    cell.value = (meant - date(1904, 1, 1)).days
    cell.number_format = "General"
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target, meant


@pytest.mark.parametrize("engine", ["windows", "mac"])
def test_a_day_number_in_a_1904_book_counts_from_1904_as_in_the_file(
    monkeypatch, demo_file, tmp_path, engine
):
    # Excel for Mac's old date system: a bare day number (no date format) in a date column
    # means the day Excel shows once the cell gets a date format. The file commands read it so;
    # the buttons read it in the 1900 system before: a due date four years and a day later.
    mac, meant = _mac_book(demo_file, tmp_path / "knop" / "mac.xlsx", "Vervaldatum")
    book = book_from_file(mac)
    assert book.date1904
    if engine == "mac":
        book.api = MacWorkbook(book)
    reference = Path(shutil.copyfile(mac, tmp_path / "mac-bestand.xlsx"))
    service.update(reference, DEMO_AS_OF, now=NOW)

    loaded = service.load(LiveBook(book), DEMO_AS_OF, for_writing=False)
    assert loaded.data.invoices[0].due_date == meant
    press(monkeypatch, "bijwerken", book, tmp_path)

    assert "Bijgewerkt op 15-10-2026" in book.app._status
    assert [{k: same(v) for k, v in r.items()} for r in table_rows(book, "tblFacturen")] == [
        {k: same(v) for k, v in r.items()} for r in file_rows(reference, "Facturen")
    ]


def test_an_ordinary_book_counts_from_1900(book):
    live = LiveBook(book)
    assert not live.counts_from_1904() and not any(t.date1904 for t in live.tables().values())
    assert book.app.calls.count("Workbook.Date1904") == 1  # asked once a button press


def test_many_problems_show_the_first_fifteen(monkeypatch, book, tmp_path):
    t = book.table("tblFacturen")
    column = next(
        c
        for c in range(t.left, t.right + 1)
        if t.sheet.cells.get((t.top, c)) == "Bedrag (incl. btw)"
    )
    for row in range(t.top + 1, t.top + 21):
        t.sheet.cells[(row, column)] = "x"
    press(monkeypatch, "bijwerken", book, tmp_path)
    text = last_alert(book)
    assert "20 problemen" in text
    assert text.count("• ") == 16 and "• en 5 meer" in text


def test_an_unexpected_error_is_logged_not_shown(monkeypatch, book, tmp_path):
    def broken(live, as_of):
        raise RuntimeError("kapot van binnen")

    monkeypatch.setattr(live_service, "update_live", broken)
    press(monkeypatch, "bijwerken", book, tmp_path)
    text = last_alert(book)
    log = tmp_path / "log" / "excel.log"
    assert str(log) in text and "Traceback" not in text and "kapot" not in text
    assert text.startswith(
        "Er ging iets onverwachts mis bij Bijwerken. Er is niets in het werkboek gewijzigd; "
        "klik opnieuw op Bijwerken."
    )
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: kapot van binnen" in logged


def test_a_book_excel_does_not_hand_over_is_one_dutch_message_not_a_traceback(
    monkeypatch, tmp_path, capsys
):
    """The add-in's VBA shows what Python wrote to stderr when it stops with an error; a book
    that xlwings could not find showed a Python traceback."""

    def no_book():
        raise RuntimeError("Could not activate Python COM server")

    monkeypatch.setattr(
        excel,
        "ENV",
        excel.Environment(caller=no_book, log_file=tmp_path / "log" / "excel.log"),
    )
    with pytest.raises(SystemExit) as stopped:
        excel.on_button("bijwerken")
    assert stopped.value.code == 1
    log = tmp_path / "log" / "excel.log"
    assert capsys.readouterr().err == (
        "Debiteuren – Bijwerken: Excel gaf het werkboek niet door aan debiteuren. Klik in het "
        f"werkboek en probeer opnieuw.\n\nDe details staan in:\n{log}\n"
    )
    assert "RuntimeError: Could not activate Python COM server" in log.read_text("utf-8")


def test_an_unexpected_error_after_a_write_says_the_book_is_partly_changed(
    monkeypatch, book, tmp_path
):
    """Excel refused the Overzicht after Facturen was written: the message said only that
    something unexpected went wrong; now it says that part of the changes is in the book."""
    import fake_xlwings

    clear = fake_xlwings.FakeSheet.clear

    def refused(self):
        if self.title == "Overzicht":
            raise RuntimeError("kapot van binnen")
        clear(self)

    monkeypatch.setattr(fake_xlwings.FakeSheet, "clear", refused)
    press(monkeypatch, "bijwerken", book, tmp_path)
    assert last_alert(book).startswith(
        "Er ging iets onverwachts mis bij Bijwerken. Een deel van de wijzigingen staat al in "
        "het werkboek: controleer het werkboek voordat u het opslaat.\n\nDe details staan in:"
    )


# --- letters -----------------------------------------------------------------------------------


def test_herinneringen_logs_the_letters_like_the_file_use_case(
    monkeypatch, book, demo_file, tmp_path
):
    reference = tmp_path / "bestand" / "demo.xlsx"
    reference.parent.mkdir()
    shutil.copyfile(demo_file, reference)
    made = service.letters(reference, DEMO_AS_OF, now=NOW, step="herinnering", confirm_stale=True)
    assert made.letters
    acties_before = len(table_rows(book, "tblActies"))
    book.app.answers = ["yes"]  # an old statement: make the letters anyway

    press(monkeypatch, "herinneringen", book, tmp_path)

    rows = table_rows(book, "tblActies")
    added = rows[acties_before:]
    expected = file_rows(reference, "Acties")[acties_before:]
    assert len(added) == len(made.letters) == len(expected)
    assert [{k: same(v) for k, v in r.items()} for r in added] == [
        {k: same(v) for k, v in r.items() if k in added[0]} for r in expected
    ]
    assert {r["Actie"] for r in added} <= {"herinnering", "eerste herinnering"}
    t = book.table("tblActies")
    assert t.bottom == t.top + len(rows)  # the table grew with its rows
    folder = demo_file.parent / "brieven" / "2026-10-15"
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(
        p.name for p in (reference.parent / "brieven" / "2026-10-15").glob("*.docx")
    )
    # the book was updated after logging: the stages read the new Acties rows
    stages = {r["Factuurnr"]: r["Fase"] for r in table_rows(book, "tblFacturen")}
    assert stages == {r["Factuurnr"]: r["Fase"] for r in file_rows(reference, "Facturen")}
    assert f"{len(added)} herinneringen gemaakt" in book.app._status
    assert "als concept op het blad Acties" in last_alert(book)
    assert "klik dan op Verzonden. Sla het werkboek op." in last_alert(book)
    assert {r["Status"] for r in added} == {"concept"}

    # pressing again on the same day makes nothing new
    press(monkeypatch, "herinneringen", book, tmp_path)
    assert len(table_rows(book, "tblActies")) == len(rows)
    assert "geen herinneringen aan de beurt" in book.app._status

    # Verzonden asks first; "Nee" marks nothing
    book.app.answers = ["no"]
    press(monkeypatch, "verzonden", book, tmp_path)
    _title, question, buttons = book.app.alerts[-1]
    assert buttons == "yes_no" and "vandaag (15-10-2026) verstuurd" in question
    assert {r["Status"] for r in table_rows(book, "tblActies")[acties_before:]} == {"concept"}
    assert "Niets gemarkeerd" in book.app._status
    # "Ja": every concept is sent today; the file use case does the same on the copy
    book.app.answers = ["yes"]
    press(monkeypatch, "verzonden", book, tmp_path)
    marked = table_rows(book, "tblActies")[acties_before:]
    assert {(r["Status"], same(r["Verzonden op"])) for r in marked} == {("verzonden", DEMO_AS_OF)}
    assert f"{len(marked)} brieven als verzonden vastgelegd" in book.app._status
    service.mark_sent(reference, DEMO_AS_OF, now=NOW)
    stages = {r["Factuurnr"]: r["Fase"] for r in table_rows(book, "tblFacturen")}
    assert stages == {r["Factuurnr"]: r["Fase"] for r in file_rows(reference, "Facturen")}
    assert "Herinnerd" in stages.values()


def test_letters_wait_for_a_new_statement_unless_the_user_says_yes(monkeypatch, book, tmp_path):
    # a payment imported from a statement six weeks ago: letters would rest on old data
    t = book.table("tblBetalingen")
    heads = {t.sheet.cells.get((t.top, c)): c for c in range(t.left, t.right + 1)}
    t.bottom += 1
    for header, value in {
        "Datum": datetime(2026, 9, 1),
        "Bedrag": 10.0,
        "Klantnr": "K001",
        "Bron": "CAMT.053: augustus.xml",
        "Bankreferentie": "OUD-1",
        "Status": "Gematcht",
    }.items():
        t.sheet.cells[(t.bottom, heads[header])] = value
    acties = len(table_rows(book, "tblActies"))
    book.app.answers = ["no"]
    press(monkeypatch, "aanmaningen", book, tmp_path)
    (question,) = [a for a in book.app.alerts if a[2] == "yes_no"]
    assert "bankafschrift is van 01-09-2026" in question[1]
    assert "Wilt u toch nu brieven maken?" in question[1] and "--toch" not in question[1]
    assert "Geen brieven gemaakt" in book.app._status
    assert len(table_rows(book, "tblActies")) == acties

    book.app.answers = ["yes"]
    press(monkeypatch, "aanmaningen", book, tmp_path)
    added = table_rows(book, "tblActies")[acties:]
    assert added and {r["Actie"] for r in added} <= {"14-dagenbrief", "ingebrekestelling"}
    assert book.app._status.startswith(f"{len(added)} aanmaning")


def test_verzonden_asks_of_one_letter_in_the_singular_and_gives_a_plan_no_term(
    monkeypatch, book, tmp_path
):
    # one concept: before, "Zijn deze 1 brieven ... Hun termijn telt vanaf vandaag", also for a
    # payment plan's confirmation, which gives no term
    t = book.table("tblActies")
    heads = {t.sheet.cells.get((t.top, c)): c for c in range(t.left, t.right + 1)}
    t.bottom += 1
    for header, value in {
        "Tijdstip": datetime(2026, 10, 15, 9, 0),
        "Klantnr": "K009",
        "Actie": "regeling",
        "Kanaal": "post",
        "Status": "concept",
    }.items():
        t.sheet.cells[(t.bottom, heads[header])] = value
    book.app.answers = ["yes"]

    press(monkeypatch, "verzonden", book, tmp_path)

    (question,) = [text for _, text, buttons in book.app.alerts if buttons == "yes_no"]
    assert question.startswith("Is deze brief vandaag (15-10-2026) verstuurd")
    assert "1 brieven" not in question and "Hun termijn" not in question
    row = table_rows(book, "tblActies")[-1]
    assert (row["Status"], row["Termijn tot"]) == ("verzonden", None)
    assert "1 brief als verzonden vastgelegd" in book.app._status


def test_verzonden_leaves_an_email_that_brieven_verstuur_could_not_send(
    monkeypatch, book, tmp_path
):
    # the connection to the mail server dropped before this e-mail: it stays a concept until
    # the user says it went out, also when he presses Verzonden for the posted letters
    t = book.table("tblActies")
    heads = {t.sheet.cells.get((t.top, c)): c for c in range(t.left, t.right + 1)}
    for klant, kanaal, note in (("K009", "post", None), ("K010", "e-mail", outbox.UNREACHED)):
        t.bottom += 1
        for header, value in {
            "Tijdstip": datetime(2026, 10, 15, 9, 0),
            "Klantnr": klant,
            "Actie": "herinnering",
            "Kanaal": kanaal,
            "Status": "concept",
            "Notitie": note,
        }.items():
            t.sheet.cells[(t.bottom, heads[header])] = value
    book.app.answers = ["yes"]

    press(monkeypatch, "verzonden", book, tmp_path)

    (question,) = [text for _, text, buttons in book.app.alerts if buttons == "yes_no"]
    assert question.startswith("Is deze brief vandaag (15-10-2026) verstuurd")
    rows = table_rows(book, "tblActies")[-2:]
    assert [(r["Klantnr"], r["Status"]) for r in rows] == [
        ("K009", "verzonden"),
        ("K010", "concept"),
    ]
    assert "Niet als verzonden vastgelegd: de e-mail aan K010" in last_alert(book)
    assert "zet hem dan zelf op verzonden op het blad Acties" in last_alert(book)

    # with only that e-mail left, the button says why it marks nothing
    press(monkeypatch, "verzonden", book, tmp_path)
    assert table_rows(book, "tblActies")[-1]["Status"] == "concept"
    assert "Niet als verzonden vastgelegd: de e-mail aan K010" in last_alert(book)


def test_letters_are_refused_on_an_acties_table_with_a_totals_row(
    monkeypatch, book, demo_file, tmp_path
):
    # Before, the first new Acties row overwrote the totals row (its 'Totaal' and its sums),
    # and the table grew with the totals row on, so Excel took the last letter's row as totals.
    t = book.table("tblActies")
    t.bottom += 1
    t.totals = True
    t.sheet.cells[(t.bottom, t.left)] = "Totaal"
    before = {s.title: dict(s.cells) for s in book._sheets}
    book.app.answers = ["yes"]  # an old statement: make the letters anyway

    press(monkeypatch, "herinneringen", book, tmp_path)

    assert "Op het blad Acties heeft de tabel tblActies een totaalrij" in last_alert(book)
    assert "Er is niets gewijzigd" in last_alert(book)
    assert {s.title: dict(s.cells) for s in book._sheets} == before
    assert t.bottom == t.top + len(table_rows(book, "tblActies"))  # the table kept its size
    assert not (demo_file.parent / "brieven").exists()  # no letter made


def test_rows_are_not_added_over_a_note_below_the_table(monkeypatch, book, demo_file, tmp_path):
    # Before, the new Acties rows were written over a note two rows under the table (the file
    # commands take such rows into the table and name them; the open book's table ends where
    # Excel says)
    t = book.table("tblActies")
    note = (t.bottom + 3, t.left)
    t.sheet.cells[note] = "Let op: bel Jansen"
    before = {s.title: dict(s.cells) for s in book._sheets}
    size = t.bottom
    book.app.answers = ["yes"]  # an old statement: make the letters anyway

    press(monkeypatch, "herinneringen", book, tmp_path)

    assert (
        f"Op het blad Acties staat onder de tabel tblActies iets in cel A{note[0]}; de rijen die "
        "debiteuren aan de tabel toevoegt, zouden dat overschrijven. Het werkboek is niet "
        "gewijzigd."
    ) in last_alert(book)
    assert {s.title: dict(s.cells) for s in book._sheets} == before and t.bottom == size
    # refused before the letters were made: no letter that Acties does not log
    assert not (demo_file.parent / "brieven").exists()


def test_a_payment_plan_over_a_note_below_regelingen_makes_no_letter(book, demo_file):
    # The confirmation letter was made before the rows were refused: a letter nobody logged
    t = book.table("tblRegelingen")
    note = (t.bottom + 2, t.left)
    t.sheet.cells[note] = "afspraak volgt"
    before = {s.title: dict(s.cells) for s in book._sheets}

    with pytest.raises(live_mod.CellsBelowTable, match=f"iets in cel A{note[0]}"):
        service.payment_plan(
            LiveBook(book),
            customer="K009",
            instalments=3,
            first=DEMO_AS_OF,
            as_of=DEMO_AS_OF,
            now=NOW,
        )

    assert {s.title: dict(s.cells) for s in book._sheets} == before
    assert not (demo_file.parent / "brieven").exists()


def test_letters_need_a_saved_book(monkeypatch, demo_file, tmp_path):
    book = book_from_file(demo_file, fullname="Map1")
    press(monkeypatch, "herinneringen", book, tmp_path)
    assert "Sla het werkboek eerst op" in last_alert(book)


@pytest.mark.parametrize("engine", ["windows", "mac"])
@pytest.mark.parametrize("button", ["herinneringen", "bijwerken", "verzonden"])
def test_a_book_open_read_only_is_refused_before_anything_is_made(
    monkeypatch, book, demo_file, tmp_path, engine, button
):
    """Excel opened the book read-only (someone else has it open, or it came from an e-mail):
    the buttons made the letters and logged them on Acties in a book the user could not save,
    so the next press made them again from the book on disk."""
    if button == "verzonden":  # concepts to mark: Verzonden refuses before it asks
        book.app.answers = ["yes"]
        press(monkeypatch, "herinneringen", book, tmp_path)
        shutil.rmtree(demo_file.parent / "brieven")
    book.read_only = True
    if engine == "mac":
        book.api = MacWorkbook(book)
    before = {s.title: dict(s.cells) for s in book._sheets}
    book.app.answers = ["yes", "yes"]

    press(monkeypatch, button, book, tmp_path)

    assert last_alert(book).startswith("demo.xlsx is in Excel alleen-lezen geopend (")
    assert "Er is niets gewijzigd." in last_alert(book)
    assert all(buttons == "ok" for _, _, buttons in book.app.alerts)  # no question was asked
    assert {s.title: dict(s.cells) for s in book._sheets} == before
    assert not (demo_file.parent / "brieven").exists()
    # opened for editing, the same button runs
    book.read_only = False
    press(monkeypatch, button, book, tmp_path)
    assert "alleen-lezen" not in book.app._status


@pytest.mark.parametrize("engine", ["windows", "mac"])
@pytest.mark.parametrize(
    ("button", "sheet"), [("herinneringen", "Acties"), ("bijwerken", "Overzicht")]
)
def test_a_protected_sheet_is_named_before_anything_is_written(
    monkeypatch, book, demo_file, tmp_path, engine, button, sheet
):
    """Excel refuses a change to a protected sheet. Bijwerken wrote Facturen and then stopped
    at the protected Overzicht (left cleared when that was the failing write); Herinneringen
    made the letters and then stopped at Acties, so they were made and not logged. Both said
    only that something unexpected went wrong."""
    if engine == "mac":
        book.api = MacWorkbook(book)
    book.sheet(sheet).protected = True
    before = {s.title: dict(s.cells) for s in book._sheets}
    book.app.answers = ["yes"]

    press(monkeypatch, button, book, tmp_path)

    assert last_alert(book) == (
        f"Het blad {sheet} is beveiligd (Controleren > Blad beveiligen), en debiteuren schrijft "
        "erin: Excel zou dat halverwege weigeren. Er is niets gewijzigd en er zijn geen brieven "
        "gemaakt. Hef de beveiliging op (Controleren > Beveiliging blad opheffen) en probeer "
        "opnieuw; daarna kunt u het blad weer beveiligen."
    )
    assert {s.title: dict(s.cells) for s in book._sheets} == before
    assert not (demo_file.parent / "brieven").exists()
    assert not (tmp_path / "log").exists()  # nothing unexpected


def test_a_protected_sheet_that_is_not_written_is_no_problem(monkeypatch, book, tmp_path):
    book.sheet("Klanten").protected = True
    book.sheet("Rentes").protected = True
    press(monkeypatch, "bijwerken", book, tmp_path)
    assert "Bijgewerkt op 15-10-2026" in book.app._status


def test_letters_excel_refused_to_log_are_removed_and_made_once_again(
    monkeypatch, book, demo_file, tmp_path
):
    """Excel refused the first write of the Acties rows (a call it rejects while the user
    clicks in it): the letters stayed in the folder, logged nowhere, and the next press made
    them again beside them (K001-herinnering-2.docx, a second print file): two letters to
    print and send for one customer."""
    import fake_xlwings

    written = fake_xlwings.FakeRange.value.fset
    refused = {"Acties"}

    def value(self, rows):
        if self.sheet.title in refused:  # as pywin32's com_error: (hresult, text, ...)
            raise RuntimeError(-2147418111, "Aanroep is geweigerd door de aangeroepene.", None)
        written(self, rows)

    monkeypatch.setattr(
        fake_xlwings.FakeRange, "value", property(fake_xlwings.FakeRange.value.fget, value)
    )
    before = {s.title: dict(s.cells) for s in book._sheets}
    book.app.answers = ["yes"]
    press(monkeypatch, "herinneringen", book, tmp_path)

    assert last_alert(book).startswith(
        "Excel weigerde een opdracht van debiteuren bij Herinneringen: Excel was bezig, meestal "
        "omdat er in Excel geklikt of getypt werd terwijl debiteuren werkte. Laat Excel met rust "
        "tot de statusbalk zegt dat het klaar is. Er is niets in het werkboek gewijzigd; klik "
        "opnieuw op Herinneringen.\n\nDe details staan in:\n"
    )
    assert {s.title: dict(s.cells) for s in book._sheets} == before
    folder = demo_file.parent / "brieven" / "2026-10-15"
    assert not folder.exists() or not list(folder.iterdir())

    refused.clear()
    book.app.answers = ["yes"]
    press(monkeypatch, "herinneringen", book, tmp_path)
    assert "9 herinneringen gemaakt" in book.app._status
    names = sorted(p.name for p in folder.iterdir())
    assert "K001-herinnering.docx" in names
    assert not [name for name in names if "-2." in name]


def test_brieven_openen_opens_the_letter_folder(monkeypatch, book, demo_file, tmp_path):
    folders: list[Path] = []
    press(monkeypatch, "brieven_openen", book, tmp_path, folders)
    assert "nog geen brieven" in last_alert(book) and not folders
    (demo_file.parent / "brieven").mkdir()
    press(monkeypatch, "brieven_openen", book, tmp_path, folders)
    assert folders == [demo_file.parent / "brieven"]
    assert "Map met brieven geopend" in book.app._status


# --- payments ----------------------------------------------------------------------------------


def test_betalingen_imports_the_statement_folder_once(monkeypatch, book, demo_file, tmp_path):
    folder = demo_file.parent / "bankafschriften"
    press(monkeypatch, "betalingen", book, tmp_path)
    assert folder.is_dir() and "bestond nog niet" in last_alert(book)

    (folder / "oktober.xml").write_text(
        camt(
            (
                "B1",
                "847.00",
                "Jansen en Zonen",
                "NL02ABNA0123456789",
                "Betaling factuur 2026-0107 jubileum",
            ),
            ("B2", "12.34", "Onbekend", "NL20INGB0001234567", "bedankt"),
        ),
        encoding="utf-8",
    )
    (folder / "leesmij.txt").write_text("geen afschrift", encoding="utf-8")
    before = len(table_rows(book, "tblBetalingen"))
    press(monkeypatch, "betalingen", book, tmp_path)

    added = table_rows(book, "tblBetalingen")[before:]
    assert [(r["Klantnr"], r["Factuurnr"], r["Status"], r["Bankreferentie"]) for r in added] == [
        ("K001", "2026-0107", "Gematcht", "B1"),
        (None, None, "Te controleren", "B2"),
    ]
    assert added[0]["Bedrag"] == 847 and added[0]["Datum"] == datetime(2026, 10, 14)
    assert added[0]["Bron"] == "CAMT.053: oktober.xml"
    assert "2 rijen toegevoegd" in book.app._status
    invoice = next(r for r in table_rows(book, "tblFacturen") if r["Factuurnr"] == "2026-0107")
    assert invoice["Betaald"] == 847  # updated after the import

    # the same folder again: every entry was read before, nothing is added
    press(monkeypatch, "betalingen", book, tmp_path)
    assert len(table_rows(book, "tblBetalingen")) == before + 2
    assert book.app._status.startswith("Niets nieuws")


def test_appended_rows_get_the_money_and_date_formats_of_their_columns(
    monkeypatch, book, demo_file, tmp_path
):
    # New cells have no number format: before, an imported amount showed as 847 and a letter's
    # Gevorderd bedrag as 1445.02 under rows that show € 1.445,02 (the file commands format them)
    folder = demo_file.parent / "bankafschriften"
    folder.mkdir()
    (folder / "oktober.xml").write_text(
        camt(("B1", "847.00", "Jansen en Zonen", "NL02ABNA0123456789", "factuur 2026-0107")),
        encoding="utf-8",
    )
    t = book.table("tblBetalingen")
    press(monkeypatch, "betalingen", book, tmp_path)

    heads = {t.sheet.cells.get((t.top, c)): c for c in range(t.left, t.right + 1)}
    formats = {h: t.sheet.formats.get((t.bottom, c)) for h, c in heads.items()}
    assert formats["Datum"] == write.DATE_FORMAT and formats["Bedrag"] == write.MONEY_FORMAT
    assert formats["Naam betaler"] is None  # a text column keeps its own

    book.app.answers = ["yes"]
    press(monkeypatch, "herinneringen", book, tmp_path)
    a = book.table("tblActies")
    heads = {a.sheet.cells.get((a.top, c)): c for c in range(a.left, a.right + 1)}
    assert a.sheet.cells.get((a.bottom, heads["Gevorderd bedrag"])) is not None
    assert a.sheet.formats.get((a.bottom, heads["Gevorderd bedrag"])) == write.MONEY_FORMAT
    assert a.sheet.formats.get((a.bottom, heads["Tijdstip"])) == schema.DATETIME_FORMAT


def test_a_broken_statement_is_named_and_nothing_is_read(monkeypatch, book, demo_file, tmp_path):
    folder = demo_file.parent / "bankafschriften"
    folder.mkdir()
    (folder / "a-kapot.xml").write_text("<Document>", encoding="utf-8")
    (folder / "b-goed.xml").write_text(
        camt(("C1", "12.34", "Onbekend", "NL20INGB0001234567", "bedankt")), encoding="utf-8"
    )
    before = table_rows(book, "tblBetalingen")
    press(monkeypatch, "betalingen", book, tmp_path)
    assert "a-kapot.xml: NIET ingelezen." in last_alert(book)
    assert table_rows(book, "tblBetalingen") == before


# --- hand-over and settings --------------------------------------------------------------------


def test_overdracht_needs_a_selected_customer(monkeypatch, book, tmp_path):
    press(monkeypatch, "overdracht", book, tmp_path)
    assert "Klik eerst op een cel in de rij van de klant" in last_alert(book)


def test_overdracht_hands_over_the_customer_of_the_selected_row(monkeypatch, book, tmp_path):
    # K012 Antwerp Logistics NV, a Belgian business: the law allows the hand-over as it stands
    t = book.table("tblFacturen")
    row = next(
        r for r in range(t.top + 1, t.bottom + 1) if t.sheet.cells.get((r, t.left)) == "2026-0088"
    )
    book.selected = ("Facturen", row, t.left + 3)
    assert LiveBook(book).customer_at_selection() == "K012"
    acties = len(table_rows(book, "tblActies"))
    book.app.answers = ["yes"]
    press(monkeypatch, "overdracht", book, tmp_path)
    text = "\n".join(a[1] for a in book.app.alerts)
    assert "K012" in text and "overgedragen" in text
    added = table_rows(book, "tblActies")[acties:]
    assert [(r["Klantnr"], r["Actie"]) for r in added] == [("K012", "overdracht")]
    # only 2024-0107 is ready (its ingebrekestelling's term ended); 2026-0088 is still at the
    # reminder and 2026-0125 is not due: they stay on the ladder, so K012 is not "Uit handen"
    assert added[0]["Facturen"] == "2024-0107"
    assert "2026-0088" in text and "blijven op de ladder" in text
    klant = next(r for r in table_rows(book, "tblKlanten") if r["Klantnr"] == "K012")
    assert klant["Uit handen"] in (None, "", "Nee")
    fase = {r["Factuurnr"]: r["Fase"] for r in table_rows(book, "tblFacturen")}
    assert fase["2024-0107"] == "Uit handen" and fase["2026-0088"] != "Uit handen"


def test_the_customer_of_a_klanten_row(book):
    t = book.table("tblKlanten")
    book.selected = ("Klanten", t.top + 2, t.left + 1)
    assert LiveBook(book).customer_at_selection() == t.sheet.cells[(t.top + 2, t.left)]
    book.selected = ("Instellingen", 3, 1)
    assert LiveBook(book).customer_at_selection() is None


def test_instellingen_shows_the_settings_sheet(monkeypatch, book, tmp_path):
    press(monkeypatch, "instellingen", book, tmp_path)
    assert book.active == "Instellingen" and not book.app.alerts


# --- the adapter -------------------------------------------------------------------------------


def test_apply_sets_cells_by_match_and_appends_rows(book):
    live = LiveBook(book)
    live.tables()
    payments = table_rows(book, "tblBetalingen")
    changes = Changes()
    changes.set("Klanten", "number", "K003", "handed_over", "Ja")
    changes.add_rows(
        "Acties",
        [
            {
                "on": DEMO_AS_OF,
                "debtor": "K003",
                "invoices": "X1",
                "step": "notitie",
                "amount_claimed": Decimal("12.50"),
            }
        ]
        * 3,
    )
    book.app.calls.clear()
    live.apply(changes)
    assert book.app.calls.count("Range.value.set") == 2  # one column, one block of rows
    assert book.app.calls.count("Table.resize") == 1
    klanten = {r["Klantnr"]: r for r in table_rows(book, "tblKlanten")}
    assert klanten["K003"]["Uit handen"] == "Ja" and klanten["K001"]["Uit handen"] != "Ja"
    acties = table_rows(book, "tblActies")
    assert acties[-1]["Gevorderd bedrag"] == 12.5 and acties[-1]["Tijdstip"] == datetime(
        2026, 10, 15
    )
    assert table_rows(book, "tblBetalingen") == payments


def test_rectangles_cover_cells_exactly():
    cells = {(r, c) for r in range(5, 400) for c in range(5, 13)} | {(2, 2), (7, 2), (9, 2)}
    rects = live_mod._rectangles(cells)
    covered = [
        (r, c)
        for top, left, bottom, right in rects
        for r in range(top, bottom + 1)
        for c in range(left, right + 1)
    ]
    assert sorted(covered) == sorted(cells)
    assert live_mod._addresses(cells) == ["B2,E5:L399,B7,B9"]


# --- installing --------------------------------------------------------------------------------


def test_installing_on_linux_says_excel_is_not_here(monkeypatch):
    monkeypatch.setattr(excel, "_platform", lambda: "linux")
    for command in ("installeren", "verwijderen"):
        result = CliRunner().invoke(main, ["excel", command])
        assert result.exit_code == 2
        assert "Excel is op dit systeem (linux) niet beschikbaar" in result.output


@pytest.fixture
def windows(monkeypatch, tmp_path) -> Path:
    startup = tmp_path / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    monkeypatch.setattr(excel, "_platform", lambda: "win32")
    monkeypatch.setattr(excel, "startup_folder", lambda: startup)
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "profiel"))
    monkeypatch.delenv("CONDA_DEFAULT_ENV", raising=False)
    monkeypatch.delenv("CONDA_EXE", raising=False)
    return startup


def test_installing_on_windows_copies_the_addin_and_writes_the_settings(windows, tmp_path):
    result = CliRunner().invoke(main, ["excel", "installeren"])
    assert result.exit_code == 0, result.output
    addin = windows / "debiteuren.xlam"
    assert addin.read_bytes() == (ROOT / "addin" / "debiteuren.xlam").read_bytes()
    config = tmp_path / "profiel" / ".debiteuren" / "debiteuren.conf"
    assert config.read_bytes() == (
        f'"INTERPRETER_WIN","{sys.executable}"\r\n"ADD_WORKBOOK_TO_PYTHONPATH","false"\r\n'.encode()
    )
    assert "Deblokkeren" in result.output and "Vertrouwde locaties" in result.output
    assert str(windows) in result.output
    # Startup-folder add-ins are not in the Add-ins dialog: do not send the user there.
    assert "niet in de lijst" in result.output and "aangevinkt" not in result.output
    assert "IT-afdeling" in result.output and "beleid" in result.output

    # a user's own setting survives a second installation
    with config.open("a", encoding="utf-8", newline="") as f:
        f.write('"PYTHONPATH","C:\\eigen"\r\n')
    assert CliRunner().invoke(main, ["excel", "installeren"]).exit_code == 0
    assert config.read_text(encoding="utf-8").splitlines() == [
        f'"INTERPRETER_WIN","{sys.executable}"',
        '"ADD_WORKBOOK_TO_PYTHONPATH","false"',
        '"PYTHONPATH","C:\\eigen"',
    ]

    result = CliRunner().invoke(main, ["excel", "verwijderen"])
    assert result.exit_code == 0 and "Verwijderd" in result.output
    assert not addin.exists() and not config.exists()
    result = CliRunner().invoke(main, ["excel", "verwijderen"])
    assert "niet geïnstalleerd" in result.output


def test_installing_into_a_given_folder(windows, tmp_path):
    folder = tmp_path / "elders"
    result = CliRunner().invoke(main, ["excel", "installeren", "--map", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "debiteuren.xlam").is_file() and not windows.exists()


def test_installing_on_macos(monkeypatch, tmp_path):
    enabled = []
    monkeypatch.setattr(excel, "_platform", lambda: "darwin")
    monkeypatch.setattr(excel, "startup_folder", lambda: tmp_path / "Startup" / "Excel")
    monkeypatch.setattr(excel, "_enable_runpython", lambda: enabled.append(True))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CONDA_DEFAULT_ENV", raising=False)
    result = CliRunner().invoke(main, ["excel", "installeren"])
    assert result.exit_code == 0, result.output
    config = (
        tmp_path / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / ("debiteuren.conf")
    )
    assert config.read_bytes() == (
        f'"INTERPRETER_MAC","{sys.executable}"\n"ADD_WORKBOOK_TO_PYTHONPATH","false"\n'.encode()
    )
    assert enabled == [True] and "Cmd-Q" in result.output
    assert CliRunner().invoke(main, ["excel", "verwijderen"]).exit_code == 0
    assert not config.exists() and not (tmp_path / "Startup" / "Excel" / "debiteuren.xlam").exists()


def test_a_locked_addin_asks_to_close_excel(windows, monkeypatch):
    def locked(source, target):
        raise PermissionError(13, "in gebruik")

    monkeypatch.setattr(excel.shutil, "copyfile", locked)
    result = CliRunner().invoke(main, ["excel", "installeren"])
    assert result.exit_code == 2 and "Sluit Excel helemaal af" in result.output


# --- one writer per workbook: a button and a command on the same file ---------------------------


def test_a_button_is_refused_while_a_command_changes_the_file(
    monkeypatch, book, demo_file, tmp_path
):
    from debiteuren.workbook import files

    monkeypatch.setattr(files, "_os_lock", lambda fd: False)  # another process holds it
    acties = table_rows(book, "tblActies")
    press(monkeypatch, "herinneringen", book, tmp_path)
    assert "demo.xlsx wordt al bijgewerkt door een andere opdracht" in last_alert(book)
    assert book.app._status == "Herinneringen: niet gelukt."
    assert table_rows(book, "tblActies") == acties
    assert not (demo_file.parent / "brieven").exists()


def test_a_command_is_refused_while_a_button_runs(monkeypatch, book, demo_file, tmp_path):
    import subprocess

    before = demo_file.read_bytes()
    commands = []
    original = live_service.update_live

    def a_command_meanwhile(live, as_of):
        commands.append(
            subprocess.run(
                [sys.executable, "-m", "debiteuren", "bijwerken", str(demo_file)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            )
        )
        return original(live, as_of)

    monkeypatch.setattr(live_service, "update_live", a_command_meanwhile)
    press(monkeypatch, "bijwerken", book, tmp_path)
    (run,) = commands
    assert run.returncode == 2, run.stdout + run.stderr
    assert "wordt al bijgewerkt door een andere opdracht" in run.stderr
    assert demo_file.read_bytes() == before
    assert book.app._status.startswith("Bijgewerkt op 15-10-2026")
    assert not (demo_file.parent / ".~debiteuren.demo.xlsx.lock").exists()  # released


def test_betalingen_reads_a_zip_of_statements_in_the_folder(monkeypatch, book, demo_file, tmp_path):
    """A bank's zip of statements in the folder is read as its statements would be; beside
    one of them unpacked, each entry is added once."""
    import zipfile

    folder = demo_file.parent / "bankafschriften"
    folder.mkdir()
    statement = camt(
        ("Z1", "847.00", "Jansen en Zonen", "NL02ABNA0123456789", "Factuur 2026-0107"),
    )
    with zipfile.ZipFile(folder / "ing-download.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Stmt_20261014.xml", statement)
        archive.writestr("Leesmij.pdf", b"%PDF-1.4 geen afschrift")
    (folder / "Stmt_20261014.xml").write_text(statement, encoding="utf-8")
    before = len(table_rows(book, "tblBetalingen"))
    press(monkeypatch, "betalingen", book, tmp_path)
    added = table_rows(book, "tblBetalingen")[before:]
    assert [(r["Bankreferentie"], r["Status"], r["Bron"]) for r in added] == [
        ("Z1", "Gematcht", "CAMT.053: Stmt_20261014.xml")  # by name, before the zip
    ]
    assert "1 rij toegevoegd" in book.app._status
    (folder / "Stmt_20261014.xml").unlink()
    press(monkeypatch, "betalingen", book, tmp_path)  # the zip alone: read before
    assert len(table_rows(book, "tblBetalingen")) == before + 1
    assert book.app._status.startswith("Niets nieuws")
