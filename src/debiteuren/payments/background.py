"""Reading large statement files in a second process while the workbook is read (issue 17).

Parsing 100,000 CAMT.053 entries takes seconds, and so do reading the workbook and assessing
every customer; neither needs the other, so on a machine with more than one core the files are
parsed in a second process meanwhile. The lines come back as plain values, a list per field
(pickling 100,000 dataclasses costs more than building them again). Where no process can be
started the files are read here, the same way: the result is the same either way.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import fields
from datetime import date
from operator import attrgetter
from pathlib import Path

from ..core.money import Decimal
from ..inputs import ZIP, other_kind
from ..workers import cpu_count, ignore_interrupt, interrupts_held, pool_context
from . import read_statement_file, read_statement_files
from .lines import (
    _LINE_SETTERS,
    _VALID_IBANS,
    StatementError,
    StatementFile,
    StatementLine,
    valid_iban,
)

#: Statement files smaller than this (together) are read here: a process costs more than it saves.
BACKGROUND_BYTES = 4 * 1024 * 1024

_LINE_FIELDS = tuple(f.name for f in fields(StatementLine))
_LINE_ORDER = (
    "source",
    "account_iban",
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "counterparty_name",
    "counterparty_iban",
    "remittance",
    "structured_reference",
    "bank_reference",
    "is_reversal",
    "booking_date_given",
    "booked_before",
    "review",
    "read_before_as",
)
assert _LINE_FIELDS == _LINE_ORDER  # the order _read_packed unpacks them in
_AMOUNT = _LINE_ORDER.index("amount")
#: The fields whose equal values are packed as one object (see :func:`_packed`).
_SHARED_FIELDS = frozenset(
    {
        "source",
        "account_iban",
        "booking_date",
        "value_date",
        "currency",
        "counterparty_name",
        "counterparty_iban",
        "remittance",
        "structured_reference",
        "booked_before",
    }
)


class StatementReading:
    """Statement files being read, in a second process when that pays off.

    Use it as a context manager (the process ends with it) and take :meth:`results` once.

    Args:
      files: the files, in order.
      background: allow a second process (False where the host cannot start one).
    """

    def __init__(self, files: Sequence[str | Path], *, background: bool = True) -> None:
        self.paths = [Path(f) for f in files]
        self.started = False
        self._pool = None
        self._futures: list = []
        if background and cpu_count() > 1 and _total_size(self.paths) >= BACKGROUND_BYTES:
            try:  # imported here: a host without processes (Pyodide) may lack multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(  # ended by close(), on Ctrl-C too
                    max_workers=1,
                    mp_context=pool_context(),
                    initializer=ignore_interrupt,
                    initargs=(os.getpid(),),
                )
                with interrupts_held():  # the process starts here
                    self._futures = [self._pool.submit(_read_packed, str(p)) for p in self.paths]
                self.started = True
            except (OSError, NotImplementedError, ImportError):  # no processes on this host
                self.close()
                self._futures = []
            except KeyboardInterrupt:  # held while the process started: it ends at once
                self.close(at_once=True)
                raise

    def results(self) -> list[tuple[Path, StatementFile | StatementError]]:
        """Return per file (its path, its StatementFile or the StatementError that refuses it);
        a zip of statements gives one pair per statement in it (its path each time), or the
        error that refuses it."""
        out: list[tuple[Path, StatementFile | StatementError]] = []
        for k, path in enumerate(self.paths):
            packed = None
            if k < len(self._futures):
                try:
                    packed = self._futures[k].result()
                except (BrokenExecutor, OSError):  # the process died: read it here
                    packed = None
                self._futures[k] = None  # with its result, let go once unpacked
            found = _unpack(packed) if packed is not None else _read_here(path)
            out += [(path, f) for f in found] if isinstance(found, list) else [(path, found)]
            del packed
        self.close()
        return out

    def close(self, *, at_once: bool = False) -> None:
        """End the second process: at once when files are still being read (the run stopped
        before it needed them, e.g. for a problem in the workbook) or ``at_once``, so the
        command does not wait for a parse nobody reads."""
        if self._pool is None:
            return
        workers = []
        if at_once or any(f is not None and not f.done() for f in self._futures):
            # the executor's own processes, ended first: shutting down waits for a parse
            workers = list((getattr(self._pool, "_processes", None) or {}).values())
        for worker in workers:
            worker.terminate()
        # the executor's own thread reaps the ended processes; waiting for it means none is
        # left running (or half reaped) when this returns
        self._pool.shutdown(wait=True, cancel_futures=True)
        for worker in workers:
            worker.join(5)
        self._pool = None

    def __enter__(self) -> StatementReading:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _total_size(paths: Sequence[Path]) -> int:
    try:
        return sum(p.stat().st_size for p in paths)
    except OSError:  # read here, where the error is reported as always
        return 0


def _read_here(path: Path) -> StatementFile | list[StatementFile] | StatementError:
    try:
        return read_statement_files(path) if _zipped(path) else read_statement_file(path)
    except StatementError as exc:
        return exc


def _zipped(path: str | Path) -> bool:
    """Return whether a file starts as a zip file does (read whole by
    :func:`.read_statement_files`, which says what it holds); False when it cannot be opened
    (:func:`.read_statement_file` then says why)."""
    try:
        with open(path, "rb") as handle:
            return other_kind(handle.read(4)) == ZIP
    except OSError:
        return False


def _read_packed(path: str) -> tuple:
    """Read one file (in the second process); return it as plain data."""
    from debiteuren.core.book import no_cycle_collection  # as parse_statement_file

    with no_cycle_collection():  # packing, too, makes lists of plain values and no cycles
        return _packed(path)


def _packed(path: str) -> tuple:
    try:
        if _zipped(path):  # the statements in a zip, each packed as a file
            return ("zip", [_packed_file(found) for found in read_statement_files(path)])
        return _packed_file(read_statement_file(path))
    except StatementError as exc:
        return ("fout", exc.source, exc.where, exc.problem)


def _packed_file(found: StatementFile) -> tuple:
    # One list per field (in _LINE_ORDER) rather than a tuple per line: each is taken from the
    # lines in one call in C, pickles without a tuple per line, and sets its field of every
    # line in one call in _unpack (issue 17). Equal texts and dates as one object: pickled
    # once, and one object here again (the account, the currency, the payer's name and IBAN
    # repeat; peak memory). Not amounts (Decimal("1.0") == Decimal("1.00")), nor the bank
    # reference, unique in a file, nor the flags.
    shared: dict[str | date, str | date] = {}
    one = shared.setdefault
    columns = []
    for name in _LINE_FIELDS:
        column = list(map(attrgetter(name), found.lines))
        if name in _SHARED_FIELDS:
            column = list(map(one, column, column))
        elif name == "amount" and set(map(type, column)) == {Decimal}:
            # as their texts, which Decimal reads back exactly (digits, exponent, sign): what
            # pickle does for each Decimal too, without its per-object reduce (a third of the cost)
            column = list(map(str, column))
        columns.append(column)
    # whether each payer's IBAN is valid, asked here (about 40 µs each, 13,000 accounts at
    # 100,000 lines) rather than in the process that makes the rows
    payers = set(columns[_LINE_FIELDS.index("counterparty_iban")])
    checked = {iban: valid_iban(iban) for iban in payers if iban}
    return ("ok", found.source, found.format, columns, found.statements, checked, found.notes)


def _unpack(packed: tuple) -> StatementFile | list[StatementFile] | StatementError:
    if packed[0] == "fout":
        _, source, where, problem = packed
        return StatementError(source, where, problem)
    if packed[0] == "zip":
        files = packed[1]
        return [_unpack(files[k]) for k in range(len(files))]  # type: ignore[misc]
    _, source, kind, columns, statements, checked, notes = packed
    _VALID_IBANS.update(checked)  # the same answers as valid_iban's here
    # every line made empty first, then each field of all of them set in one call in C (twice
    # as fast as a line at a time with _new_line); each column let go once set (peak memory)
    new = object.__new__
    made = [new(StatementLine) for _ in range(len(columns[0]))]
    for k, put in enumerate(_LINE_SETTERS):
        column = columns[k]
        if k == _AMOUNT and column and type(column[0]) is str:  # the amounts as texts
            column = map(Decimal, column)
        deque(map(put, made, column), maxlen=0)
        columns[k] = None
    return StatementFile(source=source, format=kind, lines=made, statements=statements, notes=notes)
