"""The files of the letters a run makes: one .docx per letter, their PDFs, the print file.

Letters go into a dated folder (``brieven/2026-10-15/`` beside the workbook, or the setting
"Uitvoermap brieven"), each named from the customer number as a safe name
(``K001-herinnering.docx``). The print file holds every letter of the run that goes by post,
named with the run's time, so a second run never overwrites the first one's. PDFs are made by
LibreOffice (``letters/pdf.py``), the print file's PDF by joining the letters' PDFs; without
LibreOffice the .docx files stay and a note says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from ..core.letters import LetterFile
from ..core.model import Creditor, Debtor, Settings, Step
from ..filenames import inside, safe_name
from ..letters.outbox import write_eml
from ..workbook.files import atomic_write

__all__ = [
    "NO_PDF",
    "PRINT_FILE",
    "day_folder",
    "file_reference",
    "font_note",
    "free_name",
    "letter_base",
    "stem",
    "user_templates",
    "with_pdfs",
    "write_docs",
    "write_letter",
    "write_print_file",
]

#: The note when LibreOffice is not there to make PDFs.
NO_PDF = (
    "LibreOffice is niet geïnstalleerd: er zijn geen PDF's gemaakt; "
    "de .docx-bestanden kunt u in Word als PDF opslaan."
)


def font_note(written: Sequence[LetterFile]) -> str:
    """Return a Dutch note when the letters' PDFs are set in a fallback font, not the letters'
    own (:func:`debiteuren.letters.pdf.fallback_font`); "" when they are not, or there are
    none."""
    from ..letters.pdf import fallback_font

    first = next((w.pdf for w in written if w.pdf is not None), None)
    font = fallback_font(first) if first is not None else ""
    if not font:
        return ""
    return (
        f"de PDF's zijn gezet in {font}, omdat het lettertype van de brieven (Calibri, of "
        "Carlito met dezelfde breedtes) niet op deze computer staat: in de tabellen breken "
        "kolomkoppen en bedragen dan midden in een woord af. Installeer Carlito (Debian, "
        "Ubuntu: sudo apt install fonts-crosextra-carlito) en maak de brieven opnieuw: "
        "dezelfde opdracht met --opnieuw erbij (met dezelfde --peildatum); de .docx-bestanden "
        "zijn goed"
    )


def letter_base(path: Path, letter_folder: str) -> Path:
    """Return the letters folder: the setting "Uitvoermap brieven" (relative to the workbook's
    folder, or absolute), else ``brieven`` beside the workbook. Dated subfolders hold the
    letters."""
    base = Path(letter_folder) if letter_folder else Path("brieven")
    return base if base.is_absolute() else path.parent / base


def user_templates(path: Path, letter_folder: str) -> Path | None:
    """Return the user's own templates (``sjablonen`` beside the letters folder), or None when
    there is no such folder. One place for every letter: the letters, the confirmation of a
    payment plan and the hand-over letter."""
    folder = letter_base(path, letter_folder).parent / "sjablonen"
    return folder if folder.is_dir() else None


def day_folder(path: Path, letter_folder: str, as_of: date) -> Path:
    """Return the folder of the letters dated ``as_of``."""
    return letter_base(path, letter_folder) / as_of.isoformat()


def file_reference(target: Path, workbook: Path) -> str:
    """Return how Acties names a file: relative to the workbook's folder when it lies inside
    it, else the absolute path (an absolute "Uitvoermap brieven" elsewhere)."""
    try:
        return target.resolve().relative_to(workbook.resolve().parent).as_posix()
    except ValueError:
        return str(target.resolve())


#: The start of the name of a run's print file: the letters by post to every customer of that
#: run, one after another.
PRINT_FILE = "alle-brieven-afdrukken-"


def stem(debtor: Debtor, step: Step) -> str:
    """Return the name of a customer's letter file without its extension: ``K001-herinnering``
    (the Klantnr as a safe name, distinct from any other Klantnr)."""
    return f"{safe_name(debtor.number, distinct=True)}-{step.value.replace(' ', '-')}"


#: The files of one letter: its .docx, and beside it with the same name its PDF and e-mail
#: draft (the print file: its PDF).
_LETTER_FILES = (".docx", ".pdf", ".eml")


def free_name(folder: Path, name: str, suffix: str) -> Path:
    """Return ``folder/name+suffix``, or with ``-2``, ``-3``… when that file exists, or a
    letter's other file of that name (:data:`_LETTER_FILES`).

    A letter's PDF and e-mail draft get the name of its .docx: when only the .docx of an
    earlier letter was gone (thrown away once its PDF was kept), a new letter took the name
    and its PDF and draft replaced those of the earlier one, which its Acties row names."""

    def taken(stem: str) -> bool:
        return any(inside(folder, f"{stem}{end}").exists() for end in {suffix, *_LETTER_FILES})

    stem, n = name, 2
    while taken(stem):
        stem = f"{name}-{n}"
        n += 1
    return inside(folder, f"{stem}{suffix}")


def write_docs(
    folder: Path, docs: Sequence[tuple[LetterFile, bytes]], names: Mapping[int, str]
) -> list[LetterFile]:
    """Write each letter's .docx into ``folder``; ``names`` gives a letter (by position) the
    name its Acties row names (a letter made again goes back to its file). A new letter never
    takes the file of another: two Klantnrs can give one name (``K1/B`` gives ``K1-B-3f0c1a``,
    which a Klantnr can also be, or only the case differs on Windows or macOS), and the second
    letter replaced the first, which its Acties row and e-mail draft still named."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for k, (letter, content) in enumerate(docs):
        if k in names:
            target = inside(folder, f"{safe_name(names[k])}.docx")
        else:
            target = free_name(folder, stem(letter.debtor, letter.step), ".docx")
        atomic_write(target, lambda tmp, c=content: tmp.write_bytes(c))
        written.append(replace(letter, docx=target))
    return written


def with_pdfs(
    written: list[LetterFile],
    folder: Path,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[LetterFile], str]:
    """Convert the letters to PDF (batches of at most 200, one LibreOffice per core, every PDF
    checked: ``letters/pdf.py``); return them, and a note when LibreOffice is not installed."""
    from ..letters import render  # python-docx, lxml: desktop only

    docx = [w.docx for w in written]
    pdfs = (
        render.convert_to_pdf(docx, folder, progress=progress)  # type: ignore[arg-type]
        if progress
        else render.convert_to_pdf(docx, folder)  # type: ignore[arg-type]
    )
    if pdfs is None:
        return written, NO_PDF
    return [replace(w, pdf=p) for w, p in zip(written, pdfs, strict=True)], ""


def write_print_file(
    target: Path, printed: Sequence[LetterFile], contents: Mapping[Path, bytes], pdf: bool
) -> tuple[Path | None, Path | None]:
    """Write the print file (every letter of the run that goes by post) and, with ``pdf``, its
    PDF; return both (None for what was not made)."""
    if not printed:
        return None, None
    from ..letters import render  # python-docx, lxml: desktop only

    merged = render.merge_letters([contents[w.docx] for w in printed])  # type: ignore[index]
    atomic_write(target, lambda tmp: tmp.write_bytes(merged))
    pdfs = [w.pdf for w in printed if w.pdf is not None]
    if pdf and len(pdfs) == len(printed):  # the letters' own PDFs: no second conversion
        made_pdf = target.with_suffix(".pdf")
        try:
            atomic_write(made_pdf, lambda tmp: render.join_pdfs(pdfs, tmp, made_pdf.stem))
            return target, made_pdf
        except render.ConversionError:
            pass  # a PDF that cannot be read: LibreOffice converts the print file itself
    made = render.convert_to_pdf([target], target.parent) if pdf else None
    return target, (made[0] if made else None)


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
    from ..letters import render  # python-docx, lxml: desktop only

    atomic_write(target, lambda tmp: tmp.write_bytes(content))
    letter = replace(letter, docx=target)
    note = ""
    if pdf:
        made = render.convert_to_pdf([target], target.parent)
        if made is None:
            note = (
                "LibreOffice is niet geïnstalleerd: er is geen PDF gemaakt; het .docx-bestand "
                "kunt u in Word als PDF opslaan."
            )
        else:
            letter = replace(letter, pdf=made[0])
    if eml and letter.debtor.email:
        letter = replace(letter, eml=write_eml(letter, creditor, settings, as_of, now))
    return letter, note
