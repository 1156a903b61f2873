"""bijwerken, nieuw and the demo workbook: load once, validate, compute, write back atomically.

Each use case reads the workbook, stops with every problem listed when the data is bad (nothing
is written then), computes everything, and only then writes, atomically, after a backup.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl

from ..core import rates as rates_mod
from ..core.book import Assessment, Overview, assess_book, overview
from ..core.rate_watch import assessment_rate_warnings
from ..core.references import (
    DuplicateReference,
    PaymentReference,
    find_references,
    invoice_reference,
    unique_references,
)
from ..errors import DebiteurenError, ValidationFailed
from ..workbook import read, template, write
from ..workbook.files import (
    atomic_write,
    check_writable,
    locks_workbook,
    save_workbook,
    workbook_lock,
)

if TYPE_CHECKING:
    from ..workbook.patched import Pending  # lxml: desktop only

__all__ = ["LoadedBook", "UpdateResult", "load", "new_workbook", "update"]

#: The dashboard sheet that every update regenerates.
OVERVIEW = "Overzicht"


class WorkbookExists(DebiteurenError):
    """``nieuw`` would overwrite a file."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} bestaat al; kies een andere naam. Er is niets overschreven.")


@dataclass(slots=True)
class LoadedBook:
    """A workbook loaded once, with its data read and validated."""

    path: Path
    book: openpyxl.Workbook | None
    tables: dict[str, read.TableData]
    data: read.WorkbookData
    rates: rates_mod.RateBook


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateResult:
    """What an update did.

    Attributes:
      warnings: rates carried past their known period or not confirmed (Dutch sentences; also
        on the Overzicht under "Rentepercentages").
      tidied: what was put right in the user's cells, one Dutch sentence each: dates and
        numbers typed as text now written as dates and numbers, rows typed under a table taken
        into it.
    """

    path: Path
    as_of: date
    assessment: Assessment
    overview: Overview
    cells_changed: int
    saved: bool
    backup: Path | None
    warnings: tuple[str, ...] = ()
    to_review: tuple = ()
    tidied: tuple[str, ...] = ()


def load(path: str | Path, as_of: date, *, for_writing: bool = True) -> LoadedBook:
    """Load and validate the workbook; raise ValidationFailed listing every problem.

    Args:
      for_writing: check first that the file may be replaced (not open in Excel, writable).
    """
    path = Path(path)
    if for_writing:
        check_writable(path)
    tables = read.load_tables(path, engine=read.fastest_engine())
    data, issues = read.convert_tables(tables, as_of)
    if issues:
        raise ValidationFailed(issues)
    rates = rates_mod.builtin().with_rows(data.rate_rows)
    # No openpyxl load: nothing uses the book, and on a large workbook it costs most of the run.
    return LoadedBook(path=path, book=None, tables=tables, data=data, rates=rates)


def assess(
    loaded: LoadedBook, as_of: date, progress: Callable[[int], None] | None = None
) -> Assessment:
    """Assess every debtor of a loaded workbook at ``as_of``."""
    d = loaded.data
    return assess_book(
        d.debtors,
        d.invoices,
        d.payments,
        d.actions,
        d.plans,
        d.creditor,
        d.settings,
        loaded.rates,
        as_of,
        progress,
    )


def last_statement_date(data: read.WorkbookData) -> date | None:
    """Return the date of the newest payment imported from a bank statement, if any."""
    return data.last_statement


def invoice_references(data: read.WorkbookData) -> dict[str, PaymentReference]:
    """Return invoice number -> payment reference (the stored Betalingskenmerk, else the one
    debiteuren makes), for every invoice that can be paid; letters and matching use the same.

    References are unique within the workbook (:func:`~debiteuren.core.references.
    unique_references`); two invoices that would share one are refused with both rows named.
    """
    items = []
    for inv in data.invoices:
        if inv.is_credit_note or inv.amount <= 0:
            continue
        debtor = data.debtors[inv.debtor]
        found = find_references(inv.reference) if inv.reference else []
        try:
            made = invoice_reference(inv.number, "", debtor, data.creditor)
        except DebiteurenError:
            if not found:
                continue
            made = found[0]
        items.append((inv.number, found[0] if found else None, made))
    try:
        return unique_references(items)
    except DuplicateReference as exc:
        rows = data.invoice_rows
        raise DebiteurenError(
            f"Facturen, rij {rows.get(exc.first, '?')} en rij {rows.get(exc.second, '?')}, "
            f"Betalingskenmerk: de facturen {exc.first} en {exc.second} hebben hetzelfde "
            f"betalingskenmerk {exc.reference.display}; een betaling zou dan niet te koppelen "
            "zijn. Maak het kenmerk van een van beide leeg, dan maakt debiteuren een ander."
        ) from None


def payment_references(data: read.WorkbookData) -> dict[str, str]:
    """Return invoice number -> printed reference, for invoices whose Betalingskenmerk is empty
    (``bijwerken`` fills those cells)."""
    stored = {i.number for i in data.invoices if i.reference}
    return {n: r.display for n, r in invoice_references(data).items() if n not in stored}


@locks_workbook
def update(
    path: str | Path,
    as_of: date,
    *,
    now: datetime,
    progress: Callable[[str, int, int], None] | None = None,
    pending: Pending | None = None,
) -> UpdateResult:
    """Recompute every invoice at ``as_of`` and write the results into the workbook.

    Writes the computed Facturen columns (Betaald, Openstaand, Dagen te laat, Rente, Kosten,
    Totaal, Fase, Volgende stap, Per, Verjaart op), fills empty Betalingskenmerk cells, and
    regenerates the Overzicht (with the rate warnings of :mod:`..core.rate_watch`). Nothing is
    saved when nothing changed, so a second run with the same peildatum leaves the file as it is.

    The values are read once (python-calamine) and the new values are compared with them before
    anything else is opened: a run that changes nothing reads the file only. A run that does
    change something patches the package (:mod:`..workbook.xlsx_patch`: the changed Facturen
    rows and the Overzicht sheet are rewritten, every other part is copied as it is), and falls
    back to a full openpyxl load and save only for a package the patcher does not expect.

    Args:
      path: the workbook.
      as_of: the peildatum.
      now: the current time (for the backup's name only).
      progress: called with (phase, done, total).
      pending: rows and cells another command (``betalingen``) has yet to write, with the
        tables it read: the update computes on the tables as they will be and writes those
        changes too, in the same save. Raises UnexpectedStructure (nothing written) when the
        package cannot be patched; the caller then writes in two steps.
    """
    from ..workbook import xlsx_patch  # the package patcher (lxml): desktop only

    path = Path(path)
    check_writable(path)
    if pending is None:
        tables = read.load_tables(path, engine=read.fastest_engine())
    else:
        tables = pending.merged()
    data, issues = read.convert_tables(tables, as_of)
    if issues:
        raise ValidationFailed(issues)
    rates = rates_mod.builtin().with_rows(data.rate_rows)
    n = len({i.debtor for i in data.invoices})
    assessment = assess_book(
        data.debtors,
        data.invoices,
        data.payments,
        data.actions,
        data.plans,
        data.creditor,
        data.settings,
        rates,
        as_of,
        (lambda k: progress("Berekenen", k, n)) if progress else None,
    )
    warnings = tuple(assessment_rate_warnings(assessment, data.settings, rates))
    ov = replace(overview(assessment, data.invoices), rate_warnings=warnings)
    values = write.assessment_values(assessment)
    refs = payment_references(data)
    facturen = tables["Facturen"]
    if progress:
        progress("Schrijven", 0, 1)
    changes = write.computed_changes(facturen, data.invoice_rows, values, refs)
    changed = sum(len(cells) for cells in changes.values())
    growth = read.table_growth(tables)
    tidied = tuple(c.message for c in data.text_cells) + tuple(g.message for g in growth)
    last = last_statement_date(data)
    scratch = write.overview_book(ov, last, data.to_review)
    if (
        pending is None
        and not changed
        and not tidied
        and write.sheet_key(read.sheet_values(path, OVERVIEW))
        == write.worksheet_key(scratch[OVERVIEW])
    ):
        return UpdateResult(
            path=path,
            as_of=as_of,
            assessment=assessment,
            overview=ov,
            cells_changed=0,
            saved=False,
            backup=None,
            warnings=warnings,
            to_review=tuple(data.to_review),
        )
    if progress:
        progress("Opslaan", 0, 1)
    try:
        copy = _save_patched(
            path, facturen, changes, scratch, now, data.text_cells, growth, pending
        )
    except xlsx_patch.UnexpectedStructure:
        if pending is not None:
            raise
        changed, copy = _save_with_openpyxl(
            path, data, facturen, values, refs, ov, last, now, growth
        )
    return UpdateResult(
        path=path,
        as_of=as_of,
        assessment=assessment,
        overview=ov,
        cells_changed=changed + len(data.text_cells),
        saved=True,
        backup=copy,
        warnings=warnings,
        to_review=tuple(data.to_review),
        tidied=tidied,
    )


def _save_patched(
    path: Path,
    facturen: read.TableData,
    changes: dict[int, dict[int, object]],
    scratch: openpyxl.Workbook,
    now: datetime,
    text_cells: Sequence[read.TextCell] = (),
    growth: Sequence[read.TableGrowth] = (),
    pending: Pending | None = None,
) -> Path:
    """Write the changed cells and the new Overzicht by patching the package; return the backup.

    Also writes dates and numbers typed as text as real ones, and grows tables over the rows
    typed under them. Raises UnexpectedStructure, before anything is written, when the package
    cannot be patched.
    """
    from ..workbook import xlsx_patch  # the package patcher (lxml): desktop only

    buffer = io.BytesIO()
    scratch.save(buffer)
    with xlsx_patch.Patch(path) as patch:
        if pending is not None:
            pending.write(patch)
        patch.set_cells(facturen.sheet, changes, write.computed_formats(facturen))  # type: ignore[arg-type]
        for title, (cells, formats) in _typed_cells(text_cells).items():
            patch.set_cells(title, cells, formats, retype=True)
        for grown in growth:
            patch.set_table_ref(grown.table, grown.new_ref)
        patch.replace_sheet(OVERVIEW, buffer.getvalue())
        patch.prepare()
        copy = save_workbook(path, patch.write, now)
    return copy


def _typed_cells(
    text_cells: Sequence[read.TextCell],
) -> dict[str, tuple[dict[int, dict[int, object]], dict[int, str]]]:
    """Group text cells per sheet as (row -> column -> value, column -> number format).

    A date with a time of day becomes Excel's serial number (the patch writes plain dates).
    """
    out: dict[str, tuple[dict[int, dict[int, object]], dict[int, str]]] = {}
    for c in text_cells:
        cells, formats = out.setdefault(c.sheet, ({}, {}))
        value = c.value
        if isinstance(value, datetime):
            value = (value - datetime(1899, 12, 30)).total_seconds() / 86400
        cells.setdefault(c.row, {})[c.column] = value
        formats[c.column] = c.number_format
    return out


def _save_with_openpyxl(
    path: Path,
    data: read.WorkbookData,
    facturen: read.TableData,
    values: dict[str, dict[str, object]],
    refs: dict[str, str],
    ov: Overview,
    last: date | None,
    now: datetime,
    growth: Sequence[read.TableGrowth] = (),
) -> tuple[int, Path]:
    """Write by a full openpyxl load and save (the fallback); return (cells changed, backup)."""
    book = read.open_book(path)
    write.write_typed_cells(book, data.text_cells)
    write.grow_tables(book, growth)
    ws = book[facturen.sheet]
    changed = write.write_computed(
        ws, facturen.first_row - 1, facturen.first_column, data.invoice_rows, values, refs
    )
    write.write_overview(book, ov, last, data.to_review)
    copy = save_workbook(path, lambda tmp: book.save(tmp), now)
    return changed, copy


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


__all__ += [
    "ValidationFailed",
    "assess",
    "demo_workbook",
    "invoice_references",
    "last_statement_date",
    "payment_references",
]
