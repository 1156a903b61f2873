"""The Excel entry points: one handler per ribbon button, and installing the add-in.

The add-in (``addin/debiteuren.xlam``) has one VBA callback that runs
``RunPython "import debiteuren.excel as x; x.on_button('<id>')"``; :func:`on_button` calls
``HANDLERS[id]``. Every handler is wrapped by :func:`excel_action`, which is the only place
that touches the caller's book, the clock and the file system for the user interface: it finds
the calling book, reads today's date, runs the use case of :mod:`debiteuren.service.live`, shows
the result in the status bar, and turns problems into one readable Dutch message box. A
traceback never reaches the user: unexpected errors are written to :data:`LOG_FILE` and the
message names that file.

The buttons:

=================  ==================================================================
``bijwerken``      recompute every invoice at today's date (:func:`~.service.live.update_live`)
``herinneringen``  the reminders that are due (letters step ``herinnering``)
``aanmaningen``    the formal demands that are due (letters step ``aanmaning``)
``verzonden``      mark the letters still in concept as sent today (after a yes/no question)
``overdracht``     hand over the customer on the selected row of Klanten or Facturen
``betalingen``     import every statement in the folder ``bankafschriften`` beside the
                   workbook (CAMT.053 .xml, CODA .cod/.coda, MT940 .sta/.mt940/.swi/.940/
                   .fin); entries read before are skipped by their bank reference
``brieven_openen`` open the letters folder in Explorer or Finder
``instellingen``   show the sheet Instellingen
=================  ==================================================================

Installing (``debiteuren excel installeren``) copies the add-in into Excel's startup folder
(XLSTART, as ``xlwings addin install`` finds it) and writes ``debiteuren.conf``, which tells the
add-in's VBA which Python to start (``addin/VBA_FORMAT.md``).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from . import service
from .errors import DebiteurenError, Issue, ValidationFailed
from .formatting import short_date
from .outputs.letters import letter_base
from .service import live as live_service
from .service import reports
from .service.gate import StaleStatement
from .workbook import schema
from .workbook.files import FolderReadOnly, workbook_lock
from .workbook.live import LiveBook, recognise_local_errors

__all__ = [
    "ADDIN_NAME",
    "CONFIG_NAME",
    "HANDLERS",
    "LOG_FILE",
    "Context",
    "Environment",
    "ExcelNotAvailable",
    "addin_file",
    "config_file",
    "excel_action",
    "install",
    "install_help",
    "on_button",
    "problems_message",
    "uninstall",
]

ADDIN_NAME = "debiteuren.xlam"
CONFIG_NAME = "debiteuren.conf"
#: Where unexpected errors are logged, with their traceback.
LOG_FILE = Path.home() / ".debiteuren" / "excel.log"
#: At most this many problems are listed in one message box.
SHOWN = 15


# --- the environment of a button press ---------------------------------------------------------


def _caller() -> Any:
    import xlwings as xw

    ignore_workbook_config()
    recognise_local_errors()
    return xw.Book.caller()


#: The xlwings modules that read an ``xlwings.conf`` sheet of a workbook.
_CONFIG_READERS = ("xlwings.utils", "xlwings._xlmac", "xlwings.udfs", "xlwings.pro.utils")


def ignore_workbook_config() -> None:
    """Make xlwings ignore an ``xlwings.conf`` sheet in the workbook (SECURITY.md).

    The add-in's VBA already ignores a workbook's ``debiteuren.conf`` sheet; in Python, xlwings
    would read an ``xlwings.conf`` sheet to find a OneDrive or SharePoint book's local path
    (macOS) or a licence key. A workbook from someone else chooses nothing here.
    """
    for name in _CONFIG_READERS:
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "read_config_sheet"):
            module.read_config_sheet = _no_config  # type: ignore[attr-defined]


def _no_config(book: Any) -> dict[str, str]:
    return {}


def _open_folder(folder: Path) -> None:
    """Open ``folder`` in Explorer (Windows) or Finder (macOS)."""
    if sys.platform.startswith("win"):
        os.startfile(folder)  # type: ignore[attr-defined]  # Windows only
    elif sys.platform == "darwin":
        subprocess.run(["open", str(folder)], check=False)
    else:
        subprocess.run(["xdg-open", str(folder)], check=False)


@dataclass(slots=True)
class Environment:
    """What a button press needs from outside the program; tests replace it.

    Attributes:
      caller: returns the calling xlwings Book (``xlwings.Book.caller``).
      today: the peildatum of a button press.
      now: the current time (log and backup names).
      open_folder: shows a folder to the user.
      log_file: where unexpected errors are logged.
    """

    caller: Callable[[], Any] = _caller
    today: Callable[[], date] = date.today
    now: Callable[[], datetime] = datetime.now
    open_folder: Callable[[Path], None] = _open_folder
    log_file: Path = field(default_factory=lambda: LOG_FILE)


#: The environment of the button handlers.
ENV = Environment()


@dataclass(frozen=True, slots=True)
class Context:
    """One button press: the open book, the peildatum, the time and the environment."""

    live: LiveBook
    as_of: date
    now: datetime
    env: Environment

    def ask(self, question: str) -> bool:
        """Ask the user a yes/no question in a message box."""
        return self.live.ask(question, "Debiteuren")


class _Report(Protocol):
    status: str
    notes: tuple[str, ...]


def problems_message(issues: list[Issue], title: str) -> str:
    """Return one message box text for the workbook's problems: the first 15, then "en N meer".

    Each problem names its sheet, row and column (``Facturen, rij 12, Bedrag (incl. btw): …``).
    """
    count = len(issues)
    noun = "probleem" if count == 1 else "problemen"
    lines = [f"Het werkboek heeft {count} {noun}; er is niets gewijzigd.", ""]
    lines += [f"• {issue}" for issue in issues[:SHOWN]]
    if count > SHOWN:
        lines.append(f"• en {count - SHOWN} meer")
    lines += ["", f"Verbeter deze cellen en klik opnieuw op {title}."]
    return "\n".join(lines)


def _log(env: Environment, title: str) -> Path:
    """Append the current exception with its traceback to the log file; return its path."""
    path = env.log_file
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.stat().st_size > 1_000_000:
            path.replace(path.with_name(path.name + ".1"))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')} {title}\n")
            log.write(traceback.format_exc())
    except OSError:
        pass  # the message box still appears; it cannot point to a log that failed
    return path


def excel_action(title: str) -> Callable[[Callable[[Context], _Report]], Callable[[], None]]:
    """Make ``fn(context)`` a button handler: caller's book in, status bar and messages out.

    The handler reads the calling book and today's date, calls ``fn`` and shows its
    ``status`` in the status bar and its ``notes`` (if any) in one message box. Problems in
    the workbook (:class:`ValidationFailed`) and errors a user can fix
    (:class:`DebiteurenError`) become one Dutch message box; anything else is logged with its
    traceback and the message box names the log file.

    Args:
      title: the button's label, used in the message box title and the status bar.
    """

    def decorate(fn: Callable[[Context], _Report]) -> Callable[[], None]:
        @functools.wraps(fn)
        def run() -> None:
            env = ENV
            try:
                live = LiveBook(env.caller())
            except Exception:
                # No book to show a message box in: the add-in's VBA shows what Python wrote
                # to stderr when it ends with an error (a traceback, before)
                log = _log(env, title)
                sys.stderr.write(
                    f"Debiteuren – {title}: Excel gaf het werkboek niet door aan debiteuren. Klik "
                    f"in het werkboek en probeer opnieuw.\n\nDe details staan in:\n{log}\n"
                )
                raise SystemExit(1) from None
            heading = f"Debiteuren – {title}"
            try:
                live.status(f"{heading}: bezig…")
                with _file_lock(live):
                    report = fn(Context(live=live, as_of=env.today(), now=env.now(), env=env))
                live.status(report.status)
                if report.notes:
                    live.alert("\n".join(report.notes), heading)
            except ValidationFailed as exc:
                _tell(
                    env,
                    live,
                    heading,
                    problems_message(exc.issues, title),
                    f"{title}: gestopt; het werkboek heeft {len(exc.issues)} probleem/problemen.",
                )
            except DebiteurenError as exc:
                _tell(env, live, heading, exc.message, f"{title}: niet gelukt.")
            except Exception as exc:
                log = _log(env, title)
                _tell(
                    env,
                    live,
                    heading,
                    _unexpected(title, exc, live, log),
                    f"{title}: mislukt; zie {log}.",
                )

        return run

    return decorate


#: The error COM gives when Excel rejects a call because it is busy (the user clicked or typed
#: in Excel while a button ran): RPC_E_CALL_REJECTED.
_CALL_REJECTED = -2147418111


def _unexpected(title: str, exc: Exception, live: LiveBook, log: Path) -> str:
    """Return the message of an unexpected error: what happened to the open book (nothing,
    or part of the changes), and where the details are."""
    code = getattr(exc, "hresult", exc.args[0] if exc.args else None)
    cause = (
        f"Excel weigerde een opdracht van debiteuren bij {title}: Excel was bezig, meestal "
        "omdat er in Excel geklikt of getypt werd terwijl debiteuren werkte. Laat Excel met rust "
        "tot de statusbalk zegt dat het klaar is."
        if code == _CALL_REJECTED
        else f"Er ging iets onverwachts mis bij {title}."
    )
    state = (
        f"Er is niets in het werkboek gewijzigd; klik opnieuw op {title}."
        if live.untouched
        else "Een deel van de wijzigingen staat al in het werkboek: controleer het werkboek "
        "voordat u het opslaat."
    )
    return (
        f"{cause} {state}\n\nDe details staan in:\n{log}\n\nStuur dat bestand mee als u om "
        "hulp vraagt."
    )


@contextlib.contextmanager
def _file_lock(live: LiveBook) -> Iterator[None]:
    """Hold the lock of the open book's file while a button runs (SECURITY.md).

    A button reads the book, writes letters and dossiers beside it and changes the open book,
    which the user then saves over the file: a command line run on the same file meanwhile
    (``debiteuren betalingen``) would be lost, so the button is refused while one runs, and the
    command is refused while the button runs. A book not saved on this computer has no file to
    lock, and a folder where no lock file can be made only loses this protection: the button
    still runs (it writes into the open book).
    """
    path = live.path
    with contextlib.ExitStack() as stack:
        if "://" not in str(path) and path.is_absolute() and path.is_file():
            with contextlib.suppress(FolderReadOnly):
                stack.enter_context(workbook_lock(path))
        yield


def _tell(env: Environment, live: LiveBook, heading: str, text: str, status: str) -> None:
    """Show a message box and a status line; log when Excel cannot show them."""
    try:
        live.status(status)
        live.alert(text, heading)
    except Exception:
        _log(env, heading)


# --- the buttons -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What a button did: one line for the status bar, sentences for a message box."""

    status: str
    notes: tuple[str, ...] = ()


def _outcome(result: object, **hints: object) -> Outcome:
    """Return a use case's report (:mod:`.service.reports`) as a button shows it."""
    shown = reports.report(result, reports.Front.EXCEL, **hints)
    return Outcome(status=shown.status, notes=shown.notes)


@excel_action("Bijwerken")
def bijwerken(ctx: Context) -> _Report:
    """Recompute every invoice at today's date and write the results into the open book."""
    return live_service.update_live(ctx.live, ctx.as_of)


@excel_action("Herinneringen")
def herinneringen(ctx: Context) -> _Report:
    """Make the reminders that are due and log them in Acties."""
    return _letters(ctx, "herinnering")


@excel_action("Aanmaningen")
def aanmaningen(ctx: Context) -> _Report:
    """Make the formal demands that are due and log them in Acties."""
    return _letters(ctx, "aanmaning")


def _letters(ctx: Context, step: str) -> _Report:
    """Make the letters of ``step``; after an old bank statement only when the user says so."""
    ctx.live.progress("Brieven maken")
    try:
        result = service.letters(ctx.live, ctx.as_of, now=ctx.now, step=step)
    except StaleStatement as stale:
        question = (
            f"Het laatste ingelezen bankafschrift is van {short_date(stale.last)}. Wie daarna "
            "betaalde, kan toch een brief krijgen.\n\nLees eerst de nieuwe afschriften in met "
            "Betalingen importeren.\n\nWilt u toch nu brieven maken?"
        )
        if not ctx.ask(question):
            return Outcome(status="Geen brieven gemaakt: lees eerst de nieuwe bankafschriften in.")
        result = service.letters(ctx.live, ctx.as_of, now=ctx.now, step=step, confirm_stale=True)
    return _outcome(result, step=step, as_of=ctx.as_of)


@excel_action("Verzonden")
def verzonden(ctx: Context) -> _Report:
    """Mark the letters that are still concepts as sent today, after asking."""
    ctx.live.check_writable()  # before the question: a book open read-only is refused
    preview = service.mark_sent(ctx.live, ctx.as_of, now=ctx.now, dry_run=True)
    if not preview.marked and preview.left_unsent:  # only e-mails the user must name
        return _outcome(preview)
    if not preview.marked:
        return Outcome(status="Er staan geen brieven als concept klaar op het blad Acties.")
    shown = reports.report(preview, reports.Front.EXCEL).notes[1:]
    count = len(preview.marked)
    letters = "Is deze brief" if count == 1 else f"Zijn deze {count} brieven"
    question = "\n".join(
        [
            f"{letters} vandaag ({short_date(ctx.as_of)}) verstuurd (gepost of per e-mail)?",
            "",
            *(line for line in shown if line.startswith("• ")),
            "",
            # a plan's confirmation gives no term: said of a letter's term, not of each letter
            "De termijn in een brief telt vanaf vandaag. Kies Nee als dat nog niet gebeurd is; "
            "zet een brief die op een andere dag verstuurd is zelf op verzonden met de datum in "
            "'Verzonden op'.",
        ]
    )
    if not ctx.ask(question):
        return Outcome(status="Niets gemarkeerd: de brieven blijven als concept staan.")
    return _outcome(service.mark_sent(ctx.live, ctx.as_of, now=ctx.now))


@excel_action("Overdracht")
def overdracht(ctx: Context) -> _Report:
    """Hand over the customer on the selected row of Klanten or Facturen."""
    customer = ctx.live.customer_at_selection()
    if not customer:
        raise DebiteurenError(
            "Klik eerst op een cel in de rij van de klant die u wilt overdragen, op het blad "
            "Klanten of Facturen, en klik dan opnieuw op Overdracht."
        )
    ctx.live.progress("Dossier maken")
    return _outcome(service.handover(ctx.live, ctx.as_of, customer=customer, now=ctx.now))


#: The folder beside the workbook whose statement files "Betalingen importeren" reads.
STATEMENT_FOLDER = "bankafschriften"

#: Statement files by extension: CAMT.053, CODA, MT940 (the format is recognised by content).
STATEMENT_SUFFIXES = (".xml", ".cod", ".coda", ".sta", ".mt940", ".swi", ".940", ".fin", ".zip")


def statement_files(folder: Path) -> list[Path]:
    """Return the statement files in ``folder`` (by extension, sorted by name)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in STATEMENT_SUFFIXES
        and not p.name.startswith(("~", "."))
    )


@excel_action("Betalingen importeren")
def betalingen(ctx: Context) -> _Report:
    """Import every statement in the folder ``bankafschriften`` beside the workbook (entries
    imported before are recognised by their bank reference and skipped)."""
    folder = _saved_path(ctx.live).parent / STATEMENT_FOLDER
    kinds = "CAMT.053 (.xml), CODA (.cod) of MT940 (.sta, .940), ook in een .zip"
    if not folder.is_dir():
        folder.mkdir(parents=True)
        raise DebiteurenError(
            f"De map voor bankafschriften bestond nog niet; die is nu gemaakt: {folder}\n\nZet "
            f"daar de afschriften die u bij uw bank downloadt ({kinds}) en klik opnieuw op "
            "Betalingen importeren."
        )
    files = statement_files(folder)
    if not files:
        raise DebiteurenError(
            f"Er staan geen bankafschriften in {folder}.\n\nZet daar de afschriften die u bij "
            f"uw bank downloadt ({kinds}) en klik opnieuw op Betalingen importeren."
        )
    ctx.live.progress("Bankafschriften inlezen")
    result = service.import_statements(ctx.live, files, as_of=ctx.as_of, now=None)
    return _outcome(result, folder=folder.name)


@excel_action("Brieven openen")
def brieven_openen(ctx: Context) -> _Report:
    """Open the folder with the letters (setting "Uitvoermap brieven", else ``brieven``)."""
    data = service.load(ctx.live, ctx.as_of, for_writing=False).data
    folder = letter_base(_saved_path(ctx.live), data.letter_folder)
    if not folder.is_dir():
        raise DebiteurenError(
            f"Er zijn nog geen brieven gemaakt: de map {folder} bestaat nog niet. Klik eerst op "
            "Herinneringen of Aanmaningen."
        )
    ctx.env.open_folder(folder)
    return Outcome(status=f"Map met brieven geopend: {folder}")


@excel_action("Instellingen")
def instellingen(ctx: Context) -> _Report:
    """Show the sheet Instellingen."""
    if not ctx.live.activate(schema.INSTELLINGEN.name):
        raise DebiteurenError("Het werkblad Instellingen ontbreekt in dit werkboek.")
    return Outcome(status="Vul hier uw bedrijfsgegevens en keuzes in.")


def _saved_path(live: LiveBook) -> Path:
    """Return the open book's file; raise when it was never saved on this computer."""
    path = live.path
    if "://" in str(path) or not path.is_absolute() or not path.is_file():
        raise DebiteurenError(
            "Sla het werkboek eerst op in een map op deze computer (Bestand > Opslaan als). De "
            "brieven, de bankafschriften en de dossiers komen in mappen naast het werkboek."
        )
    return path


#: Button id (addin/customUI14.xml) -> handler.
HANDLERS: dict[str, Callable[[], None]] = {
    "bijwerken": bijwerken,
    "herinneringen": herinneringen,
    "aanmaningen": aanmaningen,
    "verzonden": verzonden,
    "overdracht": overdracht,
    "betalingen": betalingen,
    "brieven_openen": brieven_openen,
    "instellingen": instellingen,
}


def on_button(button_id: str) -> None:
    """Run the handler of a ribbon button (called by the add-in's VBA)."""
    HANDLERS.get(button_id, _unknown(button_id))()


def _unknown(button_id: str) -> Callable[[], None]:
    @excel_action("Debiteuren")
    def unknown(ctx: Context) -> _Report:
        raise DebiteurenError(
            f"De knop '{button_id}' is onbekend. Installeer de "
            "invoegtoepassing opnieuw: debiteuren excel installeren."
        )

    return unknown


# --- installing the add-in ---------------------------------------------------------------------


class ExcelNotAvailable(DebiteurenError):
    """Excel does not run on this system."""

    def __init__(self, platform: str) -> None:
        super().__init__(
            f"Excel is op dit systeem ({platform}) niet beschikbaar; de invoegtoepassing werkt "
            "met Excel voor Windows of macOS. Hier gebruikt u de opdrachten, zoals "
            "'debiteuren bijwerken WERKBOEK.xlsx'."
        )


class StartupFolderUnknown(DebiteurenError):
    """Excel could not be asked for its startup folder."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"De opstartmap van Excel (XLSTART) is niet gevonden ({reason}). Is Excel "
            "geïnstalleerd? Geef de map anders zelf op met --map."
        )


class AddinLocked(DebiteurenError):
    """The add-in file is in use."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is in gebruik. Sluit Excel helemaal af en probeer opnieuw.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Installed:
    """Where the add-in and its settings are."""

    addin: Path
    config: Path
    platform: str


def addin_file() -> Path:
    """Return the shipped add-in: package data when installed, else the repository's file."""
    packaged = Path(str(resources.files("debiteuren"))) / "addin" / ADDIN_NAME
    repository = Path(__file__).resolve().parents[2] / "addin" / ADDIN_NAME
    for candidate in (packaged, repository):
        if candidate.is_file():
            return candidate
    raise DebiteurenError(
        f"Het bestand {ADDIN_NAME} ontbreekt in de installatie ({packaged}); "
        "installeer debiteuren opnieuw."
    )


def _platform() -> str:
    return sys.platform


def _kind(platform: str) -> str:
    """Return "win" or "mac"; raise ExcelNotAvailable elsewhere."""
    if platform.startswith("win"):
        return "win"
    if platform == "darwin":
        return "mac"
    raise ExcelNotAvailable(platform)


def config_file(platform: str | None = None) -> Path:
    """Return the user settings file the add-in's VBA reads (``addin/VBA_FORMAT.md``)."""
    if _kind(platform or _platform()) == "win":
        home = Path(os.environ.get("USERPROFILE") or Path.home())
        return home / ".debiteuren" / CONFIG_NAME
    return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / CONFIG_NAME


def startup_folder() -> Path:
    """Ask Excel for its startup folder (XLSTART), as ``xlwings addin install`` does."""
    try:
        from xlwings.cli import get_addin_dir

        return Path(get_addin_dir())
    except Exception as exc:  # Excel missing or not answering: any error of COM/AppleScript
        raise StartupFolderUnknown(type(exc).__name__) from None


def _settings(kind: str) -> dict[str, str]:
    """Return the settings that point the add-in at this Python."""
    from xlwings.cli import get_conda_settings

    conda_path, conda_env = get_conda_settings()
    # The add-in ignores this setting too; written so that an older add-in is safe as well.
    safe = {"ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    if kind == "win" and conda_path:
        return {"CONDA PATH": conda_path, "CONDA ENV": conda_env, **safe}
    return {f"INTERPRETER_{kind.upper()}": sys.executable, **safe}


def _write_config(path: Path, settings: dict[str, str], kind: str) -> None:
    """Write ``"KEY","value"`` lines; keep other keys a user put in an existing file.

    Lines end as the platform's VBA expects them: CRLF on Windows, LF on macOS.
    """
    keep: list[list[str]] = []
    if path.is_file():
        ours = {
            "INTERPRETER_WIN",
            "INTERPRETER_MAC",
            "CONDA PATH",
            "CONDA ENV",
            "ADD_WORKBOOK_TO_PYTHONPATH",
        }
        for row in csv.reader(io.StringIO(path.read_text(encoding=_encoding(), errors="replace"))):
            if len(row) >= 2 and row[0].upper() not in ours:
                keep.append(row[:2])
    out = io.StringIO()
    writer = csv.writer(
        out, quoting=csv.QUOTE_ALL, lineterminator="\r\n" if kind == "win" else "\n"
    )
    for row in [*([k, v] for k, v in settings.items()), *keep]:
        writer.writerow(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding=_encoding(), newline="")


def _encoding() -> str:
    """Return the encoding VBA's ``Input #`` reads: the ANSI code page on Windows."""
    return "mbcs" if os.name == "nt" else "utf-8"


def _close_in_excel() -> None:
    """Close the add-in in a running Excel, so that its file can be replaced (best effort)."""
    try:
        import xlwings as xw

        for app in xw.apps:
            try:
                app.books[ADDIN_NAME].close()
            except Exception:  # not open in this instance: nothing to close
                continue
    except Exception:  # no Excel running or not reachable: the copy reports a locked file
        return


def _enable_runpython() -> None:
    """Install the AppleScript that RunPython needs on macOS (xlwings' own installer)."""
    from xlwings.cli import runpython_install

    runpython_install(None)


def install(startup: Path | None = None, platform: str | None = None) -> Installed:
    """Copy the add-in into Excel's startup folder and write the settings file.

    Args:
      startup: the startup folder; default: ask Excel (:func:`startup_folder`).
      platform: ``sys.platform`` by default.
    Returns:
      Where the add-in and the settings went. Raises ExcelNotAvailable on Linux.
    """
    kind = _kind(platform or _platform())
    source = addin_file()
    folder = startup if startup is not None else startup_folder()
    target = folder / ADDIN_NAME
    if startup is None:
        _close_in_excel()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(source, target)
    except PermissionError:
        raise AddinLocked(target) from None
    config = config_file(platform)
    _write_config(config, _settings(kind), kind)
    if kind == "mac":
        _enable_runpython()
    return Installed(addin=target, config=config, platform=kind)


def install_help(installed: Installed) -> list[str]:
    """Return the Dutch instructions printed after installing: restart, blocked macros."""
    folder = installed.addin.parent
    if installed.platform == "win":
        return [
            "Sluit Excel helemaal af en start het opnieuw: het tabblad Debiteuren staat dan in "
            "het lint.",
            "",
            "Ziet u het tabblad niet, of meldt Excel dat macro's geblokkeerd zijn?",
            f"1. Sluit Excel. Klik in Verkenner met de rechtermuisknop op {installed.addin} en "
            "kies Eigenschappen. Staat onderaan 'Deblokkeren', vink dat aan en klik op OK "
            "(Windows blokkeert bestanden die van internet komen).",
            "2. Of maak de map een vertrouwde locatie: in Excel Bestand > Opties > "
            "Vertrouwenscentrum > Instellingen voor het vertrouwenscentrum > Vertrouwde "
            f"locaties > Nieuwe locatie toevoegen: {folder}",
            "(Een invoegtoepassing in de opstartmap staat niet in de lijst van Bestand > Opties "
            "> Invoegtoepassingen; daar hoeft u niets aan te vinken.)",
            "",
            "Op een computer die door een IT-afdeling beheerd wordt, kan beleid macro's, "
            "niet-ondertekende invoegtoepassingen, vertrouwde locaties of het starten van "
            "Python blokkeren; de knoppen doen dan niets of Excel meldt dat macro's "
            "uitgeschakeld zijn. Vraag uw IT-afdeling de map hierboven als vertrouwde locatie "
            "toe te staan, of gebruik de opdrachten in een opdrachtvenster.",
            "",
            f"De knoppen starten Python via de instellingen in {installed.config}.",
        ]
    return [
        "Sluit Excel helemaal af (Cmd-Q) en start het opnieuw: het tabblad Debiteuren staat "
        "dan in het lint.",
        "",
        "Vraagt Excel of macro's ingeschakeld mogen worden, kies dan 'Macro's inschakelen'. "
        "Ziet u het tabblad niet, kijk dan bij Excel > Voorkeuren > Beveiliging en "
        "privacy > Macrobeveiliging of macro's uitgeschakeld zijn. (Een invoegtoepassing "
        "in de opstartmap staat niet in de lijst van Extra > Excel-invoegtoepassingen.)",
        "Op een Mac die door een IT-afdeling beheerd wordt, kan beleid macro's blokkeren; "
        "vraag dan uw IT-afdeling om hulp.",
        "Vraagt macOS de eerste keer om toegang tot een map, klik dan op 'Toegang verlenen'.",
        "",
        f"De knoppen starten Python via de instellingen in {installed.config}.",
    ]


def uninstall(startup: Path | None = None, platform: str | None = None) -> list[Path]:
    """Remove the add-in from Excel's startup folder and the settings file.

    Returns:
      The files removed (none when nothing was installed).
    """
    _kind(platform or _platform())
    folder = startup if startup is not None else startup_folder()
    if startup is None:
        _close_in_excel()
    removed = []
    for path in (folder / ADDIN_NAME, config_file(platform)):
        if path.is_file():
            try:
                path.unlink()
            except PermissionError:
                raise AddinLocked(path) from None
            removed.append(path)
    return removed
