"""``overdracht``: hand a debtor's claim over to a collection agency or bailiff, with a dossier.

The dossier (:mod:`debiteuren.outputs.dossier`) is a folder ``overdracht-<klant>-<peildatum>``
beside the dated letter folders, and a .zip of it: the letter to the agency, the specification
(:mod:`debiteuren.outputs.specification`), the debtor's data, copies of the letters sent and of
the invoices, notes, and a manifest with a SHA-256 of every file.

Which invoices: the ladder decides, with the same function that fills the columns Volgende stap
and Per (``core.handover.select``). An invoice is handed over when its last formal letter's
term, counted from the day that letter was sent, has ended; paid, disputed (the Betwist
column), paused, promised and planned invoices are not, and every invoice left out is named
with the reason and, when known, the day it becomes ready. ``invoices`` (``--facturen``) hands
over a chosen subset; ``force`` (``--toch``) is the explicit way past a running term, and says
so.

The dossier must be complete for the debtor's law (``core.handover.legal_gaps``): an NL
consumer owes collection costs only after a valid 14-dagenbrief whose term expired unpaid; a BE
consumer owes damages and interest only after the free first reminder's term. Without that the
hand-over is refused with the reason; with ``force`` the dossier is built without those costs
(the engine never charges them) and the specification says so.

Then an ``overdracht`` row naming the invoices is appended to Acties, and the debtor is marked
"Uit handen" = Ja on Klanten when no open invoice is left on the ladder, in one save with the
computed columns (the ladder stopped).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..core.book import Assessment
from ..core.claim import DebtorClaim, InvoiceClaim
from ..core.handover import legal_gaps, select
from ..core.ladder import Stage
from ..core.letters import LetterPlan
from ..core.model import Action, Agency, Channel, Creditor, Debtor, LetterState, Step
from ..core.money import Decimal, total
from ..core.rules import chosen_law_notice, rules_for
from ..core.rules.lifecycle import made_later_note
from ..core.sent import sent_by
from ..core.watch import WorthIt, worth_pursuing
from ..errors import DebiteurenError
from ..filenames import safe_name
from ..formatting import euro, short_date
from ..letters.address import MAX_LINES
from ..letters.compose import compose
from ..letters.context import agency_address, letter_context
from ..outputs import dossier
from ..outputs.dossier import InvoiceCopy, LetterCopy
from ..outputs.letters import file_reference, letter_base, user_templates
from ..outputs.specification import DOSSIER_LANGUAGE, Specification, write_docx, write_xlsx
from ..untrusted import one_line
from ..workbook import schema
from ..workbook.changes import refuse_totals_row
from ..workbook.files import locks_workbook
from ..workbook.source import BookSource
from .address import MissingDetails, missing_details
from .changes import Changes, UnknownCustomer, refuse_future, stamp
from .gate import statement_gate
from .pipeline import (
    LoadedBook,
    assess,
    book_warnings,
    folder_of,
    read_book,
    reference_texts,
    write_back,
)

__all__ = [
    "HandoverRefused",
    "HandoverResult",
    "InvoiceCopy",
    "LetterCopy",
    "handover",
    "resolve_agency",
]


class HandoverRefused(DebiteurenError):
    """The dossier would be incomplete for the debtor's law (or there is nothing to hand over)."""

    def __init__(self, customer: str, reasons: Sequence[str], remedy: str = "") -> None:
        lines = [f"Overdracht van klant {customer} geweigerd; er is niets gewijzigd."]
        lines += [f"- {one_line(r)}" for r in reasons]
        if remedy:
            lines.append(remedy)
        super().__init__("\n".join(lines))
        self.reasons = tuple(reasons)


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoverResult:
    """What ``overdracht`` did.

    Attributes:
      folder: the dossier folder; ``archive`` the .zip of it.
      invoices: the invoices handed over.
      left_out: (invoice, Dutch reason) for the invoices not handed over.
      costs_left_out: (invoice, Dutch reason) for invoices handed over without the costs the
        law does not allow (only with ``force``).
      amount: the claim handed over (principal, interest and costs at the peildatum).
      files: every file in the dossier, relative to the folder.
      letters: the letters from the Acties log, with their copies.
      pdf_note: a Dutch note when no PDFs could be made.
      warnings: Dutch notes that do not stop the hand-over.
      checks: what the book records that the user should check, each naming sheet, row and
        column (:func:`.pipeline.book_warnings`).
      worth: the claim weighed against the cost of pursuing it.
      backup: the copy of the workbook made before it was changed.
      forced: (invoice, reason) for invoices handed over with ``force`` although the ladder
        did not call them ready.
      whole: every open invoice of the customer is now handed over ("Uit handen" = Ja).
    """

    folder: Path
    archive: Path
    debtor: Debtor
    to: str
    invoices: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]
    costs_left_out: tuple[tuple[str, str], ...]
    amount: Decimal
    files: tuple[str, ...]
    letters: tuple[LetterCopy, ...]
    pdf_note: str
    warnings: tuple[str, ...]
    worth: WorthIt
    backup: Path | None
    changes: Changes = field(default_factory=Changes)
    agency: Agency | None = None
    checks: tuple[str, ...] = ()
    invoice_copies: tuple[InvoiceCopy, ...] = ()
    forced: tuple[tuple[str, str], ...] = ()
    whole: bool = True

    @property
    def missing_letters(self) -> tuple[LetterCopy, ...]:
        """Return the letters whose file could not be found."""
        return tuple(c for c in self.letters if c.copy is None)


_POSTCODE_CITY = re.compile(r"^(?P<postcode>\d{4}\s?[A-Za-z]{2}|\d{4})\s+(?P<city>\S.*)$")


def resolve_agency(to: str, agencies: Sequence[Agency]) -> Agency | None:
    """Return the addressee of the hand-over letter for ``--aan``.

    ``to`` is a Code or Naam on the Incassobureaus sheet (case ignored), or "Naam, Adres,
    Postcode Plaats" (a Dutch ``1234 AB`` or Belgian ``1000`` postcode). Empty: the only row of
    the sheet, if there is exactly one. A bare name that is on no row gives an Agency without an
    address (the caller warns). Raises DebiteurenError for an address it cannot read.
    """
    text = " ".join(to.split())
    if not text:
        return agencies[0] if len(agencies) == 1 else None
    wanted = text.casefold()
    for agency in agencies:
        if wanted in (agency.code.casefold(), agency.name.casefold()):
            return agency
    if "," not in text:
        return Agency(name=text)
    name, *rest = (part.strip() for part in text.split(","))
    match = _POSTCODE_CITY.match(rest[-1]) if len(rest) >= 2 else None
    if not name or match is None:
        raise DebiteurenError(
            f"--aan: '{to}' is niet te lezen. Noem de Code of Naam van een rij op het blad "
            "Incassobureaus, of geef naam en adres als 'Naam, Straat 1, 1234 AB Plaats'."
        )
    postcode = match["postcode"].upper()
    return Agency(
        name=name,
        address=", ".join(rest[:-1]),
        postcode=postcode,
        city=match["city"],
        country="BE" if postcode.isdigit() else "NL",
    )


@dataclass(slots=True)
class _Case:
    """One hand-over: the book, the claim, the invoices chosen and what the law leaves out."""

    loaded: LoadedBook
    assessment: Assessment
    as_of: date
    now: datetime
    debtor: Debtor
    claim: DebtorClaim
    actions: list[Action]
    chosen: list[InvoiceClaim]
    left_out: list[tuple[str, str]]
    forced: list[tuple[str, str]]
    gaps: list[tuple[str, str]]
    agency: Agency | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(c.invoice.number for c in self.chosen)

    @property
    def amount(self) -> Decimal:
        return total(c.outstanding for c in self.chosen)

    @property
    def to(self) -> str:
        return self.agency.name if self.agency is not None else ""


@locks_workbook
def handover(
    book: str | Path | BookSource,
    as_of: date,
    *,
    customer: str,
    to: str = "",
    now: datetime,
    out_dir: str | Path | None = None,
    force: bool = False,
    confirm_stale: bool = False,
    invoices: Sequence[str] = (),
    confirm_future: bool = False,
) -> HandoverResult:
    """Hand a customer's claim over: write the dossier, mark the customer, log it in Acties.

    Args:
      book: the workbook file, or the book open in Excel.
      as_of: the day of the hand-over (peildatum); a day after ``now``'s is refused unless
        ``confirm_future``.
      customer, to: the customer number (Klantnr) and the agency or bailiff (``--aan``).
      out_dir: where the dossier folder goes; default beside the dated letter folders.
      force, confirm_stale, invoices: ``--toch``, ``--oud-afschrift``, ``--facturen``.
    Raises:
      HandoverRefused: nothing is written (already handed over, nothing ready, a chosen
        invoice not ready, or without ``force`` a dossier incomplete for the debtor's law).
    """
    refuse_future(as_of, now, confirmed=confirm_future)
    loaded = read_book(book, as_of)
    refuse_totals_row(loaded.tables, schema.ACTIES)
    _debtor(loaded.data.debtors, customer)  # an unknown customer first, not an old statement
    if places := missing_details(loaded):  # the dossier's letter names the business
        raise MissingDetails(places)
    if not confirm_stale:
        statement_gate(loaded.data, as_of)
    case = _case(loaded, as_of, now, customer, tuple(invoices), force)
    case.agency = _agency(case, to)
    _agency_window(case)
    path = folder_of(loaded)
    base = Path(out_dir) if out_dir is not None else letter_base(path, loaded.data.letter_folder)
    name = f"overdracht-{safe_name(customer, distinct=True)}-{as_of.isoformat()}"
    folder = dossier.free_folder(base, name)
    letters, invoice_copies, pdf_note = _dossier(case, folder)
    archive = dossier.archive_of(folder)
    try:
        dossier.zip_folder(folder, archive)
        whole = _whole(case)
        changes = _changes(case, file_reference(archive, path), whole)
        # the ladder stopped: Fase and Overzicht in the same save
        copy = write_back(loaded, as_of, now, changes, assessment=case.assessment).backup
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        archive.unlink(missing_ok=True)
        raise
    return _result(case, folder, letters, invoice_copies, pdf_note, changes, copy, whole)


def _result(
    case: _Case,
    folder: Path,
    letters: Sequence[LetterCopy],
    invoice_copies: Sequence[InvoiceCopy],
    pdf_note: str,
    changes: Changes,
    backup: Path | None,
    whole: bool,
) -> HandoverResult:
    return HandoverResult(
        changes=changes,
        folder=folder,
        archive=dossier.archive_of(folder),
        debtor=case.debtor,
        to=case.to,
        invoices=case.numbers,
        left_out=tuple(case.left_out),
        costs_left_out=tuple(case.gaps),
        amount=case.amount,
        files=tuple(dossier.files(folder)),
        letters=tuple(letters),
        pdf_note=pdf_note,
        warnings=tuple(case.warnings),
        checks=book_warnings(case.loaded.data),
        worth=worth_pursuing(case.debtor, case.amount, creditor=case.loaded.data.creditor),
        backup=backup,
        agency=case.agency,
        invoice_copies=tuple(invoice_copies),
        forced=tuple(case.forced),
        whole=whole,
    )


def _agency(case: _Case, to: str) -> Agency | None:
    """Return the addressee of the agency letter (``--aan``); warn when it has no address."""
    agency = resolve_agency(to, case.loaded.data.agencies)
    if agency is None or not agency.address:
        named = f" van {agency.name}" if agency is not None else ""
        case.warnings.append(
            f"De overdrachtsbrief heeft geen adres{named}: zet het incassobureau op het blad "
            "Incassobureaus en noem de Code met --aan, of geef --aan 'Naam, Straat 1, 1234 AB "
            "Plaats'."
        )
    return agency


def _case(
    loaded: LoadedBook,
    as_of: date,
    now: datetime,
    customer: str,
    invoices: tuple[str, ...],
    force: bool,
) -> _Case:
    """Return what is handed over, or refuse (:class:`HandoverRefused`)."""
    data = loaded.data
    debtor = _debtor(data.debtors, customer)
    assessment = assess(loaded, as_of)
    if customer not in assessment.claims:
        raise HandoverRefused(customer, ["de klant heeft geen facturen"])
    claim = assessment.claims[customer]
    wanted = tuple(dict.fromkeys(n.strip() for n in invoices if n.strip()))
    strange = [n for n in wanted if n not in {c.invoice.number for c in claim.invoices}]
    if strange:
        raise DebiteurenError(
            f"Factuur {', '.join(strange)} is geen openstaande factuur van klant {customer}; "
            "er is niets gewijzigd."
        )
    selection = select(claim, assessment.stages[customer], as_of, wanted, force)
    _refuse_selection(customer, wanted, selection.chosen, selection.left_out)
    gaps = [
        (g.invoice, g.reason)
        for g in legal_gaps(debtor, selection.chosen, as_of, data.creditor, data.settings)
    ]
    if gaps and not force:
        raise HandoverRefused(
            customer,
            [f"factuur {n}: {why}" for n, why in gaps],
            "Het dossier zou onvolledig zijn. " + rules_for(debtor, data.creditor).WORDING.remedy,
        )
    # Only letters that went out count, dated the day they went out (rules.lifecycle).
    actions = sorted(
        (a for a in data.actions if a.debtor == customer and sent_by(a, as_of)),
        key=lambda a: a.on,
    )
    return _Case(
        loaded=loaded,
        assessment=assessment,
        as_of=as_of,
        now=now,
        debtor=debtor,
        claim=claim,
        actions=actions,
        chosen=list(selection.chosen),
        left_out=list(selection.left_out),
        forced=list(selection.forced),
        gaps=gaps,
        warnings=_warnings(selection.forced, claim, data.creditor),
    )


def _warnings(
    forced: Sequence[tuple[str, str]], claim: DebtorClaim, creditor: Creditor
) -> list[str]:
    """Return the notes that do not stop the hand-over: invoices forced (``--toch``), money
    paid too much, the law chosen for a consumer abroad."""
    warnings = [
        f"Factuur {n} toch overgedragen (--toch): {why}; het dossier vordert daarvoor alleen "
        "wat de wet nu al toestaat."
        for n, why in forced
    ]
    if claim.unallocated > 0:
        warnings.append(
            f"De klant heeft {euro(claim.unallocated)} te veel betaald (tegoed); "
            "dat is niet verrekend in de specificatie."
        )
    return warnings + list(filter(None, (chosen_law_notice(claim.debtor, creditor),)))


def _debtor(debtors: dict[str, Debtor], customer: str) -> Debtor:
    """Return the customer; refuse one that is unknown or already handed over."""
    if customer not in debtors:
        raise UnknownCustomer(customer, debtors)
    if debtors[customer].handed_over:
        raise HandoverRefused(
            customer,
            ["de klant staat al op 'Uit handen' = Ja (blad Klanten)"],
            "Zet 'Uit handen' op Nee als u opnieuw wilt overdragen.",
        )
    return debtors[customer]


def _refuse_selection(
    customer: str,
    wanted: tuple[str, ...],
    chosen: Sequence[InvoiceClaim],
    left_out: Sequence[tuple[str, str]],
) -> None:
    """Refuse when a chosen invoice is not ready, or when nothing is."""
    if wanted and left_out:
        raise HandoverRefused(
            customer,
            [f"factuur {n}: {why}" for n, why in left_out],
            "Kies alleen facturen die klaar zijn voor overdracht, of draag bewust toch over met "
            "--toch (niet bij betwiste, gepauzeerde, beloofde of betaalde facturen en facturen "
            "in een lopende betalingsregeling).",
        )
    if not chosen:
        reasons = [f"factuur {n}: {why}" for n, why in left_out] or ["er staat niets open"]
        raise HandoverRefused(
            customer,
            ["er is geen openstaande factuur die klaar is voor overdracht", *reasons],
            "Een factuur is klaar als de termijn van de laatste aanmaning of "
            "ingebrekestelling, gerekend vanaf de dag van verzending, voorbij is; met --toch "
            "draagt u bewust eerder over.",
        )


def _agency_window(case: _Case) -> None:
    """Warn when the agency's address does not fit in the window of the letter's envelope
    (at most six lines, as for a customer: ``letters/address.py``)."""
    agency = case.agency
    if agency is None or not agency.address:
        return
    block = agency_address(_plan(case), case.loaded.data.creditor, DOSSIER_LANGUAGE)
    if not block.too_long:
        return
    if any(agency is row for row in case.loaded.data.agencies):
        column = schema.INCASSO.column(block.too_long).header
        remedy = (
            f"Maak op het blad Incassobureaus de kolom {column} korter (minder regels met "
            "Alt+Enter, of een kortere tekst)"
        )
    else:  # given as 'Naam, Straat 1, 1234 AB Plaats' with --aan: no row to shorten
        remedy = "Geef bij --aan een kortere naam of een korter adres"
    case.warnings.append(
        f"Het adres van {one_line(agency.name, 60)} past niet in het venster van de "
        f"envelop: het neemt {len(block.lines)} regels en PostNL en bpost nemen er "
        f"hoogstens {MAX_LINES}. {remedy} en maak het dossier opnieuw, of stuur de brief in "
        "een envelop zonder venster."
    )


def _plan(
    case: _Case, invoice_copies: Sequence[InvoiceCopy] = (), letters: Sequence[LetterCopy] = ()
) -> LetterPlan:
    """Return the agency letter's plan, saying exactly which copies are enclosed (and which
    letters sent have none)."""
    agency = case.agency
    address = ("", "", "", "", "")
    if agency is not None:
        address = (agency.contact, agency.address, agency.postcode, agency.city, agency.country)
    return LetterPlan(
        claim=case.claim,
        step=Step.HANDOVER,
        invoices=case.numbers,
        sent_on=case.as_of,
        channel=Channel.POST,
        language=DOSSIER_LANGUAGE,
        reference_stored=reference_texts(case.loaded.data),
        handover_to=case.to or "Aan het incassobureau",
        handover_address=address,
        handover_history=tuple((a.on, dossier.action_text(a)) for a in case.actions),
        handover_enclosures=(
            tuple(c.invoice for c in invoice_copies if c.copy is not None),
            tuple(c.invoice for c in invoice_copies if c.copy is None),
            sum(1 for c in letters if c.copy is not None),
        ),
        handover_letters_missing=tuple(c.action.on for c in letters if c.copy is None),
    )


def _specification(case: _Case) -> Specification:
    """Return the specification: the chosen invoices, the payments, the notes."""
    data = case.loaded.data
    # The interest wording of the specification, from the same context as the letter.
    context = letter_context(_plan(case), data.creditor, data.settings, case.loaded.rates)
    rules = rules_for(case.debtor, data.creditor)
    not_claimed = rules.WORDING.costs_not_claimed
    notes = [f"Factuur {n} is niet overgedragen: {why}." for n, why in case.left_out]
    notes += [f"Factuur {n}: geen {not_claimed} gevorderd: {why}." for n, why in case.gaps]
    notes += [
        rules.WORDING.default_note.format(
            invoice=c.invoice.number,
            day=short_date(c.default_notice.charges_from),
            sent=short_date(c.default_notice.sent_on),
            last=short_date(c.default_notice.last_day),
        )
        for c in case.chosen
        if c.default_notice is not None and rules.WORDING.default_note
    ]
    notes += [
        rules.WORDING.limitation_note.format(invoice=c.invoice.number, day=short_date(c.limitation))
        for c in case.chosen
    ]
    notes += [
        f"Notitie bij factuur {c.invoice.number}: {c.invoice.note}"
        for c in case.chosen
        if c.invoice.note
    ]
    payments = sorted(
        (p for p in data.payments if p.debtor == case.debtor.number and p.on <= case.as_of),
        key=lambda p: p.on,
    )
    return Specification(
        creditor=data.creditor,
        debtor=case.debtor,
        as_of=case.as_of,
        dossier=f"{case.debtor.number}-{case.as_of:%Y%m%d}",
        to=case.to,
        invoices=tuple(case.chosen),
        payments=tuple(payments),
        interest_text=context["rente"]["omschrijving"],
        day_count=context["rente"]["dagtelling"],
        notes=tuple(notes),
        gaps=dict(case.gaps),
        not_claimed=not_claimed,
    )


def _dossier(case: _Case, folder: Path) -> tuple[list[LetterCopy], list[InvoiceCopy], str]:
    """Build the dossier folder; return the letters and invoices with their copies, and a note
    when no PDFs could be made."""
    path, data = case.loaded.path, case.loaded.data
    spec = _specification(case)
    with dossier.building(folder) as root:
        letters_folder = letter_base(path, data.letter_folder)
        copies = dossier.collect_letters(
            path, case.actions, root / "brieven", letters_folder, tuple(data.debtors)
        )
        invoice_copies = dossier.collect_invoices(
            [c.invoice for c in case.chosen], path, root / "facturen"
        )
        plan = _plan(case, invoice_copies, copies)
        _, letter = compose(
            plan,
            data.creditor,
            data.settings,
            case.loaded.rates,
            qr=False,
            user_dir=user_templates(path, data.letter_folder),
        )
        (root / "overdrachtsbrief.docx").write_bytes(letter)
        write_xlsx(spec, root / "specificatie.xlsx")
        write_docx(spec, root / "specificatie.docx")
        record = json.dumps(
            dossier.debtor_record(case.debtor, case.loaded.data.creditor),
            ensure_ascii=False,
            indent=2,
        )
        (root / "debiteur.json").write_text(record + "\n", encoding="utf-8")
        from ..letters import render  # python-docx, lxml: desktop only

        pdfs = render.convert_to_pdf(
            [root / "overdrachtsbrief.docx", root / "specificatie.docx"], root
        )
        dossier.write_notes(
            root / "notities.txt",
            case.debtor,
            case.actions,
            copies,
            case.chosen,
            case.left_out,
            case.gaps,
            case.claim,
            root,
            invoice_copies,
        )
        dossier.write_manifest(root, _manifest(case, spec, root, copies, invoice_copies))
    letters = [replace(c, copy=dossier.moved(c.copy, root, folder)) for c in copies]
    moved = [replace(c, copy=dossier.moved(c.copy, root, folder)) for c in invoice_copies]
    note = (
        ""
        if pdfs is not None
        else (
            "LibreOffice is niet geïnstalleerd: er zijn geen PDF's gemaakt; de overdrachtsbrief en "
            "de specificatie staan als .docx in het dossier (in Word als PDF op te slaan)."
        )
    )
    return letters, moved, note


def _manifest(
    case: _Case,
    spec: Specification,
    root: Path,
    copies: Sequence[LetterCopy],
    invoice_copies: Sequence[InvoiceCopy],
) -> dict[str, object]:
    """Return what manifest.json says besides the files' checksums."""
    return {
        "dossier": spec.dossier,
        "klant": case.debtor.number,
        "naam": case.debtor.name,
        "peildatum": case.as_of.isoformat(),
        "gemaakt": case.now.isoformat(timespec="seconds"),
        "overgedragen_aan": case.to,
        "facturen": list(case.numbers),
        "factuurkopieen": {
            c.invoice: (c.copy.relative_to(root).as_posix() if c.copy else None)
            for c in invoice_copies
        },
        "totaal": f"{case.amount:.2f}",
        "ontbrekende_brieven": [
            {
                "datum": c.action.on.isoformat(),
                "actie": c.action.step.value,
                "bestand": c.action.file,
                "reden": c.why,
            }
            for c in copies
            if c.copy is None
        ],
    }


def _whole(case: _Case) -> bool:
    """Return True when no open invoice of the customer stays on the ladder."""
    stages = case.assessment.stages[case.debtor.number]
    return not [
        c.invoice.number
        for c in case.claim.invoices
        if c.invoice.number not in case.numbers
        and c.outstanding > 0
        and stages[c.invoice.number].stage not in (Stage.HANDED_OVER, Stage.PAID)
    ]


def _changes(case: _Case, archive: str, whole: bool) -> Changes:
    """Return the workbook changes: the overdracht in Acties (a concept until the dossier is
    sent; the hand-over counts from its day), and the customer "Uit handen" when every open
    invoice is now handed over (``whole``); otherwise the Acties row, which names the invoices,
    stops the ladder for those only."""
    note = f"overgedragen aan {case.to}" if case.to else "overgedragen ter incasso"
    if case.gaps:
        word = rules_for(case.debtor, case.loaded.data.creditor).WORDING.costs_left_out
        note += f"; zonder {word} voor {', '.join(n for n, _ in case.gaps)}"
    if made_later := made_later_note(case.as_of, case.now.date()):
        note += f"; {made_later}"  # the dossier cannot have gone out before it was made
    changes = Changes()
    if whole:
        changes.set(schema.KLANTEN, "number", case.debtor.number, "handed_over", True)
    action = Action(
        on=stamp(case.as_of, case.now),
        debtor=case.debtor.number,
        invoices=case.numbers,
        step=Step.HANDOVER,
        channel=Channel.POST,
        state=LetterState.DRAFT,
        file=archive,
        amount_claimed=case.amount,
        note=note,
    )
    changes.add(schema.action_row(action))
    return changes
