"""``betalingen``: import bank statements into Betalingen and match every credit to invoices.

A reminder to a customer who already paid is the worst thing this program can do, so:

- every credit on a statement becomes a row in Betalingen with the match and its reason;
- a payment that matches nothing, or more than one way, is "Te controleren" (not counted) and
  never guessed;
- a storno marks the payment it reverses "Teruggeboekt";
- importing the same statement twice adds nothing (the bank's reference is kept);
- a broken statement imports nothing at all: a file is read whole or refused whole;
- letters asking for payment wait for a recent statement (:func:`statement_gate`).

The pipeline: read the book once, read and check every file, assess the book, match, and write
the new rows with the computed columns in one save.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from itertools import islice, pairwise
from pathlib import Path

import holidays

from ..core.book import Assessment, no_cycle_collection
from ..core.claim import LETTER_STEPS, DebtorClaim, OpenAmount, owed_on
from ..core.model import Debtor, Payment, Step
from ..core.money import ZERO, Decimal
from ..core.references import national_kind
from ..core.rules.lifecycle import counts_from
from ..formatting import euro
from ..payments import (
    StatementError,
    StatementFile,
    StatementLine,
    StatementSummary,
    pages_follow_on,
)
from ..payments.background import StatementReading
from ..payments.lines import _compact_iban, _short_reference, valid_iban
from ..payments.matching import (
    ClaimedAmount,
    InvoiceIndex,
    Match,
    MatchStatus,
    OpenInvoice,
    forget_texts,
    iter_matches,
    match_payments,
)
from ..untrusted import cell_text, loose_key
from ..workbook import read, schema
from ..workbook.aside import Ahead, can_fork
from ..workbook.files import locks_workbook
from ..workbook.schema import PaymentRecord, Row
from ..workbook.source import BookSource, FileBook, Progress
from . import shards
from .changes import Changes
from .gate import StaleStatement, held_back_for_review, statement_gate
from .pipeline import LoadedBook, assess, invoice_references, read_book, write_back

__all__ = [
    "FileReport",
    "ImportResult",
    "StaleStatement",
    "held_back_for_review",
    "import_statements",
    "statement_gate",
]

SOURCE_WORDS = {"camt053": "CAMT.053", "coda": "CODA", "mt940": "MT940"}


@dataclass(slots=True)
class FileReport:
    """What one statement file brought in.

    Attributes:
      matched, review, doubles, reversals, taken_back: the lines whose rows are Gematcht,
        Te controleren (also a storno whose payment was not found), Dubbel or mogelijk dubbel,
        Storno, and Teruggeboekt by a storno of this import.
      statements: the statements in the file (checked: balances and totals agree).
      warnings: Dutch sentences, e.g. a statement of an account that is not ours.
      member: the statement's name in the zip file ``path``, or "" for a file of its own.
    """

    path: Path
    lines: int = 0
    matched: int = 0
    review: int = 0
    duplicates: int = 0
    doubles: int = 0
    reversals: int = 0
    taken_back: int = 0
    error: str = ""
    statements: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    member: str = ""

    @property
    def name(self) -> str:
        """Return the file's name as the user sees it (``dagen.zip/14-10.xml`` in a zip)."""
        return f"{self.path.name}/{self.member}" if self.member else self.path.name


@dataclass(slots=True)
class ImportResult:
    """What ``betalingen`` did.

    Attributes:
      changes: what was queued for the workbook; once written, without the Betalingen rows
        (let go when placed: ``rows_added`` counts them).
      to_review: the new Betalingen rows that are "Te controleren".
      credits: the customers who paid more than they owe after the import, each with that
        credit (tegoed: :attr:`~..core.book.Overview.credits`); empty when nothing was written.
      checks: what the book records that the user should check, each naming sheet, row and
        column (:attr:`~..core.book.Overview.checks`); empty when nothing was written.
    """

    files: list[FileReport] = field(default_factory=list)
    rows_added: int = 0
    saved: bool = False
    changes: Changes = field(default_factory=Changes)
    statement_day: date | None = None
    to_review: list[PaymentRecord] = field(default_factory=list)
    credits: tuple[tuple[Debtor, Decimal], ...] = ()
    checks: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """Return True when a file could not be read."""
        return any(f.error for f in self.files)


@locks_workbook
@no_cycle_collection()  # the whole run, as bijwerken's: full collections kept rescanning the
# book and the statement's rows while they were read, converted, assessed and written (2.3 s of
# 16 at 100,000 lines, issue 17); reference counting frees everything, at the same peak memory
def import_statements(
    book: str | Path | BookSource,
    files: Sequence[str | Path],
    *,
    as_of: date,
    now: datetime | None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import bank statements into Betalingen and match every credit to invoices.

    Every file is read whole and checked (balances, totals) before anything is written; when a
    file cannot be read, nothing at all is imported and the workbook stays as it was. The date
    of the newest statement is kept on Instellingen ("Laatste bankafschrift"), also for a
    statement without credits, for the "recent statement" gate.

    Args:
      book: the workbook file, or the book open in Excel.
      files: CAMT.053, CODA or MT940 files (the format is recognised by content).
      as_of: the peildatum for the open amounts the matching compares with.
      now: the current time (backup name; None for the book open in Excel).
      progress: called with (phase, done, total) while lines are matched and the workbook is
        computed and written (the command line's progress bar).
    """
    result = ImportResult()
    queued = _queue_rows(book, files, as_of, result, progress)
    if queued is not None and result.changes:
        loaded, matcher, touched = queued
        written = write_back(
            loaded,
            as_of,
            now,
            _placed_rows_let_go(result),
            assessment=_worth_keeping(touched, matcher.release(), loaded),
            progress=progress,
            release_tables=True,  # nothing reads them after the save
        )
        result.saved = written.saved
        if written.overview is not None:
            result.credits = written.overview.credits
            result.checks = written.overview.checks
    return result


def _queue_rows(
    book: str | Path | BookSource,
    files: Sequence[str | Path],
    as_of: date,
    result: ImportResult,
    progress: Progress | None,
) -> tuple[LoadedBook, _Matcher, set[str]] | None:
    """Read the book and the files, match every line and queue the rows in ``result.changes``;
    return the book, the matcher and the customers the rows touch, or None when nothing may
    be written (a file could not be read, or has credits after ``as_of``).

    The cyclic garbage collector is paused while the matcher is made and matches
    (:func:`_matching`).
    """
    loaded, matcher, parsed = _read_all(book, files, as_of, result)
    if result.failed or not parsed:
        return None  # a file is read whole or refused whole: nothing is written
    most = _touches_most(parsed, loaded)
    if matcher is None:
        with _matching():
            share = isinstance(loaded.source, FileBook)  # Excel starts no processes
            matcher = _new_matcher(loaded, as_of, most=most, share=share)
    if most:  # the assessment goes before the rows are made
        matcher.assessment = None  # type: ignore[assignment]
    for report, statement_file in parsed:
        report.error = future_credits(statement_file.lines, matcher.imported, as_of)
    if result.failed:
        return None  # refused before anything is written
    days = [f.day for _, f in parsed if f.day is not None]
    for report, statement_file in parsed:
        if statement_file.day is not None and statement_file.day > as_of:
            report.warnings.append(_later_than_as_of(statement_file.day, as_of))
    # a statement dated after the peildatum (a damaged date: 31-12-9999) kept as the newest
    # switched the recent-statement gate of brieven and overdracht off for good
    newest = min(max(days), as_of) if days else None
    last = loaded.data.last_statement
    if newest is not None and (last is None or newest > last):
        _keep_statement_date(loaded, newest, result.changes)
        result.statement_day = newest
    with _matching():
        for n, (report, statement_file) in enumerate(parsed, start=1):
            matcher.add(report, statement_file)
            if progress:
                progress("Koppelen", n, len(parsed))
        del report, statement_file
        parsed.clear()  # the statement lines are rows now (peak memory)
        return loaded, matcher, _record(matcher, result)


def _matching() -> AbstractContextManager[None]:
    """Pause the cyclic garbage collector while the open invoices are indexed and the lines
    matched: that makes hundreds of thousands of small records and no reference cycles, and
    each full collection scanned the whole book again (about 3 of the 8 s of matching 100,000
    lines; issue 17). Reference counting frees everything as usual."""
    return no_cycle_collection()


def _placed_rows_let_go(result: ImportResult) -> Changes:
    """Return ``result.changes`` for the write-back, leaving all but the Betalingen rows on
    ``result``.

    The write-back lets go of the queued rows once it has placed them: 100,000 rows of a large
    statement are then not held through the rest of the run as well (peak memory, issue 17).
    ``result.rows_added`` still counts them.
    """
    changes = result.changes
    kept = [r for r in changes.rows if r.sheet is not schema.BETALINGEN]  # "Laatste bankafschrift"
    result.changes = Changes(rows=kept, cells=list(changes.cells))
    return changes


def _record(matcher: _Matcher, result: ImportResult) -> set[str]:
    """Put the matched rows and the reversed payments in ``result.changes``; return the
    customers the new rows touch. The matcher's records are used up (each let go once it is
    a row)."""
    result.to_review = [r for r in matcher.records if r.status == "Te controleren"]
    for reference, text in matcher.reversed_rows.values():
        result.changes.set(schema.BETALINGEN, "bank_reference", reference, "status", "Teruggeboekt")
        result.changes.set(schema.BETALINGEN, "bank_reference", reference, "reason", text)
    touched = matcher.touched
    records, made, changed = matcher.records, matcher.rows, matcher.rows_changed
    result.rows_added = len(records)
    for k, record in enumerate(records):
        early = k < len(made) and k not in changed
        result.changes.add(made[k] if early else schema.payment_row(record))
        records[k] = None  # type: ignore[call-overload]  # let go (peak memory)
    records.clear()
    made.clear()
    return touched


def _touches_most(parsed: list[tuple[FileReport, StatementFile]], loaded: LoadedBook) -> bool:
    """Return True when the statements have more lines than half the customers: then the
    rows will most likely touch so many that the assessment is not worth keeping
    (:func:`_worth_keeping`), and it is let go before the rows are made rather than after
    (peak memory, issue 17). Only memory and time depend on it, never a result."""
    return sum(len(f.lines) for _, f in parsed) * 2 > len(loaded.data.debtors)


def _worth_keeping(
    touched: set[str], assessment: Assessment | None, loaded: LoadedBook
) -> Assessment | None:
    """Return the assessment for the write-back to reuse for the customers the import leaves
    alone, or None when it touches most customers: then assessing all of them again costs
    little more, and the old assessment is let go before the new one is made (peak memory)."""
    return assessment if len(touched) * 2 <= len(loaded.data.debtors) else None


def _read_all(
    book: str | Path | BookSource, files: Sequence[str | Path], as_of: date, result: ImportResult
) -> tuple[LoadedBook, _Matcher | None, list[tuple[FileReport, StatementFile]]]:
    """Read the workbook and the statement files; return the book, the matcher when it was
    made while a second process parsed the statements (else None), and the files read.

    A large statement is parsed in a second process meanwhile, while this one reads and
    assesses the workbook and indexes its open invoices; not where Excel or xlwings Lite hosts
    the run, which starts no processes. When the statements are so large that they will most
    likely touch most customers of a large book (:func:`_likely_most`), the assessment is not
    kept for the write-back: the customers are then assessed for the open amounts alone, each
    half of them on another core (:func:`.shards.picked_claims`).
    """
    background = not isinstance(book, BookSource) or isinstance(book, FileBook)
    with StatementReading(files, background=background) as reading:
        loaded = read_book(book, as_of)
        matcher = None
        if reading.started:
            with _matching():
                most = _likely_most(reading.paths, loaded)
                matcher = _new_matcher(loaded, as_of, most=most, share=True).indexed()
        parsed = _read_files(reading.results(), loaded.data.own_ibans, result)
    return loaded, matcher, parsed


def _new_matcher(loaded: LoadedBook, as_of: date, *, most: bool, share: bool) -> _Matcher:
    """Return the matcher of the book's open invoices at ``as_of``.

    When the statements will most likely touch most customers (``most``), or the book is large
    enough to be assessed on two cores (``share`` and :func:`.shards.worth_sharing`), the
    matcher takes only the open amounts and no assessment is kept for the write-back (which
    then assesses the book on two cores): as the Facturen columns hold them when the last
    ``bijwerken`` of this peildatum left the tables as they are (:func:`_stored_amounts`), else
    worked out for them alone, each half of the customers on another core where the book is
    large (:func:`.shards.picked_claims`). Else everyone is assessed here once, and that is
    kept for the customers the lines leave alone. A daily statement of a few lines on a large
    book was matched after assessing every customer on one core (2.8 of 8.7 s at 50,000
    invoices, issue 17). Only time depends on the way, never a result.
    """
    sharing = share and shards.worth_sharing(loaded.data)
    if most or sharing:
        amounts = _stored_amounts(loaded, as_of)
        if amounts is None and sharing:
            amounts = shards.picked_claims(loaded.data, loaded.rates, as_of, _amounts)
        if amounts is not None:
            return _Matcher(loaded, None, amounts)
    return _Matcher(loaded, assess(loaded, as_of))


def _stored_amounts(loaded: LoadedBook, as_of: date) -> list[tuple] | None:
    """Return the :func:`_amounts` of every customer as the Facturen columns hold them, when
    the digest the last ``bijwerken`` stored shows that the tables are still as it left them
    at this peildatum (:func:`..workbook.digest.tables_current`); else None.

    Right after the daily update, a large statement is then matched without assessing every
    customer first (issue 17: a second at 50,000 invoices). Not for the book open in Excel,
    whose tables are not read as the digest reads them.
    """
    from .. import __version__
    from ..workbook import digest

    if not isinstance(loaded.source, FileBook):
        return None
    stored = digest.custom_properties(loaded.path)
    if not digest.tables_current(stored, loaded.tables, as_of, __version__):
        return None
    found = read.stored_open_amounts(loaded.tables, loaded.data)
    if found is None:
        return None
    return [value for number, amounts in found for value in _amounts(number, amounts)]


#: The fewest bytes of a statement per line, for :func:`_likely_most` (a CAMT.053 entry with its
#: details is 500 to 2,000 bytes, an MT940 transaction 150 to 300, a CODA movement 256 or more).
BYTES_PER_LINE = 2_000


def _likely_most(paths: Sequence[Path], loaded: LoadedBook) -> bool:
    """Return True when statements of this size are likely to touch most customers: their
    lines, counted at :data:`BYTES_PER_LINE` (few), are more than half the customers. Decided
    before the lines are read, so that the assessment for the matching can go meanwhile; only
    time depends on it (see :func:`_touches_most`), never a result."""
    size = sum(p.stat().st_size for p in paths if p.is_file())
    return size // BYTES_PER_LINE * 2 > len(loaded.data.debtors)


def _read_files(
    read_files: Sequence[tuple[Path, StatementFile | StatementError]],
    own_ibans: Sequence[str],
    result: ImportResult,
) -> list[tuple[FileReport, StatementFile]]:
    """Check every file read; a file that could not be read gets its error on its report, and
    so does a page of a statement that does not follow on its page in another file
    (:func:`..payments.pages_follow_on`)."""
    parsed = []
    for path, statement_file in read_files:
        report = FileReport(path=path)
        result.files.append(report)
        if isinstance(statement_file, StatementError):
            report.error = statement_file.message
            continue
        if statement_file.source != path.name:  # a statement in a zip
            report.member = statement_file.source.removeprefix(f"{path.name}/")
        report.lines = len(statement_file.lines)
        report.statements = list(statement_file.statements)
        parsed.append((report, statement_file))
    apart, present = pages_follow_on([statement_file for _, statement_file in parsed])
    gaps = _gap_warnings([statement_file for _, statement_file in parsed])
    for index, (report, statement_file) in enumerate(parsed):
        if index in apart:
            report.error = apart[index].message
        report.warnings = (
            _account_warnings(statement_file, own_ibans)
            + _page_warnings(statement_file, {n for i, n in present if i == index})
            + gaps.get(index, [])
            + list(statement_file.notes)
        )
    return parsed


def _gap_warnings(files: Sequence[StatementFile]) -> dict[int, list[str]]:
    """Warn, by the index of its file, for a statement that does not open with the closing
    balance of the statement of its account before it in this run (by day, then as given):
    a statement in between is missing, and the credits on it are not read. Statements without
    both balances, and the same statement given twice (CAMT.053 and MT940 of one day), are
    passed by; it is a warning, as the user may read a later day on purpose."""
    seen: set[tuple] = set()
    by_account: dict[tuple[str, str], list[tuple[date, int, int, StatementSummary]]] = {}
    for index, statement_file in enumerate(files):
        for number, summary in enumerate(statement_file.statements):
            if summary.day is None or summary.opening is None or summary.closing is None:
                continue
            same = (summary.account, summary.currency, summary.day, summary.opening)
            if (*same, summary.closing) in seen:
                continue
            seen.add((*same, summary.closing))
            key = (summary.account, summary.currency)
            by_account.setdefault(key, []).append((summary.day, index, number, summary))
    found: dict[int, list[str]] = {}
    for statements in by_account.values():
        statements.sort(key=lambda item: item[:3])
        for (_, before_index, _, before), (_, index, _, after) in pairwise(statements):
            if before.closing == after.opening:
                continue
            assert before.closing is not None and after.opening is not None
            earlier = files[before_index].source
            found.setdefault(index, []).append(
                f"{after.label} van rekening {after.account} begint met saldo "
                f"{euro(after.opening)}, maar {before.label} van "
                f"{before.day:%d-%m-%Y} in '{earlier}' eindigt met {euro(before.closing)} "
                f"(verschil {euro(after.opening - before.closing)}): ontbreekt er een afschrift "
                "tussen die twee? Lees het dan ook in; anders ontbreken de bijschrijvingen die "
                "erop staan"
            )
    return found


class _Matcher:
    """The Betalingen rows of the statement lines, matched to the open invoices.

    Attributes:
      imported: the bank references in Betalingen (and of the lines added since).
      records: the new rows, in order.
      reversed_rows: Excel row -> (bank reference, new reason) of a payment a storno reverses.
    """

    def __init__(
        self,
        loaded: LoadedBook,
        assessment: Assessment | None,
        amounts: Sequence[tuple] | None = None,
    ) -> None:
        """Index the open invoices of ``assessment``, or (without one) ``amounts``: the
        :func:`_open_amounts` of every claim, in customer order."""
        self.loaded, self.assessment = loaded, assessment
        self.imported, self.existing = _existing(loaded.tables)
        self.records: list[PaymentRecord] = []
        self.reversed_rows: dict[int, tuple[str, str]] = {}
        if assessment is not None:
            amounts = [v for n, c in assessment.claims.items() for v in _open_amounts(n, c)]
        self.open_invoices = _open_invoices(loaded.data, amounts or ())
        self.index: InvoiceIndex | None = None  # built once for every file
        self._rows: dict[str, tuple[list, list, list]] | None = None
        self._owed: dict[tuple[str, date], dict[str, Decimal]] = {}  # (customer, day) -> owed
        self._earlier: dict[tuple, list[tuple[str, str, str]]] | None = None
        self._booked: dict[str, tuple] = {}  # base bank reference -> its key in _earlier
        #: base bank reference -> (day, amount, IBAN) of its booking, kept when _booked lets go
        self._credited: dict[str, tuple] = {}
        self._payers: dict[tuple[str, Decimal], list[list[dict[str, object]]]] | None = None
        self._record_payers: dict[tuple[object, str], list[list[int]]] = {}
        self._records_indexed = 0
        self._unfolded: list[tuple[int, int, str]] = []  # records of files added, by span
        self._days: dict[str, tuple[date | None, str]] | None = None  # see _booking_days
        self._unfolded_days: list[tuple[int, int, str]] = []
        #: customer -> (invoice, amount, day) of each of this import's matched rows
        self._paid_now: dict[str, list[tuple[str, Decimal, date]]] = {}
        #: customers with a matched line that became no matched row (:meth:`_ahead`)
        self._not_as_ahead: set[str] = set()
        #: the Betalingen rows of the first records, made while the copy matches (:meth:`_made`)
        self.rows: list[Row] = []
        self.rows_changed: set[int] = set()  # records changed after their row was made
        self._file_reports: list[tuple[int, FileReport]] = []  # (first record, its file's report)
        self.claimed = [
            ClaimedAmount(
                debtor=a.debtor,
                invoices=a.invoices,
                amount=a.amount_claimed,
                label=f"het bedrag van de {a.step.value} van {a.on:%d-%m-%Y}",
            )
            for a in loaded.data.actions
            if a.step in LETTER_STEPS
            and a.amount_claimed > 0
            and a.invoices
            and counts_from(a) is not None
        ]
        self.claimed += _instalment_claims(loaded.data)

    @property
    def touched(self) -> set[str]:
        """Return the customers of the rows added (whose assessment changes)."""
        return {r.debtor for r in self.records if r.debtor}

    def release(self) -> Assessment | None:
        """Return the assessment and let go of everything the matching held: writing needs
        none of it, and the write-back frees the assessment once it is assessed again."""
        assessment = self.assessment
        self.assessment = None  # type: ignore[assignment]
        self.records, self.existing, self.claimed = [], [], []
        self.imported = set()  # checked before the rows were made
        self.open_invoices, self.index, self._rows, self._owed = [], None, None, {}
        self._payers, self._record_payers, self._records_indexed = None, {}, 0
        self._earlier, self._unfolded, self._booked, self._credited = None, [], {}, {}
        self._days, self._unfolded_days = None, []
        self._paid_now, self._file_reports, self._not_as_ahead = {}, [], set()
        self.rows, self.rows_changed = [], set()
        forget_texts()
        return assessment

    def indexed(self) -> _Matcher:
        """Build the index of the open invoices (once, for every file); return self."""
        if self.index is None:
            kind = national_kind(self.loaded.data.creditor.country)
            self.index = InvoiceIndex(
                self.open_invoices, self.claimed, self._closed, reference_kind=kind
            )
        return self

    def _closed(self) -> Iterator[tuple[str, str]]:
        """Yield (number, what it is) of the invoices that cannot be paid any more, for the
        reason of a payment to check that names one (:meth:`InvoiceIndex.closed_named`)."""
        still_open = {inv.number for inv in self.open_invoices}
        for invoice in self.loaded.data.invoices:
            if invoice.is_credit_note or invoice.amount < 0:
                yield invoice.number, "is een creditnota"
            elif invoice.number not in still_open:
                yield invoice.number, "is al betaald of gecrediteerd"

    def add(self, report: FileReport, statement_file: StatementFile) -> None:
        """Add the rows of one statement file's lines; the file's lines are used up (each let
        go once it is a row)."""
        self.indexed()
        assert self.index is not None
        fmt = SOURCE_WORDS.get(statement_file.format, "bankafschrift")
        source = f"{fmt}: {report.name}"  # one text for every row of the file
        first = len(self.records)
        self._file_reports.append((first, report))  # its counts change when a storno takes back
        stornos: list[tuple[StatementLine, dict[str, object]]] = []
        for m, told in self._matches(statement_file.lines):
            if m.status is MatchStatus.DUPLICATE:
                reused = self._reused(m.line)
                if reused is None:
                    report.duplicates += 1
                    self._seen_again(_read_as(m.line, self.imported))
                    continue
                report.review += 1
                self.imported.add(reused[0])
                base = _base_fields(m.line, source)
                base["bank_reference"] = reused[0]
                self.records.append(
                    PaymentRecord(**base, status="Te controleren", reason=reused[1])
                )
                continue
            line = m.line
            self.imported.add(line.bank_reference)
            base = _base_fields(line, source)
            double = self._double(line, base, fmt)
            if double:
                if m.status is MatchStatus.MATCHED:  # the copy counted it as a row
                    self._not_as_ahead.add(m.debtor)
                report.doubles += 1
                self.records.append(PaymentRecord(**base, status=double[0], reason=double[1]))
            elif line.is_reversal:  # after the file's credits: it may list it before its credit
                stornos.append((line, base))
            elif m.status is MatchStatus.MATCHED:
                report.matched += 1
                self.records += self._matched(m, base, told)
            else:
                report.review += 1
                self.records.append(
                    PaymentRecord(
                        **base,
                        debtor=m.debtor or "",
                        status="Te controleren",
                        reason=m.reason,
                        candidates=", ".join(m.candidates),
                    )
                )
        for line, base in stornos:
            self.records.append(self._reversal(line, base))
            if self.records[-1].status == "Storno":
                report.reversals += 1
            else:  # the payment it takes back was not found: counted as the row says
                report.review += 1
        # a later file of this run counts this file's credits as earlier bookings
        self._unfolded.append((first, len(self.records), source))
        self._unfolded_days.append((first, len(self.records), source))

    def _matches(self, lines: list[StatementLine]) -> Iterator[tuple[Match, tuple | None]]:
        """Yield the matches of ``lines`` (used up) as :func:`_matches` gives them, each with
        what the copy worked out for its split (see :meth:`_ahead`), or None.

        A large file is matched in a forked copy of this process, a batch at a time, while this
        one makes the rows of the batches before (the copy holds the same index and bank
        references; the two made the same matches at 100,000 lines in 2.3 s where this process
        alone took 3.9 s; issue 17). The copy also works out what some of the customers owed
        for each payment split over several invoices (:meth:`_ahead`), which balances the two.
        Where the copy stops early, this process matches the rest itself; ``imported`` then
        holds the references of the lines taken, as in one run. Only time depends on it: the
        matches and the amounts are the same.
        """
        index = self.index
        assert index is not None
        if len(lines) < MIN_LINES_AHEAD or not can_fork():
            yield from ((m, None) for m in _matches(lines, index, self.imported))
            return
        taken = _taken(lines)
        # the copy's own ``imported`` is this one's as it is now
        ahead = Ahead(lambda: self._match_chunks(lines, index, self.imported))
        try:
            for chunk in ahead:  # zip takes a line only for a match of the chunk
                for (status, invoices, debtor, reason, candidates, told), line in zip(
                    chunk, taken, strict=False
                ):
                    m = Match(
                        line=line,
                        status=_STATUSES[status],
                        invoices=invoices,
                        debtor=debtor,
                        reason=reason,
                        candidates=candidates,
                    )
                    yield m, told
                self._made()  # while the copy sends the next chunk
        finally:
            ahead.close()
        if not ahead.complete:  # the copy stopped: the rest here
            yield from ((m, None) for m in _matches(list(taken), index, self.imported))

    def _match_chunks(
        self, lines: list[StatementLine], index: InvoiceIndex, imported: set[str]
    ) -> Iterator[list[tuple]]:
        """Yield the matches of ``lines`` a batch at a time, as the copy of :meth:`_matches`
        sends them: (status, invoices, customer, reason, candidates, :meth:`_ahead`) per
        line."""
        found = iter_matches(lines, index, imported)
        while batch := list(islice(found, MATCH_BATCH)):
            chunk = []
            for m in batch:
                told = None
                if m.status is MatchStatus.MATCHED and not m.line.is_reversal:
                    told = self._ahead(m)
                chunk.append(
                    (_STATUS_CODE[m.status], m.invoices, m.debtor, m.reason, m.candidates, told)
                )
            yield chunk

    def _ahead(self, m: Match) -> tuple[int, dict[str, Decimal | None]] | None:
        """In the copy of :meth:`_matches`: for a customer it takes (:func:`_ahead_of`),
        keep the rows this process will make of the match, and return for a split (the number
        of the customer's rows of this import before it, what it owed for the split), else None.

        The copy follows the rows of a customer as this process makes them: a row per matched
        line (the line's amount), the rows of a split as :meth:`_split` makes them with what it
        works out here. This process takes the answer only when it has as many rows of the
        customer and none of its matched lines became another row (:meth:`_owed_told`); then it
        would have worked out the same, from the same rows.
        """
        debtor, line = m.debtor, m.line
        if not _ahead_of(debtor):
            return None
        day, invoices = line.booking_date, list(m.invoices)
        if len(invoices) == 1:
            self._paid_now.setdefault(debtor, []).append((invoices[0], line.amount, day))
            return None
        count = len(self._paid_now.get(debtor, ()))
        owed = self._owed_after_earlier_rows(debtor, day, invoices)
        if owed is None:
            owed = self._owed_for(debtor, day, invoices)
        owed = {number: owed.get(number) for number in invoices}
        shares = self._split(debtor, day, invoices, line.amount, owed=owed)
        rows = self._paid_now.setdefault(debtor, [])
        rows += [(n, a, day) for n, a in zip(invoices, shares, strict=True) if a]
        return count, owed

    def _bookings(self) -> dict[tuple, list[tuple[str, str, str]]]:
        """Return (booking day, amount, payer's IBAN) -> each earlier booking with those, as
        (base bank reference, format, where: "rij 12 (CAMT.053: dag1.xml)"), one entry per
        booking: the rows of a payment split over invoices are one booking. Storno and Dubbel
        rows are no new credit."""
        if self._earlier is None:
            self._earlier = {}
            rows = (
                (
                    str(row.get("bank_reference") or ""),
                    str(row.get("status") or "").strip().casefold(),
                    _day(row.get("on")),
                    _cents(row.get("amount")),
                    str(row.get("payer_iban") or ""),
                    str(row.get("source") or ""),
                    f"rij {row['_row']} ({row.get('source') or 'zonder bron'})",
                )
                for row in self.existing
            )
            self._fold(rows)
        while self._unfolded:
            start, end, source = self._unfolded.pop(0)
            where = f"een eerder bestand van deze inlees ({source})"
            self._fold(
                (r.bank_reference, r.status.casefold(), r.on, r.amount, r.payer_iban, source, where)
                for r in self.records[start:end]
            )
        return self._earlier

    def _fold(self, rows: Iterable[tuple]) -> None:
        """Add bookings given as (bank reference, status, day, amount, payer IBAN, source,
        where)."""
        assert self._earlier is not None
        split: dict[str, list] = {}
        for reference, status, day, amount, iban, source, where in rows:
            if not reference or status in ("storno", "dubbel") or day is None or amount is None:
                continue
            base = _base_reference(reference)
            if base in split:
                split[base][1] += amount
            else:
                split[base] = [day, amount, _compact_iban(iban), _format_of(source), where]
        for base, (day, amount, iban, fmt, where) in split.items():
            key = (day, amount, iban)
            self._earlier.setdefault(key, []).append((base, fmt, where))
            self._booked[base] = key
            self._credited.setdefault(base, key)

    def _reused(self, line: StatementLine) -> tuple[str, str] | None:
        """Return (bank reference, reason) for a line whose bank reference is in Betalingen
        already, or in an earlier file of this import, with another booking day: a bank that
        uses a reference again (a number per statement or per day) booked another credit
        under it. It is not dropped as read before, and not counted either: it becomes a row
        to check, under the reference with its booking day appended, which a second reading
        finds. None when it is the booking read before (the same day, or the day an earlier
        release gave it: ``line.booked_before``), or that row is there.
        """
        base = _base_reference(line.bank_reference)
        earlier = self._booking_days().get(base)
        if earlier is None or earlier[0] is None:
            return None
        if earlier[0] == line.booking_date:
            return self._other_booking(line, base, earlier[1])
        if earlier[0] == line.booked_before:
            return None  # the booking read before, which an earlier release dated so
        day, where = earlier
        return self._row_to_check(
            f"{line.bank_reference}@{line.booking_date:%Y%m%d}",
            f"de bank gebruikte bankreferentie {line.bank_reference} al voor een bijschrijving "
            f"van {day:%d-%m-%Y} ({where}); deze is van {line.booking_date:%d-%m-%Y}. Is het "
            "dezelfde betaling, zet de status dan op Dubbel; anders koppel haar",
        )

    def _row_to_check(self, reference: str, reason: str) -> tuple[str, str] | None:
        """Return (bank reference, reason) of a credit under a reused bank reference, as a row
        to check under ``reference`` (shortened); None when that row was read before."""
        reference = _short_reference(reference)
        return None if reference in self.imported else (reference, reason)

    def _other_booking(self, line: StatementLine, base: str, where: str) -> tuple[str, str] | None:
        """Return (bank reference, reason) for a euro credit whose bank reference was read
        before for a credit of the same day with another amount or payer's IBAN: another
        booking under a reference the bank numbers per account or per statement (two accounts
        at one bank). It becomes a row to check under the reference with its day, amount and
        IBAN appended. None when it is the booking read before (also as ``7/2``, the number a
        file of both accounts gave the second), or that cannot be told.
        """
        if line.currency.upper() != "EUR":
            return None
        self._bookings()  # the earlier booking of each base reference, split rows summed
        credited = self._credited
        if base not in credited:
            return None
        payer = _compact_iban(line.counterparty_iban)
        payer = payer if _valid_iban(payer) else ""
        reference, count = base, 1
        while reference in credited:
            _, amount, iban = credited[reference]
            if amount == line.amount and (not iban or not payer or iban == payer):
                return None
            count += 1
            reference = f"{base}/{count}"
        suffix = f"@{line.booking_date:%Y%m%d}:{line.amount}" + (f":{payer}" if payer else "")
        return self._row_to_check(
            line.bank_reference + suffix,
            f"de bank gebruikte bankreferentie {line.bank_reference} al voor een andere "
            f"bijschrijving van {line.booking_date:%d-%m-%Y} ({where}), met een ander bedrag "
            "of een andere rekening van de betaler (nummert de bank haar boekingen per "
            "rekening?). Is het dezelfde betaling, zet de status dan op Dubbel; anders koppel haar",
        )

    def _booking_days(self) -> dict[str, tuple[date | None, str]]:
        """Return base bank reference -> (booking day, where) of the rows of Betalingen and of
        the files of this import added before (the rows made since the last look are added)."""
        if self._days is None:
            self._days = {}
            for row in self.existing:
                reference = str(row.get("bank_reference") or "")
                if reference:
                    where = f"rij {row['_row']}"
                    self._days.setdefault(_base_reference(reference), (_day(row.get("on")), where))
        for start, end, source in self._unfolded_days:
            where = f"een eerder bestand van deze inlees ({source})"
            for r in self.records[start:end]:
                if r.bank_reference:
                    self._days.setdefault(_base_reference(r.bank_reference), (r.on, where))
        self._unfolded_days.clear()
        return self._days

    def _seen_again(self, reference: str) -> None:
        """A line whose bank reference is in Betalingen already is that booking: it cannot be
        the double of another one (a statement downloaded twice in one day holds it again)."""
        bookings = self._bookings()
        base = _base_reference(reference)
        key = self._booked.pop(base, None)
        if key is not None:
            bookings[key] = [entry for entry in bookings.get(key, []) if entry[0] != base]

    def _double(
        self, line: StatementLine, base: dict[str, object], fmt: str
    ) -> tuple[str, str] | None:
        """Return the status and reason of a credit that is already in Betalingen under another
        bank reference, else None (``base``: the line's :func:`_base_fields`).

        Such a credit has the same booking day, amount and payer's IBAN as an earlier booking
        that no line of the statements explains by its reference. Read from another format
        (the same bank day as CAMT.053 and as MT940) it is "Dubbel": not counted, the reason
        names the first one's row, when the book has one own account (with several, the other
        format may be another account's statement). From the same format (two accounts at one
        bank, or a file read again after an update changed how its references are read), or
        without an IBAN, the match is too weak to decide: "Te controleren", naming the earlier
        row. Each earlier
        booking counts once: of two equal payments on one day, the second stays when only one
        was read before.
        """
        amount = base["amount"]
        if line.is_reversal or amount is None:  # a storno, or not in euro
            return None
        iban = _compact_iban(base["payer_iban"])  # type: ignore[arg-type]  # a valid IBAN, as kept
        earlier = self._bookings().get((base["on"], amount, iban))
        if not earlier:
            return self._near_double(line, amount, iban, fmt) if iban else None
        reference, earlier_fmt, where = earlier.pop(0)
        self._booked.pop(reference, None)
        other_format = bool(iban and earlier_fmt and earlier_fmt != fmt)
        if other_format and self._one_account(line):
            reason = (
                f"dubbel: dezelfde bijschrijving (datum, bedrag en IBAN) als {where}, uit een "
                "ander soort afschrift; telt niet mee. Is het toch een andere betaling, zet de "
                "status dan op Gematcht en vul Klantnr of Factuurnr in"
            )
            return "Dubbel", reason
        same = (
            "dezelfde datum, hetzelfde bedrag en dezelfde IBAN"
            if iban
            else ("dezelfde datum en hetzelfde bedrag (zonder IBAN)")
        )
        why = (
            ", uit een ander soort afschrift; met meer dan één eigen rekening (Instellingen) kan "
            "het ook een betaling op een andere rekening zijn"
            if other_format
            else ", met een andere bankreferentie"
        )
        reason = (
            f"mogelijk dubbel: {same} als {where}{why}; is het dezelfde betaling, zet de status "
            "dan op Dubbel, anders koppel haar"
        )
        return "Te controleren", reason

    def _one_account(self, line: StatementLine) -> bool:
        """Return whether the book has one own account and the line is booked on it: only then
        is a credit from another format on the same day the same booking (Betalingen does not
        say on which of several accounts an earlier one was booked)."""
        own = self.loaded.data.own_ibans
        return len(own) == 1 and _is_own_account(line.account_iban, own)

    def _near_double(
        self, line: StatementLine, amount: Decimal, iban: str, fmt: str
    ) -> tuple[str, str] | None:
        """Return "Te controleren" and the reason for a credit that another format may have
        dated on another day, else None.

        An MT940 without its optional booking date gives only the value date, and a weekend
        or a holiday (TARGET) may lie between the two: such a credit is compared with the
        bookings of another format on the days across those closed days; a CAMT.053 or CODA
        credit with another value date than booking date, with the MT940 bookings on its value
        date. The same amount and IBAN on a neighbouring day may also be a second payment, so
        this is never "Dubbel", and the earlier booking stays free for a credit of its own day.
        """
        if not line.booking_date_given:
            days, formats = _closed_days_around(line.value_date), None
            told = (
                "dit afschrift geeft geen boekdatum, alleen de valutadatum "
                f"{line.value_date:%d-%m-%Y}"
            )
        elif line.value_date != line.booking_date and fmt != "MT940":
            days, formats = (line.value_date,), ("MT940",)
            told = (
                f"deze bijschrijving heeft valutadatum {line.value_date:%d-%m-%Y} en boekdatum "
                f"{line.booking_date:%d-%m-%Y}, en een MT940 zonder boekdatum noemt alleen de "
                "valutadatum"
            )
        else:
            return None
        bookings = self._bookings()
        for day in days:
            for _, earlier_fmt, where in bookings.get((day, amount, iban), ()):
                if (
                    earlier_fmt
                    and earlier_fmt != fmt
                    and (formats is None or earlier_fmt in formats)
                ):
                    reason = (
                        f"mogelijk dubbel: hetzelfde bedrag en dezelfde IBAN als {where}, op "
                        f"{day:%d-%m-%Y}, uit een ander soort afschrift; {told}. Is het "
                        "dezelfde betaling, zet de status dan op Dubbel, anders koppel haar"
                    )
                    return "Te controleren", reason
        return None

    def _matched(
        self, m: Match, base: dict[str, object], told: tuple | None = None
    ) -> list[PaymentRecord]:
        """Return the rows of a matched payment: one per invoice, split as the engine would
        (``told``: what the copy of :meth:`_matches` worked out for it, :meth:`_ahead`)."""
        line, invoices = m.line, list(m.invoices)
        if len(invoices) > 1:
            owed = self._owed_told(m.debtor, told)
            if owed is None:
                owed = self._owed_after_earlier_rows(m.debtor, line.booking_date, invoices)
            amounts = self._split(m.debtor, line.booking_date, invoices, line.amount, owed=owed)
        else:  # most lines: one row, as the loop below makes it
            base["amount"], base["bank_reference"] = line.amount, line.bank_reference
            record = PaymentRecord(
                **base, debtor=m.debtor, invoice=invoices[0], status="Gematcht", reason=m.reason
            )
            return self._paid([record])
        # an invoice the earlier ones left nothing for gets no row (a row of € 0,00 is refused)
        empty = [number for number, amount in zip(invoices, amounts, strict=True) if not amount]
        reason = m.reason
        if empty:
            noun = "factuur" if len(empty) == 1 else "facturen"
            reason += f"; voor {noun} {', '.join(empty)} bleef niets over"
        rows: list[PaymentRecord] = []
        for number, amount in zip(invoices, amounts, strict=True):
            if amount:
                base["amount"] = amount
                base["bank_reference"] = line.bank_reference + (f"~{len(rows) + 1}" if rows else "")
                rows.append(
                    PaymentRecord(
                        **base, debtor=m.debtor, invoice=number, status="Gematcht", reason=reason
                    )
                )
        return self._paid(rows)

    def _made(self) -> None:
        """Make the Betalingen rows of the records that have none yet (:attr:`rows`): this
        process does it between the copy's chunks, when it would wait for the next one
        (:func:`_record` makes the rest, and again a row whose record changed since)."""
        rows, records = self.rows, self.records
        rows += [schema.payment_row(r) for r in records[len(rows) :]]

    def _owed_told(self, debtor: str, told: tuple | None) -> dict[str, Decimal | None] | None:
        """Return what the copy of :meth:`_matches` worked out for a split (:meth:`_ahead`)
        when it worked from the rows this process made of the customer, else None."""
        if told is None or debtor in self._not_as_ahead:
            return None
        count, owed = told
        return owed if count == len(self._paid_now.get(debtor, ())) else None

    def _paid(self, rows: list[PaymentRecord]) -> list[PaymentRecord]:
        """Keep the matched rows as payments of their customer for the splits that follow
        (:meth:`_owed_after_earlier_rows`); return them."""
        paid = self._paid_now.get(rows[0].debtor)
        if paid is None:
            paid = self._paid_now[rows[0].debtor] = []
        paid += [(row.invoice, row.amount, row.on) for row in rows]  # type: ignore[misc]
        return rows

    def _owed_after_earlier_rows(
        self, debtor: str, day: date, invoices: list[str]
    ) -> dict[str, Decimal | None] | None:
        """Return what the customer owes on ``day`` on ``invoices`` after the payments this
        import matched before to any of them (for a split), or None when there are none (then
        :meth:`_split` takes what was worked out for the book as it was).

        Without them, a second payment of a statement naming an invoice the first paid got a
        row for it again, and the engine put that money on another invoice (session 8).
        Earlier payments of the same day that each invoice could take whole are taken off what
        it owed that day (exact: what a payment pays is owed no more); others (an earlier day,
        more than the invoice owed) are worked out again with them."""
        named = set(invoices)
        earlier = [p for p in self._paid_now.get(debtor, ()) if p[0] in named]
        if not earlier:
            return None
        if all(on == day for *_, on in earlier):  # what the book owed that day, less them
            owed = dict(self._owed_for(debtor, day, invoices))
            paid: dict[str, Decimal] = {}
            for number, amount, _ in earlier:
                paid[number] = paid.get(number, ZERO) + amount
            if all(amount <= (owed.get(number) or ZERO) for number, amount in paid.items()):
                for number, amount in paid.items():
                    owed[number] = (owed.get(number) or ZERO) - amount
                return owed
        extra = [
            Payment(on=on, amount=amount, debtor=debtor, invoice=number)
            for number, amount, on in self._paid_now[debtor]
        ]
        return self._owed_on(debtor, day, named, extra)

    def _reversal(self, line: StatementLine, base: dict[str, object]) -> PaymentRecord:
        """Return the row of a storno, and mark the payment it reverses.

        A storno in another currency than the euro takes back no payment: the euro payments are
        another amount of money, and one of the same number of dollars from the same payer took
        back a euro payment it had nothing to do with. It stays to check, as its credit does.
        """
        if line.currency.upper() != "EUR":
            reason = (
                f"storno (terugboeking) in {line.currency.upper()}, niet in euro: zoek de "
                "bijschrijving die hij terugdraait en handel beide zelf af"
            )
            return PaymentRecord(**base, status="Te controleren", reason=reason)
        original = self._find_reversed(line)
        if isinstance(original, list):
            rows = [str(n) for n in original]
            where = f"rij {rows[0]}" if len(rows) == 1 else f"rijen {', '.join(rows)}"
            reason = f"storno (terugboeking) van de betaling op {where}"
        elif original is not None:  # a row of this import, now Teruggeboekt
            reason = (
                f"storno (terugboeking) van de betaling van {original} uit deze inlees; die "
                "staat nu op Teruggeboekt"
            )
        else:
            reason = "storno (terugboeking); de oorspronkelijke betaling is niet gevonden"
        status = "Storno" if original is not None else "Te controleren"
        return PaymentRecord(**base, status=status, reason=reason)

    def _find_reversed(self, line: StatementLine) -> list[int] | str | None:
        """Find the payment a storno reverses (same payer and amount, counted or still to be
        checked, not yet reversed), the most recent first: its Excel rows (on Betalingen), the
        booking day ("14-10-2026") of a payment of this import, or None. Of a payment on
        Betalingen and one of this import, the later booked one is taken, on the same day the
        one of this import (read later; a storno of this month's direct debit took back last
        month's). A credit nobody linked yet that the bank takes back is reversed too: both
        rows then say what happened, and neither counts.

        A payment is one booking: the rows of a payment split over several invoices (bank
        references ``B1``, ``B1~2``, …) are compared by their sum and taken back together; a
        storno of € 3.500,00 left both rows of a split counted (session 8).

        Both are looked up by payer and amount: a statement with many returned direct debits
        scanned every row of Betalingen for each of them. Without an IBAN the payer's name must
        be the same (a storno without either is left to the user): a storno of someone else's
        payment of the same amount took back a payment that was made."""
        iban = _compact_iban(line.counterparty_iban)
        name = "" if iban else loose_key(line.counterparty_name)
        if not iban and not name:
            return None
        rows = self._reversible_row(iban, name, line.amount)
        ks = self._reversible_record(line, name)
        row_day = _day(rows[0].get("on")) if rows is not None else None
        if ks is not None and (
            rows is None or row_day is None or self.records[ks[0]].on >= row_day
        ):
            self._count_taken_back(ks[0])
            for k in ks:
                rec = self.records[k]
                reason = f"{rec.reason}; teruggeboekt op {line.booking_date:%d-%m-%Y}"
                self.records[k] = replace(rec, status="Teruggeboekt", reason=reason)
                self.rows_changed.add(k)
            return f"{self.records[ks[0]].on:%d-%m-%Y}"
        if rows is None:
            return None
        text = f"teruggeboekt op {line.booking_date:%d-%m-%Y}"
        for row in rows:
            old = str(row.get("reason") or "")
            self.reversed_rows[int(row["_row"])] = (
                str(row.get("bank_reference") or ""),
                f"{old}; {text}" if old else text,
            )
        return [int(row["_row"]) for row in rows]

    def _count_taken_back(self, k: int) -> None:
        """Count the payment whose first row is record ``k`` as taken back in its file's
        report, no longer as matched or to check: the counts say what the rows say."""
        report = next(r for first, r in reversed(self._file_reports) if first <= k)
        if self.records[k].status == "Gematcht":
            report.matched -= 1
        else:
            report.review -= 1
        report.taken_back += 1

    def _reversible_row(
        self, iban: str, name: str, amount: Decimal
    ) -> list[dict[str, object]] | None:
        """Return the rows of the last payment on Betalingen a storno may take back (see
        _find_reversed): one row, or the rows of a split payment."""
        for rows in reversed(self._existing_by_payer().get((iban, amount), ())):
            row = rows[0]
            status = str(row.get("status") or "").strip().casefold()
            if status in _NOT_REVERSIBLE or any(r["_row"] in self.reversed_rows for r in rows):
                continue
            if name and loose_key(str(row.get("payer_name") or "")) != name:
                continue
            if status == "te controleren" and not _plain_credit(str(row.get("reason") or "")):
                continue
            return rows
        return None

    def _reversible_record(self, line: StatementLine, name: str) -> list[int] | None:
        """Return the positions of the rows of the last payment of this import a storno may
        take back (one row, or the rows of a split payment)."""
        key = (line.amount, line.counterparty_iban)
        for ks in reversed(self._records_by_payer().get(key, ())):
            rec = self.records[ks[0]]
            if name and loose_key(rec.payer_name) != name:
                continue
            if rec.status == "Gematcht" or (
                rec.status == "Te controleren" and _plain_credit(rec.reason)
            ):
                return ks
        return None

    def _existing_by_payer(self) -> dict[tuple[str, Decimal], list[list[dict[str, object]]]]:
        """Return (payer's IBAN, amount in cents) -> the payments on Betalingen, in sheet
        order, each as its rows (the rows of a split payment share its base bank reference,
        and the amount is their sum)."""
        if self._payers is None:
            self._payers = {}
            payments: dict[object, list[dict[str, object]]] = {}
            for row in self.existing:
                reference = str(row.get("bank_reference") or "")
                key = _base_reference(reference) if reference else row["_row"]
                payments.setdefault(key, []).append(row)
            for rows in payments.values():
                try:
                    amount = sum((Decimal(str(r.get("amount"))) for r in rows), ZERO)
                    amount = amount.quantize(Decimal("0.01"))
                except ArithmeticError:
                    continue
                iban = _compact_iban(str(rows[0].get("payer_iban") or ""))
                self._payers.setdefault((iban, amount), []).append(rows)
        return self._payers

    def _records_by_payer(self) -> dict[tuple[object, str], list[list[int]]]:
        """Return (amount, payer's IBAN) -> the payments of this import, in order, each as
        the positions of its rows (a split payment's rows follow each other and share its base
        bank reference; the amount is their sum). The rows made since the last look are
        added."""
        k, end = self._records_indexed, len(self.records)
        while k < end:
            rec = self.records[k]
            base = _base_reference(rec.bank_reference) if rec.bank_reference else None
            ks = [k]
            while base and k + len(ks) < end:
                following = self.records[k + len(ks)].bank_reference
                if not following or _base_reference(following) != base:
                    break
                ks.append(k + len(ks))
            amounts = [self.records[j].amount for j in ks]
            amount = None if None in amounts else sum(amounts, ZERO)  # type: ignore[arg-type]
            self._record_payers.setdefault((amount, rec.payer_iban), []).append(ks)
            k += len(ks)
        self._records_indexed = end
        return self._record_payers

    def _split(
        self,
        debtor: str,
        day: date,
        invoices: list[str],
        amount: Decimal,
        *,
        owed: dict[str, Decimal | None] | None = None,
    ) -> list[Decimal]:
        """Split one payment over several invoices exactly as the engine allocates it.

        Each invoice gets what it owes on the booking day (costs, interest, principal), in the
        order of the match (oldest first); the last invoice also takes what is left. Every row
        then pays its own invoice in full, so Facturen shows per invoice what the rows say.
        ``owed``: what is owed when the import's own earlier rows change it.
        """
        if owed is None:
            owed = self._owed_for(debtor, day, invoices)
        rest = amount
        shares = []
        for number in invoices:
            share = min(rest, max(owed.get(number) or ZERO, ZERO))
            shares.append(share)
            rest -= share
        shares[-1] += rest
        return shares

    def _owed_for(
        self, debtor: str, day: date, invoices: Iterable[str]
    ) -> dict[str, Decimal | None]:
        """Return what the customer owes on ``day`` on each of ``invoices`` (None for a number
        it owes nothing on), worked out once per customer and day."""
        owed = self._owed.get((debtor, day))
        if owed is None or not owed.keys() >= set(invoices):
            wanted = set(invoices) | set(owed or ())
            owed = self._owed[debtor, day] = self._owed_on(debtor, day, wanted)
        return owed

    def _owed_on(
        self, debtor: str, day: date, wanted: set[str], extra: Sequence[Payment] = ()
    ) -> dict[str, Decimal | None]:
        """Work out what the customer owes on ``day`` on the ``wanted`` invoices (None for a
        number it owes nothing on); the workbook's own rows decide, with ``extra`` payments
        after them."""
        d = self.loaded.data
        if self._rows is None:  # a customer's rows, grouped once per run
            self._rows = {}
            for k, items in enumerate((d.invoices, d.payments, d.actions)):
                for item in items:
                    self._rows.setdefault(item.debtor, ([], [], []))[k].append(item)
        own_invoices, own_payments, own_actions = self._rows.get(debtor, ([], [], []))
        found = owed_on(
            d.debtors[debtor],
            own_invoices,
            [*own_payments, *extra] if extra else own_payments,
            own_actions,
            d.creditor,
            d.settings,
            self.loaded.rates,
            day,
            wanted,
        )
        return {number: found.get(number) for number in wanted}


#: Lines matched at a time: the rows are kept, the matches not (peak memory, issue 17).
MATCH_BATCH = 5000

#: The fewest lines in a file for which :meth:`_Matcher._matches` matches in a forked copy.
MIN_LINES_AHEAD = 2_000


def _ahead_of(debtor: str) -> bool:
    """Return whether the copy of :meth:`_Matcher._matches` works out the splits of
    ``debtor``: one customer in :data:`AHEAD_ONE_IN`, the same in every process."""
    return zlib.crc32(debtor.encode("utf-8", "surrogatepass")) % AHEAD_ONE_IN == 1


#: The copy that matches the lines works out the splits of one customer in so many (the copy
#: also matches every line: it and this process then take about as long).
AHEAD_ONE_IN = 4


#: A match's status as the copy sends it, and back.
_STATUSES = tuple(MatchStatus)
_STATUS_CODE = {status: k for k, status in enumerate(_STATUSES)}


def _matches(
    lines: list[StatementLine], index: InvoiceIndex, imported: set[str]
) -> Iterator[Match]:
    """Yield the matches of ``lines`` (used up) as :func:`match_payments` gives them, a batch
    at a time; ``imported`` takes each new line's bank reference before the next batch (the
    caller adds it), so a line repeated in a later batch is a duplicate as in one call."""
    taken = _taken(lines)
    while batch := list(islice(taken, MATCH_BATCH)):
        yield from match_payments(batch, index, imported)


def _taken(lines: list[StatementLine]) -> Iterator[StatementLine]:
    """Yield the lines, each taken out of the list (peak memory, issue 17)."""
    for k in range(len(lines)):
        line = lines[k]
        lines[k] = None  # type: ignore[call-overload]
        yield line
    lines.clear()


def _read_as(line: StatementLine, imported: set[str]) -> str:
    """Return the bank reference a line read before was read under: its own, or that of the
    one line an earlier release made of the booking it is part of (``read_before_as``)."""
    if line.bank_reference in imported or not line.read_before_as:
        return line.bank_reference
    return line.read_before_as


def _base_reference(reference: str) -> str:
    return reference.split("~", 1)[0]


#: The Betalingen columns the matching reads of the rows already there (doubles, stornos).
_EXISTING_KEYS = frozenset(
    ("bank_reference", "status", "on", "amount", "payer_iban", "payer_name", "source", "reason")
)


def _existing(tables: dict[str, read.TableData]) -> tuple[set[str], list[dict[str, object]]]:
    """Return the bank references already in Betalingen, and its rows by column key (the
    columns of :data:`_EXISTING_KEYS`, and "_row": the Excel row)."""
    table = tables.get(schema.BETALINGEN.name)
    if table is None:
        return set(), []
    match = schema.match_headers(schema.BETALINGEN, table.headers)
    positions = [(key, pos) for key, pos in match.index.items() if key in _EXISTING_KEYS]
    rows = []
    for i, values in enumerate(table.rows):
        row = {key: (values[pos] if pos < len(values) else None) for key, pos in positions}
        row["_row"] = table.first_row + i
        rows.append(row)
    refs = {
        _base_reference(str(r.get("bank_reference") or "")) for r in rows if r.get("bank_reference")
    }
    return refs, rows


def future_credits(lines: Sequence[StatementLine], known: set[str], as_of: date) -> str:
    """Return a Dutch refusal when a new line of a statement is dated after ``as_of``, else "".

    The workbook cannot hold a payment after its peildatum, so such a statement is not read at
    all (the user imports it again with a later peildatum). Lines whose bank reference is in
    ``known`` (imported before) do not count.
    """
    late = [
        line
        for line in lines
        if line.booking_date > as_of and not (line.bank_reference and line.bank_reference in known)
    ]
    if not late:
        return ""
    last = max(line.booking_date for line in late)
    return (
        f"{len(late)} bijschrijving{'en' if len(late) > 1 else ''} op dit afschrift "
        f"{'liggen' if len(late) > 1 else 'ligt'} na de peildatum {as_of:%d-%m-%Y} (de laatste op "
        f"{last:%d-%m-%Y}). Lees het afschrift in met --peildatum {last:%Y-%m-%d} of later; uit "
        "dit bestand is niets ingelezen."
    )


#: Rows a storno cannot take back: taken back already, a storno itself, or a double.
_NOT_REVERSIBLE = ("teruggeboekt", "storno", "dubbel", "terugbetaling")


def _later_than_as_of(day: date, as_of: date) -> str:
    """Say that a statement is dated after the peildatum, and which day counts instead."""
    return (
        f"Het afschrift noemt als datum {day:%d-%m-%Y}, na de peildatum {as_of:%d-%m-%Y}; als "
        "datum van het laatste bankafschrift geldt de peildatum (een afschrift van na de "
        "peildatum zou de controle op een recent afschrift voorgoed uitzetten)"
    )


def _plain_credit(reason: str) -> bool:
    """Return True when a row to be checked is a credit nobody linked yet: not a storno whose
    payment was not found, nor a possible double."""
    return not reason.startswith(("storno", "mogelijk dubbel"))


#: How far apart (days) a value date and a booking date across closed days may be: Maundy
#: Thursday to the Tuesday after Easter.
_CLOSED_SPAN = 5


def _closed_days_around(day: date) -> list[date]:
    """Return the days, nearest first, that are one bank day from ``day`` across closed days:
    every day between the two is a weekend day or a TARGET holiday, and so is one of the two
    or a day between (a credit of Saturday booked on Monday, of Friday booked on Monday).
    Two days that are both open and next to each other are not such days."""
    found = []
    for step in range(1, _CLOSED_SPAN + 1):
        for other in (day - timedelta(days=step), day + timedelta(days=step)):
            low, high = min(day, other), max(day, other)
            between = [low + timedelta(days=k) for k in range(1, step)]
            if all(_closed(d) for d in between) and any(_closed(d) for d in (low, *between, high)):
                found.append(other)
    return found


def _closed(day: date) -> bool:
    """Return whether banks book no SEPA payments on ``day``: a weekend day or a TARGET
    holiday (New Year, Good Friday, Easter Monday, 1 May, 25 and 26 December)."""
    return day.weekday() >= 5 or day in _target_holidays(day.year)


@cache
def _target_holidays(year: int) -> holidays.HolidayBase:
    return holidays.financial_holidays("XECB", years=year)


def _format_of(source: str) -> str:
    """Return the statement format a Bron text names ("CAMT.053: dag.xml" -> "CAMT.053")."""
    return source.split(": ", 1)[0] if ": " in source else ""


def _day(value: object) -> date | None:
    """Return a Betalingen date cell as read (a date, or a date with a time), else None."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _cents(value: object) -> Decimal | None:
    """Return a Betalingen amount cell as read, in cents, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        return None


def _valid_iban(iban: str) -> bool:
    """Return whether ``iban`` is a valid IBAN (asked once per account in a run; a large
    statement's payers are asked in the process that parses it, :mod:`..payments.background`)."""
    return valid_iban(iban)


def _base_fields(line: StatementLine, source: str) -> dict[str, object]:
    """Return the Betalingen columns every row of a statement line has, as the keyword
    arguments of its :class:`PaymentRecord` (each row is made once, with all of its fields).

    A payer's IBAN is kept only when it is a valid IBAN. A payment in another currency than
    the euro never lands in the euro column: Bedrag stays empty and the Mededeling starts with
    the currency and amount, for the user to fill in what was credited in euro.
    """
    valid = _valid_iban(line.counterparty_iban) if line.counterparty_iban else False
    amount: Decimal | None = line.amount
    text = line.remittance
    if line.currency.upper() != "EUR":
        shown = euro(line.amount).replace("€", line.currency.upper())
        amount, text = None, f"{shown}: {text}" if text else shown
    return {
        "on": line.booking_date,
        "amount": amount,
        "text": cell_text(text),  # a remittance of 40,000 characters: Excel holds 32,767
        "source": source,
        "bank_reference": line.bank_reference,
        "payer_name": cell_text(line.counterparty_name),
        "payer_iban": line.counterparty_iban if valid else "",
        "structured_reference": line.structured_reference,
    }


def _instalment_claims(data: read.WorkbookData) -> list[ClaimedAmount]:
    """Return each instalment amount of a payment plan (Regelingen) as an amount asked for:
    an instalment paid from a customer's account without an invoice number then pays the
    plan's invoices (those its Acties row names; all of the customer's when it names none),
    oldest first. Before (session 8) it was "Te controleren" and did not count for the plan.
    Equal instalments give one amount."""
    if not data.plans:
        return []
    plans = {a.debtor: a for a in data.actions if a.step is Step.PLAN and counts_from(a)}
    amounts = dict.fromkeys((i.debtor, i.amount) for i in data.plans if i.amount > 0)
    unnamed = {debtor for debtor, _ in amounts if not (debtor in plans and plans[debtor].invoices)}
    theirs: dict[str, list[str]] = {}  # the invoices of a customer whose plan names none
    for invoice in data.invoices if unnamed else ():
        if invoice.debtor in unnamed:
            theirs.setdefault(invoice.debtor, []).append(invoice.number)
    claims = []
    for debtor, amount in amounts:
        plan = plans.get(debtor)
        invoices = plan.invoices if plan and plan.invoices else tuple(theirs.get(debtor, ()))
        agreed = f" van {plan.on:%d-%m-%Y}" if plan else ""
        claims.append(
            ClaimedAmount(
                debtor=debtor,
                invoices=tuple(invoices),
                amount=amount,
                label=f"een termijn van de regeling{agreed}",
            )
        )
    return claims


def _open_amounts(number: str, claim: DebtorClaim) -> list[tuple]:
    """Return what the matching needs of each open invoice of a claim (:func:`_amounts`)."""
    return _amounts(
        number,
        [
            OpenAmount(c.invoice, st.outstanding, st.principal_open, st.costs_open)
            for c in claim.invoices
            if (st := c.statement).outstanding > 0
        ],
    )


def _amounts(number: str, amounts: list[OpenAmount]) -> list[tuple]:
    """Return what the matching needs of each open invoice of a customer: (invoice, customer,
    outstanding, due date, principal open, costs open); plain values that pickle, for
    :func:`.shards.picked_claims`."""
    return [
        (
            a.invoice.number,
            number,
            a.outstanding,
            a.invoice.due_date,
            a.principal_open,
            a.costs_open,
        )
        for a in amounts
    ]


def _open_invoices(data: read.WorkbookData, amounts: Iterable[tuple]) -> list[OpenInvoice]:
    """The invoices that can still be paid (:func:`_open_amounts`, in customer order), with
    every amount that would settle them."""
    payer_ibans: dict[str, set[str]] = {}
    for p in data.payments:
        if p.payer_iban and _valid_iban(p.payer_iban):
            payer_ibans.setdefault(p.debtor, set()).add(p.payer_iban)
    references = invoice_references(data)
    open_invoices = []
    known: dict[str, tuple[str, ...]] = {}  # customer -> its IBANs
    for invoice, number, outstanding, due_date, principal, costs in amounts:
        debtor = data.debtors[number]
        ibans = known.get(number)
        if ibans is None:
            ibans = known[number] = tuple(
                sorted(set(debtor.ibans) | payer_ibans.get(number, set()))
            )
        ref = references.get(invoice)
        compact = (ref.value,) if ref is not None else ()  # checked by its check digits
        open_invoices.append(
            OpenInvoice(
                number=invoice,
                debtor=number,
                open_amount=_own(outstanding),
                due_date=due_date,
                references=compact,
                checked=compact,
                debtor_ibans=ibans,
                debtor_name=debtor.name,
                amounts=(
                    ("de openstaande hoofdsom", _own(principal)),
                    ("de hoofdsom met de kosten", principal + costs),
                ),
            )
        )
    return open_invoices


def _own(amount: Decimal) -> Decimal:
    """Return an equal Decimal (the same digits) that is a new object: an open invoice then
    holds nothing of the assessment, whose memory goes back whole when it is let go (a few
    amounts kept from it would keep all of its memory in use; peak memory, issue 17)."""
    return amount.copy_sign(amount)


def _account_warnings(statement_file: StatementFile, own_ibans: Sequence[str]) -> list[str]:
    """Warn for each statement of an account that is not one of ours (Instellingen)."""
    if not own_ibans:
        return []
    return [
        f"{s.label} is van rekening {s.account}, die niet bij IBAN of bij Andere eigen "
        "rekeningen (IBAN) op het blad Instellingen staat; controleer of dit uw afschrift is"
        for s in statement_file.statements
        if not _is_own_account(s.account, own_ibans)
    ]


def _page_warnings(statement_file: StatementFile, present: set[int]) -> list[str]:
    """Warn for each statement that goes on in another file (a CAMT.053 page that is not the
    last) that is not read in this run (the statements in ``present``, by index, are): the
    movements of the other pages are not in this file."""
    return [
        f"{s.label} van rekening {s.account} is niet compleet: het gaat verder op pagina "
        f"{s.next_page}, in een ander bestand. Staat die pagina niet bij de bestanden die u nu "
        "inleest, lees haar dan ook in; anders ontbreken de bijschrijvingen die erop staan"
        for n, s in enumerate(statement_file.statements)
        if s.next_page and n not in present
    ]


def _is_own_account(account: str, own_ibans: Sequence[str]) -> bool:
    """Return whether a statement's account is one of our IBANs, or the account number that an
    IBAN of ours holds (old files give ``0123456789`` or ``TRIODOSBANK/0123456789``)."""
    compact = _compact_iban(account)
    digits = "".join(ch for ch in compact if ch.isdigit()).lstrip("0")
    for own in own_ibans:
        own = _compact_iban(own)
        if compact == own:
            return True
        bban = "".join(ch for ch in own[4:] if ch.isdigit()).lstrip("0")
        if digits and not compact[:2].isalpha() and bban.endswith(digits) and len(digits) >= 7:
            return True
    return False


def _keep_statement_date(loaded: LoadedBook, day: date, changes: Changes) -> None:
    """Queue writing ``day`` into Instellingen "Laatste bankafschrift" (adding the row when an
    older workbook lacks it)."""
    label = schema.STATEMENT_READ_LABEL
    table = loaded.tables.get(schema.INSTELLINGEN.name)
    present = False
    if table is not None:
        pos = schema.match_headers(schema.INSTELLINGEN, table.headers).index.get("label")
        wanted = schema.normalize_header(label)
        present = pos is not None and any(
            pos < len(row) and schema.normalize_header(str(row[pos] or "")) == wanted
            for row in table.rows
        )
    if present:
        changes.set(schema.INSTELLINGEN, "label", label, "value", day)
        return
    setting = schema.setting_by_label(label)
    changes.add_rows(
        schema.INSTELLINGEN,
        [{"label": label, "value": day, "help": setting.help if setting else ""}],
    )


from .plan import PlanResult, month_later, payment_plan  # noqa: E402  (the ``regeling`` use case)

__all__ += ["PlanResult", "month_later", "payment_plan"]
