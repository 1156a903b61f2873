"""A letter's lifecycle: only what really went out counts, and nothing that went out is lost.

The acceptance tests of issue 10: a refused recipient, a draft marked sent days later, two runs
on one day, no logging into the future, sending and logging that cannot send twice, rates that
are not confirmed, and the payment plan's letter.
"""

from __future__ import annotations

import hashlib
import shlex
import shutil
import socket
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
    from aiosmtpd.controller import Controller

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

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


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
        # made for an earlier peildatum: marked without --op they would count as sent today
        (datetime(2026, 10, 20, 9, 30), "--op 2026-10-15"),
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
    if hint.startswith("--op"):
        # as printed, the letters count from their own day, and the peildatum still works
        marked = run(monkeypatch, now, "verzonden", demo, "--op", "2026-10-15")
        assert marked.exit_code == 0, marked.output
        assert "Brieven gemarkeerd als verzonden op 15-10-2026:" in marked.output
        again = run(monkeypatch, now, "bijwerken", demo, "--peildatum", "2026-10-15")
        assert again.exit_code == 0, again.output


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
    later = datetime(2026, 10, 20, 9, 30)  # the letters' day is not today: the hint has --op
    result = run(monkeypatch, later, "brieven", book.relative_to(tmp_path), *args)
    assert result.exit_code == 0, result.output
    hint = result.output.split("leg dat dan vast met: ")[1].splitlines()[0]
    assert hint == ".venv/bin/debiteuren verzonden 'mijn administratie/demo.xlsx' --op 2026-10-15"
    argv = shlex.split(hint)
    marked = run(monkeypatch, later, *argv[1:])
    assert marked.exit_code == 0 and "Brieven gemarkeerd als verzonden op 15-10-2026" in (
        marked.output
    )
