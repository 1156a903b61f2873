"""The ``debiteuren`` command. Each command parses its arguments and calls one use case.

Errors a user can fix are printed as one Dutch line (or a list of workbook problems) with exit
code 2; nothing is written then.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click

from . import __version__, cli_nl
from .calculator import COSTS, SERIES, calculate
from .core.model import DayCount
from .core.money import AmountFormatError, money, parse_exact_money
from .errors import DebiteurenError, ValidationFailed, quoted, system_error
from .formatting import euro, percent, short_date

__all__ = ["main"]

cli_nl.install()  # Click's own texts (Usage:, Options:, Error: ...) in Dutch


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Fout: {self.message}", err=True)


def parse_day(value: str, what: str) -> date:
    """Parse ``2025-03-31`` or ``31-03-2025``; raise UserError naming ``what``."""
    text = value.strip()
    try:
        if len(text) == 10 and text[2] == "-" and text[5] == "-":
            d, m, y = text.split("-")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{what}: '{value}' is geen datum; schrijf bv. 2025-03-31.") from None


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


def _show_version(ctx: click.Context) -> None:
    if not ctx.resilient_parsing:
        click.echo(f"debiteuren, versie {__version__}")
        ctx.exit()


def _run(fn):
    """Call ``fn`` and turn program errors into one-line Dutch messages with exit code 2."""
    try:
        return fn()
    except ValidationFailed as exc:
        click.echo(exc.message, err=True)
        sys.exit(2)
    except DebiteurenError as exc:
        raise UserError(exc.message) from None
    except OSError as exc:  # a folder that cannot be made, a full disk, a file in use
        raise UserError(os_problem(exc)) from None


def os_problem(exc: OSError) -> str:
    """Return a Dutch sentence for a file system error, with the system's own text quoted."""
    name = f" ({exc.filename})" if exc.filename else ""
    return (
        f"Een bestand of map kon niet gelezen of geschreven worden{name}. Controleer of de map "
        "bestaat, of u daar mag schrijven, of er schijfruimte is en of het bestand niet in een "
        f"ander programma openstaat, en probeer het opnieuw {quoted(system_error(exc))}."
    )


@main.command()
@click.option("--bedrag", required=True, help="Hoofdsom, bv. 1000.00")
@click.option("--vervaldatum", required=True, help="Laatste dag zonder rente (JJJJ-MM-DD)")
@click.option("--tot", "until", required=True, help="Betaal- of peildatum (JJJJ-MM-DD)")
@click.option("--rente", "series", required=True, help=f"Rentesoort: {', '.join(SERIES)}")
@click.option("--dagtelling", default="365", help="365 (standaard), werkelijk of rentejaar")
@click.option("--betaling", "payments", multiple=True, help="Betaling DATUM=BEDRAG; herhaalbaar")
@click.option("--kosten", default="geen", help=f"Kosten: {', '.join(COSTS)}")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON")
def bereken(bedrag, vervaldatum, until, series, dagtelling, payments, kosten, as_json) -> None:
    """Bereken rente en kosten over één bedrag, zoals de online rekenhulpen."""
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
    return parse_day(value, "--peildatum") if value else _today()


class _Progress:
    """A rich progress bar on a terminal; silent otherwise (scheduled tasks, pipes)."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None
        self.tasks: dict[str, int] = {}

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
            self.tasks[phase] = self.bar.add_task(phase, total=max(total, 1))
        self.bar.update(self.tasks[phase], completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _print_review(to_review, held_back=None) -> None:
    """Show the payments still "Te controleren", and who is held back because of them."""
    from .service.payments import plural, review_lines

    if not to_review:
        return
    count = plural(len(to_review), "betaling", "betalingen")
    verb = "is" if len(to_review) == 1 else "zijn"
    click.echo(
        f"Te controleren op het blad Betalingen: {count} die nog niet aan een factuur "
        f"gekoppeld {verb}:"
    )
    for text in review_lines(to_review):
        click.echo(f"  {text}")
    _print_held_back(held_back)


def _print_held_back(held_back) -> None:
    """Show the customers who get no letter because a payment under review may be theirs."""
    for number, payments in (held_back or {}).items():
        rows = ", ".join(str(p.row) for p in payments)
        click.echo(
            f"Klant {number} krijgt geen brief en staat niet op de belijst: de betaling op "
            f"rij {rows} van het blad Betalingen kan van deze klant zijn. Koppel die eerst, "
            "of ga bewust door met --ondanks-betaling."
        )


def _print_held(held) -> None:
    """Show the letters that are due but were not made, each with its reason."""
    if held:
        click.echo("Niet gemaakt:")
        for h in held:
            click.echo(f"  {h.debtor.number} {h.debtor.name}: {h.step.value}: {h.reason}.")


def _and_list(items: Sequence[str]) -> str:
    """Return ``a, b en c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _print_update(result, *, saved_line: bool = True) -> None:
    ov = result.overview
    click.echo(
        f"Peildatum {short_date(result.as_of)}: {ov.invoices_open} open facturen "
        f"({ov.invoices_overdue} vervallen) bij {len(ov.debtors)} klanten."
    )
    click.echo(
        f"Openstaande hoofdsom {euro(ov.principal_open)}, rente {euro(ov.interest_open)}, "
        f"kosten {euro(ov.costs_open)}; totaal te vorderen {euro(ov.outstanding)}."
    )
    if saved_line and result.saved:
        click.echo(
            f"{result.cells_changed} cellen bijgewerkt in {result.path.name}"
            + (f" (reservekopie: {result.backup.name})." if result.backup else ".")
        )
    elif saved_line:
        click.echo(f"Niets veranderd; {result.path.name} is niet opnieuw opgeslagen.")
    for text in result.tidied:
        click.echo(f"Verbeterd: {text}")
    from .core.watch import limitation_warnings

    for warning in limitation_warnings(result.assessment):
        click.echo(f"Let op, verjaring: {warning.message}")
    for text in result.warnings:
        click.echo(f"Let op: {text}")
    _print_review(getattr(result, "to_review", ()))


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
        result = _run(lambda: service.update(boek, as_of, now=datetime.now(), progress=progress))
    _print_update(result)


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
    from datetime import datetime

    from . import demo as demo_mod
    from . import service
    from .service.payments import import_statements
    from .service.update import invoice_references
    from .workbook.files import check_writable, workbook_lock

    folder = Path(map)
    day = demo_mod.DEMO_AS_OF
    path = folder / "voorbeeld-debiteuren.xlsx"
    _run(lambda: folder.mkdir(parents=True, exist_ok=True))
    # One writer: the whole demo holds the workbook's lock (a command on the demo workbook
    # meanwhile is refused, and the demo while one runs); an earlier demo workbook is
    # replaced, not removed first, and not while Excel has it open.
    _run(lambda: click.get_current_context().with_resource(workbook_lock(path)))
    if path.exists():
        _run(lambda: check_writable(path))
    _run(lambda: service.demo_workbook(path))
    data = _run(lambda: service.load(path, day, for_writing=False)).data
    references = {n: r.value for n, r in invoice_references(data).items()}
    statements = folder / demo_mod.STATEMENT_FOLDER
    first = _run(lambda: demo_mod.write_statement(statements, 0, references))
    read_in = _run(
        lambda: import_statements(path, [first], as_of=day, now=datetime(2026, 10, 15, 8, 55))
    )
    result = _run(lambda: service.update(path, day, now=datetime(2026, 10, 15, 9, 0)))
    click.echo(f"Voorbeeldwerkboek: {path}")
    for f in read_in.files:
        click.echo(
            f"Bankafschrift van gisteren ingelezen ({f.path.name}): {f.lines} bijschrijvingen, "
            f"{f.matched} gekoppeld, {f.review} te controleren (blad Betalingen)."
        )
    _print_update(result, saved_line=False)
    for aging in result.overview.top(5):
        click.echo(
            f"  {aging.debtor.number} {aging.debtor.name}: {euro(aging.outstanding)} "
            f"({aging.stage}, oudste {aging.oldest_days} dagen)"
        )
    # As 'brieven --onbevestigde-rente': the demo's date lies in 2026, whose Dutch rates the
    # Rentes sheet does not mark officieel yet, and the demo must show its formal letters.
    made = _run(
        lambda: service.letters(
            path, day, now=datetime(2026, 10, 15, 9, 5), pdf=pdf, confirm_rates=True
        )
    )
    steps = ", ".join(dict.fromkeys(w.step.value for w in made.letters))
    click.echo(
        f"{len(made.letters)} brieven gemaakt in {made.folder} ({steps})"
        + (f", {len(made.calls)} klant(en) om te bellen (belijst.xlsx)." if made.calls else ".")
    )
    if made.unconfirmed_made:
        names = _and_list([f"de {st.value} aan {d.number}" for d, st in made.unconfirmed_made])
        they = "ze noemen" if len(made.unconfirmed_made) > 1 else "die noemt"
        click.echo(
            f"Het voorbeeld maakt {names} zoals 'debiteuren brieven --onbevestigde-rente' doet: "
            f"{they} een rentepercentage dat op het blad Rentes nog niet bevestigd is. Zonder "
            "die keuze houdt 'brieven' zo'n formele brief tegen tot u het percentage daar op "
            "officieel zet."
        )
    for text in made.warnings:
        click.echo(f"Let op: {text}")
    _print_held(made.held)
    _print_held_back(made.held_back)
    if made.merged:
        click.echo(f"Afdrukken: {made.merged.name}")
    click.echo(
        "De brieven staan als concept op het blad Acties; ze tellen pas als ze verstuurd zijn "
        f"(debiteuren verzonden {path})."
    )
    if made.pdf_note:
        click.echo(made.pdf_note)
    second = _run(lambda: demo_mod.write_statement(statements, 1, references))
    einvoices = _run(lambda: demo_mod.write_einvoices(folder / demo_mod.EINVOICE_FOLDER))
    _print_next_steps(path, second, einvoices)


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


def _print_next_steps(book: Path, statement: Path, einvoices: Sequence[Path]) -> None:
    """Print the commands to try next on the demo workbook, ready to paste."""
    from . import demo as demo_mod

    run, day = _program(), f"--peildatum {demo_mod.DEMO_AS_OF.isoformat()}"
    b = _shell(book)
    click.echo("")
    click.echo("Probeer daarna, in deze volgorde:")
    lines = [
        ("Het bankafschrift van vandaag inlezen (twee betalingen):",
         f"{run} betalingen {b} {_shell(statement)} {day}"),
        ("Twee e-facturen inlezen (een bestaande en een nieuwe klant):",
         f"{run} facturen {b} {' '.join(_shell(p) for p in einvoices)} {day}"),
        ("Een telefoongesprek met een betaalbelofte vastleggen:",
         f"{run} gesprek {b} --klant K001 --uitkomst belofte --op 2026-10-22 {day}"),
        ("Een klant overdragen aan een incassobureau:",
         f'{run} overdracht {b} --klant K012 --aan {_shell("Incassobureau Noord B.V.")} {day}'),
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
    if result.gate_note:
        click.echo(f"Let op: {result.gate_note}")
    _print_review(result.to_review, result.held_back)
    for text in result.warnings:
        click.echo(f"Let op: {text}")
    if not result.letters and not result.calls and not result.held:
        click.echo("Er zijn vandaag geen brieven of telefoontjes aan de beurt.")
        return
    verb = "zou maken" if proef else "gemaakt"
    click.echo(f"Brieven ({verb}):" if result.letters else "Geen brieven.")
    for w in result.letters:
        status = ""
        if w.sent:
            status = " – verzonden"
        elif w.error:
            status = " – NIET verzonden"
        elif w.instead_of_email:
            status = " – per post, omdat de e-mail niet aankwam"
        click.echo(
            f"  {w.debtor.number} {w.debtor.name}: {w.step.value} ({w.channel.value}), "
            f"{len(w.invoices)} factu{'ren' if len(w.invoices) > 1 else 'ur'}, "
            f"{euro(w.amount)}{status}"
        )
    _print_held(result.held)
    if result.calls:
        click.echo("Bellen:")
        for c in result.calls:
            click.echo(f"  {c['Klantnr']} {c['Naam']} ({c['Telefoon']}): {euro(c['Openstaand'])}")
    if proef:
        click.echo("Proef: er is niets geschreven.")
        return
    click.echo(f"Map: {result.folder}")
    if result.merged:
        names = ", ".join(f"{w.debtor.number} {w.step.value}" for w in result.printed)
        click.echo(f"Afdrukken: {result.merged.name} ({names})")
        if result.merged_pdf:
            click.echo(f"Afdrukken als PDF: {result.merged_pdf.name}")
    if result.call_list:
        click.echo(f"Belijst: {result.call_list.name}")
    if result.pdf_note:
        click.echo(result.pdf_note)
    if result.logged:
        click.echo(
            f"{result.logged} brie{'ven' if result.logged != 1 else 'f'} vastgelegd op het blad "
            "Acties."
        )
        drafts = [w for w in result.letters if not w.sent and not w.error]
        if drafts:
            click.echo(
                f"{len(drafts)} daarvan {'staan' if len(drafts) != 1 else 'staat'} als concept: "
                "ze tellen pas als ze verstuurd zijn. Post u ze of verstuurt u de "
                "e-mailconcepten, leg dat dan vast met: debiteuren verzonden "
                f"{boek} [--op DATUM]"
            )
    if result.failed:
        click.echo("", err=True)
        click.echo(
            f"{len(result.failed)} e-mail{'s' if len(result.failed) != 1 else ''} niet "
            "verzonden; ze tellen niet mee en staan als brief voor de post in het afdrukbestand"
            + (f" {result.merged.name}" if result.merged else "")
            + ":",
            err=True,
        )
        for w in result.failed:
            click.echo(f"  {w.debtor.number} {w.debtor.name} ({w.step.value}): {w.error}", err=True)
    if result.send_log:
        click.echo(f"Verzendlog: {result.send_log}")
    if result.failed or result.held:
        sys.exit(1)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--op", "day", help="De dag waarop de brieven de deur uit gingen; standaard vandaag")
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

    sent_on = parse_day(day, "--op") if day else _today()
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
    if not result.marked:
        click.echo(
            "Er staan geen brieven als concept klaar"
            + (" die u koos." if (klanten or stap or kanaal) else ".")
        )
        return
    verb = "zou markeren als" if proef else "gemarkeerd als"
    click.echo(f"Brieven {verb} verzonden op {short_date(sent_on)}:")
    for m in result.marked:
        a = m.action
        term = f"; termijn tot en met {short_date(m.deadline)}" if m.deadline else ""
        click.echo(
            f"  {a.debtor} {m.debtor.name}: {a.step.value} ({a.channel.value}) van "
            f"{short_date(a.on)}{term}"
        )
    for m in result.marked:
        if m.warning:
            click.echo(f"Let op: {m.warning}.")
    if result.waiting:
        n = len(result.waiting)
        click.echo(f"Nog als concept: {n} brie{'ven' if n != 1 else 'f'}.")
    if proef:
        click.echo("Proef: er is niets geschreven.")


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.argument("afschriften", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--peildatum", help="Rekendatum (JJJJ-MM-DD); standaard vandaag")
@click.option("--stil", is_flag=True, help="Geen voortgangsbalk")
def betalingen(boek, afschriften, peildatum, stil) -> None:
    """Lees bankafschriften in (CAMT.053, CODA, MT940) en koppel de betalingen aan facturen."""
    from datetime import datetime

    from .service.payments import import_statements

    as_of = _peildatum(peildatum)
    with _Progress(stil) as progress:
        result = _run(
            lambda: import_statements(
                boek, afschriften, as_of=as_of, now=datetime.now(), progress=progress
            )
        )
    from .service.payments import import_report

    for text, error in import_report(result):
        click.echo(text, err=error)
    if result.failed:
        sys.exit(2)


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

    result = _run(
        lambda: payment_plan(
            boek,
            customer=klant,
            instalments=termijnen,
            first=parse_day(eerste, "--eerste"),
            as_of=_peildatum(peildatum),
            now=_now(),
            confirm_future=toekomst,
        )
    )
    click.echo(
        f"Betalingsregeling voor {result.customer}: {euro(result.total)} in "
        f"{len(result.instalments)} termijnen."
    )
    for n, day, amount in result.instalments:
        click.echo(f"  termijn {n}: {short_date(day)} {euro(amount)}")
    if result.letter:
        click.echo(f"Bevestigingsbrief: {result.letter}")
    if result.pdf:
        click.echo(f"Als PDF: {result.pdf}")
    if result.eml:
        click.echo(f"E-mailconcept: {result.eml}")
    if result.pdf_note:
        click.echo(result.pdf_note)
    for text in result.warnings:
        click.echo(f"Let op: {text}")
    if result.letter:
        click.echo(
            "De brief staat als concept op het blad Acties; verstuurd? Leg dat vast met: "
            f"debiteuren verzonden {boek} --klant {result.customer}"
        )


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--klant", required=True, help="Klantnr")
@click.option(
    "--uitkomst",
    required=True,
    type=click.Choice(["notitie", "belofte", "betwist"]),
    help="notitie, belofte (betaalbelofte) of betwist",
)
@click.option("--op", "promised", help="Bij een belofte: de dag waarop de klant betaalt")
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
            promised_on=parse_day(promised, "--op") if promised else None,
            invoices=numbers,
            note=tekst,
            at=at,
            confirm_future=toekomst,
        )
    )
    rows = changes.append.get("Acties", [])
    click.echo(
        f"Vastgelegd op het blad Acties: {', '.join(str(r['step']) for r in rows)} "
        f"voor klant {klant}."
    )


@main.group()
def sjablonen() -> None:
    """Briefsjablonen beheren."""


@sjablonen.command("controleren")
@click.argument("map", required=False, type=click.Path(file_okay=False, exists=True))
def sjablonen_controleren(map) -> None:
    """Controleer (eigen) sjablonen op onbekende velden; MAP bevat nl/, fr/ en en/."""
    from .letters.fields import known_fields
    from .letters.render import TemplateError, check_template, shipped_template_dir

    folder = Path(map) if map else shipped_template_dir()
    files = sorted(folder.glob("*/*.docx"))
    if not files:
        raise UserError(f"Geen sjablonen (.docx in nl/, fr/ of en/) gevonden in {folder}.")
    fields = known_fields()
    problems: list[str] = []
    for path in files:
        try:
            problems += check_template(path, fields)
        except TemplateError as exc:
            problems.append(exc.message)
    if problems:
        for line in problems:
            click.echo(line, err=True)
        sys.exit(2)
    click.echo(f"{len(files)} sjablonen gecontroleerd: geen onbekende velden.")


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
    betaald, betwist, gepauzeerd of in een lopende betalingsregeling. De andere worden genoemd
    met de reden en de dag waarop ze klaar zijn. --toch draagt bewust eerder over.
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
    n = len(result.invoices)
    click.echo(
        f"Klant {result.debtor.number} {result.debtor.name} overgedragen"
        + (f" aan {result.to}" if result.to else "")
        + f": {n} factu{'ren' if n != 1 else 'ur'}, {euro(result.amount)}."
    )
    for number, why in result.left_out:
        click.echo(f"  Niet overgedragen: {number}: {why}.")
    for number, why in result.forced:
        click.echo(f"  Toch overgedragen (--toch): {number}: {why}.")
    for number, why in result.costs_left_out:
        click.echo(f"  Zonder kosten: {number}: {why}.")
    click.echo(f"Dossier: {result.folder}")
    click.echo(f"Zip:     {result.archive}")
    copied = len(result.letters) - len(result.missing_letters)
    click.echo(f"{copied} verstuurde brie{'ven' if copied != 1 else 'f'} gekopieerd.")
    attached = [c for c in result.invoice_copies if c.copy is not None]
    click.echo(f"{len(attached)} van {len(result.invoice_copies)} facturen als PDF bijgevoegd.")
    for c in result.invoice_copies:
        if c.copy is None:
            click.echo(f"  Niet bijgevoegd: factuur {c.invoice}: {c.why}.")
    for missing in result.missing_letters:
        a = missing.action
        click.echo(
            f"  Niet bijgevoegd: {a.step.value} van {short_date(a.on)}: {missing.why}"
            + (f" ({a.file})." if a.file else ".")
        )
    if result.pdf_note:
        click.echo(result.pdf_note)
    for warning in result.warnings:
        click.echo(f"Let op: {warning}")
    click.echo("Loont doorzetten? (indicatief)")
    for line in result.worth.lines:
        click.echo(f"  {line}")
    click.echo(f"  {result.worth.verdict}")
    if result.whole:
        click.echo("De klant staat nu op 'Uit handen'; de overdracht staat op het blad Acties.")
    else:
        click.echo(
            "De overdracht van deze facturen staat op het blad Acties; de andere facturen "
            "van de klant blijven op de ladder."
        )


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

    day = parse_day(per, "--per") if per else _today()
    try:
        rate = Decimal(vat_rate.replace(",", ".").rstrip("%").strip())
    except ArithmeticError:
        raise UserError(f"--btw: '{vat_rate}' is geen percentage; schrijf bv. 21.") from None
    if not rate.is_finite() or not 0 <= rate < 100:
        raise UserError(f"--btw: '{vat_rate}' is geen percentage; schrijf bv. 21.")
    result = _run(
        lambda: export_book(boek, day, out_dir=Path(out_dir) if out_dir else None, vat_rate=rate)
    )
    s = result.summary
    click.echo(f"Export per {short_date(result.per)} in {result.folder}:")
    for path in (result.workbook, result.csv, result.pdf or result.docx):
        if path is not None:
            click.echo(f"  {path.name}")
    click.echo(
        f"{s.count} open factu{'ur' if s.count == 1 else 'ren'}; open hoofdsom "
        f"{euro(s.principal_open)}, rente {euro(s.interest_open)}, kosten "
        f"{euro(s.costs_open)}; totaal open {euro(s.outstanding)}."
    )
    click.echo(f"Uit handen: {s.handed_over_count}, totaal open {euro(s.handed_over_total)}.")
    click.echo(
        f"Btw-teruggaaf NL mogelijk: {s.vat_count} factu"
        f"{'ur' if s.vat_count == 1 else 'ren'}, btw {euro(s.vat_total)} (bij "
        f"{s.vat_rate.normalize():f}%; controleer het tarief per factuur)."
    )
    click.echo(
        f"België, te beoordelen op definitief verlies: {s.be_count}, open hoofdsom "
        f"{euro(s.be_total)} (geen automatische teruggaaf)."
    )
    if s.skipped_invoices:
        click.echo(
            f"{s.skipped_invoices} factu{'ur' if s.skipped_invoices == 1 else 'ren'} na de "
            "peildatum niet meegeteld."
        )
    if result.note:
        click.echo(result.note)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--peildatum", help="Datum van vandaag (JJJJ-MM-DD); standaard vandaag")
def facturen(boek, bestanden, peildatum) -> None:
    """Lees e-facturen in (UBL, Peppol BIS 3.0) en zet ze op de bladen Facturen en Klanten."""
    from datetime import datetime

    from .service.einvoice import import_invoices

    result = _run(
        lambda: import_invoices(boek, bestanden, now=datetime.now(), as_of=_peildatum(peildatum))
    )
    words = {"toegevoegd": "", "geweigerd": "geweigerd. ", "fout": "FOUT, niet ingelezen. "}
    for f in result.files:
        first, *rest = f.messages or ("",)
        click.echo(f"{f.file.name}: {words[f.status]}{first}", err=f.failed)
        for line in rest:
            click.echo(f"  - {line}", err=f.failed)
    n = len(result.added)
    parts = [f"{n} factu{'ur' if n == 1 else 'ren'} toegevoegd"]
    if result.new_customers:
        k = len(result.new_customers)
        numbers = ", ".join(result.new_customers)
        parts.append(f"{k} nieuwe klant{'en' if k != 1 else ''} ({numbers})")
    if result.refused:
        parts.append(f"{len(result.refused)} geweigerd (dubbel)")
    if result.failed:
        parts.append(f"{len(result.failed)} met een fout")
    if result.saved:
        tail = (
            f" Het werkboek is bijgewerkt (reservekopie: {result.backup.name})."
            if result.backup
            else " Het werkboek is bijgewerkt."
        )
    else:
        tail = " Het werkboek is niet gewijzigd."
    click.echo("; ".join(parts) + "." + tail)
    if result.failed:
        sys.exit(2)


@main.group()
def excel() -> None:
    """De Excel-invoegtoepassing (het tabblad Debiteuren) installeren of verwijderen."""


@excel.command("installeren")
@click.option(
    "--map",
    "folder",
    type=click.Path(file_okay=False),
    help="De opstartmap van Excel (XLSTART); standaard vraagt debiteuren die aan Excel",
)
def excel_installeren(folder) -> None:
    """Zet de invoegtoepassing in de opstartmap van Excel en koppel haar aan deze Python."""
    from . import excel as excel_mod

    done = _run(lambda: excel_mod.install(Path(folder) if folder else None))
    click.echo(f"Invoegtoepassing geïnstalleerd: {done.addin}")
    click.echo(f"Instellingen voor de knoppen: {done.config}")
    for line in excel_mod.install_help(done):
        click.echo(line)


@excel.command("verwijderen")
@click.option(
    "--map",
    "folder",
    type=click.Path(file_okay=False),
    help="De opstartmap van Excel (XLSTART); standaard vraagt debiteuren die aan Excel",
)
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
