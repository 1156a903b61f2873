"""``bijwerken``, ``nieuw`` and the demo workbook.

``bijwerken`` is the pipeline with nothing to record: read the book once, assess every invoice,
write the computed Facturen columns, the tidied cells and the Overzicht back in one save
(:mod:`.pipeline`); a run that changes nothing writes nothing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl

from ..core.book import Assessment, Overview, no_cycle_collection
from ..errors import DebiteurenError, ValidationFailed
from ..workbook import read, schema, template
from ..workbook.files import atomic_write, locks_workbook, workbook_lock
from ..workbook.source import BookSource, FileBook, Progress
from .pipeline import (
    LoadedBook,
    assess,
    invoice_references,
    payment_references,
    read_book,
    write_back,
)

__all__ = [
    "LoadedBook",
    "UpdateResult",
    "ValidationFailed",
    "assess",
    "demo_workbook",
    "invoice_references",
    "last_statement_date",
    "load",
    "new_workbook",
    "payment_references",
    "update",
]


class WorkbookExists(DebiteurenError):
    """``nieuw`` would overwrite a file."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} bestaat al; kies een andere naam. Er is niets overschreven.")


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateResult:
    """What an update did.

    Attributes:
      warnings: rates carried past their known period or not confirmed (Dutch sentences; also
        on the Overzicht under "Rentepercentages").
      checks: what the book records that the user should check, one Dutch line each naming
        sheet, row and column (:func:`.pipeline.book_warnings`; also on the Overzicht).
      tidied: what was put right in the user's cells, one Dutch sentence each: dates and
        numbers typed as text now written as dates and numbers, rows typed under a table taken
        into it.
      unchanged: the workbook was recognised as already up to date for this peildatum from the
        digests a previous run stored (:mod:`..workbook.digest`); nothing was assessed, so
        ``assessment`` and ``overview`` are None and ``summary`` holds the stored figures.
      assessment: also None when a large file was assessed on two cores (:mod:`.shards`):
        each customer's claim was then made in one of two processes; ``overview`` has the
        figures of the whole book.
    """

    path: Path
    as_of: date
    assessment: Assessment | None
    overview: Overview
    cells_changed: int
    saved: bool
    backup: Path | None
    warnings: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    to_review: tuple = ()
    tidied: tuple[str, ...] = ()
    unchanged: bool = False
    summary: dict[str, str] | None = None


def load(book: str | Path | BookSource, as_of: date, *, for_writing: bool = True) -> LoadedBook:
    """Load and validate the workbook; raise ValidationFailed listing every problem."""
    return read_book(book, as_of, for_writing=for_writing)


def last_statement_date(data: read.WorkbookData) -> date | None:
    """Return the date of the newest bank statement read, if any."""
    return data.last_statement


@locks_workbook
@no_cycle_collection()  # the whole run: the collector would rescan the assessment (issue 17)
def update(
    book: str | Path | BookSource,
    as_of: date,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    skip_unchanged: bool = False,
) -> UpdateResult:
    """Recompute every invoice at ``as_of`` and write the results into the workbook.

    Writes the computed Facturen columns (Betaald, Openstaand, Dagen te laat, Rente, Kosten,
    Totaal, Fase, Volgende stap, Per, Verjaart op), fills empty Betalingskenmerk cells, writes
    dates and numbers typed as text as real ones, and regenerates the Overzicht (with the rate
    warnings of :mod:`..core.rate_watch`). Nothing is saved when nothing changed, so a second
    run with the same peildatum leaves the file as it is.

    Args:
      book: the workbook file, or the book open in Excel.
      as_of: the peildatum.
      now: the current time (for the backup's name only; a file needs it).
      progress: called with (phase, done, total).
      skip_unchanged: first compare the digests the last saving run stored in the file
        (:mod:`..workbook.digest`) with the file and its tables; when one matches, return at
        once (``unchanged``) without assessing.
    """
    tables = None
    if skip_unchanged and isinstance(book, str | Path):
        from .. import __version__
        from ..workbook import digest

        path = Path(book)
        FileBook(path).check_writable()
        stored = digest.custom_properties(path)
        unchanged = _unchanged(path, as_of, __version__, stored, None)
        if unchanged is not None:
            return unchanged
        if digest.same_day(stored, as_of):  # else the tables cannot show nothing changed
            tables = FileBook(path).tables()
            unchanged = _unchanged(path, as_of, __version__, stored, tables)
            if unchanged is not None:
                return unchanged
    loaded = read_book(book, as_of, progress=progress, tables=tables)
    tables = None  # held by ``loaded`` only, so that write_back can let them go
    written = write_back(loaded, as_of, now, progress=progress, release_tables=True)
    assert written.overview is not None
    return UpdateResult(
        path=loaded.path,
        as_of=as_of,
        assessment=written.assessment,
        overview=written.overview,
        cells_changed=written.cells_changed,
        saved=written.saved,
        backup=written.backup,
        warnings=written.warnings,
        checks=written.overview.checks,
        to_review=tuple(loaded.data.to_review),
        tidied=written.tidied,
    )


def _unchanged(
    path: Path,
    as_of: date,
    version: str,
    stored: dict[str, str],
    tables: dict[str, read.TableData] | None,
) -> UpdateResult | None:
    """Return the result of a run that the stored digests show to change nothing, else None.

    Without ``tables``: the file's bytes are still those the last run wrote (cheap, no cell
    read). With ``tables``: their values are those the last run left (after Excel saved it).
    """
    from ..workbook import digest

    if not digest.same_day(stored, as_of):
        return None
    summary = digest.read_summary(stored.get(digest.SUMMARY_PROPERTY))
    if tables is None:
        sealed = stored.get(digest.FILE_PROPERTY)
        if not sealed or sealed != digest.package_digest(path, digest.salt(as_of, version)):
            return None
        if summary.get("te_controleren", "1") != "0":
            only = (schema.BETALINGEN.name,)
            tables = read.load_tables(path, engine=read.fastest_engine(), only=only)
        else:
            tables = {}
    elif not digest.tables_current(stored, tables, as_of, version) or (
        schema.OVERZICHT.name not in read.sheet_titles(path)  # a deleted one is made again
    ):
        return None
    return UpdateResult(
        path=path,
        as_of=as_of,
        assessment=None,  # type: ignore[arg-type]
        overview=None,  # type: ignore[arg-type]
        cells_changed=0,
        saved=False,
        backup=None,
        unchanged=True,
        summary=summary,
        to_review=tuple(read.payments_to_review(tables)),
    )


def new_workbook(path: str | Path) -> Path:
    """Create a new, empty workbook from the template; refuse to overwrite."""
    path = Path(path)
    if path.exists():
        raise WorkbookExists(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DebiteurenError(f"Geef het werkboek de extensie .xlsx: {path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with workbook_lock(path):
        if path.exists():  # made by another program meanwhile
            raise WorkbookExists(path)
        atomic_write(path, lambda tmp: shutil.copyfile(template.template_path(), tmp))
    return path


def demo_workbook(path: Path) -> Path:
    """Write the demo workbook (template + example data) to ``path``."""
    from ..demo import fill_demo

    book = openpyxl.load_workbook(template.template_path())
    fill_demo(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    with workbook_lock(path):
        atomic_write(path, lambda tmp: book.save(tmp))
    return path
