"""bijwerken, nieuw and the demo workbook: load once, validate, compute, write back atomically.

Each use case reads the workbook, stops with every problem listed when the data is bad (nothing
is written then), computes everything, and only then writes, atomically, after a backup.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl

from ..core import rates as rates_mod
from ..core.book import Assessment, Overview, assess_book, overview
from ..errors import DebiteurenError, ValidationFailed
from ..letters.context import invoice_reference
from ..workbook import read, template, write
from ..workbook.files import atomic_write, backup, check_writable

__all__ = ["LoadedBook", "UpdateResult", "load", "new_workbook", "update"]


class WorkbookExists(DebiteurenError):
    """``nieuw`` would overwrite a file."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} bestaat al; kies een andere naam. Er is niets overschreven.")


@dataclass(slots=True)
class LoadedBook:
    """A workbook loaded once, with its data read and validated."""

    path: Path
    book: openpyxl.Workbook
    tables: dict[str, read.TableData]
    data: read.WorkbookData
    rates: rates_mod.RateBook


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateResult:
    """What an update did."""

    path: Path
    as_of: date
    assessment: Assessment
    overview: Overview
    cells_changed: int
    saved: bool
    backup: Path | None


def load(path: str | Path, as_of: date, *, for_writing: bool = True) -> LoadedBook:
    """Load and validate the workbook; raise ValidationFailed listing every problem.

    Args:
      for_writing: check first that the file may be replaced (not open in Excel, writable).
    """
    path = Path(path)
    if for_writing:
        check_writable(path)
    tables = read.load_tables(path, engine=read.fastest_engine())
    book = read.open_book(path)
    data, issues = read.convert_tables(tables, as_of)
    if issues:
        raise ValidationFailed(issues)
    rates = rates_mod.builtin().with_rows(data.rate_rows)
    return LoadedBook(path=path, book=book, tables=tables, data=data, rates=rates)


def assess(loaded: LoadedBook, as_of: date, progress: Callable[[int], None] | None = None
           ) -> Assessment:
    """Assess every debtor of a loaded workbook at ``as_of``."""
    d = loaded.data
    return assess_book(d.debtors, d.invoices, d.payments, d.actions, d.plans, d.creditor,
                       d.settings, loaded.rates, as_of, progress)


def _cell_key(value: object) -> object:
    """Return a value as it reads back from the file (Decimal as float, date as datetime)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _overview_snapshot(book: openpyxl.Workbook) -> list[tuple] | None:
    """Return the Overzicht's values, to tell whether regenerating it changed anything."""
    if "Overzicht" not in book.sheetnames:
        return None
    ws = book["Overzicht"]
    return [tuple(_cell_key(v) for v in row) for row in ws.iter_rows(values_only=True)]


def save(loaded: LoadedBook, now: datetime) -> Path:
    """Back up the previous file and replace it atomically by the loaded workbook."""
    copy = backup(loaded.path, now)
    atomic_write(loaded.path, lambda tmp: loaded.book.save(tmp))
    return copy


def last_statement_date(data: read.WorkbookData) -> date | None:
    """Return the date of the newest payment imported from a bank statement, if any."""
    days = [p.on for p in data.payments if p.source and p.source.lower() != "handmatig"
            and p.bank_reference]
    return max(days) if days else None


def update(
    path: str | Path,
    as_of: date,
    *,
    now: datetime,
    progress: Callable[[str, int, int], None] | None = None,
) -> UpdateResult:
    """Recompute every invoice at ``as_of`` and write the results into the workbook.

    Writes the computed Facturen columns (Betaald, Openstaand, Dagen te laat, Rente, Kosten,
    Totaal, Fase, Volgende stap, Per, Verjaart op), fills empty Betalingskenmerk cells, and
    regenerates the Overzicht. Nothing is saved when nothing changed, so a second run with the
    same peildatum leaves the file as it is.

    Args:
      path: the workbook.
      as_of: the peildatum.
      now: the current time (for the backup's name only).
      progress: called with (phase, done, total).
    """
    loaded = load(path, as_of)
    data = loaded.data
    n = len({i.debtor for i in data.invoices})
    assessment = assess(loaded, as_of,
                        (lambda k: progress("Berekenen", k, n)) if progress else None)
    ov = overview(assessment, data.invoices)
    values = write.assessment_values(assessment)
    refs = {}
    for inv in data.invoices:
        if not inv.reference and not inv.is_credit_note and inv.amount > 0:
            try:
                refs[inv.number] = invoice_reference(inv.number, "", data.debtors[inv.debtor],
                                                     data.creditor).display
            except DebiteurenError:
                pass
    facturen = loaded.tables["Facturen"]
    ws = loaded.book[facturen.sheet]
    if progress:
        progress("Schrijven", 0, 1)
    changed = write.write_computed(ws, facturen.first_row - 1, facturen.first_column,
                                   data.invoice_rows, values, refs)
    before = _overview_snapshot(loaded.book)
    write.write_overview(loaded.book, ov, last_statement_date(data))
    same_overview = before == _overview_snapshot(loaded.book)
    copy = None
    saved = False
    if changed or not same_overview:
        if progress:
            progress("Opslaan", 0, 1)
        copy = save(loaded, now)
        saved = True
    return UpdateResult(path=loaded.path, as_of=as_of, assessment=assessment, overview=ov,
                        cells_changed=changed, saved=saved, backup=copy)


def new_workbook(path: str | Path) -> Path:
    """Create a new, empty workbook from the template; refuse to overwrite."""
    path = Path(path)
    if path.exists():
        raise WorkbookExists(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DebiteurenError(f"Geef het werkboek de extensie .xlsx: {path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template.template_path(), path)
    return path


def demo_workbook(path: Path) -> Path:
    """Write the demo workbook (template + example data) to ``path``."""
    from ..demo import fill_demo

    book = openpyxl.load_workbook(template.template_path())
    fill_demo(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: book.save(tmp))
    return path


__all__ += ["ValidationFailed", "assess", "demo_workbook", "last_statement_date", "save"]
