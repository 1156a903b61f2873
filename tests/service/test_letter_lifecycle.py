"""A letter's lifecycle: only what really went out counts, and nothing that went out is lost.

The acceptance tests of issue 10: a refused recipient, a draft marked sent days later, two runs
on one day, no logging into the future, sending and logging that cannot send twice, rates that
are not confirmed, and the payment plan's letter.
"""

from __future__ import annotations

import hashlib
import shlex
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal as D
from email import message_from_bytes, policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import cli, service
from debiteuren.cli import main
from debiteuren.core.ladder import letters_due
from debiteuren.core.model import Step
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import ValidationFailed
from debiteuren.letters.render import letter_text
from debiteuren.service.payments import payment_plan
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import set_settings
from smtp_server import serving  # the shared local SMTP server

NOW = datetime(2026, 10, 15, 9, 30)
HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def acties(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path, data_only=True)["Acties"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r[0] is not None]


def day_of(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def assessment(path: Path, as_of: date):
    return service.assess(service.load(path, as_of, for_writing=False), as_of)


def run(monkeypatch, now: datetime, *args: str):
    """Run the command line with ``now`` as the clock."""
    monkeypatch.setattr(cli, "_now", lambda: now)
    return CliRunner().invoke(main, [str(a) for a in args])


@contextmanager
def smtp_server(refuse: str = ""):
    """A local SMTP server; recipients starting with ``refuse`` get a 550."""
    received = []

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if refuse and address.startswith(refuse):
                return "550 5.1.1 mailbox unavailable"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            received.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 Message accepted"

    with serving(Handler()) as port:
        yield port, received


def settings(path: Path, values: dict[str, object]) -> None:
    book = open_book(path)
    set_settings(book, values)
    book.save(path)


def smtp(path: Path, port: int) -> None:
    settings(path, {"SMTP-server": "127.0.0.1", "SMTP-poort": port, "SMTP-beveiliging": "geen"})


# --- a recipient refused ----------------------------------------------------------------------


def test_a_refused_recipient_is_failed_not_counted_and_goes_into_the_print_file(demo, monkeypatch):
    with smtp_server(refuse="jean.dupont") as (port, received):
        smtp(demo, port)
        # --onbevestigde-rente: no letter is held for a rate, so exit 1 is the refusal's alone
        result = run(
            monkeypatch, NOW, "brieven", demo, "--verstuur", "--geen-pdf", "--onbevestigde-rente"
        )
    # done, but not everything: exit 1 and a Dutch summary quoting the server after it
    assert result.exit_code == 1, result.output
    assert "Niet gemaakt:" not in result.output
    assert "1 e-mail niet verzonden; ze tellen niet mee" in result.output
    assert (
        "K010 Jean Dupont (eerste herinnering): de mailserver weigerde het adres "
        "jean.dupont@example.be (550 5.1.1 mailbox unavailable)"
    ) in result.output
    rows = [r for r in acties(demo) if day_of(r["Tijdstip"]) == DEMO_AS_OF]
    k010 = [r for r in rows if r["Klantnr"] == "K010"]
    assert [(r["Kanaal"], r["Status"], r["Verzonden op"]) for r in k010] == [
        ("e-mail", "mislukt", None),
        ("post", "concept", None),
    ]
    assert k010[0]["Notitie"].startswith(
        "niet verzonden: de mailserver weigerde het adres jean.dupont@example.be (550"
    )
    assert k010[1]["Bestand"] == "brieven/2026-10-15/K010-eerste-herinnering-post.docx"
    # every other e-mail went out and is sent today (K002's 14-dagenbrief and K011's
    # ingebrekestelling go by post)
    emailed = [r for r in rows if r["Kanaal"] == "e-mail" and r["Klantnr"] != "K010"]
    assert len(emailed) == len(received) == 7
    assert {(r["Status"], day_of(r["Verzonden op"])) for r in emailed} == {
        ("verzonden", DEMO_AS_OF)
    }
    assert "jean.dupont@example.be" not in {m["To"] for m in received}
    # the refused letter is in this run's print file, as a letter for the post
    folder = demo.parent / "brieven" / "2026-10-15"
    printed = letter_text((folder / "alle-brieven-afdrukken-093000.docx").read_bytes())
    assert "Jean Dupont" in printed and "Premier rappel" in printed
    log = (folder / "verzendlog.txt").read_text("utf-8")
    assert "K010 eerste herinnering aan jean.dupont@example.be: NIET verzonden" in log
    assert log.count(": verzonden") == 7
    # not counted: no term, no lump sum, and the ladder does not move on for K010
    later = date(2026, 11, 20)
    engine = assessment(demo, later)
    claim = engine.claims["K010"].claim_for("2026-0061")
    assert claim.notice is None and claim.statement.costs == 0
    assert "K010" not in {w.debtor.number for w in _preview(demo, later)}
    stage = engine.stages["K010"]["2026-0061"]
    assert stage.next_step is Step.BE_FIRST_REMINDER and stage.next_on is None
    assert "nog niet verzonden" in stage.reason
    preview = run(monkeypatch, datetime(2026, 11, 20, 9), "brieven", demo, "--proef")
    assert preview.exit_code == 0 and "K010" not in preview.output


def test_an_email_one_of_whose_addresses_is_refused_went_out_to_the_other(demo, monkeypatch):
    # K007 has two addresses; the server refuses the old one and takes the other: the letter
    # reached the customer, so it is sent (and counts), with the refusal on Acties, and no
    # posted copy is made
    book = openpyxl.load_workbook(demo)
    sheet = book["Klanten"]
    column = [c.value for c in sheet[1]].index("E-mail") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "K007")
    sheet.cell(row, column).value = "oud@example.be, boekhouding@example.be"
    book.save(demo)
    with smtp_server(refuse="oud@") as (port, received):
        smtp(demo, port)
        result = run(
            monkeypatch, NOW, "brieven", demo, "--verstuur", "--geen-pdf", "--klant", "K007"
        )
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in received] == ["oud@example.be, boekhouding@example.be"]
    (k007,) = [r for r in acties(demo) if r["Klantnr"] == "K007" and r["Status"]]
    assert (k007["Kanaal"], k007["Status"], day_of(k007["Verzonden op"])) == (
        "e-mail",
        "verzonden",
        DEMO_AS_OF,
    )
    assert "maar de mailserver weigerde het adres oud@example.be (550" in k007["Notitie"]
    assert "herinnering (e-mail), 2 facturen, € 2.142,01 – verzonden, maar de mailserver" in (
        result.output
    )
    assert not list((demo.parent / "brieven" / "2026-10-15").glob("*-post.docx"))
    log = (demo.parent / "brieven" / "2026-10-15" / "verzendlog.txt").read_text("utf-8")
    assert ": verzonden (de mailserver weigerde het adres oud@example.be (550" in log


def _preview(path: Path, as_of: date):
    return service.letters(
        path, as_of, now=datetime.combine(as_of, NOW.time()), dry_run=True, confirm_rates=True
    ).letters


# --- a draft sent later -----------------------------------------------------------------------


def test_an_unsent_draft_starts_no_term_and_marking_it_sent_starts_it_that_day(demo):
    made = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False)
    letter = next(w for w in made.letters if w.debtor.number == "K010")
    assert (letter.step, letter.channel.value, letter.eml is not None) == (
        Step.BE_FIRST_REMINDER,
        "e-mail",
        True,
    )
    # an e-mail draft that nobody sent: no term, no lump sum, no interest
    engine = assessment(demo, date(2026, 11, 20))
    claim = engine.claims["K010"].claim_for("2026-0061")
    assert claim.notice is None and claim.statement.costs == 0 and claim.interest == 0
    # sent three days late, from the mail program on Sunday 18 October
    marked = service.mark_sent(
        demo, date(2026, 10, 18), now=datetime(2026, 10, 19, 8, 0), customers=["K010"]
    )
    assert [m.action.debtor for m in marked.marked] == ["K010"]
    row = next(r for r in acties(demo) if r["Klantnr"] == "K010" and r["Status"])
    # Book XIX by e-mail: 14 days from the day after sending, Sunday 1 November (All Saints)
    # moves to Monday 2 November; from the letter's own date it would have ended on 29-10
    assert (row["Status"], day_of(row["Verzonden op"]), day_of(row["Termijn tot"])) == (
        "verzonden",
        date(2026, 10, 18),
        date(2026, 11, 2),
    )
    engine = assessment(demo, date(2026, 11, 20))
    term = engine.claims["K010"].claim_for("2026-0061").notice
    assert (term.sent_on, term.first_day, term.last_day, term.charges_from) == (
        date(2026, 10, 18),
        date(2026, 10, 19),
        date(2026, 11, 2),
        date(2026, 11, 3),
    )
    # the lump sum (agreed in the demo's terms) per invoice from the day after the term:
    # 240.00 -> 30 + 10 % x 90 = 39.00; 150.00 -> 20.00
    costs = {c.invoice.number: c.statement.costs for c in engine.claims["K010"].invoices}
    assert costs == {"2026-0061": D("39.00"), "2026-0098": D("20.00"), "2026-0135": D("0")}
    # the day before the term ends nothing is charged yet
    before = assessment(demo, date(2026, 11, 2)).claims["K010"]
    assert sum(c.statement.costs for c in before.invoices) == 0
    # and the letter's own "laatste dag" (29-10) was shorter: the command says so
    assert "loopt de wettelijke termijn tot en met 02-11-2026" in marked.marked[0].warning


def test_verzonden_says_when_the_customer_paid_after_the_letter_was_made(demo, monkeypatch):
    # K007's reminder asks 2,142.01 for two invoices; the next day 2026-0019 is paid before
    # the letter is posted: it went out (the record says so), and the command says it asks
    # too much
    service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K007")
    book = openpyxl.load_workbook(demo)
    sheet = book["Betalingen"]
    head = [c.value for c in sheet[1]]
    row = sheet.max_row + 1
    paid = {"Datum": datetime(2026, 10, 16), "Bedrag": 1355.33, "Klantnr": "K007"}
    paid |= {"Factuurnr": "2026-0019", "Bron": "handmatig"}
    for header, value in paid.items():
        sheet.cell(row, head.index(header) + 1).value = value
    book.save(demo)
    done = run(monkeypatch, datetime(2026, 10, 16, 17), "verzonden", demo)
    assert done.exit_code == 0, done.output
    assert (
        "Let op: de herinnering aan klant K007 vraagt € 2.142,01, maar op 16-10-2026 stond nog "
        "€ 787,26 open: er is na het maken van de brief betaald of gecrediteerd."
    ) in done.output
    (k007,) = [r for r in acties(demo) if r["Klantnr"] == "K007" and r["Status"]]
    assert (k007["Status"], day_of(k007["Verzonden op"])) == ("verzonden", date(2026, 10, 16))
    # a letter whose customer did not pay since says nothing of it
    service.letters(demo, date(2026, 10, 16), now=datetime(2026, 10, 16, 9), customer="K012")
    other = run(monkeypatch, datetime(2026, 10, 16, 17), "verzonden", demo, "--klant", "K012")
    assert other.exit_code == 0 and "Let op" not in other.output, other.output


def _typed_payment(path: Path, values: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Betalingen"]
    head = [c.value for c in sheet[1]]
    row = sheet.max_row + 1
    for header, value in values.items():
        sheet.cell(row, head.index(header) + 1).value = value
    book.save(path)


def test_opnieuw_sets_the_amount_of_a_concept_to_what_the_letter_made_again_asks(demo):
    # the concept asked 2,142.01; 2026-0019 is paid the same day and the letter is made again:
    # it asks less, and Gevorderd bedrag (which the ladder and the matching of payments read
    # once it is sent) must say what the letter that goes out asks
    made = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K007")
    _typed_payment(
        demo,
        {"Datum": datetime(2026, 10, 15), "Bedrag": 1355.33, "Klantnr": "K007"}
        | {"Factuurnr": "2026-0019", "Bron": "handmatig"},
    )
    redo = service.letters(
        demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 14), pdf=False, customer="K007", again=True
    )
    (before,), (after,) = made.letters, redo.letters
    assert after.amount < before.amount == D("2142.01")
    (row,) = [r for r in acties(demo) if r["Klantnr"] == "K007" and r["Status"]]
    assert (row["Status"], D(str(row["Gevorderd bedrag"]))) == ("concept", after.amount)


def test_verzonden_says_when_a_letter_went_out_after_the_last_day_it_states(demo):
    # the reminder of 15-10 asks payment by 29-10; posted on 28-10 it still gives a day, on
    # 29-10 it asks for a day that has come: the record says when it went out, and the command
    # says the letter's day had passed
    service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K001")
    service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K003")
    day = datetime(2026, 10, 30, 9)
    in_time = service.mark_sent(demo, date(2026, 10, 28), now=day, customers=["K003"])
    assert [m.warning for m in in_time.marked] == [""]
    late = service.mark_sent(demo, date(2026, 10, 29), now=day, customers=["K001"])
    assert late.marked[0].warning.startswith(
        "de herinnering aan klant K001 vraagt betaling uiterlijk op 29-10-2026, en die dag was "
        "al gekomen toen hij op 29-10-2026 verstuurd werd; debiteuren rekent met de termijn "
        "vanaf de verzending (tot en met 12-11-2026)"
    )


def test_verzonden_says_when_the_file_of_a_letter_is_gone(demo):
    # the concept was deleted from the folder instead of cancelled on Acties
    made = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K004")
    service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K006")
    (letter,) = made.letters
    letter.docx.unlink()
    marked = service.mark_sent(demo, DEMO_AS_OF, now=NOW)
    missing = {m.action.debtor: m.missing for m in marked.marked}
    assert missing["K004"] == (
        "het bestand van de herinnering aan klant K004 (brieven/2026-10-15/K004-herinnering.docx)"
        " bestaat niet meer, dus een overdracht kan er geen kopie van meesturen. Is de brief niet "
        "verstuurd, zet hem dan op geannuleerd"
    )
    assert missing["K006"] == ""


def test_verzonden_refuses_a_day_before_the_letter_was_made_and_in_the_future(demo, monkeypatch):
    service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K008")
    before = sha(demo)
    early = run(monkeypatch, NOW, "verzonden", demo, "--op", "2026-10-14")
    assert early.exit_code == 2 and "vóór hij gemaakt is" in early.output
    future = run(monkeypatch, NOW, "verzonden", demo, "--op", "2026-10-16")
    assert future.exit_code == 2 and "ligt na vandaag" in future.output
    assert sha(demo) == before
    done = run(monkeypatch, NOW, "verzonden", demo, "--klant", "K008")
    assert done.exit_code == 0, done.output
    assert "K008 Els Peeters: ingebrekestelling (post) van 15-10-2026" in done.output
    assert "termijn tot en met 29-10-2026" in done.output


def test_the_status_columns_are_checked(demo):
    book = open_book(demo)
    ws = book["Acties"]
    head = [c.value for c in ws[1]]
    row = 2  # the demo's first Acties row: K002's reminder of 14-04-2026
    ws.cell(row=row, column=head.index("Status") + 1, value="mislukt")
    ws.cell(row=row, column=head.index("Verzonden op") + 1, value=datetime(2026, 4, 13))
    book.save(demo)
    with pytest.raises(ValidationFailed) as failed:
        service.load(demo, DEMO_AS_OF, for_writing=False)
    messages = [str(i) for i in failed.value.issues]
    assert any("Verzonden op 13-04-2026 ligt vóór het Tijdstip 14-04-2026" in m for m in messages)
    assert any("De Status is 'mislukt' maar Verzonden op is ingevuld" in m for m in messages)


# --- two runs on one day ----------------------------------------------------------------------


def test_two_runs_on_one_day_keep_every_posted_letter_in_a_print_file(demo):
    first = service.letters(demo, DEMO_AS_OF, now=NOW, step="herinnering")
    second = service.letters(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 11, 15), step="aanmaning")
    assert first.merged.name == "alle-brieven-afdrukken-093000.docx"
    assert second.merged.name == "alle-brieven-afdrukken-111500.docx"
    first_bytes = first.merged.read_bytes()
    # one letter per debtor per day: K008's first reminder (2026-0084) waited for the notice
    assert [(w.debtor.number, w.step) for w in first.letters if w.debtor.number == "K008"] == []
    assert [(w.debtor.number, w.step) for w in second.letters] == [("K008", Step.NOTICE_OF_DEFAULT)]
    redo = service.letters(
        demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 14, 0), customer="K005", again=True
    )
    assert redo.merged.name == "alle-brieven-afdrukken-140000.docx" and redo.logged == 0
    # the first run's file is untouched, and every posted letter is in a print file
    assert first.merged.read_bytes() == first_bytes
    posted = [w for w in [*first.letters, *second.letters] if w.channel.value != "e-mail"]
    assert {w.debtor.number for w in posted} == {"K005", "K008"}
    texts = [letter_text(p.read_bytes()) for p in (first.merged, second.merged)]
    for w in posted:
        assert any(w.debtor.name in text for text in texts)
    # the Acties rows say which file holds which letter
    notes = {r["Klantnr"]: r["Notitie"] for r in acties(demo) if r["Status"] == "concept"}
    assert "alle-brieven-afdrukken-093000.docx" in notes["K005"]
    assert "alle-brieven-afdrukken-111500.docx" in notes["K008"]
    if HAS_SOFFICE:  # the print file also as one PDF, for people without Word
        assert first.merged_pdf == first.merged.with_suffix(".pdf")
        info = subprocess.run(
            ["pdftotext", str(second.merged_pdf), "-"], capture_output=True, text=True
        ).stdout
        assert "Els Peeters" in info and "€ 440,50" in info


def test_opnieuw_leaves_the_files_of_a_letter_that_went_out(demo, monkeypatch):
    # K007's reminder went out by e-mail; a payment later that day changes what a letter made
    # now would say, but the file is the copy of what the customer got (the dossier encloses it)
    made = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K007")
    service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K005")
    service.mark_sent(demo, DEMO_AS_OF, now=NOW, customers=["K007"])
    (letter,) = made.letters
    for path in (letter.docx, letter.eml):
        path.write_bytes(b"as sent")
    redo = run(
        monkeypatch, datetime(2026, 10, 15, 14, 0), "brieven", demo, "--opnieuw", "--geen-pdf"
    )
    assert redo.exit_code == 0, redo.output
    assert letter.docx.read_bytes() == letter.eml.read_bytes() == b"as sent"
    assert "Niet opnieuw gemaakt, want al verzonden" in redo.output
    assert "K007 herinnering van 15-10-2026, verzonden op 15-10-2026" in redo.output
    # the concept that still waits is made again
    assert "K005 Familie Bakker: herinnering (post)" in redo.output


def test_a_new_letter_never_takes_over_the_pdf_or_draft_of_another(demo):
    # K001's first letter was cancelled and its .docx thrown away (its e-mail draft kept): the
    # letter made again took the name K001-herinnering and wrote its draft over the first one
    first = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K001")
    (letter,) = first.letters
    wb = openpyxl.load_workbook(demo)
    ws = wb["Acties"]
    head = [c.value for c in ws[1]]
    (row,) = [r for r in ws.iter_rows(min_row=2) if r[head.index("Status")].value == "concept"]
    row[head.index("Status")].value = "geannuleerd"
    wb.save(demo)
    letter.docx.unlink()
    draft = letter.eml.read_bytes()
    again = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K001")
    (new,) = again.letters
    assert (new.docx.name, new.eml.name) == ("K001-herinnering-2.docx", "K001-herinnering-2.eml")
    assert letter.eml.read_bytes() == draft
    assert [a["Bestand"] for a in acties(demo) if a["Klantnr"] == "K001" and a["Bestand"]][-2:] == [
        "brieven/2026-10-15/K001-herinnering.docx",
        "brieven/2026-10-15/K001-herinnering-2.docx",
    ]


def test_opnieuw_never_writes_a_letter_into_the_file_of_another_letter(demo, monkeypatch):
    # K005's row names the file of K007's letter, which went out: --opnieuw wrote K005's letter
    # (another customer's name, address and amounts) over the copy of what K007 got
    made = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K007")
    service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K005")
    service.mark_sent(demo, DEMO_AS_OF, now=NOW, customers=["K007"])
    (letter,) = made.letters
    wb = openpyxl.load_workbook(demo)
    ws = wb["Acties"]
    head = [c.value for c in ws[1]]
    (row,) = [
        r
        for r in ws.iter_rows(min_row=2)
        if r[head.index("Klantnr")].value == "K005" and r[head.index("Status")].value == "concept"
    ]
    row[head.index("Bestand")].value = "brieven/2026-10-15/K007-herinnering.docx"
    wb.save(demo)
    before, sent = sha(demo), letter.docx.read_bytes()
    redo = run(
        monkeypatch, datetime(2026, 10, 15, 14, 0), "brieven", demo, "--opnieuw", "--geen-pdf"
    )
    assert redo.exit_code == 2, redo.output
    assert (
        f"- Acties, rij {row[0].row}, Bestand: 'brieven/2026-10-15/K007-herinnering.docx' is niet "
        "het bestand van de herinnering aan K005; --opnieuw zou dat bestand overschrijven met "
        "deze brief. Zet hier het bestand van deze brief (K005-herinnering.docx) of maak de cel "
        "leeg." in " ".join(redo.output.split())
    )
    assert letter.docx.read_bytes() == sent
    assert sha(demo) == before


# --- never into the future --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("brieven", "--geen-pdf"),
        ("gesprek", "--klant", "K001", "--uitkomst", "notitie"),
        ("regeling", "--klant", "K009", "--termijnen", "3", "--eerste", "2026-11-01"),
        ("overdracht", "--klant", "K012", "--oud-afschrift"),
    ],
)
def test_a_future_peildatum_is_refused_with_the_file_unchanged(demo, monkeypatch, args):
    before = sha(demo)
    result = run(monkeypatch, NOW, args[0], demo, *args[1:], "--peildatum", "2026-10-16")
    assert result.exit_code == 2
    assert "De peildatum 16-10-2026 ligt na vandaag (15-10-2026)" in result.output
    assert "--toekomst" in result.output
    assert sha(demo) == before
    assert not (demo.parent / "brieven").exists()


def test_gesprek_keeps_the_time_of_the_call(demo, monkeypatch):
    # a call on an earlier day: its own time, when given
    earlier = run(
        monkeypatch,
        datetime(2026, 10, 15, 14, 50),
        "gesprek",
        demo,
        "--klant",
        "K003",
        "--uitkomst",
        "notitie",
        "--peildatum",
        "2026-10-14",
        "--tijd",
        "16:05",
    )
    assert earlier.exit_code == 0, earlier.output
    assert acties(demo)[-1]["Tijdstip"] == datetime(2026, 10, 14, 16, 5)
    # a call today keeps the time it was logged
    result = run(
        monkeypatch,
        datetime(2026, 10, 15, 14, 42, 7),
        "gesprek",
        demo,
        "--klant",
        "K001",
        "--uitkomst",
        "notitie",
        "--tekst",
        "belt terug",
    )
    assert result.exit_code == 0, result.output
    last = acties(demo)[-1]
    assert (last["Klantnr"], last["Actie"], last["Tijdstip"]) == (
        "K001",
        "telefoon",
        datetime(2026, 10, 15, 14, 42, 7),
    )


def test_gesprek_refuses_a_time_of_today_that_has_not_come_yet(demo, monkeypatch):
    # --tijd 23:00 at 09:30: the call would be logged hours into the future
    before = sha(demo)
    args = ("gesprek", demo, "--klant", "K001", "--uitkomst", "notitie", "--tijd")
    later = run(monkeypatch, NOW, *args, "23:00")
    assert later.exit_code == 2
    assert "Het tijdstip 23:00 van vandaag is nog niet geweest (het is nu 09:30)" in later.output
    assert sha(demo) == before
    # a time of today that has passed is what happened
    done = run(monkeypatch, NOW, *args, "08:15")
    assert done.exit_code == 0, done.output
    assert acties(demo)[-1]["Tijdstip"] == datetime(2026, 10, 15, 8, 15)


def test_gesprek_with_the_same_time_twice_logs_the_call_once(demo, monkeypatch):
    args = ("gesprek", demo, "--klant", "K001", "--uitkomst", "belofte", "--op", "2026-10-22")
    args += ("--peildatum", "2026-10-14", "--tijd", "16:05")
    first = run(monkeypatch, NOW, *args)
    assert first.exit_code == 0, first.output
    before = sha(demo)
    second = run(monkeypatch, NOW, *args)
    assert second.exit_code == 2
    assert "op 14-10-2026 om 16:05 staat al op het blad Acties" in second.output
    assert sha(demo) == before
    # another time that day is another call
    other = run(monkeypatch, NOW, *args[:-1], "16:40")
    assert other.exit_code == 0, other.output
    calls = [r for r in acties(demo) if r["Klantnr"] == "K001" and r["Tijdstip"].day == 14]
    assert [(r["Tijdstip"].strftime("%H:%M"), r["Actie"]) for r in calls] == [
        ("16:05", "telefoon"),
        ("16:05", "betaalbelofte"),
        ("16:40", "telefoon"),
        ("16:40", "betaalbelofte"),
    ]


# --- sending and logging: never twice ---------------------------------------------------------


def test_an_absolute_letter_folder_works_and_a_crash_never_sends_twice(monkeypatch, tmp_path):
    demo = service.demo_workbook(tmp_path / "boek" / "demo.xlsx")
    elsewhere = tmp_path / "elders" / "brieven"  # outside the workbook's folder
    settings(demo, {"Uitvoermap brieven": str(elsewhere)})
    import sys

    letters_mod = sys.modules["debiteuren.service.letters"]

    def crash(*args, **kwargs):
        raise RuntimeError("stroom uitgevallen")

    with smtp_server() as (port, received):
        smtp(demo, port)
        monkeypatch.setattr(letters_mod, "_final_records", crash)
        with pytest.raises(RuntimeError):
            service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, send=True)
        sent = len(received)
        # 9 e-mails of 11 letters: K002's 14-dagenbrief and K011's ingebrekestelling are held
        # (they would state the unconfirmed 2026 rates); K002's reminder for its other invoice
        # goes instead of waiting behind the held letter
        assert sent == 9
        # the rows were saved before the first e-mail left: concepts that hold their invoices
        rows = [r for r in acties(demo) if day_of(r["Tijdstip"]) == DEMO_AS_OF]
        assert len(rows) == 11 and {r["Status"] for r in rows} == {"concept"}
        assert all("afdrukbestand" in r["Notitie"] or "e-mailconcept" in r["Notitie"] for r in rows)
        # the absolute folder is stored as it is (the files lie outside the workbook's folder)
        assert rows[0]["Bestand"].startswith(str(elsewhere.resolve()))
        # the journal says what went out, as it happened
        log = (elsewhere / "2026-10-15" / "verzendlog.txt").read_text("utf-8")
        assert log.count(": verzonden") == sent
        # a second run sends nothing again
        monkeypatch.undo()
        again = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, send=True)
        assert again.letters == [] and len(received) == sent
    assert len([r for r in acties(demo) if day_of(r["Tijdstip"]) == DEMO_AS_OF]) == 11


def test_ctrl_c_while_sending_logs_what_went_out_and_the_doubt(demo, monkeypatch):
    # Ctrl-C while the second e-mail is being sent: the first went out, the second may have;
    # Acties must say so (it said 'concept' for every letter, and the send log did not name
    # the second)
    from debiteuren.letters import outbox

    sent = []

    def send(self, eml):
        if sent:
            raise KeyboardInterrupt
        sent.append(eml.name)
        return ""

    monkeypatch.setattr(outbox.Mailer, "connect", lambda self: setattr(self, "server", object()))
    monkeypatch.setattr(outbox.Mailer, "send", send)
    monkeypatch.setattr(outbox.Mailer, "close", lambda self: None)
    smtp(demo, 25)
    with pytest.raises(KeyboardInterrupt):
        service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, send=True, confirm_rates=True)
    rows = [r for r in acties(demo) if r["Kanaal"] == "e-mail" and r["Status"]]
    states = [(r["Klantnr"], r["Status"], day_of(r["Verzonden op"])) for r in rows]
    assert states[0] == ("K001", "verzonden", DEMO_AS_OF) and sent == ["K001-herinnering.eml"]
    assert {s[1:] for s in states[1:]} == {("concept", None)}
    assert "versturen afgebroken (Ctrl-C)" in rows[1]["Notitie"]
    assert not any("afgebroken" in (r["Notitie"] or "") for r in rows[2:])
    log = (demo.parent / "brieven" / "2026-10-15" / "verzendlog.txt").read_text("utf-8")
    assert ": verzonden" in log and f"{rows[1]['Klantnr']} herinnering aan" in log
    assert "versturen afgebroken (Ctrl-C)" in log


def test_sending_into_an_absolute_folder_logs_what_went_out(tmp_path):
    demo = service.demo_workbook(tmp_path / "boek" / "demo.xlsx")
    elsewhere = tmp_path / "elders"
    settings(demo, {"Uitvoermap brieven": str(elsewhere)})
    with smtp_server() as (port, received):
        smtp(demo, port)
        result = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, send=True)
    assert len(received) == len([w for w in result.letters if w.sent]) == 9
    rows = [r for r in acties(demo) if day_of(r["Tijdstip"]) == DEMO_AS_OF]
    by_channel = {(r["Kanaal"], r["Status"]) for r in rows}
    assert by_channel == {("e-mail", "verzonden"), ("post", "concept")}
    assert all(Path(r["Bestand"]).is_absolute() and Path(r["Bestand"]).is_file() for r in rows)


# --- rates that are not confirmed -------------------------------------------------------------


def confirm(path: Path, series: str, day: date) -> None:
    """Set the Status of one Rentes row to officieel, as a user who checked the source."""
    book = open_book(path)
    ws = book["Rentes"]
    head = [c.value for c in ws[1]]
    found = 0
    for row in ws.iter_rows(min_row=2):
        value = row[head.index("Ingangsdatum")].value
        if row[head.index("Soort")].value == series and day_of(value) == day:
            row[head.index("Status")].value = "officieel"
            found += 1
    assert found == 1, (series, day)
    book.save(path)


def add_rate(path: Path, series: str, day: date, rate: float) -> None:
    """Add a published rate on the Rentes sheet, as a user who read it in the Staatscourant."""
    book = open_book(path)
    ws = book["Rentes"]
    ws.append([series, datetime(day.year, day.month, day.day), rate, "officieel", "Stcrt."])
    book.save(path)


def test_formal_letters_wait_for_a_confirmed_rate_and_reminders_warn(demo, monkeypatch):
    first = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, customer="K004")
    assert first.warnings == [
        "de herinnering aan K004 noemt een rentepercentage dat niet bevestigd is: 4,00 % "
        "NL wettelijke rente (art. 6:119 BW) vanaf 01-01-2026 en een rentepercentage dat nog "
        "niet bekend is: de NL wettelijke rente (art. 6:119 BW) na 30-06-2026, waarvoor "
        "debiteuren 4,00 % doortrekt; controleer het en zet de Status op het blad Rentes op "
        "officieel en vul het gepubliceerde percentage aan op het blad Rentes"
    ]
    service.mark_sent(demo, DEMO_AS_OF, now=NOW)
    # the 14-dagenbrief would state the 2026 statutory rate as fact: held, exit 1
    day = datetime(2026, 10, 30, 9, 0)
    held = run(monkeypatch, day, "brieven", demo, "--klant", "K004", "--geen-pdf")
    assert held.exit_code == 1, held.output
    assert "Niet gemaakt:" in held.output
    assert (
        "K004 Michael O'Brien: 14-dagenbrief: de brief noemt een rentepercentage dat niet "
        "bevestigd is: 4,00 % NL wettelijke rente (art. 6:119 BW) vanaf 01-01-2026"
    ) in held.output
    assert "--onbevestigde-rente" in held.output
    assert not [r for r in acties(demo) if r["Actie"] == "14-dagenbrief" and r["Klantnr"] == "K004"]
    # confirmed on the Rentes sheet (which names the series by its Dutch label), the letter
    # still states a rate for the second half of 2026 that is not known yet: held
    confirm(demo, "NL wettelijke rente", date(2026, 1, 1))
    carried = run(monkeypatch, day, "brieven", demo, "--klant", "K004", "--geen-pdf")
    assert carried.exit_code == 1, carried.output
    assert (
        "K004 Michael O'Brien: 14-dagenbrief: de brief noemt een rentepercentage dat nog niet "
        "bekend is: de NL wettelijke rente (art. 6:119 BW) na 30-06-2026, waarvoor debiteuren "
        "4,00 % doortrekt; vul het gepubliceerde percentage aan op het blad Rentes"
    ) in " ".join(carried.output.split())
    # the published rate added as a row of the user's own: the letter is made
    add_rate(demo, "NL wettelijke rente", date(2026, 7, 1), 0.04)
    made = run(monkeypatch, day, "brieven", demo, "--klant", "K004", "--geen-pdf")
    assert made.exit_code == 0, made.output
    assert "K004 Michael O'Brien: 14-dagenbrief (post)" in made.output


# --- progress and the payment plan's letter ---------------------------------------------------


def test_progress_is_reported_per_letter(demo):
    seen: list[tuple[str, int, int]] = []
    result = service.letters(
        demo, DEMO_AS_OF, now=NOW, pdf=False, progress=lambda *a: seen.append(a)
    )
    made = [s for s in seen if s[0] == "Brieven maken"]
    # every letter the run went through: 11 made, K002's and K011's held for an unconfirmed
    # rate (K002's reminder for its other invoice is made instead of waiting behind it)
    assert [h.debtor.number for h in result.held] == ["K002", "K011"]
    assert len(made) == len(result.letters) + len(result.held) == 13
    assert made[-1] == ("Brieven maken", 13, 13)
    assert [s[1] for s in made] == list(range(1, 14))


def test_regeling_makes_a_pdf_and_an_email_draft_and_counts_from_its_day(demo):
    result = payment_plan(
        demo, customer="K009", instalments=3, first=date(2026, 11, 1), as_of=DEMO_AS_OF, now=NOW
    )
    assert result.eml is not None and result.eml.name == "K009-regeling.eml"
    message = message_from_bytes(result.eml.read_bytes(), policy=policy.default)
    assert message["To"] == "boekhouding@garagevdb.be"
    if HAS_SOFFICE:
        assert result.pdf is not None and result.pdf.is_file()
        attached = [p.get_filename() for p in message.iter_attachments()]
        assert attached == ["K009-regeling.pdf"]
    row = acties(demo)[-1]
    assert (row["Actie"], row["Status"], row["Kanaal"]) == ("regeling", "concept", "e-mail")
    # the plan was agreed today: it holds the ladder although its letter is still a concept
    stages = assessment(demo, DEMO_AS_OF).stages["K009"]
    assert {stages[n].stage.value for n in ("2025-0150", "2026-0095")} == {"Regeling"}
    assert letters_due(stages, DEMO_AS_OF) == {}


def test_brieven_verstuur_shows_progress_for_making_and_sending(demo, monkeypatch):
    seen: list[tuple[str, int, int]] = []
    monkeypatch.setattr(cli._Progress, "__call__", lambda self, *a: seen.append(a))
    with smtp_server() as (port, received):
        smtp(demo, port)
        result = run(monkeypatch, NOW, "brieven", demo, "--verstuur", "--geen-pdf")
    assert result.exit_code in (0, 1), result.output
    last = {phase: (done, total) for phase, done, total in seen}
    assert last["Versturen"] == (len(received), len(received)) and len(received) > 1
    assert last["Brieven maken"][0] == last["Brieven maken"][1]


@pytest.mark.parametrize(
    ("now", "hint"),
    [
        # made today: the letters may still be posted another day
        (NOW, "[--op DATUM]"),
        # made today for an earlier peildatum: they go out today at the earliest, so the hint
        # no longer proposes their date (a letter cannot be sent before it was made)
        (datetime(2026, 10, 20, 9, 30), "[--op DATUM]"),
    ],
)
def test_the_verzonden_hint_carries_the_letters_date(demo, monkeypatch, now, hint):
    result = run(
        monkeypatch,
        now,
        "brieven",
        demo,
        "--peildatum",
        "2026-10-15",
        "--geen-pdf",
        "--geen-eml",
        "--onbevestigde-rente",
    )
    assert result.exit_code == 0, result.output
    assert f"leg dat dan vast met: debiteuren verzonden {demo} {hint}\n" in result.output
    if now.date() > date(2026, 10, 15):
        # made on 20-10: not sent on 15-10, the day they are dated
        early = run(monkeypatch, now, "verzonden", demo, "--op", "2026-10-15")
        assert early.exit_code == 2, early.output
        assert "Een brief kan niet verstuurd zijn vóór hij gemaakt is" in early.output
        marked = run(monkeypatch, now, "verzonden", demo)
        assert marked.exit_code == 0, marked.output
        assert "Brieven gemarkeerd als verzonden op 20-10-2026:" in marked.output
        again = run(monkeypatch, now, "bijwerken", demo, "--peildatum", "2026-10-20")
        assert again.exit_code == 0, again.output


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("brieven", ["--geen-pdf", "--geen-eml", "--onbevestigde-rente"]),
        ("regeling", ["--klant", "K009", "--termijnen", "3", "--eerste", "2026-11-01"]),
    ],
)
def test_the_verzonden_hint_of_a_future_peildatum_is_accepted(demo, monkeypatch, command, options):
    """``--peildatum 2026-10-15 --toekomst`` run on 10-10 advised ``verzonden --op 2026-10-15``,
    which ``verzonden`` refuses without --toekomst (a day after today), and without --op it
    refuses a letter dated after the day it would be marked sent."""
    before = datetime(2026, 10, 10, 9, 0)
    made = run(
        monkeypatch, before, command, demo, "--peildatum", "2026-10-15", "--toekomst", *options
    )
    assert made.exit_code == 0, made.output
    hint = " ".join(made.output.split()).split("vast met: ")[1].split()
    assert hint[:3] == ["debiteuren", "verzonden", str(demo)]
    assert hint[-3:] == ["--op", "2026-10-15", "--toekomst"]
    sent = run(monkeypatch, before, *hint[1:])
    assert sent.exit_code == 0, sent.output
    assert "gemarkeerd als verzonden op 15-10-2026:" in sent.output


def test_a_letter_for_a_later_peildatum_is_refused_before_its_date(demo, monkeypatch):
    """Letters made on 10-10 for the peildatum 15-10 (--toekomst) bear the 15th; marking them
    sent on the 12th (told on the 20th) is refused. The reason said they were 'gemaakt op
    15-10-2026', which they were not: only their date is known."""
    options = ("--geen-pdf", "--geen-eml", "--onbevestigde-rente")
    made = run(
        monkeypatch,
        datetime(2026, 10, 10, 9, 0),
        *("brieven", demo, "--peildatum", "2026-10-15", "--toekomst", *options),
    )
    assert made.exit_code == 0, made.output
    early = run(monkeypatch, datetime(2026, 10, 20, 9, 0), "verzonden", demo, "--op", "2026-10-12")
    text = " ".join(early.output.split())
    assert early.exit_code == 2, early.output
    assert "vóór hij gemaakt is, en niet vóór de datum die erop staat: " in text
    assert "is gedateerd 15-10-2026, na 12-10-2026" in text
    assert "gemaakt op 15-10-2026" not in text


def test_a_receipt_before_the_letter_went_out_is_refused(demo):
    # a typo in Ontvangen op moved the letter's term (and, for a consumer whose payment term was
    # not agreed, the start of the interest) to before the letter was even sent
    book = open_book(demo)
    ws = book["Acties"]
    head = [c.value for c in ws[1]]
    row = 2  # the demo's first Acties row: K002's reminder of 14-04-2026
    ws.cell(row=row, column=head.index("Ontvangen op") + 1, value=datetime(2026, 4, 10))
    book.save(demo)
    with pytest.raises(ValidationFailed) as failed:
        service.load(demo, DEMO_AS_OF, for_writing=False)
    messages = [str(i) for i in failed.value.issues]
    assert any(
        "Ontvangen op 10-04-2026 ligt vóór de dag waarop de brief verstuurd is (14-04-2026)" in m
        for m in messages
    ), messages


@pytest.mark.skipif(sys.platform.startswith("win"), reason="PowerShell quotes with double quotes")
def test_the_verzonden_hint_can_be_pasted_as_it_stands(demo, monkeypatch, tmp_path):
    """A newcomer who followed the README runs '.venv/bin/debiteuren brieven "mijn
    administratie/demo.xlsx"' and was told to run 'debiteuren verzonden mijn
    administratie/demo.xlsx': the shell knows no 'debiteuren' (it is in .venv) and the path
    without quotes is two arguments. The hint names the program and the path as typed."""
    folder = tmp_path / "mijn administratie"
    folder.mkdir()
    book = Path(shutil.move(demo, folder / "demo.xlsx"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(tmp_path / ".venv" / "bin" / "debiteuren")])
    args = ["--peildatum", "2026-10-15", "--geen-pdf", "--geen-eml", "--onbevestigde-rente"]
    later = datetime(2026, 10, 20, 9, 30)  # made today for an earlier day: sent from today
    result = run(monkeypatch, later, "brieven", book.relative_to(tmp_path), *args)
    assert result.exit_code == 0, result.output
    hint = result.output.split("leg dat dan vast met: ")[1].splitlines()[0]
    assert hint == ".venv/bin/debiteuren verzonden 'mijn administratie/demo.xlsx' [--op DATUM]"
    argv = shlex.split(hint.removesuffix(" [--op DATUM]"))
    marked = run(monkeypatch, later, *argv[1:])
    assert marked.exit_code == 0 and "Brieven gemarkeerd als verzonden op 20-10-2026" in (
        marked.output
    )
