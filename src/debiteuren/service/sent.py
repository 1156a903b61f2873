"""``verzonden``: letters that were made (concepts) are marked as sent on the day they went out.

For the letters of the print file once they are posted, and for e-mail drafts sent from the
mail program. Each chosen concept gets Status ``verzonden``, "Verzonden op" and its "Termijn
tot" computed again from that day: a letter sent three days late gives its term from the day
it went out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..core.letters import STEP_GROUPS, letter_deadline
from ..core.model import Action, Debtor, LetterState, Step
from ..core.money import ZERO
from ..core.rules import rules_for
from ..core.rules.lifecycle import is_open_draft, made_on
from ..errors import DebiteurenError
from ..formatting import euro
from ..letters.outbox import left_unsent
from ..outputs.dossier import NOT_FOUND, locate
from ..outputs.letters import letter_base
from ..workbook import schema
from ..workbook.files import locks_workbook
from ..workbook.source import BookSource
from .changes import Changes, UnknownCustomer, refuse_future
from .pipeline import assess_some, read_book, write_back

__all__ = ["MarkResult", "MarkedLetter", "mark_sent"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkedLetter:
    """A letter marked as sent: its Acties row, and the term it now has."""

    row: int
    action: Action
    debtor: Debtor
    sent_on: date
    deadline: date | None
    warning: str = ""
    paid_since: str = ""
    missing: str = ""


@dataclass(slots=True)
class MarkResult:
    """What ``verzonden`` did (or, with ``dry_run``, would do)."""

    sent_on: date
    marked: list[MarkedLetter] = field(default_factory=list)
    waiting: list[Action] = field(default_factory=list)
    #: The e-mails ``brieven --verstuur`` left unsent or in doubt, not chosen by customer:
    #: only the user can say they went out (:func:`.outbox.left_unsent`).
    left_unsent: list[Action] = field(default_factory=list)
    dry_run: bool = False
    changes: Changes = field(default_factory=Changes)


@locks_workbook
def mark_sent(
    book: str | Path | BookSource,
    sent_on: date,
    *,
    now: datetime,
    customers: Sequence[str] = (),
    step: str | None = None,
    channel: str | None = None,
    dry_run: bool = False,
    confirm_future: bool = False,
) -> MarkResult:
    """Mark letters that were made (concepts) as sent on ``sent_on``.

    Args:
      book: the workbook file, or the book open in Excel.
      sent_on: the day the letters went out (``--op``); not after today (unless
        ``confirm_future``), not before a letter was made.
      customers, step, channel: only these customers (``--klant``), only this
        ``STEP_GROUPS`` word, only letters by this channel; default every concept, but an
        e-mail that ``brieven --verstuur`` left unsent or in doubt only by its customer: a
        blanket ``verzonden`` for the letters of the print file marked e-mails that never
        left as sent, and their terms ran.
      dry_run: only say what would be marked.
    Returns:
      The letters marked, and the concepts that still wait (those not chosen).
    """
    if step is not None and step not in STEP_GROUPS:
        raise DebiteurenError(f"Onbekende stap '{step}'; kies uit: {', '.join(STEP_GROUPS)}.")
    if not dry_run:
        refuse_future(sent_on, now, confirmed=confirm_future)
    loaded = read_book(book, max(sent_on, now.date()), for_writing=not dry_run)
    data = loaded.data
    unknown = [c for c in customers if c not in data.debtors]
    if unknown:
        raise UnknownCustomer(unknown[0], data.debtors)
    result = MarkResult(sent_on=sent_on, dry_run=dry_run)
    too_early = _sorted_drafts(
        data, result, customers, STEP_GROUPS[step] if step else None, channel
    )
    if too_early:
        raise DebiteurenError(
            "Een brief kan niet verstuurd zijn vóór hij gemaakt is, en niet vóór de datum die "
            "erop staat: " + "; ".join(too_early) + ". Er is niets gewijzigd."
        )
    result.marked = _without_file(loaded, _paid_since(loaded, result.marked, sent_on))
    _record(result)
    if not dry_run and result.marked:
        day = max(sent_on, now.date()) if confirm_future else now.date()
        write_back(loaded, day, now, result.changes)
    return result


def _sorted_drafts(
    data,
    result: MarkResult,
    customers: Sequence[str],
    steps: tuple[Step, ...] | None,
    channel: str | None,
) -> list[str]:
    """Put each concept of the book in ``result``: marked, waiting (not chosen) or left unsent
    (an e-mail ``brieven --verstuur`` could not send, not chosen by its customer); return why
    chosen ones cannot have gone out on the day (:func:`_too_early`)."""
    sent_on, too_early = result.sent_on, []
    for row, action in zip(data.action_rows, data.actions, strict=True):
        if not is_open_draft(action):
            continue
        if not _chosen(action, customers, steps, channel):
            result.waiting.append(action)
        elif not customers and left_unsent(action.note):
            result.left_unsent.append(action)
        elif sent_on < made_on(action.on, action.note):
            too_early.append(_too_early(row, action, sent_on))
        else:
            result.marked.append(_marked(data, row, action, sent_on))
    return too_early


def _too_early(row: int, action: Action, sent_on: date) -> str:
    """Return why ``action`` cannot have gone out on ``sent_on``: it was made later (on its own
    day, or, made for an earlier peildatum, on the day its note names)."""
    made = made_on(action.on, action.note)
    # without a note only the letter's own day is known: a letter for a later peildatum
    # (--toekomst) was made before the day it bears
    when = (
        f"gemaakt op {made:%d-%m-%Y} (gedateerd {action.on:%d-%m-%Y})"
        if made != action.on
        else f"gedateerd {made:%d-%m-%Y}"
    )
    return (
        f"de {action.step.value} voor klant {action.debtor} (Acties, rij {row}) is {when}, "
        f"na {sent_on:%d-%m-%Y}"
    )


def _chosen(
    action: Action, customers: Sequence[str], steps: tuple[Step, ...] | None, channel: str | None
) -> bool:
    """Return True when ``action`` is one of the letters the options choose."""
    return (
        (not customers or action.debtor in customers)
        and (steps is None or action.step in steps)
        and (channel is None or action.channel.value == channel)
    )


def _marked(data, row: int, action: Action, sent_on: date) -> MarkedLetter:
    """Return a concept marked as sent on ``sent_on``, with its term from that day."""
    debtor = data.debtors[action.debtor]
    rules = rules_for(debtor, data.creditor)
    deadline = letter_deadline(
        action.step, sent_on, action.channel, data.settings, rules, action.received_on
    )
    return MarkedLetter(
        row=row,
        action=action,
        debtor=debtor,
        sent_on=sent_on,
        deadline=deadline,
        warning=_late_warning(action, sent_on, deadline),
    )


def _paid_since(loaded, marked: list[MarkedLetter], sent_on: date) -> list[MarkedLetter]:
    """Return ``marked``, each letter that asks more than its invoices still owed the day it
    went out (a payment or credit note since it was made) with a warning saying so."""
    asked = {m.action.debtor for m in marked if m.action.amount_claimed > 0}
    if not asked:
        return marked
    claims = assess_some(loaded, sent_on, asked).claims
    out = []
    for m in marked:
        a, claim = m.action, claims.get(m.action.debtor)
        owed = {c.invoice.number: c.outstanding for c in claim.invoices} if claim else {}
        left = sum((owed.get(n, ZERO) for n in a.invoices), ZERO)
        if a.invoices and left < a.amount_claimed:
            note = (
                f"de {a.step.value} aan klant {a.debtor} vraagt {euro(a.amount_claimed)}, maar op "
                f"{sent_on:%d-%m-%Y} stond nog {euro(left)} open: er is na het maken van de "
                "brief betaald of gecrediteerd. De brief staat als verzonden op Acties; stuur de "
                "klant zo nodig een correctie"
            )
            m = replace(m, paid_since=note)
        out.append(m)
    return out


def _without_file(loaded, marked: list[MarkedLetter]) -> list[MarkedLetter]:
    """Return ``marked``, each letter whose file (Bestand) is gone with a warning: a concept
    deleted instead of cancelled may not have gone out, and a hand-over cannot enclose it."""
    if "://" in str(loaded.path):  # a book open in Excel from the web: no folder to look in
        return marked
    path = loaded.path
    letters = letter_base(path, loaded.data.letter_folder)
    out = []
    for m in marked:
        # the check of the dossier: a Bestand outside the letters folder is not looked up (on
        # Windows a UNC path \\server\share would offer that server the user's login)
        found, why = locate(m.action.file, path.parent, letters, "de map met brieven")
        if m.action.file and found is None:
            what = f"het bestand van de {m.action.step.value} aan klant {m.action.debtor}"
            gone = "bestaat niet meer" if why == NOT_FOUND else why.partition(";")[0]
            m = replace(
                m,
                missing=(
                    f"{what} ({m.action.file}) {gone}, dus een overdracht kan er geen kopie van "
                    "meesturen. Is de brief niet verstuurd, zet hem dan op geannuleerd"
                ),
            )
        out.append(m)
    return out


def _record(result: MarkResult) -> None:
    """Queue the Acties cells of the marked letters: Status, Verzonden op, Termijn tot."""
    for m in result.marked:
        result.changes.set_row(schema.ACTIES, m.row, "state", LetterState.SENT)
        result.changes.set_row(schema.ACTIES, m.row, "sent_on", m.sent_on)
        if m.deadline is not None:
            result.changes.set_row(schema.ACTIES, m.row, "deadline", m.deadline)


def _late_warning(action: Action, sent_on: date, deadline: date | None) -> str:
    """Return a warning when a letter that states its last day goes out later than its date."""
    if sent_on <= action.on or action.deadline is None or deadline is None:
        return ""
    if action.step is Step.FOURTEEN_DAY_LETTER:  # it states no day: its term runs from receipt
        return ""
    if action.step is not Step.BE_FIRST_REMINDER:
        if sent_on < action.deadline:
            return ""
        return (
            f"de {action.step.value} aan klant {action.debtor} vraagt betaling uiterlijk op "
            f"{action.deadline:%d-%m-%Y}, en die dag was al gekomen toen hij op "
            f"{sent_on:%d-%m-%Y} verstuurd werd; debiteuren rekent met de termijn vanaf de "
            f"verzending (tot en met {deadline:%d-%m-%Y}). Is hij nog niet weg, zet hem dan op "
            "geannuleerd en maak hem opnieuw"
        )
    return (
        f"de eerste herinnering aan klant {action.debtor} noemt als laatste dag "
        f"{action.deadline:%d-%m-%Y}; verstuurd op {sent_on:%d-%m-%Y} loopt de wettelijke "
        f"termijn tot en met {deadline:%d-%m-%Y} en debiteuren rekent daarmee. Wilt u dat de "
        "brief die dag noemt, zet hem dan op geannuleerd en maak hem opnieuw"
    )
