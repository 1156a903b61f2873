"""Which letters a run makes, and what each one is about: the ladder's letters as data.

Pure: the assessment and the Acties log in, the letters to make out. ``brieven`` (the use case)
turns each :class:`LetterTask` into a :class:`LetterPlan` (what the letter says), renders it,
and logs it; a :class:`LetterFile` is a letter made, with its files and whether it went out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .book import Assessment
from .claim import FORMAL_STEPS, DebtorClaim
from .ladder import letters_due, plan_debtor, plan_status
from .model import (
    Action,
    Channel,
    Creditor,
    Debtor,
    LetterState,
    Payment,
    PlanInstalment,
    Settings,
    Step,
)
from .money import ZERO, Decimal
from .rate_watch import carried_quoted, unconfirmed_quoted
from .rates import RateBook, RateRow
from .rules import CountryRules, rules_for
from .rules.lifecycle import counted_actions, counts_from

__all__ = [
    "FORMAL",
    "PRODUCED",
    "RATE_CHECKED",
    "STEP_GROUPS",
    "Call",
    "LetterFile",
    "LetterPlan",
    "LetterTask",
    "call_for",
    "carried_rates",
    "choose_channel",
    "derived_deadlines",
    "last_letter",
    "letter_deadline",
    "logged_deadline",
    "plan_broken",
    "plan_letters",
    "previous_letter",
    "released_by_held",
    "sent_on_day",
    "unconfirmed_rates",
]

#: ``--stap`` words -> ladder steps.
STEP_GROUPS: dict[str, tuple[Step, ...]] = {
    "herinnering": (Step.REMINDER, Step.BE_FIRST_REMINDER),
    "aanmaning": (Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT),
    "telefoon": (Step.CALL,),
    "14-dagenbrief": (Step.FOURTEEN_DAY_LETTER,),
    "eerste-herinnering": (Step.BE_FIRST_REMINDER,),
    "ingebrekestelling": (Step.NOTICE_OF_DEFAULT,),
}

#: Letters that the ladder produces here (the hand-over has its own command).
PRODUCED = (Step.REMINDER, Step.BE_FIRST_REMINDER, Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT)

#: Formal letters go by post unless the user says otherwise (proof of receipt, nl.md §4.4).
FORMAL = (Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT)

#: Letters that state legal facts (a term, costs, interest) and are held when a rate they
#: state is not confirmed; a reminder gets a warning instead.
RATE_CHECKED = (Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT, Step.BE_FIRST_REMINDER)


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterPlan:
    """What one letter is about: a debtor, a step, the invoices, when and how it is sent."""

    claim: DebtorClaim
    step: Step
    invoices: tuple[str, ...]
    sent_on: date
    channel: Channel = Channel.POST
    language: str = "nl"
    reference_stored: dict[str, str] | None = None
    handover_to: str = ""
    handover_address: tuple[str, str, str, str, str] = ("", "", "", "", "")
    handover_history: tuple[tuple[date, str], ...] = ()
    #: (invoices whose copy is enclosed, invoices without a copy, number of letters enclosed).
    handover_enclosures: tuple[tuple[str, ...], tuple[str, ...], int] = ((), (), 0)
    #: The days of the letters sent of which no copy is enclosed (no file, or not found).
    handover_letters_missing: tuple[date, ...] = ()
    instalments: tuple[PlanInstalment, ...] = ()
    previous_on: date | None = None
    plan_broken: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterTask:
    """A letter (or a call) to make in this run.

    Attributes:
      previous: the day the last letter to the debtor went out before this one, if any.
      file: with ``again``, the file its Acties row names (the letter goes back there); "".
    """

    debtor: Debtor
    step: Step
    invoices: tuple[str, ...]
    channel: Channel
    previous: date | None = None
    file: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterFile:
    """One produced letter.

    Attributes:
      state: what its Acties row says: concept (made, not sent), verzonden or mislukt.
      sent: the mail server accepted it (``--verstuur``).
      error: why it was not sent (a Dutch sentence quoting the server's reply).
      print_file: the print file that holds it (letters that go by post).
      instead_of_email: a posted copy of an e-mail the server refused.
      refused: sent by e-mail, but the server refused some of its addresses (a Dutch sentence).
    """

    debtor: Debtor
    step: Step
    invoices: tuple[str, ...]
    channel: Channel
    amount: Decimal
    deadline: date | None
    docx: Path | None = None
    pdf: Path | None = None
    eml: Path | None = None
    sent: bool = False
    error: str = ""
    state: LetterState = LetterState.DRAFT
    print_file: Path | None = None
    instead_of_email: bool = False
    refused: str = ""


def choose_channel(step: Step, debtor: Debtor, wanted: str) -> Channel:
    """Return how a letter goes out: ``wanted`` (``post``, ``aangetekend``, ``e-mail``), or with
    ``auto`` e-mail for a reminder to a debtor with an address and post for a formal letter."""
    if wanted == "post":
        return Channel.POST
    if wanted == "aangetekend":
        return Channel.REGISTERED
    if wanted == "e-mail":
        return Channel.EMAIL if debtor.email else Channel.POST
    if step in FORMAL or not debtor.email:
        return Channel.POST
    return Channel.EMAIL


def letter_deadline(
    step: Step,
    sent_on: date,
    channel: Channel,
    settings: Settings,
    rules: CountryRules,
    received_on: date | None = None,
) -> date | None:
    """Return the last day of a letter's term when it goes out on ``sent_on`` by ``channel``.

    A formal letter (14-dagenbrief, BE first reminder) has the statutory term of the debtor's
    ``rules``, counted from ``received_on`` (Ontvangen op) where the rules count it from
    receipt and it is known, else from the presumed day of receipt; any other letter states
    its last day, the setting "Termijn brief (dagen)" after sending. A payment plan's
    confirmation gives no term: None (its Acties row keeps the first instalment's day).
    """
    if step is Step.PLAN:
        return None
    if step in FORMAL_STEPS:
        return rules.letter_term(sent_on, channel, settings, received_on).last_day
    return sent_on + timedelta(days=settings.letter_term_days)


def logged_deadline(action: Action, settings: Settings, rules: CountryRules) -> date | None:
    """Return the "Termijn tot" a formal letter's Acties row should show, or None to keep it.

    Termijn tot of a formal letter is derived: the law's term from the day the letter went out,
    or from Ontvangen op when the user filled it in (:func:`letter_deadline`). It is derived for
    a formal letter that went out (:func:`~.rules.lifecycle.counts_from`) and that debiteuren
    made or marked (a Status) or whose receipt the user stated; a row the user typed without
    either keeps what it says, as does every other letter (its last day is the day it states).
    """
    if action.step not in FORMAL_STEPS or (action.state is None and action.received_on is None):
        return None
    sent_on = counts_from(action)
    if sent_on is None:
        return None
    return letter_deadline(
        action.step, sent_on, action.channel, settings, rules, action.received_on
    )


def derived_deadlines(
    actions: Sequence[Action],
    debtors: Mapping[str, Debtor],
    creditor: Creditor,
    settings: Settings,
) -> dict[int, date]:
    """Return index in ``actions`` -> the Termijn tot its row should show, for every formal
    letter whose row shows another day (:func:`logged_deadline`); usually empty."""
    out = {}
    for k, action in enumerate(actions):
        if action.step not in FORMAL_STEPS:
            continue
        debtor = debtors.get(action.debtor)
        if debtor is None:
            continue
        day = logged_deadline(action, settings, rules_for(debtor, creditor))
        if day is not None and day != action.deadline:
            out[k] = day
    return out


def previous_letter(actions: Sequence[Action], debtor: str, as_of: date) -> date | None:
    """Return the day the last letter to ``debtor`` went out before ``as_of`` (the letters'
    "op … stuurden wij u"), or None."""
    sent = counted_actions(a for a in actions if a.debtor == debtor and a.on <= as_of)
    return max((a.on for a in sent if a.step in PRODUCED and a.on < as_of), default=None)


def plan_letters(
    assessment: Assessment,
    debtors: Mapping[str, Debtor],
    actions: Sequence[Action],
    as_of: date,
    *,
    steps: tuple[Step, ...] | None = None,
    customer: str | None = None,
    again: bool = False,
    channel: str = "auto",
) -> list[LetterTask]:
    """Return the letters and calls due at ``as_of``, per debtor in number order.

    Args:
      steps: only these steps (``--stap``); None for every step the ladder calls for.
      customer: only this customer.
      again: the letters and calls logged on ``as_of`` (to make their files again) instead.
      channel: ``auto``, ``post``, ``aangetekend`` or ``e-mail`` (:func:`choose_channel`).
    """
    out = []
    wanted = (*PRODUCED, Step.CALL)
    for number in sorted(assessment.claims):
        if customer and number != customer:
            continue
        debtor = debtors[number]
        previous = previous_letter(actions, number, as_of)
        if again:
            out += [
                LetterTask(
                    debtor=debtor,
                    step=a.step,
                    invoices=a.invoices,
                    channel=a.channel,
                    previous=previous,
                    file=a.file,
                )
                for a in actions
                if a.debtor == number
                and a.on == as_of
                and a.step in wanted
                and a.state not in (LetterState.FAILED, LetterState.CANCELLED)
                and (steps is None or a.step in steps)
                and not _went_out(a)
            ]
            continue
        due = letters_due(assessment.stages[number], as_of)
        out += _due_tasks(due, wanted, steps, debtor, channel, previous)
    return out


def _went_out(action: Action) -> bool:
    """Return True for a letter that went out: its file is the copy of what the customer got,
    so ``--opnieuw`` (which fills it from today's data) must not make it again."""
    return action.step in PRODUCED and counts_from(action) is not None


def sent_on_day(
    actions: Sequence[Action],
    as_of: date,
    *,
    steps: tuple[Step, ...] | None = None,
    customer: str | None = None,
) -> list[Action]:
    """Return the letters made on ``as_of`` that went out (``--opnieuw`` leaves their files)."""
    return [
        a
        for a in actions
        if a.on == as_of
        and _went_out(a)
        and (customer is None or a.debtor == customer)
        and (steps is None or a.step in steps)
    ]


def _due_tasks(
    due: Mapping[Step, Sequence[str]],
    wanted: Collection[Step],
    steps: tuple[Step, ...] | None,
    debtor: Debtor,
    channel: str,
    previous: date | None,
) -> list[LetterTask]:
    """Return a task for each step in ``due`` (step -> invoice numbers) that is ``wanted`` and
    among ``steps`` (None: any), in the order of the steps' names, by :func:`choose_channel`."""
    return [
        LetterTask(
            debtor=debtor,
            step=step,
            invoices=tuple(invoices),
            channel=choose_channel(step, debtor, channel),
            previous=previous,
        )
        for step, invoices in sorted(due.items(), key=lambda kv: kv[0].value)
        if step in wanted and (steps is None or step in steps)
    ]


def plan_broken(
    plans: Sequence[PlanInstalment], payments: Sequence[Payment], debtor: str, as_of: date
) -> bool:
    """Return True when ``debtor`` has a payment plan whose instalments are not kept."""
    instalments = [p for p in plans if p.debtor == debtor]
    if not instalments:
        return False
    return not plan_status(instalments, [p for p in payments if p.debtor == debtor], as_of)[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """A customer to call (the ladder's phone step), as the call list shows it.

    Attributes:
      stages: the invoices' stages, each once (``Herinnerd, Vervallen``).
      last: the last letter about these invoices and the day it went out, if any.
    """

    debtor: Debtor
    invoices: tuple[str, ...]
    outstanding: Decimal
    days_late: int
    stages: tuple[str, ...]
    last: tuple[Action, date] | None = None


def call_for(task: LetterTask, assessment: Assessment, actions: Sequence[Action]) -> Call:
    """Return the call list's line for a phone step."""
    number = task.debtor.number
    claim = assessment.claims[number]
    stages = assessment.stages[number]
    rows = [claim.claim_for(n) for n in task.invoices]
    return Call(
        debtor=task.debtor,
        invoices=task.invoices,
        outstanding=sum((c.outstanding for c in rows), ZERO),
        days_late=max(c.days_late for c in rows),
        stages=tuple(dict.fromkeys(str(stages[n].stage) for n in task.invoices)),
        last=last_letter(actions, number, task.invoices),
    )


def last_letter(
    actions: Sequence[Action], debtor: str, invoices: Sequence[str]
) -> tuple[Action, date] | None:
    """Return the last letter that went out to ``debtor`` about any of ``invoices`` (a payment
    plan and a hand-over count), with the day it went out; None when none did."""
    wanted = set(invoices)
    sent = [
        (a, day)
        for a in actions
        if a.debtor == debtor
        and a.step in (*PRODUCED, Step.HANDOVER, Step.PLAN)
        and (not a.invoices or wanted & set(a.invoices))
        and (day := counts_from(a)) is not None
    ]
    return max(sent, key=lambda item: item[1]) if sent else None


def _stated_rates(
    plan: LetterPlan, states_rate: bool, creditor: Creditor, settings: Settings, rates: RateBook
) -> tuple[list, list[tuple[date, Decimal]]]:
    """Return the letter's invoice claims and the other (day, rate) pairs it states."""
    claim = plan.claim
    quoted = []
    if plan.step is Step.BE_FIRST_REMINDER and states_rate:
        announced = rules_for(claim.debtor, creditor).announced_costs(
            plan.sent_on, plan.channel, [], claim.debtor, creditor, settings, rates
        )
        if announced.rate is not None:
            quoted.append((announced.term.charges_from, announced.rate))
    return [claim.claim_for(n) for n in plan.invoices], quoted


def unconfirmed_rates(
    plan: LetterPlan, states_rate: bool, creditor: Creditor, settings: Settings, rates: RateBook
) -> list[RateRow]:
    """Return the rate rows marked not confirmed whose percentage the letter states.

    Args:
      states_rate: the letter states the rate that runs after its term (a Belgian first
        reminder that announces interest).
    """
    rows, quoted = _stated_rates(plan, states_rate, creditor, settings, rates)
    return unconfirmed_quoted(rows, plan.claim.debtor, settings, rates, quoted, creditor=creditor)


def carried_rates(
    plan: LetterPlan, states_rate: bool, creditor: Creditor, settings: Settings, rates: RateBook
) -> list[tuple[str, date, Decimal]]:
    """Return (series, last known day, rate) for each rate the letter states for days after
    the series' known period (:func:`~.rate_watch.carried_quoted`); as
    :func:`unconfirmed_rates`."""
    rows, quoted = _stated_rates(plan, states_rate, creditor, settings, rates)
    return carried_quoted(rows, plan.claim.debtor, settings, rates, quoted, creditor=creditor)


def released_by_held(
    assessment: Assessment,
    debtors: Mapping[str, Debtor],
    held: Mapping[str, set[Step]],
    records: tuple[Sequence[Action], Sequence[PlanInstalment], Sequence[Payment]],
    settings: Settings,
    *,
    steps: tuple[Step, ...] | None = None,
    channel: str = "auto",
) -> list[LetterTask]:
    """Return the milder letters that go today because a stronger one is held.

    The ladder sends one letter a day and lets the milder step wait behind the strongest
    (:func:`~.ladder.plan_debtor`). When the strongest letter is not made today (``held``:
    debtor -> the steps held, e.g. a formal letter stating an unconfirmed rate), the milder one
    must not wait behind it day after day: the debtor's ladder is planned again with the held
    steps withheld, and the letters due then (other than the held ones and calls) are returned.

    Args:
      records: every debtor's Acties rows, plan instalments and payments (filtered here).
      steps, channel: as for :func:`plan_letters`.
    """
    actions, instalments, payments = records
    as_of = assessment.as_of
    out: list[LetterTask] = []
    for number in sorted(held):
        stages = plan_debtor(
            assessment.claims[number],
            [a for a in actions if a.debtor == number],
            [i for i in instalments if i.debtor == number],
            [p for p in payments if p.debtor == number],
            settings,
            as_of,
            assessment.creditor,
            withheld=held[number],
        )
        debtor = debtors[number]
        previous = previous_letter(actions, number, as_of)
        wanted = [step for step in PRODUCED if step not in held[number]]
        out += _due_tasks(letters_due(stages, as_of), wanted, steps, debtor, channel, previous)
    return out
