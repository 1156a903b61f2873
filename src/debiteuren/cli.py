"""The ``debiteuren`` command. Each command parses its arguments and calls one use case.

Errors a user can fix are printed as one Dutch line (or a list of workbook problems) with exit
code 2; nothing is written then.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click

from . import __version__, cli_nl
from .core.model import YEARS, DayCount
from .core.money import AmountFormatError, money, parse_exact_money
from .errors import DebiteurenError, ValidationFailed, quoted, system_error
from .filenames import WORKBOOK_SUFFIXES

# Babel (for the Dutch amounts and dates) is imported at the first use, not for ``--help``.


def euro(amount: Decimal) -> str:
    """``€ 1.234,56`` (:func:`debiteuren.formatting.euro`)."""
    from .formatting import euro as format_euro

    return format_euro(amount)


def percent(rate: Decimal) -> str:
    """``8,15%`` (:func:`debiteuren.formatting.percent`)."""
    from .formatting import percent as format_percent

    return format_percent(rate)


def short_date(day: date) -> str:
    """``15-10-2026`` (:func:`debiteuren.formatting.short_date`)."""
    from .formatting import short_date as format_date

    return format_date(day)


__all__ = ["main"]

cli_nl.install()  # Click's own texts (Usage:, Options:, Error: ...) in Dutch


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Fout: {self.message}", err=True)


#: A day as the workbook reads it (``workbook.read``), in ASCII digits: ``31-03-2025``,
#: ``1-3-2025``, ``31/03/2025`` and ``31.03.2025`` (as a Belgian letter dates its term), and
#: ``2025-3-31``.
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})")
_YEAR_MONTH_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_day(value: str, what: str) -> date:
    """Parse ``2025-03-31`` or ``31-03-2025`` (also ``1-3-2025``, ``31/03/2025``,
    ``31.03.2025`` and ``2025-3-31``, as the workbook takes them); raise UserError naming
    ``what``."""
    text = value.strip()
    if not text:  # ``--op "$DAG"`` with an empty variable: a day left out, not today
        raise UserError(f"{what} is leeg; schrijf een datum zoals 2025-03-31 of 31-03-2025.")
    try:
        if found := _DAY_MONTH_YEAR.fullmatch(text):
            day = date(int(found[4]), int(found[3]), int(found[1]))
        elif found := _YEAR_MONTH_DAY.fullmatch(text):
            day = date(int(found[1]), int(found[2]), int(found[3]))
        else:
            day = date.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"{what}: '{value}' is geen datum; schrijf bv. 2025-03-31 of 31-03-2025."
        ) from None
    if day.year not in YEARS:
        raise UserError(
            f"{what}: '{value}' ligt in het jaar {day.year}; controleer het jaar "
            f"(debiteuren rekent met datums van {YEARS[0]} tot en met {YEARS[-1]})."
        )
    return day


def parse_amount(value: str, what: str) -> Decimal:
    """Parse an amount exactly (``1250,00``, ``1.250,00``, ``1250.00``, ``€ 500,-``); raise
    UserError naming ``what`` for anything else, also for more than two decimals or an
    ambiguous separator (``0.125``)."""
    try:
        return parse_exact_money(value)
    except AmountFormatError as exc:
        raise UserError(
            f"{what}: '{value}' is geen exact bedrag ({exc.reason}); schrijf het bedrag met "
            "ten hoogste twee decimalen, bijvoorbeeld 1250,00, 1.250,00 of 1250.00."
        ) from None


@click.group(cls=cli_nl.DutchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--versie", prog_name="debiteuren", help="Toon het versienummer en stop."
)
@click.option(  # the English name too, out of habit; not shown in the help
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    hidden=True,
    callback=lambda ctx, _param, value: _show_version(ctx) if value else None,
)
def main() -> None:
    """debiteuren: openstaande facturen innen volgens Nederlands en Belgisch recht."""
    # openpyxl warns in English about what it reads (a date cell out of range, an extension it
    # does not know); debiteuren says in Dutch what matters, naming sheet, row and column.
    warnings.filterwarnings("ignore", module=r"openpyxl(\.|$)")
    _stop_on_terminate(click.get_current_context())


def _stop_on_terminate(ctx: click.Context) -> None:
    """Stop the command on SIGTERM (``kill``, a service manager) and SIGHUP (a closed terminal
    or session) as on Ctrl-C, until ``ctx`` closes: the forked copies are ended, the temporary
    file and the lock are removed and the workbook is left as it was or complete. By default the
    signal ended the process at once, and a copy blocked on its pipe kept the workbook locked."""
    import signal
    import threading

    from .workers import stop_signals

    if threading.current_thread() is not threading.main_thread():
        return  # a handler can only be set in the main thread
    here = os.getpid()

    def stop(signum: int, _frame: object) -> None:
        if os.getpid() != here:  # a forked copy: it ends as the signal ends it
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, stop) for signum in stop_signals()}
    ctx.call_on_close(lambda: [signal.signal(s, h) for s, h in previous.items()])


def _show_version(ctx: click.Context) -> None:
    if not ctx.resilient_parsing:
        click.echo(f"debiteuren, versie {__version__}")
        ctx.exit()


def _run(fn):
    """Call ``fn`` and turn program errors into one-line Dutch messages with exit code 2.

    Stopped with Ctrl-C after it saved a file (the last moments of a run), the message says
    that the file is complete instead of only "Afgebroken." (exit code 1 either way)."""
    from .workbook import files

    saved_before, locked_before = len(files.replaced()), len(files.locked())
    try:
        return fn()
    except KeyboardInterrupt:
        # a file the stopped command removed again (letters not logged) is not named
        saved = [p for p in files.replaced()[saved_before:] if p.exists()]
        if not saved:
            raise
        click.echo(_stopped_after_saving(saved, files.locked()[locked_before:]), err=True)
        sys.exit(1)
    except ValidationFailed as exc:
        click.echo(exc.message, err=True)
        sys.exit(2)
    except DebiteurenError as exc:
        raise UserError(exc.message) from None
    except OSError as exc:  # a folder that cannot be made, a full disk, a file in use
        raise UserError(os_problem(exc)) from None


def _stopped_after_saving(saved: Sequence[Path], books: Sequence[Path]) -> str:
    """Return what a command stopped with Ctrl-C after saving ``saved`` left behind; ``books``
    are the workbooks it locked to change them (the letters can be saved, the workbook not)."""
    names = ", ".join(dict.fromkeys(p.name for p in saved))
    done = {os.path.realpath(p) for p in saved}
    unsaved = ", ".join(dict.fromkeys(b.name for b in books if str(b) not in done))
    if unsaved:
        return (
            f"Afgebroken nadat {names} al was opgeslagen, maar vóórdat {unsaved} was bijgewerkt: "
            f"{unsaved} is niet gewijzigd en noemt die bestanden dus niet. Voer de opdracht "
            "opnieuw uit."
        )
    if not books:  # no workbook saved last (export): files after these may be missing
        return (
            f"Afgebroken nadat {names} al was opgeslagen: wat daar staat is volledig, maar de "
            "opdracht is niet afgemaakt en er kunnen bestanden ontbreken. Voer de opdracht "
            "opnieuw uit."
        )
    return (
        f"Afgebroken nadat {names} al was opgeslagen: wat daar staat is volledig en klopt; "
        "alleen het verslag van de opdracht is niet getoond."
    )


def _book_first(command: str, book: str, files: Sequence[str], kind: str) -> None:
    """Refuse ``debiteuren COMMAND FILE BOOK.xlsx``: the workbook comes first. Without this the
    statement or e-invoice was refused as a workbook (".xml is geen Excel-werkmap")."""
    ends = WORKBOOK_SUFFIXES
    if not book.lower().endswith(ends) and any(f.lower().endswith(ends) for f in files):
        raise UserError(
            f"Eerst het werkboek, dan de bestanden: debiteuren {command} BOEK.xlsx {kind}... "
            f"({book} staat nu op de plaats van het werkboek). Er is niets gewijzigd."
        )


def os_problem(exc: OSError) -> str:
    """Return a Dutch sentence for a file system error, with the system's own text quoted.

    A file debiteuren makes for a moment (``.~debiteuren-…``, the lock ``.~debiteuren.….lock``)
    is named by its folder: the user never made it and cannot find it afterwards."""
    known = isinstance(exc.filename, str | bytes | os.PathLike)
    filename = os.fsdecode(exc.filename) if known and exc.filename else ""
    from .workbook.files import made_for_a_moment

    if made_for_a_moment(filename):
        filename = os.path.join(os.path.dirname(filename) or ".", "")
    name = f" ({filename})" if filename else ""
    return (
        f"Een bestand of map kon niet gelezen of geschreven worden{name}. Controleer of de map "
        "bestaat, of u daar mag schrijven, of er schijfruimte is en of het bestand niet in een "
        f"ander programma openstaat, en probeer het opnieuw {quoted(system_error(exc))}."
    )


#: The calculator's ``--rente`` and ``--kosten`` choices (its SERIES and COSTS; a test checks
#: that they agree), named here so that ``debiteuren --help`` need not import the calculator,
#: the rate tables and ``holidays``.
SERIES_NAMES = ("nl-wettelijk", "nl-handels", "be-handels", "be-wettelijk", "geen")
COST_NAMES = ("geen", "nl-wik", "nl-wik-btw", "be-40", "be-consument")


@main.command()
@click.option("--bedrag", required=True, help="Hoofdsom, bv. 1000.00")
@click.option("--vervaldatum", required=True, help="Laatste dag zonder rente (JJJJ-MM-DD)")
@click.option("--tot", "until", required=True, help="Betaal- of peildatum (JJJJ-MM-DD)")
@click.option("--rente", "series", required=True, help=f"Rentesoort: {', '.join(SERIES_NAMES)}")
@click.option("--dagtelling", default="365", help="365 (standaard), werkelijk of rentejaar")
@click.option("--betaling", "payments", multiple=True, help="Betaling DATUM=BEDRAG; herhaalbaar")
@click.option("--kosten", default="geen", help=f"Kosten: {', '.join(COST_NAMES)}")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON")
def bereken(bedrag, vervaldatum, until, series, dagtelling, payments, kosten, as_json) -> None:
    """Bereken rente en kosten over één bedrag, zoals de online rekenhulpen."""
    from .calculator import COSTS, SERIES, calculate

    amount = parse_amount(bedrag, "--bedrag")
    due = parse_day(vervaldatum, "--vervaldatum")
    end = parse_day(until, "--tot")
    if series not in SERIES:
        raise UserError(f"--rente: onbekende rentesoort '{series}'; kies uit {', '.join(SERIES)}.")
    if kosten not in COSTS:
        raise UserError(f"--kosten: onbekende soort '{kosten}'; kies uit {', '.join(COSTS)}.")
    try:
        day_count = DayCount(dagtelling)
    except ValueError:
        raise UserError(
            f"--dagtelling: '{dagtelling}' is onbekend; kies 365, werkelijk of rentejaar."
        ) from None
    paid = []
    for item in payments:
        day_text, sep, amount_text = item.partition("=")
        if not sep:
            raise UserError(f"--betaling: '{item}' moet de vorm DATUM=BEDRAG hebben.")
        paid.append((parse_day(day_text, "--betaling"), parse_amount(amount_text, "--betaling")))
    result = _run(
        lambda: calculate(
            amount=amount,
            due=due,
            until=end,
            series=series,
            day_count=day_count,
            payments=paid,
            costs=kosten,
        )
    )
    if as_json:
        click.echo(json.dumps(_calculation_json(result), ensure_ascii=False, indent=2))
        return
    _print_calculation(result)


def _m(value: Decimal) -> str:
    return f"{money(value):.2f}"


def _calculation_json(result) -> dict:
    from .core.rules import rate_citation

    st = result.statement
    return {
        "hoofdsom": _m(st.principal),
        "rente": _m(st.interest),
        "kosten": _m(st.costs),
        "betaald": _m(st.paid),
        "openstaand": _m(st.outstanding),
        "overbetaald": _m(st.surplus),
        "dagtelling": st.day_count.value,
        "kapitalisatie": st.compound,
        "perioden": [
            {
                "van": p.start.isoformat(),
                "tot": p.end.isoformat(),
                "dagen": p.days,
                "grondslag": _m(p.base),
                "percentage": f"{p.rate:.2f}",
                "rente": _m(p.interest),
                "bron": rate_citation(p.rate_row),
            }
            for p in st.periods
        ],
        "kapitalisaties": [
            {"op": c.on.isoformat(), "bedrag": _m(c.amount)} for c in st.capitalisations
        ],
        "betalingen": [
            {
                "op": a.on.isoformat(),
                "bedrag": _m(a.amount),
                "kosten": _m(a.to_costs),
                "rente": _m(a.to_interest),
                "hoofdsom": _m(a.to_principal),
                "over": _m(a.surplus),
            }
            for a in st.allocations
        ],
        "waarschuwingen": list(result.warnings),
    }


def _print_calculation(result) -> None:
    from rich.console import Console
    from rich.table import Table

    from .calculator import COSTS, SERIES
    from .core.rates import series_label

    st = result.statement
    console = Console(highlight=False)
    chosen = SERIES[result.series][0]
    conventions = {
        "365": "werkelijke dagen / 365",
        "werkelijk": "werkelijke dagen / werkelijk jaar",
        "rentejaar": "werkelijke dagen / lengte van het rentejaar",
    }
    console.print(
        f"[bold]Berekening[/bold] van {short_date(st.start)} tot en met {short_date(st.end)}"
    )
    console.print(
        f"Hoofdsom {euro(st.principal)}; rente: "
        f"{series_label(chosen) if chosen is not None else 'geen'}; "
        f"dagtelling: {conventions[st.day_count.value]}; "
        f"{'jaarlijkse kapitalisatie' if st.compound else 'enkelvoudige rente'}."
    )
    if st.periods:
        table = Table(title="Renteperioden")
        for col in ("Van", "Tot en met", "Dagen", "Grondslag", "Rente %", "Rente"):
            table.add_column(col, justify="right")
        for p in st.periods:
            table.add_row(
                short_date(p.start),
                short_date(p.end),
                str(p.days),
                euro(p.base),
                percent(p.rate),
                euro(p.interest),
            )
        console.print(table)
        from .core.rules import rate_citation

        rows = list(dict.fromkeys(p.rate_row for p in st.periods if p.rate_row is not None))
        if rows:
            console.print("Bronnen van de rentepercentages:")
            for row in rows:
                console.print(
                    f"  vanaf {short_date(row.effective_from)} {percent(row.rate)}: "
                    f"{rate_citation(row)}"
                )
    for c in st.capitalisations:
        console.print(
            f"Kapitalisatie op {short_date(c.on)}: {euro(c.amount)} bij de hoofdsom "
            f"→ {euro(c.base_after)}"
        )
    for a in st.allocations:
        console.print(
            f"Betaling {short_date(a.on)} {euro(a.amount)}: kosten {euro(a.to_costs)}, "
            f"rente {euro(a.to_interest)}, hoofdsom {euro(a.to_principal)}"
            + (f", te veel betaald {euro(a.surplus)}" if a.surplus else "")
        )
    console.print(f"Rente totaal:      {euro(st.interest)}")
    console.print(f"Kosten:            {euro(st.costs)} ({COSTS[result.costs_kind]})")
    console.print(f"Betaald:           {euro(st.paid)}")
    console.print(f"[bold]Openstaand:        {euro(st.outstanding)}[/bold]")
    for text in result.warnings:
        console.print(f"Let op: {text}")


def _now() -> datetime:
    """Return the current time: the only clock the logging commands read (tests replace it)."""
    return datetime.now()


def _today() -> date:
    return _now().date()


def _peildatum(value: str | None) -> date:
    return parse_day(value, "--peildatum") if value is not None else _today()


class _Progress:
    """A rich progress bar on a terminal; silent otherwise (scheduled tasks, pipes)."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None
        self.tasks: dict[str, tuple[int, int]] = {}  # phase -> (task, total)

    def __enter__(self):
        if self.enabled:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.__enter__()
        return self

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.bar is None:
            return
        if phase not in self.tasks:
            for task, size in self.tasks.values():  # a phase is over when the next begins
                self.bar.update(task, completed=size)
            self.tasks[phase] = (self.bar.add_task(phase, total=max(total, 1)), max(total, 1))
        self.bar.update(self.tasks[phase][0], completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _show(result, **hints) -> None:
    """Print a use case's report (:mod:`.service.reports`; error lines to stderr) and exit with
    its code."""
    from .service.reports import report
    from .workbook import files

    try:
        shown = report(result, **hints)
        for line in shown.lines:
            click.echo(line.text, err=line.error)
    except KeyboardInterrupt:  # after the run: what it saved is complete (one command a process)
        if not files.replaced():
            raise
        click.echo(_stopped_after_saving(files.replaced(), files.locked()), err=True)
        sys.exit(1)
    if shown.exit_code:
        sys.exit(shown.exit_code)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--peildatum", help="Rekendatum (JJJJ-MM-DD); standaard vandaag")
@click.option("--stil", is_flag=True, help="Geen voortgangsbalk")
def bijwerken(boek, peildatum, stil) -> None:
    """Bereken rente, kosten en de volgende stap van elke factuur en werk het werkboek bij."""
    from datetime import datetime

    from . import service

    as_of = _peildatum(peildatum)
    with _Progress(stil) as progress:
        result = _run(
            lambda: service.update(
                boek, as_of, now=datetime.now(), progress=progress, skip_unchanged=True
            )
        )
    _show(result)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
def nieuw(boek) -> None:
    """Maak een nieuw, leeg werkboek van het sjabloon (overschrijft nooit)."""
    from . import service

    path = _run(lambda: service.new_workbook(boek))
    click.echo(f"Nieuw werkboek gemaakt: {path}. Vul eerst het blad Instellingen in.")


@main.command()
@click.argument("map", default="demo", type=click.Path(file_okay=False))
@click.option("--pdf/--geen-pdf", default=True, help="Ook PDF's van de brieven maken")
def demo(map, pdf) -> None:
    """Maak een voorbeeldwerkboek met brieven, een bankafschrift en e-facturen in MAP."""
    from .service.demo import run_demo

    result = _run(lambda: run_demo(Path(map), _now(), pdf=pdf))
    _show(result, mark_sent=_demo_mark_sent(result.path))
    _print_next_steps(result.path, result.next_statement, result.einvoices)


def _sent_on(as_of: date) -> date | None:
    """Return the day a printed ``verzonden`` command must give with --op (and --toekomst):
    the peildatum of a ``--toekomst`` run, or None when the letters may be marked sent today.

    A letter made today for an earlier peildatum goes out today at the earliest: ``verzonden``
    refuses a day before it was made (:func:`.core.rules.lifecycle.made_on`), so the hint
    proposes no earlier day. A letter dated after today cannot be marked sent before its day,
    and ``verzonden`` takes a day after today only with --toekomst.
    """
    return as_of if as_of > _today() else None


def _shell(text: object) -> str:
    """Return ``text`` quoted for the user's shell when it needs quotes."""
    text = str(text)
    if text and all(ch.isalnum() or ch in "-_./\\:=" for ch in text):
        return text
    if sys.platform.startswith("win"):
        return '"' + text.replace('"', '""') + '"'
    import shlex

    return shlex.quote(text)


def _program() -> str:
    """Return how the user started debiteuren, to print commands they can paste."""
    import os

    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and spec.name in ("debiteuren", "debiteuren.__main__"):
        return f"{_shell(Path(sys.executable).name)} -m debiteuren"
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("debiteuren")
    if started.stem.casefold() != "debiteuren":
        return "debiteuren"
    try:
        shown = os.path.relpath(started)
    except ValueError:  # another drive on Windows
        shown = str(started)
    if shown.startswith("..") or os.sep not in shown:
        return "debiteuren" if os.sep not in str(sys.argv[0]) else _shell(started)
    return _shell(shown.removesuffix(".exe"))


def _demo_mark_sent(book: Path) -> str:
    """Return the command that marks the demo's letters as sent on the demo's day, ready to
    paste (without ``--op`` they would count as sent today, after the demo's peildatum)."""
    from . import demo as demo_mod

    return f"{_program()} verzonden {_shell(book)} --op {demo_mod.DEMO_AS_OF.isoformat()}"


def _print_next_steps(book: Path, statement: Path, einvoices: Sequence[Path]) -> None:
    """Print the commands to try next on the demo workbook, ready to paste."""
    from . import demo as demo_mod

    run, day = _program(), f"--peildatum {demo_mod.DEMO_AS_OF.isoformat()}"
    b = _shell(book)
    click.echo("")
    click.echo("Probeer daarna, in deze volgorde:")
    lines = [
        # first: a dossier or letter made by a command below is made today, and cannot have
        # gone out on the demo's day (core.rules.lifecycle.made_on)
        ("De brieven van het voorbeeld als verstuurd vastleggen, op de dag van het voorbeeld:",
         _demo_mark_sent(book)),
        ("Het bankafschrift van vandaag inlezen (twee betalingen):",
         f"{run} betalingen {b} {_shell(statement)} {day}"),
        ("Twee e-facturen inlezen (een bestaande en een nieuwe klant):",
         f"{run} facturen {b} {' '.join(_shell(p) for p in einvoices)} {day}"),
        ("Een telefoongesprek met een betaalbelofte vastleggen:",
         f"{run} gesprek {b} --klant K001 --uitkomst belofte --op 2026-10-22 {day}"),
        ("Een klant overdragen aan een incassobureau:",
         f'{run} overdracht {b} --klant K012 --aan {_shell(demo_mod.AGENCY["code"])} {day}'),
        ("De export voor de accountant maken:",
         f"{run} export {b} --per {demo_mod.DEMO_AS_OF.isoformat()}"),
    ]  # fmt: skip
    for why, command in lines:
        click.echo(f"  {why}")
        click.echo(f"    {command}")
    click.echo("Open het werkboek in Excel of LibreOffice om het resultaat te zien.")


_FUTURE_HELP = "Ook met een peildatum na vandaag vastleggen (bewust; anders geweigerd)"


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option(
    "--stap",
    help="herinnering, aanmaning, telefoon, 14-dagenbrief, "
    "eerste-herinnering of ingebrekestelling; standaard alle stappen die aan de beurt zijn",
)
@click.option("--klant", help="Alleen deze klant (Klantnr)")
@click.option("--peildatum", help="Datum van de brieven (JJJJ-MM-DD); standaard vandaag")
@click.option(
    "--kanaal",
    type=click.Choice(["auto", "post", "aangetekend", "e-mail"]),
    default="auto",
    help="auto: herinneringen per e-mail als het adres bekend is, formele brieven per post; "
    "aangetekend: vul daarna het track & trace-nummer in op het blad Acties",
)
@click.option("--pdf/--geen-pdf", default=True, help="Ook PDF's maken (met LibreOffice)")
@click.option("--eml/--geen-eml", default=True, help="Ook e-mailconcepten (.eml) maken")
@click.option(
    "--verstuur",
    is_flag=True,
    help="De e-mails meteen versturen (SMTP uit Instellingen); wat de server aanneemt, staat "
    "daarna als verzonden op het blad Acties",
)
@click.option("--proef", is_flag=True, help="Alleen laten zien wat er gemaakt zou worden")
@click.option(
    "--opnieuw", is_flag=True, help="De brieven van vandaag opnieuw maken, zonder te loggen"
)
@click.option("--toch", is_flag=True, help="Ook als het laatste bankafschrift te oud is")
@click.option(
    "--ondanks-betaling",
    "ondanks_betaling",
    is_flag=True,
    help="Ook klanten van wie een betaling nog 'Te controleren' is een brief sturen of bellen",
)
@click.option(
    "--onbevestigde-rente",
    "confirm_rates",
    is_flag=True,
    help="Formele brieven ook maken als ze een rentepercentage noemen dat op het blad Rentes "
    "niet bevestigd is",
)
@click.option("--toekomst", is_flag=True, help=_FUTURE_HELP)
@click.option("--stil", is_flag=True, help="Geen voortgangsbalk")
def brieven(
    boek,
    stap,
    klant,
    peildatum,
    kanaal,
    pdf,
    eml,
    verstuur,
    proef,
    opnieuw,
    toch,
    confirm_rates,
    ondanks_betaling,
    toekomst,
    stil,
) -> None:
    """Maak de brieven die vandaag aan de beurt zijn en leg ze vast op het blad Acties.

    Een brief staat op Acties als concept tot hij verstuurd is: markeer geposte brieven en
    verstuurde e-mailconcepten met 'debiteuren verzonden'. Alleen verstuurde brieven tellen
    voor termijnen, kosten en de volgende stap. Afsluitcode 1: klaar, maar niet alles is gelukt
    (een e-mail geweigerd, een brief tegengehouden).
    """

    from . import service

    as_of = _peildatum(peildatum)
    with _Progress(stil) as progress:
        result = _run(
            lambda: service.letters(
                boek,
                as_of,
                now=_now(),
                step=stap,
                customer=klant,
                pdf=pdf,
                eml=eml,
                send=verstuur,
                dry_run=proef,
                again=opnieuw,
                channel=kanaal,
                confirm_stale=toch,
                confirm_rates=confirm_rates,
                confirm_review=ondanks_betaling,
                confirm_future=toekomst,
                progress=progress,
            )
        )
    _show(result, book=_shell(boek), program=_program(), sent_on=_sent_on(as_of))


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option(
    "--op",
    "day",
    help="De dag waarop de brieven de deur uit gingen (JJJJ-MM-DD); standaard vandaag",
)
@click.option("--klant", "klanten", multiple=True, help="Alleen deze klant (herhaalbaar)")
@click.option(
    "--stap",
    help="Alleen deze stap: herinnering, aanmaning, 14-dagenbrief, eerste-herinnering of "
    "ingebrekestelling",
)
@click.option(
    "--kanaal",
    type=click.Choice(["post", "aangetekend", "e-mail"]),
    help="Alleen brieven met dit kanaal",
)
@click.option("--proef", is_flag=True, help="Alleen laten zien wat er gemarkeerd zou worden")
@click.option("--toekomst", is_flag=True, help=_FUTURE_HELP)
def verzonden(boek, day, klanten, stap, kanaal, proef, toekomst) -> None:
    """Leg vast dat gemaakte brieven (concepten) verstuurd zijn: Status verzonden, Verzonden op.

    Voor de brieven uit het afdrukbestand zodra u ze post, en voor e-mailconcepten die u zelf
    verstuurde. De termijn van elke brief telt vanaf de dag van verzending.
    """

    from .service.letters import mark_sent

    sent_on = parse_day(day, "--op") if day is not None else _today()
    result = _run(
        lambda: mark_sent(
            boek,
            sent_on,
            now=_now(),
            customers=klanten,
            step=stap,
            channel=kanaal,
            dry_run=proef,
            confirm_future=toekomst,
        )
    )
    _show(result, chosen=bool(klanten or stap or kanaal))


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.argument("afschriften", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--peildatum", help="Rekendatum (JJJJ-MM-DD); standaard vandaag")
@click.option("--stil", is_flag=True, help="Geen voortgangsbalk")
def betalingen(boek, afschriften, peildatum, stil) -> None:
    """Lees bankafschriften in (CAMT.053, CODA, MT940) en koppel de betalingen aan facturen."""
    from datetime import datetime

    from .service.payments import import_statements

    _book_first("betalingen", boek, afschriften, "AFSCHRIFT")
    as_of = _peildatum(peildatum)
    with _Progress(stil) as progress:
        result = _run(
            lambda: import_statements(
                boek, afschriften, as_of=as_of, now=datetime.now(), progress=progress
            )
        )
    _show(result)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--klant", required=True, help="Klantnr")
@click.option("--termijnen", required=True, type=int, help="Aantal maandelijkse termijnen")
@click.option("--eerste", required=True, help="Vervaldatum van de eerste termijn (JJJJ-MM-DD)")
@click.option("--peildatum", help="Datum van de afspraak (JJJJ-MM-DD); standaard vandaag")
@click.option("--toekomst", is_flag=True, help=_FUTURE_HELP)
def regeling(boek, klant, termijnen, eerste, peildatum, toekomst) -> None:
    """Spreek een betalingsregeling af: termijnen, vastlegging en bevestigingsbrief."""

    from .service.payments import payment_plan

    as_of = _peildatum(peildatum)
    result = _run(
        lambda: payment_plan(
            boek,
            customer=klant,
            instalments=termijnen,
            first=parse_day(eerste, "--eerste"),
            as_of=as_of,
            now=_now(),
            confirm_future=toekomst,
        )
    )
    _show(result, book=_shell(boek), program=_program(), sent_on=_sent_on(as_of))


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--klant", required=True, help="Klantnr")
@click.option(
    "--uitkomst",
    required=True,
    type=click.Choice(["notitie", "belofte", "betwist"]),
    help="notitie, belofte (betaalbelofte) of betwist",
)
@click.option(
    "--op", "promised", help="Bij een belofte: de dag waarop de klant betaalt (JJJJ-MM-DD)"
)
@click.option("--facturen", help="Factuurnummers, gescheiden door komma's; standaard alle open")
@click.option("--tekst", default="", help="Wat er besproken is")
@click.option("--peildatum", help="Datum van het gesprek (JJJJ-MM-DD); standaard vandaag")
@click.option("--tijd", help="Tijd van een gesprek op een eerdere dag (UU:MM)")
@click.option("--toekomst", is_flag=True, help=_FUTURE_HELP)
def gesprek(boek, klant, uitkomst, promised, facturen, tekst, peildatum, tijd, toekomst) -> None:
    """Leg een telefoongesprek en de uitkomst vast op het blad Acties (met het tijdstip)."""
    from datetime import time

    from .service.letters import log_call

    at = None
    if tijd:
        try:
            hours, _, minutes = tijd.strip().partition(":")
            at = time(int(hours), int(minutes or 0))
        except ValueError:
            raise UserError(f"--tijd: '{tijd}' is geen tijd; schrijf bv. 14:30.") from None
    numbers = tuple(n.strip() for n in (facturen or "").split(",") if n.strip())
    changes = _run(
        lambda: log_call(
            boek,
            _peildatum(peildatum),
            customer=klant,
            outcome=uitkomst,
            now=_now(),
            promised_on=parse_day(promised, "--op") if promised is not None else None,
            invoices=numbers,
            note=tekst,
            at=at,
            confirm_future=toekomst,
        )
    )
    _show(changes, customer=klant)


@main.group()
def sjablonen() -> None:
    """Briefsjablonen beheren."""


@sjablonen.command("controleren")
@click.argument("map", required=False, type=click.Path(file_okay=False, exists=True))
def sjablonen_controleren(map) -> None:
    """Controleer (eigen) sjablonen op onbekende velden; MAP bevat nl/, fr/, en/ en de/."""
    from .letters.fields import known_fields
    from .letters.render import (
        TemplateError,
        check_template,
        shipped_template_dir,
        template_notes,
        unused_note,
    )
    from .service.reports import plural

    folder = Path(map) if map else shipped_template_dir()
    found = sorted(p for p in folder.glob("*/*") if p.suffix.lower() in _WORD_FILES)
    unused = {p: unused_note(p) for p in found}
    notes = [note for note in unused.values() if note]
    files = [p for p in found if not unused[p]]
    if not files:
        for note in notes:
            click.echo(f"Let op: {note}.")
        raise UserError(f"Geen sjablonen (.docx in nl/, fr/, en/ of de/) gevonden in {folder}.")
    fields = known_fields()
    problems: list[str] = []
    for path in files:
        try:
            found_problems = check_template(path, fields)
            problems += found_problems
            if not found_problems:  # a file that cannot be read: its problem once, not twice
                notes += template_notes(path)  # how the letters differ from it: no refusal
        except TemplateError as exc:
            problems.append(exc.message)
    for note in notes:
        click.echo(f"Let op: {note}.")
    if problems:
        for line in problems:
            click.echo(line, err=True)
        sys.exit(2)
    checked = plural(len(files), "sjabloon", "sjablonen")
    click.echo(f"{checked} gecontroleerd: geen onbekende velden.")
    if not map:  # the user's own templates are elsewhere: say so, it is not them
        click.echo(
            f"Dit waren de meegeleverde sjablonen ({folder}). Uw eigen sjablonen controleert u "
            "met: debiteuren sjablonen controleren MAP (de map sjablonen naast de map brieven)."
        )


#: Files a user may take for a letter template (Word saves them); the letters use only .docx.
_WORD_FILES = frozenset({".docx", ".docm", ".dotx", ".dotm", ".doc"})


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--klant", required=True, help="De klant die u overdraagt (Klantnr)")
@click.option(
    "--aan",
    default="",
    help="Het incassobureau of de gerechtsdeurwaarder: de Code of Naam van een rij op het blad "
    "Incassobureaus, of 'Naam, Straat 1, 1234 AB Plaats'",
)
@click.option("--peildatum", help="Datum van de overdracht (JJJJ-MM-DD); standaard vandaag")
@click.option(
    "--map",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Map voor het dossier; standaard naast de mappen met brieven",
)
@click.option(
    "--toch",
    is_flag=True,
    help="Ook zonder geldige 14-dagenbrief/eerste herinnering: dan zonder die kosten",
)
@click.option(
    "--oud-afschrift",
    "stale_ok",
    is_flag=True,
    help="Ook als het laatste bankafschrift ouder is dan de instelling toestaat",
)
@click.option(
    "--facturen",
    help="Alleen deze facturen overdragen (gescheiden door komma's); standaard alle die klaar zijn",
)
@click.option("--toekomst", is_flag=True, help=_FUTURE_HELP)
def overdracht(boek, klant, aan, peildatum, out_dir, toch, stale_ok, facturen, toekomst) -> None:
    """Draag een klant over aan een incassobureau: dossier (map en zip), Uit handen, Acties.

    Alleen facturen die klaar zijn gaan mee: de termijn van de laatste aanmaning of
    ingebrekestelling (gerekend vanaf de dag van verzending) is voorbij, en ze zijn niet
    betaald, betwist, gepauzeerd, beloofd of in een lopende betalingsregeling. De andere
    worden genoemd met de reden en de dag waarop ze klaar zijn. --toch draagt bewust eerder
    over.
    """

    from .service.handover import handover

    numbers = tuple(n.strip() for n in (facturen or "").split(",") if n.strip())
    result = _run(
        lambda: handover(
            boek,
            _peildatum(peildatum),
            customer=klant,
            to=aan,
            now=_now(),
            out_dir=out_dir,
            force=toch,
            confirm_stale=stale_ok,
            invoices=numbers,
            confirm_future=toekomst,
        )
    )
    _show(result)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--per", help="Peildatum (JJJJ-MM-DD), bv. 2025-12-31; standaard vandaag")
@click.option(
    "--map",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Map voor de bestanden; standaard export-<peildatum> naast het werkboek",
)
@click.option("--btw", "vat_rate", default="21", help="Btw-percentage voor de btw-kolommen (21)")
def export(boek, per, out_dir, vat_rate) -> None:
    """Maak de export voor de accountant: Excel, CSV en een PDF-samenvatting per peildatum."""
    from .service.export import export as export_book

    day = parse_day(per, "--per") if per is not None else _today()
    try:
        rate = Decimal(vat_rate.replace(",", ".").rstrip("%").strip())
    except ArithmeticError:
        raise UserError(f"--btw: '{vat_rate}' is geen percentage; schrijf bv. 21.") from None
    if not rate.is_finite() or not 0 <= rate < 100:
        raise UserError(f"--btw: '{vat_rate}' is geen percentage; schrijf bv. 21.")
    result = _run(
        lambda: export_book(boek, day, out_dir=Path(out_dir) if out_dir else None, vat_rate=rate)
    )
    _show(result)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--peildatum", help="Datum van vandaag (JJJJ-MM-DD); standaard vandaag")
def facturen(boek, bestanden, peildatum) -> None:
    """Lees e-facturen in (UBL, Peppol BIS 3.0, CII; ook uit een zip-bestand) en zet ze op de
    bladen Facturen en Klanten."""
    from datetime import datetime

    from .service.einvoice import import_invoices

    _book_first("facturen", boek, bestanden, "FACTUUR.xml")
    result = _run(
        lambda: import_invoices(boek, bestanden, now=datetime.now(), as_of=_peildatum(peildatum))
    )
    _show(result)


#: The --map option of ``excel installeren`` and ``excel verwijderen``.
_XLSTART_OPTION = click.option(
    "--map",
    "folder",
    type=click.Path(file_okay=False),
    help="De opstartmap van Excel (XLSTART); standaard vraagt debiteuren die aan Excel",
)


@main.group()
def excel() -> None:
    """De Excel-invoegtoepassing (het tabblad Debiteuren) installeren of verwijderen."""


@excel.command("installeren")
@_XLSTART_OPTION
def excel_installeren(folder) -> None:
    """Zet de invoegtoepassing in de opstartmap van Excel en koppel haar aan deze Python."""
    from . import excel as excel_mod

    done = _run(lambda: excel_mod.install(Path(folder) if folder else None))
    click.echo(f"Invoegtoepassing geïnstalleerd: {done.addin}")
    click.echo(f"Instellingen voor de knoppen: {done.config}")
    for line in excel_mod.install_help(done):
        click.echo(line)


@excel.command("verwijderen")
@_XLSTART_OPTION
def excel_verwijderen(folder) -> None:
    """Haal de invoegtoepassing en haar instellingen weg; uw werkboeken blijven staan."""
    from . import excel as excel_mod

    removed = _run(lambda: excel_mod.uninstall(Path(folder) if folder else None))
    for path in removed:
        click.echo(f"Verwijderd: {path}")
    if removed:
        click.echo("Start Excel opnieuw: het tabblad Debiteuren is dan weg.")
    else:
        click.echo("De invoegtoepassing was niet geïnstalleerd; er is niets verwijderd.")


if __name__ == "__main__":  # pragma: no cover
    main()
