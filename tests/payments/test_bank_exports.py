"""Statements in the layouts Dutch and Belgian banks publish, read field by field.

The files in ``fixtures/banks/`` were written by hand after the banks' published
descriptions of their exports (no bank's file is copied; names, accounts and amounts are
made up, the IBANs and references have valid check digits):

* ``ing_nl_structured.sta``: ING (Mijn ING Zakelijk) MT940 with the structured ``:86:``
  (``/EREF/``, ``/CNTP/account/BIC/name/city/``, ``/REMI/USTD//`` and ``/REMI/STRD/CUR/``,
  ``/MARF/`` and ``/CSID/`` of a collected direct debit, ``/RTRN/`` of its return, an RF in
  ``/REMI/STRD/ISO/``), the SWIFT blocks on one line, ``:65:`` and the statement's own
  ``:86:/SUM/`` after the closing balance; ``ing_nl_pages.sta``: one statement over two pages
  (``:62M:``/``:60M:``).
* ``rabobank_structured.swi``: Rabobank MT940 "Structured" (``:940:``, amounts with leading
  zeros, the payer's account on the line after ``:61:``, ``/ORDP//NAME/``, ``/ADDR/``,
  ``/REMI/STRD/CUR//``, ``/ULTD//NAME/``, a returned credit with ``/RTRN/``).
* ``abnamro_labels.sta``: ABN AMRO MT940 with the older labelled ``:86:`` (``SEPA
  OVERBOEKING IBAN: … BIC: … NAAM: … OMSCHRIJVING: … KENMERK: …``, an acceptgiro with
  ``BETALINGSKENM.:``, iDEAL) and the newer ``/TRTP/`` layout.
* ``volksbank_camt053_001_08.xml``: de Volksbank (ASN, SNS, RegioBank) CAMT.053.001.08:
  ``Dbtr/Pty/Nm``, ``PRCD``/``CLBD``, ``TxsSummry`` with ``TtlNetNtry``, a batch
  (``Btch``), an ultimate debtor, an amount net of charges (``AmtDtls``), a second account's
  statement without entries.
* ``triodos_camt053_001_02.xml``: Triodos, Knab and bunq CAMT.053.001.02: a negative
  opening balance, ``Strd/CdtrRefInf`` with issuer CUR, a reversal (``RvslInd``), the payer
  only in ``AddtlNtryInf`` in the ``/TRTP/`` layout, an entry of € 0,00, one not yet booked
  (``PDNG``).
* ``kbc_coda_2_3.cod``: KBC, ING Belgium, Belfius, BNP Paribas Fortis CODA 2.3: records 21,
  22 (customer reference, BIC) and 23 (account, name), a structured OGM (type 101, position
  63), free communication over 21 and 22, a batch (type 1 with details type 5), a SEPA
  direct debit (type 127), its reversal by transaction code alone (05 58), a debit, and a
  second account's statement without movements.
* ``rabobank_camt053_001_02.xml``: Rabobank (Rabo Internetbankieren Professional) CAMT.053:
  ``AcctSvcrRef`` with a time stamp, ``BkTxCd`` with both the ISO code and Rabobank's own
  (``Prtry/Issr`` RABOBANK), the available balances ``CLAV`` and ``FWAV`` beside
  ``OPBD``/``CLBD``, ``TxsSummry`` with ``TtlNetNtryAmt`` (001.02), a betalingskenmerk
  (``Issr`` CUR) and an RF (``Issr`` ISO), a collection of two direct debits with their
  details (``Btch``) and one of three payments without them, the return of a direct debit
  (``UPDD`` with ``RtrInf`` MD06), costs (``ACMT/MDOP/CHRG``), a payment from abroad with its
  instructed amount in USD, and a savings account's statement without entries.
* ``ing_be_camt053_001_02.xml``: ING Belgium, KBC and BNP Paribas Fortis CAMT.053.001.02
  after the Belgian implementation (Febelfin transaction codes in ``BkTxCd/Prtry``): a
  negative opening balance (``DBIT``), ``MsgPgntn`` of one page, an OGM as ``Strd`` with
  ``Issr`` BBA, an OGM printed in ``Ustrd`` with the payer only in the bank's
  ``AddtlNtryInf``, a batch of a customer's payment and our own transfer that came back
  (``RtrInf``), the reversal of a credit (``RvslInd``), closing costs, and an entry not yet
  booked (``PDNG``).
* ``belfius_coda_2_6.cod``: Belfius and BNP Paribas Fortis CODA 2.6: the counterparty's full
  name in record 31 (structured communication 001) where record 23 cuts it at 35 characters;
  a transfer without a counterparty account whose information records 31, 32 and 33 (free
  communication) name the payer's IBAN in the bank's text; a batch (type 1, globalisation
  code 1) with details of type 5; a SEPA direct debit collected (type 127) and its return as
  an R-transaction (record 22, position 113); bank costs (family 35); a free message (record
  4); a second statement of an account in USD without movements.

Every field of every line and of every statement is compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from debiteuren.payments import StatementError, parse_statement_files

BANKS = Path(__file__).parent / "fixtures" / "banks"

#: Per file: its statements (account, day, credits, their total, debits, their total, opening
#: and closing balance) and its lines (booking and value date, amount, reversal, payer's name,
#: payer's IBAN, structured reference, remittance).
EXPECTED = {
    "abnamro_labels.sta": (
        [
            ("417164300", "2026-11-06", 5, "1155.00", 1, "45.00", "1500.00", "2610.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "BAKKERIJ DE KORENSCHOOF BV",
                "NL44RABO0123456789",
                "",
                "FACTUUR 2026-0077 KLANT K002",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "GROEN HOVENIERS VOF",
                "NL20INGB0001234567",
                "4000000020260078",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "250.00",
                False,
                "JANSEN INSTALLATIE",
                "NL63TRIO0212345678",
                "",
                "0050001234567890 2026-0079 JANSEN",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "80.00",
                False,
                "BRASSERIE HET ANKER",
                "BE68539007547034",
                "",
                "RF18539007547034",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "99.00",
                False,
                "K. DE WIT",
                "NL02ABNA0123456789",
                "4000000020260094",  # /REMI//CUR/…: the issuer CUR and the betalingskenmerk
                "",
            ),
        ],
    ),
    "ing_nl_pages.sta": (
        [
            ("NL69INGB0123456789", "2026-11-06", 1, "605.00", 0, "0", "1500.00", "2105.00"),
            ("NL69INGB0123456789", "2026-11-06", 1, "121.00", 0, "0", "2105.00", "2226.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "Bakkerij",
                "NL44RABO0123456789",
                "",
                "Factuur 2026-0077",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "Groen",
                "NL20INGB0001234567",
                "",
                "Factuur 2026-0078",
            ),
        ],
    ),
    "ing_nl_structured.sta": (
        [
            ("NL69INGB0123456789", "2026-11-06", 4, "1056.00", 2, "295.00", "1500.00", "2261.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "Bakkerij De Korenschoof BV",
                "NL44RABO0123456789",
                "",
                "Factuur 2026-0077 klantnr K002",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "Groen Hoveniers VOF",
                "NL20INGB0001234567",
                "4000000020260078",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "250.00",
                False,
                "Jansen Installatie",
                "NL63TRIO0212345678",
                "",
                "Incasso factuur 2026-0079",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "250.00",
                True,
                "Jansen Installatie",
                "NL63TRIO0212345678",
                "",
                "Incasso factuur 2026-0079",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "80.00",
                False,
                "Brasserie Het Anker",
                "BE68539007547034",
                "RF18539007547034",
                "",
            ),
        ],
    ),
    "belfius_coda_2_6.cod": (
        [
            ("BE68539007547034", "2026-11-06", 4, "1849.00", 2, "96.50", "2500.00", "4252.50"),
            ("BE43068999999501", "2026-11-06", 0, "0", 0, "0", "750.00", "750.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "1210.00",
                False,
                "Groen Hoveniers en Tuinaanleg Vlaanderen BV",  # record 31, not 23's 35
                "BE62310012345661",
                "002026010102",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "250.00",
                False,
                "",
                "BE41063012345610",  # from the bank's text in records 31 and 32
                "",
                "Factuur 2026-0102 Klant Een BV",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "100.00",
                False,
                "Bakkerij Vermeulen",
                "BE48001123456727",
                "002026010304",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "200.00",
                False,
                "Garage Peeters BV",
                "BE36734012345681",
                "",
                "Factuur 2026-0104",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "89.00",
                False,
                "Bakkerij Vermeulen",
                "BE48001123456727",
                "",
                "Factuur 2026-0105",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "89.00",
                True,
                "Bakkerij Vermeulen",
                "BE48001123456727",
                "",
                "Terugbetaling domiciliering",
            ),
        ],
    ),
    "rabobank_camt053_001_02.xml": (
        [
            ("NL39RABO0300065264", "2026-11-06", 5, "2422.00", 2, "96.50", "1500.00", "3825.50"),
            ("NL18RABO0123459876", "2026-11-06", 0, "0", 0, "0", "10000.00", "10000.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "Bakkerij De Korenschoof BV",
                "NL44RABO0123456789",
                "1000000020260111",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "Groen Hoveniers VOF",
                "NL20INGB0001234567",
                "RF4120260112",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "265.00",
                False,
                "P de Vries",
                "NL63TRIO0212345678",
                "",
                "Factuur 2026-0114",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "89.00",
                False,
                "K. de Wit",
                "NL02ABNA0123456789",
                "",
                "Factuur 2026-0115",
            ),
            # a batch of three without details: one line, to check (its review reason)
            ("2026-11-06", "2026-11-06", "500.00", False, "", "", "", "Verzamelbetaling"),
            (
                "2026-11-06",
                "2026-11-06",
                "89.00",
                True,
                "K. de Wit",
                "NL02ABNA0123456789",
                "",
                "Factuur 2026-0115",
            ),
            (
                "2026-11-06",
                "2026-11-05",
                "842.00",
                False,
                "Export Partner GmbH",
                "DE89370400440532013000",
                "",
                "Invoice 2026-0116 Oorspronkelijk bedrag USD 1.000,00",
            ),
        ],
    ),
    "ing_be_camt053_001_02.xml": (
        [
            ("BE71096123456769", "2026-11-06", 3, "1368.00", 2, "163.00", "-120.00", "1085.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "726.00",
                False,
                "Klant Een BV",
                "BE41063012345610",
                "002026012122",
                "",
            ),
            (  # the payer's account only in AddtlNtryInf; the OGM stays text (matched there)
                "2026-11-06",
                "2026-11-06",
                "242.00",
                False,
                "",
                "BE62310012345661",
                "",
                "+++002/0260/12223+++",
            ),
            (  # of the batch of 400.00, only the customer's payment: 250.00 is our own
                "2026-11-06",
                "2026-11-06",
                "150.00",
                False,
                "Bakkerij Vermeulen",
                "BE48001123456727",
                "",
                "Factuur 2026-0123",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "150.00",
                True,
                "Bakkerij Vermeulen",
                "BE48001123456727",
                "",
                "Factuur 2026-0123",
            ),
        ],
    ),
    "kbc_coda_2_3.cod": (
        [
            ("BE71096123456769", "2026-11-06", 4, "1106.00", 2, "105.00", "1000.00", "2001.00"),
            ("BE72000000001616", "2026-11-06", 0, "0", 0, "0", "1000.00", "1000.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "Brasserie Het Anker",
                "BE68539007547034",
                "002026007775",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "Klant Een BV",
                "BE41063012345610",
                "",
                "Factuur 2026-0078 en 2026-0079, met dank voor de snelle levering van de bestelling",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "100.00",
                False,
                "Klant Een BV",
                "BE41063012345610",
                "000202503159",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "200.00",
                False,
                "Drukkerij Peeters",
                "BE62310012345661",
                "",
                "Factuur 2025-032",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "80.00",
                False,
                "Drukkerij Peeters",
                "BE62310012345661",
                "",
                "Factuur 2026-0081",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "80.00",
                True,
                "Drukkerij Peeters",
                "BE62310012345661",
                "",
                "Terugdraaiing incasso",
            ),
        ],
    ),
    "rabobank_structured.swi": (
        [
            ("NL39RABO0300065264", "2026-11-06", 3, "806.00", 2, "166.00", "1500.00", "2140.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "Bakkerij De Korenschoof BV",
                "NL44RABO0123456789",
                "",
                "Factuur 2026-0077",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "Groen Hoveniers VOF",
                "NL20INGB0001234567",
                "4000000020260078",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "80.00",
                False,
                "Het Anker Gent",
                "BE68539007547034",
                "RF18539007547034",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                True,
                "Groen Hoveniers VOF",
                "NL20INGB0001234567",
                "4000000020260078",
                "",
            ),
        ],
    ),
    "triodos_camt053_001_02.xml": (
        [
            ("NL27TRIO0123456789", "2026-11-06", 4, "786.00", 1, "121.00", "-250.00", "415.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "Bakkerij De Korenschoof BV",
                "NL44RABO0123456789",
                "",
                "Factuur 2026-0077 klant K002",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "Groen Hoveniers VOF",
                "NL20INGB0001234567",
                "4000000020260078",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                True,
                "Groen Hoveniers VOF",
                "NL20INGB0001234567",
                "4000000020260078",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "60.00",
                False,
                "K. de Wit",
                "NL02ABNA0123456789",
                "",
                "Factuur 2026-0094",
            ),
        ],
    ),
    "volksbank_camt053_001_08.xml": (
        [
            ("NL86SNSB0123456789", "2026-11-06", 4, "1016.00", 1, "85.00", "1500.00", "2431.00"),
            ("NL42SNSB0987654321", "2026-11-06", 0, "0", 0, "0", "0.00", "0.00"),
        ],
        [
            (
                "2026-11-06",
                "2026-11-06",
                "605.00",
                False,
                "Bakkerij De Korenschoof BV",
                "NL44RABO0123456789",
                "",
                "Factuur 2026-0077 klant K002",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "121.00",
                False,
                "Groen Hoveniers VOF",
                "NL20INGB0001234567",
                "4000000020260078",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "130.00",
                False,
                "Gemeente Arnhem",
                "NL63TRIO0212345678",
                "",
                "2026-0080",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "80.00",
                False,
                "Het Anker Gent",
                "BE68539007547034",
                "RF18539007547034",
                "",
            ),
            (
                "2026-11-06",
                "2026-11-06",
                "80.00",
                False,
                "Export Partner GmbH",
                "DE89370400440532013000",
                "",
                "Invoice 2026-0081 Overgemaakt € 82,50, bijgeschreven € 80,00 (€ 2,50 minder: kosten of inhouding)",
            ),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bank_layout_is_read_field_by_field(name):
    statements, lines = EXPECTED[name]
    files = parse_statement_files((BANKS / name).read_bytes(), source=name)
    found = [
        (
            s.account,
            str(s.day),
            s.credits,
            str(s.credit_total),
            s.debits,
            str(s.debit_total),
            str(s.opening),
            str(s.closing),
        )
        for f in files
        for s in f.statements
    ]
    assert found == statements
    found = [
        (
            str(x.booking_date),
            str(x.value_date),
            str(x.amount),
            x.is_reversal,
            x.counterparty_name,
            x.counterparty_iban,
            x.structured_reference,
            x.remittance,
        )
        for f in files
        for x in f.lines
    ]
    assert found == lines
    accounts = {s[0] for s in statements}
    assert {x.account_iban for f in files for x in f.lines} <= accounts
    assert {x.currency for f in files for x in f.lines} == {"EUR"}
    keys = [x.bank_reference for f in files for x in f.lines]
    assert len(set(keys)) == len(keys)  # every line its own key


def test_every_bank_layout_file_is_compared():
    assert sorted(p.name for p in BANKS.iterdir() if p.suffix != ".md") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize(
    "saved",
    [
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: data.replace(b"\n", b"\r"), id="cr"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="bom"),
    ],
)
def test_a_bank_layout_reads_the_same_with_any_line_end_and_a_byte_order_mark(name, saved):
    data = (BANKS / name).read_bytes().replace(b"\r\n", b"\n")  # the CODA file has CRLF
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    lines = [f.lines for f in parse_statement_files(data, source=name)]
    assert [f.lines for f in parse_statement_files(saved(data), source=name)] == lines


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bank_layout_in_latin_1_reads_as_in_utf_8(name):
    """Dutch and Belgian banks write MT940 and CODA in Latin-1 or Windows-1252 (and CAMT with
    its XML declaration saying so); a name with 'ë' and 'é' reads the same as in UTF-8."""
    text = (BANKS / name).read_text(encoding="ascii")
    accented = {
        "Groen Hoveniers": "Groen Hoveniërs",
        "GROEN HOVENIERS": "GROEN HOVENIËRS",
        "Klant Een BV": "Klant Één BV",
        "Bakkerij": "Bäkkerij",
        "BAKKERIJ": "BÄKKERIJ",
    }
    for old, new in accented.items():
        text = text.replace(old, new)
    utf8 = parse_statement_files(text.encode("utf-8"), source=name)
    if name.endswith(".xml"):
        text = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    latin1 = parse_statement_files(text.encode("latin-1"), source=name)
    assert any(not x.counterparty_name.isascii() for f in utf8 for x in f.lines)
    assert [f.lines for f in latin1] == [f.lines for f in utf8]


#: Per file: a damage (bytes replaced once) and where the refusal names it.
DAMAGED = [
    (  # one amount changed: the trailer's credit total no longer agrees
        "belfius_coda_2_6.cod",
        b"0000000001210000061126",
        b"0000000001211000061126",
        "regel 27",
        "het totaal credit in het afsluitrecord is € 1.849,00, maar de bewegingen geven "
        "€ 1.850,00 (verschil € 1,00)",
    ),
    (  # a record 22 of another movement
        "belfius_coda_2_6.cod",
        b"2200040000",
        b"2200050000",
        "regel 19",
        "record 22 hoort bij beweging 0005/0000, maar volgt op beweging 0004/0000",
    ),
    (
        "rabobank_camt053_001_02.xml",
        b'<Amt Ccy="EUR">605.00</Amt>\n        <CdtDbtInd>',
        b'<Amt Ccy="EUR">650.00</Amt>\n        <CdtDbtInd>',
        "element Document/BkToCstmrStmt/Stmt[1]/Bal",
        "beginsaldo € 1.500,00 plus de geboekte posten (€ 2.370,50) is € 3.870,50, maar het "
        "eindsaldo is € 3.825,50",
    ),
    (
        "rabobank_camt053_001_02.xml",
        b'<Amt Ccy="EUR">7.50</Amt>',
        b'<Amt Ccy="EUR">7,50</Amt>',
        "element Document/BkToCstmrStmt/Stmt[1]/Ntry[6]/Amt",
        "bedrag '7,50' is geen geldig bedrag",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "where", "problem"), DAMAGED)
def test_a_damaged_bank_layout_is_refused_whole_naming_the_place(name, old, new, where, problem):
    data = (BANKS / name).read_bytes()
    assert data.count(old) == 1
    with pytest.raises(StatementError) as refused:
        parse_statement_files(data.replace(old, new), source=name)
    assert (refused.value.source, refused.value.where) == (name, where)
    assert problem in refused.value.problem
    assert refused.value.message.endswith("Er is niets uit dit bestand ingelezen.")
