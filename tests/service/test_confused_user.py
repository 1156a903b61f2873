"""A new user's mistakes: each gives a Dutch message, exit code 2 and an untouched file."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren.cli import main


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".csv", ""])
@pytest.mark.parametrize(
    "command",
    [
        ["bijwerken", "{book}", "--peildatum", "2026-10-15"],
        ["brieven", "{book}", "--peildatum", "2026-10-15", "--proef"],
        ["verzonden", "{book}"],
        ["export", "{book}", "--per", "2026-10-15"],
    ],
)
def test_a_workbook_under_another_ending_is_refused_in_dutch(demo: Path, suffix, command):
    # an .xlsx saved or renamed as .xls: python-calamine picked its .xls reader by the name
    # and its error came out as a traceback
    book = Path(shutil.copyfile(demo, demo.with_name("boek" + suffix)))
    before = sha(book)
    args = [a.replace("{book}", str(book)) for a in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert f"boek{suffix} is geen Excel-werkmap" in result.output
    assert "Opslaan als" in result.output and sha(book) == before


def test_the_regeling_hint_for_an_earlier_peildatum_marks_it_sent_from_the_day_it_was_made(
    demo: Path, monkeypatch
):
    """``regeling --peildatum 2026-10-15`` run on 06-12 advised ``verzonden --klant K009 --op
    2026-10-15``, which logged the confirmation letter as sent seven weeks before it was made.
    As ``brieven`` (core.rules.lifecycle.made_on): the plan's row notes the day it was made, the
    hint proposes no earlier day, and ``verzonden --op 2026-10-15`` is refused."""
    from debiteuren import cli

    monkeypatch.setattr(cli, "_now", lambda: datetime(2026, 12, 6, 9, 0))
    args = ["--klant", "K009", "--termijnen", "3", "--eerste", "2026-11-01"]
    made = CliRunner().invoke(main, ["regeling", str(demo), *args, "--peildatum", "2026-10-15"])
    assert made.exit_code == 0, made.output
    hint = made.output.split("Leg dat vast met: ")[1].strip()
    assert hint == f"debiteuren verzonden {demo} --klant K009"
    before = sha(demo)
    early = CliRunner().invoke(main, [*hint.split()[1:], "--op", "2026-10-15"])
    assert early.exit_code == 2 and sha(demo) == before
    assert (
        f"de regeling voor klant K009 (Acties, rij {_plan_rows(demo)[0][0]}) is gemaakt op 06-12-2026 "
        "(gedateerd 15-10-2026), na 15-10-2026" in " ".join(early.output.split())
    )
    sent = CliRunner().invoke(main, hint.split()[1:])
    assert sent.exit_code == 0, sent.output
    assert "Brieven gemarkeerd als verzonden op 06-12-2026:" in sent.output
    after = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-12-06"])
    assert after.exit_code == 0, after.output
    # a plan's confirmation gives no term (its dates are the instalments on Regelingen), but
    # verzonden wrote 'Termijn tot' as the day of sending plus 'Termijn brief (dagen)'
    assert "K009" in sent.output and "termijn tot en met" not in sent.output
    ((_, plan),) = _plan_rows(demo)
    assert (plan["Tijdstip"], plan["Status"], plan["Verzonden op"], plan["Termijn tot"]) == (
        datetime(2026, 10, 15),
        "verzonden",
        datetime(2026, 12, 6),
        None,
    )
    assert plan["Notitie"] == (
        "Betalingsregeling: 3 termijnen vanaf 01-11-2026; bevestigingsbrief gemaakt, nog niet "
        "verstuurd; gemaakt op 06-12-2026, gedateerd op de peildatum"
    )


def _plan_rows(book: Path) -> list[tuple[int, dict[str, object]]]:
    """Return the Acties rows of K009's payment plan: Excel row, header -> value."""
    acties = openpyxl.load_workbook(book)["Acties"]
    header = [c.value for c in acties[1]]
    rows = acties.iter_rows(min_row=2, values_only=True)
    cells = [(n, dict(zip(header, r, strict=True))) for n, r in enumerate(rows, 2)]
    return [(n, r) for n, r in cells if (r["Actie"], r["Klantnr"]) == ("regeling", "K009")]


def test_brieven_says_which_customers_wait_for_a_draft_to_be_sent(demo: Path):
    """After ``debiteuren demo`` a new user runs ``brieven`` and got only "Geen brieven.": the
    twelve letters of the demo wait as drafts on Acties, and hold every new letter."""
    from debiteuren import service
    from debiteuren.demo import DEMO_AS_OF

    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    args = ["--peildatum", "2026-10-15", "--toch", "--onbevestigde-rente"]
    first = CliRunner().invoke(main, ["brieven", str(demo), *args])
    assert first.exit_code == 0 and "Brieven (gemaakt):" in first.output
    assert "Geen nieuwe brief" not in first.output  # nothing waited before this run
    again = CliRunner().invoke(main, ["brieven", str(demo), *args, "--proef"])
    assert again.exit_code == 0, again.output
    assert (
        "Geen nieuwe brief voor 12 klanten: hun eerdere brieven staan nog als concept op het "
        "blad Acties. Zijn ze verstuurd, leg dat vast met: debiteuren verzonden "
        f"{demo} [--op DATUM]."
    ) in " ".join(again.output.split())


def test_a_workbook_of_another_program_is_one_message(tmp_path: Path):
    """A sheet list from another program gave six messages, one per missing sheet, each
    pointing at workbook_template.xlsx (a file in the repository, not beside the user's)."""
    import openpyxl

    book = tmp_path / "klantenlijst.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Naam", "Bedrag"])
    wb.active.append(["Jansen", 120])
    wb.save(book)
    before = sha(book)
    result = CliRunner().invoke(main, ["bijwerken", str(book), "--peildatum", "2026-10-15"])
    assert result.exit_code == 2 and sha(book) == before
    assert result.output.splitlines()[-2:] == [
        "Het werkboek heeft 1 probleem; er is niets gewijzigd.",
        "- Werkboek: Dit is geen werkboek van debiteuren: de bladen Facturen, Klanten, "
        "Betalingen, Acties, Regelingen, Instellingen ontbreken. Maak een leeg werkboek met "
        "'debiteuren nieuw BOEK.xlsx' en zet uw gegevens daarin.",
    ]


@pytest.mark.parametrize(
    ("column", "value", "day"),
    [
        ("Vervaldatum", date(9999, 12, 31), date(9999, 12, 31)),
        ("Pauze tot", date(9999, 12, 31), date(9999, 12, 31)),
        ("Factuurdatum", "15-03-1026", date(1026, 3, 15)),  # Excel keeps it as text
    ],
)
def test_an_invoice_date_centuries_away_names_its_cell(demo: Path, column, value, day):
    """31-12-9999 as a due date or a pause ("never") overflowed the day after it: an
    OverflowError traceback from bijwerken; 1026 for 2026 was refused for the interest table
    ("Geen percentage ... op 15-04-1026") without naming the cell."""
    import openpyxl

    book = openpyxl.load_workbook(demo)
    sheet = book["Facturen"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index(column) + 1, value=value)
    book.save(demo)
    before = sha(demo)
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 2 and sha(demo) == before, result.output
    assert (
        f"- Facturen, rij 2, {column}: {column} {day:%d-%m-%Y} kan niet kloppen; controleer het "
        "jaar (debiteuren rekent met de jaren 1900 tot en met 2199)."
    ) in result.output


#: The demo's row 2: invoice 2023-0041 of K003, a Dutch business (NL handelsrente from 1-12-2002).
_NL_B2B_ROW = 2


def _dated_1950(demo: Path, due: date | None, term: int | None = None) -> None:
    """Give the demo's row 2 an invoice date in 1950 and ``due`` (None: empty) as due date."""
    import openpyxl

    book = openpyxl.load_workbook(demo)
    sheet = book["Facturen"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(_NL_B2B_ROW, headers.index("Factuurdatum") + 1, date(1950, 3, 15))
    sheet.cell(_NL_B2B_ROW, headers.index("Vervaldatum") + 1).value = due  # None: empty
    if term is not None:
        klanten = book["Klanten"]
        column = [c.value for c in klanten[1]].index("Betaaltermijn (dagen)") + 1
        row = next(r for r in range(2, klanten.max_row + 1) if klanten.cell(r, 1).value == "K003")
        klanten.cell(row, column, term)
    book.save(demo)


@pytest.mark.parametrize(
    "command",
    [
        ["bijwerken", "--peildatum", "2026-10-15"],
        ["brieven", "--proef", "--peildatum", "2026-10-15"],
        ["export", "--per", "2026-10-15"],
    ],
)
def test_an_invoice_due_before_the_rate_table_names_its_cell(demo: Path, command):
    """A Dutch business invoice due in 1950, before the first row of the commercial rate table:
    every command refused the whole workbook with "Geen percentage voor de NL handelsrente
    (art. 6:119a BW) op 15-04-1950" from the interest engine, naming no invoice or cell."""
    _dated_1950(demo, date(1950, 4, 14))
    before = sha(demo)
    result = CliRunner().invoke(main, [command[0], str(demo), *command[1:]])
    assert result.exit_code == 2 and sha(demo) == before, result.output
    assert result.output.splitlines()[-2:] == [
        "Het werkboek heeft 1 probleem; er is niets gewijzigd.",
        "- Facturen, rij 2, Vervaldatum: Vervaldatum 14-04-1950 ligt vóór de eerste dag "
        "waarvoor debiteuren de NL handelsrente (art. 6:119a BW) kent (01-12-2002), dus de rente "
        "vanaf 15-04-1950 is niet te berekenen. Controleer het jaar, of vul op het blad Rentes "
        "het percentage aan dat vanaf 15-04-1950 gold.",
    ]


def test_a_due_date_from_an_invoice_date_before_the_rate_table_names_the_invoice_date(
    demo: Path,
):
    """An empty Vervaldatum: the due date follows from Factuurdatum and the payment term, so
    that is the cell to correct."""
    _dated_1950(demo, None, term=30)
    before = sha(demo)
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 2 and sha(demo) == before, result.output
    assert (
        "- Facturen, rij 2, Factuurdatum: Factuurdatum 15-03-1950 geeft met de betaaltermijn de "
        "vervaldatum 14-04-1950; die ligt vóór de eerste dag waarvoor debiteuren de NL "
        "handelsrente (art. 6:119a BW) kent (01-12-2002)"
    ) in result.output


def test_an_invoice_before_the_table_is_accepted_with_an_own_rate_row(demo: Path):
    """The remedy the message names works: a Rentes row from the first day of interest on."""
    import openpyxl

    _dated_1950(demo, date(1950, 4, 14))
    book = openpyxl.load_workbook(demo)
    book["Rentes"].append(["NL handelsrente", datetime(1950, 4, 15), 0.05, "eigen", "test"])
    book.save(demo)
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 0, result.output


def test_the_same_call_logged_twice_changes_nothing_the_second_time(demo: Path, monkeypatch):
    """``gesprek`` for an earlier day run twice (unsure whether the first run worked) added the
    call and the promise again: two identical rows, and the Acties sheet counted two calls."""
    from debiteuren import cli

    monkeypatch.setattr(cli, "_now", lambda: datetime(2026, 10, 20, 9, 0))
    args = ["gesprek", str(demo), "--klant", "K001", "--peildatum", "2026-10-15"]
    promise = [*args, "--uitkomst", "belofte", "--op", "2026-10-22"]
    assert CliRunner().invoke(main, promise).exit_code == 0
    before = sha(demo)
    again = CliRunner().invoke(main, promise)
    assert again.exit_code == 2 and sha(demo) == before
    assert "Dit gesprek met klant K001 op 15-10-2026 staat al op het blad Acties" in again.output
    # a note that day is another call; so is the same call at a time of day
    assert CliRunner().invoke(main, [*args, "--uitkomst", "notitie"]).exit_code == 0
    assert CliRunner().invoke(main, [*args, "--uitkomst", "notitie"]).exit_code == 2
    timed = CliRunner().invoke(main, [*args, "--uitkomst", "notitie", "--tijd", "14:00"])
    assert timed.exit_code == 0, timed.output


@pytest.mark.parametrize(
    "command",
    [
        ["gesprek", "{book}", "--uitkomst", "notitie", "--peildatum", "2026-10-15"],
        ["brieven", "{book}", "--peildatum", "2026-10-15", "--proef"],
        [
            "regeling",
            "{book}",
            "--termijnen",
            "2",
            "--eerste",
            "2026-11-01",
            "--peildatum",
            "2026-10-15",
        ],
        ["verzonden", "{book}", "--op", "2026-10-15"],
    ],
)
@pytest.mark.parametrize(
    ("typed", "hint"),
    [("k001", " Bedoelt u 'K001'?"), ("K001 ", " Bedoelt u 'K001'?"), ("K01", "")],
)
def test_a_customer_number_typed_almost_right_is_named(demo: Path, command, typed, hint):
    """``--klant k001`` said only that k001 is not on Klanten; K01 is close to K001, K010, K011
    and K012 alike: no guess."""
    args = [str(demo) if a == "{book}" else a for a in command]
    result = CliRunner().invoke(main, [*args, "--klant", typed])
    assert result.exit_code == 2
    assert f"Fout: Klant '{typed}' staat niet op het blad Klanten.{hint}\n" in result.output


def test_a_customer_number_with_other_spaces_is_named():
    """A newcomer wrote 'K 002' on Klanten and typed '--klant K002': K001, K003 and K004 are as
    close to K002 as 'K 002' is, so there was no guess."""
    from debiteuren.service.changes import UnknownCustomer

    known = ["K001", "K 002", "K003", "K004"]
    assert str(UnknownCustomer("K002", known)).endswith(" Bedoelt u 'K 002'?")
    assert str(UnknownCustomer("K 00 3", known)).endswith(" Bedoelt u 'K003'?")


def test_a_hand_over_for_an_earlier_peildatum_is_not_sent_before_it_was_made(
    demo: Path, monkeypatch
):
    """``overdracht --peildatum 2026-10-15`` (as the demo suggests) run on 06-12 made the
    dossier that day but did not say so, and the demo's ``verzonden --op 2026-10-15`` then
    logged it as sent seven weeks before it existed. Its Acties row now notes the day it was
    made, as a letter's and a payment plan's do, and verzonden refuses an earlier day."""
    from debiteuren import cli

    monkeypatch.setattr(cli, "_now", lambda: datetime(2026, 12, 6, 9, 0))
    args = ["--klant", "K012", "--aan", "NOORDERLICHT", "--peildatum", "2026-10-15"]
    made = CliRunner().invoke(main, ["overdracht", str(demo), *args])
    assert made.exit_code == 0, made.output
    acties = openpyxl.load_workbook(demo)["Acties"]
    header = [c.value for c in acties[1]]
    rows = [dict(zip(header, r, strict=True)) for r in acties.iter_rows(values_only=True)]
    (handover,) = [r for r in rows if r["Actie"] == "overdracht"]
    assert handover["Notitie"] == (
        "overgedragen aan Incassobureau Noorderlicht B.V.; gemaakt op 06-12-2026, gedateerd op "
        "de peildatum"
    )
    before = sha(demo)
    early = ["verzonden", str(demo), "--klant", "K012", "--op", "2026-10-15"]
    refused = CliRunner().invoke(main, early)
    assert refused.exit_code == 2 and sha(demo) == before
    assert "is gemaakt op 06-12-2026 (gedateerd 15-10-2026), na 15-10-2026" in refused.output
    sent = CliRunner().invoke(main, ["verzonden", str(demo), "--klant", "K012"])
    assert sent.exit_code == 0, sent.output
    assert "overdracht (post) van 15-10-2026" in sent.output


def _first_book(tmp_path: Path, settings: dict[str, object]) -> Path:
    """A workbook as a new user makes it: ``nieuw``, then Instellingen with only ``settings``,
    one business customer and one invoice long overdue on 15-10-2026."""
    from debiteuren.workbook.write import append_table_rows, set_settings

    book = tmp_path / "debiteuren.xlsx"
    assert CliRunner().invoke(main, ["nieuw", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    set_settings(wb, settings)
    customer = {"number": "K1", "name": "Café De Hoek", "address": "Markt 1"}
    customer |= {"postcode": "1234 AB", "city": "Ergens", "country": "NL", "kind": "Onderneming"}
    append_table_rows(wb, "Klanten", [customer])
    invoice = {"number": "F-001", "debtor": "K1", "invoice_date": date(2026, 8, 1)}
    invoice |= {"due_date": date(2026, 8, 31), "amount": 1210}
    append_table_rows(wb, "Facturen", [invoice])
    wb.save(book)
    return book


#: What README step 2 asks of Instellingen before the first letters.
_DETAILS = {
    "Naam": "Bakkerij Het Gouden Korenaar",
    "Adres": "Dorpsstraat 1",
    "Postcode": "1234 AB",
    "Plaats": "Ergens",
    "KvK/KBO-nummer": "12345678",
    "IBAN": "NL91ABNA0417164300",
    "E-mail": "info@korenaar.example",
}


def test_letters_without_the_business_details_they_print_are_refused(tmp_path: Path):
    """A new user filled in only Naam on Instellingen and ran brieven: it made a reminder that
    asks to pay 'met de betaalgegevens hieronder' under an empty IBAN, dated ', 7 december
    2026', with 'Neem dan contact met ons op via .' and no sender's address. Now nothing is
    made and the message names each empty row of Instellingen."""
    book = _first_book(tmp_path, {"Naam": "Bakkerij Het Gouden Korenaar"})
    before = sha(book)
    places = (
        "Instellingen, rij 3, Waarde (Adres); Instellingen, rij 4, Waarde (Postcode); "
        "Instellingen, rij 5, Waarde (Plaats); Instellingen, rij 7, Waarde (KvK/KBO-nummer); "
        "Instellingen, rij 9, Waarde (IBAN); Instellingen, rij 11, Waarde (E-mail) of "
        "Instellingen, rij 12, Waarde (Telefoon)"
    )
    args = ["brieven", str(book), "--peildatum", "2026-10-15"]
    made = CliRunner().invoke(main, args)
    assert made.exit_code == 2, made.output
    assert " ".join(made.output.split()) == (
        f"Fout: De brieven missen gegevens van uw bedrijf die op elke brief staan: {places}. "
        "Vul ze in en probeer het opnieuw; er is niets gemaakt of gewijzigd."
    )
    assert sha(book) == before and not (tmp_path / "brieven").exists()
    preview = CliRunner().invoke(main, [*args, "--proef"])  # shows what is due, and the gap
    assert preview.exit_code == 0, preview.output
    assert (
        f"Let op: de brieven missen gegevens van uw bedrijf die op elke brief staan: {places}; "
        "zonder die gegevens worden ze niet gemaakt"
    ) in " ".join(preview.output.split())
    assert "K1 Café De Hoek: herinnering (post), 1 factuur" in preview.output


def test_letters_with_the_business_details_are_made(tmp_path: Path):
    """With what README step 2 asks (a phone number may stand for the e-mail address), the
    same reminder is made."""
    details = {k: v for k, v in _DETAILS.items() if k != "E-mail"} | {"Telefoon": "0123 45 67"}
    book = _first_book(tmp_path, details)
    result = CliRunner().invoke(
        main, ["brieven", str(book), "--peildatum", "2026-10-15", "--geen-pdf"]
    )
    assert result.exit_code == 0, result.output
    assert "K1 Café De Hoek: herinnering (post), 1 factuur" in result.output
    assert (tmp_path / "brieven" / "2026-10-15" / "K1-herinnering.docx").is_file()


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["bijwerken", "{book}", "--peildatum", " "], "--peildatum"),
        (["verzonden", "{book}", "--op", ""], "--op"),
        (["export", "{book}", "--per", ""], "--per"),
        (["gesprek", "{book}", "--klant", "K001", "--uitkomst", "belofte", "--op", ""], "--op"),
    ],
)
def test_an_empty_date_is_refused_not_taken_as_today(demo: Path, command, option):
    """``--op "$DAG"`` with an empty variable (or ``--op=`` typed without the day) counted as
    no option at all: verzonden marked the letters as sent today, bijwerken reckoned as of
    today and saved, export wrote today's figures. An empty date is a date left out by
    mistake, not a choice for today."""
    args = [a.replace("{book}", str(demo)) for a in command]
    before = sha(demo)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        f"Fout: {option} is leeg; schrijf een datum zoals 2025-03-31 of 31-03-2025."
    )
    assert sha(demo) == before and not list(demo.parent.glob("export-*"))


@pytest.mark.parametrize(
    "command",
    [
        ["regeling", "--klant", "K1", "--termijnen", "3", "--eerste", "2026-11-01"],
        ["overdracht", "--klant", "K1", "--aan", "Incasso B.V., Straat 1, 1234 AB Plaats"],
    ],
)
def test_a_plan_or_a_hand_over_without_the_business_details_is_refused(tmp_path: Path, command):
    """The payment plan's confirmation asked for the first instalment 'met de betaalgegevens
    hieronder' above an empty IBAN, like brieven did; the hand-over's letter and dossier named
    the business without address or KvK number. Refused as brieven refuses them."""
    book = _first_book(tmp_path, {"Naam": "Bakkerij Het Gouden Korenaar"})
    before = sha(book)
    args = [command[0], str(book), *command[1:], "--peildatum", "2026-10-15"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(
        "Fout: De brieven missen gegevens van uw bedrijf die op elke brief staan: "
        "Instellingen, rij 3, Waarde (Adres);"
    )
    assert "Instellingen, rij 9, Waarde (IBAN)" in said
    assert sha(book) == before and not (tmp_path / "brieven").exists()


def test_letters_stopped_before_the_workbook_is_saved_leave_no_files(demo: Path, monkeypatch):
    """Ctrl-C after the letters were written but before the workbook was saved left them in
    brieven/2026-10-15, logged nowhere ('b.xlsx noemt die bestanden dus niet. Voer de opdracht
    opnieuw uit'); the run again made K001-herinnering-2.docx and so on beside them: two
    letters for each customer in the folder the user prints and mails from, one of them
    unlogged. Now the stopped run removes what it made; the run again makes the same names."""
    import importlib

    from debiteuren import service

    letters_service = importlib.import_module("debiteuren.service.letters")  # not the function

    now = datetime(2026, 10, 15, 9, 30)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    before = sha(demo)
    monkeypatch.setattr(letters_service, "write_back", stopped)
    with pytest.raises(KeyboardInterrupt):
        service.letters(demo, date(2026, 10, 15), now=now, pdf=False, confirm_rates=True)
    folder = demo.parent / "brieven" / "2026-10-15"
    assert sha(demo) == before
    assert not folder.exists() or not list(folder.iterdir())
    monkeypatch.undo()
    made = service.letters(demo, date(2026, 10, 15), now=now, pdf=False, confirm_rates=True)
    names = sorted(p.name for p in folder.iterdir())
    assert made.logged == 12 and "K001-herinnering.docx" in names
    assert not [n for n in names if "-2." in n]


def test_ctrl_c_before_the_workbook_is_saved_names_no_removed_file(demo: Path, monkeypatch):
    """The message named the letters the stopped run had written ('Afgebroken nadat
    K001-herinnering.docx, … al was opgeslagen, maar vóórdat demo.xlsx was bijgewerkt'); they
    are removed now, so it says only that the command stopped."""
    import importlib

    letters_service = importlib.import_module("debiteuren.service.letters")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(letters_service, "write_back", stopped)
    args = ["brieven", str(demo), "--peildatum", "2026-10-15", "--geen-pdf"]
    result = CliRunner().invoke(main, [*args, "--onbevestigde-rente"])
    assert result.exit_code == 1, result.output
    assert "al was opgeslagen" not in result.output
    assert result.output.strip().endswith("Afgebroken.")
