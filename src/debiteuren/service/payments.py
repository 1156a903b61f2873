"""``betalingen``: import bank statements into Betalingen, match them, and ``regeling``.

A reminder to a customer who already paid is the worst thing this program can do, so:

- every credit on a statement becomes a row in Betalingen with the match and its reason;
- a payment that matches nothing, or more than one way, is "Te controleren" (not counted) and
  never guessed;
- a storno marks the payment it reverses "Teruggeboekt";
- importing the same statement twice adds nothing (the bank's reference is kept);
- a broken statement imports nothing from that file;
- letters asking for payment wait for a recent statement (:func:`statement_gate`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import holidays
from stdnum import iban as stdnum_iban

from ..core.claim import LETTER_STEPS, assess_debtor
from ..core.model import Step
from ..core.money import ZERO, Decimal, allocate_cents
from ..core.rules.lifecycle import counts_from
from ..errors import DebiteurenError
from ..filenames import inside, safe_name
from ..formatting import euro
from ..payments import StatementError, StatementFile, StatementLine, read_statement_file
from ..payments.matching import (
    ClaimedAmount,
    InvoiceIndex,
    MatchStatus,
    OpenInvoice,
    match_payments,
)
from ..workbook import read, schema
from ..workbook.files import locks_workbook
from .changes import Changes, apply_to_file
from .update import LoadedBook, assess, invoice_references, last_statement_date, load, update

__all__ = ["FileReport", "ImportResult", "StaleStatement", "import_statements", "statement_gate"]

SOURCE_WORDS = {"camt053": "CAMT.053", "coda": "CODA", "mt940": "MT940"}
#: How many payments "Te controleren" ``betalingen`` lists; the sheet has them all.
MAX_REVIEW_LINES = 20


class StaleStatement(DebiteurenError):
    """Letters that ask for payment would rest on an old bank statement."""

    def __init__(self, last: date, days: int) -> None:
        super().__init__(
            f"Het laatste ingelezen bankafschrift is van {last:%d-%m-%Y}, meer dan {days} "
            "werkdagen geleden. Lees eerst de nieuwe afschriften in (Betalingen importeren), "
            "zodat niemand die al betaalde een brief krijgt; of bevestig bewust dat u doorgaat "
            "(brieven --toch, overdracht --oud-afschrift)."
        )


@dataclass(slots=True)
class FileReport:
    """What one statement file brought in.

    Attributes:
      statements: the statements in the file (checked: balances and totals agree).
      warnings: Dutch sentences, e.g. a statement of an account that is not ours.
    """

    path: Path
    lines: int = 0
    matched: int = 0
    review: int = 0
    duplicates: int = 0
    reversals: int = 0
    error: str = ""
    statements: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportResult:
    """What ``betalingen`` did."""

    files: list[FileReport] = field(default_factory=list)
    rows_added: int = 0
    saved: bool = False
    changes: Changes = field(default_factory=Changes)
    statement_day: date | None = None
    to_review: list = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Return True when a file could not be read."""
        return any(f.error for f in self.files)


@cache
def _holidays(country: str, year: int):
    return holidays.country_holidays(country, years=year)


def working_days_between(start: date, end: date, country: str = "NL") -> int:
    """Return the number of working days after ``start`` up to and including ``end``."""
    days, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in _holidays(country, d.year):
            days += 1
    return days


def statement_gate(data: read.WorkbookData, as_of: date) -> str:
    """Raise StaleStatement when the newest imported statement is too old.

    Returns:
      A Dutch warning when no statement was ever imported (the user types payments in), else "".
    """
    last = last_statement_date(data)
    if last is None:
        return (
            "Er is nog nooit een bankafschrift ingelezen: controleer zelf of de betalingen "
            "op het blad Betalingen bij zijn."
        )
    limit = data.settings.statement_max_age_days
    if working_days_between(last, as_of, str(data.creditor.country)) > limit:
        raise StaleStatement(last, limit)
    return ""


def _base_reference(reference: str) -> str:
    return reference.split("~", 1)[0]


def _existing(tables: dict[str, read.TableData]) -> tuple[set[str], list[dict[str, object]]]:
    """Return the bank references already in Betalingen, and its rows by column key."""
    table = tables.get("Betalingen")
    if table is None:
        return set(), []
    match = schema.match_headers(schema.BETALINGEN, table.headers)
    rows = []
    for i, values in enumerate(table.rows):
        row = {
            key: (values[pos] if pos < len(values) else None) for key, pos in match.index.items()
        }
        row["_row"] = table.first_row + i
        rows.append(row)
    refs = {
        _base_reference(str(r.get("bank_reference") or "")) for r in rows if r.get("bank_reference")
    }
    return refs, rows


@locks_workbook
def import_statements(
    path: str | Path,
    files: Sequence[str | Path],
    *,
    as_of: date,
    now: datetime,
    loaded: LoadedBook | None = None,
    apply: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Import bank statements into Betalingen and match every credit to invoices.

    Every file is read whole and checked (balances, totals) before anything is written; when a
    file cannot be read, nothing at all is imported and the workbook stays as it was. The date
    of the newest statement is kept on Instellingen ("Laatste bankafschrift"), also for a
    statement without credits, for the "recent statement" gate.

    Args:
      path: the workbook.
      files: CAMT.053, CODA or MT940 files (the format is recognised by content).
      as_of: the peildatum for the open amounts the matching compares with.
      now: the current time (backup name).
      loaded: the workbook already read (the open book in Excel); default: read ``path``.
      apply: write the rows into the file; with False they are only returned in
        ``result.changes``.
      progress: called with (phase, done, total) while files are read, lines matched and the
        workbook is written (the command line's progress bar).
    """
    path = Path(path)
    if loaded is None:
        loaded = load(path, as_of, for_writing=apply)
    data = loaded.data
    result = ImportResult()
    parsed: list[tuple[FileReport, StatementFile]] = []
    for n, f in enumerate(files):
        if progress:
            progress("Afschriften lezen", n, len(files))
        report = FileReport(path=Path(f))
        result.files.append(report)
        try:
            statement_file = read_statement_file(f)
        except StatementError as exc:
            report.error = exc.message
            continue
        report.lines = len(statement_file.lines)
        report.statements = list(statement_file.statements)
        report.warnings = _account_warnings(statement_file, data.own_ibans)
        parsed.append((report, statement_file))
    if result.failed or not parsed:
        return result  # a file is read whole or refused whole: nothing is written
    imported, existing = _existing(loaded.tables)
    for report, statement_file in parsed:
        report.error = future_credits(statement_file.lines, imported, as_of)
    if result.failed:
        return result  # refused before anything is written

    days = [f.day for _, f in parsed if f.day is not None]
    newest = max(days) if days else None
    if newest is not None and (data.last_statement is None or newest > data.last_statement):
        _keep_statement_date(loaded, newest, result.changes)
        result.statement_day = newest

    assessment = assess(loaded, as_of)
    open_invoices = _open_invoices(data, assessment)
    claimed = [
        ClaimedAmount(
            debtor=a.debtor,
            invoices=a.invoices,
            amount=a.amount_claimed,
            label=f"het bedrag van de {a.step.value} van {a.on:%d-%m-%Y}",
        )
        for a in data.actions
        if a.step in LETTER_STEPS
        and a.amount_claimed > 0
        and a.invoices
        and counts_from(a) is not None
    ]
    records: list[dict[str, object]] = []
    reversed_rows: dict[int, tuple[str, str]] = {}
    splitter = _Splitter(loaded)
    index = InvoiceIndex(open_invoices, claimed)
    total = sum(len(f.lines) for _, f in parsed)
    done = 0
    for report, statement_file in parsed:
        matches = match_payments(statement_file.lines, index, imported)
        fmt = SOURCE_WORDS.get(statement_file.format, "bankafschrift")
        for m in matches:
            done += 1
            if progress and done % 1000 == 0:
                progress("Koppelen", done, total)
            line = m.line
            if m.status is MatchStatus.DUPLICATE:
                report.duplicates += 1
                continue
            imported.add(line.bank_reference)
            base = _base_record(line, f"{fmt}: {report.path.name}")
            if line.is_reversal:
                report.reversals += 1
                original = _find_reversed(line, existing, records, reversed_rows)
                reason = (
                    f"storno (terugboeking) van de betaling op rij {original}"
                    if isinstance(original, int)
                    else "storno (terugboeking); de oorspronkelijke betaling is niet gevonden"
                )
                records.append(
                    {
                        **base,
                        "bank_reference": line.bank_reference,
                        "status": "Storno" if original is not None else "Te controleren",
                        "reason": reason,
                    }
                )
                continue
            if m.status is MatchStatus.MATCHED:
                report.matched += 1
                invoices = list(m.invoices)
                if len(invoices) > 1:
                    amounts = splitter.split(m.debtor, line.booking_date, invoices, line.amount)
                else:
                    amounts = [line.amount]
                for k, (number, amount) in enumerate(zip(invoices, amounts, strict=True)):
                    records.append(
                        {
                            **base,
                            "amount": amount,
                            "debtor": m.debtor,
                            "invoice": number,
                            "bank_reference": line.bank_reference + (f"~{k + 1}" if k else ""),
                            "status": "Gematcht",
                            "reason": m.reason,
                        }
                    )
            else:
                report.review += 1
                records.append(
                    {
                        **base,
                        "debtor": m.debtor,
                        "bank_reference": line.bank_reference,
                        "status": "Te controleren",
                        "reason": m.reason,
                        "candidates": ", ".join(m.candidates),
                    }
                )
    result.to_review = [r for r in records if r.get("status") == "Te controleren"]
    for reference, text in reversed_rows.values():
        result.changes.set("Betalingen", "bank_reference", reference, "status", "Teruggeboekt")
        result.changes.set("Betalingen", "bank_reference", reference, "reason", text)
    result.changes.add_rows("Betalingen", records)
    result.rows_added = len(records)
    if not result.changes:
        return result
    if apply:
        if progress:
            progress("Koppelen", total, total)
        tables = loaded.tables
        # What the matching needed is not needed for writing: free it first (peak memory).
        del loaded, data, assessment, open_invoices, index, claimed, splitter, parsed, matches
        del existing, imported
        _write(path, tables, result, as_of, now, progress)
    return result


def _write(
    path: Path,
    tables: dict[str, read.TableData],
    result: ImportResult,
    as_of: date,
    now: datetime,
    progress: Callable[[str, int, int], None] | None,
) -> None:
    """Write the new rows and the recomputed columns with one save (``bijwerken`` computes on
    the tables as they will be); in two steps (rows, then ``bijwerken``) where the package
    cannot be patched or python-calamine is missing."""
    if read.fastest_engine() == "calamine":
        from ..workbook import patched, xlsx_patch  # lxml: desktop only

        pending = patched.Pending(tables, result.changes.append, result.changes.cells)
        try:
            update(path, as_of, now=now, progress=progress, pending=pending)
        except xlsx_patch.UnexpectedStructure:
            pass
        else:
            result.saved = True
            return
    result.saved = apply_to_file(path, result.changes, now, tables=tables) is not None
    update(path, as_of, now=now, progress=progress)


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


def _base_record(line: StatementLine, source: str) -> dict[str, object]:
    """The Betalingen columns every row of a statement line has.

    A payer's IBAN is kept only when it is a valid IBAN. A payment in another currency than
    the euro never lands in the euro column: Bedrag stays empty and the Mededeling starts with
    the currency and amount, for the user to fill in what was credited in euro.
    """
    valid = _valid_iban(line.counterparty_iban) if line.counterparty_iban else False
    base: dict[str, object] = {
        "on": line.booking_date,
        "amount": line.amount,
        "text": line.remittance,
        "source": source,
        "payer_name": line.counterparty_name,
        "payer_iban": line.counterparty_iban if valid else "",
        "structured_reference": line.structured_reference,
    }
    if line.currency.upper() != "EUR":
        shown = euro(line.amount).replace("€", line.currency.upper())
        base["amount"] = None
        base["text"] = f"{shown}: {line.remittance}" if line.remittance else shown
    return base


@cache
def _valid_iban(iban: str) -> bool:
    """Return whether ``iban`` is a valid IBAN (asked once per account in a run)."""
    return stdnum_iban.is_valid(iban)


def _open_invoices(data: read.WorkbookData, assessment) -> list[OpenInvoice]:
    """The invoices that can still be paid, with every amount that would settle them."""
    payer_ibans: dict[str, set[str]] = {}
    for p in data.payments:
        if p.payer_iban and stdnum_iban.is_valid(p.payer_iban):
            payer_ibans.setdefault(p.debtor, set()).add(p.payer_iban)
    references = invoice_references(data)
    open_invoices = []
    for number, claim in assessment.claims.items():
        debtor = data.debtors[number]
        ibans = tuple(sorted(set(debtor.ibans) | payer_ibans.get(number, set())))
        for c in claim.invoices:
            if c.outstanding <= 0:
                continue
            ref = references.get(c.invoice.number)
            open_invoices.append(
                OpenInvoice(
                    number=c.invoice.number,
                    debtor=number,
                    open_amount=c.outstanding,
                    due_date=c.invoice.due_date,
                    references=(ref.value,) if ref is not None else (),
                    debtor_ibans=ibans,
                    debtor_name=debtor.name,
                    amounts=(
                        ("de openstaande hoofdsom", c.principal_open),
                        ("de hoofdsom met de kosten", c.principal_open + c.statement.costs_open),
                    ),
                )
            )
    return open_invoices


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


def _is_own_account(account: str, own_ibans: Sequence[str]) -> bool:
    """Return whether a statement's account is one of our IBANs, or the account number that an
    IBAN of ours holds (old files give ``0123456789`` or ``TRIODOSBANK/0123456789``)."""
    compact = "".join(account.split()).upper()
    digits = "".join(ch for ch in compact if ch.isdigit()).lstrip("0")
    for own in own_ibans:
        own = "".join(own.split()).upper()
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
    table = loaded.tables.get("Instellingen")
    present = False
    if table is not None:
        pos = schema.match_headers(schema.INSTELLINGEN, table.headers).index.get("label")
        wanted = schema.normalize_header(label)
        present = pos is not None and any(
            pos < len(row) and schema.normalize_header(str(row[pos] or "")) == wanted
            for row in table.rows
        )
    if present:
        changes.set("Instellingen", "label", label, "value", day)
        return
    setting = schema.setting_by_label(label)
    changes.add_rows(
        "Instellingen", [{"label": label, "value": day, "help": setting.help if setting else ""}]
    )


class _Splitter:
    """Split one payment over several invoices exactly as the engine allocates it.

    Each invoice gets what it owes on the booking day (costs, interest, principal), in the
    order of the match (oldest first); the last invoice also takes what is left. Every row then
    pays its own invoice in full, so Facturen shows per invoice what the Betalingen rows say.
    """

    def __init__(self, loaded: LoadedBook) -> None:
        self.loaded = loaded
        self._rows: dict[str, tuple[list, list, list]] | None = None

    def _of(self, debtor: str) -> tuple[list, list, list]:
        """Return the customer's invoices, payments and actions (grouped once per run)."""
        if self._rows is None:
            d = self.loaded.data
            self._rows = {}
            for k, items in enumerate((d.invoices, d.payments, d.actions)):
                for item in items:
                    self._rows.setdefault(item.debtor, ([], [], []))[k].append(item)
        return self._rows.get(debtor, ([], [], []))

    def split(self, debtor: str, day: date, invoices: list[str], amount: Decimal) -> list[Decimal]:
        """Return the share of each invoice, in the order given."""
        d = self.loaded.data
        own_invoices, own_payments, own_actions = self._of(debtor)
        claim = assess_debtor(
            d.debtors[debtor],
            own_invoices,
            own_payments,
            own_actions,
            d.creditor,
            d.settings,
            self.loaded.rates,
            day,
        )
        owed = {c.invoice.number: max(c.outstanding, ZERO) for c in claim.invoices}
        rest = amount
        shares = []
        for number in invoices:
            share = min(rest, owed.get(number, ZERO))
            shares.append(share)
            rest -= share
        shares[-1] += rest
        return shares


def _find_reversed(
    line: StatementLine,
    existing: list[dict[str, object]],
    records: list[dict[str, object]],
    marked: dict[int, tuple[str, str]],
) -> int | str | None:
    """Find the payment a storno reverses (same payer and amount, counted, not yet reversed)."""
    iban = "".join(line.counterparty_iban.split()).upper()
    for row in reversed(existing):
        status = str(row.get("status") or "").casefold()
        if status in schema.PAYMENT_IGNORED or row["_row"] in marked:
            continue
        same_iban = "".join(str(row.get("payer_iban") or "").split()).upper() == iban
        try:
            same_amount = Decimal(str(row.get("amount"))).quantize(Decimal("0.01")) == line.amount
        except ArithmeticError:
            continue
        if same_iban and same_amount:
            old = str(row.get("reason") or "")
            text = f"teruggeboekt op {line.booking_date:%d-%m-%Y}"
            marked[int(row["_row"])] = (
                str(row.get("bank_reference") or ""),
                f"{old}; {text}" if old else text,
            )
            return int(row["_row"])
    for rec in reversed(records):
        if (
            rec.get("status") == "Gematcht"
            and rec.get("amount") == line.amount
            and rec.get("payer_iban") == line.counterparty_iban
        ):
            rec["status"] = "Teruggeboekt"
            rec["reason"] = f"{rec.get('reason', '')}; teruggeboekt op {line.booking_date:%d-%m-%Y}"
            return "nieuw"
    return None


def month_later(day: date, months: int) -> date:
    """Return the same day ``months`` later (the last day of a shorter month)."""
    import calendar

    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanResult:
    """A payment plan made for a customer."""

    customer: str
    total: Decimal
    instalments: tuple[tuple[int, date, Decimal], ...]
    letter: Path | None
    pdf: Path | None = None
    eml: Path | None = None
    pdf_note: str = ""
    #: Dutch notes, e.g. the law chosen for a consumer abroad (``core/rules/abroad.py``).
    warnings: tuple[str, ...] = ()


@locks_workbook
def payment_plan(
    path: str | Path,
    *,
    customer: str,
    instalments: int,
    first: date,
    as_of: date,
    now: datetime,
    confirm_future: bool = False,
) -> PlanResult:
    """Agree a payment plan: split the customer's claim at ``as_of`` into monthly instalments.

    Writes the schedule to Regelingen, logs the plan in Acties (the ladder pauses while the
    instalments are paid on time; the row is a concept until the confirmation letter is marked
    sent, but the plan counts from the day it was agreed) and produces the confirmation letter
    as .docx, PDF and e-mail draft, like ``brieven``. A day after today is refused unless
    ``confirm_future``.
    """
    from ..core.model import Channel, LetterState, PlanInstalment
    from ..core.rules import chosen_law_notice
    from ..letters import qr as qr_mod  # noqa: F401  (the letter gets a QR for the instalment)
    from ..letters.context import LetterPlan, letter_context
    from ..letters.render import find_template, render_letter
    from .changes import refuse_future
    from .letters import LetterFile, _folder, _qr, file_reference, write_letter

    path = Path(path)
    refuse_future(as_of, now, confirmed=confirm_future)
    if instalments < 1 or instalments > 60:
        raise DebiteurenError("Kies tussen 1 en 60 termijnen.")
    if first < as_of:
        raise DebiteurenError(f"De eerste termijn ({first:%d-%m-%Y}) ligt vóór de peildatum.")
    loaded = load(path, as_of)
    data = loaded.data
    if customer not in data.debtors:
        raise DebiteurenError(f"Klant '{customer}' staat niet op het blad Klanten.")
    if any(p.debtor == customer and p.due_date >= as_of for p in data.plans):
        raise DebiteurenError(
            f"Klant {customer} heeft al een lopende betalingsregeling op het blad Regelingen."
        )
    assessment = assess(loaded, as_of)
    claim = assessment.claims.get(customer)
    if claim is None or claim.outstanding <= 0:
        raise DebiteurenError(f"Klant {customer} heeft niets openstaan.")
    total = claim.outstanding
    amounts = allocate_cents(total, [Decimal(1)] * instalments)
    schedule = tuple((n + 1, month_later(first, n), amounts[n]) for n in range(instalments))
    open_numbers = tuple(c.invoice.number for c in claim.invoices if c.outstanding > 0)
    plan = LetterPlan(
        claim=claim,
        step=Step.PLAN,
        invoices=open_numbers,
        sent_on=as_of,
        language=claim.debtor.language,
        reference_stored={n: r.display for n, r in invoice_references(data).items()},
        instalments=tuple(
            PlanInstalment(debtor=customer, number=n, due_date=d, amount=a) for n, d, a in schedule
        ),
    )
    context = letter_context(plan, data.creditor, data.settings, loaded.rates)
    context["_qr"]["amount"] = schedule[0][2]
    template = find_template("regeling", plan.language)
    content = render_letter(template, context, qr_png=_qr(context))
    folder = _folder(path, data.letter_folder, as_of)
    folder.mkdir(parents=True, exist_ok=True)
    made, pdf_note = write_letter(
        LetterFile(
            debtor=claim.debtor,
            step=Step.PLAN,
            invoices=open_numbers,
            channel=Channel.EMAIL if claim.debtor.email else Channel.POST,
            amount=schedule[0][2],
            deadline=schedule[0][1],
        ),
        content,
        inside(folder, f"{safe_name(customer, distinct=True)}-regeling.docx"),
        data.creditor,
        data.settings,
        as_of,
        now,
    )
    letter = made.docx
    changes = Changes()
    changes.add_rows(
        "Regelingen",
        [{"debtor": customer, "number": n, "due_date": d, "amount": a} for n, d, a in schedule],
    )
    changes.add_rows(
        "Acties",
        [
            {
                "on": as_of,
                "debtor": customer,
                "invoices": ", ".join(open_numbers),
                "step": Step.PLAN.value,
                "channel": made.channel.value,
                "state": LetterState.DRAFT.value,
                "file": file_reference(made.pdf or letter, path),  # type: ignore[arg-type]
                "amount_claimed": total,
                "note": f"Betalingsregeling: {instalments} termijnen vanaf {first:%d-%m-%Y}; "
                "bevestigingsbrief gemaakt, nog niet verstuurd",
            }
        ],
    )
    apply_to_file(path, changes, now)
    update(path, as_of, now=now)
    return PlanResult(
        customer=customer,
        total=total,
        instalments=schedule,
        letter=letter,
        pdf=made.pdf,
        eml=made.eml,
        pdf_note=pdf_note,
        warnings=tuple(filter(None, (chosen_law_notice(claim.debtor, data.creditor),))),
    )


def plural(count: int, one: str, many: str) -> str:
    """Return e.g. ``"1 bijschrijving"`` or ``"3 bijschrijvingen"``."""
    return f"{count} {one if count == 1 else many}"


def import_report(result: ImportResult) -> list[tuple[str, bool]]:
    """Return the Dutch lines ``betalingen`` prints, each with whether it is an error."""
    out: list[tuple[str, bool]] = []
    for f in result.files:
        if f.error:
            out.append((f"{f.path.name}: NIET ingelezen. {f.error}", True))
            continue
        parts = [
            f"{plural(f.lines, 'bijschrijving', 'bijschrijvingen')}",
            f"{f.matched} gekoppeld",
            f"{f.review} te controleren",
            f"{f.duplicates} al eerder ingelezen",
        ]
        if f.reversals:
            parts.append(plural(f.reversals, "storno", "storno's"))
        out.append(
            (f"{f.path.name}: " + "; ".join(parts[:1]) + ", ".join(["", *parts[1:]]) + ".", False)
        )
        for s in f.statements:
            returned = (
                f"; {plural(s.returned, 'eigen terugboeking', 'eigen terugboekingen')} "
                f"({euro(s.returned_total)}) telt niet als betaling"
                if s.returned
                else ""
            )
            day = f" van {s.day:%d-%m-%Y}" if s.day else ""
            checked = (
                "; begin- en eindsaldo kloppen"
                if s.opening is not None and s.closing is not None
                else ""
            )
            out.append(
                (
                    f"  {s.label}{day} ({s.account}): "
                    f"{plural(s.credits, 'bijschrijving', 'bijschrijvingen')} "
                    f"{euro(s.credit_total)}, "
                    f"{plural(s.debits, 'afschrijving', 'afschrijvingen')} {euro(s.debit_total)}"
                    f"{returned}{checked}.",
                    False,
                )
            )
        out += [(f"  Let op: {w}.", False) for w in f.warnings]
    if result.failed:
        out.append(
            (
                "Er is niets ingelezen: een afschrift wordt helemaal gelezen of helemaal niet. "
                "Het werkboek is niet gewijzigd.",
                True,
            )
        )
        return out
    if result.saved:
        out.append(
            (
                f"{plural(result.rows_added, 'rij', 'rijen')} toegevoegd aan het blad "
                "Betalingen; het werkboek is bijgewerkt.",
                False,
            )
        )
    elif not result.changes:
        out.append(("Niets nieuws: het werkboek is niet gewijzigd.", False))
    if result.to_review:
        out.append(
            (
                f"Te controleren ({plural(len(result.to_review), 'betaling', 'betalingen')}; "
                "koppel ze op het blad Betalingen):",
                False,
            )
        )
        shown = result.to_review[:MAX_REVIEW_LINES]
        out += [(f"  {_review_line(r)}", False) for r in shown]
        if len(result.to_review) > len(shown):
            out.append(
                (
                    f"  … en nog {len(result.to_review) - len(shown)}; filter op het blad "
                    "Betalingen de kolom Status op 'Te controleren' voor de hele lijst.",
                    False,
                )
            )
    return out


def _review_line(record: dict[str, object]) -> str:
    """One payment under review: date, amount, payer, text."""
    on = record.get("on")
    amount = record.get("amount")
    shown = euro(amount) if isinstance(amount, Decimal) else "bedrag in vreemde valuta"
    payer = record.get("payer_name") or record.get("payer_iban") or "onbekende betaler"
    day = f"{on:%d-%m-%Y}" if isinstance(on, date) else ""
    text = f" – {record['text']}" if record.get("text") else ""
    return f"{day} {shown} van {payer}{text}".strip()


def held_back_for_review(data: read.WorkbookData, assessment) -> dict[str, list]:
    """Return customer number -> the payments under review that may be theirs.

    ``brieven`` sends such a customer no letter and puts them on no call list until the user
    has linked the payment or confirms (``--ondanks-betaling``): a customer who paid must not
    be written to (:func:`debiteuren.core.review.payments_awaiting_review`).
    """
    from ..core.review import payments_awaiting_review

    if not data.to_review:
        return {}
    ibans: dict[str, set[str]] = {}
    for p in data.payments:
        if p.payer_iban:
            ibans.setdefault(p.debtor, set()).add(p.payer_iban)
    held: dict[str, list] = {}
    for number, claim in assessment.claims.items():
        if claim.outstanding <= 0:
            continue
        amounts = {claim.outstanding, claim.principal_open}
        for c in claim.invoices:
            if c.outstanding > 0:
                amounts |= {c.outstanding, c.principal_open, c.principal}
        found = payments_awaiting_review(
            data.debtors[number],
            data.to_review,
            invoices=[c.invoice.number for c in claim.invoices],
            ibans=ibans.get(number, ()),
            amounts=amounts,
        )
        if found:
            held[number] = found
    return held


def review_lines(payments: Sequence) -> list[str]:
    """Return one Dutch line per payment under review: row, date, amount, payer, text."""
    lines = []
    for p in payments:
        amount = euro(p.amount) if p.amount is not None else "bedrag niet in euro"
        payer = p.payer_name or p.payer_iban or "onbekende betaler"
        day = f"{p.on:%d-%m-%Y} " if p.on else ""
        text = f" – {p.text}" if p.text else ""
        lines.append(f"rij {p.row}: {day}{amount} van {payer}{text}")
    return lines
