"""Bank statements: read CAMT.053, CODA and MT940 files into one kind of record.

:func:`read_statement` reads a statement file, recognises its format by its content (not by its
extension) and returns one :class:`StatementLine` per credit booked on our account;
:func:`read_statement_files` reads a bank's zip of statements too, each statement as if it were
given on its own. Matching the lines to open invoices is :mod:`debiteuren.payments.matching`.

Rules shared by the three readers:

* **Only credits.** Debits are skipped. A reversal (storno) of an earlier credit is returned with
  ``is_reversal=True`` and a positive amount, so that the caller can cancel the original payment:
  a reversal marked as such (CAMT ``RvslInd``, MT940 ``RC``, a CODA R-transaction) and also a
  debit that books a payment back without that mark (a returned direct debit: CAMT ``RtrInf``
  or sub-family ``UPDD``, MT940 ``/RTRN/``). A reversal of a debit (money coming back from one
  of our own payments) is skipped: it is no customer payment.
* **All or nothing.** A file is parsed to its end before anything is returned; a broken or
  unknown file raises :class:`StatementError` (Dutch message with the file name and the line
  number, or the XML element path for CAMT), so a broken file imports nothing.
* **A stable bank reference.** ``bank_reference`` identifies the booking across imports, so that
  importing the same file twice is a no-op. CAMT's ``AcctSvcrRef`` is unique by definition and
  used as it is, unless it is a placeholder (``NONREF``, ``NOTPROVIDED``: German banks put
  ``NONREF`` in every entry). CODA's bank reference is "purely informative" in the standard and
  MT940's is optional, so for those (and for CAMT entries without a real ``AcctSvcrRef``) a key
  is built from the booking's content: see :func:`.lines._stable_key`.

The formats: :mod:`.camt053` (ISO 20022 camt.053.001.02 to .13), :mod:`.coda` (Febelfin CODA
2.x) and :mod:`.mt940` (SWIFT MT940 with the ING, Rabobank and ABN AMRO variants).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from debiteuren.errors import quoted, system_error
from debiteuren.formatting import euro
from debiteuren.inputs import (
    EXCEL,
    OFX,
    OLD_OFFICE,
    PDF,
    WORD,
    ZIP,
    NotAFile,
    TooLarge,
    ZipRefused,
    is_csv,
    is_zip,
    name_list,
    other_kind,
    read_limited,
    zip_contents,
    zip_members,
)

from . import camt053, coda, mt940
from .lines import NotAStatement, StatementError, StatementFile, StatementLine, StatementSummary

__all__ = [
    "StatementError",
    "StatementFile",
    "StatementLine",
    "StatementSummary",
    "detect_format",
    "pages_follow_on",
    "parse_statement",
    "parse_statement_file",
    "parse_statement_files",
    "read_statement",
    "read_statement_file",
    "read_statement_files",
]


#: The largest statement file read (bytes); a bigger file is refused before it is parsed.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: A zip of statements: at most this many files in it, and this many bytes unpacked together
#: (a zip bomb unpacks to far more than it holds; it is refused once the limit is passed).
MAX_ZIP_FILES = 1000
MAX_ZIP_BYTES = MAX_FILE_BYTES


def read_statement(path: str | Path) -> list[StatementLine]:
    """Read a bank statement file in CAMT.053, CODA or MT940 format.

    Args:
      path: the file; its format is recognised by its content, whatever its extension.
    Returns:
      The credits and reversals of credits, in file order. Raises :class:`StatementError` for
      an unreadable, unknown, broken or non-reconciling file (and then returns nothing at all).
    """
    return read_statement_file(path).lines


def read_statement_file(path: str | Path) -> StatementFile:
    """Read a bank statement file whole: its lines and a checked summary of each statement.

    Args:
      path: the file; its format is recognised by its content, whatever its extension.
    Returns:
      The :class:`StatementFile`. Raises :class:`StatementError` as :func:`read_statement`.
    """
    path = Path(path)
    return parse_statement_file(_read_bytes(path), source=path.name)


def read_statement_files(path: str | Path) -> list[StatementFile]:
    """Read a bank statement file, or a zip file of statements, whole.

    Args:
      path: a statement file (as :func:`read_statement_file`), or a zip file in which the
        banks deliver several days or accounts at once (see :func:`parse_statement_files`).
    Returns:
      One :class:`StatementFile` per statement file. Raises :class:`StatementError` as
      :func:`read_statement` does; for a zip, when any statement in it cannot be read.
    """
    path = Path(path)
    return parse_statement_files(_read_bytes(path), source=path.name)


def _read_bytes(path: Path) -> bytes:
    """Return the bytes of a statement file; raise :class:`StatementError` when it cannot be
    read or is too large."""
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except TooLarge:
        raise StatementError(
            path.name, "", "het bestand is groter dan 512 MB; dat is geen rekeningafschrift"
        ) from None
    except NotAFile:
        raise StatementError(
            path.name,
            "",
            "dit is geen gewoon bestand (maar een map, apparaat of pijp); geef het "
            "afschriftbestand zelf",
        ) from None
    except OSError as exc:
        problem = (
            "het bestand kan niet worden gelezen; controleer de naam en of u het mag openen "
            + quoted(system_error(exc))
        )
        raise StatementError(path.name, "", problem) from None


def parse_statement(data: bytes, *, source: str) -> list[StatementLine]:
    """Parse the bytes of a statement file; see :func:`read_statement`.

    Args:
      data: the file content.
      source: the file name, used in the lines and in error messages.
    Returns:
      The credits and reversals of credits, in file order.
    """
    return parse_statement_file(data, source=source).lines


def parse_statement_file(data: bytes, *, source: str) -> StatementFile:
    """Parse the bytes of a statement file; see :func:`read_statement_file`.

    Args:
      data: the file content.
      source: the file name, used in the lines and in error messages.
    Returns:
      The lines and the statements' summaries.
    """
    # the assessment's own switch, imported here (the statement readers need nothing else of
    # it): the readers make a record or two per booking and no reference cycles, and the
    # collector would scan them again and again as they pile up (0.2 of 3 s at 100,000)
    from debiteuren.core.book import no_cycle_collection

    data = _utf8(data, source)
    kind = detect_format(data, source=source)
    data = _trimmed(data)  # after detect_format: a zip file (refused) ends in NUL bytes
    reader = {"camt053": camt053, "coda": coda}.get(kind, mt940)
    with no_cycle_collection():
        lines, statements = reader.parse_file(data, source=source)
    return StatementFile(source=source, format=kind, lines=lines, statements=statements)


def parse_statement_files(data: bytes, *, source: str) -> list[StatementFile]:
    """Parse the bytes of a statement file, or of a zip file of statements.

    A zip (ING and ABN AMRO downloads of several days or accounts, CODA batches, Rabobank
    exports) is read whole or refused whole: every statement in it is read as if it were
    given on its own, in the order of the names in the zip; see :func:`_zipped_statements`.

    Args:
      data: the file content.
      source: the file name, used in the lines and in error messages.
    Returns:
      One :class:`StatementFile` per statement.
    """
    if is_zip(data):
        return _zipped_statements(data, source)
    return [parse_statement_file(data, source=source)]


def pages_follow_on(
    files: Sequence[StatementFile],
) -> tuple[dict[int, StatementError], set[tuple[int, int]]]:
    """Check that the pages of a CAMT.053 statement in separate files of one run follow on
    each other: page n+1 opens with the balance page n closes with.

    Each page was checked on its own as it was read (its opening balance plus its entries is
    its closing balance); a page in between that was left out, or entries lost between two
    pages, leave each page right but the statement short. The page a statement says follows
    (``next_page``) is looked for in the other files: the same account, currency and
    statement (its label), with that page number. The rule is the one for the pages of one
    file (:meth:`.camt053._Reader._check_chain`): checked where either page gives interim
    balances (ITBD); pages that each give the day's OPBD and CLBD are not compared.

    Args:
      files: the files of one run, in the order given.
    Returns:
      The error of each file (by its index) whose page does not follow on the page before it,
      and the statements (file index, statement index) whose next page is in another file of
      the run (no note that it is missing).
    """
    found: dict[tuple[str, str, str, int], list[tuple[int, StatementSummary]]] = {}
    for index, statement_file in enumerate(files):
        for summary in statement_file.statements:
            if summary.pages is not None:
                key = (summary.account, summary.currency, summary.label, summary.pages.page)
                found.setdefault(key, []).append((index, summary))
    errors: dict[int, StatementError] = {}
    present: set[tuple[int, int]] = set()
    for index, statement_file in enumerate(files):
        for number, before in enumerate(statement_file.statements):
            if not before.next_page:
                continue
            key = (before.account, before.currency, before.label, before.next_page)
            following = [(i, s) for i, s in found.get(key, ()) if i != index]
            if not following:
                continue
            present.add((index, number))
            ends = before.pages
            if ends is None:
                continue
            for other, page in following:
                starts = page.pages
                assert starts is not None  # found holds pages only
                if ends.closes & starts.opens or not (ends.interim or starts.interim):
                    continue
                shown_close, shown_open = min(ends.closes), min(starts.opens)
                errors.setdefault(
                    other,
                    StatementError(
                        files[other].source,
                        starts.where,
                        f"{page.label}, pagina {starts.page} van rekening {page.account} "
                        f"begint met saldo {euro(shown_open)}, maar pagina {ends.page} in "
                        f"'{statement_file.source}' eindigt met {euro(shown_close)} "
                        f"(verschil {euro(shown_open - shown_close)}); er ontbreken boekingen "
                        "tussen de pagina's: download het afschrift opnieuw bij de bank",
                    ),
                )
    return errors, present


def _zipped_statements(data: bytes, source: str) -> list[StatementFile]:
    """Read every statement in a zip file, or refuse the zip whole.

    A file in it is read as a statement when its content is one (CAMT.053, CODA, MT940, as
    :func:`detect_format` recognises them, whatever its name); one that cannot then be read
    refuses the whole zip, naming it. Another file (a PDF copy of the statement, a
    README, a CSV export) is no statement: it is skipped, and the first statement's
    :attr:`~.lines.StatementFile.notes` names it, so the user sees what was not read; a zip
    without any statement is refused. Folders, and what macOS adds to a zip (``__MACOSX/``,
    ``.DS_Store``), are no files of the bank and are left out without a word. A zip inside
    the zip, an encrypted file, more than :data:`MAX_ZIP_FILES` files or more than
    :data:`MAX_ZIP_BYTES` unpacked refuse it. The names in the zip are only shown (on one
    line, cut at 100 characters), never used as paths.
    """
    try:
        found = zip_members(
            data,
            max_files=MAX_ZIP_FILES,
            max_bytes=MAX_ZIP_BYTES,
            documents="afschriften",
            damaged="download het opnieuw bij uw bank",
            too_large="dat zijn geen rekeningafschriften",
        )
    except ZipRefused as exc:
        raise StatementError(source, "", exc.problem) from None
    return _statements_of(found, source)


def _statements_of(found: list[tuple[str, bytes]], source: str) -> list[StatementFile]:
    """Parse the files of a zip (name, content); see :func:`_zipped_statements`.

    A report of the bank that is no statement (an interim report, camt.052 or MT942, a
    notification, camt.054: :class:`~.lines.NotAStatement`), as banks put them in a zip beside
    the day's statement, is left out with a note that names it and says what it is; a zip
    with nothing but such reports (and other files) is refused, naming each.
    """
    files: list[StatementFile] = []
    skipped: list[str] = []
    reports: list[tuple[str, str]] = []
    for name, content in found:
        if is_zip(content):
            raise StatementError(
                source,
                f"in het zip-bestand: {name}",
                "een zip-bestand in het zip-bestand wordt niet gelezen; pak het uit en geef "
                "de afschriften die erin zitten",
            )
        try:
            detect_format(_utf8(content, name), source=name)
        except StatementError:
            skipped.append(name)  # no statement: a PDF copy, a README, a CSV export
            continue
        try:
            files.append(parse_statement_file(content, source=f"{source}/{name}"))
        except StatementError as exc:
            if isinstance(exc, NotAStatement) and exc.kind:  # a report beside the statement
                reports.append((name, exc.kind))
                continue
            where = f"in het zip-bestand: {name}" + (f", {exc.where}" if exc.where else "")
            raise StatementError(source, where, exc.problem) from None
    if not files and reports:
        named = ", ".join(
            f"{name} {'is ' if n == 0 else ''}{kind}" for n, (name, kind) in enumerate(reports)
        )
        also = f" (verder {name_list(skipped)})" if skipped else ""
        raise StatementError(
            source, "", f"het zip-bestand bevat geen rekeningafschrift: {named}{also}{_DAY}"
        )
    if not files:
        inside = f" (wel {name_list(skipped)})" if skipped else ""
        raise StatementError(
            source,
            "",
            f"het zip-bestand bevat geen rekeningafschrift{inside}; {_GIVE}",
        )
    notes = [
        f"niet ingelezen uit {source}: {name} is {kind}, geen rekeningafschrift; de bij- en "
        "afschrijvingen erin staan ook op het dagafschrift van die dag (CAMT.053, MT940 of "
        "CODA): lees dat in als het niet in dit zip-bestand zit"
        for name, kind in reports
    ]
    if skipped:
        notes.append(
            f"niet ingelezen uit {source}, want geen rekeningafschrift: {name_list(skipped)}"
        )
    if notes:
        files[0] = replace(files[0], notes=tuple(notes))
    return files


_DAY = (
    "; exporteer bij uw bank het dagafschrift (rekeningafschrift) als CAMT.053, MT940 of CODA "
    "en lees dat in"
)


_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: The encoding an XML declaration names (the first thing in the file, when it is there).
_DECLARED_ENCODING = re.compile(r"""\A(<\?xml\s[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def _utf8(data: bytes, source: str) -> bytes:
    """Return a statement saved as UTF-16 (with its byte order mark: Windows Notepad's
    "Unicode", some banking programs) as UTF-8, its XML declaration saying so; any other file
    as it is. The readers then read it as any other."""
    if not data.startswith(_UTF16_BOMS):
        return data
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise StatementError(
            source,
            "",
            "het bestand is als UTF-16 (Unicode) opgeslagen maar is beschadigd of onvolledig; "
            "download het afschrift opnieuw bij uw bank",
        ) from None
    return _DECLARED_ENCODING.sub(r"\1\2UTF-8\2", text, count=1).encode("utf-8")


#: What some programs write after the end of a file: the DOS end-of-file mark (Ctrl-Z) and NUL
#: bytes (a file padded to a block size).
_END_MARKS = (b"\x1a", b"\x00")
_BLANKS = (b" ", b"\t", b"\r", b"\n")


def _trimmed(data: bytes) -> bytes:
    """Return a statement without the DOS end-of-file mark or NUL bytes after its end, and an
    XML statement without the blank lines some programs write before its declaration (which
    XML allows only at the very start); any other file as it is (no copy)."""
    if data[-1:] in _END_MARKS:
        data = data.rstrip(b"\x1a\x00 \t\r\n")
    if data[:1] in _BLANKS:
        head = data[:4096]
        blank = len(head) - len(head.lstrip(b" \t\r\n"))
        if data[blank : blank + 5] == b"<?xml":
            data = data[blank:]
    return data


_CODA_HEADER = re.compile(rb"0{5}\d{6}")
_MT940_FIELD = re.compile(rb"(?m)^(?:\{4:\s*)?:(?:20|25|28C?|60[FM]|61|86|940):")
_GIVE = "geef een rekeningafschrift in CAMT.053 (XML), CODA of MT940"
#: Files that are recognisably something else than a statement (``inputs.other_kind``).
_OTHER_FILES: dict[str, str] = {
    PDF: f"dit is een PDF-document, geen afschrift dat debiteuren kan lezen; {_GIVE}",
    OLD_OFFICE: (
        f"dit is een oud Office-bestand (bijvoorbeeld .xls), geen rekeningafschrift; {_GIVE}"
    ),
    OFX: f"dit is een OFX-bestand, geen rekeningafschrift dat debiteuren leest; {_GIVE}",
}


_CSV = (
    "dit is een CSV-bestand (een tabel met kolommen, zoals de bank die voor Excel maakt), geen "
    "rekeningafschrift; exporteer bij uw bank het afschrift als CAMT.053 (XML), MT940 of CODA "
    "en lees dat in"
)


def detect_format(data: bytes, *, source: str) -> str:
    """Recognise a statement format by its content.

    Args:
      data: the file content.
      source: the file name, for the error message.
    Returns:
      ``"camt053"`` for XML, ``"coda"`` when the first record is a CODA header (``0`` and four
      zeros, then a DDMMYY creation date), ``"mt940"`` when SWIFT fields such as ``:20:`` or
      ``:61:`` start a line. Raises :class:`StatementError` otherwise.
    """
    head = data[:8192]
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    head = head.lstrip(b" \t\r\n")
    if not head:
        raise StatementError(source, "", "het bestand is leeg")
    kind = other_kind(head)
    if kind == ZIP:
        raise StatementError(source, "", _zip_problem(data))
    if kind:
        raise StatementError(source, "", _OTHER_FILES[kind])
    if head.startswith(b"<"):
        return "camt053"
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if _CODA_HEADER.match(first_line):
        return "coda"
    if head.startswith(b"{1:") or _MT940_FIELD.search(head.replace(b"\r", b"\n")):
        return "mt940"
    if is_csv(first_line):
        raise StatementError(source, "", _CSV)
    raise StatementError(
        source,
        "",
        "onbekend bestandsformaat; kies een rekeningafschrift in CAMT.053 (XML), CODA of MT940",
    )


def _zip_problem(data: bytes) -> str:
    """Say what a zip file is (an Excel or Word file, or an archive of statements)."""
    kind, files = zip_contents(data)
    if kind == EXCEL:
        return f"dit is een Excel-werkboek, geen rekeningafschrift; {_GIVE}"
    if kind == WORD:
        return f"dit is een Word-document, geen rekeningafschrift; {_GIVE}"
    inside = f" met {name_list(files)}" if files else ""
    return (
        f"dit is een zip-bestand{inside}; pak het eerst uit en geef de afschriften die erin "
        "zitten (CAMT.053, CODA of MT940) één voor één op"
    )
