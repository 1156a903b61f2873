"""``demo``: the example workbook, a bank statement read in, the workbook updated, the letters.

The demo runs the use cases as a user would, on the example data of :mod:`debiteuren.demo`, with
the demo's own fixed peildatum and clock, so it gives the same files every time. It holds the
workbook's lock throughout: a command on the demo workbook meanwhile is refused, and the demo
while one runs; an earlier demo workbook (with what the user tried on it) is copied into the
backup folder first and then replaced (not removed first), not while Excel has it open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import demo as example
from ..workbook.files import backup, check_writable, workbook_lock
from .letters import LettersResult, letters
from .payments import ImportResult, import_statements
from .pipeline import invoice_references, read_book
from .update import UpdateResult, demo_workbook, update

__all__ = ["DemoResult", "run_demo"]

#: The demo's clock: the statement is read at 8:55, the book updated at 9:00, letters at 9:05.
_READ = datetime(2026, 10, 15, 8, 55)
_UPDATED = datetime(2026, 10, 15, 9, 0)
_LETTERS = datetime(2026, 10, 15, 9, 5)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoResult:
    """What the demo made: the workbook, what each step did, the files left to try."""

    path: Path
    statement: ImportResult
    update: UpdateResult
    letters: LettersResult
    next_statement: Path
    einvoices: tuple[Path, ...]
    kept: Path | None = None  # the copy of the demo workbook that was there before


def run_demo(folder: Path, now: datetime, *, pdf: bool = True) -> DemoResult:
    """Make the demo in ``folder`` (``voorbeeld-debiteuren.xlsx`` and its files); a demo
    workbook already there is first copied into the backup folder, named with ``now``."""
    day = example.DEMO_AS_OF
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "voorbeeld-debiteuren.xlsx"
    kept = None
    with workbook_lock(path):
        if path.exists():
            check_writable(path)
            kept = backup(path, now)
        demo_workbook(path)
        data = read_book(path, day, for_writing=False).data
        references = {n: r.value for n, r in invoice_references(data).items()}
        statements = folder / example.STATEMENT_FOLDER
        first = example.write_statement(statements, 0, references)
        read_in = import_statements(path, [first], as_of=day, now=_READ)
        updated = update(path, day, now=_UPDATED)
        # As 'brieven --onbevestigde-rente': the demo's date lies in 2026, whose Dutch rates
        # the Rentes sheet does not mark officieel yet, and the demo must show its letters.
        made = letters(path, day, now=_LETTERS, pdf=pdf, confirm_rates=True)
        second = example.write_statement(statements, 1, references)
        einvoices = example.write_einvoices(folder / example.EINVOICE_FOLDER)
    return DemoResult(
        path=path,
        statement=read_in,
        update=updated,
        letters=made,
        next_statement=second,
        einvoices=tuple(einvoices),
        kept=kept,
    )
