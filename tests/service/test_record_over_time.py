"""The record tells the truth over time: a term from the day a letter was received, a letter
not sent before it was made, a call list that keeps what the caller wrote, and e-mails after a
dropped connection.

Each test walks the demo with the peildatum moving forward, as a bookkeeper's weeks do.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from debiteuren import service
from debiteuren.core.letters import logged_deadline
from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Debtor,
    DebtorKind,
    LetterState,
    Settings,
    Step,
)
from debiteuren.core.rules import rules_for
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import DebiteurenError, ValidationFailed
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import set_settings
from smtp_server import serving  # the shared local SMTP server

NOW = datetime(2026, 12, 7, 10, 0)
#: The demo's day: letters made that morning for that day.
MORNING = datetime(2026, 10, 15, 9, 30)


def acties(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path, data_only=True)["Acties"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r[0] is not None]


def day(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def set_acties(path: Path, match: dict[str, object], values: dict[str, object]) -> int:
    """Set ``values`` on the one Acties row whose cells are ``match``, as a user in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Acties"]
    head = [c.value for c in ws[1]]
    found = [
        r
        for r in range(2, ws.max_row + 1)
        if all(ws.cell(r, head.index(k) + 1).value == v for k, v in match.items())
    ]
    assert len(found) == 1, found
    for key, value in values.items():
        ws.cell(found[0], head.index(key) + 1).value = value
    wb.save(path)
    return found[0]


def facturen(path: Path, number: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path, data_only=True)["Facturen"]
    rows = list(ws.iter_rows(values_only=True))
    return next(dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r[0] == number)


# --- 1. Ontvangen op -> Termijn tot -------------------------------------------------------------


def test_receipt_moves_termijn_tot_on_acties_the_ladder_and_the_dossier(demo):
    # K002's 14-dagenbrief goes by post on Thursday 15-10 (presumed received Friday 16-10,
    # term to 30-10); the registered letter was really received on 22-10: the term runs to
    # 05-11 (art. 6:96 lid 6 BW: 14 days from the day after receipt)
    service.letters(demo, DEMO_AS_OF, now=MORNING, pdf=False, confirm_rates=True, customer="K002")
    service.mark_sent(demo, DEMO_AS_OF, now=MORNING, customers=["K002"])
    match = {"Klantnr": "K002", "Actie": "14-dagenbrief", "Status": "verzonden"}
    (row,) = [r for r in acties(demo) if all(r[k] == v for k, v in match.items())]
    assert day(row["Termijn tot"]) == date(2026, 10, 30)
    excel_row = set_acties(demo, match, {"Ontvangen op": datetime(2026, 10, 22)})

    result = service.update(demo, date(2026, 10, 31), now=NOW)
    (row,) = [r for r in acties(demo) if all(r[k] == v for k, v in match.items())]
    # Termijn tot now says what the law says; the row's other cells are as they were
    assert day(row["Termijn tot"]) == date(2026, 11, 5)
    assert day(row["Ontvangen op"]) == date(2026, 10, 22)
    assert (row["Status"], day(row["Verzonden op"])) == ("verzonden", DEMO_AS_OF)
    assert (
        f"Acties, rij {excel_row}, Termijn tot: 05-11-2026 (was 30-10-2026); de termijn van de "
        "14-dagenbrief aan K002 telt vanaf de ontvangst op 22-10-2026"
    ) in result.tidied
    # the ladder's next step is the day after that term
    assert day(facturen(demo, "2026-0077")["Per"]) == date(2026, 11, 6)
    # a second run changes nothing
    assert not service.update(demo, date(2026, 10, 31), now=NOW).saved

    # the hand-over's action log says the same term
    service.handover(
        demo, date(2026, 11, 7), customer="K002", to="NOORDERLICHT", now=NOW, confirm_stale=True
    )
    notes = next(demo.parent.glob("brieven/overdracht-K002-*/notities.txt")).read_text("utf-8")
    line = next(x for x in notes.splitlines() if "15-10-2026  14-dagenbrief" in x)
    assert "ontvangen op 22-10-2026; termijn tot en met 05-11-2026" in line


def test_a_receipt_filled_before_marking_sent_gives_the_term_from_receipt(demo):
    service.letters(demo, DEMO_AS_OF, now=MORNING, pdf=False, confirm_rates=True, customer="K002")
    match = {"Klantnr": "K002", "Actie": "14-dagenbrief", "Status": "concept"}
    set_acties(demo, match, {"Ontvangen op": datetime(2026, 10, 20)})
    marked = service.mark_sent(demo, DEMO_AS_OF, now=NOW, customers=["K002"])
    assert [m.deadline for m in marked.marked] == [date(2026, 11, 3)]
    (row,) = [r for r in acties(demo) if r["Klantnr"] == "K002" and r["Status"] == "verzonden"]
    assert day(row["Termijn tot"]) == date(2026, 11, 3)


def test_logged_deadline_follows_the_rule_of_each_law():
    settings = Settings()
    nl = Debtor(number="K1", name="A", country=Country.NL, kind=DebtorKind.CONSUMER)
    be = Debtor(number="K2", name="B", country=Country.BE, kind=DebtorKind.CONSUMER)
    sent = date(2026, 10, 15)  # a Thursday
    letter = Action(
        on=sent,
        debtor="K1",
        step=Step.FOURTEEN_DAY_LETTER,
        channel=Channel.REGISTERED,
        state=LetterState.SENT,
        received_on=date(2026, 10, 22),
    )
    assert logged_deadline(letter, settings, rules_for(nl)) == date(2026, 11, 5)
    # a BE first reminder's term starts on the third working day after sending, by law,
    # whatever day it arrived (be.md §3.2): Ontvangen op does not move it
    first = Action(
        on=sent,
        debtor="K2",
        step=Step.BE_FIRST_REMINDER,
        channel=Channel.POST,
        state=LetterState.SENT,
        received_on=date(2026, 10, 28),
    )
    without = Action(on=sent, debtor="K2", step=Step.BE_FIRST_REMINDER, state=LetterState.SENT)
    be_rules = rules_for(be)
    assert logged_deadline(first, settings, be_rules) == logged_deadline(
        without, settings, be_rules
    )
    # a reminder states its own last day; a concept has not gone out; a row the user typed
    # (no Status, no receipt) keeps what it says
    reminder = Action(on=sent, debtor="K1", step=Step.REMINDER, state=LetterState.SENT)
    draft = Action(on=sent, debtor="K1", step=Step.FOURTEEN_DAY_LETTER, state=LetterState.DRAFT)
    typed = Action(on=sent, debtor="K1", step=Step.FOURTEEN_DAY_LETTER)
    for action in (reminder, draft, typed):
        assert logged_deadline(action, settings, rules_for(nl)) is None


# --- 3. the call list of a second run on one day ------------------------------------------------


def call_list_rows(path: Path) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(path)["Belijst"]
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] and r[1]]


def test_a_second_run_keeps_the_call_list_the_caller_filled_in(demo, monkeypatch):
    first = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, confirm_rates=True)
    assert first.call_list is not None and first.call_list.name == "belijst.xlsx"
    wb = openpyxl.load_workbook(first.call_list)
    ws = wb["Belijst"]
    head = [c.value for c in ws[1]]
    ws.cell(2, head.index("Uitkomst") + 1).value = "belofte"
    ws.cell(2, head.index("Notitie") + 1).value = "Betaalt vrijdag"
    wb.save(first.call_list)
    filled = first.call_list.read_bytes()

    # the same calls later that day: the list the caller is working in stays as it is
    later = datetime(2026, 12, 7, 11, 30)
    again = service.letters(demo, DEMO_AS_OF, now=later, pdf=False, confirm_rates=True)
    assert first.call_list.read_bytes() == filled
    assert again.call_list == first.call_list and again.call_list_kept
    from debiteuren.service.reports import Front, report

    assert any(
        "Belijst: belijst.xlsx (al gemaakt met dezelfde gesprekken; niet overschreven" in line
        for line in (x.text for x in report(again, Front.CLI).lines)
    )

    # other calls (a customer paid part since): a new list beside it, the first one kept
    from debiteuren.outputs import call_list as module

    moved = [replace(c, outstanding=c.outstanding - 1) for c in again.calls]
    target, kept = module.place_call_list(first.call_list.parent, moved, later)
    assert (target.name, kept) == ("belijst-113000.xlsx", False)
    assert first.call_list.read_bytes() == filled
    assert [r[5] for r in call_list_rows(target)] == [float(c.outstanding) for c in moved]


# --- 2. a letter made today for an earlier peildatum ---------------------------------------------


def test_a_letter_made_for_an_earlier_day_cannot_be_marked_sent_before_it_was_made(
    demo, monkeypatch
):
    # made on 07-12 (the clock), dated 02-11 (--peildatum): it can have gone out on 07-12 at
    # the earliest; 'verzonden --op 05-11' would log a letter sent before it existed
    from click.testing import CliRunner

    from debiteuren import cli

    service.mark_sent(demo, DEMO_AS_OF, now=NOW)
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    made = CliRunner().invoke(
        cli.main,
        ["brieven", str(demo), "--peildatum", "2026-11-02", "--toch", "--geen-pdf"],
        catch_exceptions=False,
    )
    assert made.exit_code in (0, 1), made.output
    drafts = [r for r in acties(demo) if r["Status"] == "concept"]
    assert drafts and all(day(r["Tijdstip"]) == date(2026, 11, 2) for r in drafts)
    assert all("gemaakt op 07-12-2026, gedateerd op de peildatum" in r["Notitie"] for r in drafts)
    # the command it proposes marks them sent today, not on their date
    assert "--op 2026-11-02" not in made.output
    before = demo.read_bytes()
    with pytest.raises(DebiteurenError) as refused:
        service.mark_sent(demo, date(2026, 11, 5), now=NOW)
    assert "Een brief kan niet verstuurd zijn vóór hij gemaakt is" in str(refused.value)
    assert "is gemaakt op 07-12-2026 (gedateerd 02-11-2026), na 05-11-2026" in str(refused.value)
    assert demo.read_bytes() == before
    # before the day it is dated: refused as before
    with pytest.raises(DebiteurenError, match=r"07-12-2026 \(gedateerd 02-11-2026\), na 01-11"):
        service.mark_sent(demo, date(2026, 11, 1), now=NOW)
    # on the day it was made: marked, its term from that day
    marked = service.mark_sent(demo, date(2026, 12, 7), now=NOW)
    assert {m.sent_on for m in marked.marked} == {date(2026, 12, 7)}


# --- 4. the mail server drops the connection during 'brieven --verstuur' ------------------------


@contextmanager
def dropping_server(*, per_connection: int = 0, gone_after: int = 0, cut_data: int = 0):
    """A local SMTP server that, as real ones do, says 421 and closes after ``per_connection``
    messages of one connection, says 421 to every message after ``gone_after`` messages in
    all, or cuts the connection (no reply) while it receives message number ``cut_data``."""
    received: list[str] = []
    per_session: dict[int, int] = {}

    class Handler:
        async def handle_MAIL(self, server, session, envelope, address, mail_options):
            count = per_session.get(id(session), 0)
            if (per_connection and count >= per_connection) or (
                gone_after and len(received) >= gone_after
            ):
                return "421 4.7.0 Too many messages, closing connection"
            per_session[id(session)] = count + 1
            envelope.mail_from = address
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.rcpt_tos[0])
            if cut_data and len(received) == cut_data:
                server.transport.close()  # taken, but the reply never comes
            return "250 Message accepted"

    with serving(Handler()) as port:
        yield port, received


def use_server(path: Path, port: int) -> None:
    book = open_book(path)
    set_settings(book, {"SMTP-server": "127.0.0.1", "SMTP-poort": port, "SMTP-beveiliging": "geen"})
    book.save(path)


def emails(path: Path) -> list[dict[str, object]]:
    return [r for r in acties(path) if r["Kanaal"] == "e-mail" and day(r["Tijdstip"]) == DEMO_AS_OF]


def test_a_server_that_closes_after_some_messages_gets_a_new_connection(demo):
    # many servers take a few messages per connection, then say 421 and close: a mail
    # program connects again and goes on; every e-mail goes out once
    with dropping_server(per_connection=3) as (port, received):
        use_server(demo, port)
        result = service.letters(demo, DEMO_AS_OF, now=MORNING, pdf=False, send=True)
    sent = [w for w in result.letters if w.sent]
    assert len(sent) == len(received) == 9 and len(set(received)) == 9
    assert not result.failed and not result.unsent
    assert {r["Status"] for r in emails(demo)} == {"verzonden"}


def test_a_connection_cut_while_a_message_is_given_is_not_sent_again(demo):
    # the server took the third e-mail and the connection broke before it said so: it may
    # have gone out, so it is not sent again (and no letter for the post is made for it); the
    # others go out on a new connection
    with dropping_server(cut_data=3) as (port, received):
        use_server(demo, port)
        result = service.letters(demo, DEMO_AS_OF, now=MORNING, pdf=False, send=True)
    doubt = received[2]
    assert received.count(doubt) == 1 and len(received) == 9
    (unsent,) = result.unsent
    assert unsent.debtor.email == doubt and not result.failed
    rows = emails(demo)
    (row,) = [r for r in rows if r["Status"] == "concept"]
    assert "kan hem al hebben aangenomen" in row["Notitie"]
    assert sum(r["Status"] == "verzonden" for r in rows) == 8
    assert not [r for r in acties(demo) if "-post" in str(r["Bestand"])]
    log = (result.folder / "verzendlog.txt").read_text("utf-8")
    assert "ONZEKER: de verbinding met de mailserver werd verbroken" in log


def test_when_the_server_stays_away_the_rest_wait_as_concepts_and_the_user_is_told(
    demo, monkeypatch
):
    from click.testing import CliRunner

    from debiteuren import cli

    with dropping_server(gone_after=2) as (port, received):
        use_server(demo, port)
        monkeypatch.setattr(cli, "_now", lambda: MORNING)
        args = ["brieven", str(demo), "--verstuur", "--geen-pdf", "--onbevestigde-rente"]
        first = CliRunner().invoke(cli.main, args)
        assert first.exit_code == 1, first.output
        assert len(received) == 2
        rows = emails(demo)
        waiting = [r for r in rows if r["Status"] == "concept"]
        n = len(waiting)
        assert n == len(rows) - 2 > 3 and sum(r["Status"] == "verzonden" for r in rows) == 2
        # not refused by the recipient: no 'mislukt', no letter for the post
        assert not [r for r in acties(demo) if r["Status"] == "mislukt"]
        assert all("kwam niet terug" in r["Notitie"] for r in waiting)
        output = " ".join(first.output.split())
        assert (
            f"{n} e-mails niet verstuurd, omdat de verbinding met de mailserver werd verbroken; "
            "ze staan als concept op het blad Acties en tellen niet mee:"
        ) in output
        numbers = [r["Klantnr"] for r in waiting]
        hint = f"debiteuren verzonden {demo} " + " ".join(f"--klant {n}" for n in numbers)
        assert hint in output
        # a second run sends nothing again, not the two that went out, not those waiting
        second = CliRunner().invoke(cli.main, args)
        assert len(received) == 2, second.output
    # the user sent the drafts from the mail program: the hint marks exactly those
    marked = service.mark_sent(demo, DEMO_AS_OF, now=MORNING, customers=numbers)
    assert len(marked.marked) == n
    assert {r["Status"] for r in emails(demo)} == {"verzonden"}


def test_verzonden_op_typed_before_a_late_made_letter_existed_is_refused(demo):
    # the same rule when the date is typed on Acties: a letter made on 07-12 for 02-11
    service.mark_sent(demo, DEMO_AS_OF, now=MORNING)
    service.letters(demo, date(2026, 11, 2), now=NOW, pdf=False, confirm_stale=True)
    match = {"Klantnr": "K002", "Status": "concept"}
    row = set_acties(demo, match, {"Verzonden op": datetime(2026, 11, 5)})
    before = demo.read_bytes()
    with pytest.raises(ValidationFailed) as refused:
        service.update(demo, date(2026, 12, 7), now=NOW)
    assert (
        f"Acties, rij {row}, Verzonden op: Verzonden op 05-11-2026 ligt vóór 07-12-2026, de dag "
        "waarop de brief gemaakt is (Notitie: gemaakt op 07-12-2026, gedateerd op de peildatum); "
        "controleer de datum."
    ) in str(refused.value)
    assert demo.read_bytes() == before


def test_a_time_out_after_the_message_was_given_is_a_doubt_not_a_refusal(tmp_path, monkeypatch):
    # no reply after the server was given the message: it may have gone out; before, the
    # time-out made it 'mislukt' with a letter for the post (a second letter to the customer)
    from debiteuren.core.model import Creditor
    from debiteuren.letters import outbox

    class Slow:
        def data(self, msg):
            raise TimeoutError("timed out")

        def sendmail(self, sender, to, message, options=()):  # as smtplib's: MAIL, RCPT, DATA
            return self.data(message)

        def close(self):
            pass

    connects = []
    monkeypatch.setattr(outbox.Mailer, "connect", lambda self: connects.append(1))
    mailer = outbox.Mailer(Creditor(name="X"), Settings(), None)
    mailer.server = Slow()  # type: ignore[assignment]
    eml = tmp_path / "K1-herinnering.eml"
    eml.write_bytes(b"To: a@example.com\r\nSubject: Herinnering\r\n\r\nGoedendag\r\n")
    assert mailer.send(eml) == outbox.DROPPED
    assert connects == [] and mailer.server is None  # not sent again
