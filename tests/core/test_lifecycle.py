"""Which logged letters count, and from which day (core/rules/lifecycle.py)."""

from __future__ import annotations

import doctest
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from debiteuren.core.claim import assess_debtor
from debiteuren.core.ladder import Stage, handover_readiness, plan_debtor
from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    LetterState,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin
from debiteuren.core.rules import lifecycle
from debiteuren.core.rules.lifecycle import counted_actions, counts_from, letter_days

MADE = date(2026, 10, 15)
LATER = date(2026, 10, 18)


def letter(step=Step.REMINDER, state=None, sent_on=None, **kw):
    return Action(
        on=MADE,
        debtor="K1",
        step=step,
        invoices=("F1",),
        state=state,
        sent_on=sent_on,
        deadline=date(2026, 10, 29),
        **kw,
    )


@pytest.mark.parametrize(
    ("step", "state", "sent_on", "counts"),
    [
        (Step.REMINDER, None, None, MADE),  # a row the user typed: what happened
        (Step.REMINDER, LetterState.SENT, None, MADE),
        (Step.REMINDER, LetterState.SENT, LATER, LATER),
        (Step.REMINDER, LetterState.DRAFT, None, None),  # made, not sent
        (Step.REMINDER, LetterState.DRAFT, LATER, LATER),  # the user's date says it went
        (Step.REMINDER, None, LATER, LATER),
        (Step.REMINDER, LetterState.FAILED, None, None),
        (Step.REMINDER, LetterState.CANCELLED, None, None),
        (Step.PLAN, LetterState.DRAFT, None, MADE),  # agreed today; the letter confirms it
        (Step.HANDOVER, LetterState.DRAFT, LATER, MADE),  # decided today
        (Step.HANDOVER, LetterState.CANCELLED, None, None),
    ],
)
def test_which_letters_count_and_from_which_day(step, state, sent_on, counts):
    assert counts_from(letter(step, state, sent_on)) == counts


def test_a_letter_sent_later_moves_its_term_by_the_same_days():
    (sent,) = counted_actions([letter(state=LetterState.DRAFT, sent_on=LATER)])
    assert (sent.on, sent.deadline) == (LATER, date(2026, 11, 1))
    assert counted_actions([letter(state=LetterState.FAILED)]) == []
    # counting twice changes nothing
    assert counted_actions([sent]) == [sent]


def test_a_letter_made_today_is_todays_letter_until_it_fails():
    assert letter_days(letter(state=LetterState.DRAFT)) == {MADE}
    assert letter_days(letter(state=LetterState.SENT, sent_on=LATER)) == {MADE, LATER}
    assert letter_days(letter(state=LetterState.FAILED)) == set()


def test_the_module_examples():
    assert doctest.testmod(lifecycle).failed == 0


# --- the claim counts only letters that went out ---------------------------------------------

BE_CONSUMER = Debtor(number="K1", name="Jean", country=Country.BE, kind=DebtorKind.CONSUMER)
NL_CONSUMER = Debtor(number="K1", name="Petra", country=Country.NL, kind=DebtorKind.CONSUMER)
INVOICE = Invoice(
    number="F1",
    debtor="K1",
    invoice_date=date(2026, 9, 1),
    due_date=date(2026, 9, 15),
    amount=D("240.00"),
)
CLAUSES = Settings(be_consumer_lump_sum_clause=True)


def claim(debtor, actions, as_of=date(2026, 11, 20), settings=CLAUSES):
    return assess_debtor(
        debtor, [INVOICE], [], actions, Creditor(name="X"), settings, builtin(), as_of
    ).claim_for("F1")


def first_reminder(**kw):
    return Action(
        on=MADE,
        debtor="K1",
        step=Step.BE_FIRST_REMINDER,
        invoices=("F1",),
        channel=Channel.EMAIL,
        **kw,
    )


def test_a_refused_or_unsent_first_reminder_gives_no_lump_sum():
    for state in (LetterState.FAILED, LetterState.DRAFT, LetterState.CANCELLED):
        c = claim(BE_CONSUMER, [first_reminder(state=state)])
        assert (c.notice, c.statement.costs) == (None, 0)
    # sent: 14 days from the day after the e-mail (16-10 to 29-10), then the lump sum
    # on 240.00: 30 + 10 % x 90 = 39.00
    c = claim(BE_CONSUMER, [first_reminder(state=LetterState.SENT)])
    assert (c.notice.last_day, c.statement.costs) == (date(2026, 10, 29), D("39.00"))
    # sent three days late: the term ends three days later (Monday 2 November)
    c = claim(BE_CONSUMER, [first_reminder(state=LetterState.DRAFT, sent_on=LATER)])
    assert (c.notice.first_day, c.notice.last_day) == (date(2026, 10, 19), date(2026, 11, 2))
    assert (
        claim(BE_CONSUMER, [first_reminder(sent_on=LATER)], date(2026, 11, 2)).statement.costs == 0
    )


def test_only_a_posted_demand_interrupts_limitation():
    plain = claim(NL_CONSUMER, []).limitation
    demand = Action(
        on=MADE, debtor="K1", step=Step.FOURTEEN_DAY_LETTER, invoices=("F1",), channel=Channel.POST
    )
    # a 14-dagenbrief posted Thursday 15-10 is received on Friday 16-10: two years from then
    assert claim(NL_CONSUMER, [demand]).limitation == date(2028, 10, 16)
    draft = replace(demand, state=LetterState.DRAFT)
    assert claim(NL_CONSUMER, [draft]).limitation == plain == date(2028, 9, 16)


# --- hand-over readiness ----------------------------------------------------------------------

NL_BUSINESS = Debtor(number="K1", name="Bouw", country=Country.NL, kind=DebtorKind.BUSINESS)


def stage_at(actions, as_of, invoice=INVOICE):
    c = assess_debtor(
        NL_BUSINESS, [invoice], [], actions, Creditor(name="X"), Settings(), builtin(), as_of
    )
    return plan_debtor(c, actions, [], [], Settings(), as_of)["F1"]


NOTICE_SENT = Action(
    on=date(2026, 10, 15),
    debtor="K1",
    step=Step.NOTICE_OF_DEFAULT,
    invoices=("F1",),
    deadline=date(2026, 10, 29),
    state=LetterState.SENT,
)
REMINDED = Action(on=date(2026, 9, 25), debtor="K1", step=Step.REMINDER, invoices=("F1",))


def test_ready_for_hand_over_when_the_notice_term_has_ended():
    actions = [REMINDED, NOTICE_SENT]
    today = handover_readiness(stage_at(actions, date(2026, 10, 15)), date(2026, 10, 15))
    assert not today.ready and today.forcible and today.ready_on == date(2026, 10, 30)
    assert "de termijn van de ingebrekestelling van 15-10-2026 loopt nog" in today.reason
    ready = handover_readiness(stage_at(actions, date(2026, 10, 30)), date(2026, 10, 30))
    assert ready.ready
    # the same notice still a draft: no term runs, the ladder waits for it
    draft = handover_readiness(
        stage_at([REMINDED, replace(NOTICE_SENT, state=LetterState.DRAFT)], date(2026, 11, 30)),
        date(2026, 11, 30),
    )
    assert not draft.ready and "nog niet verzonden" in draft.reason


def test_a_paused_invoice_at_the_hand_over_is_ready_the_day_after_the_pause():
    paused = replace(INVOICE, paused_until=date(2026, 11, 10))
    st = stage_at([REMINDED, NOTICE_SENT], date(2026, 11, 1), paused)
    assert st.stage is Stage.PAUSED and st.ladder_step is Step.HANDOVER
    r = handover_readiness(st, date(2026, 11, 1))
    assert (r.ready, r.forcible, r.ready_on) == (False, False, date(2026, 11, 11))
    disputed = replace(INVOICE, disputed=True)
    r = handover_readiness(
        stage_at([REMINDED, NOTICE_SENT], date(2026, 11, 1), disputed), date(2026, 11, 1)
    )
    assert (r.ready, r.forcible, r.ready_on) == (False, False, None)
    assert r.reason.startswith("betwist (kolom Betwist")
