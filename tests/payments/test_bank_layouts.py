"""Statement layouts from real banks that were read wrongly: placeholder references, returned
direct debits, Rabobank's creditor reference, text wrapped at 65 columns, old CAMT versions.

Every file here is written in the layout the bank publishes (cited per builder); the names,
accounts and amounts are invented, the references made with :mod:`debiteuren.core.references`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import payment_fixtures as pf
import pytest

from debiteuren.core.references import find_references, nl_payment_reference, rf_reference
from debiteuren.payments import (
    StatementError,
    parse_statement,
    parse_statement_file,
    read_statement,
    read_statement_file,
)
from debiteuren.payments.lines import _stable_key
from debiteuren.payments.matching import MatchStatus, OpenInvoice, match_payments
from debiteuren.payments.mt940 import parse_details

FIXTURES = Path(__file__).parent / "fixtures"

OURS = "NL91ABNA0417164300"
DE_VRIES = "NL44RABO0123456789"
VAN_DAM = "NL20INGB0001234567"
JANSEN = "NL81RABO0312345678"
OBRIEN = "NL02ABNA0123456789"
KENMERK_0119 = nl_payment_reference("2026-0119")  # 7000000020260119
RF_0113 = rf_reference("2026-0113")  # RF1420260113
RF_0095 = rf_reference("2026-0095")  # RF1520260095


# --- CAMT.053 --------------------------------------------------------------------------------


def camt(entries: str, *, opening: str, closing: str, day: str, stmt: str = "S1") -> bytes:
    """A camt.053.001.02 statement of our account with the given ``<Ntry>`` elements."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt><GrpHdr><MsgId>{stmt}</MsgId><CreDtTm>{day}T20:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{stmt}</Id><Acct><Id><IBAN>{OURS}</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{opening}</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing}</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
{entries}
</Stmt></BkToCstmrStmt></Document>""".encode()


def dk_entry(amount: str, day: str, name: str, iban: str, text: str, ref: str = "NONREF") -> str:
    """An entry as German banks write it (Deutsche Kreditwirtschaft camt.053 guide): the same
    placeholder in every ``AcctSvcrRef``, a proprietary transaction code, the bank's own id in
    ``Refs/Prtry``."""
    account_servicer = f"<AcctSvcrRef>{ref}</AcctSvcrRef>" if ref is not None else ""
    return f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>{account_servicer}
<BkTxCd><Prtry><Cd>NTRF+166+9310+997</Cd><Issr>DK</Issr></Prtry></BkTxCd>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>{ref}</AcctSvcrRef><Prtry><Tp>FI-UMSATZ-ID</Tp>
<Ref>{day}-09.25.19.222641</Ref></Prtry></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>
</RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""


@pytest.mark.parametrize(
    "placeholder", ["NONREF", "NOTPROVIDED", "NOT PROVIDED", "nonref", "n/a", "0000000000", ""]
)
def test_camt_placeholder_account_servicer_reference_is_no_bank_reference(placeholder):
    day1 = camt(
        dk_entry(
            "2904.00", "2026-10-15", "Jansen en Zn BV", JANSEN, "Rechnung 2026-0073", placeholder
        ),
        opening="1000.00",
        closing="3904.00",
        day="2026-10-15",
    )
    day2 = camt(
        dk_entry(
            "6050.00",
            "2026-10-16",
            "Bouwbedrijf Van Dam BV",
            VAN_DAM,
            "Rechnung 2026-0110",
            placeholder,
        ),
        opening="3904.00",
        closing="9954.00",
        day="2026-10-16",
        stmt="S2",
    )
    [first] = parse_statement(day1, source="umsatz-1015.xml")
    [second] = parse_statement(day2, source="umsatz-1016.xml")
    assert (second.booking_date, second.amount, second.counterparty_iban) == (
        date(2026, 10, 16),
        Decimal("6050.00"),
        VAN_DAM,
    )
    # the stable content key, as for an entry without AcctSvcrRef
    assert first.bank_reference.startswith("CAMT-20261015-")
    assert second.bank_reference.startswith("CAMT-20261016-")
    # the day-2 payment is new money, not "already imported"
    [match] = match_payments([second], [], imported_references={first.bank_reference})
    assert match.status is not MatchStatus.DUPLICATE
    # the same file read again gives the same keys, so a second import is recognised
    assert (
        parse_statement(day2, source="umsatz-1016.xml")[0].bank_reference == second.bank_reference
    )


def test_camt_two_placeholder_entries_of_one_day_keep_apart():
    entries = dk_entry("100.00", "2026-10-16", "A BV", JANSEN, "2026-0001") + dk_entry(
        "100.00", "2026-10-16", "A BV", JANSEN, "2026-0001"
    )
    data = camt(entries, opening="0.00", closing="200.00", day="2026-10-16")
    lines = parse_statement(data, source="umsatz.xml")
    references = [line.bank_reference for line in lines]
    assert len(set(references)) == 2
    assert not any("NONREF" in reference for reference in references)


def test_camt_placeholder_on_a_batch_is_not_numbered():
    batch = f"""<Ntry><Amt Ccy="EUR">354.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-16</Dt></BookgDt><AcctSvcrRef>NONREF</AcctSvcrRef><NtryDtls>
<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">265.00</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>P de
Vries</Nm></Dbtr><DbtrAcct><Id><IBAN>{DE_VRIES}</IBAN></Id></DbtrAcct></RltdPties></TxDtls>
<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">89.00</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>M
OBrien</Nm></Dbtr><DbtrAcct><Id><IBAN>{OBRIEN}</IBAN></Id></DbtrAcct></RltdPties></TxDtls>
</NtryDtls></Ntry>"""
    lines = parse_statement(
        camt(batch, opening="0", closing="354.00", day="2026-10-16"), source="b"
    )
    assert [(str(line.amount), line.bank_reference[:14]) for line in lines] == [
        ("265.00", "CAMT-20261016-"),
        ("89.00", "CAMT-20261016-"),
    ]


# A SEPA direct debit we collected (ISO family IDDT, sub-family ESDD, a batch of two) and the
# debtor bank's return of one of them: a debit, family IDDT, sub-family UPDD "reversal due to
# return/unpaid direct debit", with the return reason in TxDtls/RtrInf and no RvslInd.
COLLECTION = f"""<Ntry><Amt Ccy="EUR">354.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-16</Dt></BookgDt><ValDt><Dt>2026-10-16</Dt></ValDt>
<AcctSvcrRef>INC-0001</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><Btch><NbOfTxs>2</NbOfTxs><TtlAmt Ccy="EUR">354.00</TtlAmt></Btch>
<TxDtls><Refs><EndToEndId>INC-2026-0119</EndToEndId><MndtId>M-K002</MndtId></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">265.00</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>P de Vries</Nm></Dbtr><DbtrAcct><Id><IBAN>{DE_VRIES}</IBAN></Id></DbtrAcct>
</RltdPties><RmtInf><Ustrd>Factuur 2026-0119</Ustrd></RmtInf></TxDtls>
<TxDtls><Refs><EndToEndId>INC-2026-0116</EndToEndId><MndtId>M-K004</MndtId></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">89.00</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>M OBrien</Nm></Dbtr><DbtrAcct><Id><IBAN>{OBRIEN}</IBAN></Id></DbtrAcct>
</RltdPties><RmtInf><Ustrd>Factuur 2026-0116</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""


def debit_entry(code: str, return_info: str, *, amount: str = "265.00") -> str:
    """A debit of ``amount`` to P de Vries with a bank transaction code and return info."""
    return f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-19</Dt></BookgDt><ValDt><Dt>2026-10-19</Dt></ValDt>
<AcctSvcrRef>RET-0001</AcctSvcrRef>{code}<NtryDtls><TxDtls>
<Refs><EndToEndId>INC-2026-0119</EndToEndId></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>P de Vries</Nm></Dbtr><DbtrAcct><Id><IBAN>{DE_VRIES}</IBAN></Id></DbtrAcct>
<Cdtr><Nm>Fotostudio Licht</Nm></Cdtr><CdtrAcct><Id><IBAN>{OURS}</IBAN></Id></CdtrAcct>
</RltdPties><RmtInf><Ustrd>Factuur 2026-0119</Ustrd></RmtInf>{return_info}</TxDtls>
</NtryDtls></Ntry>"""


def code(family: str, sub_family: str) -> str:
    return (
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub_family}</SubFmlyCd>"
        "</Fmly></Domn></BkTxCd>"
    )


RETURN_INFO = "<RtrInf><Rsn><Cd>MS02</Cd></Rsn></RtrInf>"


@pytest.mark.parametrize(
    ("bank_code", "return_info"),
    [
        (code("IDDT", "UPDD"), RETURN_INFO),  # returned direct debit, as Dutch banks report it
        (code("IDDT", "UPDD"), ""),  # the sub-family alone
        (code("IDDT", "PRDD"), ""),  # reversal of a collection by our bank
        (code("RCDT", "RRTN"), ""),  # a received transfer booked back
        ("", RETURN_INFO),  # return information alone
    ],
)
def test_camt_returned_direct_debit_is_a_reversal(bank_code, return_info):
    data = camt(
        COLLECTION + debit_entry(bank_code, return_info),
        opening="27202.33",
        closing="27291.33",
        day="2026-10-19",
    )
    lines = parse_statement(data, source="afschrift.xml")
    assert [(str(line.amount), line.is_reversal, line.counterparty_iban) for line in lines] == [
        ("265.00", False, DE_VRIES),
        ("89.00", False, OBRIEN),
        ("265.00", True, DE_VRIES),
    ]
    storno = lines[-1]
    # marked exactly as a RvslInd reversal: positive amount, the payer's name and IBAN
    assert (storno.booking_date, storno.counterparty_name, storno.remittance) == (
        date(2026, 10, 19),
        "P de Vries",
        "Factuur 2026-0119",
    )
    assert storno.bank_reference == "RET-0001"


def test_camt_returned_direct_debit_reads_like_a_reversal_indicator():
    by_code = parse_statement(
        camt(
            debit_entry(code("IDDT", "UPDD"), RETURN_INFO),
            opening="265",
            closing="0",
            day="2026-10-19",
        ),
        source="a.xml",
    )
    by_indicator = parse_statement(
        camt(
            debit_entry("<RvslInd>true</RvslInd>", ""),
            opening="265",
            closing="0",
            day="2026-10-19",
        ),
        source="a.xml",
    )
    assert by_code == by_indicator


def test_camt_our_own_debits_stay_skipped():
    # a transfer we made (ICDT/ESCT) and a direct debit collected from us (RDDT/ESDD)
    data = camt(
        debit_entry(code("ICDT", "ESCT"), "") + debit_entry(code("RDDT", "ESDD"), ""),
        opening="530.00",
        closing="0.00",
        day="2026-10-19",
    )
    file = parse_statement_file(data, source="a.xml")
    assert file.lines == []
    assert (file.statements[0].debits, file.statements[0].debit_total) == (2, Decimal("530.00"))


def test_camt_batch_of_returns_gives_one_storno_per_return():
    returns = f"""<Ntry><Amt Ccy="EUR">354.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-19</Dt></BookgDt><AcctSvcrRef>RET-0002</AcctSvcrRef>{code("IDDT", "UPDD")}
<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">265.00</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>P de Vries</Nm></Dbtr><DbtrAcct><Id><IBAN>{DE_VRIES}</IBAN></Id></DbtrAcct>
</RltdPties>{RETURN_INFO}</TxDtls>
<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">89.00</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>M OBrien</Nm></Dbtr><DbtrAcct><Id><IBAN>{OBRIEN}</IBAN></Id></DbtrAcct>
</RltdPties><RtrInf><Rsn><Cd>AM04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>"""
    lines = parse_statement(
        camt(returns, opening="354", closing="0", day="2026-10-19"), source="r.xml"
    )
    assert [
        (str(x.amount), x.is_reversal, x.counterparty_iban, x.bank_reference) for x in lines
    ] == [
        ("265.00", True, DE_VRIES, "RET-0002/1"),
        ("89.00", True, OBRIEN, "RET-0002/2"),
    ]


def test_camt_the_first_version_is_named_and_refused():
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.01"><BkToCstmrStmtV01>
<GrpHdr><MsgId>V1</MsgId><CreDtTm>2026-10-16T20:00:00</CreDtTm></GrpHdr>
<Stmt><Id>V1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>
<Bal><Tp><Cd>OPBD</Cd></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Dt><Dt>2026-10-16</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">265.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-16</Dt></BookgDt><TxDtls><RmtInf><Ustrd>2026-0119</Ustrd></RmtInf>
</TxDtls></Ntry></Stmt></BkToCstmrStmtV01></Document>"""
    with pytest.raises(StatementError) as caught:
        parse_statement(data, source="oud.xml")
    error = caught.value
    assert error.where == "element Document/BkToCstmrStmtV01"
    assert "camt.053.001.01" in error.problem and "versie 001.02 of nieuwer" in error.problem
    assert str(error).startswith("Bankafschrift 'oud.xml' (element Document/BkToCstmrStmtV01)")


def test_camt_an_e_invoice_is_named_at_its_root():
    ubl = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>2026-0137</cbc:ID><cbc:IssueDate>2026-10-01</cbc:IssueDate></Invoice>"""
    with pytest.raises(StatementError) as caught:
        parse_statement(ubl, source="factuur-2026-0137.xml")
    assert caught.value.where == "element Invoice"
    assert caught.value.problem.startswith("dit is een e-factuur (UBL), geen rekeningafschrift")
    assert "'debiteuren facturen'" in caught.value.problem
    other = b'<?xml version="1.0"?><html><body>afschrift</body></html>'
    with pytest.raises(StatementError) as caught:
        parse_statement(other, source="pagina.xml")
    assert caught.value.where == "element html"
    assert "BkToCstmrStmt ontbreekt" in caught.value.problem


# --- MT940 -----------------------------------------------------------------------------------


def wrapped(text: str, width: int = 65) -> str:
    """A ``:86:`` field cut at ``width`` characters a line, as ING and Rabobank write it."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def ing(bookings: list[tuple[str, str]], *, opening: str, closing: str) -> bytes:
    """An ING (Mijn ING Zakelijk / InsideBusiness Payments) structured MT940 statement, as in
    ING's "Structured MT940 format description" example: ``:61:`` with the ING transaction
    code on its second line, ``:86:`` with code words, cut at 65 characters."""
    body = "".join(f":61:{entry}\n:86:{wrapped(details)}\n" for entry, details in bookings)
    return (
        "{1:F01INGBNL2ABXXX0000000000}\n{2:I940INGBNL2AXXXN}\n{4:\n:20:P261019000000001\n"
        f":25:{OURS}EUR\n:28C:00000\n:60F:C261016EUR{opening}\n{body}"
        f":62F:C261019EUR{closing}\n-}}\n"
    ).encode()


COLLECTED = (
    "2610161016C265,00NDDTEREF//00000000001008\n/TRCD/01000/",
    f"/EREF/INC-2026-0119//MARF/M-K002//CSID/NL32ZZZ999999991234//CNTP/{DE_VRIES}/"
    "RABONL2U/P de Vries///REMI/USTD//Factuur 2026-0119/",
)
RETURNED = (
    "2610191019D265,00NRTIEREF//00000000001010\n/TRCD/01315/",
    f"/RTRN/MS03//EREF/INC-2026-0119//MARF/M-K002//CSID/NL32ZZZ999999991234//CNTP/{DE_VRIES}/"
    "RABONL2U/P de Vries///REMI/USTD//Factuur 2026-0119/",
)


def test_mt940_ing_returned_direct_debit_is_a_reversal():
    # ING: transaction type NRTI ("stornering"), ING code 01315 (SEPA direct debit refund),
    # /RTRN/ with the ISO reason MS03, on a D entry
    data = ing([COLLECTED, RETURNED], opening="100,00", closing="100,00")
    file = parse_statement_file(data, source="ing.sta")
    assert [
        (x.booking_date, str(x.amount), x.is_reversal, x.counterparty_name, x.counterparty_iban)
        for x in file.lines
    ] == [
        (date(2026, 10, 16), "265.00", False, "P de Vries", DE_VRIES),
        (date(2026, 10, 19), "265.00", True, "P de Vries", DE_VRIES),
    ]
    assert file.lines[1].remittance == "Factuur 2026-0119"
    assert (file.statements[0].debits, file.statements[0].returned) == (1, 0)


def test_mt940_ing_returned_credit_transfer_of_ours_stays_no_payment():
    # the C entry with /RTRN/: a transfer we sent, booked back to us
    ours = (
        "2610191019C15,00NRTIEREF//00000000001007\n/TRCD/00190/",
        f"/RTRN/AC04//EREF/OUT-77//CNTP/{VAN_DAM}/INGBNL2A/Van Dam///REMI/USTD//retour/",
    )
    file = parse_statement_file(ing([ours], opening="0,00", closing="15,00"), source="i.sta")
    assert file.lines == []
    assert (file.statements[0].returned, file.statements[0].returned_total) == (1, Decimal(15))


def ing_unstructured(bookings: list[tuple[str, str]], *, closing: str) -> bytes:
    """ING InsideBusiness Payments unstructured MT940 (ING's "IBP Structured and Unstructured
    MT940" description): ``:86:`` is "IBAN BIC name end-to-end remittance", cut at 65; a
    returned payment starts with its ISO return reason."""
    body = "".join(f":61:{entry}\n:86:{wrapped(details)}\n" for entry, details in bookings)
    return (
        "0000 01INGBNL2AXXXX00001\n0000 01INGBNL2AXXXX00001\n940 00\n:20:ING\n"
        f":25:{OURS}EUR\n:28C:1\n:60F:C261016EUR0,00\n{body}:62F:{closing}\n-XXX\n"
    ).encode()


def test_mt940_ing_a_counterparty_name_with_a_slash_is_read_whole():
    """ING's /CNTP/ is account/BIC/name/city: a name with a slash in it gave five parts, and
    the name was cut at the slash ('Jansen', the city 'De Vries VOF'). The line keeps the key
    it had (a file read before is not read again as new)."""
    paid = (
        "2610161016C121,00NTRFEREF//00000000001001\n/TRCD/00100/",
        f"/EREF/NOTPROVIDED//CNTP/{DE_VRIES}/RABONL2U/Jansen/De Vries VOF/UTRECHT///REMI/USTD//"
        "Factuur 2026-0120/",
    )
    [line] = parse_statement(ing([paid], opening="0,00", closing="121,00"), source="i.sta")
    assert (line.counterparty_name, line.counterparty_iban, line.remittance) == (
        "Jansen/De Vries VOF",
        DE_VRIES,
        "Factuur 2026-0120",
    )
    # read before as the name 'Jansen' (the same key as a payer of that name)
    cut = (paid[0], paid[1].replace("Jansen/De Vries VOF", "Jansen"))
    [before] = parse_statement(ing([cut], opening="0,00", closing="121,00"), source="i.sta")
    assert before.counterparty_name == "Jansen"
    assert line.bank_reference == before.bank_reference


def test_mt940_ing_unstructured_returns_are_no_customer_payments():
    sent = ("2610161016D40,00NNOVEREF", f"{VAN_DAM} INGBNL2A Van Dam BV E2E-1 huur oktober")
    back = ("2610191019C40,00NNOVEREF", f"AC04 {VAN_DAM} INGBNL2A Van Dam BV E2E-1 huur oktober")
    paid = ("2610161016C89,00NNOVEREF", f"{OBRIEN} ABNANL2A M OBrien E2E-2 factuur 2026-0116")
    refund = ("2610191019D89,00NNOVEREF", f"MD06 {OBRIEN} ABNANL2A M OBrien E2E-2 2026-0116")
    data = ing_unstructured([sent, back, paid, refund], closing="C261019EUR0,00")
    file = parse_statement_file(data, source="ibp.sta")
    assert [(str(x.amount), x.is_reversal, x.counterparty_iban) for x in file.lines] == [
        ("89.00", False, OBRIEN),
        ("89.00", True, OBRIEN),
    ]
    assert (file.statements[0].returned, file.statements[0].returned_total) == (1, Decimal(40))


def test_mt940_ing_unstructured_payer_iban_leads_the_text():
    # ING's unstructured :86: of a SEPA booking: "IBAN BIC name [NOTPROVIDED] text" (ING IBP
    # MT940 description; zilverline/mt940 ing_structured.txt, failing.txt)
    paid = ("2610161016C89,00NNOVEREF", f"{OBRIEN} ABNANL2A M OBrien E2E-2 factuur 2026-0116")
    typed = ("2610161016C5,00NNOVNONREF", f"{OBRIEN[:-1]}8 ABNANL2A M OBrien bad check digits")
    ours = ("2610161016C10,00NNOVNONREF", f"{OURS} ABNANL2A eigen overboeking")
    old = ("2610161016C1,00NNOVNONREF", "0111111111 J. JANSEN FACTUUR 2010-17")
    data = ing_unstructured([paid, typed, ours, old], closing="C261016EUR105,00")
    file = parse_statement_file(data, source="ibp.sta")
    assert [(str(x.amount), x.counterparty_iban) for x in file.lines] == [
        ("89.00", OBRIEN),
        ("5.00", ""),
        ("10.00", ""),
        ("1.00", ""),
    ]
    assert file.lines[0].remittance == f"{OBRIEN} ABNANL2A M OBrien E2E-2 factuur 2026-0116"
    # the key the booking had when the IBAN was not read: a file read before is not read again
    assert file.lines[0].bank_reference == "MT940-20261016-6a95a59f7a94b1cd"


def test_mt940_ing_unstructured_first_line_cut_after_the_tag_is_joined_without_a_space(
    monkeypatch,
):
    # ING cuts the file's line at 65 characters, so the field's first line holds 61 after the
    # tag ":86:" and the text goes on inside a word or reference on the next line
    text = f"{OBRIEN} ABNANL2A M OBrien E2E-3 display kenmerk {RF_0095} dank u"
    first, rest = text[:61], text[61:]
    assert first.endswith("kenmerk RF") and rest.startswith("1520260095 dank")
    body = f":61:2610161016C89,00NNOVEREF\n:86:{first}\n{rest}\n"
    data = ing_unstructured([], closing="C261016EUR89,00").replace(
        b":62F:", body.encode() + b":62F:"
    )
    assert max(len(x) for x in data.decode().splitlines()) == 65
    [line] = parse_statement(data, source="ibp.sta")
    assert line.remittance == text
    assert (line.counterparty_iban, line.structured_reference) == (OBRIEN, "")
    assert [found.value for found in find_references(line.remittance)] == [RF_0095]
    # read with a space after the first line before: the booking keeps the key it had then
    from debiteuren.payments import mt940

    read_text = mt940._read_text
    monkeypatch.setattr(mt940, "_read_text", lambda info, **_: read_text(info, first_width=65))
    [before] = parse_statement(data, source="ibp.sta")
    assert before.remittance == f"{first} {rest}"
    assert before.bank_reference == line.bank_reference


def test_mt940_a_first_line_of_61_that_ends_in_a_space_keeps_its_words_apart():
    info = "Betaling showroomdisplays".ljust(61) + "\nklantnr K009"
    assert parse_details(info).remittance == "Betaling showroomdisplays klantnr K009"


def rabobank(bookings: list[tuple[str, str]], *, opening: str, closing: str) -> bytes:
    """A Rabobank "MT940 Structured" statement (Rabobank's format description; the creditor
    reference layout as in tryton/mt940 ``test_long_tags``): ``:61:`` with the payer's IBAN on
    its second line, ``:86:`` code words cut at 65 characters."""
    body = "".join(f":61:{entry}\n:86:{wrapped(details)}\n" for entry, details in bookings)
    return (
        f":940:\n:20:940S261016\n:25:{OURS} EUR\n:28C:00289/1\n:60F:C261016EUR{opening}\n"
        f"{body}:62F:C261016EUR{closing}\n"
    ).encode()


def test_mt940_rabobank_creditor_reference_is_the_structured_reference():
    kenmerk = (
        f"261016C265,00N541EREF\n{DE_VRIES}",
        "/EREF/NOTPROVIDED/ORDP//NAME/P de Vries/REMI//CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/"
        f"{KENMERK_0119}/ISDT/2026-10-16",
    )
    rf = (
        "261016C544,50N541EREF\nBE71096123456769",
        "/EREF/NOTPROVIDED/ORDP//NAME/Ca va Cafe BV/ADDR/Grote Markt 5 1000 Brussel BE/REMI//"
        f"CDTRREFTP//CD/SCOR/ISSR/ISO/CDTRREF/{RF_0113}/ISDT/2026-10-16",
    )
    lines = parse_statement(rabobank([kenmerk, rf], opening="100,00", closing="909,50"), source="r")
    assert [
        (str(x.amount), x.counterparty_name, x.structured_reference, x.remittance) for x in lines
    ] == [
        ("265.00", "P de Vries", "7000000020260119", ""),
        ("544.50", "Ca va Cafe BV", "RF1420260113", ""),
    ]


def test_mt940_creditor_reference_after_remi_leaves_no_code_words_in_the_text():
    # ABN AMRO writes the type right after /REMI/ (no empty subfield)
    details = f"/REMI/CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/{KENMERK_0119}/EREF/NOTPROVIDED"
    from debiteuren.payments.mt940 import parse_details

    parsed = parse_details(details)
    assert (parsed.structured, parsed.remittance) == ("7000000020260119", "")
    # a creditor reference that is no valid kenmerk stays in the text for the matcher
    parsed = parse_details("/REMI//CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/2026-0119/")
    assert (parsed.structured, parsed.remittance) == ("", "2026-0119")


def abn_amro(bookings: list[tuple[str, str]], *, closing: str) -> bytes:
    """An ABN AMRO MT940 (header lines ``ABNANL2A``, ``940``), the SEPA ``:86:`` in the
    ``/TRTP/…/IBAN/…/BIC/…/NAME/…/REMI/…/EREF/…`` layout, cut at 65 characters."""
    body = "".join(f":61:{entry}\n:86:{wrapped(details)}\n" for entry, details in bookings)
    return (
        f"ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n:25:{OURS}\n:28C:00289/1\n"
        f":60F:C261015EUR0,00\n{body}:62F:C261016EUR{closing}\n-\n"
    ).encode()


@pytest.mark.parametrize(
    ("remi", "reference", "key"),
    [
        # an acceptgiro or a transfer with a betalingskenmerk: ABN AMRO names the issuer
        # (CUR: a Dutch currency-clearing reference) and the reference, in columns
        # ("/REMI/ISSUER: CUR                   REF: 7852983426401110/EREF/NOTPROVIDED", as
        # the ABN AMRO statements of several open-source readers show it)
        (
            f"ISSUER: CUR                   REF: {KENMERK_0119}",
            KENMERK_0119,
            "MT940-20261016-703c3ae7371f7fd3",
        ),
        (f"ISSUER/CUR/REF/{KENMERK_0119}", KENMERK_0119, "MT940-20261016-6dd44244e30904ad"),
        (f"Issuer: CUR Ref: {KENMERK_0119}", KENMERK_0119, "MT940-20261016-55a4454d09e5c6f7"),
        # an RF creditor reference (issuer ISO)
        (
            f"ISSUER: ISO                   REF: {RF_0113}",
            "RF1420260113",
            "MT940-20261016-b096c5b46efc5612",
        ),
        # the issuer after an empty type, as Rabobank writes /REMI/STRD/CUR/…
        (f"/CUR/{KENMERK_0119}", KENMERK_0119, "MT940-20261016-4a6256d0b510e379"),
        (f"STRD/CUR/{KENMERK_0119}", KENMERK_0119, "MT940-20261016-e5323b341670a3c4"),
    ],
)
def test_mt940_abn_amro_structured_reference_after_remi_is_the_structured_reference(
    remi, reference, key
):
    """ABN AMRO's /TRTP/ layout gives the payer's structured creditor reference in /REMI/
    with its issuer: it was left as free text ('ISSUER: CUR REF: 7000…'), which the matcher
    searched, but the line had no structured reference and the Mededeling held code words."""
    details = (
        f"/TRTP/SEPA OVERBOEKING/IBAN/{DE_VRIES}/BIC/RABONL2U/NAME/P DE VRIES/REMI/{remi}"
        "/EREF/NOTPROVIDED"
    )
    [line] = parse_statement(
        abn_amro([("2610161016C265,00N658NONREF", details)], closing="265,00"), source="abn"
    )
    assert (line.counterparty_name, line.counterparty_iban) == ("P DE VRIES", DE_VRIES)
    assert (line.structured_reference, line.remittance) == (reference, "")
    # the key the line had when the text was kept: a file read before adds nothing
    assert line.bank_reference == key
    matches = match_payments([line], [open_invoice("2026-0119", KENMERK_0119)])
    expected = MatchStatus.MATCHED if reference == KENMERK_0119 else MatchStatus.REVIEW
    assert matches[0].status is expected


@pytest.mark.parametrize(
    "remi",
    [
        "ISSUER: CUR                   REF: 7000000020260118",  # check digit wrong
        "ISSUER: CUR",
        "Factuur 2026-0119 ISSUER van de bestelling",
    ],
)
def test_mt940_abn_amro_remi_that_holds_no_valid_reference_stays_text(remi):
    details = f"/TRTP/SEPA OVERBOEKING/IBAN/{DE_VRIES}/BIC/RABONL2U/NAME/P DE VRIES/REMI/{remi}"
    [line] = parse_statement(
        abn_amro([("2610161016C265,00N658NONREF", details)], closing="265,00"), source="abn"
    )
    assert (line.structured_reference, line.remittance) == ("", " ".join(remi.split()))


OGM_BE = "+++090/9337/55493+++"  # 090933755493


@pytest.mark.parametrize(
    ("remi", "key"),
    [
        # the OGM as printed on the invoice, after the issuer (BBA: Belgian Bankers'
        # Association, as CAMT's Strd/CdtrRefInf names it) and an empty subfield
        (f"STRD/BBA//{OGM_BE}", "MT940-20261204-e89efc1dc2b33c5c"),
        (f"STRD/BBA/{OGM_BE}", "MT940-20261204-e89efc1dc2b33c5c"),
        ("STRD/BBA/090/9337/55493", "MT940-20261204-f2b002c51e15cfba"),
        (f"STRD//{OGM_BE}", "MT940-20261204-e89efc1dc2b33c5c"),
    ],
)
def test_mt940_an_ogm_with_its_slashes_after_remi_strd_is_the_structured_reference(remi, key):
    """A Belgian structured communication in ING's structured layout (ING Belgium: the same
    code words as in the Netherlands): /REMI/STRD/ with the issuer and the reference. The OGM
    written as printed has slashes of its own, and only the part after its last slash was
    read ('55493+++', as text): the line had no structured reference, the Mededeling a
    fragment, and the payment stayed to check instead of paying its invoice."""
    details = (
        f"/EREF/NOTPROVIDED//CNTP/{pf.BE_PAYER_1}/GKCCBEBB/Brasserie De Kroon/GENT///REMI/{remi}/"
    )
    text = (
        "{1:F01BBRUBEBBXXXX0000000000}{2:I940BBRUBEBBXXXXN}{4:\n:20:P261204000000001\n"
        f":25:{pf.OUR_BE}EUR\n:28C:00235/1\n:60F:C261203EUR1000,00\n"
        f":61:2612041204C605,00NTRFNONREF//\n:86:{wrapped(details)}\n"
        ":62F:C261204EUR1605,00\n-}\n"
    )
    [line] = parse_statement(text.encode(), source="ing-be.sta")
    assert (line.amount, line.counterparty_name, line.counterparty_iban) == (
        Decimal("605.00"),
        "Brasserie De Kroon",
        pf.BE_PAYER_1,
    )
    assert (line.structured_reference, line.remittance) == ("090933755493", "")
    # the key the line had when the part after the last slash was read: a file read before
    # adds nothing
    assert line.bank_reference == key
    invoice = replace(open_invoice("2026-0119", "090933755493"), open_amount=Decimal("605.00"))
    [match] = match_payments([line], [invoice])
    assert (match.status, match.invoices) == (MatchStatus.MATCHED, ("2026-0119",))


def plain(bookings: list[tuple[str, list[str]]], *, closing: str) -> bytes:
    """An MT940 with unstructured ``:86:`` lines given as they stand in the file."""
    body = "".join(f":61:{entry}\n:86:" + "\n".join(lines) + "\n" for entry, lines in bookings)
    return (
        "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n:20:0000000000\n"
        f":25:{OURS}\n:28C:289/1\n:60F:C261016EUR0,00\n{body}:62F:{closing}\n-}}{{5:}}\n"
    ).encode()


def test_mt940_text_cut_at_65_columns_is_joined_without_a_space():
    # Knab, old ABN AMRO, ASN (wolph/mt940 ASNB fixture: "Betaling aan I" / "CS 9999..."): the
    # text is cut at the field's width, inside a word or a reference
    text = f"Betaling displays en de folders klantnr K009 kenmerk {RF_0095[:4]} "
    text += f"{RF_0095[4:8]} {RF_0095[8:]} dank u, factuur 2026-0125 volgt"
    cut = wrapped(text).split("\n")
    assert cut[0].endswith("RF15 2026 00") and cut[1].startswith("95 dank u")
    [line] = parse_statement(
        plain([("2610161016C3025,00NOVBNL20INGB0001234567", cut)], closing="C261016EUR3025,00"),
        source="asn.txt",
    )
    assert line.remittance == text
    assert [found.value for found in find_references(line.remittance)] == ["RF1520260095"]


def test_mt940_a_shorter_line_keeps_its_space():
    # the bank ended the line itself: the next line is a new word (current behaviour)
    lines = ["Vrachtbrieven invoice", "2026-0125 en 2026-0126"]
    [line] = parse_statement(
        plain([("2610161016C2420,00NOVB", lines)], closing="C261016EUR2420,00"), source="a.txt"
    )
    assert line.remittance == "Vrachtbrieven invoice 2026-0125 en 2026-0126"


def test_mt940_asn_lines_padded_to_65_keep_their_words_apart():
    # ASN / SNS / RegioBank pad every line of :86: to 65 with spaces (wolph/mt940 ASNB)
    lines = [
        f"{VAN_DAM} garage van den broeck nv",
        " " * 65,
        "Betaling showroomdisplays".ljust(65),
        "klantnr K009 factuur 2026-0095".ljust(65),
        " " * 65,
    ]
    [line] = parse_statement(
        plain([(f"2610161016C3025,00NOVB{VAN_DAM}", lines)], closing="C261016EUR3025,00"),
        source="asn.txt",
    )
    assert line.remittance == (
        f"{VAN_DAM} garage van den broeck nv Betaling showroomdisplays klantnr K009 factuur "
        "2026-0095"
    )
    assert (line.counterparty_iban, line.amount) == (VAN_DAM, Decimal("3025.00"))


def test_mt940_labelled_text_cut_at_65_columns_is_joined_without_a_space():
    # ABN AMRO's older layout with labels, cut at the field's width inside the description
    text = f"SEPA OVERBOEKING IBAN:{VAN_DAM} BIC:INGBNL2A NAAM: VAN DAM BV OMSCHRIJVING: "
    text += "factuur 2026-0110"
    cut = wrapped(text).split("\n")
    assert cut[0].endswith("VAN D")
    [line] = parse_statement(
        plain([("2610161016C6050,00N658NONREF", cut)], closing="C261016EUR6050,00"),
        source="abn.sta",
    )
    assert (line.counterparty_name, line.counterparty_iban, line.remittance) == (
        "VAN DAM BV",
        VAN_DAM,
        "factuur 2026-0110",
    )


def test_mt940_abn_amro_a_label_that_begins_a_line_after_a_full_one_is_a_new_field():
    """ABN AMRO lays its labels out in columns of 33 and starts OMSCHRIJVING on a new line: a
    name that filled the line to 65 was joined to the label ('...KORENSCHOOF BVOMSCHRIJVING:
    FACTUUR ...'), so the name held the description and the description was empty."""
    lines = [
        "SEPA OVERBOEKING".ljust(33) + f"IBAN: {DE_VRIES}",
        "BIC: RABONL2U".ljust(33) + "NAAM: BAKKERIJ DE KORENSCHOOF BV",
        "OMSCHRIJVING: FACTUUR 2026-0077 KLANT K002 KENMERK: INV-2026-0077",
    ]
    assert len(lines[1]) == 65
    [line] = parse_statement(
        plain([("2611061106C605,00N658NONREF", lines)], closing="C261016EUR605,00"),
        source="abn.sta",
    )
    assert (line.counterparty_name, line.counterparty_iban, line.remittance) == (
        "BAKKERIJ DE KORENSCHOOF BV",
        DE_VRIES,
        "FACTUUR 2026-0077 KLANT K002",
    )
    # the key the line had when the label was joined to the name: not read again as new
    assert line.bank_reference == "MT940-20261106-b6a82a8f9992055f"


def test_mt940_says_whether_it_gave_the_booking_date():
    # :61: value date YYMMDD, then the optional entry date MMDD (SWIFT MT940 field 61)
    both = "2610101012C100,00NTRFNONREF"
    value_only = "261010C100,00NTRFNONREF"
    lines = parse_statement(
        plain([(both, ["a"]), (value_only, ["b"])], closing="C261016EUR200,00"), source="a.sta"
    )
    assert [(x.booking_date, x.value_date, x.booking_date_given) for x in lines] == [
        (date(2026, 10, 12), date(2026, 10, 10), True),
        (date(2026, 10, 10), date(2026, 10, 10), False),
    ]


def test_mt940_entry_date_takes_the_year_nearest_its_value_date():
    # the entry date MMDD has no year: the one that puts it nearest the value date (a late
    # booking of 30 November on 2 January, a value date of 15 January set ahead from 28 November)
    lines = read_statement(FIXTURES / "mt940_year_end.sta")
    assert [(x.value_date, x.booking_date) for x in lines] == [
        (date(2026, 11, 30), date(2027, 1, 2)),
        (date(2026, 12, 31), date(2027, 1, 2)),
        (date(2027, 1, 2), date(2026, 12, 31)),
        (date(2027, 1, 15), date(2026, 11, 28)),
    ]


def test_mt940_entry_date_in_another_year_keeps_the_key_it_had():
    # dated 2026-01-02 and 2027-11-28 by the earlier reading: a file read then is not new now
    lines = read_statement(FIXTURES / "mt940_year_end.sta")
    assert [x.bank_reference[:15] for x in lines] == [
        "MT940-20260102-",
        "MT940-20270102-",
        "MT940-20261231-",
        "MT940-20271128-",
    ]


# --- ASN / SNS / RegioBank: padded :86: lines ---------------------------------------------------
# The layout (wolph/mt940 mt940_tests/ASNB, zilverline/mt940 spec/fixtures/sns): :61: with the
# payer's IBAN as the reference and the name on its second line; :86: with the IBAN and name on
# the first line, an empty line, then the description cut at 65 columns (inside a word or a
# reference: "Betaling aan I" / "CS 9999...", "...SCT2015...0009" / "44"), every line padded
# with spaces to 65. A file saved again by another program may lose the padding.


def asn(description: list[str], *, amount: str = "3025,00", padded: bool = True) -> bytes:
    """An ASN MT940 statement with one credit from VAN_DAM whose description lines are given."""
    lines = [f"{VAN_DAM} garage van dam bv", "", *description, "", ""]
    lines = [line.ljust(65) if padded else line.rstrip() for line in lines]
    details = "\n".join(lines)
    return (
        "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n:20:0000000000\n"
        f":25:{OURS}\n:28C:289/1\n:60F:C261015EUR0,00\n"
        f":61:2610161016C{amount}NOVB{VAN_DAM}\ngarage van dam bv\n:86:{details}\n"
        f":62F:C261016EUR{amount}\n-}}{{5:}}\n"
    ).encode()


def open_invoice(number: str, reference: str) -> OpenInvoice:
    return OpenInvoice(
        number=number,
        debtor="K009",
        open_amount=Decimal("3025.00"),
        due_date=date(2026, 9, 30),
        references=(reference,),
    )


def test_asn_a_reference_cut_at_the_width_is_found_as_the_bank_writes_it():
    # ASN cuts at 65 inside the reference (as "...SCT2015...0009" / "44") and pads the rest
    text = "Betaling showroomdisplays en folders volgens afspraak, kenmerk 7000"
    text += f"{KENMERK_0119[4:]} dank u"
    cut = wrapped(text).split("\n")
    assert cut[0].endswith("kenmerk 70") and len(cut[0]) == 65
    [line] = parse_statement(asn(cut), source="asn.sta")
    assert line.remittance.endswith(f"kenmerk {KENMERK_0119} dank u")
    [match] = match_payments([line], [open_invoice("2026-0119", KENMERK_0119)])
    assert (match.status, match.invoices) == (MatchStatus.MATCHED, ("2026-0119",))


@pytest.mark.parametrize("padded", [True, False])
@pytest.mark.parametrize(
    ("first", "second", "reference", "number"),
    [
        ("Betaling displays kenmerk RF15 2026 00", "95 dank u", RF_0095, "2026-0095"),
        ("Betaling kenmerk 7000 0000 2026 01", "19 dank u", KENMERK_0119, "2026-0119"),
        ("Betaling kenmerk 700000002026", "0119 dank u", KENMERK_0119, "2026-0119"),
    ],
)
def test_asn_a_reference_cut_before_the_padding_is_found(padded, first, second, reference, number):
    # a line that ends before the width (padded or not) is read as the end of a word; a
    # reference cut there is still found, because its check digits hold only when joined
    [line] = parse_statement(asn([first, second], padded=padded), source="asn.sta")
    assert line.remittance == f"{VAN_DAM} garage van dam bv {first} {second}"
    assert line.structured_reference == reference
    [match] = match_payments([line], [open_invoice(number, reference)])
    assert (match.status, match.invoices) == (MatchStatus.MATCHED, (number,))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the check digit fails when joined (7000 0000 2026 0118 is no betalingskenmerk)
        ("Betaling kenmerk 7000 0000 2026 01", "18 dank u"),
        # a whole reference at the break: the next line's number is another one
        (f"Betaling kenmerk {RF_0095}", "12 stuks"),
        # no digits at the break
        ("Betaling voor de", "displays"),
    ],
)
def test_asn_numbers_are_never_joined_into_a_reference_that_does_not_hold(first, second):
    [line] = parse_statement(asn([first, second]), source="asn.sta")
    assert line.structured_reference == ""
    assert line.remittance == f"{VAN_DAM} garage van dam bv {first} {second}"


def test_asn_two_numbers_that_join_into_someone_elses_reference_make_no_match():
    # 123456 + 789002 is the valid OGM 123/4567/89002, but not one we issued: no match on it
    first, second = "bestelling 123456", "789002 levering week 42"
    [line] = parse_statement(asn([first, second]), source="asn.sta")
    assert line.structured_reference == "123456789002"
    [match] = match_payments([line], [open_invoice("2026-0119", KENMERK_0119)])
    assert match.status is MatchStatus.REVIEW
    assert "hoort bij geen openstaande factuur" in match.reason


def test_asn_four_spaces_for_the_entry_date_are_no_entry_date():
    # wolph/mt940 mt940_tests/ASNB/mt940_with_spaces_for_entry_date.txt: ":61:200101    D65,00"
    # (the whole file was refused: "boeking :61: ... is ongeldig")
    data = asn(["Betaling showroomdisplays factuur 2026-0095"]).replace(
        b":61:2610161016C", b":61:261016    C"
    )
    [line] = parse_statement(data, source="asn.sta")
    assert (line.booking_date, line.value_date, line.booking_date_given) == (
        date(2026, 10, 16),
        date(2026, 10, 16),
        False,
    )
    assert (line.amount, line.counterparty_iban) == (Decimal("3025.00"), VAN_DAM)


@pytest.mark.parametrize(
    ("lead", "key"),
    [
        (VAN_DAM, "MT940-20261016-5e0c4e25a0f02f0a"),
        (JANSEN, "MT940-20261016-9b070efcbb402553"),
    ],
)
def test_asn_a_name_that_looks_like_a_bic_keeps_the_payer_and_the_key(lead, key):
    # "IBAN GEMEENTE ..." reads like ING's unstructured "IBAN BIC name": the payer's IBAN of
    # the :61: stays the payer's, and the key stays the one a file read before got (it changed:
    # the file's credit was imported a second time)
    data = asn(["factuur 2026-0119"]).replace(b"garage van dam bv", b"GEMEENTE BREDA BV")
    data = data.replace(f"{VAN_DAM} GEMEENTE".encode(), f"{lead} GEMEENTE".encode())
    [line] = parse_statement(data, source="asn.sta")
    assert (line.counterparty_iban, line.bank_reference) == (VAN_DAM, key)


def test_camt_abn_amro_payer_in_the_entry_information():
    """ABN AMRO's camt.053 names the payer's account (and often the payer) only in
    ``AddtlNtryInf``, in its MT940 layout; it was kept whole as the description, the
    payer's IBAN and name empty (no match on the account)."""
    lines = read_statement(FIXTURES / "camt053_abnamro.xml")
    assert [(line.counterparty_name, line.counterparty_iban) for line in lines] == [
        ("Bakkerij De Korenschoof B.V.", pf.RABO_PAYER),
        ("Hoveniersbedrijf Groen", pf.ING_PAYER),
        ("Drukkerij Vos", pf.TRIO_PAYER),
    ]
    assert lines[0].remittance == "Factuur 2025-017 klantnr K012"
    assert lines[1].structured_reference == pf.NL_018


def test_camt_other_entry_information_stays_the_description():
    data = (
        (FIXTURES / "camt053_abnamro.xml")
        .read_bytes()
        .replace(b"<AddtlNtryInf>/TRTP/SEPA OVERBOEKING/IBAN/NL44", b"<AddtlNtryInf>TRTP SEPA NL44")
    )
    line = parse_statement(data, source="abn.xml")[0]
    assert (line.counterparty_name, line.counterparty_iban) == ("", "")
    assert line.remittance.startswith("TRTP SEPA NL44RABO0123456789/BIC/RABONL2U/NAME/")


def test_camt_a_payer_read_from_the_entry_information_keeps_the_stable_key():
    """An entry without a bank reference gets a key from its content; completing it from
    AddtlNtryInf must not change that key, or a file read before this reader would be read
    again as new payments (its rows lack the IBAN the double check compares)."""
    info = f"/TRTP/SEPA OVERBOEKING/IBAN/{pf.RABO_PAYER}/BIC/RABONL2U/NAME/Jansen/REMI/Factuur 7"
    entry = (
        '<Ntry><Amt Ccy="EUR">25.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        "<BookgDt><Dt>2025-03-03</Dt></BookgDt>"
        f"<AddtlNtryInf>{info}</AddtlNtryInf></Ntry>"
    )
    data = pf.camt_document("02", [pf.camt_statement("S", pf.OUR_NL, "EUR", [entry, entry])])
    lines = parse_statement(data.encode(), source="abn.xml")
    assert [(line.counterparty_iban, line.remittance) for line in lines] == [
        (pf.RABO_PAYER, "Factuur 7")
    ] * 2
    before = (date(2025, 3, 3), pf.OUR_NL, Decimal("25.00"), False, "", "", info, "", "")
    assert [line.bank_reference for line in lines] == [
        _stable_key("CAMT", before, 1),
        _stable_key("CAMT", before, 2),
    ]


# --- CAMT.053: the payer's IBAN only in the text ----------------------------------------------
# BNP Paribas Fortis writes a transfer received in its statement text as 'EUROPESE OVERSCHRIJVING
# VAN <naam> <adres> <IBAN> BIC <bic> MEDEDELING : … BANKREFERENTIE : … VALUTADATUM : …' (its
# online statement and CSV 'Details', as open-source readers of its exports show it), KBC as
# 'EUROPESE OVERSCHRIJVING VAN <dd-mm> <IBAN> BANKIER OPDRACHTGEVER: <bic> <naam> …'. Where the
# entry's details give no DbtrAcct, the account is only there.

JANSSENS = "BE71096123456769"  # BE71 0961 2345 6769
FORTIS_INFO = (
    "EUROPESE OVERSCHRIJVING VAN JANSSENS BV KERKSTRAAT 1 9000 GENT BE71 0961 2345 6769 "
    "BIC GKCCBEBB MEDEDELING : factuur 2026-017 BANKREFERENTIE : 2610141585600878 "
    "VALUTADATUM : 14/10/2026"
)


def free_text_entry(
    amount: str, *, info: str = "", ustrd: str = "", ref: str = "", name: str = ""
) -> str:
    """A credit whose details name no account: the text in AddtlNtryInf and/or Ustrd."""
    party = f"<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>" if name else ""
    text = f"<RmtInf><Ustrd>{ustrd}</Ustrd></RmtInf>" if ustrd else ""
    reference = f"<AcctSvcrRef>{ref}</AcctSvcrRef>" if ref else ""
    details = f"<NtryDtls><TxDtls>{party}{text}</TxDtls></NtryDtls>" if party or text else ""
    extra = f"<AddtlNtryInf>{info}</AddtlNtryInf>" if info else ""
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>{reference}"
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>"
        f"</Domn></BkTxCd>{details}{extra}</Ntry>"
    )


def free_text_statement(*entries: str) -> bytes:
    total = sum(Decimal(re.search(r">([0-9.]+)</Amt>", e).group(1)) for e in entries)
    return camt(
        "\n".join(entries), opening="1000.00", closing=f"{1000 + total:.2f}", day="2026-10-14"
    )


@pytest.fixture(params=[False, True], ids=["general", "by_shape"])
def camt_reader(request, monkeypatch):
    """Read with the general reader only, or by shape from the first entry of a shape on."""
    from debiteuren.payments import camt053

    monkeypatch.setattr(camt053._Reader, "by_shape", request.param)
    monkeypatch.setattr(camt053, "_BUILD", 1)
    monkeypatch.setattr(camt053, "_COMMON", 1)
    return lambda data: parse_statement(data, source="fortis.xml")


@pytest.mark.parametrize(
    ("info", "ustrd", "payer"),
    [
        (FORTIS_INFO, "factuur 2026-017", JANSSENS),  # BNP Paribas Fortis
        (
            "EUROPESE OVERSCHRIJVING VAN          14-10 BE71 0961 2345 6769 BANKIER "
            "OPDRACHTGEVER: GKCCBEBB JANSSENS BV factuur 2026-017",
            "",
            JANSSENS,
        ),  # KBC
        (
            "VIREMENT EUROPEEN DE BE71 0961 2345 6769 BANQUE DU DONNEUR D'ORDRE: GKCCBEBB",
            "facture 2026-017",
            JANSSENS,
        ),
        ("", "VAN: BE71 0961 2345 6769 NAAM JANSSENS BV factuur 2026-017", JANSSENS),
        ("", "IBAN: NL91ABNA0417164300 factuur 2026-017", OURS),  # our own: not the payer's
        ("", "IBAN: NL44RABO0123456789 factuur 2026-017", DE_VRIES),
        ("", "iban nl44 rabo 0123 4567 89 factuur 2026-017", DE_VRIES),
    ],
)
def test_camt_payer_iban_only_in_the_text_is_the_payer_iban(camt_reader, info, ustrd, payer):
    """BNP Paribas Fortis names the payer's account only in its text: the line had no IBAN,
    so a customer known by that account was not found (only by name or reference)."""
    entries = [free_text_entry(f"{n}.00", info=info, ustrd=ustrd, ref=f"R{n}") for n in (1, 2, 3)]
    lines = camt_reader(free_text_statement(*entries))
    expected = "" if payer == OURS else payer
    assert [line.counterparty_iban for line in lines] == [expected] * 3
    assert [line.amount for line in lines] == [Decimal("1.00"), Decimal("2.00"), Decimal("3.00")]


@pytest.mark.parametrize(
    "ustrd",
    [
        "Graag betalen naar IBAN: NL44RABO0123456789",  # an account to pay to
        "overgemaakt op rekening NL44RABO0123456789",
        "NL44RABO0123456789 factuur 2026-017",  # no label
        "VAN: NL44RABO0123456788 factuur 2026-017",  # a typing error: no valid IBAN
        "incasso CSID NL12ZZZ123456780000 factuur",  # a creditor id is no IBAN
        "VAN: NL44RABO0123456789 en VAN: NL20INGB0001234567",  # two: neither is sure
        "EUROPESE OVERSCHRIJVING NAAR BE71 0961 2345 6769 BIC GKCCBEBB",  # a transfer sent
        "EUROPESE OVERSCHRIJVING VAN X BE71 0961 2345 6769 MEDEDELING 17",  # no payer's bank
    ],
)
def test_camt_an_account_in_the_text_that_is_not_clearly_the_payers_is_left_out(camt_reader, ustrd):
    entries = [free_text_entry(f"{n}.00", ustrd=ustrd, ref=f"R{n}") for n in (1, 2)]
    assert [line.counterparty_iban for line in camt_reader(free_text_statement(*entries))] == [
        ""
    ] * 2


def test_camt_payer_iban_in_the_text_does_not_replace_the_structured_one(camt_reader):
    entry = free_text_entry("5.00", info=FORTIS_INFO, ref="R1").replace(
        "<AddtlNtryInf>",
        "<NtryDtls><TxDtls><RltdPties><DbtrAcct><Id><IBAN>NL44RABO0123456789</IBAN></Id>"
        "</DbtrAcct></RltdPties></TxDtls></NtryDtls><AddtlNtryInf>",
    )
    [line] = camt_reader(free_text_statement(entry))
    assert line.counterparty_iban == DE_VRIES


def test_camt_payer_iban_from_the_text_keeps_the_stable_key(monkeypatch):
    """A line without a bank reference keeps the key it had without the IBAN: a statement
    read before adds nothing when read again."""
    from debiteuren.payments import lines as statement_lines

    entry = free_text_entry("25.00", info=FORTIS_INFO)
    data = free_text_statement(entry, entry)
    lines = parse_statement(data, source="fortis.xml")
    assert [line.counterparty_iban for line in lines] == [JANSSENS] * 2
    monkeypatch.setattr(statement_lines, "payer_iban_in_text", lambda texts, own: "")
    before = parse_statement(data, source="fortis.xml")
    assert [line.counterparty_iban for line in before] == [""] * 2
    assert [line.bank_reference for line in lines] == [line.bank_reference for line in before]


def test_camt_payer_iban_from_the_text_finds_the_customer_by_account():
    """The customer whose IBAN is known is found by it: the payment of his one open invoice
    of that amount pays it, where without the IBAN (a name the workbook does not know, no
    invoice number in the text) it stayed to check."""
    info = FORTIS_INFO.replace("factuur 2026-017", "betaling")
    [line] = parse_statement(
        free_text_statement(free_text_entry("605.00", info=info, ref="R1")), source="f.xml"
    )
    invoices = [
        OpenInvoice(
            number="2026-017",
            debtor="K012",
            open_amount=Decimal("605.00"),
            due_date=date(2026, 10, 1),
            debtor_ibans=(JANSSENS,),
            debtor_name="Janssens en Zonen",
        ),
        OpenInvoice(
            number="2026-018",
            debtor="K013",
            open_amount=Decimal("605.00"),
            due_date=date(2026, 10, 1),
            debtor_name="Peeters",
        ),
    ]
    [match] = match_payments([line], invoices)
    assert (match.status, match.invoices, match.debtor) == (
        MatchStatus.MATCHED,
        ("2026-017",),
        "K012",
    )
    [without] = match_payments([replace(line, counterparty_iban="")], invoices)
    assert without.status != MatchStatus.MATCHED


PAID_BY_A_PAYMENT_SERVICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><CreDtTm>2026-10-14T18:00:00</CreDtTm>
<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">121.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>
<NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Stichting Mollie Payments</Nm></Pty></Dbtr>
<DbtrAcct><Id><IBAN>NL44RABO0123456789</IBAN></Id></DbtrAcct>
<UltmtDbtr><Pty><Nm>Bakkerij De Korenschoof BV</Nm></Pty></UltmtDbtr></RltdPties>
<RmtInf><Ustrd>tr_8x2Lq betaling order 4711</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>"""


def test_camt_a_payment_service_paying_for_a_customer_shows_the_customer():
    # ISO 20022 UltmtDbtr: the party on whose behalf the debtor (Mollie, PayPal, Adyen) pays
    [line] = parse_statement(PAID_BY_A_PAYMENT_SERVICE, source="m.xml")
    assert (line.counterparty_name, line.counterparty_iban) == (
        "Bakkerij De Korenschoof BV",
        "NL44RABO0123456789",  # the account the money came from: the payment service's
    )
    # the key the booking had when the payment service's name was shown: read once only
    assert line.bank_reference == "CAMT-20261014-cafb819065390224"
    invoice = OpenInvoice(
        number="2026-0120",
        debtor="K001",
        open_amount=Decimal("121.00"),
        due_date=date(2026, 10, 30),
        debtor_name="Bakkerij De Korenschoof B.V.",
    )
    [match] = match_payments([line], [invoice])
    assert (match.status, match.invoices) == (MatchStatus.MATCHED, ("2026-0120",))


def test_mt940_a_payment_service_paying_for_a_customer_shows_the_customer():
    # ING (and ABN AMRO) give the ultimate debtor as /ULTD//NAME/…, as CAMT's UltmtDbtr
    paid = (
        "2610161016C121,00NTRFEREF//00000000001010\n/TRCD/00100/",
        "/EREF/tr_8x2Lq//CNTP/NL44RABO0123456789/RABONL2U/Stichting Mollie Payments/Delft//"
        "ULTD//NAME/Bakkerij De Korenschoof BV///REMI/USTD//order 4711/",
    )
    [line] = parse_statement(ing([paid], opening="0,00", closing="121,00"), source="i.sta")
    assert (line.counterparty_name, line.counterparty_iban, line.remittance) == (
        "Bakkerij De Korenschoof BV",
        "NL44RABO0123456789",
        "order 4711",
    )


def test_camt_a_batch_that_cannot_be_split_shows_its_one_ultimate_debtor():
    detail = (
        "<TxDtls><RltdPties><Dbtr><Nm>PayPal Europe</Nm></Dbtr><DbtrAcct><Id><IBAN>"
        "NL44RABO0123456789</IBAN></Id></DbtrAcct><UltmtDbtr><Nm>Bakkerij De Korenschoof BV"
        "</Nm></UltmtDbtr></RltdPties><RmtInf><Ustrd>{}</Ustrd></RmtInf></TxDtls>"
    )
    data = PAID_BY_A_PAYMENT_SERVICE.replace(
        PAID_BY_A_PAYMENT_SERVICE[
            PAID_BY_A_PAYMENT_SERVICE.index(b"<NtryDtls>") : PAID_BY_A_PAYMENT_SERVICE.index(
                b"</NtryDtls>"
            )
        ],
        ("<NtryDtls>" + detail.format("2026-0120") + detail.format("2026-0121")).encode(),
    )
    [line] = parse_statement(data, source="m.xml")
    assert (line.amount, line.counterparty_name, line.counterparty_iban, line.remittance) == (
        Decimal("121.00"),
        "Bakkerij De Korenschoof BV",
        "NL44RABO0123456789",
        "2026-0120 2026-0121",
    )


def test_camt_abn_amro_a_payment_service_in_the_mt940_layout_shows_the_customer():
    # ABN AMRO writes the :86: layout in AddtlNtryInf, the ultimate debtor as /ULTD/
    info = (
        "/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/Stichting Mollie "
        "Payments/REMI/order 4711/EREF/tr_8x2Lq/ULTD/Bakkerij De Korenschoof BV/"
    )
    start = PAID_BY_A_PAYMENT_SERVICE.index(b"<NtryDtls>")
    end = PAID_BY_A_PAYMENT_SERVICE.index(b"</NtryDtls>") + len(b"</NtryDtls>")
    data = (
        PAID_BY_A_PAYMENT_SERVICE[:start]
        + f"<AddtlNtryInf>{info}</AddtlNtryInf>".encode()
        + PAID_BY_A_PAYMENT_SERVICE[end:]
    )
    [line] = parse_statement(data, source="abn.xml")
    assert (line.counterparty_name, line.counterparty_iban, line.remittance) == (
        "Bakkerij De Korenschoof BV",
        "NL44RABO0123456789",
        "order 4711",
    )


def test_coda_written_in_windows_1252_keeps_its_quotes_and_euro_sign():
    # Windows programs write "ANSI": ’ and € are bytes that Latin-1 reads as control codes
    s = pf.CodaStatement(pf.OUR_BE)
    s.header()
    s.movement(
        sequence=1,
        amount="121.00",
        free="Facture 2026-0120 € 121",
        iban=pf.BE_PAYER_1,
        name="Brasserie L’Étoile",
    )
    s.footer()
    [line] = parse_statement(("\n".join(s.records) + "\n").encode("cp1252"), source="b.cod")
    assert (line.counterparty_name, line.remittance) == (
        "Brasserie L’Étoile",
        "Facture 2026-0120 € 121",
    )
    # the key it had when Latin-1 read it 'L\x92Étoile': a file read before is not read again
    assert line.bank_reference == "CODA-20250303-d963936a80169b33"


def test_coda_the_counterparty_name_record_23_cuts_is_read_whole_from_record_31():
    # record 23 holds 35 characters of the name, record 31 (type 001, data concerning the
    # counterparty) up to 70 (Febelfin CODA standard, information records)
    full = "Bouwonderneming Janssens en Zonen Naamloze Vennootschap"
    s = pf.CodaStatement(pf.OUR_BE)
    s.header()
    s.movement(
        sequence=1, amount="121.00", free="2026-0120", iban=pf.BE_PAYER_1, name=full[:35], info=full
    )
    s.movement(sequence=2, amount="5.00", free="2026-0121", iban=pf.BE_PAYER_1, info=full)
    s.movement(sequence=3, amount="6.00", free="x", name="Andere Naam", info=full)
    s.footer()
    lines = parse_statement(("\n".join(s.records) + "\n").encode("latin-1"), source="k.cod")
    assert [line.counterparty_name for line in lines] == [full, full, "Andere Naam"]


def test_coda_the_full_name_in_record_31_numbered_after_its_movement_is_read():
    """KBC numbers the information record after a movement with the next detail number
    (movement 0001/0000, record 31 0001/0001: the Febelfin layout as Odoo's KBC sample file
    has it); the name record 23 cuts at 35 characters was read whole only when the numbers
    were the same."""
    full = "Bouwonderneming Janssens en Zonen Naamloze Vennootschap"
    s = pf.CodaStatement(pf.OUR_BE)
    s.header()
    s.movement(
        sequence=1, amount="121.00", free="2026-0120", iban=pf.BE_PAYER_1, name=full[:35], info=full
    )
    s.records[-1] = s.records[-1][:6] + "0001" + s.records[-1][10:]  # 31 0001/0001
    s.footer()
    [line] = parse_statement(("\n".join(s.records) + "\n").encode("latin-1"), source="k.cod")
    assert line.counterparty_name == full


def test_coda_a_bank_total_with_details_each_followed_by_its_information_records():
    """A bank's total of credits with an OGM (type 2, globalisation code 1) and its details
    (type 6, structured communication 102, the reconstituted OGM), each with records 22, 23
    and information records 31 and 32 numbered with the next detail number (0001, 0002, then
    0003): each detail is a line with its OGM, payer and amount, and the total none."""
    s = pf.CodaStatement(pf.OUR_BE)
    s.header()
    s.movement(sequence=1, amount="97.27", code="20150000", free="REGROUPEMENT 2 VCS", glob="1")
    for number, (amount, ogm, iban, name) in enumerate(
        [("72.48", pf.OGM_030, pf.BE_PAYER_1, "Ucar"), ("24.79", pf.OGM_031, pf.BE_PAYER_2, "Joe")]
    ):
        detail = 1 + 2 * number
        s.movement(
            sequence=1,
            detail=detail,
            amount=amount,
            code="60150000",
            structured="102" + ogm,
            iban=iban,
            name=name,
            bic="GKCCBEBB",
            customer_ref="NOTPROVIDED",
            glob="1" if number else "0",
            info=name,
        )
        info = f"{detail + 1:04d}"
        s.records[-1] = s.records[-1][:6] + info + s.records[-1][10:125] + "1" + s.records[-1][126:]
        s.records.append(
            pf.coda_record((1, "32"), (3, "0001"), (7, info), (11, "KERKSTRAAT 7"), (46, "9950"))
        )
        s.counted += 1
    s.footer()
    lines = parse_statement(pf.coda_file(s), source="glob.cod")
    assert [(str(x.amount), x.structured_reference, x.counterparty_name) for x in lines] == [
        ("72.48", pf.OGM_030, "Ucar"),
        ("24.79", pf.OGM_031, "Joe"),
    ]


# --- MT940 of German banks -------------------------------------------------------------------
# mt940_deutsche_bank.sta: the layout of the Deutsche Kreditwirtschaft (DFÜ-Abkommen Anlage 3,
# its SEPA rules for MT940): the :86: is a business transaction code (GVC) and subfields,
# ?00 booking text, ?20-?29 the purpose in SEPA items (EREF+, SVWZ+, ABWA+, ...; an item goes
# on in the next subfield, cut at 27 characters), ?30 BIC, ?31 IBAN, ?32-?33 name, ?34 the
# text key supplement; 108 and 109 are returned direct debits. mt940_german_returns.sta: the
# codes of bookings that undo earlier ones (159, 181 on a credit, 193 on a debit).


def test_mt940_german_subfields_give_payer_iban_text_and_reference():
    credit, rf, storno = read_statement(FIXTURES / "mt940_deutsche_bank.sta")
    assert (credit.counterparty_name, credit.counterparty_iban, credit.remittance) == (
        "Bakkerij De Korenschoof",  # ABWA+: the customer the payment service paid for
        "DE89370400440532013000",
        "Rechnung 2026-0012 Kundennummer K012 vielen Dank",
    )
    assert (credit.amount, credit.booking_date) == (Decimal("1210.00"), date(2026, 11, 3))
    assert (rf.counterparty_name, rf.counterparty_iban, rf.structured_reference) == (
        "Hoveniersbedrijf Groen",
        "DE02100100100006820101",
        "RF18539007547034",
    )
    # the direct debit we paid (105) is skipped; the returned one we collected (109) is a storno
    assert (storno.is_reversal, storno.amount, storno.counterparty_iban) == (
        True,
        Decimal("250.00"),
        "DE75512108001245126199",
    )
    assert storno.counterparty_name == "Drukkerij Lindeboom"


def test_mt940_german_returns_are_no_payment_and_a_reversal_is_a_storno():
    # mt940_german_returns.sta: 166 a customer's transfer; 159 a transfer of ours returned and
    # 181 a direct debit taken from us credited back (no payment by a customer: counted as our
    # own returns, which the import's report names); 193 a direct debit we collected reversed
    file = read_statement_file(FIXTURES / "mt940_german_returns.sta")
    payment, storno = file.lines
    assert (payment.is_reversal, payment.amount, payment.remittance) == (
        False,
        Decimal("726.00"),
        "Rechnung 2026-0044",
    )
    assert (storno.is_reversal, storno.amount, storno.counterparty_iban) == (
        True,
        Decimal("250.00"),
        "DE75512108001245126199",
    )
    [summary] = file.statements
    assert (summary.returned, summary.returned_total) == (2, Decimal("389.95"))


@pytest.mark.parametrize(
    ("gvc", "returned"),
    [("159", True), ("160", True), ("181", True), ("184", True), ("193", True), ("166", False)],
)
def test_mt940_german_codes_of_our_own_returns_on_a_credit(gvc, returned):
    info = f"{gvc}?00TEXT?20SVWZ+Factuur 2026-0012?31DE02100100100006820101?32Groen"
    assert parse_details(info).returned is returned


@pytest.mark.parametrize(
    ("gvc", "storno"), [("108", True), ("109", True), ("193", True), ("105", False), ("159", False)]
)
def test_mt940_german_codes_of_a_storno_on_a_debit(gvc, storno):
    info = f"{gvc}?00TEXT?20SVWZ+Factuur 2026-0012?31DE02100100100006820101?32Groen"
    assert parse_details(info, reversal=True).returned is storno


def test_mt940_german_subfields_keep_the_key_they_had_as_plain_text(monkeypatch):
    from debiteuren.payments import mt940

    data = (FIXTURES / "mt940_deutsche_bank.sta").read_bytes()
    now = parse_statement(data, source="de.sta")
    monkeypatch.setattr(mt940, "_GVC", re.compile(r"(?!)"))  # as read before: plain text
    before = parse_statement(data, source="de.sta")
    assert before[0].remittance.startswith("166?00SEPA-GUTSCHRIFT")
    assert [line.bank_reference for line in now[:2]] == [line.bank_reference for line in before]


def test_mt940_german_item_cut_at_27_characters_is_joined_without_a_space():
    info = "166?00SEPA-GUTSCHRIFT?20SVWZ+Factuur 2026-0012 klan?21t K012?22dank?32Jansen BV"
    details = parse_details(info)
    assert (details.remittance, details.name) == ("Factuur 2026-0012 klant K012 dank", "Jansen BV")


def test_mt940_german_bank_information_after_the_details_is_no_part_of_them():
    # :NS: (a German bank's own field, lines "01…", "02…") after the :86:
    info = "166?00SEPA-GUTSCHRIFT?20SVWZ+Factuur 2026-0012?32Jansen BV\n:NS:01Info\n02Meer"
    details = parse_details(info)
    assert (details.name, details.remittance) == ("Jansen BV", "Factuur 2026-0012")


# The German layout before SEPA (the National-Bank's MT940 manual, as wolph/mt940 quotes it):
# a bank's own field :NS: after :28: (22 the account holder, 23 the account's name, 30 and 31
# bank code and account) and after a :61: without :86: (01-14 the purpose, 15 the other party,
# 17 the booking text, 18 a journal number).
NATIONAL_BANK = """:20:STARTUMS
:25:37010000/1222333444
:28:1/1
:NS:22Voorbeeld GmbH
23Girokonto
3037010000
:60F:C261012EUR1000,00
:61:2610131013CR2904,00S05168790452
:NS:01Rechnung 2026-0073
02vom 01.10.2026
15Jansen Maschinenbau GmbH
17Gutschrift
1812345
:61:261013CR50,00NCHG
:86:Erstattung Gebuehren
:NS:01Info
:62F:C261013EUR3954,00
"""


def test_mt940_german_bank_field_ns_gives_the_purpose_and_the_name():
    """:NS: was read as text of the field before it: after the :61: its first line became the
    payer's name (":NS:01Rechnung 2026-0073"), the purpose was lost to the matcher, and
    after the :28: it stood in the statement's name. The booking keeps the key it had."""
    read = parse_statement_file(NATIONAL_BANK.encode(), source="umsatz.sta")
    first, second = read.lines
    assert (first.counterparty_name, first.remittance) == (
        "Jansen Maschinenbau GmbH",
        "Rechnung 2026-0073 vom 01.10.2026",
    )
    assert first.bank_reference == "MT940-20261013-07b6c4e4552f5be3"
    # after the :86: it stays that field's text, as it was
    assert (second.counterparty_name, second.remittance) == ("", "Erstattung Gebuehren :NS:01Info")
    assert [s.label for s in read.statements] == ["afschrift 1/1"]


def test_mt940_field_ns_after_an_empty_86_stays_its_text():
    """An :NS: after an :86: without text went to the booking's purpose as if no :86: came:
    the line got another key than the one it had, so a statement read before came in a
    second time. After an :86:, empty or not, :NS: stays that field's text, as it was."""
    text = NATIONAL_BANK.replace(
        ":61:2610131013CR2904,00S05168790452\n:NS:",
        ":61:2610131013CR2904,00S05168790452\n:86:\n:NS:",
    )
    assert text != NATIONAL_BANK
    first = parse_statement_file(text.encode(), source="umsatz.sta").lines[0]
    assert first.remittance.startswith(":NS:01Rechnung 2026-0073")
    assert first.bank_reference == "MT940-20261013-5556946639de87dc"


# --- bunq: a structured :86: wrapped between words ----------------------------------------------


def test_bunq_structured_text_wrapped_between_words_keeps_its_spaces():
    """bunq wraps a structured :86: at a space and leaves the space out: the lines were joined
    without one, and "Bloemenhandel De" / "Tulp" became "Bloemenhandel DeTulp", "Factuur
    2026-0202" / "voor de" "2026-0202voor". Fixture written for debiteuren (mt940_bunq.sta):
    the /EREF/, /ORDP//NAME/, /IBAN/, /REMI/USTD// layout, lines ended between words."""
    first, second = read_statement(FIXTURES / "mt940_bunq.sta")
    assert (first.account_iban, first.amount) == ("NL47BUNQ2026000001", Decimal("302.50"))
    assert (first.counterparty_name, first.counterparty_iban) == ("Bloemenhandel De Tulp", DE_VRIES)
    assert first.remittance == "Factuur 2026-0202 voor de etiketten van de bloemstukken, met dank"
    assert (second.counterparty_name, second.counterparty_iban) == (
        "Imprimerie Mosane SRL",
        VAN_DAM,
    )
    assert second.remittance == "Paiement facture 2026-0203 affiches A2"
    # the stable keys the lines had when they were read without the spaces: read again, a
    # statement imported before adds nothing
    assert [first.bank_reference, second.bank_reference] == [
        "MT940-20261015-b117e82a777cff9d",
        "MT940-20261015-21d91a4226f0526c",
    ]


@pytest.mark.parametrize(
    ("info", "name", "remittance"),
    [
        # a code cut in two at a short line: no space inside it
        ("/NAME/J. Jansen/RE\nMI/USTD//Factuur 7/", "J. Jansen", "Factuur 7"),
        # a break at a code's slash: no space
        ("/NAME/\nJ. Jansen\n/REMI/USTD//Factuur 7/", "J. Jansen", "Factuur 7"),
        # a line of the full width (61 after the tag, 65 after it) was cut: no space
        ("/NAME/J. Jansen/REMI/USTD//" + "x" * 34 + "\nyz/", "J. Jansen", "x" * 34 + "yz"),
        ("/REMI/USTD//" + "a" * 49 + "\n" + "b" * 65 + "\nc/", "", "a" * 49 + "b" * 65 + "c"),
        # between two words: a space
        ("/NAME/J.\nJansen/REMI/USTD//Factuur\n7 dank u/", "J. Jansen", "Factuur 7 dank u"),
    ],
)
def test_structured_lines_join_as_the_bank_meant_them(info, name, remittance):
    details = parse_details(info)
    assert (details.name, details.remittance) == (name, remittance)


# --- the payer's IBAN in the free text of an MT940 or CODA -----------------------------------
# The rule of CAMT.053 (payer_iban_in_text): an account labelled as the payer's in the text of
# a credit that names no account otherwise. MT940 and CODA did not read it: the line had no
# IBAN, and a customer known by that account was not found by it.


@pytest.mark.parametrize(
    ("text", "payer"),
    [
        ("VAN: BE71 0961 2345 6769 JANSSENS BV factuur 2026-017", JANSSENS),
        ("Betaling factuur 2026-017 IBAN: NL44RABO0123456789", DE_VRIES),
        ("Tegenrekening NL44 RABO 0123 4567 89 factuur 2026-017", DE_VRIES),
        ("Graag naar IBAN: NL44RABO0123456789 factuur 2026-017", ""),  # an account to pay to
        (f"VAN: {OURS} factuur 2026-017", ""),  # our own account
    ],
)
def test_mt940_payer_iban_only_in_the_free_text_is_the_payer_iban(text, payer):
    data = plain(
        [("2610161016C25,00NTRFNONREF", wrapped(text).split("\n"))], closing="C261016EUR25,00"
    )
    [line] = parse_statement(data, source="triodos.sta")
    assert (line.counterparty_iban, line.amount) == (payer, Decimal("25.00"))


def test_mt940_payer_iban_from_the_free_text_keeps_the_stable_key_and_never_replaces_one(
    monkeypatch,
):
    from debiteuren.payments import lines as statement_lines

    text = "VAN: BE71 0961 2345 6769 JANSSENS BV factuur 2026-017"
    data = plain([("2610161016C25,00NTRFNONREF", [text])], closing="C261016EUR25,00")
    [line] = parse_statement(data, source="a.sta")
    monkeypatch.setattr(statement_lines, "payer_iban_in_text", lambda texts, own: "")
    [before] = parse_statement(data, source="a.sta")
    assert (line.counterparty_iban, before.counterparty_iban) == (JANSSENS, "")
    assert line.bank_reference == before.bank_reference
    monkeypatch.undo()
    # an account the bank gives in its own field stays the payer's (ING's CNTP)
    structured = ing(
        [
            (
                "2610161016C25,00NTRFEREF//00000000001001\n/TRCD/00100/",
                f"/EREF/NOTPROVIDED//CNTP/{DE_VRIES}/RABONL2U/P de Vries///REMI/USTD//{text}/",
            )
        ],
        opening="0,00",
        closing="25,00",
    )
    assert parse_statement(structured, source="ing.sta")[0].counterparty_iban == DE_VRIES


def _coda_with_information(*records: str, free: str = "Factuur 2026-017") -> bytes:
    """A CODA statement of one credit of € 25,00 without a counterparty account (no record
    23), followed by the given information records (31, 32, 33)."""
    s = pf.CodaStatement(pf.OUR_BE_2, day="2026-10-16")
    s.header()
    s.movement(sequence=1, amount="25.00", free=free)
    s.records[-1] = s.records[-1][:127] + ("1" if records else "0")
    s.records += records
    s.counted += len(records)
    s.footer()
    return pf.coda_file(s)


def _info(article: str, text: str, *, last: bool) -> str:
    start = {"1": 41, "2": 11, "3": 11}[article]
    fields = [(1, "3" + article), (3, "0001"), (7, "0000")]
    if article == "1":
        fields += [(11, "INFO".ljust(21)), (32, "00150000"), (40, "0")]
    return pf.coda_record(*fields, (start, text), (126, "0" if last else "1"))


def test_coda_payer_iban_only_in_the_communication_is_the_payer_iban():
    data = _coda_with_information(free="VAN: BE41 0630 1234 5610 Klant Een BV factuur 2026-17")
    [line] = parse_statement(data, source="belfius.cod")
    assert (line.counterparty_iban, line.amount) == (pf.BE_PAYER_1, Decimal("25.00"))


def test_coda_payer_iban_in_the_information_records_is_the_payer_iban():
    """Records 31 (free communication), 32 and 33 go on with the text of the movement: an
    account labelled as the payer's there is the payer's, also over two records."""
    data = _coda_with_information(
        _info("1", "EUROPESE OVERSCHRIJVING VAN KLANT EEN BV KERKSTRAAT 1 9000 GENT", last=False),
        _info("2", " BE41 0630 1234 5610 BIC GKCCBEBB MEDEDELING FACTUUR 2026-17", last=True),
    )
    [line] = parse_statement(data, source="fortis.cod")
    assert line.counterparty_iban == pf.BE_PAYER_1
    assert line.remittance == "Factuur 2026-017"  # the information stays out of the text
    plain_data = _coda_with_information(
        _info("1", "Omschrijving van de bank", last=False),
        _info("2", "zonder rekening", last=False),
        _info("3", "naar IBAN: BE41 0630 1234 5610", last=True),
    )
    assert parse_statement(plain_data, source="f.cod")[0].counterparty_iban == ""


# --- the pages of one CAMT.053 statement in separate files ------------------------------------


def camt_page(number: int, last: bool, opening: str, closing: str, amount: str, *, message: bool):
    """A page of statement S in a file of its own, paged by its message (``GrpHdr/MsgPgntn``)
    or by the statement (``StmtPgntn``): OPBD on the first page, ITBD between, CLBD last."""
    pages = f"<PgNb>{number}</PgNb><LastPgInd>{str(last).lower()}</LastPgInd>"
    balances = "".join(
        f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{value}</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-16</Dt></Dt></Bal>"
        for code, value in (
            ("OPBD" if number == 1 else "ITBD", opening),
            ("CLBD" if last else "ITBD", closing),
        )
    )
    return parse_statement_file(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-10-16T20:00:00</CreDtTm>
{f"<MsgPgntn>{pages}</MsgPgntn>" if message else ""}</GrpHdr>
<Stmt><Id>S</Id>{"" if message else f"<StmtPgntn>{pages}</StmtPgntn>"}
<Acct><Id><IBAN>{OURS}</IBAN></Id><Ccy>EUR</Ccy></Acct>{balances}
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-10-16</Dt></BookgDt><AcctSvcrRef>P{number}</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>""".encode(),
        source=f"pagina{number}.xml",
    )


@pytest.mark.parametrize("message", [True, False], ids=["MsgPgntn", "StmtPgntn"])
def test_camt_pages_in_separate_files_must_follow_on(message):
    from debiteuren.payments import pages_follow_on

    one = camt_page(1, False, "0.00", "10.00", "10.00", message=message)
    two = camt_page(2, False, "10.00", "30.00", "20.00", message=message)
    three = camt_page(3, True, "35.00", "40.00", "5.00", message=message)  # € 5,00 lost
    errors, present = pages_follow_on([three, one, two])
    assert present == {(1, 0), (2, 0)}  # pages 1 and 2: their next page is here
    [(index, error)] = errors.items()
    assert (index, error.source, error.where) == (
        0,
        "pagina3.xml",
        "element Document/BkToCstmrStmt/Stmt[1]/Bal",
    )
    assert error.problem.startswith(
        "afschrift S, pagina 3 van rekening NL91ABNA0417164300 begint met saldo € 35,00, maar "
        "pagina 2 in 'pagina2.xml' eindigt met € 30,00 (verschil € 5,00)"
    )
    right = camt_page(3, True, "30.00", "35.00", "5.00", message=message)
    assert pages_follow_on([one, two, right]) == ({}, {(0, 0), (1, 0)})
    # page 3 without page 2: nothing to compare, page 2 is still missing
    assert pages_follow_on([one, right]) == ({}, set())
