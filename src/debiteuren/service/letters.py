"""``brieven``, ``verzonden`` and ``gesprek``: the ladder's letters, their lifecycle, calls.

One letter per debtor (at most one a day) lists all of that debtor's invoices at its step.
Output goes to a dated folder: one .docx per debtor, this run's print file (the letters that go
by post, named with the run's time, and as one PDF when LibreOffice is installed), PDFs
(batches of at most 200 per LibreOffice call, one instance per core: ``letters/pdf.py``), an
.eml draft per debtor with an e-mail address, and the call list for the phone step.

Each letter produced is appended to Acties with its state (:mod:`..core.rules.lifecycle`): a
concept until it went out. ``--verstuur`` marks what the mail server accepted as sent and what
it refused as failed (with a posted copy in the print file); :func:`mark_sent`
(``debiteuren verzonden``) marks printed letters and drafts sent on the day they went out. The
ladder reads the log back: a concept holds its invoices, so producing letters again on the same
day does not log, send or escalate twice. ``opnieuw`` regenerates the files of the letters
already logged on that day without logging.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from email import message_from_bytes
from pathlib import Path

from ..core.book import Assessment
from ..core.claim import FORMAL_STEPS
from ..core.ladder import letters_due, plan_status
from ..core.model import Action, Channel, Creditor, Debtor, LetterState, Settings, Step
from ..core.money import ZERO, Decimal
from ..core.rules import CountryRules, chosen_law_notice, rules_for
from ..core.rules.lifecycle import counted_actions, counts_from, is_open_draft
from ..errors import DebiteurenError, quoted
from ..filenames import inside, safe_name
from ..formatting import euro, locale_for, long_date
from ..letters import qr as qr_mod
from ..letters.context import LetterPlan, letter_context, salutation, template_for
from ..workbook.cells import text_only
from ..workbook.files import atomic_write, locks_workbook
from .changes import Changes, apply_to_file, refuse_future
from .update import LoadedBook, assess, invoice_references, load

__all__ = [
    "STEP_GROUPS",
    "HeldLetter",
    "LetterFile",
    "LettersResult",
    "SendError",
    "file_reference",
    "letter_base",
    "letter_deadline",
    "letters",
    "log_call",
    "mark_sent",
    "write_letter",
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

PASSWORD_VARIABLE = "DEBITEUREN_SMTP_WACHTWOORD"

EMAIL_TEXT = {
    "nl": (
        "{aanhef}\n\nIn de bijlage vindt u onze brief van {datum} over "
        "{aantal} openstaande factu{ren} van in totaal {bedrag}.\n\nHeeft u al betaald? Dan "
        "kunt u deze e-mail als niet verzonden beschouwen. Heeft u vragen, neem dan contact "
        "met ons op.\n\nMet vriendelijke groet,\n\n{ondertekenaar}\n{naam}\n"
    ),
    "fr": (
        "{aanhef}\n\nVeuillez trouver en annexe notre courrier du {datum} "
        "concernant {aantal} facture(s) impayée(s) pour un total de {bedrag}.\n\nSi vous avez "
        "déjà payé, veuillez ne pas tenir compte de ce message. Pour toute question, "
        "n'hésitez pas à nous contacter.\n\nSalutations distinguées,\n\n{ondertekenaar}\n"
        "{naam}\n"
    ),
    "en": (
        "{aanhef}\n\nPlease find attached our letter of {datum} about {aantal} "
        "unpaid invoice(s) totalling {bedrag}.\n\nIf you have already paid, please disregard "
        "this message. If you have any questions, please contact us.\n\nKind regards,\n\n"
        "{ondertekenaar}\n{naam}\n"
    ),
    "de": (
        "{aanhef}\n\nim Anhang erhalten Sie unser Schreiben vom {datum} zu {aantal} offenen "
        "Rechnung(en) über insgesamt {bedrag}.\n\nFalls Sie bereits bezahlt haben, betrachten "
        "Sie diese E-Mail bitte als gegenstandslos. Bei Fragen wenden Sie sich gern an uns.\n\n"
        "Mit freundlichen Grüßen\n\n{ondertekenaar}\n{naam}\n"
    ),
}


class SendError(DebiteurenError):
    """Sending e-mail could not start (no server, no password, no connection)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterFile:
    """One produced letter.

    Attributes:
      state: what its Acties row says: concept (made, not sent), verzonden or mislukt.
      sent: the mail server accepted it (``--verstuur``).
      error: why it was not sent (a Dutch sentence quoting the server's reply).
      print_file: the print file that holds it (letters that go by post).
      instead_of_email: a posted copy of an e-mail the server refused.
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


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldLetter:
    """A letter that is due but was not made, and why."""

    debtor: Debtor
    step: Step
    invoices: tuple[str, ...]
    reason: str


@dataclass(slots=True)
class LettersResult:
    """What ``brieven`` did (or, with ``proef``, would do).

    Attributes:
      merged: this run's print file (the letters that go by post), named with the run's time
        so that a second run on the same day never overwrites the first one's.
      merged_pdf: the print file as one PDF (when LibreOffice is installed).
      held: letters that are due but were not made (an unconfirmed rate in a formal letter).
      warnings: Dutch notes that did not stop a letter (an unconfirmed rate in a reminder, or
        in a formal letter made with ``confirm_rates``).
      unconfirmed_made: the formal letters made with ``confirm_rates`` although they state a
        rate the Rentes sheet does not confirm (customer, step).
      send_log: the file in which every e-mail's outcome was written as it happened.
    """

    folder: Path
    letters: list[LetterFile] = field(default_factory=list)
    calls: list[dict[str, object]] = field(default_factory=list)
    merged: Path | None = None
    merged_pdf: Path | None = None
    call_list: Path | None = None
    pdf_note: str = ""
    logged: int = 0
    dry_run: bool = False
    gate_note: str = ""
    held: list[HeldLetter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unconfirmed_made: list[tuple[Debtor, Step]] = field(default_factory=list)
    send_log: Path | None = None
    changes: Changes = field(default_factory=Changes)
    #: Customers held back (no letter, no call) because a payment under review may be theirs.
    held_back: dict[str, list] = field(default_factory=dict)
    #: Every payment on Betalingen that is still "Te controleren".
    to_review: list = field(default_factory=list)

    @property
    def failed(self) -> list[LetterFile]:
        """Return the e-mails the mail server refused (their posted copies are in ``merged``)."""
        return [w for w in self.letters if w.state is LetterState.FAILED]

    @property
    def printed(self) -> list[LetterFile]:
        """Return the letters in this run's print file."""
        return [w for w in self.letters if w.print_file is not None]


def _channel(step: Step, debtor: Debtor, wanted: str) -> Channel:
    if wanted == "post":
        return Channel.POST
    if wanted == "aangetekend":
        return Channel.REGISTERED
    if wanted == "e-mail":
        return Channel.EMAIL if debtor.email else Channel.POST
    if step in FORMAL or not debtor.email:
        return Channel.POST
    return Channel.EMAIL


def letter_base(path: Path, letter_folder: str) -> Path:
    """Return the letters folder: the setting "Uitvoermap brieven" (relative to the workbook's
    folder, or absolute), else ``brieven`` beside the workbook. Dated subfolders hold the
    letters."""
    base = Path(letter_folder) if letter_folder else Path("brieven")
    return base if base.is_absolute() else path.parent / base


def _folder(path: Path, letter_folder: str, as_of: date) -> Path:
    return letter_base(path, letter_folder) / as_of.isoformat()


def file_reference(target: Path, workbook: Path) -> str:
    """Return how Acties names a file: relative to the workbook's folder when it lies inside
    it, else the absolute path (an absolute "Uitvoermap brieven" elsewhere)."""
    try:
        return target.resolve().relative_to(workbook.resolve().parent).as_posix()
    except ValueError:
        return str(target.resolve())


def letter_deadline(
    step: Step, sent_on: date, channel: Channel, settings: Settings, rules: CountryRules
) -> date | None:
    """Return the last day of a letter's term when it goes out on ``sent_on`` by ``channel``.

    A formal letter (14-dagenbrief, BE first reminder) has the statutory term of the debtor's
    ``rules``; any other letter the setting "Termijn brief (dagen)".
    """
    from datetime import timedelta

    if step in FORMAL_STEPS:
        return rules.letter_term(sent_on, channel, settings).last_day
    return sent_on + timedelta(days=settings.letter_term_days)


def _plans(
    assessment: Assessment,
    debtors: dict[str, Debtor],
    actions: Sequence[Action],
    as_of: date,
    steps: tuple[Step, ...] | None,
    customer: str | None,
    again: bool,
    channel: str,
) -> list[tuple[Debtor, Step, tuple[str, ...], Channel, date | None, str]]:
    """Return (debtor, step, invoices, channel, previous letter day, file) per letter to make.

    The previous letter is the last one that went out before ``as_of`` (its day of sending),
    for the letters' "op … stuurden wij u". ``file`` is the file an Acties row names (with
    ``again``: a regenerated letter goes back where its row points), else "".
    """
    out = []
    for number in sorted(assessment.claims):
        if customer and number != customer:
            continue
        debtor = debtors[number]
        mine = [a for a in actions if a.debtor == number and a.on <= as_of]
        sent = counted_actions(mine)
        previous = max((a.on for a in sent if a.step in PRODUCED and a.on < as_of), default=None)
        if again:
            for a in mine:
                if (
                    a.on == as_of
                    and a.step in (*PRODUCED, Step.CALL)
                    and a.state not in (LetterState.FAILED, LetterState.CANCELLED)
                    and (steps is None or a.step in steps)
                ):
                    out.append((debtor, a.step, a.invoices, a.channel, previous, a.file))
            continue
        for step, invoices in sorted(
            letters_due(assessment.stages[number], as_of).items(), key=lambda kv: kv[0].value
        ):
            if step not in (*PRODUCED, Step.CALL) or (steps is not None and step not in steps):
                continue
            out.append(
                (debtor, step, tuple(invoices), _channel(step, debtor, channel), previous, "")
            )
    return out


def _rate_check(
    plan: LetterPlan, context: dict, data, rates, formal: bool
) -> tuple[str, str] | None:
    """Return (problem, kind) when the letter states a rate the Rentes sheet does not confirm."""
    from ..core.rate_watch import unconfirmed_quoted

    claim = plan.claim
    rows = [claim.claim_for(n) for n in plan.invoices]
    quoted = []
    if plan.step is Step.BE_FIRST_REMINDER and context["xix"]["rente_percentage"]:
        announced = rules_for(claim.debtor, data.creditor).announced_costs(
            plan.sent_on, plan.channel, [], claim.debtor, data.creditor, data.settings, rates
        )
        if announced.rate is not None:
            quoted.append((announced.term.charges_from, announced.rate))
    found = unconfirmed_quoted(
        rows, claim.debtor, data.settings, rates, quoted, creditor=data.creditor
    )
    if not found:
        return None
    from ..core.rates import series_label

    rates_text = " en ".join(
        f"{r.rate:.2f}".replace(".", ",")
        + f" % {series_label(r.series)} vanaf {r.effective_from:%d-%m-%Y}"
        for r in found
    )
    what = (
        f"een rentepercentage dat niet bevestigd is: {rates_text}"
        if len(found) == 1
        else f"rentepercentages die niet bevestigd zijn: {rates_text}"
    )
    return what, "formal" if formal else "reminder"


def _plural(step: Step) -> str:
    """Return the Dutch plural of a letter's name: herinneringen, 14-dagenbrieven."""
    return step.value[:-4] + "brieven" if step.value.endswith("brief") else step.value + "en"


@locks_workbook
def letters(
    path: str | Path,
    as_of: date,
    *,
    now: datetime,
    step: str | None = None,
    customer: str | None = None,
    pdf: bool = True,
    eml: bool = True,
    send: bool = False,
    dry_run: bool = False,
    again: bool = False,
    channel: str = "auto",
    password: str | None = None,
    confirm_stale: bool = False,
    confirm_review: bool = False,
    confirm_rates: bool = False,
    confirm_future: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    loaded: LoadedBook | None = None,
    apply: bool = True,
) -> LettersResult:
    """Produce the letters that are due at ``as_of`` and log them in Acties.

    Each letter is logged with its state: ``concept`` (made, not sent: an e-mail draft, or a
    letter in this run's print file), ``verzonden`` (the mail server accepted it, ``send``) or
    ``mislukt`` (the server refused it; a copy for the post then goes into the print file as a
    new concept). Only sent letters count for terms, costs and the next step
    (:mod:`debiteuren.core.rules.lifecycle`); mark posted letters with :func:`mark_sent`.

    With ``send`` the Acties rows are saved (as concepts) before the first e-mail leaves, and
    every e-mail's outcome is written to ``verzendlog.txt`` in the letters folder as it
    happens: a crash between sending and logging can never make a second run send the same
    e-mail again (a concept holds its invoices until it is marked sent or cancelled).

    Args:
      path: the workbook.
      as_of: the letter date (peildatum).
      now: the current time (log and backup names; a peildatum after its day is refused).
      step: restrict to a ``STEP_GROUPS`` word (``herinnering``, ``aanmaning``, ``telefoon``…).
      customer: restrict to one customer number.
      pdf, eml: also make PDFs (when LibreOffice is installed) and e-mail drafts.
      send: send the e-mails over SMTP (settings from Instellingen).
      dry_run: only say what would be produced; write nothing. A stale bank statement is then
        a warning (``gate_note``), not a refusal.
      again: regenerate the letters logged on ``as_of`` without logging them again.
      channel: ``auto`` (e-mail for reminders when an address is known, post for formal
        letters), ``post``, ``aangetekend`` or ``e-mail``.
      password: the SMTP password; default from the environment or the OS keyring.
      confirm_stale: produce letters even when the last bank statement is older than the
        setting allows (``--toch``).
      confirm_review: also write to and call customers who may have paid with a payment that
        is still "Te controleren" (``--ondanks-betaling``).
      confirm_rates: make formal letters even when they state a rate the Rentes sheet marks as
        not confirmed (``--onbevestigde-rente``); otherwise those letters are held.
      confirm_future: log letters dated after today (``--toekomst``).
      progress: called with (phase, done, total) while letters are made and sent.
      loaded: the workbook already read (the open book in Excel); default: read ``path``.
      apply: write the Acties rows into the file; with False they are only returned in
        ``result.changes`` (Excel applies them to the open book).
    """
    # python-docx, lxml: desktop only
    from ..letters.render import LetterJob, find_template, render_letters

    path = Path(path)
    if step is not None and step not in STEP_GROUPS:
        raise DebiteurenError(f"Onbekende stap '{step}'; kies uit: {', '.join(STEP_GROUPS)}.")
    if not dry_run and not again:
        refuse_future(as_of, now, confirmed=confirm_future)
    if send and not eml:
        raise SendError(
            "--verstuur verstuurt de e-mailconcepten; laat --geen-eml dan weg. Er is niets "
            "gemaakt of verstuurd."
        )
    if send and not dry_run and as_of < now.date():
        raise SendError(
            f"Brieven met de datum {as_of:%d-%m-%Y} kunnen niet vandaag ({now:%d-%m-%Y}) per "
            "e-mail verstuurd worden: de termijn in de brief zou te kort zijn. Maak de brieven "
            "met de datum van vandaag; er is niets verstuurd."
        )
    if loaded is None:
        loaded = load(path, as_of, for_writing=apply and not dry_run and not again)
    data = loaded.data
    if customer and customer not in data.debtors:
        raise DebiteurenError(f"Klant '{customer}' staat niet op het blad Klanten.")
    from .payments import StaleStatement, statement_gate

    try:
        gate_note = "" if confirm_stale or again else statement_gate(data, as_of)
    except StaleStatement as stale:
        if not dry_run:
            raise
        gate_note = stale.message  # a preview shows what would go out, with the warning
    mailer = _Mailer(data.creditor, data.settings, password) if send and not dry_run else None
    if mailer is not None:
        mailer.check()
    assessment = assess(loaded, as_of)
    steps = STEP_GROUPS[step] if step else None
    planned = _plans(assessment, data.debtors, data.actions, as_of, steps, customer, again, channel)
    from .payments import held_back_for_review

    held = {} if confirm_review or again else held_back_for_review(data, assessment)
    todo = [t for t in planned if t[0].number not in held]
    folder = _folder(path, data.letter_folder, as_of)
    result = LettersResult(folder=folder, dry_run=dry_run, gate_note=gate_note)
    result.held_back = {t[0].number: held[t[0].number] for t in planned if t[0].number in held}
    result.to_review = list(data.to_review)
    references = {n: r.display for n, r in invoice_references(data).items()}
    user_templates = folder.parent.parent / "sjablonen"
    user_dir = user_templates if user_templates.is_dir() else None
    jobs: list[tuple[LetterFile, LetterJob, LetterPlan]] = []
    letters_todo = [t for t in todo if t[1] is not Step.CALL]
    # (rate text, step, kind) -> the customers whose letter states an unconfirmed rate
    unconfirmed: dict[tuple[str, Step, str], list[str]] = {}
    stems: dict[int, str] = {}
    for debtor, st, invoices, ch, previous, logged_file in todo:
        claim = assessment.claims[debtor.number]
        amount = sum((claim.claim_for(n).outstanding for n in invoices), ZERO)
        if st is Step.CALL:
            stages = assessment.stages[debtor.number]
            result.calls.append(
                {
                    "Klantnr": debtor.number,
                    "Naam": debtor.name,
                    "Contactpersoon": debtor.contact,
                    "Telefoon": debtor.phone,
                    "Facturen": ", ".join(invoices),
                    "Openstaand": amount,
                    "Dagen te laat": max(claim.claim_for(n).days_late for n in invoices),
                    "Fase": ", ".join(dict.fromkeys(str(stages[n].stage) for n in invoices)),
                    "Laatste brief": last_letter(data.actions, debtor.number, invoices),
                    **CALL_OUTCOME_COLUMNS,
                }
            )
            continue
        plan = _letter_plan(data, claim, st, invoices, as_of, ch, previous, references)
        context = letter_context(plan, data.creditor, data.settings, loaded.rates)
        problem = _rate_check(plan, context, data, loaded.rates, st in RATE_CHECKED)
        if problem is not None:
            what, kind = problem
            if kind == "formal" and not confirm_rates:
                result.held.append(
                    HeldLetter(
                        debtor=debtor,
                        step=st,
                        invoices=invoices,
                        reason=f"de brief noemt {what}; controleer het en zet de Status op "
                        "het blad Rentes op officieel, of maak de brief bewust met 'brieven "
                        "--onbevestigde-rente'",
                    )
                )
                if progress and not dry_run:  # the bar counts every letter it went through
                    progress("Brieven maken", len(result.held), len(letters_todo))
                continue
            unconfirmed.setdefault((what, st, kind), []).append(debtor.number)
            if kind == "formal":
                result.unconfirmed_made.append((debtor, st))
        rules = rules_for(debtor, data.creditor)
        notice = chosen_law_notice(debtor, data.creditor)  # a consumer abroad: say which law
        if notice and notice not in result.warnings:
            result.warnings.append(notice)
        letter = LetterFile(
            debtor=debtor,
            step=st,
            invoices=invoices,
            channel=ch,
            amount=amount,
            deadline=letter_deadline(st, as_of, ch, data.settings, rules),
        )
        if dry_run:
            result.letters.append(letter)
            continue
        template = find_template(template_for(st, rules), plan.language, user_dir)
        jobs.append((letter, LetterJob(template, context, qr_payload=_qr_payload(context)), plan))
        if logged_file:
            stems[len(jobs) - 1] = Path(logged_file).stem
    result.warnings += [
        f"de {_plural(st) if len(who) > 1 else st.value} aan {', '.join(who)} "
        f"{'noemen' if len(who) > 1 else 'noemt'} {what}; "
        + (
            "gemaakt met --onbevestigde-rente: controleer het percentage voordat u de brief "
            "verstuurt, en zet de Status op het blad Rentes op officieel zodra het bevestigd is"
            if kind == "formal"
            else "controleer het en zet de Status op het blad Rentes op officieel"
        )
        for (what, st, kind), who in unconfirmed.items()
    ]
    if dry_run:
        return result
    # filled in a pool of processes where there is more than one core, in the same order
    contents = render_letters(
        [job for _, job, _ in jobs],
        progress=(
            lambda done, _: progress("Brieven maken", done + len(result.held), len(letters_todo))
        )
        if progress
        else None,
    )
    docs = [
        (letter, content, plan) for (letter, _, plan), content in zip(jobs, contents, strict=True)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    written: list[LetterFile] = []
    for k, (letter, content, _plan) in enumerate(docs):
        stem = safe_name(stems[k]) if k in stems else _stem(letter.debtor, letter.step)
        target = inside(folder, f"{stem}.docx")
        atomic_write(target, lambda tmp, c=content: tmp.write_bytes(c))
        written.append(_with(letter, docx=target))
    if result.calls:
        result.call_list = _write_call_list(inside(folder, "belijst.xlsx"), result.calls)
    if pdf and written:
        written = _pdfs(written, folder, result, progress)
    if eml:
        written = [
            _with(w, eml=_write_eml(w, data.creditor, data.settings, as_of, now))
            if w.debtor.email and w.channel is Channel.EMAIL
            else w
            for w in written
        ]
    print_file = _free_name(folder, f"alle-brieven-afdrukken-{now:%H%M%S}", ".docx")
    written = [
        _with(w, print_file=print_file) if w.channel is not Channel.EMAIL else w for w in written
    ]
    by_docx = {w.docx: content for w, (_, content, _) in zip(written, docs, strict=True)}
    if again:
        result.letters = written
        _write_print_file(result, print_file, [w for w in written if w.print_file], by_docx, pdf)
        return result
    records = _log_records(path, written, as_of, now, data.settings, data.creditor)
    if mailer is not None and any(w.eml is not None for w in written):
        mailer.connect()  # before anything is logged: no connection, nothing logged or sent
        appended: dict[str, list[int]] = {}
        first = Changes()
        first.add_rows("Acties", records)
        if apply:
            apply_to_file(path, first, now, appended)  # concepts first: never sent twice
        rows = appended.get("Acties", [])
        result.send_log = inside(folder, "verzendlog.txt")
        written = _send_all(written, mailer, result.send_log, now, progress)
        copies = _posted_copies(written, data, loaded, assessment, as_of, now, user_dir, folder)
        for copy, content, _plan in copies:
            by_docx[copy.docx] = content
        copies_files = [_with(c, print_file=print_file) for c, _, _ in copies]
        final = _final_records(written, records, now)
        copy_records = _log_records(path, copies_files, as_of, now, data.settings, data.creditor)
        written = written + copies_files
        # the print file, with the posted copies of refused e-mails, before they are logged
        _write_print_file(result, print_file, [w for w in written if w.print_file], by_docx, pdf)
        result.changes.add_rows("Acties", final + copy_records)
        if apply:
            second = Changes()
            for row, w, record in zip(rows, written, final, strict=False):
                if w.eml is not None:
                    for key in ("state", "sent_on", "note"):
                        second.set_row("Acties", row, key, record[key])
            second.add_rows("Acties", copy_records)
            apply_to_file(path, second, now)
        result.logged = len(records) + len(copy_records)
    else:
        # the print file first: every posted letter is in a file before its row says so
        _write_print_file(result, print_file, [w for w in written if w.print_file], by_docx, pdf)
        result.changes.add_rows("Acties", records)
        result.logged = len(records)
        if apply and records:
            apply_to_file(path, result.changes, now)
    result.letters = written
    if apply and result.logged:
        # the ladder moved: refresh Fase, Volgende stap and Per
        from .update import update

        update(path, as_of, now=now)
    return result


def write_letter(
    letter: LetterFile,
    content: bytes,
    target: Path,
    creditor: Creditor,
    settings: Settings,
    as_of: date,
    now: datetime,
    *,
    pdf: bool = True,
    eml: bool = True,
) -> tuple[LetterFile, str]:
    """Write one letter outside a ``brieven`` run (the payment plan's confirmation): the .docx,
    its PDF when LibreOffice is installed, and an e-mail draft when the customer has an address.

    Returns:
      The letter with its files, and a Dutch note when no PDF could be made.
    """
    from ..letters.render import convert_to_pdf  # python-docx, lxml: desktop only

    atomic_write(target, lambda tmp: tmp.write_bytes(content))
    letter = _with(letter, docx=target)
    note = ""
    if pdf:
        made = convert_to_pdf([target], target.parent)
        if made is None:
            note = (
                "LibreOffice is niet geïnstalleerd: er is geen PDF gemaakt; het .docx-bestand "
                "kunt u in Word als PDF opslaan."
            )
        else:
            letter = _with(letter, pdf=made[0])
    if eml and letter.debtor.email:
        letter = _with(letter, eml=_write_eml(letter, creditor, settings, as_of, now))
    return letter, note


#: Letters that state legal facts (a term, costs, interest) and are refused when a rate they
#: state is not confirmed; a reminder gets a warning instead.
RATE_CHECKED = (Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT, Step.BE_FIRST_REMINDER)


def _letter_plan(
    data,
    claim,
    step: Step,
    invoices: tuple[str, ...],
    as_of: date,
    channel: Channel,
    previous: date | None,
    references: Mapping[str, str],
) -> LetterPlan:
    """Return what one letter is about."""
    debtor = claim.debtor
    instalments = [p for p in data.plans if p.debtor == debtor.number]
    broken = (
        bool(instalments)
        and not plan_status(
            instalments, [p for p in data.payments if p.debtor == debtor.number], as_of
        )[0]
    )
    return LetterPlan(
        claim=claim,
        plan_broken=broken,
        step=step,
        invoices=invoices,
        sent_on=as_of,
        channel=channel,
        language=debtor.language,
        reference_stored=references,
        previous_on=previous,
    )


def letter_data(
    loaded: LoadedBook, assessment: Assessment, as_of: date, customer: str
) -> list[tuple[LetterPlan, dict]]:
    """Return the letters :func:`letters` would make for ``customer`` at ``as_of``, with the data
    each template would be filled with (``letters/fields.py``), without making them.

    For a front end without a Word template engine (xlwings Lite): the same plans and the same
    data as the letters, nothing written and nothing logged. The call step is left out.
    """
    data = loaded.data
    references = {n: r.display for n, r in invoice_references(data).items()}
    out = []
    planned = _plans(assessment, data.debtors, data.actions, as_of, None, customer, False, "auto")
    for debtor, step, invoices, channel, previous, _ in planned:
        if step is Step.CALL:
            continue
        claim = assessment.claims[debtor.number]
        plan = _letter_plan(data, claim, step, invoices, as_of, channel, previous, references)
        out.append((plan, letter_context(plan, data.creditor, data.settings, loaded.rates)))
    return out


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """Return ``folder/stem+suffix``, or with ``-2``, ``-3``… when that file exists."""
    target = inside(folder, f"{stem}{suffix}")
    n = 2
    while target.exists():
        target = inside(folder, f"{stem}-{n}{suffix}")
        n += 1
    return target


def _pdfs(
    written: list[LetterFile],
    folder: Path,
    result: LettersResult,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[LetterFile]:
    """Convert the letters to PDF (batches, one LibreOffice per core); note when it is not
    installed. Every PDF exists when this returns, or it raises ConversionError."""
    from ..letters.render import convert_to_pdf  # python-docx, lxml: desktop only

    docx = [w.docx for w in written]
    pdfs = (
        convert_to_pdf(docx, folder, progress=progress)  # type: ignore[arg-type]
        if progress
        else convert_to_pdf(docx, folder)  # type: ignore[arg-type]
    )
    if pdfs is None:
        result.pdf_note = (
            "LibreOffice is niet geïnstalleerd: er zijn geen PDF's gemaakt; "
            "de .docx-bestanden kunt u in Word als PDF opslaan."
        )
        return written
    return [_with(w, pdf=p) for w, p in zip(written, pdfs, strict=True)]


def _write_print_file(
    result: LettersResult,
    target: Path,
    printed: list[LetterFile],
    contents: dict,
    pdf: bool,
) -> None:
    """Write this run's print file (and its PDF): every letter of the run that goes by post."""
    from ..letters.render import convert_to_pdf, merge_letters  # python-docx, lxml: desktop only

    if not printed:
        return
    merged = merge_letters([contents[w.docx] for w in printed])
    atomic_write(target, lambda tmp: tmp.write_bytes(merged))
    result.merged = target
    if pdf and not result.pdf_note:
        made = convert_to_pdf([target], target.parent)
        if made:
            result.merged_pdf = made[0]


def _slug(step: Step) -> str:
    return step.value.replace(" ", "-")


def _stem(debtor: Debtor, step: Step) -> str:
    """Return the name of a customer's letter file without its extension: ``K001-herinnering``
    (the Klantnr as a safe name, distinct from any other Klantnr)."""
    return f"{safe_name(debtor.number, distinct=True)}-{_slug(step)}"


def _with(letter: LetterFile, **changes) -> LetterFile:
    from dataclasses import replace

    return replace(letter, **changes)


def _qr(context: dict) -> bytes | None:
    payload = _qr_payload(context)
    if payload is None:
        return None
    try:
        return qr_mod.cached_qr_png(payload, 6)
    except DebiteurenError:
        return None


def _qr_payload(context: dict) -> str | None:
    """Return the EPC QR payload of a letter, or None when it has no QR code."""
    data = context["_qr"]
    ref = data["reference"]
    if data["amount"] <= 0 or not data["iban"]:
        return None
    reference = ref.value if ref is not None and ref.kind.value in ("rf", "ogm") else None
    text = None if reference else (ref.display if ref is not None else context["brief"]["kenmerk"])
    try:
        payload = qr_mod.epc_payload(
            name=data["name"][:70],
            iban=data["iban"],
            amount=data["amount"],
            reference=reference,
            text=text,
            bic=data["bic"],
        )
    except DebiteurenError:
        return None
    return payload


#: The call list's columns for the caller to fill in, with what they take; the outcome is then
#: logged with ``debiteuren gesprek`` (--uitkomst, --op, --tekst).
CALL_OUTCOME_COLUMNS: dict[str, object] = {"Uitkomst": None, "Beloofd op": None, "Notitie": None}
CALL_OUTCOMES = ("notitie", "belofte", "betwist")


def last_letter(actions: Sequence[Action], debtor: str, invoices: Sequence[str]) -> str:
    """Return the last letter sent to ``debtor`` about any of ``invoices``: ``herinnering
    (e-mail) 20-09-2026``; "" when none was."""
    wanted = set(invoices)
    sent = [
        (day, a)
        for a in actions
        if a.debtor == debtor
        and a.step in (*PRODUCED, Step.HANDOVER, Step.PLAN)
        and (not a.invoices or wanted & set(a.invoices))
        and (day := counts_from(a)) is not None
    ]
    if not sent:
        return ""
    day, action = max(sent, key=lambda item: item[0])
    return f"{action.step.value} ({action.channel.value}) {day:%d-%m-%Y}"


def _write_call_list(target: Path, calls: list[dict[str, object]]) -> Path:
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..workbook.write import page_setup

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Belijst"
    headers = list(calls[0])
    ws.append(headers)
    for call in calls:
        ws.append([call[h] for h in headers])
    formats = {"Openstaand": '"€" #,##0.00', "Beloofd op": "dd-mm-yyyy"}
    for header, fmt in formats.items():
        col = headers.index(header) + 1
        for row in range(2, len(calls) + 2):
            ws.cell(row=row, column=col).number_format = fmt
    widths = {"Klantnr": 10, "Naam": 30, "Contactpersoon": 20, "Telefoon": 16, "Facturen": 24,
              "Openstaand": 14, "Dagen te laat": 16, "Fase": 14, "Laatste brief": 34,
              "Uitkomst": 12, "Beloofd op": 13, "Notitie": 40}  # fmt: skip
    fill = PatternFill("solid", fgColor="FFF2CC")  # the columns the caller fills in
    for col, header in enumerate(headers, start=1):
        letter = ws.cell(row=1, column=col).column_letter
        ws.column_dimensions[letter].width = widths.get(header, 14)
        ws.cell(row=1, column=col).font = Font(bold=True)
        if header in CALL_OUTCOME_COLUMNS:
            for row in range(1, len(calls) + 2):
                ws.cell(row=row, column=col).fill = fill
    outcome = headers.index("Uitkomst") + 1
    letter = ws.cell(row=1, column=outcome).column_letter
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(CALL_OUTCOMES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Uitkomst",
        error="Kies notitie, belofte of betwist.",
    )
    choice.add(f"{letter}2:{letter}{len(calls) + 1}")
    ws.add_data_validation(choice)
    note = len(calls) + 3
    ws.cell(
        row=note,
        column=1,
        value="Leg elk gesprek daarna vast met: debiteuren gesprek WERKBOEK --klant KLANTNR "
        "--uitkomst notitie|belofte|betwist [--op DATUM] [--tekst TEKST]",
    ).font = Font(italic=True, color="808080")
    ws.freeze_panes = "A2"
    page_setup(ws)
    atomic_write(target, lambda tmp: text_only(wb).save(tmp))
    return target


def _write_eml(
    letter: LetterFile, creditor: Creditor, settings: Settings, as_of: date, now: datetime
) -> Path:
    from ..letters.render import make_eml  # python-docx, lxml: desktop only

    lang = letter.debtor.language if letter.debtor.language in EMAIL_TEXT else "nl"
    loc = locale_for(lang, str(letter.debtor.country))
    body = EMAIL_TEXT[lang].format(
        aanhef=salutation(lang, letter.debtor),
        datum=long_date(as_of, loc),
        aantal=len(letter.invoices),
        ren="ren" if len(letter.invoices) > 1 else "ur",
        bedrag=euro(letter.amount, loc),
        ondertekenaar=creditor.signatory or creditor.name,
        naam=creditor.name,
    )
    attachment = letter.pdf or letter.docx
    assert attachment is not None
    mime = (
        "application/pdf"
        if attachment.suffix == ".pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    from ..letters.context import TITLES

    template = template_for(letter.step, rules_for(letter.debtor, creditor))
    subject = f"{TITLES[template][lang]} – {creditor.name}"
    sender = settings.smtp_sender or creditor.email or "debiteuren@localhost"
    content = make_eml(
        sender=f"{creditor.name} <{sender}>",
        to=letter.debtor.email,
        subject=subject,
        body_text=body,
        attachments=[(attachment.name, attachment.read_bytes(), mime)],
        date=now,
    )
    target = attachment.with_suffix(".eml")
    atomic_write(target, lambda tmp: tmp.write_bytes(content))
    return target


def refuse_plain_login(settings: Settings) -> None:
    """Raise SendError when the settings would send the SMTP password without encryption."""
    if settings.smtp_user and settings.smtp_security == "none" and not settings.smtp_plain_login:
        raise SendError(
            "De mailserver staat op 'SMTP-beveiliging: geen': dan zouden gebruikersnaam en "
            "wachtwoord leesbaar over het netwerk gaan. Kies STARTTLS of SSL, of zet 'SMTP: "
            "aanmelden zonder versleuteling' op Ja als de server in uw eigen netwerk staat. "
            "Er is niets gemaakt of verstuurd."
        )


def smtp_password(settings: Settings, given: str | None = None) -> str | None:
    """Return the SMTP password: given, else the environment, else the OS keyring."""
    if given:
        return given
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    try:
        import keyring  # optional: only when the user installed it
    except ImportError:
        return None
    return keyring.get_password("debiteuren", settings.smtp_user or settings.smtp_host)


class _Mailer:
    """One SMTP connection for a run of ``brieven --verstuur``."""

    def __init__(self, creditor: Creditor, settings: Settings, password: str | None) -> None:
        self.creditor, self.settings, self.given = creditor, settings, password
        self.secret: str | None = None
        self.server: smtplib.SMTP | None = None

    def check(self) -> None:
        """Refuse before anything is made when the server or the password is missing."""
        settings = self.settings
        if not settings.smtp_host:
            raise SendError(
                "Vul eerst 'SMTP-server' in op het blad Instellingen; er is niets gemaakt of "
                "verstuurd."
            )
        refuse_plain_login(settings)
        self.secret = smtp_password(settings, self.given)
        if settings.smtp_user and not self.secret:
            raise SendError(
                f"Geen wachtwoord voor de mailserver: zet het in de omgevingsvariabele "
                f"{PASSWORD_VARIABLE}; er is niets gemaakt of verstuurd."
            )

    def connect(self) -> None:
        """Open the connection (and log in); raise SendError when that fails."""
        settings = self.settings
        try:
            if settings.smtp_security == "ssl":
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.smtp_host,
                    settings.smtp_port,
                    context=ssl.create_default_context(),
                    timeout=30,
                )
            else:
                server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
                if settings.smtp_security == "starttls":
                    server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, self.secret or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(
                f"Kan geen verbinding maken met de mailserver {settings.smtp_host}:"
                f"{settings.smtp_port}; er is niets vastgelegd of verstuurd. Controleer de "
                "SMTP-server, -poort, -beveiliging en -gebruiker op het blad Instellingen, het "
                f"wachtwoord en de internetverbinding {quoted(_server_text(exc))}."
            ) from None
        self.server = server

    def send(self, eml: Path) -> str:
        """Send one drafted message; return "" when accepted, else why not (Dutch)."""
        assert self.server is not None
        message = message_from_bytes(eml.read_bytes())
        del message["X-Unsent"]
        try:
            refused = self.server.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            return _refusal(exc.recipients)
        except smtplib.SMTPSenderRefused as exc:
            return (
                f"de mailserver weigerde het afzenderadres {exc.sender!s} "
                f"(de server meldde: {exc.smtp_code} {_decode(exc.smtp_error)})"
            )
        except smtplib.SMTPDataError as exc:
            return (
                "de mailserver weigerde het bericht "
                f"(de server meldde: {exc.smtp_code} {_decode(exc.smtp_error)})"
            )
        except smtplib.SMTPServerDisconnected as exc:
            self.server = None
            return f"de verbinding met de mailserver werd verbroken (de server meldde: {exc})"
        except (OSError, smtplib.SMTPException) as exc:
            return f"het versturen mislukte (de server meldde: {_server_text(exc)})"
        if refused:
            return _refusal(refused)
        return ""

    def close(self) -> None:
        if self.server is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.server.quit()
            self.server = None


def _decode(text: object) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return str(text)


def _server_text(exc: BaseException) -> str:
    code = getattr(exc, "smtp_code", None)
    error = getattr(exc, "smtp_error", None)
    if code is not None and error is not None:
        return f"{code} {_decode(error)}"
    return str(exc) or type(exc).__name__


def _refusal(recipients: dict) -> str:
    """Return the Dutch sentence for refused recipients, the server's reply quoted after it."""
    parts = [f"{address} ({code} {_decode(text)})" for address, (code, text) in recipients.items()]
    return "de mailserver weigerde het adres " + ", ".join(parts)


def _send_all(
    written: list[LetterFile],
    mailer: _Mailer,
    log: Path,
    now: datetime,
    progress: Callable[[str, int, int], None] | None,
) -> list[LetterFile]:
    """Send every e-mail draft; write each outcome to ``log`` as it happens (flushed to disk)."""
    out = []
    todo = [w for w in written if w.eml is not None]
    done = 0
    with log.open("a", encoding="utf-8") as journal:
        journal.write(f"--- brieven --verstuur, {now:%d-%m-%Y %H:%M:%S}\n")
        try:
            for w in written:
                if w.eml is None:
                    out.append(w)
                    continue
                reason = (
                    mailer.send(w.eml)
                    if mailer.server is not None
                    else "niet verstuurd: de verbinding met de mailserver was verbroken"
                )
                if reason:
                    out.append(_with(w, error=reason, state=LetterState.FAILED))
                else:
                    out.append(_with(w, sent=True, state=LetterState.SENT))
                outcome = f"NIET verzonden: {reason}" if reason else "verzonden"
                journal.write(
                    f"{datetime.now():%H:%M:%S} {w.debtor.number} {w.step.value} aan "
                    f"{w.debtor.email}: {outcome}\n"
                )
                journal.flush()
                os.fsync(journal.fileno())
                done += 1
                if progress:
                    progress("Versturen", done, len(todo))
        finally:
            mailer.close()
    return out


def _posted_copies(
    written: list[LetterFile],
    data,
    loaded: LoadedBook,
    assessment: Assessment,
    as_of: date,
    now: datetime,
    user_dir: Path | None,
    folder: Path,
) -> list[tuple[LetterFile, bytes, LetterPlan]]:
    """Make a letter for the post for every e-mail the server refused.

    The copy states the term of a posted letter (a letter made for e-mail states the shorter
    term of an e-mail), and goes into the print file.
    """
    from ..letters.render import find_template, render_letter  # python-docx, lxml: desktop only

    out = []
    references = {n: r.display for n, r in invoice_references(data).items()}
    for w in written:
        if w.state is not LetterState.FAILED:
            continue
        claim = assessment.claims[w.debtor.number]
        sent = counted_actions(
            a for a in data.actions if a.debtor == w.debtor.number and a.on < as_of
        )
        previous = max((a.on for a in sent if a.step in PRODUCED), default=None)
        plan = _letter_plan(
            data, claim, w.step, w.invoices, as_of, Channel.POST, previous, references
        )
        context = letter_context(plan, data.creditor, data.settings, loaded.rates)
        rules = rules_for(w.debtor, data.creditor)
        template = find_template(template_for(w.step, rules), plan.language, user_dir)
        content = render_letter(template, context, qr_png=_qr(context))
        target = inside(folder, f"{_stem(w.debtor, w.step)}-post.docx")
        atomic_write(target, lambda tmp, c=content: tmp.write_bytes(c))
        copy = LetterFile(
            debtor=w.debtor,
            step=w.step,
            invoices=w.invoices,
            channel=Channel.POST,
            amount=w.amount,
            deadline=letter_deadline(w.step, as_of, Channel.POST, data.settings, rules),
            docx=target,
            instead_of_email=True,
        )
        out.append((copy, content, plan))
    return out


def _stamp(as_of: date, now: datetime) -> date | datetime:
    """Return the Tijdstip of a row made now for ``as_of``: with the time when that is today."""
    return now.replace(microsecond=0) if as_of == now.date() else as_of


def _log_records(
    path: Path,
    written: list[LetterFile],
    as_of: date,
    now: datetime,
    settings: Settings,
    creditor: Creditor | None = None,
) -> list[dict[str, object]]:
    """Return the Acties rows for the letters produced: each a concept until it goes out."""
    records = []
    for w in written:
        notes = []
        if w.instead_of_email:
            notes.append("per post, omdat de e-mail niet aankwam")
        if w.print_file is not None:
            notes.append(f"in het afdrukbestand {w.print_file.name}")
        elif w.eml is not None:
            notes.append(f"e-mailconcept {w.eml.name}")
        if rules_for(w.debtor, creditor).interrupts_limitation(w.step, w.channel, settings):
            notes.append("stuit de verjaring")  # once it went out (NL: art. 3:317 BW)
        target = w.pdf or w.docx
        records.append(
            {
                "on": _stamp(as_of, now),
                "debtor": w.debtor.number,
                "invoices": ", ".join(w.invoices),
                "step": w.step.value,
                "channel": w.channel.value,
                "state": LetterState.DRAFT.value,
                "file": file_reference(target, path) if target else "",
                "amount_claimed": w.amount,
                "deadline": w.deadline,
                "note": "; ".join(notes),
            }
        )
    return records


def _final_records(
    written: list[LetterFile], records: list[dict[str, object]], now: datetime
) -> list[dict[str, object]]:
    """Return ``records`` with the outcome of sending: verzonden (today) or mislukt (why)."""
    out = []
    for w, record in zip(written, records, strict=True):
        record = dict(record)
        if w.state is LetterState.SENT:
            record.update(
                state=LetterState.SENT.value,
                sent_on=now.date(),
                note=_join(record["note"], f"per e-mail verzonden om {now:%H:%M}"),
            )
        elif w.state is LetterState.FAILED:
            record.update(
                state=LetterState.FAILED.value,
                sent_on=None,
                note=f"niet verzonden: {w.error}; een brief voor de post staat in het "
                "afdrukbestand",
            )
        out.append(record)
    return out


def _join(*parts: object) -> str:
    return "; ".join(str(p) for p in parts if p)


#: ``gesprek --uitkomst`` words -> the Acties step logged beside the call.
CALL_OUTCOMES = {"notitie": None, "belofte": Step.PROMISE, "betwist": Step.DISPUTE}


@locks_workbook
def log_call(
    path: str | Path,
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
    loaded: LoadedBook | None = None,
    apply: bool = True,
) -> Changes:
    """Log a phone call and its outcome in Acties: a note, a promise to pay, or a dispute.

    The call counts as the ladder's phone step; a promise pauses the ladder until the promised
    day (a broken promise resumes it); a dispute stops letters for the invoices named.

    Args:
      as_of: the day of the call (peildatum); a day after today is refused unless
        ``confirm_future``.
      now: the current time: a call logged for today keeps its time (Tijdstip).
      outcome: ``notitie``, ``belofte`` (needs ``promised_on``) or ``betwist``.
      invoices: the invoices the call was about; default all open invoices of the customer.
      at: the time of a call on an earlier day (``--tijd``).
    Returns:
      The Acties rows (applied to the file unless ``apply`` is False).
    """
    path = Path(path)
    refuse_future(as_of, now, confirmed=confirm_future)
    if outcome not in CALL_OUTCOMES:
        raise DebiteurenError(
            f"Onbekende uitkomst '{outcome}'; kies uit: {', '.join(CALL_OUTCOMES)}."
        )
    if outcome == "belofte" and promised_on is None:
        raise DebiteurenError("Geef bij een betaalbelofte de datum waarop de klant betaalt (--op).")
    if promised_on is not None and promised_on < as_of:
        raise DebiteurenError(f"De beloofde datum {promised_on:%d-%m-%Y} ligt in het verleden.")
    if loaded is None:
        loaded = load(path, as_of, for_writing=apply)
    data = loaded.data
    if customer not in data.debtors:
        raise DebiteurenError(f"Klant '{customer}' staat niet op het blad Klanten.")
    known = {i.number for i in data.invoices if i.debtor == customer}
    unknown = [n for n in invoices if n not in known]
    if unknown:
        raise DebiteurenError(f"Factuur {', '.join(unknown)} hoort niet bij klant {customer}.")
    if not invoices:
        claim = assess(loaded, as_of).claims.get(customer)
        invoices = (
            tuple(c.invoice.number for c in claim.invoices if c.outstanding > 0) if (claim) else ()
        )
    stamp: date | datetime = datetime.combine(as_of, at) if at is not None else _stamp(as_of, now)
    rows: list[dict[str, object]] = [
        {
            "on": stamp,
            "debtor": customer,
            "invoices": ", ".join(invoices),
            "step": Step.CALL.value,
            "channel": Channel.PHONE.value,
            "note": note,
        }
    ]
    step = CALL_OUTCOMES[outcome]
    if step is not None:
        rows.append(
            {
                "on": stamp,
                "debtor": customer,
                "invoices": ", ".join(invoices),
                "step": step.value,
                "channel": Channel.PHONE.value,
                "promised_on": promised_on,
                "note": note,
            }
        )
    changes = Changes()
    changes.add_rows("Acties", rows)
    if step is Step.DISPUTE:
        # The Betwist column decides; set it back to Nee when the dispute is resolved.
        for number in invoices:
            changes.set("Facturen", "number", number, "disputed", "Ja")
    if apply:
        apply_to_file(path, changes, now)
        from .update import update

        update(path, as_of, now=now)
    return changes


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkedLetter:
    """A letter marked as sent: its Acties row, and the term it now has."""

    row: int
    action: Action
    debtor: Debtor
    sent_on: date
    deadline: date | None
    warning: str = ""


@dataclass(slots=True)
class MarkResult:
    """What ``verzonden`` did (or, with ``dry_run``, would do)."""

    sent_on: date
    marked: list[MarkedLetter] = field(default_factory=list)
    waiting: list[Action] = field(default_factory=list)
    dry_run: bool = False
    changes: Changes = field(default_factory=Changes)


@locks_workbook
def mark_sent(
    path: str | Path,
    sent_on: date,
    *,
    now: datetime,
    customers: Sequence[str] = (),
    step: str | None = None,
    channel: str | None = None,
    dry_run: bool = False,
    confirm_future: bool = False,
    loaded: LoadedBook | None = None,
    apply: bool = True,
) -> MarkResult:
    """Mark letters that were made (concepts) as sent on ``sent_on``.

    For the letters of the print file once they are posted, and for e-mail drafts sent from the
    mail program. Each chosen concept gets Status ``verzonden``, "Verzonden op" ``sent_on``, and
    its "Termijn tot" computed again from that day: a letter sent three days late gives its
    term from the day it went out.

    Args:
      path: the workbook.
      sent_on: the day the letters went out (``--op``); not after today, not before a letter
        was made.
      now: the current time.
      customers: only these customers (``--klant``); default every concept.
      step: only this ``STEP_GROUPS`` word (``herinnering``, ``aanmaning``…).
      channel: only letters by this channel (``post``, ``aangetekend``, ``e-mail``).
      dry_run: only say what would be marked.
      loaded: the workbook already read (the open book in Excel).
      apply: write into the file; with False the changes are only returned.
    Returns:
      The letters marked, and the concepts that still wait (those not chosen).
    """
    path = Path(path)
    if step is not None and step not in STEP_GROUPS:
        raise DebiteurenError(f"Onbekende stap '{step}'; kies uit: {', '.join(STEP_GROUPS)}.")
    if not dry_run:
        refuse_future(sent_on, now, confirmed=confirm_future)
    if loaded is None:
        loaded = load(path, max(sent_on, now.date()), for_writing=apply and not dry_run)
    data = loaded.data
    unknown = [c for c in customers if c not in data.debtors]
    if unknown:
        raise DebiteurenError(f"Klant '{unknown[0]}' staat niet op het blad Klanten.")
    steps = STEP_GROUPS[step] if step else None
    result = MarkResult(sent_on=sent_on, dry_run=dry_run)
    too_early = []
    for row, action in zip(data.action_rows, data.actions, strict=True):
        if not is_open_draft(action):
            continue
        chosen = (
            (not customers or action.debtor in customers)
            and (steps is None or action.step in steps)
            and (channel is None or action.channel.value == channel)
        )
        if not chosen:
            result.waiting.append(action)
            continue
        if sent_on < action.on:
            too_early.append(
                f"de {action.step.value} voor klant {action.debtor} (Acties, rij {row}) is "
                f"gemaakt op {action.on:%d-%m-%Y}, na {sent_on:%d-%m-%Y}"
            )
            continue
        rules = rules_for(data.debtors[action.debtor], data.creditor)
        deadline = letter_deadline(action.step, sent_on, action.channel, data.settings, rules)
        result.marked.append(
            MarkedLetter(
                row=row,
                action=action,
                debtor=data.debtors[action.debtor],
                sent_on=sent_on,
                deadline=deadline,
                warning=_late_warning(action, sent_on, deadline),
            )
        )
    if too_early:
        raise DebiteurenError(
            "Een brief kan niet verstuurd zijn vóór hij gemaakt is: "
            + "; ".join(too_early)
            + ". Er is niets gewijzigd."
        )
    for m in result.marked:
        result.changes.set_row("Acties", m.row, "state", LetterState.SENT.value)
        result.changes.set_row("Acties", m.row, "sent_on", sent_on)
        if m.deadline is not None:
            result.changes.set_row("Acties", m.row, "deadline", m.deadline)
    if dry_run or not result.marked or not apply:
        return result
    apply_to_file(path, result.changes, now)
    from .update import update

    update(path, max(sent_on, now.date()) if confirm_future else now.date(), now=now)
    return result


def _late_warning(action: Action, sent_on: date, deadline: date | None) -> str:
    """Return a warning when a letter that states its last day goes out later than its date."""
    if sent_on <= action.on or action.deadline is None or deadline is None:
        return ""
    if action.step is not Step.BE_FIRST_REMINDER:
        return ""
    return (
        f"de eerste herinnering aan klant {action.debtor} noemt als laatste dag "
        f"{action.deadline:%d-%m-%Y}; verstuurd op {sent_on:%d-%m-%Y} loopt de wettelijke "
        f"termijn tot en met {deadline:%d-%m-%Y} en debiteuren rekent daarmee. Wilt u dat de "
        "brief die dag noemt, zet hem dan op geannuleerd en maak hem opnieuw"
    )
