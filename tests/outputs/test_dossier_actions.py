"""The action log of a hand-over dossier (overdrachtsbrief, notities.txt): what the agency or
bailiff needs to show that a letter's term ran."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from debiteuren.core.model import Action, Channel, LetterState, Step
from debiteuren.outputs.dossier import action_text


def test_a_letter_sent_later_than_made_shows_its_sending_day_and_its_term():
    # A 14-dagenbrief made on Thu 15-10-2026 and posted on Tue 20-10-2026 (debiteuren
    # verzonden --op 2026-10-20): presumed received Wed 21-10, the term runs 22-10 to 4-11-2026
    # (Termijn tot on Acties). The dossier listed it as "15-10-2026 14-dagenbrief (post)" only,
    # so the bailiff would count the term from the wrong day.
    letter = Action(
        on=date(2026, 10, 15),
        debtor="K002",
        step=Step.FOURTEEN_DAY_LETTER,
        invoices=("2026-0077",),
        channel=Channel.POST,
        amount_claimed=D("181.99"),
        state=LetterState.SENT,
        sent_on=date(2026, 10, 20),
        deadline=date(2026, 11, 4),
    )
    assert action_text(letter) == (
        "14-dagenbrief (post); facturen 2026-0077; gevorderd € 181,99; verzonden op "
        "20-10-2026; termijn tot en met 04-11-2026"
    )


def test_a_letter_sent_the_day_it_was_made_shows_its_term_and_proven_receipt():
    letter = Action(
        on=date(2026, 11, 10),
        debtor="K008",
        step=Step.NOTICE_OF_DEFAULT,
        invoices=("2026-0084",),
        channel=Channel.REGISTERED,
        state=LetterState.SENT,
        sent_on=date(2026, 11, 10),
        received_on=date(2026, 11, 12),
        deadline=date(2026, 11, 24),
        tracking="3SDEVC123456789",
    )
    assert action_text(letter) == (
        "ingebrekestelling (aangetekend); facturen 2026-0084; ontvangen op 12-11-2026; "
        "termijn tot en met 24-11-2026; track & trace 3SDEVC123456789"
    )


def _call(note: str) -> Action:
    """K002 called on 10-09-2026 about 2026-0077, with ``note``."""
    return Action(
        on=date(2026, 9, 10),
        debtor="K002",
        step=Step.CALL,
        invoices=("2026-0077",),
        channel=Channel.PHONE,
        note=note,
    )


def test_a_call_has_no_term():
    call = _call("Belt terug na de vakantie")
    assert action_text(call) == (
        "telefoon (telefoon); facturen 2026-0077; Belt terug na de vakantie"
    )


def test_a_note_with_a_line_break_stays_on_its_line_of_the_log():
    """The letter to the agency lists the actions one per line: a note with a line break
    (Alt+Enter, a mail server's reply) started a line that read as an action of its own."""
    call = _call("gebeld\n15-10-2026  ingebrekestelling (aangetekend); ontvangen op 16-10-2026")
    assert action_text(call) == (
        "telefoon (telefoon); facturen 2026-0077; gebeld 15-10-2026  ingebrekestelling "
        "(aangetekend); ontvangen op 16-10-2026"
    )
