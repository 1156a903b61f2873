"""core/watch.py: limitation warnings, hand-overs and whether pursuing a debtor pays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from debiteuren.core import watch
from debiteuren.core.book import assess_book, overview
from debiteuren.core.ladder import Stage
from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Payment,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin

CREDITOR = Creditor(name="Testbedrijf B.V.", city="Utrecht", iban="NL91ABNA0417164300")


def debtor(
    number: str, country: str = "NL", kind: DebtorKind = DebtorKind.CONSUMER, **extra
) -> Debtor:
    return Debtor(
        number=number, name=f"Klant {number}", country=Country(country), kind=kind, **extra
    )


def invoice(number: str, who: str, due: date, amount: str = "500.00", **extra) -> Invoice:
    return Invoice(
        number=number,
        debtor=who,
        invoice_date=due.replace(day=1),
        due_date=due,
        amount=D(amount),
        **extra,
    )


def book(debtors, invoices, as_of, payments=(), actions=()):
    return assess_book(
        {d.number: d for d in debtors},
        list(invoices),
        list(payments),
        list(actions),
        [],
        CREDITOR,
        Settings(),
        builtin(),
        as_of,
    )


class TestLimitationWarnings:
    def test_warns_within_the_window_with_the_date(self):
        # NL consumer sale: 2 years from the day after the due date (art. 7:28 BW).
        a = book([debtor("K1")], [invoice("F1", "K1", date(2024, 12, 31))], date(2026, 11, 1))
        claim = a.claims["K1"].claim_for("F1")
        assert claim.limitation == date(2027, 1, 1)
        warnings = watch.limitation_warnings(a)
        assert [(w.invoice, w.limitation, w.days_left) for w in warnings] == [
            ("F1", date(2027, 1, 1), 61)
        ]
        message = warnings[0].message
        assert "01-01-2027" in message and "61 dagen" in message
        assert "stuit de verjaring" in message and "3:317" in message

    def test_looks_exactly_days_ahead(self):
        a = book([debtor("K1")], [invoice("F1", "K1", date(2024, 12, 31))], date(2026, 11, 1))
        assert watch.limitation_warnings(a, days=61)
        assert not watch.limitation_warnings(a, days=60)

    def test_skips_paid_and_distant_claims(self):
        invoices = [invoice("F1", "K1", date(2024, 12, 31)), invoice("F2", "K1", date(2026, 6, 30))]
        paid = [Payment(on=date(2025, 1, 5), amount=D("510.00"), debtor="K1", invoice="F1")]
        a = book([debtor("K1")], invoices, date(2026, 11, 1), payments=paid)
        assert watch.limitation_warnings(a) == []

    def test_counts_an_nl_reminder_as_interruption(self):
        reminder = Action(
            on=date(2026, 10, 1),
            debtor="K1",
            step=Step.REMINDER,
            invoices=("F1",),
            channel=Channel.POST,
        )
        a = book(
            [debtor("K1")],
            [invoice("F1", "K1", date(2024, 12, 31))],
            date(2026, 11, 1),
            actions=[reminder],
        )
        assert a.claims["K1"].claim_for("F1").limitation > date(2028, 1, 1)
        assert watch.limitation_warnings(a) == []

    def test_says_in_belgium_that_own_letters_do_not_interrupt(self):
        reminder = Action(
            on=date(2026, 5, 1),
            debtor="B1",
            step=Step.BE_FIRST_REMINDER,
            invoices=("F1",),
            channel=Channel.POST,
        )
        a = book(
            [debtor("B1", "BE")],
            [invoice("F1", "B1", date(2026, 1, 20))],
            date(2026, 12, 1),
            actions=[reminder],
        )
        warnings = watch.limitation_warnings(a)
        assert [w.limitation for w in warnings] == [date(2027, 1, 20)]
        assert "2244" in warnings[0].message and "stuiten de verjaring in België niet" in (
            warnings[0].message
        )

    def test_reports_claims_already_barred_first(self):
        invoices = [invoice("F1", "K1", date(2024, 1, 31)), invoice("F2", "K1", date(2024, 12, 31))]
        a = book([debtor("K1")], invoices, date(2026, 11, 1))
        warnings = watch.limitation_warnings(a)
        assert [w.invoice for w in warnings] == ["F1", "F2"]
        assert warnings[0].days_left < 0 and "is verjaard sinds 01-02-2026" in warnings[0].message


class TestCosts:
    def test_takes_the_agency_percentage_with_a_minimum(self):
        assert watch.agency_fee(D("1000.00")) == D("150.00")
        assert watch.agency_fee(D("200.00")) == D("50.00")
        assert watch.agency_fee(D("30.00")) == D("30.00")  # never more than collected
        assert watch.agency_fee(D("0")) == D("0")
        assert watch.agency_fee(D("1000.00"), D(10), D(0)) == D("100.00")

    @pytest.mark.parametrize(
        ("amount", "legal", "natural"),
        [
            ("500.00", "130.00", "87.00"),
            ("500.01", "328.00", "218.00"),
            ("2500.00", "372.00", "248.00"),
            ("5000.00", "496.00", "248.00"),
            ("12500.00", "524.00", "248.00"),
            ("25000.00", "1409.00", "706.00"),
            ("25000.01", "2889.00", "1325.00"),
        ],
    )
    def test_reads_the_nl_court_fee_bands(self, amount, legal, natural):
        assert watch.court_fee("NL", D(amount)).amount == D(legal)
        assert watch.court_fee("NL", D(amount), legal_person=False).amount == D(natural)

    def test_names_the_court_above_the_kanton_limit(self):
        assert "kantonrechter" in watch.court_fee("NL", D("25000.00")).description
        assert "advocaat verplicht" in watch.court_fee("NL", D("25000.01")).description

    def test_adds_the_legal_aid_contribution_in_belgium(self):
        assert watch.court_fee("BE", D("5000.00")).amount == D("74.00")
        assert watch.court_fee("BE", D("5000.01")).amount == D("189.00")
        assert "vrederechter" in watch.court_fee("BE", D("100.00")).description

    def test_documents_every_default(self):
        fees = [
            watch.NL_SUMMONS,
            watch.BE_SUMMONS,
            watch.court_fee("NL", D(100)),
            watch.court_fee("BE", D(100)),
        ]
        for fee in fees:
            assert fee.description and fee.source and fee.assumption
            assert any(year in fee.source for year in ("2019", "2022", "2023", "2024", "2025"))
        assert "2024" in watch.NL_COURT_FEES_SOURCE
        assert "aanname" in watch.AGENCY_DESCRIPTION


class TestWorthPursuing:
    def test_says_plainly_when_pursuing_costs_more(self):
        w = watch.worth_pursuing(debtor("K1"), D("180.00"))
        assert w.agency == D("50.00")
        assert w.costs == D("50.00") + D("106.73") + D("130.00")
        assert w.net == D("180.00") - w.costs and not w.worth_it
        assert w.verdict.startswith("Doorzetten kost meer dan het oplevert")
        assert "no-cure-no-pay" in w.verdict

    def test_shows_what_is_left_when_it_pays(self):
        w = watch.worth_pursuing(debtor("K1", kind=DebtorKind.BUSINESS), D("3000.00"))
        assert w.costs == D("450.00") + D("106.73") + D("496.00")
        assert w.worth_it and w.net == D("1947.27")
        assert w.verdict.startswith("Doorzetten kan lonen") and "€ 1.947,27" in w.verdict
        assert len(w.lines) == 3 and all("€" in line for line in w.lines)
        assert "bron:" in w.lines[1] and "⚠" in w.lines[2]

    def test_uses_the_belgian_costs_for_a_belgian_debtor(self):
        w = watch.worth_pursuing(debtor("B1", "BE"), D("1000.00"))
        assert w.summons is watch.BE_SUMMONS
        assert w.court.amount == D("74.00")

    def test_weighs_only_debtors_in_demand(self):
        demanded = Action(
            on=date(2026, 5, 1), debtor="K1", step=Step.NOTICE_OF_DEFAULT, invoices=("F1",)
        )
        business = DebtorKind.BUSINESS
        a = book(
            [debtor("K1", kind=business), debtor("K2", kind=business)],
            [
                invoice("F1", "K1", date(2026, 3, 31)),
                invoice("F2", "K2", date(2026, 3, 31)),
                invoice("F3", "K1", date(2026, 4, 30), disputed=True),
            ],
            date(2026, 6, 1),
            actions=[demanded],
        )
        assert a.stages["K1"]["F1"].stage is Stage.DEMANDED
        checks = watch.pursuit_checks(a)
        assert [c.debtor.number for c in checks] == ["K1"]
        # the disputed invoice is not part of what pursuing can bring in
        assert checks[0].claim == a.claims["K1"].claim_for("F1").outstanding


class TestHandedOver:
    def test_lists_the_logged_invoices_and_their_total(self):
        handover = Action(on=date(2026, 6, 1), debtor="K1", step=Step.HANDOVER, invoices=("F1",))
        a = book(
            [debtor("K1", kind=DebtorKind.BUSINESS, handed_over=True)],
            [
                invoice("F1", "K1", date(2026, 3, 31)),
                invoice("F2", "K1", date(2026, 3, 31), disputed=True),
            ],
            date(2026, 7, 1),
            actions=[handover],
        )
        [h] = watch.handed_over(a)
        assert h.invoices == ("F1",) and h.since == date(2026, 6, 1)
        assert h.outstanding == a.claims["K1"].claim_for("F1").outstanding

    def test_takes_everything_when_only_the_column_says_so(self):
        a = book(
            [debtor("K1", handed_over=True)],
            [invoice("F1", "K1", date(2026, 3, 31)), invoice("F2", "K1", date(2026, 4, 30))],
            date(2026, 7, 1),
        )
        [h] = watch.handed_over(a)
        assert h.invoices == ("F1", "F2") and h.since is None
        assert h.outstanding == a.claims["K1"].outstanding

    def test_reaches_the_overview(self):
        a = book(
            [debtor("K1", handed_over=True)],
            [invoice("F1", "K1", date(2024, 12, 31))],
            date(2026, 11, 1),
        )
        ov = overview(a, [])
        assert ov.watch is not None
        assert [h.debtor.number for h in ov.watch.handed_over] == ["K1"]
        assert [w.invoice for w in ov.watch.limitation] == ["F1"]
        assert ov.watch.limitation[0].handed_over
        assert "incassobureau" in ov.watch.limitation[0].message
