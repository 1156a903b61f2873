"""``regeling``: a payment plan, agreed with a customer and confirmed by letter.

The claim at the peildatum (its open invoices, not those handed over or disputed) is split into
monthly instalments (to the cent, the last ones a cent less where it does not divide), written
to Regelingen, and logged in Acties: the ladder pauses while the instalments are paid on time.
The row is a concept until the confirmation letter is marked sent, but the plan counts from the
day it was agreed. The workbook holds one plan per customer: a customer whose earlier plan is
still on Regelingen is refused, before anything is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.book import Assessment
from ..core.claim import DebtorClaim, InvoiceClaim, costs_ahead
from ..core.ladder import Stage
from ..core.letters import LetterFile, LetterPlan
from ..core.model import Action, Channel, LetterState, PlanInstalment, Step
from ..core.money import CENT, Decimal, allocate_cents, total
from ..core.rules import add_months, chosen_law_notice
from ..core.rules.lifecycle import made_later_note
from ..errors import DebiteurenError
from ..filenames import safe_name
from ..formatting import euro
from ..letters.compose import compose
from ..outputs.letters import (
    day_folder,
    file_reference,
    free_name,
    user_templates,
    write_letter,
)
from ..workbook import schema
from ..workbook.changes import refuse_totals_row
from ..workbook.files import locks_workbook
from ..workbook.source import BookSource
from .address import MissingDetails, missing_details
from .changes import Changes, UnknownCustomer, refuse_future
from .pipeline import (
    LoadedBook,
    assess,
    book_warnings,
    folder_of,
    read_book,
    reference_texts,
    refuse_no_room,
    write_back,
)

__all__ = ["PlanResult", "month_later", "payment_plan"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanResult:
    """A payment plan made for a customer."""

    customer: str
    total: Decimal
    instalments: tuple[tuple[int, date, Decimal], ...]
    letter: Path | None
    pdf: Path | None = None
    eml: Path | None = None
    pdf_note: str = ""
    #: Dutch notes, e.g. the law chosen for a consumer abroad (``core/rules/abroad.py``).
    warnings: tuple[str, ...] = ()
    #: What the book records that the user should check (:func:`.pipeline.book_warnings`).
    checks: tuple[str, ...] = ()


#: The same day so many months later (the last day of a shorter month): the instalments' days.
month_later = add_months


@locks_workbook
def payment_plan(
    book: str | Path | BookSource,
    *,
    customer: str,
    instalments: int,
    first: date,
    as_of: date,
    now: datetime,
    confirm_future: bool = False,
) -> PlanResult:
    """Agree a payment plan: split the customer's claim at ``as_of`` into monthly instalments.

    Writes the schedule to Regelingen, logs the plan in Acties and makes the confirmation
    letter (.docx, PDF and e-mail draft, like ``brieven``). A day after today is refused unless
    ``confirm_future``.
    """
    refuse_future(as_of, now, confirmed=confirm_future)
    if instalments < 1 or instalments > 60:
        raise DebiteurenError("Kies tussen 1 en 60 termijnen.")
    loaded = read_book(book, as_of)
    _check_first(first, as_of)
    _refuse_second_plan(loaded, customer, as_of, instalments)
    if places := missing_details(loaded):  # the letter asks to pay to the IBAN
        raise MissingDetails(places)
    assessment = assess(loaded, as_of)
    claim, covered, kept_out = _covered(assessment, customer)
    amount = total(c.outstanding for c in covered)
    notes = _notes(loaded, claim) + kept_out  # before the plan is logged
    schedule = _schedule(customer, amount, instalments, first)
    made, pdf_note = _confirmation(loaded, claim, covered, schedule, as_of, now)
    path = folder_of(loaded)
    action = Action(
        on=as_of,
        debtor=customer,
        invoices=made.invoices,
        step=Step.PLAN,
        channel=made.channel,
        state=LetterState.DRAFT,
        file=file_reference(made.pdf or made.docx, path),  # type: ignore[arg-type]
        amount_claimed=amount,
        note=_plan_note(instalments, first, made_later_note(as_of, now.date())),
    )
    changes = Changes()
    changes.add(*(schema.plan_row(p) for p in schedule), schema.action_row(action))
    write_back(loaded, as_of, now, changes, assessment=assessment)
    return PlanResult(
        customer=customer,
        total=amount,
        instalments=tuple((p.number, p.due_date, p.amount) for p in schedule),
        letter=made.docx,
        pdf=made.pdf,
        eml=made.eml,
        pdf_note=pdf_note,
        warnings=notes,
        checks=book_warnings(loaded.data),
    )


def _check_first(first: date, as_of: date) -> None:
    """Refuse a first instalment before the peildatum, or more than a year after it: 2062 typed
    for 2026 paused the customer's ladder until then."""
    if first < as_of:
        raise DebiteurenError(f"De eerste termijn ({first:%d-%m-%Y}) ligt vóór de peildatum.")
    if first > month_later(as_of, 12):
        raise DebiteurenError(
            f"De eerste termijn ({first:%d-%m-%Y}) ligt meer dan een jaar na de peildatum "
            f"({as_of:%d-%m-%Y}); controleer het jaar. Er is niets gewijzigd."
        )


def _plan_note(instalments: int, first: date, made_later: str) -> str:
    """Return the Notitie of the plan's Acties row; ``made_later``: the note of a confirmation
    letter made today for an earlier peildatum (it cannot have gone out before today)."""
    note = (
        f"Betalingsregeling: {instalments} termijnen vanaf {first:%d-%m-%Y}; "
        "bevestigingsbrief gemaakt, nog niet verstuurd"
    )
    return f"{note}; {made_later}" if made_later else note


def _schedule(
    customer: str, amount: Decimal, instalments: int, first: date
) -> tuple[PlanInstalment, ...]:
    """Return the monthly instalments of ``amount`` from ``first`` on, split to the cent.

    Refuses more instalments than ``amount`` has cents: the last ones would be € 0,00, which
    Regelingen refuses (a termijn is more than nothing), so every later command stopped.
    """
    amounts = allocate_cents(amount, [Decimal(1)] * instalments)
    if amounts[-1] <= 0:
        most = int(amount / CENT)
        raise DebiteurenError(
            f"--termijnen: {euro(amount)} is te weinig voor {instalments} termijnen (elke "
            f"termijn is ten minste € 0,01); kies hoogstens {most} termijnen. Er is niets "
            "gewijzigd."
        )
    return tuple(
        PlanInstalment(debtor=customer, number=n + 1, due_date=month_later(first, n), amount=a)
        for n, a in enumerate(amounts)
    )


#: Where an invoice is no longer the creditor's to arrange: with an agency or bailiff, or
#: disputed (a plan confirmed by letter reads as the customer's acknowledgement of the debt).
_NOT_IN_A_PLAN = {
    Stage.HANDED_OVER: "uit handen (overgedragen aan een incassobureau of deurwaarder)",
    Stage.DISPUTED: "betwist (kolom Betwist op Facturen)",
}


def _covered(
    assessment: Assessment, customer: str
) -> tuple[DebtorClaim, list[InvoiceClaim], tuple[str, ...]]:
    """Return the customer's claim, the open invoices the plan covers, and a note for each
    it leaves out.

    A plan covers what the customer owes the user: not an invoice handed over (the agency
    collects it, and the confirmation letter asked the customer to pay the user what the
    agency claims) nor a disputed one. Refuses a customer with nothing (else) open.
    """
    claim = assessment.claims.get(customer)
    if claim is None or claim.outstanding <= 0:
        raise DebiteurenError(f"Klant {customer} heeft niets openstaan.")
    stages = assessment.stages[customer]
    open_ = [c for c in claim.invoices if c.outstanding > 0]
    held = {c.invoice.number: _NOT_IN_A_PLAN.get(stages[c.invoice.number].stage) for c in open_}
    covered = [c for c in open_ if not held[c.invoice.number]]
    left = [(n, why) for n, why in held.items() if why]
    if not covered:
        raise DebiteurenError(
            f"Klant {claim.debtor.number} heeft niets openstaan dat in een betalingsregeling kan: "
            + "; ".join(f"factuur {n} is {why}" for n, why in left)
            + ". Er is niets gewijzigd."
        )
    notes = tuple(f"factuur {n} zit niet in de regeling: ze is {why}" for n, why in left)
    return claim, covered, notes


def _notes(loaded: LoadedBook, claim: DebtorClaim) -> tuple[str, ...]:
    """Return the notes on the plan: the law chosen for a consumer abroad, and the costs a
    running letter's term adds after the plan was agreed."""
    law = chosen_law_notice(claim.debtor, loaded.data.creditor)
    return tuple(filter(None, (law, _costs_ahead(loaded, claim))))


def _costs_ahead(loaded: LoadedBook, claim: DebtorClaim) -> str:
    """Return the warning for a plan agreed while a formal letter's term still runs: the
    costs it makes due are not in the plan (:func:`~..core.claim.costs_ahead`); else ""."""
    data, number = loaded.data, claim.debtor.number
    ahead = costs_ahead(
        claim,
        [i for i in data.invoices if i.debtor == number],
        [p for p in data.payments if p.debtor == number],
        [a for a in data.actions if a.debtor == number],
        data.creditor,
        data.settings,
        loaded.rates,
    )
    if ahead is None:
        return ""
    term = ahead.term
    asked = (
        f" {euro(term.amount_claimed)} (wat de brief vroeg)" if term.amount_claimed else " alles"
    )
    return (
        f"de termijn van de brief van {term.sent_on:%d-%m-%Y} loopt nog tot en met "
        f"{term.last_day:%d-%m-%Y}. Betaalt de klant in die termijn niet{asked}, dan zijn op "
        f"{term.charges_from:%d-%m-%Y} {euro(ahead.costs)} kosten verschuldigd die niet in de "
        "regeling zitten, en gaan de termijnen eerst naar die kosten. Wilt u ze in de regeling, "
        f"spreek haar dan af na {term.last_day:%d-%m-%Y}."
    )


def _refuse_second_plan(loaded: LoadedBook, customer: str, as_of: date, instalments: int) -> None:
    """Refuse a customer who is unknown, or whose plan (running or old) is on Regelingen; and
    a Regelingen or Acties table with a totals row or (open in Excel) cells under it where the
    rows go, before the letter is made."""
    refuse_totals_row(loaded.tables, schema.REGELINGEN, schema.ACTIES)
    refuse_no_room(loaded, {schema.REGELINGEN: instalments, schema.ACTIES: 1})
    data = loaded.data
    if customer not in data.debtors:
        raise UnknownCustomer(customer, data.debtors)
    own = [p for p in data.plans if p.debtor == customer]
    if any(p.due_date >= as_of for p in own):
        raise DebiteurenError(
            f"Klant {customer} heeft al een lopende betalingsregeling op het blad Regelingen."
        )
    if own:
        last = max(p.due_date for p in own)
        raise DebiteurenError(
            f"Klant {customer} heeft al een betalingsregeling op het blad Regelingen (de laatste "
            f"termijn verviel op {last:%d-%m-%Y}); het werkboek houdt één regeling per klant "
            "bij. Haal de termijnen van de oude regeling weg (de betalingen en de acties blijven "
            "staan) en maak de nieuwe regeling daarna. Er is niets gewijzigd."
        )


def _confirmation(
    loaded: LoadedBook,
    claim: DebtorClaim,
    covered: Sequence[InvoiceClaim],
    schedule: tuple[PlanInstalment, ...],
    as_of: date,
    now: datetime,
) -> tuple[LetterFile, str]:
    """Make the confirmation letter of the ``covered`` invoices (the QR code pays the first
    instalment)."""
    data = loaded.data
    open_numbers = tuple(c.invoice.number for c in covered)
    plan = LetterPlan(
        claim=claim,
        step=Step.PLAN,
        invoices=open_numbers,
        sent_on=as_of,
        language=claim.debtor.language,
        reference_stored=reference_texts(data),
        instalments=schedule,
    )
    first = schedule[0]
    _, content = compose(
        plan,
        data.creditor,
        data.settings,
        loaded.rates,
        template="regeling",
        qr_amount=first.amount,
        user_dir=user_templates(folder_of(loaded), data.letter_folder),
    )
    folder = day_folder(folder_of(loaded), data.letter_folder, as_of)
    folder.mkdir(parents=True, exist_ok=True)
    letter = LetterFile(
        debtor=claim.debtor,
        step=Step.PLAN,
        invoices=open_numbers,
        channel=Channel.EMAIL if claim.debtor.email else Channel.POST,
        amount=first.amount,
        deadline=first.due_date,
    )
    target = free_name(folder, f"{safe_name(claim.debtor.number, distinct=True)}-regeling", ".docx")
    return write_letter(letter, content, target, data.creditor, data.settings, as_of, now)
