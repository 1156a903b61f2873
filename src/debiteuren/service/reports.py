"""The Dutch lines that say what a use case did: made here once, for the command line and Excel.

Each use case's result becomes a :class:`Report`: the ``lines`` the command prints (an error
line goes to stderr) and the Excel button shows in its message box, the ``status`` line of
Excel's status bar, and the command's exit code. The two front ends differ only in how the user
takes the next step (``debiteuren verzonden BOEK`` on the command line, the Verzonden button in
Excel: :class:`Front`), and in how long a list may be (a message box shows the first
:data:`SHOWN` lines of a list).

A line marked ``box=False`` repeats what the status bar already says (the totals of an update);
the message box leaves it out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from ..core.money import Decimal, total
from ..core.watch import limitation_warnings
from ..formatting import euro, short_date, whole_number
from ..letters.outbox import DROPPED, NOT_SENT
from ..untrusted import one_line
from ..workbook import schema
from ..workbook.changes import Changes
from ..workbook.schema import PaymentRecord

if TYPE_CHECKING:  # the results' modules are imported by their use cases, not here (Pyodide)
    from ..core.model import Debtor
    from .demo import DemoResult
    from .einvoice import ImportResult as InvoiceImport
    from .export import ExportResult
    from .handover import HandoverResult
    from .letters import HeldLetter, LettersResult
    from .payments import ImportResult
    from .plan import PlanResult
    from .sent import MarkResult
    from .update import UpdateResult

__all__ = [
    "SHOWN",
    "Front",
    "Line",
    "Report",
    "and_list",
    "lines",
    "plural",
    "report",
    "review_lines",
]

#: At most this many lines of one list go into an Excel message box.
SHOWN = 15
#: How many payments "Te controleren" ``betalingen`` lists on the command line.
MAX_REVIEW_LINES = 20


class Front(StrEnum):
    """Where the user reads the report."""

    CLI = "cli"
    EXCEL = "excel"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a report.

    Attributes:
      error: the command prints it to stderr.
      box: Excel shows it in the message box (False: the status bar says it already).
    """

    text: str
    error: bool = False
    box: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """What a use case did, in Dutch."""

    status: str = ""
    lines: tuple[Line, ...] = ()
    exit_code: int = 0

    @property
    def notes(self) -> tuple[str, ...]:
        """Return the lines of Excel's message box."""
        return tuple(line.text for line in self.lines if line.box)


@dataclass(slots=True)
class _Lines:
    """Lines being collected for one front end."""

    front: Front
    out: list[Line] = field(default_factory=list)

    def add(self, text: str, *, error: bool = False, box: bool = True) -> None:
        """Add a line; text from the data (a name with a line break) cannot break it."""
        self.out.append(Line(one_line(text), error, box))

    def labelled(self, label: str, value: object) -> None:
        """Add ``label: value`` when there is a value (a file made, a folder)."""
        if value:
            self.add(f"{label}: {value}")

    def warnings(self, texts: Iterable[str]) -> None:
        """Add a ``Let op: …`` line per warning."""
        for text in texts:
            self.add(f"Let op: {text}")

    def listed(self, texts: Sequence[str], indent: str = "", error: bool = False) -> None:
        """Add a list: all of it on the command line (indented), the first SHOWN lines in
        Excel (as bullets)."""
        indent = indent or ("  " if self.front is Front.CLI else "• ")
        shown = texts if self.front is Front.CLI else texts[:SHOWN]
        for text in shown:
            self.add(f"{indent}{text}", error=error)
        if len(texts) > len(shown):
            self.add(f"{indent}en {len(texts) - len(shown)} meer", error=error)


#: The most characters of a customer's name in a line of a report.
NAME_WIDTH = 60


def _name(debtor: Debtor) -> str:
    """Return a customer's name as a line of a report shows it: one line, a long name cut."""
    return one_line(debtor.name.strip(), NAME_WIDTH)


def plural(count: int, one: str, many: str) -> str:
    """Return e.g. ``"1 bijschrijving"`` or ``"3 bijschrijvingen"``."""
    return f"{count} {one if count == 1 else many}"


def and_list(items: Sequence[str]) -> str:
    """Return ``a, b en c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


#: The result class (``module.Class``) -> the function that reports it. Keyed by name, so that
#: this module imports no use case: the statement and e-invoice readers need lxml, which the
#: xlwings Lite front end (Pyodide) does not have.
_REPORTS: dict[str, Callable[..., Report]] = {}


def _reports(kind: str) -> Callable[[Callable[..., Report]], Callable[..., Report]]:
    """Register the function below as the report of ``debiteuren.service.<kind>``."""

    def register(function: Callable[..., Report]) -> Callable[..., Report]:
        _REPORTS[f"debiteuren.{kind}"] = function
        return function

    return register


def report(result: object, front: Front = Front.CLI, **hints: object) -> Report:
    """Return the report of a use case's result (see the functions registered below)."""
    kind = type(result)
    function = _REPORTS.get(f"{kind.__module__}.{kind.__qualname__}")
    if function is None:
        raise TypeError(f"no report for {kind.__name__}")
    return function(result, front, **hints)


def lines(result: object, front: Front = Front.CLI, **hints: object) -> tuple[Line, ...]:
    """Return the lines of a use case's result."""
    return report(result, front, **hints).lines


# --- bijwerken ----------------------------------------------------------------------------------


@_reports("service.update.UpdateResult")
def _update(result: UpdateResult, front: Front = Front.CLI, *, saved_line: bool = True) -> Report:
    if getattr(result, "unchanged", False):
        return _unchanged(result, front)
    out = _Lines(front)
    ov = result.overview
    out.add(
        f"Peildatum {short_date(result.as_of)}: "
        f"{_open_invoices(ov.invoices_open, ov.invoices_overdue, len(ov.debtors))}.",
        box=False,
    )
    out.add(
        f"Openstaande hoofdsom {euro(ov.principal_open)}, rente {euro(ov.interest_open)}, "
        f"kosten {euro(ov.costs_open)}; totaal te vorderen {euro(ov.outstanding)}.",
        box=False,
    )
    if saved_line:
        out.add(_saved(result), box=False)
    watch = ov.watch
    limitation = [
        w.message
        for w in (watch.limitation if watch is not None else limitation_warnings(result.assessment))
    ]
    if front is Front.EXCEL:  # grouped under a heading each, as bullets
        for heading, texts in (
            ("Verbeterd in het werkboek:", result.tidied),
            ("Let op, verjaring:", limitation),
            ("Let op, rentepercentages:", result.warnings),
        ):
            if texts:
                out.add(heading)
                out.listed(list(texts))
    else:
        for text in result.tidied:
            out.add(f"Verbeterd: {text}")
        if len(limitation) <= SHOWN_WARNINGS:
            for text in limitation:
                out.add(f"Let op, verjaring: {text}")
        else:  # at 50,000 invoices one line each printed megabytes
            out.add(
                f"Let op, verjaring: {whole_number(len(limitation))} facturen verjaren binnenkort "
                f"of zijn verjaard; zie het blad Overzicht. De eerste {SHOWN_WARNINGS}:"
            )
            out.listed(limitation[:SHOWN_WARNINGS])
        out.warnings(result.warnings)
    _checks(out, result.checks)
    _credits(out, len(ov.credits), ov.credit_total)
    _refunded(out, len(ov.refunded), ov.refunded_total)
    _review(out, result.to_review)
    status = (
        f"Bijgewerkt op {short_date(result.as_of)}: "
        f"{plural(ov.invoices_open, 'open factuur', 'open facturen')} "
        f"({ov.invoices_overdue} vervallen), totaal te vorderen {euro(ov.outstanding)}; "
        f"{plural(result.cells_changed, 'cel', 'cellen')} gewijzigd."
    )
    return Report(status=status, lines=tuple(out.out))


#: How many limitation warnings the command line prints before it sums up the rest.
SHOWN_WARNINGS = 5


def _checks(out: _Lines, checks: Sequence[str]) -> None:
    """Add what the book records that the user should check, each line naming sheet, row and
    column (:func:`.pipeline.book_warnings`): on the command line one ``Let op`` line each, or,
    with more than :data:`SHOWN_WARNINGS`, their number and the first ones (all of them are on
    the Overzicht); in Excel under a heading."""
    if not checks:
        return
    if out.front is Front.EXCEL:
        out.add("Te controleren in het werkboek:")
        out.listed(list(checks))
    elif len(checks) <= SHOWN_WARNINGS:
        out.warnings(checks)
    else:
        out.add(
            f"Let op: {whole_number(len(checks))} meldingen over het werkboek; zie het blad "
            f"Overzicht onder Te controleren in het werkboek. De eerste {SHOWN_WARNINGS}:"
        )
        out.listed(list(checks[:SHOWN_WARNINGS]))


def _credits(out: _Lines, customers: int, amount: Decimal) -> None:
    """Add the line on the customers who paid more than they owe (tegoed), when there are any:
    money the business holds for them, listed on the Overzicht."""
    if customers:
        many = f"{whole_number(customers)} klanten hebben samen"
        who = "1 klant heeft" if customers == 1 else many
        out.add(f"{who} {euro(amount)} tegoed (te veel betaald); zie het Overzicht.")


def _refunded(out: _Lines, customers: int, amount: Decimal) -> None:
    """Add the line on the customers who were paid back more than they paid, when any."""
    if customers:
        many = f"{whole_number(customers)} klanten kregen samen"
        who = "1 klant kreeg" if customers == 1 else many
        out.add(
            f"Let op: {who} {euro(amount)} meer terugbetaald dan er van hen op Betalingen staat; "
            "zie het Overzicht."
        )


def _stored_count(summary: Mapping[str, str], key: str) -> int:
    """Return a count from the stored summary (0 when missing or not a number)."""
    text = summary.get(key, "0")
    return int(text) if text.isascii() and text.isdigit() else 0


def _stored_amount(summary: Mapping[str, str], key: str) -> Decimal:
    """Return an amount from the stored summary (0 when missing or not an amount)."""
    try:
        amount = Decimal(summary.get(key, "0"))
    except ArithmeticError:
        return Decimal(0)
    return amount if amount.is_finite() else Decimal(0)


def _saved(result: UpdateResult) -> str:
    """Return the line that says what ``bijwerken`` saved, or that it saved nothing."""
    if not result.saved:
        return f"Niets veranderd; {result.path.name} is niet opnieuw opgeslagen."
    backup = f" (reservekopie: {result.backup.name})." if result.backup else "."
    # No Facturen cell changed, yet the book was saved: the Overzicht (its peildatum) was.
    what = (
        plural(result.cells_changed, "cel", "cellen")
        if result.cells_changed
        else "Alleen het Overzicht"
    )
    return f"{what} bijgewerkt in {result.path.name}{backup}"


def _drafts_wait(count: int) -> str:
    """Return the sentence on drafts that count only once sent, for one draft or more."""
    if count == 1:
        return (
            "staat als concept: hij telt pas als hij verstuurd is. Post u hem of verstuurt u "
            "het e-mailconcept"
        )
    return (
        "staan als concept: ze tellen pas als ze verstuurd zijn. Post u ze of verstuurt u de "
        "e-mailconcepten"
    )


def _open_invoices(invoices: int, overdue: int, customers: int) -> str:
    """Return e.g. ``"1 open factuur (1 vervallen) bij 1 klant"``."""
    return (
        f"{plural(invoices, 'open factuur', 'open facturen')} ({overdue} vervallen) bij "
        f"{plural(customers, 'klant', 'klanten')}"
    )


def _unchanged(result: UpdateResult, front: Front) -> Report:
    """Report a run that the stored digests recognised as up to date (nothing assessed)."""
    out = _Lines(front)
    s = result.summary or {}
    day = short_date(result.as_of)
    try:
        total = euro(Decimal(s["totaal"]))
        out.add(
            f"Peildatum {day}: "
            f"{_open_invoices(int(s['open']), int(s['vervallen']), int(s['klanten']))}.",
            box=False,
        )
        out.add(
            f"Openstaande hoofdsom {euro(Decimal(s['hoofdsom']))}, rente "
            f"{euro(Decimal(s['rente']))}, kosten {euro(Decimal(s['kosten']))}; totaal te "
            f"vorderen {total}.",
            box=False,
        )
        status = f"Bijgewerkt op {day}: niets veranderd; totaal te vorderen {total}."
    except (KeyError, ArithmeticError, TypeError, ValueError):
        status = f"Bijgewerkt op {day}: niets veranderd."
    out.add(
        "Niets veranderd sinds de vorige keer bijwerken met deze peildatum; "
        f"{result.path.name} is niet opnieuw opgeslagen."
    )
    limitation, rates = _stored_count(s, "verjaring"), _stored_count(s, "rentewaarschuwingen")
    if limitation:
        out.add(
            f"Let op, verjaring: {whole_number(limitation)} "
            f"{'factuur verjaart' if limitation == 1 else 'facturen verjaren'} binnenkort of "
            f"{'is' if limitation == 1 else 'zijn'} verjaard; zie het blad Overzicht."
        )
    if rates:
        out.add(
            f"Let op: {rates} {'waarschuwing' if rates == 1 else 'waarschuwingen'} over "
            "rentepercentages; zie het blad Overzicht onder Rentepercentages."
        )
    checks = _stored_count(s, "controleren_werkboek")
    if checks:
        out.add(
            f"Let op: {plural(checks, 'melding', 'meldingen')} over het werkboek; zie het blad "
            "Overzicht onder Te controleren in het werkboek."
        )
    _credits(out, _stored_count(s, "tegoed_klanten"), _stored_amount(s, "tegoed"))
    _refunded(out, _stored_count(s, "terugbetaald_klanten"), _stored_amount(s, "terugbetaald"))
    _review(out, result.to_review)
    return Report(status=status, lines=tuple(out.out))


def review_lines(payments: Sequence) -> list[str]:
    """Return one Dutch line per payment under review: row, date, amount, payer, text."""
    out = []
    for p in payments:
        amount = euro(p.amount) if p.amount is not None else "bedrag niet in euro"
        out.append(
            f"rij {p.row}: {_payment_shown(p.on, amount, p.payer_name or p.payer_iban, p.text)}"
        )
    return out


#: The most characters of a payer and of a payment's text in a line under review: a bank's
#: name or text of 20,000 characters made a line of as many (the sheet keeps them whole).
REVIEW_PAYER_CHARS = 70
REVIEW_TEXT_CHARS = 140


def _payment_shown(on: date | None, amount: str, payer: str, text: str) -> str:
    """Return a payment under review as one line: date, amount, payer, text (both cut)."""
    payer = one_line(payer, REVIEW_PAYER_CHARS) if payer else "onbekende betaler"
    text = f" – {one_line(text, REVIEW_TEXT_CHARS)}" if text else ""
    day = f"{on:%d-%m-%Y} " if on else ""
    return f"{day}{amount} van {payer}{text}".strip()


#: How a payment under review is linked: said wherever such payments are listed.
_HOW_TO_LINK = (
    "Koppelen: vul op die rij Klantnr of Factuurnr in (de kolom Kandidaten noemt de facturen "
    "die in aanmerking komen) en zet de Status op Gematcht. Is het geen betaling van een klant "
    "(rente van de bank, een leverancier), zet de Status dan op Geen klant."
)


def _review(out: _Lines, to_review: Sequence, held_back: Mapping[str, list] | None = None) -> None:
    """Add the payments still "Te controleren", and who is held back because of them."""
    if not to_review:
        return
    count = plural(len(to_review), "betaling", "betalingen")
    verb = "is" if len(to_review) == 1 else "zijn"
    out.add(
        f"Te controleren op het blad Betalingen: {count} die nog niet aan een factuur "
        f"gekoppeld {verb}:"
    )
    out.listed(review_lines(to_review))
    out.add(_HOW_TO_LINK)
    _held_back(out, held_back)


def _held_back(out: _Lines, held_back: Mapping[str, list] | None) -> None:
    """Add the customers who get no letter because a payment under review may be theirs."""
    flag = (
        "--ondanks-betaling" if out.front is Front.CLI else "de opdracht brieven --ondanks-betaling"
    )
    for number, payments in (held_back or {}).items():
        rows = ", ".join(str(p.row) for p in payments)
        out.add(
            f"Klant {number} krijgt geen brief en staat niet op de belijst: de betaling op "
            f"rij {rows} van het blad Betalingen kan van deze klant zijn. Koppel die eerst, "
            f"of ga bewust door met {flag}."
        )


def _held(out: _Lines, held: Sequence[HeldLetter]) -> None:
    """Add the letters that are due but were not made, each with its reason."""
    if held:
        out.add("Niet gemaakt:")
        out.listed(
            [f"{h.debtor.number} {_name(h.debtor)}: {h.step.value}: {h.reason}." for h in held]
        )


# --- brieven ------------------------------------------------------------------------------------

#: ``--stap`` word -> (one, several), for Excel's status bar.
_STEP_WORDS = {
    "herinnering": ("herinnering", "herinneringen"),
    "aanmaning": ("aanmaning", "aanmaningen"),
}


@_reports("service.letters.LettersResult")
def _letters(
    result: LettersResult,
    front: Front = Front.CLI,
    *,
    book: str = "",
    step: str = "",
    as_of: date | None = None,
    sent_on: date | None = None,
    program: str = "debiteuren",
) -> Report:
    """``book`` and ``program`` are written as the user can paste them (the command line
    quotes a path with spaces and names the program as it was started: .venv/bin/debiteuren);
    ``sent_on``: the letters' date when it is after today (:func:`_sent_day`)."""
    out = _Lines(front)
    if result.gate_note:
        out.add(f"Let op: {result.gate_note}")
    _review(out, result.to_review, result.held_back)
    out.warnings(result.warnings)
    _checks(out, result.checks)
    _kept(out, result)
    if not result.letters and not result.calls and not result.held:
        out.add("Er zijn vandaag geen brieven of telefoontjes aan de beurt.")
        _waiting(out, result, f"{program} verzonden {book}")
        return Report(status=_letters_status(result, step, as_of), lines=tuple(out.out))
    _made(out, result)
    _waiting(out, result, f"{program} verzonden {book}")
    if not result.dry_run:
        _files(out, result, f"{program} verzonden {book}", sent_on)
    code = 1 if (result.failed or result.held or result.unsent) and not result.dry_run else 0
    return Report(status=_letters_status(result, step, as_of), lines=tuple(out.out), exit_code=code)


def _made(out: _Lines, result: LettersResult) -> None:
    """Add the letters made (or that a preview would make), those held, and the calls."""
    verb = "zou maken" if result.dry_run else "gemaakt"
    out.add(f"Brieven ({verb}):" if result.letters else "Geen brieven.")
    made = []
    for w in result.letters:
        status = ""
        if w.sent:
            status = f" – verzonden, maar {w.refused}" if w.refused else " – verzonden"
        elif w.error:
            status = " – NIET verzonden"
        elif w.instead_of_email:
            status = " – per post, omdat de e-mail niet aankwam"
        n = len(w.invoices)
        made.append(
            f"{w.debtor.number} {_name(w.debtor)}: {w.step.value} ({w.channel.value}), "
            f"{n} factu{'ren' if n > 1 else 'ur'}, {euro(w.amount)}{status}"
        )
    out.listed(made)
    _held(out, result.held)
    if result.calls:
        out.add("Bellen:")
        calls = [
            f"{c.debtor.number} {_name(c.debtor)} ({c.debtor.phone}): {euro(c.outstanding)}"
            for c in result.calls
        ]
        out.listed(calls)
    if result.dry_run:
        out.add("Proef: er is niets geschreven.")


def _kept(out: _Lines, result: LettersResult) -> None:
    """Add the letters ``--opnieuw`` did not make again because they went out."""
    if not result.kept:
        return
    out.add(
        "Niet opnieuw gemaakt, want al verzonden (het bestand blijft de brief zoals de klant "
        "hem kreeg):"
    )
    out.listed(
        [
            f"{a.debtor} {a.step.value} van {a.on:%d-%m-%Y}"
            + (f", verzonden op {a.sent_on:%d-%m-%Y}" if a.sent_on else "")
            for a in result.kept
        ]
    )


def _waiting(out: _Lines, result: LettersResult, mark_sent: str) -> None:
    """Add the customers who get no new letter because an earlier one is still a draft;
    ``mark_sent`` is the command that marks them sent, up to its options."""
    if not result.waiting:
        return
    logged = result.in_send_log
    took = [n for n in result.waiting if n in logged and logged[n][0]]
    rest = [n for n in result.waiting if n not in took]
    cli = out.front is Front.CLI
    # beside a send log the hint names its letters: those the log names as sent get their own
    only = f" {_klant(rest)}" if logged and rest else ""
    how = f"leg dat vast met: {mark_sent}{only} [--op DATUM]" if cli else "klik dan op Verzonden"
    n = len(result.waiting)
    out.add(
        f"Geen nieuwe brief voor {plural(n, 'klant', 'klanten')}: "
        f"{'hun eerdere brieven staan' if n > 1 else 'de eerdere brief staat'} nog als concept op "
        "het blad Acties."
        + (f" {'Zijn ze' if len(rest) > 1 else 'Is hij'} verstuurd, {how}." if rest else "")
    )
    for day in sorted({logged[n][1] for n in took}):
        on_day = [n for n in took if logged[n][1] == day]
        how = (
            f"leg dat vast met: {mark_sent} {_klant(on_day)} --op {day.isoformat()}"
            if cli
            else f"klik dan op Verzonden (verzonden op {day:%d-%m-%Y})"
        )
        out.add(
            f"Volgens het verzendlog nam de mailserver op {day:%d-%m-%Y} de e-mail aan "
            f"{and_list(on_day)} aan, maar de opdracht die {'ze' if len(on_day) > 1 else 'hem'} "
            f"verstuurde stopte voordat ze dat op het blad Acties vastlegde: {how}."
        )
    unknown = [n for n in rest if n in logged]
    if unknown:
        out.add(
            f"Het verzendlog noemt niet dat de mailserver de e-mail aan {and_list(unknown)} "
            f"aannam: {'ze zijn' if len(unknown) > 1 else 'hij is'} niet (zeker) verstuurd. "
            "Kijk bij de verzonden e-mails van de mailserver voordat u "
            f"{'ze' if len(unknown) > 1 else 'hem'} zelf verstuurt."
        )


def _files(out: _Lines, result: LettersResult, mark_sent: str, sent_on: date | None = None) -> None:
    """Add where the letters are, what was logged, and what was not sent (``sent_on``: the
    letters' date when it is after today, for the ``verzonden`` hint: :func:`_sent_day`)."""
    out.add(f"Map: {result.folder}")
    if result.merged:
        names = ", ".join(f"{w.debtor.number} {w.step.value}" for w in result.printed)
        out.add(f"Afdrukken: {result.merged.name} ({names})")
        out.labelled("Afdrukken als PDF", result.merged_pdf and result.merged_pdf.name)
    if result.call_list_kept and result.call_list:
        out.add(
            f"Belijst: {result.call_list.name} (al gemaakt met dezelfde gesprekken; niet "
            "overschreven, wat u erin schreef blijft staan)"
        )
    else:
        out.labelled("Belijst", result.call_list and result.call_list.name)
    if result.pdf_note:
        out.add(result.pdf_note)
    if result.logged:
        n = result.logged
        out.add(f"{n} brie{'ven' if n != 1 else 'f'} vastgelegd op het blad Acties.")
        drafts = [w for w in result.letters if not w.sent and not w.error]
        if drafts and out.front is Front.CLI:
            # beside e-mails that were not sent (concepts too), the hint names its letters:
            # 'verzonden' without --klant would mark those e-mails sent as well
            numbers = [w.debtor.number for w in drafts]
            only = f" {_klant(numbers)}" if result.unsent and numbers else ""
            out.add(
                f"{len(drafts)} daarvan {_drafts_wait(len(drafts))}, leg dat dan vast met: "
                f"{mark_sent}{only}{_sent_day(sent_on) or ' [--op DATUM]'}"
            )
        elif drafts:
            out.add(
                "De brieven staan als concept op het blad Acties: ze tellen pas als ze verstuurd "
                "zijn. Hebt u ze gepost of de e-mails verstuurd, klik dan op Verzonden. Sla het "
                "werkboek op."
            )
    _failed(out, result)
    _unsent(out, result, mark_sent + _sent_day(sent_on))


def _sent_day(sent_on: date | None) -> str:
    """Return the options of a ``verzonden`` hint for letters dated ``sent_on``, a day after
    today (``--toekomst``): they cannot be marked sent before it, and ``verzonden`` takes a
    later day only with --toekomst. "" for letters that may be marked sent today."""
    return f" --op {sent_on.isoformat()} --toekomst" if sent_on else ""


def _unsent(out: _Lines, result: LettersResult, mark_sent: str) -> None:
    """Add the e-mails the run could not send because the connection to the mail server
    dropped: concepts, each with what the user does now."""
    unsent = result.unsent
    if not unsent:
        return
    n = len(unsent)
    dropped = all(w.error in NOT_SENT for w in unsent)  # else the server said 4xx: later
    why = (
        "omdat de verbinding met de mailserver werd verbroken"
        if dropped
        else "omdat de verbinding met de mailserver werd verbroken of de server ze nu niet aannam"
    )
    out.add(
        f"{n} e-mail{'s' if n != 1 else ''} niet verstuurd, {why}; ze staan als concept op het "
        "blad Acties en tellen niet mee:",
        error=True,
    )
    out.listed(
        [f"{w.debtor.number} {_name(w.debtor)} ({w.step.value}): {w.error}" for w in unsent],
        error=True,
    )
    drafts = ", ".join(w.eml.name for w in unsent if w.eml is not None)
    customers = _klant(w.debtor.number for w in unsent)
    doubt = [w.debtor.number for w in unsent if w.error == DROPPED]
    check = (
        f" (kijk voor {and_list(doubt)} eerst bij de verzonden e-mails: die kan al zijn aangekomen)"
        if doubt
        else ""
    )
    out.add(
        f"Verstuur die e-mailconcepten ({drafts}, in {result.folder}) zelf vanuit uw "
        f"mailprogramma{check} en leg dat vast met: "
        + (f"{mark_sent} {customers}" if out.front is Front.CLI else "de knop Verzonden")
        + ". Een nieuwe 'brieven --verstuur' verstuurt ze niet: een concept wacht op verzending.",
        error=True,
    )


def _failed(out: _Lines, result: LettersResult) -> None:
    """Add the e-mails the server refused, and the send log."""
    if result.failed:
        if out.front is Front.CLI:
            out.add("", error=True)
        n = len(result.failed)
        in_file = f" {result.merged.name}" if result.merged else ""
        out.add(
            f"{n} e-mail{'s' if n != 1 else ''} niet verzonden; ze tellen niet mee en staan als "
            f"brief voor de post in het afdrukbestand{in_file}:",
            error=True,
        )
        out.listed(
            [
                f"{w.debtor.number} {_name(w.debtor)} ({w.step.value}): {w.error}"
                for w in result.failed
            ],
            error=True,
        )
    out.labelled("Verzendlog", result.send_log)


def _letters_status(result: LettersResult, step: str, as_of: date | None) -> str:
    one, several = _STEP_WORDS.get(step, ("brief", "brieven"))
    day = short_date(as_of) if as_of else "vandaag"
    if not result.letters:
        if result.held:
            return f"Er zijn op {day} geen {several} gemaakt."
        return f"Er zijn op {day} geen {several} aan de beurt."
    n = len(result.letters)
    return (
        f"{n} {one if n == 1 else several} gemaakt en vastgelegd op het blad Acties; "
        f"map {result.folder}."
    )


# --- verzonden ----------------------------------------------------------------------------------


@_reports("service.sent.MarkResult")
def _sent(result: MarkResult, front: Front = Front.CLI, *, chosen: bool = False) -> Report:
    out = _Lines(front)
    if not result.marked:
        text = "Er staan geen brieven als concept klaar" + (" die u koos." if chosen else ".")
        out.add(text)
        _unsent_emails(out, result)
        return Report(status=text, lines=tuple(out.out))
    verb = "zou markeren als" if result.dry_run else "gemarkeerd als"
    out.add(f"Brieven {verb} verzonden op {short_date(result.sent_on)}:")
    marked = []
    for m in result.marked:
        a = m.action
        term = f"; termijn tot en met {short_date(m.deadline)}" if m.deadline else ""
        marked.append(
            f"{a.debtor} {_name(m.debtor)}: {a.step.value} ({a.channel.value}) van "
            f"{short_date(a.on)}{term}"
        )
    out.listed(marked)
    for m in result.marked:
        for warning in (m.warning, m.paid_since, m.missing):
            if warning:
                out.add(f"Let op: {warning}.")
    if result.waiting:
        n = len(result.waiting)
        out.add(f"Nog als concept: {n} brie{'ven' if n != 1 else 'f'}.")
    _unsent_emails(out, result)
    if result.dry_run:
        out.add("Proef: er is niets geschreven.")
    n = len(result.marked)
    status = (
        f"{n} brie{'ven' if n != 1 else 'f'} als verzonden vastgelegd op "
        f"{short_date(result.sent_on)}; sla het werkboek op."
    )
    return Report(status=status, lines=tuple(out.out))


def _klant(numbers: Iterable[str]) -> str:
    """Return the ``--klant`` options that name these customers: ``--klant K001 --klant K003``."""
    return " ".join(f"--klant {n}" for n in numbers)


def _unsent_emails(out: _Lines, result: MarkResult) -> None:
    """Add the e-mails ``brieven --verstuur`` left unsent or in doubt, which ``verzonden``
    leaves as concepts unless their customer is named."""
    if not result.left_unsent:
        return
    customers = sorted({a.debtor for a in result.left_unsent})
    how = (
        "leg dat dan vast met dezelfde opdracht en " + _klant(customers) + " [--op DATUM]"
        if out.front is Front.CLI
        else "zet hem dan zelf op verzonden op het blad Acties, met de datum in 'Verzonden op'"
    )
    out.add(
        f"Niet als verzonden vastgelegd: de e-mail aan {and_list(customers)}. Het versturen met "
        "brieven --verstuur lukte niet of is onzeker (zie de Notitie op het blad Acties). "
        f"Verstuurde u {'ze' if len(result.left_unsent) > 1 else 'hem'} zelf, {how}."
    )


# --- betalingen ---------------------------------------------------------------------------------


@_reports("service.payments.ImportResult")
def _statements(result: ImportResult, front: Front = Front.CLI, *, folder: str = "") -> Report:
    out = _Lines(front)
    for f in result.files:
        if f.error:
            out.add(f"{f.name}: NIET ingelezen. {f.error}", error=True)
            continue
        parts = [
            plural(f.lines, "bijschrijving", "bijschrijvingen"),
            f"{f.matched} gekoppeld",
            f"{f.review} te controleren",
            f"{f.duplicates} al eerder ingelezen",
        ]
        if f.reversals:
            parts.append(plural(f.reversals, "storno", "storno's"))
        if f.taken_back:
            parts.append(f"{f.taken_back} teruggeboekt door een storno")
        if f.doubles:
            parts.append(f"{f.doubles} dubbel (al ingelezen onder een andere bankreferentie)")
        out.add(f"{f.name}: " + parts[0] + ", ".join(["", *parts[1:]]) + ".")
        for s in f.statements:
            out.add(_statement_line(s))
        for w in f.warnings:
            out.add(f"  Let op: {w}.")
    if result.failed:
        out.add(
            "Er is niets ingelezen: een afschrift wordt helemaal gelezen of helemaal niet. "
            "Het werkboek is niet gewijzigd.",
            error=True,
        )
        return Report(status=_statements_status(result, folder), lines=tuple(out.out), exit_code=2)
    if result.saved:
        out.add(
            f"{plural(result.rows_added, 'rij', 'rijen')} toegevoegd aan het blad Betalingen; "
            "het werkboek is bijgewerkt."
        )
    elif not result.changes:
        out.add("Niets nieuws: het werkboek is niet gewijzigd.")
    _checks(out, result.checks)
    if result.to_review:
        n = plural(len(result.to_review), "betaling", "betalingen")
        out.add(f"Te controleren ({n}; koppel ze op het blad Betalingen):")
        shown = result.to_review
        if out.front is Front.CLI:  # a large statement has thousands: the sheet lists them all
            shown = shown[:MAX_REVIEW_LINES]
        out.listed([_review_line(r) for r in shown])
        if len(shown) < len(result.to_review):
            out.add(
                f"  … en nog {len(result.to_review) - len(shown)}; filter op het blad "
                "Betalingen de kolom Status op 'Te controleren' voor de hele lijst."
            )
        out.add(_HOW_TO_LINK)  # README: "de uitvoer zegt hoe u haar koppelt"
    _credits(out, len(result.credits), total(amount for _, amount in result.credits))
    return Report(status=_statements_status(result, folder), lines=tuple(out.out))


def _statement_line(s) -> str:
    """One statement of a file: its day, account, credits and debits, and whether it adds up;
    the amounts in the account's currency (a USD account's are no euros)."""

    def money(amount) -> str:
        shown = euro(amount)
        return shown if s.currency.upper() in ("", "EUR") else shown.replace("€", s.currency)

    returned = (
        f"; {plural(s.returned, 'eigen terugboeking', 'eigen terugboekingen')} "
        f"({money(s.returned_total)}) {'telt' if s.returned == 1 else 'tellen'} niet als betaling"
        if s.returned
        else ""
    )
    day = f" van {s.day:%d-%m-%Y}" if s.day else ""
    checked = (
        "; begin- en eindsaldo kloppen" if s.opening is not None and s.closing is not None else ""
    )
    return (
        f"  {s.label}{day} ({s.account}): "
        f"{plural(s.credits, 'bijschrijving', 'bijschrijvingen')} {money(s.credit_total)}, "
        f"{plural(s.debits, 'afschrijving', 'afschrijvingen')} {money(s.debit_total)}"
        f"{returned}{checked}."
    )


def _review_line(record: PaymentRecord) -> str:
    """One new payment under review: date, amount, payer, text."""
    amount = record.amount
    shown = euro(amount) if isinstance(amount, Decimal) else "bedrag in vreemde valuta"
    return _payment_shown(record.on, shown, record.payer_name or record.payer_iban, record.text)


def _statements_status(result: ImportResult, folder: str) -> str:
    read_ok = [f for f in result.files if not f.error]
    if result.failed:
        return (
            "Er is niets ingelezen: een afschrift wordt helemaal gelezen of helemaal niet. "
            f"Verbeter of verwijder het genoemde bestand in {folder} en klik opnieuw."
        )
    if result.rows_added:
        return (
            f"{plural(result.rows_added, 'rij', 'rijen')} toegevoegd aan het blad Betalingen "
            f"uit {plural(len(read_ok), 'bestand', 'bestanden')}: "
            f"{sum(f.matched for f in read_ok)} gekoppeld, {sum(f.review for f in read_ok)} te "
            f"controleren, {sum(f.duplicates for f in read_ok)} al eerder ingelezen"
            + (f", {doubles} dubbel." if (doubles := sum(f.doubles for f in read_ok)) else ".")
        )
    if result.changes:
        return "Geen nieuwe bijschrijvingen; de datum van het laatste bankafschrift is bijgewerkt."
    lines_read = sum(f.lines for f in read_ok)
    return (
        f"Niets nieuws: de {plural(lines_read, 'bijschrijving', 'bijschrijvingen')} in {folder} "
        f"{'was' if lines_read == 1 else 'waren'} al ingelezen."
    )


# --- regeling, gesprek --------------------------------------------------------------------------


@_reports("service.plan.PlanResult")
def _plan(
    result: PlanResult,
    front: Front = Front.CLI,
    *,
    book: str = "",
    sent_on: date | None = None,
    program: str = "debiteuren",
) -> Report:
    """Report a payment plan; ``sent_on``: the day of the agreement when it is after today
    (``--toekomst``), for the ``verzonden`` hint (:func:`_sent_day`). A confirmation made today
    for an earlier day went out today at the earliest: the hint then proposes no day."""
    out = _Lines(front)
    out.add(
        f"Betalingsregeling voor {result.customer}: {euro(result.total)} in "
        f"{len(result.instalments)} termijnen."
    )
    out.listed([f"termijn {n}: {short_date(day)} {euro(a)}" for n, day, a in result.instalments])
    out.labelled("Bevestigingsbrief", result.letter)
    out.labelled("Als PDF", result.pdf)
    out.labelled("E-mailconcept", result.eml)
    if result.pdf_note:
        out.add(result.pdf_note)
    out.warnings(result.warnings)
    _checks(out, result.checks)
    if result.letter:
        out.add(
            "De brief staat als concept op het blad Acties; verstuurd? Leg dat vast met: "
            f"{program} verzonden {book} --klant {result.customer}{_sent_day(sent_on)}"
        )
    return Report(
        status=f"Betalingsregeling voor {result.customer} vastgelegd.", lines=tuple(out.out)
    )


@_reports("workbook.changes.Changes")
def _call(result: Changes, front: Front = Front.CLI, *, customer: str = "") -> Report:
    steps = ", ".join(str(r.values["step"]) for r in result.rows if r.sheet is schema.ACTIES)
    text = f"Vastgelegd op het blad Acties: {steps} voor klant {customer}."
    return Report(status=text, lines=(Line(text),))


# --- overdracht ---------------------------------------------------------------------------------


@_reports("service.handover.HandoverResult")
def _handover(result: HandoverResult, front: Front = Front.CLI) -> Report:
    out = _Lines(front)
    n = len(result.invoices)
    to = f" aan {result.to}" if result.to else ""
    out.add(
        f"Klant {result.debtor.number} {_name(result.debtor)} overgedragen{to}: {n} "
        f"factu{'ren' if n != 1 else 'ur'}, {euro(result.amount)}."
    )
    out.listed([f"Niet overgedragen: {number}: {why}." for number, why in result.left_out])
    out.listed([f"Toch overgedragen (--toch): {number}: {why}." for number, why in result.forced])
    out.listed([f"Zonder kosten: {number}: {why}." for number, why in result.costs_left_out])
    out.add(f"Dossier: {result.folder}")
    out.add(f"Zip:     {result.archive}")
    copied = len(result.letters) - len(result.missing_letters)
    out.add(f"{copied} verstuurde brie{'ven' if copied != 1 else 'f'} gekopieerd.")
    attached = [c for c in result.invoice_copies if c.copy is not None]
    out.add(f"{len(attached)} van {len(result.invoice_copies)} facturen als PDF bijgevoegd.")
    missing = [
        f"Niet bijgevoegd: factuur {c.invoice}: {c.why}."
        for c in result.invoice_copies
        if c.copy is None
    ]
    for m in result.missing_letters:
        a = m.action
        where = f" ({a.file})." if a.file else "."
        missing.append(f"Niet bijgevoegd: {a.step.value} van {short_date(a.on)}: {m.why}{where}")
    out.listed(missing)
    if result.pdf_note:
        out.add(result.pdf_note)
    out.warnings(result.warnings)
    _checks(out, result.checks)
    out.add("Loont doorzetten? (indicatief)")
    out.listed([*result.worth.lines, result.worth.verdict])
    if result.whole:
        out.add("De klant staat nu op 'Uit handen'; de overdracht staat op het blad Acties.")
    else:
        out.add(
            "De overdracht van deze facturen staat op het blad Acties; de andere facturen "
            "van de klant blijven op de ladder."
        )
    if front is Front.EXCEL:
        out.add("Sla het werkboek op.")
    status = f"Klant {result.debtor.number} overgedragen; dossier {result.folder}."
    return Report(status=status, lines=tuple(out.out))


# --- export, facturen ---------------------------------------------------------------------------


@_reports("service.export.ExportResult")
def _export(result: ExportResult, front: Front = Front.CLI) -> Report:
    out = _Lines(front)
    s = result.summary
    out.add(f"Export per {short_date(result.per)} in {result.folder}:")
    for path in (result.workbook, result.csv, result.pdf or result.docx):
        if path is not None:
            out.add(f"  {path.name}")
    out.add(
        f"{s.count} open factu{'ur' if s.count == 1 else 'ren'}; open hoofdsom "
        f"{euro(s.principal_open)}, rente {euro(s.interest_open)}, kosten "
        f"{euro(s.costs_open)}; totaal open {euro(s.outstanding)}."
    )
    out.add(f"Uit handen: {s.handed_over_count}, totaal open {euro(s.handed_over_total)}.")
    out.add(
        f"Btw-teruggaaf NL mogelijk: {s.vat_count} factu"
        f"{'ur' if s.vat_count == 1 else 'ren'}, btw {euro(s.vat_total)} (bij "
        f"{s.vat_rate.normalize():f}%; controleer het tarief per factuur)."
    )
    out.add(
        f"België, te beoordelen op definitief verlies: {s.be_count}, open hoofdsom "
        f"{euro(s.be_total)} (geen automatische teruggaaf)."
    )
    if s.unmatched_count:
        n = s.unmatched_count
        out.add(
            f"Ontvangsten nog niet gekoppeld: {n} betaling{'' if n == 1 else 'en'}, "
            f"{euro(s.unmatched_total)}; niet afgetrokken van de openstaande posten (blad "
            f"Ongekoppelde ontvangsten). Koppel ze op het blad Betalingen."
        )
    if s.skipped_invoices:
        n = s.skipped_invoices
        out.add(f"{n} factu{'ur' if n == 1 else 'ren'} na de peildatum niet meegeteld.")
    if result.note:
        out.add(result.note)
    _checks(out, result.checks)
    return Report(status=f"Export per {short_date(result.per)} gemaakt.", lines=tuple(out.out))


@_reports("service.einvoice.ImportResult")
def _einvoices(result: InvoiceImport, front: Front = Front.CLI) -> Report:
    out = _Lines(front)
    words = {
        "toegevoegd": "",
        "geweigerd": "geweigerd. ",
        "overgeslagen": "overgeslagen. ",
        "geen e-factuur": "geen e-factuur, niet gelezen: ",
        "fout": "FOUT, niet ingelezen. ",
    }
    for f in result.files:
        first, *rest = f.messages or ("",)
        out.add(f"{f.name}: {words[f.status]}{first}", error=f.failed)
        for line in rest:
            out.add(f"  - {line}", error=f.failed)
    n = len(result.added)
    parts = [f"{n} factu{'ur' if n == 1 else 'ren'} toegevoegd"]
    if result.new_customers:
        k = len(result.new_customers)
        parts.append(
            f"{k} nieuwe klant{'en' if k != 1 else ''} ({', '.join(result.new_customers)})"
        )
    if result.refused:
        parts.append(f"{len(result.refused)} geweigerd (dubbel)")
    if result.skipped:
        parts.append(f"{len(result.skipped)} overgeslagen (niets te innen)")
    if result.not_invoices:
        k = len(result.not_invoices)
        parts.append(f"{k} bestand{'en' if k != 1 else ''} in een zip zonder e-factuur")
    if result.failed:
        parts.append(f"{len(result.failed)} met een fout")
    if result.saved and result.backup:
        tail = f" Het werkboek is bijgewerkt (reservekopie: {result.backup.name})."
    elif result.saved:
        tail = " Het werkboek is bijgewerkt."
    else:
        tail = " Het werkboek is niet gewijzigd."
    summary = "; ".join(parts) + "." + tail
    out.add(summary)
    return Report(status=summary, lines=tuple(out.out), exit_code=2 if result.failed else 0)


# --- demo ---------------------------------------------------------------------------------------


@_reports("service.demo.DemoResult")
def _demo(result: DemoResult, front: Front = Front.CLI, *, mark_sent: str = "") -> Report:
    out = _Lines(front)
    out.add(f"Voorbeeldwerkboek: {result.path}")
    if result.kept is not None:
        out.add(f"Het voorbeeldwerkboek dat er al stond, is bewaard als {result.kept}.")
    for f in result.statement.files:
        out.add(
            f"Bankafschrift van gisteren ingelezen ({f.name}): {f.lines} bijschrijvingen, "
            f"{f.matched} gekoppeld, {f.review} te controleren (blad Betalingen)."
        )
    out.out += report(result.update, front, saved_line=False).lines
    top = result.update.overview.top(5)
    if top:
        out.add("Grootste debiteuren (blad Overzicht):")
    for aging in top:
        out.add(
            f"  {aging.debtor.number} {_name(aging.debtor)}: {euro(aging.outstanding)} "
            f"({aging.stage}, oudste {aging.oldest_days} dagen)"
        )
    made = result.letters
    steps = ", ".join(dict.fromkeys(w.step.value for w in made.letters))
    to_call = plural(len(made.calls), "klant", "klanten")
    listed = made.call_list.name if made.call_list else "belijst.xlsx"
    calls = f", {to_call} om te bellen ({listed})." if made.calls else "."
    out.add(f"{len(made.letters)} brieven gemaakt in {made.folder} ({steps}){calls}")
    if made.unconfirmed_made:
        names = and_list([f"de {st.value} aan {d.number}" for d, st in made.unconfirmed_made])
        they = "ze noemen" if len(made.unconfirmed_made) > 1 else "die noemt"
        out.add(
            f"Het voorbeeld maakt {names} zoals 'debiteuren brieven --onbevestigde-rente' doet: "
            f"{they} een rentepercentage dat op het blad Rentes nog niet bevestigd is. Zonder "
            "die keuze houdt 'brieven' zo'n formele brief tegen tot u het percentage daar op "
            "officieel zet."
        )
    out.warnings(made.warnings)
    _held(out, made.held)
    _held_back(out, made.held_back)
    if made.merged:
        out.add(f"Afdrukken: {made.merged.name}")
    out.add(
        "De brieven staan als concept op het blad Acties; ze tellen pas als ze verstuurd zijn "
        f"({mark_sent or _demo_mark_sent(result)})."
    )
    if made.pdf_note:
        out.add(made.pdf_note)
    return Report(status=f"Voorbeeldwerkboek: {result.path}", lines=tuple(out.out))


def _demo_mark_sent(result: DemoResult) -> str:
    """Return the command that marks the demo's letters as sent on the demo's day."""
    from ..demo import DEMO_AS_OF

    return f"debiteuren verzonden {result.path} --op {DEMO_AS_OF.isoformat()}"
