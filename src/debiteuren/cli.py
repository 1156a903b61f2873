"""The ``debiteuren`` command. Each command parses its arguments and calls one use case.

Errors a user can fix are printed as one Dutch line (or a list of workbook problems) with exit
code 2; nothing is written then.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from decimal import Decimal

import click

from . import __version__
from .calculator import COSTS, SERIES, calculate
from .core.model import DayCount
from .core.money import money, parse_money
from .errors import DebiteurenError, ValidationFailed
from .formatting import euro, percent, short_date

__all__ = ["main"]


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
    """Parse an amount (``1000.00`` or ``1.000,00``); raise UserError naming ``what``."""
    try:
        return parse_money(value)
    except ValueError:
        raise UserError(f"{what}: '{value}' is geen bedrag; schrijf bv. 1000.00.") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="debiteuren")
def main() -> None:
    """debiteuren: openstaande facturen innen volgens Nederlands en Belgisch recht."""


def _run(fn):
    """Call ``fn`` and turn program errors into one-line Dutch messages with exit code 2."""
    try:
        return fn()
    except ValidationFailed as exc:
        click.echo(exc.message, err=True)
        sys.exit(2)
    except DebiteurenError as exc:
        raise UserError(exc.message) from None


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
        lambda: calculate(amount=amount, due=due, until=end, series=series, day_count=day_count,
                          payments=paid, costs=kosten)
    )
    st = result.statement
    if as_json:
        click.echo(json.dumps(_calculation_json(result), ensure_ascii=False, indent=2))
        return
    _print_calculation(result)
    del st


def _m(value: Decimal) -> str:
    return f"{money(value):.2f}"


def _calculation_json(result) -> dict:
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
    }


def _print_calculation(result) -> None:
    from rich.console import Console
    from rich.table import Table

    st = result.statement
    console = Console(highlight=False)
    conventions = {"365": "werkelijke dagen / 365", "werkelijk": "werkelijke dagen / werkelijk jaar",
                   "rentejaar": "werkelijke dagen / lengte van het rentejaar"}
    console.print(f"[bold]Berekening[/bold] van {short_date(st.start)} tot en met {short_date(st.end)}")
    console.print(f"Hoofdsom {euro(st.principal)}; rente: {result.series}; "
                  f"dagtelling: {conventions[st.day_count.value]}; "
                  f"{'jaarlijkse kapitalisatie' if st.compound else 'enkelvoudige rente'}.")
    if st.periods:
        table = Table(title="Renteperioden")
        for col in ("Van", "Tot en met", "Dagen", "Grondslag", "Rente %", "Rente"):
            table.add_column(col, justify="right")
        for p in st.periods:
            table.add_row(short_date(p.start), short_date(p.end), str(p.days), euro(p.base),
                          percent(p.rate), euro(p.interest))
        console.print(table)
    for c in st.capitalisations:
        console.print(f"Kapitalisatie op {short_date(c.on)}: {euro(c.amount)} bij de hoofdsom "
                      f"→ {euro(c.base_after)}")
    for a in st.allocations:
        console.print(f"Betaling {short_date(a.on)} {euro(a.amount)}: kosten {euro(a.to_costs)}, "
                      f"rente {euro(a.to_interest)}, hoofdsom {euro(a.to_principal)}"
                      + (f", te veel betaald {euro(a.surplus)}" if a.surplus else ""))
    console.print(f"Rente totaal:      {euro(st.interest)}")
    console.print(f"Kosten:            {euro(st.costs)} ({COSTS[result.costs_kind]})")
    console.print(f"Betaald:           {euro(st.paid)}")
    console.print(f"[bold]Openstaand:        {euro(st.outstanding)}[/bold]")


def _today() -> date:
    return date.today()


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


def _print_update(result) -> None:
    ov = result.overview
    click.echo(f"Peildatum {short_date(result.as_of)}: {ov.invoices_open} open facturen "
               f"({ov.invoices_overdue} vervallen) bij {len(ov.debtors)} klanten.")
    click.echo(f"Openstaande hoofdsom {euro(ov.principal_open)}, rente {euro(ov.interest_open)}, "
               f"kosten {euro(ov.costs_open)}; totaal te vorderen {euro(ov.outstanding)}.")
    if result.saved:
        click.echo(f"{result.cells_changed} cellen bijgewerkt in {result.path.name}"
                   + (f" (reservekopie: {result.backup.name})." if result.backup else "."))
    else:
        click.echo(f"Niets veranderd; {result.path.name} is niet opnieuw opgeslagen.")


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
def demo(map) -> None:
    """Maak een voorbeeldwerkboek met brieven in MAP (standaard ./demo) en werk het bij."""
    from . import demo as demo_mod
    from . import service

    folder = Path(map)
    path = folder / "voorbeeld-debiteuren.xlsx"
    if path.exists():
        path.unlink()
    _run(lambda: service.demo_workbook(path))
    from datetime import datetime

    result = _run(lambda: service.update(path, demo_mod.DEMO_AS_OF,
                                         now=datetime(2026, 10, 15, 9, 0)))
    click.echo(f"Voorbeeldwerkboek: {path}")
    _print_update(result)
    for aging in result.overview.top(5):
        click.echo(f"  {aging.debtor.number} {aging.debtor.name}: {euro(aging.outstanding)} "
                   f"({aging.stage}, oudste {aging.oldest_days} dagen)")
    made = _run(lambda: service.letters(path, demo_mod.DEMO_AS_OF,
                                        now=datetime(2026, 10, 15, 9, 5)))
    click.echo(f"{len(made.letters)} brieven gemaakt in {made.folder}"
               + (f", {len(made.calls)} klant(en) om te bellen (belijst.xlsx)." if made.calls
                  else "."))
    if made.pdf_note:
        click.echo(made.pdf_note)


@main.command()
@click.argument("boek", type=click.Path(dir_okay=False))
@click.option("--stap", help="herinnering, aanmaning, telefoon, 14-dagenbrief, "
              "eerste-herinnering of ingebrekestelling; standaard alle stappen die aan de beurt zijn")
@click.option("--klant", help="Alleen deze klant (Klantnr)")
@click.option("--peildatum", help="Datum van de brieven (JJJJ-MM-DD); standaard vandaag")
@click.option("--kanaal", type=click.Choice(["auto", "post", "e-mail"]), default="auto",
              help="auto: herinneringen per e-mail als het adres bekend is, formele brieven per post")
@click.option("--pdf/--geen-pdf", default=True, help="Ook PDF's maken (met LibreOffice)")
@click.option("--eml/--geen-eml", default=True, help="Ook e-mailconcepten (.eml) maken")
@click.option("--verstuur", is_flag=True, help="De e-mails meteen versturen (SMTP uit Instellingen)")
@click.option("--proef", is_flag=True, help="Alleen laten zien wat er gemaakt zou worden")
@click.option("--opnieuw", is_flag=True, help="De brieven van vandaag opnieuw maken, zonder te loggen")
def brieven(boek, stap, klant, peildatum, kanaal, pdf, eml, verstuur, proef, opnieuw) -> None:
    """Maak de brieven die vandaag aan de beurt zijn en leg ze vast op het blad Acties."""
    from datetime import datetime

    from . import service

    as_of = _peildatum(peildatum)
    result = _run(lambda: service.letters(
        boek, as_of, now=datetime.now(), step=stap, customer=klant, pdf=pdf, eml=eml,
        send=verstuur, dry_run=proef, again=opnieuw, channel=kanaal))
    if not result.letters and not result.calls:
        click.echo("Er zijn vandaag geen brieven of telefoontjes aan de beurt.")
        return
    verb = "zou maken" if proef else "gemaakt"
    click.echo(f"Brieven ({verb}):" if result.letters else "Geen brieven.")
    for w in result.letters:
        status = ""
        if w.sent:
            status = " – verzonden"
        elif w.error:
            status = f" – NIET verzonden: {w.error}"
        click.echo(f"  {w.debtor.number} {w.debtor.name}: {w.step.value} ({w.channel.value}), "
                   f"{len(w.invoices)} factu{'ren' if len(w.invoices) > 1 else 'ur'}, "
                   f"{euro(w.amount)}{status}")
    if result.calls:
        click.echo("Bellen:")
        for c in result.calls:
            click.echo(f"  {c['Klantnr']} {c['Naam']} ({c['Telefoon']}): {euro(c['Openstaand'])}")
    if proef:
        click.echo("Proef: er is niets geschreven.")
        return
    click.echo(f"Map: {result.folder}")
    if result.merged:
        click.echo(f"Afdrukken: {result.merged.name}")
    if result.call_list:
        click.echo(f"Belijst: {result.call_list.name}")
    if result.pdf_note:
        click.echo(result.pdf_note)
    if result.logged:
        click.echo(f"{result.logged} brieven vastgelegd op het blad Acties.")


@main.group()
def sjablonen() -> None:
    """Briefsjablonen beheren."""


@sjablonen.command("controleren")
@click.argument("map", required=False, type=click.Path(file_okay=False, exists=True))
def sjablonen_controleren(map) -> None:
    """Controleer (eigen) sjablonen op onbekende velden; MAP bevat nl/, fr/ en en/."""
    from .letters.render import TemplateError, check_template, shipped_template_dir
    from .letters.samples import known_fields

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


if __name__ == "__main__":  # pragma: no cover
    main()
