"""Fill letter templates: .docx with docxtpl, one merged .docx, PDF and e-mail drafts.

The renderer is dumb on purpose (shared/style.md §10): ``letters/context.py`` builds a context
of ready-formatted text, and this module only puts it into a Word template. Templates run in the
sandbox of :mod:`.sandbox` (plain data only, an attribute allow-list, bounded work) with
autoescaping and strict undefined fields, so a template from someone else can neither reach an
object or a file nor silently print an empty field: every mistake, and every attempt, becomes a
:class:`TemplateError` that names the template file (and the field).

Where templates come from: :func:`find_template` looks in the user's own folder first
(``<folder>/<language>/<template>.docx``), then in the templates shipped with the program.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import posixpath
import re
import shutil
import subprocess  # noqa: F401  (the PDF runner in .pdf calls subprocess.run)
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr, quote
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree

from debiteuren.errors import DebiteurenError
from debiteuren.inputs import LZMAError, NotAFile, TooLarge, read_limited
from debiteuren.untrusted import ascii_domain, has_doctype, one_line, recipients

from .context import LANGUAGES, TEMPLATE_IDS
from .pdf import ConversionError, convert
from .pdf import join as join_pdfs
from .sandbox import (
    METHODS,
    TOO_DEEP,
    QrImage,
    TemplateLimit,
    UnknownField,
    check_markup,
    check_source,
    letter_environment,
    plain_context,
)

__all__ = [
    "ConversionError",
    "LetterJob",
    "TemplateError",
    "check_template",
    "convert_to_pdf",
    "find_template",
    "join_pdfs",
    "letter_text",
    "make_eml",
    "merge_letters",
    "read_envelope",
    "render_letter",
    "render_letters",
    "shipped_template_dir",
    "template_fields",
    "template_notes",
    "unused_note",
]

#: Width of the EPC QR image on a letter.
QR_WIDTH = Mm(30)

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_ATTRS = (f"{{{_R_NS}}}id", f"{{{_R_NS}}}embed", f"{{{_R_NS}}}link")
_WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


class TemplateError(DebiteurenError):
    """A letter template cannot be used: a missing file, an unknown field, a broken tag.

    Attributes:
      template: the template as ``<language>/<file>``, e.g. ``nl/herinnering.docx``.
      field: the unknown field (``klant.naamm``), or "" when the problem is not a field.
    """

    def __init__(self, template: str, problem: str, *, field: str = "") -> None:
        self.template = template
        self.problem = problem
        self.field = field
        super().__init__(f"Sjabloon {template}: {problem}")


# --------------------------------------------------------------------------------------------
# The sandbox
# --------------------------------------------------------------------------------------------


def _environment() -> SandboxedEnvironment:
    """Return the Jinja environment for one letter (see :mod:`.sandbox`)."""
    return letter_environment()


def _label(path: Path) -> str:
    """Return ``<language>/<file>`` for a template path, the way messages name it."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


_SYNTAX_HINTS = (
    ("Unexpected end of template", "een {% if %} of {% for %} wordt niet afgesloten"),
    ("Encountered unknown tag", "een onbekende of losse code, zoals een {% endif %} te veel"),
    ("expected token", "een code is niet goed afgesloten met }} of %}"),
    ("unexpected", "een code bevat een onverwacht teken"),
)


def _jinja_problem(error: BaseException) -> tuple[str, str]:
    """Return (Dutch problem, field) for an error raised while filling a template."""
    if isinstance(error, UnknownField):
        return f"onbekend veld '{error.field}'", error.field
    if isinstance(error, TemplateLimit):
        return f"niet toegestaan: {error.message}", ""
    if isinstance(error, jinja2.TemplateNotFound):
        return (
            "niet toegestane code: een briefsjabloon kan geen ander bestand laden "
            "({% include %}, {% import %} of {% extends %})",
            "",
        )
    if isinstance(error, SecurityError):
        found = re.search(r"attribute '([^']+)'", error.message or "")
        what = f"'{found.group(1)}'" if found else "deze code"
        return f"niet toegestane code: {what} is geblokkeerd", ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = " ".join(" ".join(getattr(error, "docx_context", [])).split())
        hint = f" bij: {where[:120]}" if where else ""
        message = error.message or ""
        for english, dutch in _SYNTAX_HINTS:
            if english in message:
                message = f"{dutch} ({message})"
                break
        return f"fout in een code: {message}{hint}", ""
    if isinstance(error, jinja2.TemplateError):
        return f"fout bij het invullen: {error.message or error}", ""
    if isinstance(error, etree.XMLSyntaxError):
        return f"de opmaak rond een code is beschadigd ({error})", ""
    if isinstance(error, RecursionError):
        return "een macro of lus roept zichzelf te vaak aan", ""
    if isinstance(error, MemoryError):
        return "niet toegestaan: het invullen vraagt te veel geheugen", ""
    what = _PYTHON_ERRORS.get(type(error).__name__, "een code kan niet worden uitgevoerd")
    return f"fout bij het invullen: {what} ({error})", ""


def _not_word(error: BaseException) -> str:
    """Return the Dutch problem for a template python-docx cannot open as a Word document."""
    if "macroEnabled" in str(error) or "template.main" in str(error):
        return (
            "geen Word-document maar een bestand met macro's (.docm) of een Word-sjabloon "
            "(.dotx, .dotm); open het in Word en sla het op als Word-document (.docx)"
        )
    return f"geen geldig Word-bestand ({error})"


_PYTHON_ERRORS = {
    "ZeroDivisionError": "een deling door nul",
    "OverflowError": "een getal wordt te groot",
    "TypeError": "een code gebruikt een waarde van de verkeerde soort",
    "ValueError": "een code krijgt een ongeldige waarde",
    "IndexError": "een lijst heeft dat element niet",
    "KeyError": "een veld ontbreekt",
}


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


class _Compiled:
    """A template read and checked once: its bytes, its sandbox and its compiled parts.

    docxtpl cleans the Word XML into Jinja source and compiles it on every render; here the
    cleaned source (``patched``) and the compiled Jinja templates (in the environment, by
    source) are kept, so a run compiles each template once and every letter only fills it in.
    """

    __slots__ = ("data", "env", "fonts", "label", "patched", "reaching")

    def __init__(self, data: bytes, label: str) -> None:
        self.data, self.fonts = _without_embedded_fonts(data)
        self.label = label
        self.env = _environment()
        self.patched: dict[str, str] = {}
        self.reaching: list[str] | None = None


class _FilledTemplate(DocxTemplate):
    """A DocxTemplate that opens its template from :class:`_Compiled` and reuses its work."""

    def __init__(self, compiled: _Compiled) -> None:
        super().__init__(io.BytesIO(compiled.data))
        self.compiled = compiled

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            self.docx = Document(io.BytesIO(self.compiled.data))
            self.is_rendered = False

    def patch_xml(self, src_xml: str) -> str:
        cache = self.compiled.patched
        found = cache.get(src_xml)
        if found is None:
            found = cache[src_xml] = super().patch_xml(check_markup(src_xml))
        return found


#: The largest template read (bytes): a letter with its logo is far smaller.
MAX_TEMPLATE_BYTES = 100 * 1024 * 1024
#: The most a template may hold unpacked (bytes). python-docx reads its parts into memory and
#: every letter carries a copy: a template of 1 MB unpacked to 1 GB took 4 GB and 90 s.
MAX_TEMPLATE_UNPACKED = 100 * 1024 * 1024

#: Compiled templates of this process, by (path, content digest).
_COMPILED: dict[tuple[str, str], _Compiled] = {}
_MAX_COMPILED = 64


def _read_template(template_path: Path) -> bytes:
    """Return the bytes of a template, bounded on disk and unpacked.

    A .docx is a zip: a shared template of 1 MB can unpack to gigabytes (a zip bomb). The sizes
    its directory states bound what reading a part gives (zipfile stops there), so their sum
    is checked before python-docx reads anything. A file that is no zip passes: python-docx
    says it is no Word file.

    Raises:
      TemplateError: the file is missing, no regular file, or too large.
    """
    label = _label(template_path)
    try:
        data = read_limited(template_path, MAX_TEMPLATE_BYTES)
    except (FileNotFoundError, NotAFile):
        raise TemplateError(label, f"bestand niet gevonden ({template_path})") from None
    except TooLarge:
        raise TemplateError(label, "het sjabloon is groter dan 100 MB; dat is geen brief") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return data
    if unpacked > MAX_TEMPLATE_UNPACKED:
        raise TemplateError(
            label, "het sjabloon is uitgepakt groter dan 100 MB (een zip-bom); dat is geen brief"
        )
    return data


def _refuse_doctype(data: bytes, label: str) -> None:
    """Refuse a template of which any part declares a document type (DTD).

    Word never writes one and refuses to open a file that has one; python-docx would parse the
    part and silently drop every entity the text uses, so the letters would miss that text
    (and a DTD is how XML fetches or multiplies content). Every part is looked at, whatever its
    name: the package's content types decide which part is read as XML. A damaged package
    passes here (python-docx then says it is no Word file); a part whose data does not unpack
    is refused, naming it (its zlib or LZMA error was a traceback).

    Raises:
      TemplateError: naming the part.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for info in package.infolist():
                try:
                    part = package.read(info)
                except (zlib.error, LZMAError, OSError) as exc:  # bz2's is an OSError
                    raise TemplateError(
                        label,
                        f"geen geldig Word-bestand: het onderdeel {one_line(info.filename, 80)} "
                        "is beschadigd en kan niet uitgepakt worden; sla het sjabloon opnieuw op "
                        "in Word, of gebruik het meegeleverde sjabloon",
                    ) from exc
                if has_doctype(part):
                    raise TemplateError(
                        label,
                        f"het onderdeel {one_line(info.filename, 80)} bevat een DOCTYPE (een "
                        "documenttypedefinitie); dat wordt om veiligheidsredenen geweigerd. Word "
                        "maakt zo'n bestand niet: sla het sjabloon opnieuw op in Word, of "
                        "gebruik het meegeleverde sjabloon",
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, RuntimeError):
        return  # NotImplementedError (an unknown compression) is a RuntimeError


def _checked_template(template_path: Path) -> bytes:
    """Return the bytes of a template that passes :func:`_read_template` and
    :func:`_refuse_doctype`."""
    data = _read_template(template_path)
    _refuse_doctype(data, _label(template_path))
    return data


def _compiled(template_path: Path) -> _Compiled:
    """Return the compiled template for a file, compiling it the first time its content is seen
    (and checking it then: :func:`_refuse_doctype`)."""
    label = _label(template_path)
    data = _read_template(template_path)
    key = (str(template_path.resolve()), hashlib.sha256(data).hexdigest())
    found = _COMPILED.get(key)
    if found is None:
        _refuse_doctype(data, label)
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.clear()
        found = _COMPILED[key] = _Compiled(data, label)
    return found


#: A font part, related from the font table (ECMA-376 Part 1, 17.8.1; strict and transitional).
_FONT_RELS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/font",
)
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
#: A font's reference to its embedded parts (17.8.3.3-6), and the settings that make Word
#: embed fonts when it saves the document (17.15.1.42-43, 17.15.1.76).
_EMBEDS = tuple(qn(f"w:embed{kind}") for kind in ("Regular", "Bold", "Italic", "BoldItalic"))
_EMBED_SETTINGS = (qn("w:embedTrueTypeFonts"), qn("w:embedSystemFonts"), qn("w:saveSubsetFonts"))


def _without_embedded_fonts(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """Return a template without the fonts embedded in it, and the names of those fonts.

    Word embeds a font ("Lettertypen insluiten in het bestand") as a part in ``word/fonts/``
    that the font table relates to. A font is a program of its own kind for the reader's font
    parser, from whoever made the template, and it made every letter hundreds of kilobytes
    heavier: its parts, its relationships, the font table's references to them and the
    settings that embed fonts on saving are left out. The font table keeps the font's name, so
    a letter uses the installed font of that name, or the one Word or LibreOffice puts in its
    place. A package that cannot be read is returned as it is (python-docx then refuses it).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            found = _embedded_fonts(package)
            if found is None:
                return data, ()
            changed, dropped, names = found
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for info in package.infolist():
                    if info.filename in dropped:
                        continue
                    blob = changed.get(info.filename)
                    target.writestr(info, package.read(info) if blob is None else blob)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, RuntimeError):
        return data, ()  # NotImplementedError (an unknown compression) is a RuntimeError
    except (KeyError, etree.XMLSyntaxError):  # no content types, a damaged part
        return data, ()
    return out.getvalue(), names


def _embedded_fonts(package: zipfile.ZipFile) -> tuple[dict, set[str], tuple[str, ...]] | None:
    """Return what leaving the embedded fonts out of ``package`` changes: the parts rewritten
    (name -> bytes), the parts dropped, the fonts' names; None when it embeds none."""
    members = set(package.namelist())
    changed: dict[str, bytes] = {}
    dropped: set[str] = set()
    other: set[str] = set()  # a part that another relationship uses is no font: kept
    sources: list[str] = []
    settings: list[str] = []
    for name in sorted(m for m in members if m.endswith(".rels")):
        tree = etree.fromstring(package.read(name), _XML_PART)
        folder = posixpath.dirname(posixpath.dirname(name))
        fonts = []
        for rel in tree.iter(f"{{{_PACKAGE_RELS}}}Relationship"):
            if rel.get("TargetMode") == "External":  # refused: outside_references
                continue
            target = posixpath.normpath(posixpath.join("/" + folder, rel.get("Target", "")))
            if rel.get("Type") in _FONT_RELS:
                fonts.append(rel)
                dropped.add(target.lstrip("/"))
                continue
            other.add(target.lstrip("/"))
            if (rel.get("Type") or "").endswith("/settings"):
                settings.append(target.lstrip("/"))
        if fonts:
            for rel in fonts:
                tree.remove(rel)
            changed[name] = _xml_bytes(tree)
            sources.append(posixpath.join(folder, posixpath.basename(name)[: -len(".rels")]))
    dropped -= other
    # the package's own parts (the content types, a relationships part) are no part a
    # relationship names: one that points there (a hostile template) leaves them
    dropped = {d for d in dropped if d != "[Content_Types].xml" and not d.endswith(".rels")}
    if not sources:
        return None
    names: list[str] = []
    for part in [p for p in sources if p in members]:
        tree = etree.fromstring(package.read(part), _XML_PART)
        for embed in list(tree.iter(*_EMBEDS)):
            font = embed.getparent()
            names.append(one_line(font.get(qn("w:name")) or "?", 40))
            font.remove(embed)
        changed[part] = _xml_bytes(tree)
    for part in [p for p in settings if p in members]:
        tree = etree.fromstring(package.read(part), _XML_PART)
        for setting in list(tree.iter(*_EMBED_SETTINGS)):
            setting.getparent().remove(setting)
        changed[part] = _xml_bytes(tree)
    changed["[Content_Types].xml"] = _types_without(package, members - dropped, dropped)
    return changed, dropped, tuple(dict.fromkeys(names))


def _types_without(package: zipfile.ZipFile, kept: set[str], dropped: set[str]) -> bytes:
    """Return the package's content types without the dropped parts (and without the default
    of an extension that only they had)."""
    tree = etree.fromstring(package.read("[Content_Types].xml"), _XML_PART)
    used = {m.rsplit(".", 1)[-1].lower() for m in kept if "." in m}
    for entry in list(tree):
        if entry.tag == f"{{{_TYPES}}}Override":
            if (entry.get("PartName") or "").lstrip("/") in dropped:
                tree.remove(entry)
        elif entry.tag == f"{{{_TYPES}}}Default":
            extension = (entry.get("Extension") or "").lower()
            if extension not in used and any(d.lower().endswith("." + extension) for d in dropped):
                tree.remove(entry)
    return _xml_bytes(tree)


def _xml_bytes(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def template_notes(template_path: Path) -> list[str]:
    """Return the Dutch notes about how the letters of a template differ from it: today only
    that the fonts embedded in it are left out (:func:`_without_embedded_fonts`); empty when
    they do not differ.

    Raises:
      TemplateError: the template cannot be read (as :func:`render_letter`).
    """
    compiled = _compiled(Path(template_path))
    if not compiled.fonts:
        return []
    shown = ", ".join(compiled.fonts[:5])
    if len(compiled.fonts) > 5:
        shown += f" en nog {len(compiled.fonts) - 5}"
    return [
        f"sjabloon {compiled.label} bevat ingesloten lettertypen ({shown}); de brieven zijn "
        "zonder die lettertypen gemaakt: een ingesloten lettertype uit een sjabloon van een "
        "ander kan een aanval op Word of LibreOffice bevatten, en het maakt elke brief zwaar. "
        "Staat het lettertype op deze computer, dan ziet de brief er hetzelfde uit; anders kiest "
        "Word of LibreOffice een vervanger. Zet in Word bij Bestand > Opties > Opslaan "
        "'Lettertypen insluiten in het bestand' uit en sla het sjabloon opnieuw op"
    ]


def render_letter(
    template_path: Path, context: Mapping[str, Any], *, qr_png: bytes | None = None
) -> bytes:
    """Fill a letter template with a context.

    The template is compiled once per process and content (see :class:`_Compiled`); the
    sandbox and a full budget apply to every letter.

    Args:
      template_path: the .docx template (see :func:`find_template`).
      context: the letter context (``letter_templates/README.md``); it is not changed.
      qr_png: the EPC QR code as PNG; it becomes ``betaling.qr``, an image 3 cm wide. Without
        it ``betaling.qr`` is an empty text.
    Returns:
      The filled .docx as bytes. Raises :class:`TemplateError` naming the template and, for an
      unknown field, the field.
    """
    compiled = _compiled(Path(template_path))
    label = compiled.label
    try:
        template = _FilledTemplate(compiled)
        template.init_docx()
    except Exception as error:  # a corrupt or non-Word file: python-docx raises many kinds
        raise TemplateError(label, _not_word(error)) from None
    if compiled.reaching is None:
        compiled.reaching = outside_references(template.docx)
    if compiled.reaching:
        raise TemplateError(label, compiled.reaching[0])
    data = plain_context(context)
    payment = dict(data.get("betaling") or {})
    image = InlineImage(template, io.BytesIO(qr_png), width=QR_WIDTH) if qr_png else None
    payment["qr"] = QrImage(image) if image is not None else ""
    data["betaling"] = plain_context(payment, "betaling")
    compiled.env.fresh()
    try:
        template.render(data, jinja_env=compiled.env, autoescape=True)
    except Exception as error:  # the template is untrusted code: every failure is its own
        problem, field = _jinja_problem(error)
        raise TemplateError(label, problem, field=field) from None
    # code can make a field or use a hyperlink for a picture: see field_problems
    filled = _filled_parts(template.docx)
    made = field_problems(template.docx, filled=True) + _misused_links(filled)
    if made:
        raise TemplateError(label, made[0])
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class LetterJob:
    """One letter to fill: what :func:`render_letter` takes, in a form another process accepts.

    Attributes:
      template: the .docx template.
      context: the letter context (plain data; keys starting with ``_`` are not sent).
      qr_payload: the EPC QR payload; its PNG is drawn where the letter is filled (and
        reused for the same payload).
      qr_png: a ready PNG instead of ``qr_payload``.
    """

    template: Path
    context: Mapping[str, Any]
    qr_payload: str | None = None
    qr_png: bytes | None = None


#: Letters a run must have before a second process is worth its start.
MIN_PARALLEL = 24


def render_letters(
    jobs: Sequence[LetterJob],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[bytes]:
    """Fill many letters: in a pool of processes when the machine has more than one core.

    Each process compiles a template once and fills every letter of it; the sandbox applies in
    every process (it is the same :func:`render_letter`). The results come back in the order
    of ``jobs`` and are the same as filling them one by one.

    Args:
      jobs: the letters.
      workers: processes to use; default one per core (:func:`~debiteuren.workers.cpu_count`);
        1 fills them here, one after the other.
      progress: called with (letters done, total) as letters are filled.
    Returns:
      The .docx bytes per job. Raises :class:`TemplateError` for a letter whose template
      fails (the first letter of each template is tried first).
    """
    from ..workers import cpu_count, ignore_interrupt, interrupts_held, pool_context

    total = len(jobs)
    if workers is None:  # a second process only pays for itself from some letters on
        wanted = min(cpu_count(), total // (MIN_PARALLEL // 2) or 1)
    else:
        wanted = min(max(workers, 1), total or 1)
    out: list[bytes] = []
    if wanted <= 1:
        for job in jobs:
            out.append(_unpack(_fill(job)))
            if progress:
                progress(len(out), total)
        return out
    # The first letter of each template is filled here: that compiles the template, and a
    # forked worker inherits it compiled (a worker started fresh compiles it once itself).
    heads: dict[str, int] = {}
    for k, job in enumerate(jobs):
        heads.setdefault(str(job.template), k)
    done: dict[int, bytes] = {}
    for k in heads.values():
        done[k] = _unpack(_fill(jobs[k]))
        if progress:
            progress(len(done), total)
    rest = [k for k in range(total) if k not in done]
    chunk = max(1, min(16, len(rest) // (wanted * 8)))
    context = pool_context()
    forked = context.get_start_method() == "fork"
    if forked:  # a forked worker's garbage collector leaves this process's objects alone
        gc.freeze()
    try:
        pool = ProcessPoolExecutor(
            max_workers=wanted,
            mp_context=context,
            initializer=ignore_interrupt,  # Ctrl-C is this process's to handle
            initargs=(os.getpid(),),
        )
        try:
            with interrupts_held():  # the workers start here
                results = pool.map(_fill, [_sendable(jobs[k]) for k in rest], chunksize=chunk)
            for k, result in zip(rest, results, strict=True):
                done[k] = _unpack(result)
                if progress:
                    progress(len(done), total)
        except KeyboardInterrupt:
            # The terminal sends Ctrl-C to every process of the command: a worker that took it
            # printed a Python traceback. They leave it to this process, which drops the
            # letters not started and waits for those being filled (a few at most).
            pool.shutdown(cancel_futures=True)
            raise
        finally:
            pool.shutdown()
    except (BrokenProcessPool, OSError):  # no processes here (a sandboxed host): one by one
        for k in rest:
            if k not in done:
                done[k] = _unpack(_fill(jobs[k]))
                if progress:
                    progress(len(done), total)
    finally:
        if forked:
            gc.unfreeze()
    return [done[k] for k in range(total)]


def _sendable(job: LetterJob) -> LetterJob:
    """Return ``job`` without the program's own data (``_qr``): a template cannot use it."""
    context = {k: v for k, v in job.context.items() if not k.startswith("_")}
    return LetterJob(Path(job.template), context, job.qr_payload, job.qr_png)


def _fill(job: LetterJob) -> tuple:
    """Fill one job; return ("ok", bytes) or ("fout", template, problem, field)."""
    from .qr import QrError, cached_qr_png

    png = job.qr_png
    if png is None and job.qr_payload:
        try:
            png = cached_qr_png(job.qr_payload, 6)
        except QrError:  # as a letter without payment details: no QR code
            png = None
    try:
        return ("ok", render_letter(job.template, job.context, qr_png=png))
    except TemplateError as error:
        return ("fout", error.template, error.problem, error.field)


def _unpack(result: tuple) -> bytes:
    if result[0] == "ok":
        return result[1]
    _, template, problem, field = result
    raise TemplateError(template, problem, field=field)


# --------------------------------------------------------------------------------------------
# Checking templates
# --------------------------------------------------------------------------------------------


#: Word fields that act when Word updates them (on opening, printing, F9), by their kind: what
#: each does, as the refusal says it. A field of another kind only shows something (PAGE,
#: NUMPAGES, DATE, IF, REF, MERGEFIELD, HYPERLINK, ...).
_FETCHES = "dat een ander bestand of programma aanroept"
_ACTING_FIELDS = {
    **dict.fromkeys(
        ("INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK", "DDEAUTO", "DDE"), _FETCHES
    ),
    **dict.fromkeys(("DATABASE", "RD"), _FETCHES),
    **dict.fromkeys(("ASK", "FILLIN"), "dat de lezer om invoer vraagt"),
    "MACROBUTTON": "dat een macro of Word-opdracht uitvoert",
    **dict.fromkeys(("EMBED", "CONTROL"), "dat een ingevoegd programma-object start"),
    "PRINT": "dat opdrachten naar de printer stuurt",
    **dict.fromkeys(
        ("AUTOTEXT", "AUTOTEXTLIST", "GLOSSARY"), "dat tekst uit een ander sjabloon invoegt"
    ),
}
_FIELD_KIND = re.compile(r"\s*([A-Za-z]+)")

#: Parts that hold something Word runs or starts (by relationship type): an embedded OLE object
#: or package (a double click starts it), an ActiveX control, macros. A chart's embedded
#: workbook (its data) is a package too, and fine.
_ACTING_PARTS = {
    RT.OLE_OBJECT: "een ingevoegd object (OLE)",
    RT.PACKAGE: "een ingevoegd document of programma-object",
    RT.CONTROL: "een ActiveX-besturingselement",
    "http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary": (
        "een ActiveX-besturingselement"
    ),
    "http://schemas.microsoft.com/office/2006/relationships/vbaProject": "macro's (VBA)",
}
_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
#: Relationships to a document inside the file that Word puts into the letter when it opens it
#: (RTF, HTML, MHT or another .docx), by how the refusal names them: what it holds is neither
#: checked nor filled.
_INSERTING = {
    RT.A_F_CHUNK: "altChunk",
    f"{_R_NS}/subDocument": "subDocument",
    f"{_R_NS}/frame": "frame",
}


def outside_references(doc) -> list[str]:
    """Return a Dutch problem per way a Word document reaches outside itself or acts.

    A letter must show only what the template and the context hold: no field that pulls in a
    file, a picture from the web or another program's data when Word updates it
    (``INCLUDETEXT``, ``INCLUDEPICTURE``, ``LINK``, ``DDE``, ...), asks the reader something
    (``ASK``, ``FILLIN``), runs a macro or command (``MACROBUTTON``, a form field's macro) or
    starts an object (``EMBED``); no linked part outside the file (a remote template, a linked
    image or object) and no part Word runs (an embedded OLE object, an ActiveX control).
    Hyperlinks are fine: they open only when a reader clicks them.

    Args:
      doc: a python-docx Document.
    """
    problems = []
    package = doc.part.package
    for part in (package, *package.iter_parts()):  # the package's own relationships too
        for rel in part.rels.values():
            if rel.is_external and rel.reltype != RT.HYPERLINK:
                problems.append(_external_problem(part, rel))
            elif rel.reltype in _INSERTING:
                problems.append(
                    f"niet toegestaan: het onderdeel {_part_label(part)} van het sjabloon voegt "
                    f"een ander document in ({_INSERTING[rel.reltype]}: "
                    f"{one_line(rel.target_ref, 80)}) dat debiteuren niet kan controleren; open "
                    "het in Word en sla het opnieuw op"
                )
            elif rel.reltype in _ACTING_PARTS and not (
                rel.reltype == RT.PACKAGE and getattr(part, "content_type", "") == _CHART
            ):
                problems.append(
                    f"niet toegestaan: het sjabloon bevat {_ACTING_PARTS[rel.reltype]} "
                    f"({one_line(rel.target_ref, 80)}) dat Word kan starten; haal het weg in Word"
                )
    return problems + _misused_links(doc.part.package.iter_parts()) + field_problems(doc)


#: What a relationship outside the file is, by its type, as the refusal says it.
_OUTSIDE = {
    "attachedTemplate": "een gekoppeld sjabloon, dat Word bij het openen ophaalt",
    "subDocument": "een subdocument, dat Word bij het openen invoegt",
    "frame": "een frame, dat Word bij het openen laadt",
    "aFChunk": "een ingevoegd document, dat Word bij het openen invoegt",
    "oleObject": "een gekoppeld object",
    "image": "een gekoppelde afbeelding",
}


def _external_problem(part, rel) -> str:
    """Return the Dutch refusal of a relationship outside the file, naming the part that holds
    it (``word/settings.xml``; the package's own: ``_rels/.rels``)."""
    kind = rel.reltype.rsplit("/", 1)[-1]
    what = f": {_OUTSIDE[kind]}" if kind in _OUTSIDE else ""
    return (
        f"niet toegestaan: het onderdeel {_part_label(part)} van het sjabloon verwijst naar iets "
        f"buiten het bestand{what} ({one_line(kind, 40)}: {one_line(rel.target_ref, 80)}); "
        "sla het in Word op zonder koppelingen"
    )


def _part_label(part) -> str:
    """Return a part's name as a message names it: ``word/settings.xml``; the package's own
    relationships are ``_rels/.rels``."""
    return one_line(str(getattr(part, "partname", "/")).lstrip("/") or "_rels/.rels", 80)


_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
#: The elements that may use a hyperlink's relationship: a link the reader clicks.
_LINKING = frozenset((qn("w:hyperlink"), f"{{{_A_NS}}}hlinkClick", f"{{{_A_NS}}}hlinkHover"))
#: The elements with an attribute in the relationships namespace whose value is one of $ids.
_USING = etree.XPath(
    "descendant-or-self::*[@*[namespace-uri() = $ns and contains($ids, concat(' ', ., ' '))]]"
)


def _misused_links(parts) -> list[str]:
    """Return a Dutch problem per part where an external hyperlink's relationship is used by
    anything but a link (:data:`_LINKING`).

    Hyperlinks may point outside the file: they open only when clicked. A picture linked
    through one (``<a:blip r:link=…>``) is fetched when the letter is opened: LibreOffice
    fetched it while making the PDF.
    """
    problems = []
    for part in parts:
        links = [
            r_id
            for r_id, rel in part.rels.items()
            if rel.is_external and rel.reltype == RT.HYPERLINK
        ]
        tree = _tree(part) if links else None
        if tree is None:
            continue
        misused = [
            n for n in _USING(tree, ns=_R_NS, ids=f" {' '.join(links)} ") if n.tag not in _LINKING
        ]
        if misused:
            # the value is one id, or (hostile) several joined by spaces: name the first
            values = (v for k, v in misused[0].attrib.items() if "}" in k)
            used = next(r_id for v in values for r_id in v.split(" ") if r_id in links)
            target = one_line(part.rels[used].target_ref, 80)
            problems.append(
                f"niet toegestaan: het sjabloon haalt iets op van buiten het bestand via een "
                f"hyperlink ({target}), dat Word of LibreOffice bij het openen ophaalt; sla "
                "het in Word op zonder koppelingen"
            )
    return problems


def _tree(part):
    """Return the XML tree of a part, or None when it has none (an image) or is damaged."""
    element = getattr(part, "element", None)
    if element is None and part.content_type.endswith("+xml"):
        try:
            element = etree.fromstring(part.blob, _XML_PART)
        except etree.XMLSyntaxError:
            return None
    return element


def field_problems(doc, *, filled: bool = False) -> list[str]:
    """Return a Dutch problem per Word field of ``doc`` that acts (:data:`_ACTING_FIELDS`, a
    form field with a macro, a field whose kind another field makes), in every part.

    A filled letter is checked with this too: template code can make a field after the
    template was checked (``INCLUDE{{ '' }}PICTURE``, a ``{% if %}`` that drops the end of a
    harmless field so that a later instruction joins it, markup from ``|safe``): ``filled``
    looks only at the parts filling changes.
    """
    problems = []
    for instruction in _instructions(doc, filled=filled):
        if instruction.startswith(_COMPUTED):
            problems.append(
                "niet toegestaan: het sjabloon bevat een veld waarvan een ander veld bepaalt "
                "wat het doet; haal het veld weg in Word"
            )
            continue
        if instruction == _MACRO:
            problems.append(
                "niet toegestaan: het sjabloon bevat een formulierveld dat een macro uitvoert; "
                "haal de macro weg in de eigenschappen van het veld in Word"
            )
            continue
        found = _FIELD_KIND.match(instruction)
        does = _ACTING_FIELDS.get(found.group(1).upper()) if found else None
        if does:
            problems.append(
                f"niet toegestaan: het sjabloon bevat een veld {found.group(1).upper()} {does}; "
                "haal het veld weg in Word"
            )
    return problems


#: Stands for a nested field at the start of a field's instruction: Word takes the field's
#: kind from that field's result (``{ {QUOTE "INCLUDEPICTURE"} "http://…" }``).
_COMPUTED = "\x00"
#: Stands for a form field that runs a macro when the reader enters or leaves it.
_MACRO = "\x01"
#: A field's instruction: as it stands, and in a tracked deletion (a deleted field, which
#: Word's "reject all changes" brings back and some programs update as it is).
_INSTRUCTION_TEXT = (qn("w:instrText"), qn("w:delInstrText"))
_SIMPLE_FIELD = qn("w:fldSimple")
_FIELD_MACROS = (qn("w:entryMacro"), qn("w:exitMacro"))
_FIELD_MARKS = (qn("w:fldChar"), *_INSTRUCTION_TEXT, _SIMPLE_FIELD, *_FIELD_MACROS)
#: What a part that holds a field (or a form field's macro) has in its XML.
_FIELD_BYTES = (b"instrText", b"delInstrText", b"fldSimple", b"entryMacro", b"exitMacro")
_XML_PART = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _instructions(doc, *, filled: bool = False) -> list[str]:
    """Return the instructions of every Word field of a document, in every part that can hold
    one (body, headers, footers, footnotes, endnotes, comments), however its runs are wrapped
    (a tracked insertion, deletion or move, a hyperlink, a content control) and however deeply
    fields nest. A deleted instruction (``w:delInstrText``) counts as one.

    With ``filled``, only the parts that filling a template changes (body, headers, footers,
    footnotes: what docxtpl fills); the others are as the template had them.
    """
    instructions = []
    for part in _filled_parts(doc) if filled else doc.part.package.iter_parts():
        if getattr(part, "element", None) is None:  # parsed here only when it holds a field
            blob = part.blob if part.content_type.endswith("+xml") else b""
            if _ascii_text(blob) and not any(mark in blob for mark in _FIELD_BYTES):
                continue
        element = _tree(part)
        if element is not None:  # a damaged part: Word does not open it either
            instructions += _part_instructions(element)
    return instructions


def _ascii_text(blob: bytes) -> bool:
    """Return True when an XML part's tag names stand in it as ASCII bytes (UTF-8, a Latin
    code page), so that a field's marks can be looked for as bytes; not in UTF-16, which a
    package may use for any part (ISO/IEC 29500-2) and Word and LibreOffice read: such a part
    is parsed to be checked."""
    return blob.startswith(b"\xef\xbb\xbf<") or (blob[:1] == b"<" and blob[1:2] != b"\x00")


def _filled_parts(doc) -> list:
    """Return the parts of ``doc`` that docxtpl fills: the body, headers, footers, footnotes."""
    notes = [
        rel.target_part
        for rel in doc.part.rels.values()
        if rel.reltype == RT.FOOTNOTES and not rel.is_external
    ]
    return [doc.part, *_story_parts(doc), *notes]


#: Tracked changes: a run in one of these is inserted (gone when the changes are rejected)
#: or deleted (gone as the document stands).
_INSERTED = (qn("w:ins"), qn("w:moveTo"))
_DELETED = (qn("w:del"), qn("w:moveFrom"))
_CHANGES = (*_INSERTED, *_DELETED)


def _part_instructions(element) -> list[str]:
    """Return the instructions of the fields in one part, nested fields each on their own.

    A field whose instruction has tracked changes is read three ways: with every change, as
    it stands (the deletions made) and as it was (the insertions undone, as Word's "reject
    all changes" makes it); each way whose field kind differs is an instruction of its own.
    'INCLUDE', a deleted 'X', 'PICTURE' is INCLUDEPICTURE as it stands.
    """
    found: list[str] = []
    open_fields: list[list[tuple[str, str]]] = []  # (text, "ins" / "del" / "")
    for mark in element.iter(*_FIELD_MARKS):
        if mark.tag == _SIMPLE_FIELD:
            found.append(mark.get(qn("w:instr"), ""))
        elif mark.tag in _FIELD_MACROS:
            if mark.get(qn("w:val")):
                found.append(_MACRO)
        elif mark.tag in _INSTRUCTION_TEXT:
            if open_fields:
                open_fields[-1].append((mark.text or "", _change_of(mark)))
        elif mark.get(qn("w:fldCharType")) == "begin":
            if open_fields and not "".join(t for t, _ in open_fields[-1]).strip():
                open_fields[-1].append((_COMPUTED, ""))
            open_fields.append([])
        elif mark.get(qn("w:fldCharType")) == "end" and open_fields:
            found += _readings(open_fields.pop())
    for field in open_fields:
        found += _readings(field)
    return found


def _change_of(mark) -> str:
    """Return "del" for an instruction that is deleted as the document stands, "ins" for one
    that rejecting the changes takes out, "" for one in neither."""
    if mark.tag == _INSTRUCTION_TEXT[1]:
        return "del"
    change = next(mark.iterancestors(*_CHANGES), None)
    if change is None:
        return ""
    return "ins" if change.tag in _INSERTED else "del"


def _readings(pieces: list[tuple[str, str]]) -> list[str]:
    """Return a field's instruction with every change, then as it stands and as it was when
    their field kind differs from the ones before (see :func:`_part_instructions`)."""
    readings = ["".join(t for t, _ in pieces).strip()]
    if any(change for _, change in pieces):
        kinds = {_kind_of(readings[0])}
        for left_out in ("del", "ins"):
            reading = "".join(t for t, change in pieces if change != left_out).strip()
            if _kind_of(reading) not in kinds:
                kinds.add(_kind_of(reading))
                readings.append(reading)
    return readings


def _kind_of(instruction: str) -> str:
    """Return the field kind an instruction starts with, upper case ("" for none)."""
    found = _FIELD_KIND.match(instruction)
    return found.group(1).upper() if found else instruction[:1]


def _template_source(path: Path) -> str:
    """Return the Jinja source of a template: body, headers and footers as docxtpl sees them."""
    template = DocxTemplate(io.BytesIO(_checked_template(path)))
    template.init_docx()
    parts = [template.patch_xml(check_markup(template.get_xml()))]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _key, part in template.get_headers_footers(uri):
            parts.append(template.patch_xml(check_markup(template.get_part_xml(part))))
    return "\n".join(parts)


def _path_of(node: nodes.Node, aliases: Mapping[str, str | None]) -> str | None:
    """Return the dotted field path of a Name/Getattr/Getitem chain, or None."""
    if isinstance(node, nodes.Name):
        if node.name in aliases:
            return aliases[node.name]
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _path_of(node.node, aliases)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem):
        base = _path_of(node.node, aliases)
        if base is None:
            return None
        key = node.arg
        if isinstance(key, nodes.Const) and isinstance(key.value, str):
            return f"{base}.{key.value}"
        return base  # a list index: facturen[0].nummer -> facturen.nummer
    return None


def _collect(node: nodes.Node, aliases: dict[str, str | None], found: set[str]) -> None:
    """Add every field path used under ``node`` to ``found``."""
    if isinstance(node, nodes.For):
        _collect(node.iter, aliases, found)
        inner = dict(aliases)
        source = _path_of(node.iter, aliases)
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = source
        else:  # for key, value in …: the names are local, not fields
            inner.update(dict.fromkeys(n.name for n in node.target.find_all(nodes.Name)))
        inner["loop"] = None
        if node.test is not None:
            _collect(node.test, inner, found)
        for child in [*node.body, *node.else_]:
            _collect(child, inner, found)
        return
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Getattr)
        and node.node.attr in METHODS
    ):  # klant.naam.upper(): the field is klant.naam, as the sandbox lets the method be called
        for child in [node.node.node, *node.iter_child_nodes(exclude=("node",))]:
            _collect(child, aliases, found)
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock | nodes.With):
        _collect_scope(node, aliases, found)
        return
    if isinstance(node, nodes.Assign | nodes.AssignBlock):
        targets = [node.target, *node.target.find_all(nodes.Name)]
        aliases.update(dict.fromkeys(t.name for t in targets if isinstance(t, nodes.Name)))
    if (
        isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem)
        and getattr(node, "ctx", "load") == "load"
    ):
        path = _path_of(node, aliases)
        if path:
            found.add(path)
            if isinstance(node, nodes.Getitem):
                _collect(node.arg, aliases, found)
            return
    for child in node.iter_child_nodes():
        _collect(child, aliases, found)


def _collect_scope(
    node: nodes.Macro | nodes.CallBlock | nodes.With,
    aliases: dict[str, str | None],
    found: set[str],
) -> None:
    """Add the fields used in a macro, call block or ``{% with %}``: its own names (the
    macro's, its arguments, ``caller``, the names ``with`` sets) are no fields. Before,
    ``sjablonen controleren`` called them unknown fields, while the letters used them."""
    if isinstance(node, nodes.With):
        outer, names = node.values, [n for t in node.targets for n in t.find_all(nodes.Name)]
        names += [t for t in node.targets if isinstance(t, nodes.Name)]
    else:
        outer = [*node.defaults, *([node.call] if isinstance(node, nodes.CallBlock) else [])]
        names = list(node.args)
        if isinstance(node, nodes.Macro):
            aliases[node.name] = None  # the macro is a name from here on
    for child in outer:
        _collect(child, aliases, found)
    inner = dict(aliases)
    inner.update(dict.fromkeys(n.name for n in names))
    inner.update(dict.fromkeys(("caller", "varargs", "kwargs")))
    for child in node.body:
        _collect(child, inner, found)


def template_fields(path: Path) -> set[str]:
    """Return the fields a template uses, as dotted paths (``klant.naam``, ``facturen.nummer``).

    Fields used through a loop variable are named by the list they come from:
    ``{% for f in facturen %}{{ f.nummer }}`` gives ``facturen`` and ``facturen.nummer``.

    Args:
      path: the .docx template.
    Returns:
      The set of paths. Raises :class:`TemplateError` when a tag cannot be read.
    """
    path = Path(path)
    env = _environment()
    try:
        tree = env.parse(check_source(_template_source(path)))
    except (jinja2.TemplateSyntaxError, TemplateLimit) as error:
        raise TemplateError(_label(path), _jinja_problem(error)[0]) from None
    except TemplateError:
        raise
    except RecursionError:
        raise TemplateError(_label(path), _TOO_DEEP) from None
    except Exception as error:
        raise TemplateError(_label(path), _not_word(error)) from None
    aliases: dict[str, str | None] = dict.fromkeys(env.globals)
    found: set[str] = set()
    try:
        _collect(tree, aliases, found)
    except RecursionError:  # a field of a field thousands of times: parsed, too deep to walk
        raise TemplateError(_label(path), _TOO_DEEP) from None
    return found


#: The problem of a template whose codes are nested deeper than Python's recursion allows.
_TOO_DEEP = f"niet toegestaan: {TOO_DEEP}"


def check_template(path: Path, known_fields: set[str]) -> list[str]:
    """Check a template against the fields the program provides.

    Args:
      path: the .docx template.
      known_fields: the field paths of the context (``letters.fields.known_fields()``);
        parents of a known field (``klant`` for ``klant.naam``) count as known.
    Returns:
      One Dutch message per problem, naming the template and the field; empty when fine.
    """
    path = Path(path)
    label = _label(path)
    try:
        used = template_fields(path)
    except TemplateError as error:
        return [error.message]
    doc = DocxTemplate(io.BytesIO(_checked_template(path)))
    doc.init_docx()
    problems = dict.fromkeys(outside_references(doc.docx))  # an entry and an exit macro: one
    reaching = [f"Sjabloon {label}: {problem}" for problem in problems]
    known = set(known_fields)
    for field in list(known):
        parts = field.split(".")
        known.update(".".join(parts[:n]) for n in range(1, len(parts)))
    unknown = [f"Sjabloon {label}: onbekend veld '{field}'" for field in sorted(used - known)]
    return reaching + unknown or _sample_problems(path)


def _sample_problems(path: Path) -> list[str]:
    """Fill a template once as a letter, with the sample letter of its name and language
    (``letters/samples.py``), and return what filling it refuses.

    The sandbox refuses most of what a template may not do while a letter is filled: a name
    starting with ``_`` on a value (``''.__class__``), ``str.format``, ``range(10**9)``,
    ``'x' * 10**9``, a field a code makes (``INCLUDETEXT``). Before, ``sjablonen
    controleren`` passed such a template and ``brieven`` refused it. A file no letter uses
    (another name or language folder) has no sample: :func:`is_letter_template`.
    """
    if not is_letter_template(path):
        return []
    from .samples import sample_context  # the engine: only when a template is checked

    try:
        render_letter(path, sample_context(path.stem, path.parent.name))
    except TemplateError as error:
        return [error.message]
    return []


def unused_note(path: Path) -> str:
    """Return a Dutch note for a file in a template folder that no letter uses (another name,
    language folder or extension, such as ``nl/herinering.docx`` or ``NL/herinnering.docx``);
    "" for a template the letters use. ``brieven`` then takes the shipped template, without a
    word: the user thought the own one was checked and used."""
    if is_letter_template(path):
        return ""
    names = ", ".join(f"{t}.docx" for t in TEMPLATE_IDS)
    return (
        f"{one_line(_label(path), 120)} wordt door geen brief gebruikt: een eigen sjabloon heet "
        f"zoals een meegeleverd ({names}) en staat in een map nl, fr, en of de; het is niet "
        "gecontroleerd"
    )


def is_letter_template(path: Path) -> bool:
    """Return whether a file in a template folder is one the letters use:
    ``<taal>/<sjabloon>.docx`` with a language and template name of the program."""
    return path.suffix == ".docx" and path.stem in TEMPLATE_IDS and path.parent.name in LANGUAGES


# --------------------------------------------------------------------------------------------
# Finding templates
# --------------------------------------------------------------------------------------------


def shipped_template_dir() -> Path:
    """Return the folder with the templates that come with the program.

    Installed, they are package data (``debiteuren/letter_templates``); in a source checkout
    they are the repository's ``letter_templates`` folder.
    """
    installed = Path(str(resources.files("debiteuren"))) / "letter_templates"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "letter_templates"


def find_template(template_id: str, language: str, user_dir: Path | None = None) -> Path:
    """Locate a letter template: the user's own version first, then the shipped one.

    Args:
      template_id: e.g. ``"herinnering"``.
      language: ``"nl"``, ``"fr"`` or ``"en"``.
      user_dir: the user's template folder (holding ``nl/``, ``fr/``, ``en/``), or None.
    Returns:
      The path of ``<language>/<template_id>.docx``. Raises :class:`TemplateError` when
      neither folder has it.
    """
    name = f"{template_id}.docx"
    candidates = []
    if user_dir is not None:
        own = Path(user_dir) / language / name
        if os.path.lexists(own) and not own.is_file():
            # a folder, a link to nothing or a device under the template's name: the letters
            # took the shipped template without a word, while ``sjablonen controleren``
            # refused the file
            raise TemplateError(
                f"{language}/{name}",
                f"bestand niet gevonden ({own}): daar staat geen gewoon bestand; zet daar uw "
                "sjabloon of haal het weg (dan geldt het meegeleverde)",
            )
        candidates.append(own)
    candidates.append(shipped_template_dir() / language / name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    places = ", ".join(str(c.parent) for c in candidates)
    raise TemplateError(f"{language}/{name}", f"niet gevonden (gezocht in: {places})")


# --------------------------------------------------------------------------------------------
# Merging letters into one document for printing
# --------------------------------------------------------------------------------------------


def merge_letters(docs: Sequence[bytes]) -> bytes:
    """Join letters into one .docx for printing, each letter in its own section.

    Every letter starts on a new page and keeps its own headers, footers, page size,
    footnotes, endnotes and comments; page numbers restart at 1 per letter. The total page
    count in a footer ("pagina 1 van 2") counts the whole merged file in Word and LibreOffice,
    so it is left out: the footer of a merged letter says "Pagina 1", "Pagina 2", ….
    Images (the QR codes), styles and list numbering of every letter are carried over.

    The merge keeps its own counters for part names, relationship ids and list numbers, so
    its time grows linearly with the number of letters (python-docx's own helpers walk the
    whole package for every new part).

    Args:
      docs: the rendered letters (.docx bytes), in print order.
    Returns:
      The merged .docx as bytes.
    """
    if not docs:
        raise DebiteurenError("Er zijn geen brieven om samen te voegen.")
    from .merge import read_letter

    base = Document(io.BytesIO(docs[0]))
    state = _MergeState(base)
    _drop_unfound_notes(base, state)
    shared: dict[bytes, object] = {}
    for data in docs[1:]:
        _append_document(base, read_letter(data, shared), state)
    _number_drawings(base)
    for part in _story_parts(base):
        _drop_total_pages(part.element)
    state.save_notes()
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


_W_SECTPR = qn("w:sectPr")
_W_P = qn("w:p")
_W_PPR = qn("w:pPr")
_W_PPRCHANGE = qn("w:pPrChange")
_W_NUM = qn("w:num")
_W_NUMID = qn("w:numId")
_W_ABSTRACTNUM = qn("w:abstractNum")
_W_ABSTRACTNUMID = qn("w:abstractNumId")
_W_VAL = qn("w:val")
_W_STYLE = qn("w:style")
_W_STYLEID = qn("w:styleId")
#: The element and its descendants that carry a relationship id (r:id, r:embed, r:link).
_WITH_RELATIONSHIP = etree.XPath(
    "descendant-or-self::*[@r:id or @r:embed or @r:link]", namespaces={"r": _R_NS}
)


_UNSEEN = object()


class _MergeState:
    """Counters for the parts, relationships and list numbers added to the merged document."""

    def __init__(self, base) -> None:
        names = [str(p.partname) for p in base.part.package.iter_parts()]
        self.next_part = 1 + max(
            (int(m.group(1)) for n in names if (m := re.search(r"(\d+)\.\w+$", n))), default=0
        )
        self.next_rel = 1
        self.styles_seen: set[bytes] = set()
        self.style_ids: set[str] | None = None
        self.numbering = None
        self.first_num: Any = _UNSEEN
        self.next_abstract = 0
        self.next_num = 1
        #: The notes part of the merged document and its tree, and the next note number, per
        #: kind (footnotes, endnotes): read on first use, written back by save_notes.
        self.notes: dict[str, tuple[Any, Any]] = {}
        self.next_note: dict[str, int] = {}
        #: The paragraph ids and the comments' durable ids in use (read on first use), and the
        #: next number to try for a new one.
        self.used_ids: dict[str, set[str]] = {}
        self.next_id = 1
        try:
            target = base.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        self.numbering = target
        self.next_abstract = 1 + max(
            (int(a.get(_W_ABSTRACTNUMID)) for a in target.findall(_W_ABSTRACTNUM)), default=-1
        )
        self.next_num = 1 + max((int(n.get(_W_NUMID)) for n in target.findall(_W_NUM)), default=0)

    def notes_of(self, base, reltype: str, content_type: str, name: str, model) -> tuple:
        """Return (part, tree) of the merged document's notes of one kind; a new part, with
        the separators of ``model`` (a letter's notes), when the first letter had none."""
        found = self.notes.get(reltype)
        if found is not None:
            return found
        part = _related(base.part, reltype)
        if part is not None:
            # python-docx reads comments as a part with its own tree (notes only as bytes)
            tree = getattr(part, "element", None)
            if tree is None:
                tree = etree.fromstring(part.blob, _XML_PART)
        else:
            from docx.opc.part import Part

            tree = etree.Element(model.tag, nsmap=model.nsmap)
            tree.extend(deepcopy(n) for n in model if n.get(_W_TYPE) not in (None, "normal"))
            part = Part(self.partname("", name, "xml"), content_type, b"", base.part.package)
            self.relate(base.part, part, reltype)
        numbers = (int(n.get(_W_ID)) for n in tree if _NOTE_ID.fullmatch(n.get(_W_ID) or ""))
        self.next_note[reltype] = 1 + max(numbers, default=0)
        found = self.notes[reltype] = (part, tree)
        return found

    def save_notes(self) -> None:
        """Write the notes copied into the merged document back into their parts."""
        for part, tree in self.notes.values():
            if getattr(part, "element", None) is not tree:  # else python-docx writes it
                part._blob = etree.tostring(
                    tree, xml_declaration=True, encoding="UTF-8", standalone=True
                )

    def new_id(self, kind: str) -> str:
        """Return a paragraph id or durable id (8 hex digits, below 0x7FFFFFFF as Word wants)
        that is not in use; it is in use from now on."""
        used = self.used_ids[kind]
        while f"{self.next_id:08X}" in used:
            self.next_id += 1
        found = f"{self.next_id:08X}"
        used.add(found)
        return found

    def partname(self, folder: str, kind: str, ext: str) -> PackURI:
        """Return a new, unused part name such as ``/word/footer7.xml``."""
        n = self.next_part
        self.next_part += 1
        return PackURI(f"/word/{folder}{kind}{n}.{ext}")

    def relate(self, source_part, target, reltype: str, *, external: bool = False) -> str:
        """Add a relationship without python-docx's linear search for an existing one."""
        r_id = f"rIdM{self.next_rel}"
        self.next_rel += 1
        source_part.rels.add_relationship(reltype, target, r_id, is_external=external)
        return r_id


def _story_parts(doc) -> list:
    parts, seen = [], set()
    for rel in doc.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        if id(rel.target_part) not in seen:
            seen.add(id(rel.target_part))
            parts.append(rel.target_part)
    return parts


def _append_document(base, other, state: _MergeState) -> None:
    """Append ``other`` to ``base`` as a new section (in place)."""
    body = base.element.body
    last = _last_child(body)  # not len(body): lxml counts the children one by one
    last_sect = last if last is not None and last.tag == _W_SECTPR else None
    # The current last section's properties move into its last paragraph (a section break).
    before = last_sect.getprevious() if last_sect is not None else last
    holder = before if before is not None and before.tag == _W_P else None
    if holder is None or holder.find(f"{_W_PPR}/{_W_SECTPR}") is not None:
        holder = body.makeelement(_W_P, {})
        if last_sect is not None:
            last_sect.addprevious(holder)
        else:
            body.append(holder)
    p_pr = holder.find(_W_PPR)
    if p_pr is None:
        p_pr = holder.makeelement(_W_PPR, {})
        holder.insert(0, p_pr)
    if last_sect is not None:
        change = p_pr.find(_W_PPRCHANGE)
        if change is not None:
            change.addprevious(last_sect)
        else:
            p_pr.append(last_sect)

    _merge_styles(base, other, state)
    number_map = _merge_numbering(base, other, state)
    children = list(other.element.body)  # ``other`` was read for this merge: move, not copy
    _merge_notes(base, other, children, state)
    for child in children:
        _relink(child, other.part, base.part, state)
        _renumber_lists(child, number_map)
        body.append(child)


#: Footnotes, endnotes and comments: the relationship to their part, a note, what refers to a
#: note (a comment's range and its reference), the part's content type and name.
_NOTES = (
    (RT.FOOTNOTES, qn("w:footnote"), (qn("w:footnoteReference"),), CT.WML_FOOTNOTES, "footnotes"),
    (RT.ENDNOTES, qn("w:endnote"), (qn("w:endnoteReference"),), CT.WML_ENDNOTES, "endnotes"),
    (
        RT.COMMENTS,
        qn("w:comment"),
        (qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference")),
        CT.WML_COMMENTS,
        "comments",
    ),
)
_W_ID = qn("w:id")
_W_TYPE = qn("w:type")
#: A note's number as Word writes it (ST_DecimalNumber, a 32-bit number): other text, such as
#: "²" (a digit to str.isdigit, not to int) or 5,000 digits, is no number to count on.
_NOTE_ID = re.compile(r"-?[0-9]{1,10}")


def _merge_notes(base, other, children: list, state: _MergeState) -> None:
    """Copy the footnotes, endnotes and comments that ``children`` (of ``other``) refer to
    into ``base``, under new numbers, and point the references at them.

    A reference names its note by number in the document's notes part: without this, every
    letter of the print file showed the first letter's notes (another customer's name, when a
    note holds a field of the letter), and the first letter's comments (another template's).
    """
    for reltype, note_tag, ref_tags, content_type, name in _NOTES:
        refs = [ref for child in children for ref in child.iter(*ref_tags)]
        source = _related(other.part, reltype) if refs else None
        numbers: dict[str, str] = {}
        if source is not None:
            target_part, target = state.notes_of(base, reltype, content_type, name, source.element)
            comments = reltype == RT.COMMENTS
            if comments:
                _ids_in_use(base, children, state)
            paragraphs: dict[str, str] = {}  # a comment paragraph's id -> its new id
            for note in source.element.iter(note_tag):
                if note.get(_W_TYPE) in (None, "normal"):
                    copy = deepcopy(note)
                    numbers[note.get(_W_ID)] = str(state.next_note[reltype])
                    copy.set(_W_ID, numbers[note.get(_W_ID)])
                    state.next_note[reltype] += 1
                    _relink(copy, source, target_part, state)
                    if comments:
                        _new_paragraph_ids(copy, paragraphs, state)
                    target.append(copy)
            if paragraphs:
                _merge_threads(base, other, paragraphs, state)
        for ref in refs:  # a note the letter does not have: its number is another letter's
            if ref.get(_W_ID) in numbers:
                ref.set(_W_ID, numbers[ref.get(_W_ID)])
            else:
                ref.getparent().remove(ref)


_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
_W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
_PARA_ID = f"{{{_W14}}}paraId"
_PARA_IDS = etree.XPath("descendant-or-self::*/@w14:paraId", namespaces={"w14": _W14})
_OFFICE_RELS = "http://schemas.microsoft.com/office"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
#: Word's parts beside the comments (MS-DOCX 2.1), by kind: relationship type and part name
#: (its content type is ``{_WML}.<name>+xml``); each refers to a comment by the paragraph id
#: of its last paragraph (commentsEx, commentsIds) or by its durable id (commentsExtensible),
#: which commentsIds gives: "ids" comes before "extensible".
_THREAD_PARTS = {
    "extended": (f"{_OFFICE_RELS}/2011/relationships/commentsExtended", "commentsExtended"),
    "ids": (f"{_OFFICE_RELS}/2016/09/relationships/commentsIds", "commentsIds"),
    "extensible": (
        f"{_OFFICE_RELS}/2018/08/relationships/commentsExtensible",
        "commentsExtensible",
    ),
    "people": (f"{_OFFICE_RELS}/2011/relationships/people", "people"),
}
#: The root element of each kind of thread part: a part related as one with another root is
#: another part (a hostile or damaged template pointing at the document or the styles).
_THREAD_ROOTS = {
    "extended": f"{{{_W15}}}commentsEx",
    "ids": f"{{{_W16CID}}}commentsIds",
    "extensible": f"{{{_W16CEX}}}commentsExtensible",
    "people": f"{{{_W15}}}people",
}
#: The thread parts that hold durable ids: kind, namespace, element.
_DURABLE = (("ids", _W16CID, "commentId"), ("extensible", _W16CEX, "commentExtensible"))


def _ids_in_use(base, children: list, state: _MergeState) -> None:
    """Count the paragraph ids of the letter being appended (``children``) as in use, and, the
    first time, those of the merged document and its comments' durable ids."""
    if not state.used_ids:
        comments = state.notes[RT.COMMENTS][1]  # read (or made) by notes_of before this
        trees = [base.element, comments, *(p.element for p in _story_parts(base))]
        state.used_ids["para"] = {str(v) for tree in trees for v in _PARA_IDS(tree)}
        durable = state.used_ids["durable"] = set()
        for kind, ns, tag in _DURABLE:
            tree = _thread_tree(base, None, kind, state)
            if tree is not None:
                durable.update(e.get(f"{{{ns}}}durableId") for e in tree.iter(f"{{{ns}}}{tag}"))
    state.used_ids["para"].update(str(v) for child in children for v in _PARA_IDS(child))


def _new_paragraph_ids(comment, paragraphs: dict[str, str], state: _MergeState) -> None:
    """Give the paragraphs of a comment copied into the merged document new paragraph ids
    (recorded in ``paragraphs``): letters of one template have the same ones."""
    for node in comment.iter(_W_P):
        old = node.get(_PARA_ID)
        if old is not None:
            paragraphs[old] = state.new_id("para")
            node.set(_PARA_ID, paragraphs[old])


def _thread_tree(base, model, kind: str, state: _MergeState):
    """Return the tree of the merged document's part of ``kind`` (:data:`_THREAD_PARTS`); a
    new part like ``model`` (a letter's) when the document has none, None without a model,
    or when its part is no such part (:data:`_THREAD_ROOTS`: nothing is added to it)."""
    reltype, name = _THREAD_PARTS[kind]
    if model is None and _related(base.part, reltype) is None:
        return None
    try:
        tree = state.notes_of(base, reltype, f"{_WML}.{name}+xml", name, model)[1]
    except etree.XMLSyntaxError:  # damaged in the first letter: Word repairs it or drops it
        return None
    return tree if tree.tag == _THREAD_ROOTS[kind] else None


def _merge_threads(base, other, paragraphs: dict[str, str], state: _MergeState) -> None:
    """Carry a letter's comment threads into the merged document under the comments' new
    paragraph ids: which comment answers which and whether it is resolved (commentsExtended),
    the durable ids (commentsIds, given new ones) and their dates (commentsExtensible), and
    the authors that people.xml does not name yet. An entry for a comment the letter does not
    have is left out; a reply to one becomes a comment of its own."""
    durable: dict[str, str] = {}
    for kind, (reltype, _) in _THREAD_PARTS.items():
        try:
            source = _related(other.part, reltype)
            model = source.element if source is not None else None
        except etree.XMLSyntaxError:  # damaged: this letter's comments stay, unthreaded
            continue
        if model is not None and model.tag != _THREAD_ROOTS[kind]:
            continue  # another part related as this one: no threads to carry
        target = _thread_tree(base, model, kind, state) if model is not None else None
        if target is None:
            continue
        if kind == "people":
            known = {p.get(f"{{{_W15}}}author") for p in target.iter(f"{{{_W15}}}person")}
            for person in model.iter(f"{{{_W15}}}person"):
                if person.get(f"{{{_W15}}}author") not in known:
                    known.add(person.get(f"{{{_W15}}}author"))
                    target.append(deepcopy(person))
            continue
        for entry in model:
            copy = _thread_entry(entry, kind, paragraphs, durable, state)
            if copy is not None:
                target.append(copy)


def _thread_entry(entry, kind: str, paragraphs: dict, durable: dict, state: _MergeState):
    """Return a copy of one entry of a thread part under the new ids, or None when its
    comment is not in the letter (see :func:`_merge_threads`)."""
    ns, key = {"extended": (_W15, "paraId"), "ids": (_W16CID, "paraId")}.get(
        kind, (_W16CEX, "durableId")
    )
    known = durable if kind == "extensible" else paragraphs
    if entry.get(f"{{{ns}}}{key}") not in known:
        return None
    copy = deepcopy(entry)
    copy.set(f"{{{ns}}}{key}", known[entry.get(f"{{{ns}}}{key}")])
    parent = entry.get(f"{{{_W15}}}paraIdParent")
    if kind == "extended" and parent is not None:
        if parent in paragraphs:
            copy.set(f"{{{_W15}}}paraIdParent", paragraphs[parent])
        else:
            del copy.attrib[f"{{{_W15}}}paraIdParent"]
    if kind == "ids" and entry.get(f"{{{_W16CID}}}durableId") is not None:
        new = durable[entry.get(f"{{{_W16CID}}}durableId")] = state.new_id("durable")
        copy.set(f"{{{_W16CID}}}durableId", new)
    return copy


def _drop_unfound_notes(base, state: _MergeState) -> None:
    """Remove from the first letter the references to a note or comment it does not have.

    The later letters' notes are numbered on from the first letter's: such a reference would
    show another letter's note (:func:`_merge_notes` drops them in the later letters).
    """
    for reltype, note_tag, ref_tags, content_type, name in _NOTES:
        refs = list(base.element.body.iter(*ref_tags))
        if not refs:
            continue
        ids: set[str] = set()
        if _related(base.part, reltype) is not None:
            tree = state.notes_of(base, reltype, content_type, name, None)[1]
            ids = {n.get(_W_ID) for n in tree.iter(note_tag) if n.get(_W_TYPE) in (None, "normal")}
        for ref in refs:
            if ref.get(_W_ID) not in ids:
                ref.getparent().remove(ref)


def _related(part, reltype: str):
    """Return the part ``part`` relates to by ``reltype`` (inside the file), or None."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _last_child(element):
    """Return the last child of an lxml element, or None (without counting the children)."""
    try:
        return element[-1]
    except IndexError:
        return None


def _relink(element, source_part, target_part, state: _MergeState) -> None:
    """Re-point relationship ids in ``element`` from ``source_part`` to ``target_part``."""
    cache: dict[str, str] = {}
    for node in _WITH_RELATIONSHIP(element):
        for attr in _REL_ATTRS:
            old = node.get(attr)
            if old is None:
                continue
            if old not in cache:
                cache[old] = _copy_relationship(source_part, target_part, old, state)
            node.set(attr, cache[old])


def _copy_relationship(source_part, target_part, r_id: str, state: _MergeState) -> str:
    """Give ``target_part`` the relationship ``r_id`` of ``source_part``; return the new id."""
    from docx.opc.part import Part

    rel = source_part.rels[r_id]
    if rel.is_external:
        return state.relate(target_part, rel.target_ref, rel.reltype, external=True)
    part = rel.target_part
    package = target_part.package
    if rel.reltype == RT.IMAGE:
        ext = str(part.partname).rsplit(".", 1)[-1]
        image = Part(state.partname("media/", "image", ext), part.content_type, part.blob, package)
        return state.relate(target_part, image, RT.IMAGE)
    if rel.reltype in (RT.HEADER, RT.FOOTER):
        kind, cls = ("header", HeaderPart) if rel.reltype == RT.HEADER else ("footer", FooterPart)
        copy = cls(
            state.partname("", kind, "xml"), part.content_type, deepcopy(part.element), package
        )
        new_id = state.relate(target_part, copy, rel.reltype)
        _relink(copy.element, part, copy, state)
        return new_id
    raise DebiteurenError(
        f"Samenvoegen mislukt: een brief bevat een onderdeel dat niet kan worden "
        f"overgenomen ({rel.reltype.rsplit('/', 1)[-1]})."
    )


def _merge_styles(base, other, state: _MergeState) -> None:
    """Copy styles that ``other`` defines and ``base`` lacks (once per distinct styles part:
    letters from one template share theirs)."""
    blob = getattr(other.styles, "blob", None)  # a letter read by .merge knows its bytes
    if blob in state.styles_seen or other.styles.element is None:
        return
    if blob is not None:
        state.styles_seen.add(blob)
    if state.style_ids is None:
        state.style_ids = {s.get(_W_STYLEID) for s in base.styles.element.findall(_W_STYLE)}
    for style in other.styles.element.findall(_W_STYLE):
        if style.get(_W_STYLEID) not in state.style_ids:
            state.style_ids.add(style.get(_W_STYLEID))
            base.styles.element.append(deepcopy(style))


def _merge_numbering(base, other, state: _MergeState) -> dict[str, str]:
    """Copy ``other``'s list definitions into ``base``; return old -> new numId."""
    try:
        source = other.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    nums = source.findall(_W_NUM)
    if not nums:
        return {}
    if state.numbering is None:
        state.numbering = base.part.numbering_part.element
    target = state.numbering
    abstract_map: dict[str, str] = {}
    if state.first_num is _UNSEEN:  # found once: later ones go before it or after the last
        state.first_num = target.find(_W_NUM)
    first_num = state.first_num
    for abstract in source.findall(_W_ABSTRACTNUM):
        copy = deepcopy(abstract)
        abstract_map[abstract.get(_W_ABSTRACTNUMID)] = str(state.next_abstract)
        copy.set(_W_ABSTRACTNUMID, str(state.next_abstract))
        state.next_abstract += 1
        if first_num is not None:
            first_num.addprevious(copy)  # abstractNum elements come before num elements
        else:
            target.append(copy)
    number_map: dict[str, str] = {}
    for num in nums:
        copy = deepcopy(num)
        number_map[num.get(_W_NUMID)] = str(state.next_num)
        copy.set(_W_NUMID, str(state.next_num))
        ref = copy.find(_W_ABSTRACTNUMID)
        if ref is not None:
            ref.set(_W_VAL, abstract_map.get(ref.get(_W_VAL), ref.get(_W_VAL)))
        state.next_num += 1
        target.append(copy)
        if state.first_num is None:
            state.first_num = copy
    return number_map


def _renumber_lists(element, number_map: Mapping[str, str]) -> None:
    if not number_map:
        return
    for num_id in element.iter(qn("w:numId")):
        value = num_id.get(qn("w:val"))
        if value in number_map:
            num_id.set(qn("w:val"), number_map[value])


def _number_drawings(doc) -> None:
    """Give every drawing a unique id, as Word requires."""
    elements = [doc.element, *(part.element for part in _story_parts(doc))]
    counter = 1
    for element in elements:
        for doc_pr in element.iter(_WP_DOCPR):
            doc_pr.set("id", str(counter))
            counter += 1


def _field_runs(paragraph) -> list[tuple[list, str]]:
    """Return the complex fields of a paragraph as (runs from begin to end, instruction)."""
    fields, current, instruction = [], None, []
    for run in paragraph.findall(qn("w:r")):
        char = run.find(qn("w:fldChar"))
        kind = char.get(qn("w:fldCharType")) if char is not None else None
        if kind == "begin":
            current, instruction = [run], []
            continue
        if current is None:
            continue
        current.append(run)
        text = run.find(qn("w:instrText"))
        if text is not None and text.text:
            instruction.append(text.text)
        if kind == "end":
            fields.append((current, "".join(instruction).strip()))
            current = None
    return fields


def _drop_total_pages(element) -> None:
    """Remove "of N" (NUMPAGES and the word before it) from a header or footer."""
    for paragraph in element.iter(qn("w:p")):
        for runs, instruction in _field_runs(paragraph):
            if not instruction.upper().startswith("NUMPAGES"):
                continue
            before = runs[0].getprevious()
            if before is not None and before.tag == qn("w:r"):
                text = "".join(t.text or "" for t in before.findall(qn("w:t")))
                if text.strip().lower() in ("van", "of", "sur", "de", "/"):
                    paragraph.remove(before)
            for run in runs:
                paragraph.remove(run)
        for simple in paragraph.findall(qn("w:fldSimple")):
            if simple.get(qn("w:instr"), "").strip().upper().startswith("NUMPAGES"):
                paragraph.remove(simple)


def letter_text(docx: bytes) -> str:
    """Return the visible text of a .docx: body (tables too), then every header and footer.

    Paragraphs end with a newline; tabs and line breaks inside a paragraph become a tab and a
    newline. Useful to check what a rendered letter says.

    Args:
      docx: the .docx file as bytes.
    Returns:
      The text.
    """
    doc = Document(io.BytesIO(docx))
    elements = [doc.element.body, *(part.element for part in _story_parts(doc))]
    lines = []
    for element in elements:
        for paragraph in element.iter(qn("w:p")):
            pieces = []
            for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
                if node.tag == qn("w:t"):
                    pieces.append(node.text or "")
                elif node.tag == qn("w:tab"):
                    pieces.append("\t")
                else:
                    pieces.append("\n")
            lines.append("".join(pieces))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# PDF and e-mail
# --------------------------------------------------------------------------------------------

_SOFFICE_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def _soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _SOFFICE_PLACES:
        if Path(place).is_file():
            return place
    return None


def convert_to_pdf(
    docx_paths: Sequence[Path],
    outdir: Path,
    *,
    timeout: float = 600,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Path] | None:
    """Convert letters to PDF with LibreOffice (see :mod:`.pdf`).

    LibreOffice runs headless with private, temporary profiles, so it works while the user
    has LibreOffice open and leaves the user's settings alone. Batches of at most 200 files,
    one instance per core; every PDF is checked before this returns.

    Args:
      docx_paths: the .docx files; their names (without folder) must differ.
      outdir: where the PDFs go (``<name>.pdf``); created when missing.
      timeout: seconds to wait for LibreOffice (per batch).
      progress: called with ("PDF maken", done, total) as batches finish.
    Returns:
      The PDF paths in the order of ``docx_paths``; None when LibreOffice is not installed.
      Raises :class:`ConversionError` when a PDF was not made.
    """
    soffice = _soffice()
    if soffice is None:
        return None
    return convert(soffice, docx_paths, outdir, timeout=timeout, progress=progress)


def _header(text: str) -> str:
    """Return ``text`` on one line, with no encoded word in it.

    A line break in a name must not start a new header. Python's e-mail package reads a text
    it is given as a header would be read, decoding RFC 2047 encoded words in it, and writes
    the decoded text back: a name ``=?utf-8?q?=0D=0ABcc:_x=40example=2Eorg?=`` wrote a Bcc
    header, and ``=?utf-8?q?x=40example=2Eorg?= <jan@example.nl>`` an e-mail to
    x@example.org. A space after each ``=`` before ``?`` keeps such a text the text it is.
    """
    return " ".join(text.split()).replace("=?", "= ?")


def _mailbox(text: str) -> str:
    """Return one address of a From or To header as ``"Name" <address>``, or the address.

    The name is quoted, so a comma, semicolon, quote or angle bracket in it is part of the
    name; a remark after an address (``k@example.be (privé)``) becomes its name (the e-mail
    package wrote a remark with an accent as a word after the address, which made smtplib
    send to ``k@example.be=?utf-8?q?priv=C3=A9?=``). A domain with letters outside ASCII is
    written as the DNS knows it (:func:`~debiteuren.untrusted.ascii_domain`).
    """
    text = _header(text)
    name, address = parseaddr(text)
    if "@" not in address:
        return text
    address = ascii_domain(address)
    return f'"{quote(name)}" <{address}>' if name else address


def make_eml(
    *,
    sender: str,
    to: str | Sequence[str],
    subject: str,
    body_text: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    date: datetime | None = None,
) -> bytes:
    """Return an e-mail draft (.eml) that a mail program opens ready to send.

    The message carries ``X-Unsent: 1``, which makes Outlook and others open it as a draft.
    Sender, recipients and subject are put on one line (a name typed with Alt+Enter cannot add
    a header such as ``Bcc``), without encoded words (:func:`_header`); each address gets its
    name quoted, and recipients separated by semicolons are separated by commas, as RFC 5322
    wants (a semicolon ends a group: only the first address was read).

    Args:
      sender: the From address, e.g. ``"Van Dijk B.V. <debiteuren@vandijk.nl>"``.
      to: the recipient address or addresses.
      subject: the subject line.
      body_text: the message text (plain text, UTF-8).
      attachments: (file name, content, MIME type) per attachment, e.g.
        ``("herinnering.pdf", data, "application/pdf")``.
      date: the Date header (a time without a zone is local time); now when None.
    Returns:
      The message in RFC 5322 form (CRLF line ends) as bytes. An address with letters outside
      ASCII before its @ (``jürgen@example.de``) is written as it is, in UTF-8, as RFC 6532
      wants (a server sends it with SMTPUTF8); the e-mail package wrote the encoded word
      ``=?utf-8?q?j=C3=BCrgen?=@example.de`` into the address, a mailbox nobody has.
    """
    mailboxes = [_mailbox(m) for m in (recipients(to) if isinstance(to, str) else to)]
    sender = _mailbox(sender)
    meant = (parseaddr(sender)[1], tuple(parseaddr(m)[1] for m in mailboxes))
    content = _message(sender, mailboxes, subject, body_text, attachments, date)
    if read_envelope(content) != meant:  # a name the e-mail package could not write
        # a mailbox the parser reads as nothing stays as it was (one line): dropped, the
        # draft had no recipient at all (Python 3.11.2 reads less than later versions)
        bare = [parseaddr(m)[1] or m for m in mailboxes]
        content = _message(meant[0] or sender, bare, subject, body_text, attachments, date)
    return content


#: The longest line of a message (RFC 5322 2.1.1): headers are folded only past it. The e-mail
#: package folds a quoted name over two lines without its quotes: "Drukkerij De Letterzetter:
#: boeken, tijdschriften en drukwerk B.V." <info@…> became a group whose first member was
#: 'boeken' (the sender the server was given) once the line was longer than 78 characters.
_LONGEST_LINE = 998


def _message(
    sender: str,
    mailboxes: Sequence[str],
    subject: str,
    body_text: str,
    attachments: Sequence[tuple[str, bytes, str]],
    date: datetime | None,
) -> bytes:
    """Return the draft of :func:`make_eml` with these written From and To mailboxes."""
    international = not "".join(parseaddr(m)[1] for m in [sender, *mailboxes]).isascii()
    message = EmailMessage(policy=policy.SMTPUTF8 if international else policy.SMTP)
    message["From"] = sender
    message["To"] = ", ".join(mailboxes)
    message["Subject"] = _header(subject)
    # a time without a zone is the machine's local time (the command line's clock): written
    # as it was, it said "-0000" (zone unknown) and a mail program showed it as UTC
    when = date or datetime.now()
    message["Date"] = format_datetime(when if when.tzinfo else when.astimezone())
    domain = parseaddr(sender)[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain if domain.isascii() and domain else None)
    message["X-Unsent"] = "1"
    message.set_content(body_text)
    for name, data, mime in attachments:
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(
            data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=name,
        )
    # the body is encoded already (quoted-printable lines of 76): only headers fold later
    return message.as_bytes(policy=message.policy.clone(max_line_length=_LONGEST_LINE))


def read_envelope(content: bytes) -> tuple[str, tuple[str, ...]] | None:
    """Return the addresses of the From and To headers of a message (its envelope), as a
    mail program reads them; None when the e-mail package cannot read them.

    The headers are ASCII, or UTF-8 for an address that needs it (RFC 6532).
    """
    end = content.find(b"\r\n\r\n")
    head = content[: end if end >= 0 else len(content)].decode("utf-8", "replace")
    try:
        parsed = message_from_string(head + "\r\n\r\n", policy=policy.default)
        sender = parsed["From"].addresses[0].addr_spec if parsed["From"] else ""
        to = tuple(a.addr_spec for a in parsed["To"].addresses) if parsed["To"] else ()
    except (ValueError, IndexError, AttributeError, TypeError):  # its parser's own failures
        return None
    return sender, to
