"""Text from outside the program: what it may not carry into the files we write.

A customer name, a bank remittance or an e-invoice buyer name is data, and stays data: it never
becomes a formula in a spreadsheet, a broken XML part in a letter or a second invoice number that
only differs by an invisible character. The helpers here are pure (str in, str out); the writers
(:mod:`debiteuren.workbook.cells`, :mod:`debiteuren.letters.sandbox`,
:mod:`debiteuren.filenames`) and the reader (:mod:`debiteuren.workbook.read`) use them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from email import policy
from email.errors import NonASCIILocalPartDefect
from email.utils import parseaddr

__all__ = [
    "BLANK_LETTERS",
    "EXCEL_MAX_TEXT",
    "FORMULA_START",
    "ascii_domain",
    "cell_text",
    "document_text",
    "email_problem",
    "has_doctype",
    "normalize_code",
    "one_line",
    "quoted_value",
    "recipients",
    "shows_nothing",
    "starts_formula",
    "visible_text",
    "without_direction_controls",
    "xlsx_text",
    "xml_safe",
]

#: First characters that make a spreadsheet read a text as a formula (OWASP "CSV injection"),
#: including the full-width forms Excel also accepts, and the tab and carriage return that
#: some programs strip before looking.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: Characters XML 1.0 cannot hold at all, not even as a character reference: the C0 controls
#: other than tab, line feed and carriage return, lone surrogates and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Control characters (C0, DEL, C1) a cell should not hold; tab, line feed and CR are layout.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


#: The most characters an Excel cell holds (Excel specifications and limits); Excel reports a
#: workbook with a longer text as damaged.
EXCEL_MAX_TEXT = 32767


#: "<!DOCTYPE" in every encoding an XML file can be written in without a declaration of it that
#: an ASCII search finds (UTF-8 and its ASCII-compatible relatives, UTF-16 and UTF-32).
_DOCTYPES = tuple(
    "<!DOCTYPE".encode(encoding)
    for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def has_doctype(data: bytes) -> bool:
    """Return whether XML bytes hold a document type declaration (DTD), in any encoding: the
    door to entity expansion (a "billion laughs") and to files fetched from elsewhere. No
    e-invoice, letter template or workbook part has one; they are refused, not parsed."""
    return any(doctype in data for doctype in _DOCTYPES)


def cell_text(text: str) -> str:
    """Return a text from outside (a bank's remittance, a payer's name) as a cell can hold it:
    cut to :data:`EXCEL_MAX_TEXT` characters, the last one "…", when it is longer.

    >>> len(cell_text("x" * 40000)), cell_text("x" * 40000)[-2:], cell_text("Jansen")
    (32767, 'x…', 'Jansen')
    """
    return text if len(text) <= EXCEL_MAX_TEXT else text[: EXCEL_MAX_TEXT - 1] + "…"


#: How much of a wrong e-mail address a message quotes at most.
QUOTED_ADDRESS_CHARS = 100

#: One recipient of a list: up to a comma or semicolon outside quotes and remarks (a remark
#: in parentheses belongs to its address: ``a@b.nl (x, y@c.nl)`` is one recipient).
_RECIPIENTS = re.compile(r'(?:"[^"]*"|\([^)]*\)|[^,;"(])+|["(]')
_QUOTED = re.compile(r'"[^"]*"')


def email_problem(text: str) -> str:
    """Return why ``text`` would send mail to an address nobody sees (a Dutch phrase), or "".

    Recipients are separated by commas (or semicolons); each is an address, perhaps with a
    name (``Jan Jansen <jan@example.nl>``) or a remark. One recipient with two addresses, such
    as ``a@example.nl Bcc: x@example.org`` (a line break that became a space), is read by a
    mail program as two recipients: the letter would also go to the second.

    >>> email_problem("jan@example.nl, Piet <piet@example.nl>; k@example.be (privé)")
    ''
    >>> email_problem("jan@example.nl Bcc: x@example.org")
    "'jan@example.nl Bcc: x@example.org' is meer dan één e-mailadres zonder komma ertussen"
    >>> email_problem("administratie jansen.nl")
    "'administratie jansen.nl' is geen e-mailadres: er staat geen @ in"
    >>> email_problem("Jan Jansen jan@example.nl")
    "'Jan Jansen jan@example.nl' is geen e-mailadres: er staat een spatie in"
    >>> email_problem("administratie@")  # the e-mail package failed on it (IndexError)
    "'administratie@' is geen volledig e-mailadres: vóór en na de @ hoort een naam te staan"

    The part is quoted in at most :data:`QUOTED_ADDRESS_CHARS` characters: the 10,000
    characters of a hostile e-invoice's address filled the message.
    """
    for part in recipients(text):
        signs = _QUOTED.sub("", part).count("@")
        if signs > 1:
            return f"'{_shown_address(part)}' is meer dan één e-mailadres zonder komma ertussen"
        if not signs and part:
            return f"'{_shown_address(part)}' is geen e-mailadres: er staat geen @ in"
        if "<" not in part and not _QUOTED.search(part) and _REMARKS.sub("", part).split()[1:]:
            return f"'{_shown_address(part)}' {SPACED_ADDRESS}"
        # complete as typed: what parseaddr makes of a broken address differs between
        # Python versions ('compta]@x.be' is 'compta' in one, nothing in another)
        typed = _typed_address(part)
        if not typed.strip("@") or typed.startswith("@") or typed.endswith("@"):
            return (
                f"'{_shown_address(part)}' is geen volledig e-mailadres: vóór en na de @ hoort "
                "een naam te staan"
            )
        if not _read_as_typed(part, parseaddr(part)[1]):
            return (
                f"'{_shown_address(part)}' is geen geldig e-mailadres: een mailprogramma leest "
                "er een ander adres in, of geen"
            )
    return ""


def _typed_address(part: str) -> str:
    """Return the address of a recipient as the user typed it: between the angle brackets
    after a name, else the recipient without its remarks."""
    if "<" in part:
        return part.rpartition("<")[2].partition(">")[0].strip()
    return " ".join(_REMARKS.sub("", part).split())


def _read_as_typed(part: str, address: str) -> bool:
    """Return whether a recipient's address is the address an e-mail reads in it.

    ``parseaddr`` is lenient: it read ``jan]@x.nl`` as ``jan`` (a mailbox on the mail server
    itself) and ``a:b@x.nl`` as ``b@x.nl`` (``a:`` a group's name), and the e-mail package
    failed on ``.:_]@x.nl`` (AttributeError deep in its parser: ``brieven`` stopped without
    a letter). The address must have a name before and a domain after its @, stand as it is
    in a recipient without a name, be read back the same and without a defect by the e-mail
    package (which writes the draft), and hold no ``=?`` (the start of an encoded word, which
    the draft breaks up).

    >>> [_read_as_typed(a, parseaddr(a)[1]) for a in ("jan]@x.nl", "a:b@x.nl", ".a@x.nl")]
    [False, False, False]
    >>> _read_as_typed("Jan <o'brien@x.ie>", "o'brien@x.ie"), _read_as_typed("jü@bü.de", "jü@bü.de")
    (True, True)
    """
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or "=?" in address:
        return False
    # a no-break space, a tab or an invisible character (U+202E) in an address: the draft
    # writes it as a space, or not at all (another mailbox)
    if any(not c.isprintable() or (c.isspace() and c != " ") for c in address):
        return False
    if "<" not in part and _typed_address(part) != address:
        return False
    try:
        header = policy.SMTPUTF8.header_factory("To", address)
        read = [a.addr_spec for a in header.addresses]
    except (ValueError, IndexError, AttributeError, TypeError):  # its parser's own failures
        return False
    # a letter outside ASCII before the @ is allowed (RFC 6532); a dot at the start or end of
    # the name, or two in a row, is not (RFC 5322 3.4.1): with an address in UTF-8 in the
    # same cell the e-mail package failed on it (TypeError) while writing the draft
    wrong = [d for d in header.defects if not isinstance(d, NonASCIILocalPartDefect)]
    return read == [address] and not wrong


#: Why an address with a space in it (no name in angle brackets) reaches nobody: a mail
#: program sends "Jan Jansen jan@example.nl" to the mailbox "Jan Jansen jan" of example.nl.
SPACED_ADDRESS = "is geen e-mailadres: er staat een spatie in"
_REMARKS = re.compile(r"\([^)]*\)")


def _shown_address(part: str) -> str:
    """Return a wrong address as a message quotes it (:data:`QUOTED_ADDRESS_CHARS`)."""
    return one_line(part, QUOTED_ADDRESS_CHARS)


def recipients(text: str) -> list[str]:
    """Return the recipients of an address list: the parts between commas or semicolons
    outside quotes, stripped, without empty ones.

    >>> recipients('"Jansen, Jan" <jan@example.nl>; k@example.be (privé, thuis),')
    ['"Jansen, Jan" <jan@example.nl>', 'k@example.be (privé, thuis)']
    """
    return [part for part in (p.strip() for p in _RECIPIENTS.findall(text)) if part]


def ascii_domain(address: str) -> str:
    """Return an e-mail address with its domain in the ASCII form the DNS knows (IDNA), when
    that form names the same domain; else the address as it is.

    ``jan@bücher.de`` is sent to ``jan@xn--bcher-kva.de``, which every mail server takes (a
    domain with letters outside ASCII needs a server that speaks SMTPUTF8). The codec of the
    standard library is IDNA 2003, which writes some letters as others (``ß`` as ``ss``:
    ``faß.de`` would become the other domain ``fass.de``): such a domain stays as it is typed.

    >>> ascii_domain("jan@Bücher.de"), ascii_domain("jan@faß.de"), ascii_domain("jan@x.nl")
    ('jan@xn--bcher-kva.de', 'jan@faß.de', 'jan@x.nl')
    """
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii() or domain.startswith("["):  # [192.0.2.1]: no name
        return address
    try:
        encoded = domain.encode("idna")
        same = encoded.decode("idna") == domain.lower()
    except UnicodeError:  # an empty or too long label: not a domain IDNA can write
        return address
    return f"{local}@{encoded.decode('ascii')}" if same else address


def xml_safe(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 cannot hold.

    >>> xml_safe("Jansen\\x01 B.V.\\x0b")
    'Jansen B.V.'
    """
    return _XML_ILLEGAL.sub("", text)


#: The start of an escape Excel decodes in the text of a cell (ECMA-376 Part 1, 22.9.2.19,
#: ST_Xstring): ``_x000D_`` is a carriage return, ``_x003D_`` an "=".
_XLSX_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def xlsx_text(text: str) -> str:
    """Return a text as the XML of an .xlsx cell must hold it to show that text in Excel.

    Without the characters XML cannot hold (:func:`xml_safe`), and with the underscore of each
    ``_xHHHH_`` written as ``_x005F_``, as Excel writes it: Excel (and python-calamine) decode
    ``_xHHHH_`` in a cell. A name ``_x003D_HYPERLINK(…)`` showed as ``=HYPERLINK(…)`` without
    the quote prefix (a formula once the cell is edited), ``Bakker_x000D__x000A_K999`` as
    two lines, and an invoice number ``2026_x002D_0001`` as ``2026-0001``.

    >>> xlsx_text("_x003D_1+1"), xlsx_text("Jansen\x01 B.V.")
    ('_x005F_x003D_1+1', 'Jansen B.V.')
    """
    text = xml_safe(text)
    return _XLSX_ESCAPE.sub("_x005F_", text) if "_x" in text else text


#: The invisible characters of Unicode's bidirectional algorithm: embeddings and overrides
#: (LRE, RLE, PDF, LRO, RLO), isolates (LRI, RLI, FSI, PDI) and the marks (LRM, RLM, ALM).
#: A mark is an invisible letter of its direction: an RLM before "2026 0035" shows
#: "0035 2026", an ALM before digits makes them Arabic numbers, which reorder the same way.
#: The zero-width space and joiners and the BOM change no order and stay (a joiner shapes
#: Persian, Indic and emoji text).
_DIRECTION_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text: str) -> str:
    """Return ``text`` without direction controls and marks.

    A name from an e-invoice such as ``"ACME \u202eNL91 ABNA"`` shows what follows it on its
    line in reverse order, up to the end of the paragraph: in a letter, the IBAN, the amount
    or the date after a customer's name would read as something else than what is written
    ("Trojan Source", CVE-2021-42574). Names in Arabic or Hebrew script need none of these
    controls to show right to left.

    >>> without_direction_controls("ACME \u202eBV\u202c"), without_direction_controls("Jansen")
    ('ACME BV', 'Jansen')
    >>> without_direction_controls("K\u200f 2026 0035\u200e\u061c")
    'K 2026 0035'
    """
    return _DIRECTION_CONTROLS.sub("", text) if _DIRECTION_CONTROLS.search(text) else text


def document_text(text: str) -> str:
    """Return a text from data as a document we write shows it (a letter, an e-mail, a
    dossier): without the characters XML cannot hold and without explicit direction controls.

    >>> document_text("Jansen\x01 \u202eBV")
    'Jansen BV'
    """
    return xml_safe(without_direction_controls(text))


def visible_text(text: str) -> str:
    """Return ``text`` with control characters (a pasted vertical tab, a NUL) made a space.

    Tab, line feed and carriage return stay: they are layout a user typed (Alt+Enter).

    >>> visible_text("Jansen\\x0bB.V.")
    'Jansen B.V.'
    """
    return _CONTROL.sub(" ", text) if _CONTROL.search(text) else text


#: What breaks a line on a terminal or in a message box, or moves the cursor: every control
#: character (tab, line feed and carriage return too; ESC starts a terminal's escape sequence)
#: and the Unicode line and paragraph separators. A match starts only where a run of spaces
#: starts (``(?<! )``): tried at every space of a long run, `` *`` made a cell of 32,000
#: spaces without a control character after them take seconds (quadratic).
_LINE_BREAKING = re.compile(
    "(?<! ) *[\x00-\x1f\x7f-\x9f\u2028\u2029][ \x00-\x1f\x7f-\x9f\u2028\u2029]*"
)


def one_line(text: str, limit: int | None = None) -> str:
    """Return a text from data as one line of a report (the command line, a message box).

    A customer name with a line break (Alt+Enter) printed as it is starts a new line that
    reads as a line of the report itself ("K999 Fout: alles betaald"); each run of control
    characters (with the spaces around it) becomes one space, an indent stays, and explicit
    direction controls go (:func:`without_direction_controls`). With ``limit``, a longer text
    is cut to that many characters, the last one "…".

    >>> one_line("Familie Bakker\\nK999 Fout: alles betaald")
    'Familie Bakker K999 Fout: alles betaald'
    >>> one_line("Rood\\x1b[31m \\u202eBV"), one_line("Jansen " * 20, 20)
    ('Rood [31m BV', 'Jansen Jansen Janse…')
    """
    if not text.isprintable():
        text = _LINE_BREAKING.sub(" ", without_direction_controls(text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


#: How many characters of a value from the user's data (a cell, a text in a file) a message
#: quotes at most: enough to recognise it, not a whole pasted text of 32,767 characters.
QUOTED_CHARS = 80


def quoted_value(value: object, limit: int = QUOTED_CHARS) -> str:
    """Return a value from data as a message quotes it: on one line (:func:`one_line`), at most
    ``limit`` characters, the last one "…".

    >>> quoted_value("NL91 ABNA 0417 1643 00")
    'NL91 ABNA 0417 1643 00'
    >>> len(quoted_value("x" * 5000)), quoted_value("x" * 5000)[-3:]
    (80, 'xx…')
    """
    return one_line(str(value), limit)


def loose_key(text: str) -> str:
    """Return ``text`` as names and headers are compared: case and runs of white space ignored.

    >>> loose_key("  Bakkerij  de Vries\tB.V. ") == loose_key("bakkerij de vries b.v.")
    True
    """
    return " ".join(text.split()).casefold()


def spaceless_key(text: str) -> str:
    """Return a customer or invoice number as it is compared to find the one a user meant:
    case and every space ignored ("K 002" typed for "K002").

    >>> spaceless_key(" K 002") == spaceless_key("k002")
    True
    """
    return "".join(text.split()).casefold()


def company_key(text: str) -> str:
    """Return a business name as two of them are compared: case, dots and white space ignored,
    so that the legal form written "B.V.", "BV" or "B. V." (and "N.V."/"NV", "GmbH"/"G.m.b.H.")
    does not make another business of it.

    >>> company_key("De Letterzetter B.V.") == company_key("de letterzetter  BV")
    True
    """
    return "".join(text.replace(".", "").split()).casefold()


#: Dashes a reader cannot tell from a hyphen-minus in a code: hyphen, non-breaking hyphen,
#: figure dash, en dash and minus sign (the em dash is twice as long, and stays).
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


#: Characters Unicode ignores by default that are no format characters (Cf): the Hangul fillers
#: (letters that show nothing; U+3164 and U+FFA0 become U+1160 in NFKC), the combining grapheme
#: joiner and the Khmer inherent vowels. A name of Hangul fillers passed as a name.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5"
_BLANK_LETTERS = frozenset(BLANK_LETTERS)


def normalize_code(text: str) -> str:
    """Return a code (invoice or customer number) as it must be compared.

    Unicode compatibility forms become their plain form (full-width digits, the ``ﬁ``
    ligature), invisible format characters are dropped (zero-width space and joiners, the
    soft hyphen, the byte order mark, direction marks), and so are the Hangul fillers (letters
    that show nothing); every kind of space becomes one ordinary space and control characters
    go; leading and trailing spaces are removed. Codes a user cannot tell apart on screen
    compare equal.

    >>> normalize_code("2024\\u200b-017"), normalize_code("\\uff12\\uff10\\uff12\\uff14-017 ")
    ('2024-017', '2024-017')

    The dashes that look like a hyphen-minus are one (a non-breaking hyphen that a word
    processor or a PDF put in an invoice number, an en dash, a minus sign):

    >>> normalize_code("2026\\u20110136"), normalize_code("2026\\u20130136")
    ('2026-0136', '2026-0136')
    """
    if text.isascii() and text.isprintable():
        return text.strip()
    text = unicodedata.normalize("NFKC", text).translate(_HYPHENS)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf" or ch in _BLANK_LETTERS or (category == "Cc" and ch not in "\t\n\r"):
            continue
        kept.append(" " if category == "Zs" or ch in "\t\n\r" else ch)
    return "".join(kept).strip()


#: The digits Excel keeps of a number: a number cell holds 15 significant digits, the rest
#: become zeros (12345678901234567890 is stored as 12345678901234500000).
EXCEL_DIGITS = 15


def long_number_problem(value: object) -> str:
    """Return why a number cell cannot hold a code (an invoice or customer number, a payment
    reference), or "" when it can: a number of more than :data:`EXCEL_DIGITS` digits. Excel
    kept only its first 15 digits, so the payment reference made of it was that of another
    invoice, and the customer's payment never matched.

    >>> long_number_problem(2026042.0), long_number_problem("12345678901234567890")
    ('', '')
    >>> long_number_problem(1.2345678901234568e19)[:44]
    "'1,23456789012346E+19' is als getal opgeslag"
    """
    if value.__class__ not in (int, float) or not 10**EXCEL_DIGITS <= abs(value) < math.inf:  # type: ignore[operator]
        return ""
    shown = f"{float(value):.{EXCEL_DIGITS}G}".replace(".", ",")  # type: ignore[arg-type]
    return (
        f"'{shown}' is als getal opgeslagen, en van een getal bewaart Excel maar "
        f"{EXCEL_DIGITS} cijfers: de laatste cijfers kunnen al weg zijn; maak de cel tekst "
        "(celeigenschappen: Tekst) en typ het nummer opnieuw."
    )


def shows_nothing(text: str) -> bool:
    """Return True for a text of which nothing shows: empty, spaces, or only invisible
    characters (a soft hyphen, a zero-width space, a direction mark, a byte order mark; what
    :func:`normalize_code` drops). A customer's name of a soft hyphen passed as filled, and
    letters went to a name nobody sees.

    >>> shows_nothing("\u00ad"), shows_nothing("\u200b \u200e"), shows_nothing("Flora\u00ad BV")
    (True, True, False)
    >>> shows_nothing("\u3164\u115f")  # Hangul fillers: letters that show nothing
    True
    """
    return not normalize_code(text)


def starts_formula(text: str) -> bool:
    """Return True when a spreadsheet could read ``text`` as a formula.

    >>> starts_formula('=HYPERLINK("http://x","y")'), starts_formula("Jansen")
    (True, False)
    """
    return text.startswith(FORMULA_START)
