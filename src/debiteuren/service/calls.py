"""``gesprek``: a phone call and its outcome in Acties: a note, a promise to pay, a dispute.

The call counts as the ladder's phone step; a promise pauses the ladder until the promised day
(a broken promise resumes it); a dispute stops letters for the invoices named, and sets their
Betwist column, which decides from then on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from ..core.model import Action, Channel, Step
from ..errors import DebiteurenError
from ..workbook import schema
from ..workbook.files import locks_workbook
from ..workbook.source import BookSource
from .changes import Changes, UnknownCustomer, refuse_future, stamp
from .pipeline import LoadedBook, assess, read_book, write_back

__all__ = ["CALL_OUTCOMES", "log_call"]


#: ``gesprek --uitkomst`` words -> the Acties step logged beside the call.
CALL_OUTCOMES = {"notitie": None, "belofte": Step.PROMISE, "betwist": Step.DISPUTE}


@locks_workbook
def log_call(
    book: str | Path | BookSource,
    as_of: date,
    *,
    customer: str,
    outcome: str,
    now: datetime,
    promised_on: date | None = None,
    invoices: tuple[str, ...] = (),
    note: str = "",
    at: time | None = None,
    confirm_future: bool = False,
) -> Changes:
    """Log a phone call and its outcome in Acties: a note, a promise to pay, or a dispute.

    Args:
      book: the workbook file, or the book open in Excel.
      as_of: the day of the call (peildatum); a day after today is refused unless
        ``confirm_future``.
      now: the current time: a call logged for today keeps its time (Tijdstip).
      outcome: ``notitie``, ``belofte`` (needs ``promised_on``) or ``betwist``.
      invoices: the invoices the call was about; default all open invoices of the customer.
      at: the time of a call on an earlier day (``--tijd``).
    Returns:
      The Acties rows (written, with the computed columns, in one save).
    """
    _check(as_of, now, outcome, promised_on, confirm_future, at)
    loaded = read_book(book, as_of)
    data = loaded.data
    if customer not in data.debtors:
        raise UnknownCustomer(customer, data.debtors)
    known = {i.number for i in data.invoices if i.debtor == customer}
    unknown = [n for n in invoices if n not in known]
    if unknown:
        raise DebiteurenError(f"Factuur {', '.join(unknown)} hoort niet bij klant {customer}.")
    assessment = None
    if not invoices:
        assessment = assess(loaded, as_of)
        claim = assessment.claims.get(customer)
        open_ = [c.invoice.number for c in claim.invoices if c.outstanding > 0] if claim else []
        invoices = tuple(open_)
    on = datetime.combine(as_of, at) if at is not None else stamp(as_of, now)
    call = Action(
        on=on, debtor=customer, invoices=invoices, step=Step.CALL, channel=Channel.PHONE, note=note
    )
    step = CALL_OUTCOMES[outcome]
    if _logged_before(_same_time(loaded, on), call, step, promised_on):
        raise CallLoggedBefore(customer, on)
    changes = Changes()
    changes.add(schema.action_row(call))
    if step is not None:
        outcome_row = replace(call, step=step, promised_on=promised_on)
        changes.add(schema.action_row(outcome_row))
    if step is Step.DISPUTE:
        # The Betwist column decides; set it back to Nee when the dispute is resolved.
        for number in invoices:
            changes.set(schema.FACTUREN, "number", number, "disputed", True)
    write_back(loaded, as_of, now, changes, assessment=assessment)
    return changes


def _same_time(loaded: LoadedBook, on: date | datetime) -> list[Action]:
    """Return the Acties rows logged at ``on``: a day (no time of day) compares as read; a
    time (``--tijd``, or now to the second) with the Tijdstip cell as it is: a second run of the
    same command is the same call."""
    data = loaded.data
    if not isinstance(on, datetime):
        return list(data.actions)
    table = loaded.tables.get(schema.ACTIES.name)
    position = schema.match_headers(schema.ACTIES, table.headers).index.get("on") if table else None
    if table is None or position is None:
        return []
    out = []
    for row, action in zip(data.action_rows, data.actions, strict=True):
        values = table.rows[row - table.first_row]
        if position < len(values) and values[position] == on:
            out.append(replace(action, on=on))
    return out


class CallLoggedBefore(DebiteurenError):
    """The same call on an earlier day (no time of day) is on Acties already."""

    def __init__(self, customer: str, on: date | datetime) -> None:
        at = f" om {on:%H:%M}" if isinstance(on, datetime) else ""
        other = "op een ander tijdstip" if at else "die dag"
        super().__init__(
            f"Dit gesprek met klant {customer} op {on:%d-%m-%Y}{at} staat al op het blad "
            "Acties, met dezelfde uitkomst en tekst; er is niets gewijzigd. Was het een tweede "
            f"gesprek {other}, geef dan het tijdstip met --tijd."
        )


def _logged_before(
    actions: Sequence[Action], call: Action, step: Step | None, promised_on: date | None
) -> bool:
    """Return True when Acties has ``call`` (a day without a time) with the outcome ``step``:
    a call row like it and, for a promise or dispute, that row too; for a note, more such call
    rows than promises and disputes that day (a call with a promise is not a note)."""

    def same(a: Action, kind: Step) -> bool:
        return a.step is kind and a.on == call.on and a.debtor == call.debtor

    calls = sum(
        same(a, Step.CALL) and a.note == call.note and a.invoices == call.invoices for a in actions
    )
    if step is not None:
        return calls > 0 and any(same(a, step) and a.promised_on == promised_on for a in actions)
    outcomes = sum(same(a, kind) for a in actions for kind in (Step.PROMISE, Step.DISPUTE))
    return calls > outcomes


def _check(
    as_of: date,
    now: datetime,
    outcome: str,
    promised_on: date | None,
    confirm_future: bool,
    at: time | None,
) -> None:
    refuse_future(as_of, now, confirmed=confirm_future)
    if at is not None and as_of == now.date() and at > now.time() and not confirm_future:
        raise DebiteurenError(
            f"Het tijdstip {at:%H:%M} van vandaag is nog niet geweest (het is nu "
            f"{now:%H:%M}); het blad Acties legt alleen vast wat al gebeurd is. Er is niets "
            "gewijzigd."
        )
    if outcome not in CALL_OUTCOMES:
        raise DebiteurenError(
            f"Onbekende uitkomst '{outcome}'; kies uit: {', '.join(CALL_OUTCOMES)}."
        )
    if outcome == "belofte" and promised_on is None:
        raise DebiteurenError("Geef bij een betaalbelofte de datum waarop de klant betaalt (--op).")
    if promised_on is not None and promised_on < as_of:
        raise DebiteurenError(f"De beloofde datum {promised_on:%d-%m-%Y} ligt in het verleden.")
