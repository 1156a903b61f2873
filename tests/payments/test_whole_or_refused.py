"""A statement is read whole or refused whole; the real MT940 variants; own returns; other files.

The MT940 texts follow the layouts the Dutch banks publish (ING "Mijn ING Zakelijk" and the old
ING layout, Rabobank old and new, ABN AMRO, Triodos, Knab, ASN/SNS, bunq); names, accounts and
amounts are invented, IBANs are valid.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import payment_fixtures as pf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from debiteuren.payments import StatementError, parse_statement_file, read_statement_file
from debiteuren.payments.mt940 import parse_details

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal


def mt940(body: str, *, opening: str = "1000,00", closing: str, account: str = pf.OUR_NL_ING):
    return (
        f":20:P1\n:25:{account}EUR\n:28C:7/1\n:60F:C250302EUR{opening}\n{body}"
        f":62F:C250303EUR{closing}\n-\n"
    )


def parse(text: str, name: str = "x.sta", encoding: str = "utf-8"):
    return parse_statement_file(text.encode(encoding), source=name)


def refused(text: str | bytes, name: str = "x.sta") -> StatementError:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(StatementError) as caught:
        parse_statement_file(data, source=name)
    return caught.value


# --- MT940: whole or refused -------------------------------------------------------------------


def page(number: int, opening: str, amount: str, closing: str, *, account=pf.OUR_NL_ING) -> str:
    """One page of a statement split over messages: ``opening`` and ``closing`` are the
    balance tags and amounts (``60F:C250302EUR1000,00``, ``62M:C250303EUR1100,00``)."""
    return (
        f":20:P1\n:25:{account}EUR\n:28C:7/{number}\n:{opening}\n"
        f":61:2503030303C{amount}NTRFNONREF//{number}\n:86:/REMI/USTD//Factuur 2025-0{number}/\n"
        f":{closing}\n-\n"
    )


FIRST = page(1, "60F:C250302EUR1000,00", "100,00", "62M:C250303EUR1100,00")
SECOND = page(2, "60M:C250303EUR1100,00", "250,00", "62M:C250303EUR1350,00")
THIRD = page(3, "60M:C250303EUR1350,00", "40,00", "62F:C250303EUR1390,00")


def test_a_statement_over_pages_is_read_page_after_page():
    result = parse(FIRST + SECOND + THIRD)
    assert [(line.amount, line.remittance) for line in result.lines] == [
        (D("100.00"), "Factuur 2025-01"),
        (D("250.00"), "Factuur 2025-02"),
        (D("40.00"), "Factuur 2025-03"),
    ]
    assert [(s.opening, s.closing) for s in result.statements] == [
        (D("1000.00"), D("1100.00")),
        (D("1100.00"), D("1350.00")),
        (D("1350.00"), D("1390.00")),
    ]


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        # the middle page left out: each page balances on its own, € 250,00 was lost
        (
            FIRST + THIRD,
            "regel 7",
            "afschrift 7/1 van rekening NL69INGB0123456789 eindigt met een tussensaldo (:62M: "
            "€ 1.100,00) en gaat verder op een volgende pagina, maar het volgende afschrift "
            "begint met :60M: € 1.350,00, niet met dat tussensaldo: er ontbreekt een pagina met "
            "boekingen; het bestand is onvolledig",
        ),
        # the file cut after a page
        (
            FIRST + SECOND,
            "regel 15",
            "afschrift 7/2 van rekening NL69INGB0123456789 eindigt met een tussensaldo (:62M: "
            "€ 1.350,00) en gaat verder op een volgende pagina, maar het bestand houdt daar op: "
            "er ontbreekt een pagina met boekingen; het bestand is onvolledig",
        ),
        # the first page left out
        (
            SECOND + THIRD,
            "regel 4",
            "afschrift 7/2 van rekening NL69INGB0123456789 begint met een tussensaldo (:60M:): "
            "het is het vervolg van een vorige pagina, die niet in het bestand staat; het "
            "bestand is onvolledig",
        ),
        # a day's statement, then a page that continues another
        (
            page(1, "60F:C250302EUR1000,00", "100,00", "62F:C250303EUR1100,00") + THIRD,
            "regel 12",
            "afschrift 7/3 van rekening NL69INGB0123456789 begint met een tussensaldo (:60M:): "
            "het is het vervolg van een vorige pagina, die niet in het bestand staat; het "
            "bestand is onvolledig",
        ),
        # the next page is of another account
        (
            FIRST
            + page(
                2, "60M:C250303EUR1100,00", "250,00", "62F:C250303EUR1350,00", account=pf.OUR_NL
            ),
            "regel 7",
            "afschrift 7/1 van rekening NL69INGB0123456789 eindigt met een tussensaldo (:62M: "
            f"€ 1.100,00) en gaat verder op een volgende pagina, maar het volgende afschrift is "
            f"van rekening {pf.OUR_NL}: er ontbreekt een pagina met boekingen; het bestand is "
            "onvolledig",
        ),
    ],
)
def test_a_statement_over_pages_with_a_page_left_out_is_refused(text, where, problem):
    """A long statement goes over messages: :62M: (an intermediate closing balance) on one
    page, the same :60M: on the next. Each page balances on its own, so a page left out was
    not seen: its credits were lost and the file read with exit 0."""
    error = refused(text)
    assert (error.where, error.problem) == (where, problem)


HUGE = 100_000


@pytest.mark.parametrize(
    ("old", "new", "where", "start"),
    [
        (
            ":61:2503030303C100,00",
            ":61:2503030303C" + "6" * HUGE + ",00",
            "regel 5",
            "boeking :61: '2503030303C666",
        ),
        (":61:2503030303C100,00", ":61:" + "x" * HUGE, "regel 5", "boeking :61: 'xxx"),
        (
            ":60F:C250302EUR1000,00",
            ":60F:C250302EUR" + "1" * HUGE,
            "regel 4",
            "saldo :60F: 'C250302EUR111",
        ),
        (
            ":25:NL69INGB0123456789EUR",
            ":25:" + "N" * HUGE,
            "regel 2",
            "het rekeningnummer (:25:) 'NNN",
        ),
    ],
)
def test_a_huge_mt940_field_is_refused_in_a_short_message(old, new, where, start):
    """A field of 100,000 characters was quoted whole: a message of 100,000 characters in the
    terminal and Excel's message box. It quotes the start (80 characters); an account of more
    than 34 characters, which was read and named in every report line, is refused."""
    text = mt940(":61:2503030303C100,00NTRFNONREF//1\n:86:/REMI/USTD//F 1/\n", closing="1100,00")
    assert old in text
    error = refused(text.replace(old, new, 1))
    assert error.where == where
    assert error.problem.startswith(start)
    assert len(error.problem) < 250 and "…'" in error.problem


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('<Amt Ccy="EUR">605.00</Amt>', '<Amt Ccy="EUR">' + "6" * HUGE + "</Amt>", "Ntry[1]/Amt"),
        (
            "<BookgDt><Dt>2026-11-06</Dt>",
            "<BookgDt><Dt>2026-11-06" + "x" * HUGE + "</Dt>",
            "Ntry[1]/BookgDt/Dt",
        ),
        (
            "<CdtDbtInd>CRDT</CdtDbtInd><Sts>",
            "<CdtDbtInd>" + "C" * HUGE + "</CdtDbtInd><Sts>",
            "Ntry[1]/CdtDbtInd",
        ),
        ("<Sts><Cd>BOOK</Cd></Sts>", "<Sts><Cd>" + "B" * HUGE + "</Cd></Sts>", "Ntry[1]/Sts"),
        ("<IBAN>NL86SNSB0123456789</IBAN>", "<IBAN>" + "N" * HUGE + "</IBAN>", "Acct/Id"),
        ('<Amt Ccy="EUR">1500.00</Amt>', '<Amt Ccy="EUR">' + "1" * HUGE + "</Amt>", "Bal/Amt"),
    ],
)
def test_a_huge_camt_value_is_refused_in_a_short_message(old, new, where):
    data = (FIXTURES / "banks" / "volksbank_camt053_001_08.xml").read_text()
    assert old in data
    error = refused(data.replace(old, new, 1).encode(), "c.xml")
    assert error.where == f"element Document/BkToCstmrStmt/Stmt[1]/{where}"
    assert len(error.problem) < 300 and "…'" in error.problem


def test_a_huge_statement_number_is_shown_short():
    """A statement's number (MT940 :28C:, CAMT Stmt/Id) names it in every report line."""
    text = mt940(":61:2503030303C100,00NTRFNONREF//1\n:86:/REMI/USTD//F 1/\n", closing="1100,00")
    [summary] = parse(text.replace(":28C:7/1", ":28C:" + "9" * HUGE, 1)).statements
    assert summary.label == "afschrift " + "9" * 79 + "…"
    data = (FIXTURES / "banks" / "volksbank_camt053_001_08.xml").read_text()
    data = data.replace("<Id>20261106-NL86SNSB0123456789</Id>", f"<Id>{'I' * HUGE}</Id>", 1)
    first, _ = parse_statement_file(data.encode(), source="c.xml").statements
    assert first.label == "afschrift " + "I" * 79 + "…"


def _paged(cents: list[int], cuts: list[int]) -> list[str]:
    """One statement of credits (in cents) over pages, cut after the bookings in ``cuts``."""
    pages, balance, start = [], 100_000, 0
    bounds = [*sorted(set(cuts)), len(cents)]
    for number, end in enumerate(bounds, start=1):
        opening = (
            f"{'60F' if number == 1 else '60M'}:C250302EUR{balance // 100},{balance % 100:02d}"
        )
        body = ""
        for index in range(start, end):
            amount = f"{cents[index] // 100},{cents[index] % 100:02d}"
            body += f":61:2503030303C{amount}NTRFNONREF//{index}\n:86:/REMI/USTD//F {index}/\n"
            balance += cents[index]
        tag = "62F" if number == len(bounds) else "62M"
        closing = f"{tag}:C250303EUR{balance // 100},{balance % 100:02d}"
        pages.append(
            f":20:P1\n:25:{pf.OUR_NL_ING}EUR\n:28C:7/{number}\n:{opening}\n{body}:{closing}\n-\n"
        )
        start = end
    return pages


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=10**7), min_size=2, max_size=8).flatmap(
        lambda cents: st.tuples(
            st.just(cents),
            st.lists(st.integers(min_value=1, max_value=len(cents) - 1), min_size=1, max_size=4),
            st.data(),
        )
    )
)
def test_pages_read_as_one_statement_and_any_page_left_out_refuses(case):
    cents, cuts, data = case
    pages = _paged(cents, cuts)
    whole = parse("".join(_paged(cents, [])))
    assert [x.amount for x in parse("".join(pages)).lines] == [x.amount for x in whole.lines]
    left_out = data.draw(st.integers(min_value=0, max_value=len(pages) - 1))
    with pytest.raises(StatementError, match="tussensaldo"):
        parse_statement_file("".join(pages[:left_out] + pages[left_out + 1 :]).encode(), source="p")


def test_a_dash_line_inside_86_is_text_and_the_bookings_after_it_are_read():
    text = mt940(
        ":61:2503030303C100,00NTRFNONREF//1\n"
        ":86:/REMI/USTD//Factuur 2025-017 periode 01-02-2025/28-02-2025 -\n"
        "-\n"
        ":61:2503030303C250,00NTRFNONREF//2\n"
        ":86:/REMI/USTD//Factuur 2025-018/\n",
        closing="1350,00",
    )
    result = parse(text)
    assert [line.amount for line in result.lines] == [D("100.00"), D("250.00")]
    assert result.lines[0].remittance.endswith("28-02-2025 --")
    (statement,) = result.statements
    assert (statement.credits, statement.credit_total) == (2, D("350.00"))


def test_a_statement_cut_off_before_its_closing_balance_is_refused():
    text = mt940(":61:2503030303C100,00NTRFNONREF//1\n:86:/REMI/USTD//x/\n", closing="1100,00")
    cut = text[: text.index(":62F:")]
    error = refused(cut)
    assert "houdt hier op vóór het eindsaldo (:62F:)" in error.problem
    assert "regel 1 begint" in error.problem


def test_a_dash_between_two_statements_without_closing_balance_is_refused():
    first = mt940(":61:2503030303C100,00NTRFNONREF//1\n", closing="1100,00")
    first = first.replace(":62F:C250303EUR1100,00\n", "")
    error = refused(first + mt940("", closing="1000,00"))
    assert "vóór het eindsaldo" in error.problem and error.where == "regel 7"


def test_a_booking_outside_a_statement_is_refused():
    text = mt940("", closing="1000,00") + ":61:2503030303C5,00NTRFNONREF\n"
    error = refused(text)
    assert error.where == "regel 7" and "buiten een afschrift" in error.problem


def test_an_unknown_field_is_refused():
    error = refused(mt940(":23:XYZ\n", closing="1000,00"))
    assert "onbekend veld :23:" in error.problem


def test_a_time_cut_at_the_end_of_an_86_line_is_text_not_a_field():
    """ING cuts the :86: text at 65 characters wherever it falls; a time cut after its hour
    puts ':00:00/' at the start of the next line (zilverline/mt940 ing_00_00 layout), which
    refused the whole file as an unknown field ':00:'."""
    text = mt940(
        ":61:2506010601C100,00NTRFEREF//6666666666666\n/TRCD/00100/\n"
        ":86:/EREF/0000008668-0000000000-001//CNTP/NL20INGB0001234567/INGBNL2A\n"
        "/J JANSEN///REMI/USTD//FACTUUR 2025-017 BETAALD 05/31/2025 11\n:00:00/\n",
        closing="1100,00",
    )
    (line,) = parse(text).lines
    assert line.remittance == "FACTUUR 2025-017 BETAALD 05/31/2025 11:00:00"
    assert line.counterparty_iban == pf.ING_PAYER


def test_a_time_cut_before_its_minutes_is_no_account_field():
    """':25:00' (a time 11:25:00 cut after its hour) at the start of an :86: line was read
    as a new account (:25:), and every booking of the statement was put on account
    '00DANKU'; after a booking, a statement's header fields can only be text."""
    text = mt940(
        ":61:2506010601C100,00NTRFEREF//1\n"
        ":86:/EREF/E1//CNTP/NL20INGB0001234567/INGBNL2A/J JANSEN///REMI/USTD//BETAALD 11\n"
        ":25:00 DANK U\n:61:2506010601C50,00NTRFEREF//2\n:86:/REMI/USTD//Factuur 7/\n",
        closing="1150,00",
    )
    result = parse(text)
    assert {line.account_iban for line in result.lines} == {pf.OUR_NL_ING}
    assert result.lines[0].remittance == "BETAALD 11:25:00 DANK U"
    assert result.statements[0].account == pf.OUR_NL_ING


def test_a_time_cut_before_minute_20_is_text_but_a_new_statement_is_not():
    booking = (
        ":61:2506010601C100,00NTRFEREF//1\n"
        ":86:/EREF/E1//CNTP/NL20INGB0001234567/INGBNL2A/J JANSEN///REMI/USTD//BETAALD 11\n"
        ":20:00 DANK U/\n"
    )
    (line,) = parse(mt940(booking, closing="1100,00")).lines
    assert line.remittance == "BETAALD 11:20:00 DANK U"
    # the same line before a statement's header is a new statement: the first one is cut off
    cut = mt940(booking, closing="1100,00").replace(":62F:C250303EUR1100,00\n-\n", "")
    error = refused(cut.replace(":20:00 DANK U/\n", "") + mt940("", closing="1000,00"))
    assert "vóór het eindsaldo" in error.problem


def test_mt942_says_what_it_is_and_what_to_give_instead():
    text = ":20:X\n:25:NL69INGB0123456789\n:28C:1\n:34F:EUR0,\n:13D:2503031200+0100\n"
    error = refused(text)
    assert "MT942" in error.problem and "MT940 (of CAMT.053)" in error.problem
    block = "{1:F01INGBNL2AXXXX0000000000}{2:O942INGBNL2AXXXXN}{4:\n:20:X\n-}\n"
    assert "MT942" in refused(block).problem


def test_a_missing_closing_balance_at_the_end_of_the_file_is_refused():
    text = ":20:X\n:25:NL69INGB0123456789\n:60F:C250302EUR0,00\n:61:2503030303C5,00NTRFNONREF\n"
    assert "vóór het eindsaldo" in refused(text).problem


# --- MT940: the banks' variants ----------------------------------------------------------------


def test_old_ing_nov_type_and_unstructured_86():
    text = (
        "0000 01INGBNL2AXXXX00001\n0000 01INGBNL2AXXXX00001\n940 00\n"
        ":20:MPBZ\n:25:0001234567\n:28C:100\n:60F:C100722EUR0,00\n"
        ":61:100722C25,03NOV NONREF\n:86:0111111111 J. JANSEN\nFACTUUR 2010-17\n"
        ":61:100722D3,03NOV NONREF\n:86:0111111111 KOSTEN\n"
        ":61:1007220721C3,68NVZ NONREF\n:86:0111111111 VERZAMEL\n"
        ":62F:C100723EUR25,68\n:86:D000001C000002D3,03C28,71\n"
    )
    result = parse(text)
    assert [(line.amount, line.remittance) for line in result.lines] == [
        (D("25.03"), "0111111111 J. JANSEN FACTUUR 2010-17"),
        (D("3.68"), "0111111111 VERZAMEL"),
    ]
    assert result.statements[0].account == "0001234567"


def test_triodos_nit_type_and_numbered_subfields():
    iban = "NL44RABO0123456789"
    text = (
        ":20:1352294232659/1\n:25:TRIODOSBANK/0212345678\n:28:1\n:60F:C121123EUR1000,00\n"
        ":61:121123D10,00NIT NONREF\n:86:000>100555555555\n>20KANTOOR BV>310212345678\n"
        ":61:121123C150,00NET NONREF\n:86:000>100000000000\n>20RABONL2U\n"
        f">21{iban}\n>22BAKKERIJ DE KORENSCHOOF  FA>23CTUUR 2025-017\n>310212345678\n"
        ":62F:C121123EUR1140,00\n-\n"
    )
    result = parse(text)
    (line,) = result.lines
    assert (line.amount, line.counterparty_iban, line.remittance) == (
        D("150.00"),
        iban,
        "BAKKERIJ DE KORENSCHOOF FACTUUR 2025-017",
    )
    assert result.statements[0].account == "0212345678"


def test_old_rabobank_dot_decimals_and_the_name_in_the_reference():
    text = (
        ":940:\n:20:940A030109\n:25:1700.59.308EUR                     \n:28:00000/00\n"
        ":60F:C030108EUR000000001000.00\n"
        ":61:030109C000000000250.00NMSC481246134       WASWIT BV\n"
        ":86:KLANT 45680/ FAKTUUR 472564 ONDER\n:86:AFTREK VAN 2% BETALINGSKORTING.\n"
        ":61:030109D000000000110.00NMSC644530030       INSTANT-LOTERY\n"
        ":86:AFREKENING\n"
        ":62F:C030109EUR000000001140.00\n"
    )
    result = parse(text)
    (line,) = result.lines
    assert (line.amount, line.counterparty_name, line.remittance) == (
        D("250.00"),
        "WASWIT BV",
        "KLANT 45680/ FAKTUUR 472564 ONDER AFTREK VAN 2% BETALINGSKORTING.",
    )
    assert result.statements[0].account == "1700.59.308"


def test_a_dot_amount_with_three_decimals_is_refused():
    text = mt940(":61:2503030303C1.000NTRFNONREF\n", closing="1000,00")
    assert "is ongeldig" in refused(text).problem


@pytest.mark.parametrize(
    ("body", "closing", "where"),
    [
        (":61:2503030303C1000NTRFNONREF\n:86:/REMI/USTD//F1/\n", "2000,00", "regel 5"),
        (":61:250303C1000 NMSCNONREF//B1\n", "2000,00", "regel 5"),
        (":61:2503030303C10,00NTRFNONREF\n", "1010", "regel 6"),
    ],
)
def test_an_amount_without_decimal_comma_is_refused_and_says_so(body, closing, where):
    """SWIFT requires the comma (1000, or 1000,00); without it 1000 may be a thousand euro or
    ten (in cents, as a converter from a bank's CSV may write): refused, never read as either,
    with the line and what is missing."""
    error = refused(mt940(body, closing=closing))
    assert error.where == where
    shown = "1010" if closing == "1010" else "1000"
    assert f"het bedrag '{shown}' heeft geen decimaalkomma" in error.problem


def test_knab_rek_and_naam_labels():
    text = (
        "{1:F01KNABNL2HAXXX0000000000}{2:I940KNABNL2HXXXXN3020}{4:\n"
        ":20:B1\n:25:NL92KNAB0123456789\n:28C:1/1\n:60F:C141024EUR0,\n"
        ":61:1410241024C10,NTRFNONREF//AB1\n"
        f":86:FACTUUR 2014-77 HARTELIJK DANK\nREK: {pf.ING_PAYER}/NAAM: STICHTING DERDEN\n"
        ":62F:C141027EUR10,\n-}\n"
    )
    (line,) = parse(text).lines
    assert (line.counterparty_iban, line.counterparty_name, line.remittance) == (
        pf.ING_PAYER,
        "STICHTING DERDEN",
        "FACTUUR 2014-77 HARTELIJK DANK",
    )


def test_knab_betalingskenmerk_label_keeps_the_reference():
    """Knab's older layout writes the payment reference as ``BETALINGSKENMERK:`` before
    ``REK:``/``NAAM:``; the label ``KENMERK`` inside that word took the reference (and the text
    after it) out of the remittance (zilverline/mt940 knab_two_blocks layout)."""
    reference = pf.nl_payment_reference("2014-77")
    text = (
        "{1:F01KNABNL2HAXXX0000000000}{2:I940KNABNL2HXXXXN3020}{4:\n"
        ":20:B1\n:25:NL92KNAB0123456789\n:28C:1/1\n:60F:C141024EUR0,\n"
        ":61:1410241024C10,NTRFNONREF//AB1\n"
        f":86:ACCEPTGIRO, BETALINGSKENMERK: {reference}, 22-10-2014 15:01\n"
        f"REK: {pf.ING_PAYER}/NAAM: STICHTING DERDEN\n"
        ":62F:C141027EUR10,\n-}\n"
    )
    (line,) = parse(text).lines
    assert (line.counterparty_iban, line.counterparty_name, line.structured_reference) == (
        pf.ING_PAYER,
        "STICHTING DERDEN",
        reference,
    )
    assert line.remittance == "ACCEPTGIRO, 22-10-2014 15:01"


def test_a_betalingskenmerk_that_is_no_reference_stays_text():
    details = parse_details(
        "Uw betalingskenmerk: 2014-78 dank u\nREK: NL20INGB0001234567/NAAM: J. JANSEN"
    )
    assert (details.name, details.structured) == ("J. JANSEN", "")
    assert details.remittance == "Uw 2014-78 dank u"


def test_asn_sns_iban_as_reference_and_name_on_the_second_line():
    text = (
        "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n"
        ":20:0000000000\n:25:NL53ASNB0781269733\n:28C:2/1\n:60F:C200102EUR100,00\n"
        f":61:2001020102C2000,00NOVB{pf.ING_PAYER}\nj blom\n"
        f":86:{pf.ING_PAYER} j blom\n" + " " * 65 + "\nFactuur 2019-301\n"
        ":62F:C200102EUR2100,00\n-}{5:}\n"
    )
    (line,) = parse(text).lines
    assert (line.counterparty_iban, line.counterparty_name) == (pf.ING_PAYER, "j blom")
    assert line.remittance.endswith("Factuur 2019-301")


def test_bunq_iban_name_remi_and_amounts_without_decimals():
    text = (
        "BUNQNL2A\n940\nBUNQNL2A\n:20:BUNQ BV\n:25:NL10BUNQ2290325473 EUR\n:28:00001\n"
        ":60F:C190131EUR32,33\n:61:1901310131C2,NTRFNONREF\n"
        f":86:/IBAN/{pf.RABO_PAYER}/NAME/P.C. Jansen en/of M. Jansen/REMI/Factuur 2019-4\n"
        ":61:1901310131D34,5NMSCNONREF\n:86:/NAME/Webwinkel/REMI/bestelling\n"
        ":62F:D190531EUR0,17\n-"
    )
    result = parse(text)
    (line,) = result.lines
    assert (line.amount, line.counterparty_name, line.counterparty_iban, line.remittance) == (
        D("2.00"),
        "P.C. Jansen en/of M. Jansen",
        pf.RABO_PAYER,
        "Factuur 2019-4",
    )
    assert result.statements[0].closing == D("-0.17")


def test_an_ing_return_of_our_own_transfer_is_no_payment():
    text = mt940(
        ":61:2503030303C120,00NRTINONREF//9\n"
        f":86:/RTRN/AC04/EREF/OUT-7//CNTP/{pf.TRIO_PAYER}/TRIONL2U/Leverancier BV/Zeist///"
        "REMI/USTD//Onze betaling 7/\n"
        ":61:2503030303C80,00NTRFNONREF//10\n:86:/REMI/USTD//Factuur 2025-020/\n",
        closing="1200,00",
    )
    result = parse(text)
    assert [line.amount for line in result.lines] == [D("80.00")]
    (statement,) = result.statements
    assert (statement.returned, statement.returned_total) == (1, D("120.00"))
    assert parse_details("/RTRN/AC04/EREF/X/").returned


# --- CAMT.053 and CODA: balances and totals ----------------------------------------------------


def _camt(entries, **kwargs):
    return pf.camt_document(
        "04", [pf.camt_statement("STMT-77", pf.OUR_NL, "EUR", entries, **kwargs)]
    )


def test_a_camt_statement_that_does_not_reconcile_is_refused_with_statement_and_difference():
    entries = [pf.camt_entry(amount="100.00", servicer_ref="A1")]
    error = refused(_camt(entries, closing=D("1090.00")), "c.xml")
    assert error.where == "element Document/BkToCstmrStmt/Stmt[1]/Bal"
    assert error.problem.startswith(
        "afschrift STMT-77 van rekening NL91ABNA0417164300 klopt niet: beginsaldo € 1.000,00 "
        "plus de geboekte posten (€ 100,00) is € 1.100,00, maar het eindsaldo is € 1.090,00 "
        "(verschil € -10,00)"
    )


def test_a_camt_summary_that_differs_from_the_entries_is_refused():
    entries = [pf.camt_entry(amount="100.00", servicer_ref="A1")]
    text = _camt(entries).replace(
        "<TtlCdtNtries><NbOfNtries>1</NbOfNtries>", "<TtlCdtNtries><NbOfNtries>2</NbOfNtries>"
    )
    error = refused(text, "c.xml")
    assert error.where.endswith("/TxsSummry")
    assert "het aantal bijschrijvingen 2, maar de posten in het bestand geven 1" in error.problem


def test_a_camt_return_of_our_own_transfer_is_no_payment():
    entry = pf.camt_entry(amount="45.00", servicer_ref="R1").replace(
        "<Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>", "<Cd>ICDT</Cd><SubFmlyCd>RRTN</SubFmlyCd>"
    )
    result = parse(_camt([entry, pf.camt_entry(amount="5.00", servicer_ref="R2")]), "c.xml")
    assert [line.amount for line in result.lines] == [D("5.00")]
    assert result.statements[0].returned_total == D("45.00")


def test_a_debit_only_camt_statement_has_a_date_and_no_lines():
    entries = [pf.camt_entry(amount="12.00", indicator="DBIT", servicer_ref="D1")]
    result = parse(_camt(entries), "c.xml")
    assert result.lines == [] and result.day == date(2025, 3, 3)
    assert (result.statements[0].debits, result.statements[0].debit_total) == (1, D("12.00"))


def test_coda_with_a_wrong_trailer_count_names_the_difference():
    error = refused((FIXTURES / "coda_bad_trailer.cod").read_bytes(), "c.cod")
    assert "het afsluitrecord telt 99 records" in error.problem and "verschil" in error.problem


def test_coda_debits_count_in_the_trailer_debit_total_and_a_negative_balance_follows():
    """Record 9 gives the debit total (positions 23-37) and the credit total (38-52) of the
    movements (record 21, detail 0000); a statement whose debits take the balance below zero
    (record 8 sign 1) is read, and a trailer whose totals are swapped is refused."""
    statement = pf.CodaStatement(pf.OUR_BE)
    statement.header()
    statement.movement(sequence=1, amount="100.00", ogm=pf.OGM_031, iban=pf.BE_PAYER_1)
    statement.movement(sequence=2, amount="1500.00", credit=False, code="00101000", name="X")
    statement.footer()
    records = list(statement.records)  # opening balance € 1.000,00: new balance € -400,00
    new = next(i for i, r in enumerate(records) if r.startswith("8"))
    records[new] = records[new][:41] + "1" + pf.coda_amount("400.00") + records[new][57:]
    data = ("\r\n".join(records) + "\r\n").encode("latin-1")
    result = parse_statement_file(data, source="c.cod")
    assert [(x.amount, x.is_reversal) for x in result.lines] == [(D("100.00"), False)]
    [summary] = result.statements
    assert (summary.debits, summary.debit_total, summary.closing) == (1, D("1500.00"), D("-400"))
    trailer = records[-1]
    records[-1] = trailer[:22] + trailer[37:52] + trailer[22:37] + trailer[52:]
    error = refused(("\r\n".join(records) + "\r\n").encode("latin-1"), "c.cod")
    assert "het totaal debet in het afsluitrecord is € 100,00" in error.problem
    assert "de bewegingen geven € 1.500,00" in error.problem


def test_coda_whose_new_balance_does_not_follow_is_refused():
    statement = pf.coda_normal()
    records = list(statement.records)
    new = next(i for i, r in enumerate(records) if r.startswith("8"))
    records[new] = records[new][:42] + pf.coda_amount("1.00") + records[new][57:]
    error = refused(("\n".join(records) + "\n").encode("latin-1"), "c.cod")
    assert "klopt niet: oud saldo € 1.000,00" in error.problem
    assert "nieuw saldo is € 1,00" in error.problem


def test_a_coda_credit_with_a_return_code_is_our_own_return():
    s = pf.CodaStatement(pf.OUR_BE)
    s.header()
    s.movement(sequence=1, amount="70.00", free="Retour", name="Leverancier", r_type="2")
    s.movement(sequence=2, amount="30.00", free="Factuur 2025-030", name="Klant")
    s.footer()
    result = parse_statement_file(pf.coda_file(s), source="c.cod")
    assert [line.amount for line in result.lines] == [D("30.00")]
    assert result.statements[0].returned_total == D("70.00")


# --- Files that are something else -------------------------------------------------------------


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_zip(["afschrift1.xml", "afschrift2.xml"]), "zip-bestand met afschrift1.xml"),
        (_zip(["xl/workbook.xml"]), "Excel-werkboek"),
        (b"%PDF-1.7\n...", "PDF-document"),
        (
            b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            b'pain.001.001.03"><CstmrCdtTrfInitn/></Document>',
            "betaalopdracht (pain.001)",
        ),
        (
            b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            b'camt.052.001.02"><BkToCstmrAcctRpt/></Document>',
            "tussentijds rekeningrapport (camt.052)",
        ),
    ],
)
def test_other_files_say_what_they_are_and_what_to_give(data, expected):
    error = refused(data, "bestand")
    assert expected in error.problem
    assert "CAMT.053" in error.problem


# --- Acceptance: every credit in every accepted file is read ----------------------------------


def _credits_in_file(name: str, data: bytes) -> tuple[int, Decimal]:
    """Count and sum the booked credit movements in a file, independently of the readers."""
    if name.endswith(".xml"):
        root = etree.fromstring(data)
        count, amount = 0, Decimal(0)
        for entry in root.iter("{*}Ntry"):
            status = "".join(entry.find("{*}Sts").itertext()).strip()
            if entry.findtext("{*}CdtDbtInd") == "CRDT" and status == "BOOK":
                count += 1
                amount += Decimal(entry.findtext("{*}Amt"))
        return count, amount
    if name.endswith(".cod"):
        records = data.decode("latin-1").splitlines()
        moves = [r for r in records if r.startswith("21") and r[6:10] == "0000" and r[31] == "0"]
        return len(moves), sum((Decimal(int(r[32:47])) / 1000 for r in moves), Decimal(0))
    text = data.decode("utf-8", errors="replace")
    found = re.findall(r"(?m)^:61:\d{6}(?:\d{4})?(C|RD)[A-Z]?(\d+[,.]\d*)", text)
    return len(found), sum((Decimal(a.replace(",", ".")) for _, a in found), Decimal(0))


_REFUSED = ("broken", "truncated", "xxe", "bad", "mismatch", "no_account", "version1", "054")
ACCEPTED = sorted(
    p.name
    for p in FIXTURES.iterdir()
    if p.suffix in (".xml", ".cod", ".sta", ".swi", ".fin")
    and p.name != "empty.xml"
    and not any(word in p.name for word in _REFUSED)
) + sorted(f"banks/{p.name}" for p in (FIXTURES / "banks").iterdir())


@pytest.mark.parametrize("name", ACCEPTED)
def test_every_credit_of_every_accepted_file_is_read(name):
    data = (FIXTURES / name).read_bytes()
    result = read_statement_file(FIXTURES / name)
    count, amount = _credits_in_file(name, data)
    assert sum(s.credits for s in result.statements) == count
    assert sum((s.credit_total for s in result.statements), Decimal(0)) == amount
    payments = sum((line.amount for line in result.lines if not line.is_reversal), Decimal(0))
    returned = sum((s.returned_total for s in result.statements), Decimal(0))
    assert payments + returned == amount


# --- one statement twice in a file -----------------------------------------------------------
# Two downloads put into one file hold the overlapping statement twice; each copy reconciles on
# its own. MT940 and CODA number a repeated booking as a new one (no unique references), CAMT
# gives the repeated AcctSvcrRef a /2: the copy's credits were counted a second time.


def test_the_same_mt940_statement_twice_in_a_file_is_refused():
    statement = mt940(
        ":61:2503030303C100,00NTRFNONREF//1\n:86:/REMI/USTD//Factuur 2025-017/\n", closing="1100,00"
    )
    error = refused(statement + statement)
    assert error.where == "regel 9"  # after the first statement and its "-" line
    assert error.problem.startswith(
        f"afschrift 7/1 van rekening {pf.OUR_NL_ING} staat twee keer in dit bestand (regel 1 "
        "en hier), met dezelfde bijschrijvingen"
    )
    # the next day's statement of the same account, with the same credit, is read
    next_day = statement.replace("C250302EUR1000,00", "C250303EUR1100,00").replace(
        "C250303EUR1100,00\n-", "C250304EUR1200,00\n-"
    )
    next_day = next_day.replace("2503030303C", "2503040304C")
    assert [str(x.amount) for x in parse(statement + next_day).lines] == ["100.00", "100.00"]


def test_the_same_camt_statement_twice_in_a_file_is_refused():
    text = (FIXTURES / "camt053_normal.xml").read_text(encoding="utf-8")
    start, end = text.index("<Stmt>"), text.index("</Stmt>") + len("</Stmt>")
    error = refused(text[:end] + text[start:end] + text[end:], "dubbel.xml")
    assert error.where.endswith("/Stmt[2]")
    assert "staat twee keer in dit bestand (element " in error.problem


def test_the_same_coda_statement_twice_in_a_file_is_refused():
    statement = pf.coda_normal()
    error = refused(pf.coda_file(statement, statement), "dubbel.cod")
    assert error.where == f"regel {len(statement.records) + 1}"
    assert "staat twee keer in dit bestand (regel 1 en hier)" in error.problem


def test_a_repeated_statement_without_credits_adds_nothing_and_passes():
    statement = mt940(":61:2503030303D100,00NTRFNONREF//1\n:86:huur\n", closing="900,00")
    result = parse(statement + statement)
    assert (result.lines, len(result.statements)) == ([], 2)


# Downloads of overlapping periods, each one statement (1-3 and 1-4 March), put into one file:
# the statements differ, and the credit of the days they share was counted twice.


def test_a_credit_in_two_overlapping_mt940_statements_of_a_file_is_refused():
    credit = ":61:2503030303C100,00NTRFNONREF//1\n:86:/REMI/USTD//Factuur 2025-017/\n"
    later = ":61:2503040304C50,00NTRFNONREF//2\n:86:/REMI/USTD//Factuur 2025-018/\n"
    first = mt940(credit, closing="1100,00")
    second = mt940(credit + later, closing="1150,00").replace(":28C:7/1", ":28C:8/1")
    error = refused(first + second)
    assert error.where == "regel 9"
    assert error.problem.startswith(
        "de bijschrijving van 03-03-2025 van € 100,00 staat in afschrift 7/1 (regel 1) en in "
        f"afschrift 8/1 (hier) van rekening {pf.OUR_NL_ING}: twee afschriften over dezelfde "
        "dagen in één bestand"
    )
    # given as two files, the second adds only what is new (the same stable key)
    again = {x.bank_reference for x in parse(first).lines} & {
        x.bank_reference for x in parse(second).lines
    }
    assert len(again) == 1


def test_a_credit_in_two_overlapping_camt_statements_of_a_file_is_refused():
    entry = pf.camt_entry(amount="100.00", servicer_ref="R-1")
    day = pf.camt_statement("DAY", pf.OUR_NL_ING, "EUR", [entry])
    other = pf.camt_entry(amount="50.00", servicer_ref="R-2")
    week = pf.camt_statement("WEEK", pf.OUR_NL_ING, "EUR", [entry, other])
    error = refused(pf.camt_document("02", [day, week]), "c.xml")
    assert error.where.endswith("/Stmt[2]")
    assert "staat in afschrift DAY (element " in error.problem
    # another account's statement with the same booking is no repeat
    elsewhere = pf.camt_statement("DAY", pf.OUR_BE, "EUR", [entry])
    assert len(parse(pf.camt_document("02", [day, elsewhere]), "c.xml").lines) == 2


def test_two_equal_credits_without_references_in_two_statements_are_both_read():
    # ASN and SNS give no reference: a second payment of the same day looks the same
    credit = ":61:2503030303C100,00NTRF\n:86:Factuur 2025-017\n"
    first = mt940(credit, closing="1100,00")
    second = mt940(credit, opening="1100,00", closing="1200,00").replace(":28C:7/1", ":28C:8/1")
    assert len(parse(first + second).lines) == 2


def test_the_same_payment_twice_on_two_pages_of_one_statement_is_read_twice():
    """A payer who pays the same amount with the same text twice on one day (a double payment:
    what the user most needs to see) and a long statement that ING splits over pages: each
    payment on another page. The pages are one statement (:62M: then :60M:), not two
    downloads of the same days; the file was refused whole."""
    credit = (
        ":61:2503030303C25,00NTRFEREF//\n/TRCD/00100/\n"
        f":86:/EREF/NOTPROVIDED//CNTP/{pf.RABO_PAYER}/RABONL2U/J Jansen///REMI/USTD//"
        "Contributie maart/\n"
    )
    pages = (
        f":20:P1\n:25:{pf.OUR_NL_ING}EUR\n:28C:7/1\n:60F:C250302EUR1000,00\n"
        f"{credit}:62M:C250303EUR1025,00\n-\n"
        f":20:P1\n:25:{pf.OUR_NL_ING}EUR\n:28C:7/2\n:60M:C250303EUR1025,00\n"
        f"{credit}:62F:C250303EUR1050,00\n-\n"
    )
    lines = parse(pages).lines
    assert [(x.amount, x.counterparty_name, x.counterparty_iban, x.remittance) for x in lines] == [
        (D("25.00"), "J Jansen", pf.RABO_PAYER, "Contributie maart")
    ] * 2
    assert len({x.bank_reference for x in lines}) == 2
    # read again, the same two references (nothing new)
    assert [x.bank_reference for x in parse(pages).lines] == [x.bank_reference for x in lines]
    # a second download of that day, on one page, put after them is still refused
    day = mt940(credit, closing="1025,00").replace(":28C:7/1", ":28C:8/1")
    error = refused(pages + day)
    assert error.where == "regel 19"
    assert "staat in afschrift 7/1 (regel 1) en in afschrift 8/1 (hier)" in error.problem


def test_the_same_payment_twice_on_two_camt_pages_of_one_statement_in_a_file_is_read_twice():
    """The same for CAMT.053 pages in one file (a Stmt per page, StmtPgntn): the payer's
    EndToEndId (an invoice number) and no AcctSvcrRef made the two payments one booking."""
    detail = pf.camt_detail(
        name="J Jansen", iban=pf.RABO_PAYER, ustrd=("Factuur 2025-017",), end_to_end="2025-017"
    )
    entry = pf.camt_entry(amount="25.00", details=[detail])
    pages = [
        pf.camt_statement("S7", pf.OUR_NL_ING, "EUR", [entry]).replace(
            "<Id>S7</Id>",
            f"<Id>S7</Id><StmtPgntn><PgNb>{number}</PgNb><LastPgInd>{last}</LastPgInd></StmtPgntn>",
        )
        for number, last in ((1, "false"), (2, "true"))
    ]
    result = parse(pf.camt_document("02", pages), "c.xml")
    assert [(x.amount, x.counterparty_name, x.remittance) for x in result.lines] == [
        (D("25.00"), "J Jansen", "Factuur 2025-017")
    ] * 2
    assert [s.next_page for s in result.statements] == [0, 0]
    # without the pages, two statements of the same day: refused as before
    plain = [re.sub(r"<StmtPgntn>.*?</StmtPgntn>", "", page) for page in pages]
    error = refused(pf.camt_document("02", plain), "c.xml")
    assert error.where.endswith("/Stmt[2]")
    assert "twee downloads samengevoegd" in error.problem


# --- CAMT.053: the interim balances (ITBD) of a statement over pages ---------------------------
# A statement over pages gives each page its opening and closing balance: OPBD (or PRCD) on the
# first page, CLBD on the last, and between them the interim booked balance ITBD, as MT940's
# :60M:/:62M: (ISO 20022's one code for both; the SWIFT MT940-to-camt.053 mapping writes :60M:
# as the first ITBD of a page and :62M: as the second).


def _balance(code: str, amount: str, day: str = "2025-03-03") -> str:
    mark = "DBIT" if amount.startswith("-") else "CRDT"
    return (
        f'      <Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">'
        f"{amount.lstrip('-')}</Amt><CdtDbtInd>{mark}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
    )


def _camt_page(number: int | None, last: bool, balances: list[str], amounts: list[str]) -> str:
    """One ``<Stmt>`` page of statement S7 with its balances and its credits (a ``-`` amount
    is a debit), each payment by another payer."""
    entries = [
        pf.camt_entry(
            amount=amount.lstrip("-"),
            indicator="DBIT" if amount.startswith("-") else "CRDT",
            servicer_ref=f"P{number}-{n}",
            details=[pf.camt_detail(name=f"Klant {number}-{n}", iban=pf.RABO_PAYER)],
        )
        for n, amount in enumerate(amounts, start=1)
    ]
    pages = (
        ""
        if number is None
        else f"<StmtPgntn><PgNb>{number}</PgNb><LastPgInd>{str(last).lower()}</LastPgInd>"
        "</StmtPgntn>"
    )
    return (
        f"    <Stmt>\n      <Id>S7</Id>{pages}\n"
        "      <CreDtTm>2025-03-03T18:00:00+01:00</CreDtTm>\n"
        f"      <Acct><Id><IBAN>{pf.OUR_NL_ING}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        + "\n".join(balances)
        + "\n"
        + "\n".join(entries)
        + "\n    </Stmt>"
    )


#: Three pages: 1000 + 100 = 1100 | 1100 + 50 - 20 = 1130 | 1130 + 25 = 1155.
_PAGES = (
    (
        1,
        False,
        [_balance("OPBD", "1000.00", "2025-03-02"), _balance("ITBD", "1100.00")],
        ["100.00"],
    ),
    (2, False, [_balance("ITBD", "1100.00"), _balance("ITBD", "1130.00")], ["50.00", "-20.00"]),
    (3, True, [_balance("ITBD", "1130.00"), _balance("CLBD", "1155.00")], ["25.00"]),
)


def _pages(*pages) -> str:
    return pf.camt_document("08", [_camt_page(*page) for page in pages])


def test_camt_pages_whose_interim_balances_agree_are_read():
    result = parse(_pages(*_PAGES), "c.xml")
    assert [x.amount for x in result.lines] == [D("100.00"), D("50.00"), D("25.00")]
    assert [(s.next_page, s.opening, s.closing) for s in result.statements] == [
        (0, D("1000.00"), None),
        (0, None, None),
        (0, None, D("1155.00")),
    ]
    # the closing ITBD before the opening one, an ITBD of the bank's own (the balance at the
    # start of the day, as OPBD), and a PRCD for OPBD: each page still agrees
    first, second, third = _PAGES
    swapped = (2, False, second[2][::-1], second[3])
    own = (1, False, [*first[2][:1], _balance("ITBD", "1000.00"), *first[2][1:]], first[3])
    prcd = (1, False, [_balance("PRCD", "1000.00", "2025-03-02"), first[2][1]], first[3])
    for pages in ((first, swapped, third), (own, second, third), (prcd, second, third)):
        assert len(parse(_pages(*pages), "c.xml").lines) == 3


def test_camt_page_whose_interim_balances_do_not_agree_with_its_entries_is_refused():
    """Page 2 lost its credit of 50,00 (its ITBD still says 1130): each balance the statement
    checked before (OPBD, CLBD) is on another page, so the file was read with exit code 0 and
    the credit was missing without a word."""
    first, second, third = _PAGES
    lost = (2, False, second[2], ["-20.00"])
    error = refused(_pages(first, lost, third), "c.xml")
    assert error.where == "element Document/BkToCstmrStmt/Stmt[2]/Bal"
    assert error.problem == (
        f"afschrift S7, pagina 2 van rekening {pf.OUR_NL_ING} klopt niet: het beginsaldo van de "
        "pagina (€ 1.100,00) plus de geboekte posten (€ -20,00) is € 1.080,00, maar het saldo "
        "aan het eind van de pagina is € 1.130,00 (verschil € 50,00); er ontbreken boekingen: "
        "het bestand is onvolledig of beschadigd"
    )
    # the first page (OPBD, ITBD) and the last (ITBD, CLBD) are checked too
    error = refused(_pages((1, False, first[2], []), second, third), "c.xml")
    assert error.where.endswith("/Stmt[1]/Bal")
    assert "pagina 1" in error.problem and "(verschil € 100,00)" in error.problem
    error = refused(_pages(first, second, (3, True, third[2], [])), "c.xml")
    assert error.where.endswith("/Stmt[3]/Bal")
    assert "pagina 3" in error.problem and "(verschil € 25,00)" in error.problem


def test_camt_pages_that_do_not_chain_are_refused():
    """Page 1 lost its credit and a tool set its closing ITBD to what was left: page 1
    agrees with itself, but page 2 opens with 1100, not with page 1's 1000."""
    first, second, third = _PAGES
    cut = (1, False, [first[2][0], _balance("ITBD", "1000.00")], [])
    error = refused(_pages(cut, second, third), "c.xml")
    assert error.where == "element Document/BkToCstmrStmt/Stmt[2]/Bal"
    assert error.problem == (
        f"afschrift S7, pagina 2 van rekening {pf.OUR_NL_ING} begint met saldo € 1.100,00, maar "
        "de pagina ervoor eindigt met € 1.000,00 (verschil € 100,00); er ontbreken boekingen "
        "tussen de pagina's: het bestand is onvolledig of beschadigd"
    )


def test_camt_page_in_a_file_of_its_own_is_checked_by_its_interim_balances():
    second = _PAGES[1]
    result = parse(_pages(second), "c.xml")
    assert [x.amount for x in result.lines] == [D("50.00")]
    assert result.statements[0].next_page == 3
    assert "pagina 2" in refused(_pages((2, False, second[2], [])), "c.xml").problem


def test_camt_interim_balances_that_check_nothing_refuse_nothing():
    """An ITBD outside a statement over pages (a bank's balance during the day), a page with
    one balance, or without balances: nothing to check, read as before."""
    own = [_balance("OPBD", "1000.00", "2025-03-02"), _balance("ITBD", "1000.00")]
    assert len(parse(_pages((None, True, own, ["100.00"])), "c.xml").lines) == 1
    single = [_balance("ITBD", "1100.00")]
    assert len(parse(_pages((2, False, single, ["50.00"])), "c.xml").lines) == 1
    assert len(parse(_pages((2, False, [], ["50.00"])), "c.xml").lines) == 1
    # a page 1 of 1 is no statement over pages
    one = (1, True, own, ["100.00"])
    assert len(parse(_pages(one), "c.xml").lines) == 1


# --- a euro amount has two decimals ------------------------------------------------------------
# camt.053's amount type allows five decimals and CODA writes three, but a euro has cents: a
# credit of 847.001 landed on Betalingen as 847,001 and paid an invoice with a tenth of a cent.


def test_a_camt_euro_amount_with_a_fraction_of_a_cent_is_refused():
    entry = pf.camt_entry(amount="847.001", servicer_ref="R-1")
    text = pf.camt_document("02", [pf.camt_statement("S1", pf.OUR_NL_ING, "EUR", [entry])])
    error = refused(text, "c.xml")
    assert error.where == "element Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"
    assert error.problem == "bedrag '847.001' heeft meer dan twee decimalen: geen eurobedrag"
    # trailing zeros are cents
    entry = pf.camt_entry(amount="847.000", servicer_ref="R-1")
    text = pf.camt_document("02", [pf.camt_statement("S1", pf.OUR_NL_ING, "EUR", [entry])])
    assert [str(x.amount) for x in parse(text, "c.xml").lines] == ["847.00"]


def test_a_coda_euro_amount_with_a_fraction_of_a_cent_is_refused():
    statement = pf.CodaStatement(pf.OUR_BE)
    statement.header()
    statement.movement(sequence=1, amount="847.001", free="Factuur 2025-017", name="A BV")
    statement.footer()
    error = refused(pf.coda_file(statement), "c.cod")
    assert (error.where, error.problem) == (
        "regel 3",
        "bedrag 000000000847001 heeft een derde decimaal die geen nul is: geen eurobedrag",
    )


# --- texts and references of any length --------------------------------------------------------


def test_a_megabyte_of_text_is_cut_and_a_long_bank_reference_kept_unique():
    """CAMT's schema bounds Ustrd (140) and AcctSvcrRef (35), the reader does not: a megabyte
    of text landed in one cell (Excel holds 32,767 characters and repairs the workbook) and
    was searched whole for references."""
    long_ref = "R" * 300
    text = "Factuur 2025-017 " * 60000
    details = [pf.camt_detail(iban=pf.BE_PAYER_1, name="N" * 2000, ustrd=(text,))]
    entries = [
        pf.camt_entry(amount="10.00", servicer_ref=long_ref + "1", details=details),
        pf.camt_entry(amount="10.00", servicer_ref=long_ref + "2", details=details),
    ]
    text = pf.camt_document("02", [pf.camt_statement("S1", pf.OUR_NL_ING, "EUR", entries)])
    first, second = parse(text, "c.xml").lines
    assert len(first.remittance) == 4000 and first.remittance.endswith("2025-017 Fact…")
    assert first.remittance.startswith("Factuur 2025-017 Factuur 2025-017")
    assert (len(first.counterparty_name), first.counterparty_name[-1]) == (500, "…")
    assert len(first.bank_reference) == len(second.bank_reference) == 100
    assert first.bank_reference != second.bank_reference
    assert first.bank_reference.startswith("R" * 83 + "#")
    # a reference of the usual length stays as it is
    short = pf.camt_entry(amount="10.00", servicer_ref="2025030300001", details=details)
    text = pf.camt_document("02", [pf.camt_statement("S1", pf.OUR_NL_ING, "EUR", [short])])
    assert parse(text, "c.xml").lines[0].bank_reference == "2025030300001"


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_an_mt940_after_a_header_line_is_recognised_with_any_line_end(end):
    """ING's file header (ING MT940 format description: "0000 01INGBNL2AXXXX00001") before the
    first field; with old Mac line ends (CR only) the file was 'onbekend bestandsformaat'."""
    text = "0000 01INGBNL2AXXXX00001\n" + mt940(
        ":61:2503030303C100,00NTRFNONREF//1\n:86:/REMI/USTD//Factuur 2025-017/\n",
        closing="1100,00",
    )
    result = parse(text.replace("\n", end))
    assert [(str(x.amount), x.remittance) for x in result.lines] == [("100.00", "Factuur 2025-017")]


@pytest.mark.parametrize(
    "first_line",
    [
        # ING "Af Bij", Rabobank, Revolut: the header rows of their CSV exports (column names)
        '"Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij","Bedrag (EUR)"',
        "IBAN/BBAN;Munt;BIC;Volgnr;Datum;Rentedatum;Bedrag;Saldo na trn",
        "Date started (UTC)\tDate completed (UTC)\tID\tType\tState\tDescription",
    ],
)
def test_a_csv_export_is_named_as_such(first_line):
    problem = refused(f"{first_line}\n1;2;3;4;5;6;7;8\n", name="export.csv").problem
    assert problem.startswith("dit is een CSV-bestand")
    assert "CAMT.053 (XML), MT940 of CODA" in problem


def camt_with_status(status: str) -> str:
    """A camt.053.001.08 statement without balances, with one credit of the given status."""
    entry = (
        f'<Ntry><Amt Ccy="EUR">121.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>{status}'
        "<BookgDt><Dt>2026-10-14</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>factuur "
        "2026-0107</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )
    return (
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
        "<BkToCstmrStmt><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>S</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{entry}</Stmt></BkToCstmrStmt></Document>"
    )


@pytest.mark.parametrize(
    "status", ["<Sts>BOOKED</Sts>", "<Sts><Cd>CANC</Cd></Sts>", "<Sts><Prtry>PENDING</Prtry></Sts>"]
)
def test_camt_an_entry_with_an_unknown_status_is_refused(status):
    # a statement without balances (Revolut, Wise) has no check that would catch a booked
    # credit skipped as 'not booked'
    error = refused(camt_with_status(status), name="revolut.xml")
    assert error.where == "element Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Sts"
    assert "status" in error.problem and "onbekend" in error.problem


@pytest.mark.parametrize(
    ("status", "lines"),
    [("<Sts><Prtry>PDNG</Prtry></Sts>", 0), ("<Sts><Prtry>BOOK</Prtry></Sts>", 1)],
)
def test_camt_a_proprietary_status_is_read(status, lines):
    # version 08: Sts/Cd or Sts/Prtry; a pending credit read as booked was money not received
    result = parse_statement_file(camt_with_status(status).encode(), source="s.xml")
    assert len(result.lines) == lines


def test_camt_saved_in_another_character_set_says_so():
    # a statement opened and saved again as "ANSI": é is one byte, the file says nothing (UTF-8)
    text = camt_with_status("<Sts>BOOK</Sts>").replace("factuur", "café")
    data = text.replace('<?xml version="1.0"?>', "").encode("cp1252")
    error = refused(data, name="opgeslagen.xml")
    assert "andere tekenset" in error.problem
    assert "zonder het eerst te openen en op te slaan" in error.problem


# --- What other programs put around a statement -------------------------------------------------


@pytest.mark.parametrize("name", ["coda_normal.cod", "camt053_normal.xml", "mt940_ing.sta"])
@pytest.mark.parametrize("end", [b"\x1a", b"\r\n\x1a", b"\x00" * 7, b"\r\n\x1a\x00\x00"])
def test_a_dos_end_of_file_mark_or_nul_padding_after_the_statement_is_no_part_of_it(name, end):
    """Found in session 20: a CODA or CAMT.053 file that a DOS-era program ended with Ctrl-Z
    (0x1A), or that was padded with NUL bytes, was refused ("record zonder voorafgaand
    beginrecord", "het XML-bestand is beschadigd"); MT940 was read. Now all three read the
    statement as without them."""
    data = (FIXTURES / name).read_bytes()
    expected = parse_statement_file(data, source=name)
    assert parse_statement_file(data + end, source=name) == expected


def test_blank_lines_before_the_xml_declaration_are_no_part_of_the_statement():
    """Found in session 20: a CAMT.053 file with a blank line before ``<?xml`` (as some web
    programs write it) was refused as damaged: XML allows the declaration only at the start."""
    data = (FIXTURES / "camt053_normal.xml").read_bytes()
    expected = parse_statement_file(data, source="a.xml")
    assert parse_statement_file(b"\r\n  \n" + data, source="a.xml") == expected


def test_two_camt_documents_in_one_file_say_so():
    """Found in session 20: two CAMT.053 files pasted into one were refused as "beschadigd of
    onvolledig", which sent the user to download again; the message now says what it is."""
    data = (FIXTURES / "camt053_normal.xml").read_bytes()
    for joined in (data + data, data + b"<Document/>"):
        error = refused(joined, "twee.xml")
        assert "na het einde van het XML-document staat nog meer" in error.problem
        assert "apart bestand" in error.problem


@pytest.mark.parametrize("where", ["entry", "detail"])
@pytest.mark.parametrize("before", [0, 6])
def test_a_camt_amount_of_a_trillion_euro_or_more_is_refused(where, before):
    """Found in session 20: an entry of € 1.234.567.890.123.456,78 was read and written to
    Betalingen as 1234567890123456.8 (Excel keeps 15 digits), which the workbook's own reader
    then calls no euro amount; now the file is refused with the element, as the e-invoices
    are, also after entries of the same shape (read by shape)."""
    huge = "1234567890123456.78"

    def credit(number: int, amount: str, detail: str) -> str:
        return pf.camt_entry(
            amount=amount,
            servicer_ref=f"R{number}",
            details=[pf.camt_detail(name="Klant BV", iban=pf.RABO_PAYER, amount=detail)],
        )

    entries = [credit(n, "10.00", "10.00") for n in range(before)]
    entries.append(credit(99, huge if where == "entry" else "10.00", huge))
    text = pf.camt_document("04", [pf.camt_statement("S", pf.OUR_NL, "EUR", entries)])
    error = refused(text.encode(), "groot.xml")
    assert f"bedrag '{huge}' is te groot voor een boeking" in error.problem
    assert "Ntry[" in error.where


def test_an_mt940_amount_of_a_trillion_euro_or_more_is_refused():
    """The same for MT940 (15 characters: fourteen digits and the comma)."""
    body = ":61:2503030303C12345678901234,NTRFNONREF//B1\n:86:/REMI/USTD//x/\n"
    error = refused(mt940(body, opening="0,00", closing="12345678901234,"))
    assert "bedrag 12345678901234, is te groot voor een boeking" in error.problem
    assert error.where == "regel 5"


def _coda_records() -> list[str]:
    statement = pf.CodaStatement(pf.OUR_BE)
    statement.header()
    statement.movement(sequence=1, amount="10.00", free="Factuur 2025-017")
    statement.footer()
    return statement.records


def _coda_with_count(records: list[str], change: int) -> bytes:
    trailer = records[-1]
    count = int(trailer[16:22]) + change
    return (
        "\r\n".join([*records[:-1], f"{trailer[:16]}{count:06d}{trailer[22:]}"]) + "\r\n"
    ).encode("latin-1")


def test_a_coda_statement_without_its_old_balance_record_is_refused():
    """Found in session 20: a statement without record 1 that still added up (its new balance
    the movements alone) was read, its credits of account '' and its balance from zero."""
    records = _coda_records()
    without = [record for record in records if not record.startswith("1")]
    without[-2] = without[-2][:42] + pf.coda_amount("10.00") + without[-2][57:]  # new balance
    error = refused(_coda_with_count(without, -1), "x.cod")
    assert "geen record 1 (rekening en oud saldo)" in error.problem
    assert error.where == "regel 2"


def test_a_coda_statement_with_two_old_balance_records_is_refused():
    """A second record 1 would give the statement's credits to the account it names."""
    records = _coda_records()
    other = records[1].replace(pf.OUR_BE, pf.OUR_BE_2)
    error = refused(_coda_with_count([*records[:2], other, *records[2:]], 1), "x.cod")
    assert "tweede record 1" in error.problem


@pytest.mark.parametrize(
    ("second", "named"), [(f":25:{pf.OUR_NL}\n", ":25:"), (":60F:C250302EUR0,00\n", ":60F:")]
)
def test_an_mt940_statement_giving_its_account_or_opening_balance_twice_is_refused(second, named):
    """Found in session 20: a second :60F: in a statement replaced the first, so the bookings
    before it went unchecked against any balance; a second :25: gave all the statement's
    bookings to the account it named. Now either refuses the file with its line. (After an
    :86: a line ":25:" is text of it: a time cut after its hour.)"""
    booking = ":61:2503030303C100,00NTRFNONREF//B{n}\n"
    body = booking.format(n=1) + second + booking.format(n=2)
    closing = "200,00" if named == ":60F:" else "1200,00"
    error = refused(mt940(body, closing=closing))
    assert f"tweede {'beginsaldo' if named == ':60F:' else 'rekeningnummer'} ({named})" in (
        error.problem
    )
    assert error.where == "regel 6"


# --- MT940: ING's count of the statement's bookings (/SUM/) -----------------------------------

BANKS = FIXTURES / "banks"


def _ing_structured() -> str:
    return (BANKS / "ing_nl_structured.sta").read_text(encoding="utf-8")


def _without_the_last_credit(text: str) -> str:
    """ING's structured statement with its last booking (a credit of € 80,00) left out and
    the balances made to follow: what a tool that lost a booking and added the balances up
    again writes. The statement balances; only ING's own count after it tells."""
    start = text.index(":61:2611061106C80,00")
    text = text[:start] + text[text.index(":62F:") :]
    return text.replace("EUR2261,00", "EUR2181,00")


def test_ing_sum_after_the_closing_balance_that_agrees_passes():
    """ING's structured MT940 ends a statement with an :86: after :62F:/:64:/:65: that
    counts its bookings: /SUM/ number of debits / number of credits / debit total / credit
    total (ING's own sample message: one debit of € 15,00 gives ``/SUM/1/0/15,00/0,/``)."""
    result = parse(_ing_structured(), "ing.sta")
    [summary] = result.statements
    assert (summary.debits, summary.credits) == (2, 4)
    assert (summary.debit_total, summary.credit_total) == (D("295.00"), D("1056.00"))


def test_ing_sum_that_counts_a_credit_the_file_does_not_hold_is_refused():
    text = _without_the_last_credit(_ing_structured())
    error = refused(text, "ing.sta")
    assert error.source == "ing.sta"
    assert error.where == "regel 32"
    assert text.splitlines()[31].startswith(":86:/NAME/ING BANK N.V.//BIC/INGBNL2A//SUM/")
    assert error.problem == (
        "afschrift 00211 van rekening NL69INGB0123456789 klopt niet met de telling van de bank "
        "(het veld :86: na het eindsaldo): volgens de bank 4 bijschrijvingen (€ 1.056,00) en 2 "
        "afschrijvingen (€ 295,00), maar het bestand geeft 3 bijschrijvingen (€ 976,00) en 2 "
        "afschrijvingen (€ 295,00); er ontbreekt een boeking of het bestand is beschadigd"
    )


def test_ing_sum_without_the_lost_credit_passes_and_without_sum_nothing_changes():
    text = _without_the_last_credit(_ing_structured())
    read = [(D("605.00"), False), (D("121.00"), False), (D("250.00"), False), (D("250.00"), True)]
    agreeing = text.replace("/SUM/2/4/295,00/1056,00/", "/SUM/2/3/295,00/976,00/")
    assert [(line.amount, line.is_reversal) for line in parse(agreeing).lines] == read
    without = text.replace("//SUM/2/4/295,00/1056,00/", "/")
    assert [(line.amount, line.is_reversal) for line in parse(without).lines] == read


@pytest.mark.parametrize(
    "sum_field",
    [
        "/SUM/2/4/295,/1056,/",  # whole euros with the comma alone, as ING writes 0,
        "/SUM/2/4/295.00/1056.00/",
        "/SUM/ 2/4/295,00/1056,00/",
        # cut at the field's width, inside the totals
        "/SUM/2/4/295,00/10\n56,00/",
    ],
)
def test_ing_sum_in_each_way_of_writing_it_is_read(sum_field):
    base = _ing_structured()
    assert parse(base.replace("/SUM/2/4/295,00/1056,00/", sum_field)).lines
    wrong = sum_field.replace("/4/", "/5/")
    text = _without_the_last_credit(base).replace("/SUM/2/4/295,00/1056,00/", wrong)
    assert "klopt niet met de telling van de bank" in refused(text).problem


def test_ing_sum_that_differs_only_in_the_debits_is_refused():
    text = _ing_structured().replace("/SUM/2/4/295,00/1056,00/", "/SUM/3/4/340,00/1056,00/")
    error = refused(text)
    assert "volgens de bank 4 bijschrijvingen (€ 1.056,00) en 3 afschrijvingen (€ 340,00)" in (
        error.problem
    )


def test_ing_unstructured_count_after_the_closing_balance_is_checked():
    """ING's unstructured MT940 counts the bookings as ``D000003C000002D0,15C0,06`` (ING's
    own sample: three debits of € 0,15 together, two credits of € 0,06)."""
    body = (
        ":61:2503030303C100,00NTRFNONREF\n:86:NL20INGB0001234567 INGBNL2A Jansen factuur 2025-1\n"
        ":61:2503030303D40,00NTRFNONREF\n:86:NL20INGB0001234567 INGBNL2A Huur\n"
    )
    text = mt940(body, closing="1060,00").replace("-\n", ":86:D000001C000001D40,00C100,00\n-\n")
    assert [line.amount for line in parse(text).lines] == [D("100.00")]
    error = refused(text.replace("C000001D40,00C100,00", "C000002D40,00C180,00"))
    assert "volgens de bank 2 bijschrijvingen (€ 180,00) en 1 afschrijving (€ 40,00)" in (
        error.problem
    )


def ing_ibp(day: str, opening: str, closing: str, body: str, count: str) -> str:
    """One message of ING's unstructured MT940 as ING's IBP sample writes it
    (gingerpayments/python-libmt94x ``ibp-ing-provided-example.txt``): header lines, the
    count after the closing balance, and ``-XXX`` at its end (Van Lanschot writes the same)."""
    return (
        "0000 01INGBNL2AXXXX00001\n0000 01INGBNL2AXXXX00001\n940 00\n:20:ING\n"
        f":25:{pf.OUR_NL_ING}EUR\n:28C:1\n:60F:C{day}EUR{opening}\n{body}:62F:C{day}EUR{closing}\n"
        f":64:C{day}EUR{closing}\n:86:{count}\n-XXX\n"
    )


@pytest.mark.parametrize("last", [True, False])
def test_ing_unstructured_count_before_the_xxx_trailer_is_checked(last):
    """ING's unstructured MT940 ends a message with '-XXX', not '-': the trailer and the next
    message's header lines were read as text of the count's :86:, and the count, which no
    longer matched its layout, was not checked: a file that lost a credit and a debit of the
    same amount was read with exit code 0."""
    body = (
        f":61:2503030303C100,00NNOVEREF\n:86:{pf.RABO_PAYER} RABONL2U Jansen factuur 2025-1\n"
        f":61:2503030303D100,00NNOVEREF\n:86:{pf.RABO_PAYER} RABONL2U Huur\n"
    )
    count = "D000001C000001D100,00C100,00"
    day = ing_ibp("250303", "1000,00", "1000,00", body, count)
    other = ing_ibp("250304", "1000,00", "1000,00", "", "D000000C000000D0,C0,")
    text = other + day if last else day + other
    result = parse(text)
    assert [(x.amount, x.counterparty_iban) for x in result.lines] == [(D("100.00"), pf.RABO_PAYER)]
    assert len(result.statements) == 2
    # the same day whose credit and debit of 100,00 were lost (the balances still agree)
    lost = ing_ibp("250303", "1000,00", "1000,00", "", count)
    error = refused(other + lost if last else lost + other)
    assert error.where == ("regel 21" if last else "regel 10")
    assert (
        "volgens de bank 1 bijschrijving (€ 100,00) en 1 afschrijving (€ 100,00), maar het "
        "bestand geeft 0 bijschrijvingen (€ 0,00) en 0 afschrijvingen (€ 0,00)"
    ) in error.problem


@pytest.mark.parametrize("separator", ["$\n", "\n", "\n\n", "", " $ \n\n"])
@pytest.mark.parametrize("last", [True, False])
def test_ing_count_is_checked_when_messages_are_separated_by_a_blank_line_or_dollar(
    separator, last
):
    """Messages separated only by a blank line or ``$`` (or by nothing but the next message's
    header lines), not by ``-`` or ``-XXX``: the next message's header lines were read as text
    of the count's :86:, the count no longer matched its layout and was not checked, so a file
    that lost a credit and a debit of the same amount was read with exit code 0."""
    body = (
        f":61:2503030303C100,00NNOVEREF\n:86:{pf.RABO_PAYER} RABONL2U Jansen factuur 2025-1\n"
        f":61:2503030303D100,00NNOVEREF\n:86:{pf.RABO_PAYER} RABONL2U Huur\n"
    )
    count = "D000001C000001D100,00C100,00"

    def joined(first: str, second: str) -> str:
        return first.replace("-XXX\n", separator) + second.replace("-XXX\n", separator)

    day = ing_ibp("250303", "1000,00", "1000,00", body, count)
    other = ing_ibp("250304", "1000,00", "1000,00", "", "D000000C000000D0,C0,")
    result = parse(joined(other, day) if last else joined(day, other))
    assert [(x.amount, x.counterparty_iban) for x in result.lines] == [(D("100.00"), pf.RABO_PAYER)]
    assert len(result.statements) == 2
    lost = ing_ibp("250303", "1000,00", "1000,00", "", count)
    error = refused(joined(other, lost) if last else joined(lost, other))
    assert error.where == f"regel {10 + (10 + separator.count(chr(10)) if last else 0)}"
    assert (
        "volgens de bank 1 bijschrijving (€ 100,00) en 1 afschrijving (€ 100,00), maar het "
        "bestand geeft 0 bijschrijvingen (€ 0,00) en 0 afschrijvingen (€ 0,00)"
    ) in error.problem


@pytest.mark.parametrize("separator", ["$\n", "\n"])
def test_ing_structured_sum_without_its_last_slash_is_checked_before_a_blank_line_or_dollar(
    separator,
):
    """The structured count without a slash after its last total, then the next message
    after a blank line or ``$``: the next message's first line was read into the count."""
    text = _ing_structured().replace("/SUM/2/4/295,00/1056,00/", "/SUM/2/4/295,00/1056,00")
    first = text[text.index(":20:") : text.index("-}")]
    second = (
        ":20:P261107000000001\n:25:NL69INGB0123456789EUR\n:28C:00212\n:60F:C261106EUR2261,00\n"
        ":62F:C261107EUR2261,00\n:86:/NAME/ING BANK N.V.//BIC/INGBNL2A//SUM/0/0/0,/0,\n"
    )
    assert len(parse(first + separator + "0000 01INGBNL2AXXXX00001\n" + second).lines) == 5
    lost = _without_the_last_credit(first)
    error = refused(lost + separator + "0000 01INGBNL2AXXXX00001\n" + second)
    assert error.where == "regel 31"
    assert "volgens de bank 4 bijschrijvingen (€ 1.056,00)" in error.problem
    # a count cut at a blank line inside a total (a file with a blank line after every line)
    # is read whole, as before
    doubled = text.replace("/SUM/2/4/295,00/1056,00", "/SUM/2/4/295,00/1056,\n\n00")
    assert len(parse(doubled).lines) == 5


def test_ing_sum_on_the_last_page_of_a_statement_may_count_every_page():
    """A statement over pages (:62M:/:60M:): a count that is the whole statement's, on its
    last page, is not that page's alone; it passes, and one that fits neither refuses."""
    last = THIRD.replace("-\n", ":86:/SUM/0/3/0,/390,00/\n-\n")
    assert len(parse(FIRST + SECOND + last).lines) == 3
    only = THIRD.replace("-\n", ":86:/SUM/0/1/0,/40,00/\n-\n")
    assert len(parse(FIRST + SECOND + only).lines) == 3
    error = refused(FIRST + SECOND + THIRD.replace("-\n", ":86:/SUM/0/4/0,/430,00/\n-\n"))
    assert "volgens de bank 4 bijschrijvingen (€ 430,00)" in error.problem


@pytest.mark.parametrize(
    "sum_field",
    [
        "/SUM/0/2/0,/140,00/",  # the reversal of a debit counted as what it does: a credit
        "/SUM/1/1/40,00/100,00/",  # counted by its mark RD: a debit (ING does not say which)
    ],
)
def test_ing_sum_of_a_statement_with_a_reversal_passes_in_either_count(sum_field):
    """A reversal (RD: a debit of ours booked back, RC: a credit taken back) is counted by
    its effect (RD with the credits) or by its mark (RD with the debits): ING's format
    descriptions do not say which its /SUM/ does. A correct ING file was refused when it
    counts by the mark; a count that fits neither still refuses."""
    body = (
        ":61:2503030303C100,00NTRFNONREF\n:86:/EREF/X//CNTP/NL20INGB0001234567/INGBNL2A/Jansen"
        "/AMSTERDAM///REMI/USTD//factuur 2025-1/\n"
        ":61:2503030303RD40,00NTRFNONREF\n:86:/EREF/Y//CNTP/NL20INGB0001234567/INGBNL2A/Huur"
        " BV/AMSTERDAM///REMI/USTD//terugboeking huur/\n"
    )
    text = mt940(body, closing="1140,00").replace(
        "-\n", f":86:/NAME/ING BANK N.V.//BIC/INGBNL2A//{sum_field}\n-\n"
    )
    assert [(line.amount, line.is_reversal) for line in parse(text).lines] == [(D("100.00"), False)]
    error = refused(text.replace(sum_field, "/SUM/1/2/40,00/240,00/"))
    assert "volgens de bank 2 bijschrijvingen (€ 240,00) en 1 afschrijving (€ 40,00)" in (
        error.problem
    )


# --- A zip of statements: read whole or refused whole -----------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"


def _statement_zip(members: list[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_a_zip_of_statements_is_read_as_its_statements_in_name_order(tmp_path):
    """CAMT.053, CODA and MT940 in one zip (recognised by content, not by name), each read as
    if given on its own, by name; folders and what macOS adds are left out without a word,
    other files (a PDF copy, a README) are named in a note on the first statement."""
    from debiteuren.payments import read_statement_file, read_statement_files

    data = _statement_zip(
        [
            ("2026/", b""),
            ("2026/c-coda.txt", _fixture("coda_normal.cod")),
            ("2026/a-camt.xml", _fixture("camt053_normal.xml")),
            ("2026/b-ing.sta", _fixture("mt940_ing.sta")),
            ("2026/afschrift.pdf", b"%PDF-1.7 een kopie om te lezen"),
            ("LEESMIJ.txt", b"Uw afschriften van oktober"),
            ("__MACOSX/2026/._a-camt.xml", b"\x00\x05\x16\x07"),
            (".DS_Store", b"\x00\x00\x00\x01Bud1"),
        ]
    )
    path = tmp_path / "afschriften.zip"
    path.write_bytes(data)
    files = read_statement_files(path)
    assert [(f.source, f.format) for f in files] == [
        ("afschriften.zip/2026/a-camt.xml", "camt053"),
        ("afschriften.zip/2026/b-ing.sta", "mt940"),
        ("afschriften.zip/2026/c-coda.txt", "coda"),
    ]
    names = ["camt053_normal.xml", "mt940_ing.sta", "coda_normal.cod"]
    for found, name in zip(files, names, strict=True):
        alone = read_statement_file(FIXTURES / name)
        assert [replace(x, source="") for x in found.lines] == [
            replace(x, source="") for x in alone.lines
        ]
        assert found.statements == alone.statements
    assert files[0].notes == (
        "niet ingelezen uit afschriften.zip, want geen rekeningafschrift: 2026/afschrift.pdf, "
        "LEESMIJ.txt",
    )
    assert files[1].notes == files[2].notes == ()


#: Reports that banks put in a zip beside the day's statement: they are no statement.
CAMT052 = (
    _fixture("camt054_notification.xml")
    .replace(b"BkToCstmrDbtCdtNtfctn", b"BkToCstmrAcctRpt")
    .replace(b"camt.054.001.02", b"camt.052.001.02")
)
MT942 = (
    b"{1:F01INGBNL2ABXXX0000000000}{2:I942INGBNL2AXXXN}{4:\n:20:P261106120000001\n"
    b":25:NL69INGB0123456789EUR\n:28C:1\n:34F:EURD0,\n:13D:2611061200+0100\n"
    b":61:2611061106C121,00NTRFEREF//00000000002002\n:86:/REMI/USTD//Factuur 2026-0078/\n"
    b":90D:0EUR0,\n:90C:1EUR121,00\n-}"
)


def test_a_zip_with_reports_beside_the_statement_reads_the_statement_and_names_each_report():
    """ING and ABN AMRO put the day's interim report (camt.052, MT942) and the notifications
    (camt.054) in the zip beside the statement (camt.053). Each report refused the whole zip,
    the statement too; now the statement is read and a note names each report and what it
    is (its bookings are on a day's statement)."""
    from debiteuren.payments import parse_statement_files

    data = _statement_zip(
        [
            ("1-camt053.xml", _fixture("camt053_normal.xml")),
            ("2-camt052.xml", CAMT052),
            ("3-camt054.xml", _fixture("camt054_notification.xml")),
            ("4-mt942.sta", MT942),
            ("5-toelichting.pdf", b"%PDF-1.7"),
        ]
    )
    [found] = parse_statement_files(data, source="ing.zip")
    assert found.source == "ing.zip/1-camt053.xml"
    alone = parse_statement_file(_fixture("camt053_normal.xml"), source="1-camt053.xml")
    assert found.lines and [replace(x, source="") for x in found.lines] == [
        replace(x, source="") for x in alone.lines
    ]
    after = (
        ", geen rekeningafschrift; de bij- en afschrijvingen erin staan ook op het dagafschrift "
        "van die dag (CAMT.053, MT940 of CODA): lees dat in als het niet in dit zip-bestand zit"
    )
    assert found.notes == (
        "niet ingelezen uit ing.zip: 2-camt052.xml is een tussentijds rekeningrapport "
        f"(camt.052){after}",
        "niet ingelezen uit ing.zip: 3-camt054.xml is een melding van bij- en afschrijvingen "
        f"(camt.054){after}",
        f"niet ingelezen uit ing.zip: 4-mt942.sta is een tussentijds overzicht (MT942){after}",
        "niet ingelezen uit ing.zip, want geen rekeningafschrift: 5-toelichting.pdf",
    )


@pytest.mark.parametrize("order", ["statement first", "report first"])
def test_a_file_with_a_statement_and_an_interim_report_in_a_zip_is_not_left_out(order):
    """A file that holds a day's MT940 statement and an MT942 (one download of both) is no
    report only: it was left out of the zip as 'een tussentijds overzicht (MT942)', with its
    statement's bookings, and the note said they were on a day's statement elsewhere. It is
    refused, with the zip, as before."""
    from debiteuren.payments import parse_statement_files

    statement = (BANKS / "ing_nl_structured.sta").read_bytes()
    both = statement + b"\n" + MT942 if order == "statement first" else MT942 + b"\n" + statement
    data = _statement_zip([("1-camt053.xml", _fixture("camt053_normal.xml")), ("2.sta", both)])
    with pytest.raises(StatementError) as caught:
        parse_statement_files(data, source="ing.zip")
    assert caught.value.source == "ing.zip"
    assert caught.value.where.startswith("in het zip-bestand: 2.sta, regel ")
    assert "tussentijds overzicht (MT942)" in caught.value.problem


@pytest.mark.parametrize("others", [[], [("leesmij.txt", b"uitleg")]])
def test_a_zip_with_only_reports_is_refused_naming_each(others):
    from debiteuren.payments import parse_statement_files

    data = _statement_zip(
        [("a.xml", _fixture("camt054_notification.xml")), ("b.sta", MT942), *others]
    )
    with pytest.raises(StatementError) as caught:
        parse_statement_files(data, source="ing.zip")
    assert (caught.value.source, caught.value.where) == ("ing.zip", "")
    also = " (verder leesmij.txt)" if others else ""
    assert caught.value.problem == (
        "het zip-bestand bevat geen rekeningafschrift: a.xml is een melding van bij- en "
        "afschrijvingen (camt.054), b.sta een tussentijds overzicht (MT942)"
        f"{also}; exporteer bij uw bank het dagafschrift (rekeningafschrift) als CAMT.053, "
        "MT940 of CODA en lees dat in"
    )


@pytest.mark.parametrize(
    ("members", "where", "problem"),
    [
        (
            [("a.xml", "camt053_normal.xml"), ("b.sta", "mt940_bad_amount.sta")],
            "in het zip-bestand: b.sta, regel 5",
            "boeking :61: '2503030303C1O,00NTRFNONREF' is ongeldig",
        ),
        (
            [("a.xml", "camt053_normal.xml"), ("binnen.zip", "zip")],
            "in het zip-bestand: binnen.zip",
            "een zip-bestand in het zip-bestand wordt niet gelezen",
        ),
        (
            [("uitleg.pdf", "pdf"), ("leesmij.txt", "text")],
            "",
            "het zip-bestand bevat geen rekeningafschrift (wel leesmij.txt, uitleg.pdf)",
        ),
        ([], "", "het zip-bestand bevat geen rekeningafschrift; geef"),
        (
            [("a.xml", "camt053_normal.xml"), ("../../\x1b[31m\u202eb.xml", "camt053_xxe.xml")],
            "in het zip-bestand: ../../ [31mb.xml",
            "DOCTYPE",
        ),
    ],
)
def test_a_zip_with_a_bad_statement_is_refused_whole_naming_it(members, where, problem):
    from debiteuren.payments import parse_statement_files

    contents = {
        "zip": _statement_zip([("x.xml", _fixture("camt053_normal.xml"))]),
        "pdf": b"%PDF-1.7",
        "text": b"geen afschrift",
    }
    data = _statement_zip([(name, contents.get(kind) or _fixture(kind)) for name, kind in members])
    with pytest.raises(StatementError) as caught:
        parse_statement_files(data, source="bank.zip")
    assert (caught.value.source, caught.value.where) == ("bank.zip", where)
    assert problem in caught.value.problem
    assert caught.value.message.startswith("Bankafschrift 'bank.zip'")


def test_a_zip_bomb_too_many_files_and_a_broken_zip_are_refused(monkeypatch):
    """The bytes unpacked are counted as they come (not as the zip declares them), the files
    before any is read; a damaged or encrypted zip says so."""
    import debiteuren.payments as payments

    statement = _fixture("camt053_normal.xml")
    monkeypatch.setattr(payments, "MAX_ZIP_BYTES", 3 * len(statement))
    bomb = _statement_zip([("a.xml", statement), ("b.xml", b" " * (2 * len(statement) + 1))])
    with pytest.raises(StatementError, match=f"uitgepakt groter dan {3 * len(statement)} bytes"):
        payments.parse_statement_files(bomb, source="bom.zip")
    monkeypatch.setattr(payments, "MAX_ZIP_FILES", 2)
    many = _statement_zip([(f"{n}.xml", statement) for n in range(3)])
    with pytest.raises(StatementError, match="bevat 3 bestanden, meer dan de 2"):
        payments.parse_statement_files(many, source="veel.zip")
    good = _statement_zip([("a.xml", statement)], method=zipfile.ZIP_STORED)
    damaged = good.replace(statement[200:260], b"x" * 60)  # the CRC no longer agrees
    with pytest.raises(StatementError, match="beschadigd of onvolledig"):
        payments.parse_statement_files(damaged, source="kapot.zip")
    encrypted = bytearray(good)
    encrypted[6] |= 0x1  # the local header's and the central directory's "encrypted" flag
    at = bytes(encrypted).rindex(b"PK\x01\x02")
    encrypted[at + 8] |= 0x1
    with pytest.raises(StatementError, match="versleuteld"):
        payments.parse_statement_files(bytes(encrypted), source="geheim.zip")


@pytest.mark.parametrize("reference", ["", "//00000000000007"])
def test_an_original_amount_and_charges_in_the_supplementary_details_are_shown(reference):
    """SWIFT's /OCMT/ (the original amount in its currency) and /CHGS/ (charges) after a
    :61: (ING writes them after /TRCD/) go to the text; the booked amount counts, and the
    stable key stays the one the line had without them."""
    body = (
        f":61:2503030303C920,00NTRFNONREF{reference}\n/TRCD/00100/OCMT/USD1000,00/CHGS/EUR5,/\n"
        ":86:/CNTP/NL44RABO0123456789/RABONL2U/US Client///REMI/USTD//Factuur 2025-017/\n"
    )
    found = parse(mt940(body, closing="1920,00")).lines
    plain = parse(mt940(body.replace("OCMT/USD1000,00/CHGS/EUR5,/", ""), closing="1920,00"))
    assert [(x.amount, x.remittance) for x in found] == [
        (D("920.00"), "Factuur 2025-017 Oorspronkelijk bedrag USD 1.000,00; kosten € 5,00")
    ]
    assert found[0].bank_reference == plain.lines[0].bank_reference


def test_superscript_digits_in_a_count_are_no_count():
    """``str.isdigit`` holds for '²' and '¹', ``int`` does not take them: a count written with
    them (a damaged or hostile file) was a ValueError traceback. A CAMT.053 summary's count is
    then no count (as any other text), a CODA trailer's is refused as no number."""
    camt = _fixture("camt053_normal.xml").replace(
        b"<NbOfNtries>6</NbOfNtries>", "<NbOfNtries>²</NbOfNtries>".encode()
    )
    ok = parse_statement_file(_fixture("camt053_normal.xml"), source="a.xml")
    assert [x.amount for x in parse_statement_file(camt, source="a.xml").lines] == [
        x.amount for x in ok.lines
    ]
    coda = _fixture("coda_normal.cod").decode("latin-1")
    trailer = next(line for line in coda.splitlines() if line.startswith("9"))
    broken = coda.replace(trailer, trailer[:16] + "¹" + trailer[17:]).encode("latin-1")
    with pytest.raises(StatementError, match="aantal records '¹00016' is geen getal"):
        parse_statement_file(broken, source="a.cod")


def test_a_zip_packed_in_a_way_zipfile_cannot_read_is_refused_with_a_message():
    """A member packed with LZMA whose data is damaged raised LZMAError, and a zip whose
    central directory asks a newer zip version raised NotImplementedError, both as tracebacks
    (the fuzzer of session 25)."""
    import debiteuren.payments as payments

    statement = _fixture("camt053_normal.xml")
    lzma_zip = bytearray(_statement_zip([("a.xml", statement)], method=zipfile.ZIP_LZMA))
    start = lzma_zip.index(b"a.xml") + len("a.xml") + 40
    lzma_zip[start : start + 40] = bytes(b ^ 0x55 for b in lzma_zip[start : start + 40])
    with pytest.raises(StatementError, match="beschadigd of onvolledig"):
        payments.parse_statement_files(bytes(lzma_zip), source="lzma.zip")
    newer = bytearray(_statement_zip([("a.xml", statement)]))
    at = newer.rindex(b"PK\x01\x02")
    newer[at + 6 : at + 8] = (84).to_bytes(2, "little")  # version needed to extract: 8.4
    with pytest.raises(StatementError, match="ingepakt op een manier die debiteuren niet kan"):
        payments.parse_statement_files(bytes(newer), source="nieuw.zip")


@pytest.mark.parametrize("where", ["BookgDt", "ValDt"])
def test_a_camt_date_before_1900_is_refused(where):
    """A booking dated 0001-01-01 was written to Betalingen and the next bijwerken refused the
    book ('00:00:00' is geen datum); e-invoices refuse such years already (found by fuzzing,
    session 25)."""
    camt = _fixture("camt053_normal.xml").decode()
    first = camt.index(f"<{where}><Dt>")
    start = first + len(f"<{where}><Dt>")
    broken = (camt[:start] + "0001-01-01" + camt[start + 10 :]).encode()
    message = "datum '0001-01-01' kan niet (debiteuren rekent met de jaren 1900 tot en met 2199)"
    with pytest.raises(StatementError, match=re.escape(message)):
        parse_statement_file(broken, source="a.xml")


def test_a_camt_summary_count_of_5000_digits_is_no_count():
    """int() refuses more than 4,300 digits: a ValueError traceback (found by fuzzing)."""
    camt = _fixture("camt053_normal.xml").replace(
        b"<NbOfNtries>6</NbOfNtries>", b"<NbOfNtries>" + b"6" * 5000 + b"</NbOfNtries>"
    )
    ok = parse_statement_file(_fixture("camt053_normal.xml"), source="a.xml")
    lines = parse_statement_file(camt, source="a.xml").lines
    assert [x.amount for x in lines] == [x.amount for x in ok.lines]


def test_a_coda_file_in_windows_text_after_a_utf8_mark_is_read():
    """A CODA file of Windows-1252 text with a UTF-8 byte order mark in front (an editor added
    it) was refused as 'een CODA-record heeft 128 tekens, deze regel heeft er 131' (found by
    fuzzing, session 25)."""
    plain = _fixture("coda_normal.cod").decode("latin-1")
    name = plain.splitlines()[1][64:90]
    accented = plain.replace(name, name[:-1] + "é", 1).encode("cp1252")
    ok = parse_statement_file(accented, source="a.cod")
    marked = parse_statement_file(b"\xef\xbb\xbf" + accented, source="a.cod")
    assert [x.amount for x in marked.lines] == [x.amount for x in ok.lines]
    assert marked.statements == ok.statements
