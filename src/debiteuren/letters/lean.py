"""A lean copy of a letter for LibreOffice: the same document without the styles it never uses.

A letter made from python-docx's default template carries 177 style definitions (350 KB of
``word/styles.xml``: every table style and list style Word knows) of which it uses a dozen.
LibreOffice imports every one of them for every letter: half of the time it spends on a
letter. :func:`lean_copy` writes a copy with only the styles the letter refers to (from its
body, headers, footers, notes and lists) and the styles those build on; everything else in the
package, including the document defaults and the latent styles, is copied unchanged, so the PDF
looks the same. The copy is for the conversion only: the user's .docx stays as it was made.

Where leaving styles out could change what is shown, the copy keeps all of them: a field that
looks styles up by name (``STYLEREF``, a table of contents), or a package this module cannot
read (then the original is converted).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

__all__ = ["lean_copy"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLE = f"{{{_W}}}style"
_STYLE_ID = f"{{{_W}}}styleId"
_DEFAULT = f"{{{_W}}}default"
_VAL = f"{{{_W}}}val"
#: The elements inside a style that name another style it needs.
_STYLE_LINKS = tuple(f"{{{_W}}}{t}" for t in ("basedOn", "next", "link"))
_STYLES_PART = "word/styles.xml"
#: Word 2010's copy of the styles for older versions: LibreOffice does not read it, so the copy
#: holds an empty one (not 440 KB per letter to unpack and write).
_OTHER_STYLES = "word/stylesWithEffects.xml"
_EMPTY_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
)
#: A reference to a style from a story or the list definitions (any namespace prefix).
_REFERENCE = re.compile(
    rb"<(?:[\w.-]+:)?(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink|defaultTableStyle"
    rb"|clickAndTypeStyle)\b[^>]*?"
    rb"\b(?:[\w.-]+:)?val=\"([^\"]*)\""
)
#: Fields that find text by its style's name: with them every style stays.
_BY_NAME = re.compile(rb"STYLEREF|\bTOC\b", re.IGNORECASE)
#: A package larger than this (unpacked) is converted as it is.
_MAX_UNPACKED = 64 * 1024 * 1024
#: What reading a package that is damaged, encrypted or packed in an unknown way raises.
_UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    KeyError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    etree.XMLSyntaxError,
)
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def lean_copy(source: Path, target: Path, cache: dict | None = None) -> bool:
    """Write to ``target`` a copy of the .docx ``source`` without its unused styles.

    Args:
      source: the letter.
      target: where the copy goes (a stored zip: LibreOffice unpacks it at once).
      cache: lean styles parts by (styles part checksum and size, styles used), shared by the
        letters of one conversion (letters of one template have the same styles part).
    Returns:
      True when the copy was written; False when ``source`` is not a package this can slim
      (nothing is written: convert the original).
    """
    cache = {} if cache is None else cache
    try:
        with zipfile.ZipFile(source) as package:
            infos = package.infolist()
            names = {i.filename for i in infos}
            if _STYLES_PART not in names or sum(i.file_size for i in infos) > _MAX_UNPACKED:
                return False
            parts = {
                i.filename: package.read(i)
                for i in infos
                if i.filename not in (_STYLES_PART, _OTHER_STYLES) and not i.is_dir()
            }
            used = _used_styles(parts)
            styles = package.getinfo(_STYLES_PART)
            key = (styles.CRC, styles.file_size, used)
            lean = cache.get(key)
            if lean is None:
                lean = cache[key] = _lean_styles(package.read(styles), used)
    except _UNREADABLE:
        return False
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as copy:
            for info in infos:
                if info.is_dir():
                    continue
                if info.filename == _STYLES_PART:
                    data = lean
                elif info.filename == _OTHER_STYLES:
                    data = _EMPTY_STYLES
                else:
                    data = parts[info.filename]
                copy.writestr(info.filename, data)
    except OSError:  # no room for the copy: LibreOffice converts the letter itself
        Path(target).unlink(missing_ok=True)
        return False
    return True


def _used_styles(parts: dict[str, bytes]) -> frozenset[str] | None:
    """Return the style ids the stories and lists refer to; None when every style must stay."""
    used: set[bytes] = set()
    for name, data in parts.items():
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        if (b"instrText" in data or b"instr=" in data) and _BY_NAME.search(data):
            return None
        used.update(_REFERENCE.findall(data))
    return frozenset(u.decode("utf-8", "replace") for u in used)


def _lean_styles(data: bytes, used: frozenset[str] | None) -> bytes:
    """Return the styles part with only the styles in ``used``, the defaults, and what they
    build on (all of them when ``used`` is None)."""
    if used is None:
        return data
    root = etree.fromstring(data, _SAFE)
    styles = {s.get(_STYLE_ID): s for s in root.iter(_STYLE)}
    keep = set(used) | {k for k, s in styles.items() if s.get(_DEFAULT) in ("1", "true", "on")}
    todo = list(keep)
    while todo:
        style = styles.get(todo.pop())
        if style is None:
            continue
        for link in style.iter(*_STYLE_LINKS):
            name = link.get(_VAL)
            if name and name not in keep:
                keep.add(name)
                todo.append(name)
    for name, style in styles.items():
        if name not in keep:
            style.getparent().remove(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
