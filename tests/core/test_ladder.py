"""The ladder: every path in NL and BE, consumer and business, and what stops it."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from debiteuren.core.claim import assess_debtor
from debiteuren.core.ladder import Stage, ladder_for, letters_due, plan_debtor, plan_status
from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    LetterState,
    Payment,
    PlanInstalment,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin

S = Settings()
DUE = date(2025, 3, 31)


def debtor(country, kind, phone="0612345678"):
    return Debtor(number="K1", name="Klant", country=Country(country), kind=kind, phone=phone)


def inv(number="F1", amount="500.00", due=DUE, **kw):
    return Invoice(
        number=number,
        debtor="K1",
        invoice_date=due - timedelta(30),
        due_date=due,
        amount=D(amount),
        **kw,
    )


def act(on, step, *numbers, channel=Channel.POST, **kw):
    return Action(on=on, debtor="K1", step=step, invoices=numbers, channel=channel, **kw)


def stages(d, invoices, actions=(), payments=(), plan=(), as_of=date(2025, 4, 10)):
    claim = assess_debtor(
        d, invoices, list(payments), list(actions), Creditor(name="X"), S, builtin(), as_of
    )
    return plan_debtor(claim, list(actions), list(plan), list(payments), S, as_of)


@pytest.mark.parametrize(
    ("country", "kind", "steps"),
    [
        ("NL", DebtorKind.CONSUMER, ["herinnering", "telefoon", "14-dagenbrief", "overdracht"]),
        ("NL", DebtorKind.BUSINESS, ["herinnering", "telefoon", "ingebrekestelling", "overdracht"]),
        (
            "BE",
            DebtorKind.CONSUMER,
            ["eerste herinnering", "telefoon", "ingebrekestelling", "overdracht"],
        ),
        ("BE", DebtorKind.BUSINESS, ["herinnering", "telefoon", "ingebrekestelling", "overdracht"]),
    ],
)
def test_ladders(country, kind, steps):
    assert [s.value for s in ladder_for(debtor(country, kind))] == steps
    assert Step.CALL not in ladder_for(debtor(country, kind, phone=""))


def test_nl_consumer_full_path():
    d = debtor("NL", DebtorKind.CONSUMER)
    # not yet due
    st = stages(d, [inv()], as_of=date(2025, 3, 20))["F1"]
    assert (st.stage, st.next_step, st.next_on) == (Stage.NOT_DUE, Step.REMINDER, date(2025, 4, 7))
    # overdue, reminder due from due + 7
    st = stages(d, [inv()], as_of=date(2025, 4, 10))["F1"]
    assert (st.stage, st.next_step, st.next_on) == (Stage.OVERDUE, Step.REMINDER, date(2025, 4, 7))
    reminder = act(date(2025, 4, 8), Step.REMINDER, "F1", deadline=date(2025, 4, 22))
    st = stages(d, [inv()], [reminder], as_of=date(2025, 4, 20))["F1"]
    assert (st.stage, st.next_step, st.next_on) == (Stage.REMINDED, Step.CALL, date(2025, 4, 23))
    call = act(date(2025, 4, 23), Step.CALL, "F1", channel=Channel.PHONE)
    st = stages(d, [inv()], [reminder, call], as_of=date(2025, 5, 1))["F1"]
    assert (st.stage, st.next_step, st.next_on) == (
        Stage.CALLED,
        Step.FOURTEEN_DAY_LETTER,
        date(2025, 5, 7),
    )
    letter = act(date(2025, 5, 7), Step.FOURTEEN_DAY_LETTER, "F1")  # Wednesday
    st = stages(d, [inv()], [reminder, call, letter], as_of=date(2025, 5, 10))["F1"]
    # received Thursday 8-05, term to 22-05: hand-over from 23-05
    assert (st.stage, st.next_step, st.next_on) == (
        Stage.DEMANDED,
        Step.HANDOVER,
        date(2025, 5, 23),
    )
    handover = act(date(2025, 5, 24), Step.HANDOVER, "F1")
    st = stages(d, [inv()], [reminder, call, letter, handover], as_of=date(2025, 6, 1))["F1"]
    assert (st.stage, st.next_step) == (Stage.HANDED_OVER, None)


def test_be_consumer_demand_waits_for_the_first_reminder_term():
    d = debtor("BE", DebtorKind.CONSUMER, phone="")
    first = act(date(2025, 10, 3), Step.BE_FIRST_REMINDER, "F1")  # post: charges from 22-10
    st = stages(d, [inv(due=date(2025, 9, 30))], [first], as_of=date(2025, 10, 20))["F1"]
    assert (st.stage, st.next_step, st.next_on) == (
        Stage.REMINDED,
        Step.NOTICE_OF_DEFAULT,
        date(2025, 10, 22),
    )


@pytest.mark.parametrize("country", ["NL", "BE"])
def test_business_demand_after_reminder(country):
    d = debtor(country, DebtorKind.BUSINESS, phone="")
    reminder = act(date(2025, 4, 8), Step.REMINDER, "F1")
    st = stages(d, [inv()], [reminder], as_of=date(2025, 4, 30))["F1"]
    assert (st.next_step, st.next_on) == (Step.NOTICE_OF_DEFAULT, date(2025, 4, 22))


def test_paid_disputed_paused_and_handed_over_get_no_letter():
    d = debtor("NL", DebtorKind.BUSINESS)
    as_of = date(2025, 5, 1)
    paid = stages(
        d,
        [inv()],
        payments=[Payment(on=date(2025, 3, 30), amount=D("500.00"), debtor="K1")],
        as_of=as_of,
    )["F1"]
    assert (paid.stage, paid.next_step) == (Stage.PAID, None)
    disputed = stages(d, [inv(disputed=True)], as_of=as_of)["F1"]
    assert (disputed.stage, disputed.next_step) == (Stage.DISPUTED, None)
    # the Betwist column decides; a dispute in Acties is history (set Betwist back to Nee when
    # it is resolved, and the ladder resumes)
    history = [act(date(2025, 4, 2), Step.DISPUTE, "F1")]
    logged = stages(d, [inv(disputed=True)], history, as_of=as_of)["F1"]
    assert logged.stage is Stage.DISPUTED
    lifted = stages(d, [inv(disputed=False)], history, as_of=as_of)["F1"]
    assert lifted.stage is Stage.OVERDUE and lifted.next_step is Step.REMINDER
    paused = stages(d, [inv(paused_until=date(2025, 5, 15))], as_of=as_of)["F1"]
    assert (paused.stage, paused.next_step, paused.next_on) == (
        Stage.PAUSED,
        None,
        date(2025, 5, 16),
    )
    resumed = stages(d, [inv(paused_until=date(2025, 4, 15))], as_of=as_of)["F1"]
    assert resumed.next_step is Step.REMINDER
    handed = stages(replace(d, handed_over=True), [inv()], as_of=as_of)["F1"]
    assert handed.stage is Stage.HANDED_OVER
    for st in (paid, disputed, logged, paused, handed):
        assert letters_due({"F1": st}, as_of) == {}


def test_promise_pauses_and_a_broken_promise_resumes():
    d = debtor("NL", DebtorKind.BUSINESS)
    reminder = act(date(2025, 4, 8), Step.REMINDER, "F1")
    promise = act(
        date(2025, 4, 20), Step.PROMISE, "F1", channel=Channel.PHONE, promised_on=date(2025, 5, 5)
    )
    kept = stages(d, [inv()], [reminder, promise], as_of=date(2025, 5, 1))["F1"]
    assert (kept.stage, kept.next_step, kept.next_on) == (Stage.PROMISED, None, date(2025, 5, 6))
    broken = stages(d, [inv()], [reminder, promise], as_of=date(2025, 5, 8))["F1"]
    assert broken.next_step is Step.CALL and broken.next_on == date(2025, 5, 6)
    assert "niet nagekomen" in broken.reason


def test_a_plan_covers_its_own_invoices_and_ends_when_paid():
    d = debtor("NL", DebtorKind.CONSUMER)
    plan = [
        PlanInstalment(debtor="K1", number=n, due_date=date(2025, 4 + n, 1), amount=D(250))
        for n in (1, 2)
    ]
    agreed = act(date(2025, 4, 20), Step.PLAN, "F1")
    pays = [Payment(on=date(2025, 5, 1), amount=D(250), debtor="K1", invoice="F1")]
    later = inv("F2", due=date(2025, 5, 10))
    sts = stages(d, [inv(), later], [agreed], payments=pays, plan=plan, as_of=date(2025, 5, 25))
    assert sts["F1"].stage is Stage.PLAN
    assert sts["F2"].stage is not Stage.PLAN and sts["F2"].next_step is Step.REMINDER


def test_payment_plan_pauses_while_kept_and_resumes_when_missed():
    d = debtor("NL", DebtorKind.CONSUMER)
    plan = [
        PlanInstalment(debtor="K1", number=n, due_date=date(2025, 4 + n, 1), amount=D(100))
        for n in range(1, 6)
    ]
    pays = [
        Payment(on=date(2025, 5, 1), amount=D(100), debtor="K1"),
        Payment(on=date(2025, 6, 1), amount=D(100), debtor="K1"),
    ]
    kept = stages(d, [inv()], payments=pays, plan=plan, as_of=date(2025, 6, 15))["F1"]
    assert (kept.stage, kept.next_step) == (Stage.PLAN, None)
    missed = stages(d, [inv()], payments=pays, plan=plan, as_of=date(2025, 7, 15))["F1"]
    assert missed.next_step is Step.REMINDER
    assert "termijn 3" in missed.reason
    assert plan_status(plan, pays, date(2025, 7, 2))[0] is False


def test_partial_payment_keeps_the_invoice_on_the_ladder():
    d = debtor("BE", DebtorKind.BUSINESS, phone="")
    pays = [Payment(on=date(2025, 4, 2), amount=D("200.00"), debtor="K1")]
    st = stages(d, [inv()], payments=pays, as_of=date(2025, 4, 10))["F1"]
    assert st.stage is Stage.OVERDUE and st.next_step is Step.REMINDER


def test_one_letter_per_debtor_per_day_the_milder_step_waits_a_day():
    d = debtor("NL", DebtorKind.BUSINESS, phone="")
    invoices = [inv("A"), inv("B"), inv("C", due=date(2025, 4, 30))]
    reminder = act(date(2025, 4, 8), Step.REMINDER, "A")
    sts = stages(d, invoices, [reminder], as_of=date(2025, 4, 25))
    # A is at the notice of default, B at the reminder: never two letters with two totals on
    # one day; the notice goes, the reminder follows the next day
    assert letters_due(sts, date(2025, 4, 25)) == {Step.NOTICE_OF_DEFAULT: ["A"]}
    assert sts["B"].next_step is Step.REMINDER and sts["B"].next_on == date(2025, 4, 26)
    assert "ingebrekestelling" in sts["B"].reason
    # the next day, with the notice made (a draft), nothing more goes to this debtor that day
    notice = act(date(2025, 4, 25), Step.NOTICE_OF_DEFAULT, "A", state=LetterState.DRAFT)
    same_day = stages(d, invoices, [reminder, notice], as_of=date(2025, 4, 25))
    assert letters_due(same_day, date(2025, 4, 25)) == {}
    # while the notice waits to be sent, no other letter goes to this debtor
    waiting = stages(d, invoices, [reminder, notice], as_of=date(2025, 4, 26))
    assert letters_due(waiting, date(2025, 4, 26)) == {}
    assert waiting["B"].next_on is None and "nog niet verzonden" in waiting["B"].reason
    # sent on the 25th: the reminder follows on the 26th
    sent = replace(notice, state=LetterState.SENT, sent_on=date(2025, 4, 25))
    next_day = stages(d, invoices, [reminder, sent], as_of=date(2025, 4, 26))
    assert letters_due(next_day, date(2025, 4, 26)) == {Step.REMINDER: ["B"]}


def test_a_withheld_letter_does_not_hold_the_milder_one_back():
    d = debtor("NL", DebtorKind.BUSINESS, phone="")
    invoices = [inv("A"), inv("B"), inv("C", due=date(2025, 4, 30))]
    reminder = act(date(2025, 4, 8), Step.REMINDER, "A")
    claim = assess_debtor(
        d, invoices, [], [reminder], Creditor(name="X"), S, builtin(), date(2025, 4, 25)
    )
    # the notice of default for A is held today (it would state an unconfirmed rate): the
    # reminder for B goes today instead of waiting behind a letter that is not made
    sts = plan_debtor(
        claim, [reminder], [], [], S, date(2025, 4, 25), withheld={Step.NOTICE_OF_DEFAULT}
    )
    assert letters_due(sts, date(2025, 4, 25)) == {
        Step.NOTICE_OF_DEFAULT: ["A"],
        Step.REMINDER: ["B"],
    }
    assert sts["B"].next_on <= date(2025, 4, 25) and "ingebrekestelling" not in sts["B"].reason
    # with nothing else due, withholding changes nothing
    only_a = assess_debtor(
        d, invoices[:1], [], [reminder], Creditor(name="X"), S, builtin(), date(2025, 4, 25)
    )
    day = date(2025, 4, 25)
    assert plan_debtor(only_a, [reminder], [], [], S, day, withheld={Step.NOTICE_OF_DEFAULT}) == (
        plan_debtor(only_a, [reminder], [], [], S, day)
    )


def _paid_what_the_reminder_asked(short: str = "0.00"):
    """Two invoices of a Dutch business, a reminder of 7-12-2026 for both, and a payment of
    what it asked (less ``short``) on the last day of its term; the stages on the next day."""
    d = debtor("NL", DebtorKind.BUSINESS)
    invoices = [
        inv("F1", "2000.00", due=date(2026, 10, 1)),
        inv("F2", "320.00", due=date(2026, 10, 31)),
    ]
    made = date(2026, 12, 7)
    asked = assess_debtor(d, invoices, [], [], Creditor(name="X"), S, builtin(), made).outstanding
    reminder = act(
        made, Step.REMINDER, "F1", "F2", amount_claimed=asked, deadline=date(2026, 12, 21)
    )
    paid = [Payment(on=date(2026, 12, 21), amount=asked - D(short), debtor="K1")]
    return stages(d, invoices, [reminder], paid, as_of=date(2026, 12, 22))


def test_paying_what_the_reminder_asked_in_its_term_leaves_only_the_interest_after_it():
    """A customer who paid on the last day of the term exactly what the reminder asked
    (€ 2.441,55) still owed the interest of those fourteen days (at 10,40 %), and the
    payment went to that interest first (art. 6:44 BW): F2 kept € 9,26 of principal
    open, above 'Restbedrag dat als betaald geldt', and got a call and then an
    ingebrekestelling. The rule for a letter paid in its term ("de rente daarna wordt niet
    gevorderd") asked for no principal open, which that order of payment never leaves
    (newcomer, session 27)."""
    st = _paid_what_the_reminder_asked()
    assert (st["F1"].stage, st["F1"].next_step) == (Stage.PAID, None)
    assert (st["F2"].stage, st["F2"].next_step) == (Stage.PAID, None)
    assert st["F2"].reason == (
        "betaald wat de laatste brief vroeg, binnen de termijn; de rente daarna wordt niet "
        "gevorderd"
    )


def test_paying_less_than_the_reminder_asked_keeps_the_ladder_going():
    st = _paid_what_the_reminder_asked(short="20.00")
    assert st["F2"].stage is not Stage.PAID and st["F2"].next_step is Step.CALL
