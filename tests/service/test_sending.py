"""``brieven --verstuur`` against a mail server that fails, and with hostile values.

A local SMTP server (aiosmtpd, in-process) refuses, cuts, waits and accepts; the workbook holds
addresses and names a hostile e-invoice or a careless paste could bring. What Acties says
afterwards is what happened: only the e-mails the server took are ``verzonden`` (with that
day), and what the server is given is the draft (.eml) beside the letter, to the addresses in
its To header and no others.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import smtplib
from contextlib import contextmanager
from datetime import date, datetime
from email import message_from_string, policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import cli, service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.letters import outbox
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import set_settings
from smtp_server import serving  # the shared local SMTP server

NOW = datetime(2026, 10, 15, 9, 30)
DAY = "2026-10-15"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def acties(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path, data_only=True)["Acties"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r[0] is not None]


def today(path: Path) -> list[dict[str, object]]:
    """The Acties rows this run made (those of the demo's day)."""
    return [r for r in acties(path) if isinstance(r["Tijdstip"], datetime) and r["Tijdstip"] >= NOW]


def day_of(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def customer_cell(path: Path, number: str, column: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Klanten"]
    col = [c.value for c in sheet[1]].index(column) + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == number)
    sheet.cell(row, col).value = value
    book.save(path)


def settings(path: Path, values: dict[str, object]) -> None:
    book = open_book(path)
    set_settings(book, values)
    book.save(path)


def use(path: Path, port: int, security: str = "geen") -> None:
    settings(path, {"SMTP-server": "127.0.0.1", "SMTP-poort": port, "SMTP-beveiliging": security})


def run(monkeypatch, *args: object):
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    return CliRunner().invoke(main, ["brieven", *map(str, args)])


def folder(path: Path) -> Path:
    return path.parent / "brieven" / DAY


class Recorder:
    """An aiosmtpd handler that keeps what it is given; ``refuse_data`` answers DATA with it,
    ``slow_rcpt`` waits that many seconds before answering the first RCPT, ``ascii_only``
    does not offer SMTPUTF8 (aiosmtpd always does)."""

    def __init__(self, refuse_data: str = "", slow_rcpt: float = 0, ascii_only=False) -> None:
        self.refuse_data, self.slow_rcpt, self.ascii_only = refuse_data, slow_rcpt, ascii_only
        self.received: list[tuple[list[str], bytes, list[str]]] = []
        self.hellos = 0
        self.rcpts = 0
        self.senders: list[str] = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.hellos += 1
        session.host_name = hostname
        if self.ascii_only:
            return [r for r in responses if "SMTPUTF8" not in r.upper()]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts += 1
        if self.slow_rcpt and self.rcpts == 1:
            await asyncio.sleep(self.slow_rcpt)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        self.received.append(
            (list(envelope.rcpt_tos), envelope.original_content, list(envelope.mail_options))
        )
        self.senders.append(envelope.mail_from)
        return "250 Message accepted"


@contextmanager
def recording(handler: Recorder | None = None, **smtp: object):
    handler = handler or Recorder()
    with serving(handler, **smtp) as port:
        yield port, handler


@pytest.fixture
def wire(monkeypatch) -> list[tuple[str, str]]:
    """Every RCPT as the client writes it on the wire (aiosmtpd decodes encoded words in an
    address it reads, so the server's view is not the wire's)."""
    said: list[tuple[str, str]] = []
    rcpt = smtplib.SMTP.rcpt

    def recorded(self, recip, options=()):
        said.append(("RCPT", recip))
        return rcpt(self, recip, options)

    monkeypatch.setattr(smtplib.SMTP, "rcpt", recorded)
    return said


def headers(data: bytes):
    """The headers of a message as its reader sees them (UTF-8 allowed, RFC 6532)."""
    head = data[: data.index(b"\r\n\r\n") + 4].decode("utf-8")
    return message_from_string(head, policy=policy.default)


def addresses(message, name: str) -> list[str]:
    return [a.addr_spec for a in message[name].addresses]


# --- addresses with letters outside ASCII -----------------------------------------------------


def test_an_address_with_letters_outside_ascii_reaches_that_mailbox(demo, monkeypatch, wire):
    """An IDN domain was written as an encoded word inside the address: the server was asked
    to deliver to 'jan@=?utf-8?q?b=C3=BCcher?=.de', a domain that does not exist, and Acties
    said 'verzonden'. Now the domain goes as the DNS knows it (xn--…) and an address with a
    letter outside ASCII before the @ as UTF-8, with SMTPUTF8."""
    customer_cell(demo, "K007", "E-mail", 'jürgen@bücher.de, "Dupont, Jean" <jean@bücher.de>')
    customer_cell(demo, "K003", "E-mail", "info@Bücher.de")
    with recording(enable_SMTPUTF8=True) as (port, server):
        use(demo, port)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K007")
        assert result.exit_code == 0, result.output
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K003")
        assert result.exit_code == 0, result.output
    assert [r for _, r in wire] == [
        "jürgen@xn--bcher-kva.de",
        "jean@xn--bcher-kva.de",
        "info@xn--bcher-kva.de",
    ]
    (k007, k007_data, k007_options), (k003, k003_data, k003_options) = server.received
    assert k007 == ["jürgen@xn--bcher-kva.de", "jean@xn--bcher-kva.de"]
    assert "SMTPUTF8" in k007_options and "SMTPUTF8" not in k003_options
    assert addresses(headers(k007_data), "To") == k007
    assert headers(k007_data)["To"].addresses[1].display_name == "Dupont, Jean"
    assert addresses(headers(k003_data), "To") == k003 == ["info@xn--bcher-kva.de"]
    assert k003_data.isascii()  # no UTF-8 needed: any server takes it
    rows = today(demo)
    assert [(r["Klantnr"], r["Status"], day_of(r["Verzonden op"])) for r in rows] == [
        ("K007", "verzonden", DEMO_AS_OF),
        ("K003", "verzonden", DEMO_AS_OF),
    ]


def test_a_server_without_smtputf8_sends_such_an_address_nothing_and_it_goes_by_post(
    demo, monkeypatch
):
    """The e-mail cannot go to 'jürgen@…' over a server that does not know SMTPUTF8: it is
    'mislukt' with a Dutch reason naming the customer, and a letter for the post is made;
    before, the server was given '=?utf-8?q?j=C3=BCrgen?=@example.de' and Acties said
    'verzonden'. An IDN domain alone needs no SMTPUTF8 and goes out."""
    customer_cell(demo, "K007", "E-mail", "jürgen@example.de")
    customer_cell(demo, "K003", "E-mail", "info@bücher.de")
    with recording(Recorder(ascii_only=True)) as (port, server):
        use(demo, port)
        args = ("--verstuur", "--geen-pdf", "--onbevestigde-rente", "--stap", "herinnering")
        result = run(monkeypatch, demo, *args)
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    assert (
        "K007 Ça va Café BV (herinnering): de mailserver kan geen e-mail versturen naar een "
        "adres met letters als ü of é vóór de @ (hij kent SMTPUTF8 niet)"
    ) in output
    assert all("jürgen" not in to[0] and "example.de" not in to[0] for to, _, _ in server.received)
    assert ["info@xn--bcher-kva.de"] in [to for to, _, _ in server.received]
    k007 = [
        (r["Kanaal"], r["Status"], r["Verzonden op"]) for r in today(demo) if r["Klantnr"] == "K007"
    ]
    assert k007 == [("e-mail", "mislukt", None), ("post", "concept", None)]
    (k003,) = [r for r in today(demo) if r["Klantnr"] == "K003"]
    assert (k003["Status"], day_of(k003["Verzonden op"])) == ("verzonden", DEMO_AS_OF)


def test_the_server_is_given_the_draft_as_it_is_to_the_addresses_in_its_to(demo, monkeypatch):
    """What goes out is the .eml beside the letter, byte for byte but for X-Unsent (which makes
    a mail program open it as a draft); before, the draft was read and written again, folded
    otherwise. The envelope holds the addresses of its To header and no others."""
    customer_cell(demo, "K007", "E-mail", "compta@cavacafe.be; Kopie <kopie@cavacafe.be>")
    with recording() as (port, server):
        use(demo, port)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--onbevestigde-rente")
    assert result.exit_code == 0, result.output
    drafts = sorted(folder(demo).glob("*.eml"))
    assert len(drafts) == len(server.received) == 8
    by_id = {headers(data)["Message-ID"]: (to, data) for to, data, _ in server.received}
    for draft in drafts:
        data = draft.read_bytes()
        assert data.count(b"X-Unsent: 1\r\n") == 1
        to, sent = by_id[headers(data)["Message-ID"]]
        assert sent == data.replace(b"X-Unsent: 1\r\n", b""), draft.name
        assert to == addresses(headers(data), "To")
        assert set(headers(sent).keys()) == {
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "MIME-Version",
            "Content-Type",
        }
    assert ["compta@cavacafe.be", "kopie@cavacafe.be"] in [to for to, _, _ in server.received]


# --- the server cannot be used: nothing made, nothing logged ----------------------------------


class Refuser:
    """An authenticator that refuses every login (535)."""

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=False, handled=False)


@pytest.mark.parametrize(
    ("security", "smtp", "said"),
    [
        ("STARTTLS", {}, "STARTTLS extension not supported by server"),
        (
            "geen",
            {"authenticator": Refuser(), "auth_require_tls": False},
            "535 5.7.8 Authentication credentials invalid",
        ),
    ],
    ids=["no-starttls", "login-refused"],
)
def test_a_server_that_cannot_be_used_leaves_no_letter_behind(
    demo, monkeypatch, security, smtp, said
):
    """The connection failed after the letters were written: 'er is niets vastgelegd of
    verstuurd', but K007-herinnering.docx and .eml stayed in the folder, logged nowhere, and
    the next run made K007-herinnering-2 beside them: two drafts for one customer in the
    folder the user mails from."""
    settings(demo, {"SMTP-gebruiker": "debiteuren", "SMTP: aanmelden zonder versleuteling": "Ja"})
    monkeypatch.setenv("DEBITEUREN_SMTP_WACHTWOORD", "fout")
    with recording(**smtp) as (port, server):
        use(demo, port, security)
        before = sha(demo)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K007")
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert f"Kan geen verbinding maken met de mailserver 127.0.0.1:{port}; er is niets " in output
    assert said in output and server.received == []
    assert sha(demo) == before
    assert not folder(demo).exists() or os.listdir(folder(demo)) == []
    made = run(monkeypatch, demo, "--geen-pdf", "--klant", "K007")
    assert made.exit_code == 0, made.output
    assert sorted(os.listdir(folder(demo))) == ["K007-herinnering.docx", "K007-herinnering.eml"]


def test_opnieuw_with_verstuur_is_refused_instead_of_sending_nothing(demo, monkeypatch):
    """'brieven --opnieuw --verstuur' made the day's drafts again, sent none of them and ended
    with exit code 0, as if it had."""
    with recording() as (port, server):
        use(demo, port)
        made = run(monkeypatch, demo, "--geen-pdf", "--klant", "K007")
        assert made.exit_code == 0, made.output
        before = sha(demo)
        again = run(monkeypatch, demo, "--opnieuw", "--verstuur", "--geen-pdf", "--klant", "K007")
    assert again.exit_code == 2, again.output
    assert "--opnieuw maakt de brieven van vandaag opnieuw en verstuurt niets; laat --verstuur" in (
        " ".join(again.output.split())
    )
    assert sha(demo) == before and server.hellos == 0 and server.received == []


# --- what the server does while sending -------------------------------------------------------


def test_a_message_refused_after_data_is_failed_and_goes_by_post(demo, monkeypatch):
    with recording(Recorder(refuse_data="554 5.7.1 Message rejected as spam")) as (port, server):
        use(demo, port)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K007")
        assert result.exit_code == 1, result.output
        assert (
            "K007 Ça va Café BV (herinnering): de mailserver weigerde het bericht (de server "
            "meldde: 554 5.7.1 Message rejected as spam)"
        ) in " ".join(result.output.split())
        rows = [(r["Kanaal"], r["Status"], r["Verzonden op"]) for r in today(demo)]
        assert rows == [("e-mail", "mislukt", None), ("post", "concept", None)]
        log = (folder(demo) / "verzendlog.txt").read_text("utf-8")
        assert "K007 herinnering aan compta@cavacafe.be: NIET verzonden: de mailserver" in log
        # the same command again sends nothing: the letter for the post holds the invoices
        again = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K007")
        assert again.exit_code == 0, again.output
        assert server.rcpts == 1 and len(today(demo)) == 2


def test_a_server_that_does_not_answer_in_time_gets_each_message_once(demo, monkeypatch):
    """No reply to the first RCPT within the time-out: the connection counts as dropped before
    the message was given, so the mailer connects again and sends it once; every e-mail of the
    run is sent once and 'verzonden'."""
    monkeypatch.setattr(outbox, "TIMEOUT", 0.5)
    with recording(Recorder(slow_rcpt=1.5)) as (port, server):
        use(demo, port)
        args = ("--verstuur", "--geen-pdf", "--onbevestigde-rente")
        result = run(monkeypatch, demo, *args)
        assert result.exit_code == 0, result.output
        sent = [to[0] for to, _, _ in server.received]
        assert len(sent) == len(set(sent)) == 8 and server.hellos == 2
        emails = [r for r in today(demo) if r["Kanaal"] == "e-mail"]
        assert {(r["Status"], day_of(r["Verzonden op"])) for r in emails} == {
            ("verzonden", DEMO_AS_OF)
        }
        again = run(monkeypatch, demo, *args)
        assert again.exit_code == 0 and len(server.received) == 8


# --- hostile values -------------------------------------------------------------------------


def test_hostile_names_add_no_header_and_no_recipient(demo, monkeypatch):
    """A company name and a customer name with line breaks and encoded-word look-alikes, and a
    customer address with a semicolon: the message has its seven headers, the envelope the
    addresses of the cell, and the names stay text."""
    evil = "=?utf-8?q?=0D=0ABcc:_x=40evil=2Eorg?="
    settings(demo, {"Naam": f"Letterzetter\r\nBcc: x@evil.org {evil}"})
    customer_cell(demo, "K007", "Naam", f"Café\r\nBcc: y@evil.org {evil}")
    customer_cell(demo, "K007", "E-mail", f'"{evil}" <compta@cavacafe.be>;kopie@cavacafe.be')
    with recording() as (port, server):
        use(demo, port)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K007")
    assert result.exit_code == 0, result.output
    ((to, data, _),) = server.received
    assert to == ["compta@cavacafe.be", "kopie@cavacafe.be"]
    message = headers(data)
    assert set(message.keys()) == {
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
    }
    assert message["From"].addresses[0].display_name.startswith("Letterzetter Bcc: x@evil.org")
    assert "evil.org" not in " ".join(addresses(message, "To") + addresses(message, "From"))
    assert message["Subject"].startswith("Rappel de paiement – Letterzetter Bcc: x@evil.org = ?")


def test_an_afzender_on_two_lines_is_refused_before_anything_is_made(demo, monkeypatch):
    settings(demo, {"Afzender e-mail": "debiteuren@letterzetter.nl\nBcc: x@evil.org"})
    before = sha(demo)
    with recording() as (port, server):
        use(demo, port)
        before = sha(demo)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf")
    assert result.exit_code == 2, result.output
    assert "staat op meer dan één regel" in result.output
    assert sha(demo) == before and server.hellos == 0 and not folder(demo).exists()


# --- no e-mail: a preview, a registered letter ------------------------------------------------


def test_a_preview_with_verstuur_connects_to_nothing(demo, monkeypatch):
    with recording() as (port, server):
        use(demo, port)
        before = sha(demo)
        result = run(monkeypatch, demo, "--verstuur", "--proef", "--geen-pdf")
    assert result.exit_code in (0, 1), result.output
    assert "Proef: er is niets geschreven." in result.output
    assert sha(demo) == before and server.hellos == 0 and not folder(demo).exists()


def test_a_registered_letter_is_never_sent_by_email(demo, monkeypatch):
    with recording() as (port, server):
        use(demo, port)
        args = ("--verstuur", "--geen-pdf", "--kanaal", "aangetekend", "--klant", "K007")
        result = run(monkeypatch, demo, *args)
    assert result.exit_code == 0, result.output
    assert server.hellos == 0 and server.received == []
    ((kanaal, status, sent),) = [(r["Kanaal"], r["Status"], r["Verzonden op"]) for r in today(demo)]
    assert (kanaal, status, sent) == ("aangetekend", "concept", None)
    assert not list(folder(demo).glob("*.eml"))


class GoneAfterTwo(Recorder):
    """A server that says 421 to every message after the first two (and keeps saying it)."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if len(self.received) >= 2:
            return "421 4.7.0 Too many messages, closing connection"
        envelope.mail_from = address
        return "250 OK"


def test_the_hint_for_the_posted_letters_does_not_mark_the_unsent_emails(demo, monkeypatch):
    """The server went away after two e-mails: six e-mails wait as concepts beside the four
    letters for the post. The hint under the letters said 'debiteuren verzonden BOEK': run
    after posting the letters, it marked the six e-mails that never left 'verzonden' too. Now
    it names the posted letters."""
    with recording(GoneAfterTwo()) as (port, server):
        use(demo, port)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--onbevestigde-rente")
    assert result.exit_code == 1, result.output
    assert len(server.received) == 2
    posted = [r["Klantnr"] for r in today(demo) if r["Kanaal"] == "post"]
    assert posted == ["K002", "K005", "K008", "K011"]
    output = " ".join(result.output.split())
    hint = f"debiteuren verzonden {demo} " + " ".join(f"--klant {n}" for n in posted)
    assert "4 daarvan staan als concept: ze tellen pas als ze verstuurd zijn. Post u ze" in output
    assert f"leg dat dan vast met: {hint} [--op DATUM]" in output
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    marked = CliRunner().invoke(main, hint.split()[1:])
    assert marked.exit_code == 0, marked.output
    states = {(r["Kanaal"], r["Status"]) for r in today(demo)}
    assert states == {("post", "verzonden"), ("e-mail", "verzonden"), ("e-mail", "concept")}
    emails = [r for r in today(demo) if r["Kanaal"] == "e-mail"]
    assert [r["Status"] for r in emails].count("concept") == 6
    assert all(r["Verzonden op"] is None for r in emails if r["Status"] == "concept")


class RefusesTheSender(Recorder):
    """A server that refuses the sender address (553 at MAIL FROM), as a provider does when
    the address is not the account's."""

    mails = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        return "553 5.7.1 Sender address rejected: not owned by user"


def test_a_refused_sender_stops_the_run_and_leaves_every_email_a_concept(demo, monkeypatch):
    """Every e-mail of a run has the same sender: before, each was tried, marked 'mislukt'
    and printed for the post, eight letters to post because of one address on Instellingen."""
    with recording(RefusesTheSender()) as (port, server):
        use(demo, port)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--onbevestigde-rente")
    assert result.exit_code == 1, result.output
    assert server.mails == 1 and server.received == []  # the first refusal ends the sending
    emails = [r for r in today(demo) if r["Kanaal"] == "e-mail"]
    assert len(emails) == 8 and {r["Status"] for r in emails} == {"concept"}
    assert all(outbox.SENDER_REFUSED in r["Notitie"] for r in emails)
    assert "553 5.7.1 Sender address rejected" in emails[0]["Notitie"]
    # and a blanket verzonden for the posted letters leaves them
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    CliRunner().invoke(main, ["verzonden", str(demo)])
    assert {r["Status"] for r in today(demo) if r["Kanaal"] == "e-mail"} == {"concept"}


def test_a_blanket_verzonden_leaves_the_emails_the_server_did_not_take(demo, monkeypatch):
    """After the server went away, 'debiteuren verzonden BOEK' without --klant (for the posted
    letters) marked the six e-mails that never left 'verzonden' too, and their terms ran. Now
    it marks the posted letters, names the six customers, and marks one only when named."""
    with recording(GoneAfterTwo()) as (port, _server):
        use(demo, port)
        run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--onbevestigde-rente")
    unsent = [
        r["Klantnr"] for r in today(demo) if r["Status"] == "concept" and r["Kanaal"] == "e-mail"
    ]
    assert len(unsent) == 6
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    marked = CliRunner().invoke(main, ["verzonden", str(demo)])
    assert marked.exit_code == 0, marked.output
    states = {(r["Klantnr"], r["Kanaal"], r["Status"]) for r in today(demo)}
    assert {s for s in states if s[1] == "post"} == {
        (n, "post", "verzonden") for n in ("K002", "K005", "K008", "K011")
    }
    assert {n for n, kanaal, status in states if status == "concept"} == set(unsent)
    output = " ".join(marked.output.split())
    klant = " ".join(f"--klant {n}" for n in sorted(unsent))
    assert "Niet als verzonden vastgelegd: de e-mail aan " in output
    assert f"leg dat dan vast met dezelfde opdracht en {klant} [--op DATUM]." in output
    # named, it is the user's word: marked
    again = CliRunner().invoke(main, ["verzonden", str(demo), "--klant", unsent[0]])
    assert again.exit_code == 0, again.output
    sent = {r["Klantnr"]: r["Status"] for r in today(demo) if r["Kanaal"] == "e-mail"}
    assert sent[unsent[0]] == "verzonden"
    assert [sent[n] for n in unsent[1:]] == ["concept"] * 5


def test_after_a_crash_the_next_run_says_what_the_send_log_says_went_out(demo, monkeypatch):
    """The power went after three e-mails had gone out, before the workbook was saved again:
    every letter stays a concept, and the next run sends nothing twice. It said only 'Zijn ze
    verstuurd, leg dat vast met: debiteuren verzonden BOEK': run as it stood, that marked the
    five e-mails that never left 'verzonden' too. Now it reads the send log: the three the
    server took get their own hint (with their day), the others are named as not sent."""
    send = outbox.Mailer.send
    calls = []

    def dies_at_the_fourth(self, eml):
        calls.append(eml.name)
        if len(calls) == 4:
            raise RuntimeError("stroom uitgevallen")
        return send(self, eml)

    with recording() as (port, server):
        use(demo, port)
        monkeypatch.setattr(outbox.Mailer, "send", dies_at_the_fourth)
        with pytest.raises(RuntimeError):
            service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, send=True, confirm_rates=True)
        monkeypatch.undo()
        assert {r["Status"] for r in today(demo)} == {"concept"}
        took = ["K001", "K003", "K004"]
        assert [to[0].split("@")[1] for to, _, _ in server.received] == [
            "jansen-zn.nl",
            "vandam-bouw.nl",
            "example.com",
        ]
        again = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--onbevestigde-rente")
        assert again.exit_code == 0, again.output
        assert len(server.received) == 3  # nothing twice, nothing new
    output = " ".join(again.output.split())
    mark = f"debiteuren verzonden {demo}"
    rest = ["K002", "K005", "K006", "K007", "K008", "K009", "K010", "K011", "K012"]
    assert (
        "Geen nieuwe brief voor 12 klanten: hun eerdere brieven staan nog als concept op het blad "
        f"Acties. Zijn ze verstuurd, leg dat vast met: {mark} "
        + " ".join(f"--klant {n}" for n in rest)
        + " [--op DATUM]."
    ) in output
    hint = f"{mark} --klant K001 --klant K003 --klant K004 --op 2026-10-15"
    assert (
        "Volgens het verzendlog nam de mailserver op 15-10-2026 de e-mail aan K001, K003 en K004 "
        "aan, maar de opdracht die ze verstuurde stopte voordat ze dat op het blad Acties "
        f"vastlegde: leg dat vast met: {hint}."
    ) in output
    assert (
        "Het verzendlog noemt niet dat de mailserver de e-mail aan K006, K007, K009, K010 en "
        "K012 aannam: ze zijn niet (zeker) verstuurd."
    ) in output
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    marked = CliRunner().invoke(main, hint.split()[1:])
    assert marked.exit_code == 0, marked.output
    sent = {
        r["Klantnr"]: day_of(r["Verzonden op"]) for r in today(demo) if r["Status"] == "verzonden"
    }
    assert sent == dict.fromkeys(took, DEMO_AS_OF)


class BusyAfterThree(Recorder):
    """A server that, as servers that limit how many messages they take do, answers 4xx
    (try again later) after the first three messages: at RCPT, or at the end of DATA."""

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.where == "RCPT" and len(self.received) >= 3:
            return "452 4.5.3 Too many messages, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.where == "DATA" and len(self.received) >= 3:
            return "451 4.7.500 Server busy. Please try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("RCPT", "de server meldde: boekhouding@hoteldezwaan.nl: 452 4.5.3 Too many messages"),
        ("DATA", "de server meldde: 451 4.7.500 Server busy. Please try again later"),
    ],
)
def test_a_server_that_takes_no_more_for_now_leaves_the_rest_concepts(
    demo, monkeypatch, where, said
):
    """A reply of 4xx is a transient failure (RFC 5321: try again later). Before, each e-mail
    after the server's limit became 'mislukt', with a letter for the post in the print file: a
    paper letter for every customer the server would have taken the e-mail for an hour later.
    Now they stay concepts with the server's reply, as when the connection does not come back."""
    with recording(BusyAfterThree(where)) as (port, server):
        use(demo, port)
        args = ("--verstuur", "--geen-pdf", "--onbevestigde-rente")
        result = run(monkeypatch, demo, *args)
        assert result.exit_code == 1, result.output
        assert len(server.received) == 3
        emails = [r for r in today(demo) if r["Kanaal"] == "e-mail"]
        assert [(r["Klantnr"], r["Status"], day_of(r["Verzonden op"])) for r in emails] == [
            ("K001", "verzonden", DEMO_AS_OF),
            ("K003", "verzonden", DEMO_AS_OF),
            ("K004", "verzonden", DEMO_AS_OF),
            *((n, "concept", None) for n in ("K006", "K007", "K009", "K010", "K012")),
        ]
        assert not [
            r for r in acties(demo) if r["Status"] == "mislukt" or "-post" in str(r["Bestand"])
        ]
        output = " ".join(result.output.split())
        assert (
            "5 e-mails niet verstuurd, omdat de verbinding met de mailserver werd verbroken of de "
            "server ze nu niet aannam; ze staan als concept op het blad Acties en tellen niet mee:"
        ) in output
        assert (
            "K006 Hotel De Zwaan (herinnering): de mailserver nam de e-mail nu niet aan; probeer "
            f"het later opnieuw ({said}"
        ) in output
        (k006,) = [r for r in emails if r["Klantnr"] == "K006"]
        assert (
            "de mailserver nam de e-mail nu niet aan; probeer het later opnieuw" in k006["Notitie"]
        )
        again = run(monkeypatch, demo, *args)
        assert again.exit_code == 0 and len(server.received) == 3


@pytest.mark.parametrize(
    "cell",
    [
        "compta]@cavacafe.be",  # read as the mailbox 'compta' on the mail server itself
        ".:_]@cavacafe.be",  # the e-mail package failed on it: brieven stopped, no letter
        "boekhouding:compta@cavacafe.be",  # read as compta@…: 'boekhouding:' a group's name
        "cömpta@cavacafe.be, .compta@cavacafe.be",  # with UTF-8 in the cell, a TypeError
        "Compta <compta\xa0x@cavacafe.be>",  # a no-break space: written as a space
    ],
)
def test_an_address_a_mail_program_reads_otherwise_is_refused_with_its_cell(
    demo, monkeypatch, cell
):
    customer_cell(demo, "K007", "E-mail", cell)
    before = sha(demo)
    with recording() as (port, server):
        use(demo, port)
        before = sha(demo)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K007")
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "Klanten, rij 8, E-mail:" in output, output
    assert "is geen geldig e-mailadres: een mailprogramma leest er een ander adres in" in output
    assert sha(demo) == before and server.received == [] and not folder(demo).exists()


@pytest.mark.parametrize(
    "name",
    [
        "Drukkerij en Uitgeverij De Letterzetter: boeken, tijdschriften en drukwerk B.V.",
        "Drukkerij De Letterzetter: " + "boeken, tijdschriften en drukwerk; " * 40,
    ],
    ids=["longer-than-a-line", "longer-than-998"],
)
def test_a_long_company_name_with_a_colon_keeps_the_sender(demo, monkeypatch, name):
    """The e-mail package folded the quoted name of the From header over two lines without its
    quotes: the header became a group 'Drukkerij … Letterzetter:' whose first member,
    'boeken', was the sender the server was given. Now headers fold only past 998
    characters, and a name that cannot be written is left out (the address stays)."""
    settings(demo, {"Naam": name})
    with recording() as (port, server):
        use(demo, port)
        result = run(monkeypatch, demo, "--verstuur", "--geen-pdf", "--klant", "K007")
    assert result.exit_code == 0, result.output
    assert server.senders == ["debiteuren@letterzetter.nl"]
    ((to, data, _),) = server.received
    sender = headers(data)["From"].addresses
    assert [a.addr_spec for a in sender] == ["debiteuren@letterzetter.nl"]
    assert to == addresses(headers(data), "To") == ["compta@cavacafe.be"]
    if len(name) < 900:
        assert sender[0].display_name == name
