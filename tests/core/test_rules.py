"""Country rules: costs, letter terms, limitation and VAT dates (nl.md, be.md)."""

from datetime import date
from decimal import Decimal as D

import pytest

from debiteuren.core.model import (
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Settings,
)
from debiteuren.core.rules import UnknownCountry, be, for_country, nl

WIK_TABLE = [  # nl.md §3.7 and TV-07: principal, BIK, BIK + 21% VAT
    ("100.00", "40.00", "48.40"),
    ("266.66", "40.00", "48.40"),
    ("267.00", "40.05", "48.46"),
    ("2500.00", "375.00", "453.75"),
    ("3000.00", "425.00", "514.25"),
    ("6000.00", "675.00", "816.75"),
    ("7500.00", "750.00", "907.50"),
    ("10000.00", "875.00", "1058.75"),
    ("15000.00", "925.00", "1119.25"),
    ("250000.00", "3025.00", "3660.25"),
    ("1000000.00", "6775.00", "8197.75"),
    ("1500000.00", "6775.00", "8197.75"),
    ("1210.00", "181.50", "219.62"),
    ("1200.00", "180.00", "217.80"),  # TV-12(b)
    ("330.00", "49.50", "59.90"),  # TV-11(b)
]


@pytest.mark.parametrize(("principal", "bik", "with_vat"), WIK_TABLE)
def test_wik_scale(principal, bik, with_vat):
    assert nl.wik_costs(D(principal)) == D(bik)
    no_deduction = Creditor(name="Verhuurder", vat_deductible=False)
    assert nl.with_vat(D(bik), no_deduction, Settings()) == D(with_vat)
    assert nl.with_vat(D(bik), Creditor(name="Winkel"), Settings()) == D(bik)


XIX_TABLE = [  # be.md §3.5
    ("100.00", "20.00"),
    ("150.00", "20.00"),
    ("150.01", "30.00"),
    ("250.00", "40.00"),
    ("400.00", "55.00"),
    ("500.00", "65.00"),
    ("1000.00", "90.00"),
    ("2500.00", "165.00"),
    ("39200.00", "2000.00"),
    ("50000.00", "2000.00"),
    ("350.00", "50.00"),
    ("600.00", "70.00"),
]


@pytest.mark.parametrize(("balance", "cap"), XIX_TABLE)
def test_book_xix_lump_sum_cap(balance, cap):
    assert be.lump_sum_cap(D(balance)) == D(cap)


def test_be_b2b_compensation_and_clause():
    assert be.b2b_compensation(D("50.00"), Settings()) == D("40.00")
    clause = Settings(
        be_b2b_clause_percent=D(10), be_b2b_clause_minimum=D(50), be_b2b_clause_maximum=D(2500)
    )
    assert be.b2b_compensation(D("100.00"), clause) == D("50.00")
    assert be.b2b_compensation(D("3000.00"), clause) == D("300.00")
    assert be.b2b_compensation(D("90000.00"), clause) == D("2500.00")


def test_nl_fourteen_day_letter_dates_tv08_tv17():
    s = Settings()
    t = nl.letter_term(date(2025, 2, 3), Channel.POST, s)  # Monday: no delivery on Monday
    assert (t.received_on, t.first_day, t.last_day, t.charges_from) == (
        date(2025, 2, 4),
        date(2025, 2, 5),
        date(2025, 2, 18),
        date(2025, 2, 19),
    )
    t = nl.letter_term(date(2025, 3, 3), Channel.POST, s, received_on=date(2025, 3, 4))
    assert (t.first_day, t.last_day, t.charges_from) == (
        date(2025, 3, 5),
        date(2025, 3, 18),
        date(2025, 3, 19),
    )


def test_nl_postal_delivery_skips_sunday_monday_and_holidays():
    s = Settings()
    # Sent Saturday 26-04-2025; Sunday and Monday no delivery; Tuesday 29-04 delivered.
    assert nl.presumed_receipt(date(2025, 4, 26), Channel.POST, s) == date(2025, 4, 29)
    # Sent Wednesday 24-12-2025: 25 and 26 December are holidays, Saturday 27 is delivered.
    assert nl.presumed_receipt(date(2025, 12, 24), Channel.POST, s) == date(2025, 12, 27)
    # Monday delivery when the setting says so
    monday = Settings(nl_postal_delivery_weekdays=(0, 1, 2, 3, 4, 5))
    assert nl.presumed_receipt(date(2025, 4, 26), Channel.POST, monday) == date(2025, 4, 28)
    assert nl.presumed_receipt(date(2025, 4, 26), Channel.EMAIL, s) == date(2025, 4, 26)


@pytest.mark.parametrize(
    ("sent", "channel", "saturday", "first", "last", "charges"),
    [  # be.md §3.3, T1-T3
        (
            date(2025, 10, 3),
            Channel.EMAIL,
            False,
            date(2025, 10, 4),
            date(2025, 10, 17),
            date(2025, 10, 18),
        ),
        (
            date(2025, 10, 3),
            Channel.POST,
            False,
            date(2025, 10, 8),
            date(2025, 10, 21),
            date(2025, 10, 22),
        ),
        (
            date(2025, 10, 3),
            Channel.POST,
            True,
            date(2025, 10, 7),
            date(2025, 10, 20),
            date(2025, 10, 21),
        ),
        (
            date(2025, 12, 24),
            Channel.POST,
            False,
            date(2025, 12, 30),
            date(2026, 1, 12),
            date(2026, 1, 13),
        ),
    ],
)
def test_be_first_reminder_terms(sent, channel, saturday, first, last, charges):
    s = Settings(be_saturday_is_working_day=saturday)
    t = be.letter_term(sent, channel, s)
    assert (t.first_day, t.last_day, t.charges_from) == (first, last, charges)


def test_be_term_ending_on_weekend_moves_to_working_day_by_default():
    # e-mail on Sunday 2025-10-05: 14 days end Sunday 19-10 -> Monday 20-10 by default
    t = be.letter_term(date(2025, 10, 5), Channel.EMAIL, Settings())
    assert t.last_day == date(2025, 10, 20)
    t = be.letter_term(
        date(2025, 10, 5), Channel.EMAIL, Settings(be_extend_term_to_working_day=False)
    )
    assert t.last_day == date(2025, 10, 19)


def _inv(due, number="F1"):
    return Invoice(number=number, debtor="K1", invoice_date=due, due_date=due, amount=D(100))


NL_B2B = Debtor(number="K1", name="BV", country=Country.NL, kind=DebtorKind.BUSINESS)
NL_B2C = Debtor(number="K1", name="Jan", country=Country.NL, kind=DebtorKind.CONSUMER)
BE_B2B = Debtor(number="K1", name="NV", country=Country.BE, kind=DebtorKind.BUSINESS)
BE_B2C = Debtor(number="K1", name="Els", country=Country.BE, kind=DebtorKind.CONSUMER)


def test_nl_limitation_tv14():
    s = Settings()
    inv = _inv(date(2021, 3, 31))
    assert nl.limitation_date(inv, NL_B2B, s, []) == date(2026, 4, 1)
    assert nl.limitation_date(inv, NL_B2B, s, [date(2026, 3, 10)]) == date(2031, 3, 10)
    # a letter received after the claim was barred does not revive it
    assert nl.limitation_date(inv, NL_B2B, s, [date(2026, 4, 2)]) == date(2026, 4, 1)
    sale = _inv(date(2024, 3, 31))
    assert nl.limitation_date(sale, NL_B2C, s, []) == date(2026, 4, 1)
    assert nl.limitation_date(sale, NL_B2C, s, [date(2026, 1, 15)]) == date(2028, 1, 15)
    services = Settings(nl_consumer_goods_sale=False)
    assert nl.limitation_date(sale, NL_B2C, services, []) == date(2029, 4, 1)


def test_be_limitation():
    s = Settings()
    assert be.limitation_date(_inv(date(2025, 3, 31)), BE_B2B, s, []) == date(2035, 3, 31)
    assert be.limitation_date(_inv(date(2025, 3, 31)), BE_B2C, s, []) == date(2026, 3, 31)
    # own letters never interrupt; a lawyer's 2244 notice adds at most a year
    assert be.limitation_date(_inv(date(2025, 3, 31)), BE_B2C, s, [date(2026, 1, 10)]) == date(
        2027, 1, 10
    )


def test_nl_vat_refund_tv15():
    assert nl.vat_refund_date(_inv(date(2020, 9, 18))) == date(2021, 9, 18)
    assert nl.vat_refund_date(_inv(date(2020, 10, 2))) == date(2021, 10, 2)
    assert be.vat_refund_date(_inv(date(2020, 9, 18))) is None


def test_interest_series_per_debtor():
    s, c, rates = (
        Settings(),
        Creditor(name="X"),
        __import__("debiteuren.core.rates", fromlist=["builtin"]).builtin(),
    )
    assert nl.interest_schedule(NL_B2C, c, s, rates).series == "nl_wettelijke_rente"
    assert nl.interest_schedule(NL_B2B, c, s, rates).series == "nl_handelsrente"
    assert be.interest_schedule(BE_B2B, c, s, rates).series == "be_handelsrente"
    assert be.interest_schedule(BE_B2C, c, s, rates) is None  # no clause: nothing (safe)
    legal = Settings(be_consumer_no_clause="wettelijke_interest")
    assert be.interest_schedule(BE_B2C, c, legal, rates).series == "be_wettelijke_interest"
    capped = be.interest_schedule(BE_B2C, c, Settings(be_consumer_interest_clause=D(12)), rates)
    assert capped.rate_on(date(2025, 11, 1)) == D("10.50")  # capped at the art. 5 rate
    assert capped.rate_on(date(2024, 3, 1)) == D("12")


def test_for_country():
    assert for_country("nl") is nl and for_country(Country.BE) is be
    with pytest.raises(UnknownCountry, match="Onbekend land 'DE'"):
        for_country("DE")
