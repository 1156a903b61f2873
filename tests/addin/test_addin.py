"""Tests of the Excel add-in addin/debiteuren.xlam and its build (addin/build.py).

The add-in is read back with tools that share no code with the build: zipfile and lxml for
the package and the ribbon, olefile for the compound file, olevba (oletools) for the VBA
project and LibreOffice, which imports the VBA modules as Basic libraries.
"""

from __future__ import annotations

import importlib.util
import io
import random
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import olefile
import pytest
from lxml import etree
from oletools import olevba

ROOT = Path(__file__).resolve().parents[2]
ADDIN = ROOT / "addin"
XLAM = ADDIN / "debiteuren.xlam"
VBA_SOURCES = ADDIN / "vba"
CUSTOM_UI = ADDIN / "customUI14.xml"

NS_UI = "http://schemas.microsoft.com/office/2009/07/customui"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

BUTTONS = {
    "bijwerken": "Bijwerken",
    "herinneringen": "Herinneringen",
    "aanmaningen": "Aanmaningen",
    "verzonden": "Verzonden",
    "overdracht": "Overdracht",
    "betalingen": "Betalingen importeren",
    "brieven_openen": "Brieven openen",
    "instellingen": "Instellingen",
}

# The subset of Microsoft's customUI14.xsd ([MS-CUSTOMUI], Office 2010 custom UI schema) that
# the ribbon uses, written for this test: Microsoft's file carries no licence that allows a
# copy here. Types follow the published ones (ST_UniqueID is xsd:ID of 1-1024 characters,
# ST_ID an NCName, strings 1-1024 characters); elements and attributes are those allowed at
# these places. It is stricter than Microsoft's schema on purpose: exactly
# customUI/ribbon/tabs/tab/group/button, and every button needs a label, a large size, an
# imageMso, a screentip, a supertip and an onAction.
CUSTOM_UI_SUBSET_XSD = f"""\
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS_UI}"
    xmlns="{NS_UI}" elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xsd:simpleType name="ST_UniqueID">
    <xsd:restriction base="xsd:ID"><xsd:minLength value="1"/><xsd:maxLength value="1024"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="ST_ID">
    <xsd:restriction base="xsd:NCName"><xsd:minLength value="1"/><xsd:maxLength value="1024"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="ST_String">
    <xsd:restriction base="xsd:string"><xsd:minLength value="1"/><xsd:maxLength value="1024"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="ST_Delegate">
    <xsd:restriction base="xsd:string"><xsd:minLength value="1"/><xsd:maxLength value="1024"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="ST_Size">
    <xsd:restriction base="xsd:string"><xsd:enumeration value="large"/></xsd:restriction>
  </xsd:simpleType>
  <xsd:complexType name="CT_Button">
    <xsd:attribute name="id" type="ST_UniqueID" use="required"/>
    <xsd:attribute name="label" type="ST_String" use="required"/>
    <xsd:attribute name="size" type="ST_Size" use="required"/>
    <xsd:attribute name="imageMso" type="ST_ID" use="required"/>
    <xsd:attribute name="screentip" type="ST_String" use="required"/>
    <xsd:attribute name="supertip" type="ST_String" use="required"/>
    <xsd:attribute name="onAction" type="ST_Delegate" use="required"/>
  </xsd:complexType>
  <xsd:complexType name="CT_Group">
    <xsd:sequence><xsd:element name="button" type="CT_Button" maxOccurs="1000"/></xsd:sequence>
    <xsd:attribute name="id" type="ST_UniqueID" use="required"/>
    <xsd:attribute name="label" type="ST_String" use="required"/>
  </xsd:complexType>
  <xsd:complexType name="CT_Tab">
    <xsd:sequence><xsd:element name="group" type="CT_Group" maxOccurs="100"/></xsd:sequence>
    <xsd:attribute name="id" type="ST_UniqueID" use="required"/>
    <xsd:attribute name="label" type="ST_String" use="required"/>
  </xsd:complexType>
  <xsd:complexType name="CT_Tabs">
    <xsd:sequence><xsd:element name="tab" type="CT_Tab" maxOccurs="100"/></xsd:sequence>
  </xsd:complexType>
  <xsd:complexType name="CT_Ribbon">
    <xsd:sequence><xsd:element name="tabs" type="CT_Tabs"/></xsd:sequence>
  </xsd:complexType>
  <xsd:element name="customUI">
    <xsd:complexType>
      <xsd:sequence><xsd:element name="ribbon" type="CT_Ribbon"/></xsd:sequence>
    </xsd:complexType>
  </xsd:element>
</xsd:schema>
"""


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """Import addin/build.py, which is a script and not part of the package."""
    spec = importlib.util.spec_from_file_location("debiteuren_addin_build", ADDIN / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def package() -> zipfile.ZipFile:
    """Open the committed add-in as a zip file."""
    return zipfile.ZipFile(XLAM)


@pytest.fixture(scope="module")
def vba_bin(package: zipfile.ZipFile) -> bytes:
    """Return the committed add-in's xl/vbaProject.bin."""
    return package.read("xl/vbaProject.bin")


@pytest.fixture(scope="module")
def macros() -> dict[str, str]:
    """Return module name to source as olevba extracts them from the committed add-in."""
    parser = olevba.VBA_Parser(str(XLAM))
    try:
        assert parser.detect_vba_macros()
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def lf(text: str) -> str:
    """Return text with LF line endings."""
    return text.replace("\r\n", "\n")


def ribbon() -> etree._ElementTree:
    """Parse addin/customUI14.xml."""
    return etree.parse(str(CUSTOM_UI))


def ribbon_buttons() -> list[etree._Element]:
    """Return the ribbon's button elements in document order."""
    return ribbon().findall(f".//{{{NS_UI}}}button")


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


def test_committed_addin_equals_a_fresh_build(tmp_path: Path) -> None:
    target = tmp_path / "debiteuren.xlam"
    subprocess.run(
        [sys.executable, str(ADDIN / "build.py"), "--output", str(target)],
        check=True,
        capture_output=True,
    )
    assert target.read_bytes() == XLAM.read_bytes(), "run: python addin/build.py"


def test_zip_entries_have_fixed_times_and_no_compression(package: zipfile.ZipFile) -> None:
    assert package.testzip() is None
    assert package.namelist()[0] == "[Content_Types].xml"
    for info in package.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_STORED


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a",
        b"abcabcabcabc",
        b" " * 10_000,
        b'Attribute VB_Name = "x"\r\n' + b'    RunPython "import x"\r\n' * 400,
        random.Random(1).randbytes(4096),  # incompressible: a raw chunk
        random.Random(2).randbytes(5000),
        bytes(range(256)) * 40,
    ],
    ids=["empty", "one", "repeat", "spaces", "source", "random4096", "random5000", "ramp"],
)
def test_compression_round_trips_through_olevba(build: ModuleType, data: bytes) -> None:
    compressed = build.compress(data)
    assert compressed[0] == 1
    assert bytes(olevba.decompress_stream(bytearray(compressed))) == data


def test_encryption_reproduces_the_ms_ovba_example(build: ModuleType) -> None:
    # [MS-OVBA] 3.1.6: ID="{917DED54-440B-4FD1-A5C1-74ACF261E600}", CMG of an unprotected
    # project with seed 0x07 (its ignored bytes happen to equal the seed).
    project_id = "{917DED54-440B-4FD1-A5C1-74ACF261E600}"
    cmg = build.encrypt(project_id, bytes(4), seed=0x07, ignored=0x07)
    assert cmg == "0705D8E3D8EDDBF1DBF1DBF1DBF1"


def decrypt(hex_text: str) -> bytes:
    """Undo [MS-OVBA] 2.4.3 data encryption (the decryption of 2.4.3.3), return Data."""
    raw = bytes.fromhex(hex_text)
    seed, version_enc, proj_key_enc = raw[:3]
    assert seed ^ version_enc == 2
    unencrypted1, encrypted1, encrypted2 = seed ^ proj_key_enc, proj_key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, byte_enc, byte
    plain = plain[(seed & 6) // 2 :]
    (length,) = struct.unpack_from("<I", plain)
    assert len(plain) == 4 + length
    return bytes(plain[4:])


# --------------------------------------------------------------------------------------------
# The package
# --------------------------------------------------------------------------------------------


def content_type(package: zipfile.ZipFile, part: str) -> str:
    """Return a part's content type: its Override, else the Default for its extension."""
    types = etree.fromstring(package.read("[Content_Types].xml"))
    for override in types.iter(f"{{{NS_CT}}}Override"):
        if override.get("PartName") == "/" + part:
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1]
    for default in types.iter(f"{{{NS_CT}}}Default"):
        if default.get("Extension").lower() == extension.lower():
            return default.get("ContentType")
    raise AssertionError(f"no content type for {part}")


def relationships(package: zipfile.ZipFile, rels_part: str) -> dict[str, str]:
    """Return relationship type to target part (relative to the package root)."""
    base = rels_part.replace("_rels/", "").removesuffix(".rels")
    folder = base.rsplit("/", 1)[0] + "/" if "/" in base else ""
    root = etree.fromstring(package.read(rels_part))
    return {
        rel.get("Type"): folder + rel.get("Target")
        for rel in root.iter(f"{{{NS_REL}}}Relationship")
    }


def test_every_part_has_a_content_type_and_every_target_exists(
    package: zipfile.ZipFile,
) -> None:
    names = set(package.namelist())
    for name in names - {"[Content_Types].xml"}:
        assert content_type(package, name)
    for rels in (n for n in names if n.endswith(".rels")):
        for target in relationships(package, rels).values():
            assert target in names, f"{rels} points to missing {target}"


def test_workbook_part_is_a_macro_enabled_addin(package: zipfile.ZipFile) -> None:
    rels = relationships(package, "_rels/.rels")
    workbook = rels[
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    ]
    assert workbook == "xl/workbook.xml"
    assert content_type(package, workbook) == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    sheets = etree.fromstring(package.read(workbook)).findall(
        ".//{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
    )
    assert len(sheets) == 1


def test_vba_project_is_wired_to_the_workbook(package: zipfile.ZipFile) -> None:
    rels = relationships(package, "xl/_rels/workbook.xml.rels")
    target = rels["http://schemas.microsoft.com/office/2006/relationships/vbaProject"]
    assert target == "xl/vbaProject.bin"
    assert content_type(package, target) == "application/vnd.ms-office.vbaProject"


def test_ribbon_is_wired_to_the_package(package: zipfile.ZipFile) -> None:
    rels = relationships(package, "_rels/.rels")
    target = rels["http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"]
    assert target == "customUI/customUI14.xml"
    assert content_type(package, target) == "application/xml"
    assert lf(package.read(target).decode("utf-8")) == lf(CUSTOM_UI.read_text(encoding="utf-8"))


def test_document_modules_match_the_code_names(package: zipfile.ZipFile) -> None:
    workbook = package.read("xl/workbook.xml").decode()
    sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert '<workbookPr codeName="ThisWorkbook"/>' in workbook
    assert '<sheetPr codeName="Sheet1"/>' in sheet


# --------------------------------------------------------------------------------------------
# The ribbon
# --------------------------------------------------------------------------------------------


def test_ribbon_is_valid_against_the_custom_ui_subset_schema() -> None:
    schema = etree.XMLSchema(etree.fromstring(CUSTOM_UI_SUBSET_XSD.encode()))
    document = ribbon()
    assert schema.validate(document), schema.error_log


def test_ribbon_has_one_tab_debiteuren_with_the_fixed_buttons() -> None:
    tabs = ribbon().findall(f".//{{{NS_UI}}}tab")
    assert [tab.get("label") for tab in tabs] == ["Debiteuren"]
    assert {b.get("id"): b.get("label") for b in ribbon_buttons()} == BUTTONS
    assert len(ribbon_buttons()) == len(BUTTONS)
    groups = [group.get("label") for group in tabs[0]]
    assert groups == ["Werkboek", "Betalingen", "Brieven"]


def test_every_button_calls_the_vba_callback() -> None:
    source = (VBA_SOURCES / "Debiteuren.bas").read_text(encoding="utf-8")
    match = re.search(r"^Public Sub (\w+)\(control As IRibbonControl\)$", source, re.M)
    assert match, "Debiteuren.bas has no ribbon callback"
    assert {b.get("onAction") for b in ribbon_buttons()} == {match.group(1)}
    assert match.group(1) == "Debiteuren_OnAction"


#: Excel control ids used as icons, checked against Microsoft's list of Excel's own control ids
#: (excelcontrols.xlsx of OfficeDev/office-fluent-ui-command-identifiers): an imageMso of
#: another application (Word's MailMergeStartLetters and EnvelopesAndLabelsDialog, Access's
#: PropertySheet) is not guaranteed to show in Excel.
EXCEL_ICONS = {
    "bijwerken": "RefreshAll",
    "instellingen": "ApplicationOptionsDialog",
    "betalingen": "ImportTextFile",
    "herinneringen": "FileSendAsAttachment",
    "aanmaningen": "SignatureLineInsert",
    "verzonden": "FileMarkAsFinal",
    "overdracht": "ReviewShareWorkbook",
    "brieven_openen": "FileOpen",
}
NOT_EXCEL = {"MailMergeStartLetters", "EnvelopesAndLabelsDialog", "PropertySheet"}


def test_every_icon_is_an_excel_control() -> None:
    icons = {b.get("id"): b.get("imageMso") for b in ribbon_buttons()}
    assert icons == EXCEL_ICONS
    assert not set(icons.values()) & NOT_EXCEL


def test_a_click_without_a_workbook_gets_a_dutch_message_not_error_91() -> None:
    source = (VBA_SOURCES / "Debiteuren.bas").read_text(encoding="utf-8")
    callback = source[source.index("Public Sub Debiteuren_OnAction") :]
    callback = callback[: callback.index("End Sub")]
    # The check comes before RunPython, and stops the click.
    assert callback.index("WorkbookProblem()") < callback.index("RunPython")
    assert "MsgBox problem, vbInformation" in callback and "Exit Sub" in callback
    assert "If ActiveWorkbook Is Nothing Then" in source
    assert "Application.ActiveProtectedViewWindow Is Nothing" in source
    assert "'Bewerken inschakelen'" in source and "Er is geen werkboek geopend." in source
    # Excel for Mac has no Protected View: that check is compiled on Windows only.
    mac = source.index("#If Mac Then")
    assert mac < source.index("InProtectedView()") and "#End If" in source[mac:]
    assert 'Application.StatusBar = "Debiteuren: bezig' in callback


def test_ribbon_ids_are_the_python_handlers() -> None:
    from debiteuren.excel import HANDLERS

    assert {b.get("id") for b in ribbon_buttons()} == set(HANDLERS)


# --------------------------------------------------------------------------------------------
# The VBA project
# --------------------------------------------------------------------------------------------


def test_compound_file_has_the_vba_project_streams(vba_bin: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(vba_bin), raise_defects=olefile.DEFECT_INCORRECT)
    streams = {"/".join(path) for path in ole.listdir(streams=True, storages=False)}
    modules = {"ThisWorkbook", "Sheet1", "xlwings", "Debiteuren", "Dictionary"}
    assert streams == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {
        f"VBA/{name}" for name in modules
    }
    # Version 0xFFFF and no performance cache: Excel compiles the source ([MS-OVBA] 2.3.4.1).
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")


def assert_red_black_siblings(ole: olefile.OleFileIO) -> None:
    """Check that every storage's children form a red-black tree ([MS-CFB] 2.6.4)."""
    red, black = 0, 1  # [MS-CFB] 2.6.1 Color Flag
    entries = {entry.sid: entry for entry in ole.direntries if entry is not None}

    def black_height(sid: int, parent_red: bool) -> int:
        if sid == olefile.NOSTREAM:
            return 1
        entry = entries[sid]
        is_red = entry.color == red
        assert not (is_red and parent_red), f"red {entry.name} under a red node"
        left = black_height(entry.sid_left, is_red)
        right = black_height(entry.sid_right, is_red)
        assert left == right, f"unequal black heights under {entry.name}"
        return left + (0 if is_red else 1)

    for entry in entries.values():
        if entry.sid_child != olefile.NOSTREAM:
            assert entries[entry.sid_child].color == black
            black_height(entry.sid_child, parent_red=False)


def test_compound_file_siblings_form_red_black_trees(vba_bin: bytes) -> None:
    assert_red_black_siblings(olefile.OleFileIO(io.BytesIO(vba_bin)))


@pytest.mark.parametrize("count", [1, 2, 4, 5, 6, 12, 40])
def test_compound_file_writer_round_trips(build: ModuleType, count: int) -> None:
    sizes = [0, 1, 63, 64, 4095, 4096, 4097, 70_000]
    rng = random.Random(count)
    streams = {
        f"s{i:02d}{'x' * (i % 3)}": rng.randbytes(sizes[i % len(sizes)]) for i in range(count)
    }
    tree = {"Top": b"top", "Store": {**streams, "Inner": {"deep": b"d" * 5000}}}
    ole = olefile.OleFileIO(
        io.BytesIO(build.compound_file(tree)), raise_defects=olefile.DEFECT_INCORRECT
    )
    assert ole.openstream("Top").read() == b"top"
    assert ole.openstream("Store/Inner/deep").read() == b"d" * 5000
    for name, data in streams.items():
        assert ole.openstream(f"Store/{name}").read() == data
    assert_red_black_siblings(ole)


def test_dir_stream_declares_source_only_modules(vba_bin: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    project = olevba.VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    for _ in project.parse_modules():
        pass  # parse_modules() yields per-module results and fills project.modules
    modules = project.modules
    assert project.projectname == "DebiteurenAddin"
    assert project.codepage == 1252
    assert [m.name for m in modules] == [
        "ThisWorkbook",
        "Sheet1",
        "xlwings",
        "Debiteuren",
        "Dictionary",
    ]
    assert all(m.textoffset == 0 for m in modules), "a module has a p-code cache"


def test_project_stream_says_unprotected_and_visible(vba_bin: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"\r$', text, re.M))
    assert decrypt(values["CMG"]) == bytes(4)
    assert decrypt(values["DPB"]) == b"\x00"
    assert decrypt(values["GC"]) == b"\xff"
    assert "Module=Debiteuren\r\n" in text
    assert "Class=Dictionary\r\n" in text
    assert "Document=ThisWorkbook/&H00000000\r\n" in text


@pytest.mark.parametrize("filename", ["xlwings.bas", "Debiteuren.bas"])
def test_olevba_extracts_the_kept_standard_module(macros: dict[str, str], filename: str) -> None:
    kept = (VBA_SOURCES / filename).read_text(encoding="utf-8")
    assert lf(macros[Path(filename).stem]) == lf(kept)


def attributes_and_body(text: str) -> tuple[set[str], list[str]]:
    """Split a class module's text into its Attribute lines and the code after them."""
    lines = lf(text).split("\n")
    if lines[0] == "VERSION 1.0 CLASS":
        lines = lines[lines.index("END") + 1 :]
    count = next(i for i, line in enumerate(lines) if not line.startswith("Attribute "))
    return set(lines[:count]), lines[count:]


def test_olevba_extracts_the_kept_class_module(macros: dict[str, str]) -> None:
    exported = (VBA_SOURCES / "Dictionary.cls").read_text(encoding="utf-8")
    kept_attributes, kept_body = attributes_and_body(exported)
    stored_attributes, stored_body = attributes_and_body(macros["Dictionary"])
    assert stored_body == kept_body
    # The project adds the attributes the VBA editor leaves out of an exported class.
    assert stored_attributes - kept_attributes == {
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = False",
    }


def test_vba_sources_are_all_in_the_project(macros: dict[str, str]) -> None:
    kept = {path.stem for path in VBA_SOURCES.iterdir() if path.suffix in {".bas", ".cls"}}
    assert set(macros) == kept | {"ThisWorkbook", "Sheet1"}
    assert macros["ThisWorkbook"].startswith('Attribute VB_Name = "ThisWorkbook"\r\n')
    assert macros["Sheet1"].startswith('Attribute VB_Name = "Sheet1"\r\n')


def test_xlwings_module_is_the_installed_xlwings_with_our_project_name(
    build: ModuleType,
) -> None:
    # xlwings' VBA loads xlwings64-<version>.dll: the module must match the Python package.
    expected = build.xlwings_sources()
    for filename, text in expected.items():
        kept = (VBA_SOURCES / filename).read_text(encoding="utf-8")
        assert lf(kept) == lf(text), (
            f"addin/vba/{filename} is not from the installed xlwings: "
            "run python addin/build.py --update-xlwings"
        )
    assert 'Public Const PROJECT_NAME As String = "debiteuren"' in expected["xlwings.bas"]


# --------------------------------------------------------------------------------------------
# LibreOffice
# --------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_addin_and_reads_its_vba(tmp_path: Path) -> None:
    # LibreOffice's type detection does not pick a filter for the add-in content type by
    # itself, so the Excel 2007+ import filter is named. Converting to .ods keeps the VBA
    # modules as Basic sources: proof that LibreOffice parsed the VBA project.
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--infilter=Calc MS Excel 2007 XML",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path / "out"),
            str(XLAM),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    converted = tmp_path / "out" / "debiteuren.ods"
    assert result.returncode == 0, result.stderr
    assert converted.exists(), result.stdout + result.stderr
    with zipfile.ZipFile(converted) as ods:
        names = set(ods.namelist())
        for module in ("ThisWorkbook", "Sheet1", "xlwings", "Debiteuren", "Dictionary"):
            assert f"Basic/DebiteurenAddin/{module}.xml" in names
        callback = ods.read("Basic/DebiteurenAddin/Debiteuren.xml").decode("utf-8")
        assert "Public Sub Debiteuren_OnAction(control As IRibbonControl)" in callback
        assert 'table:name="Debiteuren"' in ods.read("content.xml").decode("utf-8")
