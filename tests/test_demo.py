"""``debiteuren demo`` shows everything: letters of every kind, a statement, e-invoices."""

from __future__ import annotations

import shlex
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    result = CliRunner().invoke(main, ["demo", str(folder), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_the_demo_folder_holds_everything(demo):
    folder, output = demo
    letters = folder / "brieven" / "2026-10-15"
    names = {p.name for p in letters.iterdir()}
    # Not only first reminders: a 14-dagenbrief and ingebrekestellingen are due on its date.
    assert {"K002-14-dagenbrief.docx", "K011-ingebrekestelling.docx"} <= names
    assert {"K008-ingebrekestelling.docx", "K010-eerste-herinnering.docx"} <= names
    # one print file per run, named with the run's time (issue 10)
    assert {"alle-brieven-afdrukken-090500.docx", "belijst.xlsx"} <= names
    assert sorted(p.name for p in (folder / "bankafschriften").iterdir()) == [
        "afschrift-2026-10-14.xml",
        "afschrift-2026-10-15.xml",
    ]
    assert sorted(p.name for p in (folder / "e-facturen").iterdir()) == [
        "factuur-2026-0136.xml",
        "factuur-2026-0137.xml",
    ]
    # K002's reminder and K008's first reminder wait a day: one letter per debtor per day
    assert "12 brieven gemaakt" in output
    assert "(herinnering, 14-dagenbrief, ingebrekestelling, eerste herinnering)" in output
    assert "2 bijschrijvingen, 1 gekoppeld, 1 te controleren" in output


def test_the_demos_list_of_largest_debtors_has_a_heading(demo):
    # The five largest debtors followed the list of payments to check with no heading of their
    # own, so they read as more payments to check.
    _, output = demo
    lines = output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  K003 Bouwbedrijf"))
    assert lines[first - 1] == "Grootste debiteuren (blad Overzicht):"
    assert "1 klant om te bellen (belijst.xlsx)" in output and "klant(en)" not in output


def test_the_demo_says_it_made_formal_letters_with_unconfirmed_rates(demo):
    folder, output = demo
    # The 2026 Dutch rates are not confirmed: 'brieven' would hold the 14-dagenbrief and the
    # ingebrekestelling; the demo makes them as 'brieven --onbevestigde-rente' does, and says so.
    assert (
        "Het voorbeeld maakt de 14-dagenbrief aan K002 en de ingebrekestelling aan K011 zoals "
        "'debiteuren brieven --onbevestigde-rente' doet"
    ) in output
    assert (
        "Let op: de 14-dagenbrief aan K002 noemt een rentepercentage dat niet bevestigd is: "
        "4,00 % NL wettelijke rente (art. 6:119 BW) vanaf 01-01-2026 en een rentepercentage "
        "dat nog niet bekend is: de NL wettelijke rente (art. 6:119 BW) na 30-06-2026, "
        "waarvoor debiteuren 4,00 % doortrekt; gemaakt met --onbevestigde-rente"
    ) in output
    assert "Niet gemaakt:" not in output and "nl_wettelijke_rente" not in output
    # ... and never marks a rate officieel that is not
    rentes = openpyxl.load_workbook(folder / "voorbeeld-debiteuren.xlsx")["Rentes"]
    status = {
        (r[0], r[1].date()): r[3] for r in rentes.iter_rows(min_row=2, values_only=True) if r[0]
    }
    assert status[("NL wettelijke rente", date(2026, 1, 1))] == "onbevestigd"
    assert status[("NL handelsrente", date(2026, 7, 1))] == "onbevestigd"


def test_the_overzicht_has_a_statement(demo):
    folder, _ = demo
    ws = openpyxl.load_workbook(folder / "voorbeeld-debiteuren.xlsx")["Overzicht"]
    assert (ws["A3"].value, ws["B3"].value) == ("Laatste bankafschrift", datetime(2026, 10, 14))
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("nog geen afschrift" in t for t in texts)
    payments = openpyxl.load_workbook(folder / "voorbeeld-debiteuren.xlsx")["Betalingen"]
    statuses = [r[10] for r in payments.iter_rows(min_row=2, values_only=True) if r[6]]
    assert sorted(statuses) == ["Gematcht", "Te controleren"]


def test_the_printed_next_commands_work(demo):
    _, output = demo
    lines = output.splitlines()
    start = lines.index("Probeer daarna, in deze volgorde:")
    commands = [shlex.split(line) for line in lines[start + 1 :] if line.startswith("    ")]
    assert [c[1] for c in commands] == [
        "verzonden",
        "betalingen",
        "facturen",
        "gesprek",
        "overdracht",
        "export",
    ]
    runner = CliRunner()
    marked = runner.invoke(main, commands[0][1:])
    assert marked.exit_code == 0, marked.output
    assert marked.output.startswith("Brieven gemarkeerd als verzonden op 15-10-2026:")
    statement = runner.invoke(main, commands[1][1:])
    assert statement.exit_code == 0, statement.output
    assert "2 bijschrijvingen, 2 gekoppeld, 0 te controleren" in statement.output
    einvoices = runner.invoke(main, commands[2][1:])
    assert einvoices.exit_code == 0, einvoices.output
    assert "2 facturen toegevoegd; 1 nieuwe klant (K013)" in einvoices.output
    # the new customer's VAT number is valid, so it is taken over without a warning
    assert "Btw-nummer niet overgenomen" not in einvoices.output
    assert einvoices.output.splitlines()[1:3] == [
        "factuur-2026-0137.xml: Factuur 2026-0137 toegevoegd: € 665,50, vervalt 29-10-2026, "
        "klant K013 Bloemenhuis Flora V.O.F. (nieuwe klant).",
        "  - Klant K013 toegevoegd op het blad Klanten: Nederland, onderneming, taal nl.",
    ]
    klanten = openpyxl.load_workbook(commands[2][2])["Klanten"]
    head = [c.value for c in klanten[1]]
    flora = next(r for r in klanten.iter_rows(min_row=2, values_only=True) if r[0] == "K013")
    assert flora[head.index("Btw-nummer")] == "NL024123456B01"


def test_the_demo_salutes_customers_with_their_aanhef(demo):
    from docx import Document

    folder, _ = demo
    letter = Document(folder / "brieven" / "2026-10-15" / "K002-14-dagenbrief.docx")
    assert "Geachte mevrouw De Vries," in [p.text for p in letter.paragraphs]
    eml = (folder / "brieven" / "2026-10-15" / "K004-herinnering.eml").read_text()
    assert "Dear Mr O'Brien," in eml


def test_the_sample_einvoices_carry_valid_vat_numbers():
    from stdnum.nl import btw

    from debiteuren.demo import EINVOICES
    from debiteuren.workbook.read import vat_problem

    numbers = [invoice.buyer.vat for invoice in EINVOICES if invoice.buyer.vat]
    assert numbers == ["NL024123456B01"]
    assert all(btw.is_valid(n) and vat_problem(n, "NL") == "" for n in numbers)


def test_the_mark_sent_hint_is_pasteable_and_keeps_the_tutorial_working(tmp_path, monkeypatch):
    # started as a virtual environment's program: every printed command carries its path
    monkeypatch.setattr("sys.argv", ["/opt/venv/bin/debiteuren", "demo"])
    folder = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", str(folder), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    book = folder / "voorbeeld-debiteuren.xlsx"
    hint = (
        "De brieven staan als concept op het blad Acties; ze tellen pas als ze verstuurd zijn "
        f"(/opt/venv/bin/debiteuren verzonden {book} --op 2026-10-15)."
    )
    assert hint in result.output.splitlines()
    lines = result.output.splitlines()
    start = lines.index("Probeer daarna, in deze volgorde:")
    commands = [shlex.split(line) for line in lines[start + 1 :] if line.startswith("    ")]
    assert {c[0] for c in commands} == {"/opt/venv/bin/debiteuren"}
    handover = next(c for c in commands if c[1] == "overdracht")
    assert handover[handover.index("--aan") + 1] == "NOORDERLICHT"
    # run as printed: the 12 letters count from the demo's day, and the demo's peildatum works
    mark = shlex.split(hint[hint.index("(") + 1 : -2])
    marked = CliRunner().invoke(main, mark[1:])
    assert marked.exit_code == 0, marked.output
    assert marked.output.startswith("Brieven gemarkeerd als verzonden op 15-10-2026:")
    assert marked.output.count("van 15-10-2026; termijn tot en met") == 12
    for command in commands:
        done = CliRunner().invoke(main, command[1:])
        assert done.exit_code == 0, (command, done.output)
        if command[1] == "overdracht":
            assert "geen adres" not in done.output
            assert (
                "Klant K012 Antwerp Logistics NV overgedragen aan Incassobureau Noorderlicht "
                "B.V.: 1 factuur, € 9.229,37."
            ) in done.output


def test_the_demos_agency_is_on_its_incassobureaus_sheet(tmp_path):
    from debiteuren import service
    from debiteuren.core.model import Agency
    from debiteuren.demo import DEMO_AS_OF

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    agencies = service.load(path, DEMO_AS_OF, for_writing=False).data.agencies
    assert list(agencies) == [
        Agency(
            name="Incassobureau Noorderlicht B.V.",
            code="NOORDERLICHT",
            contact="mr. J. Bos",
            address="Stationsplein 2",
            postcode="3818 LE",
            city="Amersfoort",
            country="NL",
            email="dossiers@example.nl",
        )
    ]


def test_the_demo_made_again_keeps_the_workbook_that_was_there(tmp_path, monkeypatch):
    # the tutorial's workbook (with what the user tried on it) was replaced without a copy
    folder = tmp_path / "demo"
    first = CliRunner().invoke(main, ["demo", str(folder), "--geen-pdf"])
    assert first.exit_code == 0, first.output
    assert "bewaard als" not in first.output
    book = folder / "voorbeeld-debiteuren.xlsx"
    tried = openpyxl.load_workbook(book)
    tried["Klanten"]["B2"] = "Mijn eigen proefklant"
    tried.save(book)
    before = book.read_bytes()
    monkeypatch.setattr("debiteuren.cli._now", lambda: datetime(2026, 12, 6, 15, 30, 5))
    again = CliRunner().invoke(main, ["demo", str(folder), "--geen-pdf"])
    assert again.exit_code == 0, again.output
    kept = folder / "reservekopieen" / "voorbeeld-debiteuren-20261206-153005.xlsx"
    assert f"Het voorbeeldwerkboek dat er al stond, is bewaard als {kept}." in again.output
    assert kept.read_bytes() == before
    assert openpyxl.load_workbook(book)["Klanten"]["B2"].value != "Mijn eigen proefklant"
