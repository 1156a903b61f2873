"""The xlwings Lite front end: what the buttons of ``lite/main.py`` do on the open workbook.

``lite/main.py`` is pasted into the xlwings Lite editor; it only declares the buttons
(``@script``) and the worksheet functions (``@func``) and calls this module, which is part of the
installed package (so the code in the workbook stays a few lines, and a new version of
debiteuren needs no new paste). Three buttons:

* :func:`bijwerken`: the classic add-in's Bijwerken on the open book, through
  :class:`~.workbook.lite.LiteBook` and the same use case (:func:`~.service.live.update_live`):
  the computed Facturen columns, empty Betalingskenmerk cells and the Overzicht, in a few
  actions whatever the number of rows;
* :func:`rekenhulp`: the claim calculator of ``debiteuren bereken``, written to the sheet
  Rekenhulp (the periods of :func:`~.functions.rente_specificatie` with the totals);
* :func:`briefgegevens`: the data of the letters that are due for one customer (the fields a
  Word template is filled with), written to the sheet Briefgegevens. The letters themselves are
  not made: xlwings Lite has no Word template engine, no folder beside the workbook and no
  LibreOffice, so letters, PDFs, e-mails, the print file, bank statements and dossiers stay with
  the desktop program (the ribbon on Windows and Mac, or the command line).

Each returns the lines it showed; a problem in the workbook is one Dutch message naming sheet,
row and column, and nothing is written then.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .core.model import Channel
from .errors import DebiteurenError, ValidationFailed
from .excel import problems_message
from .formatting import euro, short_date
from .functions import ERROR_PREFIX, SPECIFICATION_HEADER, rente_specificatie
from .service.address import MissingDetails, address_problem, missing_details
from .service.changes import UnknownCustomer
from .service.letters import letter_data
from .service.live import update_live
from .service.pipeline import assess, read_book
from .workbook.cells import excel_text
from .workbook.lite import LiteBook

__all__ = [
    "CALCULATOR_SHEET",
    "DESKTOP_ONLY",
    "LETTER_SHEET",
    "bijwerken",
    "briefgegevens",
    "rekenhulp",
]

#: The sheets the calculator and the letter data are written to (made when missing).
CALCULATOR_SHEET = "Rekenhulp"
LETTER_SHEET = "Briefgegevens"

#: Said wherever a user could expect a letter.
DESKTOP_ONLY = (
    "De brieven zelf (Word en PDF), e-mails, het afdrukbestand, bankafschriften en dossiers "
    "maakt xlwings Lite niet: in Excel op het web en in xlwings Lite is er geen Word-"
    "sjabloonmachine en geen map naast het werkboek. Maak ze met de knoppen op het tabblad "
    "Debiteuren in Excel voor Windows of Mac, of met het programma debiteuren."
)

_MONEY = "#,##0.00"
_DATE = "dd-mm-yyyy"


def _guarded(title: str, live: LiteBook, work: Callable[[], None]) -> list[str]:
    """Run ``work``; show a problem in the workbook as one Dutch message, as the add-in does.

    An unexpected error (a bug) is a Dutch message too, with the details under it in the
    output pane (Lite has no folder for a log file, as the add-in writes): before, xlwings Lite
    showed only Python's English traceback.
    """
    try:
        work()
    except ValidationFailed as exc:
        live.alert(problems_message(exc.issues, title), f"Debiteuren – {title}")
    except DebiteurenError as exc:
        live.alert(exc.message, f"Debiteuren – {title}")
    except Exception as exc:
        details = "".join(traceback.format_exception(exc)).rstrip()
        live.alert(
            f"Er ging iets onverwachts mis bij {title} ({type(exc).__name__}). Controleer het "
            "werkboek voordat u het opslaat. Stuur de details hieronder mee als u om hulp "
            f"vraagt.\n\nDetails:\n{details}",
            f"Debiteuren – {title}",
        )
    return live.messages


def bijwerken(book: Any, as_of: date, say: Callable[[str], None] = print) -> list[str]:
    """Recompute every invoice at ``as_of`` and write the results into the open book."""
    live = LiteBook(book, say)

    def work() -> None:
        result = update_live(live, as_of)
        live.status(result.status)
        if result.notes:
            live.alert("\n".join(result.notes), "Debiteuren – Bijwerken")

    return _guarded("Bijwerken", live, work)


def rekenhulp(
    book: Any,
    bedrag: object,
    vervaldatum: object,
    tot: object,
    soort: object,
    kosten: object = "geen",
    dagtelling: object = "365",
    say: Callable[[str], None] = print,
) -> list[str]:
    """Write the calculation of one amount to the sheet Rekenhulp: the periods and the totals."""
    live = LiteBook(book, say)

    def work() -> None:
        rows = rente_specificatie(bedrag, vervaldatum, tot, soort, dagtelling, kosten, None)
        if isinstance(rows, str):
            live.alert(rows.removeprefix(ERROR_PREFIX), "Debiteuren – Rekenhulp")
            return
        width = len(SPECIFICATION_HEADER)
        intro = [
            ["Rekenhulp (zoals debiteuren bereken)", *[None] * (width - 1)],
            ["Bedrag", bedrag, None, "Rente", str(soort), None, None],
            ["Vervaldatum", vervaldatum, None, "Kosten", str(kosten), None, None],
            ["Tot en met", tot, None, "Dagtelling", str(dagtelling), None, None],
            [None] * width,
        ]
        block = intro + rows
        sheet = _sheet(book, CALCULATOR_SHEET)
        sheet.clear()
        sheet.range((1, 1), (len(block), width)).value = [[_cell(v) for v in row] for row in block]
        first, last = len(intro) + 2, len(block)
        sheet.range((first, 1), (last, 2)).number_format = _DATE
        sheet.range((first, 4), (last, 4)).number_format = _MONEY
        sheet.range((first, 6), (last, 6)).number_format = _MONEY
        sheet.range((1, 1), (1, 1)).font.bold = True
        sheet.range((len(intro) + 1, 1), (len(intro) + 1, width)).font.bold = True
        sheet.activate()
        total = next(row[5] for row in rows if row[0] == "Totaal rente")
        live.status(f"Rekenhulp: rente {euro(Decimal(repr(total)))}; zie het blad {sheet.name}.")

    return _guarded("Rekenhulp", live, work)


def briefgegevens(
    book: Any, as_of: date, customer: str = "", say: Callable[[str], None] = print
) -> list[str]:
    """Write the data of the letters due for a customer (given, or on the selected row)."""
    live = LiteBook(book, say)

    def work() -> None:
        loaded = read_book(live, as_of, for_writing=False)
        number = customer.strip() or live.customer_at_selection()
        if not number:
            raise DebiteurenError(
                "Geef een klantnummer, of klik eerst op een cel in de rij van de klant op het "
                "blad Klanten of Facturen en klik dan opnieuw op Briefgegevens."
            )
        if number not in loaded.data.debtors:  # as --klant says it, with the number meant
            raise UnknownCustomer(number, loaded.data.debtors)
        assessment = assess(loaded, as_of)
        letters = letter_data(loaded, assessment, as_of, number)
        rows: list[list[object]] = [["Veld", "Waarde"]]
        held = []
        for plan, context in letters:
            rows.append([f"Brief: {plan.step.value} ({plan.channel.value})", None])
            post = plan.channel is not Channel.EMAIL
            problem = address_problem(loaded, plan.claim.debtor, plan.language, post=post)
            if problem and post:  # the desktop program holds this letter (``brieven``)
                held.append(f"Let op: de {plan.step.value} gaat per post, maar {problem}.")
                rows.append([held[-1], None])
            rows += [[key, value] for key, value in _fields(context)]
        if letters and (places := missing_details(loaded)):  # ``brieven`` refuses them
            held.append(f"Let op: {MissingDetails(places).preview}.")
            rows.append([held[-1], None])
        if not letters:
            stages = assessment.stages[number]
            nexts = sorted(
                (st.next_on, st.next_step.value)
                for st in stages.values()
                if st.next_step is not None and st.next_on is not None
            )
            after = f"; volgende stap: {nexts[0][1]} per {short_date(nexts[0][0])}" if nexts else ""
            rows.append([f"Geen brief aan de beurt op {short_date(as_of)}{after}.", None])
        rows.append([DESKTOP_ONLY, None])
        sheet = _sheet(book, LETTER_SHEET)
        sheet.clear()
        sheet.range((1, 1), (len(rows), 2)).value = [[_cell(v) for v in row] for row in rows]
        sheet.range((1, 1), (1, 2)).font.bold = True
        sheet.activate()
        made = ", ".join(plan.step.value for plan, _ in letters) or "geen brief"
        live.status(f"Briefgegevens van klant {number} ({made}) staan op het blad {sheet.name}.")
        live.alert("\n".join([*held, DESKTOP_ONLY]), "Debiteuren – Briefgegevens")

    return _guarded("Briefgegevens", live, work)


def _fields(context: Mapping[str, Any], prefix: str = "") -> list[tuple[str, object]]:
    """Flatten a letter's template data: ``klant.naam``, ``facturen.1.bedrag``, …"""
    out: list[tuple[str, object]] = []
    for key, value in context.items():
        if key.startswith("_"):
            continue  # the QR code's raw data, not a template field
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out += _fields(value, name + ".")
        elif isinstance(value, Sequence) and not isinstance(value, str):
            for i, item in enumerate(value, 1):
                if isinstance(item, Mapping):
                    out += _fields(item, f"{name}.{i}.")
                else:
                    out.append((f"{name}.{i}", item))
        else:
            out.append((name, value))
    return out


def _cell(value: object) -> object:
    """Return a value as it goes into a cell: a text stays a text, never a formula."""
    if isinstance(value, str):
        return excel_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, int | float | date):
        return value
    return excel_text(str(value))


def _sheet(book: Any, name: str) -> Any:
    """Return the sheet ``name`` of the open book, made at the end when it is missing."""
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return book.sheets.add(name=name)
