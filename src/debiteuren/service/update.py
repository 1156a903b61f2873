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

import openpyxl

from ..core import rates as rates_mod
from ..core.book import Assessment, Overview, assess_book, no_cycle_collection, overview
from ..core.rate_watch import assessment_rate_warnings
from ..core.references import (
    DuplicateReference,
    PaymentReference,
    invoice_reference,
    stored_reference,
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
    book: openpyxl.Workbook
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
      unchanged: the workbook was recognised as already up to date for this peildatum from the
        digest a previous run stored (:mod:`..workbook.digest`); nothing was assessed, so
        ``assessment`` and ``overview`` are None and ``summary`` holds the stored figures.
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
    unchanged: bool = False
    summary: dict[str, str] | None = None


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
        stored = stored_reference(inv.reference) if inv.reference else None
        if stored is not None:  # kept as it is: nothing to make (issue 17)
            items.append((inv.number, stored, stored))
            continue
        try:
            made = invoice_reference(inv.number, "", data.debtors[inv.debtor], data.creditor)
        except DebiteurenError:
            continue
        items.append((inv.number, None, made))
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
@no_cycle_collection()  # the whole run: the collector would rescan the assessment (issue 17)
def update(
    path: str | Path,
    as_of: date,
    *,
    now: datetime,
    progress: Callable[[str, int, int], None] | None = None,
    skip_unchanged: bool = False,
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
      skip_unchanged: first compare the digest of the tables with the one the last saving run
        stored (:mod:`..workbook.digest`); when equal, return at once (``unchanged``).
    """
    from .. import __version__
    from ..workbook import digest, xlsx_patch  # the package patcher (lxml): desktop only

    path = Path(path)
    check_writable(path)
    stored: dict[str, str] = {}
    if skip_unchanged:
        stored = digest.custom_properties(path)
        unchanged = _unchanged(path, as_of, __version__, stored, None)
        if unchanged is not None:
            return unchanged
    tables = read.load_tables(path, engine=read.fastest_engine())
    if skip_unchanged:
        unchanged = _unchanged(path, as_of, __version__, stored, tables)
        if unchanged is not None:
            return unchanged
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
    step = _stepper(progress, "Schrijven", 3)
    refs = payment_references(data)
    step()
    facturen = tables["Facturen"]
    changes = write.computed_changes(facturen, data.invoice_rows, values, refs)
    changed = sum(len(cells) for cells in changes.values())
    step()
    growth = read.table_growth(tables)
    tidied = tuple(c.message for c in data.text_cells) + tuple(g.message for g in growth)
    last = last_statement_date(data)
    scratch = write.overview_book(ov, last, data.to_review)
    step()
    if (
        not changed
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
    properties = _digest_properties(
        tables, as_of, __version__, changes, data.text_cells, ov, data.to_review
    )
    try:
        copy = _save_patched(
            path,
            facturen,
            changes,
            scratch,
            now,
            data.text_cells,
            growth,
            properties,
            progress,
            digest.salt(as_of, __version__),
        )
    except xlsx_patch.UnexpectedStructure:
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

    summary = digest.read_summary(stored.get(digest.SUMMARY_PROPERTY))
    if summary.get("peildatum") != as_of.isoformat():
        return None
    if tables is None:
        sealed = stored.get(digest.FILE_PROPERTY)
        if not sealed or sealed != digest.package_digest(path, digest.salt(as_of, version)):
            return None
        if summary.get("te_controleren", "1") != "0":
            tables = read.load_tables(path, engine=read.fastest_engine(), only=("Betalingen",))
        else:
            tables = {}
    elif stored.get(digest.DIGEST_PROPERTY) != digest.inputs_digest(tables, as_of, version):
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


def _save_patched(
    path: Path,
    facturen: read.TableData,
    changes: dict[int, dict[int, object]],
    scratch: openpyxl.Workbook,
    now: datetime,
    text_cells: Sequence[read.TextCell] = (),
    growth: Sequence[read.TableGrowth] = (),
    properties: dict[str, str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    salt: str | None = None,
) -> Path:
    """Write the changed cells and the new Overzicht by patching the package; return the backup.

    Also writes dates and numbers typed as text as real ones, and grows tables over the rows
    typed under them. Raises UnexpectedStructure, before anything is written, when the package
    cannot be patched.
    """
    from ..workbook import digest, xlsx_patch  # the package patcher (lxml): desktop only

    # Opslaan in 100 parts: 10 the Overzicht, 10 the patch, 80 writing the package.
    report = (lambda done: progress("Opslaan", done, 100)) if progress else (lambda done: None)
    report(0)
    buffer = io.BytesIO()
    scratch.save(buffer)
    report(10)
    with xlsx_patch.Patch(path) as patch:
        patch.set_cells(facturen.sheet, changes, write.computed_formats(facturen))  # type: ignore[arg-type]
        for title, (cells, formats) in _typed_cells(text_cells).items():
            patch.set_cells(title, cells, formats, retype=True)
        for grown in growth:
            patch.set_table_ref(grown.table, grown.new_ref)
        patch.replace_sheet(OVERVIEW, buffer.getvalue())
        if properties:
            patch.set_custom_properties(properties)
            if salt is not None:
                patch.seal(digest.FILE_PROPERTY, salt)
        patch.prepare()
        report(20)
        copy = save_workbook(
            path,
            lambda tmp: patch.write(tmp, lambda done, total: report(20 + 79 * done // total)),
            now,
        )
        report(100)
    return copy


def _stepper(progress: Callable[[str, int, int], None] | None, phase: str, total: int):
    """Return a function that reports one more of ``total`` steps of ``phase`` (starts at 0)."""
    done = 0
    if progress:
        progress(phase, 0, total)

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(phase, done, total)

    return step


def _digest_properties(
    tables: dict[str, read.TableData],
    as_of: date,
    version: str,
    changes: dict[int, dict[int, object]],
    text_cells: Sequence[read.TextCell],
    ov: Overview,
    to_review: Sequence = (),
) -> dict[str, str]:
    """Return the custom properties that let the next run see that nothing changed."""
    from ..workbook import digest

    edits: dict[str, dict[int, dict[int, object]]] = {
        tables["Facturen"].sheet: {row: dict(cells) for row, cells in changes.items()}
    }
    for c in text_cells:
        edits.setdefault(c.sheet, {}).setdefault(c.row, {})[c.column] = c.value
    figures = {
        "peildatum": as_of.isoformat(),
        "open": ov.invoices_open,
        "vervallen": ov.invoices_overdue,
        "klanten": len(ov.debtors),
        "hoofdsom": ov.principal_open,
        "rente": ov.interest_open,
        "kosten": ov.costs_open,
        "totaal": ov.outstanding,
        "verjaring": len(ov.watch.limitation) if ov.watch is not None else 0,
        "rentewaarschuwingen": len(ov.rate_warnings),
        "te_controleren": len(to_review),
    }
    return {
        digest.DIGEST_PROPERTY: digest.inputs_digest(tables, as_of, version, edits),
        digest.SUMMARY_PROPERTY: digest.summary_text(figures),
    }


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
