"""Build the Excel add-in ``addin/debiteuren.xlam`` from the text sources in ``addin/``.

No Excel is needed. The add-in is an OOXML package (a zip) holding one sheet, the ribbon
``customUI14.xml`` and ``xl/vbaProject.bin``, a VBA project written from the module texts in
``addin/vba/``. The VBA project carries source code only, no compiled p-code: Excel compiles
the source when it loads the add-in. See ``addin/VBA_FORMAT.md`` for the format notes.

The build is deterministic: fixed timestamps and GUIDs, stable ordering and no zlib, so
``python addin/build.py`` reproduces the committed ``addin/debiteuren.xlam`` byte for byte.

Sources:
    [MS-OVBA] Office VBA File Format Structure: dir stream (2.3.4.2), PROJECT stream (2.3.1),
    compression (2.4.1), data encryption (2.4.3).
    [MS-CFB] Compound File Binary File Format, version 3 (512-byte sectors).
    ECMA-376 Part 2 (Open Packaging Conventions) for the zip package.

Usage:
    python addin/build.py                   # write addin/debiteuren.xlam
    python addin/build.py --output DIR      # write DIR/debiteuren.xlam
    python addin/build.py --check           # exit 1 when the committed add-in is stale
    python addin/build.py --update-xlwings  # refresh addin/vba/ from the installed xlwings
"""

from __future__ import annotations

import argparse
import io
import struct
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ADDIN_DIR = Path(__file__).resolve().parent
VBA_DIR = ADDIN_DIR / "vba"
XLAM_NAME = "debiteuren.xlam"

# The VBA project's name may not equal a module name, so it is not "Debiteuren".
VBA_PROJECT_NAME = "DebiteurenAddin"
# Fixed so that every build writes the same bytes. Never reuse it for another project.
VBA_PROJECT_ID = "{42FC6298-D084-4675-BFEC-7FA4821187DC}"
CODE_PAGE = 1252
ENCODING = "cp1252"

# The xlwings config name: RunPython reads %USERPROFILE%\.debiteuren\debiteuren.conf.
XLWINGS_PROJECT_NAME = "debiteuren"
# Standard modules, then class modules, in the order they appear in the VBA project.
MODULE_FILES = ("xlwings.bas", "Debiteuren.bas", "Dictionary.cls")
# Document modules Excel keeps for the workbook and its one sheet (codeName in the XML).
WORKBOOK_CODENAME = "ThisWorkbook"
SHEET_CODENAME = "Sheet1"
SHEET_NAME = "Debiteuren"

# Excel's class ids, the base of the document modules and of class modules.
_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

# Type libraries the project references (2.3.4.2.2). VBA and Excel are not listed, as in the
# add-ins xlwings ships.
# Office is needed for IRibbonControl; "#2.0#" loads whichever 2.x Office library is installed.
REFERENCES = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
        r"#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
        r"#Microsoft Office 16.0 Object Library",
    ),
)


# --------------------------------------------------------------------------------------------
# VBA modules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Module:
    """One VBA module as it is stored in the project.

    Attributes:
        name: the module name (``Attribute VB_Name``), also its stream name.
        kind: ``"module"`` (standard), ``"class"`` or ``"document"``.
        code: the source text exactly as stored in the module stream, CRLF line endings.
    """

    name: str
    kind: str
    code: str


def _crlf(text: str) -> str:
    """Return text with every line ending as CRLF, whatever the checkout did to it."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _module_name(code: str) -> str:
    """Return the name given by the module's first line, ``Attribute VB_Name = "..."``."""
    first = code.split("\r\n", 1)[0]
    prefix = 'Attribute VB_Name = "'
    if not (first.startswith(prefix) and first.endswith('"')):
        raise ValueError(f"module does not start with {prefix}...: {first!r}")
    return first[len(prefix) : -1]


def class_stream_code(exported: str) -> str:
    """Return the stream text of a class module from its exported ``.cls`` text.

    The VBA editor exports a class with a ``VERSION 1.0 CLASS / BEGIN ... END`` header and
    without three attributes it keeps in the project. This undoes that: it drops the header,
    adds ``VB_Base`` after ``VB_Name`` and ``VB_TemplateDerived``/``VB_Customizable`` after
    ``VB_Exposed``, as Excel itself stores a class module.

    Args:
        exported: the ``.cls`` text, CRLF line endings.

    Returns:
        The module text as stored in the module stream.
    """
    lines = exported.split("\r\n")
    if lines[0] == "VERSION 1.0 CLASS":
        end = lines.index("END")
        lines = lines[end + 1 :]
    out: list[str] = []
    for line in lines:
        out.append(line)
        if line.startswith("Attribute VB_Name = "):
            out.append(f'Attribute VB_Base = "{_CLASS_BASE}"')
        elif line.startswith("Attribute VB_Exposed = "):
            out.append("Attribute VB_TemplateDerived = False")
            out.append("Attribute VB_Customizable = False")
    return "\r\n".join(out)


def _document_code(name: str, base: str) -> str:
    """Return the (empty) source of a document module, as Excel stores it."""
    attributes = (
        ("VB_Name", f'"{name}"'),
        ("VB_Base", f'"{base}"'),
        ("VB_GlobalNameSpace", "False"),
        ("VB_Creatable", "False"),
        ("VB_PredeclaredId", "True"),
        ("VB_Exposed", "True"),
        ("VB_TemplateDerived", "False"),
        ("VB_Customizable", "True"),
    )
    return "".join(f"Attribute {key} = {value}\r\n" for key, value in attributes)


def source_modules(vba_dir: Path = VBA_DIR) -> list[Module]:
    """Read the modules kept as text in ``addin/vba/``.

    Args:
        vba_dir: the folder with the ``.bas`` and ``.cls`` files.

    Returns:
        The modules in project order, their code as it goes into the module streams.
    """
    modules = []
    for filename in MODULE_FILES:
        text = _crlf((vba_dir / filename).read_text(encoding="utf-8"))
        if filename.endswith(".cls"):
            code, kind = class_stream_code(text), "class"
        else:
            code, kind = text, "module"
        name = _module_name(code)
        if name != Path(filename).stem:
            raise ValueError(f"{filename}: VB_Name is {name!r}, expected {Path(filename).stem!r}")
        modules.append(Module(name=name, kind=kind, code=code))
    return modules


def project_modules(vba_dir: Path = VBA_DIR) -> list[Module]:
    """Return every module of the VBA project: the two document modules, then the sources."""
    documents = [
        Module(
            name=WORKBOOK_CODENAME,
            kind="document",
            code=_document_code(WORKBOOK_CODENAME, _WORKBOOK_BASE),
        ),
        Module(
            name=SHEET_CODENAME,
            kind="document",
            code=_document_code(SHEET_CODENAME, _WORKSHEET_BASE),
        ),
    ]
    return documents + source_modules(vba_dir)


# --------------------------------------------------------------------------------------------
# xlwings' VBA module, taken from the installed package
# --------------------------------------------------------------------------------------------


#: What debiteuren changes in xlwings' module, so that a workbook can never choose the Python
#: that runs or the code it imports (SECURITY.md): (text in xlwings, replacement, times found).
XLWINGS_CHANGES: tuple[tuple[str, str, int], ...] = (
    # Settings come only from the user's own debiteuren.conf (written by `excel installeren`):
    # a "debiteuren.conf" sheet in the workbook and a debiteuren.conf file beside it are ignored.
    (
        '    If source = "" Or source = "sheet" Then\n',
        "    If False Then ' debiteuren: a sheet in a workbook never configures the add-in\n",
        1,
    ),
    (
        '    If source = "" Or source = "directory" Then\n',
        "    If False Then ' debiteuren: nor does a file beside the workbook\n",
        1,
    ),
    # Never the workbook's folder or <workbook>.zip on Python's import path.
    ('GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "true")', '"false"', 2),
    # No code from a workbook's "*.py" sheets (xlwings PRO's embedded code).
    (
        "    Next i\n\n    If uses_embedded_code = True Then\n",
        "    Next i\n    uses_embedded_code = False ' debiteuren: no code from a workbook\n\n"
        "    If uses_embedded_code = True Then\n",
        1,
    ),
    # Python 3.11's -P: not even the current folder goes first on the import path.
    (' -B -c ""import', ' -B -P -c ""import', 2),
    (
        "            PythonInterpreter = ToPosixPath(PYTHON_MAC)\n",
        '            PythonInterpreter = ToPosixPath(PYTHON_MAC) & " -P"\n',
        1,
    ),
)


def xlwings_sources() -> dict[str, str]:
    """Return ``addin/vba/`` texts made from the installed xlwings package.

    ``xlwings.bas`` is xlwings' module for custom add-ins (``xlwings_custom_addin.bas``) with
    ``PROJECT_NAME`` set to ``debiteuren``, the changes of :data:`XLWINGS_CHANGES` and a
    provenance header; ``Dictionary.cls`` is the class xlwings ships for macOS (it has no
    Scripting.Dictionary), unchanged.

    Returns:
        File name to text, LF line endings.
    """
    import xlwings

    package = Path(xlwings.__file__).parent
    version = xlwings.__version__
    bas = (package / "xlwings_custom_addin.bas").read_text(encoding=ENCODING)
    bas = bas.replace("\r\n", "\n")
    default = 'Public Const PROJECT_NAME As String = "myaddin"'
    changes = ((default, default.replace("myaddin", XLWINGS_PROJECT_NAME), 1), *XLWINGS_CHANGES)
    for old, new, times in changes:
        if bas.count(old) != times:
            raise ValueError(f"xlwings {version}: {old!r} not found {times} times")
        bas = bas.replace(old, new)
    first, rest = bas.split("\n", 1)
    header = (
        f"' Taken from xlwings {version} (xlwings/xlwings_custom_addin.bas in the installed\n"
        "' package), BSD 3-clause licence: see the notice below. Changed for debiteuren\n"
        '\' (addin/build.py, XLWINGS_CHANGES): PROJECT_NAME = "debiteuren", so RunPython\n'
        "' reads its settings only from %USERPROFILE%\\.debiteuren\\debiteuren.conf (Windows)\n"
        "' or ~/Library/Containers/com.microsoft.Excel/Data/debiteuren.conf (macOS); a\n"
        "' debiteuren.conf sheet or file of a workbook is ignored, the workbook's folder never\n"
        "' goes on Python's path (python -P), and embedded code is off. Regenerate with:\n"
        "' python addin/build.py --update-xlwings\n"
    )
    cls = (package / "addin" / "Dictionary.cls").read_text(encoding=ENCODING)
    return {"xlwings.bas": f"{first}\n{header}{rest}", "Dictionary.cls": cls.replace("\r\n", "\n")}


def update_xlwings(vba_dir: Path = VBA_DIR) -> None:
    """Rewrite ``xlwings.bas`` and ``Dictionary.cls`` in ``addin/vba/`` from installed xlwings."""
    for filename, text in xlwings_sources().items():
        (vba_dir / filename).write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.1 compression
# --------------------------------------------------------------------------------------------

_CHUNK = 4096


def compress(data: bytes) -> bytes:
    """Compress data into an MS-OVBA CompressedContainer (2.4.1.1.1).

    Args:
        data: the bytes to compress, e.g. module source in the project's code page.

    Returns:
        The signature byte 0x01 followed by one compressed chunk per 4096 input bytes.
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= _CHUNK:
            # CompressedChunkHeader: size - 3 in 12 bits, signature 0b011, flag 1 (compressed).
            header = 0x8000 | 0x3000 | (len(body) + 2 - 3)
            out += struct.pack("<H", header) + body
        elif len(chunk) == _CHUNK:
            out += struct.pack("<H", 0x3000 | 0x0FFF) + chunk  # raw chunk, flag 0
        else:
            # Cannot happen for text: a short chunk always compresses to <= 4096 bytes.
            raise ValueError("final chunk does not fit a compressed chunk")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    """Compress at most 4096 bytes into TokenSequences (2.4.1.3.7)."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos, end = 0, len(chunk)
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            offset, length = _longest_match(chunk, pos, heads)
            if length >= 3:
                bit_count = max((pos - 1).bit_length(), 4)  # CopyToken help (2.4.1.3.19.1)
                token = ((offset - 1) << (16 - bit_count)) | (length - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
            else:
                length = 1
                out.append(chunk[pos])
            for p in range(pos, min(pos + length, end - 2)):
                heads.setdefault(chunk[p : p + 3], []).append(p)
            pos += length
        out[flag_at] = flags
    return bytes(out)


def _longest_match(chunk: bytes, pos: int, heads: dict[bytes, list[int]]) -> tuple[int, int]:
    """Return (offset, length) of the longest earlier match at pos; the nearest wins a tie."""
    candidates = heads.get(chunk[pos : pos + 3])
    if not candidates:
        return 0, 0
    bit_count = max((pos - 1).bit_length(), 4)
    limit = min((0xFFFF >> bit_count) + 3, len(chunk) - pos)
    best_offset = best_length = 0
    for start in reversed(candidates):
        if best_length and (
            best_length >= limit or chunk[start + best_length] != chunk[pos + best_length]
        ):
            continue
        length = 3
        while length < limit and chunk[start + length] == chunk[pos + length]:
            length += 1
        if length > best_length:
            best_offset, best_length = pos - start, length
            if length == limit:
                break
    return best_offset, best_length


# --------------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.3 data encryption, for the CMG, DPB and GC lines of the PROJECT stream
# --------------------------------------------------------------------------------------------


def encrypt(project_id: str, data: bytes, seed: int, ignored: int = 0) -> str:
    """Obfuscate data as an Encrypted Data Structure and return it as hex digits (2.4.3.2).

    Args:
        project_id: the project's CLSID string with braces, as on the PROJECT ``ID=`` line.
        data: the bytes to obfuscate.
        seed: the seed byte; real files use a random one, this build a fixed one.
        ignored: the value of each of the ``(seed & 6) // 2`` ignored bytes (any value).

    Returns:
        Upper-case hexadecimal text.
    """
    version = 2
    proj_key = sum(project_id.encode(ENCODING)) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ proj_key])
    state = {"unencrypted1": proj_key, "encrypted1": seed ^ proj_key, "encrypted2": seed ^ version}

    def put(byte: int) -> None:
        encrypted = byte ^ ((state["encrypted2"] + state["unencrypted1"]) & 0xFF)
        out.append(encrypted)
        state["encrypted2"] = state["encrypted1"]
        state["encrypted1"] = encrypted
        state["unencrypted1"] = byte

    for _ in range((seed & 6) // 2):
        put(ignored)
    for byte in struct.pack("<I", len(data)) + data:
        put(byte)
    return out.hex().upper()


# --------------------------------------------------------------------------------------------
# The VBA project streams
# --------------------------------------------------------------------------------------------


def _record(record_id: int, payload: bytes) -> bytes:
    """Return a dir stream record: Id (2 bytes), Size (4 bytes), payload."""
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_record(record_id: int, unicode_id: int, text: str) -> bytes:
    """Return a record holding text twice: in the code page, then as UTF-16 (unicode_id)."""
    return _record(record_id, text.encode(ENCODING)) + _record(unicode_id, text.encode("utf-16-le"))


def dir_stream(modules: list[Module]) -> bytes:
    """Return the uncompressed ``VBA/dir`` stream (2.3.4.2)."""
    name = VBA_PROJECT_NAME.encode(ENCODING)
    out = bytearray()
    # PROJECTINFORMATION
    out += _record(0x0001, struct.pack("<I", 1))  # SysKind: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # LCIDINVOKE
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))
    out += _record(0x0004, name)
    out += _text_record(0x0005, 0x0040, "")  # DOCSTRING
    out += _text_record(0x0006, 0x003D, "")  # HELPFILEPATH
    out += _record(0x0007, struct.pack("<I", 0))  # HELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))  # LIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # VERSION 1.0 (Reserved is always 4)
    out += _text_record(0x000C, 0x003C, "")  # CONSTANTS
    # PROJECTREFERENCES: REFERENCENAME + REFERENCEREGISTERED per type library
    for ref_name, libid in REFERENCES:
        out += _text_record(0x0016, 0x003E, ref_name)
        encoded = libid.encode(ENCODING)
        out += _record(0x000D, struct.pack("<I", len(encoded)) + encoded + bytes(6))
    # PROJECTMODULES
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        out += _text_record(0x0019, 0x0047, module.name)  # MODULENAME, MODULENAMEUNICODE
        out += _text_record(0x001A, 0x0032, module.name)  # MODULESTREAMNAME
        out += _text_record(0x001C, 0x0048, "")  # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source at 0, no p-code
        out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        type_id = 0x0021 if module.kind == "module" else 0x0022
        out += struct.pack("<HI", type_id, 0)  # MODULETYPE
        out += struct.pack("<HI", 0x002B, 0)  # Terminator
    out += struct.pack("<HI", 0x0010, 0)  # Terminator of the dir stream
    return bytes(out)


# Data of the CMG, DPB and GC lines (2.3.1.15-17).
_NOT_PROTECTED = bytes(4)
_NO_PASSWORD = b"\x00"
_VISIBLE = b"\xff"


def project_stream(modules: list[Module]) -> bytes:
    """Return the ``PROJECT`` stream: the project's properties as text (2.3.1)."""
    kinds = {"document": "Document", "module": "Module", "class": "Class"}
    lines = [f'ID="{VBA_PROJECT_ID}"']
    for module in modules:
        suffix = "/&H00000000" if module.kind == "document" else ""
        lines.append(f"{kinds[module.kind]}={module.name}{suffix}")
    lines += [
        f'Name="{VBA_PROJECT_NAME}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        # Not protected, no password, visible: fixed seeds keep the build reproducible.
        f'CMG="{encrypt(VBA_PROJECT_ID, _NOT_PROTECTED, seed=0x07)}"',
        f'DPB="{encrypt(VBA_PROJECT_ID, _NO_PASSWORD, seed=0x0E)}"',
        f'GC="{encrypt(VBA_PROJECT_ID, _VISIBLE, seed=0x15)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
    ]
    return "\r\n".join(lines).encode(ENCODING)


def project_wm_stream(modules: list[Module]) -> bytes:
    """Return the ``PROJECTwm`` stream: module names in the code page and in UTF-16 (2.3.3)."""
    out = bytearray()
    for module in modules:
        out += module.name.encode(ENCODING) + b"\x00"
        out += module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


# Reserved1 0x61CC; Version 0xFFFF so Excel ignores any cache and compiles the source;
# Reserved2 0x00; Reserved3 0x0001 as in the [MS-OVBA] example; no PerformanceCache.
VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)


def vba_project_bin(modules: list[Module]) -> bytes:
    """Return ``xl/vbaProject.bin``: the compound file holding the VBA project."""
    storage: dict[str, bytes] = {
        "_VBA_PROJECT": VBA_PROJECT_STREAM,
        "dir": compress(dir_stream(modules)),
    }
    for module in modules:
        storage[module.name] = compress(module.code.encode(ENCODING))
    return compound_file(
        {
            "PROJECT": project_stream(modules),
            "PROJECTwm": project_wm_stream(modules),
            "VBA": storage,
        }
    )


# --------------------------------------------------------------------------------------------
# [MS-CFB] compound file writer, version 3, 512-byte sectors
# --------------------------------------------------------------------------------------------

_SECTOR = 512
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_FREESECT = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF
_ROOT, _STORAGE, _STREAM = 5, 1, 2
_RED, _BLACK = 0, 1

Tree = dict[str, "bytes | Tree"]


@dataclass(slots=True)
class _Entry:
    """A directory entry while the file is laid out."""

    name: str
    kind: int
    data: bytes = b""
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    color: int = _BLACK
    start: int = _ENDOFCHAIN
    size: int = 0


def _cfb_key(name: str) -> tuple[int, str]:
    """Sort key of sibling entries: shorter names first, then upper-cased (MS-CFB 2.6.4)."""
    return len(name.encode("utf-16-le")), name.upper()


def _chain(first: int, count: int) -> list[tuple[int, int]]:
    """Return (sector, next sector) pairs of a contiguous chain of count sectors."""
    return [
        (s, s + 1 if s + 1 < first + count else _ENDOFCHAIN) for s in range(first, first + count)
    ]


def compound_file(tree: Tree) -> bytes:
    """Write a compound file holding the given storages (dicts) and streams (bytes).

    Streams under 4096 bytes go to the mini stream, the rest to regular sectors. Times and
    class ids are zero, so the output depends on the tree only.

    Args:
        tree: stream or storage name to stream bytes or a nested tree.

    Returns:
        The compound file bytes.
    """
    entries = [_Entry(name="Root Entry", kind=_ROOT)]
    _add_children(entries, 0, tree)

    # Mini stream: the small streams, each padded to 64 bytes, chained in the mini FAT.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    big = []
    for entry in entries:
        if entry.kind != _STREAM or not entry.data:
            continue
        entry.size = len(entry.data)
        if entry.size < _MINI_CUTOFF:
            entry.start = len(mini_fat)
            count = -(-entry.size // _MINI_SECTOR)
            mini_fat += [nxt for _, nxt in _chain(entry.start, count)]
            mini_stream += entry.data.ljust(count * _MINI_SECTOR, b"\x00")
        else:
            big.append(entry)

    dir_sectors = -(-len(entries) * 128 // _SECTOR)
    mini_fat_sectors = -(-len(mini_fat) * 4 // _SECTOR)
    mini_stream_sectors = -(-len(mini_stream) // _SECTOR)
    big_sectors = [-(-e.size // _SECTOR) for e in big]
    others = dir_sectors + mini_fat_sectors + mini_stream_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < fat_sectors + others:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("compound file too large for a header-only DIFAT")

    # Layout: FAT, directory, mini FAT, mini stream, then each large stream.
    fat = [_FATSECT] * fat_sectors
    dir_start = len(fat)
    fat += [nxt for _, nxt in _chain(dir_start, dir_sectors)]
    mini_fat_start = len(fat) if mini_fat_sectors else _ENDOFCHAIN
    fat += [nxt for _, nxt in _chain(len(fat), mini_fat_sectors)]
    root = entries[0]
    root.size = len(mini_stream)
    root.start = len(fat) if mini_stream_sectors else _ENDOFCHAIN
    fat += [nxt for _, nxt in _chain(len(fat), mini_stream_sectors)]
    for entry, count in zip(big, big_sectors, strict=True):
        entry.start = len(fat)
        fat += [nxt for _, nxt in _chain(entry.start, count)]
    fat += [_FREESECT] * (fat_sectors * (_SECTOR // 4) - len(fat))

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        bytes(16),
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # byte order: little-endian
        9,  # sector shift: 512 bytes
        6,  # mini sector shift: 64 bytes
        bytes(6),
        0,  # number of directory sectors: always 0 in version 3
        fat_sectors,
        dir_start,
        0,  # transaction signature
        _MINI_CUTOFF,
        mini_fat_start,
        mini_fat_sectors,
        _ENDOFCHAIN,  # first DIFAT sector: none
        0,  # number of DIFAT sectors
    )
    difat = list(range(fat_sectors)) + [_FREESECT] * (109 - fat_sectors)
    header += struct.pack("<109I", *difat)

    directory = b"".join(_pack_entry(e) for e in entries)
    directory += _unused_entry() * (dir_sectors * (_SECTOR // 128) - len(entries))
    parts = [
        header,
        struct.pack(f"<{len(fat)}I", *fat),
        directory,
        struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(mini_fat_sectors * _SECTOR, b"\xff"),
        bytes(mini_stream).ljust(mini_stream_sectors * _SECTOR, b"\x00"),
    ]
    parts += [e.data.ljust(n * _SECTOR, b"\x00") for e, n in zip(big, big_sectors, strict=True)]
    return b"".join(parts)


def _add_children(entries: list[_Entry], parent: int, tree: Tree) -> None:
    """Append the entries of tree under entries[parent] and link them as a red-black tree."""
    ids = []
    for name in sorted(tree, key=_cfb_key):
        value = tree[name]
        if len(name) > 31:
            raise ValueError(f"compound file name too long: {name!r}")
        entry = _Entry(name=name, kind=_STREAM if isinstance(value, bytes) else _STORAGE)
        if isinstance(value, bytes):
            entry.data = value
        entries.append(entry)
        ids.append(len(entries) - 1)
    entries[parent].child = _link_balanced(
        entries, ids, depth=0, black_depth=_black_depth(len(ids))
    )
    for entry_id, name in zip(ids, sorted(tree, key=_cfb_key), strict=True):
        value = tree[name]
        if not isinstance(value, bytes):
            _add_children(entries, entry_id, value)


def _black_depth(count: int) -> int:
    """Return the depth of the deepest full level of a balanced tree of count nodes."""
    return (count + 1).bit_length() - 2


def _link_balanced(entries: list[_Entry], ids: list[int], depth: int, black_depth: int) -> int:
    """Link sorted ids as a balanced binary tree; return its root id.

    Nodes on the full levels are black, nodes on a partly filled last level red: every path
    then holds the same number of black nodes and no red node has a red child.
    """
    if not ids:
        return _NOSTREAM
    middle = len(ids) // 2
    root = entries[ids[middle]]
    root.color = _BLACK if depth <= black_depth else _RED
    root.left = _link_balanced(entries, ids[:middle], depth + 1, black_depth)
    root.right = _link_balanced(entries, ids[middle + 1 :], depth + 1, black_depth)
    return ids[middle]


def _pack_entry(entry: _Entry) -> bytes:
    """Return the 128-byte directory entry (MS-CFB 2.6.1); times and class id are zero."""
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        bytes(16),
        0,  # state bits
        0,  # creation time
        0,  # modified time
        entry.start if entry.kind != _STORAGE else 0,
        entry.size,
    )


def _unused_entry() -> bytes:
    """Return an unused directory entry: zeros, with no siblings and no child."""
    return struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, b"", 0, 0, 0, 0, 0
    )


# --------------------------------------------------------------------------------------------
# The OOXML package
# --------------------------------------------------------------------------------------------

CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
RT_UI14 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RT_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_RT_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = f"""{_XML_DECL}<Types xmlns="{_NS_PKG}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="{CT_VBA}"/>
<Override PartName="/xl/workbook.xml" ContentType="{CT_ADDIN}"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT_SML}.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{_CT_SML}.styles+xml"/>
<Override PartName="/customUI/customUI14.xml" ContentType="application/xml"/>
<Override PartName="/docProps/core.xml" \
ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" \
ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>
"""

_ROOT_RELS = f"""{_XML_DECL}<Relationships xmlns="{_NS_PKG}/relationships">
<Relationship Id="rId1" Type="{_RT_DOC}/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="{_NS_PKG}/relationships/metadata/core-properties" \
Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="{_RT_DOC}/extended-properties" Target="docProps/app.xml"/>
<Relationship Id="rId4" Type="{RT_UI14}" Target="customUI/customUI14.xml"/>
</Relationships>
"""

_CORE = f"""{_XML_DECL}<cp:coreProperties \
xmlns:cp="{_NS_PKG}/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Debiteuren</dc:title>
<dc:subject>Onbetaalde facturen innen vanuit Excel</dc:subject>
<dc:creator>debiteuren</dc:creator>
</cp:coreProperties>
"""

_APP = f"""{_XML_DECL}<Properties \
xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>debiteuren addin/build.py</Application>
</Properties>
"""

_WORKBOOK = f"""{_XML_DECL}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_RT_DOC}">
<workbookPr codeName="{WORKBOOK_CODENAME}"/>
<bookViews><workbookView/></bookViews>
<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets>
</workbook>
"""

_WORKBOOK_RELS = f"""{_XML_DECL}<Relationships xmlns="{_NS_PKG}/relationships">
<Relationship Id="rId1" Type="{_RT_DOC}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_RT_DOC}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{RT_VBA}" Target="vbaProject.bin"/>
</Relationships>
"""

_SHEET_NOTE = (
    "Invoegtoepassing Debiteuren: de knoppen staan op het tabblad Debiteuren van het lint."
)
_SHEET = f"""{_XML_DECL}<worksheet xmlns="{_NS_MAIN}">
<sheetPr codeName="{SHEET_CODENAME}"/>
<dimension ref="A1"/>
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{_SHEET_NOTE}</t></is></c></row></sheetData>
</worksheet>
"""

_STYLES = f"""{_XML_DECL}<styleSheet xmlns="{_NS_MAIN}">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""

# Zip entries get this fixed time; 1980-01-01 is the earliest a zip can hold.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def package_parts(addin_dir: Path = ADDIN_DIR) -> list[tuple[str, bytes]]:
    """Return the parts of the ``.xlam`` package in zip order.

    Args:
        addin_dir: the folder holding ``customUI14.xml`` and ``vba/``.

    Returns:
        (part name, bytes) pairs, ``[Content_Types].xml`` first.
    """
    custom_ui = (addin_dir / "customUI14.xml").read_text(encoding="utf-8").replace("\r\n", "\n")
    modules = project_modules(addin_dir / "vba")
    return [
        ("[Content_Types].xml", _CONTENT_TYPES.encode()),
        ("_rels/.rels", _ROOT_RELS.encode()),
        ("docProps/app.xml", _APP.encode()),
        ("docProps/core.xml", _CORE.encode()),
        ("customUI/customUI14.xml", custom_ui.encode()),
        ("xl/workbook.xml", _WORKBOOK.encode()),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.encode()),
        ("xl/worksheets/sheet1.xml", _SHEET.encode()),
        ("xl/styles.xml", _STYLES.encode()),
        ("xl/vbaProject.bin", vba_project_bin(modules)),
    ]


def build_xlam(addin_dir: Path = ADDIN_DIR) -> bytes:
    """Return the bytes of ``debiteuren.xlam``.

    Entries are stored uncompressed: deflate output depends on the zlib build, and the
    bytes must not. Excel and LibreOffice read stored entries like deflated ones.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        for name, data in package_parts(addin_dir):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 0  # MS-DOS, whatever system builds it
            info.external_attr = 0
            package.writestr(info, data)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Run the build from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description="Build addin/debiteuren.xlam.")
    parser.add_argument("--output", type=Path, help="folder or .xlam file to write")
    parser.add_argument(
        "--check", action="store_true", help="fail when the committed add-in is stale"
    )
    parser.add_argument(
        "--update-xlwings",
        action="store_true",
        help="rewrite addin/vba/xlwings.bas and Dictionary.cls from the installed xlwings first",
    )
    args = parser.parse_args(argv)
    if args.update_xlwings:
        update_xlwings()
    data = build_xlam()
    target = ADDIN_DIR / XLAM_NAME
    if args.check:
        if not target.exists() or target.read_bytes() != data:
            print(f"{target} is stale: run python addin/build.py", file=sys.stderr)
            return 1
        return 0
    if args.output is not None:
        target = args.output / XLAM_NAME if args.output.is_dir() else args.output
    target.write_bytes(data)
    print(f"wrote {target} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
