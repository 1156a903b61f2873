"""The hand-over dossier: a folder (and a .zip of it) an agency can take the claim on from.

Beside the agency letter and the specification (:mod:`.specification`) the dossier holds:

- ``debiteur.json``: the debtor's data (name, address, KvK/KBO, VAT number, e-mail, phone);
- ``brieven/``: a copy of every letter sent (the Acties log's Bestand column), dated;
- ``facturen/``: a copy of each invoice whose Factuur-pdf file lies inside the workbook's folder
  tree (the letter says which invoices are attached and which are not);
- ``notities.txt``: the Acties log, notes and disputes, invoices left out and why;
- ``manifest.json`` and ``MANIFEST.txt``: a SHA-256 of every file (``sha256sum -c`` format).

A file name from data (the Bestand column, Factuur-pdf) never takes a file from outside its
folder into a dossier for a third party (:func:`locate`, the one containment check). The
dossier is built in a temporary folder and renamed when complete (:func:`building`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.claim import DebtorClaim, InvoiceClaim
from ..core.model import Action, Channel, Creditor, Debtor, DebtorKind, Invoice, Step
from ..core.rules import applicable_law
from ..filenames import data_path, existing_file, inside, is_inside, safe_name
from ..formatting import euro, short_date
from ..untrusted import one_line
from ..workbook.files import atomic_write
from .letters import PRINT_FILE

__all__ = [
    "LETTERS_SENT",
    "NOT_FOUND",
    "NO_FILE",
    "InvoiceCopy",
    "LetterCopy",
    "action_text",
    "archive_of",
    "building",
    "collect_invoices",
    "collect_letters",
    "debtor_record",
    "files",
    "free_folder",
    "not_this_customers",
    "write_manifest",
    "write_notes",
    "zip_folder",
]

#: Acties steps that are letters to the debtor (their files go into the dossier).
LETTERS_SENT = (
    Step.REMINDER,
    Step.BE_FIRST_REMINDER,
    Step.FOURTEEN_DAY_LETTER,
    Step.NOTICE_OF_DEFAULT,
    Step.PLAN,
)


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


def archive_of(folder: Path) -> Path:
    """Return the .zip beside a dossier folder: its whole name plus ``.zip``.

    Not ``with_suffix``: a Klantnr with a dot (``K1.5``) makes ``.5-2026-10-15`` the folder's
    "suffix", and ``overdracht-K1.zip`` was the archive of every Klantnr ``K1.…``; the next
    hand-over of one of them then looked for a free name for ever.
    """
    return folder.with_name(f"{folder.name}.zip")


def free_folder(parent: Path, name: str) -> Path:
    """Return ``parent/name``, or with ``-2``, ``-3``… when that folder or its .zip exists."""
    target = inside(parent, name)
    n = 2
    while target.exists() or archive_of(target).exists():
        target = parent / f"{name}-{n}"
        n += 1
    return target


#: Why a letter or invoice file is not in the dossier when it is missing (else: left out).
NOT_FOUND = "bestand niet gevonden"
NO_FILE = "geen bestand vastgelegd"


def copy_into(source: Path, folder: Path, name: str) -> Path:
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


def locate(name: str, base: Path, folder: Path, where: str) -> tuple[Path | None, str]:
    """Return the file a name from data stands for when it lies inside ``folder``, else None
    with the Dutch reason: not found, or outside ``folder`` (``where`` names that folder).

    The one containment check of the dossier: a name whose text leaves ``folder`` is not even
    looked up (:func:`~debiteuren.filenames.data_path`: no UNC server is asked), then links
    and ``..`` are resolved, so ``/etc/passwd``, ``../../geheim.txt``, ``\\\\server\\x.pdf``
    or a link out of the folder never goes to a third party.
    """
    outside = f"staat buiten {where}; alleen bestanden uit die map gaan mee in een dossier"
    named = data_path(name, base, folder)
    if named is None:
        return None, outside
    found = existing_file(str(named), base)
    if found is None:
        return None, NOT_FOUND
    if not is_inside(folder, found):
        return None, outside
    return found, ""


def collect_invoices(invoices: Sequence[Invoice], path: Path, target: Path) -> list[InvoiceCopy]:
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
        source, why = locate(inv.file, path.parent, path.parent, "de map van het werkboek")
        if source is not None and source.suffix.lower() != ".pdf":
            why, source = "geen PDF-bestand", None
        copy = None
        if source is not None:
            copy = copy_into(source, target, f"factuur-{safe_name(inv.number)}.pdf")
        copies.append(InvoiceCopy(invoice=inv.number, file=inv.file, copy=copy, why=why))
    return copies


def collect_letters(
    path: Path,
    actions: Sequence[Action],
    target: Path,
    letters: Path,
    customers: Sequence[str] = (),
) -> list[LetterCopy]:
    """Copy the letters of the Acties log into ``target``; return every letter with its copy.

    Only files inside ``letters`` (this workbook's letters folder) are copied: the Bestand
    column is data, and a dossier for a third party must not carry any other file. Nor a file
    of that folder that holds other customers' letters or data (:func:`not_this_customers`;
    ``customers``: every Klantnr of the workbook). A letter not copied says why (not found,
    outside the letters folder, another customer's).
    """
    copies = []
    for a in sorted(actions, key=lambda a: a.on):
        if a.step not in LETTERS_SENT:
            continue
        source = copy = None
        why = NO_FILE
        if a.file:
            source = Path(a.file) if Path(a.file).is_absolute() else path.parent / a.file
            found, why = locate(a.file, path.parent, letters, "de map met brieven van dit werkboek")
            if found is not None and (
                why := not_this_customers(found, letters, a.debtor, customers)
            ):
                found = None
            if found is not None:
                name = f"{a.on.isoformat()}-{safe_name(a.step.value)}-{safe_name(found.name)}"
                copy = copy_into(found, target, name)
        copies.append(LetterCopy(action=a, source=source, copy=copy, why=why))
    return copies


def not_this_customers(found: Path, letters: Path, customer: str, customers: Sequence[str]) -> str:
    """Return why a file of the letters folder is no letter of ``customer`` alone, else "".

    The Bestand column is data: typed by hand it may name the print file of a run (every
    customer's letters by post that day), a file of another customer's hand-over dossier, or
    a letter debiteuren made for another customer (named after his Klantnr, the longest that
    fits: ``K1-B-herinnering.pdf`` is K1-B's, not K1's). None of that goes to a third party.
    A file named otherwise (a scan the user put there) is the user's word.
    """
    parts = found.relative_to(os.path.realpath(letters)).parts
    if any(p.startswith("overdracht-") for p in parts):
        return "hoort bij het dossier van een overdracht, niet bij de brieven aan deze klant"
    name = found.name
    if name.startswith(PRINT_FILE):
        return (
            "is het afdrukbestand met de brieven aan alle klanten van die dag; alleen de eigen "
            "brief van de klant gaat mee"
        )
    owners = {f"{safe_name(n, distinct=True)}-": n for n in customers}
    fits = [prefix for prefix in owners if name.startswith(prefix)]
    owner = owners[max(fits, key=len)] if fits else customer
    return f"is een brief aan klant {owner}, niet aan deze klant" if owner != customer else ""


def action_text(a: Action) -> str:
    """Return one line of the dossier's action log: what, how, which invoices, and for a letter
    the day it went out (when later than the day it was made), the day it was received (when
    proven) and the last day of the term it gave: what the agency needs to show the term ran."""
    parts = [a.step.value]
    if a.channel is not Channel.POST or a.step in LETTERS_SENT:
        parts[0] += f" ({a.channel.value})"
    if a.invoices:
        parts.append("facturen " + ", ".join(a.invoices))
    if a.amount_claimed:
        parts.append(f"gevorderd {euro(a.amount_claimed)}")
    if a.sent_on is not None and a.sent_on != a.on:
        parts.append(f"verzonden op {short_date(a.sent_on)}")
    if a.received_on:
        parts.append(f"ontvangen op {short_date(a.received_on)}")
    if a.deadline:
        parts.append(f"termijn tot en met {short_date(a.deadline)}")
    if a.tracking:
        parts.append(f"track & trace {a.tracking}")
    if a.note:
        parts.append(a.note)
    return one_line("; ".join(parts))  # a note with a line break must not start an entry


# --- The debtor's data ------------------------------------------------------------------------


def debtor_record(debtor: Debtor, creditor: Creditor) -> dict[str, object]:
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
        "toepasselijk_recht": str(applicable_law(debtor, creditor)),
    }


@contextlib.contextmanager
def building(folder: Path) -> Iterator[Path]:
    """Build a dossier in ``<folder>.tmp`` and rename it to ``folder`` when the block ends;
    on an error the half-built folder is removed."""
    temp = folder.with_name(folder.name + ".tmp")
    if temp.exists():
        shutil.rmtree(temp)
    temp.mkdir(parents=True)
    try:
        yield temp
        temp.rename(folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def moved(path: Path | None, temp: Path, folder: Path) -> Path | None:
    """Return where a file of the temporary folder is once the dossier is renamed."""
    return folder / path.relative_to(temp) if path is not None else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def write_manifest(folder: Path, meta: dict[str, object]) -> None:
    """Write manifest.json (every file but itself) and MANIFEST.txt (``sha256sum -c`` format,
    covering manifest.json too)."""
    entries = [
        {"bestand": name, "bytes": (folder / name).stat().st_size, "sha256": _sha256(folder / name)}
        for name in files(folder)
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
        f"{_sha256(folder / name)}  {name}" for name in files(folder) if name != "MANIFEST.txt"
    ]
    (folder / "MANIFEST.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def zip_folder(folder: Path, target: Path) -> None:
    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in files(folder):
                zf.write(folder / name, f"{folder.name}/{name}")

    atomic_write(target, write)


def write_notes(
    target: Path,
    debtor: Debtor,
    actions: Sequence[Action],
    copies: Sequence[LetterCopy],
    chosen: Sequence[InvoiceClaim],
    left_out: Sequence[tuple[str, str]],
    gaps: Sequence[tuple[str, str]],
    claim: DebtorClaim,
    root: Path,
    invoice_copies: Sequence[InvoiceCopy] = (),
) -> None:
    """Write notities.txt: the Acties log, notes, disputes and what was left out."""
    lines = [f"Notities en correspondentie – {debtor.name} ({debtor.number})", ""]
    lines.append("Acties (blad Acties, oudste eerst):")
    lines += [f"  {short_date(a.on)}  {action_text(a)}" for a in actions] or ["  geen"]
    lines += ["", "Verstuurde brieven (kopie in de map brieven/):"]
    for c in copies:
        a = c.action
        where = (
            c.copy.relative_to(root).as_posix()
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
            c.copy.relative_to(root).as_posix()
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
    # each line one line: a note or name with a line break must not add a line that reads
    # as an action of its own (one_line also drops direction controls)
    target.write_text("\n".join(map(one_line, lines)) + "\n", encoding="utf-8")
