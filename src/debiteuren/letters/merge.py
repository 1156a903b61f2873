"""Read a rendered letter for the print file: only the parts a merge takes over.

``merge_letters`` appends every letter's body to the first one. Opening each letter as a full
python-docx Document parses all of its parts (theme, settings, fonts, properties …) that the
merge never uses; :func:`read_letter` reads the zip once and parses only the main document,
its relationships, and, on first use, a header, footer, the styles and the list numbering. It
offers the few attributes the merge uses (``element.body``, ``part.rels``, ``styles.element``,
``part.numbering_part.element``), with python-docx's own element classes.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from functools import cached_property

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from lxml import etree

from debiteuren.errors import DebiteurenError

__all__ = ["LetterParts", "read_letter"]

_PKG = "http://schemas.openxmlformats.org/package/2006/"
_RELATIONSHIP = f"{{{_PKG}relationships}}Relationship"
_DEFAULT = f"{{{_PKG}content-types}}Default"
_OVERRIDE = f"{{{_PKG}content-types}}Override"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class _Rel:
    __slots__ = ("is_external", "reltype", "target_part", "target_ref")

    def __init__(self, reltype: str, target_ref: str, is_external: bool, target_part) -> None:
        self.reltype = reltype
        self.target_ref = target_ref
        self.is_external = is_external
        self.target_part = target_part


class _Part:
    """One part of a letter: its name, content type, bytes; parsed and related on first use."""

    def __init__(self, letter: LetterParts, partname: str) -> None:
        self._letter = letter
        self.partname = PackURI(partname)

    @property
    def content_type(self) -> str:
        return self._letter.content_type(str(self.partname))

    @cached_property
    def blob(self) -> bytes:
        return self._letter.member(str(self.partname))

    @cached_property
    def element(self):
        if self is self._letter.part:
            return parse_xml(self.blob)  # the body moves into the print file: its own tree
        shared = self._letter.shared  # headers, footers, styles, lists: only read or copied
        found = shared.get(self.blob)
        if found is None:
            found = shared[self.blob] = parse_xml(self.blob)
        return found

    @cached_property
    def rels(self) -> dict[str, _Rel]:
        return self._letter.rels_of(str(self.partname))

    @property
    def numbering_part(self) -> _Part:
        for rel in self.rels.values():
            if rel.reltype == RT.NUMBERING and not rel.is_external:
                return rel.target_part
        raise KeyError("numbering")


class _Styles:
    def __init__(self, part: _Part | None) -> None:
        self._part = part
        self.blob = part.blob if part is not None else b""

    @property
    def element(self):
        return self._part.element if self._part is not None else None


class LetterParts:
    """A rendered letter, read for merging (see the module docstring)."""

    def __init__(self, data: bytes, shared: dict[bytes, object] | None = None) -> None:
        self.shared = {} if shared is None else shared
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._names = set(self._zip.namelist())
            types = etree.fromstring(self._zip.read("[Content_Types].xml"), _SAFE)
            package = self.rels_of("/")
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
            raise DebiteurenError(
                f"Samenvoegen mislukt: een brief is geen geldig Word-bestand ({error})."
            ) from None
        self._defaults = {
            e.get("Extension", "").lower(): e.get("ContentType") for e in types.iter(_DEFAULT)
        }
        self._overrides = {e.get("PartName"): e.get("ContentType") for e in types.iter(_OVERRIDE)}
        main = next(r for r in package.values() if r.reltype == RT.OFFICE_DOCUMENT)
        self.part = main.target_part
        self.element = self.part.element

    @cached_property
    def styles(self) -> _Styles:
        found = [r.target_part for r in self.part.rels.values() if r.reltype == RT.STYLES]
        return _Styles(found[0] if found else None)

    def member(self, partname: str) -> bytes:
        return self._zip.read(partname.lstrip("/"))

    def content_type(self, partname: str) -> str:
        found = self._overrides.get(partname)
        if found is None:
            found = self._defaults.get(partname.rsplit(".", 1)[-1].lower(), "")
        return found

    def rels_of(self, partname: str) -> dict[str, _Rel]:
        """Return the relationships of a part by id; internal targets become parts."""
        folder, name = posixpath.split(partname)
        member = posixpath.join(folder, "_rels", f"{name}.rels").lstrip("/")
        if member not in getattr(self, "_names", ()):
            return {}
        out: dict[str, _Rel] = {}
        for rel in etree.fromstring(self._zip.read(member), _SAFE).iter(_RELATIONSHIP):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                out[rel.get("Id")] = _Rel(rel.get("Type"), target, True, None)
                continue
            name = posixpath.normpath(posixpath.join(folder or "/", target))
            part = _Part(self, name) if name.lstrip("/") in self._names else None
            out[rel.get("Id")] = _Rel(rel.get("Type"), target, False, part)
        return out


def read_letter(data: bytes, shared: dict[bytes, object] | None = None) -> LetterParts:
    """Return a rendered letter (.docx bytes) read for merging.

    Args:
      data: the letter.
      shared: parsed parts by their bytes, shared by the letters of one merge (letters of one
        template have the same styles, lists and footers); the merge only reads or copies them.
    """
    return LetterParts(data, shared)
