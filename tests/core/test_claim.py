"""A debtor's claim: several invoices, formal letters, payments across invoices."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.claim import assess_debtor, open_amounts, owed_on, unlinked_credit_notes
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

RATES = builtin()
SHOP = Creditor(name="Winkel BV", is_sme=False)


def debtor(country="NL", kind=DebtorKind.CONSUMER):
    return Debtor(number="K1", name="Klant", country=Country(country), kind=kind)


def inv(number, amount, due, invoice_date=None):
    return Invoice(
        number=number,
        debtor="K1",
        invoice_date=invoice_date or due - timedelta(30),
        due_date=due,
        amount=D(amount),
    )


def credit_note(number, on, amount, credits=""):
    """A credit note of ``amount`` (negative) dated and due ``on``; ``credits``: its invoice."""
    return Invoice(
        number=number,
        debtor="K1",
        invoice_date=on,
        due_date=on,
        amount=D(amount),
        is_credit_note=True,
        credits=credits,
    )


def pay(on, amount, invoice=""):
    return Payment(on=on, amount=D(amount), debtor="K1", invoice=invoice)


def letter(on, step, *numbers, channel=Channel.POST, received=None):
    return Action(
        on=on, debtor="K1", step=step, invoices=numbers, channel=channel, received_on=received
    )


def assess(d, invoices, payments=(), actions=(), creditor=SHOP, s=Settings(), as_of=None):
    return assess_debtor(d, invoices, list(payments), list(actions), creditor, s, RATES, as_of)


def test_tv09_partial_payment_within_the_14_day_term():
    claim = assess(
        debtor(),
        [inv("F1", "3000.00", date(2025, 2, 28))],
        [pay(date(2025, 3, 10), "1000.00")],
        [letter(date(2025, 3, 3), Step.FOURTEEN_DAY_LETTER, "F1", received=date(2025, 3, 4))],
        as_of=date(2025, 3, 31),
    )
    c = claim.claim_for("F1")
    assert c.statement.allocations[0].to_interest == D("4.93")
    assert c.statement.charges[0].on == date(2025, 3, 19)
    assert c.costs == D("300.74")  # on the 2,004.93 unpaid at expiry, not the 425 announced
    assert c.statement.interest_open == D("6.92")
    assert c.outstanding == D("2312.59")


def test_tv08_through_the_claim():
    claim = assess(
        debtor(),
        [inv("F1", "1000.00", date(2025, 1, 31))],
        [pay(date(2025, 4, 30), "500.00")],
        [letter(date(2025, 2, 3), Step.FOURTEEN_DAY_LETTER, "F1")],
        as_of=date(2025, 7, 31),
    )
    assert claim.outstanding == D("674.68")
    assert claim.claim_for("F1").costs == D("150.00")


def test_nl_consumer_without_14_day_letter_owes_no_costs():
    claim = assess(debtor(), [inv("F1", "1000.00", date(2025, 1, 31))], as_of=date(2025, 7, 31))
    assert claim.claim_for("F1").costs == 0
    # a 14-day letter sent before the due date is not valid
    claim = assess(
        debtor(),
        [inv("F1", "1000.00", date(2025, 1, 31))],
        actions=[letter(date(2025, 1, 20), Step.FOURTEEN_DAY_LETTER, "F1")],
        as_of=date(2025, 7, 31),
    )
    assert claim.claim_for("F1").costs == 0


def test_tv11_several_invoices():
    invoices = [
        inv("A", "100.00", date(2025, 1, 31)),
        inv("B", "150.00", date(2025, 1, 31)),
        inv("C", "80.00", date(2025, 1, 31)),
    ]
    b2b = assess(debtor(kind=DebtorKind.BUSINESS), invoices, as_of=date(2025, 2, 1))
    assert [c.costs for c in b2b.invoices] == [D("40.00")] * 3
    one_letter = assess(
        debtor(),
        invoices,
        actions=[letter(date(2025, 2, 3), Step.FOURTEEN_DAY_LETTER)],
        as_of=date(2025, 3, 31),
    )
    assert sum(c.costs for c in one_letter.invoices) == D("49.50")
    assert [c.costs for c in one_letter.invoices] == [D("15.00"), D("22.50"), D("12.00")]
    separate = assess(
        debtor(),
        invoices,
        actions=[
            letter(date(2025, 2, 3), Step.FOURTEEN_DAY_LETTER, "A"),
            letter(date(2025, 2, 4), Step.FOURTEEN_DAY_LETTER, "B"),
            letter(date(2025, 2, 5), Step.FOURTEEN_DAY_LETTER, "C"),
        ],
        as_of=date(2025, 3, 31),
    )
    assert sum(c.costs for c in separate.invoices) == D("120.00")


def test_tv12b_vat_on_costs_for_a_creditor_that_cannot_deduct():
    landlord = Creditor(name="Verhuur", vat_deductible=False)
    claim = assess(
        debtor(),
        [inv("H1", "1200.00", date(2025, 1, 31))],
        actions=[letter(date(2025, 2, 3), Step.FOURTEEN_DAY_LETTER, "H1")],
        creditor=landlord,
        as_of=date(2025, 3, 31),
    )
    assert claim.claim_for("H1").costs == D("217.80")


def test_b6_be_b2b_several_invoices_rounded_per_invoice():
    invoices = [
        inv("A", "100.00", date(2025, 1, 31)),
        inv("B", "200.00", date(2025, 1, 31)),
        inv("C", "300.00", date(2025, 1, 31)),
    ]
    claim = assess(debtor("BE", DebtorKind.BUSINESS), invoices, as_of=date(2025, 3, 2))
    assert [c.interest for c in claim.invoices] == [D("0.95"), D("1.89"), D("2.84")]
    assert claim.interest == D("5.68")
    assert sum(c.costs for c in claim.invoices) == D("120.00")
    assert claim.outstanding == D("725.68")


def test_b2_and_b9_totals():
    b2 = assess(
        debtor("BE", DebtorKind.BUSINESS),
        [inv("F", "1000.00", date(2025, 3, 31))],
        as_of=date(2025, 5, 30),
    )
    assert b2.outstanding == D("1058.90")
    b9 = assess(
        debtor("BE", DebtorKind.BUSINESS),
        [inv("F", "50.00", date(2025, 10, 31))],
        as_of=date(2025, 11, 10),
    )
    assert b9.outstanding == D("90.14")


BE_CLAUSES = Settings(be_consumer_interest_clause=D("12.00"), be_consumer_lump_sum_clause=True)


def test_c1_be_consumer_email_reminder_non_sme_and_sme():
    invoices = [inv("F", "400.00", date(2025, 9, 30))]
    actions = [letter(date(2025, 10, 3), Step.BE_FIRST_REMINDER, "F", channel=Channel.EMAIL)]
    non_sme = assess(
        debtor("BE"), invoices, actions=actions, s=BE_CLAUSES, as_of=date(2025, 12, 31)
    )
    c = non_sme.claim_for("F")
    assert c.interest_start == date(2025, 10, 17)
    assert (c.costs, c.interest, c.outstanding) == (D("55.00"), D("8.63"), D("463.63"))
    sme = assess(
        debtor("BE"),
        invoices,
        actions=actions,
        s=BE_CLAUSES,
        creditor=Creditor(name="Kleine zaak", is_sme=True),
        as_of=date(2025, 12, 31),
    )
    assert sme.claim_for("F").interest == D("10.24")
    assert sme.outstanding == D("465.24")


def test_be_legal_interest_without_a_clause_runs_after_the_term_even_for_an_sme():
    # The SME start (interest from the start of the term, be.md §3.6) applies to an agreed
    # rate only: the setting "BE consument: KMO-rente vanaf begin termijn" says so. The legal
    # interest a consumer owes without a clause (setting "zonder beding") runs after the term:
    # 400.00 x 4.50 % x 75 days (18-10 ... 31-12-2025) / 365 = 3.70, not 89 days = 4.39.
    invoices = [inv("F", "400.00", date(2025, 9, 30))]
    actions = [letter(date(2025, 10, 3), Step.BE_FIRST_REMINDER, "F", channel=Channel.EMAIL)]
    claim = assess(
        debtor("BE"),
        invoices,
        actions=actions,
        s=Settings(be_consumer_no_clause="wettelijke_interest"),
        creditor=Creditor(name="Kleine zaak", is_sme=True),
        as_of=date(2025, 12, 31),
    )
    c = claim.claim_for("F")
    assert (c.interest_start, c.interest) == (date(2025, 10, 17), D("3.70"))


def test_c3_lump_sum_on_the_balance_at_the_end_of_the_term():
    claim = assess(
        debtor("BE"),
        [inv("F", "600.00", date(2025, 9, 30))],
        [pay(date(2025, 10, 10), "250.00")],
        [letter(date(2025, 10, 3), Step.BE_FIRST_REMINDER, "F", channel=Channel.EMAIL)],
        s=Settings(be_consumer_lump_sum_clause=True),
        as_of=date(2025, 10, 31),
    )
    assert claim.claim_for("F").costs == D("50.00")


def test_be_consumer_before_the_first_reminder_owes_only_the_principal():
    claim = assess(
        debtor("BE"), [inv("F", "600.00", date(2025, 9, 30))], s=BE_CLAUSES, as_of=date(2026, 9, 30)
    )
    assert claim.outstanding == D("600.00")


def test_payment_goes_to_the_named_invoice_first_then_oldest():
    invoices = [inv("OLD", "100.00", date(2025, 1, 31)), inv("NEW", "100.00", date(2025, 2, 28))]
    d = debtor(kind=DebtorKind.BUSINESS)
    named = assess(d, invoices, [pay(date(2025, 2, 1), "140.00", "NEW")], as_of=date(2025, 2, 1))
    assert named.claim_for("NEW").outstanding == 0
    # rest (40) goes to OLD's costs first
    old = named.claim_for("OLD")
    assert old.statement.allocations[0].to_costs == D("40.00")
    unnamed = assess(d, invoices, [pay(date(2025, 2, 1), "140.00")], as_of=date(2025, 2, 1))
    # all of it goes to the oldest: costs 40.00, one day of interest 0.03, principal 99.97
    assert unnamed.claim_for("OLD").outstanding == D("0.03")
    assert unnamed.claim_for("NEW").outstanding == D("100.00")


def test_credit_note_reduces_the_oldest_invoice():
    credit = credit_note("CN1", date(2025, 1, 15), "-50.00")
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "100.00", date(2025, 1, 31)), credit],
        as_of=date(2025, 1, 20),
    )
    assert claim.outstanding == D("50.00")
    assert [c.invoice.number for c in claim.invoices] == ["F1"]


def test_overpayment_stays_unallocated():
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "100.00", date(2025, 1, 31))],
        [pay(date(2025, 1, 20), "130.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.outstanding == 0 and claim.unallocated == D("30.00")


def test_nl_limitation_uses_received_letters():
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "100.00", date(2021, 3, 31))],
        actions=[letter(date(2026, 3, 9), Step.REMINDER, "F1", received=date(2026, 3, 10))],
        as_of=date(2026, 3, 20),
    )
    assert claim.claim_for("F1").limitation == date(2031, 3, 10)


# --- properties ------------------------------------------------------------------------------

money_st = st.integers(1, 5_000_000).map(lambda c: D(c) / 100)


@st.composite
def cases(draw):
    country = draw(st.sampled_from(["NL", "BE"]))
    kind = draw(st.sampled_from(list(DebtorKind)))
    n = draw(st.integers(1, 4))
    base = date(2020, 1, 1)
    invoices = [
        inv(f"F{i}", draw(money_st), base + timedelta(draw(st.integers(0, 1500)))) for i in range(n)
    ]
    payments = [
        pay(
            base + timedelta(draw(st.integers(0, 2000))),
            draw(money_st),
            draw(st.sampled_from(["", *[i.number for i in invoices]])),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    actions = []
    if kind is DebtorKind.CONSUMER and draw(st.booleans()):
        step = Step.FOURTEEN_DAY_LETTER if country == "NL" else Step.BE_FIRST_REMINDER
        actions.append(letter(base + timedelta(draw(st.integers(0, 1800))), step))
    s = Settings(be_consumer_interest_clause=D("8"), be_consumer_lump_sum_clause=True)
    return debtor(country, kind), invoices, payments, actions, s


AS_OF = date(2026, 6, 30)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_allocation_conserves_money(case):
    d, invoices, payments, actions, s = case
    claim = assess(d, invoices, payments, actions, s=s, as_of=AS_OF)
    paid_in = sum((p.amount for p in payments), D(0))
    settled = D(0)
    for c in claim.invoices:
        st_ = c.statement
        assert st_.paid == st_.paid_costs + st_.paid_interest + st_.paid_principal
        for a in st_.allocations:
            assert a.amount == a.to_costs + a.to_interest + a.to_principal + a.surplus
        settled += st_.paid
        # what is owed = principal + interest + costs - paid
        assert c.outstanding == c.principal + c.interest + c.costs - st_.paid
    assert settled + claim.unallocated == paid_in


@settings(max_examples=120, deadline=None)
@given(cases(), money_st, st.integers(0, 2000))
def test_a_payment_never_increases_the_open_amount(case, amount, offset):
    """A payment lowers what is open by what it pays, up to the cents of rounding.

    The project convention (shared/domain/README.md rule 4) rounds the interest accrued up to a
    payment day at that payment and starts the running interest again; round(a) + round(b) may
    exceed round(a + b) by a cent, and with NL capitalisation that cent joins the base once a
    year. So the open amount falls by the amount applied, less at most one cent per rounding
    point after the payment (the payment itself and each later anniversary).
    """
    d, invoices, payments, actions, s = case
    before = assess(d, invoices, payments, actions, s=s, as_of=AS_OF)
    on = date(2020, 1, 1) + timedelta(offset)
    extra = pay(on, amount)
    after = assess(d, invoices, [*payments, extra], actions, s=s, as_of=AS_OF)
    applied = amount - (after.unallocated - before.unallocated)
    rounding_points = 1 + len(invoices) * (1 + max((AS_OF - on).days, 0) // 365)
    assert after.outstanding <= before.outstanding - applied + D("0.01") * rounding_points
    assert after.outstanding <= before.outstanding + D("0.01") * rounding_points


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 2400))
def test_owed_on_is_the_outstanding_of_the_claim_on_that_day(case, offset):
    """The bank import splits a payment with ``owed_on``: the same amounts as the claim's
    ``outstanding`` on that day, digit for digit (issue 17 made it a lighter run)."""
    d, invoices, payments, actions, s = case
    day = date(2020, 1, 1) + timedelta(offset)
    claim = assess(d, invoices, payments, actions, s=s, as_of=day)
    owed = owed_on(d, invoices, list(payments), list(actions), SHOP, s, RATES, day)
    expected = {c.invoice.number: c.outstanding for c in claim.invoices}
    assert owed == expected
    assert [str(v) for v in owed.values()] == [str(v) for v in expected.values()]
    # with some invoices asked for (and a number the customer does not owe on): only those
    wanted = {n for k, n in enumerate(expected) if k % 2 == offset % 2} | {"F-GEEN"}
    some = owed_on(d, invoices, list(payments), list(actions), SHOP, s, RATES, day, wanted)
    assert some == {n: v for n, v in expected.items() if n in wanted}


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 2400))
def test_open_amounts_are_those_of_the_claim(case, offset):
    """The bank import matches a large statement against ``open_amounts``: the outstanding,
    open principal and open costs of the claim's statements, digit for digit (issue 17)."""
    d, invoices, payments, actions, s = case
    day = date(2020, 1, 1) + timedelta(offset)
    claim = assess(d, invoices, payments, actions, s=s, as_of=day)
    got = open_amounts(d, invoices, list(payments), list(actions), SHOP, s, RATES, day)
    expected = [
        (c.invoice, c.outstanding, c.statement.principal_open, c.statement.costs_open)
        for c in claim.invoices
        if c.outstanding > 0
    ]
    assert got == expected
    assert [str(v) for a in got for v in a[1:]] == [str(v) for e in expected for v in e[1:]]


# --- review findings: paying what a letter asked, and letters covering several invoices ---


def test_nl_consumer_paying_the_14_day_letter_amount_within_the_term_owes_no_costs():
    from debiteuren.core.ladder import Stage, plan_debtor

    d = debtor()
    invoices = [inv("F1", "89.00", date(2026, 10, 1))]
    # the letter of 30-10 claims 89.29 (principal + interest to that day); received 31-10
    letter_ = Action(
        on=date(2026, 10, 30),
        debtor="K1",
        step=Step.FOURTEEN_DAY_LETTER,
        invoices=("F1",),
        channel=Channel.POST,
        amount_claimed=D("89.29"),
    )
    pays = [pay(date(2026, 11, 5), "89.29", "F1")]
    claim = assess(d, invoices, pays, [letter_], as_of=date(2026, 11, 20))
    c = claim.claim_for("F1")
    assert c.costs == 0  # not "vruchteloos aangemaand"
    assert c.outstanding < D("1.00")  # a few cents of interest after the letter date
    stages = plan_debtor(claim, [letter_], [], pays, Settings(), date(2026, 11, 20))
    assert stages["F1"].stage is Stage.PAID and stages["F1"].next_step is None
    # paying less than the letter asked: the costs are due on the unpaid principal
    short = assess(
        d, invoices, [pay(date(2026, 11, 5), "50.00", "F1")], [letter_], as_of=date(2026, 11, 20)
    )
    assert short.claim_for("F1").costs == D("40.00")


def test_be_consumer_paying_the_first_reminder_within_its_term_owes_no_lump_sum_or_interest():
    s = Settings(be_consumer_interest_clause=D("10"), be_consumer_lump_sum_clause=True)
    d = debtor("BE")
    invoices = [inv("F1", "95.00", date(2026, 7, 20))]
    reminder = Action(
        on=date(2026, 10, 15),
        debtor="K1",
        step=Step.BE_FIRST_REMINDER,
        invoices=("F1",),
        channel=Channel.EMAIL,
        amount_claimed=D("95.00"),
    )
    claim = assess(
        d,
        invoices,
        [pay(date(2026, 10, 20), "95.00", "F1")],
        [reminder],
        s=s,
        creditor=Creditor(name="KMO", is_sme=True),
        as_of=date(2026, 11, 5),
    )
    c = claim.claim_for("F1")
    assert (c.costs, c.interest, c.outstanding) == (0, 0, 0)


def test_a_payment_with_a_letters_reference_goes_to_that_letters_invoices():
    d = debtor(kind=DebtorKind.BUSINESS)
    invoices = [
        inv("OLD", "300.00", date(2026, 1, 31)),
        inv("A", "100.00", date(2026, 2, 28)),
        inv("B", "200.00", date(2026, 3, 31)),
    ]
    reminder = letter(date(2026, 4, 10), Step.REMINDER, "A", "B", channel=Channel.EMAIL)
    before = assess(d, invoices, [], [reminder], as_of=date(2026, 4, 10))
    letter_total = before.claim_for("A").outstanding + before.claim_for("B").outstanding
    # the letter's reference is that of its oldest invoice, A
    after = assess(
        d,
        invoices,
        [pay(date(2026, 4, 10), str(letter_total), "A")],
        [reminder],
        as_of=date(2026, 4, 10),
    )
    assert after.claim_for("A").outstanding == 0 and after.claim_for("B").outstanding == 0
    assert after.claim_for("OLD").paid == 0  # not part of the letter: untouched


def test_a_payment_naming_a_newer_invoice_of_a_letter_pays_that_invoice():
    """Found in session 8: a payment with B's own reference (not the letter's, which is A's)
    went to A first and left B open."""
    d = debtor(kind=DebtorKind.BUSINESS)
    invoices = [inv("A", "100.00", date(2026, 2, 28)), inv("B", "200.00", date(2026, 3, 31))]
    reminder = letter(date(2026, 4, 10), Step.REMINDER, "A", "B", channel=Channel.EMAIL)
    before = assess(d, invoices, [], [reminder], as_of=date(2026, 4, 10))
    owed = before.claim_for("B").outstanding
    after = assess(
        d, invoices, [pay(date(2026, 4, 10), str(owed), "B")], [reminder], as_of=date(2026, 4, 10)
    )
    assert after.claim_for("B").outstanding == 0 and after.claim_for("B").paid == owed
    assert after.claim_for("A").paid == 0
    assert after.claim_for("A").outstanding == before.claim_for("A").outstanding


def test_a_credit_note_that_names_its_invoice_corrects_it_from_the_start():
    d = debtor(kind=DebtorKind.BUSINESS)
    credit = credit_note("CN1", date(2026, 10, 12), "-121.00", credits="F1")
    other = inv("OLD", "300.00", date(2026, 1, 1))
    claim = assess(
        d, [other, inv("F1", "605.00", date(2026, 3, 4)), credit], as_of=date(2026, 10, 15)
    )
    f1 = claim.claim_for("F1")
    assert f1.invoice.amount == D("484.00")  # 605 - 121, from the start
    assert f1.paid == 0  # a correction, not a payment to costs and interest
    assert claim.claim_for("OLD").paid == 0  # an unlinked credit would have gone here
    plain = assess(d, [other, inv("F1", "484.00", date(2026, 3, 4))], as_of=date(2026, 10, 15))
    assert f1.outstanding == plain.claim_for("F1").outstanding


def _credit_case(setting: str):
    credit = credit_note("C1", date(2025, 3, 2), "-500.00", credits="F1")
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "2000.00", date(2025, 1, 31)), credit],
        s=Settings(credit_note_from=setting),
        as_of=date(2025, 4, 30),
    )
    return claim.claim_for("F1")


def test_a_credit_note_naming_its_invoice_corrects_it_from_the_start_by_default():
    # 1,500.00 from 01-02-2025: 89 days at 11.15 % = 40.781507 -> 40.78; € 40 (6:96 lid 4 BW)
    c = _credit_case("factuur")
    assert (c.invoice.amount, c.interest, c.costs, c.outstanding) == (
        D("1500.00"),
        D("40.78"),
        D("40.00"),
        D("1580.78"),
    )


def test_the_other_reading_corrects_the_invoice_from_the_credit_notes_date():
    # 2,000.00 for 01-02 .. 01-03 (29 days) = 17.717808, then 1,500.00 for 02-03 .. 30-04
    # (60 days) = 27.493151; together 45.210959 -> 45.21
    c = _credit_case("creditnota")
    assert (c.invoice.amount, c.interest, c.costs, c.outstanding) == (
        D("1500.00"),
        D("45.21"),
        D("40.00"),
        D("1585.21"),
    )
    assert [(p.start, p.end, p.base) for p in c.statement.periods] == [
        (date(2025, 2, 1), date(2025, 3, 1), D("2000.00")),
        (date(2025, 3, 2), date(2025, 4, 30), D("1500.00")),
    ]
    # the invoice amount less the open principal is what was paid on it: nothing
    assert c.invoice.amount - c.principal_open == c.statement.paid_principal == 0


def test_belgian_limitation_is_interrupted_only_by_a_lawyers_or_bailiffs_notice():
    invoice = inv("F1", "1000.00", date(2020, 1, 31))
    b2b = debtor("BE", DebtorKind.BUSINESS)
    as_of = date(2030, 1, 15)
    plain = assess(b2b, [invoice], as_of=as_of).claim_for("F1")
    assert plain.limitation == date(2030, 1, 31)  # 10 years (art. 2262bis old BW)
    own = letter(date(2029, 12, 1), Step.NOTICE_OF_DEFAULT, "F1")
    assert assess(b2b, [invoice], actions=[own], as_of=as_of).claim_for("F1").limitation == (
        date(2030, 1, 31)
    )
    bailiff = letter(date(2029, 12, 1), Step.BE_FORMAL_NOTICE, "F1")
    claim = assess(b2b, [invoice], actions=[bailiff], as_of=as_of).claim_for("F1")
    assert claim.limitation == date(2030, 12, 1)  # at most one more year (art. 2244 §2)
    # older workbooks: an overdracht whose note starts with "2244" still counts
    legacy = Action(
        on=date(2029, 12, 1), debtor="K1", step=Step.HANDOVER, invoices=("F1",), note="2244 §2"
    )
    assert assess(b2b, [invoice], actions=[legacy], as_of=as_of).claim_for("F1").limitation == (
        date(2030, 12, 1)
    )


def test_nl_costs_name_the_14_day_letter_and_the_term_that_ran():
    # TV-08: the 14-dagenbrief sent Mon 3-02-2025 is received Tue 4-02-2025; the term runs
    # 5-02 to 18-02-2025 and the €150.00 is due from 19-02-2025 (nl.md §4.3, TV-08, TV-17).
    claim = assess(
        debtor(),
        [inv("F1", "1000.00", date(2025, 1, 31))],
        actions=[letter(date(2025, 2, 3), Step.FOURTEEN_DAY_LETTER, "F1")],
        as_of=date(2025, 3, 31),
    )
    (charge,) = claim.claim_for("F1").statement.charges
    assert (charge.on, charge.amount) == (date(2025, 2, 19), D("150.00"))
    assert charge.description == (
        "buitengerechtelijke incassokosten volgens de staffel van het Besluit vergoeding voor "
        "buitengerechtelijke incassokosten (art. 6:96 BW), na de 14-dagenbrief van 03-02-2025 "
        "(termijn 05-02-2025 tot en met 18-02-2025)"
    )


def test_be_consumer_lump_sum_names_the_first_reminder_and_the_term_that_ran():
    # be.md §3.3: a first reminder posted Fri 3-10-2025: the term starts on the third working
    # day after sending, Wed 8-10, and runs to Tue 21-10-2025; charges from Wed 22-10-2025.
    # Balance 400.00: 30 + 10 % x 250 = 55.00 (be.md §3.5). The specification said only
    # "forfaitaire schadevergoeding (art. XIX.4 WER)", with no letter and no term.
    claim = assess(
        debtor("BE"),
        [inv("F", "400.00", date(2025, 9, 30))],
        actions=[letter(date(2025, 10, 3), Step.BE_FIRST_REMINDER, "F", channel=Channel.POST)],
        s=BE_CLAUSES,
        as_of=date(2025, 12, 31),
    )
    (charge,) = claim.claim_for("F").statement.charges
    assert (charge.on, charge.amount) == (date(2025, 10, 22), D("55.00"))
    assert charge.description == (
        "forfaitaire schadevergoeding (art. XIX.4 WER), na de eerste herinnering van 03-10-2025 "
        "(termijn 08-10-2025 tot en met 21-10-2025)"
    )


# --- refunds to the customer (Betalingen: Status Terugbetaling, a negative amount) -----------


def test_a_refund_of_the_credit_leaves_no_credit():
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "100.00", date(2025, 1, 31))],
        [pay(date(2025, 1, 20), "130.00"), pay(date(2025, 2, 3), "-30.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.outstanding == 0 and claim.unallocated == 0
    assert [a.amount for a in claim.claim_for("F1").statement.allocations] == [D("130.00")]


def test_a_partial_refund_keeps_the_rest_of_the_credit():
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "100.00", date(2025, 1, 31))],
        [pay(date(2025, 1, 20), "130.00"), pay(date(2025, 2, 3), "-20.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.outstanding == 0 and claim.unallocated == D("10.00")


def test_a_refunded_credit_no_longer_pays_a_later_invoice():
    # Before, a refund could not be recorded: the € 30.00 refunded on 3 February still paid
    # the invoice of 1 March, which then got no reminder.
    invoices = [
        inv("F1", "100.00", date(2025, 1, 31)),
        inv("F2", "80.00", date(2025, 3, 31), invoice_date=date(2025, 3, 1)),
    ]
    paid = [pay(date(2025, 1, 20), "130.00")]
    without = assess(debtor(kind=DebtorKind.BUSINESS), invoices, paid, as_of=date(2025, 3, 15))
    assert without.claim_for("F2").outstanding == D("50.00") and without.unallocated == 0

    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        invoices,
        [*paid, pay(date(2025, 2, 3), "-30.00")],
        as_of=date(2025, 3, 15),
    )
    f2 = claim.claim_for("F2")
    assert f2.outstanding == D("80.00") and claim.unallocated == 0
    assert claim.claim_for("F1").outstanding == 0
    assert [(a.on, a.amount, a.to_principal) for a in f2.statement.allocations] == [
        (date(2025, 1, 20), D("30.00"), D("30.00")),
        (date(2025, 2, 3), D("-30.00"), D("-30.00")),
    ]


def test_principal_taken_back_bears_interest_from_the_day_after_the_refund():
    # F1 paid in full on its due date, then € 500.00 refunded on 31 March 2025 (a refund the
    # customer was not owed): € 500.00 open again from 1 April, B2B interest at 11.15 % (NL
    # handelsrente, 1 January - 30 June 2025) for 30 days: 500 x 11.15 % x 30 / 365 = 4.58.
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "1000.00", date(2025, 1, 31))],
        [pay(date(2025, 1, 31), "1000.00"), pay(date(2025, 3, 31), "-500.00")],
        as_of=date(2025, 4, 30),
    )
    c = claim.claim_for("F1")
    assert c.principal_open == D("500.00")
    assert c.interest == D("4.58")
    assert claim.unallocated == 0


def test_a_refund_after_a_payment_of_the_same_day_takes_its_credit():
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "100.00", date(2025, 2, 28))],
        [pay(date(2025, 2, 3), "-25.00"), pay(date(2025, 2, 3), "125.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.outstanding == 0 and claim.unallocated == 0


def test_a_refund_without_any_invoice_is_a_negative_credit():
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [],
        [pay(date(2025, 1, 20), "40.00"), pay(date(2025, 2, 3), "-50.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.unallocated == D("-10.00")


def test_a_refund_before_any_principal_was_paid_is_owed_on_an_invoice():
    # The € 130.00 that paid F1 was taken back by a storno after € 30.00 of it had been
    # refunded: the customer owes € 100.00 + € 30.00. Before, the € 30.00 became a negative
    # credit that no list, letter or hand-over showed (and the export called it "tegoed").
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [inv("F1", "100.00", date(2025, 1, 31)), inv("F2", "50.00", date(2025, 3, 31))],
        [pay(date(2025, 2, 3), "-30.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.unallocated == 0
    f2 = claim.claim_for("F2")  # the invoice a payment pays last
    assert f2.principal_open == D("80.00") and f2.statement.paid == D("-30.00")
    assert claim.principal_open == D("180.00")


def test_a_refund_dated_before_the_payment_it_refunds_leaves_nothing_open():
    claim = assess(
        debtor(kind=DebtorKind.CONSUMER),
        [inv("F1", "100.00", date(2025, 2, 28))],
        [pay(date(2025, 2, 3), "130.00"), pay(date(2025, 2, 2), "-30.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.outstanding == 0 and claim.unallocated == 0


def test_a_refund_in_the_term_does_not_undo_that_the_letter_was_paid():
    # A consumer owing € 300.00 of € 500.00 after the 14-dagenbrief of 10 March 2025 (received
    # 11 March) pays the € 300.00 it asks on 15 March; on 20 March the business refunds
    # € 200.00. The letter was paid in its term: no costs (art. 6:96 lid 6 BW), the € 200.00
    # taken back is owed again from 21 March. Before, the refund counted against the payment
    # (€ 100.00 "paid" in the term) and € 40.00 of costs were charged on 26 March.
    notice = letter(date(2025, 3, 10), Step.FOURTEEN_DAY_LETTER, "F1", received=date(2025, 3, 11))
    claim = assess(
        debtor(),
        [inv("F1", "500.00", date(2025, 2, 28))],
        [
            pay(date(2025, 3, 5), "200.00"),
            pay(date(2025, 3, 15), "300.00"),
            pay(date(2025, 3, 20), "-200.00"),
        ],
        [replace(notice, amount_claimed=D("300.00"))],
        as_of=date(2025, 4, 30),
    )
    c = claim.claim_for("F1")
    assert c.costs == 0 and c.statement.charges == ()
    assert c.principal_open == D("200.90")  # € 0.90 of the payment of 15 March was interest


@settings(max_examples=120, deadline=None)
@given(cases(), money_st, st.integers(0, 2000))
def test_a_refund_conserves_money(case, amount, offset):
    d, invoices, payments, actions, s = case
    refund = pay(date(2020, 1, 1) + timedelta(offset), -amount)
    claim = assess(d, invoices, [*payments, refund], actions, s=s, as_of=AS_OF)
    paid_in = sum((p.amount for p in payments), D(0)) - (amount if refund.on <= AS_OF else 0)
    settled = D(0)
    for c in claim.invoices:
        st_ = c.statement
        assert st_.paid == st_.paid_costs + st_.paid_interest + st_.paid_principal
        for a in st_.allocations:
            assert a.amount == a.to_costs + a.to_interest + a.to_principal + a.surplus
        assert c.outstanding == c.principal + c.interest + c.costs - st_.paid
        settled += st_.paid
    assert settled + claim.unallocated == paid_in


def test_a_refunded_late_payment_reopens_its_own_costs_and_interest():
    # F1 (€ 1.000,00, due 31-03-2024) paid late on 30-05-2024 with € 1.100,00: € 40,00 costs,
    # the interest, the principal, the rest a credit. All of it refunded on 10-06-2024: the
    # credit goes first, then that payment as it was applied; F0, paid on time, stays paid.
    # Before, only principal was taken back and the rest became principal on F0.
    invoices = [
        inv("F0", "500.00", date(2024, 1, 31)),
        inv("F1", "1000.00", date(2024, 3, 31)),
    ]
    paid = [pay(date(2024, 1, 20), "500.00", "F0"), pay(date(2024, 5, 30), "1100.00", "F1")]
    before = assess(debtor(kind=DebtorKind.BUSINESS), invoices, paid, as_of=date(2024, 6, 9))
    late = before.claim_for("F1").statement.allocations[0]
    assert (late.to_costs, late.to_principal) == (D("40.00"), D("1000.00"))
    assert late.surplus == before.unallocated == D("1100.00") - 1040 - late.to_interest

    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        invoices,
        [*paid, pay(date(2024, 6, 10), "-1100.00")],
        as_of=date(2024, 6, 10),
    )
    f0, f1 = claim.claim_for("F0"), claim.claim_for("F1")
    assert f0.outstanding == 0 and [a.amount for a in f0.statement.allocations] == [D("500.00")]
    back = f1.statement.allocations[-1]
    assert (back.to_principal, back.to_interest, back.to_costs) == (
        D("-1000.00"),
        -late.to_interest,
        D("-40.00"),
    )
    assert f1.statement.paid == 0 and claim.unallocated == 0
    assert f1.principal_open == D("1000.00") and f1.statement.costs_open == D("40.00")


def test_a_refund_never_reopens_what_a_credit_note_paid():
    # CN1 names no invoice: it pays F2 like a payment would. A refund of € 100,00 then gives back
    # money F1 was paid with; before, it reopened F2, which the business itself had credited.
    credit = credit_note("CN1", date(2025, 2, 5), "-100.00")
    claim = assess(
        debtor(kind=DebtorKind.BUSINESS),
        [
            inv("F1", "100.00", date(2025, 1, 31)),
            inv("F2", "100.00", date(2025, 2, 28)),
            credit,
        ],
        [pay(date(2025, 1, 20), "100.00", "F1"), pay(date(2025, 3, 1), "-100.00")],
        as_of=date(2025, 3, 1),
    )
    assert claim.claim_for("F2").outstanding == 0
    assert claim.claim_for("F1").principal_open == D("100.00")
    assert claim.unallocated == 0


@settings(max_examples=60, deadline=None)
@given(
    named=st.one_of(
        st.sampled_from(["F1", "f1", "F 1", "OLD", "CN1", "F2", ""]),
        st.text(alphabet="FOLD1f ", max_size=4),
    )
)
def test_a_credit_note_lowers_an_invoice_exactly_when_it_is_not_unlinked(named):
    """unlinked_credit_notes (what the book warns about) and the claim agree: a credit note
    lowers an invoice of its customer if and only if it is not listed."""
    d = debtor(kind=DebtorKind.BUSINESS)
    invoices = [inv("OLD", "300.00", date(2026, 1, 1)), inv("F1", "605.00", date(2026, 3, 4))]
    credit = credit_note("CN1", date(2026, 10, 12), "-121.00", credits=named.strip())
    claim = assess(d, [*invoices, credit], as_of=date(2026, 10, 15))
    lowered = [i.number for i in invoices if claim.claim_for(i.number).invoice.amount < i.amount]
    listed = unlinked_credit_notes([*invoices, credit])
    assert (lowered == [named.strip()]) == (bool(named.strip()) and not listed)
    assert len(lowered) <= 1 and (not lowered or not listed)
