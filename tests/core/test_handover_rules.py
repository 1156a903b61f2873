"""The hand-over's decisions in the core: which invoices go (the ladder's own readiness) and what
the debtor's law does not allow yet."""

from datetime import date, timedelta
from decimal import Decimal as D

from debiteuren.core.claim import assess_debtor
from debiteuren.core.handover import LegalGap, legal_gaps, select
from debiteuren.core.ladder import Stage, handover_readiness, plan_debtor
from debiteuren.core.model import (
    Action,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin

S = Settings()
DUE = date(2025, 3, 31)
CONSUMER = Debtor(number="K1", name="Klant", country=Country.NL, kind=DebtorKind.CONSUMER)


def inv(number, **kw):
    return Invoice(
        number=number,
        debtor="K1",
        invoice_date=DUE - timedelta(30),
        due_date=DUE,
        amount=D("500.00"),
        **kw,
    )


INVOICES = [
    inv("F1", disputed=True, note="kleur wijkt af"),
    inv("F2"),
    inv("F3", paused_until=date(2025, 6, 30)),
]
ACTIONS = [
    Action(on=date(2025, 4, 7), debtor="K1", step=Step.REMINDER),
    # an old dispute about F2, resolved: the Betwist column says Nee, so it is history
    Action(on=date(2025, 4, 10), debtor="K1", step=Step.DISPUTE, invoices=("F2",)),
    # Tuesday 22 April by post: received the 23rd, term to 7 May, costs from 8 May
    Action(on=date(2025, 4, 22), debtor="K1", step=Step.FOURTEEN_DAY_LETTER),
]


def book(as_of, debtor=CONSUMER, actions=ACTIONS):
    claim = assess_debtor(
        debtor, INVOICES, [], actions, Creditor(name="Winkel"), S, builtin(), as_of
    )
    return claim, plan_debtor(claim, actions, [], [], S, as_of)


def test_the_hand_over_takes_what_the_ladder_calls_ready_and_names_the_rest():
    as_of = date(2025, 5, 20)
    claim, stages = book(as_of)
    selection = select(claim, stages, as_of)
    assert [c.invoice.number for c in selection.chosen] == ["F2"]
    assert stages["F2"].stage is Stage.DEMANDED  # the old dispute row does not hold it
    assert selection.left_out == (
        (
            "F1",
            "betwist (kolom Betwist op het blad Facturen): eerst het geschil oplossen "
            "(kleur wijkt af)",
        ),
        (
            "F3",
            "gepauzeerd tot en met 30-06-2025; klaar voor overdracht vanaf 01-07-2025",
        ),
    )
    assert selection.forced == ()
    # the same function as the columns Volgende stap and Per
    for number, stage in stages.items():
        chosen = number in {c.invoice.number for c in selection.chosen}
        assert chosen is handover_readiness(stage, as_of).ready
    assert legal_gaps(CONSUMER, selection.chosen, as_of) == []


def test_force_takes_an_invoice_whose_term_runs_and_the_law_then_allows_no_costs_yet():
    as_of = date(2025, 5, 5)
    claim, stages = book(as_of)
    assert select(claim, stages, as_of).chosen == ()
    selection = select(claim, stages, as_of, force=True)
    assert [c.invoice.number for c in selection.chosen] == ["F2"]
    assert selection.forced == (
        (
            "F2",
            "de termijn van de 14-dagenbrief van 22-04-2025 loopt nog; overdracht kan vanaf "
            "08-05-2025",
        ),
    )
    assert legal_gaps(CONSUMER, selection.chosen, as_of) == [
        LegalGap(
            invoice="F2",
            reason="de termijn van de 14-dagenbrief van 22-04-2025 loopt nog tot en met "
            "07-05-2025; incassokosten pas vanaf 08-05-2025 (art. 6:96 lid 6 BW)",
        )
    ]


def test_chosen_invoices_limit_the_hand_over_and_a_business_has_no_gap():
    business = Debtor(number="K1", name="BV", country=Country.BE, kind=DebtorKind.BUSINESS)
    notice = Action(on=date(2025, 4, 22), debtor="K1", step=Step.NOTICE_OF_DEFAULT)
    as_of = date(2025, 5, 20)
    claim, stages = book(as_of, business, [ACTIONS[0], notice])
    selection = select(claim, stages, as_of, wanted=("F2", "F3"))
    assert [c.invoice.number for c in selection.chosen] == ["F2"]
    assert [n for n, _ in selection.left_out] == ["F3"]
    assert legal_gaps(business, selection.chosen, as_of) == []
