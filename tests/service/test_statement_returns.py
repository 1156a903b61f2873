"""betalingen with bank layouts that were read wrongly: a returned direct debit without a
reversal mark cancels the payment like any storno; German banks' NONREF loses no credit; one
bank day read from two formats (a CAMT.053 and an MT940 of the same account) is counted once:
the second file's credits carry other bank references, and their booking day, amount and
payer's IBAN show they are the same money."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service.payments import import_statements
from debiteuren.service.reports import report

NOW = datetime(2026, 10, 15, 12, 0)
OWN_IBAN = "NL91ABNA0417164300"
JANSEN = "NL02ABNA0123456789"  # K001, pays invoice 2026-0107 of the demo


@pytest.fixture
def demo(demo):
    service.update(demo, DEMO_AS_OF, now=NOW)
    return demo


def rows(path, name):
    ws = openpyxl.load_workbook(path, data_only=True)[name]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=False)) for r in values[1:] if r[0] is not None]


def factuur(path, number):
    return next(r for r in rows(path, "Facturen") if r["Factuurnr"] == number)


def camt(entry: str, *, stmt: str, day: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>{stmt}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{stmt}</Id><Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{entry}
</Stmt></BkToCstmrStmt></Document>"""


def credit(amount: str, day: str, ref: str, text: str, iban: str = JANSEN) -> str:
    return f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Jansen en Zonen</Nm></Dbtr>
<DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""


RETURNED = f"""<Ntry><Amt Ccy="EUR">847.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-15</Dt></BookgDt><AcctSvcrRef>RET-1</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>UPDD</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Jansen en Zonen</Nm></Dbtr>
<DbtrAcct><Id><IBAN>{JANSEN}</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>Factuur 2026-0107</Ustrd></RmtInf><RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf>
</TxDtls></NtryDtls></Ntry>"""


def ing_return(day: str) -> str:
    """ING's MT940 of the return: D, NRTI, /RTRN/MD06/ (ING structured format description)."""
    details = (
        f"/RTRN/MD06//EREF/INC-2026-0107//MARF/M-K001//CSID/NL32ZZZ999999991234//CNTP/{JANSEN}/"
        "ABNANL2A/Jansen en Zonen///REMI/USTD//Factuur 2026-0107/"
    )
    cut = "\n".join(details[i : i + 65] for i in range(0, len(details), 65))
    return (
        "{1:F01INGBNL2ABXXX0000000000}\n{2:I940INGBNL2AXXXN}\n{4:\n:20:P261015000000001\n"
        f":25:{OWN_IBAN}EUR\n:28C:00000\n:60F:C261014EUR1000,00\n"
        f":61:{day}D847,00NRTIEREF//00000000001010\n/TRCD/01315/\n:86:{cut}\n"
        ":62F:C261015EUR153,00\n-}\n"
    )


@pytest.mark.parametrize("kind", ["camt", "mt940"])
def test_a_returned_direct_debit_cancels_the_payment_like_a_storno(demo, tmp_path, kind):
    collected = tmp_path / "incasso.xml"
    collected.write_text(credit("847.00", "2026-10-14", "INC-1", "Factuur 2026-0107"))
    collected.write_text(camt(collected.read_text(), stmt="S1", day="2026-10-14"))
    result = import_statements(demo, [collected], as_of=DEMO_AS_OF, now=NOW)
    assert result.files[0].matched == 1
    assert factuur(demo, "2026-0107")["Betaald"] == 847
    returned = tmp_path / ("storno.xml" if kind == "camt" else "storno.sta")
    returned.write_text(
        camt(RETURNED, stmt="S2", day="2026-10-15") if kind == "camt" else ing_return("2610151015")
    )
    result = import_statements(demo, [returned], as_of=DEMO_AS_OF, now=NOW)
    assert result.files[0].reversals == 1
    payments = rows(demo, "Betalingen")
    original = next(r for r in payments if r["Bankreferentie"] == "INC-1")
    assert original["Status"] == "Teruggeboekt"
    assert "teruggeboekt op 15-10-2026" in original["Reden"]
    assert (payments[-1]["Status"], payments[-1]["Bedrag"]) == ("Storno", 847)
    assert factuur(demo, "2026-0107")["Betaald"] == 0


def test_nonref_on_every_entry_loses_no_later_credit(demo, tmp_path):
    day1 = tmp_path / "umsatz-1014.xml"
    day1.write_text(
        camt(
            credit("847.00", "2026-10-14", "NONREF", "Factuur 2026-0107"),
            stmt="1",
            day="2026-10-14",
        )
    )
    day2 = tmp_path / "umsatz-1015.xml"
    day2.write_text(
        camt(credit("12.34", "2026-10-15", "NONREF", "bedankt"), stmt="2", day="2026-10-15")
    )
    first = import_statements(demo, [day1], as_of=DEMO_AS_OF, now=NOW)
    second = import_statements(demo, [day2], as_of=DEMO_AS_OF, now=NOW)
    assert (first.files[0].matched, second.files[0].duplicates, second.rows_added) == (1, 0, 1)
    assert [r["Bedrag"] for r in rows(demo, "Betalingen")[-2:]] == [847, 12.34]
    # reading day 2 again adds nothing
    again = import_statements(demo, [day2], as_of=DEMO_AS_OF, now=NOW)
    assert (again.files[0].duplicates, again.rows_added) == (1, 0)


def test_each_return_reverses_one_payment_the_last_first(demo, tmp_path):
    """Two payments of 847,00 from one payer read before and three returns in a later file:
    each return reverses one payment, the most recent first; the third finds none left."""
    before = tmp_path / "incasso.xml"
    entries = credit("847.00", "2026-10-13", "INC-1", "Factuur 2026-0107")
    entries += credit("847.00", "2026-10-14", "INC-2", "Factuur 2026-0107")
    before.write_text(camt(entries, stmt="S1", day="2026-10-14"))
    import_statements(demo, [before], as_of=DEMO_AS_OF, now=NOW)
    later = tmp_path / "storno.xml"
    returned = "".join(RETURNED.replace("RET-1", f"RET-{n}") for n in range(1, 4))
    later.write_text(camt(returned, stmt="S2", day="2026-10-15"))
    result = import_statements(demo, [later], as_of=DEMO_AS_OF, now=NOW)
    assert (result.files[0].reversals, result.files[0].review) == (2, 1)  # the third: none left
    payments = {r["Bankreferentie"]: r for r in rows(demo, "Betalingen")}
    assert [payments[f"INC-{n}"]["Status"] for n in (1, 2)] == ["Teruggeboekt"] * 2
    assert [payments[f"RET-{n}"]["Status"] for n in (1, 2, 3)] == [
        "Storno",
        "Storno",
        "Te controleren",
    ]
    assert payments["INC-2"]["Reden"].endswith("teruggeboekt op 15-10-2026")
    assert factuur(demo, "2026-0107")["Betaald"] == 0


# --- one bank day read from two formats -------------------------------------------------------


def paid(path, number):
    return next(r for r in rows(path, "Facturen") if r["Factuurnr"] == number)["Betaald"]


def camt_day(amounts: list[str], ibans: list[str]) -> str:
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


def mt940_day(amounts: list[str], ibans: list[str]) -> str:
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
    xml.write_text(camt_day(["847.00"], [JANSEN]))
    sta.write_text(mt940_day(["847.00"], [JANSEN]))
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
    xml.write_text(camt_day(["847.00"], [JANSEN]))
    sta.write_text(mt940_day(["847.00"], [JANSEN]))
    result = import_statements(demo, [xml, sta], as_of=DEMO_AS_OF, now=NOW)
    assert [(f.matched, f.doubles) for f in result.files] == [(1, 0), (0, 1)]
    last = rows(demo, "Betalingen")[-1]
    assert last["Status"] == "Dubbel"
    assert "een eerder bestand van deze inlees (CAMT.053: dag.xml)" in last["Reden"]
    assert paid(demo, "2026-0107") == 847


def test_each_earlier_booking_makes_one_double(demo, tmp_path):
    """Two equal credits on one day, one read before: the other is a new payment."""
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt_day(["400.00"], [JANSEN]))
    sta.write_text(mt940_day(["400.00", "400.00"], [JANSEN, JANSEN]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.files[0].matched) == (1, 1)
    assert [r["Status"] for r in rows(demo, "Betalingen")[-2:]] == ["Dubbel", "Gematcht"]
    assert paid(demo, "2026-0107") == 800


def test_without_an_iban_a_possible_double_is_left_to_the_user(demo, tmp_path):
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt_day(["847.00"], [""]))
    sta.write_text(mt940_day(["847.00"], [""]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    counted = paid(demo, "2026-0107")
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.rows_added) == (1, 1)
    last = rows(demo, "Betalingen")[-1]
    assert last["Status"] == "Te controleren"
    assert last["Reden"].startswith(
        "mogelijk dubbel: dezelfde datum en hetzelfde bedrag (zonder IBAN) als rij"
    )
    assert paid(demo, "2026-0107") == counted


def test_another_day_or_amount_is_no_double(demo, tmp_path):
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt_day(["847.00"], [JANSEN]))
    sta.write_text(mt940_day(["846.99"], [JANSEN]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert second.files[0].doubles == 0
    assert rows(demo, "Betalingen")[-1]["Status"] != "Dubbel"
    shutil.copy(demo, tmp_path / "kopie.xlsx")  # the book stays readable
    service.update(tmp_path / "kopie.xlsx", DEMO_AS_OF, now=NOW)


def test_a_statement_downloaded_twice_in_one_day_makes_no_double(demo, tmp_path):
    """The afternoon's file holds the morning's credit again (same bank reference: already
    read) and a new one of the same amount from the same payer: that one is a payment."""
    morning, afternoon = tmp_path / "ochtend.xml", tmp_path / "middag.xml"
    morning.write_text(
        camt(credit("400.00", "2026-10-14", "R-1", "Factuur 2026-0107"), stmt="1", day="2026-10-14")
    )
    both = credit("400.00", "2026-10-14", "R-1", "Factuur 2026-0107")
    both += credit("400.00", "2026-10-14", "R-2", "Factuur 2026-0107")
    afternoon.write_text(camt(both, stmt="2", day="2026-10-14"))
    import_statements(demo, [morning], as_of=DEMO_AS_OF, now=NOW)
    second = import_statements(demo, [afternoon], as_of=DEMO_AS_OF, now=NOW)
    f = second.files[0]
    assert (f.duplicates, f.doubles, f.matched) == (1, 0, 1)
    assert paid(demo, "2026-0107") == 800


def test_the_same_credit_under_another_reference_of_the_same_format_is_left_to_the_user(
    demo, tmp_path
):
    """Two accounts at one bank, or a file read again after an update changed its references:
    the same format with another reference is not surely a double: Te controleren."""
    first, other = tmp_path / "abn.xml", tmp_path / "ing.xml"
    first.write_text(camt_day(["400.00"], [JANSEN]))
    other.write_text(camt_day(["400.00"], [JANSEN]).replace("CAMT-1", "OTHER-1"))
    import_statements(demo, [first], as_of=DEMO_AS_OF, now=NOW)
    second = import_statements(demo, [other], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.files[0].matched) == (1, 0)
    last = rows(demo, "Betalingen")[-1]
    assert last["Status"] == "Te controleren"
    assert last["Reden"].startswith(
        "mogelijk dubbel: dezelfde datum, hetzelfde bedrag en dezelfde IBAN als rij"
    )
    assert paid(demo, "2026-0107") == 400


def test_a_credit_nobody_linked_that_the_bank_takes_back_is_reversed(demo, tmp_path):
    """A credit to be checked (an unknown payer) and its return in one file: the credit is
    Teruggeboekt and the return a Storno; neither counts, and neither waits for the user."""
    stranger = "NL44RABO0123456789"
    entries = credit("265.00", "2026-10-15", "INC-9", "lidmaatschap", iban=stranger)
    entries += RETURNED.replace("847.00", "265.00").replace(JANSEN, stranger)
    path = tmp_path / "incasso.xml"
    path.write_text(camt(entries, stmt="S9", day="2026-10-15"))
    result = import_statements(demo, [path], as_of=DEMO_AS_OF, now=NOW)
    report = result.files[0]
    assert (report.review, report.reversals, report.taken_back) == (0, 1, 1)
    payments = {r["Bankreferentie"]: r for r in rows(demo, "Betalingen")}
    assert payments["INC-9"]["Status"] == "Teruggeboekt"
    assert (payments["RET-1"]["Status"], payments["RET-1"]["Bedrag"]) == ("Storno", 265)


# --- an MT940 without booking dates next to a CAMT.053 -----------------------------------------
# The entry date (MMDD after the value date in :61:) is optional in MT940 (SWIFT; ASN, SNS and
# Triodos leave it out at times); CAMT.053 gives BookgDt and ValDt. 10-10-2026 is a Saturday.


def camt_dated(credits: list[tuple[str, str, str]], ref: str = "CAMT") -> str:
    """A CAMT.053 with one credit from Jansen per (amount, BookgDt, ValDt)."""
    entries = "".join(
        f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{booked}</Dt></BookgDt><ValDt><Dt>{value}</Dt></ValDt>
<AcctSvcrRef>{ref}-{n}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Jansen en Zonen</Nm>
</Dbtr><DbtrAcct><Id><IBAN>{JANSEN}</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>Factuur 2026-0107</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        for n, (amount, booked, value) in enumerate(credits, start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{entries}
</Stmt></BkToCstmrStmt></Document>"""


def mt940_value_dated(credits: list[tuple[str, str]]) -> str:
    """An MT940 whose :61: lines give the value date (YYMMDD) and no entry date."""
    body = "".join(
        f":61:{value}C{amount.replace('.', ',')}NTRFNONREF//B-{n}\n"
        f":86:/CNTP/{JANSEN}/ABNANL2A/Jansen en Zonen///REMI/USTD//Factuur 2026-0107/\n"
        for n, (amount, value) in enumerate(credits, start=1)
    )
    closing = f"{1000 + sum(float(a) for a, _ in credits):.2f}".replace(".", ",")
    return (
        f":20:B261014\n:25:{OWN_IBAN}\n:28C:1/1\n:60F:C261009EUR1000,00\n{body}"
        f":62F:C261014EUR{closing}\n-\n"
    )


def test_an_mt940_without_booking_date_after_a_camt_of_the_weekend_is_held(demo, tmp_path):
    """The credit of Saturday 10-10 that the bank booked on Monday 12-10: CAMT.053 says
    BookgDt 12-10, the MT940 only the value date 10-10. Not counted again: Te controleren."""
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt_dated([("847.00", "2026-10-12", "2026-10-10")]))
    sta.write_text(mt940_value_dated([("847.00", "261010")]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    first_row = len(rows(demo, "Betalingen")) + 1
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.files[0].matched, second.rows_added) == (1, 0, 1)
    last = rows(demo, "Betalingen")[-1]
    assert (last["Status"], last["Bedrag"], last["Datum"].date()) == (
        "Te controleren",
        847,
        datetime(2026, 10, 10).date(),
    )
    assert last["Reden"] == (
        f"mogelijk dubbel: hetzelfde bedrag en dezelfde IBAN als rij {first_row} (CAMT.053: "
        "dag.xml), op 12-10-2026, uit een ander soort afschrift; dit afschrift geeft geen "
        "boekdatum, alleen de valutadatum 10-10-2026. Is het dezelfde betaling, zet de status "
        "dan op Dubbel, anders koppel haar"
    )
    assert paid(demo, "2026-0107") == 847  # counted once


def test_a_camt_after_an_mt940_without_booking_date_is_held_by_its_value_date(demo, tmp_path):
    sta, xml = tmp_path / "dag.sta", tmp_path / "dag.xml"
    sta.write_text(mt940_value_dated([("847.00", "261010")]))
    xml.write_text(camt_dated([("847.00", "2026-10-12", "2026-10-10")]))
    result = import_statements(demo, [sta, xml], as_of=DEMO_AS_OF, now=NOW)
    assert [(f.matched, f.doubles) for f in result.files] == [(1, 0), (0, 1)]
    last = rows(demo, "Betalingen")[-1]
    assert last["Status"] == "Te controleren"
    assert last["Reden"].startswith(
        "mogelijk dubbel: hetzelfde bedrag en dezelfde IBAN als een eerder bestand van deze "
        "inlees (MT940: dag.sta), op 10-10-2026, uit een ander soort afschrift; deze "
        "bijschrijving heeft valutadatum 10-10-2026 en boekdatum 12-10-2026"
    )
    assert paid(demo, "2026-0107") == 847


def test_equal_payments_on_neighbouring_days_never_vanish(demo, tmp_path):
    """Jansen pays 200 on Saturday 10-10 and again on Monday 12-10; the CAMT.053 of Monday was
    read. In the MT940 without booking dates Monday's credit is the double (its own day);
    Saturday's may be a second payment: Te controleren, never Dubbel. Two payments on two open
    days in a row (13-10 and 14-10) are no possible double at all."""
    xml, sta = tmp_path / "ma.xml", tmp_path / "week.sta"
    xml.write_text(camt_dated([("200.00", "2026-10-12", "2026-10-12")]))
    sta.write_text(mt940_value_dated([("200.00", "261010"), ("200.00", "261012")]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    saturday, monday = rows(demo, "Betalingen")[-2:]
    assert (saturday["Status"], monday["Status"]) == ("Te controleren", "Dubbel")
    assert saturday["Reden"].startswith("mogelijk dubbel: ")
    assert paid(demo, "2026-0107") == 200
    tuesday, wednesday = tmp_path / "di.xml", tmp_path / "wo.sta"
    tuesday.write_text(camt_dated([("150.00", "2026-10-13", "2026-10-13")], ref="DI"))
    wednesday.write_text(mt940_value_dated([("150.00", "261014")]).replace("B-1", "W-1"))
    import_statements(demo, [tuesday], as_of=DEMO_AS_OF, now=NOW)
    later = import_statements(demo, [wednesday], as_of=DEMO_AS_OF, now=NOW)
    assert (later.files[0].doubles, later.files[0].matched) == (0, 1)
    assert paid(demo, "2026-0107") == 500


def test_a_storno_of_a_credit_in_the_same_file_names_it(demo, tmp_path):
    """The credit and its return in one file: the credit is Teruggeboekt and the storno says
    which payment it took back (it said 'niet gevonden' while it had found it)."""
    xml = tmp_path / "week.xml"
    entries = credit("847.00", "2026-10-14", "R-1", "Factuur 2026-0107") + RETURNED
    xml.write_text(camt(entries, stmt="W1", day="2026-10-15"))
    result = import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    assert result.files[0].reversals == 1
    paid_row, storno = rows(demo, "Betalingen")[-2:]
    assert (paid_row["Status"], storno["Status"]) == ("Teruggeboekt", "Storno")
    assert storno["Reden"] == (
        "storno (terugboeking) van de betaling van 14-10-2026 uit deze inlees; die staat nu op "
        "Teruggeboekt"
    )
    assert paid_row["Reden"].endswith("; teruggeboekt op 15-10-2026")


def test_a_statement_of_a_dollar_account_shows_dollars():
    from debiteuren.payments import StatementSummary
    from debiteuren.service.reports import _statement_line

    usd = StatementSummary(
        label="afschrift 7",
        account="NL91ABNA0417164300",
        currency="USD",
        day=datetime(2026, 10, 14).date(),
        credits=1,
        credit_total=Decimal("847.00"),
        opening=Decimal("0"),
        closing=Decimal("847.00"),
    )
    assert _statement_line(usd) == (
        "  afschrift 7 van 14-10-2026 (NL91ABNA0417164300): 1 bijschrijving USD 847,00, "
        "0 afschrijvingen USD 0,00; begin- en eindsaldo kloppen."
    )
    assert "€ 847,00" in _statement_line(replace(usd, currency="EUR"))


def test_own_returns_of_a_statement_are_counted_in_good_dutch():
    from debiteuren.payments import StatementSummary
    from debiteuren.service.reports import _statement_line

    one = StatementSummary(
        label="afschrift 7",
        account="NL91ABNA0417164300",
        currency="EUR",
        day=datetime(2026, 10, 14).date(),
        credits=2,
        credit_total=Decimal("150.00"),
        returned=1,
        returned_total=Decimal("100.00"),
    )
    assert "; 1 eigen terugboeking (€ 100,00) telt niet als betaling" in _statement_line(one)
    two = replace(one, returned=2, returned_total=Decimal("150.00"))
    assert "; 2 eigen terugboekingen (€ 150,00) tellen niet als betaling" in _statement_line(two)


def without_iban(amount: str, day: str, ref: str, name: str, *, reversal: bool = False) -> str:
    """A CAMT.053 entry whose party has a name and no account (a cash deposit, an old
    transfer): a credit, or a reversal of one (DBIT with RvslInd)."""
    mark = "DBIT</CdtDbtInd><RvslInd>true</RvslInd>" if reversal else "CRDT</CdtDbtInd>"
    return f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{mark}<Sts>BOOK</Sts>
<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls>
<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>Factuur 2026-0107</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""


@pytest.mark.parametrize(
    ("payer", "status", "counted"),
    [("Iemand Anders", "Te controleren", 847), (" JANSEN en  ZONEN ", "Storno", 0)],
)
def test_a_storno_without_an_iban_takes_back_only_a_payment_of_that_name(
    demo, tmp_path, payer, status, counted
):
    """Jansen's credit came without an IBAN; a storno of the same amount without an IBAN from
    someone else took it back (the invoice reopened and Jansen would get a reminder)."""
    paid_in, storno = tmp_path / "di.xml", tmp_path / "wo.xml"
    paid_in.write_text(
        camt(
            without_iban("847.00", "2026-10-14", "N-1", "Jansen en Zonen"),
            stmt="1",
            day="2026-10-14",
        )
    )
    storno.write_text(
        camt(
            without_iban("847.00", "2026-10-15", "N-2", payer, reversal=True),
            stmt="2",
            day="2026-10-15",
        )
    )
    import_statements(demo, [paid_in], as_of=DEMO_AS_OF, now=NOW)
    assert paid(demo, "2026-0107") == 847
    import_statements(demo, [storno], as_of=DEMO_AS_OF, now=NOW)
    first, last = rows(demo, "Betalingen")[-2:]
    assert last["Status"] == status
    assert first["Status"] == ("Gematcht" if counted else "Teruggeboekt")
    assert paid(demo, "2026-0107") == counted


def test_with_two_own_accounts_the_other_format_is_only_a_possible_double(demo, tmp_path):
    """A CAMT.053 of one account and an MT940 of the other can hold two payments of the same
    amount from the same customer on one day: Betalingen does not say on which account the
    first was booked, so the second is Te controleren, not Dubbel (and not counted)."""
    book = openpyxl.load_workbook(demo)
    sheet = book["Instellingen"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "Andere eigen rekeningen (IBAN)")
    row[1].value = "NL20INGB0001234567"
    book.save(demo)
    xml, sta = tmp_path / "dag.xml", tmp_path / "dag.sta"
    xml.write_text(camt_day(["400.00"], [JANSEN]))
    sta.write_text(mt940_day(["400.00"], [JANSEN]))
    import_statements(demo, [xml], as_of=DEMO_AS_OF, now=NOW)
    first_row = len(rows(demo, "Betalingen")) + 1
    second = import_statements(demo, [sta], as_of=DEMO_AS_OF, now=NOW)
    assert (second.files[0].doubles, second.files[0].matched) == (1, 0)
    last = rows(demo, "Betalingen")[-1]
    assert (last["Status"], last["Reden"]) == (
        "Te controleren",
        "mogelijk dubbel: dezelfde datum, hetzelfde bedrag en dezelfde IBAN als rij "
        f"{first_row} (CAMT.053: dag.xml), uit een ander soort afschrift; met meer dan één eigen "
        "rekening (Instellingen) kan het ook een betaling op een andere rekening zijn; is het "
        "dezelfde betaling, zet de status dan op Dubbel, anders koppel haar",
    )
    assert paid(demo, "2026-0107") == 400


def reversal(amount: str, day: str, ref: str) -> str:
    """A CAMT.053 reversal (DBIT with RvslInd) of a credit from Jansen."""
    return credit(amount, day, ref, "Factuur 2026-0107").replace(
        "<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>"
    )


def test_a_storno_listed_before_its_credit_still_takes_it_back(demo, tmp_path):
    """Entries of one day in another order: the credit was counted and the storno found
    nothing ('niet gevonden'), so the invoice stood paid by money that went back."""
    day = tmp_path / "dag.xml"
    entries = reversal("847.00", "2026-10-14", "R-1") + credit(
        "847.00", "2026-10-14", "C-1", "Factuur 2026-0107"
    )
    day.write_text(camt(entries, stmt="D1", day="2026-10-14"))
    result = import_statements(demo, [day], as_of=DEMO_AS_OF, now=NOW)
    report = result.files[0]
    assert (report.matched, report.reversals, report.taken_back) == (0, 1, 1)
    payments = {r["Bankreferentie"]: r for r in rows(demo, "Betalingen")}
    assert (payments["C-1"]["Status"], payments["R-1"]["Status"]) == ("Teruggeboekt", "Storno")
    assert paid(demo, "2026-0107") == 0


def test_a_storno_takes_back_this_months_payment_not_last_months(demo, tmp_path):
    """The same direct debit every month: last month's is in Betalingen, this month's and
    its return come in one file. The return took back last month's payment."""
    last_month, today = tmp_path / "sep.xml", tmp_path / "okt.xml"
    last_month.write_text(
        camt(
            credit("200.00", "2026-09-14", "SEP-1", "Factuur 2026-0107"), stmt="9", day="2026-09-14"
        )
    )
    entries = credit("200.00", "2026-10-14", "OKT-1", "Factuur 2026-0107")
    entries += reversal("200.00", "2026-10-15", "OKT-R")
    today.write_text(camt(entries, stmt="10", day="2026-10-15"))
    import_statements(demo, [last_month], as_of=DEMO_AS_OF, now=NOW)
    import_statements(demo, [today], as_of=DEMO_AS_OF, now=NOW)
    payments = {r["Bankreferentie"]: r for r in rows(demo, "Betalingen")}
    assert [payments[ref]["Status"] for ref in ("SEP-1", "OKT-1", "OKT-R")] == [
        "Gematcht",
        "Teruggeboekt",
        "Storno",
    ]
    assert paid(demo, "2026-0107") == 200


def _batch_detail(amount: str, name: str, iban: str, text: str, back: bool = False) -> str:
    returned = "<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>" if back else ""
    return (
        f'<TxDtls><Refs><EndToEndId>E-{amount}</EndToEndId></Refs><Amt Ccy="EUR">{amount}</Amt>'
        f"<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id>"
        f"</DbtrAcct></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>{returned}</TxDtls>"
    )


@pytest.mark.parametrize("copies", [1, 3])  # three: the later ones are read by their shape
def test_a_transfer_of_ours_that_came_back_in_a_batch_of_credits_is_no_customer_payment(
    demo, tmp_path, copies
):
    """A credit batch (one entry, several TxDtls) with the customers' payments and a transfer
    of ours that the bank returned (RtrInf: account closed): before, the return became a line
    to check like a customer's payment; now only the customers' credits are lines, and the
    statement's report counts our own money back."""
    entries = []
    for n in range(copies):
        details = (
            _batch_detail("847.00", "Jansen en Zonen", JANSEN, "Factuur 2026-0107")
            + _batch_detail("120.00", "Leverancier BV", "NL69INGB0123456789", "Retour", back=True)
            + _batch_detail("10.00", "Onbekend", "NL20INGB0001234567", "Gift")
        )
        entries.append(
            f"""<Ntry><Amt Ccy="EUR">977.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-1{n}</Dt></BookgDt><AcctSvcrRef>BATCH-{n}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls>{details}</NtryDtls></Ntry>"""
        )
    path = tmp_path / "batch.xml"
    path.write_text(camt("".join(entries), stmt="S1", day="2026-10-14"))
    result = import_statements(demo, [path], as_of=DEMO_AS_OF, now=NOW)
    summary = result.files[0].statements[0]
    assert (summary.returned, summary.returned_total) == (copies, Decimal("120.00") * copies)
    lines = [r for r in rows(demo, "Betalingen") if str(r["Bankreferentie"]).startswith("BATCH")]
    assert sorted(r["Bedrag"] for r in lines) == sorted([847, 10] * copies)
    assert not [r for r in lines if r["Bedrag"] == 120]
