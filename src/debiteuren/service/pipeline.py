"""The one path of every use case: read the book, assess it, act, record, write back once.

::

    loaded = read_book(book, as_of)          # the tables, read once and validated
    assessment = assess(loaded, as_of)       # every claim and ladder position (the pure core)
    ...                                      # the use case acts: letters, a dossier, a match
    changes = Changes(); changes.add(...)    # and records what happened, as typed rows
    write_back(loaded, as_of, now, changes)  # placed, re-assessed, written in one save

``book`` is a path (a :class:`~debiteuren.workbook.source.FileBook`) or the book open in Excel
(:class:`~debiteuren.workbook.live.LiveBook`): the same use case serves the command line and the
ribbon. :func:`write_back` puts the changes on the tables as read, converts the result with the
reader's own rules (a change that would leave the workbook with a problem is refused before
anything is written), re-assesses only the debtors whose data changed, and writes the changes,
the computed Facturen columns, the tidied cells and the Overzicht in one save; a run that
changes nothing writes nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..core import rates as rates_mod
from ..core.book import Assessment, Overview, assess_book, no_cycle_collection, overview
from ..core.letters import derived_deadlines
from ..core.rate_watch import assessment_rate_warnings
from ..core.references import (
    DuplicateReference,
    PaymentReference,
    book_references,
    references_to_write,
)
from ..errors import DebiteurenError, Issue, ValidationFailed
from ..untrusted import one_line
from ..workbook import read, schema, write
from ..workbook.changes import Changes, Placement, place
from ..workbook.source import (
    BookSource,
    FileBook,
    OverviewSheet,
    Progress,
    SheetAside,
    Write,
    as_source,
)
from . import shards

__all__ = [
    "LoadedBook",
    "Refused",
    "Written",
    "assess",
    "book_warnings",
    "folder_of",
    "invoice_references",
    "payment_references",
    "read_book",
    "reference_texts",
    "refuse_no_room",
    "write_back",
]


class Refused(DebiteurenError):
    """The changes would leave the workbook with a problem; nothing was written.

    ``placement``: where the changes went (the rows they added), so that a caller can tell
    which of its rows hold the problems; None when nothing was placed.
    """

    def __init__(self, issues: list[Issue], placement: Placement | None = None) -> None:
        lines = ["Deze opdracht zou het werkboek onjuist maken; er is niets gewijzigd:"]
        lines += [f"- {one_line(str(issue))}" for issue in issues]
        super().__init__("\n".join(lines))
        self.issues = issues
        self.placement = placement


@dataclass(slots=True)
class LoadedBook:
    """A workbook read once and validated; after :func:`write_back`, as it was written.

    Attributes:
      source: where it was read from and is written to.
      tables: declared sheet name -> the table's values.
      data: the tables as model objects.
      rates: the built-in rate table with the Rentes sheet's rows.
      deadlines: Excel row on Acties -> the Termijn tot that row shows wrongly (a formal
        letter's term from the day it went out or was received, :func:`~..core.letters.
        derived_deadlines`) and the Dutch sentence that says so; ``data`` has them already,
        the next refreshing write-back writes them.
    """

    source: BookSource
    tables: dict[str, read.TableData]
    data: read.WorkbookData
    rates: rates_mod.RateBook
    deadlines: dict[int, tuple[date, str]] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        """Return the workbook's file."""
        return self.source.path


@dataclass(frozen=True, slots=True, kw_only=True)
class Written:
    """What :func:`write_back` did.

    Attributes:
      placement: where the use case's rows and cells went (Excel rows of appended rows).
      assessment, overview: the book assessed after the changes (None without ``refresh``;
        the assessment also None when a large file was assessed on two cores, :mod:`.shards`).
      cells_changed: computed cells that changed, plus dates and numbers no longer text.
      warnings: the rate warnings (also on the Overzicht).
      tidied: what was put right in the user's cells, one Dutch sentence each.
    """

    saved: bool
    backup: Path | None
    placement: Placement
    assessment: Assessment | None = None
    overview: Overview | None = None
    cells_changed: int = 0
    warnings: tuple[str, ...] = ()
    tidied: tuple[str, ...] = field(default_factory=tuple)


@no_cycle_collection()  # its objects are the book's data: no cycles (issue 17)
def read_book(
    book: str | Path | BookSource,
    as_of: date,
    *,
    for_writing: bool = True,
    progress: Progress | None = None,
    tables: dict[str, read.TableData] | None = None,
) -> LoadedBook:
    """Read and validate the workbook once; raise ValidationFailed listing every problem.

    Args:
      for_writing: check first that the file may be replaced (not open in Excel, writable).
      tables: the tables when the caller read them already.
    """
    source = as_source(book)
    if for_writing:
        source.check_writable()
    if progress:
        progress("Werkboek lezen", 0, 0)
    if tables is None:  # a file's largest sheet is read meanwhile (read.InTurn)
        in_turn = getattr(source, "tables_in_turn", None)
        tables = in_turn() if in_turn is not None else source.tables()
    try:
        data, issues = read.convert_tables(tables, as_of)
        if isinstance(tables, read.InTurn):
            tables = tables.finished()
    except read.ReadAgain as again:  # a far-away cell: everything as openpyxl read it
        tables = again.tables
        data, issues = read.convert_tables(tables, as_of)
    if issues:
        raise ValidationFailed(issues)
    rates = rates_mod.builtin().with_rows(data.rate_rows)
    data, deadlines = _with_deadlines(data)
    return LoadedBook(source=source, tables=tables, data=data, rates=rates, deadlines=deadlines)


def _with_deadlines(
    data: read.WorkbookData,
) -> tuple[read.WorkbookData, dict[int, tuple[date, str]]]:
    """Return ``data`` with every formal letter's Termijn tot as the law's term gives it (from
    Ontvangen op where known), and Excel row -> (day, why) of the rows that showed another."""
    found = derived_deadlines(data.actions, data.debtors, data.creditor, data.settings)
    if not found:
        return data, {}
    actions = list(data.actions)
    rows = {}
    for k, day in found.items():
        a, row = actions[k], data.action_rows[k]
        was = f"{a.deadline:%d-%m-%Y}" if a.deadline else "leeg"
        since = (
            f"de ontvangst op {a.received_on:%d-%m-%Y}"
            if a.received_on
            else f"de verzending op {a.sent_on or a.on:%d-%m-%Y}"
        )
        rows[row] = (
            day,
            f"Acties, rij {row}, Termijn tot: {day:%d-%m-%Y} (was {was}); de termijn van de "
            f"{a.step.value} aan {a.debtor} telt vanaf {since}",
        )
        actions[k] = replace(a, deadline=day)
    return replace(data, actions=actions), rows


def refuse_no_room(loaded: LoadedBook, counts: Mapping[schema.Sheet, int]) -> None:
    """Refuse, before a use case makes its files (letters, a confirmation), when the rows it
    will add (``counts``: per sheet) would land on cells below a table of the book open in
    Excel (:class:`~debiteuren.workbook.live.CellsBelowTable`): refused only when the rows were
    written, the letters were made and not logged. A file needs no check: its readers take rows
    typed below a table into it, and name them."""
    check = getattr(loaded.source, "refuse_rows_below", None)
    if check is not None:
        check({sheet.name: count for sheet, count in counts.items()})


def folder_of(loaded: LoadedBook) -> Path:
    """Return the workbook's file, beside which letters, dossiers and statements go.

    Raises DebiteurenError for a book open in Excel that was never saved on this computer.
    """
    path = loaded.path
    saved = "://" not in str(path) and path.is_absolute() and path.is_file()
    if not saved and not isinstance(loaded.source, FileBook):
        raise DebiteurenError(
            "Sla het werkboek eerst op in een map op deze computer (Bestand > Opslaan als). "
            "De brieven, de bankafschriften en de dossiers komen in mappen naast het "
            "werkboek."
        )
    return path


def assess(loaded: LoadedBook, as_of: date, progress: Progress | None = None) -> Assessment:
    """Assess every debtor of a loaded workbook at ``as_of``."""
    return _assess_all(loaded.data, loaded.rates, as_of, progress)


def assess_some(loaded: LoadedBook, as_of: date, only: set[str]) -> Assessment:
    """Assess only the debtors in ``only`` at ``as_of`` (a command that looks at a few)."""
    return _assess_all(loaded.data, loaded.rates, as_of, None, only)


def _assess_all(
    d: read.WorkbookData,
    rates: rates_mod.RateBook,
    as_of: date,
    progress: Progress | None,
    only: set[str] | None = None,
) -> Assessment:
    """Assess every debtor (or those in ``only``) of ``d``."""
    invoices, payments, actions, plans = shards.subset(d, only)
    count = _counter(d, progress)
    return assess_book(
        d.debtors, invoices, payments, actions, plans, d.creditor, d.settings, rates, as_of, count
    )


def _reassess(
    before: read.WorkbookData,
    after: read.WorkbookData,
    rates: rates_mod.RateBook,
    as_of: date,
    previous: Assessment | None,
    progress: Progress | None,
) -> Assessment:
    """Return the assessment of ``after``: only the debtors whose data changed are assessed
    again when ``previous`` is the assessment of ``before`` on the same day (a debtor's claim
    and ladder depend on that debtor's records, the creditor, the settings and the rates)."""
    if previous is None or not _same_ground(before, after, as_of, previous):
        return _assess_all(after, rates, as_of, progress)
    old_records, new_records = _records(before), _records(after)
    changed = {n for n in after.debtors if old_records.get(n) != new_records.get(n)}
    fresh = _assess_all(after, rates, as_of, None, changed)
    claims = {**previous.claims, **fresh.claims}
    stages = {**previous.stages, **fresh.stages}
    order = sorted(claims)
    return Assessment(
        as_of=as_of,
        claims={n: claims[n] for n in order},
        stages={n: stages[n] for n in order},
        creditor=after.creditor,
    )


def _same_ground(
    before: read.WorkbookData, after: read.WorkbookData, as_of: date, previous: Assessment
) -> bool:
    """Return True when ``previous`` (of ``before``) still holds for the debtors whose records
    did not change: the same day, creditor, settings and rates."""
    return previous.as_of == as_of and (before.creditor, before.settings, before.rate_rows) == (
        after.creditor,
        after.settings,
        after.rate_rows,
    )


def _shared(
    loaded: LoadedBook, after: read.WorkbookData, as_of: date, previous: Assessment | None
) -> bool:
    """Return True when a write-back assesses all customers of a large file on two cores
    (:mod:`.shards`): every customer is assessed again (no earlier assessment that still
    holds) and the book is large; not where Excel or xlwings Lite hosts the run."""
    if not isinstance(loaded.source, FileBook):
        return False
    if previous is not None and _same_ground(loaded.data, after, as_of, previous):
        return False
    return shards.worth_sharing(after)


def _counter(
    d: read.WorkbookData, progress: Progress | None, scale: int = 1
) -> Callable[[int], None] | None:
    """Return the "Berekenen" progress of an assessment: called with the customers done here,
    shown as a share of all of ``d``'s (``scale`` 2 when this process assesses about half of
    them, :func:`shards.refresh`)."""
    if progress is None:
        return None
    n = len({i.debtor for i in d.invoices})
    return lambda k: progress("Berekenen", min(scale * k, n), n)


def _records(d: read.WorkbookData) -> dict[str, tuple]:
    """Return debtor number -> everything of that debtor an assessment reads."""
    records: dict[str, tuple] = {n: (debtor, [], [], [], []) for n, debtor in d.debtors.items()}
    for k, items in enumerate((d.invoices, d.payments, d.actions, d.plans), start=1):
        for item in items:
            if item.debtor not in records:
                records[item.debtor] = (None, [], [], [], [])
            records[item.debtor][k].append(item)
    return records


def write_back(
    loaded: LoadedBook,
    as_of: date,
    now: datetime | None,
    changes: Changes | None = None,
    *,
    refresh: bool = True,
    assessment: Assessment | None = None,
    progress: Progress | None = None,
    release_tables: bool = False,
) -> Written:
    """Record ``changes`` and bring the computed columns and the Overzicht up to date, in one
    save; ``loaded`` is then the book as written.

    Args:
      as_of: the peildatum of the computed columns.
      now: the current time (the backup's name; None for the book open in Excel).
      refresh: also write the computed columns, the tidied cells and the Overzicht; without,
        only ``changes`` are written (e-invoices; the concepts saved before e-mails leave).
      assessment: the assessment of ``loaded`` at ``as_of``, when the use case made one: only
        the debtors whose data the changes touch are assessed again.
      release_tables: the caller needs ``loaded.tables`` no more (``bijwerken``): the cells
        read are let go before the save, which then has the memory (issue 17); afterwards
        ``loaded.tables`` is empty. Such a run assesses a large file on two cores when all its
        customers are assessed again (:mod:`.shards`; ``Written.assessment`` is then None).
    Raises:
      Refused: the workbook would have a problem after the changes (nothing is written).
    """
    queued = [changes]  # taken from here by the write-back, and let go once placed (memory)
    del changes
    with _fewer_collections():
        return _write_back(
            loaded,
            as_of,
            now,
            queued,
            refresh=refresh,
            assessment=assessment,
            progress=progress,
            release_tables=release_tables,
        )


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Let Python's cycle collector run less often while the write-back makes its objects.

    The write-back makes millions of small objects (the rows of a 100,000-line statement, the
    computed cells, the XML of the rows) in a process that holds the whole book: the collector,
    started every 700 new objects, went over them again and again, a fifth of the write-back's
    time (issue 17). Started every 50,000, it still finds every cycle, at the same peak memory.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], _YOUNG_OBJECTS), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


#: New objects between two runs of the cycle collector during a write-back.
_YOUNG_OBJECTS = 50_000


def _write_back(
    loaded: LoadedBook,
    as_of: date,
    now: datetime | None,
    queued: list[Changes | None],
    *,
    refresh: bool,
    assessment: Assessment | None,
    progress: Progress | None,
    release_tables: bool,
) -> Written:
    """:func:`write_back`; ``queued`` holds the changes, which are let go once placed."""
    changes = queued.pop() or Changes()
    derived = getattr(loaded, "deadlines", {}) if refresh else {}  # (a test's stand-in)
    if derived:  # derived, as the computed Facturen columns are
        changes = Changes(rows=changes.rows, cells=list(changes.cells))
        for row, (day, _) in derived.items():
            changes.set_row(schema.ACTIES, row, "deadline", day)
        loaded.deadlines = {}
    placement = place(loaded.tables, changes)
    del changes
    # the sheets of many new rows are written meanwhile, on a second core (issue 17)
    placed = (
        loaded.source.patch_soon(placement)
        if refresh and placement and isinstance(loaded.source, FileBook)
        else {}
    )
    try:
        return _placed_back(
            loaded,
            as_of,
            now,
            placement,
            placed,
            refresh=refresh,
            assessment=assessment,
            progress=progress,
            release_tables=release_tables,
            notes=tuple(note for _, note in derived.values()),
        )
    finally:
        for sheet in placed.values():
            sheet.close()  # the save took what it wanted; a refused run leaves it


def _placed_back(
    loaded: LoadedBook,
    as_of: date,
    now: datetime | None,
    placement: Placement,
    placed: Mapping[str, SheetAside],
    *,
    refresh: bool,
    assessment: Assessment | None,
    progress: Progress | None,
    release_tables: bool,
    notes: tuple[str, ...] = (),
) -> Written:
    """:func:`_write_back` once the changes are placed (``placed``: the sheets being patched
    aside, :meth:`~..workbook.source.FileBook.patch_soon`; ``notes``: the derived Acties
    cells it writes, one Dutch sentence each)."""
    tables = placement.tables(loaded.tables) if placement else loaded.tables
    data = _converted(tables, as_of, loaded.data, placement) if placement else loaded.data
    if not refresh:
        backup = (
            loaded.source.save(Write(placement=placement), now, progress) if placement else None
        )
        loaded.tables, loaded.data = tables, data
        return Written(saved=bool(placement), backup=backup, placement=placement)
    fresh, warnings, ov, pending = _refreshed(
        loaded, tables, data, as_of, assessment, placement, progress, shared=release_tables
    )
    assessment = None  # the caller's may be freed before the save (peak memory)
    tidied = (
        notes + tuple(c.message for c in data.text_cells) + tuple(g.message for g in pending.growth)
    )
    if progress:
        progress("Schrijven", 0, 0)
    done = dict(assessment=fresh, overview=ov, warnings=warnings, placement=placement)
    if not placement and not pending.computed and not tidied and _same_overview(loaded, pending):
        return Written(saved=False, backup=None, **done)  # type: ignore[arg-type]
    if not placement and isinstance(loaded.source, FileBook):
        # the digests that let the next run skip an unchanged file (issue 17); a book open in
        # Excel has no file to skip, and xlwings Lite has no lxml to write them
        pending = replace(pending, **_digests(loaded, tables, data, as_of, pending, ov))
    elif placed:  # the Overzicht made on a second core while this one patches Facturen
        pending = replace(pending, placed_aside=placed, **_overview_aside(tables, pending))
    if release_tables:
        tables = loaded.tables = {}
        # the data keeps the converted Klanten and Facturen, with their tables, for a later
        # conversion; none follows here
        data = loaded.data = replace(data, converted=None, payments_read=None)
    backup = loaded.source.save(pending, now, progress)
    loaded.tables, loaded.data = tables, data
    changed = sum(len(cells) for cells in pending.computed.values()) + len(data.text_cells)
    return Written(saved=True, backup=backup, cells_changed=changed, tidied=tidied, **done)  # type: ignore[arg-type]


def _refreshed(
    loaded: LoadedBook,
    tables: dict[str, read.TableData],
    data: read.WorkbookData,
    as_of: date,
    assessment: Assessment | None,
    placement: Placement,
    progress: Progress | None,
    *,
    shared: bool,
) -> tuple[Assessment | None, tuple[str, ...], Overview, Write]:
    """Return the assessment of ``data``, the rate warnings, the Overzicht and the save.

    ``shared``: a large file whose customers are all assessed again may be assessed on two
    cores (:mod:`.shards`); each claim is then in one process only, and the assessment None.
    """
    if shared and _shared(loaded, data, as_of, assessment):
        references = payment_references(data)
        done = shards.refresh(
            tables, data, loaded.rates, as_of, references, _counter(data, progress, 2)
        )
        ov = replace(done.overview, checks=book_warnings(data))
        pending = _pending(tables, data, done.assessment, ov, placement, done.computed)
        return done.assessment, done.warnings, ov, pending
    fresh = _reassess(loaded.data, data, loaded.rates, as_of, assessment, progress)
    assessment = None  # the caller's may be freed before the save (peak memory)
    warnings = tuple(assessment_rate_warnings(fresh, data.settings, loaded.rates))
    ov = replace(overview(fresh, data.invoices), rate_warnings=warnings, checks=book_warnings(data))
    return fresh, warnings, ov, _pending(tables, data, fresh, ov, placement)


def book_warnings(data: read.WorkbookData) -> tuple[str, ...]:
    """Return what the book records that the user should check, one Dutch line each with its
    sheet, row and column (:attr:`~..workbook.read.WorkbookData.warnings`): every command that
    reads the book says them, and the Overzicht lists them."""
    return tuple(str(issue) for issue in data.warnings)


def _digests(
    loaded: LoadedBook,
    tables: dict[str, read.TableData],
    data: read.WorkbookData,
    as_of: date,
    pending: Write,
    ov: Overview,
) -> dict:
    """Return the custom properties and the seal; for a large book, the properties and the
    Overzicht's package are made on a second core meanwhile (:mod:`..workbook.prepared`)."""
    from .. import __version__
    from ..workbook import digest, prepared

    def made(of: Mapping[str, read.TableData]) -> dict[str, str]:
        return digest.properties_for(
            of, as_of, __version__, pending.computed, data.text_cells, ov, len(data.to_review)
        )

    def properties() -> dict[str, str]:
        return made(tables)

    seal = digest.salt(as_of, __version__)
    if prepared.worth_it(tables.get(schema.FACTUREN.name)):
        # when the copy dies: the tables read again from the file, unchanged under the lock
        # (those read are let go before the save, so ``properties`` cannot be kept)
        book = loaded.source
        again = prepared.prepare_save(
            pending, properties, properties_here=lambda: made(book.tables())
        )
        return {**again, "seal": seal}
    return {"properties": properties(), "seal": seal}


def _overview_aside(tables: dict[str, read.TableData], pending: Write) -> dict:
    """Return the Overzicht of ``pending`` made aside for a large book (:mod:`..workbook.
    prepared`), else nothing."""
    from ..workbook import prepared

    if not prepared.worth_it(tables.get(schema.FACTUREN.name)):
        return {}
    return prepared.prepare_save(pending, None)


def _converted(
    tables: dict[str, read.TableData],
    as_of: date,
    earlier: read.WorkbookData | None = None,
    placement: Placement | None = None,
) -> read.WorkbookData:
    """Return the tables converted (the unchanged Klanten and Facturen of ``earlier`` taken
    over, and of Betalingen the rows ``placement`` did not change); refuse changes that leave
    a problem in the workbook."""
    edits = placement.table_edits() if placement is not None else None
    data, issues = read.convert_tables(tables, as_of, earlier=earlier, edits=edits)
    if issues:
        raise Refused(issues, placement)
    return data


def _pending(
    tables: dict[str, read.TableData],
    data: read.WorkbookData,
    fresh: Assessment | None,
    ov: Overview,
    placement: Placement,
    computed: dict[int, Mapping[int, object]] | None = None,
) -> Write:
    """Return the one save of a refreshed book (``computed``: the changed Facturen cells when
    they were made already, else from ``fresh``)."""
    facturen = tables[schema.FACTUREN.name]
    if computed is None:
        assert fresh is not None
        values = write.assessment_values(fresh)
        references = payment_references(data)
        computed = write.computed_changes(facturen, data.invoice_rows, values, references)
    return Write(
        placement=placement,
        computed=computed,
        computed_formats=write.computed_formats(facturen),
        text_cells=data.text_cells,
        growth=read.table_growth(tables),
        overview=OverviewSheet(
            overview=ov, last_statement=data.last_statement, to_review=tuple(data.to_review)
        ),
        facturen_sheet=facturen.sheet,
    )


def _same_overview(loaded: LoadedBook, pending: Write) -> bool:
    """Return True when the Overzicht already shows what it would be rewritten to."""
    assert pending.overview is not None
    current = loaded.source.current_overview()
    if current is None:
        return False
    scratch = pending.overview.book()[schema.OVERZICHT.name]
    return write.sheet_key(current) == write.worksheet_key(scratch)


# --- the payment references ---------------------------------------------------------------------


def invoice_references(data: read.WorkbookData) -> dict[str, PaymentReference]:
    """Return invoice number -> payment reference (the stored Betalingskenmerk, else the one
    debiteuren makes), for every invoice that can be paid; letters and matching use the same.

    Two invoices that would share one are refused with both rows named.
    """
    try:
        return book_references(data.invoices, data.debtors, data.creditor)
    except DuplicateReference as exc:
        raise _shared_reference(data, exc) from None


def _shared_reference(data: read.WorkbookData, exc: DuplicateReference) -> DebiteurenError:
    rows = data.invoice_rows
    return DebiteurenError(
        f"Facturen, rij {rows.get(exc.first, '?')} en rij {rows.get(exc.second, '?')}, "
        f"Betalingskenmerk: de facturen {exc.first} en {exc.second} hebben hetzelfde "
        f"betalingskenmerk {exc.reference.display}; een betaling zou dan niet te koppelen "
        "zijn. Maak het kenmerk van een van beide leeg, dan maakt debiteuren een ander."
    )


def reference_texts(data: read.WorkbookData) -> dict[str, str]:
    """Return invoice number -> the payment reference as a letter prints it."""
    return {n: r.display for n, r in invoice_references(data).items()}


def payment_references(data: read.WorkbookData) -> dict[str, str]:
    """Return invoice number -> printed reference, for invoices whose Betalingskenmerk is empty
    (the write-back fills those cells)."""
    try:  # the typed references only checked, as invoice_references checks them (issue 17)
        written = references_to_write(data.invoices, data.debtors, data.creditor)
    except DuplicateReference as exc:
        raise _shared_reference(data, exc) from None
    return {n: r.display for n, r in written.items()}
