"""``brieven``: the ladder's letters for every debtor whose next step is due, logged in Acties.

One letter per debtor and step lists all of that debtor's invoices at that step. Output goes to
a dated folder: one .docx per debtor, one merged .docx for printing, PDFs (one LibreOffice call)
when LibreOffice is installed, an .eml draft per debtor with an e-mail address, and the call list
for the phone step. Each letter produced is appended to Acties; the ladder reads it back, so
producing letters again on the same day does not log or escalate twice. ``opnieuw`` regenerates
the files of the letters already logged on that day without logging.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email import message_from_bytes
from pathlib import Path

from ..core.book import Assessment
from ..core.ladder import letters_due, plan_status
from ..core.model import Action, Channel, Country, Creditor, Debtor, Settings, Step
from ..core.money import ZERO, Decimal
from ..errors import DebiteurenError
from ..filenames import inside, safe_name
from ..formatting import euro, locale_for, long_date
from ..letters import qr as qr_mod
from ..letters.context import LetterPlan, letter_context, template_for
from ..letters.render import convert_to_pdf, find_template, make_eml, merge_letters, render_letter
from ..workbook.cells import text_only
from ..workbook.files import atomic_write, locks_workbook
from .changes import Changes, apply_to_file
from .update import LoadedBook, assess, load

__all__ = ["STEP_GROUPS", "LetterFile", "LettersResult", "SendError", "letters"]

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
        "Geachte heer, mevrouw,\n\nIn de bijlage vindt u onze brief van {datum} over "
        "{aantal} openstaande factu{ren} van in totaal {bedrag}.\n\nHeeft u al betaald? Dan "
        "kunt u deze e-mail als niet verzonden beschouwen. Heeft u vragen, neem dan contact "
        "met ons op.\n\nMet vriendelijke groet,\n\n{ondertekenaar}\n{naam}\n"
    ),
    "fr": (
        "Madame, Monsieur,\n\nVeuillez trouver en annexe notre courrier du {datum} "
        "concernant {aantal} facture(s) impayée(s) pour un total de {bedrag}.\n\nSi vous avez "
        "déjà payé, veuillez ne pas tenir compte de ce message. Pour toute question, "
        "n'hésitez pas à nous contacter.\n\nSalutations distinguées,\n\n{ondertekenaar}\n"
        "{naam}\n"
    ),
    "en": (
        "Dear Sir or Madam,\n\nPlease find attached our letter of {datum} about {aantal} "
        "unpaid invoice(s) totalling {bedrag}.\n\nIf you have already paid, please disregard "
        "this message. If you have any questions, please contact us.\n\nKind regards,\n\n"
        "{ondertekenaar}\n{naam}\n"
    ),
}


class SendError(DebiteurenError):
    """Sending e-mail could not start (no server, no password)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterFile:
    """One produced letter."""

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


@dataclass(slots=True)
class LettersResult:
    """What ``brieven`` did (or, with ``proef``, would do)."""

    folder: Path
    letters: list[LetterFile] = field(default_factory=list)
    calls: list[dict[str, object]] = field(default_factory=list)
    merged: Path | None = None
    call_list: Path | None = None
    pdf_note: str = ""
    logged: int = 0
    dry_run: bool = False
    gate_note: str = ""
    changes: Changes = field(default_factory=Changes)


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
    folder), else ``brieven`` beside the workbook. Dated subfolders hold the letters."""
    base = Path(letter_folder) if letter_folder else Path("brieven")
    return base if base.is_absolute() else path.parent / base


def _folder(path: Path, letter_folder: str, as_of: date) -> Path:
    return letter_base(path, letter_folder) / as_of.isoformat()


def _deadline(step: Step, sent_on: date, channel: Channel, settings: Settings) -> date | None:
    """Return the last day of the letter's term, for the channel it goes by."""
    from datetime import timedelta

    from ..core.rules import be, nl

    if step is Step.BE_FIRST_REMINDER:
        return be.letter_term(sent_on, channel, settings).last_day
    if step is Step.FOURTEEN_DAY_LETTER:
        return nl.letter_term(sent_on, channel, settings).last_day
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
) -> list[tuple[Debtor, Step, tuple[str, ...], Channel, date | None]]:
    """Return (debtor, step, invoices, channel, previous letter day) per letter to make."""
    out = []
    for number in sorted(assessment.claims):
        if customer and number != customer:
            continue
        debtor = debtors[number]
        mine = [a for a in actions if a.debtor == number and a.on <= as_of]
        previous = max((a.on for a in mine if a.step in PRODUCED and a.on < as_of), default=None)
        if again:
            for a in mine:
                if (
                    a.on == as_of
                    and a.step in (*PRODUCED, Step.CALL)
                    and (steps is None or a.step in steps)
                ):
                    out.append((debtor, a.step, a.invoices, a.channel, previous))
            continue
        for step, invoices in sorted(
            letters_due(assessment.stages[number], as_of).items(), key=lambda kv: kv[0].value
        ):
            if step not in (*PRODUCED, Step.CALL) or (steps is not None and step not in steps):
                continue
            out.append((debtor, step, tuple(invoices), _channel(step, debtor, channel), previous))
    return out


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
    progress: Callable[[str, int, int], None] | None = None,
    loaded: LoadedBook | None = None,
    apply: bool = True,
) -> LettersResult:
    """Produce the letters that are due at ``as_of`` and log them in Acties.

    Args:
      path: the workbook.
      as_of: the letter date (peildatum).
      now: the current time (log and backup names).
      step: restrict to a ``STEP_GROUPS`` word (``herinnering``, ``aanmaning``, ``telefoon``…).
      customer: restrict to one customer number.
      pdf, eml: also make PDFs (when LibreOffice is installed) and e-mail drafts.
      send: send the e-mail drafts over SMTP (settings from Instellingen).
      dry_run: only say what would be produced; write nothing.
      again: regenerate the letters logged on ``as_of`` without logging them again.
      channel: ``auto`` (e-mail for reminders when an address is known, post for formal
        letters), ``post`` or ``e-mail``.
      password: the SMTP password; default from the environment or the OS keyring.
      confirm_stale: produce letters even when the last bank statement is older than the
        setting allows (``--toch``).
      loaded: the workbook already read (the open book in Excel); default: read ``path``.
      apply: write the Acties rows into the file; with False they are only returned in
        ``result.changes`` (Excel applies them to the open book).
    """
    path = Path(path)
    if step is not None and step not in STEP_GROUPS:
        raise DebiteurenError(f"Onbekende stap '{step}'; kies uit: {', '.join(STEP_GROUPS)}.")
    if loaded is None:
        loaded = load(path, as_of, for_writing=apply and not dry_run and not again)
    data = loaded.data
    if customer and customer not in data.debtors:
        raise DebiteurenError(f"Klant '{customer}' staat niet op het blad Klanten.")
    if send:
        refuse_plain_login(data.settings)  # before anything is made
    from .payments import statement_gate

    gate_note = "" if confirm_stale or again else statement_gate(data, as_of)
    assessment = assess(loaded, as_of)
    steps = STEP_GROUPS[step] if step else None
    todo = _plans(assessment, data.debtors, data.actions, as_of, steps, customer, again, channel)
    folder = _folder(path, data.letter_folder, as_of)
    result = LettersResult(folder=folder, dry_run=dry_run, gate_note=gate_note)
    user_templates = folder.parent.parent / "sjablonen"
    user_dir = user_templates if user_templates.is_dir() else None
    docs: list[tuple[LetterFile, bytes]] = []
    for debtor, st, invoices, ch, previous in todo:
        claim = assessment.claims[debtor.number]
        amount = sum((claim.claim_for(n).outstanding for n in invoices), ZERO)
        if st is Step.CALL:
            result.calls.append(
                {
                    "Klantnr": debtor.number,
                    "Naam": debtor.name,
                    "Contactpersoon": debtor.contact,
                    "Telefoon": debtor.phone,
                    "Facturen": ", ".join(invoices),
                    "Openstaand": amount,
                    "Dagen te laat": max(claim.claim_for(n).days_late for n in invoices),
                }
            )
            continue
        instalments = [p for p in data.plans if p.debtor == debtor.number]
        broken = (
            bool(instalments)
            and not plan_status(
                instalments, [p for p in data.payments if p.debtor == debtor.number], as_of
            )[0]
        )
        plan = LetterPlan(
            claim=claim,
            plan_broken=broken,
            step=st,
            invoices=invoices,
            sent_on=as_of,
            channel=ch,
            language=debtor.language,
            reference_stored={i.number: i.reference for i in data.invoices},
            previous_on=previous,
        )
        context = letter_context(plan, data.creditor, data.settings, loaded.rates)
        deadline = _deadline(st, as_of, ch, data.settings)
        letter = LetterFile(
            debtor=debtor, step=st, invoices=invoices, channel=ch, amount=amount, deadline=deadline
        )
        if dry_run:
            result.letters.append(letter)
            continue
        template = find_template(template_for(st, debtor.country), plan.language, user_dir)
        docs.append((letter, render_letter(template, context, qr_png=_qr(context))))
        if progress:
            progress("Brieven", len(docs), len(todo))
    if dry_run:
        return result
    folder.mkdir(parents=True, exist_ok=True)
    written: list[LetterFile] = []
    for letter, content in docs:
        name = f"{safe_name(letter.debtor.number, distinct=True)}-{_slug(letter.step)}.docx"
        target = inside(folder, name)
        atomic_write(target, lambda tmp, c=content: tmp.write_bytes(c))
        written.append(_with(letter, docx=target))
    # The print file holds only the letters that go by post: a letter made for e-mail states
    # the term of an e-mail (BE: from the next day), which is too short for a posted letter.
    posted = [c for letter, c in docs if letter.channel is not Channel.EMAIL]
    if posted:
        merged = folder / "alle-brieven-afdrukken.docx"
        content = merge_letters(posted)
        atomic_write(merged, lambda tmp: tmp.write_bytes(content))
        result.merged = merged
    if result.calls:
        result.call_list = _write_call_list(inside(folder, "belijst.xlsx"), result.calls)
    if pdf and written:
        pdfs = convert_to_pdf([w.docx for w in written], folder)  # type: ignore[misc]
        if pdfs is None:
            result.pdf_note = (
                "LibreOffice is niet geïnstalleerd: er zijn geen PDF's gemaakt; "
                "de .docx-bestanden kunt u in Word als PDF opslaan."
            )
        else:
            written = [_with(w, pdf=p) for w, p in zip(written, pdfs, strict=True)]
    if eml:
        written = [
            _with(w, eml=_write_eml(w, data.creditor, data.settings, as_of, now))
            if w.debtor.email and w.channel is Channel.EMAIL
            else w
            for w in written
        ]
    if send:
        written = _send(written, data.creditor, data.settings, password)
    result.letters = written
    if not again:
        records = _log_records(path, written, as_of, data.settings)
        result.changes.add_rows("Acties", records)
        result.logged = len(records)
        if apply and records:
            apply_to_file(path, result.changes, now)
            # the ladder moved: refresh Fase, Volgende stap and Per
            from .update import update

            update(path, as_of, now=now)
    return result


def _slug(step: Step) -> str:
    return step.value.replace(" ", "-")


def _with(letter: LetterFile, **changes) -> LetterFile:
    from dataclasses import replace

    return replace(letter, **changes)


def _qr(context: dict) -> bytes | None:
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
        return qr_mod.epc_qr_png(payload, scale=6)
    except DebiteurenError:
        return None


def _write_call_list(target: Path, calls: list[dict[str, object]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Belijst"
    headers = list(calls[0])
    ws.append(headers)
    for call in calls:
        ws.append([call[h] for h in headers])
    for row in ws.iter_rows(
        min_row=2, min_col=headers.index("Openstaand") + 1, max_col=headers.index("Openstaand") + 1
    ):
        for cell in row:
            cell.number_format = '"€" #,##0.00'
    for col, width in zip("ABCDEFG", (10, 30, 20, 16, 24, 14, 13), strict=False):
        ws.column_dimensions[col].width = width
    atomic_write(target, lambda tmp: text_only(wb).save(tmp))
    return target


def _write_eml(
    letter: LetterFile, creditor: Creditor, settings: Settings, as_of: date, now: datetime
) -> Path:
    lang = letter.debtor.language if letter.debtor.language in EMAIL_TEXT else "nl"
    loc = locale_for(lang, str(letter.debtor.country))
    body = EMAIL_TEXT[lang].format(
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

    subject = f"{TITLES[template_for(letter.step, letter.debtor.country)][lang]} – {creditor.name}"
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
            "Er is niets verstuurd."
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


def _send(
    letters_: list[LetterFile], creditor: Creditor, settings: Settings, password: str | None
) -> list[LetterFile]:
    """Send the .eml drafts over one SMTP connection; return the letters with sent/error."""
    todo = [w for w in letters_ if w.eml is not None]
    if not todo:
        return letters_
    if not settings.smtp_host:
        raise SendError(
            "Vul eerst 'SMTP-server' in op het blad Instellingen; er is niets verstuurd."
        )
    refuse_plain_login(settings)
    secret = smtp_password(settings, password)
    if settings.smtp_user and not secret:
        raise SendError(
            f"Geen wachtwoord voor de mailserver: zet het in de omgevingsvariabele "
            f"{PASSWORD_VARIABLE}; er is niets verstuurd."
        )
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
            server.login(settings.smtp_user, secret or "")
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(
            f"Kan geen verbinding maken met {settings.smtp_host}:"
            f"{settings.smtp_port} ({exc}); er is niets verstuurd."
        ) from None
    out = []
    with server:
        for w in letters_:
            if w.eml is None:
                out.append(w)
                continue
            message = message_from_bytes(w.eml.read_bytes())
            del message["X-Unsent"]
            try:
                server.send_message(message)
                out.append(_with(w, sent=True))
            except (OSError, smtplib.SMTPException) as exc:
                out.append(_with(w, error=str(exc)))
    return out


#: NL letters that interrupt limitation (art. 3:317 BW; the context's ``brief.stuit_verjaring``).
_INTERRUPTS = (Step.REMINDER, Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT)


def _log_records(
    path: Path, written: list[LetterFile], as_of: date, settings: Settings
) -> list[dict[str, object]]:
    """Return the Acties rows for the letters produced."""
    records = []
    for w in written:
        note = ""
        if w.error:
            note = f"niet verzonden: {w.error}"
        elif w.sent:
            note = "per e-mail verzonden"
        if (
            w.debtor.country is Country.NL
            and w.step in _INTERRUPTS
            and (w.channel is not Channel.EMAIL or settings.nl_email_interrupts_limitation)
        ):
            note = "; ".join(filter(None, (note, "stuit de verjaring")))  # art. 3:317 BW
        records.append(
            {
                "on": as_of,
                "debtor": w.debtor.number,
                "invoices": ", ".join(w.invoices),
                "step": w.step.value,
                "channel": w.channel.value,
                "file": str((w.pdf or w.docx).relative_to(path.parent))
                if (w.pdf or w.docx)
                else "",
                "amount_claimed": w.amount,
                "deadline": w.deadline,
                "note": note,
            }
        )
    return records


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
    loaded: LoadedBook | None = None,
    apply: bool = True,
) -> Changes:
    """Log a phone call and its outcome in Acties: a note, a promise to pay, or a dispute.

    The call counts as the ladder's phone step; a promise pauses the ladder until the promised
    day (a broken promise resumes it); a dispute stops letters for the invoices named.

    Args:
      outcome: ``notitie``, ``belofte`` (needs ``promised_on``) or ``betwist``.
      invoices: the invoices the call was about; default all open invoices of the customer.
    Returns:
      The Acties rows (applied to the file unless ``apply`` is False).
    """
    path = Path(path)
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
    rows: list[dict[str, object]] = [
        {
            "on": as_of,
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
                "on": as_of,
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
