"""Smaller hostile inputs: each gives a Dutch message and leaves the workbook as it was."""

from __future__ import annotations

import hashlib
import re
import smtplib
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.einvoice import EInvoiceError, read_einvoice
from debiteuren.payments import StatementError, read_statement
from debiteuren.service.letters import SendError
from debiteuren.service.payments import import_statements
from debiteuren.workbook.write import set_settings

NOW = datetime(2026, 10, 15, 12, 0)
UBL = Path(__file__).resolve().parents[1] / "fixtures" / "ubl"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def camt(*, namespace: str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02", booked="2026-10-14"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{namespace}"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId>
<CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id>
<CreDtTm>2026-10-14T18:00:00</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id>
<Ccy>EUR</Ccy></Acct><Ntry><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>{booked}</Dt></BookgDt><ValDt><Dt>{booked}</Dt></ValDt>
<AcctSvcrRef>LAAT-1</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>LAAT-1</AcctSvcrRef>
</Refs><RltdPties><Dbtr><Nm>Jansen en Zonen</Nm></Dbtr><DbtrAcct><Id>
<IBAN>NL02ABNA0123456789</IBAN></Id></DbtrAcct></RltdPties><RmtInf>
<Ustrd>Betaling factuur 2026-0107</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt>
</BkToCstmrStmt></Document>"""


@pytest.fixture
def demo(demo: Path) -> Path:
    path = demo  # the shared demo workbook (conftest), changed here
    service.update(path, DEMO_AS_OF, now=NOW)
    return path


def test_a_credit_after_the_peildatum_is_refused_before_writing(demo: Path, tmp_path: Path):
    statement = tmp_path / "afschrift.xml"
    statement.write_text(camt(booked="2026-10-20"), encoding="utf-8")
    before = sha(demo)
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    (report,) = result.files
    assert report.error == (
        "1 bijschrijving op dit afschrift ligt na de peildatum 15-10-2026 (de laatste op "
        "20-10-2026). Lees het afschrift in met --peildatum 2026-10-20 of later; uit dit bestand "
        "is niets ingelezen."
    )
    assert not result.saved and result.rows_added == 0 and sha(demo) == before
    run = CliRunner().invoke(
        main, ["betalingen", str(demo), str(statement), "--peildatum", "2026-10-15"]
    )
    assert run.exit_code == 2 and "NIET ingelezen" in run.output and sha(demo) == before
    later = import_statements(demo, [statement], as_of=datetime(2026, 10, 20).date(), now=NOW)
    assert later.saved and later.rows_added == 1


def test_a_brace_in_a_camt_namespace_is_a_dutch_message(tmp_path: Path):
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(namespace="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02}x"), encoding="utf-8"
    )
    with pytest.raises(StatementError, match=r"^Bankafschrift 'afschrift.xml'.*niets"):
        read_statement(statement)


def test_an_enormous_amount_in_an_e_invoice_is_a_dutch_message(tmp_path: Path):
    text = (UBL / "invoice-due-date.xml").read_text(encoding="utf-8")
    text = re.sub(
        r'(<cbc:PayableAmount currencyID="EUR">)[^<]*', r"\g<1>" + "1" + "0" * 26 + ".00", text
    )
    path = tmp_path / "factuur.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EInvoiceError, match="is te groot voor een bedrag"):
        read_einvoice(path)


def test_an_enormous_amount_in_the_workbook_is_a_dutch_message(demo: Path):
    book = openpyxl.load_workbook(demo)
    ws = book["Facturen"]
    column = next(c.column for c in ws[1] if c.value == "Bedrag (incl. btw)")
    ws.cell(row=3, column=column).value = 1e26
    book.save(demo)
    before = sha(demo)
    run = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert run.exit_code == 2
    assert "Facturen, rij 3, Bedrag (incl. btw): '100000000000000004764729344' is te groot" in (
        run.output
    )
    assert sha(demo) == before


class TestSmtp:
    @pytest.fixture
    def plain(self, demo: Path, monkeypatch) -> Path:
        book = openpyxl.load_workbook(demo)
        set_settings(
            book,
            {
                "SMTP-server": "127.0.0.1",
                "SMTP-poort": 9,
                "SMTP-beveiliging": "geen",
                "SMTP-gebruiker": "debiteuren@vandijk.nl",
            },
        )
        book.save(demo)
        monkeypatch.setenv("DEBITEUREN_SMTP_WACHTWOORD", "geheim")
        connections: list[tuple] = []

        class Recorder(smtplib.SMTP):
            def __init__(self, *args, **kwargs):
                connections.append(args)
                raise OSError("verbinding geweigerd")

        monkeypatch.setattr(smtplib, "SMTP", Recorder)
        self.connections = connections
        return demo

    def test_a_login_without_encryption_is_refused(self, plain: Path):
        before = sha(plain)
        with pytest.raises(SendError, match="gebruikersnaam en wachtwoord leesbaar") as caught:
            service.letters(plain, DEMO_AS_OF, now=NOW, pdf=False, send=True, confirm_stale=True)
        assert "'SMTP: aanmelden zonder versleuteling' op Ja" in caught.value.message
        assert self.connections == [] and sha(plain) == before
        assert not (plain.parent / "brieven").exists()

    def test_the_setting_allows_it_on_ones_own_network(self, plain: Path):
        book = openpyxl.load_workbook(plain)
        set_settings(book, {"SMTP: aanmelden zonder versleuteling": "Ja"})
        book.save(plain)
        with pytest.raises(
            SendError, match="Kan geen verbinding maken met de mailserver 127.0.0.1:9"
        ):
            service.letters(plain, DEMO_AS_OF, now=NOW, pdf=False, send=True, confirm_stale=True)
        assert self.connections == [("127.0.0.1", 9)]


def test_a_remittance_longer_than_an_excel_cell_is_cut_to_32767_characters(
    demo: Path, tmp_path: Path
):
    """Excel holds at most 32,767 characters in a cell (Excel specifications and limits) and
    reports a longer one as a damaged workbook; a CAMT.053 <Ustrd> or <Nm> has no length the
    parser enforces. Before, 40,024 characters were written into Betalingen."""
    statement = tmp_path / "afschrift.xml"
    text = camt().replace("Jansen en Zonen", "Jansen " + "N" * 40000)
    text = text.replace("Betaling factuur 2026-0107", "Betaling factuur 2026-0107 " + "U" * 40000)
    statement.write_text(text, encoding="utf-8")
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert result.saved and result.rows_added == 1
    ws = openpyxl.load_workbook(demo)["Betalingen"]
    head = [c.value for c in ws[1]]
    last = [c.value for c in ws[ws.max_row]]
    remittance, payer = last[head.index("Mededeling")], last[head.index("Naam betaler")]
    assert len(remittance) <= 32767 and len(payer) <= 32767  # (or shorter, where cut sooner)
    assert remittance.startswith("Betaling factuur 2026-0107 UUU") and remittance.endswith("U…")
    assert payer.startswith("Jansen NNN") and payer.endswith("N…")
    longest = max(
        len(c.value)
        for ws in openpyxl.load_workbook(demo)
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    )
    assert longest <= 32767
