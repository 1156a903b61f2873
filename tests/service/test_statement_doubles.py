"""betalingen: one bank day read from two formats (a CAMT.053 and an MT940 of the same account)
is counted once. The second file's credits carry other bank references; their booking day,
amount and payer's IBAN show they are the same money (review of real bank files, defect 2)."""

from __future__ import annotations

import shutil
from datetime import datetime

import openpyxl
import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service.payments import import_statements
from debiteuren.service.reports import report

NOW = datetime(2026, 10, 15, 12, 0)
OWN_IBAN = "NL91ABNA0417164300"
JANSEN = "NL02ABNA0123456789"  # K001, owes invoice 2026-0107 (847,00) in the demo


@pytest.fixture
def demo(demo):
    service.update(demo, DEMO_AS_OF, now=NOW)
    return demo


def rows(path, name):
    ws = openpyxl.load_workbook(path, data_only=True)[name]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=False)) for r in values[1:] if r[0] is not None]


def paid(path, number):
    return next(r for r in rows(path, "Facturen") if r["Factuurnr"] == number)["Betaald"]


def camt(amounts: list[str], ibans: list[str]) -> str:
    """A CAMT.053 of 14-10-2026 with one credit per amount (AcctSvcrRef CAMT-n)."""
    entries = "".join(
        f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-14</Dt></BookgDt><AcctSvcrRef>CAMT-{n}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Jansen en Zonen</Nm></Dbtr>"""
        + (f"<DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>" if iban else "")
        + """</RltdPties><RmtInf><Ustrd>Factuur 2026-0107</Ustrd></RmtInf></TxDtls></NtryDtls>
</Ntry>"""
        for n, (amount, iban) in enumerate(zip(amounts, ibans, strict=True), start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{entries}
</Stmt></BkToCstmrStmt></Document>"""


def mt940(amounts: list[str], ibans: list[str]) -> str:
    """ING's MT940 of the same day: the same credits under ING's own references."""
    body = ""
    for n, (amount, iban) in enumerate(zip(amounts, ibans, strict=True), start=1):
        party = f"/CNTP/{iban}/ABNANL2A/Jansen en Zonen///" if iban else "/CNTP/////"
        body += f":61:2610141014C{amount.replace('.', ',')}NTRFNONREF//ING-{n}\n"
        body += f":86:/EREF/NOTPROVIDED/{party}REMI/USTD//Factuur 2026-0107/\n"
    total = sum(float(a) for a in amounts)
    closing = f"{1000 + total:.2f}".replace(".", ",")
    return (
        "{1:F01INGBNL2ABXXX0000000000}\n{2:I940INGBNL2AXXXN}\n{4:\n:20:P261014000000001\n"
        f":25:{OWN_IBAN}EUR\n:28C:00000\n:60F:C261013EUR1000,00\n{body}"
        f":62F:C261014EUR{closing}\n-}}\n"
    )


def test_the_same_day_as_mt940_after_camt_is_marked_dubbel(demo, tmp_path):
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt(["847.00"], [JANSEN]))
    sta.write_text(mt940(["847.00"], [JANSEN]))
    first = import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    assert (first.files[0].matched, paid(demo, "2026-0107")) == (1, 847)
    first_row = len(rows(demo, "Betalingen")) + 1  # Excel row of the CAMT credit
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.files[0].matched, second.rows_added) == (1, 0, 1)
    last = rows(demo, "Betalingen")[-1]
    assert (last["Status"], last["Bedrag"]) == ("Dubbel", 847)
    assert last["Bankreferentie"].startswith("MT940-")  # its own key, not the CAMT's
    assert f"rij {first_row} (CAMT.053: dag.xml)" in last["Reden"]
    assert paid(demo, "2026-0107") == 847  # counted once
    lines = report(second).lines
    assert any("1 dubbel (al ingelezen onder een andere bankreferentie)" in t.text for t in lines)
    # the MT940 again: its reference is in Betalingen now, so nothing is added
    before = demo.read_bytes()
    again = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (again.files[0].duplicates, again.rows_added) == (1, 0)
    assert demo.read_bytes() == before


def test_both_formats_in_one_run_count_once(demo, tmp_path):
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt(["847.00"], [JANSEN]))
    sta.write_text(mt940(["847.00"], [JANSEN]))
    result = import_statements(demo, [xml, sta], as_of=DEMO_AS_OF, now=NOW)
    assert [(f.matched, f.doubles) for f in result.files] == [(1, 0), (0, 1)]
    last = rows(demo, "Betalingen")[-1]
    assert last["Status"] == "Dubbel"
    assert "een eerder bestand van deze inlees (CAMT.053: dag.xml)" in last["Reden"]
    assert paid(demo, "2026-0107") == 847


def test_each_earlier_booking_makes_one_double(demo, tmp_path):
    """Two equal credits on one day, one read before: the other is a new payment."""
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt(["400.00"], [JANSEN]))
    sta.write_text(mt940(["400.00", "400.00"], [JANSEN, JANSEN]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.files[0].matched) == (1, 1)
    assert [r["Status"] for r in rows(demo, "Betalingen")[-2:]] == ["Dubbel", "Gematcht"]
    assert paid(demo, "2026-0107") == 800


def test_without_an_iban_a_possible_double_is_left_to_the_user(demo, tmp_path):
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt(["847.00"], [""]))
    sta.write_text(mt940(["847.00"], [""]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    counted = paid(demo, "2026-0107")
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.rows_added) == (1, 1)
    last = rows(demo, "Betalingen")[-1]
    assert last["Status"] == "Te controleren"
    assert last["Reden"].startswith("mogelijk dubbel: dezelfde datum en hetzelfde bedrag als rij")
    assert paid(demo, "2026-0107") == counted


def test_another_day_or_amount_is_no_double(demo, tmp_path):
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt(["847.00"], [JANSEN]))
    sta.write_text(mt940(["846.99"], [JANSEN]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert second.files[0].doubles == 0
    assert rows(demo, "Betalingen")[-1]["Status"] != "Dubbel"
    shutil.copy(demo, tmp_path / "kopie.xlsx")  # the book stays readable
    service.update(tmp_path / "kopie.xlsx", DEMO_AS_OF, now=NOW)
