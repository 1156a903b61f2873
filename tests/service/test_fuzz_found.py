"""Cells a fuzzer put in the demo workbook: each gives exit code 0 or 2, never a traceback."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren.cli import main


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set(book: Path, sheet: str, cell: str, value: object) -> None:
    wb = openpyxl.load_workbook(book)
    wb[sheet][cell].value = value
    wb.save(book)


@pytest.mark.parametrize(
    ("sheet", "cell", "header"),
    [("Facturen", "C2", "Factuurdatum"), ("Rentes", "B30", "Ingangsdatum")],
)
@pytest.mark.parametrize(
    "command",
    [
        ["bijwerken", "{book}"],
        ["regeling", "{book}", "--klant", "K001", "--termijnen", "3", "--eerste", "2026-11-01"],
    ],
)
def test_a_date_cell_of_minus_1e308_is_a_dutch_message(demo: Path, sheet, cell, header, command):
    # python-calamine panicked on the date serial (TimeDelta out of bounds); pyo3's
    # PanicException is no Exception, so it came out as a traceback (exit code 1)
    _set(demo, sheet, cell, -1e308)
    before = sha(demo)
    args = [a.replace("{book}", str(demo)) for a in command] + ["--peildatum", "2026-10-15"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    row = cell[1:]
    assert f"{sheet}, rij {row}, {header}: '#VALUE!' is geen datum" in result.output
    assert sha(demo) == before


def test_the_panic_and_openpyxls_warning_stay_off_the_screen(demo: Path):
    # the Dutch message came after Rust's panic text (with RUST_BACKTRACE=1 a backtrace of a
    # hundred lines) and openpyxl's English UserWarning about the date cell
    _set(demo, "Facturen", "C2", -1e308)
    env = {**os.environ, "RUST_BACKTRACE": "1", "PYTHONWARNINGS": "default"}
    args = ["bijwerken", str(demo), "--peildatum", "2026-10-15"]
    done = subprocess.run(
        [sys.executable, "-m", "debiteuren", *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2, done.stderr
    said = done.stdout + done.stderr
    assert "Facturen, rij 2, Factuurdatum: '#VALUE!' is geen datum" in said
    assert "panicked" not in said
    assert "backtrace" not in said
    assert "Warning" not in said


def test_a_text_date_before_1900_stays_text_and_reads_the_same_again(demo: Path, tmp_path: Path):
    # '01-01-0001' typed as text on Rentes was written back as a date: serial -693593, which
    # python-calamine reads as the time 00:00:00, so the next command refused the workbook
    # ("Rentes, rij 70, Ingangsdatum: '00:00:00' is geen datum")
    _set(demo, "Rentes", "B70", "01-01-0001")
    first = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert first.exit_code == 0, first.output
    args = ["export", str(demo), "--per", "2026-10-15", "--map", str(tmp_path / "export")]
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert openpyxl.load_workbook(demo)["Rentes"]["B70"].value == "01-01-0001"


def _repacked(book: Path, out: Path, *, lzma_part: str = "", version: int = 0) -> Path:
    """Write ``book`` again as ``out``: ``lzma_part`` packed with LZMA and its data damaged,
    or every entry asking zip version ``version`` (84: 8.4, newer than zipfile reads)."""
    import zipfile

    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            method = zipfile.ZIP_LZMA if info.filename == lzma_part else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, src.read(info), compress_type=method)
    data = bytearray(out.read_bytes())
    if lzma_part:
        at = data.index(lzma_part.encode()) + len(lzma_part) + 60
        data[at : at + 40] = bytes(b ^ 0x55 for b in data[at : at + 40])
    if version:
        at = 0
        while (at := data.find(b"PK\x01\x02", at)) >= 0:
            data[at + 6 : at + 8] = version.to_bytes(2, "little")
            at += 4
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize(
    "how",
    [{"lzma_part": "xl/worksheets/sheet2.xml"}, {"lzma_part": "docProps/app.xml"}, {"version": 84}],
)
@pytest.mark.parametrize("command", ["bijwerken", "brieven", "verzonden"])
def test_a_workbook_packed_as_excel_never_packs_is_a_dutch_message(demo, tmp_path, how, command):
    """A part packed with LZMA (damaged or not) or a zip version zipfile does not read: each
    reader failed in its own way (LZMAError or NotImplementedError tracebacks, exit code 1).
    Now refused before anything unpacks it: exit code 2, the file unchanged."""
    book = _repacked(demo, tmp_path / "ingepakt.xlsx", **how)
    before = sha(book)
    extra = ["--op", "2026-10-15"] if command == "verzonden" else ["--peildatum", "2026-10-15"]
    result = CliRunner().invoke(main, [command, str(book), *extra])
    assert result.exit_code == 2, result.output
    assert (
        "is geen Excel-werkboek (.xlsx) of kan niet geopend worden: het is ingepakt op een "
        "manier die debiteuren niet kan lezen (een nieuwere zip-versie of compressie)"
    ) in " ".join(result.output.split())
    assert sha(book) == before


@pytest.mark.parametrize("value", ["²", "¹⁴"])
def test_superscript_digits_in_a_whole_number_cell_are_no_number(demo, value):
    """'²'.isdigit() is True and int('²') a ValueError: a Betaaltermijn typed with a
    superscript was a traceback. Now the cell's problem, as for any other text."""
    _set(demo, "Klanten", "Q2", value)
    before = sha(demo)
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 2, result.output
    assert "Klanten, rij 2, Betaaltermijn (dagen)" in result.output
    assert sha(demo) == before


def test_superscript_digits_in_a_property_id_are_no_id(demo, tmp_path):
    """A custom property's pid written with superscript digits (a hostile or damaged package):
    int() refused what isdigit() took, a traceback while saving. Now it is no id: the next
    free one is taken."""
    import re
    import zipfile

    from debiteuren import service
    from debiteuren.demo import DEMO_AS_OF

    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9))  # the digest properties
    book = tmp_path / "ids.xlsx"
    with zipfile.ZipFile(demo) as src, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/custom.xml":
                data = re.sub(rb'pid="\d+"', 'pid="²"'.encode(), data, count=1)
            dst.writestr(info, data)
    result = CliRunner().invoke(main, ["bijwerken", str(book), "--peildatum", "2026-10-16"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(book) as done:
        pids = re.findall(r'pid="([^"]+)"', done.read("docProps/custom.xml").decode())
    assert pids[0] == "²" and len(set(pids[1:])) == len(pids) - 1


def _edited(book: Path, out: Path, edits: dict) -> Path:
    """Write ``book`` again as ``out`` with parts changed: part name, or ('sheet', title), or
    ('table', name) -> a function of the part's text."""
    import re
    import zipfile

    from debiteuren.workbook.read import _sheet_parts

    with zipfile.ZipFile(book) as src:
        sheets = _sheet_parts(src)
        tables = {}
        for name in src.namelist():
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                found = re.search(r'displayName="([^"]+)"', src.read(name).decode())
                tables[found.group(1) if found else name] = name
        parts = {
            (sheets[key[1]] if key[0] == "sheet" else tables[key[1]])
            if isinstance(key, tuple)
            else key: change
            for key, change in edits.items()
        }
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename in parts:
                    data = parts[info.filename](data.decode("utf-8")).encode("utf-8")
                dst.writestr(info, data)
    return out


def _far_cell(xml: str) -> str:
    """A cell far down the sheet: python-calamine would make it dense, the openpyxl reader reads."""
    return xml.replace(
        "</sheetData>", '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
    )


def _run(book: Path, command: str) -> object:
    args = {
        "bijwerken": ["bijwerken", str(book), "--peildatum", "2026-10-15"],
        "betalingen": [
            "betalingen",
            str(book),
            str(Path(__file__).parent.parent / "payments" / "fixtures" / "camt053_normal.xml"),
            "--peildatum",
            "2026-10-15",
        ],
    }[command]
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("sheet", ["Facturen", "Rentes"])
def test_an_input_table_on_a_sheet_named_overzicht_is_refused_not_drawn_over(demo, tmp_path, sheet):
    """Facturen renamed to Overzicht (and the old Overzicht deleted): bijwerken and betalingen
    drew the Overzicht over it, and every invoice was gone with exit code 0 (found by fuzzing,
    session 25). Refused now, naming the sheet and its table; the file unchanged."""
    book = openpyxl.load_workbook(demo)
    book.remove(book["Overzicht"])
    book[sheet].title = "Overzicht"
    book.save(demo)
    before = sha(demo)
    for command in ("bijwerken", "betalingen"):
        result = _run(demo, command)
        assert result.exit_code == 2, result.output
        assert (
            f"Het blad 'Overzicht' in {demo} bevat de tabel tbl{sheet}. debiteuren tekent het "
            "blad Overzicht bij elke opdracht opnieuw en zou die tabel dan overschrijven; er is "
            "niets gewijzigd."
        ) in " ".join(result.output.split())
        assert sha(demo) == before


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (  # a shared string that is not there, read by openpyxl (F1)
            {
                ("sheet", "Instellingen"): lambda x: x.replace(
                    "</sheetData>", '<row r="60"><c r="C60" t="s"><v>7</v></c></row></sheetData>'
                ),
                ("sheet", "Regelingen"): _far_cell,
            },
            "Het werkblad 'Instellingen' in {book} is beschadigd en kan niet gelezen worden "
            "(IndexError)",
        ),
        (  # openpyxl's TypeError on a sheetId that is no number (F2)
            {
                "xl/workbook.xml": lambda x: x.replace('sheetId="3"', 'sheetId="abc"', 1),
                ("sheet", "Regelingen"): _far_cell,
            },
            "{book} is geen Excel-werkboek (.xlsx) of kan niet geopend worden: een onderdeel "
            "ervan is beschadigd",
        ),
        (  # a table whose range is empty (F3)
            {
                ("table", "tblIncassobureaus"): lambda x: re.sub(
                    r'ref="[^"]*"', 'ref=""', x, count=1
                )
            },
            "de tabel tblIncassobureaus heeft geen geldig bereik ('')",
        ),
        (  # styles that are not well-formed XML, read by openpyxl (lxml's error) (F4)
            {
                "xl/styles.xml": lambda x: x + "<",
                ("sheet", "Regelingen"): _far_cell,
            },
            "{book} is geen Excel-werkboek (.xlsx) of kan niet geopend worden: een onderdeel "
            "ervan is beschadigd",
        ),
    ],
    ids=["shared-string-index", "sheetid-abc", "table-ref-empty", "styles-not-xml"],
)
def test_a_damaged_part_read_by_openpyxl_is_a_dutch_message(demo, tmp_path, edits, message):
    """Found by fuzzing (session 25): each was an IndexError, TypeError or lxml XMLSyntaxError
    traceback with exit code 1."""
    book = _edited(demo, tmp_path / "kapot.xlsx", edits)
    before = sha(book)
    for command in ("bijwerken", "betalingen"):
        result = _run(book, command)
        assert result.exit_code == 2, result.output
        assert message.format(book=book) in " ".join(result.output.split())
        assert sha(book) == before


def test_a_huge_merge_in_a_book_saved_with_openpyxl_is_refused(demo, tmp_path):
    """A merge over A100:XFD1048576 on a book the patcher cannot update (a row without its
    number) made openpyxl make an object for each of 17 billion cells before the save: all
    memory (found by fuzzing, session 25). Refused before openpyxl loads it."""
    book = _edited(
        demo,
        tmp_path / "samengevoegd.xlsx",
        {
            ("sheet", "Rentes"): lambda x: x.replace(
                "</sheetData>",
                '</sheetData><mergeCells count="1"><mergeCell ref="A100:XFD1048576"/></mergeCells>',
            ),
            ("sheet", "Betalingen"): lambda x: re.sub(r'<row r="\d+"', "<row", x, count=1),
        },
    )
    before = sha(book)
    result = _run(book, "betalingen")
    assert result.exit_code == 2, result.output
    assert (
        f"Het blad 'Rentes' in {book} voegt cellen samen over een heel groot bereik "
        "(A100:XFD1048576); zo'n werkboek kan debiteuren niet veilig opslaan. Er is niets gewijzigd."
    ) in " ".join(result.output.split())
    assert sha(book) == before


def test_a_number_format_id_that_is_no_number_is_read_as_general(demo, tmp_path):
    """A cell style whose numFmtId is no number (a damaged styles part): the save stopped with a
    ValueError traceback when it looked up a cell's format (found by fuzzing, session 25). Read as
    Excel reads it (General); the import and the next update go through."""

    def damaged(xml: str) -> str:
        start, end = xml.index("<cellXfs"), xml.index("</cellXfs>")
        return xml[:start] + re.sub('numFmtId="[^"]*"', 'numFmtId="x"', xml[start:end]) + xml[end:]

    book = _edited(demo, tmp_path / "opmaak.xlsx", {"xl/styles.xml": damaged})
    result = _run(book, "betalingen")
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, ["bijwerken", str(book), "--peildatum", "2026-10-16"])
    assert again.exit_code == 0, again.output


def test_a_sheet_openpyxl_does_not_find_is_a_dutch_message(demo, tmp_path):
    """Klanten related as /xl/worksheets/../worksheets/sheet2.xml, read by openpyxl (a far cell):
    debiteuren's own lookup found the sheet, openpyxl left it out, and book['Klanten'] was a
    KeyError traceback (found by fuzzing, session 25)."""
    import zipfile

    from debiteuren.workbook.read import _sheet_parts

    with zipfile.ZipFile(demo) as archive:
        part = _sheet_parts(archive)["Klanten"].removeprefix("xl/worksheets/")
    book = _edited(
        demo,
        tmp_path / "pad.xlsx",
        {
            "xl/_rels/workbook.xml.rels": lambda x: x.replace(
                f'Target="worksheets/{part}"', f'Target="/xl/worksheets/../worksheets/{part}"'
            ).replace(
                f'Target="/xl/worksheets/{part}"', f'Target="/xl/worksheets/../worksheets/{part}"'
            ),
            ("sheet", "Regelingen"): _far_cell,
        },
    )
    before = sha(book)
    result = _run(book, "bijwerken")
    assert result.exit_code == 2, result.output
    assert (
        f"Het werkblad 'Klanten' in {book} is beschadigd en kan niet gelezen worden (KeyError)"
    ) in " ".join(result.output.split())
    assert sha(book) == before


def test_a_value_past_a_stale_dimension_counts_on_the_first_run(demo, tmp_path):
    """Rentes with a stray value in A1048576 and a <dimension> that still says A1:E83 (as a
    program other than Excel may leave it): read-only openpyxl stopped at the stated extent, so
    ``bijwerken`` accepted and saved the book, and the save's corrected dimension made the next
    run refuse it (found by fuzzing, session 25, F7). Now the first run refuses it too, and the
    book stays as it was."""

    def stale(xml: str) -> str:
        xml = _far_cell(xml)
        return re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:E83"/>', xml)

    book = _edited(demo, tmp_path / "ver.xlsx", {("sheet", "Rentes"): stale})
    before = sha(book)
    for command in ("bijwerken", "betalingen"):
        result = _run(book, command)
        assert result.exit_code == 2, result.output
        assert "Rentes, rij 1048576, Ingangsdatum: Ingangsdatum is leeg" in result.output
        assert sha(book) == before
