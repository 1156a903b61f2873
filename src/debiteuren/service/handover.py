"""``overdracht``: hand a debtor's claim over to a collection agency or bailiff, with a dossier.

The dossier is a folder ``overdracht-<klant>-<peildatum>`` beside the dated letter folders (and
a .zip of it) holding everything an agency needs to take the claim on without asking back:

- ``overdrachtsbrief.docx`` (+ .pdf): the letter to the agency (template ``overdracht``, in Dutch);
- ``specificatie.xlsx`` and ``specificatie.docx`` (+ .pdf): the claim per invoice: dates,
  principal, payments and how each was allocated (costs, interest, principal), interest per
  period with its rate and the rate's source, costs with their legal basis, and the total;
- ``debiteur.json``: the debtor's data (name, address, KvK/KBO, VAT number, e-mail, phone, kind);
- ``brieven/``: a copy of every letter sent (the Acties log's Bestand column), dated;
- ``facturen/``: a copy of each invoice whose Factuur-pdf file lies inside the workbook's folder
  tree (the letter says which invoices are attached and which are not);
- ``notities.txt``: the Acties log, notes and disputes, invoices left out and why;
- ``manifest.json`` and ``MANIFEST.txt``: a SHA-256 of every file (``sha256sum -c`` format).

Which invoices: the ladder decides, with the same function that fills the columns Volgende stap
and Per (``core.ladder.handover_readiness``, through ``core.handover.select``). An invoice is
handed over when its last formal
letter's term, counted from the day that letter was sent, has ended; paid, disputed (the Betwist
column), paused, promised and planned invoices are not, and every invoice left out is named with
the reason and, when known, the day it becomes ready. ``invoices`` (``--facturen``) hands over a
chosen subset; ``force`` (``--toch``) is the explicit way past a running term, and says so.

Then an ``overdracht`` row naming the invoices is appended to Acties (after a backup, saved
atomically), so the ladder stops for them, and the debtor is marked "Uit handen" = Ja on Klanten
when no open invoice is left on the ladder; payments that come in later are imported as always.

The dossier must be complete for the debtor's law. An NL consumer owes collection costs only
after a valid 14-dagenbrief whose term expired unpaid (art. 6:96 lid 6 BW, nl.md §4); a BE
consumer owes damages and interest only after the free first reminder's term (Book XIX WER,
be.md §3). Without that the hand-over is refused with the reason (``core.handover.legal_gaps``);
with ``force`` the dossier is built without those costs (the engine never charges them) and the
specification says so.
Disputed, paused and not yet due invoices are left out with a note.

Every legal citation comes from the debtor's country rules (``core/rules``): a Belgian
specification cites Belgian law (art. 5.210 BW, the law of 2 August 2002, Book XIX WER), a
Dutch one Dutch law; each interest period names its rate's official publication (Staatsblad,
Belgisch Staatsblad) through :func:`~debiteuren.core.rules.rate_citation`, never the internal
notes of the Rentes sheet.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from ..core.claim import DebtorClaim, InvoiceClaim
from ..core.handover import legal_gaps, select
from ..core.ladder import Stage
from ..core.model import (
    Action,
    Agency,
    Channel,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    LetterState,
    Payment,
    Step,
)
from ..core.money import Decimal, total
from ..core.rules import citation, rate_citation, rules_for
from ..core.sent import sent_by
from ..core.watch import WorthIt, worth_pursuing
from ..errors import DebiteurenError
from ..filenames import existing_file, inside, is_inside, safe_name
from ..formatting import euro, short_date
from ..letters.context import LetterPlan, letter_context, template_for
from ..letters.render import convert_to_pdf, find_template, render_letter
from ..workbook import schema
from ..workbook.cells import text_only
from ..workbook.files import atomic_write, locks_workbook
from ..workbook.source import BookSource
from .changes import Changes, refuse_future
from .letters import letter_base
from .pipeline import assess, folder_of, invoice_references, read_book, write_back

__all__ = [
    "HandoverRefused",
    "HandoverResult",
    "InvoiceCopy",
    "handover",
    "resolve_agency",
]

#: Acties steps that are letters to the debtor (their files go into the dossier).
LETTERS_SENT = (
    Step.REMINDER,
    Step.BE_FIRST_REMINDER,
    Step.FOURTEEN_DAY_LETTER,
    Step.NOTICE_OF_DEFAULT,
    Step.PLAN,
)

MONEY_FORMAT = '"€" #,##0.00'
#: The dossier (agency letter, specification, notes) is in Dutch; citations follow it.
DOSSIER_LANGUAGE = "nl"
DATE_FORMAT = "dd-mm-yyyy"


class HandoverRefused(DebiteurenError):
    """The dossier would be incomplete for the debtor's law (or there is nothing to hand over)."""

    def __init__(self, customer: str, reasons: Sequence[str], remedy: str = "") -> None:
        lines = [f"Overdracht van klant {customer} geweigerd; er is niets gewijzigd."]
        lines += [f"- {r}" for r in reasons]
        if remedy:
            lines.append(remedy)
        super().__init__("\n".join(lines))
        self.reasons = tuple(reasons)


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterCopy:
    """A letter from the Acties log and where its copy in the dossier is (None: missing).

    Attributes:
      why: a Dutch reason when the letter is not in the dossier.
    """

    action: Action
    source: Path | None
    copy: Path | None
    why: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceCopy:
    """An invoice's own file (Factuur-pdf) and its copy in the dossier (None: not attached).

    Attributes:
      why: a Dutch reason when the file is not attached.
    """

    invoice: str
    file: str
    copy: Path | None
    why: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoverResult:
    """What ``overdracht`` did.

    Attributes:
      folder: the dossier folder.
      archive: the .zip of the folder.
      invoices: the invoices handed over.
      left_out: (invoice, Dutch reason) for the invoices not handed over.
      costs_left_out: (invoice, Dutch reason) for invoices handed over without the costs the
        law does not allow (only with ``force``).
      amount: the claim handed over (principal, interest and costs at the peildatum).
      files: every file in the dossier, relative to the folder.
      letters: the letters from the Acties log, with their copies.
      pdf_note: a Dutch note when no PDFs could be made.
      warnings: Dutch notes that do not stop the hand-over.
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
    invoice_copies: tuple[InvoiceCopy, ...] = ()
    forced: tuple[tuple[str, str], ...] = ()
    whole: bool = True

    @property
    def missing_letters(self) -> tuple[LetterCopy, ...]:
        """Return the letters whose file could not be found."""
        return tuple(c for c in self.letters if c.copy is None)


# --- Folders and letters ----------------------------------------------------------------------


def _free_folder(parent: Path, name: str) -> Path:
    target = inside(parent, name)
    n = 2
    while target.exists() or target.with_suffix(".zip").exists():
        target = parent / f"{name}-{n}"
        n += 1
    return target


def _slug(text: str) -> str:
    return safe_name(text)


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
    country = "BE" if postcode.isdigit() else "NL"
    return Agency(
        name=name,
        address=", ".join(rest[:-1]),
        postcode=postcode,
        city=match["city"],
        country=country,
    )


#: Why a letter or invoice file is not in the dossier when it is missing (else: left out).
NOT_FOUND = "bestand niet gevonden"
NO_FILE = "geen bestand vastgelegd"


def _copy_into(source: Path, folder: Path, name: str) -> Path:
    """Copy ``source`` to ``folder/name`` (numbered ``-2``, ``-3``... when taken); return the
    copy. ``name`` is a safe name we built; the copy's mode follows the umask."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = inside(folder, name)
    stem, n = copy.stem, 2
    while copy.exists():
        copy = inside(folder, f"{stem}-{n}{copy.suffix}")
        n += 1
    shutil.copyfile(source, copy)
    return copy


def _locate(name: str, base: Path, folder: Path, where: str) -> tuple[Path | None, str]:
    """Return the file a name from data stands for when it lies inside ``folder``, else None
    with the Dutch reason: not found, or outside ``folder`` (``where`` names that folder).

    The one containment check of the dossier: links and ``..`` are resolved first, so
    ``/etc/passwd``, ``../../geheim.txt`` or a link out of the folder never goes to a third
    party.
    """
    found = existing_file(name, base)
    if found is None:
        return None, NOT_FOUND
    if not is_inside(folder, found):
        return None, f"staat buiten {where}; alleen bestanden uit die map gaan mee in een dossier"
    return found, ""


def _collect_invoices(invoices: Sequence[Invoice], path: Path, target: Path) -> list[InvoiceCopy]:
    """Copy each invoice's Factuur-pdf into ``target`` when it is a PDF inside the workbook's
    folder (or a folder within it)."""
    copies = []
    for inv in invoices:
        if not inv.file:
            copies.append(
                InvoiceCopy(
                    invoice=inv.number, file="", copy=None, why="geen Factuur-pdf opgegeven"
                )
            )
            continue
        source, why = _locate(inv.file, path.parent, path.parent, "de map van het werkboek")
        if source is not None and source.suffix.lower() != ".pdf":
            why, source = "geen PDF-bestand", None
        copy = None
        if source is not None:
            copy = _copy_into(source, target, f"factuur-{_slug(inv.number)}.pdf")
        copies.append(InvoiceCopy(invoice=inv.number, file=inv.file, copy=copy, why=why))
    return copies


def _collect_letters(
    path: Path, actions: Sequence[Action], target: Path, letters: Path
) -> list[LetterCopy]:
    """Copy the letters of the Acties log into ``target``; return every letter with its copy.

    Only files inside ``letters`` (this workbook's letters folder) are copied: the Bestand
    column is data, and a dossier for a third party must not carry any other file. A letter
    not copied says why (not found, or outside the letters folder).
    """
    copies = []
    for a in sorted(actions, key=lambda a: a.on):
        if a.step not in LETTERS_SENT:
            continue
        source = copy = None
        why = NO_FILE
        if a.file:
            source = Path(a.file) if Path(a.file).is_absolute() else path.parent / a.file
            found, why = _locate(
                a.file, path.parent, letters, "de map met brieven van dit werkboek"
            )
            if found is not None:
                name = f"{a.on.isoformat()}-{_slug(a.step.value)}-{_slug(found.name)}"
                copy = _copy_into(found, target, name)
        copies.append(LetterCopy(action=a, source=source, copy=copy, why=why))
    return copies


def _action_text(a: Action) -> str:
    parts = [a.step.value]
    if a.channel is not Channel.POST or a.step in LETTERS_SENT:
        parts[0] += f" ({a.channel.value})"
    if a.invoices:
        parts.append("facturen " + ", ".join(a.invoices))
    if a.amount_claimed:
        parts.append(f"gevorderd {euro(a.amount_claimed)}")
    if a.received_on:
        parts.append(f"ontvangen op {short_date(a.received_on)}")
    if a.tracking:
        parts.append(f"track & trace {a.tracking}")
    if a.note:
        parts.append(a.note)
    return "; ".join(parts)


# --- The debtor's data ------------------------------------------------------------------------


def _debtor_record(debtor: Debtor) -> dict[str, object]:
    return {
        "klantnr": debtor.number,
        "naam": debtor.name,
        "contactpersoon": debtor.contact,
        "adres": debtor.address,
        "postcode": debtor.postcode,
        "plaats": debtor.city,
        "land": str(debtor.country),
        "soort": "consument" if debtor.kind is DebtorKind.CONSUMER else "onderneming",
        "kvk_kbo": debtor.registration,
        "btw_nummer": debtor.vat_number,
        "email": debtor.email,
        "telefoon": debtor.phone,
        "taal": debtor.language,
    }


# --- The specification ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Spec:
    """Everything the specification shows, computed once for the .xlsx and the .docx."""

    creditor: Creditor
    debtor: Debtor
    as_of: date
    dossier: str
    to: str
    invoices: tuple[InvoiceClaim, ...]
    payments: tuple[Payment, ...]
    interest_text: str
    day_count: str
    notes: tuple[str, ...]
    gaps: dict[str, str]
    not_claimed: str

    @property
    def total(self) -> Decimal:
        return total(c.outstanding for c in self.invoices)


SUMMARY_HEADERS = (
    "Factuurnr",
    "Factuurdatum",
    "Vervaldatum",
    "Omschrijving",
    "Hoofdsom",
    "Betaald",
    "Open hoofdsom",
    "Open rente",
    "Open kosten",
    "Totaal",
)


def _summary_rows(spec: _Spec) -> list[tuple]:
    return [
        (
            c.invoice.number,
            c.invoice.invoice_date,
            c.invoice.due_date,
            c.invoice.description,
            c.invoice.amount,
            c.statement.paid,
            c.principal_open,
            c.statement.interest_open,
            c.statement.costs_open,
            c.outstanding,
        )
        for c in spec.invoices
    ]


def _write_spec_xlsx(spec: _Spec, target: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9D9D9")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Samenvatting"

    def table(
        sheet,
        top: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[int],
    ) -> int:
        for col, text in enumerate(headers, 1):
            cell = sheet.cell(row=top, column=col, value=text)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        r = top
        for values in rows:
            r += 1
            for col, value in enumerate(values, 1):
                cell = sheet.cell(row=r, column=col, value=value)
                if isinstance(value, Decimal):
                    cell.number_format = MONEY_FORMAT
                elif isinstance(value, date):
                    cell.number_format = DATE_FORMAT
        for col, width in enumerate(widths, 1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
        return r

    info = [
        ("Specificatie van de vordering", None),
        (
            "Schuldeiser",
            f"{spec.creditor.name}, {spec.creditor.address}, {spec.creditor.postcode} "
            f"{spec.creditor.city}",
        ),
        ("Debiteur", f"{spec.debtor.name} ({spec.debtor.number})"),
        ("Peildatum", spec.as_of),
        ("Dossier", spec.dossier),
        ("Overgedragen aan", spec.to or "–"),
        (
            "Rente",
            f"{spec.interest_text} ({spec.day_count})" if spec.interest_text else "geen rente",
        ),
        (
            "Toerekening",
            "betalingen gaan naar kosten, dan rente, dan hoofdsom "
            f"({citation(rules_for(spec.debtor), 'allocation', DOSSIER_LANGUAGE)})",
        ),
    ]
    for i, (label, value) in enumerate(info, 1):
        ws.cell(row=i, column=1, value=label).font = bold
        cell = ws.cell(row=i, column=2, value=value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
    ws["A1"].font = Font(bold=True, size=14)
    top = len(info) + 2
    last = table(
        ws, top, SUMMARY_HEADERS, _summary_rows(spec), (14, 13, 13, 32, 14, 14, 14, 14, 14, 14)
    )
    ws.cell(row=last + 1, column=1, value="Totaal").font = bold
    for col, attr in (
        (5, "amount"),
        (6, "paid"),
        (7, "principal_open"),
        (8, "interest_open"),
        (9, "costs_open"),
        (10, "outstanding"),
    ):
        value = total(_attr(c, attr) for c in spec.invoices)
        cell = ws.cell(row=last + 1, column=col, value=value)
        cell.number_format, cell.font = MONEY_FORMAT, bold

    rente = wb.create_sheet("Rente")
    table(
        rente,
        1,
        (
            "Factuurnr",
            "Van",
            "Tot en met",
            "Dagen",
            "Grondslag",
            "Rente %",
            "Rente",
            "Bron van de rentevoet",
        ),
        [
            (
                c.invoice.number,
                p.start,
                p.end,
                p.days,
                p.base,
                p.rate,
                p.interest,
                rate_citation(p.rate_row, DOSSIER_LANGUAGE),
            )
            for c in spec.invoices
            for p in c.statement.periods
        ],
        (14, 12, 12, 8, 14, 9, 12, 90),
    )
    for row in rente.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "0.00"
    caps = wb.create_sheet("Kapitalisaties")
    table(
        caps,
        1,
        ("Factuurnr", "Op", "Bij de hoofdsom", "Nieuwe grondslag"),
        [
            (c.invoice.number, k.on, k.amount, k.base_after)
            for c in spec.invoices
            for k in c.statement.capitalisations
        ],
        (14, 12, 16, 16),
    )
    kosten = wb.create_sheet("Kosten")
    table(
        kosten,
        1,
        ("Factuurnr", "Datum", "Bedrag", "Grondslag"),
        [
            (c.invoice.number, k.on, k.amount, k.description)
            for c in spec.invoices
            for k in c.statement.charges
        ],
        (14, 12, 12, 100),
    )
    betalingen = wb.create_sheet("Betalingen")
    table(
        betalingen,
        1,
        (
            "Factuurnr",
            "Datum",
            "Aangeboden",
            "Naar kosten",
            "Naar rente",
            "Naar hoofdsom",
            "Rest (andere facturen)",
        ),
        [
            (c.invoice.number, a.on, a.amount, a.to_costs, a.to_interest, a.to_principal, a.surplus)
            for c in spec.invoices
            for a in c.statement.allocations
        ],
        (14, 12, 14, 14, 14, 14, 18),
    )
    ontvangen = wb.create_sheet("Ontvangen")
    table(
        ontvangen,
        1,
        ("Datum", "Bedrag", "Factuurnr", "Mededeling", "Bron"),
        [(p.on, p.amount, p.invoice, p.text, p.source) for p in spec.payments],
        (12, 14, 14, 40, 14),
    )
    notes = wb.create_sheet("Opmerkingen")
    notes.column_dimensions["A"].width = 120
    for i, text in enumerate(spec.notes or ("Geen opmerkingen.",), 1):
        notes.cell(row=i, column=1, value=text).alignment = Alignment(wrap_text=True)
    atomic_write(target, lambda tmp: text_only(wb).save(tmp))


def _attr(c: InvoiceClaim, name: str) -> Decimal:
    if name == "amount":
        return c.invoice.amount
    if name in ("paid", "interest_open", "costs_open"):
        return getattr(c.statement, name)
    return getattr(c, name)


#: Centimetres per character of a bold 9 pt Arial header (a wide letter, to be safe), and the
#: cell's left and right padding.
_CM_PER_CHAR, _CELL_PADDING = 0.23, 0.45


#: A column whose values are all at most this long (dates, amounts, invoice numbers) keeps
#: each value on one line; longer texts wrap at their spaces.
_SHORT_VALUE = 20


def header_widths(
    headers: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[object]] = ()
) -> list[float]:
    """Return column widths (cm) in which no header word and no short value is broken.

    A column too narrow for its longest header word (or for its longest value, when all its
    values are short: dates, amounts, invoice numbers) is widened, and the column with the most
    room to spare gives that up, so the table keeps its width where it can.
    """
    longest = [max(len(w) for w in h.split()) for h in headers]
    for i in range(len(headers)):
        values = [len(str(row[i])) for row in rows if i < len(row)]
        if values and max(values) <= _SHORT_VALUE:
            longest[i] = max(longest[i], *values)
    need = [n * _CM_PER_CHAR + _CELL_PADDING for n in longest]
    out = [max(w, n) for w, n in zip(widths, need, strict=True)]
    excess = sum(out) - sum(widths)
    while excess > 0.001:
        i = max(range(len(out)), key=lambda k: out[k] - need[k])
        room = out[i] - need[i]
        if room <= 0.001:
            break  # every column is at its minimum: the table grows
        take = min(room, excess)
        out[i] -= take
        excess -= take
    return out


def _write_spec_docx(spec: _Spec, target: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.6))
    section.top_margin = section.bottom_margin = Cm(1.4)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(2)
    for name, size in (("Title", 16), ("Heading 1", 12), ("Heading 2", 10)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(8)
        style.paragraph_format.space_after = Pt(3)

    def money(x: Decimal) -> str:
        return euro(x)

    def grid(
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        right: Sequence[int] = (),
        bold_last: bool = False,
    ) -> None:
        widths = header_widths(headers, widths, rows)
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        t.autofit = False
        header = t.rows[0]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on each page
        for i, text in enumerate(headers):
            cell = header.cells[i]
            cell.text = ""
            cell.paragraphs[0].paragraph_format.keep_with_next = True  # never alone at a page end
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            if i in right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for n, values in enumerate(rows):
            cells = t.add_row().cells
            for i, text in enumerate(values):
                cells[i].text = ""
                run = cells[i].paragraphs[0].add_run(str(text))
                run.bold = bold_last and n == len(rows) - 1
                if i in right:
                    cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for i, width in enumerate(widths):
            t.columns[i].width = Cm(width)  # the grid: LibreOffice reads this one
            for cell in t.columns[i].cells:
                cell.width = Cm(width)  # the cells: Word reads these
        doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def label(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.add_run(text).italic = True

    doc.add_paragraph("Specificatie van de vordering", style="Title")
    c, d = spec.creditor, spec.debtor
    kind = "consument" if d.kind is DebtorKind.CONSUMER else "onderneming"
    lines = [
        (
            "Schuldeiser",
            f"{c.name}, {c.address}, {c.postcode} {c.city}"
            + (f"; KvK/KBO {c.registration}" if c.registration else ""),
        ),
        (
            "Debiteur",
            f"{d.name} (klantnr {d.number}), {d.address}, {d.postcode} {d.city}, "
            f"{d.country}; {kind}",
        ),
        ("Peildatum", short_date(spec.as_of)),
        ("Dossier", spec.dossier + (f"; overgedragen aan {spec.to}" if spec.to else "")),
        (
            "Rente",
            f"{spec.interest_text}; dagtelling {spec.day_count}"
            if spec.interest_text
            else "geen rente",
        ),
    ]
    for caption, text in lines:
        p = doc.add_paragraph()
        p.add_run(f"{caption}: ").bold = True
        p.add_run(text)

    doc.add_paragraph("Overzicht per factuur", style="Heading 1")
    rows = [
        (
            c.invoice.number,
            short_date(c.invoice.invoice_date),
            short_date(c.invoice.due_date),
            money(c.invoice.amount),
            money(c.statement.paid),
            money(c.principal_open),
            money(c.statement.interest_open),
            money(c.statement.costs_open),
            money(c.outstanding),
        )
        for c in spec.invoices
    ]
    rows.append(
        (
            "Totaal",
            "",
            "",
            money(total(c.invoice.amount for c in spec.invoices)),
            money(total(c.statement.paid for c in spec.invoices)),
            money(total(c.principal_open for c in spec.invoices)),
            money(total(c.statement.interest_open for c in spec.invoices)),
            money(total(c.statement.costs_open for c in spec.invoices)),
            money(spec.total),
        )
    )
    grid(
        (
            "Factuur",
            "Factuurdatum",
            "Vervaldatum",
            "Hoofdsom",
            "Betaald",
            "Open hoofdsom",
            "Open rente",
            "Open kosten",
            "Totaal",
        ),
        rows,
        (3.2, 2.6, 2.6, 2.8, 2.8, 3.0, 2.6, 2.6, 3.2),
        right=(3, 4, 5, 6, 7, 8),
        bold_last=True,
    )

    for c in spec.invoices:
        st = c.statement
        title = f"Factuur {c.invoice.number}"
        if c.invoice.description:
            title += f" – {c.invoice.description}"
        doc.add_paragraph(title, style="Heading 2")
        doc.add_paragraph(
            f"Factuurdatum {short_date(c.invoice.invoice_date)}, vervaldatum "
            f"{short_date(c.invoice.due_date)}, hoofdsom {money(c.invoice.amount)}."
            + (
                f" Eerste rentedag {short_date(st.start + timedelta(days=1))}."
                if c.interest_start
                else " Er loopt geen rente."
            )
        )
        if st.periods:
            label("Rente per periode")
            grid(
                (
                    "Van",
                    "Tot en met",
                    "Dagen",
                    "Grondslag",
                    "Rente %",
                    "Rente",
                    "Bron van de rentevoet",
                ),
                [
                    (
                        short_date(p.start),
                        short_date(p.end),
                        p.days,
                        money(p.base),
                        f"{p.rate:.2f}".replace(".", ","),
                        money(p.interest),
                        rate_citation(p.rate_row, DOSSIER_LANGUAGE),
                    )
                    for p in st.periods
                ],
                (2.3, 2.3, 1.5, 2.6, 1.9, 2.3, 13.6),
                right=(2, 3, 4, 5),
            )
        for k in st.capitalisations:
            doc.add_paragraph(
                f"Kapitalisatie op {short_date(k.on)}: {money(k.amount)} rente bij "
                f"de hoofdsom; nieuwe grondslag {money(k.base_after)} "
                f"({citation(rules_for(spec.debtor), 'capitalisation', DOSSIER_LANGUAGE)})."
            )
        if st.charges:
            label("Kosten en hun wettelijke grondslag")
            grid(
                ("Datum", "Kosten", "Grondslag"),
                [(short_date(k.on), money(k.amount), k.description) for k in st.charges],
                (2.3, 2.3, 21.8),
                right=(1,),
            )
        if st.allocations:
            label("Betalingen en hun toerekening (kosten, dan rente, dan hoofdsom)")
            grid(
                (
                    "Datum",
                    "Aangeboden",
                    "Naar kosten",
                    "Naar rente",
                    "Naar hoofdsom",
                    "Rest (andere facturen)",
                ),
                [
                    (
                        short_date(a.on),
                        money(a.amount),
                        money(a.to_costs),
                        money(a.to_interest),
                        money(a.to_principal),
                        money(a.surplus),
                    )
                    for a in st.allocations
                ],
                (2.3, 3.0, 3.0, 3.0, 3.0, 4.0),
                right=(1, 2, 3, 4, 5),
            )
        if c.invoice.number in spec.gaps:
            p = doc.add_paragraph()
            p.add_run(f"Geen {spec.not_claimed} gevorderd: ").bold = True
            p.add_run(spec.gaps[c.invoice.number] + ".")
        p = doc.add_paragraph()
        p.add_run(f"Totaal factuur {c.invoice.number}: {money(c.outstanding)}").bold = True
        p.add_run(
            f" (open hoofdsom {money(c.principal_open)}, rente "
            f"{money(st.interest_open)}, kosten {money(st.costs_open)})."
        )

    if spec.payments:
        doc.add_paragraph("Ontvangen betalingen", style="Heading 1")
        grid(
            ("Datum", "Bedrag", "Factuur", "Mededeling"),
            [(short_date(p.on), money(p.amount), p.invoice, p.text) for p in spec.payments],
            (2.3, 2.6, 3.0, 18.5),
            right=(1,),
        )
    doc.add_paragraph("Opmerkingen", style="Heading 1")
    for text in spec.notes or ("Geen opmerkingen.",):
        doc.add_paragraph(text, style="List Bullet")
    p = doc.add_paragraph()
    p.add_run(f"Totaal te vorderen per {short_date(spec.as_of)}: {money(spec.total)}").bold = True
    doc.add_paragraph(
        "Betalingen worden toegerekend aan kosten, dan rente, dan hoofdsom "
        f"({citation(rules_for(spec.debtor), 'allocation', DOSSIER_LANGUAGE)}); bedragen in "
        "euro, per factuur afgerond op centen."
    )
    import io

    out = io.BytesIO()
    doc.save(out)
    atomic_write(target, lambda tmp: tmp.write_bytes(out.getvalue()))


# --- Manifest and archive ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _write_manifest(folder: Path, meta: dict[str, object]) -> None:
    """Write manifest.json (every file but itself) and MANIFEST.txt (``sha256sum -c`` format,
    covering manifest.json too)."""
    entries = [
        {"bestand": name, "bytes": (folder / name).stat().st_size, "sha256": _sha256(folder / name)}
        for name in _files(folder)
    ]
    data = {
        **meta,
        "bestanden": entries,
        "toelichting": "SHA-256 van elk bestand in deze map; MANIFEST.txt bevat dezelfde "
        "controlegetallen plus die van manifest.json (controleren met "
        "'sha256sum -c MANIFEST.txt').",
    }
    (folder / "manifest.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    lines = [
        f"{_sha256(folder / name)}  {name}" for name in _files(folder) if name != "MANIFEST.txt"
    ]
    (folder / "MANIFEST.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _zip(folder: Path, target: Path) -> None:
    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in _files(folder):
                zf.write(folder / name, f"{folder.name}/{name}")

    atomic_write(target, write)


# --- The workbook -----------------------------------------------------------------------------


def _relative(path: Path, workbook: Path) -> str:
    try:
        return path.resolve().relative_to(workbook.parent.resolve()).as_posix()
    except ValueError:
        return str(path)


# --- The use case -----------------------------------------------------------------------------


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
      as_of: the day of the hand-over (peildatum): the claim is computed up to it.
      customer: the customer number (Klantnr).
      to: the agency or bailiff, as named in the letter and the log.
      now: the current time (manifest, backup name).
      out_dir: where the dossier folder goes; default beside the dated letter folders.
      confirm_stale: hand over even when the last bank statement is older than the setting
        allows (as ``brieven --toch``): nobody who already paid may be handed over.
      force: hand over even invoices the ladder does not call ready yet (a formal letter's
        term that still runs, a step not taken yet), and even when the debtor's law does not
        allow the costs yet (NL consumer without an expired 14-dagenbrief, BE consumer without
        an expired first reminder); the dossier then claims no such costs and says why.
        Disputed, paused, promised and planned invoices are never handed over.
      invoices: hand over only these invoices (``--facturen``); refused when one of them is
        not ready (unless ``force``).
      confirm_future: allow a peildatum after today (``--toekomst``).
    Returns:
      What was written. Raises :class:`HandoverRefused` (nothing written) when the customer is
      already handed over, has nothing to hand over, a chosen invoice is not ready, or (without
      ``force``) the dossier would be incomplete for the debtor's law.
    """
    refuse_future(as_of, now, confirmed=confirm_future)
    loaded = read_book(book, as_of)
    path = folder_of(loaded)
    data = loaded.data
    if not confirm_stale:
        from .payments import statement_gate

        statement_gate(data, as_of)
    if customer not in data.debtors:
        raise DebiteurenError(f"Klant '{customer}' staat niet op het blad Klanten.")
    debtor = data.debtors[customer]
    if debtor.handed_over:
        raise HandoverRefused(
            customer,
            ["de klant staat al op 'Uit handen' = Ja (blad Klanten)"],
            "Zet 'Uit handen' op Nee als u opnieuw wilt overdragen.",
        )
    assessment = assess(loaded, as_of)
    if customer not in assessment.claims:
        raise HandoverRefused(customer, ["de klant heeft geen facturen"])
    claim = assessment.claims[customer]
    stages = assessment.stages[customer]
    # Only letters that went out count, dated the day they went out (rules.lifecycle).
    actions = sorted(
        (a for a in data.actions if a.debtor == customer and sent_by(a, as_of)),
        key=lambda a: a.on,
    )
    wanted = tuple(dict.fromkeys(n.strip() for n in invoices if n.strip()))
    own = {c.invoice.number for c in claim.invoices}
    strange = [n for n in wanted if n not in own]
    if strange:
        raise DebiteurenError(
            f"Factuur {', '.join(strange)} is geen openstaande factuur van klant {customer}; "
            "er is niets gewijzigd."
        )
    selection = select(claim, stages, as_of, wanted, force)
    chosen, left_out, forced = selection.chosen, selection.left_out, selection.forced
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
    rules = rules_for(debtor, data.creditor)
    gaps = [(g.invoice, g.reason) for g in legal_gaps(debtor, chosen, as_of)]
    if gaps and not force:
        raise HandoverRefused(
            customer,
            [f"factuur {n}: {why}" for n, why in gaps],
            "Het dossier zou onvolledig zijn. " + rules.WORDING.remedy,
        )
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

    agency = resolve_agency(to, data.agencies)
    to = agency.name if agency is not None else ""
    if agency is None or not agency.address:
        warnings.append(
            "De overdrachtsbrief heeft geen adres"
            + (f" van {agency.name}" if agency is not None else "")
            + ": zet het incassobureau op het blad Incassobureaus en noem de Code met --aan, "
            "of geef --aan 'Naam, Straat 1, 1234 AB Plaats'."
        )
    amount = total(c.outstanding for c in chosen)
    numbers = tuple(c.invoice.number for c in chosen)
    worth = worth_pursuing(debtor, amount)
    base = Path(out_dir) if out_dir is not None else letter_base(path, data.letter_folder)
    folder = _free_folder(
        base, f"overdracht-{safe_name(customer, distinct=True)}-{as_of.isoformat()}"
    )
    archive = folder.with_suffix(".zip")
    dossier = f"{customer}-{as_of:%Y%m%d}"

    def agency_context(invoice_copies: Sequence[InvoiceCopy], letters: int) -> dict:
        """Return the agency letter's context, saying exactly which copies are enclosed."""
        plan = LetterPlan(
            claim=claim,
            step=Step.HANDOVER,
            invoices=numbers,
            sent_on=as_of,
            channel=Channel.POST,
            language=DOSSIER_LANGUAGE,
            reference_stored={n: r.display for n, r in invoice_references(data).items()},
            handover_to=to or "Aan het incassobureau",
            handover_address=(
                (agency.contact, agency.address, agency.postcode, agency.city, agency.country)
                if agency is not None
                else ("", "", "", "", "")
            ),
            handover_history=tuple((a.on, _action_text(a)) for a in actions),
            handover_enclosures=(
                tuple(c.invoice for c in invoice_copies if c.copy is not None),
                tuple(c.invoice for c in invoice_copies if c.copy is None),
                letters,
            ),
        )
        return letter_context(plan, data.creditor, data.settings, loaded.rates)

    # The interest wording of the specification, from the same context as the letter.
    context = agency_context((), 0)

    notes = [f"Factuur {n} is niet overgedragen: {why}." for n, why in left_out]
    not_claimed = rules.WORDING.costs_not_claimed
    notes += [f"Factuur {n}: geen {not_claimed} gevorderd: {why}." for n, why in gaps]
    notes += [
        rules.WORDING.limitation_note.format(invoice=c.invoice.number, day=short_date(c.limitation))
        for c in chosen
    ]
    invoice_notes = [c.invoice for c in chosen if c.invoice.note]
    notes += [f"Notitie bij factuur {inv.number}: {inv.note}" for inv in invoice_notes]
    payments = tuple(
        sorted(
            (p for p in data.payments if p.debtor == customer and p.on <= as_of), key=lambda p: p.on
        )
    )
    spec = _Spec(
        creditor=data.creditor,
        debtor=debtor,
        as_of=as_of,
        dossier=dossier,
        to=to,
        invoices=tuple(chosen),
        payments=payments,
        interest_text=context["rente"]["omschrijving"],
        day_count=context["rente"]["dagtelling"],
        notes=tuple(notes),
        gaps=dict(gaps),
        not_claimed=not_claimed,
    )

    building = folder.with_name(folder.name + ".tmp")
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    try:
        copies = _collect_letters(
            path, actions, building / "brieven", letter_base(path, data.letter_folder)
        )
        invoice_copies = _collect_invoices([c.invoice for c in chosen], path, building / "facturen")
        user_templates = path.parent / "sjablonen"
        template = find_template(
            template_for(Step.HANDOVER, rules),
            DOSSIER_LANGUAGE,
            user_templates if user_templates.is_dir() else None,
        )
        letters_copied = sum(1 for c in copies if c.copy is not None)
        letter = render_letter(template, agency_context(invoice_copies, letters_copied))
        (building / "overdrachtsbrief.docx").write_bytes(letter)
        _write_spec_xlsx(spec, building / "specificatie.xlsx")
        _write_spec_docx(spec, building / "specificatie.docx")
        (building / "debiteur.json").write_text(
            json.dumps(_debtor_record(debtor), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        pdf_note = ""
        pdfs = convert_to_pdf(
            [building / "overdrachtsbrief.docx", building / "specificatie.docx"], building
        )
        if pdfs is None:
            pdf_note = (
                "LibreOffice is niet geïnstalleerd: er zijn geen PDF's gemaakt; de "
                "overdrachtsbrief en de specificatie staan als .docx in het dossier "
                "(in Word als PDF op te slaan)."
            )
        _write_notes(
            building / "notities.txt",
            debtor,
            actions,
            copies,
            chosen,
            left_out,
            gaps,
            claim,
            path,
            building,
            invoice_copies,
        )
        copies = [
            LetterCopy(
                action=c.action,
                source=c.source,
                copy=folder / c.copy.relative_to(building) if c.copy else None,
                why=c.why,
            )
            for c in copies
        ]
        _write_manifest(
            building,
            {
                "dossier": dossier,
                "klant": customer,
                "naam": debtor.name,
                "peildatum": as_of.isoformat(),
                "gemaakt": now.isoformat(timespec="seconds"),
                "overgedragen_aan": to,
                "facturen": list(numbers),
                "factuurkopieen": {
                    c.invoice: (c.copy.relative_to(building).as_posix() if c.copy else None)
                    for c in invoice_copies
                },
                "totaal": f"{amount:.2f}",
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
            },
        )
        building.rename(folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    try:
        _zip(folder, archive)
        rest = [
            c.invoice.number
            for c in claim.invoices
            if c.invoice.number not in numbers
            and c.outstanding > 0
            and stages[c.invoice.number].stage not in (Stage.HANDED_OVER, Stage.PAID)
        ]
        changes = _log_changes(
            path, debtor, numbers, amount, to, archive, gaps, as_of, now, whole=not rest
        )
        # the ladder stopped: Fase and Overzicht in the same save
        copy = write_back(loaded, as_of, now, changes, assessment=assessment).backup
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        archive.unlink(missing_ok=True)
        raise
    return HandoverResult(
        changes=changes,
        folder=folder,
        archive=archive,
        debtor=debtor,
        to=to,
        invoices=numbers,
        left_out=tuple(left_out),
        costs_left_out=tuple(gaps),
        amount=amount,
        files=tuple(_files(folder)),
        letters=tuple(copies),
        pdf_note=pdf_note,
        warnings=tuple(warnings),
        worth=worth,
        backup=copy,
        agency=agency,
        invoice_copies=tuple(
            InvoiceCopy(
                invoice=c.invoice,
                file=c.file,
                copy=folder / c.copy.relative_to(building) if c.copy else None,
                why=c.why,
            )
            for c in invoice_copies
        ),
        forced=tuple(forced),
        whole=not rest,
    )


def _write_notes(
    target: Path,
    debtor: Debtor,
    actions: Sequence[Action],
    copies: Sequence[LetterCopy],
    chosen: Sequence[InvoiceClaim],
    left_out: Sequence[tuple[str, str]],
    gaps: Sequence[tuple[str, str]],
    claim: DebtorClaim,
    path: Path,
    building: Path,
    invoice_copies: Sequence[InvoiceCopy] = (),
) -> None:
    """Write notities.txt: the Acties log, notes, disputes and what was left out."""
    lines = [f"Notities en correspondentie – {debtor.name} ({debtor.number})", ""]
    lines.append("Acties (blad Acties, oudste eerst):")
    lines += [f"  {short_date(a.on)}  {_action_text(a)}" for a in actions] or ["  geen"]
    lines += ["", "Verstuurde brieven (kopie in de map brieven/):"]
    for c in copies:
        a = c.action
        where = (
            c.copy.relative_to(building).as_posix()
            if c.copy is not None
            else ("ONTBREEKT" if c.why in (NOT_FOUND, NO_FILE) else "NIET BIJGEVOEGD")
            + f": {c.why}"
            + (f" ({a.file})" if a.file else "")
        )
        lines.append(f"  {short_date(a.on)}  {a.step.value} ({a.channel.value}): {where}")
    if not copies:
        lines.append("  geen")
    lines += ["", "Facturen (kopie in de map facturen/):"]
    for c in invoice_copies:
        where = (
            c.copy.relative_to(building).as_posix()
            if c.copy is not None
            else f"NIET BIJGEVOEGD: {c.why}" + (f" ({c.file})" if c.file else "")
        )
        lines.append(f"  {c.invoice}: {where}")
    if not invoice_copies:
        lines.append("  geen")
    lines += ["", "Notities en betwistingen bij facturen (blad Facturen):"]
    noted = [c.invoice for c in claim.invoices if c.invoice.note or c.invoice.disputed]
    lines += [
        f"  {inv.number}: " + "; ".join(filter(None, ("BETWIST" if inv.disputed else "", inv.note)))
        for inv in noted
    ] or ["  geen"]
    if left_out:
        lines += ["", "Niet overgedragen:"]
        lines += [f"  {n}: {why}" for n, why in left_out]
    if gaps:
        lines += ["", "Zonder kosten overgedragen (de wet staat ze nog niet toe):"]
        lines += [f"  {n}: {why}" for n, why in gaps]
    lines += ["", f"Overgedragen facturen: {', '.join(c.invoice.number for c in chosen)}"]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _log_changes(
    path: Path,
    debtor: Debtor,
    numbers: tuple[str, ...],
    amount: Decimal,
    to: str,
    archive: Path,
    gaps: Sequence[tuple[str, str]],
    as_of: date,
    now: datetime,
    whole: bool = True,
) -> Changes:
    """Return the workbook changes: the overdracht in Acties (a concept until the dossier is
    sent; the hand-over counts from its day), and the customer "Uit handen" when every open
    invoice is now handed over (``whole``); otherwise the Acties row, which names the invoices,
    stops the ladder for those only."""
    note = f"overgedragen aan {to}" if to else "overgedragen ter incasso"
    if gaps:
        word = rules_for(debtor).WORDING.costs_left_out
        note += f"; zonder {word} voor {', '.join(n for n, _ in gaps)}"
    changes = Changes()
    if whole:
        changes.set(schema.KLANTEN, "number", debtor.number, "handed_over", "Ja")
    changes.add_rows(
        schema.ACTIES,
        [
            {
                "on": now.replace(microsecond=0) if as_of == now.date() else as_of,
                "debtor": debtor.number,
                "invoices": ", ".join(numbers),
                "step": Step.HANDOVER.value,
                "channel": Channel.POST.value,
                "state": LetterState.DRAFT.value,
                "file": _relative(archive, path),
                "amount_claimed": amount,
                "note": note,
            }
        ],
    )
    return changes
