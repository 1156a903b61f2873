"""``brieven``: the ladder's letters that are due, made and logged in Acties.

One letter per debtor (at most one a day) lists all of that debtor's invoices at its step.
Output goes to a dated folder (:mod:`debiteuren.outputs.letters`): one .docx per debtor, this
run's print file (the letters that go by post, named with the run's time, and as one PDF when
LibreOffice is installed), PDFs (batches of at most 200 per LibreOffice call, one instance per
core: :mod:`debiteuren.letters.pdf`), an .eml draft per debtor with an e-mail address
(:mod:`debiteuren.letters.outbox`), and the call list for the phone step. The letters are filled
together (:func:`debiteuren.letters.render.render_letters`: each template compiled once, a pool
of processes where there is more than one core).

Each letter produced is appended to Acties with its state (:mod:`..core.rules.lifecycle`): a
concept until it went out. ``--verstuur`` marks what the mail server accepted as sent and what
it refused as failed (with a posted copy in the print file); ``debiteuren verzonden``
(:mod:`.sent`) marks printed letters and drafts sent on the day they went out. The ladder reads
the log back: a concept holds its invoices, so producing letters again on the same day does not
log, send or escalate twice. ``opnieuw`` makes the files of the letters already logged on that
day again, without logging.

The pipeline: read the book once, assess it, plan the letters (:func:`~debiteuren.core.letters.
plan_letters`), compose and write them, and write the Acties rows with the computed columns in
one save (with ``--verstuur``: the concepts first, before the first e-mail leaves).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..core.book import Assessment
from ..core.ladder import waiting_drafts
from ..core.letters import (
    RATE_CHECKED,
    STEP_GROUPS,
    Call,
    LetterFile,
    LetterPlan,
    LetterTask,
    call_for,
    carried_rates,
    letter_deadline,
    plan_broken,
    plan_letters,
    previous_letter,
    released_by_held,
    sent_on_day,
    unconfirmed_rates,
)
from ..core.model import Action, Channel, Debtor, LetterState, Step
from ..core.money import ZERO
from ..core.rates import series_label
from ..core.rules import chosen_law_notice, rules_for
from ..core.rules.be import first_reminder_gaps
from ..core.rules.lifecycle import made_later_note
from ..errors import CellRef, DebiteurenError, Issue, ValidationFailed
from ..filenames import inside, safe_name
from ..letters.compose import letter_job, render_plan
from ..letters.context import letter_context
from ..letters.outbox import (
    SEND_LOG,
    Mailer,
    SendError,
    SendInterrupted,
    logged_as_sent,
    not_sent,
    send_all,
    write_eml,
)
from ..outputs.call_list import place_call_list
from ..outputs.letters import (
    PRINT_FILE,
    day_folder,
    file_reference,
    font_note,
    free_name,
    stem,
    user_templates,
    with_pdfs,
    write_docs,
    write_print_file,
)
from ..untrusted import one_line, quoted_value
from ..workbook import schema
from ..workbook.changes import refuse_totals_row
from ..workbook.files import atomic_write, locks_workbook, replaced
from ..workbook.source import BookSource, FileBook
from .address import MissingDetails, address_problem, missing_details
from .changes import Changes, UnknownCustomer, refuse_future, stamp
from .gate import StaleStatement, held_back_for_review, statement_gate
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

__all__ = [
    "STEP_GROUPS",
    "HeldLetter",
    "LetterFile",
    "LettersResult",
    "SendError",
    "letter_data",
    "letters",
]


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
      held_back: customers held back (no letter, no call) because a payment under review may
        be theirs.
      to_review: every payment on Betalingen that is still "Te controleren".
      checks: what the book records that the user should check, each naming sheet, row and
        column (:func:`.pipeline.book_warnings`).
      waiting: the customers (numbers) with a letter made earlier that is not sent yet: they
        get no new letter until it is marked sent or cancelled.
      kept: with ``again``, the day's letters that went out: they are not made again (their
        file is the copy of the letter the customer got).
      in_send_log: the waiting e-mail concepts whose folder holds a send log: customer ->
        (whether the log says the mail server took the e-mail, the day of the letter). A run
        of ``--verstuur`` that stopped before its last save (the power went) left them
        concepts; the log says which went out.
      call_list_kept: ``call_list`` was made earlier today with the same calls and is kept as
        the caller may have filled it in (a list with other calls goes beside it).
    """

    folder: Path
    letters: list[LetterFile] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    merged: Path | None = None
    merged_pdf: Path | None = None
    call_list: Path | None = None
    call_list_kept: bool = False
    pdf_note: str = ""
    logged: int = 0
    dry_run: bool = False
    gate_note: str = ""
    held: list[HeldLetter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unconfirmed_made: list[tuple[Debtor, Step]] = field(default_factory=list)
    send_log: Path | None = None
    held_back: dict[str, list] = field(default_factory=dict)
    to_review: list = field(default_factory=list)
    checks: tuple[str, ...] = ()
    waiting: list[str] = field(default_factory=list)
    kept: list[Action] = field(default_factory=list)
    in_send_log: dict[str, tuple[bool, date]] = field(default_factory=dict)

    @property
    def failed(self) -> list[LetterFile]:
        """Return the e-mails the mail server refused (their posted copies are in ``merged``)."""
        return [w for w in self.letters if w.state is LetterState.FAILED]

    @property
    def unsent(self) -> list[LetterFile]:
        """Return the e-mails not sent because the connection to the mail server dropped or the
        server did not take them for now (4xx): concepts; one may have gone out while the
        connection dropped: its note says so."""
        return [
            w
            for w in self.letters
            if w.eml is not None and w.state is LetterState.DRAFT and not_sent(w.error)
        ]

    @property
    def printed(self) -> list[LetterFile]:
        """Return the letters in this run's print file."""
        return [w for w in self.letters if w.print_file is not None]


@dataclass(slots=True)
class _Run:
    """One run of ``brieven``: the book, the day, the options, and where the files go."""

    loaded: LoadedBook
    assessment: Assessment
    as_of: date
    now: datetime
    folder: Path
    pdf: bool
    eml: bool
    progress: Callable[[str, int, int], None] | None
    user_dir: Path | None = None
    references: dict[str, str] = field(default_factory=dict)
    print_file: Path | None = None
    #: "Brieven maken": the letters to go through, and those gone through (made or held).
    planned: int = 0
    composed: int = 0


@locks_workbook
def letters(
    book: str | Path | BookSource,
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
) -> LettersResult:
    """Produce the letters that are due at ``as_of`` and log them in Acties (as concepts until
    they went out; with ``send`` the e-mails the server accepts are ``verzonden``, those it
    refuses ``mislukt``, with a copy for the post in the print file).

    Args:
      book: the workbook file, or the book open in Excel.
      as_of: the letter date (peildatum); after ``now``'s day only with ``confirm_future``.
      step, customer, channel: only a ``STEP_GROUPS`` word, only one customer; ``auto``,
        ``post``, ``aangetekend`` or ``e-mail``.
      pdf, eml, send: also PDFs and e-mail drafts; send the e-mails over SMTP (``password``).
      dry_run, again: only say what would be made; make the day's logged letters again.
      confirm_stale, confirm_review, confirm_rates: ``--toch``, ``--ondanks-betaling``,
        ``--onbevestigde-rente``.
    """
    steps = _checked(step, send, eml, dry_run, again, as_of, now, confirm_future)
    loaded = read_book(book, as_of, for_writing=not dry_run)
    if not dry_run and not again:
        refuse_totals_row(loaded.tables, schema.ACTIES)
    skip_gate = confirm_stale or again
    gate_note, mailer = _before(loaded, as_of, customer, send, password, dry_run, skip_gate)
    run = _run(loaded, assess(loaded, as_of), as_of, now, pdf, eml, progress)
    result = LettersResult(folder=run.folder, dry_run=dry_run, gate_note=gate_note)
    todo = _todo(run, result, steps, customer, again, channel, confirm_review or again)
    if again and not dry_run:
        _refuse_other_files(run, todo)
    docs = _compose(run, todo, result, confirm_rates)
    if not again:
        docs += _released(run, result, steps, channel, confirm_rates)
    _check_details(run, docs, result)
    if dry_run:
        result.letters = [letter for letter, _, _ in docs]
        return result
    if not again:  # one Acties row per letter; sent, a posted copy for each e-mail refused
        refuse_no_room(loaded, {schema.ACTIES: len(docs) * (2 if mailer is not None else 1)})
    _write_and_record(run, result, docs, again, mailer)
    return result


def _write_and_record(
    run: _Run,
    result: LettersResult,
    docs: list[tuple[LetterFile, bytes, str]],
    again: bool,
    mailer: Mailer | None,
) -> None:
    """Write the letters' files and log them in Acties (``again``: make the day's logged
    letters again); what a run stopped before its save made is removed again."""
    with _undone_unless_saved(run, undo=not again):
        written = _write_files(run, docs, result)
        contents = {w.docx: content for w, (_, content, _) in zip(written, docs, strict=True)}
        if again:
            _made_again(run, result, written, contents)
        else:
            _record(run, result, written, contents, mailer)


@contextmanager
def _undone_unless_saved(run: _Run, *, undo: bool) -> Iterator[None]:
    """Remove the files the block made new in the run's letters folder when it stops (Ctrl-C)
    or fails before the workbook file is saved: they are logged nowhere, and the run again
    would make the letters under other names (``K001-herinnering-2.docx``) beside them, two
    letters for one customer in the folder the user prints and mails from.

    That holds for ``--verstuur`` too: no e-mail leaves before the concepts are saved, so a
    mail server that cannot be reached (or refuses the login) leaves no draft behind that
    Acties does not name. Without ``undo`` (the day's letters made again replace logged files;
    e-mails sent may have gone out), and for a book open in Excel once a change reached it (it
    may hold their Acties rows), what was written stays."""
    folder = run.folder
    before = set(os.listdir(folder)) if folder.is_dir() else None
    saved_before = len(replaced())
    try:
        yield
    except BaseException:
        book = os.path.realpath(run.loaded.path)
        saved = any(os.path.realpath(p) == book for p in replaced()[saved_before:])
        source = run.loaded.source
        unchanged = isinstance(source, FileBook) or getattr(source, "untouched", False)
        if undo and not saved and unchanged:
            _remove_new(folder, before)
        raise


def _remove_new(folder: Path, before: set[str] | None) -> None:
    """Remove the files in ``folder`` that are not in ``before`` (its names before the run;
    None: the run made the folder, which goes too when it is left empty)."""
    try:
        for name in set(os.listdir(folder)) - (before or set()):
            if (folder / name).is_file():
                (folder / name).unlink(missing_ok=True)
        if before is None and not os.listdir(folder):
            folder.rmdir()
    except OSError:
        pass  # the run's own error or stop is what the user is told


def _before(
    loaded: LoadedBook,
    as_of: date,
    customer: str | None,
    send: bool,
    password: str | None,
    dry_run: bool,
    skip_gate: bool,
) -> tuple[str, Mailer | None]:
    """Check the customer, the statement gate and the mail server before anything is made;
    return the gate's note and the mailer (with ``send``)."""
    data = loaded.data
    if customer and customer not in data.debtors:
        raise UnknownCustomer(customer, data.debtors)
    gate_note = _gate(loaded, as_of, skip=skip_gate, dry_run=dry_run)
    mailer = Mailer(data.creditor, data.settings, password) if send and not dry_run else None
    if mailer is not None:
        mailer.check()
    return gate_note, mailer


def _refuse_other_files(run: _Run, tasks: Sequence[LetterTask]) -> None:
    """Refuse ``--opnieuw`` when an Acties row of a letter to make again names a file that is
    not that letter's (``K001-herinnering.docx`` on the row of K005's letter): the letter goes
    back to the file its row names, and replaced another customer's letter, also one that went
    out (the copy of what that customer got), or the run's print file."""
    data = run.loaded.data
    rows = list(zip(data.actions, data.action_rows, strict=True))
    issues = []
    for task in tasks:
        own = stem(task.debtor, task.step)
        name = safe_name(Path(task.file).stem)  # as write_docs names the file
        if not task.file or _own_file(name, own):
            continue
        key = (task.debtor.number, task.step, task.file, run.as_of)
        row = next((r for a, r in rows if (a.debtor, a.step, a.file, a.on) == key), None)
        where = CellRef(
            sheet=schema.ACTIES.name, row=row, column=schema.ACTIES.column("file").header
        )
        message = (
            f"'{quoted_value(task.file)}' is niet het bestand van de {task.step.value} aan "
            f"{one_line(task.debtor.number)}; --opnieuw zou dat bestand overschrijven met deze "
            f"brief. Zet hier het bestand van deze brief ({own}.docx) of maak de cel leeg."
        )
        issues.append(Issue(source=where, message=message))
    if issues:
        raise ValidationFailed(issues)


#: What may follow a letter's own name (:func:`stem`) in its file: the copy for the post of an
#: e-mail refused, and the number a second letter of the day got (``-2``).
_OWN_FILE = re.compile(r"(?:-post)?(?:-\d+)?")


def _own_file(name: str, own: str) -> bool:
    """Return whether a file name (without extension) is that of the letter named ``own``."""
    head, rest = name[: len(own)], name[len(own) :]
    return head == own and _OWN_FILE.fullmatch(rest) is not None


def _check_details(run: _Run, docs: list, result: LettersResult) -> None:
    """Refuse letters that would go out without the business details they print (an empty
    IBAN under 'de betaalgegevens hieronder', no sender's address); a preview warns."""
    places = missing_details(run.loaded) if docs else []
    if not places:
        return
    if not result.dry_run:
        raise MissingDetails(places)
    result.warnings.append(MissingDetails(places).preview)


def _todo(
    run: _Run,
    result: LettersResult,
    steps: tuple[Step, ...] | None,
    customer: str | None,
    again: bool,
    channel: str,
    skip_review: bool,
) -> list[LetterTask]:
    """Return the letters to make; note the calls, and the customers held back because a
    payment under review may be theirs (unless ``skip_review``)."""
    data, assessment = run.loaded.data, run.assessment
    tasks = plan_letters(
        assessment,
        data.debtors,
        data.actions,
        run.as_of,
        steps=steps,
        customer=customer,
        again=again,
        channel=channel,
    )
    if again:  # the day's letters that went out keep their files
        result.kept = sent_on_day(data.actions, run.as_of, steps=steps, customer=customer)
    held = {} if skip_review else held_back_for_review(data, assessment)
    result.to_review = list(data.to_review)
    result.checks = book_warnings(data)
    drafts = waiting_drafts(data.actions, run.as_of)
    result.waiting = sorted({a.debtor for a in drafts if customer in (None, a.debtor)})
    result.in_send_log = _in_send_log(run, [a for a in drafts if a.debtor in result.waiting])
    result.held_back = {n: held[n] for n in (t.debtor.number for t in tasks) if n in held}
    todo = [t for t in tasks if t.debtor.number not in held]
    result.calls = [call_for(t, assessment, data.actions) for t in todo if t.step is Step.CALL]
    return [t for t in todo if t.step is not Step.CALL]


#: The largest send log read back (a day's log is a line per e-mail).
_MAX_SEND_LOG = 10_000_000


def _in_send_log(run: _Run, drafts: Sequence[Action]) -> dict[str, tuple[bool, date]]:
    """Return, for each waiting e-mail concept whose folder holds a send log, whether the log
    says the mail server took it, and the day of the letter (:attr:`LettersResult.in_send_log`)."""
    data, out = run.loaded.data, {}
    if "://" in str(run.loaded.path):  # a book open in Excel from the web: no folder
        return out
    texts: dict[Path, str] = {}
    for a in drafts:
        debtor = data.debtors.get(a.debtor)
        if a.channel is not Channel.EMAIL or not a.file or debtor is None:
            continue
        log = (run.loaded.path.parent / a.file).parent / SEND_LOG
        if log not in texts:
            try:
                small = log.is_file() and log.stat().st_size <= _MAX_SEND_LOG
                texts[log] = log.read_text("utf-8", errors="replace") if small else ""
            except OSError:
                texts[log] = ""
        if texts[log]:
            said = logged_as_sent(texts[log], a.debtor, a.step, debtor.email)
            day = a.on.date() if isinstance(a.on, datetime) else a.on
            out[a.debtor] = (said is True, day)
    return out


def _checked(
    step: str | None,
    send: bool,
    eml: bool,
    dry_run: bool,
    again: bool,
    as_of: date,
    now: datetime,
    confirm_future: bool,
) -> tuple[Step, ...] | None:
    """Return the steps ``step`` names; refuse options that cannot go together."""
    if step is not None and step not in STEP_GROUPS:
        raise DebiteurenError(f"Onbekende stap '{step}'; kies uit: {', '.join(STEP_GROUPS)}.")
    if not dry_run and not again:
        refuse_future(as_of, now, confirmed=confirm_future)
    if send and again:
        raise SendError(
            "--opnieuw maakt de brieven van vandaag opnieuw en verstuurt niets; laat --verstuur "
            "dan weg. Verstuur de e-mailconcepten zelf en leg dat vast met 'debiteuren "
            "verzonden'. Er is niets gemaakt of verstuurd."
        )
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
    return STEP_GROUPS[step] if step else None


def _gate(loaded: LoadedBook, as_of: date, *, skip: bool, dry_run: bool) -> str:
    """Return the note of the statement gate; a stale statement refuses, except in a preview
    (which shows what would go out, with the warning)."""
    if skip:
        return ""
    try:
        return statement_gate(loaded.data, as_of)
    except StaleStatement as stale:
        if not dry_run:
            raise
        return stale.message


def _run(
    loaded: LoadedBook,
    assessment: Assessment,
    as_of: date,
    now: datetime,
    pdf: bool,
    eml: bool,
    progress: Callable[[str, int, int], None] | None,
) -> _Run:
    folder = day_folder(folder_of(loaded), loaded.data.letter_folder, as_of)
    references = reference_texts(loaded.data)
    return _Run(
        loaded=loaded,
        assessment=assessment,
        as_of=as_of,
        now=now,
        folder=folder,
        pdf=pdf,
        eml=eml,
        progress=progress,
        user_dir=user_templates(folder_of(loaded), loaded.data.letter_folder),
        references=references,
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
    references = reference_texts(data)
    tasks = plan_letters(assessment, data.debtors, data.actions, as_of, customer=customer)
    plans = [
        _plan(loaded, assessment, task, as_of, references)
        for task in tasks
        if task.step is not Step.CALL
    ]
    return [(p, letter_context(p, data.creditor, data.settings, loaded.rates)) for p in plans]


def _plan(
    loaded: LoadedBook,
    assessment: Assessment,
    task: LetterTask,
    as_of: date,
    references: dict[str, str],
) -> LetterPlan:
    """Return what one letter is about."""
    data = loaded.data
    claim = assessment.claims[task.debtor.number]
    return LetterPlan(
        claim=claim,
        plan_broken=plan_broken(data.plans, data.payments, task.debtor.number, as_of),
        step=task.step,
        invoices=task.invoices,
        sent_on=as_of,
        channel=task.channel,
        language=claim.debtor.language,
        reference_stored=references,
        previous_on=task.previous,
    )


def _compose(
    run: _Run, tasks: Sequence[LetterTask], result: LettersResult, confirm_rates: bool
) -> list[tuple[LetterFile, bytes, str]]:
    """Return (letter, .docx content, the file its Acties row names) per letter to make; a
    formal letter stating an unconfirmed rate is held (unless ``confirm_rates``)."""
    data = run.loaded.data
    unconfirmed: dict[tuple[RateProblem, Step, str], list[str]] = {}
    docs: list[tuple[LetterFile, object, str]] = []  # the job to fill, until they are filled
    run.planned += len(tasks)
    for task in tasks:
        number = task.debtor.number
        if _held_for_address(run, task, result):
            continue
        plan = _plan(run.loaded, run.assessment, task, run.as_of, run.references)
        context = letter_context(plan, data.creditor, data.settings, run.loaded.rates)
        what = _unconfirmed(run, plan, context)
        formal = task.step in RATE_CHECKED
        if what and formal and not confirm_rates:
            result.held.append(_held(task, what))
            run.composed += 1
            if run.progress and not result.dry_run:  # the bar counts every letter it went through
                run.progress("Brieven maken", run.composed, run.planned)
        else:
            if what:
                kind = "formal" if formal else "reminder"
                unconfirmed.setdefault((what, task.step, kind), []).append(number)
                if formal:
                    result.unconfirmed_made.append((task.debtor, task.step))
            notice = chosen_law_notice(task.debtor, data.creditor)  # a consumer abroad: the law
            if notice and notice not in result.warnings:
                result.warnings.append(notice)
            if task.step is Step.BE_FIRST_REMINDER:  # its mandatory mentions (Book XIX)
                rows = [plan.claim.claim_for(n).invoice for n in task.invoices]
                gaps = first_reminder_gaps(number, data.creditor, rows)
                result.warnings += [gaps] if gaps else []
            letter = _letter(run, task)
            job = None if result.dry_run else letter_job(plan, context, data.creditor, run.user_dir)
            docs.append((letter, job, task.file))
    result.warnings += _rate_warnings(unconfirmed)
    return _filled(run, docs, result)


def _held_for_address(run: _Run, task: LetterTask, result: LettersResult) -> bool:
    """Return True when ``task``'s letter goes by post and the customer's address is missing
    or does not fit in the envelope's window: it is held, the reason names the Klanten cell.
    A letter by e-mail is made, with a warning when the address does not fit (its address
    matters once it is printed)."""
    post = task.channel is not Channel.EMAIL  # by e-mail, the letter needs no postal address
    problem = address_problem(run.loaded, task.debtor, task.debtor.language, post=post)
    if not problem:
        return False
    if task.channel is Channel.EMAIL:
        result.warnings.append(
            f"de {task.step.value} aan {task.debtor.number} gaat per e-mail, maar {problem}. "
            "Verbeter dat voordat u de brief afdrukt"
        )
        return False
    result.held.append(
        HeldLetter(
            debtor=task.debtor,
            step=task.step,
            invoices=task.invoices,
            reason=f"{problem}; maak de brief daarna opnieuw",
        )
    )
    run.composed += 1
    if run.progress and not result.dry_run:  # the bar counts every letter it went through
        run.progress("Brieven maken", run.composed, run.planned)
    return True


def _filled(
    run: _Run, docs: list[tuple[LetterFile, object, str]], result: LettersResult
) -> list[tuple[LetterFile, bytes, str]]:
    """Fill the letters' templates all at once (in order); the bar counts each letter filled."""
    if result.dry_run:
        run.composed += len(docs)
        return [(letter, b"", name) for letter, _, name in docs]
    from ..letters.render import render_letters, template_notes  # desktop only

    def filled(done: int, total: int) -> None:
        run.composed += 1
        if run.progress:
            run.progress("Brieven maken", run.composed, run.planned)

    contents = render_letters([job for _, job, _ in docs], progress=filled)  # type: ignore[misc]
    for template in dict.fromkeys(job.template for _, job, _ in docs):  # type: ignore[attr-defined]
        result.warnings += [n for n in template_notes(template) if n not in result.warnings]
    return [(letter, c, name) for (letter, _, name), c in zip(docs, contents, strict=True)]


def _letter(run: _Run, task: LetterTask) -> LetterFile:
    """Return the letter a task makes (its files follow when they are written)."""
    claim = run.assessment.claims[task.debtor.number]
    rules = rules_for(task.debtor, run.loaded.data.creditor)
    return LetterFile(
        debtor=task.debtor,
        step=task.step,
        invoices=task.invoices,
        channel=task.channel,
        amount=sum((claim.claim_for(n).outstanding for n in task.invoices), ZERO),
        deadline=letter_deadline(
            task.step, run.as_of, task.channel, run.loaded.data.settings, rules
        ),
    )


def _released(
    run: _Run,
    result: LettersResult,
    steps: tuple[Step, ...] | None,
    channel: str,
    confirm_rates: bool,
) -> list[tuple[LetterFile, bytes, str]]:
    """Return the milder letters made because the strongest letter to their customer is held
    (``core.letters.released_by_held``): they do not wait behind a letter that is not made."""
    data = run.loaded.data
    docs: list[tuple[LetterFile, bytes, str]] = []
    seen = 0
    while len(result.held) > seen:
        seen = len(result.held)
        held: dict[str, set[Step]] = {}
        for h in result.held:
            held.setdefault(h.debtor.number, set()).add(h.step)
        records = (data.actions, data.plans, data.payments)
        tasks = released_by_held(
            run.assessment, data.debtors, held, records, data.settings, steps=steps, channel=channel
        )
        made = {(letter.debtor.number, letter.step) for letter, _, _ in docs}
        docs += _compose(
            run, [t for t in tasks if (t.debtor.number, t.step) not in made], result, confirm_rates
        )
    return docs


@dataclass(frozen=True, slots=True)
class RateProblem:
    """The rates a letter states that are not confirmed or not known yet (Dutch phrases).

    Attributes:
      what: which rates (after "de brief noemt").
      fix: what the user does about it now.
      later: what the user does once the rate is confirmed or published.
    """

    what: str
    fix: str
    later: str


def _unconfirmed(run: _Run, plan: LetterPlan, context: dict) -> RateProblem | None:
    """Return the rates the letter states that the Rentes sheet does not confirm, or that lie
    past the known period of their series (carried forward); None for none."""
    data = run.loaded.data
    states_rate = bool(context["xix"]["rente_percentage"])
    args = (plan, states_rate, data.creditor, data.settings, run.loaded.rates)
    found, carried = unconfirmed_rates(*args), carried_rates(*args)
    parts: list[RateProblem] = []
    if found:
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
        parts.append(
            RateProblem(
                what,
                "controleer het en zet de Status op het blad Rentes op officieel",
                "zet de Status op het blad Rentes op officieel zodra het bevestigd is",
            )
        )
    if carried:
        rates_text = " en ".join(
            f"de {series_label(series)} na {until:%d-%m-%Y}, waarvoor debiteuren "
            + f"{rate:.2f}".replace(".", ",")
            + " % doortrekt"
            for series, until, rate in carried
        )
        parts.append(
            RateProblem(
                f"een rentepercentage dat nog niet bekend is: {rates_text}",
                "vul het gepubliceerde percentage aan op het blad Rentes",
                "vul het gepubliceerde percentage aan op het blad Rentes zodra het bekend is",
            )
        )
    if not parts:
        return None
    return RateProblem(*(" en ".join(getattr(p, f) for p in parts) for f in RateProblem.__slots__))


def _held(task: LetterTask, what: RateProblem) -> HeldLetter:
    return HeldLetter(
        debtor=task.debtor,
        step=task.step,
        invoices=task.invoices,
        reason=f"de brief noemt {what.what}; {what.fix}, of maak de brief bewust met "
        "'brieven --onbevestigde-rente'",
    )


def _rate_warnings(unconfirmed: dict[tuple[RateProblem, Step, str], list[str]]) -> list[str]:
    """Return one warning per rate phrase and step: which letters state an unconfirmed rate."""
    return [
        f"de {_plural(st) if len(who) > 1 else st.value} aan {', '.join(who)} "
        f"{'noemen' if len(who) > 1 else 'noemt'} {what.what}; "
        + (
            "gemaakt met --onbevestigde-rente: controleer het percentage voordat u de brief "
            f"verstuurt, en {what.later}"
            if kind == "formal"
            else what.fix
        )
        for (what, st, kind), who in unconfirmed.items()
    ]


def _plural(step: Step) -> str:
    """Return the Dutch plural of a letter's name: herinneringen, 14-dagenbrieven."""
    return step.value[:-4] + "brieven" if step.value.endswith("brief") else step.value + "en"


def _write_files(
    run: _Run, docs: Sequence[tuple[LetterFile, bytes, str]], result: LettersResult
) -> list[LetterFile]:
    """Write the letters, the call list, the PDFs and the e-mail drafts; return the letters
    with their files (those that go by post with this run's print file)."""
    run.folder.mkdir(parents=True, exist_ok=True)
    names = {k: Path(name).stem for k, (_, _, name) in enumerate(docs) if name}
    written = write_docs(run.folder, [(letter, content) for letter, content, _ in docs], names)
    if result.calls:
        result.call_list, result.call_list_kept = place_call_list(run.folder, result.calls, run.now)
    if run.pdf and written:
        written, result.pdf_note = with_pdfs(written, run.folder, run.progress)
        result.warnings += [note for note in [font_note(written)] if note]
    data = run.loaded.data
    if run.eml:
        written = [
            replace(w, eml=write_eml(w, data.creditor, data.settings, run.as_of, run.now))
            if w.debtor.email and w.channel is Channel.EMAIL
            else w
            for w in written
        ]
    run.print_file = free_name(run.folder, f"{PRINT_FILE}{run.now:%H%M%S}", ".docx")
    return [
        replace(w, print_file=run.print_file) if w.channel is not Channel.EMAIL else w
        for w in written
    ]


def _print_file(
    run: _Run, result: LettersResult, written: Sequence[LetterFile], contents: dict
) -> None:
    """Write this run's print file (and its PDF): every letter of the run that goes by post."""
    printed = [w for w in written if w.print_file is not None]
    if printed and run.print_file is not None:
        pdf = run.pdf and not result.pdf_note
        result.merged, result.merged_pdf = write_print_file(run.print_file, printed, contents, pdf)


def _record(
    run: _Run,
    result: LettersResult,
    written: list[LetterFile],
    contents: dict,
    mailer: Mailer | None,
) -> None:
    """Log the letters in Acties, with the computed columns, in one save; with ``mailer`` send
    the e-mails between saving the concepts and saving the outcomes."""
    actions = _actions(run, written)
    if mailer is not None and any(w.eml is not None for w in written):
        _send(run, result, written, actions, contents, mailer)
        return
    _print_file(run, result, written, contents)  # every posted letter is in a file first
    result.letters, result.logged = written, len(actions)
    if actions:  # the ladder moved: Fase, Volgende stap and Per in the same save
        changes = Changes()
        changes.add(*(schema.action_row(a) for a in actions))
        write_back(run.loaded, run.as_of, run.now, changes, assessment=run.assessment)


def _made_again(
    run: _Run, result: LettersResult, written: list[LetterFile], contents: dict
) -> None:
    """Write the print file of the letters ``--opnieuw`` made again, and set Gevorderd bedrag
    of each concept to what the letter now asks (a payment since changed it): the row says
    what the letter that goes out asks."""
    result.letters = written
    _print_file(run, result, written, contents)
    rows = {
        (a.debtor, a.step, Path(a.file).stem): (row, a)
        for row, a in zip(run.loaded.data.action_rows, run.loaded.data.actions, strict=True)
        if a.on == run.as_of and a.file and a.state is LetterState.DRAFT and a.sent_on is None
    }
    changes = Changes()
    for w in written:
        target = w.pdf or w.docx
        row, action = rows.get((w.debtor.number, w.step, target.stem if target else ""), (0, None))
        if action is not None and action.amount_claimed != w.amount:
            changes.set_row(schema.ACTIES, row, "amount_claimed", w.amount)
    if changes:
        write_back(run.loaded, run.as_of, run.now, changes, assessment=run.assessment)


def _send(
    run: _Run,
    result: LettersResult,
    written: list[LetterFile],
    actions: list[Action],
    contents: dict,
    mailer: Mailer,
) -> None:
    """Save the concepts, send the e-mails, make posted copies of refused ones, save the
    outcomes: a crash between sending and logging never sends an e-mail twice."""
    mailer.connect()  # before anything is logged: no connection, nothing logged or sent
    first = Changes()
    first.add(*(schema.action_row(a) for a in actions))
    saved = write_back(run.loaded, run.as_of, run.now, first, refresh=False)
    rows = saved.placement.appended(schema.ACTIES)
    result.send_log = inside(run.folder, SEND_LOG)
    stopped = None
    try:
        written = send_all(written, mailer, result.send_log, run.now, run.progress)
    except SendInterrupted as stop:  # Ctrl-C: log what went out, then stop
        written, stopped = stop.letters, stop
    copies = _posted_copies(run, written)
    contents.update({copy.docx: content for copy, content in copies})
    final = _final_records(written, actions, run.now)
    copy_actions = _actions(run, [c for c, _ in copies])
    written = written + [c for c, _ in copies]
    _print_file(run, result, written, contents)  # with the posted copies, before they are logged
    second = Changes()
    for row, w, action in zip(rows, written, final, strict=False):
        if w.eml is not None:
            second.set_row(schema.ACTIES, row, "state", action.state)
            second.set_row(schema.ACTIES, row, "sent_on", action.sent_on)
            second.set_row(schema.ACTIES, row, "note", action.note)
    second.add(*(schema.action_row(a) for a in copy_actions))
    write_back(run.loaded, run.as_of, run.now, second)
    result.letters, result.logged = written, len(actions) + len(copy_actions)
    if stopped is not None:
        raise stopped


def _posted_copies(run: _Run, written: Sequence[LetterFile]) -> list[tuple[LetterFile, bytes]]:
    """Make a letter for the post for every e-mail the server refused.

    The copy states the term of a posted letter (a letter made for e-mail states the shorter
    term of an e-mail), and goes into the print file.
    """
    data = run.loaded.data
    out = []
    for w in written:
        if w.state is not LetterState.FAILED:
            continue
        previous = previous_letter(data.actions, w.debtor.number, run.as_of)
        task = LetterTask(
            debtor=w.debtor,
            step=w.step,
            invoices=w.invoices,
            channel=Channel.POST,
            previous=previous,
        )
        plan = _plan(run.loaded, run.assessment, task, run.as_of, run.references)
        context = letter_context(plan, data.creditor, data.settings, run.loaded.rates)
        content = render_plan(plan, context, data.creditor, run.user_dir)
        target = free_name(run.folder, f"{stem(w.debtor, w.step)}-post", ".docx")
        atomic_write(target, lambda tmp, c=content: tmp.write_bytes(c))
        rules = rules_for(w.debtor, data.creditor)
        deadline = letter_deadline(w.step, run.as_of, Channel.POST, data.settings, rules)
        copy = LetterFile(
            debtor=w.debtor,
            step=w.step,
            invoices=w.invoices,
            channel=Channel.POST,
            amount=w.amount,
            deadline=deadline,
            docx=target,
            print_file=run.print_file,
            instead_of_email=True,
        )
        out.append((copy, content))
    return out


def _actions(run: _Run, written: Sequence[LetterFile]) -> list[Action]:
    """Return the Acties rows for the letters produced: each a concept until it goes out."""
    data = run.loaded.data
    out = []
    for w in written:
        notes = []
        if made_later := made_later_note(run.as_of, run.now.date()):
            notes.append(made_later)  # it cannot have gone out before it was made
        if w.instead_of_email:
            notes.append("per post, omdat de e-mail niet aankwam")
        if w.print_file is not None:
            notes.append(f"in het afdrukbestand {w.print_file.name}")
        elif w.eml is not None:
            notes.append(f"e-mailconcept {w.eml.name}")
        if rules_for(w.debtor, data.creditor).interrupts_limitation(
            w.step, w.channel, data.settings
        ):
            notes.append("stuit de verjaring")  # once it went out (NL: art. 3:317 BW)
        target = w.pdf or w.docx
        out.append(
            Action(
                on=stamp(run.as_of, run.now),
                debtor=w.debtor.number,
                invoices=w.invoices,
                step=w.step,
                channel=w.channel,
                state=LetterState.DRAFT,
                file=file_reference(target, run.loaded.path) if target else "",
                amount_claimed=w.amount,
                deadline=w.deadline,
                note="; ".join(notes),
            )
        )
    return out


def _final_records(
    written: Sequence[LetterFile], actions: Sequence[Action], now: datetime
) -> list[Action]:
    """Return ``actions`` with the outcome of sending: verzonden (today) or mislukt (why)."""
    out = []
    for w, action in zip(written, actions, strict=True):
        if w.state is LetterState.SENT:
            sent = f"per e-mail verzonden om {now:%H:%M}"
            sent += f", maar {w.refused}" if w.refused else ""
            note = "; ".join(p for p in (action.note, sent) if p)
            action = replace(action, state=LetterState.SENT, sent_on=now.date(), note=note)
        elif w.state is LetterState.FAILED:
            note = f"niet verzonden: {w.error}; een brief voor de post staat in het afdrukbestand"
            action = replace(action, state=LetterState.FAILED, sent_on=None, note=note)
        elif w.error:  # Ctrl-C while it was being sent: a concept, with the doubt on its row
            action = replace(action, note="; ".join(p for p in (action.note, w.error) if p))
        out.append(action)
    return out


from .calls import CALL_OUTCOMES, log_call  # noqa: E402  (the other letter use cases)
from .sent import MarkedLetter, MarkResult, mark_sent  # noqa: E402

__all__ += ["CALL_OUTCOMES", "MarkResult", "MarkedLetter", "log_call", "mark_sent"]
