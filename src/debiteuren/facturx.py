"""The XML invoice inside a PDF: Factur-X, ZUGFeRD 2 and XRechnung as a hybrid PDF (PDF/A-3).

A hybrid e-invoice is a PDF for people with the invoice for programs attached as an embedded
file (ISO 32000-1 §7.11.4, "embedded file streams"): Factur-X 1.0 and ZUGFeRD 2.x call it
``factur-x.xml`` (older ``zugferd-invoice.xml``), XRechnung ``xrechnung.xml``; the XML is UN/CEFACT
CII, which :mod:`debiteuren.einvoice` reads. The PDF's own text is never read: the XML is the
invoice (EN 16931).

Pure and without a PDF library: bytes in, the XML's bytes out. Every object of the file whose
dictionary says ``/Type /EmbeddedFile`` and that a file specification's ``/EF`` names (in the
file or in one of its object streams) is looked at; its stream is taken as it stands (its
``/Length`` where ``endstream`` follows it, else up to ``endstream``) and inflated when it is
``/FlateDecode``, within :data:`MAX_XML` bytes. An embedded file stream is always an object of
its own (streams are never inside object streams). The cross-reference table is not read, so
an object written twice (an incremental update, or a hostile copy the table does not point to)
cannot be told apart: two versions of an attached invoice are refused, not guessed.

Refused with a Dutch reason (:class:`NoInvoiceInPdf`): an encrypted PDF, a PDF without an
attached CII or UBL invoice, one with two different ones or two versions of one, an
attachment that unpacks to more than :data:`MAX_XML` bytes, is cut off, or is packed in a way
that is not read here.
"""

from __future__ import annotations

import re
import zlib

__all__ = ["MAX_XML", "NoInvoiceInPdf", "invoice_xml", "is_pdf"]

#: The most bytes an attached invoice may unpack to: a CII invoice is a few kilobytes, and a
#: PDF of 50 KB could otherwise unpack to 50 MB of XML that takes gigabytes to parse.
MAX_XML = 10 * 1024 * 1024

#: The most bytes all attachments of one PDF may unpack to together, and the most attachments
#: that are unpacked: a few kilobytes of a hostile PDF could unpack to gigabytes.
_MAX_UNPACKED = 2 * MAX_XML
_MAX_ATTACHMENTS = 100
#: The most bytes of an object's dictionary that are read; an embedded file's is a few dozen.
_MAX_DICT = 4096

_WHITE = b" \t\r\n\f\x00"
_W = rb"[ \t\r\n\f\x00]"  # PDF's white space, in a pattern
#: A name with ``#xx`` escapes (``/Embedded#46ile`` is ``/EmbeddedFile``).
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: ``/Type /EmbeddedFile``, each letter of the name as it is or as its ``#xx`` escape.
_EMBEDDED_TYPE = re.compile(
    rb"/Type"
    + _W
    + rb"*/"
    + b"".join(
        b"(?:%c|#%s)"
        % (ch, b"".join(b"[%s%s]" % (d.encode(), d.upper().encode()) for d in f"{ch:02x}"))
        for ch in b"EmbeddedFile"
    )
    + rb"(?![A-Za-z0-9#])"
)
#: ``/Type /ObjStm``: a stream of objects (PDF 1.5), where a file specification may be.
_OBJECT_STREAM_TYPE = re.compile(rb"/Type" + _W + rb"*/ObjStm(?![A-Za-z0-9#])")
#: A file specification's ``/EF`` dictionary, and an indirect reference ``12 0 R`` in it.
_EF = re.compile(rb"/EF" + _W + rb"*<<([^<>]{0,1000})>>")
_REFERENCE = re.compile(
    rb"(?<![0-9])([0-9]{1,10})" + _W + rb"+[0-9]{1,5}" + _W + rb"+R(?![A-Za-z0-9])"
)
#: ``endstream`` right after a stream's stated length (an end of line may come first).
_END_AFTER = re.compile(rb"(?:\r\n|\r|\n)?endstream")
#: A direct length (``/Length 812``, not the reference ``/Length 9 0 R``).
_LENGTH = re.compile(
    rb"/Length" + _W + rb"+([0-9]{1,10})(?![0-9])(?!" + _W + rb"+[0-9]+" + _W + rb"+R)"
)
_FILTER = re.compile(rb"/Filter" + _W + rb"*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_LINE_END = re.compile(rb"[\r\n]")
_PREDICTOR = re.compile(rb"/Predictor" + _W + rb"+([0-9]+)")
#: What an attached invoice's root element names (CII, UBL Invoice and CreditNote, and the
#: ZUGFeRD 1.0 ``CrossIndustryDocument``: the e-invoice reader says what it is and what to ask
#: for, where "no XML invoice in this PDF" would be wrong).
_INVOICE_ROOTS = (
    b"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    b"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    b"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    b"urn:ferd:CrossIndustryDocument:invoice:1p0",
)

#: The start of an indirect object, ``12 0 obj`` (:func:`_object_at`).
_OBJECT_START = re.compile(rb"(?<![0-9])([0-9]{1,10})" + _W + rb"+[0-9]{1,5}" + _W + rb"+obj")

_ASK = (
    "vraag de afzender om de e-factuur als XML-bestand (UBL, Peppol BIS Billing 3.0) of als "
    "Factur-X- of ZUGFeRD-PDF met de XML erin, of voer de factuur zelf in op het blad Facturen"
)


_TOO_MANY = (
    f"deze PDF heeft meer of grotere bijlagen dan een factuur; ze worden niet uitgepakt; {_ASK}"
)


class NoInvoiceInPdf(ValueError):
    """A PDF holds no attached invoice that can be read; ``reason`` says why, in Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_pdf(data: bytes) -> bool:
    """Return True when ``data`` starts as a PDF file does (after a BOM or white space)."""
    return data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip(_WHITE).startswith(b"%PDF")


def invoice_xml(data: bytes) -> bytes:
    """Return the invoice XML attached to the PDF ``data``.

    Raises:
      NoInvoiceInPdf: encrypted, no attached CII or UBL invoice, two different ones, or an
        attachment that cannot be unpacked here.
    """
    if re.search(rb"/Encrypt(?![A-Za-z0-9])", data):
        raise NoInvoiceInPdf(
            "dit is een beveiligde (versleutelde) PDF; de XML-factuur erin kan niet gelezen "
            f"worden; {_ASK}"
        )
    found: dict[int, bytes] = {}  # object number -> the attached invoice
    unread: list[str] = []
    budget, seen = _MAX_UNPACKED, 0  # all attachments together, unpacked; and how many
    too_many = NoInvoiceInPdf(_TOO_MANY)
    typed = _typed_embedded_files(data)
    ends = _EndStreams(data)
    attached = _attached(data, ends) if typed else set()
    for at, number in typed:
        if number not in attached:
            continue  # no file specification names it: a PDF reader does not show it
        stream = _embedded_file(data, at, ends)
        if stream is None:
            continue
        seen += 1
        if seen > _MAX_ATTACHMENTS:
            raise too_many
        content, problem = _unpacked(*stream, min(budget, MAX_XML))
        if problem is _TOO_LARGE and budget < MAX_XML:
            raise too_many  # the ones before took what all may unpack to
        if problem:
            unread.append(problem)
        elif content is not None:
            budget -= len(content)
            if _is_invoice(content):
                if found.get(number, content) != content:
                    raise NoInvoiceInPdf(
                        "deze PDF bevat twee versies van dezelfde XML-factuur (het bestand is "
                        "later bijgewerkt); welke geldt, wordt niet geraden. Geef het "
                        "XML-bestand zelf"
                    )
                found[number] = content
    invoices = list(dict.fromkeys(found.values()))
    if len(invoices) == 1:
        return invoices[0]
    if len(invoices) > 1:
        raise NoInvoiceInPdf(
            f"deze PDF bevat {len(invoices)} verschillende XML-facturen; welke de factuur is, "
            "wordt niet geraden. Geef de XML-bestanden zelf"
        )
    if unread:
        raise NoInvoiceInPdf(f"de XML in deze PDF kan niet gelezen worden: {unread[0]}; {_ASK}")
    raise NoInvoiceInPdf(
        "dit is een PDF-document zonder XML-factuur erin (geen Factur-X of ZUGFeRD); "
        f"debiteuren leest een factuur uit de XML, niet uit de tekst van een PDF; {_ASK}"
    )


class _EndStreams:
    """Where ``endstream`` stands after a place, found going forward only: asked in file order,
    the file is searched once (a list of every ``endstream`` of a hostile file held
    hundreds of megabytes)."""

    def __init__(self, data: bytes) -> None:
        self._data, self._from, self._found = data, -1, -1

    def after(self, start: int) -> int:
        """Return where the first ``endstream`` at or after ``start`` begins; -1: none."""
        if 0 <= self._from <= start and (self._found < 0 or start <= self._found):
            return self._found  # none lies between the last search's start and its find
        self._from, self._found = start, self._data.find(b"endstream", start)
        return self._found


def _attached(data: bytes, ends: _EndStreams) -> set[int]:
    """Return the object numbers a file specification's ``/EF`` names, in the file and in its
    object streams (unpacked within :data:`_MAX_UNPACKED` bytes together): only those are
    attachments a PDF reader shows."""
    found = set(_ef_numbers(data))
    budget = _MAX_UNPACKED
    for k, match in enumerate(_OBJECT_STREAM_TYPE.finditer(data)):
        if k >= 10 * _MAX_ATTACHMENTS:
            break
        head = _object_at(data, match.start())
        if head is None:
            continue
        stream = _embedded_file(data, head[0], ends, _OBJECT_STREAM_TYPE)
        if stream is None:
            continue
        content, _ = _unpacked(*stream, budget)
        if content is None:
            continue
        budget -= len(content)
        found.update(_ef_numbers(content))
    return found


def _ef_numbers(text: bytes) -> list[int]:
    """Return the object numbers the ``/EF`` dictionaries of ``text`` refer to."""
    return [
        int(number) for entry in _EF.finditer(text) for number in _REFERENCE.findall(entry.group(1))
    ]


def _typed_embedded_files(data: bytes) -> list[tuple[int, int]]:
    """Return (where its body starts, object number) of each object in which a ``/Type``
    names ``EmbeddedFile`` (escaped or not), in file order; each is found from its ``/Type``
    back to its ``N 0 obj``, so that a PDF of many objects is not walked through object by
    object. Raises :class:`NoInvoiceInPdf` past :data:`_MAX_ATTACHMENTS` of them."""
    found: dict[int, tuple[int, int]] = {}  # body start -> (body start, object number)
    for k, match in enumerate(_EMBEDDED_TYPE.finditer(data)):
        if k >= 10 * _MAX_ATTACHMENTS:  # each is looked up back to its object's start
            raise NoInvoiceInPdf(_TOO_MANY)
        head = _object_at(data, match.start())
        if head is not None and head[0] not in found:
            found[head[0]] = head
            if len(found) > _MAX_ATTACHMENTS:
                raise NoInvoiceInPdf(_TOO_MANY)
    return list(found.values())


def _object_at(data: bytes, at: int) -> tuple[int, int] | None:
    """Return (where its body starts, object number) of the object ``N G obj`` that the
    position ``at`` lies in, its start at most :data:`_MAX_DICT` bytes before; None when there
    is none."""
    last = None
    for last in _OBJECT_START.finditer(data, max(0, at - _MAX_DICT), at):  # noqa: B007
        pass  # the last one before ``at``
    return None if last is None else (last.end(), int(last.group(1)))


def _unescaped(match: re.Match[bytes]) -> bytes:
    return bytes([int(match.group(1), 16)])


def _embedded_file(
    data: bytes, at: int, ends: _EndStreams, kind: re.Pattern[bytes] | None = None
) -> tuple[bytes, bytes] | None:
    """Return (dictionary, stream bytes as they stand) of the object whose body starts at
    ``at`` when it is a stream whose dictionary has the type ``kind`` (an embedded file when
    None); None otherwise."""
    at = _skip_white(data, at)
    if not data.startswith(b"<<", at):
        return None
    end = _dictionary_end(data, at)
    if end is None:
        return None
    dictionary = _ESCAPE.sub(_unescaped, data[at:end])
    if not (kind or _EMBEDDED_TYPE).search(dictionary):
        return None
    start = _skip_white(data, end)
    if not data.startswith(b"stream", start):
        return None
    start += len(b"stream")
    if data.startswith(b"\r\n", start):
        start += 2
    elif data.startswith(b"\n", start) or data.startswith(b"\r", start):
        start += 1
    length = _LENGTH.search(dictionary)
    if length is not None:  # the stated length, when endstream follows it
        stop = start + int(length.group(1))
        if _END_AFTER.match(data, stop):
            return dictionary, data[start:stop]
    stop = ends.after(start)  # else up to the first endstream
    if stop < 0:
        return None
    return dictionary, data[start:stop]


def _skip_white(data: bytes, at: int) -> int:
    """Return the first position from ``at`` on that is no white space or comment (looked
    for up to :data:`_MAX_DICT` bytes on)."""
    limit = min(len(data), at + _MAX_DICT)
    while at < limit:
        if data[at] in _WHITE:
            at += 1
        elif data[at] == 0x25:  # % a comment, to the end of its line
            line = _LINE_END.search(data, at, limit)
            at = line.end() if line is not None else limit
        else:
            break
    return at


def _dictionary_end(data: bytes, at: int) -> int | None:
    """Return the position after the dictionary that starts at ``at`` (``<<``), nested
    dictionaries and strings skipped; None when it does not end within :data:`_MAX_DICT`."""
    depth, i, limit = 0, at, min(len(data), at + _MAX_DICT)
    while i < limit:
        two = data[i : i + 2]
        if two == b"<<":
            depth, i = depth + 1, i + 2
        elif two == b">>":
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
        elif data[i] == 0x28:  # ( a literal string, with escapes and nested parentheses
            i = _string_end(data, i, limit)
            if i < 0:
                return None
        elif data[i] == 0x3C:  # < a hexadecimal string
            close = data.find(b">", i, limit)
            if close < 0:
                return None
            i = close + 1
        else:
            i += 1
    return None


def _string_end(data: bytes, at: int, limit: int) -> int:
    """Return the position after the literal string at ``at``; -1 when it runs past
    ``limit``."""
    depth, i = 0, at
    while i < limit:
        byte = data[i]
        if byte == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _unpacked(dictionary: bytes, raw: bytes, most: int) -> tuple[bytes | None, str]:
    """Return (the stream's content, "") or (None, why it is not read); ``most``: the bytes it
    may unpack to."""
    found = _FILTER.search(dictionary)
    filters = re.findall(rb"/([A-Za-z0-9]+)", found.group(1)) if found else []
    if not filters:
        return (raw, "") if len(raw) <= most else (None, _TOO_LARGE)
    if filters != [b"FlateDecode"]:
        names = ", ".join(f.decode("ascii") for f in filters)
        return None, f"de bijlage is ingepakt op een manier die niet gelezen wordt ({names})"
    predictor = _PREDICTOR.search(dictionary)
    if predictor is not None and int(predictor.group(1)) > 1:
        return None, "de bijlage is ingepakt met een voorspeller (Predictor)"
    inflate = zlib.decompressobj()
    try:
        content = inflate.decompress(raw, most + 1)
    except zlib.error:
        return None, "de bijlage is beschadigd (het uitpakken mislukt)"
    if len(content) > most or inflate.unconsumed_tail:
        return None, _TOO_LARGE
    if not inflate.eof:
        return None, "de bijlage is afgebroken (het uitpakken stopt voor het einde)"
    return content, ""


#: Why an attachment is not read when it unpacks to more than :data:`MAX_XML` bytes.
_TOO_LARGE = f"de bijlage is groter dan de {MAX_XML >> 20} MB die een e-factuur mag zijn"


#: The same names in UTF-16 (an XML file saved as "Unicode"), with the byte order mark and
#: first character such a file starts with.
_UTF16 = (
    (b"\xff\xfe", "utf-16-le", tuple(root.decode().encode("utf-16-le") for root in _INVOICE_ROOTS)),
    (b"\xfe\xff", "utf-16-be", tuple(root.decode().encode("utf-16-be") for root in _INVOICE_ROOTS)),
)


def _is_invoice(content: bytes) -> bool:
    """Return True when an attachment looks like a CII or UBL invoice, in UTF-8 or UTF-16
    (the e-invoice reader checks it fully)."""
    head = content[:65536]
    if head.lstrip(b"\xef\xbb\xbf" + _WHITE).startswith(b"<"):
        return any(root in head for root in _INVOICE_ROOTS)
    for bom, encoding, roots in _UTF16:
        if head.removeprefix(bom).startswith("<".encode(encoding)):
            return any(root in head for root in roots)
    return False
