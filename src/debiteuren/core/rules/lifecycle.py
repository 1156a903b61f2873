"""A letter's lifecycle: which logged letters count, and from which day.

The law counts a letter's term from the day it was received (NL art. 6:96 lid 6 BW and the
14-dagenbrief, HR 25-11-2016; BE art. XIX.2 WER, be.md §3.2), and allows costs only after a
letter that really reached the debtor. So the Acties log distinguishes a letter that was made
from one that went out (``Action.state``, the Status column):

- ``concept``: made but not sent yet (an e-mail draft, a letter in the print file). It does not
  count for any term, cost, step, limitation or hand-over, and while it waits no new letter is
  made for the invoices it names;
- ``verzonden``: sent, on ``Action.sent_on`` (the column "Verzonden op"), else on its own date;
- ``mislukt`` (the mail server refused it) and ``geannuleerd`` (the user decided not to send):
  never count;
- empty: a row the user typed, or a row from an older version: it records what happened, so it
  counts as sent on its own date.

A payment plan (``regeling``) and a hand-over (``overdracht``) are decisions: they count from
their own day whether or not the confirmation letter or the dossier has gone out yet.

A date in "Verzonden op" is the user's statement that the letter went out on that day, also on a
row still marked ``concept``. A letter sent later than it was made gets its term from the day it
was sent: its logged deadline ("Termijn tot") moves by the same number of days.

Every consumer of the log (the claim, the ladder, limitation, the hand-over and the export) goes
through :func:`counted_actions`, so they all agree.

>>> from datetime import date
>>> from ..model import Action, LetterState, Step, Step
>>> draft = Action(on=date(2026, 10, 15), debtor="K1", step=Step.REMINDER,
...                state=LetterState.DRAFT, deadline=date(2026, 10, 29))
>>> counts_from(draft) is None
True
>>> from dataclasses import replace
>>> sent = counted_actions([replace(draft, sent_on=date(2026, 10, 18))])
>>> sent[0].on, sent[0].deadline
(datetime.date(2026, 10, 18), datetime.date(2026, 11, 1))
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from ..model import Action, LetterState, Step

__all__ = [
    "MADE_LATER",
    "counted_actions",
    "counts_from",
    "is_open_draft",
    "letter_days",
    "made_later_note",
    "made_on",
    "unsent_letters",
]

#: States whose row never counts, whatever its dates say.
NOT_SENT = (LetterState.FAILED, LetterState.CANCELLED)

#: Rows that record a decision as much as a letter: a payment plan is agreed and a claim is
#: handed over on the row's own day; their state tells only whether the confirmation letter or
#: the dossier went out.
DECISIONS = (Step.PLAN, Step.HANDOVER)


def counts_from(action: Action) -> date | None:
    """Return the day from which a logged action counts (the day it went out), or None.

    Args:
      action: one Acties row.
    Returns:
      ``sent_on`` when filled (unless the letter failed or was cancelled), else ``on`` for a
      sent letter or a row without a state, else None (a draft, a failed or cancelled letter).
      A payment plan or a hand-over counts from its own day (the day it was agreed or decided),
      sent or not, unless it was cancelled.
    """
    if action.state in NOT_SENT:
        return None
    if action.step in DECISIONS:
        return action.on
    if action.sent_on is not None:
        return action.sent_on
    if action.state is LetterState.DRAFT:
        return None
    return action.on


def counted_actions(actions: Iterable[Action]) -> list[Action]:
    """Return the actions that count, each dated on the day it went out.

    A letter sent later than it was made gets ``on`` = the day it was sent, and its deadline
    moves by the same number of days. Order is kept.
    """
    out = []
    for action in actions:
        day = counts_from(action)
        if day is None:
            continue
        if day != action.on:
            shift = day - action.on
            deadline = action.deadline + shift if action.deadline is not None else None
            action = replace(action, on=day, deadline=deadline)
        out.append(action)
    return out


def is_open_draft(action: Action) -> bool:
    """Return True for a letter that was made and is still waiting to be sent."""
    return action.state is LetterState.DRAFT and action.sent_on is None


def unsent_letters(actions: Iterable[Action]) -> list[Action]:
    """Return the letters that were made and are still waiting to be sent (drafts)."""
    return [a for a in actions if is_open_draft(a)]


def letter_days(action: Action) -> set[date]:
    """Return the days on which a letter was made or went out (empty for a failed one).

    Used for "one letter per debtor per day": a letter made today, sent or not, is the
    debtor's letter of today.
    """
    if action.state in NOT_SENT:
        return set()
    days = {action.on}
    sent = counts_from(action)
    if sent is not None:
        days.add(sent)
    return days


#: The note of a letter made on a later day than its date (``brieven --peildatum`` of an
#: earlier day): the day it really came into being, before which it cannot have been sent.
MADE_LATER = "gemaakt op {:%d-%m-%Y}, gedateerd op de peildatum"


def made_later_note(as_of: date, today: date) -> str:
    """Return the note of a letter or payment plan made ``today`` for the peildatum ``as_of``
    (:data:`MADE_LATER`), or "" when it is made on its own day (or, with ``--toekomst``, for a
    later one). Every command that dates a made letter on an earlier peildatum notes it so, and
    :func:`made_on` reads it back: the letter cannot have gone out before it was made.

    >>> made_later_note(date(2026, 10, 15), date(2026, 12, 6))
    'gemaakt op 06-12-2026, gedateerd op de peildatum'
    >>> made_later_note(date(2026, 12, 6), date(2026, 12, 6))
    ''
    """
    return MADE_LATER.format(today) if as_of < today else ""


_MADE_LATER = re.compile(r"\bgemaakt op (\d{2})-(\d{2})-(\d{4}), gedateerd op de peildatum")


def made_on(on: date, note: str) -> date:
    """Return the day a letter was made: its own day ``on``, or the later day its ``note``
    names (:data:`MADE_LATER`) when it was made afterwards for an earlier peildatum.

    >>> made_on(date(2026, 11, 2), "gemaakt op 07-12-2026, gedateerd op de peildatum; x")
    datetime.date(2026, 12, 7)
    >>> made_on(date(2026, 11, 2), "e-mailconcept K1-herinnering.eml")
    datetime.date(2026, 11, 2)
    """
    found = _MADE_LATER.search(note) if "gedateerd op de peildatum" in note else None
    if found is None:
        return on
    try:
        day = date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return on
    return max(day, on)
