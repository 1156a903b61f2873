"""Click in Dutch: a small message catalogue for Click's own texts, and Dutch usage words.

Click marks its texts for translation with :mod:`gettext` (``Usage:``, ``Options:``, ``Show this
message and exit.``, ``Error: Missing option``, ``No such command``, ``Did you mean``,
``Invalid value … is not one of``, the ``--version`` line) but leaves it to the program to supply
a translation. Selecting one through gettext would depend on the user's locale variables
(``LANGUAGE``, ``LANG``), and debiteuren speaks Dutch whatever the locale says. So
:func:`install` points the ``_`` and ``ngettext`` names of Click's modules at :data:`MESSAGES`:
one mechanism for every Click text, with the English text kept where the catalogue has no
entry (a test checks the commands' help and errors for English words).

Click writes a few words without gettext: the usage placeholders ``[OPTIONS]`` and
``COMMAND [ARGS]...`` and the metavars of options (``TEXT``, ``INTEGER``). :class:`DutchGroup`
and :class:`DutchCommand` set Dutch ones (``[OPTIES]``, ``OPDRACHT [ARGUMENTEN]...``,
``TEKST``, ``GETAL``, ``DATUM``).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

__all__ = ["MESSAGES", "PLURALS", "DutchCommand", "DutchGroup", "gettext", "install", "ngettext"]

#: Click's message ids (English) -> Dutch. Placeholders keep their names; a Dutch text may leave
#: one out (``str.format`` ignores unused names).
MESSAGES: dict[str, str] = {
    # Help pages.
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon het versienummer en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(wisselend)",
    "deprecated": "verouderd",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder het te vragen.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    # Errors.
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Typ '{command} {option}' voor hulp.",
    "Aborted!": "Afgebroken.",
    "Missing command.": "Geef een opdracht.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende waarde",
    "Missing {param_type}": "Ontbrekende waarde",
    "Missing parameter: {param_name}": "Ontbrekende waarde: {param_name}",
    "No such option {name!r}.": "De optie {name!r} bestaat niet.",
    "No such command {name!r}.": "De opdracht {name!r} bestaat niet.",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Option {name!r} does not take a value.": "De optie {name!r} krijgt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Het argument {name!r} krijgt {nargs} waarden.",
    "Invalid start character for option ({option})": "Ongeldig begin van een optie ({option})",
    "Value must be an iterable.": "Geef een lijst van waarden.",
    "Could not open file {filename!r}: {message}": (
        "Het bestand {filename!r} kan niet geopend worden: {message}"
    ),
    "unknown error": "onbekende fout",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{name} {filename!r} does not exist.": "{filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{filename!r} is een bestand, geen map.",
    "{name} {filename!r} is a directory.": "{filename!r} is een map, geen bestand.",
    "{name} {filename!r} is not readable.": "{filename!r} kan niet gelezen worden.",
    "{name} {filename!r} is not writable.": "In {filename!r} kan niet geschreven worden.",
    "{name} {filename!r} is not executable.": "{filename!r} kan niet uitgevoerd worden.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig getal.",
    "{value} is not in the range {range}.": "{value} ligt niet tussen {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen ja of nee. Bekende waarden: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "Choice({choices})": "Keuze({choices})",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee waarden zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
}

#: Click's plural message ids: (singular, plural) -> (Dutch singular, Dutch plural).
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Bedoelt u {possibility}?",
        "(Bedoelt u een van deze: {possibilities}?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} is geen geldige keuze; kies {choice}.",
        "{value!r} is geen geldige keuze; kies uit {choices}.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Onverwacht extra argument ({args})",
        "Onverwachte extra argumenten ({args})",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "De optie {name!r} heeft een waarde nodig.",
        "De optie {name!r} heeft {nargs} waarden nodig.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Verwacht {nargs} waarden, maar kreeg er 1.",
        "Verwacht {nargs} waarden, maar kreeg er {len}.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} past niet bij de vorm {format}.",
        "{value!r} past niet bij de vormen {formats}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "Er zijn {len_type} waarden nodig, maar er is er {len_value} gegeven.",
        "Er zijn {len_type} waarden nodig, maar er zijn er {len_value} gegeven.",
    ),
}

_PLURAL_BY_SINGULAR = {singular: dutch for (singular, _), dutch in PLURALS.items()}

#: Click's modules that import ``gettext`` / ``ngettext`` by name.
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def gettext(message: str) -> str:
    """Return the Dutch text of Click's ``message``; the message itself when unknown."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the Dutch singular or plural of one of Click's plural messages."""
    dutch = _PLURAL_BY_SINGULAR.get(singular)
    if dutch is None:
        return singular if n == 1 else plural
    return dutch[0] if n == 1 else dutch[1]


def install() -> None:
    """Make Click's own texts Dutch, in this process (idempotent)."""
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module another Click version does not have
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


#: Metavar of an option by Click type name, where the option's help does not name a date.
_METAVARS = {
    "text": "TEKST",
    "integer": "GETAL",
    "integer range": "GETAL",
    "float": "GETAL",
    "float range": "GETAL",
    "boolean": "JA|NEE",
    "path": "PAD",
    "filename": "BESTAND",
    "datetime": "DATUM",
}


def _dutch_metavars(params: list[click.Parameter]) -> None:
    for param in params:
        if not isinstance(param, click.Option) or param.metavar is not None or param.is_flag:
            continue
        if isinstance(param.type, click.Choice):
            continue  # Click shows the choices themselves: [post|e-mail]
        if "JJJJ-MM-DD" in (param.help or ""):
            param.metavar = "DATUM"
        elif isinstance(param.type, click.Path) and not param.type.file_okay:
            param.metavar = "MAP"
        else:
            param.metavar = _METAVARS.get(param.type.name, "WAARDE")


class DutchCommand(click.Command):
    """A Click command whose usage line and option placeholders are Dutch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)
        _dutch_metavars(self.params)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse ``args``; an option that takes one value, given twice (``--klant K1 --klant
        K2``), is refused: Click keeps the last without a word, and the run then did something
        else than asked for (one customer's letters instead of two)."""
        _once_each(self.params, args, ctx)
        return super().parse_args(ctx, args)


def _once_each(params: list[click.Parameter], args: list[str], ctx: click.Context) -> None:
    """Fail when an option of ``params`` that takes one value occurs twice in ``args`` (before
    ``--``; as ``--optie WAARDE`` or ``--optie=WAARDE``)."""
    single = {
        name: param
        for param in params
        if isinstance(param, click.Option) and not param.multiple and not param.count
        for name in param.opts
        if not param.is_flag
    }
    seen: dict[str, int] = {}
    expect_value = False
    for arg in args:
        if arg == "--":
            break
        if expect_value:  # the value of the option before, even when it starts with --
            expect_value = False
            continue
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        param = single.get(name)
        if param is None:
            continue
        expect_value = "=" not in arg
        key = param.name or name
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            ctx.fail(
                f"De optie {param.opts[0]} staat er twee keer; zij neemt één waarde. "
                "Geef haar één keer (voor meer klanten: draai de opdracht per klant)."
                if param.opts[0] == "--klant"
                else f"De optie {param.opts[0]} staat er twee keer; zij neemt één waarde."
            )


class DutchGroup(click.Group):
    """A Click group whose usage line, option placeholders and subcommands are Dutch."""

    command_class = DutchCommand
    group_class = type  # subgroups are DutchGroups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIES]")
        kwargs.setdefault("subcommand_metavar", "OPDRACHT [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)
        _dutch_metavars(self.params)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Resolve the subcommand; ``debiteuren BOEK.xlsx bijwerken`` (the workbook before the
        command) is told the right order instead of only "De opdracht 'BOEK.xlsx' bestaat
        niet"."""
        if (
            ctx.parent is None
            and len(args) > 1
            and "." in args[0]
            and self.get_command(ctx, args[0]) is None
            and self.get_command(ctx, args[1]) is not None
        ):
            fixed = " ".join([ctx.command_path, args[1], args[0], *args[2:]])
            ctx.fail(f"De opdracht komt vóór het werkboek: {fixed}")
        return super().resolve_command(ctx, args)
