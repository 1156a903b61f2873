"""betalingen on a large statement: streamed, one save, no openpyxl load, a short report.

Counted, never timed: the elements the CAMT reader holds, the calls to openpyxl, the lines
printed."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.payments import camt053
from debiteuren.service.payments import import_statements
from debiteuren.service.reports import report
from debiteuren.workbook import read

NOW = datetime(2026, 10, 15, 12, 0)
OWN_IBAN = "NL91ABNA0417164300"
ENTRIES = 300


def statement(entries: int = ENTRIES) -> str:
    """A camt.053 statement: ``entries`` small payments naming demo invoice 2026-0107, and as
    many from unknown payers (each one "Te controleren")."""
    rows = []
    for n in range(entries):
        known = n % 2 == 0
        text = "Betaling factuur 2026-0107" if known else f"gift {n}"
        iban = "NL02ABNA0123456789" if known else f"BE{n:014d}"
        name = "Jansen en Zonen" if known else f"Particulier {n}"
        rows.append(
            f'<Ntry><Amt Ccy="EUR">1.{n % 100:02d}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            "<Sts>BOOK</Sts><BookgDt><Dt>2026-10-14</Dt></BookgDt>"
            f"<ValDt><Dt>2026-10-14</Dt></ValDt><AcctSvcrRef>S{n:05d}</AcctSvcrRef>"
            f"<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id>"
            f"<IBAN>{iban}</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>{text}</Ustrd>"
            "</RmtInf></TxDtls></NtryDtls></Ntry>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>M1</MsgId></GrpHdr><Stmt><Id>GROOT</Id>"
        f"<Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        + "".join(rows)
        + "</Stmt></BkToCstmrStmt></Document>\n"
    )


@pytest.fixture
def demo(tmp_path):
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    service.update(path, DEMO_AS_OF, now=NOW)
    return path


@pytest.fixture
def large(tmp_path):
    path = tmp_path / "afschrift.xml"
    path.write_text(statement(), encoding="utf-8")
    return path


def test_the_reader_frees_each_entry_once_read(monkeypatch):
    entries = 3000
    held = []
    original = camt053._Reader._end_entry

    def counting(self, entry):
        held.append(sum(1 for _ in entry.getparent()))  # entries and header still in memory
        original(self, entry)

    monkeypatch.setattr(camt053._Reader, "_end_entry", counting)
    lines = camt053.parse(statement(entries).encode(), source="afschrift.xml")
    assert len(lines) == len(held) == entries
    # Earlier entries are gone; what remains is the header and what lxml has read ahead (one
    # buffer), however long the file.
    assert max(held) < 200
    assert max(held[-1000:]) <= max(held[:1000]) + 5


def test_import_never_loads_the_workbook_with_openpyxl(demo, large, monkeypatch):
    loads = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", counting)
    rows_before = len(read.load_tables(demo, engine="calamine")["Betalingen"].rows)
    result = import_statements(demo, [large], as_of=DEMO_AS_OF, now=NOW)
    assert loads == []
    assert result.saved and result.rows_added == ENTRIES
    betalingen = read.load_tables(demo, engine="calamine")["Betalingen"]
    assert len(betalingen.rows) == rows_before + ENTRIES
    assert betalingen.last_row == betalingen.first_row + len(betalingen.rows) - 1  # table grew


def test_progress_is_reported_per_phase(demo, large):
    seen: dict[str, tuple[int, int]] = {}
    import_statements(
        demo,
        [large],
        as_of=DEMO_AS_OF,
        now=NOW,
        progress=lambda phase, done, total: seen.__setitem__(phase, (done, total)),
    )
    assert seen["Koppelen"] == (1, 1)
    assert "Schrijven" in seen


def test_the_report_lists_twenty_payments_to_review_and_counts_the_rest(demo, large):
    result = import_statements(demo, [large], as_of=DEMO_AS_OF, now=NOW)
    assert len(result.to_review) == ENTRIES // 2
    lines = [line.text for line in report(result).lines]
    heading = next(i for i, line in enumerate(lines) if line.startswith("Te controleren ("))
    listed = lines[heading + 1 : heading + 21]
    assert all(line.startswith("  ") and "Particulier" in line for line in listed)
    assert lines[heading + 21] == (
        f"  … en nog {ENTRIES // 2 - 20}; filter op het blad Betalingen de kolom Status op "
        "'Te controleren' voor de hele lijst."
    )
    # and how to link them, as README promises ("de uitvoer zegt hoe u haar koppelt"); the
    # output of betalingen did not say it (newcomer, session 27)
    assert lines[heading + 22] == (
        "Koppelen: vul op die rij Klantnr of Factuurnr in (de kolom Kandidaten noemt de "
        "facturen die in aanmerking komen) en zet de Status op Gematcht. Is het geen betaling "
        "van een klant (rente van de bank, een leverancier), zet de Status dan op Geen klant."
    )
    assert len(lines) == heading + 23


def test_a_statement_read_in_a_second_process_writes_the_same_workbook(
    tmp_path, large, monkeypatch
):
    """Parsing in a second process (while the workbook is read) changes nothing written."""
    from debiteuren.payments import background

    monkeypatch.setattr(background, "cpu_count", lambda: 2)
    started = []
    original = background.StatementReading.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self.started)

    monkeypatch.setattr(background.StatementReading, "__init__", spy)
    books = []
    for name, threshold in (("hier.xlsx", 1 << 40), ("apart.xlsx", 0)):
        monkeypatch.setattr(background, "BACKGROUND_BYTES", threshold)
        path = service.demo_workbook(tmp_path / name)
        service.update(path, DEMO_AS_OF, now=NOW)
        result = import_statements(path, [large], as_of=DEMO_AS_OF, now=NOW)
        assert result.rows_added == ENTRIES
        books.append(read.load_tables(path))
    assert started == [False, True]
    here, apart = books
    for sheet in (read.schema.BETALINGEN, read.schema.FACTUREN):
        assert here[sheet.name].rows == apart[sheet.name].rows


def test_the_rows_are_let_go_once_placed(demo, large, monkeypatch):
    """Issue 17 (peak memory): once the new Betalingen rows are placed on the sheet, the queued
    rows are no longer held while the book is assessed again and saved; the result keeps the
    other changes (the statement's date) and counts the rows."""
    import gc

    from debiteuren.service import pipeline
    from debiteuren.workbook import schema

    held = []
    real = pipeline._converted

    def counting(*args, **kwargs):
        gc.collect()
        held.append(
            sum(
                1
                for o in gc.get_objects()
                if isinstance(o, schema.Row) and o.sheet is schema.BETALINGEN
            )
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_converted", counting)
    result = import_statements(demo, [large], as_of=DEMO_AS_OF, now=NOW)
    assert result.saved and result.rows_added == ENTRIES
    assert held == [0]
    assert not result.changes.appended(schema.BETALINGEN)
    assert result.changes  # the date of the statement on Instellingen


@pytest.mark.parametrize("entries, kept", [(2, True), (ENTRIES, False)])
def test_the_assessment_is_let_go_before_matching_a_statement_longer_than_the_book(
    demo, tmp_path, monkeypatch, entries, kept
):
    """Issue 17 (peak memory): a statement with more lines than half the customers will touch
    most of them, so the assessment goes before the rows are made (the write-back assesses
    the book again); a short one keeps it for the customers it leaves alone. The workbook
    written is the same either way."""
    from debiteuren.service import payments

    path = tmp_path / "kort.xml"
    path.write_text(statement(entries), encoding="utf-8")
    given = []
    real = payments.write_back

    def spy(*args, **kwargs):
        given.append(kwargs["assessment"])
        return real(*args, **kwargs)

    monkeypatch.setattr(payments, "write_back", spy)
    same = tmp_path / "zelfde.xlsx"
    same.write_bytes(demo.read_bytes())
    import_statements(demo, [path], as_of=DEMO_AS_OF, now=NOW)
    assert (given[0] is not None) is kept
    monkeypatch.setattr(payments, "_touches_most", lambda parsed, loaded: kept)  # the other way
    import_statements(same, [path], as_of=DEMO_AS_OF, now=NOW)
    assert (given[1] is not None) is (not kept)
    assert read.load_tables(demo) == read.load_tables(same)
