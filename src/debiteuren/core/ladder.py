"""The ladder: which step is next for each invoice, and from which day it may be taken.

Per regime (the debtor's country and kind) the steps are (the country rules' ``ladder``)::

    NL consumer:  herinnering -> telefoon -> 14-dagenbrief     -> overdracht
    NL business:  herinnering -> telefoon -> ingebrekestelling -> overdracht   (letter "aanmaning")
    BE consumer:  eerste herinnering (Book XIX, free) -> telefoon -> ingebrekestelling -> overdracht
    BE business:  herinnering -> telefoon -> ingebrekestelling -> overdracht

The phone step is skipped for a debtor without a phone number. Nothing is sent for a paid,
disputed, paused or handed-over invoice, nor while a payment plan is kept or a promise to pay
runs; a missed instalment or a broken promise resumes the ladder where it stood. Delays between
steps are settings. The formal demand waits for the reminder's term; the hand-over waits for the
formal letter's term (NL consumer: 14 days from the day after receipt, art. 6:96 lid 6 BW).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from .claim import DebtorClaim, InvoiceClaim, received
from .model import (
    Action,
    Creditor,
    Debtor,
    Payment,
    PlanInstalment,
    Settings,
    Step,
    quick_init,
)
from .money import CENT, ZERO, Decimal
from .rules import rules_for
from .rules.lifecycle import counted_actions, letter_days, unsent_letters

__all__ = [
    "DEBTOR_LETTERS",
    "LETTER_STEPS",
    "InvoiceStage",
    "Readiness",
    "Stage",
    "handover_readiness",
    "ladder_for",
    "letters_due",
    "plan_debtor",
    "plan_status",
    "waiting_drafts",
]

ONE_DAY = timedelta(days=1)

#: Steps that produce a letter (the phone step produces a call list entry).
LETTER_STEPS = (
    Step.REMINDER,
    Step.BE_FIRST_REMINDER,
    Step.FOURTEEN_DAY_LETTER,
    Step.NOTICE_OF_DEFAULT,
    Step.HANDOVER,
)


class Stage(StrEnum):
    """The Fase column: where an invoice stands (Dutch, shown in the workbook)."""

    NOT_DUE = "Niet vervallen"
    OVERDUE = "Vervallen"
    REMINDED = "Herinnerd"
    CALLED = "Gebeld"
    DEMANDED = "Aangemaand"
    HANDED_OVER = "Uit handen"
    PAID = "Betaald"
    DISPUTED = "Betwist"
    PAUSED = "Gepauzeerd"
    PROMISED = "Betaalbelofte"
    PLAN = "Regeling"


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceStage:
    """The ladder position of one invoice.

    Attributes:
      stage: the Fase.
      next_step: the next step, or None when nothing is to be done.
      next_on: the first day the next step may be taken (Per), or None.
      reason: a Dutch sentence explaining the position (shown in letters' preview and logs).
      last_action: the last ladder step that went out, if any (dated the day it was sent).
      ladder_step, ladder_on: where the ladder stands for this invoice when nothing holds it
        (a pause, a promise, a payment plan, a letter waiting to be sent): the next step and
        its first day. Tells when a held invoice becomes ready for the hand-over.
    """

    invoice: str
    stage: Stage
    next_step: Step | None
    next_on: date | None
    reason: str
    last_action: Action | None = None
    ladder_step: Step | None = None
    ladder_on: date | None = None


def ladder_for(debtor: Debtor, creditor: Creditor | None = None) -> tuple[Step, ...]:
    """Return the ladder of steps for ``debtor`` (the phone step only with a phone number).

    ``creditor``: the user's business, whose country is the law of a business abroad.
    """
    steps = rules_for(debtor, creditor).ladder(debtor.kind)
    if debtor.phone.strip():
        return steps
    return tuple(s for s in steps if s is not Step.CALL)


def _covers(action: Action, number: str) -> bool:
    return not action.invoices or number in action.invoices


def plan_status(
    instalments: Sequence[PlanInstalment],
    payments: Sequence[Payment],
    as_of: date,
    started_on: date | None = None,
) -> tuple[bool, str]:
    """Return (kept, reason) for a debtor's payment plan at ``as_of``.

    Every instalment due before ``as_of`` must be covered, cumulatively, by the payments made
    from the start of the plan up to and including its due date.
    """
    if not instalments:
        return True, ""
    ordered = sorted(instalments, key=lambda i: i.due_date)
    start = started_on or ordered[0].due_date - timedelta(days=31)
    counted = sorted((p for p in payments if p.on >= start), key=lambda p: p.on)
    due_total = ZERO
    for inst in ordered:
        if inst.due_date >= as_of:
            break
        due_total += inst.amount
        paid: Decimal = sum((p.amount for p in counted if p.on <= inst.due_date), ZERO)
        if paid < due_total:
            return False, (
                f"termijn {inst.number} van de betalingsregeling (vervallen op "
                f"{inst.due_date:%d-%m-%Y}) is niet op tijd betaald"
            )
    return True, "de betalingsregeling wordt nagekomen"


def _next_on(
    step: Step,
    claim: InvoiceClaim,
    last: Action | None,
    debtor: Debtor,
    settings: Settings,
    creditor: Creditor | None = None,
) -> date:
    """Return the first day ``step`` may be taken after the ``last`` action."""
    due = claim.invoice.due_date
    if last is None:  # the rules only for "Herinnering na (dagen)" 0 (most invoices: issue 17)
        first = due + timedelta(days=settings.reminder_after_days)
        if first <= due and step in rules_for(debtor, creditor).default_notice_steps(
            debtor, settings
        ):
            first = due + ONE_DAY  # a notice of default counts only after the due date
        return first
    rules = rules_for(debtor, creditor)
    term_end = last.deadline
    if last.step is rules.formal_letter(debtor.kind):
        term = rules.letter_term(last.on, last.channel, settings, last.received_on)
        term_end = term.last_day
    earliest = last.on
    if step is Step.CALL:
        earliest = last.on + timedelta(days=settings.call_after_days)
    elif step is Step.HANDOVER:
        earliest = last.on + timedelta(days=settings.handover_after_days)
    else:
        earliest = last.on + timedelta(days=settings.demand_after_days)
    if term_end is not None:
        earliest = max(earliest, term_end + ONE_DAY)
    notice = claim.default_notice  # only where a notice, not the due date, puts in default
    if notice is not None and step is rules.formal_letter(debtor.kind):
        # after the notice of default's term: only then does the formal letter count
        earliest = max(earliest, notice.charges_from)
    return earliest


#: The Fase of an invoice whose last ladder step was this one (None: no step yet).
_STAGE_AFTER: dict[Step | None, Stage] = {
    None: Stage.OVERDUE,
    Step.REMINDER: Stage.REMINDED,
    Step.BE_FIRST_REMINDER: Stage.REMINDED,
    Step.CALL: Stage.CALLED,
    Step.FOURTEEN_DAY_LETTER: Stage.DEMANDED,
    Step.NOTICE_OF_DEFAULT: Stage.DEMANDED,
}


def _letter_paid(last: Action | None, payments: Sequence[Payment], settings: Settings) -> bool:
    """Return True when the amount the last letter claimed was paid within its term."""
    if last is None or last.amount_claimed <= 0 or last.step not in LETTER_STEPS:
        return False
    until = last.deadline or last.on + timedelta(days=settings.letter_term_days)
    return received(payments, last.on, until) >= last.amount_claimed


def _interest_after(c: InvoiceClaim, day: date) -> Decimal:
    """Return the interest that ran on an invoice after ``day`` up to the peildatum: the exact
    interest of its runs, the part after ``day`` of a run across it."""
    after = ZERO
    for run in c.statement.periods if c.statement.segments is not None else ():
        if run.end > day:
            days = (run.end - max(run.start, day + ONE_DAY)).days + 1
            after += run.exact * days / run.days
    return after


def _only_later_interest(last: Action, claim: DebtorClaim) -> bool:
    """Return True when what stays open on the invoices of ``last`` (a letter whose amount
    was paid in its term) is no more than the interest that ran on them after its day.

    The payment went to that interest first (art. 6:44 BW, art. 5.210 BW), so what stays open
    is principal; it is the interest of the days after the letter all the same. A refund or a
    cost charged after the letter leaves more open: that is owed."""
    mine = [c for c in claim.invoices if _covers(last, c.invoice.number)]
    left = sum((c.outstanding for c in mine), ZERO)
    later = sum((_interest_after(c, last.on) for c in mine), ZERO)
    return left <= later + CENT * len(mine)  # each invoice's interest is rounded to cents


def plan_debtor(
    claim: DebtorClaim,
    actions: Sequence[Action],
    instalments: Sequence[PlanInstalment],
    payments: Sequence[Payment],
    settings: Settings,
    as_of: date,
    creditor: Creditor | None = None,
    withheld: Collection[Step] = (),
) -> dict[str, InvoiceStage]:
    """Return the ladder position of every invoice of one debtor at ``as_of``.

    Only letters that went out count, from the day they went out
    (:func:`~.rules.lifecycle.counted_actions`). A letter that was made and not yet sent (a
    draft) holds the invoices it names: no new letter for them until it is marked sent or
    cancelled. At most one letter goes to a debtor per day: when invoices stand at different
    letter steps on the same day, the strongest step goes and the milder one waits a day, and
    nothing more goes on a day a letter was already made for the debtor.

    Args:
      claim: the debtor's claim at ``as_of`` (tells what is paid).
      actions: the debtor's Acties rows (letters, calls, promises, disputes, hand-overs).
      instalments: the debtor's payment plan, if any.
      payments: the debtor's payments (to check the plan).
      creditor: the user's business (its country is the law of a business abroad).
      withheld: letter steps that will not go out today although due (a formal letter held
        for an unconfirmed rate): the strongest step among the others goes instead, so a
        milder letter does not wait behind a letter that is not made.
    """
    debtor = claim.debtor
    ladder = ladder_for(debtor, creditor)
    rules = rules_for(debtor, creditor)
    formal = rules.formal_letter(debtor.kind)
    # the letters that put the debtor in default, when the due date does not
    notices = rules.default_notice_steps(debtor, settings)
    past = sorted((a for a in counted_actions(actions) if a.on <= as_of), key=lambda a: a.on)
    drafts = [a for a in unsent_letters(actions) if a.on <= as_of and a.step in LETTER_STEPS]
    plan_action = next((a for a in reversed(past) if a.step is Step.PLAN), None)
    plan_kept, plan_reason = plan_status(
        instalments, payments, as_of, plan_action.on if plan_action else None
    )
    # The plan covers the invoices its Acties row names (all when it names none) and ends
    # when every instalment is paid; later invoices follow the ladder as usual.
    plan_invoices = set(plan_action.invoices) if plan_action and plan_action.invoices else None
    plan_running = bool(instalments) and sum(
        (p.amount for p in payments if plan_action is None or p.on >= plan_action.on), ZERO
    ) < sum((i.amount for i in instalments), ZERO)
    result: dict[str, InvoiceStage] = {}

    # The stage of the invoice at hand (made once, not once per invoice: issue 17).
    def stage(s: Stage, next_step: Step | None, next_on: date | None, why: str) -> InvoiceStage:
        return InvoiceStage(
            invoice=number,
            stage=s,
            next_step=next_step,
            next_on=next_on,
            reason=why,
            last_action=last,
            ladder_step=step,
            ladder_on=on,
        )

    for c in claim.invoices:
        number = c.invoice.number
        outstanding = c.outstanding
        is_paid = outstanding <= 0
        mine = [a for a in past if _covers(a, number)] if past else []
        taken = [a for a in mine if a.step in ladder] if mine else []
        last = max(taken, key=lambda a: (ladder.index(a.step), a.on)) if taken else None
        handed = debtor.handed_over or (last is not None and last.step is Step.HANDOVER)

        # Where the ladder stands, before anything holds it (a pause, a promise, a plan).
        if handed or is_paid:
            step, on = None, None
        elif c.invoice.due_date >= as_of and last is None:
            step, on = ladder[0], _next_on(ladder[0], c, None, debtor, settings, creditor)
        else:
            position = -1 if last is None else ladder.index(last.step)
            if last is not None and last.step is formal and c.notice is None:
                # a formal letter that does not count (sent before default, or it was the
                # notice of default itself): only a new one can make the costs due
                position -= 1
            step = ladder[position + 1] if position + 1 < len(ladder) else None
            if step is formal and c.default_notice is None and notices:
                # not in default yet (no written notice went out after the due date: the
                # reminder was a call, or went before or on that day): a formal letter would
                # say so and could not make the costs due; the written notice comes first
                step = next((s for s in ladder if s in notices), step)
            on = _next_on(step, c, last, debtor, settings, creditor) if step is not None else None

        if is_paid:
            result[number] = stage(Stage.PAID, None, None, "betaald")
            continue
        if outstanding <= settings.small_balance:
            result[number] = stage(
                Stage.PAID,
                None,
                None,
                f"betaald; het restant van {outstanding} valt onder de "
                "drempel 'Restbedrag dat als betaald geldt'",
            )
            continue
        if (
            last is not None
            and _letter_paid(last, payments, settings)
            and (c.principal_open <= 0 or _only_later_interest(last, claim))
        ):
            result[number] = stage(
                Stage.PAID,
                None,
                None,
                "betaald wat de laatste brief vroeg, binnen de termijn; "
                "de rente daarna wordt niet gevorderd",
            )
            continue
        if handed:
            result[number] = stage(Stage.HANDED_OVER, None, None, "uit handen gegeven")
            continue
        if c.invoice.disputed:  # the Betwist column decides; Acties keeps the history
            result[number] = stage(
                Stage.DISPUTED, None, None, "betwist: eerst het geschil oplossen"
            )
            continue
        if c.invoice.paused_until is not None and c.invoice.paused_until >= as_of:
            resume = c.invoice.paused_until + ONE_DAY
            result[number] = stage(
                Stage.PAUSED,
                None,
                resume,
                f"gepauzeerd tot en met {c.invoice.paused_until:%d-%m-%Y}",
            )
            continue
        in_plan = plan_running and (plan_invoices is None or number in plan_invoices)
        if in_plan and plan_kept:
            result[number] = stage(Stage.PLAN, None, None, plan_reason)
            continue
        promises = (
            [a for a in mine if a.step is Step.PROMISE and a.promised_on is not None]
            if mine
            else []
        )
        if promises:
            promise = promises[-1]
            if promise.promised_on >= as_of:  # type: ignore[operator]
                result[number] = stage(
                    Stage.PROMISED,
                    None,
                    promise.promised_on + ONE_DAY,  # type: ignore[operator]
                    f"betaalbelofte voor {promise.promised_on:%d-%m-%Y}",
                )
                continue
        current = _STAGE_AFTER[None if last is None else last.step]
        waiting = [a for a in drafts if _covers(a, number)] if drafts else []
        if waiting:
            draft = max(waiting, key=lambda a: a.on)
            result[number] = stage(
                current,
                draft.step,
                None,
                f"de {draft.step.value} van {draft.on:%d-%m-%Y} is gemaakt maar nog niet "
                "verzonden; zet hem op verzonden (debiteuren verzonden) of op geannuleerd",
            )
            continue
        if c.invoice.due_date >= as_of and last is None:
            result[number] = stage(
                Stage.NOT_DUE, step, on, f"vervalt op {c.invoice.due_date:%d-%m-%Y}"
            )
            continue
        if step is None:
            result[number] = stage(Stage.HANDED_OVER, None, None, "uit handen gegeven")
            continue
        if promises and promises[-1].promised_on < as_of:  # type: ignore[operator]
            on = max(on, promises[-1].promised_on + ONE_DAY)  # type: ignore[operator,type-var]
            why = f"betaalbelofte van {promises[-1].promised_on:%d-%m-%Y} niet nagekomen"
        elif in_plan and not plan_kept:
            why = plan_reason
        else:
            why = f"{c.days_late} dagen te laat"
        result[number] = stage(current, step, on, why)
    return _one_letter_a_day(result, actions, drafts, ladder, as_of, withheld)


#: The letters ``brieven`` sends to the debtor (the hand-over letter goes to the agency).
DEBTOR_LETTERS = (
    Step.REMINDER,
    Step.BE_FIRST_REMINDER,
    Step.FOURTEEN_DAY_LETTER,
    Step.NOTICE_OF_DEFAULT,
)


def waiting_drafts(actions: Iterable[Action], as_of: date) -> list[Action]:
    """Return the letters to debtors made on or before ``as_of`` and not sent yet (drafts):
    while one waits, :func:`plan_debtor` makes no new letter for its debtor."""
    return [a for a in unsent_letters(actions) if a.on <= as_of and a.step in DEBTOR_LETTERS]


def _one_letter_a_day(
    stages: dict[str, InvoiceStage],
    actions: Sequence[Action],
    drafts: Sequence[Action],
    ladder: tuple[Step, ...],
    as_of: date,
    withheld: Collection[Step] = (),
) -> dict[str, InvoiceStage]:
    """Hold back letters so that a debtor gets one letter at a time, at most one a day.

    While a letter to the debtor waits to be sent (a draft), no other letter is made for the
    debtor: it would reach the debtor with a second, different total. A letter already made or
    sent to the debtor that day holds every other letter until the next day; otherwise, when
    invoices stand at different letter steps, the strongest step goes and the milder ones wait
    a day. Two letters with two different totals on one day would contradict each other.
    A ``withheld`` step is not made today, so it holds nothing back: the strongest of the
    other steps goes.
    """
    due = {
        n: st
        for n, st in stages.items()
        if st.next_step in DEBTOR_LETTERS and st.next_on is not None and st.next_on <= as_of
    }
    if not due:
        return stages
    tomorrow = as_of + ONE_DAY

    def hold_all(next_on: date | None, why: str) -> dict[str, InvoiceStage]:
        held = {
            n: replace(st, next_on=next_on, reason=f"{why} ({st.reason})") for n, st in due.items()
        }
        return {**stages, **held}

    waiting = [a for a in drafts if a.step in DEBTOR_LETTERS]
    if waiting:
        draft = max(waiting, key=lambda a: a.on)
        return hold_all(
            None,
            f"de {draft.step.value} van {draft.on:%d-%m-%Y} aan deze klant is nog niet "
            "verzonden; eerst die brief",
        )
    today = [
        a for a in actions if a.step in (*DEBTOR_LETTERS, Step.PLAN) and as_of in letter_days(a)
    ]
    if today:
        return hold_all(
            tomorrow,
            f"vandaag is al een {today[0].step.value} voor deze klant gemaakt; niet twee "
            "brieven op één dag",
        )
    out = dict(stages)
    going = [st.next_step for st in due.values() if st.next_step not in withheld]
    if not going:
        return stages
    strongest = max(going, key=ladder.index)  # type: ignore[arg-type]
    for n, st in due.items():
        if st.next_step is not strongest and st.next_step not in withheld:
            out[n] = replace(
                st,
                next_on=tomorrow,
                reason=f"vandaag gaat de {strongest.value} naar deze klant; de "
                f"{st.next_step.value} volgt een dag later, niet twee brieven op één dag",  # type: ignore[union-attr]
            )
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Readiness:
    """Whether an invoice may be handed over at a date; if not, why and from when.

    Attributes:
      ready: the ladder stands at the hand-over and its day has come.
      reason: a Dutch phrase: why the invoice is not ready (empty when ready).
      ready_on: the day it becomes ready, when the ladder knows it (a running term, a pause).
      forcible: the only obstacle is the ladder's timing (a term that runs, an earlier step, a
        letter not yet sent); ``overdracht --toch`` may hand it over anyway. A paid, disputed,
        paused, promised or planned invoice is never handed over.
    """

    invoice: str
    ready: bool
    reason: str = ""
    ready_on: date | None = None
    forcible: bool = False


def handover_readiness(stage: InvoiceStage, as_of: date) -> Readiness:
    """Return whether an invoice may be handed over at ``as_of`` (the ladder's own rule).

    An invoice is ready when the ladder's next step is the hand-over and its day has come: the
    last formal letter's term, counted from the day it was sent, has ended (and the setting
    "Overdracht na (dagen)" has passed). ``bijwerken`` shows the same step and day in the
    columns Volgende stap and Per, and ``overdracht`` hands over only what this function calls
    ready.

    Args:
      stage: the invoice's ladder position (:func:`plan_debtor`).
      as_of: the day of the hand-over.
    """
    number = stage.invoice

    def held(reason: str) -> Readiness:
        ready_on = None
        if stage.ladder_step is Step.HANDOVER and stage.ladder_on is not None:
            ready_on = max(stage.ladder_on, stage.next_on or stage.ladder_on)
        return Readiness(invoice=number, ready=False, reason=reason, ready_on=ready_on)

    if stage.stage is Stage.PAID:
        return Readiness(invoice=number, ready=False, reason=stage.reason)
    if stage.stage is Stage.HANDED_OVER:
        return Readiness(invoice=number, ready=False, reason="al uit handen gegeven")
    if stage.stage is Stage.DISPUTED:
        return Readiness(
            invoice=number,
            ready=False,
            reason="betwist (kolom Betwist op het blad Facturen): eerst het geschil oplossen",
        )
    if stage.stage in (Stage.PAUSED, Stage.PROMISED, Stage.PLAN):
        return held(stage.reason)
    if stage.stage is Stage.NOT_DUE:
        return Readiness(invoice=number, ready=False, reason=stage.reason)
    if stage.next_step is Step.HANDOVER and stage.next_on is not None:
        if stage.next_on <= as_of:
            return Readiness(invoice=number, ready=True, ready_on=stage.next_on)
        last = stage.last_action
        after = (
            f"de termijn van de {last.step.value} van {last.on:%d-%m-%Y} loopt nog"
            if last is not None
            else "de termijn loopt nog"
        )
        return Readiness(
            invoice=number,
            ready=False,
            reason=f"{after}; overdracht kan vanaf {stage.next_on:%d-%m-%Y}",
            ready_on=stage.next_on,
            forcible=True,
        )
    if stage.next_step is not None and stage.next_on is None:
        return Readiness(invoice=number, ready=False, reason=stage.reason, forcible=True)
    step = stage.next_step.value if stage.next_step is not None else "een eerdere stap"
    when = f" (vanaf {stage.next_on:%d-%m-%Y})" if stage.next_on is not None else ""
    return Readiness(
        invoice=number,
        ready=False,
        reason=f"de ladder staat nog op {step}{when}; eerst die stap en de termijn daarvan",
        forcible=True,
    )


def letters_due(
    stages: dict[str, InvoiceStage], as_of: date, only: Step | None = None
) -> dict[Step, list[str]]:
    """Group the invoices whose next step is due on ``as_of`` by step (one letter per step).

    Args:
      only: restrict to one step.
    Returns:
      step -> invoice numbers, for letter steps and the phone step.
    """
    groups: dict[Step, list[str]] = {}
    for number, st in stages.items():
        if st.next_step is None or st.next_on is None or st.next_on > as_of:
            continue
        if only is not None and st.next_step is not only:
            continue
        groups.setdefault(st.next_step, []).append(number)
    return groups
