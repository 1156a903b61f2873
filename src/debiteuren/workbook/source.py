"""Where a workbook is read from and written to: a file, or the book open in Excel.

Every use case reads the book once, computes, and writes once, through one interface:

- :class:`BookSource` gives the tables (:class:`~.read.TableData`), as a file reader or the
  live Excel book produces them, so :func:`~.read.convert_tables` converts them with the same
  rules and the same located problems;
- :class:`BookSink` writes a :class:`Write`: the use case's placed changes
  (:class:`~.changes.Placement`), the computed Facturen cells, the dates and numbers typed as
  text, the tables that grow over rows typed under them, and the Overzicht.

:class:`FileBook` is the file: read with python-calamine (openpyxl without it), written by
patching the package (:mod:`.xlsx_patch`: only the changed rows and the Overzicht are
rewritten) or, for a package the patcher does not expect, by a full openpyxl load and save.
Either way the save goes through :func:`~.files.save_workbook`: refused when another program
changed the file since the command began, a backup first, then an atomic replace. The lock
(:func:`~.files.workbook_lock`) is taken by the use case around the whole run.
:class:`~.live.LiveBook` is the book open in Excel; nothing is saved to disk there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, runtime_checkable

from ..core.book import Overview
from . import read, schema, write
from .cells import set_value
from .changes import Placement
from .files import check_writable, save_workbook

if TYPE_CHECKING:
    from .aside import Aside
    from .xlsx_patch import Patch

__all__ = ["BookSink", "BookSource", "FileBook", "Progress", "Write", "as_source"]

#: Called with (phase, done, total) while long work runs.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class OverviewSheet:
    """The Overzicht to write: the figures, the last statement's day, the payments to review."""

    overview: Overview
    last_statement: date | None
    to_review: Sequence = ()

    def book(self):
        """Return a new openpyxl workbook holding only this Overzicht."""
        return write.overview_book(self.overview, self.last_statement, self.to_review)

    def package(self, date1904: bool = False) -> tuple[bytes, bytes]:
        """Return (a package with this Overzicht, the sheet's XML with its style numbers
        marked): see :func:`~.write.overview_package` (``date1904``: for a workbook whose
        dates count from 1904)."""
        from .xlsx_patch import STYLE_MARK

        return write.overview_package(
            self.overview, self.last_statement, self.to_review, mark=STYLE_MARK, date1904=date1904
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Write:
    """Everything one save writes.

    Attributes:
      placement: the use case's rows and cells, placed.
      computed: the computed Facturen cells that change: Excel row -> Excel column -> value.
      computed_formats: Excel column -> the number format of a computed column.
      text_cells: dates and numbers typed as text, written as real ones.
      growth: tables that take in the rows typed under them.
      overview: the Overzicht to regenerate; None leaves it as it is.
      facturen_sheet: the real name of the sheet that holds the Facturen table.
      properties: custom document properties to set (the digests of :mod:`.digest`).
      seal: when set, the file digest (:data:`.digest.FILE_PROPERTY`) of the written package
        with this salt is stored too.
      placed_aside: the sheets of the placement's large edits, patched in forked copies since
        the placement was made (:meth:`FileBook.patch_soon`).
    """

    placement: Placement = field(default_factory=lambda: Placement({}))
    computed: Mapping[int, Mapping[int, object]] = field(default_factory=dict)
    computed_formats: Mapping[int, str] = field(default_factory=dict)
    text_cells: Sequence[read.TextCell] = ()
    growth: Sequence[read.TableGrowth] = ()
    overview: OverviewSheet | None = None
    facturen_sheet: str = schema.FACTUREN.name
    properties: Mapping[str, str] = field(default_factory=dict)
    seal: str | None = None
    placed_aside: Mapping[str, SheetAside] = field(default_factory=dict)


class SheetAside:
    """A sheet patched in a forked copy (:mod:`.aside`) that writes its new part to a file of
    its own while this process goes on (issue 17): the placed rows of a large statement while
    the book is converted and assessed (:meth:`FileBook.patch_soon`), the computed Facturen
    cells while the save writes those rows (:func:`_computed_aside`).

    The copy patches the sheet as it was read. The save takes its part (:meth:`take`) when
    nothing else in it touches the sheet; otherwise, or when the copy failed, could not be
    made or needed a cell style the package lacks, the save patches the sheet itself, as it
    would have. Only time depends on it.
    """

    def __init__(self, made: Aside[int | None], into: IO[bytes]) -> None:
        self._made, self._into = made, into

    @classmethod
    def start(cls, work: Callable[[IO[bytes]], int | None]) -> SheetAside:
        """Start ``work(file)`` in a forked copy (:func:`.aside.into_file`): it patches the
        sheet, writes its part to the file and returns the part's size, or None when a cell
        needs a style the package lacks (only the process that writes the package may add
        one)."""
        from .aside import into_file

        return cls(*into_file(work))

    def take(self, patch: Patch, title: str) -> bool:
        """Put the copy's part as sheet ``title`` of ``patch``; return False when there is none
        (the caller then patches the sheet itself)."""
        size = self._made.result()
        if size is None:
            return False
        patch.put_sheet(title, self._into, size)
        return True

    def close(self, patch: Patch | None = None) -> None:
        """End the copy, and let go of its file unless ``patch`` took it."""
        self._made.close()
        if patch is None or not patch.owns(self._into):
            self._into.close()


@runtime_checkable
class BookSource(Protocol):
    """A workbook to read: its file's path and its tables."""

    @property
    def path(self) -> Path:
        """Return the workbook's file (for a book open in Excel: its full name)."""

    def tables(self) -> dict[str, read.TableData]:
        """Read every declared sheet's table; declared sheet name -> TableData."""

    def check_writable(self) -> None:
        """Raise a Dutch error when the book may not be written now."""


@runtime_checkable
class BookSink(Protocol):
    """A workbook to write."""

    def current_overview(self) -> list[list[object]] | None:
        """Return the Overzicht's values now, to skip a save that would change nothing; None
        when unknown (the Overzicht is then always written)."""

    def save(self, changes: Write, now: datetime | None, progress: Progress | None) -> Path | None:
        """Write ``changes``; return the backup made of the previous version, if any."""


class FileBook:
    """A workbook file (.xlsx or .xlsm).

    Args:
      path: the file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = Path(path)

    def __repr__(self) -> str:
        return f"FileBook({str(self._path)!r})"

    @property
    def path(self) -> Path:
        return self._path

    @property
    def locked_path(self) -> Path:
        """Return the file a use case locks while it runs (:func:`~.files.locks_workbook`)."""
        return self._path

    def check_writable(self) -> None:
        """Raise when the file may not be replaced now (missing, open in Excel, read-only)."""
        check_writable(self._path)

    def tables(self) -> dict[str, read.TableData]:
        return read.load_tables(self._path, engine=read.fastest_engine())

    def tables_in_turn(self) -> Mapping[str, read.TableData]:
        """:meth:`tables`, with the largest sheet still being read (:class:`~.read.InTurn`).

        While a thread reads that sheet, this process, which waits for it soon after, loads
        what saving the file needs (lxml and the package patcher: some 20 ms that a save spent
        on its critical path; issue 17)."""
        tables = read.load_tables(self._path, engine=read.fastest_engine(), in_turn=True)
        if isinstance(tables, read.InTurn):
            from . import digest, xlsx_patch  # noqa: F401
        return tables

    def current_overview(self) -> list[list[object]] | None:
        return read.sheet_values(self._path, schema.OVERZICHT.name)

    def patch_soon(self, placement: Placement) -> dict[str, SheetAside]:
        """Start patching, each in a forked copy, the sheets to which ``placement`` adds or
        changes at least :data:`PLACED_ASIDE_ROWS` rows (a large statement's rows on
        Betalingen; issue 17): the copy writes them while this process converts and assesses
        the book, when the second core would wait. Return sheet title -> the copy, for
        :class:`Write`'s ``placed_aside`` (empty where a copy cannot be made).

        A sheet with two edits is left to the save.
        """
        from .aside import can_fork
        from .template import list_upgrades

        if not can_fork():
            return {}
        sheets = [e.table.sheet for e in placement.edits.values()]
        started: dict[str, SheetAside] = {}
        path = self._path
        for edit in placement.edits.values():
            cells = {**edit.cells, **edit.rows}
            title = edit.table.sheet
            if len(cells) < PLACED_ASIDE_ROWS or sheets.count(title) > 1:
                continue
            upgrades = list_upgrades(edit.table.table)

            def work(into, title=title, cells=cells, formats=edit.formats, upgrades=upgrades):
                from .xlsx_patch import Patch

                with Patch(path) as patch:
                    return patch.set_cells_into(
                        title, cells, formats, into, create=True, tail=upgrades
                    )

            try:
                started[title] = SheetAside.start(work)
            except BaseException:
                for placed in started.values():
                    placed.close()
                raise
        return started

    def save(self, changes: Write, now: datetime | None, progress: Progress | None) -> Path:
        """Patch the package (or, when it cannot be patched, load and save it with openpyxl)."""
        if now is None:
            raise ValueError("a file is saved with the time for its backup's name")
        from . import xlsx_patch  # the package patcher (lxml): desktop only
        from .digest import FILE_PROPERTY

        # Opslaan in 100 parts: 20 the patch (with the Overzicht), 80 writing the package.
        report = (lambda done: progress("Opslaan", done, 100)) if progress else (lambda done: None)
        report(0)
        try:
            with xlsx_patch.Patch(self._path) as patch:
                _patch(patch, changes)
                if changes.properties:
                    patch.set_custom_properties(changes.properties)
                    if changes.seal is not None:
                        patch.seal(FILE_PROPERTY, changes.seal)
                patch.prepare()
                report(20)
                backup = save_workbook(
                    self._path,
                    lambda tmp: patch.write(
                        tmp, lambda done, total: report(20 + 79 * done // total)
                    ),
                    now,
                )
                report(100)
                return backup
        except zipfile.BadZipFile as exc:  # a part that does not unpack as its entry says
            raise read.DamagedPart(self._path, getattr(exc, "part", "")) from exc
        except xlsx_patch.UnexpectedStructure as exc:
            return self._save_with_openpyxl(changes, now, exc)

    def _save_with_openpyxl(self, changes: Write, now: datetime, cause: Exception) -> Path:
        """Load, change and save the workbook with openpyxl (a package the patcher does not
        expect: ``cause``); refused (:class:`~.kept.WouldLose`) before the workbook is touched
        when that save would drop what it holds (images, threaded comments, ...)."""
        from .kept import refuse_losses
        from .xlsx_patch import SharedFormula

        book = read.open_book(self._path)
        _with_openpyxl(book, changes)
        with tempfile.TemporaryDirectory(prefix="debiteuren-") as folder:
            saved = Path(folder) / self._path.name
            book.save(saved)
            refuse_losses(self._path, saved, formula=isinstance(cause, SharedFormula))
            return save_workbook(self._path, lambda tmp: shutil.copyfile(saved, tmp), now)


def as_source(book: str | os.PathLike[str] | BookSource) -> BookSource:
    """Return ``book`` as a source: a path becomes a :class:`FileBook`."""
    if isinstance(book, str | os.PathLike):
        return FileBook(book)
    return book


def _patch(patch: Patch, changes: Write) -> None:
    """Apply ``changes`` to a package; UnexpectedStructure before anything is written."""
    aside = _computed_aside(patch, changes)
    try:
        _patch_all(patch, changes, aside)
    finally:
        for sheet in (aside, *changes.placed_aside.values()):
            if sheet is not None:
                sheet.close(patch)


#: Changed Facturen rows from which a save that also writes other rows patches Facturen on a
#: second core (:func:`_computed_aside`).
ASIDE_ROWS = 5_000

#: Placed rows from which a sheet is patched on a second core while the book is converted and
#: assessed (:meth:`FileBook.patch_soon`).
PLACED_ASIDE_ROWS = 5_000


def _computed_aside(patch: Patch, changes: Write) -> SheetAside | None:
    """Start patching the computed Facturen cells in a forked copy (:class:`SheetAside`) when
    this save also writes many other rows meanwhile (``betalingen``: the rows of a large
    statement on Betalingen, unless they were written aside already; issue 17); else None.

    Only when nothing else in the save touches the Facturen sheet: the copy patches the sheet
    as read.
    """
    from .aside import can_fork

    title = changes.facturen_sheet
    rows = sum(
        len(e.rows) + len(e.cells)
        for e in changes.placement.edits.values()
        if e.table.sheet not in changes.placed_aside  # written meanwhile already
    )
    if (
        title is None
        or len(changes.computed) < ASIDE_ROWS
        or rows < ASIDE_ROWS
        or not can_fork()
        or title in _retyped(changes)
        or any(e.table.sheet == title for e in changes.placement.edits.values())
    ):
        return None
    patch.styles  # noqa: B018  (read once here, so that the copy has it as this process has)
    computed, formats = changes.computed, changes.computed_formats
    return SheetAside.start(lambda into: patch.set_cells_into(title, computed, formats, into))  # type: ignore[arg-type]


def _retyped(changes: Write) -> set[str]:
    """Return the sheets on which the save writes typed-as-text cells or grows a table: a copy
    that patched such a sheet as read has not got them."""
    return {c.sheet for c in changes.text_cells} | {g.sheet for g in changes.growth}


def _patch_all(patch: Patch, changes: Write, aside: SheetAside | None) -> None:
    """:func:`_patch`, with the Facturen sheet patched by ``aside`` when given."""
    from .template import list_upgrades

    for title, (cells, formats) in _typed_cells(changes.text_cells).items():
        patch.set_cells(title, cells, formats, retype=True)  # type: ignore[arg-type]
    for grown in changes.growth:
        patch.set_table_ref(grown.table, grown.new_ref)
    retyped = _retyped(changes)
    for edit in changes.placement.edits.values():
        cells = {**edit.cells, **edit.rows}
        placed = changes.placed_aside.get(edit.table.sheet)
        if (
            placed is None
            or edit.table.sheet in retyped
            or not placed.take(patch, edit.table.sheet)
        ):
            upgrades = list_upgrades(edit.table.table)  # a choice list of an older workbook
            patch.set_cells(edit.table.sheet, cells, edit.formats, create=True, tail=upgrades)
        if len(cells) >= ASIDE_ROWS:  # deflated meanwhile (the statement's rows on Betalingen)
            patch.deflate_soon(edit.table.sheet)
        if edit.ref is not None:
            patch.set_table_ref(edit.table.table, edit.ref)
    if changes.computed:
        if aside is None or not aside.take(patch, changes.facturen_sheet):  # type: ignore[arg-type]
            # in two halves at once where nothing else is patched meanwhile (issue 17)
            patch.in_halves = aside is None and bool(changes.placed_aside)
            patch.set_cells(changes.facturen_sheet, changes.computed, changes.computed_formats)  # type: ignore[arg-type]
            patch.in_halves = False
        # deflated while the Overzicht is made (or waited for: :mod:`.prepared`)
        patch.deflate_soon(changes.facturen_sheet)  # type: ignore[arg-type]
    if changes.overview is not None:
        package, xml = changes.overview.package(patch.date1904)
        if not patch.has_sheet(schema.OVERZICHT.name):  # deleted or renamed: made anew
            patch.add_sheet(schema.OVERZICHT.name)
        patch.replace_sheet(schema.OVERZICHT.name, package, xml=xml)


def _with_openpyxl(book, changes: Write) -> None:
    """Apply ``changes`` to a workbook loaded fully with openpyxl."""
    from .template import upgrade_lists

    write.write_typed_cells(book, changes.text_cells)
    write.grow_tables(book, changes.growth)
    for edit in changes.placement.edits.values():
        ws = book[edit.table.sheet]
        upgrade_lists(ws, edit.table.table)  # a choice list of an older workbook
        for row, values in (*edit.cells.items(), *edit.rows.items()):
            for col, value in values.items():
                cell = ws.cell(row=row, column=col)
                set_value(cell, value)  # a text stays a text
                if col in edit.formats and value is not None:
                    cell.number_format = edit.formats[col]
        if edit.ref is not None:
            write.set_table_ref(book, edit.table.table, edit.ref)
    if changes.computed:
        ws = book[changes.facturen_sheet]
        for row, values in changes.computed.items():
            for col, value in values.items():
                cell = ws.cell(row=row, column=col)
                general = cell.number_format == "General"  # openpyxl gives a date its own
                set_value(cell, value)
                if general and col in changes.computed_formats:
                    cell.number_format = changes.computed_formats[col]
    if changes.overview is not None:
        o = changes.overview
        write.write_overview(book, o.overview, o.last_statement, o.to_review)


def _typed_cells(
    text_cells: Sequence[read.TextCell],
) -> dict[str, tuple[dict[int, dict[int, object]], dict[int, str]]]:
    """Group text cells per sheet as (row -> column -> value, column -> number format)."""
    out: dict[str, tuple[dict[int, dict[int, object]], dict[int, str]]] = {}
    for c in text_cells:
        cells, formats = out.setdefault(c.sheet, ({}, {}))
        cells.setdefault(c.row, {})[c.column] = c.value
        formats[c.column] = c.number_format
    return out
