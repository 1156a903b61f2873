"""A Dutch consumer whose payment term was not agreed beforehand (the setting "NL consument:
rente pas na 14-dagenbrief"): the first written demand is the notice of default, interest runs
from the end of its term, and only a 14-dagenbrief sent after that makes the costs due
(art. 6:82, 6:96 lid 6 BW; nl.md §1.4 and §4.2 item 2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

from debiteuren.core.claim import assess_debtor
from debiteuren.core.handover import legal_gaps
from debiteuren.core.ladder import plan_debtor
from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin

CONSUMER = Debtor(number="K1", name="Petra", country=Country.NL, kind=DebtorKind.CONSUMER)
INVOICE = Invoice(
    number="F1",
    debtor="K1",
    invoice_date=date(2025, 1, 1),
    due_date=date(2025, 1, 31),
    amount=D("1000.00"),
)
NOT_AGREED = Settings(nl_consumer_interest_from_letter=True)
AS_OF = date(2025, 3, 31)


def sent(step, on, deadline=None):
    return Action(
        on=on, debtor="K1", step=step, invoices=("F1",), channel=Channel.EMAIL, deadline=deadline
    )


def assessed(actions, settings=NOT_AGREED, as_of=AS_OF):
    return assess_debtor(
        CONSUMER, [INVOICE], [], actions, Creditor(name="X"), settings, builtin(), as_of
    )


def next_step(actions, settings=NOT_AGREED, as_of=AS_OF):
    stage = plan_debtor(assessed(actions, settings, as_of), actions, [], [], settings, as_of)
    return stage["F1"].next_step, stage["F1"].next_on


REMINDER = sent(Step.REMINDER, date(2025, 2, 3), deadline=date(2025, 2, 17))
LETTER = sent(Step.FOURTEEN_DAY_LETTER, date(2025, 2, 24))


def test_the_reminder_puts_in_default_and_the_later_letter_makes_the_costs_due():
    c = assessed([REMINDER, LETTER]).claim_for("F1")
    # the e-mail of Monday 3-02 is received that day; its term and its date end on 17-02
    assert c.interest_start == date(2025, 2, 17)
    # 18-02 to 31-03: 11 + 31 = 42 days at 6 %: 1,000 x 0.06 x 42 / 365 = 6.904… -> 6.90
    assert c.interest == D("6.90")
    # the 14-dagenbrief of 24-02 came after default: its term 25-02 to 10-03, then the scale
    assert (c.notice.sent_on, c.notice.last_day) == (date(2025, 2, 24), date(2025, 3, 10))
    assert c.costs == D("150.00")  # 15 % of 1,000


def test_with_an_agreed_term_the_due_date_puts_in_default_as_before():
    c = assessed([REMINDER, LETTER], Settings()).claim_for("F1")
    # 1-02 to 31-03: 28 + 31 = 59 days: 1,000 x 0.06 x 59 / 365 = 9.698… -> 9.70
    assert (c.interest_start, c.interest, c.costs) == (date(2025, 1, 31), D("9.70"), D("150.00"))


def test_no_interest_before_a_notice_of_default():
    c = assessed([]).claim_for("F1")
    assert (c.interest_start, c.interest, c.costs, c.notice) == (None, 0, 0, None)


def test_a_later_date_in_the_reminder_moves_the_default():
    late = sent(Step.REMINDER, date(2025, 2, 3), deadline=date(2025, 2, 28))
    c = assessed([late, sent(Step.FOURTEEN_DAY_LETTER, date(2025, 3, 3))]).claim_for("F1")
    # interest from 1-03: 31 days: 1,000 x 0.06 x 31 / 365 = 5.095… -> 5.10
    assert (c.interest_start, c.interest) == (date(2025, 2, 28), D("5.10"))
    # a letter sent on the last day of that term is not after default: no costs
    early = sent(Step.FOURTEEN_DAY_LETTER, date(2025, 2, 28))
    assert assessed([late, early]).claim_for("F1").costs == 0


def test_a_first_14_day_letter_is_the_notice_and_a_second_one_makes_the_costs_due():
    first = sent(Step.FOURTEEN_DAY_LETTER, date(2025, 2, 3))
    c = assessed([first]).claim_for("F1")
    assert (c.interest_start, c.notice, c.costs) == (date(2025, 2, 17), None, 0)
    # the ladder asks for a new 14-dagenbrief once the debtor is in default, not a hand-over
    assert next_step([first]) == (Step.FOURTEEN_DAY_LETTER, date(2025, 2, 18))
    second = sent(Step.FOURTEEN_DAY_LETTER, date(2025, 2, 18))
    c = assessed([first, second]).claim_for("F1")
    # term 19-02 to 4-03; the costs from 5-03
    assert (c.notice.sent_on, c.costs) == (date(2025, 2, 18), D("150.00"))
    assert next_step([first, second])[0] is Step.HANDOVER


def test_the_14_day_letter_waits_for_the_end_of_the_reminders_term():
    posted = Action(
        on=date(2025, 2, 3),
        debtor="K1",
        step=Step.REMINDER,
        invoices=("F1",),
        channel=Channel.POST,
        deadline=date(2025, 2, 17),
    )
    # by post, received Tuesday 4-02: 14 days from then end on 18-02, a day after its date
    assert assessed([posted]).claim_for("F1").interest_start == date(2025, 2, 18)
    assert next_step([posted], as_of=date(2025, 2, 10)) == (
        Step.FOURTEEN_DAY_LETTER,
        date(2025, 2, 19),
    )
    # an agreed term: from the day after the date the reminder gave
    assert next_step([posted], Settings(), date(2025, 2, 10)) == (
        Step.FOURTEEN_DAY_LETTER,
        date(2025, 2, 18),
    )


def test_a_14_day_letter_sent_before_the_due_date_is_followed_by_a_new_one():
    early = sent(Step.FOURTEEN_DAY_LETTER, date(2025, 1, 20))
    c = assessed([early], Settings()).claim_for("F1")
    assert (c.notice, c.costs) == (None, 0)
    # its term ended on 3-02: a valid letter from the day after, not a hand-over
    assert next_step([early], Settings()) == (Step.FOURTEEN_DAY_LETTER, date(2025, 2, 4))


def test_without_a_written_notice_the_ladder_asks_for_one_not_for_the_14_day_letter():
    # a reminder by phone, or one sent on the due date, does not put the consumer in default;
    # a 14-dagenbrief then would say "U bent daardoor in verzuim" and announce costs that its
    # term cannot make due: the ladder proposes a written reminder (the notice) first
    by_phone = Action(
        on=date(2025, 2, 3),
        debtor="K1",
        step=Step.REMINDER,
        invoices=("F1",),
        channel=Channel.PHONE,
        deadline=date(2025, 2, 17),
    )
    on_due_date = sent(Step.REMINDER, date(2025, 1, 31), deadline=date(2025, 2, 14))
    for first in (by_phone, on_due_date):
        assert assessed([first]).claim_for("F1").interest_start is None
        assert next_step([first]) == (Step.REMINDER, first.deadline + timedelta(days=1))
        # the new reminder is the notice; the 14-dagenbrief follows its term
        notice = sent(Step.REMINDER, date(2025, 3, 3), deadline=date(2025, 3, 17))
        assert next_step([first, notice], as_of=date(2025, 3, 5)) == (
            Step.FOURTEEN_DAY_LETTER,
            date(2025, 3, 18),
        )
    # with an agreed term the due date put the consumer in default: the 14-dagenbrief, as before
    assert next_step([by_phone], Settings())[0] is Step.FOURTEEN_DAY_LETTER


def test_the_hand_over_says_why_a_14_day_letter_that_was_the_notice_gives_no_costs():
    # the only letter was a 14-dagenbrief: it put the consumer in default, so it cannot make the
    # costs due; the dossier (overdracht --toch) must not say no 14-dagenbrief went out after the
    # due date, it did
    first = sent(Step.FOURTEEN_DAY_LETTER, date(2025, 2, 3))
    claim = assessed([first])
    (gap,) = legal_gaps(CONSUMER, claim.invoices, AS_OF, Creditor(name="X"), NOT_AGREED)
    assert "na de vervaldatum" not in gap.reason
    assert gap.reason == (
        "er is geen 14-dagenbrief verstuurd nadat de klant in verzuim was (de betaaltermijn "
        "was niet vooraf afgesproken: pas na afloop van de termijn van de eerste aanmaning, "
        "art. 6:82 BW); zonder die brief is een consument geen incassokosten verschuldigd "
        "(art. 6:96 lid 6 BW)"
    )
    # an agreed term: the due date put the consumer in default, as before
    (gap,) = legal_gaps(CONSUMER, assessed([], Settings()).invoices, AS_OF, Creditor(name="X"))
    assert gap.reason.startswith("er is geen 14-dagenbrief verstuurd na de vervaldatum")


def test_with_no_days_before_the_reminder_the_notice_is_asked_for_the_day_after_the_due_date():
    # 'Herinnering na (dagen)' 0: a reminder on the due date does not put the consumer in default
    # (he is not late yet), so the ladder asked for a letter that could not be the notice and,
    # after its term, for a second reminder; it asks for the first one the day after
    no_wait = replace(NOT_AGREED, reminder_after_days=0)
    assert next_step([], no_wait, date(2025, 1, 31)) == (Step.REMINDER, date(2025, 2, 1))
    # an agreed term: the reminder on the due date, as before
    assert next_step([], Settings(reminder_after_days=0), date(2025, 1, 31)) == (
        Step.REMINDER,
        date(2025, 1, 31),
    )
