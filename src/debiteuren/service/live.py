"""The use cases on the workbook open in Excel (the ribbon buttons).

Same computation as on a file, different reader and writer: the open book's tables are read
through :class:`~debiteuren.workbook.live.LiveBook`, converted by
:func:`~debiteuren.workbook.read.convert_tables`, assessed by the core, and written back through
the adapter. Letters and statement imports run the file use cases on the tables already read
(``loaded=``, ``apply=False``); their :class:`~.changes.Changes` are then applied to the open
book and the book is updated again, because the ladder moved. Nothing is saved to disk: the
user saves the book in Excel.

Each function returns what a button reports: a line for the status bar (``status``) and
sentences for a message box (``notes``, often none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.book import Assessment, Overview
from ..core.watch import limitation_warnings
from ..errors import DebiteurenError
from ..formatting import euro, short_date
from ..workbook import read
from ..workbook.live import LiveBook
from .letters import letter_base, letters, mark_sent
from .payments import StaleStatement, import_statements, plural
from .update import update

__all__ = [
    "STATEMENT_FOLDER",
    "STATEMENT_SUFFIXES",
    "LiveUpdateResult",
    "Outcome",
    "handover_live",
    "import_live",
    "letters_folder",
    "letters_live",
    "mark_sent_live",
    "statement_files",
    "update_live",
]

#: The folder beside the workbook whose statement files "Betalingen importeren" reads.
STATEMENT_FOLDER = "bankafschriften"

#: Statement files by extension: CAMT.053, CODA, MT940 (the format is recognised by content).
STATEMENT_SUFFIXES = (".xml", ".cod", ".coda", ".sta", ".mt940", ".swi", ".940", ".fin")

#: At most this many lines of a list go into one message box.
SHOWN = 15

#: Step word -> (one, several), for the messages.
_STEP_WORDS = {
    "herinnering": ("herinnering", "herinneringen"),
    "aanmaning": ("aanmaning", "aanmaningen"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What a button did: one line for the status bar, sentences for a message box."""

    status: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveUpdateResult:
    """What an update of the open book did."""

    as_of: date
    assessment: Assessment
    overview: Overview
    cells_changed: int
    tidied: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """Return the status bar line: the totals at the peildatum."""
        ov = self.overview
        return (
            f"Bijgewerkt op {short_date(self.as_of)}: {ov.invoices_open} open facturen "
            f"({ov.invoices_overdue} vervallen), totaal te vorderen {euro(ov.outstanding)}; "
            f"{self.cells_changed} cellen gewijzigd."
        )

    @property
    def notes(self) -> tuple[str, ...]:
        """Return the limitation warnings (claims that are or soon become time-barred) and the
        rate warnings of the Overzicht (rates past their known period or not confirmed)."""
        notes: list[str] = []
        if self.tidied:
            notes += ["Verbeterd in het werkboek:", *_bullets(self.tidied)]
        warnings = [w.message for w in limitation_warnings(self.assessment)]
        if warnings:
            notes += ["Let op, verjaring:", *_bullets(warnings)]
        if self.overview.rate_warnings:
            notes += ["Let op, rentepercentages:", *_bullets(self.overview.rate_warnings)]
        return tuple(notes)


def update_live(live: LiveBook, as_of: date) -> LiveUpdateResult:
    """Recompute every invoice at ``as_of`` and write the results into the open book.

    The file update's pipeline (:func:`.update.update`) on the open book: the computed Facturen
    columns, empty Betalingskenmerk cells filled, and the Overzicht.
    """
    result = update(live, as_of, progress=live.progress)
    return LiveUpdateResult(
        as_of=as_of,
        assessment=result.assessment,
        overview=result.overview,
        cells_changed=result.cells_changed,
        tidied=tuple(c for c in result.tidied),
    )


def letters_live(
    live: LiveBook,
    as_of: date,
    *,
    now: datetime,
    step: str,
    ask: Callable[[str], bool] | None = None,
) -> Outcome:
    """Make the letters of ``step`` that are due, log them in Acties and update the open book.

    Args:
      step: ``herinnering`` or ``aanmaning`` (see :data:`.letters.STEP_GROUPS`).
      ask: asks the user a yes/no question; used when the last bank statement is old. Without
        it the letters wait for a new statement.
    """
    _saved_path(live)
    live.progress("Brieven maken")
    try:
        result = letters(live, as_of, now=now, step=step)
    except StaleStatement as stale:
        last = stale.last
        question = (
            f"Het laatste ingelezen bankafschrift is van "
            f"{short_date(last) if last else 'onbekende datum'}. Wie daarna betaalde, "
            "kan toch een brief krijgen.\n\nLees eerst de nieuwe afschriften in met "
            "Betalingen importeren.\n\nWilt u toch nu brieven maken?"
        )
        if ask is None or not ask(question):
            return Outcome(status="Geen brieven gemaakt: lees eerst de nieuwe bankafschriften in.")
        result = letters(live, as_of, now=now, step=step, confirm_stale=True)
    one, several = _STEP_WORDS.get(step, ("brief", "brieven"))
    held = [f"{h.debtor.number} {h.step.value}: {h.reason}" for h in result.held]
    if not result.letters:
        notes = [result.gate_note] if result.gate_note else []
        if held:
            notes += ["Niet gemaakt:", *_bullets(held)]
        return Outcome(
            status=f"Er zijn op {short_date(as_of)} geen {several} gemaakt."
            if held
            else f"Er zijn op {short_date(as_of)} geen {several} aan de beurt.",
            notes=tuple(notes),
        )
    count = len(result.letters)
    noun = one if count == 1 else several
    made = [
        f"{w.debtor.number} {w.debtor.name}: {w.step.value} ({w.channel.value}), "
        f"{euro(w.amount)}" + (f" – NIET verzonden: {w.error}" if w.error else "")
        for w in result.letters
    ]
    notes = [f"{count} {noun} gemaakt in {result.folder}:", *_bullets(made)]
    if result.merged:
        notes.append(f"Alles in één bestand om af te drukken: {result.merged.name}")
    if held:
        notes += ["Niet gemaakt:", *_bullets(held)]
    notes += [n for n in (result.pdf_note, result.gate_note, *result.warnings) if n]
    notes.append(
        "De brieven staan als concept op het blad Acties: ze tellen pas als ze verstuurd zijn. "
        "Hebt u ze gepost of de e-mails verstuurd, klik dan op Verzonden. Sla het werkboek op."
    )
    return Outcome(
        status=f"{count} {noun} gemaakt en vastgelegd op het blad Acties; map {result.folder}.",
        notes=tuple(notes),
    )


def mark_sent_live(
    live: LiveBook, as_of: date, *, now: datetime, ask: Callable[[str], bool] | None = None
) -> Outcome:
    """Mark every letter that is still a concept as sent today, after the user confirms.

    Args:
      as_of: the day the letters went out (today).
      ask: asks the user a yes/no question; without it nothing is marked.
    """
    preview = mark_sent(live, as_of, now=now, dry_run=True)
    if not preview.marked:
        return Outcome(status="Er staan geen brieven als concept klaar op het blad Acties.")
    lines = [
        f"{m.action.debtor} {m.debtor.name}: {m.action.step.value} ({m.action.channel.value}) "
        f"van {short_date(m.action.on)}"
        for m in preview.marked
    ]
    question = "\n".join(
        [
            f"Zijn deze {len(lines)} brieven vandaag ({short_date(as_of)}) verstuurd (gepost of "
            "per e-mail)?",
            "",
            *_bullets(lines),
            "",
            "Hun termijn telt vanaf vandaag. Kies Nee als u ze nog niet hebt verstuurd; zet een "
            "brief die op een andere dag verstuurd is zelf op verzonden met de datum in "
            "'Verzonden op'.",
        ]
    )
    if ask is None or not ask(question):
        return Outcome(status="Niets gemarkeerd: de brieven blijven als concept staan.")
    result = mark_sent(live, as_of, now=now)
    notes = [m.warning + "." for m in result.marked if m.warning]
    count = len(result.marked)
    return Outcome(
        status=f"{count} brie{'ven' if count != 1 else 'f'} als verzonden vastgelegd op "
        f"{short_date(as_of)}; sla het werkboek op.",
        notes=tuple(notes),
    )


def statement_files(folder: Path) -> list[Path]:
    """Return the statement files in ``folder`` (by extension, sorted by name)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in STATEMENT_SUFFIXES
        and not p.name.startswith(("~", "."))
    )


def import_live(live: LiveBook, as_of: date, *, now: datetime) -> Outcome:
    """Import every statement file in the folder ``bankafschriften`` beside the open book.

    Entries imported before are recognised by their bank reference and skipped, so the same
    files may stay in the folder and be read again. Creates the folder when it is missing.
    """
    path = _saved_path(live)
    folder = path.parent / STATEMENT_FOLDER
    kinds = "CAMT.053 (.xml), CODA (.cod) of MT940 (.sta, .940)"
    if not folder.is_dir():
        folder.mkdir(parents=True)
        raise DebiteurenError(
            f"De map voor bankafschriften bestond nog niet; die is nu gemaakt: "
            f"{folder}\n\nZet daar de afschriften die u bij uw bank downloadt "
            f"({kinds}) en klik opnieuw op Betalingen importeren."
        )
    files = statement_files(folder)
    if not files:
        raise DebiteurenError(
            f"Er staan geen bankafschriften in {folder}.\n\nZet daar de "
            f"afschriften die u bij uw bank downloadt ({kinds}) en klik "
            "opnieuw op Betalingen importeren."
        )
    live.progress("Bankafschriften inlezen")
    result = import_statements(live, files, as_of=as_of, now=None)
    notes = [f"{f.path.name}: NIET ingelezen. {f.error}" for f in result.files if f.error]
    if result.failed:
        return Outcome(
            status="Er is niets ingelezen: een afschrift wordt helemaal gelezen of helemaal niet. "
            f"Verbeter of verwijder het genoemde bestand in {folder.name} en klik opnieuw.",
            notes=tuple(notes),
        )
    notes += [f"{f.path.name}: {w}." for f in result.files for w in f.warnings]
    read_ok = [f for f in result.files if not f.error]
    lines = sum(f.lines for f in read_ok)
    matched = sum(f.matched for f in read_ok)
    review = sum(f.review for f in read_ok)
    earlier = sum(f.duplicates for f in read_ok)
    if result.rows_added:
        status = (
            f"{plural(result.rows_added, 'rij', 'rijen')} toegevoegd aan het blad Betalingen "
            f"uit {plural(len(read_ok), 'bestand', 'bestanden')}: {matched} gekoppeld, "
            f"{review} te controleren, {earlier} al eerder ingelezen."
        )
        if review:
            notes.append(
                f"{plural(review, 'betaling staat', 'betalingen staan')} op 'Te controleren' op "
                "het blad Betalingen: vul daar de klant en de factuur in."
            )
    elif result.changes:
        status = (
            "Geen nieuwe bijschrijvingen; de datum van het laatste bankafschrift is bijgewerkt."
        )
    else:
        status = (
            f"Niets nieuws: de {plural(lines, 'bijschrijving', 'bijschrijvingen')} in "
            f"{folder.name} {'was' if lines == 1 else 'waren'} al ingelezen."
        )
    return Outcome(status=status, notes=tuple(notes))


def handover_live(live: LiveBook, as_of: date, *, now: datetime) -> Outcome:
    """Hand over the customer on the selected row of Klanten or Facturen.

    The dossier is written to disk; the customer's "Uit handen" and the Acties row are applied
    to the open book.
    """
    _saved_path(live)
    customer = live.customer_at_selection()
    if not customer:
        raise DebiteurenError(
            "Klik eerst op een cel in de rij van de klant die u wilt "
            "overdragen, op het blad Klanten of Facturen, en klik dan opnieuw "
            "op Overdracht."
        )
    from .handover import handover

    live.progress("Dossier maken")
    result = handover(live, as_of, customer=customer, now=now)
    n = len(result.invoices)
    notes = [
        f"Klant {customer} {result.debtor.name} is overgedragen: {n} "
        f"factu{'ren' if n != 1 else 'ur'}, {euro(result.amount)}.",
        f"Dossier: {result.folder}",
    ]
    notes += [f"Niet overgedragen: {number}: {why}." for number, why in result.left_out]
    notes += [f"Let op: {w}" for w in result.warnings]
    if result.pdf_note:
        notes.append(result.pdf_note)
    if result.whole:
        notes.append("De klant staat nu op 'Uit handen'; sla het werkboek op.")
    else:
        notes.append(
            "De overdracht van deze facturen staat op het blad Acties; de andere facturen "
            "blijven op de ladder. Sla het werkboek op."
        )
    return Outcome(
        status=f"Klant {customer} overgedragen; dossier {result.folder}.", notes=tuple(notes)
    )


def letters_folder(live: LiveBook, as_of: date) -> Path:
    """Return the folder with the letters (setting "Uitvoermap brieven", else ``brieven``).

    Raises DebiteurenError when no letter was made yet (the folder does not exist).
    """
    path = _saved_path(live)
    data, _ = read.convert_tables(live.tables(), as_of)  # only the setting is needed
    folder = letter_base(path, data.letter_folder)
    if not folder.is_dir():
        raise DebiteurenError(
            f"Er zijn nog geen brieven gemaakt: de map {folder} bestaat nog "
            "niet. Klik eerst op Herinneringen of Aanmaningen."
        )
    return folder


def _saved_path(live: LiveBook) -> Path:
    """Return the open book's file; raise when it was never saved on this computer."""
    path = live.path
    if "://" in str(path) or not path.is_absolute() or not path.is_file():
        raise DebiteurenError(
            "Sla het werkboek eerst op in een map op deze computer (Bestand > Opslaan als). De "
            "brieven, de bankafschriften en de dossiers komen in mappen naast het werkboek."
        )
    return path


def _bullets(lines: Sequence[str]) -> list[str]:
    """Return the first :data:`SHOWN` lines as bullets, plus "en N meer"."""
    shown = [f"• {line}" for line in lines[:SHOWN]]
    if len(lines) > SHOWN:
        shown.append(f"• en {len(lines) - SHOWN} meer")
    return shown
