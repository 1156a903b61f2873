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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import holidays

from ..core.model import Step
from ..core.money import ZERO, Decimal, allocate_cents
from ..errors import DebiteurenError
from ..filenames import inside, safe_name
from ..payments import StatementError, StatementLine, detect_format, read_statement
from ..payments.matching import MatchStatus, OpenInvoice, match_payments
from ..workbook import read, schema
from ..workbook.files import atomic_write, locks_workbook
from .changes import Changes, apply_to_file
from .update import LoadedBook, assess, invoice_references, last_statement_date, load, update

__all__ = ["FileReport", "ImportResult", "StaleStatement", "import_statements", "statement_gate"]

SOURCE_WORDS = {"camt053": "CAMT.053", "coda": "CODA", "mt940": "MT940"}


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
    """What one statement file brought in."""

    path: Path
    lines: int = 0
    matched: int = 0
    review: int = 0
    duplicates: int = 0
    reversals: int = 0
    error: str = ""


@dataclass(slots=True)
class ImportResult:
    """What ``betalingen`` did."""

    files: list[FileReport] = field(default_factory=list)
    rows_added: int = 0
    saved: bool = False
    changes: Changes = field(default_factory=Changes)

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
) -> ImportResult:
    """Import bank statements into Betalingen and match every credit to invoices.

    Args:
      path: the workbook.
      files: CAMT.053, CODA or MT940 files (the format is recognised by content).
      as_of: the peildatum for the open amounts the matching compares with.
      now: the current time (backup name).
      loaded: the workbook already read (the open book in Excel); default: read ``path``.
      apply: write the rows into the file; with False they are only returned in
        ``result.changes``.
    """
    path = Path(path)
    if loaded is None:
        loaded = load(path, as_of, for_writing=apply)
    data = loaded.data
    result = ImportResult()
    parsed: list[tuple[FileReport, list[StatementLine]]] = []
    for f in files:
        report = FileReport(path=Path(f))
        try:
            lines = read_statement(f)
        except StatementError as exc:
            report.error = exc.message
            result.files.append(report)
            continue
        report.lines = len(lines)
        parsed.append((report, lines))
        result.files.append(report)
    if not parsed:
        return result

    assessment = assess(loaded, as_of)
    imported, existing = _existing(loaded.tables)
    payer_ibans: dict[str, set[str]] = {}
    for p in data.payments:
        if p.payer_iban:
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
            refs = [ref.value] if ref is not None else []
            open_invoices.append(
                OpenInvoice(
                    number=c.invoice.number,
                    debtor=number,
                    open_amount=c.outstanding,
                    due_date=c.invoice.due_date,
                    references=tuple(refs),
                    debtor_ibans=ibans,
                )
            )
    records: list[dict[str, object]] = []
    reversed_rows: dict[int, tuple[str, str]] = {}
    for report, lines in parsed:
        matches = match_payments(lines, open_invoices, imported)
        report.error = future_credits(matches, as_of)
        if report.error:  # refused whole, before anything is written
            continue
        kind = report.path.name
        fmt = SOURCE_WORDS.get(
            detect_format(report.path.read_bytes(), source=kind), "bankafschrift"
        )
        for m in matches:
            line = m.line
            base = {
                "on": line.booking_date,
                "amount": line.amount,
                "text": line.remittance,
                "source": f"{fmt}: {kind}",
                "payer_name": line.counterparty_name,
                "payer_iban": line.counterparty_iban,
                "structured_reference": line.structured_reference,
            }
            if m.status is MatchStatus.DUPLICATE:
                report.duplicates += 1
                continue
            imported.add(line.bank_reference)
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
                    amounts = _split(line.amount, invoices, open_invoices)
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
    if not records and not reversed_rows:
        return result
    for reference, text in reversed_rows.values():
        result.changes.set("Betalingen", "bank_reference", reference, "status", "Teruggeboekt")
        result.changes.set("Betalingen", "bank_reference", reference, "reason", text)
    result.changes.add_rows("Betalingen", records)
    result.rows_added = len(records)
    if apply:
        result.saved = apply_to_file(path, result.changes, now) is not None
        update(path, as_of, now=now)
    return result


def future_credits(matches: Sequence[object], as_of: date) -> str:
    """Return a Dutch refusal when a new line of a statement is dated after ``as_of``, else "".

    The workbook cannot hold a payment after its peildatum, so such a statement is not read at
    all (the user imports it again with a later peildatum).
    """
    late = [
        m.line  # type: ignore[attr-defined]
        for m in matches
        if m.status is not MatchStatus.DUPLICATE and m.line.booking_date > as_of  # type: ignore[attr-defined]
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


def _split(amount: Decimal, invoices: list[str], open_invoices: list[OpenInvoice]) -> list[Decimal]:
    """Split a payment over invoices by their open amounts (the match was on their total)."""
    opens = {i.number: i.open_amount for i in open_invoices}
    weights = [opens.get(n, ZERO) for n in invoices]
    if sum(weights, ZERO) == amount:
        return weights
    return allocate_cents(amount, weights)


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


@locks_workbook
def payment_plan(
    path: str | Path, *, customer: str, instalments: int, first: date, as_of: date, now: datetime
) -> PlanResult:
    """Agree a payment plan: split the customer's claim at ``as_of`` into monthly instalments.

    Writes the schedule to Regelingen, logs the plan in Acties (the ladder pauses while the
    instalments are paid on time) and produces the confirmation letter.
    """
    from ..core.model import PlanInstalment
    from ..letters import qr as qr_mod  # noqa: F401  (the letter gets a QR for the instalment)
    from ..letters.context import LetterPlan, letter_context
    from ..letters.render import find_template, render_letter
    from .letters import _folder, _qr

    path = Path(path)
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
        reference_stored={i.number: i.reference for i in data.invoices},
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
    letter = inside(folder, f"{safe_name(customer, distinct=True)}-regeling.docx")
    atomic_write(letter, lambda tmp: tmp.write_bytes(content))
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
                "channel": "post",
                "file": str(letter.relative_to(path.parent)),
                "amount_claimed": total,
                "note": f"Betalingsregeling: {instalments} termijnen vanaf {first:%d-%m-%Y}",
            }
        ],
    )
    apply_to_file(path, changes, now)
    update(path, as_of, now=now)
    return PlanResult(customer=customer, total=total, instalments=schedule, letter=letter)
