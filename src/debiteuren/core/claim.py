"""A debtor's claim at a date: per invoice principal, payments, interest, costs and total.

The pipeline for one debtor (``assess_debtor``):

1. the country rules give the interest schedule, the start of interest per invoice and the cost
   rules (which depend on the formal letters in the Acties log);
2. one :class:`~debiteuren.core.interest.Ledger` per invoice runs forward in time; cost rules and
   payments are applied in date order (costs on a day before payments on that day);
3. a payment goes to the invoice its reference names, then to the oldest due invoices
   (art. 6:43 BW; old art. 1253–1256 BW); within an invoice costs -> interest -> principal;
4. each ledger is closed at ``as_of``; what payments brought in beyond the claim stays
   unallocated (a credit in the customer's favour);
5. a refund to the customer (a payment below zero, after the payments of its day) comes off
   that credit first; beyond it, what the latest payments paid is owed again (:func:`_refund`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

from .interest import Ledger, Statement
from .model import (
    Action,
    Channel,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Payment,
    Settings,
    Step,
    quick_init,
)
from .money import CENT, ZERO, Decimal, allocate_cents, total
from .rates import RateBook
from .rules import CountryRules, LetterTerm, rules_for
from .rules.lifecycle import counted_actions

__all__ = [
    "CostsAhead",
    "DebtorClaim",
    "InvoiceClaim",
    "OpenAmount",
    "assess_debtor",
    "costs_ahead",
    "default_notices",
    "formal_notices",
    "open_amounts",
    "owed_on",
    "received",
    "unlinked_credit_notes",
]

ONE_DAY = timedelta(days=1)

#: The letters that start a statutory term: the NL consumer 14-day letter and the BE consumer
#: first reminder under Book XIX.
FORMAL_STEPS = (Step.FOURTEEN_DAY_LETTER, Step.BE_FIRST_REMINDER)


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceClaim:
    """One invoice at the peildatum.

    Attributes:
      statement: the full computation (periods, capitalisations, charges, allocations).
      interest_start: the last day without interest, or None while no interest runs.
      days_late: days after the due date at the peildatum (0 when paid or not yet due).
      limitation: the last day to interrupt limitation (NL) or the day it is barred (BE).
      vat_refund: NL: from when the VAT may be reclaimed if still unpaid; BE: None.
      notice: the formal letter's term that applies to this invoice, if any.
      default_notice: the term of the letter that put the debtor in default, where a notice
        does and not the due date (:func:`default_notices`); None otherwise.
    """

    invoice: Invoice
    statement: Statement
    interest_start: date | None
    days_late: int
    limitation: date
    vat_refund: date | None
    notice: LetterTerm | None
    cost_descriptions: tuple[str, ...] = ()
    default_notice: LetterTerm | None = None

    @property
    def principal(self) -> Decimal:
        """Return the invoice amount."""
        return self.invoice.amount

    @property
    def paid(self) -> Decimal:
        """Return everything paid on this invoice (costs, interest and principal)."""
        return self.statement.paid

    @property
    def interest(self) -> Decimal:
        """Return all interest accrued up to the peildatum."""
        return self.statement.interest

    @property
    def costs(self) -> Decimal:
        """Return all costs charged."""
        return self.statement.costs

    @property
    def principal_open(self) -> Decimal:
        """Return the unpaid part of the invoice amount (capitalised interest excluded)."""
        return self.statement.principal_open

    @property
    def interest_open(self) -> Decimal:
        """Return the unpaid interest, including interest capitalised into the base (NL)."""
        return self.statement.capitalised_open + self.statement.interest_open

    @property
    def outstanding(self) -> Decimal:
        """Return what is still owed: principal, interest and costs."""
        return self.statement.outstanding

    @property
    def is_paid(self) -> bool:
        """Return True when nothing is owed."""
        return self.outstanding <= 0


@dataclass(frozen=True, slots=True, kw_only=True)
class DebtorClaim:
    """All invoices of one debtor at the peildatum."""

    debtor: Debtor
    as_of: date
    invoices: tuple[InvoiceClaim, ...]
    unallocated: Decimal = ZERO

    @property
    def principal_open(self) -> Decimal:
        """Return the unpaid principal of all invoices."""
        return total(c.principal_open for c in self.invoices)

    @property
    def interest(self) -> Decimal:
        """Return the interest of all invoices (each rounded per invoice)."""
        return total(c.interest for c in self.invoices)

    @property
    def interest_open(self) -> Decimal:
        """Return the unpaid interest of all invoices."""
        return total(c.interest_open for c in self.invoices)

    @property
    def costs_open(self) -> Decimal:
        """Return the unpaid costs of all invoices."""
        return total(c.statement.costs_open for c in self.invoices)

    @property
    def outstanding(self) -> Decimal:
        """Return everything still owed."""
        return total(c.outstanding for c in self.invoices)

    def claim_for(self, number: str) -> InvoiceClaim:
        """Return the claim of invoice ``number``."""
        for c in self.invoices:
            if c.invoice.number == number:
                return c
        raise KeyError(number)


def formal_notices(
    debtor: Debtor,
    invoices: Sequence[Invoice],
    actions: Iterable[Action],
    settings: Settings,
    as_of: date,
    creditor: Creditor | None = None,
    defaults: dict[str, LetterTerm] | None = None,
) -> dict[str, LetterTerm]:
    """Return, per invoice number, the term of the first valid formal letter that covers it.

    A formal letter (NL consumer 14-dagenbrief, BE consumer first reminder) counts only when it
    was really sent (:func:`~.rules.lifecycle.counted_actions`: its term runs from the day it
    went out) and sent after default: after the invoice's due date, or, where a notice puts the
    debtor in default (``defaults``, :func:`default_notices`), after that notice's term; the
    notice itself does not count. An action that names no invoices covers every invoice of the
    debtor that was due when it was sent. ``creditor``: the user's business (its country is the
    law of a business abroad).
    """
    rules = rules_for(debtor, creditor)
    wanted = rules.formal_letter(debtor.kind)
    if wanted is None:
        return {}
    result: dict[str, LetterTerm] = {}
    for action in _letters_sent(actions, (wanted,), as_of):
        term = replace(
            rules.letter_term(action.on, action.channel, settings, action.received_on),
            amount_claimed=action.amount_claimed,
        )
        for number in _covered(action, invoices, result, defaults):
            result[number] = term
    return result


def default_notices(
    debtor: Debtor,
    invoices: Sequence[Invoice],
    actions: Iterable[Action],
    settings: Settings,
    as_of: date,
    creditor: Creditor | None = None,
) -> dict[str, LetterTerm] | None:
    """Return, per invoice number, the term of the letter that put the debtor in default, or
    None when the due date does (:meth:`~.rules.base.CountryRules.default_notice_steps`).

    The first such letter that was really sent after the due date counts (phone calls do not).
    Its term ends on the last day the letter gave (``deadline``) or on the last day of the
    statutory term from its receipt, whichever is later: no interest for a day that might still
    fall within the term.
    """
    rules = rules_for(debtor, creditor)
    steps = rules.default_notice_steps(debtor, settings)
    if not steps:
        return None
    result: dict[str, LetterTerm] = {}
    for action in _letters_sent(actions, steps, as_of):
        term = rules.letter_term(action.on, action.channel, settings, action.received_on)
        if action.deadline is not None and action.deadline > term.last_day:
            term = replace(term, last_day=action.deadline, charges_from=action.deadline + ONE_DAY)
        for number in _covered(action, invoices, result, None):
            result[number] = term
    return result


def _letters_sent(
    actions: Iterable[Action], steps: Collection[Step], as_of: date
) -> Iterator[Action]:
    """Yield the letters of ``steps`` that really went out by ``as_of`` (not by phone), in the
    order they were sent."""
    for action in sorted(counted_actions(actions), key=lambda a: a.on):
        if action.step in steps and action.on <= as_of and action.channel is not Channel.PHONE:
            yield action


def _covered(
    action: Action,
    invoices: Sequence[Invoice],
    found: dict[str, LetterTerm],
    defaults: dict[str, LetterTerm] | None,
) -> Iterator[str]:
    """Yield the invoices a letter covers that have no letter in ``found`` yet: those it names
    (all when it names none) that were in default when it was sent (:func:`formal_notices`)."""
    covered = set(action.invoices)
    for inv in invoices:
        if inv.number in found or inv.is_credit_note or (covered and inv.number not in covered):
            continue
        if defaults is None:
            in_default = action.on > inv.due_date
        else:
            notice = defaults.get(inv.number)
            in_default = notice is not None and action.on > notice.last_day
        if in_default:
            yield inv.number


#: Letters whose reference covers all the invoices they list.
LETTER_STEPS = (
    Step.REMINDER,
    Step.BE_FIRST_REMINDER,
    Step.FOURTEEN_DAY_LETTER,
    Step.NOTICE_OF_DEFAULT,
    Step.PLAN,
)


def satisfied(term: LetterTerm, payments: Sequence[Payment]) -> bool:
    """Return True when the amount a letter claimed was paid from its date to its last day.

    Only money received counts: a refund to the customer in the term (a payment below zero)
    does not undo what the customer paid in time; the principal it takes back is owed again
    (:func:`_refund`), without the costs of this letter."""
    if term.amount_claimed <= 0:
        return False
    return received(payments, term.sent_on, term.last_day) >= term.amount_claimed


def received(payments: Sequence[Payment], first: date, last: date) -> Decimal:
    """Return the money received from ``first`` to ``last`` (both included): a refund to the
    customer (a payment below zero) undoes no payment of a letter's term (:func:`satisfied`,
    and the ladder's check of the last letter)."""
    return total(p.amount for p in payments if first <= p.on <= last and p.amount > 0)


def letter_group(
    named: str, day: date, actions: Sequence[Action], ledgers: dict, order: Sequence[Invoice]
) -> list[str]:
    """Return the invoices of the latest letter (on or before ``day``) that lists ``named``,
    oldest first, when ``named`` is the oldest of them (the letter prints its reference); just
    ``[named]`` otherwise.

    A payment that names a newer invoice of a letter (its own reference from the invoice, or
    its number) is the debtor's designation of that invoice (art. 6:43 lid 1 BW): it went to
    the letter's oldest invoice first, and left the invoice it named open (session 8)."""
    letters = [a for a in actions if a.step in LETTER_STEPS and a.on <= day and named in a.invoices]
    if not letters:
        return [named]
    latest = max(letters, key=lambda a: a.on)
    listed = set(latest.invoices)
    group = [i.number for i in order if i.number in listed and i.number in ledgers]
    return group if group and group[0] == named else [named]


def _spread(
    ledgers: dict[str, Ledger], targets: Sequence[str], day: date, amount: Decimal
) -> Decimal:
    """Pay ``amount`` on ``day`` to the invoices ``targets`` in order; return what is left."""
    rest = amount
    for n in targets:
        if rest <= 0:
            break
        ledger = ledgers[n]
        if not ledger.settled and ledger.owed(day) > 0:  # settled: owes nothing on ``day``
            rest = ledger.pay(day, rest)
    return rest


def _refund(
    ledgers: dict[str, Ledger],
    in_order: Sequence[str],
    day: date,
    amount: Decimal,
    credit: Decimal,
    taken_back: dict[int, Decimal],
) -> Decimal:
    """Pay ``amount`` back to the customer on ``day``; return the credit left.

    A refund comes off the customer's credit (what payments brought in beyond every invoice)
    first. What it takes beyond that credit was money the invoices were paid with: it is taken
    back from the latest payments first (of one day, from the invoice paid last), each payment
    as it was applied, its principal first, then its interest and costs, which are owed again
    from ``day`` (``taken_back``: what earlier refunds of the run took back per payment, by
    ``id``). So a credit that went to a later invoice (the engine pays an invoice entered after
    the overpayment with it) makes that invoice open again when the credit is refunded, and a
    refunded late payment reopens its own invoice's costs and interest. What is left after every
    payment is owed on the invoice paid last (with nothing paid yet, on the invoice a payment
    pays last: a refund of a payment a storno took back); only a customer without an invoice
    keeps a negative credit.
    """
    taken = min(amount, credit) if credit > 0 else ZERO
    rest = amount - taken
    if rest <= 0:
        return credit - taken
    place = {n: k for k, n in enumerate(in_order)}
    paid = sorted(
        (
            (a.on, place[n], k, n, a)
            for n, ledger in ledgers.items()
            for k, a in enumerate(ledger.allocations)
            if a.on <= day and a.amount > 0
        ),
        key=lambda t: t[:3],
        reverse=True,
    )
    last = None
    for *_, number, a in paid:
        ledger = ledgers[number]
        done = taken_back.get(id(a), ZERO)
        parts = []
        for applied, paid_so_far in (
            (a.to_principal, ledger.paid_principal),
            (a.to_interest, ledger.paid_interest),
            (a.to_costs, ledger.paid_costs),
        ):
            left = max(applied - done, ZERO)  # what earlier refunds left of this part
            done = max(done - applied, ZERO)
            back = min(rest, left, max(paid_so_far, ZERO))
            parts.append(back)
            rest -= back
        if any(parts):
            ledger.reopen(day, *parts)
            taken_back[id(a)] = taken_back.get(id(a), ZERO) + sum(parts, ZERO)
            last = number
        if rest <= 0:
            return credit - taken
    last = last or (paid[0][3] if paid else None) or (in_order[-1] if in_order else None)
    if last is None:
        return credit - taken - rest
    ledgers[last].reopen(day, rest)
    return credit - taken


@contextmanager
def _credited(ledgers: dict[str, Ledger], taken_back: dict[int, Decimal]) -> Iterator[None]:
    """Mark what a credit note pays on the invoices in the block as taken back already: a
    refund to the customer gives back money, and never reopens what the business credited
    (:func:`_refund`)."""
    before = {n: len(ledger.allocations) for n, ledger in ledgers.items()}
    yield
    for n, ledger in ledgers.items():
        for a in ledger.allocations[before[n] :]:
            taken_back[id(a)] = a.amount


def _whole_cents(amount: Decimal) -> list[Decimal]:
    """Return ``allocate_cents(amount, [weight])``: one share, whatever the weight."""
    return [Decimal(int((amount / CENT).to_integral_value())) * CENT]


def assess_debtor(
    debtor: Debtor,
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    actions: Sequence[Action],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    as_of: date,
) -> DebtorClaim:
    """Compute a debtor's claim at ``as_of``.

    Args:
      debtor: the customer.
      invoices: the customer's invoices (credit notes included, as negative amounts).
      payments: the customer's payments; those after ``as_of`` are not applied. Whether a
        letter's claimed amount was paid within its term (:func:`satisfied`) looks at every
        payment in that term, also one after ``as_of``: the bank import splits a payment on
        an earlier day as the assessment with all of them will (a workbook holds no payment
        after the peildatum: the reader refuses it).
      actions: the customer's Acties rows (formal letters start statutory terms); only the
        letters that went out count, from the day they went out (``rules.lifecycle``).
      creditor, settings, rates: the user's business, settings and rate tables.
      as_of: the peildatum.
    Returns:
      The claim per invoice and in total.
    """
    run = _run(debtor, invoices, payments, actions, creditor, settings, rates, as_of)
    rules, actions, real, ledgers = run.rules, run.actions, run.real, run.ledgers
    limitation_date, interruptions = rules.limitation_date, rules.interruptions
    vat_refund_date, starts, notices = rules.vat_refund_date, run.starts, run.notices
    descriptions, defaults = run.descriptions, run.defaults or {}
    claims = []
    for inv in real:
        number = inv.number
        st = ledgers[number].close(as_of)
        late = (as_of - inv.due_date).days if st.outstanding > 0 else 0
        described = descriptions[number]
        claims.append(
            InvoiceClaim(
                invoice=inv,
                statement=st,
                interest_start=starts[number],
                days_late=late if late > 0 else 0,
                limitation=limitation_date(
                    inv, debtor, settings, interruptions(inv, actions, settings)
                ),
                vat_refund=vat_refund_date(inv),
                notice=notices.get(number),
                cost_descriptions=tuple(dict.fromkeys(described)) if described else (),
                default_notice=defaults.get(number),
            )
        )
    return DebtorClaim(
        debtor=debtor, as_of=as_of, invoices=tuple(claims), unallocated=run.unallocated
    )


def owed_on(
    debtor: Debtor,
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    actions: Sequence[Action],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    day: date,
    only: Collection[str] | None = None,
) -> dict[str, Decimal]:
    """Return, per invoice, what a payment on ``day`` would have to cover: the ``outstanding``
    of :func:`assess_debtor` at ``day``, without the rest of the claim (no statements, no
    limitation dates). The bank import splits a payment over several invoices with it, once
    per customer and booking day (issue 17: the whole claim cost twice as much).

    ``only``: the invoices wanted (others are left out; a number that is no invoice the
    customer owes on is not in the result). Every ledger still runs, as payments spread over
    all of them; only the interest up to ``day`` is worked out for fewer (40 % of the time).
    """
    run = _run(debtor, invoices, payments, actions, creditor, settings, rates, day)
    ledgers = run.ledgers
    if only is None:
        return {number: ledger.owed(day) for number, ledger in ledgers.items()}
    return {number: ledgers[number].owed(day) for number in only if number in ledgers}


class CostsAhead(NamedTuple):
    """The costs a running formal letter's term makes due if it passes unpaid."""

    term: LetterTerm
    costs: Decimal


def costs_ahead(
    claim: DebtorClaim,
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    actions: Sequence[Action],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
) -> CostsAhead | None:
    """Return the term of a formal letter that still runs at ``claim.as_of`` and the costs it
    makes due on its ``charges_from`` day when nothing more is paid (as :func:`assess_debtor`
    charges them then), or None when no such term would charge anything.

    A payment plan agreed within that term does not stop it: unless what the letter asked is
    paid within the term (:func:`satisfied`), the costs are charged, and the instalments pay
    them first (art. 6:44 BW).
    """
    running = [
        c.notice
        for c in claim.invoices
        if c.notice is not None and c.notice.last_day >= claim.as_of and c.outstanding > 0
    ]
    if not running:
        return None
    term = min(running, key=lambda n: n.charges_from)
    later = assess_debtor(
        claim.debtor, invoices, payments, actions, creditor, settings, rates, term.charges_from
    )
    extra = total(c.costs for c in later.invoices) - total(c.costs for c in claim.invoices)
    return CostsAhead(term=term, costs=extra) if extra > 0 else None


class OpenAmount(NamedTuple):
    """What is open on one invoice at a day: the :class:`~.interest.Statement` values of
    :func:`assess_debtor`'s claim that a payment is matched against."""

    invoice: Invoice
    outstanding: Decimal
    principal_open: Decimal
    costs_open: Decimal


def open_amounts(
    debtor: Debtor,
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    actions: Sequence[Action],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    as_of: date,
) -> list[OpenAmount]:
    """Return what is open at ``as_of`` on each invoice with something outstanding, in the
    claim's order: the ``outstanding``, ``principal_open`` and ``costs_open`` of
    :func:`assess_debtor`'s statements, without the rest of the claim (no statements, terms or
    limitation dates). The bank import matches a large statement against these (issue 17: at
    50,000 invoices the claims cost twice as much).
    """
    run = _run(debtor, invoices, payments, actions, creditor, settings, rates, as_of)
    found = []
    for inv in run.real:
        ledger = run.ledgers[inv.number]
        outstanding = ledger.owed(as_of)
        if outstanding > 0:
            found.append(OpenAmount(inv, outstanding, ledger.principal_open, ledger.costs_open))
    return found


@dataclass(slots=True)
class _Run:
    """The ledgers of a debtor's invoices, run up to a day (what the claim is made from)."""

    rules: CountryRules
    actions: list[Action]
    real: list[Invoice]
    ledgers: dict[str, Ledger]
    starts: dict[str, date | None]
    notices: dict[str, LetterTerm]
    descriptions: dict[str, list[str]]
    unallocated: Decimal
    defaults: dict[str, LetterTerm] | None = None


def _credited_alone(invoice: Invoice) -> bool:
    """Return True for an invoice a credit note can lower: not a credit note, above zero."""
    return not invoice.is_credit_note and invoice.amount > 0


def unlinked_credit_notes(invoices: Sequence[Invoice]) -> list[tuple[Invoice, Invoice | None]]:
    """Return each credit note whose Crediteert factuur names no invoice it lowers.

    A credit note lowers the invoice of its own customer whose number is exactly the one it
    names (:func:`_run`); any other goes as a payment to the customer's oldest open invoice.
    This lists the credit notes that name a number (empty: meant so) and go that way.

    Args:
      invoices: every invoice and credit note of the book.
    Returns:
      ``(credit note, invoice)`` in sheet order: the invoice with that exact number (another
      customer's, a credit note, or not above zero), or None when no invoice has that number.
    """
    named = [i for i in invoices if i.is_credit_note and i.credits]
    if not named:
        return []
    by_number = {i.number: i for i in invoices}
    out: list[tuple[Invoice, Invoice | None]] = []
    for note in named:
        found = by_number.get(note.credits)
        if found is None or found.debtor != note.debtor or not _credited_alone(found):
            out.append((note, found))
    return out


def _run(
    debtor: Debtor,
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    actions: Sequence[Action],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    as_of: date,
) -> _Run:
    """Run a debtor's ledgers up to ``as_of``: interest, costs, credit notes and payments in
    date order (see the module docstring); the ledgers are not closed."""
    rules = rules_for(debtor, creditor)
    actions = counted_actions(actions)
    real = [i for i in invoices if _credited_alone(i)]
    credits = []
    corrected: dict[str, Decimal] = {}
    notes = [i for i in invoices if i.is_credit_note or i.amount < 0]
    numbers = {i.number for i in real} if notes else set()
    from_note = settings.credit_note_from == "creditnota"
    # (day, invoice, amount): with the setting "creditnota" a credit note that names its
    # invoice lowers that invoice from the credit note's own date on.
    later: list[tuple[date, str, Decimal]] = []
    for note in notes:
        if note.credits in numbers:
            # A credit note that names its invoice corrects that invoice from the start (the
            # default); what it credits beyond the invoice goes to the other invoices like a
            # payment.
            corrected[note.credits] = corrected.get(note.credits, ZERO) - note.amount
            if from_note:
                later.append((note.invoice_date, note.credits, -note.amount))
        else:
            credits.append((note.invoice_date, -note.amount, note.number))
    full: dict[str, Decimal] = {}
    for k, inv in enumerate(real) if corrected else ():
        if inv.number in corrected:
            lower = min(corrected[inv.number], inv.amount)
            rest = corrected[inv.number] - lower
            full[inv.number] = inv.amount
            real[k] = replace(inv, amount=inv.amount - lower)
            if rest > 0 and not from_note:
                credits.append((inv.invoice_date, rest, ""))
    defaults = default_notices(debtor, real, actions, settings, as_of, creditor)
    notices = formal_notices(debtor, real, actions, settings, as_of, creditor, defaults)
    schedule = rules.interest_schedule(debtor, creditor, settings, rates)
    ledgers: dict[str, Ledger] = {}
    starts: dict[str, date | None] = {}
    consumer = debtor.kind is DebtorKind.CONSUMER
    interest_start, compound = rules.interest_start, rules.COMPOUND
    day_count, feb29 = settings.day_count, settings.feb29_anniversary
    for inv in real:
        notice = notices.get(inv.number)
        # Paid what the formal letter asked within its term: the rules say what that saves.
        paid = consumer and notice is not None and satisfied(notice, payments)
        # interest follows the letter that put the debtor in default, where one does
        begins = notice if defaults is None else defaults.get(inv.number)
        start = interest_start(inv, debtor, creditor, settings, begins, notice_paid=paid)
        starts[inv.number] = start
        ledgers[inv.number] = Ledger(
            full.get(inv.number, inv.amount) if from_note else inv.amount,
            start if start is not None else inv.due_date,
            schedule if start is not None else None,
            compound,
            day_count,
            feb29,
        )
    descriptions: dict[str, list[str]] = {n: [] for n in ledgers}
    order = sorted(real, key=lambda i: (i.due_date, i.invoice_date, i.number))
    in_order = [i.number for i in order]
    events: list[tuple[date, int, int, object]] = []
    for k, rule in enumerate(rules.cost_rules(real, debtor, creditor, settings, notices)):
        events.append((rule.on, 0, k, rule))
    for k, (day, number, amount) in enumerate(later):
        events.append((day, 1, k, (day, number, amount)))
    pays = [(p.on, p.amount, p.invoice) for p in payments] + [(d, a, "") for d, a, _ in credits]
    for k, pay in enumerate(pays):
        # a refund to the customer (below zero) after the payments of its day
        events.append((pay[0], 2 if pay[1] > 0 else 3, k, pay))
    unallocated = ZERO
    taken_back: dict[int, Decimal] = {}  # what refunds took back per payment (_refund)
    # (day, kind, number within its kind) is unique: the items themselves are never compared
    paid_in = len(payments)  # the items of ``pays`` from there on are credit notes
    for on, kind, k, item in sorted(events):
        if on > as_of:
            continue
        if kind == 0:
            rule = item
            numbers = [n for n in rule.invoices if n in ledgers]  # type: ignore[attr-defined]
            for n in numbers:
                ledgers[n].advance(on - ONE_DAY)
            bases = [ledgers[n].principal_open for n in numbers]
            term = rule.term  # type: ignore[attr-defined]
            if term is not None and (
                satisfied(term, payments) or total(bases) <= settings.small_balance
            ):
                # The letter was not "vruchteloos": what it asked was paid within its term.
                continue
            amount = rule.amount(total(bases))  # type: ignore[attr-defined]
            shares = _whole_cents(amount) if len(numbers) == 1 else allocate_cents(amount, bases)
            for n, share in zip(numbers, shares, strict=True):
                if share > 0:
                    ledgers[n].charge(on, share, rule.description)  # type: ignore[attr-defined]
                    descriptions[n].append(rule.description)  # type: ignore[attr-defined]
        elif kind == 1:
            day, number, amount = item  # type: ignore[misc]
            rest = ledgers[number].credit(day, amount)
            if rest > 0:  # credited beyond the invoice: to the other invoices, like a payment
                others = [i.number for i in order if i.number != number]
                with _credited(ledgers, taken_back):
                    unallocated += _spread(ledgers, others, day, rest)
        elif kind == 2:
            day, amount, named = item  # type: ignore[misc]
            targets = list(in_order)
            if named in ledgers:
                # The reference of a letter names its oldest invoice: the payment goes to the
                # invoices of that letter first (the debtor's designation, art. 6:43 BW).
                for n in reversed(letter_group(named, day, actions, ledgers, order)):
                    targets.remove(n)
                    targets.insert(0, n)
            if k < paid_in:
                unallocated += _spread(ledgers, targets, day, amount)
            else:
                with _credited(ledgers, taken_back):
                    unallocated += _spread(ledgers, targets, day, amount)
        else:
            day, amount, _ = item  # type: ignore[misc]
            unallocated = _refund(ledgers, in_order, day, -amount, unallocated, taken_back)
    return _Run(rules, actions, real, ledgers, starts, notices, descriptions, unallocated, defaults)
