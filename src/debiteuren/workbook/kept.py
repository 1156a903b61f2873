"""What a save with openpyxl keeps of a workbook, compared with what the workbook held.

A package the patcher does not expect (:class:`.xlsx_patch.UnexpectedStructure`: rows without
their number, a comment between the rows, ...) is loaded and saved with openpyxl instead.
openpyxl drops what it does not model: images without Pillow, shapes, threaded comments, slicers,
the extensions of newer Excel versions on a sheet (conditional formatting and data validation
that refer to other sheets, sparklines). That save is refused (:class:`WouldLose`) when the new
package lacks any of those the old one had: the user keeps the file as it was and is told how to
make it one the patcher takes (save it again in Excel or LibreOffice).

What is compared: per sheet, the number of relationships of each kind a user sees (an image, a
chart, a threaded comment, ...) from the sheet's part and the parts it leads to, the things
placed in its drawings (a picture, a chart, a shape: openpyxl keeps a drawing's pictures and
charts but not its shapes), and the sheet's ``<extLst>``. The regenerated Overzicht is left
out: debiteuren draws it anew.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

from ..errors import DebiteurenError
from . import schema

__all__ = ["WouldLose", "refuse_losses"]

#: Relationship kind (the last part of its type) -> what the user would miss, in Dutch. Other
#: kinds (calcChain, printer settings, a thumbnail, the legacy drawing of notes that openpyxl
#: writes anew) are not watched.
WATCHED = {
    "image": "afbeeldingen",
    "drawing": "tekeningen, afbeeldingen of grafieken",
    "chart": "grafieken",
    "chartsheet": "grafiekbladen",
    "comments": "notities",
    "threadedComment": "opmerkingen met antwoorden",
    "pivotTable": "draaitabellen",
    "slicer": "slicers",
    "timeline": "tijdlijnen",
    "table": "tabellen",
    "vbaProject": "macro's (VBA)",
    "extensibility": "eigen knoppen in het lint",
    "taskpanes": "invoegtoepassingen in het werkboek",
    "ctrlProp": "knoppen en andere besturingselementen",
    "control": "knoppen en andere besturingselementen",
    "externalLink": "koppelingen naar andere werkboeken",
    "sheetMetadata": "matrixformules",
    "macrosheet": "macrobladen",
    "dialogsheet": "dialoogbladen",
    "extLst": "opmaak of gegevensvalidatie van nieuwere Excel-versies",
}


#: The end of one thing placed in a drawing: a picture, a chart, a shape or a group of them.
_ANCHOR = re.compile(rb"</(?:\w+:)?(?:twoCellAnchor|oneCellAnchor|absoluteAnchor)>")


class WouldLose(DebiteurenError):
    """A save with openpyxl would drop parts of the workbook; nothing was written."""

    def __init__(
        self, path: str | os.PathLike[str], lost: dict[str, list[str]], formula: bool = False
    ) -> None:
        what = "; ".join(
            f"{thing} (blad {', '.join(sheets)})" if any(sheets) else thing
            for thing, sheets in lost.items()
        )
        why, then = (
            (
                "in een kolom die debiteuren invult (zoals Totaal op Facturen) staat een "
                "doorgetrokken formule of matrixformule",
                "Maak die cellen leeg (debiteuren vult die kolommen zelf) en probeer opnieuw.",
            )
            if formula
            else (
                "het bestand is anders opgebouwd dan Excel en LibreOffice het bewaren",
                "Open het werkboek in Excel of LibreOffice, sla het op als Excel-werkmap (.xlsx; "
                "met macro's .xlsm) en probeer opnieuw.",
            )
        )
        super().__init__(
            f"debiteuren kan {path} niet rechtstreeks bijwerken: {why}. Opslaan via de omweg "
            f"(openpyxl) zou weglaten: {what}. Er is niets gewijzigd. {then}"
        )


def refuse_losses(before: Path, after: Path, *, formula: bool = False) -> None:
    """Raise :class:`WouldLose` when the package ``after`` lacks what ``before`` holds.

    ``formula``: the patcher met a formula filled down a column it writes (the message says
    so, and how to make way for the values)."""
    old, new = _inventory(before), _inventory(after)
    lost: dict[str, list[str]] = {}
    for (sheet, kind), count in sorted(old.items()):
        if new[sheet, kind] < count:
            sheets = lost.setdefault(WATCHED[kind], [])
            if sheet not in sheets:
                sheets.append(sheet)
    if lost:
        raise WouldLose(before, lost, formula)


def _inventory(path: Path) -> Counter[tuple[str, str]]:
    """Return (sheet title or "", kind) -> how many the package at ``path`` holds."""
    found: Counter[tuple[str, str]] = Counter()
    overview = schema.normalize_header(schema.OVERZICHT.name)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        rels = {_source(n): _targets(archive, n) for n in names if n.endswith(".rels")}
        titles = _sheet_titles(archive, rels)
        parent = {t: source for source, links in rels.items() for _, t in links}
        for source, links in rels.items():
            sheet = _owner(source, parent, titles)
            if schema.normalize_header(sheet) == overview:
                continue
            for kind, target in links:
                if kind == "drawing" and target in names:  # each picture, chart or shape
                    found[sheet, kind] += max(1, len(_ANCHOR.findall(archive.read(target))))
                elif kind in WATCHED:
                    found[sheet, kind] += 1
        for part, sheet in titles.items():
            if part in names and schema.normalize_header(sheet) != overview:
                found[sheet, "extLst"] += archive.read(part).count(b"extLst>") // 2
    return found


def _source(rels: str) -> str:
    """Return the part a .rels part belongs to ("" for the package's own)."""
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")]).lstrip("/")


def _targets(archive: zipfile.ZipFile, rels: str) -> list[tuple[str, str]]:
    """Return (kind, target part) of each internal relationship in ``rels``."""
    folder = posixpath.dirname(posixpath.dirname(rels))
    try:
        root = ElementTree.fromstring(archive.read(rels))
    except ElementTree.ParseError:
        return []
    out = []
    for rel in root:
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        out.append((rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(path)))
    return out


def _sheet_titles(
    archive: zipfile.ZipFile, rels: dict[str, list[tuple[str, str]]]
) -> dict[str, str]:
    """Return the part of each sheet (worksheet or chart sheet) -> its title."""
    workbook = next((t for k, t in rels.get("", []) if k == "officeDocument"), "xl/workbook.xml")
    relationships = dict(_ids(archive, workbook))
    titles = {}
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
        if rid in relationships:
            titles[relationships[rid]] = element.get("name", "")
    return titles


def _ids(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    """Return (relationship id, target part) of ``part``'s relationships."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return []
    out = []
    for rel in ElementTree.fromstring(archive.read(rels)):
        target = rel.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        out.append((rel.get("Id", ""), posixpath.normpath(path)))
    return out


def _owner(part: str, parent: dict[str, str], titles: dict[str, str]) -> str:
    """Return the title of the sheet ``part`` belongs to (a drawing's image: its sheet's)."""
    for _ in range(8):  # sheet -> drawing -> chart -> image at most, in practice
        if part in titles:
            return titles[part]
        if part not in parent:
            return ""
        part = parent[part]
    return ""
